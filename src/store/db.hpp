#pragma once
// The database driver interface. Repositories are written once against it in portable SQL
// ('?' placeholders, RETURNING, TEXT timestamps); sqlite/ and pg/ implement it. Migrations
// are per dialect. Driver failures (connection lost, disk full, constraint violations other
// than the ones a repository expects) are thrown as DbError and turned into a rollback and a
// 503/500 at the edge of the request; expected outcomes travel as Result<T>.
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace arrimage::store {

enum class Dialect { sqlite, postgres };

struct Null {};
using Value = std::variant<Null, std::int64_t, std::string>;
using Params = std::vector<Value>;

inline Value opt(const std::optional<std::string>& v) {
    return v ? Value{*v} : Value{Null{}};
}
inline Value opt(const std::optional<std::int64_t>& v) {
    return v ? Value{*v} : Value{Null{}};
}

// Nanoseconds this thread has spent in the database driver; the HTTP layer reads it before
// and after a request to report database time.
inline thread_local std::int64_t thread_db_nanos = 0;

class DbError : public std::runtime_error {
  public:
    enum class Kind { unique_violation, foreign_key_violation, check_violation, busy, unavailable, other };
    DbError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
    Kind kind() const { return kind_; }

  private:
    Kind kind_;
};

class Row {
  public:
    explicit Row(std::vector<std::optional<std::string>> cols) : cols_(std::move(cols)) {}
    std::size_t size() const { return cols_.size(); }
    bool is_null(std::size_t i) const { return !cols_.at(i).has_value(); }
    const std::string& str(std::size_t i) const;  // "" when NULL
    std::optional<std::string> opt_str(std::size_t i) const { return cols_.at(i); }
    std::int64_t i64(std::size_t i) const;  // 0 when NULL
    std::optional<std::int64_t> opt_i64(std::size_t i) const;
    bool boolean(std::size_t i) const;

  private:
    std::vector<std::optional<std::string>> cols_;
};

enum class TxMode { read, write };

// One transaction on one pooled connection. Destroying an uncommitted Tx rolls it back.
class Tx {
  public:
    virtual ~Tx() = default;
    virtual std::vector<Row> query(std::string_view sql, const Params& params = {}) = 0;
    virtual std::int64_t exec(std::string_view sql, const Params& params = {}) = 0;  // rows changed
    // Several ';'-separated statements without parameters (migrations).
    virtual void exec_script(std::string_view sql) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual Dialect dialect() const = 0;
    virtual TxMode mode() const = 0;

    std::optional<Row> query_one(std::string_view sql, const Params& params = {});
    // Serialises writers of one logical resource (the audit chain, counters) across
    // connections and, on PostgreSQL, across nodes. Held until the transaction ends.
    virtual void lock(std::string_view name) = 0;
};

class Database {
  public:
    virtual ~Database() = default;
    virtual std::unique_ptr<Tx> begin(TxMode mode) = 0;
    virtual Dialect dialect() const = 0;
    // True when a read transaction can run (readiness probe).
    bool ping();
    virtual void close() = 0;
};

// For a transaction that writes many rows into tables it also reads (a directory import): on
// PostgreSQL, plans every statement for the tables as they are now (plan_cache_mode =
// force_custom_plan until the transaction ends). Otherwise a plan cached while a table was small,
// including those of the foreign-key checks, keeps scanning it whole as the transaction fills
// it: 5,000 services took 58 s to import, each insert slower than the one before. No effect on
// SQLite, which has no such cache.
void plan_for_bulk_writes(Tx& tx);

// Refreshes the query planner's statistics (ANALYZE) in its own transaction: after bulk
// loads (migrate, import, demo data). Without them SQLite may pick a poor index for the
// directory's searches (a count over a category filter: 64 ms instead of 8 at 50,000
// services). PostgreSQL's autovacuum also keeps them, this only makes them current at once.
void analyze(Database& db);
// Analyzes only when the database has never been analyzed (SQLite; start-up of `serve`).
void analyze_if_never_done(Database& db);

// "sqlite:path/to/file.db", "sqlite::memory:" (tests), or a PostgreSQL URL
// ("postgresql://..." or "postgres://..." or a libpq keyword string prefixed "pg:").
std::unique_ptr<Database> open_database(const std::string& url, int pool_size);

// Runs `fn(tx)` in a transaction; commits when it returns an ok Result, rolls back otherwise
// or when it throws.
template <typename Fn>
auto transact(Database& db, TxMode mode, Fn&& fn) -> decltype(fn(std::declval<Tx&>())) {
    auto tx = db.begin(mode);
    auto result = fn(*tx);
    if (result.ok())
        tx->commit();
    else
        tx->rollback();
    return result;
}

}  // namespace arrimage::store
