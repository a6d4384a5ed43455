#pragma once
// The record of the scheduled jobs' runs (table job_runs): what the scheduler (jobs/scheduler.hpp)
// decides from, and what `arrimage jobs` prints.
//
// A job is due when no run of it has started within its interval, whichever node started it: a
// new leader taking over does not run again what the previous one ran. A failed run counts as a
// run: the job is tried again one interval after it started. A run still 'running' long after it
// started was left by a node that stopped in the middle (killed, cut off): past abandon_after(its
// interval) it is recorded as failed and no longer holds the job back. Times are to the second.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "store/db.hpp"

namespace arrimage::store {

enum class JobOutcome { running, ok, failed };
std::string_view code(JobOutcome o);

struct JobRun {
    std::int64_t id = 0;
    std::string job, node;
    std::string started_at;
    std::string finished_at;  // "" while running
    JobOutcome outcome = JobOutcome::running;
    std::int64_t items = 0;
    std::string error;  // "" unless failed
};

// How long a run may stay 'running' before it counts as abandoned: two intervals, at most an
// hour. Two intervals leave a slow run of a frequent job (the outbox, every 10 s, with a slow mail
// relay) room to end; the hour bounds it for the daily job, whose run takes seconds.
std::chrono::seconds abandon_after(std::chrono::seconds interval);

// How long runs are kept: a week, or a hundred intervals when that is longer.
std::chrono::seconds keep_runs_for(std::chrono::seconds interval);

// The longest error text kept.
inline constexpr std::size_t job_error_max = 500;
// An exception's text as a run's error: valid UTF-8 (PostgreSQL refuses anything else), cut at
// job_error_max bytes on a character's boundary.
std::string job_error_text(std::string_view what);

class JobRunsRepo {
  public:
    JobRunsRepo(Tx& tx, const Clock& clock) : tx_(tx), clock_(clock) {}

    // Records that `job` starts now on `node` (a run asked by hand: not checked for being due).
    std::int64_t start(const std::string& job, const std::string& node);
    // In a write transaction: records abandoned runs of `job` as failed, then starts a run when
    // the job is due. The run's id, or nullopt when it is not due. Serialised per job across
    // connections and nodes, so two callers never both start a run within one interval.
    std::optional<std::int64_t> start_if_due(const std::string& job, const std::string& node, std::chrono::seconds interval);
    void finish_ok(std::int64_t run_id, std::int64_t items);
    void finish_failed(std::int64_t run_id, std::string_view error);

    // Whether `job` is due (see above). Reads only: a run left 'running' within abandon_after
    // still holds the job back, one older no longer does.
    bool due(const std::string& job, std::chrono::seconds interval);
    // Records the runs of `job` left 'running' for longer than abandon_after(interval) as failed;
    // how many.
    int close_abandoned(const std::string& job, std::chrono::seconds interval);
    // Deletes the ended runs of `job` started before now - keep_runs_for(interval); how many.
    int prune(const std::string& job, std::chrono::seconds interval);

    std::optional<JobRun> last(const std::string& job);
    // The latest runs, newest first: of every job, or of `job` only.
    std::vector<JobRun> recent(int limit, const std::string& job = "");
    // The jobs that have a run recorded, by name.
    std::vector<std::string> jobs();

  private:
    std::string ago(std::chrono::seconds d) const;
    Tx& tx_;
    const Clock& clock_;
};

}  // namespace arrimage::store
