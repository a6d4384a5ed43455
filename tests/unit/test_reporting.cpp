// Indicators and the quarterly report (features/reporting/domain/reporting.hpp): a definition
// naming only what the workflow records, quarters, a table built and suppressed from what was
// counted, and the report's lifecycle row by row.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "features/complaints/domain/complaints.hpp"
#include "features/reporting/domain/reporting.hpp"

namespace d = arrimage::domain;

namespace {

d::IndicatorForm good() {
    return {"referrals_by_source", "Demandes selon la source", "Referrals by source", "referral", "receive", "source"};
}

std::vector<std::string> fields_of(const std::vector<arrimage::FieldError>& e) {
    std::vector<std::string> out;
    for (const auto& f : e) out.push_back(f.field + ":" + f.message_key);
    return out;
}

}  // namespace

TEST(Indicators, AGoodDefinitionIsKept) {
    d::IndicatorDefinition x;
    x.id = 7;
    ASSERT_TRUE(d::validate(good(), x).empty());
    EXPECT_EQ(x.id, 7);
    EXPECT_EQ(x.code, "referrals_by_source");
    EXPECT_EQ(x.stream, "referral");
    EXPECT_EQ(x.event, "receive");
    EXPECT_EQ(x.breakdown, "source");
}

TEST(Indicators, UnknownStreamsEventsAndFieldsAreRefusedFieldByField) {
    d::IndicatorDefinition x;
    auto f = good();
    f.stream = "payments";
    EXPECT_EQ(fields_of(d::validate(f, x)), std::vector<std::string>{"stream:report.unknown_stream"});
    f = good();
    f.event = "approve";  // not an event the referral's lifecycle records
    EXPECT_EQ(fields_of(d::validate(f, x)), std::vector<std::string>{"event:report.unknown_event"});
    f = good();
    f.breakdown = "date_of_birth";  // not a field a count may be broken down by
    EXPECT_EQ(fields_of(d::validate(f, x)), std::vector<std::string>{"breakdown:report.unknown_field"});
    f = good();
    f.stream = "plan";
    f.event = "activate";
    f.breakdown = "source";  // a referral's field, not a plan's
    EXPECT_EQ(fields_of(d::validate(f, x)), std::vector<std::string>{"breakdown:report.unknown_field"});
    EXPECT_TRUE(x.code.empty()) << "nothing kept from a refused definition";
}

TEST(Indicators, CodeAndNamesAreChecked) {
    d::IndicatorDefinition x;
    auto f = good();
    f.code = "Referrals by source";
    f.name_fr = "";
    f.name_en = std::string(161, 'a');
    const auto e = fields_of(d::validate(f, x));
    EXPECT_NE(std::find(e.begin(), e.end(), "code:report.invalid_code"), e.end());
    EXPECT_NE(std::find(e.begin(), e.end(), "name_fr:field.required"), e.end());
    EXPECT_EQ(e.size(), 3u);
    f = d::IndicatorForm{};
    const auto empty = fields_of(d::validate(f, x));
    EXPECT_NE(std::find(empty.begin(), empty.end(), "stream:field.required"), empty.end());
    EXPECT_NE(std::find(empty.begin(), empty.end(), "event:field.required"), empty.end());
}

TEST(Indicators, EveryStreamsFieldsAreKnownToTheStoreCatalogue) {
    for (const auto& s : d::indicator_streams()) {
        EXPECT_FALSE(s.events.empty()) << s.code;
        for (auto f : s.fields) {
            EXPECT_TRUE(f == "organisation" || d::field_codes(s.code, f) != nullptr) << s.code << "." << f;
            // Every code a table may show is one whose label the catalogue must hold
            // (report.value.<field>.<code>, tests/unit/test_catalogue.cpp).
            const auto* codes = d::field_codes(s.code, f);
            const auto* labelled = d::field_codes(f);
            if (!codes) continue;
            ASSERT_NE(labelled, nullptr) << f;
            for (auto c : *codes) {
                EXPECT_NE(std::find(labelled->begin(), labelled->end(), c), labelled->end()) << s.code << "." << f << "." << c;
            }
        }
    }
}

// The complaints register's stream counts what its table records: the receipt, then each move of
// domain::complaint_lifecycle(); its breakdowns take the codes the complaints domain writes.
TEST(Indicators, TheComplaintStreamIsTheRegistersEventsAndCodes) {
    const auto* s = d::find_stream("complaint");
    ASSERT_NE(s, nullptr);
    std::vector<std::string_view> events = {"receive"};
    for (auto e : d::all_complaint_events()) events.push_back(d::code(e));
    EXPECT_EQ(s->events, events);
    EXPECT_EQ(s->fields, (std::vector<std::string_view>{"source", "kind"}));
    std::vector<std::string_view> sources, kinds;
    for (auto x : d::all_complaint_sources()) sources.push_back(d::code(x));
    for (auto x : d::all_complaint_kinds()) kinds.push_back(d::code(x));
    ASSERT_NE(d::field_codes("complaint", "source"), nullptr);
    EXPECT_EQ(*d::field_codes("complaint", "source"), sources);
    EXPECT_EQ(*d::field_codes("complaint", "kind"), kinds);
    // A field of the same name keeps its own codes in another stream.
    EXPECT_EQ(d::field_codes("referral", "source")->front(), "youth");
    EXPECT_EQ(*d::field_codes("concern", "kind"), (std::vector<std::string_view>{"concern", "complaint"}));
    EXPECT_EQ(d::field_codes("plan", "source"), nullptr);
    // The two defaults of migration V027 are good definitions.
    d::IndicatorDefinition x;
    EXPECT_TRUE(d::validate(d::IndicatorForm{"complaints_received", "Plaintes et conflits reçus, selon la provenance",
                                             "Complaints and conflicts received, by source", "complaint", "receive", "source"},
                            x)
                    .empty());
    EXPECT_TRUE(d::validate(d::IndicatorForm{"complaints_resolved", "Plaintes et conflits résolus, selon le type",
                                             "Complaints and conflicts resolved, by kind", "complaint", "resolve", "kind"},
                            x)
                    .empty());
    d::IndicatorForm f{"x", "x", "x", "complaint", "step", ""};
    EXPECT_EQ(fields_of(d::validate(f, x)), std::vector<std::string>{"event:report.unknown_event"})
        << "a step taken is not a move that may be counted";
    f = {"x", "x", "x", "complaint", "receive", "category"};
    EXPECT_EQ(fields_of(d::validate(f, x)), std::vector<std::string>{"breakdown:report.unknown_field"})
        << "the category may change at triage: counting by it would not give the same figures twice";
}

TEST(Quarters, BoundsMonthsAndLabels) {
    const d::Quarter q4{2026, 4};
    EXPECT_EQ(q4.start(), "2026-10-01");
    EXPECT_EQ(q4.end(), "2027-01-01");
    EXPECT_EQ(q4.months(), (std::vector<std::string>{"2026-10", "2026-11", "2026-12"}));
    EXPECT_EQ(q4.label(), "2026-Q4");
    const d::Quarter q1{2026, 1};
    EXPECT_EQ(q1.start(), "2026-01-01");
    EXPECT_EQ(q1.end(), "2026-04-01");
}

TEST(Quarters, TheLastEndedAndThePrevious) {
    EXPECT_EQ(d::last_ended_quarter("2026-12-06").label(), "2026-Q3");
    EXPECT_EQ(d::last_ended_quarter("2026-01-01").label(), "2025-Q4");
    EXPECT_EQ(d::last_ended_quarter("2026-04-01").label(), "2026-Q1");
    EXPECT_EQ(d::last_ended_quarter("2026-03-31").label(), "2025-Q4");
    EXPECT_EQ(d::previous({2026, 1}).label(), "2025-Q4");
    EXPECT_EQ(d::previous({2026, 3}).label(), "2026-Q2");
}

TEST(Periods, MonthsBoundsAndTheDefault) {
    d::Period p;
    ASSERT_TRUE(d::validate(d::PeriodForm{"2025-11", "2026-02"}, "2026-12-06", p).empty());
    EXPECT_EQ(p.months, (std::vector<std::string>{"2025-11", "2025-12", "2026-01", "2026-02"}));
    EXPECT_EQ(p.start(), "2025-11-01");
    EXPECT_EQ(p.end(), "2026-03-01");
    ASSERT_TRUE(d::validate(d::PeriodForm{}, "2026-12-06", p).empty());
    EXPECT_EQ(p.months.size(), 12u);
    EXPECT_EQ(p.months.front(), "2026-01");
    EXPECT_EQ(p.months.back(), "2026-12");
    EXPECT_EQ(p.end(), "2027-01-01");
    ASSERT_TRUE(d::validate(d::PeriodForm{}, "2026-05-06", p).empty());
    EXPECT_EQ(p.months.front(), "2025-06");
    EXPECT_EQ(d::period_of({2026, 4}).end(), "2027-01-01");
    ASSERT_TRUE(d::validate(d::PeriodForm{"2024-02", "2026-01"}, "2026-12-06", p).empty()) << "24 months";
    EXPECT_EQ(p.months.size(), 24u);
    EXPECT_FALSE(d::validate(d::PeriodForm{"", "2026-01"}, "2026-12-06", p).empty()) << "one month missing";
}

TEST(Periods, BadPeriodsAreRefusedFieldByField) {
    d::Period p;
    p.months = {"kept"};
    EXPECT_EQ(fields_of(d::validate(d::PeriodForm{"2026-13", "avril"}, "2026-12-06", p)),
              (std::vector<std::string>{"from:report.invalid_month", "to:report.invalid_month"}));
    EXPECT_EQ(fields_of(d::validate(d::PeriodForm{"2026-05", "2026-04"}, "2026-12-06", p)),
              std::vector<std::string>{"to:report.period_reversed"});
    EXPECT_EQ(fields_of(d::validate(d::PeriodForm{"2026-05", "2027-01"}, "2026-12-06", p)),
              std::vector<std::string>{"to:report.period_future"});
    EXPECT_EQ(fields_of(d::validate(d::PeriodForm{"2024-01", "2026-01"}, "2026-12-06", p)),
              std::vector<std::string>{"to:report.period_too_long"});
    EXPECT_EQ(fields_of(d::validate(d::PeriodForm{"2026-1", "2026-02"}, "2026-12-06", p)),
              std::vector<std::string>{"from:report.invalid_month"});
    EXPECT_EQ(p.months, std::vector<std::string>{"kept"}) << "nothing changed on a refusal";
}

TEST(Quarters, AQuarterNotOverOrOutOfRangeIsRefused) {
    d::Quarter q;
    EXPECT_TRUE(d::validate(d::QuarterForm{"2026", "3"}, "2026-12-06", q).empty());
    EXPECT_EQ(q.quarter, 3);
    EXPECT_EQ(fields_of(d::validate(d::QuarterForm{"2026", "4"}, "2026-12-06", q)),
              std::vector<std::string>{"quarter:report.quarter_not_over"});
    EXPECT_EQ(fields_of(d::validate(d::QuarterForm{"2026", "5"}, "2026-12-06", q)),
              std::vector<std::string>{"quarter:field.number_between"});
    EXPECT_EQ(fields_of(d::validate(d::QuarterForm{"abc", "1"}, "2026-12-06", q)),
              std::vector<std::string>{"year:field.number_between"});
}

TEST(ReportTables, ACodedFieldHasEveryCodeAndTheSmallCountsAreHidden) {
    d::IndicatorDefinition x;
    ASSERT_TRUE(d::validate(good(), x).empty());
    // Known answers: family 10, 12, 9; professional 20, 2, 15; nothing else.
    std::vector<d::CountedRow> counted = {{"professional", "", "", {20, 2, 15}}, {"family", "", "", {10, 12, 9}}};
    const auto t = d::build_table(x, {2026, 3}, counted, 4);
    ASSERT_EQ(t.rows.size(), 6u);  // youth, family, professional, warm_referral, phone, file
    EXPECT_EQ(t.rows[0].code, "youth");
    EXPECT_EQ(t.rows[0].months[0], 0) << "zero is shown";
    EXPECT_EQ(t.rows[1].code, "family");
    EXPECT_EQ(t.rows[2].code, "professional");
    EXPECT_FALSE(t.rows[2].months[1]) << "2 is hidden";
    EXPECT_EQ(t.totals.total, 68) << "the grand total: 31 + 37";
    // The 2 cannot be recomputed from its row or its column: each has another hidden cell.
    int row_hidden = 0, col_hidden = 0;
    for (const auto& m : t.rows[2].months) row_hidden += !m;
    row_hidden += !t.rows[2].total;
    for (const auto& r : t.rows) col_hidden += !r.months[1];
    col_hidden += !t.totals.months[1];
    EXPECT_GE(row_hidden, 2);
    EXPECT_GE(col_hidden, 2);
    EXPECT_GE(t.hidden, 4);
}

// Complaints received by source, from a hand-built count with a known answer: the complaint's
// sources in their order (not the referral's), zeros included, then the totals.
TEST(ReportTables, ComplaintsReceivedBySourceHaveTheRegistersRows) {
    d::IndicatorDefinition x;
    ASSERT_TRUE(
        d::validate(d::IndicatorForm{"complaints_received", "Reçues", "Received", "complaint", "receive", "source"}, x).empty());
    // Known answers: public 6, 9, 12; provider 5, 0, 7; no family account raised one.
    std::vector<d::CountedRow> counted = {{"provider", "", "", {5, 0, 7}}, {"public", "", "", {6, 9, 12}}};
    const auto t = d::build_table(x, {2026, 3}, counted, 4);
    ASSERT_EQ(t.rows.size(), 3u);
    EXPECT_EQ(t.rows[0].code, "public");
    EXPECT_EQ(t.rows[1].code, "family");
    EXPECT_EQ(t.rows[2].code, "provider");
    EXPECT_EQ(t.rows[0].total, 27);
    EXPECT_EQ(t.rows[1].months, (std::vector<std::optional<std::int64_t>>{0, 0, 0})) << "zero is shown";
    EXPECT_EQ(t.rows[2].months[0], 5);
    EXPECT_EQ(t.rows[2].total, 12);
    EXPECT_EQ(t.totals.months, (std::vector<std::optional<std::int64_t>>{11, 9, 19}));
    EXPECT_EQ(t.totals.total, 39);
    EXPECT_EQ(t.hidden, 0);

    // Resolved by kind: complaint and conflict, a conflict's 2 hidden with a second cell of its row.
    ASSERT_TRUE(
        d::validate(d::IndicatorForm{"complaints_resolved", "Résolues", "Resolved", "complaint", "resolve", "kind"}, x).empty());
    const auto k = d::build_table(x, {2026, 3}, {{"complaint", "", "", {8, 10, 6}}, {"conflict", "", "", {2, 0, 5}}}, 4);
    ASSERT_EQ(k.rows.size(), 2u);
    EXPECT_EQ(k.rows[0].code, "complaint");
    EXPECT_EQ(k.rows[1].code, "conflict");
    EXPECT_FALSE(k.rows[1].months[0]) << "2 is hidden";
    EXPECT_GE(k.hidden, 2);
    const std::vector<std::vector<std::int64_t>> truth = {{8, 10, 6, 24}, {2, 0, 5, 7}, {10, 10, 11, 31}};
    const std::vector<const d::ReportRow*> shown = {&k.rows[0], &k.rows[1], &k.totals};
    for (std::size_t r = 0; r < shown.size(); ++r) {
        auto cells = shown[r]->months;
        cells.push_back(shown[r]->total);
        for (std::size_t c = 0; c < cells.size(); ++c)
            if (cells[c]) {
                EXPECT_EQ(*cells[c], truth[r][c]) << "a cell shown is the count: row " << r << ", column " << c;
            }
    }
}

TEST(ReportTables, WithoutABreakdownOneRowAndItsTotals) {
    d::IndicatorDefinition x;
    auto f = good();
    f.breakdown = "";
    ASSERT_TRUE(d::validate(f, x).empty());
    const auto t = d::build_table(x, {2026, 3}, {{"", "", "", {7, 0, 8}}}, 4);
    ASSERT_EQ(t.rows.size(), 1u);
    EXPECT_EQ(t.rows[0].months, (std::vector<std::optional<std::int64_t>>{7, 0, 8}));
    EXPECT_EQ(t.rows[0].total, 15);
    EXPECT_EQ(t.hidden, 0);
    // A 2 hides a second cell of the row; the totals row (not shown) hides the same two, uncounted.
    const auto small = d::build_table(x, {2026, 3}, {{"", "", "", {7, 2, 8}}}, 4);
    EXPECT_FALSE(small.rows[0].months[1]);
    EXPECT_EQ(small.hidden, 2);
}

TEST(ReportTables, AValueTheCatalogueDoesNotListIsKeptInTheTotals) {
    d::IndicatorDefinition x;
    auto f = good();
    f.stream = "intake";
    f.event = "close";
    f.breakdown = "close_reason";
    ASSERT_TRUE(d::validate(f, x).empty());
    const auto t = d::build_table(x, {2026, 3}, {{"", "", "", {5, 6, 7}}, {"moved", "", "", {10, 10, 10}}}, 4);
    EXPECT_EQ(t.rows.back().code, "");
    EXPECT_EQ(t.totals.total, 48);
}

TEST(ReportLifecycle, RowByRow) {
    const auto& l = d::report_lifecycle();
    using S = d::ReportStatus;
    using E = d::ReportEvent;
    const auto agency = d::Relationship::coordinating_agency;
    EXPECT_EQ(l.fire(S::draft, E::review, agency, {}).value()->to, S::reviewed);
    EXPECT_EQ(l.fire(S::reviewed, E::reopen, agency, {}).value()->to, S::draft);
    EXPECT_EQ(l.fire(S::reviewed, E::submit, agency, {}).value()->to, S::submitted);
    EXPECT_EQ(l.fire(S::draft, E::submit, agency, {}).error().message_key, "lifecycle.not_from_state") << "reviewed first";
    EXPECT_EQ(l.fire(S::submitted, E::submit, agency, {}).error().message_key, "lifecycle.not_from_state") << "submitted twice";
    EXPECT_EQ(l.fire(S::submitted, E::reopen, agency, {}).error().message_key, "lifecycle.not_from_state");
    EXPECT_EQ(l.fire(S::draft, E::review, d::Relationship::team_member, {}).error().code, arrimage::Errc::Forbidden);
    for (auto s : d::all_report_statuses()) EXPECT_EQ(d::parse_report_status(d::code(s)), s);
    for (auto e : d::all_report_events()) EXPECT_EQ(d::parse_report_event(d::code(e)), e);
}

TEST(ReportTables, ByOrganisationWithNothingCountedIsAnEmptyTableOfZeros) {
    d::IndicatorDefinition x;
    auto f = good();
    f.event = "accept";
    f.breakdown = "organisation";
    ASSERT_TRUE(d::validate(f, x).empty());
    const auto t = d::build_table(x, {2026, 3}, {}, 4);
    EXPECT_TRUE(t.rows.empty());
    EXPECT_EQ(t.totals.months, (std::vector<std::optional<std::int64_t>>{0, 0, 0}));
    EXPECT_EQ(t.totals.total, 0);
    EXPECT_EQ(t.hidden, 0);
}
