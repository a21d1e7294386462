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

// FIXME: ingestion reaches 0.36-0.50 of the trivial-endpoint ceiling with 32 clients on the
// 2-core VM (npsd_bench, 2026-11-30), against an aim of at least 0.5 in every run (issue 18).
// This thread is now the largest share of an answer's CPU (~45 us of ~140), most of it the
// COMMIT: a page per B-tree the batch touches (~37 for ~10 answers) and the fdatasync. What it
// took: the comment index written once per batch (migration 15, sqlite_ingest.hpp), the WAL's
// frames in one pwrite per commit (sqlite_vfs.hpp), no webhook event built or stored when no
// endpoint takes it (sqlite_webhooks.hpp), and replies given by the HTTP front once the batch
// commits, with no worker thread waiting (deferred_reply.cpp). Writing the next batch while
// the last one syncs was tried and made batches smaller and the ratio lower. What is left:
// fewer B-tree pages per batch, and the cores idle while a commit syncs (most of the 32
// clients' answers wait in it). docs/ingestion_profile.md has the profiles.
class Writer {
public:
  // Opens (creating) the file, sets WAL and synchronous=FULL, migrates, starts the thread.
  explicit Writer(const std::string& path);

  // Runs f(conn) on the writer thread inside a transaction; returns once committed.
  template <class F> auto write(F f) { return commits_.write(std::move(f)); }
  // The same for storing answers: their count changes are folded per batch (sqlite_ingest.hpp).
  template <class F> auto write_folding(F f) { return commits_.write_folding(std::move(f)); }
  // The same without waiting: done(result, error) runs on the writer thread once committed.
  template <class F, class Done> void submit_folding(F f, Done done) {
    commits_.submit_folding(std::move(f), std::move(done));
  }
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
