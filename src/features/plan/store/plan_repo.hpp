#pragma once
// The coordinated service plan of a child's file (features/plan/domain/plan.hpp, docs/PLAN.md),
// and the authorization boundary for it. The plan is personal information of category `plan`
// (domain/privacy.hpp): every read and write is decided on the file and audited through the
// guard, with the file named.
//
// Policy: the file's owner (its assigned coordinator) and its team read and write the plan
// under coordination, on the family's consent; the coordinating agency reads it where the
// family's consent names it (the agency stands to a file under the referral purpose for its
// intake work: for the plan it is asked under coordination); a privacy officer is refused
// (oversight reads the audit, not the plan); anyone else has no relationship (NotFound). A
// lockbox on `plan` for the actor's organisation gives the withheld notice, never the content.
//
// Who keeps the plan: only the assigned coordinator starts it and moves its status (the
// lifecycle table's "who"); anyone else's attempt is refused on record. Every saved change adds
// 1 to the plan's version (a form sent with an older one gets Conflict "plan.error.stale" and
// changes nothing) and writes one version row: who, when, what, why and the plan after it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/plan/domain/plan.hpp"
#include "store/access.hpp"
#include "store/db.hpp"
#include "store/person_repo.hpp"

namespace arrimage::store {

struct PlanGoalRow {
    std::int64_t id = 0;
    int priority = 1;
    std::string text, expressed_by, progress, updated_at, updated_by_name;
    int version = 1;  // the goal's own: a change of anything else never makes its form stale
};
struct PlanActionEventRow {
    std::string at, event, status, note, user_name;  // event "note": a progress note
};
struct PlanActionRow {
    std::int64_t id = 0, goal_id = 0;  // goal 0: none
    std::string text, due, status, updated_at, updated_by_name;
    std::string owner_name, owner_org_fr, owner_org_en;  // a person (of the organisation) or family member; or an organisation
    int version = 1;
    bool mine = false;                        // the actor keeps the plan or owns the action: may record progress
    std::vector<std::string> events;          // the events the actor may fire now (codes)
    std::vector<PlanActionEventRow> history;  // oldest first
};
// Someone of the plan's team, as the file's team and family say. Family members go by their
// given name: the plan's pages name the file's number, never the child's family name.
struct PlanTeamRow {
    std::string name, organisation_fr, organisation_en, role, email;  // role: the file team's kind, or family relationship
    bool family = false;
};
struct PlanOwnerChoice {
    std::string value, name, organisation_fr, organisation_en;  // value: domain::owner_value
};
struct PlanServiceRow {
    std::int64_t id = 0, referral_id = 0, goal_id = 0;
    std::string reference, status, expected_date, purpose;
    std::string service_fr, service_en, organisation_fr, organisation_en;
};
struct PlanReferralChoice {
    std::int64_t referral_id = 0;
    std::string reference, status, service_fr, service_en, organisation_fr, organisation_en;
};
struct PlanMeetingRow {
    std::int64_t id = 0;
    std::string held_on, attendees, notes, decisions, by;
};
struct PlanReviewGoalRow {
    std::string goal, progress, note;  // the goal's words, its progress then (code)
};
struct PlanReviewRow {
    std::string held_on, next_steps, by;
    std::vector<PlanReviewGoalRow> goals;
};
struct PlanAgreementRow {
    int version = 0;
    std::string family_name, method, agreed_on, meeting_on, recorded_by;
};
// A family member's or the youth's electronic signature (features/family), newest first.
struct PlanSignatureRow {
    int version = 0;
    std::string decision, comment, signed_at, signer_name, relation;  // decision: domain::SignatureDecision code
};
// A family member's or the youth's note to the team (features/family), on a goal or on the plan
// as a whole (goal 0), newest first: its author's name, their family access's relation (family_of,
// self) and, for a family member, their relationship to the child (people.relationship code).
struct PlanFamilyNoteRow {
    std::int64_t goal_id = 0;
    std::string note, created_at, author_name, relation, relationship;
};
struct PlanVersionRow {
    int version = 0;
    std::string at, user_name, change, reason;
};
struct PlanEventRow {
    std::string at, event, status, note, user_name;
};

struct PlanRecord {
    std::int64_t person_id = 0;
    std::optional<std::int64_t> id;  // empty: no plan yet
    domain::Relationship relationship = domain::Relationship::none;
    bool withheld = false;  // a lockbox on `plan`: nothing below is filled
    std::string status, created_at, created_by_name;
    std::string source_reference;  // the referral whose intake story it started from
    domain::PlanSections sections;
    std::vector<PlanGoalRow> goals;                    // by priority
    std::vector<PlanVersionRow> versions;              // newest first
    std::vector<PlanEventRow> events;                  // oldest first
    std::vector<PlanActionRow> actions;                // by id
    std::vector<PlanTeamRow> team;                     // the file's team, then the family
    std::vector<PlanOwnerChoice> owners;               // who may own a new action
    std::vector<PlanServiceRow> services;              // the referrals the plan counts on, with their status now
    std::vector<PlanReferralChoice> referral_choices;  // the child's referrals not yet in the plan
    std::vector<PlanMeetingRow> meetings;              // newest first
    std::vector<PlanAgreementRow> agreements;          // newest first
    std::vector<PlanSignatureRow> signatures;          // the family's own, signed in; newest first
    std::vector<PlanFamilyNoteRow> family_notes;       // the family's notes to the team; newest first
    std::vector<PlanReviewRow> reviews;                // newest first
    // YYYY-MM-DD: the area's interval after activation or the latest review; empty in draft or closed.
    std::string next_review;
    std::vector<std::pair<std::int64_t, std::string>> family_choices;  // who may agree: id, name
    // Sections the family's consent or a lockbox keeps from the actor (their category decided on
    // the file): their text is empty here, and a save leaves them as they are.
    std::vector<domain::Section> withheld_sections;
    // From the child's date of birth, decided as a read of identity and contact on the file:
    // empty when the reader may not see it.
    std::optional<domain::TransitionFlags> transition;
    int version = 0;
    int agreed_version = 0;  // the latest version a family member agreed to, recorded or signed (0: none)
    bool keeper = false, may_create = false, may_update = false;  // asked, not audited
};

// One version of the plan as its row keeps it: who, when, what, why, and the plan it left.
struct PlanVersionSide {
    PlanVersionRow header;
    std::string snapshot;  // domain::snapshot()'s JSON (newer versions may add keys, such as "actions")
};
// Two versions of the file's plan, to compare side by side (PlanRepo::versions).
struct PlanVersionPair {
    std::int64_t person_id = 0;
    std::optional<std::int64_t> id;                  // empty: no plan yet
    bool withheld = false;                           // a lockbox on `plan`: nothing below is filled
    std::vector<domain::Section> withheld_sections;  // as PlanRecord's: empty in both snapshots
    int version = 0;                                 // the plan's current version
    std::vector<PlanVersionRow> versions;            // every version, newest first (to choose from)
    std::optional<PlanVersionSide> a, b;             // empty when the plan has no such version
};

class PlanRepo {
  public:
    explicit PlanRepo(AccessContext ctx);

    // The file's plan, decided as a read of `plan` on the file (audited, also when there is no
    // plan yet). NotFound without a relationship, Forbidden when refused; withheld under a lockbox.
    Result<PlanRecord> read(std::int64_t person_id);
    // Versions `a` and `b` of the file's plan with every version's header, decided and audited as
    // read() (plan_versions.cpp). 0 asks for the usual pair: `a` the version before the current
    // one (none while there is only one), `b` the current one. A number the plan does not have
    // leaves its side empty.
    Result<PlanVersionPair> versions(std::int64_t person_id, int a, int b);
    // The keeper starts the plan, from the story of the file's latest recorded intake (empty
    // without one). Conflict "plan.error.exists" for a second one.
    Result<std::int64_t> create(std::int64_t person_id);
    // Conflict "plan.error.no_plan" or "plan.error.closed": nothing written. Each section is
    // saved on its own: one the form did not hold (no fingerprint in `seen`) or whose text is
    // still what the form showed (`seen`, fingerprints) is left as it is now; one the user changed that someone else changed
    // meanwhile is a field error "plan.error.section_changed" with the text saved meanwhile (nothing written, the user merges); a
    // withheld section is never written.
    Result<void> save_sections(std::int64_t person_id, const domain::PlanSections& s, const domain::PlanSections& seen,
                               const std::string& reason);
    Result<std::int64_t> add_goal(std::int64_t person_id, const domain::NewGoal& g);
    // NotFound for a goal that is not this plan's; Conflict "plan.error.stale" when the goal
    // changed since its form was shown (its own `version`).
    Result<void> update_goal(std::int64_t person_id, std::int64_t goal_id, const domain::GoalProgressChange& c, int version);
    // Through plan_lifecycle() and fire_transition; the keeper only. The table's compare-and-set
    // refuses a move from a status the plan has left.
    Result<domain::PlanStatus> transition(std::int64_t person_id, const domain::PlanTransition& t);

    // An action, by anyone of the team who may write the plan. Field errors: "goal" not this
    // plan's, "owner" not on the file's team or family ("plan.error.owner_not_in_team"), "due"
    // before the day the plan was started ("plan.error.due_before_plan").
    Result<std::int64_t> add_action(std::int64_t person_id, const domain::NewAction& a);
    // Progress on an action: its keeper's or its owner's (a member of the owner organisation on
    // the team); anyone else of the team is refused on record. An event moves it through
    // action_lifecycle() (Conflict "plan.error.action_stale" when it changed since its form was
    // shown, `version`), a note alone is added to its history.
    Result<void> record_progress(std::int64_t person_id, std::int64_t action_id, const domain::ActionProgress& p, int version);
    // One of the child's referrals into the plan's services ("referral" field error for one that
    // is not this child's, or already there; "goal" not this plan's).
    Result<void> add_service(std::int64_t person_id, std::int64_t referral_id, std::optional<std::int64_t> goal_id,
                             const std::string& purpose);
    // A meeting of the team and family, by anyone of the team who may write the plan.
    Result<std::int64_t> add_meeting(std::int64_t person_id, const domain::Meeting& m);
    // The keeper records a family member's agreement to the plan at version a.version: a field
    // error "version" ("plan.error.agreement_stale") when the plan has changed since, "family_member"
    // not this child's, "meeting" not this plan's.
    Result<void> record_agreement(std::int64_t person_id, const domain::Agreement& a);
    // The keeper records a review of an active plan or one under review (Conflict
    // "plan.error.review_not_active" otherwise): each goal's progress then (every goal of the plan,
    // none other: a field error "progress_<id>" otherwise), the next steps; the next review then
    // counts from the day it was held.
    Result<void> record_review(std::int64_t person_id, const domain::Review& r);
    // The family signs the plan as it is at `s.version` (features/family): only a family account
    // with family access to the file, as the policy allows (Forbidden for staff, for a family
    // member without authority, for a youth not capable); a field error "version"
    // ("plan.error.signature_stale") when the plan has changed since it was read; Conflict on a
    // closed plan or none.
    Result<void> sign(std::int64_t person_id, const domain::Signature& s);
    // The family's note to the team on one of the plan's goals or on the plan as a whole, decided
    // as sign() is (a create of `plan` by a family account; staff refused on record): a field
    // error "goal" for a goal that is not this plan's; Conflict on a closed plan or none. It is
    // not a change of the plan: no new version, and the family's agreement stands.
    Result<std::int64_t> add_family_note(std::int64_t person_id, const domain::FamilyNote& n);

  private:
    struct Facts {
        FileAccess file;
        std::optional<std::int64_t> plan_id;
        domain::PlanStatus status = domain::PlanStatus::draft;
        int version = 0;
    };
    std::optional<Facts> facts(std::int64_t person_id);
    domain::AccessRequest request(const Facts& f, domain::Action a) const;
    // The decision of `a` on the plan, on record. A family account is refused any write but its
    // own (`family_write`: its signature, its notes).
    Result<Facts> allowed(std::int64_t person_id, domain::Action a, bool family_write = false);
    // The family's own writes (its signature, its notes): a create of `plan` decided under the
    // policy's family profile; anyone without family access to the file (staff) refused on record.
    Result<Facts> for_family(std::int64_t person_id);
    // The read of the plan decided on the file, on record: its facts when permitted, nothing
    // when a lockbox withholds it, the refusal otherwise.
    Result<std::optional<Facts>> read_decision(std::int64_t person_id);
    Result<Facts> for_keeper(std::int64_t person_id, domain::Action a);
    Result<void> editable(const Facts& f, bool closed_ok = false) const;
    // The sections whose category the actor may not do `a` on (each decided and audited).
    std::vector<domain::Section> withheld_sections(const Facts& f, domain::Action a);
    // Whether the actor keeps the plan or owns action `action_id` (or is of its organisation, on the team).
    bool keeper_or_owner(const Facts& f, std::int64_t action_id);
    // Adds 1 to the plan's version, and writes the version row of the change.
    void new_version(std::int64_t plan_id, std::string_view change, const std::string& reason);
    domain::PlanContent load(std::int64_t plan_id);
    void load_work(PlanRecord& out, const Facts& f);
    std::string now() const;

    AccessContext ctx_;
    Guard guard_;
};

}  // namespace arrimage::store
