// The SQLite engine's SMS store (sms_store.hpp): conversations and opt-outs, written by the
// engine's one writer (group commit), read on pooled read connections.
#include "sms_store.hpp"
#include "sqlite_writer.hpp"

namespace npsd::sqlite {

namespace {

class SqliteSms final : public SmsStore {
public:
  SqliteSms(Writer& writer, const ReadPool& readers) : writer_(writer), readers_(readers) {}

  bool open_conversation(const SmsConversation& v) override {
    return writer_.write([v](Conn& c) {
      c.prep("INSERT INTO sms_conversations (survey_id, phone, idempotency_key, locale, asked_at, "
             "followup_sid) "
             "VALUES (?1, ?2, ?3, ?4, ?5, NULL) ON CONFLICT (survey_id, phone) DO UPDATE SET "
             "idempotency_key = excluded.idempotency_key, locale = excluded.locale, asked_at = "
             "excluded.asked_at, followup_sid = NULL "
             "WHERE sms_conversations.idempotency_key <> excluded.idempotency_key")
          .bind(1, v.survey_id)
          .bind(2, v.phone)
          .bind(3, v.idempotency_key)
          .bind(4, v.locale)
          .bind(5, v.asked_at)
          .run();
      return c.changes() > 0;
    });
  }

  std::optional<SmsConversation> conversation(const std::string& survey_id,
                                              const std::string& phone) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT idempotency_key, locale, asked_at, followup_sid FROM sms_conversations "
                      "WHERE survey_id = ?1 AND phone = ?2");
    st.bind(1, survey_id).bind(2, phone);
    if (!st.step()) return std::nullopt;
    return SmsConversation{survey_id, phone, st.text(0), st.text(1), st.i64(2), st.opt_text(3)};
  }

  bool close_conversation(const std::string& survey_id, const std::string& phone,
                          const std::string& sid) override {
    return writer_.write([survey_id, phone, sid](Conn& c) {
      c.prep("UPDATE sms_conversations SET followup_sid = ?3 "
             "WHERE survey_id = ?1 AND phone = ?2 AND followup_sid IS NULL")
          .bind(1, survey_id)
          .bind(2, phone)
          .bind(3, sid)
          .run();
      return c.changes() > 0;
    });
  }

  bool unsubscribe(const std::string& phone, Millis at) override {
    return writer_.write([phone, at](Conn& c) {
      c.prep("INSERT INTO sms_unsubscribed (phone, at) VALUES (?1, ?2) ON CONFLICT (phone) DO NOTHING")
          .bind(1, phone)
          .bind(2, at)
          .run();
      return c.changes() > 0;
    });
  }

  bool unsubscribed(const std::string& phone) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT 1 FROM sms_unsubscribed WHERE phone = ?1");
    st.bind(1, phone);
    return st.step();
  }

  std::uint64_t unsubscribed_count() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT count(*) FROM sms_unsubscribed");
    st.step();
    return static_cast<std::uint64_t>(st.i64(0));
  }

  std::size_t forget(const std::string& phone) override {
    return writer_.write([phone](Conn& c) {
      c.prep("DELETE FROM sms_conversations WHERE phone = ?1").bind(1, phone).run();
      return static_cast<std::size_t>(c.changes());
    });
  }

  std::vector<SmsConversation> conversations() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT survey_id, phone, idempotency_key, locale, asked_at, followup_sid FROM "
                      "sms_conversations ORDER BY survey_id, phone");
    std::vector<SmsConversation> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.i64(4), st.opt_text(5)});
    return out;
  }

  std::vector<std::pair<std::string, Millis>> opt_outs() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT phone, at FROM sms_unsubscribed ORDER BY phone");
    std::vector<std::pair<std::string, Millis>> out;
    while (st.step())
      out.emplace_back(st.text(0), st.i64(1));
    return out;
  }

  void put_conversation(const SmsConversation& v) override {
    writer_.write([v](Conn& c) {
      c.prep(
           "INSERT INTO sms_conversations (survey_id, phone, idempotency_key, locale, asked_at, "
           "followup_sid) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (survey_id, phone) DO UPDATE SET idempotency_key = "
           "excluded.idempotency_key, locale = excluded.locale, asked_at = excluded.asked_at, followup_sid = "
           "excluded.followup_sid")
          .bind(1, v.survey_id)
          .bind(2, v.phone)
          .bind(3, v.idempotency_key)
          .bind(4, v.locale)
          .bind(5, v.asked_at)
          .bind(6, v.followup_sid)
          .run();
      return true;
    });
  }

private:
  Writer& writer_;
  const ReadPool& readers_;
};

} // namespace

std::unique_ptr<SmsStore> make_sms_store(Writer& writer, const ReadPool& readers) {
  return std::make_unique<SqliteSms>(writer, readers);
}

} // namespace npsd::sqlite
