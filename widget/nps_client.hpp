// The native client SDK: talks to npsd for one survey and never loses an answer.
//
//   auto c = nps::client::Client::open({"http://127.0.0.1:8080", "app-nps", "/var/lib/myapp/nps"});
//   if (!c) { log(c.error().message); return; }
//   client = std::move(c).value();
//   ... each frame:  if (auto s = client->survey()) draw it;  client->send(state.response, out.send);
//
// - Fetches the survey's config (GET /v1/surveys/{id}/config) and caches it on disk with its
//   ETag (If-None-Match on the next fetch); a cached config is available at once on the next
//   start, also offline.
// - Eligibility is the core's decide() over the cached survey and a visitor state the client
//   keeps on disk (visitor id, first seen, when this survey was shown/answered/dismissed).
// - send(): the score the moment it is chosen (POST, SendMode::create) and every later answer
//   (PATCH of the same idempotency key, SendMode::update). Each send is written to an on-disk
//   queue, one file per pending request (temp file + fsync + rename + fsync of the folder),
//   before it goes out; the file is removed only after the server acknowledged it (201/200).
//   A crash or kill -9 loses nothing that reached the disk; the next start sends it. Retries
//   use exponential backoff with jitter (250 ms doubling to 30 s). The server counts a
//   repeated POST with the same key once, and a PATCH sets the whole follow-up, so a request
//   sent twice never counts twice.
// - Updates are coalesced: a PATCH waiting behind an unsent POST of the same key is folded
//   into the POST; a newer PATCH replaces an older unsent one.
// - Never blocks the caller: disk and network work run on one worker thread; every public
//   method only takes a mutex for a copy or a push. The queue is persisted by the worker a few
//   microseconds after send() returns; wait_persisted() waits for it (tests, shutdown).
// - TCP_NODELAY on every connection (without it cpp-httplib's keep-alive POSTs wait ~40 ms).
// - Errors are values: open() returns nps::Result; nothing here throws.
//
// Requests rejected for good (4xx other than 408/429: the core's validation failed, the survey
// does not exist) are moved to <dir>/failed/ with the server's answer, and counted in
// Status::failed; they are never retried.
#pragma once

#include "nps/eligibility.hpp"
#include "nps/flow.hpp"
#include "nps/result.hpp"
#include "nps/survey.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace nps::client {

struct Options {
  std::string base_url; // "http://127.0.0.1:8080"
  std::string survey_id;
  std::string dir; // the client's folder: config cache, visitor state, queue
  std::chrono::milliseconds backoff_min{250};
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds read_timeout{5'000};
  bool fetch_config = true; // fetch at start (and on refresh_config())
};

struct Status {
  std::size_t pending = 0;   // requests on disk waiting to be acknowledged
  std::size_t delivered = 0; // acknowledged since open()
  std::size_t failed = 0;    // rejected for good since open() (see <dir>/failed/)
  bool online = false;       // the last request reached the server
  bool have_config = false;
  std::size_t config_fetches = 0;   // config answers received (200 or 304) since open()
  bool config_not_modified = false; // the last one was 304: the cached config is current
  std::string last_error;           // the last network or HTTP problem, "" when none
};

class Client {
public:
  // Creates the folders, reads the cached config, the visitor state and the queue left by an
  // earlier run, and starts the worker (which fetches the config and sends what is queued).
  [[nodiscard]] static Result<std::unique_ptr<Client>> open(Options options);
  ~Client(); // stops the worker; what is still queued stays on disk for the next open()
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // The survey as last fetched or cached; nullptr until one is known.
  [[nodiscard]] std::shared_ptr<const Survey> survey() const;
  void refresh_config();

  // The core's decision for this visitor now (`page.now` in ms since 1970). Without a
  // config the answer is "no" with code "no_config".
  [[nodiscard]] Decision eligibility(const PageContext& page) const;
  // The same for a native app: no URL, a desktop device, `now_ms` since 1970.
  [[nodiscard]] Decision eligibility(std::int64_t now_ms) const;
  [[nodiscard]] VisitorState visitor() const;
  // Records what happened for the next eligibility decisions (persisted by the worker).
  void note_shown(std::int64_t now_ms);
  void note_answered(std::int64_t now_ms);
  void note_dismissed(std::int64_t now_ms);

  // A FlowStart for a new session of this visitor: a fresh idempotency key, the visitor as
  // respondent, channel "app", the time.
  [[nodiscard]] FlowStart new_session(std::vector<std::string> languages, std::int64_t now_ms) const;
  // A random idempotency key ("app-" + 24 hex digits).
  [[nodiscard]] static std::string new_idempotency_key();

  // Queues the response for sending: create = POST, update = PATCH of the same key; none
  // does nothing. Returns at once.
  void send(const Response& response, SendMode mode);
  // Tries the queue now instead of waiting for the backoff (e.g. the network came back).
  void retry_now();

  [[nodiscard]] Status status() const;
  // Waits until everything sent so far is on disk; false on timeout.
  bool wait_persisted(std::chrono::milliseconds timeout);
  // Waits until the queue is empty (delivered or failed); false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);

private:
  void note(VisitEvent event, std::int64_t now_ms);
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace nps::client
