#include "features/network/domain/network_map.hpp"

#include "domain/filters.hpp"
#include "domain/named.hpp"

namespace arrimage::domain {

using detail::code_of;
using detail::Named;
using detail::parse_of;
using detail::values_of;

namespace {

constexpr Named<MapStanding> standing_names[] = {
    {MapStanding::connected, "connected"},
    {MapStanding::lapsed, "lapsed"},
    {MapStanding::unconnected, "unconnected"},
};

}  // namespace

const std::vector<MapStanding>& all_map_standings() {
    static const auto v = values_of(standing_names);
    return v;
}
std::string_view code(MapStanding s) {
    return code_of(standing_names, s);
}
std::optional<MapStanding> parse_map_standing(std::string_view s) {
    return parse_of(standing_names, s);
}

MapStanding map_standing(int in_force, int ended) {
    if (in_force > 0) return MapStanding::connected;
    if (ended > 0) return MapStanding::lapsed;
    return MapStanding::unconnected;
}

std::vector<FieldError> validate(const MapQuery& in, bool (*is_agreement_kind)(std::string_view), MapFilter& out) {
    std::vector<FieldError> e;
    optional_id(e, "area", in.area, out.area);
    optional_choice(e, "sector", in.sector, &parse_sector, out.sector);
    out.kind.reset();
    if (const std::string kind = trim(in.kind); !kind.empty()) {
        if (is_agreement_kind(kind))
            out.kind = kind;
        else
            e.push_back({"kind", "field.choose_from_list", {}});
    }
    optional_choice(e, "standing", in.standing, &parse_map_standing, out.standing);
    return e;
}

}  // namespace arrimage::domain
