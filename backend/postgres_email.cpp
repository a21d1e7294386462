// The PostgreSQL engine of EmailStore (email_store.hpp): writes on the engine's writer,
// reads on its pool.
#include "email_copy_engines.hpp"
#include "email_events.hpp"
#include "email_store.hpp"
#include "nps/eligibility.hpp"
#include "postgres_conn.hpp"
#include "postgres_webhooks.hpp"

#include <algorithm>

namespace npsd::pg {

namespace {

// link_answer_key(campaign_recipient(campaign, contact)) of the outbox row o.
constexpr const char* kAnswerKey = "substr('r-c' || o.campaign_id::text || '.k' || o.contact_id::text || "
                                   "'______', 1, greatest(length('r-c' || "
                                   "o.campaign_id::text || '.k' || o.contact_id::text), 8))";

constexpr const char* kContactColumns =
    "SELECT c.id, c.email, c.name, c.locale, c.external_id, c.attributes, c.created_at, c.updated_at, "
    "c.last_asked_at, s.reason FROM contacts c LEFT JOIN suppressions s ON s.email_key = c.email_key ";

Contact read_contact(const Result& r, int i) {
  Contact c;
  c.id = r.i64(i, 0);
  c.email = r.text(i, 1);
  c.name = r.text(i, 2);
  c.locale = r.text(i, 3);
  c.external_id = r.text(i, 4);
  c.attributes = nps::json::parse(r.text(i, 5), nullptr, false);
  if (!c.attributes.is_object()) c.attributes = nps::json::object();
  c.created_at = r.i64(i, 6);
  c.updated_at = r.i64(i, 7);
  c.last_asked_at = r.opt_i64(i, 8);
  c.suppressed = r.opt_text(i, 9);
  return c;
}

// Creates or updates the contact with r's e-mail; {its id, whether it was created}. A new
// address is inserted; a known one (also one another npsd inserted meanwhile) is read locked
// and updated.
std::pair<std::int64_t, bool> upsert_contact(Conn& c, const ContactInput& r, Millis now) {
  const auto key = email_key(r.email);
  auto ins = c.run("INSERT INTO contacts (email, email_key, name, locale, external_id, attributes, "
                   "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) "
                   "ON CONFLICT (email_key) DO NOTHING RETURNING id",
                   Params()
                       .add(r.email)
                       .add(key)
                       .add(r.name)
                       .add(r.locale)
                       .add(r.external_id)
                       .add(r.attributes.dump())
                       .add(now));
  if (ins.rows() > 0) return {ins.i64(0, 0), true};
  auto old = c.run("SELECT id, name, locale, external_id, attributes FROM contacts WHERE email_key = $1 FOR "
                   "UPDATE",
                   Params().add(key));
  auto attrs = nps::json::parse(old.text(0, 4), nullptr, false);
  if (!attrs.is_object()) attrs = nps::json::object();
  attrs.update(r.attributes);
  c.run("UPDATE contacts SET email = $2, name = $3, locale = $4, external_id = $5, attributes = $6, "
        "updated_at = $7 WHERE id = $1",
        Params()
            .add(old.i64(0, 0))
            .add(r.email)
            .add(r.name.empty() ? old.text(0, 1) : r.name)
            .add(r.locale.empty() ? old.text(0, 2) : r.locale)
            .add(r.external_id.empty() ? old.text(0, 3) : r.external_id)
            .add(attrs.dump())
            .add(now));
  return {old.i64(0, 0), false};
}

// campaign.finished, once: when no message of the campaign is left to send (called after each
// change that may have ended its last one). The campaign's row is locked first, so of two
// processes ending its last two messages at once the second sees the first's change.
void maybe_finish(Conn& c, std::int64_t campaign, Millis now) {
  auto m = c.run(
      "SELECT name, survey_id FROM campaigns WHERE id = $1 AND status = 'queued' AND finished_at IS NULL "
      "FOR UPDATE",
      Params().add(campaign));
  if (m.rows() == 0) return;
  if (c.run("SELECT 1 FROM outbox WHERE campaign_id = $1 AND state IN ('queued', 'sending', 'committing') "
            "LIMIT 1",
            Params().add(campaign))
          .rows() > 0)
    return;
  auto r =
      c.run("SELECT state, count(*) FROM outbox WHERE campaign_id = $1 AND kind = 'survey' GROUP BY state "
            "ORDER BY state COLLATE \"C\"",
            Params().add(campaign));
  std::vector<std::pair<std::string, std::uint64_t>> states;
  for (int i = 0; i < r.rows(); ++i)
    states.emplace_back(r.text(i, 0), static_cast<std::uint64_t>(r.i64(i, 1)));
  c.run("UPDATE campaigns SET finished_at = $2 WHERE id = $1", Params().add(campaign).add(now));
  emit_event(c, campaign_finished_event(campaign, m.text(0, 0), m.text(0, 1), states, now));
}

void maybe_finish_all(Conn& c, Millis now) {
  auto r = c.run("SELECT id FROM campaigns WHERE status = 'queued' AND finished_at IS NULL ORDER BY id");
  for (int i = 0; i < r.rows(); ++i)
    maybe_finish(c, r.i64(i, 0), now);
}

std::int64_t campaign_of(Conn& c, std::int64_t message) {
  auto r = c.run("SELECT campaign_id FROM outbox WHERE id = $1", Params().add(message));
  return r.rows() ? r.i64(0, 0) : 0;
}

class PostgresEmail final : public EmailCopying {
public:
  using EmailCopying::EmailCopying;

  std::string link_secret(const std::string& fresh) override {
    return writer_.write([fresh](Conn& c) {
      c.run("INSERT INTO email_settings (key, value) VALUES ('link_secret', $1) ON CONFLICT (key) DO NOTHING",
            Params().add(fresh));
      return c.run("SELECT value FROM email_settings WHERE key = 'link_secret'").text(0, 0);
    });
  }

  LinkSettings link_settings(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT strict FROM link_settings WHERE survey_id = $1", Params().add(survey_id));
    LinkSettings s;
    if (r.rows() > 0) s.strict = r.boolean(0, 0);
    return s;
  }

  void put_link_settings(const std::string& survey_id, const LinkSettings& s) override {
    writer_.write([survey_id, s](Conn& c) {
      c.run("INSERT INTO link_settings (survey_id, strict) VALUES ($1, $2) "
            "ON CONFLICT (survey_id) DO UPDATE SET strict = excluded.strict",
            Params().add(survey_id).add(s.strict));
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
    auto r = c->run(
        std::string(kContactColumns) + "WHERE c.id > $1 ORDER BY c.id LIMIT $2",
        Params().add(after.value_or(0)).add(static_cast<std::int64_t>(std::max<std::size_t>(limit, 1))));
    std::vector<Contact> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(read_contact(r, i));
    return out;
  }

  std::optional<Contact> contact(std::int64_t id) const override {
    auto c = readers_.lease();
    auto r = c->run(std::string(kContactColumns) + "WHERE c.id = $1", Params().add(id));
    if (r.rows() == 0) return std::nullopt;
    return read_contact(r, 0);
  }

  std::uint64_t count_contacts() const override {
    auto c = readers_.lease();
    return static_cast<std::uint64_t>(c->run("SELECT count(*) FROM contacts").i64(0, 0));
  }

  bool delete_contact(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      auto gone = c.run("DELETE FROM contacts WHERE id = $1 RETURNING email_key", Params().add(id));
      if (gone.rows() == 0) return false;
      forget_events(c, contact_event_respondent(gone.text(0, 0)));
      c.run("UPDATE outbox SET state = 'skipped' WHERE contact_id = $1 AND state = 'queued'",
            Params().add(id));
      c.run("UPDATE outbox SET email = '' WHERE contact_id = $1", Params().add(id));
      c.run("DELETE FROM campaign_members WHERE contact_id = $1", Params().add(id));
      c.run("DELETE FROM campaign_clicks WHERE contact_id = $1", Params().add(id));
      maybe_finish_all(c, system_now());
      return true;
    });
  }

  bool suppress(const std::string& email, const std::string& reason, Millis now) override {
    const auto key = email_key(email);
    return writer_.write([key, reason, now](Conn& c) {
      if (c.run("INSERT INTO suppressions (email_key, reason, created_at) VALUES ($1, $2, $3) "
                "ON CONFLICT (email_key) DO NOTHING",
                Params().add(key).add(reason).add(now))
              .affected() == 0)
        return false;
      if (reason == "unsubscribed" || reason == "complained") {
        auto k = c.run("SELECT id FROM contacts WHERE email_key = $1", Params().add(key));
        emit_event(
            c, unsubscribed_event(key, reason, k.rows() ? std::optional(k.i64(0, 0)) : std::nullopt, now));
      }
      return true;
    });
  }

  std::vector<SuppressionRow> suppressions() const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT email_key, reason, created_at FROM suppressions ORDER BY created_at, email_key "
                    "COLLATE \"C\"");
    std::vector<SuppressionRow> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1), r.i64(i, 2)});
    return out;
  }

  // ---- campaigns and the outbox ----

  Campaign add_campaign(const CampaignInput& in, const std::vector<ContactInput>& members,
                        Millis now) override {
    return writer_.write([in, members, now](Conn& c) {
      Campaign out;
      static_cast<CampaignInput&>(out) = in;
      out.id =
          c.run("INSERT INTO campaigns (survey_id, name, segment_key, segment_value, throttle_days, "
                "daily_limit, scheduled_at, status, created_at, reminder_days, audience) VALUES ($1, $2, $3, "
                "$4, $5, $6, $7, 'scheduled', $8, $9, $10) RETURNING id",
                Params()
                    .add(in.survey_id)
                    .add(in.name)
                    .add(in.segment_key)
                    .add(in.segment_value)
                    .add(in.throttle_days)
                    .add(in.daily_limit)
                    .add(in.scheduled_at)
                    .add(now)
                    .add(in.reminder_days)
                    .add(in.audience))
              .i64(0, 0);
      out.created_at = now;
      for (const auto& m : members)
        c.run("INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
              Params().add(out.id).add(upsert_contact(c, m, now).first));
      return out;
    });
  }

  std::vector<Campaign> campaigns() const override { return read_campaigns("ORDER BY id", Params()); }

  std::optional<Campaign> campaign(std::int64_t id) const override {
    auto v = read_campaigns("WHERE id = $1", Params().add(id));
    if (v.empty()) return std::nullopt;
    return v.front();
  }

  std::vector<std::int64_t> due_campaigns(Millis now) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT id FROM campaigns WHERE status = 'scheduled' AND scheduled_at <= $1 ORDER BY id",
                    Params().add(now));
    std::vector<std::int64_t> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(r.i64(i, 0));
    return out;
  }

  std::size_t enqueue_campaign(std::int64_t id, Millis now) override {
    return writer_.write([id, now](Conn& c) -> std::size_t {
      auto m =
          c.run("SELECT segment_key, segment_value, throttle_days, audience FROM campaigns WHERE id = $1 AND "
                "status = 'scheduled' FOR UPDATE",
                Params().add(id));
      if (m.rows() == 0) return 0;
      const Millis cutoff = nps::resurvey_cutoff(now, static_cast<int>(m.i64(0, 2)));
      const bool members = m.text(0, 3) == "csv";
      // The widget's answers count as being asked: a response whose respondent id is the
      // contact's external id, received after the cutoff.
      const auto n = static_cast<std::size_t>(
          c.run(std::string("INSERT INTO outbox (campaign_id, contact_id, email, state, next_attempt_at) "
                            "SELECT $1, k.id, k.email, 'queued', $5 FROM contacts k ") +
                    (members ? "JOIN campaign_members cm ON cm.campaign_id = $1 AND cm.contact_id = k.id "
                             : "") +
                    "WHERE NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_key = k.email_key) AND "
                    "(k.last_asked_at IS NULL OR k.last_asked_at <= $2::bigint) AND (k.external_id = '' OR "
                    "NOT "
                    "EXISTS (SELECT 1 FROM responses r WHERE r.respondent_id = k.external_id AND "
                    "r.received_at > "
                    "$2::bigint)) AND ($3::text = '' OR (k.attributes::jsonb ->> $3::text) = $4) "
                    "ON CONFLICT (campaign_id, contact_id, kind) DO NOTHING",
                Params().add(id).add(cutoff).add(m.text(0, 0)).add(m.text(0, 1)).add(now))
              .affected());
      c.run("UPDATE contacts SET last_asked_at = $2 WHERE id IN (SELECT contact_id FROM outbox WHERE "
            "campaign_id = $1)",
            Params().add(id).add(now));
      c.run("UPDATE campaigns SET status = 'queued' WHERE id = $1", Params().add(id));
      if (n == 0) maybe_finish(c, id, now); // nobody to ask: finished at once
      return n;
    });
  }

  std::size_t enqueue_reminders(Millis now) override {
    return writer_.write([now](Conn& c) -> std::size_t {
      return static_cast<std::size_t>(
          c.run(
               "INSERT INTO outbox (campaign_id, contact_id, kind, email, state, next_attempt_at) "
               "SELECT o.campaign_id, o.contact_id, 'reminder', o.email, 'queued', $1 FROM outbox o "
               "JOIN campaigns m ON m.id = o.campaign_id WHERE m.reminder_days > 0 AND o.kind = 'survey' AND "
               "o.state = 'sent' AND o.sent_at <= $1::bigint - m.reminder_days * 86400000::bigint "
               "AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.survey_id = m.survey_id AND "
               "r.idempotency_key = " +
                   std::string(kAnswerKey) +
                   ") "
                   "AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.email_key = lower(o.email)) "
                   "ON CONFLICT (campaign_id, contact_id, kind) DO NOTHING",
               Params().add(now))
              .affected());
    });
  }

  void heartbeat(const std::string& owner, Millis alive_until) override {
    writer_.write([owner, alive_until](Conn& c) {
      c.run("INSERT INTO email_senders (owner, alive_until) VALUES ($1, $2) ON CONFLICT (owner) DO UPDATE "
            "SET alive_until = excluded.alive_until",
            Params().add(owner).add(alive_until));
      // Senders gone for a day are forgotten (their messages were recovered long ago).
      c.run("DELETE FROM email_senders WHERE alive_until < $1",
            Params().add(alive_until - Millis{86'400'000}));
      return true;
    });
  }

  std::optional<OutboxMessage> claim_next(Millis now, const std::string& owner) override {
    const Millis day_start = static_cast<Millis>(day_of(now)) * 86'400'000LL;
    return writer_.write([now, day_start, owner](Conn& c) -> std::optional<OutboxMessage> {
      for (;;) {
        // SKIP LOCKED: several npsd processes claim different messages. Skipped: a message
        // to an address suppressed since it was queued, a reminder to someone who answered.
        auto r = c.run(
            "SELECT o.id, o.campaign_id, o.contact_id, m.survey_id, o.email, coalesce(k.name, ''), "
            "coalesce(k.locale, ''), o.attempts, EXISTS (SELECT 1 FROM suppressions s WHERE s.email_key = "
            "lower(o.email)) OR (o.kind = 'reminder' AND EXISTS (SELECT 1 FROM responses r WHERE r.survey_id "
            "= "
            "m.survey_id AND r.idempotency_key = " +
                std::string(kAnswerKey) +
                ")), "
                "o.kind FROM outbox o JOIN campaigns m ON m.id = o.campaign_id LEFT JOIN contacts k ON k.id "
                "= "
                "o.contact_id WHERE o.state = 'queued' AND o.next_attempt_at <= $1 AND (m.daily_limit = 0 OR "
                "(SELECT count(*) FROM outbox x WHERE x.campaign_id = m.id AND x.first_attempt_at >= $2) < "
                "m.daily_limit) ORDER BY o.next_attempt_at, o.id LIMIT 1 FOR UPDATE OF o SKIP LOCKED",
            Params().add(now).add(day_start));
        if (r.rows() == 0) return std::nullopt;
        OutboxMessage m{r.i64(0, 0),  r.i64(0, 1),  r.i64(0, 2),
                        r.text(0, 3), r.text(0, 4), r.text(0, 5),
                        r.text(0, 6), r.text(0, 9), static_cast<int>(r.i64(0, 7)) + 1};
        if (r.boolean(0, 8)) {
          c.run("UPDATE outbox SET state = 'skipped' WHERE id = $1", Params().add(m.id));
          maybe_finish(c, m.campaign_id, now);
          continue;
        }
        c.run("UPDATE outbox SET state = 'sending', owner = $3, attempts = attempts + 1, first_attempt_at = "
              "coalesce(first_attempt_at, $2) WHERE id = $1",
              Params().add(m.id).add(now).add(owner));
        return m;
      }
    });
  }

  bool mark_committing(std::int64_t id, const std::string& owner) override {
    return writer_.write([id, owner](Conn& c) {
      return c.run(
                  "UPDATE outbox SET state = 'committing' WHERE id = $1 AND owner = $2 AND state = 'sending'",
                  Params().add(id).add(owner))
                 .affected() > 0;
    });
  }
  void mark_sent(std::int64_t id, Millis now, long code) override {
    writer_.write([=](Conn& c) {
      c.run("UPDATE outbox SET state = 'sent', sent_at = $2, last_code = $3 WHERE id = $1",
            Params().add(id).add(now).add(static_cast<std::int64_t>(code)));
      maybe_finish(c, campaign_of(c, id), now);
      return true;
    });
  }
  void mark_retry(std::int64_t id, Millis next_at, long code, const std::string& error) override {
    writer_.write([=](Conn& c) {
      c.run("UPDATE outbox SET state = 'queued', next_attempt_at = $2, last_code = $3, last_error = $4 WHERE "
            "id = $1",
            Params().add(id).add(next_at).add(static_cast<std::int64_t>(code)).add(error));
      return true;
    });
  }
  void mark_failed(std::int64_t id, bool bounced, long code, const std::string& error, Millis now) override {
    writer_.write([=](Conn& c) {
      c.run("UPDATE outbox SET state = $2, last_code = $3, last_error = $4 WHERE id = $1",
            Params()
                .add(id)
                .add(bounced ? "bounced" : "failed")
                .add(static_cast<std::int64_t>(code))
                .add(error));
      if (bounced)
        c.run("INSERT INTO suppressions (email_key, reason, created_at) SELECT lower(email), 'bounced', $2 "
              "FROM "
              "outbox WHERE id = $1 ON CONFLICT (email_key) DO NOTHING",
              Params().add(id).add(now));
      maybe_finish(c, campaign_of(c, id), now);
      return true;
    });
  }

  std::pair<std::size_t, std::size_t> recover_outbox(Millis now) override {
    const std::string orphan =
        " AND NOT EXISTS (SELECT 1 FROM email_senders e WHERE e.owner = outbox.owner AND "
        "e.alive_until > $1)";
    {
      // Most calls find nothing: a read first, the write only when there is something to do.
      auto c = readers_.lease();
      if (c->run("SELECT 1 FROM outbox WHERE state IN ('sending', 'committing')" + orphan + " LIMIT 1",
                 Params().add(now))
              .rows() == 0)
        return {0, 0};
    }
    return writer_.write([now, orphan](Conn& c) {
      const auto requeued = static_cast<std::size_t>(
          c.run("UPDATE outbox SET state = 'queued' WHERE state = 'sending'" + orphan, Params().add(now))
              .affected());
      const auto uncertain = static_cast<std::size_t>(
          c.run("UPDATE outbox SET state = 'uncertain' WHERE state = 'committing'" + orphan,
                Params().add(now))
              .affected());
      if (uncertain > 0) maybe_finish_all(c, now);
      return std::pair<std::size_t, std::size_t>{requeued, uncertain};
    });
  }

  void record_click(std::int64_t campaign, std::int64_t contact, Millis now) override {
    writer_.write([=](Conn& c) {
      c.run("INSERT INTO campaign_clicks (campaign_id, contact_id, at) VALUES ($1, $2, $3) ON CONFLICT DO "
            "NOTHING",
            Params().add(campaign).add(contact).add(now));
      return true;
    });
  }

  CampaignFunnel funnel(const Campaign& m) const override {
    auto c = readers_.lease();
    CampaignFunnel f;
    auto r = c->run("SELECT state, count(*) FROM outbox WHERE campaign_id = $1 AND kind = 'survey' GROUP BY "
                    "state ORDER BY state COLLATE \"C\"",
                    Params().add(m.id));
    for (int i = 0; i < r.rows(); ++i)
      f.states.emplace_back(r.text(i, 0), static_cast<std::uint64_t>(r.i64(i, 1)));
    const std::string prefix = "r-c" + std::to_string(m.id) + ".k";
    // The answers through the score links of its messages ("r-c<campaign>.k<contact>").
    auto x = c->run(
        "SELECT (SELECT count(*) FROM outbox WHERE campaign_id = $1 AND kind = 'reminder' AND state = "
        "'sent'), "
        "(SELECT count(*) FROM campaign_clicks WHERE campaign_id = $1), "
        "(SELECT count(*) FROM outbox o JOIN suppressions s ON s.email_key = lower(o.email) WHERE "
        "o.campaign_id "
        "= $1 AND o.kind = 'survey' AND o.sent_at IS NOT NULL AND s.reason = 'unsubscribed' AND s.created_at "
        ">= "
        "o.sent_at), "
        "(SELECT count(*) FROM responses WHERE survey_id = $2 AND idempotency_key COLLATE \"C\" >= $3 AND "
        "idempotency_key COLLATE \"C\" < $4)",
        Params().add(m.id).add(m.survey_id).add(prefix).add(prefix.substr(0, prefix.size() - 1) + "l"));
    f.reminded = static_cast<std::uint64_t>(x.i64(0, 0));
    f.clicked = static_cast<std::uint64_t>(x.i64(0, 1));
    f.unsubscribed = static_cast<std::uint64_t>(x.i64(0, 2));
    f.answered = static_cast<std::uint64_t>(x.i64(0, 3));
    return f;
  }

private:
  std::vector<Campaign> read_campaigns(const std::string& where, const Params& p) const {
    auto c = readers_.lease();
    auto r = c->run("SELECT id, survey_id, name, segment_key, segment_value, throttle_days, daily_limit, "
                    "scheduled_at, status, created_at, reminder_days, audience, finished_at FROM campaigns " +
                        where,
                    p);
    std::vector<Campaign> out;
    for (int i = 0; i < r.rows(); ++i) {
      Campaign m;
      m.id = r.i64(i, 0);
      m.survey_id = r.text(i, 1);
      m.name = r.text(i, 2);
      m.segment_key = r.text(i, 3);
      m.segment_value = r.text(i, 4);
      m.throttle_days = static_cast<int>(r.i64(i, 5));
      m.daily_limit = static_cast<int>(r.i64(i, 6));
      m.scheduled_at = r.i64(i, 7);
      m.status = r.text(i, 8);
      m.created_at = r.i64(i, 9);
      m.reminder_days = static_cast<int>(r.i64(i, 10));
      m.audience = r.text(i, 11);
      m.finished_at = r.opt_i64(i, 12);
      out.push_back(std::move(m));
    }
    return out;
  }
};

} // namespace

std::unique_ptr<EmailStore> make_email_store(Writer& w, Pool& r) {
  return std::make_unique<PostgresEmail>(w, r);
}

} // namespace npsd::pg
