// The SQLite engine's one writer: the read-write connection (WAL, synchronous=FULL, schema
// migrated on open) and its thread, doing group commit (storage_group_commit.hpp) with
// SQLite's transactions: BEGIN IMMEDIATE for a batch, a SAVEPOINT per write, one COMMIT
// (one fsync of the WAL) for all of them. A batch of answers only runs without savepoints
// (BatchTransaction::bare_batches): if one of them throws, it is run again with them.
//
// Internal to the SQLite engine.
#pragma once

#include "sqlite_conn.hpp"
#include "sqlite_ingest.hpp"
#include "storage_group_commit.hpp"

#include <string>

namespace npsd::sqlite {

// FIXME: ingestion runs at ~0.1 of the trivial-endpoint ceiling on a loaded 2-core VM
// (npsd_bench), against an aim of 0.5; this thread is its bottleneck (under load it gets one
// share of the CPU among the HTTP and client threads). Its CPU time per stored answer
// (docs/operations.md#benchmark) was 290-425 us with a SAVEPOINT per answer (each copied every
// page the answer touched to the sub-journal), 208-261 us without (issue 18). Where it goes
// now (perf, DWARF stacks): the COMMIT ~45% (pwrite of ~30 WAL frames per batch of ~5
// answers, two per frame: since the npsd-wal VFS, sqlite_vfs.hpp, ~2 per commit; fdatasync,
// the checkpoint every ~1000 frames), the answer's row with its FTS5 index
// ~18% (before migration 15, FTS5 wrote a segment per answer: the insert's savepoint
// flushed it), waking each waiting request thread ~12% (handing that to a second thread was slower
// with 8 clients: one more wake-up on every answer's path), the webhook event ~10% (half of it
// its JSON), the themes ~6%. What is left to try: the checkpoint on a thread of its own, the
// event's JSON built on the request thread, fewer pages per answer.
// Done since (issue 18, SQLite migration 15): the comment index (FTS5) of a batch's answers is
// written once, by Fold::flush just before the COMMIT (sqlite_ingest.hpp), so FTS5 writes one
// segment per batch instead of one per answer. With 32 clients (perf, writer thread) that took
// sqlite3VtabSavepoint from ~16% of the writer to ~0 and the answer's insert from ~41% to ~21%;
// the writer's CPU per answer went from 89-129 us to 80-105 us (lower in 6 of 7 alternating
// pairs), the ingestion / ceiling ratio (0.19-0.35 with 32 clients) did not move measurably:
// the COMMIT is now ~55% of the writer, and the other threads share the two cores.
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
    // Answers run without a SAVEPOINT each (issue 18): a savepoint copies every page an answer
    // touches to the sub-journal and makes FTS5 write its pending terms out.
    bool bare_batches() override { return true; }
    void begin_bare() override;
    void end_bare() override;

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
