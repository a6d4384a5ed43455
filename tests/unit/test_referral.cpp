// Referrals: what the form accepts and refuses (field by field), the closed loop's moves, when
// a decline must send the family on, which pathways take which referrers, and the reference.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include <algorithm>
#include <set>

#include "features/referral/domain/referral.hpp"

using namespace arrimage;
namespace d = arrimage::domain;

namespace {

const Date today{2026, 12, 1};

d::ReferralForm good_form() {
    d::ReferralForm f;
    f.pathway_id = "4";
    f.source = "family";
    f.given_name = "  Zoé ";
    f.family_name = "Essai-Fictif";
    f.date_of_birth = "2016-04-03";
    f.official_language = "fr";
    f.contact_given_name = "Ana";
    f.contact_family_name = "Essai-Fictif";
    f.contact_relationship = "parent";
    f.contact_phone = "613-555-0199";
    f.needs = "Parle peu.\r\nBesoin d'aide à l'école.";
    f.consent_given_by = "substitute_decision_maker";
    f.consent = "1";
    return f;
}

std::set<std::string> fields_of(const std::vector<FieldError>& e) {
    std::set<std::string> out;
    for (const auto& f : e) out.insert(f.field);
    return out;
}

std::string key_of(const std::vector<FieldError>& e, const std::string& field) {
    for (const auto& f : e)
        if (f.field == field) return f.message_key;
    return "";
}

}  // namespace

TEST(Referral, AGoodFamilyReferralIsNormalised) {
    d::Referral r;
    const auto e = d::validate(good_form(), today, r);
    ASSERT_TRUE(e.empty()) << e.front().field << " " << e.front().message_key;
    EXPECT_EQ(r.pathway_id, 4);
    EXPECT_EQ(r.source, d::ReferralSource::family);
    EXPECT_EQ(r.given_name, "Zoé");
    EXPECT_EQ(r.date_of_birth.iso(), "2016-04-03");
    EXPECT_EQ(r.official_language, Lang::fr);
    EXPECT_EQ(r.contact.relationship, d::FamilyRelationship::parent);
    ASSERT_TRUE(r.contact.phone);
    EXPECT_EQ(r.needs, "Parle peu.\nBesoin d'aide à l'école.");  // CR LF kept as a line break
    EXPECT_EQ(r.consent_given_by, d::GivenBy::substitute_decision_maker);
    EXPECT_EQ(r.consent_method, d::ConsentMethod::electronic);  // the public form
    EXPECT_TRUE(r.referrer_name.empty());
}

TEST(Referral, AnEmptyFormNamesEveryRequiredField) {
    d::Referral r;
    const auto e = d::validate(d::ReferralForm{}, today, r);
    EXPECT_EQ(fields_of(e),
              (std::set<std::string>{"pathway_id", "source", "given_name", "family_name", "date_of_birth", "official_language",
                                     "contact_given_name", "contact_family_name", "contact_relationship", "contact_phone",
                                     "needs", "consent_given_by", "consent"}));
    EXPECT_EQ(key_of(e, "pathway_id"), "referral.error.choose_pathway");
    EXPECT_EQ(key_of(e, "consent"), "referral.error.consent_required");
}

TEST(Referral, BadValuesAreRefusedFieldByField) {
    auto f = good_form();
    f.pathway_id = "x1";
    f.source = "warm_referral";  // only an organisation declining makes one
    f.date_of_birth = "2031-01-01";
    f.contact_email = "not-an-email";
    f.needs = std::string(d::max_needs_length + 1, 'a');
    f.consent = "yes";  // the checkbox sends "1"
    d::Referral r;
    const auto e = d::validate(f, today, r);
    EXPECT_EQ(key_of(e, "pathway_id"), "referral.error.unknown_pathway");
    EXPECT_EQ(key_of(e, "source"), "field.choose_one");
    EXPECT_EQ(key_of(e, "date_of_birth"), "people.dob_in_future");
    EXPECT_EQ(key_of(e, "contact_email"), "field.email");
    EXPECT_EQ(key_of(e, "needs"), "field.too_long");
    EXPECT_EQ(key_of(e, "consent"), "referral.error.consent_required");

    f = good_form();
    f.needs = std::string("a\x01b");
    EXPECT_EQ(key_of(d::validate(f, today, r), "needs"), "field.invalid_text");
    f.needs = "\xC3\x28";
    EXPECT_EQ(key_of(d::validate(f, today, r), "needs"), "field.invalid_text");
}

TEST(Referral, AProfessionalOnThePublicFormSaysWhoTheyAreAndHowToReachThem) {
    auto f = good_form();
    f.source = "professional";
    d::Referral r;
    auto e = d::validate(f, today, r);
    EXPECT_EQ(key_of(e, "referrer_name"), "field.required");
    EXPECT_EQ(key_of(e, "referrer_organisation"), "field.required");
    EXPECT_EQ(key_of(e, "referrer_phone"), "referral.error.referrer_contact");
    f.referrer_name = "Dre Essai";
    f.referrer_organisation = "Clinique Exemple";
    f.referrer_email = "DRE@EXEMPLE.INVALID";
    e = d::validate(f, today, r);
    ASSERT_TRUE(e.empty()) << e.front().field;
    EXPECT_EQ(r.referrer_email, "dre@exemple.invalid");
}

TEST(Referral, SignedInStaffAreProfessionalsAndSayHowConsentWasGiven) {
    auto f = good_form();
    f.signed_in = true;
    f.source = "";
    d::Referral r;
    auto e = d::validate(f, today, r);
    EXPECT_EQ(fields_of(e), (std::set<std::string>{"consent_method"}));
    f.consent_method = "verbal";
    e = d::validate(f, today, r);
    ASSERT_TRUE(e.empty());
    EXPECT_EQ(r.source, d::ReferralSource::professional);
    EXPECT_EQ(r.consent_method, d::ConsentMethod::verbal);
}

// Every (status, event, relationship) of the referral's lifecycle, allowed or refused on
// purpose: the expected table is written out here, independently of the one in domain/.
TEST(Referral, EveryStatusEventAndRelationshipOfTheLifecycle) {
    using S = d::ReferralStatus;
    using E = d::ReferralEvent;
    using R = d::Relationship;
    struct Allowed {
        S from;
        E event;
        S to;
    };
    // The HL7 SDOH closed loop: the receiver answers, the sending side cancels.
    const std::vector<Allowed> allowed = {
        {S::requested, E::receive, S::received},     {S::requested, E::accept, S::accepted},
        {S::received, E::accept, S::accepted},       {S::waitlisted, E::accept, S::accepted},
        {S::requested, E::waitlist, S::waitlisted},  {S::received, E::waitlist, S::waitlisted},
        {S::waitlisted, E::waitlist, S::waitlisted}, {S::accepted, E::start, S::in_progress},
        {S::accepted, E::complete, S::completed},    {S::in_progress, E::complete, S::completed},
        {S::requested, E::decline, S::declined},     {S::received, E::decline, S::declined},
        {S::waitlisted, E::decline, S::declined},    {S::accepted, E::decline, S::declined},
        {S::requested, E::cancel, S::cancelled},     {S::received, E::cancel, S::cancelled},
        {S::waitlisted, E::cancel, S::cancelled},    {S::accepted, E::cancel, S::cancelled},
        {S::in_progress, E::cancel, S::cancelled},
    };
    const auto& table = d::referral_lifecycle();
    int checked = 0;
    for (auto from : d::all_referral_statuses())
        for (auto event : d::all_referral_events())
            for (int ri = 0; ri < d::relationship_count; ++ri) {
                const auto who = static_cast<R>(ri);
                SCOPED_TRACE(std::string(d::code(from)) + " " + std::string(d::code(event)) + " " + std::string(d::code(who)));
                const Allowed* row = nullptr;
                for (const auto& a : allowed)
                    if (a.from == from && a.event == event) row = &a;
                const auto fired = table.fire(from, event, who, {});
                if (!row) {
                    ASSERT_FALSE(fired);
                    EXPECT_EQ(fired.error().code, arrimage::Errc::Conflict);
                    EXPECT_EQ(fired.error().message_key, "lifecycle.not_from_state");
                } else if (event == E::cancel ? (who != R::assigned_coordinator && who != R::team_member)
                                              : who != R::coordinating_agency) {
                    ASSERT_FALSE(fired);
                    EXPECT_EQ(fired.error().code, arrimage::Errc::Forbidden);
                } else {
                    ASSERT_TRUE(fired);
                    EXPECT_EQ((*fired)->to, row->to);
                }
                ++checked;
            }
    EXPECT_EQ(checked, 8 * 7 * d::relationship_count);
    EXPECT_EQ(table.rows().size(), allowed.size());
    // The events a page offers.
    EXPECT_EQ(table.available(S::received, R::coordinating_agency, {}), (std::vector<E>{E::accept, E::waitlist, E::decline}));
    EXPECT_TRUE(table.available(S::received, R::privacy_officer, {}).empty());
    EXPECT_TRUE(table.available(S::completed, R::coordinating_agency, {}).empty());
    EXPECT_EQ(table.available(S::requested, R::coordinating_agency, {}),
              (std::vector<E>{E::receive, E::accept, E::waitlist, E::decline}));
    EXPECT_EQ(table.available(S::in_progress, R::assigned_coordinator, {}), (std::vector<E>{E::cancel}));
    for (auto s : d::all_referral_statuses()) {
        EXPECT_EQ(d::is_open(s), !table.available(s, R::team_member, {}).empty()) << d::code(s);
        EXPECT_EQ(d::awaits_answer(s), s == S::requested || s == S::received) << d::code(s);
    }
}

// A guard refuses with its own message; the rendered table names it.
TEST(Lifecycle, GuardsAndTheRenderedTable) {
    enum class St { open, closed };
    enum class Ev { close };
    struct Facts {
        bool resolved = false;
    };
    const d::Lifecycle<St, Ev, Facts> table(
        "test",
        {{St::open,
          Ev::close,
          St::closed,
          {d::Relationship::privacy_officer},
          [](const Facts& f) { return f.resolved; },
          "the matter is resolved",
          "test.unresolved"}},
        [](St s) { return std::string_view(s == St::open ? "open" : "closed"); }, [](Ev) { return std::string_view("close"); });
    auto r = table.fire(St::open, Ev::close, d::Relationship::privacy_officer, {false});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message_key, "test.unresolved");
    EXPECT_TRUE(table.fire(St::open, Ev::close, d::Relationship::privacy_officer, {true}));
    EXPECT_EQ(table.markdown(),
              "| from | event | to | who may | guard |\n|---|---|---|---|---|\n"
              "| `open` | `close` | `closed` | privacy_officer | the matter is resolved |\n");
}

// docs/REFERRALS.md shows the table as the code has it.
TEST(Referral, TheDocsShowTheLifecycleTable) {
    std::ifstream in(std::string(ARRIMAGE_SOURCE_DIR) + "/docs/REFERRALS.md");
    ASSERT_TRUE(in) << "docs/REFERRALS.md";
    const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(doc.find(d::referral_lifecycle().markdown()), std::string::npos) << "docs/REFERRALS.md should hold this table:\n"
                                                                               << d::referral_lifecycle().markdown();
}

TEST(Referral, ADeclineIsNeverADeadEndUnlessTheFamilyDeclinedOrItIsADuplicate) {
    for (auto r : d::all_decline_reasons())
        EXPECT_EQ(d::needs_warm_referral(r), r != d::DeclineReason::family_declined && r != d::DeclineReason::duplicate)
            << d::code(r);
    // A referral from a file needs none: its coordinator finds the next service.
    for (auto r : d::all_decline_reasons())
        for (auto src : d::all_referral_sources())
            EXPECT_EQ(d::needs_warm_referral(r, src), src != d::ReferralSource::file && d::needs_warm_referral(r));
    // The form checks what was typed; whether a pathway is required is the store's check
    // against the referral's source.
    d::Decline out;
    auto e = d::validate(d::DeclineForm{"no_capacity", "", "", ""}, out);
    EXPECT_TRUE(e.empty());
    EXPECT_FALSE(out.warm_pathway_id);
    e = d::validate(d::DeclineForm{"no_capacity", "", "7", "1"}, out);
    ASSERT_TRUE(e.empty());
    EXPECT_EQ(out.warm_pathway_id, 7);
    e = d::validate(d::DeclineForm{"family_declined", "", "", ""}, out);
    EXPECT_TRUE(e.empty());
    EXPECT_FALSE(out.warm_pathway_id);
    // A warm referral offered anyway still needs the family's agreement.
    e = d::validate(d::DeclineForm{"duplicate", "", "7", ""}, out);
    EXPECT_EQ(key_of(e, "warm_consent"), "referral.error.warm_consent_required");
    e = d::validate(d::DeclineForm{"other", "", "7", "1"}, out);
    EXPECT_EQ(key_of(e, "note"), "field.required");
    e = d::validate(d::DeclineForm{"sideways", "", "abc", "1"}, out);
    EXPECT_EQ(key_of(e, "reason"), "field.choose_one");
    EXPECT_EQ(key_of(e, "warm_pathway_id"), "referral.error.unknown_pathway");
}

TEST(Referral, ProfessionalReferralPathwaysTakeOnlyProfessionals) {
    using M = d::AccessMechanism;
    using S = d::ReferralSource;
    EXPECT_FALSE(d::pathway_accepts(M::professional_referral, S::family));
    EXPECT_FALSE(d::pathway_accepts(M::professional_referral, S::youth));
    EXPECT_TRUE(d::pathway_accepts(M::professional_referral, S::professional));
    EXPECT_TRUE(d::pathway_accepts(M::professional_referral, S::warm_referral));
    for (auto s : d::all_referral_sources()) {
        EXPECT_TRUE(d::pathway_accepts(M::single_window, s));
        EXPECT_TRUE(d::pathway_accepts(M::direct_intake, s));
    }
}

TEST(Referral, ReferencesAreShortUnambiguousAndRecognised) {
    std::set<std::string> seen;
    for (std::uint64_t bits : {0ull, 1ull, 31ull, 0xFFFFFFFFFFull, 0x123456789ABCDEFull, ~0ull}) {
        const auto r = d::referral_reference(bits);
        EXPECT_TRUE(d::valid_referral_reference(r)) << r;
        EXPECT_EQ(r.substr(2).find_first_of("01OIL"), std::string::npos) << r;
        seen.insert(r);
    }
    EXPECT_EQ(seen.size(), 6u);
    EXPECT_FALSE(d::valid_referral_reference("R-0000000O"));
    EXPECT_FALSE(d::valid_referral_reference("X-23456789"));
    EXPECT_FALSE(d::valid_referral_reference("R-2345678"));
}

TEST(Referral, CodesRoundTrip) {
    for (auto s : d::all_referral_sources()) EXPECT_EQ(d::parse_referral_source(d::code(s)), s);
    for (auto s : d::all_referral_statuses()) EXPECT_EQ(d::parse_referral_status(d::code(s)), s);
    for (auto r : d::all_decline_reasons()) EXPECT_EQ(d::parse_decline_reason(d::code(r)), r);
    EXPECT_FALSE(d::parse_referral_status("lost"));
}

TEST(Referral, AReferralFromAFileNamesAServiceAndWhy) {
    d::Outbound out;
    auto e = d::validate(d::OutboundForm{"", ""}, out);
    EXPECT_EQ(key_of(e, "service_id"), "field.choose_one");
    EXPECT_EQ(key_of(e, "needs"), "field.required");
    e = d::validate(d::OutboundForm{"12", std::string(d::max_needs_length + 1, 'a')}, out);
    EXPECT_EQ(key_of(e, "needs"), "field.too_long");
    e = d::validate(d::OutboundForm{" 12 ", "Speech therapy assessment."}, out);
    ASSERT_TRUE(e.empty());
    EXPECT_EQ(out.service_id, 12);
    EXPECT_EQ(out.needs, "Speech therapy assessment.");
}

TEST(Referral, AWaitlistAnswerGivesADateFromTodayToFiveYearsAhead) {
    const arrimage::Date today{2026, 12, 3};
    d::WaitlistAnswer out;
    EXPECT_EQ(key_of(d::validate(d::WaitlistAnswerForm{"", ""}, today, out), "expected_date"), "field.required");
    EXPECT_EQ(key_of(d::validate(d::WaitlistAnswerForm{"2027-02-30", ""}, today, out), "expected_date"), "people.invalid_date");
    EXPECT_EQ(key_of(d::validate(d::WaitlistAnswerForm{"2026-12-02", ""}, today, out), "expected_date"),
              "referral.error.expected_date_range");
    EXPECT_EQ(key_of(d::validate(d::WaitlistAnswerForm{"2031-12-04", ""}, today, out), "expected_date"),
              "referral.error.expected_date_range");
    EXPECT_TRUE(d::validate(d::WaitlistAnswerForm{"2026-12-03", ""}, today, out).empty());
    EXPECT_TRUE(d::validate(d::WaitlistAnswerForm{"2031-12-03", "Spring group."}, today, out).empty());
    EXPECT_EQ(out.expected_date.iso(), "2031-12-03");
    // The published wait, in whole weeks rounded up, within the directory's 1 to 260.
    EXPECT_EQ(d::wait_weeks_until(today, today), 1);
    EXPECT_EQ(d::wait_weeks_until(today, arrimage::Date{2026, 12, 10}), 1);
    EXPECT_EQ(d::wait_weeks_until(today, arrimage::Date{2026, 12, 11}), 2);
    EXPECT_EQ(d::wait_weeks_until(today, arrimage::Date{2031, 12, 3}), 260);
    std::string reason;
    EXPECT_EQ(key_of(d::validate_cancel_reason("  ", reason), "note"), "field.required");
    EXPECT_TRUE(d::validate_cancel_reason("The family moved.", reason).empty());
}

// What a referral from a file may carry is what the family's consent names the receiving
// organisation for, under the referral purpose, less a deny or a lockbox entry.
TEST(Referral, AReferralCarriesOnlyWhatTheFamilyConsentedToShareWithThatOrganisation) {
    const auto now = std::chrono::system_clock::now();
    d::ConsentDirective permit;
    permit.id = 5;
    permit.effect = d::DirectiveEffect::permit;
    permit.organisations = {40};
    permit.categories = {d::Category::identity_contact, d::Category::assessments_reports};
    permit.purposes = {d::Purpose::referral};
    permit.given_at = now - std::chrono::hours(24);
    std::vector<d::ConsentDirective> directives{permit};
    auto sharing = d::shared_with(40, directives, {}, now);
    EXPECT_EQ(sharing.categories, (std::vector<d::Category>{d::Category::identity_contact, d::Category::assessments_reports}));
    EXPECT_EQ(sharing.identity_directive_id, 5);
    // Another organisation: nothing; coordination only: nothing.
    EXPECT_TRUE(d::shared_with(41, directives, {}, now).categories.empty());
    directives[0].purposes = {d::Purpose::coordination};
    EXPECT_EQ(d::shared_with(40, directives, {}, now).identity_directive_id, 0);
    // A lockbox entry keeps its category from that organisation.
    directives[0].purposes = {d::Purpose::referral};
    d::LockboxEntry lock;
    lock.id = 1;
    lock.organisation_id = 40;
    lock.category = d::Category::assessments_reports;
    lock.created_at = now - std::chrono::hours(1);
    std::vector<d::LockboxEntry> lockbox{lock};
    sharing = d::shared_with(40, directives, lockbox, now);
    EXPECT_EQ(sharing.categories, (std::vector<d::Category>{d::Category::identity_contact}));
    EXPECT_FALSE(sharing.covers(d::Category::assessments_reports));
}
