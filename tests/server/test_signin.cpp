// Sign-in limits (issue #13, defect 5): failed sign-ins are counted per client address and
// per credential tried from it, so that nobody can lock someone else out. The clients here
// are different loopback addresses (127.0.0.2, …), or different X-Forwarded-For behind a
// trusted proxy.
#include "http_support.hpp"
#include "raw_http.hpp"

#include <catch2/catch.hpp>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

RawResponse login_from(const Running& s, const std::string& from, const json& body,
                       const std::string& headers = {}) {
  return request_from(s.server->port(), from, "POST", "/v1/auth/login", body.dump(), headers);
}

void add_user(Running& s, const std::string& email, const std::string& password) {
  auto r = s.client()->Post("/v1/admin/users", s.admin(),
                            json{{"email", email}, {"role", "viewer"}, {"password", password}}.dump(),
                            "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 201);
}

} // namespace

TEST_CASE("sign-in: five wrong tokens from one client do not lock the admin token out",
          "[server][http][signin]") {
  Running s;
  for (int i = 0; i < 5; ++i)
    CHECK(login_from(s, "127.0.0.2", {{"token", "npsd_wrong-guess-" + std::to_string(i)}}).status == 401);
  // Another client signs in with the valid token, and so does the guessing client itself:
  // its failures were for other credentials and it is within its own limit.
  CHECK(login_from(s, "127.0.0.1", {{"token", kAdminToken}}).status == 200);
  CHECK(login_from(s, "127.0.0.2", {{"token", kAdminToken}}).status == 200);
}

TEST_CASE("sign-in: 60 wrong logins with random e-mails do not lock out a real user",
          "[server][http][signin]") {
  Running s;
  add_user(s, "real@example.com", "the real password");
  int refused = 0;
  for (int i = 0; i < 60; ++i) {
    const auto r =
        login_from(s, "127.0.0.3",
                   {{"email", "nobody" + std::to_string(i) + "@example.com"}, {"password", "some guess"}});
    if (r.status == 429) {
      ++refused;
      CHECK(!r.header("Retry-After").empty());
    } else
      CHECK(r.status == 401);
  }
  CHECK(refused == 40); // the spraying client is stopped after its 20 failures
  CHECK(
      login_from(s, "127.0.0.1", {{"email", "real@example.com"}, {"password", "the real password"}}).status ==
      200);
  // A correct password from the sprayer itself is refused while it is over its limit.
  CHECK(
      login_from(s, "127.0.0.3", {{"email", "real@example.com"}, {"password", "the real password"}}).status ==
      429);
  s.now->store(kNow + 61'000); // a minute later it may try again
  CHECK(
      login_from(s, "127.0.0.3", {{"email", "real@example.com"}, {"password", "the real password"}}).status ==
      200);
}

TEST_CASE("sign-in: guessing one user's password from one client stops that client only",
          "[server][http][signin]") {
  Running s;
  add_user(s, "eve@example.com", "eve's password");
  for (int i = 0; i < 5; ++i)
    CHECK(login_from(s, "127.0.0.4", {{"email", "eve@example.com"}, {"password", "wrong guess"}}).status ==
          401);
  CHECK(login_from(s, "127.0.0.4", {{"email", "EVE@example.com"}, {"password", "eve's password"}}).status ==
        429);
  CHECK(login_from(s, "127.0.0.5", {{"email", "eve@example.com"}, {"password", "eve's password"}}).status ==
        200);
}

TEST_CASE("sign-in: behind a trusted proxy the client is X-Forwarded-For's, from others it is ignored",
          "[server][http][signin]") {
  Config config;
  config.trusted_proxies = {"127.0.0.1"};
  Running s(config);
  add_user(s, "real@example.com", "the real password");
  const json wrong = {{"email", "real@example.com"}, {"password", "a wrong one"}};
  const json right = {{"email", "real@example.com"}, {"password", "the real password"}};
  for (int i = 0; i < 5; ++i)
    CHECK(login_from(s, "127.0.0.1", wrong, "X-Forwarded-For: 203.0.113.9\r\n").status == 401);
  CHECK(login_from(s, "127.0.0.1", right, "X-Forwarded-For: 203.0.113.9\r\n").status == 429);
  // Another client behind the same proxy is not locked out.
  CHECK(login_from(s, "127.0.0.1", right, "X-Forwarded-For: 198.51.100.7, 127.0.0.1\r\n").status == 200);
  // A client that is not the proxy cannot pick its address with the header.
  for (int i = 0; i < 5; ++i)
    CHECK(
        login_from(s, "127.0.0.6", wrong, "X-Forwarded-For: 192.0.2." + std::to_string(i) + "\r\n").status ==
        401);
  CHECK(login_from(s, "127.0.0.6", right, "X-Forwarded-For: 192.0.2.99\r\n").status == 429);
}
