// The agreements registry over HTTP, on the demo data (pages_agreements.cpp): the coordinating
// agency's administrator records an agreement through its form, moves it through its lifecycle,
// evaluates it, filters the inventory and exports it as CSV and Excel; bad input is a field error
// in the user's language and writes nothing; a provider manager reads only the agreements their
// organisation is a party to, the ministry's analyst reads every one and changes none, another
// area's administrator sees none of them, anyone else is refused. The administrator adds an
// agreement's documents through its multipart form (larger than the ordinary body limit: the
// fixture sets the server's upload paths as `arrimage serve` does); whoever reads the agreement
// downloads them, byte for byte, as attachments with their name and a sandboxing policy; a bad
// file is a field error in the user's language and writes nothing. Each test records its own
// agreements through the pages: the demo's (app/demo_agreements.cpp) are counted, never assumed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/xlsx_reader.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;
using testsupport::sheet_cells;
using testsupport::zip_part;

namespace {

// The organisations a terms form offers as parties: their ids by their names as shown.
std::map<std::string, std::string> party_options(const std::string& html) {
    static const std::regex option(R"re(name="parties" value="([0-9]+)"[^>]*>\s*<label for="[^"]*">([^<]*)</label>)re");
    std::map<std::string, std::string> out;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), option); it != std::sregex_iterator(); ++it)
        out[(*it)[2]] = (*it)[1];
    return out;
}

// The first group `pattern` captures in `html`, "" when it does not match.
std::string captured(const std::string& html, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

// An agreement's terms as its form posts them.
struct Terms {
    std::string title_fr, title_en, kind = "partnership";
    std::vector<std::string> parties, scopes = {"referral", "information_sharing"};
    std::string effective_on, expires_on, review_due, summary;

    std::string form() const {
        std::string f = "title_fr=" + enc(title_fr) + "&title_en=" + enc(title_en) + "&kind=" + enc(kind);
        for (const auto& p : parties) f += "&parties=" + enc(p);
        for (const auto& s : scopes) f += "&scopes=" + enc(s);
        return f + "&effective_on=" + enc(effective_on) + "&expires_on=" + enc(expires_on) + "&review_due=" + enc(review_due) +
               "&summary=" + enc(summary);
    }
};

// The demo organisations the tests name, by their English names (app/demo_data.cpp).
const std::string agency = "Demo Coordinating Agency";
const std::string blue_river = "Blue River Family Services (fictional)";  // manager1's
const std::string maple = "Fictional Maple Youth Centre";                 // manager2's
const std::string north = "Demo North Community Network";

const std::string admin_email = "ca.admin@demo.arrimage.invalid";

}  // namespace

class AgreementWeb : public testsupport::DemoServerTest {
  protected:
    // As `arrimage serve` sets them: an agreement's documents may be larger than the ordinary
    // body limit (ServerLimits' 1 MiB default here), and only on their path.
    void configure(web::Config& cfg) override { cfg.limits.upload_paths = web::upload_paths(); }
    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // The day `n` days from today on the app's clock (before it when negative).
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    // A demo organisation's id, by its English name.
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    // A demo organisation's name as a page in `lang` shows it.
    std::string org_name(const std::string& name_en, Lang lang) {
        return lang == Lang::en ? name_en : scalar_text("SELECT name_fr FROM organisations WHERE name_en = ?", {name_en});
    }
    // The demo administrator's area.
    std::int64_t area() {
        return scalar(
            "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON "
            "o.id = m.organisation_id WHERE u.email = ?",
            {admin_email});
    }
    // The agreements of the demo administrator's area, as many as its inventory should count.
    std::int64_t in_area(const std::string& where = "1 = 1") {
        return scalar("SELECT COUNT(*) FROM agreements WHERE sda_id = ? AND " + where, {area()});
    }
    // The inventory's count line for `n` agreements.
    std::string count_line(Lang lang, std::int64_t n) {
        return "<p>" + shown(lang, "agreement.count", {std::to_string(n)}) + " ·";
    }
    // Rows of the registry's tables: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM agreements) + (SELECT COUNT(*) FROM agreement_parties) + "
            "(SELECT COUNT(*) FROM agreement_scopes) + (SELECT COUNT(*) FROM agreement_events) + "
            "(SELECT COUNT(*) FROM agreement_evaluations)");
    }
    // A partnership of the agency and the North network, in force from a month ago for a year,
    // reviewed in six months.
    Terms terms(const std::string& name) {
        Terms t;
        t.title_fr = "Entente d’essai — " + name;
        t.title_en = "Test agreement — " + name;
        t.parties = {org(agency), org(north)};
        t.effective_on = day(-30);
        t.expires_on = day(335);
        t.review_due = day(150);
        t.summary = "Chaque partie oriente les familles vers l’autre.\nElles échangent l’information avec le consentement.";
        return t;
    }
    // Records an agreement through its form: its page's address ("" when refused).
    std::string record(Client& c, const Terms& t) {
        auto r = c.submit("/agreements/new", "/agreements", t.form());
        EXPECT_EQ(r.status, 303) << t.title_en;
        return r.status == 303 ? r.header("location") : std::string();
    }
    // Posts one of the agreement page's forms.
    Reply fire(Client& c, const std::string& href, const std::string& event, const std::string& form = "") {
        return c.submit(href, href + "/" + event, form);
    }
    static std::int64_t id_of(const std::string& href) { return std::stoll(href.substr(std::string("/agreements/").size())); }
    std::string column(const std::string& href, const std::string& name) {
        return scalar_text("SELECT " + name + " FROM agreements WHERE id = ?", {id_of(href)});
    }
    // An agreement's status as its page shows it.
    std::string status_shown(Lang lang, const std::string& status) {
        return "<dd>" + shown(lang, "agreement.status." + status) + "</dd>";
    }
    // The navigation's link to the registry.
    std::string nav_link(Lang lang) { return "<a href=\"/agreements\">" + shown(lang, "nav.agreements") + "</a>"; }
    static bool lists(const Reply& r, const std::string& href) { return r.has("<a href=\"" + href + "\">"); }

    // Posts the agreement page's document form (multipart/form-data, the token from the home
    // page): `kind` ("" to send none), then each file as (filename, content).
    Reply add_document(Client& c, const std::string& href, const std::string& kind,
                       const std::vector<std::pair<std::string, std::string>>& files) {
        std::vector<std::pair<std::string, std::string>> fields = {{"_csrf", Client::csrf(c.get("/").body)}};
        if (!kind.empty()) fields.emplace_back("kind", kind);
        std::vector<std::tuple<std::string, std::string, std::string>> parts;
        for (const auto& [filename, content] : files) parts.emplace_back("file", filename, content);
        return c.post_multipart(href + "/documents", fields, parts);
    }
    // One file, as a signed copy.
    Reply add_file(Client& c, const std::string& href, const std::string& filename, const std::string& content) {
        return add_document(c, href, "signed_copy", {{filename, content}});
    }
    // The agreement's documents: their download links, oldest first.
    std::vector<std::string> document_links(const std::string& href) {
        std::vector<std::string> out;
        auto tx = t_->db->begin(store::TxMode::read);
        for (const auto& r : tx->query("SELECT id FROM agreement_documents WHERE agreement_id = ? ORDER BY id", {id_of(href)}))
            out.push_back(href + "/documents/" + std::to_string(r.i64(0)));
        return out;
    }
    std::int64_t documents() { return scalar("SELECT COUNT(*) FROM agreement_documents"); }
    // A download's response as sent, every header line kept (the client keeps one per name).
    std::string raw_download(const Client& c, const std::string& target) {
        return testsupport::raw_response(port_, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: arrimage_session=" +
                                                    c.cookie("arrimage_session") + "\r\n\r\n");
    }
};

TEST_F(AgreementWeb, TheAgencyRecordsAnAgreementThroughItsForm) {
    auto admin = as(admin_email, "en");
    const auto before = in_area();
    auto list = admin.get("/agreements");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<h1>" + shown(Lang::en, "agreement.list_title") + "</h1>"));
    EXPECT_TRUE(list.has("href=\"/agreements/new\""));
    EXPECT_TRUE(list.has(count_line(Lang::en, before)));

    // The form offers the area's active organisations as parties.
    auto form = admin.get("/agreements/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<h1>" + shown(Lang::en, "agreement.new_title") + "</h1>"));
    EXPECT_TRUE(form.has("action=\"/agreements\""));
    const auto parties = party_options(form.body);
    EXPECT_EQ(static_cast<std::int64_t>(parties.size()),
              scalar("SELECT COUNT(*) FROM organisations WHERE active = 1 AND sda_id = ?", {area()}));
    for (const auto& name : {agency, blue_river, maple, north}) {
        ASSERT_TRUE(parties.count(name)) << name;
        EXPECT_EQ(parties.at(name), org(name)) << name;
    }
    for (const char* kind : {"csp_provider", "csp_participant", "partnership"})
        EXPECT_TRUE(form.has("name=\"kind\" value=\"" + std::string(kind) + "\"")) << kind;
    EXPECT_TRUE(form.has("name=\"scopes\" value=\"information_sharing\""));

    Terms t = terms("Nord");
    t.parties = {parties.at(agency), parties.at(north)};
    auto r = admin.submit("/agreements/new", "/agreements", t.form());
    ASSERT_EQ(r.status, 303);
    const std::string href = r.header("location");
    ASSERT_TRUE(std::regex_match(href, std::regex("/agreements/[0-9]+"))) << href;
    const std::string reference = column(href, "reference");
    EXPECT_TRUE(std::regex_match(reference, std::regex("ENT-[0-9]{4}-[0-9]{4}"))) << reference;
    EXPECT_EQ(column(href, "status"), "draft");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_parties WHERE agreement_id = ?", {id_of(href)}), 2);
    EXPECT_EQ(in_area(), before + 1);

    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "agreement.recorded"))) << "the flash";
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<h1>" + (lang == Lang::fr ? t.title_fr : t.title_en) + "</h1>"));
        EXPECT_TRUE(page.has("<dd>ENT-"));
        EXPECT_TRUE(page.has("<dd>" + reference + "</dd>"));
        EXPECT_TRUE(page.has(status_shown(lang, "draft")));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "agreement.kind.partnership") + "</dd>"));
        EXPECT_TRUE(page.has("<li>" + org_name(agency, lang) + " (" + shown(lang, "agreement.agency") + ")</li>"));
        EXPECT_TRUE(page.has("<li>" + org_name(north, lang) + "</li>"));
        EXPECT_FALSE(page.has(org_name(blue_river, lang))) << "not a party";
        EXPECT_TRUE(page.has("<li>" + shown(lang, "agreement.scope.referral") + "</li>"));
        EXPECT_TRUE(page.has("<li>" + shown(lang, "agreement.scope.information_sharing") + "</li>"));
        EXPECT_TRUE(page.has("<dd>" + t.review_due + "</dd>"));
        EXPECT_TRUE(page.has(shown(lang, "agreement.history.record")));
        // What may be done now: activate it (or abandon it), change its terms, evaluate it.
        EXPECT_TRUE(page.has("action=\"" + href + "/activate\""));
        EXPECT_TRUE(page.has(shown(lang, "agreement.event.activate")));
        EXPECT_TRUE(page.has("action=\"" + href + "/terminate\""));
        EXPECT_FALSE(page.has("action=\"" + href + "/open_review\""));
        EXPECT_TRUE(page.has("href=\"" + href + "/edit\""));
        EXPECT_TRUE(page.has("action=\"" + href + "/evaluations\""));
    }

    // The inventory lists it.
    admin.set_cookie("arrimage_lang", "en");
    list = admin.get("/agreements");
    EXPECT_TRUE(lists(list, href));
    EXPECT_TRUE(list.has(reference));
    EXPECT_TRUE(list.has(count_line(Lang::en, before + 1)));
}

TEST_F(AgreementWeb, BadTermsAreFieldErrorsInTheUsersLanguageAndRecordNothing) {
    const auto before = written();
    const auto counted = in_area();
    const std::map<Lang, std::string> two_parties = {{Lang::fr, "Choisissez au moins deux organismes."},
                                                     {Lang::en, "Choose at least two organisations."}};
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto refused = [&](const Terms& t, const std::string& field, const std::string& key) {
            SCOPED_TRACE(field + ": " + key);
            auto r = admin.submit("/agreements/new", "/agreements", t.form());
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has(shown(lang, key)));
            EXPECT_TRUE(r.has("id=\"error-" + field + "\"")) << "the message is on its field";
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\"")) << "the summary links to it";
            return r;
        };

        // A single party.
        Terms t = terms("Seule");
        t.parties = {org(agency)};
        auto r = refused(t, "parties", "agreement.two_parties");
        EXPECT_TRUE(r.has(two_parties.at(lang)));
        EXPECT_TRUE(r.has("value=\"" + t.title_en + "\"")) << "what was typed is kept";
        EXPECT_TRUE(r.has("value=\"" + org(agency) + "\" checked")) << "and what was ticked";
        // The same party twice is still one.
        t.parties = {org(agency), org(agency)};
        refused(t, "parties", "agreement.two_parties");
        // An organisation that does not exist.
        t.parties = {org(agency), "999999"};
        refused(t, "parties", "field.choose_from_list");

        t = terms("Expirée avant");
        t.expires_on = day(-31);
        refused(t, "expires_on", "agreement.expiry_before_effective");
        t.expires_on = t.effective_on;
        refused(t, "expires_on", "agreement.expiry_before_effective");
        t = terms("Révisée avant");
        t.review_due = day(-31);
        refused(t, "review_due", "agreement.review_before_effective");
        t = terms("Révisée après");
        t.review_due = day(400);
        refused(t, "review_due", "agreement.review_after_expiry");
        t = terms("Date");
        t.effective_on = "2026-02-30";
        refused(t, "effective_on", "people.invalid_date");

        t = terms("Genre");
        t.kind = "bogus";
        refused(t, "kind", "field.choose_from_list");
        t.kind = "";
        refused(t, "kind", "field.required");
        t = terms("Portée");
        t.scopes = {};
        refused(t, "scopes", "field.choose_at_least_one");
        t.scopes = {"referral", "payments"};
        refused(t, "scopes", "field.choose_from_list");
        t = terms("");
        t.title_fr = "";
        refused(t, "title_fr", "field.required");

        // An agreement with a provider includes the area's coordinating agency.
        t = terms("Sans agence");
        t.kind = "csp_provider";
        t.parties = {org(blue_river), org(north)};
        refused(t, "parties", "agreement.agency_party");
        t.kind = "csp_participant";
        refused(t, "parties", "agreement.agency_party");

        auto list = admin.get("/agreements");
        EXPECT_TRUE(list.has(count_line(lang, counted))) << "nothing more in the inventory";
    }
    EXPECT_EQ(written(), before);
    EXPECT_EQ(in_area(), counted);
}

TEST_F(AgreementWeb, TheLifecycleRunsThroughThePages) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Cycle");
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());

    // Activated once signed.
    auto r = fire(admin, href, "activate", "note=" + enc("Signée par toutes les parties."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "agreement.done.activate")));
    EXPECT_TRUE(page.has(status_shown(Lang::en, "active")));
    EXPECT_TRUE(page.has(shown(Lang::en, "agreement.history.activate")));
    EXPECT_TRUE(page.has("Signée par toutes les parties."));
    EXPECT_FALSE(page.has("action=\"" + href + "/activate\""));
    EXPECT_TRUE(page.has("action=\"" + href + "/open_review\""));
    EXPECT_TRUE(page.has("action=\"" + href + "/terminate\""));
    EXPECT_FALSE(page.has("action=\"" + href + "/expire\"")) << "not offered before its expiry date";
    EXPECT_EQ(column(href, "status"), "active");

    // Moves not allowed now, in either language, change nothing.
    auto events = [&] { return scalar("SELECT COUNT(*) FROM agreement_events WHERE agreement_id = ?", {id_of(href)}); };
    auto moved = events();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = fire(admin, href, "expire");
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "agreement.not_expired")));
        EXPECT_TRUE(lang != Lang::en || r.has("This agreement has not reached its expiry date."));
        EXPECT_TRUE(r.has(status_shown(lang, "active")));
        r = fire(admin, href, "activate");
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "lifecycle.not_from_state")));
        r = fire(admin, href, "renew", "expires_on=" + day(1000) + "&review_due=" + day(700));
        EXPECT_EQ(r.status, 409) << "renewed only under review";
    }
    EXPECT_EQ(column(href, "status"), "active");
    EXPECT_EQ(column(href, "expires_on"), t.expires_on);
    EXPECT_EQ(events(), moved);

    // Under review.
    admin.set_cookie("arrimage_lang", "en");
    r = fire(admin, href, "open_review", "note=" + enc("Révision annuelle : besoins émergents."));
    EXPECT_EQ(r.status, 303);
    page = admin.get(href);
    EXPECT_TRUE(page.has(status_shown(Lang::en, "under_review")));
    EXPECT_TRUE(page.has("Révision annuelle : besoins émergents."));
    EXPECT_TRUE(page.has("action=\"" + href + "/renew\""));
    EXPECT_TRUE(page.has("action=\"" + href + "/conclude_review\""));
    EXPECT_EQ(column(href, "status"), "under_review");

    // Terminating needs its reason; a renewal needs dates that extend it.
    moved = events();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = fire(admin, href, "terminate", "note=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.required")));
        EXPECT_TRUE(r.has("id=\"terminate-error-note\""));
        EXPECT_TRUE(r.has("href=\"#terminate-field-note\""));
        EXPECT_TRUE(r.has(status_shown(lang, "under_review")));
        r = fire(admin, href, "renew", "expires_on=" + day(100) + "&review_due=" + day(50));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "agreement.renewal_expiry")));
        EXPECT_TRUE(r.has("id=\"renew-error-expires_on\""));
        EXPECT_TRUE(r.has("value=\"" + day(100) + "\"")) << "the dates typed are kept";
        r = fire(admin, href, "renew", "expires_on=" + day(1000) + "&review_due=" + day(-1));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "agreement.review_in_past")));
        EXPECT_TRUE(r.has("id=\"renew-error-review_due\""));
        r = fire(admin, href, "renew", "expires_on=&review_due=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"renew-error-expires_on\""));
    }
    EXPECT_EQ(column(href, "status"), "under_review");
    EXPECT_EQ(column(href, "expires_on"), t.expires_on);
    EXPECT_EQ(events(), moved);

    // Renewed, with its new dates.
    admin.set_cookie("arrimage_lang", "en");
    r = fire(admin, href, "renew", "expires_on=" + day(1095) + "&review_due=" + day(700));
    EXPECT_EQ(r.status, 303);
    page = admin.get(href);
    EXPECT_TRUE(page.has(status_shown(Lang::en, "renewed")));
    EXPECT_TRUE(page.has("<dd>" + day(1095) + "</dd>"));
    EXPECT_EQ(column(href, "status"), "renewed");
    EXPECT_EQ(column(href, "expires_on"), day(1095));
    EXPECT_EQ(column(href, "review_due"), day(700));

    // No such move, no such agreement.
    EXPECT_EQ(fire(admin, href, "nonsense").status, 404);
    EXPECT_EQ(fire(admin, href, "record").status, 404);
    EXPECT_EQ(fire(admin, "/agreements/999999", "activate").status, 404);
    EXPECT_EQ(fire(admin, "/agreements/abc", "activate").status, 404);
    EXPECT_EQ(admin.get("/agreements/999999").status, 404);
    EXPECT_EQ(admin.get("/agreements/abc").status, 404);
    EXPECT_EQ(column(href, "status"), "renewed");

    // Its terms changed from the version shown; a form shown before that change is refused whole.
    auto edit = admin.get(href + "/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.has("action=\"" + href + "/edit\""));
    EXPECT_TRUE(edit.has("value=\"" + t.title_en + "\""));
    const std::string version = captured(edit.body, "name=\"version\" value=\"([0-9]+)\"");
    ASSERT_FALSE(version.empty());
    Terms changed = t;
    changed.title_en = t.title_en + " (amended)";
    changed.expires_on = day(1095);
    changed.review_due = day(700);
    changed.scopes.push_back("joint_training");
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + changed.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "title_en"), changed.title_en);
    EXPECT_TRUE(admin.get(href).has("<li>" + shown(Lang::en, "agreement.scope.joint_training") + "</li>"));
    const auto after_edit = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        Terms stale = changed;
        stale.title_en = t.title_en + " (stale)";
        r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + stale.form());
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "agreement.changed_meanwhile")));
        EXPECT_TRUE(lang != Lang::en || r.has("Someone changed this agreement"));
        r = admin.submit(href + "/edit", href + "/edit", stale.form());
        EXPECT_EQ(r.status, 409) << "no version is never the current one";
    }
    EXPECT_EQ(column(href, "title_en"), changed.title_en);
    EXPECT_EQ(written(), after_edit);

    // Terminated with its reason: nothing more to do, its terms no longer change.
    admin.set_cookie("arrimage_lang", "en");
    r = fire(admin, href, "terminate", "note=" + enc("Le partenaire a cessé ses activités."));
    EXPECT_EQ(r.status, 303);
    page = admin.get(href);
    EXPECT_TRUE(page.has(status_shown(Lang::en, "terminated")));
    EXPECT_TRUE(page.has("Le partenaire a cessé ses activités."));
    EXPECT_FALSE(page.has(shown(Lang::en, "agreement.actions_heading")));
    EXPECT_FALSE(page.has("href=\"" + href + "/edit\""));
    EXPECT_FALSE(page.has("action=\"" + href + "/evaluations\""));
    EXPECT_EQ(column(href, "status"), "terminated");
    const auto ended = written();
    r = admin.get(href + "/edit");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.closed")));
    r = admin.submit(href, href + "/evaluations", "evaluated_on=" + day(0) + "&findings=" + enc("Trop tard.") + "&outcome=keep");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.closed")));
    EXPECT_EQ(fire(admin, href, "terminate", "note=" + enc("Encore.")).status, 409);
    EXPECT_EQ(fire(admin, href, "activate").status, 409);
    EXPECT_EQ(written(), ended);
}

TEST_F(AgreementWeb, AnEvaluationIsRecordedWithItsFindingsAndSetsTheNextReview) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Évaluée");
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(fire(admin, href, "activate").status, 303);
    auto evaluations = [&] { return scalar("SELECT COUNT(*) FROM agreement_evaluations WHERE agreement_id = ?", {id_of(href)}); };
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "agreement.no_evaluations")));

    const std::string expected = "Premier contact en 10 jours ouvrables.";
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto evaluate = [&](const std::string& form) { return admin.submit(href, href + "/evaluations", form); };
        auto r = evaluate("evaluated_on=" + day(0) + "&expected_results=" + enc(expected) + "&findings=&outcome=keep");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.required")));
        EXPECT_TRUE(r.has("id=\"evaluation-error-findings\""));
        EXPECT_TRUE(r.has("href=\"#evaluation-field-findings\""));
        EXPECT_TRUE(r.has(">" + expected + "</textarea>")) << "what was typed is kept";
        r = evaluate("evaluated_on=" + day(1) + "&findings=x&outcome=keep");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "agreement.evaluated_in_future")));
        r = evaluate("evaluated_on=" + day(0) + "&findings=x&outcome=bogus");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"evaluation-error-outcome\""));
        r = evaluate("evaluated_on=" + day(0) + "&findings=x&outcome=keep&next_review_due=" + day(0));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "agreement.next_review_order")));
        // Past the agreement's expiry: refused after the row was written, which does not survive.
        r = evaluate("evaluated_on=" + day(0) + "&findings=x&outcome=keep&next_review_due=" + day(400));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "agreement.review_after_expiry")));
        EXPECT_TRUE(r.has("id=\"evaluation-error-next_review_due\""));
    }
    EXPECT_EQ(evaluations(), 0);
    EXPECT_EQ(column(href, "review_due"), t.review_due);

    admin.set_cookie("arrimage_lang", "en");
    const std::string findings = "Premier contact en 12 jours en moyenne.\nRapports trimestriels reçus à temps.";
    auto r =
        admin.submit(href, href + "/evaluations",
                     "evaluated_on=" + day(-2) + "&expected_results=" + enc(expected) +
                         "&indicators=" + enc("Délai avant le premier contact") + "&findings=" + enc(findings) +
                         "&adjustments=" + enc("Un coordonnateur de plus.") + "&outcome=strengthen&next_review_due=" + day(90));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href + "#evaluations-heading");
    EXPECT_EQ(evaluations(), 1);
    EXPECT_EQ(column(href, "review_due"), day(90)) << "its next review becomes the agreement's";
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "agreement.evaluated")));
    EXPECT_FALSE(page.has(shown(Lang::en, "agreement.no_evaluations")));
    EXPECT_TRUE(page.has(day(-2) + " — " + shown(Lang::en, "agreement.outcome.strengthen")));
    EXPECT_TRUE(page.has(findings));
    EXPECT_TRUE(page.has("Un coordonnateur de plus."));
    EXPECT_TRUE(page.has("<dd>" + day(90) + "</dd>"));
    EXPECT_EQ(column(href, "status"), "active") << "an evaluation is not a move";
    // The inventory shows when it was last evaluated.
    auto list = admin.get("/agreements");
    EXPECT_TRUE(list.has("<td>" + day(-2) + "</td>"));
}

TEST_F(AgreementWeb, TheInventoryIsFilteredAndABadFilterIsAFieldError) {
    auto admin = as(admin_email, "en");
    Terms d = terms("Ébauche");
    d.review_due = day(10);
    const std::string draft = record(admin, d);
    Terms s = terms("Révision proche");
    s.kind = "csp_provider";
    s.parties = {org(agency), org(blue_river)};
    s.scopes = {"governance", "reporting"};
    s.review_due = day(10);
    const std::string soon = record(admin, s);
    const std::string later = record(admin, terms("Révision lointaine"));
    ASSERT_FALSE(draft.empty() || soon.empty() || later.empty());
    ASSERT_EQ(fire(admin, soon, "activate").status, 303);
    ASSERT_EQ(fire(admin, later, "activate").status, 303);

    auto r = admin.get("/agreements?status=draft");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, draft));
    EXPECT_FALSE(lists(r, soon));
    EXPECT_FALSE(lists(r, later));
    EXPECT_TRUE(r.has(count_line(Lang::en, in_area("status = 'draft'"))));
    EXPECT_TRUE(r.has("<option value=\"draft\" selected>")) << "the filter keeps its choice";
    EXPECT_TRUE(r.has("href=\"/agreements/export.csv?status=draft\""));
    EXPECT_TRUE(r.has("href=\"/agreements/export.xlsx?status=draft\""));

    r = admin.get("/agreements?status=active");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, draft));
    EXPECT_TRUE(lists(r, soon));
    EXPECT_TRUE(lists(r, later));
    EXPECT_TRUE(r.has(count_line(Lang::en, in_area("status = 'active'"))));

    // A review due within 60 days, of an agreement in force.
    r = admin.get("/agreements?review=due");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, soon));
    EXPECT_FALSE(lists(r, later));
    EXPECT_FALSE(lists(r, draft)) << "a draft is not in force";
    EXPECT_TRUE(r.has(
        count_line(Lang::en, in_area("status IN ('active', 'under_review', 'renewed') AND review_due <= '" + day(60) + "'"))));

    r = admin.get("/agreements?kind=csp_provider&scope=governance");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, soon));
    EXPECT_FALSE(lists(r, draft));
    EXPECT_FALSE(lists(r, later));
    r = admin.get("/agreements?organisation=" + org(blue_river));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, soon));
    EXPECT_FALSE(lists(r, draft));
    EXPECT_FALSE(lists(r, later));
    r = admin.get("/agreements?status=draft&organisation=" + org(blue_river));
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, soon));
    EXPECT_FALSE(lists(r, draft));

    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = admin.get("/agreements?kind=bogus");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));
        EXPECT_TRUE(r.has("id=\"error-kind\""));
        EXPECT_TRUE(r.has("href=\"#field-kind\""));
        EXPECT_TRUE(lists(r, draft) && lists(r, soon) && lists(r, later)) << "the whole inventory under the error";
        EXPECT_TRUE(r.has(count_line(lang, in_area())));
        EXPECT_FALSE(r.has("export.csv?kind=")) << "the exports do not carry a bad filter";
        r = admin.get("/agreements?review=soon");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-review\""));
        r = admin.get("/agreements?organisation=abc");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-organisation\""));
        r = admin.get("/agreements?status=" + enc("<b>nope</b>"));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-status\""));
        EXPECT_FALSE(r.has("<b>nope</b>"));
        EXPECT_EQ(admin.get("/agreements/export.csv?kind=bogus").status, 422);
        EXPECT_EQ(admin.get("/agreements/export.xlsx?scope=bogus").status, 422);
    }
}

TEST_F(AgreementWeb, TheInventoryIsExportedAsCsvAndExcel) {
    auto admin = as(admin_email, "en");
    Terms t = terms("Exportée");
    t.title_en = "Exported agreement, with a comma";
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    const std::string reference = column(href, "reference");
    const std::vector<std::string> columns = {"reference", "title",     "area",    "kind",       "parties",  "scopes",
                                              "status",    "effective", "expires", "review_due", "evaluated"};

    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto csv = admin.get("/agreements/export.csv");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_EQ(csv.header("content-disposition"), "attachment; filename=\"agreements.csv\"");
        std::string header;
        for (const auto& c : columns)
            header += (header.empty() ? "\"" : ",\"") + app_->catalogue().t(lang, "agreement.col." + c) + "\"";
        EXPECT_EQ(csv.body.rfind(header + "\r\n", 0), 0u) << csv.body.substr(0, 300);
        const std::string title = lang == Lang::fr ? t.title_fr : t.title_en;
        const std::string status = app_->catalogue().t(lang, "agreement.status.draft");
        EXPECT_TRUE(csv.has("\"" + reference + "\",\"" + title + "\",")) << "its reference and title";
        EXPECT_TRUE(csv.has("\"" + status + "\",\"" + t.effective_on + "\",\"" + t.expires_on + "\",\"" + t.review_due + "\""));
        std::int64_t lines = 0;
        for (auto at = csv.body.find("\r\n"); at != std::string::npos; at = csv.body.find("\r\n", at + 2)) ++lines;
        EXPECT_EQ(lines, in_area() + 1) << "a header and one line per agreement of the area";
        // Filtered as the inventory is.
        EXPECT_FALSE(admin.get("/agreements/export.csv?status=active").has(reference));
        EXPECT_TRUE(admin.get("/agreements/export.csv?status=draft").has(reference));

        auto xlsx = admin.get("/agreements/export.xlsx");
        ASSERT_EQ(xlsx.status, 200);
        EXPECT_EQ(xlsx.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        EXPECT_EQ(xlsx.header("content-disposition"), "attachment; filename=\"agreements.xlsx\"");
        ASSERT_EQ(xlsx.body.rfind("PK", 0), 0u) << "a zip";
        EXPECT_NE(
            zip_part(xlsx.body, "xl/workbook.xml").find("name=\"" + app_->catalogue().t(lang, "agreement.sheet_name") + "\""),
            std::string::npos);
        const auto cells = sheet_cells(xlsx.body, 1);
        EXPECT_EQ(cells.count("A1") ? cells.at("A1") : "", app_->catalogue().t(lang, "agreement.col.reference"));
        EXPECT_EQ(cells.count("K1") ? cells.at("K1") : "", app_->catalogue().t(lang, "agreement.col.evaluated"));
        int found = 0;
        std::int64_t rows = 0;
        for (const auto& [ref, text] : cells) {
            if (ref[0] != 'A' || ref == "A1") continue;
            ++rows;
            if (text != reference) continue;
            ++found;
            const std::string row = ref.substr(1);
            EXPECT_EQ(cells.count("B" + row) ? cells.at("B" + row) : "", title);
            EXPECT_EQ(cells.count("G" + row) ? cells.at("G" + row) : "", status);
            EXPECT_EQ(cells.count("J" + row) ? cells.at("J" + row) : "", t.review_due);
        }
        EXPECT_EQ(found, 1) << "the workbook holds the agreement once";
        EXPECT_EQ(rows, in_area());
    }
}

TEST_F(AgreementWeb, OnlyTheAgencyChangesAgreementsAndEachReaderSeesWhatIsTheirs) {
    auto admin = as(admin_email, "en");
    Terms with_blue_river = terms("Rivière-Bleue");
    with_blue_river.kind = "csp_provider";
    with_blue_river.parties = {org(agency), org(blue_river)};
    const std::string theirs = record(admin, with_blue_river);
    const std::string other = record(admin, terms("Sans Rivière-Bleue"));
    ASSERT_FALSE(theirs.empty() || other.empty());
    const std::string their_reference = column(theirs, "reference"), other_reference = column(other, "reference");
    const std::string valid = terms("Refusée").form();
    const std::string evaluation = "evaluated_on=" + day(0) + "&findings=x&outcome=keep";
    const auto before = written();

    // A coordinator is refused everything, by the pages (the form's token is good).
    auto coordinator = as("coord1@demo.arrimage.invalid", "en");
    EXPECT_EQ(coordinator.get("/agreements").status, 403);
    EXPECT_EQ(coordinator.get("/agreements/new").status, 403);
    EXPECT_EQ(coordinator.get(theirs).status, 403);
    EXPECT_EQ(coordinator.get(theirs + "/edit").status, 403);
    EXPECT_EQ(coordinator.get("/agreements/export.csv").status, 403);
    EXPECT_EQ(coordinator.get("/agreements/export.xlsx").status, 403);
    auto r = coordinator.submit("/", "/agreements", valid);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
    EXPECT_EQ(coordinator.submit("/", theirs + "/activate", "").status, 403);
    EXPECT_EQ(coordinator.submit("/", theirs + "/evaluations", evaluation).status, 403);
    EXPECT_FALSE(coordinator.get("/").has("href=\"/agreements\"")) << "no link to what they may not open";

    // The ministry's analyst reads them all and changes none.
    auto analyst = as("analyst@demo.arrimage.invalid", "en");
    r = analyst.get("/agreements");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.analyst_intro")));
    EXPECT_TRUE(lists(r, theirs));
    EXPECT_TRUE(lists(r, other));
    EXPECT_TRUE(r.has(count_line(Lang::en, scalar("SELECT COUNT(*) FROM agreements"))));
    EXPECT_FALSE(r.has("href=\"/agreements/new\""));
    r = analyst.get(theirs);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<dd>" + their_reference + "</dd>"));
    EXPECT_FALSE(r.has("action=\"" + theirs + "/activate\"")) << "nothing to do";
    EXPECT_FALSE(r.has("href=\"" + theirs + "/edit\""));
    EXPECT_FALSE(r.has("action=\"" + theirs + "/evaluations\""));
    EXPECT_TRUE(analyst.get("/agreements/export.csv").has(their_reference));
    EXPECT_EQ(analyst.get("/agreements/new").status, 403);
    EXPECT_EQ(analyst.get(theirs + "/edit").status, 403);
    EXPECT_EQ(analyst.submit("/agreements", "/agreements", valid).status, 403);
    EXPECT_EQ(analyst.submit(theirs, theirs + "/activate", "").status, 403);
    EXPECT_EQ(analyst.submit(theirs, theirs + "/terminate", "note=x").status, 403);
    EXPECT_EQ(analyst.submit(theirs, theirs + "/evaluations", evaluation).status, 403);
    EXPECT_EQ(analyst.submit(theirs, theirs + "/edit", "version=1&" + with_blue_river.form()).status, 403);
    EXPECT_EQ(analyst.get("/agreements/999999").status, 404);

    // A provider manager reads the agreements their organisation is a party to, and no other.
    auto manager = as("manager1@demo.arrimage.invalid", "en");
    r = manager.get("/agreements");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, theirs));
    EXPECT_FALSE(lists(r, other));
    EXPECT_TRUE(r.has(count_line(
        Lang::en, scalar("SELECT COUNT(*) FROM agreement_parties WHERE organisation_id = ?", {std::stoll(org(blue_river))}))));
    r = manager.get(theirs);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("action=\"" + theirs + "/activate\""));
    EXPECT_FALSE(r.has("href=\"" + theirs + "/edit\""));
    EXPECT_EQ(manager.get(other).status, 404);
    auto csv = manager.get("/agreements/export.csv");
    EXPECT_TRUE(csv.has(their_reference));
    EXPECT_FALSE(csv.has(other_reference));
    EXPECT_EQ(manager.get("/agreements/new").status, 403);
    EXPECT_EQ(manager.get(theirs + "/edit").status, 403);
    EXPECT_EQ(manager.submit("/agreements", "/agreements", valid).status, 403);
    EXPECT_EQ(manager.submit("/agreements", theirs + "/activate", "").status, 403);
    EXPECT_EQ(manager.submit("/agreements", theirs + "/evaluations", evaluation).status, 403);
    auto maple_manager = as("manager2@demo.arrimage.invalid", "en");
    EXPECT_EQ(maple_manager.get(theirs).status, 404);
    EXPECT_FALSE(lists(maple_manager.get("/agreements"), theirs));

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get("/agreements");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    r = visitor.get(theirs);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.post("/agreements", valid).status, 401);
    EXPECT_EQ(visitor.post(theirs + "/activate", "").status, 401);

    EXPECT_EQ(written(), before);
    EXPECT_EQ(column(theirs, "status"), "draft");
}

// Another area's administrator: the demo area's agreements are not theirs to see or change;
// the demo agency may not name an organisation of that area as a party.
TEST_F(AgreementWeb, AnotherAreasAdministratorNeitherSeesNorChangesThem) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Zone Est"));
    ASSERT_FALSE(href.empty());
    std::int64_t west_agency = 0;
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = west;
        o.name_fr = "Agence Ouest";
        o.name_en = "West Agency";
        o.sector = domain::Sector::social_services;
        o.csp_roles = {domain::CspRole::coordinating_agency};
        west_agency = *repo.create_organisation(o, 0);
        const auto user = *repo.create_user({"west.admin@example.org", "West Admin", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {west_agency, domain::Role::ca_admin}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password("west admin password", PasswordHashCost::minimum()));
        tx->commit();
    }
    Client west(port_);
    ASSERT_EQ(west.submit("/login", "/login", "email=west.admin%40example.org&password=west+admin+password").status, 303);
    west.set_cookie("arrimage_lang", "en");
    const auto before = written();
    auto r = west.get("/agreements");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, href));
    EXPECT_TRUE(r.has(count_line(Lang::en, 0)));
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.none")));
    EXPECT_FALSE(west.get("/agreements/export.csv").has(column(href, "reference")));
    EXPECT_EQ(west.get(href).status, 404);
    EXPECT_EQ(west.get(href + "/edit").status, 404);
    EXPECT_EQ(west.submit("/agreements", href + "/activate", "").status, 404);
    EXPECT_EQ(west.submit("/agreements", href + "/evaluations", "evaluated_on=" + day(0) + "&findings=x&outcome=keep").status,
              404);
    EXPECT_EQ(west.submit("/agreements", href + "/edit", "version=1&" + terms("Volée").form()).status, 404);
    const auto offered = party_options(west.get("/agreements/new").body);
    EXPECT_EQ(offered.size(), 1u);
    EXPECT_TRUE(offered.count("West Agency"));
    EXPECT_FALSE(offered.count(agency));
    EXPECT_EQ(written(), before);
    EXPECT_EQ(column(href, "status"), "draft");

    // An area's agreements are between its own organisations: another area's would read the
    // agreement and its documents while its own agency never sees it.
    Terms beyond = terms("Au-delà");
    beyond.parties = {org(north), std::to_string(west_agency)};
    const auto agreements_before = written();
    r = admin.submit("/agreements/new", "/agreements", beyond.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.party_other_area")));
    EXPECT_EQ(written(), agreements_before);
}

TEST_F(AgreementWeb, EveryPageOfTheRegistryLinksToIt) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Navigation"));
    ASSERT_FALSE(href.empty());
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        for (const std::string& path :
             {std::string("/"), std::string("/agreements"), std::string("/agreements/new"), href, href + "/edit"}) {
            SCOPED_TRACE(path);
            auto r = admin.get(path);
            ASSERT_EQ(r.status, 200);
            EXPECT_TRUE(r.has(nav_link(lang)));
        }
    }
    for (const char* reader : {"analyst@demo.arrimage.invalid", "manager1@demo.arrimage.invalid"})
        EXPECT_TRUE(as(reader, "en").get("/").has(nav_link(Lang::en))) << reader;
    for (const char* other : {"coord1@demo.arrimage.invalid", "privacy@demo.arrimage.invalid", "sysadmin@demo.arrimage.invalid"})
        EXPECT_FALSE(as(other, "en").get("/").has("href=\"/agreements\"")) << other;
}

// A renewal, or an evaluation's next review date, changes the agreement's dates and so its
// version: a terms form opened before either is refused rather than putting the old dates back.
TEST_F(AgreementWeb, AFormOpenedBeforeARenewalOrAnEvaluationDoesNotUndoIt) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Perdue");
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(fire(admin, href, "activate").status, 303);
    ASSERT_EQ(fire(admin, href, "open_review").status, 303);
    std::string version = captured(admin.get(href + "/edit").body, "name=\"version\" value=\"([0-9]+)\"");
    ASSERT_FALSE(version.empty());
    ASSERT_EQ(fire(admin, href, "renew", "expires_on=" + day(1095) + "&review_due=" + day(700)).status, 303);
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + t.form());
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.changed_meanwhile")));
    EXPECT_EQ(column(href, "expires_on"), day(1095));
    EXPECT_EQ(column(href, "review_due"), day(700));

    Terms renewed = t;
    renewed.expires_on = day(1095);
    renewed.review_due = day(700);
    version = captured(admin.get(href + "/edit").body, "name=\"version\" value=\"([0-9]+)\"");
    ASSERT_EQ(admin
                  .submit(href, href + "/evaluations",
                          "evaluated_on=" + day(0) + "&findings=x&outcome=keep&next_review_due=" + day(200))
                  .status,
              303);
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + renewed.form());
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(column(href, "review_due"), day(200));
}

// An agreement may be activated before its effective date: a renewal's or an evaluation's review
// date before that day is a field error (the table's CHECK would otherwise answer 500).
TEST_F(AgreementWeb, AReviewBeforeTheEffectiveDateIsAFieldError) {
    auto admin = as(admin_email, "en");
    Terms t = terms("Future");
    t.effective_on = day(100);
    t.expires_on = day(500);
    t.review_due = day(150);
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(fire(admin, href, "activate").status, 303);
    const auto before = written();
    auto r = admin.submit(href, href + "/evaluations",
                          "evaluated_on=" + day(0) + "&findings=x&outcome=keep&next_review_due=" + day(10));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.review_before_effective")));
    EXPECT_TRUE(r.has("id=\"evaluation-error-next_review_due\""));
    ASSERT_EQ(fire(admin, href, "open_review").status, 303);
    r = fire(admin, href, "renew", "expires_on=" + day(600) + "&review_due=" + day(10));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.review_before_effective")));
    EXPECT_TRUE(r.has("id=\"renew-error-review_due\""));
    EXPECT_EQ(written(), before + 1) << "only the review's start";
    EXPECT_EQ(column(href, "review_due"), day(150));
    EXPECT_EQ(column(href, "expires_on"), day(500));
}

// An open-ended agreement activated before its effective date and renewed to expire on that
// very day: a field error on the new expiry date, not the table's CHECK (expires_on >
// effective_on) as a server error.
TEST_F(AgreementWeb, ARenewalExpiringOnTheEffectiveDateIsAFieldError) {
    auto admin = as(admin_email, "en");
    Terms t = terms("Sans fin");
    t.effective_on = day(100);
    t.expires_on = "";
    t.review_due = day(150);
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(fire(admin, href, "activate").status, 303);
    ASSERT_EQ(fire(admin, href, "open_review").status, 303);
    auto r = fire(admin, href, "renew", "expires_on=" + day(100) + "&review_due=" + day(100));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"renew-error-expires_on\""));
    EXPECT_EQ(column(href, "status"), "under_review");
}

// After a stale edit the page says "Here it is as it is now": the form holds the current terms,
// not the stale values posted, so saving again cannot silently overwrite the other change.
TEST_F(AgreementWeb, AStaleEditShowsTheAgreementAsItIsNow) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Périmée");
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    const std::string version = captured(admin.get(href + "/edit").body, "name=\"version\" value=\"([0-9]+)\"");
    Terms theirs = t, mine = t;
    theirs.title_en = "Their title";
    mine.title_en = "My title";
    ASSERT_EQ(admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + theirs.form()).status, 303);
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + mine.form());
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("value=\"Their title\""));
    EXPECT_FALSE(r.has("value=\"My title\""));
}

// ---------------------------------------------------------------- documents

namespace {

// A small PDF with NULs and 0xFF among its bytes: the download gives these bytes back exactly.
std::string small_pdf() {
    std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
    return out + "\n%%EOF\n";
}

// The values of every `name` header line of a raw response's head (names compared in lower case).
std::vector<std::string> header_lines(const std::string& raw, const std::string& name) {
    std::vector<std::string> out;
    const std::string head = raw.substr(0, raw.find("\r\n\r\n"));
    for (std::size_t at = head.find("\r\n"); at != std::string::npos;) {
        const auto next = head.find("\r\n", at + 2);
        const std::string line = head.substr(at + 2, next == std::string::npos ? std::string::npos : next - at - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos && ascii_lower(line.substr(0, colon)) == name) out.push_back(trim(line.substr(colon + 1)));
        at = next;
    }
    return out;
}

}  // namespace

TEST_F(AgreementWeb, TheAgencyAddsADocumentAndItIsDownloadedAsItWasSent) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Documents"));
    ASSERT_FALSE(href.empty());
    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "agreement.no_documents")));
    EXPECT_TRUE(page.has("action=\"" + href + "/documents\" enctype=\"multipart/form-data\""));
    EXPECT_TRUE(page.has("type=\"file\" id=\"document-field-file\" name=\"file\""));
    EXPECT_TRUE(page.has("accept=\".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg\""));

    const std::string pdf = small_pdf();
    const auto before = documents();
    auto r = add_file(admin, href, "entente-signee.pdf", pdf);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    EXPECT_EQ(r.header("location"), href + "#documents-heading");
    EXPECT_EQ(documents(), before + 1);
    const auto links = document_links(href);
    ASSERT_EQ(links.size(), 1u);

    // The page lists it: its name (a download link), kind and size, in either language.
    page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "agreement.document_added")));
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_FALSE(page.has(shown(lang, "agreement.no_documents")));
        EXPECT_TRUE(page.has("<a href=\"" + links[0] + "\" download>entente-signee.pdf</a>"));
        EXPECT_TRUE(page.has("<td>" + shown(lang, "agreement.document_kind.signed_copy") + "</td>"));
        EXPECT_TRUE(page.has("<td>" + shown(lang, "agreement.size_kb", {"1"}) + "</td>")) << pdf.size() << " bytes";
        EXPECT_TRUE(page.has(hash_token(pdf)));
    }
    EXPECT_EQ(app_->catalogue().t(Lang::fr, "agreement.size_kb", {"1"}), "1 ko");

    // The download: the same bytes, as a PDF, always an attachment, nothing in it run.
    auto file = admin.get(links[0]);
    ASSERT_EQ(file.status, 200);
    EXPECT_EQ(file.body.size(), pdf.size());
    EXPECT_TRUE(file.body == pdf) << "byte for byte";
    EXPECT_EQ(file.header("content-type"), "application/pdf");
    const std::string disposition = file.header("content-disposition");
    EXPECT_EQ(disposition.rfind("attachment; filename=", 0), 0u) << disposition;
    EXPECT_EQ(disposition, "attachment; filename=\"entente-signee.pdf\"; filename*=UTF-8''entente-signee.pdf");
    EXPECT_EQ(file.header("cache-control"), "no-store");
    const std::string raw = raw_download(admin, links[0]);
    ASSERT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw.substr(0, 300);
    const auto policies = header_lines(raw, "content-security-policy");
    EXPECT_TRUE(std::any_of(policies.begin(), policies.end(), [](const std::string& p) {
        return p.find("sandbox") != std::string::npos;
    })) << "a policy that sandboxes it, whatever else is sent";
    EXPECT_EQ(header_lines(raw, "x-content-type-options"), std::vector<std::string>{"nosniff"});
    EXPECT_EQ(raw.substr(raw.find("\r\n\r\n") + 4), pdf);
}

// RFC 6266 and RFC 8187: the name itself in filename*, and an ASCII stand-in in filename for
// the clients that read only that one.
TEST_F(AgreementWeb, ANameWithAccentsIsGivenBackWhole) {
    auto admin = as(admin_email, "fr");
    const std::string href = record(admin, terms("Accents"));
    ASSERT_FALSE(href.empty());
    const std::string name = "entente signée.pdf";
    auto r = add_file(admin, href, name, small_pdf());
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    const auto links = document_links(href);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_TRUE(admin.get(href).has(">" + name + "</a>"));
    auto file = admin.get(links[0]);
    ASSERT_EQ(file.status, 200);
    const std::string disposition = file.header("content-disposition");
    EXPECT_TRUE(std::regex_match(
        disposition, std::regex(R"(attachment; filename="entente sign_+e\.pdf"; filename\*=UTF-8''entente%20sign%C3%A9e\.pdf)")))
        << disposition;
    for (unsigned char c : disposition) EXPECT_TRUE(c >= 0x20 && c < 0x7f) << "ASCII only: " << disposition;
}

// Above the ordinary 1 MiB body limit: the document path's pattern reaches the server's limits,
// and no other path gets them.
TEST_F(AgreementWeb, ADocumentLargerThanTheOrdinaryBodyLimitIsAccepted) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Grand"));
    ASSERT_FALSE(href.empty());
    std::string big = "%PDF-1.7\n";
    big.resize(3 * 1024 * 1024, 'x');
    auto r = add_file(admin, href, "annexes.pdf", big);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    const auto links = document_links(href);
    ASSERT_EQ(links.size(), 1u);
    EXPECT_TRUE(admin.get(href).has("<td>" + shown(Lang::en, "agreement.size_mb", {"3.0"}) + "</td>"));
    admin.set_cookie("arrimage_lang", "fr");
    EXPECT_TRUE(admin.get(href).has("<td>" + shown(Lang::fr, "agreement.size_mb", {"3,0"}) + "</td>"));
    auto file = admin.get(links[0]);
    ASSERT_EQ(file.status, 200);
    EXPECT_EQ(file.body.size(), big.size());
    EXPECT_TRUE(file.body == big);

    // Over the document's own limit (10 MiB), yet within the path's: the page says so.
    admin.set_cookie("arrimage_lang", "en");
    std::string too_big = "%PDF-1.7\n";
    too_big.resize(10 * 1024 * 1024 + 1, 'x');
    const auto before = documents();
    r = add_file(admin, href, "trop.pdf", too_big);
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.document_too_large", {"10"})));
    EXPECT_TRUE(r.has("The file is larger than 10 MB."));
    EXPECT_EQ(documents(), before);

    // Any other path keeps the ordinary limit, declared bodies refused from the headers.
    const std::string declared =
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=B\r\n"
        "Content-Length: 3145728\r\n\r\n";
    EXPECT_EQ(testsupport::raw_status(port_, "POST " + href + "/evaluations" + declared), 413);
    EXPECT_EQ(testsupport::raw_status(port_, "POST " + href + "/documents/1" + declared), 413);
    EXPECT_EQ(testsupport::raw_status(port_, "POST " + href + declared), 413);
}

TEST_F(AgreementWeb, BadDocumentsAreFieldErrorsInTheUsersLanguageAndWriteNothing) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Refusés"));
    ASSERT_FALSE(href.empty());
    const std::string html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";
    const std::map<Lang, std::string> content_text = {
        {Lang::fr, "Le contenu du fichier ne correspond pas à son nom"},
        {Lang::en, "content is not what its name says: check that it is the right file and that it is not damaged."}};
    const std::map<Lang, std::string> missing_text = {{Lang::fr, "Choisissez le fichier à ajouter."},
                                                      {Lang::en, "Choose the file to add."}};
    const auto before = documents();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto refused = [&](const Reply& r, const std::string& field, const std::string& key) {
            SCOPED_TRACE(field + ": " + key);
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has(shown(lang, key)));
            EXPECT_TRUE(r.has("id=\"document-error-" + field + "\"")) << "the message is on its field";
            EXPECT_TRUE(r.has("href=\"#document-field-" + field + "\"")) << "the summary links to it";
        };

        // An HTML page named .pdf.
        auto r = add_document(admin, href, "annex", {{"entente.pdf", html}});
        refused(r, "file", "agreement.document_content");
        EXPECT_TRUE(r.has(content_text.at(lang)));
        EXPECT_TRUE(r.has("<option value=\"annex\" selected>")) << "the kind chosen is kept";
        EXPECT_FALSE(r.has("alert(document.cookie)")) << "nothing of the file is shown";

        // No file: none sent, or the empty part a browser sends when none was chosen.
        r = add_document(admin, href, "signed_copy", {});
        refused(r, "file", "agreement.document_missing");
        EXPECT_TRUE(r.has(missing_text.at(lang)));
        r = add_document(admin, href, "signed_copy", {{"", ""}});
        refused(r, "file", "agreement.document_missing");

        // Not a type accepted.
        refused(add_file(admin, href, "evil.html", html), "file", "agreement.document_type");
        refused(add_file(admin, href, "image.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "file",
                "agreement.document_type");
        // A name with a folder.
        refused(add_file(admin, href, "../../entente.pdf", small_pdf()), "file", "agreement.document_name");
        // No kind, or one not in the list.
        refused(add_document(admin, href, "", {{"entente.pdf", small_pdf()}}), "kind", "field.required");
        refused(add_document(admin, href, "contract", {{"entente.pdf", small_pdf()}}), "kind", "field.choose_from_list");
        // One file at a time.
        refused(add_document(admin, href, "signed_copy", {{"a.pdf", small_pdf()}, {"b.pdf", small_pdf()}}), "file",
                "agreement.document_one");
    }
    EXPECT_EQ(documents(), before);
    admin.set_cookie("arrimage_lang", "en");
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "agreement.no_documents")));
}

TEST_F(AgreementWeb, OnlyTheAgencyAddsDocumentsAndEachReaderDownloadsWhatIsTheirs) {
    auto admin = as(admin_email, "en");
    Terms with_blue_river = terms("Rivière-Bleue");
    with_blue_river.kind = "csp_provider";
    with_blue_river.parties = {org(agency), org(blue_river)};
    const std::string theirs = record(admin, with_blue_river);
    const std::string other = record(admin, terms("Sans Rivière-Bleue"));
    ASSERT_FALSE(theirs.empty() || other.empty());
    const std::string pdf = small_pdf();
    ASSERT_EQ(add_file(admin, theirs, "signee.pdf", pdf).status, 303);
    ASSERT_EQ(add_file(admin, other, "autre.pdf", pdf).status, 303);
    const std::string link = document_links(theirs).at(0), other_link = document_links(other).at(0);
    const auto before = documents();

    // A coordinator: refused both ways, by the page (the form's token is good).
    auto coordinator = as("coord1@demo.arrimage.invalid", "en");
    EXPECT_EQ(coordinator.get(link).status, 403);
    auto r = add_file(coordinator, theirs, "x.pdf", pdf);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf")));

    // The analyst downloads and adds nothing; no form is offered.
    auto analyst = as("analyst@demo.arrimage.invalid", "en");
    auto file = analyst.get(link);
    EXPECT_EQ(file.status, 200);
    EXPECT_TRUE(file.body == pdf);
    r = analyst.get(theirs);
    EXPECT_TRUE(r.has("<a href=\"" + link + "\" download>signee.pdf</a>"));
    EXPECT_FALSE(r.has("action=\"" + theirs + "/documents\""));
    r = add_file(analyst, theirs, "x.pdf", pdf);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf")));

    // A provider manager: the documents of their organisation's agreements only.
    auto manager = as("manager1@demo.arrimage.invalid", "en");
    EXPECT_EQ(manager.get(link).status, 200);
    EXPECT_EQ(manager.get(other_link).status, 404);
    EXPECT_EQ(add_file(manager, theirs, "x.pdf", pdf).status, 403);
    auto maple_manager = as("manager2@demo.arrimage.invalid", "en");
    EXPECT_EQ(maple_manager.get(link).status, 404);

    // A document is found under its own agreement only.
    EXPECT_EQ(admin.get(theirs + "/documents/" + other_link.substr(other_link.rfind('/') + 1)).status, 404);
    EXPECT_EQ(admin.get(theirs + "/documents/999999").status, 404);
    EXPECT_EQ(admin.get(theirs + "/documents/abc").status, 404);
    EXPECT_EQ(admin.get("/agreements/999999/documents/1").status, 404);

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get(link);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_FALSE(r.has("%PDF"));
    EXPECT_EQ(visitor.post_multipart(theirs + "/documents", {{"kind", "signed_copy"}}, {{"file", "x.pdf", pdf}}).status, 401);

    // Once terminated, the agreement takes no more documents; those it has are still read.
    ASSERT_EQ(fire(admin, theirs, "terminate", "note=" + enc("Fin du programme.")).status, 303);
    r = add_file(admin, theirs, "tard.pdf", pdf);
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "agreement.closed")));
    EXPECT_FALSE(admin.get(theirs).has("action=\"" + theirs + "/documents\""));
    EXPECT_EQ(admin.get(link).status, 200);
    EXPECT_EQ(documents(), before);
}

// Whether new agreements are needed: the agency sees each provider and participant of its area
// against the agreement its role asks for, and records the missing one from its row with the
// form filled in; the analyst reads every area's; a provider manager is refused.
TEST_F(AgreementWeb, TheCoveragePageShowsTheGapsAndRecordsTheMissingAgreement) {
    std::int64_t newcomer = 0;
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo ids(*tx, clock_);
        domain::Organisation o;
        o.sda_id = area();
        o.sector = domain::Sector::health;
        o.name_fr = "Clinique Nouvelle (fictive)";
        o.name_en = "Fictional Newcomer Clinic";
        o.csp_roles = {domain::CspRole::csp_provider};
        newcomer = *ids.create_organisation(o, 0);
        tx->commit();
    }
    const std::string record_href = "/agreements/new?kind=csp_provider&amp;party=" + std::to_string(newcomer);
    for (const auto lang : {Lang::fr, Lang::en}) {
        auto c = as(admin_email, lang == Lang::fr ? "fr" : "en");
        const auto list = c.get("/agreements");
        EXPECT_TRUE(list.has("<a href=\"/agreements/coverage\">" + shown(lang, "agreement.coverage_link") + "</a>"));
        const auto page = c.get("/agreements/coverage");
        ASSERT_EQ(page.status, 200) << page.body;
        EXPECT_TRUE(page.has("<h1>" + shown(lang, "agreement.coverage_title") + "</h1>"));
        EXPECT_TRUE(page.has(lang == Lang::fr ? "Clinique Nouvelle (fictive)" : "Fictional Newcomer Clinic"));
        EXPECT_TRUE(page.has(shown(lang, "agreement.coverage.missing")));
        EXPECT_TRUE(page.has("<a href=\"" + record_href + "\">")) << "the gap's row records it";
        EXPECT_FALSE(page.has(shown(lang, "agreement.col.area") + "</th>")) << "one area: no area column";
    }
    // The form comes filled in: the kind asked for, the organisation and the agency as parties.
    auto c = as(admin_email, "en");
    const auto form = c.get("/agreements/new?kind=csp_provider&party=" + std::to_string(newcomer));
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("value=\"csp_provider\" checked"));
    EXPECT_TRUE(form.has("value=\"" + std::to_string(newcomer) + "\" checked"));
    EXPECT_TRUE(form.has("value=\"" + org(agency) + "\" checked"));
    // Anything else in the address leaves the form empty there.
    const auto odd = c.get("/agreements/new?kind=nonsense&party=abc");
    ASSERT_EQ(odd.status, 200);
    EXPECT_FALSE(odd.has("\" checked"));

    Terms t = terms("newcomer");
    t.kind = "csp_provider";
    t.parties = {org(agency), std::to_string(newcomer)};
    const auto href = record(c, t);
    ASSERT_FALSE(href.empty());
    EXPECT_EQ(fire(c, href, "activate").status, 303);
    const auto after = c.get("/agreements/coverage");
    EXPECT_FALSE(after.has("<a href=\"" + record_href + "\">")) << "covered now";

    // The analyst reads every area's, without the links that record; a manager is refused.
    auto analyst = as("analyst@demo.arrimage.invalid", "en");
    const auto all = analyst.get("/agreements/coverage");
    ASSERT_EQ(all.status, 200);
    EXPECT_TRUE(all.has(shown(Lang::en, "agreement.col.area") + "</th>"));
    EXPECT_FALSE(all.has("/agreements/new?"));
    EXPECT_EQ(as("manager1@demo.arrimage.invalid", "en").get("/agreements/coverage").status, 403);
    EXPECT_FALSE(as("manager1@demo.arrimage.invalid", "en").get("/agreements").has("/agreements/coverage"));
}
