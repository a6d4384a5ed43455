#include "http/metrics.hpp"

#include <fmt/format.h>

#include <atomic>
#include <unordered_map>

namespace arrimage::http {

namespace {
std::atomic<std::uint64_t> next_id{1};
}

Metrics::Metrics() : id_(next_id++) {}
Metrics::~Metrics() = default;

void Metrics::Histogram::add(double v) {
    for (std::size_t i = 0; i < buckets.size(); ++i)
        if (v <= buckets[i]) ++counts[i];
    ++count;
    sum += v;
}

void Metrics::Histogram::merge(const Histogram& o) {
    for (std::size_t i = 0; i < buckets.size(); ++i) counts[i] += o.counts[i];
    count += o.count;
    sum += o.sum;
}

Metrics::Shard& Metrics::shard() {
    // Keyed by the Metrics instance's id (never reused), so a new instance at the address of a
    // destroyed one does not pick up a dangling shard.
    thread_local std::unordered_map<std::uint64_t, Shard*> mine;
    auto& s = mine[id_];
    if (!s) {
        std::lock_guard lk(registry_m_);
        shards_.push_back(std::make_unique<Shard>());
        s = shards_.back().get();
    }
    return *s;
}

void Metrics::observe(const std::string& route, int status, double seconds, double db_seconds) {
    auto& s = shard();
    std::lock_guard lk(s.m);
    ++s.requests[{route, status}];
    s.latency.add(seconds);
    s.db.add(db_seconds);
}

static void render_histogram(std::string& out, const char* name, const char* help, const Metrics::Histogram& h) {
    out += fmt::format("# HELP {} {}\n# TYPE {} histogram\n", name, help, name);
    for (std::size_t i = 0; i < Metrics::buckets.size(); ++i)
        out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, Metrics::buckets[i], h.counts[i]);
    out += fmt::format("{}_bucket{{le=\"+Inf\"}} {}\n{}_sum {}\n{}_count {}\n", name, h.count, name, h.sum, name, h.count);
}

std::string Metrics::render() const {
    std::map<std::pair<std::string, int>, std::uint64_t> requests;
    Histogram latency, db;
    {
        std::lock_guard lk(registry_m_);
        for (const auto& s : shards_) {
            std::lock_guard slk(s->m);
            for (const auto& [k, n] : s->requests) requests[k] += n;
            latency.merge(s->latency);
            db.merge(s->db);
        }
    }
    std::string out =
        "# HELP arrimage_http_requests_total HTTP requests by route and status.\n"
        "# TYPE arrimage_http_requests_total counter\n";
    for (const auto& [key, n] : requests)
        out += fmt::format("arrimage_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
    render_histogram(out, "arrimage_http_request_duration_seconds", "Time to handle a request.", latency);
    render_histogram(out, "arrimage_db_time_seconds", "Database time per request.", db);
    return out;
}

}  // namespace arrimage::http
