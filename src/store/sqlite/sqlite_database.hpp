#pragma once
#include <atomic>
#include <string>

#include "store/db.hpp"
#include "store/pool.hpp"

struct sqlite3;

namespace arrimage::store {

struct SqliteConn;

// Embedded SQLite: WAL, foreign keys, synchronous=FULL, busy timeout. SQLite runs one
// writer at a time, so write transactions take the one writing connection (waiting up to the
// busy timeout for it, then DbError busy) and BEGIN IMMEDIATE; lock() needs nothing more.
// Reads take any of the pool's `pool_size` other connections. Keeping one connection for
// writes keeps its page cache warm: no other connection changes the database under it, so
// the audit's group commit (audit_writer.hpp) finds its index pages in memory.
class SqliteDatabase final : public Database {
  public:
    SqliteDatabase(const std::string& path, int pool_size);
    ~SqliteDatabase() override;
    std::unique_ptr<Tx> begin(TxMode mode) override;
    Dialect dialect() const override { return Dialect::sqlite; }
    void close() override;

  private:
    Pool<SqliteConn> pool_;    // readers (and, for ":memory:", the writer: one connection)
    Pool<SqliteConn> writer_;  // the one writing connection of a file database
    bool memory_ = false;
    std::atomic<bool> closed_{false};
};

}  // namespace arrimage::store
