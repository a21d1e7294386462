// npsd_bench: ingestion throughput and latency against the same server's ceiling for a
// request served from memory, and analytics from the day tallies against a raw scan.
// Not a test: numbers vary ±20% run to run on a shared machine, so each figure is the
// median of alternating rounds and the ratios are measured within one run.
//
//   build/native/backend/npsd_bench [--clients 8] [--seconds 3] [--rounds 3] [--answers 1000000,10000000]
#include "server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace npsd;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
  double rps = 0, p50 = 0, p99 = 0;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// `clients` keep-alive connections issue requests for `seconds`; request(i) does one.
template <class F> Figures load(int port, int clients, double seconds, F request) {
  std::vector<std::vector<double>> lat(static_cast<std::size_t>(clients));
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  static std::atomic<long> seq{0};
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_tcp_nodelay(true);
      c.set_keep_alive(true);
      while (!stop) {
        const auto t0 = Clock::now();
        const bool ok = request(c, seq++);
        if (!ok) std::fprintf(stderr, "request failed\n");
        lat[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& th : threads)
    th.join();
  std::vector<double> all;
  for (auto& l : lat)
    all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  return {static_cast<double>(all.size()) / seconds, all[all.size() / 2], all[all.size() * 99 / 100]};
}

} // namespace

int main(int argc, char** argv) {
  int clients = 8, rounds = 3;
  double seconds = 3;
  std::vector<long> sizes{1'000'000, 10'000'000};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--clients")
      clients = std::stoi(argv[i + 1]);
    else if (a == "--seconds")
      seconds = std::stod(argv[i + 1]);
    else if (a == "--rounds")
      rounds = std::stoi(argv[i + 1]);
    else if (a == "--answers") { // one size or several, comma-separated: 1000000,10000000
      sizes.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string one; std::getline(list, one, ',');)
        sizes.push_back(std::stol(one));
    }
  }
  const auto dir = std::filesystem::temp_directory_path() / ("npsd-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);

  Config config;
  config.port = 0;
  config.database = (dir / "bench.sqlite3").string();
  config.admin_token = "bench-admin-token";
  config.log_requests = false;
  auto server = make_server(config);
  server->start();
  const int port = server->port();
  {
    httplib::Client c("127.0.0.1", port);
    c.Post("/v1/admin/surveys", {{"Authorization", "Bearer bench-admin-token"}}, R"({"id":"bench"})",
           "application/json");
  }

  auto config_get = [](httplib::Client& c, long) {
    auto r = c.Get("/v1/surveys/bench/config");
    return r && r->status == 200;
  };
  auto ingest = [](httplib::Client& c, long i) {
    const std::string body = R"({"score":)" + std::to_string(i % 11) + R"(,"idempotency_key":"bench-)" +
                             std::to_string(100000000 + i) + R"(","channel":"web","comment":"fine"})";
    auto r = c.Post("/v1/surveys/bench/responses", body, "application/json");
    return r && r->status == 201;
  };

  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("npsd_bench: %d keep-alive clients (TCP_NODELAY), %d alternating rounds of %.1f s, %u cores\n",
              clients, rounds, seconds, std::thread::hardware_concurrency());
  std::vector<double> ceil_rps, ing_rps, ing_p50, ing_p99, cfg_p99;
  for (int r = 0; r < rounds; ++r) {
    const auto a = load(port, clients, seconds, config_get);
    const auto b = load(port, clients, seconds, ingest);
    ceil_rps.push_back(a.rps);
    cfg_p99.push_back(a.p99);
    ing_rps.push_back(b.rps);
    ing_p50.push_back(b.p50);
    ing_p99.push_back(b.p99);
    std::printf(
        "  round %d: config %.0f req/s (p99 %.2f ms) | ingestion %.0f req/s (p50 %.2f ms, p99 %.2f ms)\n",
        r + 1, a.rps, a.p99, b.rps, b.p50, b.p99);
  }
  std::printf("config (from memory, the trivial-endpoint ceiling): %.0f req/s, p99 %.2f ms\n",
              median(ceil_rps), median(cfg_p99));
  std::printf(
      "ingestion (POST, validated, durable with fsync, group commit): %.0f req/s, p50 %.2f ms, p99 %.2f ms\n",
      median(ing_rps), median(ing_p50), median(ing_p99));
  std::printf("ingestion / ceiling: %.2f\n", median(ing_rps) / median(ceil_rps));

  // Analytics at each size: answers spread over a year and the segment keys, filled in
  // chunks of 100,000 per transaction through the storage's import (the same rows and
  // tallies as insert_response, without a request per answer).
  Storage& st = server->storage();
  httplib::Client c("127.0.0.1", port);
  c.set_tcp_nodelay(true);
  c.set_read_timeout(600, 0);
  for (const long answers : sizes) {
    const long have = static_cast<long>(st.count_responses("bench"));
    if (have < answers) {
      std::printf("storing %ld more answers (imports of 100,000 per transaction)...\n", answers - have);
      const auto t0 = Clock::now();
      const char* channels[] = {"web", "app", "email", "link"};
      const char* locales[] = {"en", "es-MX", "de", "ja"};
      for (long from = have; from < answers; from += 100'000) {
        std::vector<std::pair<nps::Response, Millis>> rows;
        for (long i = from; i < std::min(answers, from + 100'000); ++i) {
          nps::Response r;
          r.survey_id = "bench";
          r.score = nps::Score::from_int((i * 7919) % 11).value();
          r.idempotency_key = "bulk-" + std::to_string(1000000000 + i);
          r.channel = *nps::channel_from_string(channels[i % 4]);
          r.locale = locales[(i / 4) % 4];
          r.device = static_cast<nps::Device>(i % 3);
          rows.emplace_back(std::move(r), 1'735'689'600'000 + (i % 365) * 86'400'000LL + i % 86'400'000);
        }
        (void)st.import_responses(rows);
      }
      std::printf("  %.0f rows/s\n", static_cast<double>(answers - have) /
                                         std::chrono::duration<double>(Clock::now() - t0).count());
    }
    std::vector<double> summary_ms, trend_ms, scan_ms;
    long summarized = 0;
    for (int r = 0; r < 5; ++r) {
      auto t0 = Clock::now();
      auto s = c.Get("/v1/admin/surveys/bench/summary", {{"Authorization", "Bearer bench-admin-token"}});
      summary_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      t0 = Clock::now();
      auto tr = c.Get("/v1/admin/surveys/bench/trend?interval=week",
                      {{"Authorization", "Bearer bench-admin-token"}});
      trend_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      t0 = Clock::now();
      const auto scanned = st.scan_tally("bench");
      scan_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (!s || s->status != 200 || !tr || tr->status != 200) {
        std::fprintf(stderr, "analytics failed\n");
        continue;
      }
      // The tallies must agree with the rows, or the speed-up would mean nothing.
      summarized = nps::json::parse(s->body).at("n").get<long>();
      if (summarized != static_cast<long>(scanned.n()))
        std::fprintf(stderr, "summary n %ld differs from the rows' %llu\n", summarized,
                     static_cast<unsigned long long>(scanned.n()));
    }
    const long n = static_cast<long>(st.count_responses("bench"));
    std::printf(
        "analytics over %ld answers (summary n = %ld): summary %.2f ms, weekly trend %.2f ms (HTTP, from day "
        "tallies) | raw SQL scan of the rows %.2f ms | scan / summary: %.0fx, scan / trend: %.0fx\n",
        n, summarized, median(summary_ms), median(trend_ms), median(scan_ms),
        median(scan_ms) / median(summary_ms), median(scan_ms) / median(trend_ms));
  }
  server->stop();
  if (!std::getenv("NPSD_BENCH_KEEP"))
    std::filesystem::remove_all(dir);
  else
    std::printf("kept %s\n", dir.c_str());
  return 0;
}
