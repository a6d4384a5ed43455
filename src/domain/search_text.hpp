#pragma once
// Search normalisation for the service directory, the same for what is indexed and what is
// searched, so both databases and both languages behave alike:
//
//   text → lower case, accents folded ("École" → "ecole", "œ" → "oe", NFD combining marks
//   dropped) → tokens of [a-z0-9] (everything else separates; one-letter tokens and a short
//   list of French and English stop words are dropped) → for each token, its Snowball stems in
//   French and in English, plus those of its "discipline" form (therapist → therapy,
//   physiothérapeute → physiothérapie, psychologue → psychologie), because Snowball keeps a
//   practitioner and their field apart and families search for either. A stem shorter than
//   four letters is replaced by the word without its final s, because Snowball's French
//   stemmer gives unrelated short words the same stub (répit and repas are both "rep").
//
// A document is indexed as the space-separated stems of its tokens. A query is one group of
// alternative stems per word; a document matches when it holds at least one stem of every
// group. Accents are folded before stemming so a query typed without accents finds accented
// text and the reverse ("repit" finds "répit"). Pure: no I/O.
#include <string>
#include <string_view>
#include <vector>

namespace arrimage::domain {

// Lower case with the accents of Latin-1 and Latin Extended-A letters removed and ligatures
// spelt out. Other characters are kept as they are.
std::string fold(std::string_view utf8);

// Folded words of at least two characters, stop words removed, in order.
std::vector<std::string> search_tokens(std::string_view utf8);

// The stems one folded token stands for: French and English Snowball stems of the token and
// of its discipline form, without duplicates.
std::vector<std::string> token_stems(std::string_view token);

// The text stored for full-text search: every token's stems, space-separated.
std::string index_text(std::string_view utf8);

struct SearchQuery {
    std::vector<std::vector<std::string>> groups;  // one group of alternative stems per word
    bool empty() const { return groups.empty(); }
};

// At most `max_words` words are kept; stop words alone give an empty query.
SearchQuery parse_search_query(std::string_view utf8, std::size_t max_words = 12);

// The query for SQLite FTS5 MATCH: ("a" OR "b") AND "c". Stems are [a-z0-9] only, so no
// FTS5 syntax can come from the user.
std::string fts5_match(const SearchQuery& q);
// The query for PostgreSQL to_tsquery('simple', ...): (a | b) & c.
std::string pg_tsquery(const SearchQuery& q);
// What both databases compute, in memory: every group has a stem in `indexed`.
bool search_matches(std::string_view indexed, const SearchQuery& q);

}  // namespace arrimage::domain
