// The SQLite engine's one writer: the read-write connection (WAL, synchronous=FULL, schema
// migrated on open) and its thread, doing group commit (storage_group_commit.hpp) with
// SQLite's transactions: BEGIN IMMEDIATE for a batch, a SAVEPOINT per write, one COMMIT
// (one fsync of the WAL) for all of them.
//
// Internal to the SQLite engine.
#pragma once

#include "sqlite_conn.hpp"
#include "sqlite_ingest.hpp"
#include "storage_group_commit.hpp"

#include <string>

namespace npsd::sqlite {

// FIXME: ingestion runs at ~0.1 of the trivial-endpoint ceiling on a loaded 2-core VM
// (npsd_bench). A profile of the ingestion phase (perf with DWARF stacks, before the folding in
// sqlite_ingest.hpp) put ~3/4 of the process in this thread: the answer's row with its
// comment index (FTS5) ~14%, theme counts and rows ~16%, the webhook event ~9%, day tallies
// ~5%, the SAVEPOINT/RELEASE around each job ~8% (mostly FTS5 flushing its pending terms at
// each savepoint), and the COMMIT ~22% (writing the WAL, fdatasync, checkpoints). Folding
// took the tally and theme upserts to one per row and batch. What is left to try: no
// SAVEPOINT per answer (re-run a failed batch's jobs alone, as the PostgreSQL writer does),
// fewer pages per answer (theme_responses and webhook_events rows), and answering the HTTP
// request from this thread after the commit instead of waking the request thread.
class Writer {
public:
  // Opens (creating) the file, sets WAL and synchronous=FULL, migrates, starts the thread.
  explicit Writer(const std::string& path);

  // Runs f(conn) on the writer thread inside a transaction; returns once committed.
  template <class F> auto write(F f) { return commits_.write(std::move(f)); }
  // The same for storing answers: their count changes are folded per batch (sqlite_ingest.hpp).
  template <class F> auto write_folding(F f) { return commits_.write_folding(std::move(f)); }
  [[nodiscard]] std::size_t pending() const { return commits_.pending(); }

private:
  class Txn final : public BatchTransaction<Conn> {
  public:
    explicit Txn(Conn& c) : c_(c) {}
    Conn& context() override { return c_; }
    void begin() override;
    void begin_job(bool folds) override;
    void end_job() override;
    void undo_job() override;
    void commit() override;
    void rollback() override;

  private:
    Conn& c_;
    Fold fold_;
    bool broken_ = false; // writing the folded changes failed: the batch cannot commit
  };

  Conn conn_;
  Txn txn_;
  GroupCommit<Conn> commits_; // last: its thread stops before the connection closes
};

} // namespace npsd::sqlite
