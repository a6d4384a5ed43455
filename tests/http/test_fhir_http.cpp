// The FHIR R4 API through the real HTTP server (pages_fhir.cpp), on the backend under test
// (SQLite: label db, PostgreSQL: label pg), over the demo data and what the fixture adds: two
// API clients of two organisations of the demo area — one on the team of three files (one of
// which the family's lockbox keeps its identity from), the other on no file — registered
// directly with the repository. Covered: the token endpoint (RFC 6749 client credentials, both
// ways of authenticating and the Basic challenge only for Basic, scopes narrowed or refused,
// failures throttled per address, browsers refused without a failure counted), 401s as
// OperationOutcomes, the CapabilityStatement and SMART discovery, reads and searches of every
// type with the authorization matrix (one client never sees another's patients, whatever it
// searches), the audit of API reads under the service account, the client's last use,
// withheld identities, scopes (403 with the scope needed), search parameter errors in French,
// values that match nothing, name searches by the start of a word or name:contains, no total
// for Patient, _count=0 and its cap, paging both ways, POST _search, writes refused, and every
// resource returned validated against the FHIR R4 JSON schema (../shared/reference/fhir-r4)
// with python3-jsonschema, which must also reject a deliberately invalid one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "domain/people.hpp"
#include "domain/search_text.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "features/fhir/web/resources.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/identity_repo.hpp"
#include "store/person_repo.hpp"

using namespace arrimage;
using nlohmann::json;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;
namespace d = arrimage::domain;
namespace fs = std::filesystem;

namespace {

const std::string agency_coordinator = "coord.ca@demo.arrimage.invalid";
const std::string agency_admin = "ca.admin@demo.arrimage.invalid";
const std::string all_scopes =
    "system/Patient.rs system/RelatedPerson.rs system/Organization.rs system/Location.rs system/HealthcareService.rs";

// Standard base64 (RFC 4648 section 4, with padding), for HTTP Basic.
std::string base64(const std::string& in) {
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                           static_cast<unsigned char>(in[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
    }
    if (i + 1 == in.size()) {
        const unsigned n = static_cast<unsigned char>(in[i]) << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        const unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += alphabet[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

json parsed(const Reply& r) {
    auto j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body.substr(0, 500);
    return j;
}

// The ids of a searchset's entries.
std::vector<std::string> ids_of(const json& bundle) {
    std::vector<std::string> out;
    for (const auto& e : bundle.value("entry", json::array())) out.push_back(e["resource"]["id"].get<std::string>());
    return out;
}

// A link of a Bundle by its relation, "" when absent.
std::string link_of(const json& bundle, const std::string& relation) {
    for (const auto& l : bundle.value("link", json::array()))
        if (l.value("relation", "") == relation) return l.value("url", "");
    return "";
}

bool redacted(const json& resource) {
    for (const auto& s : resource.value("meta", json::object()).value("security", json::array()))
        if (s.value("code", "") == "REDACTED") return true;
    return false;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The folded words of a name (runs of letters and digits, accents and case ignored).
std::vector<std::string> folded_words(const std::string& text) {
    std::vector<std::string> out;
    std::string word;
    for (char c : d::fold(text)) {
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || static_cast<unsigned char>(c) >= 0x80) {
            word.push_back(c);
        } else if (!word.empty()) {
            out.push_back(word);
            word.clear();
        }
    }
    if (!word.empty()) out.push_back(word);
    return out;
}

// For names of one record: the start of one of their words, and three letters from inside a
// word that start none of their words (found by name:contains only). Empty when there are none.
std::pair<std::string, std::string> word_start_and_inside(const std::vector<std::string>& names) {
    std::vector<std::string> words;
    for (const auto& n : names)
        for (const auto& w : folded_words(n)) words.push_back(w);
    for (const auto& w : words) {
        if (w.size() < 5) continue;
        for (std::size_t i = 1; i + 3 <= w.size(); ++i) {
            const std::string inside = w.substr(i, 3);
            if (!std::all_of(inside.begin(), inside.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
            if (std::none_of(words.begin(), words.end(), [&](const std::string& x) { return x.starts_with(inside); }))
                return {w.substr(0, 4), inside};
        }
    }
    return {};
}

}  // namespace

class FhirWeb : public testsupport::DemoServerTest {
  protected:
    struct ApiClient {
        std::int64_t id = 0;  // api_clients.id
        std::string client_id, secret;
        std::int64_t user_id = 0, organisation_id = 0;
    };

    void configure(web::Config& cfg) override { cfg.max_failures_per_address = 4; }

    void seed() override {
        auto& db = *t_->db;
        const auto coordinator = testsupport::actor_of(db, agency_coordinator);
        agency_ = coordinator.organisation_id;
        health_org_ = testsupport::actor_of(db, "staff.mh@demo.arrimage.invalid").organisation_id;
        other_org_ = testsupport::actor_of(db, "staff.home@demo.arrimage.invalid").organisation_id;
        {
            auto tx = db.begin(store::TxMode::write);
            admin_ = store::IdentityRepo(*tx, clock_).principal_of(testsupport::actor_of(db, agency_admin).user_id);
            store::ApiClientRepo repo(*tx, clock_, random_, PasswordHashCost::minimum());
            auto add = [&](std::int64_t org, const std::string& name) {
                auto r = repo.register_client(admin_, org, {name, "participant_staff", all_scopes});
                EXPECT_TRUE(r) << name;
                if (!r) return ApiClient{};
                return ApiClient{r->client.id, r->client.client_id, r->secret, r->client.user_id, org};
            };
            health_ = add(health_org_, "Hôpital fictif — DSE");
            other_ = add(other_org_, "Soins fictifs — passerelle");
            tx->commit();
        }
        ASSERT_NE(health_.user_id, 0);
        ASSERT_NE(other_.user_id, 0);

        // Three files of the agency with the health organisation's client on their team and the
        // family's consent for that organisation; the third family keeps its identity from it. A
        // fourth has the client on its team without the family's consent: the policy refuses it
        // (and it sorts first, so a page's offset must count the files listed, not those read).
        auto tx = db.begin(store::TxMode::write);
        store::PersonRepo people(testsupport::AccessForTests::as(*tx, clock_, coordinator, "fhir-test"));
        auto add_file = [&](const std::string& given, const std::string& dob, bool consent = true) -> std::int64_t {
            store::Registration in;
            in.person.given_name = given;
            in.person.family_name = "Fhirtest-Démo";
            in.person.date_of_birth = *parse_date(dob);
            in.person.official_language = Lang::fr;
            in.person.phone = "+1 613-555-0142";
            d::FamilyMember m;
            m.given_name = "Camille";
            m.family_name = "Fhirtest-Démo";
            m.relationship = d::FamilyRelationship::parent;
            m.is_substitute_decision_maker = true;
            m.phone = "+1 613-555-0143";
            in.family.push_back(m);
            in.confirmed_distinct = true;  // the children share a family name
            auto r = people.register_person(in);
            EXPECT_TRUE(r && r->person_id) << given;
            if (!r || !r->person_id) return 0;
            const auto id = r->person_id;
            EXPECT_TRUE(people.add_to_team(id, health_.user_id, health_org_, d::TeamKind::team_member)) << given;
            if (!consent) return id;
            d::ConsentDirective c;
            c.organisations = {health_org_};
            for (auto cat : d::consentable_categories()) c.categories.insert(cat);
            c.purposes = {d::Purpose::coordination, d::Purpose::referral};
            c.given_by_name = "Camille Fhirtest-Démo";
            c.given_at = clock_.now() - std::chrono::hours(1);
            EXPECT_TRUE(people.record_directive(id, c)) << given;
            return id;
        };
        aaron_ = add_file("Aaron", "2015-02-03", false);
        zoe_ = add_file("Zoé", "2014-05-06");
        liam_ = add_file("Liam", "2016-07-08");
        maya_ = add_file("Maya", "2012-01-02");
        d::LockboxEntry l;
        l.organisation_id = health_org_;
        l.category = d::Category::identity_contact;
        EXPECT_TRUE(people.add_lockbox(maya_, l));
        tx->commit();
        ASSERT_NE(aaron_, 0);
        ASSERT_NE(zoe_, 0);
        ASSERT_NE(maya_, 0);
    }

    // The token endpoint, with the credentials in the body.
    Reply ask_token(const std::string& form, const std::string& lang = "en", std::map<std::string, std::string> headers = {}) {
        Client c(port_);
        c.accept_language = lang;
        return c.post("/oauth/token", form, std::move(headers));
    }
    static std::string credentials(const ApiClient& a) {
        return "grant_type=client_credentials&client_id=" + enc(a.client_id) + "&client_secret=" + enc(a.secret);
    }
    std::string token_for(const ApiClient& a, const std::string& scope = "") {
        auto r = ask_token(credentials(a) + (scope.empty() ? "" : "&scope=" + enc(scope)));
        EXPECT_EQ(r.status, 200) << r.body;
        return parsed(r).value("access_token", "");
    }
    Reply call(const std::string& target, const std::string& token, const std::string& lang = "en",
               const std::string& method = "GET") {
        Client c(port_);
        c.accept_language = lang;
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return c.send(method, target, "", headers);
    }
    // A FHIR answer with its status and content type checked.
    json fhir(const std::string& target, const std::string& token, int status = 200, const std::string& lang = "en") {
        auto r = call(target, token, lang);
        EXPECT_EQ(r.status, status) << target << "\n" << r.body.substr(0, 2000);
        EXPECT_EQ(r.header("content-type"), "application/fhir+json; charset=utf-8") << target;
        return parsed(r);
    }
    // An OperationOutcome's first issue code, after checking it is one.
    static std::string issue_code(const json& o) {
        EXPECT_EQ(o.value("resourceType", ""), "OperationOutcome") << o.dump();
        if (!o.contains("issue") || o["issue"].empty()) return "";
        EXPECT_EQ(o["issue"][0].value("severity", ""), "error");
        return o["issue"][0].value("code", "");
    }
    std::string t(Lang lang, const std::string& key, const std::vector<std::string>& args = {}) {
        return app_->catalogue().t(lang, key, args);
    }
    std::int64_t member_of(std::int64_t person) { return scalar("SELECT id FROM family_members WHERE person_id = ?", {person}); }
    static std::string path_of(const std::string& url) {
        const std::string base = "http://127.0.0.1";
        EXPECT_EQ(url.rfind(base + "/fhir/", 0), 0u) << url;
        return url.substr(base.size());
    }

    d::Principal admin_;
    ApiClient health_, other_;
    std::int64_t agency_ = 0, health_org_ = 0, other_org_ = 0;
    std::int64_t aaron_ = 0, zoe_ = 0, liam_ = 0, maya_ = 0;
};

// ---------------------------------------------------------------- the token endpoint

TEST_F(FhirWeb, TheTokenEndpointIssuesTokensByClientCredentials) {
    // In the body (client_secret_post).
    auto r = ask_token(credentials(health_));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("cache-control"), "no-store");
    EXPECT_EQ(r.header("pragma"), "no-cache");
    auto j = parsed(r);
    EXPECT_FALSE(j.value("access_token", "").empty());
    EXPECT_EQ(j.value("token_type", ""), "Bearer");
    EXPECT_EQ(j.value("expires_in", 0), d::api_token_minutes * 60);
    EXPECT_EQ(j.value("scope", ""), d::format_fhir_scopes(*d::parse_fhir_scopes(all_scopes)));
    EXPECT_EQ(fhir("/fhir/Patient/" + std::to_string(zoe_), j["access_token"].get<std::string>())["id"], std::to_string(zoe_));

    // HTTP Basic (client_secret_basic), each part form-urlencoded first.
    r = ask_token("grant_type=client_credentials", "en",
                  {{"Authorization", "Basic " + base64(enc(health_.client_id) + ":" + enc(health_.secret))}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(parsed(r).value("access_token", ""), j.value("access_token", ""));
    // Both ways at once, or two different client ids: refused.
    r = ask_token(credentials(health_), "en",
                  {{"Authorization", "Basic " + base64(enc(health_.client_id) + ":" + enc(health_.secret))}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r).value("error", ""), "invalid_request");
    r = ask_token("grant_type=client_credentials&client_id=" + enc(other_.client_id), "en",
                  {{"Authorization", "Basic " + base64(enc(health_.client_id) + ":" + enc(health_.secret))}});
    EXPECT_EQ(r.status, 400);
    r = ask_token("grant_type=client_credentials", "en", {{"Authorization", "Basic not base64!"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r).value("error", ""), "invalid_request");

    // A wrong secret and an unknown client are the same invalid_client, in the client's
    // language; without a Basic challenge when the secret came in the body (RFC 6749 section
    // 5.2 asks for one only when the client used Basic).
    for (const auto& form : {"grant_type=client_credentials&client_id=" + enc(health_.client_id) + "&client_secret=wrong",
                             "grant_type=client_credentials&client_id=arr-nobody&client_secret=" + enc(health_.secret)}) {
        r = ask_token(form, "fr");
        EXPECT_EQ(r.status, 401) << form;
        EXPECT_EQ(r.header("www-authenticate"), "") << form;
        EXPECT_EQ(r.header("cache-control"), "no-store");
        j = parsed(r);
        EXPECT_EQ(j.value("error", ""), "invalid_client");
        EXPECT_EQ(j.value("error_description", ""), t(Lang::fr, "fhir.token.invalid_client"));
    }
    // With Basic: the challenge.
    for (const std::string& pair : {enc(health_.client_id) + ":wrong", std::string("arr-nobody:") + enc(health_.secret)}) {
        r = ask_token("grant_type=client_credentials", "en", {{"Authorization", "Basic " + base64(pair)}});
        EXPECT_EQ(r.status, 401) << pair;
        EXPECT_EQ(r.header("www-authenticate").rfind("Basic", 0), 0u) << pair;
        EXPECT_EQ(parsed(r).value("error", ""), "invalid_client");
    }
    // Four failures are this address's allowance (configure): let the window pass.
    clock_.advance(std::chrono::minutes(16));
    // No secret at all.
    r = ask_token("grant_type=client_credentials&client_id=" + enc(health_.client_id));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("www-authenticate"), "");
    // The form's media type in any case (RFC 9110 section 8.3.1).
    r = ask_token(credentials(health_), "en", {{"Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"}});
    EXPECT_EQ(r.status, 200) << r.body;

    // Grant types.
    r = ask_token("grant_type=password&username=a&password=b");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r).value("error", ""), "unsupported_grant_type");
    r = ask_token("client_id=" + enc(health_.client_id) + "&client_secret=" + enc(health_.secret));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r).value("error", ""), "invalid_request");
    r = ask_token(credentials(health_) + "&grant_type=client_credentials");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r).value("error", ""), "invalid_request");
    // Not a form.
    {
        Client c(port_);
        auto raw =
            c.send("POST", "/oauth/token", R"({"grant_type":"client_credentials"})", {{"Content-Type", "application/json"}});
        EXPECT_EQ(raw.status, 400);
        EXPECT_EQ(parsed(raw).value("error", ""), "invalid_request");
    }
}

TEST_F(FhirWeb, ScopesAreNarrowedToTheClientsOrRefused) {
    auto r = ask_token(credentials(health_) + "&scope=" + enc("system/Patient.r"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parsed(r).value("scope", ""), "system/Patient.r");
    // Letters the client was not given are dropped (it has rs, not cud).
    r = ask_token(credentials(health_) + "&scope=" + enc("system/Patient.cruds"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(parsed(r).value("scope", ""), "system/Patient.rs");
    // Malformed, or of a context a client without a user is not offered.
    for (const std::string scope : {"patient/Patient.rs", "system/Patient.sr", "nonsense"}) {
        r = ask_token(credentials(health_) + "&scope=" + enc(scope), "fr");
        EXPECT_EQ(r.status, 400) << scope;
        auto j = parsed(r);
        EXPECT_EQ(j.value("error", ""), "invalid_scope") << scope;
        EXPECT_EQ(j.value("error_description", ""), t(Lang::fr, "fhir.token.invalid_scope"));
    }
}

TEST_F(FhirWeb, ABrowsersTokenRequestIsRefusedWithoutCountingAFailure) {
    const auto failures = [&] { return scalar("SELECT COUNT(*) FROM login_failures WHERE key LIKE 'oauth-token %'"); };
    const auto before = failures();
    const std::string wrong = "grant_type=client_credentials&client_id=" + enc(health_.client_id) + "&client_secret=wrong";
    // More than the allowance of failures (4), each with a header only browsers send: refused
    // before any secret is looked at, so none is counted.
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{{"Origin", "https://elsewhere.example"},
                                                                                      {"Cookie", "a=b"},
                                                                                      {"Sec-Fetch-Site", "cross-site"},
                                                                                      {"Origin", "null"},
                                                                                      {"Sec-Fetch-Site", "same-origin"},
                                                                                      {"Origin", "http://127.0.0.1"}}) {
        for (const auto& form : {wrong, credentials(health_)}) {
            auto r = ask_token(form, "fr", {{name, value}});
            EXPECT_EQ(r.status, 400) << name;
            EXPECT_EQ(r.header("www-authenticate"), "");
            EXPECT_EQ(r.header("cache-control"), "no-store");
            const auto j = parsed(r);
            EXPECT_EQ(j.value("error", ""), "invalid_request") << name;
            EXPECT_EQ(j.value("error_description", ""), t(Lang::fr, "fhir.token.browser"));
            EXPECT_FALSE(j.contains("access_token"));
        }
    }
    EXPECT_EQ(failures(), before);
    // The same client from its server: a token (nothing was used up).
    EXPECT_EQ(ask_token(credentials(health_)).status, 200);
}

TEST_F(FhirWeb, FailedClientAuthenticationsAreThrottledPerAddress) {
    const std::string wrong = "grant_type=client_credentials&client_id=" + enc(health_.client_id) + "&client_secret=wrong";
    for (int i = 0; i < 4; ++i) EXPECT_EQ(ask_token(wrong).status, 401) << i;
    // From now on, even the right secret waits for the window to pass.
    auto r = ask_token(credentials(health_));
    EXPECT_EQ(r.status, 429);
    EXPECT_EQ(parsed(r).value("error_description", ""), t(Lang::en, "fhir.token.throttled", {"15"}));
    EXPECT_FALSE(r.header("retry-after").empty());
    // Sign-in from the same address is counted apart (sign_in expects it to succeed).
    sign_in(agency_coordinator);
    clock_.advance(std::chrono::minutes(16));
    EXPECT_EQ(ask_token(credentials(health_)).status, 200);
}

// ---------------------------------------------------------------- 401

TEST_F(FhirWeb, CallsWithoutAValidTokenAreRefusedWithAnOperationOutcome) {
    auto expect_401 = [&](const std::string& token, const std::string& lang = "en") {
        auto r = call("/fhir/Patient", token, lang);
        EXPECT_EQ(r.status, 401) << token << "\n" << r.body;
        EXPECT_EQ(r.header("content-type"), "application/fhir+json; charset=utf-8");
        EXPECT_EQ(r.header("www-authenticate").rfind("Bearer", 0), 0u);
        const auto o = parsed(r);
        EXPECT_EQ(issue_code(o), "login");
        return o;
    };
    auto o = expect_401("", "fr");
    EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::fr, "fhir.error.login"));
    expect_401("not-a-token-anyone-was-given");
    // Cookies are no credential here: a signed-in coordinator's browser gets the same 401.
    {
        Client browser = sign_in(agency_coordinator);
        EXPECT_EQ(browser.get("/fhir/Patient").status, 401);
    }

    // Expiry: the token works until its hour is up.
    const auto other_token = token_for(other_);
    fhir("/fhir/Organization", other_token);
    clock_.advance(std::chrono::minutes(d::api_token_minutes) + std::chrono::seconds(1));
    expect_401(other_token);

    // Revocation: at once.
    const auto token = token_for(health_);
    fhir("/fhir/Patient", token);
    {
        auto tx = t_->db->begin(store::TxMode::write);
        ASSERT_TRUE(store::ApiClientRepo(*tx, clock_, random_, PasswordHashCost::minimum()).revoke(admin_, health_.id));
        tx->commit();
    }
    expect_401(token);
    EXPECT_EQ(ask_token(credentials(health_)).status, 401);
}

// ---------------------------------------------------------------- metadata

TEST_F(FhirWeb, TheCapabilityStatementSaysWhatTheServerDoes) {
    const auto cs = fhir("/fhir/metadata", "");
    EXPECT_EQ(cs.value("resourceType", ""), "CapabilityStatement");
    EXPECT_EQ(cs.value("status", ""), "active");
    EXPECT_EQ(cs.value("kind", ""), "instance");
    EXPECT_EQ(cs.value("fhirVersion", ""), "4.0.1");
    EXPECT_EQ(cs["format"], json::array({"json"}));
    EXPECT_EQ(cs["software"].value("name", ""), "Arrimage");
    EXPECT_EQ(cs["implementation"].value("url", ""), "http://127.0.0.1/fhir");
    ASSERT_EQ(cs["rest"].size(), 1u);
    const auto& rest = cs["rest"][0];
    EXPECT_EQ(rest.value("mode", ""), "server");
    EXPECT_EQ(rest["security"]["service"][0]["coding"][0].value("code", ""), "SMART-on-FHIR");
    // No oauth-uris extension (it requires an authorize URL, and client credentials have none):
    // the description names the SMART configuration and the token endpoint.
    EXPECT_FALSE(rest["security"].contains("extension"));
    EXPECT_EQ(rest["security"].value("description", ""),
              t(Lang::en, "fhir.capability.security",
                {"http://127.0.0.1/fhir/.well-known/smart-configuration", "http://127.0.0.1/oauth/token"}));
    EXPECT_NE(rest["security"].value("description", "").find("http://127.0.0.1/oauth/token"), std::string::npos);
    EXPECT_EQ(rest.value("documentation", ""), t(Lang::en, "fhir.capability.rest"));
    // A release's date, not the time of the request.
    const std::string date = cs.value("date", "");
    EXPECT_TRUE(parse_date(date)) << date;
    clock_.advance(std::chrono::hours(24 * 40));
    EXPECT_EQ(fhir("/fhir/metadata", "").value("date", ""), date);

    // Exactly the types served, each with read and search-type and the parameters its search
    // takes (each one accepted by the server, every other refused).
    std::vector<std::string> types;
    for (const auto& r : rest["resource"]) {
        const std::string type = r.value("type", "");
        types.push_back(type);
        std::set<std::string> interactions;
        for (const auto& i : r["interaction"]) interactions.insert(i.value("code", ""));
        EXPECT_EQ(interactions, (std::set<std::string>{"read", "search-type"})) << type;
        std::set<std::string> params;
        for (const auto& p : r["searchParam"]) {
            params.insert(p.value("name", ""));
            EXPECT_FALSE(p.value("documentation", "").empty());
            if (p.value("name", "") == "name") {
                EXPECT_EQ(p.value("documentation", ""),
                          t(Lang::en, type == "Patient"         ? "fhir.capability.param.name_patient"
                                      : type == "RelatedPerson" ? "fhir.capability.param.name_related_person"
                                                                : "fhir.capability.param.name_directory"))
                    << type;
            }
        }
        if (type == "RelatedPerson") {
            EXPECT_EQ(r.value("documentation", ""), t(Lang::en, "fhir.capability.related_person"));
        }
        EXPECT_TRUE(params.contains("_id")) << type;
        EXPECT_TRUE(params.contains("name")) << type;
        EXPECT_EQ(params.contains("birthdate"), type == "Patient") << type;
        EXPECT_EQ(params.contains("_lastUpdated"), type != "Patient") << type;
        EXPECT_EQ(params.contains("patient"), type == "RelatedPerson") << type;
        EXPECT_EQ(params.contains("organization"), type == "Location" || type == "HealthcareService") << type;
    }
    EXPECT_EQ(types, d::fhir_resource_types());

    // In French on request.
    const auto fr = fhir("/fhir/metadata", "", 200, "fr");
    EXPECT_EQ(fr.value("description", ""), t(Lang::fr, "fhir.capability.description"));
    // JSON only.
    EXPECT_EQ(issue_code(fhir("/fhir/metadata?_format=xml", "", 406)), "not-supported");
    {
        Client c(port_);
        EXPECT_EQ(c.get("/fhir/metadata", {{"Accept", "application/fhir+xml"}}).status, 406);
        EXPECT_EQ(c.get("/fhir/metadata", {{"Accept", "application/fhir+json"}}).status, 200);
        EXPECT_EQ(c.get("/fhir/metadata?_format=" + enc("application/fhir+json")).status, 200);
    }

    // SMART discovery, at the FHIR base and at the root.
    for (const std::string path : {"/fhir/.well-known/smart-configuration", "/.well-known/smart-configuration"}) {
        Client c(port_);
        auto r = c.get(path);
        ASSERT_EQ(r.status, 200) << path;
        const auto smart = parsed(r);
        EXPECT_EQ(smart.value("token_endpoint", ""), "http://127.0.0.1/oauth/token");
        EXPECT_EQ(smart["grant_types_supported"], json::array({"client_credentials"}));
        EXPECT_EQ(smart["token_endpoint_auth_methods_supported"], json::array({"client_secret_basic", "client_secret_post"}));
        EXPECT_EQ(smart["capabilities"], json::array({"client-confidential-symmetric", "permission-v2", "permission-v1"}));
        EXPECT_FALSE(smart["scopes_supported"].empty());
    }
}

// ---------------------------------------------------------------- Patient and RelatedPerson

TEST_F(FhirWeb, AClientOnTheFileTeamReadsItsPatientsAndTheReadIsAudited) {
    const auto token = token_for(health_);
    const auto before = scalar(
        "SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND action = 'read' "
        "AND category = 'identity_contact'",
        {health_.user_id, zoe_});
    const auto other_before =
        scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND category <> 'identity_contact'",
               {health_.user_id, zoe_});
    const auto p = fhir("/fhir/Patient/" + std::to_string(zoe_), token);
    EXPECT_EQ(p.value("resourceType", ""), "Patient");
    EXPECT_EQ(p.value("id", ""), std::to_string(zoe_));
    EXPECT_EQ(p["name"][0].value("family", ""), "Fhirtest-Démo");
    EXPECT_EQ(p.value("birthDate", ""), "2014-05-06");
    EXPECT_EQ(p["identifier"][0].value("system", ""), web::fhir::sid_person);
    EXPECT_EQ(p["identifier"][0].value("value", ""), std::to_string(zoe_));
    EXPECT_EQ(p["managingOrganization"].value("reference", ""), "Organization/" + std::to_string(agency_));
    EXPECT_FALSE(redacted(p));
    // The access is on record under the client's service account, before the answer left.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND action = 'read' "
                     "AND category = 'identity_contact' AND decision = 'permit' AND organisation_id = ?",
                     {health_.user_id, zoe_, health_org_}),
              before + 1);
    // Only the identity was decided: nothing else of the file (its education) was read.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND category <> 'identity_contact'",
                     {health_.user_id, zoe_}),
              other_before);

    // A file of its team whose family has not consented: refused (it stands to the file, so the
    // refusal says so), and the refusal is on record too.
    auto refused = fhir("/fhir/Patient/" + std::to_string(aaron_), token, 403, "fr");
    EXPECT_EQ(issue_code(refused), "forbidden");
    EXPECT_EQ(refused["issue"][0].value("diagnostics", ""),
              t(Lang::fr, "fhir.error.forbidden", {"Patient", std::to_string(aaron_)}));
    EXPECT_EQ(refused.dump().find("Aaron"), std::string::npos);
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND decision = 'deny'",
                     {health_.user_id, aaron_}),
              1);
    EXPECT_EQ(issue_code(fhir("/fhir/RelatedPerson/" + std::to_string(member_of(aaron_)), token, 404)), "not-found");

    // Its family member, by id and by patient.
    const auto member = member_of(zoe_);
    const auto rp = fhir("/fhir/RelatedPerson/" + std::to_string(member), token);
    EXPECT_EQ(rp.value("resourceType", ""), "RelatedPerson");
    EXPECT_EQ(rp["patient"].value("reference", ""), "Patient/" + std::to_string(zoe_));
    auto b = fhir("/fhir/RelatedPerson?patient=" + std::to_string(zoe_), token);
    EXPECT_EQ(b.value("total", -1), 1);
    EXPECT_EQ(ids_of(b), std::vector<std::string>{std::to_string(member)});
    b = fhir("/fhir/RelatedPerson?patient=Patient/" + std::to_string(zoe_) + "&name=camille", token);
    EXPECT_EQ(b.value("total", -1), 1);
    b = fhir("/fhir/RelatedPerson?_id=" + std::to_string(member), token);
    EXPECT_EQ(b.value("total", -1), 1);
    EXPECT_EQ(fhir("/fhir/RelatedPerson?patient=" + std::to_string(zoe_) + "&name=nobody", token).value("total", -1), 0);
    // Names: the start of a word (accents and case ignored), any part with name:contains.
    const std::string zoe_ref = "patient=" + std::to_string(zoe_);
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&name=CAM", token).value("total", -1), 1);
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&name=" + enc("démo"), token).value("total", -1), 1);
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&name=amille", token).value("total", -1), 0) << "inside a word";
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&name:contains=amille", token).value("total", -1), 1);
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&name:contains=" + enc("TEST-DEMO"), token).value("total", -1), 1);
    // _lastUpdated from long ago: all of them.
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&_lastUpdated=ge2000-01-01", token).value("total", -1), 1);
    EXPECT_EQ(fhir("/fhir/RelatedPerson?" + zoe_ref + "&_lastUpdated=ge2999-01-01", token).value("total", -1), 0);
    // The patient written absolute, on this server's base.
    EXPECT_EQ(ids_of(fhir("/fhir/RelatedPerson?patient=" + enc("http://127.0.0.1/fhir/Patient/" + std::to_string(zoe_)), token)),
              std::vector<std::string>{std::to_string(member)});
    EXPECT_EQ(
        issue_code(fhir("/fhir/RelatedPerson?patient=" + enc("https://elsewhere.example/fhir/Patient/" + std::to_string(zoe_)),
                        token, 400)),
        "invalid");
    // Ids that are none of ours find nothing, as their reads find nothing.
    for (const std::string q : {"patient=Patient/abc", "patient=abc", "_id=abc", "patient=0", "_id=-4"}) {
        b = fhir("/fhir/RelatedPerson?" + q, token);
        EXPECT_EQ(b.value("total", -1), 0) << q;
        EXPECT_FALSE(b.contains("entry")) << q;
    }
    // Family members are searched one patient at a time.
    EXPECT_EQ(issue_code(fhir("/fhir/RelatedPerson?name=camille", token, 400)), "invalid");

    // Searches: every file of its team, and only those (no demo child), by name, birth date,
    // identifier and id.
    // A Patient search gives no total.
    b = fhir("/fhir/Patient", token);
    EXPECT_EQ(b.value("resourceType", ""), "Bundle");
    EXPECT_EQ(b.value("type", ""), "searchset");
    EXPECT_FALSE(b.contains("total")) << b.dump();
    const auto all = ids_of(b);
    EXPECT_EQ(all.size(), 3u);
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()),
              (std::set<std::string>{std::to_string(zoe_), std::to_string(liam_), std::to_string(maya_)}));
    b = fhir("/fhir/Patient?name=fhirtest", token);  // Maya's identity is withheld: not found by name
    EXPECT_EQ(ids_of(b).size(), 2u);
    EXPECT_FALSE(b.contains("total"));
    b = fhir("/fhir/Patient?name=ZOE", token);
    EXPECT_EQ(ids_of(b), std::vector<std::string>{std::to_string(zoe_)});
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?birthdate=2016-07-08", token)), std::vector<std::string>{std::to_string(liam_)});
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?birthdate=ge2014-01-01", token)).size(), 2u);
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?birthdate=le2015-01-01", token)), std::vector<std::string>{std::to_string(zoe_)});
    EXPECT_EQ(
        ids_of(fhir("/fhir/Patient?identifier=" + enc(std::string(web::fhir::sid_person) + "|" + std::to_string(liam_)), token)),
        std::vector<std::string>{std::to_string(liam_)});
    EXPECT_TRUE(ids_of(fhir("/fhir/Patient?identifier=" + enc("urn:other|" + std::to_string(liam_)), token)).empty());
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?_id=" + std::to_string(liam_), token)), std::vector<std::string>{std::to_string(liam_)});
    // system|: any identifier of that system; |value: no system, which none of ours lacks.
    const auto of_system = ids_of(fhir("/fhir/Patient?identifier=" + enc(std::string(web::fhir::sid_person) + "|"), token));
    EXPECT_EQ(std::set<std::string>(of_system.begin(), of_system.end()),
              (std::set<std::string>{std::to_string(zoe_), std::to_string(liam_), std::to_string(maya_)}));
    EXPECT_TRUE(ids_of(fhir("/fhir/Patient?identifier=" + enc("urn:other|"), token)).empty());
    EXPECT_TRUE(ids_of(fhir("/fhir/Patient?identifier=" + enc("|" + std::to_string(liam_)), token)).empty());
    EXPECT_TRUE(ids_of(fhir("/fhir/Organization?identifier=" + enc("|" + std::to_string(health_org_)), token)).empty());
    // An _id that is none of ours finds nothing, as /Patient/abc does.
    for (const std::string id : {"abc", "0", "-1", "1.5"}) {
        b = fhir("/fhir/Patient?_id=" + id, token);
        EXPECT_FALSE(b.contains("entry")) << id;
        EXPECT_FALSE(b.contains("total")) << id;
        EXPECT_EQ(fhir("/fhir/Organization?_id=" + id, token).value("total", -1), 0) << id;
    }
}

TEST_F(FhirWeb, AnIdentityTheFamilyWithholdsIsRedacted) {
    const auto token = token_for(health_);
    const auto p = fhir("/fhir/Patient/" + std::to_string(maya_), token);
    EXPECT_EQ(p.value("id", ""), std::to_string(maya_));
    EXPECT_TRUE(redacted(p)) << p.dump();
    EXPECT_FALSE(p.contains("name"));
    EXPECT_FALSE(p.contains("birthDate"));
    EXPECT_EQ(p.dump().find("Maya"), std::string::npos);
    // In searches too, and never found by what is withheld.
    const auto b = fhir("/fhir/Patient?_count=100", token);
    std::optional<json> listed;
    for (const auto& e : b.value("entry", json::array()))
        if (e["resource"].value("id", "") == std::to_string(maya_)) listed = e["resource"];
    ASSERT_TRUE(listed) << "the child is listed, its identity withheld: " << b.dump();
    EXPECT_TRUE(redacted(*listed));
    EXPECT_FALSE(listed->contains("name"));
    EXPECT_FALSE(listed->contains("birthDate"));
    EXPECT_EQ(b.dump().find("Maya"), std::string::npos);
    EXPECT_TRUE(ids_of(fhir("/fhir/Patient?name=maya", token)).empty());
    EXPECT_TRUE(ids_of(fhir("/fhir/Patient?birthdate=2012-01-02", token)).empty());
    // Its family members are part of the identity withheld.
    EXPECT_EQ(fhir("/fhir/RelatedPerson?patient=" + std::to_string(maya_), token).value("total", -1), 0);
    EXPECT_EQ(issue_code(fhir("/fhir/RelatedPerson/" + std::to_string(member_of(maya_)), token, 404)), "not-found");
}

TEST_F(FhirWeb, AClientOfAnotherOrganisationNeverSeesThesePatients) {
    const auto token = token_for(other_);
    const std::vector<std::int64_t> files = {aaron_, zoe_, liam_, maya_};
    for (const auto id : files) {
        const auto o = fhir("/fhir/Patient/" + std::to_string(id), token, 404);
        EXPECT_EQ(issue_code(o), "not-found");
        EXPECT_EQ(o.dump().find("Fhirtest"), std::string::npos);
        EXPECT_EQ(issue_code(fhir("/fhir/RelatedPerson/" + std::to_string(member_of(id)), token, 404)), "not-found");
        for (const std::string& q :
             {"/fhir/Patient?_id=" + std::to_string(id), "/fhir/Patient?identifier=" + std::to_string(id),
              "/fhir/Patient?identifier=" + enc(std::string(web::fhir::sid_person) + "|" + std::to_string(id)),
              "/fhir/RelatedPerson?patient=" + std::to_string(id), "/fhir/RelatedPerson?_id=" + std::to_string(member_of(id))}) {
            const auto b = fhir(q, token);
            // No total for Patient; 0 for RelatedPerson.
            EXPECT_EQ(b.value("total", -1), q.starts_with("/fhir/Patient") ? -1 : 0) << q;
            EXPECT_FALSE(b.contains("entry")) << q;
        }
    }
    for (const std::string q : {"/fhir/Patient", "/fhir/Patient?name=fhirtest", "/fhir/Patient?name=zoe",
                                "/fhir/Patient?birthdate=2014-05-06", "/fhir/Patient?birthdate=ge1900-01-01&_count=100"}) {
        const auto b = fhir(q, token);
        EXPECT_FALSE(b.contains("entry")) << q;
        EXPECT_FALSE(b.contains("total")) << q;
        EXPECT_TRUE(link_of(b, "next").empty()) << q;
        EXPECT_EQ(b.dump().find("Fhirtest"), std::string::npos) << q;
    }
    // Nothing to include from anywhere: the parameter itself is refused.
    const auto o = fhir("/fhir/Patient?_include=" + enc("Patient:organization"), token, 400);
    EXPECT_EQ(issue_code(o), "invalid");
    EXPECT_EQ(o.dump().find("Fhirtest"), std::string::npos);
    // The first client sees its three (the withheld one only in lists, not searched by birth date).
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?_count=100", token_for(health_))).size(), 3u);
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?birthdate=ge1900-01-01&_count=100", token_for(health_))).size(), 2u);
}

// ---------------------------------------------------------------- scopes, types, parameters

TEST_F(FhirWeb, TheTokensScopesLimitWhatItMayDo) {
    const auto directory_only = token_for(health_, "system/Organization.rs");
    auto o = fhir("/fhir/Patient/" + std::to_string(zoe_), directory_only, 403, "fr");
    EXPECT_EQ(issue_code(o), "forbidden");
    EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::fr, "fhir.error.scope_read", {"Patient"}));
    EXPECT_EQ(issue_code(fhir("/fhir/Patient", directory_only, 403)), "forbidden");
    fhir("/fhir/Organization", directory_only);
    const auto read_only = token_for(health_, "system/Patient.r");
    fhir("/fhir/Patient/" + std::to_string(zoe_), read_only);
    EXPECT_EQ(issue_code(fhir("/fhir/Patient?name=zoe", read_only, 403)), "forbidden");
    // RFC 6750 section 3.1: the scope that was needed.
    const auto challenge = [&](const std::string& target, const std::string& token) {
        const auto r = call(target, token);
        EXPECT_EQ(r.status, 403) << target;
        return r.header("www-authenticate");
    };
    EXPECT_EQ(challenge("/fhir/Patient?name=zoe", read_only),
              "Bearer realm=\"arrimage\", error=\"insufficient_scope\", scope=\"system/Patient.s\"");
    EXPECT_EQ(challenge("/fhir/Patient/" + std::to_string(zoe_), directory_only),
              "Bearer realm=\"arrimage\", error=\"insufficient_scope\", scope=\"system/Patient.r\"");
    // RelatedPerson has scopes of its own: Patient's do not open it.
    const auto member = std::to_string(member_of(zoe_));
    const auto patients = token_for(health_, "system/Patient.rs");
    o = fhir("/fhir/RelatedPerson/" + member, patients, 403, "fr");
    EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::fr, "fhir.error.scope_read", {"RelatedPerson"}));
    EXPECT_EQ(challenge("/fhir/RelatedPerson/" + member, patients),
              "Bearer realm=\"arrimage\", error=\"insufficient_scope\", scope=\"system/RelatedPerson.r\"");
    EXPECT_EQ(issue_code(fhir("/fhir/RelatedPerson?patient=" + std::to_string(zoe_), patients, 403)), "forbidden");
    const auto related_read = token_for(health_, "system/RelatedPerson.r");
    fhir("/fhir/RelatedPerson/" + member, related_read);
    EXPECT_EQ(challenge("/fhir/RelatedPerson?patient=" + std::to_string(zoe_), related_read),
              "Bearer realm=\"arrimage\", error=\"insufficient_scope\", scope=\"system/RelatedPerson.s\"");
}

TEST_F(FhirWeb, UnknownTypesAndBadParametersAreOperationOutcomes) {
    const auto token = token_for(health_);
    EXPECT_EQ(issue_code(fhir("/fhir/Observation", token, 404)), "not-supported");
    EXPECT_EQ(issue_code(fhir("/fhir/Observation/1", token, 404)), "not-supported");
    EXPECT_EQ(issue_code(fhir("/fhir/Patient/abc", token, 404)), "not-found");
    EXPECT_EQ(issue_code(fhir("/fhir/Patient/999999999", token, 404)), "not-found");
    EXPECT_EQ(issue_code(fhir("/fhir/Organization/999999999", token, 404)), "not-found");

    // Each problem is its own issue, naming its parameter, in the client's language.
    const std::vector<std::pair<std::string, std::string>> asked = {{"foo", "1"}, {"_count", "abc"}};
    auto o = fhir("/fhir/Patient?foo=1&_count=abc", token, 400, "fr");
    EXPECT_EQ(issue_code(o), "invalid");
    const auto expected = d::parse_fhir_search("Patient", asked).second;
    ASSERT_EQ(o["issue"].size(), expected.size());
    ASSERT_EQ(expected.size(), 2u);
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(o["issue"][i].value("diagnostics", ""), t(Lang::fr, expected[i].message_key, expected[i].args));
        EXPECT_EQ(o["issue"][i]["location"][0], "http." + expected[i].parameter);
    }
    EXPECT_NE(o["issue"][0].value("diagnostics", ""),
              t(Lang::en, expected[0].message_key, expected[0].args));  // French, not English
    o = fhir("/fhir/Patient?name=a&name=b", token, 400);
    EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::en, "fhir.search.duplicate", {"name"}));
    EXPECT_EQ(issue_code(fhir("/fhir/Patient?birthdate=tomorrow", token, 400)), "invalid");
    EXPECT_EQ(issue_code(fhir("/fhir/Patient?_lastUpdated=ge2020-01-01", token, 400)), "invalid");
    // More than 50 parameters: one issue for the whole search; many bad ones: at most 20 issues.
    std::string many;
    for (int i = 0; i < 51; ++i) many += "&_id=" + std::to_string(i + 1);
    o = fhir("/fhir/Organization?" + many.substr(1), token, 400);
    ASSERT_EQ(o["issue"].size(), 1u);
    EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::en, "fhir.search.too_many", {"50"}));
    std::string unknown;
    for (int i = 0; i < 40; ++i) unknown += "&p" + std::to_string(i) + "=1";
    o = fhir("/fhir/Organization?" + unknown.substr(1), token, 400);
    EXPECT_EQ(o["issue"].size(), 20u);
    // JSON only: _format and Accept.
    EXPECT_EQ(issue_code(fhir("/fhir/Patient?_format=xml", token, 406)), "not-supported");
    fhir("/fhir/Patient?_format=json", token);
    fhir("/fhir/Patient?_format=" + enc("application/fhir+json"), token);
    fhir("/fhir/Organization?_format=" + enc("application/fhir+json") + "&_count=1", token);
    {
        Client c(port_);
        const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + token}};
        auto with = [&](const std::string& accept) {
            auto h = auth;
            h["Accept"] = accept;
            return c.get("/fhir/Organization?_count=1", h);
        };
        auto r = with("application/fhir+xml");
        EXPECT_EQ(r.status, 406);
        EXPECT_EQ(issue_code(parsed(r)), "not-supported");
        EXPECT_EQ(with("application/xml, text/html").status, 406);
        EXPECT_EQ(with("application/fhir+json").status, 200);
        EXPECT_EQ(with("application/fhir+xml;q=0.9, application/json;q=0.5").status, 200);
        EXPECT_EQ(with("*/*").status, 200);
    }
}

TEST_F(FhirWeb, SearchesArePagedWithLinks) {
    const auto token = token_for(health_);
    // Three files listed of the four on its team (the policy refuses the first in order). No
    // total: a next link while the page is full, so the walk ends on an empty page, and the
    // pages hold each file once.
    auto b = fhir("/fhir/Patient?_count=1", token);
    EXPECT_FALSE(b.contains("total"));
    EXPECT_EQ(b["entry"].size(), 1u);
    EXPECT_FALSE(link_of(b, "self").empty());
    EXPECT_TRUE(link_of(b, "previous").empty()) << "the first page";
    std::vector<std::string> walked = ids_of(b);
    std::vector<json> pages = {b};
    for (int guard = 0; guard < 6 && !link_of(b, "next").empty(); ++guard) {
        b = fhir(path_of(link_of(b, "next")), token);
        EXPECT_FALSE(b.contains("total"));
        for (const auto& id : ids_of(b)) walked.push_back(id);
        pages.push_back(b);
    }
    EXPECT_TRUE(link_of(b, "next").empty());
    EXPECT_TRUE(ids_of(b).empty()) << "the page after the last full one";
    EXPECT_EQ(walked.size(), 3u);
    EXPECT_EQ(std::set<std::string>(walked.begin(), walked.end()),
              (std::set<std::string>{std::to_string(zoe_), std::to_string(liam_), std::to_string(maya_)}));
    // And back: each page's previous link gives the page before it.
    ASSERT_GE(pages.size(), 3u);
    for (std::size_t i = 1; i < pages.size(); ++i) {
        const auto previous = link_of(pages[i], "previous");
        ASSERT_FALSE(previous.empty()) << i;
        EXPECT_EQ(ids_of(fhir(path_of(previous), token)), ids_of(pages[i - 1])) << i;
    }
    EXPECT_EQ(ids_of(fhir("/fhir/Patient?_count=2&_offset=2", token)).size(), 1u);
    b = fhir("/fhir/Patient?_count=2", token);
    EXPECT_FALSE(link_of(b, "next").empty()) << "a full page";
    b = fhir("/fhir/Patient?_count=3", token);
    EXPECT_FALSE(link_of(b, "next").empty()) << "a full page, though the last";
    EXPECT_TRUE(link_of(fhir("/fhir/Patient?_count=4", token), "next").empty()) << "not full";
    // The search's own parameters stay in the links.
    b = fhir("/fhir/Patient?name=fhirtest&_count=1", token);
    EXPECT_NE(link_of(b, "next").find("name=fhirtest"), std::string::npos) << link_of(b, "next");
    // A directory type keeps its total; next while there is more.
    const auto orgs = fhir("/fhir/Organization?_count=2", token);
    const int org_total = orgs.value("total", -1);
    ASSERT_GT(org_total, 2);
    const auto last = fhir("/fhir/Organization?_count=2&_offset=" + std::to_string(org_total - 2), token);
    EXPECT_EQ(last.value("total", -1), org_total);
    EXPECT_TRUE(link_of(last, "next").empty());
    EXPECT_FALSE(link_of(last, "previous").empty());

    // _count above a page: a page of 100, as the self link says.
    b = fhir("/fhir/Organization?_count=500", token);
    EXPECT_NE(link_of(b, "self").find("_count=100"), std::string::npos) << link_of(b, "self");
    EXPECT_EQ(b.value("total", -1), org_total);
    // _count=0: the total alone, without entries or links; not for Patient, which has none.
    b = fhir("/fhir/Organization?_count=0", token);
    EXPECT_EQ(b.value("total", -1), org_total);
    EXPECT_FALSE(b.contains("entry"));
    EXPECT_FALSE(b.contains("link"));
    EXPECT_EQ(fhir("/fhir/RelatedPerson?_count=0&patient=" + std::to_string(zoe_), token).value("total", -1), 1);
    const auto o = fhir("/fhir/Patient?_count=0", token, 400, "fr");
    EXPECT_EQ(issue_code(o), "invalid");
    EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::fr, "fhir.error.patient_no_total"));
}

TEST_F(FhirWeb, PostSearchTakesAFormBodyOnly) {
    const auto token = token_for(health_);
    const std::map<std::string, std::string> auth = {{"Authorization", "Bearer " + token}};
    Client c(port_);
    auto with_type = [&](const std::string& target, const std::string& body, const std::string& type) {
        auto h = auth;
        if (!type.empty()) h["Content-Type"] = type;
        return c.send("POST", target, body, h);
    };
    // POST [type]/_search is the same search as GET.
    auto r = c.post("/fhir/Patient/_search", "name=fhirtest&_count=1", auth);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(ids_of(parsed(r)).size(), 1u);
    EXPECT_FALSE(link_of(parsed(r), "next").empty());
    r = c.post("/fhir/Patient/_search", "name=fhirtest&_count=100", auth);
    EXPECT_EQ(ids_of(parsed(r)), ids_of(fhir("/fhir/Patient?name=fhirtest&_count=100", token)));
    EXPECT_EQ(ids_of(parsed(r)).size(), 2u);
    const std::string org = std::to_string(health_org_);
    r = c.post("/fhir/Organization/_search?_count=5", "_id=" + org, auth);
    EXPECT_EQ(ids_of(parsed(r)), std::vector<std::string>{org});
    // The media type in any case.
    r = with_type("/fhir/Organization/_search", "_id=" + org, "Application/X-WWW-Form-Urlencoded; Charset=UTF-8");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(ids_of(parsed(r)), std::vector<std::string>{org}) << "the body is searched, not ignored";
    // No body: the query's parameters alone.
    r = with_type("/fhir/Organization/_search?_id=" + org, "", "");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(ids_of(parsed(r)), std::vector<std::string>{org});
    // Anything but a form is refused, never searched as if nothing had been asked.
    for (const auto& [body, type] :
         std::vector<std::pair<std::string, std::string>>{{"_id=" + org, "text/plain"},
                                                          {R"({"_id":")" + org + "\"}", "application/json"},
                                                          {"_id=" + org, ""},
                                                          {"_id=" + org, "multipart/form-data; boundary=x"},
                                                          {"_id=" + org, "application/x-www-form-urlencodedx"},
                                                          {"", "application/fhir+json"},
                                                          {"_id=%ZZ", "application/x-www-form-urlencoded"},
                                                          {"_id=%FF", "application/x-www-form-urlencoded"}}) {
        r = with_type("/fhir/Organization/_search", body, type);
        EXPECT_EQ(r.status, 400) << type << " " << body;
        const auto o = parsed(r);
        EXPECT_EQ(issue_code(o), "invalid") << type;
        EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::en, "fhir.error.search_body")) << type;
        EXPECT_FALSE(o.contains("entry"));
    }
    // A parameter in both the query and the body is a parameter given twice.
    r = c.post("/fhir/Organization/_search?_id=" + org, "_id=" + org, auth);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r)["issue"][0].value("diagnostics", ""), t(Lang::en, "fhir.search.duplicate", {"_id"}));
    r = c.post("/fhir/Patient/_search?name=zoe", "name=liam", auth);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(parsed(r).dump().find("Fhirtest"), std::string::npos);
}

TEST_F(FhirWeb, ACallIsTheClientsLastUse) {
    const auto token = token_for(health_);
    const auto last_used = [&] { return scalar_text("SELECT last_used_at FROM api_clients WHERE id = ?", {health_.id}); };
    const auto issued = last_used();
    EXPECT_EQ(issued, format_iso(clock_.now())) << "the token's issue is a use";
    clock_.advance(std::chrono::minutes(5));
    fhir("/fhir/Organization?_count=1", token);
    EXPECT_EQ(last_used(), format_iso(clock_.now())) << "recorded by the call";
    EXPECT_NE(last_used(), issued);
    // Within a minute of the last use, a call is not written again.
    const auto recorded = last_used();
    clock_.advance(std::chrono::seconds(20));
    fhir("/fhir/Patient/" + std::to_string(zoe_), token);
    EXPECT_EQ(last_used(), recorded);
    // A refused call is a use too (the client did call).
    clock_.advance(std::chrono::minutes(2));
    fhir("/fhir/Patient?foo=1", token, 400);
    EXPECT_EQ(last_used(), format_iso(clock_.now()));
    // Another client's use is its own.
    EXPECT_EQ(scalar_text("SELECT COALESCE(last_used_at, '') FROM api_clients WHERE id = ?", {other_.id}), "");
}

// ---------------------------------------------------------------- the directory

TEST_F(FhirWeb, TheDirectoryIsSearchedAndRead) {
    const auto token = token_for(other_);
    auto orgs = fhir("/fhir/Organization?_count=100", token);
    ASSERT_GT(orgs.value("total", 0), 1);
    EXPECT_EQ(orgs["entry"].size(), static_cast<std::size_t>(orgs.value("total", 0)));
    for (const auto& e : orgs["entry"]) EXPECT_EQ(e["resource"].value("resourceType", ""), "Organization");
    // Accents and case ignored, in either language.
    const std::string health = std::to_string(health_org_);
    for (const std::string& q : {enc("SANTE MENTALE"), enc("youth mental"), enc("santé")}) {
        const auto ids = ids_of(fhir("/fhir/Organization?name=" + q, token));
        EXPECT_NE(std::find(ids.begin(), ids.end(), health), ids.end()) << q;
    }
    EXPECT_EQ(
        ids_of(fhir("/fhir/Organization?identifier=" + enc(std::string(web::fhir::sid_organization) + "|" + health), token)),
        std::vector<std::string>{health});
    EXPECT_EQ(ids_of(fhir("/fhir/Organization?_id=" + health, token)), std::vector<std::string>{health});
    EXPECT_EQ(fhir("/fhir/Organization/" + health, token).value("id", ""), health);
    EXPECT_EQ(fhir("/fhir/Organization?_lastUpdated=ge2999-01-01", token).value("total", -1), 0);
    EXPECT_EQ(fhir("/fhir/Organization?_lastUpdated=ge2000-01-01", token).value("total", -1), orgs.value("total", 0));
    // A name is searched by the start of its words; a part inside a word only with :contains.
    {
        const auto [start, inside] =
            word_start_and_inside({scalar_text("SELECT name_fr FROM organisations WHERE id = ?", {health_org_}),
                                   scalar_text("SELECT name_en FROM organisations WHERE id = ?", {health_org_})});
        ASSERT_FALSE(inside.empty());
        EXPECT_TRUE(contains(ids_of(fhir("/fhir/Organization?_count=100&name=" + enc(start), token)), health)) << start;
        EXPECT_FALSE(contains(ids_of(fhir("/fhir/Organization?_count=100&name=" + inside, token)), health)) << inside;
        EXPECT_TRUE(contains(ids_of(fhir("/fhir/Organization?_count=100&name:contains=" + inside, token)), health)) << inside;
        EXPECT_EQ(issue_code(fhir("/fhir/Organization?name:exact=x", token, 400)), "invalid");
    }
    // French names in French.
    const auto fr = fhir("/fhir/Organization/" + health, token, 200, "fr");
    EXPECT_EQ(fr.value("name", ""), scalar_text("SELECT name_fr FROM organisations WHERE id = ?", {health_org_}));

    // Locations and services, with their organisation.
    for (const std::string type : {"Location", "HealthcareService"}) {
        const auto all = fhir("/fhir/" + type + "?_count=100", token);
        ASSERT_GT(all.value("total", 0), 0) << type;
        const auto first = all["entry"][0]["resource"];
        EXPECT_EQ(first.value("resourceType", ""), type);
        const auto one = fhir("/fhir/" + type + "/" + first.value("id", ""), token);
        EXPECT_EQ(one.value("id", ""), first.value("id", "")) << type;
        EXPECT_EQ(one.value("name", ""), first.value("name", "")) << type;
        const std::string org_field = type == "Location" ? "managingOrganization" : "providedBy";
        const std::string org_ref = first[org_field].value("reference", "");
        ASSERT_EQ(org_ref.rfind("Organization/", 0), 0u) << type;
        const std::string org = org_ref.substr(13);
        const auto of_org = fhir("/fhir/" + type + "?_count=100&organization=" + org, token);
        EXPECT_GT(of_org.value("total", 0), 0);
        for (const auto& e : of_org["entry"]) EXPECT_EQ(e["resource"][org_field].value("reference", ""), org_ref);
        EXPECT_EQ(fhir("/fhir/" + type + "?organization=Organization/" + org, token).value("total", -1),
                  of_org.value("total", -2));
        // Paged: the pages add up to the whole.
        std::set<std::string> walked;
        const int total = all.value("total", 0);
        for (int offset = 0; offset < total; offset += 3)
            for (const auto& id : ids_of(fhir("/fhir/" + type + "?_count=3&_offset=" + std::to_string(offset), token)))
                walked.insert(id);
        EXPECT_EQ(static_cast<int>(walked.size()), total) << type;
        EXPECT_EQ(issue_code(fhir("/fhir/" + type + "/999999999", token, 404)), "not-found");
        EXPECT_EQ(fhir("/fhir/" + type + "?_lastUpdated=ge2000-01-01", token).value("total", -1), total) << type;
        EXPECT_EQ(fhir("/fhir/" + type + "?organization=Organization/abc", token).value("total", -1), 0) << type;
        EXPECT_EQ(
            fhir("/fhir/" + type + "?organization=" + enc("http://127.0.0.1/fhir/Organization/" + org), token).value("total", -1),
            of_org.value("total", -2))
            << type;
        // Names: the start of a word; inside one only with :contains.
        const auto name = first.value("name", "");
        std::vector<std::string> names = {name};
        for (const auto& alias : first.value("alias", json::array())) names.push_back(alias.get<std::string>());
        const auto [start, inside] = word_start_and_inside(names);
        if (!inside.empty()) {
            const std::string id = first.value("id", "");
            EXPECT_TRUE(contains(ids_of(fhir("/fhir/" + type + "?_count=100&name=" + enc(start), token)), id)) << start;
            EXPECT_FALSE(contains(ids_of(fhir("/fhir/" + type + "?_count=100&name=" + inside, token)), id)) << inside;
            EXPECT_TRUE(contains(ids_of(fhir("/fhir/" + type + "?_count=100&name:contains=" + inside, token)), id)) << inside;
        }
    }
}

// ---------------------------------------------------------------- writes

TEST_F(FhirWeb, WritesAreRefusedWithAnOperationOutcome) {
    const auto token = token_for(health_);
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"POST", "/fhir/Patient"},
                                                          {"PUT", "/fhir/Patient/" + std::to_string(zoe_)},
                                                          {"PATCH", "/fhir/Patient/" + std::to_string(zoe_)},
                                                          {"DELETE", "/fhir/Organization/1"},
                                                          {"POST", "/fhir"}}) {
        auto r = call(target, token, "fr", method);
        EXPECT_EQ(r.status, 405) << method << " " << target;
        EXPECT_EQ(r.header("content-type"), "application/fhir+json; charset=utf-8");
        const auto o = parsed(r);
        EXPECT_EQ(issue_code(o), "not-supported");
        EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::fr, "fhir.error.write"));
        // Without a token: the 401, still an OperationOutcome.
        r = call(target, "", "en", method);
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(issue_code(parsed(r)), "login");
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people WHERE id = ? AND active = 1", {zoe_}), 1);
}

TEST_F(FhirWeb, AddressesWithoutAnInteractionAreOperationOutcomes) {
    const auto token = token_for(health_);
    // No such route under /fhir: the API's own 404, in the client's language.
    for (const std::string& target :
         {"/fhir/Patient/" + std::to_string(zoe_) + "/_history", std::string("/fhir/Patient/1/2/3")}) {
        auto r = call(target, token, "fr");
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_EQ(r.header("content-type"), "application/fhir+json; charset=utf-8") << target;
        const auto o = parsed(r);
        EXPECT_EQ(issue_code(o), "not-found");
        EXPECT_EQ(o["issue"][0].value("diagnostics", ""), t(Lang::fr, "fhir.error.no_such_path"));
    }
    // A method no route of the path takes.
    auto r = call("/fhir/metadata", "", "en", "OPTIONS");
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.header("content-type"), "application/fhir+json; charset=utf-8");
    EXPECT_EQ(parsed(r)["issue"][0].value("diagnostics", ""), t(Lang::en, "fhir.error.method"));
    // Elsewhere, the HTML pages as before.
    Client c(port_);
    r = c.get("/no-such-page");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("content-type").rfind("text/html", 0), 0u);
}

// ---------------------------------------------------------------- the FHIR R4 schema

TEST_F(FhirWeb, EveryResourceValidatesAgainstTheFhirSchema) {
    const fs::path reference = fs::path(ARRIMAGE_SOURCE_DIR) / ".." / "shared" / "reference" / "fhir-r4";
    if (!fs::exists(reference / "fhir.schema.json"))
        GTEST_SKIP() << "FHIR R4 JSON schema not found at " << reference << ": schema validation skipped";
    if (std::system("/usr/bin/python3 -c 'import jsonschema' >/dev/null 2>&1") != 0)
        GTEST_SKIP() << "python3-jsonschema is not installed (scripts/install-deps): schema validation skipped";

    const auto token = token_for(health_);
    std::vector<json> docs;
    docs.push_back(fhir("/fhir/metadata", ""));
    docs.push_back(fhir("/fhir/Patient/" + std::to_string(zoe_), token));
    docs.push_back(fhir("/fhir/Patient/" + std::to_string(maya_), token, 200, "fr"));
    docs.push_back(fhir("/fhir/Patient?_count=100", token));
    docs.push_back(fhir("/fhir/Patient?_count=1", token));
    docs.push_back(fhir("/fhir/RelatedPerson/" + std::to_string(member_of(liam_)), token));
    docs.push_back(fhir("/fhir/RelatedPerson?patient=" + std::to_string(liam_), token));
    for (const std::string type : {"Organization", "Location", "HealthcareService"})
        for (const std::string lang : {"en", "fr"}) {
            auto all = fhir("/fhir/" + type + "?_count=100", token, 200, lang);
            for (const auto& e : all["entry"]) docs.push_back(fhir("/fhir/" + type + "/" + e["resource"].value("id", ""), token));
            docs.push_back(std::move(all));
        }
    docs.push_back(fhir("/fhir/Patient?foo=1&_count=abc", token, 400, "fr"));
    docs.push_back(fhir("/fhir/Organization?_count=0", token));
    docs.push_back(fhir("/fhir/Patient?_id=abc", token));
    docs.push_back(fhir("/fhir/Patient?_count=2&_offset=2", token));
    docs.push_back(fhir("/fhir/Patient/" + std::to_string(zoe_), token_for(health_, "system/Organization.r"), 403));
    docs.push_back(fhir("/fhir/Patient", "", 401));
    docs.push_back(fhir("/fhir/Observation", token, 404));
    docs.push_back(parsed(call("/fhir/Patient", token, "en", "POST")));

    const fs::path dir = fs::temp_directory_path() / ("arrimage-fhir-" + std::to_string(port_));
    fs::create_directories(dir);
    std::set<std::string> types;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        std::ofstream(dir / ("doc" + std::to_string(i) + ".json")) << docs[i].dump();
        types.insert(docs[i].value("resourceType", ""));
    }
    for (const auto& type : d::fhir_resource_types()) EXPECT_TRUE(types.contains(type)) << type;
    // Negative controls: documents the schema must reject, so that a validation that checks
    // nothing cannot pass.
    json bad_patient = docs[1];
    bad_patient["birthDate"] = 20140506;
    bad_patient["gender"] = "robot";
    json bad_bundle = docs[3];
    bad_bundle["type"] = "not-a-bundle-type";
    json bad_outcome = {{"resourceType", "OperationOutcome"}, {"issue", json::array({{{"severity", "fatal-ish"}}})}};
    const std::vector<json> rejected = {bad_patient, bad_bundle, bad_outcome};
    for (std::size_t i = 0; i < rejected.size(); ++i)
        std::ofstream(dir / ("bad" + std::to_string(i) + ".json")) << rejected[i].dump();

    // Draft 6 (the schema's own), each document against the definition of its resourceType
    // (the discriminator's choice), which must be a standard R4 type.
    std::ofstream script(dir / "validate.py");
    script << "import json, sys, pathlib\n"
              "import jsonschema\n"
              "ref = pathlib.Path(sys.argv[1])\n"
              "schema = json.loads((ref / 'fhir.schema.json').read_text())\n"
              "standard = set((ref / 'r4-resource-types.txt').read_text().split())\n"
              "bad = 0\n"
              "for doc_path in sorted(pathlib.Path(sys.argv[2]).glob('doc*.json')):\n"
              "    doc = json.loads(doc_path.read_text())\n"
              "    rt = doc.get('resourceType')\n"
              "    kinds = [rt] + [e.get('resource', {}).get('resourceType') for e in doc.get('entry', [])]\n"
              "    for k in kinds:\n"
              "        if k not in standard:\n"
              "            bad += 1\n"
              "            print(doc_path.name, 'not a standard R4 resource type:', k)\n"
              "    if rt not in standard:\n"
              "        continue\n"
              "    one = {k: v for k, v in schema.items() if k not in ('oneOf', 'discriminator')}\n"
              "    one['$ref'] = '#/definitions/' + rt\n"
              "    for e in jsonschema.Draft6Validator(one).iter_errors(doc):\n"
              "        bad += 1\n"
              "        print(doc_path.name, rt, list(e.absolute_path), e.message[:300])\n"
              "    for i, entry in enumerate(doc.get('entry', [])):\n"
              "        res = entry.get('resource', {})\n"
              "        if res.get('resourceType') not in standard:\n"
              "            continue\n"
              "        one['$ref'] = '#/definitions/' + res['resourceType']\n"
              "        for e in jsonschema.Draft6Validator(one).iter_errors(res):\n"
              "            bad += 1\n"
              "            print(doc_path.name, 'entry', i, list(e.absolute_path), e.message[:300])\n"
              "for doc_path in sorted(pathlib.Path(sys.argv[2]).glob('bad*.json')):\n"
              "    doc = json.loads(doc_path.read_text())\n"
              "    one = {k: v for k, v in schema.items() if k not in ('oneOf', 'discriminator')}\n"
              "    one['$ref'] = '#/definitions/' + doc['resourceType']\n"
              "    if not list(jsonschema.Draft6Validator(one).iter_errors(doc)):\n"
              "        bad += 1\n"
              "        print(doc_path.name, 'a deliberately invalid document was accepted')\n"
              "sys.exit(1 if bad else 0)\n";
    script.close();
    const auto cmd = "/usr/bin/python3 " + (dir / "validate.py").string() + " " + reference.string() + " " + dir.string() +
                     " > " + (dir / "out.txt").string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    std::ifstream out(dir / "out.txt");
    const std::string report((std::istreambuf_iterator<char>(out)), std::istreambuf_iterator<char>());
    EXPECT_EQ(rc, 0) << report;
    fs::remove_all(dir);
}
