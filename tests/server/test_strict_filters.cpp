// The segment filters every admin route that takes them reads one way (params.hpp): a channel,
// device or language tag the API does not know is a 400 naming it, never an empty answer.
#include "http_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

// Every admin route with channel=, device= and locale=, and a query it needs besides.
const std::vector<std::string> kFiltered = {
    "/v1/admin/surveys/shop/summary?",
    "/v1/admin/surveys/shop/summary?compare=previous&from=2025-06-01&",
    "/v1/admin/surveys/shop/trend?interval=day&",
    "/v1/admin/surveys/shop/breakdown?by=channel&",
    "/v1/admin/surveys/shop/breakdown?by=locale&",
    "/v1/admin/surveys/shop/breakdown?by=page&",
    "/v1/admin/surveys/shop/breakdown?by=attribute:plan&",
    "/v1/admin/surveys/shop/responses?",
    "/v1/admin/surveys/shop/export?format=csv&",
    "/v1/admin/surveys/shop/export?format=json&",
    "/v1/admin/surveys/shop/themes?",
};

void seed(Running& s) {
  auto c = s.client();
  int key = 0;
  auto post = [&](int score, const std::string& channel, const std::string& device,
                  const std::string& locale) {
    json body = {{"score", score},
                 {"idempotency_key", "sf-" + std::to_string(10000 + key++)},
                 {"channel", channel},
                 {"device", device},
                 {"locale", locale},
                 {"page", "https://shop.example/cart"},
                 {"comment", "slow delivery again"},
                 {"attributes", {{"plan", "team"}}}};
    REQUIRE(post_response(*c, "shop", body)->status == 201);
  };
  for (int i = 0; i < 3; ++i) {
    post(2, "app", "mobile", "es-MX");
    post(9, "web", "desktop", "en");
  }
  post(10, "app", "tablet", "en");
}

} // namespace

TEST_CASE("strict filters: a bad channel, device or locale is a 400 naming it on every admin route",
          "[server][http][filters]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  seed(s);
  auto c = s.client();
  struct Bad {
    std::string query, field, code;
  };
  const std::vector<Bad> bad = {
      {"channel=APP", "channel", "invalid_value"},
      {"channel=telepathy", "channel", "invalid_value"},
      {"channel=", "channel", "invalid_value"},
      {"channel=web%20", "channel", "invalid_value"},
      {"device=fridge", "device", "invalid_value"},
      {"device=Mobile", "device", "invalid_value"},
      {"device=", "device", "invalid_value"},
      {"locale=en%20US", "locale", "invalid_format"},
      {"locale=", "locale", "invalid_format"},
      {"locale=en;drop", "locale", "invalid_format"},
      {"channel=app&device=phone", "device", "invalid_value"},
  };
  for (const auto& route : kFiltered)
    for (const auto& b : bad) {
      const std::string target = route + b.query;
      INFO(target);
      auto r = c->Get(target.c_str(), s.admin());
      REQUIRE(r);
      INFO(r->body);
      CHECK(r->status == 400);
      const json j = body_of(r);
      CHECK(j["error"]["code"] == b.code);
      CHECK(j["error"]["path"] == b.field);
      CHECK(j["errors"].size() == 1);
    }
  // Both refused at once: both named.
  auto both = c->Get("/v1/admin/surveys/shop/responses?channel=APP&device=fridge", s.admin());
  REQUIRE(both);
  CHECK(both->status == 400);
  CHECK(body_of(both)["errors"].size() == 2);
  CHECK(body_of(both)["errors"][1]["path"] == "device");
}

TEST_CASE("strict filters: a good channel, device or locale keeps the answers given there",
          "[server][http][filters]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  seed(s);
  auto c = s.client();
  for (const auto& route : kFiltered)
    for (const std::string query :
         {"channel=app", "device=mobile", "locale=es-MX", "channel=sms&device=tablet", ""}) {
      const std::string target = route + query;
      INFO(target);
      auto r = c->Get(target.c_str(), s.admin());
      REQUIRE(r);
      INFO(r->body);
      CHECK(r->status == 200);
    }
  const auto get = [&](const std::string& target) {
    auto r = c->Get(target.c_str(), s.admin());
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    return body_of(r);
  };
  CHECK(get("/v1/admin/surveys/shop/summary")["n"] == 7);
  CHECK(get("/v1/admin/surveys/shop/summary?channel=app")["n"] == 4);
  CHECK(get("/v1/admin/surveys/shop/summary?device=mobile")["n"] == 3);
  CHECK(get("/v1/admin/surveys/shop/summary?channel=app&device=tablet")["n"] == 1);
  CHECK(get("/v1/admin/surveys/shop/summary?locale=es-MX")["n"] == 3);
  CHECK(get("/v1/admin/surveys/shop/breakdown?by=page&channel=web")["total"]["n"] == 3);
  CHECK(get("/v1/admin/surveys/shop/responses?device=tablet")["items"].size() == 1);
  CHECK(get("/v1/admin/surveys/shop/export?format=json&channel=app&device=mobile").size() == 3);
}
