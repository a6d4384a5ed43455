#pragma once
// Mustache templates (auto-escaping) fed from JSON view models. Templates read messages as
// {{t.some.key}} in the request's language, straight from the catalogue. Templates are parsed
// once per io thread (the parser's render is not safe to share between threads).
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/i18n.hpp"

namespace arrimage::web {

class Views {
  public:
    // Templates come from the binary (embedded at build time); throws if one fails to parse.
    explicit Views(const Catalogue& catalogue);
    std::string render(const std::string& name, const nlohmann::json& model, Lang lang) const;
    bool has(const std::string& name) const;
    const std::map<std::string, std::string>& sources() const { return sources_; }

  private:
    const Catalogue& catalogue_;
    std::map<std::string, std::string> sources_;
};

// A row of a view model without its empty strings: a template's section shows for any string,
// even an empty one.
nlohmann::json present(nlohmann::json row);

}  // namespace arrimage::web
