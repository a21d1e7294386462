// The webhook delivery worker (see the header): the retry schedule, one attempt with libcurl
// behind the SSRF guard, and the threads that take deliveries from the outbox.
#include "webhook_delivery.hpp"

#include "alerts_email.hpp"
#include "alerts_slack.hpp"
#include "digest.hpp"
#include "email_render.hpp"
#include "ssrf_guard.hpp"
#include "standard_webhooks.hpp"

#include <curl/curl.h>
#include <sodium.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>

namespace npsd {

namespace {

constexpr Millis kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute;
// After the 1st … 9th failed attempt (spec: "Example retry schedule").
constexpr std::array<Millis, 9> kSchedule = {5 * kSecond, 5 * kMinute, 30 * kMinute, 2 * kHour, 5 * kHour,
                                             10 * kHour,  14 * kHour,  20 * kHour,   24 * kHour};

// A uniform number in [-1, 1] from the CSPRNG (jitter need not be secret, but it is there).
double random_jitter() { return static_cast<double>(randombytes_uniform(2'000'001)) / 1'000'000.0 - 1.0; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(),
                    [](unsigned char x, unsigned char y) { return std::tolower(x) == std::tolower(y); });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// What one transfer collects; also the SSRF guard's verdict.
struct Transfer {
  bool allow_private = false;
  bool plain_http = false; // an http:// URL: only to an address on a private network
  std::string refused;     // "refused address 127.0.0.1 (loopback)"
  std::optional<std::string> retry_after;
  std::size_t body_bytes = 0;
  const std::atomic<bool>* cancel = nullptr;
};

int on_progress(void* clientp, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  const auto* t = static_cast<Transfer*>(clientp);
  return t->cancel && t->cancel->load() ? 1 : 0;
}

curl_socket_t open_socket(void* clientp, curlsocktype purpose, curl_sockaddr* address) {
  auto* t = static_cast<Transfer*>(clientp);
  if (purpose != CURLSOCKTYPE_IPCXN) return CURL_SOCKET_BAD;
  const auto* sa = reinterpret_cast<const sockaddr*>(&address->addr);
  const auto cls = ssrf::classify(sa);
  if (!ssrf::allowed(cls, t->allow_private)) {
    t->refused = "refused address " + ssrf::address_text(sa) + " (" + std::string(ssrf::to_string(cls)) + ")";
    return CURL_SOCKET_BAD;
  }
  if (t->plain_http && cls == ssrf::AddressClass::global) {
    t->refused = "refused plain http to a public address " + ssrf::address_text(sa) + " (use https)";
    return CURL_SOCKET_BAD;
  }
  return socket(address->family, address->socktype, address->protocol);
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  const std::string_view line(data, size * n);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), "retry-after"))
    t->retry_after = std::string(trim(line.substr(colon + 1)));
  return size * n;
}

std::size_t on_body(char*, std::size_t size, std::size_t n, void* userp) {
  auto* t = static_cast<Transfer*>(userp);
  t->body_bytes += size * n;
  return t->body_bytes > 64 * 1024 ? 0 : size * n; // a receiver's answer is not read beyond 64 KB
}

} // namespace

std::optional<Millis> retry_delay(int attempts, double time_scale, double jitter) {
  if (attempts < 1 || attempts > static_cast<int>(kSchedule.size())) return std::nullopt;
  const double base = static_cast<double>(kSchedule[static_cast<std::size_t>(attempts - 1)]) * time_scale;
  return static_cast<Millis>(std::llround(base * (1.0 + 0.1 * std::clamp(jitter, -1.0, 1.0))));
}

std::optional<Millis> parse_retry_after(std::string_view value, Millis now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return 24 * kHour;
    return std::min<Millis>(std::stoll(std::string(value)) * kSecond, 24 * kHour);
  }
  const auto t = curl_getdate(std::string(value).c_str(), nullptr);
  if (t < 0) return std::nullopt;
  return std::clamp<Millis>(static_cast<Millis>(t) * kSecond - now, 0, 24 * kHour);
}

HttpAttempt http_post(const std::string& url, const std::vector<std::string>& headers,
                      const std::string& body, const WebhookOptions& o, const std::atomic<bool>* cancel) {
  std::unique_ptr<CURL, void (*)(CURL*)> h(curl_easy_init(), curl_easy_cleanup);
  if (!h) return {0, "libcurl could not start a transfer", std::nullopt};
  curl_slist* list = nullptr;
  for (const auto& hd : headers)
    list = curl_slist_append(list, hd.c_str());
  list = curl_slist_append(list, "Expect:"); // no 100-continue round trip
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> owned(list, curl_slist_free_all);
  Transfer t;
  t.allow_private = o.allow_private;
  t.plain_http = url.size() >= 7 && std::equal(url.begin(), url.begin() + 7, "http://", [](char a, char b) {
                   return std::tolower(static_cast<unsigned char>(a)) == b;
                 });
  t.cancel = cancel;
  char err[CURL_ERROR_SIZE] = {};
  CURL* c = h.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.timeout.count()));
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "OpenNPS-webhooks/1");
  curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  const auto rc = curl_easy_perform(c);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  HttpAttempt out;
  out.retry_after = t.retry_after;
  if (status > 0 && (rc == CURLE_OK || rc == CURLE_WRITE_ERROR)) {
    out.status = static_cast<int>(status);
    return out;
  }
  if (!t.refused.empty())
    out.error = t.refused;
  else if (rc == CURLE_ABORTED_BY_CALLBACK)
    out.error = "npsd stopped during the attempt";
  else if (rc == CURLE_OPERATION_TIMEDOUT)
    out.error = "no answer within " + std::to_string(o.timeout.count()) + " ms";
  else
    out.error = *err ? std::string(err) : std::string(curl_easy_strerror(rc));
  return out;
}

AttemptRecord judge(const HttpAttempt& a, int attempts_before, Millis now, const WebhookOptions& o,
                    double jitter) {
  AttemptRecord r;
  r.now = now;
  r.http_status = a.status;
  if (a.status >= 200 && a.status <= 299) {
    r.outcome = AttemptRecord::Outcome::delivered;
    return r;
  }
  if (a.status == 410) {
    r.outcome = AttemptRecord::Outcome::gone;
    r.error = "HTTP 410: the endpoint is disabled";
    return r;
  }
  r.error = a.status ? "HTTP " + std::to_string(a.status) : a.error;
  const auto delay = retry_delay(attempts_before + 1, o.time_scale, jitter);
  if (!delay) {
    r.outcome = AttemptRecord::Outcome::failed;
    return r;
  }
  Millis wait = *delay;
  if (a.retry_after)
    if (auto ra = parse_retry_after(*a.retry_after, now)) wait = std::max(wait, *ra);
  r.outcome = AttemptRecord::Outcome::retry;
  r.next_at = now + wait;
  return r;
}

Request build_request(const WebhookEndpoint& e, const OutboxEvent& ev, Millis now, const WebhookOptions& o) {
  Request r;
  if (e.kind == "slack" || e.kind == "teams") { // incoming webhooks: their own JSON, no signature
    r.body = nps::dump(e.kind == "slack" ? alerts::slack_message(ev, e, o.public_url)
                                         : alerts::teams_message(ev, e, o.public_url));
    r.headers = {"Content-Type: application/json"};
    return r;
  }
  r.body = e.include_personal ? ev.body
                              : without_personal_data(ev.body, o.privacy_of ? o.privacy_of(ev.tags.survey_id)
                                                                            : nps::Privacy{});
  const auto ts = now / 1000;
  std::vector<std::string> secrets{e.secret};
  if (!e.previous_secret.empty() && e.previous_until > now) secrets.push_back(e.previous_secret);
  r.headers = {"Content-Type: application/json", "webhook-id: " + ev.msg_id,
               "webhook-timestamp: " + std::to_string(ts),
               "webhook-signature: " + standard_webhooks::signature_header(secrets, ev.msg_id, ts, r.body)};
  return r;
}

// ---- the worker ------------------------------------------------------------------------

WebhookWorker::WebhookWorker(WebhookStore& store, WebhookOptions options, std::function<Millis()> clock)
    : store_(store), options_(std::move(options)), clock_(std::move(clock)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

WebhookWorker::~WebhookWorker() { stop(); }

void WebhookWorker::start() {
  std::lock_guard lock(mu_);
  if (!threads_.empty()) return;
  stop_ = false;
  cancel_ = false;
  for (std::size_t i = 0; i < std::max<std::size_t>(options_.workers, 1); ++i)
    threads_.emplace_back([this] { loop(); });
}

void WebhookWorker::stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
    cancel_ = true;
    threads.swap(threads_);
  }
  cv_.notify_all();
  for (auto& t : threads)
    t.join();
}

void WebhookWorker::wake() { cv_.notify_all(); }

void WebhookWorker::loop() {
  // Idle, the worker looks again at least this often: another process (PostgreSQL) may have
  // written events, and a lease may have run out.
  constexpr Millis kPoll = 250;
  const Millis lease = 2 * options_.timeout.count() + 1000;
  for (;;) {
    Millis wait = kPoll;
    try {
      const auto now = clock_();
      const auto due = store_.next_due();
      if (due && *due <= now) {
        const Millis lease_until = now + lease;
        auto claimed = store_.claim(now, lease_until, 1);
        if (!claimed.empty()) {
          deliver(claimed.front(), lease_until);
          wait = 0;
        }
      } else if (due) {
        wait = std::min(kPoll, *due - now);
      }
    } catch (const std::exception&) {
      wait = 1000; // the database is unreachable: try again later, nothing is lost
    }
    std::unique_lock lock(mu_);
    if (stop_) return;
    if (wait > 0) cv_.wait_for(lock, std::chrono::milliseconds(wait), [this] { return stop_; });
    if (stop_) return;
  }
}

AttemptRecord WebhookWorker::send_email(const WebhookEndpoint& e, const WebhookDelivery& d) {
  AttemptRecord r;
  const auto to = alerts::mailto_address(e.url);
  SmtpResult sent;
  if (options_.smtp.url.empty() || options_.mail_from.empty()) {
    sent.outcome = SmtpOutcome::permanent;
    sent.error = "npsd has no SMTP relay (NPSD_SMTP_URL and NPSD_MAIL_FROM)";
  } else if (to.empty()) {
    sent.outcome = SmtpOutcome::permanent;
    sent.error = "not a mailto: address";
  } else {
    const auto content = d.event.type == digest::kEventType
                             ? digest::digest_email(d.event, e, options_.public_url)
                             : alerts::alert_email(d.event, e, options_.public_url);
    const Envelope env{options_.mail_from_name,
                       options_.mail_from,
                       "",
                       to,
                       d.event.msg_id + "." + std::to_string(e.id) + "@" +
                           options_.mail_from.substr(options_.mail_from.find('@') + 1),
                       clock_(),
                       ""};
    SmtpClient smtp(options_.smtp);
    sent = smtp.send(options_.mail_from, to, build_message(env, content, "=_nps_alert_" + d.event.msg_id));
  }
  r.now = clock_();
  r.http_status = static_cast<int>(sent.code);
  r.error = sent.error;
  if (sent.outcome == SmtpOutcome::sent) {
    r.outcome = AttemptRecord::Outcome::delivered;
  } else if (sent.outcome == SmtpOutcome::permanent) {
    r.outcome = AttemptRecord::Outcome::failed;
  } else if (const auto delay = retry_delay(d.attempts + 1, options_.time_scale, random_jitter())) {
    r.outcome = AttemptRecord::Outcome::retry;
    r.next_at = r.now + *delay;
  } else {
    r.outcome = AttemptRecord::Outcome::failed;
  }
  return r;
}

void WebhookWorker::deliver(const WebhookDelivery& d, Millis lease_until) {
  const auto ep = store_.endpoint(d.endpoint_id);
  if (!ep || !ep->enabled) return; // the lease runs out; an enabled endpoint gets it again
  if (ep->kind == "email") {
    auto record = send_email(*ep, d);
    record.lease_until = lease_until;
    store_.record_attempt(d.id, record);
    return;
  }
  const auto now = clock_();
  const auto req = build_request(*ep, d.event, now, options_);
  const auto attempt = http_post(ep->url, req.headers, req.body, options_, &cancel_);
  if (attempt.status == 0 && cancel_) return; // stopped, not failed: the lease runs out
  auto record = judge(attempt, d.attempts, clock_(), options_, random_jitter());
  record.lease_until = lease_until;
  store_.record_attempt(d.id, record);
}

} // namespace npsd
