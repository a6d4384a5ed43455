#include "domain/search_text.hpp"

#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace arrimage::domain {

namespace {

// U+00C0..U+017F (Latin-1 letters and Latin Extended-A) → lower-case ASCII. An empty entry
// (× and ÷) keeps the character as it is.
constexpr std::array<const char*, 0x180 - 0xC0> latin_folds = {
    // U+00C0 À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00D0 Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "ss",
    // U+00E0 à á â ã ä å æ ç è é ê ë ì í î ï
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "ae",
    "c",
    "e",
    "e",
    "e",
    "e",
    "i",
    "i",
    "i",
    "i",
    // U+00F0 ð ñ ò ó ô õ ö ÷ ø ù ú û ü ý þ ÿ
    "d",
    "n",
    "o",
    "o",
    "o",
    "o",
    "o",
    "",
    "o",
    "u",
    "u",
    "u",
    "u",
    "y",
    "th",
    "y",
    // U+0100 Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č Ď ď
    "a",
    "a",
    "a",
    "a",
    "a",
    "a",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "c",
    "d",
    "d",
    // U+0110 Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě Ĝ ĝ Ğ ğ
    "d",
    "d",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "e",
    "g",
    "g",
    "g",
    "g",
    // U+0120 Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ Ĩ ĩ Ī ī Ĭ ĭ Į į
    "g",
    "g",
    "g",
    "g",
    "h",
    "h",
    "h",
    "h",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    "i",
    // U+0130 İ ı Ĳ ĳ Ĵ ĵ Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ
    "i",
    "i",
    "ij",
    "ij",
    "j",
    "j",
    "k",
    "k",
    "k",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    "l",
    // U+0140 ŀ Ł ł Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ Ō ō Ŏ ŏ
    "l",
    "l",
    "l",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "n",
    "o",
    "o",
    "o",
    "o",
    // U+0150 Ő ő Œ œ Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş
    "o",
    "o",
    "oe",
    "oe",
    "r",
    "r",
    "r",
    "r",
    "r",
    "r",
    "s",
    "s",
    "s",
    "s",
    "s",
    "s",
    // U+0160 Š š Ţ ţ Ť ť Ŧ ŧ Ũ ũ Ū ū Ŭ ŭ Ů ů
    "s",
    "s",
    "t",
    "t",
    "t",
    "t",
    "t",
    "t",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    "u",
    // U+0170 Ű ű Ų ų Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
    "u",
    "u",
    "u",
    "u",
    "w",
    "w",
    "y",
    "y",
    "y",
    "z",
    "z",
    "z",
    "z",
    "z",
    "z",
    "s",
};

constexpr std::string_view stop_words[] = {
    // French
    "au",
    "aux",
    "avec",
    "ce",
    "ces",
    "cet",
    "cette",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "en",
    "et",
    "il",
    "ils",
    "la",
    "le",
    "les",
    "leur",
    "leurs",
    "mais",
    "ne",
    "ni",
    "nos",
    "notre",
    "nous",
    "ou",
    "par",
    "pour",
    "qu",
    "que",
    "qui",
    "sa",
    "se",
    "ses",
    "son",
    "sont",
    "sur",
    "ta",
    "te",
    "tes",
    "ton",
    "un",
    "une",
    "vos",
    "votre",
    "vous",
    // English
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "by",
    "for",
    "from",
    "in",
    "into",
    "is",
    "it",
    "its",
    "of",
    "on",
    "or",
    "our",
    "that",
    "the",
    "their",
    "these",
    "this",
    "those",
    "to",
    "was",
    "we",
    "were",
    "with",
    "you",
    "your",
};

bool is_stop_word(std::string_view w) {
    return std::find(std::begin(stop_words), std::end(stop_words), w) != std::end(stop_words);
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 when malformed.
std::size_t decode(std::string_view s, std::size_t i, std::uint32_t& cp) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (c < 0x80) {
        cp = c;
        return 1;
    }
    if ((c & 0xE0) == 0xC0)
        len = 2, cp = c & 0x1F;
    else if ((c & 0xF0) == 0xE0)
        len = 3, cp = c & 0x0F;
    else if ((c & 0xF8) == 0xF0)
        len = 4, cp = c & 0x07;
    else
        return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto cc = static_cast<unsigned char>(s[i + k]);
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3F);
    }
    return len;
}

bool token_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

class Stemmer {
  public:
    explicit Stemmer(const char* language) : s_(sb_stemmer_new(language, "UTF_8")) {
        if (!s_) throw std::runtime_error(std::string("no Snowball stemmer for ") + language);
    }
    ~Stemmer() { sb_stemmer_delete(s_); }
    Stemmer(const Stemmer&) = delete;
    Stemmer& operator=(const Stemmer&) = delete;

    std::string stem(std::string_view word) {
        const sb_symbol* out =
            sb_stemmer_stem(s_, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
        if (!out) throw std::bad_alloc();
        return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(s_)));
    }

  private:
    sb_stemmer* s_;
};

// A Snowball stemmer keeps state between calls: one per thread and language.
Stemmer& french() {
    thread_local Stemmer s("french");
    return s;
}
Stemmer& english() {
    thread_local Stemmer s("english");
    return s;
}

// Practitioner → discipline, on folded words long enough not to be something else:
// therapist(s) → therapy, orthophoniste(s) → orthophonie, physiotherapeute(s) →
// physiotherapie, psychologue(s) → psychologie.
std::string discipline_form(std::string_view t) {
    struct Rule {
        std::string_view suffix, replacement;
    };
    static constexpr Rule rules[] = {
        {"ists", "y"},   {"ist", "y"},   {"istes", "ie"},     {"iste", "ie"},
        {"eutes", "ie"}, {"eute", "ie"}, {"logues", "logie"}, {"logue", "logie"},
    };
    if (t.size() < 8) return {};
    for (const auto& r : rules)
        if (t.ends_with(r.suffix)) return std::string(t.substr(0, t.size() - r.suffix.size())) + std::string(r.replacement);
    return {};
}

// Snowball's French stemmer cuts some short words to a few letters that unrelated words share
// (répit → "rep", repas → "rep"). A stem under four letters is replaced by the word itself,
// without a final s.
std::string guarded_stem(Stemmer& stemmer, const std::string& word) {
    std::string s = stemmer.stem(word);
    if (s.size() >= 4 || s.size() >= word.size()) return s;
    if (word.size() > 4 && word.back() == 's') return word.substr(0, word.size() - 1);
    return word;
}

void add_unique(std::vector<std::string>& out, std::string s) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), token_char)) return;
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
}

}  // namespace

std::string fold(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp = 0;
        const std::size_t len = decode(s, i, cp);
        if (len == 0) {
            out.push_back(s[i]);
            ++i;
            continue;
        }
        if (cp >= 'A' && cp <= 'Z') {
            out.push_back(static_cast<char>(cp + 32));
        } else if (cp >= 0xC0 && cp < 0x180 && *latin_folds[cp - 0xC0]) {
            out += latin_folds[cp - 0xC0];
        } else if (cp >= 0x300 && cp <= 0x36F) {
            // A combining accent (text in decomposed form): dropped with the accent it adds.
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::vector<std::string> search_tokens(std::string_view s) {
    const std::string folded = fold(s);
    std::vector<std::string> out;
    std::string word;
    auto flush = [&] {
        if (word.size() >= 2 && !is_stop_word(word)) out.push_back(word);
        word.clear();
    };
    for (char c : folded) {
        if (token_char(c))
            word.push_back(c);
        else
            flush();
    }
    flush();
    return out;
}

std::vector<std::string> token_stems(std::string_view token) {
    std::vector<std::string> out;
    for (const std::string& w : {std::string(token), discipline_form(token)}) {
        if (w.empty()) continue;
        add_unique(out, guarded_stem(french(), w));
        add_unique(out, guarded_stem(english(), w));
    }
    return out;
}

std::string index_text(std::string_view s) {
    std::string out;
    for (const auto& token : search_tokens(s)) {
        for (const auto& stem : token_stems(token)) {
            if (!out.empty()) out.push_back(' ');
            out += stem;
        }
    }
    return out;
}

SearchQuery parse_search_query(std::string_view s, std::size_t max_words) {
    SearchQuery q;
    for (const auto& token : search_tokens(s)) {
        if (q.groups.size() >= max_words) break;
        auto group = token_stems(token);
        if (group.empty() || std::find(q.groups.begin(), q.groups.end(), group) != q.groups.end()) continue;
        q.groups.push_back(std::move(group));
    }
    return q;
}

std::string fts5_match(const SearchQuery& q) {
    std::string out;
    for (const auto& group : q.groups) {
        if (!out.empty()) out += " AND ";
        if (group.size() > 1) out += '(';
        for (std::size_t i = 0; i < group.size(); ++i) out += (i ? " OR \"" : "\"") + group[i] + '"';
        if (group.size() > 1) out += ')';
    }
    return out;
}

std::string pg_tsquery(const SearchQuery& q) {
    std::string out;
    for (const auto& group : q.groups) {
        if (!out.empty()) out += " & ";
        if (group.size() > 1) out += '(';
        for (std::size_t i = 0; i < group.size(); ++i) out += (i ? " | " : "") + group[i];
        if (group.size() > 1) out += ')';
    }
    return out;
}

bool search_matches(std::string_view indexed, const SearchQuery& q) {
    std::vector<std::string_view> terms;
    while (!indexed.empty()) {
        const auto sp = indexed.find(' ');
        if (sp != 0) terms.push_back(indexed.substr(0, sp));
        if (sp == std::string_view::npos) break;
        indexed.remove_prefix(sp + 1);
    }
    return std::all_of(q.groups.begin(), q.groups.end(), [&](const std::vector<std::string>& group) {
        return std::any_of(group.begin(), group.end(),
                           [&](const std::string& stem) { return std::find(terms.begin(), terms.end(), stem) != terms.end(); });
    });
}

}  // namespace arrimage::domain
