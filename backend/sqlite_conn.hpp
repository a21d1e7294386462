// The SQLite engine's handles: a statement (Stmt), a connection with its cache of
// compiled statements (Conn), and the pool of read connections (ReadPool). Everything
// that includes <sqlite3.h> for the engine goes through these, so the engine's other
// files speak in bind/step/column calls and never see a raw handle or a return code:
// every SQLite error becomes a StorageError here.
//
// Internal to the SQLite engine (sqlite_*.cpp); nothing outside backend/sqlite_* includes it.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace npsd::sqlite {

// A prepared statement with its parameters bound in place. A cached one (Conn::prep) is
// reset and cleared when the Stmt goes; a one-off (Conn::once) is finalized.
class Stmt {
public:
  Stmt(sqlite3* db, sqlite3_stmt* s, bool owned) : db_(db), s_(s), owned_(owned) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  Stmt& bind(int i, std::int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Stmt& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Stmt& bind_null(int i);
  template <class T> Stmt& bind(int i, const std::optional<T>& v) { return v ? bind(i, *v) : bind_null(i); }

  // True while there is a row.
  bool step();
  void run() {
    while (step()) {
    }
  }

  [[nodiscard]] std::int64_t i64(int c) const;
  [[nodiscard]] bool is_null(int c) const;
  [[nodiscard]] std::string text(int c) const;
  [[nodiscard]] std::optional<std::string> opt_text(int c) const {
    if (is_null(c)) return std::nullopt;
    return text(c);
  }

private:
  Stmt& check(int rc);
  sqlite3* db_;
  sqlite3_stmt* s_;
  bool owned_;
};

class Fold;

// One connection, used by one thread at a time (opened with SQLITE_OPEN_NOMUTEX).
class Conn {
public:
  // The writer's per-batch count changes while it runs a job that folds them
  // (sqlite_ingest.hpp); null otherwise, and on every read connection.
  Fold* fold = nullptr;

  enum class Mode { read_only, read_write };
  Conn(const std::string& path, Mode mode);
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
  ~Conn();

  void exec(const char* sql);
  // A cached prepared statement: the same SQL text is compiled once per connection.
  Stmt prep(const std::string& sql);
  // A one-off statement (dynamic SQL such as filtered lists).
  Stmt once(const std::string& sql);

  [[nodiscard]] std::int64_t last_id() const;
  [[nodiscard]] int changes() const;

private:
  sqlite3_stmt* compile(const std::string& sql);
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Read connections, opened on demand and kept for the next reader. WAL lets them read
// while the writer writes; each sees the last commit as of its first step.
class ReadPool {
public:
  explicit ReadPool(std::string path) : path_(std::move(path)) {}

  // A connection borrowed for the length of one call.
  class Lease {
  public:
    Lease(const ReadPool& p, std::unique_ptr<Conn> c) : p_(p), c_(std::move(c)) {}
    Lease(Lease&&) = default;
    ~Lease();
    Conn* operator->() const { return c_.get(); }
    Conn& operator*() const { return *c_; }

  private:
    const ReadPool& p_;
    std::unique_ptr<Conn> c_;
  };

  [[nodiscard]] Lease lease() const;

private:
  std::string path_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<Conn>> idle_;
};

// Brings the file's schema to this build's (sqlite_schema.cpp): the numbered migrations not
// yet applied, each in its own transaction. Throws StorageError for a newer schema.
void migrate(Conn& c);

} // namespace npsd::sqlite
