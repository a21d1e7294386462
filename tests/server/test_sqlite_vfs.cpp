// The SQLite engine's VFS (backend/sqlite_vfs.hpp): a WAL's writes gathered and written once,
// before anything could see them; and every acknowledged answer in the file for a fresh reader.
// The shim is tested over a VFS of its own below it, which counts what reaches the files and
// can fail the writes.
#include "race_support.hpp"
#include "sqlite_vfs.hpp"
#include "storage.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace npsd;
using npsd::test::TempDir;

namespace {

// ---- the VFS below the shim: the default one, counting each WAL write and sync -----------

struct Seen {
  std::mutex mu;
  std::vector<std::pair<sqlite3_int64, int>> writes; // (offset, bytes) of each WAL write
  int syncs = 0;
  std::atomic<int> fail{SQLITE_OK}; // returned by every WAL write while set
  void clear() {
    std::lock_guard lock(mu);
    writes.clear();
    syncs = 0;
  }
  std::vector<std::pair<sqlite3_int64, int>> taken() {
    std::lock_guard lock(mu);
    return writes;
  }
};
Seen seen;

// Placed after the default VFS's own file: its methods, with xWrite and xSync counted on a WAL.
struct Counted {
  sqlite3_io_methods io;
  const sqlite3_io_methods* real;
};
sqlite3_vfs counting_vfs;

Counted& counted(sqlite3_file* p) {
  return *reinterpret_cast<Counted*>(reinterpret_cast<char*>(p) + sqlite3_vfs_find(nullptr)->szOsFile);
}

int counting_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* p, int flags, int* out) {
  sqlite3_vfs* dflt = sqlite3_vfs_find(nullptr);
  const int rc = dflt->xOpen(dflt, name, p, flags, out);
  if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_WAL)) return rc;
  Counted& c = counted(p);
  c.real = p->pMethods;
  c.io = *p->pMethods;
  c.io.xWrite = [](sqlite3_file* f, const void* data, int n, sqlite3_int64 off) {
    {
      std::lock_guard lock(seen.mu);
      seen.writes.emplace_back(off, n);
    }
    if (const int failed = seen.fail.load()) return failed;
    return counted(f).real->xWrite(f, data, n, off);
  };
  c.io.xSync = [](sqlite3_file* f, int how) {
    {
      std::lock_guard lock(seen.mu);
      ++seen.syncs;
    }
    return counted(f).real->xSync(f, how);
  };
  p->pMethods = &c.io;
  return SQLITE_OK;
}

// The shim over the counting VFS, registered once as "npsd-wal-test".
sqlite3_vfs* shim() {
  static sqlite3_vfs* v = [] {
    counting_vfs = *sqlite3_vfs_find(nullptr);
    counting_vfs.zName = "npsd-counting";
    counting_vfs.pNext = nullptr;
    counting_vfs.szOsFile += static_cast<int>(sizeof(Counted));
    counting_vfs.xOpen = counting_open;
    return sqlite::register_wal_vfs("npsd-wal-test", &counting_vfs);
  }();
  return v;
}

// A file opened through the shim, directly (no database): the WAL of `db`, or `db` itself.
class ShimFile {
public:
  ShimFile(const std::string& path, int kind) : mem_(static_cast<std::size_t>(shim()->szOsFile)) {
    int out = 0;
    REQUIRE(shim()->xOpen(shim(), path.c_str(), f(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | kind,
                          &out) == SQLITE_OK);
  }
  ~ShimFile() { f()->pMethods->xClose(f()); }
  sqlite3_file* f() { return reinterpret_cast<sqlite3_file*>(mem_.data()); }
  int write(const std::string& s, sqlite3_int64 off) {
    return f()->pMethods->xWrite(f(), s.data(), static_cast<int>(s.size()), off);
  }
  int sync() { return f()->pMethods->xSync(f(), SQLITE_SYNC_NORMAL); }

private:
  std::vector<char> mem_;
};

std::string contents(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A database file and its WAL's name, the database created (os_unix reads its mode).
struct Files {
  TempDir dir;
  std::string db = dir.file("t.db");
  std::string wal = db + "-wal";
  Files() { std::ofstream(db).put('\0'); }
};

sqlite3* open_db(const std::string& path, const char* vfs) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) == SQLITE_OK);
  return db;
}

int exec(sqlite3* db, const std::string& sql) {
  return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
}

std::int64_t count_rows(const std::string& path) {
  sqlite3* db = open_db(path, nullptr); // the default VFS, a connection of its own
  sqlite3_stmt* st = nullptr;
  std::int64_t n = -1;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

} // namespace

TEST_CASE("sqlite vfs: a WAL's sequential writes reach the file in one write, at the sync",
          "[storage][sqlite_vfs]") {
  Files files;
  seen.clear();
  ShimFile wal(files.wal, SQLITE_OPEN_WAL);
  const std::string header(24, 'h'), page(4096, 'p');
  for (int frame = 0; frame < 10; ++frame) {
    const sqlite3_int64 at = 32 + frame * 4120;
    REQUIRE(wal.write(header, at) == SQLITE_OK);
    REQUIRE(wal.write(page, at + 24) == SQLITE_OK);
  }
  CHECK(seen.taken().empty());
  REQUIRE(wal.sync() == SQLITE_OK);
  CHECK(seen.taken() == std::vector<std::pair<sqlite3_int64, int>>{{32, 41200}});
  CHECK(seen.syncs == 1);
  const auto bytes = contents(files.wal);
  REQUIRE(bytes.size() == 32 + 41200);
  CHECK(bytes.substr(32 + 4120 * 9, 24) == header);
  CHECK(bytes.substr(32 + 4120 * 9 + 24) == page);
}

TEST_CASE("sqlite vfs: a write that does not follow the gathered range writes that range first, and a "
          "read sees what is gathered",
          "[storage][sqlite_vfs]") {
  Files files;
  seen.clear();
  ShimFile wal(files.wal, SQLITE_OPEN_WAL);
  REQUIRE(wal.write("aaaa", 0) == SQLITE_OK);
  REQUIRE(wal.write("bbbb", 4) == SQLITE_OK);
  REQUIRE(wal.write("cc", 2) == SQLITE_OK); // back into the range: "aabbbb" then "cc" over it
  CHECK(seen.taken() == std::vector<std::pair<sqlite3_int64, int>>{{0, 8}});
  REQUIRE(wal.write("dddd", 100) == SQLITE_OK);
  char got[8] = {};
  REQUIRE(wal.f()->pMethods->xRead(wal.f(), got, 4, 100) == SQLITE_OK);
  CHECK(std::string(got, 4) == "dddd");
  CHECK(seen.taken() == std::vector<std::pair<sqlite3_int64, int>>{{0, 8}, {2, 2}, {100, 4}});
  REQUIRE(wal.f()->pMethods->xRead(wal.f(), got, 8, 0) == SQLITE_OK);
  CHECK(std::string(got, 8) == "aaccbbbb");
  CHECK(seen.syncs == 0);
}

TEST_CASE("sqlite vfs: more than the bound is written in parts, and other files are not gathered",
          "[storage][sqlite_vfs]") {
  Files files;
  seen.clear();
  {
    ShimFile wal(files.wal, SQLITE_OPEN_WAL);
    const std::string page(4096, 'p');
    const int pages = static_cast<int>(sqlite::kWalBufferBytes / 4096) * 2 + 3;
    for (int i = 0; i < pages; ++i)
      REQUIRE(wal.write(page, sqlite3_int64{i} * 4096) == SQLITE_OK);
    const auto parts = seen.taken();
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == std::pair<sqlite3_int64, int>{0, static_cast<int>(sqlite::kWalBufferBytes)});
    CHECK(parts[1].first == static_cast<sqlite3_int64>(sqlite::kWalBufferBytes));
    sqlite3_int64 size = 0;
    REQUIRE(wal.f()->pMethods->xFileSize(wal.f(), &size) == SQLITE_OK); // writes the rest first
    CHECK(size == sqlite3_int64{pages} * 4096);
  }
  seen.clear();
  ShimFile db(files.db, SQLITE_OPEN_MAIN_DB);
  REQUIRE(db.write("x", 0) == SQLITE_OK);
  CHECK(contents(files.db) == "x");
  CHECK(seen.taken().empty()); // a database file is written at once (and not counted here)
}

TEST_CASE("sqlite vfs: a failed write of the gathered range fails the sync, and the next one works",
          "[storage][sqlite_vfs]") {
  Files files;
  seen.clear();
  ShimFile wal(files.wal, SQLITE_OPEN_WAL);
  seen.fail = SQLITE_IOERR_WRITE;
  REQUIRE(wal.write("frames", 0) == SQLITE_OK); // gathered: nothing failed yet
  CHECK(wal.sync() == SQLITE_IOERR_WRITE);
  CHECK(seen.syncs == 0); // the file was not synced as if the frames were in it
  seen.fail = SQLITE_OK;
  REQUIRE(wal.write("again", 0) == SQLITE_OK);
  CHECK(wal.sync() == SQLITE_OK);
  CHECK(contents(files.wal) == "again");
}

TEST_CASE("sqlite vfs: a database file's barrier writes what its thread gathered, not another thread's",
          "[storage][sqlite_vfs]") {
  Files files;
  seen.clear();
  ShimFile db(files.db, SQLITE_OPEN_MAIN_DB);
  ShimFile wal(files.wal, SQLITE_OPEN_WAL);
  REQUIRE(wal.write("frames", 0) == SQLITE_OK);
  std::thread([&] { db.f()->pMethods->xShmBarrier(db.f()); }).join();
  CHECK(seen.taken().empty());
  db.f()->pMethods->xShmBarrier(db.f());
  CHECK(seen.taken() == std::vector<std::pair<sqlite3_int64, int>>{{0, 6}});
  CHECK(contents(files.wal) == "frames");
}

TEST_CASE("sqlite vfs: a commit through SQLite writes its WAL frames once, and a fresh connection reads "
          "them, with synchronous FULL and NORMAL",
          "[storage][sqlite_vfs]") {
  for (const std::string sync : {"FULL", "NORMAL"}) {
    INFO(sync);
    TempDir dir;
    const auto path = dir.file("e2e.sqlite3");
    sqlite3* db = open_db(path, shim()->zName);
    REQUIRE(exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = " + sync +
                         "; CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)") == SQLITE_OK);
    for (int txn = 0; txn < 20; ++txn) {
      seen.clear();
      std::string sql = "BEGIN;";
      for (int i = 0; i < 30; ++i) // ~30 pages of rows: ~30 frames
        sql += "INSERT INTO t(body) VALUES (randomblob(1000));";
      REQUIRE(exec(db, sql + "COMMIT") == SQLITE_OK);
      const auto writes = seen.taken();
      INFO(txn);
      CHECK(writes.size() <= 2); // the WAL header once, after a checkpoint reset; then the frames
      if (sync == "FULL")
        CHECK(seen.syncs == static_cast<int>(writes.size())); // each write followed by its sync
      else
        CHECK(seen.syncs <= 1); // the WAL header's, after a reset: the commit does not sync
      // A connection of its own, through the default VFS, sees every committed row: the frames
      // are in the file before the commit is published (the barrier with NORMAL).
      CHECK(count_rows(path) == 30 * (txn + 1));
    }
    sqlite3_close(db);
  }
}

TEST_CASE("sqlite vfs: a COMMIT whose frames cannot be written fails, and nothing of it is stored",
          "[storage][sqlite_vfs]") {
  TempDir dir;
  const auto path = dir.file("fail.sqlite3");
  sqlite3* db = open_db(path, shim()->zName);
  REQUIRE(exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t(body TEXT);"
                   "INSERT INTO t VALUES ('kept')") == SQLITE_OK);
  seen.fail = SQLITE_IOERR_WRITE;
  CHECK(exec(db, "BEGIN; INSERT INTO t VALUES ('lost'); INSERT INTO t VALUES ('lost'); COMMIT") != SQLITE_OK);
  seen.fail = SQLITE_OK;
  exec(db, "ROLLBACK");
  CHECK(count_rows(path) == 1);
  REQUIRE(exec(db, "INSERT INTO t VALUES ('after')") == SQLITE_OK); // the connection still works
  sqlite3_close(db);
  CHECK(count_rows(path) == 2);
}

TEST_CASE("sqlite vfs: answers stored by racing threads are all read by a fresh connection",
          "[storage][sqlite_vfs]") {
  TempDir dir;
  const auto path = dir.file("race.sqlite3");
  constexpr int kThreads = 8, kKeys = 150;
  std::atomic<int> acknowledged{0};
  {
    auto a = open_sqlite(path);
    auto b = open_sqlite(path); // a second writer on the same file, as a second process
    const auto outcomes = test::race_keys(*a, *b, kThreads, kKeys, [&](Storage& s, int k) {
      const auto r = test::response("s1", k % 11, "key-" + std::to_string(k));
      const auto status = s.insert_response(r, 1'750'000'000'000 + k, 0).status;
      if (status == Inserted::created) ++acknowledged;
      return std::pair{r.idempotency_key, status};
    });
    CHECK(test::stored_once(outcomes, kThreads) == kKeys);
    // Read by another process while both writers still have the file open (its WAL in use):
    // the sqlite3 shell, through SQLite's default VFS, with a connection and cache of its own.
    const std::string cmd =
        "sqlite3 -readonly '" + path +
        "' \"SELECT count(DISTINCT idempotency_key) FROM responses WHERE survey_id = 's1'\"";
    std::FILE* shell = ::popen(cmd.c_str(), "r");
    REQUIRE(shell);
    char line[64] = {};
    const bool read = std::fgets(line, sizeof line, shell) != nullptr;
    ::pclose(shell);
    REQUIRE(read);
    CHECK(std::stoi(line) == kKeys);
  }
  CHECK(acknowledged == kKeys);
}
