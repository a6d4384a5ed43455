// The coordinated service plan through the real HTTP server, on the backend under test (SQLite:
// label db, PostgreSQL: label pg), with the demo data: the assigned coordinator of Noah
// Demo-Singh's file (coord1, on the family's consent) starts the plan from the story told at
// intake, adds the family's goals, records progress and makes it active; one plan per child;
// stale forms and bad input change nothing, in the user's language; others see only what the
// family's consent allows, every look on record.
#include <gtest/gtest.h>

#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {
const char* const coordinator = "coord1@demo.arrimage.invalid";
}  // namespace

class PlanWeb : public testsupport::DemoServerTest {
  protected:
    Client staff(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::int64_t noah() { return scalar("SELECT id FROM people WHERE family_name = 'Demo-Singh'"); }
    std::string path() { return "/children/" + std::to_string(noah()) + "/plan"; }
    std::string version() { return std::to_string(scalar("SELECT version FROM plans WHERE person_id = ?", {noah()})); }
    std::int64_t plans() { return scalar("SELECT COUNT(*) FROM plans WHERE person_id = ?", {noah()}); }
    std::string goal_version(std::int64_t goal) {
        return std::to_string(scalar("SELECT version FROM plan_goals WHERE id = ?", {goal}));
    }
    // The fingerprint a page's sections form holds for `section` (what it showed).
    static std::string seen(const std::string& page, const std::string& section) {
        const std::string marker = "name=\"seen_" + section + "\" value=\"";
        const auto at = page.find(marker);
        if (at == std::string::npos) return {};
        const auto from = at + marker.size();
        return page.substr(from, page.find('"', from) - from);
    }
};

// Léa Démo-Tremblay's file: coord1 keeps it; the treatment centre's staff member is on her team,
// and her family keeps her school information from the treatment centre.
class PlanTeamWeb : public PlanWeb {
  protected:
    std::int64_t lea() { return scalar("SELECT id FROM people WHERE family_name = 'Démo-Tremblay'"); }
    std::string lea_path() { return "/children/" + std::to_string(lea()) + "/plan"; }
    std::string plan_version() { return std::to_string(scalar("SELECT version FROM plans WHERE person_id = ?", {lea()})); }
    std::int64_t ctc_staff() { return scalar("SELECT id FROM users WHERE email = 'staff.ctc@demo.arrimage.invalid'"); }
    std::int64_t agreements() {
        return scalar("SELECT COUNT(*) FROM plan_agreements a JOIN plans p ON p.id = a.plan_id WHERE p.person_id = ?", {lea()});
    }
    std::int64_t ctc() { return scalar("SELECT id FROM organisations WHERE name_en = 'Demo Children''s Treatment Centre'"); }
};

TEST_F(PlanWeb, TheCoordinatorStartsThePlanFromTheIntakeAndSetsGoals) {
    auto c = staff(coordinator);
    auto file = c.get("/children/" + std::to_string(noah()));
    ASSERT_EQ(file.status, 200);
    EXPECT_TRUE(file.has("href=\"" + path() + "\""));
    auto page = c.get(path());
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Start the plan"));
    EXPECT_FALSE(page.has("Demo-Singh")) << "the plan's page does not name the child";

    const auto done_items = [&] {
        const std::string body = c.get("/caseload").body;
        int n = 0;
        for (auto at = body.find("Done on"); at != std::string::npos; at = body.find("Done on", at + 1)) ++n;
        return n;
    };
    const int done_before = done_items();
    auto r = c.submit(path(), path(), "");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(done_items(), done_before + 1) << "the caseload's first plan is done once the plan is started";
    page = c.get(path());
    EXPECT_TRUE(page.has("Knows everything about trains")) << "the story told once starts the plan";
    EXPECT_TRUE(page.has("Draft"));
    EXPECT_EQ(plans(), 1);
    // One plan per child.
    r = c.post(path(), "_csrf=" + Client::csrf(page.body));
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("there is one plan per child"));
    EXPECT_EQ(plans(), 1);

    // Activating a plan without a goal is refused by the table's guard.
    r = c.submit(path(), path() + "/status", "version=" + version() + "&event=activate");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("at least one goal"));

    r = c.submit(path(), path() + "/goals",
                 "version=" + version() + "&text=" + enc("Aller à l'école trois matins par semaine.") + "&expressed_by=child");
    ASSERT_EQ(r.status, 303);
    r = c.submit(path(), path() + "/goals",
                 "version=" + version() + "&text=" + enc("A plan for high school.") +
                     "&expressed_by=family&reason=" + enc("Said at the first meeting."));
    ASSERT_EQ(r.status, 303);
    const auto second = scalar("SELECT id FROM plan_goals WHERE text = 'A plan for high school.'");
    EXPECT_EQ(scalar("SELECT priority FROM plan_goals WHERE id = ?", {second}), 2);
    // The second goal first, and in progress.
    r = c.submit(path(), path() + "/goals/" + std::to_string(second),
                 "version=" + goal_version(second) + "&progress=in_progress&priority=1");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT priority FROM plan_goals WHERE id = ?", {second}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals WHERE text LIKE 'Aller%' AND priority = 2"), 1);
    r = c.submit(path(), path() + "/status", "version=" + version() + "&event=activate");
    ASSERT_EQ(r.status, 303);
    page = c.get(path());
    EXPECT_TRUE(page.has("Active"));
    EXPECT_TRUE(page.has("trois matins par semaine.")) << page.body.substr(page.body.find("<main"), 3000);
    // Every saved change is a version: started, two goals, a progress, a status.
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.person_id = ?", {noah()}), 5);
    EXPECT_EQ(scalar("SELECT version FROM plans WHERE person_id = ?", {noah()}), 5);
    // Two tabs on the sections: the first saves "about"; the second, shown before, changes it too:
    // a conflict on that section, shown with the text saved meanwhile, nothing written.
    const auto shown = c.get(path()).body;
    const auto story = "about=" + enc(scalar_text("SELECT about FROM plans WHERE person_id = ?", {noah()}));
    r = c.submit(path(), path() + "/sections", "about=" + enc("Noah loves trains.") + "&seen_about=" + seen(shown, "about"));
    ASSERT_EQ(r.status, 303);
    r = c.submit(path(), path() + "/sections", "about=" + enc("Écrasé ?") + "&seen_about=" + seen(shown, "about"));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Someone saved this part after you opened it.")) << r.body.substr(r.body.find("<main"), 2000);
    EXPECT_TRUE(r.has("Noah loves trains."));
    EXPECT_TRUE(r.has("Écrasé ?")) << "what the user typed is kept in the form, to merge";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND about = 'Noah loves trains.'", {noah()}), 1);
    // The second tab changes another section and leaves "about" as it showed it: saved, and the
    // first tab's "about" stays.
    r = c.submit(path(), path() + "/sections",
                 story + "&seen_about=" + seen(shown, "about") + "&hopes=" + enc("Trains, always.") +
                     "&seen_hopes=" + seen(shown, "hopes"));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(
        scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND about = 'Noah loves trains.' AND hopes = 'Trains, always.'",
               {noah()}),
        1);
    // Past the last place is the last place; the goals in between move up, with no gap.
    r = c.submit(path(), path() + "/goals/" + std::to_string(second),
                 "version=" + goal_version(second) + "&progress=achieved&priority=99");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT priority FROM plan_goals WHERE id = ?", {second}), 2);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals WHERE text LIKE 'Aller%' AND priority = 1"), 1);
    // The coordinator's reads and writes are on record, on the file.
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND category = 'plan' AND action = 'read' AND "
                     "decision = 'permit'",
                     {noah()}),
              1);
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND category = 'plan' AND action = 'create' AND "
                     "decision = 'permit'",
                     {noah()}),
              3);
}

TEST_F(PlanWeb, BadInputGetsFieldErrorsInTheUsersLanguageAndChangesNothing) {
    auto c = staff(coordinator, "fr");
    ASSERT_EQ(c.submit(path(), path(), "").status, 303);
    const auto before = version();
    auto r = c.submit(path(), path() + "/goals", "version=" + before + "&text=&expressed_by=voisin");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("lang=\"fr\""));
    EXPECT_TRUE(r.has("id=\"goal-error-text\""));
    EXPECT_TRUE(r.has("id=\"goal-error-expressed_by\""));
    r = c.submit(path(), path() + "/sections", "version=" + before + "&about=" + std::string(4001, 'a'));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"sections-error-about\""));
    r = c.submit(path(), path() + "/status", "version=" + before + "&event=close");
    EXPECT_EQ(r.status, 422) << "closing needs a reason";
    r = c.submit(path(), path() + "/status", "version=" + before + "&event=exploser");
    EXPECT_EQ(r.status, 422);
    r = c.submit(path(), path() + "/goals/999999", "version=" + before + "&progress=achieved&priority=1");
    EXPECT_EQ(r.status, 404);
    // Markup is kept as text.
    r = c.submit(path(), path() + "/goals",
                 "version=" + before + "&text=" + enc("<script>alert(1)</script>") + "&expressed_by=family");
    ASSERT_EQ(r.status, 303);
    auto page = c.get(path());
    EXPECT_FALSE(page.has("<script>alert(1)</script>"));
    EXPECT_TRUE(page.has("&lt;script&gt;"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ?", {noah()}), 1);
    EXPECT_EQ(std::stoll(version()), std::stoll(before) + 1);
}

TEST_F(PlanWeb, OthersSeeOnlyWhatTheFamilysConsentAllows) {
    auto c = staff(coordinator);
    ASSERT_EQ(c.submit(path(), path(), "").status, 303);
    const auto denied = [&](const std::string& who) {
        return scalar(
            "SELECT COUNT(*) FROM audit_events a JOIN users u ON u.id = a.user_id WHERE u.email = ? AND a.person_id = ? "
            "AND a.category = 'plan' AND a.decision = 'deny'",
            {who, noah()});
    };
    // Another provider's coordinator has no relationship to the file: not found, on record.
    const std::string other = "coord3@demo.arrimage.invalid";
    auto before = denied(other);
    EXPECT_EQ(staff(other).get(path()).status, 404);
    EXPECT_EQ(denied(other), before + 1);
    // Nobody but the keeper starts or moves the plan.
    auto o = staff(other);
    EXPECT_EQ(o.submit("/", path() + "/status", "version=1&event=close&reason=x").status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND status = 'draft'", {noah()}), 1);
    // An unknown file is not found.
    EXPECT_EQ(c.get("/children/999999/plan").status, 404);
}

TEST_F(PlanTeamWeb, TheTeamWorksThePlanActionsServicesMeetingsAndTheFamilysAgreement) {
    auto c = staff(coordinator);
    const auto p = lea_path();
    ASSERT_EQ(c.submit(p, p, "").status, 303);
    auto shown = c.get(p).body;
    auto r = c.submit(p, p + "/sections",
                      "needs_school=" + enc("An aide in class, mornings.") + "&seen_needs_school=" + seen(shown, "needs_school") +
                          "&needs_health=" + enc("Speech therapy twice a month.") +
                          "&seen_needs_health=" + seen(shown, "needs_health") + "&safety=" + enc("Runs off when upset.") +
                          "&seen_safety=" + seen(shown, "safety"));
    ASSERT_EQ(r.status, 303);
    ASSERT_EQ(c.submit(p, p + "/goals", "text=" + enc("Parler avec ses amis à la récré.") + "&expressed_by=child").status, 303);
    const auto goal = scalar("SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ?", {lea()});

    // An action for the treatment centre's staff member, due after the plan started.
    const std::string owner = "u:" + std::to_string(ctc_staff()) + ":" + std::to_string(ctc());
    r = c.submit(p, p + "/actions",
                 "text=" + enc("Book the speech therapy block.") + "&goal=" + std::to_string(goal) + "&owner=" + enc(owner) +
                     "&due=2099-01-15");
    ASSERT_EQ(r.status, 303);
    const auto action = scalar("SELECT id FROM plan_actions WHERE text = 'Book the speech therapy block.'");
    // Bad input: an owner outside the team, a due date before the plan, no text; nothing saved.
    const auto actions = [&] {
        return scalar("SELECT COUNT(*) FROM plan_actions a JOIN plans p ON p.id = a.plan_id WHERE p.person_id = ?", {lea()});
    };
    const auto stranger = scalar("SELECT id FROM users WHERE email = 'coord3@demo.arrimage.invalid'");
    r = c.submit(p, p + "/actions",
                 "text=" + enc("x") + "&owner=" + enc("u:" + std::to_string(stranger) + ":" + std::to_string(ctc())));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("team or in the family."));
    r = c.submit(p, p + "/actions", "text=" + enc("x") + "&owner=" + enc(owner) + "&due=2001-01-01");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("the day the plan was started"));
    r = c.submit(p, p + "/actions", "text=&owner=nobody&due=2027-02-30");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"action-error-text\""));
    EXPECT_TRUE(r.has("id=\"action-error-owner\""));
    EXPECT_TRUE(r.has("id=\"action-error-due\""));
    EXPECT_EQ(actions(), 1);
    // An action of the family's.
    const auto marie = scalar("SELECT id FROM family_members WHERE person_id = ?", {lea()});
    ASSERT_EQ(
        c.submit(p, p + "/actions", "text=" + enc("Bring the school reports.") + "&owner=f:" + std::to_string(marie)).status,
        303);
    const auto family_action = scalar("SELECT id FROM plan_actions WHERE text = 'Bring the school reports.'");

    // The treatment centre's staff member sees the plan but not the school's needs, which the
    // family keeps from their organisation; sees the health needs; records progress on their action.
    auto ctc_client = staff("staff.ctc@demo.arrimage.invalid");
    auto page = ctc_client.get(p);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Book the speech therapy block."));
    EXPECT_TRUE(page.has("Speech therapy twice a month."));
    EXPECT_FALSE(page.has("An aide in class")) << "a provider's view is computed in the store";
    EXPECT_TRUE(page.has("is not shown to you"));
    EXPECT_GE(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND category = 'education' AND "
                     "decision <> 'permit'",
                     {ctc_staff(), lea()}),
              1);
    r = ctc_client.submit(p, p + "/actions/" + std::to_string(action),
                          "version=1&event=start&note=" + enc("First session booked for March."));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_actions WHERE id = ? AND status = 'in_progress' AND version = 2", {action}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_action_events WHERE action_id = ? AND event = 'start'", {action}), 1);
    // A note alone, then a stale form.
    ASSERT_EQ(ctc_client.submit(p, p + "/actions/" + std::to_string(action), "note=" + enc("Parents agreed to Tuesdays.")).status,
              303);
    r = ctc_client.submit(p, p + "/actions/" + std::to_string(action), "version=1&event=complete");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("Someone changed this action after you opened it."));
    r = ctc_client.submit(p, p + "/actions/" + std::to_string(action), "version=2");
    EXPECT_EQ(r.status, 422) << "neither a note nor a status";
    // Not theirs: refused, on record, nothing moved.
    r = ctc_client.submit(p, p + "/actions/" + std::to_string(family_action), "version=1&event=complete");
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_actions WHERE id = ? AND status = 'not_started'", {family_action}), 1);
    // The coordinator sees the progress.
    page = c.get(p);
    EXPECT_TRUE(page.has("First session booked for March."));
    EXPECT_TRUE(page.has("Parents agreed to Tuesdays."));

    // A service from Léa's referrals, with its status now; one that is not hers is refused.
    const auto waitlisted = scalar("SELECT id FROM referrals WHERE person_id = ? AND status = 'waitlisted'", {lea()});
    r = c.submit(p, p + "/services", "referral=" + std::to_string(waitlisted) + "&goal=" + std::to_string(goal));
    ASSERT_EQ(r.status, 303);
    page = c.get(p);
    EXPECT_TRUE(page.has("Waitlisted"));
    EXPECT_TRUE(page.has("expected to start around"));
    const auto not_hers = scalar("SELECT MIN(id) FROM referrals WHERE person_id IS NULL OR person_id <> ?", {lea()});
    r = c.submit(p, p + "/services", "referral=" + std::to_string(not_hers));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("referrals that is not in the plan yet."));
    r = c.submit(p, p + "/services", "referral=" + std::to_string(waitlisted));
    EXPECT_EQ(r.status, 422) << "already in the plan";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_services s JOIN plans p ON p.id = s.plan_id WHERE p.person_id = ?", {lea()}), 1);

    // A meeting, and the family's agreement to the plan as it is now.
    r = c.submit(p, p + "/meetings", "held_on=2099-01-01&attendees=" + enc("Marie, coord1"));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("once it has been held"));
    const auto today = scalar_text("SELECT substr(created_at, 1, 10) FROM plans WHERE person_id = ?", {lea()});
    r = c.submit(
        p, p + "/meetings",
        "held_on=" + today + "&attendees=" + enc("Marie, Coordination Un") + "&decisions=" + enc("Start with speech therapy."));
    ASSERT_EQ(r.status, 303) << today << r.body.substr(r.body.find("<main"), 3000);
    const auto meeting =
        scalar("SELECT m.id FROM plan_meetings m JOIN plans p ON p.id = m.plan_id WHERE p.person_id = ?", {lea()});
    const auto agreed = plan_version();
    r = c.submit(p, p + "/agreements",
                 "version=" + agreed + "&family_member=" + std::to_string(marie) + "&method=in_person&agreed_on=" + today +
                     "&meeting=" + std::to_string(meeting));
    ASSERT_EQ(r.status, 303);
    page = c.get(p);
    EXPECT_TRUE(page.has("The family agreed to this version of the plan (version " + agreed + ")."));
    // A later change is not agreed; an agreement to a version the plan has left is refused.
    ASSERT_EQ(c.submit(p, p + "/goals", "text=" + enc("Dormir toute la nuit.") + "&expressed_by=family").status, 303);
    page = c.get(p);
    EXPECT_TRUE(page.has("these changes are not agreed yet"));
    r = c.submit(p, p + "/agreements",
                 "version=" + agreed + "&family_member=" + std::to_string(marie) + "&method=phone&agreed_on=" + today);
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("The plan has changed since this form was shown"));
    EXPECT_EQ(agreements(), 1);
    // Made active, the plan's next review is due the area's interval later (90 days in the demo
    // area); a review records where every goal stands and moves it on.
    ASSERT_EQ(c.submit(p, p + "/status", "event=activate").status, 303);
    page = c.get(p);
    EXPECT_TRUE(page.has("Next review due on")) << page.body.substr(page.body.find("<main"), 1500);
    std::string review = "held_on=" + today + "&next_steps=" + enc("Start the block in March.");
    r = c.submit(p, p + "/reviews", review + "&goal=" + std::to_string(goal) + "&progress_" + std::to_string(goal) + "=achieved");
    EXPECT_EQ(r.status, 422) << "every goal of the plan has its progress";
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_reviews r JOIN plans p ON p.id = r.plan_id WHERE p.person_id = ?", {lea()}), 0);
    for (const auto& g :
         {goal, scalar("SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ? AND g.text LIKE "
                       "'Dormir%'",
                       {lea()})})
        review += "&goal=" + std::to_string(g) + "&progress_" + std::to_string(g) + "=achieved&note_" + std::to_string(g) + "=" +
                  enc("Done.");
    r = c.submit(p, p + "/reviews", review);
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ? AND g.progress "
                     "= 'achieved'",
                     {lea()}),
              2);
    page = c.get(p);
    EXPECT_TRUE(page.has("Start the block in March."));
    // Only the keeper records the family's agreement.
    r = ctc_client.submit(
        p, p + "/agreements",
        "version=" + plan_version() + "&family_member=" + std::to_string(marie) + "&method=phone&agreed_on=" + today);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(agreements(), 1);
}

// Noah Demo-Smith (born 2012-09-15, coord3's plan in the demo) is past 14: his plan flags the
// transitions ahead, with the days he turns 18 and 21.
TEST_F(PlanWeb, APlanFlagsTransitionPlanningFrom14) {
    auto c = staff("coord3@demo.arrimage.invalid");
    const auto smith = scalar("SELECT id FROM people WHERE family_name = 'Demo-Smith'");
    auto page = c.get("/children/" + std::to_string(smith) + "/plan");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Transition planning: the child is")) << page.body.substr(page.body.find("<main"), 1500);
    EXPECT_TRUE(page.has("2030-09-15"));
    EXPECT_TRUE(page.has("visit the high school with Noah"));
    // Léa (born 2015) is not yet 14: no flag.
    auto lea = staff(coordinator)
                   .get("/children/" +
                        std::to_string(scalar("SELECT id FROM people WHERE family_name = "
                                              "'Démo-Tremblay'")) +
                        "/plan");
    EXPECT_FALSE(lea.has("Transition planning"));
}
