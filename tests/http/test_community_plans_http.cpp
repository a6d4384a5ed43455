// The community plans registry over HTTP, on the demo data (pages_community_plans.cpp): the
// coordinating agency's administrator records a plan through its form, approves it (its next
// review set from the approval date by its cycle), opens its review, approves it again and
// retires it (the review date cleared); changes its terms from the version the form was shown
// with (areas deactivated since kept among its choices); filters the registry by where each
// review stands, an empty one saying why. Bad input is a field error in the user's language
// (422), on its field and in the error summary, and writes nothing; a move or a change no longer
// possible, or a change over terms changed meanwhile even with field errors, is refused with its
// message (409). Provider managers read the plans of their area, the ministry's
// analyst reads every plan and changes none, anyone else is refused; a plan of another area is
// not found. Each test records its own plans through the pages: the demo's (app/demo_network.cpp)
// are counted, never assumed.
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

// The first group `pattern` captures in `html`, "" when it does not match.
std::string captured(const std::string& html, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

// A plan's terms as its form posts them.
struct Terms {
    std::string title_fr, title_en, kind = "community_safety_wellbeing", owner_organisation, owner_name, description, scope,
                                    cycle = "every_10_years", fixed_review_on, yearly_progress;
    std::vector<std::string> areas, organisations;

    std::string form() const {
        std::string f = "title_fr=" + enc(title_fr) + "&title_en=" + enc(title_en) + "&kind=" + enc(kind) +
                        "&owner_organisation=" + enc(owner_organisation) + "&owner_name=" + enc(owner_name) +
                        "&description=" + enc(description) + "&scope=" + enc(scope) + "&cycle=" + enc(cycle) +
                        "&fixed_review_on=" + enc(fixed_review_on);
        if (!yearly_progress.empty()) f += "&yearly_progress=" + enc(yearly_progress);
        for (const auto& a : areas) f += "&areas=" + enc(a);
        for (const auto& o : organisations) f += "&organisations=" + enc(o);
        return f;
    }
};

// The demo organisations the tests name, by their English names (app/demo_data.cpp).
const std::string agency = "Demo Coordinating Agency";
const std::string town = "Town of Demoville";

const std::string admin_email = "ca.admin@demo.arrimage.invalid";

}  // namespace

class CommunityPlansWeb : public testsupport::DemoServerTest {
  protected:
    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // The day `n` days from today on the app's clock (before it when negative).
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    // The same day `years` later.
    static std::string years_after(const std::string& iso, int years) { return add_years(*parse_date(iso), years).iso(); }
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    std::string org_name(const std::string& name_en, Lang lang) {
        return lang == Lang::en ? name_en : scalar_text("SELECT name_fr FROM organisations WHERE name_en = ?", {name_en});
    }
    // The demo administrator's area.
    std::int64_t area() {
        return scalar(
            "SELECT o.sda_id FROM users u JOIN memberships m ON m.user_id = u.id JOIN organisations o ON "
            "o.id = m.organisation_id WHERE u.email = ?",
            {admin_email});
    }
    std::string area_name(Lang lang) {
        return scalar_text(
            std::string("SELECT ") + (lang == Lang::fr ? "name_fr" : "name_en") + " FROM service_delivery_areas WHERE id = ?",
            {area()});
    }
    // The plans that involve the demo area, as many as its registry should count.
    std::int64_t in_area(const std::string& where = "1 = 1") {
        return scalar(
            "SELECT COUNT(DISTINCT p.id) FROM community_plans p JOIN community_plan_areas a ON a.plan_id = p.id "
            "WHERE a.sda_id = ? AND " +
                where,
            {area()});
    }
    std::string count_line(Lang lang, std::int64_t n) {
        return "<p>" + shown(lang, "network.plan.count", {std::to_string(n)}) + "</p>";
    }
    // Rows of the registry's tables: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM community_plans) + (SELECT COUNT(*) FROM community_plan_areas) + "
            "(SELECT COUNT(*) FROM community_plan_organisations) + (SELECT COUNT(*) FROM community_plan_events)");
    }
    // The town's community safety and well-being plan, every 10 years, in the demo area.
    Terms terms(const std::string& name) {
        Terms t;
        t.title_fr = "Plan d’essai — " + name;
        t.title_en = "Test plan — " + name;
        t.owner_organisation = org(town);
        t.description = "Une approche intégrée de la sécurité communautaire.\nElle va au-delà de la présence policière.";
        t.scope = "Toute la municipalité.";
        t.areas = {std::to_string(area())};
        t.organisations = {org(town), org(agency)};
        return t;
    }
    // Records a plan through its form: its page's address ("" when refused).
    std::string record(Client& c, const Terms& t) {
        auto r = c.submit("/network/plans/new", "/network/plans", t.form());
        EXPECT_EQ(r.status, 303) << t.title_en << "\n" << r.body.substr(0, 2000);
        return r.status == 303 ? r.header("location") : std::string();
    }
    // Posts one of the plan page's forms.
    Reply fire(Client& c, const std::string& href, const std::string& event, const std::string& form = "") {
        return c.submit(href, href + "/" + event, form);
    }
    static std::int64_t id_of(const std::string& href) { return std::stoll(href.substr(std::string("/network/plans/").size())); }
    std::string column(const std::string& href, const std::string& name) {
        return scalar_text("SELECT " + name + " FROM community_plans WHERE id = ?", {id_of(href)});
    }
    std::string status_shown(Lang lang, const std::string& status) {
        return "<dd>" + shown(lang, "network.plan.status." + status) + "</dd>";
    }
    static bool lists(const Reply& r, const std::string& href) { return r.has("<a href=\"" + href + "\">"); }
    // A new active organisation of the demo area, its id.
    std::string add_organisation(const std::string& name_fr, const std::string& name_en) {
        auto tx = t_->db->begin(store::TxMode::write);
        domain::Organisation o;
        o.sda_id = area();
        o.name_fr = name_fr;
        o.name_en = name_en;
        o.sector = domain::Sector::education;
        o.csp_roles = {domain::CspRole::broader_partner};
        const auto id = *store::IdentityRepo(*tx, clock_).create_organisation(o, 0);
        tx->commit();
        return std::to_string(id);
    }
    void exec(const std::string& sql, const store::Params& params = {}) {
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec(sql, params);
        tx->commit();
    }
    std::string version_of(const Reply& form) { return captured(form.body, "name=\"version\" value=\"([0-9]+)\""); }
    // A user of a new area "West" with `role` in a new organisation of it (password "west password").
    std::int64_t west_user(const std::string& email, domain::Role role, std::int64_t& west_area) {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        west_area = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = west_area;
        o.name_fr = "Services familiaux Ouest";
        o.name_en = "West Family Services";
        o.sector = domain::Sector::childrens_services;
        o.csp_roles = {domain::CspRole::csp_provider};
        const auto organisation = *repo.create_organisation(o, 0);
        const auto user = *repo.create_user({email, "West Manager", Lang::en}, 0);
        EXPECT_TRUE(repo.add_membership(user, {organisation, role}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash_password("west password", PasswordHashCost::minimum()));
        tx->commit();
        return user;
    }
    Client west_client(const std::string& email) {
        Client c(port_);
        EXPECT_EQ(c.submit("/login", "/login", "email=" + enc(email) + "&password=west+password").status, 303);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
};

TEST_F(CommunityPlansWeb, TheAgencyRecordsAPlanThroughItsForm) {
    auto admin = as(admin_email, "en");
    const auto before = in_area();
    auto list = admin.get("/network/plans");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<h1>" + shown(Lang::en, "network.plan.list_title") + "</h1>"));
    EXPECT_TRUE(list.has("href=\"/network/plans/new\""));
    EXPECT_TRUE(list.has(count_line(Lang::en, before)));

    // The form: the administrator's own area ticked, the review cycles each with what it means,
    // the organisations as a multiple choice list.
    auto form = admin.get("/network/plans/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<h1>" + shown(Lang::en, "network.plan.new_title") + "</h1>"));
    EXPECT_TRUE(form.has("action=\"/network/plans\""));
    EXPECT_TRUE(form.has("name=\"areas\" value=\"" + std::to_string(area()) + "\" checked"));
    for (const char* cycle : {"every_10_years", "every_5_years", "fixed_date", "ongoing"}) {
        EXPECT_TRUE(form.has("name=\"cycle\" value=\"" + std::string(cycle) + "\"")) << cycle;
        EXPECT_TRUE(form.has(shown(Lang::en, "network.plan.cycle_hint." + std::string(cycle)))) << cycle;
    }
    EXPECT_TRUE(form.has("aria-describedby=\"field-cycle-0-hint\""));
    EXPECT_TRUE(form.has("name=\"organisations\" multiple size=\"8\""));
    EXPECT_TRUE(form.has("<label class=\"ontario-label\" for=\"field-organisations\">"));
    EXPECT_TRUE(form.has("<option value=\"" + org(town) + "\">" + town + "</option>"));
    EXPECT_TRUE(form.has(shown(Lang::en, "network.plan.hint.owner_organisation")));
    EXPECT_TRUE(form.has(shown(Lang::en, "network.plan.hint.fixed_review_on")));
    EXPECT_TRUE(
        form.has("value=\"community_safety_wellbeing\">" + shown(Lang::en, "network.plan.kind.community_safety_wellbeing")));

    const Terms t = terms("Nord");
    auto r = admin.submit("/network/plans/new", "/network/plans", t.form());
    ASSERT_EQ(r.status, 303);
    const std::string href = r.header("location");
    ASSERT_TRUE(std::regex_match(href, std::regex("/network/plans/[0-9]+"))) << href;
    const std::string reference = column(href, "reference");
    EXPECT_FALSE(reference.empty());
    EXPECT_EQ(column(href, "status"), "in_development");
    EXPECT_EQ(column(href, "title_en"), t.title_en);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM community_plan_organisations WHERE plan_id = ?", {id_of(href)}), 2);
    EXPECT_EQ(in_area(), before + 1);

    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.plan.recorded"))) << "the flash";
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<h1>" + (lang == Lang::fr ? t.title_fr : t.title_en) + "</h1>"));
        EXPECT_TRUE(page.has("<dd>" + reference + "</dd>"));
        EXPECT_TRUE(page.has(status_shown(lang, "in_development")));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.plan.kind.community_safety_wellbeing") + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + org_name(town, lang) + "</dd>")) << "its owner";
        EXPECT_TRUE(page.has("<li>" + org_name(agency, lang) + "</li>"));
        EXPECT_TRUE(page.has("<li>" + area_name(lang) + "</li>"));
        EXPECT_TRUE(page.has(shown(lang, "network.plan.cycle.every_10_years")));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.plan.not_approved") + "</dd>"));
        EXPECT_TRUE(page.has(shown(lang, "network.plan.review.none"))) << "no review before its approval";
        EXPECT_TRUE(page.has("Elle va au-delà de la présence policière."));
        // What may be done now: approve it with its date, or retire it with a reason.
        EXPECT_TRUE(page.has("action=\"" + href + "/approve\""));
        EXPECT_TRUE(page.has("id=\"approve-field-approved_on\""));
        EXPECT_TRUE(page.has(shown(lang, "network.plan.event.approve")));
        EXPECT_TRUE(page.has("action=\"" + href + "/retire\""));
        EXPECT_TRUE(page.has("id=\"retire-field-note\""));
        EXPECT_FALSE(page.has("action=\"" + href + "/open_review\""));
        EXPECT_FALSE(page.has("action=\"" + href + "/reapprove\""));
        EXPECT_TRUE(page.has("href=\"" + href + "/edit\""));
        EXPECT_TRUE(page.has("<h2 id=\"history-heading\">" + shown(lang, "network.plan.history_heading") + "</h2>"));
    }

    // The registry lists it.
    admin.set_cookie("arrimage_lang", "en");
    list = admin.get("/network/plans");
    EXPECT_TRUE(lists(list, href));
    EXPECT_TRUE(list.has(reference));
    EXPECT_TRUE(list.has(count_line(Lang::en, before + 1)));
}

TEST_F(CommunityPlansWeb, BadTermsAreFieldErrorsInTheUsersLanguageAndRecordNothing) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto refused = [&](const Terms& t, const std::string& field, const std::string& key) {
            SCOPED_TRACE(field + ": " + key);
            auto r = admin.submit("/network/plans/new", "/network/plans", t.form());
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has(shown(lang, key)));
            EXPECT_TRUE(r.has("id=\"error-" + field + "\"")) << "the message is on its field";
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\"")) << "the summary links to it";
            EXPECT_TRUE(r.has(shown(lang, "form.error_summary")));
            return r;
        };

        // Both titles.
        Terms t = terms("Sans titres");
        t.title_fr = "";
        t.title_en = "";
        auto r = refused(t, "title_fr", "field.required");
        EXPECT_TRUE(r.has("id=\"error-title_en\""));
        EXPECT_TRUE(r.has(">Toute la municipalité.</textarea>")) << "what was typed is kept";
        EXPECT_TRUE(r.has("<option value=\"" + org(agency) + "\" selected>")) << "and what was chosen";

        // No owner: an organisation or a name.
        t = terms("Sans responsable");
        t.owner_organisation = "";
        t.owner_name = "";
        r = refused(t, "owner_organisation", "network.plan.owner_required");
        EXPECT_TRUE(r.has("value=\"" + t.title_en + "\""));
        EXPECT_TRUE(r.has(lang == Lang::en ? "Choose the owner organisation or enter the owner&apos;s name."
                                           : "Choisissez l&apos;organisme responsable ou inscrivez le nom du responsable."));

        // A fixed deadline needs its date.
        t = terms("Échéance");
        t.cycle = "fixed_date";
        t.fixed_review_on = "";
        refused(t, "fixed_review_on", "field.required");
        t.fixed_review_on = "2026-02-30";
        refused(t, "fixed_review_on", "people.invalid_date");

        // At least one area.
        t = terms("Sans zone");
        t.areas = {};
        refused(t, "areas", "field.choose_at_least_one");

        t = terms("Genre");
        t.kind = "bogus";
        refused(t, "kind", "field.choose_from_list");
        t = terms("Cycle");
        t.cycle = "";
        refused(t, "cycle", "field.required");
        t = terms("Organismes");
        t.organisations = {org(town), "999999"};
        refused(t, "organisations", "field.choose_from_list");

        auto list = admin.get("/network/plans");
        EXPECT_TRUE(list.has(count_line(lang, in_area()))) << "nothing more in the registry";
    }
    EXPECT_EQ(written(), before);
}

TEST_F(CommunityPlansWeb, ApprovalSetsTheNextReviewAndBadDatesAreFieldErrors) {
    auto admin = as(admin_email, "en");
    Terms t = terms("Approuvé");
    t.yearly_progress = "1";
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    const auto before = written();

    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = fire(admin, href, "approve", "approved_on=" + day(1));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "network.plan.approved_in_future")));
        EXPECT_TRUE(r.has("id=\"approve-error-approved_on\""));
        EXPECT_TRUE(r.has("href=\"#approve-field-approved_on\""));
        EXPECT_TRUE(r.has("value=\"" + day(1) + "\"")) << "the date typed is kept";
        EXPECT_TRUE(r.has(status_shown(lang, "in_development")));
        r = fire(admin, href, "approve", "approved_on=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"approve-error-approved_on\""));
        r = fire(admin, href, "approve", "approved_on=2026-13-01");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"approve-error-approved_on\""));
    }
    EXPECT_EQ(column(href, "status"), "in_development");
    EXPECT_EQ(written(), before);

    // Approved yesterday: reviewed ten years later, its yearly report on the next anniversary.
    admin.set_cookie("arrimage_lang", "en");
    const std::string approved = day(-1);
    const std::string review = years_after(approved, 10);
    auto r = fire(admin, href, "approve", "approved_on=" + approved);
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "status"), "approved");
    EXPECT_EQ(column(href, "approved_on"), approved);
    EXPECT_EQ(column(href, "next_review_on"), review);
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has(status_shown(lang, "approved")));
        EXPECT_TRUE(page.has("<dd>" + approved + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + review + " — " + shown(lang, "network.plan.review.upcoming") + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + years_after(approved, 1) + "</dd>")) << "the next yearly progress report";
        EXPECT_TRUE(page.has(shown(lang, "network.plan.history.approve")));
        EXPECT_TRUE(page.has("Claude Admin-Démo")) << "who approved it";
        EXPECT_FALSE(page.has("action=\"" + href + "/approve\""));
        EXPECT_TRUE(page.has("action=\"" + href + "/open_review\""));
        EXPECT_TRUE(page.has(shown(lang, "network.plan.event.open_review")));
        // Approving twice is no longer possible: said in words, nothing written.
        const auto moved = written();
        r = fire(admin, href, "approve", "approved_on=" + day(0));
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "lifecycle.not_from_state")));
        EXPECT_TRUE(r.has("role=\"alert\""));
        EXPECT_EQ(written(), moved);
    }
    admin.set_cookie("arrimage_lang", "en");
    EXPECT_TRUE(lists(admin.get("/network/plans"), href));
    EXPECT_TRUE(admin.get("/network/plans").has(review));

    // Under review, then approved again: not before the previous approval.
    ASSERT_EQ(fire(admin, href, "open_review").status, 303);
    EXPECT_EQ(column(href, "status"), "under_review");
    r = fire(admin, href, "reapprove", "approved_on=" + day(-30));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.plan.approval_before_previous")));
    EXPECT_TRUE(r.has("id=\"reapprove-error-approved_on\""));
    EXPECT_EQ(column(href, "status"), "under_review");
    r = fire(admin, href, "reapprove", "approved_on=" + day(0));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(column(href, "status"), "approved");
    EXPECT_EQ(column(href, "next_review_on"), years_after(day(0), 10));

    // Retiring needs its reason.
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = fire(admin, href, "retire", "note=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.required")));
        EXPECT_TRUE(r.has("id=\"retire-error-note\""));
        EXPECT_TRUE(r.has("href=\"#retire-field-note\""));
        EXPECT_TRUE(r.has(status_shown(lang, "approved")));
    }
    EXPECT_EQ(column(href, "status"), "approved");
    admin.set_cookie("arrimage_lang", "en");
    const std::string reviewed = column(href, "next_review_on");
    ASSERT_FALSE(reviewed.empty());
    r = fire(admin, href, "retire", "note=" + enc("Remplacé par le plan régional."));
    EXPECT_EQ(r.status, 303);
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.plan.done.retire")));
    EXPECT_TRUE(page.has(status_shown(Lang::en, "retired")));
    // A retired plan is no longer reviewed: no date, on its page nor in the registry.
    EXPECT_EQ(column(href, "next_review_on"), "");
    EXPECT_FALSE(page.has(reviewed));
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "network.plan.review.none") + "</dd>"));
    EXPECT_FALSE(admin.get("/network/plans?status=retired").has(reviewed));
    EXPECT_TRUE(page.has("Remplacé par le plan régional."));
    EXPECT_FALSE(page.has(shown(Lang::en, "network.plan.actions_heading")));
    EXPECT_FALSE(page.has("href=\"" + href + "/edit\""));
    const auto ended = written();
    r = admin.get(href + "/edit");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.plan.retired")));
    EXPECT_EQ(fire(admin, href, "retire", "note=" + enc("Encore.")).status, 409);
    EXPECT_EQ(written(), ended);

    // No such move, no such plan.
    EXPECT_EQ(fire(admin, href, "nonsense").status, 404);
    EXPECT_EQ(fire(admin, "/network/plans/999999", "approve", "approved_on=" + day(0)).status, 404);
    EXPECT_EQ(fire(admin, "/network/plans/abc", "approve").status, 404);
    EXPECT_EQ(admin.get("/network/plans/999999").status, 404);
    EXPECT_EQ(admin.get("/network/plans/abc").status, 404);
}

TEST_F(CommunityPlansWeb, AFiveYearPlanIsReviewedFiveYearsAfterItsApproval) {
    auto admin = as(admin_email, "en");
    Terms t = terms("Enfance");
    t.kind = "childrens_services";
    t.cycle = "every_5_years";
    t.owner_organisation = "";
    t.owner_name = "Gestionnaire de services municipaux regroupés de l’Est";
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(fire(admin, href, "approve", "approved_on=" + day(-10)).status, 303);
    EXPECT_EQ(column(href, "next_review_on"), years_after(day(-10), 5));
    auto page = admin.get(href);
    EXPECT_TRUE(page.has("<dd>" + t.owner_name + "</dd>")) << "an owner by name";
    EXPECT_TRUE(page.has("<dd>" + shown(Lang::en, "network.plan.no_progress_report") + "</dd>"));
}

TEST_F(CommunityPlansWeb, AStaleEditIsRefusedWithItsMessage) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Modifié");
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());

    auto edit = admin.get(href + "/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.has("action=\"" + href + "/edit\""));
    EXPECT_TRUE(edit.has("value=\"" + t.title_en + "\""));
    EXPECT_TRUE(edit.has("name=\"areas\" value=\"" + std::to_string(area()) + "\" checked"));
    const std::string version = captured(edit.body, "name=\"version\" value=\"([0-9]+)\"");
    ASSERT_FALSE(version.empty());

    // Bad terms: the form again with the errors and the version it was posted with, nothing
    // changed.
    Terms bad = t;
    bad.title_en = "";
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + bad.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-title_en\""));
    EXPECT_EQ(version_of(r), version) << "the posted version";
    EXPECT_EQ(column(href, "title_en"), t.title_en);

    Terms changed = t;
    changed.title_en = "Their title";
    changed.cycle = "fixed_date";
    changed.fixed_review_on = day(200);
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + changed.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "title_en"), "Their title");
    EXPECT_EQ(column(href, "next_review_on"), day(200)) << "computed again";
    EXPECT_TRUE(admin.get(href).has(shown(Lang::en, "network.plan.saved")));

    const auto after_edit = written();
    const std::string current = version_of(admin.get(href + "/edit"));
    ASSERT_FALSE(current.empty());
    ASSERT_NE(current, version);
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        Terms stale = t;
        stale.title_en = "My title";
        r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + stale.form());
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "network.plan.changed_meanwhile")));
        EXPECT_TRUE(r.has("value=\"Their title\"")) << "the form holds the plan as it is now";
        EXPECT_FALSE(r.has("value=\"My title\""));
        EXPECT_EQ(version_of(r), current) << "with its current version";
        r = admin.submit(href + "/edit", href + "/edit", stale.form());
        EXPECT_EQ(r.status, 409) << "no version is never the current one";

        // Stale and wrong: out of date first, not a field error to correct over terms that have
        // changed.
        Terms stale_bad = stale;
        stale_bad.title_en = "";
        r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + stale_bad.form());
        EXPECT_EQ(r.status, 409);
        EXPECT_TRUE(r.has(shown(lang, "network.plan.changed_meanwhile")));
        EXPECT_FALSE(r.has("id=\"error-title_en\""));
        EXPECT_TRUE(r.has("value=\"Their title\""));
        EXPECT_EQ(version_of(r), current);
    }
    EXPECT_EQ(column(href, "title_en"), "Their title");
    EXPECT_EQ(written(), after_edit);
}

// The edit form sent back with field errors keeps the version it was first shown with: a move
// made meanwhile (each move is a new version) is still noticed when it is corrected and sent.
TEST_F(CommunityPlansWeb, AFormSentBackWithErrorsKeepsItsVersion) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Version");
    const std::string href = record(admin, t);
    ASSERT_FALSE(href.empty());
    const std::string version = version_of(admin.get(href + "/edit"));
    ASSERT_FALSE(version.empty());

    Terms bad = t;
    bad.title_fr = "";
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + bad.form());
    ASSERT_EQ(r.status, 422);
    const std::string carried = version_of(r);
    EXPECT_EQ(carried, version);

    // Meanwhile, the plan is approved: the corrected form is out of date.
    ASSERT_EQ(fire(admin, href, "approve", "approved_on=" + day(-1)).status, 303);
    Terms corrected = t;
    corrected.title_en = "Corrected";
    r = admin.submit(href + "/edit", href + "/edit", "version=" + carried + "&" + corrected.form());
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.plan.changed_meanwhile")));
    EXPECT_EQ(column(href, "title_en"), t.title_en);
    const std::string now = version_of(r);
    ASSERT_NE(now, carried);
    r = admin.submit(href + "/edit", href + "/edit", "version=" + now + "&" + corrected.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(column(href, "title_en"), "Corrected");
}

// Opening a plan's review takes an optional note, kept in its history; a note too long is a field
// error on that form.
TEST_F(CommunityPlansWeb, OpeningTheReviewTakesAnOptionalNote) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Note"));
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(fire(admin, href, "approve", "approved_on=" + day(-1)).status, 303);
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<label class=\"ontario-label\" for=\"open_review-field-note\">" +
                             shown(lang, "network.plan.field.note") + "</label>"));
        EXPECT_TRUE(page.has(shown(lang, "network.plan.hint.note")));
        EXPECT_FALSE(page.has("id=\"open_review-field-note\" name=\"note\" rows=\"5\" aria-required")) << "optional";
        auto r = fire(admin, href, "open_review", "note=" + std::string(2001, 'x'));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"open_review-error-note\""));
        EXPECT_TRUE(r.has("href=\"#open_review-field-note\""));
        EXPECT_TRUE(r.has(status_shown(lang, "approved")));
    }
    EXPECT_EQ(column(href, "status"), "approved");
    admin.set_cookie("arrimage_lang", "en");
    auto r = fire(admin, href, "open_review", "note=" + enc("Demandée par le conseil municipal."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(column(href, "status"), "under_review");
    auto page = admin.get(href);
    EXPECT_TRUE(page.has("<td class=\"arr-prewrap\">Demandée par le conseil municipal.</td>")) << "in its history";
}

// An empty registry says why: nothing recorded yet, or nothing matching the filters.
TEST_F(CommunityPlansWeb, AnEmptyRegistrySaysWhy) {
    std::int64_t west = 0;
    west_user("west.reader@example.org", domain::Role::provider_manager, west);
    auto manager = west_client("west.reader@example.org");
    auto r = manager.get("/network/plans");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<p>" + shown(Lang::en, "network.plan.empty") + "</p>")) << "no plan involves their area";
    EXPECT_FALSE(r.has(shown(Lang::en, "network.plan.none")));
    r = manager.get("/network/plans?status=approved");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<p>" + shown(Lang::en, "network.plan.none") + "</p>"));
    EXPECT_FALSE(r.has(shown(Lang::en, "network.plan.empty")));
    r = manager.get("/network/plans?status=bogus");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("<p>" + shown(Lang::en, "network.plan.empty") + "</p>")) << "the whole registry under the error";

    auto admin = as(admin_email, "fr");
    r = admin.get("/network/plans?kind=other&status=retired&review=overdue");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<p>" + shown(Lang::fr, "network.plan.none") + "</p>")) << "a retired plan is never overdue";
}

// An area the plan involves stays among the edit form's choices, checked, after it is
// deactivated; a new plan's form offers active areas only. The organisations sort in the reader's
// language with their accents folded.
TEST_F(CommunityPlansWeb, TheEditFormKeepsTheAreasThePlanInvolves) {
    std::int64_t west = 0;
    west_user("west.other@example.org", domain::Role::provider_manager, west);
    auto admin = as(admin_email, "fr");
    Terms both = terms("Zone fermée");
    both.areas = {std::to_string(area()), std::to_string(west)};
    const std::string href = record(admin, both);
    ASSERT_FALSE(href.empty());
    exec("UPDATE service_delivery_areas SET active = 0 WHERE id = ?", {west});

    const std::string west_box = "name=\"areas\" value=\"" + std::to_string(west) + "\"";
    EXPECT_FALSE(admin.get("/network/plans/new").has(west_box)) << "no longer offered to new plans";
    auto edit = admin.get(href + "/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.has(west_box + " checked"));
    // Kept: the change goes through.
    Terms changed = both;
    changed.title_en = "Closed area kept";
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version_of(edit) + "&" + changed.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(column(href, "title_en"), "Closed area kept");

    // "École" among the E, not after "Fondation".
    add_organisation("Fondation Zed (essai)", "Zed Foundation (test)");
    add_organisation("École des Pins (essai)", "Pines School (test)");
    auto form = admin.get("/network/plans/new");
    ASSERT_EQ(form.status, 200);
    const auto school = form.body.find(">École des Pins (essai)</option>");
    const auto foundation = form.body.find(">Fondation Zed (essai)</option>");
    ASSERT_NE(school, std::string::npos);
    ASSERT_NE(foundation, std::string::npos);
    EXPECT_LT(school, foundation);
}

TEST_F(CommunityPlansWeb, TheRegistryIsFilteredAndABadFilterIsAFieldError) {
    auto admin = as(admin_email, "en");
    Terms o = terms("En retard");
    o.kind = "population_health_equity";
    o.cycle = "fixed_date";
    o.fixed_review_on = day(-10);
    const std::string overdue = record(admin, o);
    Terms s = terms("Bientôt");
    s.kind = "population_health_equity";
    s.cycle = "fixed_date";
    s.fixed_review_on = day(30);
    const std::string soon = record(admin, s);
    Terms l = terms("Plus tard");
    l.kind = "childrens_services";
    l.cycle = "every_5_years";
    const std::string later = record(admin, l);
    Terms g = terms("En continu");
    g.kind = "navigation_model";
    g.cycle = "ongoing";
    const std::string ongoing = record(admin, g);
    ASSERT_FALSE(overdue.empty() || soon.empty() || later.empty() || ongoing.empty());
    ASSERT_EQ(fire(admin, later, "approve", "approved_on=" + day(-1)).status, 303);

    auto r = admin.get("/network/plans?review=overdue");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, overdue));
    EXPECT_FALSE(lists(r, soon));
    EXPECT_FALSE(lists(r, later));
    EXPECT_FALSE(lists(r, ongoing));
    EXPECT_TRUE(r.has("<option value=\"overdue\" selected>")) << "the filter keeps its choice";
    EXPECT_TRUE(r.has(count_line(
        Lang::en, in_area("p.status <> 'retired' AND p.next_review_on <> '' AND p.next_review_on < '" + day(0) + "'"))));
    // Where its review stands, in words and set apart, not by colour alone.
    EXPECT_TRUE(r.has("<strong class=\"arr-overdue\"><span aria-hidden=\"true\">⚠ </span>" +
                      shown(Lang::en, "network.plan.review.overdue") + "</strong>"));

    r = admin.get("/network/plans?review=due_soon");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, soon));
    EXPECT_FALSE(lists(r, overdue));
    EXPECT_FALSE(lists(r, later));
    EXPECT_TRUE(r.has("<strong class=\"arr-warn\">" + shown(Lang::en, "network.plan.review.due_soon") + "</strong>"));

    r = admin.get("/network/plans?kind=childrens_services&status=approved");
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, later));
    EXPECT_FALSE(lists(r, overdue) || lists(r, soon) || lists(r, ongoing));
    r = admin.get("/network/plans?status=in_development&area=" + std::to_string(area()));
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, overdue) && lists(r, soon) && lists(r, ongoing));
    EXPECT_FALSE(lists(r, later));
    EXPECT_TRUE(r.has(count_line(Lang::en, in_area("p.status = 'in_development'"))));

    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = admin.get("/network/plans?review=soon");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));
        EXPECT_TRUE(r.has("id=\"error-review\""));
        EXPECT_TRUE(r.has("href=\"#field-review\""));
        EXPECT_TRUE(lists(r, overdue) && lists(r, soon) && lists(r, later)) << "the whole registry under the error";
        EXPECT_TRUE(r.has(count_line(lang, in_area())));
        r = admin.get("/network/plans?kind=bogus");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-kind\""));
        r = admin.get("/network/plans?area=abc");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-area\""));
        r = admin.get("/network/plans?status=" + enc("<b>nope</b>"));
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-status\""));
        EXPECT_FALSE(r.has("<b>nope</b>"));
    }
}

TEST_F(CommunityPlansWeb, OnlyTheAgencyChangesPlansAndTheOthersReadOrAreRefused) {
    auto admin = as(admin_email, "en");
    const std::string href = record(admin, terms("Lecture"));
    ASSERT_FALSE(href.empty());
    const std::string reference = column(href, "reference");
    const std::string valid = terms("Refusé").form();
    const auto before = written();

    // A coordinator is refused everything, by the pages (the form's token is good).
    auto coordinator = as("coord1@demo.arrimage.invalid", "en");
    EXPECT_EQ(coordinator.get("/network/plans").status, 403);
    EXPECT_EQ(coordinator.get("/network/plans/new").status, 403);
    EXPECT_EQ(coordinator.get(href).status, 403);
    EXPECT_EQ(coordinator.get(href + "/edit").status, 403);
    auto r = coordinator.submit("/", "/network/plans", valid);
    EXPECT_EQ(r.status, 403);
    EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
    EXPECT_EQ(coordinator.submit("/", href + "/approve", "approved_on=" + day(0)).status, 403);
    EXPECT_EQ(coordinator.submit("/", href + "/edit", "version=1&" + valid).status, 403);

    // The ministry's analyst reads every plan and changes none.
    auto analyst = as("analyst@demo.arrimage.invalid", "en");
    r = analyst.get("/network/plans");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.plan.analyst_intro")));
    EXPECT_TRUE(lists(r, href));
    EXPECT_TRUE(r.has(count_line(Lang::en, scalar("SELECT COUNT(*) FROM community_plans"))));
    EXPECT_FALSE(r.has("href=\"/network/plans/new\""));
    r = analyst.get(href);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<dd>" + reference + "</dd>"));
    EXPECT_FALSE(r.has("action=\"" + href + "/approve\"")) << "nothing to do";
    EXPECT_FALSE(r.has("href=\"" + href + "/edit\""));
    EXPECT_EQ(analyst.get("/network/plans/new").status, 403);
    EXPECT_EQ(analyst.get(href + "/edit").status, 403);
    EXPECT_EQ(analyst.submit("/network/plans", "/network/plans", valid).status, 403);
    EXPECT_EQ(analyst.submit(href, href + "/approve", "approved_on=" + day(0)).status, 403);
    EXPECT_EQ(analyst.submit(href, href + "/retire", "note=x").status, 403);

    // A provider manager of the area reads its plans and changes none.
    auto manager = as("manager1@demo.arrimage.invalid", "en");
    r = manager.get("/network/plans");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, href));
    EXPECT_TRUE(r.has(count_line(Lang::en, in_area())));
    EXPECT_FALSE(r.has("href=\"/network/plans/new\""));
    r = manager.get(href);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("action=\"" + href + "/approve\""));
    EXPECT_FALSE(r.has("href=\"" + href + "/edit\""));
    EXPECT_EQ(manager.get("/network/plans/new").status, 403);
    EXPECT_EQ(manager.get(href + "/edit").status, 403);
    EXPECT_EQ(manager.submit("/network/plans", "/network/plans", valid).status, 403);
    EXPECT_EQ(manager.submit(href, href + "/approve", "approved_on=" + day(0)).status, 403);

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get("/network/plans");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.post("/network/plans", valid).status, 401);

    EXPECT_EQ(written(), before);
    EXPECT_EQ(column(href, "status"), "in_development");
}

// A provider manager of another area: the demo area's plans are not theirs to see, unless a plan
// involves their area too; the demo agency records plans that involve its own area.
TEST_F(CommunityPlansWeb, APlanOfAnotherAreaIsNotFound) {
    std::int64_t west = 0;
    west_user("west.manager@example.org", domain::Role::provider_manager, west);
    auto admin = as(admin_email, "en");
    const std::string ours = record(admin, terms("Zone Est"));
    Terms both = terms("Deux zones");
    both.areas = {std::to_string(area()), std::to_string(west)};
    const std::string shared = record(admin, both);
    ASSERT_FALSE(ours.empty() || shared.empty());
    const auto before = written();

    auto manager = west_client("west.manager@example.org");
    auto r = manager.get("/network/plans");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, ours));
    EXPECT_TRUE(lists(r, shared));
    EXPECT_EQ(manager.get(ours).status, 404);
    EXPECT_EQ(manager.get(ours + "/edit").status, 404);
    r = manager.get(shared);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<li>West</li>"));
    EXPECT_EQ(written(), before);

    // The demo area's own manager reads both.
    auto demo_manager = as("manager1@demo.arrimage.invalid", "en");
    EXPECT_EQ(demo_manager.get(ours).status, 200);
    EXPECT_EQ(demo_manager.get(shared).status, 200);

    // A plan of the other area alone is not the demo agency's to record.
    Terms beyond = terms("Au-delà");
    beyond.areas = {std::to_string(west)};
    r = admin.submit("/network/plans/new", "/network/plans", beyond.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.plan.own_area")));
    EXPECT_TRUE(r.has("id=\"error-areas\""));
    EXPECT_EQ(written(), before);
}

// The registry downloads as CSV, one line per plan the reader sees, narrowed by the same filters
// and in the reader's language; a filter the registry refuses is refused here too; a role that
// reads no plan gets none.
TEST_F(CommunityPlansWeb, TheRegistryDownloadsAsCsv) {
    auto admin = as(admin_email, "fr");
    auto list = admin.get("/network/plans");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("href=\"/network/plans/export.csv\""));
    auto csv = admin.get("/network/plans/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body.rfind("\"reference\",\"title\",\"kind\",\"status\",\"owner\",\"cycle\",\"approved_on\",", 0), 0u)
        << csv.body.substr(0, 200);
    auto lines = [](const std::string& body) {
        std::int64_t n = 0;
        for (std::size_t at = body.find("\r\n"); at != std::string::npos; at = body.find("\r\n", at + 2)) ++n;
        return n - 1;  // the header
    };
    EXPECT_EQ(lines(csv.body), in_area());
    const auto href = record(admin, terms("export"));
    ASSERT_FALSE(href.empty());
    csv = admin.get("/network/plans/export.csv");
    EXPECT_TRUE(csv.has("Plan d’essai — export")) << "titles in the reader's language";
    EXPECT_FALSE(csv.has("Test plan — export"));
    EXPECT_TRUE(csv.has(shown(Lang::fr, "network.plan.status.in_development")));
    EXPECT_EQ(lines(csv.body), in_area());

    auto filtered = admin.get("/network/plans?status=in_development");
    EXPECT_TRUE(filtered.has("href=\"/network/plans/export.csv?status=in_development\""));
    csv = admin.get("/network/plans/export.csv?status=in_development");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(lines(csv.body), in_area("p.status = 'in_development'"));
    EXPECT_EQ(admin.get("/network/plans/export.csv?status=bogus").status, 422);

    auto coordinator = as("coord1@demo.arrimage.invalid", "en");
    EXPECT_EQ(coordinator.get("/network/plans/export.csv").status, 403);
}
