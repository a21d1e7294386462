// A raw client socket that reads one HTTP response at a time, for the HTTP front's tests:
// what a browser or httplib's client would never send, and answers they would hide.
#pragma once

#include "nps/json.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>

namespace npsd::test {

class RawClient {
public:
  // `rcvbuf` > 0: a small receive buffer, so a large response stays in flight at the server.
  explicit RawClient(int port, int rcvbuf = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (rcvbuf > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }

  [[nodiscard]] bool ok() const { return ok_; }
  bool send(std::string_view s) {
    return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  void half_close() { ::shutdown(fd_, SHUT_WR); }

  // Reads what is available within `timeout_ms`; false when the server closed or nothing came.
  bool fill(int timeout_ms, std::size_t max = 64 * 1024) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[64 * 1024];
    const auto n = ::recv(fd_, buf, std::min(sizeof buf, max), 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buf_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  // Everything until the server closes, or `timeout_ms` passes without a byte.
  std::string read_all(int timeout_ms = 5000) {
    while (fill(timeout_ms)) {
    }
    return std::exchange(buf_, {});
  }
  // One response (head, then a Content-Length or chunked body); empty if none came in time.
  std::string read_response(int timeout_ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    const auto left = [&] {
      return static_cast<int>(std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                    deadline - std::chrono::steady_clock::now())
                                                    .count()));
    };
    std::size_t head_end;
    while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill(left())) return {};
    head_end += 4;
    const std::string head = lower(buf_.substr(0, head_end));
    std::size_t end = head_end;
    if (head.find("transfer-encoding: chunked") != std::string::npos) {
      while ((end = buf_.find("\r\n0\r\n\r\n", head_end - 2)) == std::string::npos)
        if (!fill(left())) return {};
      end += 7;
    } else if (const auto at = head.find("content-length:"); at != std::string::npos) {
      end = head_end + std::stoul(head.substr(at + 15));
      while (buf_.size() < end)
        if (!fill(left())) return {};
    }
    std::string out = buf_.substr(0, end);
    buf_.erase(0, end);
    return out;
  }
  [[nodiscard]] bool closed() const { return closed_; }

private:
  static std::string lower(std::string s) {
    for (auto& c : s)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }
  int fd_ = -1;
  bool ok_ = false, closed_ = false;
  std::string buf_;
};

inline int status_of(const std::string& response) {
  return response.size() > 12 && response.rfind("HTTP/1.", 0) == 0 ? std::stoi(response.substr(9, 3)) : -1;
}
inline std::string body_text(const std::string& response) {
  const auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}
inline nps::json json_of(const std::string& response) {
  return nps::json::parse(body_text(response), nullptr, false);
}
inline bool has_header_line(const std::string& response, std::string_view line) {
  const auto head = response.substr(0, response.find("\r\n\r\n") + 2);
  return head.find(std::string("\r\n") + std::string(line) + "\r\n") != std::string::npos;
}

} // namespace npsd::test
