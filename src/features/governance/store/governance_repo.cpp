#include "features/governance/store/governance_repo.hpp"

#include <algorithm>
#include <string_view>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

constexpr LifecycleTables meeting_tables{"committee_meetings", "meeting_events", "meeting_id"};
constexpr LifecycleTables decision_tables{"governance_decisions", "decision_events", "decision_id"};
constexpr LifecycleTables report_tables{"yearly_reports", "yearly_report_events", "report_id"};

// A note on a meeting's or a report's move: one short paragraph.
constexpr std::size_t max_move_note_length = 2000;

// A committee with its summary counts; its two placeholders (today, for the overdue decisions
// and the next meeting) come before those of the WHERE clause that follows.
constexpr const char* committee_select =
    "SELECT c.id, c.sda_id, s.name_fr, s.name_en, c.name_fr, c.name_en, c.kind, c.mandate, "
    "(SELECT COUNT(*) FROM committee_members m WHERE m.committee_id = c.id AND m.left_on = ''), "
    "(SELECT COUNT(*) FROM governance_decisions g WHERE g.committee_id = c.id AND g.status IN ('open', 'in_progress')), "
    "(SELECT COUNT(*) FROM governance_decisions g WHERE g.committee_id = c.id AND g.status IN ('open', 'in_progress') "
    "AND g.due_on < ?), "
    "COALESCE((SELECT MIN(x.held_on) FROM committee_meetings x WHERE x.committee_id = c.id AND x.status = 'scheduled' "
    "AND x.held_on >= ?), '') "
    "FROM committees c JOIN service_delivery_areas s ON s.id = c.sda_id ";

CommitteeSummary summary_of(const Row& r) {
    CommitteeSummary s;
    s.id = r.i64(0);
    s.sda_id = r.i64(1);
    s.area_fr = r.str(2);
    s.area_en = r.str(3);
    s.name_fr = r.str(4);
    s.name_en = r.str(5);
    s.kind = d::parse_committee_kind(r.str(6)).value_or(d::CommitteeKind::governance_table);
    s.members = static_cast<int>(r.i64(8));
    s.pending_decisions = static_cast<int>(r.i64(9));
    s.overdue_decisions = static_cast<int>(r.i64(10));
    s.next_meeting_on = r.str(11);
    return s;
}

constexpr const char* decision_select =
    "SELECT g.id, g.committee_id, c.name_fr, c.name_en, g.reference, g.decided_on, g.decision, g.decided_by, "
    "g.owner_organisation_id, o.name_fr, o.name_en, g.owner_person, g.due_on, g.status, COALESCE(g.meeting_id, 0), "
    "COALESCE(x.held_on, '') FROM governance_decisions g JOIN committees c ON c.id = g.committee_id "
    "JOIN organisations o ON o.id = g.owner_organisation_id LEFT JOIN committee_meetings x ON x.id = g.meeting_id ";

// Pending first by due date, then the rest newest first.
constexpr const char* decision_order =
    " ORDER BY CASE WHEN g.status IN ('open', 'in_progress') THEN 0 ELSE 1 END, "
    "CASE WHEN g.status IN ('open', 'in_progress') THEN g.due_on ELSE '' END, g.decided_on DESC, g.id DESC";

DecisionRow decision_of(const Row& r, const Date& today) {
    DecisionRow out;
    out.id = r.i64(0);
    out.committee_id = r.i64(1);
    out.committee_fr = r.str(2);
    out.committee_en = r.str(3);
    out.reference = r.str(4);
    out.decided_on = r.str(5);
    out.decision = r.str(6);
    out.decided_by = r.str(7);
    out.owner_id = r.i64(8);
    out.owner_fr = r.str(9);
    out.owner_en = r.str(10);
    out.owner_person = r.str(11);
    out.due_on = r.str(12);
    out.status = d::parse_decision_status(r.str(13)).value_or(d::DecisionStatus::open);
    const auto due = parse_date(out.due_on);
    out.overdue = due && d::decision_overdue(out.status, *due, today);
    out.meeting_id = r.i64(14);
    out.meeting_on = r.str(15);
    return out;
}

std::vector<DecisionRow> decisions_where(Tx& tx, const std::string& where, const Params& params, const Date& today) {
    std::vector<DecisionRow> out;
    for (const auto& r : tx.query(std::string(decision_select) + where + decision_order, params))
        out.push_back(decision_of(r, today));
    return out;
}

// The committee's members, current first (the area's agency first, then by name), then past;
// only the current ones when `current_only`.
std::vector<CommitteeMemberRow> members_of(Tx& tx, std::int64_t committee, bool current_only) {
    std::vector<CommitteeMemberRow> out;
    for (const auto& r :
         tx.query(std::string("SELECT m.organisation_id, o.name_fr, o.name_en, "
                              "CASE WHEN EXISTS (SELECT 1 FROM organisation_csp_roles c WHERE c.organisation_id = o.id "
                              "AND c.csp_role = 'coordinating_agency') THEN 1 ELSE 0 END, "
                              "m.representative, m.title, m.email, m.joined_on, m.left_on, "
                              "CASE WHEN EXISTS (SELECT 1 FROM memberships s JOIN users u ON u.id = s.user_id WHERE "
                              "s.organisation_id = o.id AND s.active = 1 AND u.active = 1 AND s.role IN "
                              "('provider_manager', 'ca_admin')) THEN 1 ELSE 0 END "
                              "FROM committee_members m JOIN organisations o ON o.id = m.organisation_id "
                              "WHERE m.committee_id = ?") +
                      (current_only ? " AND m.left_on = ''" : "") +
                      " ORDER BY CASE WHEN m.left_on = '' THEN 0 ELSE 1 END, 4 DESC, o.name_en, o.id",
                  {committee}))
        out.push_back(
            {r.i64(0), r.str(1), r.str(2), r.boolean(3), r.boolean(9), r.str(4), r.str(5), r.str(6), r.str(7), r.str(8)});
    return out;
}

std::vector<GovernanceEventRow> events_of(Tx& tx, const LifecycleTables& where, std::int64_t id) {
    std::vector<GovernanceEventRow> out;
    for (const auto& r : tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM " +
                                      std::string(where.events_table) + " e LEFT JOIN users u ON u.id = e.user_id WHERE e." +
                                      std::string(where.record_column) + " = ? ORDER BY e.id",
                                  {id}))
        out.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)});
    return out;
}

bool current_member(Tx& tx, std::int64_t committee, std::int64_t organisation) {
    return tx
        .query_one("SELECT 1 FROM committee_members WHERE committee_id = ? AND organisation_id = ? AND left_on = ''",
                   {committee, organisation})
        .has_value();
}

d::YearlyReportFacts report_facts(Tx& tx, std::int64_t committee, std::int64_t report) {
    d::YearlyReportFacts f;
    f.has_members =
        tx.query_one("SELECT 1 FROM committee_members WHERE committee_id = ? AND left_on = ''", {committee}).has_value();
    // A signature counts only for the text circulated now (its digest).
    const auto sig = tx.query_one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN s.signed_at = '' OR s.digest <> r.digest THEN 1 ELSE 0 END), 0) FROM "
        "yearly_report_signatures s JOIN yearly_reports r ON r.id = s.report_id WHERE s.report_id = ?",
        {report});
    f.all_signed = sig && sig->i64(0) > 0 && sig->i64(1) == 0;
    return f;
}

// The year's figures as the log has them now: meetings of the year held, decisions of the year
// and where they stand, the current members.
d::YearlyReportFigures count_figures(Tx& tx, std::int64_t committee, int year) {
    const std::string from = std::to_string(year) + "-01-01", to = std::to_string(year) + "-12-31";
    d::YearlyReportFigures f;
    f.members = static_cast<int>(
        tx.query_one("SELECT COUNT(*) FROM committee_members WHERE committee_id = ? AND left_on = ''", {committee})->i64(0));
    f.meetings_held = static_cast<int>(tx.query_one("SELECT COUNT(*) FROM committee_meetings WHERE committee_id = ? AND "
                                                    "status IN ('held', 'minutes_approved') AND held_on >= ? AND held_on <= ?",
                                                    {committee, from, to})
                                           ->i64(0));
    const auto decisions = tx.query_one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN status IN ('open', 'in_progress') THEN 1 ELSE 0 END), 0) FROM governance_decisions "
        "WHERE committee_id = ? AND decided_on >= ? AND decided_on <= ?",
        {committee, from, to});
    f.decisions_made = static_cast<int>(decisions->i64(0));
    f.decisions_done = static_cast<int>(decisions->i64(1));
    f.decisions_open = static_cast<int>(decisions->i64(2));
    return f;
}

std::int64_t as_int(int n) {
    return static_cast<std::int64_t>(n);
}

}  // namespace

// ---------------------------------------------------------------- access

bool GovernanceRepo::may_manage() const {
    return static_cast<bool>(admin_area());
}

Result<std::int64_t> GovernanceRepo::admin_area() const {
    if (!ctx_.actor || ctx_.actor->role != d::Role::ca_admin) return Error::forbidden();
    const auto sda = ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx_.actor->organisation_id});
    if (!sda) return Error::forbidden();
    return sda->i64(0);
}

Result<void> GovernanceRepo::managed(std::int64_t committee) const {
    auto area = admin_area();
    if (!area) return area.error();
    if (!ctx_.tx.query_one("SELECT 1 FROM committees WHERE id = ? AND sda_id = ?", {committee, *area})) return Error::not_found();
    return {};
}

Result<Row> GovernanceRepo::readable(std::int64_t committee, bool& manager) const {
    if (!ctx_.actor) return Error::forbidden();
    const std::string today = date_of(ctx_.clock.now()).iso();
    std::optional<Row> row;
    manager = false;
    switch (ctx_.actor->role) {
        case d::Role::ca_admin: {
            auto area = admin_area();
            if (!area) return area.error();
            row = ctx_.tx.query_one(std::string(committee_select) + "WHERE c.id = ? AND c.sda_id = ?",
                                    {today, today, committee, *area});
            manager = true;
            break;
        }
        case d::Role::provider_manager:
            // A former member still reads what it took part in.
            row = ctx_.tx.query_one(std::string(committee_select) +
                                        "WHERE c.id = ? AND EXISTS (SELECT 1 FROM committee_members x WHERE x.committee_id = "
                                        "c.id AND x.organisation_id = ?)",
                                    {today, today, committee, ctx_.actor->organisation_id});
            break;
        case d::Role::ministry_analyst:
            row = ctx_.tx.query_one(std::string(committee_select) + "WHERE c.id = ?", {today, today, committee});
            break;
        default:
            return Error::forbidden();
    }
    if (!row) return Error::not_found();
    return std::move(*row);
}

// ---------------------------------------------------------------- committees

Result<std::vector<CommitteeSummary>> GovernanceRepo::committees() const {
    if (!ctx_.actor) return Error::forbidden();
    const std::string today = date_of(ctx_.clock.now()).iso();
    std::string where;
    Params params{today, today};
    switch (ctx_.actor->role) {
        case d::Role::ca_admin: {
            auto area = admin_area();
            if (!area) return area.error();
            where = "WHERE c.sda_id = ?";
            params.emplace_back(*area);
            break;
        }
        case d::Role::provider_manager:
            where = "WHERE EXISTS (SELECT 1 FROM committee_members x WHERE x.committee_id = c.id AND x.organisation_id = ?)";
            params.emplace_back(ctx_.actor->organisation_id);
            break;
        case d::Role::ministry_analyst:
            break;
        default:
            return Error::forbidden();
    }
    std::vector<CommitteeSummary> out;
    for (const auto& r :
         ctx_.tx.query(std::string(committee_select) + where + " ORDER BY s.name_en, c.sda_id, c.name_en, c.id", params))
        out.push_back(summary_of(r));
    return out;
}

Result<std::int64_t> GovernanceRepo::create_committee(const d::CommitteeForm& form) {
    auto area = admin_area();
    if (!area) return area.error();
    d::Committee c;
    if (auto e = d::validate(form, c); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    const auto row = ctx_.tx.query_one(
        "INSERT INTO committees (sda_id, name_fr, name_en, kind, mandate, created_at, created_by, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*area, c.name_fr, c.name_en, std::string(d::code(c.kind)), c.mandate, now, ctx_.actor->user_id, now,
         ctx_.actor->user_id});
    return row->i64(0);
}

Result<CommitteeRecord> GovernanceRepo::committee(std::int64_t id) const {
    bool manager = false;
    auto row = readable(id, manager);
    if (!row) return row.error();
    const Date today = date_of(ctx_.clock.now());
    CommitteeRecord out;
    out.summary = summary_of(*row);
    out.mandate = row->str(7);
    out.members = members_of(ctx_.tx, id, false);
    for (const auto& r : ctx_.tx.query("SELECT x.id, x.held_on, x.location, x.status, (SELECT COUNT(*) FROM "
                                       "governance_decisions g WHERE g.meeting_id = x.id) FROM committee_meetings x WHERE "
                                       "x.committee_id = ? ORDER BY x.held_on DESC, x.id DESC",
                                       {id}))
        out.meetings.push_back({r.i64(0), r.str(1), r.str(2),
                                d::parse_meeting_status(r.str(3)).value_or(d::MeetingStatus::scheduled),
                                static_cast<int>(r.i64(4))});
    out.decisions = decisions_where(ctx_.tx, "WHERE g.committee_id = ?", {id}, today);
    for (const auto& r : ctx_.tx.query("SELECT r.id, r.year, r.status, (SELECT COUNT(*) FROM yearly_report_signatures s "
                                       "WHERE s.report_id = r.id AND s.signed_at <> ''), (SELECT COUNT(*) FROM "
                                       "yearly_report_signatures s WHERE s.report_id = r.id) FROM yearly_reports r WHERE "
                                       "r.committee_id = ? ORDER BY r.year DESC, r.id DESC",
                                       {id}))
        out.reports.push_back({r.i64(0), static_cast<int>(r.i64(1)),
                               d::parse_yearly_report_status(r.str(2)).value_or(d::YearlyReportStatus::draft),
                               static_cast<int>(r.i64(3)), static_cast<int>(r.i64(4))});
    out.may_manage = manager;
    return out;
}

Result<std::vector<GovernanceOrganisation>> GovernanceRepo::organisation_choices() const {
    auto area = admin_area();
    if (!area) return area.error();
    std::vector<GovernanceOrganisation> out;
    for (const auto& r : ctx_.tx.query("SELECT id, name_fr, name_en FROM organisations WHERE active = 1 AND sda_id = ? "
                                       "ORDER BY name_en, id",
                                       {*area}))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

// ---------------------------------------------------------------- members

Result<void> GovernanceRepo::set_member(std::int64_t committee, const d::CommitteeMemberForm& form) {
    auto area = admin_area();
    if (!area) return area.error();
    if (!ctx_.tx.query_one("SELECT 1 FROM committees WHERE id = ? AND sda_id = ?", {committee, *area})) return Error::not_found();
    d::CommitteeMember m;
    if (auto e = d::validate(form, m); !e.empty()) return Error::invalid(std::move(e));
    const auto org = ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ? AND active = 1", {m.organisation});
    if (!org) return Error::invalid_field("organisation", "field.choose_from_list");
    // Another area's organisation would read this area's committee while its own agency never
    // sees it: an area's governance is between its own organisations.
    if (org->i64(0) != *area) return Error::invalid_field("organisation", "governance.member_other_area");
    const std::string now = format_iso(ctx_.clock.now());
    const std::string today = date_of(ctx_.clock.now()).iso();
    const std::string email = m.email.value_or("");
    // The committee's row first: on PostgreSQL it is ours until the end of the transaction, so a
    // member added, changed or ended and a report circulated one after the other, never
    // interleaved (two requests adding the same organisation, a report asking a member who left).
    ctx_.tx.exec("UPDATE committees SET updated_at = ?, updated_by = ? WHERE id = ?", {now, ctx_.actor->user_id, committee});
    const auto existing = ctx_.tx.query_one(
        "SELECT left_on FROM committee_members WHERE committee_id = ? AND organisation_id = ?", {committee, m.organisation});
    if (!existing) {
        ctx_.tx.exec(
            "INSERT INTO committee_members (committee_id, organisation_id, representative, title, email, joined_on, left_on) "
            "VALUES (?, ?, ?, ?, ?, ?, '')",
            {committee, m.organisation, m.representative, m.title, email, today});
    } else if (existing->str(0).empty()) {
        ctx_.tx.exec(
            "UPDATE committee_members SET representative = ?, title = ?, email = ? WHERE committee_id = ? AND "
            "organisation_id = ?",
            {m.representative, m.title, email, committee, m.organisation});
    } else {
        // A former member rejoining: one row per organisation, its membership counted from today.
        ctx_.tx.exec(
            "UPDATE committee_members SET representative = ?, title = ?, email = ?, joined_on = ?, left_on = '' WHERE "
            "committee_id = ? AND organisation_id = ?",
            {m.representative, m.title, email, today, committee, m.organisation});
    }
    return {};
}

Result<void> GovernanceRepo::end_member(std::int64_t committee, std::int64_t organisation) {
    if (auto ok = managed(committee); !ok) return ok.error();
    const std::string now = format_iso(ctx_.clock.now());
    if (!current_member(ctx_.tx, committee, organisation)) return Error::not_found();
    // The committee's row first (see set_member); then the membership, still current (ended
    // meanwhile by another request: not found).
    ctx_.tx.exec("UPDATE committees SET updated_at = ?, updated_by = ? WHERE id = ?", {now, ctx_.actor->user_id, committee});
    if (ctx_.tx.exec("UPDATE committee_members SET left_on = ? WHERE committee_id = ? AND organisation_id = ? AND left_on = ''",
                     {date_of(ctx_.clock.now()).iso(), committee, organisation}) != 1)
        return Error::not_found();
    return {};
}

Result<std::vector<GovernanceOrganisation>> GovernanceRepo::member_choices(std::int64_t committee) const {
    if (auto ok = managed(committee); !ok) return ok.error();
    std::vector<GovernanceOrganisation> out;
    for (const auto& m : members_of(ctx_.tx, committee, true)) out.push_back({m.organisation_id, m.name_fr, m.name_en});
    return out;
}

// ---------------------------------------------------------------- meetings

Result<std::int64_t> GovernanceRepo::schedule_meeting(std::int64_t committee, const d::CommitteeMeetingForm& form) {
    if (auto ok = managed(committee); !ok) return ok.error();
    d::CommitteeMeeting m;
    if (auto e = d::validate(form, m); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    const auto row = ctx_.tx.query_one(
        "INSERT INTO committee_meetings (committee_id, held_on, location, agenda, minutes, status, created_at, created_by, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, '', 'scheduled', ?, ?, ?, ?) RETURNING id",
        {committee, m.held_on.iso(), m.location, m.agenda, now, ctx_.actor->user_id, now, ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    ctx_.tx.exec(
        "INSERT INTO meeting_events (meeting_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'record', 'scheduled', '')",
        {id, now, ctx_.actor->user_id});
    return id;
}

Result<MeetingRecord> GovernanceRepo::meeting(std::int64_t committee, std::int64_t meeting) const {
    bool manager = false;
    auto c = readable(committee, manager);
    if (!c) return c.error();
    const auto row = ctx_.tx.query_one(
        "SELECT x.id, x.held_on, x.location, x.status, (SELECT COUNT(*) FROM governance_decisions g WHERE g.meeting_id = x.id), "
        "x.agenda, x.minutes FROM committee_meetings x WHERE x.id = ? AND x.committee_id = ?",
        {meeting, committee});
    if (!row) return Error::not_found();
    const Date today = date_of(ctx_.clock.now());
    MeetingRecord out;
    out.committee_id = committee;
    out.committee_fr = c->str(4);
    out.committee_en = c->str(5);
    out.meeting = {row->i64(0), row->str(1), row->str(2),
                   d::parse_meeting_status(row->str(3)).value_or(d::MeetingStatus::scheduled), static_cast<int>(row->i64(4))};
    out.agenda = row->str(5);
    out.minutes = row->str(6);
    for (const auto& r :
         ctx_.tx.query("SELECT organisation_id FROM meeting_attendance WHERE meeting_id = ? ORDER BY organisation_id", {meeting}))
        out.present.push_back(r.i64(0));
    out.members = members_of(ctx_.tx, committee, true);
    out.decisions = decisions_where(ctx_.tx, "WHERE g.meeting_id = ?", {meeting}, today);
    out.events = events_of(ctx_.tx, meeting_tables, meeting);
    const auto held_on = parse_date(out.meeting.held_on);
    const auto facts = held_on ? d::meeting_facts(*held_on, today) : d::MeetingFacts{};
    out.available = d::meeting_lifecycle().available(
        out.meeting.status, manager ? d::Relationship::coordinating_agency : d::Relationship::none, facts);
    out.may_log_decision =
        manager && (out.meeting.status == d::MeetingStatus::held || out.meeting.status == d::MeetingStatus::minutes_approved);
    return out;
}

Result<d::MeetingStatus> GovernanceRepo::fire_meeting(std::int64_t committee, std::int64_t meeting, d::MeetingEvent event,
                                                      const d::MinutesForm& minutes, const std::string& note) {
    if (auto ok = managed(committee); !ok) return ok.error();
    const auto row = ctx_.tx.query_one("SELECT status, held_on FROM committee_meetings WHERE id = ? AND committee_id = ?",
                                       {meeting, committee});
    if (!row) return Error::not_found();
    const auto from = d::parse_meeting_status(row->str(0));
    const auto held_on = parse_date(row->str(1));
    if (!from || !held_on) return Error::internal();
    const Date today = date_of(ctx_.clock.now());
    std::vector<FieldError> errors;
    std::string reason;
    d::long_text(errors, "note", note, max_move_note_length, false, reason);
    std::vector<std::pair<std::string_view, Value>> also;
    d::Minutes m;
    if (event == d::MeetingEvent::hold) {
        for (auto& e : d::validate(minutes, m)) errors.push_back(std::move(e));
        // Members now, or until the meeting's day at least (the minutes of a past meeting may name
        // one that left since; one added since the meeting may have sat at it before it joined the
        // list, as when an agency records its committee's past meetings).
        for (auto org : m.present) {
            if (!ctx_.tx.query_one("SELECT 1 FROM committee_members WHERE committee_id = ? AND organisation_id = ? AND "
                                   "(left_on = '' OR left_on >= ?)",
                                   {committee, org, held_on->iso()})) {
                errors.push_back({"present", "field.choose_from_list", {}});
                break;
            }
        }
        also.emplace_back("minutes", m.minutes);
    }
    // The table's refusal comes first: a form's errors mean nothing for a move not allowed.
    const auto facts = d::meeting_facts(*held_on, today);
    if (auto allowed = d::meeting_lifecycle().fire(*from, event, d::Relationship::coordinating_agency, facts); !allowed)
        return allowed.error();
    if (!errors.empty()) return Error::invalid(std::move(errors));
    also.emplace_back("updated_by", ctx_.actor->user_id);
    auto moved =
        fire_transition(ctx_.tx, ctx_.clock, meeting_tables, d::meeting_lifecycle(), meeting, *from, event,
                        d::Relationship::coordinating_agency, facts, ctx_.actor->user_id, std::move(reason), std::move(also));
    // The attendance goes with the minutes, once the status is ours.
    if (moved && event == d::MeetingEvent::hold)
        for (auto org : m.present)
            ctx_.tx.exec("INSERT INTO meeting_attendance (meeting_id, organisation_id) VALUES (?, ?)", {meeting, org});
    return moved;
}

// ---------------------------------------------------------------- decisions

Result<std::int64_t> GovernanceRepo::log_decision(std::int64_t committee, const d::DecisionLogForm& form) {
    if (auto ok = managed(committee); !ok) return ok.error();
    d::LoggedDecision dec;
    if (auto e = d::validate(form, date_of(ctx_.clock.now()), dec); !e.empty()) return Error::invalid(std::move(e));
    std::vector<FieldError> errors;
    // Taken at one of this committee's meetings, once it was held.
    if (dec.meeting) {
        const auto at = ctx_.tx.query_one(
            "SELECT held_on FROM committee_meetings WHERE id = ? AND committee_id = ? AND status IN ('held', 'minutes_approved')",
            {*dec.meeting, committee});
        if (!at)
            errors.push_back({"meeting", "field.choose_from_list", {}});
        else if (at->str(0) != dec.decided_on.iso())  // counted in the year of the meeting it was taken at
            errors.push_back({"decided_on", "governance.decision_meeting_day", {at->str(0)}});
    }
    // Followed up by a member at the table: only a member answers for it there.
    if (!current_member(ctx_.tx, committee, dec.owner)) errors.push_back({"owner", "governance.owner_not_member", {}});
    if (!errors.empty()) return Error::invalid(std::move(errors));
    // References number the decisions of the year: "DEC-2026-0004".
    ctx_.tx.lock("governance_decisions");
    const std::string now = format_iso(ctx_.clock.now());
    const std::string year = now.substr(0, 4);
    const auto n = ctx_.tx
                       .query_one(
                           "SELECT COALESCE(MAX(CAST(substr(reference, 10) AS INTEGER)), 0) FROM governance_decisions WHERE "
                           "reference LIKE ?",
                           {"DEC-" + year + "-%"})
                       ->i64(0);
    std::string seq = std::to_string(n + 1);
    if (seq.size() < 4) seq.insert(0, 4 - seq.size(), '0');
    const auto row = ctx_.tx.query_one(
        "INSERT INTO governance_decisions (committee_id, meeting_id, reference, decided_on, decision, decided_by, "
        "owner_organisation_id, owner_person, due_on, status, created_at, created_by, updated_at, updated_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
        {committee, opt(dec.meeting), "DEC-" + year + "-" + seq, dec.decided_on.iso(), dec.decision, dec.decided_by, dec.owner,
         dec.owner_person, dec.due_on.iso(), now, ctx_.actor->user_id, now, ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    ctx_.tx.exec(
        "INSERT INTO decision_events (decision_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'record', 'open', '')",
        {id, now, ctx_.actor->user_id});
    return id;
}

namespace {

// The reader's standing towards a decision: the area's agency, the team of the organisation
// carrying it out, or none.
d::Relationship decision_relationship(const d::Actor& actor, bool manager, std::int64_t owner) {
    if (manager) return d::Relationship::coordinating_agency;
    if (actor.role == d::Role::provider_manager && actor.organisation_id == owner) return d::Relationship::team_member;
    return d::Relationship::none;
}

}  // namespace

Result<DecisionRecord> GovernanceRepo::decision(std::int64_t committee, std::int64_t decision) const {
    bool manager = false;
    if (auto c = readable(committee, manager); !c) return c.error();
    const Date today = date_of(ctx_.clock.now());
    auto rows = decisions_where(ctx_.tx, "WHERE g.id = ? AND g.committee_id = ?", {decision, committee}, today);
    if (rows.empty()) return Error::not_found();
    DecisionRecord out;
    out.row = std::move(rows.front());
    out.events = events_of(ctx_.tx, decision_tables, decision);
    const auto who = decision_relationship(*ctx_.actor, manager, out.row.owner_id);
    out.available = d::decision_lifecycle().available(out.row.status, who, {});
    out.may_follow_up = who != d::Relationship::none && d::decision_pending(out.row.status);
    return out;
}

Result<d::DecisionStatus> GovernanceRepo::fire_decision(std::int64_t committee, std::int64_t decision, d::DecisionEvent event,
                                                        const std::string& note) {
    bool manager = false;
    if (auto c = readable(committee, manager); !c) return c.error();
    const auto row =
        ctx_.tx.query_one("SELECT status, owner_organisation_id FROM governance_decisions WHERE id = ? AND committee_id = ?",
                          {decision, committee});
    if (!row) return Error::not_found();
    const auto from = d::parse_decision_status(row->str(0));
    if (!from) return Error::internal();
    const auto who = decision_relationship(*ctx_.actor, manager, row->i64(1));
    if (who == d::Relationship::none) return Error::forbidden();
    std::vector<FieldError> errors;
    std::string reason;
    d::long_text(errors, "note", note, d::max_decision_text_length, d::decision_note_required(event), reason);
    if (auto allowed = d::decision_lifecycle().fire(*from, event, who, {}); !allowed) return allowed.error();
    if (!errors.empty()) return Error::invalid(std::move(errors));
    return fire_transition(ctx_.tx, ctx_.clock, decision_tables, d::decision_lifecycle(), decision, *from, event, who,
                           std::monostate{}, ctx_.actor->user_id, std::move(reason),
                           {{"updated_by", Value{ctx_.actor->user_id}}});
}

Result<void> GovernanceRepo::follow_up(std::int64_t committee, std::int64_t decision, const std::string& note) {
    bool manager = false;
    if (auto c = readable(committee, manager); !c) return c.error();
    const auto row =
        ctx_.tx.query_one("SELECT status, owner_organisation_id FROM governance_decisions WHERE id = ? AND committee_id = ?",
                          {decision, committee});
    if (!row) return Error::not_found();
    const auto status = d::parse_decision_status(row->str(0));
    if (!status) return Error::internal();
    if (decision_relationship(*ctx_.actor, manager, row->i64(1)) == d::Relationship::none) return Error::forbidden();
    if (!d::decision_pending(*status)) return Error::conflict("governance.decision_closed");
    std::vector<FieldError> errors;
    std::string text;
    d::long_text(errors, "note", note, d::max_decision_text_length, true, text);
    if (!errors.empty()) return Error::invalid(std::move(errors));
    const std::string now = format_iso(ctx_.clock.now());
    // Still in the status read (closed meanwhile by another request: refused).
    if (ctx_.tx.exec("UPDATE governance_decisions SET updated_at = ?, updated_by = ? WHERE id = ? AND status = ?",
                     {now, ctx_.actor->user_id, decision, row->str(0)}) != 1)
        return Error::conflict("governance.decision_closed");
    ctx_.tx.exec(
        "INSERT INTO decision_events (decision_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'follow_up', ?, ?)",
        {decision, now, ctx_.actor->user_id, row->str(0), text});
    return {};
}

Result<std::vector<DecisionRow>> GovernanceRepo::decisions(const d::DecisionLogQuery& query) const {
    if (!ctx_.actor) return Error::forbidden();
    d::DecisionLogFilter f;
    if (auto e = d::validate(query, f); !e.empty()) return Error::invalid(std::move(e));
    const Date today = date_of(ctx_.clock.now());
    std::string where = "WHERE 1 = 1";
    Params params;
    switch (ctx_.actor->role) {
        case d::Role::ca_admin: {
            auto area = admin_area();
            if (!area) return area.error();
            where += " AND c.sda_id = ?";
            params.emplace_back(*area);
            break;
        }
        case d::Role::provider_manager:
            where += " AND EXISTS (SELECT 1 FROM committee_members y WHERE y.committee_id = c.id AND y.organisation_id = ?)";
            params.emplace_back(ctx_.actor->organisation_id);
            break;
        case d::Role::ministry_analyst:
            break;
        default:
            return Error::forbidden();
    }
    if (f.committee) where += " AND g.committee_id = ?", params.emplace_back(*f.committee);
    if (f.status) where += " AND g.status = ?", params.emplace_back(std::string(d::code(*f.status)));
    if (f.owner) where += " AND g.owner_organisation_id = ?", params.emplace_back(*f.owner);
    if (f.overdue_only) {
        where += " AND g.status IN ('open', 'in_progress') AND g.due_on < ?";
        params.emplace_back(today.iso());
    }
    if (f.due_soon) {
        where += " AND g.status IN ('open', 'in_progress') AND g.due_on <= ?";
        params.emplace_back(add_days(today, d::decision_soon_days).iso());
    }
    return decisions_where(ctx_.tx, where, params, today);
}

// ---------------------------------------------------------------- yearly reports

Result<std::int64_t> GovernanceRepo::start_report(std::int64_t committee, const d::YearlyReportForm& form) {
    if (auto ok = managed(committee); !ok) return ok.error();
    d::YearlyReportBody body;
    if (auto e = d::validate(form, date_of(ctx_.clock.now()), body); !e.empty()) return Error::invalid(std::move(e));
    // One report per committee and year: checked under the lock, so two starts do not race to
    // the unique constraint.
    ctx_.tx.lock("yearly_reports");
    if (ctx_.tx.query_one("SELECT 1 FROM yearly_reports WHERE committee_id = ? AND year = ?", {committee, as_int(body.year)}))
        return Error::conflict("governance.report_exists");
    const std::string now = format_iso(ctx_.clock.now());
    const auto row = ctx_.tx.query_one(
        "INSERT INTO yearly_reports (committee_id, year, activities, achievements, challenges, priorities, status, version, "
        "created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, 'draft', 1, ?, ?, ?, ?) RETURNING id",
        {committee, as_int(body.year), body.activities, body.achievements, body.challenges, body.priorities, now,
         ctx_.actor->user_id, now, ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    ctx_.tx.exec(
        "INSERT INTO yearly_report_events (report_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'record', 'draft', "
        "'')",
        {id, now, ctx_.actor->user_id});
    return id;
}

Result<YearlyReportRecord> GovernanceRepo::report(std::int64_t committee, std::int64_t report) const {
    bool manager = false;
    auto c = readable(committee, manager);
    if (!c) return c.error();
    const auto row = ctx_.tx.query_one(
        "SELECT year, activities, achievements, challenges, priorities, members, meetings_held, decisions_made, "
        "decisions_done, decisions_open, digest, status, version FROM yearly_reports WHERE id = ? AND committee_id = ?",
        {report, committee});
    if (!row) return Error::not_found();
    YearlyReportRecord out;
    out.committee_id = committee;
    out.committee_fr = c->str(4);
    out.committee_en = c->str(5);
    out.id = report;
    out.body = {static_cast<int>(row->i64(0)), row->str(1), row->str(2), row->str(3), row->str(4)};
    out.figures = {static_cast<int>(row->i64(5)), static_cast<int>(row->i64(6)), static_cast<int>(row->i64(7)),
                   static_cast<int>(row->i64(8)), static_cast<int>(row->i64(9))};
    out.digest = row->str(10);
    out.status = d::parse_yearly_report_status(row->str(11)).value_or(d::YearlyReportStatus::draft);
    out.version = static_cast<int>(row->i64(12));
    bool own_unsigned = false;
    for (const auto& r : ctx_.tx.query("SELECT s.organisation_id, o.name_fr, o.name_en, s.signed_at, "
                                       "COALESCE(u.display_name, '') FROM yearly_report_signatures s JOIN organisations o ON "
                                       "o.id = s.organisation_id LEFT JOIN users u ON u.id = s.user_id WHERE s.report_id = ? "
                                       "ORDER BY o.name_en, o.id",
                                       {report})) {
        SignatureRow s{r.i64(0), r.str(1), r.str(2), !r.str(3).empty(), r.str(4), r.str(3)};
        if (!s.is_signed && s.organisation_id == ctx_.actor->organisation_id) own_unsigned = true;
        out.signatures.push_back(std::move(s));
    }
    out.events = events_of(ctx_.tx, report_tables, report);
    if (manager)
        out.available = d::yearly_report_lifecycle().available(out.status, d::Relationship::coordinating_agency,
                                                               report_facts(ctx_.tx, committee, report));
    out.may_edit = manager && out.status == d::YearlyReportStatus::draft;
    const bool signer = ctx_.actor->role == d::Role::provider_manager || ctx_.actor->role == d::Role::ca_admin;
    out.may_sign = signer && own_unsigned && out.status == d::YearlyReportStatus::circulating;
    return out;
}

Result<void> GovernanceRepo::update_report(std::int64_t committee, std::int64_t report, int version,
                                           const d::YearlyReportForm& form) {
    if (auto ok = managed(committee); !ok) return ok.error();
    const auto row =
        ctx_.tx.query_one("SELECT status, year FROM yearly_reports WHERE id = ? AND committee_id = ?", {report, committee});
    if (!row) return Error::not_found();
    if (row->str(0) != d::code(d::YearlyReportStatus::draft)) return Error::conflict("governance.report_frozen");
    // The year stays the one the report was started for.
    auto kept = form;
    kept.year = std::to_string(row->i64(1));
    d::YearlyReportBody body;
    if (auto e = d::validate(kept, date_of(ctx_.clock.now()), body); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    if (ctx_.tx.exec("UPDATE yearly_reports SET activities = ?, achievements = ?, challenges = ?, priorities = ?, version = "
                     "version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ? AND status = 'draft'",
                     {body.activities, body.achievements, body.challenges, body.priorities, now, ctx_.actor->user_id, report,
                      as_int(version)}) != 1) {
        // Circulated since the form was shown, or changed by someone else.
        const auto now_status = ctx_.tx.query_one("SELECT status FROM yearly_reports WHERE id = ?", {report});
        if (now_status && now_status->str(0) != d::code(d::YearlyReportStatus::draft))
            return Error::conflict("governance.report_frozen");
        return Error::conflict("governance.changed_meanwhile");
    }
    return {};
}

Result<d::YearlyReportStatus> GovernanceRepo::fire_report(std::int64_t committee, std::int64_t report, d::YearlyReportEvent event,
                                                          const std::string& note) {
    if (auto ok = managed(committee); !ok) return ok.error();
    const auto row = ctx_.tx.query_one(
        "SELECT r.status, r.version, r.year, r.activities, r.achievements, r.challenges, r.priorities, c.name_fr, c.name_en "
        "FROM yearly_reports r JOIN committees c ON c.id = r.committee_id WHERE r.id = ? AND r.committee_id = ?",
        {report, committee});
    if (!row) return Error::not_found();
    const auto from = d::parse_yearly_report_status(row->str(0));
    if (!from) return Error::internal();
    std::vector<FieldError> errors;
    std::string reason;
    d::long_text(errors, "note", note, max_move_note_length, false, reason);
    // The members are read three times below (whether there is one, how many, who signs): the
    // committee's row first, so that no member is added or ended in between (see set_member).
    if (event == d::YearlyReportEvent::circulate)
        ctx_.tx.exec("UPDATE committees SET updated_at = updated_at WHERE id = ?", {committee});
    const auto facts = report_facts(ctx_.tx, committee, report);
    if (auto allowed = d::yearly_report_lifecycle().fire(*from, event, d::Relationship::coordinating_agency, facts); !allowed)
        return allowed.error();
    if (event == d::YearlyReportEvent::circulate)
        for (const auto& m : members_of(ctx_.tx, committee, true))
            if (!m.can_sign) return Error::conflict("governance.member_cannot_sign");
    if (!errors.empty()) return Error::invalid(std::move(errors));
    const std::string now = format_iso(ctx_.clock.now());
    // Circulating or reopening changes what an open edit form was shown: the version moves on,
    // here first, so that the text read is the text circulated (a change saved meanwhile is
    // refused and, on PostgreSQL, the row is ours until the transaction ends).
    if (event != d::YearlyReportEvent::submit &&
        ctx_.tx.exec("UPDATE yearly_reports SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND "
                     "version = ? AND status = ?",
                     {now, ctx_.actor->user_id, report, row->i64(1), row->str(0)}) != 1)
        return Error::conflict("governance.changed_meanwhile");
    std::vector<std::pair<std::string_view, Value>> also;
    if (event == d::YearlyReportEvent::circulate) {
        const d::YearlyReportBody body{static_cast<int>(row->i64(2)), row->str(3), row->str(4), row->str(5), row->str(6)};
        const auto figures = count_figures(ctx_.tx, committee, body.year);
        also.emplace_back("members", as_int(figures.members));
        also.emplace_back("meetings_held", as_int(figures.meetings_held));
        also.emplace_back("decisions_made", as_int(figures.decisions_made));
        also.emplace_back("decisions_done", as_int(figures.decisions_done));
        also.emplace_back("decisions_open", as_int(figures.decisions_open));
        also.emplace_back("digest", hash_token(d::yearly_report_canonical(row->str(7), row->str(8), body, figures)));
    } else if (event == d::YearlyReportEvent::reopen) {
        // Back to a draft: what was counted and signed no longer stands.
        for (auto column : {"members", "meetings_held", "decisions_made", "decisions_done", "decisions_open"})
            also.emplace_back(column, std::int64_t{0});
        also.emplace_back("digest", std::string());
    }
    also.emplace_back("updated_by", ctx_.actor->user_id);
    auto moved =
        fire_transition(ctx_.tx, ctx_.clock, report_tables, d::yearly_report_lifecycle(), report, *from, event,
                        d::Relationship::coordinating_agency, facts, ctx_.actor->user_id, std::move(reason), std::move(also));
    if (!moved) return moved;
    if (event == d::YearlyReportEvent::circulate) {
        for (const auto& m : members_of(ctx_.tx, committee, true))
            ctx_.tx.exec(
                "INSERT INTO yearly_report_signatures (report_id, organisation_id, signed_at, digest) VALUES (?, ?, "
                "'', '')",
                {report, m.organisation_id});
    } else if (event == d::YearlyReportEvent::reopen) {
        ctx_.tx.exec("DELETE FROM yearly_report_signatures WHERE report_id = ?", {report});
    }
    return moved;
}

Result<void> GovernanceRepo::sign_report(std::int64_t committee, std::int64_t report, const std::string& digest) {
    if (!ctx_.actor || (ctx_.actor->role != d::Role::provider_manager && ctx_.actor->role != d::Role::ca_admin))
        return Error::forbidden();
    bool manager = false;
    if (auto c = readable(committee, manager); !c) return c.error();
    const auto row =
        ctx_.tx.query_one("SELECT status, digest FROM yearly_reports WHERE id = ? AND committee_id = ?", {report, committee});
    if (!row) return Error::not_found();
    const std::int64_t org = ctx_.actor->organisation_id;
    const auto sig = ctx_.tx.query_one(
        "SELECT signed_at FROM yearly_report_signatures WHERE report_id = ? AND organisation_id = ?", {report, org});
    // Not asked to sign (not a member when it was circulated, or not circulated).
    if (!sig) return Error::forbidden();
    if (!sig->str(0).empty()) return Error::conflict("governance.already_signed");
    if (row->str(0) != d::code(d::YearlyReportStatus::circulating)) return Error::conflict("lifecycle.not_from_state");
    if (digest != row->str(1)) return Error::conflict("governance.report_changed");
    const std::string now = format_iso(ctx_.clock.now());
    // The text signed is still the one circulated, and nobody signed for the organisation meanwhile.
    if (ctx_.tx.exec("UPDATE yearly_report_signatures SET signed_at = ?, user_id = ?, digest = ? WHERE report_id = ? AND "
                     "organisation_id = ? AND signed_at = '' AND EXISTS (SELECT 1 FROM yearly_reports r WHERE r.id = ? AND "
                     "r.status = 'circulating' AND r.digest = ?)",
                     {now, ctx_.actor->user_id, digest, report, org, report, digest}) != 1) {
        const auto again = ctx_.tx.query_one(
            "SELECT signed_at FROM yearly_report_signatures WHERE report_id = ? AND organisation_id = ?", {report, org});
        if (again && !again->str(0).empty()) return Error::conflict("governance.already_signed");
        return Error::conflict("governance.report_changed");
    }
    // The organisation signed for, in both languages (the history is read in either).
    const auto name = ctx_.tx.query_one("SELECT name_fr, name_en FROM organisations WHERE id = ?", {org});
    std::string signed_for;
    if (name) signed_for = name->str(0) == name->str(1) ? name->str(1) : name->str(0) + " / " + name->str(1);
    ctx_.tx.exec(
        "INSERT INTO yearly_report_events (report_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'sign', "
        "'circulating', ?)",
        {report, now, ctx_.actor->user_id, signed_for});
    return {};
}

// ---------------------------------------------------------------- reminders

int raise_governance_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                               bool email) {
    const Date today = date_of(clock.now());
    NotificationRepo notes(tx, clock, catalogue, public_base_url);
    int written = 0;
    // Decisions to follow up: pending and due within the window or past.
    const std::string horizon = add_days(today, d::decision_reminder_days).iso();
    for (const auto& r : tx.query("SELECT g.id, g.committee_id, g.reference, g.due_on, g.status, g.owner_organisation_id, "
                                  "c.sda_id, c.name_fr, c.name_en FROM governance_decisions g JOIN committees c ON c.id = "
                                  "g.committee_id WHERE g.status IN ('open', 'in_progress') AND g.due_on <= ? ORDER BY g.id",
                                  {horizon})) {
        const auto status = d::parse_decision_status(r.str(4));
        const auto due = parse_date(r.str(3));
        if (!status || !due || !d::decision_reminder_due(*status, *due, today)) continue;
        // The owner's managers, and the area's coordinating agency administrators.
        std::vector<std::int64_t> users = notes.managers_of(r.i64(5));
        for (const auto& u : tx.query("SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id AND "
                                      "u.active = 1 JOIN organisations o ON o.id = m.organisation_id AND o.active = 1 WHERE "
                                      "o.sda_id = ? AND m.active = 1 AND m.role = 'ca_admin' ORDER BY m.user_id",
                                      {r.i64(6)}))
            users.push_back(u.i64(0));
        std::sort(users.begin(), users.end());
        users.erase(std::unique(users.begin(), users.end()), users.end());
        const std::string id = std::to_string(r.i64(0)), reference = r.str(2);
        written += notes.notify(users, {d::NoticeKind::governance,
                                        reference,
                                        "/governance/" + std::to_string(r.i64(1)) + "/decisions/" + id,
                                        "governance.reminder.decision",
                                        {reference, r.str(7), due->iso()},
                                        {reference, r.str(8), due->iso()},
                                        "decision-due:" + id + ":" + due->iso(),
                                        email});
    }
    // Yearly reports awaiting a member's signature: to that member's managers.
    for (const auto& r : tx.query("SELECT y.id, y.committee_id, y.year, c.name_fr, c.name_en, s.organisation_id, y.digest FROM "
                                  "yearly_report_signatures s JOIN yearly_reports y ON y.id = s.report_id JOIN committees c ON "
                                  "c.id = y.committee_id WHERE y.status = 'circulating' AND s.signed_at = '' "
                                  "ORDER BY y.id, s.organisation_id")) {
        const std::string id = std::to_string(r.i64(0)), year = std::to_string(r.i64(2));
        written += notes.notify(notes.managers_of(r.i64(5)),
                                {d::NoticeKind::governance,
                                 year,
                                 "/governance/" + std::to_string(r.i64(1)) + "/reports/" + id,
                                 "governance.reminder.signature",
                                 {r.str(3), year},
                                 {r.str(4), year},
                                 // Per circulation: reopened and circulated again, asked again.
                                 "report-sign:" + id + ":" + std::to_string(r.i64(5)) + ":" + r.str(6).substr(0, 16),
                                 email});
    }
    return written;
}

}  // namespace arrimage::store
