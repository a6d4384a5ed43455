// The network map over HTTP, on the demo data (pages_network_map.cpp) with, added here, an
// organisation of the demo area that never had an agreement, one whose only agreement was
// terminated, and another area with its own agency and administrator. The area's administrator,
// a provider manager and the ministry's analyst read the map (the analyst with every area and an
// area filter), anyone else is refused; each organisation's standing is in words in its table
// row, beside the data the drawing reads, in French and in English; the filters narrow the
// tables and keep their choice; a bad filter is a field error on the filter form in the user's
// language (422); an area the reader may not see is not found. A provider manager reads in full
// the agreements their organisation is a party to, the others without reference, title or link.
// The demo's own agreements (app/demo_agreements.cpp) are counted from the database, never
// assumed.
#include <gtest/gtest.h>

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

const std::string admin_email = "ca.admin@demo.arrimage.invalid";
const std::string manager_email = "manager1@demo.arrimage.invalid";  // Blue River Family Services
const std::string analyst_email = "analyst@demo.arrimage.invalid";
const std::string agency_name = "Demo Coordinating Agency";

// The table row that carries `attribute` ("data-node=\"12\""), "" when there is none.
std::string row(const Reply& r, const std::string& attribute) {
    const auto at = r.body.find(attribute);
    if (at == std::string::npos) return {};
    const auto start = r.body.rfind("<tr", at);
    const auto end = r.body.find("</tr>", at);
    if (start == std::string::npos || end == std::string::npos) return {};
    return r.body.substr(start, end - start);
}

}  // namespace

class NetworkMapWeb : public testsupport::DemoServerTest {
  protected:
    void seed() override {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        demo_sda_ = tx->query_one("SELECT o.sda_id FROM organisations o WHERE o.name_en = ?", {agency_name})->i64(0);
        demo_agency_ = tx->query_one("SELECT id FROM organisations WHERE name_en = ?", {agency_name})->i64(0);
        domain::Organisation o;
        o.sda_id = demo_sda_;
        o.name_fr = "Centre d’essai isolé";
        o.name_en = "Isolated Test Centre";
        o.sector = domain::Sector::health;
        o.csp_roles = {domain::CspRole::broader_partner};
        isolated_ = *repo.create_organisation(o, 0);
        o.name_fr = "Service d’essai échu";
        o.name_en = "Lapsed Test Service";
        o.sector = domain::Sector::municipal;
        lapsed_ = *repo.create_organisation(o, 0);
        const std::string now = format_iso(clock_.now());
        const std::string today = date_of(clock_.now()).iso();
        ended_ = tx->query_one(
                       "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, effective_on, review_due, status, "
                       "created_at, updated_at) VALUES (?, 'CARTE-ESSAI-1', 'Entente résiliée d’essai', 'Terminated test "
                       "agreement', 'partnership', ?, ?, 'terminated', ?, ?) RETURNING id",
                       {demo_sda_, today, today, now, now})
                     ->i64(0);
        for (auto party : {demo_agency_, lapsed_})
            tx->exec("INSERT INTO agreement_parties (agreement_id, organisation_id) VALUES (?, ?)", {ended_, party});
        // Another area, its agency and its administrator.
        west_sda_ = *repo.create_sda({"west", "Ouest", "West"}, 0);
        o.sda_id = west_sda_;
        o.name_fr = "Agence Ouest";
        o.name_en = "West Agency";
        o.sector = domain::Sector::social_services;
        o.csp_roles = {domain::CspRole::coordinating_agency};
        west_agency_ = *repo.create_organisation(o, 0);
        const auto user = *repo.create_user({"west.admin@example.org", "West Admin", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {west_agency_, domain::Role::ca_admin}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password("west admin password", PasswordHashCost::minimum()));
        tx->commit();
    }

    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    Client west(const std::string& lang) {
        Client c(port_);
        EXPECT_EQ(c.submit("/login", "/login", "email=west.admin%40example.org&password=west+admin+password").status, 303);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    static std::string node(std::int64_t id) { return "data-node=\"" + std::to_string(id) + "\""; }
    static std::string edge(std::int64_t id) { return "data-edge=\"" + std::to_string(id) + "\""; }
    std::string map_of_area(std::int64_t area) { return "/network/map?area=" + std::to_string(area); }

    std::int64_t demo_sda_ = 0, demo_agency_ = 0, isolated_ = 0, lapsed_ = 0, ended_ = 0, west_sda_ = 0, west_agency_ = 0;
};

TEST_F(NetworkMapWeb, TheAgencyProvidersAndTheMinistryReadTheMapAndNobodyElse) {
    for (const auto& email : {admin_email, manager_email, analyst_email}) {
        auto c = as(email, "en");
        auto r = c.get("/network/map");
        EXPECT_EQ(r.status, 200) << email;
        EXPECT_TRUE(r.has("<h1>" + shown(Lang::en, "network.map.title") + "</h1>")) << email;
        EXPECT_TRUE(r.has(node(isolated_))) << email;
        EXPECT_TRUE(r.has(edge(ended_))) << email;
        EXPECT_EQ(r.has(node(west_agency_)), email == analyst_email) << email << ": another area, for the analyst only";
    }
    for (const char* email : {"coord1@demo.arrimage.invalid", "staff.ctc@demo.arrimage.invalid", "privacy@demo.arrimage.invalid",
                              "sysadmin@demo.arrimage.invalid"}) {
        auto c = as(email, "en");
        EXPECT_EQ(c.get("/network/map").status, 403) << email;
        EXPECT_EQ(c.get(map_of_area(demo_sda_)).status, 403) << email << ": refused before any area is looked up";
    }
    Client nobody(port_);
    const auto r = nobody.get("/network/map");
    EXPECT_NE(r.status, 200);
    EXPECT_FALSE(r.has(node(isolated_)));
}

TEST_F(NetworkMapWeb, AnOrganisationWithoutAnAgreementIsShownUnconnectedInWordsInBothLanguages) {
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto r = admin.get("/network/map");
        ASSERT_EQ(r.status, 200);
        const std::string isolated_name = lang == Lang::fr ? "Centre d’essai isolé" : "Isolated Test Centre";
        const std::string lapsed_name = lang == Lang::fr ? "Service d’essai échu" : "Lapsed Test Service";

        // The unconnected organisation: its standing in words, its label marked, no agreement.
        const auto isolated = row(r, node(isolated_));
        ASSERT_FALSE(isolated.empty());
        EXPECT_NE(isolated.find("data-standing=\"unconnected\""), std::string::npos) << isolated;
        EXPECT_NE(isolated.find("data-label=\"" +
                                shown(lang, "network.map.marked_label",
                                      {isolated_name, app_->catalogue().t(lang, "network.map.marker.unconnected")}) +
                                "\""),
                  std::string::npos)
            << isolated;
        EXPECT_NE(isolated.find("<th scope=\"row\">" + isolated_name), std::string::npos) << isolated;
        EXPECT_NE(isolated.find(">" + shown(lang, "network.map.standing.unconnected") + "<"), std::string::npos) << isolated;
        EXPECT_NE(isolated.find(shown(lang, "sector.health")), std::string::npos) << isolated;
        EXPECT_NE(isolated.find("<td>0</td>\n      <td>0</td>"), std::string::npos) << "none in force, none ended: " << isolated;

        // The lapsed one: its agreement terminated, drawn dashed.
        const auto lapsed = row(r, node(lapsed_));
        EXPECT_NE(lapsed.find("data-standing=\"lapsed\""), std::string::npos) << lapsed;
        EXPECT_NE(lapsed.find(">" + shown(lang, "network.map.standing.lapsed") + "<"), std::string::npos) << lapsed;
        EXPECT_NE(lapsed.find("<td>0</td>\n      <td>1</td>"), std::string::npos) << lapsed;
        const auto ended = row(r, edge(ended_));
        ASSERT_FALSE(ended.empty());
        const std::string parties = demo_agency_ < lapsed_ ? std::to_string(demo_agency_) + " " + std::to_string(lapsed_)
                                                           : std::to_string(lapsed_) + " " + std::to_string(demo_agency_);
        EXPECT_NE(ended.find("data-parties=\"" + parties + "\""), std::string::npos) << ended;
        EXPECT_NE(ended.find("data-in-force=\"0\""), std::string::npos) << ended;
        EXPECT_NE(ended.find("href=\"/agreements/" + std::to_string(ended_) + "\""), std::string::npos) << ended;
        EXPECT_NE(ended.find(shown(lang, "agreement.status.terminated")), std::string::npos) << ended;
        EXPECT_NE(ended.find(shown(lang, "agreement.kind.partnership")), std::string::npos) << ended;
        EXPECT_NE(ended.find(lapsed_name), std::string::npos) << "its parties by name: " << ended;

        // The counts in words, and the drawing's scripts.
        EXPECT_TRUE(r.has(shown(lang, "network.map.counts.unconnected")));
        EXPECT_TRUE(r.has(shown(lang, "network.map.standing.unconnected_explained")));
        EXPECT_TRUE(r.has(shown(lang, "network.map.legend")));
        EXPECT_TRUE(r.has("<figure class=\"arr-chart\" data-network-map>"));
        EXPECT_TRUE(r.has("/static/js/cytoscape.min.js?v="));
        EXPECT_TRUE(r.has("/static/js/network-map.js?v="));
        EXPECT_TRUE(r.has("role=\"region\" aria-labelledby=\"map-organisations-heading\" tabindex=\"0\""));
        EXPECT_TRUE(r.has("role=\"region\" aria-labelledby=\"map-agreements-heading\" tabindex=\"0\""));
        EXPECT_FALSE(r.has("id=\"field-area\"")) << "only the analyst chooses an area";
        EXPECT_FALSE(r.has("<th scope=\"col\">" + shown(lang, "network.map.col.area") + "</th>"));
    }
    // Each count is of the organisations listed: the unconnected ones of the area.
    const auto unconnected = scalar(
        "SELECT COUNT(*) FROM organisations o WHERE o.sda_id = ? AND o.active = 1 AND NOT EXISTS (SELECT 1 FROM "
        "agreement_parties p JOIN agreements a ON a.id = p.agreement_id WHERE p.organisation_id = o.id AND a.status <> 'draft')",
        {demo_sda_});
    ASSERT_GE(unconnected, 1);
    auto admin = as(admin_email, "en");
    EXPECT_TRUE(admin.get("/network/map")
                    .has("<dt>" + shown(Lang::en, "network.map.counts.unconnected") + "</dt><dd>" + std::to_string(unconnected) +
                         "<br>"));
}

TEST_F(NetworkMapWeb, TheFiltersNarrowTheTablesAndKeepTheirChoice) {
    auto admin = as(admin_email, "en");
    auto r = admin.get("/network/map?standing=unconnected");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(node(isolated_)));
    EXPECT_FALSE(r.has(node(lapsed_)));
    EXPECT_FALSE(r.has(edge(ended_))) << "no listed party: not drawn";
    EXPECT_TRUE(r.has("<option value=\"unconnected\" selected>"));

    r = admin.get("/network/map?standing=lapsed");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(node(isolated_)));
    EXPECT_TRUE(r.has(node(lapsed_)));
    EXPECT_TRUE(r.has(edge(ended_)));
    EXPECT_NE(row(r, edge(ended_)).find("data-parties=\"" + std::to_string(lapsed_) + "\""), std::string::npos)
        << "only the parties listed";

    r = admin.get("/network/map?sector=health");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(node(isolated_)));
    EXPECT_FALSE(r.has(node(lapsed_)));
    EXPECT_FALSE(r.has(node(demo_agency_)));
    EXPECT_TRUE(r.has("<option value=\"health\" selected>"));

    // Only agreements of one kind: the lapsed service's partnership no longer counts.
    r = admin.get("/network/map?kind=csp_provider");
    ASSERT_EQ(r.status, 200);
    EXPECT_NE(row(r, node(lapsed_)).find("data-standing=\"unconnected\""), std::string::npos);
    EXPECT_FALSE(r.has(edge(ended_)));
    EXPECT_TRUE(r.has("<option value=\"csp_provider\" selected>"));
    r = admin.get("/network/map?kind=partnership&standing=lapsed&sector=municipal");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(node(lapsed_)));
    EXPECT_TRUE(r.has(edge(ended_)));

    // The analyst: every area, one area, and the area column.
    auto analyst = as(analyst_email, "en");
    r = analyst.get("/network/map");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(node(isolated_)));
    EXPECT_TRUE(r.has(node(west_agency_)));
    EXPECT_TRUE(r.has("id=\"field-area\""));
    EXPECT_TRUE(r.has("<option value=\"" + std::to_string(west_sda_) + "\">West</option>"));
    EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(Lang::en, "network.map.col.area") + "</th>"));
    r = analyst.get(map_of_area(west_sda_));
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(node(isolated_)));
    EXPECT_NE(row(r, node(west_agency_)).find("data-standing=\"unconnected\""), std::string::npos);
    EXPECT_TRUE(r.has("<option value=\"" + std::to_string(west_sda_) + "\" selected>West</option>"));
    EXPECT_TRUE(r.has(shown(Lang::en, "network.map.no_agreements")));

    // The area's own, named by its administrator: the same map.
    r = admin.get(map_of_area(demo_sda_));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(node(isolated_)));
}

TEST_F(NetworkMapWeb, ABadFilterIsAFieldErrorOnTheFilterFormInTheUsersLanguage) {
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto r = admin.get("/network/map?standing=bogus");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));
        EXPECT_TRUE(r.has("id=\"error-standing\""));
        EXPECT_TRUE(r.has("href=\"#field-standing\""));
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "network.map.title") + "</h1>"));
        EXPECT_TRUE(r.has(node(isolated_)) && r.has(node(lapsed_))) << "the whole map under the error";
        r = admin.get("/network/map?sector=" + enc("<b>nope</b>"));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-sector\""));
        EXPECT_FALSE(r.has("<b>nope</b>"));
        r = admin.get("/network/map?kind=draft");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-kind\""));
        r = admin.get("/network/map?area=abc");
        EXPECT_EQ(r.status, 422) << "an area that is not an id, although the form offers none here";
        EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));

        auto analyst = as(analyst_email, std::string(code(lang)));
        r = analyst.get("/network/map?area=-1&kind=partnership");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-area\""));
        EXPECT_TRUE(r.has("href=\"#field-area\""));
        EXPECT_TRUE(r.has("<option value=\"partnership\" selected>")) << "the other choices are kept";
    }
}

TEST_F(NetworkMapWeb, AnAreaTheReaderMayNotSeeIsNotFound) {
    auto w = west("en");
    auto r = w.get("/network/map");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(node(west_agency_)));
    EXPECT_FALSE(r.has(node(isolated_)));
    EXPECT_FALSE(r.has(edge(ended_)));
    r = w.get(map_of_area(demo_sda_));
    EXPECT_EQ(r.status, 404);
    EXPECT_FALSE(r.has(node(isolated_)));
    EXPECT_EQ(as(admin_email, "fr").get(map_of_area(west_sda_)).status, 404);
    EXPECT_EQ(as(manager_email, "en").get(map_of_area(west_sda_)).status, 404);
    EXPECT_EQ(as(analyst_email, "en").get("/network/map?area=999999999").status, 404);
}

// Of an agreement their organisation is not a party to, a provider manager sees the kind, status
// and parties, not the reference, title nor a link; theirs in full, with its link even when the
// filters leave their own organisation out of the map. The agency and the analyst see everything.
TEST_F(NetworkMapWeb, AProviderManagerReadsOnlyTheAgreementsTheirOrganisationIsAPartyTo) {
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto manager = as(manager_email, std::string(code(lang)));
        auto r = manager.get("/network/map");
        ASSERT_EQ(r.status, 200);
        const auto ended = row(r, edge(ended_));
        ASSERT_FALSE(ended.empty());
        EXPECT_NE(ended.find("<th scope=\"row\">" + shown(lang, "network.map.agreement_withheld") + "</th>"), std::string::npos)
            << ended;
        EXPECT_EQ(ended.find("href=\"/agreements/"), std::string::npos) << "not a party: no link";
        EXPECT_EQ(ended.find("CARTE-ESSAI-1"), std::string::npos) << "nor its reference";
        EXPECT_EQ(ended.find(lang == Lang::fr ? "Entente résiliée d’essai" : "Terminated test agreement"), std::string::npos)
            << "nor its title";
        EXPECT_NE(ended.find("data-label=\"\""), std::string::npos) << "the drawing does not name it either";
        EXPECT_NE(ended.find(shown(lang, "agreement.kind.partnership")), std::string::npos) << "its kind";
        EXPECT_NE(ended.find(shown(lang, "agreement.status.terminated")), std::string::npos) << "its status";
        EXPECT_NE(ended.find(lang == Lang::fr ? "Service d’essai échu" : "Lapsed Test Service"), std::string::npos)
            << "its parties";
        EXPECT_FALSE(r.has("CARTE-ESSAI-1"));
    }

    auto manager = as(manager_email, "en");
    auto r = manager.get("/network/map");
    const auto theirs = scalar(
        "SELECT MIN(p.agreement_id) FROM agreement_parties p JOIN agreements a ON a.id = p.agreement_id JOIN organisations o "
        "ON o.id = p.organisation_id WHERE o.name_en = 'Blue River Family Services (fictional)' AND a.status <> 'draft'");
    ASSERT_GT(theirs, 0) << "the demo gives the manager's organisation agreements";
    const auto reference = scalar_text("SELECT reference FROM agreements WHERE id = ?", {theirs});
    EXPECT_NE(row(r, edge(theirs)).find("<a href=\"/agreements/" + std::to_string(theirs) + "\">" + reference + "</a>"),
              std::string::npos);

    // Filtered to another sector: their organisation is not on the map, their agreement still is
    // (another party is), and still theirs to open.
    const std::string other_party =
        "FROM agreement_parties mine JOIN organisations me ON me.id = mine.organisation_id JOIN agreements a ON a.id = "
        "mine.agreement_id JOIN agreement_parties p ON p.agreement_id = a.id JOIN organisations o ON o.id = p.organisation_id "
        "WHERE me.name_en = 'Blue River Family Services (fictional)' AND a.status <> 'draft' AND o.active = 1 AND o.sector <> "
        "me.sector AND a.id = ?";
    const auto sector = scalar_text("SELECT MIN(o.sector) " + other_party, {theirs});
    ASSERT_FALSE(sector.empty()) << "the agreement has a party of another sector";
    const auto own = scalar("SELECT id FROM organisations WHERE name_en = 'Blue River Family Services (fictional)'");
    r = manager.get("/network/map?sector=" + sector);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(node(own)));
    EXPECT_NE(row(r, edge(theirs)).find("<a href=\"/agreements/" + std::to_string(theirs) + "\">" + reference + "</a>"),
              std::string::npos)
        << row(r, edge(theirs));

    for (const auto& email : {admin_email, analyst_email}) {
        auto c = as(email, "en");
        const auto full = row(c.get("/network/map"), edge(ended_));
        EXPECT_NE(full.find("<a href=\"/agreements/" + std::to_string(ended_) + "\">CARTE-ESSAI-1</a>"), std::string::npos)
            << email;
        EXPECT_NE(full.find("<td>Terminated test agreement</td>"), std::string::npos) << email;
    }
}

// The page's outline: one h1, the drawing and its tables under their own h2; an empty map says
// whether the filters leave nothing.
TEST_F(NetworkMapWeb, TheHeadingsNestAndAnEmptyMapSaysWhy) {
    auto admin = as(admin_email, "en");
    auto r = admin.get("/network/map");
    ASSERT_EQ(r.status, 200);
    const auto main_at = r.body.find("<main");
    ASSERT_NE(main_at, std::string::npos);
    const auto body = r.body.substr(main_at, r.body.find("</main>") - main_at);
    std::size_t h1 = 0;
    for (auto at = body.find("<h1"); at != std::string::npos; at = body.find("<h1", at + 1)) ++h1;
    EXPECT_EQ(h1, 1u);
    const auto drawing = body.find("<h2 id=\"map-drawing-heading\">" + shown(Lang::en, "network.map.drawing_heading") + "</h2>");
    const auto organisations = body.find("<h3 id=\"map-organisations-heading\">");
    const auto agreements = body.find("<h3 id=\"map-agreements-heading\">");
    ASSERT_NE(drawing, std::string::npos);
    ASSERT_NE(organisations, std::string::npos);
    ASSERT_NE(agreements, std::string::npos);
    EXPECT_LT(drawing, organisations);
    EXPECT_LT(organisations, agreements);
    EXPECT_EQ(body.find("<h2", drawing + 1), std::string::npos) << "no other h2 between the drawing and its tables";
    EXPECT_FALSE(r.has(shown(Lang::en, "network.map.no_organisations")));

    // Nothing matches: said as such, not as an empty area.
    for (const Lang lang : {Lang::fr, Lang::en}) {
        auto analyst = as(analyst_email, std::string(code(lang)));
        const auto empty_area = [&] {
            auto tx = t_->db->begin(store::TxMode::write);
            const auto id =
                *store::IdentityRepo(*tx, clock_).create_sda({"empty-" + std::string(code(lang)), "Vide", "Empty"}, 0);
            tx->commit();
            return id;
        }();
        r = analyst.get(map_of_area(empty_area));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<p>" + shown(lang, "network.map.no_organisations") + "</p>"));
        EXPECT_FALSE(r.has(shown(lang, "network.map.empty")));
    }
}
