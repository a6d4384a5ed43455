#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds a handful of clearly synthetic children and youth to the demo data (load_demo_data):
// "Demo" family names, one family contact each, an assigned coordinator from the demo
// providers, a consent directive each but one (a referral just received), and one lockbox
// entry. Registered by the demo coordinating agency's coordinator through the PersonRepo, so
// the audit trail starts with those accesses. Deterministic. Does nothing and returns false
// when the demo users are missing or children already exist.
bool load_demo_people(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
