// The library of common tools and forms (features/network/store/tool_repo.hpp), against SQLite
// (label db) and PostgreSQL (label pg), on a registry made here at a fixed day (15 March 2026): an
// east region with its coordinating agency, a provider, a participant, a closed provider and a
// partner that is neither, a west region with its own agency and provider, and the ministry's
// office. A tool is recorded by an administrator of its area; its terms and retirement change only
// from the version shown (a stale form is a conflict before its field errors), and a new version
// label is set on its day. Its files, one per language, pass the agreements' documents' checks,
// replace each other and come back byte for byte. The providers' managers adopt the current
// version of a mandatory tool for their own organisation; a new label turns those adoptions into
// an earlier version's, and the matrix counts each standing. Every role is refused what it may
// not do, and bad input and refusals change nothing. Last, the demo's library shows every standing.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "app/demo_data.hpp"
#include "app/demo_tools.hpp"
#include "core/crypto.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "db/test_support.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/network/store/tool_repo.hpp"
#include "store/identity_repo.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

std::vector<std::string> fields_of(const Error& e) {
    std::vector<std::string> out;
    for (const auto& f : e.fields) out.push_back(f.field + ":" + f.message_key);
    return out;
}

// "ok", or the refusal's key and its field errors: "error.invalid file:agreement.document_type".
template <typename T>
std::string outcome(const Result<T>& r) {
    if (r) return "ok";
    std::string out = r.error().message_key;
    for (const auto& f : fields_of(r.error())) out += " " + f;
    return out;
}

using Ids = std::vector<std::int64_t>;
using Fields = std::vector<std::string>;

TimePoint fixed_now() {
    return *parse_iso("2026-03-15T12:00:00Z");
}

// A small PDF with NULs and 0xFF among its bytes: it must come back exactly.
std::string small_pdf(const std::string& tag = "") {
    std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n" + tag;
    for (int i = 0; i < 256; ++i) out += static_cast<char>(i);
    return out + "\n%%EOF\n";
}

// "Provider One:adopted_current" per provider, in the order given.
std::vector<std::string> standings(const std::vector<ToolAdoptionRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.name_en + ":" + std::string(d::code(r.standing)));
    return out;
}

}  // namespace

class ToolStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        auto tx = t_->db->begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        east_ = *ids.create_sda({"east", "Région Est", "East Region"}, 0);
        west_ = *ids.create_sda({"west", "Région Ouest", "West Region"}, 0);
        const auto prov = *ids.create_sda({"prov", "Bureau provincial", "Provincial Office"}, 0);
        agency_ =
            organisation(ids, east_, "Agence de coordination Est", "Coordinating Agency East", d::CspRole::coordinating_agency);
        p1_ = organisation(ids, east_, "Fournisseur Un", "Provider One", d::CspRole::csp_provider);
        p2_ = organisation(ids, east_, "Participant Deux", "Participant Two", d::CspRole::csp_participant);
        p3_ = organisation(ids, east_, "Fournisseur fermé", "Provider Closed", d::CspRole::csp_provider);
        partner_ = organisation(ids, east_, "Partenaire Est", "Partner East", d::CspRole::broader_partner);
        west_agency_ =
            organisation(ids, west_, "Agence de coordination Ouest", "Coordinating Agency West", d::CspRole::coordinating_agency);
        q1_ = organisation(ids, west_, "Fournisseur Ouest", "Provider West", d::CspRole::csp_provider);
        ministry_ = organisation(ids, prov, "Ministère", "Ministry Office", d::CspRole::broader_partner);

        admin_ = actor(ids, "admin@east.example.org", "Dominique Admin-Est", agency_, d::Role::ca_admin);
        sysadmin_ = actor(ids, "sysadmin@east.example.org", "Sacha Système", agency_, d::Role::system_admin);
        privacy_ = actor(ids, "privacy@east.example.org", "Pat Vieprivée", agency_, d::Role::privacy_officer);
        manager1_ = actor(ids, "manager1@east.example.org", "Morgan Gestionnaire-Un", p1_, d::Role::provider_manager);
        manager2_ = actor(ids, "manager2@east.example.org", "Mathis Gestionnaire-Deux", p2_, d::Role::provider_manager);
        manager3_ = actor(ids, "manager3@east.example.org", "Maëlle Fermée", p3_, d::Role::provider_manager);
        partner_manager_ = actor(ids, "partner@east.example.org", "Paul Partenaire", partner_, d::Role::provider_manager);
        coordinator_ = actor(ids, "c1@east.example.org", "Camille Coordonnatrice", p1_, d::Role::coordinator);
        staff_ = actor(ids, "s2@east.example.org", "Sam Intervenant", p2_, d::Role::participant_staff);
        west_admin_ = actor(ids, "admin@west.example.org", "Olive Admin-Ouest", west_agency_, d::Role::ca_admin);
        west_manager_ = actor(ids, "manager@west.example.org", "Oscar Gestion-Ouest", q1_, d::Role::provider_manager);
        analyst_ = actor(ids, "analyst@gov.example.org", "Ana Analyste", ministry_, d::Role::ministry_analyst);
        const auto family = *ids.create_user({"family@example.org", "Famille Exemple", Lang::fr}, 0);
        family_ = d::Actor{family, 0, d::Role::family};
        EXPECT_TRUE(ids.set_organisation_active(p3_, false, 0));
        tx->commit();
    }

    std::int64_t organisation(IdentityRepo& ids, std::int64_t sda, const std::string& fr, const std::string& en,
                              d::CspRole role) {
        d::Organisation o;
        o.sda_id = sda;
        o.name_fr = fr;
        o.name_en = en;
        o.sector = d::Sector::childrens_services;
        o.csp_roles = {role};
        return *ids.create_organisation(o, 0);
    }
    d::Actor actor(IdentityRepo& ids, const std::string& email, const std::string& name, std::int64_t org, d::Role role) {
        const auto user = *ids.create_user({email, name, Lang::fr}, 0);
        EXPECT_TRUE(ids.add_membership(user, {org, role}, 0));
        return {user, org, role};
    }

    std::int64_t scalar(const std::string& sql, const Params& p = {}) { return testsupport::scalar(*t_->db, sql, p); }
    std::string text(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::read);
        const auto row = tx->query_one(sql, p);
        return row ? row->str(0) : std::string();
    }
    void exec(const std::string& sql, const Params& p = {}) {
        auto tx = t_->db->begin(TxMode::write);
        tx->exec(sql, p);
        tx->commit();
    }
    std::string snapshot() { return testsupport::snapshot_tables(*t_->db); }

    // One request: the repository for `who` at `clock`'s time, in a write transaction committed
    // only when the operation succeeded.
    template <typename F>
    auto as_at(const std::optional<d::Actor>& who, const Clock& clock, F f) {
        auto tx = t_->db->begin(TxMode::write);
        ToolRepo repo(testsupport::AccessForTests::as(*tx, clock, who, "test"));
        auto out = f(repo);
        if (out.ok()) tx->commit();
        return out;
    }
    template <typename F>
    auto as(const std::optional<d::Actor>& who, F f) {
        return as_at(who, clock_, std::move(f));
    }

    static d::ToolForm form(const std::string& en = "Consent to share information form", const std::string& label = "2026-1",
                            bool mandatory = true) {
        d::ToolForm f;
        f.title_fr = en + " (fr)";
        f.title_en = en;
        f.description_fr = "Le formulaire commun que la famille signe.";
        f.description_en = "The shared form the family signs.";
        f.kind = "form";
        f.mandatory = mandatory ? "1" : "";
        f.version_label = label;
        return f;
    }
    std::int64_t create(const d::ToolForm& f, const d::Actor* who = nullptr) {
        auto id = as(who ? *who : admin_, [&](ToolRepo& r) { return r.create(f); });
        EXPECT_TRUE(id) << outcome(id);
        return id ? *id : 0;
    }
    int version_of(std::int64_t id) { return static_cast<int>(scalar("SELECT version FROM tools WHERE id = ?", {id})); }
    Result<void> attach(std::int64_t id, const std::string& lang, const std::string& name, const std::string& data,
                        const d::Actor* who = nullptr) {
        return as(who ? *who : admin_, [&](ToolRepo& r) { return r.attach_file(id, lang, name, data); });
    }
    Result<void> adopt(std::int64_t id, const d::Actor& who, const std::string& label) {
        return as(who, [&](ToolRepo& r) { return r.adopt(id, label); });
    }
    Result<ToolRecord> record(std::int64_t id, const d::Actor& who) {
        return as(who, [&](ToolRepo& r) { return r.tool(id); });
    }
    // A change of terms from the current version, as the edit form would post it.
    void relabel(std::int64_t id, const std::string& label, const Clock& clock) {
        auto f = form();
        f.version_label = label;
        auto r = as_at(admin_, clock, [&](ToolRepo& repo) { return repo.update(id, version_of(id), f); });
        EXPECT_TRUE(r) << outcome(r);
    }

    ManualClock clock_{fixed_now()};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t east_ = 0, west_ = 0, agency_ = 0, p1_ = 0, p2_ = 0, p3_ = 0, partner_ = 0, west_agency_ = 0, q1_ = 0,
                 ministry_ = 0;
    d::Actor admin_, sysadmin_, privacy_, manager1_, manager2_, manager3_, partner_manager_, coordinator_, staff_, west_admin_,
        west_manager_, analyst_, family_;
};

TEST_F(ToolStore, AToolIsRecordedChangedFromTheVersionShownAndRetired) {
    const auto id = create(form());
    ASSERT_GT(id, 0);
    EXPECT_EQ(scalar("SELECT sda_id FROM tools WHERE id = ?", {id}), east_);
    EXPECT_EQ(text("SELECT title_en FROM tools WHERE id = ?", {id}), "Consent to share information form");
    EXPECT_EQ(text("SELECT kind FROM tools WHERE id = ?", {id}), "form");
    EXPECT_EQ(scalar("SELECT mandatory FROM tools WHERE id = ?", {id}), 1);
    EXPECT_EQ(text("SELECT version_label FROM tools WHERE id = ?", {id}), "2026-1");
    EXPECT_EQ(text("SELECT version_set_on FROM tools WHERE id = ?", {id}), "2026-03-15");
    EXPECT_EQ(scalar("SELECT retired FROM tools WHERE id = ?", {id}), 0);
    EXPECT_EQ(version_of(id), 1);
    EXPECT_EQ(text("SELECT created_at FROM tools WHERE id = ?", {id}), "2026-03-15T12:00:00Z");
    EXPECT_EQ(scalar("SELECT created_by FROM tools WHERE id = ?", {id}), admin_.user_id);

    auto r = record(id, admin_);
    ASSERT_TRUE(r) << outcome(r);
    EXPECT_EQ(r->summary.id, id);
    EXPECT_EQ(r->summary.kind, d::ToolKind::form);
    EXPECT_TRUE(r->summary.mandatory);
    EXPECT_FALSE(r->summary.retired);
    EXPECT_EQ(r->summary.version_label, "2026-1");
    EXPECT_EQ(r->summary.version_set_on, "2026-03-15");
    EXPECT_EQ(r->summary.area_en, "East Region");
    EXPECT_EQ(r->summary.area_fr, "Région Est");
    EXPECT_FALSE(r->summary.file_fr);
    EXPECT_FALSE(r->summary.file_en);
    EXPECT_TRUE(r->files.empty());
    EXPECT_EQ(r->terms.description_en, "The shared form the family signs.");
    EXPECT_EQ(r->terms.version_label, "2026-1");
    EXPECT_EQ(r->version, 1);
    EXPECT_TRUE(r->may_edit);
    EXPECT_FALSE(r->may_adopt) << "the agency does not adopt";

    // A change from the version shown, the same label: its day is kept.
    ManualClock later(fixed_now() + std::chrono::hours(24 * 10));
    auto f = form("Consent to share information form (revised)");
    f.kind = "template";
    f.mandatory = "";
    auto changed = as_at(manager1_, later, [&](ToolRepo& repo) { return repo.update(id, 1, f); });
    EXPECT_EQ(changed.error().code, Errc::Forbidden) << "a provider manager does not change the library";
    changed = as_at(admin_, later, [&](ToolRepo& repo) { return repo.update(id, 1, f); });
    ASSERT_TRUE(changed) << outcome(changed);
    EXPECT_EQ(version_of(id), 2);
    EXPECT_EQ(text("SELECT title_en FROM tools WHERE id = ?", {id}), "Consent to share information form (revised)");
    EXPECT_EQ(text("SELECT kind FROM tools WHERE id = ?", {id}), "template");
    EXPECT_EQ(scalar("SELECT mandatory FROM tools WHERE id = ?", {id}), 0);
    EXPECT_EQ(text("SELECT version_set_on FROM tools WHERE id = ?", {id}), "2026-03-15") << "same label, same day";
    EXPECT_EQ(text("SELECT updated_at FROM tools WHERE id = ?", {id}), "2026-03-25T12:00:00Z");
    // A new label: set on that day.
    f.version_label = "2026-2";
    ASSERT_TRUE(as_at(admin_, later, [&](ToolRepo& repo) { return repo.update(id, 2, f); }));
    EXPECT_EQ(text("SELECT version_set_on FROM tools WHERE id = ?", {id}), "2026-03-25");
    EXPECT_EQ(text("SELECT version_label FROM tools WHERE id = ?", {id}), "2026-2");
    EXPECT_EQ(version_of(id), 3);

    // A stale form is a conflict before its field errors; a current one with errors writes nothing.
    const auto snap = snapshot();
    auto bad = form();
    bad.title_en = "";
    bad.version_label = std::string(21, '1');
    auto stale = as(admin_, [&](ToolRepo& repo) { return repo.update(id, 2, bad); });
    ASSERT_FALSE(stale);
    EXPECT_EQ(stale.error().code, Errc::Conflict);
    EXPECT_EQ(stale.error().message_key, "network.tools.changed_meanwhile");
    auto invalid = as(admin_, [&](ToolRepo& repo) { return repo.update(id, 3, bad); });
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, Errc::Invalid);
    EXPECT_EQ(fields_of(invalid.error()), (Fields{"title_en:field.required", "version_label:field.too_long"}));
    EXPECT_EQ(as(admin_, [&](ToolRepo& repo) { return repo.set_retired(id, 2, true); }).error().message_key,
              "network.tools.changed_meanwhile");
    EXPECT_EQ(snapshot(), snap);

    // Retired: out of the library unless asked; then back.
    const auto other = create(form("Another tool", "1"));
    ASSERT_TRUE(as(admin_, [&](ToolRepo& repo) { return repo.set_retired(id, 3, true); }));
    EXPECT_EQ(version_of(id), 4);
    EXPECT_EQ(scalar("SELECT retired FROM tools WHERE id = ?", {id}), 1);
    auto listed = [&](const d::ToolFilter& filter) {
        Ids out;
        auto list = as(admin_, [&](ToolRepo& repo) { return repo.list(filter); });
        EXPECT_TRUE(list) << outcome(list);
        if (list)
            for (const auto& s : *list) out.push_back(s.id);
        return out;
    };
    EXPECT_EQ(listed({}), Ids{other});
    EXPECT_EQ(listed({std::nullopt, std::nullopt, true}), (Ids{other, id})) << "by English title";
    r = record(id, admin_);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->summary.retired);
    EXPECT_TRUE(r->may_edit) << "a retired tool may be put back";
    ASSERT_TRUE(as(admin_, [&](ToolRepo& repo) { return repo.set_retired(id, 4, false); }));
    EXPECT_EQ(version_of(id), 5);
    EXPECT_EQ(listed({}), (Ids{other, id}));
}

TEST_F(ToolStore, TheLibraryIsFilteredByKindAndMandatory) {
    const auto consent = create(form("A consent form", "1", true));
    auto guide_form = form("B guide", "1", false);
    guide_form.kind = "guide";
    const auto guide = create(guide_form);
    auto checklist_form = form("C checklist", "1", true);
    checklist_form.kind = "checklist";
    const auto checklist = create(checklist_form);
    auto listed = [&](const d::ToolFilter& filter) {
        Ids out;
        auto list = as(coordinator_, [&](ToolRepo& repo) { return repo.list(filter); });
        EXPECT_TRUE(list) << outcome(list);
        if (list)
            for (const auto& s : *list) out.push_back(s.id);
        return out;
    };
    EXPECT_EQ(listed({}), (Ids{consent, guide, checklist}));
    EXPECT_EQ(listed({d::ToolKind::guide, std::nullopt, false}), Ids{guide});
    EXPECT_EQ(listed({std::nullopt, true, false}), (Ids{consent, checklist}));
    EXPECT_EQ(listed({std::nullopt, false, false}), Ids{guide});
    EXPECT_EQ(listed({d::ToolKind::checklist, false, false}), Ids{});
    EXPECT_EQ(listed({d::ToolKind::template_, std::nullopt, false}), Ids{});
}

TEST_F(ToolStore, FilesAreCheckedReplacedAndGivenBackAsUploaded) {
    const auto id = create(form());
    const std::string pdf = small_pdf("fr");
    auto done = attach(id, "fr", "consentement.pdf", pdf);
    ASSERT_TRUE(done) << outcome(done);
    EXPECT_EQ(text("SELECT filename FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}), "consentement.pdf");
    EXPECT_EQ(text("SELECT content_type FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}), "application/pdf");
    EXPECT_EQ(scalar("SELECT size FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}),
              static_cast<std::int64_t>(pdf.size()));
    EXPECT_EQ(text("SELECT checksum FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}), hash_token(pdf));
    EXPECT_EQ(text("SELECT content FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}), base64url(pdf))
        << "stored as the agreements' documents are";
    EXPECT_EQ(text("SELECT version_label FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}), "2026-1");
    EXPECT_EQ(scalar("SELECT uploaded_by FROM tool_files WHERE tool_id = ? AND lang = 'fr'", {id}), admin_.user_id);

    // Read back byte for byte, by every reader of the area, and the analyst.
    for (const auto& who : {admin_, manager1_, coordinator_, staff_, analyst_}) {
        auto file = as(who, [&](ToolRepo& r) { return r.file(id, "fr"); });
        ASSERT_TRUE(file) << outcome(file) << " " << d::code(who.role);
        EXPECT_TRUE(file->data == pdf);
        EXPECT_EQ(file->filename, "consentement.pdf");
        EXPECT_EQ(file->content_type, "application/pdf");
    }
    EXPECT_EQ(as(admin_, [&](ToolRepo& r) { return r.file(id, "en"); }).error().code, Errc::NotFound) << "none in English yet";
    EXPECT_EQ(as(admin_, [&](ToolRepo& r) { return r.file(id, "de"); }).error().code, Errc::NotFound);

    // Another file in French replaces it; the English one is its own.
    clock_.advance(std::chrono::hours(24));
    const std::string second = small_pdf("second");
    ASSERT_TRUE(attach(id, "fr", "consentement-v2.pdf", second));
    ASSERT_TRUE(attach(id, " en ", "consent.pdf", small_pdf("en")));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tool_files WHERE tool_id = ?", {id}), 2);
    auto file = as(coordinator_, [&](ToolRepo& r) { return r.file(id, "fr"); });
    ASSERT_TRUE(file);
    EXPECT_TRUE(file->data == second);
    EXPECT_EQ(file->filename, "consentement-v2.pdf");
    auto r = record(id, coordinator_);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->files.size(), 2u);
    EXPECT_EQ(r->files[0].lang, Lang::fr);
    EXPECT_EQ(r->files[0].filename, "consentement-v2.pdf");
    EXPECT_EQ(r->files[0].uploaded_at, "2026-03-16T12:00:00Z");
    EXPECT_EQ(r->files[0].uploaded_by, "Dominique Admin-Est");
    EXPECT_EQ(r->files[1].lang, Lang::en);
    EXPECT_TRUE(r->summary.file_fr && r->summary.file_en);
    r = record(id, analyst_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->files[0].uploaded_by, "") << "the analyst reads no one's name";

    // A new label: the files stay, marked with the version they were uploaded for.
    relabel(id, "2026-2", clock_);
    EXPECT_EQ(text("SELECT version_label FROM tool_files WHERE tool_id = ? AND lang = 'en'", {id}), "2026-1");

    // Bad files and languages: field errors, nothing written.
    const auto snap = snapshot();
    auto refused = [&](const std::string& lang, const std::string& name, const std::string& data) {
        auto out = attach(id, lang, name, data);
        EXPECT_FALSE(out);
        if (out) return Fields{};
        EXPECT_EQ(out.error().code, Errc::Invalid);
        return fields_of(out.error());
    };
    EXPECT_EQ(refused("fr", "script.html", "<html><script>alert(1)</script></html>"), Fields{"file:agreement.document_type"});
    EXPECT_EQ(refused("fr", "setup.exe", "MZ\x90"), Fields{"file:agreement.document_type"});
    EXPECT_EQ(refused("fr", "not-a.pdf", "GIF89a"), Fields{"file:agreement.document_content"});
    EXPECT_EQ(refused("fr", "", ""), Fields{"file:agreement.document_missing"});
    EXPECT_EQ(refused("fr", "../etc.pdf", small_pdf()), Fields{"file:agreement.document_name"});
    const std::string big = "%PDF-1.7\n" + std::string(d::max_document_bytes, '%');
    EXPECT_EQ(refused("fr", "big.pdf", big), Fields{"file:agreement.document_too_large"});
    EXPECT_EQ(refused("de", "consent.pdf", small_pdf()), Fields{"lang:field.choose_from_list"});
    EXPECT_EQ(refused("", "consent.pdf", small_pdf()), Fields{"lang:field.required"});
    EXPECT_EQ(refused("xx", "a.txt", "x"), (Fields{"lang:field.choose_from_list", "file:agreement.document_type"}));
    EXPECT_EQ(snapshot(), snap);
    // Exactly the largest size is accepted.
    EXPECT_TRUE(attach(id, "en", "big.pdf", big.substr(0, d::max_document_bytes)));
    EXPECT_EQ(scalar("SELECT size FROM tool_files WHERE tool_id = ? AND lang = 'en'", {id}),
              static_cast<std::int64_t>(d::max_document_bytes));

    // Bytes that are not what was stored are never served.
    exec("UPDATE tool_files SET content = ? WHERE tool_id = ? AND lang = 'en'", {base64url("%PDF-altered"), id});
    EXPECT_EQ(as(admin_, [&](ToolRepo& r) { return r.file(id, "en"); }).error().code, Errc::Internal);

    // Only the administrator of its area uploads.
    for (const auto& who : {manager1_, coordinator_, staff_, analyst_, privacy_, sysadmin_, family_})
        EXPECT_EQ(attach(id, "fr", "x.pdf", small_pdf(), &who).error().code, Errc::Forbidden) << d::code(who.role);
    EXPECT_EQ(attach(id, "fr", "x.pdf", small_pdf(), &west_admin_).error().code, Errc::NotFound);
    EXPECT_EQ(attach(id + 1000, "fr", "x.pdf", small_pdf()).error().code, Errc::NotFound);
    EXPECT_EQ(as(std::nullopt, [&](ToolRepo& repo) { return repo.attach_file(id, "fr", "x.pdf", small_pdf()); }).error().code,
              Errc::Forbidden);
    // And files are read by the library's readers only.
    for (const auto& who : {privacy_, sysadmin_, family_})
        EXPECT_EQ(as(who, [&](ToolRepo& repo) { return repo.file(id, "fr"); }).error().code, Errc::Forbidden)
            << d::code(who.role);
    for (const auto& who : {west_admin_, west_manager_})
        EXPECT_EQ(as(who, [&](ToolRepo& repo) { return repo.file(id, "fr"); }).error().code, Errc::NotFound) << d::code(who.role);
}

TEST_F(ToolStore, ProvidersAdoptTheCurrentVersionAndANewLabelMakesItAnEarlierOne) {
    const auto id = create(form("Consent to share information form", "2025-2"));
    const auto optional = create(form("First meeting guide", "1", false));

    // Before anyone adopts: every provider (the participant too; not the closed one, the partner
    // or the agency) has not.
    auto r = record(id, admin_);
    ASSERT_TRUE(r) << outcome(r);
    EXPECT_EQ(standings(r->adoptions), (Fields{"Participant Two:not_adopted", "Provider One:not_adopted"}));
    r = record(id, manager1_);
    ASSERT_TRUE(r);
    EXPECT_EQ(standings(r->adoptions), Fields{"Provider One:not_adopted"}) << "their own organisation only";
    EXPECT_EQ(r->summary.own, d::AdoptionStanding::not_adopted);
    EXPECT_TRUE(r->may_adopt);
    r = record(optional, manager1_);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->adoptions.empty()) << "an optional tool is not adopted";
    EXPECT_FALSE(r->summary.own);
    EXPECT_FALSE(r->may_adopt);

    // Provider One adopts 2025-2.
    auto done = adopt(id, manager1_, "2025-2");
    ASSERT_TRUE(done) << outcome(done);
    EXPECT_EQ(text("SELECT adopted_on FROM tool_adoptions WHERE tool_id = ? AND organisation_id = ?", {id, p1_}), "2026-03-15");
    EXPECT_EQ(scalar("SELECT adopted_by FROM tool_adoptions WHERE tool_id = ? AND organisation_id = ?", {id, p1_}),
              manager1_.user_id);
    r = record(id, manager1_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->summary.own, d::AdoptionStanding::adopted_current);
    EXPECT_FALSE(r->may_adopt) << "already adopted";
    EXPECT_EQ(r->adoptions[0].adopted_label, "2025-2");
    EXPECT_EQ(r->adoptions[0].adopted_by, "Morgan Gestionnaire-Un");

    // Refused adoptions write nothing.
    const auto snap = snapshot();
    auto refused = [&](std::int64_t tool, const d::Actor& who, const std::string& label) {
        auto out = adopt(tool, who, label);
        EXPECT_FALSE(out) << d::code(who.role);
        return out ? std::string("ok") : out.error().message_key;
    };
    EXPECT_EQ(refused(id, manager1_, "2025-2"), "network.tools.already_adopted");
    EXPECT_EQ(refused(id, manager2_, "2025-1"), "network.tools.version_changed");
    EXPECT_EQ(refused(id, manager2_, ""), "network.tools.version_changed");
    EXPECT_EQ(refused(optional, manager2_, "1"), "network.tools.not_mandatory");
    EXPECT_EQ(refused(id, partner_manager_, "2025-2"), "error.forbidden") << "a partner is not a provider";
    for (const auto& who : {admin_, coordinator_, staff_, analyst_, privacy_, sysadmin_, family_})
        EXPECT_EQ(refused(id, who, "2025-2"), "error.forbidden");
    EXPECT_EQ(refused(id, west_manager_, "2025-2"), "error.not_found");
    EXPECT_EQ(refused(id + 1000, manager2_, "2025-2"), "error.not_found");
    EXPECT_EQ(snapshot(), snap);

    // A new version: nobody's adoption is removed, but Provider One's is an earlier version's.
    ManualClock later(fixed_now() + std::chrono::hours(24 * 30));
    relabel(id, "2026-1", later);
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tool_adoptions WHERE tool_id = ?", {id}), 1);
    r = record(id, admin_);
    ASSERT_TRUE(r);
    EXPECT_EQ(standings(r->adoptions), (Fields{"Participant Two:not_adopted", "Provider One:adopted_older"}));
    EXPECT_EQ(r->adoptions[1].adopted_label, "2025-2");
    EXPECT_EQ(refused(id, manager2_, "2025-2"), "network.tools.version_changed") << "the page showed the earlier one";
    ASSERT_TRUE(as_at(manager2_, later, [&](ToolRepo& repo) { return repo.adopt(id, " 2026-1 "); }));
    r = record(id, admin_);
    ASSERT_TRUE(r);
    EXPECT_EQ(standings(r->adoptions), (Fields{"Participant Two:adopted_current", "Provider One:adopted_older"}));
    EXPECT_EQ(r->adoptions[0].adopted_on, "2026-04-14");

    // The library says where the reader's own organisation stands.
    auto own = [&](const d::Actor& who) {
        std::vector<std::string> out;
        auto list = as(who, [](ToolRepo& repo) { return repo.list({}); });
        EXPECT_TRUE(list) << outcome(list);
        if (list)
            for (const auto& s : *list) out.push_back(s.title_en + ":" + (s.own ? std::string(d::code(*s.own)) : "-"));
        return out;
    };
    EXPECT_EQ(own(manager1_), (Fields{"Consent to share information form:adopted_older", "First meeting guide:-"}));
    EXPECT_EQ(own(staff_), (Fields{"Consent to share information form:adopted_current", "First meeting guide:-"}));
    EXPECT_EQ(own(admin_), (Fields{"Consent to share information form:-", "First meeting guide:-"}));
    EXPECT_EQ(own(analyst_), (Fields{"Consent to share information form:-", "First meeting guide:-"}));

    // Provider One catches up; then a retired tool cannot be adopted.
    ASSERT_TRUE(adopt(id, manager1_, "2026-1"));
    EXPECT_EQ(scalar("SELECT COUNT(*) FROM tool_adoptions WHERE tool_id = ? AND organisation_id = ?", {id, p1_}), 2);
    r = record(id, manager1_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->adoptions[0].adopted_label, "2026-1") << "the current version's adoption is the one shown";
    const auto retired = create(form("Retired form", "1"));
    ASSERT_TRUE(as(admin_, [&](ToolRepo& repo) { return repo.set_retired(retired, 1, true); }));
    EXPECT_EQ(refused(retired, manager1_, "1"), "network.tools.retired");
    r = record(retired, manager1_);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->may_adopt);
}

TEST_F(ToolStore, TheMatrixCountsEachStandingPerToolAndProvider) {
    const auto consent = create(form("Consent form", "2026-1"));
    const auto referral = create(form("Referral form", "2025-3"));
    create(form("Optional guide", "1", false));
    const auto retired = create(form("Retired form", "1"));
    ASSERT_TRUE(as(admin_, [&](ToolRepo& repo) { return repo.set_retired(retired, 1, true); }));
    exec(
        "INSERT INTO tool_adoptions (tool_id, organisation_id, version_label, adopted_on, adopted_by) VALUES (?, ?, '2025-2', "
        "'2025-06-01', ?)",
        {consent, p1_, manager1_.user_id});
    ASSERT_TRUE(adopt(consent, manager2_, "2026-1"));
    ASSERT_TRUE(adopt(referral, manager2_, "2025-3"));
    const auto west = create(form("West consent form", "W-1"), &west_admin_);
    ASSERT_TRUE(adopt(west, west_manager_, "W-1"));

    auto matrix = as(admin_, [](ToolRepo& repo) { return repo.adoption(); });
    ASSERT_TRUE(matrix) << outcome(matrix);
    ASSERT_EQ(matrix->size(), 1u) << "the administrator's own area";
    const auto& east = matrix->front();
    EXPECT_EQ(east.name_en, "East Region");
    ASSERT_EQ(east.tools.size(), 2u) << "mandatory and not retired";
    EXPECT_EQ(east.tools[0].tool.title_en, "Consent form");
    EXPECT_EQ(east.tools[1].tool.title_en, "Referral form");
    ASSERT_EQ(east.providers.size(), 2u);
    EXPECT_EQ(east.providers[0].name_en, "Participant Two");
    EXPECT_EQ(east.providers[1].name_en, "Provider One");
    auto cell = [&](std::size_t p, std::size_t t) {
        const auto& c = east.providers[p].cells.at(t);
        EXPECT_EQ(c.tool_id, east.tools[t].tool.id);
        return std::string(d::code(c.standing)) + (c.adopted_label.empty() ? "" : " " + c.adopted_label);
    };
    EXPECT_EQ(cell(0, 0), "adopted_current 2026-1");
    EXPECT_EQ(cell(0, 1), "adopted_current 2025-3");
    EXPECT_EQ(cell(1, 0), "adopted_older 2025-2");
    EXPECT_EQ(cell(1, 1), "not_adopted");
    EXPECT_EQ((std::vector<int>{east.tools[0].current, east.tools[0].older, east.tools[0].none}), (std::vector<int>{1, 1, 0}));
    EXPECT_EQ((std::vector<int>{east.tools[1].current, east.tools[1].older, east.tools[1].none}), (std::vector<int>{1, 0, 1}));
    EXPECT_EQ((std::vector<int>{east.providers[0].current, east.providers[0].older, east.providers[0].none}),
              (std::vector<int>{2, 0, 0}));
    EXPECT_EQ((std::vector<int>{east.providers[1].current, east.providers[1].older, east.providers[1].none}),
              (std::vector<int>{0, 1, 1}));
    EXPECT_EQ((std::vector<int>{east.current, east.older, east.none}), (std::vector<int>{2, 1, 1}));

    // The analyst: every area with a mandatory tool, by name.
    matrix = as(analyst_, [](ToolRepo& repo) { return repo.adoption(); });
    ASSERT_TRUE(matrix) << outcome(matrix);
    ASSERT_EQ(matrix->size(), 2u);
    EXPECT_EQ(matrix->at(0).name_en, "East Region");
    EXPECT_EQ(matrix->at(1).name_en, "West Region");
    ASSERT_EQ(matrix->at(1).providers.size(), 1u);
    EXPECT_EQ(matrix->at(1).providers[0].name_en, "Provider West");
    EXPECT_EQ(matrix->at(1).current, 1);
    auto r = record(consent, analyst_);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->adoptions.size(), 2u);
    for (const auto& a : r->adoptions) EXPECT_EQ(a.adopted_by, "") << "never a name for the analyst";

    // An area without a mandatory tool: its administrator's matrix is empty, the analyst's leaves
    // it out.
    exec("UPDATE tools SET mandatory = 0 WHERE sda_id = ?", {west_});
    matrix = as(west_admin_, [](ToolRepo& repo) { return repo.adoption(); });
    ASSERT_TRUE(matrix);
    ASSERT_EQ(matrix->size(), 1u);
    EXPECT_TRUE(matrix->front().tools.empty());
    EXPECT_EQ(matrix->front().providers.size(), 1u);
    matrix = as(analyst_, [](ToolRepo& repo) { return repo.adoption(); });
    ASSERT_TRUE(matrix);
    EXPECT_EQ(matrix->size(), 1u);

    for (const auto& who : {manager1_, coordinator_, staff_, privacy_, sysadmin_, family_})
        EXPECT_EQ(as(who, [](ToolRepo& repo) { return repo.adoption(); }).error().code, Errc::Forbidden) << d::code(who.role);
    EXPECT_EQ(as(std::nullopt, [](ToolRepo& repo) { return repo.adoption(); }).error().code, Errc::Forbidden);
}

TEST_F(ToolStore, EachReaderSeesTheirAreasLibraryAndOthersAreRefused) {
    const auto east = create(form("East form"));
    const auto west = create(form("West form"), &west_admin_);
    auto titles = [&](const d::Actor& who) {
        std::vector<std::string> out;
        auto list = as(who, [](ToolRepo& repo) { return repo.list({}); });
        EXPECT_TRUE(list) << outcome(list) << " " << d::code(who.role);
        if (list)
            for (const auto& s : *list) out.push_back(s.title_en);
        return out;
    };
    for (const auto& who : {admin_, manager1_, manager2_, partner_manager_, coordinator_, staff_})
        EXPECT_EQ(titles(who), Fields{"East form"}) << d::code(who.role);
    EXPECT_EQ(titles(west_manager_), Fields{"West form"});
    EXPECT_EQ(titles(analyst_), (Fields{"East form", "West form"}));

    EXPECT_EQ(as(admin_, [&](ToolRepo& r) { return r.tool(west); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_manager_, [&](ToolRepo& r) { return r.tool(east); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(coordinator_, [&](ToolRepo& r) { return r.tool(east + west + 1000); }).error().code, Errc::NotFound);
    EXPECT_TRUE(as(analyst_, [&](ToolRepo& r) { return r.tool(west); }));
    auto r = record(east, staff_);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->may_edit);
    EXPECT_FALSE(r->may_adopt) << "staff read; their manager adopts";

    const auto snap = snapshot();
    for (const auto& who : {privacy_, sysadmin_, family_}) {
        SCOPED_TRACE(std::string(d::code(who.role)));
        EXPECT_EQ(as(who, [](ToolRepo& repo) { return repo.list({}); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](ToolRepo& repo) { return repo.tool(east); }).error().code, Errc::Forbidden);
    }
    EXPECT_EQ(as(std::nullopt, [](ToolRepo& repo) { return repo.list({}); }).error().code, Errc::Forbidden);
    // Only the administrator of the area keeps the library.
    for (const auto& who : {manager1_, coordinator_, staff_, analyst_, privacy_, sysadmin_, family_}) {
        SCOPED_TRACE(std::string(d::code(who.role)));
        EXPECT_EQ(as(who, [](ToolRepo& repo) { return repo.create(form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](ToolRepo& repo) { return repo.update(east, 1, form()); }).error().code, Errc::Forbidden);
        EXPECT_EQ(as(who, [&](ToolRepo& repo) { return repo.set_retired(east, 1, true); }).error().code, Errc::Forbidden);
    }
    EXPECT_EQ(as(west_admin_, [&](ToolRepo& repo) { return repo.update(east, 1, form()); }).error().code, Errc::NotFound);
    EXPECT_EQ(as(west_admin_, [&](ToolRepo& repo) { return repo.set_retired(east, 1, true); }).error().code, Errc::NotFound);
    EXPECT_EQ(snapshot(), snap);

    auto flags = [&](const d::Actor& who) {
        auto tx = t_->db->begin(TxMode::read);
        ToolRepo repo(testsupport::AccessForTests::as(*tx, clock_, who, "test"));
        return std::make_pair(repo.may_manage(), repo.may_read_adoption());
    };
    EXPECT_EQ(flags(admin_), std::make_pair(true, true));
    EXPECT_EQ(flags(analyst_), std::make_pair(false, true));
    for (const auto& who : {manager1_, coordinator_, staff_, privacy_, sysadmin_})
        EXPECT_EQ(flags(who), std::make_pair(false, false)) << d::code(who.role);
}

// ---------------------------------------------------------------- the demo

class ToolDemo : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
    }
    ManualClock clock_{fixed_now()};
    std::unique_ptr<testsupport::TestDb> t_;
};

// Seven tools, one retired, four mandatory; a synthetic PDF per language but one, each served back
// as stored; the matrix as the demo's administrator reads it shows every standing over nine
// providers; loading again adds nothing.
TEST_F(ToolDemo, TheDemoLibraryShowsEveryStanding) {
    ASSERT_TRUE(app::load_demo_data(*t_->db, clock_, PasswordHashCost::minimum()));
    auto count = [&](const std::string& sql) { return testsupport::scalar(*t_->db, sql); };
    EXPECT_EQ(count("SELECT COUNT(*) FROM tools"), 7);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tools WHERE retired = 1"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tools WHERE mandatory = 1 AND retired = 0"), 4);
    EXPECT_EQ(count("SELECT COUNT(DISTINCT kind) FROM tools"), 5);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tools WHERE title_fr = '' OR title_en = '' OR description_fr = '' OR "
                    "description_en = ''"),
              0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tool_files"), 11);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tool_adoptions"), 20);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tool_adoptions WHERE adopted_on > '2026-03-15'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tools WHERE version_set_on > '2026-03-15'"), 0);

    const auto admin = testsupport::actor_of(*t_->db, "ca.admin@demo.arrimage.invalid");
    {
        auto tx = t_->db->begin(TxMode::read);
        ToolRepo repo(testsupport::AccessForTests::as(*tx, clock_, admin, "test"));
        auto list = repo.list({std::nullopt, std::nullopt, true});
        ASSERT_TRUE(list) << outcome(list);
        ASSERT_EQ(list->size(), 7u);
        for (const auto& s : *list) {
            for (const char* lang : {"fr", "en"}) {
                auto file = repo.file(s.id, lang);
                if (std::string(lang) == "fr" ? !s.file_fr : !s.file_en) {
                    EXPECT_EQ(file.error().code, Errc::NotFound) << s.title_en << " " << lang;
                    continue;
                }
                ASSERT_TRUE(file) << outcome(file) << " " << s.title_en << " " << lang;
                EXPECT_EQ(file->data.rfind("%PDF-1.4\n", 0), 0u);
                EXPECT_NE(file->data.find("%%EOF"), std::string::npos);
                EXPECT_EQ(file->content_type, "application/pdf");
                EXPECT_EQ(file->filename.substr(file->filename.size() - 4), ".pdf");
                d::DocumentCheck checked;
                EXPECT_TRUE(d::validate(d::DocumentUpload{"other", file->filename, file->data}, checked).empty())
                    << "it would pass the upload's checks";
            }
        }

        auto matrix = repo.adoption();
        ASSERT_TRUE(matrix) << outcome(matrix);
        ASSERT_EQ(matrix->size(), 1u);
        const auto& area = matrix->front();
        EXPECT_EQ(area.tools.size(), 4u);
        EXPECT_EQ(area.providers.size(), 9u);
        EXPECT_EQ((std::vector<int>{area.current, area.older, area.none}), (std::vector<int>{13, 6, 17}));
        std::map<std::string, std::vector<int>> per_tool;
        for (const auto& t : area.tools) per_tool[t.tool.title_en] = {t.current, t.older, t.none};
        EXPECT_EQ(per_tool["Consent to share information form"], (std::vector<int>{3, 2, 4}));
        EXPECT_EQ(per_tool["Common referral form"], (std::vector<int>{5, 0, 4}));
        EXPECT_EQ(per_tool["Coordinated service plan template"], (std::vector<int>{1, 4, 4}));
        EXPECT_EQ(per_tool["Transition planning checklist"], (std::vector<int>{4, 0, 5}));
    }

    EXPECT_FALSE(app::load_demo_tools(*t_->db, clock_)) << "tools exist";
    EXPECT_EQ(count("SELECT COUNT(*) FROM tools"), 7);
}
