// Referrals: what the form accepts and refuses (field by field), the closed loop's moves, when
// a decline must send the family on, which pathways take which referrers, and the reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "domain/referral.hpp"

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
    EXPECT_EQ(fields_of(e), (std::set<std::string>{"pathway_id", "source", "given_name", "family_name", "date_of_birth",
                                                   "official_language", "contact_given_name", "contact_family_name",
                                                   "contact_relationship", "contact_phone", "needs", "consent_given_by", "consent"}));
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

TEST(Referral, TheClosedLoopMovesOnlyForward) {
    using S = d::ReferralStatus;
    EXPECT_TRUE(d::may_move(S::received, S::accepted));
    EXPECT_TRUE(d::may_move(S::received, S::declined));
    EXPECT_TRUE(d::may_move(S::accepted, S::completed));
    EXPECT_TRUE(d::may_move(S::accepted, S::declined));
    EXPECT_FALSE(d::may_move(S::received, S::completed));
    EXPECT_FALSE(d::may_move(S::accepted, S::accepted));
    for (auto to : d::all_referral_statuses()) {
        EXPECT_FALSE(d::may_move(S::declined, to));
        EXPECT_FALSE(d::may_move(S::completed, to));
        EXPECT_FALSE(d::may_move(to, S::received));
    }
}

TEST(Referral, ADeclineIsNeverADeadEndUnlessTheFamilyDeclinedOrItIsADuplicate) {
    for (auto r : d::all_decline_reasons())
        EXPECT_EQ(d::needs_warm_referral(r), r != d::DeclineReason::family_declined && r != d::DeclineReason::duplicate)
            << d::code(r);
    d::Decline out;
    auto e = d::validate(d::DeclineForm{"no_capacity", "", "", ""}, out);
    EXPECT_EQ(key_of(e, "warm_pathway_id"), "referral.error.warm_required");
    EXPECT_EQ(key_of(e, "warm_consent"), "referral.error.warm_consent_required");
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
