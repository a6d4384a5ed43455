#pragma once
// Capacity building (docs/NETWORK.md "Capacity building"): the area's training catalogue, which
// trainings each role must complete and within how many days, completion records per person, and
// where each person and each provider stands. The coordinating agency's administrators keep the
// catalogue of their area; providers must support the required training of their staff.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "domain/identity.hpp"

namespace arrimage::domain {

enum class TrainingFormat : std::uint8_t { in_person, online, hybrid, self_paced };
const std::vector<TrainingFormat>& all_training_formats();
std::string_view code(TrainingFormat f);
std::optional<TrainingFormat> parse_training_format(std::string_view s);

// The roles a training may be required of, in this order: coordinator, participant_staff,
// provider_manager, privacy_officer.
const std::vector<Role>& trainable_roles();
bool is_trainable(Role r);

inline constexpr std::size_t max_training_description_length = 4000;
inline constexpr std::size_t max_completion_note_length = 1000;
inline constexpr int max_training_partners = 40;

// As posted.
struct TrainingForm {
    std::string title_fr, title_en;
    std::string description_fr, description_en;  // multi-line, optional
    std::string format;                          // a TrainingFormat code
    std::string hours;                           // "3", "1.5": up to one decimal, 0.1 to 200
    std::string validity_months;                 // "" (never expires) or 1..120
    std::string joint;                           // "1": offered jointly with partner organisations
    std::vector<std::string> partners;           // organisation ids (the joint training's partners)
};
struct TrainingTerms {
    std::string title_fr, title_en;
    std::string description_fr, description_en;
    TrainingFormat format = TrainingFormat::in_person;
    int hours_tenths = 10;               // 15 = 1.5 hours
    std::optional<int> validity_months;  // none: a completion never expires
    bool joint = false;
    std::vector<std::int64_t> partners;  // each once, ascending; empty unless joint
};
// Field errors or `out` filled: both titles (one line, up to 200 characters: "field.required",
// "field.too_long"); descriptions up to 4,000 characters ("field.too_long"); a known format
// ("field.required", "field.choose_from_list"); hours a number from 0.1 to 200 with at most one
// decimal ("field.required", "network.training.hours_invalid" on "hours"); validity empty or a
// whole number of months from 1 to 120 ("network.training.validity_invalid" on
// "validity_months"); partners positive ids ("field.choose_from_list" on "partners"), at most 40
// ("network.training.too_many_partners"), duplicates merged, and at least one when joint
// ("network.training.partners_required" on "partners"); ignored (cleared) when not joint.
std::vector<FieldError> validate(const TrainingForm& in, TrainingTerms& out);
// "1.5" for 15, "3" for 30.
std::string format_hours(int hours_tenths);

// Which trainable roles must complete a training, within how many days of taking up the role
// (or of the requirement being set, whichever is later). As posted: one entry per trainable
// role, in trainable_roles() order; `due_days` empty when the role is not required.
struct RequirementForm {
    std::string role;      // a Role code
    std::string due_days;  // "" or 1..730
};
struct Requirement {
    Role role = Role::coordinator;
    int due_days = 90;
};
// Field errors ("network.training.due_days_invalid" on "due_days_<role code>"; an unknown or
// untrainable role: "field.choose_from_list" on "role") or `out` filled with the required roles,
// in trainable_roles() order.
std::vector<FieldError> validate(const std::vector<RequirementForm>& in, std::vector<Requirement>& out);

// A completion, as posted: whose (a user id) and when.
struct CompletionForm {
    std::string user;          // a user id
    std::string completed_on;  // YYYY-MM-DD
    std::string note;          // optional, up to 1,000 characters
};
struct CompletionTerms {
    std::int64_t user = 0;
    Date completed_on;
    std::string note;
};
// Field errors or `out` filled: a positive user id ("field.required", "field.choose_from_list" on
// "user"); a real date ("field.required", "people.invalid_date" on "completed_on"), not after
// today ("network.training.completed_in_future"); the note up to 1,000 characters
// ("field.too_long").
std::vector<FieldError> validate(const CompletionForm& in, const Date& today, CompletionTerms& out);

// Where one person stands on one required training.
//   complete       completed, and not expiring within 30 days (or never expiring)
//   expiring_soon  completed, expiring within 30 days
//   due            never completed, not yet past due_by
//   overdue        never completed, past due_by
//   lapsed         completed, but the completion has expired
enum class TrainingStanding : std::uint8_t { complete, expiring_soon, due, overdue, lapsed };
const std::vector<TrainingStanding>& all_training_standings();
std::string_view code(TrainingStanding s);
std::optional<TrainingStanding> parse_training_standing(std::string_view s);
// Complete and expiring soon count as compliant.
bool compliant(TrainingStanding s);

inline constexpr int expiring_notice_days = 30;

struct Obligation {
    Date required_since;  // the later of the day the role was taken up and the requirement set
    int due_days = 90;
    std::optional<Date> last_completed;  // the latest completion, any day
    std::optional<int> validity_months;  // the training's
};
struct ObligationState {
    TrainingStanding standing = TrainingStanding::due;
    Date due_by;                     // required_since + due_days
    std::optional<Date> expires_on;  // last_completed + validity months (day clamped to the month's end)
};
ObligationState obligation_of(const Obligation& o, const Date& today);

// The same day `n` months later, clamped to the last day of a shorter month (31 Jan + 1 → 28/29 Feb).
Date add_months(const Date& d, int n);

// Compliant obligations in percent of all, rounded down; 100 when there are none.
int compliance_percent(int compliant_count, int obligations);

}  // namespace arrimage::domain
