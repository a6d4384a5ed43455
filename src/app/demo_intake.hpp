#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds referrals and intakes at every stage to the demo data (load_demo_data): the area's
// rules with one rule of its own, and families referred along the developmental pathway to the
// demo coordinating agency, recorded by its intake coordinator from phone calls: one just
// received, one accepted and waiting for its intake, one in intake with its story recorded,
// one eligible, one not eligible (over 21), declined and sent on along another pathway; two
// families on the CSP waitlist, three with a coordinator assigned (the family's consent for the
// coordinator's organisation, one first contact made, two overdue), and one file closed with its
// reason. Each family's steps are spread over the days before today (the demo's own clock), so
// caseloads show what is due and overdue. The coordinators' languages are recorded. Through the
// repositories, so the audit trail holds those accesses. Deterministic but for today's date.
// Does nothing and returns false when the demo users are missing or referrals already exist.
bool load_demo_intake(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
