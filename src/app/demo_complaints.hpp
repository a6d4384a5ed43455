#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the complaints register of the demo area (load_demo_data, features/complaints), written
// through the repository, each step on its own day up to today (a clock set back), by whoever
// takes it: the public form (named and anonymous complainants), the demo's family account, the
// staff of the organisations that raise complaints, and the coordinating agency (its
// administrator, who triages, closes and decides appeals, and the owners among its staff).
// The area's deadlines are set first (acknowledge within 5 days, resolve within 30, appeal
// within 15), then ten complaints:
//   - every status: two received (one from the family account today, one anonymous yesterday),
//     one triaged, two acknowledged (one past its resolution deadline, one due tomorrow), one
//     resolved with its appeal window still open, one appealed by the provider that raised it,
//     one closed after its appeal was decided, one closed once its appeal window had passed, one
//     withdrawn;
//   - every source: the public form (named and anonymous), the family account, the staff of
//     organisations, one of them a conflict between two providers;
//   - owned by the agency's administrator, its privacy officer and its coordinator (signed in as
//     coord.ca@…, she owns three open ones: one overdue, one due soon); the administrator reads
//     the whole register.
// Then raises the complaint reminders the demo's dates have earned (without their emails).
// Loaded before the quarterly reports, which count the register's events. Deterministic but for
// today's date. Does nothing and returns false when one of the people or organisations is
// missing, or when a complaint exists.
bool load_demo_complaints(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
