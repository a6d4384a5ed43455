// The plan repository against SQLite (label db) and PostgreSQL (label pg), on the demo data
// (Léa Démo-Tremblay's file: coord1 its assigned coordinator, the treatment centre's staff on
// its team, the family's consent naming both, not the agency): one plan per child, also when two
// requests start it at once; the team writes on consent but only the keeper moves the status;
// the agency and strangers are refused, on record; a lockbox on the plan withholds it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

#include "app/demo_data.hpp"
#include "db/test_support.hpp"
#include "features/plan/store/plan_repo.hpp"
#include "store/person_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class PlanStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum(), false));
        lea_ = scalar("SELECT id FROM people WHERE given_name = 'Léa'");
        keeper_ = actor("coord1@demo.arrimage.invalid");
        team_ = actor("staff.ctc@demo.arrimage.invalid");
        agency_ = actor("ca.admin@demo.arrimage.invalid");
        stranger_ = actor("coord3@demo.arrimage.invalid");
    }
    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    d::Actor actor(const std::string& email) { return testsupport::actor_of(*t_->db, email); }
    template <typename Repo, typename F>
    auto as(const d::Actor& who, F f) {
        return testsupport::run_as<Repo>(*t_->db, clock_, who, std::move(f));
    }
    std::int64_t denials(const d::Actor& who) {
        return scalar(
            "SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND category = 'plan' AND "
            "decision = 'deny'",
            {who.user_id, lea_});
    }
    int version() { return static_cast<int>(scalar("SELECT version FROM plans WHERE person_id = ?", {lea_})); }

    ManualClock clock_{std::chrono::system_clock::now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t lea_ = 0;
    d::Actor keeper_, team_, agency_, stranger_;
};

TEST_F(PlanStore, OnePlanPerChildEvenWhenTwoRequestsStartItAtOnce) {
    std::atomic<int> started{0}, refused{0};
    std::vector<std::thread> requests;
    for (int i = 0; i < 4; ++i)
        requests.emplace_back([&] {
            try {
                auto made = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); });
                if (made)
                    ++started;
                else if (made.error().message_key == "plan.error.exists")
                    ++refused;
            } catch (const DbError&) {
                ++refused;  // a serialization failure or a busy database: nothing written
            }
        });
    for (auto& t : requests) t.join();
    EXPECT_EQ(started.load(), 1);
    EXPECT_EQ(refused.load(), 3);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ?", {lea_}), 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.person_id = ?", {lea_}), 1);
    auto again = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().message_key, "plan.error.exists");
}

TEST_F(PlanStore, TheTeamWritesOnConsentButOnlyTheKeeperMovesTheStatus) {
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); }));
    // The treatment centre's staff, on the team and named by the consent, add their goal.
    auto goal = as<PlanRepo>(team_, [&](PlanRepo& r) {
        return r.add_goal(lea_, {"Léa écrit son prénom seule d'ici juin.", d::ExpressedBy::provider, ""});
    });
    ASSERT_TRUE(goal) << goal.error().message_key;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals WHERE id = ? AND expressed_by = 'provider'", {*goal}), 1);
    // Starting or moving the plan is the keeper's: refused, on record, nothing moved.
    auto before = denials(team_);
    auto moved = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.transition(lea_, {d::PlanEvent::activate, ""}); });
    ASSERT_FALSE(moved);
    EXPECT_EQ(moved.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(team_), before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND status = 'draft'", {lea_}), 1);
    // The keeper moves it, through the table.
    auto active = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.transition(lea_, {d::PlanEvent::activate, ""}); });
    ASSERT_TRUE(active);
    EXPECT_EQ(*active, d::PlanStatus::active);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_events e JOIN plans p ON p.id = e.plan_id WHERE p.person_id = ? AND "
                     "e.event = 'activate' AND e.status = 'active'",
                     {lea_}),
              1);
    // Sections saved on their own: one changed by someone else since the form was shown is a
    // conflict on it (with their text), nothing written; one left as shown is not written over.
    const auto empty = d::fingerprint("");
    d::PlanSections seen;
    for (auto s : d::all_sections()) d::text_of(seen, s) = empty;
    d::PlanSections mine;
    mine.about = "Léa aime les chevaux.";
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.save_sections(lea_, mine, seen, ""); }));
    mine.about = "Écrasé ?";
    auto stale = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.save_sections(lea_, mine, seen, ""); });
    ASSERT_FALSE(stale);
    ASSERT_EQ(stale.error().fields.size(), 1u);
    EXPECT_EQ(stale.error().fields[0].field, "about");
    EXPECT_EQ(stale.error().fields[0].message_key, "plan.error.section_changed");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND about = 'Léa aime les chevaux.'", {lea_}), 1);
    mine.about.clear();  // as the stale form showed it: left alone
    mine.hopes = "Monter à cheval.";
    ASSERT_TRUE(as<PlanRepo>(team_, [&](PlanRepo& r) { return r.save_sections(lea_, mine, seen, ""); }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND about = 'Léa aime les chevaux.' AND hopes = "
                     "'Monter à cheval.'",
                     {lea_}),
              1);
    // The family keeps Léa's school information from the treatment centre: its staff never read
    // nor write that section, and the refusal is on record.
    auto seen_by_team = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(seen_by_team);
    EXPECT_NE(std::find(seen_by_team->withheld_sections.begin(), seen_by_team->withheld_sections.end(), d::Section::needs_school),
              seen_by_team->withheld_sections.end());
    mine = {};
    mine.needs_school = "Écrit par le centre.";
    ASSERT_TRUE(as<PlanRepo>(team_, [&](PlanRepo& r) { return r.save_sections(lea_, mine, seen, ""); }));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plans WHERE person_id = ? AND needs_school = ''", {lea_}), 1);
}

TEST_F(PlanStore, TheAgencyAndStrangersAreRefusedOnRecordAndALockboxWithholdsThePlan) {
    ASSERT_TRUE(as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.create(lea_); }));
    // The family's consent does not name the agency: refused, on record.
    auto before = denials(agency_);
    auto read = as<PlanRepo>(agency_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, Errc::Forbidden);
    EXPECT_EQ(denials(agency_), before + 1);
    // A coordinator of another organisation has no relationship: not found, on record.
    before = denials(stranger_);
    read = as<PlanRepo>(stranger_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, Errc::NotFound);
    EXPECT_EQ(denials(stranger_), before + 1);
    // The family keeps the plan from the treatment centre: its staff see it is withheld, not what.
    auto seen = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(seen);
    EXPECT_FALSE(seen->withheld);
    d::LockboxEntry entry;
    entry.organisation_id = team_.organisation_id;
    entry.category = d::Category::plan;
    entry.created_at = clock_.now();
    ASSERT_TRUE(as<PersonRepo>(keeper_, [&](PersonRepo& r) { return r.add_lockbox(lea_, entry); }));
    clock_.advance(std::chrono::seconds(1));
    seen = as<PlanRepo>(team_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->withheld);
    EXPECT_FALSE(seen->id);
    EXPECT_TRUE(seen->goals.empty());
    auto written = as<PlanRepo>(team_, [&](PlanRepo& r) {
        return r.add_goal(lea_, {"Un objectif.", d::ExpressedBy::provider, ""});
    });
    EXPECT_FALSE(written);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ?", {lea_}), 0);
    // The keeper still reads it all.
    seen = as<PlanRepo>(keeper_, [&](PlanRepo& r) { return r.read(lea_); });
    ASSERT_TRUE(seen);
    EXPECT_TRUE(seen->id);
    EXPECT_EQ(seen->versions.size(), 1u);
}
