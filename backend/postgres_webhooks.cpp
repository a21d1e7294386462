// The PostgreSQL engine of the webhook store (webhook_store.hpp). Several npsd processes may
// deliver from one database: a claim takes due rows with FOR UPDATE SKIP LOCKED and leases
// them (locked_until) in one committed statement, so two processes never hold one delivery,
// and a process that dies leaves its lease to run out.
#include "postgres_webhooks.hpp"

#include "postgres_ingest.hpp" // text_array

#include <algorithm>
#include <limits>

namespace npsd::pg {

namespace {

constexpr const char* kEndpointColumns =
    "id, url, kind, description, secret, previous_secret, previous_until, survey_id, categories, "
    "event_types, channels, include_personal, enabled, disabled_reason, created_at, updated_at, locale";

constexpr const char* kDeliveryColumns =
    "d.id, d.endpoint_id, d.status, d.attempts, d.next_at, d.last_status, d.last_error, d.updated_at, "
    "ev.id, ev.msg_id, ev.type, ev.survey_id, ev.category, ev.channel, ev.body, ev.created_at";

WebhookEndpoint read_endpoint(const Result& r, int i) {
  WebhookEndpoint e;
  e.id = r.i64(i, 0);
  e.url = r.text(i, 1);
  e.kind = r.text(i, 2);
  e.description = r.text(i, 3);
  e.secret = r.text(i, 4);
  e.previous_secret = r.text(i, 5);
  e.previous_until = r.i64(i, 6);
  e.survey_id = r.opt_text(i, 7);
  e.categories = split_list(r.text(i, 8));
  e.event_types = split_list(r.text(i, 9));
  e.channels = split_list(r.text(i, 10));
  e.include_personal = r.boolean(i, 11);
  e.enabled = r.boolean(i, 12);
  e.disabled_reason = r.text(i, 13);
  e.created_at = r.i64(i, 14);
  e.updated_at = r.i64(i, 15);
  e.locale = r.text(i, 16);
  return e;
}

WebhookDelivery read_delivery(const Result& r, int i) {
  WebhookDelivery d;
  d.id = r.i64(i, 0);
  d.endpoint_id = r.i64(i, 1);
  d.status = delivery_status_from(r.text(i, 2)).value_or(DeliveryStatus::pending);
  d.attempts = static_cast<int>(r.i64(i, 3));
  d.next_at = r.i64(i, 4);
  d.last_status = static_cast<int>(r.i64(i, 5));
  d.last_error = r.text(i, 6);
  d.updated_at = r.i64(i, 7);
  d.event.id = r.i64(i, 8);
  d.event.msg_id = r.text(i, 9);
  d.event.type = r.text(i, 10);
  d.event.tags = EventTags{r.text(i, 11), r.text(i, 12), r.text(i, 13), ""};
  d.event.body = r.text(i, 14);
  d.event.created_at = r.i64(i, 15);
  return d;
}

// $1 … $17 in the column order of kEndpointColumns. The statements that do not need $1 (insert)
// or $15 (update) still name them once, as PostgreSQL must infer every parameter's type.
Params endpoint_params(const WebhookEndpoint& e) {
  Params p;
  p.add(e.id)
      .add(e.url)
      .add(e.kind)
      .add(e.description)
      .add(e.secret)
      .add(e.previous_secret)
      .add(e.previous_until)
      .add(e.survey_id)
      .add(join_list(e.categories))
      .add(join_list(e.event_types))
      .add(join_list(e.channels))
      .add(e.include_personal)
      .add(e.enabled)
      .add(e.disabled_reason)
      .add(e.created_at)
      .add(e.updated_at)
      .add(e.locale);
  return p;
}

// A filter list matches when empty or when it holds the value.
std::string matches(const char* column, const char* param) {
  return std::string("(") + column + " = '' OR position(',' || " + param + " || ',' in ',' || " + column +
         " || ',') > 0)";
}

// A scheduled event (the digest) and its deliveries, in one statement: stored only if no
// event has its msg_id (ON CONFLICT: a process racing to emit it inserts nothing, so fans out
// nothing), sent only to the enabled endpoints that name its type. Returns how many events
// were stored (0 or 1). Ordinary events: store_events.
std::int64_t store_scheduled(Conn& c, const OutboxEvent& e) {
  static const std::string sql =
      "WITH ev AS (INSERT INTO webhook_events (msg_id, type, survey_id, category, channel, body, created_at, "
      "respondent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (msg_id) DO NOTHING RETURNING id), "
      "fan AS (INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_at, "
      "locked_until, last_status, last_error, updated_at) SELECT ev.id, e.id, 'pending', 0, $7, 0, 0, '', $7 "
      "FROM ev, webhook_endpoints e WHERE e.enabled AND (e.survey_id IS NULL OR e.survey_id = $3) "
      "AND position(',' || $2::text || ',' in ',' || e.event_types || ',') > 0) "
      "SELECT count(*) FROM ev";
  Params p;
  p.add(e.msg_id).add(e.type).add(e.tags.survey_id).add(e.tags.category).add(e.tags.channel);
  p.add(e.body).add(e.created_at).add(e.tags.respondent_id);
  return c.run(sql, p).i64(0, 0);
}

// Ordinary events and their deliveries, in one statement whatever their number: each event's
// endpoints (m: enabled, filters matching; an empty filter matches all), the events some
// endpoint takes, in the order given (one no endpoint takes is not stored, as on SQLite:
// sqlite_webhooks.hpp), and their deliveries, due at each event's created_at. Returns the
// statement and its parameters (one array per column); the statement reads the id of the
// last event stored (0: none).
std::pair<const std::string&, Params> store_events(const OutboxEvent* events, std::size_t n) {
  static const std::string sql =
      "WITH x AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
      "$6::text[], $7::bigint[], $8::text[]) WITH ORDINALITY AS x(msg_id, type, survey_id, category, "
      "channel, body, created_at, respondent_id, ord)), "
      "m AS (SELECT x.ord, e.id AS endpoint_id FROM x JOIN webhook_endpoints e ON e.enabled AND (e.survey_id "
      "IS NULL OR e.survey_id = x.survey_id) AND " +
      matches("e.categories", "x.category") + " AND " + matches("e.event_types", "x.type") + " AND " +
      matches("e.channels", "x.channel") +
      "), ev AS (INSERT INTO webhook_events (msg_id, type, survey_id, category, channel, body, created_at, "
      "respondent_id) SELECT msg_id, type, survey_id, category, channel, body, created_at, respondent_id "
      "FROM x WHERE EXISTS (SELECT 1 FROM m WHERE m.ord = x.ord) ORDER BY ord RETURNING id, msg_id), "
      "fan AS (INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_at, "
      "locked_until, last_status, last_error, updated_at) SELECT ev.id, m.endpoint_id, 'pending', 0, "
      "x.created_at, 0, 0, '', x.created_at FROM ev JOIN x ON x.msg_id = ev.msg_id JOIN m ON m.ord = x.ord "
      "ORDER BY ev.id, m.endpoint_id) SELECT coalesce((SELECT max(id) FROM ev), 0)";
  std::vector<std::vector<std::optional<std::string>>> columns(8);
  for (std::size_t k = 0; k < n; ++k) {
    const auto& e = events[k];
    const std::string* text[] = {&e.msg_id,        &e.type,         &e.tags.survey_id,
                                 &e.tags.category, &e.tags.channel, &e.body};
    for (std::size_t i = 0; i < 6; ++i)
      columns[i].emplace_back(*text[i]);
    columns[6].emplace_back(std::to_string(e.created_at));
    columns[7].emplace_back(e.tags.respondent_id);
  }
  Params p;
  for (const auto& col : columns)
    p.add(text_array(col));
  return {sql, std::move(p)};
}

class PostgresWebhooks final : public WebhookStore {
public:
  PostgresWebhooks(Writer& w, Pool& r) : writer_(w), readers_(r) {}

  WebhookEndpoint add_endpoint(const WebhookEndpoint& e) override {
    return writer_.write([e](Conn& c) {
      auto r = c.run(
          "INSERT INTO webhook_endpoints (url, kind, description, secret, previous_secret, "
          "previous_until, survey_id, categories, event_types, channels, include_personal, enabled, "
          "disabled_reason, created_at, updated_at, locale) SELECT $2, $3, $4, $5, $6, $7, $8, $9, $10, "
          "$11, $12, $13, $14, $15, $16, $17 WHERE $1::bigint IS NOT NULL RETURNING id",
          endpoint_params(e));
      WebhookEndpoint out = e;
      out.id = r.i64(0, 0);
      return out;
    });
  }

  std::vector<WebhookEndpoint> endpoints() const override {
    auto c = readers_.lease();
    auto r = c->run(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints ORDER BY id");
    std::vector<WebhookEndpoint> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(read_endpoint(r, i));
    return out;
  }

  std::optional<WebhookEndpoint> endpoint(std::int64_t id) const override {
    auto c = readers_.lease();
    auto r = c->run(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE id = $1",
                    Params().add(id));
    if (r.rows() == 0) return std::nullopt;
    return read_endpoint(r, 0);
  }

  bool update_endpoint(const WebhookEndpoint& e) override {
    return writer_.write([e](Conn& c) {
      return c.run("UPDATE webhook_endpoints SET url = $2, kind = $3, description = $4, secret = $5, "
                   "previous_secret = $6, previous_until = $7, survey_id = $8, categories = $9, "
                   "event_types = $10, channels = $11, include_personal = $12, enabled = $13, "
                   "disabled_reason = $14, updated_at = $16, locale = $17 WHERE id = $1 AND $15::bigint IS "
                   "NOT NULL",
                   endpoint_params(e))
                 .affected() > 0;
    });
  }

  bool delete_endpoint(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      c.run("DELETE FROM webhook_deliveries WHERE endpoint_id = $1", Params().add(id));
      return c.run("DELETE FROM webhook_endpoints WHERE id = $1", Params().add(id)).affected() > 0;
    });
  }

  std::vector<OutboxEvent> events(std::int64_t after, std::size_t limit) const override {
    auto c = readers_.lease();
    auto r =
        c->run("SELECT id, msg_id, type, survey_id, category, channel, body, created_at FROM webhook_events "
               "WHERE id > $1 ORDER BY id LIMIT $2",
               Params().add(after).add(static_cast<std::int64_t>(std::max<std::size_t>(limit, 1))));
    std::vector<OutboxEvent> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(OutboxEvent{r.i64(i, 0), r.text(i, 1), r.text(i, 2),
                                EventTags{r.text(i, 3), r.text(i, 4), r.text(i, 5), ""}, r.text(i, 6),
                                r.i64(i, 7)});
    return out;
  }

  std::vector<WebhookDelivery> claim(Millis now, Millis lease_until, std::size_t limit) override {
    return writer_.write([=](Conn& c) {
      auto r =
          c.run(std::string("WITH due AS (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON "
                            "e.id = d.endpoint_id WHERE d.status = 'pending' AND d.next_at <= $1 AND "
                            "d.locked_until <= $1 AND e.enabled ORDER BY d.next_at, d.id LIMIT $3 FOR UPDATE "
                            "OF d SKIP LOCKED), "
                            "claimed AS (UPDATE webhook_deliveries d SET locked_until = $2 FROM due WHERE "
                            "d.id = due.id RETURNING d.*) SELECT ") +
                    kDeliveryColumns +
                    " FROM claimed d JOIN webhook_events ev ON ev.id = d.event_id ORDER BY d.next_at, d.id",
                Params().add(now).add(lease_until).add(static_cast<std::int64_t>(limit)));
      std::vector<WebhookDelivery> out;
      for (int i = 0; i < r.rows(); ++i)
        out.push_back(read_delivery(r, i));
      return out;
    });
  }

  std::optional<Millis> next_due() const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT min(greatest(d.next_at, d.locked_until)) FROM webhook_deliveries d JOIN "
                    "webhook_endpoints e ON e.id = d.endpoint_id WHERE d.status = 'pending' AND e.enabled");
    return r.opt_i64(0, 0);
  }

  bool record_attempt(std::int64_t id, const AttemptRecord& a) override {
    return writer_.write([id, a](Conn& c) {
      using O = AttemptRecord::Outcome;
      const char* status = a.outcome == O::delivered ? "delivered"
                           : a.outcome == O::retry   ? "pending"
                                                     : "failed";
      auto r = c.run("UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, next_at = $3, "
                     "locked_until = 0, last_status = $4, last_error = $5, updated_at = $6 WHERE id = $1 "
                     "AND ($7::bigint = 0 OR locked_until = $7::bigint) RETURNING endpoint_id",
                     Params()
                         .add(id)
                         .add(status)
                         .add(a.outcome == O::retry ? a.next_at : a.now)
                         .add(a.http_status)
                         .add(a.error)
                         .add(a.now)
                         .add(a.lease_until));
      if (r.rows() == 0) return false;
      if (a.outcome == O::gone)
        c.run("UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id "
              "= $1",
              Params().add(r.i64(0, 0)).add("410 Gone: the receiver asked to stop").add(a.now));
      return true;
    });
  }

  std::vector<WebhookDelivery> deliveries(std::int64_t endpoint_id, std::optional<DeliveryStatus> status,
                                          std::optional<std::int64_t> before,
                                          std::size_t limit) const override {
    auto c = readers_.lease();
    auto r = c->run(std::string("SELECT ") + kDeliveryColumns +
                        " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE "
                        "d.endpoint_id = $1 AND ($2 = '' OR d.status = $2) AND d.id < $3 ORDER BY d.id DESC "
                        "LIMIT $4",
                    Params()
                        .add(endpoint_id)
                        .add(status ? std::string(to_string(*status)) : std::string())
                        .add(before.value_or(std::numeric_limits<std::int64_t>::max()))
                        .add(static_cast<std::int64_t>(std::max<std::size_t>(limit, 1))));
    std::vector<WebhookDelivery> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(read_delivery(r, i));
    return out;
  }

  bool replay(std::int64_t id, Millis now) override {
    return writer_.write([id, now](Conn& c) {
      return c.run("UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = $2, "
                   "locked_until = 0, updated_at = $2 WHERE id = $1 AND status = 'failed'",
                   Params().add(id).add(now))
                 .affected() > 0;
    });
  }

  bool emit_once(const OutboxEvent& e) override {
    return writer_.write([&e](Conn& c) { return store_scheduled(c, e) > 0; });
  }

  std::vector<EventCopy> event_copies(std::int64_t after, std::size_t limit) const override {
    auto c = readers_.lease();
    std::vector<EventCopy> out;
    auto ev = c->run("SELECT id, msg_id, type, survey_id, category, channel, body, created_at, respondent_id "
                     "FROM webhook_events WHERE id > $1 ORDER BY id LIMIT $2",
                     Params().add(after).add(static_cast<std::int64_t>(std::max<std::size_t>(limit, 1))));
    for (int i = 0; i < ev.rows(); ++i)
      out.push_back({OutboxEvent{ev.i64(i, 0), ev.text(i, 1), ev.text(i, 2),
                                 EventTags{ev.text(i, 3), ev.text(i, 4), ev.text(i, 5), ev.text(i, 8)},
                                 ev.text(i, 6), ev.i64(i, 7)},
                     {}});
    if (out.empty()) return out;
    auto r = c->run("SELECT id, endpoint_id, status, attempts, next_at, last_status, last_error, updated_at, "
                    "event_id FROM webhook_deliveries WHERE event_id BETWEEN $1 AND $2 ORDER BY event_id, id",
                    Params().add(out.front().event.id).add(out.back().event.id));
    std::size_t at = 0;
    for (int i = 0; i < r.rows(); ++i) {
      WebhookDelivery d{r.i64(i, 0),
                        r.i64(i, 1),
                        {},
                        delivery_status_from(r.text(i, 2)).value_or(DeliveryStatus::pending),
                        static_cast<int>(r.i64(i, 3)),
                        r.i64(i, 4),
                        static_cast<int>(r.i64(i, 5)),
                        r.text(i, 6),
                        r.i64(i, 7)};
      while (at < out.size() && out[at].event.id < r.i64(i, 8))
        ++at;
      if (at < out.size() && out[at].event.id == r.i64(i, 8)) out[at].deliveries.push_back(std::move(d));
    }
    return out;
  }

  std::size_t import_event(const EventCopy& e) override {
    return writer_.write([&e](Conn& c) {
      std::size_t added = 0;
      auto ins =
          c.run("INSERT INTO webhook_events (msg_id, type, survey_id, category, channel, body, created_at, "
                "respondent_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (msg_id) DO NOTHING "
                "RETURNING id",
                Params()
                    .add(e.event.msg_id)
                    .add(e.event.type)
                    .add(e.event.tags.survey_id)
                    .add(e.event.tags.category)
                    .add(e.event.tags.channel)
                    .add(e.event.body)
                    .add(e.event.created_at)
                    .add(e.event.tags.respondent_id));
      std::int64_t id = 0;
      if (ins.rows() > 0) {
        id = ins.i64(0, 0);
        ++added;
      } else {
        id = c.run("SELECT id FROM webhook_events WHERE msg_id = $1", Params().add(e.event.msg_id)).i64(0, 0);
      }
      for (const auto& d : e.deliveries)
        added += static_cast<std::size_t>(
            c.run("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_at, "
                  "locked_until, "
                  "last_status, last_error, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8) "
                  "ON CONFLICT (event_id, endpoint_id) DO NOTHING",
                  Params()
                      .add(id)
                      .add(d.endpoint_id)
                      .add(to_string(d.status))
                      .add(d.attempts)
                      .add(d.next_at)
                      .add(d.last_status)
                      .add(d.last_error)
                      .add(d.updated_at))
                .affected());
      return added;
    });
  }

private:
  Writer& writer_;
  Pool& readers_;
};

} // namespace

std::int64_t emit_event(Conn& c, const OutboxEvent& e) {
  const auto [sql, p] = store_events(&e, 1);
  return c.run(sql, p).i64(0, 0);
}

void emit_event_later(Conn& c, const OutboxEvent& e) {
  const auto [sql, p] = store_events(&e, 1);
  c.later(sql, p);
}

void emit_events_later(Conn& c, const std::vector<OutboxEvent>& events) {
  if (events.empty()) return;
  const auto [sql, p] = store_events(events.data(), events.size());
  c.later(sql, p);
}

void forget_events(Conn& c, const std::string& respondent_id) {
  if (respondent_id.empty()) return;
  c.run("DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM webhook_events WHERE respondent_id "
        "= $1)",
        Params().add(respondent_id));
  c.run("DELETE FROM webhook_events WHERE respondent_id = $1", Params().add(respondent_id));
}

void forget_events_before(Conn& c, Millis cutoff) {
  c.run("DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM webhook_events WHERE created_at < "
        "$1)",
        Params().add(cutoff));
  c.run("DELETE FROM webhook_events WHERE created_at < $1", Params().add(cutoff));
}

std::unique_ptr<WebhookStore> make_webhook_store(Writer& writer, Pool& readers) {
  return std::make_unique<PostgresWebhooks>(writer, readers);
}

} // namespace npsd::pg
