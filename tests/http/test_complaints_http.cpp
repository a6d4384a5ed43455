// The complaints register over HTTP, on the demo data (pages_complaints.cpp) and a second area
// added here (so that the public form asks for the area): anyone raises a complaint through the
// public form, in French or in English, and gets its reference and the day it will be
// acknowledged by; bad input is a field error in the user's language (422) and writes nothing. A
// provider's staff member raises a conflict and a family account a complaint from their
// accounts, and each is taken to it. The agency's administrator triages one (category,
// severity, an owner among its staff); its owner acknowledges it, records steps and resolves it;
// the appeal goes to the administrator, who decides it. Whoever has no part in a complaint does
// not find it (404), and the roles without a register are refused every page (403). The
// register is filtered and exported as CSV without anyone's contact details; the area's
// deadlines are the agency's to set. The demo's own complaints, if any, are counted, never
// assumed.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "features/complaints/domain/complaints.hpp"
#include "features/complaints/store/complaint_repo.hpp"
#include "http/demo_server.hpp"
#include "http/http_client.hpp"
#include "store/auth_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using testsupport::Client;
using testsupport::enc;
using testsupport::Reply;

namespace {

// The demo organisations and people the tests name (app/demo_data.cpp).
const std::string east_area = "Demo East Region";
const std::string blue_river = "Blue River Family Services (fictional)";  // manager1's
const std::string maple = "Fictional Maple Youth Centre";
const std::string admin_email = "ca.admin@demo.arrimage.invalid";    // the agency's administrator
const std::string owner_email = "coord.ca@demo.arrimage.invalid";    // a coordinator of the agency
const std::string manager_email = "manager1@demo.arrimage.invalid";  // Blue River's manager
const std::string provider_email = "coord1@demo.arrimage.invalid";   // a coordinator of Blue River
const std::string west_admin_email = "west.admin@example.org";       // added by the fixture
const std::string west_area = "West Test Region";
const std::string west_provider = "West Test Provider";
const std::string north_manager_email = "north.manager@example.org";  // an area without an agency

// How many times `text` occurs in `body`.
int occurrences(const std::string& body, const std::string& text) {
    int n = 0;
    for (auto at = body.find(text); at != std::string::npos; at = body.find(text, at + text.size())) ++n;
    return n;
}

// The id that ends an address ("/complaints/7" → 7).
std::int64_t last_id(const std::string& href) {
    return std::stoll(href.substr(href.rfind('/') + 1));
}

// A register's row for complaint `id`, from its link to the row's end ("" when not listed).
std::string row_of(const std::string& body, std::int64_t id) {
    const auto at = body.find("<a href=\"/complaints/" + std::to_string(id) + "\">");
    if (at == std::string::npos) return std::string();
    return body.substr(at, body.find("</tr>", at) - at);
}

// The first group `pattern` captures in `html`, "" when it does not match.
std::string captured(const std::string& html, const std::string& pattern) {
    std::smatch m;
    return std::regex_search(html, m, std::regex(pattern)) ? m[1].str() : std::string();
}

}  // namespace

class ComplaintsWeb : public testsupport::DemoServerTest {
  protected:
    // A second area with its own coordinating agency, administrator and provider.
    void seed() override {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto sda = *repo.create_sda({"west-test", "Zone d’essai Ouest", west_area}, 0);
        auto org = [&](const std::string& fr, const std::string& en, domain::CspRole role) {
            domain::Organisation o;
            o.sda_id = sda;
            o.name_fr = fr;
            o.name_en = en;
            o.sector = domain::Sector::social_services;
            o.csp_roles = {role};
            return *repo.create_organisation(o, 0);
        };
        const auto agency = org("Agence d’essai Ouest", "West Test Agency", domain::CspRole::coordinating_agency);
        org("Fournisseur d’essai Ouest", west_provider, domain::CspRole::csp_provider);
        const auto user = *repo.create_user({west_admin_email, "Wen Admin-Ouest", Lang::en}, 0);
        ASSERT_TRUE(repo.add_membership(user, {agency, domain::Role::ca_admin}, 0));
        const std::string hash = hash_password(app::demo_password, PasswordHashCost::minimum());
        store::AuthRepo(*tx, clock_).set_password_hash(user, hash);
        // A third area whose organisations have no coordinating agency: no one takes its
        // complaints.
        const auto north = *repo.create_sda({"north-test", "Zone d’essai Nord", "North Test Region"}, 0);
        domain::Organisation o;
        o.sda_id = north;
        o.name_fr = "Fournisseur d’essai Nord";
        o.name_en = "North Test Provider";
        o.sector = domain::Sector::social_services;
        o.csp_roles = {domain::CspRole::csp_provider};
        const auto provider = *repo.create_organisation(o, 0);
        const auto manager = *repo.create_user({north_manager_email, "Nour Gestion-Nord", Lang::fr}, 0);
        ASSERT_TRUE(repo.add_membership(manager, {provider, domain::Role::provider_manager}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(manager, hash);
        tx->commit();
    }
    // Few public complaints from one address before the flood guard answers (each test raises
    // fewer; FloodsFromOneAddressAreStoppedOnTheirOwnCount raises more), and fewer public
    // referrals still: each form counts against its own limit.
    void configure(web::Config& cfg) override {
        cfg.max_public_complaints_per_address = 6;
        cfg.max_public_referrals_per_address = 2;
    }

    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    Client visitor(const std::string& lang) {
        Client c(port_);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    std::string day(int n) { return add_days(date_of(clock_.now()), n).iso(); }
    std::string area(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM service_delivery_areas WHERE name_en = ?", {name_en}));
    }
    std::string org(const std::string& name_en) {
        return std::to_string(scalar("SELECT id FROM organisations WHERE name_en = ?", {name_en}));
    }
    std::string org_name(const std::string& name_en, Lang lang) {
        return lang == Lang::en ? name_en : scalar_text("SELECT name_fr FROM organisations WHERE name_en = ?", {name_en});
    }
    std::string user(const std::string& email) { return std::to_string(scalar("SELECT id FROM users WHERE email = ?", {email})); }
    std::string user_name(const std::string& email) {
        return scalar_text("SELECT display_name FROM users WHERE email = ?", {email});
    }
    // Rows of the complaints tables: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM complaints) + (SELECT COUNT(*) FROM complaint_events) + "
            "(SELECT COUNT(*) FROM complaint_settings) + (SELECT COALESCE(SUM(acknowledge_days + resolve_days + "
            "appeal_days), 0) FROM complaint_settings) + (SELECT COUNT(*) FROM complaints WHERE owner_user_id IS NOT NULL)");
    }
    std::string status_of(std::int64_t id) { return scalar_text("SELECT status FROM complaints WHERE id = ?", {id}); }
    std::string reference_of(std::int64_t id) { return scalar_text("SELECT reference FROM complaints WHERE id = ?", {id}); }

    // The public form's fields, filled.
    static std::string public_form(const std::string& name, const std::string& email, const std::string& category = "wait_times",
                                   const std::string& description = "Nous attendons depuis huit mois une évaluation.") {
        return "kind=complaint&category=" + category + "&about_organisation=&name=" + enc(name) +
               "&relation=parent&email=" + enc(email) + "&phone=&preferred_lang=fr&description=" + enc(description) +
               "&desired_outcome=" + enc("Une date pour l’évaluation.");
    }
    static std::string form_page(const std::string& area_id) { return "/complaints/new?area=" + area_id; }
    static std::string action(const std::string& area_id) { return "/complaints?area=" + area_id; }
    // Raises a complaint through the public form of the demo area: its id (0 when refused).
    std::int64_t raise_public(const std::string& name, const std::string& email, const std::string& category = "wait_times",
                              const std::string& lang = "fr") {
        auto v = visitor(lang);
        const std::string east = area(east_area);
        auto r = v.submit(form_page(east), action(east), public_form(name, email, category));
        EXPECT_EQ(r.status, 200) << r.body.substr(0, 3000);
        const std::string reference = captured(r.body, "(CMP-[0-9]{4}-[0-9]{4})");
        EXPECT_FALSE(reference.empty());
        return scalar("SELECT id FROM complaints WHERE reference = ?", {reference});
    }
    static std::string href(std::int64_t id) { return "/complaints/" + std::to_string(id); }
    static bool lists(const Reply& r, std::int64_t id) { return r.has("<a href=\"" + href(id) + "\">"); }
    std::string nav_link(Lang lang) { return "<a href=\"/complaints\">" + shown(lang, "nav.complaints") + "</a>"; }
};

TEST_F(ComplaintsWeb, ThePublicFormAsksForTheAreaThenRaisesAComplaintInBothLanguages) {
    const std::string east = area(east_area), west = area(west_area);
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto v = visitor(std::string(code(lang)));
        // Two areas: the area first, and no form until it is chosen.
        auto r = v.get("/complaints/new");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<html lang=\"" + std::string(code(lang)) + "\""));
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "complaint.new_title") + "</h1>"));
        EXPECT_TRUE(
            r.has("<select class=\"ontario-input arr-select\" id=\"area\" name=\"area\" aria-describedby=\"area-hint\">"));
        EXPECT_TRUE(r.has("<option value=\"" + east + "\">"));
        EXPECT_TRUE(r.has("<option value=\"" + west + "\">"));
        EXPECT_TRUE(r.has(shown(lang, "complaint.choose_area_first")));
        EXPECT_FALSE(r.has("name=\"description\"")) << "no form before the area";
        // An area that is not one, however written: the choice again, not an error.
        for (const std::string& asked : {std::string("abc"), std::string("-1"), std::string("0"),
                                         std::string("99999999999999999999"), std::string("999999")}) {
            SCOPED_TRACE(asked);
            r = v.get("/complaints/new?area=" + asked);
            EXPECT_EQ(r.status, 200);
            EXPECT_TRUE(r.has(shown(lang, "complaint.choose_area_first")));
            EXPECT_TRUE(r.has("<option value=\"\">")) << "nothing chosen";
            EXPECT_FALSE(r.has("name=\"description\""));
        }

        // The area chosen: the form, with that area's organisations only.
        r = v.get(form_page(east));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("<option value=\"" + east + "\" selected>"));
        EXPECT_TRUE(r.has("action=\"" + action(east) + "\""));
        EXPECT_TRUE(r.has("<option value=\"" + org(blue_river) + "\">" + org_name(blue_river, lang) + "</option>"));
        EXPECT_FALSE(r.has("<option value=\"" + org(west_provider) + "\">"));
        EXPECT_TRUE(r.has(shown(lang, "complaint.hint.about_public")));
        for (const char* kind : {"complaint", "conflict"})
            EXPECT_TRUE(r.has("name=\"kind\" value=\"" + std::string(kind) + "\""));
        for (const char* category :
             {"access", "wait_times", "quality", "communication", "coordination", "privacy", "conduct", "other"})
            EXPECT_TRUE(r.has("name=\"category\" value=\"" + std::string(category) + "\"")) << category;
        EXPECT_TRUE(r.has("name=\"relation\" value=\"youth\""));
        EXPECT_TRUE(r.has("name=\"preferred_lang\" value=\"" + std::string(code(lang)) + "\" checked")) << "the page's language";
        EXPECT_TRUE(r.has(shown(lang, "complaint.emergency")));

        // Bad input: each error on its field, in the summary linking to it, nothing saved.
        const auto before = written();
        auto refused = [&](const Reply& reply, const std::string& field, const std::string& key) {
            SCOPED_TRACE(field + ": " + key);
            EXPECT_EQ(reply.status, 422);
            EXPECT_TRUE(key.empty() || reply.has(shown(lang, key)));
            EXPECT_TRUE(reply.has("id=\"error-" + field + "\"")) << "the message is on its field";
            EXPECT_TRUE(reply.has("href=\"#field-" + field + "\"")) << "the summary links to it";
        };
        r = v.submit(form_page(east), action(east),
                     "kind=&category=&name=" + enc("Camille Essai") + "&email=&phone=&description=&preferred_lang=fr");
        refused(r, "description", "field.required");
        refused(r, "category", "complaint.category_required");
        refused(r, "kind", "field.required");
        EXPECT_EQ(occurrences(r.body, shown(lang, "field.required")), 2 * 2) << "kind and description, each twice";
        refused(r, "email", "complaint.contact_required");
        EXPECT_TRUE(r.has("value=\"Camille Essai\"")) << "what was typed is kept";
        refused(v.submit(form_page(east), action(east), public_form("Camille Essai", "pas un courriel")), "email", "field.email");
        refused(v.submit(form_page(east), action(east), "kind=grief&category=quality&description=x"), "kind",
                "field.choose_from_list");
        // An organisation of another area.
        r = v.submit(form_page(east), action(east),
                     "kind=complaint&category=quality&description=x&about_organisation=" + org(west_provider));
        refused(r, "about_organisation", "field.choose_from_list");
        // An account of 4,001 characters.
        r = v.submit(form_page(east), action(east),
                     public_form("", "", "quality", std::string(domain::max_complaint_text_length + 1, 'e')));
        refused(r, "description", "");
        EXPECT_TRUE(r.has(shown(lang, "field.too_long", {std::to_string(domain::max_complaint_text_length)})));
        // An area that does not exist: its message on the area's choice, linked from the summary;
        // the errors of the form not shown are not listed.
        r = v.submit(form_page(east), action("999999"), "kind=complaint&category=&description=");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("class=\"arr-error-summary\""));
        EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"area-error\">" + shown(lang, "field.choose_from_list") + "</p>"));
        EXPECT_TRUE(r.has("id=\"area\" name=\"area\" aria-describedby=\"area-hint area-error\" aria-invalid=\"true\">"));
        EXPECT_TRUE(r.has("<a href=\"#area\">" + shown(lang, "field.choose_from_list") + "</a>"));
        EXPECT_FALSE(r.has(shown(lang, "complaint.category_required")));
        EXPECT_FALSE(r.has(shown(lang, "field.required")));
        EXPECT_FALSE(r.has("name=\"description\""));
        // Without the form's token: refused before anything is read.
        EXPECT_EQ(v.post(action(east), public_form("Camille Essai", "camille@example.org")).status, 403);
        EXPECT_EQ(written(), before);

        // Sent: the reference and the day it will be acknowledged by.
        const std::string name = std::string("Camille Essai-") + std::string(code(lang));
        const std::string email = "camille." + std::string(code(lang)) + "@example.org";
        r = v.submit(form_page(east), action(east), public_form(name, email));
        ASSERT_EQ(r.status, 200) << r.body.substr(0, 3000);
        EXPECT_TRUE(r.has("<h1>" + shown(lang, "complaint.sent_title") + "</h1>"));
        const std::string reference = captured(r.body, "(CMP-[0-9]{4}-[0-9]{4})");
        ASSERT_FALSE(reference.empty());
        EXPECT_EQ(reference.substr(4, 4), day(0).substr(0, 4)) << "numbered within the year";
        EXPECT_TRUE(r.has(shown(lang, "complaint.sent_reference", {reference})));
        const std::string due = scalar_text("SELECT acknowledge_due FROM complaints WHERE reference = ?", {reference});
        EXPECT_GT(due, day(0));
        EXPECT_TRUE(r.has(shown(lang, "complaint.sent_acknowledge_by", {due})));
        EXPECT_TRUE(r.has(shown(lang, "complaint.sent_next_contact")));
        const auto id = scalar("SELECT id FROM complaints WHERE reference = ?", {reference});
        EXPECT_EQ(
            scalar_text("SELECT source || '/' || status || '/' || complainant_name || '/' || email FROM complaints WHERE id = ?",
                        {id}),
            "public/received/" + name + "/" + email);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaints WHERE id = ? AND raised_by_user IS NULL AND sda_id = ?",
                         {id, std::stoll(east)}),
                  1);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = ? AND event = 'receive'", {id}), 1);
        // The agency's administrator is told, without the complainant's name or words.
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'complaint' AND reference = ?",
                         {std::stoll(user(admin_email)), reference}),
                  1);
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE reference = ? AND (text_fr LIKE ? OR text_en LIKE ?)",
                         {reference, "%" + name + "%", "%huit mois%"}),
                  0);

        // Nameless and without contact: anonymous, allowed, and told no answer will come.
        r = v.submit(form_page(east), action(east), public_form("", ""));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has(shown(lang, "complaint.sent_next_anonymous")));
    }
}

// Each public form counts its sends against its own limit (6 complaints, 2 referrals here): a
// flood of complaints does not close the referral form, nor referrals the complaint form.
TEST_F(ComplaintsWeb, FloodsFromOneAddressAreStoppedOnTheirOwnCount) {
    const std::string east = area(east_area);
    auto v = visitor("en");
    for (int i = 0; i < 6; ++i) ASSERT_EQ(v.submit(form_page(east), action(east), public_form("", "")).status, 200) << i;
    const auto before = written();
    auto r = v.submit(form_page(east), action(east), public_form("", ""));
    EXPECT_EQ(r.status, 429);
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.throttled", {"15"})));
    EXPECT_EQ(written(), before);

    // The referral form, from the same address: its own two, then its own refusal.
    const std::string pathway = std::to_string(
        scalar("SELECT p.id FROM referral_pathways p JOIN taxonomy_terms t ON t.id = p.term_id WHERE t.code = 'developmental'"));
    const std::string referral = "pathway_id=" + pathway + "&source=family&given_name=" + enc("Zoé") +
                                 "&family_name=Essai-Flot&date_of_birth=2016-04-03&official_language=fr&contact_given_name=Ana"
                                 "&contact_family_name=Essai-Flot&contact_relationship=parent&contact_phone=" +
                                 enc("613-555-0199") + "&needs=" + enc("Retard de langage.") +
                                 "&consent_given_by=substitute_decision_maker&consent=1";
    const auto referrals = scalar("SELECT COUNT(*) FROM referrals");
    for (int i = 0; i < 2; ++i) {
        r = v.submit("/refer", "/refer", referral);
        ASSERT_EQ(r.status, 200) << i << r.body.substr(0, 3000);
    }
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM referrals"), referrals + 2);
    EXPECT_EQ(v.submit("/refer", "/refer", referral).status, 429);
    // And the complaint form still counts its own.
    EXPECT_EQ(v.submit(form_page(east), action(east), public_form("", "")).status, 429);
    EXPECT_EQ(written(), before);

    // A window later, the other way round: the referrals first, to their limit; complaints are
    // still taken.
    clock_.set(clock_.now() + std::chrono::minutes(16));
    for (int i = 0; i < 2; ++i) ASSERT_EQ(v.submit("/refer", "/refer", referral).status, 200) << i;
    EXPECT_EQ(v.submit("/refer", "/refer", referral).status, 429);
    EXPECT_EQ(v.submit(form_page(east), action(east), public_form("", "")).status, 200);

    // Signed-in raisers are not counted with the public.
    auto manager = as(manager_email, "en");
    EXPECT_EQ(manager.submit("/complaints/new", "/complaints", "kind=complaint&category=quality&description=x").status, 303);
}

TEST_F(ComplaintsWeb, AProviderRaisesAConflictAndAFamilyAComplaintFromTheirAccounts) {
    // Blue River's manager: no area to choose, the organisations of their area, kind and
    // category; their name and address from their account; no relation to a child asked.
    auto manager = as(manager_email, "en");
    auto r = manager.get("/complaints/new");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<h1>" + shown(Lang::en, "complaint.new_title_staff") + "</h1>"));
    EXPECT_FALSE(r.has("id=\"area\""));
    EXPECT_TRUE(r.has("action=\"/complaints\""));
    EXPECT_TRUE(r.has("<option value=\"" + org(maple) + "\">" + maple + "</option>"));
    EXPECT_FALSE(r.has("<option value=\"" + org(west_provider) + "\">"));
    EXPECT_TRUE(r.has("name=\"kind\" value=\"conflict\""));
    EXPECT_FALSE(r.has("name=\"relation\""));
    EXPECT_TRUE(r.has("name=\"name\" value=\"Robin Gestion-Démo\""));
    EXPECT_TRUE(r.has(nav_link(Lang::en)));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.privacy_note_staff"))) << "their managers read it too";
    EXPECT_FALSE(r.has(shown(Lang::en, "complaint.privacy_note")));

    const auto before = written();
    r = manager.submit("/complaints/new", "/complaints", "kind=conflict&category=coordination&description=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-description\""));
    EXPECT_EQ(written(), before);

    r = manager.submit("/complaints/new", "/complaints",
                       "kind=conflict&category=coordination&about_organisation=" + org(maple) +
                           "&name=&email=&description=" + enc("Deux plans de services se contredisent pour le même jeune."));
    ASSERT_EQ(r.status, 303);
    const std::string page = r.header("location");
    ASSERT_TRUE(std::regex_match(page, std::regex("/complaints/[0-9]+"))) << page;
    const auto id = last_id(page);
    EXPECT_EQ(scalar_text("SELECT source || '/' || kind FROM complaints WHERE id = ?", {id}), "provider/conflict");
    EXPECT_EQ(scalar("SELECT raised_by_org FROM complaints WHERE id = ?", {id}), std::stoll(org(blue_river)));
    EXPECT_EQ(scalar("SELECT about_organisation_id FROM complaints WHERE id = ?", {id}), std::stoll(org(maple)));
    r = manager.get(page);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.raised"))) << "the flash";
    EXPECT_TRUE(r.has("<h1>" + shown(Lang::en, "complaint.heading.conflict", {reference_of(id)}) + "</h1>"));
    EXPECT_TRUE(r.has("<dd>" + shown(Lang::en, "complaint.status.received") + "</dd>"));
    EXPECT_TRUE(r.has("<dd>" + maple + "</dd>"));
    // Whoever raised it: where it stands and what they may do (withdraw, told in their own
    // terms), not the agency's triage.
    EXPECT_TRUE(r.has("action=\"" + page + "/withdraw\""));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.event_help_self.withdraw")));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.note_hint_self.withdraw")));
    EXPECT_FALSE(r.has(shown(Lang::en, "complaint.event_help.withdraw")));
    EXPECT_FALSE(r.has(shown(Lang::en, "complaint.note_hint.withdraw")));
    EXPECT_FALSE(r.has("action=\"" + page + "/triage\""));
    EXPECT_FALSE(r.has("action=\"" + page + "/step\""));
    EXPECT_FALSE(r.has("<dt>" + shown(Lang::en, "complaint.col.severity") + "</dt>"));
    EXPECT_TRUE(lists(manager.get("/complaints"), id));
    // A move that is the agency's is refused to them.
    EXPECT_EQ(manager.submit(page, page + "/triage", "category=quality&severity=low&owner=" + user(owner_email)).status, 403);
    EXPECT_EQ(manager.submit(page, page + "/step", "note=x").status, 403);

    // The demo's family account: its area from its file, its name filled in, the relation asked.
    auto family = as(app::demo_family_login, "fr");
    auto home = family.get("/family");
    ASSERT_EQ(home.status, 200);
    EXPECT_TRUE(home.has("href=\"/complaints/new\""));
    EXPECT_TRUE(home.has("href=\"/complaints\""));
    r = family.get("/complaints/new");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has("id=\"area\""));
    EXPECT_TRUE(r.has("name=\"relation\" value=\"caregiver\""));
    EXPECT_TRUE(r.has(shown(Lang::fr, "complaint.privacy_note")));
    r = family.submit("/complaints/new", "/complaints",
                      "kind=complaint&category=communication&relation=caregiver&preferred_lang=fr&description=" +
                          enc("Personne ne nous rappelle depuis trois semaines."));
    ASSERT_EQ(r.status, 303);
    const auto mine = last_id(r.header("location"));
    EXPECT_EQ(scalar_text("SELECT source FROM complaints WHERE id = ?", {mine}), "family");
    auto list = family.get("/complaints");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(lists(list, mine));
    EXPECT_FALSE(lists(list, id)) << "another's complaint";
    const auto theirs =
        scalar("SELECT COUNT(*) FROM complaints WHERE raised_by_user = ?", {std::stoll(user(app::demo_family_login))});
    EXPECT_TRUE(list.has(shown(Lang::fr, "complaint.count", {std::to_string(theirs)}))) << "a count, not a plural to agree";
    EXPECT_FALSE(list.has("<th scope=\"col\">" + shown(Lang::fr, "complaint.col.owner") + "</th>")) << "the agency's own columns";
    EXPECT_EQ(family.get(page).status, 404);
    EXPECT_TRUE(family.get(href(mine)).has("action=\"" + href(mine) + "/withdraw\""));
}

TEST_F(ComplaintsWeb, TheAgencyTriagesItsOwnerResolvesItAndTheAppealIsTheAdministrators) {
    const auto id = raise_public("Dominique Essai", "dominique@example.org");
    ASSERT_GT(id, 0);
    const std::string page = href(id);
    const std::string owner = user(owner_email);

    auto admin = as(admin_email, "en");
    auto r = admin.get("/complaints");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, id));
    EXPECT_TRUE(r.has("href=\"/complaints/settings\""));
    EXPECT_TRUE(r.has("href=\"/complaints/export.csv\""));
    r = admin.get(page);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("action=\"" + page + "/triage\""));
    EXPECT_TRUE(r.has("<option value=\"" + owner + "\">Noa Coordination-Démo</option>")) << "the agency's staff";
    EXPECT_TRUE(r.has("dominique@example.org")) << "the agency reads how to answer";
    EXPECT_FALSE(r.has("action=\"" + page + "/owner\"")) << "its first owner is named by triage";

    // Triage: severity and owner are required; an owner who is not the agency's is refused.
    const auto before = written();
    r = admin.submit(page, page + "/triage", "category=wait_times&severity=&owner=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"triage-error-severity\""));
    EXPECT_TRUE(r.has("id=\"triage-error-owner\""));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.severity_required")));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.owner_required")));
    // Its summary under the action's h3, a level below, not a second h2 among the page's.
    EXPECT_TRUE(r.has("<h4 class=\"ontario-h4\">" + shown(Lang::en, "form.error_summary") + "</h4>"));
    EXPECT_FALSE(r.has("<h2 class=\"ontario-h4\">"));
    EXPECT_TRUE(r.has("<a href=\"#triage-field-severity\">" + shown(Lang::en, "complaint.severity_required") + "</a>"));
    r = admin.submit(page, page + "/triage", "category=wait_times&severity=high&owner=" + user(manager_email));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"triage-error-owner\""));
    EXPECT_EQ(written(), before);
    r = admin.submit(page, page + "/triage", "category=access&severity=high&owner=" + owner);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 3000);
    EXPECT_EQ(r.header("location"), page);
    EXPECT_EQ(status_of(id), "triaged");
    EXPECT_TRUE(admin.get(page).has("action=\"" + page + "/owner\"")) << "now another may take it over";
    EXPECT_EQ(scalar_text("SELECT category || '/' || severity FROM complaints WHERE id = ?", {id}), "access/high");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM notifications WHERE user_id = ? AND kind = 'complaint' AND reference = ?",
                     {std::stoll(owner), reference_of(id)}),
              1)
        << "the owner is told";

    // The owner works it, in French: acknowledges, records a step, resolves.
    auto coordinator = as(owner_email, "fr");
    r = coordinator.get("/complaints?owner=me");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, id));
    EXPECT_TRUE(r.has(shown(Lang::fr, "complaint.summary_heading")));
    r = coordinator.get(page);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<dd>" + shown(Lang::fr, "complaint.severity.high") + "</dd>"));
    EXPECT_TRUE(r.has("action=\"" + page + "/acknowledge\""));
    EXPECT_TRUE(r.has("action=\"" + page + "/step\""));
    EXPECT_FALSE(r.has("action=\"" + page + "/owner\"")) << "the agency names owners";
    EXPECT_EQ(coordinator.submit(page, page + "/owner", "owner=" + owner).status, 403);
    ASSERT_EQ(coordinator.submit(page, page + "/acknowledge", "note=" + enc("Appel fait à la mère le jour même.")).status, 303);
    EXPECT_EQ(status_of(id), "acknowledged");
    r = coordinator.submit(page, page + "/step", "note=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"step-error-note\""));
    EXPECT_TRUE(r.has(shown(Lang::fr, "field.required")));
    EXPECT_TRUE(r.has("<h3 class=\"ontario-h4\">" + shown(Lang::fr, "form.error_summary") + "</h3>")) << "under the section's h2";
    EXPECT_FALSE(r.has("<h2 class=\"ontario-h4\">"));
    r = coordinator.submit(page, page + "/step", "note=" + enc("Rencontre avec le fournisseur."));
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), page + "#history-heading");
    r = coordinator.submit(page, page + "/resolve", "note=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"resolve-error-note\""));
    ASSERT_EQ(coordinator.submit(page, page + "/resolve", "note=" + enc("Une date d’évaluation a été fixée.")).status, 303);
    EXPECT_EQ(status_of(id), "resolved");
    r = coordinator.get(page);
    EXPECT_TRUE(r.has("Une date d’évaluation a été fixée."));
    EXPECT_TRUE(r.has(shown(Lang::fr, "complaint.event.step")));
    EXPECT_TRUE(r.has("Rencontre avec le fournisseur."));
    EXPECT_TRUE(r.has(shown(Lang::fr, "complaint.col.appeal_until")));

    // Closing while the complainant may still appeal is refused whole, on the page.
    r = admin.submit(page, page + "/close", "note=");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has("role=\"alert\""));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.appeal_window_open")));
    // The appeal, made on the complainant's behalf; the owner may not decide it.
    r = admin.submit(page, page + "/appeal", "note=");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"appeal-error-note\""));
    ASSERT_EQ(admin.submit(page, page + "/appeal", "note=" + enc("The date offered is still too far.")).status, 303);
    EXPECT_EQ(status_of(id), "appealed");
    EXPECT_FALSE(coordinator.get(page).has("action=\"" + page + "/decide_appeal\""));
    EXPECT_EQ(coordinator.submit(page, page + "/decide_appeal", "note=x").status, 403);
    r = admin.get(page);
    EXPECT_TRUE(r.has("action=\"" + page + "/decide_appeal\""));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.col.appeal_decided_by")));
    ASSERT_EQ(admin.submit(page, page + "/decide_appeal", "note=" + enc("An earlier date was found elsewhere.")).status, 303);
    EXPECT_EQ(status_of(id), "closed");
    r = admin.get(page);
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.done.decide_appeal"))) << "the flash";
    EXPECT_TRUE(r.has("An earlier date was found elsewhere."));
    EXPECT_FALSE(r.has("action=\"" + page + "/step\"")) << "closed: nothing more to add";
    EXPECT_FALSE(r.has("action=\"" + page + "/owner\""));
    r = admin.submit("/complaints", page + "/step", "note=x");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.closed")));
    for (const char* event : {"receive", "triage", "acknowledge", "step", "resolve", "appeal", "decide_appeal"})
        EXPECT_EQ(scalar("SELECT COUNT(*) FROM complaint_events WHERE complaint_id = ? AND event = ?", {id, std::string(event)}),
                  1)
            << event;
    // The history in words, in each language.
    for (const Lang lang : {Lang::fr, Lang::en}) {
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = admin.get(page);
        for (const char* event : {"receive", "triage", "acknowledge", "step", "resolve", "appeal", "decide_appeal"})
            EXPECT_TRUE(r.has("<td>" + shown(lang, std::string("complaint.event.") + event) + "</td>")) << event;
        EXPECT_TRUE(r.has("<td>" + shown(lang, "complaint.who_public") + "</td>"));
    }
}

// Whoever raised a complaint follows it without the agency's triage. After the agency triages
// it, acknowledges it and records a step, the family's page names no staff member (the agency's
// moves are the agency's; the receipt and their own moves keep their names) and shows no
// severity, owner or step; their register has no severity or owner column and no filter by
// them, and such a filter asked in the address is ignored. A provider's manager reads their
// organisation's conflict the same way. A staff member of the agency reads the triage of what
// they own, not of what they raised.
TEST_F(ComplaintsWeb, WhoeverRaisedItReadsTheAgencysAnswersNotItsTriage) {
    auto family = as(app::demo_family_login, "fr");
    auto r = family.submit("/complaints/new", "/complaints",
                           "kind=complaint&category=communication&relation=parent&preferred_lang=fr&description=" +
                               enc("Personne ne nous rappelle."));
    ASSERT_EQ(r.status, 303);
    const auto theirs = last_id(r.header("location"));
    auto manager = as(manager_email, "en");
    r = manager.submit("/complaints/new", "/complaints",
                       "kind=conflict&category=coordination&description=" + enc("Deux plans se contredisent."));
    ASSERT_EQ(r.status, 303);
    const auto conflict = last_id(r.header("location"));
    EXPECT_TRUE(manager.get(href(conflict)).has(shown(Lang::en, "complaint.raised")));

    const std::string owner = user(owner_email);
    const std::string owner_name = user_name(owner_email), admin_name = user_name(admin_email);
    auto admin = as(admin_email, "en");
    auto coordinator = as(owner_email, "fr");
    for (const auto id : {theirs, conflict}) {
        ASSERT_EQ(admin.submit(href(id), href(id) + "/triage", "category=communication&severity=low&owner=" + owner).status, 303);
        ASSERT_EQ(
            coordinator.submit(href(id), href(id) + "/acknowledge", "note=" + enc("Nous avons bien reçu votre message.")).status,
            303);
        ASSERT_EQ(coordinator.submit(href(id), href(id) + "/step", "note=" + enc("Note interne : appel au fournisseur.")).status,
                  303);
    }
    // What the staff forms tell those who write the notes the raiser reads.
    EXPECT_TRUE(coordinator.get(href(theirs)).has(shown(Lang::fr, "complaint.note_hint.resolve")));
    r = admin.get(href(theirs));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.event_help.withdraw")));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.note_hint.withdraw")));
    EXPECT_FALSE(r.has(shown(Lang::en, "complaint.note_hint_self.withdraw")));

    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        family.set_cookie("arrimage_lang", std::string(code(lang)));
        r = family.get(href(theirs));
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has("Nous avons bien reçu votre message.")) << "what the agency told them";
        EXPECT_FALSE(r.has("Note interne")) << "not the agency's steps";
        EXPECT_FALSE(r.has(owner_name));
        EXPECT_FALSE(r.has(admin_name));
        EXPECT_FALSE(r.has("<dt>" + shown(lang, "complaint.col.severity") + "</dt>"));
        EXPECT_FALSE(r.has("<dd>" + shown(lang, "complaint.severity.low") + "</dd>"));
        EXPECT_FALSE(r.has("<dt>" + shown(lang, "complaint.col.owner") + "</dt>"));
        EXPECT_EQ(occurrences(r.body, "<td>" + shown(lang, "complaint.who_agency") + "</td>"), 2)
            << "triage and acknowledgement, as the agency's";
        EXPECT_TRUE(r.has("<td>" + user_name(app::demo_family_login) + "</td>")) << "the receipt keeps its raiser's name";
        EXPECT_TRUE(r.has(shown(lang, "complaint.event_help_self.withdraw")));
        EXPECT_FALSE(r.has(shown(lang, "complaint.event_help.withdraw")));

        r = family.get("/complaints");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(lists(r, theirs));
        EXPECT_FALSE(r.has("<th scope=\"col\">" + shown(lang, "complaint.col.severity") + "</th>"));
        EXPECT_FALSE(r.has("<th scope=\"col\">" + shown(lang, "complaint.col.owner") + "</th>"));
        for (const char* field : {"severity", "owner", "source"}) EXPECT_FALSE(r.has("name=\"" + std::string(field) + "\""));
        EXPECT_TRUE(r.has("name=\"status\""));
        EXPECT_FALSE(r.has(owner_name));
        // Filters by the triage, asked in the address, are ignored: a low-severity complaint
        // from their account, owned by the coordinator, stays listed.
        for (const std::string& query : {std::string("severity=high"), std::string("severity=9"), "owner=" + user(admin_email),
                                         std::string("owner=me"), std::string("source=public")}) {
            SCOPED_TRACE(query);
            r = family.get("/complaints?" + query);
            EXPECT_EQ(r.status, 200);
            EXPECT_TRUE(lists(r, theirs));
        }
        EXPECT_FALSE(lists(family.get("/complaints?status=closed"), theirs)) << "their own filters still apply";
    }

    // A provider's manager: their organisation's conflict, read as the family reads theirs.
    r = manager.get("/complaints");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, conflict));
    EXPECT_FALSE(r.has("<th scope=\"col\">" + shown(Lang::en, "complaint.col.severity") + "</th>"));
    EXPECT_FALSE(r.has("<th scope=\"col\">" + shown(Lang::en, "complaint.col.owner") + "</th>"));
    EXPECT_FALSE(r.has(owner_name));
    EXPECT_FALSE(r.has("name=\"severity\""));
    EXPECT_TRUE(lists(manager.get("/complaints?severity=high&owner=" + owner), conflict));
    // They withdraw it: their own move keeps their name.
    ASSERT_EQ(manager.submit(href(conflict), href(conflict) + "/withdraw", "note=" + enc("Settled between us.")).status, 303);
    r = manager.get(href(conflict));
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(owner_name));
    EXPECT_FALSE(r.has(admin_name));
    EXPECT_FALSE(r.has("Note interne"));
    EXPECT_EQ(occurrences(r.body, "<td>" + shown(Lang::en, "complaint.who_agency") + "</td>"), 2);
    EXPECT_EQ(occurrences(r.body, "<td>Robin Gestion-Démo</td>"), 2) << "the receipt and the withdrawal";
    // A colleague's complaint reads the same, the colleague's own moves by name.
    auto colleague = as(provider_email, "en");
    r = colleague.submit("/complaints/new", "/complaints",
                         "kind=complaint&category=other&description=" + enc("Un rendez-vous annulé sans préavis."));
    ASSERT_EQ(r.status, 303);
    const auto colleagues = last_id(r.header("location"));
    ASSERT_EQ(
        admin.submit(href(colleagues), href(colleagues) + "/triage", "category=other&severity=medium&owner=" + owner).status,
        303);
    ASSERT_EQ(colleague.submit(href(colleagues), href(colleagues) + "/withdraw", "note=" + enc("Réglé entre nous.")).status, 303);
    r = manager.get(href(colleagues));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(occurrences(r.body, "<td>" + user_name(provider_email) + "</td>"), 2) << "its receipt and withdrawal";
    EXPECT_EQ(occurrences(r.body, "<td>" + shown(Lang::en, "complaint.who_agency") + "</td>"), 1) << "the triage";
    EXPECT_FALSE(r.has(admin_name));
    EXPECT_FALSE(r.has(owner_name));

    // The agency's staff read the triage of what they own, in columns and filters, not of what
    // they raised: the coordinator raises one, which the administrator gives to another owner.
    r = coordinator.submit("/complaints/new", "/complaints",
                           "kind=complaint&category=other&description=" + enc("Un formulaire de l’agence est illisible."));
    ASSERT_EQ(r.status, 303);
    const auto raised = last_id(r.header("location"));
    const std::string other_owner = user("privacy@demo.arrimage.invalid");
    ASSERT_EQ(
        admin.submit(href(raised), href(raised) + "/triage", "category=other&severity=critical&owner=" + other_owner).status,
        303);
    const std::string other_name = user_name("privacy@demo.arrimage.invalid");
    r = coordinator.get("/complaints");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, theirs) && lists(r, raised));
    EXPECT_TRUE(r.has("<th scope=\"col\">" + shown(Lang::fr, "complaint.col.severity") + "</th>"));
    const std::string owned_row = row_of(r.body, theirs), raised_row = row_of(r.body, raised);
    EXPECT_NE(owned_row.find("<td>" + shown(Lang::fr, "complaint.severity.low") + "</td>"), std::string::npos)
        << "of what they own: " << owned_row;
    EXPECT_NE(owned_row.find("<td>" + owner_name + "</td>"), std::string::npos);
    EXPECT_EQ(raised_row.find(shown(Lang::fr, "complaint.severity.critical")), std::string::npos) << "of what they raised";
    EXPECT_EQ(raised_row.find(other_name), std::string::npos);
    EXPECT_TRUE(r.has("name=\"severity\""));
    EXPECT_FALSE(r.has("<option value=\"" + other_owner + "\"")) << "owners by name are the administrator's filter";
    // A severity asked sorts only what they own; an owner asked by id is not theirs to ask.
    r = coordinator.get("/complaints?severity=critical");
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, raised));
    EXPECT_TRUE(r.has("<option value=\"me\" selected>"));
    r = coordinator.get("/complaints?owner=" + other_owner);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, raised) && lists(r, theirs));
    r = coordinator.get(href(raised));
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(other_name));
    EXPECT_FALSE(r.has("<dd>" + shown(Lang::fr, "complaint.severity.critical") + "</dd>"));
}

// A staff member whose area has no coordinating agency is told that no one takes complaints
// here, instead of a form that could only be refused.
TEST_F(ComplaintsWeb, ARaiserWhoseAreaHasNoAgencyIsToldSo) {
    auto north = as(north_manager_email, "fr");
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        north.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = north.get("/complaints/new");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(r.has(shown(lang, "complaint.no_agency")));
        EXPECT_FALSE(r.has("name=\"description\""));
        EXPECT_FALSE(r.has("id=\"area\""));
        const auto before = written();
        r = north.submit("/complaints", "/complaints", "kind=complaint&category=quality&description=x");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "complaint.no_agency")));
        EXPECT_FALSE(r.has("name=\"description\""));
        EXPECT_EQ(written(), before);
        EXPECT_EQ(north.get("/complaints").status, 200) << "their register, empty";
    }
}

// The register shows its first 500 and says so; the export holds them all.
TEST_F(ComplaintsWeb, TheRegisterShowsItsFirstRowsAndSaysSoTheExportHoldsAll) {
    const std::string east = area(east_area);
    const std::int64_t limit = store::ComplaintRepo::max_rows;
    const auto already = scalar("SELECT COUNT(*) FROM complaints WHERE sda_id = ?", {std::stoll(east)});
    ASSERT_LE(already, limit);
    {
        auto tx = t_->db->begin(store::TxMode::write);
        store::ComplaintRepo repo(testsupport::AccessForTests::anonymous(*tx, clock_, "complaint"),
                                  {app_->catalogue(), "http://127.0.0.1", false});
        domain::ComplaintForm f;
        f.area = east;
        f.kind = "complaint";
        f.category = "quality";
        f.description = "Essai de volume.";
        for (auto i = already; i <= limit; ++i) ASSERT_TRUE(repo.raise(f, "fr")) << i;
        tx->commit();
    }
    auto admin = as(admin_email, "en");
    auto r = admin.get("/complaints");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(occurrences(r.body, "<th scope=\"row\">"), limit);
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.truncated", {std::to_string(limit)})));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.count", {std::to_string(limit)})));
    r = admin.get("/complaints?category=privacy");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.has(shown(Lang::en, "complaint.truncated", {std::to_string(limit)}))) << "a narrower filter fits";
    const auto csv = admin.get("/complaints/export.csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_EQ(occurrences(csv.body, "\r\n"), limit + 2) << "a header and every complaint of the area";
}

TEST_F(ComplaintsWeb, AnOverdueComplaintIsSaidInWordsAndItsOwnerSeesItCounted) {
    const auto id = raise_public("Éloi Essai", "eloi@example.org");
    ASSERT_GT(id, 0);
    auto admin = as(admin_email, "en");
    ASSERT_EQ(admin.submit(href(id), href(id) + "/triage", "category=quality&severity=medium&owner=" + user(owner_email)).status,
              303);
    const std::string due = scalar_text("SELECT acknowledge_due FROM complaints WHERE id = ?", {id});
    // The day after its acknowledgement was due.
    clock_.set(clock_.now() + std::chrono::hours(24 * (days_between(date_of(clock_.now()), *parse_date(due)) + 1)));
    admin = as(admin_email, "en");
    auto r = admin.get("/complaints?overdue=1");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, id));
    EXPECT_TRUE(r.has(shown(Lang::en, "complaint.deadline_on", {shown(Lang::en, "complaint.deadline.acknowledge"), due}) +
                      " <strong class=\"arr-overdue\">" + shown(Lang::en, "complaint.overdue") + "</strong>"));
    r = admin.get(href(id));
    EXPECT_TRUE(r.has("<strong class=\"arr-overdue\">" + shown(Lang::en, "complaint.overdue") + "</strong>"));
    auto coordinator = as(owner_email, "en");
    r = coordinator.get("/complaints");
    ASSERT_EQ(r.status, 200);
    // The owner's overdue complaints, by the domain's rule (the demo's own among them).
    int overdue = 0;
    {
        auto tx = t_->db->begin(store::TxMode::read);
        for (const auto& row :
             tx->query("SELECT status, acknowledge_due, resolve_due, appeal_due FROM complaints WHERE owner_user_id = ?",
                       {std::stoll(user(owner_email))})) {
            const auto status = domain::parse_complaint_status(row.str(0));
            ASSERT_TRUE(status);
            const auto state = domain::deadline_state(*status, *parse_date(row.str(1)), *parse_date(row.str(2)),
                                                      parse_date(row.str(3)), date_of(clock_.now()));
            if (domain::complaint_open(*status) && state && state->overdue) ++overdue;
        }
    }
    EXPECT_GE(overdue, 1);
    EXPECT_TRUE(r.has("<strong class=\"arr-overdue\">" + shown(Lang::en, "complaint.summary_overdue", {std::to_string(overdue)}) +
                      "</strong>"))
        << r.body.substr(0, 4000);
}

TEST_F(ComplaintsWeb, ThoseWithNoPartInAComplaintDoNotFindItAndRolesWithoutARegisterAreRefused) {
    const auto id = raise_public("Frédérique Essai", "frederique@example.org");
    ASSERT_GT(id, 0);
    const std::string page = href(id);
    const auto before = written();
    const std::vector<std::pair<std::string, std::string>> forms = {
        {page + "/triage", "category=quality&severity=low&owner=" + user(owner_email)},
        {page + "/acknowledge", "note=x"},
        {page + "/withdraw", "note=x"},
        {page + "/step", "note=x"},
        {page + "/owner", "owner=" + user(owner_email)},
    };

    // No register at all: the system administrator and the ministry's analyst, refused on record.
    for (const char* email : {"sysadmin@demo.arrimage.invalid", "analyst@demo.arrimage.invalid"}) {
        SCOPED_TRACE(email);
        auto c = as(email, "en");
        const auto uid = std::stoll(user(email));
        const auto denials = scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND decision = 'deny'", {uid});
        for (const std::string& path : {std::string("/complaints"), std::string("/complaints/new"),
                                        std::string("/complaints/export.csv"), std::string("/complaints/settings"), page})
            EXPECT_EQ(c.get(path).status, 403) << path;
        for (const auto& [target, form] : forms) EXPECT_EQ(c.submit("/", target, form).status, 403) << target;
        EXPECT_EQ(c.submit("/", "/complaints", public_form("X", "x@example.org")).status, 403);
        EXPECT_GT(scalar("SELECT COUNT(*) FROM audit_events WHERE user_id = ? AND decision = 'deny'", {uid}), denials);
        EXPECT_FALSE(c.get("/").has("href=\"/complaints\"")) << "no link to what they may not open";
    }
    // Staff of the area with no part in it: a provider's coordinator, the agency's coordinator
    // who does not own it, a provider's manager. Their own register, without it.
    for (const std::string& email : {provider_email, owner_email, manager_email}) {
        SCOPED_TRACE(email);
        auto c = as(email, "en");
        auto r = c.get("/complaints");
        ASSERT_EQ(r.status, 200);
        EXPECT_FALSE(lists(r, id));
        EXPECT_FALSE(r.has("href=\"/complaints/settings\""));
        EXPECT_EQ(c.get(page).status, 404);
        for (const auto& [target, form] : forms) {
            r = c.submit("/complaints", target, form);
            EXPECT_EQ(r.status, 404) << target;
            EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
        }
        EXPECT_EQ(c.get("/complaints/export.csv").status, 403);
        EXPECT_EQ(c.get("/complaints/settings").status, 403);
        EXPECT_EQ(c.submit("/complaints", "/complaints/settings", "acknowledge_days=2&resolve_days=20&appeal_days=20").status,
                  403);
    }
    // Another area's administrator.
    auto west = as(west_admin_email, "en");
    auto r = west.get("/complaints");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, id));
    EXPECT_EQ(west.get(page).status, 404);
    for (const auto& [target, form] : forms) EXPECT_EQ(west.submit("/complaints", target, form).status, 404) << target;
    // What is not there.
    auto admin = as(admin_email, "en");
    for (const std::string& path :
         {std::string("/complaints/999999"), std::string("/complaints/abc"), std::string("/complaints/0")})
        EXPECT_EQ(admin.get(path).status, 404) << path;
    for (const std::string& target : {std::string("/complaints/999999/triage"), page + "/nonsense", page + "/receive",
                                      std::string("/complaints/abc/step"), std::string("/complaints/999999/owner")})
        EXPECT_EQ(admin.submit("/complaints", target, "note=x&owner=" + user(owner_email)).status, 404) << target;
    // Visitors sign in first.
    Client v(port_);
    r = v.get("/complaints");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(v.get(page).status, 303);
    EXPECT_EQ(v.post(page + "/triage", "category=quality&severity=low").status, 401);
    EXPECT_EQ(written(), before);
}

TEST_F(ComplaintsWeb, TheRegisterIsFilteredAndExportedWithoutContactDetails) {
    const auto privacy = raise_public("Gaëlle Confidentielle", "gaelle@example.org", "privacy");
    const auto waiting = raise_public("Hugo Attente", "hugo@example.org", "wait_times");
    ASSERT_GT(privacy, 0);
    ASSERT_GT(waiting, 0);
    auto admin = as(admin_email, "en");
    const std::string owner = user(owner_email);
    ASSERT_EQ(
        admin.submit(href(waiting), href(waiting) + "/triage", "category=wait_times&severity=critical&owner=" + owner).status,
        303);

    auto r = admin.get("/complaints?category=privacy");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, privacy));
    EXPECT_FALSE(lists(r, waiting));
    EXPECT_TRUE(r.has("<option value=\"privacy\" selected>")) << "the filter keeps its choice";
    EXPECT_TRUE(r.has("href=\"/complaints/export.csv?category=privacy\""));
    r = admin.get("/complaints?severity=critical&owner=" + owner);
    EXPECT_TRUE(lists(r, waiting));
    EXPECT_FALSE(lists(r, privacy));
    r = admin.get("/complaints?status=open&source=public");
    EXPECT_TRUE(lists(r, waiting) && lists(r, privacy));
    r = admin.get("/complaints?status=triaged");
    EXPECT_TRUE(lists(r, waiting));
    EXPECT_FALSE(lists(r, privacy));

    const auto all = scalar("SELECT COUNT(*) FROM complaints WHERE sda_id = ?", {std::stoll(area(east_area))});
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{{"status=bogus", "status"},
                                                                                           {"category=noise", "category"},
                                                                                           {"severity=9", "severity"},
                                                                                           {"source=fax", "source"},
                                                                                           {"owner=abc", "owner"},
                                                                                           {"overdue=2", "overdue"}}) {
            SCOPED_TRACE(query);
            r = admin.get("/complaints?" + query);
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has(shown(lang, "field.choose_from_list")));
            EXPECT_TRUE(r.has("id=\"error-" + field + "\""));
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\""));
            EXPECT_TRUE(lists(r, privacy) && lists(r, waiting)) << "the whole register";
            EXPECT_TRUE(r.has("href=\"/complaints/export.csv\"")) << "the export does not carry a bad filter";
            EXPECT_EQ(admin.get("/complaints/export.csv?" + query).status, 422);
        }
        r = admin.get("/complaints?status=" + enc("<b>nope</b>"));
        EXPECT_EQ(r.status, 422);
        EXPECT_FALSE(r.has("<b>nope</b>"));

        auto csv = admin.get("/complaints/export.csv?category=privacy");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
        EXPECT_EQ(csv.header("content-disposition"), "attachment; filename=\"complaint-register.csv\"");
        std::string header;
        for (const char* col :
             {"reference", "received", "kind", "source", "category", "severity", "status", "owner", "deadline", "due", "overdue"})
            header += (header.empty() ? "\"" : ",\"") + app_->catalogue().t(lang, std::string("complaint.col.") + col) + "\"";
        EXPECT_EQ(csv.body.rfind(header + "\r\n", 0), 0u) << csv.body.substr(0, 300);
        EXPECT_TRUE(csv.has("\"" + reference_of(privacy) + "\""));
        EXPECT_FALSE(csv.has(reference_of(waiting)));
        EXPECT_TRUE(csv.has("\"" + app_->catalogue().t(lang, "complaint.category.privacy") + "\""));

        csv = admin.get("/complaints/export.csv");
        ASSERT_EQ(csv.status, 200);
        EXPECT_EQ(occurrences(csv.body, "\r\n"), all + 1) << "a header and one line per complaint of the area";
        EXPECT_TRUE(csv.has("\"" + reference_of(waiting) + "\""));
        EXPECT_TRUE(csv.has("\"Noa Coordination-Démo\"")) << "its owner";
        EXPECT_TRUE(csv.has("\"" + app_->catalogue().t(lang, "complaint.severity.critical") + "\""));
        // No one's name, address or words.
        for (const char* personal : {"Gaëlle", "gaelle@example.org", "Hugo", "hugo@example.org", "huit mois", "évaluation"})
            EXPECT_FALSE(csv.has(personal)) << personal;
        for (const auto& email : {std::string("@example.org"), std::string("@demo.arrimage.invalid")})
            EXPECT_FALSE(csv.has(email)) << email;
    }

    // A value that a spreadsheet would run as a formula (an owner's name, here) is written as
    // text.
    {
        auto tx = t_->db->begin(store::TxMode::write);
        tx->exec("UPDATE users SET display_name = ? WHERE email = ?", {std::string("=1+2 Noa"), owner_email});
        tx->commit();
    }
    const auto csv = admin.get("/complaints/export.csv?severity=critical");
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.has("\"'=1+2 Noa\"")) << csv.body.substr(0, 600);
    EXPECT_FALSE(csv.has("\"=1+2"));
}

TEST_F(ComplaintsWeb, TheAreasDeadlinesAreSetByItsAgency) {
    auto admin = as(admin_email, "en");
    auto r = admin.get("/complaints/settings");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has("<h1>" + shown(Lang::en, "complaint.settings_title") + "</h1>"));
    EXPECT_TRUE(r.has("name=\"acknowledge_days\""));
    EXPECT_TRUE(r.has("inputmode=\"numeric\""));
    const std::string east = area(east_area);
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        r = admin.submit("/complaints/settings", "/complaints/settings", "acknowledge_days=0&resolve_days=30&appeal_days=30");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-acknowledge_days\""));
        EXPECT_TRUE(r.has("href=\"#field-acknowledge_days\""));
        EXPECT_TRUE(r.has(shown(lang, "complaint.days_range", {"1", "60"})));
        EXPECT_TRUE(r.has("name=\"acknowledge_days\" value=\"0\"")) << "what was typed is kept";
        r = admin.submit("/complaints/settings", "/complaints/settings", "acknowledge_days=3&resolve_days=abc&appeal_days=366");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-resolve_days\""));
        EXPECT_TRUE(r.has("id=\"error-appeal_days\""));
        EXPECT_TRUE(r.has(shown(lang, "complaint.days_range", {"1", "365"})));
        r = admin.submit("/complaints/settings", "/complaints/settings", "acknowledge_days=&resolve_days=30&appeal_days=30");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"error-acknowledge_days\""));
    }
    EXPECT_EQ(written(), before);

    r = admin.submit("/complaints/settings", "/complaints/settings", "acknowledge_days=7&resolve_days=40&appeal_days=20");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), "/complaints/settings");
    EXPECT_EQ(scalar_text("SELECT acknowledge_days || '/' || resolve_days || '/' || appeal_days FROM complaint_settings WHERE "
                          "sda_id = ?",
                          {std::stoll(east)}),
              "7/40/20");
    r = admin.get("/complaints/settings");
    EXPECT_TRUE(r.has("name=\"acknowledge_days\" value=\"7\""));
    // The next complaint is due within the new deadlines.
    const auto id = raise_public("Inès Délai", "ines@example.org");
    ASSERT_GT(id, 0);
    EXPECT_EQ(scalar_text("SELECT acknowledge_due || '/' || resolve_due FROM complaints WHERE id = ?", {id}),
              day(7) + "/" + day(40));

    // Another area's administrator sets their own area's, not this one's.
    auto west = as(west_admin_email, "en");
    ASSERT_EQ(
        west.submit("/complaints/settings", "/complaints/settings", "acknowledge_days=2&resolve_days=10&appeal_days=10").status,
        303);
    EXPECT_EQ(scalar_text("SELECT acknowledge_days || '/' || resolve_days || '/' || appeal_days FROM complaint_settings WHERE "
                          "sda_id = ?",
                          {std::stoll(east)}),
              "7/40/20");
    EXPECT_EQ(scalar("SELECT acknowledge_days FROM complaint_settings WHERE sda_id = ?", {std::stoll(area(west_area))}), 2);
}

TEST_F(ComplaintsWeb, EveryPageAnswersInBothLanguagesWithItsLinks) {
    const auto id = raise_public("Jo Essai", "jo@example.org");
    ASSERT_GT(id, 0);
    auto admin = as(admin_email, "en");
    const std::vector<std::pair<std::string, std::string>> pages = {{"/complaints", "complaint.list_title"},
                                                                    {"/complaints/new", "complaint.new_title_staff"},
                                                                    {"/complaints/settings", "complaint.settings_title"},
                                                                    {href(id), ""}};
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        for (const auto& [path, title] : pages) {
            SCOPED_TRACE(path);
            auto r = admin.get(path);
            ASSERT_EQ(r.status, 200);
            EXPECT_EQ(occurrences(r.body, "<h1"), 1) << "one main heading";
            EXPECT_TRUE(r.has("<html lang=\"" + std::string(code(lang)) + "\""));
            EXPECT_TRUE(title.empty() || r.has("<h1>" + shown(lang, title) + "</h1>"));
            EXPECT_TRUE(r.has(nav_link(lang)));
        }
        EXPECT_TRUE(admin.get(href(id)).has("<h1>" + shown(lang, "complaint.heading.complaint", {reference_of(id)}) + "</h1>"));
        EXPECT_TRUE(admin.get(href(id)).has("<dd>" + shown(lang, "complaint.source.public") + "</dd>"));
        // The form's link in the footer, for visitors and family accounts.
        const std::string footer_link = "<p><a href=\"/complaints/new\">" + shown(lang, "complaint.make_link") + "</a></p>";
        EXPECT_TRUE(visitor(std::string(code(lang))).get("/login").has(footer_link));
        EXPECT_TRUE(as(app::demo_family_login, std::string(code(lang))).get("/family").has(footer_link));
    }
    // Every staff role with a register has the navigation's link and the footer's; the others
    // neither: the form would refuse them.
    const std::string footer_link = "<p><a href=\"/complaints/new\">" + shown(Lang::en, "complaint.make_link") + "</a></p>";
    for (const std::string& email :
         {admin_email, owner_email, manager_email, provider_email, std::string("privacy@demo.arrimage.invalid"),
          std::string("staff.ctc@demo.arrimage.invalid")}) {
        const auto home = as(email, "en").get("/");
        EXPECT_TRUE(home.has(nav_link(Lang::en))) << email;
        EXPECT_TRUE(home.has(footer_link)) << email;
    }
    for (const char* email : {"sysadmin@demo.arrimage.invalid", "analyst@demo.arrimage.invalid"}) {
        const auto home = as(email, "en").get("/");
        EXPECT_FALSE(home.has("href=\"/complaints\"")) << email;
        EXPECT_FALSE(home.has("href=\"/complaints/new\"")) << email;
    }
}
