// The SQLite engine of the storage interface.
//
// Sections: connection helpers · migrations · rows · writer thread (group commit) ·
// SqliteStorage (surveys, responses, tallies, tokens, privacy)
//
// One writer connection owned by one thread: every write is a job in its queue. The
// thread takes everything queued (up to kMaxBatch), runs each job inside its own
// SAVEPOINT of a single transaction, commits once (WAL + synchronous=FULL: one fsync for
// the whole batch), and only then answers each caller. A job that fails rolls back its
// savepoint only. Readers use a small pool of read connections; WAL lets them read while
// the writer writes.
#include "storage.hpp"

#include "nps/json.hpp"

#include <sqlite3.h>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace npsd {

std::string_view to_string(Role r) noexcept {
  switch (r) {
  case Role::viewer: return "viewer";
  case Role::analyst: return "analyst";
  case Role::editor: return "editor";
  case Role::admin: return "admin";
  }
  return "viewer";
}

std::optional<Role> role_from_string(std::string_view s) noexcept {
  for (Role r : {Role::viewer, Role::analyst, Role::editor, Role::admin})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

namespace {

// ---- connection helpers ----------------------------------------------------------------

class Stmt {
public:
  Stmt(sqlite3* db, sqlite3_stmt* s, bool owned) : db_(db), s_(s), owned_(owned) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() {
    if (owned_)
      sqlite3_finalize(s_);
    else {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }

  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, int v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, std::string_view v) {
    return check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }
  template <class T> Stmt& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind_null(i); }

  // True while there is a row.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StorageError(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  void run() {
    while (step()) {
    }
  }

  std::int64_t i64(int c) const { return sqlite3_column_int64(s_, c); }
  bool is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string();
  }
  std::optional<std::string> opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
  }

private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) throw StorageError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* s_;
  bool owned_;
};

class Conn {
public:
  Conn(const std::string& path, bool read_only) {
    const int flags =
        (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StorageError("cannot open " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn() {
    for (auto& [sql, s] : cache_)
      sqlite3_finalize(s);
    sqlite3_close(db_);
  }

  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw StorageError(std::string("sqlite: ") + msg);
    }
  }

  // A cached prepared statement: the same SQL text is compiled once per connection.
  Stmt prep(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) it = cache_.emplace(sql, compile(sql)).first;
    return Stmt(db_, it->second, false);
  }
  // A one-off statement (dynamic SQL such as filtered lists).
  Stmt once(const std::string& sql) { return Stmt(db_, compile(sql), true); }

  std::int64_t last_id() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

private:
  sqlite3_stmt* compile(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
      throw StorageError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    return s;
  }
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// ---- migrations ------------------------------------------------------------------------

// Applied in order on open; PRAGMA user_version holds how many have been applied. Never
// edit a shipped migration: append a new one.
constexpr const char* kMigrations[] = {
    // 1: surveys, responses, per-day tallies, tokens.
    R"sql(
CREATE TABLE surveys (
  id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  version INTEGER NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  etag TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE responses (
  id INTEGER PRIMARY KEY,
  survey_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
  category TEXT NOT NULL,
  comment TEXT,
  answers TEXT NOT NULL DEFAULT '{}',
  channel TEXT NOT NULL,
  locale TEXT,
  device TEXT,
  page TEXT,
  respondent_id TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  client_time INTEGER,
  received_at INTEGER NOT NULL,
  UNIQUE (survey_id, idempotency_key)
);
CREATE INDEX responses_by_survey ON responses (survey_id, id);
CREATE INDEX responses_by_respondent ON responses (respondent_id) WHERE respondent_id IS NOT NULL;
CREATE INDEX responses_by_time ON responses (received_at);
CREATE TABLE day_tallies (
  survey_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  channel TEXT NOT NULL,
  locale TEXT NOT NULL,
  device TEXT NOT NULL,
  c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
  c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
  PRIMARY KEY (survey_id, day, channel, locale, device)
) WITHOUT ROWID;
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 2: per-survey, per-day totals over every segment, kept beside day_tallies so the
    // unfiltered summary and trend read one row per day instead of one per segment.
    R"sql(
CREATE TABLE day_totals (
  survey_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
  c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
  PRIMARY KEY (survey_id, day)
) WITHOUT ROWID;
INSERT INTO day_totals
  SELECT survey_id, day, sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7),
         sum(c8), sum(c9), sum(c10)
  FROM day_tallies GROUP BY survey_id, day;
)sql",
    // 3: users, sessions, follow-up items and their notes.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  user_id INTEGER,
  token_id INTEGER,
  role TEXT NOT NULL,
  email TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE follow_ups (
  response_id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  assignee_id INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE TABLE follow_up_notes (
  id INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX follow_up_notes_by_response ON follow_up_notes (response_id, id);
CREATE INDEX responses_by_category ON responses (survey_id, category, id);
)sql",
};

void migrate(Conn& c) {
  auto st = c.prep("PRAGMA user_version");
  st.step();
  const auto applied = static_cast<std::size_t>(st.i64(0));
  const std::size_t known = std::size(kMigrations);
  if (applied > known)
    throw StorageError("the database was written by a newer npsd (schema " + std::to_string(applied) +
                       ", this build knows " + std::to_string(known) + ")");
  for (std::size_t i = applied; i < known; ++i) {
    c.exec("BEGIN IMMEDIATE");
    try {
      c.exec(kMigrations[i]);
      c.exec(("PRAGMA user_version = " + std::to_string(i + 1)).c_str());
      c.exec("COMMIT");
    } catch (...) {
      c.exec("ROLLBACK");
      throw;
    }
  }
}

// ---- rows ------------------------------------------------------------------------------

constexpr const char* kResponseColumns =
    "id, survey_id, idempotency_key, score, comment, answers, channel, locale, device, page, "
    "respondent_id, attributes, client_time, received_at";

nps::json parse_stored_json(const std::string& text) {
  nps::json j = nps::json::parse(text, nullptr, false);
  return j.is_discarded() ? nps::json::object() : j;
}

StoredResponse read_response(const Stmt& s) {
  StoredResponse out;
  out.id = s.i64(0);
  auto& r = out.response;
  r.survey_id = s.text(1);
  r.idempotency_key = s.text(2);
  r.score = nps::Score::from_int(s.i64(3)).value();
  r.comment = s.opt_text(4);
  r.answers = parse_stored_json(s.text(5));
  r.channel = nps::channel_from_string(s.text(6)).value_or(nps::Channel::api);
  r.locale = s.opt_text(7);
  if (auto d = s.opt_text(8)) r.device = nps::device_from_string(*d);
  r.page = s.opt_text(9);
  r.respondent_id = s.opt_text(10);
  r.attributes = parse_stored_json(s.text(11));
  if (!s.is_null(12)) r.client_time = s.i64(12);
  out.received_at = s.i64(13);
  return out;
}

std::string opt_device(const std::optional<nps::Device>& d) {
  return d ? std::string(nps::to_string(*d)) : std::string();
}

// Adds `delta` to one score's cell of the day tally of the response's segment and of the
// day's total, in the caller's transaction.
void bump_tally(Conn& c, const nps::Response& r, std::int32_t day, int delta) {
  auto st = c.prep("INSERT INTO day_tallies (survey_id, day, channel, locale, device, "
                   "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16) "
                   "ON CONFLICT (survey_id, day, channel, locale, device) DO UPDATE SET "
                   "c0 = c0 + excluded.c0, c1 = c1 + excluded.c1, c2 = c2 + excluded.c2, "
                   "c3 = c3 + excluded.c3, c4 = c4 + excluded.c4, c5 = c5 + excluded.c5, "
                   "c6 = c6 + excluded.c6, c7 = c7 + excluded.c7, c8 = c8 + excluded.c8, "
                   "c9 = c9 + excluded.c9, c10 = c10 + excluded.c10");
  st.bind(1, r.survey_id).bind(2, day).bind(3, nps::to_string(r.channel));
  st.bind(4, r.locale.value_or("")).bind(5, opt_device(r.device));
  for (int s = 0; s <= 10; ++s)
    st.bind(6 + s, s == r.score.value() ? delta : 0);
  st.run();
  auto total = c.prep("INSERT INTO day_totals (survey_id, day, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
                      "ON CONFLICT (survey_id, day) DO UPDATE SET "
                      "c0 = c0 + excluded.c0, c1 = c1 + excluded.c1, c2 = c2 + excluded.c2, "
                      "c3 = c3 + excluded.c3, c4 = c4 + excluded.c4, c5 = c5 + excluded.c5, "
                      "c6 = c6 + excluded.c6, c7 = c7 + excluded.c7, c8 = c8 + excluded.c8, "
                      "c9 = c9 + excluded.c9, c10 = c10 + excluded.c10");
  total.bind(1, r.survey_id).bind(2, day);
  for (int s = 0; s <= 10; ++s)
    total.bind(3 + s, s == r.score.value() ? delta : 0);
  total.run();
}

std::optional<StoredResponse> find_in(Conn& c, const std::string& survey_id, const std::string& key) {
  auto st = c.prep(std::string("SELECT ") + kResponseColumns +
                   " FROM responses WHERE survey_id = ?1 AND idempotency_key = ?2");
  st.bind(1, survey_id).bind(2, key);
  if (!st.step()) return std::nullopt;
  return read_response(st);
}

// Deletes the given responses and takes their counts out of the tallies.
std::size_t delete_where(Conn& c, const std::string& where, const std::function<void(Stmt&)>& bind) {
  auto sel = c.once(std::string("SELECT ") + kResponseColumns + " FROM responses WHERE " + where);
  bind(sel);
  std::vector<StoredResponse> doomed;
  while (sel.step())
    doomed.push_back(read_response(sel));
  for (const auto& d : doomed) {
    bump_tally(c, d.response, day_of(d.received_at), -1);
    auto del = c.prep("DELETE FROM responses WHERE id = ?1");
    del.bind(1, d.id).run();
    c.prep("DELETE FROM follow_ups WHERE response_id = ?1").bind(1, d.id).run();
    c.prep("DELETE FROM follow_up_notes WHERE response_id = ?1").bind(1, d.id).run();
  }
  return doomed.size();
}

SurveyRecord read_survey(const Stmt& s) {
  SurveyRecord r;
  r.id = s.text(0);
  r.definition = s.text(1);
  r.version = s.i64(2);
  r.archived = s.i64(3) != 0;
  r.etag = s.text(4);
  r.updated_at = s.i64(5);
  return r;
}

TokenRecord read_token(const Stmt& s) {
  TokenRecord t;
  t.id = s.i64(0);
  t.hash = s.text(1);
  t.role = role_from_string(s.text(2)).value_or(Role::viewer);
  t.name = s.text(3);
  t.created_at = s.i64(4);
  return t;
}

UserRecord read_user(const Stmt& s) {
  UserRecord u;
  u.id = s.i64(0);
  u.email = s.text(1);
  u.role = role_from_string(s.text(2)).value_or(Role::viewer);
  u.password_hash = s.text(3);
  u.created_at = s.i64(4);
  return u;
}

// Detractors (and passives when asked) with a comment or a respondent id, with their
// follow-up state (a missing row is "new") and notes. `one`: only this response id.
std::vector<FollowUp> query_follow_ups(Conn& c, const FollowUpFilter& f, std::optional<std::int64_t> one,
                                       std::optional<std::int64_t> before, std::size_t limit) {
  std::string cols;
  for (std::string_view col :
       {"id", "survey_id", "idempotency_key", "score", "comment", "answers", "channel", "locale", "device",
        "page", "respondent_id", "attributes", "client_time", "received_at"})
    cols += (cols.empty() ? "r." : ", r.") + std::string(col);
  std::string sql =
      "SELECT " + cols +
      ", coalesce(f.status, 'new'), f.assignee_id, coalesce(u.email, ''), coalesce(f.updated_at, 0) "
      "FROM responses r LEFT JOIN follow_ups f ON f.response_id = r.id "
      "LEFT JOIN users u ON u.id = f.assignee_id WHERE r.survey_id = ?1 AND ";
  sql += f.include_passives ? "r.category IN ('detractor', 'passive')" : "r.category = 'detractor'";
  sql += " AND ((r.comment IS NOT NULL AND r.comment != '') OR r.respondent_id IS NOT NULL)";
  if (one) sql += " AND r.id = ?2";
  if (f.status) sql += " AND coalesce(f.status, 'new') = ?3";
  if (f.open_only) sql += " AND coalesce(f.status, 'new') != 'resolved'";
  if (f.assignee_id) sql += " AND f.assignee_id = ?4";
  if (before) sql += " AND r.id < ?5";
  sql += " ORDER BY r.id DESC LIMIT " + std::to_string(limit);
  auto st = c.once(sql);
  st.bind(1, f.survey_id);
  if (one) st.bind(2, *one);
  if (f.status) st.bind(3, *f.status);
  if (f.assignee_id) st.bind(4, *f.assignee_id);
  if (before) st.bind(5, *before);
  std::vector<FollowUp> out;
  while (st.step()) {
    FollowUp item;
    item.response = read_response(st);
    item.status = st.text(14);
    if (!st.is_null(15)) item.assignee_id = st.i64(15);
    item.assignee_email = st.text(16);
    item.updated_at = st.i64(17);
    out.push_back(std::move(item));
  }
  for (auto& item : out) {
    auto notes =
        c.prep("SELECT id, author, text, created_at FROM follow_up_notes WHERE response_id = ?1 ORDER BY id");
    notes.bind(1, item.response.id);
    while (notes.step())
      item.notes.push_back({notes.i64(0), notes.text(1), notes.text(2), notes.i64(3)});
  }
  return out;
}

std::string like_escape(std::string_view s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

// ---- writer thread (group commit) ------------------------------------------------------

// FIXME: ingestion runs at ~0.2 of the trivial-endpoint ceiling (npsd_bench). A profile of
// the ingestion phase alone (perf, 2-core VM) puts 58% of the time in the kernel and 19% in
// libc (poll, send/recv, futex hand-offs to this thread, the WAL's pwrite and fsync), and
// only ~23% in npsd, SQLite, httplib and libstdc++ together: shaving our CPU cannot reach
// 0.5. What could: fewer syscalls per answer (answer the HTTP request from this thread after
// the commit instead of waking the request thread; larger batches under load), then the CPU
// steps: no per-job SAVEPOINT for inserts, a statement cache keyed by id, a per-day count
// for the daily cap.
class Writer {
public:
  static constexpr std::size_t kMaxBatch = 1000;

  explicit Writer(const std::string& path) : conn_(path, false) {
    conn_.exec("PRAGMA journal_mode = WAL");
    conn_.exec("PRAGMA synchronous = FULL");
    conn_.exec("PRAGMA foreign_keys = ON");
    migrate(conn_);
    thread_ = std::thread([this] { loop(); });
  }
  ~Writer() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

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
    {
      std::lock_guard lock(mu_);
      if (stopping_) throw StorageError("storage is shutting down");
      queue_.push_back(std::move(job));
    }
    cv_.notify_one();
    return future.get();
  }

  std::size_t pending() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }

private:
  struct Job {
    std::function<void(Conn&)> body;
    std::function<void()> committed;
    std::function<void(std::exception_ptr)> failed;
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

  void run_batch(std::vector<Job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    try {
      conn_.exec("BEGIN IMMEDIATE");
    } catch (...) {
      for (auto& j : batch)
        j.failed(std::current_exception());
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      try {
        conn_.prep("SAVEPOINT job").run();
        batch[i].body(conn_);
        conn_.prep("RELEASE job").run();
      } catch (...) {
        errors[i] = std::current_exception();
        try {
          conn_.prep("ROLLBACK TO job").run();
          conn_.prep("RELEASE job").run();
        } catch (...) {
        }
      }
    }
    try {
      conn_.exec("COMMIT");
    } catch (...) {
      auto e = std::current_exception();
      try {
        conn_.exec("ROLLBACK");
      } catch (...) {
      }
      for (auto& j : batch)
        j.failed(e);
      return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (errors[i])
        batch[i].failed(errors[i]);
      else
        batch[i].committed();
    }
  }

  Conn conn_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

// ---- SqliteStorage ---------------------------------------------------------------------

class SqliteStorage final : public Storage {
public:
  explicit SqliteStorage(const std::string& path) : path_(path), writer_(path) {}

  std::vector<SurveyRecord> surveys() const override {
    auto c = lease();
    auto st = c->prep("SELECT id, definition, version, archived, etag, updated_at FROM surveys ORDER BY id");
    std::vector<SurveyRecord> out;
    while (st.step())
      out.push_back(read_survey(st));
    return out;
  }

  std::optional<SurveyRecord> survey(const std::string& id) const override {
    auto c = lease();
    auto st =
        c->prep("SELECT id, definition, version, archived, etag, updated_at FROM surveys WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_survey(st);
  }

  SurveyRecord put_survey(const SurveyRecord& s, Millis now) override {
    return writer_.write([s, now](Conn& c) {
      c.prep("INSERT INTO surveys (id, definition, version, archived, etag, created_at, updated_at) "
             "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?5) "
             "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, version = version + 1, "
             "archived = excluded.archived, etag = excluded.etag, updated_at = excluded.updated_at")
          .bind(1, s.id)
          .bind(2, s.definition)
          .bind(3, s.archived ? 1 : 0)
          .bind(4, s.etag)
          .bind(5, now)
          .run();
      auto st =
          c.prep("SELECT id, definition, version, archived, etag, updated_at FROM surveys WHERE id = ?1");
      st.bind(1, s.id);
      st.step();
      return read_survey(st);
    });
  }

  bool set_archived(const std::string& id, bool archived, Millis now) override {
    return writer_.write([id, archived, now](Conn& c) {
      c.prep("UPDATE surveys SET archived = ?2, updated_at = ?3 WHERE id = ?1")
          .bind(1, id)
          .bind(2, archived ? 1 : 0)
          .bind(3, now)
          .run();
      return c.changes() > 0;
    });
  }

  InsertOutcome insert_response(const nps::Response& r, Millis received_at,
                                std::uint32_t daily_cap) override {
    return writer_.write([r, received_at, daily_cap](Conn& c) {
      if (auto existing = find_in(c, r.survey_id, r.idempotency_key))
        return InsertOutcome{Inserted::duplicate, std::move(*existing)};
      const auto day = day_of(received_at);
      if (daily_cap > 0) {
        auto st = c.prep("SELECT coalesce(sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10), 0) "
                         "FROM day_totals WHERE survey_id = ?1 AND day = ?2");
        st.bind(1, r.survey_id).bind(2, day);
        st.step();
        if (st.i64(0) >= static_cast<std::int64_t>(daily_cap))
          return InsertOutcome{Inserted::cap_reached, {}};
      }
      return InsertOutcome{Inserted::created, insert_new(c, r, received_at, day)};
    });
  }

  std::size_t import_responses(const std::vector<std::pair<nps::Response, Millis>>& rows) override {
    return writer_.write([&rows](Conn& c) {
      std::size_t stored = 0;
      for (const auto& [r, received_at] : rows) {
        if (find_in(c, r.survey_id, r.idempotency_key)) continue;
        insert_new(c, r, received_at, day_of(received_at));
        ++stored;
      }
      return stored;
    });
  }

  // A response not yet stored: its row and its counts in the tallies.
  static StoredResponse insert_new(Conn& c, const nps::Response& r, Millis received_at, std::int32_t day) {
    {
      auto ins =
          c.prep("INSERT INTO responses (survey_id, idempotency_key, score, category, comment, answers, "
                 "channel, locale, device, page, respondent_id, attributes, client_time, received_at) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
      ins.bind(1, r.survey_id).bind(2, r.idempotency_key).bind(3, r.score.value());
      ins.bind(4, nps::to_string(r.category())).bind(5, r.comment).bind(6, nps::dump(r.answers));
      ins.bind(7, nps::to_string(r.channel)).bind(8, r.locale);
      if (r.device)
        ins.bind(9, nps::to_string(*r.device));
      else
        ins.bind_null(9);
      ins.bind(10, r.page).bind(11, r.respondent_id).bind(12, nps::dump(r.attributes));
      ins.bind(13, r.client_time).bind(14, received_at);
      ins.run();
    }
    StoredResponse out{c.last_id(), r, received_at};
    bump_tally(c, r, day, +1);
    return out;
  }

  std::optional<StoredResponse> update_response(const nps::Response& r) override {
    return writer_.write([r](Conn& c) -> std::optional<StoredResponse> {
      auto old = find_in(c, r.survey_id, r.idempotency_key);
      if (!old) return std::nullopt;
      // Only what a follow-up may change; where and how the answer was given stays.
      nps::Response updated = old->response;
      updated.comment = r.comment;
      updated.answers = r.answers;
      updated.score = r.score;
      c.prep("UPDATE responses SET comment = ?2, answers = ?3, score = ?4, category = ?5 WHERE id = ?1")
          .bind(1, old->id)
          .bind(2, updated.comment)
          .bind(3, nps::dump(updated.answers))
          .bind(4, updated.score.value())
          .bind(5, nps::to_string(updated.category()))
          .run();
      if (updated.score != old->response.score) {
        const auto day = day_of(old->received_at);
        bump_tally(c, old->response, day, -1);
        bump_tally(c, updated, day, +1);
      }
      return StoredResponse{old->id, updated, old->received_at};
    });
  }

  std::optional<StoredResponse> find_response(const std::string& survey_id,
                                              const std::string& key) const override {
    auto c = lease();
    return find_in(*c, survey_id, key);
  }

  ResponsePage list_responses(const ResponseFilter& f, std::optional<std::int64_t> before,
                              std::size_t limit) const override {
    std::vector<std::function<void(Stmt&, int)>> binds;
    std::string sql = std::string("SELECT ") + kResponseColumns + " FROM responses WHERE survey_id = ?1" +
                      where(f, before, binds) + " ORDER BY id DESC LIMIT " + std::to_string(limit + 1);
    auto c = lease();
    auto st = c->once(sql);
    st.bind(1, f.survey_id);
    for (std::size_t i = 0; i < binds.size(); ++i)
      binds[i](st, static_cast<int>(i + 2));
    ResponsePage page;
    while (st.step())
      page.items.push_back(read_response(st));
    if (page.items.size() > limit) {
      page.items.pop_back();
      page.next = page.items.back().id;
    }
    return page;
  }

  std::vector<TallyGroupRow> score_groups(const ResponseFilter& f,
                                          const std::optional<std::string>& attribute) const override {
    std::vector<std::function<void(Stmt&, int)>> binds;
    std::string key = "coalesce(page, '')";
    if (attribute) {
      const std::string p = "?" + std::to_string(binds.size() + 2);
      binds.push_back([k = "$.\"" + *attribute + "\""](Stmt& s, int i) { s.bind(i, k); });
      key = "coalesce(CASE json_type(attributes, " + p +
            ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
            "ELSE CAST(json_extract(attributes, " +
            p + ") AS TEXT) END, '')";
    }
    const std::string sql = "SELECT " + key + ", score, count(*) FROM responses WHERE survey_id = ?1" +
                            where(f, std::nullopt, binds) + " GROUP BY 1, 2 ORDER BY 1";
    auto c = lease();
    auto st = c->once(sql);
    st.bind(1, f.survey_id);
    for (std::size_t i = 0; i < binds.size(); ++i)
      binds[i](st, static_cast<int>(i + 2));
    std::vector<TallyGroupRow> out;
    while (st.step()) {
      auto k = st.text(0);
      if (out.empty() || out.back().key != k) out.push_back(TallyGroupRow{k, 0, {}});
      out.back().tally.add(nps::Score::from_int(st.i64(1)).value(), static_cast<std::uint64_t>(st.i64(2)));
    }
    return out;
  }

private:
  // The WHERE clauses of a response filter after "survey_id = ?1"; parameters from ?2 on,
  // continuing the numbering of `binds`.
  static std::string where(const ResponseFilter& f, std::optional<std::int64_t> before,
                           std::vector<std::function<void(Stmt&, int)>>& binds) {
    std::string sql;
    auto add = [&](const std::string& clause, std::function<void(Stmt&, int)> b) {
      sql += " AND " + clause;
      binds.push_back(std::move(b));
    };
    auto n = [&] { return "?" + std::to_string(binds.size() + 2); };
    if (f.from) add("received_at >= " + n(), [v = *f.from](Stmt& s, int i) { s.bind(i, v); });
    if (f.to) add("received_at < " + n(), [v = *f.to](Stmt& s, int i) { s.bind(i, v); });
    if (f.category)
      add("category = " + n(),
          [v = std::string(nps::to_string(*f.category))](Stmt& s, int i) { s.bind(i, v); });
    if (f.score) add("score = " + n(), [v = *f.score](Stmt& s, int i) { s.bind(i, v); });
    if (f.channel) add("channel = " + n(), [v = *f.channel](Stmt& s, int i) { s.bind(i, v); });
    if (f.locale) add("locale = " + n(), [v = *f.locale](Stmt& s, int i) { s.bind(i, v); });
    if (f.device) add("device = " + n(), [v = *f.device](Stmt& s, int i) { s.bind(i, v); });
    if (f.with_respondent) sql += " AND respondent_id IS NOT NULL";
    if (f.respondent_id)
      add("respondent_id = " + n(), [v = *f.respondent_id](Stmt& s, int i) { s.bind(i, v); });
    if (f.text)
      add("comment LIKE " + n() + " ESCAPE '\\'",
          [v = like_escape(*f.text)](Stmt& s, int i) { s.bind(i, v); });
    if (f.attribute_key && f.attribute_value) {
      const std::string p = n();
      binds.push_back([k = "$.\"" + *f.attribute_key + "\""](Stmt& s, int i) { s.bind(i, k); });
      const std::string v = n();
      binds.push_back([val = *f.attribute_value](Stmt& s, int i) { s.bind(i, val); });
      sql += " AND (CASE json_type(attributes, " + p +
             ") WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' "
             "ELSE CAST(json_extract(attributes, " +
             p + ") AS TEXT) END) = " + v;
    }
    if (before) add("id < " + n(), [v = *before](Stmt& s, int i) { s.bind(i, v); });
    return sql;
  }

public:
  std::uint64_t count_responses(const std::string& survey_id) const override {
    auto c = lease();
    auto st = c->prep("SELECT count(*) FROM responses WHERE survey_id = ?1");
    st.bind(1, survey_id);
    st.step();
    return static_cast<std::uint64_t>(st.i64(0));
  }

  std::vector<TallyRow> tallies(const std::string& survey_id, std::int32_t from_day,
                                std::int32_t to_day) const override {
    auto c = lease();
    auto st = c->prep("SELECT day, channel, locale, device, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 "
                      "FROM day_tallies WHERE survey_id = ?1 AND day BETWEEN ?2 AND ?3");
    st.bind(1, survey_id).bind(2, from_day).bind(3, to_day);
    std::vector<TallyRow> out;
    while (st.step()) {
      TallyRow row;
      row.day = static_cast<std::int32_t>(st.i64(0));
      row.channel = st.text(1);
      row.locale = st.text(2);
      row.device = st.text(3);
      for (int s = 0; s <= 10; ++s) {
        const auto n = st.i64(4 + s);
        if (n > 0) row.tally.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  std::vector<TallyGroupRow> tally_groups(const TallyQuery& q) const override {
    const char* key = q.group == TallyGroup::day       ? "day"
                      : q.group == TallyGroup::channel ? "channel"
                      : q.group == TallyGroup::locale  ? "locale"
                      : q.group == TallyGroup::device  ? "device"
                                                       : "''";
    // Without a segment filter, the whole and per-day sums come from the day totals.
    const bool totals =
        !q.channel && !q.locale && !q.device && (q.group == TallyGroup::all || q.group == TallyGroup::day);
    std::string sql =
        std::string("SELECT ") + key +
        ", sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7), sum(c8), sum(c9), "
        "sum(c10) FROM " +
        (totals ? "day_totals" : "day_tallies") + " WHERE survey_id = ?1 AND day BETWEEN ?2 AND ?3";
    if (q.channel) sql += " AND channel = ?4";
    if (q.locale) sql += " AND locale = ?5";
    if (q.device) sql += " AND device = ?6";
    if (q.group != TallyGroup::all) sql += std::string(" GROUP BY ") + key + " ORDER BY " + key;
    auto c = lease();
    auto st = c->prep(sql);
    st.bind(1, q.survey_id).bind(2, q.from_day).bind(3, q.to_day);
    if (q.channel) st.bind(4, *q.channel);
    if (q.locale) st.bind(5, *q.locale);
    if (q.device) st.bind(6, *q.device);
    std::vector<TallyGroupRow> out;
    while (st.step()) {
      TallyGroupRow row;
      if (q.group == TallyGroup::day)
        row.day = static_cast<std::int32_t>(st.i64(0));
      else
        row.key = st.text(0);
      for (int s = 0; s <= 10; ++s)
        if (const auto n = st.i64(1 + s); n > 0)
          row.tally.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
      if (q.group == TallyGroup::all && row.tally.n() == 0) continue; // no rows: sum() gives NULLs
      out.push_back(std::move(row));
    }
    return out;
  }

  nps::Tally scan_tally(const std::string& survey_id) const override {
    auto c = lease();
    auto st = c->prep("SELECT score, count(*) FROM responses WHERE survey_id = ?1 GROUP BY score");
    st.bind(1, survey_id);
    nps::Tally t;
    while (st.step())
      t.add(nps::Score::from_int(st.i64(0)).value(), static_cast<std::uint64_t>(st.i64(1)));
    return t;
  }

  TokenRecord add_token(const TokenRecord& t) override {
    return writer_.write([t](Conn& c) {
      c.prep("INSERT INTO tokens (hash, role, name, created_at) VALUES (?1, ?2, ?3, ?4)")
          .bind(1, t.hash)
          .bind(2, to_string(t.role))
          .bind(3, t.name)
          .bind(4, t.created_at)
          .run();
      TokenRecord out = t;
      out.id = c.last_id();
      return out;
    });
  }

  std::vector<TokenRecord> tokens() const override {
    auto c = lease();
    auto st = c->prep("SELECT id, hash, role, name, created_at FROM tokens ORDER BY id");
    std::vector<TokenRecord> out;
    while (st.step())
      out.push_back(read_token(st));
    return out;
  }

  bool delete_token(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      c.prep("DELETE FROM tokens WHERE id = ?1").bind(1, id).run();
      const bool deleted = c.changes() > 0;
      c.prep("DELETE FROM sessions WHERE token_id = ?1").bind(1, id).run();
      return deleted;
    });
  }

  std::optional<UserRecord> add_user(const UserRecord& u) override {
    return writer_.write([u](Conn& c) -> std::optional<UserRecord> {
      auto st = c.prep("SELECT id FROM users WHERE email = ?1");
      st.bind(1, u.email);
      if (st.step()) return std::nullopt;
      c.prep("INSERT INTO users (email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)")
          .bind(1, u.email)
          .bind(2, to_string(u.role))
          .bind(3, u.password_hash)
          .bind(4, u.created_at)
          .run();
      UserRecord out = u;
      out.id = c.last_id();
      return out;
    });
  }

  std::vector<UserRecord> users() const override {
    auto c = lease();
    auto st = c->prep("SELECT id, email, role, password_hash, created_at FROM users ORDER BY id");
    std::vector<UserRecord> out;
    while (st.step())
      out.push_back(read_user(st));
    return out;
  }

  std::optional<UserRecord> user_by_email(const std::string& email) const override {
    auto c = lease();
    auto st = c->prep("SELECT id, email, role, password_hash, created_at FROM users WHERE email = ?1");
    st.bind(1, email);
    if (!st.step()) return std::nullopt;
    return read_user(st);
  }

  bool delete_user(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      c.prep("DELETE FROM users WHERE id = ?1").bind(1, id).run();
      const bool deleted = c.changes() > 0;
      c.prep("DELETE FROM sessions WHERE user_id = ?1").bind(1, id).run();
      c.prep("UPDATE follow_ups SET assignee_id = NULL WHERE assignee_id = ?1").bind(1, id).run();
      return deleted;
    });
  }

  void add_session(const SessionRecord& s) override {
    writer_.write([s](Conn& c) {
      // Expired sessions are swept whenever a new one starts.
      c.prep("DELETE FROM sessions WHERE expires_at < ?1").bind(1, s.created_at).run();
      c.prep("INSERT INTO sessions (hash, user_id, token_id, role, email, csrf, created_at, expires_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
          .bind(1, s.hash)
          .bind(2, s.user_id)
          .bind(3, s.token_id)
          .bind(4, to_string(s.role))
          .bind(5, s.email)
          .bind(6, s.csrf)
          .bind(7, s.created_at)
          .bind(8, s.expires_at)
          .run();
      return 0;
    });
  }

  std::optional<SessionRecord> session(const std::string& hash) const override {
    auto c = lease();
    auto st =
        c->prep("SELECT hash, user_id, token_id, role, email, csrf, created_at, expires_at FROM sessions "
                "WHERE hash = ?1");
    st.bind(1, hash);
    if (!st.step()) return std::nullopt;
    SessionRecord s;
    s.hash = st.text(0);
    if (!st.is_null(1)) s.user_id = st.i64(1);
    if (!st.is_null(2)) s.token_id = st.i64(2);
    s.role = role_from_string(st.text(3)).value_or(Role::viewer);
    s.email = st.text(4);
    s.csrf = st.text(5);
    s.created_at = st.i64(6);
    s.expires_at = st.i64(7);
    return s;
  }

  void delete_session(const std::string& hash) override {
    writer_.write([hash](Conn& c) {
      c.prep("DELETE FROM sessions WHERE hash = ?1").bind(1, hash).run();
      return 0;
    });
  }

  std::vector<FollowUp> follow_ups(const FollowUpFilter& f, std::optional<std::int64_t> before,
                                   std::size_t limit) const override {
    auto c = lease();
    return query_follow_ups(*c, f, std::nullopt, before, limit);
  }

  std::optional<FollowUp> follow_up(const std::string& survey_id, std::int64_t response_id,
                                    bool include_passives) const override {
    auto c = lease();
    FollowUpFilter f;
    f.survey_id = survey_id;
    f.include_passives = include_passives;
    auto items = query_follow_ups(*c, f, response_id, std::nullopt, 1);
    if (items.empty()) return std::nullopt;
    return std::move(items.front());
  }

  std::optional<FollowUp> change_follow_up(const std::string& survey_id, std::int64_t response_id,
                                           bool include_passives, const FollowUpChange& ch,
                                           Millis now) override {
    return writer_.write([=](Conn& c) -> std::optional<FollowUp> {
      FollowUpFilter f;
      f.survey_id = survey_id;
      f.include_passives = include_passives;
      auto items = query_follow_ups(c, f, response_id, std::nullopt, 1);
      if (items.empty()) return std::nullopt;
      auto item = std::move(items.front());
      const std::string status = ch.status.value_or(item.status);
      const auto assignee = ch.assignee_id ? *ch.assignee_id : item.assignee_id;
      c.prep("INSERT INTO follow_ups (response_id, status, assignee_id, updated_at) VALUES (?1, ?2, ?3, ?4) "
             "ON CONFLICT (response_id) DO UPDATE SET status = excluded.status, assignee_id = "
             "excluded.assignee_id, "
             "updated_at = excluded.updated_at")
          .bind(1, response_id)
          .bind(2, status)
          .bind(3, assignee)
          .bind(4, now)
          .run();
      if (ch.note)
        c.prep("INSERT INTO follow_up_notes (response_id, author, text, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, response_id)
            .bind(2, ch.note->author)
            .bind(3, ch.note->text)
            .bind(4, now)
            .run();
      items = query_follow_ups(c, f, response_id, std::nullopt, 1);
      return std::move(items.front());
    });
  }

  std::vector<StoredResponse> respondent(const std::string& respondent_id) const override {
    auto c = lease();
    auto st = c->prep(std::string("SELECT ") + kResponseColumns +
                      " FROM responses WHERE respondent_id = ?1 ORDER BY id");
    st.bind(1, respondent_id);
    std::vector<StoredResponse> out;
    while (st.step())
      out.push_back(read_response(st));
    return out;
  }

  std::size_t delete_respondent(const std::string& respondent_id) override {
    return writer_.write([respondent_id](Conn& c) {
      return delete_where(c, "respondent_id = ?1", [&](Stmt& s) { s.bind(1, respondent_id); });
    });
  }

  std::size_t apply_retention(Millis cutoff, RetentionMode mode) override {
    return writer_.write([cutoff, mode](Conn& c) -> std::size_t {
      if (mode == RetentionMode::remove)
        return delete_where(c, "received_at < ?1", [&](Stmt& s) { s.bind(1, cutoff); });
      // Follow-up notes may name the respondent: they go with the answer's details.
      c.prep("DELETE FROM follow_up_notes WHERE response_id IN (SELECT id FROM responses WHERE received_at < "
             "?1)")
          .bind(1, cutoff)
          .run();
      c.prep("DELETE FROM follow_ups WHERE response_id IN (SELECT id FROM responses WHERE received_at < ?1)")
          .bind(1, cutoff)
          .run();
      c.prep("UPDATE responses SET comment = NULL, answers = '{}', respondent_id = NULL, attributes = '{}', "
             "page = NULL WHERE received_at < ?1 AND (comment IS NOT NULL OR answers != '{}' OR "
             "respondent_id IS NOT NULL OR attributes != '{}' OR page IS NOT NULL)")
          .bind(1, cutoff)
          .run();
      return static_cast<std::size_t>(c.changes());
    });
  }

  std::size_t pending_writes() const override { return writer_.pending(); }

private:
  // A read connection borrowed from the pool for the length of one call.
  class Lease {
  public:
    Lease(const SqliteStorage& s, std::unique_ptr<Conn> c) : s_(s), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (!c_) return;
      std::lock_guard lock(s_.pool_mu_);
      s_.pool_.push_back(std::move(c_));
    }
    Conn* operator->() const { return c_.get(); }
    Conn& operator*() const { return *c_; }

  private:
    const SqliteStorage& s_;
    std::unique_ptr<Conn> c_;
  };

  Lease lease() const {
    {
      std::lock_guard lock(pool_mu_);
      if (!pool_.empty()) {
        auto c = std::move(pool_.back());
        pool_.pop_back();
        return Lease(*this, std::move(c));
      }
    }
    return Lease(*this, std::make_unique<Conn>(path_, true));
  }

  std::string path_;
  Writer writer_; // created first: opens the file, sets WAL and migrates before any reader
  mutable std::mutex pool_mu_;
  mutable std::vector<std::unique_ptr<Conn>> pool_;
};

} // namespace

std::unique_ptr<Storage> open_sqlite(const std::string& path) {
  return std::make_unique<SqliteStorage>(path);
}

} // namespace npsd
