// Where the network stands and where it is going (features/network/domain/network.hpp): the codes
// of its vocabularies; an integration maturity assessment's form field by field (its date, its
// subject, every dimension's level and evidence, every mark's evidence, the summary); its score
// (the mean in tenths rounded half up, the stage rounded down and "integrated" only with every
// mark) and how it is written in each language; two assessments compared; a community plan's form
// field by field (titles, kind, owner, texts, cycle and fixed review date, areas and
// organisations); its next review and yearly progress report, 29 February included; where a review
// stands at its boundaries; an approval's date; and the lifecycle table pair by pair (every state
// and event allowed or refused on purpose, who may) as docs/NETWORK.md shows it.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/network/domain/network.hpp"

namespace d = arrimage::domain;
using arrimage::Date;
using arrimage::Errc;

namespace {

Date day(std::string_view iso) {
    const auto parsed = arrimage::parse_date(iso);
    EXPECT_TRUE(parsed) << iso;
    return parsed.value_or(Date{});
}

std::vector<std::string> fields_of(const std::vector<arrimage::FieldError>& e) {
    std::vector<std::string> out;
    for (const auto& f : e) out.push_back(f.field + ":" + f.message_key);
    return out;
}

std::vector<std::string> one(const std::string& s) {
    return {s};
}

const std::vector<std::string> none;

// A string of `n` characters, each two bytes in UTF-8: limits count characters, not bytes.
std::string accented(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += "é";
    return s;
}

const Date today{2026, 5, 20};

// ---------------------------------------------------------------- assessments

d::AssessmentForm good_assessment() {
    d::AssessmentForm f;
    f.assessed_on = "2026-05-01";
    f.subject = "area";
    for (std::size_t i = 0; i < d::all_maturity_dimensions().size(); ++i)
        f.answers.push_back({"coordination", "Shared intake meetings every week."});
    for (std::size_t i = 0; i < d::all_integration_marks().size(); ++i) f.marks.push_back({"", ""});
    f.summary = "The area coordinates well; funding stays separate.";
    return f;
}

std::vector<std::string> assessment_errors(const d::AssessmentForm& f) {
    d::MaturityAssessment out;
    return fields_of(d::validate(f, today, out));
}

std::string dimension_field(const char* prefix, d::MaturityDimension dim) {
    return std::string(prefix) + std::string(d::code(dim));
}

std::string mark_field(d::IntegrationMark m) {
    return "mark_evidence_" + std::string(d::code(m));
}

// Answers with these levels, one per dimension in the catalogue's order (or fewer).
std::vector<d::MaturityAnswer> answers(const std::vector<int>& ranks) {
    std::vector<d::MaturityAnswer> out;
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        d::MaturityAnswer a;
        a.dimension = d::all_maturity_dimensions()[i % d::all_maturity_dimensions().size()];
        a.level = d::level_of_rank(ranks[i]).value();
        a.evidence = "evidence";
        out.push_back(a);
    }
    return out;
}

// The marks, held or not, in the catalogue's order.
std::vector<d::MarkAnswer> marks(const std::vector<bool>& held) {
    std::vector<d::MarkAnswer> out;
    for (std::size_t i = 0; i < held.size(); ++i) {
        d::MarkAnswer m;
        m.mark = d::all_integration_marks()[i];
        m.held = held[i];
        m.evidence = held[i] ? "evidence" : "";
        out.push_back(m);
    }
    return out;
}

const std::vector<bool> every_mark = {true, true, true, true};

// ---------------------------------------------------------------- community plans

d::CommunityPlanForm good_plan() {
    d::CommunityPlanForm f;
    f.title_fr = "Plan de sécurité et de bien-être communautaires";
    f.title_en = "Community safety and well-being plan";
    f.kind = "community_safety_wellbeing";
    f.owner_organisation = "4";
    f.owner_name = "";
    f.description = "Priorities: mental health, housing.";
    f.scope = "The city and its surrounding townships.";
    f.cycle = "every_10_years";
    f.fixed_review_on = "";
    f.yearly_progress = "";
    f.organisations = {"4", "9"};
    f.areas = {"1"};
    return f;
}

std::vector<std::string> plan_errors(const d::CommunityPlanForm& f, const std::optional<Date>& approved_on = std::nullopt) {
    d::CommunityPlanTerms out;
    return fields_of(d::validate(f, approved_on, out));
}

std::vector<std::string> numbered(int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i <= to; ++i) out.push_back(std::to_string(i));
    return out;
}

}  // namespace

// ---------------------------------------------------------------- codes

TEST(MaturityCodes, TheContinuumInOrderByCodeAndByRank) {
    using L = d::MaturityLevel;
    EXPECT_EQ(d::all_maturity_levels(),
              (std::vector<L>{L::fragmented, L::cooperation, L::coordination, L::collaboration, L::integrated}));
    const std::vector<std::string> codes = {"fragmented", "cooperation", "coordination", "collaboration", "integrated"};
    for (int r = 1; r <= 5; ++r) {
        const L level = d::all_maturity_levels()[r - 1];
        EXPECT_EQ(d::rank(level), r);
        EXPECT_EQ(d::level_of_rank(r), level);
        EXPECT_EQ(d::code(level), codes[r - 1]);
        EXPECT_EQ(d::parse_maturity_level(codes[r - 1]), level);
        EXPECT_EQ(d::parse_maturity_level(std::to_string(r)), level) << "its rank";
    }
    EXPECT_FALSE(d::level_of_rank(0));
    EXPECT_FALSE(d::level_of_rank(6));
    EXPECT_FALSE(d::level_of_rank(-1));
    for (const char* bad : {"", "0", "6", "10", "-1", "1.0", "Integrated", "expert"})
        EXPECT_FALSE(d::parse_maturity_level(bad)) << bad;
}

TEST(MaturityCodes, TheSeedsDimensionsAndMarks) {
    using D = d::MaturityDimension;
    using M = d::IntegrationMark;
    EXPECT_EQ(d::all_maturity_dimensions(),
              (std::vector<D>{D::entry_points, D::information_exchange, D::management, D::funding, D::equipment, D::clientele}));
    const std::vector<std::string> dimension_codes = {
        "entry_points", "information_exchange", "management", "funding", "equipment", "clientele"};
    for (std::size_t i = 0; i < dimension_codes.size(); ++i) {
        EXPECT_EQ(d::code(d::all_maturity_dimensions()[i]), dimension_codes[i]);
        EXPECT_EQ(d::parse_maturity_dimension(dimension_codes[i]), d::all_maturity_dimensions()[i]);
    }
    EXPECT_FALSE(d::parse_maturity_dimension("governance"));
    EXPECT_FALSE(d::parse_maturity_dimension(""));

    EXPECT_EQ(d::all_integration_marks(), (std::vector<M>{M::multidisciplinary_teams, M::collective_decision_body,
                                                          M::consumer_focused, M::formal_agreements}));
    const std::vector<std::string> mark_codes = {"multidisciplinary_teams", "collective_decision_body", "consumer_focused",
                                                 "formal_agreements"};
    for (std::size_t i = 0; i < mark_codes.size(); ++i) {
        EXPECT_EQ(d::code(d::all_integration_marks()[i]), mark_codes[i]);
        EXPECT_EQ(d::parse_integration_mark(mark_codes[i]), d::all_integration_marks()[i]);
    }
    EXPECT_FALSE(d::parse_integration_mark("shared_budget"));

    EXPECT_EQ(d::code(d::Movement::up), "up");
    EXPECT_EQ(d::code(d::Movement::same), "same");
    EXPECT_EQ(d::code(d::Movement::down), "down");
}

TEST(CommunityPlanCodes, KindsCyclesStatusesEventsAndReviewStates) {
    const std::vector<std::string> kinds = {"community_safety_wellbeing",
                                            "housing_homelessness",
                                            "childrens_services",
                                            "population_health_equity",
                                            "navigation_model",
                                            "policy_review",
                                            "other"};
    ASSERT_EQ(d::all_community_plan_kinds().size(), kinds.size());
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        EXPECT_EQ(d::code(d::all_community_plan_kinds()[i]), kinds[i]);
        EXPECT_EQ(d::parse_community_plan_kind(kinds[i]), d::all_community_plan_kinds()[i]);
    }
    EXPECT_FALSE(d::parse_community_plan_kind("zoning"));

    const std::vector<std::string> cycles = {"every_10_years", "every_5_years", "fixed_date", "ongoing"};
    ASSERT_EQ(d::all_review_cycles().size(), cycles.size());
    for (std::size_t i = 0; i < cycles.size(); ++i) {
        EXPECT_EQ(d::code(d::all_review_cycles()[i]), cycles[i]);
        EXPECT_EQ(d::parse_review_cycle(cycles[i]), d::all_review_cycles()[i]);
    }
    EXPECT_FALSE(d::parse_review_cycle("yearly"));

    using S = d::CommunityPlanStatus;
    using E = d::CommunityPlanEvent;
    EXPECT_EQ(d::all_community_plan_statuses(), (std::vector<S>{S::in_development, S::approved, S::under_review, S::retired}));
    EXPECT_EQ(d::all_community_plan_events(), (std::vector<E>{E::approve, E::open_review, E::reapprove, E::retire}));
    const std::vector<std::string> statuses = {"in_development", "approved", "under_review", "retired"};
    const std::vector<std::string> events = {"approve", "open_review", "reapprove", "retire"};
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        EXPECT_EQ(d::code(d::all_community_plan_statuses()[i]), statuses[i]);
        EXPECT_EQ(d::parse_community_plan_status(statuses[i]), d::all_community_plan_statuses()[i]);
        EXPECT_EQ(d::code(d::all_community_plan_events()[i]), events[i]);
        EXPECT_EQ(d::parse_community_plan_event(events[i]), d::all_community_plan_events()[i]);
    }
    EXPECT_FALSE(d::parse_community_plan_status("draft"));
    EXPECT_FALSE(d::parse_community_plan_event("expire"));

    EXPECT_EQ(d::code(d::ReviewState::none), "none");
    EXPECT_EQ(d::code(d::ReviewState::upcoming), "upcoming");
    EXPECT_EQ(d::code(d::ReviewState::due_soon), "due_soon");
    EXPECT_EQ(d::code(d::ReviewState::overdue), "overdue");
}

// ---------------------------------------------------------------- an assessment's form

TEST(AssessmentForm, AGoodFormFillsTheAssessmentInTheCataloguesOrder) {
    auto f = good_assessment();
    f.assessed_on = " 2026-05-01 ";
    f.subject = " area ";
    f.answers[0] = {"1", "  One door per agency.\r\nNo shared form.  "};
    f.answers[1] = {" cooperation ", "Consent forms exchanged by fax."};
    f.answers[5] = {"5", "Every child served by the same team."};
    f.marks[1] = {"1", "The regional table decides\rtogether."};
    f.marks[3] = {"0", " "};
    f.summary = "First line\r\nSecond line";
    d::MaturityAssessment a;
    ASSERT_EQ(fields_of(d::validate(f, today, a)), none);
    EXPECT_EQ(a.assessed_on.iso(), "2026-05-01");
    EXPECT_FALSE(a.agreement_id) << "the whole area";
    ASSERT_EQ(a.answers.size(), d::all_maturity_dimensions().size());
    for (std::size_t i = 0; i < a.answers.size(); ++i) EXPECT_EQ(a.answers[i].dimension, d::all_maturity_dimensions()[i]);
    EXPECT_EQ(a.answers[0].level, d::MaturityLevel::fragmented);
    EXPECT_EQ(a.answers[0].evidence, "One door per agency.\nNo shared form.");
    EXPECT_EQ(a.answers[1].level, d::MaturityLevel::cooperation);
    EXPECT_EQ(a.answers[2].level, d::MaturityLevel::coordination);
    EXPECT_EQ(a.answers[5].level, d::MaturityLevel::integrated);
    ASSERT_EQ(a.marks.size(), d::all_integration_marks().size());
    for (std::size_t i = 0; i < a.marks.size(); ++i) EXPECT_EQ(a.marks[i].mark, d::all_integration_marks()[i]);
    EXPECT_FALSE(a.marks[0].held);
    EXPECT_TRUE(a.marks[1].held);
    EXPECT_EQ(a.marks[1].evidence, "The regional table decides\ntogether.");
    EXPECT_FALSE(a.marks[3].held) << "only \"1\" holds a mark";
    EXPECT_EQ(a.marks[3].evidence, "") << "a mark not held has no evidence";
    EXPECT_EQ(a.summary, "First line\nSecond line");
}

TEST(AssessmentForm, ThePartnershipIsAPositiveId) {
    auto f = good_assessment();
    f.subject = " 12 ";
    d::MaturityAssessment a;
    ASSERT_EQ(fields_of(d::validate(f, today, a)), none);
    ASSERT_TRUE(a.agreement_id);
    EXPECT_EQ(*a.agreement_id, 12);

    f.subject = "area";
    a.agreement_id = 99;
    ASSERT_EQ(fields_of(d::validate(f, today, a)), none);
    EXPECT_FALSE(a.agreement_id) << "the area clears an earlier partnership";
}

TEST(AssessmentForm, TheSubjectIsRequiredAndTheAreaOrAnId) {
    auto f = good_assessment();
    f.subject = "";
    EXPECT_EQ(assessment_errors(f), one("subject:field.required"));
    f.subject = "   ";
    EXPECT_EQ(assessment_errors(f), one("subject:field.required"));
    for (const char* bad : {"Area", "region", "0", "-3", "1.5", "12abc", "+12", "0x1F", "99999999999999999999"}) {
        f.subject = bad;
        EXPECT_EQ(assessment_errors(f), one("subject:field.choose_from_list")) << bad;
    }
}

TEST(AssessmentForm, TheDateIsARequiredRealDayNotAfterToday) {
    auto f = good_assessment();
    f.assessed_on = "";
    EXPECT_EQ(assessment_errors(f), one("assessed_on:field.required"));
    f.assessed_on = "2026-02-30";
    EXPECT_EQ(assessment_errors(f), one("assessed_on:people.invalid_date"));
    f.assessed_on = "20/05/2026";
    EXPECT_EQ(assessment_errors(f), one("assessed_on:people.invalid_date"));
    f.assessed_on = "2026-05-21";
    EXPECT_EQ(assessment_errors(f), one("assessed_on:network.maturity.assessed_in_future")) << "tomorrow";
    f.assessed_on = "2026-05-20";
    EXPECT_EQ(assessment_errors(f), none) << "today";
    f.assessed_on = "2019-01-31";
    EXPECT_EQ(assessment_errors(f), none) << "an old assessment entered late";
}

TEST(AssessmentForm, EveryDimensionNeedsAKnownLevel) {
    for (std::size_t i = 0; i < d::all_maturity_dimensions().size(); ++i) {
        const auto dim = d::all_maturity_dimensions()[i];
        SCOPED_TRACE(d::code(dim));
        const std::string field = dimension_field("level_", dim);
        auto f = good_assessment();
        f.answers[i].level = "";
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.level_required"));
        f.answers[i].level = "  ";
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.level_required"));
        for (const char* bad : {"0", "6", "expert", "Coordination", "3.5"}) {
            f.answers[i].level = bad;
            EXPECT_EQ(assessment_errors(f), one(field + ":field.choose_from_list")) << bad;
        }
        for (const char* level : {"1", "2", "3", "4", "5", "fragmented", "integrated"}) {
            f.answers[i].level = level;
            EXPECT_EQ(assessment_errors(f), none) << level;
        }
    }
}

TEST(AssessmentForm, EveryDimensionNeedsItsEvidenceUpToTwoThousandCharacters) {
    EXPECT_EQ(d::max_evidence_length, 2000u);
    for (std::size_t i = 0; i < d::all_maturity_dimensions().size(); ++i) {
        const auto dim = d::all_maturity_dimensions()[i];
        SCOPED_TRACE(d::code(dim));
        const std::string field = dimension_field("evidence_", dim);
        auto f = good_assessment();
        f.answers[i].evidence = "";
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.evidence_required"));
        f.answers[i].evidence = " \r\n\t ";
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.evidence_required")) << "blank is none";
        f.answers[i].evidence = accented(2001);
        d::MaturityAssessment a;
        const auto e = d::validate(f, today, a);
        ASSERT_EQ(fields_of(e), one(field + ":field.too_long"));
        EXPECT_EQ(e[0].args, std::vector<std::string>{"2000"});
        f.answers[i].evidence = accented(2000);
        ASSERT_EQ(fields_of(d::validate(f, today, a)), none) << "exactly the limit, in characters";
        EXPECT_EQ(a.answers[i].evidence, accented(2000));
        f.answers[i].evidence = "bell\a";
        EXPECT_EQ(assessment_errors(f), one(field + ":field.invalid_text"));
    }
}

TEST(AssessmentForm, AHeldMarkNeedsItsEvidenceUpToTwoThousandCharacters) {
    for (std::size_t i = 0; i < d::all_integration_marks().size(); ++i) {
        const auto mark = d::all_integration_marks()[i];
        SCOPED_TRACE(d::code(mark));
        const std::string field = mark_field(mark);
        auto f = good_assessment();
        f.marks[i] = {"1", ""};
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.mark_evidence_required"));
        f.marks[i] = {" 1 ", "   "};
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.mark_evidence_required"));
        f.marks[i] = {"1", accented(2001)};
        d::MaturityAssessment a;
        const auto e = d::validate(f, today, a);
        ASSERT_EQ(fields_of(e), one(field + ":field.too_long"));
        EXPECT_EQ(e[0].args, std::vector<std::string>{"2000"});
        f.marks[i] = {"1", accented(2000)};
        ASSERT_EQ(fields_of(d::validate(f, today, a)), none);
        EXPECT_TRUE(a.marks[i].held);
        EXPECT_EQ(a.marks[i].evidence, accented(2000));

        f.marks[i] = {"", ""};
        EXPECT_EQ(assessment_errors(f), none) << "a mark not held needs no evidence";
        f.marks[i] = {"0", ""};
        EXPECT_EQ(assessment_errors(f), none);
        f.marks[i] = {"", accented(2001)};
        EXPECT_EQ(assessment_errors(f), one(field + ":field.too_long")) << "what was typed is still checked";
    }
}

TEST(AssessmentForm, EvidenceTypedForAMarkNotHeldIsRefusedNotDropped) {
    for (std::size_t i = 0; i < d::all_integration_marks().size(); ++i) {
        const auto mark = d::all_integration_marks()[i];
        SCOPED_TRACE(d::code(mark));
        const std::string field = mark_field(mark);
        auto f = good_assessment();
        f.marks[i] = {"", "The team meets every week."};
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.mark_evidence_unchecked"));
        f.marks[i] = {"0", " x "};
        EXPECT_EQ(assessment_errors(f), one(field + ":network.maturity.mark_evidence_unchecked"));
        f.marks[i] = {"", " \n\t "};
        EXPECT_EQ(assessment_errors(f), none) << "blanks are nothing typed";
        f.marks[i] = {"1", "The team meets every week."};
        EXPECT_EQ(assessment_errors(f), none);
    }
    // Beside the other fields' errors, each mark on its own field.
    auto f = good_assessment();
    f.marks[0] = {"", "Typed, then unticked."};
    f.marks[3] = {"", "Also typed."};
    f.summary = accented(4001);
    EXPECT_EQ(assessment_errors(f),
              (std::vector<std::string>{mark_field(d::all_integration_marks()[0]) + ":network.maturity.mark_evidence_unchecked",
                                        mark_field(d::all_integration_marks()[3]) + ":network.maturity.mark_evidence_unchecked",
                                        "summary:field.too_long"}));
}

TEST(AssessmentForm, TheSummaryIsOptionalUpToFourThousandCharacters) {
    EXPECT_EQ(d::max_assessment_summary_length, 4000u);
    auto f = good_assessment();
    f.summary = "";
    EXPECT_EQ(assessment_errors(f), none);
    f.summary = accented(4000);
    EXPECT_EQ(assessment_errors(f), none);
    f.summary = accented(4001);
    d::MaturityAssessment a;
    const auto e = d::validate(f, today, a);
    ASSERT_EQ(fields_of(e), one("summary:field.too_long"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"4000"});
}

TEST(AssessmentForm, MissingAnswersAndMarksCountAsMissingOnes) {
    auto f = good_assessment();
    f.answers.resize(4);
    f.marks.clear();
    d::MaturityAssessment a;
    EXPECT_EQ(fields_of(d::validate(f, today, a)),
              (std::vector<std::string>{
                  "level_equipment:network.maturity.level_required", "evidence_equipment:network.maturity.evidence_required",
                  "level_clientele:network.maturity.level_required", "evidence_clientele:network.maturity.evidence_required"}))
        << "marks not posted are marks not held";
    EXPECT_EQ(a.answers.size(), d::all_maturity_dimensions().size());
    ASSERT_EQ(a.marks.size(), d::all_integration_marks().size());
    for (const auto& m : a.marks) EXPECT_FALSE(m.held);

    f = good_assessment();
    f.answers.push_back({"banana", ""});  // more than the catalogue has: not read
    f.marks.push_back({"1", ""});
    EXPECT_EQ(assessment_errors(f), none);
}

TEST(AssessmentForm, AnEmptyFormNamesEveryFieldInTheFormsOrder) {
    d::AssessmentForm f;
    std::vector<std::string> expected = {"assessed_on:field.required", "subject:field.required"};
    for (auto dim : d::all_maturity_dimensions()) {
        expected.push_back(dimension_field("level_", dim) + ":network.maturity.level_required");
        expected.push_back(dimension_field("evidence_", dim) + ":network.maturity.evidence_required");
    }
    EXPECT_EQ(assessment_errors(f), expected);

    f.marks.assign(d::all_integration_marks().size(), {"1", ""});
    for (auto m : d::all_integration_marks()) expected.push_back(mark_field(m) + ":network.maturity.mark_evidence_required");
    f.summary = accented(4001);
    expected.push_back("summary:field.too_long");
    EXPECT_EQ(assessment_errors(f), expected);
}

// ---------------------------------------------------------------- the score

TEST(MaturityScore, TheMeanOfTheLevelsInTenths) {
    auto s = d::score(answers({3, 3, 3, 3, 3, 3}), marks({false, false, false, false}));
    EXPECT_EQ(s.tenths, 30);
    EXPECT_EQ(s.stage, d::MaturityLevel::coordination);
    EXPECT_EQ(s.marks_held, 0);

    s = d::score(answers({1, 1, 1, 1, 1, 1}), {});
    EXPECT_EQ(s.tenths, 10);
    EXPECT_EQ(s.stage, d::MaturityLevel::fragmented);

    s = d::score(answers({1, 2, 3, 4, 5, 3}), {});  // 18 / 6
    EXPECT_EQ(s.tenths, 30);
    EXPECT_EQ(s.stage, d::MaturityLevel::coordination);

    s = d::score(answers({1, 2, 2, 3, 3, 3}), {});  // 14 / 6 = 2.333
    EXPECT_EQ(s.tenths, 23) << "rounded down below the half";
    EXPECT_EQ(s.stage, d::MaturityLevel::cooperation);

    s = d::score(answers({1, 1, 1, 1, 1, 2}), {});  // 7 / 6 = 1.1667
    EXPECT_EQ(s.tenths, 12) << "rounded up above the half";
    EXPECT_EQ(s.stage, d::MaturityLevel::fragmented);
}

TEST(MaturityScore, ExactlyHalfATenthRoundsUp) {
    auto s = d::score(answers({3, 3, 4, 3}), {});  // 13 / 4 = 3.25
    EXPECT_EQ(s.tenths, 33);
    EXPECT_EQ(s.stage, d::MaturityLevel::coordination);

    s = d::score(answers({1, 1, 1, 2}), {});  // 5 / 4 = 1.25
    EXPECT_EQ(s.tenths, 13);
    EXPECT_EQ(s.stage, d::MaturityLevel::fragmented);

    s = d::score(answers({4, 5, 5, 5}), {});  // 19 / 4 = 4.75
    EXPECT_EQ(s.tenths, 48);
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration);

    s = d::score(answers({2, 2, 2, 3}), {});  // 9 / 4 = 2.25
    EXPECT_EQ(s.tenths, 23);

    s = d::score(answers({1, 2}), {});  // 1.5 exactly: no rounding
    EXPECT_EQ(s.tenths, 15);
}

TEST(MaturityScore, TheStageIsTheMeanRoundedDown) {
    auto s = d::score(answers({4, 4, 4, 4, 4, 3}), {});  // 23 / 6 = 3.83
    EXPECT_EQ(s.tenths, 38);
    EXPECT_EQ(s.stage, d::MaturityLevel::coordination) << "not rounded to the nearest";

    s = d::score(answers({5, 5, 5, 5, 5, 4}), marks(every_mark));  // 29 / 6 = 4.83
    EXPECT_EQ(s.tenths, 48);
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration) << "not integrated before every dimension is";

    s = d::score(answers({2, 2, 2, 2, 2, 2}), {});
    EXPECT_EQ(s.stage, d::MaturityLevel::cooperation);
    s = d::score(answers({4, 4, 4, 4, 4, 4}), {});
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration);
}

TEST(MaturityScore, IntegratedNeedsEveryMarkOfIntegration) {
    const auto top = answers({5, 5, 5, 5, 5, 5});
    auto s = d::score(top, marks(every_mark));
    EXPECT_EQ(s.tenths, 50);
    EXPECT_EQ(s.stage, d::MaturityLevel::integrated);
    EXPECT_EQ(s.marks_held, 4);

    for (std::size_t missing = 0; missing < every_mark.size(); ++missing) {
        auto held = every_mark;
        held[missing] = false;
        SCOPED_TRACE(d::code(d::all_integration_marks()[missing]));
        s = d::score(top, marks(held));
        EXPECT_EQ(s.tenths, 50) << "the score is the levels' mean, marks or not";
        EXPECT_EQ(s.stage, d::MaturityLevel::collaboration) << "capped without every mark";
        EXPECT_EQ(s.marks_held, 3);
    }

    s = d::score(top, {});
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration);
    EXPECT_EQ(s.marks_held, 0);

    auto three = marks({true, true, true});  // the fourth not even posted
    s = d::score(top, three);
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration);
    three.push_back(three[0]);  // a mark twice is still one mark
    s = d::score(top, three);
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration);
    EXPECT_EQ(s.marks_held, 3);

    s = d::score(answers({4, 4, 4, 4, 4, 4}), marks(every_mark));
    EXPECT_EQ(s.stage, d::MaturityLevel::collaboration) << "the marks alone do not make it integrated";
    EXPECT_EQ(s.marks_held, 4);
}

TEST(MaturityScore, OfAValidatedAssessment) {
    auto f = good_assessment();
    for (auto& a : f.answers) a.level = "integrated";
    for (auto& m : f.marks) m = {"1", "Seen in the minutes."};
    d::MaturityAssessment a;
    ASSERT_EQ(fields_of(d::validate(f, today, a)), none);
    const auto s = d::score(a.answers, a.marks);
    EXPECT_EQ(s.tenths, 50);
    EXPECT_EQ(s.stage, d::MaturityLevel::integrated);
    EXPECT_EQ(s.marks_held, 4);
}

TEST(MaturityScore, WrittenWithThePointOrTheComma) {
    EXPECT_EQ(d::format_tenths(35, false), "3.5");
    EXPECT_EQ(d::format_tenths(35, true), "3,5");
    EXPECT_EQ(d::format_tenths(10, false), "1.0");
    EXPECT_EQ(d::format_tenths(10, true), "1,0");
    EXPECT_EQ(d::format_tenths(50, false), "5.0");
    EXPECT_EQ(d::format_tenths(50, true), "5,0");
    EXPECT_EQ(d::format_tenths(23, false), "2.3");
    EXPECT_EQ(d::format_tenths(48, true), "4,8");
}

// ---------------------------------------------------------------- two assessments compared

TEST(AssessmentComparison, EachDimensionsMoveMarksGainedAndLostAndBothScores) {
    using L = d::MaturityLevel;
    using M = d::IntegrationMark;
    using Mv = d::Movement;
    d::MaturityAssessment before, after;
    before.assessed_on = day("2025-05-01");
    before.answers = answers({1, 2, 3, 4, 5, 3});
    before.marks = marks({true, false, true, false});
    after.assessed_on = day("2026-05-01");
    after.answers = answers({2, 2, 2, 5, 5, 4});
    after.marks = marks({true, true, false, false});

    const auto c = d::compare(before, after);
    ASSERT_EQ(c.dimensions.size(), d::all_maturity_dimensions().size());
    const std::vector<Mv> moves = {Mv::up, Mv::same, Mv::down, Mv::up, Mv::same, Mv::up};
    const std::vector<L> was = {L::fragmented, L::cooperation, L::coordination, L::collaboration, L::integrated, L::coordination};
    const std::vector<L> is = {L::cooperation, L::cooperation, L::cooperation, L::integrated, L::integrated, L::collaboration};
    for (std::size_t i = 0; i < c.dimensions.size(); ++i) {
        SCOPED_TRACE(d::code(d::all_maturity_dimensions()[i]));
        EXPECT_EQ(c.dimensions[i].dimension, d::all_maturity_dimensions()[i]);
        EXPECT_EQ(c.dimensions[i].before, was[i]);
        EXPECT_EQ(c.dimensions[i].after, is[i]);
        EXPECT_EQ(c.dimensions[i].movement, moves[i]);
    }
    EXPECT_EQ(c.marks_gained, std::vector<M>{M::collective_decision_body});
    EXPECT_EQ(c.marks_lost, std::vector<M>{M::consumer_focused});
    EXPECT_EQ(c.before.tenths, 30);  // 18 / 6
    EXPECT_EQ(c.before.marks_held, 2);
    EXPECT_EQ(c.after.tenths, 33);  // 20 / 6 = 3.33
    EXPECT_EQ(c.after.stage, L::coordination);
    EXPECT_EQ(c.after.marks_held, 2);
}

TEST(AssessmentComparison, DimensionsAreMatchedByNameAndListedInTheCataloguesOrder) {
    using M = d::IntegrationMark;
    d::MaturityAssessment before, after;
    before.answers = answers({1, 1, 1, 1, 1, 1});
    before.marks = marks({false, false, false, false});
    after.answers = answers({3, 3, 3, 3, 3, 2});
    std::swap(after.answers[0], after.answers[5]);  // clientele first, entry points last
    after.marks = marks(every_mark);
    const auto c = d::compare(before, after);
    ASSERT_EQ(c.dimensions.size(), 6u);
    EXPECT_EQ(c.dimensions[0].dimension, d::MaturityDimension::entry_points);
    EXPECT_EQ(c.dimensions[0].after, d::MaturityLevel::coordination);
    EXPECT_EQ(c.dimensions[5].dimension, d::MaturityDimension::clientele);
    EXPECT_EQ(c.dimensions[5].after, d::MaturityLevel::cooperation);
    for (const auto& ch : c.dimensions) EXPECT_EQ(ch.movement, d::Movement::up);
    EXPECT_EQ(c.marks_gained, (std::vector<M>{M::multidisciplinary_teams, M::collective_decision_body, M::consumer_focused,
                                              M::formal_agreements}));
    EXPECT_TRUE(c.marks_lost.empty());

    const auto back = d::compare(after, before);
    for (const auto& ch : back.dimensions) EXPECT_EQ(ch.movement, d::Movement::down);
    EXPECT_EQ(back.marks_lost, c.marks_gained);
    EXPECT_TRUE(back.marks_gained.empty());
    EXPECT_EQ(back.before.tenths, c.after.tenths);
    EXPECT_EQ(back.after.tenths, c.before.tenths);
}

TEST(AssessmentComparison, TheSameAssessmentTwiceMovesNothing) {
    d::MaturityAssessment a;
    a.answers = answers({2, 3, 4, 2, 3, 4});
    a.marks = marks({true, false, true, false});
    const auto c = d::compare(a, a);
    ASSERT_EQ(c.dimensions.size(), 6u);
    for (const auto& ch : c.dimensions) {
        EXPECT_EQ(ch.movement, d::Movement::same);
        EXPECT_EQ(ch.before, ch.after);
    }
    EXPECT_TRUE(c.marks_gained.empty());
    EXPECT_TRUE(c.marks_lost.empty());
    EXPECT_EQ(c.before.tenths, c.after.tenths);
}

// ---------------------------------------------------------------- a community plan's form

TEST(CommunityPlanForm, AGoodFormFillsTheTermsWithLinksSortedAndEachOnce) {
    auto f = good_plan();
    f.title_fr = "  Plan de sécurité et de bien-être communautaires  ";
    f.kind = " housing_homelessness ";
    f.owner_organisation = " 4 ";
    f.description = "Line one\r\nLine two";
    f.cycle = " every_5_years ";
    f.yearly_progress = "1";
    f.organisations = {"12", " 3 ", "12", "", "7", "3"};
    f.areas = {"5", "2", " 5 ", "  "};
    d::CommunityPlanTerms t;
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none);
    EXPECT_EQ(t.title_fr, "Plan de sécurité et de bien-être communautaires");
    EXPECT_EQ(t.title_en, "Community safety and well-being plan");
    EXPECT_EQ(t.kind, d::CommunityPlanKind::housing_homelessness);
    ASSERT_TRUE(t.owner_organisation);
    EXPECT_EQ(*t.owner_organisation, 4);
    EXPECT_EQ(t.owner_name, "");
    EXPECT_EQ(t.description, "Line one\nLine two");
    EXPECT_EQ(t.scope, "The city and its surrounding townships.");
    EXPECT_EQ(t.cycle, d::ReviewCycle::every_5_years);
    EXPECT_FALSE(t.fixed_review_on);
    EXPECT_TRUE(t.yearly_progress);
    EXPECT_EQ(t.organisations, (std::vector<std::int64_t>{3, 7, 12}));
    EXPECT_EQ(t.areas, (std::vector<std::int64_t>{2, 5}));
}

TEST(CommunityPlanForm, BothTitlesAreRequiredOneLineUpToTwoHundredCharacters) {
    auto f = good_plan();
    f.title_fr = "";
    f.title_en = "   ";
    EXPECT_EQ(plan_errors(f), (std::vector<std::string>{"title_fr:field.required", "title_en:field.required"}));
    f = good_plan();
    f.title_fr = accented(201);
    d::CommunityPlanTerms t;
    const auto e = d::validate(f, std::nullopt, t);
    ASSERT_EQ(fields_of(e), one("title_fr:field.too_long"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"200"});
    f.title_fr = accented(200);
    EXPECT_EQ(plan_errors(f), none);
    f.title_en = "Two\nlines";
    EXPECT_EQ(plan_errors(f), one("title_en:field.invalid_text"));
}

TEST(CommunityPlanForm, TheKindIsRequiredAndKnown) {
    auto f = good_plan();
    f.kind = "";
    EXPECT_EQ(plan_errors(f), one("kind:field.required"));
    f.kind = "zoning";
    EXPECT_EQ(plan_errors(f), one("kind:field.choose_from_list"));
    for (auto k : d::all_community_plan_kinds()) {
        f.kind = std::string(d::code(k));
        d::CommunityPlanTerms t;
        ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none) << f.kind;
        EXPECT_EQ(t.kind, k);
    }
}

TEST(CommunityPlanForm, TheOwnerIsAnOrganisationOrAName) {
    auto f = good_plan();
    f.owner_organisation = "";
    f.owner_name = "  Ministry of Children, Community and Social Services ";
    d::CommunityPlanTerms t;
    t.owner_organisation = 8;
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none);
    EXPECT_FALSE(t.owner_organisation);
    EXPECT_EQ(t.owner_name, "Ministry of Children, Community and Social Services");

    f = good_plan();
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none);
    EXPECT_EQ(t.owner_organisation, 4);
    EXPECT_EQ(t.owner_name, "");

    f.owner_organisation = "";
    f.owner_name = "";
    EXPECT_EQ(plan_errors(f), one("owner_organisation:network.plan.owner_required"));
    f.owner_organisation = "  ";
    f.owner_name = " \t ";
    EXPECT_EQ(plan_errors(f), one("owner_organisation:network.plan.owner_required"));
}

TEST(CommunityPlanForm, BothAnOwnerOrganisationAndAnOwnerNameIsOneErrorOnTheName) {
    auto f = good_plan();
    f.owner_organisation = "4";
    f.owner_name = "Ontario Health";
    EXPECT_EQ(plan_errors(f), one("owner_name:network.plan.owner_both"));
    f.owner_organisation = " 4 ";
    f.owner_name = " Ontario Health ";
    EXPECT_EQ(plan_errors(f), one("owner_name:network.plan.owner_both"));
    f.owner_name = "   ";
    EXPECT_EQ(plan_errors(f), none) << "a blank name is no name";
    // Each field's own error first, and only it.
    f.owner_organisation = "x";
    f.owner_name = "Ontario Health";
    EXPECT_EQ(plan_errors(f), one("owner_organisation:field.choose_from_list"));
    f.owner_organisation = "4";
    f.owner_name = accented(201);
    EXPECT_EQ(plan_errors(f), one("owner_name:field.too_long"));
}

TEST(CommunityPlanForm, TheOwnerOrganisationIsAPositiveIdAndTheNameUpToTwoHundredCharacters) {
    auto f = good_plan();
    for (const char* bad : {"Ontario Health", "0", "-4", "4.0", "4 5"}) {
        f.owner_organisation = bad;
        EXPECT_EQ(plan_errors(f), one("owner_organisation:field.choose_from_list")) << bad;
    }
    f.owner_organisation = "x";
    f.owner_name = "Ontario Health";
    EXPECT_EQ(plan_errors(f), one("owner_organisation:field.choose_from_list")) << "a name does not excuse a bad choice";

    f = good_plan();
    f.owner_organisation = "";
    f.owner_name = accented(201);
    d::CommunityPlanTerms t;
    const auto e = d::validate(f, std::nullopt, t);
    ASSERT_EQ(fields_of(e), one("owner_name:field.too_long")) << "not also \"owner required\"";
    EXPECT_EQ(e[0].args, std::vector<std::string>{"200"});
    f.owner_name = accented(200);
    EXPECT_EQ(plan_errors(f), none);
}

TEST(CommunityPlanForm, TheDescriptionAndScopeAreOptionalAndBounded) {
    EXPECT_EQ(d::max_plan_description_length, 4000u);
    EXPECT_EQ(d::max_plan_scope_length, 2000u);
    auto f = good_plan();
    f.description = "";
    f.scope = "";
    EXPECT_EQ(plan_errors(f), none);
    f.description = accented(4000);
    f.scope = accented(2000);
    EXPECT_EQ(plan_errors(f), none);
    f.description = accented(4001);
    f.scope = accented(2001);
    d::CommunityPlanTerms t;
    const auto e = d::validate(f, std::nullopt, t);
    ASSERT_EQ(fields_of(e), (std::vector<std::string>{"description:field.too_long", "scope:field.too_long"}));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"4000"});
    EXPECT_EQ(e[1].args, std::vector<std::string>{"2000"});
}

TEST(CommunityPlanForm, TheCycleIsRequiredAndKnown) {
    auto f = good_plan();
    f.cycle = "";
    EXPECT_EQ(plan_errors(f), one("cycle:field.required"));
    f.cycle = "yearly";
    EXPECT_EQ(plan_errors(f), one("cycle:field.choose_from_list"));
    f.fixed_review_on = "not a date";
    EXPECT_EQ(plan_errors(f), one("cycle:field.choose_from_list")) << "no fixed date is asked of an unknown cycle";
    for (const char* c : {"every_10_years", "every_5_years", "ongoing"}) {
        f.cycle = c;
        d::CommunityPlanTerms t;
        ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none) << c;
        EXPECT_EQ(d::code(t.cycle), c);
    }
}

TEST(CommunityPlanForm, AFixedDateIsRequiredWithTheFixedCycleAndIgnoredOtherwise) {
    auto f = good_plan();
    f.cycle = "fixed_date";
    f.fixed_review_on = "";
    EXPECT_EQ(plan_errors(f), one("fixed_review_on:field.required"));
    f.fixed_review_on = "2027-02-29";
    EXPECT_EQ(plan_errors(f), one("fixed_review_on:people.invalid_date"));
    f.fixed_review_on = " 2027-03-31 ";
    d::CommunityPlanTerms t;
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none);
    EXPECT_EQ(t.cycle, d::ReviewCycle::fixed_date);
    ASSERT_TRUE(t.fixed_review_on);
    EXPECT_EQ(t.fixed_review_on->iso(), "2027-03-31");

    for (const char* c : {"every_10_years", "every_5_years", "ongoing"}) {
        f.cycle = c;
        f.fixed_review_on = "2027-03-31";
        t.fixed_review_on = day("2030-01-01");
        ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none) << c;
        EXPECT_FALSE(t.fixed_review_on) << c;
        f.fixed_review_on = "garbage";
        EXPECT_EQ(plan_errors(f), none) << c;
        f.fixed_review_on = "2000-01-01";
        EXPECT_EQ(plan_errors(f, day("2026-01-01")), none) << c;
    }
}

TEST(CommunityPlanForm, AFixedReviewIsNotBeforeTheCurrentApproval) {
    auto f = good_plan();
    f.cycle = "fixed_date";
    f.fixed_review_on = "2026-03-31";
    EXPECT_EQ(plan_errors(f, day("2026-04-01")), one("fixed_review_on:network.plan.review_before_approval"));
    EXPECT_EQ(plan_errors(f, day("2026-03-31")), none) << "on the approval day";
    EXPECT_EQ(plan_errors(f, day("2026-03-30")), none);
    EXPECT_EQ(plan_errors(f, std::nullopt), none) << "not approved yet";
}

TEST(CommunityPlanForm, OneAreaOrMoreEachAPositiveId) {
    auto f = good_plan();
    f.areas = {};
    EXPECT_EQ(plan_errors(f), one("areas:field.choose_at_least_one"));
    f.areas = {"", "  "};
    EXPECT_EQ(plan_errors(f), one("areas:field.choose_at_least_one")) << "blanks are no area";
    for (const char* bad : {"north", "0", "-1", "2.5"}) {
        f.areas = {"1", bad};
        EXPECT_EQ(plan_errors(f), one("areas:field.choose_from_list")) << bad;
    }
    f.areas = {"3", "3", " 3"};
    d::CommunityPlanTerms t;
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none);
    EXPECT_EQ(t.areas, std::vector<std::int64_t>{3}) << "the same area three times is one area";
}

TEST(CommunityPlanForm, OrganisationsAreOptionalEachAPositiveId) {
    auto f = good_plan();
    f.organisations = {};
    d::CommunityPlanTerms t;
    t.organisations = {1, 2};
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none);
    EXPECT_TRUE(t.organisations.empty());
    for (const char* bad : {"Blue River", "0", "-7"}) {
        f.organisations = {"4", bad};
        EXPECT_EQ(plan_errors(f), one("organisations:field.choose_from_list")) << bad;
    }
}

TEST(CommunityPlanForm, AtMostFortyAreasAndFortyOrganisations) {
    EXPECT_EQ(d::max_plan_links, 40u);
    auto f = good_plan();
    f.areas = numbered(1, 40);
    f.organisations = numbered(101, 140);
    EXPECT_EQ(plan_errors(f), none);

    f.areas = numbered(1, 41);
    d::CommunityPlanTerms t;
    auto e = d::validate(f, std::nullopt, t);
    ASSERT_EQ(fields_of(e), one("areas:network.plan.too_many_links"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"40"});

    f.areas = numbered(1, 40);
    f.organisations = numbered(101, 141);
    e = d::validate(f, std::nullopt, t);
    ASSERT_EQ(fields_of(e), one("organisations:network.plan.too_many_links"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"40"});

    f.organisations = numbered(101, 140);
    f.organisations.push_back("101");
    f.areas.push_back("40");
    ASSERT_EQ(fields_of(d::validate(f, std::nullopt, t)), none) << "duplicates merged before counting";
    EXPECT_EQ(t.areas.size(), 40u);
    EXPECT_EQ(t.organisations.size(), 40u);
}

TEST(CommunityPlanForm, TheYearlyProgressReportIsTickedWithOne) {
    auto f = good_plan();
    d::CommunityPlanTerms t;
    f.yearly_progress = "1";
    ASSERT_TRUE(d::validate(f, std::nullopt, t).empty());
    EXPECT_TRUE(t.yearly_progress);
    for (const char* off : {"", "0"}) {
        f.yearly_progress = off;
        ASSERT_TRUE(d::validate(f, std::nullopt, t).empty());
        EXPECT_FALSE(t.yearly_progress) << off;
    }
}

TEST(CommunityPlanForm, AnEmptyFormNamesEveryRequiredField) {
    EXPECT_EQ(plan_errors(d::CommunityPlanForm{}),
              (std::vector<std::string>{"title_fr:field.required", "title_en:field.required", "kind:field.required",
                                        "owner_organisation:network.plan.owner_required", "cycle:field.required",
                                        "areas:field.choose_at_least_one"}));
}

// ---------------------------------------------------------------- the next review and progress report

TEST(CommunityPlanReview, TenOrFiveYearsAfterTheApproval) {
    using C = d::ReviewCycle;
    EXPECT_EQ(d::next_review(C::every_10_years, day("2026-03-15"), std::nullopt)->iso(), "2036-03-15");
    EXPECT_EQ(d::next_review(C::every_5_years, day("2026-03-15"), std::nullopt)->iso(), "2031-03-15");
    EXPECT_EQ(d::next_review(C::every_10_years, day("2026-03-15"), day("2027-01-01"))->iso(), "2036-03-15")
        << "a fixed date does not count for a cyclic plan";
    EXPECT_FALSE(d::next_review(C::every_10_years, std::nullopt, std::nullopt)) << "not approved yet";
    EXPECT_FALSE(d::next_review(C::every_5_years, std::nullopt, day("2027-01-01")));
}

TEST(CommunityPlanReview, TwentyNinthOfFebruaryBecomesTwentyEighthInACommonYear) {
    using C = d::ReviewCycle;
    EXPECT_EQ(d::next_review(C::every_10_years, day("2024-02-29"), std::nullopt)->iso(), "2034-02-28");
    EXPECT_EQ(d::next_review(C::every_5_years, day("2024-02-29"), std::nullopt)->iso(), "2029-02-28");
    EXPECT_EQ(d::next_review(C::every_5_years, day("2023-02-28"), std::nullopt)->iso(), "2028-02-28")
        << "the 28th stays the 28th in a leap year";
    EXPECT_EQ(d::next_review(C::every_10_years, day("2026-12-31"), std::nullopt)->iso(), "2036-12-31");
}

TEST(CommunityPlanReview, AFixedDateOrNone) {
    using C = d::ReviewCycle;
    EXPECT_EQ(d::next_review(C::fixed_date, std::nullopt, day("2027-06-30"))->iso(), "2027-06-30");
    EXPECT_EQ(d::next_review(C::fixed_date, day("2026-01-10"), day("2027-06-30"))->iso(), "2027-06-30");
    EXPECT_FALSE(d::next_review(C::fixed_date, day("2026-01-10"), std::nullopt));
    EXPECT_FALSE(d::next_review(C::ongoing, day("2026-01-10"), day("2027-06-30"))) << "ongoing: no date";
    EXPECT_FALSE(d::next_review(C::ongoing, std::nullopt, std::nullopt));
}

TEST(CommunityPlanProgress, TheFirstAnniversaryOnOrAfterToday) {
    const Date approved = day("2024-06-15");
    const Date review = day("2034-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-03-01"))->iso(), "2025-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-06-14"))->iso(), "2025-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-06-15"))->iso(), "2025-06-15") << "on the day";
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-06-16"))->iso(), "2026-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2024-06-15"))->iso(), "2025-06-15")
        << "the approval day is no anniversary";
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2024-01-01"))->iso(), "2025-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2031-01-10"))->iso(), "2031-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2031-12-31"))->iso(), "2032-06-15");
    EXPECT_EQ(d::next_progress_report(true, approved, std::nullopt, day("2040-07-01"))->iso(), "2041-06-15")
        << "no review date: every year";
}

TEST(CommunityPlanProgress, NoneWhenTheReviewComesFirstOrTheSameDay) {
    const Date approved = day("2024-06-15");
    const Date review = day("2029-06-15");  // five years
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2028-06-15"))->iso(), "2028-06-15");
    EXPECT_FALSE(d::next_progress_report(true, approved, review, day("2028-06-16"))) << "the next falls on the review";
    EXPECT_FALSE(d::next_progress_report(true, approved, review, day("2029-07-01"))) << "the review is overdue";
    EXPECT_EQ(d::next_progress_report(true, approved, day("2029-06-16"), day("2028-06-16"))->iso(), "2029-06-15")
        << "the day before the review";
    EXPECT_FALSE(d::next_progress_report(true, approved, day("2025-06-15"), day("2025-01-01")));
    EXPECT_FALSE(d::next_progress_report(true, approved, day("2025-01-01"), day("2024-07-01")));
}

TEST(CommunityPlanProgress, NoneWithoutYearlyReportsOrBeforeApproval) {
    EXPECT_FALSE(d::next_progress_report(false, day("2024-06-15"), day("2034-06-15"), day("2025-03-01")));
    EXPECT_FALSE(d::next_progress_report(false, day("2024-06-15"), std::nullopt, day("2025-03-01")));
    EXPECT_FALSE(d::next_progress_report(true, std::nullopt, day("2034-06-15"), day("2025-03-01")));
    EXPECT_FALSE(d::next_progress_report(true, std::nullopt, std::nullopt, day("2025-03-01")));
}

TEST(CommunityPlanProgress, ApprovedOnTheTwentyNinthOfFebruary) {
    const Date approved = day("2024-02-29");
    const Date review = day("2034-02-28");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-01-10"))->iso(), "2025-02-28");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-02-28"))->iso(), "2025-02-28");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2025-03-01"))->iso(), "2026-02-28");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2027-03-01"))->iso(), "2028-02-29")
        << "the 29th again in a leap year";
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2028-02-29"))->iso(), "2028-02-29");
    EXPECT_EQ(d::next_progress_report(true, approved, review, day("2028-03-01"))->iso(), "2029-02-28");
    EXPECT_FALSE(d::next_progress_report(true, approved, review, day("2033-03-01"))) << "2034-02-28 is the review";
}

// ---------------------------------------------------------------- where a review stands

TEST(CommunityPlanReviewState, NoneUpcomingDueSoonOrOverdue) {
    EXPECT_EQ(d::review_notice_days, 90);
    const Date t = day("2026-03-10");
    EXPECT_EQ(arrimage::days_between(t, day("2026-06-08")), 90);
    EXPECT_EQ(d::review_state(std::nullopt, t), d::ReviewState::none);
    EXPECT_EQ(d::review_state(day("2026-06-09"), t), d::ReviewState::upcoming) << "91 days away";
    EXPECT_EQ(d::review_state(day("2036-01-01"), t), d::ReviewState::upcoming);
    EXPECT_EQ(d::review_state(day("2026-06-08"), t), d::ReviewState::due_soon) << "exactly 90 days away";
    EXPECT_EQ(d::review_state(day("2026-03-11"), t), d::ReviewState::due_soon) << "tomorrow";
    EXPECT_EQ(d::review_state(t, t), d::ReviewState::due_soon) << "today: not passed yet";
    EXPECT_EQ(d::review_state(day("2026-03-09"), t), d::ReviewState::overdue) << "yesterday";
    EXPECT_EQ(d::review_state(day("2016-03-10"), t), d::ReviewState::overdue);
}

// ---------------------------------------------------------------- an approval

namespace {

std::vector<std::string> approval_errors(const std::string& raw, const std::optional<Date>& previous = std::nullopt,
                                         const std::optional<Date>& fixed = std::nullopt) {
    Date out;
    return fields_of(d::validate_approval(raw, previous, fixed, today, out));
}

}  // namespace

TEST(CommunityPlanApproval, ARequiredRealDayNotAfterToday) {
    Date out;
    ASSERT_EQ(fields_of(d::validate_approval(" 2026-05-20 ", std::nullopt, std::nullopt, today, out)), none) << "today";
    EXPECT_EQ(out.iso(), "2026-05-20");
    ASSERT_EQ(fields_of(d::validate_approval("2020-02-29", std::nullopt, std::nullopt, today, out)), none);
    EXPECT_EQ(out.iso(), "2020-02-29");
    EXPECT_EQ(approval_errors(""), one("approved_on:field.required"));
    EXPECT_EQ(approval_errors("  "), one("approved_on:field.required"));
    EXPECT_EQ(approval_errors("2026-04-31"), one("approved_on:people.invalid_date"));
    EXPECT_EQ(approval_errors("yesterday"), one("approved_on:people.invalid_date"));
    EXPECT_EQ(approval_errors("2026-05-21"), one("approved_on:network.plan.approved_in_future")) << "tomorrow";
}

TEST(CommunityPlanApproval, NotBeforeThePreviousApproval) {
    const Date previous = day("2025-09-01");
    EXPECT_EQ(approval_errors("2025-08-31", previous), one("approved_on:network.plan.approval_before_previous"));
    EXPECT_EQ(approval_errors("2025-09-01", previous), none) << "the same day";
    EXPECT_EQ(approval_errors("2026-01-15", previous), none);
}

TEST(CommunityPlanApproval, NotAfterAFixedReviewDate) {
    const Date fixed = day("2026-03-31");
    EXPECT_EQ(approval_errors("2026-04-01", std::nullopt, fixed), one("approved_on:network.plan.approval_after_fixed_review"))
        << "its own words: the approval is what is wrong here, not the plan's review date";
    EXPECT_EQ(approval_errors("2026-03-31", std::nullopt, fixed), none) << "on the review day";
    EXPECT_EQ(approval_errors("2026-01-01", std::nullopt, fixed), none);
    EXPECT_EQ(approval_errors("2026-01-01", day("2025-06-01"), fixed), none) << "between the previous and the review";
}

// ---------------------------------------------------------------- the lifecycle

namespace {

struct PlanMove {
    d::CommunityPlanStatus from;
    d::CommunityPlanEvent event;
    d::CommunityPlanStatus to;
};

// The table as the header states it: every move the coordinating agency may make.
const std::vector<PlanMove>& plan_moves() {
    using S = d::CommunityPlanStatus;
    using E = d::CommunityPlanEvent;
    static const std::vector<PlanMove> v = {
        {S::in_development, E::approve, S::approved}, {S::approved, E::open_review, S::under_review},
        {S::under_review, E::reapprove, S::approved}, {S::in_development, E::retire, S::retired},
        {S::approved, E::retire, S::retired},         {S::under_review, E::retire, S::retired},
    };
    return v;
}

const PlanMove* plan_move(d::CommunityPlanStatus from, d::CommunityPlanEvent event) {
    for (const auto& m : plan_moves())
        if (m.from == from && m.event == event) return &m;
    return nullptr;
}

std::string trace(d::CommunityPlanStatus from, d::CommunityPlanEvent event) {
    return std::string(d::code(from)) + " --" + std::string(d::code(event)) + "-->";
}

}  // namespace

TEST(CommunityPlanLifecycle, EveryStateAndEventIsAllowedOrRefusedOnPurpose) {
    const auto& l = d::community_plan_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_EQ(l.rows().size(), plan_moves().size());
    for (auto from : d::all_community_plan_statuses())
        for (auto event : d::all_community_plan_events()) {
            SCOPED_TRACE(trace(from, event));
            const auto fired = l.fire(from, event, agency, {});
            if (const PlanMove* m = plan_move(from, event)) {
                ASSERT_TRUE(fired) << fired.error().message_key;
                EXPECT_EQ(fired.value()->to, m->to);
                EXPECT_EQ(fired.value()->guard, nullptr) << "no guard: the dates are checked by validate_approval";
            } else {
                ASSERT_FALSE(fired);
                EXPECT_EQ(fired.error().code, Errc::Conflict);
                EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
            }
        }
}

TEST(CommunityPlanLifecycle, RowByRowWithTheAgency) {
    using S = d::CommunityPlanStatus;
    using E = d::CommunityPlanEvent;
    const auto& l = d::community_plan_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const d::CommunityPlanFacts f{};
    EXPECT_EQ(l.fire(S::in_development, E::approve, agency, f).value()->to, S::approved);
    EXPECT_EQ(l.fire(S::approved, E::open_review, agency, f).value()->to, S::under_review);
    EXPECT_EQ(l.fire(S::under_review, E::reapprove, agency, f).value()->to, S::approved);
    EXPECT_EQ(l.fire(S::in_development, E::retire, agency, f).value()->to, S::retired);
    EXPECT_EQ(l.fire(S::approved, E::retire, agency, f).value()->to, S::retired);
    EXPECT_EQ(l.fire(S::under_review, E::retire, agency, f).value()->to, S::retired);
    EXPECT_EQ(l.fire(S::approved, E::approve, agency, f).error().message_key, "lifecycle.not_from_state")
        << "approved again only after a review";
    EXPECT_EQ(l.fire(S::approved, E::reapprove, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::in_development, E::reapprove, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::in_development, E::open_review, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::under_review, E::open_review, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::retired, E::approve, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::retired, E::retire, agency, f).error().message_key, "lifecycle.not_from_state") << "retired is the end";
}

TEST(CommunityPlanLifecycle, OnlyTheCoordinatingAgencyMovesAPlan) {
    const auto& l = d::community_plan_lifecycle();
    for (const auto& m : plan_moves()) {
        SCOPED_TRACE(trace(m.from, m.event));
        ASSERT_EQ(l.find(m.from, m.event)->who, std::vector<d::Relationship>{d::Relationship::coordinating_agency});
        for (auto who : {d::Relationship::none, d::Relationship::assigned_coordinator, d::Relationship::team_member,
                         d::Relationship::privacy_officer, d::Relationship::family_of, d::Relationship::self}) {
            const auto fired = l.fire(m.from, m.event, who, {});
            ASSERT_FALSE(fired);
            EXPECT_EQ(fired.error().code, Errc::Forbidden);
        }
    }
}

TEST(CommunityPlanLifecycle, WhatTheAgencyMayFireFromEachState) {
    using S = d::CommunityPlanStatus;
    using E = d::CommunityPlanEvent;
    using Events = std::vector<E>;
    const auto& l = d::community_plan_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_EQ(l.available(S::in_development, agency, {}), (Events{E::approve, E::retire}));
    EXPECT_EQ(l.available(S::approved, agency, {}), (Events{E::open_review, E::retire}));
    EXPECT_EQ(l.available(S::under_review, agency, {}), (Events{E::reapprove, E::retire}));
    EXPECT_TRUE(l.available(S::retired, agency, {}).empty());
    for (auto s : d::all_community_plan_statuses())
        EXPECT_TRUE(l.available(s, d::Relationship::team_member, {}).empty()) << d::code(s);
    EXPECT_EQ(l.event_to(S::under_review, S::approved), E::reapprove);
    EXPECT_EQ(l.event_to(S::in_development, S::approved), E::approve);
    EXPECT_FALSE(l.event_to(S::retired, S::approved));
}

TEST(CommunityPlanLifecycle, ItsTableInMarkdown) {
    const auto& l = d::community_plan_lifecycle();
    EXPECT_EQ(l.name(), "community_plan");
    const std::string md = l.markdown();
    for (const auto& m : plan_moves()) {
        const std::string row = "| `" + std::string(d::code(m.from)) + "` | `" + std::string(d::code(m.event)) + "` | `" +
                                std::string(d::code(m.to)) + "` | coordinating_agency | — |";
        EXPECT_NE(md.find(row), std::string::npos) << row << "\n" << md;
    }
}

TEST(CommunityPlanLifecycle, TheDocsShowTheTable) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/NETWORK.md");
    ASSERT_TRUE(in) << "docs/NETWORK.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::community_plan_lifecycle().markdown()), std::string::npos)
        << "docs/NETWORK.md should hold this table:\n"
        << d::community_plan_lifecycle().markdown();
}
