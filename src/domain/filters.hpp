#pragma once
// Field checks of list filters (query parameters): each optional, empty meaning "any", anything
// else a field error ("field.choose_from_list") when not in its list. The agreements inventory
// and the governance decisions log use them. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "domain/identity.hpp"

namespace arrimage::domain {

// An optional choice: empty is none, anything else must be in the list.
template <typename E>
void optional_choice(std::vector<FieldError>& e, const std::string& field, std::string_view raw,
                     std::optional<E> (*parse)(std::string_view), std::optional<E>& out) {
    const std::string s = trim(raw);
    out.reset();
    if (s.empty()) return;
    if (auto v = parse(s))
        out = *v;
    else
        e.push_back({field, "field.choose_from_list", {}});
}

// An optional id: empty is none, anything else must be an id.
inline void optional_id(std::vector<FieldError>& e, const std::string& field, std::string_view raw,
                        std::optional<std::int64_t>& out) {
    const std::string s = trim(raw);
    out.reset();
    if (s.empty()) return;
    out = parse_id(s);
    if (!out) e.push_back({field, "field.choose_from_list", {}});
}

}  // namespace arrimage::domain
