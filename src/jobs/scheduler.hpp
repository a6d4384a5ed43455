#pragma once
// Scheduled work run once across the nodes sharing a database (in `serve`: the outbox sender,
// the reminders, the directory's reminders). Every node runs a Scheduler; only the one holding
// the leader lock (store/leader_lock.hpp) runs jobs, and it runs a job only when job_runs says it
// is due (store/job_runs.hpp): no run of it started within its interval, on any node. Deciding
// that and recording the start is one transaction, serialised per job, so even two nodes that
// both believed they led would not both run a job within one interval.
//
// Every tick (5 s) the scheduler tries to take or keep leadership; when it leads, it checks the
// lock is still held before each job, records the run's start, runs it, and records its end: ok
// with the count the job returns, or failed with the exception's text (logged, with the job's
// name; the thread goes on). Leadership lost (its connection died, another node took over after
// the database dropped it) is logged once and taken again when free. A job stopped in the middle
// (the process killed) leaves its run 'running' until the next leader records it as abandoned.
//
// Jobs must be idempotent: a run that did its work but could not record its end, or one cut off
// by a hand-over, may be done again at the next interval.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "store/db.hpp"
#include "store/leader_lock.hpp"

namespace arrimage::jobs {

struct Job {
    std::string name;
    std::chrono::seconds interval;
    // Does the work; returns how many items it handled (emails sent, reminders written). Throws
    // to record a failure.
    std::function<int(store::Database&)> run;
};

// "host:pid": how job_runs names the process that ran a job.
std::string default_node_name();

// Runs `work` now, whether due or not (a run asked by hand: `arrimage reminders`), recording its
// start and end in job_runs under `job` and `node`. Returns what `work` returns; rethrows what it
// throws, once recorded as failed.
int run_recorded(store::Database& db, const Clock& clock, const std::string& job, const std::string& node,
                 const std::function<int()>& work);

class Scheduler {
  public:
    // `node` "" names it default_node_name(). Nothing runs until start() or run_due_once().
    Scheduler(store::Database& db, const Clock& clock, std::unique_ptr<store::LeaderLock> lock, std::vector<Job> jobs,
              std::string node = "", std::chrono::milliseconds tick = std::chrono::seconds(5));
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // Starts the background thread: a tick at once, then one every `tick`.
    void start();
    // One tick, on the calling thread: take or keep leadership, then run the jobs due.
    void run_due_once();
    // Stops the thread (waiting for a job running to end) and gives leadership up, so another
    // node takes over at its next tick.
    void stop();

    bool is_leader() const { return leader_.load(); }
    const std::string& node() const { return node_; }

  private:
    void loop();
    bool keep_leading();
    void run_job(const Job& job);

    store::Database& db_;
    const Clock& clock_;
    std::unique_ptr<store::LeaderLock> lock_;
    std::vector<Job> jobs_;
    std::string node_;
    std::chrono::milliseconds tick_;

    std::mutex tick_m_;  // one tick at a time (the thread's and run_due_once's)
    std::atomic<bool> leader_{false};
    std::string reported_error_;  // the leader lock's last error logged, not to repeat it each tick

    std::mutex m_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace arrimage::jobs
