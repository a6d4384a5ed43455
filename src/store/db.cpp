#include "store/db.hpp"

#include <charconv>

#include "store/pg/pg_database.hpp"
#include "store/sqlite/sqlite_database.hpp"

namespace arrimage::store {

static const std::string empty_string;

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

}  // namespace arrimage::store
