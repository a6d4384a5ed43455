#include "features/plan/store/plan_repo.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "core/time.hpp"
#include "features/intake/store/intake_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

const LifecycleTables plan_tables{"plans", "plan_events", "plan_id"};
const LifecycleTables action_tables{"plan_actions", "plan_action_events", "action_id"};

// The sections' columns, in all_sections() order.
std::string section_columns(std::string_view prefix = "") {
    std::string out;
    for (auto s : d::all_sections()) out += (out.empty() ? "" : ", ") + std::string(prefix) + std::string(d::code(s));
    return out;
}
d::PlanSections sections_of(const Row& r, std::size_t first) {
    d::PlanSections out;
    for (auto s : d::all_sections()) d::text_of(out, s) = r.str(first++);
    return out;
}

d::PlanStatus status_of(const std::string& code, std::int64_t plan_id) {
    // A status the table does not know is corrupt data: an error, never a default.
    auto s = d::parse_plan_status(code);
    if (!s) throw std::runtime_error("plan " + std::to_string(plan_id) + " has an unknown status");
    return *s;
}

}  // namespace

PlanRepo::PlanRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {}

std::string PlanRepo::now() const {
    return format_iso(ctx_.clock.now());
}

std::optional<PlanRepo::Facts> PlanRepo::facts(std::int64_t person_id) {
    if (!ctx_.actor) return std::nullopt;
    auto file = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (!file) return std::nullopt;
    Facts f{std::move(*file), std::nullopt, d::PlanStatus::draft, 0};
    if (auto p = ctx_.tx.query_one("SELECT id, status, version FROM plans WHERE person_id = ?", {person_id})) {
        f.plan_id = p->i64(0);
        f.status = status_of(p->str(1), p->i64(0));
        f.version = static_cast<int>(p->i64(2));
    }
    return f;
}

// The agency works a file's intake under the referral purpose; the plan is coordination.
d::AccessRequest PlanRepo::request(const Facts& f, d::Action a) const {
    auto q = f.file.request(d::Category::plan, a);
    if (q.relationship == d::Relationship::coordinating_agency) q.purpose = d::Purpose::coordination;
    return q;
}

Result<PlanRepo::Facts> PlanRepo::allowed(std::int64_t person_id, d::Action a, bool family_write) {
    auto f = facts(person_id);
    if (!f) {
        // Nothing to decide about: a refusal without a relationship, on record.
        d::AccessRequest q;
        q.action = a;
        q.category = d::Category::plan;
        guard_.decide(q, {person_id});
        return guard_.refuse(d::Relationship::none);
    }
    // A family account writes nothing of the plan but its own (its signature, its notes): the
    // team's work is the team's (refused on record, whatever the policy would allow the family).
    if (f->file.family_access_id != 0 && !d::discloses_only(a) && !family_write) {
        return guard_.refuse_unserved(request(*f, a), {person_id});
    }
    const auto decision = guard_.decide(request(*f, a), {person_id});
    if (!decision.permitted()) return guard_.refuse(f->file.relationship);
    return std::move(*f);
}

// Starting the plan and moving its status are its keeper's: anyone else is refused on record
// (the lifecycle table would refuse them too, but leave no row).
Result<PlanRepo::Facts> PlanRepo::for_keeper(std::int64_t person_id, d::Action a) {
    auto f = facts(person_id);
    if (f && !d::is_plan_keeper(f->file.relationship)) {
        return guard_.refuse_unserved(request(*f, a), {person_id});
    }
    return allowed(person_id, a);
}

// The family's own writes are a family account's: staff writing as the family are refused on
// record (without a relationship at all, allowed() refuses as for anyone).
Result<PlanRepo::Facts> PlanRepo::for_family(std::int64_t person_id) {
    auto probe = facts(person_id);
    if (probe && probe->file.family_access_id == 0) {
        return guard_.refuse_unserved(request(*probe, d::Action::create), {person_id});
    }
    return allowed(person_id, d::Action::create, true);
}

Result<void> PlanRepo::editable(const Facts& f, bool closed_ok) const {
    if (!f.plan_id) return Error::conflict("plan.error.no_plan");
    if (f.status == d::PlanStatus::closed && !closed_ok) return Error::conflict("plan.error.closed");
    return {};
}

std::vector<d::Section> PlanRepo::withheld_sections(const Facts& f, d::Action a) {
    // One decision per category other than the plan's own (education, health, safety_risk).
    std::vector<d::Category> asked;
    std::vector<d::Category> refused;
    for (auto s : d::all_sections()) {
        const auto c = d::category_of(s);
        if (c == d::Category::plan || std::find(asked.begin(), asked.end(), c) != asked.end()) continue;
        asked.push_back(c);
        auto q = f.file.request(c, a);
        if (q.relationship == d::Relationship::coordinating_agency) q.purpose = d::Purpose::coordination;
        if (!guard_.decide(q, {f.file.person_id}).permitted()) refused.push_back(c);
    }
    std::vector<d::Section> out;
    for (auto s : d::all_sections())
        if (std::find(refused.begin(), refused.end(), d::category_of(s)) != refused.end()) out.push_back(s);
    return out;
}

bool PlanRepo::keeper_or_owner(const Facts& f, std::int64_t action_id) {
    if (d::is_plan_keeper(f.file.relationship)) return true;
    // The owner, or a member of the owning organisation who is on the file's team now.
    return ctx_.tx
        .query_one(
            "SELECT 1 FROM plan_actions a WHERE a.id = ? AND (a.owner_user_id = ? OR (a.owner_user_id IS NULL AND "
            "EXISTS (SELECT 1 FROM file_team t WHERE t.person_id = ? AND t.user_id = ? AND t.organisation_id = "
            "a.owner_organisation_id AND (t.until_at IS NULL OR t.until_at > ?))))",
            {action_id, ctx_.actor->user_id, f.file.person_id, ctx_.actor->user_id, now()})
        .has_value();
}

void PlanRepo::new_version(std::int64_t plan_id, std::string_view change, const std::string& reason) {
    const auto version =
        ctx_.tx
            .query_one("UPDATE plans SET version = version + 1, updated_at = ? WHERE id = ? RETURNING version", {now(), plan_id})
            ->i64(0);
    ctx_.tx.exec(
        "INSERT INTO plan_versions (plan_id, version, at, user_id, change, reason, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?)",
        {plan_id, version, now(), ctx_.actor->user_id, std::string(change), reason, d::snapshot(load(plan_id))});
}

d::PlanContent PlanRepo::load(std::int64_t plan_id) {
    d::PlanContent c;
    auto p = ctx_.tx.query_one("SELECT status, " + section_columns() + " FROM plans WHERE id = ?", {plan_id});
    c.status = status_of(p->str(0), plan_id);
    c.sections = sections_of(*p, 1);
    for (const auto& g : ctx_.tx.query(
             "SELECT id, priority, text, expressed_by, progress FROM plan_goals WHERE plan_id = ? ORDER BY priority, id",
             {plan_id})) {
        d::PlanGoal goal;
        goal.id = g.i64(0);
        goal.priority = static_cast<int>(g.i64(1));
        goal.text = g.str(2);
        goal.expressed_by = d::parse_expressed_by(g.str(3)).value_or(d::ExpressedBy::family);
        goal.progress = d::parse_goal_progress(g.str(4)).value_or(d::GoalProgress::not_started);
        c.goals.push_back(std::move(goal));
    }
    for (const auto& a : ctx_.tx.query(
             "SELECT a.id, COALESCE(a.goal_id, 0), a.text, COALESCE(a.due_on, ''), a.status, COALESCE(u.display_name, ''), "
             "COALESCE(o.name_en, ''), COALESCE(f.given_name, '') FROM plan_actions a LEFT JOIN users "
             "u ON u.id = a.owner_user_id LEFT JOIN organisations o ON o.id = a.owner_organisation_id LEFT JOIN "
             "family_members f ON f.id = a.owner_family_member_id WHERE a.plan_id = ? ORDER BY a.id",
             {plan_id})) {
        d::PlanAction action;
        action.id = a.i64(0);
        action.goal_id = a.i64(1);
        action.text = a.str(2);
        action.due = a.str(3);
        action.status = d::parse_action_status(a.str(4)).value_or(d::ActionStatus::not_started);
        action.owner = !a.str(5).empty() ? a.str(5) + " (" + a.str(6) + ")" : !a.str(6).empty() ? a.str(6) : a.str(7);
        c.actions.push_back(std::move(action));
    }
    return c;
}

Result<std::optional<PlanRepo::Facts>> PlanRepo::read_decision(std::int64_t person_id) {
    auto f = facts(person_id);
    if (!f) {
        d::AccessRequest q;
        q.category = d::Category::plan;
        guard_.decide(q, {person_id});
        return guard_.refuse(d::Relationship::none);
    }
    const auto decision = guard_.decide(request(*f, d::Action::read), {person_id});
    if (decision.withheld()) return std::optional<Facts>{};
    if (!decision.permitted()) return guard_.refuse(f->file.relationship);
    return f;
}

Result<PlanRecord> PlanRepo::read(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<PlanRecord> {
        auto decided = read_decision(person_id);
        if (!decided) return decided.error();
        PlanRecord out;
        out.person_id = person_id;
        if (!*decided) {
            out.withheld = true;
            return out;
        }
        auto f = std::move(*decided);
        out.relationship = f->file.relationship;
        out.keeper = d::is_plan_keeper(f->file.relationship);
        if (!f->plan_id) {
            out.may_create = out.keeper && guard_.ask(request(*f, d::Action::create)).permitted();
            return out;
        }
        const auto id = *f->plan_id;
        out.id = id;
        out.withheld_sections = withheld_sections(*f, d::Action::read);
        // The transitions ahead, from the child's age: the date of birth is identity information.
        auto who = f->file.request(d::Category::identity_contact, d::Action::read);
        if (who.relationship == d::Relationship::coordinating_agency) who.purpose = d::Purpose::coordination;
        if (guard_.decide(who, {person_id}).permitted())
            if (auto birth = parse_date(ctx_.tx.query_one("SELECT date_of_birth FROM people WHERE id = ?", {person_id})->str(0)))
                out.transition = d::transition_flags(*birth, date_of(ctx_.clock.now()));
        auto p = ctx_.tx.query_one(
            "SELECT p.status, p.version, p.created_at, COALESCE(u.display_name, ''), "
            "COALESCE(r.reference, ''), " +
                section_columns("p.") +
                " FROM plans p LEFT JOIN users u ON u.id = p.created_by LEFT JOIN intakes i ON i.id = "
                "p.source_intake_id LEFT JOIN referrals r ON r.id = i.referral_id WHERE p.id = ?",
            {id});
        out.status = p->str(0);
        out.version = static_cast<int>(p->i64(1));
        out.created_at = p->str(2);
        out.created_by_name = p->str(3);
        out.source_reference = p->str(4);
        out.sections = sections_of(*p, 5);
        for (auto s : out.withheld_sections) d::text_of(out.sections, s).clear();
        for (const auto& g : ctx_.tx.query("SELECT g.id, g.priority, g.text, g.expressed_by, g.progress, g.updated_at, "
                                           "COALESCE(u.display_name, ''), g.version FROM plan_goals g LEFT JOIN users u ON "
                                           "u.id = g.updated_by WHERE g.plan_id = ? ORDER BY g.priority, g.id",
                                           {id}))
            out.goals.push_back({g.i64(0), static_cast<int>(g.i64(1)), g.str(2), g.str(3), g.str(4), g.str(5), g.str(6),
                                 static_cast<int>(g.i64(7))});
        for (const auto& v : ctx_.tx.query("SELECT v.version, v.at, COALESCE(u.display_name, ''), v.change, v.reason FROM "
                                           "plan_versions v LEFT JOIN users u ON u.id = v.user_id WHERE v.plan_id = ? ORDER "
                                           "BY v.version DESC",
                                           {id}))
            out.versions.push_back({static_cast<int>(v.i64(0)), v.str(1), v.str(2), v.str(3), v.str(4)});
        for (const auto& e : ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM "
                                           "plan_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.plan_id = ? ORDER BY "
                                           "e.id",
                                           {id}))
            out.events.push_back({e.str(0), e.str(1), e.str(2), e.str(3), e.str(4)});
        out.may_update = f->status != d::PlanStatus::closed && guard_.ask(request(*f, d::Action::update)).permitted();
        load_work(out, *f);
        return out;
    });
}

// The plan's actions, team, services, meetings and agreements (read() has decided the plan).
void PlanRepo::load_work(PlanRecord& out, const Facts& f) {
    const auto id = *f.plan_id;
    const std::string at = now();
    const bool open = f.status != d::PlanStatus::closed;
    // Whether each action is the actor's (theirs, or their organisation's while they are on the
    // team) comes with it; its history with all the plan's, in one read each.
    const bool keeper = d::is_plan_keeper(f.file.relationship);
    std::map<std::int64_t, std::size_t> at_index;
    for (const auto& a : ctx_.tx.query(
             "SELECT a.id, COALESCE(a.goal_id, 0), a.text, COALESCE(a.due_on, ''), a.status, a.updated_at, "
             "COALESCE(uu.display_name, ''), a.version, COALESCE(u.display_name, ''), COALESCE(o.name_en, ''), "
             "COALESCE(o.name_fr, ''), COALESCE(fm.given_name, ''), CASE WHEN a.owner_user_id = ? OR (a.owner_user_id IS NULL "
             "AND a.owner_organisation_id IN (SELECT t.organisation_id FROM file_team t WHERE t.person_id = ? AND t.user_id = "
             "? AND (t.until_at IS NULL OR t.until_at > ?))) THEN 1 ELSE 0 END FROM plan_actions a LEFT JOIN users u ON u.id = "
             "a.owner_user_id LEFT JOIN organisations o ON o.id = a.owner_organisation_id LEFT JOIN family_members fm ON fm.id "
             "= a.owner_family_member_id LEFT JOIN users uu ON uu.id = a.updated_by WHERE a.plan_id = ? ORDER BY a.id",
             {ctx_.actor->user_id, out.person_id, ctx_.actor->user_id, at, id})) {
        PlanActionRow row;
        row.id = a.i64(0);
        row.goal_id = a.i64(1);
        row.text = a.str(2);
        row.due = a.str(3);
        row.status = a.str(4);
        row.updated_at = a.str(5);
        row.updated_by_name = a.str(6);
        row.version = static_cast<int>(a.i64(7));
        row.owner_name = !a.str(8).empty() ? a.str(8) : a.str(11);
        row.owner_org_en = a.str(9);
        row.owner_org_fr = a.str(10);
        row.mine = open && out.may_update && (keeper || a.i64(12) == 1);
        if (row.mine)
            if (auto st = d::parse_action_status(row.status))
                for (auto e : d::action_lifecycle().available(*st, f.file.relationship, {true}))
                    row.events.emplace_back(d::code(e));
        at_index[row.id] = out.actions.size();
        out.actions.push_back(std::move(row));
    }
    for (const auto& e : ctx_.tx.query("SELECT e.action_id, e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM "
                                       "plan_action_events e JOIN plan_actions a ON a.id = e.action_id LEFT JOIN users u ON "
                                       "u.id = e.user_id WHERE a.plan_id = ? ORDER BY e.action_id, e.id",
                                       {id}))
        if (auto i = at_index.find(e.i64(0)); i != at_index.end())
            out.actions[i->second].history.push_back({e.str(1), e.str(2), e.str(3), e.str(4), e.str(5)});
    for (const auto& t : ctx_.tx.query(
             "SELECT u.id, u.display_name, u.email, o.id, o.name_fr, o.name_en, t.kind FROM file_team t JOIN users u ON u.id = "
             "t.user_id JOIN organisations o ON o.id = t.organisation_id WHERE t.person_id = ? AND (t.until_at IS NULL OR "
             "t.until_at > ?) ORDER BY CASE t.kind WHEN 'assigned_coordinator' THEN 0 ELSE 1 END, u.display_name, t.id",
             {out.person_id, at})) {
        out.team.push_back({t.str(1), t.str(4), t.str(5), t.str(6), t.str(2), false});
        d::ActionOwner person{d::ActionOwner::Kind::team_member, t.i64(0), t.i64(3), 0};
        out.owners.push_back({d::owner_value(person), t.str(1), t.str(4), t.str(5)});
        d::ActionOwner org{d::ActionOwner::Kind::organisation, 0, t.i64(3), 0};
        const auto value = d::owner_value(org);
        if (std::none_of(out.owners.begin(), out.owners.end(), [&](const PlanOwnerChoice& c) { return c.value == value; }))
            out.owners.push_back({value, "", t.str(4), t.str(5)});
    }
    for (const auto& m : ctx_.tx.query("SELECT id, given_name, relationship FROM family_members WHERE "
                                       "person_id = ? AND active = 1 ORDER BY id",
                                       {out.person_id})) {
        out.team.push_back({m.str(1), "", "", m.str(2), "", true});
        out.owners.push_back({d::owner_value({d::ActionOwner::Kind::family, 0, 0, m.i64(0)}), m.str(1), "", ""});
        out.family_choices.emplace_back(m.i64(0), m.str(1));
    }
    for (const auto& r : ctx_.tx.query(
             "SELECT s.id, r.id, COALESCE(s.goal_id, 0), r.reference, r.status, COALESCE(r.expected_date, ''), s.purpose, "
             "COALESCE(sv.name_fr, ''), COALESCE(sv.name_en, ''), o.name_fr, o.name_en FROM plan_services s JOIN referrals r "
             "ON r.id = s.referral_id JOIN organisations o ON o.id = r.organisation_id LEFT JOIN services sv ON sv.id = "
             "r.service_id WHERE s.plan_id = ? ORDER BY s.id",
             {id}))
        out.services.push_back(
            {r.i64(0), r.i64(1), r.i64(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7), r.str(8), r.str(9), r.str(10)});
    for (const auto& r : ctx_.tx.query(
             "SELECT r.id, r.reference, r.status, COALESCE(sv.name_fr, ''), COALESCE(sv.name_en, ''), o.name_fr, o.name_en "
             "FROM referrals r JOIN organisations o ON o.id = r.organisation_id LEFT JOIN services sv ON sv.id = r.service_id "
             "WHERE r.person_id = ? AND r.source = 'file' AND NOT EXISTS (SELECT 1 FROM plan_services s WHERE s.plan_id = ? "
             "AND s.referral_id = r.id) ORDER BY r.id",
             {out.person_id, id}))
        out.referral_choices.push_back({r.i64(0), r.str(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6)});
    for (const auto& m : ctx_.tx.query("SELECT m.id, m.held_on, m.attendees, m.notes, m.decisions, COALESCE(u.display_name, "
                                       "'') FROM plan_meetings m LEFT JOIN users u ON u.id = m.created_by WHERE m.plan_id = ? "
                                       "ORDER BY m.held_on DESC, m.id DESC",
                                       {id}))
        out.meetings.push_back({m.i64(0), m.str(1), m.str(2), m.str(3), m.str(4), m.str(5)});
    for (const auto& g : ctx_.tx.query(
             "SELECT a.version, f.given_name, a.method, a.agreed_on, COALESCE(m.held_on, ''), "
             "COALESCE(u.display_name, '') FROM plan_agreements a JOIN family_members f ON f.id = a.family_member_id LEFT "
             "JOIN plan_meetings m ON m.id = a.meeting_id LEFT JOIN users u ON u.id = a.recorded_by WHERE a.plan_id = ? "
             "ORDER BY a.version DESC, a.id DESC",
             {id}))
        out.agreements.push_back({static_cast<int>(g.i64(0)), g.str(1), g.str(2), g.str(3), g.str(4), g.str(5)});
    if (!out.agreements.empty()) out.agreed_version = out.agreements.front().version;
    for (const auto& g :
         ctx_.tx.query("SELECT s.version, s.decision, s.comment, s.signed_at, COALESCE(u.display_name, ''), fa.relation "
                       "FROM plan_signatures s JOIN family_access fa ON fa.id = s.family_access_id "
                       "LEFT JOIN users u ON u.id = s.signed_by WHERE s.plan_id = ? ORDER BY s.id DESC",
                       {id})) {
        out.signatures.push_back({static_cast<int>(g.i64(0)), g.str(1), g.str(2), g.str(3), g.str(4), g.str(5)});
        if (g.str(1) == "agreed") out.agreed_version = std::max(out.agreed_version, static_cast<int>(g.i64(0)));
    }
    for (const auto& n : ctx_.tx.query(
             "SELECT COALESCE(n.goal_id, 0), n.note, n.created_at, COALESCE(u.display_name, ''), fa.relation, "
             "COALESCE(m.relationship, '') FROM plan_family_notes n JOIN family_access fa ON fa.id = n.family_access_id LEFT "
             "JOIN family_members m ON m.id = fa.family_member_id LEFT JOIN users u ON u.id = n.created_by WHERE n.plan_id = ? "
             "ORDER BY n.id DESC",
             {id}))
        out.family_notes.push_back({n.i64(0), n.str(1), n.str(2), n.str(3), n.str(4), n.str(5)});
    for (const auto& v : ctx_.tx.query("SELECT r.id, r.held_on, r.next_steps, COALESCE(u.display_name, '') FROM plan_reviews r "
                                       "LEFT JOIN users u ON u.id = r.created_by WHERE r.plan_id = ? ORDER BY r.held_on DESC, "
                                       "r.id DESC",
                                       {id})) {
        PlanReviewRow review{v.str(1), v.str(2), v.str(3), {}};
        for (const auto& g : ctx_.tx.query("SELECT g.text, rg.progress, rg.note FROM plan_review_goals rg JOIN plan_goals g ON "
                                           "g.id = rg.goal_id WHERE rg.review_id = ? ORDER BY g.priority, g.id",
                                           {v.i64(0)}))
            review.goals.push_back({g.str(0), g.str(1), g.str(2)});
        out.reviews.push_back(std::move(review));
    }
    const auto from = ctx_.tx.query_one("SELECT review_from FROM plans WHERE id = ?", {id})->opt_str(0);
    const auto from_day = from ? parse_date(*from) : std::nullopt;
    if (from_day && f.status != d::PlanStatus::draft && f.status != d::PlanStatus::closed)
        out.next_review = add_days(*from_day, AreaRulesRepo(ctx_.tx, ctx_.clock).rules(f.file.sda_id).review_interval_days).iso();
}

Result<std::int64_t> PlanRepo::create(std::int64_t person_id) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = for_keeper(person_id, d::Action::create);
        if (!f) return f.error();
        if (f->plan_id) return Error::conflict("plan.error.exists");
        // The story told once, at the file's intake, is where the plan starts.
        const auto story = IntakeRepo(ctx_).story_of_file(person_id);
        d::PlanSections s;
        std::optional<std::int64_t> source;
        if (story) {
            const auto& t = story->story;
            s = {t.story, t.strengths, t.needs_home, t.needs_school, t.needs_community, t.needs_health, t.hopes};
            source = story->intake_id;
        }
        const std::string at = now();
        auto row = ctx_.tx.query_one(
            "INSERT INTO plans (person_id, status, about, strengths, needs_home, needs_school, needs_community, needs_health, "
            "hopes, source_intake_id, version, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, "
            "?, ?) ON CONFLICT (person_id) DO NOTHING RETURNING id",
            {person_id, std::string(d::code(d::PlanStatus::draft)), s.about, s.strengths, s.needs_home, s.needs_school,
             s.needs_community, s.needs_health, s.hopes, opt(source), at, ctx_.actor->user_id, at});
        if (!row) return Error::conflict("plan.error.exists");
        const auto id = row->i64(0);
        ctx_.tx.exec("INSERT INTO plan_events (plan_id, at, user_id, event, status) VALUES (?, ?, ?, 'create', ?)",
                     {id, at, ctx_.actor->user_id, std::string(d::code(d::PlanStatus::draft))});
        new_version(id, "created", story ? story->reference : std::string());
        return id;
    });
}

Result<void> PlanRepo::save_sections(std::int64_t person_id, const d::PlanSections& s, const d::PlanSections& seen,
                                     const std::string& reason) {
    return guard_.operation([&]() -> Result<void> {
        auto f = allowed(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        const auto withheld = withheld_sections(*f, d::Action::update);
        auto row = ctx_.tx.query_one("SELECT " + section_columns() + " FROM plans WHERE id = ?", {*f->plan_id});
        const auto now_saved = sections_of(*row, 0);
        std::vector<FieldError> conflicts;
        std::vector<d::Section> changed;
        for (auto section : d::all_sections()) {
            if (std::find(withheld.begin(), withheld.end(), section) != withheld.end()) continue;
            const auto& mine = d::text_of(s, section);
            const auto& theirs = d::text_of(now_saved, section);
            const auto& shown = d::text_of(seen, section);
            // Not in the form (no fingerprint), nothing to write, or left as shown: not touched.
            if (shown.empty() || mine == theirs || d::fingerprint(mine) == shown) continue;
            if (d::fingerprint(theirs) != shown)
                conflicts.push_back({std::string(d::code(section)), "plan.error.section_changed", {theirs}});
            else
                changed.push_back(section);
        }
        if (!conflicts.empty()) return Error::invalid(std::move(conflicts));
        if (changed.empty()) return {};
        std::string set;
        std::vector<Value> args;
        for (auto section : changed) {
            set += std::string(d::code(section)) + " = ?, ";
            args.emplace_back(d::text_of(s, section));
        }
        args.emplace_back(now());
        args.emplace_back(*f->plan_id);
        ctx_.tx.exec("UPDATE plans SET " + set + "updated_at = ? WHERE id = ?", args);
        new_version(*f->plan_id, "sections", reason);
        return {};
    });
}

Result<std::int64_t> PlanRepo::add_goal(std::int64_t person_id, const d::NewGoal& g) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = allowed(person_id, d::Action::create);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        const std::string at = now();
        const auto id =
            ctx_.tx
                .query_one(
                    "INSERT INTO plan_goals (plan_id, priority, text, expressed_by, progress, created_at, "
                    "created_by, updated_at, updated_by) VALUES (?, (SELECT COALESCE(MAX(priority), 0) + 1 "
                    "FROM plan_goals WHERE plan_id = ?), ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {*f->plan_id, *f->plan_id, g.text, std::string(d::code(g.expressed_by)),
                     std::string(d::code(d::GoalProgress::not_started)), at, ctx_.actor->user_id, at, ctx_.actor->user_id})
                ->i64(0);
        new_version(*f->plan_id, "goal_added", g.reason);
        return id;
    });
}

Result<void> PlanRepo::update_goal(std::int64_t person_id, std::int64_t goal_id, const d::GoalProgressChange& c, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = allowed(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        auto goal = ctx_.tx.query_one("SELECT priority FROM plan_goals WHERE id = ? AND plan_id = ?", {goal_id, *f->plan_id});
        if (!goal) return Error::not_found();
        if (ctx_.tx.exec("UPDATE plan_goals SET version = version + 1 WHERE id = ? AND version = ?",
                         {goal_id, std::int64_t{version}}) != 1)
            return Error::conflict("plan.error.stale");
        // A new place for the goal: the goals between its old place and the new one move one
        // place towards the old (the places stay 1, 2, 3... with no gap); past the last, last.
        const auto old_place = goal->i64(0);
        const auto last = ctx_.tx.query_one("SELECT MAX(priority) FROM plan_goals WHERE plan_id = ?", {*f->plan_id})->i64(0);
        const std::int64_t place = std::min<std::int64_t>(c.priority, last);
        if (place > old_place)
            ctx_.tx.exec("UPDATE plan_goals SET priority = priority - 1 WHERE plan_id = ? AND priority > ? AND priority <= ?",
                         {*f->plan_id, old_place, place});
        else if (place < old_place)
            ctx_.tx.exec("UPDATE plan_goals SET priority = priority + 1 WHERE plan_id = ? AND priority >= ? AND priority < ?",
                         {*f->plan_id, place, old_place});
        ctx_.tx.exec("UPDATE plan_goals SET progress = ?, priority = ?, updated_at = ?, updated_by = ? WHERE id = ?",
                     {std::string(d::code(c.progress)), place, now(), ctx_.actor->user_id, goal_id});
        new_version(*f->plan_id, "goal_updated", c.reason);
        return {};
    });
}

Result<d::PlanStatus> PlanRepo::transition(std::int64_t person_id, const d::PlanTransition& t) {
    return guard_.operation([&]() -> Result<d::PlanStatus> {
        auto f = for_keeper(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f, true); !e) return e.error();
        d::PlanFacts facts;
        facts.has_goals = ctx_.tx.query_one("SELECT COUNT(*) FROM plan_goals WHERE plan_id = ?", {*f->plan_id})->i64(0) > 0;
        auto moved = fire_transition(ctx_.tx, ctx_.clock, plan_tables, d::plan_lifecycle(), *f->plan_id, f->status, t.event,
                                     f->file.relationship, facts, ctx_.actor->user_id, t.reason);
        if (!moved) return moved.error();
        // Reviews count from the day the plan is made active.
        if (t.event == d::PlanEvent::activate)
            ctx_.tx.exec("UPDATE plans SET review_from = ? WHERE id = ?", {date_of(ctx_.clock.now()).iso(), *f->plan_id});
        new_version(*f->plan_id, "status", std::string(d::code(t.event)) + (t.reason.empty() ? "" : ": " + t.reason));
        return *moved;
    });
}

Result<std::int64_t> PlanRepo::add_action(std::int64_t person_id, const d::NewAction& a) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = allowed(person_id, d::Action::create);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        std::vector<FieldError> errors;
        if (a.goal_id && !ctx_.tx.query_one("SELECT 1 FROM plan_goals WHERE id = ? AND plan_id = ?", {*a.goal_id, *f->plan_id}))
            errors.push_back({"goal", "field.choose_from_list", {}});
        const std::string at = now();
        bool on_team = false;
        using K = d::ActionOwner::Kind;
        const auto& o = a.owner;
        if (o.kind == K::family)
            on_team = ctx_.tx
                          .query_one("SELECT 1 FROM family_members WHERE id = ? AND person_id = ? AND active = 1",
                                     {o.family_member_id, person_id})
                          .has_value();
        else
            on_team = ctx_.tx
                          .query_one(
                              "SELECT 1 FROM file_team WHERE person_id = ? AND organisation_id = ? AND (? = 0 OR "
                              "user_id = ?) AND (until_at IS NULL OR until_at > ?)",
                              {person_id, o.organisation_id, o.user_id, o.user_id, at})
                          .has_value();
        if (!on_team) errors.push_back({"owner", "plan.error.owner_not_in_team", {}});
        // Not due before the plan was started.
        const auto started =
            date_of(parse_iso(ctx_.tx.query_one("SELECT created_at FROM plans WHERE id = ?", {*f->plan_id})->str(0))
                        .value_or(ctx_.clock.now()));
        if (a.due && days_between(started, *a.due) < 0) errors.push_back({"due", "plan.error.due_before_plan", {started.iso()}});
        if (!errors.empty()) return Error::invalid(std::move(errors));
        auto nullable = [](std::int64_t v) { return v ? Value(v) : Value(); };
        const auto id =
            ctx_.tx
                .query_one(
                    "INSERT INTO plan_actions (plan_id, goal_id, text, owner_user_id, owner_organisation_id, "
                    "owner_family_member_id, due_on, status, created_at, created_by, updated_at, updated_by) VALUES (?, ?, "
                    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {*f->plan_id, opt(a.goal_id), a.text, nullable(o.kind == K::team_member ? o.user_id : 0),
                     nullable(o.kind == K::family ? 0 : o.organisation_id),
                     nullable(o.kind == K::family ? o.family_member_id : 0), a.due ? Value(a.due->iso()) : Value(),
                     std::string(d::code(d::ActionStatus::not_started)), at, ctx_.actor->user_id, at, ctx_.actor->user_id})
                ->i64(0);
        new_version(*f->plan_id, "action_added", a.reason);
        return id;
    });
}

Result<void> PlanRepo::record_progress(std::int64_t person_id, std::int64_t action_id, const d::ActionProgress& p, int version) {
    return guard_.operation([&]() -> Result<void> {
        auto f = allowed(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        auto action = ctx_.tx.query_one("SELECT status FROM plan_actions WHERE id = ? AND plan_id = ?", {action_id, *f->plan_id});
        if (!action) return Error::not_found();
        if (!keeper_or_owner(*f, action_id)) {
            // The team may read the action; progress on it is its owner's or the keeper's.
            return guard_.refuse_unserved(request(*f, d::Action::update), {person_id});
        }
        const auto status = d::parse_action_status(action->str(0));
        if (!status) throw std::runtime_error("plan action " + std::to_string(action_id) + " has an unknown status");
        const std::string at = now();
        if (!p.event) {
            ctx_.tx.exec(
                "INSERT INTO plan_action_events (action_id, at, user_id, event, status, note) VALUES (?, ?, ?, "
                "'note', ?, ?)",
                {action_id, at, ctx_.actor->user_id, action->str(0), p.note});
            return {};
        }
        if (ctx_.tx.exec("UPDATE plan_actions SET version = version + 1, updated_by = ? WHERE id = ? AND version = ?",
                         {ctx_.actor->user_id, action_id, std::int64_t{version}}) != 1)
            return Error::conflict("plan.error.action_stale");
        auto moved = fire_transition(ctx_.tx, ctx_.clock, action_tables, d::action_lifecycle(), action_id, *status, *p.event,
                                     f->file.relationship, d::ActionFacts{true}, ctx_.actor->user_id, p.note);
        if (!moved) return moved.error();
        new_version(*f->plan_id, "action_updated", p.note);
        return {};
    });
}

Result<void> PlanRepo::add_service(std::int64_t person_id, std::int64_t referral_id, std::optional<std::int64_t> goal_id,
                                   const std::string& purpose) {
    return guard_.operation([&]() -> Result<void> {
        auto f = allowed(person_id, d::Action::create);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        std::vector<FieldError> errors;
        if (!ctx_.tx.query_one("SELECT 1 FROM referrals r WHERE r.id = ? AND r.person_id = ? AND r.source = 'file' AND NOT "
                               "EXISTS (SELECT 1 FROM plan_services s WHERE s.plan_id = ? AND s.referral_id = r.id)",
                               {referral_id, person_id, *f->plan_id}))
            errors.push_back({"referral", "plan.error.no_such_referral", {}});
        if (goal_id && !ctx_.tx.query_one("SELECT 1 FROM plan_goals WHERE id = ? AND plan_id = ?", {*goal_id, *f->plan_id}))
            errors.push_back({"goal", "field.choose_from_list", {}});
        if (!errors.empty()) return Error::invalid(std::move(errors));
        ctx_.tx.exec(
            "INSERT INTO plan_services (plan_id, referral_id, goal_id, purpose, created_at, created_by) VALUES (?, ?, "
            "?, ?, ?, ?)",
            {*f->plan_id, referral_id, opt(goal_id), purpose, now(), ctx_.actor->user_id});
        new_version(*f->plan_id, "service_added", purpose);
        return {};
    });
}

Result<std::int64_t> PlanRepo::add_meeting(std::int64_t person_id, const d::Meeting& m) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = allowed(person_id, d::Action::create);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        return ctx_.tx
            .query_one(
                "INSERT INTO plan_meetings (plan_id, held_on, attendees, notes, decisions, created_at, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                {*f->plan_id, m.held_on.iso(), m.attendees, m.notes, m.decisions, now(), ctx_.actor->user_id})
            ->i64(0);
    });
}

Result<void> PlanRepo::record_agreement(std::int64_t person_id, const d::Agreement& a) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_keeper(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        std::vector<FieldError> errors;
        if (a.version != f->version) errors.push_back({"version", "plan.error.agreement_stale", {std::to_string(f->version)}});
        if (!ctx_.tx.query_one("SELECT 1 FROM family_members WHERE id = ? AND person_id = ? AND active = 1",
                               {a.family_member_id, person_id}))
            errors.push_back({"family_member", "field.choose_from_list", {}});
        if (a.meeting_id &&
            !ctx_.tx.query_one("SELECT 1 FROM plan_meetings WHERE id = ? AND plan_id = ?", {*a.meeting_id, *f->plan_id}))
            errors.push_back({"meeting", "field.choose_from_list", {}});
        if (!errors.empty()) return Error::invalid(std::move(errors));
        ctx_.tx.exec(
            "INSERT INTO plan_agreements (plan_id, version, family_member_id, method, agreed_on, meeting_id, "
            "recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            {*f->plan_id, std::int64_t{a.version}, a.family_member_id, std::string(d::code(a.method)), a.agreed_on.iso(),
             opt(a.meeting_id), now(), ctx_.actor->user_id});
        return {};
    });
}

// The family's signature: a family account standing to the file as family (family_of or self),
// permitted to create `plan` by the policy (its authority, the youth's capacity). Staff are
// refused on record, as is a signature of a version the plan has moved past.
Result<void> PlanRepo::sign(std::int64_t person_id, const d::Signature& s) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_family(person_id);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        if (s.version != f->version)
            return Error::invalid(
                {{"version", "plan.error.signature_stale", {std::to_string(s.version), std::to_string(f->version)}}});
        ctx_.tx.exec(
            "INSERT INTO plan_signatures (plan_id, version, family_access_id, decision, comment, signed_at, signed_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            {*f->plan_id, std::int64_t{s.version}, f->file.family_access_id, std::string(d::code(s.decision)), s.comment, now(),
             ctx_.actor->user_id});
        return {};
    });
}

// The family's note to the team: decided as its signature is (a family member the capable youth
// keeps the plan from is refused by the policy). Not a change of the plan: no version.
Result<std::int64_t> PlanRepo::add_family_note(std::int64_t person_id, const d::FamilyNote& n) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        auto f = for_family(person_id);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        if (n.goal_id && !ctx_.tx.query_one("SELECT 1 FROM plan_goals WHERE id = ? AND plan_id = ?", {*n.goal_id, *f->plan_id}))
            return Error::invalid({{"goal", "field.choose_from_list", {}}});
        return ctx_.tx
            .query_one(
                "INSERT INTO plan_family_notes (plan_id, goal_id, family_access_id, note, created_at, created_by) VALUES (?, ?, "
                "?, ?, ?, ?) RETURNING id",
                {*f->plan_id, opt(n.goal_id), f->file.family_access_id, n.note, now(), ctx_.actor->user_id})
            ->i64(0);
    });
}

Result<void> PlanRepo::record_review(std::int64_t person_id, const d::Review& r) {
    return guard_.operation([&]() -> Result<void> {
        auto f = for_keeper(person_id, d::Action::update);
        if (!f) return f.error();
        if (auto e = editable(*f); !e) return e.error();
        if (f->status != d::PlanStatus::active && f->status != d::PlanStatus::under_review)
            return Error::conflict("plan.error.review_not_active");
        // Every goal of the plan, each once, and none other.
        std::vector<std::int64_t> goals;
        for (const auto& g : ctx_.tx.query("SELECT id FROM plan_goals WHERE plan_id = ? ORDER BY id", {*f->plan_id}))
            goals.push_back(g.i64(0));
        std::vector<std::int64_t> given;
        std::vector<FieldError> errors;
        for (const auto& g : r.goals) {
            if (std::find(goals.begin(), goals.end(), g.goal_id) == goals.end() ||
                std::find(given.begin(), given.end(), g.goal_id) != given.end())
                errors.push_back({"progress_" + std::to_string(g.goal_id), "field.choose_from_list", {}});
            given.push_back(g.goal_id);
        }
        for (auto id : goals)
            if (std::find(given.begin(), given.end(), id) == given.end())
                errors.push_back({"progress_" + std::to_string(id), "field.required", {}});
        if (!errors.empty()) return Error::invalid(std::move(errors));
        const std::string at = now();
        const auto review = ctx_.tx
                                .query_one(
                                    "INSERT INTO plan_reviews (plan_id, held_on, next_steps, created_at, created_by) "
                                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                                    {*f->plan_id, r.held_on.iso(), r.next_steps, at, ctx_.actor->user_id})
                                ->i64(0);
        for (const auto& g : r.goals) {
            const std::string progress(d::code(g.progress));
            ctx_.tx.exec("INSERT INTO plan_review_goals (review_id, goal_id, progress, note) VALUES (?, ?, ?, ?)",
                         {review, g.goal_id, progress, g.note});
            ctx_.tx.exec(
                "UPDATE plan_goals SET progress = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? "
                "AND progress <> ?",
                {progress, at, ctx_.actor->user_id, g.goal_id, progress});
        }
        ctx_.tx.exec("UPDATE plans SET review_from = ? WHERE id = ?", {r.held_on.iso(), *f->plan_id});
        new_version(*f->plan_id, "review", r.next_steps);
        return {};
    });
}

}  // namespace arrimage::store
