// Rendering of npsd's metrics in the Prometheus text format, and the log writer.
#include "metrics.hpp"

#include <cstdio>
#include <sstream>

namespace npsd {

thread_local std::string t_route;
thread_local std::string t_request_id;

std::string Metrics::render(std::size_t queue_depth, std::size_t open_connections,
                            std::uint64_t refused) const {
  std::ostringstream o;
  std::lock_guard lock(mu_);
  o << "# HELP npsd_requests_total HTTP requests by route, method and status.\n"
       "# TYPE npsd_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto a = key.find('\t'), b = key.rfind('\t');
    o << "npsd_requests_total{route=\"" << key.substr(0, a) << "\",method=\"" << key.substr(a + 1, b - a - 1)
      << "\",status=\"" << key.substr(b + 1) << "\"} " << n << "\n";
  }
  o << "# HELP npsd_request_duration_seconds Time from a request's first byte to its response.\n"
       "# TYPE npsd_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kN; ++i)
      o << "npsd_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i] << "\"} "
        << h.buckets[i] << "\n";
    o << "npsd_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n";
    o << "npsd_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    o << "npsd_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  o << "# HELP npsd_responses_stored_total Survey responses stored (201).\n"
       "# TYPE npsd_responses_stored_total counter\nnpsd_responses_stored_total "
    << stored.load() << "\n";
  o << "# HELP npsd_responses_duplicate_total Retries answered with the original response.\n"
       "# TYPE npsd_responses_duplicate_total counter\nnpsd_responses_duplicate_total "
    << duplicates.load() << "\n";
  o << "# HELP npsd_responses_capped_total Responses refused by a survey's daily cap.\n"
       "# TYPE npsd_responses_capped_total counter\nnpsd_responses_capped_total "
    << capped.load() << "\n";
  o << "# HELP npsd_write_queue_depth Writes waiting for the storage writer.\n"
       "# TYPE npsd_write_queue_depth gauge\nnpsd_write_queue_depth "
    << queue_depth << "\n";
  o << "# HELP npsd_open_connections Connections being served.\n"
       "# TYPE npsd_open_connections gauge\nnpsd_open_connections "
    << open_connections << "\n";
  o << "# HELP npsd_refused_connections_total Connections refused because every worker was busy.\n"
       "# TYPE npsd_refused_connections_total counter\nnpsd_refused_connections_total "
    << refused << "\n";
  return o.str();
}

namespace {
std::mutex g_log_mu;
} // namespace

void log_line(const nps::json& j) {
  const std::string line = nps::dump(j) + "\n";
  std::lock_guard lock(g_log_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

} // namespace npsd
