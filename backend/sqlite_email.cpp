// The SQLite engine of EmailStore (email_store.hpp): writes on the engine's writer,
// reads on its read pool.
#include "email_copy_engines.hpp"
#include "email_events.hpp"
#include "email_store.hpp"
#include "nps/eligibility.hpp"
#include "sqlite_webhooks.hpp"
#include "sqlite_writer.hpp"

namespace npsd::sqlite {

namespace {

// link_answer_key(campaign_recipient(campaign, contact)) of the outbox row o.
constexpr const char* kAnswerKey = "substr('r-c' || o.campaign_id || '.k' || o.contact_id || '______', 1, "
                                   "max(length('r-c' || o.campaign_id || "
                                   "'.k' || o.contact_id), 8))";

constexpr const char* kContactColumns =
    "SELECT c.id, c.email, c.name, c.locale, c.external_id, c.attributes, c.created_at, c.updated_at, "
    "c.last_asked_at, s.reason FROM contacts c LEFT JOIN suppressions s ON s.email_key = c.email_key ";

Contact read_contact(const Stmt& st) {
  Contact c;
  c.id = st.i64(0);
  c.email = st.text(1);
  c.name = st.text(2);
  c.locale = st.text(3);
  c.external_id = st.text(4);
  c.attributes = nps::json::parse(st.text(5), nullptr, false);
  if (!c.attributes.is_object()) c.attributes = nps::json::object();
  c.created_at = st.i64(6);
  c.updated_at = st.i64(7);
  if (!st.is_null(8)) c.last_asked_at = st.i64(8);
  c.suppressed = st.opt_text(9);
  return c;
}

// Creates or updates the contact with r's e-mail; {its id, whether it was created}.
std::pair<std::int64_t, bool> upsert_contact(Conn& c, const ContactInput& r, Millis now) {
  const auto key = email_key(r.email);
  auto st = c.prep("SELECT id, name, locale, external_id, attributes FROM contacts WHERE email_key = ?1");
  st.bind(1, key);
  if (!st.step()) {
    c.prep("INSERT INTO contacts (email, email_key, name, locale, external_id, attributes, created_at, "
           "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)")
        .bind(1, r.email)
        .bind(2, key)
        .bind(3, r.name)
        .bind(4, r.locale)
        .bind(5, r.external_id)
        .bind(6, r.attributes.dump())
        .bind(7, now)
        .run();
    return {c.last_id(), true};
  }
  const auto id = st.i64(0);
  auto attrs = nps::json::parse(st.text(4), nullptr, false);
  if (!attrs.is_object()) attrs = nps::json::object();
  attrs.update(r.attributes);
  const std::string name = r.name.empty() ? st.text(1) : r.name;
  const std::string locale = r.locale.empty() ? st.text(2) : r.locale;
  const std::string external = r.external_id.empty() ? st.text(3) : r.external_id;
  c.prep("UPDATE contacts SET email = ?2, name = ?3, locale = ?4, external_id = ?5, attributes = ?6, "
         "updated_at = ?7 WHERE id = ?1")
      .bind(1, id)
      .bind(2, r.email)
      .bind(3, name)
      .bind(4, locale)
      .bind(5, external)
      .bind(6, attrs.dump())
      .bind(7, now)
      .run();
  return {id, false};
}

// campaign.finished, once: when no message of the campaign is left to send (called after each
// change that may have ended its last one).
void maybe_finish(Conn& c, std::int64_t campaign, Millis now) {
  std::string name, survey;
  {
    auto st = c.prep(
        "SELECT name, survey_id FROM campaigns m WHERE id = ?1 AND status = 'queued' AND finished_at IS "
        "NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.campaign_id = m.id AND o.state IN "
        "('queued', 'sending', 'committing'))");
    st.bind(1, campaign);
    if (!st.step()) return;
    name = st.text(0);
    survey = st.text(1);
  }
  std::vector<std::pair<std::string, std::uint64_t>> states;
  {
    auto st =
        c.prep("SELECT state, count(*) FROM outbox WHERE campaign_id = ?1 AND kind = 'survey' GROUP BY state "
               "ORDER BY state");
    st.bind(1, campaign);
    while (st.step())
      states.emplace_back(st.text(0), static_cast<std::uint64_t>(st.i64(1)));
  }
  c.prep("UPDATE campaigns SET finished_at = ?2 WHERE id = ?1").bind(1, campaign).bind(2, now).run();
  emit_event(c, campaign_finished_event(campaign, name, survey, states, now));
}

// maybe_finish for every campaign still sending (after a change to many messages).
void maybe_finish_all(Conn& c, Millis now) {
  std::vector<std::int64_t> open;
  {
    auto st = c.prep("SELECT id FROM campaigns WHERE status = 'queued' AND finished_at IS NULL");
    while (st.step())
      open.push_back(st.i64(0));
  }
  for (auto id : open)
    maybe_finish(c, id, now);
}

// The campaign of an outbox message.
std::int64_t campaign_of(Conn& c, std::int64_t message) {
  auto st = c.prep("SELECT campaign_id FROM outbox WHERE id = ?1");
  st.bind(1, message);
  return st.step() ? st.i64(0) : 0;
}

class SqliteEmail final : public EmailCopying {
public:
  using EmailCopying::EmailCopying;

  std::string link_secret(const std::string& fresh) override {
    return writer_.write([fresh](Conn& c) {
      c.prep("INSERT OR IGNORE INTO email_settings (key, value) VALUES ('link_secret', ?1)")
          .bind(1, fresh)
          .run();
      auto st = c.prep("SELECT value FROM email_settings WHERE key = 'link_secret'");
      st.step();
      return st.text(0);
    });
  }

  LinkSettings link_settings(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT strict FROM link_settings WHERE survey_id = ?1");
    st.bind(1, survey_id);
    LinkSettings s;
    if (st.step()) s.strict = st.i64(0) != 0;
    return s;
  }

  void put_link_settings(const std::string& survey_id, const LinkSettings& s) override {
    writer_.write([survey_id, s](Conn& c) {
      c.prep("INSERT INTO link_settings (survey_id, strict) VALUES (?1, ?2) "
             "ON CONFLICT (survey_id) DO UPDATE SET strict = excluded.strict")
          .bind(1, survey_id)
          .bind(2, s.strict ? 1 : 0)
          .run();
      return true;
    });
  }

  ContactsImported import_contacts(const std::vector<ContactInput>& rows, Millis now) override {
    return writer_.write([rows, now](Conn& c) {
      ContactsImported out;
      for (const auto& r : rows)
        (upsert_contact(c, r, now).second ? out.created : out.updated)++;
      return out;
    });
  }

  std::vector<Contact> contacts(std::optional<std::int64_t> after, std::size_t limit) const override {
    auto c = readers_.lease();
    auto st = c->prep(std::string(kContactColumns) + "WHERE c.id > ?1 ORDER BY c.id LIMIT ?2");
    st.bind(1, after.value_or(0)).bind(2, static_cast<std::int64_t>(std::max<std::size_t>(limit, 1)));
    std::vector<Contact> out;
    while (st.step())
      out.push_back(read_contact(st));
    return out;
  }

  std::optional<Contact> contact(std::int64_t id) const override {
    auto c = readers_.lease();
    auto st = c->prep(std::string(kContactColumns) + "WHERE c.id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_contact(st);
  }

  std::uint64_t count_contacts() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT count(*) FROM contacts");
    st.step();
    return static_cast<std::uint64_t>(st.i64(0));
  }

  bool delete_contact(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      std::string key;
      {
        auto st = c.prep("SELECT email_key FROM contacts WHERE id = ?1");
        st.bind(1, id);
        if (!st.step()) return false;
        key = st.text(0);
      }
      c.prep("DELETE FROM contacts WHERE id = ?1").bind(1, id).run();
      forget_events(c, contact_event_respondent(key));
      c.prep("UPDATE outbox SET state = 'skipped' WHERE contact_id = ?1 AND state = 'queued'")
          .bind(1, id)
          .run();
      c.prep("UPDATE outbox SET email = '' WHERE contact_id = ?1").bind(1, id).run();
      c.prep("DELETE FROM campaign_members WHERE contact_id = ?1").bind(1, id).run();
      c.prep("DELETE FROM campaign_clicks WHERE contact_id = ?1").bind(1, id).run();
      maybe_finish_all(c, system_now());
      return true;
    });
  }

  bool suppress(const std::string& email, const std::string& reason, Millis now) override {
    const auto key = email_key(email);
    return writer_.write([key, reason, now](Conn& c) {
      c.prep("INSERT OR IGNORE INTO suppressions (email_key, reason, created_at) VALUES (?1, ?2, ?3)")
          .bind(1, key)
          .bind(2, reason)
          .bind(3, now)
          .run();
      if (c.changes() == 0) return false;
      if (reason == "unsubscribed" || reason == "complained") {
        std::optional<std::int64_t> contact;
        auto st = c.prep("SELECT id FROM contacts WHERE email_key = ?1");
        st.bind(1, key);
        if (st.step()) contact = st.i64(0);
        emit_event(c, unsubscribed_event(key, reason, contact, now));
      }
      return true;
    });
  }

  std::vector<SuppressionRow> suppressions() const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT email_key, reason, created_at FROM suppressions ORDER BY created_at, email_key");
    std::vector<SuppressionRow> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), st.i64(2)});
    return out;
  }

  // ---- campaigns and the outbox ----

  Campaign add_campaign(const CampaignInput& in, const std::vector<ContactInput>& members,
                        Millis now) override {
    return writer_.write([in, members, now](Conn& c) {
      c.prep(
           "INSERT INTO campaigns (survey_id, name, segment_key, segment_value, throttle_days, daily_limit, "
           "scheduled_at, status, created_at, reminder_days, audience) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
           "'scheduled', ?8, ?9, ?10)")
          .bind(1, in.survey_id)
          .bind(2, in.name)
          .bind(3, in.segment_key)
          .bind(4, in.segment_value)
          .bind(5, in.throttle_days)
          .bind(6, in.daily_limit)
          .bind(7, in.scheduled_at)
          .bind(8, now)
          .bind(9, in.reminder_days)
          .bind(10, in.audience)
          .run();
      Campaign out;
      static_cast<CampaignInput&>(out) = in;
      out.id = c.last_id();
      out.created_at = now;
      for (const auto& m : members)
        c.prep("INSERT OR IGNORE INTO campaign_members (campaign_id, contact_id) VALUES (?1, ?2)")
            .bind(1, out.id)
            .bind(2, upsert_contact(c, m, now).first)
            .run();
      return out;
    });
  }

  std::vector<Campaign> campaigns() const override { return read_campaigns("ORDER BY id", std::nullopt); }

  std::optional<Campaign> campaign(std::int64_t id) const override {
    auto v = read_campaigns("WHERE id = ?1", id);
    if (v.empty()) return std::nullopt;
    return v.front();
  }

  std::vector<std::int64_t> due_campaigns(Millis now) const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_at <= ?1 ORDER BY id");
    st.bind(1, now);
    std::vector<std::int64_t> out;
    while (st.step())
      out.push_back(st.i64(0));
    return out;
  }

  std::size_t enqueue_campaign(std::int64_t id, Millis now) override {
    return writer_.write([id, now](Conn& c) -> std::size_t {
      auto st = c.prep(
          "SELECT segment_key, segment_value, throttle_days, audience FROM campaigns WHERE id = ?1 AND "
          "status = 'scheduled'");
      st.bind(1, id);
      if (!st.step()) return 0;
      const std::string key = st.text(0), value = st.text(1);
      const Millis cutoff = nps::resurvey_cutoff(now, static_cast<int>(st.i64(2)));
      const bool members = st.text(3) == "csv";
      // The widget's answers count as being asked: a response whose respondent id is the
      // contact's external id, received after the cutoff.
      const std::string eligible =
          std::string("FROM contacts k ") +
          (members ? "JOIN campaign_members cm ON cm.campaign_id = ?1 AND cm.contact_id = k.id " : "") +
          "WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_key = k.email_key) "
          "AND (k.last_asked_at IS NULL OR k.last_asked_at <= ?2) "
          "AND (k.external_id = '' OR NOT EXISTS (SELECT 1 FROM responses r WHERE r.respondent_id = "
          "k.external_id AND r.received_at > ?2)) "
          "AND (?3 = '' OR CAST(json_extract(k.attributes, '$.\"' || ?3 || '\"') AS TEXT) = ?4)";
      c.prep("INSERT INTO outbox (campaign_id, contact_id, email, state, next_attempt_at) SELECT ?1, k.id, "
             "k.email, 'queued', ?5 " +
             eligible)
          .bind(1, id)
          .bind(2, cutoff)
          .bind(3, key)
          .bind(4, value)
          .bind(5, now)
          .run();
      const auto n = static_cast<std::size_t>(c.changes());
      if (n == 0) { // nobody to ask: finished at once
        c.prep("UPDATE campaigns SET status = 'queued' WHERE id = ?1").bind(1, id).run();
        maybe_finish(c, id, now);
        return n;
      }
      c.prep("UPDATE contacts SET last_asked_at = ?2 WHERE id IN (SELECT contact_id FROM outbox WHERE "
             "campaign_id = ?1)")
          .bind(1, id)
          .bind(2, now)
          .run();
      c.prep("UPDATE campaigns SET status = 'queued' WHERE id = ?1").bind(1, id).run();
      return n;
    });
  }

  std::size_t enqueue_reminders(Millis now) override {
    return writer_.write([now](Conn& c) -> std::size_t {
      c.prep("INSERT INTO outbox (campaign_id, contact_id, kind, email, state, next_attempt_at) "
             "SELECT o.campaign_id, o.contact_id, 'reminder', o.email, 'queued', ?1 FROM outbox o "
             "JOIN campaigns m ON m.id = o.campaign_id WHERE m.reminder_days > 0 AND o.kind = 'survey' AND "
             "o.state = 'sent' AND o.sent_at <= ?1 - m.reminder_days * 86400000 "
             "AND NOT EXISTS (SELECT 1 FROM outbox x WHERE x.campaign_id = o.campaign_id AND x.contact_id = "
             "o.contact_id AND x.kind = 'reminder') "
             "AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = m.survey_id AND "
             "r.idempotency_key = " +
             std::string(kAnswerKey) +
             ") "
             "AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_key = lower(o.email))")
          .bind(1, now)
          .run();
      return static_cast<std::size_t>(c.changes());
    });
  }

  void heartbeat(const std::string& owner, Millis alive_until) override {
    writer_.write([owner, alive_until](Conn& c) {
      c.prep("INSERT INTO email_senders (owner, alive_until) VALUES (?1, ?2) ON CONFLICT (owner) DO UPDATE "
             "SET alive_until = excluded.alive_until")
          .bind(1, owner)
          .bind(2, alive_until)
          .run();
      // Senders gone for a day are forgotten (their messages were recovered long ago).
      c.prep("DELETE FROM email_senders WHERE alive_until < ?1")
          .bind(1, alive_until - Millis{86'400'000})
          .run();
      return true;
    });
  }

  std::optional<OutboxMessage> claim_next(Millis now, const std::string& owner) override {
    const Millis day_start = static_cast<Millis>(day_of(now)) * 86'400'000LL;
    return writer_.write([now, day_start, owner](Conn& c) -> std::optional<OutboxMessage> {
      for (;;) {
        std::optional<OutboxMessage> m;
        {
          auto st = c.prep(
              "SELECT o.id, o.campaign_id, o.contact_id, m.survey_id, o.email, coalesce(k.name, ''), "
              "coalesce(k.locale, ''), o.attempts, o.kind FROM outbox o JOIN campaigns m ON m.id = "
              "o.campaign_id LEFT JOIN contacts k ON k.id = o.contact_id WHERE o.state = 'queued' AND "
              "o.next_attempt_at <= ?1 "
              "AND (m.daily_limit = 0 OR (SELECT count(*) FROM outbox x WHERE x.campaign_id = m.id AND "
              "x.first_attempt_at >= ?2) < m.daily_limit) ORDER BY o.next_attempt_at, o.id LIMIT 1");
          st.bind(1, now).bind(2, day_start);
          if (!st.step()) return std::nullopt;
          m = OutboxMessage{st.i64(0),  st.i64(1),  st.i64(2),
                            st.text(3), st.text(4), st.text(5),
                            st.text(6), st.text(8), static_cast<int>(st.i64(7)) + 1};
        }
        // Suppressed since it was queued (unsubscribed, bounced in another campaign), or a
        // reminder to someone who answered since: skipped.
        bool skip = false;
        {
          auto sup = c.prep("SELECT 1 FROM suppressions WHERE email_key = lower(?1)");
          sup.bind(1, m->email);
          skip = sup.step();
        }
        if (!skip && m->kind == "reminder") {
          auto ans = c.prep("SELECT 1 FROM responses WHERE survey_id = ?1 AND idempotency_key = ?2");
          ans.bind(1, m->survey_id)
              .bind(2, link_answer_key(campaign_recipient(m->campaign_id, m->contact_id)));
          skip = ans.step();
        }
        if (skip) {
          c.prep("UPDATE outbox SET state = 'skipped' WHERE id = ?1").bind(1, m->id).run();
          maybe_finish(c, m->campaign_id, now);
          continue;
        }
        c.prep("UPDATE outbox SET state = 'sending', owner = ?3, attempts = attempts + 1, first_attempt_at = "
               "coalesce(first_attempt_at, ?2) WHERE id = ?1")
            .bind(1, m->id)
            .bind(2, now)
            .bind(3, owner)
            .run();
        return m;
      }
    });
  }

  bool mark_committing(std::int64_t id, const std::string& owner) override {
    return writer_.write([id, owner](Conn& c) {
      c.prep("UPDATE outbox SET state = 'committing' WHERE id = ?1 AND owner = ?2 AND state = 'sending'")
          .bind(1, id)
          .bind(2, owner)
          .run();
      return c.changes() > 0;
    });
  }
  void mark_sent(std::int64_t id, Millis now, long code) override {
    writer_.write([=](Conn& c) {
      c.prep("UPDATE outbox SET state = 'sent', sent_at = ?2, last_code = ?3 WHERE id = ?1")
          .bind(1, id)
          .bind(2, now)
          .bind(3, static_cast<std::int64_t>(code))
          .run();
      maybe_finish(c, campaign_of(c, id), now);
      return true;
    });
  }
  void mark_retry(std::int64_t id, Millis next_at, long code, const std::string& error) override {
    writer_.write([=](Conn& c) {
      c.prep("UPDATE outbox SET state = 'queued', next_attempt_at = ?2, last_code = ?3, last_error = ?4 "
             "WHERE id = ?1")
          .bind(1, id)
          .bind(2, next_at)
          .bind(3, static_cast<std::int64_t>(code))
          .bind(4, error)
          .run();
      return true;
    });
  }
  void mark_failed(std::int64_t id, bool bounced, long code, const std::string& error, Millis now) override {
    writer_.write([=](Conn& c) {
      c.prep("UPDATE outbox SET state = ?2, last_code = ?3, last_error = ?4 WHERE id = ?1")
          .bind(1, id)
          .bind(2, bounced ? "bounced" : "failed")
          .bind(3, static_cast<std::int64_t>(code))
          .bind(4, error)
          .run();
      if (bounced)
        c.prep("INSERT OR IGNORE INTO suppressions (email_key, reason, created_at) SELECT lower(email), "
               "'bounced', ?2 "
               "FROM outbox WHERE id = ?1")
            .bind(1, id)
            .bind(2, now)
            .run();
      maybe_finish(c, campaign_of(c, id), now);
      return true;
    });
  }

  std::pair<std::size_t, std::size_t> recover_outbox(Millis now) override {
    const std::string orphan =
        " AND NOT EXISTS (SELECT 1 FROM email_senders e WHERE e.owner = outbox.owner AND "
        "e.alive_until > ?1)";
    {
      // Most calls find nothing: a read first, the write only when there is something to do.
      auto c = readers_.lease();
      auto st =
          c->once("SELECT 1 FROM outbox WHERE state IN ('sending', 'committing')" + orphan + " LIMIT 1");
      st.bind(1, now);
      if (!st.step()) return {0, 0};
    }
    return writer_.write([now, orphan](Conn& c) {
      c.once("UPDATE outbox SET state = 'queued' WHERE state = 'sending'" + orphan).bind(1, now).run();
      const auto requeued = static_cast<std::size_t>(c.changes());
      c.once("UPDATE outbox SET state = 'uncertain' WHERE state = 'committing'" + orphan).bind(1, now).run();
      const auto uncertain = static_cast<std::size_t>(c.changes());
      if (uncertain > 0) maybe_finish_all(c, now);
      return std::pair<std::size_t, std::size_t>{requeued, uncertain};
    });
  }

  void record_click(std::int64_t campaign, std::int64_t contact, Millis now) override {
    writer_.write([=](Conn& c) {
      c.prep("INSERT OR IGNORE INTO campaign_clicks (campaign_id, contact_id, at) VALUES (?1, ?2, ?3)")
          .bind(1, campaign)
          .bind(2, contact)
          .bind(3, now)
          .run();
      return true;
    });
  }

  CampaignFunnel funnel(const Campaign& m) const override {
    auto c = readers_.lease();
    CampaignFunnel f;
    {
      auto st =
          c->prep("SELECT state, count(*) FROM outbox WHERE campaign_id = ?1 AND kind = 'survey' GROUP BY "
                  "state ORDER BY state");
      st.bind(1, m.id);
      while (st.step())
        f.states.emplace_back(st.text(0), static_cast<std::uint64_t>(st.i64(1)));
    }
    const auto one = [&](const char* sql, bool with_survey) {
      auto st = c->prep(sql);
      st.bind(1, m.id);
      if (with_survey) st.bind(2, m.survey_id);
      st.step();
      return static_cast<std::uint64_t>(st.i64(0));
    };
    f.reminded = one(
        "SELECT count(*) FROM outbox WHERE campaign_id = ?1 AND kind = 'reminder' AND state = 'sent'", false);
    f.clicked = one("SELECT count(*) FROM campaign_clicks WHERE campaign_id = ?1", false);
    f.unsubscribed =
        one("SELECT count(*) FROM outbox o JOIN suppressions s ON s.email_key = lower(o.email) WHERE "
            "o.campaign_id = ?1 AND o.kind = 'survey' AND o.sent_at IS NOT NULL AND s.reason = "
            "'unsubscribed' AND s.created_at >= o.sent_at",
            false);
    // The answers through the score links of its messages ("r-c<campaign>.k<contact>").
    {
      auto st = c->prep("SELECT count(*) FROM responses WHERE survey_id = ?1 AND idempotency_key >= ?2 AND "
                        "idempotency_key < ?3");
      const std::string prefix = "r-c" + std::to_string(m.id) + ".k";
      st.bind(1, m.survey_id).bind(2, prefix).bind(3, prefix.substr(0, prefix.size() - 1) + "l");
      st.step();
      f.answered = static_cast<std::uint64_t>(st.i64(0));
    }
    return f;
  }

private:
  std::vector<Campaign> read_campaigns(const std::string& where, std::optional<std::int64_t> id) const {
    auto c = readers_.lease();
    auto st =
        c->once("SELECT id, survey_id, name, segment_key, segment_value, throttle_days, daily_limit, "
                "scheduled_at, status, created_at, reminder_days, audience, finished_at FROM campaigns " +
                where);
    if (id) st.bind(1, *id);
    std::vector<Campaign> out;
    while (st.step()) {
      Campaign m;
      m.id = st.i64(0);
      m.survey_id = st.text(1);
      m.name = st.text(2);
      m.segment_key = st.text(3);
      m.segment_value = st.text(4);
      m.throttle_days = static_cast<int>(st.i64(5));
      m.daily_limit = static_cast<int>(st.i64(6));
      m.scheduled_at = st.i64(7);
      m.status = st.text(8);
      m.created_at = st.i64(9);
      m.reminder_days = static_cast<int>(st.i64(10));
      m.audience = st.text(11);
      if (!st.is_null(12)) m.finished_at = st.i64(12);
      out.push_back(std::move(m));
    }
    return out;
  }
};

} // namespace

std::unique_ptr<EmailStore> make_email_store(Writer& w, const ReadPool& r) {
  return std::make_unique<SqliteEmail>(w, r);
}

} // namespace npsd::sqlite
