// The SQLite engine's handles (see sqlite_conn.hpp): statements, connections with their
// statement cache, and the read pool. The only file of the engine that calls SQLite's C
// API: its return codes end here, as StorageError.
#include "sqlite_conn.hpp"

#include "sqlite_vfs.hpp"

#include <sqlite3.h>

namespace npsd::sqlite {

// ---- Stmt ------------------------------------------------------------------------------

Stmt::~Stmt() {
  if (owned_)
    sqlite3_finalize(s_);
  else {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
}

Stmt& Stmt::bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }

Stmt& Stmt::bind(int i, std::string_view v) {
  return check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
}

Stmt& Stmt::bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }

bool Stmt::step() {
  const int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw StorageError(std::string("sqlite: ") + sqlite3_errmsg(db_));
}

std::int64_t Stmt::i64(int c) const { return sqlite3_column_int64(s_, c); }

bool Stmt::is_null(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }

std::string Stmt::text(int c) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
  return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string();
}

Stmt& Stmt::check(int rc) {
  if (rc != SQLITE_OK) throw StorageError(std::string("sqlite bind: ") + sqlite3_errmsg(db_));
  return *this;
}

// ---- Conn ------------------------------------------------------------------------------

Conn::Conn(const std::string& path, Mode mode) {
  const int flags =
      (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  // Through the engine's VFS (sqlite_vfs.hpp): a commit's WAL frames in one write.
  if (sqlite3_open_v2(path.c_str(), &db_, flags, vfs_name()) != SQLITE_OK) {
    const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StorageError("cannot open " + path + ": " + msg);
  }
  sqlite3_busy_timeout(db_, 10000);
}

Conn::~Conn() {
  for (auto& [sql, s] : cache_)
    sqlite3_finalize(s);
  sqlite3_close(db_);
}

void Conn::exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw StorageError(std::string("sqlite: ") + msg);
  }
}

Stmt Conn::prep(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, compile(sql)).first;
  return Stmt(db_, it->second, false);
}

Stmt Conn::once(const std::string& sql) { return Stmt(db_, compile(sql), true); }

std::int64_t Conn::last_id() const { return sqlite3_last_insert_rowid(db_); }

int Conn::changes() const { return sqlite3_changes(db_); }

sqlite3_stmt* Conn::compile(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &s, nullptr) != SQLITE_OK)
    throw StorageError(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
  return s;
}

// ---- ReadPool --------------------------------------------------------------------------

ReadPool::Lease::~Lease() {
  if (!c_) return;
  std::lock_guard lock(p_.mu_);
  p_.idle_.push_back(std::move(c_));
}

ReadPool::Lease ReadPool::lease() const {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  return Lease(*this, std::make_unique<Conn>(path_, Conn::Mode::read_only));
}

} // namespace npsd::sqlite
