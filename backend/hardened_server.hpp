// cpp-httplib's Server with bounds on what one connection may hold.
//
// Debian 12 ships cpp-httplib 0.11.4, whose server reads with a per-read timeout only: a
// client that trickles one header byte every few seconds keeps a pool thread forever, the
// header lines are buffered without bound before their length is checked, and
// payload_max_length is not applied to chunked bodies (upstream fixed these, and chunk-size
// parsing, in much later releases; Debian patched only CVE-2023-26130). Instead of
// vendoring a newer release we take over the connection loop, which 0.11.4 exposes as a
// virtual: every request gets a total deadline (first byte to last body byte) and a byte
// budget for headers plus body, enforced by our own Stream; connections are served by a
// bounded pool and, when its queue is full, refused at once with 503.
//
// Implemented: request deadline, idle keep-alive timeout, header+body byte budget, bounded
// thread pool and queue, refusing excess connections, graceful stop (finish in-flight
// requests, close idle keep-alive connections). Missing: TLS (terminate it in a proxy).
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace npsd {

struct ConnectionLimits {
  std::size_t threads = 512;                      // one connection per thread at a time
  std::size_t queue = 2048;                       // accepted connections waiting; beyond: 503 + close
  std::chrono::milliseconds request_time{10'000}; // from a request's first byte to its last
  std::chrono::milliseconds idle_time{5'000};     // keep-alive wait for the next request
  std::size_t header_bytes = 16 * 1024;           // request line + header lines
  std::size_t body_bytes = 1024 * 1024;           // the largest body any route accepts, framing included
  std::size_t requests_per_connection = 10'000;
};

class HardenedServer : public httplib::Server {
public:
  explicit HardenedServer(const ConnectionLimits& limits);
  ~HardenedServer() override;

  // Debian's build listens with a backlog of 5: a burst of new connections then waits
  // for SYN retries (1 s, 3 s, …). Call after binding to raise it to the system maximum.
  void widen_backlog();

  // Stops accepting; requests being served finish, idle connections close.
  void shutdown_gracefully();

  // For handlers and the logger, on the thread serving the request:
  // when the current request's first byte arrived.
  [[nodiscard]] static std::chrono::steady_clock::time_point request_started();
  // Close the connection after this response (e.g. a body was left unread).
  static void close_after_response();

  [[nodiscard]] std::size_t open_connections() const noexcept { return open_.load(); }
  [[nodiscard]] std::uint64_t refused_connections() const noexcept { return refused_.load(); }

private:
  bool process_and_close_socket(socket_t sock) override;
  void linger(int sock);
  void linger_loop();

  ConnectionLimits limits_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::mutex linger_mu_;
  bool linger_stop_ = false;
  std::vector<std::pair<int, std::chrono::steady_clock::time_point>> lingering_;
  std::thread linger_thread_;
};

} // namespace npsd
