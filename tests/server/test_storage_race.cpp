// The storage contract where several writers meet (two engines on one database stand for
// two npsd processes), and the breakdowns read in SQL; run on SQLite and on PostgreSQL
// like test_storage.cpp.
#include "postgres_conn.hpp"
#include "postgres_notify.hpp"
#include "race_support.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"
#include "themes_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::race_keys;
using npsd::test::response;
using npsd::test::stored_once;
using npsd::test::TempDir;

namespace {

constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

nps::Tally summed(const std::vector<TallyRow>& rows) {
  nps::Tally t;
  for (const auto& row : rows)
    t.merge(row.tally);
  return t;
}

} // namespace

TEST_CASE(
    "storage: 8 threads on two engines racing on the same keys under a daily cap store each key once and "
    "stop exactly at the cap",
    "[server][storage]") {
  TempDir dir;
  auto a = open_test_storage(dir, "race");
  auto b = open_test_storage(dir, "race"); // a second process on the same database
  constexpr int kThreads = 8, kKeys = 120, kCap = 90;
  const auto outcomes = race_keys(*a, *b, kThreads, kKeys, [](Storage& db, int k) {
    auto r = response("s1", k % 11, "key-" + std::to_string(100000 + k));
    r.channel = k % 3 ? nps::Channel::web : nps::Channel::email;
    return std::pair{r.idempotency_key, db.insert_response(r, kT0 + k, kCap).status};
  });

  CHECK(stored_once(outcomes, kThreads) == kCap);
  CHECK(a->count_responses("s1") == kCap);
  CHECK(b->count_responses("s1") == kCap);
  CHECK(test::raw_count(dir, "race", "s1") == kCap);
  const auto day = day_of(kT0);
  CHECK(summed(a->tallies("s1", day, day)) == a->scan_tally("s1"));
  const auto total = a->tally_groups(TallyQuery{"s1", day, day, {}, {}, {}, TallyGroup::all});
  REQUIRE(total.size() == 1);
  CHECK(total[0].tally == a->scan_tally("s1"));
  CHECK(total[0].tally.n() == static_cast<std::uint64_t>(kCap));
}

TEST_CASE("storage: tallies are summed per day, channel, locale and device, and filtered by segment",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "groups");
  const Millis kDay = 86'400'000;
  for (int i = 0; i < 12; ++i) {
    auto r = response("s1", i % 11, "key-" + std::to_string(10000 + i));
    r.channel = i % 2 ? nps::Channel::web : nps::Channel::email;
    if (i % 3) r.locale = i % 3 == 1 ? "fr" : "de";
    if (i < 4) r.device = nps::Device::mobile;
    (void)db->insert_response(r, kT0 + (i % 3) * kDay, 0);
  }
  const auto d0 = day_of(kT0);
  TallyQuery q{"s1", d0, d0 + 2, {}, {}, {}, TallyGroup::day};
  const auto days = db->tally_groups(q);
  REQUIRE(days.size() == 3);
  CHECK(days[0].day == d0);
  CHECK(days[2].day == d0 + 2);
  CHECK(days[1].tally.n() == 4);
  q.group = TallyGroup::locale;
  const auto locales = db->tally_groups(q);
  REQUIRE(locales.size() == 3); // "", "de", "fr" in byte order
  CHECK(locales[0].key.empty());
  CHECK(locales[1].key == "de");
  CHECK(locales[2].key == "fr");
  CHECK(locales[2].tally.n() == 4);
  q.group = TallyGroup::device;
  q.channel = "web";
  const auto devices = db->tally_groups(q);
  REQUIRE(devices.size() == 2);
  CHECK(devices[0].key.empty());
  CHECK(devices[1].key == "mobile");
  CHECK(devices[1].tally.n() == 2); // i = 1, 3
  q = TallyQuery{"s1", d0, d0, {}, {}, {}, TallyGroup::all};
  q.locale = "fr";
  CHECK(db->tally_groups(q).empty()); // locale fr is i % 3 == 1: never on day 0
  q.locale.reset();
  CHECK(db->tally_groups(q)[0].tally.n() == 4);
  CHECK(db->tally_groups(TallyQuery{"nope", d0, d0, {}, {}, {}, TallyGroup::all}).empty());
}

TEST_CASE("storage: answers are counted by page and by an attribute's value, with filters",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "scores");
  for (int i = 0; i < 10; ++i) {
    auto r = response("s1", i, "key-" + std::to_string(10000 + i));
    if (i % 2) r.page = "/pricing";
    r.attributes = nps::json{{"plan", i < 4 ? "pro" : "free"}, {"seats", i % 3}, {"trial", i == 0}};
    if (i == 9) r.attributes = nps::json::object();
    (void)db->insert_response(r, kT0, 0);
  }
  ResponseFilter f;
  f.survey_id = "s1";
  const auto pages = db->score_groups(f, std::nullopt);
  REQUIRE(pages.size() == 2);
  CHECK(pages[0].key.empty());
  CHECK(pages[1].key == "/pricing");
  CHECK(pages[1].tally.n() == 5);
  CHECK(pages[1].tally.count(9) == 1);
  const auto plans = db->score_groups(f, std::string("plan"));
  REQUIRE(plans.size() == 3); // "" (no attributes), free, pro
  CHECK(plans[0].key.empty());
  CHECK(plans[0].tally.count(9) == 1);
  CHECK(plans[1].key == "free");
  CHECK(plans[2].key == "pro");
  CHECK(plans[2].tally.n() == 4);
  const auto seats = db->score_groups(f, std::string("seats"));
  REQUIRE(seats.size() == 4); // "", 0, 1, 2
  CHECK(seats[1].key == "0");
  CHECK(seats[1].tally.n() == 3); // i = 0, 3, 6
  const auto trial = db->score_groups(f, std::string("trial"));
  REQUIRE(trial.size() == 3); // "", false, true
  CHECK(trial[2].key == "true");
  CHECK(trial[2].tally.count(0) == 1);
  f.category = nps::Category::detractor; // 0..6
  const auto detractor_pages = db->score_groups(f, std::nullopt);
  REQUIRE(detractor_pages.size() == 2);
  CHECK(detractor_pages[1].tally.n() == 3); // 1, 3, 5
}

// Issue 18: the writer folds the counts of the answers of one group commit (SQLite) or sends
// their statements pipelined (PostgreSQL). Many threads make batches of several answers.
namespace {

ThemeQuery all_days(const std::string& survey) {
  ThemeQuery q;
  q.survey_id = survey;
  q.from_day = day_of(kT0) - 2;
  q.to_day = day_of(kT0) + 2;
  return q;
}

} // namespace

TEST_CASE("storage: a batch mixing duplicates of one key, a daily cap reached mid-batch, comments and an "
          "update is stored once, stops at the cap and counts exactly",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "batch");
  constexpr int kThreads = 12, kKeys = 60, kCap = 40;
  std::mutex mu;
  std::map<std::string, std::vector<Inserted>> outcomes;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = t % 4; k < kKeys; k += 4) { // each key sent by three threads at once
        auto r = response("s1", k % 11, "key-" + std::to_string(100000 + k));
        r.comment = k % 2 ? "slow delivery" : "Slow support";
        r.locale = "en";
        r.channel = k % 3 ? nps::Channel::web : nps::Channel::email;
        const auto out = db->insert_response(r, kT0 + k, kCap);
        std::lock_guard lock(mu);
        outcomes[r.idempotency_key].push_back(out.status);
      }
    });
  }
  threads.emplace_back([&] { // a write that does not fold, among the batches
    for (int i = 0; i < 20; ++i) {
      auto r = response("s1", i % 11, "key-100000");
      r.comment = "slow again";
      (void)db->update_response(r);
    }
  });
  for (auto& th : threads)
    th.join();

  CHECK(stored_once(outcomes, 3) == kCap);
  CHECK(db->count_responses("s1") == kCap);
  const auto day = day_of(kT0);
  CHECK(summed(db->tallies("s1", day, day)) == db->scan_tally("s1"));
  const auto total = db->tally_groups(TallyQuery{"s1", day, day, {}, {}, {}, TallyGroup::all});
  REQUIRE(total.size() == 1);
  CHECK(total[0].tally == db->scan_tally("s1"));
  // Every stored answer's comment says "slow": counted once each, in every table of themes.
  CHECK(db->themes().commenters(all_days("s1")) == db->scan_tally("s1"));
  CHECK(db->themes().mentioning(all_days("s1"), "slow") == db->scan_tally("s1"));
  auto web = all_days("s1");
  web.channel = "web";
  ResponseFilter f;
  f.survey_id = "s1";
  f.channel = "web";
  nps::Tally web_rows;
  for (const auto& item : db->list_responses(f, std::nullopt, 1000).items)
    web_rows.add(item.response.score);
  CHECK(db->themes().mentioning(web, "slow") == web_rows);
}

TEST_CASE("storage: an answer that fails inside a batch fails alone, and the others of the batch are stored "
          "whole with their counts",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "failing");
  constexpr int kThreads = 8, kEach = 30;
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int k = t * kEach + i;
        auto r = response("s1", k % 11, "key-" + std::to_string(100000 + k));
        r.comment = "late parcel";
        r.locale = "en";
        // PostgreSQL cannot store a NUL character: that answer fails (SQLite stores it whole).
        if (t == 0 && i % 5 == 0) r.comment = std::string("late\0parcel", 11);
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
  CHECK(failed <= kEach / 5);
  CHECK(db->count_responses("s1") == static_cast<std::uint64_t>(created.load()));
  const auto day = day_of(kT0);
  CHECK(summed(db->tallies("s1", day, day)) == db->scan_tally("s1"));
  CHECK(db->scan_tally("s1").n() == static_cast<std::uint64_t>(created.load()));
  CHECK(db->themes().commenters(all_days("s1")) == db->scan_tally("s1"));
  for (int k = kEach; k < kThreads * kEach; k += 7) // every answer of the other threads is there
    CHECK(db->find_response("s1", "key-" + std::to_string(100000 + k)));
}

TEST_CASE("storage: a pipelined PostgreSQL statement that fails is reported by the next awaited one, and the "
          "connection is usable after the rollback",
          "[server][storage]") {
  const auto url = test::test_pg_url();
  if (!url) {
    SUCCEED("SQLite sends nothing pipelined");
    return;
  }
  pg::Conn c(*url);
  c.exec("CREATE TEMP TABLE pipelined (v integer PRIMARY KEY)");
  const std::string insert = "INSERT INTO pipelined VALUES ($1)";
  c.later("BEGIN", {}, false);
  c.later(insert, pg::Params().add(1));
  c.later(insert, pg::Params().add(1)); // the same key: fails on the server
  c.later(insert, pg::Params().add(2)); // skipped after the failure
  try {
    (void)c.run("SELECT count(*) FROM pipelined");
    FAIL("the failure was not reported");
  } catch (const pg::LaterError& e) {
    CHECK(e.sqlstate() == "23505");
  }
  c.exec("ROLLBACK");
  CHECK(c.reusable());
  c.later("BEGIN", {}, false);
  c.later(insert, pg::Params().add(3));
  c.later(insert, pg::Params().add(4));
  CHECK(c.run("SELECT count(*) FROM pipelined").i64(0, 0) == 2); // read with the statements before it
  c.later(insert, pg::Params().add(5));
  (void)c.once("COMMIT"); // carries the last one
  CHECK(c.reusable());
  CHECK(c.run("SELECT count(*) FROM pipelined").i64(0, 0) == 3);
}

TEST_CASE("storage: counts stay exact when one writer changes or removes an answer another counted",
          "[server][storage]") {
  // Two engines on one database, as two npsd processes: on PostgreSQL each writer adds its
  // counts to rows of its own (schema migration 14), so a change through the other one
  // subtracts from rows that never held the answer. Only the sums may be read.
  TempDir dir;
  auto a = open_test_storage(dir, "slots");
  auto b = open_test_storage(dir, "slots");
  auto given = [](const std::string& key, int score, const std::string& comment, const std::string& who) {
    auto r = response("s1", score, key);
    r.comment = comment;
    r.locale = "en";
    r.page = "/pricing";
    r.respondent_id = who;
    return r;
  };
  const auto x = given("key-x", 9, "The price is fair", "person-x");
  REQUIRE(a->insert_response(x, kT0, 0).status == Inserted::created);
  REQUIRE(b->insert_response(given("key-y", 10, "Great price", "person-y"), kT0, 0).status ==
          Inserted::created);
  auto changed = x; // counted by a as a passive; b makes it a promoter
  changed.score = nps::Score::from_int(10).value();
  changed.comment = "A fair price";
  REQUIRE(b->update_response(changed));

  const auto day = day_of(kT0);
  const auto price = comment_terms("price", "en").at(0).key;
  const ThemeQuery q{"s1", day, day, std::nullopt};
  auto expect = [&](Storage& db, std::uint64_t promoters) {
    const auto total = db.tally_groups(TallyQuery{"s1", day, day, {}, {}, {}, TallyGroup::all});
    REQUIRE(total.size() == 1);
    CHECK(total[0].tally.n() == promoters);
    CHECK(total[0].tally.count(10) == promoters);
    CHECK(total[0].tally == db.scan_tally("s1"));
    const auto rows = db.tallies("s1", day, day); // one row per day and segment, however written
    REQUIRE(rows.size() == 1);
    CHECK(summed(rows) == total[0].tally);
    const auto pages = db.dim_groups("s1", day, day, std::nullopt);
    REQUIRE(pages);
    REQUIRE(pages->size() == 1);
    CHECK((*pages)[0].key == "/pricing");
    CHECK((*pages)[0].tally == total[0].tally);
    auto& themes = db.themes();
    CHECK(themes.commenters(q) == total[0].tally);
    CHECK(themes.mentioning(q, price) == total[0].tally);
    const auto terms = themes.terms(q, 1);
    const auto row = std::find_if(terms.begin(), terms.end(), [&](const auto& t) { return t.term == price; });
    REQUIRE(row != terms.end());
    CHECK(row->passives == 0);
    CHECK(row->promoters == promoters);
  };
  expect(*a, 2);
  expect(*b, 2);
  // The answer b counted, deleted through a.
  CHECK(a->delete_respondent("person-y") == 1);
  expect(*a, 1);
  expect(*b, 1);
}

TEST_CASE("storage: the PostgreSQL change feed reads one change per answer a notification names, and none "
          "from a malformed one",
          "[server][storage]") {
  using Kind = Change::Kind;
  const auto one = pg::parse_changes("r 42 s1");
  REQUIRE(one.size() == 1);
  CHECK(one[0].kind == Kind::response);
  CHECK(one[0].response_id == 42);
  CHECK(one[0].survey_id == "s1");
  const auto batch = pg::parse_changes("r 7,8,1000000000000 nps-home"); // one statement's answers
  REQUIRE(batch.size() == 3);
  CHECK(batch[2].response_id == 1000000000000);
  CHECK(batch[1].survey_id == "nps-home");
  CHECK(pg::parse_changes("s nps-home").at(0).kind == Kind::survey);
  CHECK(pg::parse_changes("t").at(0).kind == Kind::tokens);
  for (const char* bad : {"r 1,,2 s1", "r 1,x s1", "r ,1 s1", "r 1, s1", "r 0 s1", "r -3 s1", "r 1 ", "r 1",
                          "r  s1", "x 1 s1", "s ", "", "r 99999999999999999999 s1"}) {
    INFO(bad);
    CHECK(pg::parse_changes(bad).empty());
  }
}
