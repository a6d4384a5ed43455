#pragma once
// Referrals: the first step of the coordinated service planning cycle, and the closed loop of
// every referral after it. A family (self-referral), a youth or a professional fills in the
// referral form; the coordinating agency's referral pathways (domain/directory.hpp) route it to
// the organisation and service that take that need in that area. The receiving organisation
// accepts it, later marks it completed, or declines it with a documented reason and, unless
// the family declined or it duplicates another referral, a warm referral along another
// pathway: never a dead end. Pure: no I/O; today's date is passed in.
//
// One record and one lifecycle for every referral, in and out. An inbound referral (the public
// form, a professional, a warm referral) arrives `received` at the organisation its pathway
// names. An outbound one is sent from a child's file by its coordinator or a team member to a
// service found in the directory (source `file`), carrying only what the family consented to
// share with that organisation, and starts `requested`. The states are those of the HL7 SDOH
// closed loop (catalogue referral.status.<code>), moved by the events of referral_lifecycle():
//
//   requested --receive--> received --accept--> accepted --start--> in_progress
//       |                     |                    |                    |
//       |                     +--waitlist--> waitlisted (expected date)  +--complete--> completed
//       +--accept / waitlist / decline --->        |  (accept)          |
//   decline (reason): from requested, received, waitlisted, accepted --> declined
//   cancel (the sending side): from any open state ----------------------> cancelled
//
// Who made it (referral.source.<code>): the youth, a family member, a professional, the
// organisation that declined an earlier referral (warm_referral), or a child's file (file). A
// referral needs the
// agreement of the person who can give it (the capable youth, otherwise a parent or
// substitute decision-maker), recorded with how it was given; it is what lets the referral
// reach the receiving organisation, and nothing beyond it.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/consent.hpp"
#include "domain/directory.hpp"
#include "domain/lifecycle.hpp"
#include "domain/people.hpp"
#include "domain/privacy.hpp"

namespace arrimage::domain {

enum class ReferralSource : std::uint8_t { youth, family, professional, warm_referral, file };
enum class ReferralStatus : std::uint8_t {
    requested,
    received,
    accepted,
    declined,
    waitlisted,
    in_progress,
    completed,
    cancelled,
};
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
// and a duplicate of a referral already under way are the only dead ends allowed. A referral
// sent from a child's file needs none: its coordinator, who sent it, finds the next service.
bool needs_warm_referral(DeclineReason r);
bool needs_warm_referral(DeclineReason r, ReferralSource source);

// Whether a referral in this state still waits for the receiving organisation's answer (the
// reminder after the area's referral_answer_days), and whether it is still open (cancellable).
bool awaits_answer(ReferralStatus s);
bool is_open(ReferralStatus s);

// The events of a referral's lifecycle (catalogue referral.event.<code>).
enum class ReferralEvent : std::uint8_t { receive, accept, waitlist, start, complete, decline, cancel };
const std::vector<ReferralEvent>& all_referral_events();
std::string_view code(ReferralEvent e);
std::optional<ReferralEvent> parse_referral_event(std::string_view s);
// What a referral's guards look at (none so far: every move depends on the status alone).
struct ReferralFacts {};
using ReferralLifecycle = Lifecycle<ReferralStatus, ReferralEvent, ReferralFacts>;
// The table (docs/REFERRALS.md renders it): the receiving organisation's staff (relationship
// coordinating_agency: the receiver stands to a referral as an agency to a file it takes in)
// answer it; the sending side of a referral from a file (the file's assigned coordinator or a
// team member) cancels it. Declined, completed and cancelled are final.
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
// Reason required; a note required for "other"; a warm pathway, when given, with the family's
// agreement to it ticked. Whether one is required depends on the referral's source
// (needs_warm_referral): the store checks it against the referral.
std::vector<FieldError> validate(const DeclineForm& in, Decline& out);

// A referral from a child's file, as the coordinator submits it: the service found in the
// directory and why it is asked for (required, at most max_needs_length characters).
struct OutboundForm {
    std::string service_id, needs;
};
struct Outbound {
    std::int64_t service_id = 0;
    std::string needs;
};
std::vector<FieldError> validate(const OutboundForm& in, Outbound& out);

// The receiving organisation puts the family on its waitlist: the date it expects to start
// (YYYY-MM-DD, from today to five years ahead) and an optional note.
struct WaitlistAnswerForm {
    std::string expected_date, note;
};
struct WaitlistAnswer {
    Date expected_date;
    std::string note;
};
std::vector<FieldError> validate(const WaitlistAnswerForm& in, const Date& today, WaitlistAnswer& out);
// The published wait of a service whose new family waits until `expected` (whole weeks from
// today, rounded up, at least 1 and at most 260).
int wait_weeks_until(const Date& today, const Date& expected);

// What the family's consent lets a file's referral carry to `organisation_id`: the consentable
// categories for which a permit directive in effect names that organisation for the referral
// purpose, less those a deny directive or a lockbox entry keeps from it. Asked of the policy
// decision point (domain/privacy.hpp) as that organisation's staff would be asked if they were
// on the file's team, so the rules are the policy's own, not a second copy. In the order of
// consentable_categories(). A referral from a file needs identity_contact among them; it
// records the directive relied on for it (who gave the consent, and how).
struct Sharing {
    std::vector<Category> categories;
    std::int64_t identity_directive_id = 0;  // 0: identity and contact may not go
    bool covers(Category c) const;
};
Sharing shared_with(std::int64_t organisation_id, std::span<const ConsentDirective> directives,
                    std::span<const LockboxEntry> lockbox, TimePoint now);

// Why the sending side cancels (required, at most 1,000 characters).
std::vector<FieldError> validate_cancel_reason(std::string_view raw, std::string& out);

// A short note with an acceptance or a completion (optional, at most 1,000 characters).
std::vector<FieldError> validate_note(std::string_view raw, std::string& out);

// The public reference given to whoever referred: "R-" and 8 characters of an alphabet
// without look-alikes (no 0/O, 1/I/L), from 40 random bits.
std::string referral_reference(std::uint64_t random_bits);
bool valid_referral_reference(std::string_view s);

}  // namespace arrimage::domain
