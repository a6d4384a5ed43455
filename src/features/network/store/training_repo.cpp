#include "features/network/store/training_repo.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/network/store/reader_area.hpp"
#include "features/notification/store/notification_repo.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

using network_area::admin_area;
using network_area::area_of;

// The roles a training may be required of, as an SQL list: "'coordinator', 'participant_staff', ...".
const std::string& trainable_sql() {
    static const std::string list = [] {
        std::string out;
        for (auto r : d::trainable_roles()) {
            if (!out.empty()) out += ", ";
            out += "'" + std::string(d::code(r)) + "'";
        }
        return out;
    }();
    return list;
}

// The staff (see the header): memberships `m` of users `u` at organisations `o`. Joins first,
// then the conditions, so that a query may join more in between.
constexpr const char* staff_from =
    " FROM memberships m JOIN users u ON u.id = m.user_id AND u.active = 1 JOIN organisations o ON o.id = m.organisation_id "
    "AND o.active = 1 ";
// A deactivated account has left; an API client's service account is a system, not a person.
std::string staff_where() {
    return " m.active = 1 AND m.role IN (" + trainable_sql() +
           ") AND u.id NOT IN (SELECT c.user_id FROM api_clients c) AND lower(u.email) NOT LIKE '%@api-clients.invalid' ";
}

constexpr const char* summary_select =
    "SELECT t.id, t.title_fr, t.title_en, t.format, t.hours_tenths, t.validity_months, t.joint, t.retired, s.name_fr, "
    "s.name_en FROM trainings t JOIN service_delivery_areas s ON s.id = t.sda_id ";

TrainingSummary summary_of(const Row& r) {
    TrainingSummary s;
    s.id = r.i64(0);
    s.title_fr = r.str(1);
    s.title_en = r.str(2);
    s.format = d::parse_training_format(r.str(3)).value_or(d::TrainingFormat::in_person);
    s.hours_tenths = static_cast<int>(r.i64(4));
    if (const auto v = r.opt_i64(5)) s.validity_months = static_cast<int>(*v);
    s.joint = r.boolean(6);
    s.retired = r.boolean(7);
    s.area_fr = r.str(8);
    s.area_en = r.str(9);
    return s;
}

// The place of `role` in trainable_roles() (their end when it is not one).
std::size_t rank_of(d::Role role) {
    const auto& roles = d::trainable_roles();
    return static_cast<std::size_t>(std::find(roles.begin(), roles.end(), role) - roles.begin());
}

// The roles required of the trainings whose ids `ids_sql` selects (with `params`), added to
// `list` in trainable_roles() order.
void add_required_roles(Tx& tx, std::vector<TrainingSummary>& list, const std::string& ids_sql, const Params& params) {
    std::map<std::int64_t, TrainingSummary*> by_id;
    for (auto& s : list) by_id[s.id] = &s;
    for (const auto& r :
         tx.query("SELECT r.training_id, r.role FROM training_requirements r WHERE r.training_id IN (" + ids_sql + ")", params)) {
        auto it = by_id.find(r.i64(0));
        const auto role = d::parse_role(r.str(1));
        if (it == by_id.end() || !role) continue;
        it->second->required_roles.push_back(*role);
    }
    for (auto& s : list)
        std::sort(s.required_roles.begin(), s.required_roles.end(), [](d::Role a, d::Role b) { return rank_of(a) < rank_of(b); });
}

// What the reader sees of the catalogue: the trainings of `area` (none: every area, for the
// ministry's analyst). `admin`: the reader keeps them (a ca_admin); `recorder`: the reader records
// completions (a ca_admin or a provider manager).
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

// The training's row (summary_select) for the reader, or the refusal: Forbidden for a role that
// reads none, NotFound for one the reader may not see.
Result<Row> readable(const AccessContext& ctx, const Reach& reach, std::int64_t id) {
    Params params{id};
    std::string sql = std::string(summary_select) + "WHERE t.id = ?";
    if (reach.area) {
        sql += " AND t.sda_id = ?";
        params.emplace_back(*reach.area);
    }
    auto row = ctx.tx.query_one(sql, params);
    if (!row) return Error::not_found();
    return std::move(*row);
}

// Serialises the writers of one training (each reads its version or its completions, then writes).
void lock_training(Tx& tx, std::int64_t id) {
    tx.lock("training:" + std::to_string(id));
}

// The administrator's training `id` at the version the form was shown with: NotFound outside
// their area, Conflict when it changed since. Locked until the transaction ends.
Result<void> current(const AccessContext& ctx, std::int64_t area, std::int64_t id, int version) {
    lock_training(ctx.tx, id);
    const auto row = ctx.tx.query_one("SELECT version FROM trainings WHERE id = ? AND sda_id = ?", {id, area});
    if (!row) return Error::not_found();
    // A form filled in over other terms is out of date before it is wrong.
    if (row->i64(0) != version) return Error::conflict("network.training.changed_meanwhile");
    return {};
}

// The partners the terms name: active organisations of the area (on a change, those the training
// already names may have been deactivated since and stay allowed).
std::vector<FieldError> check_partners(Tx& tx, const d::TrainingTerms& terms, std::int64_t area, std::int64_t training = 0) {
    for (auto org : terms.partners) {
        if (tx.query_one("SELECT 1 FROM organisations o WHERE o.id = ? AND o.sda_id = ? AND (o.active = 1 OR EXISTS (SELECT "
                         "1 FROM training_partners p WHERE p.training_id = ? AND p.organisation_id = o.id))",
                         {org, area, training}))
            continue;
        return {{"partners", "field.choose_from_list", {}}};
    }
    return {};
}

void write_partners(Tx& tx, std::int64_t id, const d::TrainingTerms& terms) {
    tx.exec("DELETE FROM training_partners WHERE training_id = ?", {id});
    for (auto org : terms.partners)
        tx.exec("INSERT INTO training_partners (training_id, organisation_id) VALUES (?, ?)", {id, org});
}

Value validity_of(const d::TrainingTerms& terms) {
    return terms.validity_months ? Value{std::int64_t{*terms.validity_months}} : Value{Null{}};
}

// Whom the reader records completions for: the staff of the area's organisations (a ca_admin) or
// of their own (a provider manager), as a condition on `o` and its parameters.
std::pair<std::string, Params> recording_scope(const AccessContext& ctx, std::int64_t area) {
    if (ctx.actor->role == d::Role::ca_admin) return {" AND o.sda_id = ?", {area}};
    return {" AND o.sda_id = ? AND o.id = ?", {area, ctx.actor->organisation_id}};
}

std::vector<StaffChoice> staff_in(Tx& tx, const std::string& scope, const Params& params) {
    std::vector<StaffChoice> out;
    // A person with two roles at one organisation is one choice there.
    for (const auto& r :
         tx.query("SELECT DISTINCT m.user_id, u.display_name, o.id, o.name_fr, o.name_en" + std::string(staff_from) + "WHERE" +
                      staff_where() + scope + " ORDER BY u.display_name, o.name_en, m.user_id, o.id",
                  params))
        out.push_back({r.i64(0), r.str(1), r.i64(2), r.str(3), r.str(4)});
    return out;
}

Date later_of(const Date& a, const Date& b) {
    return days_between(a, b) > 0 ? b : a;
}

// Where the staff that `scope` (a condition on m, u, o) selects stand on the trainings of their
// organisation's area required of their role, not retired: one obligation per person,
// organisation and training. A person holding two roles it is required of at one organisation
// has it once, under the requirement due first. Two queries whatever the number of people: the
// memberships × requirements, then the latest completion of each person and training.
std::vector<ObligationRow> obligations(Tx& tx, const std::string& scope, const Params& params, const Date& today) {
    struct Candidate {
        ObligationRow row;
        Date due_by;
        std::size_t rank = 0;
    };
    struct Pending {
        ObligationRow row;
        Date since;
        int due_days = 0;
        std::optional<int> validity_months;
    };
    std::vector<Pending> found;
    for (const auto& r : tx.query("SELECT m.user_id, u.display_name, o.id, o.name_fr, o.name_en, m.role, m.created_at, t.id, "
                                  "t.title_fr, t.title_en, t.validity_months, q.due_days, q.set_on" +
                                      std::string(staff_from) +
                                      "JOIN trainings t ON t.sda_id = o.sda_id AND t.retired = 0 JOIN training_requirements q "
                                      "ON q.training_id = t.id AND q.role = m.role WHERE" +
                                      staff_where() + scope,
                                  params)) {
        Pending p;
        p.row.user_id = r.i64(0);
        p.row.user_name = r.str(1);
        p.row.organisation_id = r.i64(2);
        p.row.organisation_fr = r.str(3);
        p.row.organisation_en = r.str(4);
        p.row.role = d::parse_role(r.str(5)).value_or(d::Role::participant_staff);
        p.row.training_id = r.i64(7);
        p.row.title_fr = r.str(8);
        p.row.title_en = r.str(9);
        if (const auto v = r.opt_i64(10)) p.validity_months = static_cast<int>(*v);
        p.due_days = static_cast<int>(r.i64(11));
        // Required since the later of the day the role was taken up and the day it was set.
        const auto taken_up = parse_date(r.str(6).substr(0, 10));
        const auto set_on = parse_date(r.str(12));
        if (taken_up && set_on)
            p.since = later_of(*taken_up, *set_on);
        else if (taken_up || set_on)
            p.since = taken_up ? *taken_up : *set_on;
        else
            p.since = today;
        found.push_back(std::move(p));
    }
    if (found.empty()) return {};

    std::map<std::pair<std::int64_t, std::int64_t>, Date> latest;  // (user, training) -> its latest completion
    for (const auto& r :
         tx.query("SELECT c.user_id, c.training_id, MAX(c.completed_on) FROM training_completions c WHERE "
                  "c.user_id IN (SELECT m.user_id" +
                      std::string(staff_from) + "WHERE" + staff_where() + scope + ") GROUP BY c.user_id, c.training_id",
                  params)) {
        if (const auto on = parse_date(r.str(2))) latest[{r.i64(0), r.i64(1)}] = *on;
    }

    std::map<std::tuple<std::int64_t, std::int64_t, std::int64_t>, Candidate> chosen;  // (user, organisation, training)
    for (auto& p : found) {
        const auto done = latest.find({p.row.user_id, p.row.training_id});
        d::Obligation o;
        o.required_since = p.since;
        o.due_days = p.due_days;
        if (done != latest.end()) o.last_completed = done->second;
        o.validity_months = p.validity_months;
        const auto state = d::obligation_of(o, today);
        p.row.required_since = p.since.iso();
        p.row.due_by = state.due_by.iso();
        p.row.completed_on = o.last_completed ? o.last_completed->iso() : std::string();
        p.row.expires_on = state.expires_on ? state.expires_on->iso() : std::string();
        p.row.standing = state.standing;

        const auto key = std::make_tuple(p.row.user_id, p.row.organisation_id, p.row.training_id);
        const std::size_t rank = rank_of(p.row.role);
        auto it = chosen.find(key);
        if (it == chosen.end()) {
            chosen.emplace(key, Candidate{std::move(p.row), state.due_by, rank});
            continue;
        }
        const int earlier = days_between(state.due_by, it->second.due_by);  // > 0: this one is due first
        if (earlier > 0 || (earlier == 0 && rank < it->second.rank)) it->second = Candidate{std::move(p.row), state.due_by, rank};
    }
    std::vector<ObligationRow> out;
    out.reserve(chosen.size());
    for (auto& [key, c] : chosen) out.push_back(std::move(c.row));
    return out;
}

// The organisations' counts, from their staff's obligations (those of other organisations are
// left out).
void count(std::vector<OrganisationCompliance>& list, const std::vector<ObligationRow>& rows) {
    std::map<std::int64_t, OrganisationCompliance*> by_id;
    std::map<std::int64_t, std::set<std::int64_t>> people;
    for (auto& c : list) by_id[c.id] = &c;
    for (const auto& r : rows) {
        const auto it = by_id.find(r.organisation_id);
        if (it == by_id.end()) continue;
        auto& c = *it->second;
        people[c.id].insert(r.user_id);
        ++c.obligations;
        switch (r.standing) {
            case d::TrainingStanding::complete:
                ++c.complete;
                break;
            case d::TrainingStanding::expiring_soon:
                ++c.expiring_soon;
                break;
            case d::TrainingStanding::due:
                ++c.due;
                break;
            case d::TrainingStanding::overdue:
                ++c.overdue;
                break;
            case d::TrainingStanding::lapsed:
                ++c.lapsed;
                break;
        }
    }
    for (auto& c : list) {
        c.staff = static_cast<int>(people[c.id].size());
        c.percent = d::compliance_percent(c.complete + c.expiring_soon, c.obligations);
    }
}

constexpr const char* organisation_select =
    "SELECT o.id, o.name_fr, o.name_en, s.name_fr, s.name_en FROM organisations o JOIN service_delivery_areas s ON s.id = "
    "o.sda_id WHERE o.active = 1";

OrganisationCompliance organisation_of(const Row& r) {
    OrganisationCompliance c;
    c.id = r.i64(0);
    c.name_fr = r.str(1);
    c.name_en = r.str(2);
    c.area_fr = r.str(3);
    c.area_en = r.str(4);
    return c;
}

}  // namespace

bool TrainingRepo::may_manage() const {
    return static_cast<bool>(admin_area(ctx_));
}

Result<std::vector<TrainingSummary>> TrainingRepo::list(bool include_retired) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    std::string where = "WHERE 1 = 1";
    Params params;
    if (reach->area) where += " AND t.sda_id = ?", params.emplace_back(*reach->area);
    if (!include_retired) where += " AND t.retired = 0";
    std::vector<TrainingSummary> out;
    for (const auto& r : ctx_.tx.query(std::string(summary_select) + where + " ORDER BY t.title_en, t.id", params))
        out.push_back(summary_of(r));
    if (!out.empty()) add_required_roles(ctx_.tx, out, "SELECT t.id FROM trainings t " + where, params);
    return out;
}

Result<std::vector<TrainingLink>> TrainingRepo::partner_choices() const {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    std::vector<TrainingLink> out;
    for (const auto& r : ctx_.tx.query(
             "SELECT id, name_fr, name_en FROM organisations WHERE active = 1 AND sda_id = ? ORDER BY name_en, id", {*area}))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

Result<std::int64_t> TrainingRepo::create(const d::TrainingForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    d::TrainingTerms terms;
    if (auto e = d::validate(form, terms); !e.empty()) return Error::invalid(std::move(e));
    if (auto e = check_partners(ctx_.tx, terms, *area); !e.empty()) return Error::invalid(std::move(e));
    const std::string now = format_iso(ctx_.clock.now());
    const auto row = ctx_.tx.query_one(
        "INSERT INTO trainings (sda_id, title_fr, title_en, description_fr, description_en, format, hours_tenths, "
        "validity_months, joint, retired, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, 0, 1, ?, ?, ?, ?) RETURNING id",
        {*area, terms.title_fr, terms.title_en, terms.description_fr, terms.description_en, std::string(d::code(terms.format)),
         std::int64_t{terms.hours_tenths}, validity_of(terms), std::int64_t{terms.joint ? 1 : 0}, now, ctx_.actor->user_id, now,
         ctx_.actor->user_id});
    const std::int64_t id = row->i64(0);
    write_partners(ctx_.tx, id, terms);
    return id;
}

Result<TrainingRecord> TrainingRepo::training(std::int64_t id) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    auto row = readable(ctx_, *reach, id);
    if (!row) return row.error();
    TrainingRecord out;
    std::vector<TrainingSummary> one = {summary_of(*row)};
    add_required_roles(ctx_.tx, one, "?", {id});
    out.summary = std::move(one.front());

    const auto body = ctx_.tx.query_one("SELECT description_fr, description_en, version FROM trainings WHERE id = ?", {id});
    auto& t = out.terms;
    t.title_fr = out.summary.title_fr;
    t.title_en = out.summary.title_en;
    t.description_fr = body->str(0);
    t.description_en = body->str(1);
    t.format = out.summary.format;
    t.hours_tenths = out.summary.hours_tenths;
    t.validity_months = out.summary.validity_months;
    t.joint = out.summary.joint;
    out.version = static_cast<int>(body->i64(2));
    for (const auto& r : ctx_.tx.query("SELECT o.id, o.name_fr, o.name_en FROM training_partners p JOIN organisations o ON "
                                       "o.id = p.organisation_id WHERE p.training_id = ? ORDER BY o.name_en, o.id",
                                       {id})) {
        out.partners.push_back({r.i64(0), r.str(1), r.str(2)});
        t.partners.push_back(r.i64(0));
    }
    std::sort(t.partners.begin(), t.partners.end());

    for (const auto& r : ctx_.tx.query("SELECT role, due_days, set_on FROM training_requirements WHERE training_id = ?", {id})) {
        const auto role = d::parse_role(r.str(0));
        if (!role) continue;
        out.requirements.push_back({*role, static_cast<int>(r.i64(1)), r.str(2)});
    }
    std::sort(out.requirements.begin(), out.requirements.end(),
              [](const RequirementRow& a, const RequirementRow& b) { return rank_of(a.role) < rank_of(b.role); });

    // The analyst reads percentages, never about a person; a provider manager, their own staff's.
    if (reach->recorder) {
        std::string sql =
            "SELECT c.id, c.user_id, u.display_name, o.name_fr, o.name_en, c.completed_on, c.note, COALESCE(b.display_name, "
            "'') FROM training_completions c JOIN users u ON u.id = c.user_id JOIN organisations o ON o.id = c.organisation_id "
            "LEFT JOIN users b ON b.id = c.recorded_by WHERE c.training_id = ?";
        Params params{id};
        if (!reach->admin) sql += " AND c.organisation_id = ?", params.emplace_back(ctx_.actor->organisation_id);
        for (const auto& r : ctx_.tx.query(sql + " ORDER BY c.completed_on DESC, c.id DESC", params))
            out.completions.push_back({r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.str(7)});
    }
    out.may_edit = reach->admin;
    out.may_record = reach->recorder && !out.summary.retired;
    return out;
}

Result<void> TrainingRepo::update(std::int64_t id, int version, const d::TrainingForm& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    if (auto at = current(ctx_, *area, id, version); !at) return at.error();
    d::TrainingTerms terms;
    if (auto e = d::validate(form, terms); !e.empty()) return Error::invalid(std::move(e));
    if (auto e = check_partners(ctx_.tx, terms, *area, id); !e.empty()) return Error::invalid(std::move(e));
    const auto changed = ctx_.tx.exec(
        "UPDATE trainings SET title_fr = ?, title_en = ?, description_fr = ?, description_en = ?, format = ?, hours_tenths = ?, "
        "validity_months = ?, joint = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ? AND version = ?",
        {terms.title_fr, terms.title_en, terms.description_fr, terms.description_en, std::string(d::code(terms.format)),
         std::int64_t{terms.hours_tenths}, validity_of(terms), std::int64_t{terms.joint ? 1 : 0}, format_iso(ctx_.clock.now()),
         ctx_.actor->user_id, id, std::int64_t{version}});
    if (changed != 1) return Error::conflict("network.training.changed_meanwhile");
    write_partners(ctx_.tx, id, terms);
    return {};
}

Result<void> TrainingRepo::set_requirements(std::int64_t id, int version, const std::vector<d::RequirementForm>& form) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    if (auto at = current(ctx_, *area, id, version); !at) return at.error();
    std::vector<d::Requirement> required;
    if (auto e = d::validate(form, required); !e.empty()) return Error::invalid(std::move(e));

    std::map<std::string, std::pair<std::int64_t, std::string>> before;  // role -> due days, set on
    for (const auto& r : ctx_.tx.query("SELECT role, due_days, set_on FROM training_requirements WHERE training_id = ?", {id}))
        before[r.str(0)] = {r.i64(1), r.str(2)};
    const TimePoint now = ctx_.clock.now();
    const std::string today = date_of(now).iso();
    ctx_.tx.exec("DELETE FROM training_requirements WHERE training_id = ?", {id});
    for (const auto& q : required) {
        const std::string role(d::code(q.role));
        // An unchanged requirement keeps its day: setting it again does not restart anyone's delay.
        const auto was = before.find(role);
        const std::string set_on = was != before.end() && was->second.first == q.due_days ? was->second.second : today;
        ctx_.tx.exec("INSERT INTO training_requirements (training_id, role, due_days, set_on) VALUES (?, ?, ?, ?)",
                     {id, role, std::int64_t{q.due_days}, set_on});
    }
    ctx_.tx.exec("UPDATE trainings SET version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                 {format_iso(now), ctx_.actor->user_id, id});
    return {};
}

Result<void> TrainingRepo::set_retired(std::int64_t id, int version, bool retired) {
    auto area = admin_area(ctx_);
    if (!area) return area.error();
    if (auto at = current(ctx_, *area, id, version); !at) return at.error();
    const auto now = ctx_.clock.now();
    ctx_.tx.exec("UPDATE trainings SET retired = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE id = ?",
                 {std::int64_t{retired ? 1 : 0}, format_iso(now), ctx_.actor->user_id, id});
    // Back in the catalogue, its requirements count again from today: the time it was retired
    // does not make its staff overdue at once.
    if (!retired) ctx_.tx.exec("UPDATE training_requirements SET set_on = ? WHERE training_id = ?", {date_of(now).iso(), id});
    return {};
}

Result<std::vector<StaffChoice>> TrainingRepo::staff_choices(std::int64_t training_id) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (!reach->recorder) return Error::forbidden();
    if (auto row = readable(ctx_, *reach, training_id); !row) return row.error();
    auto [scope, params] = recording_scope(ctx_, *reach->area);
    return staff_in(ctx_.tx, scope, params);
}

Result<std::int64_t> TrainingRepo::record_completion(std::int64_t training_id, const d::CompletionForm& form) {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    if (!reach->recorder) return Error::forbidden();
    lock_training(ctx_.tx, training_id);
    auto row = readable(ctx_, *reach, training_id);
    if (!row) return row.error();
    if (row->boolean(7)) return Error::conflict("network.training.retired");
    const TimePoint now = ctx_.clock.now();
    d::CompletionTerms terms;
    if (auto e = d::validate(form, date_of(now), terms); !e.empty()) return Error::invalid(std::move(e));

    auto [scope, params] = recording_scope(ctx_, *reach->area);
    scope += " AND m.user_id = ?";
    params.emplace_back(terms.user);
    std::optional<std::int64_t> organisation;
    for (const auto& s : staff_in(ctx_.tx, scope, params))
        if (!organisation || s.organisation_id < *organisation) organisation = s.organisation_id;
    if (!organisation) return Error::invalid_field("user", "network.training.not_staff");

    const std::string on = terms.completed_on.iso();
    if (ctx_.tx.query_one("SELECT 1 FROM training_completions WHERE training_id = ? AND user_id = ? AND completed_on = ?",
                          {training_id, terms.user, on}))
        return Error::invalid_field("completed_on", "network.training.already_recorded");
    const auto id = ctx_.tx.query_one(
        "INSERT INTO training_completions (training_id, user_id, organisation_id, completed_on, note, recorded_at, "
        "recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {training_id, terms.user, *organisation, on, terms.note, format_iso(now), ctx_.actor->user_id});
    return id->i64(0);
}

Result<std::vector<OrganisationCompliance>> TrainingRepo::compliance() const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    std::string scope;
    Params params;
    if (reach->admin)
        scope = " AND o.sda_id = ?", params.emplace_back(*reach->area);
    else if (reach->recorder)
        scope = " AND o.id = ?", params.emplace_back(ctx_.actor->organisation_id);
    std::vector<OrganisationCompliance> out;
    for (const auto& r :
         ctx_.tx.query(std::string(organisation_select) + scope + " ORDER BY s.name_en, s.id, o.name_en, o.id", params))
        out.push_back(organisation_of(r));
    if (out.empty()) return out;
    count(out, obligations(ctx_.tx, scope, params, date_of(ctx_.clock.now())));
    return out;
}

Result<OrganisationComplianceDetail> TrainingRepo::organisation(std::int64_t organisation_id) const {
    auto reach = reach_of(ctx_);
    if (!reach) return reach.error();
    // The analyst reads percentages, never about a person.
    if (!reach->recorder) return Error::forbidden();
    if (!reach->admin && organisation_id != ctx_.actor->organisation_id) return Error::not_found();
    const auto row =
        ctx_.tx.query_one(std::string(organisation_select) + " AND o.id = ? AND o.sda_id = ?", {organisation_id, *reach->area});
    if (!row) return Error::not_found();
    OrganisationComplianceDetail out;
    out.rows = obligations(ctx_.tx, " AND o.id = ?", {organisation_id}, date_of(ctx_.clock.now()));
    std::vector<OrganisationCompliance> one = {organisation_of(*row)};
    count(one, out.rows);
    out.summary = std::move(one.front());
    std::sort(out.rows.begin(), out.rows.end(), [](const ObligationRow& a, const ObligationRow& b) {
        return std::tie(a.user_name, a.title_en, a.user_id, a.training_id) <
               std::tie(b.user_name, b.title_en, b.user_id, b.training_id);
    });
    return out;
}

Result<std::vector<ObligationRow>> TrainingRepo::mine() const {
    if (!ctx_.actor || !d::is_trainable(ctx_.actor->role)) return Error::forbidden();
    auto rows = obligations(ctx_.tx, " AND m.user_id = ?", {ctx_.actor->user_id}, date_of(ctx_.clock.now()));
    std::sort(rows.begin(), rows.end(), [](const ObligationRow& a, const ObligationRow& b) {
        return std::tie(a.title_en, a.training_id, a.organisation_en, a.organisation_id) <
               std::tie(b.title_en, b.training_id, b.organisation_en, b.organisation_id);
    });
    return rows;
}

int raise_training_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                             bool email) {
    const Date today = date_of(clock.now());
    NotificationRepo notes(tx, clock, catalogue, public_base_url);
    // The title in each person's language: the notification names it in its reference.
    std::map<std::int64_t, bool> french;
    for (const auto& r : tx.query("SELECT u.id, u.preferred_lang" + std::string(staff_from) + "WHERE" + staff_where()))
        french[r.i64(0)] = r.str(1) == "fr";
    int written = 0;
    for (const auto& o : obligations(tx, "", {}, today)) {
        std::string key, day;
        switch (o.standing) {
            case d::TrainingStanding::due:
                if (days_between(today, *parse_date(o.due_by)) > training_due_notice_days) continue;
                key = "due", day = o.due_by;
                break;
            case d::TrainingStanding::overdue:
                key = "overdue", day = o.due_by;
                break;
            case d::TrainingStanding::expiring_soon:
                key = "expiring", day = o.expires_on;
                break;
            case d::TrainingStanding::lapsed:
                key = "lapsed", day = o.expires_on;
                break;
            case d::TrainingStanding::complete:
                continue;
        }
        const auto lang = french.find(o.user_id);
        const bool fr = lang != french.end() && lang->second;
        written += notes.notify(
            {o.user_id}, {d::NoticeKind::network,
                          fr ? o.title_fr : o.title_en,
                          "/network/my-trainings",
                          "network.training.reminder." + key,
                          {o.title_fr, day},
                          {o.title_en, day},
                          "training-" + key + ":" + std::to_string(o.user_id) + ":" + std::to_string(o.training_id) + ":" + day,
                          email});
    }
    return written;
}

}  // namespace arrimage::store
