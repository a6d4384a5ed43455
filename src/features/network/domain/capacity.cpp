#include "features/network/domain/capacity.hpp"

#include <algorithm>
#include <chrono>

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

constexpr Named<TrainingFormat> format_names[] = {
    {TrainingFormat::in_person, "in_person"},
    {TrainingFormat::online, "online"},
    {TrainingFormat::hybrid, "hybrid"},
    {TrainingFormat::self_paced, "self_paced"},
};
constexpr Named<TrainingStanding> standing_names[] = {
    {TrainingStanding::complete, "complete"}, {TrainingStanding::expiring_soon, "expiring_soon"},
    {TrainingStanding::due, "due"},           {TrainingStanding::overdue, "overdue"},
    {TrainingStanding::lapsed, "lapsed"},
};

constexpr std::size_t max_training_title_length = 200;
constexpr int min_hours_tenths = 1;
constexpr int max_hours_tenths = 2000;
constexpr int max_validity_months = 120;
constexpr int max_due_days = 730;

// A whole number from `lo` to `hi` written in digits only (no sign, no spaces inside).
std::optional<int> number_between(std::string_view s, int lo, int hi) {
    if (s.empty() || s.size() > 9) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    if (v < lo || v > hi) return std::nullopt;
    return v;
}

// Hours in tenths: digits, then at most one decimal after a point. A comma is taken as the
// point too, since that is how French readers write "1,5".
std::optional<int> hours_in_tenths(std::string_view s) {
    const auto sep = s.find_first_of(".,");
    const std::string_view whole = s.substr(0, sep);
    int tenth = 0;
    if (sep != std::string_view::npos) {
        const std::string_view decimal = s.substr(sep + 1);
        if (decimal.size() != 1 || decimal[0] < '0' || decimal[0] > '9') return std::nullopt;
        tenth = decimal[0] - '0';
    }
    const auto units = number_between(whole, 0, max_hours_tenths / 10);
    if (!units) return std::nullopt;
    const int tenths = *units * 10 + tenth;
    if (tenths < min_hours_tenths || tenths > max_hours_tenths) return std::nullopt;
    return tenths;
}

bool before(const Date& a, const Date& b) {
    return days_between(a, b) > 0;
}

}  // namespace

const std::vector<TrainingFormat>& all_training_formats() {
    static const auto v = values_of(format_names);
    return v;
}
std::string_view code(TrainingFormat f) {
    return code_of(format_names, f);
}
std::optional<TrainingFormat> parse_training_format(std::string_view s) {
    return parse_of(format_names, s);
}

const std::vector<Role>& trainable_roles() {
    static const std::vector<Role> v = {Role::coordinator, Role::participant_staff, Role::provider_manager,
                                        Role::privacy_officer};
    return v;
}
bool is_trainable(Role r) {
    const auto& v = trainable_roles();
    return std::find(v.begin(), v.end(), r) != v.end();
}

std::vector<FieldError> validate(const TrainingForm& in, TrainingTerms& out) {
    std::vector<FieldError> e;
    text(e, "title_fr", in.title_fr, max_training_title_length, true, out.title_fr);
    text(e, "title_en", in.title_en, max_training_title_length, true, out.title_en);
    long_text(e, "description_fr", in.description_fr, max_training_description_length, false, out.description_fr);
    long_text(e, "description_en", in.description_en, max_training_description_length, false, out.description_en);
    choice(e, "format", in.format, &parse_training_format, out.format);

    const std::string hours = trim(in.hours);
    if (hours.empty())
        e.push_back({"hours", "field.required", {}});
    else if (auto tenths = hours_in_tenths(hours))
        out.hours_tenths = *tenths;
    else
        e.push_back({"hours", "network.training.hours_invalid", {}});

    const std::string validity = trim(in.validity_months);
    out.validity_months.reset();
    if (!validity.empty()) {
        out.validity_months = number_between(validity, 1, max_validity_months);
        if (!out.validity_months)
            e.push_back({"validity_months", "network.training.validity_invalid", {"1", std::to_string(max_validity_months)}});
    }

    out.joint = trim(in.joint) == "1";
    out.partners.clear();
    // Partners picked before the box was unticked are not partners of a training given alone.
    if (!out.joint) return e;
    bool bad = false;
    for (const auto& raw : in.partners) {
        const std::string s = trim(raw);
        if (s.empty()) continue;
        if (auto id = parse_id(s))
            out.partners.push_back(*id);
        else
            bad = true;
    }
    std::sort(out.partners.begin(), out.partners.end());
    out.partners.erase(std::unique(out.partners.begin(), out.partners.end()), out.partners.end());
    if (bad)
        e.push_back({"partners", "field.choose_from_list", {}});
    else if (out.partners.size() > static_cast<std::size_t>(max_training_partners))
        e.push_back({"partners", "network.training.too_many_partners", {std::to_string(max_training_partners)}});
    else if (out.partners.empty())
        e.push_back({"partners", "network.training.partners_required", {}});
    return e;
}

std::string format_hours(int hours_tenths) {
    const bool negative = hours_tenths < 0;
    const long long v = negative ? -static_cast<long long>(hours_tenths) : hours_tenths;
    std::string s = std::string(negative ? "-" : "") + std::to_string(v / 10);
    if (v % 10 != 0) s += "." + std::to_string(v % 10);
    return s;
}

std::vector<FieldError> validate(const std::vector<RequirementForm>& in, std::vector<Requirement>& out) {
    std::vector<FieldError> e;
    const auto& roles = trainable_roles();
    // Indexed by the role's place in trainable_roles(), so `out` comes in that order whatever
    // the order posted.
    std::vector<std::optional<int>> due(roles.size());
    std::vector<bool> seen(roles.size(), false);
    bool bad_role = false;
    for (const auto& posted : in) {
        const auto role = parse_role(trim(posted.role));
        const auto at = role ? std::find(roles.begin(), roles.end(), *role) : roles.end();
        const auto i = static_cast<std::size_t>(at - roles.begin());
        // The form posts each trainable role once; anything else was not offered.
        if (at == roles.end() || seen[i]) {
            bad_role = true;
            continue;
        }
        seen[i] = true;
        const std::string days = trim(posted.due_days);
        if (days.empty()) continue;
        due[i] = number_between(days, 1, max_due_days);
        if (!due[i])
            e.push_back({"due_days_" + std::string(code(*role)),
                         "network.training.due_days_invalid",
                         {"1", std::to_string(max_due_days)}});
    }
    if (bad_role) e.push_back({"role", "field.choose_from_list", {}});

    out.clear();
    for (std::size_t i = 0; i < roles.size(); ++i)
        if (due[i]) out.push_back({roles[i], *due[i]});
    return e;
}

std::vector<FieldError> validate(const CompletionForm& in, const Date& today, CompletionTerms& out) {
    std::vector<FieldError> e;
    const std::string user = trim(in.user);
    if (user.empty())
        e.push_back({"user", "field.required", {}});
    else if (auto id = parse_id(user))
        out.user = *id;
    else
        e.push_back({"user", "field.choose_from_list", {}});

    std::optional<Date> on;
    date_field(e, "completed_on", in.completed_on, true, on);
    if (on) {
        out.completed_on = *on;
        if (before(today, *on)) e.push_back({"completed_on", "network.training.completed_in_future", {}});
    }

    long_text(e, "note", in.note, max_completion_note_length, false, out.note);
    return e;
}

const std::vector<TrainingStanding>& all_training_standings() {
    static const auto v = values_of(standing_names);
    return v;
}
std::string_view code(TrainingStanding s) {
    return code_of(standing_names, s);
}
std::optional<TrainingStanding> parse_training_standing(std::string_view s) {
    return parse_of(standing_names, s);
}

bool compliant(TrainingStanding s) {
    return s == TrainingStanding::complete || s == TrainingStanding::expiring_soon;
}

ObligationState obligation_of(const Obligation& o, const Date& today) {
    ObligationState st;
    st.due_by = add_days(o.required_since, o.due_days);
    if (!o.last_completed) {
        st.standing = before(st.due_by, today) ? TrainingStanding::overdue : TrainingStanding::due;
        return st;
    }
    if (o.validity_months) st.expires_on = add_months(*o.last_completed, *o.validity_months);
    if (!st.expires_on) {
        st.standing = TrainingStanding::complete;
        return st;
    }
    // The completion holds up to the day before it expires: on the expiry day it has lapsed.
    const int days_left = days_between(today, *st.expires_on);
    if (days_left <= 0)
        st.standing = TrainingStanding::lapsed;
    else if (days_left <= expiring_notice_days)
        st.standing = TrainingStanding::expiring_soon;
    else
        st.standing = TrainingStanding::complete;
    return st;
}

Date add_months(const Date& d, int n) {
    using namespace std::chrono;
    // Months counted from year 0 (floor division, so that going back across a new year works).
    const long long total = static_cast<long long>(d.year) * 12 + static_cast<long long>(d.month) - 1 + n;
    const long long y = total >= 0 ? total / 12 : (total - 11) / 12;
    const auto m = static_cast<unsigned>(total - y * 12 + 1);
    const year_month_day_last last_of_month{year{static_cast<int>(y)}, month_day_last{month{m}}};
    const unsigned last_day = static_cast<unsigned>(last_of_month.day());
    return Date{static_cast<int>(y), m, std::min(d.day, last_day)};
}

int compliance_percent(int compliant_count, int obligations) {
    if (obligations <= 0) return 100;
    const long long c = std::clamp(compliant_count, 0, obligations);
    return static_cast<int>(c * 100 / obligations);
}

}  // namespace arrimage::domain
