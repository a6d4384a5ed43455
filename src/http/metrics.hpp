#pragma once
// Prometheus text-format metrics: requests by route and status, request latency histogram,
// database time. Each thread records into its own shard (no contention on the request
// path); render() adds the shards up.
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace arrimage::http {

class Metrics {
  public:
    Metrics();
    ~Metrics();
    void observe(const std::string& route, int status, double seconds, double db_seconds);
    std::string render() const;

    static constexpr std::array<double, 11> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};
    struct Histogram {
        std::array<std::uint64_t, buckets.size()> counts{};
        std::uint64_t count = 0;
        double sum = 0;
        void add(double v);
        void merge(const Histogram& o);
    };
    struct Shard {
        std::mutex m;  // uncontended except while render() reads
        std::map<std::pair<std::string, int>, std::uint64_t> requests;
        Histogram latency, db;
    };

  private:
    Shard& shard();
    mutable std::mutex registry_m_;
    std::vector<std::unique_ptr<Shard>> shards_;
    const std::uint64_t id_;
};

}  // namespace arrimage::http
