#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the governance of the demo area (load_demo_data, features/governance), written through
// the repository by the demo coordinating agency's administrator and, for what is theirs, by the
// member organisations' managers, each step on its own day before today (a clock set back):
//   - the cross-sectoral CSP steering group: the agency, the three CSP providers, the Demo
//     Children's Treatment Centre and Demo Home and Community Care, and the Town of Demoville as
//     a former member; four meetings (minutes approved, held, cancelled, scheduled within a
//     month), seven decisions (open, one of them overdue and one due within a week, in progress
//     with the owner's follow-up notes, done, cancelled), last year's report signed by every
//     member and submitted, this year's a draft;
//   - the summer coverage working group of the three providers: a meeting held, a decision
//     open, last year's report circulating with Blue River's and Maple's signatures missing.
// Then raises the governance reminders the demo's dates have earned (without their emails).
// Deterministic but for today's date. Does nothing and returns false when one of the people or
// organisations is missing, or when a committee exists.
bool load_demo_governance(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
