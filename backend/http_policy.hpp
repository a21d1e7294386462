// What npsd decides from a request's address, path and proxy headers: who the client is
// (for the sign-in limits, in memory only), whether the browser reached us over HTTPS
// (for the session cookie's Secure), which browser-hardening headers a response gets, and
// which paths may be looked up in the web root.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>
#include <vector>

namespace npsd {

struct ProxyPolicy {
  std::vector<std::string> trusted; // addresses of reverse proxies whose X-Forwarded-* we believe
  bool always_https = false;        // --secure-cookies: every browser reaches us over HTTPS
};

// The client's address: the peer's, or, when the peer is a trusted proxy that sent
// X-Forwarded-For, the rightmost address in it that is not a trusted proxy.
[[nodiscard]] std::string client_address(const httplib::Request& req, const ProxyPolicy& p);

// True with --secure-cookies, or when a trusted proxy says X-Forwarded-Proto: https. The
// header from anyone else is ignored.
[[nodiscard]] bool reached_over_https(const httplib::Request& req, const ProxyPolicy& p);

// Sets the hardening headers for the response to `path`: nosniff and Referrer-Policy on
// every response; no framing and a Content-Security-Policy for the API and the dashboard;
// the widget's files (scripts, Wasm, texts, styles) and the demo pages stay loadable and
// embeddable by other sites.
void set_browser_headers(std::string_view path, httplib::Response& res);

// A path that may be looked up in the web root: starts with a single '/', and has no "//",
// "..", backslash or NUL.
[[nodiscard]] bool safe_static_path(std::string_view path) noexcept;
// A safe path made only of A-Z a-z 0-9 - . _ ~ and '/', which can be sent back in a
// Location header as it is.
[[nodiscard]] bool plain_path(std::string_view path) noexcept;

} // namespace npsd
