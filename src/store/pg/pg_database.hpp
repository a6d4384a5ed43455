#pragma once
#include <atomic>
#include <string>

#include "store/db.hpp"
#include "store/pool.hpp"

namespace arrimage::store {

struct PgConn;

// PostgreSQL 15 through libpq: the multi-node backend. Statements are prepared once per
// connection; '?' placeholders are rewritten to $n. lock() takes a transaction-scoped
// advisory lock, which serialises writers across every node sharing the database.
class PgDatabase final : public Database {
  public:
    PgDatabase(const std::string& conninfo, int pool_size);
    ~PgDatabase() override;
    std::unique_ptr<Tx> begin(TxMode mode) override;
    Dialect dialect() const override { return Dialect::postgres; }
    void close() override;

  private:
    Pool<PgConn> pool_;
    std::atomic<bool> closed_{false};
};

// '?' → '$1', '$2'... outside quoted strings and identifiers.
std::string pg_placeholders(std::string_view sql);

}  // namespace arrimage::store
