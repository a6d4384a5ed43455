#include "store/search_cache.hpp"

#include "domain/search_text.hpp"

namespace arrimage::store {

std::uint64_t SearchCache::generation() const {
    std::lock_guard lock(mutex_);
    return generation_;
}

void SearchCache::invalidate() {
    std::lock_guard lock(mutex_);
    ++generation_;
    entries_.clear();
    lru_.clear();
}

std::shared_ptr<const SearchResults> SearchCache::get(const std::string& key, TimePoint now) {
    if (!enabled()) return nullptr;
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    if (it->second.generation != generation_ || it->second.expires <= now) {
        lru_.erase(it->second.lru);
        entries_.erase(it);
        return nullptr;
    }
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return it->second.results;
}

void SearchCache::put(const std::string& key, std::uint64_t generation, TimePoint now, SearchResults results) {
    if (!enabled()) return;
    auto shared = std::make_shared<const SearchResults>(std::move(results));
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;  // computed before the directory changed
    if (auto it = entries_.find(key); it != entries_.end()) {
        lru_.erase(it->second.lru);
        entries_.erase(it);
    }
    while (entries_.size() >= capacity_ && !lru_.empty()) {
        entries_.erase(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(key);
    entries_.emplace(key, Entry{generation, now + ttl_, std::move(shared), lru_.begin()});
}

std::size_t SearchCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::string search_cache_key(const domain::SearchFilters& f, Lang lang, int page_size) {
    auto opt = [](const auto& v) { return v ? std::to_string(*v) : std::string("-"); };
    std::string key = std::string(code(lang)) + '|' + std::to_string(page_size) + '|' + std::to_string(f.page) + '|' +
                      std::to_string(static_cast<int>(f.sort)) + '|' + opt(f.sda_id) + '|' + (f.category ? *f.category : "-") +
                      '|' + opt(f.age) + '|' + (f.language ? *f.language : "-") + '|' + (f.open_only ? "o" : "-") + '|' +
                      opt(f.max_wait_weeks) + '|' + (f.fls_only ? "f" : "-") + '|';
    // The parsed query (stems), not the typed text: "École" and "ecole" share an entry.
    return key + domain::fts5_match(f.query);
}

namespace {

template <typename Compute>
SearchResults through_cache(SearchCache& cache, const std::string& prefix, const domain::SearchFilters& f, Lang lang,
                            int page_size, TimePoint now, Compute&& compute) {
    if (!cache.enabled()) return compute();
    const auto key = prefix + search_cache_key(f, lang, page_size);
    if (auto hit = cache.get(key, now)) return *hit;
    const auto generation = cache.generation();
    auto results = compute();
    cache.put(key, generation, now, results);
    return results;
}

}  // namespace

SearchResults cached_search(SearchCache& cache, DirectoryRepo& repo, const domain::SearchFilters& f, Lang lang, int page_size,
                            TimePoint now) {
    return through_cache(cache, "", f, lang, page_size, now, [&] { return repo.search(f, lang, page_size); });
}

SearchResults cached_search(SearchCache& cache, SearchIndex& index, Tx& tx, const Clock& clock, const domain::SearchFilters& f,
                            Lang lang, int page_size) {
    // Keyed by the directory's version as this transaction sees it: a change made through
    // another node (or another process) moves it, so no node serves results older than the
    // database, without waiting for the entry's time to run out.
    const std::string prefix = cache.enabled() ? 'v' + std::to_string(directory_version(tx)) + '|' : std::string();
    return through_cache(cache, prefix, f, lang, page_size, clock.now(),
                         [&] { return index.search(tx, clock, f, lang, page_size); });
}

}  // namespace arrimage::store
