// The PostgreSQL engine's schema: its migrations, applied in order when the engine opens,
// and the table that records how many have been applied (PostgreSQL's counterpart of
// SQLite's PRAGMA user_version).
#pragma once

#include "postgres_conn.hpp"

namespace npsd::pg {

// Brings the schema of the connection's search_path up to date. Several npsd processes
// starting at once on one database migrate it once (an advisory lock serialises them).
// Throws StorageError when the database was written by a newer npsd, or when it would
// change the schema while an npsd built for the current one is running on it (writer_guard).
void migrate(Conn& c);

// Statements for every writer connection, run again after a reconnect: hold the running-npsd
// lock shared (a migration waits for it), then fail unless the schema is the one this build
// knows (another version migrated it while the connection was down).
[[nodiscard]] std::string writer_guard();

} // namespace npsd::pg
