#pragma once
#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::app {

bool load_demo_outreach(store::Database& db, const Clock& clock);

}  // namespace arrimage::app
