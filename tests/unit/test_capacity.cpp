// Capacity building (features/network/domain/capacity.hpp): the codes of its vocabularies and
// which roles a training may be required of; a training's form field by field (titles,
// descriptions, format, hours at their edges and to one decimal, validity, partners merged,
// required when joint and dropped when not); the requirements form (one due-days field per role,
// roles it does not offer refused); a completion (whose, when, never in the future, its note);
// where an obligation stands at each boundary (due up to the due date, overdue the day after,
// expiring soon from 30 days before expiry, lapsed on the expiry day); months added with the day
// clamped to the month's end; and the compliance percentage.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/network/domain/capacity.hpp"

namespace d = arrimage::domain;
using arrimage::Date;

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

// ---------------------------------------------------------------- codes

TEST(CapacityCodes, FormatsRoundTripInOrder) {
    const std::vector<std::string> expected = {"in_person", "online", "hybrid", "self_paced"};
    ASSERT_EQ(d::all_training_formats().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto f = d::all_training_formats()[i];
        EXPECT_EQ(d::code(f), expected[i]);
        EXPECT_EQ(d::parse_training_format(expected[i]), f);
    }
    EXPECT_FALSE(d::parse_training_format(""));
    EXPECT_FALSE(d::parse_training_format("webinar"));
    EXPECT_FALSE(d::parse_training_format("Online"));
}

TEST(CapacityCodes, StandingsRoundTripInOrder) {
    const std::vector<std::string> expected = {"complete", "expiring_soon", "due", "overdue", "lapsed"};
    ASSERT_EQ(d::all_training_standings().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto s = d::all_training_standings()[i];
        EXPECT_EQ(d::code(s), expected[i]);
        EXPECT_EQ(d::parse_training_standing(expected[i]), s);
    }
    EXPECT_FALSE(d::parse_training_standing("expired"));
}

TEST(CapacityCodes, OnlyCompleteAndExpiringSoonAreCompliant) {
    EXPECT_TRUE(d::compliant(d::TrainingStanding::complete));
    EXPECT_TRUE(d::compliant(d::TrainingStanding::expiring_soon));
    EXPECT_FALSE(d::compliant(d::TrainingStanding::due));
    EXPECT_FALSE(d::compliant(d::TrainingStanding::overdue));
    EXPECT_FALSE(d::compliant(d::TrainingStanding::lapsed));
}

TEST(CapacityCodes, TrainableRolesInTheirOrder) {
    const std::vector<d::Role> expected = {d::Role::coordinator, d::Role::participant_staff, d::Role::provider_manager,
                                           d::Role::privacy_officer};
    EXPECT_EQ(d::trainable_roles(), expected);
    for (auto r : expected) EXPECT_TRUE(d::is_trainable(r)) << d::code(r);
    EXPECT_FALSE(d::is_trainable(d::Role::system_admin));
    EXPECT_FALSE(d::is_trainable(d::Role::ca_admin));
    EXPECT_FALSE(d::is_trainable(d::Role::ministry_analyst));
    EXPECT_FALSE(d::is_trainable(d::Role::family));
}

// ---------------------------------------------------------------- the training's terms

d::TrainingForm good_training() {
    d::TrainingForm f;
    f.title_fr = "Planification coordonnée des services : les bases";
    f.title_en = "Coordinated service planning: the basics";
    f.description_fr = "Le rôle du coordonnateur.";
    f.description_en = "The coordinator's role.";
    f.format = "online";
    f.hours = "3";
    f.validity_months = "24";
    return f;
}

std::vector<std::string> training_errors(const d::TrainingForm& f) {
    d::TrainingTerms out;
    return fields_of(d::validate(f, out));
}

TEST(TrainingForm, GoodFormFillsTheTerms) {
    auto f = good_training();
    f.title_en = "  Coordinated service planning: the basics  ";
    f.description_en = "Line one\r\nLine two\rLine three";
    d::TrainingTerms t;
    EXPECT_EQ(fields_of(d::validate(f, t)), none);
    EXPECT_EQ(t.title_fr, "Planification coordonnée des services : les bases");
    EXPECT_EQ(t.title_en, "Coordinated service planning: the basics");
    EXPECT_EQ(t.description_fr, "Le rôle du coordonnateur.");
    EXPECT_EQ(t.description_en, "Line one\nLine two\nLine three");
    EXPECT_EQ(t.format, d::TrainingFormat::online);
    EXPECT_EQ(t.hours_tenths, 30);
    EXPECT_EQ(t.validity_months, 24);
    EXPECT_FALSE(t.joint);
    EXPECT_TRUE(t.partners.empty());
}

TEST(TrainingForm, TitlesRequiredOneLineUpTo200Characters) {
    auto f = good_training();
    f.title_fr = "   ";
    EXPECT_EQ(training_errors(f), one("title_fr:field.required"));
    f = good_training();
    f.title_en = "";
    EXPECT_EQ(training_errors(f), one("title_en:field.required"));
    f = good_training();
    f.title_fr = accented(200);
    EXPECT_EQ(training_errors(f), none);
    f.title_fr = accented(201);
    EXPECT_EQ(training_errors(f), one("title_fr:field.too_long"));
    f = good_training();
    f.title_en = "Two\nlines";
    EXPECT_EQ(training_errors(f), one("title_en:field.invalid_text"));
}

TEST(TrainingForm, DescriptionsOptionalUpTo4000Characters) {
    auto f = good_training();
    f.description_fr = "";
    f.description_en = "";
    EXPECT_EQ(training_errors(f), none);
    f.description_fr = accented(4000);
    f.description_en = accented(4000);
    EXPECT_EQ(training_errors(f), none);
    f.description_fr = accented(4001);
    EXPECT_EQ(training_errors(f), one("description_fr:field.too_long"));
    f.description_fr = "";
    f.description_en = accented(4001);
    EXPECT_EQ(training_errors(f), one("description_en:field.too_long"));
}

TEST(TrainingForm, FormatRequiredFromTheList) {
    auto f = good_training();
    f.format = "";
    EXPECT_EQ(training_errors(f), one("format:field.required"));
    f.format = "webinar";
    EXPECT_EQ(training_errors(f), one("format:field.choose_from_list"));
    for (auto fmt : d::all_training_formats()) {
        f.format = std::string(d::code(fmt));
        d::TrainingTerms t;
        EXPECT_EQ(fields_of(d::validate(f, t)), none);
        EXPECT_EQ(t.format, fmt);
    }
}

TEST(TrainingForm, HoursFromATenthTo200WithOneDecimal) {
    const std::vector<std::pair<std::string, int>> accepted = {
        {"0.1", 1}, {"200", 2000}, {"200.0", 2000}, {"1.5", 15}, {"1,5", 15}, {" 3 ", 30}, {"12", 120}, {"07.5", 75},
    };
    for (const auto& [typed, tenths] : accepted) {
        auto f = good_training();
        f.hours = typed;
        d::TrainingTerms t;
        EXPECT_EQ(fields_of(d::validate(f, t)), none) << typed;
        EXPECT_EQ(t.hours_tenths, tenths) << typed;
    }
    for (const std::string typed :
         {"1.55", "0", "0.0", "0.05", "200.1", "201", "-1", "+1", "1.", ".5", "1 5", "abc", "1e2", "1.5h", "99999999999"}) {
        auto f = good_training();
        f.hours = typed;
        EXPECT_EQ(training_errors(f), one("hours:network.training.hours_invalid")) << typed;
    }
    auto f = good_training();
    f.hours = "  ";
    EXPECT_EQ(training_errors(f), one("hours:field.required"));
}

TEST(TrainingForm, ValidityEmptyMeansNeverElseOneTo120Months) {
    auto f = good_training();
    f.validity_months = "";
    d::TrainingTerms t;
    t.validity_months = 12;  // what the form had before: cleared
    EXPECT_EQ(fields_of(d::validate(f, t)), none);
    EXPECT_FALSE(t.validity_months);

    for (const auto& [typed, months] : std::vector<std::pair<std::string, int>>{{"1", 1}, {"120", 120}, {" 36 ", 36}}) {
        f.validity_months = typed;
        EXPECT_EQ(fields_of(d::validate(f, t)), none) << typed;
        EXPECT_EQ(t.validity_months, months) << typed;
    }
    for (const std::string typed : {"0", "121", "-1", "1.5", "abc", "12 months"}) {
        f.validity_months = typed;
        EXPECT_EQ(training_errors(f), one("validity_months:network.training.validity_invalid")) << typed;
    }
}

TEST(TrainingForm, JointPartnersMergedAscending) {
    auto f = good_training();
    f.joint = "1";
    f.partners = {"12", " 5 ", "", "12", "7", "5"};
    d::TrainingTerms t;
    EXPECT_EQ(fields_of(d::validate(f, t)), none);
    EXPECT_TRUE(t.joint);
    EXPECT_EQ(t.partners, (std::vector<std::int64_t>{5, 7, 12}));
}

TEST(TrainingForm, JointNeedsAtLeastOnePartner) {
    auto f = good_training();
    f.joint = "1";
    EXPECT_EQ(training_errors(f), one("partners:network.training.partners_required"));
    f.partners = {"", "  "};
    EXPECT_EQ(training_errors(f), one("partners:network.training.partners_required"));
}

TEST(TrainingForm, PartnersArePositiveIds) {
    auto f = good_training();
    f.joint = "1";
    for (const std::string bad : {"0", "-3", "abc", "1.5"}) {
        f.partners = {"4", bad};
        EXPECT_EQ(training_errors(f), one("partners:field.choose_from_list")) << bad;
    }
}

TEST(TrainingForm, AtMost40PartnersCountedAfterMerging) {
    auto f = good_training();
    f.joint = "1";
    for (int i = 1; i <= 40; ++i) f.partners.push_back(std::to_string(i));
    f.partners.push_back("40");  // a duplicate is not a 41st
    d::TrainingTerms t;
    EXPECT_EQ(fields_of(d::validate(f, t)), none);
    EXPECT_EQ(t.partners.size(), 40u);
    f.partners.push_back("41");
    EXPECT_EQ(training_errors(f), one("partners:network.training.too_many_partners"));
}

TEST(TrainingForm, PartnersClearedWhenNotJoint) {
    auto f = good_training();
    f.joint = "";
    f.partners = {"3", "not an id"};  // ticked, then the training made single-provider again
    d::TrainingTerms t;
    t.partners = {9};
    EXPECT_EQ(fields_of(d::validate(f, t)), none);
    EXPECT_FALSE(t.joint);
    EXPECT_TRUE(t.partners.empty());
    f.joint = "yes";  // only "1" is a ticked box
    EXPECT_EQ(fields_of(d::validate(f, t)), none);
    EXPECT_FALSE(t.joint);
    EXPECT_TRUE(t.partners.empty());
}

TEST(TrainingForm, EveryFieldWrongAtOnce) {
    d::TrainingForm f;
    f.validity_months = "0";
    f.hours = "1.55";
    f.joint = "1";
    EXPECT_EQ(training_errors(f), (std::vector<std::string>{
                                      "title_fr:field.required",
                                      "title_en:field.required",
                                      "format:field.required",
                                      "hours:network.training.hours_invalid",
                                      "validity_months:network.training.validity_invalid",
                                      "partners:network.training.partners_required",
                                  }));
}

TEST(TrainingForm, HoursWrittenBack) {
    EXPECT_EQ(d::format_hours(15), "1.5");
    EXPECT_EQ(d::format_hours(30), "3");
    EXPECT_EQ(d::format_hours(1), "0.1");
    EXPECT_EQ(d::format_hours(2000), "200");
    EXPECT_EQ(d::format_hours(1999), "199.9");
    // What is written back reads the same once posted again.
    for (int tenths : {1, 9, 10, 15, 105, 1999, 2000}) {
        auto f = good_training();
        f.hours = d::format_hours(tenths);
        d::TrainingTerms t;
        EXPECT_EQ(fields_of(d::validate(f, t)), none) << tenths;
        EXPECT_EQ(t.hours_tenths, tenths);
    }
}

// ---------------------------------------------------------------- requirements

std::vector<d::RequirementForm> requirement_forms(const std::vector<std::string>& due_days) {
    std::vector<d::RequirementForm> in;
    for (std::size_t i = 0; i < d::trainable_roles().size(); ++i)
        in.push_back({std::string(d::code(d::trainable_roles()[i])), i < due_days.size() ? due_days[i] : ""});
    return in;
}

std::vector<std::string> requirement_errors(const std::vector<d::RequirementForm>& in) {
    std::vector<d::Requirement> out;
    return fields_of(d::validate(in, out));
}

TEST(TrainingRequirements, NoneRequiredIsValid) {
    std::vector<d::Requirement> out = {{d::Role::coordinator, 30}};
    EXPECT_EQ(fields_of(d::validate(requirement_forms({}), out)), none);
    EXPECT_TRUE(out.empty());
}

TEST(TrainingRequirements, RequiredRolesInTrainableOrder) {
    // Posted in another order: the result follows trainable_roles().
    const std::vector<d::RequirementForm> in = {
        {"privacy_officer", "730"},
        {"provider_manager", ""},
        {"coordinator", " 1 "},
        {"participant_staff", "90"},
    };
    std::vector<d::Requirement> out;
    EXPECT_EQ(fields_of(d::validate(in, out)), none);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[0].role, d::Role::coordinator);
    EXPECT_EQ(out[0].due_days, 1);
    EXPECT_EQ(out[1].role, d::Role::participant_staff);
    EXPECT_EQ(out[1].due_days, 90);
    EXPECT_EQ(out[2].role, d::Role::privacy_officer);
    EXPECT_EQ(out[2].due_days, 730);
}

TEST(TrainingRequirements, DueDaysFrom1To730NamedByRole) {
    for (const std::string bad : {"0", "731", "-5", "abc", "1.5", "30 days"}) {
        for (std::size_t i = 0; i < d::trainable_roles().size(); ++i) {
            std::vector<std::string> due(d::trainable_roles().size(), "");
            due[i] = bad;
            const std::string field = "due_days_" + std::string(d::code(d::trainable_roles()[i]));
            EXPECT_EQ(requirement_errors(requirement_forms(due)), one(field + ":network.training.due_days_invalid")) << bad;
        }
    }
    EXPECT_EQ(requirement_errors(requirement_forms({"0", "60", "", "999"})),
              (std::vector<std::string>{"due_days_coordinator:network.training.due_days_invalid",
                                        "due_days_privacy_officer:network.training.due_days_invalid"}));
}

TEST(TrainingRequirements, RolesNotOfferedRefused) {
    for (const std::string role : {"ca_admin", "system_admin", "ministry_analyst", "family", "", "teacher"}) {
        auto in = requirement_forms({"30"});
        in.push_back({role, "30"});
        EXPECT_EQ(requirement_errors(in), one("role:field.choose_from_list")) << role;
    }
    // The same role twice is not something the form posts.
    auto in = requirement_forms({"30"});
    in.push_back({"coordinator", "60"});
    EXPECT_EQ(requirement_errors(in), one("role:field.choose_from_list"));
}

// ---------------------------------------------------------------- completions

d::CompletionForm good_completion() {
    return {"42", "2026-05-01", "Certificate on file."};
}

std::vector<std::string> completion_errors(const d::CompletionForm& f) {
    d::CompletionTerms out;
    return fields_of(d::validate(f, today, out));
}

TEST(TrainingCompletion, GoodFormFillsTheTerms) {
    d::CompletionTerms t;
    auto f = good_completion();
    f.note = "  First line\r\nSecond line  ";
    EXPECT_EQ(fields_of(d::validate(f, today, t)), none);
    EXPECT_EQ(t.user, 42);
    EXPECT_EQ(t.completed_on.iso(), "2026-05-01");
    EXPECT_EQ(t.note, "First line\nSecond line");
}

TEST(TrainingCompletion, UserRequiredPositiveId) {
    auto f = good_completion();
    f.user = " ";
    EXPECT_EQ(completion_errors(f), one("user:field.required"));
    for (const std::string bad : {"0", "-1", "abc", "4.2"}) {
        f.user = bad;
        EXPECT_EQ(completion_errors(f), one("user:field.choose_from_list")) << bad;
    }
}

TEST(TrainingCompletion, DateRequiredRealNotInTheFuture) {
    auto f = good_completion();
    f.completed_on = "";
    EXPECT_EQ(completion_errors(f), one("completed_on:field.required"));
    for (const std::string bad : {"2026-02-30", "2026-13-01", "20/05/2026", "yesterday"}) {
        f.completed_on = bad;
        EXPECT_EQ(completion_errors(f), one("completed_on:people.invalid_date")) << bad;
    }
    f.completed_on = today.iso();
    EXPECT_EQ(completion_errors(f), none);
    f.completed_on = "2026-05-21";
    EXPECT_EQ(completion_errors(f), one("completed_on:network.training.completed_in_future"));
    f.completed_on = "2027-01-01";
    EXPECT_EQ(completion_errors(f), one("completed_on:network.training.completed_in_future"));
    f.completed_on = "1999-12-31";
    EXPECT_EQ(completion_errors(f), none);
}

TEST(TrainingCompletion, NoteOptionalUpTo1000Characters) {
    auto f = good_completion();
    f.note = "";
    EXPECT_EQ(completion_errors(f), none);
    f.note = accented(1000);
    EXPECT_EQ(completion_errors(f), none);
    f.note = accented(1001);
    EXPECT_EQ(completion_errors(f), one("note:field.too_long"));
}

// ---------------------------------------------------------------- where an obligation stands

d::Obligation never_completed() {
    d::Obligation o;
    o.required_since = day("2026-01-10");
    o.due_days = 90;  // due by 2026-04-10
    return o;
}

TEST(TrainingObligation, DueUpToTheDueDateOverdueTheDayAfter) {
    const auto o = never_completed();
    auto s = d::obligation_of(o, day("2026-01-10"));
    EXPECT_EQ(s.standing, d::TrainingStanding::due);
    EXPECT_EQ(s.due_by.iso(), "2026-04-10");
    EXPECT_FALSE(s.expires_on);
    EXPECT_EQ(d::obligation_of(o, day("2026-04-10")).standing, d::TrainingStanding::due);
    EXPECT_EQ(d::obligation_of(o, day("2026-04-11")).standing, d::TrainingStanding::overdue);
    EXPECT_EQ(d::obligation_of(o, day("2027-01-01")).standing, d::TrainingStanding::overdue);
    EXPECT_EQ(d::obligation_of(o, day("2026-04-11")).due_by.iso(), "2026-04-10");
}

TEST(TrainingObligation, CompletedWithoutExpiryStaysComplete) {
    auto o = never_completed();
    o.last_completed = day("2026-06-01");  // late, but done
    for (const char* on : {"2026-06-01", "2030-01-01", "2060-12-31"}) {
        const auto s = d::obligation_of(o, day(on));
        EXPECT_EQ(s.standing, d::TrainingStanding::complete) << on;
        EXPECT_FALSE(s.expires_on);
        EXPECT_EQ(s.due_by.iso(), "2026-04-10");
    }
    // A completion from before the requirement existed counts too.
    o.last_completed = day("2020-03-03");
    EXPECT_EQ(d::obligation_of(o, day("2026-05-01")).standing, d::TrainingStanding::complete);
}

TEST(TrainingObligation, ExpiringSoonFrom30DaysBeforeLapsedOnTheExpiryDay) {
    auto o = never_completed();
    o.last_completed = day("2026-03-15");
    o.validity_months = 12;  // expires 2027-03-15; 30 days before is 2027-02-13
    const auto at = [&](const char* on) { return d::obligation_of(o, day(on)); };
    EXPECT_EQ(at("2026-03-15").expires_on->iso(), "2027-03-15");
    EXPECT_EQ(at("2026-03-15").standing, d::TrainingStanding::complete);
    EXPECT_EQ(at("2027-02-12").standing, d::TrainingStanding::complete);
    EXPECT_EQ(at("2027-02-13").standing, d::TrainingStanding::expiring_soon);
    EXPECT_EQ(at("2027-03-14").standing, d::TrainingStanding::expiring_soon);
    EXPECT_EQ(at("2027-03-15").standing, d::TrainingStanding::lapsed);
    EXPECT_EQ(at("2028-01-01").standing, d::TrainingStanding::lapsed);
    EXPECT_EQ(at("2028-01-01").expires_on->iso(), "2027-03-15");
    // Lapsed keeps its due date for the record; the standing is the completion's.
    EXPECT_EQ(at("2028-01-01").due_by.iso(), "2026-04-10");
}

TEST(TrainingObligation, ExpiryDayClampedToTheMonthsEnd) {
    auto o = never_completed();
    o.last_completed = day("2025-08-31");
    o.validity_months = 6;
    EXPECT_EQ(d::obligation_of(o, day("2025-09-01")).expires_on->iso(), "2026-02-28");
    EXPECT_EQ(d::obligation_of(o, day("2026-02-27")).standing, d::TrainingStanding::expiring_soon);
    EXPECT_EQ(d::obligation_of(o, day("2026-02-28")).standing, d::TrainingStanding::lapsed);
    o.last_completed = day("2027-08-31");
    EXPECT_EQ(d::obligation_of(o, day("2027-09-01")).expires_on->iso(), "2028-02-29");
}

// ---------------------------------------------------------------- months and percentages

TEST(CapacityAddMonths, DayClampedToAShorterMonth) {
    EXPECT_EQ(d::add_months(day("2026-01-31"), 1).iso(), "2026-02-28");
    EXPECT_EQ(d::add_months(day("2028-01-31"), 1).iso(), "2028-02-29");
    EXPECT_EQ(d::add_months(day("2026-01-31"), 3).iso(), "2026-04-30");
    EXPECT_EQ(d::add_months(day("2026-01-30"), 2).iso(), "2026-03-30");
    EXPECT_EQ(d::add_months(day("2028-02-29"), 12).iso(), "2029-02-28");
    EXPECT_EQ(d::add_months(day("2028-02-29"), 48).iso(), "2032-02-29");
}

TEST(CapacityAddMonths, AcrossTheYear) {
    EXPECT_EQ(d::add_months(day("2026-12-15"), 1).iso(), "2027-01-15");
    EXPECT_EQ(d::add_months(day("2026-12-31"), 2).iso(), "2027-02-28");
    EXPECT_EQ(d::add_months(day("2026-11-30"), 14).iso(), "2028-01-30");
    EXPECT_EQ(d::add_months(day("2026-05-20"), 120).iso(), "2036-05-20");
    EXPECT_EQ(d::add_months(day("2026-05-20"), 0).iso(), "2026-05-20");
}

TEST(CapacityAddMonths, Backwards) {
    EXPECT_EQ(d::add_months(day("2027-01-15"), -1).iso(), "2026-12-15");
    EXPECT_EQ(d::add_months(day("2026-03-31"), -1).iso(), "2026-02-28");
    EXPECT_EQ(d::add_months(day("2026-01-01"), -13).iso(), "2024-12-01");
    EXPECT_EQ(d::add_months(day("2026-01-01"), -12).iso(), "2025-01-01");
}

TEST(CapacityCompliance, PercentRoundedDownAllWhenNone) {
    EXPECT_EQ(d::compliance_percent(0, 0), 100);
    EXPECT_EQ(d::compliance_percent(0, 5), 0);
    EXPECT_EQ(d::compliance_percent(5, 5), 100);
    EXPECT_EQ(d::compliance_percent(1, 3), 33);
    EXPECT_EQ(d::compliance_percent(2, 3), 66);
    EXPECT_EQ(d::compliance_percent(199, 200), 99);
    EXPECT_EQ(d::compliance_percent(1, 200), 0);
    EXPECT_EQ(d::compliance_percent(1, 2), 50);
}

}  // namespace
