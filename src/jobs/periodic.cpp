#include "jobs/periodic.hpp"

#include <spdlog/spdlog.h>

namespace arrimage::jobs {

PeriodicJob::PeriodicJob(std::string name, std::chrono::seconds interval, std::function<void()> task, bool at_start)
    : name_(std::move(name)), interval_(interval), task_(std::move(task)), at_start_(at_start), thread_([this] { loop(); }) {}

PeriodicJob::~PeriodicJob() {
    stop();
}

void PeriodicJob::stop() {
    {
        std::lock_guard lk(m_);
        if (stopping_) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PeriodicJob::loop() {
    std::unique_lock lk(m_);
    bool now = at_start_;
    while (now || !cv_.wait_for(lk, interval_, [&] { return stopping_; })) {
        now = false;
        if (stopping_) break;
        lk.unlock();
        try {
            task_();
        } catch (const std::exception&) {
            spdlog::warn(R"({{"msg":"periodic job failed; will retry","job":"{}"}})", name_);
        }
        lk.lock();
    }
}

}  // namespace arrimage::jobs
