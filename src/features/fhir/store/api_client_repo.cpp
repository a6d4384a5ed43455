#include "features/fhir/store/api_client_repo.hpp"

#include <map>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "core/text.hpp"
#include "core/time.hpp"
#include "store/identity_repo.hpp"
#include "store/transitions.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

constexpr LifecycleTables api_client_tables{"api_clients", "api_client_events", "api_client_id"};

// The reserved domain of the service accounts' addresses (RFC 2606: never delivered).
constexpr const char* service_account_domain = "@api-clients.invalid";

// Longer than any client id or token we hand out: refused without a query.
constexpr std::size_t max_credential_length = 200;

constexpr const char* client_select =
    "SELECT c.id, c.client_id, c.name, c.organisation_id, o.sda_id, o.name_fr, o.name_en, c.user_id, c.role, c.scopes, "
    "c.status, c.created_at, cu.display_name, COALESCE(e.at, ''), COALESCE(eu.display_name, ''), "
    "COALESCE(c.last_used_at, ''), o.active "
    "FROM api_clients c JOIN organisations o ON o.id = c.organisation_id "
    "JOIN users cu ON cu.id = c.created_by "
    // Revocation is final: at most one revoke event per client.
    "LEFT JOIN api_client_events e ON e.api_client_id = c.id AND e.event = 'revoke' "
    "LEFT JOIN users eu ON eu.id = e.user_id ";

// The client's scopes as stored (written by format_fhir_scopes); none if they no longer parse.
std::vector<d::FhirScope> stored_scopes(const std::string& text) {
    auto parsed = d::parse_fhir_scopes(text);
    return parsed ? std::move(*parsed) : std::vector<d::FhirScope>{};
}

ApiClientRow client_from(const Row& r) {
    ApiClientRow c;
    c.id = r.i64(0);
    c.client_id = r.str(1);
    c.name = r.str(2);
    c.organisation_id = r.i64(3);
    c.sda_id = r.i64(4);
    c.org_name_fr = r.str(5);
    c.org_name_en = r.str(6);
    c.user_id = r.i64(7);
    const auto role = d::parse_role(r.str(8));
    const auto status = d::parse_api_client_status(r.str(10));
    if (!role || !status) throw std::runtime_error("API client " + std::to_string(c.id) + " has an unknown role or status");
    c.role = *role;
    c.scopes = stored_scopes(r.str(9));
    c.status = *status;
    c.created_at = r.str(11);
    c.created_by = r.str(12);
    c.revoked_at = r.str(13);
    c.revoked_by = r.str(14);
    c.last_used_at = r.str(15);
    c.organisation_active = r.boolean(16);
    return c;
}

// Restricts clients to the organisations `viewer` administers (domain::can_manage_users in SQL):
// every one for a system administrator, those of their areas for a coordinating-agency
// administrator, none for anyone else.
void scope_clients(const d::Principal& viewer, std::string& sql, Params& params) {
    if (viewer.is_system_admin()) return;
    const auto sdas = viewer.ca_admin_sdas();
    if (sdas.empty()) {
        sql += " AND 1 = 0";
        return;
    }
    sql += " AND o.sda_id IN (";
    for (std::size_t i = 0; i < sdas.size(); ++i) {
        sql += i ? ", ?" : "?";
        params.emplace_back(sdas[i]);
    }
    sql += ")";
}

// A hash of the current cost to verify against when the client id is unknown, so that the answer
// takes the same time whether or not it exists. One per cost, made once.
std::string dummy_hash(const PasswordHashCost& cost) {
    static std::mutex m;
    static std::map<std::pair<unsigned long long, std::size_t>, std::string> hashes;
    std::lock_guard lock(m);
    auto& h = hashes[{cost.ops, cost.mem}];
    if (h.empty()) h = hash_password("not-a-real-client-secret", cost);
    return h;
}

}  // namespace

Result<RegisteredApiClient> ApiClientRepo::register_client(const d::Principal& admin, std::int64_t organisation_id,
                                                           const d::NewApiClient& in) {
    if (!d::can_administer(admin)) return Error::forbidden();
    const auto org = tx_.query_one("SELECT sda_id FROM organisations WHERE id = ? AND active = 1", {organisation_id});
    if (!org || !d::can_manage_users(admin, org->i64(0))) return Error::not_found();
    const auto sda_id = org->i64(0);
    auto errors = d::validate_api_client(in);
    if (!errors.empty()) return Error::invalid(std::move(errors));
    const auto role = d::parse_role(in.role);
    auto scopes = d::parse_fhir_scopes(in.scopes);
    if (!role) return Error::invalid_field("role", "field.choose_one");
    if (!scopes) return scopes.error();
    if (!d::can_grant(admin, *role, sda_id)) return Error::forbidden();

    const std::string client_id = "arr-" + random_.token(15);  // 15 bytes: 20 characters
    const std::string secret = random_.token(32);
    const std::string name = trim(in.name);

    // The service account: no password, so it never signs in (store::AuthRepo refuses it one),
    // and left out of the users' administration (store::IdentityRepo's user scope). Addresses are
    // lower case like every user's.
    IdentityRepo ids(tx_, clock_);
    const auto user_id =
        ids.create_user({ascii_lower(client_id) + service_account_domain, "API: " + name, Lang::en}, admin.user_id);
    if (!user_id) return user_id.error();
    const auto membership = ids.add_membership(*user_id, {organisation_id, *role}, admin.user_id);
    if (!membership) return membership.error();

    const auto t = format_iso(clock_.now());
    const auto id = tx_.query_one(
                           "INSERT INTO api_clients (client_id, secret_hash, name, organisation_id, user_id, role, scopes, "
                           "status, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?) "
                           "RETURNING id",
                           {client_id, hash_password(secret, cost_), name, organisation_id, *user_id, std::string(d::code(*role)),
                            d::format_fhir_scopes(*scopes), t, admin.user_id, t})
                        ->i64(0);
    ids.record_admin_event(admin.user_id, "register", "api_client", id, client_id);
    auto row = find(admin, id);
    if (!row) return row.error();
    return RegisteredApiClient{std::move(*row), secret};
}

std::vector<ApiClientRow> ApiClientRepo::list(const d::Principal& viewer, std::optional<std::int64_t> organisation_id) {
    std::vector<ApiClientRow> out;
    if (!d::can_administer(viewer)) return out;
    std::string sql = std::string(client_select) + "WHERE 1 = 1";
    Params params;
    if (organisation_id) {
        sql += " AND c.organisation_id = ?";
        params.emplace_back(*organisation_id);
    }
    scope_clients(viewer, sql, params);
    sql += " ORDER BY c.created_at DESC, c.id DESC";
    for (const auto& r : tx_.query(sql, params)) out.push_back(client_from(r));
    return out;
}

Result<ApiClientRow> ApiClientRepo::find(const d::Principal& viewer, std::int64_t id) {
    if (!d::can_administer(viewer)) return Error::forbidden();
    std::string sql = std::string(client_select) + "WHERE c.id = ?";
    Params params{id};
    scope_clients(viewer, sql, params);
    const auto r = tx_.query_one(sql, params);
    if (!r) return Error::not_found();
    return client_from(*r);
}

Result<void> ApiClientRepo::revoke(const d::Principal& admin, std::int64_t id) {
    auto client = find(admin, id);
    if (!client) return client.error();
    auto moved =
        fire_transition(tx_, clock_, api_client_tables, d::api_client_lifecycle(), id, client->status, d::ApiClientEvent::revoke,
                        d::Relationship::coordinating_agency, d::ApiClientFacts{}, std::optional<std::int64_t>{admin.user_id});
    if (!moved) return moved.error();
    // Its tokens stop working at once, and its service account no longer acts for the organisation.
    tx_.exec("DELETE FROM api_tokens WHERE api_client_id = ?", {id});
    IdentityRepo ids(tx_, clock_);
    for (const auto& m :
         tx_.query("SELECT id FROM memberships WHERE user_id = ? AND organisation_id = ? AND role = ? AND active = 1",
                   {client->user_id, client->organisation_id, std::string(d::code(client->role))})) {
        auto ended = ids.set_membership_active(m.i64(0), false, admin.user_id);
        if (!ended) return ended.error();
    }
    // Nor is it on any file's team: a revoked client must not still look like a team member
    // (on the file's team page, and to the kernel, which counts a team place as a relationship
    // to the file). Places that were to end later end now too.
    const auto t = format_iso(clock_.now());
    tx_.exec("UPDATE file_team SET until_at = ? WHERE user_id = ? AND (until_at IS NULL OR until_at > ?)",
             {t, client->user_id, t});
    // The account itself is deactivated (its sessions, of which it has none, with it).
    if (auto off = ids.set_user_active(client->user_id, false, admin.user_id); !off) return off.error();
    ids.record_admin_event(admin.user_id, "revoke", "api_client", id, client->client_id);
    return ok();
}

Result<std::string> ApiClientRepo::rotate_secret(const d::Principal& admin, std::int64_t id) {
    auto client = find(admin, id);
    if (!client) return client.error();
    if (client->status != d::ApiClientStatus::active) return Error::conflict("lifecycle.not_from_state");
    std::string secret = random_.token(32);
    // Still active as read (a concurrent revocation wins).
    if (tx_.exec("UPDATE api_clients SET secret_hash = ?, updated_at = ? WHERE id = ? AND status = 'active'",
                 {hash_password(secret, cost_), format_iso(clock_.now()), id}) != 1)
        return Error::conflict("lifecycle.not_from_state");
    tx_.exec("DELETE FROM api_tokens WHERE api_client_id = ?", {id});
    IdentityRepo(tx_, clock_).record_admin_event(admin.user_id, "rotate_secret", "api_client", id, client->client_id);
    return secret;
}

std::variant<IssuedToken, TokenRefusal> ApiClientRepo::issue_token(std::string_view client_id, std::string_view secret,
                                                                   std::string_view requested_scopes) {
    // A client that may act now: active, its organisation and service account active, its
    // membership held. Whatever the reason one is not found, a hash is verified all the same.
    std::optional<Row> client;
    if (!client_id.empty() && client_id.size() <= max_credential_length && secret.size() <= max_credential_length)
        client = tx_.query_one(
            "SELECT c.id, c.secret_hash, c.scopes FROM api_clients c JOIN users u ON u.id = c.user_id "
            "JOIN organisations o ON o.id = c.organisation_id "
            "WHERE c.client_id = ? AND c.status = 'active' AND u.active = 1 AND o.active = 1 "
            "AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = c.user_id AND m.organisation_id = c.organisation_id "
            "AND m.role = c.role AND m.active = 1)",
            {std::string(client_id)});
    const bool verified = verify_password(secret, client ? client->str(1) : dummy_hash(cost_));
    if (!client || !verified) return TokenRefusal::invalid_client;
    const auto id = client->i64(0);

    std::vector<d::FhirScope> requested;
    if (!trim(requested_scopes).empty()) {
        auto parsed = d::parse_fhir_scopes(requested_scopes);
        if (!parsed) return TokenRefusal::invalid_scope;
        requested = std::move(*parsed);
    }
    auto scopes = d::narrow_fhir_scopes(stored_scopes(client->str(2)), requested);
    if (scopes.empty()) return TokenRefusal::invalid_scope;

    const auto now = clock_.now();
    const auto t = format_iso(now);
    std::string token = random_.token(32);
    tx_.exec("DELETE FROM api_tokens WHERE api_client_id = ? AND expires_at <= ?", {id, t});
    tx_.exec(
        "INSERT INTO api_tokens (token_hash, api_client_id, scopes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        {hash_token(token), id, d::format_fhir_scopes(scopes), t, format_iso(now + std::chrono::minutes(d::api_token_minutes))});
    tx_.exec("UPDATE api_clients SET last_used_at = ? WHERE id = ?", {t, id});
    return IssuedToken{std::move(token), d::api_token_minutes * 60, std::move(scopes)};
}

std::optional<ApiCaller> ApiClientRepo::authenticate(std::string_view bearer_token) {
    if (bearer_token.empty() || bearer_token.size() > max_credential_length) return std::nullopt;
    const auto r = tx_.query_one(
        "SELECT c.id, c.name, c.user_id, c.organisation_id, c.role, t.scopes, COALESCE(c.last_used_at, '') "
        "FROM api_tokens t JOIN api_clients c ON c.id = t.api_client_id "
        "JOIN users u ON u.id = c.user_id JOIN organisations o ON o.id = c.organisation_id "
        "WHERE t.token_hash = ? AND t.expires_at > ? AND c.status = 'active' AND u.active = 1 AND o.active = 1 "
        "AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = c.user_id AND m.organisation_id = c.organisation_id "
        "AND m.role = c.role AND m.active = 1)",
        {hash_token(bearer_token), format_iso(clock_.now())});
    if (!r) return std::nullopt;
    const auto role = d::parse_role(r->str(4));
    auto scopes = d::parse_fhir_scopes(r->str(5));
    // Stored by issue_token: anything else is refused rather than read as something else.
    if (!role || !scopes || scopes->empty()) return std::nullopt;
    return ApiCaller{r->i64(0), r->str(1), r->i64(2), r->i64(3), *role, std::move(*scopes), r->str(6)};
}

void ApiClientRepo::touch(std::int64_t client_id) {
    tx_.exec("UPDATE api_clients SET last_used_at = ? WHERE id = ?", {format_iso(clock_.now()), client_id});
}

}  // namespace arrimage::store
