// The SQLite engine's writer (see sqlite_writer.hpp): how the writer connection is set up,
// and SQLite's side of group commit.
#include "sqlite_writer.hpp"

namespace npsd::sqlite {

namespace {

// Durability and schema before the first write (and before any reader opens the file).
Conn& prepared(Conn& c) {
  c.exec("PRAGMA journal_mode = WAL");
  // FULL: the COMMIT syncs the WAL, which is where the engine's VFS writes the frames it gathered
  // (sqlite_vfs.hpp), so a failed write fails that COMMIT and no answer of it is acknowledged.
  c.exec("PRAGMA synchronous = FULL");
  c.exec("PRAGMA foreign_keys = ON");
  // Checkpoints (the WAL's pages copied into the database file, which is then synced) run on
  // this connection after a COMMIT, inside the writer's batch cycle. A batch of answers adds
  // ~37 frames, mostly the same hot pages (B-tree edges, tallies): at SQLite's default of a
  // checkpoint every 1,000 frames that was a copy and an fsync every ~27 batches; every 10,000
  // copies those pages once for ten times as many batches. The WAL file grows to ~40 MB
  // (reused, not grown further, once a checkpoint catches up). Three alternating pairs of
  // npsd_bench --answers 1 (2026-12-01): 10,174 → 11,170, 10,080 → 11,995 and 9,594 → 10,712
  // answers/s.
  c.exec("PRAGMA wal_autocheckpoint = 10000");
  migrate(c);
  return c;
}

} // namespace

Writer::Writer(const std::string& path)
    : conn_(path, Conn::Mode::read_write), txn_(prepared(conn_)), commits_(txn_) {}

void Writer::Txn::begin() {
  broken_ = false;
  fold_.clear();
  c_.prep("BEGIN IMMEDIATE").run(); // prepared once, not parsed per batch
}
void Writer::Txn::begin_job(bool folds) {
  if (!folds && !fold_.empty()) {
    // Any other write sees the counts as if each answer had written its own: written first,
    // outside its savepoint (its failure must not take them back).
    try {
      fold_.flush(c_);
    } catch (...) {
      broken_ = true;
      throw;
    }
  }
  c_.prep("SAVEPOINT job").run();
  c_.fold = folds ? &fold_ : nullptr;
}
void Writer::Txn::end_job() {
  c_.fold = nullptr;
  c_.prep("RELEASE job").run();
  fold_.keep();
}
void Writer::Txn::undo_job() {
  c_.fold = nullptr;
  fold_.drop();
  c_.prep("ROLLBACK TO job").run();
  c_.prep("RELEASE job").run();
}
void Writer::Txn::begin_bare() { c_.fold = &fold_; }
void Writer::Txn::end_bare() {
  c_.fold = nullptr;
  fold_.keep();
}
void Writer::Txn::commit() {
  if (broken_) throw StorageError("sqlite: the batch's counts could not be written");
  fold_.flush(c_); // the batch's folded count changes, in the same transaction
  c_.prep("COMMIT").run();
}
void Writer::Txn::rollback() {
  c_.fold = nullptr;
  fold_.clear();
  c_.exec("ROLLBACK");
}

} // namespace npsd::sqlite
