// Outgoing webhooks, the parts under the worker: Standard Webhooks signing and secrets, the
// retry schedule and Retry-After, the SSRF guard for each refused address class, and one
// attempt with libcurl against receivers on loopback (refused unless allowed, no redirect
// followed, a timeout per attempt).
#include "ssrf_guard.hpp"
#include "standard_webhooks.hpp"
#include "webhook_delivery.hpp"

#include <httplib.h>

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace npsd;
namespace swh = npsd::standard_webhooks;
using ssrf::AddressClass;

namespace {

// A receiver on 127.0.0.1 with the handlers a test gives it.
struct Receiver {
  httplib::Server http;
  std::thread thread;
  int port = 0;
  std::atomic<int> hits{0};
  Receiver() = default;
  void start() {
    port = http.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { http.listen_after_bind(); });
    while (!http.is_running())
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    http.stop();
    if (thread.joinable()) thread.join();
  }
  std::string url(const std::string& path, const std::string& host = "127.0.0.1") const {
    return "http://" + host + ":" + std::to_string(port) + path;
  }
};

WebhookOptions options(bool allow_private, int timeout_ms = 5000) {
  WebhookOptions o;
  o.allow_private = allow_private;
  o.timeout = std::chrono::milliseconds(timeout_ms);
  return o;
}

} // namespace

TEST_CASE(
    "webhooks: a signature is v1 and base64 HMAC-SHA256 of id.timestamp.body, as the spec's libraries give",
    "[webhooks]") {
  // The verifiers' shared test vector (standardwebhooks npm 1.1.1 signs it the same way).
  const auto key = swh::secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
  REQUIRE(key);
  CHECK(swh::sign(*key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})") ==
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  const auto two =
      swh::signature_header({"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", swh::new_secret()},
                            "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, R"({"test": 2432232314})");
  CHECK(two.rfind("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE= v1,", 0) == 0);
  CHECK(two.size() == 2 * 47 + 1);
}

TEST_CASE("webhooks: a new secret is whsec_ and 32 random bytes in base64, never the same twice",
          "[webhooks]") {
  const auto a = swh::new_secret(), b = swh::new_secret();
  CHECK(a.rfind("whsec_", 0) == 0);
  CHECK(a.size() == 6 + 44);
  CHECK(a != b);
  REQUIRE(swh::secret_key(a));
  CHECK(swh::secret_key(a)->size() == 32);
  CHECK_FALSE(swh::secret_key("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));        // no prefix
  CHECK_FALSE(swh::secret_key("whsec_c2hvcnQ="));                          // 5 bytes: too short
  CHECK_FALSE(swh::secret_key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw!")); // not base64
}

TEST_CASE("webhooks: retries follow the spec's schedule with at most 10% jitter, and stop after 10 attempts",
          "[webhooks]") {
  const Millis s = 1000, m = 60 * s, h = 60 * m;
  const Millis expected[] = {5 * s, 5 * m, 30 * m, 2 * h, 5 * h, 10 * h, 14 * h, 20 * h, 24 * h};
  for (int i = 1; i <= 9; ++i) {
    CHECK(retry_delay(i, 1.0, 0.0) == expected[i - 1]);
    CHECK(retry_delay(i, 1.0, 1.0) == expected[i - 1] * 11 / 10);
    CHECK(retry_delay(i, 1.0, -1.0) == expected[i - 1] * 9 / 10);
    CHECK(retry_delay(i, 0.001, 0.0) == (expected[i - 1] + 500) / 1000);
  }
  CHECK_FALSE(retry_delay(10, 1.0, 0.0));
  CHECK_FALSE(retry_delay(0, 1.0, 0.0));
}

TEST_CASE("webhooks: Retry-After is read as seconds or an HTTP date, at most a day", "[webhooks]") {
  const Millis now = 1'445'412'480'000; // 2015-10-21T07:28:00Z
  CHECK(parse_retry_after("120", now) == 120'000);
  CHECK(parse_retry_after(" 7 ", now) == 7'000);
  CHECK(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now) == 30'000);
  CHECK(parse_retry_after("99999999999", now) == 86'400'000);
  CHECK_FALSE(parse_retry_after("soon", now));
  CHECK_FALSE(parse_retry_after("", now));
}

TEST_CASE("webhooks: an attempt's answer decides delivered, retry (Retry-After honoured), failed or gone",
          "[webhooks]") {
  const auto o = options(false);
  const Millis now = 1'000'000;
  CHECK(judge({204, "", std::nullopt}, 0, now, o, 0.0).outcome == AttemptRecord::Outcome::delivered);
  auto gone = judge({410, "", std::nullopt}, 3, now, o, 0.0);
  CHECK(gone.outcome == AttemptRecord::Outcome::gone);
  auto retry = judge({500, "", std::nullopt}, 0, now, o, 0.0);
  CHECK(retry.outcome == AttemptRecord::Outcome::retry);
  CHECK(retry.next_at == now + 5'000);
  CHECK(retry.error == "HTTP 500");
  auto redirect = judge({302, "", std::nullopt}, 1, now, o, 0.0);
  CHECK(redirect.outcome == AttemptRecord::Outcome::retry);
  CHECK(redirect.next_at == now + 300'000);
  auto throttled = judge({429, "", "120"}, 0, now, o, 0.0);
  CHECK(throttled.next_at == now + 120'000); // longer than the schedule's 5 s
  auto shorter = judge({503, "", "1"}, 1, now, o, 0.0);
  CHECK(shorter.next_at == now + 300'000); // never sooner than the schedule
  auto last = judge({0, "no answer within 15000 ms", std::nullopt}, 9, now, o, 0.0);
  CHECK(last.outcome == AttemptRecord::Outcome::failed);
  CHECK(last.error == "no answer within 15000 ms");
}

TEST_CASE("webhooks: the SSRF guard classifies each internal address class and refuses it",
          "[webhooks][ssrf]") {
  const std::pair<const char*, AddressClass> cases[] = {
      {"127.0.0.1", AddressClass::loopback},
      {"127.255.0.9", AddressClass::loopback},
      {"::1", AddressClass::loopback},
      {"10.1.2.3", AddressClass::private_net},
      {"172.16.0.1", AddressClass::private_net},
      {"172.31.255.255", AddressClass::private_net},
      {"192.168.1.1", AddressClass::private_net},
      {"fd12:3456::1", AddressClass::private_net},
      {"fc00::1", AddressClass::private_net},
      {"169.254.1.1", AddressClass::link_local},
      {"fe80::1", AddressClass::link_local},
      {"169.254.169.254", AddressClass::metadata},
      {"fd00:ec2::254", AddressClass::metadata},
      {"100.100.100.200", AddressClass::metadata},
      {"100.64.0.1", AddressClass::cgnat},
      {"100.127.255.254", AddressClass::cgnat},
      {"0.0.0.0", AddressClass::unspecified},
      {"::", AddressClass::unspecified},
      {"224.0.0.1", AddressClass::multicast},
      {"ff02::1", AddressClass::multicast},
      {"255.255.255.255", AddressClass::broadcast},
      {"240.0.0.1", AddressClass::reserved},
      {"192.0.2.7", AddressClass::reserved},
      {"2001:db8::1", AddressClass::reserved},
      {"::ffff:127.0.0.1", AddressClass::loopback},
      {"::ffff:169.254.169.254", AddressClass::metadata},
      {"64:ff9b::a00:1", AddressClass::private_net},
      {"2002:7f00:1::", AddressClass::loopback},
      {"93.184.215.14", AddressClass::global},
      {"2606:4700::1111", AddressClass::global},
      {"172.32.0.1", AddressClass::global},
      {"100.128.0.1", AddressClass::global},
  };
  for (const auto& [ip, cls] : cases) {
    INFO(ip);
    REQUIRE(ssrf::classify(ip));
    CHECK(*ssrf::classify(ip) == cls);
    CHECK(ssrf::allowed(cls, false) == (cls == AddressClass::global));
  }
  CHECK(ssrf::allowed(AddressClass::loopback, true));
  CHECK(ssrf::allowed(AddressClass::private_net, true));
  CHECK(ssrf::allowed(AddressClass::cgnat, true));
  CHECK_FALSE(ssrf::allowed(AddressClass::metadata, true)); // never, even when private ones are allowed
  CHECK_FALSE(ssrf::allowed(AddressClass::multicast, true));
  CHECK_FALSE(ssrf::allowed(AddressClass::unspecified, true));
  CHECK_FALSE(ssrf::classify("example.com"));
}

TEST_CASE("webhooks: an endpoint URL is http or https to a host npsd may reach", "[webhooks][ssrf]") {
  CHECK_FALSE(ssrf::check_url("https://hooks.slack.com/services/T0/B0/x", false));
  // Plain http only to a receiver on a private network, when the operator allows those.
  CHECK(ssrf::check_url("http://receiver.example:8080/in?x=1", false)->find("https") != std::string::npos);
  CHECK_FALSE(ssrf::check_url("http://receiver.internal:8080/in?x=1", true));
  CHECK_FALSE(ssrf::check_url("http://10.1.2.3/in", true));
  CHECK(ssrf::check_url("http://93.184.216.34/in", true)->find("https") != std::string::npos);
  CHECK_FALSE(ssrf::check_url("https://receiver.example:8443/in?x=1", false));
  CHECK(ssrf::check_url("ftp://receiver.example/", false));
  CHECK(ssrf::check_url("file:///etc/passwd", false));
  CHECK(ssrf::check_url("https://user:pw@receiver.example/", false));
  CHECK(ssrf::check_url("not a url", false));
  CHECK(ssrf::check_url("http://127.0.0.1:9/", false)->find("loopback") != std::string::npos);
  CHECK(ssrf::check_url("http://[::1]/", false));
  CHECK(ssrf::check_url("http://LOCALHOST./", false));
  CHECK(ssrf::check_url("http://api.localhost/", false));
  CHECK(ssrf::check_url("http://10.0.0.8/", false)->find("private") != std::string::npos);
  CHECK(ssrf::check_url("http://169.254.169.254/latest/meta-data/", true)->find("metadata") !=
        std::string::npos);
  CHECK_FALSE(ssrf::check_url("http://127.0.0.1:9/", true));
  CHECK(ssrf::check_url("https://x.example/" + std::string(2000, 'a'), false));
}

TEST_CASE("webhooks: a receiver on loopback is refused at connect time unless private addresses are allowed",
          "[webhooks][ssrf]") {
  Receiver r;
  r.http.Post("/in", [&](const httplib::Request&, httplib::Response& res) {
    ++r.hits;
    res.status = 204;
  });
  r.start();
  // By address, and by a name that resolves to loopback (/etc/hosts), and a shorthand that
  // no URL check reads as an address but the resolver does (127.1).
  for (const auto& url : {r.url("/in"), r.url("/in", "localhost"), r.url("/in", "127.1")}) {
    INFO(url);
    const auto a = http_post(url, {"Content-Type: application/json"}, "{}", options(false));
    CHECK(a.status == 0);
    CHECK(a.error.find("refused address") != std::string::npos);
    CHECK(a.error.find("loopback") != std::string::npos);
  }
  CHECK(r.hits == 0);
  const auto ok =
      http_post(r.url("/in", "localhost"), {"Content-Type: application/json"}, "{}", options(true));
  CHECK(ok.status == 204);
  CHECK(r.hits == 1);
}

TEST_CASE(
    "webhooks: plain http to a public address is refused at connect time, even with private ones allowed",
    "[webhooks][ssrf]") {
  // The socket is refused before any packet leaves: no network is needed for this.
  const auto a =
      http_post("http://93.184.216.34:9/in", {"Content-Type: application/json"}, "{}", options(true));
  CHECK(a.status == 0);
  CHECK(a.error.find("plain http to a public address") != std::string::npos);
}

TEST_CASE("webhooks: a redirect is not followed and a slow receiver times out", "[webhooks]") {
  Receiver r;
  std::atomic<int> target_hits{0};
  r.http.Post("/moved",
              [&](const httplib::Request&, httplib::Response& res) { res.set_redirect("/target", 307); });
  r.http.Post("/target", [&](const httplib::Request&, httplib::Response& res) {
    ++target_hits;
    res.status = 200;
  });
  r.http.Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    res.status = 200;
  });
  r.http.Post("/busy", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 503;
    res.set_header("Retry-After", "30");
  });
  r.start();
  const auto moved = http_post(r.url("/moved"), {}, "{}", options(true));
  CHECK(moved.status == 307);
  CHECK(target_hits == 0);
  const auto slow = http_post(r.url("/slow"), {}, "{}", options(true, 300));
  CHECK(slow.status == 0);
  CHECK(slow.error == "no answer within 300 ms");
  const auto busy = http_post(r.url("/busy"), {}, "{}", options(true));
  CHECK(busy.status == 503);
  CHECK(busy.retry_after == "30");
}
