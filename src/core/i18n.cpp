#include "core/i18n.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <stdexcept>

#include "core/text.hpp"

namespace arrimage {

std::string_view code(Lang lang) {
    return lang == Lang::fr ? "fr" : "en";
}

std::optional<Lang> parse_lang(std::string_view c) {
    if (c == "fr") return Lang::fr;
    if (c == "en") return Lang::en;
    return std::nullopt;
}

Lang other(Lang lang) {
    return lang == Lang::fr ? Lang::en : Lang::fr;
}

Lang negotiate_lang(std::string_view header) {
    double best_q = -1;
    Lang best = Lang::en;
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view item = header.substr(0, comma);
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const auto semi = item.find(';');
        std::string tag = ascii_lower(trim(item.substr(0, semi)));
        double q = 1.0;
        if (semi != std::string_view::npos) {
            const std::string params = trim(item.substr(semi + 1));
            if (params.rfind("q=", 0) == 0) q = std::strtod(params.c_str() + 2, nullptr);
        }
        std::optional<Lang> lang;
        if (tag == "fr" || tag.rfind("fr-", 0) == 0)
            lang = Lang::fr;
        else if (tag == "en" || tag.rfind("en-", 0) == 0)
            lang = Lang::en;
        if (lang && q > 0 && q > best_q) {
            best_q = q;
            best = *lang;
        }
    }
    return best;
}

std::string substitute(std::string_view pattern, const std::vector<std::string>& args) {
    std::string out;
    out.reserve(pattern.size());
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' && pattern[i + 1] >= '0' &&
            pattern[i + 1] <= '9') {
            const auto idx = static_cast<std::size_t>(pattern[i + 1] - '0');
            if (idx < args.size()) {
                out += args[idx];
                i += 2;
                continue;
            }
        }
        out.push_back(pattern[i]);
    }
    return out;
}

static void load(std::map<std::string, std::string, std::less<>>& into, std::string_view text) {
    const auto j = nlohmann::json::parse(text);
    for (const auto& [k, v] : j.items())
        if (!into.emplace(k, v.get<std::string>()).second) throw std::runtime_error("message key defined twice: " + k);
}

Catalogue Catalogue::from_json(std::string_view fr_json, std::string_view en_json) {
    return from_json_files({fr_json}, {en_json});
}

Catalogue Catalogue::from_json_files(const std::vector<std::string_view>& fr, const std::vector<std::string_view>& en) {
    Catalogue c;
    for (auto text : fr) load(c.fr_, text);
    for (auto text : en) load(c.en_, text);
    return c;
}

std::string Catalogue::t(Lang lang, std::string_view key, const std::vector<std::string>& args) const {
    const auto& m = all(lang);
    const auto it = m.find(key);
    if (it == m.end()) return std::string(key);
    return args.empty() ? it->second : substitute(it->second, args);
}

bool Catalogue::has(Lang lang, std::string_view key) const {
    return all(lang).contains(key);
}

const std::map<std::string, std::string, std::less<>>& Catalogue::all(Lang lang) const {
    return lang == Lang::fr ? fr_ : en_;
}

}  // namespace arrimage
