// The admin API over real HTTP: roles, surveys, responses, export, analytics, privacy and
// the OpenAPI document.
#include "auth.hpp"
#include "http_support.hpp"

#include "nps/api.hpp"
#include "nps/tally.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

void add_shop(Running& s) { REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201); }

std::string new_token(Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), nps::dump(json{{"role", role}, {"name", role}}),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

// Scores with channel and day: enough for summary, trend and breakdown.
nps::Tally seed(Running& s) {
  auto c = s.client();
  nps::Tally t;
  const int scores[] = {10, 9, 9, 8, 7, 6, 3, 0, 10, 10, 9, 5};
  for (int i = 0; i < 12; ++i) {
    s.now->store(kNow + (i / 4) * 7 * 86'400'000LL); // three weeks, four answers each
    json body = {{"score", scores[i]},
                 {"idempotency_key", "seed-" + std::to_string(1000 + i)},
                 {"channel", i % 3 == 0 ? "email" : "web"},
                 {"comment", i == 6 ? "Support never answered" : "ok"},
                 {"respondent_id", "user-" + std::to_string(i % 4)},
                 {"attributes", {{"plan", i < 6 ? "pro" : "free"}}}};
    REQUIRE(post_response(*c, "shop", body)->status == 201);
    t.add(nps::Score::from_int(scores[i]).value());
  }
  s.now->store(kNow + 30 * 86'400'000LL);
  return t;
}

} // namespace

TEST_CASE("server: every admin endpoint against every role", "[server][http][roles]") {
  Running s;
  add_shop(s);
  (void)seed(s);
  std::map<std::string, std::string> tokens = {{"admin", kAdminToken}};
  for (const char* role : {"editor", "analyst", "viewer"})
    tokens[role] = new_token(s, role);
  const std::vector<std::string> ranks = {"viewer", "analyst", "editor", "admin"};
  auto rank = [&](const std::string& r) { return std::find(ranks.begin(), ranks.end(), r) - ranks.begin(); };

  struct Call {
    std::string method, path, body, least;
  };
  const std::vector<Call> calls = {
      {"GET", "/v1/admin/surveys", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop/summary", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop/funnel", "", "viewer"}, // issue 19
      {"GET", "/v1/admin/surveys/shop/trend?interval=week", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop/breakdown?by=channel", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop/themes", "", "viewer"}, // issue 16
      {"GET", "/v1/admin/surveys/shop/responses", "", "analyst"},
      {"GET", "/v1/admin/surveys/shop/export?format=csv", "", "analyst"},
      {"POST", "/v1/admin/surveys", R"({"id":"new-survey"})", "editor"},
      {"PUT", "/v1/admin/surveys/shop", R"({"name":"Shop"})", "editor"},
      {"DELETE", "/v1/admin/surveys/new-survey", "", "editor"},
      {"GET", "/v1/admin/tokens", "", "admin"},
      {"POST", "/v1/admin/tokens", R"({"role":"viewer"})", "admin"},
      {"GET", "/v1/admin/respondents/user-1", "", "admin"},
      {"DELETE", "/v1/admin/respondents/nobody", "", "admin"},
      {"POST", "/v1/admin/retention", R"({"days":3650})", "admin"},
      {"GET", "/v1/admin/surveys/shop/follow-ups?open=1", "", "analyst"},
      {"GET", "/v1/admin/surveys/shop/follow-ups/7", "", "analyst"},
      {"GET", "/v1/admin/surveys/shop/responses/7", "", "analyst"},
      {"PATCH", "/v1/admin/surveys/shop/follow-ups/7", R"({"status":"contacted"})", "analyst"},
      {"POST", "/v1/admin/surveys/shop/follow-ups/7/notes", R"({"text":"called back"})", "analyst"},
      {"GET", "/v1/admin/surveys/shop/promoters?format=csv", "", "analyst"},
      {"GET", "/v1/admin/assignees", "", "analyst"},
      // issue 17: insights
      {"GET", "/v1/admin/surveys/shop/operational", "", "viewer"},
      {"POST", "/v1/admin/surveys/shop/operational", R"({"rows":[]})", "analyst"},
      {"DELETE", "/v1/admin/surveys/shop/operational", "", "admin"},
      {"POST", "/v1/admin/surveys/shop/drivers", "{}", "analyst"},
      {"GET", "/v1/admin/surveys/shop/drivers", "", "viewer"},
      {"POST", "/v1/admin/surveys/shop/churn", "{}", "analyst"},
      {"GET", "/v1/admin/surveys/shop/churn", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop/churn/at-risk?format=csv", "", "analyst"},
      {"POST", "/v1/admin/surveys/shop/churn/follow-ups", R"({"customers":[]})", "analyst"},
      {"GET", "/v1/admin/surveys/shop/benchmarks", "", "viewer"},
      {"PUT", "/v1/admin/surveys/shop/benchmarks", R"({"chosen":"grocery"})", "editor"},
      {"GET", "/v1/admin/users", "", "admin"},
      {"POST", "/v1/admin/surveys/shop/import?preset=wootric&dry_run=1", "Score,Created At\n9,2025-03-01\n",
       "editor"}, // issue 15
      // issue 19: the translation hand-off
      {"GET", "/v1/admin/surveys/shop/texts?target=es&format=xliff", "", "editor"},
      {"POST", "/v1/admin/surveys/shop/texts?target=es", "key,source,target\r\n", "editor"},
      {"POST", "/v1/admin/surveys/shop/share", R"({"days":3})", "editor"}, // issue 19: the draft-sharing link
      {"POST", "/v1/admin/users", R"({"email":"ana@example.com","role":"analyst","password":"0123456789"})",
       "admin"},
      {"GET", "/v1/admin/webhooks", "", "admin"},
      {"POST", "/v1/admin/webhooks", R"({"url":"https://hooks.example/in"})", "admin"},
      {"GET", "/v1/admin/webhooks/1", "", "admin"},
      {"PATCH", "/v1/admin/webhooks/1", R"({"description":"crm"})", "admin"},
      {"POST", "/v1/admin/webhooks/1/rotate-secret", "{}", "admin"},
      {"GET", "/v1/admin/webhooks/1/deliveries?status=failed", "", "admin"},
      // issue 14: e-mail and link surveys
      {"POST", "/v1/admin/surveys/shop/links", R"({"recipient":"customer-1"})", "editor"},
      {"GET", "/v1/admin/surveys/shop/link-settings", "", "viewer"},
      {"GET", "/v1/admin/email-preview?survey_id=shop&lang=es", "", "viewer"},
      {"GET", "/v1/admin/surveys/shop/ambassadors?format=csv", "", "analyst"},
      {"PUT", "/v1/admin/surveys/shop/link-settings", R"({"strict":false})", "editor"},
      {"POST", "/v1/admin/contacts/import", R"({"csv":"email\nana@example.com\n"})", "editor"},
      {"GET", "/v1/admin/contacts", "", "viewer"},
      {"GET", "/v1/admin/contacts/1", "", "viewer"},
      {"DELETE", "/v1/admin/contacts/1", "", "editor"},
      {"GET", "/v1/admin/suppressions", "", "analyst"},
      {"POST", "/v1/admin/suppressions", R"({"email":"bob@example.com","reason":"unsubscribed"})", "editor"},
      {"POST", "/v1/admin/campaigns", R"({"survey_id":"shop","name":"Q4"})", "editor"},
      {"GET", "/v1/admin/campaigns", "", "viewer"},
      {"GET", "/v1/admin/campaigns/1", "", "viewer"},
  };
  // Every admin route of the server is in the table.
  std::set<std::string> covered;
  for (const auto& c : calls)
    covered.insert(c.method + " " + c.path.substr(0, c.path.find('?')));
  for (const auto& r : s.server->routes())
    if (r.path.rfind("/v1/admin/", 0) == 0) {
      std::string path = r.path;
      for (auto [from, to] : {std::pair{"{id}", "shop"},
                              {"{respondent_id}", "user-1"},
                              {"{token_id}", "1"},
                              {"{response_id}", "7"},
                              {"{user_id}", "1"},
                              {"{webhook_id}", "1"},
                              {"{contact_id}", "1"},
                              {"{campaign_id}", "1"}})
        if (auto at = path.find(from); at != std::string::npos)
          path.replace(at, std::string(from).size(), to);
      const bool known = covered.count(r.method + " " + path) ||
                         (r.method == "DELETE" && r.path == "/v1/admin/surveys/{id}") ||
                         (r.method == "DELETE" && r.path == "/v1/admin/respondents/{respondent_id}") ||
                         r.path == "/v1/admin/tokens/{token_id}" || r.path == "/v1/admin/users/{user_id}" ||
                         r.path == "/v1/admin/surveys/{id}/live" || // a stream: tested in test_auth.cpp
                         r.path.rfind("/v1/admin/webhooks/{webhook_id}", 0) == 0; // test_webhooks_api.cpp
      INFO(r.method << " " << r.path);
      CHECK(known);
    }

  auto c = s.client();
  auto send = [&](const Call& call, const httplib::Headers& h) {
    if (call.method == "GET") return c->Get(call.path.c_str(), h);
    if (call.method == "DELETE") return c->Delete(call.path.c_str(), h);
    if (call.method == "PUT") return c->Put(call.path.c_str(), h, call.body, "application/json");
    if (call.method == "PATCH") return c->Patch(call.path.c_str(), h, call.body, "application/json");
    if (call.path.find("/import?") != std::string::npos || call.path.find("/texts?") != std::string::npos)
      return c->Post(call.path.c_str(), h, call.body, "text/csv");
    return c->Post(call.path.c_str(), h, call.body, "application/json");
  };
  for (const auto& call : calls) {
    INFO(call.method << " " << call.path);
    auto anonymous = send(call, {});
    REQUIRE(anonymous);
    CHECK(anonymous->status == 401);
    auto forged = send(call, {{"Authorization", "Bearer npsd_not-a-real-token"}});
    CHECK(forged->status == 401);
    for (const auto& [role, token] : tokens) {
      INFO("role " << role);
      auto r = send(call, {{"Authorization", "Bearer " + token}});
      REQUIRE(r);
      if (rank(role) < rank(call.least)) {
        CHECK(r->status == 403);
        CHECK(body_of(r)["error"]["code"] == "forbidden");
        CHECK(r->body.find("Support never answered") == std::string::npos);
      } else {
        // Allowed; creating the same survey a second time is a conflict, not a refusal. This
        // server has no SMTP relay and no campaign, and a contact is deleted by the first role
        // allowed to: past the role check, those answer 400 or 404, never 401 or 403.
        const bool past_roles_only =
            call.path.rfind("/v1/admin/campaigns", 0) == 0 || call.path.rfind("/v1/admin/contacts/1", 0) == 0;
        INFO("status " << r->status << ": " << r->body);
        if (past_roles_only)
          CHECK((r->status < 300 || r->status == 400 || r->status == 404));
        else
          CHECK((r->status < 300 || (r->status == 409 && call.path == "/v1/admin/surveys")));
      }
    }
  }
  // A viewer never sees a comment or a respondent, whatever it asks for.
  for (const auto& call : calls) {
    if (call.method != "GET") continue;
    auto r = send(call, {{"Authorization", "Bearer " + tokens["viewer"]}});
    CHECK(r->body.find("Support never answered") == std::string::npos);
    CHECK(r->body.find("user-1") == std::string::npos);
  }
}

TEST_CASE("server: survey definitions are validated by the core with errors by path", "[server][http]") {
  Running s;
  auto c = s.client();
  auto bad =
      c->Post("/v1/admin/surveys", s.admin(),
              R"({"id":"s 1","sampling":{"daily_response_cap":-1},"allowed_origins":["not an origin"]})",
              "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  std::set<std::string> paths;
  const auto errors = body_of(bad)["errors"];
  for (const auto& e : errors)
    paths.insert(e["path"].get<std::string>());
  CHECK(paths.count("id"));
  CHECK(paths.count("sampling.daily_response_cap"));
  CHECK(paths.count("allowed_origins[0]"));
  CHECK(c->Get("/v1/admin/surveys", s.admin())->body.find("s 1") == std::string::npos);

  add_shop(s);
  CHECK(create_survey(s, {{"id", "shop"}}) == 409);
  auto del = c->Delete("/v1/admin/surveys/shop", s.admin());
  CHECK(del->status == 200);
  auto closed = post_response(*c, "shop", {{"score", 9}, {"idempotency_key", "closed-01"}});
  CHECK(closed->status == 410);
  CHECK(body_of(c->Get("/v1/admin/surveys/shop", s.admin()))["archived"] == true);
}

TEST_CASE("server: analytics from the tallies match the core's own numbers", "[server][http][analytics]") {
  Running s;
  add_shop(s);
  const auto all = seed(s);
  auto c = s.client();

  const auto sum = body_of(c->Get("/v1/admin/surveys/shop/summary", s.admin()));
  const auto expected = nps::summarize(all).value();
  CHECK(sum["n"] == all.n());
  CHECK(sum["nps"].get<double>() == expected.nps);
  CHECK(sum["ci95"][0].get<double>() == expected.ci95.lo);
  CHECK(sum["ci95"][1].get<double>() == expected.ci95.hi);
  CHECK(sum["small_sample"] == true);
  CHECK(sum["counts"][10] == 3);
  // The summary is the core's tally.summary output for the same counts, member for member.
  const auto core = nps::invoke("tally.summary", nps::dump(json{{"counts", sum["counts"]}}));
  REQUIRE(core.ok);
  const json core_summary = json::parse(core.text);
  for (const auto& [key, value] : core_summary.items())
    CHECK(sum[key] == value);
  // An empty period has the same members, its figures null.
  const auto none =
      body_of(c->Get("/v1/admin/surveys/shop/summary?from=2001-01-01&to=2001-01-31", s.admin()));
  CHECK(none["n"] == 0);
  CHECK(none["nps"].is_null());
  CHECK(none["ci95"].is_null());
  CHECK(none["small_sample"] == true);
  for (const auto& [key, value] : sum.items())
    CHECK(none.contains(key));
  // Each score's category comes from the core, so the dashboard keeps no copy of the rule.
  REQUIRE(sum["categories"].size() == 11);
  for (int sc = 0; sc <= 10; ++sc)
    CHECK(sum["categories"][sc] ==
          std::string(nps::to_string(nps::classify(nps::Score::from_int(sc).value()))));

  const auto trend = body_of(c->Get("/v1/admin/surveys/shop/trend?interval=week", s.admin()));
  REQUIRE(trend["buckets"].size() == 3);
  CHECK(trend["buckets"][0]["change"].is_null());
  nps::Tally w1, w2;
  for (int sc : {10, 9, 9, 8})
    w1.add(nps::Score::from_int(sc).value());
  for (int sc : {7, 6, 3, 0})
    w2.add(nps::Score::from_int(sc).value());
  const auto change = nps::compare(w2, w1).value();
  CHECK(trend["buckets"][1]["n"] == 4);
  CHECK(trend["buckets"][1]["change"]["difference"].get<double>() == change.difference);
  CHECK(trend["buckets"][1]["change"]["p"].get<double>() == change.p);

  const auto by_day =
      body_of(c->Get("/v1/admin/surveys/shop/trend?interval=day&from=2025-06-15&to=2025-06-15", s.admin()));
  CHECK(by_day["buckets"].size() == 1);
  CHECK(by_day["buckets"][0]["start"] == "2025-06-15");

  const auto br = body_of(c->Get("/v1/admin/surveys/shop/breakdown?by=channel", s.admin()));
  REQUIRE(br["segments"].size() == 2);
  nps::Tally email, web;
  const int scores[] = {10, 9, 9, 8, 7, 6, 3, 0, 10, 10, 9, 5};
  for (int i = 0; i < 12; ++i)
    (i % 3 == 0 ? email : web).add(nps::Score::from_int(scores[i]).value());
  CHECK(br["segments"][0]["value"] == "email");
  CHECK(br["segments"][0]["vs_rest"]["difference"].get<double>() == nps::compare(email, web)->difference);
  CHECK(br["total"]["n"] == 12);

  // Attributes and pages are segments too.
  const auto by_plan = body_of(c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:plan", s.admin()));
  REQUIRE(by_plan["segments"].size() == 2);
  nps::Tally free_plan, pro;
  for (int i = 0; i < 12; ++i)
    (i < 6 ? pro : free_plan).add(nps::Score::from_int(scores[i]).value());
  CHECK(by_plan["segments"][0]["value"] == "free");
  CHECK(by_plan["segments"][0]["n"] == free_plan.n());
  CHECK(by_plan["segments"][0]["nps"].get<double>() == nps::summarize(free_plan)->nps);
  CHECK(by_plan["segments"][1]["vs_rest"]["p"].get<double>() == nps::compare(pro, free_plan)->p);
  CHECK(by_plan["source"] == "tallies"); // issue 18: from the per-day tallies by attribute
  // With a channel, from the tallies per segment (issue 18); with two filters the rows answer,
  // the same way.
  const auto web_plan =
      body_of(c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:plan&channel=web", s.admin()));
  CHECK(web_plan["source"] == "tallies");
  const auto web_desktop = body_of(
      c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:plan&channel=web&device=desktop", s.admin()));
  CHECK(web_desktop["source"] == "rows");
  nps::Tally web_pro;
  for (int i = 0; i < 6; ++i)
    if (i % 3 != 0) web_pro.add(nps::Score::from_int(scores[i]).value());
  REQUIRE(web_plan["segments"].size() == 2);
  CHECK(web_plan["segments"][1]["value"] == "pro");
  CHECK(web_plan["segments"][1]["n"] == web_pro.n());
  const auto by_page = body_of(c->Get("/v1/admin/surveys/shop/breakdown?by=page", s.admin()));
  REQUIRE(by_page["segments"].size() == 1); // no answer named its page
  CHECK(by_page["segments"][0]["value"].is_null());
  CHECK(by_page["source"] == "tallies");
  CHECK(c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/shop/breakdown?by=attribute:a%20b", s.admin())->status == 400);

  CHECK(c->Get("/v1/admin/surveys/shop/trend?interval=year", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/shop/summary?from=2025-02-30", s.admin())->status == 400);
  CHECK(c->Get("/v1/admin/surveys/nope/summary", s.admin())->status == 404);
}

TEST_CASE("server: responses are filtered, paged by cursor and exported as CSV and JSON", "[server][http]") {
  Running s;
  add_shop(s);
  (void)seed(s);
  auto c = s.client();
  auto list = [&](const std::string& q) {
    return body_of(c->Get(("/v1/admin/surveys/shop/responses" + q).c_str(), s.admin()));
  };
  CHECK(list("?category=promoter")["items"].size() == 6);
  CHECK(list("?channel=email")["items"].size() == 4);
  CHECK(list("?q=never")["items"].size() == 1);
  CHECK(list("?attribute=plan:pro")["items"].size() == 6);
  CHECK(list("?from=2025-06-22&to=2025-06-22")["items"].size() == 4);
  CHECK(list("?score=11").is_object());
  CHECK(c->Get("/v1/admin/surveys/shop/responses?score=11", s.admin())->status == 400);

  std::set<std::int64_t> ids;
  std::string cursor;
  for (int pages = 0; pages < 10; ++pages) {
    auto page = list("?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& it : page["items"])
      ids.insert(it["id"].get<std::int64_t>());
    if (page["next_cursor"].is_null()) break;
    cursor = page["next_cursor"];
  }
  CHECK(ids.size() == 12);

  auto csv = c->Get("/v1/admin/surveys/shop/export?format=csv", s.admin());
  REQUIRE(csv);
  CHECK(csv->get_header_value("Content-Type").find("text/csv") == 0);
  CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 13); // header + 12
  CHECK(csv->body.find("Support never answered") != std::string::npos);
  auto js = c->Get("/v1/admin/surveys/shop/export?format=json&channel=web", s.admin());
  const auto arr = json::parse(js->body, nullptr, false);
  REQUIRE(arr.is_array());
  CHECK(arr.size() == 8);
}

TEST_CASE("server: one respondent is exported and deleted everywhere, tallies follow",
          "[server][http][privacy]") {
  Running s;
  add_shop(s);
  (void)seed(s);
  auto c = s.client();
  const auto mine = body_of(c->Get("/v1/admin/respondents/user-2", s.admin()));
  CHECK(mine["responses"].size() == 3);
  auto del = c->Delete("/v1/admin/respondents/user-2", s.admin());
  CHECK(body_of(del)["deleted"] == 3);
  CHECK(body_of(c->Get("/v1/admin/respondents/user-2", s.admin()))["responses"].empty());
  const auto sum = body_of(c->Get("/v1/admin/surveys/shop/summary", s.admin()));
  CHECK(sum["n"] == 9);
  CHECK(s.server->storage().scan_tally("shop").n() == 9);

  auto ret =
      c->Post("/v1/admin/retention", s.admin(), R"({"days":10,"mode":"anonymize"})", "application/json");
  CHECK(ret->status == 200);
  CHECK(body_of(ret)["affected"] == 9);
  CHECK(c->Get("/v1/admin/surveys/shop/responses?q=never", s.admin())->body.find("never") ==
        std::string::npos);
  CHECK(body_of(c->Get("/v1/admin/surveys/shop/summary", s.admin()))["n"] == 9);
}

TEST_CASE("server: tokens are shown once, stored hashed, and can be revoked", "[server][http]") {
  Running s;
  const auto secret = new_token(s, "analyst");
  for (const auto& t : s.server->storage().tokens())
    CHECK(t.hash.find(secret) == std::string::npos);
  auto c = s.client();
  const auto listed = body_of(c->Get("/v1/admin/tokens", s.admin()));
  CHECK(listed.dump().find(secret) == std::string::npos);
  const auto id = listed["items"].back()["id"].get<std::int64_t>();
  CHECK(c->Get("/v1/admin/surveys", {{"Authorization", "Bearer " + secret}})->status == 200);
  CHECK(c->Delete(("/v1/admin/tokens/" + std::to_string(id)).c_str(), s.admin())->status == 200);
  CHECK(c->Get("/v1/admin/surveys", {{"Authorization", "Bearer " + secret}})->status == 401);
  auto bad = c->Post("/v1/admin/tokens", s.admin(), R"({"role":"root"})", "application/json");
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["error"]["path"] == "role");
}

TEST_CASE("server: a first start creates one admin token and keeps only its hash", "[server][http]") {
  TempDir dir;
  Config c;
  c.port = 0;
  c.database = dir.file("first.sqlite3");
  c.log_requests = false;
  std::string secret;
  {
    auto server = make_server(c);
    REQUIRE(server->created_admin_token());
    secret = *server->created_admin_token();
    server->start();
    httplib::Client cl("127.0.0.1", server->port());
    CHECK(cl.Get("/v1/admin/tokens", {{"Authorization", "Bearer " + secret}})->status == 200);
    server->stop();
  }
  auto again = make_server(c);
  CHECK_FALSE(again->created_admin_token()); // printed once only
  const auto tokens = again->storage().tokens();
  REQUIRE(tokens.size() == 1);
  CHECK(tokens[0].hash == sha256_hex(secret));
}

TEST_CASE("server: a second npsd on a port already in use refuses to start", "[server][http]") {
  // Not both listening, each with its own database, the kernel dealing requests between
  // them (what SO_REUSEPORT, cpp-httplib's default, allowed: a second ./backend/run.sh
  // answered every other request with its own data).
  Running first;
  Config other;
  other.port = first.server->port();
  other.database = first.dir.file("another.sqlite3");
  other.log_requests = false;
  auto second = make_server(other);
  CHECK_THROWS_WITH(second->start(), Catch::Matchers::Contains("cannot listen"));
}

TEST_CASE("server: the OpenAPI document describes exactly the routes that exist", "[server][http][openapi]") {
  Running s;
  const auto doc = body_of(s.client()->Get("/v1/openapi.json"));
  REQUIRE(doc.is_object());
  CHECK(doc["openapi"].get<std::string>().rfind("3.", 0) == 0);
  std::set<std::string> documented, served;
  for (const auto& [path, ops] : doc["paths"].items())
    for (const auto& [method, op] : ops.items()) {
      std::string m = method;
      std::transform(m.begin(), m.end(), m.begin(), ::toupper);
      documented.insert(m + " " + path);
    }
  for (const auto& r : s.server->routes())
    served.insert(r.method + " " + r.path);
  for (const auto& d : documented) {
    INFO("documented but not served: " << d);
    CHECK(served.count(d));
  }
  for (const auto& r : served) {
    INFO("served but not documented: " << r);
    CHECK(documented.count(r));
  }
}
