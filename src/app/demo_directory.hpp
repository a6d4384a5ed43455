#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the demo service directory to the demo data (load_demo_data): about fifteen clearly
// fictional services of the demo organisations with categories, languages, locations and
// waitlists (two of them not confirmed for 45 days, to show the "may be out of date" flag),
// and referral pathways for the demo SDA. Deterministic. Does nothing and returns false when
// the demo organisations are missing or services already exist.
bool load_demo_directory(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
