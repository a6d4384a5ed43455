#pragma once
#include <atomic>
#include <chrono>

namespace arrimage {

using TimePoint = std::chrono::system_clock::time_point;

// Injected everywhere time matters so tests can freeze or move it.
class Clock {
  public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
  public:
    TimePoint now() const override;
};

class ManualClock final : public Clock {
  public:
    explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override;
    void advance(std::chrono::seconds by);
    void set(TimePoint t);

  private:
    std::atomic<TimePoint::rep> now_;
};

}  // namespace arrimage
