// The SQLite engine of the webhook store (webhook_store.hpp): endpoints, the outbox and the
// deliveries, written by the engine's one writer. One writer means one claimer: a claim is a
// write job, so two workers never hold the same delivery.
#include "sqlite_webhooks.hpp"

#include <algorithm>
#include <functional>
#include <limits>

namespace npsd::sqlite {

namespace {

constexpr const char* kEndpointColumns =
    "id, url, kind, description, secret, previous_secret, previous_until, survey_id, categories, "
    "event_types, channels, include_personal, enabled, disabled_reason, created_at, updated_at, locale";

constexpr const char* kDeliveryColumns =
    "d.id, d.endpoint_id, d.status, d.attempts, d.next_at, d.last_status, d.last_error, d.updated_at, "
    "ev.id, ev.msg_id, ev.type, ev.survey_id, ev.category, ev.channel, ev.body, ev.created_at";

WebhookEndpoint read_endpoint(Stmt& st) {
  WebhookEndpoint e;
  e.id = st.i64(0);
  e.url = st.text(1);
  e.kind = st.text(2);
  e.description = st.text(3);
  e.secret = st.text(4);
  e.previous_secret = st.text(5);
  e.previous_until = st.i64(6);
  e.survey_id = st.opt_text(7);
  e.categories = split_list(st.text(8));
  e.event_types = split_list(st.text(9));
  e.channels = split_list(st.text(10));
  e.include_personal = st.i64(11) != 0;
  e.enabled = st.i64(12) != 0;
  e.disabled_reason = st.text(13);
  e.created_at = st.i64(14);
  e.updated_at = st.i64(15);
  e.locale = st.text(16);
  return e;
}

WebhookDelivery read_delivery(Stmt& st) {
  WebhookDelivery d;
  d.id = st.i64(0);
  d.endpoint_id = st.i64(1);
  d.status = delivery_status_from(st.text(2)).value_or(DeliveryStatus::pending);
  d.attempts = static_cast<int>(st.i64(3));
  d.next_at = st.i64(4);
  d.last_status = static_cast<int>(st.i64(5));
  d.last_error = st.text(6);
  d.updated_at = st.i64(7);
  d.event.id = st.i64(8);
  d.event.msg_id = st.text(9);
  d.event.type = st.text(10);
  d.event.tags = EventTags{st.text(11), st.text(12), st.text(13), ""};
  d.event.body = st.text(14);
  d.event.created_at = st.i64(15);
  return d;
}

Stmt& bind_endpoint(Stmt& st, const WebhookEndpoint& e) {
  return st.bind(2, e.url)
      .bind(3, e.kind)
      .bind(4, e.description)
      .bind(5, e.secret)
      .bind(6, e.previous_secret)
      .bind(7, e.previous_until)
      .bind(8, e.survey_id)
      .bind(9, join_list(e.categories))
      .bind(10, join_list(e.event_types))
      .bind(11, join_list(e.channels))
      .bind(12, e.include_personal ? 1 : 0)
      .bind(13, e.enabled ? 1 : 0)
      .bind(14, e.disabled_reason)
      .bind(15, e.created_at)
      .bind(16, e.updated_at)
      .bind(17, e.locale);
}

// A filter list matches when empty or when it holds the value.
std::string matches(const char* column, const char* param) {
  return std::string("(") + column + " = '' OR instr(',' || " + column + " || ',', ',' || " + param +
         " || ',') > 0)";
}

// The enabled endpoints for survey ?3, before the condition of an event's kind.
constexpr const char* kEnabledForSurvey =
    "webhook_endpoints WHERE enabled = 1 AND (survey_id IS NULL OR survey_id = ?3) AND ";

// The endpoints an ordinary event goes to: every enabled one whose filters match (an empty
// filter matches all). ?3 survey, ?4 category, ?5 type, ?6 channel.
const std::string& receivers() {
  static const std::string where = kEnabledForSurvey + matches("categories", "?4") + " AND " +
                                   matches("event_types", "?5") + " AND " + matches("channels", "?6");
  return where;
}

bool received(Conn& c, const std::string& type, const EventTags& tags) {
  static const std::string sql = "SELECT EXISTS (SELECT 1 FROM " + receivers() + ")";
  auto st = c.prep(sql);
  st.bind(3, tags.survey_id).bind(4, tags.category).bind(5, type).bind(6, tags.channel);
  return st.step() && st.i64(0) != 0;
}

// The event and its deliveries: an ordinary one to the receivers() (the caller stores it only
// when there are some), a scheduled one (the digest) only to endpoints that name its type.
// Returns the event's id.
std::int64_t store_event(Conn& c, const OutboxEvent& e, bool scheduled) {
  c.prep("INSERT INTO webhook_events (msg_id, type, survey_id, category, channel, body, created_at, "
         "respondent_id) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, e.msg_id)
      .bind(2, e.type)
      .bind(3, e.tags.survey_id)
      .bind(4, e.tags.category)
      .bind(5, e.tags.channel)
      .bind(6, e.body)
      .bind(7, e.created_at)
      .bind(8, e.tags.respondent_id)
      .run();
  const auto id = c.last_id();
  static const std::string head =
      "INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_at, locked_until, "
      "last_status, last_error, updated_at) SELECT ?1, id, 'pending', 0, ?2, 0, 0, '', ?2 FROM ";
  static const std::string fan_out = head + receivers();
  static const std::string named =
      head + kEnabledForSurvey + "instr(',' || event_types || ',', ',' || ?5 || ',') > 0";
  auto st = c.prep(scheduled ? named : fan_out);
  st.bind(1, id).bind(2, e.created_at).bind(3, e.tags.survey_id).bind(5, e.type);
  if (!scheduled) st.bind(4, e.tags.category).bind(6, e.tags.channel);
  st.run();
  return id;
}

class SqliteWebhooks final : public WebhookStore {
public:
  SqliteWebhooks(Writer& w, ReadPool& r) : writer_(w), readers_(r) {}

  WebhookEndpoint add_endpoint(const WebhookEndpoint& e) override {
    return writer_.write([e](Conn& c) {
      auto st =
          c.prep("INSERT INTO webhook_endpoints (url, kind, description, secret, previous_secret, "
                 "previous_until, survey_id, categories, event_types, channels, include_personal, "
                 "enabled, disabled_reason, created_at, updated_at, locale) VALUES (?2, ?3, ?4, ?5, ?6, ?7, "
                 "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)");
      bind_endpoint(st, e).run();
      WebhookEndpoint out = e;
      out.id = c.last_id();
      return out;
    });
  }

  std::vector<WebhookEndpoint> endpoints() const override {
    auto c = readers_.lease();
    auto st = c->prep(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints ORDER BY id");
    std::vector<WebhookEndpoint> out;
    while (st.step())
      out.push_back(read_endpoint(st));
    return out;
  }

  std::optional<WebhookEndpoint> endpoint(std::int64_t id) const override {
    auto c = readers_.lease();
    auto st = c->prep(std::string("SELECT ") + kEndpointColumns + " FROM webhook_endpoints WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_endpoint(st);
  }

  bool update_endpoint(const WebhookEndpoint& e) override {
    return writer_.write([e](Conn& c) {
      auto st = c.prep("UPDATE webhook_endpoints SET url = ?2, kind = ?3, description = ?4, secret = ?5, "
                       "previous_secret = ?6, previous_until = ?7, survey_id = ?8, categories = ?9, "
                       "event_types = ?10, channels = ?11, include_personal = ?12, enabled = ?13, "
                       "disabled_reason = ?14, updated_at = ?16, locale = ?17 WHERE id = ?1");
      st.bind(1, e.id);
      bind_endpoint(st, e).run();
      return c.changes() > 0;
    });
  }

  bool delete_endpoint(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      c.prep("DELETE FROM webhook_deliveries WHERE endpoint_id = ?1").bind(1, id).run();
      c.prep("DELETE FROM webhook_endpoints WHERE id = ?1").bind(1, id).run();
      return c.changes() > 0;
    });
  }

  std::vector<OutboxEvent> events(std::int64_t after, std::size_t limit) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT id, msg_id, type, survey_id, category, channel, body, created_at FROM "
                      "webhook_events WHERE id > ?1 ORDER BY id LIMIT ?2");
    st.bind(1, after).bind(2, static_cast<std::int64_t>(std::max<std::size_t>(limit, 1)));
    std::vector<OutboxEvent> out;
    while (st.step())
      out.push_back(OutboxEvent{st.i64(0), st.text(1), st.text(2),
                                EventTags{st.text(3), st.text(4), st.text(5), ""}, st.text(6), st.i64(7)});
    return out;
  }

  std::vector<WebhookDelivery> claim(Millis now, Millis lease_until, std::size_t limit) override {
    return writer_.write([=](Conn& c) {
      std::vector<std::int64_t> ids;
      {
        auto st =
            c.prep("UPDATE webhook_deliveries SET locked_until = ?2 WHERE id IN (SELECT d.id FROM "
                   "webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE "
                   "d.status = 'pending' AND d.next_at <= ?1 AND d.locked_until <= ?1 AND e.enabled = 1 "
                   "ORDER BY d.next_at, d.id LIMIT ?3) RETURNING id");
        st.bind(1, now).bind(2, lease_until).bind(3, static_cast<std::int64_t>(limit));
        while (st.step())
          ids.push_back(st.i64(0));
      }
      std::vector<WebhookDelivery> out;
      for (auto id : ids) {
        auto st =
            c.prep(std::string("SELECT ") + kDeliveryColumns +
                   " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = ?1");
        st.bind(1, id);
        if (st.step()) out.push_back(read_delivery(st));
      }
      return out;
    });
  }

  std::optional<Millis> next_due() const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT min(max(d.next_at, d.locked_until)) FROM webhook_deliveries d JOIN "
                "webhook_endpoints e ON e.id = d.endpoint_id WHERE d.status = 'pending' AND e.enabled = 1");
    st.step();
    if (st.is_null(0)) return std::nullopt;
    return st.i64(0);
  }

  bool record_attempt(std::int64_t id, const AttemptRecord& a) override {
    return writer_.write([id, a](Conn& c) {
      using O = AttemptRecord::Outcome;
      const char* status = a.outcome == O::delivered ? "delivered"
                           : a.outcome == O::retry   ? "pending"
                                                     : "failed";
      c.prep("UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, next_at = ?3, "
             "locked_until = 0, last_status = ?4, last_error = ?5, updated_at = ?6 WHERE id = ?1 AND (?7 = 0 "
             "OR "
             "locked_until = ?7)")
          .bind(1, id)
          .bind(2, status)
          .bind(3, a.outcome == O::retry ? a.next_at : a.now)
          .bind(4, a.http_status)
          .bind(5, a.error)
          .bind(6, a.now)
          .bind(7, a.lease_until)
          .run();
      const bool found = c.changes() > 0;
      if (found && a.outcome == O::gone)
        c.prep("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ?2, updated_at = ?3 WHERE id = "
               "(SELECT endpoint_id FROM webhook_deliveries WHERE id = ?1)")
            .bind(1, id)
            .bind(2, "410 Gone: the receiver asked to stop")
            .bind(3, a.now)
            .run();
      return found;
    });
  }

  std::vector<WebhookDelivery> deliveries(std::int64_t endpoint_id, std::optional<DeliveryStatus> status,
                                          std::optional<std::int64_t> before,
                                          std::size_t limit) const override {
    auto c = readers_.lease();
    auto st = c->prep(
        std::string("SELECT ") + kDeliveryColumns +
        " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE "
        "d.endpoint_id = ?1 AND (?2 = '' OR d.status = ?2) AND d.id < ?3 ORDER BY d.id DESC LIMIT ?4");
    st.bind(1, endpoint_id)
        .bind(2, status ? std::string(to_string(*status)) : std::string())
        .bind(3, before.value_or(std::numeric_limits<std::int64_t>::max()))
        .bind(4, static_cast<std::int64_t>(std::max<std::size_t>(limit, 1)));
    std::vector<WebhookDelivery> out;
    while (st.step())
      out.push_back(read_delivery(st));
    return out;
  }

  bool replay(std::int64_t id, Millis now) override {
    return writer_.write([id, now](Conn& c) {
      c.prep(
           "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_at = ?2, locked_until = 0, "
           "updated_at = ?2 WHERE id = ?1 AND status = 'failed'")
          .bind(1, id)
          .bind(2, now)
          .run();
      return c.changes() > 0;
    });
  }

  bool emit_once(const OutboxEvent& e) override {
    return writer_.write([&e](Conn& c) {
      {
        auto seen = c.prep("SELECT count(*) FROM webhook_events WHERE msg_id = ?1");
        seen.bind(1, e.msg_id);
        if (seen.step() && seen.i64(0) > 0) return false;
      }
      (void)store_event(c, e, true);
      return true;
    });
  }

  std::vector<EventCopy> event_copies(std::int64_t after, std::size_t limit) const override {
    auto c = readers_.lease();
    std::vector<EventCopy> out;
    {
      auto st =
          c->prep("SELECT id, msg_id, type, survey_id, category, channel, body, created_at, respondent_id "
                  "FROM webhook_events WHERE id > ?1 ORDER BY id LIMIT ?2");
      st.bind(1, after).bind(2, static_cast<std::int64_t>(std::max<std::size_t>(limit, 1)));
      while (st.step())
        out.push_back(
            {OutboxEvent{st.i64(0), st.text(1), st.text(2),
                         EventTags{st.text(3), st.text(4), st.text(5), st.text(8)}, st.text(6), st.i64(7)},
             {}});
    }
    if (out.empty()) return out;
    auto st =
        c->prep("SELECT id, endpoint_id, status, attempts, next_at, last_status, last_error, updated_at, "
                "event_id FROM webhook_deliveries WHERE event_id BETWEEN ?1 AND ?2 ORDER BY event_id, id");
    st.bind(1, out.front().event.id).bind(2, out.back().event.id);
    std::size_t at = 0;
    while (st.step()) {
      WebhookDelivery d{st.i64(0),
                        st.i64(1),
                        {},
                        delivery_status_from(st.text(2)).value_or(DeliveryStatus::pending),
                        static_cast<int>(st.i64(3)),
                        st.i64(4),
                        static_cast<int>(st.i64(5)),
                        st.text(6),
                        st.i64(7)};
      while (at < out.size() && out[at].event.id < st.i64(8))
        ++at;
      if (at < out.size() && out[at].event.id == st.i64(8)) out[at].deliveries.push_back(std::move(d));
    }
    return out;
  }

  std::size_t import_event(const EventCopy& e) override {
    return writer_.write([&e](Conn& c) {
      std::size_t added = 0;
      std::int64_t id = 0;
      {
        auto seen = c.prep("SELECT id FROM webhook_events WHERE msg_id = ?1");
        seen.bind(1, e.event.msg_id);
        if (seen.step()) id = seen.i64(0);
      }
      if (id == 0) {
        c.prep("INSERT INTO webhook_events (msg_id, type, survey_id, category, channel, body, created_at, "
               "respondent_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            .bind(1, e.event.msg_id)
            .bind(2, e.event.type)
            .bind(3, e.event.tags.survey_id)
            .bind(4, e.event.tags.category)
            .bind(5, e.event.tags.channel)
            .bind(6, e.event.body)
            .bind(7, e.event.created_at)
            .bind(8, e.event.tags.respondent_id)
            .run();
        id = c.last_id();
        ++added;
      }
      for (const auto& d : e.deliveries) {
        c.prep("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_at, "
               "locked_until, "
               "last_status, last_error, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8) "
               "ON CONFLICT (event_id, endpoint_id) DO NOTHING")
            .bind(1, id)
            .bind(2, d.endpoint_id)
            .bind(3, to_string(d.status))
            .bind(4, d.attempts)
            .bind(5, d.next_at)
            .bind(6, d.last_status)
            .bind(7, d.last_error)
            .bind(8, d.updated_at)
            .run();
        added += static_cast<std::size_t>(c.changes());
      }
      return added;
    });
  }

private:
  Writer& writer_;
  ReadPool& readers_;
};

} // namespace

std::int64_t emit_event(Conn& c, const OutboxEvent& e) {
  return received(c, e.type, e.tags) ? store_event(c, e, false) : 0;
}

std::int64_t emit_event(Conn& c, const std::string& type, EventTags tags, Millis now,
                        const std::function<nps::json()>& data) {
  if (!received(c, type, tags)) return 0;
  return store_event(c, make_event(type, data(), std::move(tags), now), false);
}

void forget_events(Conn& c, const std::string& respondent_id) {
  if (respondent_id.empty()) return;
  c.prep("DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM webhook_events WHERE "
         "respondent_id = ?1)")
      .bind(1, respondent_id)
      .run();
  c.prep("DELETE FROM webhook_events WHERE respondent_id = ?1").bind(1, respondent_id).run();
}

void forget_events_before(Conn& c, Millis cutoff) {
  c.prep("DELETE FROM webhook_deliveries WHERE event_id IN (SELECT id FROM webhook_events WHERE created_at < "
         "?1)")
      .bind(1, cutoff)
      .run();
  c.prep("DELETE FROM webhook_events WHERE created_at < ?1").bind(1, cutoff).run();
}

std::unique_ptr<WebhookStore> make_webhook_store(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteWebhooks>(writer, readers);
}

} // namespace npsd::sqlite
