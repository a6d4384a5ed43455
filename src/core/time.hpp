#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

namespace arrimage {

// Timestamps are stored and exchanged as UTC ISO-8601 text, "2026-11-23T08:07:14Z": it sorts
// as text and reads the same in SQLite and PostgreSQL.
std::string format_iso(TimePoint t);
// A stored timestamp as pages show it, to the minute: "2026-11-23T08:07:14Z" → "2026-11-23 08:07
// UTC" (anything shorter is returned as it is).
std::string display_minute(const std::string& iso);
std::optional<TimePoint> parse_iso(std::string_view s);

struct Date {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    std::string iso() const;  // YYYY-MM-DD
};
// Strict YYYY-MM-DD with a real calendar day.
std::optional<Date> parse_date(std::string_view s);
Date date_of(TimePoint t);
// The day `n` days after `d` (before it when negative).
Date add_days(const Date& d, int n);
// Whole days from `a` to `b` (negative when b is before a).
int days_between(const Date& a, const Date& b);
// The same day `n` years later (29 February becomes 28 February in a common year).
Date add_years(const Date& d, int n);

std::int64_t unix_seconds(TimePoint t);

}  // namespace arrimage
