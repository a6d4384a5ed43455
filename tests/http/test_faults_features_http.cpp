// Fault injection over the write paths of every feature, through the real HTTP server with the
// demo data, on the backend under test (SQLite: label db, PostgreSQL: label pg): each write is
// posted through its form as a user would, with the CSRF token of the form's page, failing its
// commit and then its statements (faults_fixture.hpp; ARRIMAGE_FAULT_STRIDE picks which). Every
// failed run answers 503 with the error page and leaves every table as it was; the run without a
// fault does the write and answers as the page does. (Registering a child, recording consent,
// declining a referral and the privacy office's breaches: test_faults_http.cpp.)
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "http/demo_server.hpp"
#include "http/faults_fixture.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;

namespace {

// The demo people the tests act as (README.md, "Demo sign-ins").
const char* const sysadmin = "sysadmin@demo.arrimage.invalid";
const char* const ca_admin = "ca.admin@demo.arrimage.invalid";    // the coordinating agency's administrator
const char* const intake = "coord.ca@demo.arrimage.invalid";      // the agency's intake coordinator
const char* const coord1 = "coord1@demo.arrimage.invalid";        // Léa's coordinator (Blue River)
const char* const coord3 = "coord3@demo.arrimage.invalid";        // keeps Noah Demo-Smith's plan
const char* const manager1 = "manager1@demo.arrimage.invalid";    // Blue River's manager
const char* const family = "chris.family@demo.arrimage.invalid";  // Noah Demo-Smith's grandmother

// The demo organisations, by their English names (app/demo_data.cpp).
const char* const agency = "Demo Coordinating Agency";
const char* const north = "Demo North Community Network";
const char* const maple = "Fictional Maple Youth Centre";
const char* const town = "Town of Demoville";

}  // namespace

class FaultsFeatures : public testsupport::FaultSweepTest {
  protected:
    std::string org(const std::string& name_en) { return id_of("SELECT id FROM organisations WHERE name_en = ?", {name_en}); }
    std::string user(const std::string& email) { return id_of("SELECT id FROM users WHERE email = ?", {email}); }
    // The demo area (the agency's).
    std::string area() { return id_of("SELECT sda_id FROM organisations WHERE name_en = ?", {std::string(agency)}); }
    std::string child(const std::string& given, const std::string& family_name) {
        return id_of("SELECT id FROM people WHERE given_name = ? AND family_name = ?", {given, family_name});
    }
    // The intake of the demo referral of `family_name`.
    std::string intake_of(const std::string& family_name) {
        return id_of("SELECT i.id FROM intakes i JOIN referrals r ON r.id = i.referral_id WHERE r.family_name = ?",
                     {family_name});
    }
    std::string version(const std::string& table, const std::string& id) {
        return id_of("SELECT version FROM " + table + " WHERE id = ?", {std::stoll(id)});
    }
    // Noah Demo-Smith's active plan (coord3's, signed by his grandmother).
    std::string noah() { return child("Noah", "Demo-Smith"); }
    std::string noah_plan() { return "/children/" + noah() + "/plan"; }
    std::string lea() { return child("Léa", "Démo-Tremblay"); }
};

// ------------------------------------------------------------------------------------ intake

TEST_F(FaultsFeatures, IntakeDecision) {
    // Félix's intake has its story: the agency decides he is eligible.
    const auto id = intake_of("Démo-Roy");
    const std::string page = "/intake/" + id;
    auto c = as(intake);
    expect_all_or_nothing(
        c, page, page + "/decision",
        "version=" + version("intakes", id) + "&decision=eligible&reason=" + enc("Besoins en santé et à l’école."), 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE id = ? AND status = 'eligible'", {std::stoll(id)}), 1);
}

TEST_F(FaultsFeatures, IntakeAssignsACoordinator) {
    // Liam waits on the CSP waitlist with his file registered: a coordinator is assigned (the
    // family told by email, the coordinator notified).
    const auto id = intake_of("Demo-Nguyen");
    const std::string page = "/intake/" + id;
    const auto alex = user(coord1);
    const auto blue_river = id_of("SELECT organisation_id FROM memberships WHERE user_id = ?", {std::stoll(alex)});
    auto c = as(intake);
    expect_all_or_nothing(
        c, page, page + "/assign",
        "version=" + version("intakes", id) + "&coordinator=" + alex + "%3A" + blue_river + "&reason=" + enc("Near the family."),
        303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM intakes WHERE id = ? AND status = 'assigned'", {std::stoll(id)}), 1);
}

// -------------------------------------------------------------------------------------- plan

TEST_F(FaultsFeatures, PlanAddsAGoal) {
    auto c = as(coord3);
    const auto goals = scalar("SELECT COUNT(*) FROM plan_goals");
    expect_all_or_nothing(c, noah_plan(), noah_plan() + "/goals",
                          "text=" + enc("Sleep through the night before school days.") + "&expressed_by=child", 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals"), goals + 1);
}

TEST_F(FaultsFeatures, PlanRecordsProgressOnAnAction) {
    // coord3's own action, in progress: completed with a note (the action's event row with it).
    const auto action =
        id_of("SELECT id FROM plan_actions WHERE owner_user_id = ? AND status = 'in_progress'", {std::stoll(user(coord3))});
    auto c = as(coord3);
    expect_all_or_nothing(c, noah_plan(), noah_plan() + "/actions/" + action,
                          "version=" + version("plan_actions", action) + "&event=complete&note=" + enc("A quiet room is ready."),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_actions WHERE id = ? AND status = 'done'", {std::stoll(action)}), 1);
}

TEST_F(FaultsFeatures, PlanRecordsAReview) {
    // Where every goal of the plan stands, and the next steps; the next review moves on.
    std::string form = "held_on=" + day(0) + "&next_steps=" + enc("Look for a basketball team in January.");
    {
        auto tx = t_->db->begin(store::TxMode::read);
        for (const auto& g : tx->query("SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ?",
                                       {std::stoll(noah())})) {
            const auto goal = std::to_string(g.i64(0));
            form += "&goal=" + goal + "&progress_" + goal + "=in_progress&note_" + goal + "=" + enc("On its way.");
        }
    }
    auto c = as(coord3);
    const auto reviews = scalar("SELECT COUNT(*) FROM plan_reviews");
    expect_all_or_nothing(c, noah_plan(), noah_plan() + "/reviews", form, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_reviews"), reviews + 1);
}

TEST_F(FaultsFeatures, PlanIsSignedByTheFamily) {
    // His grandmother agrees to the plan as it is now, from her family account.
    const std::string page = "/family/children/" + noah();
    const auto v = id_of("SELECT version FROM plans WHERE person_id = ?", {std::stoll(noah())});
    auto c = as(family, "fr");
    const auto signatures = scalar("SELECT COUNT(*) FROM plan_signatures");
    expect_all_or_nothing(c, page, page + "/sign", "version=" + v + "&decision=agreed", 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_signatures"), signatures + 1);
}

// --------------------------------------------------------------------------- family's access

TEST_F(FaultsFeatures, FamilyIsInvitedByEmail) {
    // Léa's coordinator invites her mother, by email.
    const std::string page = "/children/" + lea() + "/family";
    const auto marie = id_of("SELECT id FROM family_members WHERE person_id = ?", {std::stoll(lea())});
    auto c = as(coord1);
    const auto invitations = scalar("SELECT COUNT(*) FROM family_invitations");
    expect_all_or_nothing(c, page, page + "/invitations",
                          "member=" + marie + "&authority=yes&delivery=email&email=" + enc("marie.panne@example.invalid"), 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_invitations"), invitations + 1);
}

TEST_F(FaultsFeatures, FamilyRaisesAConcern) {
    const std::string page = "/family/children/" + noah() + "/requests";
    auto c = as(family, "fr");
    expect_all_or_nothing(c, page, page,
                          "kind=concern&addressed_to=coordinator&description=" + enc("Personne ne m’a rappelée cette semaine."),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM family_concerns WHERE description LIKE 'Personne ne%'"), 1);
}

// --------------------------------------------------------------------------------- referrals

TEST_F(FaultsFeatures, ReferralFromAFamily) {
    // The public form: the referral, its consent, the flood guard's count and the agency's
    // notices, or none of them (a failed send is not counted against the address).
    Client visitor(port_);
    visitor.set_cookie("arrimage_lang", "fr");
    const auto referrals = scalar("SELECT COUNT(*) FROM referrals");
    expect_all_or_nothing(visitor, "/refer", "/refer", family_referral_form(pathway("developmental"), "Essai-Famille"), 200);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), referrals + 1);
}

TEST_F(FaultsFeatures, ReferralIsAccepted) {
    // Théo's referral, received a week ago, accepted by the agency.
    const auto id = id_of("SELECT id FROM referrals WHERE family_name = 'Démo-Lavoie'");
    const std::string page = "/referrals/" + id;
    auto c = as(intake);
    expect_all_or_nothing(c, page, page + "/accept", "note=" + enc("Appel fait à la mère."), 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals WHERE id = ? AND status = 'accepted'", {std::stoll(id)}), 1);
}

TEST_F(FaultsFeatures, ReferralIsSentFromAFile) {
    // From Léa's file to the treatment centre's physiotherapy (the receiving organisation told).
    const std::string page = "/children/" + lea() + "/referrals";
    const auto physio = id_of("SELECT id FROM services WHERE name_en = 'Physiotherapy and Occupational Therapy'");
    auto c = as(coord1);
    const auto referrals = scalar("SELECT COUNT(*) FROM referrals");
    expect_all_or_nothing(c, page, page, "service_id=" + physio + "&needs=" + enc("Évaluation de la motricité fine."), 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), referrals + 1);
}

// -------------------------------------------------------------------------------- agreements

TEST_F(FaultsFeatures, AgreementIsRecorded) {
    auto c = as(ca_admin);
    const auto agreements = scalar("SELECT COUNT(*) FROM agreements");
    expect_all_or_nothing(c, "/agreements/new", "/agreements",
                          "title_fr=" + enc("Entente d’essai — panne") + "&title_en=" + enc("Test agreement — fault") +
                              "&kind=partnership&parties=" + org(agency) + "&parties=" + org(north) +
                              "&scopes=referral&scopes=information_sharing&effective_on=" + day(-30) + "&expires_on=" + day(335) +
                              "&review_due=" + day(150) + "&summary=" + enc("Chaque partie oriente les familles vers l’autre."),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreements"), agreements + 1);
}

TEST_F(FaultsFeatures, AgreementIsEvaluated) {
    // The Youth Crisis Line's partnership, in force: an evaluation (its findings; the next review).
    const auto id = id_of("SELECT id FROM agreements WHERE status = 'active' AND title_en LIKE 'Collaboration agreement%'");
    const std::string page = "/agreements/" + id;
    auto c = as(ca_admin);
    expect_all_or_nothing(c, page, page + "/evaluations",
                          "evaluated_on=" + day(0) + "&expected_results=" + enc("Premier contact en 10 jours.") +
                              "&findings=" + enc("Premier contact en 12 jours en moyenne.") + "&outcome=keep",
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM agreement_evaluations WHERE agreement_id = ?", {std::stoll(id)}), 1);
}

// -------------------------------------------------------------------------------- governance

TEST_F(FaultsFeatures, GovernanceLogsADecision) {
    const auto committee = id_of("SELECT MIN(id) FROM committees");
    const std::string page = "/governance/" + committee;
    auto c = as(ca_admin);
    const auto decisions = scalar("SELECT COUNT(*) FROM governance_decisions");
    expect_all_or_nothing(c, page, page + "/decisions",
                          "meeting=&decided_on=" + day(0) + "&decision=" + enc("Créer un guichet unique.") +
                              "&decided_by=" + enc("Le groupe directeur, par consensus") + "&owner=" + org(agency) +
                              "&owner_person=" + enc("Camille Suivi") + "&due_on=" + day(60),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM governance_decisions"), decisions + 1);
}

TEST_F(FaultsFeatures, GovernanceApprovesMinutes) {
    // The steering group's last meeting was held: its minutes approved.
    const auto meeting = id_of("SELECT MAX(id) FROM committee_meetings WHERE status = 'held'");
    const auto committee = id_of("SELECT committee_id FROM committee_meetings WHERE id = ?", {std::stoll(meeting)});
    const std::string page = "/governance/" + committee + "/meetings/" + meeting;
    auto c = as(ca_admin);
    expect_all_or_nothing(c, page, page + "/approve_minutes", "", 303);
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM committee_meetings WHERE id = ? AND status = 'minutes_approved'", {std::stoll(meeting)}), 1);
}

// -------------------------------------------------------------------------------- complaints

TEST_F(FaultsFeatures, ComplaintIsRaised) {
    // Blue River's manager raises a conflict with the Maple Youth Centre (the agency told).
    auto c = as(manager1);
    const auto complaints = scalar("SELECT COUNT(*) FROM complaints");
    expect_all_or_nothing(c, "/complaints/new", "/complaints",
                          "kind=conflict&category=coordination&about_organisation=" + org(maple) +
                              "&name=&email=&description=" + enc("Deux plans de services se contredisent pour le même jeune."),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints"), complaints + 1);
}

TEST_F(FaultsFeatures, ComplaintFromThePublic) {
    // The public form of the demo area, with the raiser's contact: answered with its reference.
    const std::string area_id = area();
    Client visitor(port_);
    visitor.set_cookie("arrimage_lang", "fr");
    const auto complaints = scalar("SELECT COUNT(*) FROM complaints");
    expect_all_or_nothing(visitor, "/complaints/new?area=" + area_id, "/complaints?area=" + area_id,
                          "kind=complaint&category=wait_times&about_organisation=&name=" + enc("Camille Panne") +
                              "&relation=parent&email=" + enc("camille.panne@example.invalid") +
                              "&phone=&preferred_lang=fr&description=" + enc("Nous attendons depuis huit mois une évaluation.") +
                              "&desired_outcome=" + enc("Une date pour l’évaluation."),
                          200);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints"), complaints + 1);
}

TEST_F(FaultsFeatures, ComplaintIsTriaged) {
    // A complaint just received: triaged by the agency, an owner named (and notified).
    const auto id = id_of("SELECT MIN(id) FROM complaints WHERE status = 'received'");
    const std::string page = "/complaints/" + id;
    auto c = as(ca_admin);
    expect_all_or_nothing(c, page, page + "/triage", "category=access&severity=high&owner=" + user(intake), 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints WHERE id = ? AND status = 'triaged'", {std::stoll(id)}), 1);
}

// ----------------------------------------------------------------------------------- network

TEST_F(FaultsFeatures, NetworkRecordsAMaturityAssessment) {
    static const std::array<const char*, 6> dimensions = {
        "entry_points", "information_exchange", "management", "funding", "equipment", "clientele"};
    std::string form = "assessed_on=" + day(0) + "&subject=area";
    for (const char* d : dimensions)
        form += std::string("&level_") + d + "=coordination&evidence_" + d + "=" + enc(std::string("Constat — ") + d);
    form += "&mark_formal_agreements=1&mark_evidence_formal_agreements=" + enc("Ententes signées.") +
            "&summary=" + enc("La coordination progresse.");
    auto c = as(ca_admin);
    const auto assessments = scalar("SELECT COUNT(*) FROM maturity_assessments");
    expect_all_or_nothing(c, "/network/maturity/new", "/network/maturity", form, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM maturity_assessments"), assessments + 1);
}

TEST_F(FaultsFeatures, NetworkRecordsACommunityPlan) {
    auto c = as(ca_admin);
    const auto plans = scalar("SELECT COUNT(*) FROM community_plans");
    expect_all_or_nothing(c, "/network/plans/new", "/network/plans",
                          "title_fr=" + enc("Plan d’essai — panne") + "&title_en=" + enc("Test plan — fault") +
                              "&kind=community_safety_wellbeing&owner_organisation=" + org(town) +
                              "&owner_name=&description=" + enc("Une approche intégrée de la sécurité communautaire.") +
                              "&scope=" + enc("Toute la municipalité.") + "&cycle=every_10_years&fixed_review_on=&areas=" +
                              area() + "&organisations=" + org(town) + "&organisations=" + org(agency),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM community_plans"), plans + 1);
}

TEST_F(FaultsFeatures, NetworkRecordsATrainingCompletion) {
    const auto training = id_of("SELECT MIN(id) FROM trainings WHERE retired = 0");
    const std::string page = "/network/trainings/" + training;
    auto c = as(ca_admin);
    const auto completions = scalar("SELECT COUNT(*) FROM training_completions");
    expect_all_or_nothing(c, page + "/completions/new", page + "/completions",
                          "user=" + user(coord1) + "&completed_on=" + day(-1) + "&note=" + enc("Certificat au dossier."), 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM training_completions"), completions + 1);
}

TEST_F(FaultsFeatures, NetworkLogsOutreach) {
    auto c = as(ca_admin);
    const auto activities = scalar("SELECT COUNT(*) FROM outreach_activities");
    expect_all_or_nothing(c, "/network/outreach/new", "/network/outreach",
                          "kind=family_session&title=" + enc("Information evening — fault") + "&language=en&held_on=" + day(-3) +
                              "&people_reached=18&summary=" + enc("What coordinated service planning offers.") +
                              "&follow_up=" + enc("Send the leaflet.") + "&audiences=families&organisations=" + org(agency) +
                              "&organisations=" + org(town),
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM outreach_activities"), activities + 1);
}

TEST_F(FaultsFeatures, NetworkAddsATool) {
    auto c = as(ca_admin);
    const auto tools = scalar("SELECT COUNT(*) FROM tools");
    expect_all_or_nothing(c, "/network/tools/new", "/network/tools",
                          "title_fr=" + enc("Formulaire d’essai — panne") + "&title_en=" + enc("Test form — fault") +
                              "&description_fr=" + enc("Le formulaire commun.") + "&description_en=" + enc("The shared form.") +
                              "&kind=form&version_label=2026-1&mandatory=1",
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tools"), tools + 1);
}

// --------------------------------------------------------------------------------- reporting

TEST_F(FaultsFeatures, ReportingGeneratesAQuarter) {
    // A quarter before the demo's two (the last ended ones): its counts computed and kept.
    const auto year = std::to_string(date_of(clock_.now()).year - 2);
    auto c = as(ca_admin);
    const auto reports = scalar("SELECT COUNT(*) FROM quarterly_reports");
    expect_all_or_nothing(c, "/reports", "/reports", "year=" + year + "&quarter=4", 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM quarterly_reports"), reports + 1);
}

// --------------------------------------------------------------------------------- directory

TEST_F(FaultsFeatures, DirectoryUpdatesAWaitlist) {
    const auto respite = id_of("SELECT id FROM services WHERE name_en = 'Blue River Family Respite'");
    const std::string page = "/directory/manage/services/" + respite + "/waitlist";
    auto c = as(manager1);
    expect_all_or_nothing(c, page, page, "waitlist_status=waitlist&wait_weeks=12", 303);
    EXPECT_EQ(scalar("SELECT wait_weeks FROM services WHERE id = ?", {std::stoll(respite)}), 12);
}

// ----------------------------------------------------------------------------- notifications

TEST_F(FaultsFeatures, NotificationsAreMarkedRead) {
    const auto me = std::stoll(user(intake));
    ASSERT_GT(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {me}), 0);
    auto c = as(intake);
    expect_all_or_nothing(c, "/notifications", "/notifications/read", "", 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL", {me}), 0);
}

// ------------------------------------------------------------------------------------- admin

TEST_F(FaultsFeatures, AdminCreatesAUser) {
    // Invited by email: the user, their membership and the invitation's email, or none of them.
    auto c = as(ca_admin);
    expect_all_or_nothing(c, "/admin/users/new", "/admin/users/new",
                          "display_name=" + enc("Nouvelle Panne") + "&email=" + enc("nouvelle.panne@example.invalid") +
                              "&preferred_lang=fr&organisation_id=" + org(agency) + "&role=coordinator",
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE email = 'nouvelle.panne@example.invalid'"), 1);
}

TEST_F(FaultsFeatures, AdminCreatesAnOrganisation) {
    auto c = as(sysadmin);
    const auto organisations = scalar("SELECT COUNT(*) FROM organisations");
    expect_all_or_nothing(c, "/admin/organisations/new", "/admin/organisations/new",
                          "sda_id=" + area() + "&name_fr=" + enc("Clinique Panne") +
                              "&name_en=Fault+Clinic&sector=health&csp_roles=csp_participant&phone=613-555-0199",
                          303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM organisations"), organisations + 1);
}
