// Client address, HTTPS behind a proxy, browser hardening headers, web-root paths.
#include "http_policy.hpp"

#include <algorithm>

namespace npsd {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool trusted(const ProxyPolicy& p, std::string_view addr) {
  return std::find(p.trusted.begin(), p.trusted.end(), addr) != p.trusted.end();
}

// The comma-separated items of a header, last first.
std::vector<std::string_view> items_last_first(std::string_view header) {
  std::vector<std::string_view> out;
  while (!header.empty()) {
    const auto comma = header.rfind(',');
    const auto item = comma == std::string_view::npos ? header : header.substr(comma + 1);
    if (!trim(item).empty()) out.push_back(trim(item));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(0, comma);
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The dashboard runs only its own script: no inline script, no eval. The core's
// WebAssembly modules (language negotiation, the survey preview) need 'wasm-unsafe-eval',
// which allows compiling WebAssembly and no JavaScript eval. Styles: its stylesheet, and
// style attributes, which the dashboard sets on its share bars (h('span', {style: …})) and
// which Safari cannot allow alone (no style-src-attr); Chart.js and the widget's preview
// style through the CSSOM, which CSP does not govern. Setting those bars' widths through
// element.style in web/dashboard would let 'unsafe-inline' go.
constexpr const char* kDashboardPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";
// JSON, text and anything else that is not a page of ours: nothing runs, nothing frames it.
constexpr const char* kApiPolicy = "default-src 'none'; frame-ancestors 'none'";

} // namespace

std::string client_address(const httplib::Request& req, const ProxyPolicy& p) {
  if (!trusted(p, req.remote_addr) || !req.has_header("X-Forwarded-For")) return req.remote_addr;
  // Each proxy appends the address it got the request from: walk back past our proxies.
  std::string last_proxy = req.remote_addr;
  const std::string header = req.get_header_value("X-Forwarded-For"); // the views below point into it
  for (const auto item : items_last_first(header)) {
    if (!trusted(p, item)) return std::string(item);
    last_proxy = std::string(item);
  }
  return last_proxy;
}

bool reached_over_https(const httplib::Request& req, const ProxyPolicy& p) {
  if (p.always_https) return true;
  if (!trusted(p, req.remote_addr)) return false;
  const std::string header = req.get_header_value("X-Forwarded-Proto"); // the views below point into it
  const auto items = items_last_first(header);
  if (items.empty()) return false;
  std::string proto(items.front()); // set by the proxy nearest to us
  std::transform(proto.begin(), proto.end(), proto.begin(), [](unsigned char c) { return std::tolower(c); });
  return proto == "https";
}

void set_browser_headers(std::string_view path, httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  const bool dashboard = path == "/dashboard" || starts_with(path, "/dashboard/");
  const bool api = starts_with(path, "/v1/") || path == "/healthz" || path == "/metrics";
  // Loaded by other sites' pages (the loader's script, its modules, Wasm, texts, styles)
  // or meant to be shown in them (the demos).
  const bool widget =
      !dashboard && !api &&
      (ends_with(path, ".js") || ends_with(path, ".mjs") || ends_with(path, ".wasm") ||
       ends_with(path, ".css") || ends_with(path, ".data") || starts_with(path, "/nps-texts-") ||
       path == "/demo" || starts_with(path, "/demo/") || path == "/canvas" || starts_with(path, "/canvas/"));
  if (widget) return;
  res.set_header("X-Frame-Options", "DENY");
  if (dashboard)
    res.set_header("Content-Security-Policy", kDashboardPolicy);
  else if (api)
    res.set_header("Content-Security-Policy", kApiPolicy);
  else
    res.set_header("Content-Security-Policy", "frame-ancestors 'none'");
}

bool safe_static_path(std::string_view path) noexcept {
  if (path.empty() || path.front() != '/') return false;
  if (path.find("//") != std::string_view::npos || path.find("..") != std::string_view::npos) return false;
  return path.find('\\') == std::string_view::npos && path.find('\0') == std::string_view::npos;
}

bool plain_path(std::string_view path) noexcept {
  if (!safe_static_path(path)) return false;
  return std::all_of(path.begin(), path.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '/';
  });
}

} // namespace npsd
