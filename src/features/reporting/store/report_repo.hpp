#pragma once
// Indicators and quarterly reports of a service delivery area (features/reporting/domain/
// reporting.hpp, docs/REPORTING.md).
//
// Who: the area's coordinating agency administrators (role ca_admin; their organisation's area)
// define the area's indicators and generate, review and submit its reports (relationship
// coordinating_agency in domain::report_lifecycle()). A ministry analyst reads the submitted
// reports of every area and nothing else. Anyone else is refused (Forbidden); another area's
// report is not found.
//
// What: a report counts the rows of the events tables the workflow writes (never counters kept
// on the side), grouped by month and by the indicator's field, for the area's records; no
// personal information is read, only counts. Each table is suppressed before it is stored
// (domain::build_table): the snapshot holds only what may be shown. Generating a quarter again
// gives the same snapshot while nothing new was recorded for it. Submitting records the
// snapshot's hash (BLAKE2b-256, hex); a trigger refuses any change to a submitted report.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/reporting/domain/reporting.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct ReportSummary {
    std::int64_t id = 0;
    std::int64_t sda_id = 0;
    std::string area_fr, area_en;
    domain::Quarter quarter;
    domain::ReportStatus status = domain::ReportStatus::draft;
    std::string generated_at, submitted_at, hash;  // ISO timestamps ("" when not yet), hex
};

struct ReportRecord {
    ReportSummary summary;
    int threshold = domain::default_suppression_threshold;
    std::vector<domain::ReportTable> tables;
    std::vector<domain::ReportEvent> available;  // what the reader may fire now
    std::string snapshot;                        // as stored (and hashed once submitted)
};

// The events an indicator counted in a quarter, by month and by its field's value: what
// build_table receives (exposed for the tests' hand-built event sets).
std::vector<domain::CountedRow> count_events(Tx& tx, std::int64_t sda_id, const domain::IndicatorDefinition& indicator,
                                             const domain::Period& p);
inline std::vector<domain::CountedRow> count_events(Tx& tx, std::int64_t sda_id, const domain::IndicatorDefinition& indicator,
                                                    const domain::Quarter& q) {
    return count_events(tx, sda_id, indicator, domain::period_of(q));
}

// The area's dashboard: each active indicator counted month by month over a period, by its
// field's value. Inside the agency, for its administrators: not suppressed (nothing leaves it).
struct DashboardSeries {
    domain::IndicatorDefinition indicator;
    std::vector<domain::CountedRow> rows;  // as counted (count_events)
    std::vector<std::int64_t> totals;      // per month
};
struct Dashboard {
    std::string area_fr, area_en;
    domain::Period period;
    std::vector<DashboardSeries> series;
};
// A report's snapshot as JSON text, and back (an unreadable snapshot is a defect: throws).
std::string snapshot_json(const std::vector<domain::ReportTable>& tables, const domain::Quarter& q, int threshold);
std::vector<domain::ReportTable> tables_of_snapshot(const std::string& snapshot);

class ReportRepo {
  public:
    explicit ReportRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    // The area's indicators: the defaults, each replaced by the area's own row of the same code,
    // then the area's own; active and inactive.
    Result<std::vector<domain::IndicatorDefinition>> indicators() const;
    // A new indicator for the area: field errors (a code the area has: "report.code_taken"; events
    // another active indicator counts: "report.same_events", since two tables counting the same
    // events share their totals and one could show what the other's suppression hides).
    Result<std::int64_t> add_indicator(const domain::IndicatorForm& form);
    // Switches one of the area's indicators (a default: through the area's own row) on or off;
    // on while another active one counts the same events: Conflict "report.same_events".
    Result<void> set_indicator_active(const std::string& code, bool active);

    // The area's reports, newest quarter first; for a ministry analyst, every area's submitted
    // reports.
    Result<std::vector<ReportSummary>> reports() const;
    // The area's dashboard over a period (field errors of domain::validate(PeriodForm)).
    Result<Dashboard> dashboard(const domain::PeriodForm& form) const;
    // Generates the quarter's report (a draft), or generates a draft again. A reviewed report
    // must be reopened first, a submitted one never changes: Conflict "report.not_draft".
    Result<std::int64_t> generate(const domain::QuarterForm& form);
    Result<ReportRecord> report(std::int64_t id) const;
    // Review, reopen or submit, through domain::report_lifecycle().
    Result<domain::ReportStatus> fire(std::int64_t id, domain::ReportEvent event);

  private:
    AccessContext ctx_;
    // The administrator's area, or Forbidden.
    Result<std::int64_t> admin_area() const;
    bool analyst() const;
};

}  // namespace arrimage::store
