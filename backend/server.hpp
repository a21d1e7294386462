// npsd as a library: make_server(config) opens the storage, loads the surveys into memory
// and registers every route on a HardenedServer. Tests and the benchmark start it on a
// free loopback port; npsd's main is a thin wrapper around it.
#pragma once

#include "hardened_server.hpp"
#include "storage.hpp"
#include "webhook_delivery.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace npsd {

struct Config {
  std::string host = "127.0.0.1";
  int port = 8080; // 0: any free port (see NpsServer::port)
  std::string database = "./data/npsd.sqlite3";
  std::string web_root;                     // static files; empty or missing: none served
  std::vector<std::string> allowed_origins; // CORS origins for the admin API (a dashboard elsewhere)
  std::string admin_token;                  // when set, this secret is an admin token
  bool log_requests = true;                 // one JSON line per request on stderr
  std::size_t public_body_max = 64 * 1024;  // response bodies
  std::size_t admin_body_max = 1024 * 1024; // survey definitions
  int retention_days = 0;                   // 0: keep answers forever
  RetentionMode retention_mode = RetentionMode::anonymize;
  bool secure_cookies = false;              // the session cookie is Secure (browsers reach npsd over HTTPS)
  std::vector<std::string> trusted_proxies; // X-Forwarded-For and -Proto are believed from these addresses
  std::size_t live_streams_per_caller = 8;  // open /live streams per token or user
  std::size_t live_streams_total = 0;       // open /live streams in all; 0: a quarter of limits.threads
  std::chrono::milliseconds live_ping{15'000}; // a comment line on an idle /live stream this often
  ConnectionLimits limits;
  WebhookOptions webhooks; // issue 15: the delivery worker and the SSRF guard
  std::string public_url;  // issue 14: the address links and QR codes point to ("" : the request's Host)
  std::string link_secret; // issue 14: signs links (32+ bytes); "" : one made and kept in the database
  // issue 14: campaigns are sent through this relay (smtp:// or smtps://); "" : none sent.
  std::string smtp_url, smtp_username, smtp_password;
  bool smtp_starttls = false;                  // smtp:// must upgrade with STARTTLS
  std::string mail_from, mail_from_name;       // the From of survey e-mails
  std::chrono::milliseconds sender_idle{1000}; // how often an idle sender looks for due messages
  // SMS replies (issue 15, routes_sms.cpp): Twilio's auth token, the public base URL Twilio
  // calls (the signature covers it), and how long a score waits for its follow-up.
  std::string twilio_auth_token;
  std::string sms_public_url;
  std::chrono::milliseconds sms_followup_window{24LL * 3'600'000};
  std::size_t import_body_max = 64u * 1024 * 1024; // a CSV export sent to …/import (issue 15)
  std::function<Millis()> clock;                   // default: the system clock
};

// One registered route, as the OpenAPI document names it: "GET /v1/surveys/{id}/config".
struct RouteInfo {
  std::string method;
  std::string path;
};

class NpsServer {
public:
  virtual ~NpsServer() = default;

  // Binds (port 0 picks a free one) and serves on a background thread.
  virtual void start() = 0;
  // Binds and serves on the calling thread until stop().
  virtual bool run() = 0;
  // Stops accepting, finishes requests in flight, closes the storage's writer last.
  virtual void stop() = 0;

  [[nodiscard]] virtual int port() const = 0;
  [[nodiscard]] virtual Storage& storage() = 0;
  [[nodiscard]] virtual const std::vector<RouteInfo>& routes() const = 0;
  // The admin secret created because the database had no token yet; printed once by npsd.
  [[nodiscard]] virtual std::optional<std::string> created_admin_token() const = 0;
};

// Throws StorageError when the database cannot be opened or migrated.
[[nodiscard]] std::unique_ptr<NpsServer> make_server(Config config);

// The OpenAPI 3 document served at /v1/openapi.json.
[[nodiscard]] const std::string& openapi_document();

} // namespace npsd
