// Intake and eligibility through the real HTTP server, on the backend under test (SQLite:
// label db, PostgreSQL: label pg), with the demo data: from a self-referral to an eligible
// family, the ineligible path ending in a warm referral, bad input that changes nothing in the
// user's language, a stale form, and the area's rules kept by its administrator.
#include <gtest/gtest.h>

#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

const char* const intake_staff = "coord.ca@demo.arrimage.invalid";
const char* const admin = "ca.admin@demo.arrimage.invalid";

}  // namespace

class IntakeWeb : public testsupport::DemoServerTest {
  protected:
    Client staff(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // A family's referral along the developmental pathway, accepted by the agency; its id.
    std::string accepted_referral(Client& c, const std::string& family_name, const std::string& dob,
                                  const std::string& extra = "") {
        Client visitor(port_);
        const std::string pathway = std::to_string(scalar(
            "SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'developmental'"));
        auto r = visitor.submit(
            "/refer", "/refer",
            "pathway_id=" + pathway + "&source=family&given_name=" + enc("Zoé") + "&family_name=" + enc(family_name) +
                "&date_of_birth=" + dob + "&official_language=fr&contact_given_name=Ana&contact_family_name=" + enc(family_name) +
                "&contact_relationship=parent&contact_phone=" + enc("613-555-0199") + "&needs=" + enc("Besoins multiples.") +
                "&consent_given_by=substitute_decision_maker&consent=1" + extra);
        EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
        const std::string id = std::to_string(scalar("SELECT MAX(id) FROM referrals WHERE family_name = ?", {family_name}));
        EXPECT_EQ(c.submit("/referrals/" + id, "/referrals/" + id + "/accept", "note=").status, 303);
        return id;
    }
    // Opens the intake from the referral's page; the intake's path.
    std::string open_intake(Client& c, const std::string& referral, bool first = true) {
        auto page = c.get("/referrals/" + referral);
        // Before: the button that opens it; after: a link to it.
        EXPECT_EQ(page.has("action=\"/referrals/" + referral + "/intake\""), first);
        EXPECT_EQ(page.has("See the intake"), !first);
        auto r = c.post("/referrals/" + referral + "/intake", "_csrf=" + Client::csrf(page.body));
        EXPECT_EQ(r.status, 303);
        return r.header("location");
    }
    std::string version(const std::string& intake_path) {
        return std::to_string(scalar("SELECT version FROM intakes WHERE id = ?", {std::stoll(intake_path.substr(8))}));
    }
    std::string criterion() { return std::to_string(scalar("SELECT MIN(id) FROM area_criteria WHERE active = 1")); }
};

TEST_F(IntakeWeb, FromASelfReferralToAnEligibleFamily) {
    auto c = staff(intake_staff);
    const auto referral = accepted_referral(c, "Essai-Admissible", "2014-05-05");
    const auto path = open_intake(c, referral);
    ASSERT_EQ(path.rfind("/intake/", 0), 0u) << path;
    auto page = c.get(path);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("The family&apos;s story") || page.has("The family's story"));
    EXPECT_TRUE(page.has("name=\"story\""));
    EXPECT_TRUE(page.has("The family lives in the Demo East Region.")) << "the area's own rule is asked";
    // The queue lists it; a second open finds the same intake.
    EXPECT_TRUE(c.get("/intake").has("Essai-Admissible"));
    EXPECT_EQ(open_intake(c, referral, false), path);

    // Eligible before the story is recorded: refused by the table's guard.
    auto r = c.submit(path, path + "/decision", "version=" + version(path) + "&decision=eligible&reason=" + enc("Oui."));
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("not eligible under the area"));

    const std::string story = "version=" + version(path) + "&story=" + enc("Zoé aime nager.\r\nL'école est difficile.") +
                              "&in_school=yes&sectors=education&sectors=health&criterion_" + criterion() + "=yes";
    r = c.submit(path, path + "/story", story);
    EXPECT_EQ(r.status, 303);
    // The same form again is stale: a conflict message, nothing changed.
    const auto saved_version = version(path);
    r = c.submit(path, path + "/story", story);
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("Someone changed this intake"));
    EXPECT_EQ(version(path), saved_version);

    r = c.submit(path, path + "/decision", "version=" + version(path) + "&decision=eligible&reason=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"decision-error-reason\""));
    r = c.submit(path, path + "/decision",
                 "version=" + version(path) + "&decision=eligible&reason=" + enc("Besoins en éducation et en santé."));
    EXPECT_EQ(r.status, 303);
    page = c.get(path);
    EXPECT_TRUE(page.has("Eligible"));
    EXPECT_TRUE(page.has("Besoins en éducation et en santé."));
    EXPECT_FALSE(page.has("name=\"story\"")) << "a decided intake's story is read-only";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE status = 'eligible' AND referral_id = ?", {std::stoll(referral)}), 1);
}

TEST_F(IntakeWeb, BadInputGetsFieldErrorsInTheUsersLanguageAndChangesNothing) {
    auto c = staff(intake_staff, "fr");
    const auto path = open_intake(c, accepted_referral(c, "Essai-Erreurs", "2013-03-03"));
    const auto before = version(path);
    auto r = c.submit(path, path + "/story",
                      "version=" + before + "&story=&in_school=peut-etre&sectors=astrologie&criterion_999999=yes&strengths=" +
                          enc(std::string(4001, 'a')));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"story-error-story\""));
    EXPECT_TRUE(r.has("id=\"story-error-in_school\""));
    EXPECT_TRUE(r.has("id=\"story-error-sectors\""));
    EXPECT_TRUE(r.has("id=\"story-error-strengths\""));
    EXPECT_TRUE(r.has("Cette règle n") && r.has("est pas une des règles de la région"));
    EXPECT_TRUE(r.has("lang=\"fr\""));
    EXPECT_EQ(version(path), before);
    // Markup is kept as text, never rendered.
    r = c.submit(path, path + "/story", "version=" + before + "&story=" + enc("<script>alert(1)</script>"));
    EXPECT_EQ(r.status, 303);
    EXPECT_FALSE(c.get(path).has("<script>alert(1)</script>"));
    // A decision of neither kind, an unknown intake, a garbled id.
    r = c.submit(path, path + "/decision", "version=" + version(path) + "&decision=peut-etre&reason=x");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(c.get("/intake/999999").status, 404);
    EXPECT_EQ(c.get("/intake/abc").status, 404);
    EXPECT_EQ(c.get("/intake?status=nope").status, 422);
}

TEST_F(IntakeWeb, AnIneligibleFamilyIsSentOnAndCanComeBack) {
    auto c = staff(intake_staff);
    const auto referral = accepted_referral(c, "Essai-Adulte", "2004-02-02");  // 22 on the test's day
    const auto path = open_intake(c, referral);
    auto r = c.submit(path, path + "/story",
                      "version=" + version(path) + "&story=" + enc("Il a fini l'école.") +
                          "&in_school=no&sectors=health&sectors=social_services&criterion_" + criterion() + "=yes");
    ASSERT_EQ(r.status, 303);
    EXPECT_TRUE(c.get(path).has("or older"));
    // Not eligible needs the referral's decline: a reason, another pathway and the agreement.
    r = c.submit(path, path + "/decision",
                 "version=" + version(path) + "&decision=ineligible&reason=" + enc("22 ans, hors de l'école."));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"decision-error-decline_reason\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE status = 'in_intake' AND referral_id = ?", {std::stoll(referral)}), 1);
    const std::string warm = std::to_string(
        scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'crisis'"));
    r = c.submit(path, path + "/decision",
                 "version=" + version(path) + "&decision=ineligible&reason=" + enc("22 ans, hors de l'école.") +
                     "&decline_reason=not_eligible_age&warm_pathway_id=" + warm + "&warm_consent=1");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'declined' AND decline_reason = "
                     "'not_eligible_age' AND warm_referral_id IS NOT NULL",
                     {std::stoll(referral)}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE previous_id = ? AND source = 'warm_referral'", {std::stoll(referral)}),
              1);
    auto page = c.get(path);
    EXPECT_TRUE(page.has("Not eligible"));
    EXPECT_TRUE(page.has("name=\"note\"")) << "a not-eligible intake can be re-opened";
    r = c.submit(path, path + "/reopen", "version=" + version(path) + "&note=" + enc("Retour à l'école en septembre."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE status = 'in_intake' AND referral_id = ?", {std::stoll(referral)}), 1);
}

// The letter of a family found not eligible: by email (naming no child) when the referral gave
// an address, printable and as a PDF in the family's language, on demand in the other one; none
// for an intake not decided so; refused to anyone outside the agency; each reading audited.
TEST_F(IntakeWeb, AnIneligibleFamilyGetsALetterInTheirLanguage) {
    auto c = staff(intake_staff);
    const auto referral =
        accepted_referral(c, "Essai-Lettre", "2004-03-03", "&contact_email=" + enc("ana.lettre@example.invalid"));
    const auto path = open_intake(c, referral);
    EXPECT_EQ(c.get(path + "/letter").status, 409) << "no letter before the decision";
    auto r = c.submit(path, path + "/story",
                      "version=" + version(path) + "&story=" + enc("Il a fini l'école.") +
                          "&in_school=no&sectors=health&sectors=social_services&criterion_" + criterion() + "=yes");
    ASSERT_EQ(r.status, 303);
    const std::string warm = std::to_string(
        scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'crisis'"));
    r = c.submit(path, path + "/decision",
                 "version=" + version(path) + "&decision=ineligible&reason=" + enc("Vingt et un ans révolus, hors de l'école.") +
                     "&decline_reason=not_eligible_age&warm_pathway_id=" + warm + "&warm_consent=1");
    ASSERT_EQ(r.status, 303);
    EXPECT_TRUE(c.get(r.header("location")).has("The letter was sent to them by email"));
    // The email, in French (the family's language of service), names no child.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'ana.lettre@example.invalid' AND subject LIKE "
                     "'D%cision concernant la planification%' AND body_text LIKE '%Objet : demande R-%' AND body_text LIKE "
                     "'%Vingt et un ans%' AND body_text NOT LIKE '%Essai-Lettre%'"),
              1);
    auto page = c.get(path);
    EXPECT_TRUE(page.has("href=\"" + path + "/letter\""));

    const auto audited = [&] {
        return scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ?", {std::stoll(referral)});
    };
    auto before = audited();
    auto letter = c.get(path + "/letter");
    ASSERT_EQ(letter.status, 200);
    EXPECT_TRUE(letter.has("<html lang=\"fr\""));
    EXPECT_TRUE(letter.has("Zoé Essai-Lettre"));
    EXPECT_TRUE(letter.has("Pourquoi nous avons pris cette décision"));
    EXPECT_TRUE(letter.has("Vingt et un ans révolus"));
    EXPECT_GT(audited(), before) << "reading the letter is an audited read of the intake";
    auto english = c.get(path + "/letter?lang=en");
    ASSERT_EQ(english.status, 200);
    EXPECT_TRUE(english.has("<html lang=\"en\""));
    EXPECT_TRUE(english.has("Where we sent your referral"));
    before = audited();
    auto pdf = c.get(path + "/letter.pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    EXPECT_NE(pdf.body.find("/StructTreeRoot"), std::string::npos) << "a tagged PDF: its headings and paragraphs in order";
    EXPECT_GT(audited(), before);
    // Bad input: a language that is neither.
    auto bad = c.get(path + "/letter?lang=de");
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(bad.has("Choose French (fr) or English (en) for the letter."));
    // Outside the agency: refused, on record.
    auto outsider = staff("manager.ctc@demo.arrimage.invalid");
    EXPECT_EQ(outsider.get(path + "/letter").status, 404);
    EXPECT_EQ(outsider.get(path + "/letter.pdf").status, 404);
    EXPECT_EQ(outsider.get("/intake/abc/letter").status, 404);
}

// A child already known: a new referral joined to their file (the registration's "same child")
// starts its intake from the story the family told at their earlier intake, read as that
// intake's assessment (audited) and brought in as a draft to review and save; whether the
// intake opened before or after the link. The family does not tell it twice.
TEST_F(IntakeWeb, AKnownChildsStoryIsNotToldTwice) {
    auto c = staff(intake_staff);
    const auto liam = scalar("SELECT id FROM people WHERE family_name = 'Demo-Nguyen'");
    const auto earlier =
        scalar("SELECT r.id FROM intakes i JOIN referrals r ON r.id = i.referral_id WHERE r.person_id = ?", {liam});
    const auto reads = [&] {
        return scalar(
            "SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND action = 'read' AND category = "
            "'assessments_reports' AND decision = 'permit'",
            {earlier});
    };
    const auto link = [&](const std::string& referral) {
        return c.submit("/referrals/" + referral, "/referrals/" + referral + "/link-file", "person_id=" + std::to_string(liam));
    };
    // Linked, then the intake opened.
    const auto first = accepted_referral(c, "Demo-Nguyen", "2018-05-05");
    ASSERT_EQ(link(first).status, 303);
    auto before = reads();
    const auto path = open_intake(c, first);
    EXPECT_GT(reads(), before);
    auto page = c.get(path);
    EXPECT_TRUE(page.has("Liam started using a wheelchair this year."));
    EXPECT_TRUE(page.has("was brought in: review it with them and save it."));
    const auto id = std::stoll(path.substr(8));
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM intakes WHERE id = ? AND story_recorded_at IS NULL AND story LIKE 'Liam started%'", {id}), 1)
        << "a draft: recorded when the staff save it with the family";
    // The intake opened, then the referral linked.
    const auto second = accepted_referral(c, "Demo-Nguyen", "2018-05-05");
    const auto path2 = open_intake(c, second);
    EXPECT_FALSE(c.get(path2).has("Liam started using a wheelchair this year."));
    ASSERT_EQ(link(second).status, 303);
    EXPECT_TRUE(c.get(path2).has("Liam started using a wheelchair this year."));
    // Nothing is brought into a referral of an unknown child.
    const auto third = accepted_referral(c, "Essai-Inconnu", "2018-05-05");
    EXPECT_FALSE(c.get(open_intake(c, third)).has("was brought in"));
}

TEST_F(IntakeWeb, TheAreasRulesAreKeptByItsAdministrator) {
    EXPECT_EQ(staff(intake_staff).get("/intake/rules").status, 403);
    auto c = staff(admin, "fr");
    auto page = c.get("/intake/rules");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("value=\"18\""));
    auto r = c.submit("/intake/rules", "/intake/rules",
                      "max_age=19&school_max_age=17&min_sectors=0&first_contact_days=5&intake_decision_days=15"
                      "&first_plan_days=30&review_interval_days=90&caseload_limit=abc&referral_answer_days=5&retention_years=10");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"rules-error-school_max_age\""));
    EXPECT_TRUE(r.has("id=\"rules-error-min_sectors\""));
    EXPECT_TRUE(r.has("Entrez un nombre entier de 1 à 200."));
    EXPECT_EQ(scalar("SELECT max_age FROM area_rules"), 18);
    r = c.submit("/intake/rules", "/intake/rules",
                 "max_age=18&school_max_age=21&min_sectors=3&first_contact_days=5&intake_decision_days=15"
                 "&first_plan_days=30&review_interval_days=90&caseload_limit=20&referral_answer_days=5&retention_years=7");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT min_sectors FROM area_rules"), 3);
    r = c.submit("/intake/rules", "/intake/rules/criteria", "text_fr=&text_en=" + enc("Lives nearby"));
    EXPECT_EQ(r.status, 422);
    r = c.submit("/intake/rules", "/intake/rules/criteria",
                 "text_fr=" + enc("A un médecin de famille") + "&text_en=" + enc("Has a family doctor"));
    EXPECT_EQ(r.status, 303);
    const auto id = std::to_string(scalar("SELECT MAX(id) FROM area_criteria"));
    r = c.submit("/intake/rules", "/intake/rules/criteria/" + id + "/retire", "");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(c.submit("/intake/rules", "/intake/rules/criteria/" + id + "/retire", "").status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM area_criteria WHERE active = 1"), 1);
}

// After eligibility: the family waits on the CSP waitlist (told by email, in French), the file is
// registered, a coordinator is assigned (the family told who), the coordinator sees the file on
// their caseload with what is due, and the file is closed with a reason and re-opened.
TEST_F(IntakeWeb, FromEligibleToACoordinatorsCaseloadAndClosure) {
    auto c = staff(intake_staff);
    const auto referral =
        accepted_referral(c, "Essai-Attente", "2014-05-05", "&contact_email=" + enc("ana.attente@example.invalid"));
    const auto path = open_intake(c, referral);
    ASSERT_EQ(c.submit(path, path + "/story",
                       "version=" + version(path) + "&story=" + enc("Zoé aime nager.") +
                           "&in_school=yes&sectors=education&sectors=health&criterion_" + criterion() + "=yes")
                  .status,
              303);
    ASSERT_EQ(
        c.submit(path, path + "/decision", "version=" + version(path) + "&decision=eligible&reason=" + enc("Admissible.")).status,
        303);
    auto page = c.get(path);
    EXPECT_TRUE(page.has("action=\"" + path + "/waitlist\""));
    EXPECT_TRUE(page.has("href=\"/children/new?referral=" + referral + "\"")) << "assignment needs the child's file first";
    EXPECT_FALSE(page.has("action=\"" + path + "/assign\""));

    // The waitlist; the family is told, in their language.
    auto r =
        c.submit(path, path + "/waitlist", "version=" + version(path) + "&note=" + enc("Tous les coordonnateurs sont pleins."));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'ana.attente@example.invalid' AND subject LIKE "
                     "'%liste d''attente%'"),
              1);
    auto waitlist = c.get("/intake?status=waitlisted");
    EXPECT_TRUE(waitlist.has("Essai-Attente"));
    EXPECT_TRUE(waitlist.has("Days waiting"));
    EXPECT_TRUE(c.get(path).has("On the waitlist: place 3")) << "behind the demo's two waiting families";

    // The file, registered from the referral.
    auto form = c.get("/children/new?referral=" + referral);
    ASSERT_EQ(form.status, 200);
    ASSERT_EQ(
        c.post("/children/new", "_csrf=" + Client::csrf(form.body) + "&referral_id=" + referral + "&given_name=" + enc("Zoé") +
                                    "&family_name=Essai-Attente&date_of_birth=2014-05-05&official_language=fr"
                                    "&capable_of_consent=no&contact_given_name=Ana&contact_family_name=Essai-Attente"
                                    "&contact_relationship=parent&contact_phone=" +
                                    enc("613-555-0199") + "&confirmed_distinct=1")
            .status,
        303);
    page = c.get(path);
    ASSERT_TRUE(page.has("action=\"" + path + "/assign\""));
    EXPECT_TRUE(page.has("Alex Exemple")) << "the area's coordinators are offered with their load";
    EXPECT_TRUE(page.has(" of 25 files"));

    // Bad input: nobody chosen, someone who is not a coordinator of the area.
    r = c.submit(path, path + "/assign", "version=" + version(path) + "&coordinator=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"assign-error-coordinator\""));
    const auto staff_ctc = scalar("SELECT id FROM users WHERE email = 'staff.ctc@demo.arrimage.invalid'");
    const auto ctc = scalar("SELECT organisation_id FROM memberships WHERE user_id = ?", {staff_ctc});
    r = c.submit(path, path + "/assign",
                 "version=" + version(path) + "&coordinator=" + std::to_string(staff_ctc) + "%3A" + std::to_string(ctc));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Choose one of the coordinators offered"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE referral_id = ? AND status = 'waitlisted'", {std::stoll(referral)}), 1);

    const auto alex = scalar("SELECT id FROM users WHERE email = 'coord1@demo.arrimage.invalid'");
    const auto prov1 = scalar("SELECT organisation_id FROM memberships WHERE user_id = ?", {alex});
    r = c.submit(path, path + "/assign",
                 "version=" + version(path) + "&coordinator=" + std::to_string(alex) + "%3A" + std::to_string(prov1) +
                     "&reason=" + enc("Near the family."));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outbox WHERE to_address = 'ana.attente@example.invalid' AND body_text LIKE "
                     "'%Alex Exemple%'"),
              1)
        << "the family is told who their coordinator is";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'assigned' AND link = ?",
                     {alex, "/caseload#file-" + path.substr(8)}),
              1)
        << "the coordinator hears of their new file";
    page = c.get(path);
    EXPECT_TRUE(page.has("Coordinator: Alex Exemple"));
    EXPECT_TRUE(page.has("Near the family."));
    EXPECT_TRUE(page.has("First contact with the family"));

    // The coordinator's caseload: the file (its name withheld until the family's consent
    // reaches the coordinator), what is due.
    auto spc = staff("coord1@demo.arrimage.invalid");
    auto caseload = spc.get("/caseload");
    ASSERT_EQ(caseload.status, 200);
    EXPECT_TRUE(caseload.has("name withheld"));
    EXPECT_FALSE(caseload.has("Essai-Attente"));
    EXPECT_TRUE(caseload.has("First plan"));
    EXPECT_TRUE(caseload.has("href=\"/caseload\"")) << "the header links the caseload for a coordinator";
    // The agency's view of every coordinator's load.
    auto loads = c.get("/intake/coordinators");
    ASSERT_EQ(loads.status, 200);
    EXPECT_TRUE(loads.has("Alex Exemple"));

    // Closure: a reason (Other needs a note), then read-only apart from re-opening.
    r = c.submit(path, path + "/close", "version=" + version(path) + "&reason=other&note=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"close-error-note\""));
    r = c.submit(path, path + "/close", "version=" + version(path) + "&reason=goals_met");
    ASSERT_EQ(r.status, 303);
    page = c.get(path);
    EXPECT_TRUE(page.has("The family&apos;s goals are met") || page.has("The family's goals are met"));
    EXPECT_TRUE(page.has("action=\"" + path + "/reopen\""));
    EXPECT_FALSE(page.has("action=\"" + path + "/assign\""));
    const auto reference = [&] {
        auto tx = t_->db->begin(store::TxMode::read);
        return tx->query_one("SELECT reference FROM referrals WHERE id = ?", {std::stoll(referral)})->str(0);
    }();
    EXPECT_TRUE(caseload.has(reference));
    EXPECT_FALSE(spc.get("/caseload").has(reference)) << "a closed file leaves the coordinator's caseload";
    c.set_cookie("arrimage_lang", "fr");
    EXPECT_TRUE(c.get(path).has("Fermé"));
}
