#pragma once
// The measuring loop shared by bench_agreements and bench_network: requests from --clients
// threads for --seconds, each in a read transaction from the pool, its audit rows handed to the
// group commit before it counts (as the pipeline does), each request's latency kept with its
// variant (the filter it used); percentiles and the report's lines, each p99 beside the
// baseline's of the same run.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/audit_writer.hpp"
#include "store/db.hpp"

namespace arrimage::bench {

using Clk = std::chrono::steady_clock;

// As check(), without copying what was read (inside a measured request).
template <typename R>
void require(const R& r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + " rejected: " + r.error().message_key);
}

inline double since(Clk::time_point a) {
    return std::chrono::duration<double>(Clk::now() - a).count();
}

// The `p` quantile (0 to 1) of `v`, nearest rank.
inline double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

// One measurement: each request's latency and which of its variants it was (the filter).
struct Run {
    std::vector<double> ms;
    std::vector<std::size_t> variant;
    double seconds = 0;
    long long audit_rows = 0;
    double per_second() const { return seconds > 0 ? static_cast<double>(ms.size()) / seconds : 0; }
    // The latencies of the requests of variant `v`.
    std::vector<double> of(std::size_t v) const {
        std::vector<double> out;
        for (std::size_t i = 0; i < ms.size(); ++i)
            if (variant[i] == v) out.push_back(ms[i]);
        return out;
    }
};

// `clients` threads for `seconds`, each doing `op(tx, i, rows)` (which returns the request's
// variant) in a read transaction from the pool, then committing it and handing the audit rows it
// collected to the group commit (durable before the request counts), as the pipeline does.
template <typename Op>
Run run(store::Database& db, store::AuditWriter& writer, int clients, double seconds, Op op) {
    Run out;
    std::mutex m;
    std::exception_ptr failure;
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    const auto start = Clk::now();
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            try {
                while (since(start) < seconds) {
                    const auto i = next++;
                    const auto a = Clk::now();
                    std::vector<store::AuditEvent> rows;
                    std::size_t variant = 0;
                    {
                        auto tx = db.begin(store::TxMode::read);
                        variant = op(*tx, i, rows);
                        tx->commit();
                    }
                    const auto n = static_cast<long long>(rows.size());
                    if (n > 0 && !writer.write(std::move(rows))) throw std::runtime_error("the group commit failed");
                    const double ms = std::chrono::duration<double, std::milli>(Clk::now() - a).count();
                    std::lock_guard lk(m);
                    out.ms.push_back(ms);
                    out.variant.push_back(variant);
                    out.audit_rows += n;
                }
            } catch (...) {
                std::lock_guard lk(m);
                if (!failure) failure = std::current_exception();
            }
        });
    for (auto& t : threads) t.join();
    if (failure) std::rethrow_exception(failure);
    out.seconds = since(start);
    return out;
}

// One line of the table: `ms` over `seconds`, its p99 beside the baseline's of this run.
inline void line(const std::string& name, const std::vector<double>& ms, double seconds, double base_p99,
                 const std::string& target) {
    const double p99 = percentile(ms, 0.99);
    std::printf("  %-52s %9.0f %9.2f %9.2f %10.1fx%s%s\n", name.c_str(),
                seconds > 0 ? static_cast<double>(ms.size()) / seconds : 0, percentile(ms, 0.5), p99,
                base_p99 > 0 ? p99 / base_p99 : 0.0, target.empty() ? "" : "  ", target.c_str());
}

}  // namespace arrimage::bench
