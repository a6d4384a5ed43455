// The network's governance domain (features/governance/domain/governance.hpp): each form field by
// field (a committee, a member, a meeting, its minutes, a logged decision, the decisions log's
// filter, a yearly report), the codes, the three lifecycle tables pair by pair (every state and
// event allowed or refused on purpose, who may, the guards), the facts the meeting's guard reads,
// when a decision is overdue or reminded at their boundaries, the text every member signs, and
// the tables as docs/GOVERNANCE.md shows them.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "features/governance/domain/governance.hpp"

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

// Every relationship but those named.
std::vector<d::Relationship> others_than(std::initializer_list<d::Relationship> allowed) {
    std::vector<d::Relationship> out;
    for (auto r : {d::Relationship::none, d::Relationship::assigned_coordinator, d::Relationship::team_member,
                   d::Relationship::coordinating_agency, d::Relationship::privacy_officer, d::Relationship::family_of,
                   d::Relationship::self})
        if (std::find(allowed.begin(), allowed.end(), r) == allowed.end()) out.push_back(r);
    return out;
}

}  // namespace

// ---------------------------------------------------------------- committees

namespace {

d::CommitteeForm good_committee() {
    return {"Table de concertation CSP Démo", "Demo CSP steering group", "steering_group",
            "Steer coordinated service planning in the area."};
}

std::vector<std::string> errors_of(const d::CommitteeForm& f) {
    d::Committee c;
    return fields_of(d::validate(f, c));
}

}  // namespace

TEST(CommitteeForm, AGoodFormFillsTheCommittee) {
    auto f = good_committee();
    f.name_fr = "  Table de concertation CSP Démo ";
    f.mandate = "First line\r\nSecond line\rThird";
    d::Committee c;
    ASSERT_EQ(fields_of(d::validate(f, c)), none);
    EXPECT_EQ(c.name_fr, "Table de concertation CSP Démo");
    EXPECT_EQ(c.name_en, "Demo CSP steering group");
    EXPECT_EQ(c.kind, d::CommitteeKind::steering_group);
    EXPECT_EQ(c.mandate, "First line\nSecond line\nThird");
}

TEST(CommitteeForm, BothNamesAreRequiredOneLineAndBounded) {
    auto f = good_committee();
    f.name_fr = "";
    f.name_en = "  ";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"name_fr:field.required", "name_en:field.required"}));
    f = good_committee();
    f.name_en = std::string(d::max_governance_name_length + 1, 'a');
    d::Committee c;
    const auto e = d::validate(f, c);
    ASSERT_EQ(fields_of(e), one("name_en:field.too_long"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"200"});
    f.name_en = std::string(d::max_governance_name_length, 'a');
    EXPECT_EQ(errors_of(f), none);
    f.name_fr = "Table\nde concertation";
    EXPECT_EQ(errors_of(f), one("name_fr:field.invalid_text")) << "a name is one line";
}

TEST(CommitteeForm, TheKindIsRequiredAndKnown) {
    auto f = good_committee();
    f.kind = "";
    EXPECT_EQ(errors_of(f), one("kind:field.required"));
    f.kind = "board";
    EXPECT_EQ(errors_of(f), one("kind:field.choose_from_list"));
    for (const char* kind : {"steering_group", "governance_table", "working_group"}) {
        f.kind = kind;
        d::Committee c;
        EXPECT_EQ(fields_of(d::validate(f, c)), none) << kind;
        EXPECT_EQ(d::code(c.kind), kind);
    }
}

TEST(CommitteeForm, TheMandateIsOptionalAndBounded) {
    auto f = good_committee();
    f.mandate = "";
    EXPECT_EQ(errors_of(f), none);
    f.mandate = std::string(d::max_governance_text_length, 'a');
    EXPECT_EQ(errors_of(f), none);
    f.mandate += "a";
    EXPECT_EQ(errors_of(f), one("mandate:field.too_long"));
    f.mandate = std::string("bell\a");
    EXPECT_EQ(errors_of(f), one("mandate:field.invalid_text"));
}

// ---------------------------------------------------------------- members

namespace {

d::CommitteeMemberForm good_member() {
    return {"12", "Camille Tremblay", "Directrice générale", "Camille.Tremblay@example.org"};
}

std::vector<std::string> errors_of(const d::CommitteeMemberForm& f) {
    d::CommitteeMember m;
    return fields_of(d::validate(f, m));
}

}  // namespace

TEST(CommitteeMemberForm, AGoodFormFillsTheMemberWithTheEmailNormalised) {
    auto f = good_member();
    f.organisation = " 12 ";
    d::CommitteeMember m;
    ASSERT_EQ(fields_of(d::validate(f, m)), none);
    EXPECT_EQ(m.organisation, 12);
    EXPECT_EQ(m.representative, "Camille Tremblay");
    EXPECT_EQ(m.title, "Directrice générale");
    ASSERT_TRUE(m.email);
    EXPECT_EQ(*m.email, "camille.tremblay@example.org");
}

TEST(CommitteeMemberForm, AnOrganisationIsRequiredAndAnId) {
    auto f = good_member();
    f.organisation = "";
    EXPECT_EQ(errors_of(f), one("organisation:field.required"));
    for (const char* bad : {"blue-river", "0", "-3", "1.5"}) {
        f.organisation = bad;
        EXPECT_EQ(errors_of(f), one("organisation:field.choose_from_list")) << bad;
    }
}

TEST(CommitteeMemberForm, TheRepresentativeIsRequiredAndBoundedTheTitleOptional) {
    auto f = good_member();
    f.representative = " ";
    EXPECT_EQ(errors_of(f), one("representative:field.required"));
    f.representative = std::string(d::max_governance_name_length + 1, 'a');
    EXPECT_EQ(errors_of(f), one("representative:field.too_long"));
    f.representative = std::string(d::max_governance_name_length, 'a');
    EXPECT_EQ(errors_of(f), none);
    f.title = "";
    EXPECT_EQ(errors_of(f), none);
    f.title = std::string(d::max_governance_name_length + 1, 'a');
    EXPECT_EQ(errors_of(f), one("title:field.too_long"));
}

TEST(CommitteeMemberForm, TheEmailIsOptionalAndWellFormedWhenGiven) {
    auto f = good_member();
    f.email = "";
    d::CommitteeMember m;
    m.email = "stale@example.org";
    ASSERT_EQ(fields_of(d::validate(f, m)), none);
    EXPECT_FALSE(m.email) << "none given: none kept";
    for (const char* bad : {"camille", "camille@", "@example.org", "camille tremblay@example.org"}) {
        f.email = bad;
        EXPECT_EQ(errors_of(f), one("email:field.email")) << bad;
    }
}

TEST(CommitteeMemberForm, EveryFieldWrongAtOnceNamesEachField) {
    EXPECT_EQ(errors_of(d::CommitteeMemberForm{"x", "", std::string(201, 'a'), "nope"}),
              (std::vector<std::string>{"organisation:field.choose_from_list", "representative:field.required",
                                        "title:field.too_long", "email:field.email"}));
}

// ---------------------------------------------------------------- meetings and minutes

namespace {

d::CommitteeMeetingForm good_meeting() {
    return {"2026-03-12", "Salle du conseil, Sudbury", "1. Adoption of the agenda\n2. Referral pathways"};
}

std::vector<std::string> errors_of(const d::CommitteeMeetingForm& f) {
    d::CommitteeMeeting m;
    return fields_of(d::validate(f, m));
}

std::vector<std::string> errors_of(const d::MinutesForm& f) {
    d::Minutes m;
    return fields_of(d::validate(f, m));
}

}  // namespace

TEST(CommitteeMeetingForm, AGoodFormFillsTheMeeting) {
    d::CommitteeMeeting m;
    ASSERT_EQ(fields_of(d::validate(good_meeting(), m)), none);
    EXPECT_EQ(m.held_on.iso(), "2026-03-12");
    EXPECT_EQ(m.location, "Salle du conseil, Sudbury");
    EXPECT_EQ(m.agenda, "1. Adoption of the agenda\n2. Referral pathways");
}

TEST(CommitteeMeetingForm, ItsDayIsRequiredAndReal) {
    auto f = good_meeting();
    f.held_on = "";
    EXPECT_EQ(errors_of(f), one("held_on:field.required"));
    for (const char* bad : {"2026-02-30", "12/03/2026", "2026-3-12"}) {
        f.held_on = bad;
        EXPECT_EQ(errors_of(f), one("held_on:people.invalid_date")) << bad;
    }
    f.held_on = "2020-01-01";
    EXPECT_EQ(errors_of(f), none) << "a past meeting may be recorded";
}

TEST(CommitteeMeetingForm, ThePlaceIsOptionalOneLineTheAgendaRequired) {
    auto f = good_meeting();
    f.location = "";
    EXPECT_EQ(errors_of(f), none);
    f.location = std::string(d::max_governance_name_length + 1, 'a');
    EXPECT_EQ(errors_of(f), one("location:field.too_long"));
    f = good_meeting();
    f.agenda = " \r\n ";
    EXPECT_EQ(errors_of(f), one("agenda:field.required"));
    f.agenda = std::string(d::max_governance_text_length, 'a');
    EXPECT_EQ(errors_of(f), none);
    f.agenda += "a";
    EXPECT_EQ(errors_of(f), one("agenda:field.too_long"));
}

TEST(MinutesForm, TheMinutesWithEachOrganisationPresentOnceAscending) {
    d::Minutes m;
    m.present = {99};
    ASSERT_EQ(fields_of(d::validate(d::MinutesForm{"Agenda adopted.\r\nPathways reviewed.", {"12", " 3 ", "12", "", "7"}}, m)),
              none);
    EXPECT_EQ(m.minutes, "Agenda adopted.\nPathways reviewed.");
    EXPECT_EQ(m.present, (std::vector<std::int64_t>{3, 7, 12})) << "nothing carried over, each once";
}

TEST(MinutesForm, AtLeastOneOrganisationPresent) {
    EXPECT_EQ(errors_of(d::MinutesForm{"Agenda adopted.", {}}), one("present:governance.attendance_required"));
    EXPECT_EQ(errors_of(d::MinutesForm{"Agenda adopted.", {"", "  "}}), one("present:governance.attendance_required"))
        << "blanks are nobody";
    EXPECT_EQ(errors_of(d::MinutesForm{"Agenda adopted.", {"4"}}), none);
}

TEST(MinutesForm, AnythingPresentThatIsNotAnIdIsRefused) {
    for (const char* bad : {"blue-river", "0", "-2"}) {
        EXPECT_EQ(errors_of(d::MinutesForm{"Agenda adopted.", {"4", bad}}), one("present:field.choose_from_list")) << bad;
        EXPECT_EQ(errors_of(d::MinutesForm{"Agenda adopted.", {bad}}), one("present:field.choose_from_list"))
            << bad << ": an unknown organisation, not a missing one";
    }
}

TEST(MinutesForm, TheMinutesAreRequiredAndBounded) {
    EXPECT_EQ(errors_of(d::MinutesForm{"", {"4"}}), one("minutes:field.required"));
    EXPECT_EQ(errors_of(d::MinutesForm{std::string(d::max_governance_text_length, 'a'), {"4"}}), none);
    EXPECT_EQ(errors_of(d::MinutesForm{std::string(d::max_governance_text_length + 1, 'a'), {"4"}}),
              one("minutes:field.too_long"));
    EXPECT_EQ(errors_of(d::MinutesForm{"", {}}),
              (std::vector<std::string>{"minutes:field.required", "present:governance.attendance_required"}));
}

// ---------------------------------------------------------------- logged decisions

namespace {

const Date log_today = {2026, 3, 10};

d::DecisionLogForm good_decision() {
    return {"5",          "2026-03-05", "Adopt the shared referral pathway.", "The steering group, by consensus", "12",
            "Luc Gagnon", "2026-06-30"};
}

std::vector<std::string> errors_of(const d::DecisionLogForm& f) {
    d::LoggedDecision out;
    return fields_of(d::validate(f, log_today, out));
}

}  // namespace

TEST(DecisionLogForm, AGoodFormFillsTheDecision) {
    d::LoggedDecision out;
    ASSERT_EQ(fields_of(d::validate(good_decision(), log_today, out)), none);
    EXPECT_EQ(out.meeting, std::optional<std::int64_t>(5));
    EXPECT_EQ(out.decided_on.iso(), "2026-03-05");
    EXPECT_EQ(out.decision, "Adopt the shared referral pathway.");
    EXPECT_EQ(out.decided_by, "The steering group, by consensus");
    EXPECT_EQ(out.owner, 12);
    EXPECT_EQ(out.owner_person, "Luc Gagnon");
    EXPECT_EQ(out.due_on.iso(), "2026-06-30");
}

TEST(DecisionLogForm, TheMeetingIsOptionalAndAnIdWhenGiven) {
    auto f = good_decision();
    f.meeting = " ";
    d::LoggedDecision out;
    out.meeting = 9;
    ASSERT_EQ(fields_of(d::validate(f, log_today, out)), none);
    EXPECT_FALSE(out.meeting) << "none given: none kept";
    for (const char* bad : {"march", "0", "-5"}) {
        f.meeting = bad;
        EXPECT_EQ(errors_of(f), one("meeting:field.choose_from_list")) << bad;
    }
}

TEST(DecisionLogForm, DecidedOnARealDayNotAfterToday) {
    auto f = good_decision();
    f.decided_on = "";
    EXPECT_EQ(errors_of(f), one("decided_on:field.required"));
    f.decided_on = "2026-02-29";
    EXPECT_EQ(errors_of(f), one("decided_on:people.invalid_date"));
    f.decided_on = "2026-03-11";
    EXPECT_EQ(errors_of(f), one("decided_on:governance.decided_in_future"));
    f.decided_on = "2026-03-10";
    EXPECT_EQ(errors_of(f), none) << "today";
}

TEST(DecisionLogForm, TheDecisionAndWhoDecidedAreRequiredAndBounded) {
    auto f = good_decision();
    f.decision = "";
    f.decided_by = "";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"decision:field.required", "decided_by:field.required"}));
    f = good_decision();
    f.decision = std::string(d::max_decision_text_length, 'a');
    f.decided_by = std::string(d::max_governance_name_length, 'a');
    EXPECT_EQ(errors_of(f), none);
    f.decision += "a";
    f.decided_by += "a";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"decision:field.too_long", "decided_by:field.too_long"}));
    f = good_decision();
    f.decision = "Adopt it.\nReview in June.";
    EXPECT_EQ(errors_of(f), none) << "the decision may run over lines";
    f.decided_by = "The group,\nby consensus";
    EXPECT_EQ(errors_of(f), one("decided_by:field.invalid_text")) << "who decided is one line";
}

TEST(DecisionLogForm, AFollowUpOwnerIsRequiredAndAnId) {
    auto f = good_decision();
    f.owner = "";
    EXPECT_EQ(errors_of(f), one("owner:governance.owner_required"));
    for (const char* bad : {"blue-river", "0"}) {
        f.owner = bad;
        EXPECT_EQ(errors_of(f), one("owner:field.choose_from_list")) << bad;
    }
}

TEST(DecisionLogForm, ThePersonIsOptionalAndBounded) {
    auto f = good_decision();
    f.owner_person = "";
    EXPECT_EQ(errors_of(f), none);
    f.owner_person = std::string(d::max_governance_name_length + 1, 'a');
    EXPECT_EQ(errors_of(f), one("owner_person:field.too_long"));
}

TEST(DecisionLogForm, TheDueDateIsRequiredAndNotBeforeTheDayDecided) {
    auto f = good_decision();
    f.due_on = "";
    EXPECT_EQ(errors_of(f), one("due_on:field.required"));
    f.due_on = "2026-13-01";
    EXPECT_EQ(errors_of(f), one("due_on:people.invalid_date"));
    f.due_on = "2026-03-04";
    EXPECT_EQ(errors_of(f), one("due_on:governance.due_before_decision"));
    f.due_on = "2026-03-05";
    EXPECT_EQ(errors_of(f), none) << "due the day it was decided";
    f.due_on = "2026-01-01";
    f.decided_on = "";
    EXPECT_EQ(errors_of(f), one("decided_on:field.required")) << "no order to check without the day decided";
}

TEST(DecisionLogForm, EveryFieldWrongAtOnceNamesEachField) {
    EXPECT_EQ(errors_of(d::DecisionLogForm{"x", "2027-01-01", "", "", "", std::string(201, 'a'), "2026-12-31"}),
              (std::vector<std::string>{"meeting:field.choose_from_list", "decided_on:governance.decided_in_future",
                                        "decision:field.required", "decided_by:field.required", "owner:governance.owner_required",
                                        "owner_person:field.too_long", "due_on:governance.due_before_decision"}));
}

// ---------------------------------------------------------------- the decisions log's filter

TEST(DecisionLogQuery, NoFilterIsEveryDecision) {
    d::DecisionLogFilter out;
    ASSERT_EQ(fields_of(d::validate(d::DecisionLogQuery{}, out)), none);
    EXPECT_FALSE(out.committee);
    EXPECT_FALSE(out.owner);
    EXPECT_FALSE(out.status);
    EXPECT_FALSE(out.overdue_only);
    EXPECT_FALSE(out.due_soon);
}

TEST(DecisionLogQuery, EachFilterIsParsedAndNoneCarriesOver) {
    d::DecisionLogFilter out;
    ASSERT_EQ(fields_of(d::validate(d::DecisionLogQuery{" 3 ", "in_progress", "12", "overdue"}, out)), none);
    EXPECT_EQ(out.committee, std::optional<std::int64_t>(3));
    EXPECT_EQ(out.status, d::DecisionStatus::in_progress);
    EXPECT_EQ(out.owner, std::optional<std::int64_t>(12));
    EXPECT_TRUE(out.overdue_only);
    EXPECT_FALSE(out.due_soon);
    ASSERT_EQ(fields_of(d::validate(d::DecisionLogQuery{"", "", "", "soon"}, out)), none);
    EXPECT_FALSE(out.committee);
    EXPECT_FALSE(out.status);
    EXPECT_FALSE(out.owner);
    EXPECT_FALSE(out.overdue_only);
    EXPECT_TRUE(out.due_soon);
    ASSERT_EQ(fields_of(d::validate(d::DecisionLogQuery{}, out)), none);
    EXPECT_FALSE(out.due_soon);
    for (auto s : d::all_decision_statuses()) {
        ASSERT_EQ(fields_of(d::validate(d::DecisionLogQuery{"", std::string(d::code(s)), "", ""}, out)), none);
        EXPECT_EQ(out.status, s);
    }
}

TEST(DecisionLogQuery, AnUnknownValueIsAnErrorOnItsOwnField) {
    d::DecisionLogFilter out;
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"steering", "", "", ""}, out)), one("committee:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"0", "", "", ""}, out)), one("committee:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"", "pending", "", ""}, out)), one("status:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"", "Open", "", ""}, out)), one("status:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"", "", "blue-river", ""}, out)), one("owner:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"", "", "", "late"}, out)), one("due:field.choose_from_list"));
    EXPECT_FALSE(out.overdue_only);
    EXPECT_FALSE(out.due_soon);
    EXPECT_EQ(fields_of(d::validate(d::DecisionLogQuery{"x", "y", "z", "w"}, out)),
              (std::vector<std::string>{"committee:field.choose_from_list", "status:field.choose_from_list",
                                        "owner:field.choose_from_list", "due:field.choose_from_list"}));
}

// ---------------------------------------------------------------- yearly reports

namespace {

const Date report_today = {2026, 3, 10};

d::YearlyReportForm good_report() {
    return {"2025", "Six meetings; the referral pathway adopted.", "Wait times down.", "Rural transport.",
            "French-language services."};
}

std::vector<std::string> errors_of(const d::YearlyReportForm& f) {
    d::YearlyReportBody out;
    return fields_of(d::validate(f, report_today, out));
}

}  // namespace

TEST(YearlyReportForm, AGoodFormFillsTheReport) {
    d::YearlyReportBody out;
    auto f = good_report();
    f.activities = "Six meetings;\r\nthe referral pathway adopted.";
    ASSERT_EQ(fields_of(d::validate(f, report_today, out)), none);
    EXPECT_EQ(out.year, 2025);
    EXPECT_EQ(out.activities, "Six meetings;\nthe referral pathway adopted.");
    EXPECT_EQ(out.achievements, "Wait times down.");
    EXPECT_EQ(out.challenges, "Rural transport.");
    EXPECT_EQ(out.priorities, "French-language services.");
}

TEST(YearlyReportForm, AYearFrom2000ToTheCurrentOne) {
    auto f = good_report();
    for (const char* year : {"2000", "2026", " 2013 "}) {
        f.year = year;
        EXPECT_EQ(errors_of(f), none) << year;
    }
    for (const char* bad : {"1999", "2027", "20x6", "2025.5", "-2025"}) {
        f.year = bad;
        d::YearlyReportBody out;
        const auto e = d::validate(f, report_today, out);
        ASSERT_EQ(fields_of(e), one("year:field.number_between")) << bad;
        EXPECT_EQ(e[0].args, (std::vector<std::string>{"2000", "2026"}));
    }
    f.year = "";
    EXPECT_EQ(errors_of(f), one("year:field.required"));
}

TEST(YearlyReportForm, TheActivitiesAreRequiredTheOtherSectionsOptional) {
    auto f = good_report();
    f.activities = "";
    EXPECT_EQ(errors_of(f), one("activities:field.required"));
    f = good_report();
    f.achievements = f.challenges = f.priorities = "";
    EXPECT_EQ(errors_of(f), none);
}

TEST(YearlyReportForm, EachSectionIsBounded) {
    auto f = good_report();
    f.activities = f.achievements = f.challenges = f.priorities = std::string(d::max_governance_text_length, 'a');
    EXPECT_EQ(errors_of(f), none);
    f.activities = f.achievements = f.challenges = f.priorities = std::string(d::max_governance_text_length + 1, 'a');
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"activities:field.too_long", "achievements:field.too_long",
                                                      "challenges:field.too_long", "priorities:field.too_long"}));
}

// ---------------------------------------------------------------- what every member signs

namespace {

d::YearlyReportBody body() {
    return {2025, "Six meetings.", "Wait times down.", "Rural transport.", "French-language services."};
}

d::YearlyReportFigures figures() {
    return {7, 6, 11, 8, 3};
}

std::string canonical(const d::YearlyReportBody& b, const d::YearlyReportFigures& f) {
    return d::yearly_report_canonical("Table de concertation Démo", "Demo steering group", b, f);
}

}  // namespace

TEST(YearlyReportCanonical, TheSameReportReadsTheSameAndHoldsEverything) {
    const std::string text = canonical(body(), figures());
    EXPECT_EQ(text, canonical(body(), figures()));
    for (const char* part : {"Table de concertation Démo", "Demo steering group", "2025", "Six meetings.", "Wait times down.",
                             "Rural transport.", "French-language services."})
        EXPECT_NE(text.find(part), std::string::npos) << part;
    for (const char* line : {"\nyear: 2025\n", "\nmembers: 7\n", "\nmeetings_held: 6\n", "\ndecisions_made: 11\n",
                             "\ndecisions_done: 8\n", "\ndecisions_open: 3\n"})
        EXPECT_NE(text.find(line), std::string::npos) << line;
}

TEST(YearlyReportCanonical, AnyChangeOfNameSectionOrFigureChangesTheText) {
    const std::string base = canonical(body(), figures());
    EXPECT_NE(d::yearly_report_canonical("Table de concertation Démo.", "Demo steering group", body(), figures()), base);
    EXPECT_NE(d::yearly_report_canonical("Table de concertation Démo", "Demo steering group ", body(), figures()), base);

    using Edit = void (*)(d::YearlyReportBody&);
    for (Edit edit : std::initializer_list<Edit>{
             [](d::YearlyReportBody& b) { b.year = 2024; },
             [](d::YearlyReportBody& b) { b.activities += " "; },
             [](d::YearlyReportBody& b) { b.achievements = ""; },
             [](d::YearlyReportBody& b) { b.challenges = "Rural transport!"; },
             [](d::YearlyReportBody& b) { b.priorities += "\n"; },
         }) {
        auto b = body();
        edit(b);
        EXPECT_NE(canonical(b, figures()), base);
    }

    using Count = int d::YearlyReportFigures::*;
    for (Count count :
         {&d::YearlyReportFigures::members, &d::YearlyReportFigures::meetings_held, &d::YearlyReportFigures::decisions_made,
          &d::YearlyReportFigures::decisions_done, &d::YearlyReportFigures::decisions_open}) {
        auto f = figures();
        f.*count += 1;
        EXPECT_NE(canonical(body(), f), base);
    }
}

TEST(YearlyReportCanonical, TextMovedBetweenSectionsIsAnotherReport) {
    // Written as plain "key: text" lines, these pairs would read the same: a section ending in a
    // line that looks like the next key. Each section's length in front tells them apart.
    auto a = body();
    a.activities = "Six meetings.\nachievements: Wait times down.";
    a.achievements = "Fewer families waiting.";
    auto b = body();
    b.activities = "Six meetings.";
    b.achievements = "Wait times down.\nachievements: Fewer families waiting.";
    EXPECT_NE(canonical(a, figures()), canonical(b, figures()));

    EXPECT_NE(d::yearly_report_canonical("A\ncommittee_name_en: B", "C", body(), figures()),
              d::yearly_report_canonical("A", "B\ncommittee_name_en: C", body(), figures()));
}

// ---------------------------------------------------------------- codes

TEST(GovernanceCodes, EveryCodeParsesBackAndUnknownOnesDoNot) {
    for (auto k : d::all_committee_kinds()) EXPECT_EQ(d::parse_committee_kind(d::code(k)), k);
    for (auto s : d::all_meeting_statuses()) EXPECT_EQ(d::parse_meeting_status(d::code(s)), s);
    for (auto e : d::all_meeting_events()) EXPECT_EQ(d::parse_meeting_event(d::code(e)), e);
    for (auto s : d::all_decision_statuses()) EXPECT_EQ(d::parse_decision_status(d::code(s)), s);
    for (auto e : d::all_decision_events()) EXPECT_EQ(d::parse_decision_event(d::code(e)), e);
    for (auto s : d::all_yearly_report_statuses()) EXPECT_EQ(d::parse_yearly_report_status(d::code(s)), s);
    for (auto e : d::all_yearly_report_events()) EXPECT_EQ(d::parse_yearly_report_event(d::code(e)), e);
    EXPECT_EQ(d::all_committee_kinds().size(), 3u);
    EXPECT_EQ(d::all_meeting_statuses().size(), 4u);
    EXPECT_EQ(d::all_meeting_events().size(), 3u);
    EXPECT_EQ(d::all_decision_statuses().size(), 4u);
    EXPECT_EQ(d::all_decision_events().size(), 4u);
    EXPECT_EQ(d::all_yearly_report_statuses().size(), 3u);
    EXPECT_EQ(d::all_yearly_report_events().size(), 3u);
    EXPECT_FALSE(d::parse_committee_kind("Steering_group"));
    EXPECT_FALSE(d::parse_meeting_status(""));
    EXPECT_FALSE(d::parse_meeting_event("approve"));
    EXPECT_FALSE(d::parse_decision_status("pending"));
    EXPECT_FALSE(d::parse_decision_event("finish"));
    EXPECT_FALSE(d::parse_yearly_report_status("signed"));
    EXPECT_FALSE(d::parse_yearly_report_event("sign"));
}

TEST(GovernanceCodes, TheCodesTheDatabaseAccepts) {
    // The CHECK constraints of V026__governance.sql list these codes: a renamed one would be
    // refused by the database, not by the table.
    std::vector<std::string_view> codes;
    for (auto k : d::all_committee_kinds()) codes.push_back(d::code(k));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"steering_group", "governance_table", "working_group"}));
    codes.clear();
    for (auto s : d::all_meeting_statuses()) codes.push_back(d::code(s));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"scheduled", "held", "minutes_approved", "cancelled"}));
    codes.clear();
    for (auto s : d::all_decision_statuses()) codes.push_back(d::code(s));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"open", "in_progress", "done", "cancelled"}));
    codes.clear();
    for (auto s : d::all_yearly_report_statuses()) codes.push_back(d::code(s));
    EXPECT_EQ(codes, (std::vector<std::string_view>{"draft", "circulating", "submitted"}));
}

// ---------------------------------------------------------------- the lifecycles

namespace {

template <typename S, typename E>
struct Move {
    S from;
    E event;
    S to;
};

template <typename S, typename E>
const Move<S, E>* allowed(const std::vector<Move<S, E>>& moves, S from, E event) {
    for (const auto& m : moves)
        if (m.from == from && m.event == event) return &m;
    return nullptr;
}

template <typename S, typename E>
std::string trace(S from, E event) {
    return std::string(d::code(from)) + " --" + std::string(d::code(event)) + "-->";
}

// Every pair of the table, fired by `who` with facts under which every guard holds: the moves
// listed go where they say, every other pair is refused as not from that state.
template <typename L, typename S, typename E, typename F>
void every_pair(const L& l, const std::vector<Move<S, E>>& moves, const std::vector<S>& states, const std::vector<E>& events,
                d::Relationship who, const F& facts) {
    EXPECT_EQ(l.rows().size(), moves.size());
    for (auto from : states)
        for (auto event : events) {
            SCOPED_TRACE(trace(from, event));
            const auto fired = l.fire(from, event, who, facts);
            if (const auto* m = allowed(moves, from, event)) {
                ASSERT_TRUE(fired) << fired.error().message_key;
                EXPECT_EQ(fired.value()->to, m->to);
            } else {
                ASSERT_FALSE(fired);
                EXPECT_EQ(fired.error().code, Errc::Conflict);
                EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
            }
        }
}

// The move, fired by each of `who` with its guard holding, is not theirs to make.
template <typename S, typename E, typename F>
void refused_to(const d::Lifecycle<S, E, F>& l, S from, E event, const std::vector<d::Relationship>& who, const F& facts) {
    for (auto w : who) {
        SCOPED_TRACE(trace(from, event) + " by " + std::string(d::code(w)));
        const auto fired = l.fire(from, event, w, facts);
        ASSERT_FALSE(fired);
        EXPECT_EQ(fired.error().code, Errc::Forbidden);
    }
}

using MeetingMove = Move<d::MeetingStatus, d::MeetingEvent>;
using DecisionMove = Move<d::DecisionStatus, d::DecisionEvent>;
using ReportMove = Move<d::YearlyReportStatus, d::YearlyReportEvent>;

// The tables as the header states them.
const std::vector<MeetingMove>& meeting_moves() {
    using S = d::MeetingStatus;
    using E = d::MeetingEvent;
    static const std::vector<MeetingMove> v = {
        {S::scheduled, E::hold, S::held},
        {S::held, E::approve_minutes, S::minutes_approved},
        {S::scheduled, E::cancel, S::cancelled},
    };
    return v;
}

const std::vector<DecisionMove>& decision_moves() {
    using S = d::DecisionStatus;
    using E = d::DecisionEvent;
    static const std::vector<DecisionMove> v = {
        {S::open, E::start, S::in_progress},  {S::open, E::complete, S::done},    {S::in_progress, E::complete, S::done},
        {S::done, E::reopen, S::in_progress}, {S::open, E::cancel, S::cancelled}, {S::in_progress, E::cancel, S::cancelled},
    };
    return v;
}

const std::vector<ReportMove>& report_moves() {
    using S = d::YearlyReportStatus;
    using E = d::YearlyReportEvent;
    static const std::vector<ReportMove> v = {
        {S::draft, E::circulate, S::circulating},
        {S::circulating, E::reopen, S::draft},
        {S::circulating, E::submit, S::submitted},
    };
    return v;
}

}  // namespace

// A meeting.

TEST(MeetingLifecycle, EveryStateAndEventIsAllowedOrRefusedOnPurpose) {
    every_pair(d::meeting_lifecycle(), meeting_moves(), d::all_meeting_statuses(), d::all_meeting_events(),
               d::Relationship::coordinating_agency, d::MeetingFacts{true});
}

TEST(MeetingLifecycle, RowByRowWithTheAgency) {
    using S = d::MeetingStatus;
    using E = d::MeetingEvent;
    const auto& l = d::meeting_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const d::MeetingFacts came{true};
    EXPECT_EQ(l.fire(S::scheduled, E::hold, agency, came).value()->to, S::held);
    EXPECT_EQ(l.fire(S::held, E::approve_minutes, agency, came).value()->to, S::minutes_approved);
    EXPECT_EQ(l.fire(S::held, E::approve_minutes, agency, {false}).value()->to, S::minutes_approved) << "no guard";
    EXPECT_EQ(l.fire(S::scheduled, E::cancel, agency, came).value()->to, S::cancelled);
    EXPECT_EQ(l.fire(S::scheduled, E::cancel, agency, {false}).value()->to, S::cancelled) << "before its day too";
    EXPECT_EQ(l.fire(S::scheduled, E::approve_minutes, agency, came).error().message_key, "lifecycle.not_from_state")
        << "held first";
    EXPECT_EQ(l.fire(S::held, E::cancel, agency, came).error().message_key, "lifecycle.not_from_state")
        << "a meeting held is not cancelled";
    EXPECT_EQ(l.fire(S::held, E::hold, agency, came).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::cancelled, E::hold, agency, came).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::minutes_approved, E::approve_minutes, agency, came).error().message_key, "lifecycle.not_from_state");
}

TEST(MeetingLifecycle, OnlyTheCoordinatingAgencyMovesAMeeting) {
    for (const auto& m : meeting_moves())
        refused_to(d::meeting_lifecycle(), m.from, m.event, others_than({d::Relationship::coordinating_agency}),
                   d::MeetingFacts{true});
}

TEST(MeetingLifecycle, AMeetingIsHeldOnlyOnceItsDayHasCome) {
    const auto& l = d::meeting_lifecycle();
    const auto early = l.fire(d::MeetingStatus::scheduled, d::MeetingEvent::hold, d::Relationship::coordinating_agency, {false});
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, Errc::Conflict);
    EXPECT_EQ(early.error().message_key, "governance.meeting_not_yet");
    const auto* row = l.find(d::MeetingStatus::scheduled, d::MeetingEvent::hold);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->refused_key, "governance.meeting_not_yet");
    EXPECT_FALSE(row->guard_text.empty());
}

TEST(MeetingLifecycle, WhatTheAgencyMayFireFromEachState) {
    using S = d::MeetingStatus;
    using E = d::MeetingEvent;
    using Events = std::vector<E>;
    const auto& l = d::meeting_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_EQ(l.available(S::scheduled, agency, {false}), (Events{E::cancel}));
    EXPECT_EQ(l.available(S::scheduled, agency, {true}), (Events{E::hold, E::cancel}));
    EXPECT_EQ(l.available(S::held, agency, {true}), (Events{E::approve_minutes}));
    EXPECT_TRUE(l.available(S::minutes_approved, agency, {true}).empty());
    EXPECT_TRUE(l.available(S::cancelled, agency, {true}).empty());
    for (auto s : d::all_meeting_statuses())
        EXPECT_TRUE(l.available(s, d::Relationship::team_member, {true}).empty()) << d::code(s);
}

TEST(MeetingFacts, ItsDayHasComeFromTheDayItself) {
    const Date today = day("2026-03-10");
    EXPECT_FALSE(d::meeting_facts(day("2026-03-11"), today).day_reached);
    EXPECT_FALSE(d::meeting_facts(day("2027-01-01"), today).day_reached);
    EXPECT_TRUE(d::meeting_facts(day("2026-03-10"), today).day_reached) << "today";
    EXPECT_TRUE(d::meeting_facts(day("2026-03-09"), today).day_reached);
    EXPECT_TRUE(d::meeting_facts(day("2020-01-01"), today).day_reached);
}

// A decision.

TEST(DecisionLifecycle, EveryStateAndEventIsAllowedOrRefusedOnPurpose) {
    every_pair(d::decision_lifecycle(), decision_moves(), d::all_decision_statuses(), d::all_decision_events(),
               d::Relationship::coordinating_agency, std::monostate{});
}

TEST(DecisionLifecycle, RowByRowWithTheAgency) {
    using S = d::DecisionStatus;
    using E = d::DecisionEvent;
    const auto& l = d::decision_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const std::monostate f;
    EXPECT_EQ(l.fire(S::open, E::start, agency, f).value()->to, S::in_progress);
    EXPECT_EQ(l.fire(S::open, E::complete, agency, f).value()->to, S::done);
    EXPECT_EQ(l.fire(S::in_progress, E::complete, agency, f).value()->to, S::done);
    EXPECT_EQ(l.fire(S::done, E::reopen, agency, f).value()->to, S::in_progress);
    EXPECT_EQ(l.fire(S::open, E::cancel, agency, f).value()->to, S::cancelled);
    EXPECT_EQ(l.fire(S::in_progress, E::cancel, agency, f).value()->to, S::cancelled);
    EXPECT_EQ(l.fire(S::in_progress, E::start, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::done, E::cancel, agency, f).error().message_key, "lifecycle.not_from_state") << "done stays done";
    EXPECT_EQ(l.fire(S::cancelled, E::reopen, agency, f).error().message_key, "lifecycle.not_from_state")
        << "a cancelled decision is not reopened";
    EXPECT_EQ(l.fire(S::open, E::reopen, agency, f).error().message_key, "lifecycle.not_from_state");
    for (const auto& r : l.rows()) EXPECT_FALSE(r.guard) << trace(r.from, r.event) << ": no guard";
}

TEST(DecisionLifecycle, TheOwnersTeamStartsAndCompletesOnlyTheAgencyReopensOrCancels) {
    using S = d::DecisionStatus;
    using E = d::DecisionEvent;
    const auto& l = d::decision_lifecycle();
    const auto team = d::Relationship::team_member;
    const std::monostate f;
    EXPECT_EQ(l.fire(S::open, E::start, team, f).value()->to, S::in_progress);
    EXPECT_EQ(l.fire(S::open, E::complete, team, f).value()->to, S::done);
    EXPECT_EQ(l.fire(S::in_progress, E::complete, team, f).value()->to, S::done);
    refused_to(l, S::done, E::reopen, {team}, f);
    refused_to(l, S::open, E::cancel, {team}, f);
    refused_to(l, S::in_progress, E::cancel, {team}, f);
    for (const auto& m : decision_moves()) {
        const bool agency_only = m.event == E::reopen || m.event == E::cancel;
        refused_to(l, m.from, m.event,
                   agency_only ? others_than({d::Relationship::coordinating_agency})
                               : others_than({d::Relationship::coordinating_agency, team}),
                   f);
    }
}

TEST(DecisionLifecycle, WhatEachMayFireFromEachState) {
    using S = d::DecisionStatus;
    using E = d::DecisionEvent;
    using Events = std::vector<E>;
    const auto& l = d::decision_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const auto team = d::Relationship::team_member;
    const std::monostate f;
    EXPECT_EQ(l.available(S::open, agency, f), (Events{E::start, E::complete, E::cancel}));
    EXPECT_EQ(l.available(S::in_progress, agency, f), (Events{E::complete, E::cancel}));
    EXPECT_EQ(l.available(S::done, agency, f), (Events{E::reopen}));
    EXPECT_TRUE(l.available(S::cancelled, agency, f).empty());
    EXPECT_EQ(l.available(S::open, team, f), (Events{E::start, E::complete}));
    EXPECT_EQ(l.available(S::in_progress, team, f), (Events{E::complete}));
    EXPECT_TRUE(l.available(S::done, team, f).empty());
    EXPECT_TRUE(l.available(S::cancelled, team, f).empty());
}

TEST(DecisionLifecycle, ANoteIsRequiredToCompleteReopenOrCancel) {
    using E = d::DecisionEvent;
    std::vector<E> required;
    for (auto e : d::all_decision_events())
        if (d::decision_note_required(e)) required.push_back(e);
    EXPECT_EQ(required, (std::vector<E>{E::complete, E::reopen, E::cancel}));
}

TEST(DecisionLifecycle, PendingIsOpenOrInProgress) {
    using S = d::DecisionStatus;
    std::vector<S> pending;
    for (auto s : d::all_decision_statuses())
        if (d::decision_pending(s)) pending.push_back(s);
    EXPECT_EQ(pending, (std::vector<S>{S::open, S::in_progress}));
}

// A yearly report.

TEST(YearlyReportLifecycle, EveryStateAndEventIsAllowedOrRefusedOnPurpose) {
    every_pair(d::yearly_report_lifecycle(), report_moves(), d::all_yearly_report_statuses(), d::all_yearly_report_events(),
               d::Relationship::coordinating_agency, d::YearlyReportFacts{true, true});
}

TEST(YearlyReportLifecycle, RowByRowWithTheAgency) {
    using S = d::YearlyReportStatus;
    using E = d::YearlyReportEvent;
    const auto& l = d::yearly_report_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_EQ(l.fire(S::draft, E::circulate, agency, {true, false}).value()->to, S::circulating) << "nobody has signed a draft";
    EXPECT_EQ(l.fire(S::circulating, E::reopen, agency, {false, false}).value()->to, S::draft) << "no guard";
    EXPECT_EQ(l.fire(S::circulating, E::submit, agency, {true, true}).value()->to, S::submitted);
    EXPECT_EQ(l.fire(S::draft, E::submit, agency, {true, true}).error().message_key, "lifecycle.not_from_state")
        << "circulated first";
    EXPECT_EQ(l.fire(S::submitted, E::reopen, agency, {true, true}).error().message_key, "lifecycle.not_from_state")
        << "a submitted report is final";
    EXPECT_EQ(l.fire(S::circulating, E::circulate, agency, {true, true}).error().message_key, "lifecycle.not_from_state");
}

TEST(YearlyReportLifecycle, OnlyTheCoordinatingAgencyMovesAReport) {
    for (const auto& m : report_moves())
        refused_to(d::yearly_report_lifecycle(), m.from, m.event, others_than({d::Relationship::coordinating_agency}),
                   d::YearlyReportFacts{true, true});
}

TEST(YearlyReportLifecycle, CirculatedOnlyWithMembersSubmittedOnlyOnceAllHaveSigned) {
    using S = d::YearlyReportStatus;
    using E = d::YearlyReportEvent;
    const auto& l = d::yearly_report_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const auto no_members = l.fire(S::draft, E::circulate, agency, {false, true});
    ASSERT_FALSE(no_members);
    EXPECT_EQ(no_members.error().code, Errc::Conflict);
    EXPECT_EQ(no_members.error().message_key, "governance.no_members");
    const auto unsigned_ = l.fire(S::circulating, E::submit, agency, {true, false});
    ASSERT_FALSE(unsigned_);
    EXPECT_EQ(unsigned_.error().code, Errc::Conflict);
    EXPECT_EQ(unsigned_.error().message_key, "governance.report_unsigned");
}

TEST(YearlyReportLifecycle, WhatTheAgencyMayFireFromEachState) {
    using S = d::YearlyReportStatus;
    using E = d::YearlyReportEvent;
    using Events = std::vector<E>;
    const auto& l = d::yearly_report_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_TRUE(l.available(S::draft, agency, {false, false}).empty());
    EXPECT_EQ(l.available(S::draft, agency, {true, false}), (Events{E::circulate}));
    EXPECT_EQ(l.available(S::circulating, agency, {true, false}), (Events{E::reopen}));
    EXPECT_EQ(l.available(S::circulating, agency, {true, true}), (Events{E::reopen, E::submit}));
    EXPECT_TRUE(l.available(S::submitted, agency, {true, true}).empty());
    for (auto s : d::all_yearly_report_statuses())
        EXPECT_TRUE(l.available(s, d::Relationship::team_member, {true, true}).empty()) << d::code(s);
}

// ---------------------------------------------------------------- overdue and reminders

TEST(DecisionOverdue, PendingAndItsDueDatePassed) {
    using S = d::DecisionStatus;
    const Date today = day("2026-03-10");
    EXPECT_FALSE(d::decision_overdue(S::open, today, today)) << "due today is not late yet";
    EXPECT_TRUE(d::decision_overdue(S::open, day("2026-03-09"), today)) << "a day late";
    EXPECT_TRUE(d::decision_overdue(S::in_progress, day("2026-03-09"), today));
    EXPECT_TRUE(d::decision_overdue(S::open, day("2025-01-01"), today));
    EXPECT_FALSE(d::decision_overdue(S::open, day("2026-03-11"), today));
    for (auto s : {S::done, S::cancelled}) EXPECT_FALSE(d::decision_overdue(s, day("2025-01-01"), today)) << d::code(s);
}

TEST(DecisionReminder, PendingAndDueWithinSevenDaysOrLate) {
    using S = d::DecisionStatus;
    const Date today = day("2026-03-10");
    EXPECT_EQ(arrimage::days_between(today, day("2026-03-17")), 7);
    EXPECT_TRUE(d::decision_reminder_due(S::open, day("2026-03-17"), today)) << "7 days ahead";
    EXPECT_FALSE(d::decision_reminder_due(S::open, day("2026-03-18"), today)) << "8 days ahead";
    EXPECT_TRUE(d::decision_reminder_due(S::open, today, today));
    EXPECT_TRUE(d::decision_reminder_due(S::in_progress, day("2026-03-17"), today));
    EXPECT_TRUE(d::decision_reminder_due(S::in_progress, day("2025-12-01"), today)) << "late";
    for (auto s : {S::done, S::cancelled}) {
        EXPECT_FALSE(d::decision_reminder_due(s, day("2026-03-17"), today)) << d::code(s);
        EXPECT_FALSE(d::decision_reminder_due(s, day("2025-12-01"), today)) << d::code(s);
    }
}

// ---------------------------------------------------------------- the docs

TEST(GovernanceLifecycles, TheDocsShowTheTables) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/GOVERNANCE.md");
    ASSERT_TRUE(in) << "docs/GOVERNANCE.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const std::string& table :
         {d::meeting_lifecycle().markdown(), d::decision_lifecycle().markdown(), d::yearly_report_lifecycle().markdown()})
        EXPECT_NE(doc.find(table), std::string::npos) << "docs/GOVERNANCE.md should hold this table:\n" << table;
}
