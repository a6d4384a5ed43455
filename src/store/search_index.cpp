#include "store/search_index.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/search_text.hpp"

namespace arrimage::store {

namespace d = arrimage::domain;

namespace {

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// SQLite FTS5's bm25 constants.
constexpr double k1 = 1.2;
constexpr double b = 0.75;

constexpr std::uint32_t collected = 1u << 31;  // scratch mask bit: already a candidate
constexpr std::size_t build_chunk = 2000;      // services rows read per statement

}  // namespace

struct SearchSnapshot {
    std::int64_t version = 0;
    std::vector<std::int64_t> ids;  // document → service id, ascending (ties by id are ties by document)
    // What the filters read, per document.
    std::vector<std::uint8_t> pub, fls, wait_rank;
    std::vector<std::int64_t> sda, wait_weeks, age_min, age_max;  // ages: the type's limits for NULL
    std::vector<std::uint32_t> cat_off, cats;                     // term indexes of document i: cats[cat_off[i] .. cat_off[i+1])
    std::vector<std::uint32_t> lang_off, langs;
    StringMap<std::uint32_t> terms;      // taxonomy code → term index
    StringMap<std::uint32_t> languages;  // language code → index
    // Public documents in each sort order ([0] French names, [1] English), and each document's
    // position in it (non-public: the maximum).
    std::array<std::vector<std::uint32_t>, 2> by_name, by_wait;
    std::vector<std::uint32_t> by_updated;
    std::array<std::vector<std::uint32_t>, 2> name_pos, wait_pos;
    std::vector<std::uint32_t> updated_pos;
    // Full text: stem → postings (document ascending, with the stem's count in it).
    StringMap<std::uint32_t> stems;
    std::vector<std::uint32_t> post_off, post_doc, post_tf;
    std::vector<double> norm;  // k1 * (1 - b + b * D / avgdl), per document, as FTS5 computes it
};

std::int64_t directory_version(Tx& tx) {
    auto r = tx.query_one("SELECT version FROM directory_version WHERE id = 1");
    return r ? r->i64(0) : 0;
}

namespace {

// The ranked ids of one search: its page and the capped count.
struct RankedPage {
    std::vector<std::int64_t> ids;  // the requested page, in order
    std::int64_t total = 0;         // at most search_count_cap
    bool more = false;
};

std::uint32_t intern(StringMap<std::uint32_t>& map, std::string_view key) {
    auto it = map.find(key);
    if (it != map.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(map.size());
    map.emplace(std::string(key), id);
    return id;
}

// FTS5's ascii tokenizer: runs of ASCII letters and digits, folded to lower case; every other
// ASCII byte separates, and bytes above 127 belong to tokens.
template <typename Fn>
void ascii_tokens(std::string_view text, Fn&& fn) {
    std::string token;
    auto flush = [&] {
        if (!token.empty()) fn(std::string_view(token));
        token.clear();
    };
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 128 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z'))
            token += c;
        else if (u >= 'A' && u <= 'Z')
            token += static_cast<char>(u - 'A' + 'a');
        else
            flush();
    }
    flush();
}

// Documents of `docs` (ids ascending) for a service id; -1 when absent.
std::int64_t doc_of(const std::vector<std::int64_t>& ids, std::int64_t service_id) {
    auto it = std::lower_bound(ids.begin(), ids.end(), service_id);
    if (it == ids.end() || *it != service_id) return -1;
    return it - ids.begin();
}

// Compressed rows from (document, value) pairs: offsets and values grouped by document.
void group_by_doc(std::size_t n, std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs, std::vector<std::uint32_t>& off,
                  std::vector<std::uint32_t>& values) {
    std::sort(pairs.begin(), pairs.end());
    off.assign(n + 1, 0);
    for (const auto& [doc, v] : pairs) ++off[doc + 1];
    std::partial_sum(off.begin(), off.end(), off.begin());
    values.resize(pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) values[i] = pairs[i].second;
}

bool contains(const std::vector<std::uint32_t>& off, const std::vector<std::uint32_t>& values, std::uint32_t doc,
              std::uint32_t v) {
    for (auto i = off[doc]; i < off[doc + 1]; ++i)
        if (values[i] == v) return true;
    return false;
}

// Builds a snapshot from the database in `tx` (reads directory_version first).
std::shared_ptr<const SearchSnapshot> build_search_snapshot(Tx& tx) {
    auto s = std::make_shared<SearchSnapshot>();
    // The version first: on PostgreSQL (read committed) what follows may be newer than it, never
    // older, so a search that sees this version never gets older data from the index.
    s->version = directory_version(tx);

    std::vector<std::string> name[2], updated;
    std::vector<std::uint32_t> doc_len;
    // (stem, document, count) of every document, documents in order.
    struct Posting {
        std::uint32_t stem, doc, tf;
    };
    std::vector<Posting> postings;
    std::vector<std::uint32_t> tokens;
    std::int64_t after = std::numeric_limits<std::int64_t>::min();
    for (;;) {
        const auto rows = tx.query(
            "SELECT s.id, s.search_text, ss.public, ss.sda_id, ss.age_min, ss.age_max, ss.fls_designated, ss.wait_rank, "
            "ss.wait_weeks, ss.sort_name_fr, ss.sort_name_en, ss.updated_at "
            "FROM services s LEFT JOIN service_search ss ON ss.service_id = s.id WHERE s.id > ? ORDER BY s.id LIMIT ?",
            {after, static_cast<std::int64_t>(build_chunk)});
        for (const auto& r : rows) {
            const auto doc = static_cast<std::uint32_t>(s->ids.size());
            s->ids.push_back(r.i64(0));
            tokens.clear();
            ascii_tokens(r.str(1), [&](std::string_view t) { tokens.push_back(intern(s->stems, t)); });
            doc_len.push_back(static_cast<std::uint32_t>(tokens.size()));
            std::sort(tokens.begin(), tokens.end());
            for (std::size_t i = 0; i < tokens.size();) {
                std::size_t j = i;
                while (j < tokens.size() && tokens[j] == tokens[i]) ++j;
                postings.push_back({tokens[i], doc, static_cast<std::uint32_t>(j - i)});
                i = j;
            }
            s->pub.push_back(r.is_null(2) ? 0 : static_cast<std::uint8_t>(r.i64(2) == 1));
            s->sda.push_back(r.i64(3));
            s->age_min.push_back(r.opt_i64(4).value_or(std::numeric_limits<std::int64_t>::min()));
            s->age_max.push_back(r.opt_i64(5).value_or(std::numeric_limits<std::int64_t>::max()));
            s->fls.push_back(static_cast<std::uint8_t>(r.i64(6) == 1));
            s->wait_rank.push_back(static_cast<std::uint8_t>(r.i64(7)));
            s->wait_weeks.push_back(r.i64(8));
            name[0].push_back(r.str(9));
            name[1].push_back(r.str(10));
            updated.push_back(r.str(11));
        }
        if (rows.size() < build_chunk) break;
        after = s->ids.back();
    }
    const std::size_t n = s->ids.size();

    // Categories and languages.
    std::unordered_map<std::int64_t, std::uint32_t> term_index;
    for (const auto& r : tx.query("SELECT id, code FROM taxonomy_terms ORDER BY id")) {
        const auto index = static_cast<std::uint32_t>(term_index.size());
        term_index[r.i64(0)] = index;
        s->terms.emplace(r.str(1), index);
    }
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (const auto& r : tx.query("SELECT service_id, term_id FROM service_categories")) {
        const auto doc = doc_of(s->ids, r.i64(0));
        auto term = term_index.find(r.i64(1));
        if (doc >= 0 && term != term_index.end()) pairs.emplace_back(static_cast<std::uint32_t>(doc), term->second);
    }
    group_by_doc(n, pairs, s->cat_off, s->cats);
    pairs.clear();
    for (const auto& r : tx.query("SELECT service_id, language FROM service_languages")) {
        const auto doc = doc_of(s->ids, r.i64(0));
        if (doc >= 0) pairs.emplace_back(static_cast<std::uint32_t>(doc), intern(s->languages, r.str(1)));
    }
    group_by_doc(n, pairs, s->lang_off, s->langs);

    // Sort orders of the public documents.
    std::vector<std::uint32_t> public_docs;
    for (std::uint32_t i = 0; i < n; ++i)
        if (s->pub[i]) public_docs.push_back(i);
    auto order = [&](auto less, std::vector<std::uint32_t>& by, std::vector<std::uint32_t>& pos) {
        by = public_docs;
        std::sort(by.begin(), by.end(), less);
        pos.assign(n, std::numeric_limits<std::uint32_t>::max());
        for (std::uint32_t i = 0; i < by.size(); ++i) pos[by[i]] = i;
    };
    for (int l = 0; l < 2; ++l) {
        const auto& nm = name[l];
        order([&](std::uint32_t a, std::uint32_t z) { return nm[a] != nm[z] ? nm[a] < nm[z] : a < z; }, s->by_name[l],
              s->name_pos[l]);
        order(
            [&](std::uint32_t a, std::uint32_t z) {
                if (s->wait_rank[a] != s->wait_rank[z]) return s->wait_rank[a] < s->wait_rank[z];
                if (s->wait_weeks[a] != s->wait_weeks[z]) return s->wait_weeks[a] < s->wait_weeks[z];
                return nm[a] != nm[z] ? nm[a] < nm[z] : a < z;
            },
            s->by_wait[l], s->wait_pos[l]);
    }
    order([&](std::uint32_t a, std::uint32_t z) { return updated[a] != updated[z] ? updated[a] > updated[z] : a < z; },
          s->by_updated, s->updated_pos);

    // Postings grouped by stem (documents stay ascending: a stable counting sort).
    s->post_off.assign(s->stems.size() + 1, 0);
    for (const auto& p : postings) ++s->post_off[p.stem + 1];
    std::partial_sum(s->post_off.begin(), s->post_off.end(), s->post_off.begin());
    s->post_doc.resize(postings.size());
    s->post_tf.resize(postings.size());
    std::vector<std::uint32_t> next(s->post_off.begin(), s->post_off.end() - 1);
    for (const auto& p : postings) {
        const auto at = next[p.stem]++;
        s->post_doc[at] = p.doc;
        s->post_tf[at] = p.tf;
    }
    // FTS5: avgdl = total tokens / rows; per row, k1 * (1 - b + b * D / avgdl).
    if (n > 0) {
        double total = 0;
        for (auto len : doc_len) total += len;
        const double avgdl = total / static_cast<double>(n);
        s->norm.resize(n);
        for (std::size_t i = 0; i < n; ++i) s->norm[i] = k1 * (1 - b + b * static_cast<double>(doc_len[i]) / avgdl);
    }
    return s;
}

struct Scratch {
    std::vector<std::uint32_t> stamp, mask;
    std::vector<double> score;
    std::uint32_t generation = 0;

    void prepare(std::size_t n) {
        if (stamp.size() < n) {
            stamp.resize(n, 0);
            mask.resize(n, 0);
            score.resize(n, 0);
        }
        if (++generation == 0) {  // wrapped: forget every stamp
            std::fill(stamp.begin(), stamp.end(), 0);
            generation = 1;
        }
    }
};

struct Filter {
    const SearchSnapshot& s;
    const d::SearchFilters& f;
    std::optional<std::uint32_t> term, language;
    bool impossible = false;

    Filter(const SearchSnapshot& snap, const d::SearchFilters& filters) : s(snap), f(filters) {
        if (f.category) {
            auto it = s.terms.find(*f.category);
            if (it == s.terms.end())
                impossible = true;
            else
                term = it->second;
        }
        if (f.language) {
            auto it = s.languages.find(*f.language);
            if (it == s.languages.end())
                impossible = true;
            else
                language = it->second;
        }
    }

    bool operator()(std::uint32_t doc) const {
        if (!s.pub[doc]) return false;
        if (f.sda_id && s.sda[doc] != *f.sda_id) return false;
        if (f.age && (s.age_min[doc] > *f.age || s.age_max[doc] < *f.age)) return false;
        if (f.open_only && s.wait_rank[doc] != 0) return false;
        if (f.max_wait_weeks && !(s.wait_rank[doc] == 0 || (s.wait_rank[doc] == 1 && s.wait_weeks[doc] <= *f.max_wait_weeks)))
            return false;
        if (f.fls_only && !s.fls[doc]) return false;
        if (term && !contains(s.cat_off, s.cats, doc, *term)) return false;
        if (language && !contains(s.lang_off, s.langs, doc, *language)) return false;
        return true;
    }
};

d::SearchSort effective_sort(const d::SearchFilters& f) {
    if (f.query.empty() && f.sort == d::SearchSort::relevance) return d::SearchSort::name;
    return f.sort;
}

const std::vector<std::uint32_t>& order_of(const SearchSnapshot& s, d::SearchSort sort, int l) {
    switch (sort) {
        case d::SearchSort::wait:
            return s.by_wait[l];
        case d::SearchSort::updated:
            return s.by_updated;
        default:
            return s.by_name[l];
    }
}

const std::vector<std::uint32_t>& positions_of(const SearchSnapshot& s, d::SearchSort sort, int l) {
    switch (sort) {
        case d::SearchSort::wait:
            return s.wait_pos[l];
        case d::SearchSort::updated:
            return s.updated_pos;
        default:
            return s.name_pos[l];
    }
}

void set_count(RankedPage& out, std::size_t matches) {
    out.total = static_cast<std::int64_t>(std::min<std::size_t>(matches, search_count_cap));
    out.more = matches > static_cast<std::size_t>(search_count_cap);
}

RankedPage rank(const SearchSnapshot& s, const d::SearchFilters& f, Lang lang, int page_size) {
    RankedPage out;
    const Filter pass(s, f);
    if (pass.impossible || page_size < 1 || f.page < 1) return out;
    const int l = lang == Lang::fr ? 0 : 1;
    const auto sort = effective_sort(f);
    const auto offset = static_cast<std::size_t>(page_size) * static_cast<std::size_t>(f.page - 1);
    const auto end = offset + static_cast<std::size_t>(page_size);

    if (f.query.empty()) {
        // Browse: read the sort order, keep what passes, stop once the page and the count are known.
        const auto wanted = std::max<std::size_t>(search_count_cap + 1, end);
        std::size_t matches = 0;
        for (auto doc : order_of(s, sort, l)) {
            if (!pass(doc)) continue;
            if (matches >= offset && matches < end) out.ids.push_back(s.ids[doc]);
            if (++matches >= wanted) break;
        }
        set_count(out, matches);
        return out;
    }

    // Full text: every stem of the query is a phrase, numbered in order as FTS5 numbers them.
    const auto& groups = f.query.groups;
    if (groups.size() > 31) return out;
    const std::size_t n = s.ids.size();
    struct Phrase {
        std::uint32_t begin = 0, end = 0, group = 0;
        double idf = 0;
    };
    std::vector<Phrase> phrases;
    std::vector<std::size_t> group_postings(groups.size(), 0);
    for (std::uint32_t g = 0; g < groups.size(); ++g) {
        for (const auto& stem : groups[g]) {
            Phrase p;
            p.group = g;
            if (auto it = s.stems.find(stem); it != s.stems.end()) {
                p.begin = s.post_off[it->second];
                p.end = s.post_off[it->second + 1];
            }
            const auto hits = static_cast<std::int64_t>(p.end - p.begin);
            p.idf = std::log((static_cast<std::int64_t>(n) - hits + 0.5) / (hits + 0.5));
            if (p.idf <= 0.0) p.idf = 1e-6;
            group_postings[g] += p.end - p.begin;
            phrases.push_back(p);
        }
    }
    if (std::find(group_postings.begin(), group_postings.end(), 0) != group_postings.end()) return out;
    const std::uint32_t all = (1u << groups.size()) - 1;

    // Only the page's documents are kept in order: the best `keep` seen so far, the worst on
    // top of a heap, each with its sort key (relevance: the score; otherwise minus the
    // document's position in the sort order), ties by document (id).
    const bool by_relevance = sort == d::SearchSort::relevance;
    const auto& pos = positions_of(s, sort, l);
    struct Ranked {
        double key;
        std::uint32_t doc;
    };
    auto better = [](const Ranked& a, const Ranked& z) { return a.key != z.key ? a.key > z.key : a.doc < z.doc; };
    std::vector<Ranked> best;
    best.reserve(end);
    std::size_t matches = 0;
    auto consider = [&](std::uint32_t doc, double key) {
        ++matches;
        const Ranked r{key, doc};
        if (best.size() < end) {
            best.push_back(r);
            std::push_heap(best.begin(), best.end(), better);
        } else if (better(r, best.front())) {
            std::pop_heap(best.begin(), best.end(), better);
            best.back() = r;
            std::push_heap(best.begin(), best.end(), better);
        }
    };

    if (phrases.size() == 1) {
        // One word with one stem: each posting is a match and its score is that phrase's alone.
        const auto& p = phrases.front();
        for (auto i = p.begin; i < p.end; ++i) {
            const auto doc = s.post_doc[i];
            if (!pass(doc)) continue;
            if (by_relevance) {
                const double tf = s.post_tf[i];
                consider(doc, 0.0 + p.idf * ((tf * (k1 + 1.0)) / (tf + s.norm[doc])));
            } else {
                consider(doc, -static_cast<double>(pos[doc]));
            }
        }
    } else {
        thread_local Scratch scratch;
        scratch.prepare(n);
        const auto gen = scratch.generation;
        auto& stamp = scratch.stamp;
        auto& mask = scratch.mask;
        auto& score = scratch.score;
        for (const auto& p : phrases) {
            const std::uint32_t bit = 1u << p.group;
            for (auto i = p.begin; i < p.end; ++i) {
                const auto doc = s.post_doc[i];
                if (stamp[doc] != gen) {
                    stamp[doc] = gen;
                    mask[doc] = 0;
                    score[doc] = 0.0;
                }
                mask[doc] |= bit;
                const double tf = s.post_tf[i];
                score[doc] += p.idf * ((tf * (k1 + 1.0)) / (tf + s.norm[doc]));
            }
        }
        // Candidates: the documents of the group with the fewest postings holding every group.
        const auto driver =
            static_cast<std::uint32_t>(std::min_element(group_postings.begin(), group_postings.end()) - group_postings.begin());
        for (const auto& p : phrases) {
            if (p.group != driver) continue;
            for (auto i = p.begin; i < p.end; ++i) {
                const auto doc = s.post_doc[i];
                if (mask[doc] != all) continue;  // misses a group, or already taken
                mask[doc] |= collected;
                if (pass(doc)) consider(doc, by_relevance ? score[doc] : -static_cast<double>(pos[doc]));
            }
        }
    }
    set_count(out, matches);
    std::sort_heap(best.begin(), best.end(), better);
    for (auto i = offset; i < best.size(); ++i) out.ids.push_back(s.ids[best[i].doc]);
    return out;
}

}  // namespace

// ---- SearchIndex

SearchIndex::SearchIndex(Database& db, std::size_t inline_rebuild_below) : db_(db), inline_below_(inline_rebuild_below) {}

SearchIndex::~SearchIndex() {
    stop();
}

std::shared_ptr<const SearchSnapshot> SearchIndex::current() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

SearchIndex::Stats SearchIndex::stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
}

void SearchIndex::install(std::shared_ptr<const SearchSnapshot> s) {
    std::lock_guard lock(mutex_);
    ++stats_.rebuilds;
    // A slower build that started earlier must not replace a newer one.
    if (snapshot_ && snapshot_->version > s->version) return;
    stats_.services = s->ids.size();
    snapshot_ = std::move(s);
}

void SearchIndex::rebuild(Tx& tx) {
    install(build_search_snapshot(tx));
}

void SearchIndex::request_rebuild() {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    wanted_ = true;
    if (!thread_.joinable()) thread_ = std::thread([this] { worker(); });
    cv_.notify_one();
}

void SearchIndex::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void SearchIndex::worker() {
    std::unique_lock lock(mutex_);
    for (;;) {
        cv_.wait(lock, [&] { return wanted_ || stopping_; });
        if (stopping_) return;
        wanted_ = false;
        lock.unlock();
        bool failed = false;
        try {
            auto tx = db_.begin(TxMode::read);
            rebuild(*tx);
            tx->rollback();
        } catch (const std::exception&) {
            // The database answers the searches meanwhile; try again on a later request.
            failed = true;
        }
        lock.lock();
        if (failed) cv_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
    }
}

SearchResults SearchIndex::search(Tx& tx, const Clock& clock, const d::SearchFilters& f, Lang lang, int page_size) {
    const auto version = directory_version(tx);
    auto snap = current();
    if (!snap || snap->version != version) {
        const auto size =
            snap ? snap->ids.size() : static_cast<std::size_t>(tx.query_one("SELECT COUNT(*) FROM services")->i64(0));
        if (size < inline_below_) {
            std::lock_guard lock(inline_build_);
            snap = current();
            if (!snap || snap->version != version) {
                rebuild(tx);
                snap = current();
            }
        } else {
            request_rebuild();
        }
    }
    DirectoryRepo repo(tx, clock);
    if (!snap || snap->version != version) {
        std::lock_guard lock(mutex_);
        ++stats_.from_database;
        return repo.search(f, lang, page_size);
    }
    {
        std::lock_guard lock(mutex_);
        ++stats_.from_index;
    }
    auto page = rank(*snap, f, lang, page_size);
    SearchResults out;
    out.total = page.total;
    out.more = page.more;
    out.services = repo.summaries(page.ids);
    return out;
}

}  // namespace arrimage::store
