#pragma once
// Referrals: the first step of the coordinated service planning cycle, and the closed loop of
// every referral after it. A family (self-referral), a youth or a professional fills in the
// referral form; the coordinating agency's referral pathways (domain/directory.hpp) route it to
// the organisation and service that take that need in that area. The receiving organisation
// accepts it, later marks it completed, or declines it with a documented reason and, unless
// the family declined or it duplicates another referral, a warm referral along another
// pathway: never a dead end. Pure: no I/O; today's date is passed in.
//
// Status (catalogue referral.status.<code>), moved by the events of referral_lifecycle():
//
//   received --accept--> accepted --complete--> completed
//      |                    |
//      +------decline-------+--> declined (reason; warm referral to another pathway)
//
// Who made it (referral.source.<code>): the youth, a family member, a professional, or the
// organisation that declined an earlier referral (warm_referral). A referral needs the
// agreement of the person who can give it (the capable youth, otherwise a parent or
// substitute decision-maker), recorded with how it was given; it is what lets the referral
// reach the receiving organisation, and nothing beyond it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/consent.hpp"
#include "domain/directory.hpp"
#include "domain/lifecycle.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

enum class ReferralSource : std::uint8_t { youth, family, professional, warm_referral };
enum class ReferralStatus : std::uint8_t { received, accepted, declined, completed };
enum class DeclineReason : std::uint8_t {
    not_eligible_age,
    not_eligible_needs,
    outside_area,
    no_capacity,
    family_declined,
    duplicate,
    other,
};

const std::vector<ReferralSource>& all_referral_sources();
const std::vector<ReferralStatus>& all_referral_statuses();
const std::vector<DeclineReason>& all_decline_reasons();
std::string_view code(ReferralSource s);
std::string_view code(ReferralStatus s);
std::string_view code(DeclineReason r);
std::optional<ReferralSource> parse_referral_source(std::string_view s);
std::optional<ReferralStatus> parse_referral_status(std::string_view s);
std::optional<DeclineReason> parse_decline_reason(std::string_view s);

// A decline for this reason must name another pathway (a warm referral). The family declining
// and a duplicate of a referral already under way are the only dead ends allowed.
bool needs_warm_referral(DeclineReason r);

// Whether a referral in `from` may move to `to` (the diagram above).
// The events of a referral's lifecycle (catalogue referral.event.<code>).
enum class ReferralEvent : std::uint8_t { accept, complete, decline };
const std::vector<ReferralEvent>& all_referral_events();
std::string_view code(ReferralEvent e);
std::optional<ReferralEvent> parse_referral_event(std::string_view s);
// What a referral's guards look at (none so far: every move depends on the status alone).
struct ReferralFacts {};
using ReferralLifecycle = Lifecycle<ReferralStatus, ReferralEvent, ReferralFacts>;
// The table (docs/REFERRALS.md renders it): the receiving organisation's staff accept,
// complete and decline; a declined or completed referral is final.
const ReferralLifecycle& referral_lifecycle();

// The form as submitted. `pathway_id`: the pathway chosen among the area's active ones.
// Sources youth and family need no referrer; a professional gives their name, organisation and
// a phone number or email (a signed-in professional's come from their account: `signed_in`).
struct ReferralForm {
    std::string pathway_id, source;
    std::string referrer_name, referrer_organisation, referrer_phone, referrer_email;
    std::string given_name, family_name, date_of_birth, official_language, preferred_language;
    std::string contact_given_name, contact_family_name, contact_relationship, contact_phone, contact_email;
    std::string needs;
    std::string consent_given_by, consent_method, consent;  // consent: "1" when ticked
    bool signed_in = false;
};

struct Referral {
    std::int64_t pathway_id = 0;
    ReferralSource source = ReferralSource::family;
    std::string referrer_name, referrer_organisation;
    std::optional<std::string> referrer_phone, referrer_email;
    std::string given_name, family_name;
    Date date_of_birth;
    Lang official_language = Lang::en;
    std::string preferred_language;
    FamilyMember contact;  // the parent, caregiver or youth to call back
    std::string needs;     // in the referrer's words
    GivenBy consent_given_by = GivenBy::substitute_decision_maker;
    ConsentMethod consent_method = ConsentMethod::electronic;
};

inline constexpr std::size_t max_needs_length = 4000;

// Field errors (catalogue keys) or, when empty, `out` filled. The child's names and date of
// birth as for a file (people.hpp); the contact as a family member with the prefix "contact_";
// the needs required, multi-line, at most max_needs_length characters; consent ticked, with
// who gave it and how (a self-referral from the public form is electronic).
std::vector<FieldError> validate(const ReferralForm& in, const Date& today, Referral& out);

// A pathway as the form offers it: professional referral pathways accept only professionals.
bool pathway_accepts(AccessMechanism m, ReferralSource s);

// The receiving organisation's decision, as submitted.
struct DeclineForm {
    std::string reason, note, warm_pathway_id, warm_consent;
};
struct Decline {
    DeclineReason reason = DeclineReason::other;
    std::string note;
    std::optional<std::int64_t> warm_pathway_id;
};
// Reason required; a note required for "other"; a warm pathway required when
// needs_warm_referral(reason), and then the family's agreement to it ticked.
std::vector<FieldError> validate(const DeclineForm& in, Decline& out);

// A short note with an acceptance or a completion (optional, at most 1,000 characters).
std::vector<FieldError> validate_note(std::string_view raw, std::string& out);

// The public reference given to whoever referred: "R-" and 8 characters of an alphabet
// without look-alikes (no 0/O, 1/I/L), from 40 random bits.
std::string referral_reference(std::uint64_t random_bits);
bool valid_referral_reference(std::string_view s);

}  // namespace arrimage::domain
