#pragma once
// The message catalogue: every user-visible string, in French and English.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace arrimage {

enum class Lang { fr, en };

std::string_view code(Lang lang);
std::optional<Lang> parse_lang(std::string_view code);
Lang other(Lang lang);
// Picks fr or en from an Accept-Language header by quality; English when neither appears.
Lang negotiate_lang(std::string_view accept_language);

class Catalogue {
  public:
    // Each text is a flat JSON object of key → message. Throws on malformed JSON: the
    // catalogue ships inside the binary, so that is a build defect, not user input.
    static Catalogue from_json(std::string_view fr_json, std::string_view en_json);
    // Several files per language merged; a key in two files throws.
    static Catalogue from_json_files(const std::vector<std::string_view>& fr, const std::vector<std::string_view>& en);

    // The message, with {0}, {1}... replaced by `args`. A missing key renders as the key
    // itself so the defect is visible; tests make sure it never happens.
    std::string t(Lang lang, std::string_view key, const std::vector<std::string>& args = {}) const;
    bool has(Lang lang, std::string_view key) const;
    const std::map<std::string, std::string, std::less<>>& all(Lang lang) const;

  private:
    std::map<std::string, std::string, std::less<>> fr_, en_;
};

std::string substitute(std::string_view pattern, const std::vector<std::string>& args);

}  // namespace arrimage
