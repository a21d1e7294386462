// HTTP requests over plain sockets from a chosen loopback address (127.0.0.2, …: Linux
// routes all of 127/8 to lo), for what depends on the client's address, and event streams
// held open and closed at will.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace npsd::test {

struct RawResponse {
  int status = -1;
  std::string head; // status line and header lines
  std::string body; // as sent (chunk framing included, if any)
  [[nodiscard]] std::string header(const std::string& name) const {
    std::string lower_head = head, lower_name = name + ":";
    for (auto* s : {&lower_head, &lower_name})
      for (auto& ch : *s)
        ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    const auto at = lower_head.find("\r\n" + lower_name);
    if (at == std::string::npos) return {};
    auto start = at + 2 + lower_name.size();
    while (start < head.size() && head[start] == ' ')
      ++start;
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// A connection from `from` (an IPv4 loopback address) to the server on `port`.
class SourcedConn {
public:
  SourcedConn(int port, const std::string& from) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from.c_str(), &local.sin_addr);
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<std::uint16_t>(port));
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0 &&
          ::connect(fd_, reinterpret_cast<sockaddr*>(&peer), sizeof peer) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  SourcedConn(const SourcedConn&) = delete;
  SourcedConn& operator=(const SourcedConn&) = delete;
  ~SourcedConn() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  [[nodiscard]] bool ok() const { return ok_; }
  bool send(const std::string& s) {
    return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  // Reads until `text` has arrived (empty: until the end), the peer closes or `timeout_ms`
  // passes; all read so far.
  std::string read_until(const std::string& text, int timeout_ms = 10'000) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (text.empty() || got_.find(text) == std::string::npos) {
      const auto left =
          std::chrono::duration_cast<std::chrono::microseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      timeval tv{static_cast<time_t>(left.count() / 1'000'000),
                 static_cast<suseconds_t>(left.count() % 1'000'000)};
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      char buf[4096];
      const auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      got_.append(buf, static_cast<std::size_t>(n));
    }
    return got_;
  }

private:
  int fd_ = -1;
  bool ok_ = false;
  std::string got_;
};

inline RawResponse split_response(const std::string& raw) {
  RawResponse r;
  const auto end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  r.head = raw.substr(0, end + 2);
  r.body = raw.substr(end + 4);
  return r;
}

// One request from `from`, Connection: close, the whole answer.
inline RawResponse request_from(int port, const std::string& from, const std::string& method,
                                const std::string& path, const std::string& body = {},
                                const std::string& extra_headers = {}) {
  SourcedConn c(port, from);
  if (!c.ok()) return {};
  std::string req =
      method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers;
  if (!body.empty())
    req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  c.send(req);
  return split_response(c.read_until(""));
}

} // namespace npsd::test
