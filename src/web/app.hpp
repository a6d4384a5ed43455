#pragma once
// The web application: the request pipeline (request id, language, session, CSRF, one
// transaction per request, security headers, logs, metrics, error pages) and the pages.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "core/random.hpp"
#include "domain/access.hpp"
#include "domain/privacy.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/multipart.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"
#include "store/access.hpp"
#include "store/audit_writer.hpp"
#include "store/auth_repo.hpp"
#include "store/db.hpp"
#include "store/identity_repo.hpp"
#include "store/search_cache.hpp"
#include "web/config.hpp"
#include "web/view.hpp"

namespace arrimage::store {
struct AuditEntry;
}

namespace arrimage::web {

class WebApp;

// The caller of a machine route (Access::bearer), once its bearer token is recognised: an API
// client acting through its service account's membership (features/fhir).
struct BearerCaller {
    std::int64_t client_id = 0;
    std::string name;
    std::int64_t user_id = 0;  // the service account
    std::int64_t organisation_id = 0;
    domain::Role role = domain::Role::participant_staff;
    std::string scopes;        // the token's, space-separated (SMART v2)
    std::string last_used_at;  // ISO timestamp, "" when never
};

// Everything a handler needs for one request.
struct Ctx {
    WebApp& app;
    http::Request& req;
    store::Tx& tx;
    Lang lang = Lang::en;
    std::optional<store::SessionRow> session;
    std::optional<store::UserRow> user;
    domain::Principal principal;
    // The membership the user acts under (domain::acting_grant) and the access context the
    // pipeline made from it (WebApp::admit) for every request; anonymous when nobody is signed
    // in. Handlers hand `access` to repositories; they cannot make one (store/access.hpp).
    std::optional<domain::Grant> acting;
    std::optional<store::AccessContext> access;
    std::optional<store::AccessContext> public_access;  // always anonymous (the public forms)
    // Access::bearer: the API client calling (its access context is `access`).
    std::optional<BearerCaller> bearer;
    // The audit rows of the accesses this request made in a read transaction: made durable by
    // the group commit before the response leaves (store/audit_writer.hpp).
    std::vector<store::AuditEvent> read_audit;
    std::string csrf;
    // Commit even though the response is an error (e.g. a failed login must be counted).
    bool commit_anyway = false;
    // Roll back even though the response is a success (a validation-only import).
    bool rollback_anyway = false;
    std::vector<http::FormPart> files;  // uploaded files (multipart/form-data)
    std::vector<std::string> cookies;   // Set-Cookie values to add
    std::string flash;                  // catalogue key shown once on the next page

    std::string t(std::string_view key, const std::vector<std::string>& args = {}) const;
    // A user fully signed in (past the second factor, when they have one).
    bool signed_in() const { return user && session && !session->mfa_pending; }
    // A family account (features/family) fully signed in: it acts under no membership, only on
    // the files it has family access to (store::AccessMint::family).
    bool family_account() const { return signed_in() && principal.family; }
    // The file the request's {id} names, for a family account; nothing for anyone else.
    std::optional<std::int64_t> family_file() const;
    store::IdentityRepo identity() const;
    store::AuthRepo auth() const;
    std::string form(std::string_view name) const;
    std::vector<std::string> form_all(std::string_view name) const;
    bool form_ok = true;  // false when the body was not valid urlencoded UTF-8
    std::vector<std::pair<std::string, std::string>> fields;
};

enum class Access {
    public_page,  // anyone
    mfa_pending,  // a signed-in user who has not yet passed the second factor
    signed_in,    // a fully signed-in user
    // Machine routes: no cookie is read or set, no session, no CSRF token (no ambient
    // credential: a browser cannot be made to send one); the language is Accept-Language's;
    // an urlencoded body is parsed into the fields as for a form, any other body is left to the
    // handler (req.body).
    open,    // anyone (the token endpoint, the FHIR CapabilityStatement)
    bearer,  // an `Authorization: Bearer` token the installed BearerAuth recognises
};

struct BearerAuth;

using PageHandler = std::function<http::Response(Ctx&)>;

struct RouteSpec {
    std::string name;  // for metrics and logs, e.g. "admin/orgs"
    Access access = Access::signed_in;
    store::TxMode mode = store::TxMode::read;
    PageHandler handler;
};

class WebApp {
  public:
    WebApp(Config config, store::Database& db, const Clock& clock, Random& random);
    ~WebApp();

    // Answers one request. Audit rows of its reads are durable when this returns (it waits for
    // their group commit); a 503 replaces the response when they could not be committed.
    http::Response handle(http::Request& req);
    // The same for the server: instead of waiting, the response carries a Response::defer that
    // releases it once its audit rows are durable, so no io thread waits for a commit.
    http::Response serve(http::Request& req);
    // The operations listener (its own address and port, loopback by default): /metrics, and
    // /healthz and /readyz as on the public one. Nothing else; the public listener answers 404
    // for /metrics.
    http::Response handle_operations(http::Request& req);
    http::Response transport_error(int status, const http::Request& req);
    // For ServerLimits::upload_session: whether a session cookie's value is a live session of
    // an active user, fully signed in (not waiting for its second factor) and not idle past
    // Config::session_idle. False when the database cannot say.
    std::function<bool(std::string_view)> upload_session_check();

    // ---- for handlers
    const Config& config() const { return config_; }
    const Catalogue& catalogue() const { return catalogue_; }
    const Clock& clock() const { return clock_; }
    Random& random() { return random_; }
    store::Database& db() { return db_; }
    http::Metrics& metrics() { return metrics_; }
    // The static files' version, for a page's own script tags (the layout's use it too).
    std::string asset_version() const { return static_.version(); }
    store::SearchCache& search_cache() { return search_cache_; }
    store::SearchIndex& search_index() { return search_index_; }

    // A full page: the layout around `body_template` rendered with `model`.
    http::Response page(Ctx& ctx, const std::string& title_key, const std::string& body_template, nlohmann::json model,
                        int status = 200);
    // A page meant to be printed: the print layout (no navigation, print styles) around it.
    http::Response print_page(Ctx& ctx, const std::string& title_key, const std::string& body_template, nlohmann::json model);
    http::Response error_page(Ctx& ctx, const Error& e);
    // A refusal on a route about personal information, made before any repository could
    // decide (the user has no membership that may do this at all): one denied access on
    // record for the user (on the file when `person_id` names one that exists), kept although
    // the answer is an error, then `e`'s page.
    // A refusal from a repository (its decisions are already among the request's audit rows):
    // the error page, and the transaction commits to keep those rows, but only for a refusal
    // (NotFound, Forbidden). A Conflict or an internal error may come after part of a write:
    // then the request's transaction is rolled back whole.
    http::Response refused(Ctx& ctx, const Error& e);
    http::Response refused_audited(Ctx& ctx, const Error& e, domain::Purpose purpose = domain::Purpose::coordination,
                                   std::optional<std::int64_t> person_id = std::nullopt);
    http::Response error_status(Ctx& ctx, int status);
    // Redirect after a successful POST, with a one-time message.
    http::Response see_other(Ctx& ctx, const std::string& location, const std::string& flash_key = {});

    void route(const std::string& method, const std::string& pattern, RouteSpec spec);
    // Installs the authentication of Access::bearer routes (features/fhir); until then every
    // such route answers 401.
    void set_bearer_auth(BearerAuth auth);

    // Adds to the layout of every page a signed-in user sees (a feature's item in the
    // navigation: the notifications' unread count).
    using LayoutHook = std::function<void(Ctx&, nlohmann::json&)>;
    void add_layout_hook(LayoutHook hook);
    // Every route registered (the authorization matrix checks that it lists them).
    const http::Router<RouteSpec>& router() const { return router_; }
    std::string csrf_for_session(const std::string& session_id) const;
    std::string csrf_for_anonymous(const std::string& cookie) const;
    // A keyed hash of `data` under the installation's secret (shared by all nodes): a stable
    // pseudonym for something that should not be stored as is, such as a client's address.
    std::string pseudonym(std::string_view purpose, std::string_view data) const;
    // Starts a fresh session for `user_id` (rotating any previous one) and sets its cookie.
    void start_session(Ctx& ctx, std::int64_t user_id, bool mfa_pending);
    void end_session(Ctx& ctx);

  private:
    http::Response respond(http::Request& req, bool may_defer);
    http::Response run_route(http::Request& req, const RouteSpec& spec, Lang lang, std::int64_t& user_id,
                             std::vector<store::AuditEvent>& read_audit);
    // Whether `path` is under BearerAuth::api_path (when an error format is installed).
    bool in_api_path(const std::string& path) const;
    // Access::open and Access::bearer routes: no cookie, session or CSRF (see Access).
    http::Response run_machine_route(http::Request& req, const RouteSpec& spec, std::unique_ptr<store::Tx> tx, Ctx& ctx,
                                     std::int64_t& user_id, std::vector<store::AuditEvent>& read_audit);
    // The response once `rows` are durable: waiting here, or (may_defer) through Response::defer.
    void hold_for_audit(http::Response& r, const http::Request& req, std::vector<store::AuditEvent> rows, bool may_defer);
    // Makes the request's access context (see Ctx::access).
    void admit(Ctx& ctx);
    void finish(http::Response& r, const http::Request& req) const;
    // /healthz (process up) and /readyz (database reachable), on both listeners; nullopt for
    // any other path.
    std::optional<http::Response> probe(const std::string& path) const;
    // Metrics and the one JSON log line of a request.
    void record(const http::Request& req, const std::string& route_name, int status, double seconds, double db_seconds,
                std::int64_t user_id);
    void register_pages();

    Config config_;
    store::Database& db_;
    const Clock& clock_;
    Random& random_;
    Catalogue catalogue_;
    std::unique_ptr<Views> views_;
    http::StaticFiles static_;
    http::Metrics metrics_;
    http::Router<RouteSpec> router_;
    std::string secret_;
    store::SearchCache search_cache_;
    store::SearchIndex search_index_;
    std::unique_ptr<store::AuditWriter> audit_writer_;
    std::vector<LayoutHook> layout_hooks_;
    std::unique_ptr<BearerAuth> bearer_auth_;
};

// How Access::bearer routes are authenticated.
struct BearerAuth {
    // The caller behind a token (in the request's transaction), or nullopt.
    std::function<std::optional<BearerCaller>(store::Tx&, std::string_view token)> authenticate;
    // Records a call as the caller's last use, in its own write transaction; called after the
    // request's transaction when its last use is over a minute old.
    std::function<void(store::Tx&, std::int64_t client_id)> touch;
    // The answer to a call without a token the pipeline can accept (401) or whose service
    // account no longer holds its membership: in the API's own format, in ctx.lang.
    std::function<http::Response(Ctx&, int status)> refuse;
    // Requests under this path ("/fhir": the path itself and below) get their transport errors
    // (no such route, method not allowed, database unavailable, an internal error, an audit that
    // could not be made durable) from `error`, in the client's language, instead of the HTML page.
    std::string api_path;
    std::function<http::Response(Lang, int status)> error;
};

// Pages register their routes through these (one per area), called by the WebApp.
void register_auth_pages(WebApp& app);
void register_account_pages(WebApp& app);
void register_admin_pages(WebApp& app);
// The service directory: public search and service pages, staff management, referral pathways.
void register_directory_pages(WebApp& app);
void register_hsds_pages(WebApp& app);  // the public HSDS 3.0 JSON API (pages_hsds.cpp)
// Upload of an HSDS CSV set by the coordinating agency (pages_hsds_import.cpp).
void register_hsds_import_pages(WebApp& app);
// Paths that accept large request bodies (file uploads), as route patterns with their limits:
// the server's upload_paths (given only to a request with a session cookie, `arrimage serve`
// sets ServerLimits::upload_cookie).
const std::vector<http::UploadPath>& upload_paths();
// The children and youth registry: list, registration, file summary (pages_people.cpp).
void register_people_pages(WebApp& app);
// Consent directives, the printable consent form, the lockbox, break-the-glass and the privacy
// officer's review queue (pages_consent.cpp).
void register_consent_pages(WebApp& app);
// The privacy officer's tools: audit search and export, anomalies, access and correction
// requests, the breach register, the family's access report (pages_privacy_office.cpp).
void register_privacy_office_pages(WebApp& app);
bool may_keep_privacy_office(const domain::Principal& p);
// One audit row as the privacy office's tables show it (templates/_privacy_audit_table).
nlohmann::json audit_row_view(const Ctx& ctx, const store::AuditEntry& e);
// Whether the user holds a role the privacy policy lets near a child's file at all.
bool may_see_children(const domain::Principal& p);

// Signs in the user of `creds` once their password has been checked (the sign-in page, joining
// with a family invitation): records the sign-in, starts a fresh session (its second factor
// pending when the account has one or its role requires one) and sets the language cookie to
// the account's preference; then on to the second factor, its setup, or `next` with `flash_key`.
http::Response sign_in(Ctx& ctx, const store::Credentials& creds, const std::string& next, const std::string& flash_key = {});

// Emails a single-use link ("reset" or "invite") to the user, in their language, through
// the outbox, replacing any earlier link of the same purpose.
void issue_token(Ctx& ctx, std::int64_t user_id, const std::string& purpose);

// The message catalogue shipped in the binary.
Catalogue load_catalogue();

// Words an area or an organisation wrote in both languages, in the reader's: the French when the
// page is in French and there is French, else the English.
const std::string& in_lang(const Ctx& ctx, const std::string& fr, const std::string& en);
// A generated file (an export) to download: `filename` is plain ASCII chosen by the code.
http::Response download(std::string body, const std::string& content_type, const std::string& filename);

}  // namespace arrimage::web
