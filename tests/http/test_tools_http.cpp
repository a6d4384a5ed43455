// The library of common tools and forms over HTTP, on the demo people (pages_tools.cpp): the
// coordinating agency's administrator adds a tool through its form (bad terms are field errors in
// the user's language, on their field and in the summary, and save nothing), changes it from the
// version the form was shown with (a stale version is refused with its message, 409), uploads
// its French file through the multipart form and everyone who reads the library downloads it back
// byte for byte as an attachment (a file of a refused type is a field error on the file); a
// provider manager confirms that their organisation uses the current version, and a new version
// makes that adoption an earlier one's; the adoption matrix shows each provider's standing in
// words. Roles without access are refused (403), a tool out of the reader's reach is not found
// (404). The demo is loaded without its tools (demo_tools.cpp): the tests count their own.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "core/crypto.hpp"
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

// A tool's terms as its form posts them.
struct Terms {
    std::string title_fr, title_en, description_fr, description_en, kind = "form", mandatory = "1", version_label = "2026-1";

    std::string form() const {
        std::string f = "title_fr=" + enc(title_fr) + "&title_en=" + enc(title_en) + "&description_fr=" + enc(description_fr) +
                        "&description_en=" + enc(description_en) + "&kind=" + enc(kind) + "&version_label=" + enc(version_label);
        if (!mandatory.empty()) f += "&mandatory=" + enc(mandatory);
        return f;
    }
};

// A small PDF with NULs and 0xFF among its bytes: the download gives these bytes back exactly.
std::string small_pdf() {
    std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
    for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
    return out + "\n%%EOF\n";
}

// The demo people and organisations the tests name (app/demo_data.cpp).
const std::string admin_email = "ca.admin@demo.arrimage.invalid";
const std::string manager_email = "manager1@demo.arrimage.invalid";   // Blue River's manager
const std::string manager2_email = "manager2@demo.arrimage.invalid";  // Maple Youth Centre's
const std::string coord1_email = "coord1@demo.arrimage.invalid";      // a Blue River coordinator
const std::string staff_email = "staff.board2@demo.arrimage.invalid";
const std::string privacy_email = "privacy@demo.arrimage.invalid";
const std::string sysadmin_email = "sysadmin@demo.arrimage.invalid";
const std::string analyst_email = "analyst@demo.arrimage.invalid";
const std::string blue_river = "Blue River Family Services (fictional)";
const std::string maple = "Fictional Maple Youth Centre";

}  // namespace

class ToolWeb : public testsupport::DemoServerTest {
  protected:
    // Without the demo's tools: the tests count their own.
    bool demo_referrals() const override { return false; }

    Client as(const std::string& email, const std::string& lang) {
        Client c = sign_in(email);
        c.set_cookie("arrimage_lang", lang);
        return c;
    }
    // Rows of the library's tables and the tools' versions: unchanged when nothing was written.
    std::int64_t written() {
        return scalar(
            "SELECT (SELECT COUNT(*) FROM tools) + (SELECT COUNT(*) FROM tool_files) + (SELECT COUNT(*) FROM tool_adoptions) + "
            "(SELECT COALESCE(SUM(version), 0) FROM tools) + (SELECT COALESCE(SUM(retired), 0) FROM tools)");
    }
    Terms terms(const std::string& name) {
        Terms t;
        t.title_fr = "Formulaire d’essai — " + name;
        t.title_en = "Test form — " + name;
        t.description_fr = "Le formulaire commun.\nÀ remplir avec la famille.";
        t.description_en = "The shared form.";
        return t;
    }
    // Adds a tool through its form: its page's address ("" when refused).
    std::string create(Client& c, const Terms& t) {
        auto r = c.submit("/network/tools/new", "/network/tools", t.form());
        EXPECT_EQ(r.status, 303) << t.title_en << "\n" << r.body.substr(0, 2000);
        return r.status == 303 ? r.header("location") : std::string();
    }
    static std::int64_t id_of(const std::string& href) { return std::stoll(href.substr(std::string("/network/tools/").size())); }
    std::string column(const std::string& href, const std::string& name) {
        return scalar_text("SELECT " + name + " FROM tools WHERE id = ?", {id_of(href)});
    }
    static std::string version_of(const Reply& page) { return captured(page.body, "name=\"version\" value=\"([0-9]+)\""); }
    // Posts the tool page's file form (multipart/form-data, the token from the home page): `lang`
    // ("" to send none), then the file as (filename, content).
    Reply upload(Client& c, const std::string& href, const std::string& lang, const std::string& filename,
                 const std::string& content) {
        std::vector<std::pair<std::string, std::string>> fields = {{"_csrf", Client::csrf(c.get("/").body)}};
        if (!lang.empty()) fields.emplace_back("lang", lang);
        return c.post_multipart(href + "/files", fields, {{"file", filename, content}});
    }
    // Changes the tool's version label from the version its edit form shows.
    Reply relabel(Client& c, const std::string& href, Terms t, const std::string& label) {
        const std::string version = version_of(c.get(href + "/edit"));
        EXPECT_FALSE(version.empty());
        t.version_label = label;
        return c.submit("/", href + "/edit", "version=" + version + "&" + t.form());
    }
    Reply adopt(Client& c, const std::string& href, const std::string& label) {
        return c.submit("/", href + "/adopt", "version_label=" + enc(label));
    }
    static bool lists(const Reply& r, const std::string& href) { return r.has("<a href=\"" + href + "\">"); }
    // A provider manager of a new area "West", at a new provider of it.
    void west_manager(const std::string& email) {
        auto tx = t_->db->begin(store::TxMode::write);
        store::IdentityRepo repo(*tx, clock_);
        const auto west = *repo.create_sda({"west", "Ouest", "West"}, 0);
        domain::Organisation o;
        o.sda_id = west;
        o.name_fr = "Services familiaux Ouest";
        o.name_en = "West Family Services";
        o.sector = domain::Sector::childrens_services;
        o.csp_roles = {domain::CspRole::csp_provider};
        const auto organisation = *repo.create_organisation(o, 0);
        const auto id = *repo.create_user({email, "West Manager", Lang::en}, 0);
        EXPECT_TRUE(repo.add_membership(id, {organisation, domain::Role::provider_manager}, 0));
        store::AuthRepo(*tx, clock_).set_password_hash(id, hash_password("west password", PasswordHashCost::minimum()));
        tx->commit();
    }
    Client west_client(const std::string& email) {
        Client c(port_);
        EXPECT_EQ(c.submit("/login", "/login", "email=" + enc(email) + "&password=west+password").status, 303);
        c.set_cookie("arrimage_lang", "en");
        return c;
    }
    // A standing as the pages write it (templates/_training_standing).
    std::string current_shown(Lang lang) {
        return "<span class=\"arr-ok\">" + shown(lang, "network.tools.standing.adopted_current") + "</span>";
    }
    std::string not_adopted_shown(Lang lang) {
        return "<span aria-hidden=\"true\">⚠ </span>" + shown(lang, "network.tools.standing.not_adopted") + "</strong>";
    }
    std::string older_shown(Lang lang, const std::string& label) {
        return "<strong class=\"arr-warn\">" + shown(lang, "network.tools.standing_older_value", {label}) + "</strong>";
    }
};

TEST_F(ToolWeb, TheAdministratorAddsAToolThroughItsForm) {
    auto admin = as(admin_email, "en");
    auto list = admin.get("/network/tools");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<h1>" + shown(Lang::en, "network.tools.list_title") + "</h1>"));
    EXPECT_TRUE(list.has("href=\"/network/tools/new\""));
    EXPECT_TRUE(list.has("href=\"/network/tools/adoption\""));
    EXPECT_TRUE(list.has(shown(Lang::en, "network.tools.empty")));

    // The form: the kinds as radio buttons in their group, labels for every field.
    auto form = admin.get("/network/tools/new");
    ASSERT_EQ(form.status, 200);
    EXPECT_TRUE(form.has("<h1>" + shown(Lang::en, "network.tools.new_title") + "</h1>"));
    EXPECT_TRUE(form.has("action=\"/network/tools\""));
    for (const char* kind : {"form", "guide", "checklist", "assessment_tool", "template", "other"})
        EXPECT_TRUE(form.has("name=\"kind\" value=\"" + std::string(kind) + "\"")) << kind;
    EXPECT_TRUE(form.has("<legend class=\"ontario-fieldset__legend\">" + shown(Lang::en, "network.tools.field.kind")));
    for (const char* field : {"title_fr", "title_en", "description_fr", "description_en", "version_label", "mandatory"})
        EXPECT_TRUE(form.has("for=\"field-" + std::string(field) + "\"")) << field;
    EXPECT_TRUE(form.has(shown(Lang::en, "network.tools.hint.version_label")));

    const Terms t = terms("Consentement");
    const auto before = written();
    const std::string href = create(admin, t);
    ASSERT_TRUE(std::regex_match(href, std::regex("/network/tools/[0-9]+"))) << href;
    EXPECT_EQ(written(), before + 2) << "one tool at version 1";
    EXPECT_EQ(column(href, "title_en"), t.title_en);
    EXPECT_EQ(column(href, "kind"), "form");
    EXPECT_EQ(column(href, "mandatory"), "1");
    EXPECT_EQ(column(href, "version_label"), "2026-1");

    auto page = admin.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.created"))) << "the flash";
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        page = admin.get(href);
        ASSERT_EQ(page.status, 200);
        EXPECT_TRUE(page.has("<h1>" + (lang == Lang::fr ? t.title_fr : t.title_en) + "</h1>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.tools.kind.form") + "</dd>"));
        EXPECT_TRUE(page.has("<dd>" + shown(lang, "network.tools.mandatory") + "</dd>"));
        EXPECT_TRUE(page.has(shown(lang, "network.tools.mandatory_notice", {"2026-1"})));
        EXPECT_TRUE(page.has("À remplir avec la famille."));
        EXPECT_TRUE(page.has(shown(lang, "network.tools.no_file")));
        EXPECT_TRUE(page.has("href=\"" + href + "/edit\""));
        EXPECT_TRUE(page.has("action=\"" + href + "/files\" enctype=\"multipart/form-data\""));
        EXPECT_TRUE(page.has("action=\"" + href + "/retire\""));
        EXPECT_FALSE(page.has("action=\"" + href + "/adopt\"")) << "the agency does not adopt";
        // Every provider of the area, none of them having adopted it yet.
        EXPECT_TRUE(page.has("<th scope=\"row\">" +
                             (lang == Lang::fr ? std::string("Services à la famille Rivière-Bleue (fictif)") : blue_river) +
                             "</th>"));
        EXPECT_TRUE(page.has(not_adopted_shown(lang)));
        EXPECT_EQ(page.body.find("<h1>"), page.body.rfind("<h1>")) << "one h1";
    }

    admin.set_cookie("arrimage_lang", "en");
    list = admin.get("/network/tools");
    EXPECT_TRUE(lists(list, href));
    EXPECT_TRUE(list.has("<p>" + shown(Lang::en, "network.tools.count", {"1"})));
    EXPECT_TRUE(list.has("<strong>" + shown(Lang::en, "network.tools.mandatory") + "</strong>"));
    EXPECT_TRUE(list.has(shown(Lang::en, "network.tools.files_none")));
}

TEST_F(ToolWeb, BadTermsAreFieldErrorsInTheUsersLanguageAndSaveNothing) {
    const auto before = written();
    for (const Lang lang : {Lang::fr, Lang::en}) {
        SCOPED_TRACE(std::string(code(lang)));
        auto admin = as(admin_email, std::string(code(lang)));
        auto refused = [&](const Terms& t, const std::string& field, const std::string& key,
                           const std::vector<std::string>& args = {}) {
            SCOPED_TRACE(field + ": " + key);
            auto r = admin.submit("/network/tools/new", "/network/tools", t.form());
            EXPECT_EQ(r.status, 422);
            EXPECT_TRUE(r.has("<p class=\"arr-field-error\" id=\"error-" + field + "\">" + shown(lang, key, args) + "</p>"))
                << "the message is on its field, in the user's language";
            EXPECT_TRUE(r.has("href=\"#field-" + field + "\"")) << "the summary links to it";
            EXPECT_TRUE(r.has(shown(lang, "form.error_summary")));
            // A group of radio buttons carries its error on its fieldset, the other fields on themselves.
            if (field != "kind") {
                EXPECT_TRUE(r.has("aria-invalid=\"true\""));
            }
            return r;
        };

        Terms t = terms("Sans titre");
        t.title_fr = "";
        auto r = refused(t, "title_fr", "field.required");
        EXPECT_TRUE(r.has("value=\"" + t.title_en + "\"")) << "what was typed is kept";
        EXPECT_TRUE(r.has(">The shared form.</textarea>"));
        EXPECT_TRUE(r.has("name=\"mandatory\" value=\"1\" checked"));

        t = terms("Type");
        t.kind = "poster";
        refused(t, "kind", "field.choose_from_list");
        t.kind = "";
        refused(t, "kind", "field.required");

        t = terms("Version");
        t.version_label = std::string(21, '1');
        r = refused(t, "version_label", "field.too_long", {"20"});
        t.version_label = "";
        refused(t, "version_label", "field.required");

        t = terms("Long");
        t.title_en = std::string(201, 'x');
        refused(t, "title_en", "field.too_long", {"200"});
        t = terms("Description");
        t.description_fr = std::string(4001, 'x');
        refused(t, "description_fr", "field.too_long", {"4000"});

        auto list = admin.get("/network/tools");
        EXPECT_TRUE(list.has(shown(lang, "network.tools.empty"))) << "nothing in the library";
    }
    EXPECT_EQ(written(), before);
}

TEST_F(ToolWeb, AStaleEditIsRefusedWithItsMessage) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Modifié");
    const std::string href = create(admin, t);
    ASSERT_FALSE(href.empty());

    auto edit = admin.get(href + "/edit");
    ASSERT_EQ(edit.status, 200);
    EXPECT_TRUE(edit.has("action=\"" + href + "/edit\""));
    EXPECT_TRUE(edit.has("value=\"" + t.title_en + "\""));
    EXPECT_TRUE(edit.has("name=\"kind\" value=\"form\" checked"));
    EXPECT_TRUE(edit.has("value=\"2026-1\""));
    const std::string version = version_of(edit);
    ASSERT_EQ(version, "1");

    // Bad terms: the form again with the errors and the version it was posted with.
    Terms bad = t;
    bad.version_label = "";
    auto r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + bad.form());
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-version_label\""));
    EXPECT_EQ(version_of(r), version);
    EXPECT_EQ(column(href, "version_label"), "2026-1");

    Terms changed = t;
    changed.title_en = "Their title";
    changed.version_label = "2026-2";
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + changed.form());
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location"), href);
    EXPECT_EQ(column(href, "version_label"), "2026-2");

    // The same version again: refused whole, the form showing the tool as it is now.
    Terms mine = t;
    mine.title_en = "My title";
    r = admin.submit(href + "/edit", href + "/edit", "version=" + version + "&" + mine.form());
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.tools.changed_meanwhile")));
    EXPECT_TRUE(r.has("value=\"Their title\""));
    EXPECT_FALSE(r.has("value=\"My title\""));
    EXPECT_EQ(version_of(r), "2");
    EXPECT_EQ(column(href, "title_en"), "Their title");
}

TEST_F(ToolWeb, AFileIsUploadedAndDownloadedBackIdentical) {
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Fichiers"));
    ASSERT_FALSE(href.empty());
    auto page = admin.get(href);
    EXPECT_TRUE(page.has("type=\"file\" id=\"file-field-file\" name=\"file\""));
    EXPECT_TRUE(page.has("accept=\".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg\""));
    EXPECT_TRUE(page.has("name=\"lang\" value=\"fr\""));
    EXPECT_TRUE(page.has("name=\"lang\" value=\"en\""));
    auto coordinator = as(coord1_email, "en");
    EXPECT_EQ(coordinator.get(href + "/files/fr").status, 404) << "no file yet";

    const std::string pdf = small_pdf();
    auto r = upload(admin, href, "fr", "consentement.pdf", pdf);
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    EXPECT_EQ(r.header("location"), href + "#files-heading");
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tool_files WHERE tool_id = ?", {id_of(href)}), 1);

    page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.file_added")));
    EXPECT_TRUE(page.has("<a href=\"" + href + "/files/fr\" download>consentement.pdf</a>"));
    EXPECT_TRUE(page.has("<td>" + shown(Lang::en, "network.tools.size_kb", {"1"}) + "</td>"));
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.no_file"))) << "English still missing";

    // Whoever reads the library downloads the same bytes, as a PDF, always an attachment.
    for (const std::string& email : {coord1_email, manager_email, staff_email, analyst_email, admin_email}) {
        SCOPED_TRACE(email);
        auto reader = email == coord1_email ? coordinator : as(email, "en");
        auto file = reader.get(href + "/files/fr");
        ASSERT_EQ(file.status, 200);
        EXPECT_EQ(file.body.size(), pdf.size());
        EXPECT_TRUE(file.body == pdf) << "byte for byte";
        EXPECT_EQ(file.header("content-type"), "application/pdf");
        EXPECT_EQ(file.header("content-disposition"),
                  "attachment; filename=\"consentement.pdf\"; filename*=UTF-8''consentement.pdf");
    }
    EXPECT_EQ(coordinator.get(href + "/files/en").status, 404);
    EXPECT_EQ(coordinator.get(href + "/files/de").status, 404);

    // Another French file replaces it.
    const std::string second = small_pdf() + "second";
    ASSERT_EQ(upload(admin, href, "fr", "consentement-v2.pdf", second).status, 303);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tool_files WHERE tool_id = ?", {id_of(href)}), 1);
    auto file = coordinator.get(href + "/files/fr");
    EXPECT_TRUE(file.body == second);
    EXPECT_NE(file.header("content-disposition").find("consentement-v2.pdf"), std::string::npos);

    auto list = coordinator.get("/network/tools");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.has("<td>" + shown(Lang::en, "network.tools.files_fr_only") + "</td>"));
}

TEST_F(ToolWeb, ARefusedFileTypeIsAFieldErrorAndSavesNothing) {
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Refusé"));
    ASSERT_FALSE(href.empty());
    const auto before = written();
    for (const Lang lang : {Lang::en, Lang::fr}) {
        SCOPED_TRACE(std::string(code(lang)));
        admin.set_cookie("arrimage_lang", std::string(code(lang)));
        auto r = upload(admin, href, "fr", "page.html", "<html><script>alert(1)</script></html>");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(
            r.has("<p class=\"arr-field-error\" id=\"file-error-file\">" + shown(lang, "agreement.document_type") + "</p>"));
        EXPECT_TRUE(r.has("href=\"#file-field-file\""));
        EXPECT_TRUE(r.has("name=\"lang\" value=\"fr\" checked")) << "the language chosen stays chosen";

        r = upload(admin, href, "fr", "faux.pdf", "GIF89a");
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has(shown(lang, "agreement.document_content")));

        r = upload(admin, href, "", "consent.pdf", small_pdf());
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"file-error-lang\">" + shown(lang, "field.required") + "</p>"));
        r = upload(admin, href, "de", "consent.pdf", small_pdf());
        EXPECT_EQ(r.status, 422);
        EXPECT_TRUE(r.has("id=\"file-error-lang\">" + shown(lang, "field.choose_from_list") + "</p>"));
    }
    EXPECT_EQ(written(), before);
}

TEST_F(ToolWeb, AProviderManagerAdoptsTheCurrentVersion) {
    auto admin = as(admin_email, "en");
    const Terms t = terms("Adoption");
    const std::string href = create(admin, t);
    ASSERT_FALSE(href.empty());

    auto manager = as(manager_email, "en");
    auto page = manager.get(href);
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<p>" + shown(Lang::en, "network.tools.own_standing") + " <strong class=\"arr-overdue\">" +
                         not_adopted_shown(Lang::en) + "</p>"))
        << "their organisation's standing, in words";
    EXPECT_TRUE(page.has("action=\"" + href + "/adopt\""));
    EXPECT_TRUE(page.has("name=\"version_label\" value=\"2026-1\""));
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.adopt_help", {"2026-1"})));
    EXPECT_FALSE(page.has(maple)) << "a provider manager sees their own organisation's standing only";
    EXPECT_FALSE(page.has("action=\"" + href + "/files\"")) << "nor uploads";
    EXPECT_FALSE(page.has("href=\"" + href + "/edit\""));

    auto r = adopt(manager, href, "2026-1");
    ASSERT_EQ(r.status, 303) << r.body.substr(0, 2000);
    EXPECT_EQ(r.header("location"), href);
    page = manager.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.adopted")));
    EXPECT_TRUE(page.has(current_shown(Lang::en)));
    EXPECT_FALSE(page.has("action=\"" + href + "/adopt\"")) << "adopted: nothing more to confirm";
    auto list = manager.get("/network/tools");
    EXPECT_TRUE(list.has("<th scope=\"col\">" + shown(Lang::en, "network.tools.col.own") + "</th>"));
    EXPECT_TRUE(list.has("<td>" + current_shown(Lang::en) + "</td>"));
    EXPECT_EQ(adopt(manager, href, "2026-1").status, 409) << "already adopted";

    // A new version: Blue River's adoption becomes an earlier version's.
    ASSERT_EQ(relabel(admin, href, t, "2026-2").status, 303);
    page = manager.get(href);
    EXPECT_TRUE(page.has(older_shown(Lang::en, "2026-1")));
    EXPECT_TRUE(page.has("name=\"version_label\" value=\"2026-2\""));
    // Confirming the version the page showed before: refused with its message.
    r = adopt(manager, href, "2026-1");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.tools.version_changed")));
    // In French.
    manager.set_cookie("arrimage_lang", "fr");
    page = manager.get(href);
    EXPECT_TRUE(page.has(older_shown(Lang::fr, "2026-1")));
    ASSERT_EQ(adopt(manager, href, "2026-2").status, 303);
    EXPECT_TRUE(manager.get(href).has(current_shown(Lang::fr)));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tool_adoptions WHERE tool_id = ?", {id_of(href)}), 2);

    // An optional tool has nothing to adopt.
    Terms optional = terms("Facultatif");
    optional.mandatory = "";
    const std::string guide = create(admin, optional);
    page = manager.get(guide);
    EXPECT_FALSE(page.has("action=\"" + guide + "/adopt\""));
    EXPECT_FALSE(page.has(shown(Lang::fr, "network.tools.adoption_heading")));
    r = adopt(manager, guide, "2026-1");
    EXPECT_EQ(r.status, 409);
    EXPECT_TRUE(r.has(shown(Lang::fr, "network.tools.not_mandatory")));
}

TEST_F(ToolWeb, TheAdoptionMatrixShowsEachProvidersStandingInWords) {
    auto admin = as(admin_email, "en");
    Terms consent = terms("Consentement");
    consent.title_en = "A consent form";
    const std::string a = create(admin, consent);
    Terms referral = terms("Orientation");
    referral.title_en = "B referral form";
    referral.version_label = "2025-3";
    const std::string b = create(admin, referral);
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    auto manager = as(manager_email, "en");
    auto manager2 = as(manager2_email, "en");
    ASSERT_EQ(adopt(manager, a, "2026-1").status, 303);
    ASSERT_EQ(adopt(manager2, a, "2026-1").status, 303);
    ASSERT_EQ(adopt(manager, b, "2025-3").status, 303);
    ASSERT_EQ(relabel(admin, a, consent, "2026-2").status, 303);

    auto page = admin.get("/network/tools/adoption");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has("<h1>" + shown(Lang::en, "network.tools.adoption.title") + "</h1>"));
    EXPECT_TRUE(page.has("<caption>" + shown(Lang::en, "network.tools.adoption.matrix_caption") + "</caption>"));
    EXPECT_TRUE(page.has("<caption>" + shown(Lang::en, "network.tools.adoption.summary_caption") + "</caption>"));
    EXPECT_TRUE(page.has("<th scope=\"col\"><a href=\"" + a + "\">A consent form</a><br>" +
                         shown(Lang::en, "network.tools.version_short", {"2026-2"}) + "</th>"));
    // Blue River: an earlier version of the consent form, the current referral form.
    const auto row_at = page.body.find("<th scope=\"row\">" + blue_river + "</th>");
    ASSERT_NE(row_at, std::string::npos);
    const std::string row = page.body.substr(row_at, page.body.find("</tr>", row_at) - row_at);
    ASSERT_NE(row.find(current_shown(Lang::en)), std::string::npos) << row;
    EXPECT_TRUE(row.find(older_shown(Lang::en, "2026-1")) < row.find(current_shown(Lang::en))) << row;
    EXPECT_NE(row.find("<td>" + shown(Lang::en, "network.tools.adoption.of_total", {"1", "2"}) + "</td>"), std::string::npos);
    // Nine providers × two tools: one current, two earlier, fifteen not adopted.
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.adoption.totals", {"1", "2", "15"})));
    EXPECT_FALSE(page.has("<th scope=\"row\">Demo Coordinating Agency</th>")) << "the agency is not a provider";
    EXPECT_FALSE(page.has("Ministry Regional Office")) << "nor the ministry's office";

    // In French, and for the analyst (every area, never a name).
    admin.set_cookie("arrimage_lang", "fr");
    page = admin.get("/network/tools/adoption");
    EXPECT_TRUE(page.has(shown(Lang::fr, "network.tools.adoption.totals", {"1", "2", "15"})));
    EXPECT_TRUE(page.has(older_shown(Lang::fr, "2026-1")));
    auto analyst = as(analyst_email, "en");
    page = analyst.get("/network/tools/adoption");
    ASSERT_EQ(page.status, 200);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.adoption.analyst_intro")));
    EXPECT_TRUE(page.has("<h2 id=\"area-"));
    EXPECT_TRUE(page.has("Demo East Region"));
    page = analyst.get(a);
    ASSERT_EQ(page.status, 200);
    EXPECT_FALSE(page.has(shown(Lang::en, "network.tools.col.adopted_by")));
    EXPECT_FALSE(page.has("Robin Gestion-Démo")) << "the manager who confirmed is not named to the analyst";
    EXPECT_TRUE(admin.get(a).has("Robin Gestion-Démo"));

    for (const std::string& email : {manager_email, coord1_email, staff_email, privacy_email, sysadmin_email})
        EXPECT_EQ(as(email, "en").get("/network/tools/adoption").status, 403) << email;
}

TEST_F(ToolWeb, RetiringTakesItOutOfTheLibraryAndPutsItBack) {
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Retiré"));
    ASSERT_FALSE(href.empty());
    auto r = admin.submit(href, href + "/retire", "version=1&retired=2");
    EXPECT_EQ(r.status, 422);
    r = admin.submit(href, href + "/retire", "version=1&retired=1");
    ASSERT_EQ(r.status, 303);
    EXPECT_EQ(column(href, "retired"), "1");
    auto page = admin.get(href);
    EXPECT_TRUE(page.has(shown(Lang::en, "network.tools.retired_notice")));
    EXPECT_FALSE(lists(admin.get("/network/tools"), href));
    EXPECT_TRUE(lists(admin.get("/network/tools?retired=1"), href));
    auto manager = as(manager_email, "en");
    EXPECT_EQ(adopt(manager, href, "2026-1").status, 409) << "a retired tool is not adopted";
    EXPECT_EQ(admin.submit(href, href + "/retire", "version=1&retired=0").status, 409) << "stale version";
    ASSERT_EQ(admin.submit(href, href + "/retire", "version=2&retired=0").status, 303);
    EXPECT_TRUE(lists(admin.get("/network/tools"), href));
}

TEST_F(ToolWeb, TheLibraryIsFiltered) {
    auto admin = as(admin_email, "en");
    const std::string form = create(admin, terms("Formulaire"));
    Terms g = terms("Guide");
    g.kind = "guide";
    g.mandatory = "";
    const std::string guide = create(admin, g);
    auto r = admin.get("/network/tools?kind=guide");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(lists(r, guide));
    EXPECT_FALSE(lists(r, form));
    r = admin.get("/network/tools?mandatory=1");
    EXPECT_TRUE(lists(r, form));
    EXPECT_FALSE(lists(r, guide));
    r = admin.get("/network/tools?kind=checklist");
    EXPECT_TRUE(r.has(shown(Lang::en, "network.tools.none")));
    r = admin.get("/network/tools?kind=poster&mandatory=maybe");
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.has("id=\"error-kind\">" + shown(Lang::en, "field.choose_from_list") + "</p>"));
    EXPECT_TRUE(r.has("id=\"error-mandatory\">" + shown(Lang::en, "field.choose_from_list") + "</p>"));
    EXPECT_TRUE(lists(r, form) && lists(r, guide)) << "the whole library under the errors";
}

TEST_F(ToolWeb, RolesWithoutAccessAreRefused) {
    west_manager("west.manager@example.org");
    auto admin = as(admin_email, "en");
    const std::string href = create(admin, terms("Refus"));
    ASSERT_FALSE(href.empty());
    ASSERT_EQ(upload(admin, href, "fr", "refus.pdf", small_pdf()).status, 303);
    const std::string valid = terms("Refusé").form();
    const auto before = written();

    // Coordinators and staff read the library and download; they change nothing and adopt nothing.
    for (const std::string& email : {coord1_email, staff_email}) {
        SCOPED_TRACE(email);
        auto reader = as(email, "en");
        auto r = reader.get("/network/tools");
        ASSERT_EQ(r.status, 200);
        EXPECT_TRUE(lists(r, href));
        EXPECT_FALSE(r.has("href=\"/network/tools/new\""));
        EXPECT_FALSE(r.has("href=\"/network\"")) << "no network page to go back to";
        EXPECT_EQ(reader.get(href).status, 200);
        EXPECT_EQ(reader.get(href + "/files/fr").status, 200);
        for (const std::string& path :
             {std::string("/network/tools/new"), href + "/edit", std::string("/network/tools/adoption")})
            EXPECT_EQ(reader.get(path).status, 403) << path;
        r = reader.submit("/", "/network/tools", valid);
        EXPECT_EQ(r.status, 403);
        EXPECT_FALSE(r.has(shown(Lang::en, "error.csrf"))) << "refused by the page, not for want of its token";
        EXPECT_EQ(reader.submit("/", href + "/edit", "version=1&" + valid).status, 403);
        EXPECT_EQ(reader.submit("/", href + "/retire", "version=1&retired=1").status, 403);
        EXPECT_EQ(adopt(reader, href, "2026-1").status, 403);
        EXPECT_EQ(upload(reader, href, "en", "x.pdf", small_pdf()).status, 403);
    }

    // A provider manager reads and adopts, and changes nothing of the library.
    auto manager = as(manager_email, "en");
    for (const std::string& path : {std::string("/network/tools/new"), href + "/edit", std::string("/network/tools/adoption")})
        EXPECT_EQ(manager.get(path).status, 403) << path;
    EXPECT_EQ(manager.submit("/", "/network/tools", valid).status, 403);
    EXPECT_EQ(manager.submit("/", href + "/edit", "version=1&" + valid).status, 403);
    EXPECT_EQ(manager.submit("/", href + "/retire", "version=1&retired=2").status, 403);
    EXPECT_EQ(upload(manager, href, "en", "x.pdf", small_pdf()).status, 403);

    // The ministry's analyst reads every area's library and the matrix, and does nothing else.
    auto analyst = as(analyst_email, "en");
    auto r = analyst.get("/network/tools");
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.has(shown(Lang::en, "network.tools.analyst_intro")));
    EXPECT_TRUE(lists(r, href));
    for (const std::string& path : {std::string("/network/tools/new"), href + "/edit"})
        EXPECT_EQ(analyst.get(path).status, 403) << path;
    EXPECT_EQ(analyst.submit("/", "/network/tools", valid).status, 403);
    EXPECT_EQ(adopt(analyst, href, "2026-1").status, 403);
    EXPECT_EQ(upload(analyst, href, "en", "x.pdf", small_pdf()).status, 403);

    // Neither the privacy officer nor the system administrator reads the library.
    for (const std::string& email : {privacy_email, sysadmin_email}) {
        SCOPED_TRACE(email);
        auto other = as(email, "en");
        for (const std::string& path :
             {std::string("/network/tools"), href, href + "/files/fr", std::string("/network/tools/new")})
            EXPECT_EQ(other.get(path).status, 403) << path;
        EXPECT_EQ(adopt(other, href, "2026-1").status, 403);
        EXPECT_EQ(upload(other, href, "en", "x.pdf", small_pdf()).status, 403);
    }

    // Another area's manager: the demo area's tool is not found.
    auto west = west_client("west.manager@example.org");
    r = west.get("/network/tools");
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(lists(r, href));
    for (const std::string& path : {href, href + "/files/fr"}) EXPECT_EQ(west.get(path).status, 404) << path;
    EXPECT_EQ(adopt(west, href, "2026-1").status, 404);

    // No such tool.
    EXPECT_EQ(admin.get("/network/tools/999999").status, 404);
    EXPECT_EQ(admin.get("/network/tools/abc").status, 404);
    EXPECT_EQ(admin.get("/network/tools/999999/edit").status, 404);
    EXPECT_EQ(admin.get("/network/tools/999999/files/fr").status, 404);
    EXPECT_EQ(upload(admin, "/network/tools/999999", "fr", "x.pdf", small_pdf()).status, 404);

    // Visitors sign in first.
    Client visitor(port_);
    r = visitor.get("/network/tools");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("location").rfind("/login", 0), 0u);
    EXPECT_EQ(visitor.get(href + "/files/fr").status, 303);
    EXPECT_EQ(visitor.post("/network/tools", valid).status, 401);

    EXPECT_EQ(written(), before);
}
