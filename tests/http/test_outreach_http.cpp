// The outreach and knowledge-sharing log over HTTP, on the demo people (pages_outreach.cpp): the
// coordinating agency's administrator records an activity through its form, refused first (422)
// with each field's error in the user's language, on its field and in the summary, and nothing
// saved; the activity's page says what was done, in the language it was given in; a change from
// the version the form was shown with is saved, a stale one refused (409) with the activity as it
// is now. The log is filtered (a bad filter is a field error, 422), totalled and exported as CSV
// with its header in the reader's language. A provider manager records their own organisation's
// activities and changes only those; the ministry's analyst reads every activity but never who
// recorded it; other roles are refused (403) and another area's activity is not found (404). The
// demo is loaded without its log (demo_outreach.cpp): every count here comes from the tests' own.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "features/network/domain/outreach.hpp"
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

// An activity as its form posts it.
struct Activity {
    std::string kind = "family_session", title, language = "en", held_on, people_reached = "18", summary, follow_up;
    std::vector<std::string> audiences = {"families"};
    std::vector<std::string> organisations;

    std::string form() const {
        std::string f = "kind=" + enc(kind) + "&title=" + enc(title) + "&language=" + enc(language) + "&held_on=" + enc(held_on) +
                        "&people_reached=" + enc(people_reached) + "&summary=" + enc(summary) + "&follow_up=" + enc(follow_up);
        for (const auto& a : audiences) f += "&audiences=" + enc(a);
        for (const auto& o : organisations) f += "&organisations=" + enc(o);
        return f;
    }
};

// The demo people and organisations the tests name (app/demo_data.cpp).
const std::string admin_email = "ca.admin@demo.arrimage.invalid";     // Claude Admin-Démo
const std::string manager_email = "manager1@demo.arrimage.invalid";   // Blue River's manager
const std::string manager2_email = "manager2@demo.arrimage.invalid";  // Maple Youth Centre's manager
const std::string coord_email = "coord1@demo.arrimage.invalid";
const std::string privacy_email = "privacy@demo.arrimage.invalid";
const std::string sysadmin_email = "sysadmin@demo.arrimage.invalid";
const std::string analyst_email = "analyst@demo.arrimage.invalid";
const std::string admin_name = "Claude Admin-Démo";
const std::string blue_river = "Blue River Family Services (fictional)";
const std::string agency = "Demo Coordinating Agency";
const std::string town = "Town of Demoville";

}  // namespace

class OutreachWeb : public testsupport::DemoServerTest {
  protected:
    // Without the demo's log: the tests count their own.
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
    // Rows of the log's tables and the activities' versions: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM outreach_activities) + (SELECT COUNT(*) FROM outreach_audiences) + "
            "(SELECT COUNT(*) FROM outreach_organisations) + (SELECT COALESCE(SUM(version), 0) FROM outreach_activities)");
    }
    // An information evening of the agency with the town, held `held` days from today.
    Activity evening(const std::string& name, int held = -3) {
        Activity a;
        a.title = "Information evening " + name;
        a.held_on = day(held);
        a.summary = "What coordinated service planning offers, and how to ask for it.";
        a.follow_up = "Send the leaflet to the families who asked.";
        a.organisations = {org(agency), org(town)};
        return a;
    }
    // Records an activity through its form: its page's address ("" when refused).
    std::string create(Client& c, const Activity& a) {
        auto r = c.submit("/network/outreach/new", "/network/outreach", a.form());
        EXPECT_EQ(r.status, 303) << a.title << "\n" << r.body.substr(0, 2000);
        return r.status == 303 ? r.header("location") : std::string();
    }
    static std::int64_t id_of(const std::string& href) {
        return std::stoll(href.substr(std::string("/network/outreach/").size()));
    }
    std::string column(const std::string& href, const std::string& name) {
        return scalar_text("SELECT " + name + " FROM outreach_activities WHERE id = ?", {id_of(href)});
    }
    static std::string version_of(const Reply& page) { return captured(page.body, "name=\"version\" value=\"([0-9]+)\""); }
    static bool lists(const Reply& r, const std::string& href) { return r.has("<a href=\"" + href + "\""); }
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
    std::string header(Lang lang) {
        auto t = [&](const std::string& key) { return app_->catalogue().t(lang, "network.outreach.col." + key); };
        return record({t("held_on"), t("title"), t("kind"), t("audiences"), t("language"), t("people_reached"),
                       t("organisations"), t("area"), t("summary"), t("follow_up")});
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

TEST_F(OutreachWeb, TheAdministratorRecordsAnActivityRefusedFirstInTheirLanguage) {
    auto admin = as(admin_email, "fr");
    auto log = admin.get("/network/outreach");
    ASSERT_EQ(log.status, 200);
    EXPECT_TRUE(log.has("<h1>" + shown(Lang::fr, "network.outreach.title") + "</h1>"));
    EXPECT_TRUE(log.has("href=\"/network/outreach/new\">" + shown(Lang::fr, "network.outreach.new_link") + "</a>"));
    EXPECT_TRUE(log.has(shown(Lang::fr, "network.outreach.empty")));
    EXPECT_TRUE(log.has("<form method=\"get\" action=\"/network/outreach\""));
    EXPECT_TRUE(log.has("<label class=\"ontario-label\" for=\"filter-field-from\">"));

    // The form: one heading, labelled fields, the audiences and organisations as groups of check
    // boxes with their legend, the recorder's own organisation ticked.
    auto form = admin.get("/network/outreach/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<h1>" + shown(Lang::fr, "network.outreach.new_title") + "</h1>"));
    EXPECT_EQ(form.body.find("<h1"), form.body.rfind("<h1")) << "one h1";
    EXPECT_TRUE(form.has("action=\"/network/outreach\""));
    EXPECT_TRUE(form.has("<legend class=\"ontario-fieldset__legend\">" + shown(Lang::fr, "network.outreach.field.audiences")));
    EXPECT_TRUE(form.has("<legend class=\"ontario-fieldset__legend\">" + shown(Lang::fr, "network.outreach.field.kind")));
    EXPECT_TRUE(
        form.has("<legend class=\"ontario-fieldset__legend\">" + shown(Lang::fr, "network.outreach.field.organisations")));
    EXPECT_TRUE(
        form.has("<label class=\"ontario-label\" for=\"field-title\">" + shown(Lang::fr, "network.outreach.field.title")));
    EXPECT_TRUE(form.has("<label class=\"ontario-label\" for=\"field-held_on\">"));
    for (auto a : domain::all_outreach_audiences())
        EXPECT_TRUE(form.has("name=\"audiences\" value=\"" + std::string(domain::code(a)) + "\"")) << domain::code(a);
    for (auto k : domain::all_outreach_kinds())
        EXPECT_TRUE(form.has("name=\"kind\" value=\"" + std::string(domain::code(k)) + "\"")) << domain::code(k);
    EXPECT_TRUE(form.has("name=\"organisations\" value=\"" + org(agency) + "\" checked"));
    EXPECT_TRUE(form.has("name=\"organisations\" value=\"" + org(town) + "\">"));

    // A first try without a title, in French then in English: the field is named, nothing saved.
    const auto before = written();
    Activity a = evening("Nord");
    a.title = "";
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = admin.submit("/network/outreach/new", "/network/outreach", a.form());
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-title\">" + shown(lang, "field.required") + "</p>"));
        EXPECT_TRUE(r.has("href=\"#field-title\"")) << "the summary links to the field";
        EXPECT_TRUE(r.has(shown(lang, "form.error_summary")));
        EXPECT_TRUE(r.has("<label class=\"ontario-label\" for=\"field-title\">" + shown(lang, "network.outreach.field.title")));
        EXPECT_TRUE(r.has(">" + a.summary + "</textarea>")) << "what was typed is kept";
        EXPECT_TRUE(r.has("name=\"organisations\" value=\"" + org(town) + "\" checked"));
        EXPECT_TRUE(r.has("name=\"audiences\" value=\"families\" checked"));
    }
    EXPECT_EQ(written(), before) << "nothing saved";

    // Then as it should be: its page, in the language it was given in.
    a = evening("Nord");
    a.language = "fr";
    a.title = "Soirée d’information Nord";
    a.audiences = {"schools", "families"};
    admin.set_cookie("arrimage_lang", "en");
    const std::string href = create(admin, a);
    ASSERT_TRUE(std::regex_match(href, std::regex("/network/outreach/[0-9]+"))) << href;
    EXPECT_EQ(column(href, "title"), a.title);
    EXPECT_EQ(column(href, "lang"), "fr");
    EXPECT_EQ(column(href, "held_on"), day(-3));
    EXPECT_EQ(column(href, "people_reached"), "18");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outreach_audiences WHERE activity_id = ?", {id_of(href)}), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outreach_organisations WHERE activity_id = ?", {id_of(href)}), 2);

    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.outreach.created"))) << "the flash";
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<h1 lang=\"fr\">" + a.title + "</h1>")) << "in the language it was given in";
        EXPECT_TRUE(page.has("<dd>" + day(-3) + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.outreach.kind.family_session") + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.outreach.audience.families") + "; " +
                             shown(lang, "network.outreach.audience.schools") + "</dd>"))
            << "the audiences in their order";
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.outreach.language.fr") + "</dd>"));
        EXPECT_TRUE(page.has("<dd>18</dd>"));
        EXPECT_TRUE(page.has("<li>" + org_name(town, lang) + "</li>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.outreach.by_value", {day(0), admin_name}) + "</dd>"));
        EXPECT_TRUE(page.has(a.follow_up));
        EXPECT_TRUE(page.has("href=\"" + href + "/edit\""));
    }

    admin.set_cookie("arrimage_lang", "en");
    log = admin.get("/network/outreach");
    EXPECT_TRUE(lists(log, href));
    EXPECT_TRUE(log.has("<a href=\"" + href + "\" lang=\"fr\">" + a.title + "</a>"));
    EXPECT_TRUE(log.has("<caption class=\"arr-sr-only\">" + shown(Lang::en, "network.outreach.log_caption") + "</caption>"));
    EXPECT_TRUE(log.has("<th scope=\"col\">" + shown(Lang::en, "network.outreach.col.people_reached") + "</th>"));
    EXPECT_TRUE(log.has(shown(Lang::en, "network.outreach.count", {"1"})));
}

TEST_F(OutreachWeb, EveryBadFieldIsNamedInTheUsersLanguageAndNothingIsSaved) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto refused = [&](const Activity& a, const std::string& field, const std::string& key,
                           const std::vector<std::string>& args = {}) {
            SCOPED_TRACE(field + ": " + key);
            auto r = admin.submit("/network/outreach/new", "/network/outreach", a.form());
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-" + field + "\">" + shown(lang, key, args) + "</p>"))
                << "the message is on its field, in the user's language";
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\"")) << "the summary links to it";
            return r;
        };
        Activity a = evening("Erreurs");
        a.kind = "";
        refused(a, "kind", "field.required");
        a.kind = "newsletter";
        refused(a, "kind", "field.choose_from_list");

        a = evening("Erreurs");
        a.audiences = {};
        refused(a, "audiences", "network.outreach.audience_required");
        a.audiences = {"parents"};
        refused(a, "audiences", "field.choose_from_list");

        a = evening("Erreurs");
        a.title = std::string(201, 'x');
        refused(a, "title", "field.too_long", {"200"});

        a = evening("Erreurs");
        a.language = "";
        refused(a, "language", "field.required");
        a.language = "es";
        refused(a, "language", "field.choose_from_list");

        a = evening("Erreurs");
        a.held_on = "";
        refused(a, "held_on", "field.required");
        a.held_on = "2025-02-30";
        refused(a, "held_on", "people.invalid_date");
        a.held_on = day(1);
        auto r = refused(a, "held_on", "network.outreach.held_in_future");
        EXPECT_TRUE(r.has("id=\"field-held_on\" name=\"held_on\" value=\"" + day(1) + "\"")) << "what was typed is kept";

        a = evening("Erreurs");
        for (const char* bad : {"100001", "-1", "about 40", "1.5"}) {
            a.people_reached = bad;
            refused(a, "people_reached", "network.outreach.people_reached_invalid");
        }

        a = evening("Erreurs");
        a.organisations = {};
        refused(a, "organisations", "network.outreach.organisations_required");
        a.organisations = {org(agency), "999999"};
        refused(a, "organisations", "field.choose_from_list");
        a.organisations = {org(agency), org("Ministry Regional Office (demo)"), "x"};
        refused(a, "organisations", "field.choose_from_list");

        a = evening("Erreurs");
        a.summary = "";
        refused(a, "summary", "field.required");
        a.summary = std::string(4001, 's');
        refused(a, "summary", "field.too_long", {"4000"});
        a = evening("Erreurs");
        a.follow_up = std::string(2001, 'f');
        refused(a, "follow_up", "field.too_long", {"2000"});

        // Everything at once: every field named.
        r = admin.submit("/network/outreach/new", "/network/outreach", "");
        EXPECT_EQ(r.status, 422);
        for (const char* field : {"kind", "audiences", "title", "language", "held_on", "organisations", "summary"})
            EXPECT_TRUE(r.has("id=\"error-" + std::string(field) + "\"")) << field;
    }
    EXPECT_EQ(written(), before);
}

TEST_F(OutreachWeb, AStaleEditIsRefusedWithTheActivityAsItIsNow) {
    auto admin = as(admin_email, "en");
    const Activity a = evening("Modifiée");
    const std::string href = create(admin, a);
    ASSERT_FALSE(href.empty());

    auto edit = admin.get(href + "/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.has("action=\"" + href + "/edit\""));
    EXPECT_TRUE(edit.has("value=\"" + a.title + "\""));
    EXPECT_TRUE(edit.has("name=\"kind\" value=\"family_session\" checked"));
    EXPECT_TRUE(edit.has("name=\"audiences\" value=\"families\" checked"));
    EXPECT_TRUE(edit.has("name=\"organisations\" value=\"" + org(town) + "\" checked"));
    const std::string version = version_of(edit);
    ASSERT_FALSE(version.empty());

    // Bad terms: the form again with the errors and the version it was posted with.
    Activity bad = a;
    bad.people_reached = "many";
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + bad.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-people_reached\""));
    EXPECT_EQ(version_of(r), version);
    EXPECT_EQ(column(href, "people_reached"), "18");

    Activity changed = a;
    changed.title = "Their title";
    changed.people_reached = "";
    changed.kind = "webinar";
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + changed.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "title"), "Their title");
    EXPECT_EQ(column(href, "kind"), "webinar");
    EXPECT_EQ(column(href, "people_reached"), "");
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.outreach.saved")));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "network.outreach.not_counted") + "</dd>"));
    EXPECT_TRUE(page.has("<dt>" + shown(Lang::en, "network.outreach.col.changed") + "</dt>"));

    const auto after_edit = written();
    const std::string current = version_of(admin.get(href + "/edit"));
    ASSERT_FALSE(current.empty());
    ASSERT_NE(current, version);
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        Activity stale = a;
        stale.title = "My title";
        stale.summary = "";  // a stale form is refused before its fields are looked at
        r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + stale.form());
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has("role=\"alert\">" + shown(lang, "network.outreach.changed_meanwhile") + "</div>"));
        EXPECT_TRUE(r.has("value=\"Their title\"")) << "the form holds the activity as it is now";
        EXPECT_FALSE(r.has("value=\"My title\""));
        EXPECT_FALSE(r.has("id=\"error-summary\""));
        EXPECT_EQ(version_of(r), current) << "with its current version";
        EXPECT_EQ(admin.submit(href + "/edit", href + "/edit", stale.form()).status, 409) << "no version is never current";
    }
    EXPECT_EQ(column(href, "title"), "Their title");
    EXPECT_EQ(written(), after_edit);
}

TEST_F(OutreachWeb, TheLogIsFilteredTotalledAndExported) {
    auto admin = as(admin_email, "en");
    Activity one = evening("One", -40);
    one.people_reached = "20";
    Activity two = evening("Two", -10);
    two.kind = "webinar";
    two.audiences = {"providers", "referring_agencies"};
    two.people_reached = "62";
    two.organisations = {org(agency), org(blue_river)};
    Activity three = evening("Three", -5);
    three.kind = "publication";
    three.audiences = {"community"};
    three.people_reached = "";
    three.language = "both";
    const std::string h1 = create(admin, one), h2 = create(admin, two), h3 = create(admin, three);
    ASSERT_FALSE(h1.empty() || h2.empty() || h3.empty());

    // Everything, newest first, with its totals.
    auto log = admin.get("/network/outreach");
    ASSERT_EQ(log.status, 200);
    EXPECT_LT(log.body.find(h3 + "\""), log.body.find(h2 + "\""));
    EXPECT_LT(log.body.find(h2 + "\""), log.body.find(h1 + "\""));
    EXPECT_TRUE(log.has("<dd>3</dd>")) << "activities";
    EXPECT_TRUE(log.has("<dd>82</dd>")) << "people reached";
    EXPECT_TRUE(log.has(shown(Lang::en, "network.outreach.totals_counted", {"2", "3"})));
    EXPECT_TRUE(
        log.has("<tr><th scope=\"row\">" + shown(Lang::en, "network.outreach.kind.webinar") + "</th><td>1</td><td>62</td></tr>"));
    EXPECT_TRUE(
        log.has("<tr><th scope=\"row\">" + shown(Lang::en, "network.outreach.kind.other") + "</th><td>0</td><td>0</td></tr>"));
    EXPECT_TRUE(log.has("<caption class=\"arr-sr-only\">" + shown(Lang::en, "network.outreach.totals_caption") + "</caption>"));
    EXPECT_TRUE(log.has("href=\"/network/outreach/export.csv\""));
    EXPECT_TRUE(log.has("<option value=\"" + org(blue_river) + "\">" + blue_river + "</option>"))
        << "the organisations of the log to filter by";

    // Filtered: the table and its totals.
    log = admin.get("/network/outreach?kind=webinar");
    ASSERT_EQ(log.status, 200);
    EXPECT_TRUE(lists(log, h2));
    EXPECT_FALSE(lists(log, h1));
    EXPECT_FALSE(lists(log, h3));
    EXPECT_TRUE(log.has("<dd>62</dd>"));
    EXPECT_TRUE(log.has("<option value=\"webinar\" selected>")) << "the filter shows what was chosen";
    EXPECT_TRUE(log.has("href=\"/network/outreach/export.csv?kind=webinar\""));
    log = admin.get("/network/outreach?from=" + day(-12) + "&to=" + day(-5) + "&audience=community");
    EXPECT_TRUE(lists(log, h3));
    EXPECT_FALSE(lists(log, h2));
    log = admin.get("/network/outreach?organisation=" + org(blue_river));
    EXPECT_TRUE(lists(log, h2));
    EXPECT_FALSE(lists(log, h1));

    // A bad filter: its field named, the whole log under it.
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto bad = admin.get("/network/outreach?kind=newsletter&to=" + day(-30) + "&from=" + day(-20));
        EXPECT_EQ(bad.status, 422);
        EXPECT_TRUE(bad.has("id=\"filter-error-kind\">" + shown(lang, "field.choose_from_list") + "</p>"));
        EXPECT_TRUE(bad.has("id=\"filter-error-to\">" + shown(lang, "network.outreach.range_reversed") + "</p>"));
        EXPECT_TRUE(bad.has("href=\"#filter-field-kind\""));
        EXPECT_TRUE(lists(bad, h1) && lists(bad, h2) && lists(bad, h3));
        EXPECT_EQ(admin.get("/network/outreach?organisation=999999").status, 422);
        EXPECT_EQ(admin.get("/network/outreach?audience=parents").status, 422);
    }

    // The export: the same filters, its header in the reader's language, nobody's name.
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto csv = admin.get("/network/outreach/export.csv");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_NE(csv.header("content-disposition").find("attachment"), std::string::npos);
        EXPECT_EQ(csv.body.rfind(header(lang), 0), 0u) << "the header first, in the reader's language";
        EXPECT_EQ(lines(csv.body), 4u);
        auto t = [&](const std::string& key) { return app_->catalogue().t(lang, key); };
        EXPECT_NE(csv.body.find(
                      record({day(-10), two.title, t("network.outreach.kind.webinar"),
                              t("network.outreach.audience.referring_agencies") + "; " + t("network.outreach.audience.providers"),
                              t("network.outreach.language.en"), "62", org_name(blue_river, lang) + "; " + org_name(agency, lang),
                              lang == Lang::fr ? "Zone de démonstration Est" : "Demo East Region", two.summary, two.follow_up})),
                  std::string::npos)
            << csv.body;
        EXPECT_EQ(csv.body.find(admin_name), std::string::npos);
        csv = admin.get("/network/outreach/export.csv?kind=publication");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(lines(csv.body), 2u);
        EXPECT_NE(csv.body.find("\"" + three.title + "\""), std::string::npos);
        EXPECT_EQ(admin.get("/network/outreach/export.csv?kind=newsletter").status, 422);
    }
}

TEST_F(OutreachWeb, AProviderManagerRecordsAndChangesTheirOwnOrganisationsActivities) {
    auto admin = as(admin_email, "en");
    const std::string agencys = create(admin, evening("Agence"));
    ASSERT_FALSE(agencys.empty());

    auto manager = as(manager_email, "en");
    auto log = manager.get("/network/outreach");
    ASSERT_EQ(log.status, 200);
    EXPECT_TRUE(lists(log, agencys)) << "the whole area's log";
    EXPECT_TRUE(log.has("href=\"/network/outreach/new\""));
    auto form = manager.get("/network/outreach/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("name=\"organisations\" value=\"" + org(blue_river) + "\" checked"));
    EXPECT_TRUE(form.has(shown(Lang::en, "network.outreach.hint.organisations_provider")));

    // Without their own organisation: named on its field, nothing saved.
    const auto before = written();
    Activity a = evening("Rivière-Bleue");
    for (const Lang lang : {Lang::fr, Lang::en}) {
        manager.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = manager.submit("/network/outreach/new", "/network/outreach", a.form());
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-organisations\">" + shown(lang, "network.outreach.own_organisation") + "</p>"));
    }
    EXPECT_EQ(written(), before);

    manager.set_cookie("arrimage_lang", "en");
    a.organisations = {org(blue_river), org(agency)};
    const std::string mine = create(manager, a);
    ASSERT_FALSE(mine.empty());
    EXPECT_EQ(column(mine, "organisation_id"), org(blue_river));
    auto page = manager.get(mine);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<dd>" + blue_river + "</dd>")) << "Blue River's activity";
    EXPECT_TRUE(page.has("href=\"" + mine + "/edit\""));
    EXPECT_EQ(manager.get(mine + "/edit").status, 200);
    const std::string version = version_of(manager.get(mine + "/edit"));
    Activity changed = a;
    changed.title = "Information evening at Blue River";
    EXPECT_EQ(manager.submit(mine + "/edit", mine + "/edit", "version=" + version + "&" + changed.form()).status, 303);
    EXPECT_EQ(column(mine, "title"), changed.title);

    // The agency's activity, and Blue River's for another provider: read, not changed.
    page = manager.get(agencys);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(page.has("href=\"" + agencys + "/edit\""));
    const auto kept = written();
    EXPECT_EQ(manager.get(agencys + "/edit").status, 403);
    EXPECT_EQ(manager.submit("/", agencys + "/edit", "version=1&" + changed.form()).status, 403);
    auto maple = as(manager2_email, "en");
    EXPECT_EQ(maple.get(mine).status, 200);
    EXPECT_EQ(maple.get(mine + "/edit").status, 403);
    EXPECT_EQ(maple.submit("/", mine + "/edit", "version=2&" + changed.form()).status, 403);
    EXPECT_EQ(written(), kept);
    // The agency changes any activity of its area.
    EXPECT_EQ(admin.get(mine + "/edit").status, 200);
}

TEST_F(OutreachWeb, TheAnalystReadsEveryActivityButNeverWhoRecordedIt) {
    auto admin = as(admin_email, "en");
    const Activity a = evening("Analyse");
    const std::string href = create(admin, a);
    ASSERT_FALSE(href.empty());

    auto analyst = as(analyst_email, "en");
    auto log = analyst.get("/network/outreach");
    ASSERT_EQ(log.status, 200);
    EXPECT_TRUE(log.has(shown(Lang::en, "network.outreach.analyst_intro")));
    EXPECT_TRUE(lists(log, href));
    EXPECT_TRUE(log.has("<th scope=\"col\">" + shown(Lang::en, "network.outreach.col.area") + "</th>"));
    EXPECT_FALSE(log.has("href=\"/network/outreach/new\""));
    auto page = analyst.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<h1 lang=\"en\">" + a.title + "</h1>"));
    EXPECT_TRUE(page.has("<dd>" + day(0) + "</dd>")) << "when it was recorded";
    EXPECT_EQ(page.body.find(admin_name), std::string::npos) << "never who";
    EXPECT_FALSE(page.has("href=\"" + href + "/edit\""));
    auto csv = analyst.get("/network/outreach/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(lines(csv.body), 2u);
    EXPECT_EQ(csv.body.find(admin_name), std::string::npos);

    const auto before = written();
    EXPECT_EQ(analyst.get("/network/outreach/new").status, 403);
    EXPECT_EQ(analyst.submit("/", "/network/outreach", evening("Refusée").form()).status, 403);
    EXPECT_EQ(analyst.get(href + "/edit").status, 403);
    EXPECT_EQ(analyst.submit("/", href + "/edit", "version=1&" + a.form()).status, 403);
    EXPECT_EQ(written(), before);
}

TEST_F(OutreachWeb, RolesWithoutAccessAreRefusedAndAnotherAreasActivityIsNotFound) {
    west_manager("west.manager@example.org");
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, evening("Refus"));
    ASSERT_FALSE(href.empty());
    const std::string valid = evening("Refusée").form();
    const auto before = written();

    // A coordinator, a privacy officer, the system administrator: refused by the pages (the form's
    // token is good).
    for (const std::string& email : {coord_email, privacy_email, sysadmin_email}) {
        SCOPED_TRACE(email);
        auto c = as(email, "en");
        for (const std::string& path : {std::string("/network/outreach"), std::string("/network/outreach/export.csv"),
                                        std::string("/network/outreach/new"), href, href + "/edit"})
            EXPECT_EQ(c.get(path).status, 403) << path;
        auto r = c.submit("/", "/network/outreach", valid);
        EXPECT_EQ(r.status, 403);
        EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
        EXPECT_EQ(c.submit("/", href + "/edit", "version=1&" + valid).status, 403);
    }

    // Another area's manager: the demo area's activity is not found, and not in their log.
    auto west = west_client("west.manager@example.org");
    auto r = west.get("/network/outreach");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, href));
    EXPECT_EQ(west.get(href).status, 404);
    EXPECT_EQ(west.get(href + "/edit").status, 404);
    EXPECT_EQ(west.submit("/", href + "/edit", "version=1&" + valid).status, 404);
    EXPECT_EQ(west.get("/network/outreach?organisation=" + org(agency)).status, 422) << "not an organisation of their area";

    // No such activity.
    EXPECT_EQ(admin.get("/network/outreach/999999").status, 404);
    EXPECT_EQ(admin.get("/network/outreach/abc").status, 404);
    EXPECT_EQ(admin.get("/network/outreach/999999/edit").status, 404);
    EXPECT_EQ(admin.submit("/", "/network/outreach/999999/edit", "version=1&" + valid).status, 404);

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get("/network/outreach");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.get("/network/outreach/export.csv").status, 303);
    EXPECT_EQ(visitor.post("/network/outreach", valid).status, 401);

    EXPECT_EQ(written(), before);
}

TEST_F(OutreachWeb, EveryKindAudienceAndLanguageHasItsWordsInBothLanguages) {
    for (const Lang lang : {Lang::fr, Lang::en}) {
        const auto& c = app_->catalogue();
        for (auto k : domain::all_outreach_kinds())
            EXPECT_TRUE(c.has(lang, "network.outreach.kind." + std::string(domain::code(k)))) << domain::code(k);
        for (auto a : domain::all_outreach_audiences())
            EXPECT_TRUE(c.has(lang, "network.outreach.audience." + std::string(domain::code(a)))) << domain::code(a);
        for (auto l : domain::all_outreach_languages())
            EXPECT_TRUE(c.has(lang, "network.outreach.language." + std::string(domain::code(l)))) << domain::code(l);
    }
}
