// Integration maturity over HTTP, on the demo data (pages_maturity.cpp): the coordinating
// agency's administrator records assessments of the area and of its partnership through the form;
// each assessment's page shows its levels with what they mean, its evidence and marks; a subject's
// history draws its chart from the table beside it and offers two assessments to compare; the
// comparison says each dimension's movement in words. Bad input is a field error in the user's
// language and writes nothing; an address whose ids are not numbers, or that compares two
// subjects, is a bad request naming the field. A provider manager and the ministry's analyst
// read, another area's administrator sees none of the area's assessments, anyone else is refused.
// The demo's own assessments (app/demo_network.cpp) are counted, never assumed.
#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <string>
#include <utility>
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

const std::string admin_email = "ca.admin@demo.arrimage.invalid";
const std::string manager_email = "manager1@demo.arrimage.invalid";
const std::string analyst_email = "analyst@demo.arrimage.invalid";
const std::string coordinator_email = "coord1@demo.arrimage.invalid";

// The catalogue's order (domain::all_maturity_dimensions(), all_integration_marks()).
const std::array<std::string, 6> dimensions = {"entry_points", "information_exchange", "management", "funding", "equipment",
                                               "clientele"};
const std::array<std::string, 4> marks = {"multidisciplinary_teams", "collective_decision_body", "consumer_focused",
                                          "formal_agreements"};
const std::array<std::string, 5> levels = {"fragmented", "cooperation", "coordination", "collaboration", "integrated"};

// An assessment as its form posts it: a level (its rank, 0 for none) and evidence per
// dimension, whether each mark is held and its evidence.
struct Answers {
    std::string assessed_on, subject = "area";
    std::array<int, 6> ranks = {2, 2, 2, 2, 2, 2};
    std::array<std::string, 6> evidence;
    std::array<bool, 4> held = {false, false, false, false};
    std::array<std::string, 4> mark_evidence;
    std::string summary;

    std::string form() const {
        std::string f = "assessed_on=" + enc(assessed_on) + "&subject=" + enc(subject);
        for (std::size_t i = 0; i < dimensions.size(); ++i) {
            if (ranks[i] > 0) f += "&level_" + dimensions[i] + "=" + levels[ranks[i] - 1];
            f += "&evidence_" + dimensions[i] + "=" + enc(evidence[i]);
        }
        for (std::size_t i = 0; i < marks.size(); ++i) {
            if (held[i]) f += "&mark_" + marks[i] + "=1";
            f += "&mark_evidence_" + marks[i] + "=" + enc(mark_evidence[i]);
        }
        return f + "&summary=" + enc(summary);
    }
};

}  // namespace

class NetworkWeb : public testsupport::DemoServerTest {
  protected:
    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // The day `n` days from today on the app's clock (before it when negative).
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    // The demo administrator's area.
    std::int64_t area() {
        return scalar(
            "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON "
            "o.id = m.organisation_id WHERE u.email = ?",
            {admin_email});
    }
    // The area's partnership in force (the Youth Crisis Line's, app/demo_agreements.cpp) and the
    // one that was terminated (the summer respite pilot's).
    std::int64_t partnership(const std::string& title_start, const std::string& status) {
        return scalar("SELECT id FROM agreements WHERE kind = 'partnership' AND status = ? AND title_en LIKE ?",
                      {status, title_start + "%"});
    }
    std::int64_t crisis_line() { return partnership("Collaboration agreement — Youth Crisis Line", "active"); }
    std::int64_t respite_pilot() { return partnership("Partnership agreement — summer respite pilot", "terminated"); }
    // Rows of the assessments' tables: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM maturity_assessments) + (SELECT COUNT(*) FROM maturity_answers) + "
            "(SELECT COUNT(*) FROM maturity_marks)");
    }
    // The area's own assessments (agreement_id NULL) or a partnership's, newest first.
    std::vector<std::int64_t> history_ids(std::int64_t sda, std::int64_t agreement = 0) {
        std::vector<std::int64_t> out;
        auto tx = t_->db->begin(store::TxMode::read);
        const std::string sql = agreement ? "SELECT id FROM maturity_assessments WHERE sda_id = ? AND agreement_id = ? "
                                            "ORDER BY assessed_on DESC, id DESC"
                                          : "SELECT id FROM maturity_assessments WHERE sda_id = ? AND agreement_id IS NULL "
                                            "ORDER BY assessed_on DESC, id DESC";
        store::Params params = {sda};
        if (agreement) params.emplace_back(agreement);
        for (const auto& r : tx->query(sql, params)) out.push_back(r.i64(0));
        return out;
    }
    std::string history_href(std::int64_t sda, const std::string& subject) {
        return "/network/maturity/history?area=" + std::to_string(sda) + "&subject=" + subject;
    }
    // Each dimension with evidence, levels from `ranks`.
    Answers answers(const std::string& on, std::array<int, 6> ranks, const std::string& tag) {
        Answers a;
        a.assessed_on = on;
        a.ranks = ranks;
        for (std::size_t i = 0; i < dimensions.size(); ++i) a.evidence[i] = "Constat " + tag + " — " + dimensions[i];
        return a;
    }
    // Records an assessment through its form: its page's address ("" when refused).
    std::string record(Client& c, const Answers& a) {
        auto r = c.submit("/network/maturity/new", "/network/maturity", a.form());
        EXPECT_EQ(r.status, 303) << r.body;
        return r.status == 303 ? r.header("location") : std::string();
    }
    static std::int64_t id_of(const std::string& href) {
        return std::stoll(href.substr(std::string("/network/maturity/").size()));
    }
    std::string level(Lang lang, int rank) { return shown(lang, "network.maturity.level." + levels[rank - 1]); }
    // "Coordination (3)", as the tables show a level.
    std::string level_text(Lang lang, int rank) {
        return shown(lang, "network.maturity.level_value",
                     {std::to_string(rank), app_->catalogue().t(lang, "network.maturity.level." + levels[rank - 1])});
    }
    std::string dimension(Lang lang, std::size_t i) { return shown(lang, "network.maturity.dimension." + dimensions[i]); }
    std::string nav_link(Lang lang) { return "<a href=\"/network\">" + shown(lang, "nav.network") + "</a>"; }
};

// The landing page leads to the feature's parts, in both languages, for the three roles that read
// them; the navigation links to it.
TEST_F(NetworkWeb, TheLandingPageLinksToTheFeaturesParts) {
    for (const auto& email : {admin_email, manager_email, analyst_email}) {
        for (const Lang lang : {Lang::fr, Lang::en}) {
            SCOPED_TRACE(email + " " + std::string(code(lang)));
            auto c = as(email, std::string(code(lang)));
            auto r = c.get("/network");
            ASSERT_EQ(r.status, 200);
            EXPECT_TRUE(r.has("<h1>" + shown(lang, "network.home.title") + "</h1>"));
            EXPECT_TRUE(r.has("<a href=\"/network/maturity\">" + shown(lang, "network.home.maturity_link") + "</a>"));
            EXPECT_TRUE(r.has(shown(lang, "network.home.maturity_text")));
            EXPECT_TRUE(r.has("<a href=\"/network/plans\">" + shown(lang, "network.home.plans_link") + "</a>"));
            EXPECT_TRUE(r.has(shown(lang, "network.home.plans_text")));
            EXPECT_TRUE(r.has("<a href=\"/network/map\">" + shown(lang, "network.home.map_link") + "</a>"));
            EXPECT_TRUE(r.has(nav_link(lang)));
            EXPECT_TRUE(c.get("/").has(nav_link(lang)));
            auto list = c.get("/network/maturity");
            ASSERT_EQ(list.status, 200);
            EXPECT_TRUE(list.has("<a href=\"/network\">" + shown(lang, "network.maturity.back_network") + "</a>"));
            EXPECT_TRUE(list.has(nav_link(lang)));
        }
    }
    auto coordinator = as(coordinator_email, "en");
    EXPECT_FALSE(coordinator.get("/").has("href=\"/network\"")) << "no link to what they may not open";
}

// The landing page says where the network stands: the area's latest assessment, the plans whose
// review is due or overdue, the organisations no agreement in force connects, and compliance with
// required trainings; each from what the reader may see.
TEST_F(NetworkWeb, TheLandingPageSummarisesWhereTheNetworkStands) {
    // A message with its numbers as a pattern (the counts of the map and of compliance are the
    // map's and the compliance page's own, tested there).
    auto pattern = [&](Lang lang, const std::string& key, std::size_t args) {
        std::vector<std::string> marks;
        for (std::size_t i = 0; i < args; ++i) marks.push_back("\x01");
        std::string text = shown(lang, key, marks), out;
        for (std::size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\x01') {
                out += "[0-9]+";
            } else if (std::string("\\^$.|?*+()[]{}").find(text[i]) != std::string::npos) {
                out += std::string("\\") + text[i];
            } else {
                out += text[i];
            }
        }
        return std::regex(out);
    };
    const auto sda = area();
    const auto due = scalar(
        "SELECT COUNT(DISTINCT p.id) FROM community_plans p JOIN community_plan_areas a ON a.plan_id = p.id WHERE a.sda_id = ? "
        "AND p.status <> 'retired' AND p.next_review_on <> '' AND p.next_review_on >= ? AND p.next_review_on <= ?",
        {sda, day(0), day(90)});
    const auto overdue = scalar(
        "SELECT COUNT(DISTINCT p.id) FROM community_plans p JOIN community_plan_areas a ON a.plan_id = p.id WHERE a.sda_id = ? "
        "AND p.status <> 'retired' AND p.next_review_on <> '' AND p.next_review_on < ?",
        {sda, day(0)});
    const auto stage = scalar_text(
        "SELECT stage || ' ' || assessed_on FROM maturity_assessments WHERE sda_id = ? AND agreement_id IS NULL ORDER BY "
        "assessed_on DESC, id DESC LIMIT 1",
        {sda});
    const auto area_en = scalar_text("SELECT name_en FROM service_delivery_areas WHERE id = ?", {sda});
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto r = as(admin_email, std::string(code(lang))).get("/network");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has(shown(lang, "network.home.summary.plans", {std::to_string(due), std::to_string(overdue)})));
        EXPECT_TRUE(std::regex_search(r.body, pattern(lang, "network.home.summary.map", 3)));
        EXPECT_TRUE(std::regex_search(r.body, pattern(lang, "network.home.summary.compliance", 3)));
        if (lang == Lang::en) {
            const std::string level = stage.substr(0, stage.find(' ')), on = stage.substr(stage.find(' ') + 1);
            EXPECT_TRUE(r.has(shown(lang, "network.home.summary.maturity",
                                    {area_en, app_->catalogue().t(lang, "network.maturity.level." + level), on})))
                << "the demo assesses its area";
        }
    }
    // The ministry's analyst: every area, and the same parts.
    auto analyst = as(analyst_email, "en").get("/network");
    ASSERT_EQ(analyst.status, 200);
    EXPECT_TRUE(std::regex_search(analyst.body, pattern(Lang::en, "network.home.summary.compliance", 3)));
    EXPECT_TRUE(std::regex_search(analyst.body, pattern(Lang::en, "network.home.summary.plans", 2)));
}

// Who may read and who may record: the agency records; a provider manager and the ministry's
// analyst read; a coordinator is refused everything; visitors sign in first.
TEST_F(NetworkWeb, EachRoleReadsOrRecordsWhatItMay) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, answers(day(-3), {2, 3, 2, 1, 2, 2}, "accès"));
    ASSERT_FALSE(href.empty());
    const std::string history = history_href(area(), "area");
    const std::string valid = answers(day(0), {3, 3, 3, 3, 3, 3}, "refusée").form();
    const auto before = written();

    auto r = admin.get("/network/maturity");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("href=\"/network/maturity/new\""));
    EXPECT_EQ(admin.get("/network/maturity/new").status, 200);
    EXPECT_EQ(admin.get(history).status, 200);
    EXPECT_EQ(admin.get(href).status, 200);

    for (const auto& email : {manager_email, analyst_email}) {
        SCOPED_TRACE(email);
        auto reader = as(email, "en");
        r = reader.get("/network/maturity");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(
            r.has("href=\"" + std::string("/network/maturity/history?area=") + std::to_string(area()) + "&amp;subject=area\""));
        EXPECT_FALSE(r.has("href=\"/network/maturity/new\""));
        r = reader.get(history);
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<a href=\"" + href + "\">" + day(-3) + "</a>"));
        EXPECT_FALSE(r.has("/network/maturity/new")) << "nothing to record";
        r = reader.get(href);
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("Constat accès — funding"));
        EXPECT_EQ(reader.get("/network/maturity/new").status, 403);
        EXPECT_EQ(reader.submit("/network", "/network/maturity", valid).status, 403);
        EXPECT_EQ(reader.get("/network/maturity/999999").status, 404);
    }
    EXPECT_TRUE(as(analyst_email, "en").get("/network/maturity").has(shown(Lang::en, "network.maturity.analyst_intro")));

    auto coordinator = as(coordinator_email, "en");
    for (const std::string& path :
         {std::string("/network"), std::string("/network/maturity"), history, href, std::string("/network/maturity/new"),
          "/network/maturity/compare?from=" + std::to_string(id_of(href)) + "&to=" + std::to_string(id_of(href))}) {
        SCOPED_TRACE(path);
        EXPECT_EQ(coordinator.get(path).status, 403);
    }
    r = coordinator.submit("/", "/network/maturity", valid);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";

    Client visitor(port_);
    for (const std::string& path : {std::string("/network"), std::string("/network/maturity"), history, href}) {
        SCOPED_TRACE(path);
        r = visitor.get(path);
        EXPECT_EQ(r.status, 303);
        EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    }
    EXPECT_EQ(visitor.post("/network/maturity", valid).status, 401);
    EXPECT_EQ(written(), before);
}

// The form offers the area and its partnership in force, dated today, each level described as the
// seed describes it; recorded, the assessment opens on its page with its levels, what they mean,
// its evidence, marks, summary, score and stage.
TEST_F(NetworkWeb, TheAgencyRecordsAnAssessmentThroughItsForm) {
    ASSERT_NE(crisis_line(), 0);
    ASSERT_NE(respite_pilot(), 0);
    auto admin = as(admin_email, "en");
    auto form = admin.get("/network/maturity/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<h1>" + shown(Lang::en, "network.maturity.new_title") + "</h1>"));
    EXPECT_TRUE(form.has("action=\"/network/maturity\""));
    EXPECT_TRUE(form.has("name=\"assessed_on\" value=\"" + day(0) + "\"")) << "dated today";
    EXPECT_TRUE(form.has("<option value=\"area\">"));
    EXPECT_TRUE(form.has("<option value=\"" + std::to_string(crisis_line()) + "\">"));
    EXPECT_FALSE(form.has("<option value=\"" + std::to_string(respite_pilot()) + "\"")) << "terminated";
    for (std::size_t i = 0; i < dimensions.size(); ++i) {
        SCOPED_TRACE(dimensions[i]);
        EXPECT_TRUE(form.has("<legend class=\"ontario-fieldset__legend\">" + dimension(Lang::en, i)));
        for (int rank = 1; rank <= 5; ++rank) {
            const std::string id = "level_" + dimensions[i] + "-" + std::to_string(rank - 1);
            EXPECT_TRUE(form.has("id=\"field-" + id + "\" name=\"level_" + dimensions[i] + "\" value=\"" + levels[rank - 1] +
                                 "\" aria-describedby=\"hint-" + id + "\""));
            EXPECT_TRUE(form.has("<label for=\"field-" + id + "\">" + level(Lang::en, rank) + "</label>"));
            EXPECT_TRUE(form.has("<p class=\"arr-hint\" id=\"hint-" + id + "\">" +
                                 shown(Lang::en, "network.maturity.describe." + dimensions[i] + "." + levels[rank - 1]) +
                                 "</p>"));
        }
        EXPECT_TRUE(form.has("name=\"evidence_" + dimensions[i] + "\""));
    }
    for (const auto& m : marks) {
        EXPECT_TRUE(form.has("<input type=\"checkbox\" id=\"field-mark_" + m + "\" name=\"mark_" + m + "\" value=\"1\""));
        EXPECT_TRUE(form.has(shown(Lang::en, "network.maturity.mark_help." + m)));
        EXPECT_TRUE(form.has("name=\"mark_evidence_" + m + "\""));
    }
    // ?subject= chooses the partnership; anything else leaves the choice open.
    const std::string crisis = std::to_string(crisis_line());
    EXPECT_TRUE(admin.get("/network/maturity/new?subject=" + crisis).has("<option value=\"" + crisis + "\" selected>"));
    EXPECT_FALSE(admin.get("/network/maturity/new?subject=nonsense").has("\" selected>"));

    const auto before = written();
    Answers a = answers(day(-2), {3, 4, 1, 1, 3, 2}, "enregistrée");
    a.evidence[0] = "Les points d’entrée sont publiés dans le répertoire.\nChaque partenaire les connaît.";
    a.held = {true, true, false, false};
    a.mark_evidence = {"Équipe conjointe du jeudi.", "Table de gouvernance mensuelle.", "", ""};
    a.summary = "Progrès sur l’échange de renseignements.";
    const std::string href = record(admin, a);
    ASSERT_FALSE(href.empty());
    EXPECT_EQ(written(), before + 1 + 6 + 4);
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "network.maturity.recorded"))) << "said once, after the redirect";
    EXPECT_EQ(scalar("SELECT score_tenths FROM maturity_assessments WHERE id = ?", {id_of(href)}), 23);

    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        for (std::size_t i = 0; i < dimensions.size(); ++i) {
            const int rank = a.ranks[i];
            EXPECT_TRUE(page.has("<tr><th scope=\"row\">" + dimension(lang, i) + "</th><td>" + level_text(lang, rank) +
                                 "</td><td>" +
                                 shown(lang, "network.maturity.describe." + dimensions[i] + "." + levels[rank - 1]) + "</td>"))
                << dimensions[i];
        }
        EXPECT_TRUE(page.has(a.evidence[0]));
        EXPECT_TRUE(page.has("Constat enregistrée — funding"));
        EXPECT_TRUE(page.has("Équipe conjointe du jeudi."));
        EXPECT_TRUE(page.has("Table de gouvernance mensuelle."));
        EXPECT_TRUE(page.has("<tr><th scope=\"row\">" + shown(lang, "network.maturity.mark.consumer_focused") + "</th><td>" +
                             shown(lang, "network.maturity.mark_not_held") + "</td>"));
        EXPECT_TRUE(page.has(a.summary));
        EXPECT_TRUE(page.has("Claude Admin-Démo"));
        EXPECT_TRUE(page.has(day(-2)));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.maturity.score_value", {lang == Lang::fr ? "2,3" : "2.3"}) + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + level(lang, 2) + "</dd>")) << "the stage: the mean rounded down";
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.maturity.marks_held_value", {"2", "4"}) + "</dd>"));
    }
    // The link comparing it with the assessment before it.
    const auto ids = history_ids(area());
    ASSERT_GE(ids.size(), 1u);
    EXPECT_EQ(ids.front(), id_of(href)) << "the newest of the area";
    if (ids.size() > 1) {
        EXPECT_TRUE(admin.get(href).has("href=\"/network/maturity/compare?from=" + std::to_string(ids[1]) +
                                        "&amp;to=" + std::to_string(id_of(href)) + "\""));
    }

    // The partnership's own history.
    Answers p = answers(day(-1), {2, 2, 2, 2, 2, 2}, "partenariat");
    p.subject = crisis;
    const std::string partnership_href = record(admin, p);
    ASSERT_FALSE(partnership_href.empty());
    EXPECT_EQ(scalar("SELECT agreement_id FROM maturity_assessments WHERE id = ?", {id_of(partnership_href)}), crisis_line());
    EXPECT_EQ(history_ids(area(), crisis_line()).front(), id_of(partnership_href));
}

// A level missing, evidence missing, a mark held without evidence, a date in the future, a subject
// that is not the area's: the form again (422) with each field's error in the user's language,
// what was typed kept, and nothing saved.
TEST_F(NetworkWeb, ABadFormIsAFieldErrorAndWritesNothing) {
    auto admin = as(admin_email, "en");
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        Answers a = answers(day(0), {0, 4, 2, 2, 2, 2}, "gardée");
        a.evidence[3] = "";
        a.held[1] = true;
        a.summary = "Résumé gardé.";
        auto r = admin.submit("/network/maturity/new", "/network/maturity", a.form());
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("class=\"arr-error-summary\""));
        EXPECT_TRUE(r.has(shown(lang, "network.maturity.error_item",
                                {app_->catalogue().t(lang, "network.maturity.dimension.entry_points"),
                                 app_->catalogue().t(lang, "network.maturity.level_required")})))
            << "the summary names the dimension";
        EXPECT_TRUE(r.has("href=\"#field-level_entry_points-0\""));
        EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-level_entry_points\">" +
                          shown(lang, "network.maturity.level_required") + "</p>"));
        EXPECT_TRUE(r.has("href=\"#field-evidence_funding\""));
        EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-evidence_funding\">" +
                          shown(lang, "network.maturity.evidence_required") + "</p>"));
        EXPECT_TRUE(r.has("href=\"#field-mark_evidence_collective_decision_body\""));
        EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-mark_evidence_collective_decision_body\">" +
                          shown(lang, "network.maturity.mark_evidence_required") + "</p>"));
        EXPECT_TRUE(r.has("aria-describedby=\"hint-evidence_funding error-evidence_funding\""));
        // What was typed is kept.
        EXPECT_TRUE(r.has(">Constat gardée — management</textarea>"));
        EXPECT_TRUE(r.has("name=\"level_information_exchange\" value=\"collaboration\" checked"));
        EXPECT_TRUE(r.has("name=\"mark_collective_decision_body\" value=\"1\" checked"));
        EXPECT_TRUE(r.has(">Résumé gardé.</textarea>"));
        EXPECT_TRUE(r.has("<option value=\"area\" selected>"));

        Answers later = answers(day(1), {2, 2, 2, 2, 2, 2}, "future");
        r = admin.submit("/network/maturity/new", "/network/maturity", later.form());
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "network.maturity.assessed_in_future")));
        EXPECT_TRUE(r.has("href=\"#field-assessed_on\""));

        // Not one of the area's partnerships still open: the terminated pilot, an unknown id.
        for (const std::string& subject : {std::to_string(respite_pilot()), std::string("999999"), std::string("")}) {
            SCOPED_TRACE(subject);
            Answers other = answers(day(0), {2, 2, 2, 2, 2, 2}, "sujet");
            other.subject = subject;
            r = admin.submit("/network/maturity/new", "/network/maturity", other.form());
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-subject\">" +
                              shown(lang, subject.empty() ? "field.required" : "field.choose_from_list") + "</p>"));
            EXPECT_TRUE(r.has("href=\"#field-subject\""));
        }
    }
    EXPECT_EQ(written(), before);
}

// A subject's history: the line chart's figure with its table (one row per assessment, one column
// per dimension, the score and the stage in words), the list of assessments, and the form that
// compares two of them.
TEST_F(NetworkWeb, TheHistoryDrawsItsChartFromItsTable) {
    auto admin = as(admin_email, "en");
    const std::string first = record(admin, answers(day(-60), {2, 2, 2, 1, 2, 1}, "premier"));
    const std::string second = record(admin, answers(day(-1), {3, 4, 1, 1, 3, 2}, "second"));
    ASSERT_FALSE(first.empty() || second.empty());
    const auto ids = history_ids(area());
    ASSERT_GE(ids.size(), 2u);
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = admin.get(history_href(area(), "area"));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<figure class=\"arr-chart\" data-chart=\"line\" data-levels=\"[&quot;" + level(lang, 1) +
                          "&quot;,&quot;" + level(lang, 2) + "&quot;"));
        EXPECT_TRUE(r.has("<figcaption id=\"maturity-chart-caption\">" + shown(lang, "network.maturity.chart_caption")));
        EXPECT_TRUE(r.has("<table class=\"arr-table\" aria-labelledby=\"maturity-chart-caption\">"));
        for (std::size_t i = 0; i < dimensions.size(); ++i)
            EXPECT_TRUE(r.has("<th scope=\"col\">" + dimension(lang, i) + "</th>")) << dimensions[i];
        EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(lang, "network.maturity.col.score") + "</th>"));
        EXPECT_TRUE(r.has("<th scope=\"col\" data-series=\"skip\">" + shown(lang, "network.maturity.col.stage") + "</th>"))
            << "the stage is words beside the chart's figures";
        // 10 / 6 = 1.7: fragmented services; 14 / 6 = 2.3: cooperation.
        const std::string comma = lang == Lang::fr ? "," : ".";
        EXPECT_TRUE(r.has("<tr><th scope=\"row\">" + day(-60) + "</th><td data-value=\"2\">" + level_text(lang, 2) +
                          "</td><td data-value=\"2\">" + level_text(lang, 2) + "</td><td data-value=\"2\">" +
                          level_text(lang, 2) + "</td><td data-value=\"1\">" + level_text(lang, 1) +
                          "</td><td data-value=\"2\">" + level_text(lang, 2) + "</td><td data-value=\"1\">" +
                          level_text(lang, 1) + "</td><td data-value=\"1.7\">1" + comma + "7</td><td>" + level(lang, 1) +
                          "</td></tr>"));
        EXPECT_TRUE(r.has("<tr><th scope=\"row\">" + day(-1) + "</th><td data-value=\"3\">" + level_text(lang, 3) +
                          "</td><td data-value=\"4\">" + level_text(lang, 4) + "</td><td data-value=\"1\">" +
                          level_text(lang, 1) + "</td><td data-value=\"1\">" + level_text(lang, 1) +
                          "</td><td data-value=\"3\">" + level_text(lang, 3) + "</td><td data-value=\"2\">" +
                          level_text(lang, 2) + "</td><td data-value=\"2.3\">2" + comma + "3</td><td>" + level(lang, 2) +
                          "</td></tr>"));
        // One row per assessment of the area: six levels and the score each.
        std::size_t cells = 0;
        for (auto at = r.body.find("<td data-value=\""); at != std::string::npos; at = r.body.find("<td data-value=\"", at + 1))
            ++cells;
        EXPECT_EQ(cells, ids.size() * 7);
        EXPECT_TRUE(r.has("/static/js/chart.umd.min.js"));
        EXPECT_TRUE(r.has("/static/js/charts.js"));
        // The list, and the comparison of the last two by default.
        EXPECT_TRUE(r.has("<a href=\"" + first + "\">" + day(-60) + "</a>"));
        EXPECT_TRUE(r.has("<a href=\"" + second + "\">" + day(-1) + "</a>"));
        EXPECT_TRUE(r.has("action=\"/network/maturity/compare\""));
        EXPECT_TRUE(r.has("id=\"compare-field-from\" name=\"from\""));
        EXPECT_TRUE(r.has("id=\"compare-field-to\" name=\"to\""));
        EXPECT_TRUE(r.has("<option value=\"" + std::to_string(ids[0]) + "\" selected>"));
        EXPECT_TRUE(r.has("<option value=\"" + std::to_string(ids[1]) + "\" selected>"));
        EXPECT_TRUE(r.has("href=\"/network/maturity/new?subject=area\""));
    }
    // The subjects page: the area with its count and latest assessment.
    admin.set_cookie("arrimage_lang", "en");
    auto list = admin.get("/network/maturity");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<a href=\"/network/maturity/history?area=" + std::to_string(area()) + "&amp;subject=area\">"));
    EXPECT_TRUE(list.has("<td>" + std::to_string(ids.size()) + "</td>"));
    EXPECT_TRUE(list.has("<td><a href=\"/network/maturity/" + std::to_string(ids[0]) + "\">"));

    // Bad parameters are a bad request, each named.
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = admin.get("/network/maturity/history?area=abc&subject=area");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(
            lang, "network.maturity.error_item",
            {app_->catalogue().t(lang, "network.maturity.field.area"), app_->catalogue().t(lang, "field.choose_from_list")})));
        r = admin.get("/network/maturity/history?area=" + std::to_string(area()) + "&subject=tout");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "network.maturity.field.subject")));
        r = admin.get("/network/maturity/history");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.required")));
    }
    EXPECT_EQ(admin.get(history_href(area(), "999999")).status, 404) << "not one of the area's partnerships";
    EXPECT_EQ(admin.get(history_href(999999, "area")).status, 404);
}

// Two assessments side by side: each dimension's movement in words, the marks gained and lost,
// both scores; the earlier first whichever way they are named. Two subjects, or ids that are not
// numbers, are a bad request naming the field.
TEST_F(NetworkWeb, TwoAssessmentsCompareDimensionByDimension) {
    auto admin = as(admin_email, "en");
    Answers a = answers(day(-60), {2, 2, 2, 1, 2, 1}, "avant");
    a.held = {true, false, false, true};
    a.mark_evidence = {"Équipe conjointe.", "", "", "Protocole signé."};
    Answers b = answers(day(-1), {3, 4, 1, 1, 3, 2}, "après");
    b.held = {true, true, false, false};
    b.mark_evidence = {"Équipe conjointe.", "Table mensuelle.", "", ""};
    const std::string earlier = record(admin, a);
    const std::string later = record(admin, b);
    ASSERT_FALSE(earlier.empty() || later.empty());
    const std::string from = std::to_string(id_of(earlier)), to = std::to_string(id_of(later));
    const std::array<std::string, 6> movements = {"up", "up", "down", "same", "up", "up"};
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        // Named later first: still shown earlier first.
        for (const std::string& query : {"from=" + from + "&to=" + to, "from=" + to + "&to=" + from}) {
            SCOPED_TRACE(query);
            auto r = admin.get("/network/maturity/compare?" + query);
            ASSERT_EQ(r.status, 200);
            EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(lang, "network.maturity.col.before", {day(-60)}) + "</th>"));
            EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(lang, "network.maturity.col.after", {day(-1)}) + "</th>"));
            for (std::size_t i = 0; i < dimensions.size(); ++i) {
                const std::string word = shown(lang, "network.maturity.movement." + movements[i]);
                EXPECT_TRUE(r.has("<tr><th scope=\"row\">" + dimension(lang, i) + "</th><td>" + level_text(lang, a.ranks[i]) +
                                  "</td><td>" + level_text(lang, b.ranks[i]) + "</td><td>" +
                                  (movements[i] == "same" ? word : "<strong>" + word + "</strong>") + "</td></tr>"))
                    << dimensions[i];
            }
            const std::string comma = lang == Lang::fr ? "," : ".";
            EXPECT_TRUE(r.has("<td>" + shown(lang, "network.maturity.score_value", {"1" + comma + "7"}) + "</td><td>" +
                              shown(lang, "network.maturity.score_value", {"2" + comma + "3"}) + "</td>"));
            EXPECT_TRUE(r.has("<td>" + level(lang, 1) + "</td><td>" + level(lang, 2) + "</td>"));
            EXPECT_TRUE(r.has("<ul aria-labelledby=\"compare-gained-heading\"><li>" +
                              shown(lang, "network.maturity.mark.collective_decision_body") + "</li></ul>"));
            EXPECT_TRUE(r.has("<ul aria-labelledby=\"compare-lost-heading\"><li>" +
                              shown(lang, "network.maturity.mark.formal_agreements") + "</li></ul>"));
            EXPECT_TRUE(r.has("<a href=\"" + earlier + "\">" + day(-60) + "</a>"));
            EXPECT_TRUE(r.has("<a href=\"" + later + "\">" + day(-1) + "</a>"));
        }
    }

    // An assessment of the partnership compared with one of the area: 422, the error on "to".
    Answers p = answers(day(-2), {2, 2, 2, 2, 2, 2}, "partenariat");
    p.subject = std::to_string(crisis_line());
    const std::string partnership = record(admin, p);
    ASSERT_FALSE(partnership.empty());
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = admin.get("/network/maturity/compare?from=" + from + "&to=" + std::to_string(id_of(partnership)));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "network.maturity.error_item",
                                {app_->catalogue().t(lang, "network.maturity.field.to"),
                                 app_->catalogue().t(lang, "network.maturity.compare_other_subject")})));
        // Ids that are not numbers, or missing.
        r = admin.get("/network/maturity/compare?from=abc&to=" + to);
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(
            lang, "network.maturity.error_item",
            {app_->catalogue().t(lang, "network.maturity.field.from"), app_->catalogue().t(lang, "field.choose_from_list")})));
        r = admin.get("/network/maturity/compare?from=" + from);
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(
            r.has(shown(lang, "network.maturity.error_item",
                        {app_->catalogue().t(lang, "network.maturity.field.to"), app_->catalogue().t(lang, "field.required")})));
        r = admin.get("/network/maturity/compare?from=-3&to=1.5");
        EXPECT_EQ(r.status, 422);
    }
    EXPECT_EQ(admin.get("/network/maturity/compare?from=" + from + "&to=999999").status, 404);
    EXPECT_EQ(admin.get("/network/maturity/abc").status, 404);
}

// A partnership not yet assessed: its history names it for the agency, whose form offers it (with
// the link recording its first assessment); the area's other readers see an empty history under
// the page's own title. The subjects page lists the partnerships once assessed.
TEST_F(NetworkWeb, AnUnassessedPartnershipIsNamedForTheAgency) {
    std::int64_t fresh = 0;
    {
        auto tx = t_->db->begin(store::TxMode::write);
        const std::string now = format_iso(clock_.now());
        fresh =
            tx->query_one(
                  "INSERT INTO agreements (sda_id, reference, title_fr, title_en, kind, effective_on, review_due, status, "
                  "created_at, updated_at) VALUES (?, 'MAT-ESSAI-1', 'Partenariat neuf', 'New partnership', 'partnership', ?, "
                  "?, 'active', ?, ?) RETURNING id",
                  {area(), day(-5), day(300), now, now})
                ->i64(0);
        tx->commit();
    }
    const std::string history = history_href(area(), std::to_string(fresh));
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto r = admin.get(history);
        ASSERT_EQ(r.status, 200);
        const std::string name = app_->catalogue().t(lang, "network.maturity.subject_partnership",
                                                     {"MAT-ESSAI-1", lang == Lang::fr ? "Partenariat neuf" : "New partnership"});
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "network.maturity.history_heading", {name}) + "</h1>"));
        EXPECT_TRUE(r.has(shown(lang, "network.maturity.no_assessments")));
        EXPECT_TRUE(r.has("href=\"/network/maturity/new?subject=" + std::to_string(fresh) + "\""));
        EXPECT_FALSE(admin.get("/network/maturity").has("&amp;subject=" + std::to_string(fresh) + "\""))
            << "listed once assessed";

        auto manager = as(manager_email, std::string(code(lang)));
        r = manager.get(history);
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "network.maturity.history_title") + "</h1>"));
        EXPECT_FALSE(r.has("MAT-ESSAI-1"));
        EXPECT_FALSE(r.has("/network/maturity/new"));
        EXPECT_TRUE(r.has(shown(lang, "network.maturity.no_assessments")));
    }
}

// Another area's administrator records their own area's assessments and sees none of the demo
// area's; the demo area's readers do not see theirs; the ministry's analyst reads both.
TEST_F(NetworkWeb, AnotherAreasAssessmentsAreNotFound) {
    std::int64_t west = 0;
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = west;
        o.name_fr = "Agence Ouest";
        o.name_en = "West Agency";
        o.sector = domain::Sector::social_services;
        o.csp_roles = {domain::CspRole::coordinating_agency};
        const auto agency = *repo.create_organisation(o, 0);
        const auto user = *repo.create_user({"west.admin@example.org", "West Admin", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {agency, domain::Role::ca_admin}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password("west admin password", PasswordHashCost::minimum()));
        tx->commit();
    }
    Client west_admin(port_);
    ASSERT_EQ(west_admin.submit("/login", "/login", "email=west.admin%40example.org&password=west+admin+password").status, 303);
    west_admin.set_cookie("arrimage_lang", "en");
    // Their area has no assessment yet: its history says so.
    auto empty = west_admin.get(history_href(west, "area"));
    ASSERT_EQ(empty.status, 200);
    EXPECT_TRUE(empty.has(shown(Lang::en, "network.maturity.no_assessments")));
    EXPECT_FALSE(empty.has("data-chart=")) << "no chart without figures";
    EXPECT_TRUE(empty.has("href=\"/network/maturity/new?subject=area\""));
    auto form = west_admin.get("/network/maturity/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_FALSE(form.has("<option value=\"" + std::to_string(crisis_line()) + "\"")) << "not their area's partnership";
    const std::string theirs = record(west_admin, answers(day(-1), {1, 1, 1, 1, 1, 1}, "ouest"));
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(scalar("SELECT sda_id FROM maturity_assessments WHERE id = ?", {id_of(theirs)}), west);

    auto admin = as(admin_email, "en");
    const std::string ours = record(admin, answers(day(-1), {2, 2, 2, 2, 2, 2}, "est"));
    ASSERT_FALSE(ours.empty());
    const auto before = written();
    const std::string west_history = history_href(west, "area");
    for (const auto& email : {admin_email, manager_email}) {
        SCOPED_TRACE(email);
        auto c = as(email, "en");
        EXPECT_EQ(c.get(theirs).status, 404);
        EXPECT_EQ(c.get(west_history).status, 404);
        EXPECT_EQ(c.get("/network/maturity/compare?from=" + std::to_string(id_of(ours)) + "&to=" + std::to_string(id_of(theirs)))
                      .status,
                  404);
        EXPECT_FALSE(c.get("/network/maturity").has(west_history.substr(0, west_history.find('&'))));
    }
    EXPECT_EQ(west_admin.get(ours).status, 404);
    EXPECT_EQ(west_admin.get(history_href(area(), "area")).status, 404);
    // A partnership of another area is not a subject of theirs.
    Answers stolen = answers(day(0), {2, 2, 2, 2, 2, 2}, "volée");
    stolen.subject = std::to_string(crisis_line());
    auto r = west_admin.submit("/network/maturity/new", "/network/maturity", stolen.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "field.choose_from_list")));
    EXPECT_EQ(written(), before);

    auto analyst = as(analyst_email, "en");
    EXPECT_EQ(analyst.get(theirs).status, 200);
    EXPECT_EQ(analyst.get(ours).status, 200);
    r = analyst.get(west_history);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<a href=\"" + theirs + "\">" + day(-1) + "</a>"));
    r = analyst.get("/network/maturity");
    EXPECT_TRUE(r.has("<a href=\"/network/maturity/history?area=" + std::to_string(west) + "&amp;subject=area\">"));
    EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(Lang::en, "network.maturity.col.area") + "</th>"));
}
