#include "features/plan/domain/plan.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<PlanStatus> status_names[] = {
    {PlanStatus::draft, "draft"},
    {PlanStatus::active, "active"},
    {PlanStatus::under_review, "under_review"},
    {PlanStatus::in_transition, "in_transition"},
    {PlanStatus::closed, "closed"},
};
constexpr Named<PlanEvent> event_names[] = {
    {PlanEvent::activate, "activate"},
    {PlanEvent::start_review, "start_review"},
    {PlanEvent::start_transition, "start_transition"},
    {PlanEvent::resume, "resume"},
    {PlanEvent::close, "close"},
    {PlanEvent::reopen, "reopen"},
};
constexpr Named<GoalProgress> progress_names[] = {
    {GoalProgress::not_started, "not_started"},
    {GoalProgress::in_progress, "in_progress"},
    {GoalProgress::achieved, "achieved"},
    {GoalProgress::no_longer_relevant, "no_longer_relevant"},
};
constexpr Named<ExpressedBy> expressed_by_names[] = {
    {ExpressedBy::child, "child"},
    {ExpressedBy::family, "family"},
    {ExpressedBy::provider, "provider"},
};

}  // namespace

const std::vector<PlanStatus>& all_plan_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<PlanEvent>& all_plan_events() {
    static const auto v = values_of(event_names);
    return v;
}
const std::vector<GoalProgress>& all_goal_progress() {
    static const auto v = values_of(progress_names);
    return v;
}
const std::vector<ExpressedBy>& all_expressed_by() {
    static const auto v = values_of(expressed_by_names);
    return v;
}
std::string_view code(PlanStatus s) {
    return code_of(status_names, s);
}
std::string_view code(PlanEvent e) {
    return code_of(event_names, e);
}
std::string_view code(GoalProgress p) {
    return code_of(progress_names, p);
}
std::string_view code(ExpressedBy e) {
    return code_of(expressed_by_names, e);
}
std::optional<PlanStatus> parse_plan_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<PlanEvent> parse_plan_event(std::string_view s) {
    return parse_of(event_names, s);
}
std::optional<GoalProgress> parse_goal_progress(std::string_view s) {
    return parse_of(progress_names, s);
}
std::optional<ExpressedBy> parse_expressed_by(std::string_view s) {
    return parse_of(expressed_by_names, s);
}

const PlanLifecycle& plan_lifecycle() {
    using S = PlanStatus;
    using E = PlanEvent;
    const std::vector<Relationship> keeper = {Relationship::assigned_coordinator};
    static const PlanLifecycle table(
        "plan",
        {
            {S::draft, E::activate, S::active, keeper, [](const PlanFacts& f) { return f.has_goals; },
             "the plan has at least one goal", "plan.refused.no_goals"},
            {S::active, E::start_review, S::under_review, keeper},
            {S::active, E::start_transition, S::in_transition, keeper},
            {S::under_review, E::start_transition, S::in_transition, keeper},
            {S::under_review, E::resume, S::active, keeper},
            {S::in_transition, E::resume, S::active, keeper},
            {S::draft, E::close, S::closed, keeper},
            {S::active, E::close, S::closed, keeper},
            {S::under_review, E::close, S::closed, keeper},
            {S::in_transition, E::close, S::closed, keeper},
            {S::closed, E::reopen, S::draft, keeper},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

bool is_plan_keeper(Relationship r) {
    return r == Relationship::assigned_coordinator;
}

std::vector<FieldError> validate(const SectionsForm& in, PlanSections& out, std::string& reason) {
    std::vector<FieldError> e;
    out = PlanSections{};
    reason.clear();
    long_text(e, "about", in.text.about, max_section_length, false, out.about);
    long_text(e, "strengths", in.text.strengths, max_section_length, false, out.strengths);
    long_text(e, "needs_home", in.text.needs_home, max_section_length, false, out.needs_home);
    long_text(e, "needs_school", in.text.needs_school, max_section_length, false, out.needs_school);
    long_text(e, "needs_community", in.text.needs_community, max_section_length, false, out.needs_community);
    long_text(e, "needs_health", in.text.needs_health, max_section_length, false, out.needs_health);
    long_text(e, "hopes", in.text.hopes, max_section_length, false, out.hopes);
    long_text(e, "reason", in.reason, max_reason_length, false, reason);
    return e;
}

std::vector<FieldError> validate(const NewGoalForm& in, NewGoal& out) {
    std::vector<FieldError> e;
    out = NewGoal{};
    long_text(e, "text", in.text, max_goal_length, true, out.text);
    choice(e, "expressed_by", in.expressed_by, parse_expressed_by, out.expressed_by);
    long_text(e, "reason", in.reason, max_reason_length, false, out.reason);
    return e;
}

std::vector<FieldError> validate(const GoalProgressForm& in, GoalProgressChange& out) {
    std::vector<FieldError> e;
    out = GoalProgressChange{};
    choice(e, "progress", in.progress, parse_goal_progress, out.progress);
    whole_number(e, "priority", in.priority, 1, max_priority, out.priority);
    long_text(e, "reason", in.reason, max_reason_length, false, out.reason);
    return e;
}

std::vector<FieldError> validate(const PlanTransitionForm& in, PlanTransition& out) {
    std::vector<FieldError> e;
    out = PlanTransition{};
    choice(e, "event", in.event, parse_plan_event, out.event);
    const bool reason_required = e.empty() && (out.event == PlanEvent::close || out.event == PlanEvent::reopen);
    long_text(e, "reason", in.reason, max_reason_length, reason_required, out.reason);
    return e;
}

std::string snapshot(const PlanContent& c) {
    using Json = nlohmann::ordered_json;
    std::vector<const PlanGoal*> goals;
    goals.reserve(c.goals.size());
    for (const auto& g : c.goals) goals.push_back(&g);
    std::sort(goals.begin(), goals.end(), [](const PlanGoal* a, const PlanGoal* b) {
        return a->priority != b->priority ? a->priority < b->priority : a->id < b->id;
    });
    Json j;
    j["status"] = code(c.status);
    const PlanSections& s = c.sections;
    j["sections"] = Json{{"about", s.about},
                         {"strengths", s.strengths},
                         {"needs_home", s.needs_home},
                         {"needs_school", s.needs_school},
                         {"needs_community", s.needs_community},
                         {"needs_health", s.needs_health},
                         {"hopes", s.hopes}};
    j["goals"] = Json::array();
    for (const PlanGoal* g : goals)
        j["goals"].push_back(Json{{"id", g->id},
                                  {"priority", g->priority},
                                  {"text", g->text},
                                  {"expressed_by", code(g->expressed_by)},
                                  {"progress", code(g->progress)}});
    // Stored text is valid UTF-8 (validated on the way in); should a byte not be, the version is
    // still written, with U+FFFD in its place, rather than the change refused.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace arrimage::domain
