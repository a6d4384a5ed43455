#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds where the demo area's network stands and where it is going (load_demo_data,
// features/network), recorded by the demo coordinating agency's administrator through the
// repositories, each step on its own day before today (a clock set back):
//   - three self-assessments of the whole area's integration over about two years: mostly
//     cooperation, then coordination once the steering group met and information followed the
//     family's consent, then coordination with some collaboration (joint summer coverage, one plan
//     per family with a cross-sector team); one mark of integrated services, then two, then three;
//   - two assessments of the Youth Crisis Line partnership (demo_agreements.cpp), from
//     cooperation to coordination;
//   - the community plans registry (seed 004, tables 1 and 2): the town's community safety and
//     well-being plan (every 10 years, approved four years ago), its housing and homelessness plan
//     (every 10 years, its yearly progress report due within 30 days), the children's services
//     plan (every 5 years, its review due within 90 days), the demo Ontario Health Team's
//     population health management and equity plan (a fixed deadline, passed, under review), a
//     provincial policy review (ongoing, owned by a ministry), the health team's navigation
//     support model (in development) and the summer respite pilot's plan (retired).
// Owners that are not demo organisations (the health team, the consolidated municipal service
// manager, the ministry) are owner names. Then raises the plan reminders the demo's dates have
// earned (without their emails). Deterministic but for today's date. Does nothing and returns
// false when the administrator or one of the organisations is missing, or when an assessment
// or a plan exists.
bool load_demo_network(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
