// A reply given later (DeferredReply, hardened_server.hpp): the worker hands over the
// connection and the head httplib wrote; whoever comes second of it and resolve() has the
// front's thread finish the reply, whose status line and body replace the head's.
#include "hardened_server.hpp"

#include <string_view>
#include <utility>

namespace npsd {

namespace {

// The reason phrases of the statuses a reply may carry (RFC 9110, section 15).
std::string_view reason(int status) {
  switch (status) {
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 204: return "No Content";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 409: return "Conflict";
  case 410: return "Gone";
  case 413: return "Content Too Large";
  case 415: return "Unsupported Media Type";
  case 422: return "Unprocessable Content";
  case 429: return "Too Many Requests";
  case 500: return "Internal Server Error";
  case 503: return "Service Unavailable";
  default: return status < 400 ? "OK" : status < 500 ? "Bad Request" : "Internal Server Error";
  }
}

bool starts_with_nocase(std::string_view line, std::string_view prefix) {
  if (line.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if ((line[i] | 0x20) != (prefix[i] | 0x20)) return false;
  return true;
}

} // namespace

void DeferredReply::resolve(std::function<void(httplib::Response&)> fill) {
  {
    std::lock_guard lock(mu_);
    fill_ = std::move(fill);
    resolved_ = true;
    if (!captured_) return; // the worker is still writing the head: it finishes
  }
  front_.post([self = this->shared_from_this()] { self->finish(); });
}

void DeferredReply::captured(std::unique_ptr<http::Conn> conn, std::string head, bool keep) {
  {
    std::lock_guard lock(mu_);
    conn_ = std::move(conn);
    head_ = std::move(head);
    keep_ = keep;
    captured_ = true;
    if (!resolved_) return;
  }
  front_.post([self = this->shared_from_this()] { self->finish(); });
}

void DeferredReply::finish() {
  httplib::Response res;
  fill_(res);
  std::string out = "HTTP/1.1 " + std::to_string(res.status) + " " + std::string(reason(res.status)) + "\r\n";
  // The head's header lines, without its status line and its Content-Length (of no body).
  std::string_view head(head_);
  head = head.substr(0, head.find("\r\n\r\n"));
  std::size_t at = head.find("\r\n");
  while (at != std::string_view::npos) {
    const std::size_t from = at + 2, to = head.find("\r\n", from);
    const auto line = head.substr(from, to == std::string_view::npos ? std::string_view::npos : to - from);
    if (!line.empty() && !starts_with_nocase(line, "content-length:")) {
      out += line;
      out += "\r\n";
    }
    at = to;
  }
  out += "Content-Length: " + std::to_string(res.body.size()) + "\r\n\r\n";
  out += res.body;
  front_.reply(std::move(conn_), std::move(out), keep_);
}

} // namespace npsd
