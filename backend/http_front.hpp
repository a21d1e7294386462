// npsd's connection front: one thread with epoll owns every connection while it is not being
// served, the way nginx does.
//
// It accepts, reads each request completely into the connection's buffer (RequestFramer
// finds its end) under a per-request deadline and byte limits, and only then hands the
// connection to a bounded pool of workers, which run cpp-httplib's request parsing and
// routing over that buffer. After the response a keep-alive connection comes back to the
// front, with any pipelined bytes, instead of a worker waiting on it. A worker may also hand
// a connection on without answering (an answer waiting for its commit): the reply then comes
// through post() and reply(), written by the front's thread, and no thread waits meanwhile.
// Slow, trickling or idle clients therefore hold no thread; only requests being processed do
// (and long responses: exports, server-sent events). The front answers what httplib never
// sees itself, in the server's JSON error shape: 400, 408, 413, 414, 415, 431, and 503 when it
// holds its maximum of connections, when the queue of complete requests is full, or when a
// request waited there longer than `queue_time`.
#pragma once

#include "http_framing.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace npsd {

struct ConnectionLimits {
  std::size_t threads = 512;                      // requests processed at once (exports and streams included)
  std::size_t queue = 2048;                       // complete requests waiting for a worker; beyond: 503
  std::chrono::milliseconds queue_time{1'000};    // longest wait for a worker; then 503
  std::size_t connections = 10'000;               // open at once (also bounded by the fd limit); beyond: 503
  std::chrono::milliseconds request_time{10'000}; // from a request's first byte to its last; then 408
  std::chrono::milliseconds idle_time{5'000};     // keep-alive wait for the next request
  std::size_t request_line_bytes = 8 * 1024;      // with CR LF; longer: 414
  std::size_t header_line_bytes = 8 * 1024;       // one header line with CR LF; longer: 431
  std::size_t header_bytes = 16 * 1024;           // all header lines; longer: 431
  std::size_t body_bytes = 1024 * 1024;           // a body, when no per-route limit is set; larger: 413
  std::size_t requests_per_connection = 10'000;
};

namespace http {

using Clock = std::chrono::steady_clock;

// One client connection. Owned by the front while it waits for or reads a request, by one
// worker while its request is processed.
struct Conn {
  Conn(int sock, const HeadLimits& head, const BodyLimit& body) : fd(sock), framer(head, body) {}
  int fd;
  std::string in; // from the current request's first byte on
  RequestFramer framer;
  std::size_t request_end = 0; // bytes of `in` making the request handed to the worker
  Clock::time_point started{}; // first byte of the current request
  Clock::time_point deadline{};
  std::size_t served = 0;
  bool peer_closed = false; // the client sent FIN after its request
  bool lingering = false;   // answered and half-closed: draining until the client closes
};

class Front {
public:
  // Runs on a worker: answers the request in conn->in[0, request_end). True to keep the
  // connection open for another request. It may instead take the connection (move it out):
  // its answer then comes later, through post() and reply(), and no worker waits for it.
  using Serve = std::function<bool(std::unique_ptr<Conn>&)>;

  Front(const ConnectionLimits& limits, Serve serve);
  ~Front();
  Front(const Front&) = delete;
  Front& operator=(const Front&) = delete;

  // Before run(): the largest body per (method, path).
  void set_body_limit(BodyLimit limit) { body_limit_ = std::move(limit); }

  // Serves the listening socket until stop(); closes it. False when it cannot start.
  bool run(int listen_fd);
  // Stops accepting, closes idle connections and those still sending headers; requests
  // being read, queued or processed finish, each response to its end.
  void stop();

  // From any thread: runs `task` on the front's thread soon (while it runs; it runs until
  // every connection taken by a Serve was answered). Tasks posted together wake it once.
  void post(std::function<void()> task);
  // On the front's thread (a posted task): writes `bytes`, the answer to the request of a
  // connection a Serve took, then watches the connection for its next request (keep) or
  // closes it. What the socket does not take at once is written by a worker.
  void reply(std::unique_ptr<Conn> c, std::string bytes, bool keep);

  [[nodiscard]] bool running() const noexcept { return running_.load(); }
  [[nodiscard]] bool stopping() const noexcept { return stopping_.load(); }
  [[nodiscard]] std::size_t open() const noexcept { return open_.load(); }
  [[nodiscard]] std::uint64_t refused() const noexcept { return refused_.load(); }

private:
  struct Job {
    std::unique_ptr<Conn> conn;
    Clock::time_point queued;
    std::string out;        // set: the rest of a reply to write, instead of a request to serve
    bool keep_after = true; // with `out`: the connection stays open once it is written
  };
  struct Returned {
    std::unique_ptr<Conn> conn;
    bool keep;
  };

  void loop();
  void accept_all();
  void on_event(int fd);
  void adopt(std::unique_ptr<Conn> c); // watched by the front again
  void advance(Conn& c);               // frames what `in` holds: dispatches, answers or waits
  void dispatch(Conn& c);
  void answer_and_close(Conn& c, int status, std::string_view code, std::string_view message);
  void linger(Conn& c);
  void close_now(int fd);
  void expire(Clock::time_point now);
  void take_returned();
  void back(std::unique_ptr<Conn> c, bool keep, Clock::time_point now); // a request answered
  void run_posted();
  void begin_stop();
  void wake();
  void work();
  void set_watch(int fd, bool on);

  ConnectionLimits limits_;
  http::HeadLimits head_;
  BodyLimit body_limit_;
  Serve serve_;
  std::size_t max_connections_ = 0;
  std::size_t linger_max_ = 0;

  int listen_fd_ = -1, epoll_fd_ = -1, wake_fd_ = -1;
  std::unordered_map<int, std::unique_ptr<Conn>> conns_; // front thread only
  std::size_t lingering_ = 0;
  bool stop_begun_ = false;
  bool accept_paused_ = false; // out of file descriptors for a moment
  Clock::time_point accept_paused_until_{};
  Clock::time_point next_scan_{};

  std::atomic<bool> running_{false}, stopping_{false};
  std::atomic<std::size_t> open_{0};
  std::atomic<std::uint64_t> refused_{0};

  std::mutex mu_; // guards the members below
  std::condition_variable work_cv_;
  std::deque<Job> queue_;
  std::vector<Returned> returned_;
  std::vector<std::function<void()>> posted_;
  bool wake_pending_ = false; // posted_ has tasks the front was woken for
  std::size_t busy_ = 0;
  bool workers_stop_ = false;
  std::vector<std::thread> workers_;
};

} // namespace http
} // namespace npsd
