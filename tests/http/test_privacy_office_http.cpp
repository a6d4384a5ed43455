// The privacy officer's tools through the real HTTP server, on the backend under test (SQLite:
// label db, PostgreSQL: label pg), with the demo data: audit search and CSV export, anomalies,
// requests and breaches with their field errors, the family's access report in both languages,
// and refusals (403, audited, nothing shown) for everyone else.
#include <gtest/gtest.h>

#include <thread>

#include "app/demo_data.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "http/server.hpp"
#include "web/app.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

class PrivacyOfficeWeb : public testsupport::DemoServerTest {
  protected:
    Client signed_in(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.accept_language = lang;
        c.set_cookie("arrimage_lang", lang);  // whatever the user's own preference
        return c;
    }
    std::string child(const std::string& given) {
        return std::to_string(scalar("SELECT id FROM people WHERE given_name = ?", {given}));
    }
};

const char* const officer = "privacy@demo.arrimage.invalid";           // privacy officer of the coordinating agency
const char* const other_officer = "privacy.mh@demo.arrimage.invalid";  // privacy officer elsewhere
const char* const alex = "coord1@demo.arrimage.invalid";               // Léa's assigned coordinator

TEST_F(PrivacyOfficeWeb, TheOfficerSearchesTheAuditAndEverySearchIsAudited) {
    const std::string lea = child("Léa");
    auto a = signed_in(alex);
    ASSERT_EQ(a.get("/children/" + lea).status, 200);
    auto c = signed_in(officer);
    auto r = c.get("/");
    EXPECT_TRUE(r.has("href=\"/privacy\""));  // the nav link
    ASSERT_EQ(c.get("/privacy").status, 200);
    const auto before = scalar("SELECT COUNT(*) FROM audit_events");
    r = c.get("/privacy/audit?file=" + lea);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Alex Exemple"));
    EXPECT_TRUE(r.has("Identity and contact information"));
    EXPECT_TRUE(r.has("Permitted by the family&apos;s consent"));
    EXPECT_TRUE(r.has("href=\"/children/" + lea + "/access-report\""));
    EXPECT_TRUE(r.has("<label class=\"ontario-label\" for=\"filter-user\">User</label>"));
    EXPECT_TRUE(r.has("Email address or user number."));
    EXPECT_TRUE(r.has("<option value=\"deny\">Refused</option>"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), before + 1);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'search' AND category = 'access_log' "
                     "AND decision = 'permit'",
                     {std::stoll(lea)}),
              1);
    // Filters: the user by email, refusals only.
    r = c.get("/privacy/audit?user=" + enc("staff.board2@demo.arrimage.invalid") + "&outcome=deny");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("No access matches this search."));
    auto board = signed_in("staff.board2@demo.arrimage.invalid");
    EXPECT_EQ(board.get("/children/" + lea).status, 404);
    r = c.get("/privacy/audit?user=" + enc("staff.board2@demo.arrimage.invalid") + "&outcome=deny");
    EXPECT_TRUE(r.has("Lou École-Exemple"));
    EXPECT_TRUE(r.has("No relationship to this file"));
    EXPECT_FALSE(r.has("Alex Exemple"));
    // In French, with the labels of the codes.
    auto fr = signed_in(officer, "fr");
    r = fr.get("/privacy/audit?file=" + lea);
    EXPECT_TRUE(r.has("Journal des accès"));
    EXPECT_TRUE(r.has("Identité et coordonnées"));
    // Bad filters: field errors, 422, and nothing read (so nothing audited).
    const auto audited = scalar("SELECT COUNT(*) FROM audit_events");
    r = c.get("/privacy/audit?from=2026-02-30&user=nobody%40example.org&action=steal");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-from\""));
    EXPECT_TRUE(r.has("No user has this email address."));
    EXPECT_TRUE(r.has("id=\"error-action\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events"), audited);
}

TEST_F(PrivacyOfficeWeb, CsvExportOfTheCurrentSearchIsAuditedAsExport) {
    const std::string lea = child("Léa");
    auto c = signed_in(officer);
    auto r = c.get("/privacy/audit?file=" + lea);
    EXPECT_TRUE(r.has("href=\"/privacy/audit/export?file=" + lea));
    r = c.get("/privacy/audit/export?file=" + lea);
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_TRUE(r.header("content-disposition").find("attachment") != std::string::npos);
    // Every field quoted (a spreadsheet export: docs/SECURITY.md, 10).
    EXPECT_EQ(r.body.rfind(
                  "\"id\",\"at\",\"user_id\",\"user\",\"organisation_id\",\"organisation\",\"file\",\"action\",\"category\"", 0),
              0u);
    EXPECT_TRUE(r.has(",\"" + lea + "\","));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'export' AND category = 'access_log'",
                     {std::stoll(lea)}),
              1);
    // A name that looks like a spreadsheet formula stays text.
    {
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec("UPDATE users SET display_name = '=HYPERLINK(\"x\")' WHERE email = ?", {std::string(alex)});
        tx->commit();
    }
    auto a = signed_in(alex);
    ASSERT_EQ(a.get("/children/" + lea).status, 200);
    r = c.get("/privacy/audit/export?file=" + lea);
    EXPECT_TRUE(r.has("'=HYPERLINK(\"\"x\"\")"));
    EXPECT_FALSE(r.has(",\"=HYPERLINK"));
    EXPECT_EQ(a.get("/privacy/audit/export").status, 403);
}

TEST_F(PrivacyOfficeWeb, OthersGetForbiddenAndSeeNothing) {
    const std::string lea = child("Léa");
    for (const char* who : {alex, other_officer, "coord.ca@demo.arrimage.invalid"}) {
        auto c = signed_in(who);
        if (std::string(who) != other_officer) {
            EXPECT_FALSE(c.get("/").has("href=\"/privacy\"")) << who;
        }
        const auto denied = scalar("SELECT COUNT(*) FROM audit_events WHERE category = 'access_log' AND decision = 'deny'");
        auto r = c.get("/privacy/audit");
        EXPECT_EQ(r.status, 403) << who;
        EXPECT_FALSE(r.has("Léa"));
        EXPECT_FALSE(r.has("<table"));
        // The refusal is on record.
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE category = 'access_log' AND decision = 'deny'"), denied + 1);
        EXPECT_EQ(c.get("/privacy/audit?file=" + lea).status, 403);
        // Bad filters do not tell them whether an email address is a user's.
        r = c.get("/privacy/audit?user=" + enc("nobody@example.org"));
        EXPECT_EQ(r.status, 403);
        EXPECT_FALSE(r.has("No user has this email address."));
        EXPECT_EQ(c.get("/privacy/audit/export?user=" + enc("nobody@example.org")).status, 403);
        EXPECT_EQ(c.get("/privacy/anomalies").status, 403);
        EXPECT_EQ(c.get("/privacy/requests").status, 403);
        EXPECT_EQ(c.get("/privacy/breaches").status, 403);
        EXPECT_EQ(c.get("/privacy/requests/new").status, 403);
    }
    // The assigned coordinator may not print the access report (the policy does not let them
    // read access_log); another agency's officer does not even learn that the file exists.
    auto a = signed_in(alex);
    auto r = a.get("/children/" + lea + "/access-report");
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has("Who accessed this file"));
    auto o = signed_in(other_officer);
    EXPECT_EQ(o.get("/children/" + lea + "/access-report").status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND decision = 'deny'",
                     {std::stoll(lea)}),
              2);
}

TEST_F(PrivacyOfficeWeb, AnomaliesShowUnrelatedAttemptsAndBulkOpenings) {
    const std::string lea = child("Léa");
    auto board = signed_in("staff.board2@demo.arrimage.invalid");
    EXPECT_EQ(board.get("/children/" + lea).status, 404);
    auto intake = signed_in("coord.ca@demo.arrimage.invalid");
    for (const char* given : {"Léa", "Noah", "Élodie"}) intake.get("/children/" + child(given));
    auto c = signed_in(officer);
    auto r = c.get("/privacy/anomalies?threshold=2&window=60&lookback=7");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("Lou École-Exemple"));
    EXPECT_TRUE(r.has("No relationship to this file"));
    EXPECT_TRUE(r.has("More than 2 different files within 60 minutes, over the last 7 days."));
    EXPECT_TRUE(r.has("Noa Coordination-Démo"));
    r = c.get("/privacy/anomalies");
    EXPECT_TRUE(r.has("No user went over this threshold."));
    r = c.get("/privacy/anomalies?threshold=0&window=x");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-threshold\""));
    EXPECT_TRUE(r.has("id=\"error-window\""));
}

TEST_F(PrivacyOfficeWeb, RequestsWithTheirClockAndFieldErrors) {
    const std::string lea = child("Léa");
    auto c = signed_in(officer);
    ASSERT_EQ(c.get("/privacy/requests").status, 200);
    ASSERT_EQ(c.get("/privacy/requests/new").status, 200);
    const auto before = scalar("SELECT COUNT(*) FROM privacy_requests");
    // Invalid date, received in the future, unknown file, no description: 422, nothing saved.
    auto r = c.submit("/privacy/requests/new", "/privacy/requests/new",
                      "person_id=abc&requester=uncle&kind=access&received_on=2026-13-01&description=");
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-person_id\""));
    EXPECT_TRUE(r.has("id=\"error-requester\""));
    EXPECT_TRUE(r.has("Enter a real date as year-month-day"));
    EXPECT_TRUE(r.has("id=\"error-description\""));
    const std::string tomorrow = date_of(clock_.now() + std::chrono::hours(24)).iso();
    r = c.submit("/privacy/requests/new", "/privacy/requests/new",
                 "person_id=" + lea + "&requester=parent&kind=access&received_on=" + tomorrow + "&description=Copy");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("This date cannot be in the future."));
    r = c.submit(
        "/privacy/requests/new", "/privacy/requests/new",
        "person_id=999999&requester=parent&kind=access&received_on=" + date_of(clock_.now()).iso() + "&description=Copy");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("No file with this number is coordinated by your agency."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests"), before);

    const std::string received = date_of(clock_.now() - std::chrono::hours(24 * 40)).iso();
    r = c.submit("/privacy/requests/new", "/privacy/requests/new",
                 "person_id=" + lea + "&requester=parent&kind=correction&received_on=" + received +
                     "&description=" + enc("Wrong school recorded"));
    ASSERT_EQ(r.status, 303);
    const std::string href = r.header("location");
    r = c.get(href);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("The request was recorded."));
    EXPECT_TRUE(r.has("Correction of records"));
    EXPECT_TRUE(r.has("This request is past its due date."));  // received 40 days ago
    EXPECT_TRUE(c.get("/privacy/requests").has("Overdue"));

    // Extension: more than 30 days refused, nothing saved.
    r = c.submit(href, href + "/extend", "days=45&reason=Two+sites");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Enter a number of days from 1 to 30."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests WHERE status = 'extended'"), 0);
    r = c.submit(href, href + "/extend", "days=30&reason=Two+sites");
    ASSERT_EQ(r.status, 303);
    r = c.get(href);
    EXPECT_TRUE(r.has("The time limit was extended."));
    EXPECT_TRUE(r.has("30 more days"));
    EXPECT_FALSE(r.has("action=\"" + href + "/extend\""));  // only once
    // Completing without an outcome: 422, still open.
    r = c.submit(href, href + "/close", "result=completed&closed_on=" + date_of(clock_.now()).iso() + "&outcome=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Describe what was provided or corrected."));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests WHERE status = 'extended'"), 1);
    r = c.submit(href, href + "/close",
                 "result=completed&closed_on=" + date_of(clock_.now()).iso() + "&outcome=" + enc("Corrected"));
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_requests WHERE status = 'completed'"), 1);
    // In French.
    auto fr = signed_in(officer, "fr");
    r = fr.get(href);
    EXPECT_TRUE(r.has("Rectification des dossiers"));
    EXPECT_TRUE(r.has("Traitée"));
    // Another officer cannot see it.
    auto o = signed_in(other_officer);
    EXPECT_EQ(o.get(href).status, 403);
}

TEST_F(PrivacyOfficeWeb, TheBreachRegister) {
    auto c = signed_in(officer);
    ASSERT_EQ(c.get("/privacy/breaches").status, 200);
    const std::string today = date_of(clock_.now()).iso();
    auto r = c.submit("/privacy/breaches/new", "/privacy/breaches/new",
                      "discovered_on=2030-01-01&description=&files_affected=-3&status=lost&ipc_notified_on=nope");
    ASSERT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-discovered_on\""));
    EXPECT_TRUE(r.has("id=\"error-description\""));
    EXPECT_TRUE(r.has("id=\"error-files_affected\""));
    EXPECT_TRUE(r.has("id=\"error-status\""));
    EXPECT_TRUE(r.has("id=\"error-ipc_notified_on\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_breaches"), 0);
    r = c.submit("/privacy/breaches/new", "/privacy/breaches/new",
                 "discovered_on=" + today + "&description=" + enc("Fax sent to the wrong number") +
                     "&files_affected=2&containment=" + enc("Recipient destroyed it") + "&status=open");
    ASSERT_EQ(r.status, 303);
    const std::string id = std::to_string(scalar("SELECT id FROM privacy_breaches"));
    r = c.get("/privacy/breaches");
    EXPECT_TRUE(r.has("Fax sent to the wrong number"));
    EXPECT_TRUE(r.has("Not notified"));
    const std::string page = "/privacy/breaches/" + id;
    r = c.submit(page, page,
                 "discovered_on=" + today + "&description=" + enc("Fax sent to the wrong number") +
                     "&files_affected=2&status=contained&ipc_notified_on=" + today + "&families_notified_on=" + today);
    ASSERT_EQ(r.status, 303);
    r = c.get("/privacy/breaches");
    EXPECT_TRUE(r.has("Notified on " + today));
    EXPECT_TRUE(r.has("Contained"));
    r = c.submit(page, page + "/deactivate", "");
    ASSERT_EQ(r.status, 303);
    EXPECT_FALSE(c.get("/privacy/breaches").has("Fax sent"));
    EXPECT_TRUE(c.get("/privacy/breaches?all=1").has("Fax sent"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM privacy_breaches WHERE active = 0"), 1);
    auto fr = signed_in(officer, "fr");
    EXPECT_TRUE(fr.get("/privacy/breaches?all=1").has("Registre des atteintes à la vie privée"));
}

TEST_F(PrivacyOfficeWeb, TheFamilysAccessReportInBothLanguages) {
    const std::string lea = child("Léa");
    auto a = signed_in(alex);
    ASSERT_EQ(a.get("/children/" + lea).status, 200);
    auto c = signed_in(officer);
    auto r = c.get("/children/" + lea + "/access-report?lang=en");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"en\""));
    EXPECT_TRUE(r.has("Who accessed this file"));
    EXPECT_TRUE(r.has("Alex Exemple"));
    EXPECT_TRUE(r.has("Blue River Family Services (fictional)"));
    EXPECT_TRUE(r.has("Service coordination"));
    EXPECT_TRUE(r.has("class=\"arr-report\""));
    EXPECT_FALSE(r.has("Léa"));  // the report names the file, not the child
    r = c.get("/children/" + lea + "/access-report?lang=fr");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<html lang=\"fr\""));
    EXPECT_TRUE(r.has("Qui a consulté ce dossier"));
    EXPECT_TRUE(r.has("Coordination des services"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND action = 'print' AND category = 'access_log' "
                     "AND decision = 'permit'",
                     {std::stoll(lea)}),
              2);
    // One page at a time: a page that is not an access's number is not a page; one older than
    // every access lists none, and nothing earlier.
    EXPECT_EQ(c.get("/children/" + lea + "/access-report?before=abc").status, 404);
    r = c.get("/children/" + lea + "/access-report?lang=en&before=1");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "privacy_office.report_empty")));
    EXPECT_FALSE(r.has(shown(Lang::en, "privacy_office.report_earlier")));
}
