// The service directory through the real HTTP server, on the backend under test (SQLite:
// label db, PostgreSQL: label pg), with the demo data and the demo directory loaded.
#include <gtest/gtest.h>

#include <thread>

#include "app/demo_data.hpp"
#include "app/demo_directory.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "db/test_support.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

class DirectoryWeb : public testsupport::DemoServerTest {
  protected:
    Client client(const std::string& lang = "en") {
        Client c(port_);
        c.accept_language = lang;
        return c;
    }
    Client signed_in(const std::string& email) { return sign_in(email); }
    std::string service(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM services WHERE name_en = ?", {name_en}));
    }
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    // Where `text` first appears in the page; npos when absent.
    static std::size_t at(const Reply& r, const std::string& text) { return r.body.find(text); }
};

const char* const blue_river = "Blue River Family Services (fictional)";

TEST_F(DirectoryWeb, FamiliesSearchWithoutAnAccountInFrench) {
    auto c = client("fr-CA,fr;q=0.9");
    auto r = c.get("/services?q=orthophonistes");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"fr\">"));
    EXPECT_TRUE(r.has("Services trouvés : 1"));
    EXPECT_TRUE(r.has("Orthophonie pédiatrique"));
    EXPECT_TRUE(r.has("Liste d&apos;attente : environ 40 semaine(s)"));
    EXPECT_TRUE(r.has("value=\"orthophonistes\""));
    EXPECT_TRUE(r.has("/static/css/directory.css"));
    EXPECT_TRUE(c.cookie("arrimage_session").empty());
    // Accents are optional: the demo's French services about school.
    r = c.get("/services?q=ECOLE");
    EXPECT_TRUE(r.has("Équipe ressource en éducation spécialisée"));
    EXPECT_TRUE(r.has("Équipe de transition à la vie adulte"));
    r = c.get("/services?q=" + enc("répit"));
    EXPECT_TRUE(r.has("Répit familial Rivière-Bleue"));
    EXPECT_EQ(c.get("/services?q=repit").body.find("Répit familial Rivière-Bleue") != std::string::npos, true);
}

TEST_F(DirectoryWeb, FamiliesSearchWithoutAnAccountInEnglish) {
    auto c = client();
    auto r = c.get("/services?q=speech+therapists");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"en\">"));
    EXPECT_TRUE(r.has("Services found: 1"));
    EXPECT_TRUE(r.has("Paediatric Speech Therapy"));
    EXPECT_TRUE(r.has("Demo Children&apos;s Treatment Centre"));
    EXPECT_TRUE(r.has("Nordville-Démo"));  // where
    r = c.get("/services");
    EXPECT_TRUE(r.has("Services found: 16"));
    EXPECT_EQ(c.get("/services?q=astronomy").body.find("Services found: 0") != std::string::npos, true);
    // The language link keeps the search.
    EXPECT_TRUE(c.get("/services?q=respite").has("/lang/fr?next=%2Fservices%3Fq%3Drespite"));
}

TEST_F(DirectoryWeb, FiltersAndSorting) {
    auto c = client();
    auto r = c.get("/services?category=autism");
    EXPECT_TRUE(r.has("Services found: 1"));
    EXPECT_TRUE(r.has("Autism Services Program"));
    r = c.get("/services?age=23");
    EXPECT_EQ(at(r, "Paediatric Speech Therapy"), std::string::npos);    // 0 to 18
    EXPECT_NE(at(r, "Maple Youth Counselling"), std::string::npos);      // 12 to 24
    EXPECT_NE(at(r, "Demo North Family Food Bank"), std::string::npos);  // no age limit
    r = c.get("/services?language=asl");
    EXPECT_TRUE(r.has("Services found: 1"));
    r = c.get("/services?wait=open");
    EXPECT_EQ(at(r, "Paediatric Speech Therapy"), std::string::npos);
    EXPECT_EQ(at(r, "Autism Services Program"), std::string::npos);  // closed to new referrals
    EXPECT_NE(at(r, "Youth Crisis Line"), std::string::npos);
    r = c.get("/services?wait=12&category=mental_health");
    EXPECT_TRUE(r.has("Services found: 3"));  // crisis line (open), counselling (8), family therapy (12)
    r = c.get("/services?fls=1&category=mental_health");
    EXPECT_EQ(at(r, "Maple Youth Counselling"), std::string::npos);
    EXPECT_NE(at(r, "Family Therapy"), std::string::npos);
    r = c.get("/services?area=" + std::to_string(scalar("SELECT id FROM service_delivery_areas")) + "&q=respite");
    EXPECT_TRUE(r.has("Blue River Family Respite"));
    r = c.get("/services?category=mental_health&sort=wait");
    ASSERT_NE(at(r, "Youth Crisis Line"), std::string::npos);
    EXPECT_LT(at(r, "Youth Crisis Line"), at(r, "Maple Youth Counselling"));
    EXPECT_LT(at(r, "Maple Youth Counselling"), at(r, "Family Therapy"));
}

TEST_F(DirectoryWeb, BadSearchInputGetsFieldErrors) {
    auto c = client();
    auto r = c.get("/services?age=-3&category=astrology&sort=sideways&language=tlh&area=999");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("There is a problem"));
    EXPECT_TRUE(r.has("Enter an age in whole years from 0 to 120."));
    EXPECT_TRUE(r.has("Choose a type of service from the list."));
    EXPECT_TRUE(r.has("href=\"#search-age\""));
    EXPECT_TRUE(r.has("href=\"#search-area\""));
    EXPECT_TRUE(r.has("aria-invalid=\"true\""));
    EXPECT_FALSE(r.has("Services found"));
    c.accept_language = "fr";
    r = c.get("/services?q=" + std::string(201, 'a'));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Utilisez au plus 200 caractères."));
}

TEST_F(DirectoryWeb, ServicePageShowsEverythingAFamilyNeeds) {
    auto c = client();
    const auto id = service("Paediatric Speech Therapy");
    auto r = c.get("/services/" + id);
    ASSERT_EQ(r.status, 200);
    for (const char* text :
         {"Paediatric Speech Therapy", "speech-language pathologists", "0 to 18 years", "Referral from a physician",
          "Free (provincially funded)", "French, English, American Sign Language (ASL)", "French Language Services designated",
          "Waitlist: about 40 week(s)", "Last updated:", "Nordville-Demo satellite office", "Tuesday and Thursday",
          "Step-free access", "href=\"tel:+16135550", "Speech and language"}) {
        EXPECT_TRUE(r.has(text)) << text;
    }
    EXPECT_FALSE(r.has("May be out of date."));
    EXPECT_FALSE(r.has("Edit this service"));  // visitors do not get staff links
    // Not confirmed for 45 days: flagged, in both languages.
    const auto counselling = service("Maple Youth Counselling");
    r = c.get("/services/" + counselling);
    EXPECT_TRUE(r.has("May be out of date."));
    EXPECT_TRUE(r.has("has not been confirmed for more than 30 days"));
    c.accept_language = "fr";
    r = c.get("/services/" + counselling);
    EXPECT_TRUE(r.has("Peut-être périmé."));
    EXPECT_TRUE(r.has("Counseling jeunesse Érable"));
    EXPECT_EQ(c.get("/services/999999").status, 404);
    EXPECT_EQ(c.get("/services/abc").status, 404);
}

TEST_F(DirectoryWeb, ProviderManagersDescribeTheirServices) {
    auto c = signed_in("manager1@demo.arrimage.invalid");
    auto r = c.get("/directory/manage");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(blue_river));
    EXPECT_FALSE(r.has("Fictional Maple Youth Centre"));
    const auto prov1 = org(blue_river);
    const std::string form = "/directory/manage/organisations/" + prov1 + "/services/new";
    EXPECT_EQ(c.get(form).status, 200);
    const auto before = scalar("SELECT COUNT(*) FROM services");
    const auto updates_before = scalar("SELECT COUNT(*) FROM waitlist_updates");
    auto service_form = [](const std::string& weeks) {
        return "name_fr=" + enc("Groupe d'entraide") +
               "&name_en=Peer+support+group&description_fr=" + enc("Rencontres.\r\nLe mardi.") +
               "&description_en=Meetings&categories=parenting&languages=fr&languages=en&waitlist_status=waitlist&wait_weeks=" +
               weeks + "&phone=" + enc("613-555-0142") + "&age_min=0&age_max=18";
    };
    r = c.submit(form, form, service_form("6"));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM services"), before + 1);
    auto found = client().get("/services?q=peer+support");
    EXPECT_TRUE(found.has("Services found: 1"));
    EXPECT_TRUE(found.has("Waitlist: about 6 week(s)"));

    // Bad input: clear field errors, nothing saved.
    r = c.submit(form, form,
                 "name_fr=&name_en=X&description_fr=D&description_en=D&categories=astrology&languages=fr"
                 "&waitlist_status=waitlist&wait_weeks=-4&phone=12&age_min=19&age_max=3&website=javascript:alert(1)");
    EXPECT_EQ(r.status, 422);
    for (const char* text : {"There is a problem", "Enter a value for this field.", "Choose a type of service from the list.",
                             "Enter a whole number of weeks from 1 to 260.", "Enter a 10-digit phone number",
                             "The oldest age served cannot be less than the youngest.",
                             "Enter a web address starting with https://.", "href=\"#field-wait_weeks\""}) {
        EXPECT_TRUE(r.has(text)) << text;
    }
    EXPECT_TRUE(r.has("value=\"X\""));  // what was typed is kept
    r = c.submit(form, form, service_form("9999"));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM services"), before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM waitlist_updates"), updates_before + 1);
}

TEST_F(DirectoryWeb, LocationsNeedValidPostalCodesAndPhones) {
    auto c = signed_in("manager1@demo.arrimage.invalid");
    const std::string form = "/directory/manage/organisations/" + org(blue_river) + "/locations/new";
    const auto before = scalar("SELECT COUNT(*) FROM sites");
    auto r = c.submit(form, form, "name_fr=Point&name_en=Point&address=1+rue&city=Ville&postal_code=12345&phone=555");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Enter a Canadian postal code like K1A 0B1."));
    EXPECT_TRUE(r.has("Enter a 10-digit phone number"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM sites"), before);
    r = c.submit(form, form,
                 "name_fr=Point&name_en=Point&address=1+rue&city=Ville&postal_code=k0a1z9&phone=6135550177"
                 "&hours_en=" +
                     enc("Mon–Fri") + "&step_free_access=1");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM sites"), before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM location_details WHERE phone = '+1 613-555-0177' AND step_free_access = 1"), 1);
}

TEST_F(DirectoryWeb, StaffOfAnotherOrganisationCannotChangeYourServices) {
    const auto respite = service("Blue River Family Respite");
    const std::string edit = "/directory/manage/services/" + respite + "/edit";
    auto other = signed_in("manager2@demo.arrimage.invalid");  // Maple Youth Centre
    EXPECT_EQ(other.get(edit).status, 403);
    EXPECT_EQ(other.get("/directory/manage/organisations/" + org(blue_river)).status, 403);
    const std::string csrf = Client::csrf(other.get("/directory/manage").body);
    auto r = other.post(
        edit, "_csrf=" + csrf + "&name_fr=Vol&name_en=Stolen&description_fr=x&description_en=x&categories=food&languages=en");
    EXPECT_EQ(r.status, 403);
    r = other.post("/directory/manage/services/" + respite + "/waitlist", "_csrf=" + csrf + "&waitlist_status=closed");
    EXPECT_EQ(r.status, 403);
    r = other.post("/directory/manage/services/" + respite + "/deactivate", "_csrf=" + csrf);
    EXPECT_EQ(r.status, 403);
    r = other.post(
        "/directory/manage/organisations/" + org(blue_river) + "/services/new",
        "_csrf=" + csrf +
            "&name_fr=X&name_en=X&description_fr=x&description_en=x&categories=food&languages=en&waitlist_status=open");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM services WHERE name_en = 'Stolen' OR name_en = 'X'"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM services WHERE id = ? AND active = 1 AND waitlist_status = 'waitlist'",
                     {std::stoll(respite)}),
              1);

    // Staff without a directory role, and visitors.
    auto coordinator = signed_in("coord1@demo.arrimage.invalid");
    EXPECT_EQ(coordinator.get("/directory/manage").status, 403);
    EXPECT_EQ(coordinator.get(edit).status, 403);
    auto participant = signed_in("staff.ctc@demo.arrimage.invalid");
    EXPECT_EQ(participant.get("/directory/manage/services/" + service("Paediatric Speech Therapy") + "/edit").status, 403);
    auto visitor = client();
    r = visitor.get(edit);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.post(edit, "name_en=Stolen").status, 401);

    // The SDA's coordinating-agency administrator may; the owner may.
    EXPECT_EQ(signed_in("ca.admin@demo.arrimage.invalid").get(edit).status, 200);
    EXPECT_EQ(signed_in("manager1@demo.arrimage.invalid").get(edit).status, 200);
    EXPECT_EQ(signed_in("manager.ctc@demo.arrimage.invalid").get(edit).status, 403);
}

TEST_F(DirectoryWeb, WaitlistsAreConfirmedAndGoStale) {
    auto c = signed_in("manager1@demo.arrimage.invalid");
    const auto respite = service("Blue River Family Respite");
    const std::string page = "/directory/manage/services/" + respite + "/waitlist";
    EXPECT_EQ(c.get(page).status, 200);
    for (const char* bad :
         {"waitlist_status=waitlist&wait_weeks=-4", "waitlist_status=waitlist&wait_weeks=9999",
          "waitlist_status=waitlist&wait_weeks=", "waitlist_status=open&wait_weeks=3", "waitlist_status=soon"}) {
        SCOPED_TRACE(bad);
        EXPECT_EQ(c.submit(page, page, bad).status, 422);
    }
    EXPECT_EQ(scalar("SELECT wait_weeks FROM services WHERE id = ?", {std::stoll(respite)}), 16);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM waitlist_updates WHERE service_id = ?", {std::stoll(respite)}), 1);
    EXPECT_EQ(c.submit(page, page, "waitlist_status=waitlist&wait_weeks=12").status, 303);
    auto visitor = client();
    EXPECT_TRUE(visitor.get("/services/" + respite).has("Waitlist: about 12 week(s)"));

    clock_.advance(std::chrono::hours(24 * 31));
    EXPECT_TRUE(visitor.get("/services/" + respite).has("May be out of date."));
    EXPECT_TRUE(visitor.get("/services?q=respite").has("May be out of date."));
    c = signed_in("manager1@demo.arrimage.invalid");
    auto dashboard = c.get("/directory/manage/organisations/" + org(blue_river));
    EXPECT_TRUE(dashboard.has("has not been confirmed for more than 30 days"));
    // Confirming without a change clears the flag.
    EXPECT_EQ(c.submit(page, page, "waitlist_status=waitlist&wait_weeks=12").status, 303);
    EXPECT_FALSE(visitor.get("/services/" + respite).has("May be out of date."));
}

TEST_F(DirectoryWeb, DeactivatedServicesLeaveThePublicDirectory) {
    auto c = signed_in("manager1@demo.arrimage.invalid");
    const auto respite = service("Blue River Family Respite");
    const std::string dashboard = "/directory/manage/organisations/" + org(blue_river);
    auto visitor = client();
    // Searched once before the change: the cached results must not outlive it.
    EXPECT_TRUE(visitor.get("/services?q=respite").has("Blue River Family Respite"));
    EXPECT_EQ(c.submit(dashboard, "/directory/manage/services/" + respite + "/deactivate", "").status, 303);
    EXPECT_EQ(visitor.get("/services/" + respite).status, 404);
    EXPECT_FALSE(visitor.get("/services?q=respite").has("Blue River Family Respite"));
    EXPECT_EQ(c.submit(dashboard, "/directory/manage/services/" + respite + "/reactivate", "").status, 303);
    EXPECT_EQ(visitor.get("/services/" + respite).status, 200);
    EXPECT_TRUE(visitor.get("/services?q=respite").has("Blue River Family Respite"));
}

TEST_F(DirectoryWeb, CoordinatingAgencyMaintainsReferralPathways) {
    auto coordinator = signed_in("coord1@demo.arrimage.invalid");
    auto r = coordinator.get("/directory/pathways");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Single window (coordinated access)"));
    EXPECT_TRUE(r.has("Demo Coordinated Access (single window)"));
    EXPECT_EQ(coordinator.get("/directory/pathways/new").status, 403);
    const std::string csrf = Client::csrf(r.body);
    EXPECT_EQ(coordinator.post("/directory/pathways/new", "_csrf=" + csrf + "&sda_id=1&need=food&mechanism=direct_intake").status,
              403);

    auto admin = signed_in("ca.admin@demo.arrimage.invalid");
    const auto before = scalar("SELECT COUNT(*) FROM referral_pathways");
    const std::string sda = std::to_string(scalar("SELECT id FROM service_delivery_areas"));
    r = admin.submit("/directory/pathways/new", "/directory/pathways/new", "sda_id=" + sda + "&mechanism=teleport&notes_en=x");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Choisissez un besoin ou un secteur."));  // the administrator's language
    EXPECT_TRUE(r.has("Choisissez un service ou un organisme."));
    r = admin.submit(
        "/directory/pathways/new", "/directory/pathways/new",
        "sda_id=" + sda + "&need=astrology&mechanism=direct_intake&organisation_id=" + org("Demo North Community Network"));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referral_pathways"), before);
    r = admin.submit("/directory/pathways/new", "/directory/pathways/new",
                     "sda_id=" + sda + "&need=food&mechanism=direct_intake&service_id=" + service("Demo North Family Food Bank") +
                         "&notes_fr=" + enc("Sans rendez-vous") + "&notes_en=Walk-in");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referral_pathways"), before + 1);
    const auto id = std::to_string(scalar("SELECT MAX(id) FROM referral_pathways"));
    EXPECT_EQ(admin.get("/directory/pathways/" + id + "/edit").status, 200);
    EXPECT_TRUE(coordinator.get("/directory/pathways").has("Walk-in"));

    // An administrator of another SDA neither sees nor changes them.
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
        const auto agency = *repo.create_organisation(o, 0);
        const auto user = *repo.create_user({"west.admin@example.org", "West Admin", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {agency, domain::Role::ca_admin}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password("west admin password", PasswordHashCost::minimum()));
        tx->commit();
    }
    Client west(port_);
    ASSERT_EQ(west.submit("/login", "/login", "email=west.admin%40example.org&password=west+admin+password").status, 303);
    EXPECT_FALSE(west.get("/directory/pathways").has("Walk-in"));
    EXPECT_EQ(west.get("/directory/pathways/" + id + "/edit").status, 403);
    EXPECT_EQ(
        west.post("/directory/pathways/" + id + "/deactivate", "_csrf=" + Client::csrf(west.get("/directory/pathways").body))
            .status,
        403);
    EXPECT_EQ(west.get("/directory/manage/services/" + service("Blue River Family Respite") + "/edit").status, 403);
    EXPECT_EQ(scalar("SELECT active FROM referral_pathways WHERE id = " + id), 1);
}
