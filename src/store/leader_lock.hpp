#pragma once
// Leadership among the nodes sharing one database: the scheduler (jobs/scheduler.hpp) runs the
// scheduled work only on the node that holds it. On PostgreSQL a session-level advisory lock on a
// connection of its own (not one of the pool's, whose sessions are shared by requests); on a
// SQLite file an exclusive flock on "<database file>.leader"; an in-memory SQLite database has
// one process, which is always the leader. The database releases the lock when the process dies,
// however it dies (the connection or the file descriptor is closed by the system), so another
// node takes over at its next try. A lock is used by one thread at a time.
#include <cstdint>
#include <memory>
#include <string>

namespace arrimage::store {

class LeaderLock {
  public:
    virtual ~LeaderLock() = default;
    // Takes leadership when nobody holds it, without waiting. True when this process holds it
    // now, also when it already held it (then checked as held() does).
    virtual bool try_acquire() = 0;
    // Checks that leadership is still held (on PostgreSQL: the lock's connection still answers).
    // False once it is lost; try_acquire may take it again later.
    virtual bool held() = 0;
    // Gives leadership up at once (stopping cleanly): another node may take it at its next try.
    virtual void release() = 0;
    // Why the last try_acquire or held() could not reach the database ("" when it could).
    virtual std::string last_error() const = 0;
};

// The lock named `name` for the database `database_url` (the forms store::open_database takes).
// Throws DbError for a URL of no known form; a database out of reach is not an error here:
// try_acquire returns false until it answers.
std::unique_ptr<LeaderLock> open_leader_lock(const std::string& database_url, const std::string& name);

// The advisory lock key of `name` on PostgreSQL: FNV-1a 64, as Tx::lock computes it.
std::int64_t advisory_key(const std::string& name);

}  // namespace arrimage::store
