// Comment search, on both engines: whatever index serves it (SQLite's FTS5 trigram table,
// PostgreSQL's pg_trgm), the answers found are the ones whose comment holds the text, newest
// first, and they follow edits, deletions and retention.
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <vector>

using namespace npsd;
using namespace npsd::test;

namespace {

constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

std::vector<std::string> found(const Storage& db, const std::string& text) {
  ResponseFilter f;
  f.survey_id = "s1";
  f.text = text;
  std::vector<std::string> keys;
  std::optional<std::int64_t> cursor;
  do {
    auto page = db.list_responses(f, cursor, 2);
    for (const auto& it : page.items)
      keys.push_back(it.response.idempotency_key);
    cursor = page.next;
  } while (cursor);
  return keys;
}

} // namespace

TEST_CASE("storage: comment search finds the comments holding the text, newest first, and follows edits and "
          "deletions",
          "[server][storage]") {
  TempDir dir;
  auto db = open_test_storage(dir, "search");
  const char* comments[] = {"The delivery was late",    "Доставка опоздала на неделю",
                            "送货太慢了，客服也不回复", "Great DELIVERY service",
                            "50% off was a lie",        "no comment on delivery"};
  for (int i = 0; i < 6; ++i) {
    auto r = response("s1", i, "key-0000" + std::to_string(i));
    r.comment = comments[i];
    if (i == 5) r.respondent_id = "user-5";
    (void)db->insert_response(r, kT0 + i, 0);
  }
  auto other = response("s2", 3, "key-other");
  other.comment = "delivery in another survey";
  (void)db->insert_response(other, kT0, 0);

  CHECK(found(*db, "delivery") == std::vector<std::string>{"key-00005", "key-00003", "key-00000"});
  CHECK(found(*db, "Доставка") == std::vector<std::string>{"key-00001"});
  CHECK(found(*db, "客服") == std::vector<std::string>{"key-00002"}); // two characters: read from the rows
  CHECK(found(*db, "客服也不") == std::vector<std::string>{"key-00002"});
  CHECK(found(*db, "50% off") ==
        std::vector<std::string>{"key-00004"}); // a wildcard in the text is a character
  CHECK(found(*db, "5_%").empty());
  CHECK(found(*db, "nothing like this").empty());

  // A follow-up replaces a comment: the old words are not found any more, the new ones are.
  auto edited = response("s1", 0, "key-00000");
  edited.comment = "Arrived on time after all";
  REQUIRE(db->update_response(edited));
  CHECK(found(*db, "delivery") == std::vector<std::string>{"key-00005", "key-00003"});
  CHECK(found(*db, "on time") == std::vector<std::string>{"key-00000"});

  // A respondent's deletion takes their comment out of the search.
  CHECK(db->delete_respondent("user-5") == 1);
  CHECK(found(*db, "delivery") == std::vector<std::string>{"key-00003"});

  // Retention that anonymises drops the comments it reaches.
  (void)db->apply_retention(kT0 + 4, RetentionMode::anonymize);
  CHECK(found(*db, "delivery").empty());
  CHECK(found(*db, "50% off") == std::vector<std::string>{"key-00004"});
}

// Issue 18: SQLite indexes the comments of a group commit's answers once, at the end of the
// batch (sqlite_ingest.hpp; migration 15 dropped the insert trigger). Every answer stored by
// racing requests (batches of many answers, follow-up edits between them) or imported is found,
// and FTS5's own check of the index against the rows passes (a comment indexed twice or not at
// all fails it).
namespace {

std::vector<std::string> found_all(const Storage& db, const std::string& text) {
  ResponseFilter f;
  f.survey_id = "s1";
  f.text = text;
  std::vector<std::string> keys;
  for (const auto& it : db.list_responses(f, std::nullopt, 100000).items)
    keys.push_back(it.response.idempotency_key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string tagged(int k) { return "tag" + std::to_string(10000 + k) + "x"; }

// SQLite only: FTS5 compares its index with the comments of responses (throws when they differ).
void check_index(const TempDir& dir, const std::string& name) {
  if (test_pg_url()) return;
  CHECK_NOTHROW(
      raw_exec(dir, name, "INSERT INTO responses_fts (responses_fts, rank) VALUES ('integrity-check', 1)"));
}

} // namespace

TEST_CASE(
    "storage: comment search finds every answer stored in a batch or imported, through edits and deletions",
    "[server][storage][search]") {
  TempDir dir;
  auto db = open_test_storage(dir, "batch");
  constexpr int kThreads = 8, kEach = 30, kFirst = 4;
  std::map<std::string, std::string> model; // key -> comment ('' for none)
  auto key_of = [](int k) { return "key-" + std::to_string(100000 + k); };
  auto answer = [&](int k) {
    auto r = response("s1", k % 11, key_of(k));
    if (k % 7 == 1)
      r.comment = ""; // k % 7 == 0: none at all
    else if (k % 7 != 0)
      r.comment = "late parcel " + tagged(k);
    if (k < 1000) r.respondent_id = "person-" + std::to_string(k % 10);
    model[key_of(k)] = r.comment.value_or("");
    return r;
  };
  auto expected = [&](const std::string& text) {
    std::vector<std::string> keys;
    for (const auto& [key, comment] : model)
      if (comment.find(text) != std::string::npos) keys.push_back(key);
    return keys;
  };
  auto all_found = [&] {
    for (const auto& [key, comment] : model) {
      const int k = std::stoi(key.substr(4)) - 100000;
      INFO(key << ": " << comment);
      CHECK(found_all(*db, tagged(k)) == expected(tagged(k)));
    }
    CHECK(found_all(*db, "late parcel") == expected("late parcel"));
  };
  // The first answers of each thread, then the rest racing with follow-up edits of those.
  std::vector<nps::Response> answers;
  for (int k = 0; k < kThreads * kEach; ++k)
    answers.push_back(answer(k));
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kFirst; ++i)
      REQUIRE(db->insert_response(answers[t * kEach + i], kT0 + t * kEach + i, 0).status ==
              Inserted::created);
  std::vector<nps::Response> edits;
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kFirst; ++i) { // a new comment, none, an empty one
      auto r = answers[t * kEach + i];
      r.comment = i == 0   ? std::optional<std::string>{"arrived " + tagged(t * kEach + i) + "y"}
                  : i == 1 ? std::nullopt
                           : std::optional<std::string>{""};
      model[r.idempotency_key] = r.comment.value_or("");
      edits.push_back(r);
    }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = kFirst; i < kEach; ++i) {
          const int k = t * kEach + i;
          if (db->insert_response(answers[k], kT0 + k, 0).status != Inserted::created) ++wrong;
        }
      } catch (const std::exception&) {
        ++wrong;
      }
    });
  threads.emplace_back([&] {
    try {
      for (const auto& r : edits)
        if (!db->update_response(r)) ++wrong;
    } catch (const std::exception&) {
      ++wrong;
    }
  });
  threads.emplace_back([&] { // deletions in the same batches as answers of the same person
    try {
      for (int i = 0; i < 40; ++i)
        (void)db->delete_respondent("person-7");
    } catch (const std::exception&) {
      ++wrong;
    }
  });
  for (auto& th : threads)
    th.join();
  REQUIRE(wrong == 0);
  (void)db->delete_respondent("person-7"); // those stored after the last deletion
  for (int k = 7; k < kThreads * kEach; k += 10)
    model.erase(key_of(k));

  std::vector<std::pair<nps::Response, Millis>> imported;
  for (int k = 1000; k < 1060; ++k)
    imported.emplace_back(answer(k), kT0 - 10 * 86'400'000 + k);
  CHECK(db->import_responses(imported) == imported.size());
  all_found();
  CHECK(found_all(*db, "arrived").size() == kThreads);
  db.reset();
  check_index(dir, "batch");

  // Deletions and retention take comments out; what is left is still found, the index intact.
  db = open_test_storage(dir, "batch");
  CHECK(db->delete_respondent("person-3") == kThreads * kEach / 10);
  CHECK(db->apply_retention(kT0 - 5 * 86'400'000, RetentionMode::remove) == imported.size());
  (void)db->apply_retention(kT0 + 100, RetentionMode::anonymize);
  for (auto it = model.begin(); it != model.end();) {
    const int k = std::stoi(it->first.substr(4)) - 100000;
    if (k >= 1000 || k % 10 == 3) {
      it = model.erase(it);
      continue;
    }
    if (k < 100) it->second.clear();
    ++it;
  }
  all_found();
  db.reset();
  check_index(dir, "batch");
}

TEST_CASE(
    "storage: a database whose comments were indexed by the insert trigger keeps them searchable after the "
    "upgrade, each comment indexed once",
    "[server][storage][search]") {
  if (test_pg_url()) { // SQLite's migration 15: PostgreSQL's pg_trgm index has no trigger
    SUCCEED("SQLite only");
    return;
  }
  TempDir dir;
  auto db = open_test_storage(dir, "ftsup");
  auto r = response("s1", 9, "key-new-1");
  r.comment = "new delivery comment";
  REQUIRE(db->insert_response(r, kT0, 0).status == Inserted::created);
  db.reset();
  // The database as the npsd before migration 15 left it: the trigger indexes what is inserted.
  raw_exec(
      dir, "ftsup",
      "CREATE TRIGGER responses_fts_insert AFTER INSERT ON responses BEGIN INSERT INTO responses_fts(rowid, "
      "comment) VALUES (new.id, new.comment); END; INSERT INTO responses (survey_id, idempotency_key, score, "
      "category, comment, channel, received_at) VALUES ('s1', 'key-old-1', 9, 'promoter', 'old delivery "
      "comment', 'web', 1750000000001), ('s1', 'key-old-2', 9, 'promoter', NULL, 'web', 1750000000002); "
      "PRAGMA user_version = 14");
  check_index(dir, "ftsup");
  db = open_test_storage(dir, "ftsup");
  CHECK(found_all(*db, "delivery") == std::vector<std::string>{"key-new-1", "key-old-1"});
  // After the upgrade each new comment is indexed once (the trigger gone), old ones still follow edits.
  auto again = response("s1", 9, "key-new-2");
  again.comment = "another delivery comment";
  REQUIRE(db->insert_response(again, kT0 + 5, 0).status == Inserted::created);
  auto edited = response("s1", 9, "key-old-2");
  edited.comment = "delivery at last";
  REQUIRE(db->update_response(edited));
  CHECK(found_all(*db, "delivery") ==
        std::vector<std::string>{"key-new-1", "key-new-2", "key-old-1", "key-old-2"});
  db.reset();
  check_index(dir, "ftsup");
}
