// The directory search cache: entries expire, an invalidation drops them and refuses results
// computed before it, the least recently used entry goes first, and the key covers every filter.
#include <gtest/gtest.h>

#include <set>

#include "domain/search_text.hpp"
#include "store/search_cache.hpp"

using namespace arrimage;
using namespace std::chrono_literals;
using store::SearchCache;
using store::SearchResults;

namespace {

SearchResults results(std::int64_t total) {
    SearchResults r;
    r.total = total;
    r.services.push_back({});
    r.services.back().id = total;
    return r;
}

const TimePoint t0 = TimePoint{} + 1000h;

}  // namespace

TEST(SearchCache, ServesWithinTheTtlOnly) {
    SearchCache cache(10, 30s);
    EXPECT_EQ(cache.get("k", t0), nullptr);
    cache.put("k", cache.generation(), t0, results(7));
    ASSERT_NE(cache.get("k", t0 + 29s), nullptr);
    EXPECT_EQ(cache.get("k", t0 + 29s)->total, 7);
    EXPECT_EQ(cache.get("k", t0 + 30s), nullptr);
    EXPECT_EQ(cache.size(), 0u);
}

TEST(SearchCache, InvalidationDropsEntriesAndRefusesOlderResults) {
    SearchCache cache(10, 30s);
    cache.put("a", cache.generation(), t0, results(1));
    const auto before = cache.generation();
    cache.invalidate();
    EXPECT_EQ(cache.get("a", t0), nullptr);
    // A search that started before the change finishes after it: not kept.
    cache.put("b", before, t0, results(2));
    EXPECT_EQ(cache.get("b", t0), nullptr);
    cache.put("b", cache.generation(), t0, results(3));
    EXPECT_EQ(cache.get("b", t0)->total, 3);
}

TEST(SearchCache, EvictsTheLeastRecentlyUsed) {
    SearchCache cache(2, 30s);
    cache.put("a", 0, t0, results(1));
    cache.put("b", 0, t0, results(2));
    ASSERT_NE(cache.get("a", t0), nullptr);  // a is now more recent than b
    cache.put("c", 0, t0, results(3));
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_NE(cache.get("a", t0), nullptr);
    EXPECT_EQ(cache.get("b", t0), nullptr);
    EXPECT_NE(cache.get("c", t0), nullptr);
}

TEST(SearchCache, DisabledKeepsNothing) {
    for (auto [entries, ttl] : {std::pair{std::size_t{0}, 30s}, std::pair{std::size_t{10}, 0s}}) {
        SearchCache cache(entries, ttl);
        EXPECT_FALSE(cache.enabled());
        cache.put("k", 0, t0, results(1));
        EXPECT_EQ(cache.get("k", t0), nullptr);
    }
}

TEST(SearchCache, KeyCoversEveryFilterButNotSpelling) {
    domain::SearchFilters f;
    f.query = domain::parse_search_query("École");
    domain::SearchFilters g = f;
    g.query = domain::parse_search_query("ecole");
    EXPECT_EQ(store::search_cache_key(f, Lang::fr, 20), store::search_cache_key(g, Lang::fr, 20));
    const auto base = store::search_cache_key(f, Lang::fr, 20);
    EXPECT_NE(base, store::search_cache_key(f, Lang::en, 20));
    EXPECT_NE(base, store::search_cache_key(f, Lang::fr, 10));
    std::vector<domain::SearchFilters> variants(9, f);
    variants[0].sda_id = 1;
    variants[1].category = "housing";
    variants[2].age = 5;
    variants[3].language = "fr";
    variants[4].open_only = true;
    variants[5].max_wait_weeks = 12;
    variants[6].fls_only = true;
    variants[7].sort = domain::SearchSort::name;
    variants[8].page = 2;
    std::set<std::string> keys{base};
    for (const auto& v : variants) keys.insert(store::search_cache_key(v, Lang::fr, 20));
    EXPECT_EQ(keys.size(), variants.size() + 1);
}
