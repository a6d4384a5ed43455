#include "features/network/store/network_map_repo.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "features/network/store/reader_area.hpp"

namespace arrimage::store {

namespace d = domain;

namespace {

using network_area::reader_area;

// The area the map is drawn for: the reader's own, the one the filter names when the reader may
// see it (NotFound otherwise, nothing learnt about it), or none (every area) for the analyst.
Result<std::optional<std::int64_t>> map_area(const AccessContext& ctx, const std::optional<std::int64_t>& wanted) {
    auto own = reader_area(ctx);
    if (!own) return own.error();
    if (!wanted) return *own;
    if (*own) {
        if (**own != *wanted) return Error::not_found();
        return *own;
    }
    if (!ctx.tx.query_one("SELECT 1 FROM service_delivery_areas WHERE id = ?", {*wanted})) return Error::not_found();
    return std::optional<std::int64_t>{*wanted};
}

}  // namespace

Result<NetworkMap> NetworkMapRepo::map(const d::MapFilter& filter) const {
    auto area = map_area(ctx_, filter.area);
    if (!area) return area.error();

    // The active organisations of the area(s) and sector, one row per role (or one without).
    std::string org_where = "WHERE o.active = 1";
    Params org_params;
    if (*area) org_where += " AND o.sda_id = ?", org_params.emplace_back(**area);
    if (filter.sector) org_where += " AND o.sector = ?", org_params.emplace_back(std::string(d::code(*filter.sector)));
    std::vector<MapNode> candidates;
    std::unordered_map<std::int64_t, std::size_t> candidate_of;  // organisation -> index in candidates
    for (const auto& r : ctx_.tx.query("SELECT o.id, o.name_fr, o.name_en, o.sda_id, s.name_fr, s.name_en, o.sector, "
                                       "COALESCE(c.csp_role, '') FROM organisations o JOIN service_delivery_areas s ON s.id = "
                                       "o.sda_id LEFT JOIN organisation_csp_roles c ON c.organisation_id = o.id " +
                                           org_where + " ORDER BY s.name_en, s.id, o.name_en, o.id, c.csp_role",
                                       org_params)) {
        const std::int64_t id = r.i64(0);
        auto [it, added] = candidate_of.try_emplace(id, candidates.size());
        if (added) {
            MapNode n;
            n.id = id;
            n.name_fr = r.str(1);
            n.name_en = r.str(2);
            n.sda_id = r.i64(3);
            n.area_fr = r.str(4);
            n.area_en = r.str(5);
            n.sector = d::parse_sector(r.str(6)).value_or(d::Sector::childrens_services);
            candidates.push_back(std::move(n));
        }
        if (const auto role = d::parse_csp_role(r.str(7))) {
            auto& n = candidates[it->second];
            n.roles.push_back(*role);
            if (*role == d::CspRole::coordinating_agency) n.agency = true;
        }
    }

    // The agreements drawn (never a draft; of the kind asked for), by reference, then their
    // parties: two queries rather than one joined, so that each title is read once.
    std::string agreement_where = "WHERE a.status <> 'draft'";
    Params agreement_params;
    if (*area) agreement_where += " AND a.sda_id = ?", agreement_params.emplace_back(**area);
    if (filter.kind) agreement_where += " AND a.kind = ?", agreement_params.emplace_back(*filter.kind);
    std::vector<MapEdge> drawn;
    std::unordered_map<std::int64_t, std::size_t> drawn_of;  // agreement -> index in drawn
    for (const auto& r : ctx_.tx.query("SELECT a.id, a.reference, a.title_fr, a.title_en, a.kind, a.status FROM agreements a " +
                                           agreement_where + " ORDER BY a.reference, a.id",
                                       agreement_params)) {
        MapEdge e;
        e.agreement_id = r.i64(0);
        e.reference = r.str(1);
        e.title_fr = r.str(2);
        e.title_en = r.str(3);
        e.kind = d::parse_agreement_kind(r.str(4)).value_or(d::AgreementKind::partnership);
        e.status = d::parse_agreement_status(r.str(5)).value_or(d::AgreementStatus::terminated);
        e.in_force = d::in_force(e.status);
        drawn_of.emplace(e.agreement_id, drawn.size());
        drawn.push_back(std::move(e));
    }
    for (const auto& r : ctx_.tx.query("SELECT p.agreement_id, p.organisation_id FROM agreement_parties p JOIN agreements a ON "
                                       "a.id = p.agreement_id " +
                                           agreement_where,
                                       agreement_params)) {
        const auto edge = drawn_of.find(r.i64(0));
        if (edge == drawn_of.end()) continue;
        auto& e = drawn[edge->second];
        // Told from every party, before the filters keep only some of them as nodes.
        if (r.i64(1) == ctx_.actor->organisation_id) e.reader_party = true;
        // Only the parties that may be nodes: an organisation since deactivated, or of another
        // sector than the one asked for, is not drawn.
        const auto node = candidate_of.find(r.i64(1));
        if (node == candidate_of.end()) continue;
        e.parties.push_back(r.i64(1));
        (e.in_force ? candidates[node->second].in_force : candidates[node->second].ended) += 1;
    }

    NetworkMap out;
    std::unordered_set<std::int64_t> listed;
    for (auto& n : candidates) {
        n.standing = d::map_standing(n.in_force, n.ended);
        if (filter.standing && n.standing != *filter.standing) continue;
        switch (n.standing) {
            case d::MapStanding::connected:
                ++out.connected;
                break;
            case d::MapStanding::lapsed:
                ++out.lapsed;
                break;
            case d::MapStanding::unconnected:
                ++out.unconnected;
                break;
        }
        listed.insert(n.id);
        out.nodes.push_back(std::move(n));
    }
    for (auto& e : drawn) {
        std::erase_if(e.parties, [&](std::int64_t p) { return !listed.count(p); });
        std::sort(e.parties.begin(), e.parties.end());
        if (!e.parties.empty()) out.edges.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<MapArea>> NetworkMapRepo::areas() const {
    auto own = reader_area(ctx_);
    if (!own) return own.error();
    std::vector<MapArea> out;
    const std::string sql = std::string("SELECT id, name_fr, name_en FROM service_delivery_areas ") +
                            (*own ? "WHERE id = ? " : "") + "ORDER BY name_en, id";
    Params params;
    if (*own) params.emplace_back(**own);
    for (const auto& r : ctx_.tx.query(sql, params)) out.push_back({r.i64(0), r.str(1), r.str(2)});
    return out;
}

}  // namespace arrimage::store
