// Intake and eligibility (features/intake/domain/intake.hpp): the area's rules applied around
// the 18th and 21st birthdays, the story's and the rules' validation, and the intake's
// lifecycle row by row.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "features/intake/domain/intake.hpp"

namespace d = arrimage::domain;
using arrimage::Date;

namespace {

Date date(int y, unsigned m, unsigned dd) {
    return Date{y, m, dd};
}

d::Story story_with(std::optional<bool> in_school, std::vector<d::Sector> sectors) {
    d::Story s;
    s.story = "Our story.";
    s.in_school = in_school;
    s.sectors = std::move(sectors);
    return s;
}

const std::vector<d::Sector> two = {d::Sector::education, d::Sector::health};

std::optional<bool> age_rule(const d::AreaRules& rules, const Date& dob, const d::Story& s, const Date& today,
                             std::string* key = nullptr) {
    const auto a = d::assess(rules, dob, s, today);
    if (key) *key = a.rules.at(0).key;
    return a.rules.at(0).met;
}

}  // namespace

// The day before, on and after the 18th birthday, in school or not.
TEST(Intake, TheEighteenthBirthday) {
    const d::AreaRules rules;
    const Date dob = date(2008, 6, 15);
    std::string key;
    EXPECT_EQ(age_rule(rules, dob, story_with(false, two), date(2026, 6, 14), &key), true);
    EXPECT_EQ(key, "intake.rule.age_under");
    EXPECT_EQ(age_rule(rules, dob, story_with(false, two), date(2026, 6, 15), &key), false);
    EXPECT_EQ(key, "intake.rule.age_school");
    EXPECT_EQ(age_rule(rules, dob, story_with(true, two), date(2026, 6, 15)), true);
    // Not asked yet: unknown, and so not eligible.
    EXPECT_EQ(age_rule(rules, dob, story_with(std::nullopt, two), date(2026, 6, 16)), std::nullopt);
    EXPECT_FALSE(d::assess(rules, dob, story_with(std::nullopt, two), date(2026, 6, 16)).all_met());
}

TEST(Intake, TheTwentyFirstBirthday) {
    const d::AreaRules rules;
    const Date dob = date(2005, 12, 3);
    std::string key;
    EXPECT_EQ(age_rule(rules, dob, story_with(true, two), date(2026, 12, 2), &key), true);
    EXPECT_EQ(key, "intake.rule.age_school");
    EXPECT_EQ(age_rule(rules, dob, story_with(true, two), date(2026, 12, 3), &key), false);
    EXPECT_EQ(key, "intake.rule.age_over");
    EXPECT_TRUE(d::assess(rules, dob, story_with(true, two), date(2026, 12, 2)).all_met());
    EXPECT_FALSE(d::assess(rules, dob, story_with(true, two), date(2026, 12, 3)).all_met());
}

// Born on 29 February: a year older on 1 March in a year without one.
TEST(Intake, ALeapDayBirthday) {
    const d::AreaRules rules;
    const Date dob = date(2008, 2, 29);
    EXPECT_EQ(age_rule(rules, dob, story_with(false, two), date(2026, 2, 28)), true);
    EXPECT_EQ(age_rule(rules, dob, story_with(false, two), date(2026, 3, 1)), false);
}

// The area's rules are configuration: other ages, another number of sectors, its own questions.
TEST(Intake, TheAreasOwnRules) {
    d::AreaRules rules;
    rules.max_age = 16;
    rules.school_max_age = 16;
    rules.min_sectors = 3;
    rules.criteria = {{7, "Réside dans la région", "Lives in the area"}};
    const Date today = date(2026, 12, 2);
    auto s = story_with(true, two);
    auto a = d::assess(rules, date(2010, 1, 1), s, today);  // 16
    ASSERT_EQ(a.rules.size(), 3u);
    EXPECT_EQ(a.rules[0].met, false);
    EXPECT_EQ(a.rules[0].key, "intake.rule.age_over");
    EXPECT_EQ(a.rules[1].met, false);
    EXPECT_EQ(a.rules[1].args, (std::vector<std::string>{"2", "3"}));
    EXPECT_EQ(a.rules[2].met, std::nullopt);
    EXPECT_EQ(a.rules[2].text_en, "Lives in the area");
    s.sectors.push_back(d::Sector::social_services);
    s.answers[7] = true;
    a = d::assess(rules, date(2011, 1, 1), s, today);  // 15
    EXPECT_TRUE(a.all_met());
    s.answers[7] = false;
    EXPECT_FALSE(d::assess(rules, date(2011, 1, 1), s, today).all_met());
}

TEST(Intake, TheStoryIsValidated) {
    const std::vector<d::AreaCriterion> criteria = {{7, "fr", "en"}};
    d::StoryForm in;
    in.story = "  Il aime le hockey.\r\nIl a du mal à l'école.  ";
    in.in_school = "yes";
    in.sectors = {"health", "education", "health"};
    in.answers["7"] = "yes";
    d::Story s;
    EXPECT_TRUE(d::validate(in, criteria, s).empty());
    EXPECT_EQ(s.story, "Il aime le hockey.\nIl a du mal à l'école.");
    EXPECT_EQ(s.in_school, true);
    EXPECT_EQ(s.sectors, (std::vector<d::Sector>{d::Sector::education, d::Sector::health}));
    EXPECT_EQ(s.answers.at(7), true);

    d::StoryForm bad;
    bad.story = "";
    bad.strengths = std::string(d::max_story_length + 1, 'a');
    bad.in_school = "maybe";
    bad.sectors = {"astrology"};
    bad.answers["8"] = "yes";
    bad.answers["x"] = "yes";
    const auto errors = d::validate(bad, criteria, s);
    std::vector<std::string> fields;
    for (const auto& e : errors) fields.push_back(e.field + ":" + e.message_key);
    EXPECT_EQ(fields, (std::vector<std::string>{"story:field.required", "strengths:field.too_long", "in_school:field.choose_one",
                                                "sectors:field.choose_from_list", "criterion_8:intake.error.unknown_criterion",
                                                "criterion_x:intake.error.unknown_criterion"}));
    d::StoryForm markup;
    markup.story = "ok\x01";
    EXPECT_EQ(d::validate(markup, criteria, s).at(0).message_key, "field.invalid_text");
}

TEST(Intake, TheRulesFormIsValidated) {
    d::AreaRules r;
    d::AreaRulesForm in{"18", "21", "2", "5", "15", "30", "90", "25", "5", "10"};
    EXPECT_TRUE(d::validate(in, r).empty());
    in.max_age = "19";
    in.school_max_age = "18";
    in.min_sectors = "0";
    in.caseload_limit = "25 files";
    in.first_plan_days = "";
    in.retention_years = "51";
    d::AreaRules out;
    out.max_age = 18;
    const auto errors = d::validate(in, out);
    std::vector<std::string> fields;
    for (const auto& e : errors) fields.push_back(e.field + ":" + e.message_key);
    EXPECT_EQ(fields, (std::vector<std::string>{"school_max_age:intake.rules.error.school_age_below",
                                                "min_sectors:field.number_between", "first_plan_days:field.required",
                                                "caseload_limit:field.number_between", "retention_years:field.number_between"}));
    EXPECT_EQ(out.max_age, 18) << "nothing is set when the form is refused";
    d::AreaCriterion c;
    EXPECT_EQ(d::validate_criterion("", std::string(301, 'a'), c).size(), 2u);
    EXPECT_TRUE(d::validate_criterion("Réside dans la région", "Lives in the area", c).empty());
}

TEST(Intake, ADecisionNeedsAReason) {
    d::IntakeDecision out;
    EXPECT_EQ(d::validate(d::IntakeDecisionForm{"eligible", ""}, out).at(0).field, "reason");
    EXPECT_EQ(d::validate(d::IntakeDecisionForm{"perhaps", "Because."}, out).at(0).field, "decision");
    EXPECT_TRUE(d::validate(d::IntakeDecisionForm{"ineligible", "Over 21 and not in school."}, out).empty());
    EXPECT_FALSE(out.eligible);
}

// Every (status, event, relationship, facts) of the file's lifecycle, from intake to closure and
// re-opening, allowed or refused on purpose: the expected table is written out here,
// independently of the one in the domain.
TEST(Intake, EveryStatusEventRelationshipAndGuardOfTheLifecycle) {
    using S = d::IntakeStatus;
    using E = d::IntakeEvent;
    using R = d::Relationship;
    enum class Guard { none, rules, file };
    struct Allowed {
        S from;
        E event;
        S to;
        Guard guard;
        bool coordinator_too;  // the assigned coordinator may fire it as well as the agency
    };
    const std::vector<Allowed> allowed = {
        {S::in_intake, E::decide_eligible, S::eligible, Guard::rules, false},
        {S::in_intake, E::decide_ineligible, S::ineligible, Guard::none, false},
        {S::ineligible, E::reopen, S::in_intake, Guard::none, false},
        {S::eligible, E::waitlist, S::waitlisted, Guard::none, false},
        {S::eligible, E::assign, S::assigned, Guard::file, false},
        {S::waitlisted, E::assign, S::assigned, Guard::file, false},
        {S::assigned, E::reassign, S::assigned, Guard::none, false},
        {S::eligible, E::close, S::closed, Guard::none, true},
        {S::waitlisted, E::close, S::closed, Guard::none, true},
        {S::assigned, E::close, S::closed, Guard::none, true},
        {S::closed, E::reopen, S::in_intake, Guard::none, false},
    };
    const auto& table = d::intake_lifecycle();
    int checked = 0;
    for (auto from : d::all_intake_statuses())
        for (auto event : d::all_intake_events())
            for (int ri = 0; ri < d::relationship_count; ++ri)
                for (int facts = 0; facts < 8; ++facts) {
                    const auto who = static_cast<R>(ri);
                    const d::IntakeFacts f{(facts & 1) != 0, (facts & 2) != 0, (facts & 4) != 0};
                    SCOPED_TRACE(std::string(d::code(from)) + " " + std::string(d::code(event)) + " " +
                                 std::string(d::code(who)) + " facts " + std::to_string(facts));
                    const Allowed* row = nullptr;
                    for (const auto& a : allowed)
                        if (a.from == from && a.event == event) row = &a;
                    const auto fired = table.fire(from, event, who, f);
                    const bool may =
                        row && (who == R::coordinating_agency || (row->coordinator_too && who == R::assigned_coordinator));
                    if (!row) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
                    } else if (!may) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().code, arrimage::Errc::Forbidden);
                    } else if (row->guard == Guard::rules && !(f.story_recorded && f.rules_met)) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "intake.refused.rules_not_met");
                    } else if (row->guard == Guard::file && !f.file_registered) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "intake.refused.no_file");
                    } else {
                        ASSERT_TRUE(fired);
                        EXPECT_EQ((*fired)->to, row->to);
                    }
                    ++checked;
                }
    EXPECT_EQ(checked, 6 * 7 * d::relationship_count * 8);
    EXPECT_EQ(table.rows().size(), allowed.size());
    for (auto s : d::all_intake_statuses()) EXPECT_EQ(d::parse_intake_status(d::code(s)), s);
    for (auto e : d::all_intake_events()) EXPECT_EQ(d::parse_intake_event(d::code(e)), e);
    for (auto r : d::all_close_reasons()) EXPECT_EQ(d::parse_close_reason(d::code(r)), r);
}

TEST(Intake, AnAssignmentNamesACoordinatorAndAReassignmentItsReason) {
    d::Assignment a;
    EXPECT_EQ(d::validate(d::AssignmentForm{"", "", ""}, false, a).at(0).field, "coordinator");
    EXPECT_EQ(d::validate(d::AssignmentForm{"12", "", ""}, false, a).at(0).message_key, "field.choose_from_list");
    EXPECT_EQ(d::validate(d::AssignmentForm{"x:3", "", ""}, false, a).at(0).message_key, "field.choose_from_list");
    EXPECT_TRUE(d::validate(d::AssignmentForm{"12:3", "", ""}, false, a).empty());
    EXPECT_EQ(a.user_id, 12);
    EXPECT_EQ(a.organisation_id, 3);
    const auto e = d::validate(d::AssignmentForm{"12:3", "", ""}, true, a);
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].field, "reason");
    EXPECT_EQ(d::validate(d::AssignmentForm{"12:3", "Needs change.", std::string(1001, 'a')}, true, a).at(0).field,
              "over_limit_reason");
    EXPECT_EQ(d::validate(d::AssignmentForm{"12:3", "<b>x</b>\x07", ""}, true, a).at(0).message_key, "field.invalid_text");
}

TEST(Intake, AClosureHasAReasonAndOtherNeedsANote) {
    d::Closure c;
    EXPECT_EQ(d::validate(d::ClosureForm{"", ""}, c).at(0).message_key, "field.required");
    EXPECT_EQ(d::validate(d::ClosureForm{"finished", ""}, c).at(0).message_key, "field.choose_from_list");
    EXPECT_EQ(d::validate(d::ClosureForm{"other", ""}, c).at(0).field, "note");
    EXPECT_TRUE(d::validate(d::ClosureForm{"goals_met", ""}, c).empty());
    EXPECT_EQ(c.reason, d::CloseReason::goals_met);
    EXPECT_TRUE(d::validate(d::ClosureForm{"other", "Family asked to pause."}, c).empty());
    EXPECT_EQ(c.note, "Family asked to pause.");
}

// The targets a file is measured against, from the area's day counts, around their due dates.
TEST(Intake, WhatIsDueFollowsTheAreasDayCounts) {
    d::AreaRules rules;  // intake decision 15, first contact 5, first plan 30
    d::FileDates dates;
    dates.opened = {2026, 3, 1};
    auto items = d::due_items(rules, dates, {2026, 3, 10});
    ASSERT_EQ(items.size(), 1u) << "before assignment only the intake decision is due";
    EXPECT_EQ(items[0].key, "intake_decision");
    EXPECT_EQ(items[0].due.iso(), "2026-03-16");
    EXPECT_EQ(items[0].state, d::DueState::upcoming);
    EXPECT_EQ(d::due_items(rules, dates, {2026, 3, 13})[0].state, d::DueState::due_soon);
    EXPECT_EQ(d::due_items(rules, dates, {2026, 3, 16})[0].state, d::DueState::due_soon) << "due today is not late";
    EXPECT_EQ(d::due_items(rules, dates, {2026, 3, 17})[0].state, d::DueState::overdue);
    dates.decided = Date{2026, 3, 20};
    dates.assigned = Date{2026, 3, 28};
    items = d::due_items(rules, dates, {2026, 4, 3});
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].state, d::DueState::done) << "decided late is still done";
    EXPECT_EQ(items[1].key, "first_contact");
    EXPECT_EQ(items[1].due.iso(), "2026-04-02");
    EXPECT_EQ(items[1].state, d::DueState::overdue);
    EXPECT_EQ(items[2].key, "first_plan");
    EXPECT_EQ(items[2].due.iso(), "2026-04-27");
    EXPECT_EQ(items[2].state, d::DueState::upcoming);
    dates.first_contact = Date{2026, 4, 1};
    EXPECT_EQ(d::due_items(rules, dates, {2026, 4, 3})[1].state, d::DueState::done);
    rules.first_contact_days = 1;
    EXPECT_EQ(d::due_items(rules, dates, {2026, 4, 3})[1].due.iso(), "2026-03-29");
    // Once the plan is active, its next review: the area's interval from activation or the
    // latest review, never done (each review moves it on).
    dates.first_plan = Date{2026, 4, 10};
    dates.review_from = Date{2026, 4, 20};
    items = d::due_items(rules, dates, {2026, 7, 20});
    ASSERT_EQ(items.size(), 4u);
    EXPECT_EQ(items[3].key, "next_review");
    EXPECT_EQ(items[3].due.iso(), "2026-07-19");
    EXPECT_EQ(items[3].state, d::DueState::overdue);
    dates.review_from = Date{2026, 7, 19};
    EXPECT_EQ(d::due_items(rules, dates, {2026, 7, 20})[3].state, d::DueState::upcoming);
}

TEST(Intake, TheDocsShowTheLifecycleTable) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/INTAKE.md");
    ASSERT_TRUE(in) << "docs/INTAKE.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::intake_lifecycle().markdown()), std::string::npos) << "docs/INTAKE.md should hold this table:\n"
                                                                             << d::intake_lifecycle().markdown();
}
