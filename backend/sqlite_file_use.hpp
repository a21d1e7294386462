// Who uses a SQLite database file at once (issue 18): every npsd serving the file holds a
// shared lock on it for its whole life, and `npsd migrate` copying from it holds an exclusive
// one. So a migration does not start while an npsd still stores answers in the file it copies
// (what that npsd stored after the copy passed would never reach the target), and an npsd does
// not start on a file a migration is copying. Several npsd may still serve one file together.
//
// The lock is flock(2) on the database file itself: nothing beside it to create or clean up,
// released by the kernel when the process ends however it ends (kill -9 included), and
// independent of SQLite's own fcntl(2) byte-range locks. One care: closing any descriptor of
// the file drops this process's fcntl locks on it, SQLite's among them, so a FileUse must
// outlive every connection the process opens to the file (declare it before the storage).
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace npsd {

class FileUse {
public:
  enum class Mode {
    serve, // shared: npsd taking answers into the file
    copy,  // exclusive: npsd migrate reading the file
  };

  // Takes the lock without waiting. nullopt with `why` set when the file is in use the other
  // way (or by another migration), or cannot be opened. `serve` creates the file when it does
  // not exist yet (an empty file is an empty SQLite database).
  static std::optional<FileUse> take(const std::string& path, Mode mode, std::string& why);

  FileUse(FileUse&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileUse& operator=(FileUse&& other) noexcept {
    std::swap(fd_, other.fd_); // this one's lock, if any, goes with `other`
    return *this;
  }
  FileUse(const FileUse&) = delete;
  FileUse& operator=(const FileUse&) = delete;
  ~FileUse();

private:
  explicit FileUse(int fd) : fd_(fd) {}
  int fd_;
};

} // namespace npsd
