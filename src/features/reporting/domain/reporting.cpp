#include "features/reporting/domain/reporting.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/text.hpp"
#include "domain/named.hpp"
#include "domain/people.hpp"
#include "features/reporting/domain/suppression.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

// The events each events table records (the lifecycles' events, and the rows written when a
// record is made: a referral's receipt, an intake opened, a plan created).
const std::vector<IndicatorStream> streams = {
    {"referral", {"receive", "accept", "waitlist", "start", "complete", "decline", "cancel"}, {"source", "organisation"}},
    {"intake",
     {"open", "story_carried", "decide_eligible", "decide_ineligible", "reopen", "waitlist", "assign", "reassign",
      "first_contact", "close"},
     {"close_reason", "organisation"}},
    {"plan", {"create", "activate", "start_review", "start_transition", "resume", "close", "reopen"}, {}},
    {"concern", {"acknowledge", "close"}, {"kind", "addressed_to"}},
    // The area's complaints register (features/complaints): its receipt, then its lifecycle's
    // moves; steps taken, owner changes and escalations are not counted.
    {"complaint",
     {"receive", "triage", "acknowledge", "resolve", "appeal", "decide_appeal", "close", "withdraw"},
     {"source", "kind"}},
};

// The coded fields of each stream, their codes in display order (the complaint's are
// domain::ComplaintSource's and domain::ComplaintKind's codes, tests/unit/test_reporting.cpp).
struct StreamField {
    std::string_view stream, field;
    std::vector<std::string_view> codes;
};
const std::vector<StreamField> coded_fields = {
    {"referral", "source", {"youth", "family", "professional", "warm_referral", "phone", "file"}},
    {"intake", "close_reason", {"goals_met", "family_withdrew", "aged_out", "moved", "other"}},
    {"concern", "kind", {"concern", "complaint"}},
    {"concern", "addressed_to", {"coordinator", "agency"}},
    {"complaint", "source", {"public", "family", "provider"}},
    {"complaint", "kind", {"complaint", "conflict"}},
};

// Every code of each coded field, whichever stream takes it, in the order first met.
const std::vector<std::pair<std::string_view, std::vector<std::string_view>>>& codes_by_field() {
    static const auto v = [] {
        std::vector<std::pair<std::string_view, std::vector<std::string_view>>> out;
        for (const auto& f : coded_fields) {
            auto it = std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.first == f.field; });
            if (it == out.end()) it = out.insert(out.end(), {f.field, {}});
            for (auto c : f.codes)
                if (std::find(it->second.begin(), it->second.end(), c) == it->second.end()) it->second.push_back(c);
        }
        return out;
    }();
    return v;
}

constexpr Named<ReportStatus> status_names[] = {
    {ReportStatus::draft, "draft"}, {ReportStatus::reviewed, "reviewed"}, {ReportStatus::submitted, "submitted"}};
constexpr Named<ReportEvent> event_names[] = {
    {ReportEvent::review, "review"}, {ReportEvent::reopen, "reopen"}, {ReportEvent::submit, "submit"}};

bool valid_code(std::string_view s) {
    if (s.empty() || s.size() > max_indicator_code_length || s[0] < 'a' || s[0] > 'z') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool contains(const std::vector<std::string_view>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string two(int n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d", n);
    return buf;
}

}  // namespace

const std::vector<IndicatorStream>& indicator_streams() {
    return streams;
}

const IndicatorStream* find_stream(std::string_view code) {
    for (const auto& s : streams)
        if (s.code == code) return &s;
    return nullptr;
}

const std::vector<std::string_view>* field_codes(std::string_view field) {
    for (const auto& [name, codes] : codes_by_field())
        if (name == field) return &codes;
    return nullptr;
}

const std::vector<std::string_view>* field_codes(std::string_view stream, std::string_view field) {
    for (const auto& f : coded_fields)
        if (f.stream == stream && f.field == field) return &f.codes;
    return nullptr;
}

std::vector<FieldError> validate(const IndicatorForm& in, IndicatorDefinition& out) {
    std::vector<FieldError> e;
    const std::string code = trim(in.code);
    if (code.empty())
        e.push_back({"code", "field.required", {}});
    else if (!valid_code(code))
        e.push_back({"code", "report.invalid_code", {std::to_string(max_indicator_code_length)}});
    IndicatorDefinition d;
    d.code = code;
    text(e, "name_fr", in.name_fr, max_indicator_name_length, true, d.name_fr);
    text(e, "name_en", in.name_en, max_indicator_name_length, true, d.name_en);
    const IndicatorStream* stream = find_stream(in.stream);
    if (in.stream.empty())
        e.push_back({"stream", "field.required", {}});
    else if (!stream)
        e.push_back({"stream", "report.unknown_stream", {}});
    if (in.event.empty())
        e.push_back({"event", "field.required", {}});
    else if (stream && !contains(stream->events, in.event))
        e.push_back({"event", "report.unknown_event", {}});
    if (!in.breakdown.empty() && stream && !contains(stream->fields, in.breakdown))
        e.push_back({"breakdown", "report.unknown_field", {}});
    if (!e.empty()) return e;
    d.stream = in.stream;
    d.event = in.event;
    d.breakdown = in.breakdown;
    d.id = out.id;
    d.active = out.active;
    out = std::move(d);
    return e;
}

std::string Quarter::start() const {
    return std::to_string(year) + "-" + two(3 * (quarter - 1) + 1) + "-01";
}

std::string Quarter::end() const {
    return quarter == 4 ? std::to_string(year + 1) + "-01-01" : std::to_string(year) + "-" + two(3 * quarter + 1) + "-01";
}

std::vector<std::string> Quarter::months() const {
    std::vector<std::string> out;
    for (int m = 3 * (quarter - 1) + 1; m <= 3 * quarter; ++m) out.push_back(std::to_string(year) + "-" + two(m));
    return out;
}

std::string Quarter::label() const {
    return std::to_string(year) + "-Q" + std::to_string(quarter);
}

namespace {

// "2026-02" as (2026, 2), or nothing.
std::optional<std::pair<int, int>> parse_month(std::string_view s) {
    if (s.size() != 7 || s[4] != '-') return std::nullopt;
    for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    const int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2)));
    if (y < 2000 || y > 2100 || m < 1 || m > 12) return std::nullopt;
    return std::pair{y, m};
}

std::string month_code(int y, int m) {
    return std::to_string(y) + "-" + two(m);
}

}  // namespace

std::string Period::start() const {
    return months.empty() ? std::string() : months.front() + "-01";
}

std::string Period::end() const {
    if (months.empty()) return {};
    const auto& last = months.back();  // YYYY-MM, made by validate or period_of
    const int y = std::stoi(last.substr(0, 4)), m = std::stoi(last.substr(5, 2));
    return m == 12 ? month_code(y + 1, 1) + "-01" : month_code(y, m + 1) + "-01";
}

Period period_of(const Quarter& q) {
    return {q.months()};
}

std::vector<FieldError> validate(const PeriodForm& in, std::string_view today, Period& out) {
    std::vector<FieldError> e;
    const auto now = parse_month(today.substr(0, 7));
    if (!now) return {{"from", "report.invalid_month", {}}};
    std::pair<int, int> from, to = *now;
    if (in.from.empty() && in.to.empty()) {
        from = to.second == 12 ? std::pair{to.first, 1} : std::pair{to.first - 1, to.second + 1};
    } else {
        const auto f = parse_month(trim(in.from)), t = parse_month(trim(in.to));
        if (!f) e.push_back({"from", "report.invalid_month", {}});
        if (!t) e.push_back({"to", "report.invalid_month", {}});
        if (!e.empty()) return e;
        from = *f, to = *t;
        if (to < from)
            e.push_back({"to", "report.period_reversed", {}});
        else if (to > *now)
            e.push_back({"to", "report.period_future", {}});
        else if ((to.first - from.first) * 12 + (to.second - from.second) + 1 > max_period_months)
            e.push_back({"to", "report.period_too_long", {std::to_string(max_period_months)}});
        if (!e.empty()) return e;
    }
    Period p;
    for (auto m = from; m <= to; m = m.second == 12 ? std::pair{m.first + 1, 1} : std::pair{m.first, m.second + 1})
        p.months.push_back(month_code(m.first, m.second));
    out = std::move(p);
    return e;
}

Quarter last_ended_quarter(std::string_view today) {
    const Quarter current{std::stoi(std::string(today.substr(0, 4))), (std::stoi(std::string(today.substr(5, 2))) - 1) / 3 + 1};
    return previous(current);
}

Quarter previous(const Quarter& q) {
    return q.quarter == 1 ? Quarter{q.year - 1, 4} : Quarter{q.year, q.quarter - 1};
}

std::vector<FieldError> validate(const QuarterForm& in, std::string_view today, Quarter& out) {
    std::vector<FieldError> e;
    Quarter q;
    whole_number(e, "year", in.year, 2000, 2100, q.year);
    whole_number(e, "quarter", in.quarter, 1, 4, q.quarter);
    if (e.empty() && q.end() > today) e.push_back({"quarter", "report.quarter_not_over", {q.label()}});
    if (e.empty()) out = q;
    return e;
}

ReportTable build_table(const IndicatorDefinition& indicator, const Quarter& q, std::vector<CountedRow> counted, int threshold) {
    const auto months = q.months();
    std::vector<CountedRow> rows;
    if (indicator.breakdown.empty()) {
        CountedRow all;
        all.months.assign(months.size(), 0);
        for (const auto& c : counted)
            for (std::size_t m = 0; m < months.size() && m < c.months.size(); ++m) all.months[m] += c.months[m];
        rows.push_back(std::move(all));
    } else {
        // A coded field: every code in the catalogue's order, zeros included, then any value the
        // catalogue does not list (kept, so the totals are those of every event counted).
        if (const auto* codes = field_codes(indicator.stream, indicator.breakdown))
            for (auto code : *codes) rows.push_back({std::string(code), "", "", std::vector<std::int64_t>(months.size(), 0)});
        for (auto& c : counted) {
            c.months.resize(months.size(), 0);
            auto it = std::find_if(rows.begin(), rows.end(), [&](const CountedRow& r) { return r.code == c.code; });
            if (it == rows.end()) {
                rows.push_back(std::move(c));
                continue;
            }
            for (std::size_t m = 0; m < months.size(); ++m) it->months[m] += c.months[m];
        }
    }

    ReportTable t;
    t.indicator = indicator;
    t.months = months;
    if (rows.empty()) {
        // Broken down by organisation, and nothing counted: no row, totals of zero (shown).
        t.totals.months.assign(months.size(), std::int64_t{0});
        t.totals.total = 0;
        return t;
    }
    std::vector<std::vector<std::int64_t>> cells;
    for (const auto& r : rows) cells.push_back(r.months);
    const auto s = suppress(cells, threshold);
    // Hidden cells are counted where they are shown: without a breakdown, the totals row repeats
    // the only row and is not shown.
    const int counted_rows = indicator.breakdown.empty() ? 1 : static_cast<int>(rows.size()) + 1;
    auto cell = [&](int r, int c) -> std::optional<std::int64_t> {
        if (s.hidden(r, c)) {
            if (r < counted_rows) ++t.hidden;
            return std::nullopt;
        }
        return s.values[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
    };
    const int n_cols = static_cast<int>(months.size());
    for (int r = 0; r <= static_cast<int>(rows.size()); ++r) {
        ReportRow out;
        if (r < static_cast<int>(rows.size())) {
            out.code = rows[static_cast<std::size_t>(r)].code;
            out.label_fr = rows[static_cast<std::size_t>(r)].label_fr;
            out.label_en = rows[static_cast<std::size_t>(r)].label_en;
        }
        for (int c = 0; c < n_cols; ++c) out.months.push_back(cell(r, c));
        out.total = cell(r, n_cols);
        if (r < static_cast<int>(rows.size()))
            t.rows.push_back(std::move(out));
        else
            t.totals = std::move(out);
    }
    return t;
}

const std::vector<ReportStatus>& all_report_statuses() {
    static const auto v = values_of(status_names);
    return v;
}
const std::vector<ReportEvent>& all_report_events() {
    static const auto v = values_of(event_names);
    return v;
}
std::string_view code(ReportStatus s) {
    return code_of(status_names, s);
}
std::string_view code(ReportEvent e) {
    return code_of(event_names, e);
}
std::optional<ReportStatus> parse_report_status(std::string_view s) {
    return parse_of(status_names, s);
}
std::optional<ReportEvent> parse_report_event(std::string_view s) {
    return parse_of(event_names, s);
}

const ReportLifecycle& report_lifecycle() {
    using S = ReportStatus;
    using E = ReportEvent;
    static const ReportLifecycle table(
        "quarterly report",
        {
            {S::draft, E::review, S::reviewed, {Relationship::coordinating_agency}},
            {S::reviewed, E::reopen, S::draft, {Relationship::coordinating_agency}},
            {S::reviewed, E::submit, S::submitted, {Relationship::coordinating_agency}},
        },
        [](S s) { return code(s); }, [](E e) { return code(e); });
    return table;
}

}  // namespace arrimage::domain
