#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds referrals and intakes at every stage to the demo data (load_demo_data): the area's
// rules with one rule of its own, and families referred along the developmental pathway to the
// demo coordinating agency, recorded by its intake coordinator from phone calls: one just
// received, one accepted and waiting for its intake, one in intake with its story recorded,
// one eligible, and one not eligible (over 21), declined and sent on along another pathway.
// Through the repositories, so the audit trail holds those accesses. Deterministic. Does
// nothing and returns false when the demo users are missing or referrals already exist.
bool load_demo_intake(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
