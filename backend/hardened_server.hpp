// cpp-httplib's Server behind npsd's own connection front.
//
// Debian 12 ships cpp-httplib 0.11.4, whose server gives each connection a thread for its
// whole life, reads with a per-read timeout only, buffers header lines without bound, frames
// bodies leniently ("Content-Length: 12abc" is 12, a GET's body is left on the connection and
// read as the next request) and applies no limit to chunked bodies. We keep 0.11.4 for what it
// does well, parsing a request's head and routing it, and own the rest: the accept loop and
// every connection (http_front.hpp: one epoll thread, each request read completely and framed
// strictly by http_framing.hpp before a worker sees it), the limits, the worker pool, keep-alive
// and the graceful stop. httplib's `process_request` then reads from the buffered request,
// never from the socket. Missing: TLS (terminate it in a proxy).
#pragma once

#include "http_front.hpp"

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace npsd {

// An answer a handler gives later, from another thread (issue 18: no worker thread sleeps
// while an answer's batch commits). The handler asks HardenedServer::reply_later() for one,
// starts the work that will resolve it, then calls defer() and returns leaving `res` without a
// body. httplib then writes the response's head as usual: the server's headers and the
// handler's (CORS, request id, security headers, keep-alive). That head is kept, not sent.
// resolve() gives the status and the body, which replace its status line and its empty body;
// the front writes the reply, and the connection goes on with its next request.
class DeferredReply : public std::enable_shared_from_this<DeferredReply> {
public:
  // From any thread, once: fill(res) sets res.status and res.body (send_json, send_error...).
  // It runs on the front's thread, which writes the reply at once: it must be quick.
  void resolve(std::function<void(httplib::Response&)> fill);

private:
  friend class HardenedServer;
  explicit DeferredReply(http::Front& front) : front_(front) {}
  // By the worker once httplib wrote the head: the connection, and whether it stays open.
  void captured(std::unique_ptr<http::Conn> conn, std::string head, bool keep);
  void finish(); // on the front's thread, once both happened

  http::Front& front_;
  std::mutex mu_;
  std::function<void(httplib::Response&)> fill_;
  std::unique_ptr<http::Conn> conn_;
  std::string head_;
  bool keep_ = false, captured_ = false, resolved_ = false;
};

class HardenedServer : public httplib::Server {
public:
  explicit HardenedServer(const ConnectionLimits& limits);
  ~HardenedServer() override;

  // Debian's build listens with a backlog of 5: a burst of new connections then waits
  // for SYN retries (1 s, 3 s, …). Call after binding to raise it to the system maximum.
  void widen_backlog();

  // Before listening: the largest body a request may carry, by method and (percent-decoded)
  // path; a larger declared or streamed body is answered 413 at once. Default: limits.body_bytes.
  void set_body_limit(http::BodyLimit limit);

  // These hide httplib's own (non-virtual) ones, which would run its unguarded accept loop.
  // Serves until stopped; the socket comes from bind_to_port or bind_to_any_port.
  bool listen_after_bind();
  bool listen(const std::string& host, int port, int socket_flags = 0);
  [[nodiscard]] bool is_running() const;
  void stop() { shutdown_gracefully(); }

  // Stops accepting; idle connections and those still sending headers close at once;
  // requests being read or served finish, streamed responses to their last chunk.
  void shutdown_gracefully();

  // For handlers and the logger, on the thread serving the request:
  // when the current request's first byte arrived.
  [[nodiscard]] static std::chrono::steady_clock::time_point request_started();
  // Close the connection after this response.
  static void close_after_response();
  // A reply the current request may be given later (DeferredReply), or null when it must be
  // answered now: it is the last of its connection, or the server is stopping.
  [[nodiscard]] std::shared_ptr<DeferredReply> reply_later();
  // The current request is answered by `later` (from reply_later()), not by `res`.
  static void defer(std::shared_ptr<DeferredReply> later);
  // Whether the current request was deferred (the logger's cue to leave it to the reply).
  [[nodiscard]] static bool deferred();

  // Connections open (waiting for, sending or being served a request).
  [[nodiscard]] std::size_t open_connections() const noexcept { return front_.open(); }
  // Connections and requests answered 503 because the server was full or busy.
  [[nodiscard]] std::uint64_t refused_connections() const noexcept { return front_.refused(); }

private:
  bool serve(std::unique_ptr<http::Conn>& conn);

  ConnectionLimits limits_;
  http::Front front_;
  bool ran_ = false;
};

} // namespace npsd
