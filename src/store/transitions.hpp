#pragma once
// The one store operation that writes a status (docs/ARCHITECTURE.md, "Lifecycles").
// fire_transition asks the record's lifecycle table (domain/lifecycle.hpp) whether the move is
// allowed from the status the repository read, then write_transition
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
#include "domain/lifecycle.hpp"
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

// Fires `event` on record `id`, in status `from`, for someone of relationship `who`: the
// table's decision (domain::Lifecycle::fire), then write_transition. The new status, or the
// table's refusal or the compare-and-set's Conflict, with nothing written.
template <typename State, typename Event, typename Facts>
Result<State> fire_transition(Tx& tx, const Clock& clock, const LifecycleTables& where,
                              const domain::Lifecycle<State, Event, Facts>& table, std::int64_t id, State from, Event event,
                              domain::Relationship who, const Facts& facts, std::optional<std::int64_t> user_id,
                              std::string note = {}, std::vector<std::pair<std::string_view, Value>> also = {}) {
    auto row = table.fire(from, event, who, facts);
    if (!row) return row.error();
    auto written = write_transition(tx, clock, where,
                                    {id, table.state_code(from), table.event_code(event), table.state_code((*row)->to), user_id,
                                     std::move(note), std::move(also)});
    if (!written) return written.error();
    return (*row)->to;
}

}  // namespace arrimage::store
