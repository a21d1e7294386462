// The PostgreSQL engine's schema: its migrations, applied in order when the engine opens,
// and the table that records how many have been applied (PostgreSQL's counterpart of
// SQLite's PRAGMA user_version).
#pragma once

#include "postgres_conn.hpp"

namespace npsd::pg {

// Brings the schema of the connection's search_path up to date. Several npsd processes
// starting at once on one database migrate it once (an advisory lock serialises them).
// Throws StorageError when the database was written by a newer npsd.
void migrate(Conn& c);

} // namespace npsd::pg
