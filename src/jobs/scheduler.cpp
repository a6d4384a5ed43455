#include "jobs/scheduler.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <climits>
#include <optional>

#include "store/job_runs.hpp"

namespace arrimage::jobs {

namespace {

// A text for a JSON log line; bytes that are not UTF-8 are replaced rather than refused.
std::string json_text(const std::string& s) {
    return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Records a run's end; a database that cannot take it is logged, not thrown: the run happened.
void record_end(store::Database& db, const Clock& clock, const std::string& job, std::int64_t run_id, int items,
                const std::optional<std::string>& failure, std::optional<std::chrono::seconds> interval) {
    try {
        auto tx = db.begin(store::TxMode::write);
        store::JobRunsRepo runs(*tx, clock);
        if (failure)
            runs.finish_failed(run_id, *failure);
        else
            runs.finish_ok(run_id, items);
        if (interval) runs.prune(job, *interval);
        tx->commit();
    } catch (const std::exception& e) {
        spdlog::warn(R"({{"msg":"the end of a job's run could not be recorded","job":{},"run":{},"error":{}}})", json_text(job),
                     run_id, json_text(e.what()));
    }
}

}  // namespace

std::string default_node_name() {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "unknown:" + std::to_string(::getpid());
    return std::string(host) + ":" + std::to_string(::getpid());
}

int run_recorded(store::Database& db, const Clock& clock, const std::string& job, const std::string& node,
                 const std::function<int()>& work) {
    std::int64_t run_id = 0;
    {
        auto tx = db.begin(store::TxMode::write);
        run_id = store::JobRunsRepo(*tx, clock).start(job, node);
        tx->commit();
    }
    int items = 0;
    try {
        items = work();
    } catch (const std::exception& e) {
        record_end(db, clock, job, run_id, 0, std::string(e.what()), std::nullopt);
        throw;
    } catch (...) {
        record_end(db, clock, job, run_id, 0, std::string("unknown error"), std::nullopt);
        throw;
    }
    record_end(db, clock, job, run_id, items, std::nullopt, std::nullopt);
    return items;
}

Scheduler::Scheduler(store::Database& db, const Clock& clock, std::unique_ptr<store::LeaderLock> lock, std::vector<Job> jobs,
                     std::string node, std::chrono::milliseconds tick)
    : db_(db),
      clock_(clock),
      lock_(std::move(lock)),
      jobs_(std::move(jobs)),
      node_(node.empty() ? default_node_name() : std::move(node)),
      tick_(tick) {}

Scheduler::~Scheduler() {
    stop();
}

void Scheduler::start() {
    std::lock_guard lk(m_);
    if (stopping_ || thread_.joinable()) return;
    thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
    {
        std::lock_guard lk(m_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard tick(tick_m_);
    if (leader_.exchange(false)) spdlog::info(R"({{"msg":"leadership given up: stopping","node":{}}})", json_text(node_));
    lock_->release();
}

void Scheduler::loop() {
    std::unique_lock lk(m_);
    while (!stopping_) {
        lk.unlock();
        run_due_once();
        lk.lock();
        cv_.wait_for(lk, tick_, [&] { return stopping_; });
    }
}

bool Scheduler::keep_leading() {
    bool leading = false;
    try {
        leading = lock_->try_acquire();
    } catch (const std::exception& e) {
        spdlog::warn(R"({{"msg":"the leader lock failed","node":{},"error":{}}})", json_text(node_), json_text(e.what()));
    }
    const std::string error = lock_->last_error();
    if (!error.empty() && error != reported_error_)
        spdlog::warn(R"({{"msg":"the leader lock cannot reach the database; will try again","node":{},"error":{}}})",
                     json_text(node_), json_text(error));
    reported_error_ = error;
    const bool was = leader_.exchange(leading);
    if (leading && !was)
        spdlog::info(R"({{"msg":"leadership taken: this node runs the scheduled jobs","node":{}}})", json_text(node_));
    if (!leading && was)
        spdlog::info(R"({{"msg":"leadership lost: another node may run the scheduled jobs; will try again","node":{}}})",
                     json_text(node_));
    return leading;
}

void Scheduler::run_due_once() {
    std::lock_guard tick(tick_m_);
    auto stopping = [this] {
        std::lock_guard lk(m_);
        return stopping_;
    };
    if (stopping() || !keep_leading()) return;
    for (const auto& job : jobs_) {
        if (stopping()) return;
        bool held = false;
        try {
            held = lock_->held();
        } catch (const std::exception&) {
        }
        if (!held) {
            if (leader_.exchange(false))
                spdlog::info(R"({{"msg":"leadership lost: another node may run the scheduled jobs; will try again","node":{}}})",
                             json_text(node_));
            return;
        }
        run_job(job);
    }
}

void Scheduler::run_job(const Job& job) {
    std::optional<std::int64_t> run_id;
    try {
        auto tx = db_.begin(store::TxMode::write);
        run_id = store::JobRunsRepo(*tx, clock_).start_if_due(job.name, node_, job.interval);
        tx->commit();
    } catch (const std::exception& e) {
        spdlog::warn(R"({{"msg":"could not tell whether a job is due; will try again","job":{},"error":{}}})",
                     json_text(job.name), json_text(e.what()));
        return;
    }
    if (!run_id) return;
    int items = 0;
    std::optional<std::string> failure;
    try {
        items = job.run(db_);
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown error";
    }
    if (failure)
        spdlog::warn(R"({{"msg":"job failed; it runs again at its next interval","job":{},"run":{},"error":{}}})",
                     json_text(job.name), *run_id, json_text(store::job_error_text(*failure)));
    record_end(db_, clock_, job.name, *run_id, items, failure, job.interval);
}

}  // namespace arrimage::jobs
