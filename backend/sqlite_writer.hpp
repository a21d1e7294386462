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

// FIXME: ingestion reaches 0.35-0.38 of the trivial-endpoint ceiling with 32 clients (0.14 with
// 8, where it is bound by latency: 8 / p50) on the 2-core VM (npsd_bench), against an aim of
// 0.5 (issue 18). This thread is no longer the bottleneck: 52-57 us of CPU per stored answer
// (94-118 us before the changes below, 290-425 us before the folding), against 225-261 us for
// the whole process (clients included) and 94-98 us for a config request. What it took: the
// comment index written once per batch (migration 15, sqlite_ingest.hpp), the WAL's frames in
// one pwrite per commit (the npsd-wal VFS, sqlite_vfs.hpp), callers woken by each other (a
// binary tree, storage_group_commit.hpp) on futexes of their own, webhook ids without a
// getrandom call each. An answer still costs ~24 system calls against ~16 for a config request
// (perf stat, issue 18 in docs/operations.md), and every system call is dear on this
// paravirtualised machine: the request thread's sleep and wake-up (2 futex calls), the POST's
// body, the COMMIT's fdatasync and checkpoints. What is left to try: a request served without
// a worker thread sleeping on the commit (the front answering when the writer is done), the
// checkpoint on a thread of its own, and less JSON (nlohmann's maps) on the request path.
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
