// Breakdowns by page and by attribute from per-day tallies (issue 18, dim_tallies.hpp), on
// SQLite files and, through tests/pg/with_postgres.sh, on PostgreSQL: whatever the answers
// went through (insert, import, a changed score, a deletion, anonymisation, removal), a
// breakdown read from the tallies equals the one counted from the rows; beyond the bound the
// tallies say they cannot answer; an older database gets them filled on upgrade.
#include "dim_tallies.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::pg_before_slots;
using npsd::test::raw_exec;
using npsd::test::response;
using npsd::test::TempDir;
using npsd::test::test_pg_url;

namespace {

constexpr Millis kDay = 86'400'000;
constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15
const std::int32_t d0 = day_of(kT0);

using Groups = std::vector<std::pair<std::string, std::array<std::uint64_t, 11>>>;

Groups plain(const std::vector<TallyGroupRow>& rows) {
  Groups out;
  for (const auto& r : rows)
    out.emplace_back(r.key, r.tally.counts());
  std::sort(out.begin(), out.end());
  return out;
}

Groups from_rows(const Storage& db, std::int32_t from, std::int32_t to,
                 const std::optional<std::string>& attribute) {
  ResponseFilter f;
  f.survey_id = "s1";
  f.from = static_cast<Millis>(from) * kDay;
  f.to = static_cast<Millis>(to + 1) * kDay;
  return plain(db.score_groups(f, attribute));
}

// The breakdown from the tallies must be there and equal the rows', for every dimension the
// answers carry, over the whole span and over each single day.
void same_as_rows(const Storage& db, const std::vector<std::optional<std::string>>& dims) {
  for (const auto& dim : dims) {
    for (auto [from, to] : std::vector<std::pair<std::int32_t, std::int32_t>>{
             {d0 - 10, d0 + 10}, {d0, d0}, {d0 + 1, d0 + 1}, {d0 + 2, d0 + 3}, {d0 + 5, d0 + 9}}) {
      INFO("dimension " << dim.value_or("page") << ", days " << from - d0 << ".." << to - d0);
      const auto tallies = db.dim_groups("s1", from, to, dim);
      REQUIRE(tallies);
      CHECK(plain(*tallies) == from_rows(db, from, to, dim));
    }
  }
}

const std::vector<std::optional<std::string>> kDims = {std::nullopt, "plan",    "seats", "ratio", "trial",
                                                       "empty",      "nothing", "deep",  "a.b",   "never"};

// Answer i: a page (some with a query string, some none), attributes of every JSON kind.
nps::Response varied(int i, const std::string& prefix = "k-") {
  auto r = response("s1", i % 11, prefix + std::to_string(100000 + i));
  if (i % 5 == 1)
    r.page = "/pricing?utm=" + std::to_string(i % 3);
  else if (i % 5 == 2)
    r.page = "/docs";
  else if (i % 5 == 3)
    r.page = "";
  r.attributes = nps::json{{"plan", i % 4 ? "pro" : "free"},
                           {"seats", i % 3},
                           {"ratio", 0.5 * (i % 4)},
                           {"trial", i % 2 == 0},
                           {"empty", ""},
                           {"nothing", nullptr},
                           {"deep", {{"x", i % 2}}},
                           {"a.b", "dotted"},
                           {"has space", "left out"}};
  if (i % 7 == 0) r.attributes = nps::json::object();
  r.respondent_id = "person-" + std::to_string(i % 6);
  return r;
}

Millis at(int i) { return kT0 + (i % 10) * kDay + i * 1000; }

} // namespace

TEST_CASE(
    "dim tallies: a breakdown by page or attribute from the tallies equals the rows' after every kind of "
    "change",
    "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "dims");
  for (int i = 0; i < 60; ++i)
    REQUIRE(db->insert_response(varied(i), at(i), 0).status == Inserted::created);
  std::vector<std::pair<nps::Response, Millis>> batch;
  for (int i = 60; i < 120; ++i)
    batch.emplace_back(varied(i), at(i));
  batch.emplace_back(varied(5), at(5)); // already stored: skipped, counted once
  REQUIRE(db->import_responses(batch) == 60);
  same_as_rows(*db, kDims);
  // A retry of a stored key changes nothing.
  REQUIRE(db->insert_response(varied(7), at(7), 0).status == Inserted::duplicate);
  same_as_rows(*db, kDims);

  SECTION("a changed score moves its counts") {
    for (int i : {1, 2, 14, 21, 63, 100}) {
      auto r = varied(i);
      r.score = nps::Score::from_int((i + 5) % 11).value();
      REQUIRE(db->update_response(r));
    }
    same_as_rows(*db, kDims);
    const auto pro = db->dim_groups("s1", d0 + 1, d0 + 1, std::string("plan"));
    REQUIRE(pro);
    CHECK(plain(*pro) == from_rows(*db, d0 + 1, d0 + 1, std::string("plan")));
  }
  SECTION("a deleted respondent leaves them") {
    CHECK(db->delete_respondent("person-1") == 20);
    same_as_rows(*db, kDims);
  }
  SECTION("anonymised answers count as without page and attributes, as their rows") {
    const auto before_plan = from_rows(*db, d0 - 10, d0 + 10, std::string("plan"));
    CHECK(db->apply_retention(kT0 + 4 * kDay, RetentionMode::anonymize) > 0);
    same_as_rows(*db, kDims);
    CHECK(from_rows(*db, d0 - 10, d0 + 10, std::string("plan")) != before_plan); // the rows did change
    CHECK(db->apply_retention(kT0 + 4 * kDay, RetentionMode::anonymize) == 0);
    same_as_rows(*db, kDims);
  }
  SECTION("removed answers leave them") {
    CHECK(db->apply_retention(kT0 + 3 * kDay, RetentionMode::remove) > 0);
    same_as_rows(*db, kDims);
  }
}

TEST_CASE("dim tallies: values beyond the bound send the breakdown to the rows, and only over their days",
          "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "bound");
  // Day 0: one answer per page, more pages than the bound keeps.
  std::vector<std::pair<nps::Response, Millis>> batch;
  for (int i = 0; i < kDimValues + 5; ++i) {
    auto r = response("s1", i % 11, "page-" + std::to_string(i));
    r.page = "/p/" + std::to_string(i);
    r.respondent_id = i < kDimValues ? "listed" : "beyond";
    batch.emplace_back(r, kT0 + i);
  }
  REQUIRE(db->import_responses(batch) == static_cast<std::size_t>(kDimValues + 5));
  // Day 1: listed pages only.
  for (int i = 0; i < 20; ++i) {
    auto r = response("s1", 10 - i % 11, "later-" + std::to_string(i));
    r.page = "/p/" + std::to_string(i % 7);
    REQUIRE(db->insert_response(r, kT0 + kDay + i, 0).status == Inserted::created);
  }
  // A page beyond the bound, on day 2.
  auto late = response("s1", 3, "late");
  late.page = "/p/new";
  late.respondent_id = "late";
  REQUIRE(db->insert_response(late, kT0 + 2 * kDay, 0).status == Inserted::created);
  CHECK_FALSE(db->dim_groups("s1", d0, d0 + 2, std::nullopt));
  CHECK_FALSE(db->dim_groups("s1", d0, d0, std::nullopt));
  CHECK_FALSE(db->dim_groups("s1", d0 + 2, d0 + 2, std::nullopt));
  const auto day1 = db->dim_groups("s1", d0 + 1, d0 + 1, std::nullopt);
  REQUIRE(day1);
  CHECK(plain(*day1) == from_rows(*db, d0 + 1, d0 + 1, std::nullopt));
  CHECK(day1->size() == 7);
  // Once the answers beyond the bound are gone, the tallies answer again over every day.
  CHECK(db->delete_respondent("beyond") == 5);
  CHECK(db->delete_respondent("late") == 1);
  const auto all = db->dim_groups("s1", d0, d0 + 2, std::nullopt);
  REQUIRE(all);
  CHECK(plain(*all) == from_rows(*db, d0, d0 + 2, std::nullopt));
  CHECK(all->size() == static_cast<std::size_t>(kDimValues));
  // A listed page stays listed: answering it again is counted under its own value.
  auto again = response("s1", 9, "again");
  again.page = "/p/3";
  REQUIRE(db->insert_response(again, kT0 + 2 * kDay, 0).status == Inserted::created);
  const auto after = db->dim_groups("s1", d0, d0 + 2, std::nullopt);
  REQUIRE(after);
  CHECK(plain(*after) == from_rows(*db, d0, d0 + 2, std::nullopt));
}

TEST_CASE("dim tallies: attribute keys beyond the bound are read from the rows, listed ones from the tallies",
          "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "keys");
  // Before any key is listed, any key is answered from the tallies: every answer is "none".
  REQUIRE(db->insert_response(response("s1", 8, "plain"), kT0, 0).status == Inserted::created);
  const auto none = db->dim_groups("s1", d0, d0, std::string("plan"));
  REQUIRE(none);
  CHECK(plain(*none) == from_rows(*db, d0, d0, std::string("plan")));
  for (int i = 0; i < kDimKeys + 3; ++i) {
    auto r = response("s1", i % 11, "key-" + std::to_string(i));
    r.attributes = nps::json{{"k" + std::to_string(100 + i), "v"}, {"plan", i % 2 ? "pro" : "free"}};
    REQUIRE(db->insert_response(r, kT0 + i, 0).status == Inserted::created);
  }
  // plan and the first 31 k-keys (in the order they came) are listed; the rest are not.
  for (int i = 0; i < kDimKeys - 1; ++i) {
    const std::string key = "k" + std::to_string(100 + i);
    const auto t = db->dim_groups("s1", d0, d0, key);
    REQUIRE(t);
    CHECK(plain(*t) == from_rows(*db, d0, d0, key));
  }
  const auto plan = db->dim_groups("s1", d0, d0, std::string("plan"));
  REQUIRE(plan);
  CHECK(plain(*plan) == from_rows(*db, d0, d0, std::string("plan")));
  for (int i = kDimKeys - 1; i < kDimKeys + 3; ++i)
    CHECK_FALSE(db->dim_groups("s1", d0, d0, "k" + std::to_string(100 + i)));
  CHECK_FALSE(db->dim_groups("s1", d0, d0, std::string("unseen"))); // the list is full: it cannot know
}

TEST_CASE("dim tallies: an older database gets them filled from its answers on upgrade",
          "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "up");
  for (int i = 0; i < 80; ++i)
    REQUIRE(db->insert_response(varied(i), at(i), 0).status == Inserted::created);
  // Beyond the bound on day 20 only: the most answered pages are the ones listed.
  std::vector<std::pair<nps::Response, Millis>> batch;
  for (int i = 0; i < kDimValues + 2; ++i) {
    auto r = response("s1", 4, "many-" + std::to_string(i));
    r.page = "/m/" + std::to_string(i);
    r.respondent_id = "many";
    batch.emplace_back(r, kT0 + 20 * kDay);
  }
  REQUIRE(db->import_responses(batch) == static_cast<std::size_t>(kDimValues + 2));
  db.reset();
  // The database as the npsd before these tallies left it: their tables gone, the schema one
  // migration back (SQLite's 13th, PostgreSQL's 12th is theirs), and the filtered ones after
  // them (SQLite's 14th, PostgreSQL's 13th) with them.
  raw_exec(dir, "up",
           test_pg_url()
               ? pg_before_slots() +
                     "DROP TABLE dim_seg_tallies; DROP TABLE seg_locales; DROP TABLE dim_tallies; DROP "
                     "TABLE dim_values; DROP TABLE dim_keys; UPDATE npsd_schema SET version = 11"
               : "DROP TABLE dim_seg_tallies; DROP TABLE seg_locales; DROP TABLE dim_tallies; DROP "
                 "TABLE dim_values; DROP TABLE dim_keys; PRAGMA user_version = 12");
  db = open_test_storage(dir, "up");
  same_as_rows(*db, kDims);
  CHECK_FALSE(db->dim_groups("s1", d0 + 20, d0 + 20, std::nullopt)); // beyond the bound there
  // And kept from then on.
  CHECK(db->delete_respondent("person-2") > 0);
  same_as_rows(*db, kDims);
  CHECK(db->delete_respondent("many") == static_cast<std::size_t>(kDimValues + 2));
  const auto pages = db->dim_groups("s1", d0 - 10, d0 + 30, std::nullopt);
  REQUIRE(pages);
  CHECK(plain(*pages) == from_rows(*db, d0 - 10, d0 + 30, std::nullopt));
}
