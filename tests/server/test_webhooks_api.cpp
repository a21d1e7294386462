// Outgoing webhooks through a real npsd: the admin API of endpoints (secrets, rotation,
// filters, enabling), and the worker delivering answers to a receiver on loopback, signed,
// retried with the same webhook-id, disabled by a 410, failed and replayed.
#include "http_support.hpp"
#include "standard_webhooks.hpp"
#include "webhook_store.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <mutex>
#include <set>
#include <sstream>

using namespace npsd;
using namespace npsd::test;
using nps::json;
namespace swh = npsd::standard_webhooks;

namespace {

// What a receiver on 127.0.0.1 saw: one entry per attempt.
struct Seen {
  std::string id, timestamp, signature, body, path;
};

struct Receiver {
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::vector<Seen> seen;
  std::function<int(std::size_t)> status = [](std::size_t) { return 204; }; // by attempt number

  Receiver() {
    http.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu);
      seen.push_back({req.get_header_value("webhook-id"), req.get_header_value("webhook-timestamp"),
                      req.get_header_value("webhook-signature"), req.body, req.path});
      res.status = status(seen.size());
    });
    port = http.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { http.listen_after_bind(); });
    while (!http.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    http.stop();
    thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
  std::vector<Seen> all() {
    std::lock_guard lock(mu);
    return seen;
  }
};

Config hooks_config() {
  Config c;
  c.webhooks.allow_private = true;
  // npsd's clock runs up to an hour per 10 ms here: a lease (2 × timeout) long on that clock
  // keeps an attempt in flight from being taken over by the other worker thread.
  c.webhooks.timeout = std::chrono::hours(100);
  return c;
}

json create_endpoint(Running& s, const json& body) {
  auto r = s.client()->Post("/v1/admin/webhooks", s.admin(), nps::dump(body), "application/json");
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 201);
  return body_of(r);
}

// Moves npsd's clock forward `step` ms every few real milliseconds until `done` or 20 s pass.
template <class F> bool advance_until(Running& s, Millis step, F done, int rounds = 2000) {
  for (int i = 0; i < rounds; ++i) {
    if (done()) return true;
    s.now->fetch_add(step);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

bool signed_by(const Seen& a, const std::string& secret) {
  const auto expected = swh::sign(*swh::secret_key(secret), a.id, std::stoll(a.timestamp), a.body);
  std::istringstream sigs(a.signature);
  std::string one;
  while (sigs >> one)
    if (one == expected) return true;
  return false;
}

void answer(Running& s, const std::string& key, int score) {
  auto c = s.client();
  auto r =
      post_response(*c, "shop", {{"score", score}, {"idempotency_key", key}, {"comment", "late delivery"}});
  REQUIRE(r);
  REQUIRE(r->status == 201);
}

} // namespace

TEST_CASE("webhooks API: an endpoint gets a whsec_ secret shown once, and refused fields are named",
          "[server][webhooks]") {
  Running s(hooks_config());
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto e = create_endpoint(s, {{"url", "https://crm.example/hooks"},
                               {"survey_id", "shop"},
                               {"categories", {"detractor"}},
                               {"event_types", {"response.created"}},
                               {"description", "CRM"}});
  const std::string secret = e["secret"];
  CHECK(secret.rfind("whsec_", 0) == 0);
  REQUIRE(swh::secret_key(secret));
  CHECK(swh::secret_key(secret)->size() == 32);
  CHECK(e["enabled"] == true);
  CHECK(e["categories"] == json{"detractor"});

  auto c = s.client();
  auto list = body_of(c->Get("/v1/admin/webhooks", s.admin()));
  REQUIRE(list["items"].size() == 1);
  CHECK_FALSE(list["items"][0].contains("secret"));
  const auto path = "/v1/admin/webhooks/" + std::to_string(e["id"].get<std::int64_t>());
  // Shown once: neither the list nor the endpoint itself gives it back.
  const auto one = body_of(c->Get(path.c_str(), s.admin()));
  CHECK(one["url"] == "https://crm.example/hooks");
  CHECK_FALSE(one.contains("secret"));
  CHECK(c->Get(path.c_str(), s.admin())->body.find(secret) == std::string::npos);

  auto bad = c->Post(
      "/v1/admin/webhooks", s.admin(),
      R"({"url":"http://169.254.169.254/latest","kind":"pager","categories":["angry"],"survey_id":"nope","x":1})",
      "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  std::set<std::string> fields;
  const auto refused = body_of(bad);
  for (const auto& err : refused["errors"])
    fields.insert(err["path"].get<std::string>());
  CHECK(fields == std::set<std::string>{"url", "kind", "categories[0]", "survey_id", "x"});
  CHECK(c->Post("/v1/admin/webhooks", s.admin(), R"({"kind":"slack"})", "application/json")->status == 400);
  CHECK(body_of(c->Get("/v1/admin/webhooks", s.admin()))["items"].size() == 1); // nothing half-stored

  auto patched =
      c->Patch(path.c_str(), s.admin(), R"({"enabled":false,"categories":[]})", "application/json");
  REQUIRE(patched->status == 200);
  CHECK(body_of(patched)["enabled"] == false);
  CHECK(body_of(patched)["categories"].empty());
  CHECK(c->Delete(path.c_str(), s.admin())->status == 200);
  CHECK(c->Get(path.c_str(), s.admin())->status == 404);
}

TEST_CASE("webhooks: an answer is delivered signed, retried after refusals with the same webhook-id",
          "[server][webhooks]") {
  Receiver rx;
  rx.status = [](std::size_t n) { return n <= 2 ? 503 : 204; };
  Running s(hooks_config());
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto e = create_endpoint(s, {{"url", rx.url("/in")}});
  answer(s, "key-00000001", 2);
  REQUIRE(advance_until(s, 30'000, [&] { return rx.all().size() >= 3; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto seen = rx.all();
  REQUIRE(seen.size() == 3); // delivered on the third attempt, not again
  for (const auto& a : seen) {
    CHECK(a.id == seen[0].id);
    CHECK(a.body == seen[0].body);
    CHECK(signed_by(a, e["secret"]));
  }
  CHECK(seen[0].id.rfind("msg_", 0) == 0);
  // The spec's schedule on npsd's clock: 5 s (±10%) after the first, 5 min after the second.
  CHECK(std::stoll(seen[1].timestamp) - std::stoll(seen[0].timestamp) >= 4);
  CHECK(std::stoll(seen[2].timestamp) - std::stoll(seen[1].timestamp) >= 270);
  const auto body = json::parse(seen[0].body);
  CHECK(body["type"] == "response.created");
  CHECK(body["data"]["score"] == 2);
  CHECK(body["data"]["comment"] == "late delivery");

  const auto path = "/v1/admin/webhooks/" + std::to_string(e["id"].get<std::int64_t>()) + "/deliveries";
  auto list = body_of(s.client()->Get(path.c_str(), s.admin()));
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["status"] == "delivered");
  CHECK(list["items"][0]["attempts"] == 3);
  CHECK(list["items"][0]["webhook_id"] == seen[0].id);
}

TEST_CASE("webhooks: after a rotation deliveries carry a signature with the new and with the old secret",
          "[server][webhooks]") {
  Receiver rx;
  Running s(hooks_config());
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto e = create_endpoint(s, {{"url", rx.url("/in")}});
  const auto path = "/v1/admin/webhooks/" + std::to_string(e["id"].get<std::int64_t>());
  auto rotated = body_of(s.client()->Post((path + "/rotate-secret").c_str(), s.admin(),
                                          R"({"keep_previous_hours":1})", "application/json"));
  CHECK(rotated["secret"] != e["secret"]);
  CHECK(rotated["previous_secret_until"] == "2025-06-15T16:06:40.000Z");
  answer(s, "key-00000001", 9);
  REQUIRE(advance_until(s, 0, [&] { return rx.all().size() >= 1; }));
  auto seen = rx.all().front();
  CHECK(signed_by(seen, rotated["secret"]));
  CHECK(signed_by(seen, e["secret"]));
  // An hour later the old secret no longer signs.
  s.now->fetch_add(3'600'001);
  answer(s, "key-00000002", 9);
  REQUIRE(advance_until(s, 0, [&] { return rx.all().size() >= 2; }));
  seen = rx.all().back();
  CHECK(signed_by(seen, rotated["secret"]));
  CHECK_FALSE(signed_by(seen, e["secret"]));
  CHECK(seen.signature.find(' ') == std::string::npos);
}

TEST_CASE("webhooks: a 410 disables the endpoint, and a delivery that failed every attempt is replayed from "
          "the API",
          "[server][webhooks]") {
  Receiver gone, down;
  gone.status = [](std::size_t) { return 410; };
  std::atomic<bool> up{false};
  down.status = [&](std::size_t) { return up ? 200 : 500; };
  Running s(hooks_config());
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto g = create_endpoint(s, {{"url", gone.url("/gone")}});
  auto d = create_endpoint(s, {{"url", down.url("/down")}, {"categories", {"detractor"}}});
  answer(s, "key-00000001", 1);
  const auto gpath = "/v1/admin/webhooks/" + std::to_string(g["id"].get<std::int64_t>());
  auto c = s.client();
  REQUIRE(advance_until(s, 0, [&] { return body_of(c->Get(gpath.c_str(), s.admin()))["enabled"] == false; }));
  auto ge = body_of(c->Get(gpath.c_str(), s.admin()));
  CHECK(ge["disabled_reason"].get<std::string>().find("410") != std::string::npos);
  answer(s, "key-00000002", 10); // not for the disabled endpoint, nor for the detractors' one
  advance_until(
      s, 60'000, [] { return false; }, 50); // half a second
  CHECK(gone.all().size() == 1);
  CHECK(body_of(c->Get((gpath + "/deliveries").c_str(), s.admin()))["items"].size() == 1);

  const auto dpath = "/v1/admin/webhooks/" + std::to_string(d["id"].get<std::int64_t>()) + "/deliveries";
  const auto failed_path = dpath + "?status=failed";
  // Ten attempts over the spec's 75 hours of npsd's clock.
  REQUIRE(advance_until(
      s, 3'600'000, [&] { return body_of(c->Get(failed_path.c_str(), s.admin()))["items"].size() == 1; }));
  auto failed = body_of(c->Get(failed_path.c_str(), s.admin()))["items"][0];
  CHECK(failed["attempts"] == 10);
  CHECK(failed["last_status"] == 500);
  CHECK(down.all().size() == 10);
  const auto msg = failed["webhook_id"].get<std::string>();
  up = true;
  auto replay = c->Post((dpath + "/" + std::to_string(failed["id"].get<std::int64_t>()) + "/replay").c_str(),
                        s.admin(), "", "application/json");
  REQUIRE(replay);
  CHECK(replay->status == 202);
  REQUIRE(advance_until(s, 0, [&] { return down.all().size() == 11; }));
  CHECK(down.all().back().id == msg);
  CHECK(c->Post((dpath + "/" + std::to_string(failed["id"].get<std::int64_t>()) + "/replay").c_str(),
                s.admin(), "", "application/json")
            ->status == 404);
}
