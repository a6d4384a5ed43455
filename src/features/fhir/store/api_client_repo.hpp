#pragma once
// API clients of the FHIR R4 API (features/fhir/domain/fhir.hpp, docs/FHIR.md): their
// registration, revocation and OAuth 2.0 client-credentials tokens.
//
// Who: a client is registered for an organisation by whoever may give memberships in it
// (domain::can_manage_users for its area, and domain::can_grant for the client's role): the
// system administrators and the area's coordinating-agency administrators. They list, read and
// revoke the clients of the organisations they administer; anyone else is refused (Forbidden),
// and a client outside the reader's areas is not found.
//
// A client is backed by a service account: a users row (display name "API: <name>", an email
// under the reserved domain api-clients.invalid, no password, so it can never sign in, and
// left out of the users' administration lists) with one active membership in the client's
// organisation in the client's role. It is not a person: it is never offered as an intake's
// coordinator, never a notification's recipient and never sent an email. The web pipeline makes the API call's access context
// from that membership (store::AccessMint::member), so the kernel's guard decides and audits every access exactly as for a
// person; the audit shows the service account's name.
//
// Secrets and tokens: the secret (32 random bytes, URL-safe base64) is shown once at
// registration and stored only as its argon2id hash (core/crypto.hpp); access tokens (32 random
// bytes) are stored only as their BLAKE2b hash (core/text.hpp hash_token), live
// domain::api_token_minutes, and stop working at once when the client is revoked, its
// organisation or service account deactivated, or its membership ended. Registration and
// revocation are written to admin_audit in the same transaction; revocation is a transition of
// domain::api_client_lifecycle() (api_client_events).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "domain/access.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "store/db.hpp"

namespace arrimage::store {

struct ApiClientRow {
    std::int64_t id = 0;
    std::string client_id;  // public identifier: "arr-" + 20 random URL-safe characters
    std::string name;
    std::int64_t organisation_id = 0;
    std::int64_t sda_id = 0;
    std::string org_name_fr, org_name_en;
    bool organisation_active = true;  // false: the organisation is deactivated and its tokens are refused
    std::int64_t user_id = 0;         // the service account
    domain::Role role = domain::Role::participant_staff;
    std::vector<domain::FhirScope> scopes;
    domain::ApiClientStatus status = domain::ApiClientStatus::active;
    std::string created_at, created_by;  // ISO timestamp, the administrator's display name
    std::string revoked_at, revoked_by;  // "" while active (from the revoke event row)
    std::string last_used_at;            // "" when never: the last token issued or call made
};

struct RegisteredApiClient {
    ApiClientRow client;
    std::string secret;  // shown once, never stored
};

struct IssuedToken {
    std::string access_token;
    int expires_in = 0;  // seconds
    std::vector<domain::FhirScope> scopes;
};

// Who calls, once a bearer token is recognised.
struct ApiCaller {
    std::int64_t client_id = 0;  // api_clients.id
    std::string name;
    std::int64_t user_id = 0;  // the service account
    std::int64_t organisation_id = 0;
    domain::Role role = domain::Role::participant_staff;
    std::vector<domain::FhirScope> scopes;  // the token's
    std::string last_used_at;
};

// The token endpoint's refusals, as RFC 6749 section 5.2 names them.
enum class TokenRefusal { invalid_client, invalid_scope };

class ApiClientRepo {
  public:
    // `cost`: the argon2id cost of the secrets' hashes, the same as the users' passwords'
    // (web::Config::password_cost; PasswordHashCost::minimum() in tests).
    ApiClientRepo(Tx& tx, const Clock& clock, Random& random, PasswordHashCost cost = PasswordHashCost::interactive())
        : tx_(tx), clock_(clock), random_(random), cost_(cost) {}

    // Registers a client for `organisation_id` (an active organisation). Invalid with the domain's
    // field errors (domain::validate_api_client); Forbidden when `admin` may not (see the header);
    // NotFound for an organisation that does not exist or is outside the admin's areas.
    Result<RegisteredApiClient> register_client(const domain::Principal& admin, std::int64_t organisation_id,
                                                const domain::NewApiClient& in);
    // The clients of the organisations `viewer` administers (every one for a system
    // administrator), newest first; only `organisation_id`'s when given.
    std::vector<ApiClientRow> list(const domain::Principal& viewer, std::optional<std::int64_t> organisation_id = {});
    Result<ApiClientRow> find(const domain::Principal& viewer, std::int64_t id);
    // active -> revoked through the lifecycle table (Conflict when already revoked: the page was
    // stale), in the caller's transaction: its tokens are deleted, its service account's
    // membership ended and the account deactivated, and its places on file teams end now (a
    // revoked client is no longer anyone's team member).
    Result<void> revoke(const domain::Principal& admin, std::int64_t id);
    // A new secret for an active client (shown once; the old one stops working, and so do the
    // client's tokens), recorded in admin_audit. Forbidden / NotFound as for revoke; Conflict
    // for a revoked client.
    Result<std::string> rotate_secret(const domain::Principal& admin, std::int64_t id);

    // The token endpoint (write transaction): checks the client's id and secret (a wrong pair, an
    // unknown id and a revoked client are the same invalid_client, in the same time), narrows
    // the requested scopes (empty: all), stores the new token's hash and records the use.
    // Expired tokens of the client are deleted on the way.
    std::variant<IssuedToken, TokenRefusal> issue_token(std::string_view client_id, std::string_view secret,
                                                        std::string_view requested_scopes);
    // The caller behind a bearer token (read transaction: writes nothing): nullopt for an unknown
    // or expired token, a revoked client, an inactive organisation or service account, or a
    // membership no longer held.
    std::optional<ApiCaller> authenticate(std::string_view bearer_token);
    // Records a call's time as the client's last use (its own small write transaction, made by
    // the pipeline at most once a minute per client).
    void touch(std::int64_t client_id);

  private:
    Tx& tx_;
    const Clock& clock_;
    Random& random_;
    PasswordHashCost cost_;
};

}  // namespace arrimage::store
