#pragma once
// The network map's data (features/network/domain/network_map.hpp, docs/NETWORK.md).
//
// Who: a ca_admin and a provider manager see their organisation's area; a ministry analyst every
// area (or one, with the area filter). Anyone else is refused (Forbidden); an area filter naming
// an area the reader may not see is not found.
//
// What: organisations and agreements, never a child or a family: no personal information, so the
// policy decision point is not asked. Read in a fixed number of queries whatever the size of the
// network (the map of 2,000 organisations and 10,000 agreements is benchmarked).
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "features/agreements/domain/agreements.hpp"
#include "features/network/domain/network_map.hpp"
#include "store/access.hpp"

namespace arrimage::store {

struct MapNode {
    std::int64_t id = 0;  // the organisation's
    std::string name_fr, name_en;
    std::int64_t sda_id = 0;
    std::string area_fr, area_en;
    domain::Sector sector = domain::Sector::childrens_services;
    std::vector<domain::CspRole> roles;
    bool agency = false;  // the coordinating agency of its area
    int in_force = 0;     // its agreements in force that are drawn (the kind filter applies)
    int ended = 0;        // its expired or terminated agreements drawn
    domain::MapStanding standing = domain::MapStanding::unconnected;
};

struct MapEdge {
    std::int64_t agreement_id = 0;
    std::string reference, title_fr, title_en;
    domain::AgreementKind kind = domain::AgreementKind::partnership;
    domain::AgreementStatus status = domain::AgreementStatus::active;
    bool in_force = false;
    std::vector<std::int64_t> parties;  // organisation ids, ascending (nodes of the map)
    // The reader's organisation is one of its parties, whatever the filters (drawn or not).
    bool reader_party = false;
};

struct NetworkMap {
    // Active organisations of the area(s) matching the sector and standing filters, by area then
    // English name (the page sorts by the reader's language).
    std::vector<MapNode> nodes;
    // Agreements of the area(s) matching the kind filter, drafts excluded, with at least one party
    // among the nodes; by reference.
    std::vector<MapEdge> edges;
    int connected = 0, lapsed = 0, unconnected = 0;  // over the nodes listed
};

struct MapArea {
    std::int64_t id = 0;
    std::string name_fr, name_en;
};

class NetworkMapRepo {
  public:
    explicit NetworkMapRepo(AccessContext ctx) : ctx_(std::move(ctx)) {}

    Result<NetworkMap> map(const domain::MapFilter& filter) const;
    // The areas the reader may filter by (their own, or every area for the ministry's analyst).
    Result<std::vector<MapArea>> areas() const;

  private:
    AccessContext ctx_;
};

}  // namespace arrimage::store
