// Group commit, engine-neutral: callers hand a write to one writer thread and wait (write) or
// leave a callback (submit_folding: an answer whose reply the HTTP front gives later); the
// thread takes everything queued (up to kMaxBatch), runs each write inside its own savepoint
// of a single transaction, commits once, and only then answers each caller. A durable
// commit (an fsync) is the cost of a write; under load, many callers share one.
//
// What is whose:
// - Here (any engine): the queue of waiting callers, the batching, each caller's outcome
//   (its own result or exception, delivered only after the commit), shutdown (writes queued
//   before the stop still run; later ones throw StorageError).
// - The engine (BatchTransaction): what "begin", "savepoint", "commit" mean on its
//   connection. SQLite: BEGIN IMMEDIATE / SAVEPOINT / COMMIT under WAL + synchronous=FULL
//   (sqlite_writer.hpp). A PostgreSQL engine would give BEGIN / SAVEPOINT / COMMIT on its
//   one writer connection per process.
//
// The promises kept (storage.hpp's contract relies on them):
// - A write's result reaches its caller only after the transaction holding it committed.
// - A write that throws rolls back its savepoint only: the others of the batch commit. (An
//   engine may run a batch of folding writes without savepoints, BatchTransaction::
//   bare_batches; if one throws there, the batch is rolled back and run again with them.)
// - A failed begin or commit fails every write of the batch, and none of them is stored.
#pragma once

#include "storage.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace npsd {

// An engine's transaction around one batch, on the writer thread only. `Ctx` is what each
// write works on (the engine's connection).
template <class Ctx> class BatchTransaction {
public:
  virtual ~BatchTransaction() = default;
  virtual Ctx& context() = 0;
  virtual void begin() = 0; // opens the batch's transaction
  // A savepoint before one write; `folds`: the write was given with write_folding (an engine
  // may defer some of its work to the commit, see sqlite_ingest.hpp).
  virtual void begin_job(bool folds) = 0;
  virtual void end_job() = 0;  // releases it: the write is part of the batch
  virtual void undo_job() = 0; // rolls the write back to its savepoint
  virtual void commit() = 0;   // returns once the batch is durable
  virtual void rollback() = 0; // after a failed commit, or a failed bare write (below)

  // Optional (issue 18), default off: whether a batch whose writes all fold (write_folding)
  // may run them without a savepoint each, begin_bare/end_bare around each instead of
  // begin_job/end_job. Should one of them throw, the whole batch is rolled back (rollback())
  // and run again the usual way, a savepoint per write: the others still commit and the
  // failing one gets its own error. Such writes may thus run twice; they must act on `Ctx` only.
  virtual bool bare_batches() { return false; }
  virtual void begin_bare() { begin_job(true); }
  virtual void end_bare() { end_job(); }
};

template <class Ctx> class GroupCommit {
public:
  static constexpr std::size_t kMaxBatch = 1000;

  // Starts the writer thread; `txn` must outlive this object.
  explicit GroupCommit(BatchTransaction<Ctx>& txn) : txn_(txn), thread_([this] { loop(); }) {}
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;
  // Runs what is queued, then stops the thread.
  ~GroupCommit() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // Runs f(ctx) on the writer thread inside a transaction; returns f's result once it is
  // committed, or throws what f threw (nothing of f is stored then) or the commit's error.
  template <class F> auto write(F f) -> std::invoke_result_t<F, Ctx&> {
    return write_as(std::move(f), false);
  }
  // The same, for a write whose additive count changes the engine may fold per batch.
  template <class F> auto write_folding(F f) -> std::invoke_result_t<F, Ctx&> {
    return write_as(std::move(f), true);
  }

  // The same as write_folding without waiting: f(ctx) runs on the writer thread and, once its
  // batch is committed (or failed), done(result, error) runs there too, with exactly one of
  // them set. `done` must be quick (it holds up the next batch): hand the outcome on. Throws
  // StorageError at once, without running either, when the storage is shutting down.
  template <class F, class Done> void submit_folding(F f, Done done) {
    using R = std::invoke_result_t<F, Ctx&>;
    auto result = std::make_shared<std::optional<R>>();
    Job job;
    job.body = [f = std::move(f), result](Ctx& c) mutable { result->emplace(f(c)); };
    job.done = [result, done = std::move(done)](std::exception_ptr error) mutable {
      if (error || !*result)
        done(nullptr,
             error ? error : std::make_exception_ptr(StorageError("storage: the write ran no body")));
      else
        done(&**result, nullptr);
    };
    job.folds = true;
    {
      std::lock_guard lock(mu_);
      if (stopping_) throw StorageError("storage is shutting down");
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

  // Writes waiting for the thread (not counting the batch it is running).
  [[nodiscard]] std::size_t pending() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

private:
  template <class F> auto write_as(F f, bool folds) -> std::invoke_result_t<F, Ctx&> {
    using R = std::invoke_result_t<F, Ctx&>;
    // The outcome lands in this frame: the caller waits here until the writer (or a caller
    // of the same batch, below) wakes it, and only then returns.
    std::optional<R> result;
    Waiter waiter;
    Job job;
    job.body = [&f, &result](Ctx& c) { result.emplace(f(c)); };
    job.waiter = &waiter;
    job.folds = folds;
    {
      std::lock_guard lock(mu_);
      if (stopping_) throw StorageError("storage is shutting down");
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
    waiter.wait();
    if (waiter.error) std::rethrow_exception(waiter.error);
    return std::move(*result);
  }

  // One waiting caller. The writer sets every outcome of a batch, then wakes the first caller
  // only; each woken caller wakes the two after it in the batch (a binary tree: caller i wakes
  // 2i+1 and 2i+2) before it returns. Waking a sleeping thread is a system call of several
  // microseconds: done by the callers, on the other cores, instead of all by the writer
  // between two batches (issue 18: ~20% of the SQLite writer's CPU at 32 clients).
  class Waiter {
  public:
    void wait() {
      // A caller sleeps until released (a futex of its own, no spinning: std::atomic::wait
      // spins with sched_yield first, 3.4 system calls per answer for a wait of milliseconds).
      int expected = kWaiting;
      if (state_.compare_exchange_strong(expected, kSleeping, std::memory_order_acquire)) {
        while (state_.load(std::memory_order_acquire) != kReleased)
          ::syscall(SYS_futex, &state_, FUTEX_WAIT_PRIVATE, kSleeping, nullptr, nullptr, 0);
      }
      for (Waiter* w : next)
        if (w) w->release();
    }
    // Once the store is done the waiter may return and its frame be gone: only the futex's
    // address is used after it (a wake-up of an address nobody waits on does nothing; one
    // that lands on a later waiter at the same address is a spurious wake-up it rechecks).
    void release() {
      if (state_.exchange(kReleased, std::memory_order_acq_rel) == kSleeping)
        ::syscall(SYS_futex, &state_, FUTEX_WAKE_PRIVATE, 1, nullptr, nullptr, 0);
    }
    std::exception_ptr error;      // set by the writer before release()
    std::array<Waiter*, 2> next{}; // the same

  private:
    static constexpr int kWaiting = 0, kSleeping = 1, kReleased = 2;
    std::atomic<int> state_{kWaiting};
  };

  struct Job {
    std::function<void(Ctx&)> body;               // write(): two references, no allocation
    Waiter* waiter = nullptr;                     // write(): the caller waiting for the outcome, or
    std::function<void(std::exception_ptr)> done; // submit_folding(): called with it
    bool folds = false;
  };

  void loop() {
    for (;;) {
      std::vector<Job> batch;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return; // stopping, nothing left
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      run_batch(batch);
    }
  }

  // Runs a batch, then answers each caller (null error: committed).
  void run_batch(std::vector<Job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    if (!(batch.size() > 1 && txn_.bare_batches() &&
          std::all_of(batch.begin(), batch.end(), [](const Job& j) { return j.folds; }) &&
          run_bare(batch, errors)))
      run_guarded(batch, errors);
    std::vector<Waiter*> waiting;
    waiting.reserve(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (batch[i].waiter) {
        batch[i].waiter->error = errors[i];
        waiting.push_back(batch[i].waiter);
      } else {
        batch[i].done(errors[i]);
      }
    }
    const std::size_t n = waiting.size();
    for (std::size_t i = 0; i < n; ++i)
      waiting[i]->next = {2 * i + 1 < n ? waiting[2 * i + 1] : nullptr,
                          2 * i + 2 < n ? waiting[2 * i + 2] : nullptr};
    if (n > 0) waiting.front()->release();
  }

  // The batch without a savepoint per write; false (nothing stored) when a write threw: the
  // caller runs the batch again with savepoints.
  bool run_bare(std::vector<Job>& batch, std::vector<std::exception_ptr>& errors) {
    try {
      txn_.begin();
    } catch (...) {
      std::fill(errors.begin(), errors.end(), std::current_exception());
      return true;
    }
    try {
      for (auto& j : batch) {
        txn_.begin_bare();
        j.body(txn_.context());
        txn_.end_bare();
      }
    } catch (...) {
      try {
        txn_.rollback();
      } catch (...) {
      }
      return false;
    }
    commit(errors);
    return true;
  }

  void run_guarded(std::vector<Job>& batch, std::vector<std::exception_ptr>& errors) {
    try {
      txn_.begin();
    } catch (...) {
      std::fill(errors.begin(), errors.end(), std::current_exception());
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        txn_.begin_job(batch[i].folds);
        batch[i].body(txn_.context());
        txn_.end_job();
      } catch (...) {
        errors[i] = std::current_exception();
        try {
          txn_.undo_job();
        } catch (...) {
        }
      }
    }
    commit(errors);
  }

  // A failed commit fails every write of the batch.
  void commit(std::vector<std::exception_ptr>& errors) {
    try {
      txn_.commit();
    } catch (...) {
      std::fill(errors.begin(), errors.end(), std::current_exception());
      try {
        txn_.rollback();
      } catch (...) {
      }
    }
  }

  BatchTransaction<Ctx>& txn_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_; // last: started once everything above is ready
};

} // namespace npsd
