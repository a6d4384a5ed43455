#include "store/privacy_office_repo.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/time.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

// CROSS JOIN keeps SQLite from reordering: audit_events drives, newest first through its id
// (or the person, user, time or refusal index a filter allows), and the LIMIT stops the scan
// after a page. Starting from people would read and sort every audit row of the agency's files.
// (On SQLite one machine serves one area, so most rows belong to the agency.) PostgreSQL
// treats it as an inner join and plans from its statistics.
constexpr const char* audit_select =
    "SELECT a.id, a.at, a.user_id, a.organisation_id, a.person_id, u.display_name, o.name_fr, o.name_en, a.action, "
    "a.category, a.purpose, a.decision, a.reason, a.break_glass FROM audit_events a "
    "CROSS JOIN people p LEFT JOIN users u ON u.id = a.user_id LEFT JOIN organisations o ON o.id = a.organisation_id "
    "WHERE p.id = a.person_id ";

}  // namespace

AuditEntry audit_entry_of(const Row& r) {
    AuditEntry e;
    e.id = r.i64(0);
    e.at = r.str(1);
    e.user_id = r.opt_i64(2);
    e.organisation_id = r.opt_i64(3);
    e.person_id = r.opt_i64(4);
    e.user_name = r.str(5);
    e.org_name_fr = r.str(6);
    e.org_name_en = r.str(7);
    e.action = r.str(8);
    e.category = r.str(9);
    e.purpose = r.str(10);
    e.decision = r.str(11);
    e.reason = r.str(12);
    e.break_glass = r.boolean(13);
    return e;
}

namespace {

Value date_value(const std::optional<Date>& d) {
    return d ? Value{d->iso()} : Value{Null{}};
}
std::optional<Date> opt_date(const std::optional<std::string>& s) {
    if (!s) return std::nullopt;
    return parse_date(*s);
}

constexpr const char* request_columns =
    "id, person_id, requester_relationship, kind, received_on, due_on, description, status, extension_days, "
    "extension_reason, closed_on, outcome";

RequestRow request_of(const Row& r, const Date& today) {
    RequestRow q;
    q.id = r.i64(0);
    q.person_id = r.i64(1);
    q.requester = r.str(2);
    q.kind = r.str(3);
    q.received = parse_date(r.str(4)).value_or(Date{});
    q.due = parse_date(r.str(5)).value_or(Date{});
    q.description = r.str(6);
    q.status = r.str(7);
    q.extension_days = static_cast<int>(r.i64(8));
    q.extension_reason = r.str(9);
    q.closed_on = opt_date(r.opt_str(10));
    q.outcome = r.str(11);
    // An unknown status counts as open: fail towards showing the clock.
    q.overdue = d::overdue(d::parse_request_status(q.status).value_or(d::RequestStatus::open), q.due, today);
    return q;
}

constexpr const char* breach_columns =
    "id, discovered_on, description, files_affected, containment, ipc_notified_on, families_notified_on, status, active";

BreachRow breach_of(const Row& r) {
    BreachRow b;
    b.id = r.i64(0);
    b.breach.discovered_on = parse_date(r.str(1)).value_or(Date{});
    b.breach.description = r.str(2);
    b.breach.files_affected = static_cast<int>(r.i64(3));
    b.breach.containment = r.str(4);
    b.breach.ipc_notified_on = opt_date(r.opt_str(5));
    b.breach.families_notified_on = opt_date(r.opt_str(6));
    b.breach.status = d::parse_breach_status(r.str(7)).value_or(d::BreachStatus::open);
    b.active = r.boolean(8);
    return b;
}

}  // namespace

PrivacyOfficeRepo::PrivacyOfficeRepo(AccessContext ctx) : ctx_(std::move(ctx)), guard_(ctx_) {
    if (!ctx_.actor) throw std::logic_error("the privacy office needs a signed-in actor");
}

Date PrivacyOfficeRepo::today() const {
    return date_of(ctx_.clock.now());
}

// The actor's relationship to the files of their own organisation: privacy_officer for a
// privacy officer of an active coordinating agency, coordinating_agency for its other staff,
// none elsewhere. Looked up once per repository (one request).
d::Relationship PrivacyOfficeRepo::agency_relationship() {
    if (agency_relationship_) return *agency_relationship_;
    const bool agency = ctx_.tx
                            .query_one(
                                "SELECT 1 FROM organisations o JOIN organisation_csp_roles r ON r.organisation_id = o.id "
                                "WHERE o.id = ? AND o.active = 1 AND r.csp_role = 'coordinating_agency'",
                                {ctx_.actor->organisation_id})
                            .has_value();
    agency_relationship_ = !agency                                        ? d::Relationship::none
                           : ctx_.actor->role == d::Role::privacy_officer ? d::Relationship::privacy_officer
                                                                          : d::Relationship::coordinating_agency;
    return *agency_relationship_;
}

bool PrivacyOfficeRepo::keeps_registers() {
    return agency_relationship() == d::Relationship::privacy_officer;
}

// As PersonRepo computes it: the file team first, then the file's coordinating agency.
d::Relationship PrivacyOfficeRepo::file_relationship(std::int64_t person_id, std::int64_t agency_id) {
    d::Relationship rel = team_relationship(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
    if (rel == d::Relationship::none && agency_id == ctx_.actor->organisation_id)
        rel = ctx_.actor->role == d::Role::privacy_officer ? d::Relationship::privacy_officer
                                                           : d::Relationship::coordinating_agency;
    return rel;
}

d::Decision PrivacyOfficeRepo::decide(d::Relationship r, d::Purpose purpose, d::Action a, std::optional<std::int64_t> person_id,
                                      d::Category category, Record how) {
    d::AccessRequest q;
    q.relationship = r;
    q.category = category;
    q.purpose = purpose;
    q.action = a;
    return guard_.decide(q, {person_id}, how);
}

Result<void> PrivacyOfficeRepo::check_audit(const AuditFilter& f, d::Action a) {
    d::Decision decision;
    if (f.person_id) {
        auto file = ctx_.tx.query_one("SELECT coordinating_agency_id FROM people WHERE id = ?", {*f.person_id});
        const auto rel = file ? file_relationship(*f.person_id, file->i64(0)) : d::Relationship::none;
        decision = decide(rel, d::Purpose::oversight, a, file ? std::optional(*f.person_id) : std::nullopt);
    } else {
        decision = decide(agency_relationship(), d::Purpose::oversight, a, std::nullopt);
    }
    if (!decision.permitted()) return guard_.refuse(Error::forbidden());
    return ok();
}

std::vector<AuditEntry> PrivacyOfficeRepo::audit_rows(const AuditFilter& f, std::optional<std::int64_t> before_id, int limit,
                                                      bool unrelated_only, std::optional<std::int64_t> agency_id) {
    std::string sql = std::string(audit_select) + "AND p.coordinating_agency_id = ?";
    Params params{agency_id.value_or(ctx_.actor->organisation_id)};
    if (f.person_id) sql += " AND a.person_id = ?", params.emplace_back(*f.person_id);
    if (f.user_id) sql += " AND a.user_id = ?", params.emplace_back(*f.user_id);
    if (f.organisation_id) sql += " AND a.organisation_id = ?", params.emplace_back(*f.organisation_id);
    // Timestamps are ISO text: a day's rows are those from "YYYY-MM-DD" up to the next day.
    if (f.from) sql += " AND a.at >= ?", params.emplace_back(f.from->iso());
    if (f.to) sql += " AND a.at < ?", params.emplace_back(add_days(*f.to, 1).iso());
    if (f.action) sql += " AND a.action = ?", params.emplace_back(std::string(d::code(*f.action)));
    if (f.decision) sql += " AND a.decision = ?", params.emplace_back(std::string(d::code(*f.decision)));
    if (f.break_glass_only) sql += " AND a.break_glass = 1";
    for (auto c : d::all_categories())
        if (f.hidden.contains(c)) sql += " AND a.category <> ?", params.emplace_back(std::string(d::code(c)));
    if (unrelated_only) {
        // Literal codes (constants of the policy, not input) so that the partial index
        // audit_events_unrelated (V007), whose predicate is the same text, can serve the query.
        sql += " AND a.decision = 'deny' AND a.reason IN (";
        bool first = true;
        for (auto r : d::all_reasons()) {
            if (!d::unrelated_attempt(r)) continue;
            sql += (first ? "'" : ", '") + std::string(d::code(r)) + "'";
            first = false;
        }
        sql += ")";
    }
    if (before_id) sql += " AND a.id < ?", params.emplace_back(*before_id);
    sql += " ORDER BY a.id DESC LIMIT ?";
    params.emplace_back(std::int64_t{std::max(0, limit)});
    std::vector<AuditEntry> out;
    for (const auto& r : ctx_.tx.query(sql, params)) out.push_back(audit_entry_of(r));
    return out;
}

namespace {
AuditPage page_of(std::vector<AuditEntry> rows, int limit) {
    AuditPage p;
    if (static_cast<int>(rows.size()) > limit) {
        rows.resize(static_cast<std::size_t>(limit));
        p.next_before = rows.back().id;
    }
    p.rows = std::move(rows);
    return p;
}
}  // namespace

Result<AuditPage> PrivacyOfficeRepo::search_audit(const AuditFilter& f, std::optional<std::int64_t> before_id, int limit) {
    return guard_.operation([&]() -> Result<AuditPage> {
        if (auto c = check_audit(f, d::Action::search); !c) return c.error();
        auto page = page_of(audit_rows(f, before_id, limit + 1, false), limit);
        return page;
    });
}

Result<std::vector<AuditEntry>> PrivacyOfficeRepo::export_audit(const AuditFilter& f, int max_rows) {
    return guard_.operation([&]() -> Result<std::vector<AuditEntry>> {
        if (auto c = check_audit(f, d::Action::export_); !c) return c.error();
        auto rows = audit_rows(f, std::nullopt, max_rows, false);
        return rows;
    });
}

Result<PrivacyOfficeRepo::Anomalies> PrivacyOfficeRepo::anomalies(const d::BulkAccessRule& rule,
                                                                  std::optional<std::int64_t> before_id, int limit) {
    return guard_.operation([&]() -> Result<PrivacyOfficeRepo::Anomalies> {
        if (auto c = check_audit({}, d::Action::search); !c) return c.error();
        Anomalies out;
        out.unrelated = page_of(audit_rows({}, before_id, limit + 1, true), limit);

        // Openings of the agency's files in the look-back period (bounded by the period, not by the
        // table), then the pure detection.
        const auto now = ctx_.clock.now();
        std::string sql =
            "SELECT a.user_id, a.person_id, a.at FROM audit_events a CROSS JOIN people p "
            "WHERE p.id = a.person_id AND p.coordinating_agency_id = ? AND a.at >= ? AND a.at <= ? AND a.user_id IS NOT NULL AND "
            "a.action IN (";
        Params params{ctx_.actor->organisation_id, format_iso(now - rule.lookback), format_iso(now)};
        bool first = true;
        for (auto a : d::all_actions()) {
            if (!d::opens_file(a)) continue;
            sql += first ? "?" : ", ?";
            first = false;
            params.emplace_back(std::string(d::code(a)));
        }
        sql += ")";
        std::vector<d::FileOpening> openings;
        for (const auto& r : ctx_.tx.query(sql, params))
            openings.push_back({r.i64(0), r.i64(1), parse_iso(r.str(2)).value_or(TimePoint{})});
        for (const auto& flag : d::detect_bulk_access(openings, rule, now)) {
            auto u = ctx_.tx.query_one("SELECT display_name FROM users WHERE id = ?", {flag.user_id});
            out.bulk.push_back({flag, u ? u->str(0) : std::string()});
        }
        return out;
    });
}

Result<AccessReport> PrivacyOfficeRepo::access_report(std::int64_t person_id, int max_rows, std::optional<Date> from,
                                                      std::optional<Date> to, std::optional<std::int64_t> before_id) {
    return guard_.operation([&]() -> Result<AccessReport> {
        auto file = ctx_.tx.query_one(
            "SELECT p.coordinating_agency_id, o.name_fr, o.name_en FROM people p "
            "JOIN organisations o ON o.id = p.coordinating_agency_id WHERE p.id = ?",
            {person_id});
        if (!file) return Error::not_found();
        d::Relationship rel = d::Relationship::none;
        d::Decision decision;
        d::CategorySet kept;  // what a capable youth keeps from this family member: not even its accesses
        if (ctx_.actor->role == d::Role::family) {
            // The family's own report: their standing towards the file (family access), under
            // the family's profile of the policy.
            const auto access = file_access(ctx_.tx, ctx_.clock, *ctx_.actor, person_id);
            rel = access->relationship;
            decision = guard_.decide(access->request(d::Category::access_log, d::Action::print), {person_id});
            if (rel == d::Relationship::family_of && access->family.subject_capable) kept = access->family.withheld;
        } else {
            rel = file_relationship(person_id, file->i64(0));
            decision = decide(rel, purpose_for(rel), d::Action::print, person_id);
        }
        if (!decision.permitted()) return guard_.refuse(rel);
        AccessReport out;
        out.person_id = person_id;
        out.agency_name_fr = file->str(1);
        out.agency_name_en = file->str(2);
        AuditFilter f;
        f.person_id = person_id;
        f.from = from;
        f.to = to;
        f.hidden = kept;
        out.rows = audit_rows(f, before_id, max_rows + 1, false, file->i64(0));
        if (static_cast<int>(out.rows.size()) > max_rows) {
            out.truncated = true;
            out.rows.resize(static_cast<std::size_t>(max_rows));
            out.earlier_before = out.rows.back().id;
        }
        std::reverse(out.rows.begin(), out.rows.end());
        return out;
    });
}

// ---------------------------------------------------------------- registers

void PrivacyOfficeRepo::admin_audit(const std::string& action, const std::string& entity, std::int64_t id,
                                    const std::string& detail) {
    ctx_.tx.exec("INSERT INTO admin_audit (at, user_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                 {format_iso(ctx_.clock.now()), ctx_.actor->user_id, action, entity, id, detail});
}

Result<void> PrivacyOfficeRepo::registers_allowed(d::Action a) {
    return guard_.operation([&]() -> Result<void> {
        // A permission is recorded by the call that reads or writes the record.
        const auto decision = decide(agency_relationship(), d::Purpose::oversight, a, std::nullopt,
                                     d::Category::privacy_registers, Record::refusal);
        if (decision.permitted()) return ok();
        return guard_.refuse(Error::forbidden());
    });
}

Result<void> PrivacyOfficeRepo::register_access(d::Action a, std::optional<std::int64_t> person_id) {
    const auto decision = decide(agency_relationship(), d::Purpose::oversight, a, person_id, d::Category::privacy_registers);
    if (!decision.permitted()) return guard_.refuse(Error::forbidden());
    return ok();
}

Result<std::int64_t> PrivacyOfficeRepo::create_request(const d::NewRequest& r) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        // Another agency's file (or none): refused as a field error, and the event is not filed on it.
        if (auto allowed = registers_allowed(d::Action::create); !allowed) return allowed.error();
        if (!ctx_.tx.query_one("SELECT 1 FROM people WHERE id = ? AND coordinating_agency_id = ?",
                               {r.person_id, ctx_.actor->organisation_id}))
            return Error::invalid_field("person_id", "privacy_office.error.file_not_found");
        if (auto access = register_access(d::Action::create, r.person_id); !access) return access.error();
        return insert_request(ctx_.tx, ctx_.clock, ctx_.actor->organisation_id, r, ctx_.actor->user_id);
    });
}

std::int64_t insert_request(Tx& tx, const Clock& clock, std::int64_t organisation_id, const d::NewRequest& r,
                            std::int64_t user_id, std::optional<std::int64_t> family_access_id) {
    const auto t = format_iso(clock.now());
    auto row = tx.query_one(
        "INSERT INTO privacy_requests (organisation_id, person_id, requester_relationship, kind, received_on, due_on, "
        "description, status, created_at, created_by, updated_at, updated_by, family_access_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?) RETURNING id",
        {organisation_id, r.person_id, std::string(d::code(r.requester)), std::string(d::code(r.kind)), r.received.iso(),
         d::due_date(r.received, 0).iso(), r.description, t, user_id, t, user_id, opt(family_access_id)});
    const auto id = row->i64(0);
    tx.exec("INSERT INTO admin_audit (at, user_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
            {t, user_id, std::string("create"), std::string("privacy_request"), id, std::string(d::code(r.kind))});
    return id;
}

Result<std::vector<RequestRow>> PrivacyOfficeRepo::list_requests(int limit, int offset) {
    return guard_.operation([&]() -> Result<std::vector<RequestRow>> {
        if (auto access = register_access(d::Action::list, std::nullopt); !access) return access.error();
        std::vector<RequestRow> out;
        const auto day = today();
        for (const auto& r :
             ctx_.tx.query(std::string("SELECT ") + request_columns +
                               " FROM privacy_requests WHERE organisation_id = ? "
                               "ORDER BY CASE WHEN status IN ('open', 'extended') THEN 0 ELSE 1 END, "
                               "CASE WHEN status IN ('open', 'extended') THEN due_on ELSE '' END, received_on DESC, id DESC "
                               "LIMIT ? OFFSET ?",
                           {ctx_.actor->organisation_id, std::int64_t{std::max(0, limit)}, std::int64_t{std::max(0, offset)}}))
            out.push_back(request_of(r, day));
        return out;
    });
}

std::optional<RequestRow> PrivacyOfficeRepo::load_request(std::int64_t id) {
    auto r = ctx_.tx.query_one(
        std::string("SELECT ") + request_columns + " FROM privacy_requests WHERE id = ? AND organisation_id = ?",
        {id, ctx_.actor->organisation_id});
    if (!r) return std::nullopt;
    return request_of(*r, today());
}

d::RequestStatus PrivacyOfficeRepo::stored_request_status(const RequestRow& r) {
    const auto s = d::parse_request_status(r.status);
    if (!s) throw std::runtime_error("privacy request " + std::to_string(r.id) + " has an unknown status");
    return *s;
}

Result<void> PrivacyOfficeRepo::request_transition(std::int64_t id, d::RequestStatus from, d::RequestEvent event,
                                                   const std::string& note,
                                                   std::vector<std::pair<std::string_view, Value>> also) {
    also.emplace_back("updated_by", ctx_.actor->user_id);
    auto moved = fire_transition(ctx_.tx, ctx_.clock, {"privacy_requests", "privacy_request_events", "request_id"},
                                 d::request_lifecycle(), id, from, event, d::Relationship::privacy_officer, d::RequestFacts{},
                                 ctx_.actor->user_id, note, std::move(also));
    if (!moved) return moved.error();
    return ok();
}

Result<RequestRow> PrivacyOfficeRepo::find_request(std::int64_t id) {
    return guard_.operation([&]() -> Result<RequestRow> {
        // Only the actor's organisation's requests are looked up; the event names the request's file.
        auto row = load_request(id);
        if (auto access = register_access(d::Action::read, row ? std::optional(row->person_id) : std::nullopt); !access)
            return access.error();
        if (!row) return Error::not_found();
        return *row;
    });
}

Result<void> PrivacyOfficeRepo::extend_request(std::int64_t id, const d::ExtensionForm& in) {
    return guard_.operation([&]() -> Result<void> {
        auto current = load_request(id);
        if (auto access = register_access(d::Action::update, current ? std::optional(current->person_id) : std::nullopt); !access)
            return access.error();
        if (!current) return Error::not_found();
        const auto status = stored_request_status(*current);
        int days = 0;
        std::string reason;
        auto e = d::validate_extension(in, status, days, reason);
        if (!e.empty()) return Error::invalid(std::move(e));
        auto moved = request_transition(id, status, d::RequestEvent::extend, reason,
                                        {{"extension_days", std::int64_t{days}},
                                         {"extension_reason", reason},
                                         {"due_on", d::due_date(current->received, days).iso()}});
        if (!moved) return moved;
        admin_audit("extend", "privacy_request", id, std::to_string(days));
        return ok();
    });
}

Result<void> PrivacyOfficeRepo::close_request(std::int64_t id, const d::ClosingForm& in) {
    return guard_.operation([&]() -> Result<void> {
        auto current = load_request(id);
        if (auto access = register_access(d::Action::update, current ? std::optional(current->person_id) : std::nullopt); !access)
            return access.error();
        if (!current) return Error::not_found();
        const auto status = stored_request_status(*current);
        d::Closing c;
        auto e = d::validate_closing(in, status, current->received, today(), c);
        if (!e.empty()) return Error::invalid(std::move(e));
        auto moved =
            request_transition(id, status, c.event, c.outcome, {{"closed_on", c.closed_on.iso()}, {"outcome", c.outcome}});
        if (!moved) return moved;
        admin_audit(std::string(d::code(c.event)), "privacy_request", id, std::string(d::code(*d::next_status(status, c.event))));
        return ok();
    });
}

Result<std::int64_t> PrivacyOfficeRepo::create_breach(const d::Breach& b) {
    return guard_.operation([&]() -> Result<std::int64_t> {
        if (auto access = register_access(d::Action::create, std::nullopt); !access) return access.error();
        const auto t = format_iso(ctx_.clock.now());
        auto row = ctx_.tx.query_one(
            "INSERT INTO privacy_breaches (organisation_id, discovered_on, description, files_affected, containment, "
            "ipc_notified_on, families_notified_on, status, created_at, created_by, updated_at, updated_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {ctx_.actor->organisation_id, b.discovered_on.iso(), b.description, std::int64_t{b.files_affected}, b.containment,
             date_value(b.ipc_notified_on), date_value(b.families_notified_on), std::string(d::code(b.status)), t,
             ctx_.actor->user_id, t, ctx_.actor->user_id});
        const auto id = row->i64(0);
        admin_audit("create", "privacy_breach", id, std::string(d::code(b.status)));
        return id;
    });
}

Result<void> PrivacyOfficeRepo::update_breach(std::int64_t id, const d::Breach& b) {
    return guard_.operation([&]() -> Result<void> {
        if (auto access = register_access(d::Action::update, std::nullopt); !access) return access.error();
        auto stored = ctx_.tx.query_one("SELECT status FROM privacy_breaches WHERE id = ? AND organisation_id = ?",
                                        {id, ctx_.actor->organisation_id});
        if (!stored) return Error::not_found();
        const auto current = d::parse_breach_status(stored->str(0));
        if (!current) throw std::runtime_error("breach " + std::to_string(id) + " has an unknown status");
        // A new status is a move of the breach's lifecycle, written by the one status writer.
        if (b.status != *current) {
            const auto event = d::breach_lifecycle().event_to(*current, b.status);
            if (!event) return Error::invalid_field("status", "privacy_office.error.breach_status_move");
            auto moved = fire_transition(ctx_.tx, ctx_.clock, {"privacy_breaches", "privacy_breach_events", "breach_id"},
                                         d::breach_lifecycle(), id, *current, *event, d::Relationship::privacy_officer,
                                         d::BreachFacts{}, ctx_.actor->user_id, "", {{"updated_by", ctx_.actor->user_id}});
            if (!moved) return moved.error();
        }
        const auto n = ctx_.tx.exec(
            "UPDATE privacy_breaches SET discovered_on = ?, description = ?, files_affected = ?, containment = ?, "
            "ipc_notified_on = ?, families_notified_on = ?, updated_at = ?, updated_by = ? "
            "WHERE id = ? AND organisation_id = ?",
            {b.discovered_on.iso(), b.description, std::int64_t{b.files_affected}, b.containment, date_value(b.ipc_notified_on),
             date_value(b.families_notified_on), format_iso(ctx_.clock.now()), ctx_.actor->user_id, id,
             ctx_.actor->organisation_id});
        if (n == 0) return Error::not_found();
        admin_audit("update", "privacy_breach", id, std::string(d::code(b.status)));
        return ok();
    });
}

Result<void> PrivacyOfficeRepo::set_breach_active(std::int64_t id, bool active) {
    return guard_.operation([&]() -> Result<void> {
        if (auto access = register_access(d::Action::update, std::nullopt); !access) return access.error();
        const auto n = ctx_.tx.exec(
            "UPDATE privacy_breaches SET active = ?, updated_at = ?, updated_by = ? WHERE id = ? AND organisation_id = ?",
            {std::int64_t{active ? 1 : 0}, format_iso(ctx_.clock.now()), ctx_.actor->user_id, id, ctx_.actor->organisation_id});
        if (n == 0) return Error::not_found();
        admin_audit(active ? "reactivate" : "deactivate", "privacy_breach", id, "");
        return ok();
    });
}

Result<std::vector<BreachRow>> PrivacyOfficeRepo::list_breaches(bool include_inactive, int limit, int offset) {
    return guard_.operation([&]() -> Result<std::vector<BreachRow>> {
        if (auto access = register_access(d::Action::list, std::nullopt); !access) return access.error();
        std::vector<BreachRow> out;
        for (const auto& r : ctx_.tx.query(std::string("SELECT ") + breach_columns +
                                               " FROM privacy_breaches WHERE organisation_id = ? AND (active = 1 OR ? = 1) "
                                               "ORDER BY discovered_on DESC, id DESC LIMIT ? OFFSET ?",
                                           {ctx_.actor->organisation_id, std::int64_t{include_inactive ? 1 : 0},
                                            std::int64_t{std::max(0, limit)}, std::int64_t{std::max(0, offset)}}))
            out.push_back(breach_of(r));
        return out;
    });
}

Result<BreachRow> PrivacyOfficeRepo::find_breach(std::int64_t id) {
    return guard_.operation([&]() -> Result<BreachRow> {
        if (auto access = register_access(d::Action::read, std::nullopt); !access) return access.error();
        auto r = ctx_.tx.query_one(
            std::string("SELECT ") + breach_columns + " FROM privacy_breaches WHERE id = ? AND organisation_id = ?",
            {id, ctx_.actor->organisation_id});
        if (!r) return Error::not_found();
        return breach_of(*r);
    });
}

}  // namespace arrimage::store
