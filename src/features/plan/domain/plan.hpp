#pragma once
// The coordinated service plan (docs/PLAN.md): one per child's file, started by the file's
// assigned coordinator (its keeper) from the story the family told once at intake. Its
// sections (who the child is, strengths, needs at home, at school, in the community and in
// health, hopes), the family's goals in their own words with who said each, and every saved
// change a version (the plan as it then was: snapshot()). Pure: no I/O.
//
// Status (catalogue plan.status.<code>), moved by the events of plan_lifecycle(), by the keeper
// only:
//
//   draft --activate--> active --start_review--> under_review --resume--> active
//                         |                           |
//                         +----start_transition-------+--> in_transition --resume--> active
//   draft, active, under_review, in_transition --close--> closed --reopen--> draft
//
// activate needs at least one goal. A closed plan is re-opened into draft: when a family comes
// back, the same plan, with its history, is worked again (one plan per child).
//
// The family's words are not edited: a goal's text is set once (rewording it is a new goal,
// the old one no_longer_relevant); its progress and priority change.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/consent.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

// Label keys: plan.status.<code>, plan.event.<code>, plan.progress.<code>, plan.expressed_by.<code>.
enum class PlanStatus : std::uint8_t { draft, active, under_review, in_transition, closed };
enum class PlanEvent : std::uint8_t { activate, start_review, start_transition, resume, close, reopen };
enum class GoalProgress : std::uint8_t { not_started, in_progress, achieved, no_longer_relevant };
enum class ExpressedBy : std::uint8_t { child, family, provider };

const std::vector<PlanStatus>& all_plan_statuses();
const std::vector<PlanEvent>& all_plan_events();
const std::vector<GoalProgress>& all_goal_progress();
const std::vector<ExpressedBy>& all_expressed_by();
std::string_view code(PlanStatus s);
std::string_view code(PlanEvent e);
std::string_view code(GoalProgress p);
std::string_view code(ExpressedBy e);
std::optional<PlanStatus> parse_plan_status(std::string_view s);
std::optional<PlanEvent> parse_plan_event(std::string_view s);
std::optional<GoalProgress> parse_goal_progress(std::string_view s);
std::optional<ExpressedBy> parse_expressed_by(std::string_view s);

struct PlanFacts {
    bool has_goals = false;
};
using PlanLifecycle = Lifecycle<PlanStatus, PlanEvent, PlanFacts>;
// The table (docs/PLAN.md renders it): every move is the keeper's.
const PlanLifecycle& plan_lifecycle();
// Who keeps the plan (starts it, moves its status): the file's assigned coordinator.
bool is_plan_keeper(Relationship r);

inline constexpr std::size_t max_section_length = 4000;  // as intake's max_story_length
inline constexpr std::size_t max_goal_length = 1000;
inline constexpr std::size_t max_reason_length = 1000;
inline constexpr int max_priority = 99;

// ---- the sections

struct PlanSections {
    std::string about, strengths, needs_home, needs_school, needs_community, needs_health, hopes;
    std::string not_coordinated;  // what the plan does not coordinate, and whom the family contacts for it
    std::string safety;           // restricted: safety and risk
    std::string transition;       // from age 14: school, adult services, the 18 and 21 milestones
};
// The sections by name (label key plan.section.<code>, form field <code>), in the page's order.
// Each is shared under a category of the family's consent: the school's needs under education,
// health's under health, safety and risk under safety_risk, the others under plan.
enum class Section : std::uint8_t {
    about,
    strengths,
    needs_home,
    needs_school,
    needs_community,
    needs_health,
    hopes,
    not_coordinated,
    safety,
    transition
};
const std::vector<Section>& all_sections();
std::string_view code(Section s);
Category category_of(Section s);
std::string& text_of(PlanSections& p, Section s);
const std::string& text_of(const PlanSections& p, Section s);

// What a section held when its form was shown (a short fingerprint of the text, hex): on saving,
// a section the user did not touch is left as it is now, and one they changed that someone else
// changed meanwhile is a conflict on that section, shown with both texts to merge.
std::string fingerprint(std::string_view text);

// The sections form as typed, with why they changed and what each showed (seen_<code>).
struct SectionsForm {
    PlanSections text;
    std::string reason;
    PlanSections seen;  // the fingerprints
};
// Field errors (catalogue keys, on the form's field names) or, when empty, `out` and `reason`
// filled. Each section multi-line, optional, at most max_section_length characters; the reason
// optional, at most max_reason_length.
std::vector<FieldError> validate(const SectionsForm& in, PlanSections& out, std::string& reason);

// ---- the goals

struct NewGoalForm {
    std::string text, expressed_by, reason;
};
struct NewGoal {
    std::string text;
    ExpressedBy expressed_by = ExpressedBy::family;
    std::string reason;
};
// The text required, multi-line, at most max_goal_length characters; who said it required and
// one of the list; the reason optional.
std::vector<FieldError> validate(const NewGoalForm& in, NewGoal& out);

struct GoalProgressForm {
    std::string progress, priority, reason;
};
struct GoalProgressChange {
    GoalProgress progress = GoalProgress::not_started;
    int priority = 1;
    std::string reason;
};
// The progress required and one of the list; the priority a whole number from 1 to
// max_priority; the reason optional.
std::vector<FieldError> validate(const GoalProgressForm& in, GoalProgressChange& out);

// ---- the status

struct PlanTransitionForm {
    std::string event, reason;
};
struct PlanTransition {
    PlanEvent event = PlanEvent::activate;
    std::string reason;
};
// The event one of the table's; the reason at most max_reason_length characters, required to
// close or re-open the plan.
std::vector<FieldError> validate(const PlanTransitionForm& in, PlanTransition& out);

// ---- actions: who does what by when, for which goal

// Label keys plan.action_status.<code>, plan.action_event.<code>.
enum class ActionStatus : std::uint8_t { not_started, in_progress, done, cancelled };
enum class ActionEvent : std::uint8_t { start, complete, cancel, reopen };
const std::vector<ActionStatus>& all_action_statuses();
const std::vector<ActionEvent>& all_action_events();
std::string_view code(ActionStatus s);
std::string_view code(ActionEvent e);
std::optional<ActionStatus> parse_action_status(std::string_view s);
std::optional<ActionEvent> parse_action_event(std::string_view s);

struct ActionFacts {
    bool keeper_or_owner = false;  // the actor keeps the plan, or owns the action (or is of its organisation)
};
// An action moves by its table (docs/PLAN.md): the plan's team may fire its events, on the
// guard that the actor keeps the plan or owns the action.
//
//   not_started --start--> in_progress --complete--> done --reopen--> in_progress
//   not_started, in_progress --cancel--> cancelled --reopen--> in_progress
//   not_started --complete--> done
using ActionLifecycle = Lifecycle<ActionStatus, ActionEvent, ActionFacts>;
const ActionLifecycle& action_lifecycle();

inline constexpr std::size_t max_action_length = 1000;
inline constexpr std::size_t max_progress_length = 4000;

// Who owns an action: a member of the file's team (a person, in their organisation), an
// organisation of the team, or one of the child's family. In a form: "u:<user>:<organisation>",
// "o:<organisation>" or "f:<family member>".
struct ActionOwner {
    enum class Kind : std::uint8_t { team_member, organisation, family };
    Kind kind = Kind::organisation;
    std::int64_t user_id = 0, organisation_id = 0, family_member_id = 0;
    bool operator==(const ActionOwner&) const = default;
};
std::optional<ActionOwner> parse_owner(std::string_view s);
std::string owner_value(const ActionOwner& o);

struct NewActionForm {
    std::string text, goal, owner, due, reason;
};
struct NewAction {
    std::string text;
    std::optional<std::int64_t> goal_id;
    ActionOwner owner;
    std::optional<Date> due;
    std::string reason;
};
// The text required, multi-line, at most max_action_length; the goal optional (a goal's id);
// the owner required (parse_owner: whether they are on the team is the store's to say); the due
// date optional, a real date (not before the plan was started: the store's to say); the reason
// optional.
std::vector<FieldError> validate(const NewActionForm& in, NewAction& out);

// Progress on an action: an event of its table, a note, or both.
struct ActionProgressForm {
    std::string event, note;
};
struct ActionProgress {
    std::optional<ActionEvent> event;
    std::string note;
};
// The event optional but one of the table's; the note multi-line, at most max_progress_length; one
// of the two required ("plan.error.progress_empty" on the note).
std::vector<FieldError> validate(const ActionProgressForm& in, ActionProgress& out);

// ---- meetings, and the family's agreement to a version

inline constexpr std::size_t max_attendees_length = 1000;

struct MeetingForm {
    std::string held_on, attendees, notes, decisions;
};
struct Meeting {
    Date held_on;
    std::string attendees, notes, decisions;
};
// The date required, a real date not after `today`; who attended required (one line, at most
// max_attendees_length); notes and decisions optional, multi-line, at most max_section_length.
std::vector<FieldError> validate(const MeetingForm& in, const Date& today, Meeting& out);

// How the family said they agree (label key plan.agreement_method.<code>).
enum class AgreementMethod : std::uint8_t { in_person, phone, video, in_writing };
const std::vector<AgreementMethod>& all_agreement_methods();
std::string_view code(AgreementMethod m);
std::optional<AgreementMethod> parse_agreement_method(std::string_view s);

// The coordinator records that a family member agreed to the plan as it is at `version`.
struct AgreementForm {
    std::string family_member, method, agreed_on, version, meeting;
};
struct Agreement {
    std::int64_t family_member_id = 0;
    AgreementMethod method = AgreementMethod::in_person;
    Date agreed_on;
    int version = 0;
    std::optional<std::int64_t> meeting_id;
};
// Who required (a family member's id), how required, the date required and not after `today`,
// the version a whole number (the form's; the store refuses one the plan has moved past), the
// meeting optional.
std::vector<FieldError> validate(const AgreementForm& in, const Date& today, Agreement& out);

// The family's electronic signature (features/family): a family member or the youth, signed in,
// reads the plan at `version` and agrees, or asks for changes with a comment. A later change of
// the plan leaves it unsigned until signed again. Label keys plan.signature.<code>.
enum class SignatureDecision : std::uint8_t { agreed, changes_asked };
std::string_view code(SignatureDecision d);
std::optional<SignatureDecision> parse_signature_decision(std::string_view s);
struct SignatureForm {
    std::string version, decision, comment;
};
struct Signature {
    int version = 0;
    SignatureDecision decision = SignatureDecision::agreed;
    std::string comment;
};
// The version a whole number, the decision required, the comment plain text (no markup) of at
// most 2000 characters, required when changes are asked.
std::vector<FieldError> validate(const SignatureForm& in, Signature& out);

// A note of a family member or the youth, signed in, to the team (features/family): on one of the
// plan's goals, or on the plan as a whole. Kept as written, never changed: the team reads it
// under the goal, the family its own and the other family members'.
inline constexpr std::size_t max_family_note_length = 2000;
struct FamilyNoteForm {
    std::string goal, note;
};
struct FamilyNote {
    std::optional<std::int64_t> goal_id;  // empty: the plan as a whole
    std::string note;
};
// The goal empty (the plan as a whole) or an id (whether it is this plan's is the store's to
// say); the note required, plain text (no markup) of at most max_family_note_length characters.
std::vector<FieldError> validate(const FamilyNoteForm& in, FamilyNote& out);

// ---- reviews

// A review of the plan, held on a day, recording where each goal stands and the next steps. The
// next one is due the area's review interval after the latest review (or after the plan was
// made active): the coordinator's caseload lists it, and the reminder job raises it once overdue.
struct ReviewGoalForm {
    std::int64_t goal_id = 0;
    std::string progress, note;
};
struct ReviewForm {
    std::string held_on, next_steps;
    std::vector<ReviewGoalForm> goals;  // one per goal of the plan, as the form lists them
};
struct ReviewGoal {
    std::int64_t goal_id = 0;
    GoalProgress progress = GoalProgress::not_started;
    std::string note;
};
struct Review {
    Date held_on;
    std::string next_steps;
    std::vector<ReviewGoal> goals;
};
// The day required, a real date not after `today`; the next steps required, multi-line, at most
// max_section_length; each goal's progress required and one of the list (field
// progress_<goal id>), its note optional, at most max_reason_length (field note_<goal id>).
std::vector<FieldError> validate(const ReviewForm& in, const Date& today, Review& out);

// ---- transitions

inline constexpr int transition_planning_age = 14;
// Where a child stands towards the transitions the plan prepares: planning starts at 14 (the
// secondary school years, then adult services), and the 18th and 21st birthdays end children's
// services and most school and youth services.
struct TransitionFlags {
    int age = 0;
    bool planning = false;  // 14 or older
    Date turns_18, turns_21;
};
TransitionFlags transition_flags(const Date& date_of_birth, const Date& today);

// ---- the plan as a version keeps it

struct PlanGoal {
    std::int64_t id = 0;
    int priority = 1;
    std::string text;
    ExpressedBy expressed_by = ExpressedBy::family;
    GoalProgress progress = GoalProgress::not_started;
};
struct PlanAction {
    std::int64_t id = 0, goal_id = 0;  // goal 0: none
    std::string text, owner;           // the owner as named then
    std::string due;                   // YYYY-MM-DD or empty
    ActionStatus status = ActionStatus::not_started;
};
struct PlanContent {
    PlanStatus status = PlanStatus::draft;
    PlanSections sections;
    std::vector<PlanGoal> goals;
    std::vector<PlanAction> actions;
};
// JSON {"status", "sections": {<code of each section, in all_sections() order>}, "goals": [{id,
// priority, text, expressed_by, progress}], "actions": [{id, goal_id, text, owner, due,
// status}]}: codes, not labels; goals in (priority, id) order, actions by id; keys in this fixed
// order, so the same content gives the same string.
std::string snapshot(const PlanContent& c);

}  // namespace arrimage::domain
