#include "features/intake/domain/intake.hpp"

#include <algorithm>
#include <charconv>

#include "core/text.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

namespace {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

constexpr Named<IntakeStatus> status_names[] = {
    {IntakeStatus::in_intake, "in_intake"},   {IntakeStatus::eligible, "eligible"}, {IntakeStatus::ineligible, "ineligible"},
    {IntakeStatus::waitlisted, "waitlisted"}, {IntakeStatus::assigned, "assigned"}, {IntakeStatus::closed, "closed"},
};
constexpr Named<IntakeEvent> event_names[] = {
    {IntakeEvent::decide_eligible, "decide_eligible"},
    {IntakeEvent::decide_ineligible, "decide_ineligible"},
    {IntakeEvent::reopen, "reopen"},
    {IntakeEvent::waitlist, "waitlist"},
    {IntakeEvent::assign, "assign"},
    {IntakeEvent::reassign, "reassign"},
    {IntakeEvent::close, "close"},
};
constexpr Named<CloseReason> close_reason_names[] = {
    {CloseReason::goals_met, "goals_met"}, {CloseReason::family_withdrew, "family_withdrew"},
    {CloseReason::aged_out, "aged_out"},   {CloseReason::moved, "moved"},
    {CloseReason::other, "other"},
};
constexpr Named<DueState> due_state_names[] = {
    {DueState::done, "done"},
    {DueState::overdue, "overdue"},
    {DueState::due_soon, "due_soon"},
    {DueState::upcoming, "upcoming"},
};

bool has_field(const std::vector<FieldError>& e, std::string_view field) {
    return std::any_of(e.begin(), e.end(), [&](const FieldError& f) { return f.field == field; });
}

}  // namespace

const std::vector<IntakeStatus>& all_intake_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<IntakeEvent>& all_intake_events() {
    static const auto v = values_of(event_names);
    return v;
}
std::string_view code(IntakeStatus s) {
    return code_of(status_names, s);
}
std::string_view code(IntakeEvent e) {
    return code_of(event_names, e);
}
std::optional<IntakeStatus> parse_intake_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<IntakeEvent> parse_intake_event(std::string_view s) {
    return parse_of(event_names, s);
}
const std::vector<CloseReason>& all_close_reasons() {
    static const auto v = values_of(close_reason_names);
    return v;
}
std::string_view code(CloseReason r) {
    return code_of(close_reason_names, r);
}
std::optional<CloseReason> parse_close_reason(std::string_view s) {
    return parse_of(close_reason_names, s);
}
std::string_view code(DueState s) {
    return code_of(due_state_names, s);
}

std::vector<FieldError> validate(const AreaRulesForm& in, AreaRules& out) {
    std::vector<FieldError> e;
    AreaRules r = out;
    whole_number(e, "max_age", in.max_age, 1, max_child_age_years, r.max_age);
    whole_number(e, "school_max_age", in.school_max_age, 1, max_child_age_years, r.school_max_age);
    if (!has_field(e, "max_age") && !has_field(e, "school_max_age") && r.school_max_age < r.max_age)
        e.push_back({"school_max_age", "intake.rules.error.school_age_below", {}});
    whole_number(e, "min_sectors", in.min_sectors, 1, static_cast<int>(all_sectors().size()), r.min_sectors);
    whole_number(e, "first_contact_days", in.first_contact_days, 1, 365, r.first_contact_days);
    whole_number(e, "intake_decision_days", in.intake_decision_days, 1, 365, r.intake_decision_days);
    whole_number(e, "first_plan_days", in.first_plan_days, 1, 365, r.first_plan_days);
    whole_number(e, "review_interval_days", in.review_interval_days, 1, 365, r.review_interval_days);
    whole_number(e, "caseload_limit", in.caseload_limit, 1, 200, r.caseload_limit);
    whole_number(e, "referral_answer_days", in.referral_answer_days, 1, 365, r.referral_answer_days);
    whole_number(e, "retention_years", in.retention_years, 1, 50, r.retention_years);
    if (e.empty()) out = r;
    return e;
}

std::vector<FieldError> validate_criterion(std::string_view text_fr, std::string_view text_en, AreaCriterion& out) {
    std::vector<FieldError> e;
    out = AreaCriterion{};
    text(e, "text_fr", text_fr, 300, true, out.text_fr);
    text(e, "text_en", text_en, 300, true, out.text_en);
    return e;
}

std::vector<FieldError> validate(const StoryForm& in, const std::vector<AreaCriterion>& criteria, Story& out) {
    std::vector<FieldError> e;
    out = Story{};
    long_text(e, "story", in.story, max_story_length, true, out.story);
    long_text(e, "strengths", in.strengths, max_story_length, false, out.strengths);
    long_text(e, "needs_home", in.needs_home, max_story_length, false, out.needs_home);
    long_text(e, "needs_school", in.needs_school, max_story_length, false, out.needs_school);
    long_text(e, "needs_community", in.needs_community, max_story_length, false, out.needs_community);
    long_text(e, "needs_health", in.needs_health, max_story_length, false, out.needs_health);
    long_text(e, "involved", in.involved, max_story_length, false, out.involved);
    long_text(e, "hopes", in.hopes, max_story_length, false, out.hopes);

    const std::string school = trim(in.in_school);
    if (school == "yes")
        out.in_school = true;
    else if (school == "no")
        out.in_school = false;
    else if (!school.empty())
        e.push_back({"in_school", "field.choose_one", {}});

    bool bad_sector = false;
    for (const auto& raw : in.sectors)
        if (!parse_sector(trim(raw))) bad_sector = true;
    if (bad_sector) e.push_back({"sectors", "field.choose_from_list", {}});
    for (Sector s : all_sectors())
        if (std::any_of(in.sectors.begin(), in.sectors.end(), [&](const std::string& raw) { return trim(raw) == code(s); }))
            out.sectors.push_back(s);

    for (const auto& [key, raw] : in.answers) {
        const auto id = parse_id(key);
        const bool known =
            id && std::any_of(criteria.begin(), criteria.end(), [&](const AreaCriterion& c) { return c.id == *id; });
        const std::string answer = trim(raw);
        if (!known) {
            e.push_back({"criterion_" + key, "intake.error.unknown_criterion", {}});
        } else if (answer == "yes" || answer == "no") {
            out.answers[*id] = answer == "yes";
        } else if (!answer.empty()) {
            e.push_back({"criterion_" + key, "field.choose_one", {}});
        }
    }
    return e;
}

bool Assessment::all_met() const {
    return std::all_of(rules.begin(), rules.end(), [](const RuleOutcome& r) { return r.met.value_or(false); });
}

Assessment assess(const AreaRules& rules, const Date& date_of_birth, const Story& story, const Date& today) {
    Assessment a;
    const int age = age_in_years(date_of_birth, today);
    RuleOutcome age_rule;
    age_rule.args = {std::to_string(age), std::to_string(rules.max_age), std::to_string(rules.school_max_age)};
    if (age < rules.max_age) {
        age_rule.key = "intake.rule.age_under";
        age_rule.met = true;
    } else if (age < rules.school_max_age) {
        age_rule.key = "intake.rule.age_school";
        age_rule.met = story.in_school;  // unknown until asked
    } else {
        age_rule.key = "intake.rule.age_over";
        age_rule.met = false;
    }
    a.rules.push_back(std::move(age_rule));

    RuleOutcome sectors;
    sectors.key = "intake.rule.sectors";
    sectors.args = {std::to_string(story.sectors.size()), std::to_string(rules.min_sectors)};
    sectors.met = static_cast<int>(story.sectors.size()) >= rules.min_sectors;
    a.rules.push_back(std::move(sectors));

    for (const auto& c : rules.criteria) {
        RuleOutcome r;
        r.key = "intake.rule.criterion";
        r.text_fr = c.text_fr;
        r.text_en = c.text_en;
        if (auto it = story.answers.find(c.id); it != story.answers.end()) r.met = it->second;
        a.rules.push_back(std::move(r));
    }
    return a;
}

const IntakeLifecycle& intake_lifecycle() {
    using S = IntakeStatus;
    using E = IntakeEvent;
    const std::vector<Relationship> agency = {Relationship::coordinating_agency};
    const std::vector<Relationship> keepers = {Relationship::coordinating_agency, Relationship::assigned_coordinator};
    const auto registered = [](const IntakeFacts& f) { return f.file_registered; };
    static const IntakeLifecycle table(
        "intake",
        {
            {S::in_intake, E::decide_eligible, S::eligible, agency,
             [](const IntakeFacts& f) { return f.story_recorded && f.rules_met; }, "the story is recorded and every rule is met",
             "intake.refused.rules_not_met"},
            {S::in_intake, E::decide_ineligible, S::ineligible, agency},
            {S::ineligible, E::reopen, S::in_intake, agency},
            {S::eligible, E::waitlist, S::waitlisted, agency},
            {S::eligible, E::assign, S::assigned, agency, registered, "the child's file is registered", "intake.refused.no_file"},
            {S::waitlisted, E::assign, S::assigned, agency, registered, "the child's file is registered",
             "intake.refused.no_file"},
            {S::assigned, E::reassign, S::assigned, agency},
            {S::eligible, E::close, S::closed, keepers},
            {S::waitlisted, E::close, S::closed, keepers},
            {S::assigned, E::close, S::closed, keepers},
            {S::closed, E::reopen, S::in_intake, agency},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

std::vector<FieldError> validate(const IntakeDecisionForm& in, IntakeDecision& out) {
    std::vector<FieldError> e;
    out = IntakeDecision{};
    const std::string d = trim(in.decision);
    if (d == "eligible" || d == "ineligible")
        out.eligible = d == "eligible";
    else
        e.push_back({"decision", "field.choose_one", {}});
    long_text(e, "reason", in.reason, 1000, true, out.reason);
    return e;
}

std::vector<FieldError> validate(const AssignmentForm& in, bool reassignment, Assignment& out) {
    std::vector<FieldError> e;
    out = Assignment{};
    const std::string choice = trim(in.coordinator);
    const auto colon = choice.find(':');
    const auto user = colon == std::string::npos ? std::nullopt : parse_id(choice.substr(0, colon));
    const auto org = colon == std::string::npos ? std::nullopt : parse_id(choice.substr(colon + 1));
    if (choice.empty())
        e.push_back({"coordinator", "field.required", {}});
    else if (!user || !org)
        e.push_back({"coordinator", "field.choose_from_list", {}});
    else {
        out.user_id = *user;
        out.organisation_id = *org;
    }
    long_text(e, "reason", in.reason, 1000, reassignment, out.reason);
    long_text(e, "over_limit_reason", in.over_limit_reason, 1000, false, out.over_limit_reason);
    return e;
}

std::vector<FieldError> validate(const ClosureForm& in, Closure& out) {
    std::vector<FieldError> e;
    out = Closure{};
    const std::string reason = trim(in.reason);
    if (reason.empty())
        e.push_back({"reason", "field.required", {}});
    else if (auto r = parse_close_reason(reason))
        out.reason = *r;
    else
        e.push_back({"reason", "field.choose_from_list", {}});
    long_text(e, "note", in.note, 1000, !has_field(e, "reason") && out.reason == CloseReason::other, out.note);
    return e;
}

std::vector<DueItem> due_items(const AreaRules& rules, const FileDates& dates, const Date& today) {
    std::vector<DueItem> out;
    const auto item = [&](std::string key, const Date& due, const std::optional<Date>& done) {
        DueItem i{std::move(key), due, done, DueState::upcoming};
        const int left = days_between(today, due);
        if (done)
            i.state = DueState::done;
        else if (left < 0)
            i.state = DueState::overdue;
        else if (left <= 3)
            i.state = DueState::due_soon;
        out.push_back(std::move(i));
    };
    item("intake_decision", add_days(dates.opened, rules.intake_decision_days), dates.decided);
    if (dates.assigned) {
        item("first_contact", add_days(*dates.assigned, rules.first_contact_days), dates.first_contact);
        item("first_plan", add_days(*dates.assigned, rules.first_plan_days), dates.first_plan);
        if (dates.review_from) item("next_review", add_days(*dates.review_from, rules.review_interval_days), std::nullopt);
    }
    return out;
}

}  // namespace arrimage::domain
