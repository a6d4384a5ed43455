#pragma once
// Group commit of the audit rows of reads (docs/ARCHITECTURE.md, "Audited reads").
//
// A write keeps its audit rows in its own transaction. A read runs in a read transaction, and
// the guard (store/access.hpp) collects the rows of its accesses instead; before any of what it
// read leaves the server, the request pipeline hands them here and waits. One thread appends
// the rows of every request waiting at that moment in one write transaction (one lock of the
// chain, one commit, so one fsync under synchronous=FULL), then tells each request whether its
// rows are durable. A request whose rows could not be committed answers 503 and shows nothing.
//
// The chain stays one total order: the batch takes the same "audit_chain" lock as every
// writing transaction and appends its rows in the order the requests arrived.
//
// The writer takes its connection from the same pool as the requests, only while committing a
// batch; a request hands its rows over after its own transaction has ended, so a waiting
// request holds no connection and the writer can always get one.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "store/audit_repo.hpp"
#include "store/db.hpp"

namespace arrimage::store {

class AuditWriter {
  public:
    // Called once per submission, on the writer's thread, with true when its rows are durable.
    using Done = std::function<void(bool durable)>;

    AuditWriter(Database& db, const Clock& clock);
    // Commits what was submitted, then stops.
    ~AuditWriter();
    AuditWriter(const AuditWriter&) = delete;
    AuditWriter& operator=(const AuditWriter&) = delete;

    // Queues `rows` for the next batch; `done` is called once they are committed (or failed).
    // With no rows, `done(true)` is called at once on the caller's thread.
    void submit(std::vector<AuditEvent> rows, Done done);
    // Submits and waits: true when the rows are durable.
    bool write(std::vector<AuditEvent> rows);

    struct Stats {
        std::int64_t batches = 0;      // transactions committed or attempted
        std::int64_t submissions = 0;  // requests served by them
        std::int64_t rows = 0;
        std::int64_t failed = 0;  // batches whose commit failed
    };
    Stats stats() const;

  private:
    struct Item {
        std::vector<AuditEvent> rows;
        Done done;
    };
    void run();

    Database& db_;
    const Clock& clock_;
    mutable std::mutex m_;
    std::condition_variable cv_;
    std::vector<Item> queue_;
    bool stopping_ = false;
    Stats stats_;
    std::thread thread_;
};

}  // namespace arrimage::store
