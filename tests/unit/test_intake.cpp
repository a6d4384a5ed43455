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
    d::AreaRulesForm in{"18", "21", "2", "5", "15", "30", "90", "25", "5"};
    EXPECT_TRUE(d::validate(in, r).empty());
    in.max_age = "19";
    in.school_max_age = "18";
    in.min_sectors = "0";
    in.caseload_limit = "25 files";
    in.first_plan_days = "";
    d::AreaRules out;
    out.max_age = 18;
    const auto errors = d::validate(in, out);
    std::vector<std::string> fields;
    for (const auto& e : errors) fields.push_back(e.field + ":" + e.message_key);
    EXPECT_EQ(fields,
              (std::vector<std::string>{"school_max_age:intake.rules.error.school_age_below", "min_sectors:field.number_between",
                                        "first_plan_days:field.required", "caseload_limit:field.number_between"}));
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

// Every (status, event, relationship, facts) of the intake's lifecycle, allowed or refused on
// purpose: the expected table is written out here, independently of the one in the domain.
TEST(Intake, EveryStatusEventRelationshipAndGuardOfTheLifecycle) {
    using S = d::IntakeStatus;
    using E = d::IntakeEvent;
    using R = d::Relationship;
    struct Allowed {
        S from;
        E event;
        S to;
        bool guarded;
    };
    const std::vector<Allowed> allowed = {
        {S::in_intake, E::decide_eligible, S::eligible, true},
        {S::in_intake, E::decide_ineligible, S::ineligible, false},
        {S::ineligible, E::reopen, S::in_intake, false},
    };
    const auto& table = d::intake_lifecycle();
    int checked = 0;
    for (auto from : d::all_intake_statuses())
        for (auto event : d::all_intake_events())
            for (int ri = 0; ri < d::relationship_count; ++ri)
                for (int facts = 0; facts < 4; ++facts) {
                    const auto who = static_cast<R>(ri);
                    const d::IntakeFacts f{(facts & 1) != 0, (facts & 2) != 0};
                    SCOPED_TRACE(std::string(d::code(from)) + " " + std::string(d::code(event)) + " " +
                                 std::string(d::code(who)) + " facts " + std::to_string(facts));
                    const Allowed* row = nullptr;
                    for (const auto& a : allowed)
                        if (a.from == from && a.event == event) row = &a;
                    const auto fired = table.fire(from, event, who, f);
                    if (!row) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
                    } else if (who != R::coordinating_agency) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().code, arrimage::Errc::Forbidden);
                    } else if (row->guarded && !(f.story_recorded && f.rules_met)) {
                        ASSERT_FALSE(fired);
                        EXPECT_EQ(fired.error().message_key, "intake.refused.rules_not_met");
                    } else {
                        ASSERT_TRUE(fired);
                        EXPECT_EQ((*fired)->to, row->to);
                    }
                    ++checked;
                }
    EXPECT_EQ(checked, 3 * 3 * d::relationship_count * 4);
    EXPECT_EQ(table.rows().size(), allowed.size());
    for (auto s : d::all_intake_statuses()) EXPECT_EQ(d::parse_intake_status(d::code(s)), s);
    for (auto e : d::all_intake_events()) EXPECT_EQ(d::parse_intake_event(d::code(e)), e);
}

TEST(Intake, TheDocsShowTheLifecycleTable) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/INTAKE.md");
    ASSERT_TRUE(in) << "docs/INTAKE.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::intake_lifecycle().markdown()), std::string::npos) << "docs/INTAKE.md should hold this table:\n"
                                                                             << d::intake_lifecycle().markdown();
}
