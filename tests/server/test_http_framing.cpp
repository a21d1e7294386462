// The front's request framer alone: where a request ends, and what it refuses before httplib
// could read it differently.
#include "http_framing.hpp"

#include <catch2/catch.hpp>

#include <string>

using npsd::http::BodyLimit;
using npsd::http::HeadLimits;
using npsd::http::RequestFramer;
using Progress = RequestFramer::Progress;

namespace {

struct Framing {
  HeadLimits head;
  std::string seen_path;
  BodyLimit limit = [this](const std::string&, const std::string& path) {
    seen_path = path;
    return std::size_t{100};
  };
  RequestFramer framer{head, limit};

  Progress feed(std::string& buf) { return framer.feed(buf); }
  // Feeds `request` whole; returns the error status, 0 when complete, -1 when it waits for more.
  int status(std::string request) {
    const auto p = framer.feed(request);
    return p == Progress::failed ? framer.error().status : p == Progress::complete ? 0 : -1;
  }
};

const std::string kGet = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

} // namespace

TEST_CASE("framing: a request ends after its headers, or after its Content-Length body",
          "[server][framing]") {
  Framing f;
  std::string buf = kGet + "GET /next HTTP/1.1\r\n";
  REQUIRE(f.feed(buf) == Progress::complete);
  CHECK(f.framer.end() == kGet.size()); // the pipelined request that follows is not part of it

  Framing g;
  std::string post = "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel";
  CHECK(g.feed(post) == Progress::more);
  post += "loGET";
  REQUIRE(g.feed(post) == Progress::complete);
  CHECK(post.substr(0, g.framer.end()).ends_with("hello"));
}

TEST_CASE("framing: bytes arriving one at a time frame the same request", "[server][framing]") {
  const std::string request =
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\n\r\n";
  Framing f;
  std::string buf;
  Progress p = Progress::more;
  for (const char c : request) {
    REQUIRE(p == Progress::more);
    buf += c;
    p = f.feed(buf);
  }
  CHECK(p == Progress::complete);
  CHECK(f.framer.end() == request.size());
}

TEST_CASE("framing: lengths and encodings httplib would read differently are refused", "[server][framing]") {
  const auto post = [](const std::string& headers) { return "POST /x HTTP/1.1\r\n" + headers + "\r\n"; };
  CHECK(Framing().status(post("Content-Length: 12abc\r\n")) == 400);
  CHECK(Framing().status(post("Content-Length: +1\r\n")) == 400);
  CHECK(Framing().status(post("Content-Length: %31\r\n")) == 400); // httplib decodes % in values
  CHECK(Framing().status(post("Content-Length: 1\r\nContent-Length: 1\r\n")) == 400);
  CHECK(Framing().status(post("Content-Length : 1\r\n")) == 400);
  CHECK(Framing().status(post("Content-Length: 1\r\nTransfer-Encoding: chunked\r\n")) == 400);
  CHECK(Framing().status(post("Transfer-Encoding: gzip, chunked\r\n")) == 400);
  CHECK(Framing().status(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")) == 400);
  CHECK(Framing().status(post("X-A: 1\r\n folded\r\n")) == 400);
  CHECK(Framing().status(post("X-A: a\x01z\r\n")) == 400);
  CHECK(Framing().status(post("Content-Encoding: gzip\r\n")) == 415);
  CHECK(Framing().status("POST /x HTTP/1.1\nContent-Length: 1\n\n") == 400); // LF alone
  CHECK(Framing().status("GET  /x HTTP/1.1\r\n\r\n") == 400);
  CHECK(Framing().status("GET /x HTTP/2.0\r\n\r\n") == 400);
  CHECK(Framing().status("GET /\xc3\xa9 HTTP/1.1\r\n\r\n") == 400);
  CHECK(Framing().status(post("Content-Length: 0\r\n")) == 0);
}

TEST_CASE("framing: chunked framing is followed strictly and its size checked before its data",
          "[server][framing]") {
  const std::string head = "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  CHECK(Framing().status(head + "5\r\nhello\r\n0\r\n\r\n") == 0);
  CHECK(Framing().status(head + "5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n") == 400);
  CHECK(Framing().status(head + "0x5\r\nhello\r\n0\r\n\r\n") == 400);
  CHECK(Framing().status(head + "5\r\nhelloXX0\r\n\r\n") == 400);
  CHECK(Framing().status(head + "00000000000000005\r\n") == 400); // 17 digits
  CHECK(Framing().status(head + "65\r\n") == 413);                // 101 bytes declared, limit 100
  CHECK(Framing().status(head + "32\r\n" + std::string(50, 'a') + "\r\n33\r\n") == 413);
  CHECK(Framing().status(head + "64\r\n" + std::string(100, 'a') + "\r\n0\r\n\r\n") == 0);
}

TEST_CASE("framing: limits are checked as bytes arrive, before a line ends", "[server][framing]") {
  CHECK(Framing().status("GET /" + std::string(8200, 'a')) == 414);
  CHECK(Framing().status("GET / HTTP/1.1\r\nX-A: " + std::string(8200, 'a')) == 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 17; ++i)
    many += "X-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n";
  CHECK(Framing().status(many) == 431);
  CHECK(Framing().status("GET / HTTP/1.1\r\nX-A: " + std::string(8000, 'a') + "\r\n\r\n") == 0);
  CHECK(Framing().status("POST /x HTTP/1.1\r\nContent-Length: 101\r\n\r\n") == 413);
  CHECK(Framing().status("POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n") == 400);
}

TEST_CASE("framing: the body limit is asked for the path httplib routes on", "[server][framing]") {
  Framing f;
  CHECK(f.status("GET /v1/%61dmin/x?y=%62 HTTP/1.1\r\n\r\n") == 0);
  CHECK(f.seen_path == "/v1/admin/x");
  CHECK(f.framer.method() == "GET");
}

TEST_CASE("framing: Expect: 100-continue is taken out of the head and asked for once", "[server][framing]") {
  Framing f;
  std::string buf = "POST /x HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n";
  REQUIRE(f.feed(buf) == Progress::more);
  CHECK(buf == "POST /x HTTP/1.1\r\nContent-Length: 2\r\n\r\n");
  CHECK(f.framer.take_continue());
  CHECK_FALSE(f.framer.take_continue());
  buf += "{}";
  REQUIRE(f.feed(buf) == Progress::complete);
  CHECK(f.framer.end() == buf.size());
}
