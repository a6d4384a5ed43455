// OWASP ASVS 5.0.0, level 2: one test per requirement that Arrimage meets and that no other test
// already shows (docs/SECURITY.md, "OWASP ASVS 5.0 level 2", names the test of each
// requirement, these and the others). Through the real HTTP server on the backend under test
// (SQLite: label db, PostgreSQL: label pg), over the demo data. Each test names the
// requirements it shows as v5.0.0-C.S.R.
#include <gtest/gtest.h>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using nlohmann::json;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;
namespace fs = std::filesystem;

namespace {

const std::string sysadmin = "sysadmin@demo.arrimage.invalid";
const std::string agency_admin = "ca.admin@demo.arrimage.invalid";
const std::string intake = "coord.ca@demo.arrimage.invalid";  // a coordinator of the coordinating agency
const std::string coordinator = "coord1@demo.arrimage.invalid";
const std::string totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

// One answer of the server, whatever produced it, with its headers (lower-case names).
struct Seen {
    std::string what;
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? "" : it->second;
    }
};

Seen seen(const std::string& what, const Reply& r) {
    return {what, r.status, r.headers, r.body};
}

// A raw answer (testsupport::raw_response) split into its status, headers and body.
Seen seen_raw(const std::string& what, const std::string& raw) {
    Seen s{what, 0, {}, {}};
    const auto end = raw.find("\r\n\r\n");
    if (raw.size() < 12 || end == std::string::npos) return s;
    s.status = std::stoi(raw.substr(9, 3));
    std::size_t at = raw.find("\r\n") + 2;
    while (at < end) {
        const auto eol = raw.find("\r\n", at);
        const std::string line = raw.substr(at, eol - at);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            s.headers[ascii_lower(line.substr(0, colon))] = value;
        }
        at = eol + 2;
    }
    s.body = raw.substr(end + 4);
    return s;
}

// The Set-Cookie lines of an answer, one per cookie.
std::vector<std::string> set_cookies(const Reply& r) {
    std::vector<std::string> out;
    std::stringstream lines(r.header("set-cookie"));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

// The single-use link of the latest message to `to` ("/password/reset/…" or "/invitation/…").
std::string link_in(const std::string& body, const std::string& prefix) {
    const auto at = body.find(prefix);
    if (at == std::string::npos) return "";
    return body.substr(at, body.find_first_of(" \n\r", at) - at);
}

// A token as the server makes them: base64url of 32 random bytes (256 bits).
bool long_random_token(const std::string& t) {
    static const std::regex re("[A-Za-z0-9_-]{43,}");
    return std::regex_match(t, re);
}

}  // namespace

class AsvsBase : public testsupport::DemoServerTest {
  protected:
    // A signed-in client whose pages are in English, whatever the account prefers.
    Client as(const std::string& email) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
    Reply login(Client& c, const std::string& email, const std::string& password) {
        return c.submit("/login", "/login", "email=" + enc(email) + "&password=" + enc(password));
    }
    std::int64_t user_id(const std::string& email) { return scalar("SELECT id FROM users WHERE email = ?", {email}); }
    std::string password_hash(const std::string& email) {
        return scalar_text("SELECT password_hash FROM users WHERE email = ?", {email});
    }
    std::string last_mail_to(const std::string& email) {
        return scalar_text("SELECT body_text FROM outbox WHERE to_address = ? ORDER BY id DESC LIMIT 1", {email});
    }
    void enable_totp(const std::string& email) {
        auto tx = t_->db->begin(store::TxMode::write);
        store::AuthRepo(*tx, clock_).set_totp_secret(user_id(email), totp_secret, true);
        tx->commit();
    }
    std::int64_t lea() { return scalar("SELECT id FROM people WHERE given_name = ?", {std::string("Léa")}); }

    // One answer of every kind the server gives: pages signed out and in, a child's file, a
    // redirect, the error pages (404, 405, 403 for a missing CSRF token and for a role, 400 and
    // 413 refused before routing), a probe, the FHIR API's JSON and its 401, a CSV download.
    std::vector<Seen> every_kind() {
        std::vector<Seen> out;
        Client anon(port_);
        out.push_back(seen("sign-in page", anon.get("/login")));
        out.push_back(seen("redirect to sign in", anon.get("/account")));
        out.push_back(seen("404 page", anon.get("/no-such-page")));
        out.push_back(seen("405 page", anon.send("DELETE", "/login", "", {})));
        out.push_back(seen("403 without the CSRF token", anon.post("/login", "email=x%40y.example&password=x")));
        out.push_back(seen("probe", anon.get("/healthz")));
        out.push_back(seen("FHIR CapabilityStatement", anon.get("/fhir/metadata")));
        out.push_back(seen("FHIR 401", anon.get("/fhir/Patient")));
        out.push_back(seen_raw("400 before routing", testsupport::raw_response(port_, "GARBAGE\r\n\r\n")));
        out.push_back(
            seen_raw("413 before routing",
                     testsupport::raw_response(port_, "POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n")));
        auto staff = as(intake);
        out.push_back(seen("signed-in home", staff.get("/")));
        out.push_back(seen("a child's file", staff.get("/children/" + std::to_string(lea()))));
        out.push_back(seen("the registry's list", staff.get("/children")));
        auto coord = as(coordinator);
        out.push_back(seen("403 for a role", coord.get("/admin")));
        auto agency = as(agency_admin);
        out.push_back(seen("CSV download", agency.get("/agreements/export.csv")));
        return out;
    }
};

class AsvsFrontend : public AsvsBase {};
class AsvsHttps : public AsvsBase {
  protected:
    void configure(web::Config& cfg) override { cfg.public_base_url = "https://arrimage.example"; }
};
class AsvsApi : public AsvsBase {
  protected:
    // nginx in front, as docs/DEPLOYMENT.md configures it.
    void configure(web::Config& cfg) override { cfg.trusted_proxies = {"127.0.0.1"}; }
};
class AsvsAuth : public AsvsBase {};
class AsvsSession : public AsvsBase {};
class AsvsInjection : public AsvsBase {};
class AsvsData : public AsvsBase {};
class AsvsLogging : public AsvsBase {};
class AsvsConfig : public AsvsBase {
  protected:
    // Front-end assets in a folder of their own, with a file beside the folder that must never be
    // served.
    void configure(web::Config& cfg) override {
        root_ = fs::temp_directory_path() / ("arrimage-asvs-" + random_.token(9));
        fs::create_directories(root_ / "static" / "css");
        std::ofstream(root_ / "static" / "css" / "site.css") << "body { margin: 0 }\n";
        std::ofstream(root_ / "beside-static.txt") << "not an asset\n";
        cfg.static_dir = (root_ / "static").string();
    }
    void TearDown() override {
        AsvsBase::TearDown();
        std::error_code ec;
        if (!root_.empty()) fs::remove_all(root_, ec);
    }
    fs::path root_;
};

// ---------------------------------------------------------------- V3 Web frontend security

// v5.0.0-3.4.3 and v5.0.0-14.2.3: every answer carries a policy that runs scripts and loads
// resources from this site only, with object-src and base-uri 'none'; no page loads anything
// from another site (so nothing is sent to trackers).
TEST_F(AsvsFrontend, EveryAnswerCarriesAContentSecurityPolicyOfThisSiteOnly) {
    for (const auto& s : every_kind()) {
        SCOPED_TRACE(s.what);
        const std::string csp = s.header("content-security-policy");
        for (const char* directive : {"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"})
            EXPECT_NE(csp.find(directive), std::string::npos) << directive << " in " << csp;
        for (const char* loose : {"unsafe-inline", "unsafe-eval", "http:", "https:", "*"})
            EXPECT_EQ(csp.find(loose), std::string::npos) << loose << " in " << csp;
        for (const char* elsewhere : {"src=\"http", "href=\"http", "src=\"//", "href=\"//"})
            EXPECT_EQ(s.body.find(elsewhere), std::string::npos) << elsewhere;
    }
}

// v5.0.0-3.4.4: nosniff on every answer.
TEST_F(AsvsFrontend, EveryAnswerForbidsContentSniffing) {
    for (const auto& s : every_kind()) EXPECT_EQ(s.header("x-content-type-options"), "nosniff") << s.what;
}

// v5.0.0-3.4.5: a referrer policy on every answer that keeps paths and queries on this site.
TEST_F(AsvsFrontend, EveryAnswerKeepsItsAddressFromOtherSites) {
    for (const auto& s : every_kind()) EXPECT_EQ(s.header("referrer-policy"), "same-origin") << s.what;
}

// v5.0.0-3.4.6: frame-ancestors 'none' on every answer (X-Frame-Options as well, for old browsers).
TEST_F(AsvsFrontend, EveryAnswerRefusesToBeFramed) {
    for (const auto& s : every_kind()) {
        EXPECT_NE(s.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos) << s.what;
        EXPECT_EQ(s.header("x-frame-options"), "DENY") << s.what;
    }
}

// v5.0.0-3.4.2: no answer opens itself to other origins (no CORS header, whatever Origin says),
// and a preflight is refused like any method a path does not take.
TEST_F(AsvsFrontend, NoAnswerIsOpenedToOtherOrigins) {
    const std::map<std::string, std::string> cross = {{"Origin", "https://attacker.example"},
                                                      {"Access-Control-Request-Method", "POST"}};
    Client c(port_);
    std::vector<Seen> answers;
    answers.push_back(seen("page", c.get("/login", cross)));
    answers.push_back(seen(
        "form post", c.post("/login", "_csrf=" + Client::csrf(c.get("/login").body) + "&email=a%40b.example&password=x", cross)));
    answers.push_back(seen("FHIR", c.get("/fhir/metadata", cross)));
    answers.push_back(seen("FHIR 401", c.get("/fhir/Patient", cross)));
    const auto page_preflight = c.send("OPTIONS", "/login", "", cross);
    const auto api_preflight = c.send("OPTIONS", "/fhir/Patient", "", cross);
    EXPECT_EQ(page_preflight.status, 405);
    EXPECT_EQ(api_preflight.status, 405);
    answers.push_back(seen("page preflight", page_preflight));
    answers.push_back(seen("API preflight", api_preflight));
    for (const auto& s : answers)
        for (const auto& [name, value] : s.headers)
            EXPECT_NE(name.rfind("access-control-", 0), 0u) << s.what << ": " << name << ": " << value;
}

// v5.0.0-3.5.1 and v5.0.0-15.3.7: a change needs the CSRF token of this very session, in the
// form's body (or the X-CSRF-Token header); none, another session's, an anonymous visitor's, or
// one put in the query string is refused and changes nothing.
TEST_F(AsvsFrontend, AChangeNeedsThisSessionsCsrfTokenInItsBody) {
    auto victim = as(coordinator);
    auto attacker = as("coord2@demo.arrimage.invalid");
    Client visitor(port_);
    const std::string own = Client::csrf(victim.get("/account").body);
    const std::string others = Client::csrf(attacker.get("/account").body);
    const std::string anonymous = Client::csrf(visitor.get("/login").body);
    ASSERT_FALSE(own.empty());
    ASSERT_NE(own, others);
    const std::string change = "display_name=" + enc("Taken Over") + "&preferred_lang=en";
    const auto name = [&] { return scalar_text("SELECT display_name FROM users WHERE email = ?", {coordinator}); };
    const std::string before = name();
    EXPECT_EQ(victim.post("/account/profile", change).status, 403);
    EXPECT_EQ(victim.post("/account/profile", "_csrf=" + others + "&" + change).status, 403);
    EXPECT_EQ(victim.post("/account/profile", "_csrf=" + anonymous + "&" + change).status, 403);
    EXPECT_EQ(victim.post("/account/profile?_csrf=" + own, change).status, 403);
    EXPECT_EQ(name(), before);
    // Its own token, in the body or in the header: accepted.
    EXPECT_EQ(victim.post("/account/profile", change, {{"X-CSRF-Token", own}}).status, 303);
    EXPECT_EQ(name(), "Taken Over");
    EXPECT_EQ(
        victim.post("/account/profile", "_csrf=" + own + "&display_name=" + enc("Alex Exemple") + "&preferred_lang=en").status,
        303);
    EXPECT_EQ(name(), before);
}

// v5.0.0-3.5.3: nothing is changed by a safe method. Every GET (and so HEAD) route runs in a
// read-only transaction (PostgreSQL's READ ONLY; SQLite refuses a write the same way), but for
// the one named here.
TEST_F(AsvsFrontend, EveryGetRouteRunsInAReadOnlyTransaction) {
    // Shows the setup page of a second factor: draws the secret it shows (not yet enabled) the
    // first time. Turning it on is a POST.
    const std::set<std::string> writes = {"/account/mfa"};
    std::vector<std::string> found;
    int gets = 0;
    for (const auto& r : app_->router().routes()) {
        if (r.method != "GET") continue;
        ++gets;
        if (r.handler.mode != store::TxMode::read && !writes.count(r.pattern)) found.push_back(r.pattern);
    }
    EXPECT_GT(gets, 100);
    EXPECT_TRUE(found.empty()) << [&] {
        std::string s = "GET routes that write:\n";
        for (const auto& p : found) s += "  " + p + "\n";
        return s;
    }();
    // And a read-only transaction refuses a write.
    auto tx = t_->db->begin(store::TxMode::read);
    EXPECT_ANY_THROW(tx->exec("UPDATE users SET display_name = 'x' WHERE id = 1"));
}

// v5.0.0-3.2.2, v5.0.0-3.5.5, v5.0.0-1.3.2 and v5.0.0-14.3.3: the front end's own scripts write
// no markup from data (no innerHTML and the like), evaluate no code, listen to no postMessage and
// keep nothing in the browser's storage.
TEST(AsvsSource, TheScriptsWriteNoMarkupEvaluateNoCodeAndStoreNothing) {
    const std::regex risky(
        R"(innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function|setTimeout\s*\(\s*['"]|postMessage|addEventListener\s*\(\s*['"]message|localStorage|sessionStorage|indexedDB|document\.cookie)");
    int scripts = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ARRIMAGE_SOURCE_DIR) / "src")) {
        if (!entry.is_regular_file() || entry.path().extension() != ".js") continue;
        ++scripts;
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        const std::string s = text.str();
        for (std::sregex_iterator it(s.begin(), s.end(), risky), end; it != end; ++it)
            ADD_FAILURE() << entry.path().string() << ": " << it->str();
    }
    EXPECT_GT(scripts, 0);
}

// v5.0.0-1.2.5: the server runs no operating-system command (none of the calls that start one
// appears in its sources), so there is nothing to inject into.
TEST(AsvsSource, NoOperatingSystemCommandIsRun) {
    const std::regex starts_a_command(
        R"(\b(popen|execl|execlp|execle|execv|execvp|execvpe|posix_spawnp?)\s*\(|(^|[^:\w.>]|std::|(^|[^\w])::)system\s*\()");
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(ARRIMAGE_SOURCE_DIR) / "src")) {
        const auto ext = entry.path().extension();
        if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp")) continue;
        ++files;
        std::ifstream in(entry.path());
        std::string line;
        for (int n = 1; std::getline(in, line); ++n) {
            const bool maybe = line.find("system") != std::string::npos || line.find("exec") != std::string::npos ||
                               line.find("popen") != std::string::npos || line.find("spawn") != std::string::npos;
            if (maybe && std::regex_search(line, starts_a_command))
                ADD_FAILURE() << entry.path().string() << ":" << n << ": " << line;
        }
    }
    EXPECT_GT(files, 100);
}

// ---------------------------------------------------------------- over https

// v5.0.0-3.3.1, v5.0.0-3.3.2, v5.0.0-3.3.3 (the session and CSRF cookies), v5.0.0-3.3.4 and
// v5.0.0-14.3.3: over https every cookie set along a whole visit (signing in, a message shown
// once, the language switch, signing out) is Secure, HttpOnly, SameSite=Lax, for the whole site
// and this host only; the session and anonymous CSRF cookies carry the __Host- prefix; the
// session token travels only in Set-Cookie (never in a page); and no cookie holds personal
// information: the tokens, a language code, a message key.
TEST_F(AsvsHttps, EveryCookieIsSecureHttpOnlyForThisHostAndHoldsNoPersonalInformation) {
    Client c(port_);
    std::vector<Reply> replies;
    replies.push_back(c.get("/login"));
    replies.push_back(login(c, coordinator, app::demo_password));
    ASSERT_EQ(replies.back().status, 303);
    const std::string token = c.cookie("__Host-arrimage_session");
    ASSERT_TRUE(long_random_token(token)) << token;
    replies.push_back(c.get("/"));
    replies.push_back(c.submit("/account", "/account/profile", "display_name=" + enc("Alex Exemple") + "&preferred_lang=fr"));
    replies.push_back(c.get("/account"));  // shows the message, clears its cookie
    replies.push_back(c.submit("/account", "/lang/en", "next=%2Faccount"));
    replies.push_back(c.submit("/account", "/logout", ""));
    std::set<std::string> names;
    for (const auto& r : replies) {
        EXPECT_EQ(r.body.find(token), std::string::npos) << "the session token in a page";
        for (const auto& line : set_cookies(r)) {
            SCOPED_TRACE(line);
            const std::string name = line.substr(0, line.find('='));
            const std::string value = line.substr(line.find('=') + 1, line.find(';') - line.find('=') - 1);
            names.insert(name);
            EXPECT_NE(line.find("; Secure"), std::string::npos);
            EXPECT_NE(line.find("; HttpOnly"), std::string::npos);
            EXPECT_NE(line.find("; SameSite=Lax"), std::string::npos);
            EXPECT_NE(line.find("; Path=/"), std::string::npos);
            EXPECT_EQ(line.find("Domain="), std::string::npos);
            if (name == "__Host-arrimage_session" || name == "__Host-arrimage_csrf") {
                EXPECT_TRUE(value.empty() || long_random_token(value));
            } else if (name == "arrimage_lang") {
                EXPECT_TRUE(value == "fr" || value == "en");
            } else if (name == "arrimage_flash") {
                EXPECT_TRUE(value.empty() || app_->catalogue().has(Lang::en, value));
            } else {
                ADD_FAILURE() << "a cookie this test does not know";
            }
        }
    }
    EXPECT_EQ(names,
              (std::set<std::string>{"__Host-arrimage_session", "__Host-arrimage_csrf", "arrimage_lang", "arrimage_flash"}));
}

// v5.0.0-3.4.1 (without includeSubDomains: see docs/SECURITY.md) and v5.0.0-12.2.1: over https
// every answer, those refused before routing included, tells the browser to use https only for a
// year.
TEST_F(AsvsHttps, EveryAnswerKeepsTheBrowserOnHttpsForAYear) {
    for (const auto& s : every_kind()) {
        SCOPED_TRACE(s.what);
        std::smatch m;
        const std::string hsts = s.header("strict-transport-security");
        ASSERT_TRUE(std::regex_search(hsts, m, std::regex(R"(max-age=(\d+))"))) << hsts;
        EXPECT_GE(std::stoll(m[1].str()), 31536000);
    }
}

// ---------------------------------------------------------------- V4 API and web service

// v5.0.0-4.1.1: every answer with a body says its media type, with the charset of a textual one.
TEST_F(AsvsApi, EveryBodyNamesItsMediaTypeAndCharset) {
    for (const auto& s : every_kind()) {
        SCOPED_TRACE(s.what);
        if (s.body.empty()) continue;
        const std::string type = ascii_lower(s.header("content-type"));
        ASSERT_FALSE(type.empty());
        if (type.rfind("text/", 0) == 0 || type.find("json") != std::string::npos) {
            EXPECT_NE(type.find("charset=utf-8"), std::string::npos) << type;
        }
    }
}

// v5.0.0-4.1.3 and v5.0.0-15.3.4: behind the trusted proxy, what a client writes in
// X-Forwarded-For itself (the addresses left of the one the proxy appends) does not choose the
// address that sign-in failures are counted against.
TEST_F(AsvsApi, AForgedForwardedForDoesNotChooseTheAddressThatIsCounted) {
    Client c(port_);
    auto attempt = [&](const std::string& email, const std::string& password, const std::string& forwarded) {
        return c.post("/login",
                      "_csrf=" + Client::csrf(c.get("/login").body) + "&email=" + enc(email) + "&password=" + enc(password),
                      {{"X-Forwarded-For", forwarded}});
    };
    const char* accounts[] = {"coord1@demo.arrimage.invalid", "coord2@demo.arrimage.invalid", "coord3@demo.arrimage.invalid",
                              "coord4@demo.arrimage.invalid", "manager1@demo.arrimage.invalid"};
    // The client writes a new address of its own each time; the proxy appends the real one.
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(attempt(accounts[i % 5], "wrong password!", "198.51.100." + std::to_string(i) + ", 203.0.113.50").status, 401);
    EXPECT_EQ(attempt("manager2@demo.arrimage.invalid", app::demo_password, "192.0.2.77, 203.0.113.50").status, 429);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM login_failures WHERE scope = 'address' AND key = '203.0.113.50'"), 20);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM login_failures WHERE scope = 'address' AND key LIKE '198.51.100.%'"), 0);
}

// ---------------------------------------------------------------- V6 authentication

// v5.0.0-6.2.5, v5.0.0-6.2.8 and v5.0.0-6.2.9: a password of 100 characters, lower-case letters
// and spaces only, is accepted; it is checked exactly as typed (not truncated to 72 bytes, case
// and spaces kept).
TEST_F(AsvsAuth, LongPasswordsOfAnyCompositionAreCheckedExactlyAsTyped) {
    const std::string email = "coord4@demo.arrimage.invalid";
    auto c = as(email);
    const std::string phrase =
        "une phrase de passe toute en minuscules sans chiffre ni symbole pour voir si elle passe bien ici don";
    ASSERT_EQ(utf8_length(phrase), 100u);
    auto r =
        c.submit("/account", "/account/password",
                 "current_password=" + enc(app::demo_password) + "&password=" + enc(phrase) + "&password_confirm=" + enc(phrase));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    Client fresh(port_);
    EXPECT_EQ(login(fresh, email, phrase).status, 303);
    for (const std::string& near :
         {"U" + phrase.substr(1), phrase.substr(0, 72), phrase + " ", phrase.substr(0, phrase.size() - 1)}) {
        Client other(port_);
        EXPECT_EQ(login(other, email, near).status, 401) << near;
    }
}

// v5.0.0-6.2.2 and v5.0.0-6.2.3: users change their own password, and only by giving the current one.
TEST_F(AsvsAuth, ChangingThePasswordNeedsTheCurrentOne) {
    auto c = as(coordinator);
    const std::string before = password_hash(coordinator);
    const std::string next = "a brand new passphrase here";
    auto r = c.submit("/account", "/account/password", "password=" + enc(next) + "&password_confirm=" + enc(next));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-current_password\""));
    r = c.submit("/account", "/account/password",
                 "current_password=" + enc("not my password") + "&password=" + enc(next) + "&password_confirm=" + enc(next));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(password_hash(coordinator), before);
    r = c.submit("/account", "/account/password",
                 "current_password=" + enc(app::demo_password) + "&password=" + enc(next) + "&password_confirm=" + enc(next));
    EXPECT_EQ(r.status, 303);
    EXPECT_NE(password_hash(coordinator), before);
}

// v5.0.0-6.2.6 and v5.0.0-6.2.7: every password field is masked and tells password managers what
// it is; nothing blocks pasting; a refused password is never written back into the page.
TEST_F(AsvsAuth, PasswordFieldsAreMaskedAndLeftToPasswordManagers) {
    std::vector<std::pair<std::string, std::string>> pages;
    Client visitor(port_);
    pages.emplace_back("sign-in", visitor.get("/login").body);
    const auto failed = login(visitor, coordinator, "my wrong secret phrase");
    EXPECT_EQ(failed.status, 401);
    EXPECT_FALSE(failed.has("my wrong secret phrase"));
    pages.emplace_back("failed sign-in", failed.body);
    auto c = as(coordinator);
    pages.emplace_back("account", c.get("/account").body);
    visitor.submit("/password/forgot", "/password/forgot", "email=" + enc(coordinator));
    const std::string link = link_in(last_mail_to(coordinator), "/password/reset/");
    ASSERT_FALSE(link.empty());
    pages.emplace_back("reset", visitor.get(link).body);
    const std::regex password_input(R"re(<input[^>]*name="(password|password_confirm|current_password)"[^>]*>)re");
    int fields = 0;
    for (const auto& [what, body] : pages) {
        SCOPED_TRACE(what);
        EXPECT_EQ(body.find("onpaste"), std::string::npos);
        for (std::sregex_iterator it(body.begin(), body.end(), password_input), end; it != end; ++it) {
            ++fields;
            const std::string tag = it->str();
            EXPECT_NE(tag.find("type=\"password\""), std::string::npos) << tag;
            EXPECT_NE(tag.find("value=\"\""), std::string::npos) << tag;
            EXPECT_TRUE(tag.find("autocomplete=\"current-password\"") != std::string::npos ||
                        tag.find("autocomplete=\"new-password\"") != std::string::npos)
                << tag;
        }
    }
    EXPECT_GE(fields, 7);  // sign-in twice, account three, reset two
}

// v5.0.0-6.2.10: a password does not expire with time.
TEST_F(AsvsAuth, APasswordStaysValidHoweverOld) {
    clock_.advance(std::chrono::hours(24 * 800));
    Client c(port_);
    EXPECT_EQ(login(c, coordinator, app::demo_password).status, 303);
    EXPECT_EQ(c.get("/account").status, 200);
}

// v5.0.0-6.3.8 (a level 3 requirement, met): a failed sign-in says the same whether the account
// exists, is inactive, or the password is wrong.
TEST_F(AsvsAuth, AFailedSignInDoesNotTellWhetherTheAccountExists) {
    {
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec("UPDATE users SET active = 0 WHERE email = ?", {std::string("coord3@demo.arrimage.invalid")});
        tx->commit();
    }
    Client c(port_);
    auto answer = [&](const std::string& email, const std::string& password) {
        auto r = login(c, email, password);
        std::string body = r.body;
        for (auto at = body.find(email); at != std::string::npos; at = body.find(email)) body.replace(at, email.size(), "EMAIL");
        return std::make_pair(r.status, body);
    };
    const auto wrong = answer(coordinator, "wrong password!");
    const auto unknown = answer("nobody-here@demo.arrimage.invalid", "wrong password!");
    const auto inactive = answer("coord3@demo.arrimage.invalid", app::demo_password);
    EXPECT_EQ(wrong.first, 401);
    EXPECT_EQ(unknown, wrong);
    EXPECT_EQ(inactive, wrong);
}

// v5.0.0-6.4.1: an activation (invitation) link is 256 random bits, works once, and expires after
// its week; the account's password is the one its owner then chooses.
TEST_F(AsvsAuth, AnInvitationIsRandomSingleUseAndExpires) {
    auto admin = as(agency_admin);
    for (const char* who : {"first", "second"}) {
        auto r = admin.submit("/admin/users/new", "/admin/users/new",
                              std::string("display_name=Nouvelle+Personne&email=") + who +
                                  ".new%40demo.arrimage.invalid&preferred_lang=fr&organisation_id=2&role=coordinator");
        ASSERT_EQ(r.status, 303) << who;
    }
    const std::string first = link_in(last_mail_to("first.new@demo.arrimage.invalid"), "/invitation/");
    const std::string second = link_in(last_mail_to("second.new@demo.arrimage.invalid"), "/invitation/");
    ASSERT_FALSE(first.empty());
    EXPECT_TRUE(long_random_token(first.substr(std::string("/invitation/").size()))) << first;
    EXPECT_NE(first, second);
    EXPECT_TRUE(
        scalar_text("SELECT COALESCE(password_hash, '') FROM users WHERE email = 'first.new@demo.arrimage.invalid'").empty());
    Client invitee(port_);
    const std::string chosen = "la phrase que je choisis moi";
    EXPECT_EQ(invitee.submit(first, first, "password=" + enc(chosen) + "&password_confirm=" + enc(chosen)).status, 303);
    EXPECT_EQ(invitee.get(first).status, 404);  // once
    clock_.advance(std::chrono::hours(7 * 24 + 1));
    EXPECT_EQ(invitee.get(second).status, 404);  // expired
    EXPECT_EQ(invitee.submit("/login", second, "password=" + enc(chosen) + "&password_confirm=" + enc(chosen)).status, 404);
    EXPECT_TRUE(
        scalar_text("SELECT COALESCE(password_hash, '') FROM users WHERE email = 'second.new@demo.arrimage.invalid'").empty());
}

// v5.0.0-6.4.3: a password reset signs nobody in and leaves the second factor in place: the new
// password still needs the code.
TEST_F(AsvsAuth, APasswordResetDoesNotBypassTheSecondFactor) {
    const std::string email = "coord3@demo.arrimage.invalid";
    enable_totp(email);
    Client c(port_);
    c.submit("/password/forgot", "/password/forgot", "email=" + enc(email));
    const std::string link = link_in(last_mail_to(email), "/password/reset/");
    ASSERT_FALSE(link.empty());
    const std::string fresh = "a fresh passphrase after reset";
    auto r = c.submit(link, link, "password=" + enc(fresh) + "&password_confirm=" + enc(fresh));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/login");
    EXPECT_TRUE(c.cookie("arrimage_session").empty());
    EXPECT_EQ(scalar("SELECT totp_enabled FROM users WHERE email = ?", {email}), 1);
    r = login(c, email, fresh);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login/mfa", 0), 0u);
    EXPECT_EQ(c.get("/account").header("location"), "/login/mfa");
    EXPECT_EQ(c.submit("/login/mfa", "/login/mfa", "code=" + totp_code(totp_secret, clock_.now())).status, 303);
    EXPECT_EQ(c.get("/account").status, 200);
}

// ---------------------------------------------------------------- V7 session management

// v5.0.0-7.2.3 and v5.0.0-11.5.1: session tokens are 256 random bits (base64url), never twice
// the same, and the database keeps only their BLAKE2b hash.
TEST_F(AsvsSession, SessionTokensAreLongUniqueAndStoredOnlyAsHashes) {
    std::set<std::string> tokens;
    for (int i = 0; i < 12; ++i) {
        Client c(port_);
        ASSERT_EQ(login(c, coordinator, app::demo_password).status, 303);
        const std::string token = c.cookie("arrimage_session");
        EXPECT_TRUE(long_random_token(token)) << token;
        tokens.insert(token);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE id = ?", {token}), 0);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE id = ?", {hash_token(token)}), 1);
    }
    EXPECT_EQ(tokens.size(), 12u);
}

// v5.0.0-7.2.4: each authentication (the password, the second factor, signing in again while
// signed in) issues a new token and ends the one before.
TEST_F(AsvsSession, EachAuthenticationIssuesANewTokenAndEndsTheOldOne) {
    const std::string email = "coord3@demo.arrimage.invalid";
    enable_totp(email);
    Client c(port_);
    ASSERT_EQ(login(c, email, app::demo_password).status, 303);
    const std::string pending = c.cookie("arrimage_session");
    ASSERT_EQ(c.submit("/login/mfa", "/login/mfa", "code=" + totp_code(totp_secret, clock_.now())).status, 303);
    const std::string full = c.cookie("arrimage_session");
    EXPECT_NE(full, pending);
    EXPECT_EQ(scalar("SELECT revoked FROM sessions WHERE id = ?", {hash_token(pending)}), 1);
    EXPECT_EQ(c.get("/account").status, 200);

    // Signing in again from the same browser.
    auto again = as(coordinator);
    const std::string first = again.cookie("arrimage_session");
    ASSERT_EQ(again
                  .post("/login", "_csrf=" + Client::csrf(again.get("/").body) + "&email=" + enc(coordinator) +
                                      "&password=" + enc(app::demo_password))
                  .status,
              303);
    const std::string second = again.cookie("arrimage_session");
    EXPECT_NE(second, first);
    Client replay(port_);
    replay.set_cookie("arrimage_session", first);
    EXPECT_EQ(replay.get("/account").status, 303);
    EXPECT_EQ(again.get("/account").status, 200);
}

// v5.0.0-7.4.2: deactivating an account stops its sessions at their next request.
TEST_F(AsvsSession, DeactivatingAnAccountStopsItsSessionsAtOnce) {
    const std::string email = "coord2@demo.arrimage.invalid";
    auto user = as(email);
    ASSERT_EQ(user.get("/account").status, 200);
    auto admin = as(sysadmin);
    const std::string base = "/admin/users/" + std::to_string(user_id(email));
    ASSERT_EQ(admin.submit(base, base + "/deactivate", "").status, 303);
    const auto r = user.get("/account");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    // Reactivated, the account's old sessions stay ended (v5.0.0-7.4.2).
    ASSERT_EQ(admin.submit(base, base + "/reactivate", "").status, 303);
    EXPECT_EQ(user.get("/account").status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE user_id = ? AND revoked = 0", {user_id(email)}), 0);
}

// v5.0.0-14.3.1: signing out asks the browser to drop what it cached of the session's pages.
TEST_F(AsvsSession, SigningOutClearsTheBrowsersCache) {
    auto user = as("coord2@demo.arrimage.invalid");
    const auto r = user.submit("/account", "/logout", "");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("clear-site-data"), "\"cache\"");
}

// v5.0.0-7.4.3 (the password: changed or reset): every other session of the account ends; the
// one that changed it goes on under a new token.
TEST_F(AsvsSession, AChangedOrResetPasswordEndsEveryOtherSession) {
    const std::string email = "coord2@demo.arrimage.invalid";
    auto here = as(email);
    auto elsewhere = as(email);
    const std::string before = here.cookie("arrimage_session");
    const std::string next = "a brand new passphrase here";
    ASSERT_EQ(
        here.submit("/account", "/account/password",
                    "current_password=" + enc(app::demo_password) + "&password=" + enc(next) + "&password_confirm=" + enc(next))
            .status,
        303);
    EXPECT_NE(here.cookie("arrimage_session"), before);
    EXPECT_EQ(here.get("/account").status, 200);
    EXPECT_EQ(elsewhere.get("/account").status, 303);

    // A reset ends them all.
    Client anyone(port_);
    anyone.submit("/password/forgot", "/password/forgot", "email=" + enc(email));
    const std::string link = link_in(last_mail_to(email), "/password/reset/");
    ASSERT_FALSE(link.empty());
    const std::string reset = "the passphrase after the reset";
    ASSERT_EQ(anyone.submit(link, link, "password=" + enc(reset) + "&password_confirm=" + enc(reset)).status, 303);
    EXPECT_EQ(here.get("/account").status, 303);
}

// v5.0.0-7.4.4: every signed-in page, staff's and a family's, has the sign-out button (a form
// with its CSRF token).
TEST_F(AsvsSession, EverySignedInPageOffersSigningOut) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> visits = {
        {sysadmin, {"/", "/account", "/admin", "/admin/users", "/admin/organisations"}},
        {intake, {"/", "/account", "/children", "/children/" + std::to_string(lea())}},
        {agency_admin, {"/agreements", "/admin/users"}},
        {app::demo_family_login, {"/family", "/account"}},
    };
    const std::regex logout(R"(<form method="post" action="/logout"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">)");
    for (const auto& [email, pages] : visits) {
        auto c = as(email);
        for (const auto& page : pages) {
            const auto r = c.get(page);
            ASSERT_EQ(r.status, 200) << email << " " << page;
            EXPECT_TRUE(std::regex_search(r.body, logout)) << email << " " << page;
        }
    }
}

// v5.0.0-15.3.3 and v5.0.0-7.5.1 (the sign-in address): the profile form changes its own two
// fields and nothing else sent with them: not the address one signs in with, not the second
// factor, roles or state, not another account.
TEST_F(AsvsSession, TheProfileFormChangesOnlyItsOwnFields) {
    auto c = as(coordinator);
    const auto id = user_id(coordinator);
    const auto memberships = scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ?", {id});
    const auto r =
        c.submit("/account", "/account/profile",
                 "display_name=" + enc("Alex Renamed") +
                     "&preferred_lang=fr&email=attacker%40example.invalid&active=0&totp_enabled=1&totp_secret=" + totp_secret +
                     "&role=system_admin&organisation_id=1&id=1&user_id=1&password_hash=x");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar_text("SELECT display_name FROM users WHERE id = ?", {id}), "Alex Renamed");
    EXPECT_EQ(scalar_text("SELECT email FROM users WHERE id = ?", {id}), coordinator);
    EXPECT_EQ(scalar("SELECT active FROM users WHERE id = ?", {id}), 1);
    EXPECT_EQ(scalar("SELECT totp_enabled FROM users WHERE id = ?", {id}), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ?", {id}), memberships);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ? AND role = 'system_admin'", {id}), 0);
    EXPECT_EQ(scalar_text("SELECT display_name FROM users WHERE email = ?", {sysadmin}), "Sam Sysadmin-Démo");
    Client fresh(port_);
    EXPECT_EQ(login(fresh, coordinator, app::demo_password).status, 303);
}

// ---------------------------------------------------------------- V1 encoding and sanitization

// v5.0.0-1.2.1, v5.0.0-1.1.2 and v5.0.0-1.3.7: text with quotes, markup, SQL and a template tag
// in it is stored exactly as typed and shown escaped where it is shown, in an element and in an
// attribute; the tag is shown, never expanded.
TEST_F(AsvsInjection, TextIsStoredAsTypedAndShownEscaped) {
    const std::string hostile = "L'Atelier \"Ensemble\" <script>alert(1)</script> & Cie'); DROP TABLE users;-- {{csrf}}";
    auto admin = as(sysadmin);
    auto r = admin.submit(
        "/admin/organisations/new", "/admin/organisations/new",
        "sda_id=1&name_fr=" + enc(hostile) + "&name_en=" + enc(hostile) + "&sector=health&csp_roles=csp_participant");
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 3000);
    const auto id = scalar("SELECT id FROM organisations WHERE name_en = ?", {hostile});
    ASSERT_GT(id, 0) << "stored as typed";
    EXPECT_GT(scalar("SELECT COUNT(*) FROM users"), 0);
    const auto list = admin.get("/admin/organisations");
    EXPECT_TRUE(list.has(testsupport::html_escaped(hostile)));
    const auto edit = admin.get("/admin/organisations/" + std::to_string(id) + "/edit");
    EXPECT_TRUE(edit.has("value=\"" + testsupport::html_escaped(hostile) + "\""));
    for (const auto& page : {list, edit}) {
        EXPECT_FALSE(page.has("<script>alert(1)"));
        EXPECT_FALSE(page.has("\"Ensemble\""));
    }
}

// v5.0.0-1.2.4: SQL metacharacters in searches and filters are text to look for, never SQL: the
// searches answer normally, find nothing, and change nothing.
TEST_F(AsvsInjection, SqlInSearchesIsOnlyTextToLookFor) {
    const std::vector<std::string> probes = {"' OR '1'='1", "x'; DELETE FROM people; --", "\" OR \"\"=\"", "1) OR (1=1",
                                             "') UNION SELECT email, password_hash FROM users --"};
    const auto people = scalar("SELECT COUNT(*) FROM people");
    const auto users = scalar("SELECT COUNT(*) FROM users");
    auto admin = as(sysadmin);
    auto staff = as(intake);
    Client visitor(port_);
    for (const auto& probe : probes) {
        SCOPED_TRACE(probe);
        auto r = admin.get("/admin/users?q=" + enc(probe));
        EXPECT_EQ(r.status, 200);
        EXPECT_FALSE(r.has("/admin/users/" + std::to_string(user_id(coordinator)) + "\""));
        EXPECT_FALSE(r.has("$argon2id$"));
        r = staff.get("/children?q=" + enc(probe));
        EXPECT_EQ(r.status, 200);
        EXPECT_FALSE(r.has("Démo-Tremblay"));
        r = visitor.get("/services?q=" + enc(probe));
        EXPECT_LT(r.status, 500);
        EXPECT_FALSE(r.has("$argon2id$"));
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), people);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users"), users);
    // The same searches do find what they are asked for.
    EXPECT_TRUE(staff.get("/children?q=" + enc("Tremblay")).has("Démo-Tremblay"));
}

// v5.0.0-1.3.11: an email address cannot carry mail header lines (nor anything but an address).
TEST_F(AsvsInjection, AnAddressCannotCarryMailHeaders) {
    auto admin = as(agency_admin);
    for (const std::string& address : {std::string("new.person@demo.arrimage.invalid\r\nBcc: all@attacker.example"),
                                       std::string("new.person@demo.arrimage.invalid\nSubject: hi"),
                                       std::string("new.person@demo.arrimage.invalid, all@attacker.example")}) {
        const auto r = admin.submit(
            "/admin/users/new", "/admin/users/new",
            "display_name=Nouvelle+Personne&email=" + enc(address) + "&preferred_lang=fr&organisation_id=2&role=coordinator");
        EXPECT_EQ(r.status, 422) << address;
        EXPECT_TRUE(r.has("id=\"error-email\"")) << address;
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE email LIKE 'new.person%'"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address LIKE '%attacker%'"), 0);
}

// v5.0.0-1.3.10: what is put into a message (a name, an address) is inserted once, never read
// as a pattern of its own.
TEST_F(AsvsInjection, MessageArgumentsAreInsertedOnceNeverReadAsPatterns) {
    const std::string text = app_->catalogue().t(Lang::en, "email.reset.body", {"{1}{2}", "LINK-HERE", "7"});
    EXPECT_NE(text.find("{1}{2}"), std::string::npos) << text;
    std::size_t links = 0;
    for (auto at = text.find("LINK-HERE"); at != std::string::npos; at = text.find("LINK-HERE", at + 1)) ++links;
    EXPECT_EQ(links, 1u) << text;
}

// ---------------------------------------------------------------- V11 cryptography

// v5.0.0-11.4.2: passwords are stored as argon2id hashes (salted, parameters in the hash), at
// libsodium's interactive cost in production (above OWASP's least: 19 MiB, 2 passes).
TEST_F(AsvsAuth, PasswordsAreStoredAsArgon2idHashes) {
    auto c = as(coordinator);
    const std::string next = "yet another long passphrase";
    ASSERT_EQ(
        c.submit("/account", "/account/password",
                 "current_password=" + enc(app::demo_password) + "&password=" + enc(next) + "&password_confirm=" + enc(next))
            .status,
        303);
    const std::string hash = password_hash(coordinator);
    EXPECT_EQ(hash.rfind("$argon2id$v=19$", 0), 0u) << hash;
    EXPECT_EQ(hash.find(next), std::string::npos);
    EXPECT_NE(hash, password_hash("coord2@demo.arrimage.invalid"));
    const web::Config production;
    EXPECT_GE(production.password_cost.mem, 19u * 1024 * 1024);
    EXPECT_GE(production.password_cost.ops, 2u);
    EXPECT_EQ(production.password_cost.mem, PasswordHashCost::interactive().mem);
}

// ---------------------------------------------------------------- V13 configuration

// v5.0.0-13.4.4: TRACE is refused and echoes nothing of the request.
TEST_F(AsvsConfig, TraceIsRefusedAndEchoesNothing) {
    for (const std::string target : {"/", "/login", "/fhir/metadata", "/static/css/site.css"}) {
        const auto s = seen_raw(target, testsupport::raw_response(port_, "TRACE " + target +
                                                                             " HTTP/1.1\r\nHost: x\r\nCookie: "
                                                                             "arrimage_session=echo-secret-cookie\r\nX-Probe: "
                                                                             "echo-this-header\r\n\r\n"));
        EXPECT_TRUE(s.status == 405 || s.status == 404) << target << ": " << s.status;
        EXPECT_EQ(s.body.find("echo-secret-cookie"), std::string::npos) << target;
        EXPECT_EQ(s.body.find("echo-this-header"), std::string::npos) << target;
        EXPECT_EQ(s.header("content-type").find("message/http"), std::string::npos) << target;
    }
}

// v5.0.0-13.4.1 and v5.0.0-13.4.3: only the asset files themselves are served: no folder
// listing, nothing outside the asset folder, no source-control metadata of the working directory.
TEST_F(AsvsConfig, OnlyAssetFilesAreServedNeverAListingOrWhatLiesBeside) {
    Client c(port_);
    EXPECT_EQ(c.get("/static/css/site.css").status, 200);  // the server does serve assets
    for (const std::string target :
         {"/static/", "/static/css/", "/static/css", "/static/../beside-static.txt", "/static/%2e%2e/beside-static.txt",
          "/static/css/../../beside-static.txt", "/.git/config", "/.git/HEAD", "/static/.git/config", "/CMakeLists.txt"}) {
        const auto s = seen_raw(target, testsupport::raw_response(port_, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
        EXPECT_TRUE(s.status == 404 || s.status == 400) << target << ": " << s.status;
        EXPECT_EQ(s.body.find("not an asset"), std::string::npos) << target;
        EXPECT_EQ(s.body.find("site.css\""), std::string::npos) << target;
    }
}

// v5.0.0-13.4.2 and v5.0.0-15.2.3: outside development mode (`--dev`), the outbox page hides
// the messages' bodies (their sign-in links).
TEST_F(AsvsConfig, OutsideDevelopmentModeTheOutboxHidesMessageBodies) {
    EXPECT_FALSE(app_->config().dev_mode);
    Client c(port_);
    c.submit("/password/forgot", "/password/forgot", "email=" + enc(coordinator));
    ASSERT_FALSE(link_in(last_mail_to(coordinator), "/password/reset/").empty());
    auto admin = as(sysadmin);
    const auto page = admin.get("/admin/outbox");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(coordinator));  // the message is listed
    EXPECT_FALSE(page.has("/password/reset/"));
}

// v5.0.0-6.3.2 and v5.0.0-13.2.3: a new database has no account at all: nothing to sign in
// with until `arrimage create-admin` makes the first administrator (with a single-use link, no
// password).
TEST(AsvsFreshDatabase, HasNoAccountToSignInWith) {
    std::string why;
    auto t = testsupport::open_test_db(why, 1);
    if (!t) GTEST_SKIP() << why;
    auto tx = t->db->begin(store::TxMode::read);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM users")->i64(0), 0);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM users WHERE password_hash IS NOT NULL")->i64(0), 0);
    EXPECT_EQ(tx->query_one("SELECT COUNT(*) FROM memberships")->i64(0), 0);
}

// ---------------------------------------------------------------- V14 data protection

// v5.0.0-14.3.2 and v5.0.0-14.2.2: pages and downloads with personal information (and every
// other answer of the application) tell browsers and proxies to keep no copy.
TEST_F(AsvsData, AnswersWithPersonalInformationAreNeverStored) {
    for (const auto& s : every_kind()) EXPECT_EQ(s.header("cache-control"), "no-store") << s.what;
}

// v5.0.0-14.2.1: tokens never travel in an address: the API takes its bearer token from the
// Authorization header only (never ?access_token=), and the token endpoint its client's secret
// from the body or the Authorization header, never the query string.
TEST_F(AsvsData, ApiCredentialsAreNeverTakenFromTheAddress) {
    std::string client_id, secret;
    {
        auto& db = *t_->db;
        const auto admin = testsupport::actor_of(db, agency_admin);
        const auto org = testsupport::actor_of(db, "staff.mh@demo.arrimage.invalid").organisation_id;
        auto tx = db.begin(store::TxMode::write);
        const auto principal = store::IdentityRepo(*tx, clock_).principal_of(admin.user_id);
        store::ApiClientRepo repo(*tx, clock_, random_, PasswordHashCost::minimum());
        auto r = repo.register_client(principal, org, {"Client de test ASVS", "participant_staff", "system/Organization.rs"});
        ASSERT_TRUE(r);
        client_id = r->client.client_id;
        secret = r->secret;
        tx->commit();
    }
    Client c(port_);
    const std::string credentials = "grant_type=client_credentials&client_id=" + enc(client_id) + "&client_secret=" + enc(secret);
    EXPECT_NE(c.post("/oauth/token?" + credentials, "").status, 200);
    auto r = c.post("/oauth/token", credentials);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string token = json::parse(r.body).value("access_token", "");
    ASSERT_FALSE(token.empty());
    EXPECT_EQ(c.get("/fhir/Organization", {{"Authorization", "Bearer " + token}}).status, 200);
    EXPECT_EQ(c.get("/fhir/Organization?access_token=" + enc(token)).status, 401);
    EXPECT_EQ(c.post("/fhir/Organization/_search", "access_token=" + enc(token)).status, 401);
}

// ---------------------------------------------------------------- V16 logging and errors

namespace {

// The log lines written while it lives (the pattern of `arrimage serve` without its envelope).
class CapturedLog {
  public:
    CapturedLog() : previous_(spdlog::default_logger()) {
        logger_ = std::make_shared<spdlog::logger>("asvs", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_));
        logger_->set_pattern("%v");
        spdlog::set_default_logger(logger_);
        spdlog::set_level(spdlog::level::info);
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    std::vector<std::string> lines() {
        logger_->flush();
        std::vector<std::string> out;
        std::stringstream s(out_.str());
        for (std::string line; std::getline(s, line);)
            if (!line.empty()) out.push_back(line);
        return out;
    }

  private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_, logger_;
};

}  // namespace

// v5.0.0-16.3.2, v5.0.0-16.3.3 and v5.0.0-16.2.1: a refused request is logged with its request
// id, route, status and the user who made it: a role's refusal, a missing CSRF token, a
// throttled sign-in.
TEST_F(AsvsLogging, RefusalsAreLoggedWithTheirUserAndStatus) {
    auto c = as(coordinator);
    CapturedLog log;
    EXPECT_EQ(c.get("/admin").status, 403);
    EXPECT_EQ(c.post("/account/profile", "display_name=x&preferred_lang=en").status, 403);
    Client guesser(port_);
    for (int i = 0; i < 6; ++i) login(guesser, "coord2@demo.arrimage.invalid", "wrong password!");
    const auto id = user_id(coordinator);
    int refusals = 0, throttled = 0;
    for (const auto& line : log.lines()) {
        const auto j = json::parse(line, nullptr, false);
        if (j.is_discarded() || j.value("msg", "") != "request") continue;
        if (j.value("status", 0) == 403) {
            ++refusals;
            EXPECT_EQ(j.value("user_id", std::int64_t{0}), id) << line;
            EXPECT_FALSE(j.value("request_id", "").empty()) << line;
            EXPECT_FALSE(j.value("route", "").empty()) << line;
        }
        if (j.value("status", 0) == 429 && j.value("route", "") == "login/submit") ++throttled;
    }
    EXPECT_EQ(refusals, 2);
    EXPECT_EQ(throttled, 1);
}

// v5.0.0-16.4.1 and v5.0.0-16.2.4: whatever a request carries (quotes, line breaks, braces in
// its path, its form or its headers), every log line stays one JSON object and nothing of the
// request is written into it.
TEST_F(AsvsLogging, LogLinesStayOneJsonObjectWhateverARequestCarries) {
    CapturedLog log;
    const std::string forged = "\"}\n{\"msg\":\"forged\",\"x\":\"";
    Client c(port_);
    c.get("/" + enc(forged));
    c.get("/children?q=" + enc(forged));
    login(c, "a" + forged + "@demo.arrimage.invalid", forged);
    c.get("/login", {{"X-Forwarded-For", forged}, {"User-Agent", forged}, {"Accept-Language", forged}});
    testsupport::raw_response(port_, "GET /a\"b\\c HTTP/1.1\r\nHost: x\r\n\r\n");
    testsupport::raw_response(port_, "FORGED\"} /login HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto lines = log.lines();
    EXPECT_GE(lines.size(), 5u);
    for (const auto& line : lines) {
        const auto j = json::parse(line, nullptr, false);
        EXPECT_TRUE(!j.is_discarded() && j.is_object()) << line;
        EXPECT_EQ(line.find("forged"), std::string::npos) << line;
    }
}

// v5.0.0-16.3.4 and v5.0.0-16.5.1: an unexpected failure (the database failing under a request)
// is logged with the request's id, and the visitor gets a generic page that shows nothing of it.
TEST_F(AsvsLogging, AnUnexpectedFailureIsLoggedAndAnsweredGenerically) {
    auto c = as(coordinator);
    CapturedLog log;
    faulty_->fail_statement(1);
    const auto r = c.get("/account");
    faulty_->fail_statement(0);
    EXPECT_GE(r.status, 500);
    const std::string request_id = r.header("x-request-id");
    ASSERT_FALSE(request_id.empty());
    for (const char* internal : {"SELECT", "sessions", "DbError", "fault", "sqlite", "postgres"})
        EXPECT_FALSE(r.has(internal)) << internal;
    bool logged = false;
    for (const auto& line : log.lines()) {
        const auto j = json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.value("msg", "") == "database error" && j.value("request_id", "") == request_id) logged = true;
    }
    EXPECT_TRUE(logged);
}
