#pragma once
// The policy decision point: every read or write of a child's or youth's personal information
// asks `decide` first and writes the answer to the audit (store/audit_repo.hpp) in the same
// transaction. Pure: no I/O; the store loads the file's consent directives, lockbox entries and
// the actor's break-the-glass grants, and computes the actor's relationship to the file.
//
// Deny by default: anything not permitted below is denied. Rules, in the order they apply
// (the first that decides wins):
//
//  step | condition                                                    | effect          | reason
//  -----+--------------------------------------------------------------+-----------------+---------------------------
//   1   | role system_admin (administers the platform, not a clinician)| deny            | system_admin_no_access
//   2   | role ministry_analyst (sees aggregated, de-identified data   | deny            | deidentified_only
//       | only, never a file)                                          |                 |
//   3   | (role, relationship) has no profile (table A)                | deny            | no_relationship (relationship
//       |                                                              |                 | none) or role_relationship_
//       |                                                              |                 | not_permitted
//   4   | the profile allows nothing for the purpose (table B)         | deny            | purpose_not_permitted
//   5   | ... nothing for the category under that purpose              | deny            | category_not_permitted
//   6   | ... not this action on that category and purpose             | deny            | action_not_permitted
//   7   | basis consent or referral_intake, and a deny directive in    | deny            | consent_denied
//       | effect covers (actor's organisation, category, purpose)      |                 | (a deny overrides a permit)
//   8   | basis consent, and no permit directive in effect covers it   | deny            | consent_withdrawn >
//       | (reason: the most telling of the covering directives that    |                 | consent_expired >
//       | are not in effect; else an active permit that does not       |                 | consent_not_yet_effective >
//       | cover it; else none at all)                                  |                 | consent_out_of_scope > no_consent
//   9   | a lockbox entry in effect withholds the (consentable)        | read, list,     | lockbox
//       | category from the actor's organisation                       | search, print,  |
//       |                                                              | export:         |
//       |                                                              | permit_withheld;|
//       |                                                              | create, update: |
//       |                                                              | deny            |
//  10   | otherwise                                                    | permit          | the basis: consent,
//       |                                                              |                 | referral_intake,
//       |                                                              |                 | privacy_oversight or
//       |                                                              |                 | family_access
//  11   | steps 3-9 did not permit, the actor has a break-the-glass    | permit,         | break_glass
//       | grant in effect on this file, role coordinator,              | flagged         |
//       | provider_manager or participant_staff, purpose coordination, | break_glass     |
//       | action read or list, category consentable (any relationship) |                 |
//
// The family's own access (profile "family", role family: a principal of its own kind,
// features/family) rests on the family's standing, not on consent directives or the lockbox,
// which name organisations. Its steps come after step 3 and replace steps 7-9:
//
//  step | condition                                                    | effect          | reason
//  -----+--------------------------------------------------------------+-----------------+---------------------------
//   F1  | relationship family_of, and the family member has no         | deny            | no_authority
//       | authority to act for the child (e.g. a court order)          |                 |
//   F2  | relationship self, and the youth is not capable of deciding  | deny            | not_capable
//       | (their substitute decision-maker acts for them)              |                 |
//  4-6  | table B, profile family                                      | deny            | as above
//   F3  | relationship family_of, the youth is capable, and the action | deny            | youth_decides
//       | creates or updates identity and contact (the file's consent  |                 |
//       | and lockbox are kept under it): a capable youth decides      |                 |
//   F4  | relationship family_of, and the capable youth withholds the  | read-like:      | youth_withheld
//       | category from this family member                             | permit_withheld;|
//       |                                                              | writes: deny    |
//   F5  | otherwise                                                    | permit          | family_access
//
// Break-the-glass overrides missing, expired or withdrawn consent, deny directives and the
// lockbox, for reading only; it is used only when needed, so an access the actor could make
// anyway is not flagged. An expired grant counts for nothing. Lockbox notices are given only to
// someone who would otherwise have been permitted: others learn nothing, not even that
// something was withheld.
//
// Table A — profile of (role, relationship). The store computes one relationship per grant:
// assigned_coordinator > team_member > coordinating_agency (the actor's organisation is the
// file's coordinating agency) > privacy_officer (a privacy officer of that agency) > none; for a
// family account, family_of (a family member the coordinator invited) or self (the youth
// invited to their own file), from the file's active family access, else none.
// A referral, which has no file yet (features/referral/store), is identity and contact under the
// referral purpose, and its receiving organisation stands to it as the coordinating agency.
//
//  role \ relationship | none | assigned_coordinator | team_member | coordinating_agency | privacy_officer
//  --------------------+------+----------------------+-------------+---------------------+----------------
//  system_admin        |  (step 1: never)
//  ministry_analyst    |  (step 2: never)
//  ca_admin            |  -   |  x                   |  x          |  agency             |  x
//  privacy_officer     |  -   |  x                   |  x          |  x                  |  oversight
//  coordinator         |  -   |  owner               |  team       |  agency             |  x
//  provider_manager    |  -   |  x                   |  team       |  agency             |  x
//  participant_staff   |  -   |  x                   |  team       |  x                  |  x
//  family              |  -   |  x                   |  x          |  x                  |  x
//
//  role \ relationship | family_of | self
//  --------------------+-----------+--------
//  family              |  family   | family
//  any staff role      |  x        | x
//  ( - : no_relationship;  x : role_relationship_not_permitted )
//
// A privacy officer working at the coordinating agency is evaluated as privacy_officer, never
// as agency staff: they read the audit and who the family is, not clinical content.
//
// Table B — what each profile may do. R read, L list, S search, C create, U update, P print,
// E export. "7 categories" are the consentable ones; access_log is listed when allowed.
//
//  profile   | purpose      | categories                   | actions       | basis
//  ----------+--------------+------------------------------+---------------+------------------
//  owner     | coordination | 7 categories                 | R L S C U P E | consent
//            | referral     | 7 categories                 | R L S C U P E | consent
//  team      | coordination | 7 categories                 | R L S C U P   | consent
//            | referral     | 7 categories                 | R L S C       | consent
//  agency    | referral     | identity_contact             | R L S C U     | referral_intake (no consent
//            |              |                              |               | yet: intake of a referral)
//            | referral     | assessments_reports          | R L S C U     | referral_intake (the intake's
//            |              |                              |               | story and screening)
//            | coordination | identity_contact             | R L S C U     | consent
//            | coordination | plan                         | R L S         | consent
//            | reporting    | plan                         | R L S         | consent
//  oversight | oversight    | access_log                   | R L S P E     | privacy_oversight
//            | oversight    | privacy_registers            | R L S C U P E | privacy_oversight
//            | oversight    | identity_contact             | R L S         | privacy_oversight
//  family    | coordination | identity_contact             | R L P C U     | family_access (C U: the
//            |              |                              |               | file's consent and lockbox)
//            | coordination | health, education,           | R L P         | family_access
//            |              | assessments_reports          |               |
//            | coordination | plan                         | R L P C U     | family_access (C U: signing
//            |              |                              |               | the plan, the family's notes)
//            | coordination | access_log                   | R L P E       | family_access (who accessed
//            |              |                              |               | their file)
//
// Everything else (including reporting by owners and teams, access_log for anyone but the
// privacy officer and the family, privacy_registers for anyone but the privacy officer, and a
// family's case notes and safety notes, which are the team's and may concern a family member:
// the family asks the privacy office for them) is denied. privacy_oversight rests on the agency's statutory
// accountability, not on consent (directives cannot name the oversight purpose); the lockbox
// still applies to identity_contact.
//
// Each reason has a stable code (stored in the audit) and the catalogue key
// privacy.reason.<code>; each effect privacy.effect.<code>; actions and relationships
// privacy.action.<code> and privacy.relationship.<code>.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "domain/consent.hpp"
#include "domain/identity.hpp"

namespace arrimage::domain {

enum class Action : std::uint8_t { read, list, search, create, update, export_, print };
inline constexpr int action_count = 7;

enum class Relationship : std::uint8_t {
    none,
    assigned_coordinator,
    team_member,
    coordinating_agency,
    privacy_officer,
    family_of,  // a family member with family access to the file (a family account)
    self,       // the youth themselves (a family account)
};
inline constexpr int relationship_count = 7;
// A family account's relationship to a file (family_of or self).
constexpr bool is_family_relationship(Relationship r) {
    return r == Relationship::family_of || r == Relationship::self;
}

enum class Effect : std::uint8_t { permit, permit_withheld, deny };

enum class Reason : std::uint8_t {
    // permit
    consent,
    referral_intake,
    privacy_oversight,
    break_glass,
    family_access,
    // a complaint in the area's register (features/complaints), decided by the complaints
    // repository for the agency, the complaint's owner and whoever raised it, not by these tables
    complaint_handling,
    // permit_withheld (read-like actions) or deny (writes), for a family member
    youth_withheld,
    // permit_withheld (read-like actions) or deny (writes)
    lockbox,
    // deny
    system_admin_no_access,
    deidentified_only,
    no_relationship,
    role_relationship_not_permitted,
    purpose_not_permitted,
    category_not_permitted,
    action_not_permitted,
    consent_denied,
    consent_withdrawn,
    consent_expired,
    consent_not_yet_effective,
    consent_out_of_scope,
    no_consent,
    no_authority,
    not_capable,
    youth_decides,
};

const std::vector<Action>& all_actions();
const std::vector<Relationship>& all_relationships();
const std::vector<Effect>& all_effects();
const std::vector<Reason>& all_reasons();
std::string_view code(Action a);  // "export" for export_
std::string_view code(Relationship r);
std::string_view code(Effect e);
std::string_view code(Reason r);
std::optional<Action> parse_action(std::string_view s);
std::optional<Relationship> parse_relationship(std::string_view s);
std::optional<Effect> parse_effect(std::string_view s);
std::optional<Reason> parse_reason(std::string_view s);
std::string reason_key(Reason r);  // privacy.reason.<code>
std::string effect_key(Effect e);  // privacy.effect.<code>

// Who asks: one grant of the signed-in user (the organisation they act for and their role there).
struct Actor {
    std::int64_t user_id = 0;
    std::int64_t organisation_id = 0;
    Role role = Role::participant_staff;
};

// A family account's standing towards the file (relationship family_of or self), as the store
// reads it from the file's family access.
struct FamilyStanding {
    bool authority = false;        // family_of: may act for the child (no court order says otherwise)
    bool subject_capable = false;  // the child or youth is capable of deciding for themselves
    CategorySet withheld;          // family_of: what the capable youth keeps from this family member
};

struct AccessRequest {
    Actor actor;
    Relationship relationship = Relationship::none;
    Category category = Category::identity_contact;
    Purpose purpose = Purpose::coordination;
    Action action = Action::read;
    // The file's directives and lockbox entries (all of them: decide() checks which are in
    // effect), and the actor's break-the-glass grants on this file.
    std::span<const ConsentDirective> directives;
    std::span<const LockboxEntry> lockbox;
    std::span<const BreakGlassGrant> break_glass;
    FamilyStanding family;  // relationship family_of or self only
};

struct Decision {
    Effect effect = Effect::deny;
    Reason reason = Reason::no_relationship;
    bool break_glass = false;       // permitted only through break-the-glass: flag it for review
    std::int64_t directive_id = 0;  // the permit relied on, or the deny that refused (0: none)

    bool permitted() const { return effect == Effect::permit; }
    // The caller may proceed but must show "withheld" instead of the category's content.
    bool withheld() const { return effect == Effect::permit_withheld; }
    friend bool operator==(const Decision&, const Decision&) = default;
};

Decision decide(const AccessRequest& request, TimePoint now);

// True for the actions that only show information (read, list, search, print, export).
constexpr bool discloses_only(Action a) {
    return a != Action::create && a != Action::update;
}

}  // namespace arrimage::domain
