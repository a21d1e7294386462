// npsd_bench: ingestion throughput and latency against the same server's ceiling for a
// request served from memory, and analytics from the day tallies against a raw scan.
// Not a test: numbers vary ±20% run to run on a shared machine, so each figure is the
// median of alternating rounds and the ratios are measured within one run.
//
//   build/native/backend/npsd_bench [--clients 32] [--seconds 3] [--rounds 3] [--answers 1000000,10000000]
//                                   [--db postgresql://…] [--processes 3] [--only config|ingestion]
//                                   [--client lean|httplib]
//
// --only: that load alone for --rounds × --seconds, then exit: what to run under a profiler
// (perf record --call-graph dwarf … --only ingestion) to see where an answer's CPU goes.
// --db: the engine (default a fresh SQLite file); on PostgreSQL the database should be empty.
// --processes N: N npsd processes on that one PostgreSQL database, as behind a load balancer:
// this one in-process and N-1 `npsd` started beside this program; the clients are spread over
// them, for the ceiling and the ingestion alike, so the ratio compares like with like.
// --client: the load's clients (bench_client.hpp). lean (the default) writes a request with one
// send(), as wrk or a browser's fetch; httplib is cpp-httplib's client, the load before
// 2026-11-30: a POST in two TCP segments, and about as much CPU per request as the server's
// answer to a config request, on the same two cores.
#include "bench_client.hpp"
#include "server.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <netinet/in.h>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace npsd;
using Clock = std::chrono::steady_clock;

namespace {

struct Figures {
  double rps = 0, p50 = 0, p99 = 0;
  double cpu_us = 0;    // this process's CPU time (user + system, all threads) per request
  double writer_us = 0; // the busiest thread's CPU time per request (ingestion: the writer)
  double client_us = 0; // the load's clients' CPU time per request (they run in this process)
};

// CPU seconds (user + system) of each thread of this process, by thread id.
std::vector<std::pair<std::string, double>> thread_cpu() {
  std::vector<std::pair<std::string, double>> out;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  for (const auto& t : std::filesystem::directory_iterator("/proc/self/task")) {
    std::FILE* f = std::fopen((t.path() / "stat").c_str(), "r");
    if (!f) continue;
    char buf[1024];
    const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
    std::fclose(f);
    buf[n] = 0;
    const char* p = std::strrchr(buf, ')'); // the name may hold spaces; the fields follow it
    unsigned long utime = 0, stime = 0;
    if (p && std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) == 2)
      out.emplace_back(t.path().filename().string(), static_cast<double>(utime + stime) / tick);
  }
  return out;
}

double process_cpu() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// `clients` keep-alive connections of type Client (bench_client.hpp), spread over `ports`,
// issue requests for `seconds`; request(client, i) does one.
template <class Client, class F>
Figures load(const std::vector<int>& ports, int clients, double seconds, F request) {
  std::vector<std::vector<double>> lat(static_cast<std::size_t>(clients));
  std::atomic<bool> stop{false};
  std::atomic<long> client_ns{0};
  std::vector<std::thread> threads;
  static std::atomic<long> seq{0};
  const double cpu0 = process_cpu();
  const auto threads0 = thread_cpu();
  for (int t = 0; t < clients; ++t)
    threads.emplace_back([&, t] {
      Client c(ports[static_cast<std::size_t>(t) % ports.size()]);
      while (!stop) {
        const auto t0 = Clock::now();
        const bool ok = request(c, seq++);
        if (!ok) std::fprintf(stderr, "request failed\n");
        lat[static_cast<std::size_t>(t)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      timespec cpu{};
      ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
      client_ns += cpu.tv_sec * 1'000'000'000L + cpu.tv_nsec;
    });
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  const auto threads1 = thread_cpu(); // before the clients end: their threads still count
  for (auto& th : threads)
    th.join();
  const double cpu = process_cpu() - cpu0;
  double busiest = 0;
  for (const auto& [tid, s1] : threads1) {
    double s0 = 0;
    for (const auto& [tid0, v] : threads0)
      if (tid0 == tid) s0 = v;
    busiest = std::max(busiest, s1 - s0);
  }
  std::vector<double> all;
  for (auto& l : lat)
    all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  const double n = static_cast<double>(all.size());
  return {n / seconds,   all[all.size() / 2], all[all.size() * 99 / 100],
          cpu / n * 1e6, busiest / n * 1e6,   static_cast<double>(client_ns) / n / 1e3};
}

// Resident memory of a process in MiB (VmRSS), 0 when unknown.
double rss_mib(const std::string& pid) {
  std::FILE* f = std::fopen(("/proc/" + pid + "/status").c_str(), "r");
  if (!f) return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmRSS: %lf kB", &kib) == 1) break;
  std::fclose(f);
  return kib / 1024;
}

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    std::perror("npsd_bench: no free port");
    std::exit(1);
  }
  ::close(fd);
  return ntohs(a.sin_port);
}

// Another npsd on the same database: the binary beside this one, on a free loopback port;
// returns once it answers /healthz.
pid_t start_npsd(const std::string& db, int port) {
  const auto self = std::filesystem::read_symlink("/proc/self/exe");
  const std::string npsd = (self.parent_path() / "npsd").string();
  const std::string listen = "127.0.0.1:" + std::to_string(port);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(npsd.c_str(), npsd.c_str(), "--listen", listen.c_str(), "--db", db.c_str(), "--quiet",
            static_cast<char*>(nullptr));
    std::perror("npsd_bench: exec npsd");
    std::_Exit(127);
  }
  httplib::Client c("127.0.0.1", port);
  for (int i = 0; i < 300; ++i) {
    if (auto r = c.Get("/healthz"); r && r->status == 200) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::fprintf(stderr, "npsd_bench: %s did not start on %s\n", npsd.c_str(), listen.c_str());
  std::exit(1);
}

} // namespace

int main(int argc, char** argv) {
  // 32 clients by default: with group commit, ingestion is bounded by how many answers wait
  // for one fsync; with 8 keep-alive clients each waiting its turn, the rate is about 8 / p50
  // (latency, not capacity), while the ceiling's requests need no fsync (issue 18).
  int clients = 32, rounds = 3, processes = 1;
  std::string db, only, client = "lean";
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
    else if (a == "--db")
      db = argv[i + 1];
    else if (a == "--processes")
      processes = std::stoi(argv[i + 1]);
    else if (a == "--client")
      client = argv[i + 1];
    else if (a == "--only") // config or ingestion: that load alone, for a profiler (perf record)
      only = argv[i + 1];
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
  const bool postgres = db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0;
  if (client != "lean" && client != "httplib") {
    std::fprintf(stderr, "npsd_bench: --client is lean or httplib\n");
    return 2;
  }
  if (processes < 1 || (processes > 1 && !postgres)) {
    std::fprintf(stderr, "npsd_bench: --processes above 1 needs --db postgresql://…\n");
    return 2;
  }
  config.database = db.empty() ? (dir / "bench.sqlite3").string() : db;
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
  std::vector<int> ports{port};
  std::vector<pid_t> children;
  for (int i = 1; i < processes; ++i) {
    ports.push_back(free_port());
    children.push_back(start_npsd(config.database, ports.back()));
  }
  // Each process serves the survey (the others learn of it by NOTIFY) before the clock starts.
  for (const int p : ports) {
    httplib::Client c("127.0.0.1", p);
    for (int i = 0; i < 100; ++i) {
      if (auto r = c.Get("/v1/surveys/bench/config"); r && r->status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  auto config_get = [](auto& c, long) { return c.get("/v1/surveys/bench/config") == 200; };
  auto ingest = [](auto& c, long i) {
    const std::string body = R"({"score":)" + std::to_string(i % 11) + R"(,"idempotency_key":"bench-)" +
                             std::to_string(100000000 + i) + R"(","channel":"web","comment":"fine"})";
    return c.post("/v1/surveys/bench/responses", body, "application/json") == 201;
  };
  // The same load through either kind of client.
  auto run_load = [&](const std::vector<int>& to, auto request) {
    return client == "httplib" ? load<bench::HttplibClient>(to, clients, seconds, request)
                               : load<bench::LeanClient>(to, clients, seconds, request);
  };

  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  std::printf("npsd_bench: %s, %d npsd process%s, %d keep-alive %s clients (TCP_NODELAY), %d alternating "
              "rounds of %.1f s, %u cores\n",
              postgres ? "PostgreSQL" : "SQLite", processes, processes == 1 ? "" : "es", clients,
              client.c_str(), rounds, seconds, std::thread::hardware_concurrency());
  // Memory: this process holds npsd and the load's clients; the others are npsd alone.
  auto memory = [&](const char* when) {
    std::printf("resident memory %s: this process (npsd + clients) %.1f MiB", when, rss_mib("self"));
    for (const pid_t pid : children)
      std::printf(", npsd %d %.1f MiB", static_cast<int>(pid), rss_mib(std::to_string(pid)));
    std::printf("\n");
  };
  memory("idle");
  auto stop_children = [&] {
    for (const pid_t pid : children) {
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    children.clear();
  };
  auto finish = [&] {
    stop_children();
    server->stop();
    if (!std::getenv("NPSD_BENCH_KEEP"))
      std::filesystem::remove_all(dir);
    else
      std::printf("kept %s\n", dir.c_str());
    return 0;
  };
  if (only == "config" || only == "ingestion") {
    for (int r = 0; r < rounds; ++r) {
      const auto f = only == "config" ? run_load(ports, config_get) : run_load(ports, ingest);
      std::printf("  %s: %.0f req/s, %.0f us CPU each (clients %.0f, the busiest thread %.0f)\n",
                  only.c_str(), f.rps, f.cpu_us, f.client_us, f.writer_us);
    }
    return finish();
  }
  std::vector<double> ceil_rps, ing_rps, ing_p50, ing_p99, cfg_p99, cfg_cpu, ing_cpu, ing_writer, cfg_client,
      ing_client;
  for (int r = 0; r < rounds; ++r) {
    const auto a = run_load(ports, config_get);
    const auto b = run_load(ports, ingest);
    ceil_rps.push_back(a.rps);
    cfg_p99.push_back(a.p99);
    ing_rps.push_back(b.rps);
    ing_p50.push_back(b.p50);
    ing_p99.push_back(b.p99);
    cfg_cpu.push_back(a.cpu_us);
    ing_cpu.push_back(b.cpu_us);
    ing_writer.push_back(b.writer_us);
    cfg_client.push_back(a.client_us);
    ing_client.push_back(b.client_us);
    std::printf(
        "  round %d: config %.0f req/s (p99 %.2f ms, %.0f us CPU each) | ingestion %.0f req/s (p50 %.2f ms, "
        "p99 %.2f ms, %.0f us CPU each, %.0f us in the busiest thread)\n",
        r + 1, a.rps, a.p99, a.cpu_us, b.rps, b.p50, b.p99, b.cpu_us, b.writer_us);
  }
  std::printf("config (from memory, the trivial-endpoint ceiling): %.0f req/s, p99 %.2f ms\n",
              median(ceil_rps), median(cfg_p99));
  std::printf(
      "ingestion (POST, validated, durable with fsync, group commit): %.0f req/s, p50 %.2f ms, p99 %.2f ms\n",
      median(ing_rps), median(ing_p50), median(ing_p99));
  std::printf("ingestion / ceiling: %.2f\n", median(ing_rps) / median(ceil_rps));
  // CPU time does not depend on what else the machine runs as much as throughput does: the
  // figures to compare two builds by on a shared machine. With one process, the clients' CPU
  // is counted too (they run in it), for the ceiling and the ingestion alike.
  std::printf("CPU per request (this process, all threads): config %.0f us (clients %.0f), ingestion %.0f us "
              "(clients %.0f, the busiest thread: the writer %.0f)\n",
              median(cfg_cpu), median(cfg_client), median(ing_cpu), median(ing_client), median(ing_writer));
  memory("after the load");
  stop_children();

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
          // 40 pages, 3 plans and a comment on every fifth answer: what the breakdowns by page
          // and attribute and the comment search read.
          r.page = "https://app.example.com/p" + std::to_string((i / 3) % 40);
          r.attributes = nps::json{{"plan", i % 3 == 0 ? "free" : i % 3 == 1 ? "team" : "business"}};
          if (i % 5 == 0) r.comment = (i / 5) % 50 == 0 ? "checkout was slow again" : "fine, thanks";
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
    // The other dashboard requests, each the median of 5, beside the same raw scan; with a
    // segment filter (channel=, device=, locale=) too, as a team's dashboard asks them.
    struct Request {
      const char* name;
      std::string path;
      bool breakdown; // by page or attribute: checked against the same groups counted from the rows
      std::optional<std::string> attribute, channel, device, locale;
    };
    const std::string base = "/v1/admin/surveys/bench/";
    const std::vector<Request> pages = {
        {"breakdown by channel", base + "breakdown?by=channel", false, {}, {}, {}, {}},
        {"breakdown by page", base + "breakdown?by=page", true, {}, {}, {}, {}},
        {"breakdown by attribute", base + "breakdown?by=attribute:plan", true, "plan", {}, {}, {}},
        {"breakdown by page, channel=web", base + "breakdown?by=page&channel=web", true, {}, "web", {}, {}},
        {"breakdown by page, device=mobile",
         base + "breakdown?by=page&device=mobile",
         true,
         {},
         {},
         "mobile",
         {}},
        {"breakdown by page, locale=de", base + "breakdown?by=page&locale=de", true, {}, {}, {}, "de"},
        {"breakdown by attribute, channel=app",
         base + "breakdown?by=attribute:plan&channel=app",
         true,
         "plan",
         "app",
         {},
         {}},
        {"breakdown by attribute, device=tablet",
         base + "breakdown?by=attribute:plan&device=tablet",
         true,
         "plan",
         {},
         "tablet",
         {}},
        {"breakdown by attribute, locale=ja",
         base + "breakdown?by=attribute:plan&locale=ja",
         true,
         "plan",
         {},
         {},
         "ja"},
        {"breakdown by device, channel=web", base + "breakdown?by=device&channel=web", false, {}, {}, {}, {}},
        {"summary, channel=web", base + "summary?channel=web", false, {}, {}, {}, {}},
        {"summary, device=mobile", base + "summary?device=mobile", false, {}, {}, {}, {}},
        {"summary, locale=de", base + "summary?locale=de", false, {}, {}, {}, {}},
        {"weekly trend, channel=web", base + "trend?interval=week&channel=web", false, {}, {}, {}, {}},
        {"weekly trend, locale=es-MX", base + "trend?interval=week&locale=es-MX", false, {}, {}, {}, {}},
        {"comment search", base + "responses?q=slow&limit=50", false, {}, {}, {}, {}},
        {"comment search, channel=web",
         base + "responses?q=slow&limit=50&channel=web",
         false,
         {},
         {},
         {},
         {}},
        {"comment search, no match", base + "responses?q=nowhere&limit=50", false, {}, {}, {}, {}}};
    for (const auto& q : pages) {
      std::vector<double> ms;
      std::string source = "-";
      nps::json body;
      for (int r = 0; r < 5; ++r) {
        const auto t0 = Clock::now();
        auto res = c.Get(q.path, {{"Authorization", "Bearer bench-admin-token"}});
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (!res || res->status != 200) std::fprintf(stderr, "%s failed\n", q.name);
        if (res && res->status == 200) body = nps::json::parse(res->body, nullptr, false);
      }
      if (body.is_object() && body.contains("source")) source = body["source"].get<std::string>();
      std::printf(
          "  %s over %ld answers: %.2f ms (HTTP, from %s) | raw scan %.2f ms | scan / request: %.1fx\n",
          q.name, n, median(ms), source.c_str(), median(scan_ms), median(scan_ms) / median(ms));
      // Page and attribute (issue 18): the same breakdown counted from the rows, timed, and the
      // answer's segments checked against it, or the speed-up would mean nothing.
      if (!q.breakdown) continue;
      ResponseFilter f;
      f.survey_id = "bench";
      f.channel = q.channel;
      f.device = q.device;
      f.locale = q.locale;
      const auto t0 = Clock::now();
      const auto rows = st.score_groups(f, q.attribute);
      const double rows_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      std::size_t same = 0;
      for (const auto& g : rows)
        for (const auto& seg : body.value("segments", nps::json::array()))
          if (seg["value"] == (g.key.empty() ? nps::json(nullptr) : nps::json(g.key)) &&
              seg["n"].get<std::uint64_t>() == g.tally.n())
            ++same;
      std::printf("    the same breakdown counted from the rows: %.2f ms; %zu of %zu segments equal%s\n",
                  rows_ms, same, rows.size(),
                  same == rows.size() && body["segments"].size() == rows.size() ? "" : " (DIFFERENT)");
    }
    std::printf(
        "analytics over %ld answers (summary n = %ld): summary %.2f ms, weekly trend %.2f ms (HTTP, from day "
        "tallies) | raw SQL scan of the rows %.2f ms | scan / summary: %.0fx, scan / trend: %.0fx\n",
        n, summarized, median(summary_ms), median(trend_ms), median(scan_ms),
        median(scan_ms) / median(summary_ms), median(scan_ms) / median(trend_ms));
  }
  return finish();
}
