// The SQLite engine's VFS (see sqlite_vfs.hpp): every call goes to the VFS below, a WAL's
// writes gathered first. Read against SQLite 3.40's wal.c (sqlite3WalFrames: the frames are
// written, then synced if the commit syncs, then published by walIndexWriteHdr, whose
// walShmBarrier is the database file's xShmBarrier) and os_unix.c.
#include "sqlite_vfs.hpp"

#include "storage.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

namespace npsd::sqlite {

namespace {

// One WAL file's gathered writes: buf holds the bytes of [start, start + buf.size()).
struct Wal {
  std::mutex mu; // its owner's calls, and a database file's barrier on the thread that wrote
  std::vector<char> buf;
  sqlite3_int64 start = 0;
  std::atomic<const void*> writer{nullptr}; // the thread that gathered buf (its tl_self)
  int deferred = SQLITE_OK;                 // a failed write no call could return yet
  sqlite3_file* below = nullptr;
};

// What SQLite allocates for each file (szOsFile): this, then the VFS below's file.
struct File {
  sqlite3_file base;
  Wal* wal; // null for every file but a WAL
};
constexpr int kHeader = static_cast<int>((sizeof(File) + 15) / 16 * 16);

File* file(sqlite3_file* p) { return reinterpret_cast<File*>(p); }
sqlite3_file* below(sqlite3_file* p) {
  return reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(p) + kHeader);
}
const sqlite3_io_methods& m(sqlite3_file* p) { return *below(p)->pMethods; }

thread_local char tl_self; // its address names the thread

// Every open WAL, for the barriers; how many have gathered bytes (0: nothing to look for).
std::mutex g_mu;
std::vector<Wal*> g_wals;
std::atomic<int> g_gathered{0};

// Writes what w gathered (w.mu held). Returns the first error: one kept from an earlier flush
// that could not report it, or this write's. Nothing is kept after a failure: the frames were
// never published (the commit fails), and SQLite writes them again.
int flush(Wal& w) {
  int rc = SQLITE_OK;
  if (!w.buf.empty()) {
    rc = w.below->pMethods->xWrite(w.below, w.buf.data(), static_cast<int>(w.buf.size()), w.start);
    w.buf.clear();
    w.writer.store(nullptr, std::memory_order_relaxed);
    g_gathered.fetch_sub(1, std::memory_order_relaxed);
  }
  if (w.deferred != SQLITE_OK) {
    rc = w.deferred;
    w.deferred = SQLITE_OK;
  }
  return rc;
}

// Before a call on p that returns a code: p's gathered bytes written; their error, if any.
int flushed(sqlite3_file* p) {
  Wal* w = file(p)->wal;
  if (!w) return SQLITE_OK;
  std::lock_guard lock(w->mu);
  return flush(*w);
}

// Before a call that returns no code: the error is kept for the WAL's next call.
void flushed_quietly(sqlite3_file* p) {
  Wal* w = file(p)->wal;
  if (!w) return;
  std::lock_guard lock(w->mu);
  w->deferred = flush(*w);
}

// Before a database file's xShmBarrier or xShmLock: the WALs this thread gathered bytes for
// (the connection running on it, about to publish its frames) are written.
void flush_this_threads_wals() {
  if (g_gathered.load(std::memory_order_relaxed) == 0) return; // set by this thread if ours
  std::lock_guard all(g_mu);
  for (Wal* w : g_wals) {
    if (w->writer.load(std::memory_order_relaxed) != &tl_self) continue;
    std::lock_guard lock(w->mu);
    w->deferred = flush(*w);
  }
}

// ---- the file's methods ------------------------------------------------------------------

int x_close(sqlite3_file* p) {
  int rc = SQLITE_OK;
  if (Wal* w = file(p)->wal) {
    {
      std::lock_guard all(g_mu);
      g_wals.erase(std::find(g_wals.begin(), g_wals.end(), w));
    }
    {
      std::lock_guard lock(w->mu);
      rc = flush(*w);
    }
    delete w;
    file(p)->wal = nullptr;
  }
  const int closed = m(p).xClose(below(p));
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* p, void* out, int n, sqlite3_int64 off) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xRead(below(p), out, n, off);
}

int x_write(sqlite3_file* p, const void* data, int n, sqlite3_int64 off) {
  Wal* w = file(p)->wal;
  if (!w) return m(p).xWrite(below(p), data, n, off);
  std::lock_guard lock(w->mu);
  const auto size = static_cast<sqlite3_int64>(w->buf.size());
  const bool follows = !w->buf.empty() && off == w->start + size &&
                       w->buf.size() + static_cast<std::size_t>(n) <= kWalBufferBytes;
  if (!follows) {
    if (const int rc = flush(*w)) return rc; // the earlier range first
  }
  if (static_cast<std::size_t>(n) > kWalBufferBytes) return m(p).xWrite(below(p), data, n, off);
  if (w->buf.empty()) {
    w->buf.reserve(kWalBufferBytes);
    w->start = off;
    g_gathered.fetch_add(1, std::memory_order_relaxed);
  }
  const auto* bytes = static_cast<const char*>(data);
  w->buf.insert(w->buf.end(), bytes, bytes + n);
  w->writer.store(&tl_self, std::memory_order_relaxed);
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* p, sqlite3_int64 size) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xTruncate(below(p), size);
}

int x_sync(sqlite3_file* p, int flags) {
  if (const int rc = flushed(p)) return rc; // the COMMIT fails: nothing of it is acknowledged
  return m(p).xSync(below(p), flags);
}

int x_file_size(sqlite3_file* p, sqlite3_int64* size) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xFileSize(below(p), size);
}

int x_lock(sqlite3_file* p, int level) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xLock(below(p), level);
}

int x_unlock(sqlite3_file* p, int level) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xUnlock(below(p), level);
}

int x_check_reserved_lock(sqlite3_file* p, int* out) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xCheckReservedLock(below(p), out);
}

int x_file_control(sqlite3_file* p, int op, void* arg) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xFileControl(below(p), op, arg);
}

int x_sector_size(sqlite3_file* p) {
  flushed_quietly(p);
  return m(p).xSectorSize(below(p));
}

int x_device_characteristics(sqlite3_file* p) {
  flushed_quietly(p);
  return m(p).xDeviceCharacteristics(below(p));
}

int x_shm_map(sqlite3_file* p, int page, int size, int extend, void volatile** out) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xShmMap(below(p), page, size, extend, out);
}

int x_shm_lock(sqlite3_file* p, int offset, int n, int flags) {
  flush_this_threads_wals(); // the write lock's release ends a commit with synchronous=NORMAL
  if (const int rc = flushed(p)) return rc;
  return m(p).xShmLock(below(p), offset, n, flags);
}

void x_shm_barrier(sqlite3_file* p) {
  flush_this_threads_wals(); // walIndexWriteHdr: the frames in the file before they are shown
  flushed_quietly(p);
  m(p).xShmBarrier(below(p));
}

int x_shm_unmap(sqlite3_file* p, int delete_flag) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xShmUnmap(below(p), delete_flag);
}

int x_fetch(sqlite3_file* p, sqlite3_int64 off, int n, void** out) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xFetch(below(p), off, n, out);
}

int x_unfetch(sqlite3_file* p, sqlite3_int64 off, void* page) {
  if (const int rc = flushed(p)) return rc;
  return m(p).xUnfetch(below(p), off, page);
}

// The methods for a file whose file below has methods of version v (1-3): the same version.
sqlite3_io_methods methods(int v) {
  sqlite3_io_methods io{};
  io.iVersion = v;
  io.xClose = x_close;
  io.xRead = x_read;
  io.xWrite = x_write;
  io.xTruncate = x_truncate;
  io.xSync = x_sync;
  io.xFileSize = x_file_size;
  io.xLock = x_lock;
  io.xUnlock = x_unlock;
  io.xCheckReservedLock = x_check_reserved_lock;
  io.xFileControl = x_file_control;
  io.xSectorSize = x_sector_size;
  io.xDeviceCharacteristics = x_device_characteristics;
  if (v >= 2) {
    io.xShmMap = x_shm_map;
    io.xShmLock = x_shm_lock;
    io.xShmBarrier = x_shm_barrier;
    io.xShmUnmap = x_shm_unmap;
  }
  if (v >= 3) {
    io.xFetch = x_fetch;
    io.xUnfetch = x_unfetch;
  }
  return io;
}

const sqlite3_io_methods kMethods[3] = {methods(1), methods(2), methods(3)};

// ---- the VFS's methods: the VFS below's, called with the VFS below ------------------------

sqlite3_vfs* under(sqlite3_vfs* v) { return static_cast<sqlite3_vfs*>(v->pAppData); }

int x_open(sqlite3_vfs* v, sqlite3_filename name, sqlite3_file* p, int flags, int* out_flags) {
  auto* f = new (p) File{};
  sqlite3_file* real = below(p);
  real->pMethods = nullptr;
  const int rc = under(v)->xOpen(under(v), name, real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (real->pMethods) real->pMethods->xClose(real);
    f->base.pMethods = nullptr; // SQLite calls no xClose after a failed xOpen
    return rc;
  }
  if (flags & SQLITE_OPEN_WAL) {
    f->wal = new Wal;
    f->wal->below = real;
    std::lock_guard all(g_mu);
    g_wals.push_back(f->wal);
  }
  f->base.pMethods = &kMethods[std::clamp(real->pMethods->iVersion, 1, 3) - 1];
  return SQLITE_OK;
}

sqlite3_vfs* make_vfs(const char* name, sqlite3_vfs* below_vfs) {
  auto* v = new sqlite3_vfs{};
  v->iVersion = std::min(below_vfs->iVersion, 3);
  v->szOsFile = kHeader + below_vfs->szOsFile;
  v->mxPathname = below_vfs->mxPathname;
  v->zName = name;
  v->pAppData = below_vfs;
  v->xOpen = x_open;
  v->xDelete = [](sqlite3_vfs* s, const char* n, int sync) { return under(s)->xDelete(under(s), n, sync); };
  v->xAccess = [](sqlite3_vfs* s, const char* n, int f, int* out) {
    return under(s)->xAccess(under(s), n, f, out);
  };
  v->xFullPathname = [](sqlite3_vfs* s, const char* n, int size, char* out) {
    return under(s)->xFullPathname(under(s), n, size, out);
  };
  v->xDlOpen = [](sqlite3_vfs* s, const char* n) { return under(s)->xDlOpen(under(s), n); };
  v->xDlError = [](sqlite3_vfs* s, int n, char* out) { under(s)->xDlError(under(s), n, out); };
  v->xDlSym = [](sqlite3_vfs* s, void* h, const char* sym) { return under(s)->xDlSym(under(s), h, sym); };
  v->xDlClose = [](sqlite3_vfs* s, void* h) { under(s)->xDlClose(under(s), h); };
  v->xRandomness = [](sqlite3_vfs* s, int n, char* out) { return under(s)->xRandomness(under(s), n, out); };
  v->xSleep = [](sqlite3_vfs* s, int us) { return under(s)->xSleep(under(s), us); };
  v->xCurrentTime = [](sqlite3_vfs* s, double* out) { return under(s)->xCurrentTime(under(s), out); };
  v->xGetLastError = [](sqlite3_vfs* s, int n, char* out) {
    return under(s)->xGetLastError(under(s), n, out);
  };
  if (v->iVersion >= 2)
    v->xCurrentTimeInt64 = [](sqlite3_vfs* s, sqlite3_int64* out) {
      return under(s)->xCurrentTimeInt64(under(s), out);
    };
  if (v->iVersion >= 3) {
    v->xSetSystemCall = [](sqlite3_vfs* s, const char* n, sqlite3_syscall_ptr f) {
      return under(s)->xSetSystemCall(under(s), n, f);
    };
    v->xGetSystemCall = [](sqlite3_vfs* s, const char* n) { return under(s)->xGetSystemCall(under(s), n); };
    v->xNextSystemCall = [](sqlite3_vfs* s, const char* n) { return under(s)->xNextSystemCall(under(s), n); };
  }
  return v;
}

} // namespace

sqlite3_vfs* register_wal_vfs(const char* name, sqlite3_vfs* below_vfs) {
  sqlite3_vfs* v = make_vfs(name, below_vfs);
  if (sqlite3_vfs_register(v, 0) != SQLITE_OK) {
    delete v;
    throw StorageError(std::string("sqlite: cannot register the VFS ") + name);
  }
  return v;
}

const char* vfs_name() {
  static const char* const name = [] {
    sqlite3_vfs* dflt = sqlite3_vfs_find(nullptr);
    if (!dflt) throw StorageError("sqlite: no default VFS");
    return register_wal_vfs("npsd-wal", dflt)->zName;
  }();
  return name;
}

} // namespace npsd::sqlite
