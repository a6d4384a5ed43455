// Capacity building over HTTP, on the demo people (pages_training.cpp): the coordinating agency's
// administrator adds a training through its form (bad terms are field errors in the user's
// language, on their field and in the summary, and save nothing), changes its terms from the
// version the form was shown with (a stale version is refused with its message, 409), says which
// roles must complete it within how many days, and retires it or puts it back. A provider manager
// records completions for their own organisation's staff only (another organisation's person and
// a day in the future are field errors); the compliance page counts each organisation's standings
// and exports the same table as CSV; an organisation's page lists its people and where each
// stands, in words; a coordinator reads their own trainings. Roles without access are refused
// (403), a training or an organisation out of the reader's reach is not found (404). The demo is
// loaded without its trainings (demo_training.cpp): every count here comes from the tests' own.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

// The first group `pattern` captures in `html`, "" when it does not match.
std::string captured(const std::string& html, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

// A training's terms as its form posts them.
struct Terms {
    std::string title_fr, title_en, description_fr, description_en, format = "in_person", hours = "3", validity_months, joint;
    std::vector<std::string> partners;

    std::string form() const {
        std::string f = "title_fr=" + enc(title_fr) + "&title_en=" + enc(title_en) + "&description_fr=" + enc(description_fr) +
                        "&description_en=" + enc(description_en) + "&format=" + enc(format) + "&hours=" + enc(hours) +
                        "&validity_months=" + enc(validity_months);
        if (!joint.empty()) f += "&joint=" + enc(joint);
        for (const auto& p : partners) f += "&partners=" + enc(p);
        return f;
    }
};

// The demo people and organisations the tests name (app/demo_data.cpp).
const std::string admin_email = "ca.admin@demo.arrimage.invalid";
const std::string manager_email = "manager1@demo.arrimage.invalid";  // Blue River's manager
const std::string coord1_email = "coord1@demo.arrimage.invalid";     // Blue River's coordinators
const std::string coord2_email = "coord2@demo.arrimage.invalid";
const std::string coord3_email = "coord3@demo.arrimage.invalid";  // Maple Youth Centre's coordinator
const std::string analyst_email = "analyst@demo.arrimage.invalid";
const std::string blue_river = "Blue River Family Services (fictional)";
const std::string maple = "Fictional Maple Youth Centre";
const std::string agency = "Demo Coordinating Agency";
const std::string town = "Town of Demoville";

}  // namespace

class TrainingWeb : public testsupport::DemoServerTest {
  protected:
    // Without the demo's trainings: the tests count their own.
    bool demo_referrals() const override { return false; }

    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // The day `n` days from today on the app's clock (before it when negative).
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    std::string org_name(const std::string& name_en, Lang lang) {
        return lang == Lang::en ? name_en : scalar_text("SELECT name_fr FROM organisations WHERE name_en = ?", {name_en});
    }
    std::string user(const std::string& email) { return std::to_string(scalar("SELECT id FROM users WHERE email = ?", {email})); }
    // The demo administrator's area.
    std::int64_t area() {
        return scalar(
            "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON "
            "o.id = m.organisation_id WHERE u.email = ?",
            {admin_email});
    }
    // Rows of capacity building's tables, and the trainings' versions: unchanged when nothing
    // was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM trainings) + (SELECT COUNT(*) FROM training_partners) + "
            "(SELECT COUNT(*) FROM training_requirements) + (SELECT COUNT(*) FROM training_completions) + "
            "(SELECT COALESCE(SUM(version), 0) FROM trainings) + (SELECT COALESCE(SUM(retired), 0) FROM trainings)");
    }
    Terms terms(const std::string& name) {
        Terms t;
        t.title_fr = "Formation d’essai — " + name;
        t.title_en = "Test training — " + name;
        t.description_fr = "Les bases de la planification coordonnée.\nPour tout le personnel.";
        t.description_en = "The basics of coordinated service planning.";
        return t;
    }
    // Adds a training through its form: its page's address ("" when refused).
    std::string create(Client& c, const Terms& t) {
        auto r = c.submit("/network/trainings/new", "/network/trainings", t.form());
        EXPECT_EQ(r.status, 303) << t.title_en << "\n" << r.body.substr(0, 2000);
        return r.status == 303 ? r.header("location") : std::string();
    }
    static std::int64_t id_of(const std::string& href) {
        return std::stoll(href.substr(std::string("/network/trainings/").size()));
    }
    std::string column(const std::string& href, const std::string& name) {
        return scalar_text("SELECT " + name + " FROM trainings WHERE id = ?", {id_of(href)});
    }
    static std::string version_of(const Reply& page) { return captured(page.body, "name=\"version\" value=\"([0-9]+)\""); }
    // Sets who must complete it (e.g. "due_days_coordinator=30") from the version its form shows.
    Reply require(Client& c, const std::string& href, const std::string& fields) {
        const std::string version = version_of(c.get(href + "/requirements"));
        EXPECT_FALSE(version.empty());
        return c.submit("/", href + "/requirements", "version=" + version + "&" + fields);
    }
    Reply complete(Client& c, const std::string& href, const std::string& user_id, const std::string& on,
                   const std::string& note = "") {
        return c.submit("/", href + "/completions", "user=" + user_id + "&completed_on=" + on + "&note=" + enc(note));
    }
    static bool lists(const Reply& r, const std::string& href) { return r.has("<a href=\"" + href + "\">"); }
    // One record of a spreadsheet export, as interop::spreadsheet_record writes plain text.
    static std::string record(const std::vector<std::string>& fields) {
        std::string out;
        for (const auto& f : fields) out += (out.empty() ? "\"" : ",\"") + f + "\"";
        return out + "\r\n";
    }
    static std::size_t lines(const std::string& csv) {
        std::size_t n = 0;
        for (auto at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2)) ++n;
        return n;
    }
    // The compliance export's header in `lang`.
    std::string header(Lang lang) {
        auto t = [&](const std::string& key) { return app_->catalogue().t(lang, key); };
        return record({t("network.compliance.col.organisation"), t("network.compliance.col.area"),
                       t("network.compliance.col.staff"), t("network.compliance.col.obligations"),
                       t("network.training.standing.complete"), t("network.training.standing.expiring_soon"),
                       t("network.training.standing.due"), t("network.training.standing.overdue"),
                       t("network.training.standing.lapsed"), t("network.compliance.col.percent_csv")});
    }
    // A training required of coordinators within 30 days, that Alex Exemple (Blue River)
    // completed yesterday, recorded by the agency: its page's address.
    std::string required_and_completed_once(const std::string& name) {
        auto admin = as(admin_email, "en");
        const std::string href = create(admin, terms(name));
        EXPECT_FALSE(href.empty());
        if (href.empty()) return href;
        EXPECT_EQ(require(admin, href, "due_days_coordinator=30").status, 303);
        EXPECT_EQ(complete(admin, href, user(coord1_email), day(-1)).status, 303);
        return href;
    }
    // A provider manager of a new area "West", at a new organisation of it.
    void west_manager(const std::string& email) {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = west;
        o.name_fr = "Services familiaux Ouest";
        o.name_en = "West Family Services";
        o.sector = domain::Sector::childrens_services;
        o.csp_roles = {domain::CspRole::csp_provider};
        const auto organisation = *repo.create_organisation(o, 0);
        const auto id = *repo.create_user({email, "West Manager", Lang::en}, 0);
        EXPECT_TRUE(repo.add_membership(id, {organisation, domain::Role::provider_manager}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(id, hash_password("west password", PasswordHashCost::minimum()));
        tx->commit();
    }
    Client west_client(const std::string& email) {
        Client c(port_);
        EXPECT_EQ(c.submit("/login", "/login", "email=" + enc(email) + "&password=west+password").status, 303);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
};

TEST_F(TrainingWeb, TheAdministratorAddsATrainingThroughItsForm) {
    auto admin = as(admin_email, "en");
    auto list = admin.get("/network/trainings");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<h1>" + shown(Lang::en, "network.training.list_title") + "</h1>"));
    EXPECT_TRUE(list.has("href=\"/network/trainings/new\""));
    EXPECT_TRUE(list.has(shown(Lang::en, "network.training.empty")));

    // The form: the formats as radio buttons in their group, the partners as check boxes.
    auto form = admin.get("/network/trainings/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<h1>" + shown(Lang::en, "network.training.new_title") + "</h1>"));
    EXPECT_TRUE(form.has("action=\"/network/trainings\""));
    for (const char* format : {"in_person", "online", "hybrid", "self_paced"})
        EXPECT_TRUE(form.has("name=\"format\" value=\"" + std::string(format) + "\"")) << format;
    EXPECT_TRUE(form.has("<legend class=\"ontario-fieldset__legend\">" + shown(Lang::en, "network.training.field.format")));
    EXPECT_TRUE(form.has("<label class=\"ontario-label\" for=\"field-hours\">"));
    EXPECT_TRUE(form.has("name=\"partners\" value=\"" + org(town) + "\""));
    EXPECT_TRUE(form.has(shown(Lang::en, "network.training.hint.validity_months")));

    Terms t = terms("Nord");
    t.format = "hybrid";
    t.hours = "1,5";  // the French way
    t.validity_months = "24";
    t.joint = "1";
    t.partners = {org(town), org(agency)};
    const std::string href = create(admin, t);
    ASSERT_TRUE(std::regex_match(href, std::regex("/network/trainings/[0-9]+"))) << href;
    EXPECT_EQ(column(href, "title_en"), t.title_en);
    EXPECT_EQ(column(href, "format"), "hybrid");
    EXPECT_EQ(column(href, "hours_tenths"), "15");
    EXPECT_EQ(column(href, "validity_months"), "24");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_partners WHERE training_id = ?", {id_of(href)}), 2);

    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.created"))) << "the flash";
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<h1>" + (lang == Lang::fr ? t.title_fr : t.title_en) + "</h1>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.training.format.hybrid") + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.training.hours_value", {lang == Lang::fr ? "1,5" : "1.5"}) + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.training.validity_value", {"24"}) + "</dd>"));
        EXPECT_TRUE(page.has("<li>" + org_name(town, lang) + "</li>"));
        EXPECT_TRUE(page.has("Pour tout le personnel."));
        EXPECT_TRUE(page.has(shown(lang, "network.training.no_requirements")));
        EXPECT_TRUE(page.has("href=\"" + href + "/edit\""));
        EXPECT_TRUE(page.has("href=\"" + href + "/requirements\""));
        EXPECT_TRUE(page.has("href=\"" + href + "/completions/new\""));
        EXPECT_TRUE(page.has("action=\"" + href + "/retire\""));
    }

    admin.set_cookie("arrimage_lang", "en");
    list = admin.get("/network/trainings");
    EXPECT_TRUE(lists(list, href));
    EXPECT_TRUE(list.has("<p>" + shown(Lang::en, "network.training.count", {"1"})));
    EXPECT_TRUE(list.has(shown(Lang::en, "network.training.no_required_roles")));
}

TEST_F(TrainingWeb, BadTermsAreFieldErrorsInTheUsersLanguageAndSaveNothing) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto refused = [&](const Terms& t, const std::string& field, const std::string& key) {
            SCOPED_TRACE(field + ": " + key);
            auto r = admin.submit("/network/trainings/new", "/network/trainings", t.form());
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-" + field + "\">" + shown(lang, key) + "</p>"))
                << "the message is on its field, in the user's language";
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\"")) << "the summary links to it";
            EXPECT_TRUE(r.has(shown(lang, "form.error_summary")));
            return r;
        };

        Terms t = terms("Sans titres");
        t.title_fr = "";
        auto r = refused(t, "title_fr", "field.required");
        EXPECT_TRUE(r.has("value=\"" + t.title_en + "\"")) << "what was typed is kept";
        EXPECT_TRUE(r.has(">The basics of coordinated service planning.</textarea>"));

        t = terms("Durée");
        t.hours = "0";
        r = refused(t, "hours", "network.training.hours_invalid");
        EXPECT_TRUE(r.has("id=\"field-hours\" name=\"hours\" value=\"0\""));
        t.hours = "2.25";
        refused(t, "hours", "network.training.hours_invalid");
        t.hours = "";
        refused(t, "hours", "field.required");

        t = terms("Validité");
        t.validity_months = "121";
        refused(t, "validity_months", "network.training.validity_invalid");

        t = terms("Mode");
        t.format = "bogus";
        refused(t, "format", "field.choose_from_list");

        t = terms("Conjointe");
        t.joint = "1";
        refused(t, "partners", "network.training.partners_required");
        t.partners = {org(town), "999999"};
        r = refused(t, "partners", "field.choose_from_list");
        EXPECT_TRUE(r.has("name=\"partners\" value=\"" + org(town) + "\" checked")) << "the partners chosen are kept";

        auto list = admin.get("/network/trainings");
        EXPECT_TRUE(list.has(shown(lang, "network.training.empty"))) << "nothing in the catalogue";
    }
    EXPECT_EQ(written(), before);
}

TEST_F(TrainingWeb, AStaleEditIsRefusedWithItsMessage) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Modifiée");
    const std::string href = create(admin, t);
    ASSERT_FALSE(href.empty());

    auto edit = admin.get(href + "/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.has("action=\"" + href + "/edit\""));
    EXPECT_TRUE(edit.has("value=\"" + t.title_en + "\""));
    EXPECT_TRUE(edit.has("name=\"format\" value=\"in_person\" checked"));
    const std::string version = version_of(edit);
    ASSERT_FALSE(version.empty());

    // Bad terms: the form again with the errors and the version it was posted with.
    Terms bad = t;
    bad.validity_months = "0";
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + bad.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-validity_months\""));
    EXPECT_EQ(version_of(r), version);
    EXPECT_EQ(column(href, "validity_months"), "");

    Terms changed = t;
    changed.title_en = "Their title";
    changed.validity_months = "12";
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + changed.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "title_en"), "Their title");
    EXPECT_EQ(column(href, "validity_months"), "12");
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "network.training.saved")));

    const auto after_edit = written();
    const std::string current = version_of(admin.get(href + "/edit"));
    ASSERT_FALSE(current.empty());
    ASSERT_NE(current, version);
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        Terms stale = t;
        stale.title_en = "My title";
        r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + stale.form());
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has("role=\"alert\">" + shown(lang, "network.training.changed_meanwhile") + "</div>"));
        EXPECT_TRUE(r.has("value=\"Their title\"")) << "the form holds the training as it is now";
        EXPECT_FALSE(r.has("value=\"My title\""));
        EXPECT_EQ(version_of(r), current) << "with its current version";
        EXPECT_EQ(admin.submit(href + "/edit", href + "/edit", stale.form()).status, 409) << "no version is never current";
    }
    EXPECT_EQ(column(href, "title_en"), "Their title");
    EXPECT_EQ(written(), after_edit);
}

TEST_F(TrainingWeb, TheAdministratorSetsWhoMustCompleteIt) {
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Exigée"));
    ASSERT_FALSE(href.empty());

    // One number of days per role that may be required, in one group.
    auto form = admin.get(href + "/requirements");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<legend class=\"ontario-fieldset__legend\">" + shown(Lang::en, "network.training.requirements_legend") +
                         "</legend>"));
    for (const char* role : {"coordinator", "participant_staff", "provider_manager", "privacy_officer"})
        EXPECT_TRUE(form.has("<label class=\"ontario-label\" for=\"field-due_days_" + std::string(role) + "\">" +
                             shown(Lang::en, "role." + std::string(role)) + "</label>"))
            << role;
    EXPECT_FALSE(form.has("field-due_days_ca_admin"));

    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        for (const char* bad : {"0", "731", "abc", "1.5"}) {
            auto r = require(admin, href, "due_days_coordinator=30&due_days_privacy_officer=" + std::string(bad));
            EXPECT_EQ(r.status, 422) << bad;
            EXPECT_TRUE(r.has("id=\"error-due_days_privacy_officer\">" + shown(lang, "network.training.due_days_invalid")))
                << bad;
            EXPECT_TRUE(r.has("href=\"#field-due_days_privacy_officer\""));
            EXPECT_TRUE(r.has("name=\"due_days_coordinator\" value=\"30\"")) << "what was typed is kept";
        }
    }
    EXPECT_EQ(written(), before);

    admin.set_cookie("arrimage_lang", "en");
    auto r = require(admin, href, "due_days_coordinator=30&due_days_provider_manager=60");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_requirements WHERE training_id = ?", {id_of(href)}), 2);
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.requirements_saved")));
    EXPECT_TRUE(page.has("<tr><th scope=\"row\">" + shown(Lang::en, "role.coordinator") + "</th><td>" +
                         shown(Lang::en, "network.training.due_days_value", {"30"}) + "</td><td>" + day(0) + "</td></tr>"));
    EXPECT_TRUE(page.has("<th scope=\"row\">" + shown(Lang::en, "role.provider_manager") + "</th>"));
    EXPECT_FALSE(page.has("<th scope=\"row\">" + shown(Lang::en, "role.participant_staff") + "</th>"));
    auto list = admin.get("/network/trainings");
    EXPECT_TRUE(
        list.has("<td>" + shown(Lang::en, "role.coordinator") + "; " + shown(Lang::en, "role.provider_manager") + "</td>"));
    form = admin.get(href + "/requirements");
    EXPECT_TRUE(form.has("name=\"due_days_provider_manager\" value=\"60\"")) << "the form shows them";

    // Over a version changed meanwhile.
    const std::string stale = version_of(form);
    ASSERT_EQ(require(admin, href, "due_days_coordinator=45").status, 303);
    const auto changed = written();
    r = admin.submit("/", href + "/requirements", "version=" + stale + "&due_days_coordinator=90");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.training.changed_meanwhile")));
    EXPECT_TRUE(r.has("name=\"due_days_coordinator\" value=\"45\"")) << "as it is now";
    EXPECT_EQ(written(), changed);
}

TEST_F(TrainingWeb, AProviderManagerRecordsCompletionsForTheirOwnStaffOnly) {
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Suivie"));
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(require(admin, href, "due_days_coordinator=30").status, 303);

    auto manager = as(manager_email, "en");
    auto page = manager.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("href=\"" + href + "/completions/new\""));
    EXPECT_FALSE(page.has("href=\"" + href + "/edit\"")) << "only the agency changes its terms";
    EXPECT_FALSE(page.has("action=\"" + href + "/retire\""));

    // Their own staff to choose from, with their organisation; nobody else's.
    auto form = manager.get(href + "/completions/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("action=\"" + href + "/completions\""));
    EXPECT_TRUE(form.has("<option value=\"" + user(coord1_email) + "\">" +
                         shown(Lang::en, "network.training.staff_choice", {"Alex Exemple", blue_river}) + "</option>"));
    EXPECT_FALSE(form.has("<option value=\"" + user(coord3_email) + "\""));
    EXPECT_TRUE(form.has("name=\"completed_on\" value=\"" + day(0) + "\"")) << "today, to begin with";

    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        manager.set_cookie("arrimage_lang", std::string(code(lang)));
        // Another organisation's coordinator.
        auto r = complete(manager, href, user(coord3_email), day(-1), "Séance de mars");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-user\">" + shown(lang, "network.training.not_staff") + "</p>"));
        EXPECT_TRUE(r.has("href=\"#field-user\""));
        EXPECT_TRUE(r.has(">Séance de mars</textarea>")) << "the note is kept";
        // A day to come.
        r = complete(manager, href, user(coord1_email), day(1));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-completed_on\">" + shown(lang, "network.training.completed_in_future") + "</p>"));
        EXPECT_TRUE(r.has("<option value=\"" + user(coord1_email) + "\" selected>")) << "the person chosen is kept";
        r = complete(manager, href, user(coord1_email), "2025-02-30");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-completed_on\""));
        r = complete(manager, href, "", day(-1));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-user\""));
    }
    EXPECT_EQ(written(), before);

    manager.set_cookie("arrimage_lang", "en");
    auto r = complete(manager, href, user(coord1_email), day(-1), "Certificate on file.");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_completions WHERE training_id = ? AND user_id = ? AND "
                     "organisation_id = ? AND completed_on = ?",
                     {id_of(href), std::stoll(user(coord1_email)), std::stoll(org(blue_river)), day(-1)}),
              1);
    page = manager.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.completion_recorded")));
    EXPECT_TRUE(page.has("<tr><th scope=\"row\">Alex Exemple</th><td>" + blue_river + "</td><td>" + day(-1) +
                         "</td><td class=\"arr-prewrap\">Certificate on file.</td><td>Robin Gestion-Démo</td></tr>"));

    // The same day twice.
    r = complete(manager, href, user(coord1_email), day(-1));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-completed_on\">" + shown(Lang::en, "network.training.already_recorded") + "</p>"));

    // The agency records for any organisation of its area; the analyst reads nobody's.
    EXPECT_EQ(complete(admin, href, user(coord3_email), day(-2)).status, 303);
    EXPECT_FALSE(manager.get(href).has("Jordan Sample")) << "another organisation's completion";
    EXPECT_TRUE(admin.get(href).has("Jordan Sample"));
    auto analyst = as(analyst_email, "en");
    page = analyst.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(page.has("Alex Exemple"));
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.completions_hidden")));
    EXPECT_FALSE(page.has("href=\"" + href + "/completions/new\""));
}

TEST_F(TrainingWeb, ComplianceByOrganisationAndItsExport) {
    const std::string href = required_and_completed_once("Conformité");
    ASSERT_FALSE(href.empty());
    const auto organisations = scalar("SELECT COUNT(*) FROM organisations WHERE sda_id = ? AND active = 1", {area()});
    // Blue River: two coordinators, one complete, one due.
    const std::vector<std::string> counts = {"2", "2", "1", "0", "1", "0", "0", "50"};

    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto page = admin.get("/network/compliance");
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<h1>" + shown(lang, "network.compliance.title") + "</h1>"));
        EXPECT_TRUE(page.has("<a href=\"/network/compliance/" + org(blue_river) + "\">" + org_name(blue_river, lang) + "</a>"));
        EXPECT_TRUE(page.has("<td>" + shown(lang, "network.compliance.percent_value", {"50"}) + "</td>"));
        EXPECT_TRUE(page.has("href=\"/network/compliance/export.csv\""));
        EXPECT_TRUE(page.has("<th scope=\"col\">" + shown(lang, "network.training.standing.overdue") + "</th>"));

        auto csv = admin.get("/network/compliance/export.csv");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
        EXPECT_EQ(csv.body.rfind(header(lang), 0), 0u) << "the header first, in the reader's language";
        EXPECT_EQ(lines(csv.body), static_cast<std::size_t>(1 + organisations)) << "one row per organisation of the area";
        std::vector<std::string> row = {org_name(blue_river, lang),
                                        lang == Lang::fr ? "Zone de démonstration Est" : "Demo East Region"};
        row.insert(row.end(), counts.begin(), counts.end());
        EXPECT_NE(csv.body.find(record(row)), std::string::npos) << csv.body;
    }

    // A provider manager: their own organisation only.
    auto manager = as(manager_email, "en");
    auto page = manager.get("/network/compliance");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<a href=\"/network/compliance/" + org(blue_river) + "\">"));
    EXPECT_FALSE(page.has(maple));
    auto csv = manager.get("/network/compliance/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(lines(csv.body), 2u);

    // The ministry's analyst: every organisation's percentages, no one's people.
    auto analyst = as(analyst_email, "en");
    page = analyst.get("/network/compliance");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.compliance.analyst_intro")));
    EXPECT_TRUE(page.has("<th scope=\"row\">" + blue_river + "</th>"));
    EXPECT_FALSE(page.has("href=\"/network/compliance/" + org(blue_river) + "\""));
    csv = analyst.get("/network/compliance/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(lines(csv.body), static_cast<std::size_t>(1 + scalar("SELECT COUNT(*) FROM organisations WHERE active = 1")));
}

TEST_F(TrainingWeb, AnOrganisationsPeopleAndWhereEachStands) {
    const std::string href = required_and_completed_once("Personnel");
    ASSERT_FALSE(href.empty());
    const std::string path = "/network/compliance/" + org(blue_river);
    const std::string title = terms("Personnel").title_en;

    auto admin = as(admin_email, "en");
    auto page = admin.get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<h1>" + shown(Lang::en, "network.compliance.organisation_heading", {blue_river}) + "</h1>"));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "network.compliance.percent_value", {"50"}) + "</dd>"));
    // Where each stands, in words: Alex Exemple complete (completed yesterday, never expiring),
    // Dominique Fictif due, both by 30 days after the requirement was set.
    EXPECT_TRUE(page.has("<th scope=\"row\">Alex Exemple</th>"));
    EXPECT_TRUE(page.has("<td><a href=\"" + href + "\">" + title + "</a></td>"));
    EXPECT_TRUE(page.has("<td><span class=\"arr-ok\">" + shown(Lang::en, "network.training.standing.complete") + "</span></td>"));
    EXPECT_TRUE(page.has("<td>" + day(30) + "</td>"));
    EXPECT_TRUE(page.has("<td>" + day(-1) + "</td>"));
    EXPECT_TRUE(page.has("<td>" + shown(Lang::en, "network.compliance.no_expiry") + "</td>"));
    EXPECT_TRUE(page.has("<th scope=\"row\">Dominique Fictif</th>"));
    EXPECT_TRUE(page.has("<td>" + shown(Lang::en, "network.training.standing.due") + "</td>"));
    EXPECT_TRUE(page.has("<td>" + shown(Lang::en, "network.compliance.not_completed") + "</td>"));
    EXPECT_FALSE(page.has("Robin Gestion-Démo")) << "nothing is required of provider managers";

    // Their own provider manager reads it; another organisation is not theirs to see.
    auto manager = as(manager_email, "fr");
    page = manager.get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<td>" + shown(Lang::fr, "network.training.standing.due") + "</td>"));
    EXPECT_EQ(manager.get("/network/compliance/" + org(maple)).status, 404);
    EXPECT_EQ(manager.get("/network/compliance/999999").status, 404);
    EXPECT_EQ(manager.get("/network/compliance/abc").status, 404);
    // The analyst reads percentages, never people.
    EXPECT_EQ(as(analyst_email, "en").get(path).status, 403);
}

TEST_F(TrainingWeb, ACoordinatorReadsTheirOwnTrainings) {
    const std::string href = required_and_completed_once("Mes formations");
    ASSERT_FALSE(href.empty());
    const Terms t = terms("Mes formations");

    auto coord1 = as(coord1_email, "en");
    auto page = coord1.get("/network/my-trainings");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<h1>" + shown(Lang::en, "network.training.mine_title") + "</h1>"));
    EXPECT_TRUE(page.has("<th scope=\"row\">" + t.title_en + "</th>"));
    EXPECT_TRUE(page.has("<span class=\"arr-ok\">" + shown(Lang::en, "network.training.standing.complete") + "</span>"));
    EXPECT_TRUE(page.has("<td>" + day(-1) + "</td>"));

    auto coord2 = as(coord2_email, "fr");
    page = coord2.get("/network/my-trainings");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<h1>" + shown(Lang::fr, "network.training.mine_title") + "</h1>"));
    EXPECT_TRUE(page.has("<th scope=\"row\">" + t.title_fr + "</th>"));
    EXPECT_TRUE(page.has("<td>" + shown(Lang::fr, "network.training.standing.due") + "</td>"));
    EXPECT_TRUE(page.has("<td>" + day(30) + "</td>")) << "due within 30 days of the requirement";

    // Past its deadline: overdue, in bold with a mark, not by colour alone.
    clock_.advance(std::chrono::hours(24 * 31));
    coord2 = as(coord2_email, "fr");
    page = coord2.get("/network/my-trainings");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<strong class=\"arr-overdue\"><span aria-hidden=\"true\">⚠ </span>" +
                         shown(Lang::fr, "network.training.standing.overdue") + "</strong>"));

    // A provider manager of whom nothing is required; roles that are never required.
    page = as(manager_email, "en").get("/network/my-trainings");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.mine_empty")));
    EXPECT_EQ(as(admin_email, "en").get("/network/my-trainings").status, 403);
    EXPECT_EQ(as(analyst_email, "en").get("/network/my-trainings").status, 403);
}

TEST_F(TrainingWeb, RetiringTakesItOutOfTheCatalogueAndPutsItBack) {
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Retirée"));
    ASSERT_FALSE(href.empty());
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.retire_submit")));
    EXPECT_TRUE(page.has("name=\"retired\" value=\"1\""));
    const std::string version = version_of(page);
    ASSERT_FALSE(version.empty());

    // Neither retired nor put back: nothing changes.
    const auto before = written();
    auto r = admin.submit("/", href + "/retire", "version=" + version + "&retired=2");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "field.choose_from_list")));
    EXPECT_EQ(written(), before);

    r = admin.submit("/", href + "/retire", "version=" + version + "&retired=1");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "retired"), "1");
    page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.retired_done")));
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.retired_notice")));
    EXPECT_TRUE(page.has(shown(Lang::en, "network.training.restore_submit")));
    EXPECT_FALSE(page.has("href=\"" + href + "/completions/new\""));
    EXPECT_FALSE(lists(admin.get("/network/trainings"), href));
    auto all = admin.get("/network/trainings?retired=1");
    EXPECT_TRUE(lists(all, href));
    EXPECT_TRUE(all.has(shown(Lang::en, "network.training.status_retired")));

    // No completion of a retired training.
    const auto retired = written();
    r = admin.get(href + "/completions/new");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.training.retired")));
    EXPECT_EQ(complete(admin, href, user(coord1_email), day(-1)).status, 409);
    // Over the version it was retired from.
    r = admin.submit("/", href + "/retire", "version=" + version + "&retired=0");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.training.changed_meanwhile")));
    EXPECT_EQ(written(), retired);

    r = admin.submit("/", href + "/retire", "version=" + version_of(admin.get(href)) + "&retired=0");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(column(href, "retired"), "0");
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "network.training.restored_done")));
    EXPECT_TRUE(lists(admin.get("/network/trainings"), href));
}

TEST_F(TrainingWeb, RolesWithoutAccessAreRefused) {
    west_manager("west.manager@example.org");
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Refus"));
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(require(admin, href, "due_days_coordinator=30").status, 303);
    const std::string valid = terms("Refusée").form();
    const std::string blue = "/network/compliance/" + org(blue_river);
    const auto before = written();

    // A coordinator: their own trainings only, by the pages (the form's token is good).
    auto coordinator = as(coord1_email, "en");
    for (const std::string& path :
         {std::string("/network/trainings"), std::string("/network/trainings/new"), href, href + "/edit", href + "/requirements",
          href + "/completions/new", std::string("/network/compliance"), std::string("/network/compliance/export.csv"), blue})
        EXPECT_EQ(coordinator.get(path).status, 403) << path;
    auto r = coordinator.submit("/", "/network/trainings", valid);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
    EXPECT_EQ(coordinator.submit("/", href + "/retire", "version=1&retired=1").status, 403);
    EXPECT_EQ(complete(coordinator, href, user(coord1_email), day(-1)).status, 403);

    // A provider manager reads the catalogue and changes none of it.
    auto manager = as(manager_email, "en");
    r = manager.get("/network/trainings");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, href));
    EXPECT_FALSE(r.has("href=\"/network/trainings/new\""));
    for (const std::string& path : {std::string("/network/trainings/new"), href + "/edit", href + "/requirements"})
        EXPECT_EQ(manager.get(path).status, 403) << path;
    EXPECT_EQ(manager.submit("/", "/network/trainings", valid).status, 403);
    EXPECT_EQ(manager.submit("/", href + "/edit", "version=1&" + valid).status, 403);
    EXPECT_EQ(manager.submit("/", href + "/requirements", "version=1&due_days_coordinator=9").status, 403);
    EXPECT_EQ(manager.submit("/", href + "/retire", "version=1&retired=1").status, 403);

    // The ministry's analyst reads every area's catalogue and records nothing.
    auto analyst = as(analyst_email, "en");
    r = analyst.get("/network/trainings");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.training.analyst_intro")));
    EXPECT_TRUE(lists(r, href));
    for (const std::string& path : {std::string("/network/trainings/new"), href + "/edit", href + "/completions/new"})
        EXPECT_EQ(analyst.get(path).status, 403) << path;
    EXPECT_EQ(complete(analyst, href, user(coord1_email), day(-1)).status, 403);

    // Another area's manager: the demo area's training and organisations are not found.
    auto west = west_client("west.manager@example.org");
    r = west.get("/network/trainings");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, href));
    for (const std::string& path : {href, href + "/completions/new", blue}) EXPECT_EQ(west.get(path).status, 404) << path;
    EXPECT_EQ(complete(west, href, user(coord1_email), day(-1)).status, 404);
    r = west.get("/network/compliance");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("West Family Services"));
    EXPECT_FALSE(r.has(blue_river));

    // No such training.
    EXPECT_EQ(admin.get("/network/trainings/999999").status, 404);
    EXPECT_EQ(admin.get("/network/trainings/abc").status, 404);
    EXPECT_EQ(admin.get("/network/trainings/999999/edit").status, 404);

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get("/network/trainings");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.get("/network/my-trainings").status, 303);
    EXPECT_EQ(visitor.post("/network/trainings", valid).status, 401);

    EXPECT_EQ(written(), before);
}

TEST_F(TrainingWeb, TheNetworkPageLeadsToCapacityBuilding) {
    for (const std::string& email : {admin_email, manager_email, analyst_email}) {
        SCOPED_TRACE(email);
        auto r = as(email, "fr").get("/network");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<a href=\"/network/trainings\">" + shown(Lang::fr, "network.training.home_link") + "</a>"));
        EXPECT_TRUE(r.has("<a href=\"/network/compliance\">" + shown(Lang::fr, "network.compliance.home_link") + "</a>"));
        // Their own trainings, for a role that may be required to complete some.
        EXPECT_EQ(r.has("<a href=\"/network/my-trainings\">" + shown(Lang::fr, "network.training.mine_link") + "</a>"),
                  email == manager_email);
    }
}
