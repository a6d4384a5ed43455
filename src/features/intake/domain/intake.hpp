#pragma once
// Intake and eligibility: the second step of the coordinated service planning cycle
// (docs/INTAKE.md). The coordinating agency's intake staff open the intake of an accepted
// referral, record the family's story once, in their own words (the plan is built from it:
// nobody asks for it again), screen it against the rules of the service delivery area and
// record the decision with its reason. Pure: no I/O; today's date is passed in.
//
// The area's rules are configuration (table area_rules, edited by the agency's administrator),
// not code:
//   - age: eligible before the `max_age` birthday (18), or before the `school_max_age` birthday
//     (21) while still attending school;
//   - needs: they span at least `min_sectors` sectors (2);
//   - any other rule the area adds: a yes-or-no question whose answer must be yes.
//
// Status (catalogue intake.status.<code>), moved by the events of intake_lifecycle(): the
// file's whole way from the referral to a coordinator and to closure.
//
//   in_intake --decide_eligible--> eligible --waitlist--> waitlisted
//       |                             |                       |
//       |                             +--------assign---------+--> assigned --reassign--> assigned
//       |                             |                       |        |
//       |                             +--------close----------+--------+--> closed --reopen--> in_intake
//       +------decide_ineligible--> ineligible --reopen--> in_intake
//
// decide_eligible needs the story recorded and every rule met; decide_ineligible needs a
// documented reason (the referral is then declined with it, and sent on as a warm referral).
// A coordinator is assigned only to a registered file (the child's file, where the family's
// consent is kept). A closed file is re-opened into intake: the family is screened again.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

// A rule the area adds to the age and needs rules (catalogue-free: the area writes it in both
// languages).
struct AreaCriterion {
    std::int64_t id = 0;
    std::string text_fr, text_en;
};

// The configuration of one service delivery area. Day counts are the targets the caseload
// dashboards measure against.
struct AreaRules {
    int max_age = 18;
    int school_max_age = 21;
    int min_sectors = 2;
    int first_contact_days = 5;
    int intake_decision_days = 15;
    int first_plan_days = 30;
    int review_interval_days = 90;
    int caseload_limit = 25;
    int referral_answer_days = 5;
    int retention_years = 10;             // a closed file is kept this long after closure
    std::vector<AreaCriterion> criteria;  // active ones
};

// The rules form as submitted (numbers as typed).
struct AreaRulesForm {
    std::string max_age, school_max_age, min_sectors, first_contact_days, intake_decision_days, first_plan_days,
        review_interval_days, caseload_limit, referral_answer_days, retention_years;
};
// Field errors (catalogue keys) or, when empty, the numbers set in `out` (its criteria are
// left as they are). Ages 1 to 25 with school_max_age not below max_age; sectors 1 to the
// number of sectors; day counts 1 to 365; caseload limit 1 to 200; retention 1 to 50 years.
std::vector<FieldError> validate(const AreaRulesForm& in, AreaRules& out);
// A new criterion: both texts required, at most 300 characters each.
std::vector<FieldError> validate_criterion(std::string_view text_fr, std::string_view text_en, AreaCriterion& out);

// ---- the story told once, and the screening facts

inline constexpr std::size_t max_story_length = 4000;

struct StoryForm {
    std::string story, strengths, needs_home, needs_school, needs_community, needs_health, involved, hopes;
    std::string in_school;                       // "yes", "no" or "" (not known yet)
    std::vector<std::string> sectors;            // sector codes
    std::map<std::string, std::string> answers;  // criterion id → "yes" / "no"
};

struct Story {
    std::string story, strengths, needs_home, needs_school, needs_community, needs_health, involved, hopes;
    std::optional<bool> in_school;
    std::vector<Sector> sectors;           // distinct, in the order of all_sectors()
    std::map<std::int64_t, bool> answers;  // criterion id → met
};

// Field errors or `out` filled. The story required; every text multi-line, at most
// max_story_length characters; in_school yes, no or empty; sectors known codes; answers yes or
// no, for criteria of `criteria` only.
std::vector<FieldError> validate(const StoryForm& in, const std::vector<AreaCriterion>& criteria, Story& out);

// ---- eligibility

// One rule's outcome, to show beside the decision: its catalogue key and arguments (for an
// area criterion, `text_fr`/`text_en` instead), and whether it is met (unknown: not answered).
struct RuleOutcome {
    std::string key;
    std::vector<std::string> args;
    std::string text_fr, text_en;
    std::optional<bool> met;
};

struct Assessment {
    std::vector<RuleOutcome> rules;
    bool all_met() const;
};

// The area's rules applied to a child born `date_of_birth` with this story, on `today`.
Assessment assess(const AreaRules& rules, const Date& date_of_birth, const Story& story, const Date& today);

// ---- the decision

enum class IntakeStatus : std::uint8_t { in_intake, eligible, ineligible, waitlisted, assigned, closed };
enum class IntakeEvent : std::uint8_t { decide_eligible, decide_ineligible, reopen, waitlist, assign, reassign, close };
const std::vector<IntakeStatus>& all_intake_statuses();
const std::vector<IntakeEvent>& all_intake_events();
std::string_view code(IntakeStatus s);
std::string_view code(IntakeEvent e);
std::optional<IntakeStatus> parse_intake_status(std::string_view s);
std::optional<IntakeEvent> parse_intake_event(std::string_view s);

struct IntakeFacts {
    bool story_recorded = false;
    bool rules_met = false;
    bool file_registered = false;  // the referral's child has a file
};
using IntakeLifecycle = Lifecycle<IntakeStatus, IntakeEvent, IntakeFacts>;
// The table (docs/INTAKE.md renders it): the coordinating agency's staff decide, put on the
// waitlist, assign, re-open; they and the assigned coordinator close.
const IntakeLifecycle& intake_lifecycle();

// The decision form: `decision` "eligible" or "ineligible", its reason in words (required),
// and for an ineligible one the referral's decline (reason code, warm pathway and the family's
// agreement to it), checked by the referral's own rules.
struct IntakeDecisionForm {
    std::string decision, reason;
};
struct IntakeDecision {
    bool eligible = false;
    std::string reason;
};
std::vector<FieldError> validate(const IntakeDecisionForm& in, IntakeDecision& out);

// ---- the waitlist, assignment and closure

// The assignment form: the coordinator chosen ("<user id>:<organisation id>", one of the choices
// offered), why (required for a reassignment: the history says who, when and why), and why
// over their caseload limit when they are (the store checks the limit).
struct AssignmentForm {
    std::string coordinator, reason, over_limit_reason;
};
struct Assignment {
    std::int64_t user_id = 0, organisation_id = 0;
    std::string reason, over_limit_reason;
};
std::vector<FieldError> validate(const AssignmentForm& in, bool reassignment, Assignment& out);

// Why a file is closed. Label keys: intake.close_reason.<code>.
enum class CloseReason : std::uint8_t { goals_met, family_withdrew, aged_out, moved, other };
const std::vector<CloseReason>& all_close_reasons();
std::string_view code(CloseReason r);
std::optional<CloseReason> parse_close_reason(std::string_view s);

struct ClosureForm {
    std::string reason, note;
};
struct Closure {
    CloseReason reason = CloseReason::other;
    std::string note;  // required for "other"
};
std::vector<FieldError> validate(const ClosureForm& in, Closure& out);

// ---- what is due on a file

// The targets a file is measured against (the area's day counts), from the dates it has: the
// intake decision (from the opening), the first contact and the first plan (from the
// assignment), and once the plan is active its next review (the area's review interval from its
// activation or latest review; never done: each review moves it on). Each is done (on `done`), or due on `due`: overdue once past
// it, due soon within three days. Catalogue intake.due.<key> and intake.due_state.<state>.
enum class DueState : std::uint8_t { done, overdue, due_soon, upcoming };
std::string_view code(DueState s);
struct DueItem {
    std::string key;  // intake_decision, first_contact, first_plan, next_review
    Date due;
    std::optional<Date> done;
    DueState state = DueState::upcoming;
};
struct FileDates {
    Date opened;
    std::optional<Date> decided, assigned, first_contact, first_plan;
    std::optional<Date> review_from;  // the plan's activation or latest review (features/plan)
};
std::vector<DueItem> due_items(const AreaRules& rules, const FileDates& dates, const Date& today);

}  // namespace arrimage::domain
