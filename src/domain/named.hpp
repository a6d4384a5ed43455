#pragma once
// Stable codes of the domain's enums: each .cpp lists its values once as a table of
// {value, code} and derives code(), parse_...() and all_...() from it. Internal to domain/.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace arrimage::domain::detail {

template <typename E>
struct Named {
    E value;
    std::string_view code;
};

template <typename E, std::size_t N>
std::string_view code_of(const Named<E> (&names)[N], E v) {
    for (const auto& n : names)
        if (n.value == v) return n.code;
    return "";
}

template <typename E, std::size_t N>
std::optional<E> parse_of(const Named<E> (&names)[N], std::string_view s) {
    for (const auto& n : names)
        if (n.code == s) return n.value;
    return std::nullopt;
}

template <typename E, std::size_t N>
std::vector<E> values_of(const Named<E> (&names)[N]) {
    std::vector<E> out;
    out.reserve(N);
    for (const auto& n : names) out.push_back(n.value);
    return out;
}

}  // namespace arrimage::domain::detail
