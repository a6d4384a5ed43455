#pragma once
// Runs a task every `interval` on a background thread until stopped (in `serve`: the outbox
// sender, the reminder job). The task runs first at once (`at_start`) or one interval after the
// start; an exception it throws is logged with the task's name and the next run tries again.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace arrimage::jobs {

class PeriodicJob {
  public:
    PeriodicJob(std::string name, std::chrono::seconds interval, std::function<void()> task, bool at_start = false);
    ~PeriodicJob();
    PeriodicJob(const PeriodicJob&) = delete;
    PeriodicJob& operator=(const PeriodicJob&) = delete;
    void stop();

  private:
    void loop();
    std::string name_;
    std::chrono::seconds interval_;
    std::function<void()> task_;
    bool at_start_;
    std::mutex m_;
    std::condition_variable cv_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace arrimage::jobs
