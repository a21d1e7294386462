// The PostgreSQL engine of EmailStore's copying part (email_copy_engines.hpp): what npsd
// migrate reads from a source and stores on a target, under the source's ids. An id given
// explicitly moves the identity column's sequence past it, so the ids npsd makes later
// never collide with a copied one.
#include "email_copy_engines.hpp"
#include "postgres_conn.hpp"

namespace npsd::pg {

namespace {

void advance_ids(Conn& c, const char* table) {
  c.run(std::string("SELECT setval(pg_get_serial_sequence('") + table + "', 'id'), (SELECT max(id) FROM " +
        table + "))");
}

} // namespace

std::optional<std::string> EmailCopying::stored_link_secret() const {
  auto c = readers_.lease();
  auto r = c->run("SELECT value FROM email_settings WHERE key = 'link_secret'");
  if (r.rows() == 0) return std::nullopt;
  return r.text(0, 0);
}

void EmailCopying::put_link_secret(const std::string& secret) {
  writer_.write([secret](Conn& c) {
    c.run(
        "INSERT INTO email_settings (key, value) VALUES ('link_secret', $1) ON CONFLICT (key) DO UPDATE SET "
        "value = excluded.value",
        Params().add(secret));
    return true;
  });
}

bool EmailCopying::import_contact(const Contact& k) {
  const auto key = email_key(k.email);
  return writer_.write([k, key](Conn& c) {
    auto there = c.run("SELECT id, email_key FROM contacts WHERE id = $1 OR email_key = $2",
                       Params().add(k.id).add(key));
    for (int i = 0; i < there.rows(); ++i) {
      if (there.i64(i, 0) == k.id && there.text(i, 1) == key) return false;
      throw StorageError("contact " + std::to_string(k.id) + " (" + key +
                         ") cannot keep its id: another contact here has its id or its address");
    }
    c.run(
        "INSERT INTO contacts (id, email, email_key, name, locale, external_id, attributes, created_at, "
        "updated_at, last_asked_at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        Params()
            .add(k.id)
            .add(k.email)
            .add(key)
            .add(k.name)
            .add(k.locale)
            .add(k.external_id)
            .add(k.attributes.dump())
            .add(k.created_at)
            .add(k.updated_at)
            .add(k.last_asked_at));
    advance_ids(c, "contacts");
    return true;
  });
}

bool EmailCopying::import_suppression(const SuppressionRow& s) {
  return writer_.write([s](Conn& c) {
    return c.run("INSERT INTO suppressions (email_key, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT "
                 "(email_key) DO NOTHING",
                 Params().add(s.email).add(s.reason).add(s.created_at))
               .affected() > 0;
  });
}

CampaignRows EmailCopying::campaign_rows(std::int64_t campaign) const {
  auto c = readers_.lease();
  CampaignRows out;
  auto m = c->run("SELECT contact_id FROM campaign_members WHERE campaign_id = $1 ORDER BY contact_id",
                  Params().add(campaign));
  for (int i = 0; i < m.rows(); ++i)
    out.members.push_back(m.i64(i, 0));
  auto r =
      c->run("SELECT contact_id, kind, email, state, attempts, next_attempt_at, first_attempt_at, sent_at, "
             "last_code, last_error FROM outbox WHERE campaign_id = $1 ORDER BY contact_id, kind COLLATE "
             "\"C\"",
             Params().add(campaign));
  for (int i = 0; i < r.rows(); ++i) {
    OutboxRow o;
    o.campaign_id = campaign;
    o.contact_id = r.i64(i, 0);
    o.kind = r.text(i, 1);
    o.email = r.text(i, 2);
    o.state = r.text(i, 3);
    o.attempts = static_cast<int>(r.i64(i, 4));
    o.next_attempt_at = r.i64(i, 5);
    o.first_attempt_at = r.opt_i64(i, 6);
    o.sent_at = r.opt_i64(i, 7);
    o.last_code = r.opt_i64(i, 8);
    o.last_error = r.opt_text(i, 9);
    out.outbox.push_back(std::move(o));
  }
  auto k = c->run("SELECT contact_id, at FROM campaign_clicks WHERE campaign_id = $1 ORDER BY contact_id",
                  Params().add(campaign));
  for (int i = 0; i < k.rows(); ++i)
    out.clicks.emplace_back(k.i64(i, 0), k.i64(i, 1));
  return out;
}

std::size_t EmailCopying::import_campaign(const Campaign& m, const CampaignRows& rows) {
  return writer_.write([&m, &rows](Conn& c) -> std::size_t {
    std::size_t added = 0;
    auto there = c.run("SELECT survey_id, name, created_at FROM campaigns WHERE id = $1", Params().add(m.id));
    if (there.rows() > 0) {
      if (there.text(0, 0) != m.survey_id || there.text(0, 1) != m.name || there.i64(0, 2) != m.created_at)
        throw StorageError("campaign " + std::to_string(m.id) +
                           " cannot keep its id: another campaign here has it");
    } else {
      c.run("INSERT INTO campaigns (id, survey_id, name, segment_key, segment_value, throttle_days, "
            "daily_limit, "
            "scheduled_at, status, created_at, reminder_days, audience, finished_at) OVERRIDING SYSTEM VALUE "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            Params()
                .add(m.id)
                .add(m.survey_id)
                .add(m.name)
                .add(m.segment_key)
                .add(m.segment_value)
                .add(m.throttle_days)
                .add(m.daily_limit)
                .add(m.scheduled_at)
                .add(m.status)
                .add(m.created_at)
                .add(m.reminder_days)
                .add(m.audience)
                .add(m.finished_at));
      advance_ids(c, "campaigns");
      ++added;
    }
    for (auto contact : rows.members)
      added +=
          static_cast<std::size_t>(c.run("INSERT INTO campaign_members (campaign_id, contact_id) VALUES ($1, "
                                         "$2) ON CONFLICT DO NOTHING",
                                         Params().add(m.id).add(contact))
                                       .affected());
    for (const auto& o : rows.outbox)
      added += static_cast<std::size_t>(
          c.run("INSERT INTO outbox (campaign_id, contact_id, kind, email, state, attempts, next_attempt_at, "
                "first_attempt_at, sent_at, last_code, last_error) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                "$9, "
                "$10, $11) ON CONFLICT (campaign_id, contact_id, kind) DO NOTHING",
                Params()
                    .add(m.id)
                    .add(o.contact_id)
                    .add(o.kind)
                    .add(o.email)
                    .add(copied_outbox_state(o.state))
                    .add(o.attempts)
                    .add(o.next_attempt_at)
                    .add(o.first_attempt_at)
                    .add(o.sent_at)
                    .add(o.last_code)
                    .add(o.last_error))
              .affected());
    for (const auto& [contact, at] : rows.clicks)
      added +=
          static_cast<std::size_t>(c.run("INSERT INTO campaign_clicks (campaign_id, contact_id, at) VALUES "
                                         "($1, $2, $3) ON CONFLICT DO NOTHING",
                                         Params().add(m.id).add(contact).add(at))
                                       .affected());
    return added;
  });
}

} // namespace npsd::pg
