// The SQLite engine's VFS ("npsd-wal", issue 18): the default VFS, except that a write-ahead
// log's sequential writes are gathered in memory and reach the file in one write. SQLite writes
// each WAL frame with two system calls (its 24-byte header, then the page), so a batch of ~15
// answers committing ~37 frames made ~75 pwrite calls; through this VFS it makes one, at the
// commit's sync. Every connection of the engine opens its files through it (sqlite_conn.cpp).
//
// What is gathered is written, in order, before anything could see the file:
// - before the WAL's xSync (its error is xSync's: the COMMIT fails, no answer of the batch is
//   acknowledged; the 201 is only sent after that sync, so a kill -9 loses nothing acknowledged);
// - when a write does not follow the gathered range, or the range would pass kWalBufferBytes;
// - before any other call on the WAL file (read, size, truncate, lock, close, file control...);
// - before the database file's xShmBarrier and xShmLock on the thread that gathered it: SQLite
//   publishes a commit's frames to other connections (the wal-index header) under those, after
//   the frames are written, so even with synchronous=NORMAL (no sync at commit; npsd runs FULL)
//   no reader, in this process or another, is shown a frame that is not in the file yet.
//   A failure there cannot be returned by the call; the WAL's next call returns it.
// Files other than WALs (database, journals, temporary files) go to the default VFS as they are.
//
// Internal to the SQLite engine.
#pragma once

#include <cstddef>

struct sqlite3_vfs;

namespace npsd::sqlite {

// Most of a WAL's bytes gathered before they are written: a longer range goes out in parts.
// Below 128 KiB: SQLite's unix VFS takes at most 0x1ffff bytes per xWrite (seekAndWrite masks
// the length with it: 1 MiB would be written as 0 bytes, an SQLITE_FULL). 31 pages of 4 KiB:
// a batch's ~37 frames of 4,120 bytes go out in 2 writes.
inline constexpr std::size_t kWalBufferBytes = 31 * 4096;

// The name of the VFS to open the engine's connections with, registered (not as the default)
// on first use over sqlite3_vfs_find(nullptr). Throws StorageError if it cannot be.
const char* vfs_name();

// The same shim registered as `name` over `below` (a VFS that need not be registered), for the
// tests, which put a counting or failing VFS under it. Returns the registered VFS; never freed.
sqlite3_vfs* register_wal_vfs(const char* name, sqlite3_vfs* below);

} // namespace npsd::sqlite
