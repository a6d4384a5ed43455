// What a family raises on its file, through the real HTTP server, on the backend under test
// (SQLite: label db, PostgreSQL: label pg), with the demo data: Chris, Noah Demo-Smith's
// grandmother (the demo's family account), raises a concern and asks for a copy of the records;
// bad input is a field error in her language, French or English, and changes nothing; Noah's
// coordinator is told without the child being named, acknowledges and closes the concern with a
// response the family reads; the privacy officer is told of the request and its due date.
#include <gtest/gtest.h>

#include "app/demo_data.hpp"
#include "core/time.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

class FamilyRequestsWeb : public testsupport::DemoServerTest {
  protected:
    Client family(const std::string& lang) {
        Client c = sign_in(app::demo_family_login);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    Client staff(const std::string& email) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
    std::int64_t noah() { return scalar("SELECT id FROM people WHERE family_name = 'Demo-Smith'"); }
    std::string path() { return "/family/children/" + std::to_string(noah()) + "/requests"; }
    std::string concerns() { return "/children/" + std::to_string(noah()) + "/concerns"; }
    std::int64_t written() {
        return scalar("SELECT (SELECT COUNT(*) FROM family_concerns) + (SELECT COUNT(*) FROM privacy_requests)");
    }
    std::int64_t notices(const std::string& email) {
        return scalar(
            "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = ? AND n.kind = 'family'",
            {email});
    }
    // A message of the catalogue as a page shows it (HTML-escaped).
};

TEST_F(FamilyRequestsWeb, BadInputIsAFieldErrorInTheFamilysLanguageAndChangesNothing) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto c = family(std::string(code(lang)));
        auto page = c.get(path());
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has(shown(lang, "family.requests.heading")));
        EXPECT_FALSE(page.has("Demo-Smith")) << "the page does not name the child";
        // Nothing chosen, nothing written.
        auto r = c.submit(path(), path(), "kind=&addressed_to=&description=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.required")));
        EXPECT_TRUE(r.has("aria-invalid=\"true\""));
        EXPECT_TRUE(r.has("#field-kind")) << "the error summary links to the field";
        // A kind that is not one, a complaint to no one, marked-up or oversized words.
        r = c.submit(path(), path(), "kind=grief&description=x");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));
        r = c.submit(path(), path(), "kind=complaint&addressed_to=&description=" + enc("Personne ne rappelle."));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("#field-addressed_to"));
        EXPECT_TRUE(r.has("Personne ne rappelle.")) << "what was typed stays";
        r = c.submit(path(), path(), "kind=concern&addressed_to=coordinator&description=" + enc("<b>Urgent</b> appelez-moi"));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.no_markup")));
        r = c.submit(path(), path(), "kind=access&description=" + std::string(4001, 'a'));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.too_long", {"4000"})));
    }
    EXPECT_EQ(written(), before);
}

TEST_F(FamilyRequestsWeb, AConcernReachesTheCoordinatorAndTheResponseReachesTheFamily) {
    auto c = family("fr");
    EXPECT_TRUE(c.get("/family").has(path())) << "the family's home links to the page";
    const auto told = notices("coord3@demo.arrimage.invalid");
    const auto received = [&] {
        return scalar("SELECT COUNT(*) FROM family_concerns WHERE person_id = ? AND status = 'received'", {noah()});
    };
    const auto already = received();  // the demo's own concern
    auto r = c.submit(path(), path(),
                      "kind=concern&addressed_to=coordinator&description=" + enc("Les rendez-vous changent sans préavis."));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    EXPECT_EQ(r.header("location"), path());
    EXPECT_EQ(received(), already + 1);
    // The coordinator is told, in the same transaction, without the child's name.
    EXPECT_EQ(notices("coord3@demo.arrimage.invalid"), told + 1);
    const auto text = scalar_text(
        "SELECT n.text_en || ' ' || n.text_fr || ' ' || n.link FROM notifications n JOIN users u ON u.id = n.user_id "
        "WHERE u.email = 'coord3@demo.arrimage.invalid' AND n.kind = 'family' ORDER BY n.id DESC LIMIT 1");
    EXPECT_EQ(text.find("Noah"), std::string::npos) << text;
    EXPECT_EQ(text.find("Demo-Smith"), std::string::npos) << text;
    EXPECT_NE(text.find(concerns()), std::string::npos) << text;

    // The coordinator reads it, acknowledges it, and closes it with a response (required).
    auto coord = staff("coord3@demo.arrimage.invalid");
    auto page = coord.get(concerns());
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Les rendez-vous changent sans préavis."));
    const auto id = std::to_string(scalar("SELECT MAX(id) FROM family_concerns"));
    r = coord.submit(concerns(), concerns() + "/" + id + "/acknowledge", "response=");
    EXPECT_EQ(r.status, 303);
    r = coord.submit(concerns(), concerns() + "/" + id + "/acknowledge", "response=");
    EXPECT_EQ(r.status, 409) << "acknowledged already";
    EXPECT_TRUE(r.has(shown(Lang::en, "lifecycle.not_from_state")));
    r = coord.submit(concerns(), concerns() + "/" + id + "/close", "response=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "field.required")));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_concerns WHERE status = 'acknowledged'"), 1);
    r = coord.submit(concerns(), concerns() + "/" + id + "/close", "response=" + enc("Nous appellerons la veille."));
    EXPECT_EQ(r.status, 303);

    // The family reads the status and the response, in French.
    page = c.get(path());
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Nous appellerons la veille."));
    EXPECT_TRUE(page.has(shown(Lang::fr, "family.concern_status.closed")));
}

TEST_F(FamilyRequestsWeb, ARecordsRequestIsOnThePrivacyOfficesClock) {
    auto c = family("en");
    const auto told = notices("privacy@demo.arrimage.invalid");
    auto r = c.submit(path(), path(), "kind=access&description=" + enc("A copy of the file, please."));
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    const std::string due = add_days(date_of(clock_.now()), 30).iso();
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests WHERE person_id = ? AND kind = 'access' AND due_on = ? AND "
                     "requester_relationship = 'guardian' AND family_access_id IS NOT NULL",
                     {noah(), due}),
              1);
    EXPECT_EQ(notices("privacy@demo.arrimage.invalid"), told + 1);
    auto page = c.get(path());
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "family.requests.due", {due})));
    EXPECT_TRUE(page.has(shown(Lang::en, "privacy_office.status.open")));
    // The privacy officer finds it in the register.
    auto officer = staff("privacy@demo.arrimage.invalid");
    auto list = officer.get("/privacy/requests");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has(due));
}
