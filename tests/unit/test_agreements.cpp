// The agreements registry's domain (features/agreements/domain/agreements.hpp): an agreement's
// form field by field (titles, kind, scopes, parties, the order of its dates), a renewal's and an
// evaluation's dates, the inventory's filter, the lifecycle table pair by pair (every state and
// event allowed or refused on purpose, who may, the expiry guard), the facts the guard reads,
// the reminders' windows at their boundaries, and an uploaded document's checks (its kind, its
// size, a plain name, an accepted extension, content that is what the extension says, the type
// it is served as).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "features/agreements/domain/agreements.hpp"

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

d::AgreementTermsForm good() {
    d::AgreementTermsForm f;
    f.title_fr = "Entente de référence Démo";
    f.title_en = "Demo referral agreement";
    f.kind = "csp_provider";
    f.scopes = {"referral"};
    f.parties = {"1", "2"};
    f.effective_on = "2026-01-01";
    f.expires_on = "2028-12-31";
    f.review_due = "2027-01-01";
    f.summary = "Each party refers within ten working days.";
    return f;
}

std::vector<std::string> errors_of(const d::AgreementTermsForm& f) {
    d::AgreementTerms terms;
    return fields_of(d::validate(f, terms));
}

}  // namespace

// ---------------------------------------------------------------- the agreement's form

TEST(AgreementTermsForm, AGoodFormFillsTheTermsWithScopesAndPartiesSortedAndEachOnce) {
    auto f = good();
    f.title_fr = "  Entente de référence Démo  ";
    f.scopes = {"reporting", " referral ", "reporting", "", "governance"};
    f.parties = {"12", " 3 ", "12", "", "7"};
    f.summary = "First line\r\nSecond line";
    d::AgreementTerms t;
    ASSERT_EQ(fields_of(d::validate(f, t)), std::vector<std::string>{});
    EXPECT_EQ(t.title_fr, "Entente de référence Démo");
    EXPECT_EQ(t.title_en, "Demo referral agreement");
    EXPECT_EQ(t.kind, d::AgreementKind::csp_provider);
    EXPECT_EQ(t.scopes, (std::vector<d::AgreementScope>{d::AgreementScope::referral, d::AgreementScope::governance,
                                                        d::AgreementScope::reporting}))
        << "the catalogue's order, each once";
    EXPECT_EQ(t.parties, (std::vector<std::int64_t>{3, 7, 12}));
    EXPECT_EQ(t.effective_on.iso(), "2026-01-01");
    ASSERT_TRUE(t.expires_on);
    EXPECT_EQ(t.expires_on->iso(), "2028-12-31");
    EXPECT_EQ(t.review_due.iso(), "2027-01-01");
    EXPECT_EQ(t.summary, "First line\nSecond line");
}

TEST(AgreementTermsForm, NoExpiryDateIsAllowedAndLeavesItEmpty) {
    auto f = good();
    f.expires_on = "";
    f.review_due = "2035-06-30";  // nothing bounds the review when nothing expires
    d::AgreementTerms t;
    t.expires_on = day("2030-01-01");
    ASSERT_EQ(fields_of(d::validate(f, t)), std::vector<std::string>{});
    EXPECT_FALSE(t.expires_on);
    EXPECT_EQ(t.review_due.iso(), "2035-06-30");
}

TEST(AgreementTermsForm, BothTitlesAreRequiredAndBounded) {
    auto f = good();
    f.title_fr = "";
    f.title_en = "   ";
    EXPECT_EQ(errors_of(f), (std::vector<std::string>{"title_fr:field.required", "title_en:field.required"}));
    f = good();
    f.title_en = std::string(d::max_agreement_title_length + 1, 'a');
    d::AgreementTerms t;
    const auto e = d::validate(f, t);
    ASSERT_EQ(fields_of(e), one("title_en:field.too_long"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"200"});
    f.title_en = std::string(d::max_agreement_title_length, 'a');
    EXPECT_EQ(errors_of(f), std::vector<std::string>{});
}

TEST(AgreementTermsForm, TheKindIsRequiredAndKnown) {
    auto f = good();
    f.kind = "memorandum";
    EXPECT_EQ(errors_of(f), one("kind:field.choose_from_list"));
    f.kind = "";
    EXPECT_EQ(errors_of(f), one("kind:field.required"));
    for (const char* kind : {"csp_provider", "csp_participant", "partnership"}) {
        f.kind = kind;
        d::AgreementTerms t;
        EXPECT_TRUE(d::validate(f, t).empty()) << kind;
        EXPECT_EQ(d::code(t.kind), kind);
    }
}

TEST(AgreementTermsForm, AtLeastOneKnownScope) {
    auto f = good();
    f.scopes = {};
    EXPECT_EQ(errors_of(f), one("scopes:field.choose_at_least_one"));
    f.scopes = {"", "  "};
    EXPECT_EQ(errors_of(f), one("scopes:field.choose_at_least_one")) << "blanks are no scope";
    f.scopes = {"referral", "catering"};
    EXPECT_EQ(errors_of(f), one("scopes:field.choose_from_list"));
    f.scopes = {"catering"};
    EXPECT_EQ(errors_of(f), one("scopes:field.choose_from_list")) << "an unknown scope, not a missing one";
}

TEST(AgreementTermsForm, TwoDistinctPartiesOrMore) {
    auto f = good();
    f.parties = {};
    EXPECT_EQ(errors_of(f), one("parties:agreement.two_parties"));
    f.parties = {"7"};
    EXPECT_EQ(errors_of(f), one("parties:agreement.two_parties"));
    f.parties = {"7", "7"};
    EXPECT_EQ(errors_of(f), one("parties:agreement.two_parties")) << "the same organisation twice is one party";
    f.parties = {"7", " 7 ", ""};
    EXPECT_EQ(errors_of(f), one("parties:agreement.two_parties"));
    f.parties = {"7", "8"};
    EXPECT_EQ(errors_of(f), std::vector<std::string>{});
}

TEST(AgreementTermsForm, PartiesAreOrganisationIdsAndAtMostForty) {
    auto f = good();
    f.parties = {"7", "Blue River"};
    EXPECT_EQ(errors_of(f), one("parties:field.choose_from_list"));
    f.parties = {"7", "0"};
    EXPECT_EQ(errors_of(f), one("parties:field.choose_from_list"));
    f.parties = {"7", "-8"};
    EXPECT_EQ(errors_of(f), one("parties:field.choose_from_list"));
    f.parties.clear();
    for (int i = 1; i <= 40; ++i) f.parties.push_back(std::to_string(i));
    EXPECT_EQ(errors_of(f), std::vector<std::string>{});
    f.parties.push_back("41");
    d::AgreementTerms t;
    const auto e = d::validate(f, t);
    ASSERT_EQ(fields_of(e), one("parties:agreement.too_many_parties"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"40"});
}

TEST(AgreementTermsForm, TheExpiryComesAfterTheEffectiveDate) {
    auto f = good();
    f.expires_on = "2026-01-01";  // the effective date itself
    EXPECT_EQ(errors_of(f), one("expires_on:agreement.expiry_before_effective"));
    f.expires_on = "2025-12-31";
    EXPECT_EQ(errors_of(f), one("expires_on:agreement.expiry_before_effective"));
    f.expires_on = "2026-01-02";
    f.review_due = "2026-01-02";
    EXPECT_EQ(errors_of(f), std::vector<std::string>{});
}

TEST(AgreementTermsForm, TheReviewFallsFromTheEffectiveDateToTheExpiry) {
    auto f = good();
    f.review_due = "2025-12-31";
    EXPECT_EQ(errors_of(f), one("review_due:agreement.review_before_effective"));
    f.review_due = "2026-01-01";
    EXPECT_EQ(errors_of(f), std::vector<std::string>{}) << "on the effective date";
    f.review_due = "2029-01-01";
    EXPECT_EQ(errors_of(f), one("review_due:agreement.review_after_expiry"));
    f.review_due = "2028-12-31";
    EXPECT_EQ(errors_of(f), std::vector<std::string>{}) << "on the expiry date";
}

TEST(AgreementTermsForm, DatesAreRequiredRealDays) {
    auto f = good();
    f.effective_on = "";
    EXPECT_EQ(errors_of(f), one("effective_on:field.required"));
    f = good();
    f.review_due = "";
    EXPECT_EQ(errors_of(f), one("review_due:field.required"));
    f = good();
    f.effective_on = "2026-02-30";
    EXPECT_EQ(errors_of(f), one("effective_on:people.invalid_date"));
    f = good();
    f.expires_on = "31/12/2028";
    EXPECT_EQ(errors_of(f), one("expires_on:people.invalid_date"));
}

TEST(AgreementTermsForm, TheSummaryIsOptionalAndBounded) {
    auto f = good();
    f.summary = "";
    EXPECT_EQ(errors_of(f), std::vector<std::string>{});
    f.summary = std::string(d::max_agreement_summary_length + 1, 'x');
    EXPECT_EQ(errors_of(f), one("summary:field.too_long"));
}

TEST(AgreementTermsForm, EveryFieldWrongAtOnceNamesEachField) {
    d::AgreementTermsForm f;
    f.kind = "memorandum";
    f.scopes = {"catering"};
    f.parties = {"7"};
    f.effective_on = "2026-01-01";
    f.expires_on = "2026-01-01";
    f.review_due = "2026-01-01";
    EXPECT_EQ(errors_of(f),
              (std::vector<std::string>{"title_fr:field.required", "title_en:field.required", "kind:field.choose_from_list",
                                        "scopes:field.choose_from_list", "parties:agreement.two_parties",
                                        "expires_on:agreement.expiry_before_effective"}));
}

TEST(AgreementCodes, EveryCodeParsesBackAndUnknownOnesDoNot) {
    for (auto k : d::all_agreement_kinds()) EXPECT_EQ(d::parse_agreement_kind(d::code(k)), k);
    for (auto s : d::all_agreement_scopes()) EXPECT_EQ(d::parse_agreement_scope(d::code(s)), s);
    for (auto s : d::all_agreement_statuses()) EXPECT_EQ(d::parse_agreement_status(d::code(s)), s);
    for (auto e : d::all_agreement_events()) EXPECT_EQ(d::parse_agreement_event(d::code(e)), e);
    for (auto o : d::all_evaluation_outcomes()) EXPECT_EQ(d::parse_evaluation_outcome(d::code(o)), o);
    EXPECT_EQ(d::all_agreement_kinds().size(), 3u);
    EXPECT_EQ(d::all_agreement_scopes().size(), 7u);
    EXPECT_EQ(d::all_agreement_statuses().size(), 6u);
    EXPECT_EQ(d::all_agreement_events().size(), 6u);
    EXPECT_EQ(d::all_evaluation_outcomes().size(), 5u);
    EXPECT_FALSE(d::parse_agreement_kind("Partnership"));
    EXPECT_FALSE(d::parse_agreement_status(""));
    EXPECT_TRUE(d::agency_is_party(d::AgreementKind::csp_provider));
    EXPECT_TRUE(d::agency_is_party(d::AgreementKind::csp_participant));
    EXPECT_FALSE(d::agency_is_party(d::AgreementKind::partnership));
}

// ---------------------------------------------------------------- renewals

TEST(AgreementRenewal, NewDatesAfterTodayAndTheCurrentExpiry) {
    const Date today = day("2026-03-10");
    const std::optional<Date> current = day("2026-06-30");
    d::Renewal r;
    ASSERT_EQ(fields_of(d::validate(d::RenewalForm{"2029-06-30", "2028-06-30"}, current, today, r)), std::vector<std::string>{});
    EXPECT_EQ(r.expires_on.iso(), "2029-06-30");
    EXPECT_EQ(r.review_due.iso(), "2028-06-30");
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2026-06-30", "2026-05-01"}, current, today, r)),
              one("expires_on:agreement.renewal_expiry"))
        << "the current expiry again is no renewal";
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2026-06-01", "2026-05-01"}, current, today, r)),
              one("expires_on:agreement.renewal_expiry"));
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2026-07-01", "2026-07-01"}, current, today, r)), std::vector<std::string>{});
}

TEST(AgreementRenewal, WithoutACurrentExpiryTheNewOneComesAfterToday) {
    const Date today = day("2026-03-10");
    d::Renewal r;
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2026-03-10", "2026-03-10"}, std::nullopt, today, r)),
              one("expires_on:agreement.renewal_expiry"));
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2026-03-09", "2026-03-09"}, std::nullopt, today, r)),
              one("expires_on:agreement.renewal_expiry"));
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2026-03-11", "2026-03-10"}, std::nullopt, today, r)),
              std::vector<std::string>{})
        << "a review today";
}

TEST(AgreementRenewal, TheReviewFallsFromTodayToTheNewExpiry) {
    const Date today = day("2026-03-10");
    const std::optional<Date> current = day("2026-06-30");
    d::Renewal r;
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2029-06-30", "2026-03-09"}, current, today, r)),
              one("review_due:agreement.review_in_past"));
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2029-06-30", "2029-07-01"}, current, today, r)),
              one("review_due:agreement.review_after_expiry"));
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2029-06-30", "2029-06-30"}, current, today, r)), std::vector<std::string>{});
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"", ""}, current, today, r)),
              (std::vector<std::string>{"expires_on:field.required", "review_due:field.required"}));
    EXPECT_EQ(fields_of(d::validate(d::RenewalForm{"2029-02-30", "2028-01-01"}, current, today, r)),
              one("expires_on:people.invalid_date"));
}

// ---------------------------------------------------------------- evaluations

namespace {

d::EvaluationForm good_evaluation() {
    return {"2026-03-10",
            "Referrals answered within 10 days",
            "Median days to answer",
            "Met for 8 referrals of 10",
            "A weekly call",
            "strengthen",
            "2026-09-10"};
}

std::vector<std::string> evaluation_errors(const d::EvaluationForm& f) {
    d::Evaluation v;
    return fields_of(d::validate(f, day("2026-03-10"), v));
}

}  // namespace

TEST(AgreementEvaluation, AGoodEvaluationIsKept) {
    d::Evaluation v;
    ASSERT_EQ(fields_of(d::validate(good_evaluation(), day("2026-03-10"), v)), std::vector<std::string>{});
    EXPECT_EQ(v.evaluated_on.iso(), "2026-03-10");
    EXPECT_EQ(v.expected_results, "Referrals answered within 10 days");
    EXPECT_EQ(v.indicators, "Median days to answer");
    EXPECT_EQ(v.findings, "Met for 8 referrals of 10");
    EXPECT_EQ(v.adjustments, "A weekly call");
    EXPECT_EQ(v.outcome, d::EvaluationOutcome::strengthen);
    ASSERT_TRUE(v.next_review_due);
    EXPECT_EQ(v.next_review_due->iso(), "2026-09-10");
    auto f = good_evaluation();
    f.expected_results = f.indicators = f.adjustments = f.next_review_due = "";
    ASSERT_EQ(evaluation_errors(f), std::vector<std::string>{}) << "only the findings and the outcome are required";
    ASSERT_TRUE(d::validate(f, day("2026-03-10"), v).empty());
    EXPECT_FALSE(v.next_review_due);
}

TEST(AgreementEvaluation, NotEvaluatedInTheFuture) {
    auto f = good_evaluation();
    f.evaluated_on = "2026-03-11";
    EXPECT_EQ(evaluation_errors(f), one("evaluated_on:agreement.evaluated_in_future"));
    f.evaluated_on = "2025-03-10";
    EXPECT_EQ(evaluation_errors(f), std::vector<std::string>{});
    f.evaluated_on = "";
    EXPECT_EQ(evaluation_errors(f), one("evaluated_on:field.required"));
}

TEST(AgreementEvaluation, FindingsAndAnOutcomeAreRequired) {
    auto f = good_evaluation();
    f.findings = " \r\n ";
    EXPECT_EQ(evaluation_errors(f), one("findings:field.required"));
    f = good_evaluation();
    f.findings = std::string(d::max_evaluation_text_length + 1, 'x');
    EXPECT_EQ(evaluation_errors(f), one("findings:field.too_long"));
    f = good_evaluation();
    f.outcome = "";
    EXPECT_EQ(evaluation_errors(f), one("outcome:field.required"));
    f.outcome = "cancel";
    EXPECT_EQ(evaluation_errors(f), one("outcome:field.choose_from_list"));
    f.outcome = "new_agreement_needed";
    EXPECT_EQ(evaluation_errors(f), std::vector<std::string>{});
}

TEST(AgreementEvaluation, TheNextReviewComesAfterTheEvaluation) {
    auto f = good_evaluation();
    f.next_review_due = "2026-03-10";
    EXPECT_EQ(evaluation_errors(f), one("next_review_due:agreement.next_review_order"));
    f.next_review_due = "2026-01-10";
    EXPECT_EQ(evaluation_errors(f), one("next_review_due:agreement.next_review_order"));
    f.next_review_due = "2026-03-11";
    EXPECT_EQ(evaluation_errors(f), std::vector<std::string>{});
    f.next_review_due = "2026-13-01";
    EXPECT_EQ(evaluation_errors(f), one("next_review_due:people.invalid_date"));
}

// ---------------------------------------------------------------- the inventory's filter

TEST(AgreementInventory, NoFilterIsEveryAgreement) {
    d::InventoryFilter out;
    EXPECT_TRUE(d::validate(d::InventoryQuery{}, out).empty());
    EXPECT_FALSE(out.kind);
    EXPECT_FALSE(out.status);
    EXPECT_FALSE(out.scope);
    EXPECT_FALSE(out.organisation);
    EXPECT_FALSE(out.review_due);
}

TEST(AgreementInventory, EachFilterIsParsedAndNoneCarriesOver) {
    d::InventoryFilter out;
    ASSERT_TRUE(d::validate(d::InventoryQuery{"partnership", "under_review", "joint_training", " 12 ", "due"}, out).empty());
    EXPECT_EQ(out.kind, d::AgreementKind::partnership);
    EXPECT_EQ(out.status, d::AgreementStatus::under_review);
    EXPECT_EQ(out.scope, d::AgreementScope::joint_training);
    EXPECT_EQ(out.organisation, 12);
    EXPECT_TRUE(out.review_due);
    ASSERT_TRUE(d::validate(d::InventoryQuery{}, out).empty());
    EXPECT_FALSE(out.kind);
    EXPECT_FALSE(out.status);
    EXPECT_FALSE(out.scope);
    EXPECT_FALSE(out.organisation);
    EXPECT_FALSE(out.review_due);
}

TEST(AgreementInventory, AnUnknownValueIsAnErrorOnItsOwnField) {
    d::InventoryFilter out;
    EXPECT_EQ(fields_of(d::validate(d::InventoryQuery{"memorandum", "", "", "", ""}, out)), one("kind:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::InventoryQuery{"", "open", "", "", ""}, out)), one("status:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::InventoryQuery{"", "", "catering", "", ""}, out)), one("scope:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::InventoryQuery{"", "", "", "blue-river", ""}, out)),
              one("organisation:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::InventoryQuery{"", "", "", "0", ""}, out)), one("organisation:field.choose_from_list"));
    EXPECT_EQ(fields_of(d::validate(d::InventoryQuery{"", "", "", "", "late"}, out)), one("review:field.choose_from_list"));
    EXPECT_FALSE(out.review_due);
    EXPECT_EQ(
        fields_of(d::validate(d::InventoryQuery{"memorandum", "open", "catering", "x", "soon"}, out)),
        (std::vector<std::string>{"kind:field.choose_from_list", "status:field.choose_from_list", "scope:field.choose_from_list",
                                  "organisation:field.choose_from_list", "review:field.choose_from_list"}));
}

// ---------------------------------------------------------------- the lifecycle

namespace {

struct Move {
    d::AgreementStatus from;
    d::AgreementEvent event;
    d::AgreementStatus to;
};

// The table as the header states it: every move the coordinating agency may make.
const std::vector<Move>& allowed_moves() {
    using S = d::AgreementStatus;
    using E = d::AgreementEvent;
    static const std::vector<Move> v = {
        {S::draft, E::activate, S::active},
        {S::active, E::open_review, S::under_review},
        {S::renewed, E::open_review, S::under_review},
        {S::under_review, E::conclude_review, S::active},
        {S::under_review, E::renew, S::renewed},
        {S::active, E::expire, S::expired},
        {S::under_review, E::expire, S::expired},
        {S::renewed, E::expire, S::expired},
        {S::draft, E::terminate, S::terminated},
        {S::active, E::terminate, S::terminated},
        {S::under_review, E::terminate, S::terminated},
        {S::renewed, E::terminate, S::terminated},
    };
    return v;
}

const Move* allowed(d::AgreementStatus from, d::AgreementEvent event) {
    for (const auto& m : allowed_moves())
        if (m.from == from && m.event == event) return &m;
    return nullptr;
}

std::string trace(d::AgreementStatus from, d::AgreementEvent event) {
    return std::string(d::code(from)) + " --" + std::string(d::code(event)) + "-->";
}

}  // namespace

TEST(AgreementLifecycle, EveryStateAndEventIsAllowedOrRefusedOnPurpose) {
    const auto& l = d::agreement_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const d::AgreementFacts expired_facts{true};
    EXPECT_EQ(l.rows().size(), allowed_moves().size());
    for (auto from : d::all_agreement_statuses())
        for (auto event : d::all_agreement_events()) {
            SCOPED_TRACE(trace(from, event));
            const auto fired = l.fire(from, event, agency, expired_facts);
            if (const Move* m = allowed(from, event)) {
                ASSERT_TRUE(fired) << fired.error().message_key;
                EXPECT_EQ(fired.value()->to, m->to);
            } else {
                ASSERT_FALSE(fired);
                EXPECT_EQ(fired.error().code, Errc::Conflict);
                EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
            }
        }
}

TEST(AgreementLifecycle, RowByRowWithTheAgency) {
    using S = d::AgreementStatus;
    using E = d::AgreementEvent;
    const auto& l = d::agreement_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const d::AgreementFacts f{};
    EXPECT_EQ(l.fire(S::draft, E::activate, agency, f).value()->to, S::active);
    EXPECT_EQ(l.fire(S::active, E::open_review, agency, f).value()->to, S::under_review);
    EXPECT_EQ(l.fire(S::renewed, E::open_review, agency, f).value()->to, S::under_review);
    EXPECT_EQ(l.fire(S::under_review, E::conclude_review, agency, f).value()->to, S::active);
    EXPECT_EQ(l.fire(S::under_review, E::renew, agency, f).value()->to, S::renewed);
    EXPECT_EQ(l.fire(S::draft, E::terminate, agency, f).value()->to, S::terminated);
    EXPECT_EQ(l.fire(S::active, E::terminate, agency, f).value()->to, S::terminated);
    EXPECT_EQ(l.fire(S::under_review, E::terminate, agency, f).value()->to, S::terminated);
    EXPECT_EQ(l.fire(S::renewed, E::terminate, agency, f).value()->to, S::terminated);
    EXPECT_EQ(l.fire(S::active, E::renew, agency, f).error().message_key, "lifecycle.not_from_state") << "reviewed first";
    EXPECT_EQ(l.fire(S::draft, E::open_review, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::terminated, E::activate, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::expired, E::terminate, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::terminated, E::terminate, agency, f).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::draft, E::expire, agency, {true}).error().message_key, "lifecycle.not_from_state")
        << "a draft never in force does not expire";
}

TEST(AgreementLifecycle, OnlyTheCoordinatingAgencyMovesAnAgreement) {
    const auto& l = d::agreement_lifecycle();
    for (const auto& m : allowed_moves()) {
        SCOPED_TRACE(trace(m.from, m.event));
        for (auto who : {d::Relationship::assigned_coordinator, d::Relationship::team_member, d::Relationship::privacy_officer,
                         d::Relationship::none}) {
            const auto fired = l.fire(m.from, m.event, who, {true});
            ASSERT_FALSE(fired);
            EXPECT_EQ(fired.error().code, Errc::Forbidden);
        }
    }
}

TEST(AgreementLifecycle, AnAgreementExpiresOnlyOnceItsExpiryDateHasCome) {
    using S = d::AgreementStatus;
    const auto& l = d::agreement_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    for (auto from : {S::active, S::under_review, S::renewed}) {
        SCOPED_TRACE(d::code(from));
        const auto early = l.fire(from, d::AgreementEvent::expire, agency, {false});
        ASSERT_FALSE(early);
        EXPECT_EQ(early.error().code, Errc::Conflict);
        EXPECT_EQ(early.error().message_key, "agreement.not_expired");
        const auto due = l.fire(from, d::AgreementEvent::expire, agency, {true});
        ASSERT_TRUE(due);
        EXPECT_EQ(due.value()->to, S::expired);
    }
}

TEST(AgreementLifecycle, WhatTheAgencyMayFireFromEachState) {
    using S = d::AgreementStatus;
    using E = d::AgreementEvent;
    using Events = std::vector<E>;
    const auto& l = d::agreement_lifecycle();
    const auto agency = d::Relationship::coordinating_agency;
    const d::AgreementFacts before{false}, after{true};
    EXPECT_EQ(l.available(S::draft, agency, before), (Events{E::activate, E::terminate}));
    EXPECT_EQ(l.available(S::draft, agency, after), (Events{E::activate, E::terminate}));
    EXPECT_EQ(l.available(S::active, agency, before), (Events{E::open_review, E::terminate}));
    EXPECT_EQ(l.available(S::active, agency, after), (Events{E::open_review, E::expire, E::terminate}));
    EXPECT_EQ(l.available(S::under_review, agency, before), (Events{E::conclude_review, E::renew, E::terminate}));
    EXPECT_EQ(l.available(S::under_review, agency, after), (Events{E::conclude_review, E::renew, E::expire, E::terminate}));
    EXPECT_EQ(l.available(S::renewed, agency, before), (Events{E::open_review, E::terminate}));
    EXPECT_EQ(l.available(S::renewed, agency, after), (Events{E::open_review, E::expire, E::terminate}));
    EXPECT_TRUE(l.available(S::expired, agency, after).empty());
    EXPECT_TRUE(l.available(S::terminated, agency, after).empty());
    for (auto s : d::all_agreement_statuses())
        EXPECT_TRUE(l.available(s, d::Relationship::assigned_coordinator, after).empty()) << d::code(s);
}

TEST(AgreementLifecycle, InForceAndEditableStates) {
    using S = d::AgreementStatus;
    std::vector<S> in_force, editable;
    for (auto s : d::all_agreement_statuses()) {
        if (d::in_force(s)) in_force.push_back(s);
        if (d::terms_editable(s)) editable.push_back(s);
    }
    EXPECT_EQ(in_force, (std::vector<S>{S::active, S::under_review, S::renewed}));
    EXPECT_EQ(editable, (std::vector<S>{S::draft, S::active, S::under_review, S::renewed}));
}

// ---------------------------------------------------------------- facts and reminders

TEST(AgreementFacts, PastExpiryFromTheExpiryDateItself) {
    const Date today = day("2026-03-10");
    EXPECT_FALSE(d::agreement_facts(std::nullopt, today).past_expiry) << "no expiry: never past";
    EXPECT_FALSE(d::agreement_facts(day("2026-03-11"), today).past_expiry);
    EXPECT_TRUE(d::agreement_facts(day("2026-03-10"), today).past_expiry) << "the expiry date has come";
    EXPECT_TRUE(d::agreement_facts(day("2026-03-09"), today).past_expiry);
    EXPECT_TRUE(d::agreement_facts(day("2020-01-01"), today).past_expiry);
}

TEST(AgreementReminders, AReviewWithinThirtyDaysOrLateWhileInForce) {
    using S = d::AgreementStatus;
    const Date today = day("2026-03-10");
    EXPECT_EQ(arrimage::days_between(today, day("2026-04-09")), 30);
    EXPECT_TRUE(d::review_reminder_due(S::active, day("2026-04-09"), today)) << "30 days ahead";
    EXPECT_FALSE(d::review_reminder_due(S::active, day("2026-04-10"), today)) << "31 days ahead";
    EXPECT_TRUE(d::review_reminder_due(S::active, today, today));
    EXPECT_TRUE(d::review_reminder_due(S::active, day("2025-12-01"), today)) << "late";
    EXPECT_TRUE(d::review_reminder_due(S::under_review, day("2026-04-09"), today));
    EXPECT_TRUE(d::review_reminder_due(S::renewed, day("2026-04-09"), today));
    for (auto s : {S::draft, S::expired, S::terminated}) {
        EXPECT_FALSE(d::review_reminder_due(s, day("2026-04-09"), today)) << d::code(s);
        EXPECT_FALSE(d::review_reminder_due(s, day("2025-12-01"), today)) << d::code(s);
    }
}

TEST(AgreementReminders, AnExpiryWithinNinetyDaysWhileInForce) {
    using S = d::AgreementStatus;
    const Date today = day("2026-03-10");
    EXPECT_EQ(arrimage::days_between(today, day("2026-06-08")), 90);
    EXPECT_TRUE(d::expiry_reminder_due(S::active, day("2026-06-08"), today)) << "90 days ahead";
    EXPECT_FALSE(d::expiry_reminder_due(S::active, day("2026-06-09"), today)) << "91 days ahead";
    EXPECT_TRUE(d::expiry_reminder_due(S::active, today, today));
    EXPECT_TRUE(d::expiry_reminder_due(S::under_review, day("2026-04-01"), today));
    EXPECT_TRUE(d::expiry_reminder_due(S::renewed, day("2026-04-01"), today));
    EXPECT_FALSE(d::expiry_reminder_due(S::active, std::nullopt, today)) << "nothing expires";
    for (auto s : {S::draft, S::expired, S::terminated})
        EXPECT_FALSE(d::expiry_reminder_due(s, day("2026-04-01"), today)) << d::code(s);
}

// ---------------------------------------------------------------- documents

namespace {

using namespace std::string_literals;

// The first bytes of each accepted type, as a real file of it begins.
const std::string pdf_bytes = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n";
const std::string png_bytes = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0"s;
const std::string jpeg_bytes = "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0"s;
// A zip's local file header, then the names of the parts a package holds.
std::string zip_with(const std::vector<std::string>& parts) {
    std::string out = "PK\x03\x04\x14\0\0\0\x08\0"s;
    for (const auto& p : parts) out += std::string(20, '\0') + p + "\x01\x02\x03"s;
    return out;
}
const std::string docx_bytes = zip_with({"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"});
const std::string xlsx_bytes = zip_with({"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"});
// An OpenDocument package: its first entry is "mimetype", stored, at offset 30 after the local
// header's 26 bytes.
const std::string odt_header = "PK\x03\x04"s + std::string(26, '\0') + "mimetypeapplication/vnd.oasis.opendocument.text";
const std::string odt_bytes = odt_header + "PK\x03\x04"s + "META-INF/manifest.xml";

d::DocumentUpload upload(const std::string& filename, std::string_view data, const std::string& kind = "signed_copy") {
    return {kind, filename, data};
}

std::vector<std::string> upload_errors(const d::DocumentUpload& in) {
    d::DocumentCheck out;
    return fields_of(d::validate(in, out));
}

}  // namespace

TEST(AgreementDocument, EachAcceptedTypeIsCheckedAndServedAsItsType) {
    struct Case {
        std::string filename;
        const std::string* data;
        std::string content_type;
    };
    const std::vector<Case> cases = {
        {"Entente-signee.pdf", &pdf_bytes, "application/pdf"},
        {"annexe_B.docx", &docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"budget.xlsx", &xlsx_bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"modalites.odt", &odt_bytes, "application/vnd.oasis.opendocument.text"},
        {"organigramme.png", &png_bytes, "image/png"},
        {"signature.jpg", &jpeg_bytes, "image/jpeg"},
        {"signature.jpeg", &jpeg_bytes, "image/jpeg"},
    };
    ASSERT_EQ(d::document_types().size(), cases.size()) << "every accepted extension is tried here";
    for (const auto& c : cases) {
        SCOPED_TRACE(c.filename);
        d::DocumentCheck out;
        ASSERT_EQ(fields_of(d::validate(upload(c.filename, *c.data, "annex"), out)), std::vector<std::string>{});
        EXPECT_EQ(out.kind, d::DocumentKind::annex);
        EXPECT_EQ(out.filename, c.filename);
        EXPECT_EQ(out.content_type, c.content_type);
        const auto ext = c.filename.substr(c.filename.rfind('.') + 1);
        const auto type = std::find_if(d::document_types().begin(), d::document_types().end(),
                                       [&](const d::DocumentType& t) { return t.extension == ext; });
        ASSERT_NE(type, d::document_types().end());
        EXPECT_EQ(type->content_type, c.content_type);
    }
}

TEST(AgreementDocument, TheKindIsRequiredAndKnown) {
    EXPECT_EQ(upload_errors(upload("a.pdf", pdf_bytes, "")), one("kind:field.required"));
    EXPECT_EQ(upload_errors(upload("a.pdf", pdf_bytes, "  ")), one("kind:field.required"));
    EXPECT_EQ(upload_errors(upload("a.pdf", pdf_bytes, "contract")), one("kind:field.choose_from_list"));
    EXPECT_EQ(upload_errors(upload("a.pdf", pdf_bytes, "Signed_copy")), one("kind:field.choose_from_list"));
    EXPECT_EQ(upload_errors(upload("a.pdf", "", "")),
              (std::vector<std::string>{"kind:field.required", "file:agreement.document_missing"}))
        << "each field its own error";
    EXPECT_EQ(d::all_document_kinds().size(), 4u);
    for (const char* kind : {"signed_copy", "amendment", "annex", "other"}) {
        d::DocumentCheck out;
        ASSERT_TRUE(d::validate(upload("a.pdf", pdf_bytes, kind), out).empty()) << kind;
        EXPECT_EQ(d::code(out.kind), kind);
        EXPECT_EQ(d::parse_document_kind(kind), out.kind);
    }
}

TEST(AgreementDocument, AFileIsNotEmptyNorLargerThanTenMebibytes) {
    EXPECT_EQ(d::max_document_bytes, 10u * 1024 * 1024);
    EXPECT_EQ(upload_errors(upload("a.pdf", "")), one("file:agreement.document_missing"));

    std::string big = pdf_bytes + std::string(d::max_document_bytes - pdf_bytes.size() + 1, 'x');
    ASSERT_EQ(big.size(), d::max_document_bytes + 1);
    d::DocumentCheck out;
    const auto e = d::validate(upload("a.pdf", big), out);
    ASSERT_EQ(fields_of(e), one("file:agreement.document_too_large"));
    EXPECT_EQ(e[0].args, std::vector<std::string>{"10"});

    big.pop_back();
    ASSERT_EQ(big.size(), d::max_document_bytes);
    ASSERT_EQ(fields_of(d::validate(upload("a.pdf", big), out)), std::vector<std::string>{}) << "exactly the limit";
    EXPECT_EQ(out.content_type, "application/pdf");
}

TEST(AgreementDocument, ANameWithAFolderAHiddenNameOrACharacterThatDeceivesIsRefused) {
    const std::vector<std::string> names = {
        "../x.pdf",
        "a/b.pdf",
        "a\\b.pdf",
        "..\\..\\x.pdf",
        ".hidden.pdf",
        ".pdf",
        "a\tb.pdf",
        "a\nb.pdf",
        "a\x01"
        "b.pdf",
        "a\x7F"
        "b.pdf",
        "a\xC2\x85"
        "b.pdf",  // U+0085, a C1 control
        "facture\xE2\x80\xAE"
        "fdp.exe",  // U+202E: shows as "facture" + "exe.pdf"
        "facture\xE2\x80\xAE"
        "fdp.pdf",
        "a\xE2\x80\x8B"
        "b.pdf",  // U+200B, zero-width space
        "a\xEF\xBB\xBF"
        "b.pdf",  // U+FEFF
        "C:x.pdf",
        "a:b.pdf",
        "a\"b.pdf",
        "a*b.pdf",
        "a?b.pdf",
        "a<b>.pdf",
        "a|b.pdf",
        "a\xFF"
        "b.pdf",      // not UTF-8
        "a\xC3.pdf",  // a sequence cut short
        "\xC0\xAF"
        "x.pdf",  // an overlong "/"
        std::string("a\0b.pdf", 7),
        std::string(117, 'a') + ".pdf",  // 121 characters
    };
    for (const auto& name : names) {
        SCOPED_TRACE(name);
        d::DocumentCheck out;
        EXPECT_EQ(fields_of(d::validate(upload(name, pdf_bytes), out)), one("file:agreement.document_name"));
        EXPECT_TRUE(out.filename.empty()) << "nothing filled";
        EXPECT_TRUE(out.content_type.empty());
    }
}

TEST(AgreementDocument, ANameIsUpToOneHundredTwentyCharactersNotBytes) {
    EXPECT_EQ(upload_errors(upload(std::string(116, 'a') + ".pdf", pdf_bytes)), std::vector<std::string>{});
    std::string accented;
    for (int i = 0; i < 116; ++i) accented += "é";
    ASSERT_EQ(accented.size(), 232u);
    EXPECT_EQ(upload_errors(upload(accented + ".pdf", pdf_bytes)), std::vector<std::string>{}) << "120 characters in 236 bytes";
    EXPECT_EQ(upload_errors(upload(accented + "é.pdf", pdf_bytes)), one("file:agreement.document_name"));
}

// The refusal's message asks for "letters, digits, spaces, dots and dashes": a space between
// words, and accented letters, are what people name their files with.
TEST(AgreementDocument, ANameMayHoldSpacesAndAccentedLetters) {
    for (const std::string name : {"entente signée.pdf", "Entente de services 2026 - version finale.pdf",
                                   "Annexe B (budget).xlsx", "Protocole d’entente.docx", "Ébauche_révisée.odt"}) {
        SCOPED_TRACE(name);
        const std::string ext = name.substr(name.rfind('.') + 1);
        const std::string& data = ext == "pdf" ? pdf_bytes : ext == "xlsx" ? xlsx_bytes : ext == "docx" ? docx_bytes : odt_bytes;
        d::DocumentCheck out;
        EXPECT_EQ(fields_of(d::validate(upload(name, data), out)), std::vector<std::string>{});
        EXPECT_EQ(out.filename, name) << "kept as sent";
    }
}

TEST(AgreementDocument, OnlyTheAcceptedExtensionsWhateverTheirCase) {
    for (const std::string name : {"x.exe", "x.html", "x.htm", "x.svg", "x.js", "x.zip", "x.doc", "x.docm", "x.txt", "x", "x.",
                                   "x.pdf.exe", "x.pdf.html"}) {
        SCOPED_TRACE(name);
        EXPECT_EQ(upload_errors(upload(name, pdf_bytes)), one("file:agreement.document_type"));
    }
    d::DocumentCheck out;
    ASSERT_EQ(fields_of(d::validate(upload("x.PDF", pdf_bytes), out)), std::vector<std::string>{});
    EXPECT_EQ(out.content_type, "application/pdf");
    EXPECT_EQ(out.filename, "x.PDF") << "the name as sent";
    ASSERT_EQ(fields_of(d::validate(upload("Photo.JpEg", jpeg_bytes), out)), std::vector<std::string>{});
    EXPECT_EQ(out.content_type, "image/jpeg");
    ASSERT_EQ(fields_of(d::validate(upload("x.exe.pdf", pdf_bytes), out)), std::vector<std::string>{}) << "the last extension";
    EXPECT_EQ(out.content_type, "application/pdf");
}

TEST(AgreementDocument, TheContentIsWhatItsExtensionSays) {
    struct Case {
        std::string what, filename, data;
    };
    const std::vector<Case> cases = {
        {"an HTML page named .pdf", "x.pdf", "<!DOCTYPE html><html><script>alert(1)</script></html>"},
        {"a PDF signature not at the start", "x.pdf", " %PDF-1.7\n"},
        {"%PDF without its dash", "x.pdf", "%PDF"},
        {"a PNG named .jpg", "x.jpg", png_bytes},
        {"a JPEG named .png", "x.png", jpeg_bytes},
        {"an SVG named .png", "x.png", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"},
        {"a PDF named .docx", "x.docx", pdf_bytes},
        {"a zip without [Content_Types].xml named .docx", "x.docx", zip_with({"word/document.xml"})},
        {"a spreadsheet package named .docx", "x.docx", xlsx_bytes},
        {"a document package named .xlsx", "x.xlsx", docx_bytes},
        {"the parts without the zip header", "x.docx", "[Content_Types].xml word/document.xml"},
        {"a spreadsheet (ods) named .odt", "x.odt",
         "PK\x03\x04"s + std::string(26, '\0') + "mimetypeapplication/vnd.oasis.opendocument.spreadsheet"},
        {"the mimetype at another offset", "x.odt",
         "PK\x03\x04"s + std::string(25, '\0') + "mimetypeapplication/vnd.oasis.opendocument.text!"},
        {"a Word package named .odt", "x.odt", docx_bytes},
        {"a text template (ott) named .odt", "x.odt",
         "PK\x03\x04"s + std::string(26, '\0') + "mimetypeapplication/vnd.oasis.opendocument.text-template" + "PK\x03\x04"s},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        ASSERT_FALSE(c.data.empty());
        d::DocumentCheck out;
        EXPECT_EQ(fields_of(d::validate(upload(c.filename, c.data), out)), one("file:agreement.document_content"));
        EXPECT_TRUE(out.content_type.empty());
    }
}

// An OpenDocument file is read at offset 30 for 47 bytes, then for the next entry's signature:
// anything shorter is refused, never read past its end.
TEST(AgreementDocument, AShortOpenDocumentFileIsRefusedWithoutReadingPastItsEnd) {
    ASSERT_EQ(odt_header.size(), 77u);
    EXPECT_EQ(upload_errors(upload("x.odt", odt_header)), std::vector<std::string>{"file:agreement.document_content"})
        << "its mimetype entry and nothing after it";
    EXPECT_EQ(upload_errors(upload("x.odt", odt_header + "PK\x03\x04"s)), std::vector<std::string>{}) << "another entry after";
    for (std::size_t n : {1u, 3u, 4u, 5u, 29u, 30u, 31u, 38u, 60u, 76u}) {
        SCOPED_TRACE(n);
        std::vector<std::string> errors;
        EXPECT_NO_THROW(errors = upload_errors(upload("x.odt", odt_header.substr(0, n))));
        EXPECT_EQ(errors, one("file:agreement.document_content"));
    }
}

// One problem with the file at a time, in the header's order: its size, its name, its type,
// its content.
TEST(AgreementDocument, TheFileGetsOneErrorTheFirstFound) {
    const std::string big(d::max_document_bytes + 1, 'x');
    EXPECT_EQ(upload_errors(upload("../x.html", big)), one("file:agreement.document_too_large"));
    EXPECT_EQ(upload_errors(upload("../x.html", "<html>")), one("file:agreement.document_name"));
    EXPECT_EQ(upload_errors(upload("x.html", "<html>")), one("file:agreement.document_type"));
    EXPECT_EQ(upload_errors(upload("x.pdf", "<html>")), one("file:agreement.document_content"));
}

TEST(AgreementLifecycle, TheDocsShowTheTable) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/AGREEMENTS.md");
    ASSERT_TRUE(in) << "docs/AGREEMENTS.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::agreement_lifecycle().markdown()), std::string::npos) << "docs/AGREEMENTS.md should hold this table:\n"
                                                                                << d::agreement_lifecycle().markdown();
}

// What each CSP role asks for, and where an organisation stands from its agreements of that kind.
TEST(AgreementCoverage, EachRoleAsksForItsAgreementAndTheStateFollowsItsAgreements) {
    EXPECT_EQ(d::required_agreement(d::CspRole::csp_provider), d::AgreementKind::csp_provider);
    EXPECT_EQ(d::required_agreement(d::CspRole::csp_participant), d::AgreementKind::csp_participant);
    EXPECT_FALSE(d::required_agreement(d::CspRole::coordinating_agency));
    EXPECT_FALSE(d::required_agreement(d::CspRole::broader_partner));

    using S = d::AgreementStatus;
    using C = d::CoverageState;
    const Date today = day("2026-06-01");
    auto state = [&](std::vector<d::CoverageInput> in) { return d::coverage_state(in, today); };
    EXPECT_EQ(state({}), C::missing);
    EXPECT_EQ(state({{S::terminated, std::nullopt}, {S::expired, day("2026-01-01")}}), C::lapsed);
    EXPECT_EQ(state({{S::expired, day("2026-01-01")}, {S::draft, day("2027-01-01")}}), C::draft_only);
    EXPECT_EQ(state({{S::active, std::nullopt}}), C::covered) << "no expiry: until ended";
    EXPECT_EQ(state({{S::renewed, day("2026-08-31")}}), C::covered) << "91 days left";
    EXPECT_EQ(state({{S::under_review, day("2026-08-30")}}), C::expiring) << "90 days left";
    EXPECT_EQ(state({{S::active, day("2026-06-02")}, {S::draft, std::nullopt}}), C::expiring)
        << "a draft does not cover what expires";
    EXPECT_EQ(state({{S::active, day("2026-06-02")}, {S::active, day("2027-06-02")}}), C::covered)
        << "another in force beyond the 90 days";
    for (auto s : d::all_coverage_states()) EXPECT_FALSE(d::code(s).empty());
}
