// Issue 18: an answer that fails mid-way inside a group commit. The SQLite writer runs a batch
// of answers without a savepoint each (storage_group_commit.hpp, bare_batches) and, when one
// throws, rolls the batch back and runs it again with them; PostgreSQL has its own pipeline.
// Either way the failing answer gets its error, every other answer of its batch is stored,
// and every count (day tallies, theme counts, dim tallies) equals the rows. Run on SQLite and
// on PostgreSQL (tests/pg/with_postgres.sh) like test_storage.cpp.
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"
#include "themes_store.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace npsd;
using npsd::test::every_event_endpoint;
using npsd::test::open_test_storage;
using npsd::test::raw_exec;
using npsd::test::response;
using npsd::test::TempDir;
using npsd::test::test_pg_url;

namespace {

constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

// The answers whose comment says "poison" fail at their last step, the webhook event (an
// endpoint takes it, or it would not be written): after
// their row, comment index (on SQLite: waiting for the batch's end), tallies, theme counts and
// dim tallies were written.
void poison_events(const TempDir& dir, const std::string& name) {
  if (test_pg_url())
    raw_exec(dir, name,
             "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.body LIKE "
             "'%poison%' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$; CREATE TRIGGER poison "
             "BEFORE INSERT ON webhook_events FOR EACH ROW EXECUTE FUNCTION poison()");
  else
    raw_exec(dir, name,
             "CREATE TRIGGER poison BEFORE INSERT ON webhook_events WHEN NEW.body LIKE '%poison%' BEGIN "
             "SELECT RAISE(ABORT, 'poisoned'); END");
}

std::vector<std::pair<std::string, nps::Tally>> groups(const std::vector<TallyGroupRow>& rows) {
  std::vector<std::pair<std::string, nps::Tally>> out;
  for (const auto& r : rows)
    if (r.tally.n() > 0) out.emplace_back(r.key, r.tally);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

} // namespace

TEST_CASE("storage: an answer failing at its last step inside a batch of answers fails alone, and the others "
          "are stored with tallies, theme counts and dim tallies equal to the rows",
          "[server][storage]") {
  TempDir dir;
  open_test_storage(dir, "poison").reset(); // the schema, then the failing step behind its back
  poison_events(dir, "poison");
  auto db = open_test_storage(dir, "poison");
  db->webhooks().add_endpoint(every_event_endpoint("https://hooks.example.com/all")); // or no event is stored
  constexpr int kThreads = 8, kEach = 40;
  std::atomic<int> created{0}, failed{0}, wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int k = t * kEach + i;
        auto r = response("s1", k % 11, "key-" + std::to_string(100000 + k));
        const bool poisoned = k % 9 == 4;
        r.comment = poisoned ? "poison parcel" : "late parcel";
        r.locale = "en";
        r.channel = k % 2 ? nps::Channel::web : nps::Channel::email;
        r.page = "/p" + std::to_string(k % 3);
        r.attributes = nps::json{{"plan", k % 4 ? "team" : "free"}};
        try {
          const auto out = db->insert_response(r, kT0 + k, 0);
          if (out.status == Inserted::created && !poisoned)
            ++created;
          else
            ++wrong;
        } catch (const StorageError&) {
          if (poisoned)
            ++failed;
          else
            ++wrong;
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  CHECK(wrong == 0);
  CHECK(failed == (kThreads * kEach + 4) / 9);
  CHECK(created + failed == kThreads * kEach);
  CHECK(db->count_responses("s1") == static_cast<std::uint64_t>(created.load()));
  for (int k = 0; k < kThreads * kEach; ++k) {
    INFO(k);
    CHECK(db->find_response("s1", "key-" + std::to_string(100000 + k)).has_value() == (k % 9 != 4));
  }
  const auto rows = db->scan_tally("s1");
  CHECK(rows.n() == static_cast<std::uint64_t>(created.load()));
  const auto day = day_of(kT0);
  nps::Tally tallied;
  for (const auto& row : db->tallies("s1", day, day))
    tallied.merge(row.tally);
  CHECK(tallied == rows);
  ThemeQuery q;
  q.survey_id = "s1";
  q.from_day = day - 1;
  q.to_day = day + 1;
  CHECK(db->themes().commenters(q) == rows);
  CHECK(db->themes().mentioning(q, "parcel") == rows);
  CHECK(db->themes().mentioning(q, "poison").n() == 0);
  q.channel = "web";
  ResponseFilter web;
  web.survey_id = "s1";
  web.channel = "web";
  nps::Tally web_rows;
  for (const auto& item : db->list_responses(web, std::nullopt, 1000).items)
    web_rows.add(item.response.score);
  CHECK(db->themes().mentioning(q, "parcel") == web_rows);
  ResponseFilter all;
  all.survey_id = "s1";
  for (const auto& attribute : {std::optional<std::string>{}, std::optional<std::string>{"plan"}}) {
    const auto tallies = db->dim_groups("s1", day, day, attribute);
    REQUIRE(tallies);
    CHECK(groups(*tallies) == groups(db->score_groups(all, attribute)));
  }
  // Comment search finds every stored answer (SQLite indexes a batch's comments at its end),
  // and the failed answers left nothing in the index: FTS5's check against the rows passes.
  ResponseFilter parcel;
  parcel.survey_id = "s1";
  parcel.text = "late parcel";
  CHECK(db->list_responses(parcel, std::nullopt, 1000).items.size() ==
        static_cast<std::size_t>(created.load()));
  if (!test_pg_url()) {
    db.reset();
    CHECK_NOTHROW(raw_exec(dir, "poison",
                           "INSERT INTO responses_fts (responses_fts, rank) VALUES ('integrity-check', 1)"));
  }
}
