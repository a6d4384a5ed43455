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
                 "version=" + version() + "&progress=in_progress&priority=1");
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
    // A form shown before the last change is stale: refused, nothing changed.
    r = c.submit(path(), path() + "/sections", "version=3&about=" + enc("Écrasé ?"));
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("Someone changed this plan after you opened it."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND about LIKE 'Noah has not been%'", {noah()}), 1);
    // Past the last place is the last place; the goals in between move up, with no gap.
    r = c.submit(path(), path() + "/goals/" + std::to_string(second), "version=" + version() + "&progress=achieved&priority=99");
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
