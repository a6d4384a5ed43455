#pragma once
// The one store operation that writes a status (docs/ARCHITECTURE.md, "Lifecycles"). A
// repository first asks its lifecycle table (domain/lifecycle.hpp) whether the move is
// allowed from the status it read, then calls write_transition, which
//   1. sets the status with a compare-and-set on the status it expects:
//        UPDATE <table> SET status = ?, updated_at = ?, <also...> WHERE id = ? AND status = ?
//      exactly one row changed, else Conflict "lifecycle.not_from_state" (someone else moved
//      the record since it was read: a second tab, a double click, a concurrent request; on
//      PostgreSQL at READ COMMITTED the second writer waits for the first and then finds the
//      status changed);
//   2. writes the event row (who, when, which event, to which status, the note) in the same
//      transaction.
// Nothing else in the store writes a status column.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/db.hpp"

namespace arrimage::store {

// Where a lifecycle lives: the record's table and its events table. Names come from code,
// never from input.
struct LifecycleTables {
    std::string_view table;          // e.g. "referrals"
    std::string_view events_table;   // e.g. "referral_events"
    std::string_view record_column;  // the events table's reference to the record, e.g. "referral_id"
};

struct StatusWrite {
    std::int64_t id = 0;
    std::string_view from, event, to;     // codes
    std::optional<std::int64_t> user_id;  // empty: the system
    std::string note;
    // Other columns the same statement sets with the status (e.g. a decline's reason).
    std::vector<std::pair<std::string_view, Value>> also;
};

Result<void> write_transition(Tx& tx, const Clock& clock, const LifecycleTables& where, const StatusWrite& w);

}  // namespace arrimage::store
