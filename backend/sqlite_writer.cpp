// The SQLite engine's writer (see sqlite_writer.hpp): how the writer connection is set up,
// and SQLite's side of group commit.
#include "sqlite_writer.hpp"

namespace npsd::sqlite {

namespace {

// Durability and schema before the first write (and before any reader opens the file).
Conn& prepared(Conn& c) {
  c.exec("PRAGMA journal_mode = WAL");
  c.exec("PRAGMA synchronous = FULL");
  c.exec("PRAGMA foreign_keys = ON");
  migrate(c);
  return c;
}

} // namespace

Writer::Writer(const std::string& path)
    : conn_(path, Conn::Mode::read_write), txn_(prepared(conn_)), commits_(txn_) {}

void Writer::Txn::begin() { c_.exec("BEGIN IMMEDIATE"); }
void Writer::Txn::begin_job() { c_.prep("SAVEPOINT job").run(); }
void Writer::Txn::end_job() { c_.prep("RELEASE job").run(); }
void Writer::Txn::undo_job() {
  c_.prep("ROLLBACK TO job").run();
  c_.prep("RELEASE job").run();
}
void Writer::Txn::commit() { c_.exec("COMMIT"); }
void Writer::Txn::rollback() { c_.exec("ROLLBACK"); }

} // namespace npsd::sqlite
