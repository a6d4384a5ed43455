#include "store/job_runs.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "core/time.hpp"

namespace arrimage::store {

using std::chrono::seconds;

std::string_view code(JobOutcome o) {
    switch (o) {
        case JobOutcome::running:
            return "running";
        case JobOutcome::ok:
            return "ok";
        case JobOutcome::failed:
            return "failed";
    }
    return "failed";
}

seconds abandon_after(seconds interval) {
    return std::min<seconds>(2 * interval, std::chrono::hours(1));
}

seconds keep_runs_for(seconds interval) {
    return std::max<seconds>(100 * interval, std::chrono::hours(24 * 7));
}

namespace {

const char* const run_columns = "SELECT id, job, node, started_at, finished_at, outcome, items, error FROM job_runs ";

JobRun run_of(const Row& r) {
    JobRun run;
    run.id = r.i64(0);
    run.job = r.str(1);
    run.node = r.str(2);
    run.started_at = r.str(3);
    run.finished_at = r.str(4);
    const std::string& outcome = r.str(5);
    run.outcome = outcome == "running" ? JobOutcome::running : outcome == "ok" ? JobOutcome::ok : JobOutcome::failed;
    run.items = r.i64(6);
    run.error = r.str(7);
    return run;
}

}  // namespace

std::string job_error_text(std::string_view what) {
    std::string s(what);
    if (!valid_utf8(s))
        for (char& c : s)
            if (static_cast<unsigned char>(c) >= 0x80) c = '?';
    s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
    if (s.size() > job_error_max) {
        std::size_t cut = job_error_max;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s.resize(cut);
    }
    return s.empty() ? "unknown error" : s;
}

std::string JobRunsRepo::ago(seconds d) const {
    return format_iso(clock_.now() - d);
}

std::int64_t JobRunsRepo::start(const std::string& job, const std::string& node) {
    auto r =
        tx_.query_one("INSERT INTO job_runs (job, node, started_at, outcome, items) VALUES (?, ?, ?, 'running', 0) RETURNING id",
                      {job, node, format_iso(clock_.now())});
    return r->i64(0);
}

std::optional<std::int64_t> JobRunsRepo::start_if_due(const std::string& job, const std::string& node, seconds interval) {
    tx_.lock("job_runs:" + job);
    close_abandoned(job, interval);
    if (!due(job, interval)) return std::nullopt;
    return start(job, node);
}

void JobRunsRepo::finish_ok(std::int64_t run_id, std::int64_t items) {
    // Also over 'failed': a run recorded as abandoned that did end after all says so.
    tx_.exec("UPDATE job_runs SET finished_at = ?, outcome = 'ok', items = ?, error = NULL WHERE id = ?",
             {format_iso(clock_.now()), items, run_id});
}

void JobRunsRepo::finish_failed(std::int64_t run_id, std::string_view error) {
    tx_.exec("UPDATE job_runs SET finished_at = ?, outcome = 'failed', error = ? WHERE id = ?",
             {format_iso(clock_.now()), job_error_text(error), run_id});
}

bool JobRunsRepo::due(const std::string& job, seconds interval) {
    // Text comparison: ISO-8601 timestamps of one form sort as time does.
    return !tx_.query_one(
        "SELECT 1 FROM job_runs WHERE job = ? AND (started_at > ? OR (outcome = 'running' AND started_at > ?)) "
        "LIMIT 1",
        {job, ago(interval), ago(abandon_after(interval))});
}

int JobRunsRepo::close_abandoned(const std::string& job, seconds interval) {
    const auto after = abandon_after(interval);
    return static_cast<int>(tx_.exec(
        "UPDATE job_runs SET outcome = 'failed', finished_at = ?, error = ? WHERE job = ? AND outcome = 'running' AND "
        "started_at <= ?",
        {format_iso(clock_.now()),
         "no end recorded within " + std::to_string(after.count()) + " seconds: the node running it stopped or lost the database",
         job, ago(after)}));
}

int JobRunsRepo::prune(const std::string& job, seconds interval) {
    return static_cast<int>(tx_.exec("DELETE FROM job_runs WHERE job = ? AND outcome <> 'running' AND started_at < ?",
                                     {job, ago(keep_runs_for(interval))}));
}

std::optional<JobRun> JobRunsRepo::last(const std::string& job) {
    auto r = tx_.query_one(std::string(run_columns) + "WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT 1", {job});
    if (!r) return std::nullopt;
    return run_of(*r);
}

std::vector<JobRun> JobRunsRepo::recent(int limit, const std::string& job) {
    std::vector<JobRun> out;
    const std::int64_t n = std::max(0, limit);
    const auto rows =
        job.empty() ? tx_.query(std::string(run_columns) + "ORDER BY started_at DESC, id DESC LIMIT ?", {n})
                    : tx_.query(std::string(run_columns) + "WHERE job = ? ORDER BY started_at DESC, id DESC LIMIT ?", {job, n});
    for (const auto& r : rows) out.push_back(run_of(r));
    return out;
}

std::vector<std::string> JobRunsRepo::jobs() {
    std::vector<std::string> out;
    for (const auto& r : tx_.query("SELECT DISTINCT job FROM job_runs ORDER BY job")) out.push_back(r.str(0));
    return out;
}

}  // namespace arrimage::store
