#pragma once
// The network map (docs/NETWORK.md): the organisations of an area (or of every area, for the
// ministry) and the agreements between them, drawn as a graph and given as tables. An
// organisation with no agreement in force stands out: lapsed when its agreements have all ended
// (expired or terminated), unconnected when it never had one (drafts do not count).
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "domain/identity.hpp"

namespace arrimage::domain {

enum class MapStanding : std::uint8_t { connected, lapsed, unconnected };
const std::vector<MapStanding>& all_map_standings();
std::string_view code(MapStanding s);
std::optional<MapStanding> parse_map_standing(std::string_view s);
// `in_force`: the organisation's agreements in force (active, under review, renewed) that count;
// `ended`: those expired or terminated. Connected with one in force; else lapsed with one ended;
// else unconnected.
MapStanding map_standing(int in_force, int ended);

// As in the URL (/network/map?area=&sector=&kind=&standing=), each optional.
struct MapQuery {
    std::string area, sector, kind, standing;
};
struct MapFilter {
    std::optional<std::int64_t> area;  // a service delivery area's id
    std::optional<Sector> sector;      // the organisations' sector
    // Only agreements of this kind (its code: the agreements registry's kinds) are drawn and counted.
    std::optional<std::string> kind;
    std::optional<MapStanding> standing;  // only organisations standing so are listed
};
// Field errors or `out` filled: a value that is not a positive id, a sector, an agreement kind
// (`is_agreement_kind`: the agreements registry's own check, which this domain may not include)
// or a standing code → "field.choose_from_list" on the parameter's name; empty values are no
// filter.
std::vector<FieldError> validate(const MapQuery& in, bool (*is_agreement_kind)(std::string_view), MapFilter& out);

}  // namespace arrimage::domain
