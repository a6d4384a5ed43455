#include "store/transitions.hpp"

#include "core/time.hpp"

namespace arrimage::store {

Result<void> write_transition(Tx& tx, const Clock& clock, const LifecycleTables& where, const StatusWrite& w) {
    const std::string at = format_iso(clock.now());
    std::string sql = "UPDATE " + std::string(where.table) + " SET status = ?, updated_at = ?";
    Params params{std::string(w.to), at};
    for (const auto& [column, value] : w.also) {
        sql += ", " + std::string(column) + " = ?";
        params.push_back(value);
    }
    sql += " WHERE id = ? AND status = ?";
    params.emplace_back(w.id);
    params.emplace_back(std::string(w.from));
    if (tx.exec(sql, params) != 1) return Error::conflict("lifecycle.not_from_state");
    tx.exec("INSERT INTO " + std::string(where.events_table) + " (" + std::string(where.record_column) +
                ", at, user_id, event, status, note) VALUES (?, ?, ?, ?, ?, ?)",
            {w.id, at, w.user_id ? Value{*w.user_id} : Value{Null{}}, std::string(w.event), std::string(w.to), w.note});
    return {};
}

}  // namespace arrimage::store
