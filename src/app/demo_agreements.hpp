#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the agreements registry of the demo area (load_demo_data, features/agreements): eight
// agreements kept by the demo coordinating agency, recorded and moved by its administrator
// through the repository, each step on its own day before today (a clock set back), so the
// inventory shows every status and each agreement its history:
//   - CSP provider agreements with Fictional Maple Youth Centre (reviewed, evaluated and
//     renewed), Blue River Family Services (active, evaluated a year ago, its next review due
//     within 30 days) and Demo North Community Network (under review, expiring within 90 days);
//   - CSP participant agreements with the two school boards (active, its review overdue), with
//     the Demo Children's Treatment Centre (evaluated, then expired) and its replacement (draft);
//   - partnership agreements (seed 002) around the Youth Crisis Line (active) and a summer
//     respite pilot of community partners (terminated, with its reason).
// Then raises the agreements' reminders the demo's dates have earned (without their emails).
// Deterministic but for today's date. Does nothing and returns false when the administrator or
// one of the organisations is missing, or when an agreement exists.
bool load_demo_agreements(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
