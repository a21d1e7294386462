// issue 17: insights over HTTP: operational data import (reported by line, all or
// nothing), key drivers and churn risk fitted, stored and served from the stored fit, the
// at-risk list (analysts only) with its CSV export and the follow-up button, benchmarks.
#include "http_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

// Customer i answers with a score that falls with i % 11; low scorers and those with many
// tickets churn (a fixed pattern, so the model has something to find).
int score_of(int i) { return 10 - (i * 7) % 11; }
bool churns(int i) { return score_of(i) <= 4 ? (i % 5 != 0) : (i % 6 == 0); }

void seed_answers(Running& s, int customers) {
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  for (int i = 0; i < customers; ++i)
    REQUIRE(
        post_response(*c, "shop",
                      {{"score", score_of(i)},
                       {"idempotency_key", "ins-" + std::to_string(10000 + i)},
                       {"respondent_id", "cust-" + std::to_string(i)},
                       {"attributes", {{"plan", i % 3 == 0 ? "pro" : "basic"}, {"tenure", (i * 13) % 40}}}})
            ->status == 201);
}

json ops_rows(int customers) {
  json rows = json::array();
  for (int i = 0; i < customers; ++i) {
    const std::string id = "cust-" + std::to_string(i);
    rows.push_back(
        {{"customer", id}, {"date", "2025-07-01"}, {"metric", "spend"}, {"value", 20 + (i * 37) % 90}});
    rows.push_back({{"customer", id},
                    {"date", "2025-07-02"},
                    {"metric", "tickets"},
                    {"value", churns(i) ? i % 4 + 1 : i % 2}});
    rows.push_back(
        {{"customer", id}, {"date", "2025-08-01"}, {"metric", "churned"}, {"value", churns(i) ? 1 : 0}});
  }
  return rows;
}

httplib::Result post(Running& s, const std::string& path, const json& body, const httplib::Headers& h) {
  return s.client()->Post(path.c_str(), h, nps::dump(body), "application/json");
}

} // namespace

TEST_CASE("insights: a CSV with unknown customers, bad dates and non-numeric values is refused line by line, "
          "nothing stored",
          "[server][http][insights]") {
  Running s;
  seed_answers(s, 3);
  const std::string csv = "customer,date,metric,value\n"
                          "cust-0,2025-07-01,spend,10.5\n"
                          "stranger,2025-07-01,spend,3\n"
                          "cust-1,2025-13-01,visits,2\n"
                          "cust-2,2025-07-01,orders,many\n";
  auto r = post(s, "/v1/admin/surveys/shop/operational", {{"csv", csv}}, s.admin());
  REQUIRE(r);
  CHECK(r->status == 400);
  const auto errors = body_of(r)["errors"];
  REQUIRE(errors.size() == 3);
  CHECK(errors[0]["path"] == "csv:line 3:customer");
  CHECK(errors[1]["path"] == "csv:line 4:date");
  CHECK(errors[2]["path"] == "csv:line 5:value");
  auto counts = body_of(s.client()->Get("/v1/admin/surveys/shop/operational", s.admin()));
  CHECK(counts["rows"] == 0); // the good line 2 was not stored either

  r = post(
      s, "/v1/admin/surveys/shop/operational",
      {{"csv", "customer,date,metric,value\ncust-0,2025-07-01,spend,10.5\ncust-1,2025-07-03,churned,1\n"}},
      s.admin());
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(body_of(r)["imported"] == 2);
  const auto viewer = token_for(s, "viewer");
  auto seen = s.client()->Get("/v1/admin/surveys/shop/operational", bearer(viewer));
  REQUIRE(seen);
  CHECK(seen->status == 200);
  CHECK(body_of(seen)["churned"] == 1);
  CHECK(body_of(seen)["values"]["spend"] == 1);
  CHECK(seen->body.find("cust-") == std::string::npos);
  auto refused = post(s, "/v1/admin/surveys/shop/operational", {{"rows", json::array()}}, bearer(viewer));
  REQUIRE(refused);
  CHECK(refused->status == 403);
}

TEST_CASE("insights: JSON rows are checked like CSV lines, each error named by its row",
          "[server][http][insights]") {
  Running s;
  seed_answers(s, 2);
  auto r = post(
      s, "/v1/admin/surveys/shop/operational",
      {{"rows",
        json::array({{{"customer", "cust-0"}, {"date", "2025-07-01"}, {"metric", "spend"}, {"value", 4}},
                     {{"customer", "cust-1"}, {"date", "yesterday"}, {"metric", "spend"}, {"value", "x"}}})}},
      s.admin());
  REQUIRE(r);
  CHECK(r->status == 400);
  const auto errors = body_of(r)["errors"];
  REQUIRE(errors.size() == 2);
  CHECK(errors[0]["path"] == "rows[1].date");
  CHECK(errors[1]["path"] == "rows[1].value");
  CHECK(body_of(s.client()->Get("/v1/admin/surveys/shop/operational", s.admin()))["rows"] == 0);
}

TEST_CASE("insights: churn risk is fitted from answers and operational data, evaluated, and the at-risk list "
          "reaches analysts only, as JSON, as CSV and into the follow-up queue",
          "[server][http][insights]") {
  Running s;
  seed_answers(s, 240);
  auto r = post(s, "/v1/admin/surveys/shop/operational", {{"rows", ops_rows(240)}}, s.admin());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  // Make some customers current: their outcome is not known yet, so they are scored.
  r = post(s, "/v1/admin/surveys/shop/churn", json::object(), s.admin());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  auto fit = body_of(r);
  CHECK(fit["customers"] == 240);
  CHECK(fit["fit"]["claimed"] == true);
  CHECK(fit["fit"]["auc"]["value"].get<double>() > 0.7);
  CHECK(fit["fit"]["auc"]["method"] == "hanley-mcneil");
  CHECK(fit["fit"]["calibration"].size() == 10);

  const auto viewer = token_for(s, "viewer");
  auto as_viewer = s.client()->Get("/v1/admin/surveys/shop/churn", bearer(viewer));
  REQUIRE(as_viewer);
  CHECK(as_viewer->status == 200);
  CHECK(as_viewer->body.find("cust-") == std::string::npos);
  CHECK(body_of(as_viewer)["fit"]["auc"] == fit["fit"]["auc"]); // served from the stored fit
  auto list_viewer = s.client()->Get("/v1/admin/surveys/shop/churn/at-risk", bearer(viewer));
  REQUIRE(list_viewer);
  CHECK(list_viewer->status == 403);

  auto list = body_of(s.client()->Get("/v1/admin/surveys/shop/churn/at-risk?limit=500", s.admin()));
  const auto& items = list["items"];
  REQUIRE(items.size() == fit["current_customers"].get<std::size_t>());
  REQUIRE(items.size() > 10);
  for (std::size_t i = 1; i < items.size(); ++i)
    CHECK(items[i - 1]["risk"].get<double>() >= items[i]["risk"].get<double>());
  CHECK(items[0]["reasons"].size() == 3);
  // One customer, for their page: the same entry with its rank among all.
  const auto third = items[2]["id"].get<std::string>();
  auto one = body_of(s.client()->Get("/v1/admin/surveys/shop/churn/at-risk?customer=" + third, s.admin()));
  REQUIRE(one["items"].size() == 1);
  CHECK(one["items"][0]["rank"] == 3);
  CHECK(one["items"][0]["risk"] == items[2]["risk"]);
  CHECK(one["current_customers"] == items.size());
  CHECK(body_of(s.client()->Get("/v1/admin/surveys/shop/churn/at-risk?customer=nobody", s.admin()))["items"]
            .empty());

  auto csv = s.client()->Get("/v1/admin/surveys/shop/churn/at-risk?format=csv&limit=5", s.admin());
  REQUIRE(csv);
  CHECK(csv->get_header_value("Content-Type").find("text/csv") == 0);
  CHECK(csv->body.rfind("customer,risk,reason_1,reason_2,reason_3\r\n", 0) == 0);
  CHECK(std::count(csv->body.begin(), csv->body.end(), '\n') == 6);

  // A detractor among the current customers goes into the follow-up queue with a note.
  std::string detractor;
  for (const auto& it : items) {
    const int i = std::stoi(it["id"].get<std::string>().substr(5));
    if (score_of(i) <= 6) {
      detractor = it["id"];
      break;
    }
  }
  REQUIRE_FALSE(detractor.empty());
  auto queued = post(s, "/v1/admin/surveys/shop/churn/follow-ups",
                     {{"customers", json::array({detractor, "cust-nobody"})}}, s.admin());
  REQUIRE(queued);
  CHECK(queued->status == 200);
  const auto q = body_of(queued);
  REQUIRE(q["queued"].size() == 1);
  CHECK(q["refused"].size() == 1);
  const auto item =
      body_of(s.client()->Get(("/v1/admin/surveys/shop/follow-ups/" +
                               std::to_string(q["queued"][0]["response_id"].get<std::int64_t>()))
                                  .c_str(),
                              s.admin()));
  REQUIRE(item["notes"].size() == 1);
  CHECK(item["notes"][0]["text"].get<std::string>().rfind("Churn risk ", 0) == 0);
}

TEST_CASE("insights: with too few churned customers no churn model is made, and the answer says so",
          "[server][http][insights]") {
  Running s;
  seed_answers(s, 30);
  REQUIRE(post(s, "/v1/admin/surveys/shop/operational", {{"rows", ops_rows(30)}}, s.admin())->status == 200);
  auto r = post(s, "/v1/admin/surveys/shop/churn", json::object(), s.admin());
  REQUIRE(r);
  CHECK(r->status == 200);
  const auto fit = body_of(r);
  CHECK(fit["fit"]["claimed"] == false);
  CHECK(fit["fit"]["min_churned"] == 70);
  CHECK_FALSE(fit["fit"].contains("auc"));
  CHECK(fit["current_customers"] == 0);
}

TEST_CASE("insights: key drivers are fitted from attributes, stored, and served to viewers",
          "[server][http][insights]") {
  Running s;
  seed_answers(s, 120);
  CHECK(s.client()->Get("/v1/admin/surveys/shop/drivers", s.admin())->status == 404);
  auto r = post(s, "/v1/admin/surveys/shop/drivers", json::object(), s.admin());
  REQUIRE(r);
  REQUIRE(r->status == 200);
  const auto fit = body_of(r);
  CHECK(fit["used"] == 120);
  CHECK(fit["fit"]["claimed"] == true);
  std::vector<std::string> names;
  for (const auto& d : fit["fit"]["drivers"])
    names.push_back(d["name"]);
  CHECK(names == std::vector<std::string>{"attribute:plan=pro", "attribute:tenure"});
  const auto viewer = token_for(s, "viewer");
  auto seen = s.client()->Get("/v1/admin/surveys/shop/drivers", bearer(viewer));
  REQUIRE(seen);
  CHECK(seen->status == 200);
  CHECK(body_of(seen)["fit"] == fit["fit"]);
}

TEST_CASE("insights: a comment theme mentioned often is a driver beside the attributes",
          "[server][http][insights]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  auto c = s.client();
  // A third complain about the delivery and score low; the others praise the staff or say
  // nothing. The plan does not matter.
  for (int i = 0; i < 150; ++i) {
    const bool late = i % 3 == 0;
    json body = {{"score", late ? 2 + i % 3 : 8 + i % 3},
                 {"idempotency_key", "thm-" + std::to_string(10000 + i)},
                 {"locale", "en"},
                 {"attributes", {{"plan", i % 2 ? "pro" : "basic"}}}};
    if (late)
      body["comment"] = "The delivery was late again";
    else if (i % 3 == 1)
      body["comment"] = "Friendly staff";
    REQUIRE(post_response(*c, "shop", body)->status == 201);
  }
  auto r = post(s, "/v1/admin/surveys/shop/drivers", json::object(), s.admin());
  REQUIRE(r);
  INFO(r->body);
  REQUIRE(r->status == 200);
  const auto fit = body_of(r)["fit"];
  INFO(fit.dump());
  REQUIRE(fit["claimed"] == true);
  json top;
  for (const auto& d : fit["drivers"])
    if (top.is_null() || d["weight"].get<double>() > top["weight"].get<double>()) top = d;
  // "delivery", "late", "again" and their phrases come in the same comments: one column, named
  // by the longest of them.
  CHECK(top["name"] == "theme:delivery late again");
  CHECK(top["reaches_zero"] == false);
  CHECK(fit["drivers"].size() == 3); // plan, delivery, friendly (staff is friendly's twin)
  bool plan_seen = false;
  for (const auto& d : fit["drivers"])
    if (d["name"] == "attribute:plan=pro") {
      plan_seen = true;
      CHECK(d["reaches_zero"] == true); // the plan does not move the score
    }
  CHECK(plan_seen);
}

TEST_CASE(
    "benchmarks: published averages carry their source, and the survey's NPS is set against the chosen one "
    "and its previous period",
    "[server][http][insights]") {
  Running s;
  seed_answers(s, 60);
  auto b = body_of(s.client()->Get("/v1/admin/surveys/shop/benchmarks", s.admin()));
  REQUIRE(b["published"].size() == 6);
  for (const auto& p : b["published"])
    CHECK(p["source"].get<std::string>().find("XM Institute") == 0);
  CHECK(b["published"][5]["nps"] == -6);
  CHECK_FALSE(b.contains("against"));

  auto bad = s.client()->Put(
      "/v1/admin/surveys/shop/benchmarks", s.admin(),
      nps::dump(json{{"chosen", "ours"},
                     {"custom", json::array({{{"key", "ours"}, {"name", "Rival"}, {"nps", 50}}})}}),
      "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(body_of(bad)["errors"][0]["path"] == "custom[0].source");

  auto put = s.client()->Put("/v1/admin/surveys/shop/benchmarks", s.admin(),
                             nps::dump(json{{"chosen", "rival"},
                                            {"custom", json::array({{{"key", "rival"},
                                                                     {"name", "Rival Co"},
                                                                     {"nps", -90},
                                                                     {"source", "Rival's 2025 report"}}})}}),
                             "application/json");
  REQUIRE(put);
  CHECK(put->status == 200);
  b = body_of(s.client()->Get("/v1/admin/surveys/shop/benchmarks?days=30", s.admin()));
  CHECK(b["survey"]["n"] == 60);
  CHECK(b["previous"]["n"] == 0);
  CHECK(b["against"]["benchmark"] == -90);
  CHECK(b["against"]["verdict"] == "above");
  CHECK(b["custom"][0]["source"] == "Rival's 2025 report");
}
