// npsd's Prometheus metrics (requests by route, latency histograms, counters of stored,
// duplicate and capped answers) and its JSON log lines on stderr.
#pragma once

#include "nps/json.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <mutex>
#include <string>

namespace npsd {

// The route template and request id of the request the current thread serves, for the
// logger and the error log lines.
extern thread_local std::string t_route;
extern thread_local std::string t_request_id;

class Metrics {
public:
  static constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  static constexpr std::size_t kN = std::size(kBuckets);

  void observe(const std::string& route, const std::string& method, int status, double seconds) {
    std::lock_guard lock(mu_);
    requests_[route + "\t" + method + "\t" + std::to_string(status)]++;
    auto& h = latency_[route];
    for (std::size_t i = 0; i < kN; ++i)
      if (seconds <= kBuckets[i]) h.buckets[i]++;
    h.count++;
    h.sum += seconds;
  }

  std::atomic<std::uint64_t> stored{0}, duplicates{0}, capped{0};

  std::string render(std::size_t queue_depth, std::size_t open_connections, std::uint64_t refused) const;

private:
  struct Histogram {
    std::uint64_t buckets[kN] = {};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

// Writes one JSON object as a line on stderr, whole even when threads log at once.
void log_line(const nps::json& j);

} // namespace npsd
