#pragma once
#include <atomic>
#include <string>

#include "store/db.hpp"
#include "store/pool.hpp"

struct sqlite3;

namespace arrimage::store {

struct SqliteConn;

// Embedded SQLite: WAL, foreign keys, synchronous=FULL, busy timeout. Writers take the
// database lock at BEGIN IMMEDIATE, so write transactions are serialised and lock() needs
// nothing more.
class SqliteDatabase final : public Database {
  public:
    SqliteDatabase(const std::string& path, int pool_size);
    ~SqliteDatabase() override;
    std::unique_ptr<Tx> begin(TxMode mode) override;
    Dialect dialect() const override { return Dialect::sqlite; }
    void close() override;

  private:
    Pool<SqliteConn> pool_;
    std::atomic<bool> closed_{false};
};

}  // namespace arrimage::store
