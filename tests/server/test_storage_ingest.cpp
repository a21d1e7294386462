// Ingestion where several writers meet (issue 18): two engines on one database (two npsd
// processes) racing on the same keys of two surveys, over two days, with comments and a daily
// cap, count every table exactly; and an answer whose count statement the database refuses
// fails alone, the others of its batch stored with their counts. What an engine that writes
// an answer's counts later in its batch (or once per batch) must keep. SQLite and PostgreSQL.
#include "race_support.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"
#include "themes_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::race_keys;
using npsd::test::response;
using npsd::test::stored_once;
using npsd::test::TempDir;

namespace {

constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15
constexpr Millis kDay = 86'400'000;

ThemeQuery days_of(const std::string& survey) {
  ThemeQuery q;
  q.survey_id = survey;
  q.from_day = day_of(kT0) - 1;
  q.to_day = day_of(kT0) + 2;
  return q;
}

nps::Tally summed(const std::vector<TallyRow>& rows) {
  nps::Tally t;
  for (const auto& row : rows)
    t.merge(row.tally);
  return t;
}

// The stored answers of `survey` on `day`, counted from their rows.
nps::Tally rows_of(Storage& db, const std::string& survey, std::int32_t day, const char* text = nullptr) {
  ResponseFilter f;
  f.survey_id = survey;
  f.from = static_cast<Millis>(day) * kDay;
  f.to = f.from.value() + kDay;
  if (text) f.text = text;
  nps::Tally t;
  for (const auto& item : db.list_responses(f, std::nullopt, 100000).items)
    t.add(item.response.score);
  return t;
}

} // namespace

TEST_CASE("storage: two engines racing on the same keys of two surveys over two days, with comments and a "
          "daily cap, count every table exactly",
          "[server][storage]") {
  TempDir dir;
  auto a = open_test_storage(dir, "fold-race");
  auto b = open_test_storage(dir, "fold-race"); // a second process on the same database
  constexpr int kThreads = 8, kKeys = 160, kCap = 50;
  const auto outcomes = race_keys(*a, *b, kThreads, kKeys, [](Storage& db, int k) {
    // s1 capped per day, s2 not; two days; every key sent by every thread.
    const std::string survey = k % 2 ? "s2" : "s1";
    auto r = response(survey, k % 11, "key-" + std::to_string(100000 + k));
    r.comment = k % 3 ? "slow delivery" : "quick support";
    r.locale = "en";
    r.channel = k % 4 ? nps::Channel::web : nps::Channel::email;
    const Millis at = kT0 + (k % 5 == 0 ? kDay : 0) + k;
    return std::pair{survey + "/" + r.idempotency_key,
                     db.insert_response(r, at, survey == "s1" ? kCap : 0).status};
  });

  std::map<std::string, int> stored;
  for (const std::string survey : {"s1", "s2"}) {
    npsd::test::Outcomes mine;
    for (const auto& [key, seen] : outcomes)
      if (key.rfind(survey + "/", 0) == 0) mine.emplace(key, seen);
    stored[survey] = stored_once(mine, kThreads);
  }
  const auto day = day_of(kT0);
  // s1: 80 keys, 16 of them on the second day (under the cap), 64 on the first: capped at 50.
  CHECK(stored["s1"] == kCap + 16);
  CHECK(stored["s2"] == kKeys / 2);
  for (const std::string survey : {"s1", "s2"}) {
    INFO(survey);
    CHECK(a->count_responses(survey) == static_cast<std::uint64_t>(stored[survey]));
    CHECK(summed(b->tallies(survey, day - 1, day + 2)) == a->scan_tally(survey));
    for (const auto d : {day, day + 1}) {
      const auto total = b->tally_groups(TallyQuery{survey, d, d, {}, {}, {}, TallyGroup::all});
      REQUIRE(total.size() == 1);
      CHECK(total[0].tally == rows_of(*a, survey, d));
    }
    CHECK(a->themes().commenters(days_of(survey)) == a->scan_tally(survey));
    nps::Tally slow, web_slow;
    for (const auto d : {day, day + 1})
      slow.merge(rows_of(*a, survey, d, "slow"));
    CHECK(b->themes().mentioning(days_of(survey), "slow") == slow);
    CHECK(b->themes().mentioning(days_of(survey), "quick").n() + slow.n() == a->scan_tally(survey).n());
    auto web = days_of(survey);
    web.channel = "web";
    ResponseFilter f;
    f.survey_id = survey;
    f.channel = "web";
    f.text = "slow";
    for (const auto& item : a->list_responses(f, std::nullopt, 1000).items)
      web_slow.add(item.response.score);
    CHECK(a->themes().mentioning(web, "slow") == web_slow);
    CHECK(a->themes().comments(days_of(survey), "slow", 1000).size() == slow.n());
  }
}

TEST_CASE("storage: an answer whose term-count statement fails fails alone, and the others of its batch are "
          "stored with their counts",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "fold-fail");
  // The counts of a term are refused by the database (PostgreSQL: a trigger on the term table,
  // met by the statement that counts the answer's terms; SQLite: nothing refused).
  const bool postgres = test::test_pg_url().has_value();
  if (postgres)
    test::raw_exec(
        dir, "fold-fail",
        "CREATE FUNCTION refuse_term() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.term LIKE "
        "'zebra%' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$; "
        "CREATE TRIGGER refuse_term BEFORE INSERT ON theme_terms FOR EACH ROW EXECUTE FUNCTION "
        "refuse_term();");
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int k = t * kEach + i;
        auto r = response("s1", k % 11, "key-" + std::to_string(100000 + k));
        r.comment = k % 10 == 3 ? "zebra crossing" : "late parcel";
        r.locale = "en";
        try {
          if (db->insert_response(r, kT0, 0).status == Inserted::created) ++created;
        } catch (const StorageError&) {
          ++failed;
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  CHECK(created + failed == kThreads * kEach);
  CHECK(failed == (postgres ? kThreads * kEach / 10 : 0));
  CHECK(db->count_responses("s1") == static_cast<std::uint64_t>(created.load()));
  const auto day = day_of(kT0);
  CHECK(summed(db->tallies("s1", day, day)) == db->scan_tally("s1"));
  CHECK(db->themes().commenters(days_of("s1")) == db->scan_tally("s1"));
  CHECK(db->themes().mentioning(days_of("s1"), "parcel").n() ==
        db->scan_tally("s1").n() - (postgres ? 0 : kThreads * kEach / 10));
  for (int k = 0; k < kThreads * kEach; ++k) {
    INFO(k);
    CHECK(db->find_response("s1", "key-" + std::to_string(100000 + k)).has_value() ==
          (!postgres || k % 10 != 3));
  }
}
