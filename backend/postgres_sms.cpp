// The PostgreSQL engine's SMS store (sms_store.hpp): the same statements as SQLite's,
// through the engine's writer (group commit) and its pool of readers.
#include "postgres_conn.hpp"
#include "sms_store.hpp"

namespace npsd::pg {

namespace {

class PostgresSms final : public SmsStore {
public:
  PostgresSms(Writer& writer, Pool& readers) : writer_(writer), readers_(readers) {}

  bool open_conversation(const SmsConversation& v) override {
    return writer_.write([v](Conn& c) {
      return c.run(
                  "INSERT INTO sms_conversations (survey_id, phone, idempotency_key, locale, asked_at, "
                  "followup_sid) VALUES ($1, $2, $3, $4, $5, NULL) ON CONFLICT (survey_id, phone) DO UPDATE "
                  "SET idempotency_key = excluded.idempotency_key, locale = excluded.locale, asked_at = "
                  "excluded.asked_at, followup_sid = NULL "
                  "WHERE sms_conversations.idempotency_key <> excluded.idempotency_key",
                  Params().add(v.survey_id).add(v.phone).add(v.idempotency_key).add(v.locale).add(v.asked_at))
                 .affected() > 0;
    });
  }

  std::optional<SmsConversation> conversation(const std::string& survey_id,
                                              const std::string& phone) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT idempotency_key, locale, asked_at, followup_sid FROM sms_conversations "
                    "WHERE survey_id = $1 AND phone = $2",
                    Params().add(survey_id).add(phone));
    if (r.rows() == 0) return std::nullopt;
    return SmsConversation{survey_id, phone, r.text(0, 0), r.text(0, 1), r.i64(0, 2), r.opt_text(0, 3)};
  }

  bool close_conversation(const std::string& survey_id, const std::string& phone,
                          const std::string& sid) override {
    return writer_.write([survey_id, phone, sid](Conn& c) {
      return c.run("UPDATE sms_conversations SET followup_sid = $3 "
                   "WHERE survey_id = $1 AND phone = $2 AND followup_sid IS NULL",
                   Params().add(survey_id).add(phone).add(sid))
                 .affected() > 0;
    });
  }

  bool unsubscribe(const std::string& phone, Millis at) override {
    return writer_.write([phone, at](Conn& c) {
      return c.run("INSERT INTO sms_unsubscribed (phone, at) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING",
                   Params().add(phone).add(at))
                 .affected() > 0;
    });
  }

  bool unsubscribed(const std::string& phone) const override {
    auto c = readers_.lease();
    return c->run("SELECT 1 FROM sms_unsubscribed WHERE phone = $1", Params().add(phone)).rows() > 0;
  }

  std::uint64_t unsubscribed_count() const override {
    auto c = readers_.lease();
    return static_cast<std::uint64_t>(c->run("SELECT count(*) FROM sms_unsubscribed").i64(0, 0));
  }

  std::size_t forget(const std::string& phone) override {
    return writer_.write([phone](Conn& c) {
      return static_cast<std::size_t>(
          c.run("DELETE FROM sms_conversations WHERE phone = $1", Params().add(phone)).affected());
    });
  }

  std::vector<SmsConversation> conversations() const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT survey_id, phone, idempotency_key, locale, asked_at, followup_sid FROM "
                    "sms_conversations ORDER BY survey_id COLLATE \"C\", phone COLLATE \"C\"");
    std::vector<SmsConversation> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.i64(i, 4), r.opt_text(i, 5)});
    return out;
  }

  std::vector<std::pair<std::string, Millis>> opt_outs() const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT phone, at FROM sms_unsubscribed ORDER BY phone COLLATE \"C\"");
    std::vector<std::pair<std::string, Millis>> out;
    for (int i = 0; i < r.rows(); ++i)
      out.emplace_back(r.text(i, 0), r.i64(i, 1));
    return out;
  }

  void put_conversation(const SmsConversation& v) override {
    writer_.write([v](Conn& c) {
      c.run(
          "INSERT INTO sms_conversations (survey_id, phone, idempotency_key, locale, asked_at, followup_sid) "
          "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (survey_id, phone) DO UPDATE SET idempotency_key = "
          "excluded.idempotency_key, locale = excluded.locale, asked_at = excluded.asked_at, followup_sid = "
          "excluded.followup_sid",
          Params()
              .add(v.survey_id)
              .add(v.phone)
              .add(v.idempotency_key)
              .add(v.locale)
              .add(v.asked_at)
              .add(v.followup_sid));
      return true;
    });
  }

private:
  Writer& writer_;
  Pool& readers_;
};

} // namespace

std::unique_ptr<SmsStore> make_sms_store(Writer& writer, Pool& readers) {
  return std::make_unique<PostgresSms>(writer, readers);
}

} // namespace npsd::pg
