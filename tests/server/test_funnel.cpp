// The funnel (issue 19): the counters on both engines (the [storage] case runs against
// PostgreSQL too, through tests/pg/with_postgres.sh), and over real HTTP the impressions a
// page sends (strictly read, origin checked) with the answers and e-mail campaigns beside
// them, the rates coming from the core.
#include "funnel_store.hpp"
#include "http_support.hpp"
#include "storage.hpp"
#include "storage_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

TEST_CASE("funnel: shown and dismissed counted per survey, day and channel, and summed over a range of days",
          "[server][storage][funnel]") {
  TempDir dir;
  auto db = open_test_storage(dir, "f");
  auto& f = db->funnel();
  for (int i = 0; i < 3; ++i)
    f.count("shop", 100, "web", "shown");
  f.count("shop", 100, "web", "dismissed");
  f.count("shop", 101, "web", "shown");
  f.count("shop", 101, "app", "shown");
  f.count("other", 100, "web", "shown");
  f.count("shop", 150, "web", "shown");

  auto totals = f.totals("shop", 100, 101);
  REQUIRE(totals.size() == 3);
  CHECK((totals[0].channel == "app" && totals[0].event == "shown" && totals[0].count == 1));
  CHECK((totals[1].channel == "web" && totals[1].event == "dismissed" && totals[1].count == 1));
  CHECK((totals[2].channel == "web" && totals[2].event == "shown" && totals[2].count == 4));
  CHECK(f.totals("shop", 101, 101).size() == 2);
  CHECK(f.totals("shop", 102, 149).empty());
  CHECK(f.totals("nobody", 0, 1000).empty());
}

TEST_CASE("funnel: impressions from the page, answers and the rates with intervals", "[server][funnel]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"allowed_origins", {"https://shop.example"}}}) == 201);
  auto c = s.client();
  const httplib::Headers page = {{"Origin", "https://shop.example"}};
  auto impression = [&](const std::string& body, const httplib::Headers& h) {
    return c->Post("/v1/surveys/shop/impressions", h, body, "text/plain;charset=UTF-8");
  };
  for (int i = 0; i < 10; ++i)
    REQUIRE(impression(R"({"event":"shown"})", page)->status == 204);
  for (int i = 0; i < 6; ++i)
    REQUIRE(impression(R"({"event":"dismissed"})", page)->status == 204);
  REQUIRE(impression(R"({"event":"shown","channel":"app"})", {})->status == 204); // a native app: no Origin
  for (int i = 0; i < 3; ++i)
    REQUIRE(
        post_response(
            *c, "shop",
            {{"score", 9 - i}, {"idempotency_key", "answer-" + std::to_string(1000 + i)}, {"channel", "web"}})
            ->status == 201);
  REQUIRE(post_response(*c, "shop", {{"score", 4}, {"idempotency_key", "answer-api-1"}, {"channel", "api"}})
              ->status == 201);

  SECTION("strict: a bad event, channel or field is refused, naming it, and nothing is counted") {
    auto r = impression(R"({"event":"clicked"})", page);
    CHECK(r->status == 400);
    CHECK(r->body.find("\"event\"") != std::string::npos);
    r = impression(R"({"event":"shown","channel":"email"})", page);
    CHECK(r->status == 400);
    CHECK(r->body.find("\"channel\"") != std::string::npos);
    r = impression(R"({"event":"shown","visitor":"v1"})", page);
    CHECK(r->status == 400);
    CHECK(r->body.find("\"visitor\"") != std::string::npos);
    CHECK(impression(R"({})", page)->status == 400);
    CHECK(impression("shown", page)->status == 400);
    CHECK(impression(R"({"event":"shown"})", {{"Origin", "https://evil.example"}})->status == 403);
    CHECK(c->Post("/v1/surveys/nope/impressions", page, R"({"event":"shown"})", "text/plain")->status == 404);
  }

  const auto f = body_of(c->Get("/v1/admin/surveys/shop/funnel", s.admin()));
  std::map<std::string, json> rows;
  for (const auto& r : f["channels"])
    rows[r["channel"].get<std::string>()] = r;
  REQUIRE(rows.count("web"));
  CHECK(rows["web"]["shown"] == 10);
  CHECK(rows["web"]["dismissed"] == 6);
  CHECK(rows["web"]["answered"] == 3);
  CHECK(rows["web"]["base"] == "shown");
  CHECK(rows["web"]["response_rate"]["value"] == 0.3);
  CHECK(rows["web"]["response_rate"]["low"].get<double>() < 0.3);
  CHECK(rows["web"]["response_rate"]["high"].get<double>() > 0.3);
  CHECK(rows["web"]["dismiss_rate"]["value"] == 0.6);
  CHECK(rows["app"]["shown"] == 1);
  CHECK(rows["app"]["response_rate"]["value"] == 0.0);
  // Answers through the API count no impressions: no rate, and the note says why.
  CHECK(rows["api"]["answered"] == 1);
  CHECK(rows["api"]["response_rate"].is_null());
  CHECK(rows["api"]["note"] == "not_counted");
  CHECK(f["total"]["answered"] == 3); // web and app: the channels with a rate
  CHECK(f["answered_all"] == 4);

  // A range before any of it: nothing.
  const auto before =
      body_of(c->Get("/v1/admin/surveys/shop/funnel?from=2001-01-01&to=2001-01-31", s.admin()));
  CHECK(before["channels"].empty());
  CHECK(c->Get("/v1/admin/surveys/shop/funnel?from=2001-02-30", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/nope/funnel", s.admin())->status == 404);
}
