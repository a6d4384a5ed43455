#include "features/network/store/community_plan_repo.hpp"

#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/people.hpp"
#include "features/network/store/reader_area.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

using network_area::admin_area;
using network_area::area_of;

constexpr LifecycleTables plan_tables{"community_plans", "community_plan_events", "plan_id"};

// A yearly progress report is announced this many days ahead (a review: d::review_notice_days).
constexpr int progress_notice_days = 30;

constexpr const char* summary_select =
    "SELECT p.id, p.reference, p.title_fr, p.title_en, p.kind, p.status, COALESCE(w.name_fr, p.owner_name), "
    "COALESCE(w.name_en, p.owner_name), p.cycle, p.approved_on, p.next_review_on, p.yearly_progress "
    "FROM community_plans p LEFT JOIN organisations w ON w.id = p.owner_organisation ";

// The registry's order: by next review, those without a date last, then by reference.
constexpr const char* registry_order =
    " ORDER BY CASE WHEN p.next_review_on = '' THEN 1 ELSE 0 END, p.next_review_on, p.reference";

// The plan `p` involves the area given as the next parameter.
constexpr const char* involves_area = "EXISTS (SELECT 1 FROM community_plan_areas x WHERE x.plan_id = p.id AND x.sda_id = ?)";

std::optional<Date> optional_date(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return parse_date(s);
}

// Its next progress report and where its review stands are the clock's: computed when read, and
// nothing once it is retired.
CommunityPlanSummary summary_of(const Row& r, const Date& today) {
    CommunityPlanSummary s;
    s.id = r.i64(0);
    s.reference = r.str(1);
    s.title_fr = r.str(2);
    s.title_en = r.str(3);
    s.kind = d::parse_community_plan_kind(r.str(4)).value_or(d::CommunityPlanKind::other);
    s.status = d::parse_community_plan_status(r.str(5)).value_or(d::CommunityPlanStatus::in_development);
    s.owner_fr = r.str(6);
    s.owner_en = r.str(7);
    s.cycle = d::parse_review_cycle(r.str(8)).value_or(d::ReviewCycle::ongoing);
    s.approved_on = r.str(9);
    s.next_review_on = r.str(10);
    if (s.status != d::CommunityPlanStatus::retired) {
        const auto review = optional_date(s.next_review_on);
        s.review = d::review_state(review, today);
        if (const auto progress = d::next_progress_report(r.boolean(11), optional_date(s.approved_on), review, today))
            s.next_progress_on = progress->iso();
    }
    return s;
}

// The areas of the plans whose ids `ids_sql` selects (with `params`), added to `list` by name.
void add_areas(Tx& tx, std::vector<CommunityPlanSummary>& list, const std::string& ids_sql, const Params& params) {
    std::map<std::int64_t, CommunityPlanSummary*> by_id;
    for (auto& s : list) by_id[s.id] = &s;
    for (const auto& r : tx.query("SELECT a.plan_id, s.id, s.name_fr, s.name_en FROM community_plan_areas a JOIN "
                                  "service_delivery_areas s ON s.id = a.sda_id WHERE a.plan_id IN (" +
                                      ids_sql + ") ORDER BY a.plan_id, s.name_en, s.id",
                                  params)) {
        auto it = by_id.find(r.i64(0));
        if (it == by_id.end()) continue;
        it->second->areas.push_back({r.i64(1), r.str(2), r.str(3)});
    }
}

// What the reader sees: the plans involving `area` (none: every plan, for the ministry's
// analyst); `manager`: the reader changes and moves them (a ca_admin).
struct Reach {
    std::optional<std::int64_t> area;
    bool manager = false;
};

Result<Reach> reach_of(const AccessContext& ctx) {
    if (!ctx.actor) return Error::forbidden();
    switch (ctx.actor->role) {
        case d::Role::ca_admin:
        case d::Role::provider_manager: {
            auto area = area_of(ctx);
            if (!area) return area.error();
            return Reach{*area, ctx.actor->role == d::Role::ca_admin};
        }
        case d::Role::ministry_analyst:
            return Reach{};
        default:
            return Error::forbidden();
    }
}

// The plan's row (summary_select) for the reader, or the refusal: Forbidden for a role that reads
// none, NotFound for one the reader may not see.
Result<Row> readable(const AccessContext& ctx, std::int64_t id, bool& manager) {
    auto reach = reach_of(ctx);
    if (!reach) return reach.error();
    manager = reach->manager;
    Params params{id};
    std::string sql = std::string(summary_select) + "WHERE p.id = ?";
    if (reach->area) {
        sql += std::string(" AND ") + involves_area;
        params.emplace_back(*reach->area);
    }
    auto row = ctx.tx.query_one(sql, params);
    if (!row) return Error::not_found();
    return std::move(*row);
}

// The organisations and areas the terms name, against the registry: an owner, involved
// organisations and areas that exist and are active (on a change, those the plan already names
// may have been deactivated since), among the areas the administrator's own and, on a change,
// every other area the plan involves.
std::vector<FieldError> check_links(Tx& tx, const d::CommunityPlanTerms& terms, std::int64_t own_area,
                                    std::optional<std::int64_t> plan = std::nullopt) {
    std::vector<FieldError> errors;
    const std::int64_t plan_id = plan.value_or(0);
    if (terms.owner_organisation &&
        !tx.query_one("SELECT 1 FROM organisations o WHERE o.id = ? AND (o.active = 1 OR EXISTS (SELECT 1 FROM "
                      "community_plans p WHERE p.id = ? AND p.owner_organisation = o.id))",
                      {*terms.owner_organisation, plan_id}))
        errors.push_back({"owner_organisation", "field.choose_from_list", {}});
    for (auto org : terms.organisations) {
        if (tx.query_one("SELECT 1 FROM organisations o WHERE o.id = ? AND (o.active = 1 OR EXISTS (SELECT 1 FROM "
                         "community_plan_organisations c WHERE c.plan_id = ? AND c.organisation_id = o.id))",
                         {org, plan_id}))
            continue;
        errors.push_back({"organisations", "field.choose_from_list", {}});
        break;
    }
    bool areas_known = true;
    for (auto area : terms.areas) {
        if (tx.query_one("SELECT 1 FROM service_delivery_areas s WHERE s.id = ? AND (s.active = 1 OR EXISTS (SELECT 1 FROM "
                         "community_plan_areas x WHERE x.plan_id = ? AND x.sda_id = s.id))",
                         {area, plan_id}))
            continue;
        errors.push_back({"areas", "field.choose_from_list", {}});
        areas_known = false;
        break;
    }
    if (!areas_known) return errors;
    const auto named = [&](std::int64_t area) { return std::binary_search(terms.areas.begin(), terms.areas.end(), area); };
    // An administrator records and keeps the plans of their own area: one that left it would
    // be out of their reach. The other areas a plan involves are their administrators' to take
    // off: taken off here, the plan would leave their reach.
    if (!named(own_area)) {
        errors.push_back({"areas", "network.plan.own_area", {}});
    } else if (plan) {
        for (const auto& r :
             tx.query("SELECT sda_id FROM community_plan_areas WHERE plan_id = ? AND sda_id <> ?", {*plan, own_area})) {
            if (named(r.i64(0))) continue;
            errors.push_back({"areas", "network.plan.other_area_kept", {}});
            break;
        }
    }
    return errors;
}

void write_links(Tx& tx, std::int64_t id, const d::CommunityPlanTerms& terms) {
    tx.exec("DELETE FROM community_plan_areas WHERE plan_id = ?", {id});
    for (auto area : terms.areas) tx.exec("INSERT INTO community_plan_areas (plan_id, sda_id) VALUES (?, ?)", {id, area});
    tx.exec("DELETE FROM community_plan_organisations WHERE plan_id = ?", {id});
    for (auto org : terms.organisations)
        tx.exec("INSERT INTO community_plan_organisations (plan_id, organisation_id) VALUES (?, ?)", {id, org});
}

// The fixed review date as stored: only with the fixed_date cycle.
std::string fixed_review_of(const d::CommunityPlanTerms& terms) {
    return terms.cycle == d::ReviewCycle::fixed_date && terms.fixed_review_on ? terms.fixed_review_on->iso() : std::string();
}

std::string next_review_of(const d::CommunityPlanTerms& terms, const std::optional<Date>& approved_on) {
    const auto fixed = terms.cycle == d::ReviewCycle::fixed_date ? terms.fixed_review_on : std::nullopt;
    const auto next = d::next_review(terms.cycle, approved_on, fixed);
    return next ? next->iso() : std::string();
}

// An event row that is not a move (recorded, amended): its status stays.
void record_event(const AccessContext& ctx, std::int64_t id, const std::string& now, std::string_view event,
                  const std::string& status) {
    ctx.tx.exec("INSERT INTO community_plan_events (plan_id, at, user_id, event, status, note) VALUES (?, ?, ?, ?, ?, '')",
                {id, now, ctx.actor->user_id, std::string(event), status});
}

// Serialises the writers of one plan (its terms and its moves read it, then write it).
void lock_plan(Tx& tx, std::int64_t id) {
    tx.lock("community_plan:" + std::to_string(id));
}

// The coordinating agency administrators of every area the plan involves: active memberships
// of active users in active organisations; an API client's service account is not a person.
std::vector<std::int64_t> plan_admins(Tx& tx, std::int64_t plan_id) {
    std::vector<std::int64_t> out;
    for (const auto& u : tx.query("SELECT DISTINCT m.user_id FROM community_plan_areas a JOIN organisations o ON o.sda_id = "
                                  "a.sda_id AND o.active = 1 JOIN memberships m ON m.organisation_id = o.id AND m.active = 1 "
                                  "AND m.role = 'ca_admin' JOIN users u ON u.id = m.user_id AND u.active = 1 WHERE "
                                  "a.plan_id = ? AND u.id NOT IN (SELECT c.user_id FROM api_clients c) AND "
                                  "lower(u.email) NOT LIKE '%@api-clients.invalid' ORDER BY m.user_id",
                                  {plan_id}))
        out.push_back(u.i64(0));
    return out;
}

}  // namespace

bool CommunityPlanRepo::may_manage() const {
    return static_cast<bool>(admin_area(ctx_));
}

Result<std::vector<CommunityPlanSummary>> CommunityPlanRepo::list(const CommunityPlanQuery& query) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    std::vector<FieldError> errors;
    std::optional<d::CommunityPlanKind> kind;
    std::optional<d::CommunityPlanStatus> status;
    std::optional<std::int64_t> area;
    std::optional<d::ReviewState> review;
    if (const auto s = trim(query.kind); !s.empty() && !(kind = d::parse_community_plan_kind(s)))
        errors.push_back({"kind", "field.choose_from_list", {}});
    if (const auto s = trim(query.status); !s.empty() && !(status = d::parse_community_plan_status(s)))
        errors.push_back({"status", "field.choose_from_list", {}});
    if (const auto s = trim(query.area); !s.empty()) {
        area = d::parse_id(s);
        if (!area || !ctx_.tx.query_one("SELECT 1 FROM service_delivery_areas WHERE id = ?", {*area}))
            errors.push_back({"area", "field.choose_from_list", {}});
    }
    if (const auto s = trim(query.review); !s.empty()) {
        if (s == d::code(d::ReviewState::due_soon))
            review = d::ReviewState::due_soon;
        else if (s == d::code(d::ReviewState::overdue))
            review = d::ReviewState::overdue;
        else
            errors.push_back({"review", "field.choose_from_list", {}});
    }
    if (!errors.empty()) return Error::invalid(std::move(errors));

    std::string where = "WHERE 1 = 1";
    Params params;
    // A filter narrows what the reader sees, never widens it.
    if (reach->area) where += std::string(" AND ") + involves_area, params.emplace_back(*reach->area);
    if (area) where += std::string(" AND ") + involves_area, params.emplace_back(*area);
    if (kind) where += " AND p.kind = ?", params.emplace_back(std::string(d::code(*kind)));
    if (status) where += " AND p.status = ?", params.emplace_back(std::string(d::code(*status)));
    if (review) where += " AND p.status <> 'retired' AND p.next_review_on <> ''";

    const Date today = date_of(ctx_.clock.now());
    std::vector<CommunityPlanSummary> out;
    for (const auto& r : ctx_.tx.query(std::string(summary_select) + where + registry_order, params)) {
        auto s = summary_of(r, today);
        if (review && s.review != *review) continue;
        out.push_back(std::move(s));
    }
    if (!out.empty()) add_areas(ctx_.tx, out, "SELECT p.id FROM community_plans p " + where, params);
    return out;
}

Result<CommunityPlanChoices> CommunityPlanRepo::choices() const {
    if (auto area = admin_area(ctx_); !area) return area.error();
    CommunityPlanChoices out;
    for (const auto& r : ctx_.tx.query("SELECT id, name_fr, name_en FROM organisations WHERE active = 1 ORDER BY name_en, id"))
        out.organisations.push_back({r.i64(0), r.str(1), r.str(2)});
    for (const auto& r :
         ctx_.tx.query("SELECT id, name_fr, name_en FROM service_delivery_areas WHERE active = 1 ORDER BY name_en, id"))
        out.areas.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

Result<std::int64_t> CommunityPlanRepo::create(const d::CommunityPlanForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    d::CommunityPlanTerms terms;
    if (auto e = d::validate(form, std::nullopt, terms); !e.empty()) return Error::invalid(std::move(e));
    if (auto e = check_links(ctx_.tx, terms, *area); !e.empty()) return Error::invalid(std::move(e));
    // References number the plans of the year: "PLC-2026-0003" (plan communautaire).
    ctx_.tx.lock("community_plans");
    const std::string now = format_iso(ctx_.clock.now());
    const std::string year = now.substr(0, 4);
    const auto n = ctx_.tx
                       .query_one(
                           "SELECT COALESCE(MAX(CAST(substr(reference, 10) AS INTEGER)), 0) FROM community_plans WHERE "
                           "reference LIKE ?",
                           {"PLC-" + year + "-%"})
                       ->i64(0);
    std::string seq = std::to_string(n + 1);
    if (seq.size() < 4) seq.insert(0, 4 - seq.size(), '0');
    const auto row = ctx_.tx.query_one(
        "INSERT INTO community_plans (reference, title_fr, title_en, kind, owner_organisation, owner_name, description, scope, "
        "cycle, fixed_review_on, yearly_progress, approved_on, next_review_on, status, version, created_at, created_by, "
        "updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, 'in_development', 1, ?, ?, ?, ?) RETURNING id",
        {"PLC-" + year + "-" + seq, terms.title_fr, terms.title_en, std::string(d::code(terms.kind)),
         opt(terms.owner_organisation), terms.owner_name, terms.description, terms.scope, std::string(d::code(terms.cycle)),
         fixed_review_of(terms), std::int64_t{terms.yearly_progress ? 1 : 0}, next_review_of(terms, std::nullopt), now,
         ctx_.actor->user_id, now, ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    write_links(ctx_.tx, id, terms);
    record_event(ctx_, id, now, "record", std::string(d::code(d::CommunityPlanStatus::in_development)));
    return id;
}

Result<CommunityPlanRecord> CommunityPlanRepo::plan(std::int64_t id) const {
    bool manager = false;
    auto row = readable(ctx_, id, manager);
    if (!row) return row.error();
    const Date today = date_of(ctx_.clock.now());
    CommunityPlanRecord out;
    std::vector<CommunityPlanSummary> one = {summary_of(*row, today)};
    add_areas(ctx_.tx, one, "?", {id});
    out.summary = std::move(one.front());

    const auto body = ctx_.tx.query_one(
        "SELECT owner_organisation, owner_name, description, scope, fixed_review_on, yearly_progress, version FROM "
        "community_plans WHERE id = ?",
        {id});
    auto& t = out.terms;
    t.title_fr = out.summary.title_fr;
    t.title_en = out.summary.title_en;
    t.kind = out.summary.kind;
    t.owner_organisation = body->opt_i64(0);
    t.owner_name = body->str(1);
    t.description = body->str(2);
    t.scope = body->str(3);
    t.cycle = out.summary.cycle;
    t.fixed_review_on = optional_date(body->str(4));
    t.yearly_progress = body->boolean(5);
    out.version = static_cast<int>(body->i64(6));
    for (const auto& a : out.summary.areas) t.areas.push_back(a.id);
    std::sort(t.areas.begin(), t.areas.end());
    for (const auto& r : ctx_.tx.query("SELECT o.id, o.name_fr, o.name_en FROM community_plan_organisations c JOIN "
                                       "organisations o ON o.id = c.organisation_id WHERE c.plan_id = ? ORDER BY o.name_en, o.id",
                                       {id})) {
        out.organisations.push_back({r.i64(0), r.str(1), r.str(2)});
        t.organisations.push_back(r.i64(0));
    }
    std::sort(t.organisations.begin(), t.organisations.end());

    for (const auto& r : ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM "
                                       "community_plan_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.plan_id = ? "
                                       "ORDER BY e.id",
                                       {id}))
        out.events.push_back({r.str(0), r.str(1), r.str(2), r.str(3), r.str(4)});
    if (manager) {
        out.available = d::community_plan_lifecycle().available(out.summary.status, d::Relationship::coordinating_agency, {});
        out.may_edit = out.summary.status != d::CommunityPlanStatus::retired;
    }
    return out;
}

Result<void> CommunityPlanRepo::update(std::int64_t id, int version, const d::CommunityPlanForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    lock_plan(ctx_.tx, id);
    const auto row = ctx_.tx.query_one(
        std::string("SELECT p.status, p.approved_on, p.version FROM community_plans p WHERE p.id = ? AND ") + involves_area,
        {id, *area});
    if (!row) return Error::not_found();
    const std::string status = row->str(0);
    if (status == d::code(d::CommunityPlanStatus::retired)) return Error::conflict("network.plan.retired");
    // A form filled in over other terms is out of date before it is wrong: its errors would be
    // shown again with the current version, and a second post would silently undo the change.
    if (row->i64(2) != version) return Error::conflict("network.plan.changed_meanwhile");
    const auto approved_on = optional_date(row->str(1));
    d::CommunityPlanTerms terms;
    if (auto e = d::validate(form, approved_on, terms); !e.empty()) return Error::invalid(std::move(e));
    if (auto e = check_links(ctx_.tx, terms, *area, id); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    const auto changed = ctx_.tx.exec(
        "UPDATE community_plans SET title_fr = ?, title_en = ?, kind = ?, owner_organisation = ?, owner_name = ?, "
        "description = ?, scope = ?, cycle = ?, fixed_review_on = ?, yearly_progress = ?, next_review_on = ?, "
        "version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ? AND status = ?",
        {terms.title_fr, terms.title_en, std::string(d::code(terms.kind)), opt(terms.owner_organisation), terms.owner_name,
         terms.description, terms.scope, std::string(d::code(terms.cycle)), fixed_review_of(terms),
         std::int64_t{terms.yearly_progress ? 1 : 0}, next_review_of(terms, approved_on), now, ctx_.actor->user_id, id,
         static_cast<std::int64_t>(version), status});
    if (changed != 1) return Error::conflict("network.plan.changed_meanwhile");
    write_links(ctx_.tx, id, terms);
    record_event(ctx_, id, now, "amend", status);
    return {};
}

Result<d::CommunityPlanStatus> CommunityPlanRepo::fire(std::int64_t id, d::CommunityPlanEvent event, const std::string& note,
                                                       const std::string& approved_on) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    lock_plan(ctx_.tx, id);
    const auto row = ctx_.tx.query_one(
        std::string("SELECT p.status, p.approved_on, p.fixed_review_on, p.cycle FROM community_plans p WHERE p.id = ? AND ") +
            involves_area,
        {id, *area});
    if (!row) return Error::not_found();
    const auto from = d::parse_community_plan_status(row->str(0));
    const auto cycle = d::parse_review_cycle(row->str(3));
    if (!from || !cycle) return Error::internal();
    const auto fixed = optional_date(row->str(2));

    std::vector<FieldError> errors;
    std::string reason;
    d::long_text(errors, "note", note, d::max_plan_note_length, event == d::CommunityPlanEvent::retire, reason);
    std::vector<std::pair<std::string_view, Value>> also;
    if (event == d::CommunityPlanEvent::approve || event == d::CommunityPlanEvent::reapprove) {
        Date approved;
        auto e = d::validate_approval(approved_on, optional_date(row->str(1)), fixed, date_of(ctx_.clock.now()), approved);
        if (e.empty()) {
            // The approval sets the next review; both are written with the status.
            const auto next = d::next_review(*cycle, approved, *cycle == d::ReviewCycle::fixed_date ? fixed : std::nullopt);
            also.emplace_back("approved_on", approved.iso());
            also.emplace_back("next_review_on", next ? next->iso() : std::string());
            // The history says which approval this was.
            if (reason.empty()) reason = approved.iso();
        }
        for (auto& f : e) errors.push_back(std::move(f));
    }
    // A retired plan is no longer reviewed: it shows no date and sorts last in the registry.
    if (event == d::CommunityPlanEvent::retire) also.emplace_back("next_review_on", std::string());
    // The table's refusal comes first: a form's errors mean nothing for a move not allowed.
    const d::CommunityPlanFacts facts{};
    if (auto allowed = d::community_plan_lifecycle().fire(*from, event, d::Relationship::coordinating_agency, facts); !allowed)
        return allowed.error();
    if (!errors.empty()) return Error::invalid(std::move(errors));
    also.emplace_back("updated_by", ctx_.actor->user_id);
    auto to =
        fire_transition(ctx_.tx, ctx_.clock, plan_tables, d::community_plan_lifecycle(), id, *from, event,
                        d::Relationship::coordinating_agency, facts, ctx_.actor->user_id, std::move(reason), std::move(also));
    if (!to) return to.error();
    // A move changes what the edit form was shown over (an approval sets the dates its checks
    // use): one opened before it is out of date.
    ctx_.tx.exec("UPDATE community_plans SET version = version + 1 WHERE id = ?", {id});
    return to;
}

int raise_community_plan_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                                   bool email) {
    const Date today = date_of(clock.now());
    NotificationRepo notes(tx, clock, catalogue, public_base_url);
    int written = 0;
    // Only what may be due: not retired, a review within the notice or past, or a yearly progress
    // report (its next date is worked out below).
    const std::string horizon = add_days(today, d::review_notice_days).iso();
    for (const auto& r : tx.query("SELECT p.id, p.reference, p.title_fr, p.title_en, p.approved_on, p.next_review_on, "
                                  "p.yearly_progress FROM community_plans p WHERE p.status <> 'retired' AND "
                                  "((p.next_review_on <> '' AND p.next_review_on <= ?) OR (p.yearly_progress = 1 AND "
                                  "p.approved_on <> '')) ORDER BY p.id",
                                  {horizon})) {
        const auto review = optional_date(r.str(5));
        const auto state = d::review_state(review, today);
        const auto progress = d::next_progress_report(r.boolean(6), optional_date(r.str(4)), review, today);
        const bool review_due = review && (state == d::ReviewState::due_soon || state == d::ReviewState::overdue);
        const bool progress_due = progress && days_between(today, *progress) <= progress_notice_days;
        if (!review_due && !progress_due) continue;
        const auto users = plan_admins(tx, r.i64(0));
        const std::string id = std::to_string(r.i64(0)), link = "/network/plans/" + id;
        const std::string reference = r.str(1), title_fr = r.str(2), title_en = r.str(3);
        if (review_due) {
            const bool overdue = state == d::ReviewState::overdue;
            const std::string day = review->iso();
            written += notes.notify(users, {d::NoticeKind::network,
                                            reference,
                                            link,
                                            overdue ? "network.plan.reminder.review_overdue" : "network.plan.reminder.review_due",
                                            {reference, title_fr, day},
                                            {reference, title_en, day},
                                            (overdue ? "plan-review-overdue:" : "plan-review-due:") + id + ":" + day,
                                            email});
        }
        if (progress_due) {
            const std::string day = progress->iso();
            written += notes.notify(users, {d::NoticeKind::network,
                                            reference,
                                            link,
                                            "network.plan.reminder.progress_due",
                                            {reference, title_fr, day},
                                            {reference, title_en, day},
                                            "plan-progress-due:" + id + ":" + day,
                                            email});
        }
    }
    return written;
}

}  // namespace arrimage::store
