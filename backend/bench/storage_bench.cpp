// storage_bench: insert_response rates of the SQLite and PostgreSQL engines, straight on the
// storage interface (no HTTP), with 1 and with 8 concurrent callers, and their ratios
// measured in one run. Each engine gets a fresh database; every answer has its own key.
// Not a test: figures vary run to run on a shared machine (median of alternating rounds).
//
//   NPSD_BENCH_PG_URL=postgresql://… build/native/backend/storage_bench [--seconds 3] [--rounds 3]
//   tests/pg/with_postgres.sh sh -c 'NPSD_BENCH_PG_URL=$NPSD_TEST_PG_URL build/native/backend/storage_bench'
#include "storage_open.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace npsd;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Answers per second stored by `clients` threads calling insert_response for `seconds`.
double rate(Storage& db, int clients, double seconds, const std::string& tag) {
  std::atomic<bool> stop{false};
  std::atomic<long> stored{0};
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  for (int c = 0; c < clients; ++c)
    threads.emplace_back([&, c] {
      for (long i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        nps::Response r;
        r.survey_id = "bench";
        r.score = nps::Score::from_int(i % 11).value();
        r.idempotency_key = tag + "-" + std::to_string(c) + "-" + std::to_string(i);
        r.channel = nps::Channel::web;
        r.locale = "en";
        if (i % 3 == 0) r.comment = "a comment of ordinary length about the product";
        if (db.insert_response(r, 1'750'000'000'000 + i, 0).status == Inserted::created) ++stored;
      }
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& t : threads)
    t.join();
  return static_cast<double>(stored) / std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
  double seconds = 3;
  int rounds = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--seconds")
      seconds = std::atof(argv[i + 1]);
    else if (a == "--rounds")
      rounds = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "storage_bench: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  const char* pg_url = std::getenv("NPSD_BENCH_PG_URL");
  if (!pg_url || !*pg_url) {
    std::fprintf(stderr, "storage_bench: set NPSD_BENCH_PG_URL to an empty PostgreSQL database\n");
    return 2;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("storage-bench-" + std::to_string(std::random_device()()));
  std::filesystem::create_directories(dir);
  try {
    auto sqlite = open_storage((dir / "bench.sqlite3").string());
    auto postgres = open_storage(pg_url);
    std::vector<double> s1, s8, p1, p8;
    for (int r = 0; r < rounds; ++r) { // alternating, so a slow moment of the machine hits both
      const auto tag = "r" + std::to_string(r);
      s1.push_back(rate(*sqlite, 1, seconds, tag + "s1"));
      p1.push_back(rate(*postgres, 1, seconds, tag + "p1"));
      s8.push_back(rate(*sqlite, 8, seconds, tag + "s8"));
      p8.push_back(rate(*postgres, 8, seconds, tag + "p8"));
    }
    const double S1 = median(s1), S8 = median(s8), P1 = median(p1), P8 = median(p8);
    std::printf("insert_response, answers/s (median of %d rounds of %.1f s, fsync on both)\n", rounds,
                seconds);
    std::printf("  %-12s %10s %10s %12s\n", "engine", "1 client", "8 clients", "8 / 1");
    std::printf("  %-12s %10.0f %10.0f %12.2f\n", "SQLite", S1, S8, S8 / S1);
    std::printf("  %-12s %10.0f %10.0f %12.2f\n", "PostgreSQL", P1, P8, P8 / P1);
    std::printf("  PostgreSQL / SQLite: %.2f with 1 client, %.2f with 8 clients\n", P1 / S1, P8 / S8);
    std::printf("  rows check: SQLite %llu, PostgreSQL %llu answers stored\n",
                static_cast<unsigned long long>(sqlite->count_responses("bench")),
                static_cast<unsigned long long>(postgres->count_responses("bench")));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "storage_bench: %s\n", e.what());
    std::filesystem::remove_all(dir);
    return 1;
  }
  std::filesystem::remove_all(dir);
  return 0;
}
