#pragma once
// Intakes (features/intake/domain/intake.hpp) and the rules of each area, and the authorization
// boundary for the personal information an intake holds.
//
// Policy (domain/privacy.hpp): an intake is the coordinating agency's assessment of a referral
// before any consent directive exists. The organisation that received the referral runs it:
// its staff stand to it as coordinating_agency (profile "agency": the child's identity and
// contact, and the intake's assessment, read, list, search, create, update on the
// referral_intake basis, for ca_admin, coordinator and provider_manager); its privacy officer
// as privacy_officer (who is refused the assessment: oversight reads the audit, not the story).
// Anyone else has no relationship and is refused (NotFound). Every decision is audited through
// the guard with the referral's id, and the file's once one is linked.
//
// Once a coordinator is assigned to the child's file, that coordinator stands to the intake as
// the file's assigned_coordinator and is decided as on the file itself (under coordination, on
// the family's consent): the story told once is theirs to build the plan on.
//
// Status changes go through the lifecycle table (domain::intake_lifecycle) and the one status
// writer (store/transitions.hpp). Every change of the story or status adds 1 to the intake's
// version: a form sent with an older version gets Conflict "intake.error.stale" and changes
// nothing (someone else changed the intake since the form was shown).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/intake/domain/intake.hpp"
#include "store/access.hpp"
#include "store/db.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

struct IntakeSummary {
    std::int64_t id = 0, referral_id = 0;
    std::string reference, status, opened_at, decided_at;
    std::string given_name, family_name, date_of_birth;
    std::string waitlisted_at, assigned_name;
};

// A coordinator the agency may assign: an active coordinator of an active organisation of the
// area, their caseload (the files whose assigned coordinator they are now, through an intake or
// placed on the file's team directly) against their limit (their own, else the
// area's), the languages they work in, and whether their organisation is designated under the
// French Language Services Act.
struct CoordinatorChoice {
    std::int64_t user_id = 0, organisation_id = 0;
    std::string display_name, org_name_fr, org_name_en, sda_name_fr, sda_name_en;
    std::vector<std::string> languages;
    bool fls_designated = false;
    int caseload = 0, limit = 0;
    int overdue = 0;  // items past due on their files (coordinators' load)
    bool at_limit() const { return caseload >= limit; }
};

struct AssignmentRow {
    std::string from_at, until_at, user_name, org_name_fr, org_name_en, assigned_by_name, reason, over_limit_reason;
};

// What the family is told when the file moves (waitlisted, assigned): written to the outbox by
// the page, in the family's language, when the referral gave an email. The system's own
// processing of what the form gave for that purpose, not an access by the actor.
struct FamilyNotice {
    std::string email;  // empty: no email, the family is told by phone
    Lang lang = Lang::en;
    std::string reference, agency_fr, agency_en, coordinator_name;
    int position = 0;  // on the waitlist
};

// A file on a coordinator's caseload, with what is due. `withheld`: the family's consent does
// not let the coordinator see the child's identity yet (the reference only).
struct CaseloadRow {
    std::int64_t id = 0;
    std::optional<std::int64_t> person_id;
    std::string reference, given_name, family_name, date_of_birth, assigned_at;
    bool withheld = false;
    std::vector<domain::DueItem> due;
};

struct IntakeEventRow {
    std::string at, event, status, note, user_name;
};

struct IntakeRecord {
    std::int64_t id = 0, referral_id = 0, sda_id = 0, coordinating_agency_id = 0;
    std::optional<std::int64_t> person_id;  // the file, once one is linked to the referral
    std::string reference, referral_status, status, opened_at, decided_at, decided_by_name, decision_reason;
    std::string given_name, family_name, date_of_birth, official_language, preferred_language;
    std::string contact_name, contact_relationship, contact_phone, contact_email;
    std::string referral_needs;  // what the referral said, in the referrer's words
    domain::Story story;
    std::string story_recorded_at;  // empty: not recorded yet
    std::string waitlisted_at, assigned_at, first_contact_at, closed_at, close_reason, retention_until;
    std::string assigned_name, assigned_org_fr, assigned_org_en;
    int waitlist_position = 0;               // while waitlisted
    std::vector<AssignmentRow> assignments;  // oldest first
    std::vector<domain::DueItem> due;
    int version = 1;
    domain::AreaRules rules;             // the area's rules now
    std::vector<IntakeEventRow> events;  // oldest first
    domain::Relationship relationship = domain::Relationship::none;
    bool may_update = false;
};

// The rules of an area (configuration: no personal information, no audit). An area that has
// never saved its rules has the defaults of domain::AreaRules.
class AreaRulesRepo {
  public:
    AreaRulesRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}
    domain::AreaRules rules(std::int64_t sda_id);
    void save(std::int64_t sda_id, const domain::AreaRules& rules, std::int64_t user_id);
    std::int64_t add_criterion(std::int64_t sda_id, const domain::AreaCriterion& c, std::int64_t user_id);
    // Retires a criterion (intakes keep their answers). false when it is not an active one of the area.
    bool retire_criterion(std::int64_t sda_id, std::int64_t criterion_id);

  private:
    Tx& tx_;
    const Clock& clock_;
};

class IntakeRepo {
  public:
    explicit IntakeRepo(AccessContext ctx);

    // Opens the intake of referral `referral_id`, or finds the one already open (the id either
    // way). Conflict "intake.error.referral_not_accepted" unless the referral is accepted; NotFound
    // or Forbidden as the policy answers for the referral.
    Result<std::int64_t> open(std::int64_t referral_id);

    // The referral has just joined the file of a child already known (the people pages' link):
    // its intake, when one is open with no story yet, starts from the story told at the child's
    // earlier intake, as open() does for a referral linked before its intake opened. A refusal
    // to update the intake is on record and changes nothing (no error: the link stands).
    Result<void> bring_known_story(std::int64_t referral_id);

    // The story told at the file's latest intake whose story is recorded, read as that intake's
    // assessment (decided and audited on it): what a plan starts from. nullopt when there is
    // none, or when the actor may not read it (the refusal is on record; the plan starts empty).
    struct FileStory {
        std::int64_t intake_id = 0;
        std::string reference;
        domain::Story story;
    };
    std::optional<FileStory> story_of_file(std::int64_t person_id);

    // The intake of a referral the actor's organisation received, if one is open (asked, not
    // audited: an id, nothing about the child). nullopt otherwise.
    std::optional<std::int64_t> of_referral(std::int64_t referral_id);

    // The active criteria of the intake's area, which a story's answers may name, and the
    // referral it screens (configuration and an id: asked, not audited). Empty / nullopt unless
    // the actor's organisation runs the intake.
    std::vector<domain::AreaCriterion> criteria_for(std::int64_t id);
    struct Keys {
        std::int64_t referral_id = 0, sda_id = 0;
        domain::Relationship relationship = domain::Relationship::none;  // the actor's to the intake
    };
    std::optional<Keys> keys_of(std::int64_t id);

    // The actor's organisation's intakes, oldest first (the longest waiting on top), optionally of
    // one status; each row shown is audited.
    Result<std::vector<IntakeSummary>> queue(std::optional<domain::IntakeStatus> status, int limit, int offset);

    Result<IntakeRecord> read(std::int64_t id);

    // Records the story and the screening answers. Conflict "intake.error.stale" (version) or
    // "intake.error.decided" (the intake is no longer in intake).
    Result<void> save_story(std::int64_t id, const domain::Story& story, int version);

    // Decides, through the lifecycle table: eligible needs the story recorded and every rule of
    // the area met now (Conflict "intake.refused.rules_not_met"); the reason is kept with it.
    Result<domain::IntakeStatus> decide(std::int64_t id, const domain::IntakeDecision& d, int version);

    // ineligible or closed → in_intake, with a note (the family came back, or the decision was
    // wrong). A closed file's assignment is cleared: it is screened and assigned again.
    Result<void> reopen(std::int64_t id, const std::string& note, int version);

    // eligible → waitlisted (the area's coordinators are at capacity), with a note.
    Result<FamilyNotice> waitlist(std::int64_t id, const std::string& note, int version);

    // The coordinators the agency may assign the intake's file to (configuration and counts:
    // asked, not audited). Empty unless the actor's organisation runs the intake.
    std::vector<CoordinatorChoice> coordinators(std::int64_t id);

    // eligible or waitlisted → assigned, or assigned → assigned (a reassignment, its reason
    // required): the coordinator must be one of coordinators() (field "coordinator"), and one at
    // or over their limit needs a reason (field "over_limit_reason"). The coordinator takes the
    // assigned coordinator's place on the file's team, the previous one's place and assignment
    // end, and the history keeps who, when and why.
    Result<FamilyNotice> assign(std::int64_t id, const domain::Assignment& a, int version);

    // eligible, waitlisted or assigned → closed, with its reason; the assignment ends and the
    // retention period (the area's retention_years) starts.
    Result<void> close(std::int64_t id, const domain::Closure& c, int version);

    // Records the first contact with the family (today) on an assigned file.
    Result<void> record_first_contact(std::int64_t id, int version);

    // The files assigned to the actor now, the oldest assignment first, with what is due; each
    // row decided and audited as a list of the file (the child's identity withheld where the
    // family's consent does not reach the coordinator yet).
    Result<std::vector<CaseloadRow>> caseload();

    // Every coordinator of the actor's area with their load and overdue items (counts only: no
    // personal information). Forbidden unless the actor works for a coordinating agency.
    Result<std::vector<CoordinatorChoice>> coordinators_load();

    // A coordinator's profile, kept by the agency's administrator: languages and their own limit.
    Result<void> save_profile(std::int64_t user_id, const std::vector<std::string>& languages, std::optional<int> limit);

  private:
    struct Facts {
        std::int64_t id = 0, referral_id = 0, sda_id = 0, agency_id = 0;
        domain::IntakeStatus status = domain::IntakeStatus::in_intake;
        std::optional<std::int64_t> person_id;
        int version = 1;
        std::string date_of_birth;
        domain::Relationship rel = domain::Relationship::none;
        std::optional<FileAccess> file;  // for the assigned coordinator: decided on the file
    };
    std::optional<Facts> facts(std::int64_t id);
    domain::Relationship relationship(std::int64_t agency_id) const;
    std::vector<CoordinatorChoice> area_coordinators(std::int64_t sda_id, const domain::AreaRules& rules);
    FamilyNotice notice(const Facts& f, const std::string& coordinator_name);
    domain::Decision decide_access(const Facts& f, domain::Action a, domain::Category c, Record how = Record::always);
    // The intake if the actor may do `a` on category `c` (decided and audited); NotFound or Forbidden.
    Result<Facts> allowed(std::int64_t id, domain::Action a, domain::Category c);
    Result<Facts> for_update(std::int64_t id, int version);
    domain::Story load_story(const Row& r, std::int64_t id);
    void carry_story(std::int64_t id, std::int64_t person_id, std::int64_t agency_id, const std::string& at);

    AccessContext ctx_;
    Guard guard_;
};

// ---- for the reminder job (features/notification): system processing, no actor. What it
// returns names no child: the intake, its public reference, the item and its due date.

// An item past due on a file still being worked: the intake decision of one in intake (the
// coordinating agency's to make), or the first contact and first plan of an assigned file (its
// coordinator's).
struct OverdueItem {
    std::int64_t intake_id = 0, coordinating_agency_id = 0;
    std::optional<std::int64_t> coordinator_user_id;  // assigned files
    std::string reference, key;                       // key: domain::DueItem::key
    Date due;
};
std::vector<OverdueItem> overdue_items(Tx& tx, const Clock& clock);

}  // namespace arrimage::store
