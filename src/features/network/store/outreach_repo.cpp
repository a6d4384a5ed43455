#include "features/network/store/outreach_repo.hpp"
#include "features/network/store/reader_area.hpp"

#include <algorithm>
#include <map>

#include "core/time.hpp"
#include "domain/identity.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

using network_area::area_of;

// What the reader sees of the log: the activities of `area` (none: every area, for the
// ministry's analyst). `admin`: the reader keeps the area's log (a ca_admin); `recorder`: the
// reader records activities (a ca_admin or a provider manager).
struct Reach {
    std::optional<std::int64_t> area;
    bool admin = false;
    bool recorder = false;
};

Result<Reach> reach_of(const AccessContext& ctx) {
    if (!ctx.actor) return Error::forbidden();
    switch (ctx.actor->role) {
        case d::Role::ca_admin:
        case d::Role::provider_manager: {
            auto area = area_of(ctx);
            if (!area) return area.error();
            return Reach{*area, ctx.actor->role == d::Role::ca_admin, true};
        }
        case d::Role::ministry_analyst:
            return Reach{};
        default:
            return Error::forbidden();
    }
}

constexpr const char* row_select =
    "SELECT a.id, a.kind, a.title, a.lang, a.held_on, a.people_reached, a.summary, a.follow_up, s.name_fr, s.name_en FROM "
    "outreach_activities a JOIN service_delivery_areas s ON s.id = a.sda_id ";

OutreachRow row_of(const Row& r) {
    OutreachRow o;
    o.id = r.i64(0);
    o.kind = d::parse_outreach_kind(r.str(1)).value_or(d::OutreachKind::other);
    o.title = r.str(2);
    o.language = d::parse_outreach_language(r.str(3)).value_or(d::OutreachLanguage::both);
    o.held_on = r.str(4);
    if (const auto v = r.opt_i64(5)) o.people_reached = static_cast<int>(*v);
    o.summary = r.str(6);
    o.follow_up = r.str(7);
    o.area_fr = r.str(8);
    o.area_en = r.str(9);
    return o;
}

std::size_t rank_of(d::OutreachAudience a) {
    const auto& all = d::all_outreach_audiences();
    return static_cast<std::size_t>(std::find(all.begin(), all.end(), a) - all.begin());
}

// The audiences and organisations of the activities `ids_sql` selects (with `params`), added to
// `rows`: two queries whatever the number of activities.
void add_details(Tx& tx, std::vector<OutreachRow>& rows, const std::string& ids_sql, const Params& params) {
    std::map<std::int64_t, OutreachRow*> by_id;
    for (auto& r : rows) by_id[r.id] = &r;
    for (const auto& r : tx.query(
             "SELECT u.activity_id, u.audience FROM outreach_audiences u WHERE u.activity_id IN (" + ids_sql + ")", params)) {
        const auto it = by_id.find(r.i64(0));
        const auto audience = d::parse_outreach_audience(r.str(1));
        if (it == by_id.end() || !audience) continue;
        it->second->audiences.push_back(*audience);
    }
    for (auto& r : rows)
        std::sort(r.audiences.begin(), r.audiences.end(),
                  [](d::OutreachAudience a, d::OutreachAudience b) { return rank_of(a) < rank_of(b); });
    for (const auto& r :
         tx.query("SELECT g.activity_id, o.id, o.name_fr, o.name_en FROM outreach_organisations g JOIN organisations o ON o.id = "
                  "g.organisation_id WHERE g.activity_id IN (" +
                      ids_sql + ") ORDER BY o.name_en, o.id",
                  params)) {
        const auto it = by_id.find(r.i64(0));
        if (it == by_id.end()) continue;
        it->second->organisations.push_back({r.i64(1), r.str(2), r.str(3)});
    }
}

// The condition on activities `a` that the reader's reach and `f` make, with its parameters.
std::pair<std::string, Params> where_of(const Reach& reach, const d::OutreachFilter& f) {
    std::string where = " WHERE 1 = 1";
    Params params;
    if (reach.area) where += " AND a.sda_id = ?", params.emplace_back(*reach.area);
    if (f.from) where += " AND a.held_on >= ?", params.emplace_back(f.from->iso());
    if (f.to) where += " AND a.held_on <= ?", params.emplace_back(f.to->iso());
    if (f.kind) where += " AND a.kind = ?", params.emplace_back(std::string(d::code(*f.kind)));
    if (f.audience) {
        where += " AND EXISTS (SELECT 1 FROM outreach_audiences x WHERE x.activity_id = a.id AND x.audience = ?)";
        params.emplace_back(std::string(d::code(*f.audience)));
    }
    if (f.organisation) {
        where += " AND EXISTS (SELECT 1 FROM outreach_organisations y WHERE y.activity_id = a.id AND y.organisation_id = ?)";
        params.emplace_back(*f.organisation);
    }
    return {where, params};
}

OutreachTotals totals_of(const std::vector<OutreachRow>& rows) {
    OutreachTotals t;
    for (auto k : d::all_outreach_kinds()) t.per_kind.push_back({k, 0, 0});
    for (const auto& r : rows) {
        ++t.activities;
        auto kind =
            std::find_if(t.per_kind.begin(), t.per_kind.end(), [&](const OutreachKindTotal& k) { return k.kind == r.kind; });
        if (kind != t.per_kind.end()) ++kind->activities;
        if (!r.people_reached) continue;
        ++t.counted;
        t.people_reached += *r.people_reached;
        if (kind != t.per_kind.end()) kind->people_reached += *r.people_reached;
    }
    return t;
}

// Serialises the writers of one activity (each reads its version, then writes).
void lock_activity(Tx& tx, std::int64_t id) {
    tx.lock("outreach:" + std::to_string(id));
}

// Adds to `e` what is wrong with the organisations the terms name, unless the form's own checks
// already found something there: each an active organisation of the area (on a change, those the
// activity already involves may have been deactivated since and stay allowed), and, for a provider
// manager, `own` (the organisation whose activity it is) among them.
void check_organisations(Tx& tx, const AccessContext& ctx, const d::OutreachTerms& terms, std::int64_t area, std::int64_t own,
                         std::int64_t activity, std::vector<FieldError>& e) {
    if (std::any_of(e.begin(), e.end(), [](const FieldError& f) { return f.field == "organisations"; })) return;
    for (auto org : terms.organisations) {
        if (tx.query_one("SELECT 1 FROM organisations o WHERE o.id = ? AND o.sda_id = ? AND (o.active = 1 OR EXISTS (SELECT "
                         "1 FROM outreach_organisations g WHERE g.activity_id = ? AND g.organisation_id = o.id))",
                         {org, area, activity}))
            continue;
        e.push_back({"organisations", "field.choose_from_list", {}});
        return;
    }
    // A provider logs its own activities; the agency logs any of its area's.
    if (ctx.actor->role == d::Role::provider_manager &&
        std::find(terms.organisations.begin(), terms.organisations.end(), own) == terms.organisations.end())
        e.push_back({"organisations", "network.outreach.own_organisation", {}});
}

void write_lists(Tx& tx, std::int64_t id, const d::OutreachTerms& terms) {
    tx.exec("DELETE FROM outreach_audiences WHERE activity_id = ?", {id});
    for (auto a : terms.audiences)
        tx.exec("INSERT INTO outreach_audiences (activity_id, audience) VALUES (?, ?)", {id, std::string(d::code(a))});
    tx.exec("DELETE FROM outreach_organisations WHERE activity_id = ?", {id});
    for (auto org : terms.organisations)
        tx.exec("INSERT INTO outreach_organisations (activity_id, organisation_id) VALUES (?, ?)", {id, org});
}

Value people_of(const d::OutreachTerms& terms) {
    return terms.people_reached ? Value{std::int64_t{*terms.people_reached}} : Value{Null{}};
}

// Whether the reader may change an activity recorded by `created_by` for `owner`.
bool may_change(const AccessContext& ctx, const Reach& reach, std::int64_t created_by, std::int64_t owner) {
    if (reach.admin) return true;
    if (!reach.recorder) return false;
    return created_by == ctx.actor->user_id || owner == ctx.actor->organisation_id;
}

}  // namespace

bool OutreachRepo::may_record() const {
    auto reach = reach_of(ctx_);
    return reach && reach->recorder;
}

Result<OutreachLog> OutreachRepo::list(const d::OutreachQuery& query) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    d::OutreachFilter filter;
    auto e = d::validate(query, filter);
    if (filter.organisation) {
        std::string sql = "SELECT 1 FROM organisations WHERE id = ?";
        Params params{*filter.organisation};
        if (reach->area) sql += " AND sda_id = ?", params.emplace_back(*reach->area);
        if (!ctx_.tx.query_one(sql, params)) e.push_back({"organisation", "field.choose_from_list", {}});
    }
    if (!e.empty()) return Error::invalid(std::move(e));
    const auto [where, params] = where_of(*reach, filter);
    OutreachLog out;
    for (const auto& r : ctx_.tx.query(std::string(row_select) + where + " ORDER BY a.held_on DESC, a.id DESC", params))
        out.rows.push_back(row_of(r));
    if (!out.rows.empty()) add_details(ctx_.tx, out.rows, "SELECT a.id FROM outreach_activities a" + where, params);
    out.totals = totals_of(out.rows);
    return out;
}

Result<std::vector<OutreachOrganisation>> OutreachRepo::filter_choices() const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    std::string sql =
        "SELECT DISTINCT o.id, o.name_fr, o.name_en FROM outreach_organisations g JOIN outreach_activities a ON a.id = "
        "g.activity_id JOIN organisations o ON o.id = g.organisation_id";
    Params params;
    if (reach->area) sql += " WHERE a.sda_id = ?", params.emplace_back(*reach->area);
    std::vector<OutreachOrganisation> out;
    for (const auto& r : ctx_.tx.query(sql + " ORDER BY o.name_en, o.id", params)) out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

Result<std::vector<OutreachOrganisation>> OutreachRepo::choices() const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (!reach->recorder) return Error::forbidden();
    std::vector<OutreachOrganisation> out;
    for (const auto& r :
         ctx_.tx.query("SELECT id, name_fr, name_en FROM organisations WHERE active = 1 AND sda_id = ? ORDER BY name_en, id",
                       {*reach->area}))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

Result<std::int64_t> OutreachRepo::create(const d::OutreachForm& form) {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (!reach->recorder) return Error::forbidden();
    const TimePoint now = ctx_.clock.now();
    d::OutreachTerms terms;
    auto e = d::validate(form, date_of(now), terms);
    const std::int64_t own = ctx_.actor->organisation_id;
    check_organisations(ctx_.tx, ctx_, terms, *reach->area, own, 0, e);
    if (!e.empty()) return Error::invalid(std::move(e));
    const std::string stamp = format_iso(now);
    const auto row = ctx_.tx.query_one(
        "INSERT INTO outreach_activities (sda_id, organisation_id, kind, title, lang, held_on, people_reached, summary, "
        "follow_up, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) "
        "RETURNING id",
        {*reach->area, own, std::string(d::code(terms.kind)), terms.title, std::string(d::code(terms.language)),
         terms.held_on.iso(), people_of(terms), terms.summary, terms.follow_up, stamp, ctx_.actor->user_id, stamp,
         ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    write_lists(ctx_.tx, id, terms);
    return id;
}

Result<OutreachActivity> OutreachRepo::activity(std::int64_t id) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    std::string where = " WHERE a.id = ?";
    Params params{id};
    if (reach->area) where += " AND a.sda_id = ?", params.emplace_back(*reach->area);
    const auto found = ctx_.tx.query_one(std::string(row_select) + where, params);
    if (!found) return Error::not_found();
    OutreachActivity out;
    std::vector<OutreachRow> one = {row_of(*found)};
    add_details(ctx_.tx, one, "SELECT a.id FROM outreach_activities a" + where, params);
    out.row = std::move(one.front());

    const auto extra = ctx_.tx.query_one(
        "SELECT a.version, a.created_at, a.updated_at, a.created_by, o.id, o.name_fr, o.name_en, COALESCE(c.display_name, ''), "
        "COALESCE(u.display_name, '') FROM outreach_activities a JOIN organisations o ON o.id = a.organisation_id LEFT JOIN "
        "users c ON c.id = a.created_by LEFT JOIN users u ON u.id = a.updated_by WHERE a.id = ?",
        {id});
    out.version = static_cast<int>(extra->i64(0));
    out.created_at = extra->str(1);
    out.updated_at = extra->str(2);
    out.recorded_for = {extra->i64(4), extra->str(5), extra->str(6)};
    // The analyst reads what was done, never who wrote it down.
    if (reach->recorder) {
        out.created_by_name = extra->str(7);
        out.updated_by_name = extra->str(8);
    }
    out.may_edit = may_change(ctx_, *reach, extra->i64(3), out.recorded_for.id);

    auto& t = out.terms;
    t.kind = out.row.kind;
    t.audiences = out.row.audiences;
    t.title = out.row.title;
    t.language = out.row.language;
    t.held_on = parse_date(out.row.held_on).value_or(Date{});
    t.people_reached = out.row.people_reached;
    for (const auto& o : out.row.organisations) t.organisations.push_back(o.id);
    std::sort(t.organisations.begin(), t.organisations.end());
    t.summary = out.row.summary;
    t.follow_up = out.row.follow_up;
    return out;
}

Result<void> OutreachRepo::update(std::int64_t id, int version, const d::OutreachForm& form) {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (!reach->recorder) return Error::forbidden();
    lock_activity(ctx_.tx, id);
    const auto row = ctx_.tx.query_one(
        "SELECT version, created_by, organisation_id FROM outreach_activities WHERE id = ? AND sda_id = ?", {id, *reach->area});
    if (!row) return Error::not_found();
    const std::int64_t owner = row->i64(2);
    if (!may_change(ctx_, *reach, row->i64(1), owner)) return Error::forbidden();
    // A form filled in over another version is out of date before it is wrong.
    if (row->i64(0) != version) return Error::conflict("network.outreach.changed_meanwhile");

    const TimePoint now = ctx_.clock.now();
    d::OutreachTerms terms;
    auto e = d::validate(form, date_of(now), terms);
    check_organisations(ctx_.tx, ctx_, terms, *reach->area, owner, id, e);
    if (!e.empty()) return Error::invalid(std::move(e));
    const auto changed = ctx_.tx.exec(
        "UPDATE outreach_activities SET kind = ?, title = ?, lang = ?, held_on = ?, people_reached = ?, summary = ?, "
        "follow_up = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        {std::string(d::code(terms.kind)), terms.title, std::string(d::code(terms.language)), terms.held_on.iso(),
         people_of(terms), terms.summary, terms.follow_up, format_iso(now), ctx_.actor->user_id, id, std::int64_t{version}});
    if (changed != 1) return Error::conflict("network.outreach.changed_meanwhile");
    write_lists(ctx_.tx, id, terms);
    return {};
}

}  // namespace arrimage::store
