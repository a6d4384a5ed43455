// The coordinated service plan printed, as a PDF and across its versions, through the real HTTP
// server, on the backend under test (SQLite: label db, PostgreSQL: label pg), with the demo data:
// Noah Demo-Smith's plan, kept by coord3, prints in either language and as a PDF naming the file,
// not the child; two of its versions side by side say in words what changed; a bad choice of
// versions is a field error in the user's language; a file without a plan has nothing to print;
// anyone without a relationship to the file is refused on record and sees nothing of the plan.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;

namespace {

const char* const keeper = "coord3@demo.arrimage.invalid";        // keeps Noah Demo-Smith's plan
const char* const stranger = "coord1@demo.arrimage.invalid";      // no part in Noah Demo-Smith's file
const char* const singh_keeper = "coord1@demo.arrimage.invalid";  // Noah Demo-Singh's coordinator

// A PDF's text string as Cairo writes it in the document's information dictionary: printable
// ASCII in parentheses, anything else as UTF-16BE in hexadecimal after a byte order mark.
std::string pdf_string(const std::string& utf8) {
    bool ascii = true;
    for (unsigned char ch : utf8)
        if (ch < 32 || ch > 126) ascii = false;
    if (ascii) return "(" + utf8 + ")";
    std::string out = "<FEFF";
    const auto unit = [&](unsigned u) {
        static const char digits[] = "0123456789ABCDEF";
        for (int shift = 12; shift >= 0; shift -= 4) out += digits[(u >> shift) & 0xF];
    };
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        unsigned cp = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        i += n;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            unit(0xD800 + (cp >> 10));
            cp = 0xDC00 + (cp & 0x3FF);
        }
        unit(cp);
    }
    return out + ">";
}

std::string unescape(std::string s) {
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}, {"&amp;", "&"}})
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
    return s;
}

// The fields of the form posting to `action` on `html` as a browser would send them (hidden
// inputs and text areas), urlencoded, with `changes` in place of the values shown.
std::string form_as_shown(const std::string& html, const std::string& action, const std::map<std::string, std::string>& changes) {
    const auto start = html.find("action=\"" + action + "\"");
    if (start == std::string::npos) return {};
    const std::string form = html.substr(start, html.find("</form>", start) - start);
    static const std::regex field(
        R"re(<input type="hidden" name="([a-z_]+)" value="([^"]*)">|<textarea[^>]* name="([a-z_]+)"[^>]*>([^<]*)</textarea>)re");
    std::string body;
    for (auto it = std::sregex_iterator(form.begin(), form.end(), field); it != std::sregex_iterator(); ++it) {
        const bool hidden = (*it)[1].matched;
        const std::string name = hidden ? (*it)[1].str() : (*it)[3].str();
        const auto changed = changes.find(name);
        const std::string value = changed != changes.end() ? changed->second : unescape(hidden ? (*it)[2].str() : (*it)[4].str());
        body += (body.empty() ? "" : "&") + name + "=" + enc(value);
    }
    return body;
}

// The table row whose header cell is `label`, up to its end ("" when there is none).
std::string row_of(const std::string& body, const std::string& label) {
    const auto at = body.find(">" + label + "</th>");
    if (at == std::string::npos) return {};
    return body.substr(at, body.find("</tr>", at) - at);
}

}  // namespace

class PlanPrintWeb : public testsupport::DemoServerTest {
  protected:
    Client staff(const std::string& email, const std::string& lang = "en") {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::int64_t smith() { return scalar("SELECT id FROM people WHERE given_name = 'Noah' AND family_name = 'Demo-Smith'"); }
    std::int64_t singh() { return scalar("SELECT id FROM people WHERE family_name = 'Demo-Singh'"); }
    std::string plan(std::int64_t person) { return "/children/" + std::to_string(person) + "/plan"; }
    std::int64_t version_of(std::int64_t person) { return scalar("SELECT version FROM plans WHERE person_id = ?", {person}); }
    // The first version of the plan whose snapshot matches `pattern` (SQL LIKE).
    std::int64_t first_with(std::int64_t person, const std::string& pattern) {
        return scalar(
            "SELECT MIN(v.version) FROM plan_versions v JOIN plans p ON p.id = v.plan_id WHERE p.person_id = ? AND v.snapshot "
            "LIKE ?",
            {person, pattern});
    }
    std::string text(const std::string& sql, const store::Params& params) {
        auto tx = t_->db->begin(store::TxMode::read);
        auto row = tx->query_one(sql, params);
        return row ? row->str(0) : std::string();
    }
    std::int64_t reads(std::int64_t person, const std::string& decision) {
        return scalar(
            "SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND category = 'plan' AND action = 'read' AND decision = ?",
            {person, decision});
    }
};

TEST_F(PlanPrintWeb, ThePlanPrintsInEitherLanguageAndAsAPdf) {
    auto c = staff(keeper);
    const auto id = smith();
    const auto path = plan(id);
    const std::string version = std::to_string(version_of(id));

    auto before = reads(id, "permit");
    auto page = c.get(path + "/print");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<html lang=\"en\""));
    EXPECT_TRUE(page.has("print.css")) << "the print layout and its stylesheet";
    EXPECT_TRUE(page.has("<h1 class=\"ontario-h3\">Coordinated service plan — file " + std::to_string(id) + "</h1>"));
    EXPECT_TRUE(page.has("Status: Active · Version " + version + ", saved "));
    EXPECT_TRUE(page.has("<h2 class=\"ontario-h4\">Needs at school</h2>"));
    EXPECT_TRUE(page.has("Noah misses school when he is anxious; math is hard."));
    EXPECT_TRUE(page.has("<h2 class=\"ontario-h4\">Goals, in order of priority</h2>"));
    EXPECT_TRUE(
        page.has("Chris wants a weekend off once a month.\nExpressed by: The family · Priority: 2 · Progress: Not started"));
    EXPECT_TRUE(page.has("Expressed by: The child or youth · Priority: 1 · Progress: In progress"));
    EXPECT_TRUE(page.has("href=\"" + path + ".pdf?lang=en\""));
    EXPECT_TRUE(page.has("href=\"" + path + "/print?lang=fr\""));
    EXPECT_TRUE(page.has("<h2 class=\"ontario-h4\">Actions: who does what, by when</h2>"));
    EXPECT_TRUE(page.has("guidance counsellor with Noah about a quiet room for stressful days."));
    EXPECT_FALSE(page.has("Noah Demo-Smith")) << "the printed plan names the file, not the child";
    EXPECT_FALSE(page.has("2012-09-15"));
    EXPECT_GT(reads(id, "permit"), before) << "printing is a read of the plan, on record";

    auto french = c.get(path + "/print?lang=fr");
    ASSERT_EQ(french.status, 200);
    EXPECT_TRUE(french.has("<html lang=\"fr\""));
    EXPECT_TRUE(french.has("Plan de services coordonnés — dossier " + std::to_string(id)));
    EXPECT_TRUE(french.has("Statut : Actif · Version " + version));
    EXPECT_TRUE(french.has("<h2 class=\"ontario-h4\">Ce que la famille espère</h2>"));
    EXPECT_TRUE(french.has("Exprimé par : La famille · Priorité : 2 · Progrès : Pas commencé"));
    EXPECT_TRUE(french.has("href=\"" + path + ".pdf?lang=fr\""));
    EXPECT_FALSE(french.has("Needs at school"));
    // Without ?lang, the reader's own language.
    EXPECT_TRUE(staff(keeper, "fr").get(path + "/print").has("<html lang=\"fr\""));

    before = reads(id, "permit");
    auto pdf = c.get(path + ".pdf");
    ASSERT_EQ(pdf.status, 200);
    EXPECT_EQ(pdf.header("content-type"), "application/pdf");
    EXPECT_EQ(pdf.header("content-disposition"), "inline; filename=\"plan-" + std::to_string(id) + ".pdf\"");
    EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
    EXPECT_NE(pdf.body.find("/Title " + pdf_string("Coordinated service plan — file " + std::to_string(id))), std::string::npos)
        << "the plan's title in the file's metadata";
    EXPECT_NE(pdf.body.find("/StructTreeRoot"), std::string::npos);
    EXPECT_GT(reads(id, "permit"), before);
    auto pdf_fr = c.get(path + ".pdf?lang=fr");
    ASSERT_EQ(pdf_fr.status, 200);
    EXPECT_NE(pdf_fr.body.find("/Title " + pdf_string("Plan de services coordonnés — dossier " + std::to_string(id))),
              std::string::npos);

    // A language that is neither: a field error in the reader's language, and nothing read.
    before = reads(id, "permit");
    auto bad = c.get(path + "/print?lang=de");
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(bad.has("Choose French (fr) or English (en) for the plan."));
    EXPECT_FALSE(bad.has("grandmother"));
    bad = staff(keeper, "fr").get(path + ".pdf?lang=xx");
    EXPECT_EQ(bad.status, 422);
    EXPECT_TRUE(bad.has("Choisissez le français (fr) ou l&apos;anglais (en) pour le plan."));
    EXPECT_NE(bad.header("content-type"), "application/pdf");
    EXPECT_EQ(reads(id, "permit"), before);
}

TEST_F(PlanPrintWeb, TwoVersionsSideBySideSayWhatChanged) {
    auto c = staff(keeper);
    const auto id = smith();
    const auto path = plan(id);
    const std::string old_about = text("SELECT about FROM plans WHERE person_id = ?", {id});
    ASSERT_FALSE(old_about.empty());
    const std::string new_about = "Noah is 15 now; he lives with his grandmother Chris and draws comics every day.";
    // The sections form as the plan's page shows it, with only the first section rewritten.
    const auto form = form_as_shown(c.get(path).body, path + "/sections", {{"about", new_about}, {"reason", "Birthday."}});
    ASSERT_NE(form.find("about="), std::string::npos) << "the plan's page has its sections form";
    ASSERT_EQ(c.post(path + "/sections", form).status, 303);
    const auto current = version_of(id);

    // Without a choice, the previous version beside the current one.
    auto before = reads(id, "permit");
    auto page = c.get(path + "/versions");
    ASSERT_EQ(page.status, 200);
    EXPECT_GT(reads(id, "permit"), before) << "comparing versions is a read of the plan, on record";
    EXPECT_TRUE(page.has("<option value=\"" + std::to_string(current - 1) + "\" selected>"));
    EXPECT_TRUE(page.has("<option value=\"" + std::to_string(current) + "\" selected>"));
    EXPECT_TRUE(page.has("<label class=\"ontario-label\" for=\"compare-a\">First version</label>"));
    EXPECT_TRUE(page.has("<th scope=\"col\">Version " + std::to_string(current - 1) + ", "));
    EXPECT_TRUE(page.has("<th scope=\"col\">Version " + std::to_string(current) + ", "));
    const auto about = row_of(page.body, "About the child and family");
    ASSERT_FALSE(about.empty());
    EXPECT_NE(about.find("Changed"), std::string::npos) << about;
    EXPECT_NE(about.find(old_about), std::string::npos) << "the text as the first version left it";
    EXPECT_NE(about.find("Noah is 15 now; he lives with his grandmother Chris"), std::string::npos) << "and as the second";
    const auto strengths = row_of(page.body, "Strengths, interests and what works");
    EXPECT_NE(strengths.find("Unchanged"), std::string::npos) << strengths;
    EXPECT_EQ(strengths.find("Changed"), std::string::npos);
    EXPECT_FALSE(page.has("Noah Demo-Smith"));

    // Goals matched by id: a goal's progress recorded, a goal added.
    const auto progressed = first_with(id, "%\"progress\":\"in_progress\"%");
    ASSERT_GT(progressed, 1);
    page = c.get(path + "/versions?a=" + std::to_string(progressed - 1) + "&b=" + std::to_string(progressed));
    ASSERT_EQ(page.status, 200);
    auto goal = row_of(page.body, "Chris wants a weekend off once a month.");
    EXPECT_NE(goal.find("Unchanged"), std::string::npos) << goal;
    goal = row_of(page.body, "I want to go to school every day, even when I&apos;m stressed.");
    EXPECT_NE(goal.find("Changed: progress"), std::string::npos) << goal;
    EXPECT_NE(goal.find("Progress: Not started"), std::string::npos);
    EXPECT_NE(goal.find("Progress: In progress"), std::string::npos);
    const auto added = first_with(id, "%basketball team this winter%");
    ASSERT_GT(added, 1);
    page = c.get(path + "/versions?a=" + std::to_string(added - 1) + "&b=" + std::to_string(added));
    goal = row_of(page.body, "Noah joins a basketball team this winter.");
    EXPECT_NE(goal.find("Added"), std::string::npos) << goal;
    EXPECT_NE(goal.find("Not in this version"), std::string::npos);
    // Later against earlier: the same goal is removed.
    page = c.get(path + "/versions?a=" + std::to_string(added) + "&b=" + std::to_string(added - 1));
    EXPECT_NE(row_of(page.body, "Noah joins a basketball team this winter.").find("Removed"), std::string::npos);
    // The status, in words.
    const auto activated = first_with(id, "{\"status\":\"active\"%");
    ASSERT_GT(activated, 1);
    page = c.get(path + "/versions?a=" + std::to_string(activated - 1) + "&b=" + std::to_string(activated));
    const auto status = row_of(page.body, "Status of the plan");
    EXPECT_NE(status.find("Draft"), std::string::npos) << status;
    EXPECT_NE(status.find("Active"), std::string::npos);
    EXPECT_NE(status.find("Changed"), std::string::npos);
}

TEST_F(PlanPrintWeb, BadVersionsAreFieldErrorsInTheUsersLanguage) {
    auto c = staff(keeper, "fr");
    const auto path = plan(smith()) + "/versions";
    auto r = c.get(path + "?a=abc&b=2");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("<html lang=\"fr\""));
    EXPECT_TRUE(r.has("id=\"compare-error-a\""));
    EXPECT_TRUE(r.has("Choisissez une des versions de ce plan dans la liste."));
    EXPECT_TRUE(r.has("href=\"#compare-a\"")) << "the error summary links to the field";
    EXPECT_TRUE(r.has("aria-invalid=\"true\""));
    EXPECT_TRUE(r.has("<option value=\"2\" selected>")) << "the valid choice is kept";
    EXPECT_FALSE(r.has("id=\"compare-parts\"")) << "nothing is compared";
    r = c.get(path + "?a=2");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"compare-error-b\""));
    EXPECT_TRUE(r.has("Choisissez une version."));
    r = c.get(path + "?a=3&b=3");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("Choisissez deux versions différentes."));
    r = c.get(path + "?a=1&b=999");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("pas de version 999"));
    for (const char* q : {"?a=-1&b=2", "?a=0&b=2", "?a=1.5&b=2", "?a=99999999999999999999999&b=2"}) {
        r = c.get(path + q);
        EXPECT_EQ(r.status, 422) << q;
        EXPECT_TRUE(r.has("id=\"compare-error-a\"")) << q;
    }
    auto english = staff(keeper).get(path + "?a=1&b=999");
    EXPECT_EQ(english.status, 422);
    EXPECT_TRUE(english.has("This plan has no version 999: choose one from the list."));
}

// Noah Demo-Singh's file: nothing to print before his plan is started; once it is, it has one
// version, and another plan's version numbers are not its own.
TEST_F(PlanPrintWeb, AFileWithoutAPlanHasNothingToPrintAndAVersionMustBeThisPlans) {
    auto c = staff(singh_keeper);
    const auto path = plan(singh());
    for (const std::string& target : {path + "/print", path + ".pdf", path + "/versions"}) {
        auto r = c.get(target);
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_TRUE(r.has("This child does not have a plan yet.")) << target;
    }
    ASSERT_EQ(c.submit(path, path, "").status, 303);
    auto r = c.get(path + "/versions");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("This plan has only one version: there is nothing to compare yet."));
    ASSERT_GE(version_of(smith()), 5);
    r = c.get(path + "/versions?a=1&b=5");
    EXPECT_EQ(r.status, 422) << "version 5 is another plan's";
    EXPECT_TRUE(r.has("This plan has no version 5: choose one from the list."));
    EXPECT_FALSE(r.has("grandmother")) << "nothing of the other plan";
    // Printed, with the story told at intake; a section nobody filled in says so.
    auto page = c.get(path + "/print");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("Knows everything about trains")) << "the story told at intake";
    EXPECT_TRUE(page.has("Status: Draft · Version 1"));
    const auto home = page.body.find(">Needs at home</h2>");
    ASSERT_NE(home, std::string::npos);
    const auto next = page.body.find("<p class=\"arr-prewrap\">", home);
    EXPECT_EQ(page.body.compare(next, 41, "<p class=\"arr-prewrap\">Not filled in.</p>"), 0) << page.body.substr(home, 300);
    EXPECT_TRUE(page.has("No goal yet."));
}

TEST_F(PlanPrintWeb, OutsidersAreRefusedOnRecordAndSeeNothingOfThePlan) {
    auto o = staff(stranger);
    const auto id = smith();
    const auto path = plan(id);
    const auto before = reads(id, "deny");
    for (const std::string& target : {path + "/print", path + ".pdf", path + "/versions?a=1&b=2", path + "/versions"}) {
        auto r = o.get(target);
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_NE(r.header("content-type"), "application/pdf") << target;
        EXPECT_EQ(r.body.find("%PDF"), std::string::npos) << target;
        for (const char* content : {"grandmother", "basketball", "Chris wants a weekend off", "Version 2"})
            EXPECT_FALSE(r.has(content)) << target << " shows " << content;
    }
    EXPECT_EQ(reads(id, "deny"), before + 4) << "each refusal on record";
    EXPECT_EQ(o.get("/children/999999/plan/print").status, 404);
    EXPECT_EQ(o.get("/children/abc/plan.pdf").status, 404);
    EXPECT_EQ(Client(port_).get(path + "/print").status, 303) << "signed out: to the sign-in page";
}

// Actions (who does what by when) are compared when a version has them and left out when
// neither does. The versions are written here as the plan's snapshots keep them, one saved
// before the plan had actions, so the comparison is tested whatever the plan's forms can make.
TEST_F(PlanPrintWeb, ActionsAreComparedWhenVersionsHaveThem) {
    const auto id = smith();
    const auto next = version_of(id) + 1;
    const std::string sections =
        R"("sections":{"about":"Eats well.","strengths":"","needs_home":"","needs_school":"","needs_community":"",)"
        R"("needs_health":"","hopes":""},"goals":[{"id":501,"priority":1,"text":"Sleep through the night.",)"
        R"("expressed_by":"family","progress":"in_progress"}])";
    const std::string action =
        R"({"id":71,"goal_id":501,"text":"Book a visit with the sleep clinic.","owner":"Family doctor","due":"2030-01-15",)";
    const std::vector<std::string> snapshots = {
        R"({"status":"active",)" + sections + "}", R"({"status":"under_review",)" + sections + "}",
        R"({"status":"under_review",)" + sections + R"(,"actions":[)" + action + R"("status":"not_started"}]})",
        R"({"status":"under_review",)" + sections + R"(,"actions":[)" +
            R"({"id":71,"goal_id":501,"text":"Book a visit with the sleep clinic.","owner":"Family doctor","due":"2030-02-01",)" +
            R"("status":"in_progress"}]})"};
    {
        auto tx = t_->db->begin(store::TxMode::write);
        const auto plan_id = tx->query_one("SELECT id FROM plans WHERE person_id = ?", {id})->i64(0);
        const auto user = tx->query_one("SELECT id FROM users WHERE email = ?", {std::string(keeper)})->i64(0);
        for (std::size_t i = 0; i < snapshots.size(); ++i)
            tx->exec(
                "INSERT INTO plan_versions (plan_id, version, at, user_id, change, reason, snapshot) VALUES (?, ?, ?, ?, "
                "'sections', '', ?)",
                {plan_id, next + static_cast<std::int64_t>(i), std::string("2030-01-0") + std::to_string(i + 1) + "T10:00:00Z",
                 user, snapshots[i]});
        tx->commit();
    }
    auto c = staff(keeper);
    const auto compare = [&](std::int64_t a, std::int64_t b) {
        return c.get(plan(id) + "/versions?a=" + std::to_string(next + a) + "&b=" + std::to_string(next + b));
    };
    auto r = compare(0, 1);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("id=\"compare-actions\"")) << "neither version has actions";
    EXPECT_NE(row_of(r.body, "Status of the plan").find("Changed"), std::string::npos);
    r = compare(1, 2);
    ASSERT_EQ(r.status, 200);
    ASSERT_TRUE(r.has("id=\"compare-actions\""));
    auto row = row_of(r.body, "Book a visit with the sleep clinic.");
    EXPECT_NE(row.find("Added"), std::string::npos) << row;
    EXPECT_NE(row.find("Not in this version"), std::string::npos);
    EXPECT_NE(row.find("Family doctor"), std::string::npos);
    EXPECT_NE(row.find("2030-01-15"), std::string::npos);
    EXPECT_NE(row.find("Sleep through the night."), std::string::npos) << "the goal it serves";
    r = compare(2, 3);
    row = row_of(r.body, "Book a visit with the sleep clinic.");
    EXPECT_NE(row.find("Changed: due date, status"), std::string::npos) << row;
    EXPECT_NE(row.find("2030-02-01"), std::string::npos);
    EXPECT_NE(row_of(r.body, "Sleep through the night.").find("Unchanged"), std::string::npos);
}
