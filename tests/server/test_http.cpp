// npsd's HTTP front against a real server: request framing (no desync, no truncated
// bodies), limits answered in JSON, slow and idle clients holding no worker, the worker
// queue's bound and wait, and the graceful stop.
#include "http_raw.hpp"
#include "http_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <thread>

using namespace npsd;
using namespace npsd::test;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// One of the front's own answers: the server's JSON error shape, and the connection closes.
void check_front_error(const std::string& reply, int status, const std::string& code) {
  INFO(reply.substr(0, 600));
  REQUIRE(status_of(reply) == status);
  const auto j = json_of(reply);
  REQUIRE(j.is_object());
  CHECK(j["error"]["code"] == code);
  CHECK(j["error"]["path"] == "");
  CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
  REQUIRE(j["errors"].is_array());
  CHECK(j["errors"][0] == j["error"]);
  CHECK(has_header_line(reply, "Connection: close"));
}

std::string post_head(const std::string& path, std::size_t length, const std::string& extra = "") {
  return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + extra +
         "Content-Length: " + std::to_string(length) + "\r\n\r\n";
}

const std::string kHealth = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
const std::string kHealthClose = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++n;
  return n;
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

// The data of a chunked body.
std::string dechunk(const std::string& body) {
  std::string out;
  for (std::size_t at = 0;;) {
    const auto eol = body.find("\r\n", at);
    if (eol == std::string::npos) return out;
    const auto size = std::stoul(body.substr(at, eol - at), nullptr, 16);
    if (size == 0) return out;
    out += body.substr(eol + 2, size);
    at = eol + 2 + size + 2;
  }
}

// A HardenedServer with the test's own routes, for what npsd's routes cannot show.
struct Bare {
  HardenedServer http;
  std::thread thread;
  int port = -1;
  template <class Routes> Bare(const ConnectionLimits& limits, Routes routes) : http(limits) {
    routes(http);
    port = http.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { http.listen_after_bind(); });
    while (!http.is_running())
      std::this_thread::sleep_for(1ms);
  }
  ~Bare() {
    http.shutdown_gracefully();
    thread.join();
  }
};

} // namespace

TEST_CASE("http: a request hidden in the body of a refused POST is never run", "[server][http]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "e"}}) == 201);
  const std::string hidden = "DELETE /v1/admin/surveys/e HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             std::string(kAdminToken) + "\r\n\r\n";
  SECTION("an unauthenticated POST whose handler never reads the body") {
    RawClient c(s.server->port());
    REQUIRE(c.send(post_head("/v1/admin/surveys", hidden.size()) + hidden));
    CHECK(status_of(c.read_response()) == 401);
    REQUIRE(c.send(kHealthClose));
    const auto rest = c.read_all();
    INFO(rest);
    CHECK(count_of(rest, "HTTP/1.1 ") == 1); // the health check's answer only, none for a DELETE
    CHECK(status_of(rest) == 200);
  }
  SECTION("a GET with a Content-Length body") {
    RawClient c(s.server->port());
    REQUIRE(c.send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(hidden.size()) +
                   "\r\n\r\n" + hidden + kHealthClose));
    const auto all = c.read_all();
    INFO(all);
    CHECK(count_of(all, "HTTP/1.1 200") == 2);
    CHECK(count_of(all, "HTTP/1.1 ") == 2);
  }
  const auto e = s.server->storage().survey("e");
  REQUIRE(e);
  CHECK_FALSE(e->archived);
}

TEST_CASE("http: a body shorter than its Content-Length is never processed", "[server][http]") {
  Config config;
  config.limits.request_time = 1500ms;
  Running s(config);
  REQUIRE(create_survey(s, {{"id", "shop"}}) == 201);
  // Valid JSON in its first 46 bytes: a server that took the short body would store it.
  std::string body = R"({"score":9,"idempotency_key":"short-0001"})";
  body.resize(96, ' ');
  RawClient c(s.server->port());
  REQUIRE(c.send(post_head("/v1/surveys/shop/responses", 96) + body.substr(0, 46)));
  SECTION("then a half-close") {
    c.half_close();
    const auto reply = c.read_all();
    INFO(reply);
    CHECK(reply.find("HTTP/1.1 201") == std::string::npos);
    if (!reply.empty()) check_front_error(reply, 400, "bad_request");
  }
  SECTION("then silence until the deadline") {
    const auto reply = c.read_all(5000);
    check_front_error(reply, 408, "timeout");
  }
  CHECK(s.server->storage().count_responses("shop") == 0);
}

TEST_CASE("http: a body over the route's limit is answered 413 at once, declared or streamed",
          "[server][http]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}}) == 201);
  SECTION("a public POST declaring 10 GB") {
    RawClient c(s.server->port());
    const auto t0 = Clock::now();
    REQUIRE(c.send(post_head("/v1/surveys/shop/responses", 10'000'000'000) + R"({"score":)"));
    const auto reply = c.read_response();
    CHECK(ms_since(t0) < 1000);
    check_front_error(reply, 413, "payload_too_large");
    (void)c.read_all(3000);
    CHECK(c.closed());
  }
  SECTION("an admin POST of 1.1 MB") {
    const std::string big = R"({"id":"big","name":")" + std::string(1'100'000, 'a') + "\"}";
    auto r = s.client()->Post("/v1/admin/surveys", s.admin(), big, "application/json");
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(body_of(r)["error"]["code"] == "payload_too_large");
  }
  SECTION("a chunk that would take a public body past 64 KiB, before its data") {
    RawClient c(s.server->port());
    REQUIRE(c.send("POST /v1/surveys/shop/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n10\r\n{\"score\":9,     \r\n20000\r\n"));
    check_front_error(c.read_response(3000), 413, "payload_too_large");
  }
  CHECK(s.server->storage().count_responses("shop") == 0);
}

TEST_CASE("http: an over-long request line is answered 414 and over-long headers 431, in JSON",
          "[server][http]") {
  Running s;
  const auto ask = [&](const std::string& request) {
    RawClient c(s.server->port());
    c.send(request);
    return c.read_response();
  };
  check_front_error(ask("GET /healthz?q=" + std::string(20'000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414,
                    "uri_too_long");
  check_front_error(ask("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n"),
                    431, "header_too_large");
  std::string many = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 17; ++i)
    many += "X-Fill-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n";
  check_front_error(ask(many + "\r\n"), 431, "header_too_large");
  // Just under the limits: served.
  CHECK(status_of(ask("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n")) ==
        200);
}

TEST_CASE("http: Expect: 100-continue is answered once, and not when the body would be refused",
          "[server][http]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}}) == 201);
  const std::string body = R"({"score":10,"idempotency_key":"expect-0001"})";
  RawClient c(s.server->port());
  REQUIRE(c.send(post_head("/v1/surveys/shop/responses", body.size(), "Expect: 100-continue\r\n")));
  CHECK(c.read_response(3000) == "HTTP/1.1 100 Continue\r\n\r\n");
  REQUIRE(c.send(body));
  CHECK(status_of(c.read_response()) == 201);
  REQUIRE(c.send(kHealthClose));
  const auto rest = c.read_all();
  CHECK(rest.find("100 Continue") == std::string::npos);
  CHECK(status_of(rest) == 200);

  RawClient big(s.server->port());
  REQUIRE(big.send(post_head("/v1/surveys/shop/responses", 100'000, "Expect: 100-continue\r\n")));
  check_front_error(big.read_response(3000), 413, "payload_too_large");
}

TEST_CASE("http: 600 trickling and 600 idle connections hold no worker, a new request is answered at once",
          "[server][http]") {
  Config config;
  config.limits.request_time = 60s;
  config.limits.idle_time = 60s;
  Running s(config);
  constexpr int kEach = 600;
  std::vector<std::unique_ptr<RawClient>> trickling, idle;
  for (int i = 0; i < kEach; ++i) {
    trickling.push_back(std::make_unique<RawClient>(s.server->port()));
    REQUIRE(trickling.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: "));
    idle.push_back(std::make_unique<RawClient>(s.server->port()));
    REQUIRE(idle.back()->send(kHealth));
    REQUIRE(status_of(idle.back()->read_response()) == 200); // then kept open, idle
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    while (!done) {
      for (auto& c : trickling)
        c->send("a");
      for (int i = 0; i < 10 && !done; ++i)
        std::this_thread::sleep_for(50ms);
    }
  });
  std::this_thread::sleep_for(600ms);
  const auto t0 = Clock::now();
  RawClient fresh(s.server->port());
  REQUIRE(fresh.send(kHealthClose));
  const auto reply = fresh.read_response();
  const double ms = ms_since(t0);
  CHECK(status_of(reply) == 200);
  CHECK(ms < 1000);
  // The idle ones are still there and served on their next request.
  REQUIRE(idle.front()->send(kHealth));
  CHECK(status_of(idle.front()->read_response()) == 200);
  auto m = s.client()->Get("/metrics");
  REQUIRE(m);
  CHECK(m->body.find("npsd_refused_connections_total 0\n") != std::string::npos);
  done = true;
  trickle.join();
}

TEST_CASE("http: a keep-alive connection waiting for its next request holds no worker", "[server][http]") {
  ConnectionLimits limits;
  limits.threads = 1;
  Bare b(limits, [](HardenedServer& h) {
    h.Get("/hello",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("hi", "text/plain"); });
  });
  RawClient first(b.port);
  REQUIRE(first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  REQUIRE(status_of(first.read_response()) == 200); // kept alive, idle, on a server of one worker
  const auto t0 = Clock::now();
  RawClient second(b.port);
  REQUIRE(second.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(status_of(second.read_response()) == 200);
  CHECK(ms_since(t0) < 1000);
  // Pipelined requests on the first connection are answered in order.
  REQUIRE(first.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(status_of(first.read_response()) == 200);
  CHECK(status_of(first.read_response()) == 404);
}

TEST_CASE("http: a request that waits for a worker over 1 s is answered 503, a full queue at once",
          "[server][http]") {
  ConnectionLimits limits;
  limits.threads = 1;
  limits.queue = 1;
  std::atomic<int> fast{0};
  std::promise<void> entered;
  Bare b(limits, [&](HardenedServer& h) {
    h.Get("/slow", [&](const httplib::Request&, httplib::Response& res) {
      entered.set_value();
      std::this_thread::sleep_for(4s);
      res.set_content("slow", "text/plain");
    });
    h.Get("/fast", [&](const httplib::Request&, httplib::Response& res) {
      ++fast;
      res.set_content("fast", "text/plain");
    });
  });
  RawClient slow(b.port);
  REQUIRE(slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"));
  entered.get_future().wait(); // the only worker is busy for 4 s
  const auto t0 = Clock::now();
  RawClient queued(b.port), refused(b.port);
  REQUIRE(queued.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(100ms);
  REQUIRE(refused.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto full = refused.read_response();
  CHECK(ms_since(t0) < 900); // the queue (of 1) is full: refused at once
  check_front_error(full, 503, "unavailable");
  CHECK(has_header_line(full, "Retry-After: 1"));
  const auto waited = queued.read_response();
  const double ms = ms_since(t0);
  check_front_error(waited, 503, "unavailable");
  CHECK(ms >= 900);
  CHECK(ms < 3000); // not when the worker is free again, 4 s in
  CHECK(fast == 0);
  CHECK(b.http.refused_connections() == 2);
  CHECK(status_of(slow.read_response()) == 200);
}

TEST_CASE("http: a body a handler leaves unread is dropped exactly, the connection goes on",
          "[server][http]") {
  std::atomic<int> secret{0};
  Bare b(ConnectionLimits{}, [&](HardenedServer& h) {
    h.set_body_limit([](const std::string&, const std::string& path) -> std::size_t {
      return path == "/small" ? 10 : 1000;
    });
    h.Post("/ignore", [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader&) {
      res.set_content("ignored", "text/plain"); // never calls the reader
    });
    h.Post("/small", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body, "text/plain");
    });
    h.Get("/secret", [&](const httplib::Request&, httplib::Response&) { ++secret; });
    h.Get("/hello",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("hi", "text/plain"); });
  });
  const std::string hidden = "GET /secret HTTP/1.1\r\nHost: x\r\n\r\n";
  RawClient c(b.port);
  REQUIRE(c.send(post_head("/ignore", hidden.size()) + hidden + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(body_text(c.read_response()) == "ignored");
  CHECK(body_text(c.read_response()) == "hi");
  // Chunked too.
  REQUIRE(c.send("POST /ignore HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                 hex(hidden.size()) + "\r\n" + hidden +
                 "\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(body_text(c.read_response()) == "ignored");
  CHECK(body_text(c.read_response()) == "hi");
  CHECK(secret == 0);
  // The limit hook sees the decoded path.
  REQUIRE(c.send(post_head("/sm%61ll", 10) + "0123456789"));
  CHECK(body_text(c.read_response()) == "0123456789");
  REQUIRE(c.send(post_head("/sm%61ll", 11) + "0123456789A"));
  check_front_error(c.read_response(), 413, "payload_too_large");
}

TEST_CASE("http: a stop is not delayed by 100 connections that sent half their headers", "[server][http]") {
  Running s;
  std::vector<std::unique_ptr<RawClient>> half;
  for (int i = 0; i < 100; ++i) {
    half.push_back(std::make_unique<RawClient>(s.server->port()));
    REQUIRE(half.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Half: "));
  }
  std::this_thread::sleep_for(200ms);
  const auto t0 = Clock::now();
  s.server->stop();
  CHECK(ms_since(t0) < 1000);
  for (auto& c : half) {
    CHECK(c->read_all(1000).empty());
    CHECK(c->closed());
  }
}

TEST_CASE("http: a stop lets a streaming export finish, to its last row and terminating chunk",
          "[server][http]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}}) == 201);
  // About 6 MB of CSV, twice what the socket buffers held in flight here: still streaming at the stop.
  constexpr std::size_t kRows = 12'000;
  std::vector<std::pair<nps::Response, Millis>> rows;
  for (std::size_t i = 0; i < kRows; ++i) {
    rows.emplace_back(response("shop", static_cast<int>(i % 11), "export-" + std::to_string(100'000 + i)),
                      kNow - static_cast<Millis>(i));
    rows.back().first.comment = std::string(480, 'c');
  }
  REQUIRE(s.server->storage().import_responses(rows) == kRows);

  RawClient c(s.server->port(), 4096);
  REQUIRE(
      c.send("GET /v1/admin/surveys/shop/export?format=csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
             std::string(kAdminToken) + "\r\n\r\n"));
  REQUIRE(c.fill(5000, 1024));        // it has begun
  std::this_thread::sleep_for(300ms); // the server now waits for us to read
  std::thread stopper([&] { s.server->stop(); });
  std::this_thread::sleep_for(300ms); // told to stop with the export in flight
  const std::string raw = c.read_all(10'000);
  stopper.join();
  REQUIRE(status_of(raw) == 200);
  CHECK(raw.ends_with("\r\n0\r\n\r\n"));
  const auto csv = dechunk(body_text(raw));
  CHECK(count_of(csv, "\r\n") == kRows + 1); // the header line and every row
  CHECK(count_of(csv, ",export-") == kRows);
}
