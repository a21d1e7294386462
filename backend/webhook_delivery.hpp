// The webhook delivery worker: takes due deliveries from the durable outbox
// (webhook_store.hpp), sends each as one HTTP POST with libcurl and records what happened.
//
// - Standard Webhooks v1 (standard_webhooks.hpp): webhook-id (the event's, the same on every
//   attempt and replay), webhook-timestamp (the attempt's, Unix seconds), webhook-signature
//   (one "v1," signature per valid secret: the current one and, during a rotation, the old).
// - The spec's retry schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h,
//   20 h, 24 h after each failure (10 attempts), each delay with ±10% random jitter; a
//   Retry-After (seconds or an HTTP date, at most 24 h) delays the next attempt further.
//   2xx is delivered; 410 fails the delivery and disables the endpoint; anything else
//   (3xx included: redirects are not followed) is a failed attempt.
// - One timeout per attempt (connecting included). No proxy from the environment.
// - The SSRF guard (ssrf_guard.hpp) checks the address each connection is opened to.
// - Crash safety: a delivery is leased for 2 × timeout + 1 s when claimed; a worker that dies
//   leaves the lease to run out and the delivery is sent again (at least once).
#pragma once

#include "smtp_sender.hpp"
#include "webhook_store.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace npsd {

struct WebhookOptions {
  bool enabled = true;        // npsd --no-webhooks: no worker in this process
  bool allow_private = false; // --webhooks-allow-private: see ssrf::allowed
  double time_scale = 1.0;    // --webhooks-time-scale (TESTS ONLY): multiplies the retry schedule
  std::chrono::milliseconds timeout{15'000}; // --webhooks-timeout-ms, per attempt
  std::size_t workers = 2;                   // deliveries in flight per process
  std::string public_url;                    // --public-url: links in Slack and Teams alerts
  // Alerts by e-mail (kind "email", alerts_email.hpp): npsd's SMTP relay and sender. An
  // empty url: no relay, such deliveries fail with that reason.
  SmtpConfig smtp;
  std::string mail_from, mail_from_name;
  // A survey's privacy settings (its personal attributes), for endpoints that do not take
  // personal data; unset: only the attributes that are always personal are left out.
  std::function<nps::Privacy(const std::string& survey_id)> privacy_of;
  // How often the weekly digest's scheduler looks for an ended week (--digest-check-seconds).
  std::chrono::milliseconds digest_interval{600'000};
};

// The spec's delay after `attempts` failed attempts (1 → 5 s … 9 → 24 h), scaled, with
// `jitter` in [-1, 1] moving it by up to ±10%. nullopt after the 10th attempt: give up.
[[nodiscard]] std::optional<Millis> retry_delay(int attempts, double time_scale, double jitter);
// A Retry-After value (delay-seconds or an IMF-fixdate) as milliseconds from `now`, at most
// 24 h; nullopt when unreadable.
[[nodiscard]] std::optional<Millis> parse_retry_after(std::string_view value, Millis now);

// One POST, as the worker makes it.
struct HttpAttempt {
  int status = 0;    // 0: no HTTP answer (refused address, timeout, connection failed)
  std::string error; // "" when an answer came
  std::optional<std::string> retry_after;
};
// `cancel` (when given) aborts the attempt once it turns true: a stopping npsd does not wait
// for a slow receiver.
[[nodiscard]] HttpAttempt http_post(const std::string& url, const std::vector<std::string>& headers,
                                    const std::string& body, const WebhookOptions& options,
                                    const std::atomic<bool>* cancel = nullptr);

// What the attempt means for the delivery (its attempts made before this one given).
[[nodiscard]] AttemptRecord judge(const HttpAttempt& a, int attempts_before, Millis now,
                                  const WebhookOptions& o, double jitter);

// The body and headers of one attempt to `e` (signed for kind "standard"; Slack's and
// Teams' formats for their kinds).
struct Request {
  std::string body;
  std::vector<std::string> headers;
};
[[nodiscard]] Request build_request(const WebhookEndpoint& e, const OutboxEvent& ev, Millis now,
                                    const WebhookOptions& o);

class WebhookWorker {
public:
  WebhookWorker(WebhookStore& store, WebhookOptions options, std::function<Millis()> clock);
  ~WebhookWorker();
  WebhookWorker(const WebhookWorker&) = delete;
  WebhookWorker& operator=(const WebhookWorker&) = delete;

  void start();
  void stop(); // waits for attempts in flight (at most one timeout)
  void wake(); // something may be due now

private:
  void loop();
  void deliver(const WebhookDelivery& d, Millis lease_until);
  // kind "email": one message through the SMTP relay; 5xx fails the delivery, anything
  // else is retried on the spec's schedule.
  [[nodiscard]] AttemptRecord send_email(const WebhookEndpoint& e, const WebhookDelivery& d);

  WebhookStore& store_;
  WebhookOptions options_;
  std::function<Millis()> clock_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};
  std::vector<std::thread> threads_;
};

} // namespace npsd
