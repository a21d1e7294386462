#include "http_framing.hpp"

#include <httplib.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

namespace npsd::http {

namespace {

constexpr std::size_t kChunkLineMax = 1024; // a chunk-size line, extensions included
constexpr std::size_t kSizeMax = std::numeric_limits<std::size_t>::max();

bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}
bool is_token(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return is_tchar(static_cast<unsigned char>(c)); });
}
// Control characters other than horizontal tab, which HTTP allows nowhere in a head.
bool is_ctl(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7f; }

char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }
bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  const char l = static_cast<char>(c | 0x20);
  if (l >= 'a' && l <= 'f') return l - 'a' + 10;
  return -1;
}

// Room for chunk framing around `limit` data bytes: as much again plus a little.
std::size_t framing_allowance(std::size_t limit) {
  return limit > (kSizeMax - 4096) / 2 ? kSizeMax : 2 * limit + 4096;
}

std::string json_escaped(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

const char* reason(int status) {
  switch (status) {
  case 400: return "Bad Request";
  case 408: return "Request Timeout";
  case 413: return "Payload Too Large";
  case 414: return "URI Too Long";
  case 415: return "Unsupported Media Type";
  case 431: return "Request Header Fields Too Large";
  case 503: return "Service Unavailable";
  default: return "Error";
  }
}

} // namespace

void RequestFramer::reset() {
  state_ = State::head;
  pos_ = line_start_ = first_line_end_ = head_end_ = end_ = limit_ = data_ = 0;
  chunk_left_ = 0;
  expect_continue_ = false;
  method_.clear();
  path_.clear();
  error_ = {};
}

RequestFramer::Progress RequestFramer::fail(int status, std::string code, std::string message) {
  state_ = State::failed;
  error_ = {status, std::move(code), std::move(message)};
  return Progress::failed;
}

bool RequestFramer::take_continue() {
  const bool due = expect_continue_ && state_ != State::done && state_ != State::failed;
  expect_continue_ = false;
  return due;
}

RequestFramer::Progress RequestFramer::feed(std::string& buf) {
  switch (state_) {
  case State::head: return scan_head(buf);
  case State::length:
    if (buf.size() < end_) return Progress::more;
    state_ = State::done;
    return Progress::complete;
  case State::done: return Progress::complete;
  case State::failed: return Progress::failed;
  default: return scan_chunks(buf);
  }
}

// Finds the head's lines one CR LF at a time, refusing a line or block over its limit as
// soon as it passes it, without waiting for its end.
RequestFramer::Progress RequestFramer::scan_head(std::string& buf) {
  const auto too_long = [&](bool first) {
    return first ? fail(414, "uri_too_long",
                        "the request line is longer than " + std::to_string(head_.request_line) + " bytes")
                 : fail(431, "header_too_large",
                        "a header line is longer than " + std::to_string(head_.header_line) + " bytes");
  };
  const auto block_too_long = [&] {
    return fail(431, "header_too_large",
                "the header lines are longer than " + std::to_string(head_.header_block) + " bytes");
  };
  while (pos_ < buf.size()) {
    const bool first = first_line_end_ == 0;
    const std::size_t line_max = first ? head_.request_line : head_.header_line;
    const auto nl = buf.find('\n', pos_);
    if (nl == std::string::npos) {
      pos_ = buf.size();
      if (pos_ - line_start_ > line_max) return too_long(first);
      if (!first && pos_ - first_line_end_ > head_.header_block) return block_too_long();
      return Progress::more;
    }
    if (nl + 1 - line_start_ > line_max) return too_long(first);
    if (nl == line_start_ || buf[nl - 1] != '\r')
      return fail(400, "bad_request", "a line ends with LF alone: HTTP lines end with CR LF");
    pos_ = nl + 1;
    if (first) {
      first_line_end_ = pos_;
    } else {
      if (pos_ - first_line_end_ > head_.header_block) return block_too_long();
      if (pos_ - line_start_ == 2) {
        head_end_ = pos_;
        return parse_head(buf);
      }
    }
    line_start_ = pos_;
  }
  return Progress::more;
}

// Checks the whole head strictly where a lenient reading would frame the body differently
// from us, or from a proxy in front of us, and finds how the body is framed.
RequestFramer::Progress RequestFramer::parse_head(std::string& buf) {
  const std::string_view head(buf.data(), head_end_);
  const std::string_view line = head.substr(0, first_line_end_ - 2);
  if (std::any_of(line.begin(), line.end(),
                  [](char c) { return is_ctl(static_cast<unsigned char>(c)) || c == '\t'; }))
    return fail(400, "bad_request", "the request line has a control character");
  if (std::any_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    return fail(400, "bad_request", "the request line must be ASCII (percent-encode the path)");
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos || sp1 == 0 ||
      sp2 == sp1 + 1 || sp2 + 1 == line.size() || !is_token(line.substr(0, sp1)))
    return fail(400, "bad_request", "the request line is not METHOD SP target SP HTTP-version");
  const auto version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0")
    return fail(400, "bad_request", "only HTTP/1.1 and HTTP/1.0 are served");
  method_ = std::string(line.substr(0, sp1));
  const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  path_ = httplib::detail::decode_url(std::string(target.substr(0, target.find('?'))), false);

  std::optional<std::uint64_t> length;
  bool chunked = false, seen_te = false;
  std::vector<std::pair<std::size_t, std::size_t>> expect_lines; // [begin, end) to erase
  for (std::size_t p = first_line_end_; p + 2 < head_end_;) {
    const std::size_t e = head.find("\r\n", p);
    const std::string_view h = head.substr(p, e - p);
    const std::size_t begin = p;
    p = e + 2;
    if (h.front() == ' ' || h.front() == '\t')
      return fail(400, "bad_request", "a header line starts with a space (folded lines are not accepted)");
    const auto colon = h.find(':');
    if (colon == std::string_view::npos || !is_token(h.substr(0, colon)))
      return fail(400, "bad_request", "a header line is not name: value (no space before the colon)");
    const auto name = h.substr(0, colon);
    const auto value = trim_ows(h.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(), [](char c) { return is_ctl(static_cast<unsigned char>(c)); }))
      return fail(400, "bad_request",
                  "the header " + std::string(name.substr(0, 64)) + " has a control character");
    if (iequals(name, "Content-Length")) {
      if (length) return fail(400, "bad_request", "Content-Length is given more than once");
      if (value.empty() || value.size() > 19 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return fail(400, "bad_request", "Content-Length must be a whole number of bytes");
      length = std::stoull(std::string(value));
    } else if (iequals(name, "Transfer-Encoding")) {
      if (seen_te || !iequals(value, "chunked"))
        return fail(400, "bad_request", "the only Transfer-Encoding accepted is one chunked");
      seen_te = chunked = true;
    } else if (iequals(name, "Expect")) {
      // Answered here; httplib must not see it and answer a second time.
      if (iequals(value, "100-continue")) expect_continue_ = true;
      expect_lines.emplace_back(begin, p);
    } else if (iequals(name, "Content-Encoding") && !value.empty() && !iequals(value, "identity")) {
      return fail(415, "unsupported_media_type",
                  "compressed request bodies (Content-Encoding) are not accepted");
    }
  }
  if (length && chunked)
    return fail(400, "bad_request", "a request may not have both Content-Length and Transfer-Encoding");

  limit_ = body_limit_ ? body_limit_(method_, path_) : kSizeMax;
  if (length && *length > limit_)
    return fail(413, "payload_too_large", "the body is larger than " + std::to_string(limit_) + " bytes");

  for (auto it = expect_lines.rbegin(); it != expect_lines.rend(); ++it) {
    buf.erase(it->first, it->second - it->first);
    head_end_ -= it->second - it->first;
  }
  pos_ = line_start_ = head_end_;
  if (chunked) {
    state_ = State::chunk_size;
    return scan_chunks(buf);
  }
  end_ = head_end_ + static_cast<std::size_t>(length.value_or(0));
  state_ = State::length;
  return feed(buf);
}

// Follows the chunked framing to its last chunk without decoding it; the data counts
// against the body limit from the moment a chunk size would pass it.
RequestFramer::Progress RequestFramer::scan_chunks(const std::string& buf) {
  const auto too_large = [&] {
    return fail(413, "payload_too_large", "the body is larger than " + std::to_string(limit_) + " bytes");
  };
  for (;;) {
    switch (state_) {
    case State::chunk_size: {
      const auto nl = buf.find('\n', pos_);
      if (nl == std::string::npos) {
        pos_ = buf.size();
        if (pos_ - line_start_ > kChunkLineMax)
          return fail(400, "bad_request", "a chunk-size line is longer than 1024 bytes");
        return Progress::more;
      }
      if (nl + 1 - line_start_ > kChunkLineMax)
        return fail(400, "bad_request", "a chunk-size line is longer than 1024 bytes");
      if (nl == line_start_ || buf[nl - 1] != '\r')
        return fail(400, "bad_request", "a line ends with LF alone: HTTP lines end with CR LF");
      const std::string_view line(buf.data() + line_start_, nl - 1 - line_start_);
      std::uint64_t size = 0;
      std::size_t i = 0;
      for (int d; i < line.size() && (d = hex_digit(line[i])) >= 0; ++i) {
        if (i == 16) return fail(400, "bad_request", "a chunk size has more than 16 hexadecimal digits");
        size = size * 16 + static_cast<std::uint64_t>(d);
      }
      const auto ext = trim_ows(line.substr(i));
      if (i == 0 || (!ext.empty() && ext.front() != ';') ||
          std::any_of(ext.begin(), ext.end(), [](char c) { return is_ctl(static_cast<unsigned char>(c)); }))
        return fail(400, "bad_request", "a chunk size is not a hexadecimal number");
      pos_ = nl + 1;
      if (pos_ - head_end_ > framing_allowance(limit_)) return too_large();
      if (size == 0) {
        state_ = State::last_crlf;
        break;
      }
      if (size > limit_ - data_) return too_large();
      data_ += static_cast<std::size_t>(size);
      chunk_left_ = size;
      state_ = State::chunk_data;
      break;
    }
    case State::chunk_data: {
      const auto take = std::min<std::uint64_t>(buf.size() - pos_, chunk_left_);
      pos_ += static_cast<std::size_t>(take);
      chunk_left_ -= take;
      if (chunk_left_ > 0) return Progress::more;
      state_ = State::chunk_crlf;
      break;
    }
    case State::chunk_crlf:
    case State::last_crlf: {
      if (buf.size() - pos_ < 2) return Progress::more;
      if (buf[pos_] != '\r' || buf[pos_ + 1] != '\n')
        return fail(400, "bad_request",
                    state_ == State::chunk_crlf ? "a chunk's data is not followed by CR LF"
                                                : "trailer fields after a chunked body are not accepted");
      pos_ += 2;
      line_start_ = pos_;
      if (state_ == State::last_crlf) {
        end_ = pos_;
        state_ = State::done;
        return Progress::complete;
      }
      state_ = State::chunk_size;
      break;
    }
    default: return Progress::failed; // not a chunk state: feed() does not call us then
    }
  }
}

std::string error_response(int status, std::string_view code, std::string_view message) {
  const std::string one =
      R"({"code":")" + json_escaped(code) + R"(","path":"","message":")" + json_escaped(message) + "\"}";
  const std::string body = R"({"error":)" + one + R"(,"errors":[)" + one + "]}";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason(status) +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + (status == 503 ? "Retry-After: 1\r\n" : "") + "\r\n" + body;
}

} // namespace npsd::http
