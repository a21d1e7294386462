// Where one HTTP/1.1 request ends, found before any of it is handed to cpp-httplib.
//
// npsd's front (http_front.hpp) reads each request completely into a buffer before a worker
// parses it with httplib; RequestFramer tells the front when that buffer holds a whole request
// (request line, headers, and the body by Content-Length or by its chunked framing), or why it
// never will: a line or block over its limit, a body over the route's limit, framing httplib
// would read differently (two Content-Lengths, "Content-Length: 12abc", Transfer-Encoding
// other than chunked, bare LF line ends, folded or malformed header lines). The body is scanned,
// not decoded: the bytes httplib reads are the client's, less an `Expect: 100-continue` line,
// which the front answers itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace npsd::http {

struct HeadLimits {
  std::size_t request_line = 8 * 1024;  // with its CR LF (httplib answers 414 above 8192)
  std::size_t header_line = 8 * 1024;   // with its CR LF (httplib answers 400 above 8192)
  std::size_t header_block = 16 * 1024; // every line after the request line, blank line included
};

// The largest body (decoded bytes) a request may carry: (method, percent-decoded path).
using BodyLimit = std::function<std::size_t(const std::string& method, const std::string& path)>;

// An answer the front sends itself, then closes the connection.
struct FrameError {
  int status = 400;
  std::string code; // the server's error code: bad_request, payload_too_large, …
  std::string message;
};

class RequestFramer {
public:
  enum class Progress { more, complete, failed };

  RequestFramer(const HeadLimits& head, const BodyLimit& body) : head_(head), body_limit_(body) {}

  // Scans the bytes added to `buf` since the last call; `buf` starts with the request's first
  // byte. May erase an Expect: 100-continue line from the head in `buf`.
  Progress feed(std::string& buf);
  void reset();

  [[nodiscard]] const FrameError& error() const { return error_; }
  // Bytes of `buf` that make the request, once complete.
  [[nodiscard]] std::size_t end() const { return end_; }
  [[nodiscard]] bool head_done() const { return state_ != State::head; }
  // True once, when the head asked for `100 Continue` and the body is still to come.
  bool take_continue();
  [[nodiscard]] const std::string& method() const { return method_; }
  [[nodiscard]] const std::string& path() const { return path_; }

private:
  enum class State { head, length, chunk_size, chunk_data, chunk_crlf, last_crlf, done, failed };
  Progress fail(int status, std::string code, std::string message);
  Progress scan_head(std::string& buf);
  Progress parse_head(std::string& buf);
  Progress scan_chunks(const std::string& buf);

  const HeadLimits& head_;
  const BodyLimit& body_limit_;
  State state_ = State::head;
  std::size_t pos_ = 0;        // bytes scanned
  std::size_t line_start_ = 0; // of the head line being scanned
  std::size_t first_line_end_ = 0;
  std::size_t head_end_ = 0;
  std::size_t end_ = 0;
  std::size_t limit_ = 0; // body bytes allowed
  std::size_t data_ = 0;  // chunked: data bytes so far
  std::uint64_t chunk_left_ = 0;
  bool expect_continue_ = false;
  std::string method_, path_;
  FrameError error_;
};

// The server's JSON error shape, as a complete HTTP/1.1 response that closes the connection.
[[nodiscard]] std::string error_response(int status, std::string_view code, std::string_view message);

} // namespace npsd::http
