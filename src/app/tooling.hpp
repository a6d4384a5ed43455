#pragma once
// The command-line tools' way to an access context (store/access.hpp): the demo loaders act as
// a demo user under one of that user's memberships, their audit rows marked "cli:demo-data".
#include <cstdint>
#include <optional>

#include "core/clock.hpp"
#include "store/access.hpp"

namespace arrimage::app {

struct Tooling {
    static std::optional<store::AccessContext> demo_loader(store::Tx& tx, const Clock& clock, std::int64_t user_id,
                                                           std::int64_t organisation_id) {
        return store::AccessMint::tool(tx, clock, user_id, organisation_id, "demo-data");
    }
    // The demo's family member joining with their invitation's code, as on the public page.
    static store::AccessContext demo_visitor(store::Tx& tx, const Clock& clock) {
        return store::AccessMint::anonymous(tx, clock, "cli:demo-data");
    }
    // The demo's family account, signed in.
    static std::optional<store::AccessContext> demo_family(store::Tx& tx, const Clock& clock, std::int64_t user_id) {
        domain::Principal p;
        p.user_id = user_id;
        p.family = true;
        return store::AccessMint::family(tx, clock, p, "cli:demo-data");
    }
};

}  // namespace arrimage::app
