// The family's own pages through the real HTTP server, on the backend under test (SQLite: label
// db, PostgreSQL: label pg), with the demo data: Chris, Noah Demo-Smith's grandmother (the demo's
// family account), reads his plan in French, signs it and writes the team a note on a goal, which
// the coordinator reads under that goal; bad input — marked-up or oversized comments, notes
// marked up or empty, a version the plan has moved past, malformed or unknown codes — is a field
// error in her language and changes nothing.
#include <gtest/gtest.h>

#include "app/demo_data.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

class FamilyWeb : public testsupport::DemoServerTest {
  protected:
    Client family(const std::string& lang) {
        Client c = sign_in(app::demo_family_login);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::int64_t noah() { return scalar("SELECT id FROM people WHERE family_name = 'Demo-Smith'"); }
    std::string path() { return "/family/children/" + std::to_string(noah()); }
    std::int64_t version() { return scalar("SELECT version FROM plans WHERE person_id = ?", {noah()}); }
    std::int64_t signatures() { return scalar("SELECT COUNT(*) FROM plan_signatures"); }
    // A message of the catalogue as a page shows it (HTML-escaped).
};

TEST_F(FamilyWeb, TheFamilyReadsTheirPlanAndSignsItWithFieldErrorsInTheirLanguage) {
    auto c = family("fr");
    auto home = c.get("/");
    EXPECT_EQ(home.status, 303);
    EXPECT_EQ(home.header("location"), "/family");
    auto files = c.get("/family");
    ASSERT_EQ(files.status, 200);
    EXPECT_TRUE(files.has("Noah"));
    auto page = c.get(path());
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(page.has("Demo-Smith")) << "the plan's page does not name the child";
    const auto v = std::to_string(version());
    const auto before = signatures();

    // Marked up, oversized, a version the plan has moved past: field errors in French, nothing signed.
    auto r =
        c.submit(path(), path() + "/sign", "version=" + v + "&decision=changes_asked&comment=" + enc("<b>Ajoutez</b> le soccer"));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "field.no_markup"))) << r.body.substr(0, 3000);
    r = c.submit(path(), path() + "/sign", "version=" + v + "&decision=changes_asked&comment=" + std::string(2001, 'a'));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "field.too_long", {"2000"})));
    r = c.submit(path(), path() + "/sign", "version=" + v + "&decision=changes_asked&comment=");
    EXPECT_EQ(r.status, 422);
    r = c.submit(path(), path() + "/sign", "version=1&decision=agreed");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "plan.error.signature_stale", {"1", v})));
    r = c.submit(path(), path() + "/sign", "version=" + v + "&decision=maybe");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(signatures(), before);

    // Agreed: on record with the version, shown to the family and to the coordinator.
    r = c.submit(path(), path() + "/sign", "version=" + v + "&decision=agreed");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(signatures(), before + 1);
    EXPECT_EQ(scalar("SELECT version FROM plan_signatures ORDER BY id DESC LIMIT 1"), version());
    page = c.get(path());
    EXPECT_TRUE(page.has(shown(Lang::fr, "family.signature.agreed", {"Chris", v, ""}).substr(0, 20)));
    auto coord = sign_in("coord3@demo.arrimage.invalid");
    coord.set_cookie("arrimage_lang", "en");
    auto staff_page = coord.get("/children/" + std::to_string(noah()) + "/plan");
    ASSERT_EQ(staff_page.status, 200);
    EXPECT_TRUE(staff_page.has(shown(Lang::en, "plan.agreement.current", {v})));
}

TEST_F(FamilyWeb, TheFamilysNoteOnAGoalReachesTheTeamUnderThatGoal) {
    auto c = family("fr");
    const auto goal = scalar(
        "SELECT g.id FROM plan_goals g JOIN plans p ON p.id = g.plan_id WHERE p.person_id = ? AND g.text LIKE 'Chris wants%'",
        {noah()});
    ASSERT_NE(goal, 0);
    const auto notes = [&] { return scalar("SELECT COUNT(*) FROM plan_family_notes WHERE goal_id = ?", {goal}); };
    const auto start = notes();  // the demo's own note may be on it
    auto page = c.get(path());
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::fr, "family.note.form_heading")));
    {
        // "The whole plan" is the goal's empty choice: no "Choose…" beside it.
        const auto select = page.body.find("id=\"note-field-goal\"");
        ASSERT_NE(select, std::string::npos);
        const std::string options = page.body.substr(select, page.body.find("</select>", select) - select);
        EXPECT_NE(options.find(shown(Lang::fr, "family.note.whole_plan")), std::string::npos);
        EXPECT_EQ(options.find(shown(Lang::fr, "form.choose")), std::string::npos);
    }
    const std::string to = path() + "/notes";

    // Marked up, or empty: field errors in French, nothing written.
    auto r = c.submit(path(), to, "goal=" + std::to_string(goal) + "&note=" + enc("<a href=\"x\">Voir ici</a>"));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "field.no_markup"))) << r.body.substr(0, 3000);
    r = c.submit(path(), to, "goal=" + std::to_string(goal) + "&note=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "field.required")));
    r = c.submit(path(), to, "goal=deux&note=" + enc("Une note."));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "field.choose_from_list")));
    EXPECT_EQ(notes(), start);

    // A good note: on record, on the family's page and under its goal on the coordinator's.
    const std::string words = "Chris a pris sa première fin de semaine de congé en mars.";
    const auto before = version();
    r = c.submit(path(), to, "goal=" + std::to_string(goal) + "&note=" + enc(words));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(notes(), start + 1);
    EXPECT_EQ(scalar("SELECT goal_id FROM plan_family_notes ORDER BY id DESC LIMIT 1"), goal);
    page = c.get(path());
    EXPECT_TRUE(page.has(words));
    auto coord = sign_in("coord3@demo.arrimage.invalid");
    coord.set_cookie("arrimage_lang", "en");
    auto staff_page = coord.get("/children/" + std::to_string(noah()) + "/plan");
    ASSERT_EQ(staff_page.status, 200);
    EXPECT_TRUE(staff_page.has(shown(Lang::en, "plan.family_notes.on_goal")));
    const auto under = staff_page.body.find("Chris wants a weekend off once a month.");
    const auto note = staff_page.body.find(words);
    const auto next = staff_page.body.find("Noah joins a basketball team this winter.");
    ASSERT_NE(note, std::string::npos) << staff_page.body.substr(0, 3000);
    EXPECT_LT(under, note) << "the note is under its goal";
    EXPECT_LT(note, next) << "the note is under its goal, before the next one";
    EXPECT_EQ(version(), before) << "a note is not a change of the plan";
}

TEST_F(FamilyWeb, JoiningWithABadCodeIsAFieldErrorAndCreatesNothing) {
    Client c(port_);
    c.set_cookie("arrimage_lang", "fr");
    const auto users = scalar("SELECT COUNT(*) FROM users");
    auto r = c.submit("/family/join", "/family/join", "step=code&code=ABC");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "family.error.code_format")));
    r = c.submit("/family/join", "/family/join", "step=code&code=ZZZZ-ZZZZ-ZZZZ");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "family.error.code_unknown")));
    r = c.submit("/family/join", "/family/join",
                 "code=ZZZZ-ZZZZ-ZZZZ&display_name=Ana&password=" + enc("a long family password") +
                     "&password_confirm=" + enc("a long family password") + "&lang=fr");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM users"), users);
    // The demo's spent invitation: refused, and the refusal is on record against the file.
    const auto denials =
        scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND user_id IS NULL AND decision = 'deny'", {noah()});
    r = c.submit("/family/join", "/family/join", "step=code&code=DEMQ-2W3E-4R5T");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::fr, "family.error.code_used")));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE person_id = ? AND user_id IS NULL AND decision = 'deny'", {noah()}),
              denials + 1);
}

TEST_F(FamilyWeb, TheFamilySeesWhoAccessedTheirFileForAPeriod) {
    auto c = family("en");
    const std::string report = path() + "/access";
    auto r = c.get(report);
    ASSERT_EQ(r.status, 200);
    // Noah's coordinator made the plan: their accesses are listed, with their organisation.
    const auto coordinator = scalar_text("SELECT display_name FROM users WHERE email = 'coord3@demo.arrimage.invalid'");
    EXPECT_TRUE(r.has(coordinator)) << r.body.substr(0, 3000);
    EXPECT_TRUE(r.has(shown(Lang::en, "privacy.reason.family_access"))) << "the family's own reads are listed too";
    // Only this file's rows.
    const auto lea = scalar("SELECT id FROM people WHERE family_name = 'Démo-Tremblay'");
    EXPECT_FALSE(r.has(shown(Lang::en, "people.file_number", {std::to_string(lea)})));
    // A period: bad dates are field errors; a period before anything happened is empty.
    r = c.get(report + "?from=2026-02-30&to=");
    EXPECT_EQ(r.status, 422);
    r = c.get(report + "?from=2026-03-02&to=2026-03-01");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "privacy_office.error.period_order")));
    r = c.get(report + "?from=2001-01-01&to=2001-12-31");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "privacy_office.report_empty")));
    // Another family's file: as if it did not exist, on record.
    const auto user = scalar("SELECT id FROM users WHERE email = ?", {std::string(app::demo_family_login)});
    const auto before =
        scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND decision = 'deny'", {user, lea});
    r = c.get("/family/children/" + std::to_string(lea) + "/access");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND person_id = ? AND decision = 'deny'", {user, lea}),
              before + 1);
    // The same rows as a PDF, in the language asked; a bad period shows the page with its error.
    r = c.get(report + ".pdf?lang=fr");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body.substr(0, 5), "%PDF-");
    EXPECT_EQ(c.get(report + ".pdf?from=2026-02-30").status, 422);
    EXPECT_TRUE(c.get(report).has(report + ".pdf?lang=en")) << "the page links its PDF";
    // Staff do not use the family's page.
    auto staff = sign_in("coord3@demo.arrimage.invalid");
    EXPECT_EQ(staff.get(report).status, 404);
    EXPECT_EQ(staff.get(report + ".pdf").status, 404);
}
