// Personal data and the viewer role (issue 13, defect 6): a viewer sees counts and
// statistics on every endpoint it may call, never a comment, a respondent id, a personal
// attribute's value or a page's query string; stored pages lose their query string unless
// the survey keeps it.
#include "http_support.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <string>
#include <thread>
#include <vector>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

// What no viewer may ever read, planted in every answer.
const std::vector<std::string> kSecrets = {"SECRET-COMMENT", "resp-SECRET", "ann@mail.example",
                                           "ann%40mail",     "C-77-SECRET", "Ann Example"};

std::string token_for(Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), nps::dump(json{{"role", role}, {"name", role}}),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

json answer(int i) {
  return {{"score", i % 11},
          {"idempotency_key", "priv-" + std::to_string(10000 + i)},
          {"channel", i % 2 ? "web" : "email"},
          {"comment", "SECRET-COMMENT " + std::to_string(i)},
          {"respondent_id", "resp-SECRET-" + std::to_string(i)},
          {"page", "https://shop.example/checkout?email=ann%40mail.example#step2"},
          {"attributes",
           {{"email", "ann@mail.example"},
            {"name", "Ann Example"},
            {"customer_no", "C-77-SECRET"},
            {"plan", "pro"}}}};
}

void seed(Running& s) {
  REQUIRE(create_survey(s, {{"id", "shop"},
                            {"name", "Shop"},
                            {"privacy", {{"personal_attributes", json::array({"customer_no"})}}}}) == 201);
  auto c = s.client();
  for (int i = 0; i < 12; ++i)
    REQUIRE(post_response(*c, "shop", answer(i))->status == 201);
}

void check_clean(const std::string& what, const std::string& body) {
  INFO(what << ": " << body.substr(0, 400));
  for (const auto& secret : kSecrets)
    CHECK(body.find(secret) == std::string::npos);
}

} // namespace

TEST_CASE("privacy: a viewer never sees a comment, a respondent id or personal data on any endpoint",
          "[server][http][privacy]") {
  Running s;
  seed(s);
  const auto viewer = token_for(s, "viewer");
  const httplib::Headers as_viewer = {{"Authorization", "Bearer " + viewer}};
  auto c = s.client();

  // Every GET a viewer may call (the role matrix test proves the others are refused).
  const std::vector<std::string> paths = {
      "/v1/admin/surveys",
      "/v1/admin/surveys/shop",
      "/v1/admin/surveys/shop/summary",
      "/v1/admin/surveys/shop/trend?interval=day",
      "/v1/admin/surveys/shop/breakdown?by=channel",
      "/v1/admin/surveys/shop/breakdown?by=locale",
      "/v1/admin/surveys/shop/breakdown?by=device",
      "/v1/admin/surveys/shop/breakdown?by=page",
      "/v1/admin/surveys/shop/breakdown?by=attribute:plan",
  };
  for (const auto& path : paths) {
    auto r = c->Get(path.c_str(), as_viewer);
    REQUIRE(r);
    INFO(path);
    CHECK(r->status == 200);
    check_clean(path, r->body);
  }

  // Grouping by a personal attribute would list the people: refused for a viewer, by name.
  for (const std::string key : {"email", "name", "customer_no", "Customer-No", "phone"}) {
    auto r = c->Get(("/v1/admin/surveys/shop/breakdown?by=attribute:" + key).c_str(), as_viewer);
    REQUIRE(r);
    INFO(key);
    CHECK(r->status == 403);
    CHECK(body_of(r)["error"]["path"] == "by");
    check_clean(key, r->body);
  }
  // An analyst may read personal data, and may group by it.
  auto analyst = c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:email", s.admin());
  REQUIRE(analyst);
  CHECK(analyst->status == 200);
  CHECK(analyst->body.find("ann@mail.example") != std::string::npos);

  // The live stream: a viewer's events carry score, category and segments only.
  auto feed = std::async(std::launch::async, [&s, viewer] {
    auto lc = s.client();
    std::string got;
    lc->Get("/v1/admin/surveys/shop/live", {{"Authorization", "Bearer " + viewer}},
            [&](const char* d, std::size_t n) {
              got.append(d, n);
              return got.find("event: response") == std::string::npos;
            });
    return got;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  REQUIRE(post_response(*c, "shop", answer(99))->status == 201);
  REQUIRE(feed.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  const auto events = feed.get();
  CHECK(events.find("event: response") != std::string::npos);
  check_clean("live", events);
}

TEST_CASE("privacy: a stored page loses its query string and fragment unless the survey keeps them",
          "[server][http][privacy]") {
  Running s;
  seed(s);
  REQUIRE(create_survey(s, {{"id", "keeps"}, {"name", "Keeps"}, {"privacy", {{"keep_page_query", true}}}}) ==
          201);
  auto c = s.client();
  REQUIRE(post_response(*c, "keeps", answer(1))->status == 201);

  auto stripped = body_of(c->Get("/v1/admin/surveys/shop/responses?limit=1", s.admin()));
  REQUIRE(stripped["items"].size() == 1);
  CHECK(stripped["items"][0]["page"] == "https://shop.example/checkout");
  auto kept = body_of(c->Get("/v1/admin/surveys/keeps/responses?limit=1", s.admin()));
  REQUIRE(kept["items"].size() == 1);
  CHECK(kept["items"][0]["page"] == "https://shop.example/checkout?email=ann%40mail.example#step2");

  // Where the survey keeps queries, a viewer's breakdown by page still shows none.
  const auto viewer = token_for(s, "viewer");
  auto r = c->Get("/v1/admin/surveys/keeps/breakdown?by=page", {{"Authorization", "Bearer " + viewer}});
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body.find("https://shop.example/checkout") != std::string::npos);
  check_clean("breakdown by page", r->body);
}
