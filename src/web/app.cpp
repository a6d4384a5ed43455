#include "web/app.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <typeinfo>

#include "core/text.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/agreements/web/agreement_pages.hpp"
#include "features/complaints/web/complaint_pages.hpp"
#include "features/family/web/family_pages.hpp"
#include "features/fhir/web/fhir_pages.hpp"
#include "features/governance/web/governance_pages.hpp"
#include "features/intake/web/intake_pages.hpp"
#include "features/network/web/network_pages.hpp"
#include "features/notification/web/notification_pages.hpp"
#include "features/plan/web/plan_pages.hpp"
#include "features/referral/web/referral_pages.hpp"
#include "features/reporting/web/report_pages.hpp"
#include "http/forwarded.hpp"
#include "http/multipart.hpp"
#include "store/audit_repo.hpp"
#include "store/connect.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;

namespace {

// Routes whose writes can change what directory search returns (services, locations,
// organisations, sites, areas): the search cache is dropped after they commit.
bool changes_directory(std::string_view route) {
    for (std::string_view prefix : {"directory/", "admin/orgs/", "admin/sites/", "admin/sdas/", "hsds/"})
        if (route.starts_with(prefix)) return true;
    return false;
}

constexpr const char* lang_cookie = "arrimage_lang";

// A form body's media type, compared without regard to case (RFC 9110 section 8.3.1).
bool is_urlencoded(std::string_view type) {
    constexpr std::string_view form = "application/x-www-form-urlencoded";
    if (type.size() < form.size()) return false;
    for (std::size_t i = 0; i < form.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(type[i])) != form[i]) return false;
    return type.size() == form.size() || type[form.size()] == ';' || type[form.size()] == ' ';
}

bool state_changing(const std::string& method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string security_csp() {
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
}

// A driver failure during a request: logged, its transaction rolled back and dropped, and
// answered 503 (unavailable, busy) or 500.
http::Response database_failure(WebApp& app, const http::Request& req, const store::DbError& e, std::unique_ptr<store::Tx>& tx) {
    spdlog::error(json{{"msg", "database error"}, {"request_id", req.request_id}, {"kind", static_cast<int>(e.kind())}}.dump());
    try {
        tx->rollback();
    } catch (...) {
    }
    tx.reset();
    const bool unavailable = e.kind() == store::DbError::Kind::unavailable || e.kind() == store::DbError::Kind::busy;
    return app.transport_error(unavailable ? 503 : 500, req);
}

// A transaction that could not begin (the database down or refusing, the pool's connection
// lost twice): answered 503, and said in the log at most once every 10 seconds with the number of
// such failures since the last line, so that an outage shows without flooding the log.
void note_begin_failure(const store::DbError& e) {
    static std::atomic<std::int64_t> last_logged_ms{0};
    static std::atomic<std::uint64_t> unlogged{0};
    unlogged.fetch_add(1, std::memory_order_relaxed);
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::int64_t last = last_logged_ms.load(std::memory_order_relaxed);
    if (last != 0 && now - last < 10000) return;
    if (!last_logged_ms.compare_exchange_strong(last, now)) return;
    spdlog::warn(json{{"msg", "database unavailable: a transaction could not begin; answered 503"},
                      {"error", e.what()},
                      {"failures", unlogged.exchange(0)}}
                     .dump());
}

std::string driver_metrics() {
    const auto& c = store::driver_counters();
    return fmt::format(
        "# HELP arrimage_db_begin_failures_total Transactions that could not begin (database unavailable or refusing).\n"
        "# TYPE arrimage_db_begin_failures_total counter\narrimage_db_begin_failures_total {}\n"
        "# HELP arrimage_db_reconnects_total Pooled connections opened again after the database server dropped them.\n"
        "# TYPE arrimage_db_reconnects_total counter\narrimage_db_reconnects_total {}\n",
        c.begin_failures.load(), c.reconnects.load());
}

}  // namespace

// ---- Ctx

std::string Ctx::t(std::string_view key, const std::vector<std::string>& args) const {
    return app.catalogue().t(lang, key, args);
}
store::IdentityRepo Ctx::identity() const {
    return store::IdentityRepo(tx, app.clock());
}
store::AuthRepo Ctx::auth() const {
    return store::AuthRepo(tx, app.clock());
}

std::optional<std::int64_t> Ctx::family_file() const {
    if (!family_account()) return std::nullopt;
    return domain::parse_id(req.params["id"]);
}

std::string Ctx::form(std::string_view name) const {
    for (const auto& [k, v] : fields)
        if (k == name) return v;
    return {};
}

std::vector<std::string> Ctx::form_all(std::string_view name) const {
    std::vector<std::string> out;
    for (const auto& [k, v] : fields)
        if (k == name) out.push_back(v);
    return out;
}

// ---- WebApp

WebApp::WebApp(Config config, store::Database& db, const Clock& clock, Random& random)
    : config_(std::move(config)),
      db_(db),
      clock_(clock),
      random_(random),
      catalogue_(load_catalogue()),
      search_cache_(static_cast<std::size_t>(std::max(0, config_.search_cache_entries)), config_.search_cache_ttl),
      search_index_(db),
      audit_writer_(std::make_unique<store::AuditWriter>(db, clock)) {
    views_ = std::make_unique<Views>(catalogue_);
    if (!config_.static_dir.empty()) static_.load(config_.static_dir);
    // The CSRF key lives in the database so every node of a cluster agrees on it.
    auto tx = db_.begin(TxMode::write);
    store::AuthRepo auth(*tx, clock_);
    if (auto s = auth.setting("csrf_secret")) {
        secret_ = *s;
    } else {
        secret_ = random_.token(32);
        auth.put_setting("csrf_secret", secret_);
    }
    tx->commit();
    register_pages();
}

WebApp::~WebApp() = default;

void WebApp::register_pages() {
    register_auth_pages(*this);
    register_account_pages(*this);
    register_admin_pages(*this);
    register_directory_pages(*this);
    register_hsds_pages(*this);
    register_hsds_import_pages(*this);
    register_people_pages(*this);
    register_consent_pages(*this);
    register_privacy_office_pages(*this);
    register_referral_pages(*this);
    register_intake_pages(*this);
    register_notification_pages(*this);
    register_plan_pages(*this);
    register_plan_print_pages(*this);
    register_family_pages(*this);
    register_report_pages(*this);
    register_agreement_pages(*this);
    register_governance_pages(*this);
    register_complaint_pages(*this);
    register_maturity_pages(*this);
    register_community_plan_pages(*this);
    register_network_map_pages(*this);
    register_training_pages(*this);
    register_outreach_pages(*this);
    register_tool_pages(*this);
    register_fhir_pages(*this);
    register_api_client_pages(*this);
}

const std::string& in_lang(const Ctx& ctx, const std::string& fr, const std::string& en) {
    return ctx.lang == Lang::fr && !fr.empty() ? fr : en;
}

http::Response download(std::string body, const std::string& content_type, const std::string& filename) {
    http::Response res;
    res.content_type = content_type;
    res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    res.body = std::move(body);
    return res;
}

const std::vector<http::UploadPath>& upload_paths() {
    // The HSDS import (pages_hsds_import.cpp: a region's whole CSV set) and an agreement's
    // documents (features/agreements/web/pages_agreements.cpp: one file of up to 10 MiB, and
    // the form's other fields and framing).
    static const std::vector<http::UploadPath> paths = {
        {"/directory/hsds/import", 64 * 1024 * 1024},
        {"/agreements/{id}/documents", domain::max_document_bytes + 256 * 1024},
        {"/network/tools/{id}/files", domain::max_document_bytes + 256 * 1024},
    };
    return paths;
}

void WebApp::add_layout_hook(LayoutHook hook) {
    layout_hooks_.push_back(std::move(hook));
}

void WebApp::route(const std::string& method, const std::string& pattern, RouteSpec spec) {
    router_.add(method, pattern, std::move(spec));
}

std::string WebApp::csrf_for_session(const std::string& session_id) const {
    return keyed_hash(secret_, "session:" + session_id).substr(0, 43);
}
std::string WebApp::csrf_for_anonymous(const std::string& cookie) const {
    return keyed_hash(secret_, "anonymous:" + cookie).substr(0, 43);
}

std::string WebApp::pseudonym(std::string_view purpose, std::string_view data) const {
    return keyed_hash(secret_, std::string(purpose) + ":" + std::string(data));
}

void WebApp::start_session(Ctx& ctx, std::int64_t user_id, bool mfa_pending) {
    if (ctx.session) ctx.auth().revoke_session(ctx.session->id);
    const std::string token = random_.token(32);
    const std::string id = hash_token(token);
    ctx.auth().create_session(id, user_id, clock_.now() + config_.session_absolute, mfa_pending);
    http::CookieOptions o;
    o.secure = config_.secure_cookies();
    ctx.cookies.push_back(http::set_cookie(config_.session_cookie(), token, o));
    ctx.session =
        store::SessionRow{id, user_id, clock_.now(), clock_.now(), clock_.now() + config_.session_absolute, mfa_pending};
    ctx.csrf = csrf_for_session(id);
}

void WebApp::end_session(Ctx& ctx) {
    if (ctx.session) ctx.auth().revoke_session(ctx.session->id);
    ctx.session.reset();
    ctx.user.reset();
    ctx.cookies.push_back(http::clear_cookie(config_.session_cookie(), config_.secure_cookies()));
}

std::optional<http::Response> WebApp::probe(const std::string& path) const {
    if (path == "/healthz") return http::Response::text(200, "ok\n");
    if (path == "/readyz")
        return db_.ping() ? http::Response::text(200, "ready\n") : http::Response::text(503, "database unavailable\n");
    return std::nullopt;
}

http::Response WebApp::handle_operations(http::Request& req) {
    if (req.method != "GET" && req.method != "HEAD") return http::Response::text(405, "method not allowed\n");
    if (req.path == "/metrics") {
        auto r = http::Response::text(200, metrics_.render() + driver_metrics());
        r.content_type = "text/plain; version=0.0.4; charset=utf-8";
        return r;
    }
    if (auto p = probe(req.path)) return std::move(*p);
    return http::Response::text(404, "not found\n");
}

http::Response WebApp::handle(http::Request& req) {
    return respond(req, false);
}

http::Response WebApp::serve(http::Request& req) {
    return respond(req, true);
}

void WebApp::hold_for_audit(http::Response& r, const http::Request& req, std::vector<store::AuditEvent> rows, bool may_defer) {
    if (rows.empty()) return;
    // What the 503 needs of the request (its id, language, cookies), without its body.
    auto failed = [this, id = req.request_id, path = req.path, headers = req.headers, remote = req.remote_addr]() {
        spdlog::error(json{{"msg", "audit commit failed: answered 503"}, {"request_id", id}}.dump());
        http::Request q;
        q.request_id = id;
        q.path = path;
        q.headers = headers;
        q.remote_addr = remote;
        auto e = transport_error(503, q);
        finish(e, q);
        return e;
    };
    if (!may_defer) {
        if (!audit_writer_->write(std::move(rows))) r = failed();
        return;
    }
    r.defer = [this, rows = std::move(rows), failed = std::move(failed)](http::Response::Resume resume) mutable {
        audit_writer_->submit(std::move(rows), [resume = std::move(resume), failed = std::move(failed)](bool durable) {
            if (durable)
                resume(std::nullopt);
            else
                resume(failed());
        });
    };
}

http::Response WebApp::respond(http::Request& req, bool may_defer) {
    const auto started = std::chrono::steady_clock::now();
    const auto db_before = store::thread_db_nanos;
    // A per-process random prefix and a counter: unique, and no system call per request.
    static const std::string prefix = random_.token(6);
    static std::atomic<std::uint64_t> counter{0};
    req.request_id = prefix + "-" + std::to_string(++counter);
    const std::string id = req.request_id;
    if (!config_.trusted_proxies.empty())
        req.remote_addr = http::client_address(req.remote_addr, req.header("x-forwarded-for"), config_.trusted_proxies);
    std::string route_name = "unmatched";
    std::int64_t user_id = 0;

    http::Response r;
    if (auto p = probe(req.path)) {
        route_name = req.path.substr(1);  // "healthz" or "readyz"
        r = std::move(*p);
    } else if (req.path.rfind("/static/", 0) == 0 && (req.method == "GET" || req.method == "HEAD")) {
        route_name = "static";
        if (auto s = static_.serve(req.path.substr(8), req))
            r = std::move(*s);
        else
            r = transport_error(404, req);
    } else {
        std::map<std::string, std::string> params;
        auto m = router_.match(req.method, req.path, params);
        if (!m.route) {
            r = transport_error(m.path_matched ? 405 : 404, req);
            if (m.path_matched) {
                std::string allow;
                for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
                r.set_header("Allow", allow);
            }
        } else {
            route_name = m.route->handler.name;
            req.params = std::move(params);
            const auto cookie_lang = req.cookie(lang_cookie);
            const Lang lang = cookie_lang && parse_lang(*cookie_lang) ? *parse_lang(*cookie_lang)
                                                                      : negotiate_lang(req.header("accept-language"));
            std::vector<store::AuditEvent> read_audit;
            try {
                r = run_route(req, m.route->handler, lang, user_id, read_audit);
            } catch (const std::exception& e) {
                // A defect, not user input: logged with the request id (not the message, which
                // may quote data), answered with the 500
                // page; the request's transaction was rolled back when it unwound.
                spdlog::error(
                    json{{"msg", "unhandled error"}, {"request_id", id}, {"route", route_name}, {"type", typeid(e).name()}}
                        .dump());
                r = transport_error(500, req);
                read_audit.clear();  // nothing of what was read is shown
            }
            hold_for_audit(r, req, std::move(read_audit), may_defer);
        }
    }
    finish(r, req);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double db_seconds = static_cast<double>(store::thread_db_nanos - db_before) / 1e9;
    record(req, route_name, r.status, seconds, db_seconds, user_id);
    return r;
}

void WebApp::record(const http::Request& req, const std::string& route_name, int status, double seconds, double db_seconds,
                    std::int64_t user_id) {
    metrics_.observe(route_name, status, seconds, db_seconds);
    // One line per request. Never names, emails, birth dates or other personal information:
    // only the route's name, never the raw path or query. Probes and assets log at debug
    // level so health checks do not flood the log.
    const bool probe = route_name == "healthz" || route_name == "readyz" || route_name == "static";
    const auto level = probe ? spdlog::level::debug : spdlog::level::info;
    if (!spdlog::should_log(level)) return;
    std::string method;
    for (char c : req.method)
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') method += c;
    spdlog::log(
        level,
        R"({{"msg":"request","request_id":"{}","method":"{}","route":"{}","status":{},"duration_ms":{:.3f},"db_ms":{:.3f}{}}})",
        req.request_id, method.substr(0, 16), route_name, status, seconds * 1000.0, db_seconds * 1000.0,
        user_id ? fmt::format(R"(,"user_id":{})", user_id) : std::string());
}

void WebApp::admit(Ctx& ctx) {
    ctx.access.reset();
    ctx.acting.reset();
    if (ctx.family_account()) {
        if (auto a = store::AccessMint::family(ctx.tx, clock_, ctx.principal, ctx.req.request_id, &ctx.read_audit))
            ctx.access.emplace(*a);
    } else if (ctx.signed_in()) {
        ctx.acting = domain::acting_grant(ctx.principal, ctx.session->acting_organisation_id, ctx.session->acting_role);
        if (ctx.acting) {
            if (auto a =
                    store::AccessMint::member(ctx.tx, clock_, ctx.principal, *ctx.acting, ctx.req.request_id, &ctx.read_audit))
                ctx.access.emplace(*a);
            else
                ctx.acting.reset();
        }
    }
    ctx.public_access.reset();
    ctx.public_access.emplace(store::AccessMint::anonymous(ctx.tx, clock_, ctx.req.request_id, &ctx.read_audit));
    if (!ctx.access) ctx.access.emplace(*ctx.public_access);
}

http::Response WebApp::run_route(http::Request& req, const RouteSpec& spec, Lang lang, std::int64_t& user_id,
                                 std::vector<store::AuditEvent>& read_audit) {
    std::unique_ptr<store::Tx> tx;
    try {
        tx = db_.begin(spec.mode);
    } catch (const store::DbError& e) {
        note_begin_failure(e);
        return transport_error(503, req);
    }
    Ctx ctx{*this, req, *tx, lang};
    bool touch = false;
    http::Response r;
    if (spec.access == Access::open || spec.access == Access::bearer)
        return run_machine_route(req, spec, std::move(tx), ctx, user_id, read_audit);
    try {
        // Session
        if (auto token = req.cookie(config_.session_cookie()); token && !token->empty()) {
            const std::string id = hash_token(*token);
            auto s = ctx.auth().find_session(id);
            if (s && clock_.now() - s->last_seen_at > config_.session_idle) s.reset();
            if (s) {
                ctx.session = s;
                ctx.user = ctx.identity().find_user(s->user_id);
                ctx.principal = ctx.identity().principal_of(s->user_id);
                ctx.csrf = csrf_for_session(s->id);
                // The browser's choice (the cookie, set from the account's preference at
                // sign-in and by the language switch), else the account's preference.
                if (!req.cookie(lang_cookie) && ctx.user) {
                    if (auto l = parse_lang(ctx.user->preferred_lang)) ctx.lang = *l;
                }
                touch = clock_.now() - s->last_seen_at > std::chrono::seconds(60);
            } else {
                ctx.cookies.push_back(http::clear_cookie(config_.session_cookie(), config_.secure_cookies()));
            }
        }
        std::string anon_cookie;
        if (!ctx.session) {
            if (auto c = req.cookie(config_.csrf_cookie()); c && c->size() >= 32 && c->size() <= 64) {
                anon_cookie = *c;
            } else {
                anon_cookie = random_.token(32);
                http::CookieOptions o;
                o.secure = config_.secure_cookies();
                ctx.cookies.push_back(http::set_cookie(config_.csrf_cookie(), anon_cookie, o));
            }
            ctx.csrf = csrf_for_anonymous(anon_cookie);
        }
        admit(ctx);
        if (auto f = req.cookie("arrimage_flash"); f && catalogue_.has(Lang::en, *f)) {
            ctx.flash = *f;
            ctx.cookies.push_back(http::clear_cookie("arrimage_flash", config_.secure_cookies()));
        }

        // Access
        const bool signed_in = ctx.signed_in();
        if (spec.access == Access::signed_in && !signed_in) {
            if (ctx.session && ctx.session->mfa_pending)
                r = see_other(ctx, "/login/mfa");
            else if (req.method == "GET")
                r = see_other(ctx, "/login?next=" + percent_encode(req.target));
            else
                r = error_page(ctx, Error{Errc::Unauthenticated, "error.unauthenticated", {}, {}});
        } else if (spec.access == Access::mfa_pending && !ctx.session) {
            r = see_other(ctx, "/login");
        } else if (state_changing(req.method)) {
            // Form body and CSRF token
            const std::string type = req.header("content-type");
            if (is_urlencoded(type) || req.body.empty()) {
                auto parsed = http::parse_urlencoded(req.body);
                if (!parsed)
                    ctx.form_ok = false;
                else
                    ctx.fields = std::move(*parsed);
            } else if (auto boundary = http::multipart_boundary(type)) {
                // File uploads: text parts become fields (UTF-8 like any form), files are kept aside.
                auto parts = http::parse_multipart(*boundary, req.body);
                if (!parts) ctx.form_ok = false;
                for (auto& p : parts ? *parts : std::vector<http::FormPart>{}) {
                    if (p.is_file) {
                        ctx.files.push_back(std::move(p));
                    } else if (!valid_utf8(p.data) || !valid_utf8(p.name)) {
                        ctx.form_ok = false;
                    } else {
                        ctx.fields.emplace_back(std::move(p.name), std::move(p.data));
                    }
                }
            } else {
                ctx.form_ok = false;
            }
            std::string sent = ctx.form("_csrf");
            if (sent.empty()) sent = req.header("x-csrf-token");
            if (!ctx.form_ok)
                r = error_status(ctx, 400);
            else if (sent.empty() || !constant_time_equal(sent, ctx.csrf))
                r = error_page(ctx, Error{Errc::Forbidden, "error.csrf", {}, {}});
            else
                r = spec.handler(ctx);
        } else {
            r = spec.handler(ctx);
        }

        if ((r.status < 400 || ctx.commit_anyway) && !ctx.rollback_anyway) {
            tx->commit();
            if (spec.mode == TxMode::write && changes_directory(spec.name)) search_cache_.invalidate();
        } else {
            tx->rollback();
        }
    } catch (const store::DbError& e) {
        return database_failure(*this, req, e, tx);
    }
    tx.reset();
    read_audit = std::move(ctx.read_audit);

    if (touch && ctx.session) {
        try {
            auto t2 = db_.begin(TxMode::write);
            store::AuthRepo(*t2, clock_).touch_session(ctx.session->id);
            t2->commit();
        } catch (const store::DbError&) {
            // The next request will try again.
        }
    }
    for (auto& c : ctx.cookies) r.headers.emplace_back("Set-Cookie", std::move(c));
    if (ctx.user) user_id = ctx.user->id;
    return r;
}

void WebApp::set_bearer_auth(BearerAuth auth) {
    bearer_auth_ = std::make_unique<BearerAuth>(std::move(auth));
}

// The bearer token of `Authorization: Bearer <token>` (scheme case-insensitive), or "".
static std::string bearer_token(const http::Request& req) {
    const std::string h = req.header("authorization");
    if (h.size() < 8) return {};
    for (std::size_t i = 0; i < 7; ++i)
        if (static_cast<char>(std::tolower(static_cast<unsigned char>(h[i]))) != "bearer "[i]) return {};
    std::string t = h.substr(7);
    while (!t.empty() && t.front() == ' ') t.erase(0, 1);
    while (!t.empty() && t.back() == ' ') t.pop_back();
    return t;
}

http::Response WebApp::run_machine_route(http::Request& req, const RouteSpec& spec, std::unique_ptr<store::Tx> tx, Ctx& ctx,
                                         std::int64_t& user_id, std::vector<store::AuditEvent>& read_audit) {
    // No cookie: the language is the client's Accept-Language.
    ctx.lang = negotiate_lang(req.header("accept-language"));
    http::Response r;
    bool touch = false;
    try {
        ctx.public_access.emplace(store::AccessMint::anonymous(ctx.tx, clock_, req.request_id, &ctx.read_audit));
        if (state_changing(req.method)) {
            if (is_urlencoded(req.header("content-type"))) {
                auto parsed = http::parse_urlencoded(req.body);
                if (!parsed)
                    ctx.form_ok = false;
                else
                    ctx.fields = std::move(*parsed);
            }
        }
        bool admitted = spec.access == Access::open;
        if (spec.access == Access::bearer && bearer_auth_) {
            const std::string token = bearer_token(req);
            std::optional<BearerCaller> caller;
            if (!token.empty()) caller = bearer_auth_->authenticate(ctx.tx, token);
            if (caller) {
                // The service account's membership, as held now: the same mint as a person's.
                ctx.principal = ctx.identity().principal_of(caller->user_id);
                for (const auto& g : ctx.principal.grants)
                    if (g.organisation_id == caller->organisation_id && g.role == caller->role) ctx.acting = g;
                if (ctx.acting) {
                    if (auto a = store::AccessMint::member(ctx.tx, clock_, ctx.principal, *ctx.acting, req.request_id,
                                                           &ctx.read_audit))
                        ctx.access.emplace(*a);
                }
                if (ctx.access) {
                    user_id = caller->user_id;
                    const auto last = parse_iso(caller->last_used_at);
                    touch = !last || clock_.now() - *last > std::chrono::seconds(60);
                    ctx.bearer = std::move(caller);
                    admitted = true;
                }
            }
        }
        if (!admitted) {
            ctx.access.emplace(*ctx.public_access);
            r = bearer_auth_ ? bearer_auth_->refuse(ctx, 401) : transport_error(401, req);
            // RFC 6750 section 3.1: a token was sent and is not one we accept.
            r.set_header("WWW-Authenticate", bearer_token(req).empty() ? "Bearer realm=\"arrimage\""
                                                                       : "Bearer realm=\"arrimage\", error=\"invalid_token\"");
        } else {
            if (!ctx.access) ctx.access.emplace(*ctx.public_access);
            r = spec.handler(ctx);
        }
        if ((r.status < 400 || ctx.commit_anyway) && !ctx.rollback_anyway)
            tx->commit();
        else
            tx->rollback();
    } catch (const store::DbError& e) {
        return database_failure(*this, req, e, tx);
    }
    tx.reset();
    read_audit = std::move(ctx.read_audit);
    if (touch && ctx.bearer && bearer_auth_ && bearer_auth_->touch) {
        try {
            auto t2 = db_.begin(TxMode::write);
            bearer_auth_->touch(*t2, ctx.bearer->client_id);
            t2->commit();
        } catch (const store::DbError&) {
            // The next call will try again.
        }
    }
    return r;
}

void WebApp::finish(http::Response& r, const http::Request& req) const {
    // Handlers never set these, so they are appended without looking for duplicates; except the
    // cache and content security policies, which a handler may set tighter (a download's sandbox).
    static const std::string csp = security_csp();
    bool has_cache = false, has_csp = false;
    for (const auto& [k, v] : r.headers) {
        if (k == "Cache-Control") has_cache = true;
        if (k == "Content-Security-Policy") has_csp = true;
    }
    r.headers.reserve(r.headers.size() + 10);
    r.headers.emplace_back("X-Request-Id", req.request_id);
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "same-origin");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    if (!has_csp) r.headers.emplace_back("Content-Security-Policy", csp);
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
    r.headers.emplace_back("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (config_.secure_cookies()) r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
    if (!has_cache) r.headers.emplace_back("Cache-Control", "no-store");
}

// ---- rendering

http::Response WebApp::page(Ctx& ctx, const std::string& title_key, const std::string& body_template, json model, int status) {
    model["csrf"] = ctx.csrf;
    const std::string body = views_->render(body_template, model, ctx.lang);
    const Lang other_lang = other(ctx.lang);
    json layout = {
        {"lang", std::string(code(ctx.lang))},
        {"title", ctx.t(title_key)},
        {"body", body},
        {"csrf", ctx.csrf},
        {"asset_version", static_.version()},
        {"other_lang_code", std::string(code(other_lang))},
        {"other_lang_name", catalogue_.t(other_lang, "lang.self")},
        {"lang_switch_href", "/lang/" + std::string(code(other_lang)) + "?next=" + percent_encode(ctx.req.target)},
        {"lang_switch_action", "/lang/" + std::string(code(other_lang))},
        {"lang_switch_next", ctx.req.method == "GET" ? ctx.req.target : std::string("/")},
    };
    if (!ctx.flash.empty()) layout["flash"] = ctx.t(ctx.flash);
    if (ctx.family_account()) {
        // A family account (features/family): its own files, its account and signing out only.
        layout["user"] = {{"display_name", ctx.user->display_name}};
        layout["family"] = true;
    } else if (ctx.signed_in()) {
        layout["user"] = {{"display_name", ctx.user->display_name}};
        if (domain::can_administer(ctx.principal)) layout["nav_admin"] = true;
        if (domain::can_administer(ctx.principal) || ctx.principal.has(domain::Role::provider_manager))
            layout["nav_directory"] = true;
        // The registry and the privacy office as the membership the user acts under sees them.
        domain::Principal acting{ctx.principal.user_id, {}};
        if (ctx.acting) acting.grants.push_back(*ctx.acting);
        if (may_see_children(acting)) layout["nav_children"] = true, layout["nav_referrals"] = true;
        if (ctx.acting && domain::may_register(ctx.acting->role)) layout["nav_intake"] = true;
        if (ctx.acting && ctx.acting->role == domain::Role::coordinator) layout["nav_caseload"] = true;
        if (may_keep_privacy_office(acting)) layout["nav_privacy"] = true;
        for (const auto& hook : layout_hooks_) hook(ctx, layout);
        if (ctx.acting && ctx.principal.grants.size() > 1) {
            const auto o = ctx.identity().find_organisation(ctx.acting->organisation_id);
            const std::string org = o ? (ctx.lang == Lang::fr ? o->name_fr : o->name_en) : std::string();
            layout["acting_as"] =
                ctx.t("nav.acting_as", {org + " — " + ctx.t("role." + std::string(domain::code(ctx.acting->role)))});
        }
    }
    http::Response r;
    r.status = status;
    r.body = views_->render("layout", layout, ctx.lang);
    return r;
}

http::Response WebApp::print_page(Ctx& ctx, const std::string& title_key, const std::string& body_template, json model) {
    model["csrf"] = ctx.csrf;
    json layout = {
        {"lang", std::string(code(ctx.lang))},
        {"title", ctx.t(title_key)},
        {"body", views_->render(body_template, model, ctx.lang)},
        {"asset_version", static_.version()},
    };
    http::Response r;
    r.status = 200;
    r.body = views_->render("layout_print", layout, ctx.lang);
    return r;
}

http::Response WebApp::refused(Ctx& ctx, const Error& e) {
    if (e.code == Errc::NotFound || e.code == Errc::Forbidden) ctx.commit_anyway = true;
    return error_page(ctx, e);
}

http::Response WebApp::refused_audited(Ctx& ctx, const Error& e, domain::Purpose purpose, std::optional<std::int64_t> person_id) {
    store::Guard guard(*ctx.access);
    auto refusal = guard.operation([&]() -> Result<void> {
        domain::AccessRequest q;
        q.action = ctx.req.method == "GET" ? domain::Action::read : domain::Action::update;
        q.purpose = purpose;
        const domain::Decision deny{domain::Effect::deny,
                                    ctx.principal.is_system_admin() ? domain::Reason::system_admin_no_access
                                                                    : domain::Reason::role_relationship_not_permitted,
                                    false, 0};
        store::AuditTarget target;
        if (person_id && ctx.tx.query_one("SELECT 1 FROM people WHERE id = ?", {*person_id})) target.person_id = person_id;
        guard.record(q, deny, target);
        return guard.refuse(e);
    });
    ctx.commit_anyway = true;
    return error_page(ctx, refusal.error());
}

http::Response WebApp::error_page(Ctx& ctx, const Error& e) {
    if (e.code == Errc::Unauthenticated && ctx.req.method == "GET") return see_other(ctx, "/login");
    const int status = http_status(e.code);
    json model = {{"status", status}, {"message", ctx.t(e.message_key, e.args)}};
    json fields = json::array();
    for (const auto& f : e.fields) fields.push_back({{"field", f.field}, {"message", ctx.t(f.message_key, f.args)}});
    if (!fields.empty()) {
        model["fields"] = fields;
        model["has_fields"] = true;
    }
    return page(ctx, "error.title." + std::to_string(status), "error", model, status);
}

http::Response WebApp::error_status(Ctx& ctx, int status) {
    std::string key = "error.http." + std::to_string(status);
    if (!catalogue_.has(ctx.lang, key)) key = "error.internal";
    return page(ctx,
                catalogue_.has(ctx.lang, "error.title." + std::to_string(status)) ? "error.title." + std::to_string(status)
                                                                                  : "error.title.500",
                "error", {{"status", status}, {"message", ctx.t(key)}}, status);
}

http::Response WebApp::see_other(Ctx& ctx, const std::string& location, const std::string& flash_key) {
    if (!flash_key.empty()) {
        http::CookieOptions o;
        o.secure = config_.secure_cookies();
        o.max_age = 60;
        ctx.cookies.push_back(http::set_cookie("arrimage_flash", flash_key, o));
    }
    return http::Response::redirect(is_local_redirect(location) ? location : "/");
}

// Errors raised before or outside a route (bad request line, size limits, unknown path):
// rendered without a session or database, in the visitor's language.
std::function<bool(std::string_view)> WebApp::upload_session_check() {
    return [this](std::string_view token) {
        try {
            auto tx = db_.begin(store::TxMode::read);
            auto s = store::AuthRepo(*tx, clock_).find_session(hash_token(std::string(token)));
            return s && !s->mfa_pending && clock_.now() - s->last_seen_at <= config_.session_idle;
        } catch (const std::exception& e) {
            spdlog::warn(json{{"msg", "upload session check failed"}, {"error", e.what()}}.dump());
            return false;
        }
    };
}

bool WebApp::in_api_path(const std::string& path) const {
    if (!bearer_auth_ || !bearer_auth_->error || bearer_auth_->api_path.empty()) return false;
    const auto& p = bearer_auth_->api_path;
    return path.rfind(p, 0) == 0 && (path.size() == p.size() || path[p.size()] == '/');
}

http::Response WebApp::transport_error(int status, const http::Request& req) {
    if (in_api_path(req.path)) {
        // The API's own format (an OperationOutcome), in the client's language: no cookie there.
        http::Response r = bearer_auth_->error(negotiate_lang(req.header("accept-language")), status);
        if (req.request_id.empty()) {
            http::Request copy = req;
            copy.request_id = random_.token(12);
            finish(r, copy);
            record(copy, "transport", status, 0.0, 0.0, 0);
        }
        return r;
    }
    const auto cookie_lang = req.cookie(lang_cookie);
    const Lang lang =
        cookie_lang && parse_lang(*cookie_lang) ? *parse_lang(*cookie_lang) : negotiate_lang(req.header("accept-language"));
    std::string key = "error.http." + std::to_string(status);
    if (!catalogue_.has(lang, key)) key = "error.internal";
    std::string title_key = "error.title." + std::to_string(status);
    if (!catalogue_.has(lang, title_key)) title_key = "error.title.500";
    const Lang other_lang = other(lang);
    const std::string body = views_->render("error", {{"status", status}, {"message", catalogue_.t(lang, key)}}, lang);
    json layout = {{"lang", std::string(code(lang))},
                   {"title", catalogue_.t(lang, title_key)},
                   {"body", body},
                   {"asset_version", static_.version()},
                   {"other_lang_code", std::string(code(other_lang))},
                   {"other_lang_name", catalogue_.t(other_lang, "lang.self")},
                   {"lang_switch_href", "/lang/" + std::string(code(other_lang)) + "?next=/"}};
    http::Response r;
    r.status = status;
    r.body = views_->render("layout", layout, lang);
    if (req.request_id.empty()) {
        // Refused by the server before routing (malformed request, size limits, read timeout,
        // bad target): counted and logged like any other request.
        http::Request copy = req;
        copy.request_id = random_.token(12);
        finish(r, copy);
        record(copy, "transport", status, 0.0, 0.0, 0);
    }
    return r;
}

}  // namespace arrimage::web
