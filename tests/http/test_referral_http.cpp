// Referrals through the real HTTP server, on the backend under test (SQLite: label db,
// PostgreSQL: label pg), with the demo data and its pathways: the public form in both
// languages, field-level errors that change nothing, a self-referral reaching the coordinating
// agency's inbox, accept and complete, a decline that must send the family on and then does,
// a professional's referral followed from "sent" without its content, and outsiders refused.
#include <gtest/gtest.h>

#include "core/time.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

const char* const intake = "coord.ca@demo.arrimage.invalid";   // the coordinating agency's coordinator
const char* const outsider = "coord1@demo.arrimage.invalid";   // a provider's coordinator
const char* const nurse = "staff.home@demo.arrimage.invalid";  // participant staff, home care

std::string family_form(const std::string& pathway, const std::string& family_name) {
    return "pathway_id=" + pathway + "&source=family&given_name=" + enc("Zoé") + "&family_name=" + enc(family_name) +
           "&date_of_birth=2016-04-03&official_language=fr&contact_given_name=Ana&contact_family_name=" + enc(family_name) +
           "&contact_relationship=parent&contact_phone=" + enc("613-555-0199") +
           "&needs=" + enc("Retard de langage.\r\nSuivi scolaire.") + "&consent_given_by=substitute_decision_maker&consent=1";
}

}  // namespace

class ReferralWeb : public testsupport::DemoServerTest {
  protected:
    void configure(web::Config& cfg) override { cfg.max_public_referrals_per_address = 3; }
    // These tests count referrals from none.
    bool demo_referrals() const override { return false; }
    Client visitor(const std::string& lang) {
        Client c(port_);
        c.accept_language = lang;
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    Client staff(const std::string& email) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
    std::string pathway(const std::string& need) {
        return std::to_string(
            scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = ?", {need}));
    }
    std::string referral_of(const std::string& family_name) {
        return std::to_string(scalar("SELECT MAX(id) FROM referrals WHERE family_name = ?", {family_name}));
    }
};

TEST_F(ReferralWeb, ThePublicFormOffersTheAreasPathwaysInBothLanguages) {
    auto en = visitor("en").get("/refer");
    ASSERT_EQ(en.status, 200);
    EXPECT_TRUE(en.has("Refer a child or youth"));
    EXPECT_TRUE(en.has("Single window (coordinated access)"));
    EXPECT_TRUE(en.has("Every request for coordinated service planning goes through the single window."));
    EXPECT_TRUE(en.has("call 911"));
    auto fr = visitor("fr").get("/refer");
    ASSERT_EQ(fr.status, 200);
    EXPECT_TRUE(fr.has("Aiguiller un enfant ou un jeune"));
    EXPECT_TRUE(fr.has("Toute demande de planification coordonnée passe par le guichet unique."));
    EXPECT_TRUE(fr.has("lang=\"fr\""));
    // Signed in without a role near children's files (a system administrator): the public form.
    EXPECT_TRUE(staff("sysadmin@demo.arrimage.invalid").get("/refer").has("name=\"referrer_name\""));
    // An unknown area falls back to an existing one rather than failing.
    EXPECT_EQ(visitor("en").get("/refer?area=999999").status, 200);
    EXPECT_EQ(visitor("en").get("/refer?area=abc").status, 200);
}

TEST_F(ReferralWeb, BadInputGetsFieldErrorsInTheVisitorsLanguageAndChangesNothing) {
    auto c = visitor("fr");
    auto r = c.submit("/refer", "/refer", "pathway_id=" + pathway("developmental") + "&source=family&date_of_birth=2040-01-01");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-given_name\""));
    EXPECT_TRUE(r.has("id=\"error-consent\""));
    EXPECT_TRUE(r.has("id=\"error-date_of_birth\""));
    EXPECT_TRUE(r.has("Une demande ne peut être envoyée qu&apos;avec le consentement") ||
                r.has("Une demande ne peut être envoyée qu'avec le consentement"));
    // What was typed is kept.
    EXPECT_TRUE(r.has("value=\"2040-01-01\""));
    // A family cannot use a professional-only pathway.
    r = c.submit("/refer", "/refer", family_form(pathway("speech_language"), "Essai-Orthophonie"));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-pathway_id\""));
    // Not UTF-8, a missing token: refused before anything.
    EXPECT_EQ(c.post("/refer", "_csrf=" + Client::csrf(c.get("/refer").body) + "&given_name=%FF").status, 400);
    EXPECT_EQ(c.post("/refer", family_form(pathway("developmental"), "Essai-Sans-Jeton")).status, 403);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 0);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id IS NOT NULL"), 0);
}

TEST_F(ReferralWeb, ASelfReferralIsWorkedByTheAgencyThroughTheClosedLoop) {
    auto family = visitor("fr");
    auto r = family.submit("/refer", "/refer", family_form(pathway("developmental"), "Essai-Boucle"));
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 3000);
    EXPECT_TRUE(r.has("Votre numéro de demande est R-"));
    EXPECT_TRUE(r.has("Agence de coordination Démo"));
    const auto id = referral_of("Essai-Boucle");
    // The receiving service's intake address is told, without the child's name.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox o JOIN referrals r ON r.id = ? JOIN services s ON s.id = r.service_id "
                     "WHERE o.to_address = s.email AND o.subject LIKE '%' || r.reference || '%' AND o.body_text LIKE "
                     "'%/referrals/' || r.id || '%' "
                     "AND o.body_text NOT LIKE '%Essai-Boucle%' AND o.body_text LIKE '%Un nouvel aiguillage%' "
                     "AND o.body_text LIKE '%A new referral%'",
                     {std::stoll(id)}),
              1);

    auto c = staff(intake);
    auto inbox = c.get("/referrals");
    ASSERT_EQ(inbox.status, 200);
    EXPECT_TRUE(inbox.has("Essai-Boucle, Zoé"));
    EXPECT_TRUE(c.get("/").has("href=\"/referrals\""));  // the nav link
    auto page = c.get("/referrals/" + id);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Retard de langage."));
    EXPECT_TRUE(page.has("Accept the referral"));
    EXPECT_TRUE(page.has("Decline the referral"));

    // Completing before accepting is not offered, and refused if asked.
    auto early = c.submit("/referrals/" + id, "/referrals/" + id + "/complete", "note=");
    EXPECT_EQ(early.status, 409);
    auto ok = c.submit("/referrals/" + id, "/referrals/" + id + "/accept", "note=" + enc("Premier appel le 3."));
    EXPECT_EQ(ok.status, 303);
    page = c.get("/referrals/" + id);
    EXPECT_TRUE(page.has("Premier appel le 3."));
    EXPECT_TRUE(page.has("Mark the referral completed"));

    // The agency opens the child's file from the referral: the form comes filled in.
    ASSERT_TRUE(page.has("href=\"/children/new?referral=" + id + "\""));
    auto form = c.get("/children/new?referral=" + id);
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("value=\"Essai-Boucle\""));
    EXPECT_TRUE(form.has("value=\"2016-04-03\""));
    EXPECT_TRUE(form.has("name=\"referral_id\" value=\"" + id + "\""));
    auto made = c.post("/children/new", "_csrf=" + Client::csrf(form.body) + "&referral_id=" + id + "&given_name=" + enc("Zoé") +
                                            "&family_name=Essai-Boucle&date_of_birth=2016-04-03&official_language=fr"
                                            "&capable_of_consent=no&contact_given_name=Ana&contact_family_name=Essai-Boucle"
                                            "&contact_relationship=parent&contact_phone=" +
                                            enc("613-555-0199"));
    ASSERT_EQ(made.status, 303) << made.body.substr(0, 2000);
    const auto person = scalar("SELECT person_id FROM referrals WHERE id = ?", {std::stoll(id)});
    ASSERT_GT(person, 0);
    EXPECT_EQ(made.header("location"), "/children/" + std::to_string(person));
    page = c.get("/referrals/" + id);
    EXPECT_TRUE(page.has("href=\"/children/" + std::to_string(person) + "\""));
    // From now on, looking at the referral is on the family's access report.
    EXPECT_GT(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND person_id = ?", {std::stoll(id), person}), 0);
    // Only once.
    EXPECT_EQ(c.get("/children/new?referral=" + id).status, 409);
    EXPECT_EQ(c.submit("/referrals/" + id, "/referrals/" + id + "/complete", "note=").status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'completed'", {std::stoll(id)}), 1);
    EXPECT_EQ(c.get("/referrals?status=completed").has("Essai-Boucle"), true);
    EXPECT_EQ(c.get("/referrals?status=received").has("Essai-Boucle"), false);
    EXPECT_EQ(c.get("/referrals?status=lost").status, 422);
    EXPECT_TRUE(c.get("/referrals?q=" + enc("essai boucle")).has("Essai-Boucle, Zoé"));
    EXPECT_FALSE(c.get("/referrals?q=" + enc("Autre")).has("Essai-Boucle"));

    // The agency's privacy officer sees who looked at the referral; its coordinators may not.
    EXPECT_FALSE(page.has("/access-log"));
    EXPECT_EQ(c.get("/referrals/" + id + "/access-log").status, 403);
    auto officer = staff("privacy@demo.arrimage.invalid");
    auto view = officer.get("/referrals/" + id);
    ASSERT_EQ(view.status, 200);
    EXPECT_FALSE(view.has("Accept the referral"));
    ASSERT_TRUE(view.has("href=\"/referrals/" + id + "/access-log\""));
    auto log = officer.get("/referrals/" + id + "/access-log");
    ASSERT_EQ(log.status, 200);
    EXPECT_TRUE(log.has("Noa Coordination-Démo"));
    EXPECT_TRUE(log.has("<strong>Refused</strong>"));  // the coordinator's attempt above
    EXPECT_EQ(staff(outsider).get("/referrals/" + id + "/access-log").status, 404);
}

TEST_F(ReferralWeb, ADeclineMustSendTheFamilyOnAndThenDoes) {
    auto family = visitor("en");
    ASSERT_EQ(family
                  .submit("/refer", "/refer",
                          family_form(pathway("developmental"), "Essai-Refus") + "&contact_email=ana%40example.invalid")
                  .status,
              200);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'ana@example.invalid' AND subject LIKE '%reçu%'"), 1);
    const auto id = referral_of("Essai-Refus");
    auto c = staff(intake);
    const auto reads = scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND action = 'read'", {std::stoll(id)});
    auto r = c.submit("/referrals/" + id, "/referrals/" + id + "/decline", "reason=no_capacity&note=");
    EXPECT_EQ(r.status, 422);
    // The form page shows the referral: both reads (the page, then the refused form) are on record.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND action = 'read'", {std::stoll(id)}), reads + 2);
    EXPECT_TRUE(r.has("a decline is never a dead end"));
    EXPECT_TRUE(r.has("id=\"error-warm_consent\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE status = 'declined'"), 0);

    r = c.submit("/referrals/" + id, "/referrals/" + id + "/decline",
                 "reason=not_eligible_needs&note=" + enc("Surtout un besoin de crise.") +
                     "&warm_pathway_id=" + pathway("crisis") + "&warm_consent=1");
    EXPECT_EQ(r.status, 303);
    auto page = c.get("/referrals/" + id);
    EXPECT_TRUE(page.has("Sent on as referral R-"));
    EXPECT_TRUE(page.has("Demo Youth Mental Health"));
    EXPECT_FALSE(page.has("Decline the referral"));  // nothing left to do
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM referrals r JOIN organisations o ON o.id = r.organisation_id "
               "WHERE r.family_name = 'Essai-Refus' AND r.source = 'warm_referral' AND o.name_en = 'Demo Youth Mental Health'"),
        1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'ana@example.invalid' "
                     "AND body_text LIKE '%Santé mentale jeunesse Démo, qui communiquera avec elle%'"),
              1);
    // The agency follows where it sent the family.
    auto sent = c.get("/referrals/sent");
    ASSERT_EQ(sent.status, 200);
    EXPECT_TRUE(sent.has("Demo Youth Mental Health"));
}

TEST_F(ReferralWeb, AProfessionalFollowsTheirReferralWithoutSeeingItAgain) {
    auto c = staff(nurse);
    auto form = c.get("/refer");
    EXPECT_FALSE(form.has("name=\"referrer_name\""));  // taken from the account
    EXPECT_TRUE(form.has("name=\"consent_method\""));
    auto r = c.submit("/refer", "/refer",
                      "pathway_id=" + pathway("speech_language") + "&given_name=" + enc("Théo") + "&family_name=Essai-Pro" +
                          "&date_of_birth=2019-05-05&official_language=en&contact_given_name=Sam&contact_family_name=Essai-Pro"
                          "&contact_relationship=guardian&contact_email=sam%40example.invalid&needs=Speech+delay"
                          "&consent_given_by=substitute_decision_maker&consent_method=verbal&consent=1");
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 3000);
    EXPECT_TRUE(r.has("Paediatric Speech Therapy"));
    const auto id = referral_of("Essai-Pro");
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND source = 'professional' AND referrer_name = 'Kim Domicile-Démo' "
               "AND consent_method = 'verbal'",
               {std::stoll(id)}),
        1);
    auto sent = c.get("/referrals/sent");
    ASSERT_EQ(sent.status, 200);
    EXPECT_TRUE(sent.has("Demo Children&apos;s Treatment Centre") || sent.has("Demo Children's Treatment Centre"));
    EXPECT_FALSE(sent.has("Essai-Pro"));
    // The sender cannot open it, and the attempt is on record.
    EXPECT_EQ(c.get("/referrals/" + id).status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND decision = 'deny'", {std::stoll(id)}), 1);
    // The treatment centre's manager receives it.
    auto m = staff("manager.ctc@demo.arrimage.invalid");
    EXPECT_TRUE(m.get("/referrals").has("Essai-Pro, Théo"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = ? AND subject LIKE '%received%'", {std::string(nurse)}), 1);
    ASSERT_EQ(m.submit("/referrals/" + id, "/referrals/" + id + "/accept", "note=").status, 303);
    // The signed-in referrer hears of the answer in their notifications, and by email (they
    // did not turn it off); neither names the child.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.email = ? "
                     "AND n.kind = 'referral_update' AND n.link = '/referrals/sent' AND n.text_en LIKE '%Accepted%' "
                     "AND n.text_en NOT LIKE '%Essai-Pro%' AND n.text_fr NOT LIKE '%Essai-Pro%'",
                     {std::string(nurse)}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = ? AND subject LIKE '%Referral update%' "
                     "AND body_text LIKE '%Accepted%' AND body_text NOT LIKE '%Essai-Pro%'",
                     {std::string(nurse)}),
              1);
}

TEST_F(ReferralWeb, OutsidersAreRefusedAndUnknownIdsAreNotFound) {
    auto family = visitor("en");
    ASSERT_EQ(family.submit("/refer", "/refer", family_form(pathway("developmental"), "Essai-Secret")).status, 200);
    const auto id = referral_of("Essai-Secret");
    auto c = staff(outsider);
    auto r = c.get("/referrals/" + id);
    EXPECT_EQ(r.status, 404);
    EXPECT_FALSE(r.has("Essai-Secret"));
    EXPECT_FALSE(c.get("/referrals").has("Essai-Secret"));
    EXPECT_EQ(c.submit("/referrals", "/referrals/" + id + "/accept", "note=").status, 404);
    EXPECT_EQ(c.get("/referrals/abc").status, 404);
    EXPECT_EQ(c.get("/referrals/999999").status, 404);
    // Not signed in: to the sign-in page.
    EXPECT_EQ(visitor("en").get("/referrals/" + id).status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE status <> 'received'"), 0);
}

TEST_F(ReferralWeb, ThePublicFormStopsAFloodFromOneAddress) {
    auto c = visitor("en");
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(c.submit("/refer", "/refer", family_form(pathway("developmental"), "Essai-Flot")).status, 200) << i;
    auto r = c.submit("/refer", "/refer", family_form(pathway("developmental"), "Essai-Flot"));
    EXPECT_EQ(r.status, 429);
    EXPECT_TRUE(r.has("Too many referrals were sent from this connection"));
    EXPECT_TRUE(r.has("value=\"Essai-Flot\""));  // what was typed is kept
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 3);
    // Signed-in staff are not counted.
    auto s = staff(nurse);
    EXPECT_EQ(
        s.submit("/refer", "/refer",
                 "pathway_id=" + pathway("developmental") +
                     "&given_name=Lou&family_name=Essai-Flot&date_of_birth=2015-01-01"
                     "&official_language=en&contact_given_name=Sam&contact_family_name=Essai-Flot&contact_relationship=parent"
                     "&contact_phone=613-555-0101&needs=Help&consent_given_by=child_youth&consent_method=written&consent=1")
            .status,
        200);
    // Later, the address may send again.
    clock_.advance(std::chrono::minutes(16));
    EXPECT_EQ(c.submit("/refer", "/refer", family_form(pathway("developmental"), "Essai-Flot")).status, 200);
}

// A referral from a child's file over HTTP: the coordinator sees the file's referrals and the
// services of the area with their wait, gets field errors in French that change nothing, is
// told when the family has not consented to share with that organisation, sends one; the
// treatment centre's manager finds it requested, waitlists it (the published wait follows),
// accepts it; every state shows on the file; the sender cancels; outsiders learn nothing.
TEST_F(ReferralWeb, AReferralFromAFileClosesTheLoopOverHttp) {
    const auto lea = std::to_string(scalar("SELECT id FROM people WHERE given_name = 'Léa'"));
    const auto speech = std::to_string(scalar("SELECT id FROM services WHERE name_en = 'Paediatric Speech Therapy'"));
    const auto therapy = std::to_string(scalar("SELECT id FROM services WHERE name_en = 'Family Therapy'"));
    const std::string page = "/children/" + lea + "/referrals";
    auto coord = staff(outsider);  // Léa's assigned coordinator (a provider's coordinator)
    auto list = coord.get(page);
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("No referrals yet."));
    EXPECT_TRUE(list.has("Paediatric Speech Therapy — Demo Children&apos;s Treatment Centre (about 40 weeks)"));
    EXPECT_TRUE(coord.get("/children/" + lea).has("href=\"" + page + "\""));

    coord.set_cookie("arrimage_lang", "fr");
    auto bad = coord.submit(page, page, "service_id=&needs=");
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(bad.has("id=\"error-service_id\""));
    EXPECT_TRUE(bad.has("id=\"error-needs\""));
    auto no_consent = coord.submit(page, page, "service_id=" + therapy + "&needs=" + enc("Thérapie familiale."));
    EXPECT_EQ(no_consent.status, 422);
    EXPECT_TRUE(
        no_consent.has("La famille n&apos;a pas consenti à communiquer son identité et ses coordonnées à Santé mentale "
                       "jeunesse Démo."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), 0);

    auto sent = coord.submit(page, page, "service_id=" + speech + "&needs=" + enc("Évaluation du langage."));
    ASSERT_EQ(sent.status, 303);
    const auto id = std::to_string(scalar("SELECT MAX(id) FROM referrals WHERE person_id = ?", {std::stoll(lea)}));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'requested'", {std::stoll(id)}), 1);
    EXPECT_GE(scalar("SELECT COUNT(*) FROM outbox WHERE subject LIKE '%R-%'"), 1);

    auto manager = staff("manager.ctc@demo.arrimage.invalid");
    auto inbox = manager.get("/referrals?status=requested");
    ASSERT_EQ(inbox.status, 200);
    EXPECT_TRUE(inbox.has("/referrals/" + id));
    const std::string ref = "/referrals/" + id;
    auto shown = manager.get(ref);
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(shown.has("What the family consented to share with this organisation: Identity and contact"));
    EXPECT_TRUE(shown.has("Put the family on the waitlist"));
    EXPECT_FALSE(shown.has("Send the family on to"));  // no warm referral asked for a referral from a file
    auto past = manager.submit(ref, ref + "/waitlist", "expected_date=2001-01-01");
    EXPECT_EQ(past.status, 422);
    EXPECT_TRUE(past.has("Enter a date from today to five years from now."));
    const auto in_ten_weeks = add_days(date_of(std::chrono::system_clock::now()), 70).iso();
    EXPECT_EQ(manager.submit(ref, ref + "/waitlist", "expected_date=" + in_ten_weeks).status, 303);
    EXPECT_EQ(scalar("SELECT wait_weeks FROM services WHERE id = ?", {std::stoll(speech)}), 10);
    EXPECT_EQ(manager.submit(ref, ref + "/accept", "note=").status, 303);
    // The sender cannot answer it; the file shows where it stands.
    EXPECT_EQ(coord.submit(page, ref + "/start", "note=").status, 403);
    auto on_file = coord.get(page);
    EXPECT_TRUE(on_file.has("Accepté"));
    EXPECT_TRUE(on_file.has("Envoyé"));
    // The sender cancels it, with a reason; then nothing more moves it.
    auto no_reason = coord.submit(ref, ref + "/cancel", "note=");
    EXPECT_EQ(no_reason.status, 422);
    EXPECT_EQ(coord.submit(ref, ref + "/cancel", "note=" + enc("La famille a déménagé.")).status, 303);
    EXPECT_EQ(manager.submit(ref, ref + "/start", "note=").status, 409);
    EXPECT_TRUE(coord.get(page).has("Annulé"));
    // Someone with no part in the file learns nothing.
    EXPECT_EQ(staff(nurse).get(page).status, 404);
    EXPECT_EQ(staff(nurse).get(ref).status, 404);
}
