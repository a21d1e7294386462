// Breakdowns by page and by attribute filtered by one segment (channel=, device=, locale=) from
// per-day tallies (issue 18, dim_tallies.hpp), on SQLite files and, through
// tests/pg/with_postgres.sh, on PostgreSQL: for random answers that went through inserts,
// imports, score changes, deletions, anonymisation and removal, every filtered breakdown read
// from the tallies equals the one counted from the rows with the same filter; two filters at
// once, and a locale beyond the bound, say the tallies cannot answer; an older database gets
// them filled on upgrade.
#include "dim_tallies.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <random>

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
                 const std::optional<std::string>& attribute, const DimSegment& seg) {
  ResponseFilter f;
  f.survey_id = "s1";
  f.from = static_cast<Millis>(from) * kDay;
  f.to = static_cast<Millis>(to + 1) * kDay;
  f.channel = seg.channel;
  f.device = seg.device;
  f.locale = seg.locale;
  return plain(db.score_groups(f, attribute));
}

const char* const kChannels[] = {"web", "app", "email", "link", "sms", "import", "api"};
const char* const kDevices[] = {"desktop", "mobile", "tablet"};
const char* const kLocales[] = {"en", "de", "es-MX", "ja"};

std::vector<DimSegment> every_segment() {
  std::vector<DimSegment> out;
  for (const char* c : kChannels)
    out.push_back({std::string(c), {}, {}});
  for (const char* d : kDevices)
    out.push_back({{}, std::string(d), {}});
  for (const char* l : kLocales)
    out.push_back({{}, {}, std::string(l)});
  out.push_back({{}, {}, std::string("fr")}); // listed by no answer with a page: none
  return out;
}

const std::vector<std::optional<std::string>> kDims = {std::nullopt, "plan", "seats", "trial", "never"};

// Every filtered breakdown from the tallies is there and equals the rows', over the whole span
// and over single days and short ranges.
void same_as_rows(const Storage& db) {
  for (const auto& seg : every_segment())
    for (const auto& dim : kDims)
      for (auto [from, to] : std::vector<std::pair<std::int32_t, std::int32_t>>{
               {d0 - 10, d0 + 10}, {d0, d0}, {d0 + 3, d0 + 3}, {d0 + 2, d0 + 5}}) {
        INFO("dimension " << dim.value_or("page") << ", segment " << seg_name(seg).value_or("?") << ", days "
                          << from - d0 << ".." << to - d0);
        const auto tallies = db.dim_groups("s1", from, to, dim, seg);
        // Its answers have no page and no attribute: never listed by them (the rows answer), but
        // the upgrade may list it from the rows.
        if (seg.locale == "fr" && !tallies) continue;
        REQUIRE(tallies);
        CHECK(plain(*tallies) == from_rows(db, from, to, dim, seg));
      }
}

// A random answer: a channel, maybe a device, maybe a locale, maybe a page, some attributes.
nps::Response random_answer(std::mt19937& rng, int i, const std::string& prefix) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto r = response("s1", pick(11), prefix + std::to_string(100000 + i));
  r.channel = *nps::channel_from_string(kChannels[pick(7)]);
  if (const int d = pick(4); d < 3)
    r.device = static_cast<nps::Device>(d);
  else
    r.device.reset();
  if (const int l = pick(5); l < 4)
    r.locale = kLocales[l];
  else
    r.locale.reset();
  if (const int p = pick(4); p == 0)
    r.page = "/pricing?utm=" + std::to_string(pick(3));
  else if (p == 1)
    r.page = "/docs";
  else if (p == 2)
    r.page = "";
  r.attributes = nps::json{{"plan", pick(3) ? "pro" : "free"}, {"seats", pick(3)}, {"trial", pick(2) == 0}};
  if (pick(6) == 0) r.attributes = nps::json::object();
  if (pick(9) == 0) r.locale = "fr", r.page.reset(), r.attributes = nps::json::object();
  r.respondent_id = "person-" + std::to_string(pick(6));
  return r;
}

Millis at(int i) { return kT0 + (i % 10) * kDay + i * 1000; }

} // namespace

TEST_CASE(
    "dim seg tallies: a filtered breakdown from the tallies equals the rows' after every kind of change",
    "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "segs");
  std::mt19937 rng(20261130);
  std::vector<nps::Response> stored;
  for (int i = 0; i < 150; ++i) {
    stored.push_back(random_answer(rng, i, "k-"));
    REQUIRE(db->insert_response(stored.back(), at(i), 0).status == Inserted::created);
  }
  std::vector<std::pair<nps::Response, Millis>> batch;
  for (int i = 150; i < 300; ++i) {
    stored.push_back(random_answer(rng, i, "k-"));
    batch.emplace_back(stored.back(), at(i));
  }
  batch.emplace_back(stored[5], at(5)); // already stored: skipped, counted once
  REQUIRE(db->import_responses(batch) == 150);
  same_as_rows(*db);
  CHECK_FALSE(db->dim_groups("s1", d0 - 10, d0 + 10, std::nullopt, DimSegment{{}, {}, std::string("fr")}));

  SECTION("changed scores move their counts") {
    for (int i = 0; i < 300; i += 7) {
      auto r = stored[static_cast<std::size_t>(i)];
      r.score = nps::Score::from_int((r.score.value() + 1 + i % 9) % 11).value();
      REQUIRE(db->update_response(r));
    }
    same_as_rows(*db);
  }
  SECTION("a deleted respondent leaves them") {
    CHECK(db->delete_respondent("person-1") > 0);
    CHECK(db->delete_respondent("person-4") > 0);
    same_as_rows(*db);
  }
  SECTION("anonymised answers count as without page and attributes, in their segment still") {
    CHECK(db->apply_retention(kT0 + 4 * kDay, RetentionMode::anonymize) > 0);
    same_as_rows(*db);
  }
  SECTION("removed answers leave them") {
    CHECK(db->apply_retention(kT0 + 6 * kDay, RetentionMode::remove) > 0);
    same_as_rows(*db);
  }
}

TEST_CASE(
    "dim seg tallies: two filters at once, or a locale beyond the bound, send the breakdown to the rows",
    "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "seglimits");
  // More locales than the bound keeps, each on an answer with a page, in the order they come.
  for (int i = 0; i < kSegLocales + 3; ++i) {
    auto r = response("s1", i % 11, "loc-" + std::to_string(i));
    r.page = "/p/" + std::to_string(i % 4);
    r.locale = "x" + std::to_string(100 + i);
    REQUIRE(db->insert_response(r, kT0 + i, 0).status == Inserted::created);
  }
  for (int i = 0; i < kSegLocales; ++i) {
    const DimSegment seg{{}, {}, "x" + std::to_string(100 + i)};
    const auto t = db->dim_groups("s1", d0, d0, std::nullopt, seg);
    REQUIRE(t);
    CHECK(plain(*t) == from_rows(*db, d0, d0, std::nullopt, seg));
  }
  for (int i = kSegLocales; i < kSegLocales + 3; ++i)
    CHECK_FALSE(
        db->dim_groups("s1", d0, d0, std::nullopt, DimSegment{{}, {}, "x" + std::to_string(100 + i)}));
  // A locale beyond the bound stays unlisted: its later answers are not counted by locale either.
  auto later = response("s1", 9, "later");
  later.page = "/p/1";
  later.locale = "x" + std::to_string(100 + kSegLocales);
  REQUIRE(db->insert_response(later, kT0 + kDay, 0).status == Inserted::created);
  CHECK_FALSE(db->dim_groups("s1", d0, d0 + 1, std::nullopt, DimSegment{{}, {}, later.locale}));
  // Channel and device are bounded sets: always answered, one at a time.
  const DimSegment web{std::string("web"), {}, {}};
  const auto t = db->dim_groups("s1", d0, d0 + 1, std::nullopt, web);
  REQUIRE(t);
  CHECK(plain(*t) == from_rows(*db, d0, d0 + 1, std::nullopt, web));
  CHECK_FALSE(db->dim_groups("s1", d0, d0 + 1, std::nullopt,
                             DimSegment{std::string("web"), std::string("mobile"), {}}));
  CHECK_FALSE(db->dim_groups("s1", d0, d0 + 1, std::string("plan"),
                             DimSegment{std::string("web"), {}, std::string("x100")}));
}

TEST_CASE("dim seg tallies: an older database gets them filled from its answers on upgrade",
          "[server][storage][dims]") {
  TempDir dir;
  auto db = open_test_storage(dir, "segup");
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i)
    REQUIRE(db->insert_response(random_answer(rng, i, "u-"), at(i), 0).status == Inserted::created);
  db.reset();
  // The database as the npsd before these tallies left it: their tables gone, the schema one
  // migration back (SQLite's 14th, PostgreSQL's 13th is theirs).
  raw_exec(dir, "segup",
           test_pg_url()
               ? pg_before_slots() +
                     "DROP TABLE dim_seg_tallies; DROP TABLE seg_locales; UPDATE npsd_schema SET version = 12"
               : "DROP TABLE dim_seg_tallies; DROP TABLE seg_locales; PRAGMA user_version = 13");
  db = open_test_storage(dir, "segup");
  same_as_rows(*db);
  // And kept from then on.
  CHECK(db->delete_respondent("person-2") > 0);
  for (int i = 200; i < 240; ++i)
    REQUIRE(db->insert_response(random_answer(rng, i, "u-"), at(i), 0).status == Inserted::created);
  same_as_rows(*db);
}
