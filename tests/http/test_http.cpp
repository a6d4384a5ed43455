// The whole web application in-process behind the real HTTP server, driven over TCP, on the
// backend under test (SQLite: label db, PostgreSQL: label pg).
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <functional>
#include <regex>
#include <sstream>
#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/text.hpp"
#include "db/test_support.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;

using testsupport::Client;
using testsupport::enc;
using testsupport::raw_response;
using testsupport::raw_status;
using testsupport::Reply;

class Web : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why, 6);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum()));
        start({});
    }
    void TearDown() override { stop(); }

    // `tweak` changes the configuration; `setup` may add routes before the server starts.
    void start(std::vector<domain::Role> mfa_roles, std::function<void(web::Config&)> tweak = {},
               std::function<void(web::WebApp&)> setup = {}) {
        stop();
        web::Config cfg;
        cfg.password_cost = PasswordHashCost::minimum();
        cfg.mfa_roles = std::move(mfa_roles);
        cfg.dev_mode = true;
        cfg.public_base_url = "http://127.0.0.1";
        cfg.limits.body_limit = 64 * 1024;
        cfg.limits.header_limit = 8 * 1024;
        cfg.limits.upload_paths = web::upload_paths();  // as `arrimage serve` sets them
        cfg.limits.upload_cookie = cfg.session_cookie();
        if (tweak) tweak(cfg);
        app_ = std::make_unique<web::WebApp>(cfg, *t_->db, clock_, random_);
        if (!cfg.limits.upload_cookie.empty()) cfg.limits.upload_session = app_->upload_session_check();
        if (setup) setup(*app_);
        server_ = std::make_unique<http::Server>(
            "127.0.0.1", 0, cfg.limits, [this](http::Request& r) { return app_->handle(r); },
            [this](int status, const http::Request& r) { return app_->transport_error(status, r); }, 2);
        server_->listen();
        port_ = server_->port();
        thread_ = std::thread([this] { server_->run(false); });
        ops_ = std::make_unique<http::Server>(
            "127.0.0.1", 0, cfg.limits, [this](http::Request& r) { return app_->handle_operations(r); },
            [](int status, const http::Request&) { return http::Response::text(status, "error\n"); }, 1);
        ops_->listen();
        ops_thread_ = std::thread([this] { ops_->run(false); });
    }
    void stop() {
        if (ops_) {
            ops_->stop();
            ops_thread_.join();
            ops_.reset();
        }
        if (server_) {
            server_->stop();
            thread_.join();
            server_.reset();
        }
        app_.reset();
    }

    Client client() { return Client(port_); }
    // The operations listener (/metrics).
    Client ops() { return Client(ops_->port()); }
    Reply login(Client& c, const std::string& email, const std::string& password = app::demo_password) {
        return c.submit("/login", "/login", "email=" + enc(email) + "&password=" + enc(password));
    }
    std::int64_t user_id(const std::string& email) {
        auto tx = t_->db->begin(store::TxMode::read);
        return store::IdentityRepo(*tx, clock_).find_user_by_email(email)->id;
    }
    std::int64_t count(const std::string& sql) {
        auto tx = t_->db->begin(store::TxMode::read);
        return tx->query_one(sql)->i64(0);
    }
    std::string last_email_body() {
        auto tx = t_->db->begin(store::TxMode::read);
        return tx->query_one("SELECT body_text FROM outbox ORDER BY id DESC LIMIT 1")->str(0);
    }

    ManualClock clock_{std::chrono::system_clock::now()};
    SodiumRandom random_;
    std::unique_ptr<testsupport::TestDb> t_;
    std::unique_ptr<web::WebApp> app_;
    std::unique_ptr<http::Server> server_, ops_;
    std::thread thread_, ops_thread_;
    unsigned short port_ = 0;
};

TEST_F(Web, OperationalEndpoints) {
    auto c = client();
    EXPECT_EQ(c.get("/healthz").status, 200);
    EXPECT_EQ(c.get("/readyz").body, "ready\n");
    c.get("/login");
    // /metrics only on the operations listener.
    EXPECT_EQ(c.get("/metrics").status, 404);
    auto m = ops().get("/metrics");
    EXPECT_EQ(m.status, 200);
    EXPECT_EQ(ops().get("/login").status, 404);
    EXPECT_EQ(ops().get("/readyz").body, "ready\n");
    EXPECT_NE(m.body.find("arrimage_http_requests_total{route=\"login\",status=\"200\"} 1"), std::string::npos);
    EXPECT_NE(m.body.find("arrimage_db_time_seconds_count"), std::string::npos);
}

TEST_F(Web, SecurityHeadersOnEveryResponse) {
    auto c = client();
    for (const char* path : {"/login", "/healthz", "/nope", "/static/css/arrimage.css"}) {
        SCOPED_TRACE(path);
        auto r = c.get(path);
        EXPECT_NE(r.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
        EXPECT_EQ(r.header("content-security-policy").find("unsafe-inline"), std::string::npos);
        EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
        EXPECT_EQ(r.header("referrer-policy"), "same-origin");
        EXPECT_FALSE(r.header("x-request-id").empty());
    }
}

TEST_F(Web, ErrorPagesInTheVisitorsLanguage) {
    auto c = client();
    c.accept_language = "fr-CA,fr;q=0.9";
    auto r = c.get("/nulle-part");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.body.find("<html lang=\"fr\">"), std::string::npos);
    EXPECT_NE(r.body.find("Page introuvable"), std::string::npos);
    c.accept_language = "en";
    r = c.get("/nowhere");
    EXPECT_NE(r.body.find("Page not found"), std::string::npos);
    r = c.send("DELETE", "/login", "", {});
    EXPECT_EQ(r.status, 405);
    EXPECT_NE(r.header("allow").find("POST"), std::string::npos);
}

TEST_F(Web, MalformedAndOversizedRequestsGetClear4xx) {
    EXPECT_EQ(raw_status(port_, "GARBAGE\r\n\r\n"), 400);
    EXPECT_EQ(raw_status(port_, "GET /a%ZZ HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    EXPECT_EQ(raw_status(port_, "GET /a%FF HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    EXPECT_EQ(raw_status(port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10000, 'a') + "\r\n\r\n"), 431);
    EXPECT_EQ(raw_status(port_, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"), 413);
    // The refusal is a page in the visitor's language (when the headers could be read),
    // counted in the metrics.
    const std::string big_header = "X-Big: " + std::string(10000, 'a') + "\r\n";
    auto raw = raw_response(port_, "GET / HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\n" + big_header + "\r\n");
    EXPECT_NE(raw.find("Request headers too large"), std::string::npos);
    raw = raw_response(port_, "POST /login HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\nContent-Length: 100000\r\n\r\n");
    EXPECT_NE(raw.find("Requête trop volumineuse"), std::string::npos) << raw.substr(0, 300);
    auto c = client();
    const auto metrics = ops().get("/metrics").body;
    EXPECT_NE(metrics.find("arrimage_http_requests_total{route=\"transport\",status=\"431\"} 2"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("arrimage_http_requests_total{route=\"transport\",status=\"413\"} 2"), std::string::npos);
    EXPECT_NE(metrics.find("arrimage_http_requests_total{route=\"transport\",status=\"400\"} 3"), std::string::npos);
    c.get("/login");
    // Invalid UTF-8 in a form body: 400, nothing changes.
    auto r = c.post("/login", "_csrf=x&email=%FF%FE&password=x");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(count("SELECT COUNT(*) FROM login_failures"), 0);
}

TEST_F(Web, SignInNeedsTheFormsCsrfToken) {
    auto c = client();
    c.get("/login");
    auto r = c.post("/login", "email=ca.admin%40demo.arrimage.invalid&password=demo-password-2026");
    EXPECT_EQ(r.status, 403);
    EXPECT_NE(r.body.find("expired"), std::string::npos);
    r = c.post("/login", "_csrf=forged&email=ca.admin%40demo.arrimage.invalid&password=demo-password-2026");
    EXPECT_EQ(r.status, 403);
    EXPECT_TRUE(c.cookie("arrimage_session").empty());
}

TEST_F(Web, SignInRotatesTheSessionAndSignOutEndsIt) {
    auto c = client();
    c.set_cookie("arrimage_session", "planted-by-attacker");
    auto r = login(c, "ca.admin@demo.arrimage.invalid");
    EXPECT_EQ(r.status, 303);
    const auto token = c.cookie("arrimage_session");
    EXPECT_FALSE(token.empty());
    EXPECT_NE(token, "planted-by-attacker");
    EXPECT_NE(r.header("set-cookie").find("HttpOnly"), std::string::npos);
    EXPECT_NE(r.header("set-cookie").find("SameSite=Lax"), std::string::npos);
    auto home = c.get("/");
    EXPECT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("Claude Admin-Démo"), std::string::npos);
    EXPECT_NE(home.body.find("lang=\"fr\""), std::string::npos);  // the user's preferred language
    r = c.submit("/", "/logout", "");
    EXPECT_EQ(r.status, 303);
    c.set_cookie("arrimage_session", token);  // replaying the old cookie
    EXPECT_EQ(c.get("/admin").status, 303);
}

TEST_F(Web, WrongPasswordsAreThrottledPerAccount) {
    auto c = client();
    for (int i = 0; i < 5; ++i) {
        auto r = login(c, "coord1@demo.arrimage.invalid", "wrong password!");
        EXPECT_EQ(r.status, 401);
        EXPECT_NE(r.body.find("not correct"), std::string::npos);
        EXPECT_NE(r.body.find("value=\"coord1@demo.arrimage.invalid\""), std::string::npos);
    }
    auto r = login(c, "coord1@demo.arrimage.invalid");
    EXPECT_EQ(r.status, 429);
    EXPECT_NE(r.body.find("Too many failed sign-in attempts for this account"), std::string::npos);
    EXPECT_TRUE(c.cookie("arrimage_session").empty());
    clock_.advance(std::chrono::minutes(16));
    EXPECT_EQ(login(c, "coord1@demo.arrimage.invalid").status, 303);
}

TEST_F(Web, UnknownAccountsAndInactiveUsersCannotSignIn) {
    auto c = client();
    EXPECT_EQ(login(c, "nobody@example.org").status, 401);
    auto admin = client();
    login(admin, "sysadmin@demo.arrimage.invalid");
    const auto id = user_id("coord2@demo.arrimage.invalid");
    EXPECT_EQ(admin.submit("/admin/users/" + std::to_string(id), "/admin/users/" + std::to_string(id) + "/deactivate", "").status,
              303);
    EXPECT_EQ(login(c, "coord2@demo.arrimage.invalid").status, 401);
}

TEST_F(Web, IdleSessionsExpire) {
    auto c = client();
    login(c, "ca.admin@demo.arrimage.invalid");
    EXPECT_EQ(c.get("/admin").status, 200);
    clock_.advance(std::chrono::minutes(31));
    auto r = c.get("/admin");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
}

TEST_F(Web, OrganisationFormValidatesAndChangesNothingOnError) {
    auto c = client();
    c.accept_language = "fr";
    login(c, "ca.admin@demo.arrimage.invalid");
    const auto before = count("SELECT COUNT(*) FROM organisations");
    auto r = c.submit("/admin/organisations/new", "/admin/organisations/new",
                      "sda_id=1&name_fr=&name_en=X&sector=banking&phone=12&postal_code=x&csp_roles=overlord");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Il y a un problème"), std::string::npos);
    EXPECT_NE(r.body.find("Entrez une valeur dans ce champ."), std::string::npos);
    EXPECT_NE(r.body.find("Entrez un numéro de téléphone"), std::string::npos);
    EXPECT_NE(r.body.find("href=\"#field-name_fr\""), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations"), before);
    r = c.submit("/admin/organisations/new", "/admin/organisations/new",
                 "sda_id=1&name_fr=" + enc("Clinique Éxemple") +
                     "&name_en=Example+Clinic&sector=health&csp_roles=csp_participant"
                     "&phone=613-555-0199&fls_designated=1");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations"), before + 1);
    auto list = c.get("/admin/organisations");
    EXPECT_NE(list.body.find("Clinique Éxemple"), std::string::npos);
}

TEST_F(Web, AdministratorsOnlySeeTheirServiceDeliveryArea) {
    // A second SDA with its own coordinating agency and administrator.
    std::int64_t other_user = 0, other_admin = 0;
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto sda = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = sda;
        o.name_fr = "Agence Ouest";
        o.name_en = "West Agency";
        o.sector = domain::Sector::social_services;
        o.csp_roles = {domain::CspRole::coordinating_agency};
        const auto org = *repo.create_organisation(o, 0);
        other_admin = *repo.create_user({"west.admin@example.org", "West Admin", Lang::en}, 0);
        other_user = *repo.create_user({"west.staff@example.org", "Hidden Westerner", Lang::en}, 0);
        (void)repo.add_membership(other_admin, {org, domain::Role::ca_admin}, 0);
        (void)repo.add_membership(other_user, {org, domain::Role::coordinator}, 0);
        store::AuthRepo(*tx, clock_)
            .set_password_hash(other_admin, hash_password("west admin password", PasswordHashCost::minimum()));
        tx->commit();
    }
    auto east = client();
    login(east, "ca.admin@demo.arrimage.invalid");
    auto list = east.get("/admin/users");
    EXPECT_EQ(list.body.find("Hidden Westerner"), std::string::npos);
    EXPECT_NE(list.body.find("Alex Exemple"), std::string::npos);
    EXPECT_EQ(east.get("/admin/users/" + std::to_string(other_user)).status, 404);
    EXPECT_EQ(east.get("/admin/users?q=west").body.find("west.staff"), std::string::npos);
    auto orgs = east.get("/admin/organisations");
    EXPECT_EQ(orgs.body.find("West Agency"), std::string::npos);
    // Posting straight to another SDA's records changes nothing.
    auto r = east.submit("/admin/users", "/admin/users/" + std::to_string(other_user) + "/deactivate", "");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(count("SELECT active FROM users WHERE id = " + std::to_string(other_user)), 1);

    // The names of their own area, and only those, are theirs to edit; the code stays.
    const auto east_sda = count("SELECT id FROM service_delivery_areas WHERE code = 'demo-est'");
    const auto west_sda = count("SELECT id FROM service_delivery_areas WHERE code = 'west'");
    const std::string east_edit = "/admin/sdas/" + std::to_string(east_sda) + "/edit";
    auto form = east.get(east_edit);
    EXPECT_EQ(form.status, 200);
    EXPECT_FALSE(form.has("name=\"code\""));
    EXPECT_TRUE(east.get("/admin/sdas").has("href=\"" + east_edit + "\""));
    r = east.submit(east_edit, east_edit, "name_fr=");
    EXPECT_EQ(r.status, 422);
    r = east.submit(east_edit, east_edit, "code=taken-over&name_fr=R%C3%A9gion+Est+renomm%C3%A9e&name_en=East+Region+renamed");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM service_delivery_areas WHERE code = 'demo-est' AND name_en = 'East Region renamed'"),
              1);
    EXPECT_EQ(east.get("/admin/sdas/" + std::to_string(west_sda) + "/edit").status, 403);
    r = east.submit(east_edit, "/admin/sdas/" + std::to_string(west_sda) + "/edit", "name_fr=Pris&name_en=Taken");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(count("SELECT COUNT(*) FROM service_delivery_areas WHERE name_en = 'West'"), 1);

    auto west = client();
    EXPECT_EQ(login(west, "west.admin@example.org", "west admin password").status, 303);
    EXPECT_EQ(west.get("/admin/users/" + std::to_string(user_id("coord1@demo.arrimage.invalid"))).status, 404);
    EXPECT_NE(west.get("/admin/users").body.find("Hidden Westerner"), std::string::npos);
}

TEST_F(Web, StaffWithoutAdministrativeRolesAreRefused) {
    auto c = client();
    login(c, "coord1@demo.arrimage.invalid");
    for (const char* path : {"/admin", "/admin/users", "/admin/organisations", "/admin/sdas", "/admin/outbox"}) {
        SCOPED_TRACE(path);
        EXPECT_EQ(c.get(path).status, 403);
    }
    EXPECT_EQ(c.submit("/", "/admin/sdas/new", "code=x&name_fr=x&name_en=x").status, 403);
    EXPECT_EQ(count("SELECT COUNT(*) FROM service_delivery_areas"), 1);
    auto ca = client();
    login(ca, "ca.admin@demo.arrimage.invalid");
    EXPECT_EQ(ca.get("/admin/outbox").status, 403);  // system administrators only
    EXPECT_EQ(ca.submit("/admin/sdas", "/admin/sdas/new", "code=x&name_fr=x&name_en=x").status, 403);
}

TEST_F(Web, InvitationsAndDuplicateEmails) {
    auto c = client();
    login(c, "ca.admin@demo.arrimage.invalid");
    auto r = c.submit(
        "/admin/users/new", "/admin/users/new",
        "display_name=Nouvelle+Personne&email=nouvelle%40example.org&preferred_lang=fr&organisation_id=2&role=coordinator");
    ASSERT_EQ(r.status, 303);
    const std::string body = last_email_body();
    EXPECT_NE(body.find("Bonjour Nouvelle Personne"), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(body, m, std::regex(R"((/invitation/[A-Za-z0-9_-]+))")));
    const std::string link = m[1].str();

    // The same email again: a field error, no second user.
    r = c.submit("/admin/users/new", "/admin/users/new",
                 "display_name=Dup&email=NOUVELLE%40example.org&preferred_lang=fr&organisation_id=2&role=coordinator");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Un autre utilisateur a déjà cette adresse courriel."), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'nouvelle@example.org'"), 1);

    // A CA administrator cannot make anyone a system administrator.
    r = c.submit("/admin/users/new", "/admin/users/new",
                 "display_name=Sneaky&email=sneaky%40example.org&preferred_lang=en&organisation_id=1&role=system_admin");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'sneaky@example.org'"), 0);

    auto invitee = client();
    EXPECT_EQ(invitee.get(link).status, 200);
    r = invitee.submit(link, link, "password=short&password_confirm=short");
    EXPECT_EQ(r.status, 422);
    r = invitee.submit(link, link,
                       "password=" + enc("une phrase assez longue") + "&password_confirm=" + enc("une phrase assez longue"));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(invitee.get(link).status, 404);  // single use
    EXPECT_EQ(login(invitee, "nouvelle@example.org", "une phrase assez longue").status, 303);
}

TEST_F(Web, PasswordResetIsSingleUseAndExpires) {
    auto c = client();
    auto r = c.submit("/password/forgot", "/password/forgot", "email=coord3%40demo.arrimage.invalid");
    EXPECT_EQ(r.status, 303);
    // An unknown address gets the same answer and no email.
    const auto emails = count("SELECT COUNT(*) FROM outbox");
    EXPECT_EQ(c.submit("/password/forgot", "/password/forgot", "email=nobody%40example.org").status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), emails);
    std::smatch m;
    const std::string body = last_email_body();
    ASSERT_TRUE(std::regex_search(body, m, std::regex(R"((/password/reset/[A-Za-z0-9_-]+))")));
    const std::string link = m[1].str();
    r = c.submit(link, link, "password=" + enc("a brand new passphrase") + "&password_confirm=" + enc("a brand new passphrase"));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(login(c, "coord3@demo.arrimage.invalid", "a brand new passphrase").status, 303);
    EXPECT_EQ(c.get(link).status, 404);

    // Expired link.
    c.submit("/password/forgot", "/password/forgot", "email=coord4%40demo.arrimage.invalid");
    ASSERT_TRUE(std::regex_search(body, m, std::regex(R"((/password/reset/[A-Za-z0-9_-]+))")));
    const std::string body2 = last_email_body();
    ASSERT_TRUE(std::regex_search(body2, m, std::regex(R"((/password/reset/[A-Za-z0-9_-]+))")));
    clock_.advance(std::chrono::hours(2));
    EXPECT_EQ(c.get(m[1].str()).status, 404);
}

TEST_F(Web, SecondFactorRequiredForConfiguredRoles) {
    start({domain::Role::ca_admin});
    auto c = client();
    auto r = login(c, "ca.admin@demo.arrimage.invalid");
    EXPECT_EQ(r.header("location"), "/account/mfa");
    EXPECT_EQ(c.get("/admin").status, 303);  // nothing else until the second factor is set up
    auto setup = c.get("/account/mfa");
    EXPECT_EQ(setup.status, 200);
    std::string secret;
    {
        auto tx = t_->db->begin(store::TxMode::read);
        secret = *store::AuthRepo(*tx, clock_).credentials_by_email("ca.admin@demo.arrimage.invalid")->totp_secret;
    }
    r = c.post("/account/mfa", "_csrf=" + Client::csrf(setup.body) + "&code=000000");
    EXPECT_EQ(r.status, 422);
    const std::string code = totp_code(secret, clock_.now());
    r = c.post("/account/mfa", "_csrf=" + Client::csrf(setup.body) + "&code=" + code);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(c.get("/admin").status, 200);

    // Next sign-in asks for the code; the same code cannot be replayed.
    auto c2 = client();
    r = login(c2, "ca.admin@demo.arrimage.invalid");
    EXPECT_EQ(r.header("location").rfind("/login/mfa", 0), 0u);
    EXPECT_EQ(c2.get("/admin").status, 303);
    auto page = c2.get("/login/mfa");
    r = c2.post("/login/mfa", "_csrf=" + Client::csrf(page.body) + "&code=" + code);
    EXPECT_EQ(r.status, 401);
    clock_.advance(std::chrono::seconds(30));
    page = c2.get("/login/mfa");
    r = c2.post("/login/mfa", "_csrf=" + Client::csrf(page.body) + "&code=" + totp_code(secret, clock_.now()));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(c2.get("/admin").status, 200);
    // Required: it cannot be turned off.
    EXPECT_EQ(c2.submit("/account", "/account/mfa/disable", "").status, 403);
}

TEST_F(Web, LanguageSwitchIsRememberedAndRedirectsOnlyLocally) {
    auto c = client();
    login(c, "sysadmin@demo.arrimage.invalid");
    auto page = c.get("/admin");
    EXPECT_TRUE(page.has("lang=\"en\""));
    // Signed in, the header's switch is a form carrying the CSRF token.
    EXPECT_TRUE(page.has("action=\"/lang/fr\""));
    // A plain GET (a link from anywhere) changes this browser's language, not the account's.
    auto r = c.get("/lang/fr?next=" + enc("/admin/users"));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'sysadmin@demo.arrimage.invalid' AND preferred_lang = 'fr'"), 0);
    EXPECT_TRUE(c.get("/admin/users").has("lang=\"fr\""));
    c.get("/lang/en");
    // Without the token: refused, nothing changed.
    EXPECT_EQ(c.post("/lang/fr", "next=%2Fadmin").status, 403);
    EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'sysadmin@demo.arrimage.invalid' AND preferred_lang = 'fr'"), 0);
    r = c.submit("/admin", "/lang/fr", "next=" + enc("/admin/users"));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/admin/users");
    EXPECT_TRUE(c.get("/admin/users").has("Utilisateurs"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM users WHERE email = 'sysadmin@demo.arrimage.invalid' AND preferred_lang = 'fr'"), 1);
    // The choice follows the account to the next browser it signs in from.
    auto other_device = client();
    login(other_device, "sysadmin@demo.arrimage.invalid");
    EXPECT_TRUE(other_device.get("/admin").has("lang=\"fr\""));
    EXPECT_EQ(c.submit("/admin", "/lang/en", "next=" + enc("//evil.example/")).header("location"), "/");
    EXPECT_EQ(c.get("/lang/fr?next=" + enc("//evil.example/")).header("location"), "/");
    EXPECT_EQ(c.get("/lang/de").status, 404);
    // A visitor's choice is the cookie.
    auto visitor = client();
    EXPECT_EQ(visitor.get("/lang/fr?next=%2Flogin").status, 303);
    EXPECT_TRUE(visitor.get("/login").has("lang=\"fr\""));
}

TEST_F(Web, WrongPasswordsAreThrottledPerAddress) {
    auto c = client();
    const char* accounts[] = {"coord1@demo.arrimage.invalid", "coord2@demo.arrimage.invalid", "coord3@demo.arrimage.invalid",
                              "coord4@demo.arrimage.invalid", "manager1@demo.arrimage.invalid"};
    // 20 failures spread over five accounts (four each: no account reaches its own limit).
    // X-Forwarded-For is not believed from a peer that is not a trusted proxy.
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(c.submit("/login", "/login", "email=" + enc(accounts[i % 5]) + "&password=wrong+password%21").status, 401);
    auto r = c.post("/login",
                    "_csrf=" + Client::csrf(c.get("/login").body) +
                        "&email=manager2%40demo.arrimage.invalid&password=" + enc(app::demo_password),
                    {{"X-Forwarded-For", "198.51.100.9"}});
    EXPECT_EQ(r.status, 429);
    EXPECT_TRUE(r.has("Too many failed sign-in attempts from your network"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM sessions"), 0);
    clock_.advance(std::chrono::minutes(16));
    EXPECT_EQ(login(c, "manager2@demo.arrimage.invalid").status, 303);
}

TEST_F(Web, BehindATrustedProxyEachClientIsThrottledOnItsOwn) {
    start({}, [](web::Config& cfg) { cfg.trusted_proxies = {"127.0.0.1"}; });
    auto c = client();
    const char* accounts[] = {"coord1@demo.arrimage.invalid", "coord2@demo.arrimage.invalid", "coord3@demo.arrimage.invalid",
                              "coord4@demo.arrimage.invalid", "manager1@demo.arrimage.invalid"};
    auto attempt = [&](const std::string& email, const std::string& password, const std::string& forwarded) {
        return c.post("/login",
                      "_csrf=" + Client::csrf(c.get("/login").body) + "&email=" + enc(email) + "&password=" + enc(password),
                      {{"X-Forwarded-For", forwarded}});
    };
    for (int i = 0; i < 20; ++i) EXPECT_EQ(attempt(accounts[i % 5], "wrong password!", "203.0.113.7, 127.0.0.1").status, 401);
    EXPECT_EQ(attempt("manager2@demo.arrimage.invalid", app::demo_password, "203.0.113.7").status, 429);
    // Another client behind the same proxy is not blocked.
    EXPECT_EQ(attempt("manager2@demo.arrimage.invalid", app::demo_password, "203.0.113.8").status, 303);
    EXPECT_EQ(count("SELECT COUNT(*) FROM login_failures WHERE scope = 'address' AND key = '203.0.113.7'"), 20);
}

TEST_F(Web, KeepAliveServesSeveralRequestsAndSlowRequestsAreCut) {
    start({}, [](web::Config& cfg) { cfg.limits.read_timeout = std::chrono::seconds(1); });
    // Two requests on one connection, the second asking to close it.
    const auto both = raw_response(
        port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", true);
    EXPECT_EQ(both.rfind("HTTP/1.1 200", 0), 0u) << both;
    EXPECT_NE(both.find("\r\n\r\nok\nHTTP/1.1 200"), std::string::npos) << both;
    EXPECT_NE(both.find("ready\n"), std::string::npos);
    // The same on a kept-alive connection: idle between requests is allowed for longer, but a
    // request once started must arrive within the read timeout.
    auto started = std::chrono::steady_clock::now();
    const auto second_stalls =
        raw_response(port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /login HTTP/1.1\r\nHost: x\r\n", true);
    EXPECT_EQ(second_stalls.rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_EQ(second_stalls.find("HTTP/1.1", 5), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));  // idle timeout: 60 s
    // Headers that never finish: once the read timeout passes the connection is closed (the
    // socket is already gone, so there is no answer), and the 408 is counted — for the stalled
    // second request above and for this one.
    const auto before = std::chrono::steady_clock::now();
    const auto slow = raw_response(port_, "GET /login HTTP/1.1\r\nHost: x\r\nAccept-Language: fr\r\n", true);
    EXPECT_EQ(slow, "");
    EXPECT_GE(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(900));
    // Counted when the server's handler runs, which may be just after the client sees the close.
    const std::string counted = "arrimage_http_requests_total{route=\"transport\",status=\"408\"} 2";
    std::string metrics;
    for (int i = 0; i < 50 && metrics.find(counted) == std::string::npos; ++i) {
        if (i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        metrics = ops().get("/metrics").body;
    }
    EXPECT_NE(metrics.find(counted), std::string::npos) << metrics;
}

// Requests sent back to back in one write are parsed from what the server has already read:
// bodies included, limits applied, answers in order.
TEST_F(Web, PipelinedRequestsAreParsedWithTheirBodiesAndLimits) {
    const auto two = raw_response(port_,
                                  "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                  "Content-Length: 11\r\n\r\nemail=a%40b"
                                  "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                                  true);
    EXPECT_EQ(two.rfind("HTTP/1.1 403", 0), 0u) << two.substr(0, 200);  // no CSRF token: refused, body read
    EXPECT_NE(two.find("HTTP/1.1 200 OK"), std::string::npos) << two;
    EXPECT_EQ(two.substr(two.size() - 3), "ok\n");
    // A declared body over the limit on an ordinary path: 413 after the first answer, then closed.
    const auto refused = raw_response(
        port_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", true);
    EXPECT_EQ(refused.rfind("HTTP/1.1 200", 0), 0u);
    EXPECT_NE(refused.find("HTTP/1.1 413"), std::string::npos) << refused;
    // HTTP/1.0: answered in that version, and closed (no keep-alive asked for).
    const auto reply = raw_response(port_, "GET /healthz HTTP/1.0\r\n\r\n", true);
    EXPECT_EQ(reply.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << reply;
    EXPECT_NE(reply.find("Content-Length: 3\r\n\r\nok\n"), std::string::npos) << reply;
}

// An upload path's larger limit is its own (an agreement's document: 10 MiB and the form around
// it), and only for a request with a session cookie: signed out, an upload path reads no more
// than any other before the handler refuses it.
TEST_F(Web, UploadLimitsArePerPathAndNeedALiveSession) {
    const std::string documents =
        "POST /agreements/1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; "
        "boundary=b\r\n";
    auto c = client();
    ASSERT_EQ(login(c, "ca.admin@demo.arrimage.invalid").status, 303);
    const std::string session = c.cookie("arrimage_session");
    ASSERT_FALSE(session.empty());
    const std::string cookie = "Cookie: arrimage_session=" + session + "\r\n";
    auto length = [](std::size_t n) { return "Content-Length: " + std::to_string(n) + "\r\n\r\n"; };
    // Over the document's limit, with or without a session: refused on its headers.
    EXPECT_EQ(raw_status(port_, documents + cookie + length(12 * 1024 * 1024)), 413);
    // Over the ordinary limit (64 KiB here) without a session cookie, with an empty one or with
    // one that is no session: refused on its headers.
    EXPECT_EQ(raw_status(port_, documents + length(200 * 1024)), 413);
    EXPECT_EQ(raw_status(port_, documents + "Cookie: arrimage_session=\r\n" + length(200 * 1024)), 413)
        << "an empty session cookie is none";
    EXPECT_EQ(raw_status(port_, documents + "Cookie: arrimage_session=abc\r\n" + length(200 * 1024)), 413)
        << "a made-up session is none";
    // With a live session, the body is read and the handler answers.
    const std::string body(200 * 1024, 'x');
    const int status = raw_status(port_, documents + cookie + length(body.size()) + body);
    EXPECT_NE(status, 413);
    EXPECT_GT(status, 0);
    // The HSDS import keeps its own, larger limit.
    EXPECT_NE(raw_status(port_, "POST /directory/hsds/import HTTP/1.1\r\nHost: x\r\n" + cookie + length(body.size()) + body),
              413);
    // Signed out, the session is no longer live (the headers alone: the server answers and
    // closes before any body, which a client still writing would see as a broken pipe).
    ASSERT_EQ(c.submit("/", "/logout", "").status, 303);
    EXPECT_EQ(raw_status(port_, documents + cookie + length(body.size())), 413);
}

// The request log: one JSON line per request with its id, route, status and timings, and the
// user's id; never a name, an email, a path with identifiers or a query string.
TEST_F(Web, RequestLogLinesCarryNoPersonalInformation) {
    std::ostringstream captured;
    auto previous = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(captured));
    logger->set_pattern("%v");
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::info);
    struct Restore {
        std::shared_ptr<spdlog::logger> logger;
        ~Restore() { spdlog::set_default_logger(logger); }
    } restore{previous};

    auto c = client();
    login(c, "coord1@demo.arrimage.invalid", "wrong password!");
    login(c, "coord1@demo.arrimage.invalid");
    c.get("/children?q=" + enc("Zoé"));
    c.get("/services?q=" + enc("répit"));
    raw_status(port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(10000, 'a') + "\r\n\r\n");
    logger->flush();
    const std::string log = captured.str();
    EXPECT_NE(log.find(R"("msg":"request")"), std::string::npos) << log;
    EXPECT_NE(log.find(R"("route":"login/submit","status":401)"), std::string::npos) << log;
    EXPECT_NE(log.find(R"("route":"children/list","status":200)"), std::string::npos) << log;
    EXPECT_NE(log.find(R"("route":"transport","status":431)"), std::string::npos) << log;
    EXPECT_NE(log.find(R"("user_id":)" + std::to_string(user_id("coord1@demo.arrimage.invalid"))), std::string::npos);
    for (const char* secret :
         {"coord1@", "demo.arrimage.invalid", "Zoé", "Zo%C3%A9", "répit", "r%C3%A9pit", "?q=", "wrong password", "/children"}) {
        SCOPED_TRACE(secret);
        EXPECT_EQ(log.find(secret), std::string::npos);
    }
}

TEST_F(Web, OverHttpsTheSessionCookieIsHostPrefixedAndSecure) {
    start({}, [](web::Config& cfg) { cfg.public_base_url = "https://arrimage.example"; });
    auto c = client();
    auto r = login(c, "ca.admin@demo.arrimage.invalid");
    EXPECT_EQ(r.status, 303);
    const std::string set_cookie = r.header("set-cookie");
    EXPECT_NE(set_cookie.find("__Host-arrimage_session="), std::string::npos) << set_cookie;
    EXPECT_EQ(set_cookie.find("\narrimage_session="), std::string::npos);
    const auto at = set_cookie.find("__Host-arrimage_session=");
    const std::string cookie = set_cookie.substr(at, set_cookie.find('\n', at) - at);
    EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/"), std::string::npos);
    EXPECT_EQ(cookie.find("Domain="), std::string::npos);
    EXPECT_EQ(c.get("/admin").status, 200);
    EXPECT_EQ(c.get("/admin").header("strict-transport-security"), "max-age=31536000");
}

TEST_F(Web, SessionsEndAtTheAbsoluteTimeoutEvenWhenActive) {
    auto c = client();
    login(c, "ca.admin@demo.arrimage.invalid");
    for (int i = 0; i < 35; ++i) {  // active every 20 minutes for 11 h 40
        clock_.advance(std::chrono::minutes(20));
        ASSERT_EQ(c.get("/admin").status, 200) << "after " << (i + 1) * 20 << " minutes";
    }
    clock_.advance(std::chrono::minutes(21));  // 12 h 01 after sign-in, last request 21 minutes ago
    auto r = c.get("/admin");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
}

TEST_F(Web, ForbiddenAndServerErrorPagesInBothLanguages) {
    start({}, {}, [](web::WebApp& app) {
        // A defect in a handler: it writes, then throws. The visitor gets the 500 page in
        // their language and nothing it wrote survives.
        app.route("GET", "/test/defect",
                  {"test/defect", web::Access::public_page, store::TxMode::write, [](web::Ctx& ctx) -> http::Response {
                       ctx.tx.exec("UPDATE organisations SET name_en = 'Changed by a defect'");
                       throw std::runtime_error("defect");
                   }});
    });
    auto c = client();
    login(c, "coord1@demo.arrimage.invalid");  // English, no administrative role
    auto r = c.get("/admin");
    EXPECT_EQ(r.status, 403);
    EXPECT_TRUE(r.has("Access denied"));
    EXPECT_TRUE(r.has("You do not have permission to do this."));
    c.submit("/", "/lang/fr", "next=%2F");
    r = c.get("/admin");
    EXPECT_EQ(r.status, 403);
    EXPECT_TRUE(r.has("Accès refusé"));
    EXPECT_TRUE(r.has("lang=\"fr\""));

    auto visitor = client();
    visitor.accept_language = "fr-CA";
    r = visitor.get("/test/defect");
    EXPECT_EQ(r.status, 500);
    EXPECT_TRUE(r.has("Erreur du serveur"));
    visitor.accept_language = "en";
    r = visitor.get("/test/defect");
    EXPECT_EQ(r.status, 500);
    EXPECT_TRUE(r.has("Server error"));
    EXPECT_TRUE(r.has("An unexpected error happened."));
    EXPECT_FALSE(r.has("defect"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM organisations WHERE name_en = 'Changed by a defect'"), 0);
}

TEST_F(Web, SdaAdministrationBySystemAdministrator) {
    auto c = client();
    login(c, "sysadmin@demo.arrimage.invalid");
    auto r = c.submit("/admin/sdas/new", "/admin/sdas/new", "code=demo-est&name_fr=X&name_en=Y");
    EXPECT_EQ(r.status, 422);
    EXPECT_NE(r.body.find("Another service delivery area already uses this code."), std::string::npos);
    r = c.submit("/admin/sdas/new", "/admin/sdas/new", "code=nord&name_fr=Nord&name_en=North");
    EXPECT_EQ(r.status, 303);
    EXPECT_NE(c.get("/admin/sdas").body.find("North"), std::string::npos);
    EXPECT_EQ(c.get("/admin/sdas/999/edit").status, 404);
    EXPECT_EQ(c.get("/admin/sdas/abc/edit").status, 404);
}
