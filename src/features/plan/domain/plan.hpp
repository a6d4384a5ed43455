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
};
// The sections form as typed, with why they changed.
struct SectionsForm {
    PlanSections text;
    std::string reason;
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

// ---- the plan as a version keeps it

struct PlanGoal {
    std::int64_t id = 0;
    int priority = 1;
    std::string text;
    ExpressedBy expressed_by = ExpressedBy::family;
    GoalProgress progress = GoalProgress::not_started;
};
struct PlanContent {
    PlanStatus status = PlanStatus::draft;
    PlanSections sections;
    std::vector<PlanGoal> goals;
};
// JSON {"status", "sections": {about, strengths, needs_home, needs_school, needs_community,
// needs_health, hopes}, "goals": [{id, priority, text, expressed_by, progress}]}: codes, not
// labels; goals in (priority, id) order; keys in this fixed order, so the same content gives
// the same string.
std::string snapshot(const PlanContent& c);

}  // namespace arrimage::domain
