#include "hardened_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <utility>

namespace npsd {

namespace {

using Clock = std::chrono::steady_clock;

thread_local Clock::time_point t_request_started{};
thread_local bool t_close_after = false;
thread_local bool t_last = false;                         // the request is its connection's last
thread_local std::shared_ptr<DeferredReply> t_deferred{}; // set by defer()

bool wait_writable(int sock, int ms) {
  pollfd p{sock, POLLOUT, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, ms);
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0 && (p.revents & POLLOUT) != 0;
  }
}

// What httplib reads a request from: the bytes the front framed, then end of stream, so it
// can never read past the request into the next one. Writes go to the socket, waiting at
// most `write_time` for it to take more. httplib writes a response's head and its body
// separately: the head of a response with a Content-Length is held and sent with the body,
// one send() and one TCP segment instead of two (issue 18: a system call less per request).
// A streamed response (chunked: server-sent events, exports) has none, and its head goes out
// at once: its first chunk may wait for an event.
class BufferedRequestStream final : public httplib::Stream {
public:
  BufferedRequestStream(const http::Conn& conn, std::chrono::milliseconds write_time)
      : conn_(conn), write_ms_(static_cast<int>(write_time.count())) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return flush() && wait_writable(conn_.fd, write_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    const std::size_t n = std::min(size, conn_.request_end - off_);
    std::memcpy(ptr, conn_.in.data() + off_, n);
    off_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (t_deferred) { // the head of a reply given later: kept for it
      captured_.append(ptr, size);
      return static_cast<ssize_t>(size);
    }
    const std::string_view data(ptr, size);
    if (first_write_ && data.find("\r\nContent-Length: ") != std::string_view::npos && size <= kHold) {
      first_write_ = false; // the head of a response whose body follows at once: held for it
      held_.assign(data);
      return static_cast<ssize_t>(size);
    }
    first_write_ = false;
    if (!held_.empty()) {
      if (held_.size() + size <= kHold) {
        held_.append(data);
        return flush() ? static_cast<ssize_t>(size) : -1;
      }
      if (!flush()) return -1;
    }
    return send_some(ptr, size);
  }

  // Sends what is held; false when the socket failed or stayed full past `write_time`.
  bool flush() const {
    std::size_t off = 0;
    while (off < held_.size()) {
      const ssize_t n = send_some(held_.data() + off, held_.size() - off);
      if (n < 0) return false;
      off += static_cast<std::size_t>(n);
    }
    held_.clear();
    return true;
  }

  // What was written while the request was deferred: the head of its reply.
  std::string take_captured() { return std::move(captured_); }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return conn_.fd; }

private:
  static constexpr std::size_t kHold = 16 * 1024;

  ssize_t send_some(const char* ptr, size_t size) const {
    for (;;) {
      const ssize_t n = ::send(conn_.fd, ptr, size, MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno != EAGAIN && errno != EWOULDBLOCK) || !wait_writable(conn_.fd, write_ms_)) return -1;
    }
  }

  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if ((remote ? ::getpeername(conn_.fd, sa, &len) : ::getsockname(conn_.fd, sa, &len)) != 0) return;
    char host[INET6_ADDRSTRLEN] = {};
    if (ss.ss_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(&ss);
      ::inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
      port = ntohs(in->sin_port);
    } else if (ss.ss_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(&ss);
      ::inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
      port = ntohs(in6->sin6_port);
    }
    ip = host;
  }

  const http::Conn& conn_;
  int write_ms_;
  std::size_t off_ = 0;
  mutable std::string held_;
  std::string captured_;
  bool first_write_ = true;
};

} // namespace

HardenedServer::HardenedServer(const ConnectionLimits& limits)
    : limits_(limits), front_(limits_, [this](std::unique_ptr<http::Conn>& c) { return serve(c); }) {
  set_keep_alive_max_count(limits_.requests_per_connection);
  set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits_.idle_time).count());
  // SO_REUSEADDR only (a restart may bind while old connections are in TIME_WAIT), not
  // cpp-httplib's default SO_REUSEPORT too, with which a second npsd on the same port
  // started without complaint and the kernel split the requests between the two.
  set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

HardenedServer::~HardenedServer() {
  front_.stop();
  const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
  if (!ran_ && sock != INVALID_SOCKET) ::close(sock); // bound but never served
}

void HardenedServer::set_body_limit(http::BodyLimit limit) { front_.set_body_limit(std::move(limit)); }

void HardenedServer::widen_backlog() {
  const socket_t sock = svr_sock_;
  if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
}

bool HardenedServer::listen_after_bind() {
  const socket_t sock = svr_sock_;
  if (sock == INVALID_SOCKET || ran_) return false;
  ran_ = true;
  const bool ok = front_.run(sock); // closes the listening socket when told to stop
  // Only now, with every response written: httplib ends a chunked response early, without
  // its last chunk, once it sees svr_sock_ invalid.
  svr_sock_ = INVALID_SOCKET;
  return ok;
}

bool HardenedServer::listen(const std::string& host, int port, int socket_flags) {
  return bind_to_port(host, port, socket_flags) && listen_after_bind();
}

bool HardenedServer::is_running() const { return front_.running(); }

void HardenedServer::shutdown_gracefully() { front_.stop(); }

std::chrono::steady_clock::time_point HardenedServer::request_started() { return t_request_started; }
void HardenedServer::close_after_response() { t_close_after = true; }

std::shared_ptr<DeferredReply> HardenedServer::reply_later() {
  if (t_last || front_.stopping()) return nullptr;
  return std::shared_ptr<DeferredReply>(new DeferredReply(front_));
}
void HardenedServer::defer(std::shared_ptr<DeferredReply> later) { t_deferred = std::move(later); }
bool HardenedServer::deferred() { return t_deferred != nullptr; }

// On a worker: httplib parses, routes and answers the request the front framed.
bool HardenedServer::serve(std::unique_ptr<http::Conn>& taken) {
  http::Conn& conn = *taken;
  t_request_started = conn.started;
  t_close_after = false;
  t_deferred.reset();
  const bool last = front_.stopping() || conn.peer_closed || ++conn.served >= limits_.requests_per_connection;
  t_last = last;
  BufferedRequestStream strm(conn, limits_.request_time);
  bool connection_closed = false;
  const bool written = process_request(strm, last, connection_closed, {}) && strm.flush();
  // Whatever part of the body the handler left unread goes with its request: the next
  // request starts exactly where the front found this one's end.
  conn.in.erase(0, conn.request_end);
  if (auto later = std::exchange(t_deferred, nullptr)) { // answered later: the connection goes with it
    later->captured(std::move(taken), strm.take_captured(), !connection_closed && !t_close_after);
    return false;
  }
  return written && !connection_closed && !last && !t_close_after;
}

} // namespace npsd
