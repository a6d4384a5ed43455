#include "store/db.hpp"

#include <algorithm>
#include <charconv>
#include <thread>

#include "store/connect.hpp"
#include "store/pg/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace arrimage::store {

static const std::string empty_string;

DriverCounters& driver_counters() {
    static DriverCounters counters;
    return counters;
}

const std::string& Row::str(std::size_t i) const {
    const auto& c = cols_.at(i);
    return c ? *c : empty_string;
}

std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
    const auto& c = cols_.at(i);
    if (!c) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), v);
    if (ec != std::errc{}) throw DbError(DbError::Kind::other, "column is not an integer");
    (void)p;
    return v;
}

std::int64_t Row::i64(std::size_t i) const {
    return opt_i64(i).value_or(0);
}

bool Row::boolean(std::size_t i) const {
    const auto& c = cols_.at(i);
    return c && (*c == "1" || *c == "t" || *c == "true");
}

std::optional<Row> Tx::query_one(std::string_view sql, const Params& params) {
    auto rows = query(sql, params);
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

bool Database::ping() {
    try {
        auto tx = begin(TxMode::read);
        tx->query("SELECT 1");
        tx->commit();
        return true;
    } catch (const DbError&) {
        return false;
    }
}

void plan_for_bulk_writes(Tx& tx) {
    if (tx.dialect() == Dialect::postgres) tx.exec("SET LOCAL plan_cache_mode = force_custom_plan");
}

void analyze(Database& db) {
    auto tx = db.begin(TxMode::write);
    tx->exec_script("ANALYZE");
    tx->commit();
}

void analyze_if_never_done(Database& db) {
    if (db.dialect() != Dialect::sqlite) return;
    bool done = false;
    {
        auto tx = db.begin(TxMode::read);
        done = tx->query_one("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").has_value();
        tx->commit();
    }
    if (!done) analyze(db);
}

std::unique_ptr<Database> open_database(const std::string& url, int pool_size) {
    if (url.rfind("sqlite:", 0) == 0) return std::make_unique<SqliteDatabase>(url.substr(7), pool_size);
    if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0)
        return std::make_unique<PgDatabase>(url, pool_size);
    if (url.rfind("pg:", 0) == 0) return std::make_unique<PgDatabase>(url.substr(3), pool_size);
    throw DbError(DbError::Kind::unavailable, "unsupported database URL (expected sqlite:PATH or postgresql://...)");
}

std::unique_ptr<Database> open_database_waiting(const std::string& url, int pool_size, std::chrono::milliseconds wait,
                                                const std::function<void(const DbError&, std::chrono::milliseconds)>& on_retry) {
    const auto deadline = std::chrono::steady_clock::now() + wait;
    std::chrono::milliseconds pause(250);
    for (;;) {
        try {
            return open_database(url, pool_size);
        } catch (const DbError& e) {
            const bool unsupported = url.rfind("sqlite:", 0) != 0 && url.rfind("postgresql://", 0) != 0 &&
                                     url.rfind("postgres://", 0) != 0 && url.rfind("pg:", 0) != 0;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (unsupported || e.kind() != DbError::Kind::unavailable || left <= std::chrono::milliseconds(0)) throw;
            const auto next = std::min(pause, left);
            if (on_retry) on_retry(e, next);
            std::this_thread::sleep_for(next);
            pause = std::min(pause * 2, std::chrono::milliseconds(5000));
        }
    }
}

}  // namespace arrimage::store
