// Long answers without long-held resources (issue #13, defects 4 and 7): /live event
// streams are capped per token or user and in total, and give their slot back when they
// end; the promoters list is streamed a page at a time with the same bytes as before.
#include "csv.hpp"
#include "dates.hpp"
#include "http_support.hpp"
#include "raw_http.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <thread>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

std::string new_token(const Running& s, const std::string& role) {
  auto r = s.client()->Post("/v1/admin/tokens", s.admin(), json{{"role", role}}.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  return body_of(r)["token"];
}

// An event stream held open until destroyed (or refused: then `status` says why).
struct Stream {
  std::unique_ptr<SourcedConn> conn;
  RawResponse head;
};

Stream open_stream(const Running& s, const std::string& token) {
  Stream st;
  st.conn = std::make_unique<SourcedConn>(s.server->port(), "127.0.0.1");
  REQUIRE(st.conn->ok());
  st.conn->send("GET /v1/admin/surveys/shop/live HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                token + "\r\nConnection: close\r\n\r\n");
  st.head = split_response(st.conn->read_until(": connected"));
  return st;
}

std::string error_code(const RawResponse& r) {
  const auto j = nps::json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"]["code"].get<std::string>() : "";
}

} // namespace

TEST_CASE("live: event streams are capped per token and in all, and a closed stream frees its slot",
          "[server][http][live]") {
  Config config;
  config.limits.threads = 40;                        // a quarter: 10 streams in all
  config.live_ping = std::chrono::milliseconds(100); // a client that left is found at the next ping
  Running s(config);
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  const auto viewer = new_token(s, "viewer"), other = new_token(s, "viewer");

  std::vector<Stream> open;
  for (int i = 0; i < 8; ++i) {
    open.push_back(open_stream(s, viewer));
    REQUIRE(open.back().head.status == 200);
  }
  auto ninth = open_stream(s, viewer);
  CHECK(ninth.head.status == 429);
  CHECK(error_code(ninth.head) == "rate_limited");
  CHECK(!ninth.head.header("Retry-After").empty());

  // Another token has its own count, up to the total of 10.
  for (int i = 0; i < 2; ++i) {
    open.push_back(open_stream(s, other));
    REQUIRE(open.back().head.status == 200);
  }
  auto over = open_stream(s, other);
  CHECK(over.head.status == 503);
  CHECK(error_code(over.head) == "unavailable");
  // Everything else is still served.
  CHECK(s.client()->Get("/v1/admin/surveys/shop/summary", s.admin())->status == 200);

  // One of the first token's streams ends: its slot comes back (within the few pings it
  // takes to notice; generous bound for a busy machine).
  open.front().conn->close();
  int status = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    auto again = open_stream(s, viewer);
    status = again.head.status;
    if (status == 200) {
      open.push_back(std::move(again));
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(status == 200);
}

TEST_CASE("promoters: streamed a page at a time, the same bytes as the whole list",
          "[server][http][followup]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  // 2,600 answers: promoters with a contact across three of the route's pages, and others.
  std::vector<std::pair<nps::Response, Millis>> rows;
  for (int i = 0; i < 2600; ++i) {
    auto r = response("shop", i % 4 == 0 ? 3 : 9 + i % 2, "key-" + std::to_string(100000 + i));
    if (i % 5 != 0) r.respondent_id = "cust-" + std::to_string(i);
    if (i % 3 == 0) r.comment = i % 6 == 0 ? "=SUM(A1), \"quoted\"" : "great";
    if (i % 7 == 0) r.locale = "de";
    rows.emplace_back(r, kNow - 1000 * i);
  }
  REQUIRE(s.server->storage().import_responses(rows) == rows.size());

  // The list as it was built before: every promoter with a respondent id, newest first.
  ResponseFilter f;
  f.survey_id = "shop";
  f.category = nps::Category::promoter;
  f.with_respondent = true;
  json items = json::array();
  std::string csv = "respondent_id,score,comment,received_at,channel,locale\r\n";
  std::optional<std::int64_t> cursor;
  do {
    auto page = s.server->storage().list_responses(f, cursor, 500);
    for (const auto& r : page.items) {
      json j = nps::to_json(r.response);
      j["id"] = r.id;
      j["category"] = std::string(nps::to_string(r.response.category()));
      j["received_at"] = iso_time(r.received_at);
      items.push_back(j);
      csv += csv_cell(r.response.respondent_id.value_or("")) + "," +
             std::to_string(r.response.score.value()) + "," + csv_cell(r.response.comment.value_or("")) +
             "," + iso_time(r.received_at) + "," + std::string(nps::to_string(r.response.channel)) + "," +
             csv_cell(r.response.locale.value_or("")) + "\r\n";
    }
    cursor = page.next;
  } while (cursor);
  REQUIRE(items.size() > 1000);

  auto c = s.client();
  auto as_json = c->Get("/v1/admin/surveys/shop/promoters", s.admin());
  REQUIRE(as_json);
  CHECK(as_json->status == 200);
  CHECK(as_json->get_header_value("Content-Type") == "application/json");
  CHECK(as_json->body == nps::dump(json{{"items", items}}));
  auto as_csv = c->Get("/v1/admin/surveys/shop/promoters?format=csv", s.admin());
  REQUIRE(as_csv);
  CHECK(as_csv->status == 200);
  CHECK(as_csv->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  CHECK(as_csv->get_header_value("Content-Disposition") == "attachment; filename=\"shop-promoters.csv\"");
  CHECK(as_csv->body == csv);
  // Sent in chunks as it is read, not built whole first.
  CHECK(as_json->get_header_value("Transfer-Encoding") == "chunked");
  CHECK(as_csv->get_header_value("Transfer-Encoding") == "chunked");

  // An empty list is still a list.
  REQUIRE(create_survey(s, {{"id", "empty"}, {"name", "Empty"}}) == 201);
  CHECK(c->Get("/v1/admin/surveys/empty/promoters", s.admin())->body == R"({"items":[]})");
}
