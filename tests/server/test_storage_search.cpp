// Comment search, on both engines: whatever index serves it (SQLite's FTS5 trigram table,
// PostgreSQL's pg_trgm), the answers found are the ones whose comment holds the text, newest
// first, and they follow edits, deletions and retention.
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

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
