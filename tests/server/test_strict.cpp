// Outside input read strictly (issue #13, defects 3 and 11): ids in paths and numbers in
// query parameters are read whole and range-checked, the 400 naming the parameter; a key
// given twice in a body and control characters in an answer's texts are refused with the
// field named, and nothing is stored or deleted on the way.
#include "http_support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

// The first error of a 4xx answer as "code path".
std::string first_error(const httplib::Result& r) {
  const auto j = body_of(r);
  if (!j.is_object() || !j.contains("error")) return "no error";
  return j["error"]["code"].get<std::string>() + " " + j["error"]["path"].get<std::string>();
}

std::size_t token_count(const Running& s) {
  return body_of(s.client()->Get("/v1/admin/tokens", s.admin()))["items"].size();
}

} // namespace

TEST_CASE("strict: an id in a path is a whole number or a 400 naming it, and nothing is deleted",
          "[server][http][strict]") {
  Running s;
  auto c = s.client();
  // Token 1 is the configured admin token; token 2 a viewer's.
  REQUIRE(c->Post("/v1/admin/tokens", s.admin(), R"({"role":"viewer"})", "application/json")->status == 201);
  REQUIRE(c->Post("/v1/admin/users", s.admin(),
                  R"({"email":"ann@example.com","role":"viewer","password":"long enough pw"})",
                  "application/json")
              ->status == 201);
  REQUIRE(token_count(s) == 2);

  for (const std::string id : {"2abc", "1e3", "1.9", "+2", "0x2", "2%20", "%202", "２"}) {
    INFO("token id " << id);
    auto r = c->Delete(("/v1/admin/tokens/" + id).c_str(), s.admin());
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(first_error(r) == "invalid_format token_id");
  }
  for (const std::string id : {"0", "-1", "99999999999999999999"}) {
    INFO("token id " << id);
    auto r = c->Delete(("/v1/admin/tokens/" + id).c_str(), s.admin());
    CHECK(r->status == 400);
    CHECK(first_error(r) == "out_of_range token_id");
  }
  CHECK(token_count(s) == 2); // the admin token was not deleted by /tokens/1e3
  CHECK(c->Get("/v1/admin/tokens", s.admin())->status == 200);

  auto user = c->Delete("/v1/admin/users/1.9", s.admin());
  CHECK(user->status == 400);
  CHECK(first_error(user) == "invalid_format user_id");
  CHECK(body_of(c->Get("/v1/admin/users", s.admin()))["items"].size() == 1);

  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  REQUIRE(post_response(*c, "shop", {{"score", 2}, {"idempotency_key", "strict-0001"}, {"comment", "slow"}})
              ->status == 201);
  CHECK(c->Get("/v1/admin/surveys/shop/follow-ups/1", s.admin())->status == 200);
  auto item = c->Get("/v1/admin/surveys/shop/follow-ups/1x", s.admin());
  CHECK(item->status == 400);
  CHECK(first_error(item) == "invalid_format response_id");
  auto note = c->Post("/v1/admin/surveys/shop/follow-ups/1.0/notes", s.admin(), R"({"text":"called"})",
                      "application/json");
  CHECK(note->status == 400);
  CHECK(first_error(note) == "invalid_format response_id");
  CHECK(body_of(c->Get("/v1/admin/surveys/shop/follow-ups/1", s.admin()))["notes"].empty());
}

TEST_CASE("strict: limit, cursor and score are read whole and range-checked, the 400 names the parameter",
          "[server][http][strict]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  for (int i = 0; i < 3; ++i)
    REQUIRE(post_response(*c, "shop", {{"score", i}, {"idempotency_key", "strict-000" + std::to_string(i)}})
                ->status == 201);
  auto get = [&](const std::string& path) { return c->Get(path.c_str(), s.admin()); };

  const std::vector<std::pair<std::string, std::string>> refused = {
      {"limit=-1", "out_of_range limit"},     {"limit=0", "out_of_range limit"},
      {"limit=501", "out_of_range limit"},    {"limit=1e9", "invalid_format limit"},
      {"limit=abc", "invalid_format limit"},  {"limit=2.0", "invalid_format limit"},
      {"limit=", "invalid_format limit"},     {"cursor=12abc", "invalid_format cursor"},
      {"cursor=-3", "out_of_range cursor"},   {"score=5.0", "invalid_format score"},
      {"score=%205", "invalid_format score"}, {"score=11", "out_of_range score"},
      {"score=-1", "out_of_range score"},     {"from=2025-02-30", "invalid_format from"},
  };
  for (const auto& [query, error] : refused) {
    INFO(query);
    auto list = get("/v1/admin/surveys/shop/responses?" + query);
    REQUIRE(list);
    CHECK(list->status == 400);
    CHECK(first_error(list) == error);
  }
  for (const auto& [query, error] : refused) {
    if (query.rfind("limit", 0) != 0 && query.rfind("cursor", 0) != 0) continue;
    INFO("follow-ups " << query);
    auto list = get("/v1/admin/surveys/shop/follow-ups?" + query);
    CHECK(list->status == 400);
    CHECK(first_error(list) == error);
  }
  auto open = get("/v1/admin/surveys/shop/follow-ups?open=yes");
  CHECK(open->status == 400);
  CHECK(first_error(open) == "invalid_value open");
  auto exported = get("/v1/admin/surveys/shop/export?score=1e1");
  CHECK(exported->status == 400);
  CHECK(first_error(exported) == "invalid_format score");

  // What is well written still works.
  auto page = body_of(get("/v1/admin/surveys/shop/responses?limit=2"));
  REQUIRE(page["items"].size() == 2);
  auto rest = body_of(
      get("/v1/admin/surveys/shop/responses?limit=2&cursor=" + page["next_cursor"].get<std::string>()));
  CHECK(rest["items"].size() == 1);
  CHECK(body_of(get("/v1/admin/surveys/shop/responses?score=1"))["items"].size() == 1);
  CHECK(get("/v1/admin/surveys/shop/follow-ups?open=true&limit=500")->status == 200);
}

TEST_CASE("strict: a key given twice in a body is refused with its path and nothing is stored",
          "[server][http][strict]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  auto post = [&](const std::string& body) {
    return c->Post("/v1/surveys/shop/responses", body, "application/json");
  };
  auto twice = post(R"({"score":11,"score":5,"idempotency_key":"dup-00001"})");
  REQUIRE(twice);
  CHECK(twice->status == 400);
  CHECK(first_error(twice) == "duplicate_key score");
  auto nested = post(R"({"score":5,"idempotency_key":"dup-00002","answers":{"q1":"a","q1":"b"}})");
  CHECK(nested->status == 400);
  CHECK(first_error(nested) == "duplicate_key answers.q1");
  auto in_array = post(R"({"score":5,"idempotency_key":"dup-00003","answers":{"q1":["a"]},)"
                       R"("attributes":{"plan":"pro"},"x":[{"a":1},{"b":1,"b":2}]})");
  CHECK(in_array->status == 400);
  CHECK(first_error(in_array) == "duplicate_key x[1].b");
  CHECK(s.server->storage().count_responses("shop") == 0);

  // The same key in two different objects is fine.
  CHECK(post(R"({"score":5,"idempotency_key":"dup-00004","answers":{"score":3},"attributes":{"score":"x"}})")
            ->status == 201);

  // Admin bodies too: a survey definition whose name is given twice is not saved.
  auto survey =
      c->Post("/v1/admin/surveys", s.admin(), R"({"id":"other","name":"A","name":"B"})", "application/json");
  CHECK(survey->status == 400);
  CHECK(first_error(survey) == "duplicate_key name");
  CHECK(c->Get("/v1/admin/surveys/other", s.admin())->status == 404);
}

TEST_CASE("strict: control characters in an answer's texts are refused with the field named",
          "[server][http][strict]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  const std::vector<std::pair<json, std::string>> refused = {
      {{{"comment", std::string("before\0after", 12)}}, "comment"},
      {{{"comment", "ring \a the bell"}}, "comment"},
      {{{"respondent_id", "user\x1b[31m"}}, "respondent_id"},
      {{{"page", "/checkout\x7f"}}, "page"},
      {{{"answers", {{"q1", "x\x01y"}}}}, "answers.q1"},
      {{{"answers", {{"q2", {"ok", "b\x08"}}}}}, "answers.q2[1]"},
      {{{"attributes", {{"plan", "pro\x1f"}}}}, "attributes.plan"},
  };
  int n = 0;
  for (const auto& [fields, path] : refused) {
    json body = {{"score", 3}, {"idempotency_key", "ctl-0000" + std::to_string(n++)}};
    body.update(fields);
    INFO(nps::dump(body));
    auto r = post_response(*c, "shop", body);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(first_error(r) == "invalid_value " + path);
  }
  CHECK(s.server->storage().count_responses("shop") == 0);

  // Tab and line feed are text; they are stored as sent.
  auto ok = post_response(*c, "shop",
                          {{"score", 3},
                           {"idempotency_key", "ctl-00100"},
                           {"comment", "line one\nline\ttwo"},
                           {"respondent_id", "cust-7"}});
  REQUIRE(ok->status == 201);
  auto stored = body_of(c->Get("/v1/admin/surveys/shop/responses", s.admin()))["items"][0];
  CHECK(stored["comment"] == "line one\nline\ttwo");

  // A follow-up PATCH is held to the same rule and changes nothing.
  auto patch =
      c->Patch("/v1/surveys/shop/responses/ctl-00100", R"({"comment":"bell \u0007"})", "application/json");
  CHECK(patch->status == 400);
  CHECK(first_error(patch) == "invalid_value comment");
  stored = body_of(c->Get("/v1/admin/surveys/shop/responses", s.admin()))["items"][0];
  CHECK(stored["comment"] == "line one\nline\ttwo");
}
