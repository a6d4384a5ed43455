#include "core/clock.hpp"

namespace arrimage {

TimePoint SystemClock::now() const {
    return std::chrono::system_clock::now();
}

TimePoint ManualClock::now() const {
    return TimePoint(TimePoint::duration(now_.load()));
}

void ManualClock::advance(std::chrono::seconds by) {
    now_ += std::chrono::duration_cast<TimePoint::duration>(by).count();
}

void ManualClock::set(TimePoint t) {
    now_ = t.time_since_epoch().count();
}

}  // namespace arrimage
