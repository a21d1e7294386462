// The request path as npsd reads it: request line, headers, Content-Length and chunked
// bodies, then routing, authentication and the JSON bodies of every route. The target
// goes through the real server over loopback, so it keeps working whatever the
// connection loop's internals become (httplib's, or a front of our own): one in-process
// npsd (make_server on a free 127.0.0.1 port, a temporary database holding one survey
// "fz", a web root with one file and one folder) serves the whole run.
//
// Each input is deterministic in what it sends: one new connection, the input's bytes,
// a half-close, then everything the server writes until it closes (at most 2 s). A crash
// or a sanitizer report in any server thread ends the run with the input that caused it.
// After an exchange that had to wait the whole 2 s, and every 1024 inputs, a GET /healthz
// on a new connection must be answered within 5 s: a server that stops answering (a
// deadlock, a leaked pool thread per input) is a finding too.
//
// State carries over between inputs (stored answers, surveys an admin seed creates or
// archives, the sign-in rate limiter); a reproducer is replayed on a fresh server, so a
// finding that depends on earlier inputs shows up as a timeout or not at all: libFuzzer's
// -runs over the whole corpus then reproduces it.
#include "fuzz_support.hpp"

#include "server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

namespace {

constexpr const char* kAdminToken = "fuzz-admin-token-0123456789"; // the seeds use it too
using Clock = std::chrono::steady_clock;

struct Exchange {
  std::string reply;
  bool closed = false; // the server closed (or reset) the connection before the deadline
};

// One connection: send `bytes`, half-close, read until the server closes or `limit` passes.
Exchange exchange(int port, std::string_view bytes, std::chrono::milliseconds limit) {
  Exchange out;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) nps::fuzz::fail("socket() failed", bytes);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return out; // refused: counted by the health check that follows
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const auto deadline = Clock::now() + limit;
  std::size_t sent = 0;
  char buf[16384];
  if (bytes.empty()) ::shutdown(fd, SHUT_WR);
  // Send and read together: a server may answer (and close) before it has read everything.
  while (sent < bytes.size() || !out.closed) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{fd, static_cast<short>(POLLIN | (sent < bytes.size() ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) continue;
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const auto n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0) {
        if (out.reply.size() < (1u << 20)) out.reply.append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        out.closed = true;
        break;
      }
    }
    if (sent < bytes.size() && (p.revents & POLLOUT)) {
      const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += static_cast<std::size_t>(n);
        if (sent == bytes.size()) ::shutdown(fd, SHUT_WR);
      } else if (errno != EAGAIN && errno != EINTR) {
        sent = bytes.size(); // the server stopped reading: just read what it says
      }
    }
  }
  ::close(fd);
  return out;
}

std::string request(const std::string& method, const std::string& path, const std::string& body) {
  return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + kAdminToken +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

class Fixture {
public:
  Fixture() {
    // SIGPIPE is left as npsd leaves it (default: terminate): a write to a closed
    // connection without MSG_NOSIGNAL anywhere in the server is a finding.
    char tmpl[] = "/tmp/npsd-fuzz-XXXXXX";
    if (!::mkdtemp(tmpl)) nps::fuzz::fail("mkdtemp failed", "");
    dir_ = tmpl;
    std::filesystem::create_directories(dir_ / "web" / "folder");
    std::ofstream(dir_ / "web" / "index.html") << "<!doctype html><title>fuzz</title>\n";
    std::ofstream(dir_ / "web" / "folder" / "file.txt") << "a file\n";
    npsd::Config c;
    c.host = "127.0.0.1";
    c.port = 0;
    c.database = (dir_ / "npsd.sqlite3").string();
    c.web_root = (dir_ / "web").string();
    c.admin_token = kAdminToken;
    c.log_requests = false;
    server_ = npsd::make_server(std::move(c));
    server_->start();
    port_ = server_->port();
    const auto created =
        exchange(port_, request("POST", "/v1/admin/surveys", R"({"id":"fz"})"), std::chrono::seconds(10));
    if (created.reply.rfind("HTTP/1.1 201", 0) != 0)
      nps::fuzz::fail("the fuzzing server did not create its survey", "", created.reply);
  }
  ~Fixture() {
    server_->stop();
    server_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Fixture(const Fixture&) = delete;
  Fixture& operator=(const Fixture&) = delete;

  [[nodiscard]] int port() const { return port_; }

private:
  std::filesystem::path dir_;
  std::unique_ptr<npsd::NpsServer> server_;
  int port_ = 0;
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void check_alive(std::string_view input) {
  const auto r = exchange(fixture().port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                          std::chrono::seconds(5));
  if (r.reply.rfind("HTTP/1.1 200", 0) != 0)
    nps::fuzz::fail("npsd stopped answering GET /healthz after this input", input, r.reply);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::uint64_t inputs = 0;
  const std::string_view bytes = nps::fuzz::as_text(data, size);
  const auto r = exchange(fixture().port(), bytes, std::chrono::seconds(2));
  if (!r.closed || ++inputs % 1024 == 0) check_alive(bytes);
  return 0;
}
