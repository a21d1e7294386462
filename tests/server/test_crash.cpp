// kill -9 in the middle of ingestion: every response that got a 201 is there after a
// restart, exactly once. Runs the real npsd binary in a child process.
#include "http_support.hpp"
#include "npsd_process.hpp"
#include "storage.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <mutex>
#include <set>
#include <sys/wait.h>
#include <thread>

using namespace npsd;
using namespace npsd::test;

TEST_CASE("server: after kill -9 every acknowledged response is stored exactly once", "[server][crash]") {
  TempDir dir;
  const auto db = dir.file("crash.sqlite3");
  const int port = free_port();
  pid_t pid = start_npsd(db, port);
  {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post("/v1/admin/surveys", {{"Authorization", std::string("Bearer ") + kAdminToken}},
                    R"({"id":"shop"})", "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
  }

  std::mutex mu;
  std::set<std::string> acknowledged;
  std::atomic<int> sent{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t)
    clients.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(2, 0);
      for (int i = 0; !stop; ++i) {
        const std::string key = "crash-" + std::to_string(t) + "-" + std::to_string(i);
        sent++;
        auto r = post_response(c, "shop", {{"score", i % 11}, {"idempotency_key", key}});
        if (!r) break; // the server is gone
        if (r->status == 201) {
          std::lock_guard lock(mu);
          acknowledged.insert(key);
        }
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  stop = true;
  for (auto& th : clients)
    th.join();
  REQUIRE(acknowledged.size() > 20);

  pid = start_npsd(db, port);
  httplib::Client c("127.0.0.1", port);
  c.set_tcp_nodelay(true);
  for (const auto& key : acknowledged) {
    auto r = post_response(c, "shop", {{"score", 0}, {"idempotency_key", key}});
    REQUIRE(r);
    INFO(key);
    CHECK(r->status == 200); // already there: the original, not a second copy
  }
  ::kill(pid, SIGTERM);
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);

  auto storage = open_sqlite(db);
  const auto rows = storage->count_responses("shop");
  CHECK(rows >= acknowledged.size());
  CHECK(rows <= static_cast<std::uint64_t>(sent.load()));
  nps::Tally tallied;
  for (const auto& row : storage->tallies("shop", 0, 1'000'000))
    tallied.merge(row.tally);
  CHECK(tallied == storage->scan_tally("shop"));
  CHECK(tallied.n() == rows);
}

namespace {

// A raw connection, to hold a request half-sent while the server is told to stop.
struct RawConnection {
  int fd = -1;
  explicit RawConnection(int port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  }
  ~RawConnection() { ::close(fd); }
  void send(const std::string& s) const {
    REQUIRE(::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()));
  }
  std::string read_all() const {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
      out.append(buf, static_cast<std::size_t>(n));
    return out;
  }
};

} // namespace

TEST_CASE("server: SIGTERM answers a request already in flight, stores it, then exits 0", "[server][crash]") {
  TempDir dir;
  const auto db = dir.file("term.sqlite3");
  const int port = free_port();
  const pid_t pid = start_npsd(db, port);
  {
    httplib::Client c("127.0.0.1", port);
    auto r = c.Post("/v1/admin/surveys", {{"Authorization", std::string("Bearer ") + kAdminToken}},
                    R"({"id":"shop"})", "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 201);
  }
  const std::string body =
      R"({"score":9,"idempotency_key":"in-flight-0001","comment":"sent across a restart"})";
  RawConnection conn(port);
  conn.send(
      "POST /v1/surveys/shop/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Connection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, 20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the server is reading the body
  ::kill(pid, SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // told to stop, still reading
  conn.send(body.substr(20));
  const std::string reply = conn.read_all();
  INFO(reply);
  CHECK(reply.rfind("HTTP/1.1 201", 0) == 0);

  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // The answer it acknowledged while stopping is on disk.
  auto storage = open_sqlite(db);
  CHECK(storage->count_responses("shop") == 1);
}
