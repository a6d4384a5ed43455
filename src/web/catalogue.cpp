#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/app.hpp"

namespace arrimage::embedded {
const std::map<std::string, std::string_view>& messages();
}

namespace arrimage::web {

// messages/fr.json and en.json, plus one pair per area (directory.fr.json, ...), merged.
// A key defined twice is a build defect and throws.
Catalogue load_catalogue() {
    std::vector<std::string_view> fr, en;
    for (const auto& [name, text] : embedded::messages()) {
        if (name == "fr.json" || name.ends_with(".fr.json"))
            fr.push_back(text);
        else if (name == "en.json" || name.ends_with(".en.json"))
            en.push_back(text);
    }
    return Catalogue::from_json_files(fr, en);
}

}  // namespace arrimage::web
