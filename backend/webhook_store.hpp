// Outgoing webhooks: the outbox of events, the endpoints they go to and the deliveries the
// worker (webhook_delivery.*) makes. The storage of this feature, kept apart from storage.hpp;
// each engine implements it (sqlite_webhooks.cpp, postgres_webhooks.cpp) and Storage hands it
// out (Storage::webhooks()).
//
// The outbox contract every engine keeps:
// - An event is written by `emit` INSIDE the write transaction of what caused it (a stored
//   answer, a changed answer, a changed follow-up item): it commits with it or not at all, so
//   a crash never loses an event nor invents one. Each engine has its own emit taking the
//   engine's connection (sqlite::emit_event, pg::emit_event in sqlite_webhooks.hpp and
//   postgres_webhooks.hpp). Another feature's event (contact unsubscribed, campaign finished)
//   is one call from its own write job:
//       sqlite::emit_event(conn, make_event("contact.unsubscribed", data, tags), now);
// - emit also writes one delivery per enabled endpoint whose filters match (survey, category,
//   event type), in the same transaction: what an endpoint receives is decided when the event
//   happens.
// - Events hold personal data (comments, respondent ids): deleting a respondent deletes their
//   events, and the retention job deletes events older than its cutoff (forget_events*).
// - A delivery is claimed with a lease (claim): one claimer at a time. SQLite has one writer;
//   PostgreSQL claims with FOR UPDATE SKIP LOCKED, so several npsd processes share the work.
//   A claimer that dies leaves the lease to run out, and the delivery is tried again: at
//   least once, with the same webhook-id.
#pragma once

#include "storage.hpp"

#include "nps/json.hpp"
#include "nps/privacy.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npsd {

// What an endpoint's filters look at. Empty strings: the event has none.
struct EventTags {
  std::string survey_id;
  std::string category; // "promoter", "passive", "detractor"
  std::string channel;
  std::string respondent_id; // not a filter: the event goes when the respondent's data is deleted
};

struct OutboxEvent {
  std::int64_t id = 0;
  std::string msg_id; // webhook-id: "msg_" + 26 random base32 characters, the same for every attempt
  std::string type;   // "response.created", "response.updated", "follow_up.changed", …
  EventTags tags;
  std::string body; // the exact JSON sent: {"type","timestamp","data"}
  Millis created_at = 0;
};

// The event (id 0, not yet stored) with a fresh msg_id and its body built from `data`.
[[nodiscard]] OutboxEvent make_event(const std::string& type, const nps::json& data, EventTags tags,
                                     Millis now);
// The data of the response events: the answer as the admin API shows it.
[[nodiscard]] nps::json response_event_data(const StoredResponse& s);
// The data of response.updated: the answer now, and "previous" score and category when the
// score changed (a corrected score).
[[nodiscard]] nps::json updated_event_data(const StoredResponse& now, const nps::Response& before);
// The system clock, for writes whose caller gives no time.
[[nodiscard]] Millis system_now();
[[nodiscard]] EventTags response_tags(const nps::Response& r);
// The data of follow_up.changed: the answer and the item's status, assignee and note count.
[[nodiscard]] nps::json follow_up_event_data(const FollowUp& f);

// An event body as an endpoint that does not take personal data (include_personal false)
// receives it: without respondent ids, without the personal attributes (the core's
// without_personal: contact details and names always, and those the survey names), without
// the assignee's and the unsubscribed contact's e-mail. Ids, scores and comments stay.
[[nodiscard]] std::string without_personal_data(const std::string& body, const nps::Privacy& survey_privacy);

// Where events go. kind "standard": Standard Webhooks v1 (signed); "slack": a Slack incoming
// webhook (Block Kit); "teams": a Microsoft Teams incoming webhook (an Adaptive Card).
struct WebhookEndpoint {
  std::int64_t id = 0;
  std::string url;
  std::string kind = "standard";
  std::string description;
  std::string secret;          // "whsec_" + base64 of 32 random bytes
  std::string previous_secret; // still signed with until previous_until ("" when none)
  Millis previous_until = 0;
  std::optional<std::string> survey_id; // nullopt: every survey
  std::vector<std::string> categories;  // empty: every category
  std::vector<std::string> event_types; // empty: every type
  std::vector<std::string> channels;    // empty: every channel (alerts: a segment rule)
  bool include_personal = true;         // alerts: show the respondent id and attributes
  std::string locale;                   // kind "email": the language of its alerts ("" : English)
  bool enabled = true;
  std::string disabled_reason; // e.g. "410 Gone" when the receiver asked to stop
  Millis created_at = 0, updated_at = 0;
};

enum class DeliveryStatus { pending, delivered, failed };
[[nodiscard]] std::string_view to_string(DeliveryStatus s) noexcept;

struct WebhookDelivery {
  std::int64_t id = 0;
  std::int64_t endpoint_id = 0;
  OutboxEvent event;
  DeliveryStatus status = DeliveryStatus::pending;
  int attempts = 0;    // attempts made so far
  Millis next_at = 0;  // when the next attempt is due (pending)
  int last_status = 0; // HTTP status of the last attempt, 0 when none was received
  std::string last_error;
  Millis updated_at = 0;
};

// What one attempt ended with, as the worker records it.
struct AttemptRecord {
  enum class Outcome { delivered, retry, failed, gone } outcome = Outcome::retry;
  int http_status = 0;
  std::string error;
  Millis next_at = 0; // for retry
  Millis now = 0;
  // The lease the attempt was made under (claim's lease_until; 0: not checked). A worker whose
  // lease ran out and was taken over records nothing: the attempt counts once.
  Millis lease_until = 0;
};

// Copying (npsd migrate): an event as stored (respondent id included) with its deliveries,
// each without its `event` (it is this one) and its lease.
struct EventCopy {
  OutboxEvent event;
  std::vector<WebhookDelivery> deliveries;
};

// Filters are stored as comma-separated text (their values never hold a comma: ids, types and
// categories are validated by the API). For the engines.
[[nodiscard]] std::string join_list(const std::vector<std::string>& v);
[[nodiscard]] std::vector<std::string> split_list(const std::string& s);
[[nodiscard]] std::optional<DeliveryStatus> delivery_status_from(std::string_view s) noexcept;

class WebhookStore {
public:
  virtual ~WebhookStore() = default;

  // Endpoints. update_endpoint replaces every field but id and created_at.
  virtual WebhookEndpoint add_endpoint(const WebhookEndpoint& e) = 0;
  [[nodiscard]] virtual std::vector<WebhookEndpoint> endpoints() const = 0;
  [[nodiscard]] virtual std::optional<WebhookEndpoint> endpoint(std::int64_t id) const = 0;
  virtual bool update_endpoint(const WebhookEndpoint& e) = 0;
  virtual bool delete_endpoint(std::int64_t id) = 0; // its deliveries go with it

  // The outbox, oldest first, ids above `after`.
  [[nodiscard]] virtual std::vector<OutboxEvent> events(std::int64_t after, std::size_t limit) const = 0;

  // Up to `limit` pending deliveries of enabled endpoints due at `now`, not leased, leased to
  // the caller until `lease_until`. Oldest due first.
  virtual std::vector<WebhookDelivery> claim(Millis now, Millis lease_until, std::size_t limit) = 0;
  // When the next pending delivery of an enabled endpoint is due (nullopt: none pending).
  [[nodiscard]] virtual std::optional<Millis> next_due() const = 0;
  // Records an attempt and releases the lease. gone: the delivery fails and its endpoint is
  // disabled ("410 Gone"). Returns false when the delivery is no longer there, or no longer
  // under a.lease_until.
  virtual bool record_attempt(std::int64_t delivery_id, const AttemptRecord& a) = 0;

  // Deliveries of one endpoint, newest first, ids below `before`; only one status if given.
  [[nodiscard]] virtual std::vector<WebhookDelivery> deliveries(std::int64_t endpoint_id,
                                                                std::optional<DeliveryStatus> status,
                                                                std::optional<std::int64_t> before,
                                                                std::size_t limit) const = 0;
  // A failed delivery made pending again, due at `now`, attempts from 0, the same webhook-id.
  virtual bool replay(std::int64_t delivery_id, Millis now) = 0;

  // A scheduled event (the weekly digest, digest.hpp): stored with its deliveries in one
  // transaction unless an event with its msg_id exists, so processes that race to emit the
  // same week's digest store it once. Only endpoints that name e.type in their event types get
  // it (an endpoint taking "every type" is not asked to take a digest). True when stored.
  virtual bool emit_once(const OutboxEvent& e) = 0;

  // Copying (npsd migrate): events with ids above `after`, oldest first, with their
  // deliveries; and, in one transaction, an event stored as given (its msg_id, body and time)
  // unless an event with its msg_id is stored, then each of its deliveries (endpoint ids of
  // this database) that the event has no delivery to yet, unleased. Returns the rows added.
  [[nodiscard]] virtual std::vector<EventCopy> event_copies(std::int64_t after, std::size_t limit) const = 0;
  virtual std::size_t import_event(const EventCopy& e) = 0;
};

} // namespace npsd
