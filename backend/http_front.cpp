#include "http_front.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace npsd::http {

namespace {

constexpr auto kScanEvery = std::chrono::milliseconds(50);
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kReadPerEvent = 64 * 1024; // then other connections get their turn

// Raises the soft limit on open files to the hard one; returns the soft limit.
std::size_t raise_file_limit() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
  if (rl.rlim_cur < rl.rlim_max) {
    rlimit want = rl;
    want.rlim_cur = rl.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &want) == 0) rl = want;
  }
  return rl.rlim_cur == RLIM_INFINITY ? 1'000'000 : static_cast<std::size_t>(rl.rlim_cur);
}

std::string seconds_text(std::chrono::milliseconds ms) {
  const auto s = ms.count() / 1000, tenths = (ms.count() % 1000) / 100;
  return std::to_string(s) + (tenths ? "." + std::to_string(tenths) : "") + " s";
}

} // namespace

Front::Front(const ConnectionLimits& limits, Serve serve) : limits_(limits), serve_(std::move(serve)) {
  head_.request_line = limits_.request_line_bytes;
  head_.header_line = limits_.header_line_bytes;
  head_.header_block = limits_.header_bytes;
  body_limit_ = [max = limits_.body_bytes](const std::string&, const std::string&) { return max; };
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    const int err = errno;
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    throw std::system_error(err, std::generic_category(), "epoll");
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = wake_fd_;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

Front::~Front() {
  stop();
  for (auto& [fd, c] : conns_)
    ::close(fd);
  ::close(epoll_fd_);
  ::close(wake_fd_);
}

void Front::stop() {
  stopping_ = true;
  wake();
}

void Front::wake() {
  const std::uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof one);
}

bool Front::run(int listen_fd) {
  listen_fd_ = listen_fd;
  const std::size_t files = raise_file_limit();
  // Keep room for the database, logs and connections being refused.
  linger_max_ = std::min<std::size_t>(1024, files / 8);
  max_connections_ =
      std::min(limits_.connections, files > 64 + linger_max_ + 16 ? files - 64 - linger_max_ : 16);
  ::fcntl(listen_fd_, F_SETFL, ::fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
  set_watch(listen_fd_, true);
  {
    std::lock_guard lock(mu_);
    workers_stop_ = false;
  }
  for (std::size_t i = 0; i < std::max<std::size_t>(1, limits_.threads); ++i)
    workers_.emplace_back([this] { work(); });
  running_ = true;
  loop();
  for (auto& [fd, c] : conns_) // only connections lingering after their answer are left
    ::close(fd);
  conns_.clear();
  lingering_ = 0;
  {
    std::lock_guard lock(mu_);
    workers_stop_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_)
    t.join();
  workers_.clear();
  running_ = false;
  return true;
}

void Front::loop() {
  epoll_event events[256];
  for (;;) {
    if (stopping_ && !stop_begun_) begin_stop();
    if (stop_begun_ && open_ == 0) return; // every request answered, every response written
    bool scan = !conns_.empty() || accept_paused_;
    if (!scan) {
      std::lock_guard lock(mu_);
      scan = !queue_.empty();
    }
    const int n = ::epoll_wait(epoll_fd_, events, 256, scan ? static_cast<int>(kScanEvery.count()) : -1);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        std::uint64_t count;
        (void)!::read(wake_fd_, &count, sizeof count);
      } else if (fd == listen_fd_) {
        accept_all();
      } else {
        on_event(fd);
      }
    }
    take_returned();
    run_posted();
    const auto now = Clock::now();
    if (now >= next_scan_) {
      next_scan_ = now + kScanEvery;
      expire(now);
      if (accept_paused_ && now >= accept_paused_until_ && listen_fd_ >= 0) {
        accept_paused_ = false;
        set_watch(listen_fd_, true);
      }
    }
  }
}

void Front::set_watch(int fd, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.fd = fd;
  if (fd == listen_fd_) {
    ev.events = on ? static_cast<std::uint32_t>(EPOLLIN) : 0U;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &ev) != 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev);
    return;
  }
  ::epoll_ctl(epoll_fd_, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &ev);
}

void Front::accept_all() {
  for (;;) {
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop polling the listener for a moment instead of spinning on it.
        accept_paused_ = true;
        accept_paused_until_ = Clock::now() + std::chrono::milliseconds(100);
        set_watch(listen_fd_, false);
      }
      return;
    }
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto c = std::make_unique<Conn>(fd, head_, body_limit_);
    c->deadline = Clock::now() + limits_.idle_time;
    Conn& conn = *c;
    open_++;
    adopt(std::move(c));
    if (open_ > max_connections_) {
      refused_++;
      answer_and_close(conn, 503, "unavailable",
                       "the server holds its maximum of connections, retry shortly");
    } else {
      on_event(fd); // the request often comes with the connection: read it without waiting for epoll
    }
  }
}

void Front::adopt(std::unique_ptr<Conn> c) {
  const int fd = c->fd;
  conns_[fd] = std::move(c);
  set_watch(fd, true);
}

void Front::on_event(int fd) {
  const auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  char buf[16 * 1024];
  std::size_t got = 0;
  while (got < kReadPerEvent) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0) return close_now(fd); // reset by the client
    if (n == 0) {
      c.peer_closed = true;
      break;
    }
    got += static_cast<std::size_t>(n);
    if (c.lingering) continue; // drained and dropped
    if (c.in.empty()) {
      c.started = Clock::now();
      c.deadline = c.started + limits_.request_time;
    }
    c.in.append(buf, static_cast<std::size_t>(n));
    // Framed as it arrives, so the buffer never grows far past a limit.
    if (c.framer.feed(c.in) != RequestFramer::Progress::more) break;
  }
  if (c.lingering) {
    if (c.peer_closed) close_now(fd);
    return;
  }
  advance(c);
}

void Front::advance(Conn& c) {
  if (c.in.empty()) {
    if (c.peer_closed || stop_begun_) close_now(c.fd);
    return;
  }
  switch (c.framer.feed(c.in)) {
  case RequestFramer::Progress::complete: return dispatch(c);
  case RequestFramer::Progress::failed: {
    const auto& e = c.framer.error();
    return answer_and_close(c, e.status, e.code, e.message);
  }
  case RequestFramer::Progress::more: break;
  }
  if (c.peer_closed)
    return answer_and_close(c, 400, "bad_request",
                            "the connection was closed before the request was complete");
  if (stop_begun_ && !c.framer.head_done()) return close_now(c.fd);
  if (c.framer.take_continue()) {
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    (void)::send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
  }
}

// Hands a complete request to the workers, or refuses it when too many wait already.
void Front::dispatch(Conn& c) {
  bool full;
  {
    std::lock_guard lock(mu_);
    // Requests an idle worker is about to take do not count against the queue.
    full = queue_.size() >= limits_.queue + (workers_.size() - busy_);
  }
  if (full) {
    refused_++;
    return answer_and_close(c, 503, "unavailable", "the server is busy, retry shortly");
  }
  const int fd = c.fd;
  set_watch(fd, false);
  auto node = conns_.extract(fd);
  node.mapped()->request_end = node.mapped()->framer.end();
  {
    std::lock_guard lock(mu_);
    queue_.push_back({std::move(node.mapped()), Clock::now()});
  }
  work_cv_.notify_one();
}

// Answers with one of the front's errors; the connection then lingers until the client
// closes it (closing at once, with its bytes unread, could reset it and destroy the answer).
void Front::answer_and_close(Conn& c, int status, std::string_view code, std::string_view message) {
  const auto reply = error_response(status, code, message);
  (void)::send(c.fd, reply.data(), reply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  linger(c);
}

void Front::linger(Conn& c) {
  if (lingering_ >= linger_max_ || c.peer_closed) return close_now(c.fd);
  ::shutdown(c.fd, SHUT_WR);
  c.lingering = true;
  lingering_++;
  open_--;
  std::string().swap(c.in);
  c.deadline = Clock::now() + kLingerTime;
}

void Front::close_now(int fd) {
  const auto it = conns_.find(fd);
  if (it == conns_.end()) return;
  if (it->second->lingering)
    lingering_--;
  else
    open_--;
  ::close(fd); // also leaves the epoll set
  conns_.erase(it);
}

void Front::expire(Clock::time_point now) {
  std::vector<int> closing, late;
  for (const auto& [fd, c] : conns_)
    if (now >= c->deadline) (c->lingering || c->in.empty() ? closing : late).push_back(fd);
  for (const int fd : closing)
    close_now(fd);
  for (const int fd : late)
    answer_and_close(*conns_.at(fd), 408, "timeout",
                     "the request was not complete within " + seconds_text(limits_.request_time));

  // Requests that waited too long for a worker are refused here rather than wait on.
  std::vector<std::unique_ptr<Conn>> waited;
  {
    std::lock_guard lock(mu_);
    for (auto it = queue_.begin(); it != queue_.end();) {
      if (!it->out.empty()) { // the rest of a reply: never refused
        ++it;
        continue;
      }
      if (now - it->queued <= limits_.queue_time) break;
      waited.push_back(std::move(it->conn));
      it = queue_.erase(it);
    }
  }
  for (auto& c : waited) {
    Conn& conn = *c;
    adopt(std::move(c));
    refused_++;
    answer_and_close(conn, 503, "unavailable", "the server is busy, retry shortly");
  }
}

// Connections back from the workers: kept ones wait for their next request here.
void Front::take_returned() {
  std::vector<Returned> back_now;
  {
    std::lock_guard lock(mu_);
    back_now.swap(returned_);
  }
  const auto now = Clock::now();
  for (auto& r : back_now)
    back(std::move(r.conn), r.keep, now);
}

void Front::back(std::unique_ptr<Conn> conn, bool keep, Clock::time_point now) {
  Conn& c = *conn;
  adopt(std::move(conn));
  if (!keep || stop_begun_) return linger(c);
  c.framer.reset();
  c.request_end = 0;
  if (c.in.capacity() > 16 * 1024) std::string(c.in).swap(c.in); // a large body's room is not kept
  if (c.in.empty()) {
    c.deadline = now + limits_.idle_time;
  } else { // pipelined: the next request is already (partly) here
    c.started = now;
    c.deadline = now + limits_.request_time;
    advance(c);
  }
}

void Front::post(std::function<void()> task) {
  bool wake_now;
  {
    std::lock_guard lock(mu_);
    posted_.push_back(std::move(task));
    wake_now = !wake_pending_;
    wake_pending_ = true;
  }
  if (wake_now) wake();
}

void Front::run_posted() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(mu_);
    tasks.swap(posted_);
    wake_pending_ = false;
  }
  for (auto& t : tasks)
    t();
}

void Front::reply(std::unique_ptr<Conn> c, std::string bytes, bool keep) {
  std::size_t off = 0;
  bool failed = false;
  while (off < bytes.size()) {
    const ssize_t n = ::send(c->fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      off += static_cast<std::size_t>(n);
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      failed = !(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
      break;
    }
  }
  if (off == bytes.size() || failed) return back(std::move(c), keep && !failed, Clock::now());
  // The client is not reading: a worker waits for it, as for any other answer.
  bytes.erase(0, off);
  {
    std::lock_guard lock(mu_);
    queue_.push_front({std::move(c), Clock::now(), std::move(bytes), keep});
  }
  work_cv_.notify_one();
}

// Stops accepting; closes connections that are idle or still sending their headers. Those
// sending a body go on until complete (then they are served) or out of time.
void Front::begin_stop() {
  stop_begun_ = true;
  if (listen_fd_ >= 0) {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
  std::vector<int> closing;
  for (const auto& [fd, c] : conns_)
    if (!c->lingering && !c->framer.head_done()) closing.push_back(fd);
  for (const int fd : closing)
    close_now(fd);
}

namespace {

// Writes all of `data`, waiting for the socket at most `limit` each time it is full.
bool send_all(int fd, std::string_view data, std::chrono::milliseconds limit) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, static_cast<int>(limit.count())) > 0 && (p.revents & POLLOUT) != 0) continue;
    }
    return false;
  }
  return true;
}

} // namespace

void Front::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [&] { return workers_stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    bool keep = false;
    if (!job.out.empty()) { // the rest of a reply (reply())
      keep = send_all(job.conn->fd, job.out, limits_.request_time) && job.keep_after;
    } else {
      try {
        keep = serve_(job.conn);
      } catch (...) {
        keep = false;
      }
    }
    const bool taken = !job.conn; // answered later, through reply()
    {
      std::lock_guard lock(mu_);
      --busy_;
      if (!taken) returned_.push_back({std::move(job.conn), keep});
    }
    if (!taken) wake();
  }
}

} // namespace npsd::http
