// Browser hardening (issue #13, defects 9 and 10): headers on the dashboard and the API
// that the widget's files and the demos do without; a Secure session cookie behind HTTPS;
// only folders of the web root are redirected, and the host's folders are not probed.
#include "http_support.hpp"
#include "raw_http.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

// A web root with the dashboard, the widget's files and the demo page.
struct WebRoot {
  TempDir dir;
  WebRoot() {
    std::filesystem::create_directories(dir.file("dashboard"));
    std::filesystem::create_directories(dir.file("demo"));
    std::ofstream(dir.file("dashboard/index.html")) << "<!doctype html><title>dashboard</title>";
    std::ofstream(dir.file("dashboard/dashboard.js")) << "export {};";
    std::ofstream(dir.file("nps.js")) << "/* loader */";
    std::ofstream(dir.file("nps.mjs")) << "export {};";
    std::ofstream(dir.file("nps-elig.wasm"), std::ios::binary) << std::string("\0asm", 4);
    std::ofstream(dir.file("nps-texts-ru.json")) << R"({"locale":"ru","dir":"ltr","texts":{}})";
    std::ofstream(dir.file("demo/index.html")) << "<!doctype html><title>demo</title>";
  }
  Config config() const {
    Config c;
    c.web_root = dir.path().string();
    return c;
  }
};

std::string set_cookie_of_login(Running& s, const httplib::Headers& headers = {}) {
  auto r =
      s.client()->Post("/v1/auth/login", headers, json{{"token", kAdminToken}}.dump(), "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return r->get_header_value("Set-Cookie");
}

bool has_secure(const std::string& cookie) { return cookie.find("; Secure") != std::string::npos; }

} // namespace

TEST_CASE("browser: the dashboard and the API refuse framing and sniffing, with a strict CSP",
          "[server][http][browser]") {
  WebRoot web;
  Running s(web.config());
  auto c = s.client();
  auto page = c->Get("/dashboard/");
  REQUIRE(page);
  REQUIRE(page->status == 200);
  const auto csp = page->get_header_value("Content-Security-Policy");
  // Scripts: its own only, never inline or eval ('wasm-unsafe-eval' lets the core's
  // WebAssembly modules compile, nothing more).
  const auto script_src =
      csp.substr(csp.find("script-src"), csp.find(';', csp.find("script-src")) - csp.find("script-src"));
  CHECK(script_src == "script-src 'self' 'wasm-unsafe-eval'");
  CHECK(csp.find("default-src 'self'") != std::string::npos);
  CHECK(csp.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(csp.find("object-src 'none'") != std::string::npos);
  CHECK(csp.find("base-uri 'none'") != std::string::npos);
  CHECK(page->get_header_value("X-Frame-Options") == "DENY");
  CHECK(page->get_header_value("X-Content-Type-Options") == "nosniff");
  CHECK(page->get_header_value("Referrer-Policy") == "no-referrer");
  CHECK(c->Get("/dashboard/dashboard.js")->get_header_value("X-Content-Type-Options") == "nosniff");

  for (const auto& r : {c->Get("/v1/admin/surveys", s.admin()), c->Get("/v1/admin/surveys"),
                        c->Get("/v1/surveys/none/config"), c->Get("/healthz")}) {
    REQUIRE(r);
    INFO(r->status);
    CHECK(r->get_header_value("X-Frame-Options") == "DENY");
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
    CHECK(r->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos);
    CHECK(r->get_header_value("Referrer-Policy") == "no-referrer");
  }
}

TEST_CASE("browser: the widget's files and the demo stay loadable and embeddable by other sites",
          "[server][http][browser]") {
  WebRoot web;
  Running s(web.config());
  auto c = s.client();
  const httplib::Headers from_shop = {{"Origin", "https://shop.example"}};
  for (const char* path : {"/nps.js", "/nps.mjs", "/nps-elig.wasm", "/nps-texts-ru.json"}) {
    INFO(path);
    auto r = c->Get(path, from_shop);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Access-Control-Allow-Origin") == "*");
    CHECK(r->get_header_value("X-Frame-Options").empty());
    CHECK(r->get_header_value("Content-Security-Policy").empty());
  }
  // With nosniff a script must be served as one, or the browser refuses to run it.
  CHECK(c->Get("/nps.js")->get_header_value("Content-Type").find("javascript") != std::string::npos);
  CHECK(c->Get("/nps.mjs")->get_header_value("Content-Type").find("javascript") != std::string::npos);
  auto demo = c->Get("/demo/");
  REQUIRE(demo->status == 200);
  CHECK(demo->get_header_value("X-Frame-Options").empty());
  CHECK(demo->get_header_value("Content-Security-Policy").empty());
}

TEST_CASE("browser: the session cookie is Secure with --secure-cookies or a trusted proxy's https",
          "[server][http][browser]") {
  SECTION("by default it is not, and X-Forwarded-Proto from anyone is ignored") {
    Running s;
    CHECK_FALSE(has_secure(set_cookie_of_login(s)));
    CHECK_FALSE(has_secure(set_cookie_of_login(s, {{"X-Forwarded-Proto", "https"}})));
  }
  SECTION("--secure-cookies: always, sign-out included") {
    Config config;
    config.secure_cookies = true;
    Running s(config);
    const auto cookie = set_cookie_of_login(s);
    CHECK(has_secure(cookie));
    CHECK(cookie.find("HttpOnly") != std::string::npos);
    auto out = s.client()->Post("/v1/auth/logout", s.admin(), "", "application/json");
    CHECK(has_secure(out->get_header_value("Set-Cookie")));
  }
  SECTION("--trusted-proxy: when that proxy says https") {
    Config config;
    config.trusted_proxies = {"127.0.0.1"};
    Running s(config);
    CHECK(has_secure(set_cookie_of_login(s, {{"X-Forwarded-Proto", "https"}})));
    CHECK(has_secure(set_cookie_of_login(s, {{"X-Forwarded-Proto", "HTTPS"}})));
    CHECK_FALSE(has_secure(set_cookie_of_login(s, {{"X-Forwarded-Proto", "http"}})));
    CHECK_FALSE(has_secure(set_cookie_of_login(s)));
    // The same header from an address that is not the proxy's is not believed.
    const auto body = json{{"token", kAdminToken}}.dump();
    auto other = request_from(s.server->port(), "127.0.0.2", "POST", "/v1/auth/login", body,
                              "X-Forwarded-Proto: https\r\n");
    REQUIRE(other.status == 200);
    CHECK_FALSE(has_secure(other.header("Set-Cookie")));
  }
}

TEST_CASE("browser: only folders inside the web root are redirected, the host's folders are not probed",
          "[server][http][browser]") {
  WebRoot web;
  TempDir outside; // a folder of the host, outside the web root, with a page in it
  std::ofstream(outside.file("index.html")) << "<!doctype html><title>host</title>";
  Running s(web.config());
  const int port = s.server->port();
  auto get = [&](const std::string& path) { return request_from(port, "127.0.0.1", "GET", path); };

  auto inside = get("/demo");
  CHECK(inside.status == 301);
  CHECK(inside.header("Location") == "/demo/");

  const std::string host_folder = outside.path().string(); // "/tmp/npsd-test-…"
  REQUIRE(host_folder.front() == '/');
  const std::vector<std::string> refused = {"/" + host_folder, "//usr/share", "//usr", "/demo/../demo",
                                            "/demo\\",         "/demo%00",    "//demo"};
  for (const auto& path : refused) {
    INFO(path);
    auto r = get(path);
    CHECK(r.status == 404);
    CHECK(r.header("Location").empty());
  }
}
