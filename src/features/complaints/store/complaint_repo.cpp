#include "features/complaints/store/complaint_repo.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "features/notification/store/notification_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

constexpr LifecycleTables complaint_tables{"complaints", "complaint_events", "complaint_id"};

constexpr const char* open_statuses = "('received', 'triaged', 'acknowledged', 'appealed')";
// The agency's staff who may own a complaint.
constexpr const char* owner_roles = "('ca_admin', 'coordinator', 'provider_manager', 'privacy_officer')";

// The day the agency is working against in the complaint's status (domain::deadline_state), in
// SQL for the register's order and its overdue filter; '' when nothing is waited on the agency.
constexpr const char* due_expression =
    "(CASE WHEN c.status IN ('received', 'triaged') THEN c.acknowledge_due WHEN c.status = 'acknowledged' THEN "
    "c.resolve_due WHEN c.status = 'appealed' THEN c.appeal_due ELSE '' END)";

// A complaint in full, in the order loaded_of reads: the register's row (0-16), then who it
// stands to (17-19), then what the complainant wrote and what was answered (20-32).
constexpr const char* complaint_select =
    "SELECT c.id, c.reference, c.kind, c.source, c.category, c.severity, c.status, c.received_at, COALESCE(a.name_fr, ''), "
    "COALESCE(a.name_en, ''), COALESCE(b.name_fr, ''), COALESCE(b.name_en, ''), COALESCE(c.owner_user_id, 0), "
    "COALESCE(u.display_name, ''), c.acknowledge_due, c.resolve_due, c.appeal_due, "
    "c.sda_id, COALESCE(c.raised_by_user, 0), COALESCE(c.raised_by_org, 0), "
    "c.complainant_name, c.complainant_relation, c.email, c.phone, c.preferred_lang, c.description, c.desired_outcome, "
    "c.resolution, c.resolved_on, c.appeal_reason, c.appeal_decision "
    "FROM complaints c LEFT JOIN organisations a ON a.id = c.about_organisation_id "
    "LEFT JOIN organisations b ON b.id = c.raised_by_org LEFT JOIN users u ON u.id = c.owner_user_id ";

// A stored code or day the domain does not know is corrupt data: an error, never read as another.
template <typename T>
T stored(std::optional<T> v, std::string_view what, std::int64_t id) {
    if (!v) throw std::runtime_error("complaint " + std::to_string(id) + " has an unknown " + std::string(what));
    return std::move(*v);
}

std::optional<Date> stored_day(const std::string& s, std::int64_t id) {
    if (s.empty()) return std::nullopt;
    return stored(parse_date(s), "day", id);
}

struct Loaded {
    ComplaintRow row;
    std::int64_t sda_id = 0, raised_by_user = 0, raised_by_org = 0;
    Date acknowledge_due, resolve_due;
    std::optional<Date> appeal_due;
};

Loaded loaded_of(const Row& r, const Date& today) {
    Loaded c;
    ComplaintRow& out = c.row;
    out.id = r.i64(0);
    out.reference = r.str(1);
    out.kind = stored(d::parse_complaint_kind(r.str(2)), "kind", out.id);
    out.source = stored(d::parse_complaint_source(r.str(3)), "source", out.id);
    out.category = stored(d::parse_complaint_category(r.str(4)), "category", out.id);
    if (!r.str(5).empty()) out.severity = stored(d::parse_complaint_severity(r.str(5)), "severity", out.id);
    out.status = stored(d::parse_complaint_status(r.str(6)), "status", out.id);
    out.received_at = r.str(7);
    out.about_fr = r.str(8);
    out.about_en = r.str(9);
    out.raised_by_org_fr = r.str(10);
    out.raised_by_org_en = r.str(11);
    out.owner_id = r.i64(12);
    out.owner_name = r.str(13);
    c.acknowledge_due = stored(parse_date(r.str(14)), "day", out.id);
    c.resolve_due = stored(parse_date(r.str(15)), "day", out.id);
    c.appeal_due = stored_day(r.str(16), out.id);
    out.deadline = d::deadline_state(out.status, c.acknowledge_due, c.resolve_due, c.appeal_due, today);
    c.sda_id = r.i64(17);
    c.raised_by_user = r.i64(18);
    c.raised_by_org = r.i64(19);
    return c;
}

std::optional<Loaded> load(Tx& tx, std::int64_t id, const Date& today) {
    const auto r = tx.query_one(std::string(complaint_select) + "WHERE c.id = ?", {id});
    if (!r) return std::nullopt;
    return loaded_of(*r, today);
}

bool has_field(const std::vector<FieldError>& errors, std::string_view field) {
    return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) { return e.field == field; });
}

bool may_own(d::Role r) {
    return r == d::Role::ca_admin || r == d::Role::coordinator || r == d::Role::provider_manager || r == d::Role::privacy_officer;
}

bool may_raise(d::Role r) {
    return may_own(r) || r == d::Role::participant_staff;
}

// The coordinating agency of the area `sda` names (a parameter or a column): its first active
// organisation with that CSP role. Written once, so that the complaint's page, the register, the
// owner's counts and the reminders agree on whom an owner works for.
std::string agency_query(std::string_view sda) {
    return "SELECT o.id FROM organisations o JOIN organisation_csp_roles r ON r.organisation_id = o.id AND r.csp_role = "
           "'coordinating_agency' WHERE o.sda_id = " +
           std::string(sda) + " AND o.active = 1 ORDER BY o.id LIMIT 1";
}

// The area's coordinating agency, if it has one.
std::optional<std::int64_t> agency_of(Tx& tx, std::int64_t sda) {
    const auto r = tx.query_one(agency_query("?"), {sda});
    if (!r) return std::nullopt;
    return r->i64(0);
}

// The complaints `c` the reader owns while acting for its area's agency (parameters: the user,
// then the organisation they act for), as owns() decides it for one.
std::string owned_by_reader() {
    return "(c.owner_user_id = ? AND (" + agency_query("c.sda_id") + ") = ?)";
}

// Whether `user` is on the agency's staff who may own complaints (active, in an owner's role).
bool agency_staff(Tx& tx, std::int64_t agency, std::int64_t user) {
    return tx
        .query_one(std::string("SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id AND u.active = 1 WHERE "
                               "m.organisation_id = ? AND m.user_id = ? AND m.active = 1 AND m.role IN ") +
                       owner_roles,
                   {agency, user})
        .has_value();
}

// The area's coordinating agency administrators (active ca_admin memberships at its
// organisations), who are told of what comes in and of what is overdue.
std::vector<std::int64_t> area_admins(Tx& tx, std::int64_t sda) {
    std::vector<std::int64_t> out;
    for (const auto& u : tx.query("SELECT DISTINCT m.user_id FROM memberships m JOIN users u ON u.id = m.user_id AND "
                                  "u.active = 1 JOIN organisations o ON o.id = m.organisation_id AND o.active = 1 WHERE "
                                  "o.sda_id = ? AND m.active = 1 AND m.role = 'ca_admin' ORDER BY m.user_id",
                                  {sda}))
        out.push_back(u.i64(0));
    return out;
}

// Whom the agency's work on a complaint goes to: its owner while they are still on the agency's
// staff who may own complaints (as the owner choices offer them), else the area's
// administrators, who stand in for an owner who left.
std::vector<std::int64_t> owner_or_admins(Tx& tx, std::int64_t sda, std::int64_t owner) {
    if (owner) {
        const auto agency = agency_of(tx, sda);
        if (agency && agency_staff(tx, *agency, owner)) return {owner};
    }
    return area_admins(tx, sda);
}

// Who raised it and hears how it ends: the account that raised it and, for a provider's, the
// raising organisation's managers.
std::vector<std::int64_t> raisers(Tx& tx, const Loaded& c) {
    std::vector<std::int64_t> out;
    if (c.raised_by_user) out.push_back(c.raised_by_user);
    if (c.raised_by_org)
        for (const auto& u : tx.query("SELECT DISTINCT m.user_id FROM memberships m WHERE m.organisation_id = ? AND m.active = "
                                      "1 AND m.role = 'provider_manager' ORDER BY m.user_id",
                                      {c.raised_by_org}))
            out.push_back(u.i64(0));
    return out;
}

// The area a ca_admin administers (their organisation's), as the governance feature reads it.
std::optional<std::int64_t> admin_area(const AccessContext& ctx) {
    if (!ctx.actor || ctx.actor->role != d::Role::ca_admin) return std::nullopt;
    const auto sda = ctx.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx.actor->organisation_id});
    if (!sda) return std::nullopt;
    return sda->i64(0);
}

// Whether the reader owns `c` and works it: its owner, in an owner's role, acting for the agency
// of its area (owned_by_reader() in SQL).
bool owns(const AccessContext& ctx, const Loaded& c) {
    const d::Actor& a = *ctx.actor;
    return c.row.owner_id == a.user_id && may_own(a.role) && agency_of(ctx.tx, c.sda_id) == a.organisation_id;
}

// Whether the reader resolved `c`, or owns it: an appeal is decided by someone else, so that
// nobody reviews their own resolution. An administrator may have resolved it for the agency or as
// its owner; the latest resolution is the one appealed.
bool reviews_own_resolution(const AccessContext& ctx, const Loaded& c) {
    if (!ctx.actor) return false;
    if (c.row.owner_id == ctx.actor->user_id) return true;
    const auto r = ctx.tx.query_one(
        "SELECT COALESCE(user_id, 0) FROM complaint_events WHERE complaint_id = ? AND event = 'resolve' ORDER BY id DESC "
        "LIMIT 1",
        {c.row.id});
    return r && r->i64(0) == ctx.actor->user_id;
}

// The reader's standing towards the complaint (see the header), strongest first; deny by
// default. The ministry's analyst and the platform's administrators stand to none, whatever
// else the same person did.
d::Relationship relationship_to(const AccessContext& ctx, const Loaded& c) {
    if (!ctx.actor) return d::Relationship::none;
    const d::Actor& a = *ctx.actor;
    if (a.role == d::Role::system_admin || a.role == d::Role::ministry_analyst) return d::Relationship::none;
    if (a.role == d::Role::family) return c.raised_by_user == a.user_id ? d::Relationship::self : d::Relationship::none;
    if (admin_area(ctx) == c.sda_id) return d::Relationship::coordinating_agency;
    // The owner works it while acting for the agency of its area.
    if (owns(ctx, c)) return d::Relationship::assigned_coordinator;
    if (c.raised_by_user == a.user_id) return d::Relationship::self;
    if (a.role == d::Role::provider_manager && c.raised_by_org != 0 && c.raised_by_org == a.organisation_id)
        return d::Relationship::self;
    return d::Relationship::none;
}

d::AccessRequest request(d::Relationship r, d::Action a) {
    d::AccessRequest q;
    q.relationship = r;
    q.category = d::Category::identity_contact;
    q.purpose = d::Purpose::coordination;
    q.action = a;
    return q;
}

// Decided here, by the rule of the header, not by the file's policy tables.
constexpr d::Decision handled{d::Effect::permit, d::Reason::complaint_handling, false, 0};

d::ComplaintSettings settings_of(Tx& tx, std::int64_t sda) {
    d::ComplaintSettings s;
    if (const auto r =
            tx.query_one("SELECT acknowledge_days, resolve_days, appeal_days FROM complaint_settings WHERE sda_id = ?", {sda})) {
        s.acknowledge_days = static_cast<int>(r->i64(0));
        s.resolve_days = static_cast<int>(r->i64(1));
        s.appeal_days = static_cast<int>(r->i64(2));
    }
    return s;
}

std::string link_of(std::int64_t id) {
    return "/complaints/" + std::to_string(id);
}

// A notice about complaint `id`: the reference and what `args` say (the same in both languages
// unless a label is among them), never the complainant's name or words.
NewNotification notice(const ComplaintNotices& n, std::int64_t id, const std::string& reference, std::string key,
                       std::vector<std::string> args_fr, std::vector<std::string> args_en) {
    return {d::NoticeKind::complaint, reference,          link_of(id), std::move(key),
            std::move(args_fr),       std::move(args_en), "",          n.email};
}

// Tells `users`, but not the one who just did it.
void tell(const AccessContext& ctx, const ComplaintNotices& n, std::vector<std::int64_t> users, const NewNotification& what) {
    if (ctx.actor) std::erase(users, ctx.actor->user_id);
    if (users.empty()) return;
    NotificationRepo(ctx.tx, ctx.clock, n.catalogue, n.public_base_url).notify(users, what);
}

std::string label(const Catalogue& catalogue, Lang lang, std::string_view prefix, std::string_view code) {
    return catalogue.t(lang, std::string(prefix) + std::string(code));
}

}  // namespace

// ---------------------------------------------------------------- the forms' choices

std::vector<ComplaintAreaChoice> ComplaintRepo::areas() const {
    std::vector<ComplaintAreaChoice> out;
    for (const auto& r : ctx_.tx.query(
             "SELECT s.id, s.name_fr, s.name_en FROM service_delivery_areas s WHERE s.active = 1 AND EXISTS (SELECT 1 FROM "
             "organisations o JOIN organisation_csp_roles r ON r.organisation_id = o.id AND r.csp_role = "
             "'coordinating_agency' WHERE o.sda_id = s.id AND o.active = 1) ORDER BY s.name_en, s.id"))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

std::vector<ComplaintOrganisationChoice> ComplaintRepo::organisations(std::int64_t area) const {
    std::vector<ComplaintOrganisationChoice> out;
    for (const auto& r : ctx_.tx.query(
             "SELECT id, name_fr, name_en FROM organisations WHERE sda_id = ? AND active = 1 ORDER BY name_en, id", {area}))
        out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

std::optional<std::int64_t> ComplaintRepo::raiser_area() const {
    if (!ctx_.actor) return std::nullopt;
    std::optional<Row> r;
    if (ctx_.actor->role == d::Role::family)
        r = ctx_.tx.query_one(
            "SELECT p.sda_id FROM family_access x JOIN people p ON p.id = x.person_id WHERE x.user_id = ? AND x.revoked_at IS "
            "NULL ORDER BY x.person_id LIMIT 1",
            {ctx_.actor->user_id});
    else
        r = ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx_.actor->organisation_id});
    if (!r) return std::nullopt;
    return r->i64(0);
}

// ---------------------------------------------------------------- raising one

Result<RaisedComplaint> ComplaintRepo::raise(const d::ComplaintForm& form, std::string_view page_lang) {
    Guard guard(ctx_);
    return guard.operation([&]() -> Result<RaisedComplaint> {
        auto source = d::ComplaintSource::public_form;
        if (ctx_.actor) {
            if (ctx_.actor->role == d::Role::family) {
                source = d::ComplaintSource::family;
            } else if (may_raise(ctx_.actor->role)) {
                source = d::ComplaintSource::provider;
            } else {
                guard.deny_unserved(request(d::Relationship::none, d::Action::create));
                return guard.refuse(Error::forbidden());
            }
        }
        // A family account is answered through its account: its name, address and language
        // stand in for those left empty.
        std::optional<Row> account;
        auto filled = form;
        if (source == d::ComplaintSource::family) {
            account =
                ctx_.tx.query_one("SELECT display_name, email, preferred_lang FROM users WHERE id = ?", {ctx_.actor->user_id});
            if (account && trim(filled.preferred_lang).empty()) filled.preferred_lang = account->str(2);
        }
        const auto own_area = raiser_area();
        d::ComplaintInput in;
        auto errors = d::validate(filled, !own_area, !ctx_.actor, page_lang, in);
        if (own_area) in.area = *own_area;
        // An active area with an agency to handle it; an organisation of that area.
        std::optional<std::int64_t> agency;
        if (!has_field(errors, "area")) {
            if (ctx_.tx.query_one("SELECT 1 FROM service_delivery_areas WHERE id = ? AND active = 1", {in.area}))
                agency = agency_of(ctx_.tx, in.area);
            if (!agency) errors.push_back({"area", "field.choose_from_list", {}});
        }
        if (in.about_organisation && !has_field(errors, "about_organisation")) {
            const auto org =
                ctx_.tx.query_one("SELECT sda_id FROM organisations WHERE id = ? AND active = 1", {*in.about_organisation});
            if (!org || (agency && org->i64(0) != in.area))
                errors.push_back({"about_organisation", "field.choose_from_list", {}});
        }
        if (!errors.empty()) return Error::invalid(std::move(errors));
        if (account) {
            if (in.name.empty()) in.name = account->str(0);
            if (!in.email) in.email = account->str(1);
        }

        const auto now = ctx_.clock.now();
        const Date today = date_of(now);
        const std::string at = format_iso(now);
        const auto due = d::deadlines_for(today, settings_of(ctx_.tx, in.area));
        // References number the complaints received in the year, "CMP-2026-0007": taken under the
        // lock, so two raised at once never take the same one.
        ctx_.tx.lock("complaints");
        const auto last = ctx_.tx
                              .query_one(
                                  "SELECT COALESCE(MAX(CAST(substr(reference, 10) AS INTEGER)), 0) FROM complaints "
                                  "WHERE reference LIKE ?",
                                  {"CMP-" + std::to_string(today.year) + "-%"})
                              ->i64(0);
        const std::string reference = d::complaint_reference(today.year, static_cast<int>(last + 1));
        const Value user = ctx_.actor ? Value{ctx_.actor->user_id} : Value{Null{}};
        const Value org = source == d::ComplaintSource::provider ? Value{ctx_.actor->organisation_id} : Value{Null{}};
        const auto row = ctx_.tx.query_one(
            "INSERT INTO complaints (sda_id, reference, kind, source, category, severity, about_organisation_id, "
            "raised_by_user, raised_by_org, complainant_name, complainant_relation, email, phone, preferred_lang, "
            "description, desired_outcome, status, received_at, acknowledge_due, resolve_due, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', ?, ?, ?, ?, ?) RETURNING id",
            {in.area,
             reference,
             std::string(d::code(in.kind)),
             std::string(d::code(source)),
             std::string(d::code(in.category)),
             opt(in.about_organisation),
             user,
             org,
             in.name,
             in.relation ? std::string(d::code(*in.relation)) : std::string(),
             in.email.value_or(""),
             in.phone.value_or(""),
             in.preferred_lang,
             in.description,
             in.desired_outcome,
             at,
             due.acknowledge_due.iso(),
             due.resolve_due.iso(),
             at,
             user});
        const std::int64_t id = row->i64(0);
        // The first event of its stream, which the quarterly report counts as received.
        ctx_.tx.exec(
            "INSERT INTO complaint_events (complaint_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'receive', "
            "'received', '')",
            {id, at, user});
        guard.record(request(d::Relationship::self, d::Action::create), handled);

        const auto category = d::code(in.category);
        tell(ctx_, notices_, area_admins(ctx_.tx, in.area),
             notice(notices_, id, reference, "complaint.notify.received",
                    {reference, label(notices_.catalogue, Lang::fr, "complaint.category.", category)},
                    {reference, label(notices_.catalogue, Lang::en, "complaint.category.", category)}));
        return RaisedComplaint{id, reference, due.acknowledge_due.iso()};
    });
}

// ---------------------------------------------------------------- the register

Result<std::vector<ComplaintRow>> ComplaintRepo::list(const d::ComplaintQuery& query, std::size_t limit) const {
    Guard guard(ctx_);
    return guard.operation([&]() -> Result<std::vector<ComplaintRow>> {
        if (!ctx_.actor || ctx_.actor->role == d::Role::system_admin || ctx_.actor->role == d::Role::ministry_analyst) {
            guard.deny_unserved(request(d::Relationship::none, d::Action::list));
            return guard.refuse(Error::forbidden());
        }
        const d::Actor& a = *ctx_.actor;
        const Date today = date_of(ctx_.clock.now());
        std::string where;
        Params params;
        const auto area = admin_area(ctx_);
        if (area) {
            where = "c.sda_id = ?";
            params.emplace_back(*area);
        } else if (a.role == d::Role::family) {
            where = "c.raised_by_user = ?";
            params.emplace_back(a.user_id);
        } else {
            // What they raised (and, for a provider's manager, what their organisation raised),
            // and what they own while acting for the agency of its area.
            where = "(c.raised_by_user = ?";
            params.emplace_back(a.user_id);
            if (a.role == d::Role::provider_manager) {
                where += " OR c.raised_by_org = ?";
                params.emplace_back(a.organisation_id);
            }
            if (may_own(a.role)) {
                where += " OR " + owned_by_reader();
                params.emplace_back(a.user_id);
                params.emplace_back(a.organisation_id);
            }
            where += ")";
        }
        if (query.status) {
            where += " AND c.status = ?";
            params.emplace_back(std::string(d::code(*query.status)));
        }
        if (query.open_only) where += std::string(" AND c.status IN ") + open_statuses;
        if (query.category) {
            where += " AND c.category = ?";
            params.emplace_back(std::string(d::code(*query.category)));
        }
        if (query.severity) {
            where += " AND c.severity = ?";
            params.emplace_back(std::string(d::code(*query.severity)));
        }
        if (query.source) {
            where += " AND c.source = ?";
            params.emplace_back(std::string(d::code(*query.source)));
        }
        if (query.mine) {
            where += " AND c.owner_user_id = ?";
            params.emplace_back(a.user_id);
        }
        if (query.owner) {
            where += " AND c.owner_user_id = ?";
            params.emplace_back(*query.owner);
        }
        const std::string due = due_expression;
        if (query.overdue_only) {
            where += " AND " + due + " <> '' AND " + due + " < ?";
            params.emplace_back(today.iso());
        }
        // Overdue first, then by the day due, then the rest newest first.
        params.emplace_back(today.iso());
        params.emplace_back(static_cast<std::int64_t>(limit));
        std::vector<ComplaintRow> out;
        // How the reader stands to what the page shows: the area's administrator to the area's
        // register; an owner to the ones they own, once it holds one; whoever raised them
        // otherwise (an empty register included).
        d::Relationship who = area ? d::Relationship::coordinating_agency : d::Relationship::self;
        for (const auto& r : ctx_.tx.query(std::string(complaint_select) + "WHERE " + where + " ORDER BY CASE WHEN " + due +
                                               " <> '' AND " + due + " < ? THEN 0 ELSE 1 END, CASE WHEN " + due +
                                               " = '' THEN 1 ELSE 0 END, " + due + ", c.received_at DESC, c.id DESC LIMIT ?",
                                           params)) {
            auto c = loaded_of(r, today);
            if (who == d::Relationship::self && owns(ctx_, c)) who = d::Relationship::assigned_coordinator;
            out.push_back(std::move(c.row));
        }
        // One access for the page, whatever it holds.
        guard.record(request(who, d::Action::list), handled);
        return out;
    });
}

ComplaintRepo::OwnerSummary ComplaintRepo::owner_summary() const {
    OwnerSummary out;
    if (!ctx_.actor || !may_own(ctx_.actor->role)) return out;
    const Date today = date_of(ctx_.clock.now());
    for (const auto& r :
         ctx_.tx.query(std::string("SELECT c.id, c.status, c.acknowledge_due, c.resolve_due, c.appeal_due FROM complaints c "
                                   "WHERE c.status IN ") +
                           open_statuses + " AND " + owned_by_reader(),
                       {ctx_.actor->user_id, ctx_.actor->organisation_id})) {
        const auto id = r.i64(0);
        ++out.open;
        const auto state =
            d::deadline_state(stored(d::parse_complaint_status(r.str(1)), "status", id), stored(parse_date(r.str(2)), "day", id),
                              stored(parse_date(r.str(3)), "day", id), stored_day(r.str(4), id), today);
        if (state && state->overdue) ++out.overdue;
        if (state && state->due_soon) ++out.due_soon;
    }
    return out;
}

Result<ComplaintRecord> ComplaintRepo::complaint(std::int64_t id) const {
    Guard guard(ctx_);
    return guard.operation([&]() -> Result<ComplaintRecord> {
        const Date today = date_of(ctx_.clock.now());
        const auto r = ctx_.tx.query_one(std::string(complaint_select) + "WHERE c.id = ?", {id});
        if (!r) return Error::not_found();
        const Loaded c = loaded_of(*r, today);
        const auto who = relationship_to(ctx_, c);
        if (who == d::Relationship::none) return guard.refuse_unserved(request(who, d::Action::read));
        guard.record(request(who, d::Action::read), handled);

        ComplaintRecord out;
        out.row = c.row;
        out.name = r->str(20);
        out.relation = r->str(21);
        out.email = r->str(22);
        out.phone = r->str(23);
        out.preferred_lang = r->str(24);
        out.description = r->str(25);
        out.desired_outcome = r->str(26);
        out.acknowledge_due = c.acknowledge_due.iso();
        out.resolve_due = c.resolve_due.iso();
        out.appeal_due = c.appeal_due ? c.appeal_due->iso() : std::string();
        out.resolution = r->str(27);
        out.resolved_on = r->str(28);
        out.appeal_reason = r->str(29);
        out.appeal_decision = r->str(30);
        // Whoever raised it follows its moves, not the agency's internal work.
        const std::string internal =
            who == d::Relationship::self ? " AND e.event NOT IN ('step', 'reassign', 'escalate')" : std::string();
        for (const auto& e : ctx_.tx.query("SELECT e.at, e.event, e.status, e.note, COALESCE(u.display_name, '') FROM "
                                           "complaint_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.complaint_id = ?" +
                                               internal + " ORDER BY e.id",
                                           {id}))
            out.events.push_back({e.str(0), e.str(1), e.str(2), e.str(3), e.str(4)});
        // The triage form names its owner: offered as if one were named, asked again when sent.
        const auto facts = d::complaint_facts(true, c.appeal_due, today);
        out.available = d::complaint_lifecycle().available(c.row.status, who, facts);
        const auto decide = std::find(out.available.begin(), out.available.end(), d::ComplaintEvent::decide_appeal);
        if (decide != out.available.end() && reviews_own_resolution(ctx_, c)) out.available.erase(decide);
        out.relationship = who;
        const bool open = d::complaint_open(c.row.status);
        out.may_add_step = open && (who == d::Relationship::coordinating_agency || who == d::Relationship::assigned_coordinator);
        out.may_reassign = open && who == d::Relationship::coordinating_agency;
        return out;
    });
}

// ---------------------------------------------------------------- handling it

Result<d::ComplaintStatus> ComplaintRepo::fire(std::int64_t id, d::ComplaintEvent event, const d::TriageForm& triage,
                                               const std::string& note) {
    Guard guard(ctx_);
    return guard.operation([&]() -> Result<d::ComplaintStatus> {
        const Date today = date_of(ctx_.clock.now());
        const auto c = load(ctx_.tx, id, today);
        if (!c) return Error::not_found();
        const auto who = relationship_to(ctx_, *c);
        const auto q = request(who, d::Action::update);
        if (who == d::Relationship::none) return guard.refuse_unserved(q);
        const auto from = c->row.status;

        std::string text;
        auto errors = d::validate_note(event, note, text);
        d::Triage t;
        bool has_owner = c->row.owner_id != 0;
        if (event == d::ComplaintEvent::triage) {
            for (auto& e : d::validate(triage, t)) errors.push_back(std::move(e));
            if (!has_field(errors, "owner")) {
                const auto agency = agency_of(ctx_.tx, c->sda_id);
                if (agency && agency_staff(ctx_.tx, *agency, t.owner))
                    has_owner = true;
                else
                    errors.push_back({"owner", "field.choose_from_list", {}});
            }
        }
        const auto facts = d::complaint_facts(has_owner, c->appeal_due, today);
        // The table's refusal comes first: a form's errors mean nothing for a move not allowed.
        // The triage form answers for its owner with a field error of its own.
        auto asked = facts;
        if (event == d::ComplaintEvent::triage) asked.has_owner = true;
        if (auto allowed = d::complaint_lifecycle().fire(from, event, who, asked); !allowed) {
            if (allowed.error().code == Errc::Forbidden) return guard.refuse_unserved(q);
            return allowed.error();
        }
        // The table lets the area's administrators decide an appeal; not the one who owns or
        // resolved it, whose resolution it is.
        if (event == d::ComplaintEvent::decide_appeal && reviews_own_resolution(ctx_, *c)) return guard.refuse_unserved(q);
        if (!errors.empty()) return Error::invalid(std::move(errors));
        guard.record(q, handled);

        const auto settings = settings_of(ctx_.tx, c->sda_id);
        std::vector<std::pair<std::string_view, Value>> also;
        std::optional<Date> appeal_due;
        switch (event) {
            case d::ComplaintEvent::triage:
                also.emplace_back("category", std::string(d::code(t.category)));
                also.emplace_back("severity", std::string(d::code(t.severity)));
                also.emplace_back("owner_user_id", t.owner);
                break;
            case d::ComplaintEvent::resolve:
                // The last day the complainant may appeal.
                appeal_due = d::appeal_due_from(today, settings);
                also.emplace_back("resolution", text);
                also.emplace_back("resolved_on", today.iso());
                also.emplace_back("appeal_due", appeal_due->iso());
                break;
            case d::ComplaintEvent::appeal:
                // From now on, the day the appeal must be decided by.
                appeal_due = d::appeal_due_from(today, settings);
                also.emplace_back("appeal_reason", text);
                also.emplace_back("appeal_due", appeal_due->iso());
                break;
            case d::ComplaintEvent::decide_appeal:
                also.emplace_back("appeal_decision", text);
                break;
            case d::ComplaintEvent::acknowledge:
            case d::ComplaintEvent::close:
            case d::ComplaintEvent::withdraw:
                break;
        }
        also.emplace_back("updated_by", ctx_.actor->user_id);
        auto moved = fire_transition(ctx_.tx, ctx_.clock, complaint_tables, d::complaint_lifecycle(), id, from, event, who, facts,
                                     ctx_.actor->user_id, text, std::move(also));
        if (!moved) return moved;

        const std::string& reference = c->row.reference;
        switch (event) {
            case d::ComplaintEvent::triage:
                tell(ctx_, notices_, {t.owner},
                     notice(notices_, id, reference, "complaint.notify.assigned", {reference, c->acknowledge_due.iso()},
                            {reference, c->acknowledge_due.iso()}));
                break;
            case d::ComplaintEvent::acknowledge:
                tell(ctx_, notices_, raisers(ctx_.tx, *c),
                     notice(notices_, id, reference, "complaint.notify.acknowledged", {reference}, {reference}));
                break;
            case d::ComplaintEvent::resolve:
                tell(ctx_, notices_, raisers(ctx_.tx, *c),
                     notice(notices_, id, reference, "complaint.notify.resolved", {reference, appeal_due->iso()},
                            {reference, appeal_due->iso()}));
                break;
            case d::ComplaintEvent::appeal:
                // The area's administrators decide the appeal.
                tell(ctx_, notices_, area_admins(ctx_.tx, c->sda_id),
                     notice(notices_, id, reference, "complaint.notify.appealed", {reference}, {reference}));
                break;
            case d::ComplaintEvent::decide_appeal:
                tell(ctx_, notices_, raisers(ctx_.tx, *c),
                     notice(notices_, id, reference, "complaint.notify.appeal_decided", {reference}, {reference}));
                break;
            case d::ComplaintEvent::withdraw:
                // Whoever was working on it stops: its owner, or the administrators while it has none.
                tell(ctx_, notices_, owner_or_admins(ctx_.tx, c->sda_id, c->row.owner_id),
                     notice(notices_, id, reference, "complaint.notify.withdrawn", {reference}, {reference}));
                break;
            case d::ComplaintEvent::close:
                break;
        }
        return moved;
    });
}

Result<void> ComplaintRepo::add_step(std::int64_t id, const std::string& note) {
    Guard guard(ctx_);
    return guard.operation([&]() -> Result<void> {
        const auto c = load(ctx_.tx, id, date_of(ctx_.clock.now()));
        if (!c) return Error::not_found();
        const auto who = relationship_to(ctx_, *c);
        const auto q = request(who, d::Action::update);
        if (who != d::Relationship::coordinating_agency && who != d::Relationship::assigned_coordinator)
            return guard.refuse_unserved(q);
        if (!d::complaint_open(c->row.status)) return Error::conflict("complaint.closed");
        std::string text;
        if (auto errors = d::validate_note(std::nullopt, note, text); !errors.empty()) return Error::invalid(std::move(errors));
        guard.record(q, handled);
        const std::string at = format_iso(ctx_.clock.now());
        // Still open (closed meanwhile by another request: refused); on PostgreSQL the row is ours
        // from here, so the status read back is the one the step was taken in.
        if (ctx_.tx.exec(
                std::string("UPDATE complaints SET updated_at = ?, updated_by = ? WHERE id = ? AND status IN ") + open_statuses,
                {at, ctx_.actor->user_id, id}) != 1)
            return Error::conflict("complaint.closed");
        const auto status = ctx_.tx.query_one("SELECT status FROM complaints WHERE id = ?", {id})->str(0);
        ctx_.tx.exec(
            "INSERT INTO complaint_events (complaint_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'step', ?, ?)",
            {id, at, ctx_.actor->user_id, status, text});
        return {};
    });
}

Result<void> ComplaintRepo::reassign(std::int64_t id, const std::string& owner) {
    Guard guard(ctx_);
    return guard.operation([&]() -> Result<void> {
        const Date today = date_of(ctx_.clock.now());
        const auto c = load(ctx_.tx, id, today);
        if (!c) return Error::not_found();
        const auto who = relationship_to(ctx_, *c);
        const auto q = request(who, d::Action::update);
        if (who != d::Relationship::coordinating_agency) return guard.refuse_unserved(q);
        if (!d::complaint_open(c->row.status)) return Error::conflict("complaint.closed");
        const std::string given = trim(owner);
        if (given.empty()) return Error::invalid_field("owner", "complaint.owner_required");
        const auto user = d::parse_id(given);
        const auto agency = agency_of(ctx_.tx, c->sda_id);
        if (!user || !agency || !agency_staff(ctx_.tx, *agency, *user))
            return Error::invalid_field("owner", "field.choose_from_list");
        guard.record(q, handled);
        // The same owner again changes nothing.
        if (*user == c->row.owner_id) return {};
        const std::string at = format_iso(ctx_.clock.now());
        if (ctx_.tx.exec(
                std::string(
                    "UPDATE complaints SET owner_user_id = ?, updated_at = ?, updated_by = ? WHERE id = ? AND status IN ") +
                    open_statuses,
                {*user, at, ctx_.actor->user_id, id}) != 1)
            return Error::conflict("complaint.closed");
        const auto now_row = ctx_.tx.query_one(
            "SELECT c.status, u.display_name FROM complaints c JOIN users u ON u.id = c.owner_user_id WHERE c.id = ?", {id});
        // The history names whom it went to.
        ctx_.tx.exec(
            "INSERT INTO complaint_events (complaint_id, at, user_id, event, status, note) VALUES (?, ?, ?, 'reassign', ?, ?)",
            {id, at, ctx_.actor->user_id, now_row->str(0), now_row->str(1)});
        // The new owner hears what they are working against now; before triage, the triage's notice
        // tells whoever it names.
        const auto status = stored(d::parse_complaint_status(now_row->str(0)), "status", id);
        if (status == d::ComplaintStatus::received) return {};
        const auto state = d::deadline_state(status, c->acknowledge_due, c->resolve_due, c->appeal_due, today);
        const std::string due = state ? state->due.iso() : c->acknowledge_due.iso();
        tell(ctx_, notices_, {*user},
             notice(notices_, id, c->row.reference, "complaint.notify.assigned", {c->row.reference, due},
                    {c->row.reference, due}));
        return {};
    });
}

Result<std::vector<ComplaintOwnerChoice>> ComplaintRepo::owner_choices() const {
    const auto area = admin_area(ctx_);
    if (!area) return Error::forbidden();
    std::vector<ComplaintOwnerChoice> out;
    const auto agency = agency_of(ctx_.tx, *area);
    if (!agency) return out;
    for (const auto& r : ctx_.tx.query(std::string("SELECT DISTINCT u.id, u.display_name FROM memberships m JOIN users u ON "
                                                   "u.id = m.user_id AND u.active = 1 WHERE m.organisation_id = ? AND "
                                                   "m.active = 1 AND m.role IN ") +
                                           owner_roles + " ORDER BY u.display_name, u.id",
                                       {*agency}))
        out.push_back({r.i64(0), r.str(1)});
    return out;
}

// ---------------------------------------------------------------- the area's deadlines

Result<d::ComplaintSettings> ComplaintRepo::settings() const {
    const auto area = admin_area(ctx_);
    if (!area) return Error::forbidden();
    return settings_of(ctx_.tx, *area);
}

Result<void> ComplaintRepo::save_settings(const d::ComplaintSettingsForm& form) {
    const auto area = admin_area(ctx_);
    if (!area) return Error::forbidden();
    d::ComplaintSettings s;
    if (auto errors = d::validate(form, s); !errors.empty()) return Error::invalid(std::move(errors));
    const std::string at = format_iso(ctx_.clock.now());
    ctx_.tx.exec(
        "INSERT INTO complaint_settings (sda_id, acknowledge_days, resolve_days, appeal_days, updated_at, updated_by) VALUES "
        "(?, ?, ?, ?, ?, ?) ON CONFLICT (sda_id) DO UPDATE SET acknowledge_days = excluded.acknowledge_days, resolve_days = "
        "excluded.resolve_days, appeal_days = excluded.appeal_days, updated_at = excluded.updated_at, updated_by = "
        "excluded.updated_by",
        {*area, std::int64_t{s.acknowledge_days}, std::int64_t{s.resolve_days}, std::int64_t{s.appeal_days}, at,
         ctx_.actor->user_id});
    return {};
}

// ---------------------------------------------------------------- reminders

int raise_complaint_reminders(Tx& tx, const Clock& clock, const Catalogue& catalogue, const std::string& public_base_url,
                              bool email) {
    const auto now = clock.now();
    const Date today = date_of(now);
    const std::string at = format_iso(now);
    NotificationRepo notes(tx, clock, catalogue, public_base_url);
    int written = 0;
    // One run at a time: an escalation's event row is looked for, then written.
    tx.lock("complaint_reminders");
    const std::string due = due_expression;
    // Open, and due within the window or past.
    for (const auto& r :
         tx.query(std::string("SELECT c.id, c.reference, c.status, c.acknowledge_due, c.resolve_due, c.appeal_due, c.sda_id, "
                              "COALESCE(c.owner_user_id, 0) FROM complaints c WHERE c.status IN ") +
                      open_statuses + " AND " + due + " <> '' AND " + due + " <= ? ORDER BY c.id",
                  {add_days(today, 2).iso()})) {
        const std::int64_t id = r.i64(0);
        const std::string reference = r.str(1), status = r.str(2);
        const auto state =
            d::deadline_state(stored(d::parse_complaint_status(status), "status", id), stored(parse_date(r.str(3)), "day", id),
                              stored(parse_date(r.str(4)), "day", id), stored_day(r.str(5), id), today);
        if (!state || (!state->overdue && !state->due_soon)) continue;
        const std::string which(d::code(state->which)), day = state->due.iso(), key_id = std::to_string(id);
        const std::vector<std::string> args_fr{reference, label(catalogue, Lang::fr, "complaint.deadline.", which), day};
        const std::vector<std::string> args_en{reference, label(catalogue, Lang::en, "complaint.deadline.", which), day};
        if (state->due_soon) {
            // An appeal is decided by the area's administrators, not by its owner; the rest is the
            // owner's, while they are on the agency's staff.
            const auto to = state->which == d::ComplaintDeadline::appeal ? area_admins(tx, r.i64(6))
                                                                         : owner_or_admins(tx, r.i64(6), r.i64(7));
            written += notes.notify(to, {d::NoticeKind::complaint, reference, link_of(id), "complaint.reminder.due_soon", args_fr,
                                         args_en, "complaint-due:" + key_id + ":" + which + ":" + day, email});
            continue;
        }
        // Overdue: the area's administrators take it up, once per complaint and deadline.
        written += notes.notify(area_admins(tx, r.i64(6)),
                                {d::NoticeKind::complaint, reference, link_of(id), "complaint.reminder.overdue", args_fr, args_en,
                                 "complaint-overdue:" + key_id + ":" + which, email});
        if (!tx.query_one("SELECT 1 FROM complaint_events WHERE complaint_id = ? AND event = 'escalate' AND note = ?",
                          {id, which}))
            tx.exec(
                "INSERT INTO complaint_events (complaint_id, at, user_id, event, status, note) VALUES (?, ?, NULL, 'escalate', "
                "?, ?)",
                {id, at, status, which});
    }
    return written;
}

}  // namespace arrimage::store
