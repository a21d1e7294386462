// The real npsd binary in a child process, for the tests of what only the process does
// (kill -9, signals, the database file's lock).
#pragma once

#include "http_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace npsd::test {

// npsd serving `db` on `port`; returns once /healthz answers.
inline pid_t start_npsd(const std::string& db, int port) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    ::execl(NPSD_BINARY, "npsd", "--listen", listen.c_str(), "--db", db.c_str(), "--admin-token", kAdminToken,
            "--quiet", "--web-root", "/nonexistent", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  httplib::Client c("127.0.0.1", port);
  for (int i = 0; i < 200; ++i) {
    if (auto r = c.Get("/healthz"); r && r->status == 200) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  FAIL("npsd did not start");
  return pid;
}

struct Ran {
  int status = -1; // the exit status; -1 when it did not exit by itself
  std::string err; // what it wrote on stderr
};

// npsd with `args` (after argv[0]) until it exits.
inline Ran run_npsd(const std::vector<std::string>& args) {
  int pipe_fds[2];
  REQUIRE(::pipe(pipe_fds) == 0);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], 2);
    ::close(pipe_fds[0]);
    std::vector<char*> argv{const_cast<char*>("npsd")};
    for (const auto& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(NPSD_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  Ran ran;
  char buf[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;)
    ran.err.append(buf, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) ran.status = WEXITSTATUS(status);
  return ran;
}

} // namespace npsd::test
