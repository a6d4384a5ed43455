#include "core/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace arrimage {

using namespace std::chrono;

std::string display_minute(const std::string& iso) {
    return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC" : iso;
}

std::string format_iso(TimePoint t) {
    const auto secs = floor<seconds>(t);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

static bool read_int(std::string_view s, int& out) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && p == s.data() + s.size();
}

std::optional<Date> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    int y = 0, m = 0, d = 0;
    if (!read_int(s.substr(0, 4), y) || !read_int(s.substr(5, 2), m) || !read_int(s.substr(8, 2), d)) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok() || y < 1000) return std::nullopt;
    return Date{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

std::optional<TimePoint> parse_iso(std::string_view s) {
    if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return std::nullopt;
    const auto date = parse_date(s.substr(0, 10));
    int hh = 0, mm = 0, ss = 0;
    if (!date || !read_int(s.substr(11, 2), hh) || !read_int(s.substr(14, 2), mm) || !read_int(s.substr(17, 2), ss) || hh > 23 ||
        mm > 59 || ss > 59)
        return std::nullopt;
    const sys_days d{year{date->year} / month{date->month} / day{date->day}};
    return TimePoint(d) + hours(hh) + minutes(mm) + seconds(ss);
}

std::string Date::iso() const {
    return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

Date date_of(TimePoint t) {
    const year_month_day ymd{floor<days>(t)};
    return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

Date add_days(const Date& d, int n) {
    const sys_days day0{year{d.year} / month{d.month} / day{d.day}};
    return date_of(TimePoint(day0 + days(n)));
}

int days_between(const Date& a, const Date& b) {
    const sys_days da{year{a.year} / month{a.month} / day{a.day}};
    const sys_days db{year{b.year} / month{b.month} / day{b.day}};
    return static_cast<int>((db - da).count());
}

Date add_years(const Date& d, int n) {
    year_month_day ymd{year{d.year + n}, month{d.month}, day{d.day}};
    if (!ymd.ok()) ymd = year{d.year + n} / month{d.month} / last;
    return Date{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day())};
}

std::int64_t unix_seconds(TimePoint t) {
    return duration_cast<seconds>(t.time_since_epoch()).count();
}

}  // namespace arrimage
