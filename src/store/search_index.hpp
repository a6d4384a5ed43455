#pragma once
// The public directory search in memory. Ranking full-text matches in the database costs
// tens of milliseconds for a common word (every one of 50,000 services says "enfants"); the
// same ranking over arrays in memory costs well under one. The index holds, for every
// service, what the search filters and sorts on (service_search), its categories and
// languages, and an inverted index of its stems (services.search_text) with what bm25 needs;
// a search ranks ids in memory and reads only its page of rows from the database
// (DirectoryRepo::summaries), in the caller's transaction.
//
// Same answers as the database: the filters, sorts and count cap are those of
// DirectoryRepo::search, and relevance is SQLite FTS5's bm25 computed the same way (k1 = 1.2,
// b = 0.75, the same IDF floor, the same order of operations, ties by id), so a search gives
// the same ids in the same order whichever answers it (tests/db/test_search_index.cpp checks
// this against the database on random directories). On PostgreSQL the database path ranks
// with ts_rank; the index ranks with bm25 there too.
//
// Never older than the database: directory_version (V009), kept by triggers, moves with every
// change the search reads. A search reads it in its own transaction and uses the index only
// when the index was built from that same version; otherwise it answers from the database
// (DirectoryRepo::search) and asks for a rebuild. A small directory (below
// `inline_rebuild_below` services) is rebuilt at once within the search's transaction; a
// large one in a background thread with its own read transaction, the database answering
// meanwhile. Changes made by other processes and other nodes are seen the same way.
//
// Thread-safe: the built index is an immutable snapshot shared by every search.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/i18n.hpp"
#include "domain/directory.hpp"
#include "store/db.hpp"
#include "store/directory_repo.hpp"

namespace arrimage::store {

// One built index: immutable once built (search_index.cpp).
struct SearchSnapshot;

// The version of the directory the transaction sees.
std::int64_t directory_version(Tx& tx);

class SearchIndex {
  public:
    struct Stats {
        std::uint64_t from_index = 0, from_database = 0, rebuilds = 0;
        std::size_t services = 0;  // in the current snapshot
    };

    // `db` is used by the background rebuild only; it must outlive stop().
    explicit SearchIndex(Database& db, std::size_t inline_rebuild_below = 5000);
    ~SearchIndex();
    SearchIndex(const SearchIndex&) = delete;
    SearchIndex& operator=(const SearchIndex&) = delete;

    // Same result as DirectoryRepo(tx, clock).search(f, lang, page_size).
    SearchResults search(Tx& tx, const Clock& clock, const domain::SearchFilters& f, Lang lang, int page_size);

    // Builds now from `tx` (start-up of a small directory, tests, benchmarks).
    void rebuild(Tx& tx);
    // Starts a background build unless one is running (start-up of a large directory).
    void request_rebuild();
    // Waits for a running background build; no more start afterwards. Before the database closes.
    void stop();

    Stats stats() const;

  private:
    std::shared_ptr<const SearchSnapshot> current() const;
    void install(std::shared_ptr<const SearchSnapshot> s);
    void worker();

    Database& db_;
    const std::size_t inline_below_;
    mutable std::mutex mutex_;  // snapshot_, stats_ and the worker's state
    std::shared_ptr<const SearchSnapshot> snapshot_;
    Stats stats_;
    std::mutex inline_build_;  // one inline rebuild at a time
    std::condition_variable cv_;
    bool wanted_ = false, stopping_ = false;
    std::thread thread_;
};

}  // namespace arrimage::store
