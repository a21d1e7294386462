// Upgrading the PostgreSQL schema under running npsd processes: a new version refuses to
// migrate while an npsd of the current one writes to the database, and a writer that finds
// the schema changed behind it refuses answers, naming both versions (docs/operations.md).
// SQLite has one npsd per file (test_file_use.cpp), so these run on PostgreSQL only.
#include "postgres_conn.hpp"
#include "storage.hpp"
#include "storage_support.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace npsd;
using Catch::Matchers::Contains;
using npsd::test::open_test_storage;
using npsd::test::response;
using npsd::test::TempDir;

namespace {

constexpr Millis kT0 = 1'750'000'000'000; // 2025-06-15

std::int64_t schema_version(const TempDir& dir, const std::string& name) {
  return pg::Conn(test::test_database(dir, name)).run("SELECT version FROM npsd_schema").i64(0, 0);
}

} // namespace

TEST_CASE("storage: a new npsd refuses to upgrade the PostgreSQL schema while an npsd of the current one "
          "writes to it, and upgrades it once that one has stopped",
          "[server][storage]") {
  if (!test::test_pg_url()) {
    SUCCEED("SQLite: one npsd per file");
    return;
  }
  TempDir dir;
  auto running = open_test_storage(dir, "up");
  REQUIRE(running->insert_response(response("s1", 9, "k-before-1"), kT0, 0).status == Inserted::created);
  const std::int64_t current = schema_version(dir, "up");
  // The database as the version before this one left it, with that version still running
  // (the last migration runs again below: each is written to be run again safely).
  test::raw_exec(dir, "up", "UPDATE npsd_schema SET version = " + std::to_string(current - 1));

  const std::string refusal = "another npsd is running on this database with schema version " +
                              std::to_string(current - 1) + "; this one would upgrade it to " +
                              std::to_string(current);
  CHECK_THROWS_WITH(open_test_storage(dir, "up"),
                    Contains(refusal) && Contains("stop every npsd on this database"));
  CHECK(schema_version(dir, "up") == current - 1); // nothing migrated in part
  // The running one goes on storing answers meanwhile.
  CHECK(running->insert_response(response("s1", 3, "k-before-2"), kT0 + 1, 0).status == Inserted::created);

  running.reset();
  auto upgraded = open_test_storage(dir, "up");
  CHECK(schema_version(dir, "up") == current);
  CHECK(upgraded->count_responses("s1") == 2);
  CHECK(upgraded->insert_response(response("s1", 10, "k-after"), kT0 + 2, 0).status == Inserted::created);
  CHECK(upgraded->count_responses("s1") == 3);
  // Another process of the same version starts beside it: nothing to migrate, nothing refused.
  auto second = open_test_storage(dir, "up");
  CHECK(second->count_responses("s1") == 3);
}

TEST_CASE("storage: a PostgreSQL writer that reconnects to a schema another npsd version changed refuses "
          "answers, naming both versions, and stores them again once the schema is its own",
          "[server][storage]") {
  if (!test::test_pg_url()) {
    SUCCEED("SQLite: one npsd per file");
    return;
  }
  TempDir dir;
  auto db = open_test_storage(dir, "moved");
  REQUIRE(db->insert_response(response("s1", 9, "k-1"), kT0, 0).status == Inserted::created);
  const std::int64_t current = schema_version(dir, "moved");
  // While the writer's connection is down, a newer npsd migrates the schema.
  test::raw_exec(
      dir, "moved",
      "UPDATE npsd_schema SET version = " + std::to_string(current + 1) +
          "; SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid "
          "= 1852861286 AND granted");

  CHECK_THROWS_WITH(db->insert_response(response("s1", 2, "k-2"), kT0 + 1, 0),
                    Contains("the database schema is version " + std::to_string(current + 1) +
                             ", and this npsd is built for " + std::to_string(current)));
  test::raw_exec(dir, "moved", "UPDATE npsd_schema SET version = " + std::to_string(current));
  CHECK(db->insert_response(response("s1", 2, "k-2"), kT0 + 1, 0).status == Inserted::created);
  CHECK(db->count_responses("s1") == 2);
}
