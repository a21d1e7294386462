// GET /v1/admin/surveys/{id}/themes over real HTTP: themes from the stored term counts, their
// impact and trend, the comments behind a theme for analysts only.
#include "http_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

std::string token_for(Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), nps::dump(json{{"role", role}, {"name", role}}),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

// Four weeks of answers: detractors write about slow delivery (more each week), promoters
// about the price; some Spanish answers.
void seed(Running& s) {
  auto c = s.client();
  int key = 0;
  for (int week = 0; week < 4; ++week) {
    s.now->store(kNow + week * 7 * 86'400'000LL);
    for (int i = 0; i < 20; ++i) {
      const bool detractor = i < 8;
      const bool slow = detractor && i < 2 + 2 * week;
      json body = {{"score", detractor ? (i % 2 ? 2 : 5) : (i < 12 ? 8 : 10)},
                   {"idempotency_key", "seed-" + std::to_string(10000 + key++)},
                   {"locale", "en"},
                   {"comment", slow        ? "The deliveries were slow"
                               : detractor ? "bad app"
                                           : "great price, nice app"}};
      REQUIRE(post_response(*c, "shop", body)->status == 201);
    }
    for (int i = 0; i < 3; ++i) {
      json body = {{"score", 3},
                   {"idempotency_key", "seed-" + std::to_string(10000 + key++)},
                   {"locale", "es-MX"},
                   {"comment", "La entrega no es rápida"}};
      REQUIRE(post_response(*c, "shop", body)->status == 201);
    }
  }
}

const json* find_term(const json& list, const std::string& term) {
  for (const auto& t : list)
    if (t["term"] == term) return &t;
  return nullptr;
}

} // namespace

TEST_CASE("themes route: detractors' themes with impact and trend, without comment text for a viewer",
          "[server][http][themes]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  seed(s);
  const auto viewer = bearer(token_for(s, "viewer"));
  auto r = s.client()->Get("/v1/admin/surveys/shop/themes?from=2025-06-01&to=2025-07-31", viewer);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const json j = body_of(r);
  CHECK(j["comments"] == 92);
  CHECK(j["languages"][0] == json{{"lang", "en"}, {"comments", 80}});
  // Every slow detractor wrote "The deliveries were slow": the words "deliveri" and "slow" are
  // all inside the phrase, so the phrase is the one row (the core's phrase rule), with them
  // folded under it.
  const json* slow = find_term(j["detractors"], "deliveri slow");
  REQUIRE(slow);
  CHECK((*slow)["significant"] == true);
  CHECK((*slow)["form"] == "deliveries slow");
  CHECK((*slow)["words"] == 2);
  const auto n = (*slow)["comments"];
  CHECK(n == 20);
  CHECK((*slow)["folded"] == json::array({{{"term", "deliveri"}, {"form", "deliveries"}, {"comments", n}},
                                          {{"term", "slow"}, {"form", "slow"}, {"comments", n}}}));
  CHECK(find_term(j["detractors"], "slow") == nullptr);
  CHECK(find_term(j["detractors"], "deliveri") == nullptr);
  CHECK((*slow)["impact"]["difference"].get<double>() < 0);
  CHECK((*slow)["impact"]["ci95"][1].get<double>() < 0);
  CHECK((*slow)["trend"]["rising"] == true);
  CHECK((*slow)["trend"]["shares"].size() == 4);
  CHECK(find_term(j["detractors"], "price") == nullptr);
  CHECK(find_term(j["detractors"], "great price") == nullptr);
  CHECK(find_term(j["promoters"], "great price") != nullptr); // "price" is folded into it
  CHECK(find_term(j["detractors"], "entreg no_rap") != nullptr);
  CHECK_FALSE(j.contains("behind"));
  CHECK(r->body.find("The deliveries were slow") == std::string::npos);

  auto denied = s.client()->Get("/v1/admin/surveys/shop/themes?term=slow", viewer);
  REQUIRE(denied);
  CHECK(denied->status == 403);
  CHECK(denied->body.find("deliveries") == std::string::npos);
}

TEST_CASE("themes route: an analyst sees the comments behind a theme, one language at a time",
          "[server][http][themes]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  seed(s);
  const auto analyst = bearer(token_for(s, "analyst"));
  auto r = s.client()->Get("/v1/admin/surveys/shop/themes?from=2025-06-01&term=slow", analyst);
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const json j = body_of(r);
  REQUIRE(j["behind"].size() == 20);
  CHECK(j["behind"][0]["comment"] == "The deliveries were slow");
  CHECK(j["behind"][0]["score"].get<int>() <= 6);
  // "slow" is in no lexicon: English comments get a neutral tone; Spanish ones none at all.
  CHECK(j["behind"][0]["sentiment"]["tone"] == "neutral");

  auto es = body_of(s.client()->Get("/v1/admin/surveys/shop/themes?from=2025-06-01&locale=es", analyst));
  CHECK(es["lang"] == "es");
  CHECK(es["comments"] == 12);
  CHECK(find_term(es["detractors"], "slow") == nullptr);

  auto bad = s.client()->Get("/v1/admin/surveys/shop/themes?from=June&locale=e%20s", analyst);
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body.find("from") != std::string::npos);
  CHECK(bad->body.find("locale") != std::string::npos);
  auto missing = s.client()->Get("/v1/admin/surveys/nope/themes", analyst);
  REQUIRE(missing);
  CHECK(missing->status == 404);
}

TEST_CASE("sentiment: an English comment's words against its score, none for a language without a "
          "measured lexicon",
          "[server][http][themes]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  const std::vector<json> answers = {
      {{"score", 10},
       {"idempotency_key", "sent-0001"},
       {"locale", "en-GB"},
       {"comment", "Terrible support, awful app"}},
      {{"score", 2}, {"idempotency_key", "sent-0002"}, {"locale", "en"}, {"comment", "Not good, not bad"}},
      {{"score", 1}, {"idempotency_key", "sent-0003"}, {"locale", "en"}, {"comment", "I love it, great app"}},
      {{"score", 10}, {"idempotency_key", "sent-0004"}, {"locale", "es"}, {"comment", "Terrible"}},
  };
  for (const auto& a : answers)
    REQUIRE(post_response(*c, "shop", a)->status == 201);
  const auto list = body_of(c->Get("/v1/admin/surveys/shop/responses", s.admin()))["items"];
  REQUIRE(list.size() == 4);
  CHECK_FALSE(list[0].contains("sentiment")); // es: no lexicon measured, so no guess
  CHECK(list[1]["sentiment"]["tone"] == "positive");
  CHECK(list[1]["sentiment"]["disagrees"] == true); // a 1 saying "love" and "great"
  CHECK(list[1]["sentiment"]["positive"] == json{"love", "great"});
  CHECK(list[2]["sentiment"]["score"] == 0); // "not good" −3 + "not bad" +3
  CHECK(list[2]["sentiment"]["negative"] == json{"good"});
  // AFINN scores "support" +2, so "terrible support" alone sums to −1 and is not flagged;
  // with "awful" it is.
  CHECK(list[3]["sentiment"]["score"] == -4);
  CHECK(list[3]["sentiment"]["disagrees"] == true);
}

TEST_CASE("themes route: channel= and device= keep the answers given there, strictly checked",
          "[server][http][themes]") {
  Running s(on_test_engine); // on PostgreSQL too, under tests/pg/with_postgres.sh
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  int key = 0;
  auto post = [&](int score, const std::string& comment, const std::string& channel,
                  const std::string& device) {
    json body = {{"score", score},   {"idempotency_key", "seg-" + std::to_string(10000 + key++)},
                 {"locale", "en"},   {"channel", channel},
                 {"device", device}, {"comment", comment}};
    REQUIRE(post_response(*c, "shop", body)->status == 201);
  };
  for (int i = 0; i < 6; ++i) {
    post(2, "the app crashes", "app", "mobile");
    post(3, "slow delivery", "web", "desktop");
    post(10, "great price", i % 2 ? "app" : "web", i % 2 ? "mobile" : "desktop");
  }
  const auto themes = [&](const std::string& query) {
    auto r = c->Get(("/v1/admin/surveys/shop/themes?from=2025-06-01" + query).c_str(), s.admin());
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == 200);
    return body_of(r);
  };
  const json all = themes("");
  CHECK(all["comments"] == 18);
  CHECK(all["channel"] == nullptr);
  // "crash" and "slow" are listed inside their phrases ("app crash", "slow deliveri"): the
  // core's phrase rule folds a word that is always in one phrase under it.
  CHECK(find_term(all["detractors"], "app crash") != nullptr);
  CHECK(find_term(all["detractors"], "slow deliveri") != nullptr);
  CHECK(find_term(all["detractors"], "crash") == nullptr);

  const json app = themes("&channel=app");
  CHECK(app["channel"] == "app");
  CHECK(app["comments"] == 9);
  REQUIRE(find_term(app["detractors"], "app crash") != nullptr);
  CHECK((*find_term(app["detractors"], "app crash"))["comments"] == 6);
  CHECK(find_term(app["detractors"], "slow deliveri") == nullptr);
  const json web = themes("&channel=web");
  CHECK(find_term(web["detractors"], "app crash") == nullptr);
  CHECK(find_term(web["detractors"], "slow deliveri") != nullptr);

  const json mobile = themes("&device=mobile");
  CHECK(mobile["device"] == "mobile");
  CHECK(find_term(mobile["detractors"], "app crash") != nullptr);
  CHECK(find_term(mobile["detractors"], "slow deliveri") == nullptr);
  CHECK(find_term(themes("&device=desktop")["detractors"], "app crash") == nullptr);
  CHECK(themes("&channel=app&device=desktop")["comments"] == 0);
  CHECK(themes("&channel=sms")["detractors"].empty());
  // The comments behind a theme, filtered the same way.
  CHECK(themes("&channel=app&term=crash")["behind"].size() == 6);
  CHECK(themes("&channel=web&term=crash")["behind"].empty());

  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"channel=telepathy", "channel"},
                                                        {"channel=", "channel"},
                                                        {"channel=APP", "channel"},
                                                        {"device=fridge", "device"},
                                                        {"device=Mobile", "device"}}) {
    auto bad = c->Get(("/v1/admin/surveys/shop/themes?" + query).c_str(), s.admin());
    REQUIRE(bad);
    CHECK(bad->status == 400);
    INFO(bad->body);
    CHECK(body_of(bad)["error"]["path"] == field);
    CHECK(body_of(bad)["error"]["code"] == "invalid_value");
  }
}
