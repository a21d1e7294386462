// issue 17: the operational-data store on SQLite and PostgreSQL (storage.postgres runs the
// [storage] tag against a throw-away server), and the CSV reader's line-by-line report.
#include "ops_csv.hpp"
#include "ops_store.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using npsd::test::open_test_storage;
using npsd::test::TempDir;

namespace {
constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15
} // namespace

TEST_CASE("storage: operational values come back exactly, in order, per survey, after a reopen",
          "[server][storage][ops]") {
  TempDir dir;
  {
    auto db = open_test_storage(dir, "ops");
    const std::vector<OpsRow> rows = {{"r-2", 20'000, "spend", 0.1},
                                      {"r-1", 20'001, "visits", 3},
                                      {"r-1", 20'000, "spend", 129.9},
                                      {"r-1", 20'010, "churned", 1},
                                      {"r-3", 19'000, "spend", 1e-7}};
    CHECK(db->ops().import_ops("s1", rows) == 5);
    CHECK(db->ops().import_ops("s2", {{"r-1", 20'000, "spend", 5}}) == 1);
  }
  auto db = open_test_storage(dir, "ops");
  const auto got = db->ops().ops_rows("s1");
  REQUIRE(got.size() == 5);
  CHECK(got[0].customer == "r-1");
  CHECK(got[0].day == 20'000);
  CHECK(got[0].metric == "spend");
  CHECK(got[0].value == 129.9);
  CHECK(got[1].metric == "visits");
  CHECK(got[2].metric == "churned");
  CHECK(got[3].value == 0.1);
  CHECK(got[4].value == 1e-7);
  CHECK(db->ops().ops_rows("s2").size() == 1);
  CHECK(db->ops().ops_rows("none").empty());
}

TEST_CASE("storage: importing a value again for the same customer, day and metric replaces it",
          "[server][storage][ops]") {
  TempDir dir;
  auto db = open_test_storage(dir, "ops-replace");
  db->ops().import_ops("s1", {{"r-1", 20'000, "spend", 10}});
  db->ops().import_ops("s1", {{"r-1", 20'000, "spend", 12.5}, {"r-1", 20'000, "orders", 2}});
  const auto got = db->ops().ops_rows("s1");
  REQUIRE(got.size() == 2);
  CHECK(got[0].metric == "orders");
  CHECK(got[1].value == 12.5);
}

TEST_CASE("storage: a stored fit is replaced by the next one, and deleting the data deletes the fits",
          "[server][storage][ops]") {
  TempDir dir;
  auto db = open_test_storage(dir, "fits");
  CHECK_FALSE(db->ops().fit("s1", "drivers"));
  db->ops().put_fit("s1", "drivers", {R"({"r2":0.5})", kT0});
  db->ops().put_fit("s1", "drivers", {R"({"r2":0.6})", kT0 + 1});
  db->ops().put_fit("s1", "churn", {R"({"auc":0.7})", kT0});
  const auto fit = db->ops().fit("s1", "drivers");
  REQUIRE(fit);
  CHECK(fit->json == R"({"r2":0.6})");
  CHECK(fit->at == kT0 + 1);
  db->ops().import_ops("s1", {{"r-1", 20'000, "spend", 10}});
  CHECK(db->ops().delete_ops("s1") == 1);
  CHECK(db->ops().ops_rows("s1").empty());
  CHECK_FALSE(db->ops().fit("s1", "churn"));
}

TEST_CASE("operational CSV: each bad line is reported with its line number and field, good lines are read",
          "[server][ops]") {
  auto known = [](const std::string& c) { return c == "r-1" || c == "r,2"; };
  const auto out = parse_ops_csv("customer,date,metric,value\r\n"
                                 "r-1,2026-03-02,spend,129.90\r\n"
                                 "\"r,2\",2026-03-03,visits,4\n"
                                 "ghost,2026-03-02,spend,1\n"
                                 "r-1,2026-02-30,spend,1\n"
                                 "r-1,2026-03-02,spend,12abc\n"
                                 "r-1,2026-03-02,spend,1e3\n"
                                 "r-1,2026-03-02,mood,1\n"
                                 "r-1,2026-03-02,churned,2\n"
                                 "r-1,2026-03-02,visits,1.5\n"
                                 "r-1,2026-03-02\n"
                                 "\n"
                                 "r-1,2026-04-11,churned,1\n",
                                 known);
  REQUIRE(out.rows.size() == 3);
  CHECK(out.rows[0].value == 129.9);
  CHECK(out.rows[1].customer == "r,2");
  CHECK(out.rows[2].metric == "churned");
  REQUIRE(out.errors.size() == 8);
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {4, "customer"}, {5, "date"},  {6, "value"},  {7, "value"},
      {8, "metric"},   {9, "value"}, {10, "value"}, {11, ""}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(out.errors[i].line == expected[i].first);
    CHECK(out.errors[i].field == expected[i].second);
  }
}

TEST_CASE("operational CSV: a file without the header is refused as a whole", "[server][ops]") {
  const auto out = parse_ops_csv("r-1,2026-03-02,spend,1\n", [](const std::string&) { return true; });
  CHECK(out.rows.empty());
  REQUIRE(out.errors.size() == 1);
  CHECK(out.errors[0].line == 1);
  CHECK(parse_ops_csv("", [](const std::string&) { return true; }).errors.size() == 1);
}
