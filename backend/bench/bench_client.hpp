// The load generator's clients for npsd_bench (issue 18): one keep-alive connection each,
// a request at a time.
//
// LeanClient writes each request, head and body, with one send() and reads the answer with
// blocking recv() calls, as wrk or a browser's fetch do; it costs the shared cores little
// beside the server it measures. HttplibClient is cpp-httplib's client, the benchmark's
// load before: a POST's head and body go out in two send() calls (two TCP segments the
// server reads separately), each after a poll(), and it costs about as much CPU per request
// as the server's answer to a config request. Both answer get() and post() with the HTTP
// status, 0 when the connection failed.
#pragma once

#include <httplib.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>

namespace npsd::bench {

class LeanClient {
public:
  explicit LeanClient(int port) : port_(port) {}
  ~LeanClient() { close_now(); }
  LeanClient(const LeanClient&) = delete;
  LeanClient& operator=(const LeanClient&) = delete;

  int get(const std::string& path) {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  }
  int post(const std::string& path, const std::string& body, const std::string& type) {
    return exchange("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  }

private:
  // One request, once more on a fresh connection when the kept one was closed by the server.
  int exchange(const std::string& request) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0 && !connect_now()) return 0;
      if (send_all(request))
        if (const int status = read_response(); status > 0) return status;
      close_now();
    }
    return 0;
  }

  bool connect_now() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return false;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(port_));
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval limit{10, 0}; // a stuck server fails the request instead of hanging the benchmark
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close_now();
      return false;
    }
    in_.clear();
    return true;
  }

  void close_now() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool send_all(std::string_view data) const {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  bool fill() {
    char buf[16 * 1024];
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      in_.append(buf, static_cast<std::size_t>(n));
      return true;
    }
  }

  // The status of the response in `in_`, its body consumed; 0 when it cannot be read. Only
  // what npsd sends to these requests is understood: a Content-Length, no chunks.
  int read_response() {
    std::size_t head_end;
    while ((head_end = in_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return 0;
    const std::string_view head(in_.data(), head_end);
    int status = 0;
    if (head.size() < 12 || head.substr(0, 9) != "HTTP/1.1 " ||
        std::from_chars(head.data() + 9, head.data() + 12, status).ec != std::errc{})
      return 0;
    std::size_t length = 0;
    const auto at = head.find("\r\nContent-Length: ");
    if (at == std::string_view::npos) return 0;
    const char* digits = head.data() + at + 18;
    if (std::from_chars(digits, head.data() + head.size(), length).ec != std::errc{}) return 0;
    const bool closing = head.find("\r\nConnection: close") != std::string_view::npos;
    const std::size_t total = head_end + 4 + length;
    while (in_.size() < total)
      if (!fill()) return 0;
    in_.erase(0, total);
    if (closing) close_now();
    return status;
  }

  int port_;
  int fd_ = -1;
  std::string in_;
};

class HttplibClient {
public:
  explicit HttplibClient(int port) : c_("127.0.0.1", port) {
    c_.set_tcp_nodelay(true);
    c_.set_keep_alive(true);
  }
  int get(const std::string& path) {
    auto r = c_.Get(path);
    return r ? r->status : 0;
  }
  int post(const std::string& path, const std::string& body, const std::string& type) {
    auto r = c_.Post(path, body, type);
    return r ? r->status : 0;
  }

private:
  httplib::Client c_;
};

} // namespace npsd::bench
