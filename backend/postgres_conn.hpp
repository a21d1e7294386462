// libpq, wrapped for the PostgreSQL engine: one connection with its cached prepared
// statements, query parameters, results, a bounded pool of connections for readers, and the
// writer thread that does group commit (many callers' writes in one transaction).
//
// Sections: errors · parameters · results · connection · pool · writer
//
// No libpq header leaks out of here: PGconn and PGresult are only forward-declared, so the
// test support and the engine's other files need no libpq include path.
#pragma once

#include "storage.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

struct pg_conn;
struct pg_result;

namespace npsd::pg {

struct PendingAnswer; // postgres_ingest.hpp

// ---- errors ----------------------------------------------------------------------------

// A failed statement, with PostgreSQL's SQLSTATE ("" when the connection itself failed).
class Error : public StorageError {
public:
  Error(const std::string& message, std::string sqlstate)
      : StorageError(message), sqlstate_(std::move(sqlstate)) {}
  [[nodiscard]] const std::string& sqlstate() const noexcept { return sqlstate_; }
  // Deadlock or serialization failure: running the same transaction again may succeed.
  [[nodiscard]] bool retryable() const noexcept { return sqlstate_ == "40P01" || sqlstate_ == "40001"; }

private:
  std::string sqlstate_;
};

// ---- parameters ------------------------------------------------------------------------

// Statement parameters in text format, $1 first.
class Params {
public:
  Params& add(std::int64_t v) { return text(std::to_string(v)); }
  Params& add(int v) { return text(std::to_string(v)); }
  Params& add(std::string_view v) { return text(std::string(v)); }
  Params& add(const std::string& v) { return text(v); }
  Params& add(const char* v) { return text(v); }
  Params& add(bool v) { return text(v ? "t" : "f"); }
  Params& add_null() {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  template <class T> Params& add(const std::optional<T>& v) { return v ? add(*v) : add_null(); }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  [[nodiscard]] const std::vector<std::optional<std::string>>& values() const noexcept { return values_; }

private:
  Params& text(std::string v);
  std::vector<std::optional<std::string>> values_;
};

// ---- results ---------------------------------------------------------------------------

class Result {
public:
  explicit Result(pg_result* r) noexcept : r_(r) {}
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&&) = delete;
  Result(const Result&) = delete;
  ~Result();

  [[nodiscard]] int rows() const noexcept;
  [[nodiscard]] bool is_null(int row, int col) const noexcept;
  [[nodiscard]] std::string text(int row, int col) const;
  [[nodiscard]] std::optional<std::string> opt_text(int row, int col) const;
  [[nodiscard]] std::int64_t i64(int row, int col) const; // NULL reads as 0
  [[nodiscard]] std::optional<std::int64_t> opt_i64(int row, int col) const;
  [[nodiscard]] bool boolean(int row, int col) const noexcept;
  [[nodiscard]] std::int64_t affected() const noexcept; // rows changed by INSERT/UPDATE/DELETE

private:
  pg_result* r_;
};

// ---- connection ------------------------------------------------------------------------

class Conn {
public:
  // Throws Error when PostgreSQL cannot be reached. `on_connect` (statements without
  // parameters, several allowed) runs after every connect, the first and each reconnect: the
  // session's settings, which a new connection would not have.
  explicit Conn(std::string url, std::string on_connect = {});
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  // Statements without parameters, several allowed (BEGIN, migrations).
  void exec(const std::string& sql);
  // A statement prepared once per connection (cached by its text) and run with `p`.
  Result run(const std::string& sql, const Params& p = {});
  // A one-off statement (dynamic SQL such as filtered lists), not prepared.
  Result once(const std::string& sql, const Params& p = {});

  // Pipelining (libpq's pipeline mode, postgres_pipeline.cpp): `later` sends a statement
  // (prepared and cached as by run; `prepared` false: a one-off like BEGIN) without waiting
  // for its result. The next run or once sends its own statement behind the waiting ones and
  // reads every result in one round trip; `settle` (exec too) waits for them alone. A failure
  // of a statement sent later is thrown as LaterError by whichever call reads it, and the
  // statements after it are skipped. Only for statements whose result nobody reads, inside a
  // transaction that a run/once/settle ends (the writer's COMMIT does).
  void later(const std::string& sql, const Params& p = {}, bool prepared = true);
  void settle();

  // False when the connection is lost or a transaction was left open: a pool drops it.
  [[nodiscard]] bool reusable() const noexcept;
  void reconnect(); // after a lost connection; forgets the prepared statements

private:
  Result check(pg_result* r, const std::string& sql);
  Result pipelined(const std::string& sql, const Params& p, bool prepared);
  pg_result* drain(bool keep_last);
  const std::string& send_prepare(const std::string& sql);
  void send(const std::string& sql, const Params& p, bool prepared);
  std::string url_;
  std::string on_connect_;
  pg_conn* c_ = nullptr;
  std::unordered_map<std::string, std::string> prepared_; // SQL text → statement name
  std::size_t names_ = 0;                                 // statement names given: s1, s2, …
  // Sent and not yet read, in order: each one's SQL text, and whether it prepares it.
  struct Sent {
    std::string sql;
    bool prepare;
  };
  std::vector<Sent> sent_;
};

// A statement sent with Conn::later failed: the transaction is aborted, as for any failure,
// but the statement may belong to an earlier job of the batch than the one that reads it.
class LaterError : public Error {
public:
  using Error::Error;
};

// ---- pool ------------------------------------------------------------------------------

// At most `size` connections, opened on demand; a caller waits while all are lent out.
class Pool {
public:
  Pool(std::string url, std::size_t size) : url_(std::move(url)), size_(size) {}
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  class Lease {
  public:
    Lease(Pool& p, std::unique_ptr<Conn> c) : p_(&p), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept = default;
    ~Lease() {
      if (c_) p_->give_back(std::move(c_));
    }
    Conn* operator->() const { return c_.get(); }
    Conn& operator*() const { return *c_; }

  private:
    Pool* p_;
    std::unique_ptr<Conn> c_;
  };

  Lease lease();

private:
  void give_back(std::unique_ptr<Conn> c);
  std::string url_;
  std::size_t size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  std::size_t lent_ = 0;
};

// ---- writer ----------------------------------------------------------------------------

// One connection owned by one thread: every write is a job in its queue. The thread takes
// everything queued (up to kMaxBatch) and runs the jobs one after the other in a single
// transaction, commits once (one WAL flush for the whole batch), and only then answers each
// caller. No savepoint per job: when any job fails, the batch is rolled back and each of its
// jobs runs again in a transaction of its own, so a failing job fails alone. Jobs must
// therefore be re-runnable (they only read their inputs and the connection).
class Writer {
public:
  static constexpr std::size_t kMaxBatch = 256;

  explicit Writer(const std::string& url);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Runs f(conn) on the writer thread inside a transaction; returns once committed.
  template <class F> auto write(F f) -> std::invoke_result_t<F, Conn&> {
    using R = std::invoke_result_t<F, Conn&>;
    auto promise = std::make_shared<std::promise<R>>();
    auto result = std::make_shared<std::optional<R>>();
    auto future = promise->get_future();
    Job job;
    job.body = [f = std::move(f), result](Conn& c) mutable { result->emplace(f(c)); };
    job.committed = [promise, result] { promise->set_value(std::move(**result)); };
    job.failed = [promise](std::exception_ptr e) { promise->set_exception(e); };
    enqueue(std::move(job));
    return future.get();
  }

  // Stores an answer (without a daily cap) together with the other answers of its batch:
  // one INSERT for all of them (insert_answers, postgres_ingest.hpp). Returns its outcome once
  // committed.
  InsertOutcome write_answer(const nps::Response& r, Millis received_at);
  // The same without waiting: done(outcome, error) runs on the writer thread once committed
  // (or failed), with exactly one of them set; it must be quick.
  void write_answer_then(const nps::Response& r, Millis received_at, Storage::InsertDone done);

  [[nodiscard]] std::size_t pending() const;

private:
  struct Job {
    std::function<void(Conn&)> body;
    PendingAnswer* answer = nullptr; // instead of a body: stored with the batch's other answers
    std::function<void()> committed;
    std::function<void(std::exception_ptr)> failed;
  };
  void enqueue(Job job);
  void loop();
  void run_batch(std::vector<Job>& batch);
  void run_alone(Job& job);
  void rollback_quietly();

  Conn conn_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace npsd::pg
