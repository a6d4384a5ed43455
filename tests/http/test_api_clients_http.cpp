// The administrators' pages for the FHIR API's clients over HTTP (pages_api_clients.cpp), on the
// demo data and a second area added here. The agency's administrator registers a client for an
// organisation of their area, choosing its role and ticking what it may read and search (never
// typing a scope): the answer shows the client id and the secret once, with the token URL and
// examples; the secret works at the token endpoint's repository and appears nowhere else (not on
// the client's page, not in the list, not in the database). The list and the client's page show
// what it may do in words, never in scope syntax, and say when its organisation is inactive. A
// new secret asks first, is shown once too and the old one stops working; revocation asks first,
// then is final (a second one is the Conflict message, nothing changed). Bad input is a field error in the user's language and
// writes nothing; a coordinator is refused every page; another area's client, an unknown one and an id that is not one are not
// found. The demo's own clients, if any, are counted, never assumed.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <variant>
#include <vector>

#include "core/crypto.hpp"
#include "features/fhir/domain/fhir.hpp"
#include "features/fhir/store/api_client_repo.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

const std::string admin_email = "ca.admin@demo.arrimage.invalid";  // the demo agency's administrator
const std::string admin_name = "Claude Admin-Démo";
const std::string coordinator_email = "coord.ca@demo.arrimage.invalid";  // a coordinator of the agency
const std::string blue_river = "Blue River Family Services (fictional)";
const std::string maple = "Fictional Maple Youth Centre";
const std::string west_admin_email = "west.admin@example.org";  // added by the fixture
const std::string west_provider = "West Test Provider";
const std::string list_href = "/admin/api-clients";

std::string captured(const std::string& html, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

std::string client_href(std::int64_t id) {
    return list_href + "/" + std::to_string(id);
}

// The form's fields: the types ticked become one "scopes" value each.
std::string form(const std::string& organisation, const std::string& name, const std::string& role,
                 const std::vector<std::string>& types) {
    std::string out = "organisation_id=" + enc(organisation) + "&name=" + enc(name) + "&role=" + enc(role);
    for (const auto& t : types) out += "&scopes=" + enc(t);
    return out;
}

// The first error the domain gives `field` for `in`: what the page must show on that field.
FieldError domain_error(const domain::NewApiClient& in, const std::string& field) {
    for (const auto& e : domain::validate_api_client(in))
        if (e.field == field) return e;
    ADD_FAILURE() << "the domain gives no error on " << field;
    return {};
}

}  // namespace

class ApiClientsWeb : public testsupport::DemoServerTest {
  protected:
    // A second area with its own coordinating agency, administrator and provider.
    void seed() override {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto sda = *repo.create_sda({"west-api", "Zone d’essai Ouest", "West Test Region"}, 0);
        auto org = [&](const std::string& fr, const std::string& en, domain::CspRole role) {
            domain::Organisation o;
            o.sda_id = sda;
            o.name_fr = fr;
            o.name_en = en;
            o.sector = domain::Sector::health;
            o.csp_roles = {role};
            return *repo.create_organisation(o, 0);
        };
        const auto agency = org("Agence d’essai Ouest", "West Test Agency", domain::CspRole::coordinating_agency);
        org("Fournisseur d’essai Ouest", west_provider, domain::CspRole::csp_provider);
        const auto user = *repo.create_user({west_admin_email, "Wen Admin-Ouest", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {agency, domain::Role::ca_admin}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password(app::demo_password, PasswordHashCost::minimum()));
        tx->commit();
    }

    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    // Rows a registration, a new secret or a revocation writes: unchanged when nothing was.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM api_clients) + (SELECT COUNT(*) FROM api_client_events) + "
            "(SELECT COUNT(*) FROM api_tokens) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM memberships) + "
            "(SELECT COUNT(*) FROM admin_audit) + (SELECT COUNT(*) FROM api_clients WHERE status = 'revoked')");
    }
    std::string secret_hash(std::int64_t id) { return scalar_text("SELECT secret_hash FROM api_clients WHERE id = ?", {id}); }

    // The secret page's client id and secret ("" when the page has none).
    static std::string client_id_of(const Reply& r) { return captured(r.body, R"re(id="client-id">([^<]+)<)re"); }
    static std::string secret_of(const Reply& r) { return captured(r.body, R"re(id="client-secret">([^<]+)<)re"); }

    // A scope as the pages say it: the type and "read and search".
    std::string read_and_search(Lang lang, const std::string& type) {
        return shown(lang, "api_client.scope_line", {type, app_->catalogue().t(lang, "api_client.rights.read_search")});
    }

    // Registers a client through the form as `c`: its id (0 when refused) and the page.
    std::pair<std::int64_t, Reply> register_client(Client& c, const std::string& organisation, const std::string& name,
                                                   const std::vector<std::string>& types = {"Patient", "Organization"},
                                                   const std::string& role = "participant_staff") {
        auto r = c.submit(list_href + "/new", list_href, form(organisation, name, role, types));
        EXPECT_EQ(r.status, 200) << r.body.substr(0, 3000);
        return {scalar("SELECT id FROM api_clients WHERE client_id = ?", {client_id_of(r)}), r};
    }

    // Whether the token endpoint's repository takes this client id and secret.
    bool token_works(const std::string& client_id, const std::string& secret) {
        auto tx = t_->db->begin(store::TxMode::write);
        store::ApiClientRepo repo(*tx, clock_, random_, PasswordHashCost::minimum());
        const bool ok = std::holds_alternative<store::IssuedToken>(repo.issue_token(client_id, secret, ""));
        tx->commit();
        return ok;
    }
};

TEST_F(ApiClientsWeb, RegistrationShowsTheSecretOnceAndTheClientWorksWithIt) {
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        // The administration's home links to the list, which links to the form.
        auto r = admin.get("/admin");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<a href=\"/admin/api-clients\">" + shown(lang, "api_client.list_title") + "</a>"));
        r = admin.get(list_href);
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "api_client.list_title") + "</h1>"));
        EXPECT_TRUE(r.has("href=\"/admin/api-clients/new\""));

        // The form: the organisations of the area, the roles a client may have, a box per type.
        r = admin.get(list_href + "/new");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<option value=\"" + org(blue_river) + "\">"));
        EXPECT_FALSE(r.has("<option value=\"" + org(west_provider) + "\">")) << "another area's organisation";
        for (auto role : domain::api_client_roles())
            EXPECT_TRUE(r.has("name=\"role\" value=\"" + std::string(domain::code(role)) + "\""));
        EXPECT_FALSE(r.has("name=\"role\" value=\"ca_admin\""));
        for (const auto& type : domain::fhir_resource_types()) EXPECT_TRUE(r.has("name=\"scopes\" value=\"" + type + "\""));
        EXPECT_FALSE(r.has("system/")) << "nobody types a scope";

        const std::string name = "Fictional Regional Hospital — EHR " + std::string(code(lang));
        const auto before = scalar("SELECT COUNT(*) FROM api_clients");
        auto [id, page] = register_client(admin, org(blue_river), name);
        ASSERT_NE(id, 0);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_clients"), before + 1);
        const std::string client_id = client_id_of(page);
        const std::string secret = secret_of(page);
        ASSERT_FALSE(secret.empty());
        EXPECT_TRUE(page.has("<h1>" + shown(lang, "api_client.registered_heading", {name}) + "</h1>"));
        EXPECT_TRUE(page.has(shown(lang, "api_client.secret_warning")));
        EXPECT_TRUE(page.has("http://127.0.0.1/oauth/token")) << "the token URL";
        EXPECT_TRUE(page.has("<pre class=\"arr-message__body\"><code>curl"));
        EXPECT_TRUE(page.has("/fhir/Patient?_count=10"));
        EXPECT_TRUE(page.has("grant_type=client_credentials"));
        EXPECT_TRUE(page.has(shown(lang, "api_client.team_note", {"API: " + name})));
        EXPECT_NE(page.header("cache-control").find("no-store"), std::string::npos);

        // Written as asked: the organisation, the role, read and search of the types ticked.
        EXPECT_EQ(scalar("SELECT organisation_id FROM api_clients WHERE id = ?", {id}), std::stoll(org(blue_river)));
        EXPECT_EQ(scalar_text("SELECT name || '/' || role || '/' || status FROM api_clients WHERE id = ?", {id}),
                  name + "/participant_staff/active");
        const std::string scopes = scalar_text("SELECT scopes FROM api_clients WHERE id = ?", {id});
        EXPECT_NE(scopes.find("system/Patient.rs"), std::string::npos) << scopes;
        EXPECT_NE(scopes.find("system/Organization.rs"), std::string::npos) << scopes;
        EXPECT_EQ(scopes.find("RelatedPerson"), std::string::npos) << scopes;
        EXPECT_TRUE(page.has(scopes)) << "in the example's token request";
        EXPECT_TRUE(page.has(read_and_search(lang, "Patient")));
        EXPECT_TRUE(page.has(read_and_search(lang, "Organization")));
        // Its service account, named as the team's choices show it.
        EXPECT_EQ(scalar_text("SELECT u.display_name FROM users u JOIN api_clients c ON c.user_id = u.id WHERE c.id = ?", {id}),
                  "API: " + name);
        // Only its hash is kept.
        EXPECT_EQ(
            scalar("SELECT COUNT(*) FROM api_clients WHERE secret_hash = ? OR secret_hash LIKE ?", {secret, "%" + secret + "%"}),
            0);
        EXPECT_TRUE(token_works(client_id, secret));
        EXPECT_FALSE(token_works(client_id, secret + "x"));

        // Never shown again: not on its page, not in the list.
        r = admin.get(client_href(id));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has(client_id));
        EXPECT_FALSE(r.has(secret));
        EXPECT_TRUE(r.has(shown(lang, "api_client.team_note", {"API: " + name})));
        EXPECT_TRUE(r.has(shown(lang, "api_client.history.register")));
        EXPECT_TRUE(r.has(admin_name));
        EXPECT_TRUE(r.has("href=\"" + client_href(id) + "/secret\"")) << "a new secret asks first";
        EXPECT_FALSE(r.has("action=\"" + client_href(id) + "/secret\""));
        EXPECT_TRUE(r.has("href=\"" + client_href(id) + "/revoke\""));
        // What it may do, in words; its state; the role quoted in the sentence that names it.
        EXPECT_TRUE(r.has(read_and_search(lang, "Patient")));
        EXPECT_TRUE(r.has(read_and_search(lang, "Organization")));
        EXPECT_FALSE(r.has(read_and_search(lang, "RelatedPerson")));
        EXPECT_FALSE(r.has("system/")) << "no scope syntax";
        EXPECT_TRUE(r.has("<dd>" + shown(lang, "api_client.status.active") + "</dd>"));
        EXPECT_TRUE(r.has(shown(
            lang, "api_client.acts_as",
            {lang == Lang::fr ? scalar_text("SELECT name_fr FROM organisations WHERE name_en = ?", {blue_river}) : blue_river,
             app_->catalogue().t(lang, "role.participant_staff")})));

        // Listed, with its name, what it may do in words and its state.
        r = admin.get(list_href);
        ASSERT_EQ(r.status, 200);
        EXPECT_FALSE(r.has(shown(lang, "api_client.none")));
        EXPECT_TRUE(r.has("<th scope=\"row\"><a href=\"" + client_href(id) + "\">" + name + "</a></th>"));
        EXPECT_TRUE(r.has("<li>" + read_and_search(lang, "Patient") + "</li>"));
        EXPECT_TRUE(r.has("<td>" + shown(lang, "api_client.status.active") + "</td>"));
        EXPECT_FALSE(r.has("system/")) << "no scope syntax";
        EXPECT_FALSE(r.has(secret));

        // Filtered by organisation: Blue River's, not Maple's.
        EXPECT_TRUE(admin.get(list_href + "?organisation=" + org(blue_river)).has("href=\"" + client_href(id) + "\""));
        EXPECT_FALSE(admin.get(list_href + "?organisation=" + org(maple)).has("href=\"" + client_href(id) + "\""));
        EXPECT_TRUE(admin.get(list_href + "?organisation=abc").has("href=\"" + client_href(id) + "\"")) << "all of them";
    }
}

TEST_F(ApiClientsWeb, BadInputIsAFieldErrorInTheUsersLanguageAndNothingIsWritten) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto refused = [&](const Reply& reply, const std::string& field, const std::string& key,
                           const std::vector<std::string>& args = {}) {
            SCOPED_TRACE(field + ": " + key);
            EXPECT_EQ(reply.status, 422);
            EXPECT_TRUE(reply.has("<html lang=\"" + std::string(code(lang)) + "\""));
            EXPECT_TRUE(reply.has(shown(lang, key, args)));
            EXPECT_TRUE(reply.has("id=\"error-" + field + "\"")) << "the message is on its field";
            EXPECT_TRUE(reply.has("href=\"#field-" + field + "\"")) << "the summary links to it";
        };
        // Everything missing: every field says so at once.
        auto r = admin.submit(list_href + "/new", list_href, "organisation_id=&name=&role=");
        refused(r, "organisation_id", "field.choose_one");
        const auto name_error = domain_error({"", "participant_staff", "system/Patient.rs"}, "name");
        refused(r, "name", name_error.message_key, name_error.args);
        const auto role_error = domain_error({"x", "", "system/Patient.rs"}, "role");
        refused(r, "role", role_error.message_key, role_error.args);
        refused(r, "scopes", "field.choose_at_least_one");
        EXPECT_TRUE(r.has(shown(lang, "form.error_summary")));

        // What was chosen is kept.
        r = admin.submit(list_href + "/new", list_href, form(org(blue_river), "", "coordinator", {"Location"}));
        refused(r, "name", name_error.message_key, name_error.args);
        EXPECT_TRUE(r.has("<option value=\"" + org(blue_river) + "\" selected>"));
        EXPECT_TRUE(r.has("name=\"role\" value=\"coordinator\" checked"));
        EXPECT_TRUE(r.has("name=\"scopes\" value=\"Location\" checked"));

        // A name too long; a role a client may not have; a type the API does not serve (sent
        // by hand: the form offers none).
        const std::string long_name(domain::max_api_client_name_length + 1, 'n');
        const auto long_error = domain_error({long_name, "participant_staff", "system/Patient.rs"}, "name");
        r = admin.submit(list_href + "/new", list_href, form(org(blue_river), long_name, "participant_staff", {"Patient"}));
        refused(r, "name", long_error.message_key, long_error.args);
        EXPECT_TRUE(r.has("value=\"" + long_name + "\""));
        const auto admin_role = domain_error({"x", "ca_admin", "system/Patient.rs"}, "role");
        refused(admin.submit(list_href + "/new", list_href, form(org(blue_river), "Essai", "ca_admin", {"Patient"})), "role",
                admin_role.message_key, admin_role.args);
        const auto unknown_type = domain_error({"x", "participant_staff", "system/Observation.rs"}, "scopes");
        refused(admin.submit(list_href + "/new", list_href, form(org(blue_river), "Essai", "participant_staff", {"Observation"})),
                "scopes", unknown_type.message_key, unknown_type.args);

        // An organisation of another area, one that does not exist, one that is not a number.
        for (const std::string& o : {org(west_provider), std::string("999999"), std::string("abc")}) {
            SCOPED_TRACE(o);
            r = admin.submit(list_href + "/new", list_href, form(o, "Essai", "participant_staff", {"Patient"}));
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has("id=\"error-organisation_id\""));
        }
        // Without the form's token: refused before anything is read.
        EXPECT_EQ(admin.post(list_href, form(org(blue_river), "Essai", "participant_staff", {"Patient"})).status, 403);
    }
    EXPECT_EQ(written(), before);
}

TEST_F(ApiClientsWeb, ANewSecretAsksFirstThenIsShownOnceAndTheOldOneStopsWorking) {
    auto admin = as(admin_email, "en");
    auto [id, page] = register_client(admin, org(blue_river), "Fictional Lab — results");
    ASSERT_NE(id, 0);
    const std::string client_id = client_id_of(page), first = secret_of(page);
    ASSERT_TRUE(token_works(client_id, first));
    const auto tokens = scalar("SELECT COUNT(*) FROM api_tokens WHERE api_client_id = ?", {id});
    EXPECT_GT(tokens, 0);

    // The confirmation first, in each language: what stops at once; nothing changed yet.
    const auto before = written();
    const std::string hash = secret_hash(id);
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto reader = as(admin_email, std::string(code(lang)));
        auto r = reader.get(client_href(id) + "/secret");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "api_client.secret_confirm_heading", {"Fictional Lab — results"}) + "</h1>"));
        EXPECT_TRUE(r.has(shown(lang, "api_client.secret_confirm_warning")));
        EXPECT_TRUE(r.has("<form method=\"post\" action=\"" + client_href(id) + "/secret\">"));
        EXPECT_TRUE(r.has("href=\"" + client_href(id) + "\"")) << "cancel goes back to the client";
        EXPECT_TRUE(secret_of(r).empty());
    }
    EXPECT_EQ(written(), before);
    EXPECT_EQ(secret_hash(id), hash);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE api_client_id = ?", {id}), tokens);
    EXPECT_TRUE(token_works(client_id, first)) << "asking changes nothing";

    auto r = admin.submit(client_href(id) + "/secret", client_href(id) + "/secret", "");
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 3000);
    const std::string second = secret_of(r);
    ASSERT_FALSE(second.empty());
    EXPECT_NE(second, first);
    EXPECT_EQ(client_id_of(r), client_id) << "the same client";
    EXPECT_TRUE(r.has("<h1>" + shown(Lang::en, "api_client.new_secret_heading", {"Fictional Lab — results"}) + "</h1>"));
    EXPECT_TRUE(r.has(shown(Lang::en, "api_client.secret_warning")));
    // The tokens issued with the old secret are gone, and the old secret is refused.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_tokens WHERE api_client_id = ?", {id}), 0);
    EXPECT_FALSE(token_works(client_id, first));
    EXPECT_TRUE(token_works(client_id, second));
    // Neither is on its page.
    r = admin.get(client_href(id));
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(first));
    EXPECT_FALSE(r.has(second));
}

TEST_F(ApiClientsWeb, RevocationAsksFirstThenIsFinalAndASecondOneIsAConflict) {
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        const std::string name = "Fictional Clinic " + std::string(code(lang));
        auto [id, page] = register_client(admin, org(blue_river), name, {"Patient"}, "coordinator");
        ASSERT_NE(id, 0);
        const std::string client_id = client_id_of(page), secret = secret_of(page);
        ASSERT_TRUE(token_works(client_id, secret));

        // The confirmation first: a warning, nothing changed yet.
        auto r = admin.get(client_href(id) + "/revoke");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "api_client.revoke_heading", {name}) + "</h1>"));
        EXPECT_TRUE(r.has(shown(lang, "api_client.revoke_warning")));
        EXPECT_TRUE(r.has("action=\"" + client_href(id) + "/revoke\""));
        EXPECT_EQ(scalar_text("SELECT status FROM api_clients WHERE id = ?", {id}), "active");

        r = admin.post(client_href(id) + "/revoke", "_csrf=" + Client::csrf(r.body));
        ASSERT_EQ(r.status, 303);
        EXPECT_EQ(r.header("location"), client_href(id));
        EXPECT_EQ(scalar_text("SELECT status FROM api_clients WHERE id = ?", {id}), "revoked");
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_client_events WHERE api_client_id = ? AND event = 'revoke'", {id}), 1);
        EXPECT_FALSE(token_works(client_id, secret)) << "its secret no longer works";

        r = admin.get(client_href(id));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has(shown(lang, "api_client.revoked"))) << "the flash";
        EXPECT_TRUE(r.has(shown(lang, "api_client.history.revoke")));
        EXPECT_TRUE(r.has(shown(lang, "api_client.revoked_note")));
        EXPECT_FALSE(r.has("href=\"" + client_href(id) + "/secret\"")) << "nothing left to do";
        EXPECT_FALSE(r.has("href=\"" + client_href(id) + "/revoke\""));
        EXPECT_TRUE(r.has("<strong>" + shown(lang, "api_client.status.revoked") + "</strong>"));
        // Its service account no longer acts for anyone, nor is on any file's team.
        const auto user = scalar("SELECT user_id FROM api_clients WHERE id = ?", {id});
        EXPECT_EQ(scalar("SELECT active FROM users WHERE id = ?", {user}), 0);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM memberships WHERE user_id = ? AND active = 1", {user}), 0);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE user_id = ? AND until_at IS NULL", {user}), 0);
        EXPECT_FALSE(r.has(secret));

        // The same page sent again (a second tab): the Conflict message, nothing changed.
        const auto before = written();
        const std::string hash = secret_hash(id);
        r = admin.post(client_href(id) + "/revoke", "_csrf=" + Client::csrf(r.body));
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "lifecycle.not_from_state")));
        r = admin.submit(client_href(id), client_href(id) + "/secret", "");
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(secret_of(r).empty()) << "no secret for a revoked client";
        for (const char* confirmation : {"/revoke", "/secret"}) {
            SCOPED_TRACE(confirmation);
            r = admin.get(client_href(id) + confirmation);
            EXPECT_EQ(r.status, 409);
            EXPECT_TRUE(r.has(shown(lang, "lifecycle.not_from_state")));
            EXPECT_FALSE(r.has("action=\"" + client_href(id) + confirmation + "\""));
        }
        EXPECT_EQ(written(), before);
        EXPECT_EQ(secret_hash(id), hash);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM api_client_events WHERE api_client_id = ?", {id}), 1);
    }
}

TEST_F(ApiClientsWeb, AnActiveClientOfAnInactiveOrganisationSaysItsTokensAreRefused) {
    auto admin = as(admin_email, "en");
    auto [id, page] = register_client(admin, org(maple), "Fictional Youth Records");
    ASSERT_NE(id, 0);
    const std::string client_id = client_id_of(page), secret = secret_of(page);
    {
        auto tx = t_->db->begin(store::TxMode::write);
        ASSERT_TRUE(store::IdentityRepo(*tx, clock_).set_organisation_active(std::stoll(org(maple)), false, 0));
        tx->commit();
    }
    EXPECT_FALSE(token_works(client_id, secret));
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto reader = as(admin_email, std::string(code(lang)));
        const std::string state = "<strong>" + shown(lang, "api_client.active_organisation_inactive") + "</strong>";
        auto r = reader.get(client_href(id));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has(state));
        EXPECT_FALSE(r.has("<dd>" + shown(lang, "api_client.status.active") + "</dd>"));
        r = reader.get(list_href);
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<a href=\"" + client_href(id) + "\">Fictional Youth Records</a>"));
        EXPECT_TRUE(r.has(state));
    }
    EXPECT_EQ(scalar_text("SELECT status FROM api_clients WHERE id = ?", {id}), "active") << "only said, not changed";
}

TEST_F(ApiClientsWeb, ACoordinatorIsRefusedEveryPage) {
    auto admin = as(admin_email, "en");
    auto [id, page] = register_client(admin, org(blue_river), "Fictional Pharmacy");
    ASSERT_NE(id, 0);
    const std::string hash = secret_hash(id);
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto coordinator = as(coordinator_email, std::string(code(lang)));
        const std::string csrf = Client::csrf(coordinator.get("/account").body);
        ASSERT_FALSE(csrf.empty());
        for (const std::string& path : {list_href, list_href + "/new", client_href(id), client_href(id) + "/revoke",
                                        client_href(id) + "/secret", list_href + "/999999", list_href + "/abc"}) {
            SCOPED_TRACE(path);
            const auto r = coordinator.get(path);
            EXPECT_EQ(r.status, 403);
            EXPECT_TRUE(r.has(shown(lang, "error.forbidden")));
            EXPECT_FALSE(r.has("Fictional Pharmacy"));
        }
        for (const std::string& path : {list_href, client_href(id) + "/secret", client_href(id) + "/revoke"}) {
            SCOPED_TRACE(path);
            const auto r =
                coordinator.post(path, "_csrf=" + csrf + "&" + form(org(blue_river), "Essai", "participant_staff", {"Patient"}));
            EXPECT_EQ(r.status, 403);
            EXPECT_TRUE(secret_of(r).empty());
        }
    }
    EXPECT_EQ(written(), before);
    EXPECT_EQ(secret_hash(id), hash);
    EXPECT_EQ(scalar_text("SELECT status FROM api_clients WHERE id = ?", {id}), "active");
}

TEST_F(ApiClientsWeb, AnotherAreasClientAndIdsThatAreNotOnesAreNotFound) {
    auto west = as(west_admin_email, "en");
    auto [theirs, page] = register_client(west, org(west_provider), "West Fictional Hospital");
    ASSERT_NE(theirs, 0);
    const std::string hash = secret_hash(theirs);

    auto admin = as(admin_email, "en");
    const auto before = written();
    const std::string csrf = Client::csrf(admin.get(list_href).body);
    for (const std::string& path :
         {client_href(theirs), client_href(theirs) + "/revoke", client_href(theirs) + "/secret", list_href + "/999999",
          list_href + "/abc", list_href + "/0", list_href + "/-1", list_href + "/99999999999999999999",
          list_href + "/999999/revoke", list_href + "/abc/revoke", list_href + "/999999/secret", list_href + "/abc/secret"}) {
        SCOPED_TRACE(path);
        const auto r = admin.get(path);
        EXPECT_EQ(r.status, 404);
        EXPECT_TRUE(r.has(shown(Lang::en, "error.not_found")));
        EXPECT_FALSE(r.has("West Fictional Hospital"));
    }
    for (const std::string& path : {client_href(theirs) + "/secret", client_href(theirs) + "/revoke", list_href + "/abc/secret",
                                    list_href + "/999999/revoke"}) {
        SCOPED_TRACE(path);
        const auto r = admin.post(path, "_csrf=" + csrf);
        EXPECT_EQ(r.status, 404);
        EXPECT_TRUE(secret_of(r).empty());
    }
    // Not listed, whatever the filter asks.
    EXPECT_FALSE(admin.get(list_href).has("West Fictional Hospital"));
    EXPECT_FALSE(admin.get(list_href + "?organisation=" + org(west_provider)).has("West Fictional Hospital"));
    EXPECT_EQ(written(), before);
    EXPECT_EQ(secret_hash(theirs), hash);
    EXPECT_EQ(scalar_text("SELECT status FROM api_clients WHERE id = ?", {theirs}), "active");

    // The other way round: the west's administrator does not find the demo area's clients.
    auto r = west.get(list_href);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("West Fictional Hospital"));
    const auto demo = scalar("SELECT MIN(id) FROM api_clients WHERE id <> ?", {theirs});
    if (demo != 0) {
        EXPECT_FALSE(r.has("href=\"" + client_href(demo) + "\""));
        EXPECT_EQ(west.get(client_href(demo)).status, 404);
    }
}
