#include "sqlite_file_use.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace npsd {

std::optional<FileUse> FileUse::take(const std::string& path, Mode mode, std::string& why) {
  const int flags = O_RDONLY | O_CLOEXEC | (mode == Mode::serve ? O_CREAT : 0);
  int fd;
  do
    fd = ::open(path.c_str(), flags, 0644);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    why = path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  int rc;
  do
    rc = ::flock(fd, (mode == Mode::serve ? LOCK_SH : LOCK_EX) | LOCK_NB);
  while (rc != 0 && errno == EINTR);
  if (rc == 0) return FileUse(fd);
  const int err = errno;
  ::close(fd);
  if (err != EWOULDBLOCK)
    why = path + ": cannot lock it: " + std::strerror(err);
  else if (mode == Mode::serve)
    why = path + " is being copied by npsd migrate; start npsd on it once the copy is done";
  else
    why = path + " is in use by a running npsd (or another npsd migrate); stop it first: answers "
                 "it stored during the copy would not reach the target";
  return std::nullopt;
}

FileUse::~FileUse() {
  if (fd_ >= 0) ::close(fd_); // the kernel releases the lock with the descriptor
}

} // namespace npsd
