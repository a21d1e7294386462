// A real npsd on a free loopback port with a temporary SQLite file, a settable clock and
// a known admin token; clients with TCP_NODELAY; raw sockets for hostile clients.
#pragma once

#include "server.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include "nps/json.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <string>

namespace npsd::test {

inline constexpr const char* kAdminToken = "test-admin-token-0123456789";
inline constexpr Millis kNow = 1'750'000'000'000; // 2025-06-15T15:06:40Z

// Running(on_test_engine): the server keeps its data where the storage suite runs (a
// PostgreSQL schema under tests/pg/with_postgres.sh), rather than in a SQLite file always.
struct OnTestEngine {};
inline constexpr OnTestEngine on_test_engine{};

struct Running {
  TempDir dir;
  std::string database; // "" : dir/npsd.sqlite3
  std::shared_ptr<std::atomic<Millis>> now = std::make_shared<std::atomic<Millis>>(kNow);
  std::unique_ptr<NpsServer> server;

  explicit Running(Config c = {}) { start(std::move(c)); }
  explicit Running(OnTestEngine, Config c = {}) : database(test_database(dir, "npsd")) {
    start(std::move(c));
  }
  void start(Config c) {
    c.host = "127.0.0.1";
    c.port = 0;
    c.database = database.empty() ? dir.file("npsd.sqlite3") : database;
    c.admin_token = kAdminToken;
    c.log_requests = false;
    auto clock = now;
    c.clock = [clock] { return clock->load(); };
    server = make_server(std::move(c));
    server->start();
  }
  void restart(Config c = {}) {
    server->stop();
    server.reset();
    start(std::move(c));
  }

  [[nodiscard]] std::unique_ptr<httplib::Client> client() const {
    auto cl = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    cl->set_tcp_nodelay(true);
    cl->set_read_timeout(10, 0);
    return cl;
  }
  [[nodiscard]] httplib::Headers admin() const {
    return {{"Authorization", std::string("Bearer ") + kAdminToken}};
  }
};

inline nps::json body_of(const httplib::Result& r) {
  return r ? nps::json::parse(r->body, nullptr, false) : nps::json();
}

// Creates a survey through the admin API; returns the HTTP status.
inline int create_survey(const Running& s, const nps::json& definition) {
  auto r = s.client()->Post("/v1/admin/surveys", s.admin(), nps::dump(definition), "application/json");
  return r ? r->status : -1;
}

inline httplib::Result post_response(httplib::Client& c, const std::string& survey, const nps::json& body,
                                     const httplib::Headers& headers = {}) {
  return c.Post(("/v1/surveys/" + survey + "/responses").c_str(), headers, nps::dump(body),
                "application/json");
}

// A plain blocking TCP connection to the server, for what httplib's client will not send.
class RawConn {
public:
  explicit RawConn(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  RawConn(const RawConn&) = delete;
  RawConn& operator=(const RawConn&) = delete;
  ~RawConn() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] bool ok() const { return ok_; }
  bool send(const std::string& s) {
    return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  // Everything until the peer closes or `timeout_ms` passes.
  std::string read_all(int timeout_ms = 5000) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[4096];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }

private:
  int fd_ = -1;
  bool ok_ = false;
};

} // namespace npsd::test
