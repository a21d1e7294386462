// Users, sign-in sessions with CSRF, follow-up items, promoters and the live event stream,
// over real HTTP.
#include "http_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <thread>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

void add_user(Running& s, const std::string& email, const std::string& role, const std::string& password) {
  auto r = s.client()->Post("/v1/admin/users", s.admin(),
                            nps::dump(json{{"email", email}, {"role", role}, {"password", password}}),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
}

struct Session {
  std::string cookie; // "npsd_session=…"
  std::string csrf;
  httplib::Headers get() const { return {{"Cookie", cookie}}; }
  httplib::Headers change() const { return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}; }
};

Session sign_in(Running& s, const json& body) {
  auto r = s.client()->Post("/v1/auth/login", nps::dump(body), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const auto set = r->get_header_value("Set-Cookie");
  CHECK(set.find("HttpOnly") != std::string::npos);
  CHECK(set.find("SameSite=Strict") != std::string::npos);
  CHECK(set.find("Path=/") != std::string::npos);
  return {set.substr(0, set.find(';')), body_of(r)["csrf_token"]};
}

void seed(Running& s) {
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  const std::vector<json> answers = {
      {{"score", 2}, {"idempotency_key", "key-0001"}, {"comment", "Slow checkout"}},
      {{"score", 5}, {"idempotency_key", "key-0002"}, {"respondent_id", "cust-2"}},
      {{"score", 4}, {"idempotency_key", "key-0003"}},                      // no comment, no contact: no item
      {{"score", 8}, {"idempotency_key", "key-0004"}, {"comment", "fine"}}, // passive: no item
      {{"score", 10}, {"idempotency_key", "key-0005"}, {"respondent_id", "fan-5"}, {"comment", "=love it"}},
      {{"score", 9}, {"idempotency_key", "key-0006"}}, // promoter without contact
  };
  for (const auto& a : answers)
    REQUIRE(post_response(*c, "shop", a)->status == 201);
}

} // namespace

TEST_CASE("auth: a user signs in, the session works with CSRF, sign-out ends it", "[server][http][auth]") {
  Running s;
  seed(s);
  add_user(s, "ana@example.com", "analyst", "correct horse battery");
  auto c = s.client();

  auto wrong = c->Post("/v1/auth/login", R"({"email":"ana@example.com","password":"wrong password"})",
                       "application/json");
  CHECK(wrong->status == 401);
  CHECK(wrong->get_header_value("Set-Cookie").empty());
  auto nobody = c->Post("/v1/auth/login", R"({"email":"nobody@example.com","password":"whatever12"})",
                        "application/json");
  CHECK(nobody->status == 401);

  auto ana = sign_in(s, {{"email", "ANA@example.com"}, {"password", "correct horse battery"}});
  auto me = c->Get("/v1/auth/me", ana.get());
  REQUIRE(me->status == 200);
  CHECK(body_of(me)["role"] == "analyst");
  CHECK(body_of(me)["email"] == "ana@example.com");
  CHECK(body_of(me)["csrf_token"] == ana.csrf);

  // The role checks accept the session: analyst yes, admin no.
  CHECK(c->Get("/v1/admin/surveys/shop/responses", ana.get())->status == 200);
  CHECK(c->Get("/v1/admin/tokens", ana.get())->status == 403);

  // A change with the cookie but without the CSRF header is refused; with it, done.
  auto forged = c->Patch("/v1/admin/surveys/shop/follow-ups/1", {{"Cookie", ana.cookie}},
                         R"({"status":"contacted"})", "application/json");
  CHECK(forged->status == 403);
  CHECK(body_of(forged)["error"]["path"] == "X-CSRF-Token");
  auto ok = c->Patch("/v1/admin/surveys/shop/follow-ups/1", ana.change(),
                     R"({"status":"contacted","assignee_id":"me"})", "application/json");
  REQUIRE(ok->status == 200);
  CHECK(body_of(ok)["assignee"]["email"] == "ana@example.com");

  CHECK(c->Post("/v1/auth/logout", ana.change(), "", "application/json")->status == 200);
  CHECK(c->Get("/v1/auth/me", ana.get())->status == 401);
}

TEST_CASE("auth: an API token opens a session too, revoking the token ends it", "[server][http][auth]") {
  Running s;
  auto c = s.client();
  auto made = body_of(c->Post("/v1/admin/tokens", s.admin(), R"({"role":"viewer","name":"wall screen"})",
                              "application/json"));
  auto viewer = sign_in(s, {{"token", made["token"]}});
  auto me = body_of(c->Get("/v1/auth/me", viewer.get()));
  CHECK(me["role"] == "viewer");
  CHECK(me["email"] == "wall screen");
  CHECK(c->Post("/v1/auth/login", R"({"token":"npsd_nope"})", "application/json")->status == 401);
  REQUIRE(
      c->Delete(("/v1/admin/tokens/" + std::to_string(made["id"].get<int>())).c_str(), s.admin())->status ==
      200);
  CHECK(c->Get("/v1/auth/me", viewer.get())->status == 401);
}

TEST_CASE("auth: sign-in attempts are limited per e-mail", "[server][http][auth]") {
  Running s;
  add_user(s, "eve@example.com", "viewer", "a long password");
  auto c = s.client();
  for (int i = 0; i < 5; ++i)
    CHECK(c->Post("/v1/auth/login", R"({"email":"eve@example.com","password":"guess guess"})",
                  "application/json")
              ->status == 401);
  auto limited = c->Post("/v1/auth/login", R"({"email":"Eve@example.com","password":"a long password"})",
                         "application/json");
  CHECK(limited->status == 429);
  CHECK(body_of(limited)["error"]["code"] == "rate_limited");
  // Another e-mail is not blocked; a minute later the first one may try again.
  CHECK(
      c->Post("/v1/auth/login", R"({"email":"bob@example.com","password":"guess guess"})", "application/json")
          ->status == 401);
  s.now->store(kNow + 61'000);
  CHECK(c->Post("/v1/auth/login", R"({"email":"eve@example.com","password":"a long password"})",
                "application/json")
            ->status == 200);
}

TEST_CASE("users: admin creates, lists and deletes, bad fields are named", "[server][http][auth]") {
  Running s;
  auto c = s.client();
  auto bad = c->Post("/v1/admin/users", s.admin(), R"({"email":"no-at","role":"boss","password":"short"})",
                     "application/json");
  CHECK(bad->status == 400);
  std::set<std::string> paths;
  const auto errors = body_of(bad)["errors"];
  for (const auto& e : errors)
    paths.insert(e["path"].get<std::string>());
  CHECK(paths == std::set<std::string>{"email", "role", "password"});
  add_user(s, "ed@example.com", "editor", "0123456789ab");
  CHECK(c->Post("/v1/admin/users", s.admin(),
                R"({"email":"ED@example.com","role":"viewer","password":"0123456789ab"})", "application/json")
            ->status == 409);
  auto list = body_of(c->Get("/v1/admin/users", s.admin()));
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["email"] == "ed@example.com");
  CHECK(list["items"][0].find("password_hash") == list["items"][0].end());
  CHECK(c->Get("/v1/admin/users", s.admin())->body.find("argon2") == std::string::npos);
  auto ed = sign_in(s, {{"email", "ed@example.com"}, {"password", "0123456789ab"}});
  REQUIRE(c->Delete("/v1/admin/users/1", s.admin())->status == 200);
  CHECK(c->Get("/v1/auth/me", ed.get())->status == 401);
}

TEST_CASE("follow-up: detractors with a comment or contact, status, notes, filters",
          "[server][http][followup]") {
  Running s;
  seed(s);
  add_user(s, "ana@example.com", "analyst", "correct horse battery");
  auto ana = sign_in(s, {{"email", "ana@example.com"}, {"password", "correct horse battery"}});
  auto c = s.client();
  auto list = body_of(c->Get("/v1/admin/surveys/shop/follow-ups", s.admin()));
  REQUIRE(list["items"].size() == 2); // k-1 (comment) and k-2 (contact); not k-3, not the passive
  CHECK(list["items"][0]["response"]["idempotency_key"] == "key-0002");
  CHECK(list["items"][0]["status"] == "new");
  CHECK(c->Get("/v1/admin/surveys/shop/follow-ups/3", s.admin())->status == 404);
  CHECK(c->Get("/v1/admin/surveys/shop/follow-ups/4", s.admin())->status == 404);

  auto bad = c->Patch("/v1/admin/surveys/shop/follow-ups/2", ana.change(), R"({"status":"done","extra":1})",
                      "application/json");
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["errors"].size() == 2);

  auto patched =
      c->Patch("/v1/admin/surveys/shop/follow-ups/2", ana.change(),
               R"({"status":"contacted","assignee_id":"me","note":"Called, will fix the invoice"})",
               "application/json");
  REQUIRE(patched->status == 200);
  auto noted = c->Post("/v1/admin/surveys/shop/follow-ups/2/notes", ana.change(),
                       R"({"text":"Invoice fixed"})", "application/json");
  REQUIRE(noted->status == 201);
  auto item = body_of(c->Get("/v1/admin/surveys/shop/follow-ups/2", ana.get()));
  CHECK(item["status"] == "contacted");
  REQUIRE(item["notes"].size() == 2);
  CHECK(item["notes"][0]["author"] == "ana@example.com");
  CHECK(item["notes"][1]["text"] == "Invoice fixed");

  auto mine = body_of(c->Get("/v1/admin/surveys/shop/follow-ups?assignee=me", ana.get()));
  REQUIRE(mine["items"].size() == 1);
  CHECK(mine["items"][0]["response"]["id"] == 2);
  CHECK(body_of(c->Get("/v1/admin/surveys/shop/follow-ups?status=new", ana.get()))["items"].size() == 1);
  REQUIRE(c->Patch("/v1/admin/surveys/shop/follow-ups/2", ana.change(), R"({"status":"resolved"})",
                   "application/json")
              ->status == 200);
  CHECK(body_of(c->Get("/v1/admin/surveys/shop/follow-ups?open=1", ana.get()))["items"].size() == 1);

  // One answer's page: the answer with its follow-up history; a passive's answer is an item of
  // the page too (its follow-up is listed when it has one), a promoter's has none.
  auto one = body_of(c->Get("/v1/admin/surveys/shop/responses/2", ana.get()));
  CHECK(one["response"]["respondent_id"] == "cust-2");
  CHECK(one["follow_up"]["status"] == "resolved");
  CHECK(one["follow_up"]["notes"].size() == 2);
  CHECK(one["respondent_answers"] == 1);
  auto fan = body_of(c->Get("/v1/admin/surveys/shop/responses/5", ana.get()));
  CHECK(fan["response"]["score"] == 10);
  CHECK(fan["follow_up"].is_null());
  CHECK(c->Get("/v1/admin/surveys/shop/responses/99", ana.get())->status == 404);
  CHECK(c->Get("/v1/admin/surveys/shop/responses/x2", ana.get())->status == 400);

  // Deleting the respondent (privacy) removes the item and its notes.
  REQUIRE(c->Delete("/v1/admin/respondents/cust-2", s.admin())->status == 200);
  CHECK(c->Get("/v1/admin/surveys/shop/follow-ups/2", s.admin())->status == 404);
}

TEST_CASE("promoters: those with a contact, as JSON, CSV and CSV for Excel", "[server][http][followup]") {
  Running s;
  seed(s);
  auto c = s.client();
  auto list = body_of(c->Get("/v1/admin/surveys/shop/promoters", s.admin()));
  REQUIRE(list["items"].size() == 1);
  CHECK(list["items"][0]["respondent_id"] == "fan-5");
  auto csv = c->Get("/v1/admin/surveys/shop/promoters?format=csv", s.admin());
  REQUIRE(csv->status == 200);
  CHECK(csv->body.rfind("respondent_id,score,comment", 0) == 0);
  CHECK(csv->body.find("fan-5,10,'=love it,") != std::string::npos); // formula defused

  // For Excel where the decimal comma is used (Berlin in summer): a BOM, semicolons, local times.
  auto excel = c->Get(
      "/v1/admin/surveys/shop/promoters?format=csv&flavour=excel&separator=semicolon&utc_offset=%2B02:00",
      s.admin());
  REQUIRE(excel->status == 200);
  CHECK(excel->body.rfind("\xEF\xBB\xBFrespondent_id;score;comment;received_at;channel;locale\r\n", 0) == 0);
  const auto row = excel->body.substr(excel->body.find("fan-5;"));
  CHECK(row.rfind("fan-5;10;'=love it;", 0) == 0);
  CHECK(row.find("+02:00;") != std::string::npos);
  CHECK(row.find("Z;") == std::string::npos);
  // Each parameter is checked as on the answers' export, and named when refused.
  for (const auto& [query, field] : std::vector<std::pair<std::string, std::string>>{
           {"format=csv&flavour=excel&separator=pipe", "separator"},
           {"format=csv&flavour=sheets", "flavour"},
           {"format=csv&utc_offset=%2B02:00", "utc_offset"},
           {"format=json&flavour=excel", "flavour"}}) {
    auto bad = c->Get("/v1/admin/surveys/shop/promoters?" + query, s.admin());
    INFO(query);
    CHECK(bad->status == 400);
    CHECK(bad->body.find("\"" + field + "\"") != std::string::npos);
  }
}

TEST_CASE("live: a stored answer reaches the event stream within two seconds", "[server][http][live]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto viewer_token = body_of(s.client()->Post("/v1/admin/tokens", s.admin(), R"({"role":"viewer"})",
                                               "application/json"))["token"]
                          .get<std::string>();
  auto listen = [&](const std::string& token) {
    return std::async(std::launch::async, [&s, token] {
      auto c = s.client();
      std::string got;
      c->Get("/v1/admin/surveys/shop/live", {{"Authorization", "Bearer " + token}},
             [&](const char* d, std::size_t n) {
               got.append(d, n);
               return got.find("event: response") == std::string::npos; // stop after the first event
             });
      return got;
    });
  };
  auto analyst_feed = listen(kAdminToken);
  auto viewer_feed = listen(viewer_token);
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // both streams open
  const auto sent = std::chrono::steady_clock::now();
  REQUIRE(post_response(*s.client(), "shop",
                        {{"score", 3},
                         {"idempotency_key", "live-0001"},
                         {"comment", "secret words"},
                         {"respondent_id", "r-9"}})
              ->status == 201);
  REQUIRE(analyst_feed.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
  REQUIRE(viewer_feed.wait_for(std::chrono::seconds(2)) == std::future_status::ready);
  CHECK(std::chrono::steady_clock::now() - sent < std::chrono::seconds(2));
  const auto full = analyst_feed.get(), aggregate = viewer_feed.get();
  CHECK(full.find("secret words") != std::string::npos);
  CHECK(aggregate.find("\"score\":3") != std::string::npos);
  CHECK(aggregate.find("secret words") == std::string::npos);
  CHECK(aggregate.find("r-9") == std::string::npos);
}

TEST_CASE("breakdown: by page and by any attribute, from the rows", "[server][http][analytics]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  const std::vector<std::pair<int, std::string>> answers = {
      {10, "pro"}, {9, "pro"}, {2, "free"}, {3, "free"}, {8, ""}};
  int i = 0;
  for (const auto& [score, plan] : answers) {
    json body = {{"score", score},
                 {"idempotency_key", "bdown-000" + std::to_string(i++)},
                 {"page", "https://shop.example/p" + std::to_string(score % 2)}};
    if (!plan.empty()) body["attributes"] = {{"plan", plan}};
    REQUIRE(post_response(*c, "shop", body)->status == 201);
  }
  auto plans = body_of(c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:plan", s.admin()));
  REQUIRE(plans["segments"].size() == 3);
  CHECK(plans["segments"][0]["value"].is_null()); // no plan given
  CHECK(plans["segments"][1]["value"] == "free");
  CHECK(plans["segments"][1]["nps"] == -100);
  CHECK(plans["segments"][2]["value"] == "pro");
  CHECK(plans["segments"][2]["nps"] == 100);
  CHECK(plans["total"]["n"] == 5);
  auto pages = body_of(c->Get("/v1/admin/surveys/shop/breakdown?by=page", s.admin()));
  CHECK(pages["segments"].size() == 2);
  CHECK(c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/shop/live")->status == 401); // the stream needs a role too
}
