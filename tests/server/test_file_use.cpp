// Who uses a SQLite database file at once (sqlite_file_use.hpp): npsd serving it, or
// npsd migrate copying from it, never both. Runs the real npsd binary in child processes.
#include "http_support.hpp"
#include "npsd_process.hpp"
#include "sqlite_file_use.hpp"
#include "storage.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <sys/wait.h>

using namespace npsd;
using namespace npsd::test;

TEST_CASE("storage: several npsd may serve one SQLite file, and a migration copying it excludes them",
          "[storage][file_use]") {
  TempDir dir;
  const auto db = dir.file("shared.sqlite3");
  std::string why;
  auto first = FileUse::take(db, FileUse::Mode::serve, why);
  REQUIRE(first);
  CHECK(std::filesystem::exists(db)); // created for serving, as SQLite would
  auto second = FileUse::take(db, FileUse::Mode::serve, why);
  CHECK(second);

  CHECK_FALSE(FileUse::take(db, FileUse::Mode::copy, why));
  CHECK(why.find("in use by a running npsd") != std::string::npos);
  first.reset();
  CHECK_FALSE(FileUse::take(db, FileUse::Mode::copy, why)); // the second still serves
  second.reset();

  auto copy = FileUse::take(db, FileUse::Mode::copy, why);
  REQUIRE(copy);
  why.clear();
  CHECK_FALSE(FileUse::take(db, FileUse::Mode::serve, why));
  CHECK(why.find("being copied by npsd migrate") != std::string::npos);
  CHECK_FALSE(FileUse::take(db, FileUse::Mode::copy, why)); // nor a second migration
  copy.reset();
  CHECK(FileUse::take(db, FileUse::Mode::serve, why));

  // A migration's source must exist: copying does not create it.
  CHECK_FALSE(FileUse::take(dir.file("missing.sqlite3"), FileUse::Mode::copy, why));
  CHECK(why.find("No such file") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir.file("missing.sqlite3")));
}

TEST_CASE("migrate: refuses a SQLite file an npsd still serves, and copies every answer once it has stopped",
          "[server][crash][file_use]") {
  TempDir dir;
  const auto src = dir.file("src.sqlite3"), dst = dir.file("dst.sqlite3");
  const int port = free_port();
  const pid_t pid = start_npsd(src, port);
  struct Reaped { // a failed REQUIRE leaves no npsd behind
    pid_t pid;
    ~Reaped() {
      if (pid > 0 && ::kill(pid, SIGKILL) == 0) ::waitpid(pid, nullptr, 0);
    }
  } reaped{pid};
  httplib::Client c("127.0.0.1", port);
  auto r = c.Post("/v1/admin/surveys", {{"Authorization", std::string("Bearer ") + kAdminToken}},
                  R"({"id":"shop"})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
  for (int i = 0; i < 5; ++i) {
    r = post_response(
        c, "shop",
        {{"survey_id", "shop"}, {"score", 9}, {"idempotency_key", "answer-000" + std::to_string(i)}});
    REQUIRE(r);
    REQUIRE(r->status == 201);
  }

  const auto refused = run_npsd({"migrate", "--from", src, "--to", dst});
  CHECK(refused.status == 2);
  INFO(refused.err);
  CHECK(refused.err.find("--from: " + src + " is in use by a running npsd") != std::string::npos);
  CHECK(refused.err.find("stop it first") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dst)); // nothing copied, nothing created
  r = post_response(c, "shop",
                    {{"survey_id", "shop"}, {"score", 3}, {"idempotency_key", "after-the-refusal"}});
  REQUIRE(r);
  CHECK(r->status == 201); // the npsd serving it goes on

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  reaped.pid = -1;
  const auto copied = run_npsd({"migrate", "--from", src, "--to", dst});
  INFO(copied.err);
  CHECK(copied.status == 0);
  auto target = open_sqlite(dst);
  CHECK(target->count_responses("shop") == 6);
}
