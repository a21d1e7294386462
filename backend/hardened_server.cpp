#include "hardened_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace npsd {

namespace {

using Clock = std::chrono::steady_clock;

thread_local Clock::time_point t_request_started{};
thread_local bool t_close_after = false;
thread_local bool t_refuse = false; // set while a connection is refused on the accept thread

int millis_until(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

// Waits until the socket is readable or `ms` passed; false on timeout or error.
bool wait_for(int sock, short events, int ms) {
  pollfd p{sock, events, 0};
  for (;;) {
    const int rc = ::poll(&p, 1, ms);
    if (rc < 0 && errno == EINTR) continue;
    return rc > 0;
  }
}

// The socket stream httplib reads requests from, with a total deadline and byte budget
// per request. Reads are buffered (httplib reads header lines one byte at a time); the
// budgets (header lines, then body) count bytes handed to httplib, so pipelined requests
// are each charged once.
class GuardedStream final : public httplib::Stream {
public:
  GuardedStream(int sock, const ConnectionLimits& limits) : sock_(sock), limits_(limits) {}

  void begin_request() {
    deadline_ = Clock::now() + limits_.request_time;
    budget_ = limits_.header_bytes;
    in_header_ = true;
    matched_ = 0;
    started_ = false;
  }
  [[nodiscard]] bool has_buffered() const { return off_ < len_; }

  bool is_readable() const override {
    return has_buffered() || wait_for(sock_, POLLIN, millis_until(deadline_));
  }
  bool is_writable() const override {
    return wait_for(sock_, POLLOUT, static_cast<int>(limits_.request_time.count()));
  }

  // True once a request ran out of time or bytes: the connection must close, whatever
  // httplib answered (it writes a 400 and would otherwise go on reading).
  [[nodiscard]] bool exhausted() const { return exhausted_; }

  ssize_t read(char* ptr, size_t size) override {
    if (budget_ == 0) {
      exhausted_ = true;
      return -1;
    }
    if (off_ == len_) {
      if (!wait_for(sock_, POLLIN, millis_until(deadline_))) {
        exhausted_ = true;
        return -1;
      }
      ssize_t n;
      do
        n = ::recv(sock_, buf_, sizeof buf_, 0);
      while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      off_ = 0;
      len_ = static_cast<std::size_t>(n);
    }
    if (!started_) {
      started_ = true;
      t_request_started = Clock::now();
    }
    std::size_t n = std::min({size, len_ - off_, budget_});
    if (in_header_) {
      // Hand out header bytes up to the blank line that ends them; the body budget starts there.
      static constexpr char kEnd[] = "\r\n\r\n";
      for (std::size_t i = 0; i < n; ++i) {
        const char ch = buf_[off_ + i];
        matched_ = ch == kEnd[matched_] ? matched_ + 1 : (ch == '\r' ? 1 : 0);
        if (matched_ == 4) {
          n = i + 1;
          in_header_ = false;
          break;
        }
      }
    }
    std::memcpy(ptr, buf_ + off_, n);
    off_ += n;
    budget_ -= n;
    if (!in_header_ && matched_ == 4) {
      matched_ = 0;
      budget_ = limits_.body_bytes;
    }
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, size_t size) override {
    if (!is_writable()) return -1;
    ssize_t n;
    do
      n = ::send(sock_, ptr, size, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n;
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { address(true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { address(false, ip, port); }
  socket_t socket() const override { return sock_; }

private:
  void address(bool remote, std::string& ip, int& port) const {
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    auto* sa = reinterpret_cast<sockaddr*>(&ss);
    if ((remote ? ::getpeername(sock_, sa, &len) : ::getsockname(sock_, sa, &len)) != 0) return;
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

  int sock_;
  const ConnectionLimits& limits_;
  Clock::time_point deadline_{};
  std::size_t budget_ = 0;
  bool in_header_ = true;
  bool exhausted_ = false;
  std::size_t matched_ = 0; // how much of CR LF CR LF the last header bytes matched
  bool started_ = false;
  char buf_[4096];
  std::size_t off_ = 0, len_ = 0;
};

// A fixed pool of threads with a bounded queue. When the queue is full the connection is
// refused right on the accept thread: its task runs inline with t_refuse set.
class BoundedPool final : public httplib::TaskQueue {
public:
  BoundedPool(std::size_t threads, std::size_t queue) : max_queue_(queue) {
    for (std::size_t i = 0; i < threads; ++i)
      threads_.emplace_back([this] { work(); });
    // Serve only once every worker waits: the queue bound counts idle workers.
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return idle_ == threads_.size(); });
  }

  void enqueue(std::function<void()> fn) override {
    {
      std::lock_guard lock(mu_);
      // Jobs that an idle worker is about to take do not count against the queue.
      if (jobs_.size() < max_queue_ + idle_) {
        jobs_.push_back(std::move(fn));
        cv_.notify_one();
        return;
      }
    }
    t_refuse = true;
    fn();
    t_refuse = false;
  }

  void shutdown() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
      t.join();
  }

private:
  void work() {
    for (;;) {
      std::function<void()> fn;
      {
        std::unique_lock lock(mu_);
        ++idle_;
        ready_.notify_all();
        cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        --idle_;
        if (jobs_.empty()) return;
        fn = std::move(jobs_.front());
        jobs_.pop_front();
      }
      fn();
    }
  }

  std::size_t max_queue_;
  std::size_t idle_ = 0; // workers waiting for a job
  std::mutex mu_;
  std::condition_variable cv_, ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

} // namespace

HardenedServer::HardenedServer(const ConnectionLimits& limits) : limits_(limits) {
  new_task_queue = [this] { return new BoundedPool(limits_.threads, limits_.queue); };
  set_payload_max_length(limits_.body_bytes);
  set_keep_alive_max_count(limits_.requests_per_connection);
  set_keep_alive_timeout(std::chrono::duration_cast<std::chrono::seconds>(limits_.idle_time).count());
  set_tcp_nodelay(true);
  // SO_REUSEADDR only (a restart may bind while old connections are in TIME_WAIT), not
  // cpp-httplib's default SO_REUSEPORT too, with which a second npsd on the same port
  // started without complaint and the kernel split the requests between the two.
  set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
}

HardenedServer::~HardenedServer() {
  {
    std::lock_guard lock(linger_mu_);
    linger_stop_ = true;
  }
  if (linger_thread_.joinable()) linger_thread_.join();
  for (auto& [fd, until] : lingering_)
    ::close(fd);
}

void HardenedServer::linger(int sock) {
  std::lock_guard lock(linger_mu_);
  if (lingering_.size() >= limits_.queue) { // never hold more than a queue's worth
    ::close(sock);
    return;
  }
  lingering_.emplace_back(sock, Clock::now() + std::chrono::seconds(2));
  if (!linger_thread_.joinable()) linger_thread_ = std::thread([this] { linger_loop(); });
}

// Drains refused connections until the client closes or two seconds pass, then closes them.
void HardenedServer::linger_loop() {
  char sink[1024];
  for (;;) {
    {
      std::lock_guard lock(linger_mu_);
      if (linger_stop_) return;
      const auto now = Clock::now();
      std::erase_if(lingering_, [&](const std::pair<int, Clock::time_point>& l) {
        ssize_t n;
        while ((n = ::recv(l.first, sink, sizeof sink, MSG_DONTWAIT)) > 0) {
        }
        const bool finished = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || now >= l.second;
        if (finished) ::close(l.first);
        return finished;
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void HardenedServer::widen_backlog() {
  const socket_t sock = svr_sock_;
  if (sock != INVALID_SOCKET) ::listen(sock, SOMAXCONN);
}

void HardenedServer::shutdown_gracefully() {
  stopping_ = true;
  stop();
}

std::chrono::steady_clock::time_point HardenedServer::request_started() { return t_request_started; }
void HardenedServer::close_after_response() { t_close_after = true; }

bool HardenedServer::process_and_close_socket(socket_t sock) {
  if (t_refuse) {
    refused_++;
    static const std::string kBusy = [] {
      const std::string body = R"({"error":{"code":"unavailable","path":"","message":"the server is busy, )"
                               R"(retry shortly"},"errors":[{"code":"unavailable","path":"","message":)"
                               R"("the server is busy, retry shortly"}]})";
      return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
             "Retry-After: 1\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body;
    }();
    (void)::send(sock, kBusy.data(), kBusy.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    // Closing now, with the client's request unread, would reset the connection and
    // could destroy the 503 before the client reads it: linger instead.
    ::shutdown(sock, SHUT_WR);
    linger(sock);
    return false;
  }
  open_++;
  GuardedStream strm(sock, limits_);
  bool ret = false;
  const int idle_ms = static_cast<int>(limits_.idle_time.count());
  for (std::size_t served = 0; served < limits_.requests_per_connection; ++served) {
    // Wait for the next request in short slices, so a stop closes idle connections soon.
    bool ready = strm.has_buffered();
    // When stopping, a connection that has not sent a request yet gets 200 ms more.
    for (int waited = 0; !ready && waited < idle_ms && !(stopping_ && (served > 0 || waited >= 200));
         waited += 50)
      ready = wait_for(sock, POLLIN, std::min(50, idle_ms - waited));
    if (!ready) break;
    strm.begin_request();
    t_close_after = false;
    bool connection_closed = false;
    const bool last = stopping_ || served + 1 == limits_.requests_per_connection;
    ret = process_request(strm, last, connection_closed, nullptr);
    if (!ret || connection_closed || t_close_after || last || strm.exhausted()) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  open_--;
  return ret;
}

} // namespace npsd
