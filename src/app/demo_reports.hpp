#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

// Adds the quarterly reports of the demo data (load_demo_data, after the referrals and intakes
// whose events they count): the coordinating agency's administrator generates the last quarter
// that has ended, reviews it and submits it, so the ministry's analyst has a report to read;
// and generates the quarter before as a draft. Through the repository, from the recorded
// events. Does nothing and returns false when the administrator is missing or a report exists.
bool load_demo_reports(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
