#pragma once
// Indicators and the quarterly ministry report (docs/REPORTING.md).
//
// An indicator is data, not code: the area changes it without a release. It counts the events
// the workflow writes (a referral received, an intake decided, a plan activated, a concern
// closed...) of one stream, month by month, optionally broken down by a field of the record.
// What may be named is the catalogue below: a stream, one of its lifecycle's events and one of
// its fields. A definition naming anything else is refused with a field error, so a figure is
// never computed from something the workflow does not record.
//
// A quarterly report is the area's indicators over the three months of a quarter, each table
// suppressed (features/reporting/domain/suppression.hpp) before it is stored: the snapshot keeps
// only what may be shown, so nothing hidden ever leaves the agency. Its lifecycle:
// draft (regenerated at will) -> reviewed -> submitted, after which the snapshot is immutable and
// its hash recorded. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/lifecycle.hpp"

namespace arrimage::domain {

// ---------------------------------------------------------------- the catalogue of what may be counted

// A stream of recorded events: the events table of one kind of record.
struct IndicatorStream {
    std::string_view code;                 // "referral", "intake", "plan", "concern", "complaint"
    std::vector<std::string_view> events;  // the event codes its events table records
    std::vector<std::string_view> fields;  // the fields a count may be broken down by
};
const std::vector<IndicatorStream>& indicator_streams();
const IndicatorStream* find_stream(std::string_view code);
// Fields whose values are codes with catalogue labels (report.value.<field>.<code>), and every
// code the field takes in any stream (a label is the field's, whichever stream counts it);
// "organisation" is named by the organisation's own names instead.
const std::vector<std::string_view>* field_codes(std::string_view field);
// The codes `field` takes in `stream`, in display order: a report table's rows. One field name
// may take other codes in another stream (a referral's source is not a complaint's).
const std::vector<std::string_view>* field_codes(std::string_view stream, std::string_view field);

// ---------------------------------------------------------------- definitions

inline constexpr std::size_t max_indicator_code_length = 40;
inline constexpr std::size_t max_indicator_name_length = 160;

struct IndicatorForm {
    std::string code, name_fr, name_en, stream, event, breakdown;
};
struct IndicatorDefinition {
    std::int64_t id = 0;
    std::string code;  // a-z, 0-9 and "_", starting with a letter
    std::string name_fr, name_en;
    std::string stream, event;
    std::string breakdown;  // empty: one row, the total
    bool active = true;
};
// Field errors (catalogue keys) or, when empty, `out` filled (its id and active untouched): a
// code; both names (one line each, up to 160 characters); a known stream, one of its events and,
// when given, one of its fields ("report.unknown_stream", "report.unknown_event",
// "report.unknown_field").
std::vector<FieldError> validate(const IndicatorForm& in, IndicatorDefinition& out);

// ---------------------------------------------------------------- quarters

struct Quarter {
    int year = 0;
    int quarter = 0;  // 1 to 4
    // "2026-10-01" and the first day after ("2027-01-01"): [start, end).
    std::string start() const;
    std::string end() const;
    // "2026-10", "2026-11", "2026-12".
    std::vector<std::string> months() const;
    // "2026-Q4".
    std::string label() const;
};
// The last quarter that has ended by `today` (YYYY-MM-DD): on 2026-12-06, 2026-Q3.
Quarter last_ended_quarter(std::string_view today);
// The quarter before `q`.
Quarter previous(const Quarter& q);
struct QuarterForm {
    std::string year, quarter;
};
// A year from 2000 to 2100 ("field.number_between") and a quarter from 1 to 4; a quarter that
// has not ended by `today` (YYYY-MM-DD) cannot be reported ("report.quarter_not_over").
std::vector<FieldError> validate(const QuarterForm& in, std::string_view today, Quarter& out);

// ---------------------------------------------------------------- periods (the dashboard's)

// Whole months, in order: [start of the first, start of the month after the last).
struct Period {
    std::vector<std::string> months;  // "2026-01", "2026-02", ...
    std::string start() const;        // "2026-01-01"
    std::string end() const;          // "2026-03-01" after "2026-02"
};
Period period_of(const Quarter& q);
inline constexpr int max_period_months = 24;
struct PeriodForm {
    std::string from, to;  // YYYY-MM
};
// Two months as YYYY-MM ("report.invalid_month"), the first not after the second
// ("report.period_reversed", on "to"), at most 24 months ("report.period_too_long"), none
// after the month of `today` ("report.period_future"). Both empty: the last 12 months, this one
// included.
std::vector<FieldError> validate(const PeriodForm& in, std::string_view today, Period& out);

// ---------------------------------------------------------------- the report's tables

// What the store counted for one indicator: per breakdown value, per month.
struct CountedRow {
    std::string code;                  // the field's value (an organisation: its id); empty: no breakdown
    std::string label_fr, label_en;    // an organisation's names; empty for coded values
    std::vector<std::int64_t> months;  // one per month of the quarter
};
// One row of a report table as stored and shown: hidden cells are empty.
struct ReportRow {
    std::string code, label_fr, label_en;
    std::vector<std::optional<std::int64_t>> months;
    std::optional<std::int64_t> total;
};
struct ReportTable {
    IndicatorDefinition indicator;
    std::vector<std::string> months;
    std::vector<ReportRow> rows;
    ReportRow totals;  // the totals row (its code empty)
    int hidden = 0;    // cells suppressed among those shown (the totals row is shown with a breakdown only)
};
// The table of one indicator, suppressed at `threshold`: rows as counted (for a coded field, one
// row per code, zeros included, in the catalogue's order), then the totals; a hidden cell's value
// is dropped here and never stored.
ReportTable build_table(const IndicatorDefinition& indicator, const Quarter& q, std::vector<CountedRow> counted, int threshold);

// ---------------------------------------------------------------- the report's lifecycle

enum class ReportStatus : std::uint8_t { draft, reviewed, submitted };
enum class ReportEvent : std::uint8_t { review, reopen, submit };
const std::vector<ReportStatus>& all_report_statuses();
const std::vector<ReportEvent>& all_report_events();
std::string_view code(ReportStatus s);
std::string_view code(ReportEvent e);
std::optional<ReportStatus> parse_report_status(std::string_view s);
std::optional<ReportEvent> parse_report_event(std::string_view s);
struct ReportFacts {};
using ReportLifecycle = Lifecycle<ReportStatus, ReportEvent, ReportFacts>;
// Fired by the coordinating agency's administrators (relationship coordinating_agency).
const ReportLifecycle& report_lifecycle();

inline constexpr int default_suppression_threshold = 4;

}  // namespace arrimage::domain
