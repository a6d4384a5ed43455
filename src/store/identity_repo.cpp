#include "store/identity_repo.hpp"

#include "core/time.hpp"
#include "store/directory_repo.hpp"

namespace arrimage::store {

using domain::Principal;
using domain::Role;

namespace {

Error taken(const char* field, const char* key) {
    return Error{Errc::Conflict, "error.conflict", {FieldError{field, key, {}}}, {}};
}

Result<void> changed(std::int64_t n) {
    if (n == 0) return Error::not_found();
    return ok();
}

std::int64_t b(bool v) {
    return v ? 1 : 0;
}

// Runs an insert/update that may hit a unique constraint a concurrent request created
// after our pre-check; that outcome is a Conflict, not a server error.
template <typename Fn>
auto guarded(Fn&& fn, Error on_conflict) -> decltype(fn()) {
    try {
        return fn();
    } catch (const DbError& e) {
        if (e.kind() == DbError::Kind::unique_violation) return on_conflict;
        throw;
    }
}

SdaRow sda_from(const Row& r) {
    return SdaRow{r.i64(0), r.str(1), r.str(2), r.str(3), r.boolean(4)};
}

constexpr const char* org_columns =
    "o.id, o.sda_id, s.code, o.name_fr, o.name_en, o.sector, o.fls_designated, o.email, o.phone, "
    "o.website, o.active";

OrganisationRow org_from(const Row& r) {
    OrganisationRow o;
    o.id = r.i64(0);
    o.sda_id = r.i64(1);
    o.sda_code = r.str(2);
    o.name_fr = r.str(3);
    o.name_en = r.str(4);
    o.sector = r.str(5);
    o.fls_designated = r.boolean(6);
    o.email = r.str(7);
    o.phone = r.str(8);
    o.website = r.str(9);
    o.active = r.boolean(10);
    return o;
}

SiteRow site_from(const Row& r) {
    return SiteRow{r.i64(0), r.i64(1), r.str(2), r.str(3), r.str(4), r.str(5), r.str(6), r.boolean(7)};
}

constexpr const char* user_columns =
    "u.id, u.email, u.display_name, u.preferred_lang, u.active, u.totp_enabled, "
    "CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END, u.last_login_at";

UserRow user_from(const Row& r) {
    return UserRow{r.i64(0), r.str(1), r.str(2), r.str(3), r.boolean(4), r.boolean(5), r.boolean(6), r.str(7)};
}

constexpr const char* membership_columns = "m.id, m.user_id, m.organisation_id, o.sda_id, o.name_fr, o.name_en, m.role, m.active";

MembershipRow membership_from(const Row& r) {
    return MembershipRow{r.i64(0), r.i64(1), r.i64(2), r.i64(3), r.str(4), r.str(5), r.str(6), r.boolean(7)};
}

// SQL fragment and parameters restricting users to those `viewer` administers: the rule of
// domain::can_manage_user in SQL. A coordinating-agency administrator manages a user only when
// every membership of that user, active or not, is one they could have granted: an
// organisation of their own area, any role but system administrator. A user with no
// membership at all is a system administrator's to manage.
void scope_users(const Principal& viewer, std::string& sql, Params& params) {
    // Family accounts are kept from the file they were invited to (features/family), never
    // administered here.
    sql += " AND u.kind = 'staff'";
    // The service accounts of API clients (features/fhir) are registered, read and revoked
    // with their client, never administered as users: no sign-in link, edit or membership here.
    sql += " AND u.id NOT IN (SELECT user_id FROM api_clients)";
    if (viewer.is_system_admin()) return;
    const auto sdas = viewer.ca_admin_sdas();
    if (sdas.empty()) {
        sql += " AND 1 = 0";
        return;
    }
    std::string in_list;
    for (std::size_t i = 0; i < sdas.size(); ++i) in_list += i ? ", ?" : "?";
    sql +=
        " AND EXISTS (SELECT 1 FROM memberships sm WHERE sm.user_id = u.id)"
        " AND NOT EXISTS (SELECT 1 FROM memberships xm JOIN organisations xo ON xo.id = xm.organisation_id "
        "WHERE xm.user_id = u.id AND (xm.role = 'system_admin' OR xo.sda_id NOT IN (" +
        in_list + ")))";
    for (auto sda : sdas) params.emplace_back(sda);
}

}  // namespace

std::string IdentityRepo::now() const {
    return format_iso(clock_.now());
}

void IdentityRepo::record_admin_event(std::optional<std::int64_t> actor, std::string_view action, std::string_view entity,
                                      std::optional<std::int64_t> entity_id, std::string_view detail) {
    if (actor && *actor == 0) actor.reset();  // 0: the system itself (demo data, bootstrap)
    tx_.exec("INSERT INTO admin_audit (at, user_id, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
             {now(), opt(actor), std::string(action), std::string(entity), opt(entity_id), std::string(detail)});
}

// ---- service delivery areas

std::vector<SdaRow> IdentityRepo::list_sdas(bool include_inactive) {
    std::vector<SdaRow> out;
    for (const auto& r :
         tx_.query(include_inactive ? "SELECT id, code, name_fr, name_en, active FROM service_delivery_areas ORDER BY code"
                                    : "SELECT id, code, name_fr, name_en, active FROM service_delivery_areas "
                                      "WHERE active = 1 ORDER BY code"))
        out.push_back(sda_from(r));
    return out;
}

std::optional<SdaRow> IdentityRepo::find_sda(std::int64_t id) {
    auto r = tx_.query_one("SELECT id, code, name_fr, name_en, active FROM service_delivery_areas WHERE id = ?", {id});
    if (!r) return std::nullopt;
    return sda_from(*r);
}

Result<std::int64_t> IdentityRepo::create_sda(const domain::Sda& in, std::int64_t actor) {
    if (tx_.query_one("SELECT 1 FROM service_delivery_areas WHERE code = ?", {in.code})) return taken("code", "sda.code_taken");
    return guarded(
        [&]() -> Result<std::int64_t> {
            const auto t = now();
            auto r = tx_.query_one(
                "INSERT INTO service_delivery_areas (code, name_fr, name_en, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                {in.code, in.name_fr, in.name_en, t, t});
            const auto id = r->i64(0);
            record_admin_event(actor, "create", "sda", id);
            return id;
        },
        taken("code", "sda.code_taken"));
}

Result<void> IdentityRepo::update_sda(std::int64_t id, const domain::Sda& in, std::int64_t actor) {
    if (tx_.query_one("SELECT 1 FROM service_delivery_areas WHERE code = ? AND id <> ?", {in.code, id}))
        return taken("code", "sda.code_taken");
    return guarded(
        [&]() -> Result<void> {
            auto n = tx_.exec(
                "UPDATE service_delivery_areas SET code = ?, name_fr = ?, name_en = ?, updated_at = ? "
                "WHERE id = ?",
                {in.code, in.name_fr, in.name_en, now(), id});
            if (n) record_admin_event(actor, "update", "sda", id);
            return changed(n);
        },
        taken("code", "sda.code_taken"));
}

Result<void> IdentityRepo::set_sda_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE service_delivery_areas SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (n) record_admin_event(actor, active ? "reactivate" : "deactivate", "sda", id);
    return changed(n);
}

// ---- organisations

std::vector<OrganisationRow> IdentityRepo::list_organisations(std::optional<std::int64_t> sda_id, bool include_inactive) {
    std::string sql = std::string("SELECT ") + org_columns +
                      " FROM organisations o JOIN service_delivery_areas s ON s.id = o.sda_id WHERE 1 = 1";
    Params params;
    if (sda_id) {
        sql += " AND o.sda_id = ?";
        params.emplace_back(*sda_id);
    }
    if (!include_inactive) sql += " AND o.active = 1";
    sql += " ORDER BY o.name_en, o.id";
    std::vector<OrganisationRow> out;
    for (const auto& r : tx_.query(sql, params)) out.push_back(org_from(r));
    // One query for every organisation's CSP roles rather than one per organisation.
    if (!out.empty()) {
        for (const auto& r : tx_.query("SELECT organisation_id, csp_role FROM organisation_csp_roles ORDER BY csp_role")) {
            const auto id = r.i64(0);
            for (auto& o : out)
                if (o.id == id) o.csp_roles.push_back(r.str(1));
        }
    }
    return out;
}

std::optional<OrganisationRow> IdentityRepo::find_organisation(std::int64_t id) {
    auto r = tx_.query_one(std::string("SELECT ") + org_columns +
                               " FROM organisations o JOIN service_delivery_areas s ON s.id = o.sda_id WHERE o.id = ?",
                           {id});
    if (!r) return std::nullopt;
    auto o = org_from(*r);
    for (const auto& cr :
         tx_.query("SELECT csp_role FROM organisation_csp_roles WHERE organisation_id = ? ORDER BY csp_role", {id}))
        o.csp_roles.push_back(cr.str(0));
    return o;
}

static void write_csp_roles(Tx& tx, std::int64_t id, const std::vector<domain::CspRole>& roles) {
    tx.exec("DELETE FROM organisation_csp_roles WHERE organisation_id = ?", {id});
    for (auto r : roles)
        tx.exec("INSERT INTO organisation_csp_roles (organisation_id, csp_role) VALUES (?, ?)",
                {id, std::string(domain::code(r))});
}

Result<std::int64_t> IdentityRepo::create_organisation(const domain::Organisation& in, std::int64_t actor) {
    if (!find_sda(in.sda_id)) return Error::invalid_field("sda_id", "field.choose_one");
    const auto t = now();
    auto r = tx_.query_one(
        "INSERT INTO organisations (sda_id, name_fr, name_en, sector, fls_designated, email, phone, website, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {in.sda_id, in.name_fr, in.name_en, std::string(domain::code(in.sector)), b(in.fls_designated), opt(in.email),
         opt(in.phone), opt(in.website), t, t});
    const auto id = r->i64(0);
    write_csp_roles(tx_, id, in.csp_roles);
    record_admin_event(actor, "create", "organisation", id);
    return id;
}

Result<void> IdentityRepo::update_organisation(std::int64_t id, const domain::Organisation& in, std::int64_t actor) {
    if (!find_sda(in.sda_id)) return Error::invalid_field("sda_id", "field.choose_one");
    auto n = tx_.exec(
        "UPDATE organisations SET sda_id = ?, name_fr = ?, name_en = ?, sector = ?, fls_designated = ?, email = ?, "
        "phone = ?, website = ?, updated_at = ? WHERE id = ?",
        {in.sda_id, in.name_fr, in.name_en, std::string(domain::code(in.sector)), b(in.fls_designated), opt(in.email),
         opt(in.phone), opt(in.website), now(), id});
    if (!n) return Error::not_found();
    write_csp_roles(tx_, id, in.csp_roles);
    record_admin_event(actor, "update", "organisation", id);
    DirectoryRepo(tx_, clock_).reindex_organisation(id);  // its name is part of its services' search text
    return ok();
}

Result<void> IdentityRepo::set_organisation_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE organisations SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (n) {
        record_admin_event(actor, active ? "reactivate" : "deactivate", "organisation", id);
        DirectoryRepo(tx_, clock_).refresh_organisation_search_rows(id);  // its services leave or return to the public search
    }
    return changed(n);
}

// ---- sites

std::vector<SiteRow> IdentityRepo::list_sites(std::int64_t organisation_id) {
    std::vector<SiteRow> out;
    for (const auto& r : tx_.query("SELECT id, organisation_id, name_fr, name_en, address, city, postal_code, active "
                                   "FROM sites WHERE organisation_id = ? ORDER BY name_en, id",
                                   {organisation_id}))
        out.push_back(site_from(r));
    return out;
}

std::optional<SiteRow> IdentityRepo::find_site(std::int64_t id) {
    auto r = tx_.query_one(
        "SELECT id, organisation_id, name_fr, name_en, address, city, postal_code, active "
        "FROM sites WHERE id = ?",
        {id});
    if (!r) return std::nullopt;
    return site_from(*r);
}

Result<std::int64_t> IdentityRepo::create_site(std::int64_t organisation_id, const domain::Site& in, std::int64_t actor) {
    if (!find_organisation(organisation_id)) return Error::not_found();
    const auto t = now();
    auto r = tx_.query_one(
        "INSERT INTO sites (organisation_id, name_fr, name_en, address, city, postal_code, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {organisation_id, in.name_fr, in.name_en, in.address, in.city, in.postal_code, t, t});
    const auto id = r->i64(0);
    record_admin_event(actor, "create", "site", id);
    return id;
}

Result<void> IdentityRepo::update_site(std::int64_t id, const domain::Site& in, std::int64_t actor) {
    auto n = tx_.exec(
        "UPDATE sites SET name_fr = ?, name_en = ?, address = ?, city = ?, postal_code = ?, "
        "updated_at = ? WHERE id = ?",
        {in.name_fr, in.name_en, in.address, in.city, in.postal_code, now(), id});
    if (!n) return Error::not_found();
    record_admin_event(actor, "update", "site", id);
    // A site's city is part of the search text of the services offered there.
    if (auto site = find_site(id)) DirectoryRepo(tx_, clock_).reindex_organisation(site->organisation_id);
    return ok();
}

Result<void> IdentityRepo::set_site_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE sites SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (!n) return Error::not_found();
    record_admin_event(actor, active ? "reactivate" : "deactivate", "site", id);
    if (auto site = find_site(id)) DirectoryRepo(tx_, clock_).reindex_organisation(site->organisation_id);
    return ok();
}

// ---- users

std::vector<UserRow> IdentityRepo::list_users(const Principal& viewer, const UserQuery& q) {
    std::string sql = std::string("SELECT ") + user_columns + " FROM users u WHERE 1 = 1";
    Params params;
    if (!q.include_inactive) sql += " AND u.active = 1";
    if (!q.text.empty()) {
        sql += " AND (LOWER(u.email) LIKE ? OR LOWER(u.display_name) LIKE ?)";
        std::string like = "%";
        for (char c : q.text) {
            if (c == '%' || c == '_') continue;
            like.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
        }
        like += "%";
        params.emplace_back(like);
        params.emplace_back(like);
    }
    if (q.organisation_id) {
        sql += " AND EXISTS (SELECT 1 FROM memberships fm WHERE fm.user_id = u.id AND fm.organisation_id = ?)";
        params.emplace_back(*q.organisation_id);
    }
    scope_users(viewer, sql, params);
    sql += " ORDER BY u.display_name, u.id LIMIT ?";
    params.emplace_back(std::int64_t{q.limit});
    std::vector<UserRow> out;
    for (const auto& r : tx_.query(sql, params)) out.push_back(user_from(r));
    return out;
}

std::optional<UserRow> IdentityRepo::find_user_for(const Principal& viewer, std::int64_t id) {
    std::string sql = std::string("SELECT ") + user_columns + " FROM users u WHERE u.id = ?";
    Params params{id};
    scope_users(viewer, sql, params);
    auto r = tx_.query_one(sql, params);
    if (!r) return std::nullopt;
    return user_from(*r);
}

std::optional<UserRow> IdentityRepo::find_user(std::int64_t id) {
    auto r = tx_.query_one(std::string("SELECT ") + user_columns + " FROM users u WHERE u.id = ?", {id});
    if (!r) return std::nullopt;
    return user_from(*r);
}

std::optional<UserRow> IdentityRepo::find_user_by_email(const std::string& email) {
    auto r = tx_.query_one(std::string("SELECT ") + user_columns + " FROM users u WHERE u.email = ?", {email});
    if (!r) return std::nullopt;
    return user_from(*r);
}

Result<std::int64_t> IdentityRepo::create_user(const domain::User& in, std::int64_t actor) {
    if (find_user_by_email(in.email)) return taken("email", "user.email_taken");
    return guarded(
        [&]() -> Result<std::int64_t> {
            const auto t = now();
            auto r = tx_.query_one(
                "INSERT INTO users (email, display_name, preferred_lang, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                {in.email, in.display_name, std::string(code(in.preferred_lang)), t, t});
            const auto id = r->i64(0);
            record_admin_event(actor, "create", "user", id);
            return id;
        },
        taken("email", "user.email_taken"));
}

Result<void> IdentityRepo::update_user(std::int64_t id, const domain::User& in, std::int64_t actor) {
    if (tx_.query_one("SELECT 1 FROM users WHERE email = ? AND id <> ?", {in.email, id}))
        return taken("email", "user.email_taken");
    return guarded(
        [&]() -> Result<void> {
            auto before = tx_.query_one("SELECT email FROM users WHERE id = ?", {id});
            auto n = tx_.exec("UPDATE users SET email = ?, display_name = ?, preferred_lang = ?, updated_at = ? WHERE id = ?",
                              {in.email, in.display_name, std::string(code(in.preferred_lang)), now(), id});
            if (n) record_admin_event(actor, "update", "user", id);
            // A changed email address is a sensitive change of its own: where sign-in links go.
            if (n && before && before->str(0) != in.email) record_admin_event(actor, "change_email", "user", id);
            return changed(n);
        },
        taken("email", "user.email_taken"));
}

Result<void> IdentityRepo::set_user_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE users SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (!n) return Error::not_found();
    if (!active) tx_.exec("UPDATE sessions SET revoked = 1 WHERE user_id = ?", {id});
    record_admin_event(actor, active ? "reactivate" : "deactivate", "user", id);
    return ok();
}

void IdentityRepo::set_preferred_lang(std::int64_t id, Lang lang) {
    tx_.exec("UPDATE users SET preferred_lang = ?, updated_at = ? WHERE id = ?", {std::string(code(lang)), now(), id});
}

// ---- memberships

std::vector<MembershipRow> IdentityRepo::memberships_of(std::int64_t user_id) {
    std::vector<MembershipRow> out;
    for (const auto& r : tx_.query(std::string("SELECT ") + membership_columns +
                                       " FROM memberships m JOIN organisations o ON o.id = m.organisation_id "
                                       "WHERE m.user_id = ? ORDER BY o.name_en, m.role",
                                   {user_id}))
        out.push_back(membership_from(r));
    return out;
}

std::optional<MembershipRow> IdentityRepo::find_membership(std::int64_t id) {
    auto r = tx_.query_one(std::string("SELECT ") + membership_columns +
                               " FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.id = ?",
                           {id});
    if (!r) return std::nullopt;
    return membership_from(*r);
}

Result<std::int64_t> IdentityRepo::add_membership(std::int64_t user_id, const domain::Membership& in, std::int64_t actor) {
    // A family account never holds a staff role (features/family).
    if (tx_.query_one("SELECT 1 FROM users WHERE id = ? AND kind = 'family'", {user_id})) return Error::forbidden();
    if (!find_organisation(in.organisation_id)) return Error::invalid_field("organisation_id", "field.choose_one");
    const std::string role(domain::code(in.role));
    if (auto existing = tx_.query_one("SELECT id, active FROM memberships WHERE user_id = ? AND organisation_id = ? AND role = ?",
                                      {user_id, in.organisation_id, role})) {
        if (existing->boolean(1)) return taken("role", "membership.exists");
        auto r = set_membership_active(existing->i64(0), true, actor);
        if (!r) return r.error();
        return existing->i64(0);
    }
    const auto t = now();
    auto r = tx_.query_one(
        "INSERT INTO memberships (user_id, organisation_id, role, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id",
        {user_id, in.organisation_id, role, t, t});
    const auto id = r->i64(0);
    record_admin_event(actor, "create", "membership", id, role);
    return id;
}

Result<void> IdentityRepo::set_membership_active(std::int64_t id, bool active, std::int64_t actor) {
    auto n = tx_.exec("UPDATE memberships SET active = ?, updated_at = ? WHERE id = ?", {b(active), now(), id});
    if (n) record_admin_event(actor, active ? "reactivate" : "deactivate", "membership", id);
    return changed(n);
}

Principal IdentityRepo::principal_of(std::int64_t user_id) {
    Principal p;
    p.user_id = user_id;
    // One round trip: the account's kind and its active memberships (a family account's
    // memberships, which no path creates, would count for nothing).
    for (const auto& r : tx_.query("SELECT u.kind, m.organisation_id, o.sda_id, m.role FROM users u "
                                   "LEFT JOIN memberships m ON m.user_id = u.id AND m.active = 1 "
                                   "LEFT JOIN organisations o ON o.id = m.organisation_id AND o.active = 1 "
                                   "WHERE u.id = ? ORDER BY m.id",
                                   {user_id})) {
        if (r.str(0) == "family") {
            p.family = true;
            p.grants.clear();
            break;
        }
        if (r.is_null(2)) continue;
        if (auto role = domain::parse_role(r.str(3))) p.grants.push_back({r.i64(1), r.i64(2), *role});
    }
    return p;
}

}  // namespace arrimage::store
