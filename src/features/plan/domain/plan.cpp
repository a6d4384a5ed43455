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

constexpr Named<Section> section_names[] = {
    {Section::about, "about"},
    {Section::strengths, "strengths"},
    {Section::needs_home, "needs_home"},
    {Section::needs_school, "needs_school"},
    {Section::needs_community, "needs_community"},
    {Section::needs_health, "needs_health"},
    {Section::hopes, "hopes"},
    {Section::not_coordinated, "not_coordinated"},
    {Section::safety, "safety"},
    {Section::transition, "transition"},
};
constexpr Named<ActionStatus> action_status_names[] = {
    {ActionStatus::not_started, "not_started"},
    {ActionStatus::in_progress, "in_progress"},
    {ActionStatus::done, "done"},
    {ActionStatus::cancelled, "cancelled"},
};
constexpr Named<ActionEvent> action_event_names[] = {
    {ActionEvent::start, "start"},
    {ActionEvent::complete, "complete"},
    {ActionEvent::cancel, "cancel"},
    {ActionEvent::reopen, "reopen"},
};
constexpr Named<AgreementMethod> agreement_method_names[] = {
    {AgreementMethod::in_person, "in_person"},
    {AgreementMethod::phone, "phone"},
    {AgreementMethod::video, "video"},
    {AgreementMethod::in_writing, "in_writing"},
};

// An optional id from a list (a goal, a meeting): empty is none, anything but an id is not in the list.
void optional_id(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::optional<std::int64_t>& out) {
    const std::string s = trim(raw);
    out.reset();
    if (s.empty()) return;
    if (auto id = parse_id(s))
        out = *id;
    else
        e.push_back({field, "field.choose_from_list", {}});
}

}  // namespace

const std::vector<Section>& all_sections() {
    static const auto v = values_of(section_names);
    return v;
}
std::string_view code(Section s) {
    return code_of(section_names, s);
}
Category category_of(Section s) {
    switch (s) {
        case Section::needs_school:
            return Category::education;
        case Section::needs_health:
            return Category::health;
        case Section::safety:
            return Category::safety_risk;
        default:
            return Category::plan;
    }
}
std::string& text_of(PlanSections& p, Section s) {
    switch (s) {
        case Section::about:
            return p.about;
        case Section::strengths:
            return p.strengths;
        case Section::needs_home:
            return p.needs_home;
        case Section::needs_school:
            return p.needs_school;
        case Section::needs_community:
            return p.needs_community;
        case Section::needs_health:
            return p.needs_health;
        case Section::hopes:
            return p.hopes;
        case Section::not_coordinated:
            return p.not_coordinated;
        case Section::safety:
            return p.safety;
        case Section::transition:
            return p.transition;
    }
    return p.about;
}
const std::string& text_of(const PlanSections& p, Section s) {
    return text_of(const_cast<PlanSections&>(p), s);
}

std::string fingerprint(std::string_view text) {
    // FNV-1a, 64 bits: it tells whether a section changed, it protects nothing.
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 1099511628211ULL;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = hex[h & 0xf];
    return out;
}

const std::vector<ActionStatus>& all_action_statuses() {
    static const auto v = values_of(action_status_names);
    return v;
}
const std::vector<ActionEvent>& all_action_events() {
    static const auto v = values_of(action_event_names);
    return v;
}
std::string_view code(ActionStatus s) {
    return code_of(action_status_names, s);
}
std::string_view code(ActionEvent e) {
    return code_of(action_event_names, e);
}
std::optional<ActionStatus> parse_action_status(std::string_view s) {
    return parse_of(action_status_names, s);
}
std::optional<ActionEvent> parse_action_event(std::string_view s) {
    return parse_of(action_event_names, s);
}
const std::vector<AgreementMethod>& all_agreement_methods() {
    static const auto v = values_of(agreement_method_names);
    return v;
}
std::string_view code(AgreementMethod m) {
    return code_of(agreement_method_names, m);
}
std::optional<AgreementMethod> parse_agreement_method(std::string_view s) {
    return parse_of(agreement_method_names, s);
}

const ActionLifecycle& action_lifecycle() {
    using S = ActionStatus;
    using E = ActionEvent;
    const std::vector<Relationship> team = {Relationship::assigned_coordinator, Relationship::team_member};
    constexpr auto mine = [](const ActionFacts& f) { return f.keeper_or_owner; };
    constexpr std::string_view mine_text = "the actor keeps the plan or owns the action";
    constexpr std::string_view mine_key = "plan.refused.not_owner";
    static const ActionLifecycle table(
        "plan action",
        {
            {S::not_started, E::start, S::in_progress, team, mine, mine_text, mine_key},
            {S::not_started, E::complete, S::done, team, mine, mine_text, mine_key},
            {S::in_progress, E::complete, S::done, team, mine, mine_text, mine_key},
            {S::not_started, E::cancel, S::cancelled, team, mine, mine_text, mine_key},
            {S::in_progress, E::cancel, S::cancelled, team, mine, mine_text, mine_key},
            {S::done, E::reopen, S::in_progress, team, mine, mine_text, mine_key},
            {S::cancelled, E::reopen, S::in_progress, team, mine, mine_text, mine_key},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

std::optional<ActionOwner> parse_owner(std::string_view s) {
    auto part = [](std::string_view v) { return parse_id(v); };
    if (s.starts_with("u:")) {
        const auto rest = s.substr(2);
        const auto colon = rest.find(':');
        if (colon == std::string_view::npos) return std::nullopt;
        auto user = part(rest.substr(0, colon));
        auto org = part(rest.substr(colon + 1));
        if (!user || !org) return std::nullopt;
        return ActionOwner{ActionOwner::Kind::team_member, *user, *org, 0};
    }
    if (s.starts_with("o:")) {
        if (auto org = part(s.substr(2))) return ActionOwner{ActionOwner::Kind::organisation, 0, *org, 0};
        return std::nullopt;
    }
    if (s.starts_with("f:")) {
        if (auto m = part(s.substr(2))) return ActionOwner{ActionOwner::Kind::family, 0, 0, *m};
        return std::nullopt;
    }
    return std::nullopt;
}

std::string owner_value(const ActionOwner& o) {
    switch (o.kind) {
        case ActionOwner::Kind::team_member:
            return "u:" + std::to_string(o.user_id) + ":" + std::to_string(o.organisation_id);
        case ActionOwner::Kind::organisation:
            return "o:" + std::to_string(o.organisation_id);
        case ActionOwner::Kind::family:
            return "f:" + std::to_string(o.family_member_id);
    }
    return {};
}

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
    for (auto section : all_sections())
        long_text(e, std::string(code(section)), text_of(in.text, section), max_section_length, false, text_of(out, section));
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

std::vector<FieldError> validate(const NewActionForm& in, NewAction& out) {
    std::vector<FieldError> e;
    out = NewAction{};
    long_text(e, "text", in.text, max_action_length, true, out.text);
    optional_id(e, "goal", in.goal, out.goal_id);
    const std::string owner = trim(in.owner);
    if (owner.empty())
        e.push_back({"owner", "field.required", {}});
    else if (auto o = parse_owner(owner))
        out.owner = *o;
    else
        e.push_back({"owner", "field.choose_from_list", {}});
    date_field(e, "due", in.due, false, out.due);
    long_text(e, "reason", in.reason, max_reason_length, false, out.reason);
    return e;
}

std::vector<FieldError> validate(const ActionProgressForm& in, ActionProgress& out) {
    std::vector<FieldError> e;
    out = ActionProgress{};
    const std::string event = trim(in.event);
    if (!event.empty()) {
        if (auto v = parse_action_event(event))
            out.event = *v;
        else
            e.push_back({"event", "field.choose_from_list", {}});
    }
    long_text(e, "note", in.note, max_progress_length, false, out.note);
    if (e.empty() && !out.event && out.note.empty()) e.push_back({"note", "plan.error.progress_empty", {}});
    return e;
}

std::vector<FieldError> validate(const MeetingForm& in, const Date& today, Meeting& out) {
    std::vector<FieldError> e;
    out = Meeting{};
    std::optional<Date> held;
    date_field(e, "held_on", in.held_on, true, held);
    if (held && days_between(today, *held) > 0) e.push_back({"held_on", "plan.error.meeting_in_future", {}});
    if (held) out.held_on = *held;
    text(e, "attendees", in.attendees, max_attendees_length, true, out.attendees);
    long_text(e, "notes", in.notes, max_section_length, false, out.notes);
    long_text(e, "decisions", in.decisions, max_section_length, false, out.decisions);
    return e;
}

std::vector<FieldError> validate(const AgreementForm& in, const Date& today, Agreement& out) {
    std::vector<FieldError> e;
    out = Agreement{};
    std::optional<std::int64_t> member;
    optional_id(e, "family_member", in.family_member, member);
    if (e.empty() && !member) e.push_back({"family_member", "field.required", {}});
    if (member) out.family_member_id = *member;
    choice(e, "method", in.method, parse_agreement_method, out.method);
    std::optional<Date> on;
    date_field(e, "agreed_on", in.agreed_on, true, on);
    if (on && days_between(today, *on) > 0) e.push_back({"agreed_on", "plan.error.agreement_in_future", {}});
    if (on) out.agreed_on = *on;
    whole_number(e, "version", in.version, 1, 1000000000, out.version);
    optional_id(e, "meeting", in.meeting, out.meeting_id);
    return e;
}

std::string_view code(SignatureDecision d) {
    return d == SignatureDecision::agreed ? "agreed" : "changes_asked";
}
std::optional<SignatureDecision> parse_signature_decision(std::string_view s) {
    if (s == "agreed") return SignatureDecision::agreed;
    if (s == "changes_asked") return SignatureDecision::changes_asked;
    return std::nullopt;
}

std::vector<FieldError> validate(const SignatureForm& in, Signature& out) {
    std::vector<FieldError> e;
    out = Signature{};
    whole_number(e, "version", in.version, 1, 1000000000, out.version);
    choice(e, "decision", in.decision, parse_signature_decision, out.decision);
    const bool changes = trim(in.decision) == "changes_asked";
    plain_long_text(e, "comment", in.comment, 2000, changes, out.comment);
    return e;
}

std::vector<FieldError> validate(const FamilyNoteForm& in, FamilyNote& out) {
    std::vector<FieldError> e;
    out = FamilyNote{};
    optional_id(e, "goal", in.goal, out.goal_id);
    plain_long_text(e, "note", in.note, max_family_note_length, true, out.note);
    return e;
}

std::vector<FieldError> validate(const ReviewForm& in, const Date& today, Review& out) {
    std::vector<FieldError> e;
    out = Review{};
    std::optional<Date> held;
    date_field(e, "held_on", in.held_on, true, held);
    if (held && days_between(today, *held) > 0) e.push_back({"held_on", "plan.error.meeting_in_future", {}});
    if (held) out.held_on = *held;
    long_text(e, "next_steps", in.next_steps, max_section_length, true, out.next_steps);
    for (const auto& g : in.goals) {
        ReviewGoal goal;
        goal.goal_id = g.goal_id;
        const std::string id = std::to_string(g.goal_id);
        choice(e, "progress_" + id, g.progress, parse_goal_progress, goal.progress);
        long_text(e, "note_" + id, g.note, max_reason_length, false, goal.note);
        out.goals.push_back(std::move(goal));
    }
    return e;
}

TransitionFlags transition_flags(const Date& date_of_birth, const Date& today) {
    TransitionFlags f;
    f.age = age_in_years(date_of_birth, today);
    f.planning = f.age >= transition_planning_age;
    f.turns_18 = add_years(date_of_birth, 18);
    f.turns_21 = add_years(date_of_birth, 21);
    return f;
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
    j["sections"] = Json::object();
    for (auto section : all_sections()) j["sections"][std::string(code(section))] = text_of(c.sections, section);
    j["goals"] = Json::array();
    for (const PlanGoal* g : goals)
        j["goals"].push_back(Json{{"id", g->id},
                                  {"priority", g->priority},
                                  {"text", g->text},
                                  {"expressed_by", code(g->expressed_by)},
                                  {"progress", code(g->progress)}});
    std::vector<const PlanAction*> actions;
    for (const auto& a : c.actions) actions.push_back(&a);
    std::sort(actions.begin(), actions.end(), [](const PlanAction* a, const PlanAction* b) { return a->id < b->id; });
    j["actions"] = Json::array();
    for (const PlanAction* a : actions)
        j["actions"].push_back(Json{{"id", a->id},
                                    {"goal_id", a->goal_id},
                                    {"text", a->text},
                                    {"owner", a->owner},
                                    {"due", a->due},
                                    {"status", code(a->status)}});
    // Stored text is valid UTF-8 (validated on the way in); should a byte not be, the version is
    // still written, with U+FFFD in its place, rather than the change refused.
    return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace arrimage::domain
