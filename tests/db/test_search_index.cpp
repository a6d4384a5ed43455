// The in-memory directory search (store/search_index.hpp) against the database's own search
// (DirectoryRepo::search), on SQLite (label db) and PostgreSQL (label pg): on a random
// directory and a few hundred random searches they must return the same page, count and
// "more" flag. On SQLite relevance is FTS5's bm25 in both, so the order is compared too; on
// PostgreSQL the database ranks with ts_rank, so relevance pages are compared by count only.
// Then freshness: the index never answers from data older than the transaction sees.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <thread>

#include "core/time.hpp"
#include "db/test_support.hpp"
#include "domain/search_text.hpp"
#include "store/directory_repo.hpp"
#include "store/identity_repo.hpp"
#include "store/search_cache.hpp"
#include "store/search_index.hpp"

using namespace arrimage;
using namespace arrimage::store;
namespace d = arrimage::domain;

namespace {

// Words with accents, plurals and both languages, so stems, OR groups and repeated words all
// occur; "rare" words appear in few services, "common" ones in most.
const std::vector<std::string> common_words = {"enfants", "famille", "youth", "children", "services", "soutien"};
const std::vector<std::string> rare_words = {"répit",   "orthophonie", "autism", "logement",  "camp",    "physiothérapie",
                                             "therapy", "école",       "food",   "parenting", "anxiété", "transport"};
const std::vector<std::string> categories = {"mental_health", "speech_language", "autism", "respite", "recreation", "food"};
const std::vector<std::string> languages = {"fr", "en", "asl", "oj"};

class SearchIndexTest : public ::testing::Test {
  protected:
    void SetUp() override {
        std::string why;
        t_ = testsupport::open_test_db(why);
        if (!t_) GTEST_SKIP() << why;
        auto tx = db().begin(TxMode::write);
        IdentityRepo repo(*tx, clock_);
        for (const char* code : {"north", "south"}) sdas_.push_back(*repo.create_sda({code, code, code}, 0));
        for (int i = 0; i < 6; ++i) {
            d::Organisation o;
            o.sda_id = sdas_[static_cast<std::size_t>(i % 2)];
            o.name_fr = "Organisme fictif " + std::to_string(i);
            o.name_en = "Fictional agency " + std::to_string(i);
            o.sector = d::Sector::health;
            o.csp_roles = {d::CspRole::csp_participant};
            orgs_.push_back(*repo.create_organisation(o, 0));
        }
        tx->commit();
    }
    Database& db() { return *t_->db; }

    std::string words(std::mt19937& rng, int n) {
        std::string out;
        for (int i = 0; i < n; ++i) {
            const auto& pool = rng() % 3 == 0 ? common_words : rare_words;
            out += (out.empty() ? "" : " ") + pool[rng() % pool.size()];
        }
        return out;
    }

    // `count` services with random text, filters and update times; a few inactive, and one
    // organisation deactivated, so non-public rows are indexed (bm25 counts them) but never found.
    void random_directory(int count, unsigned seed) {
        std::mt19937 rng(seed);
        auto tx = db().begin(TxMode::write);
        DirectoryRepo repo(*tx, clock_);
        std::vector<std::int64_t> ids;
        for (int i = 0; i < count; ++i) {
            d::Service s;
            // Few distinct names, so name sorts have ties broken by id.
            s.name_fr = "Service " + words(rng, 1) + " " + std::to_string(rng() % 40);
            s.name_en = "Service " + words(rng, 1) + " " + std::to_string(rng() % 40);
            s.description_fr = words(rng, 1 + static_cast<int>(rng() % 30));
            s.description_en = words(rng, 1 + static_cast<int>(rng() % 30));
            if (rng() % 3 == 0) s.age_min = static_cast<int>(rng() % 10);
            if (rng() % 3 == 0) s.age_max = 10 + static_cast<int>(rng() % 15);
            for (const auto& c : categories)
                if (rng() % 4 == 0) s.category_codes.push_back(c);
            for (const auto& l : languages)
                if (rng() % 2 == 0) s.languages.push_back(l);
            if (s.languages.empty()) s.languages = {"en"};
            s.fls_designated = rng() % 4 == 0;
            switch (rng() % 3) {
                case 0:
                    s.waitlist = {d::WaitlistStatus::open, std::nullopt};
                    break;
                case 1:
                    s.waitlist = {d::WaitlistStatus::waitlist, 1 + static_cast<int>(rng() % 8)};
                    break;
                default:
                    s.waitlist = {d::WaitlistStatus::closed, std::nullopt};
                    break;
            }
            // Update times with ties (several services per minute).
            if (i % 3 == 0) clock_.advance(std::chrono::seconds(60));
            auto id = repo.create_service(orgs_[rng() % orgs_.size()], s, 0);
            ASSERT_TRUE(id) << id.error().message_key;
            ids.push_back(*id);
        }
        for (int i = 0; i < count / 20; ++i) ASSERT_TRUE(repo.set_service_active(ids[rng() % ids.size()], false, 0));
        ASSERT_TRUE(IdentityRepo(*tx, clock_).set_organisation_active(orgs_.back(), false, 0));
        tx->commit();
    }

    d::SearchFilters random_filters(std::mt19937& rng) {
        d::SearchFilters f;
        if (rng() % 5 != 0) {
            f.text = words(rng, 1 + static_cast<int>(rng() % 3));
            if (rng() % 10 == 0) f.text += " absentword";
            f.query = d::parse_search_query(f.text);
        }
        if (rng() % 4 == 0) f.sda_id = sdas_[rng() % sdas_.size()];
        if (rng() % 5 == 0) f.category = rng() % 10 == 0 ? "no_such_term" : categories[rng() % categories.size()];
        if (rng() % 4 == 0) f.age = static_cast<int>(rng() % 26);
        if (rng() % 5 == 0) f.language = rng() % 10 == 0 ? "zz" : languages[rng() % languages.size()];
        if (rng() % 6 == 0) f.open_only = true;
        if (rng() % 6 == 0) f.max_wait_weeks = static_cast<int>(rng() % 8);
        if (rng() % 6 == 0) f.fls_only = true;
        f.sort = static_cast<d::SearchSort>(rng() % 4);
        f.page = 1 + static_cast<int>(rng() % 4);
        return f;
    }

    static std::vector<std::int64_t> ids(const SearchResults& r) {
        std::vector<std::int64_t> out;
        for (const auto& s : r.services) out.push_back(s.id);
        return out;
    }

    static std::string describe(const d::SearchFilters& f, Lang lang) {
        return "q=\"" + f.text + "\" sort=" + std::to_string(static_cast<int>(f.sort)) + " page=" + std::to_string(f.page) +
               " lang=" + std::string(code(lang)) + (f.sda_id ? " sda" : "") + (f.category ? " category=" + *f.category : "") +
               (f.age ? " age=" + std::to_string(*f.age) : "") + (f.language ? " language=" + *f.language : "") +
               (f.open_only ? " open" : "") + (f.max_wait_weeks ? " wait<=" + std::to_string(*f.max_wait_weeks) : "") +
               (f.fls_only ? " fls" : "");
    }

    void expect_same_answers(int searches, unsigned seed, int page_size, bool expect_capped = false) {
        SearchIndex index(db());
        std::mt19937 rng(seed);
        const bool sqlite = db().dialect() == Dialect::sqlite;
        int with_results = 0, capped = 0;
        for (int i = 0; i < searches; ++i) {
            const auto f = random_filters(rng);
            const auto lang = rng() % 2 ? Lang::fr : Lang::en;
            SCOPED_TRACE(describe(f, lang));
            auto tx = db().begin(TxMode::read);
            const auto expected = DirectoryRepo(*tx, clock_).search(f, lang, page_size);
            const auto got = index.search(*tx, clock_, f, lang, page_size);
            EXPECT_EQ(got.total, expected.total);
            EXPECT_EQ(got.more, expected.more);
            const bool by_relevance = !f.query.empty() && f.sort == d::SearchSort::relevance;
            if (sqlite || !by_relevance)
                EXPECT_EQ(ids(got), ids(expected));
            else
                EXPECT_EQ(got.services.size(), expected.services.size());
            // The page's rows are read from the database, as the repository reads them.
            for (std::size_t k = 0; k < std::min(got.services.size(), expected.services.size()); ++k)
                if (got.services[k].id == expected.services[k].id) {
                    EXPECT_EQ(got.services[k].name_en, expected.services[k].name_en);
                    EXPECT_EQ(got.services[k].cities, expected.services[k].cities);
                    EXPECT_EQ(got.services[k].languages, expected.services[k].languages);
                }
            with_results += expected.total > 0;
            capped += expected.more;
        }
        // Every search was answered by the index, and the mix is not trivial.
        EXPECT_EQ(index.stats().from_index, static_cast<std::uint64_t>(searches));
        EXPECT_EQ(index.stats().from_database, 0u);
        EXPECT_GT(with_results, searches / 3);
        if (expect_capped) {
            EXPECT_GT(capped, 0) << "no search of this mix reached the count cap";
        }
    }

    ManualClock clock_{*parse_iso("2026-11-23T09:00:00Z")};
    std::unique_ptr<testsupport::TestDb> t_;
    std::vector<std::int64_t> sdas_, orgs_;
};

std::int64_t version_of(Database& db) {
    auto tx = db.begin(TxMode::read);
    return directory_version(*tx);
}

}  // namespace

TEST_F(SearchIndexTest, GivesTheDatabasesAnswersOnARandomDirectory) {
    random_directory(400, 7);
    expect_same_answers(400, 11, 10);
}

// Past the count cap: common words and browsing match more than 1,000 services.
TEST_F(SearchIndexTest, GivesTheDatabasesAnswersPastTheCountCap) {
    random_directory(static_cast<int>(search_count_cap) + 450, 3);
    expect_same_answers(150, 5, 20, true);
}

TEST_F(SearchIndexTest, EveryChangeTheSearchReadsMovesTheVersion) {
    random_directory(5, 1);
    auto service = [&] {
        auto tx = db().begin(TxMode::read);
        return tx->query_one("SELECT MIN(id) FROM services")->i64(0);
    }();
    auto changes = [&](const char* what, auto&& change) {
        SCOPED_TRACE(what);
        const auto before = version_of(db());
        auto tx = db().begin(TxMode::write);
        change(*tx);
        tx->commit();
        EXPECT_GT(version_of(db()), before);
    };
    changes("waitlist", [&](Tx& tx) {
        ASSERT_TRUE(DirectoryRepo(tx, clock_).update_waitlist(service, {d::WaitlistStatus::closed, std::nullopt}, 0));
    });
    changes("service details", [&](Tx& tx) {
        DirectoryRepo repo(tx, clock_);
        auto row = repo.find_service(service);
        d::Service s;
        s.name_fr = "Nouveau nom";
        s.name_en = "New name";
        s.description_fr = s.description_en = "-";
        s.category_codes = {"food"};
        s.languages = {"fr"};
        s.waitlist = {d::WaitlistStatus::open, std::nullopt};
        ASSERT_TRUE(repo.update_service(service, s, 0));
        (void)row;
    });
    changes("service deactivated", [&](Tx& tx) { ASSERT_TRUE(DirectoryRepo(tx, clock_).set_service_active(service, false, 0)); });
    changes("organisation deactivated",
            [&](Tx& tx) { ASSERT_TRUE(IdentityRepo(tx, clock_).set_organisation_active(orgs_.front(), false, 0)); });
    // What the search does not read leaves it alone.
    const auto before = version_of(db());
    {
        auto tx = db().begin(TxMode::write);
        DirectoryRepo(*tx, clock_).mark_reminded(service);
        d::User u;
        u.email = "someone@demo.arrimage.invalid";
        u.display_name = "Personne Fictive";
        ASSERT_TRUE(IdentityRepo(*tx, clock_).create_user(u, 0));
        tx->commit();
    }
    EXPECT_EQ(version_of(db()), before);
}

// A small directory is rebuilt within the search that finds the index out of date, so the
// index answers and the answer is already the new one.
TEST_F(SearchIndexTest, ASmallDirectoryIsRebuiltAtOnceAfterAChange) {
    random_directory(30, 2);
    SearchIndex index(db());
    d::SearchFilters f;
    f.open_only = true;
    auto search = [&] {
        auto tx = db().begin(TxMode::read);
        return index.search(*tx, clock_, f, Lang::en, 50);
    };
    const auto before = search();
    std::int64_t closed = 0;
    {
        auto tx = db().begin(TxMode::write);
        closed = before.services.at(0).id;
        ASSERT_TRUE(DirectoryRepo(*tx, clock_).update_waitlist(closed, {d::WaitlistStatus::closed, std::nullopt}, 0));
        tx->commit();
    }
    const auto after = search();
    EXPECT_EQ(after.total, before.total - 1);
    for (const auto& s : after.services) EXPECT_NE(s.id, closed);
    EXPECT_EQ(index.stats().from_index, 2u);
    EXPECT_EQ(index.stats().from_database, 0u);
    EXPECT_EQ(index.stats().rebuilds, 2u);
}

// Two nodes, each with its own index and search cache (a long time to live): a change written
// through one node, which does not invalidate the other's cache, shows in the other's very next
// search, because the cache is keyed by the directory's version its transaction sees.
TEST_F(SearchIndexTest, ACachedSearchOnOneNodeSeesAChangeMadeThroughAnother) {
    random_directory(30, 3);
    SearchIndex index_a(db()), index_b(db());
    SearchCache cache_a(100, std::chrono::seconds(3600)), cache_b(100, std::chrono::seconds(3600));
    d::SearchFilters f;
    f.open_only = true;
    auto search = [&](SearchCache& cache, SearchIndex& index) {
        auto tx = db().begin(TxMode::read);
        return cached_search(cache, index, *tx, clock_, f, Lang::en, 50);
    };
    const auto before = search(cache_a, index_a);
    ASSERT_GT(before.total, 0);
    EXPECT_EQ(search(cache_a, index_a).total, before.total);  // served from node A's cache
    EXPECT_EQ(cache_a.size(), 1u);
    const std::int64_t closed = before.services.at(0).id;
    {
        auto tx = db().begin(TxMode::write);
        ASSERT_TRUE(DirectoryRepo(*tx, clock_).update_waitlist(closed, {d::WaitlistStatus::closed, std::nullopt}, 0));
        tx->commit();
        cache_b.invalidate();  // node B wrote it; node A knows nothing
    }
    const auto after = search(cache_a, index_a);
    EXPECT_EQ(after.total, before.total - 1);
    for (const auto& s : after.services) EXPECT_NE(s.id, closed);
    EXPECT_EQ(search(cache_b, index_b).total, before.total - 1);
}

// A large directory (here: every size, inline_rebuild_below = 0) is rebuilt in the background;
// until then the database answers, with the new data.
TEST_F(SearchIndexTest, ALargeDirectoryIsRebuiltInTheBackgroundAndTheDatabaseAnswersMeanwhile) {
    random_directory(30, 4);
    SearchIndex index(db(), 0);
    d::SearchFilters f;
    f.open_only = true;
    auto search = [&] {
        auto tx = db().begin(TxMode::read);
        return index.search(*tx, clock_, f, Lang::en, 50);
    };
    auto wait_for_rebuilds = [&](std::uint64_t n) {
        for (int i = 0; i < 500 && index.stats().rebuilds < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        ASSERT_EQ(index.stats().rebuilds, n);
    };
    const auto first = search();  // no index yet: the database, and a build starts
    EXPECT_EQ(index.stats().from_database, 1u);
    wait_for_rebuilds(1);
    EXPECT_EQ(search().total, first.total);
    EXPECT_EQ(index.stats().from_index, 1u);

    const auto closed = first.services.at(0).id;
    {
        auto tx = db().begin(TxMode::write);
        ASSERT_TRUE(DirectoryRepo(*tx, clock_).update_waitlist(closed, {d::WaitlistStatus::closed, std::nullopt}, 0));
        tx->commit();
    }
    // Whichever answers, the closed service is gone at once.
    const auto after = search();
    EXPECT_EQ(after.total, first.total - 1);
    for (const auto& s : after.services) EXPECT_NE(s.id, closed);
    wait_for_rebuilds(2);
    const auto rebuilt = search();
    EXPECT_EQ(rebuilt.total, first.total - 1);
    EXPECT_EQ(index.stats().from_index + index.stats().from_database, 4u);
    EXPECT_GE(index.stats().from_index, 2u);
    index.stop();
}
