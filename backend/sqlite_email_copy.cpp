// The SQLite engine of EmailStore's copying part (email_copy_engines.hpp): what npsd migrate
// reads from a source and stores on a target, under the source's ids.
#include "email_copy_engines.hpp"
#include "sqlite_writer.hpp"

namespace npsd::sqlite {

std::optional<std::string> EmailCopying::stored_link_secret() const {
  auto c = readers_.lease();
  auto st = c->prep("SELECT value FROM email_settings WHERE key = 'link_secret'");
  if (!st.step()) return std::nullopt;
  return st.text(0);
}

void EmailCopying::put_link_secret(const std::string& secret) {
  writer_.write([secret](Conn& c) {
    c.prep(
         "INSERT INTO email_settings (key, value) VALUES ('link_secret', ?1) ON CONFLICT (key) DO UPDATE SET "
         "value = excluded.value")
        .bind(1, secret)
        .run();
    return true;
  });
}

bool EmailCopying::import_contact(const Contact& k) {
  const auto key = email_key(k.email);
  return writer_.write([k, key](Conn& c) {
    {
      auto st = c.prep("SELECT id, email_key FROM contacts WHERE id = ?1 OR email_key = ?2");
      st.bind(1, k.id).bind(2, key);
      while (st.step()) {
        if (st.i64(0) == k.id && st.text(1) == key) return false;
        throw StorageError("contact " + std::to_string(k.id) + " (" + key +
                           ") cannot keep its id: another contact here has its id or its address");
      }
    }
    c.prep("INSERT INTO contacts (id, email, email_key, name, locale, external_id, attributes, created_at, "
           "updated_at, last_asked_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
        .bind(1, k.id)
        .bind(2, k.email)
        .bind(3, key)
        .bind(4, k.name)
        .bind(5, k.locale)
        .bind(6, k.external_id)
        .bind(7, k.attributes.dump())
        .bind(8, k.created_at)
        .bind(9, k.updated_at)
        .bind(10, k.last_asked_at)
        .run();
    return true;
  });
}

bool EmailCopying::import_suppression(const SuppressionRow& s) {
  return writer_.write([s](Conn& c) {
    c.prep("INSERT OR IGNORE INTO suppressions (email_key, reason, created_at) VALUES (?1, ?2, ?3)")
        .bind(1, s.email)
        .bind(2, s.reason)
        .bind(3, s.created_at)
        .run();
    return c.changes() > 0;
  });
}

CampaignRows EmailCopying::campaign_rows(std::int64_t campaign) const {
  auto c = readers_.lease();
  CampaignRows out;
  {
    auto st = c->prep("SELECT contact_id FROM campaign_members WHERE campaign_id = ?1 ORDER BY contact_id");
    st.bind(1, campaign);
    while (st.step())
      out.members.push_back(st.i64(0));
  }
  {
    auto st =
        c->prep("SELECT contact_id, kind, email, state, attempts, next_attempt_at, first_attempt_at, "
                "sent_at, last_code, last_error FROM outbox WHERE campaign_id = ?1 ORDER BY contact_id, "
                "kind");
    st.bind(1, campaign);
    while (st.step()) {
      OutboxRow o;
      o.campaign_id = campaign;
      o.contact_id = st.i64(0);
      o.kind = st.text(1);
      o.email = st.text(2);
      o.state = st.text(3);
      o.attempts = static_cast<int>(st.i64(4));
      o.next_attempt_at = st.i64(5);
      if (!st.is_null(6)) o.first_attempt_at = st.i64(6);
      if (!st.is_null(7)) o.sent_at = st.i64(7);
      if (!st.is_null(8)) o.last_code = st.i64(8);
      o.last_error = st.opt_text(9);
      out.outbox.push_back(std::move(o));
    }
  }
  auto st = c->prep("SELECT contact_id, at FROM campaign_clicks WHERE campaign_id = ?1 ORDER BY contact_id");
  st.bind(1, campaign);
  while (st.step())
    out.clicks.emplace_back(st.i64(0), st.i64(1));
  return out;
}

std::size_t EmailCopying::import_campaign(const Campaign& m, const CampaignRows& rows) {
  return writer_.write([&m, &rows](Conn& c) -> std::size_t {
    std::size_t added = 0;
    {
      auto st = c.prep("SELECT survey_id, name, created_at FROM campaigns WHERE id = ?1");
      st.bind(1, m.id);
      if (st.step()) {
        if (st.text(0) != m.survey_id || st.text(1) != m.name || st.i64(2) != m.created_at)
          throw StorageError("campaign " + std::to_string(m.id) +
                             " cannot keep its id: another campaign here has it");
      } else {
        c.prep("INSERT INTO campaigns (id, survey_id, name, segment_key, segment_value, throttle_days, "
               "daily_limit, scheduled_at, status, created_at, reminder_days, audience, finished_at) VALUES "
               "(?1, "
               "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
            .bind(1, m.id)
            .bind(2, m.survey_id)
            .bind(3, m.name)
            .bind(4, m.segment_key)
            .bind(5, m.segment_value)
            .bind(6, m.throttle_days)
            .bind(7, m.daily_limit)
            .bind(8, m.scheduled_at)
            .bind(9, m.status)
            .bind(10, m.created_at)
            .bind(11, m.reminder_days)
            .bind(12, m.audience)
            .bind(13, m.finished_at)
            .run();
        ++added;
      }
    }
    for (auto contact : rows.members) {
      c.prep("INSERT OR IGNORE INTO campaign_members (campaign_id, contact_id) VALUES (?1, ?2)")
          .bind(1, m.id)
          .bind(2, contact)
          .run();
      added += static_cast<std::size_t>(c.changes());
    }
    for (const auto& o : rows.outbox) {
      c.prep("INSERT INTO outbox (campaign_id, contact_id, kind, email, state, attempts, next_attempt_at, "
             "first_attempt_at, sent_at, last_code, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
             "?10, "
             "?11) ON CONFLICT (campaign_id, contact_id, kind) DO NOTHING")
          .bind(1, m.id)
          .bind(2, o.contact_id)
          .bind(3, o.kind)
          .bind(4, o.email)
          .bind(5, copied_outbox_state(o.state))
          .bind(6, o.attempts)
          .bind(7, o.next_attempt_at)
          .bind(8, o.first_attempt_at)
          .bind(9, o.sent_at)
          .bind(10, o.last_code)
          .bind(11, o.last_error)
          .run();
      added += static_cast<std::size_t>(c.changes());
    }
    for (const auto& [contact, at] : rows.clicks) {
      c.prep("INSERT OR IGNORE INTO campaign_clicks (campaign_id, contact_id, at) VALUES (?1, ?2, ?3)")
          .bind(1, m.id)
          .bind(2, contact)
          .bind(3, at)
          .run();
      added += static_cast<std::size_t>(c.changes());
    }
    return added;
  });
}

} // namespace npsd::sqlite
