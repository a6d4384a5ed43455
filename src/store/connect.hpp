#pragma once
// Connecting to the database for a long-running process (`serve`): waiting for a database that
// is not up yet, and the counters of what the drivers did with their connections (/metrics).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "store/db.hpp"

namespace arrimage::store {

// What the drivers did with their connections since the process started: transactions that
// could not begin (the database down or refusing), and pooled connections opened again after the
// server dropped them.
struct DriverCounters {
    std::atomic<std::uint64_t> begin_failures{0};
    std::atomic<std::uint64_t> reconnects{0};
};
DriverCounters& driver_counters();

// open_database, waiting for a database that is not reachable yet (a server starting beside it):
// tries again with a growing pause (0.25 s doubling up to 5 s) until `wait` has passed, calling
// `on_retry` before each pause; then throws the last error. A URL it cannot use fails at once.
std::unique_ptr<Database> open_database_waiting(const std::string& url, int pool_size, std::chrono::milliseconds wait,
                                                const std::function<void(const DbError&, std::chrono::milliseconds)>& on_retry);

}  // namespace arrimage::store
