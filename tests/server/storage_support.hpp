// The storage engine under test: SQLite files by default, or PostgreSQL when
// NPSD_TEST_PG_URL names a database (tests/pg/with_postgres.sh starts one and sets it).
#pragma once

#include "storage.hpp"
#include "support.hpp"
#include "webhook_store.hpp"

#include <memory>
#include <optional>
#include <string>

namespace npsd::test {

// The PostgreSQL URL the suite runs against, or nullopt for SQLite.
[[nodiscard]] std::optional<std::string> test_pg_url();

// Opens the storage called `name` inside `dir`: the file `dir/name.sqlite3`, or a schema of
// its own in the PostgreSQL database (created on first use, named after the folder and the
// name). Opening the same (dir, name) again reaches the same data.
[[nodiscard]] std::unique_ptr<Storage> open_test_storage(const TempDir& dir, const std::string& name);

// How many answers the engine holds for `survey_id`, read behind the engine's back (the
// SQLite file or the PostgreSQL schema): proof that the suite writes where it says.
[[nodiscard]] std::int64_t raw_count(const TempDir& dir, const std::string& name,
                                     const std::string& survey_id);

// Runs `sql` on the storage called `name` behind the engine's back (the SQLite file, closed
// by the caller first; or its PostgreSQL schema): to put a database back as an older npsd
// left it, for a migration's test.
void raw_exec(const TempDir& dir, const std::string& name, const std::string& sql);

// PostgreSQL statements that undo schema migration 14 (the writers' tally slots) on the
// tables there: first, for a test that puts a database back to a migration before it.
[[nodiscard]] std::string pg_before_slots();

// A webhook endpoint that takes every event (no filter), enabled, with a fixed secret: events
// are stored only when an endpoint takes them (sqlite_webhooks.hpp).
[[nodiscard]] WebhookEndpoint every_event_endpoint(const std::string& url);

// Where a server under test keeps its data: `dir/name.sqlite3`, or a PostgreSQL URL naming a
// schema of its own (as open_test_storage), for route tests run on both engines.
[[nodiscard]] std::string test_database(const TempDir& dir, const std::string& name);

} // namespace npsd::test
