// Answers replied to once their batch is committed, with no worker thread waiting (issue 18:
// DeferredReply, Storage::insert_response_then): what a widget or a proxy sees must be what
// an answer replied to at once looks like, on a connection that goes on as before.
#include "http_raw.hpp"
#include "http_support.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <sstream>
#include <thread>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

nps::Tally all_tallies(const Storage& s, const std::string& survey) {
  nps::Tally t;
  for (const auto& row : s.tallies(survey, 0, 1'000'000))
    t.merge(row.tally);
  return t;
}

std::string answer_request(const std::string& key, const std::string& extra_headers = "") {
  const std::string body = R"({"score":9,"idempotency_key":")" + key + R"(","comment":"quick"})";
  return "POST /v1/surveys/shop/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://shop.example\r\n"
         "Content-Type: application/json\r\n" +
         extra_headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A response's header lines by lower-case name (the last of a name), without the status line.
std::map<std::string, std::string> headers_of(const std::string& response) {
  std::map<std::string, std::string> out;
  std::istringstream in(response.substr(0, response.find("\r\n\r\n")));
  std::string line;
  std::getline(in, line); // the status line
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& ch : name)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return out;
}

void add_shop(Running& s) {
  REQUIRE(create_survey(
              s, {{"id", "shop"}, {"name", "Shop"}, {"allowed_origins", {"https://shop.example"}}}) == 201);
}

} // namespace

TEST_CASE("server: an answer replied to once its batch commits carries the headers of one replied to at once",
          "[server][http][deferred]") {
  // A kept-open connection's answer is replied to later, by the front. A connection's last
  // request is answered at once, by the worker, as every answer was before: with one request
  // per connection, every request is the last.
  Running s;
  Config one_each;
  one_each.limits.requests_per_connection = 1;
  Running at_once(one_each);
  add_shop(s);
  add_shop(at_once);
  RawClient later(s.server->port()), now(at_once.server->port());
  REQUIRE(later.send(answer_request("deferred-0001")));
  const auto a = later.read_response();
  REQUIRE(now.send(answer_request("at-once-0001")));
  const auto b = now.read_response();
  REQUIRE(status_of(a) == 201);
  REQUIRE(status_of(b) == 201);
  REQUIRE(a.rfind("HTTP/1.1 201 Created\r\n", 0) == 0);
  auto ha = headers_of(a), hb = headers_of(b);
  // The same headers with the same values, but for what differs by nature: the request's id,
  // the body's length (its id and time), and keep-alive (the second connection ends).
  CHECK(ha.at("x-request-id") != hb.at("x-request-id"));
  CHECK(ha.at("content-length") == std::to_string(body_text(a).size()));
  CHECK(ha.count("keep-alive") == 1);
  CHECK(ha.count("connection") == 0);
  CHECK(hb.at("connection") == "close");
  for (const char* differs : {"x-request-id", "content-length", "keep-alive", "connection"}) {
    ha.erase(differs);
    hb.erase(differs);
  }
  CHECK(ha == hb);
  CHECK(ha.at("access-control-allow-origin") == "https://shop.example");
  CHECK(ha.at("content-type") == "application/json");
  CHECK(ha.at("x-content-type-options") == "nosniff");
  const auto ja = json_of(a), jb = json_of(b);
  CHECK(ja["idempotency_key"] == "deferred-0001");
  CHECK(ja["duplicate"] == false);
  CHECK(ja["category"] == "promoter");
  CHECK(jb["idempotency_key"] == "at-once-0001");
  CHECK(body_text(b).size() == std::stoul(headers_of(b).at("content-length")));
  // Stored, and committed before the reply: a reader sees it.
  CHECK(s.server->storage().find_response("shop", "deferred-0001"));
  // A retry on the same connection: the original back, 200.
  REQUIRE(later.send(answer_request("deferred-0001")));
  const auto again = later.read_response();
  CHECK(status_of(again) == 200);
  CHECK(json_of(again)["id"] == ja["id"]);
  CHECK(json_of(again)["duplicate"] == true);
  CHECK(s.server->storage().count_responses("shop") == 1);
}

TEST_CASE("server: requests pipelined behind an answer are replied to after it, in order",
          "[server][http][deferred]") {
  Running s;
  add_shop(s);
  RawClient c(s.server->port());
  // Three requests in one write: the config waits for the answer's reply, then is served.
  REQUIRE(c.send(answer_request("pipe-0001") + answer_request("pipe-0002") +
                 "GET /v1/surveys/shop/config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  const auto first = c.read_response(), second = c.read_response(), third = c.read_response();
  REQUIRE(status_of(first) == 201);
  CHECK(json_of(first)["idempotency_key"] == "pipe-0001");
  REQUIRE(status_of(second) == 201);
  CHECK(json_of(second)["idempotency_key"] == "pipe-0002");
  REQUIRE(status_of(third) == 200);
  CHECK(json_of(third)["id"] == "shop");
  CHECK(json_of(second)["id"].get<std::int64_t>() > json_of(first)["id"].get<std::int64_t>());
}

TEST_CASE("server: an answer sent with Connection: close is replied to, then the connection closes",
          "[server][http][deferred]") {
  Running s;
  add_shop(s);
  RawClient c(s.server->port());
  REQUIRE(c.send(answer_request("close-0001", "Connection: close\r\n")));
  const auto all = c.read_all(5000);
  REQUIRE(status_of(all) == 201);
  CHECK(has_header_line(all, "Connection: close"));
  CHECK(json_of(all)["idempotency_key"] == "close-0001");
  CHECK(c.closed());
}

TEST_CASE("server: answers replied to later are counted in the metrics by their status",
          "[server][http][deferred]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  for (const char* key : {"metric-0001", "metric-0002", "metric-0001"})
    REQUIRE(post_response(*c, "shop", {{"score", 7}, {"idempotency_key", key}}));
  const auto m = c->Get("/metrics");
  REQUIRE(m);
  CHECK(m->body.find(
            R"(npsd_requests_total{route="/v1/surveys/{id}/responses",method="POST",status="201"} 2)") !=
        std::string::npos);
  CHECK(m->body.find(
            R"(npsd_requests_total{route="/v1/surveys/{id}/responses",method="POST",status="200"} 1)") !=
        std::string::npos);
}

TEST_CASE("storage: insert_response_then hands on each outcome once it is committed",
          "[server][storage][deferred]") {
  TempDir dir;
  auto db = open_test_storage(dir, "then");
  // Several at once, the same key twice: one batch or a few, each caller its own outcome.
  std::vector<std::promise<InsertOutcome>> outcomes(6);
  std::vector<std::future<InsertOutcome>> got;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    got.push_back(outcomes[i].get_future());
    const auto key = i == 5 ? std::string("then-0000") : "then-000" + std::to_string(i);
    db->insert_response_then(response("s1", static_cast<int>(i), key), 1'700'000'000'000, 0,
                             [&db, &outcomes, i, key](const InsertOutcome* out, std::exception_ptr error) {
                               if (!out) return outcomes[i].set_exception(error);
                               // Committed: visible to the engine's readers already.
                               if (out->status == Inserted::created && !db->find_response("s1", key))
                                 return outcomes[i].set_exception(
                                     std::make_exception_ptr(std::runtime_error("not visible yet")));
                               outcomes[i].set_value(*out);
                             });
  }
  std::vector<InsertOutcome> out;
  for (auto& f : got)
    out.push_back(f.get());
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(out[i].status == Inserted::created);
    CHECK(out[i].stored.response.score.value() == static_cast<int>(i));
  }
  CHECK(out[5].status == Inserted::duplicate);
  CHECK(out[5].stored.id == out[0].stored.id);
  CHECK(db->count_responses("s1") == 5);
  CHECK(all_tallies(*db, "s1") == db->scan_tally("s1"));
  // A daily cap reached: refused, as insert_response refuses it.
  std::promise<InsertOutcome> capped;
  db->insert_response_then(response("s1", 3, "then-0009"), 1'700'000'000'000, 5,
                           [&capped](const InsertOutcome* o, std::exception_ptr e) {
                             o ? capped.set_value(*o) : capped.set_exception(e);
                           });
  CHECK(capped.get_future().get().status == Inserted::cap_reached);
}

TEST_CASE("server: a client that reads its replies late still gets every reply, in order",
          "[server][http][deferred]") {
  Running s;
  add_shop(s);
  // A small receive window and 300 answers sent at once, not read for a while: the replies
  // fill the socket's buffers, and the front hands the rest of a reply to a worker to write.
  RawClient c(s.server->port(), 2048);
  std::string all;
  for (int i = 0; i < 300; ++i)
    all += answer_request("late-" + std::to_string(10000 + i));
  REQUIRE(c.send(all));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (int i = 0; i < 300; ++i) {
    const auto r = c.read_response(10'000);
    REQUIRE(status_of(r) == 201);
    REQUIRE(json_of(r)["idempotency_key"] == "late-" + std::to_string(10000 + i));
  }
  CHECK(s.server->storage().count_responses("shop") == 300);
}

TEST_CASE(
    "http front: a reply larger than the socket takes is finished by a worker, and the connection goes on",
    "[server][http][deferred]") {
  // The front alone, with a Serve that takes /big's connection and has the front reply later
  // with 8 MiB, more than a socket's buffers hold: the rest is written by a worker while the
  // client reads slowly; the client's next request on the connection is then served.
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(listener, 16) == 0);
  REQUIRE(::getsockname(listener, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const std::string big_body(8 * 1024 * 1024, 'x');
  const std::string big =
      "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(big_body.size()) + "\r\n\r\n" + big_body;
  ConnectionLimits limits;
  limits.threads = 2;
  std::unique_ptr<http::Front> front;
  front = std::make_unique<http::Front>(limits, [&](std::unique_ptr<http::Conn>& c) {
    const bool is_big = c->in.rfind("GET /big", 0) == 0, closes = c->in.rfind("GET /big-close ", 0) == 0;
    c->in.erase(0, c->request_end);
    if (!is_big) {
      const std::string small = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsmall";
      return ::send(c->fd, small.data(), small.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(small.size());
    }
    auto taken = std::make_shared<std::unique_ptr<http::Conn>>(std::move(c));
    front->post([&, taken, closes] { front->reply(std::move(*taken), big, !closes); });
    return false;
  });
  std::thread runs([&] { front->run(listener); });
  {
    RawClient c(ntohs(a.sin_port), 4096);
    REQUIRE(c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200)); // the socket fills meanwhile
    const auto r = c.read_response(20'000);
    REQUIRE(status_of(r) == 200);
    CHECK(body_text(r).size() == big_body.size());
    CHECK(body_text(r).find_first_not_of('x') == std::string::npos);
    REQUIRE(c.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n"));
    const auto next = c.read_response(5'000);
    CHECK(body_text(next) == "small");
  }
  {
    // The same, for a reply after which the connection closes: it does, once written.
    RawClient c(ntohs(a.sin_port), 4096);
    REQUIRE(c.send("GET /big-close HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const auto r = c.read_response(20'000);
    CHECK(body_text(r).size() == big_body.size());
    CHECK(c.read_all(5'000).empty());
    CHECK(c.closed());
  }
  front->stop();
  runs.join();
}
