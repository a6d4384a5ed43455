#pragma once
// A small in-process cache of directory search results. Public search is read far more often
// than the directory changes, and the same searches come back (a word typed by many families,
// the filters of a category page); counting and ranking thousands of full-text matches costs
// milliseconds each time.
//
// Freshness: an entry is kept at most `ttl` and is dropped as soon as this process commits a
// change to the directory (`invalidate`, called by the web layer after the commit of a route
// that changed it). Through the search index (what `serve` does), entries are also keyed by the
// directory's version (directory_version, moved by triggers with every change a search reads),
// read in the search's transaction: a change made by another node or by `arrimage hsds-import`
// in another process shows at the next search. Through the repository alone, such changes show
// after at most `ttl`. A service's own page always reads the database.
//
// Thread-safe; results are shared immutable values, copied outside the lock.
#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "domain/directory.hpp"
#include "store/directory_repo.hpp"
#include "store/search_index.hpp"

namespace arrimage::store {

class SearchCache {
  public:
    // capacity 0 or ttl 0: caches nothing.
    SearchCache(std::size_t capacity, std::chrono::seconds ttl) : capacity_(capacity), ttl_(ttl) {}

    bool enabled() const { return capacity_ > 0 && ttl_.count() > 0; }
    // Read before searching; `put` with that value so that an entry computed from data older
    // than an invalidation is never served after it.
    std::uint64_t generation() const;
    void invalidate();

    std::shared_ptr<const SearchResults> get(const std::string& key, TimePoint now);
    void put(const std::string& key, std::uint64_t generation, TimePoint now, SearchResults results);

    std::size_t size() const;

  private:
    struct Entry {
        std::uint64_t generation = 0;
        TimePoint expires;
        std::shared_ptr<const SearchResults> results;
        std::list<std::string>::iterator lru;
    };
    const std::size_t capacity_;
    const std::chrono::seconds ttl_;
    mutable std::mutex mutex_;
    std::uint64_t generation_ = 0;
    std::unordered_map<std::string, Entry> entries_;
    std::list<std::string> lru_;  // most recently used first
};

// Everything a search's results depend on, as one string.
std::string search_cache_key(const domain::SearchFilters& f, Lang lang, int page_size);

// DirectoryRepo::search through the cache (straight to the repository when it is disabled).
SearchResults cached_search(SearchCache& cache, DirectoryRepo& repo, const domain::SearchFilters& f, Lang lang, int page_size,
                            TimePoint now);
// The same through the in-memory search index (what `arrimage serve` does).
SearchResults cached_search(SearchCache& cache, SearchIndex& index, Tx& tx, const Clock& clock, const domain::SearchFilters& f,
                            Lang lang, int page_size);

}  // namespace arrimage::store
