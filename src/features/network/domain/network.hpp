#pragma once
// Where the network stands and where it is going (docs/NETWORK.md).
//
// Integration maturity (seed 003): an area, or one of its partnerships, self-assesses where it
// stands on the continuum from fragmented to integrated services, one level per dimension the
// seed names, each answer with its evidence, and which marks of integrated services it holds.
// Assessments are dated and kept as recorded; their sequence is the history, and two of them
// compare dimension by dimension.
//
// The community plans registry (seed 004, tables 1 and 2): municipal and health-system plans and
// the provincial policy reviews that touch them, with their owner, scope and review cycle; the
// next review is computed from the last approval; the status moves only through
// community_plan_lifecycle().
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

// ---------------------------------------------------------------- integration maturity

// The continuum, in order (rank 1 to 5).
enum class MaturityLevel : std::uint8_t { fragmented = 1, cooperation, coordination, collaboration, integrated };
const std::vector<MaturityLevel>& all_maturity_levels();
std::string_view code(MaturityLevel l);
std::optional<MaturityLevel> parse_maturity_level(std::string_view s);  // a code or its rank "1".."5"
constexpr int rank(MaturityLevel l) {
    return static_cast<int>(l);
}
std::optional<MaturityLevel> level_of_rank(int r);  // 1..5

// The seed's dimensions: points of entry, information exchange, management and administration,
// funding, equipment, clientele. Each level's description of each dimension is in the catalogue
// (network.maturity.describe.<dimension>.<level>).
enum class MaturityDimension : std::uint8_t { entry_points, information_exchange, management, funding, equipment, clientele };
const std::vector<MaturityDimension>& all_maturity_dimensions();
std::string_view code(MaturityDimension d);
std::optional<MaturityDimension> parse_maturity_dimension(std::string_view s);

// The marks of integrated services the seed lists: multidisciplinary teams of professionals, a
// collective decision-making body, services centred on the people served and inclusive,
// protocols and agreements that formalise the relationships.
enum class IntegrationMark : std::uint8_t {
    multidisciplinary_teams,
    collective_decision_body,
    consumer_focused,
    formal_agreements
};
const std::vector<IntegrationMark>& all_integration_marks();
std::string_view code(IntegrationMark m);
std::optional<IntegrationMark> parse_integration_mark(std::string_view s);

inline constexpr std::size_t max_evidence_length = 2000;
inline constexpr std::size_t max_assessment_summary_length = 4000;

// As posted. `answers` and `marks` are in the catalogue's order (all_maturity_dimensions(),
// all_integration_marks()); the web fills them from the fields level_<dimension>,
// evidence_<dimension>, mark_<mark> ("1" when held) and mark_evidence_<mark>.
struct AnswerForm {
    std::string level, evidence;
};
struct MarkForm {
    std::string held, evidence;
};
struct AssessmentForm {
    std::string assessed_on;  // YYYY-MM-DD
    std::string subject;      // "area", or the id of one of the area's partnership agreements
    std::vector<AnswerForm> answers;
    std::vector<MarkForm> marks;
    std::string summary;
};

struct MaturityAnswer {
    MaturityDimension dimension = MaturityDimension::entry_points;
    MaturityLevel level = MaturityLevel::fragmented;
    std::string evidence;  // multi-line, required
};
struct MarkAnswer {
    IntegrationMark mark = IntegrationMark::multidisciplinary_teams;
    bool held = false;
    std::string evidence;  // required when held
};
struct MaturityAssessment {
    Date assessed_on;
    std::optional<std::int64_t> agreement_id;  // none: the whole area
    std::vector<MaturityAnswer> answers;       // one per dimension, catalogue order
    std::vector<MarkAnswer> marks;             // one per mark, catalogue order
    std::string summary;                       // multi-line, optional
};
// Field errors (catalogue keys) or, when empty, `out` filled:
//   "assessed_on": required, a real day (domain::date_field: "people.invalid_date"), not after today
//     ("network.maturity.assessed_in_future");
//   "subject": required; "area" or a positive id ("field.choose_from_list"; the store checks the
//     agreement is one of the area's partnerships);
//   "level_<dimension>": a level for every dimension ("network.maturity.level_required"; an
//     unknown one "field.choose_from_list");
//   "evidence_<dimension>": required ("network.maturity.evidence_required"), up to 2,000
//     characters (domain::long_text: "field.too_long");
//   "mark_evidence_<mark>": required when the mark is held ("network.maturity.mark_evidence_required"),
//     up to 2,000 characters (domain::long_text: "field.too_long"); evidence typed for a mark that
//     is not held is refused rather than dropped ("network.maturity.mark_evidence_unchecked");
//   "summary": up to 4,000 characters ("field.too_long").
// Fewer answers or marks than the catalogue has count as missing ones.
std::vector<FieldError> validate(const AssessmentForm& in, const Date& today, MaturityAssessment& out);

// An assessment's overall standing: the mean of its levels in tenths (10..50, rounded half up),
// and its stage: the level of the mean rounded down, where "integrated" also needs every mark
// of integration held (without them the stage is collaboration at most).
struct MaturityScore {
    int tenths = 10;
    MaturityLevel stage = MaturityLevel::fragmented;
    int marks_held = 0;
};
MaturityScore score(const std::vector<MaturityAnswer>& answers, const std::vector<MarkAnswer>& marks);
// "3.5" (French: "3,5").
std::string format_tenths(int tenths, bool french);

// Two assessments side by side (the earlier first): each dimension's move, the marks gained and
// lost, and both scores.
enum class Movement : std::uint8_t { up, same, down };
std::string_view code(Movement m);
struct DimensionChange {
    MaturityDimension dimension = MaturityDimension::entry_points;
    MaturityLevel before = MaturityLevel::fragmented, after = MaturityLevel::fragmented;
    Movement movement = Movement::same;
};
struct AssessmentComparison {
    std::vector<DimensionChange> dimensions;  // catalogue order
    std::vector<IntegrationMark> marks_gained, marks_lost;
    MaturityScore before, after;
};
AssessmentComparison compare(const MaturityAssessment& before, const MaturityAssessment& after);

// ---------------------------------------------------------------- community plans registry

// Seed 004, table 1: community safety and well-being plans (municipalities, every 10 years),
// housing and homelessness plans (municipalities or consolidated service managers, every 10
// years with a yearly progress report), children's services plans (every 5 years), population
// health management and equity plans (Ontario Health Teams), the navigation support model
// (Ontario Health); table 2: provincial policy reviews; other.
enum class CommunityPlanKind : std::uint8_t {
    community_safety_wellbeing,
    housing_homelessness,
    childrens_services,
    population_health_equity,
    navigation_model,
    policy_review,
    other
};
const std::vector<CommunityPlanKind>& all_community_plan_kinds();
std::string_view code(CommunityPlanKind k);
std::optional<CommunityPlanKind> parse_community_plan_kind(std::string_view s);

// How its next review is set: ten or five years after the last approval, a fixed deadline, or
// ongoing (no date).
enum class ReviewCycle : std::uint8_t { every_10_years, every_5_years, fixed_date, ongoing };
const std::vector<ReviewCycle>& all_review_cycles();
std::string_view code(ReviewCycle c);
std::optional<ReviewCycle> parse_review_cycle(std::string_view s);

inline constexpr std::size_t max_plan_title_length = 200;
inline constexpr std::size_t max_plan_owner_length = 200;
inline constexpr std::size_t max_plan_description_length = 4000;
inline constexpr std::size_t max_plan_scope_length = 2000;
inline constexpr std::size_t max_plan_links = 40;

// As posted: organisations and areas by id, dates as YYYY-MM-DD, yearly_progress "1" when
// checked. The approval date is not part of the terms: approving sets it (see the lifecycle).
struct CommunityPlanForm {
    std::string title_fr, title_en, kind, owner_organisation, owner_name, description, scope, cycle, fixed_review_on,
        yearly_progress;
    std::vector<std::string> organisations, areas;
};
struct CommunityPlanTerms {
    std::string title_fr, title_en;
    CommunityPlanKind kind = CommunityPlanKind::other;
    std::optional<std::int64_t> owner_organisation;  // an organisation of the registry, or
    std::string owner_name;                          // a name (a ministry, Ontario Health); one of the two
    std::string description, scope;                  // multi-line, optional
    ReviewCycle cycle = ReviewCycle::ongoing;
    std::optional<Date> fixed_review_on;      // exactly when cycle is fixed_date
    bool yearly_progress = false;             // a yearly progress report between reviews
    std::vector<std::int64_t> organisations;  // involved, each once, ascending (up to 40)
    std::vector<std::int64_t> areas;          // one or more, each once, ascending (up to 40)
};
// Field errors or `out` filled: both titles (one line, up to 200 characters: domain::text, "field.required",
// "field.too_long"); a known kind and cycle ("field.required",
// "field.choose_from_list"); an owner organisation (a positive id: "field.choose_from_list") or an
// owner name (up to 200 characters), exactly one of the two (neither: "network.plan.owner_required"
// on "owner_organisation"; both: "network.plan.owner_both" on "owner_name"); the description up to 4,000 and the scope up to
// 2,000 characters (domain::long_text: "field.too_long"); a fixed review date required with the fixed_date cycle
// ("field.required" on "fixed_review_on", "people.invalid_date"), ignored otherwise; at least one
// area ("field.choose_at_least_one" on "areas"); areas and organisations positive ids
// ("field.choose_from_list"), at most 40 each ("network.plan.too_many_links"); duplicates merged.
// With `approved_on` (the plan's current approval, when it has one): a fixed review date before it
// ("network.plan.review_before_approval" on "fixed_review_on").
std::vector<FieldError> validate(const CommunityPlanForm& in, const std::optional<Date>& approved_on, CommunityPlanTerms& out);

// The next review: approval + 10 or 5 years (29 February → 28 February), the fixed date, or none
// (ongoing, or a cyclic plan not approved yet).
std::optional<Date> next_review(ReviewCycle cycle, const std::optional<Date>& approved_on,
                                const std::optional<Date>& fixed_review_on);
// The next yearly progress report: the first anniversary of the approval on or after `today`,
// when the plan reports yearly and has been approved; none when that anniversary falls on or after
// the next review (the review replaces it).
std::optional<Date> next_progress_report(bool yearly_progress, const std::optional<Date>& approved_on,
                                         const std::optional<Date>& next_review_on, const Date& today);

// Where a review stands for the registry and its reminders: none (no date), upcoming (more than
// 90 days away), due_soon (within 90 days), overdue (the date has passed).
enum class ReviewState : std::uint8_t { none, upcoming, due_soon, overdue };
std::string_view code(ReviewState s);
inline constexpr int review_notice_days = 90;
ReviewState review_state(const std::optional<Date>& next_review_on, const Date& today);

// Its lifecycle: in development --approve--> approved (with its approval date);
// approved --open_review--> under review; under review --reapprove--> approved (a new approval
// date, not before the previous one); anything but retired --retire--> retired (with its reason).
// Fired by the coordinating agency administrators of an area the plan involves (relationship
// coordinating_agency).
enum class CommunityPlanStatus : std::uint8_t { in_development, approved, under_review, retired };
enum class CommunityPlanEvent : std::uint8_t { approve, open_review, reapprove, retire };
const std::vector<CommunityPlanStatus>& all_community_plan_statuses();
const std::vector<CommunityPlanEvent>& all_community_plan_events();
std::string_view code(CommunityPlanStatus s);
std::string_view code(CommunityPlanEvent e);
std::optional<CommunityPlanStatus> parse_community_plan_status(std::string_view s);
std::optional<CommunityPlanEvent> parse_community_plan_event(std::string_view s);
struct CommunityPlanFacts {};
using CommunityPlanLifecycle = Lifecycle<CommunityPlanStatus, CommunityPlanEvent, CommunityPlanFacts>;
const CommunityPlanLifecycle& community_plan_lifecycle();

inline constexpr std::size_t max_plan_note_length = 2000;

// An approval (approve, reapprove): its date, required, not after today
// ("network.plan.approved_in_future"), not before the previous approval
// ("network.plan.approval_before_previous"), and not after a fixed review date
// ("network.plan.approval_after_fixed_review"); field "approved_on".
std::vector<FieldError> validate_approval(const std::string& approved_on, const std::optional<Date>& previous,
                                          const std::optional<Date>& fixed_review_on, const Date& today, Date& out);

}  // namespace arrimage::domain
