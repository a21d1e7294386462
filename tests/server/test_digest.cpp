// The weekly digest (digest.hpp): ISO weeks, the week's figures against the week before, one
// event per survey and week however often (and by however many processes) it is emitted, only
// to endpoints that take digests, and its e-mail in the endpoint's language. Runs against
// SQLite and, through tests/pg/with_postgres.sh, PostgreSQL.
#include "dates.hpp"
#include "digest.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"
#include "webhook_store.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::response;
using npsd::test::TempDir;

namespace {

constexpr Millis kDay = 86'400'000;
// Sunday 2025-06-15 15:06:40 UTC: the last day of ISO week 2025-W24.
constexpr Millis kSunday = 1'750'000'000'000;
// Monday 2025-06-16 10:00 UTC: W24 has ended.
const Millis kMonday = static_cast<Millis>(days_from_civil(2025, 6, 16)) * kDay + 10 * 3'600'000;

WebhookEndpoint endpoint(const std::string& url, std::vector<std::string> types) {
  WebhookEndpoint e;
  e.url = url;
  e.kind = url.rfind("mailto:", 0) == 0 ? "email" : "standard";
  e.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  e.event_types = std::move(types);
  e.created_at = e.updated_at = kSunday;
  return e;
}

void answer(Storage& db, const std::string& key, int score, Millis at, const char* comment = nullptr) {
  auto r = response("shop", score, key);
  if (comment) r.comment = comment;
  REQUIRE(db.insert_response(r, at, 0).status == Inserted::created);
}

} // namespace

TEST_CASE("digest: ISO weeks in UTC", "[server][digest]") {
  CHECK(digest::week_start(days_from_civil(2026, 11, 29)) == days_from_civil(2026, 11, 23)); // a Sunday
  CHECK(digest::week_start(days_from_civil(2026, 11, 23)) == days_from_civil(2026, 11, 23)); // its Monday
  CHECK(digest::week_label(days_from_civil(2026, 11, 23)) == "2026-W48");
  CHECK(digest::week_start(days_from_civil(2021, 1, 1)) == days_from_civil(2020, 12, 28));
  CHECK(digest::week_label(days_from_civil(2020, 12, 28)) ==
        "2020-W53"); // 1 January 2021 is in 2020's week 53
  CHECK(digest::week_label(days_from_civil(2024, 12, 30)) ==
        "2025-W01"); // and 30 December 2024 in 2025's week 1
  CHECK(digest::week_start(days_from_civil(1969, 12, 31)) == days_from_civil(1969, 12, 29));
}

TEST_CASE("digest: the ended week's figures against the week before, emitted once, to digest endpoints only",
          "[server][storage][webhooks][digest]") {
  TempDir dir;
  auto db = open_test_storage(dir, "d");
  SurveyRecord s;
  s.id = "shop";
  s.definition = R"({"id":"shop","name":"Shop"})";
  (void)db->put_survey(s, kSunday);
  SurveyRecord other;
  other.id = "other";
  other.definition = R"({"id":"other","name":"Other"})";
  (void)db->put_survey(other, kSunday);

  // No endpoint takes digests yet: nothing is emitted.
  const auto every_type = db->webhooks().add_endpoint(endpoint("https://hooks.example.com/all", {}));
  CHECK(digest::emit_due(*db, kMonday) == 0);

  // Week 24: 6 promoters, 2 passives, 2 detractors (NPS +40); week 23: 2 promoters, 8 detractors.
  int key = 0;
  auto next = [&] { return "key-" + std::to_string(10000 + ++key); };
  for (int i = 0; i < 6; ++i)
    answer(*db, next(), 10, kSunday - i * 3'600'000);
  answer(*db, next(), 8, kSunday - 2 * kDay);
  answer(*db, next(), 7, kSunday - 2 * kDay);
  answer(*db, next(), 2, kSunday - 3 * kDay, "Delivery took three weeks");
  answer(*db, next(), 5, kSunday - 1 * kDay, "");
  for (int i = 0; i < 8; ++i)
    answer(*db, next(), 3, kSunday - 7 * kDay);
  answer(*db, next(), 9, kSunday - 7 * kDay);
  answer(*db, next(), 9, kSunday - 7 * kDay, "Good, in the week before");
  answer(*db, next(), 1, kMonday, "this week's: not in last week's digest");

  const auto mail = db->webhooks().add_endpoint(endpoint("mailto:ana@example.com", {"digest.weekly"}));
  auto elsewhere = endpoint("https://hooks.example.com/other", {"digest.weekly"});
  elsewhere.survey_id = "other";
  (void)db->webhooks().add_endpoint(elsewhere);

  CHECK(digest::emit_due(*db, kMonday) == 2);           // shop (every survey's endpoint) and other
  CHECK(digest::emit_due(*db, kMonday + 600'000) == 0); // the next wake-up stores nothing
  {
    auto second_process = open_test_storage(dir, "d"); // another npsd on the same database
    CHECK(digest::emit_due(*second_process, kMonday + 1'200'000) == 0);
  }
  std::optional<OutboxEvent> shop;
  int digests = 0;
  for (const auto& e : db->webhooks().events(0, 1000))
    if (e.type == "digest.weekly") {
      ++digests;
      if (e.tags.survey_id == "shop") shop = e;
    }
  CHECK(digests == 2);
  REQUIRE(shop);
  const auto d = nps::json::parse(shop->body)["data"];
  CHECK(d["survey_name"] == "Shop");
  CHECK(d["week"] == "2025-W24");
  CHECK(d["from"] == "2025-06-09");
  CHECK(d["to"] == "2025-06-15");
  CHECK(d["this_week"]["n"] == 10);
  CHECK(d["this_week"]["nps"] == 40.0);
  CHECK(d["previous_week"]["n"] == 10);
  CHECK(d["previous_week"]["nps"] == -60.0);
  CHECK(d["change"]["difference"] == 100.0);
  CHECK(d["change"]["significant"] == true);
  REQUIRE(d["detractor_comments"].size() == 1); // the empty comment is not one
  CHECK(d["detractor_comments"][0]["comment"] == "Delivery took three weeks");
  CHECK(d["open_follow_ups"] == 2); // detractors with a comment: W24's and this week's
  // Only the endpoints naming digest.weekly get a delivery: not the one taking "every type".
  auto digest_deliveries = [&](std::int64_t endpoint_id) {
    std::size_t n = 0;
    for (const auto& dv : db->webhooks().deliveries(endpoint_id, std::nullopt, std::nullopt, 1000))
      n += dv.event.type == "digest.weekly";
    return n;
  };
  CHECK(digest_deliveries(every_type.id) == 0);
  CHECK(digest_deliveries(mail.id) == 2); // every survey: shop and other

  // The e-mail, in Spanish: decimal commas, the comment, the significance said in words.
  auto es = mail;
  es.locale = "es";
  const auto email = digest::digest_email(*shop, es, "https://nps.example.com/");
  CHECK(email.subject == "NPS semanal · Shop · 2025-W24");
  CHECK(email.html.find("Delivery took three weeks") != std::string::npos);
  CHECK(email.text.find("NPS de la semana: +40,0") != std::string::npos);
  CHECK(email.text.find("Cambio respecto a la semana anterior: +100,0") != std::string::npos);
  CHECK(email.text.find("El cambio es significativo") != std::string::npos);
  CHECK(email.text.find("https://nps.example.com/dashboard/?survey=shop") != std::string::npos);
}
