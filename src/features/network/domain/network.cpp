#include "features/network/domain/network.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "domain/identity.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<MaturityLevel> level_names[] = {
    {MaturityLevel::fragmented, "fragmented"},     {MaturityLevel::cooperation, "cooperation"},
    {MaturityLevel::coordination, "coordination"}, {MaturityLevel::collaboration, "collaboration"},
    {MaturityLevel::integrated, "integrated"},
};
constexpr Named<MaturityDimension> dimension_names[] = {
    {MaturityDimension::entry_points, "entry_points"}, {MaturityDimension::information_exchange, "information_exchange"},
    {MaturityDimension::management, "management"},     {MaturityDimension::funding, "funding"},
    {MaturityDimension::equipment, "equipment"},       {MaturityDimension::clientele, "clientele"},
};
constexpr Named<IntegrationMark> mark_names[] = {
    {IntegrationMark::multidisciplinary_teams, "multidisciplinary_teams"},
    {IntegrationMark::collective_decision_body, "collective_decision_body"},
    {IntegrationMark::consumer_focused, "consumer_focused"},
    {IntegrationMark::formal_agreements, "formal_agreements"},
};
constexpr Named<Movement> movement_names[] = {
    {Movement::up, "up"},
    {Movement::same, "same"},
    {Movement::down, "down"},
};
constexpr Named<CommunityPlanKind> plan_kind_names[] = {
    {CommunityPlanKind::community_safety_wellbeing, "community_safety_wellbeing"},
    {CommunityPlanKind::housing_homelessness, "housing_homelessness"},
    {CommunityPlanKind::childrens_services, "childrens_services"},
    {CommunityPlanKind::population_health_equity, "population_health_equity"},
    {CommunityPlanKind::navigation_model, "navigation_model"},
    {CommunityPlanKind::policy_review, "policy_review"},
    {CommunityPlanKind::other, "other"},
};
constexpr Named<ReviewCycle> cycle_names[] = {
    {ReviewCycle::every_10_years, "every_10_years"},
    {ReviewCycle::every_5_years, "every_5_years"},
    {ReviewCycle::fixed_date, "fixed_date"},
    {ReviewCycle::ongoing, "ongoing"},
};
constexpr Named<ReviewState> review_state_names[] = {
    {ReviewState::none, "none"},
    {ReviewState::upcoming, "upcoming"},
    {ReviewState::due_soon, "due_soon"},
    {ReviewState::overdue, "overdue"},
};
constexpr Named<CommunityPlanStatus> plan_status_names[] = {
    {CommunityPlanStatus::in_development, "in_development"},
    {CommunityPlanStatus::approved, "approved"},
    {CommunityPlanStatus::under_review, "under_review"},
    {CommunityPlanStatus::retired, "retired"},
};
constexpr Named<CommunityPlanEvent> plan_event_names[] = {
    {CommunityPlanEvent::approve, "approve"},
    {CommunityPlanEvent::open_review, "open_review"},
    {CommunityPlanEvent::reapprove, "reapprove"},
    {CommunityPlanEvent::retire, "retire"},
};

bool before(const Date& a, const Date& b) {
    return days_between(a, b) > 0;
}

// Multi-line text that must be there: long_text's own checks first (invalid text, too long),
// then `missing_key` when it is empty.
void required_long_text(std::vector<FieldError>& e, const std::string& field, std::string_view raw, std::size_t max,
                        const char* missing_key, std::string& out) {
    const auto errors_before = e.size();
    long_text(e, field, raw, max, false, out);
    if (e.size() == errors_before && out.empty()) e.push_back({field, missing_key, {}});
}

// Ids chosen in a list (checkboxes or a multiple select): blanks skipped, each once, ascending;
// anything but a positive id is "field.choose_from_list", more than max_plan_links distinct ones
// "network.plan.too_many_links". Returns whether the field has an error.
bool id_list(std::vector<FieldError>& e, const std::string& field, const std::vector<std::string>& raw,
             std::vector<std::int64_t>& out) {
    out.clear();
    bool bad = false;
    for (const auto& r : raw) {
        const std::string s = trim(r);
        if (s.empty()) continue;
        if (auto id = parse_id(s))
            out.push_back(*id);
        else
            bad = true;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (bad) {
        e.push_back({field, "field.choose_from_list", {}});
        return true;
    }
    if (out.size() > max_plan_links) {
        e.push_back({field, "network.plan.too_many_links", {std::to_string(max_plan_links)}});
        return true;
    }
    return false;
}

}  // namespace

// ---------------------------------------------------------------- integration maturity

const std::vector<MaturityLevel>& all_maturity_levels() {
    static const auto v = values_of(level_names);
    return v;
}
std::string_view code(MaturityLevel l) {
    return code_of(level_names, l);
}
std::optional<MaturityLevel> parse_maturity_level(std::string_view s) {
    if (s.size() == 1 && s[0] >= '1' && s[0] <= '5') return level_of_rank(s[0] - '0');
    return parse_of(level_names, s);
}
std::optional<MaturityLevel> level_of_rank(int r) {
    if (r < rank(MaturityLevel::fragmented) || r > rank(MaturityLevel::integrated)) return std::nullopt;
    return static_cast<MaturityLevel>(r);
}

const std::vector<MaturityDimension>& all_maturity_dimensions() {
    static const auto v = values_of(dimension_names);
    return v;
}
std::string_view code(MaturityDimension d) {
    return code_of(dimension_names, d);
}
std::optional<MaturityDimension> parse_maturity_dimension(std::string_view s) {
    return parse_of(dimension_names, s);
}

const std::vector<IntegrationMark>& all_integration_marks() {
    static const auto v = values_of(mark_names);
    return v;
}
std::string_view code(IntegrationMark m) {
    return code_of(mark_names, m);
}
std::optional<IntegrationMark> parse_integration_mark(std::string_view s) {
    return parse_of(mark_names, s);
}

std::vector<FieldError> validate(const AssessmentForm& in, const Date& today, MaturityAssessment& out) {
    std::vector<FieldError> e;
    std::optional<Date> on;
    date_field(e, "assessed_on", in.assessed_on, true, on);
    if (on) {
        out.assessed_on = *on;
        if (before(today, *on)) e.push_back({"assessed_on", "network.maturity.assessed_in_future", {}});
    }

    const std::string subject = trim(in.subject);
    out.agreement_id.reset();
    if (subject.empty())
        e.push_back({"subject", "field.required", {}});
    else if (subject != "area") {
        out.agreement_id = parse_id(subject);
        if (!out.agreement_id) e.push_back({"subject", "field.choose_from_list", {}});
    }

    const auto& dimensions = all_maturity_dimensions();
    out.answers.clear();
    for (std::size_t i = 0; i < dimensions.size(); ++i) {
        const AnswerForm posted = i < in.answers.size() ? in.answers[i] : AnswerForm{};
        const std::string name(code(dimensions[i]));
        MaturityAnswer a;
        a.dimension = dimensions[i];
        const std::string level = trim(posted.level);
        if (level.empty())
            e.push_back({"level_" + name, "network.maturity.level_required", {}});
        else if (auto l = parse_maturity_level(level))
            a.level = *l;
        else
            e.push_back({"level_" + name, "field.choose_from_list", {}});
        required_long_text(e, "evidence_" + name, posted.evidence, max_evidence_length, "network.maturity.evidence_required",
                           a.evidence);
        out.answers.push_back(std::move(a));
    }

    const auto& marks = all_integration_marks();
    out.marks.clear();
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const MarkForm posted = i < in.marks.size() ? in.marks[i] : MarkForm{};
        const std::string field = "mark_evidence_" + std::string(code(marks[i]));
        MarkAnswer m;
        m.mark = marks[i];
        m.held = trim(posted.held) == "1";
        if (m.held) {
            required_long_text(e, field, posted.evidence, max_evidence_length, "network.maturity.mark_evidence_required",
                               m.evidence);
        } else {
            // Evidence of a mark not held would not be kept: rather than drop what was typed, the
            // form asks whether the mark was meant to be ticked (its own checks first).
            const auto errors_before = e.size();
            std::string typed;
            long_text(e, field, posted.evidence, max_evidence_length, false, typed);
            if (e.size() == errors_before && !typed.empty()) e.push_back({field, "network.maturity.mark_evidence_unchecked", {}});
        }
        out.marks.push_back(std::move(m));
    }

    long_text(e, "summary", in.summary, max_assessment_summary_length, false, out.summary);
    return e;
}

MaturityScore score(const std::vector<MaturityAnswer>& answers, const std::vector<MarkAnswer>& marks) {
    MaturityScore s;
    for (auto m : all_integration_marks())
        if (std::any_of(marks.begin(), marks.end(), [m](const MarkAnswer& a) { return a.mark == m && a.held; })) ++s.marks_held;
    if (answers.empty()) return s;
    long long sum = 0;
    for (const auto& a : answers) sum += rank(a.level);
    const auto n = static_cast<long long>(answers.size());
    // The mean in tenths, half up: floor(10 * sum / n + 1/2) = (20 * sum + n) / (2 * n).
    s.tenths = static_cast<int>((20 * sum + n) / (2 * n));
    s.stage = level_of_rank(static_cast<int>(sum / n)).value_or(MaturityLevel::fragmented);
    const bool every_mark = s.marks_held == static_cast<int>(all_integration_marks().size());
    if (s.stage == MaturityLevel::integrated && !every_mark) s.stage = MaturityLevel::collaboration;
    return s;
}

std::string format_tenths(int tenths, bool french) {
    const bool negative = tenths < 0;
    const long long v = negative ? -static_cast<long long>(tenths) : tenths;
    return std::string(negative ? "-" : "") + std::to_string(v / 10) + (french ? "," : ".") + std::to_string(v % 10);
}

std::string_view code(Movement m) {
    return code_of(movement_names, m);
}

AssessmentComparison compare(const MaturityAssessment& before, const MaturityAssessment& after) {
    AssessmentComparison c;
    const auto answer_of = [](const MaturityAssessment& a, MaturityDimension d) -> const MaturityAnswer* {
        for (const auto& x : a.answers)
            if (x.dimension == d) return &x;
        return nullptr;
    };
    for (auto d : all_maturity_dimensions()) {
        const MaturityAnswer* b = answer_of(before, d);
        const MaturityAnswer* a = answer_of(after, d);
        if (!b || !a) continue;  // a dimension one of them does not answer has no move
        DimensionChange change{d, b->level, a->level, Movement::same};
        if (rank(a->level) > rank(b->level))
            change.movement = Movement::up;
        else if (rank(a->level) < rank(b->level))
            change.movement = Movement::down;
        c.dimensions.push_back(change);
    }
    const auto held = [](const MaturityAssessment& a, IntegrationMark m) {
        return std::any_of(a.marks.begin(), a.marks.end(), [m](const MarkAnswer& x) { return x.mark == m && x.held; });
    };
    for (auto m : all_integration_marks()) {
        const bool was = held(before, m), is = held(after, m);
        if (is && !was) c.marks_gained.push_back(m);
        if (was && !is) c.marks_lost.push_back(m);
    }
    c.before = score(before.answers, before.marks);
    c.after = score(after.answers, after.marks);
    return c;
}

// ---------------------------------------------------------------- community plans registry

const std::vector<CommunityPlanKind>& all_community_plan_kinds() {
    static const auto v = values_of(plan_kind_names);
    return v;
}
std::string_view code(CommunityPlanKind k) {
    return code_of(plan_kind_names, k);
}
std::optional<CommunityPlanKind> parse_community_plan_kind(std::string_view s) {
    return parse_of(plan_kind_names, s);
}

const std::vector<ReviewCycle>& all_review_cycles() {
    static const auto v = values_of(cycle_names);
    return v;
}
std::string_view code(ReviewCycle c) {
    return code_of(cycle_names, c);
}
std::optional<ReviewCycle> parse_review_cycle(std::string_view s) {
    return parse_of(cycle_names, s);
}

std::vector<FieldError> validate(const CommunityPlanForm& in, const std::optional<Date>& approved_on, CommunityPlanTerms& out) {
    std::vector<FieldError> e;
    text(e, "title_fr", in.title_fr, max_plan_title_length, true, out.title_fr);
    text(e, "title_en", in.title_en, max_plan_title_length, true, out.title_en);
    choice(e, "kind", in.kind, &parse_community_plan_kind, out.kind);

    // The owner: an organisation of the registry or a name typed (a ministry, Ontario Health).
    const std::string owner = trim(in.owner_organisation);
    out.owner_organisation.reset();
    bool owner_error = false;
    if (!owner.empty()) {
        out.owner_organisation = parse_id(owner);
        if (!out.owner_organisation) {
            e.push_back({"owner_organisation", "field.choose_from_list", {}});
            owner_error = true;
        }
    }
    const auto errors_before_name = e.size();
    text(e, "owner_name", in.owner_name, max_plan_owner_length, false, out.owner_name);
    if (e.size() != errors_before_name) owner_error = true;
    if (!owner_error && !out.owner_organisation && out.owner_name.empty())
        e.push_back({"owner_organisation", "network.plan.owner_required", {}});
    // Both: which one is the owner is for the person filling the form to say, not to guess.
    if (!owner_error && out.owner_organisation && !out.owner_name.empty())
        e.push_back({"owner_name", "network.plan.owner_both", {}});

    long_text(e, "description", in.description, max_plan_description_length, false, out.description);
    long_text(e, "scope", in.scope, max_plan_scope_length, false, out.scope);

    std::optional<ReviewCycle> cycle;
    const auto errors_before_cycle = e.size();
    choice(e, "cycle", in.cycle, &parse_review_cycle, out.cycle);
    if (e.size() == errors_before_cycle) cycle = out.cycle;
    out.fixed_review_on.reset();
    if (cycle == ReviewCycle::fixed_date) {
        date_field(e, "fixed_review_on", in.fixed_review_on, true, out.fixed_review_on);
        if (out.fixed_review_on && approved_on && before(*out.fixed_review_on, *approved_on))
            e.push_back({"fixed_review_on", "network.plan.review_before_approval", {}});
    }
    out.yearly_progress = trim(in.yearly_progress) == "1";

    id_list(e, "organisations", in.organisations, out.organisations);
    if (!id_list(e, "areas", in.areas, out.areas) && out.areas.empty()) e.push_back({"areas", "field.choose_at_least_one", {}});
    return e;
}

std::optional<Date> next_review(ReviewCycle cycle, const std::optional<Date>& approved_on,
                                const std::optional<Date>& fixed_review_on) {
    switch (cycle) {
        case ReviewCycle::every_10_years:
            if (approved_on) return add_years(*approved_on, 10);
            return std::nullopt;
        case ReviewCycle::every_5_years:
            if (approved_on) return add_years(*approved_on, 5);
            return std::nullopt;
        case ReviewCycle::fixed_date:
            return fixed_review_on;
        case ReviewCycle::ongoing:
            break;
    }
    return std::nullopt;
}

std::optional<Date> next_progress_report(bool yearly_progress, const std::optional<Date>& approved_on,
                                         const std::optional<Date>& next_review_on, const Date& today) {
    if (!yearly_progress || !approved_on) return std::nullopt;
    // Each anniversary counted from the approval itself, so one approved on 29 February reports on
    // 28 February in common years and on the 29th again in leap years.
    // The anniversary a year before today's year is always before today: start there.
    int n = std::max(1, today.year - approved_on->year - 1);
    Date anniversary = add_years(*approved_on, n);
    while (before(anniversary, today)) anniversary = add_years(*approved_on, ++n);
    if (next_review_on && !before(anniversary, *next_review_on)) return std::nullopt;
    return anniversary;
}

std::string_view code(ReviewState s) {
    return code_of(review_state_names, s);
}

ReviewState review_state(const std::optional<Date>& next_review_on, const Date& today) {
    if (!next_review_on) return ReviewState::none;
    const int days = days_between(today, *next_review_on);
    if (days < 0) return ReviewState::overdue;
    if (days <= review_notice_days) return ReviewState::due_soon;
    return ReviewState::upcoming;
}

const std::vector<CommunityPlanStatus>& all_community_plan_statuses() {
    static const auto v = values_of(plan_status_names);
    return v;
}
const std::vector<CommunityPlanEvent>& all_community_plan_events() {
    static const auto v = values_of(plan_event_names);
    return v;
}
std::string_view code(CommunityPlanStatus s) {
    return code_of(plan_status_names, s);
}
std::string_view code(CommunityPlanEvent e) {
    return code_of(plan_event_names, e);
}
std::optional<CommunityPlanStatus> parse_community_plan_status(std::string_view s) {
    return parse_of(plan_status_names, s);
}
std::optional<CommunityPlanEvent> parse_community_plan_event(std::string_view s) {
    return parse_of(plan_event_names, s);
}

const CommunityPlanLifecycle& community_plan_lifecycle() {
    using S = CommunityPlanStatus;
    using E = CommunityPlanEvent;
    const std::vector<Relationship> agency = {Relationship::coordinating_agency};
    static const CommunityPlanLifecycle table(
        "community_plan",
        {
            {S::in_development, E::approve, S::approved, agency},
            {S::approved, E::open_review, S::under_review, agency},
            {S::under_review, E::reapprove, S::approved, agency},
            {S::in_development, E::retire, S::retired, agency},
            {S::approved, E::retire, S::retired, agency},
            {S::under_review, E::retire, S::retired, agency},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

std::vector<FieldError> validate_approval(const std::string& approved_on, const std::optional<Date>& previous,
                                          const std::optional<Date>& fixed_review_on, const Date& today, Date& out) {
    std::vector<FieldError> e;
    std::optional<Date> on;
    date_field(e, "approved_on", approved_on, true, on);
    if (!on) return e;
    out = *on;
    if (before(today, *on))
        e.push_back({"approved_on", "network.plan.approved_in_future", {}});
    else if (previous && before(*on, *previous))
        e.push_back({"approved_on", "network.plan.approval_before_previous", {}});
    else if (fixed_review_on && before(*fixed_review_on, *on))
        e.push_back({"approved_on", "network.plan.approval_after_fixed_review", {}});
    return e;
}

}  // namespace arrimage::domain
