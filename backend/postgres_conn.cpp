// libpq, wrapped for the PostgreSQL engine: parameters, results, one connection with its
// prepared statements, the bounded pool and the group-commit writer (see the header).
#include "postgres_conn.hpp"
#include "postgres_ingest.hpp"
#include "postgres_schema.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <chrono>

namespace npsd::pg {

// ---- parameters ------------------------------------------------------------------------

Params& Params::text(std::string v) {
  // libpq sends text parameters as C strings, and PostgreSQL's text cannot hold NUL at all:
  // refuse it rather than store a shortened value.
  if (v.find('\0') != std::string::npos)
    throw Error("postgresql: a text value holds a NUL character, which PostgreSQL cannot store", "22021");
  values_.emplace_back(std::move(v));
  return *this;
}

// ---- results ---------------------------------------------------------------------------

Result::~Result() { PQclear(r_); }

int Result::rows() const noexcept { return PQntuples(r_); }

bool Result::is_null(int row, int col) const noexcept { return PQgetisnull(r_, row, col) != 0; }

std::string Result::text(int row, int col) const {
  return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
}

std::optional<std::string> Result::opt_text(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return text(row, col);
}

std::int64_t Result::i64(int row, int col) const {
  if (is_null(row, col)) return 0;
  const char* p = PQgetvalue(r_, row, col);
  const char* end = p + PQgetlength(r_, row, col);
  std::int64_t v = 0;
  const auto [last, ec] = std::from_chars(p, end, v);
  if (ec != std::errc() || last != end)
    throw Error("postgresql: column " + std::to_string(col) + " is not an integer: " + std::string(p, end),
                "");
  return v;
}

std::optional<std::int64_t> Result::opt_i64(int row, int col) const {
  if (is_null(row, col)) return std::nullopt;
  return i64(row, col);
}

bool Result::boolean(int row, int col) const noexcept {
  const char* p = PQgetvalue(r_, row, col);
  return p && p[0] == 't';
}

std::int64_t Result::affected() const noexcept {
  const char* n = PQcmdTuples(r_);
  std::int64_t v = 0;
  if (n && *n) std::from_chars(n, n + std::char_traits<char>::length(n), v);
  return v;
}

// ---- connection ------------------------------------------------------------------------

namespace {

std::string conn_error(pg_conn* c) {
  std::string msg = c ? PQerrorMessage(c) : "out of memory";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
    msg.pop_back();
  return msg;
}

struct RawParams {
  std::vector<const char*> values;
  explicit RawParams(const Params& p) {
    values.reserve(p.size());
    for (const auto& v : p.values())
      values.push_back(v ? v->c_str() : nullptr);
  }
  [[nodiscard]] int n() const { return static_cast<int>(values.size()); }
  [[nodiscard]] const char* const* data() const { return values.empty() ? nullptr : values.data(); }
};

} // namespace

Conn::Conn(std::string url, std::string on_connect)
    : url_(std::move(url)), on_connect_(std::move(on_connect)) {
  reconnect();
}

Conn::~Conn() { PQfinish(c_); }

void Conn::reconnect() {
  PQfinish(c_);
  prepared_.clear();
  sent_.clear();
  c_ = PQconnectdb(url_.c_str());
  if (!c_ || PQstatus(c_) != CONNECTION_OK) {
    // The message may quote the connection string: name the host side only.
    const std::string msg = conn_error(c_);
    PQfinish(c_);
    c_ = nullptr;
    throw Error("cannot connect to PostgreSQL: " + msg, "");
  }
  // NOTICEs ("relation already exists, skipping") are not errors: not printed to stderr.
  PQsetNoticeProcessor(
      c_, [](void*, const char*) {}, nullptr);
  if (on_connect_.empty()) return;
  try {
    check(PQexec(c_, on_connect_.c_str()), on_connect_);
  } catch (...) {
    PQfinish(c_); // not kept without its session: the next use connects again
    c_ = nullptr;
    throw;
  }
}

bool Conn::reusable() const noexcept {
  return c_ && sent_.empty() && PQstatus(c_) == CONNECTION_OK && PQtransactionStatus(c_) == PQTRANS_IDLE;
}

Result Conn::check(pg_result* r, const std::string& sql) {
  const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Result(r);
  std::string msg = r ? PQresultErrorMessage(r) : "";
  if (msg.empty()) msg = conn_error(c_);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' '))
    msg.pop_back();
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  std::string sqlstate = state ? state : "";
  PQclear(r);
  const auto first_line = sql.substr(0, sql.find('\n'));
  throw Error("postgresql: " + msg + " (in: " + first_line.substr(0, 80) + ")", std::move(sqlstate));
}

void Conn::exec(const std::string& sql) {
  if (!c_) reconnect();
  settle(); // statements sent with later() first (PQexec is not allowed in pipeline mode)
  check(PQexec(c_, sql.c_str()), sql);
}

Result Conn::run(const std::string& sql, const Params& p) {
  if (!c_) reconnect();
  if (!sent_.empty()) return pipelined(sql, p, true); // one round trip for them and this
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    const std::string name = "s" + std::to_string(++names_);
    check(PQprepare(c_, name.c_str(), sql.c_str(), 0, nullptr), sql);
    it = prepared_.emplace(sql, name).first;
  }
  const RawParams raw(p);
  return check(PQexecPrepared(c_, it->second.c_str(), raw.n(), raw.data(), nullptr, nullptr, 0), sql);
}

Result Conn::once(const std::string& sql, const Params& p) {
  if (!c_) reconnect();
  if (!sent_.empty()) return pipelined(sql, p, false);
  const RawParams raw(p);
  return check(PQexecParams(c_, sql.c_str(), raw.n(), nullptr, raw.data(), nullptr, nullptr, 0), sql);
}

// ---- pool ------------------------------------------------------------------------------

Pool::Lease Pool::lease() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || lent_ < size_; });
  ++lent_;
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(c));
  }
  lock.unlock();
  try {
    return Lease(*this, std::make_unique<Conn>(url_));
  } catch (...) {
    lock.lock();
    --lent_;
    cv_.notify_one();
    throw;
  }
}

void Pool::give_back(std::unique_ptr<Conn> c) {
  // A connection that was lost, or left inside a transaction by a failed call, is closed;
  // the next lease opens a fresh one.
  if (!c->reusable()) c.reset();
  std::lock_guard lock(mu_);
  --lent_;
  if (c) idle_.push_back(std::move(c));
  cv_.notify_one();
}

// ---- writer ----------------------------------------------------------------------------

// The writer's session, set again after a reconnect:
// - 201 only after the commit is on disk: refuse to inherit a server default that would
//   acknowledge before the flush (stronger settings such as remote_apply are kept);
// - its tally slot (schema migration 14): the first of 1..63 no other live writer holds, as a
//   session advisory lock, so each npsd adds its counts to rows of its own and writers never
//   queue on one another's row locks. All taken (63 writers): one shared by the process id.
const char* const kWriterSession =
    "SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') IN "
    "('off', 'local');"
    "SELECT set_config('npsd.slot', coalesce((SELECT s FROM generate_series(1, 63) s WHERE "
    "pg_try_advisory_lock(1852861284, s) LIMIT 1), 1 + pg_backend_pid() % 63)::text, false);";

Writer::Writer(const std::string& url) : conn_(url, writer_guard() + kWriterSession) {
  thread_ = std::thread([this] { loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Writer::enqueue(Job job) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw StorageError("storage is shutting down");
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Writer::write_answer_then(const nps::Response& r, Millis received_at, Storage::InsertDone done) {
  struct Waiting {
    nps::Response response;
    PendingAnswer answer;
  };
  auto w = std::make_shared<Waiting>(Waiting{r, {nullptr, received_at, {}}});
  w->answer.response = &w->response;
  auto shared_done = std::make_shared<Storage::InsertDone>(std::move(done));
  Job job;
  job.answer = &w->answer;
  job.committed = [w, shared_done] { (*shared_done)(&w->answer.outcome, nullptr); };
  job.failed = [w, shared_done](std::exception_ptr e) { (*shared_done)(nullptr, e); };
  enqueue(std::move(job));
}

InsertOutcome Writer::write_answer(const nps::Response& r, Millis received_at) {
  // Shared: the writer may still be inside set_value when this caller wakes and returns.
  auto outcome = std::make_shared<std::promise<InsertOutcome>>();
  auto future = outcome->get_future();
  write_answer_then(r, received_at, [outcome](const InsertOutcome* out, std::exception_ptr e) {
    out ? outcome->set_value(*out) : outcome->set_exception(e);
  });
  return future.get();
}

std::size_t Writer::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void Writer::loop() {
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
    if (batch.size() == 1)
      run_alone(batch.front());
    else
      run_batch(batch);
  }
}

void Writer::rollback_quietly() {
  try {
    conn_.settle(); // what was sent with later(): read (its failure is known already)
  } catch (...) {
  }
  try {
    if (conn_.reusable()) return; // idle: nothing to roll back
    conn_.exec("ROLLBACK");
  } catch (...) {
  }
  if (!conn_.reusable()) {
    try {
      conn_.reconnect();
    } catch (...) {
    }
  }
}

void Writer::run_batch(std::vector<Job>& batch) {
  // One job failed (or the connection did): nothing of the batch is kept; each job runs
  // again alone, so only the failing one reports the failure.
  auto each_alone = [&] {
    rollback_quietly();
    for (auto& j : batch)
      run_alone(j);
  };
  try {
    // BEGIN and what the jobs send with later() travel with their next awaited statement,
    // and the last ones with the COMMIT. Answers next to each other are stored together (one
    // round trip for them all), before the next other job, so it sees them.
    conn_.later("BEGIN", {}, false);
    std::vector<PendingAnswer*> answers;
    for (auto& j : batch) {
      if (j.answer) {
        answers.push_back(j.answer);
        continue;
      }
      insert_answers(conn_, answers);
      answers.clear();
      j.body(conn_);
    }
    insert_answers(conn_, answers);
  } catch (...) {
    each_alone();
    return;
  }
  try {
    conn_.once("COMMIT");
  } catch (const LaterError&) {
    each_alone(); // a statement a job sent with later() failed: the COMMIT did not run
    return;
  } catch (...) {
    // The commit's outcome is unknown (connection lost while committing): every caller
    // gets the error, and a retry with the same idempotency key finds what was stored.
    const auto e = std::current_exception();
    rollback_quietly();
    for (auto& j : batch)
      j.failed(e);
    return;
  }
  for (auto& j : batch)
    j.committed();
}

void Writer::run_alone(Job& job) {
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    bool began = false;
    try {
      conn_.exec("BEGIN");
      began = true;
      if (job.answer) {
        std::vector<PendingAnswer*> one{job.answer};
        insert_answers(conn_, one);
      } else {
        job.body(conn_);
      }
      conn_.once("COMMIT"); // carries what the job sent with later()
      job.committed();
      return;
    } catch (const Error& e) {
      rollback_quietly();
      // Deadlocks and serialization failures come from another writer (another npsd on
      // the same database): the same transaction run again normally succeeds.
      // A connection lost before the job began (PostgreSQL restarted) is opened again.
      if ((e.retryable() || !began) && attempt < kAttempts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
        continue;
      }
      job.failed(std::current_exception());
      return;
    } catch (...) {
      rollback_quietly();
      job.failed(std::current_exception());
      return;
    }
  }
}

} // namespace npsd::pg
