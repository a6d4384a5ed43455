// The service directory's repository, run against SQLite (label db) and PostgreSQL (label
// pg): the same searches must give the same answers on both.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "store/directory_reminders.hpp"
#include "store/directory_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/migrate.hpp"
#include "web/app.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

class DirectoryStore : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        auto tx = db().begin(TxMode::write);
        IdentityRepo repo(*tx, clock_);
        east_ = *repo.create_sda({"east", "Est", "East"}, 0);
        west_ = *repo.create_sda({"west", "Ouest", "West"}, 0);
        clinic_ = *repo.create_organisation(org(east_, "Clinique Démo", "Demo Clinic"), 0);
        agency_ = *repo.create_organisation(org(east_, "Agence Démo", "Demo Agency"), 0);
        far_ = *repo.create_organisation(org(west_, "Organisme Ouest", "West Organisation"), 0);
        clinic_site_ = *repo.create_site(clinic_, {"Bureau", "Office", "1 rue Principale", "Villedémo", "K0A 1A0"}, 0);
        agency_site_ = *repo.create_site(agency_, {"Siège", "Head office", "2 rue Principale", "Bourg-Exemple", "K0B 1B0"}, 0);
        tx->commit();
    }
    Database& db() { return *t_->db; }

    static d::Organisation org(std::int64_t sda, const std::string& fr, const std::string& en) {
        d::Organisation o;
        o.sda_id = sda;
        o.name_fr = fr;
        o.name_en = en;
        o.sector = d::Sector::health;
        o.csp_roles = {d::CspRole::csp_participant};
        return o;
    }

    static d::Service service(const std::string& fr, const std::string& en, std::vector<std::string> categories) {
        d::Service s;
        s.name_fr = fr;
        s.name_en = en;
        s.description_fr = fr + " — description.";
        s.description_en = en + " — description.";
        s.category_codes = std::move(categories);
        s.languages = {"fr", "en"};
        return s;
    }

    std::int64_t add(std::int64_t org, d::Service s) {
        auto tx = db().begin(TxMode::write);
        auto id = DirectoryRepo(*tx, clock_).create_service(org, s, 0);
        EXPECT_TRUE(id) << (id ? "" : id.error().message_key);
        tx->commit();
        return id ? *id : 0;
    }

    std::vector<std::string> names(const std::string& q, d::SearchForm form = {}, Lang lang = Lang::en) {
        form.q = q;
        d::SearchFilters f;
        EXPECT_TRUE(d::validate(form, f).empty());
        auto tx = db().begin(TxMode::read);
        std::vector<std::string> out;
        for (const auto& s : DirectoryRepo(*tx, clock_).search(f, lang, 50).services) out.push_back(s.name_en);
        return out;
    }

    std::int64_t count(const std::string& sql) {
        auto tx = db().begin(TxMode::read);
        return tx->query_one(sql)->i64(0);
    }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
    std::int64_t east_ = 0, west_ = 0, clinic_ = 0, agency_ = 0, far_ = 0, clinic_site_ = 0, agency_site_ = 0;
};

using Names = std::vector<std::string>;

TEST_F(DirectoryStore, TheTaxonomyIsSeededInBothLanguages) {
    auto tx = db().begin(TxMode::read);
    const auto terms = DirectoryRepo(*tx, clock_).taxonomy();
    EXPECT_GE(terms.size(), 14u);
    for (const char* code : {"mental_health", "speech_language", "autism", "respite", "developmental", "education_supports",
                             "recreation", "housing", "food", "parenting"}) {
        auto it = std::find_if(terms.begin(), terms.end(), [&](const TaxonomyTermRow& t) { return t.code == code; });
        ASSERT_NE(it, terms.end()) << code;
        EXPECT_FALSE(it->name_fr.empty());
        EXPECT_FALSE(it->name_en.empty());
        EXPECT_NE(it->name_fr, it->name_en) << code;
    }
    EXPECT_EQ(terms.front().code, "mental_health");  // display order
}

TEST_F(DirectoryStore, AServiceKeepsItsDetailsLinksAndWaitlistHistory) {
    auto s = service("Orthophonie pédiatrique", "Paediatric speech therapy", {"speech_language", "developmental"});
    s.age_min = 0;
    s.age_max = 18;
    s.languages = {"en", "fr", "asl"};
    s.site_ids = {clinic_site_};
    s.phone = "+1 613-555-0100";
    s.fls_designated = true;
    s.waitlist = {d::WaitlistStatus::waitlist, 40};
    const auto id = add(clinic_, s);

    auto tx = db().begin(TxMode::write);
    DirectoryRepo repo(*tx, clock_);
    auto found = repo.find_service(id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name_fr, "Orthophonie pédiatrique");
    EXPECT_EQ(found->organisation_id, clinic_);
    EXPECT_EQ(found->sda_id, east_);
    EXPECT_EQ(found->org_name_en, "Demo Clinic");
    EXPECT_EQ(found->age_min, 0);
    EXPECT_EQ(found->age_max, 18);
    EXPECT_TRUE(found->fls_designated);
    EXPECT_EQ(found->languages, (std::vector<std::string>{"fr", "en", "asl"}));
    ASSERT_EQ(found->categories.size(), 2u);
    EXPECT_EQ(found->categories[0].code, "speech_language");
    EXPECT_EQ(found->site_ids, (std::vector<std::int64_t>{clinic_site_}));
    EXPECT_EQ(found->waitlist_status, "waitlist");
    EXPECT_EQ(found->wait_weeks, 40);
    EXPECT_EQ(found->waitlist_updated_at, "2026-11-23T09:00:00Z");

    s.name_en = "Speech and language therapy";
    s.category_codes = {"speech_language"};
    s.languages = {"fr"};
    s.site_ids = {};
    s.age_min.reset();
    ASSERT_TRUE(repo.update_service(id, s, 0));
    found = repo.find_service(id);
    EXPECT_EQ(found->name_en, "Speech and language therapy");
    EXPECT_EQ(found->categories.size(), 1u);
    EXPECT_EQ(found->languages, (std::vector<std::string>{"fr"}));
    EXPECT_TRUE(found->site_ids.empty());
    EXPECT_FALSE(found->age_min);
    EXPECT_EQ(found->wait_weeks, 40);  // the waitlist has its own operation

    clock_.advance(std::chrono::hours(24));
    ASSERT_TRUE(repo.update_waitlist(id, {d::WaitlistStatus::open, std::nullopt}, 0));
    found = repo.find_service(id);
    EXPECT_EQ(found->waitlist_status, "open");
    EXPECT_FALSE(found->wait_weeks);
    EXPECT_EQ(found->waitlist_updated_at, "2026-11-24T09:00:00Z");
    EXPECT_EQ(repo.update_waitlist(999999, {d::WaitlistStatus::open, std::nullopt}, 0).error().code, Errc::NotFound);
    EXPECT_EQ(repo.update_service(999999, s, 0).error().code, Errc::NotFound);
    tx->commit();
    EXPECT_EQ(count("SELECT COUNT(*) FROM waitlist_updates WHERE service_id = " + std::to_string(id)), 2);
    EXPECT_EQ(count("SELECT COUNT(*) FROM admin_audit WHERE entity = 'service'"), 3);
}

TEST_F(DirectoryStore, UnknownCategoriesAndOtherOrganisationsLocationsWriteNothing) {
    auto tx = db().begin(TxMode::write);
    DirectoryRepo repo(*tx, clock_);
    auto r = repo.create_service(clinic_, service("A", "A", {"speech_language", "astrology"}), 0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::Invalid);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields[0].field, "categories");
    EXPECT_EQ(r.error().fields[0].message_key, "service.unknown_category");
    auto s = service("B", "B", {"food"});
    s.site_ids = {agency_site_};  // another organisation's site
    r = repo.create_service(clinic_, s, 0);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields[0].field, "locations");
    EXPECT_EQ(repo.create_service(999999, service("C", "C", {"food"}), 0).error().code, Errc::NotFound);
    tx->commit();
    EXPECT_EQ(count("SELECT COUNT(*) FROM services"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM service_categories"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM admin_audit WHERE entity = 'service'"), 0);
}

TEST_F(DirectoryStore, SearchIgnoresAccentsAndStemsInBothLanguages) {
    add(clinic_, service("Orthophonie pédiatrique", "Paediatric speech therapy", {"speech_language"}));
    add(clinic_, service("Répit familial", "Family respite", {"respite"}));
    add(agency_, service("Soutien à l'école", "School support", {"education_supports"}));
    add(agency_, service("Banque alimentaire", "Food bank", {"food"}));

    EXPECT_EQ(names("ECOLE"), Names{"School support"});
    EXPECT_EQ(names("école"), Names{"School support"});
    EXPECT_EQ(names("repit"), Names{"Family respite"});
    EXPECT_EQ(names("orthophonistes"), Names{"Paediatric speech therapy"});
    EXPECT_EQ(names("speech therapists"), Names{"Paediatric speech therapy"});
    // French words find the English name and the category's French keywords ("parole").
    EXPECT_EQ(names("thérapie de la parole"), Names{"Paediatric speech therapy"});
    EXPECT_EQ(names("speech housing"), Names{});  // every word must match
    EXPECT_EQ(names("families"), Names{"Family respite"});
    EXPECT_EQ(names("alimentaires"), Names{"Food bank"});
    // The organisation's name is searchable too.
    EXPECT_EQ(names("agence").size(), 2u);
    // Only stop words: no text filter.
    EXPECT_EQ(names("de la the").size(), 4u);
}

TEST_F(DirectoryStore, CategoryKeywordsAndLocationsAreSearchedAndKeptCurrent) {
    auto s = service("Services cliniques", "Clinical services", {"autism"});
    s.site_ids = {clinic_site_};
    add(clinic_, s);
    EXPECT_EQ(names("ABA"), Names{"Clinical services"});        // a keyword of the autism category
    EXPECT_EQ(names("autisme"), Names{"Clinical services"});    // its French name
    EXPECT_EQ(names("villedemo"), Names{"Clinical services"});  // the location's city
    {
        auto tx = db().begin(TxMode::write);
        DirectoryRepo repo(*tx, clock_);
        ASSERT_TRUE(repo.update_location(clinic_site_, {"Bureau", "Office", "1 rue Principale", "Nordville", "K0A 1A0"}, 0));
        tx->commit();
    }
    EXPECT_EQ(names("nordville"), Names{"Clinical services"});
    EXPECT_EQ(names("villedemo"), Names{});
    {
        auto tx = db().begin(TxMode::write);
        ASSERT_TRUE(DirectoryRepo(*tx, clock_).set_location_active(clinic_site_, false, 0));
        tx->commit();
    }
    EXPECT_EQ(names("nordville"), Names{});
}

TEST_F(DirectoryStore, SearchFiltersAndSorting) {
    auto a = service("Camp d'été", "Summer camp", {"recreation"});
    a.age_min = 6;
    a.age_max = 12;
    a.languages = {"en"};
    auto b = service("Répit", "Respite", {"respite", "recreation"});
    b.waitlist = {d::WaitlistStatus::waitlist, 10};
    b.fls_designated = true;
    auto c = service("Logement", "Housing", {"housing"});
    c.waitlist = {d::WaitlistStatus::waitlist, 30};
    c.age_min = 16;
    auto e = service("Abri", "Shelter", {"housing"});
    e.waitlist = {d::WaitlistStatus::closed, std::nullopt};
    add(clinic_, a);
    add(clinic_, b);
    add(agency_, c);
    add(agency_, e);
    add(far_, service("Zoo", "Zoo outing", {"recreation"}));
    const auto hidden = add(agency_, service("Caché", "Hidden", {"recreation"}));
    {
        auto tx = db().begin(TxMode::write);
        ASSERT_TRUE(DirectoryRepo(*tx, clock_).set_service_active(hidden, false, 0));
        tx->commit();
    }

    EXPECT_EQ(names("", {.category = "recreation"}), (Names{"Respite", "Summer camp", "Zoo outing"}));
    EXPECT_EQ(names("", {.area = std::to_string(west_)}), Names{"Zoo outing"});
    EXPECT_EQ(names("", {.age = "14"}), (Names{"Respite", "Shelter", "Zoo outing"}));
    EXPECT_EQ(names("", {.age = "16"}), (Names{"Housing", "Respite", "Shelter", "Zoo outing"}));
    EXPECT_EQ(names("", {.language = "fr"}), (Names{"Housing", "Respite", "Shelter", "Zoo outing"}));
    EXPECT_EQ(names("", {.wait = "open"}), (Names{"Summer camp", "Zoo outing"}));
    EXPECT_EQ(names("", {.wait = "12"}), (Names{"Respite", "Summer camp", "Zoo outing"}));
    EXPECT_EQ(names("", {.fls = "1"}), Names{"Respite"});
    EXPECT_EQ(names("", {.sort = "wait"}), (Names{"Summer camp", "Zoo outing", "Respite", "Housing", "Shelter"}));
    // Sorted by the name in the page's language, accents folded: Abri, Camp d'été, Logement, Répit, Zoo.
    EXPECT_EQ(names("", {}, Lang::fr), (Names{"Shelter", "Summer camp", "Housing", "Respite", "Zoo outing"}));

    // A deactivated organisation's services disappear.
    {
        auto tx = db().begin(TxMode::write);
        ASSERT_TRUE(IdentityRepo(*tx, clock_).set_organisation_active(far_, false, 0));
        tx->commit();
    }
    EXPECT_EQ(names("zoo"), Names{});
}

TEST_F(DirectoryStore, SearchIsPaginatedAndRankedByRelevance) {
    for (int i = 0; i < 25; ++i)
        add(clinic_, service("Service " + std::to_string(100 + i), "Service " + std::to_string(100 + i), {"food"}));
    auto best = service("Banque alimentaire", "Food bank", {"food"});
    best.description_en = "Food, food and more food: a food bank.";
    add(agency_, best);
    d::SearchFilters f;
    ASSERT_TRUE(d::validate(d::SearchForm{.q = "food", .page = "2"}, f).empty());
    auto tx = db().begin(TxMode::read);
    DirectoryRepo repo(*tx, clock_);
    auto page2 = repo.search(f, Lang::en, 20);
    EXPECT_EQ(page2.total, 26);
    EXPECT_EQ(page2.services.size(), 6u);
    f.page = 1;
    auto page1 = repo.search(f, Lang::en, 20);
    ASSERT_EQ(page1.services.size(), 20u);
    EXPECT_EQ(page1.services.front().name_en, "Food bank");
    EXPECT_EQ(page1.services.front().languages, (std::vector<std::string>{"fr", "en"}));
    f.page = 9;
    EXPECT_TRUE(repo.search(f, Lang::en, 20).services.empty());
}

// The filters and sorts read the narrow service_search rows (V008): each change that moves a
// service in or out of a filter or along a sort must reach them in the same transaction.
TEST_F(DirectoryStore, SearchRowsFollowEveryChange) {
    auto a = service("Alpha", "Alpha", {"recreation"});
    a.age_min = 6;
    a.age_max = 12;
    const auto alpha = add(clinic_, a);
    clock_.advance(std::chrono::hours(1));
    const auto beta = add(agency_, service("Bêta", "Beta", {"recreation"}));
    const auto east = std::to_string(east_), west = std::to_string(west_);
    const d::SearchForm east_form{.area = east};
    EXPECT_EQ(names("", east_form), (Names{"Alpha", "Beta"}));
    EXPECT_EQ(names("", {.sort = "updated"}), (Names{"Beta", "Alpha"}));
    auto write = [&](auto change) {
        auto tx = db().begin(TxMode::write);
        change(*tx);
        tx->commit();
    };

    // An organisation deactivated takes its services out of browsing and of word searches;
    // reactivated, they come back.
    write([&](Tx& tx) { ASSERT_TRUE(IdentityRepo(tx, clock_).set_organisation_active(agency_, false, 0)); });
    EXPECT_EQ(names("", east_form), Names{"Alpha"});
    EXPECT_EQ(names("beta"), Names{});
    write([&](Tx& tx) { ASSERT_TRUE(IdentityRepo(tx, clock_).set_organisation_active(agency_, true, 0)); });
    EXPECT_EQ(names("", east_form), (Names{"Alpha", "Beta"}));
    EXPECT_EQ(names("beta"), Names{"Beta"});

    // An organisation moved to another area moves its services.
    write([&](Tx& tx) {
        auto moved = org(west_, "Agence Démo", "Demo Agency");
        ASSERT_TRUE(IdentityRepo(tx, clock_).update_organisation(agency_, moved, 0));
    });
    EXPECT_EQ(names("", east_form), Names{"Alpha"});
    EXPECT_EQ(names("", {.area = west}), Names{"Beta"});

    // An edited service: new name (sort), new ages (filter), FLS designation.
    EXPECT_EQ(names("", {.age = "15"}), Names{"Beta"});
    write([&](Tx& tx) {
        auto edited = service("Zêta", "Zeta", {"recreation"});
        edited.age_min = 10;
        edited.age_max = 18;
        edited.fls_designated = true;
        ASSERT_TRUE(DirectoryRepo(tx, clock_).update_service(alpha, edited, 0));
    });
    EXPECT_EQ(names("", {}), (Names{"Beta", "Zeta"}));
    EXPECT_EQ(names("", {}, Lang::fr), (Names{"Beta", "Zeta"}));
    EXPECT_EQ(names("", {.age = "15"}), (Names{"Beta", "Zeta"}));
    EXPECT_EQ(names("", {.fls = "1"}), Names{"Zeta"});
    EXPECT_EQ(names("alpha"), Names{});  // the full-text index lost the old name
    EXPECT_EQ(names("zeta"), Names{"Zeta"});

    // A waitlist change: the wait filter and sort, and "last updated".
    EXPECT_EQ(names("", {.wait = "open"}), (Names{"Beta", "Zeta"}));
    clock_.advance(std::chrono::hours(1));
    write([&](Tx& tx) { ASSERT_TRUE(DirectoryRepo(tx, clock_).update_waitlist(beta, {d::WaitlistStatus::waitlist, 8}, 0)); });
    EXPECT_EQ(names("", {.wait = "open"}), Names{"Zeta"});
    EXPECT_EQ(names("", {.wait = "4"}), Names{"Zeta"});
    EXPECT_EQ(names("", {.wait = "8"}), (Names{"Beta", "Zeta"}));
    EXPECT_EQ(names("", {.sort = "wait"}), (Names{"Zeta", "Beta"}));
    EXPECT_EQ(names("", {.sort = "updated"}), (Names{"Beta", "Zeta"}));
    clock_.advance(std::chrono::hours(1));
    write([&](Tx& tx) {
        ASSERT_TRUE(DirectoryRepo(tx, clock_).update_waitlist(alpha, {d::WaitlistStatus::closed, std::nullopt}, 0));
    });
    EXPECT_EQ(names("", {.sort = "wait"}), (Names{"Beta", "Zeta"}));
    EXPECT_EQ(names("", {.sort = "updated"}), (Names{"Zeta", "Beta"}));
    EXPECT_EQ(names("", {.wait = "8"}), Names{"Beta"});

    // A service deactivated and reactivated.
    write([&](Tx& tx) { ASSERT_TRUE(DirectoryRepo(tx, clock_).set_service_active(beta, false, 0)); });
    EXPECT_EQ(names("", {}), Names{"Zeta"});
    write([&](Tx& tx) { ASSERT_TRUE(DirectoryRepo(tx, clock_).set_service_active(beta, true, 0)); });
    EXPECT_EQ(names("", {}), (Names{"Beta", "Zeta"}));
}

// One ranked pass gives the capped count and the page; pages past the cap still read on.
TEST_F(DirectoryStore, CountsStopAtTheCapAndEveryPageIsReachable) {
    {
        auto tx = db().begin(TxMode::write);
        DirectoryRepo repo(*tx, clock_);
        for (std::int64_t i = 0; i <= search_count_cap; ++i) {
            auto s = service("Repas " + std::to_string(10000 + i), "Meals " + std::to_string(10000 + i), {"food"});
            s.description_fr = s.description_en = "-";
            ASSERT_TRUE(repo.create_service(clinic_, s, 0));
        }
        ASSERT_TRUE(repo.create_service(agency_, service("Logement", "Housing", {"housing"}), 0));
        tx->commit();
    }
    auto search = [&](d::SearchForm form) {
        d::SearchFilters f;
        EXPECT_TRUE(d::validate(form, f).empty());
        auto tx = db().begin(TxMode::read);
        return DirectoryRepo(*tx, clock_).search(f, Lang::en, 20);
    };
    for (const auto& q : {"meals", ""}) {
        SCOPED_TRACE(q);
        auto first = search({.q = q, .category = "food"});
        EXPECT_EQ(first.total, search_count_cap);
        EXPECT_TRUE(first.more);
        ASSERT_EQ(first.services.size(), 20u);
        auto last = search({.q = q, .category = "food", .sort = "name", .page = "51"});
        EXPECT_EQ(last.total, search_count_cap);
        ASSERT_EQ(last.services.size(), 1u);
        EXPECT_EQ(last.services[0].name_en, "Meals " + std::to_string(10000 + search_count_cap));
        EXPECT_TRUE(search({.q = q, .category = "food", .page = "52"}).services.empty());
    }
    auto exact = search({.category = "housing"});
    EXPECT_EQ(exact.total, 1);
    EXPECT_FALSE(exact.more);
}

// V008 fills service_search from the rows already there, exactly as the repository writes them.
TEST_F(DirectoryStore, TheSearchTableMigrationBackfillsAnExistingDirectory) {
    auto a = service("Alpha", "Alpha", {"recreation"});
    a.age_min = 3;
    a.waitlist = {d::WaitlistStatus::waitlist, 12};
    a.fls_designated = true;
    add(clinic_, a);
    const auto closed = add(agency_, service("Bêta", "Beta", {"housing"}));
    const auto hidden = add(agency_, service("Caché", "Hidden", {"housing"}));
    add(far_, service("Gamma", "Gamma", {"food"}));
    {
        auto tx = db().begin(TxMode::write);
        DirectoryRepo repo(*tx, clock_);
        ASSERT_TRUE(repo.update_waitlist(closed, {d::WaitlistStatus::closed, std::nullopt}, 0));
        ASSERT_TRUE(repo.set_service_active(hidden, false, 0));
        ASSERT_TRUE(IdentityRepo(*tx, clock_).set_organisation_active(far_, false, 0));
        tx->commit();
    }
    auto rows = [&] {
        std::vector<std::string> out;
        auto tx = db().begin(TxMode::read);
        for (const auto& r :
             tx->query("SELECT service_id, public, sda_id, age_min, age_max, fls_designated, wait_rank, "
                       "wait_weeks, sort_name_fr, sort_name_en, updated_at FROM service_search ORDER BY service_id")) {
            std::string line;
            for (std::size_t i = 0; i < r.size(); ++i) line += (r.is_null(i) ? "NULL" : r.str(i)) + "|";
            out.push_back(line);
        }
        return out;
    };
    const auto written = rows();
    ASSERT_EQ(written.size(), 4u);
    const auto before = names("", {});

    // Back to the schema before V008, then V008 again over the same data.
    const auto dialect = db().dialect();
    std::string_view v008;
    for (const auto& m : migrations_for(dialect))
        if (m.version == 8) v008 = m.sql;
    ASSERT_FALSE(v008.empty());
    {
        auto tx = db().begin(TxMode::write);
        tx->exec_script(
            "DROP TABLE service_search;"
            "CREATE INDEX services_search_filters ON services (active, organisation_id, waitlist_status, "
            "wait_weeks, age_min, age_max, fls_designated);"
            "CREATE INDEX services_sort_fr ON services (active, sort_name_fr);"
            "CREATE INDEX services_sort_en ON services (active, sort_name_en);");
        if (dialect == Dialect::postgres)
            tx->exec_script(
                "ALTER TABLE services DROP COLUMN search_vector;"
                "CREATE INDEX services_search ON services USING GIN (to_tsvector('simple', search_text));");
        tx->exec_script(v008);
        tx->commit();
    }
    EXPECT_EQ(rows(), written);
    EXPECT_EQ(names("", {}), before);
    EXPECT_EQ(names("", {}), (Names{"Alpha", "Beta"}));
    EXPECT_EQ(names("alpha"), Names{"Alpha"});
}

TEST_F(DirectoryStore, StaleWaitlistsAndRemindersOncePerStaleness) {
    const auto id = add(clinic_, service("Répit", "Respite", {"respite"}));
    add(agency_, service("Logement", "Housing", {"housing"}));
    std::int64_t manager = 0;
    {
        auto tx = db().begin(TxMode::write);
        IdentityRepo ids(*tx, clock_);
        manager = *ids.create_user({"manager@example.org", "Mani Manager", Lang::fr}, 0);
        ASSERT_TRUE(ids.add_membership(manager, {clinic_, d::Role::provider_manager}, 0));
        const auto admin = *ids.create_user({"ca@example.org", "Casey Admin", Lang::en}, 0);
        ASSERT_TRUE(ids.add_membership(admin, {agency_, d::Role::ca_admin}, 0));
        tx->commit();
    }
    const auto catalogue = web::load_catalogue();
    auto remind = [&] {
        auto tx = db().begin(TxMode::write);
        const int n = queue_stale_waitlist_reminders(*tx, clock_, catalogue, 30, "https://arrimage.example");
        tx->commit();
        return n;
    };
    auto stale = [&] {
        auto tx = db().begin(TxMode::read);
        return DirectoryRepo(*tx, clock_).stale_services(clinic_, clock_.now(), 30).size();
    };
    clock_.advance(std::chrono::hours(24 * 30));
    EXPECT_EQ(stale(), 0u);
    EXPECT_EQ(remind(), 0);
    clock_.advance(std::chrono::hours(2));
    EXPECT_EQ(stale(), 1u);
    // The clinic's provider manager, and for the agency (no provider manager) the SDA's CA admin.
    EXPECT_EQ(remind(), 2);
    {
        auto tx = db().begin(TxMode::read);
        auto mail = tx->query_one("SELECT subject, body_text FROM outbox WHERE to_address = 'manager@example.org'");
        ASSERT_TRUE(mail);
        EXPECT_NE(mail->str(0).find("confirmer"), std::string::npos);  // in the manager's language
        EXPECT_NE(mail->str(1).find("- Répit (2026-11-23)"), std::string::npos);
        EXPECT_NE(mail->str(1).find("https://arrimage.example/directory/manage/organisations/" + std::to_string(clinic_)),
                  std::string::npos);
    }
    EXPECT_EQ(remind(), 0);  // once per staleness
    {
        auto tx = db().begin(TxMode::write);
        ASSERT_TRUE(DirectoryRepo(*tx, clock_).update_waitlist(id, {d::WaitlistStatus::open, std::nullopt}, manager));
        tx->commit();
    }
    EXPECT_EQ(stale(), 0u);
    clock_.advance(std::chrono::hours(24 * 31));
    // Only the service updated since its reminder is mentioned again.
    EXPECT_EQ(remind(), 1);
}

TEST_F(DirectoryStore, PathwaysAreValidatedAgainstTheirServiceDeliveryArea) {
    const auto speech = add(clinic_, service("Orthophonie", "Speech therapy", {"speech_language"}));
    const auto far_service = add(far_, service("Ouest", "West service", {"food"}));
    auto tx = db().begin(TxMode::write);
    DirectoryRepo repo(*tx, clock_);
    d::Pathway p{east_,  "speech_language", std::nullopt,         d::AccessMechanism::professional_referral,
                 speech, clinic_,           "Joindre le rapport", "Attach the report"};
    auto id = repo.create_pathway(p, 0);
    ASSERT_TRUE(id);
    auto found = repo.find_pathway(*id);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->need_code, "speech_language");
    EXPECT_EQ(found->service_name_en, "Speech therapy");
    EXPECT_EQ(found->org_name_en, "Demo Clinic");
    EXPECT_EQ(found->mechanism, "professional_referral");

    d::Pathway sector{east_, std::nullopt, "education", d::AccessMechanism::single_window, std::nullopt, agency_, "", ""};
    ASSERT_TRUE(repo.create_pathway(sector, 0));
    EXPECT_EQ(repo.list_pathways(std::nullopt, false).size(), 2u);
    EXPECT_EQ(repo.list_pathways(std::vector<std::int64_t>{west_}, false).size(), 0u);
    EXPECT_EQ(repo.list_pathways(std::vector<std::int64_t>{}, false).size(), 0u);
    ASSERT_TRUE(repo.set_pathway_active(*id, false, 0));
    EXPECT_EQ(repo.list_pathways(std::vector<std::int64_t>{east_}, false).size(), 1u);
    EXPECT_EQ(repo.list_pathways(std::vector<std::int64_t>{east_}, true).size(), 2u);

    auto bad =
        repo.create_pathway({east_, "astrology", std::nullopt, d::AccessMechanism::direct_intake, far_service, far_, "", ""}, 0);
    ASSERT_FALSE(bad);
    auto fields = bad.error().fields;
    auto has = [&](const char* field, const char* key) {
        return std::any_of(fields.begin(), fields.end(),
                           [&](const FieldError& f) { return f.field == field && f.message_key == key; });
    };
    EXPECT_TRUE(has("need", "service.unknown_category"));
    EXPECT_TRUE(has("service_id", "field.choose_from_list"));
    EXPECT_TRUE(has("organisation_id", "field.choose_from_list"));
    bad = repo.create_pathway(
        {east_, "speech_language", std::nullopt, d::AccessMechanism::direct_intake, speech, agency_, "", ""}, 0);
    ASSERT_FALSE(bad);
    fields = bad.error().fields;
    EXPECT_TRUE(has("service_id", "pathway.service_not_of_organisation"));
    EXPECT_EQ(repo.update_pathway(999999, p, 0).error().code, Errc::NotFound);
    ASSERT_TRUE(repo.update_pathway(*id, sector, 0));
    EXPECT_EQ(repo.find_pathway(*id)->sector, "education");
    EXPECT_EQ(repo.services_in_sdas({east_}).size(), 1u);
    tx->commit();
    EXPECT_EQ(count("SELECT COUNT(*) FROM referral_pathways"), 2);
}
