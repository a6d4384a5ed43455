// Quarterly reports and indicators over HTTP, on the demo data: the agency's administrator
// generates a quarter's report, reviews and submits it, and exports it as CSV; the ministry's
// analyst sees it beside the other areas' only once submitted; anyone else is refused; bad input
// is a field error in the user's language and changes nothing.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <regex>

#include "core/time.hpp"
#include "features/reporting/store/report_repo.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/xlsx_reader.hpp"
#include "interop/xlsx.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;
using testsupport::sheet_cells;
using testsupport::unescape_xml;
using testsupport::zip_part;

class ReportWeb : public testsupport::DemoServerTest {
  protected:
    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM quarterly_reports) + (SELECT COUNT(*) FROM quarterly_report_events) + "
            "(SELECT COUNT(*) FROM indicators)");
    }
};

TEST_F(ReportWeb, TheAgencyGeneratesReviewsAndSubmitsAReportAndTheAnalystThenSeesIt) {
    auto admin = as("ca.admin@demo.arrimage.invalid", "fr");
    auto list = admin.get("/reports");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has(shown(Lang::fr, "report.generate_heading")));
    EXPECT_TRUE(list.has("href=\"/reports\"")) << "the navigation links to the reports";

    auto r = admin.submit("/reports", "/reports", "year=2025&quarter=1");
    ASSERT_EQ(r.status, 303);
    const std::string href = r.header("location");
    ASSERT_EQ(href.rfind("/reports/", 0), 0u) << href;
    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.status.draft")));
    EXPECT_TRUE(page.has("Demandes de service reçues, selon la source")) << "the indicators' French names";
    // The complaints register's defaults (migration V027), their rows named in French: the
    // complaint's sources, not the referral's.
    EXPECT_TRUE(page.has("Plaintes et conflits reçus, selon la provenance"));
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.value.source.public")));
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.value.source.provider")));
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.value.kind.conflict")));
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.event.review")));

    auto csv = admin.get(href + "/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(
        csv.body.rfind("\"area\",\"quarter\",\"indicator\",\"indicator_name\",\"row\",\"month\",\"value\",\"suppressed\"", 0),
        0u);
    EXPECT_TRUE(csv.has("\"2025-Q1\",\"referrals_by_source\""));
    EXPECT_TRUE(csv.has("\"2025-Q1\",\"complaints_received\""));

    // The analyst sees nothing of a draft.
    auto analyst = as("analyst@demo.arrimage.invalid", "en");
    EXPECT_EQ(analyst.get(href).status, 404);
    EXPECT_FALSE(analyst.get("/reports").has("href=\"" + href + "\"")) << "not listed either";

    // Submitted before its review: refused on the page, in French.
    r = admin.submit(href, href + "/submit", "");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::fr, "lifecycle.not_from_state")));
    EXPECT_EQ(admin.submit(href, href + "/review", "").status, 303);
    EXPECT_EQ(admin.submit(href, href + "/submit", "").status, 303);
    page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.status.submitted")));
    EXPECT_TRUE(page.has(shown(Lang::fr, "report.hash")));
    EXPECT_FALSE(page.has(shown(Lang::fr, "report.event.reopen"))) << "nothing more to do";
    // Submitted twice: refused, nothing written.
    const auto before = written();
    EXPECT_EQ(admin.submit(href, href + "/submit", "").status, 409);
    EXPECT_EQ(admin.submit("/reports", "/reports", "year=2025&quarter=1").status, 409);
    EXPECT_EQ(written(), before);

    // Now the analyst sees it, side by side with the other areas'.
    auto seen = analyst.get("/reports");
    ASSERT_EQ(seen.status, 200);
    EXPECT_TRUE(seen.has(shown(Lang::en, "report.quarter_label", {"1", "2025"})));
    EXPECT_TRUE(seen.has("Referrals received, by source"));
    EXPECT_TRUE(seen.has("href=\"" + href + "\""));
    EXPECT_EQ(analyst.get(href).status, 200);
    EXPECT_EQ(analyst.get(href + "/export.csv").status, 200);
    EXPECT_EQ(analyst.submit(href, href + "/reopen", "").status, 403);
}

TEST_F(ReportWeb, OthersAreRefused) {
    for (const char* email :
         {"coord1@demo.arrimage.invalid", "privacy@demo.arrimage.invalid", "sysadmin@demo.arrimage.invalid"}) {
        SCOPED_TRACE(email);
        auto c = as(email, "en");
        EXPECT_EQ(c.get("/reports").status, 403);
        EXPECT_EQ(c.get("/indicators").status, 403);
        EXPECT_EQ(c.get("/reports/1").status, 403);
        EXPECT_FALSE(c.get("/").has("href=\"/reports\"")) << "no link to what they may not open";
    }
    auto analyst = as("analyst@demo.arrimage.invalid", "en");
    EXPECT_EQ(analyst.get("/indicators").status, 403) << "the area's indicators are the area's";
    EXPECT_EQ(analyst.get("/reports/999999").status, 404);
    EXPECT_EQ(analyst.get("/reports/abc").status, 404);
}

TEST_F(ReportWeb, BadInputIsAFieldErrorInTheUsersLanguageAndChangesNothing) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as("ca.admin@demo.arrimage.invalid", std::string(code(lang)));
        auto r = admin.submit("/reports", "/reports", "year=2100&quarter=4");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "report.quarter_not_over", {"2100-Q4"})));
        r = admin.submit("/reports", "/reports", "year=deux&quarter=9");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.number_between", {"2000", "2100"})));
        EXPECT_TRUE(r.has("#field-quarter"));

        auto page = admin.get("/indicators");
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("referrals_by_source"));
        {
            // "No breakdown" is the breakdown's empty choice: no "Choose…" beside it.
            const auto select = page.body.find("id=\"field-breakdown\"");
            ASSERT_NE(select, std::string::npos);
            const std::string options = page.body.substr(select, page.body.find("</select>", select) - select);
            std::size_t empty = 0;
            for (auto at = options.find("<option value=\"\""); at != std::string::npos;
                 at = options.find("<option value=\"\"", at + 1))
                ++empty;
            EXPECT_EQ(empty, 1u);
            EXPECT_EQ(options.find(shown(lang, "form.choose")), std::string::npos);
        }
        r = admin.submit("/indicators", "/indicators",
                         "code=Bad+Code&name_fr=&name_en=x&stream=referral&event=pay&breakdown=amount");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "report.invalid_code", {"40"})));
        EXPECT_TRUE(r.has(shown(lang, "report.unknown_event")));
        EXPECT_TRUE(r.has(shown(lang, "report.unknown_field")));
        EXPECT_TRUE(r.has("#field-name_fr"));
        r = admin.submit("/indicators", "/indicators", "code=x&name_fr=x&name_en=x&stream=payments&event=pay");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "report.unknown_stream")));
        EXPECT_EQ(admin.submit("/indicators", "/indicators/no_such_code/off", "").status, 404);
        // Events another indicator counts: refused, naming it.
        r = admin.submit("/indicators", "/indicators",
                         "code=accepted_again&name_fr=x&name_en=x&stream=referral&event=accept&breakdown=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "report.same_events", {"referrals_accepted"})));
        EXPECT_EQ(admin.submit("/reports", "/reports/999999/review", "").status, 404);
        EXPECT_EQ(admin.submit("/reports", "/reports/1/approve", "").status, 404);
    }
    EXPECT_EQ(written(), before);
}

TEST_F(ReportWeb, AnIndicatorAddedAndADefaultSwitchedOffShowInTheNextReport) {
    auto admin = as("ca.admin@demo.arrimage.invalid", "en");
    auto r = admin.submit("/indicators", "/indicators",
                          "code=plans_closed&name_fr=" + enc("Plans fermés") + "&name_en=" + enc("Plans closed") +
                              "&stream=plan&event=close&breakdown=");
    ASSERT_EQ(r.status, 303);
    ASSERT_EQ(admin.submit("/indicators", "/indicators/referrals_by_source/off", "").status, 303);
    auto page = admin.get("/indicators");
    EXPECT_TRUE(page.has("Plans closed"));
    EXPECT_TRUE(page.has(shown(Lang::en, "report.indicator_switch_on", {"Referrals received, by source"})));
    r = admin.submit("/reports", "/reports", "year=2025&quarter=2");
    ASSERT_EQ(r.status, 303);
    auto report = admin.get(r.header("location"));
    EXPECT_TRUE(report.has("Plans closed"));
    EXPECT_FALSE(report.has("Referrals received, by source"));
}

// The demo's submitted report as a workbook, read back: one sheet per indicator, each cell what
// the stored snapshot holds (a hidden one reads "masqué"), in the reader's language.
TEST_F(ReportWeb, TheWorkbookReadBackIsTheReport) {
    const auto id = scalar("SELECT id FROM quarterly_reports WHERE status = 'submitted'");
    const auto tables = store::tables_of_snapshot(scalar_text("SELECT snapshot FROM quarterly_reports WHERE id = ?", {id}));
    ASSERT_FALSE(tables.empty());
    auto analyst = as("analyst@demo.arrimage.invalid", "fr");
    const std::string href = "/reports/" + std::to_string(id) + "/export.xlsx";
    auto r = analyst.get(href);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    ASSERT_EQ(r.body.rfind("PK", 0), 0u) << "a zip";
    int checked = 0;
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto& t = tables[i];
        SCOPED_TRACE(t.indicator.code);
        const auto cells = sheet_cells(r.body, static_cast<int>(i + 1));
        EXPECT_EQ(cells.count("A1") ? cells.at("A1") : "", t.indicator.name_fr);
        auto rows = t.rows;
        if (!t.indicator.breakdown.empty()) rows.push_back(t.totals);
        for (std::size_t row = 0; row < rows.size(); ++row) {
            std::vector<std::optional<std::int64_t>> values = rows[row].months;
            values.push_back(rows[row].total);
            for (std::size_t col = 0; col < values.size(); ++col) {
                const std::string ref = std::string(1, static_cast<char>('B' + col)) + std::to_string(row + 4);
                ASSERT_TRUE(cells.count(ref)) << ref;
                EXPECT_EQ(cells.at(ref), values[col] ? std::to_string(*values[col]) : std::string("masqué")) << ref;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 40);
    EXPECT_EQ(as("coord1@demo.arrimage.invalid", "en").get(href).status, 403);
}

// The area's dashboard: each indicator month by month as a chart drawn from its table, the
// same figures as CSV; a bad period is a field error in the user's language; only the agency's
// administrators see it.
TEST_F(ReportWeb, TheDashboardShowsEachIndicatorByMonth) {
    auto admin = as("ca.admin@demo.arrimage.invalid", "fr");
    auto page = admin.get("/dashboard");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("data-chart=\"bar\""));
    EXPECT_TRUE(page.has("/static/js/chart.umd.min.js"));
    // The scripts themselves are served with the build's static files: the browser test waits
    // for every chart to be drawn (tests/e2e/casework.mjs).
    EXPECT_TRUE(page.has("Demandes de service reçues, selon la source"));
    EXPECT_TRUE(page.has("<th scope=\"row\">" + shown(Lang::fr, "report.month.01")));
    // The demo's referrals, counted by the CSV as by the page: each month's receipts add up to
    // the referrals received in the period.
    const std::string today = format_iso(clock_.now());
    auto csv = admin.get("/dashboard/export.csv");
    ASSERT_EQ(csv.status, 200);
    std::int64_t received = 0;
    const std::string total = shown(Lang::fr, "report.total");
    std::size_t at = 0;
    const std::string marker = "\"referrals_by_source\",";
    while ((at = csv.body.find(marker, at)) != std::string::npos) {
        const auto end = csv.body.find('\n', at);
        const std::string line = csv.body.substr(at, end - at);
        if (line.find("\"" + total + "\"") != std::string::npos) {
            const auto last = line.rfind(",\"");
            received += std::stoll(line.substr(last + 2, line.size() - last - 3));
        }
        at = end;
    }
    domain::Period period;
    ASSERT_TRUE(domain::validate(domain::PeriodForm{}, today.substr(0, 10), period).empty());
    EXPECT_EQ(received, scalar("SELECT COUNT(*) FROM referral_events e JOIN referrals r ON r.id = e.referral_id "
                               "WHERE e.event = 'receive' AND e.at >= ? AND r.sda_id = (SELECT o.sda_id FROM users u "
                               "JOIN memberships m ON m.user_id = u.id JOIN organisations o ON o.id = m.organisation_id "
                               "WHERE u.email = 'ca.admin@demo.arrimage.invalid')",
                               {period.start()}));
    EXPECT_GT(received, 0);

    auto xlsx = admin.get("/dashboard/export.xlsx?from=2026-01&to=2026-03");
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(sheet_cells(xlsx.body, 1)["A1"], "Demandes de service reçues, selon la source");

    for (const Lang lang : {Lang::fr, Lang::en}) {
        auto c = as("ca.admin@demo.arrimage.invalid", std::string(code(lang)));
        auto r = c.get("/dashboard?from=2026-05&to=2026-04");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "report.period_reversed")));
        r = c.get("/dashboard?from=" + enc("<b>") + "&to=2026-04");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "report.invalid_month")));
        EXPECT_FALSE(r.has("<b>"));
    }
    EXPECT_EQ(as("coord1@demo.arrimage.invalid", "en").get("/dashboard").status, 403);
    EXPECT_EQ(as("analyst@demo.arrimage.invalid", "en").get("/dashboard").status, 403);
    EXPECT_EQ(as("analyst@demo.arrimage.invalid", "en").get("/dashboard/export.csv").status, 403);
}

// Sheet names Excel accepts, whatever a caller asks for.
TEST(Xlsx, SheetNamesAreOnesExcelAccepts) {
    std::vector<interop::XlsxSheet> sheets;
    for (const char* name : {"history", "Totals", "totals", "'quoted'", "a/b:c", "", "abcdefghijklmnopqrstuvwxyz0123456789"})
        sheets.push_back({name, {{{"x", std::nullopt, false}}}});
    const std::string book = interop::xlsx_workbook(sheets);
    const std::string xml = zip_part(book, "xl/workbook.xml");
    std::vector<std::string> names;
    const std::regex sheet("<sheet name=\"([^\"]*)\"");
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), sheet); it != std::sregex_iterator(); ++it)
        names.push_back(unescape_xml((*it)[1]));
    EXPECT_EQ(names, (std::vector<std::string>{"history (2)", "Totals", "totals (2)", "quoted", "a b c", "Sheet",
                                               "abcdefghijklmnopqrstuvwxyz01234"}));
}
