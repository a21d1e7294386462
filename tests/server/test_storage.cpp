// The storage contract, run against the SQLite engine on real files, and against a real
// PostgreSQL server when NPSD_TEST_PG_URL is set (tests/pg/with_postgres.sh).
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::response;
using npsd::test::TempDir;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

nps::Tally all_tallies(const Storage& s, const std::string& survey) {
  nps::Tally t;
  for (const auto& row : s.tallies(survey, 0, 1'000'000))
    t.merge(row.tally);
  return t;
}

} // namespace

TEST_CASE("storage: a response is stored once and counted once per idempotency key", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "a");
  auto r = response("s1", 9, "key-00001");
  r.comment = "great";
  r.channel = nps::Channel::web;
  r.locale = "es-MX";
  r.device = nps::Device::mobile;

  auto first = db->insert_response(r, kT0, 0);
  REQUIRE(first.status == Inserted::created);
  CHECK(first.stored.id > 0);

  auto again = r;
  again.score = nps::Score::from_int(2).value(); // a retry must not change anything
  auto second = db->insert_response(again, kT0 + 5000, 0);
  CHECK(second.status == Inserted::duplicate);
  CHECK(second.stored.id == first.stored.id);
  CHECK(second.stored.response.score.value() == 9);
  CHECK(db->count_responses("s1") == 1);

  auto rows = db->tallies("s1", day_of(kT0), day_of(kT0));
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].channel == "web");
  CHECK(rows[0].locale == "es-MX");
  CHECK(rows[0].device == "mobile");
  CHECK(rows[0].tally.count(9) == 1);
  CHECK(rows[0].tally.n() == 1);

  auto found = db->find_response("s1", "key-00001");
  REQUIRE(found);
  CHECK(found->response == r);
}

TEST_CASE("storage: schema survives reopening and data is kept", "[server][storage]") {
  TempDir dir;
  {
    auto db = open_test_storage(dir, "b");
    (void)db->insert_response(response("s1", 10, "key-00001"), kT0, 0);
  }
  auto db = open_test_storage(dir, "b");
  CHECK(db->count_responses("s1") == 1);
  CHECK(all_tallies(*db, "s1").count(10) == 1);
}

TEST_CASE("storage: concurrent writers are batched and each gets its own outcome", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "c");
  constexpr int kThreads = 16, kEach = 40;
  std::atomic<int> created{0}, duplicates{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every key is sent by two threads: exactly one of them creates it.
        const int k = (t / 2) * kEach + i;
        auto out = db->insert_response(response("s1", k % 11, "key-" + std::to_string(100000 + k)), kT0, 0);
        (out.status == Inserted::created ? created : duplicates)++;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  CHECK(created == kThreads / 2 * kEach);
  CHECK(duplicates == kThreads / 2 * kEach);
  CHECK(db->count_responses("s1") == kThreads / 2 * kEach);
  CHECK(all_tallies(*db, "s1") == db->scan_tally("s1"));
}

TEST_CASE("storage: the daily cap counts the day's answers", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "d");
  for (int i = 0; i < 3; ++i)
    CHECK(db->insert_response(response("s1", 8, "key-0000" + std::to_string(i)), kT0, 3).status ==
          Inserted::created);
  CHECK(db->insert_response(response("s1", 8, "key-00009"), kT0, 3).status == Inserted::cap_reached);
  // A retry of an accepted answer is still answered with the original.
  CHECK(db->insert_response(response("s1", 8, "key-00001"), kT0, 3).status == Inserted::duplicate);
  // The next day starts again.
  CHECK(db->insert_response(response("s1", 8, "key-00009"), kT0 + kDay, 3).status == Inserted::created);
  CHECK(db->count_responses("s1") == 4);
}

TEST_CASE("storage: a follow-up update keeps tallies unless the score moves", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "e");
  (void)db->insert_response(response("s1", 6, "key-00001"), kT0, 0);
  auto patch = response("s1", 6, "key-00001");
  patch.comment = "slow support";
  auto updated = db->update_response(patch);
  REQUIRE(updated);
  CHECK(updated->response.comment == "slow support");
  CHECK(all_tallies(*db, "s1").count(6) == 1);

  patch.score = nps::Score::from_int(9).value();
  REQUIRE(db->update_response(patch));
  CHECK(all_tallies(*db, "s1").count(6) == 0);
  CHECK(all_tallies(*db, "s1").count(9) == 1);
  CHECK(all_tallies(*db, "s1") == db->scan_tally("s1"));

  CHECK_FALSE(db->update_response(response("s1", 6, "key-missing")));
}

TEST_CASE("storage: responses are listed newest first with filters and a cursor", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "f");
  for (int i = 0; i < 25; ++i) {
    auto r = response("s1", i % 11, "key-" + std::to_string(10000 + i));
    r.channel = i % 2 ? nps::Channel::web : nps::Channel::email;
    if (i % 5 == 0) r.comment = i == 10 ? "The 100% PRICE was too high" : "fine";
    r.attributes = nps::json{{"plan", i < 10 ? "pro" : "free"}, {"seats", i}, {"trial", i == 3}};
    (void)db->insert_response(r, kT0 + i * kDay, 0);
  }
  ResponseFilter f;
  f.survey_id = "s1";
  std::vector<std::int64_t> seen;
  std::optional<std::int64_t> cursor;
  do {
    auto page = db->list_responses(f, cursor, 10);
    for (auto& it : page.items)
      seen.push_back(it.id);
    cursor = page.next;
  } while (cursor);
  REQUIRE(seen.size() == 25);
  CHECK(std::is_sorted(seen.rbegin(), seen.rend()));

  auto count = [&](ResponseFilter g) { return db->list_responses(g, std::nullopt, 100).items.size(); };
  auto g = f;
  g.channel = "web";
  CHECK(count(g) == 12);
  g = f;
  g.category = nps::Category::promoter; // scores 9, 10: i = 9, 10, 20, 21
  CHECK(count(g) == 4);
  g = f;
  g.score = 0;
  CHECK(count(g) == 3);
  g = f;
  g.text = "100% price";
  CHECK(count(g) == 1);
  g = f;
  g.from = kT0 + 20 * kDay;
  g.to = kT0 + 22 * kDay;
  CHECK(count(g) == 2);
  g = f;
  g.attribute_key = "plan";
  g.attribute_value = "pro";
  CHECK(count(g) == 10);
  g.attribute_key = "seats";
  g.attribute_value = "7";
  CHECK(count(g) == 1);
  g.attribute_key = "trial";
  g.attribute_value = "true";
  CHECK(count(g) == 1);
}

TEST_CASE("storage: deleting a respondent removes every answer and the tallies follow", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "g");
  for (int i = 0; i < 6; ++i) {
    auto r = response(i < 3 ? "s1" : "s2", 10, "key-" + std::to_string(10000 + i));
    if (i % 2 == 0) r.respondent_id = "user-42";
    (void)db->insert_response(r, kT0 + i * kDay, 0);
  }
  CHECK(db->respondent("user-42").size() == 3);
  CHECK(db->delete_respondent("user-42") == 3);
  CHECK(db->respondent("user-42").empty());
  CHECK(db->count_responses("s1") + db->count_responses("s2") == 3);
  CHECK(all_tallies(*db, "s1") == db->scan_tally("s1"));
  CHECK(all_tallies(*db, "s2") == db->scan_tally("s2"));
}

TEST_CASE("storage: retention anonymises or removes old answers", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "h");
  for (int i = 0; i < 4; ++i) {
    auto r = response("s1", 3, "key-" + std::to_string(10000 + i));
    r.comment = "private";
    r.respondent_id = "u" + std::to_string(i);
    (void)db->insert_response(r, kT0 + i * kDay, 0);
  }
  CHECK(db->apply_retention(kT0 + 2 * kDay, RetentionMode::anonymize) == 2);
  auto old = db->find_response("s1", "key-10000");
  REQUIRE(old);
  CHECK_FALSE(old->response.comment);
  CHECK_FALSE(old->response.respondent_id);
  CHECK(all_tallies(*db, "s1").n() == 4);

  CHECK(db->apply_retention(kT0 + 3 * kDay, RetentionMode::remove) == 3);
  CHECK(db->count_responses("s1") == 1);
  CHECK(all_tallies(*db, "s1") == db->scan_tally("s1"));
}

TEST_CASE("storage: surveys are versioned and archived, tokens are kept by hash", "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "i");
  auto s = db->put_survey(SurveyRecord{"s1", R"({"id":"s1"})", 0, false, "\"e1\"", 0}, kT0);
  CHECK(s.version == 1);
  s = db->put_survey(SurveyRecord{"s1", R"({"id":"s1","name":"x"})", 0, false, "\"e2\"", 0}, kT0 + 1);
  CHECK(s.version == 2);
  CHECK(s.etag == "\"e2\"");
  CHECK(db->set_archived("s1", true, kT0 + 2));
  CHECK(db->survey("s1")->archived);
  CHECK_FALSE(db->set_archived("nope", true, kT0));
  CHECK(db->surveys().size() == 1);

  auto t = db->add_token(TokenRecord{0, std::string(64, 'a'), Role::editor, "ci", kT0});
  CHECK(t.id > 0);
  CHECK(db->tokens().size() == 1);
  CHECK(db->tokens()[0].role == Role::editor);
  CHECK(db->delete_token(t.id));
  CHECK(db->tokens().empty());
}

TEST_CASE("storage: an import stores many answers in one go, skips keys already stored, and tallies follow",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "import");
  for (int i = 0; i < 10; ++i) // already there: an import must not count them again
    REQUIRE(db->insert_response(response("s1", 10, "key-" + std::to_string(10000 + i)), kT0, 0).status ==
            Inserted::created);
  std::vector<std::pair<nps::Response, Millis>> rows;
  for (int i = 0; i < 1000; ++i)
    rows.emplace_back(response("s1", i % 11, "key-" + std::to_string(10000 + i)), kT0 + (i % 30) * kDay);
  CHECK(db->import_responses(rows) == 990);
  CHECK(db->count_responses("s1") == 1000);
  CHECK(all_tallies(*db, "s1") == db->scan_tally("s1"));
  CHECK(db->import_responses(rows) == 0); // a retried import changes nothing
  CHECK(db->count_responses("s1") == 1000);
}

TEST_CASE("storage: promoters who left a contact are read page by page, newest first, each once",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "promoters");
  std::vector<std::pair<nps::Response, Millis>> rows;
  for (int i = 0; i < 1000; ++i) {
    auto r = response(i % 10 == 0 ? "s2" : "s1", i % 11, "key-" + std::to_string(10000 + i));
    if (i % 3 == 0) r.respondent_id = "cust-" + std::to_string(i);
    rows.emplace_back(r, kT0 + i * 1000);
  }
  REQUIRE(db->import_responses(rows) == 1000);

  ResponseFilter f; // what GET …/promoters asked of list_responses before
  f.survey_id = "s1";
  f.category = nps::Category::promoter;
  f.with_respondent = true;
  const auto expected = db->list_responses(f, std::nullopt, 1000).items;
  REQUIRE(expected.size() > 20);

  std::vector<StoredResponse> seen;
  std::optional<std::int64_t> cursor;
  int pages = 0;
  do {
    auto page = db->promoters("s1", cursor, 7);
    CHECK(page.items.size() <= 7);
    for (auto& s : page.items)
      seen.push_back(std::move(s));
    cursor = page.next;
    ++pages;
  } while (cursor && pages < 1000);
  CHECK(pages == static_cast<int>((expected.size() + 6) / 7));
  REQUIRE(seen.size() == expected.size());
  for (std::size_t i = 0; i < seen.size(); ++i) {
    CHECK(seen[i].id == expected[i].id);
    CHECK(seen[i].response == expected[i].response);
    CHECK(seen[i].response.score.value() >= 9);
    CHECK(seen[i].response.respondent_id);
  }
  CHECK(std::is_sorted(seen.rbegin(), seen.rend(), [](const auto& a, const auto& b) { return a.id < b.id; }));
  // A limit of 0 reads one; past the last page, nothing.
  CHECK(db->promoters("s1", std::nullopt, 0).items.size() == 1);
  CHECK(db->promoters("s1", seen.back().id, 10).items.empty());
  CHECK(db->promoters("nope", std::nullopt, 10).items.empty());
}
