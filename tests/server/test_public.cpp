// The public endpoints over real HTTP: what the widget and apps see.
#include "http_support.hpp"

#include "nps/tally.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

void add_shop(Running& s, const json& extra = json::object()) {
  json def = {{"id", "shop"}, {"name", "Shop"}};
  def.update(extra);
  REQUIRE(create_survey(s, def) == 201);
}

std::uint64_t stored(Running& s) { return s.server->storage().count_responses("shop"); }

} // namespace

TEST_CASE("server: a response is stored once, a retry gets the original back", "[server][http]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  const json body = {{"score", 9}, {"idempotency_key", "visit-0001"}, {"comment", "  Fast checkout \r\n"}};
  auto first = post_response(*c, "shop", body);
  REQUIRE(first);
  CHECK(first->status == 201);
  const auto j = body_of(first);
  CHECK(j["category"] == "promoter");
  CHECK(j["survey_id"] == "shop");

  auto retry = post_response(*c, "shop", body);
  REQUIRE(retry);
  CHECK(retry->status == 200);
  CHECK(body_of(retry)["id"] == j["id"]);
  CHECK(body_of(retry)["duplicate"] == true);
  CHECK(stored(s) == 1);

  auto saved = s.server->storage().find_response("shop", "visit-0001");
  REQUIRE(saved);
  CHECK(saved->response.comment == "Fast checkout"); // normalised by the core
}

TEST_CASE("server: every kind of bad input gets a 4xx naming the problem and stores nothing",
          "[server][http]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  struct Case {
    std::string name, body, content_type;
    int status;
    std::string code, path;
  };
  const std::vector<Case> cases = {
      {"score 11", R"({"score":11,"idempotency_key":"k-000001"})", "application/json", 400, "out_of_range",
       "score"},
      {"score as text", R"({"score":"9.5","idempotency_key":"k-000001"})", "application/json", 400,
       "invalid_type", "score"},
      {"fractional score", R"({"score":9.5,"idempotency_key":"k-000001"})", "application/json", 400,
       "out_of_range", "score"},
      {"missing key", R"({"score":9})", "application/json", 400, "required", "idempotency_key"},
      {"typo", R"({"score":9,"idempotency_key":"k-000001","coment":"x"})", "application/json", 400,
       "unknown_field", "coment"},
      {"invalid UTF-8", "{\"score\":9,\"idempotency_key\":\"k-000001\",\"comment\":\"\xC3\x28\"}",
       "application/json", 400, "invalid_utf8", ""},
      {"broken JSON", R"({"score":9,)", "application/json", 400, "parse_error", ""},
      {"empty body", "", "application/json", 400, "parse_error", ""},
      {"not an object", R"([9])", "application/json", 400, "invalid_type", ""},
      {"other survey", R"({"survey_id":"other","score":9,"idempotency_key":"k-000001"})", "application/json",
       400, "invalid_value", "survey_id"},
      {"wrong content type", R"({"score":9,"idempotency_key":"k-000001"})", "text/plain", 415,
       "unsupported_media_type", ""},
      {"oversize",
       R"({"score":9,"idempotency_key":"k-000001","comment":")" + std::string(70'000, 'a') + "\"}",
       "application/json", 413, "payload_too_large", ""},
  };
  for (const auto& k : cases) {
    INFO(k.name);
    auto r = c->Post("/v1/surveys/shop/responses", k.body, k.content_type.c_str());
    REQUIRE(r);
    CHECK(r->status == k.status);
    const auto j = body_of(r);
    REQUIRE(j.is_object());
    CHECK(j["error"]["code"] == k.code);
    CHECK(j["error"]["path"] == k.path);
    CHECK(j["errors"].is_array());
    CHECK_FALSE(j["error"]["message"].get<std::string>().empty());
  }
  // Every problem is listed, not just the first.
  auto r = c->Post("/v1/surveys/shop/responses", R"({"score":11,"idempotency_key":"x","channel":"fax"})",
                   "application/json");
  REQUIRE(r);
  CHECK(body_of(r)["errors"].size() == 3);

  auto unknown = post_response(*c, "nope", {{"score", 9}, {"idempotency_key", "k-000001"}});
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
  CHECK(body_of(unknown)["error"]["code"] == "not_found");
  CHECK(stored(s) == 0);

  // ...and the server keeps serving.
  auto ok = post_response(*c, "shop", {{"score", 3}, {"idempotency_key", "k-000002"}});
  REQUIRE(ok);
  CHECK(ok->status == 201);
}

TEST_CASE("server: an endless chunked body is cut at the limit with 413", "[server][http]") {
  Running s;
  add_shop(s);
  RawConn conn(s.server->port());
  REQUIRE(conn.ok());
  std::string head =
      "POST /v1/surveys/shop/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  REQUIRE(conn.send(head));
  const std::string chunk = "1000\r\n" + std::string(4096, ' ') + "\r\n";
  for (int i = 0; i < 40; ++i)
    if (!conn.send(chunk)) break; // the server may close before all 160 KiB are sent
  const auto reply = conn.read_all();
  CHECK(reply.rfind("HTTP/1.1 413", 0) == 0);
  CHECK(reply.find("payload_too_large") != std::string::npos);
  CHECK(stored(s) == 0);
}

TEST_CASE("server: CORS only for the survey's allowed origins, preflight included", "[server][http]") {
  Running s;
  add_shop(s, {{"allowed_origins", {"https://shop.example"}}});
  auto c = s.client();
  const json body = {{"score", 10}, {"idempotency_key", "cors-0001"}};

  auto ok = post_response(*c, "shop", body, {{"Origin", "https://shop.example"}});
  REQUIRE(ok);
  CHECK(ok->status == 201);
  CHECK(ok->get_header_value("Access-Control-Allow-Origin") == "https://shop.example");

  auto evil = post_response(*c, "shop", {{"score", 0}, {"idempotency_key", "cors-0002"}},
                            {{"Origin", "https://evil.example"}});
  REQUIRE(evil);
  CHECK(evil->status == 403);
  CHECK(body_of(evil)["error"]["code"] == "origin_not_allowed");
  CHECK_FALSE(evil->has_header("Access-Control-Allow-Origin"));

  auto pre = c->Options("/v1/surveys/shop/responses",
                        {{"Origin", "https://shop.example"}, {"Access-Control-Request-Method", "POST"}});
  REQUIRE(pre);
  CHECK(pre->status == 204);
  CHECK(pre->get_header_value("Access-Control-Allow-Origin") == "https://shop.example");
  CHECK(pre->get_header_value("Access-Control-Allow-Headers").find("Content-Type") != std::string::npos);
  auto bad_pre = c->Options("/v1/surveys/shop/responses", {{"Origin", "https://evil.example"}});
  REQUIRE(bad_pre);
  CHECK(bad_pre->status == 403);
  CHECK_FALSE(bad_pre->has_header("Access-Control-Allow-Origin"));
  CHECK(stored(s) == 1);
}

TEST_CASE("server: the config is cacheable with an ETag and changes with the survey", "[server][http]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  auto r = c->Get("/v1/surveys/shop/config");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(body_of(r)["name"] == "Shop");
  const auto etag = r->get_header_value("ETag");
  CHECK_FALSE(etag.empty());
  CHECK(r->get_header_value("Cache-Control").find("max-age") != std::string::npos);

  auto same = c->Get("/v1/surveys/shop/config", {{"If-None-Match", etag}});
  REQUIRE(same);
  CHECK(same->status == 304);
  CHECK(same->body.empty());

  auto put = c->Put("/v1/admin/surveys/shop", s.admin(), R"({"name":"Shop 2"})", "application/json");
  REQUIRE(put);
  CHECK(put->status == 200);
  auto changed = c->Get("/v1/surveys/shop/config", {{"If-None-Match", etag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(body_of(changed)["name"] == "Shop 2");

  CHECK(c->Get("/v1/surveys/nope/config")->status == 404);
}

TEST_CASE("server: the daily response cap answers 429 until the next day", "[server][http]") {
  Running s;
  add_shop(s, {{"sampling", {{"daily_response_cap", 2}}}});
  auto c = s.client();
  CHECK(post_response(*c, "shop", {{"score", 5}, {"idempotency_key", "cap-0001"}})->status == 201);
  CHECK(post_response(*c, "shop", {{"score", 5}, {"idempotency_key", "cap-0002"}})->status == 201);
  auto over = post_response(*c, "shop", {{"score", 5}, {"idempotency_key", "cap-0003"}});
  CHECK(over->status == 429);
  CHECK(body_of(over)["error"]["code"] == "daily_cap_reached");
  s.now->store(kNow + 86'400'000);
  CHECK(post_response(*c, "shop", {{"score", 5}, {"idempotency_key", "cap-0003"}})->status == 201);
}

TEST_CASE("server: PATCH adds follow-up answers, a changed score moves the count", "[server][http]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  REQUIRE(post_response(*c, "shop", {{"score", 6}, {"idempotency_key", "follow-01"}, {"channel", "web"}})
              ->status == 201);
  auto p = c->Patch("/v1/surveys/shop/responses/follow-01", R"({"comment":"too slow"})", "application/json");
  REQUIRE(p);
  CHECK(p->status == 200);
  CHECK(s.server->storage().find_response("shop", "follow-01")->response.comment == "too slow");

  auto summary = [&] { return body_of(c->Get("/v1/admin/surveys/shop/summary", s.admin())); };
  CHECK(summary()["counts"][6] == 1);
  REQUIRE(c->Patch("/v1/surveys/shop/responses/follow-01", R"({"score":7})", "application/json")->status ==
          200);
  CHECK(summary()["counts"][6] == 0);
  CHECK(summary()["counts"][7] == 1);
  CHECK(summary()["n"] == 1);

  auto bad = c->Patch("/v1/surveys/shop/responses/follow-01", R"({"channel":"email"})", "application/json");
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["error"]["path"] == "channel");
  CHECK(c->Patch("/v1/surveys/shop/responses/missing-01", R"({"comment":"x"})", "application/json")->status ==
        404);
}

TEST_CASE("server: health, metrics, request ids and JSON errors for unknown routes", "[server][http]") {
  Running s;
  add_shop(s);
  auto c = s.client();
  auto h = c->Get("/healthz");
  CHECK(h->status == 200);
  CHECK_FALSE(h->get_header_value("X-Request-Id").empty());
  (void)post_response(*c, "shop", {{"score", 9}, {"idempotency_key", "metric-01"}});
  // A request is counted right after its response is sent: look again for a moment.
  const std::string posted =
      R"(npsd_requests_total{route="/v1/surveys/{id}/responses",method="POST",status="201"} 1)";
  auto m = c->Get("/metrics");
  for (int i = 0; i < 100 && m && m->body.find(posted) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    m = c->Get("/metrics");
  }
  REQUIRE(m);
  CHECK(m->body.find("npsd_responses_stored_total 1") != std::string::npos);
  CHECK(m->body.find(posted) != std::string::npos);
  CHECK(m->body.find("npsd_request_duration_seconds_bucket") != std::string::npos);
  CHECK(m->body.find("npsd_write_queue_depth") != std::string::npos);

  auto nf = c->Get("/nothing/here");
  CHECK(nf->status == 404);
  CHECK(body_of(nf)["error"]["code"] == "not_found");
  auto wrong = c->Delete("/v1/surveys/shop/config");
  CHECK(wrong->status == 405);
  CHECK(body_of(wrong)["error"]["code"] == "method_not_allowed");
}

TEST_CASE("server: responses survive a restart and the IP address is not stored", "[server][http]") {
  Running s;
  add_shop(s);
  REQUIRE(post_response(*s.client(), "shop", {{"score", 8}, {"idempotency_key", "restart-1"}})->status ==
          201);
  s.restart();
  CHECK(stored(s) == 1);
  CHECK(s.client()->Get("/v1/surveys/shop/config")->status == 200); // surveys reloaded into memory
  auto r = post_response(*s.client(), "shop", {{"score", 8}, {"idempotency_key", "restart-1"}});
  CHECK(r->status == 200);
  const auto j = body_of(s.client()->Get("/v1/admin/surveys/shop/responses", s.admin()));
  CHECK(j["items"][0].dump().find("127.0.0.1") == std::string::npos);
}

TEST_CASE("server: the widget's files load from other sites, folders redirect to their slash",
          "[server][http]") {
  TempDir web;
  std::filesystem::create_directories(web.file("demo"));
  std::ofstream(web.file("nps.js")) << "/* loader */";
  std::ofstream(web.file("nps-elig.wasm"), std::ios::binary) << std::string("\0asm", 4);
  std::ofstream(web.file("nps-texts-ru.json")) << R"({"locale":"ru","dir":"ltr","texts":{}})";
  std::ofstream(web.file("other.json")) << "{}";
  std::ofstream(web.file("demo/index.html")) << "<!doctype html><title>demo</title>";
  Config config;
  config.web_root = web.path().string();
  Running s(config);
  auto c = s.client();
  const httplib::Headers from_shop = {{"Origin", "https://shop.example"}};
  auto js = c->Get("/nps.js", from_shop);
  REQUIRE(js);
  CHECK(js->status == 200);
  CHECK(js->get_header_value("Access-Control-Allow-Origin") == "*");
  auto wasm = c->Get("/nps-elig.wasm", from_shop);
  CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
  CHECK(wasm->get_header_value("Access-Control-Allow-Origin") == "*");
  auto texts = c->Get("/nps-texts-ru.json", from_shop); // the widget fetches its language
  CHECK(texts->status == 200);
  CHECK(texts->get_header_value("Access-Control-Allow-Origin") == "*");
  CHECK(c->Get("/other.json", from_shop)->get_header_value("Access-Control-Allow-Origin").empty());
  auto page = c->Get("/demo");
  CHECK(page->status == 301);
  CHECK(page->get_header_value("Location") == "/demo/");
  auto index = c->Get("/demo/");
  CHECK(index->status == 200);
  CHECK(index->get_header_value("Access-Control-Allow-Origin").empty()); // pages are not shared
  CHECK(c->Get("/../etc/passwd")->status == 404);
}
