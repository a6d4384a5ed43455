#pragma once
// The network repositories' common question: which service delivery area does the reader act in
// (their organisation's)? Internal to the feature's store.
#include <cstdint>
#include <optional>

#include "core/result.hpp"
#include "domain/identity.hpp"
#include "store/access.hpp"

namespace arrimage::store::network_area {

// The area of the reader's organisation, or Forbidden when nobody is signed in or it has none.
inline Result<std::int64_t> area_of(const AccessContext& ctx) {
    if (!ctx.actor) return Error::forbidden();
    const auto sda = ctx.tx.query_one("SELECT sda_id FROM organisations WHERE id = ?", {ctx.actor->organisation_id});
    if (!sda) return Error::forbidden();
    return sda->i64(0);
}

// The administrator's area (a ca_admin's organisation's), or Forbidden.
inline Result<std::int64_t> admin_area(const AccessContext& ctx) {
    if (!ctx.actor || ctx.actor->role != domain::Role::ca_admin) return Error::forbidden();
    return area_of(ctx);
}

// The one area a ca_admin or a provider manager reads (their organisation's), none for the
// ministry's analyst (every area); Forbidden for anyone else.
inline Result<std::optional<std::int64_t>> reader_area(const AccessContext& ctx) {
    if (!ctx.actor) return Error::forbidden();
    switch (ctx.actor->role) {
        case domain::Role::ministry_analyst:
            return std::optional<std::int64_t>{};
        case domain::Role::ca_admin:
        case domain::Role::provider_manager: {
            auto area = area_of(ctx);
            if (!area) return area.error();
            return std::optional<std::int64_t>{*area};
        }
        default:
            return Error::forbidden();
    }
}

}  // namespace arrimage::store::network_area
