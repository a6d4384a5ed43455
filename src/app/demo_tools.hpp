#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the demo area's library of common tools and forms (load_demo_data, features/network,
// docs/NETWORK.md "The library of common tools and forms"), written by SQL as the coordinating
// agency's administrator and the providers' managers would have recorded it, each row dated on
// its own day before today:
//   - seven tools: the consent to share information form (mandatory, version 2026-1 published
//     45 days ago after 2025-2), the common referral form (mandatory), the coordinated service
//     plan template (mandatory, version 3.0 published 20 days ago, its French file still the 2.1
//     one), the transition planning checklist (mandatory), the guide to the family's first
//     meeting (optional), a common screening tool (optional, its French file only) and a former
//     telephone intake sheet (retired);
//   - a small synthetic PDF per language (one page saying it is a fictional demonstration file);
//   - adoptions by the managers of Blue River, Maple, Demo North, the treatment centre, youth
//     mental health and home care, such that the adoption matrix shows every standing; the school
//     boards and the town have no manager and have adopted nothing.
// Deterministic but for today's date. Does nothing and returns false when the administrator, one
// of the managers or one of the organisations is missing, or when a tool exists.
bool load_demo_tools(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
