// The network's governance over HTTP, on the demo data (pages_governance.cpp): the coordinating
// agency's administrator creates a committee through its form, names its members, schedules and
// holds a meeting, logs decisions and writes the yearly report, circulates it and submits it once
// every member has signed it through its page. Bad input is a field error in the user's language
// and writes nothing; a provider manager of a member reads the committee, follows up the decisions
// its organisation owns and signs for it, and is refused every form of the agency; the ministry's
// analyst reads everything and changes nothing; another area's administrator sees none of it;
// anyone else is refused; a committee, meeting, decision or report that is not there, or not of
// the committee named, is not found. The decisions log is filtered and exported as CSV. Each test
// builds what it needs through the pages: the demo's committees, if any, are counted, never
// assumed.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

// The demo organisations the tests name, by their English names (app/demo_data.cpp).
const std::string agency = "Demo Coordinating Agency";
const std::string blue_river = "Blue River Family Services (fictional)";  // manager1's
const std::string maple = "Fictional Maple Youth Centre";                 // manager2's
const std::string north = "Demo North Community Network";

const std::string admin_email = "ca.admin@demo.arrimage.invalid";
const std::string manager_email = "manager1@demo.arrimage.invalid";  // Blue River's manager
const std::string analyst_email = "analyst@demo.arrimage.invalid";

// The first group `pattern` captures in `html`, "" when it does not match.
std::string captured(const std::string& html, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

// How many times `text` occurs in `body`.
int occurrences(const std::string& body, const std::string& text) {
    int n = 0;
    for (auto at = body.find(text); at != std::string::npos; at = body.find(text, at + text.size())) ++n;
    return n;
}

// The id that ends an address ("/governance/4/meetings/7" → 7).
std::int64_t last_id(const std::string& href) {
    return std::stoll(href.substr(href.rfind('/') + 1));
}

}  // namespace

class GovernanceWeb : public testsupport::DemoServerTest {
  protected:
    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // The day `n` days from today on the app's clock (before it when negative).
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    std::string last_year() { return std::to_string(date_of(clock_.now()).year - 1); }
    // A demo organisation's id, by its English name.
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    // A demo organisation's name as a page in `lang` shows it.
    std::string org_name(const std::string& name_en, Lang lang) {
        return lang == Lang::en ? name_en : scalar_text("SELECT name_fr FROM organisations WHERE name_en = ?", {name_en});
    }
    // Rows of the governance tables: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM committees) + (SELECT COUNT(*) FROM committee_members) + "
            "(SELECT COUNT(*) FROM committee_members WHERE left_on = '') + (SELECT COUNT(*) FROM committee_meetings) + "
            "(SELECT COUNT(*) FROM meeting_attendance) + (SELECT COUNT(*) FROM meeting_events) + "
            "(SELECT COUNT(*) FROM governance_decisions) + (SELECT COUNT(*) FROM decision_events) + "
            "(SELECT COUNT(*) FROM yearly_reports) + (SELECT COUNT(*) FROM yearly_report_signatures) + "
            "(SELECT COUNT(*) FROM yearly_report_signatures WHERE signed_at <> '') + "
            "(SELECT COUNT(*) FROM yearly_report_events)");
    }
    std::string status_of(const std::string& table, const std::string& href) {
        return scalar_text("SELECT status FROM " + table + " WHERE id = ?", {last_id(href)});
    }
    static std::string committee_form(const std::string& name, const std::string& kind = "steering_group") {
        return "name_fr=" + enc("Comité d’essai — " + name) + "&name_en=" + enc("Test committee — " + name) + "&kind=" + kind +
               "&mandate=" + enc("Superviser le réseau de la zone.\nSe réunir chaque trimestre.");
    }
    // Creates a committee through its form: its page's address ("" when refused).
    std::string create(Client& c, const std::string& name) {
        auto r = c.submit("/governance/new", "/governance", committee_form(name));
        EXPECT_EQ(r.status, 303) << name;
        return r.status == 303 ? r.header("location") : std::string();
    }
    Reply add_member(Client& c, const std::string& href, const std::string& name_en, const std::string& representative) {
        return c.submit(href, href + "/members",
                        "organisation=" + org(name_en) + "&representative=" + enc(representative) +
                            "&title=" + enc("Directrice générale") + "&email=" + enc("representante@example.org"));
    }
    // Schedules a meeting through the committee's form: its page's address.
    std::string schedule(Client& c, const std::string& href, const std::string& held_on) {
        auto r = c.submit(href, href + "/meetings",
                          "held_on=" + held_on + "&location=" + enc("Salle du conseil") +
                              "&agenda=" + enc("1. Bilan du trimestre\n2. Priorités"));
        EXPECT_EQ(r.status, 303);
        return r.status == 303 ? r.header("location") : std::string();
    }
    Reply hold(Client& c, const std::string& meeting, const std::vector<std::string>& present,
               const std::string& minutes = "Le groupe a revu le bilan et fixé ses priorités.") {
        std::string form = "minutes=" + enc(minutes);
        for (const auto& p : present) form += "&present=" + org(p);
        return c.submit(meeting, meeting + "/hold", form);
    }
    static std::string decision_form(const std::string& owner_id, const std::string& decided_on, const std::string& due_on,
                                     const std::string& meeting = "", const std::string& text = "Créer un guichet unique.") {
        return "meeting=" + meeting + "&decided_on=" + decided_on + "&decision=" + enc(text) +
               "&decided_by=" + enc("Le groupe directeur, par consensus") + "&owner=" + owner_id +
               "&owner_person=" + enc("Camille Suivi") + "&due_on=" + due_on;
    }
    // Logs a decision through the committee's form: its page's address.
    std::string log_decision(Client& c, const std::string& href, const std::string& owner_en, const std::string& decided_on,
                             const std::string& due_on, const std::string& meeting = "",
                             const std::string& text = "Créer un guichet unique.") {
        auto r = c.submit(href, href + "/decisions", decision_form(org(owner_en), decided_on, due_on, meeting, text));
        EXPECT_EQ(r.status, 303);
        return r.status == 303 ? r.header("location") : std::string();
    }
    static std::string report_form(const std::string& year, const std::string& activities = "Quatre réunions tenues.") {
        return "year=" + year + "&activities=" + enc(activities) + "&achievements=" + enc("Un guichet unique.") +
               "&challenges=" + enc("Le roulement du personnel.") + "&priorities=" + enc("Les délais d’accès.");
    }
    // Starts the yearly report through the committee's form: its page's address.
    std::string start_report(Client& c, const std::string& href, const std::string& year) {
        auto r = c.submit(href, href + "/reports", report_form(year));
        EXPECT_EQ(r.status, 303);
        return r.status == 303 ? r.header("location") : std::string();
    }
    // A committee whose members are the agency and Blue River.
    std::string committee_of_two(Client& admin, const std::string& name) {
        const std::string href = create(admin, name);
        if (href.empty()) return href;
        EXPECT_EQ(add_member(admin, href, agency, "Claude Agence").status, 303);
        EXPECT_EQ(add_member(admin, href, blue_river, "Robin Rivière").status, 303);
        return href;
    }
    static bool lists(const Reply& r, const std::string& href) { return r.has("<a href=\"" + href + "\">"); }
    std::string nav_link(Lang lang) { return "<a href=\"/governance\">" + shown(lang, "nav.governance") + "</a>"; }
};

TEST_F(GovernanceWeb, TheAgencySetsUpACommitteeThroughThePages) {
    auto admin = as(admin_email, "en");
    const auto before = scalar("SELECT COUNT(*) FROM committees");
    auto list = admin.get("/governance");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<h1>" + shown(Lang::en, "governance.list_title") + "</h1>"));
    EXPECT_TRUE(list.has("href=\"/governance/new\""));
    EXPECT_TRUE(list.has("href=\"/governance/decisions\""));

    auto form = admin.get("/governance/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("action=\"/governance\""));
    for (const char* kind : {"steering_group", "governance_table", "working_group"})
        EXPECT_TRUE(form.has("name=\"kind\" value=\"" + std::string(kind) + "\"")) << kind;

    const std::string href = create(admin, "Nord");
    ASSERT_TRUE(std::regex_match(href, std::regex("/governance/[0-9]+"))) << href;
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM committees"), before + 1);
    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.committee_created"))) << "the flash";
    EXPECT_TRUE(page.has("<h1>Test committee — Nord</h1>"));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.committee_kind.steering_group") + "</dd>"));
    EXPECT_TRUE(page.has("Se réunir chaque trimestre."));
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.no_members_yet")));
    // The member form offers the area's active organisations.
    for (const auto& name : {agency, blue_river, maple, north})
        EXPECT_TRUE(page.has("<option value=\"" + org(name) + "\">" + name + "</option>")) << name;
    EXPECT_TRUE(page.has("action=\"" + href + "/members\""));
    EXPECT_TRUE(page.has("action=\"" + href + "/meetings\""));
    EXPECT_TRUE(page.has("action=\"" + href + "/decisions\""));
    EXPECT_TRUE(page.has("action=\"" + href + "/reports\""));
    EXPECT_TRUE(page.has("id=\"report-field-year\" name=\"year\" value=\"" + last_year() + "\"")) << "last year by default";
    EXPECT_TRUE(page.has("id=\"decision-field-decided_on\" name=\"decided_on\" value=\"" + day(0) + "\"")) << "today";

    // Members: added, the representative changed, one membership ended.
    auto r = add_member(admin, href, agency, "Claude Agence");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href + "#members-heading");
    ASSERT_EQ(add_member(admin, href, blue_river, "Robin Rivière").status, 303);
    ASSERT_EQ(add_member(admin, href, north, "Alex Nord").status, 303);
    ASSERT_EQ(add_member(admin, href, north, "Sam Nord").status, 303);
    const std::int64_t committee = last_id(href);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM committee_members WHERE committee_id = ? AND left_on = ''", {committee}), 3);
    EXPECT_EQ(scalar_text("SELECT representative FROM committee_members WHERE committee_id = ? AND organisation_id = ?",
                          {committee, std::stoll(org(north))}),
              "Sam Nord");
    page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.member_saved")));
    EXPECT_TRUE(page.has("<th scope=\"row\">" + agency + " (" + shown(Lang::en, "governance.agency") + ")</th>"));
    EXPECT_TRUE(page.has("<td>Robin Rivière</td>"));
    EXPECT_TRUE(page.has("<td>Sam Nord</td>"));
    EXPECT_FALSE(page.has("Alex Nord"));
    EXPECT_TRUE(page.has("href=\"mailto:representante@example.org\""));
    const std::string end_north = href + "/members/" + org(north) + "/end";
    EXPECT_TRUE(page.has("action=\"" + end_north + "\""));
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.end_member_named", {north})));
    r = admin.submit(href, end_north, "");
    EXPECT_EQ(r.status, 303);
    page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.member_ended")));
    EXPECT_FALSE(page.has("action=\"" + end_north + "\"")) << "no longer a member to end";
    EXPECT_TRUE(page.has("action=\"" + href + "/members/" + org(blue_river) + "/end\""));
    EXPECT_EQ(occurrences(page.body, "<td>" + shown(Lang::en, "governance.current_member") + "</td>"), 2);
    EXPECT_EQ(scalar_text("SELECT left_on FROM committee_members WHERE committee_id = ? AND organisation_id = ?",
                          {committee, std::stoll(org(north))}),
              day(0))
        << "it left today";
    EXPECT_EQ(admin.submit(href, end_north, "").status, 404) << "ended once";

    // A meeting scheduled, then held with its minutes and those present.
    const std::string meeting = schedule(admin, href, day(0));
    ASSERT_TRUE(std::regex_match(meeting, std::regex("/governance/[0-9]+/meetings/[0-9]+"))) << meeting;
    page = admin.get(meeting);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.meeting_scheduled")));
    EXPECT_TRUE(page.has("1. Bilan du trimestre\n2. Priorités"));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.meeting_status.scheduled") + "</dd>"));
    EXPECT_TRUE(page.has("action=\"" + meeting + "/hold\""));
    EXPECT_TRUE(page.has("action=\"" + meeting + "/cancel\""));
    EXPECT_FALSE(page.has("action=\"" + meeting + "/approve_minutes\""));
    EXPECT_TRUE(page.has("name=\"present\" value=\"" + org(agency) + "\""));
    EXPECT_TRUE(page.has("name=\"present\" value=\"" + org(blue_river) + "\""));
    EXPECT_FALSE(page.has("name=\"present\" value=\"" + org(north) + "\"")) << "no longer a member";
    r = hold(admin, meeting, {agency, blue_river});
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), meeting);
    page = admin.get(meeting);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.meeting_done.hold")));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.meeting_status.held") + "</dd>"));
    EXPECT_TRUE(page.has("Le groupe a revu le bilan et fixé ses priorités."));
    EXPECT_TRUE(page.has("<li>" + agency + "</li>"));
    EXPECT_TRUE(page.has("<li>" + blue_river + "</li>"));
    EXPECT_TRUE(page.has("action=\"" + meeting + "/approve_minutes\""));
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.meeting_history.hold")));
    EXPECT_EQ(status_of("committee_meetings", meeting), "held");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = ?", {last_id(meeting)}), 2);

    // A decision taken at it, followed up by Blue River.
    page = admin.get(href);
    EXPECT_TRUE(page.has("<option value=\"" + std::to_string(last_id(meeting)) + "\">" + day(0) + " — Salle du conseil</option>"))
        << "the meeting held is offered";
    // Taken at the meeting: dated its day.
    const auto logged = scalar("SELECT COUNT(*) FROM governance_decisions");
    r = admin.submit(href, href + "/decisions",
                     decision_form(org(blue_river), day(-1), day(30), std::to_string(last_id(meeting))));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.decision_meeting_day", {day(0)})));
    EXPECT_TRUE(r.has("id=\"decision-error-decided_on\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM governance_decisions"), logged);
    const std::string decision = log_decision(admin, href, blue_river, day(0), day(30), std::to_string(last_id(meeting)));
    ASSERT_TRUE(std::regex_match(decision, std::regex("/governance/[0-9]+/decisions/[0-9]+"))) << decision;
    const std::string reference = scalar_text("SELECT reference FROM governance_decisions WHERE id = ?", {last_id(decision)});
    EXPECT_TRUE(std::regex_match(reference, std::regex("DEC-[0-9]{4}-[0-9]{4}"))) << reference;
    page = admin.get(decision);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.decision_logged")));
    EXPECT_TRUE(page.has("<dd>" + reference + "</dd>"));
    EXPECT_TRUE(page.has("<a href=\"" + meeting + "\">" + day(0) + "</a>"));
    EXPECT_TRUE(page.has("<dd>" + blue_river + "</dd>"));
    EXPECT_TRUE(page.has("<dd>Camille Suivi</dd>"));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.decision_status.open") + "</dd>"));
    EXPECT_TRUE(admin.get(meeting).has("<a href=\"" + decision + "\">" + reference + "</a>")) << "listed at its meeting";
    EXPECT_TRUE(admin.get(href).has("<a href=\"" + decision + "\">" + reference + "</a>"));

    // The yearly report started as a draft.
    const std::string report = start_report(admin, href, last_year());
    ASSERT_TRUE(std::regex_match(report, std::regex("/governance/[0-9]+/reports/[0-9]+"))) << report;
    page = admin.get(report);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.report_started")));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.report_status.draft") + "</dd>"));
    EXPECT_TRUE(page.has("Quatre réunions tenues."));
    EXPECT_TRUE(page.has("action=\"" + report + "/edit\""));
    EXPECT_TRUE(page.has("action=\"" + report + "/circulate\""));
    EXPECT_FALSE(page.has("action=\"" + report + "/sign\"")) << "nothing to sign while a draft";

    // The list shows it with its members and pending decisions.
    list = admin.get("/governance");
    EXPECT_TRUE(lists(list, href));
    EXPECT_TRUE(list.has("<a href=\"" + href + "\">Test committee — Nord</a>"));
}

TEST_F(GovernanceWeb, EveryPageAnswersInBothLanguages) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Langues");
    ASSERT_FALSE(href.empty());
    const std::string meeting = schedule(admin, href, day(0));
    ASSERT_EQ(hold(admin, meeting, {agency}).status, 303);
    const std::string decision = log_decision(admin, href, blue_river, day(0), day(20), std::to_string(last_id(meeting)));
    const std::string report = start_report(admin, href, last_year());
    ASSERT_FALSE(meeting.empty() || decision.empty() || report.empty());
    const std::vector<std::pair<std::string, std::string>> pages = {{"/governance", "governance.list_title"},
                                                                    {"/governance/new", "governance.new_title"},
                                                                    {"/governance/decisions", "governance.log_title"},
                                                                    {href, ""},
                                                                    {meeting, ""},
                                                                    {decision, ""},
                                                                    {report, ""}};
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        for (const auto& [path, title] : pages) {
            SCOPED_TRACE(path);
            auto r = admin.get(path);
            ASSERT_EQ(r.status, 200);
            EXPECT_EQ(occurrences(r.body, "<h1"), 1) << "one main heading";
            EXPECT_TRUE(r.has("<html lang=\"" + std::string(code(lang)) + "\"")) << "in the reader's language";
            EXPECT_TRUE(title.empty() || r.has("<h1>" + shown(lang, title) + "</h1>"));
            EXPECT_TRUE(r.has(nav_link(lang)));
        }
        EXPECT_TRUE(admin.get(href).has(
            "<h1>" + std::string(lang == Lang::fr ? "Comité d’essai — Langues" : "Test committee — Langues") + "</h1>"));
        EXPECT_TRUE(admin.get(meeting).has("<h1>" + shown(lang, "governance.meeting_heading", {day(0)}) + "</h1>"));
        EXPECT_TRUE(admin.get(href).has(org_name(blue_river, lang)));
        EXPECT_TRUE(admin.get(decision).has("<dd>" + org_name(blue_river, lang) + "</dd>"));
        EXPECT_TRUE(admin.get(report).has("<dd>" + shown(lang, "governance.report_status.draft") + "</dd>"));
    }
}

TEST_F(GovernanceWeb, BadInputIsAFieldErrorInTheUsersLanguageAndWritesNothing) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Erreurs");
    ASSERT_FALSE(href.empty());
    const std::string later = schedule(admin, href, day(7));
    const std::string today = schedule(admin, href, day(0));
    ASSERT_FALSE(later.empty() || today.empty());
    const std::string decision = log_decision(admin, href, blue_river, day(0), day(10));
    const std::string report = start_report(admin, href, last_year());
    ASSERT_FALSE(decision.empty() || report.empty());
    const std::string version = captured(admin.get(report).body, "name=\"version\" value=\"([0-9]+)\"");
    ASSERT_FALSE(version.empty());
    const auto before = written();

    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        // A form refused: 422, the message on its field (with the form's id prefix) and in the
        // summary linking to it.
        auto refused = [&](const Reply& r, const std::string& prefix, const std::string& field, const std::string& key) {
            SCOPED_TRACE(prefix + field + ": " + key);
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(key.empty() || r.has(shown(lang, key)));
            EXPECT_TRUE(r.has("id=\"" + prefix + "error-" + field + "\"")) << "the message is on its field";
            EXPECT_TRUE(r.has("href=\"#" + prefix + "field-" + field + "\"")) << "the summary links to it";
        };
        // The committee's own form.
        auto r = admin.submit("/governance/new", "/governance", "name_fr=&name_en=Sans+nom&kind=steering_group");
        refused(r, "", "name_fr", "field.required");
        EXPECT_TRUE(r.has("value=\"Sans nom\"")) << "what was typed is kept";
        refused(admin.submit("/governance/new", "/governance", committee_form("Genre", "bogus")), "", "kind",
                "field.choose_from_list");
        refused(admin.submit("/governance/new", "/governance", committee_form("Genre", "")), "", "kind", "field.required");

        // The member form.
        auto member = [&](const std::string& form) { return admin.submit(href, href + "/members", form); };
        refused(member("organisation=&representative=X"), "member-", "organisation", "field.required");
        refused(member("organisation=999999&representative=X"), "member-", "organisation", "field.choose_from_list");
        refused(member("organisation=abc&representative=X"), "member-", "organisation", "field.choose_from_list");
        refused(member("organisation=" + org(north) + "&representative="), "member-", "representative", "field.required");
        r = member("organisation=" + org(north) + "&representative=Sam&email=" + enc("pas un courriel"));
        refused(r, "member-", "email", "field.email");
        EXPECT_TRUE(r.has("value=\"pas un courriel\""));

        // The meeting form.
        auto meeting = [&](const std::string& form) { return admin.submit(href, href + "/meetings", form); };
        refused(meeting("held_on=2026-02-30&agenda=x"), "meeting-", "held_on", "people.invalid_date");
        refused(meeting("held_on=" + day(3) + "&agenda="), "meeting-", "agenda", "field.required");

        // The decision form.
        auto decide = [&](const std::string& form) { return admin.submit(href, href + "/decisions", form); };
        r = decide(decision_form(org(blue_river), day(1), day(10)));
        refused(r, "decision-", "decided_on", "governance.decided_in_future");
        EXPECT_TRUE(r.has(">Créer un guichet unique.</textarea>")) << "what was typed is kept";
        refused(decide(decision_form(org(blue_river), day(0), day(-1))), "decision-", "due_on", "governance.due_before_decision");
        refused(decide(decision_form("", day(0), day(10))), "decision-", "owner", "governance.owner_required");
        refused(decide(decision_form(org(maple), day(0), day(10))), "decision-", "owner", "governance.owner_not_member");
        refused(decide(decision_form(org(blue_river), day(0), day(10), std::to_string(last_id(later)))), "decision-", "meeting",
                "field.choose_from_list");
        refused(decide(decision_form(org(blue_river), day(0), day(10), "", "")), "decision-", "decision", "field.required");

        // The report form: a year out of range, and a second report for the same year.
        const auto early = admin.submit(href, href + "/reports", report_form("1999"));
        refused(early, "report-", "year", "");
        EXPECT_TRUE(early.has(shown(lang, "field.number_between", {"2000", format_iso(clock_.now()).substr(0, 4)})));
        refused(admin.submit(href, href + "/reports", report_form(last_year(), "")), "report-", "activities", "field.required");
        r = admin.submit(href, href + "/reports", report_form(last_year()));
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "governance.report_exists")));
        EXPECT_TRUE(r.has("role=\"alert\""));

        // Holding a meeting: its minutes and who was present; not before its day.
        refused(hold(admin, today, {}), "hold-", "present", "governance.attendance_required");
        refused(hold(admin, today, {agency}, ""), "hold-", "minutes", "field.required");
        refused(hold(admin, today, {north}), "hold-", "present", "field.choose_from_list");
        r = hold(admin, later, {agency});
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "governance.meeting_not_yet")));
        r = admin.submit(today, today + "/approve_minutes", "");
        EXPECT_EQ(r.status, 409) << "not held yet";
        EXPECT_TRUE(r.has(shown(lang, "lifecycle.not_from_state")));

        // A decision's moves and notes.
        r = admin.submit(decision, decision + "/complete", "note=");
        refused(r, "complete-", "note", "field.required");
        refused(admin.submit(decision, decision + "/cancel", "note=+"), "cancel-", "note", "field.required");
        refused(admin.submit(decision, decision + "/follow-up", "note="), "follow-up-", "note", "field.required");
        r = admin.submit(decision, decision + "/reopen", "note=x");
        EXPECT_EQ(r.status, 409) << "not done";

        // The report's sections: required activities; a stale form.
        refused(admin.submit(report, report + "/edit", "version=" + version + "&activities="), "edit-", "activities",
                "field.required");
        r = admin.submit(report, report + "/submit", "");
        EXPECT_EQ(r.status, 409) << "a draft is not submitted";
    }
    EXPECT_EQ(written(), before);
    EXPECT_EQ(status_of("committee_meetings", today), "scheduled");
    EXPECT_EQ(status_of("governance_decisions", decision), "open");
    EXPECT_EQ(scalar_text("SELECT activities FROM yearly_reports WHERE id = ?", {last_id(report)}), "Quatre réunions tenues.");
}

TEST_F(GovernanceWeb, TheOwnerFollowsUpItsDecisionAndTheAgencyClosesIt) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Suivi");
    ASSERT_FALSE(href.empty());
    const std::string theirs = log_decision(admin, href, blue_river, day(-20), day(-1));
    const std::string agencys = log_decision(admin, href, agency, day(0), day(30));
    ASSERT_FALSE(theirs.empty() || agencys.empty());

    // Overdue: pending and past its due date.
    auto page = admin.get(theirs);
    EXPECT_TRUE(page.has("<strong class=\"arr-overdue\">" + shown(Lang::en, "governance.overdue") + "</strong>"));
    const auto agencys_page = admin.get(agencys);
    ASSERT_EQ(agencys_page.status, 200);
    EXPECT_FALSE(agencys_page.has("<strong class=\"arr-overdue\">"));
    EXPECT_TRUE(admin.get("/governance").has(shown(Lang::en, "governance.overdue_count", {"1"})));

    // Blue River's manager follows up the decision it owns: a note, started, done.
    auto manager = as(manager_email, "en");
    page = manager.get(theirs);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("action=\"" + theirs + "/follow-up\""));
    EXPECT_TRUE(page.has("action=\"" + theirs + "/start\""));
    EXPECT_TRUE(page.has("action=\"" + theirs + "/complete\""));
    EXPECT_FALSE(page.has("action=\"" + theirs + "/cancel\"")) << "the agency's";
    auto r = manager.submit(theirs, theirs + "/follow-up", "note=" + enc("Local trouvé; ouverture prévue en juin."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), theirs + "#history-heading");
    page = manager.get(theirs);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.followed_up")));
    EXPECT_TRUE(page.has("Local trouvé; ouverture prévue en juin."));
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.decision_history.follow_up")));
    EXPECT_EQ(manager.submit(theirs, theirs + "/start", "").status, 303);
    EXPECT_EQ(status_of("governance_decisions", theirs), "in_progress");
    EXPECT_EQ(manager.submit(theirs, theirs + "/complete", "note=" + enc("Guichet ouvert le 2 juin.")).status, 303);
    EXPECT_EQ(status_of("governance_decisions", theirs), "done");
    page = manager.get(theirs);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.decision_done.complete")));
    EXPECT_TRUE(page.has("Guichet ouvert le 2 juin."));
    EXPECT_FALSE(page.has("action=\"" + theirs + "/follow-up\"")) << "closed";
    EXPECT_FALSE(page.has("<strong class=\"arr-overdue\">")) << "done is not overdue";

    // Once done: no more notes; reopening is the agency's.
    const auto closed = written();
    r = manager.submit(theirs, theirs + "/follow-up", "note=encore");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.decision_closed")));
    EXPECT_EQ(manager.submit(theirs, theirs + "/reopen", "note=x").status, 403);
    // The agency's own decision is not theirs to move or note.
    page = manager.get(agencys);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(page.has("action=\"" + agencys + "/follow-up\""));
    EXPECT_FALSE(page.has("action=\"" + agencys + "/start\""));
    EXPECT_EQ(manager.submit(agencys, agencys + "/follow-up", "note=x").status, 403);
    EXPECT_EQ(manager.submit(agencys, agencys + "/start", "").status, 403);
    EXPECT_EQ(written(), closed);

    r = admin.submit(theirs, theirs + "/reopen", "note=" + enc("Le guichet a fermé."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(status_of("governance_decisions", theirs), "in_progress");
    EXPECT_EQ(admin.submit(agencys, agencys + "/cancel", "note=" + enc("Remplacée par une autre décision.")).status, 303);
    EXPECT_EQ(status_of("governance_decisions", agencys), "cancelled");
    EXPECT_EQ(admin.submit(agencys, agencys + "/start", "").status, 409);
}

TEST_F(GovernanceWeb, TheYearlyReportIsSignedByEveryMemberThroughItsPage) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Rapport");
    ASSERT_FALSE(href.empty());
    const std::string report = start_report(admin, href, last_year());
    ASSERT_FALSE(report.empty());

    // Edited from the version shown; a form shown before that change is refused whole.
    const std::string version = captured(admin.get(report).body, "name=\"version\" value=\"([0-9]+)\"");
    ASSERT_FALSE(version.empty());
    auto r = admin.submit(report, report + "/edit", "version=" + version + "&" + report_form(last_year(), "Cinq réunions."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(scalar_text("SELECT activities FROM yearly_reports WHERE id = ?", {last_id(report)}), "Cinq réunions.");
    r = admin.submit(report, report + "/edit", "version=" + version + "&" + report_form(last_year(), "Périmé."));
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.changed_meanwhile")));
    EXPECT_TRUE(r.has(">Cinq réunions.</textarea>")) << "the report as it is now";
    EXPECT_EQ(scalar_text("SELECT activities FROM yearly_reports WHERE id = ?", {last_id(report)}), "Cinq réunions.");

    // Circulated: its figures counted, its digest fixed, every member asked to sign.
    r = admin.submit(report, report + "/circulate", "");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(status_of("yearly_reports", report), "circulating");
    auto page = admin.get(report);
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.report_status.circulating") + "</dd>"));
    const std::string digest = captured(page.body, "<code class=\"arr-hash\">([0-9a-f]{64})</code>");
    ASSERT_FALSE(digest.empty());
    EXPECT_TRUE(page.has("<th scope=\"row\">" + shown(Lang::en, "governance.figure.members") + "</th><td>2</td>"));
    EXPECT_EQ(occurrences(page.body, shown(Lang::en, "governance.awaited")), 2);
    EXPECT_FALSE(page.has("action=\"" + report + "/edit\"")) << "its text is frozen";
    EXPECT_FALSE(page.has("action=\"" + report + "/submit\"")) << "not before every signature";
    EXPECT_TRUE(page.has("action=\"" + report + "/reopen\""));
    r = admin.submit(report, report + "/edit", "version=" + version + "&" + report_form(last_year()));
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.report_frozen")));
    r = admin.submit(report, report + "/submit", "");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.report_unsigned")));

    // Blue River's manager signs for it, as shown, in their language.
    for (const Lang lang : {Lang::fr, Lang::en}) {
        auto manager = as(manager_email, std::string(code(lang)));
        page = manager.get(report);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has(shown(lang, "governance.sign_for", {org_name(blue_river, lang)})));
        EXPECT_TRUE(page.has("name=\"digest\" value=\"" + digest + "\""));
        EXPECT_FALSE(page.has("action=\"" + report + "/circulate\""));
        EXPECT_FALSE(page.has("action=\"" + report + "/reopen\""));
    }
    auto manager = as(manager_email, "en");
    const auto before = written();
    r = manager.submit(report, report + "/sign", "digest=" + std::string(64, '0'));
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.report_changed")));
    EXPECT_EQ(manager.submit(report, report + "/reopen", "").status, 403) << "the agency's";
    EXPECT_EQ(written(), before);
    r = manager.submit(report, report + "/sign", "digest=" + digest);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), report + "#signatures-heading");
    page = manager.get(report);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.report_signed")));
    EXPECT_FALSE(page.has("action=\"" + report + "/sign\"")) << "signed once";
    EXPECT_EQ(occurrences(page.body, shown(Lang::en, "governance.awaited")), 1);
    EXPECT_TRUE(page.has("<td>Robin Gestion-Démo</td>")) << "who signed";
    r = manager.submit(report, report + "/sign", "digest=" + digest);
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.already_signed")));

    // The agency signs for itself, then submits it.
    page = admin.get(report);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.sign_for", {agency})));
    EXPECT_EQ(admin.submit(report, report + "/sign", "digest=" + digest).status, 303);
    page = admin.get(report);
    EXPECT_EQ(occurrences(page.body, shown(Lang::en, "governance.awaited")), 0);
    EXPECT_TRUE(page.has("action=\"" + report + "/submit\""));
    EXPECT_EQ(admin.submit(report, report + "/submit", "note=" + enc("Transmis au bureau régional.")).status, 303);
    EXPECT_EQ(status_of("yearly_reports", report), "submitted");
    page = admin.get(report);
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "governance.report_status.submitted") + "</dd>"));
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.report_history.sign")));
    EXPECT_TRUE(page.has("Transmis au bureau régional."));
    EXPECT_FALSE(page.has(shown(Lang::en, "governance.actions_heading")));
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "governance.signed_of", {"2", "2"})));
}

TEST_F(GovernanceWeb, ReopeningAReportSetsItsSignaturesAside) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Rouvert");
    const std::string report = start_report(admin, href, last_year());
    ASSERT_FALSE(report.empty());
    ASSERT_EQ(admin.submit(report, report + "/circulate", "").status, 303);
    const std::string digest = captured(admin.get(report).body, "name=\"digest\" value=\"([0-9a-f]+)\"");
    ASSERT_FALSE(digest.empty());
    auto manager = as(manager_email, "en");
    ASSERT_EQ(manager.submit(report, report + "/sign", "digest=" + digest).status, 303);
    auto r = admin.submit(report, report + "/reopen", "note=" + enc("Une section à compléter."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(status_of("yearly_reports", report), "draft");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM yearly_report_signatures WHERE report_id = ?", {last_id(report)}), 0);
    auto page = admin.get(report);
    EXPECT_TRUE(page.has(shown(Lang::en, "governance.signatures_later")));
    EXPECT_TRUE(page.has("action=\"" + report + "/edit\""));
    EXPECT_FALSE(manager.get(report).has("action=\"" + report + "/sign\""));
}

TEST_F(GovernanceWeb, TheDecisionsLogIsFilteredAndExported) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Registre");
    const std::string other = committee_of_two(admin, "Autre registre");
    ASSERT_FALSE(href.empty() || other.empty());
    const std::string late = log_decision(admin, href, blue_river, day(-20), day(-1), "", "Décision en retard");
    const std::string far = log_decision(admin, href, agency, day(0), day(60), "", "Décision lointaine");
    const std::string done = log_decision(admin, href, blue_river, day(0), day(10), "", "Décision réalisée");
    const std::string elsewhere = log_decision(admin, other, blue_river, day(0), day(5), "", "Décision d’ailleurs");
    ASSERT_FALSE(late.empty() || far.empty() || done.empty() || elsewhere.empty());
    ASSERT_EQ(admin.submit(done, done + "/complete", "note=fait").status, 303);
    const std::string c = std::to_string(last_id(href));
    auto reference = [&](const std::string& d) {
        return scalar_text("SELECT reference FROM governance_decisions WHERE id = ?", {last_id(d)});
    };

    auto r = admin.get("/governance/decisions?committee=" + c);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, late) && lists(r, far) && lists(r, done));
    EXPECT_FALSE(lists(r, elsewhere));
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.decision_count", {"3"})));
    EXPECT_TRUE(r.has("<option value=\"" + c + "\" selected>")) << "the filter keeps its choice";
    EXPECT_TRUE(r.has("href=\"/governance/decisions/export.csv?committee=" + c + "\""));
    // Pending first by due date, then the rest.
    EXPECT_LT(r.body.find(reference(late)), r.body.find(reference(far)));
    EXPECT_LT(r.body.find(reference(far)), r.body.find(reference(done)));

    r = admin.get("/governance/decisions?committee=" + c + "&status=done");
    EXPECT_TRUE(lists(r, done));
    EXPECT_FALSE(lists(r, late) || lists(r, far));
    r = admin.get("/governance/decisions?committee=" + c + "&owner=" + org(agency));
    EXPECT_TRUE(lists(r, far));
    EXPECT_FALSE(lists(r, late) || lists(r, done));
    r = admin.get("/governance/decisions?committee=" + c + "&due=overdue");
    EXPECT_TRUE(lists(r, late));
    EXPECT_FALSE(lists(r, far) || lists(r, done));
    EXPECT_TRUE(r.has("<strong class=\"arr-overdue\">" + shown(Lang::en, "governance.overdue") + "</strong>"));
    r = admin.get("/governance/decisions?committee=" + c + "&due=soon");
    EXPECT_TRUE(lists(r, late));
    EXPECT_FALSE(lists(r, far) || lists(r, done)) << "due in 60 days, or done";
    r = admin.get("/governance/decisions?owner=" + org(blue_river));
    EXPECT_TRUE(lists(r, late) && lists(r, done) && lists(r, elsewhere));
    EXPECT_FALSE(lists(r, far));

    const auto all = scalar(
        "SELECT COUNT(*) FROM governance_decisions g JOIN committees c ON c.id = g.committee_id WHERE c.sda_id = "
        "(SELECT sda_id FROM committees WHERE id = ?)",
        {last_id(href)});
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
                 {"status=bogus", "status"}, {"due=later", "due"}, {"committee=abc", "committee"}, {"owner=abc", "owner"}}) {
            SCOPED_TRACE(query);
            r = admin.get("/governance/decisions?" + query);
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));
            EXPECT_TRUE(r.has("id=\"error-" + field + "\""));
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\""));
            EXPECT_TRUE(lists(r, late) && lists(r, far) && lists(r, done) && lists(r, elsewhere)) << "the whole log";
            EXPECT_TRUE(r.has(shown(lang, "governance.decision_count", {std::to_string(all)})));
            EXPECT_TRUE(r.has("href=\"/governance/decisions/export.csv\"")) << "the export does not carry a bad filter";
            EXPECT_EQ(admin.get("/governance/decisions/export.csv?" + query).status, 422);
        }
        r = admin.get("/governance/decisions?status=" + enc("<b>nope</b>"));
        EXPECT_EQ(r.status, 422);
        EXPECT_FALSE(r.has("<b>nope</b>"));

        auto csv = admin.get("/governance/decisions/export.csv?committee=" + c);
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_EQ(csv.header("content-disposition"), "attachment; filename=\"decisions.csv\"");
        std::string header;
        for (const char* col : {"reference", "committee", "decided_on", "decision", "decided_by", "owner", "owner_person",
                                "due_on", "status", "overdue", "meeting"})
            header += (header.empty() ? "\"" : ",\"") + app_->catalogue().t(lang, std::string("governance.col.") + col) + "\"";
        EXPECT_EQ(csv.body.rfind(header + "\r\n", 0), 0u) << csv.body.substr(0, 300);
        EXPECT_TRUE(csv.has("\"" + reference(late) + "\",\"" +
                            std::string(lang == Lang::fr ? "Comité d’essai — Registre" : "Test committee — Registre") + "\",\"" +
                            day(-20) + "\",\"Décision en retard\","));
        EXPECT_TRUE(csv.has("\"" + app_->catalogue().t(lang, "governance.decision_status.done") + "\""));
        EXPECT_FALSE(csv.has(reference(elsewhere)));
        EXPECT_EQ(occurrences(csv.body, "\r\n"), 4) << "a header and one line per decision";
    }
}

TEST_F(GovernanceWeb, EachReaderSeesWhatIsTheirsAndOnlyTheAgencyChangesIt) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Lecteurs");
    ASSERT_FALSE(href.empty());
    const std::string meeting = schedule(admin, href, day(0));
    const std::string decision = log_decision(admin, href, blue_river, day(0), day(10));
    const std::string report = start_report(admin, href, last_year());
    ASSERT_FALSE(meeting.empty() || decision.empty() || report.empty());
    const std::string reference = scalar_text("SELECT reference FROM governance_decisions WHERE id = ?", {last_id(decision)});
    const std::string version = captured(admin.get(report).body, "name=\"version\" value=\"([0-9]+)\"");
    // Every form the agency posts, each valid.
    const std::vector<std::pair<std::string, std::string>> agency_forms = {
        {"/governance", committee_form("Refusé")},
        {href + "/members", "organisation=" + org(north) + "&representative=X"},
        {href + "/members/" + org(blue_river) + "/end", ""},
        {href + "/meetings", "held_on=" + day(3) + "&agenda=x"},
        {href + "/decisions", decision_form(org(blue_river), day(0), day(10))},
        {href + "/reports", report_form(std::to_string(date_of(clock_.now()).year))},
        {meeting + "/hold", "minutes=x&present=" + org(agency)},
        {meeting + "/cancel", ""},
        {report + "/edit", "version=" + version + "&" + report_form(last_year())},
        {report + "/circulate", ""},
        {decision + "/cancel", "note=x"},
    };
    const auto before = written();

    // Blue River's manager reads the committee its organisation sits on, and changes none of it.
    auto manager = as(manager_email, "en");
    auto r = manager.get("/governance");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, href));
    EXPECT_FALSE(r.has("href=\"/governance/new\""));
    r = manager.get(href);
    ASSERT_EQ(r.status, 200);
    for (const char* form : {"/members\"", "/meetings\"", "/decisions\"", "/reports\""})
        EXPECT_FALSE(r.has("action=\"" + href + form)) << form;
    EXPECT_FALSE(r.has("action=\"" + href + "/members/" + org(blue_river) + "/end\"")) << "no end-membership button";
    r = manager.get(meeting);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("action=\"" + meeting + "/hold\""));
    r = manager.get(report);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("action=\"" + report + "/edit\""));
    EXPECT_TRUE(manager.get("/governance/decisions").has(reference));
    EXPECT_EQ(manager.get("/governance/new").status, 403);
    for (const auto& [target, form] : agency_forms) {
        r = manager.submit(href, target, form);
        EXPECT_EQ(r.status, 403) << target;
        EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
    }

    // Maple's manager: not a member, so nothing to see.
    auto maple_manager = as("manager2@demo.arrimage.invalid", "en");
    const auto maple_list = maple_manager.get("/governance");
    ASSERT_EQ(maple_list.status, 200);
    EXPECT_FALSE(lists(maple_list, href));
    EXPECT_EQ(maple_manager.get(href).status, 404);
    EXPECT_EQ(maple_manager.get(meeting).status, 404);
    EXPECT_EQ(maple_manager.get(decision).status, 404);
    EXPECT_EQ(maple_manager.get(report).status, 404);
    const auto maple_log = maple_manager.get("/governance/decisions");
    ASSERT_EQ(maple_log.status, 200);
    EXPECT_FALSE(maple_log.has(reference));
    const auto maple_csv = maple_manager.get("/governance/decisions/export.csv");
    ASSERT_EQ(maple_csv.status, 200);
    EXPECT_FALSE(maple_csv.has(reference));
    EXPECT_EQ(maple_manager.submit("/governance", decision + "/follow-up", "note=x").status, 404);

    // The ministry's analyst reads every area's and changes nothing.
    auto analyst = as(analyst_email, "en");
    r = analyst.get("/governance");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.analyst_intro")));
    EXPECT_TRUE(lists(r, href));
    EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(Lang::en, "governance.col.area") + "</th>"));
    r = analyst.get(href);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("action=\"" + href + "/members\""));
    r = analyst.get(decision);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("action=\"" + decision + "/follow-up\""));
    EXPECT_TRUE(analyst.get("/governance/decisions/export.csv").has(reference));
    EXPECT_EQ(analyst.get("/governance/new").status, 403);
    for (const auto& [target, form] : agency_forms) EXPECT_EQ(analyst.submit(href, target, form).status, 403) << target;
    EXPECT_EQ(analyst.submit(href, decision + "/follow-up", "note=x").status, 403);
    EXPECT_EQ(analyst.submit(href, decision + "/start", "").status, 403);
    EXPECT_EQ(analyst.submit(report, report + "/sign", "digest=x").status, 403);

    // A coordinator, a privacy officer: refused everything, by the pages.
    for (const char* other : {"coord1@demo.arrimage.invalid", "privacy@demo.arrimage.invalid"}) {
        SCOPED_TRACE(other);
        auto c = as(other, "en");
        for (const std::string& path :
             {std::string("/governance"), std::string("/governance/new"), std::string("/governance/decisions"),
              std::string("/governance/decisions/export.csv"), href, meeting, decision, report})
            EXPECT_EQ(c.get(path).status, 403) << path;
        for (const auto& [target, form] : agency_forms) {
            r = c.submit("/", target, form);
            EXPECT_EQ(r.status, 403) << target;
            EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf")));
        }
        EXPECT_EQ(c.submit("/", decision + "/follow-up", "note=x").status, 403);
        EXPECT_EQ(c.submit("/", report + "/sign", "digest=x").status, 403);
        EXPECT_FALSE(c.get("/").has("href=\"/governance\"")) << "no link to what they may not open";
    }

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get("/governance");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.post("/governance", committee_form("Anonyme")).status, 401);
    EXPECT_EQ(visitor.post(decision + "/follow-up", "note=x").status, 401);

    EXPECT_EQ(written(), before);
}

TEST_F(GovernanceWeb, WhatIsNotThereOrNotOfTheCommitteeIsNotFound) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Introuvable");
    const std::string other = committee_of_two(admin, "Autre");
    ASSERT_FALSE(href.empty() || other.empty());
    const std::string meeting = schedule(admin, href, day(0));
    const std::string decision = log_decision(admin, href, blue_river, day(0), day(10));
    const std::string report = start_report(admin, href, last_year());
    ASSERT_FALSE(meeting.empty() || decision.empty() || report.empty());
    const std::string m = std::to_string(last_id(meeting)), d = std::to_string(last_id(decision)),
                      y = std::to_string(last_id(report));
    const auto before = written();
    for (const std::string& path :
         {std::string("/governance/999999"), std::string("/governance/abc"), std::string("/governance/0"),
          href + "/meetings/999999", href + "/meetings/abc", other + "/meetings/" + m, href + "/decisions/999999",
          href + "/decisions/x", other + "/decisions/" + d, href + "/reports/999999", other + "/reports/" + y})
        EXPECT_EQ(admin.get(path).status, 404) << path;
    for (const auto& [target, form] : std::vector<std::pair<std::string, std::string>>{
             {"/governance/999999/members", "organisation=" + org(north) + "&representative=X"},
             {"/governance/abc/meetings", "held_on=" + day(1) + "&agenda=x"},
             {href + "/members/abc/end", ""},
             {href + "/members/" + org(north) + "/end", ""},
             {meeting + "/nonsense", ""},
             {meeting + "/record", ""},
             {other + "/meetings/" + m + "/cancel", ""},
             {decision + "/nonsense", "note=x"},
             {other + "/decisions/" + d + "/follow-up", "note=x"},
             {other + "/decisions/" + d + "/cancel", "note=x"},
             {report + "/nonsense", ""},
             {other + "/reports/" + y + "/circulate", ""},
             {other + "/reports/" + y + "/sign", "digest=x"},
             {"/governance/999999/reports", report_form(last_year())}})
        EXPECT_EQ(admin.submit(href, target, form).status, 404) << target;
    EXPECT_EQ(written(), before);
}

// Another area's administrator: the demo area's committees are not theirs to see or change, and
// their committees take none of the demo area's organisations as members.
TEST_F(GovernanceWeb, AnotherAreasAdministratorNeitherSeesNorChangesThem) {
    auto admin = as(admin_email, "en");
    const std::string href = committee_of_two(admin, "Zone Est");
    ASSERT_FALSE(href.empty());
    const std::string decision = log_decision(admin, href, blue_river, day(0), day(10));
    ASSERT_FALSE(decision.empty());
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = west;
        o.name_fr = "Agence Ouest";
        o.name_en = "West Agency";
        o.sector = domain::Sector::social_services;
        o.csp_roles = {domain::CspRole::coordinating_agency};
        const auto west_agency = *repo.create_organisation(o, 0);
        const auto user = *repo.create_user({"west.admin@example.org", "West Admin", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {west_agency, domain::Role::ca_admin}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password("west admin password", PasswordHashCost::minimum()));
        tx->commit();
    }
    Client west(port_);
    ASSERT_EQ(west.submit("/login", "/login", "email=west.admin%40example.org&password=west+admin+password").status, 303);
    west.set_cookie("arrimage_lang", "en");
    const auto before = written();
    auto r = west.get("/governance");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, href));
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.none")));
    EXPECT_EQ(west.get(href).status, 404);
    EXPECT_EQ(west.get(decision).status, 404);
    const auto west_log = west.get("/governance/decisions");
    ASSERT_EQ(west_log.status, 200);
    EXPECT_FALSE(west_log.has("<a href=\"" + decision + "\">"));
    EXPECT_EQ(west.submit("/governance", href + "/members", "organisation=" + org(north) + "&representative=X").status, 404);
    EXPECT_EQ(west.submit("/governance", href + "/meetings", "held_on=" + day(1) + "&agenda=x").status, 404);
    EXPECT_EQ(west.submit("/governance", decision + "/cancel", "note=x").status, 404);
    EXPECT_EQ(written(), before);

    // Its own committee offers its own organisations only, and refuses the demo area's.
    const std::string theirs = create(west, "Ouest");
    ASSERT_FALSE(theirs.empty());
    auto page = west.get(theirs);
    EXPECT_TRUE(page.has(">West Agency</option>"));
    EXPECT_FALSE(page.has(">" + north + "</option>"));
    r = add_member(west, theirs, north, "Intrus");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "governance.member_other_area")));
    EXPECT_TRUE(r.has("id=\"member-error-organisation\""));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM committee_members WHERE committee_id = ?", {last_id(theirs)}), 0);
}

TEST_F(GovernanceWeb, EveryReaderOfGovernanceHasItsLink) {
    for (const char* reader : {admin_email.c_str(), analyst_email.c_str(), manager_email.c_str()})
        for (const Lang lang : {Lang::fr, Lang::en})
            EXPECT_TRUE(as(reader, std::string(code(lang))).get("/").has(nav_link(lang))) << reader;
    for (const char* other : {"coord1@demo.arrimage.invalid", "privacy@demo.arrimage.invalid", "sysadmin@demo.arrimage.invalid"})
        EXPECT_FALSE(as(other, "en").get("/").has("href=\"/governance\"")) << other;
}
