// The children and youth registry through the real HTTP server, on the backend under test
// (SQLite: label db, PostgreSQL: label pg), with the demo data (staff, directory and demo
// children) loaded.
#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "store/audit_repo.hpp"
#include "web/app.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

class PeopleWeb : public testsupport::DemoServerTest {
  protected:
    void configure(web::Config& cfg) override { cfg.break_glass_minutes = break_glass_minutes_; }

    Client signed_in(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.accept_language = lang;
        c.set_cookie("arrimage_lang", lang);  // whatever the user's own preference
        return c;
    }
    std::string child(const std::string& given) {
        return std::to_string(scalar("SELECT id FROM people WHERE given_name = ?", {given}));
    }

    static std::string form(const std::string& given, const std::string& family, const std::string& dob,
                            const std::string& extra = "") {
        return "given_name=" + enc(given) + "&family_name=" + enc(family) + "&date_of_birth=" + dob +
               "&official_language=fr&capable_of_consent=no&school=" + enc("École Exemple-Test") +
               "&contact_given_name=Parent&contact_family_name=" + enc(family) +
               "&contact_relationship=parent&contact_is_substitute_decision_maker=1&contact_phone=" + enc("613-555-0177") + extra;
    }

    int break_glass_minutes_ = 60;  // the default of --break-glass-minutes
};

const char* const intake = "coord.ca@demo.arrimage.invalid";  // coordinator at the coordinating agency

TEST_F(PeopleWeb, RegisterThenViewThenList) {
    auto c = signed_in(intake);
    auto r = c.get("/children");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("href=\"/children\""));  // the nav link
    EXPECT_TRUE(r.has("Démo-Tremblay, Léa"));
    EXPECT_TRUE(r.has("href=\"/children/new\""));
    const auto people_before = scalar("SELECT COUNT(*) FROM people");

    r = c.get("/children/new");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("for=\"field-date_of_birth\""));
    r = c.submit("/children/new", "/children/new", form("Zacharie", "Demo-Lavoie", "2016-04-12"));
    ASSERT_EQ(r.status, 303);
    const std::string id = child("Zacharie");
    EXPECT_EQ(r.header("location"), "/children/" + id);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), people_before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_members WHERE person_id = ?", {std::stoll(id)}), 1);

    r = c.get("/children/" + id);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("The file was opened."));
    EXPECT_TRUE(r.has("Zacharie Demo-Lavoie"));
    EXPECT_TRUE(r.has("2016-04-12"));
    EXPECT_TRUE(r.has("Substitute decision-maker"));
    EXPECT_TRUE(r.has("+1 613-555-0177"));
    EXPECT_FALSE(r.has("École Exemple-Test"));  // education is not the agency's at intake

    r = c.get("/children?q=lavoie");
    EXPECT_TRUE(r.has("Demo-Lavoie, Zacharie"));
    EXPECT_FALSE(r.has("Léa"));
    // Creation, the read of identity and education, and the search are each audited.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'create' AND decision = 'permit'",
                     {std::stoll(id)}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'read'", {std::stoll(id)}), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'search' AND decision = 'permit'",
                     {std::stoll(id)}),
              1);

    // In French.
    auto fr = signed_in(intake, "fr");
    r = fr.get("/children/" + id);
    EXPECT_TRUE(r.has("Identité et coordonnées"));
    EXPECT_TRUE(r.has("Mandataire spécial"));
}

TEST_F(PeopleWeb, AProbableDuplicateNeedsAnExplicitConfirmation) {
    auto c = signed_in(intake);
    const auto before = scalar("SELECT COUNT(*) FROM people");
    auto r = c.submit("/children/new", "/children/new", form("LEA", "Demo-Tremblay", "2015-07-03"));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("This child or youth may already have a file"));
    EXPECT_TRUE(r.has("href=\"/children/" + child("Léa") + "\""));
    EXPECT_TRUE(r.has("name=\"confirm_distinct\""));
    EXPECT_TRUE(r.has("value=\"LEA\""));  // the form comes back filled in
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), before);
    r = c.submit("/children/new", "/children/new", form("LEA", "Demo-Tremblay", "2015-07-03", "&confirm_distinct=1"));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), before + 1);
}

// A referral for a child already known: the public form says nothing of it; the agency,
// registering the child from the referral, finds the file and links the referral to it instead
// of opening a second one. Only a file the agency may update, once, with field errors and
// refusals that change nothing.
TEST_F(PeopleWeb, AReferralForAKnownChildJoinsTheirFile) {
    Client family(port_);
    family.accept_language = "fr";
    const std::string pathway = std::to_string(
        scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'developmental'"));
    const std::string referral_form =
        "pathway_id=" + pathway + "&source=family&given_name=" + enc("Léa") + "&family_name=" + enc("Démo-Tremblay") +
        "&date_of_birth=2015-03-07&official_language=fr&contact_given_name=Marie&contact_family_name=" + enc("Démo-Tremblay") +
        "&contact_relationship=parent&contact_phone=" + enc("613-555-0177") + "&needs=" + enc("Besoins multiples.") +
        "&consent_given_by=substitute_decision_maker&consent=1";
    auto sent = family.submit("/refer", "/refer", referral_form);
    ASSERT_EQ(sent.status, 200);
    EXPECT_FALSE(sent.has("/children/")) << "the public form never tells whether a child is known";
    const std::string id =
        std::to_string(scalar("SELECT MAX(id) FROM referrals WHERE family_name = ?", {std::string("Démo-Tremblay")}));
    const std::string lea = child("Léa");

    auto c = signed_in(intake);
    ASSERT_EQ(c.submit("/referrals/" + id, "/referrals/" + id + "/accept", "note=").status, 303);
    // Not linkable from the registration form's duplicates until they are found.
    auto r = c.submit("/children/new?referral=" + id, "/children/new",
                      form("Léa", "Démo-Tremblay", "2015-03-07", "&referral_id=" + id));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("This child or youth may already have a file"));
    EXPECT_TRUE(r.has("action=\"/referrals/" + id + "/link-file\""));
    EXPECT_TRUE(r.has("name=\"person_id\" value=\"" + lea + "\""));

    const auto people_before = scalar("SELECT COUNT(*) FROM people");
    // Bad input and refusals change nothing.
    EXPECT_EQ(c.submit("/children/new?referral=" + id, "/referrals/" + id + "/link-file", "person_id=abc").status, 422);
    EXPECT_EQ(c.submit("/children/new?referral=" + id, "/referrals/" + id + "/link-file", "person_id=999999").status, 404);
    auto outsider = signed_in("coord1@demo.arrimage.invalid");
    EXPECT_EQ(outsider.submit("/", "/referrals/" + id + "/link-file", "person_id=" + lea).status, 403);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND person_id IS NULL", {std::stoll(id)}), 1);

    r = c.submit("/children/new?referral=" + id, "/referrals/" + id + "/link-file", "person_id=" + lea);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/children/" + lea);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND person_id = ?", {std::stoll(id), std::stoll(lea)}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), people_before) << "no second file";
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE referral_id = ? AND person_id = ? AND action = 'update' AND "
                     "decision = 'permit'",
                     {std::stoll(id), std::stoll(lea)}),
              1);
    // Once linked, it cannot be linked again.
    EXPECT_EQ(c.submit("/children/" + lea, "/referrals/" + id + "/link-file", "person_id=" + lea).status, 409);
}

TEST_F(PeopleWeb, AnotherOrganisationLearnsNothing) {
    const std::string lea = child("Léa");
    const auto denies = scalar("SELECT COUNT(*) FROM audit_events WHERE decision = 'deny'");
    auto c = signed_in("staff.board2@demo.arrimage.invalid");  // a school board with no part in Léa's file
    auto r = c.get("/children/" + lea);
    EXPECT_EQ(r.status, 404);
    EXPECT_FALSE(r.has("Léa"));
    EXPECT_FALSE(r.has("2015-03-07"));
    // The same page as a file that does not exist.
    auto main_of = [](const std::string& body) { return body.substr(body.find("<main")); };
    EXPECT_EQ(main_of(r.body), main_of(c.get("/children/999999").body));
    // The refusal was audited and committed.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE decision = 'deny' AND reason = 'no_relationship' AND person_id = ?",
                     {std::stoll(lea)}),
              1);
    EXPECT_GT(scalar("SELECT COUNT(*) FROM audit_events WHERE decision = 'deny'"), denies);
    r = c.get("/children");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("Léa"));
    EXPECT_FALSE(r.has("Demo-Smith"));
    EXPECT_FALSE(r.has("href=\"/children/new\""));
    // Not a coordinating agency: no registration.
    EXPECT_EQ(c.get("/children/new").status, 403);
    EXPECT_EQ(c.submit("/children", "/children/new", form("Zoé", "Demo-Roy", "2014-01-01")).status, 403);

    // A provider's coordinator sees their own file, not another provider's.
    auto alex = signed_in("coord1@demo.arrimage.invalid");
    r = alex.get("/children");
    EXPECT_TRUE(r.has("Démo-Tremblay, Léa"));
    EXPECT_FALSE(r.has("Demo-Smith"));
    EXPECT_EQ(alex.get("/children/" + child("Noah")).status, 404);
    r = alex.get("/children/" + lea);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("École Démo-des-Pins"));  // the owner, with consent for education
}

TEST_F(PeopleWeb, BadInputGetsFieldErrorsAndNothingIsSaved) {
    auto c = signed_in(intake);
    const auto people = scalar("SELECT COUNT(*) FROM people");
    const auto audit = scalar("SELECT COUNT(*) FROM audit_events");
    auto r = c.submit("/children/new", "/children/new",
                      "given_name=&family_name=Demo&date_of_birth=2999-01-01&official_language=de&capable_of_consent=no"
                      "&postal_code=12345&contact_given_name=A&contact_family_name=B&contact_relationship=uncle");
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("class=\"arr-error-summary\""));
    EXPECT_TRUE(r.has("id=\"error-given_name\""));
    EXPECT_TRUE(r.has("The date of birth cannot be in the future."));
    EXPECT_TRUE(r.has("id=\"error-official_language\""));
    EXPECT_TRUE(r.has("id=\"error-postal_code\""));
    EXPECT_TRUE(r.has("Choose a relationship from the list."));
    EXPECT_TRUE(r.has("Give a phone number or an email to reach this person."));
    EXPECT_TRUE(r.has("aria-invalid=\"true\""));
    r = c.submit("/children/new", "/children/new", form("Old", "Demo-Ancien", "1990-01-01"));
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("aged 25 or younger"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM people"), people);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), audit);
}

TEST_F(PeopleWeb, AWithheldCategoryShowsTheNoticeNotTheContent) {
    auto c = signed_in("staff.ctc@demo.arrimage.invalid");  // on Léa's team; her school is kept from the centre
    auto r = c.get("/children/" + child("Léa"));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Léa Démo-Tremblay"));
    EXPECT_TRUE(r.has("Education information: withheld at the family&apos;s request."));
    EXPECT_FALSE(r.has("École Démo-des-Pins"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE decision = 'permit_withheld' AND category = 'education'"), 1);
}

TEST_F(PeopleWeb, OnlyRolesThePolicyAdmitsSeeTheRegistry) {
    auto analyst = signed_in("analyst@demo.arrimage.invalid");
    auto r = analyst.get("/");
    EXPECT_FALSE(r.has("href=\"/children\""));
    EXPECT_EQ(analyst.get("/children").status, 403);
    auto c = signed_in("manager1@demo.arrimage.invalid");
    EXPECT_TRUE(c.get("/").has("href=\"/children\""));
}

TEST_F(PeopleWeb, TheAgencyAssignsACoordinator) {
    const std::string elodie = child("Élodie");  // a referral just received: no team, no consent yet
    auto c = signed_in(intake);
    auto r = c.get("/children/" + elodie);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("No one is assigned to this file yet."));
    EXPECT_TRUE(r.has("action=\"/children/" + elodie + "/team\""));
    const auto jordan = scalar("SELECT id FROM users WHERE email = 'coord3@demo.arrimage.invalid'");
    const auto maple = scalar("SELECT organisation_id FROM memberships WHERE user_id = ?", {jordan});
    const std::string member = std::to_string(jordan) + ":" + std::to_string(maple);
    EXPECT_TRUE(r.has("value=\"" + member + "\""));

    EXPECT_EQ(c.submit("/children/" + elodie, "/children/" + elodie + "/team", "member=x&kind=boss").status, 422);
    r = c.submit("/children/" + elodie, "/children/" + elodie + "/team", "member=" + enc(member) + "&kind=assigned_coordinator");
    ASSERT_EQ(r.status, 303);
    r = c.get("/children/" + elodie);
    EXPECT_TRUE(r.has("The team was updated."));
    EXPECT_TRUE(r.has("Jordan Sample"));
    EXPECT_TRUE(r.has("Assigned service planning coordinator"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'update' AND decision = 'permit'",
                     {std::stoll(elodie)}),
              1);
    // Assigned without the family's consent yet: the coordinator is on the file but sees nothing.
    auto jordan_client = signed_in("coord3@demo.arrimage.invalid");
    EXPECT_EQ(jordan_client.get("/children/" + elodie).status, 403);
    EXPECT_FALSE(jordan_client.get("/children").has("Élodie"));
    EXPECT_TRUE(c.get("/children").has("Démo-Gagnon, Élodie"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND reason = 'no_consent'", {std::stoll(elodie)}), 2);

    // Someone with no part in the file cannot change its team.
    auto other = signed_in("staff.board2@demo.arrimage.invalid");
    EXPECT_EQ(other.submit("/children", "/children/" + elodie + "/team", "member=" + enc(member) + "&kind=team_member").status,
              404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM file_team WHERE person_id = ?", {std::stoll(elodie)}), 1);
}

TEST_F(PeopleWeb, AFamilyMemberIsAddedToAFile) {
    const std::string noah = child("Noah");
    auto c = signed_in("coord3@demo.arrimage.invalid");  // Noah's assigned coordinator, with consent
    auto r = c.get("/children/" + noah);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("href=\"/children/" + noah + "/family/new\""));
    const std::string page = "/children/" + noah + "/family/new";
    ASSERT_EQ(c.get(page).status, 200);
    r = c.submit(page, page, "given_name=Sky&family_name=Demo-Smith&relationship=aunt&phone=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-relationship\""));
    EXPECT_TRUE(r.has("id=\"error-phone\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_members WHERE person_id = ?", {std::stoll(noah)}), 1);
    r = c.submit(page, page, "given_name=Sky&family_name=Demo-Smith&relationship=other_caregiver&email=sky%40example.org");
    ASSERT_EQ(r.status, 303);
    r = c.get("/children/" + noah);
    EXPECT_TRUE(r.has("The family member or contact was added."));
    EXPECT_TRUE(r.has("Sky Demo-Smith"));
    EXPECT_TRUE(r.has("sky@example.org"));
    // Another coordinator cannot add to a file that is not theirs; nothing is written.
    auto alex = signed_in("coord1@demo.arrimage.invalid");
    EXPECT_EQ(alex.submit(page, page, "given_name=X&family_name=Y&relationship=parent&phone=6135550100").status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_members WHERE person_id = ?", {std::stoll(noah)}), 2);
}

// ---- consent directives, printable form, lockbox, break-the-glass

namespace {

std::string today(const Clock& clock) {
    return format_iso(clock.now()).substr(0, 10);
}

}  // namespace

TEST_F(PeopleWeb, TheAgencyRecordsAmendsAndWithdrawsConsent) {
    const std::string elodie = child("Élodie");  // a referral just received: no consent yet
    const std::string base = "/children/" + elodie + "/consent";
    const auto blue_river = scalar("SELECT id FROM organisations WHERE name_en = 'Blue River Family Services (fictional)'");
    const auto julien = scalar("SELECT id FROM family_members WHERE given_name = 'Julien'");
    auto c = signed_in(intake);
    auto r = c.get("/children/" + elodie);
    EXPECT_TRUE(r.has("href=\"" + base + "\""));
    r = c.get(base);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("No directive is in effect"));
    r = c.get(base + "/new");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("name=\"organisations\" value=\"" + std::to_string(blue_river) + "\""));
    EXPECT_TRUE(r.has("<option value=\"" + std::to_string(julien) + "\" selected>Julien Démo-Gagnon</option>"));
    EXPECT_TRUE(r.has("value=\"" + today(clock_) + "\""));

    const std::string form = "effect=permit&organisations=" + std::to_string(blue_river) +
                             "&categories=identity_contact&categories=plan&purposes=coordination"
                             "&given_by=substitute_decision_maker&decision_maker=" +
                             std::to_string(julien) + "&method=verbal&witness_name=" + enc("Dana Témoin") +
                             "&given_at=" + today(clock_) + "&expires_at=";
    r = c.submit(base + "/new", base + "/new", form);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), base);
    const auto v1 = scalar("SELECT id FROM consent_directives WHERE person_id = ?", {std::stoll(elodie)});
    ASSERT_GT(v1, 0);
    r = c.get(base);
    EXPECT_TRUE(r.has("The directive was recorded."));
    EXPECT_TRUE(r.has("Directive " + std::to_string(v1) + ", version 1"));
    EXPECT_TRUE(r.has("Witnessed by Dana Témoin"));
    EXPECT_TRUE(r.has("Julien Démo-Gagnon"));
    EXPECT_TRUE(r.has("Until withdrawn"));
    EXPECT_FALSE(r.has("/print?lang="));  // the agency's profile does not print identity (privacy.hpp table B)
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'create' AND decision = 'permit'",
                     {std::stoll(elodie)}),
              2);  // the file, then the directive

    // Amendment: a new version, the old one withdrawn and listed as replaced.
    r = c.get(base + "/new?amend=" + std::to_string(v1));
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("name=\"supersedes\" value=\"" + std::to_string(v1) + "\""));
    EXPECT_TRUE(r.has("value=\"plan\" checked"));
    r = c.submit(base + "/new", base + "/new", form + "&purposes=referral&supersedes=" + std::to_string(v1));
    ASSERT_EQ(r.status, 303);
    const auto v2 = scalar("SELECT id FROM consent_directives WHERE person_id = ? AND version = 2", {std::stoll(elodie)});
    ASSERT_GT(v2, 0);
    r = c.get(base);
    EXPECT_TRUE(r.has("The new version was recorded and the previous one withdrawn."));
    EXPECT_TRUE(r.has("Replaced by a newer version"));

    r = c.submit(base, base + "/" + std::to_string(v2) + "/withdraw", "");
    ASSERT_EQ(r.status, 303);
    r = c.get(base);
    EXPECT_TRUE(r.has("The directive was withdrawn."));
    EXPECT_TRUE(r.has("No directive is in effect"));
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM consent_directives WHERE person_id = ? AND withdrawn_at IS NULL", {std::stoll(elodie)}), 0);
    // Withdrawing again: nothing to withdraw.
    EXPECT_EQ(c.submit(base, base + "/" + std::to_string(v2) + "/withdraw", "").status, 404);
}

TEST_F(PeopleWeb, ABadConsentFormGetsFieldErrorsAndNothingIsSaved) {
    const std::string elodie = child("Élodie");
    const std::string page = "/children/" + elodie + "/consent/new";
    const auto directives = scalar("SELECT COUNT(*) FROM consent_directives");
    const auto audit = scalar("SELECT COUNT(*) FROM audit_events");
    auto c = signed_in(intake);
    const std::string bad =
        "effect=permit&organisations=999999&purposes=coordination&given_by=child_youth"
        "&method=verbal&given_at=2026-02-30&expires_at=" +
        enc("next year");
    auto r = c.submit(page, page, bad);
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("class=\"arr-error-summary\""));
    EXPECT_TRUE(r.has("Choose organisations from the list (not 999999)."));
    EXPECT_TRUE(r.has("id=\"error-categories\""));
    EXPECT_TRUE(r.has("For a child or youth who is not capable, the substitute decision-maker gives consent."));
    EXPECT_TRUE(r.has("Verbal consent needs the name of the person who witnessed it."));
    EXPECT_TRUE(r.has("id=\"error-given_at\""));
    EXPECT_TRUE(r.has("id=\"error-expires_at\""));
    EXPECT_TRUE(r.has("value=\"coordination\" checked"));  // the form comes back as typed

    auto fr = signed_in(intake, "fr");
    r = fr.submit(page, page,
                  "effect=permit&organisations=999999&categories=plan&purposes=coordination&given_by=substitute_decision_maker"
                  "&decision_maker=&method=written&given_at=2026-01-10&expires_at=2026-01-01");
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Choisissez les organismes dans la liste (pas 999999)."));
    EXPECT_TRUE(r.has("id=\"error-decision_maker\""));
    EXPECT_TRUE(r.has("La date de fin doit suivre la date du consentement."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives"), directives);
    // The two form pages shown before posting and the two shown again with errors were audited
    // (one read each), and nothing else: the refused posts changed nothing.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), audit + 4);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE action <> 'read'"),
              scalar("SELECT COUNT(*) FROM audit_events WHERE action <> 'read' AND id <= ?", {audit}));
}

TEST_F(PeopleWeb, TheConsentFormPrintsInBothLanguagesAndIsAudited) {
    const std::string lea = child("Léa");
    const auto directive = scalar("SELECT id FROM consent_directives WHERE person_id = ?", {std::stoll(lea)});
    const std::string base = "/children/" + lea + "/consent/" + std::to_string(directive) + "/print";
    auto c = signed_in("coord1@demo.arrimage.invalid");  // Léa's assigned coordinator
    auto r = c.get("/children/" + lea + "/consent");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("href=\"" + base + "?lang=fr\""));
    EXPECT_TRUE(r.has("href=\"" + base + "?lang=en\""));

    r = c.get(base + "?lang=fr");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"fr\">"));
    EXPECT_TRUE(r.has("En termes simples"));
    EXPECT_TRUE(r.has("Marie Démo-Tremblay accepte que les organismes"));
    EXPECT_TRUE(r.has("Services à la famille Rivière-Bleue (fictif)"));
    EXPECT_TRUE(r.has("Renseignements sur la santé"));
    EXPECT_TRUE(r.has("Décision prise par Marie Démo-Tremblay, mandataire spécial"));
    EXPECT_TRUE(r.has("/static/css/print.css"));
    EXPECT_FALSE(r.has("arr-header__nav"));
    r = c.get(base + "?lang=en");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"en\">"));
    EXPECT_TRUE(r.has("In plain words"));
    EXPECT_TRUE(r.has("Marie Démo-Tremblay agrees that the organisations listed below"));
    EXPECT_TRUE(r.has("Blue River Family Services (fictional)"));
    EXPECT_TRUE(r.has("Signature of Marie Démo-Tremblay"));
    EXPECT_TRUE(r.has("How consent was given: Written."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND decision = 'permit'",
                     {std::stoll(lea)}),
              2);
    EXPECT_EQ(c.get("/children/" + lea + "/consent/999999/print?lang=en").status, 404);
    // The agency's profile may not print identity: refused and audited.
    auto agency = signed_in(intake);
    EXPECT_EQ(agency.get(base + "?lang=fr").status, 403);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND decision = 'deny'",
                     {std::stoll(lea)}),
              1);
}

TEST_F(PeopleWeb, APlainLanguageSummaryOfTheConsentInBothLanguages) {
    const std::string lea = child("Léa");
    const std::string base = "/children/" + lea + "/consent/summary";
    auto c = signed_in("coord1@demo.arrimage.invalid");  // Léa's assigned coordinator
    auto r = c.get("/children/" + lea + "/consent");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("href=\"" + base + "?lang=fr\""));
    EXPECT_TRUE(r.has("href=\"" + base + "?lang=en\""));

    r = c.get(base + "?lang=en");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"en\">"));
    EXPECT_TRUE(r.has("Your consent in plain words"));
    EXPECT_TRUE(r.has("the file of Léa Démo-Tremblay"));
    // What, with whom, why, until when.
    EXPECT_TRUE(r.has("Blue River Family Services (fictional), Demo Children&apos;s Treatment Centre"));
    EXPECT_TRUE(r.has("Education information"));
    EXPECT_TRUE(r.has("Service coordination"));
    EXPECT_TRUE(r.has("Until the end of the day on"));
    EXPECT_TRUE(r.has("Marie Démo-Tremblay"));
    // What the lockbox keeps, the emergency access, the rights.
    EXPECT_TRUE(r.has("Education information is kept from Demo Children&apos;s Treatment Centre."));
    EXPECT_TRUE(r.has("urgent risk of harm"));
    EXPECT_TRUE(r.has("withdraw your consent at any time by contacting Demo Coordinating Agency"));
    EXPECT_TRUE(r.has("who looked at the file of Léa Démo-Tremblay"));
    EXPECT_TRUE(r.has("ask that it be corrected"));
    EXPECT_TRUE(r.has("/static/css/print.css"));
    EXPECT_FALSE(r.has("arr-header__nav"));
    EXPECT_TRUE(r.has("href=\"" + base + "?lang=fr\""));

    r = c.get(base + "?lang=fr");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"fr\">"));
    EXPECT_TRUE(r.has("Votre consentement en termes simples"));
    EXPECT_TRUE(r.has("Services à la famille Rivière-Bleue (fictif)"));
    EXPECT_TRUE(r.has("Renseignements scolaires : soustrait à Centre de traitement pour enfants Démo."));
    EXPECT_TRUE(r.has("Coordination des services"));
    EXPECT_TRUE(r.has("retirer votre consentement en tout temps en communiquant avec Agence de coordination Démo"));
    EXPECT_TRUE(r.has("qui a consulté le dossier de Léa Démo-Tremblay"));
    EXPECT_TRUE(r.has("en demander la correction"));
    // Each is a print of identity and contact, audited.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND decision = 'permit'",
                     {std::stoll(lea)}),
              2);

    // Once the consent is withdrawn, the summary says no consent is in effect.
    const auto directive = scalar("SELECT id FROM consent_directives WHERE person_id = ?", {std::stoll(lea)});
    ASSERT_EQ(
        c.submit("/children/" + lea + "/consent", "/children/" + lea + "/consent/" + std::to_string(directive) + "/withdraw", "")
            .status,
        303);
    clock_.advance(std::chrono::seconds(1));
    r = c.get(base + "?lang=en");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("No consent is in effect today."));
    EXPECT_FALSE(r.has("Until the end of the day on"));

    // The agency's profile may not print identity: refused and audited; another organisation
    // does not learn the file exists.
    auto agency = signed_in(intake);
    r = agency.get(base + "?lang=fr");
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has("Démo-Tremblay"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND decision = 'deny'",
                     {std::stoll(lea)}),
              1);
    r = signed_in("staff.board2@demo.arrimage.invalid").get(base + "?lang=en");
    EXPECT_EQ(r.status, 404);
    EXPECT_FALSE(r.has("Démo-Tremblay"));
}

TEST_F(PeopleWeb, RevokingALockboxEntryRestoresAccess) {
    const std::string lea = child("Léa");
    const std::string page = "/children/" + lea + "/lockbox";
    const auto ctc = scalar("SELECT id FROM organisations WHERE name_en = 'Demo Children''s Treatment Centre'");
    auto c = signed_in("coord1@demo.arrimage.invalid");
    auto r = c.get(page);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Education information"));
    const auto reads = scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'read'", {std::stoll(lea)});
    r = c.submit(page, page,
                 "organisation_id=" + std::to_string(ctc) + "&category=education&requested_by=substitute_decision_maker");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("This information is already withheld from this organisation."));
    // The page shown before posting and the one shown again with the error are both on record.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'read'", {std::stoll(lea)}), reads + 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE organisation_id = ? AND category = 'education'", {ctc}), 1);
    r = c.submit(page, page,
                 "organisation_id=" + std::to_string(ctc) +
                     "&category=health&requested_by=child_youth&reason=" + enc("Prefers to tell them herself"));
    ASSERT_EQ(r.status, 303);
    EXPECT_TRUE(c.get(page).has("Prefers to tell them herself"));

    auto staff = signed_in("staff.ctc@demo.arrimage.invalid");
    EXPECT_FALSE(staff.get("/children/" + lea).has("École Démo-des-Pins"));
    const auto entry = scalar("SELECT id FROM lockbox_entries WHERE organisation_id = ? AND category = 'education'", {ctc});
    r = c.submit(page, page + "/" + std::to_string(entry) + "/revoke", "");
    ASSERT_EQ(r.status, 303);
    EXPECT_TRUE(c.get(page).has("The lockbox entry was revoked."));
    clock_.advance(std::chrono::seconds(1));
    r = staff.get("/children/" + lea);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("École Démo-des-Pins"));
    EXPECT_FALSE(r.has("withheld at the family"));
}

TEST_F(PeopleWeb, BreakTheGlassThenThePrivacyOfficerReviewsIt) {
    const std::string lea = child("Léa");
    const auto directive = scalar("SELECT id FROM consent_directives WHERE person_id = ?", {std::stoll(lea)});
    auto coord = signed_in("coord1@demo.arrimage.invalid");
    ASSERT_EQ(coord
                  .submit("/children/" + lea + "/consent",
                          "/children/" + lea + "/consent/" + std::to_string(directive) + "/withdraw", "")
                  .status,
              303);
    clock_.advance(std::chrono::seconds(1));

    // On the team, but the family withdrew its consent: refused, with the emergency form.
    auto staff = signed_in("staff.ctc@demo.arrimage.invalid");
    auto r = staff.get("/children/" + lea);
    ASSERT_EQ(r.status, 403);
    EXPECT_FALSE(r.has("Léa"));
    EXPECT_TRUE(r.has("action=\"/children/" + lea + "/break-glass\""));
    EXPECT_TRUE(r.has("you can open it for 60 minutes"));
    r = staff.submit("/children/" + lea, "/children/" + lea + "/break-glass", "reason=urgent");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Explain the urgent risk in at least 10 characters."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM break_glass_grants"), 0);
    r = staff.submit("/children/" + lea, "/children/" + lea + "/break-glass",
                     "reason=" + enc("Léa told her therapist she plans to run away tonight"));
    ASSERT_EQ(r.status, 303);
    r = staff.get("/children/" + lea);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Emergency access is open."));
    EXPECT_TRUE(r.has("Léa Démo-Tremblay"));
    EXPECT_TRUE(r.has("shown only because you opened emergency access"));
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND break_glass = 1 AND reason = 'break_glass'",
                     {std::stoll(lea)}),
              1);

    // Only the coordinating agency's privacy officer sees the queue.
    EXPECT_EQ(coord.get("/privacy/break-glass").status, 403);
    EXPECT_EQ(signed_in("privacy.mh@demo.arrimage.invalid").get("/privacy/break-glass").status, 403);
    auto po = signed_in("privacy@demo.arrimage.invalid");
    r = po.get("/privacy/break-glass");
    ASSERT_EQ(r.status, 200);
    const auto grant = scalar("SELECT id FROM break_glass_grants");
    EXPECT_TRUE(r.has("Ariel Traitement-Démo"));
    EXPECT_TRUE(r.has("she plans to run away tonight"));
    EXPECT_TRUE(r.has("File " + lea + " — Léa Démo-Tremblay"));
    EXPECT_TRUE(r.has("3 flagged accesses"));  // the opening, then identity and education
    EXPECT_TRUE(r.has("still open"));
    const std::string review = "/privacy/break-glass/" + std::to_string(grant) + "/review";
    EXPECT_EQ(coord.submit("/children", review, "note=fine").status, 403);
    r = po.submit("/privacy/break-glass", review, "note=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-note-" + std::to_string(grant) + "\""));
    EXPECT_TRUE(r.has("aria-invalid=\"true\""));

    // The grant ends with the configured duration.
    clock_.advance(std::chrono::minutes(60));
    staff = signed_in("staff.ctc@demo.arrimage.invalid");
    EXPECT_EQ(staff.get("/children/" + lea).status, 403);

    po = signed_in("privacy@demo.arrimage.invalid");
    EXPECT_TRUE(po.get("/privacy/break-glass").has("ended"));
    r = po.submit("/privacy/break-glass", review, "note=" + enc("Justified: the police were called."));
    ASSERT_EQ(r.status, 303);
    r = po.get("/privacy/break-glass");
    EXPECT_TRUE(r.has("The emergency access was marked as reviewed."));
    EXPECT_TRUE(r.has("Nothing to review."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM break_glass_grants WHERE reviewed_at IS NOT NULL AND review_note IS NOT NULL"), 1);
}

TEST_F(PeopleWeb, AnotherOrganisationCannotReachTheConsentPages) {
    const std::string lea = child("Léa");
    const auto directive = std::to_string(scalar("SELECT id FROM consent_directives WHERE person_id = ?", {std::stoll(lea)}));
    const auto entry = std::to_string(scalar("SELECT id FROM lockbox_entries WHERE person_id = ?", {std::stoll(lea)}));
    const std::string base = "/children/" + lea;
    auto c = signed_in("staff.board2@demo.arrimage.invalid");
    for (const auto& page :
         {base + "/consent", base + "/consent/new", base + "/consent/" + directive + "/print?lang=fr", base + "/lockbox"}) {
        auto r = c.get(page);
        EXPECT_EQ(r.status, 404) << page;
        EXPECT_FALSE(r.has("Léa")) << page;
    }
    for (const auto& action : {base + "/consent/new", base + "/consent/" + directive + "/withdraw", base + "/lockbox",
                               base + "/lockbox/" + entry + "/revoke", base + "/break-glass"})
        EXPECT_EQ(c.submit("/children", action,
                           "effect=permit&organisations=1&categories=plan&purposes=coordination&given_by=child_youth"
                           "&method=written&given_at=2026-01-01&organisation_id=1&category=plan&requested_by=child_youth"
                           "&reason=" +
                               enc("An urgent risk of harm right now"))
                      .status,
                  404)
            << action;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM consent_directives WHERE person_id = ? AND withdrawn_at IS NULL", {std::stoll(lea)}),
              1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM lockbox_entries WHERE person_id = ? AND revoked_at IS NULL", {std::stoll(lea)}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM break_glass_grants"), 0);
    // A team member (not the assigned coordinator) cannot keep the consent record.
    auto staff = signed_in("staff.ctc@demo.arrimage.invalid");
    EXPECT_EQ(staff.get(base + "/consent").status, 403);
}

// --break-glass-minutes sets how long a grant lasts.
class PeopleWebShortGlass : public PeopleWeb {
  protected:
    PeopleWebShortGlass() { break_glass_minutes_ = 15; }
};

TEST_F(PeopleWebShortGlass, TheGrantLastsTheConfiguredDuration) {
    const std::string lea = child("Léa");
    const auto directive = scalar("SELECT id FROM consent_directives WHERE person_id = ?", {std::stoll(lea)});
    auto coord = signed_in("coord1@demo.arrimage.invalid");
    ASSERT_EQ(coord
                  .submit("/children/" + lea + "/consent",
                          "/children/" + lea + "/consent/" + std::to_string(directive) + "/withdraw", "")
                  .status,
              303);
    clock_.advance(std::chrono::seconds(1));
    auto staff = signed_in("staff.ctc@demo.arrimage.invalid");
    auto r = staff.get("/children/" + lea);
    ASSERT_EQ(r.status, 403);
    EXPECT_TRUE(r.has("you can open it for 15 minutes"));
    ASSERT_EQ(staff
                  .submit("/children/" + lea, "/children/" + lea + "/break-glass",
                          "reason=" + enc("Threat of harm reported by the school this morning"))
                  .status,
              303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM break_glass_grants WHERE expires_at > granted_at"), 1);
    clock_.advance(std::chrono::minutes(14));
    EXPECT_EQ(staff.get("/children/" + lea).status, 200);
    clock_.advance(std::chrono::minutes(1));
    EXPECT_EQ(staff.get("/children/" + lea).status, 403);
}

// Concurrent requests that read and refuse files, from several users at once: every access gets
// its audit row and the hash chain stays one unbroken chain (SQLite: BEGIN IMMEDIATE; PostgreSQL:
// the advisory lock).
TEST_F(PeopleWeb, ConcurrentRequestsKeepTheAuditChainIntact) {
    const auto before = scalar("SELECT COUNT(*) FROM audit_events");
    const std::vector<std::string> users = {intake, "coord1@demo.arrimage.invalid", "staff.ctc@demo.arrimage.invalid",
                                            "privacy@demo.arrimage.invalid"};
    std::vector<Client> clients;
    std::vector<std::vector<std::string>> files(users.size());
    for (std::size_t u = 0; u < users.size(); ++u) {
        clients.push_back(signed_in(users[u]));
        const auto list = clients.back().get("/children");
        ASSERT_EQ(list.status, 200) << users[u];
        static const std::regex link(R"re(href="/children/(\d+)")re");
        for (std::sregex_iterator it(list.body.begin(), list.body.end(), link), end; it != end; ++it)
            files[u].push_back((*it)[1].str());
        ASSERT_FALSE(files[u].empty()) << users[u];
    }
    const auto after_lists = scalar("SELECT COUNT(*) FROM audit_events");
    constexpr int rounds = 12;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (std::size_t u = 0; u < users.size(); ++u)
        threads.emplace_back([&, u] {
            for (int i = 0; i < rounds; ++i) {
                const auto& id = files[u][static_cast<std::size_t>(i) % files[u].size()];
                // A file of theirs, and one that does not exist (404).
                if (clients[u].get("/children/" + id).status != 200) ++failures;
                if (clients[u].get("/children/" + std::to_string(900000 + i)).status != 404) ++failures;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    const auto after = scalar("SELECT COUNT(*) FROM audit_events");
    EXPECT_GT(after_lists, before);
    // Each file read audits at least one decision.
    EXPECT_GE(after - after_lists, static_cast<std::int64_t>(users.size()) * rounds);
    const auto v = store::verify_audit_chain(*t_->db);
    EXPECT_TRUE(v.intact()) << (v.broken ? v.broken->detail : "");
    EXPECT_EQ(v.rows, after);
    EXPECT_EQ(scalar("SELECT MAX(id) FROM audit_events"), after);  // ids 1..n without gaps
}

// A user with two memberships works under one at a time: the oldest until they choose, then the
// one they chose for the rest of the session. A forged or stale choice changes nothing.
TEST_F(PeopleWeb, AUserWithTwoMembershipsChoosesTheOneTheyActUnder) {
    const std::string lea = child("Léa");
    const auto staff = scalar("SELECT id FROM users WHERE email = 'staff.board2@demo.arrimage.invalid'");
    const auto agency = scalar(
        "SELECT m.organisation_id FROM memberships m JOIN users u ON u.id = m.user_id "
        "WHERE u.email = ?",
        {std::string(intake)});
    {
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec(
            "INSERT INTO memberships (user_id, organisation_id, role, active, created_at, updated_at) "
            "VALUES (?, ?, 'coordinator', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            {staff, agency});
        tx->commit();
    }
    auto c = signed_in("staff.board2@demo.arrimage.invalid");
    // The oldest membership first: the school board's, which has no part in Léa's file.
    EXPECT_EQ(c.get("/children/" + lea).status, 404);
    auto r = c.get("/");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("You are working under this one"));
    EXPECT_TRUE(r.has("value=\"" + std::to_string(agency) + ":coordinator\""));
    EXPECT_TRUE(r.has("Working as "));  // the header says which

    // Forged: a membership the user does not hold, another role, nonsense.
    for (const std::string& v : {std::to_string(agency) + ":ca_admin", std::string("999999:coordinator"), std::string("x")}) {
        r = c.submit("/", "/session/membership", "membership=" + enc(v));
        EXPECT_EQ(r.status, 422) << v;
        EXPECT_TRUE(r.has("That is not one of your organisations and roles any more.")) << v;
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM sessions WHERE user_id = ? AND acting_organisation_id IS NOT NULL", {staff}), 0);
    EXPECT_EQ(c.get("/children/" + lea).status, 404);

    r = c.submit("/", "/session/membership", "membership=" + enc(std::to_string(agency) + ":coordinator"));
    ASSERT_EQ(r.status, 303);
    r = c.get("/children/" + lea);
    EXPECT_EQ(r.status, 200);
    // The read is audited for the membership chosen.
    EXPECT_EQ(scalar("SELECT organisation_id FROM audit_events WHERE person_id = ? AND user_id = ? AND decision = 'permit' "
                     "ORDER BY id DESC LIMIT 1",
                     {std::stoll(lea), staff}),
              agency);

    // In French too.
    auto fr = signed_in("staff.board2@demo.arrimage.invalid", "fr");
    r = fr.submit("/", "/session/membership", "membership=x");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Ce n’est plus l’un de vos organismes et rôles."));
}
