// Indicators and quarterly reports (store::ReportRepo, docs/REPORTING.md).
//
//   /reports                 the area's reports and the form that generates a quarter's
//                            (coordinating agency administrators); every area's submitted reports
//                            side by side, quarter by quarter (ministry analysts)
//   /reports/{id}            a report's tables, suppressed cells marked, and what may be done
//                            with it now (review, reopen, submit)
//   /reports/{id}/export.csv the same tables as CSV
//   /indicators              the area's indicators, each switched on or off, and the form that
//                            adds one
// Anyone else is refused (403); another area's report is not found.
#include <algorithm>
#include <map>

#include "core/text.hpp"
#include "core/time.hpp"
#include "features/reporting/domain/reporting.hpp"
#include "features/reporting/store/report_repo.hpp"
#include "features/reporting/web/report_pages.hpp"
#include "interop/csv.hpp"
#include "interop/xlsx.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"
#include "web/view.hpp"

namespace arrimage::web {

using nlohmann::json;
using store::TxMode;
namespace d = domain;

namespace {

std::string report_href(std::int64_t id) {
    return "/reports/" + std::to_string(id);
}

bool may_report(const Ctx& ctx) {
    return ctx.acting && (ctx.acting->role == d::Role::ca_admin || ctx.acting->role == d::Role::ministry_analyst);
}

store::ReportRepo reports(Ctx& ctx) {
    return store::ReportRepo(*ctx.access);
}

// A row's label: an organisation's name, a coded value's words, or the total.
std::string row_label(Ctx& ctx, const d::ReportTable& t, const d::ReportRow& r) {
    if (t.indicator.breakdown.empty()) return ctx.t("report.all");
    if (!r.label_en.empty()) return in_lang(ctx, r.label_fr, r.label_en);
    if (r.code.empty()) return ctx.t("report.not_recorded");
    if (d::field_codes(t.indicator.breakdown)) {
        const std::string key = "report.value." + t.indicator.breakdown + "." + r.code;
        if (ctx.app.catalogue().has(ctx.lang, key)) return ctx.t(key);
    }
    return r.code;
}

std::string cell_text(Ctx& ctx, const std::optional<std::int64_t>& v) {
    return v ? std::to_string(*v) : ctx.t("report.suppressed_cell");
}

json cells_json(Ctx& ctx, const d::ReportRow& r) {
    json out = json::array();
    for (const auto& m : r.months) out.push_back({{"value", cell_text(ctx, m)}, {"hidden", !m.has_value()}});
    out.push_back({{"value", cell_text(ctx, r.total)}, {"hidden", !r.total.has_value()}, {"total", true}});
    return out;
}

std::string month_label(Ctx& ctx, const std::string& month) {
    return ctx.t("report.month." + month.substr(5, 2)) + " " + month.substr(0, 4);
}

std::string quarter_label(Ctx& ctx, const d::Quarter& q) {
    return ctx.t("report.quarter_label", {std::to_string(q.quarter), std::to_string(q.year)});
}

json tables_json(Ctx& ctx, const std::vector<d::ReportTable>& tables) {
    json out = json::array();
    int n = 0;
    for (const auto& t : tables) {
        json months = json::array();
        for (const auto& m : t.months) months.push_back(month_label(ctx, m));
        json rows = json::array();
        for (const auto& r : t.rows) rows.push_back({{"label", row_label(ctx, t, r)}, {"cells", cells_json(ctx, r)}});
        json table = {{"id", "table-" + std::to_string(++n)},
                      {"name", in_lang(ctx, t.indicator.name_fr, t.indicator.name_en)},
                      {"months", months},
                      {"rows", rows}};
        // Without a breakdown the totals row repeats the only row.
        if (!t.indicator.breakdown.empty()) table["totals"] = cells_json(ctx, t.totals), table["has_totals"] = true;
        table["row_heading"] =
            t.indicator.breakdown.empty() ? ctx.t("report.col_period") : ctx.t("report.field." + t.indicator.breakdown);
        if (t.hidden > 0) table["hidden_note"] = ctx.t("report.hidden_note", {std::to_string(t.hidden)});
        out.push_back(std::move(table));
    }
    return out;
}

// ---------------------------------------------------------------- the list

struct GenerateForms {
    d::QuarterForm posted;
    std::vector<FieldError> errors;
    std::string conflict_key;
};

// The last quarter that has ended, as the form's default.
d::QuarterForm last_quarter(const Ctx& ctx) {
    const auto q = d::last_ended_quarter(format_iso(ctx.app.clock().now()).substr(0, 10));
    return {std::to_string(q.year), std::to_string(q.quarter)};
}

json generate_form(Ctx& ctx, const GenerateForms& forms) {
    std::vector<Option> quarters;
    for (int q = 1; q <= 4; ++q) quarters.push_back({std::to_string(q), ctx.t("report.quarter_option", {std::to_string(q)})});
    FormBuilder b(ctx, "/reports", "report.generate_submit");
    b.field({.name = "year", .label_key = "report.year", .required = true, .inputmode = "numeric"}, forms.posted.year)
        .field({.name = "quarter", .label_key = "report.quarter", .type = "select", .required = true, .options = quarters},
               forms.posted.quarter)
        .errors(forms.errors);
    return b.build();
}

// The ministry's view: each quarter's submitted reports, one column per area, one row per
// indicator (its grand total).
json side_by_side(Ctx& ctx, const std::vector<store::ReportSummary>& list) {
    json quarters = json::array();
    std::map<std::pair<int, int>, std::vector<const store::ReportSummary*>, std::greater<>> by_quarter;
    for (const auto& s : list) by_quarter[{s.quarter.year, s.quarter.quarter}].push_back(&s);
    for (const auto& [key, summaries] : by_quarter) {
        json areas = json::array();
        std::vector<std::string> codes;
        std::map<std::string, std::string> names;
        std::map<std::pair<std::string, std::int64_t>, std::string> values;
        for (const auto* s : summaries) {
            areas.push_back({{"name", in_lang(ctx, s->area_fr, s->area_en)}, {"href", report_href(s->id)}});
            auto r = reports(ctx).report(s->id);
            if (!r) continue;
            for (const auto& t : r->tables) {
                if (!names.contains(t.indicator.code)) codes.push_back(t.indicator.code);
                names[t.indicator.code] = in_lang(ctx, t.indicator.name_fr, t.indicator.name_en);
                values[{t.indicator.code, s->id}] = cell_text(ctx, t.totals.total);
            }
        }
        json rows = json::array();
        for (const auto& code : codes) {
            json cells = json::array();
            for (const auto* s : summaries) {
                auto v = values.find({code, s->id});
                cells.push_back(v == values.end() ? ctx.t("report.not_counted") : v->second);
            }
            rows.push_back({{"name", names[code]}, {"cells", cells}});
        }
        quarters.push_back({{"id", "quarter-" + std::to_string(key.first) + "-" + std::to_string(key.second)},
                            {"label", quarter_label(ctx, {key.first, key.second})},
                            {"areas", areas},
                            {"rows", rows}});
    }
    return quarters;
}

http::Response list_page(Ctx& ctx, const GenerateForms& forms, int status) {
    if (!may_report(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto list = reports(ctx).reports();
    if (!list) return ctx.app.refused(ctx, list.error());
    json model = json::object();
    if (ctx.acting->role == d::Role::ministry_analyst) {
        model["analyst"] = true;
        model["quarters"] = side_by_side(ctx, *list);
        model["has_quarters"] = !model["quarters"].empty();
        return ctx.app.page(ctx, "report.list_title", "reports", model, status);
    }
    json rows = json::array();
    for (const auto& s : *list)
        rows.push_back({{"href", report_href(s.id)},
                        {"quarter", quarter_label(ctx, s.quarter)},
                        {"status", ctx.t("report.status." + std::string(d::code(s.status)))},
                        {"generated", display_minute(s.generated_at)},
                        {"submitted", s.submitted_at.empty() ? std::string() : display_minute(s.submitted_at)}});
    model["reports"] = rows;
    model["has_reports"] = !rows.empty();
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key);
    GenerateForms shown = forms;
    if (shown.posted.year.empty() && shown.posted.quarter.empty()) shown.posted = last_quarter(ctx);
    model["form"] = generate_form(ctx, shown);
    return ctx.app.page(ctx, "report.list_title", "reports", model, status);
}

http::Response show_list(Ctx& ctx) {
    return list_page(ctx, {}, 200);
}

http::Response post_generate(Ctx& ctx) {
    if (!may_report(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    GenerateForms forms;
    forms.posted = {trim(ctx.form("year")), trim(ctx.form("quarter"))};
    auto id = reports(ctx).generate(forms.posted);
    if (!id)
        return refused_on_page(ctx, id.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return list_page(ctx, forms, status); });
    return ctx.app.see_other(ctx, report_href(*id), "report.generated");
}

// ---------------------------------------------------------------- one report

std::optional<std::int64_t> report_id(Ctx& ctx) {
    return d::parse_id(ctx.req.params["id"]);
}

http::Response report_page(Ctx& ctx, std::int64_t id, const std::string& conflict_key, int status) {
    if (!may_report(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto r = reports(ctx).report(id);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    json actions = json::array();
    for (auto e : r->available)
        actions.push_back({{"action", report_href(id) + "/" + std::string(d::code(e))},
                           {"label", ctx.t("report.event." + std::string(d::code(e)))},
                           {"primary", e != d::ReportEvent::reopen}});
    json model = {{"heading", ctx.t("report.heading", {in_lang(ctx, s.area_fr, s.area_en), quarter_label(ctx, s.quarter)})},
                  {"status", ctx.t("report.status." + std::string(d::code(s.status)))},
                  {"status_note", ctx.t("report.status_note." + std::string(d::code(s.status)))},
                  {"generated", display_minute(s.generated_at)},
                  {"threshold", ctx.t("report.threshold_note", {std::to_string(r->threshold)})},
                  {"tables", tables_json(ctx, r->tables)},
                  {"has_tables", !r->tables.empty()},
                  {"actions", actions},
                  {"csv_href", report_href(id) + "/export.csv"},
                  {"xlsx_href", report_href(id) + "/export.xlsx"},
                  {"back_href", "/reports"}};
    if (!s.submitted_at.empty()) model["submitted"] = display_minute(s.submitted_at), model["hash"] = s.hash;
    if (!conflict_key.empty()) model["conflict"] = ctx.t(conflict_key);
    return ctx.app.page(ctx, "report.title", "report", model, status);
}

http::Response show_report(Ctx& ctx) {
    auto id = report_id(ctx);
    if (!id) return ctx.app.error_page(ctx, Error::not_found());
    return report_page(ctx, *id, {}, 200);
}

http::Response fire(Ctx& ctx) {
    if (!may_report(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto id = report_id(ctx);
    auto event = d::parse_report_event(ctx.req.params["event"]);
    if (!id || !event) return ctx.app.error_page(ctx, Error::not_found());
    auto done = reports(ctx).fire(*id, *event);
    if (!done) {
        if (done.error().code == Errc::Conflict) return report_page(ctx, *id, done.error().message_key, 409);
        return ctx.app.refused(ctx, done.error());
    }
    return ctx.app.see_other(ctx, report_href(*id), "report.done." + std::string(d::code(*event)));
}

// The rows a table shows, each with its label: its rows, then (with a breakdown) the totals.
std::vector<std::pair<std::string, const d::ReportRow*>> shown_rows(Ctx& ctx, const d::ReportTable& t) {
    std::vector<std::pair<std::string, const d::ReportRow*>> out;
    for (const auto& r : t.rows) out.emplace_back(row_label(ctx, t, r), &r);
    if (!t.indicator.breakdown.empty()) out.emplace_back(ctx.t("report.total"), &t.totals);
    return out;
}

// A report to export: the reader's, or the refusal.
Result<store::ReportRecord> exported(Ctx& ctx) {
    if (!may_report(ctx)) return Error::forbidden();
    auto id = report_id(ctx);
    if (!id) return Error::not_found();
    return reports(ctx).report(*id);
}

http::Response export_csv(Ctx& ctx) {
    auto r = exported(ctx);
    if (!r) return ctx.app.refused(ctx, r.error());
    // One line per cell: indicator, row, month (or "total"), value; a suppressed cell is empty,
    // with "suppressed" in the last column.
    std::string out =
        interop::spreadsheet_record({"area", "quarter", "indicator", "indicator_name", "row", "month", "value", "suppressed"});
    const std::string area = in_lang(ctx, r->summary.area_fr, r->summary.area_en), quarter = r->summary.quarter.label();
    for (const auto& t : r->tables) {
        const std::string name = in_lang(ctx, t.indicator.name_fr, t.indicator.name_en);
        auto line = [&](const std::string& row, const std::string& month, const std::optional<std::int64_t>& v) {
            out += interop::spreadsheet_record(
                {area, quarter, t.indicator.code, name, row, month, v ? std::to_string(*v) : std::string(), v ? "0" : "1"});
        };
        for (const auto& [label, row] : shown_rows(ctx, t)) {
            for (std::size_t m = 0; m < t.months.size(); ++m) line(label, t.months[m], row->months[m]);
            line(label, "total", row->total);
        }
    }
    return download(std::move(out), "text/csv; charset=utf-8", "report-" + quarter + ".csv");
}

// One sheet per indicator: its name, the area and quarter, then the table as the page shows it
// (a hidden cell reads as on the page), and the rule of suppression under it.
http::Response export_xlsx(Ctx& ctx) {
    auto r = exported(ctx);
    if (!r) return ctx.app.refused(ctx, r.error());
    const auto& s = r->summary;
    const std::string area = in_lang(ctx, s.area_fr, s.area_en);
    std::vector<interop::XlsxSheet> sheets;
    for (const auto& t : r->tables) {
        interop::XlsxSheet sheet;
        sheet.name = t.indicator.code;
        sheet.rows.push_back({{in_lang(ctx, t.indicator.name_fr, t.indicator.name_en), {}, true}});
        sheet.rows.push_back(
            {{area + " — " + quarter_label(ctx, s.quarter) + " — " + ctx.t("report.status." + std::string(d::code(s.status))),
              {},
              false}});
        std::vector<interop::XlsxCell> head = {
            {t.indicator.breakdown.empty() ? ctx.t("report.col_period") : ctx.t("report.field." + t.indicator.breakdown),
             {},
             true}};
        for (const auto& m : t.months) head.push_back({month_label(ctx, m), {}, true});
        head.push_back({ctx.t("report.total"), {}, true});
        sheet.rows.push_back(std::move(head));
        for (const auto& [label, row] : shown_rows(ctx, t)) {
            std::vector<interop::XlsxCell> line = {{label, {}, row == &t.totals}};
            auto cell = [&](const std::optional<std::int64_t>& v) {
                line.push_back({v ? std::string() : ctx.t("report.suppressed_cell"), v, row == &t.totals});
            };
            for (const auto& m : row->months) cell(m);
            cell(row->total);
            sheet.rows.push_back(std::move(line));
        }
        sheet.rows.push_back({});
        sheet.rows.push_back({{ctx.t("report.threshold_note", {std::to_string(r->threshold)}), {}, false}});
        sheets.push_back(std::move(sheet));
    }
    return download(interop::xlsx_workbook(sheets), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "report-" + s.quarter.label() + ".xlsx");
}

// ---------------------------------------------------------------- the dashboard

bool may_see_dashboard(const Ctx& ctx) {
    return ctx.acting && ctx.acting->role == d::Role::ca_admin;
}

d::PeriodForm period_form(Ctx& ctx) {
    return {trim(ctx.req.query_param("from")), trim(ctx.req.query_param("to"))};
}

std::string period_query(const d::PeriodForm& f) {
    if (f.from.empty() && f.to.empty()) return {};
    return "?from=" + percent_encode(f.from) + "&to=" + percent_encode(f.to);
}

// One series as a table: a row per month, a column per value of its field counted over the
// period (none: the total alone), then the total.
struct SeriesTable {
    std::vector<std::string> columns;                 // labels, the total's last
    std::vector<std::vector<std::int64_t>> by_month;  // [month][column]
};
SeriesTable series_table(Ctx& ctx, const store::DashboardSeries& s, std::size_t months) {
    SeriesTable out;
    d::ReportTable shape;
    shape.indicator = s.indicator;
    std::vector<const d::CountedRow*> shown;
    if (!s.indicator.breakdown.empty())
        for (const auto& r : s.rows) {
            std::int64_t sum = 0;
            for (auto v : r.months) sum += v;
            if (sum == 0) continue;
            shown.push_back(&r);
            out.columns.push_back(row_label(ctx, shape, d::ReportRow{r.code, r.label_fr, r.label_en, {}, {}}));
        }
    out.columns.push_back(ctx.t("report.total"));
    for (std::size_t m = 0; m < months; ++m) {
        std::vector<std::int64_t> line;
        for (const auto* r : shown) line.push_back(m < r->months.size() ? r->months[m] : 0);
        line.push_back(s.totals[m]);
        out.by_month.push_back(std::move(line));
    }
    return out;
}

http::Response dashboard_page(Ctx& ctx) {
    if (!may_see_dashboard(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    const auto form = period_form(ctx);
    auto dash = reports(ctx).dashboard(form);
    std::vector<FieldError> errors;
    if (!dash) {
        if (dash.error().code != Errc::Invalid) return ctx.app.refused(ctx, dash.error());
        errors = dash.error().fields;
        dash = reports(ctx).dashboard({});  // the default period, under the field errors
        if (!dash) return ctx.app.refused(ctx, dash.error());
    }
    const d::PeriodForm shown = errors.empty() && form.from.empty() && form.to.empty()
                                    ? d::PeriodForm{dash->period.months.front(), dash->period.months.back()}
                                    : form;
    FormBuilder f(ctx, "/dashboard", "report.dashboard_apply");
    f.query()
        .field({.name = "from", .label_key = "report.dashboard_from", .required = true, .hint_key = "report.month_hint"},
               shown.from)
        .field({.name = "to", .label_key = "report.dashboard_to", .required = true, .hint_key = "report.month_hint"}, shown.to)
        .errors(errors);
    json charts = json::array();
    int n = 0;
    for (const auto& s : dash->series) {
        const auto t = series_table(ctx, s, dash->period.months.size());
        json heads = json::array();
        for (const auto& c : t.columns) heads.push_back(c);
        json rows = json::array();
        for (std::size_t m = 0; m < t.by_month.size(); ++m) {
            json cells = json::array();
            for (auto v : t.by_month[m]) cells.push_back({{"value", v}});
            rows.push_back({{"month", month_label(ctx, dash->period.months[m])}, {"cells", cells}});
        }
        charts.push_back({{"id", "chart-" + std::to_string(++n)},
                          {"name", in_lang(ctx, s.indicator.name_fr, s.indicator.name_en)},
                          {"heads", heads},
                          {"rows", rows}});
    }
    const std::string query = errors.empty() ? period_query(form) : std::string();
    json model = {{"heading", ctx.t("report.dashboard_heading", {in_lang(ctx, dash->area_fr, dash->area_en)})},
                  {"form", f.build()},
                  {"charts", charts},
                  {"csv_href", "/dashboard/export.csv" + query},
                  {"xlsx_href", "/dashboard/export.xlsx" + query},
                  {"asset_version", ctx.app.asset_version()},
                  {"back_href", "/reports"}};
    return ctx.app.page(ctx, "report.dashboard_title", "dashboard", model, errors.empty() ? 200 : 422);
}

// The dashboard's figures to export, or the refusal (a bad period: its field errors, as a page).
Result<store::Dashboard> dashboard_export(Ctx& ctx) {
    if (!may_see_dashboard(ctx)) return Error::forbidden();
    return reports(ctx).dashboard(period_form(ctx));
}

http::Response dashboard_csv(Ctx& ctx) {
    auto dash = dashboard_export(ctx);
    if (!dash) return ctx.app.refused(ctx, dash.error());
    std::string out = interop::spreadsheet_record({"area", "indicator", "indicator_name", "month", "column", "value"});
    const std::string area = in_lang(ctx, dash->area_fr, dash->area_en);
    for (const auto& s : dash->series) {
        const auto t = series_table(ctx, s, dash->period.months.size());
        for (std::size_t m = 0; m < t.by_month.size(); ++m)
            for (std::size_t c = 0; c < t.columns.size(); ++c)
                out +=
                    interop::spreadsheet_record({area, s.indicator.code, in_lang(ctx, s.indicator.name_fr, s.indicator.name_en),
                                                 dash->period.months[m], t.columns[c], std::to_string(t.by_month[m][c])});
    }
    return download(std::move(out), "text/csv; charset=utf-8", "dashboard.csv");
}

http::Response dashboard_xlsx(Ctx& ctx) {
    auto dash = dashboard_export(ctx);
    if (!dash) return ctx.app.refused(ctx, dash.error());
    std::vector<interop::XlsxSheet> sheets;
    for (const auto& s : dash->series) {
        const auto t = series_table(ctx, s, dash->period.months.size());
        interop::XlsxSheet sheet;
        sheet.name = s.indicator.code;
        sheet.first_column_width = 20;
        sheet.rows.push_back({{in_lang(ctx, s.indicator.name_fr, s.indicator.name_en), {}, true}});
        std::vector<interop::XlsxCell> head = {{ctx.t("report.col_period"), {}, true}};
        for (const auto& c : t.columns) head.push_back({c, {}, true});
        sheet.rows.push_back(std::move(head));
        for (std::size_t m = 0; m < t.by_month.size(); ++m) {
            std::vector<interop::XlsxCell> line = {{month_label(ctx, dash->period.months[m]), {}, false}};
            for (auto v : t.by_month[m]) line.push_back({{}, v, false});
            sheet.rows.push_back(std::move(line));
        }
        sheets.push_back(std::move(sheet));
    }
    return download(interop::xlsx_workbook(sheets), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "dashboard.xlsx");
}

// ---------------------------------------------------------------- indicators

struct IndicatorForms {
    d::IndicatorForm posted;
    std::vector<FieldError> errors;
    std::string conflict_key;
    std::vector<std::string> conflict_args;
};

json indicator_form(Ctx& ctx, const IndicatorForms& forms) {
    std::vector<Option> streams, events, fields = {{"", ctx.t("report.no_breakdown")}};
    for (const auto& s : d::indicator_streams()) {
        streams.push_back({std::string(s.code), ctx.t("report.stream." + std::string(s.code))});
        for (auto e : s.events)
            events.push_back({std::string(e), ctx.t("report.stream." + std::string(s.code)) + " — " +
                                                  ctx.t("report.event_name." + std::string(s.code) + "." + std::string(e))});
        for (auto f : s.fields)
            if (std::none_of(fields.begin(), fields.end(), [&](const Option& o) { return o.value == f; }))
                fields.push_back({std::string(f), ctx.t("report.field." + std::string(f))});
    }
    FormBuilder b(ctx, "/indicators", "report.indicator_submit");
    b.field({.name = "code", .label_key = "report.indicator_code", .required = true, .hint_key = "report.indicator_code_hint"},
            forms.posted.code)
        .field({.name = "name_fr", .label_key = "report.indicator_name_fr", .required = true}, forms.posted.name_fr)
        .field({.name = "name_en", .label_key = "report.indicator_name_en", .required = true}, forms.posted.name_en)
        .field({.name = "stream", .label_key = "report.indicator_stream", .type = "select", .required = true, .options = streams},
               forms.posted.stream)
        .field({.name = "event",
                .label_key = "report.indicator_event",
                .type = "select",
                .required = true,
                .hint_key = "report.indicator_event_hint",
                .options = events},
               forms.posted.event)
        .field({.name = "breakdown",
                .label_key = "report.indicator_breakdown",
                .type = "select",
                .hint_key = "report.indicator_breakdown_hint",
                .options = fields},
               forms.posted.breakdown)
        .errors(forms.errors);
    return b.build();
}

http::Response indicators_page(Ctx& ctx, const IndicatorForms& forms, int status) {
    if (!may_report(ctx) || ctx.acting->role != d::Role::ca_admin) return ctx.app.refused(ctx, Error::forbidden());
    auto list = reports(ctx).indicators();
    if (!list) return ctx.app.refused(ctx, list.error());
    json rows = json::array();
    for (const auto& i : *list) {
        const std::string counts =
            ctx.t("report.stream." + i.stream) + " — " + ctx.t("report.event_name." + i.stream + "." + i.event);
        rows.push_back({{"name", in_lang(ctx, i.name_fr, i.name_en)},
                        {"code", i.code},
                        {"counts", counts},
                        {"breakdown", i.breakdown.empty() ? ctx.t("report.no_breakdown") : ctx.t("report.field." + i.breakdown)},
                        {"active", i.active},
                        {"state", ctx.t(i.active ? "report.indicator_on" : "report.indicator_off")},
                        {"toggle_action", "/indicators/" + i.code + (i.active ? "/off" : "/on")},
                        {"toggle_label", ctx.t(i.active ? "report.indicator_switch_off" : "report.indicator_switch_on",
                                               {in_lang(ctx, i.name_fr, i.name_en)})}});
    }
    json model = {{"indicators", rows}, {"form", indicator_form(ctx, forms)}, {"back_href", "/reports"}};
    if (!forms.conflict_key.empty()) model["conflict"] = ctx.t(forms.conflict_key, forms.conflict_args);
    return ctx.app.page(ctx, "report.indicators_title", "indicators", model, status);
}

http::Response show_indicators(Ctx& ctx) {
    return indicators_page(ctx, {}, 200);
}

http::Response post_indicator(Ctx& ctx) {
    if (!may_report(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    IndicatorForms forms;
    forms.posted = {ctx.form("code"),   ctx.form("name_fr"), ctx.form("name_en"),
                    ctx.form("stream"), ctx.form("event"),   ctx.form("breakdown")};
    auto id = reports(ctx).add_indicator(forms.posted);
    if (!id)
        return refused_on_page(ctx, id.error(), forms.errors, forms.conflict_key,
                               [&](int status) { return indicators_page(ctx, forms, status); });
    return ctx.app.see_other(ctx, "/indicators", "report.indicator_added");
}

http::Response switch_indicator(Ctx& ctx, bool on) {
    if (!may_report(ctx)) return ctx.app.refused(ctx, Error::forbidden());
    auto done = reports(ctx).set_indicator_active(ctx.req.params["code"], on);
    if (!done) {
        if (done.error().code != Errc::Conflict) return ctx.app.refused(ctx, done.error());
        IndicatorForms forms;
        forms.conflict_key = done.error().message_key;
        forms.conflict_args = done.error().args;
        return indicators_page(ctx, forms, 409);
    }
    return ctx.app.see_other(ctx, "/indicators", on ? "report.indicator_switched_on" : "report.indicator_switched_off");
}

}  // namespace

void register_report_pages(WebApp& app) {
    const auto S = Access::signed_in;
    const auto R = TxMode::read;
    const auto W = TxMode::write;
    app.route("GET", "/reports", {"reports/list", S, R, show_list});
    app.route("POST", "/reports", {"reports/generate", S, W, post_generate});
    app.route("GET", "/reports/{id}", {"reports/show", S, R, show_report});
    app.route("GET", "/reports/{id}/export.csv", {"reports/export", S, R, export_csv});
    app.route("GET", "/reports/{id}/export.xlsx", {"reports/export_xlsx", S, R, export_xlsx});
    app.route("POST", "/reports/{id}/{event}", {"reports/fire", S, W, fire});
    app.route("GET", "/dashboard", {"reports/dashboard", S, R, dashboard_page});
    app.route("GET", "/dashboard/export.csv", {"reports/dashboard_csv", S, R, dashboard_csv});
    app.route("GET", "/dashboard/export.xlsx", {"reports/dashboard_xlsx", S, R, dashboard_xlsx});
    app.route("GET", "/indicators", {"reports/indicators", S, R, show_indicators});
    app.route("POST", "/indicators", {"reports/indicator_add", S, W, post_indicator});
    app.route("POST", "/indicators/{code}/on",
              {"reports/indicator_on", S, W, [](Ctx& ctx) { return switch_indicator(ctx, true); }});
    app.route("POST", "/indicators/{code}/off",
              {"reports/indicator_off", S, W, [](Ctx& ctx) { return switch_indicator(ctx, false); }});
    // The navigation's link, for those who report.
    app.add_layout_hook([](Ctx& ctx, json& layout) {
        if (may_report(ctx)) layout["nav_reports"] = true;
    });
}

}  // namespace arrimage::web
