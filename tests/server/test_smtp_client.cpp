// SmtpClient against a real SMTP server (tests/email/smtp_capture.py, aiosmtpd): the hook that
// runs before the end of DATA does run, once, after the whole body was handed over; a "no"
// there drops the message, which the server never stores. This is what keeps a message taken
// over by another sender from going out twice (email_sender.cpp).
#include "smtp_sender.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <signal.h>
#include <string>
#include <sys/wait.h>

using namespace npsd;
using npsd::test::free_port;
namespace fs = std::filesystem;

namespace {

struct CaptureServer {
  int port = free_port();
  fs::path folder =
      fs::temp_directory_path() / ("nps-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(port));
  pid_t pid = -1;
  CaptureServer() {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const std::string port_text = std::to_string(port), folder_text = folder.string();
    pid = ::fork();
    if (pid == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::execl("/usr/bin/python3", "python3", NPS_SMTP_CAPTURE, port_text.c_str(), folder_text.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    // Read up to the end of "ready\n" and only then close: closing after a partial read
    // (the line can come in two writes) made the server die of a broken pipe.
    std::string line;
    char c = 0;
    while (line.find('\n') == std::string::npos && ::read(fds[0], &c, 1) == 1)
      line += c;
    ::close(fds[0]);
    REQUIRE(line == "ready\n");
  }
  ~CaptureServer() {
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
    fs::remove_all(folder);
  }
  std::size_t stored() const {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(folder))
      n += e.path().extension() == ".eml";
    return n;
  }
};

} // namespace

TEST_CASE("smtp: the hook before the end of DATA runs once per message, and a no drops the message",
          "[email][smtp]") {
  CaptureServer server;
  SmtpConfig config;
  config.url = "smtp://127.0.0.1:" + std::to_string(server.port);
  SmtpClient smtp(config);
  std::string message = "Subject: hello\r\nFrom: <a@example.com>\r\nTo: <b@example.com>\r\n\r\n";
  for (int i = 0; i < 2000; ++i) // a body larger than libcurl's upload buffer
    message += "line " + std::to_string(i) + " of the body\r\n";

  int calls = 0;
  auto send = [&](const std::string& to, bool commit) {
    calls = 0;
    return smtp.send("a@example.com", to, message, [&] {
      ++calls;
      return commit;
    });
  };
  auto r = send("b@example.com", true);
  INFO("libcurl: " << r.error << ", reply " << r.code);
  CHECK(r.outcome == SmtpOutcome::sent);
  CHECK(calls == 1);
  CHECK(server.stored() == 1);

  r = send("c@example.com", false); // taken over by another sender meanwhile
  CHECK(calls == 1);
  CHECK(r.outcome == SmtpOutcome::abandoned);
  ::usleep(300'000);
  CHECK(server.stored() == 1); // the relay never got the end of DATA

  r = send("d@example.com", true); // the connection is usable again
  CHECK(r.outcome == SmtpOutcome::sent);
  CHECK(server.stored() == 2);
}
