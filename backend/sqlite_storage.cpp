// The SQLite engine of the storage interface: the Storage operations, each as one write
// job for the writer (sqlite_writer.hpp) or one read on a pooled read connection.
//
// The engine's other files: sqlite_conn (statements, connections, the read pool),
// sqlite_schema (migrations), sqlite_writer (group commit with SQLite's transactions),
// sqlite_rows (row readers, filters as SQL, statements shared by several operations).
// What is not SQLite's (role names, the batching of waiting writers) is in storage.cpp and
// storage_group_commit.hpp, for the PostgreSQL engine to share.
//
// Sections (in SqliteStorage): surveys · responses · tallies · tokens, users, sessions ·
// follow-ups · privacy
#include "email_store.hpp"
#include "funnel_store.hpp"
#include "ops_engines.hpp"
#include "sms_store.hpp"
#include "sqlite_dim_tallies.hpp"
#include "sqlite_rows.hpp"
#include "sqlite_themes.hpp"
#include "sqlite_webhooks.hpp"
#include "sqlite_writer.hpp"
#include "storage.hpp"
#include "tally_sql.hpp"

#include "nps/json.hpp"

#include <algorithm>
#include <limits>

namespace npsd {

namespace sqlite {

namespace {

class SqliteStorage final : public Storage {
public:
  explicit SqliteStorage(const std::string& path) : writer_(path), readers_(path) {}

  // ---- surveys --------------------------------------------------------------------------

  std::vector<SurveyRecord> surveys() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT id, definition, version, archived, etag, updated_at FROM surveys ORDER BY id");
    std::vector<SurveyRecord> out;
    while (st.step())
      out.push_back(read_survey(st));
    return out;
  }

  std::optional<SurveyRecord> survey(const std::string& id) const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT id, definition, version, archived, etag, updated_at FROM surveys WHERE id = ?1");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    return read_survey(st);
  }

  SurveyRecord put_survey(const SurveyRecord& s, Millis now) override {
    return writer_.write([s, now](Conn& c) {
      c.prep("INSERT INTO surveys (id, definition, version, archived, etag, created_at, updated_at) "
             "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?5) "
             "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, version = version + 1, "
             "archived = excluded.archived, etag = excluded.etag, updated_at = excluded.updated_at")
          .bind(1, s.id)
          .bind(2, s.definition)
          .bind(3, s.archived ? 1 : 0)
          .bind(4, s.etag)
          .bind(5, now)
          .run();
      auto st =
          c.prep("SELECT id, definition, version, archived, etag, updated_at FROM surveys WHERE id = ?1");
      st.bind(1, s.id);
      st.step();
      return read_survey(st);
    });
  }

  bool set_archived(const std::string& id, bool archived, Millis now) override {
    return writer_.write([id, archived, now](Conn& c) {
      c.prep("UPDATE surveys SET archived = ?2, updated_at = ?3 WHERE id = ?1")
          .bind(1, id)
          .bind(2, archived ? 1 : 0)
          .bind(3, now)
          .run();
      return c.changes() > 0;
    });
  }

  // ---- responses ------------------------------------------------------------------------

  InsertOutcome insert_response(const nps::Response& r, Millis received_at,
                                std::uint32_t daily_cap) override {
    // Insert first, look up only on a conflict; the counts fold per batch (sqlite_ingest.hpp).
    return writer_.write_folding(
        [r, received_at, daily_cap](Conn& c) { return insert_one(c, r, received_at, daily_cap); });
  }

  void insert_response_then(const nps::Response& r, Millis received_at, std::uint32_t daily_cap,
                            InsertDone done) override {
    writer_.submit_folding(
        [r, received_at, daily_cap](Conn& c) { return insert_one(c, r, received_at, daily_cap); },
        std::move(done));
  }

  static InsertOutcome insert_one(Conn& c, const nps::Response& r, Millis received_at,
                                  std::uint32_t daily_cap) {
    const auto day = day_of(received_at);
    if (daily_cap > 0 && day_count(c, r.survey_id, day) >= static_cast<std::int64_t>(daily_cap)) {
      // A retry of an answer stored before the cap was reached is still a duplicate.
      if (auto existing = find_in(c, r.survey_id, r.idempotency_key))
        return InsertOutcome{Inserted::duplicate, std::move(*existing)};
      return InsertOutcome{Inserted::cap_reached, {}};
    }
    auto stored = insert_if_new(c, r, received_at, day);
    if (!stored) {
      if (auto existing = find_in(c, r.survey_id, r.idempotency_key))
        return InsertOutcome{Inserted::duplicate, std::move(*existing)};
      throw StorageError("sqlite: the answer with key " + r.idempotency_key +
                         " conflicted but is not stored");
    }
    emit_event(c, "response.created", response_tags(r), received_at,
               [&stored] { return response_event_data(*stored); });
    return InsertOutcome{Inserted::created, std::move(*stored)};
  }

  std::size_t import_responses(const std::vector<std::pair<nps::Response, Millis>>& rows) override {
    return writer_.write_folding([&rows](Conn& c) {
      std::size_t stored = 0;
      for (const auto& [r, received_at] : rows)
        if (insert_if_new(c, r, received_at, day_of(received_at))) ++stored;
      return stored;
    });
  }

  std::optional<StoredResponse> update_response(const nps::Response& r) override {
    return writer_.write([r](Conn& c) -> std::optional<StoredResponse> {
      auto old = find_in(c, r.survey_id, r.idempotency_key);
      if (!old) return std::nullopt;
      // Only what a follow-up may change; where and how the answer was given stays.
      nps::Response updated = old->response;
      updated.comment = r.comment;
      updated.answers = r.answers;
      updated.score = r.score;
      c.prep("UPDATE responses SET comment = ?2, answers = ?3, score = ?4, category = ?5 WHERE id = ?1")
          .bind(1, old->id)
          .bind(2, updated.comment)
          .bind(3, nps::dump(updated.answers))
          .bind(4, updated.score.value())
          .bind(5, nps::to_string(updated.category()))
          .run();
      if (updated.score != old->response.score) {
        const auto day = day_of(old->received_at);
        bump_tally(c, old->response, day, -1);
        bump_tally(c, updated, day, +1);
        dims_rescore(c, old->id, old->response.score.value()); // issue 18
      }
      themes_forget(c, old->id); // issue 16: the comment's terms counted again
      themes_add(c, old->id, updated, old->received_at);
      StoredResponse out{old->id, updated, old->received_at};
      if (updated != old->response)
        emit_event(c, make_event("response.updated", updated_event_data(out, old->response),
                                 response_tags(updated), system_now()));
      return out;
    });
  }

  std::optional<StoredResponse> find_response(const std::string& survey_id,
                                              const std::string& key) const override {
    auto c = readers_.lease();
    return find_in(*c, survey_id, key);
  }

  ResponsePage list_responses(const ResponseFilter& f, std::optional<std::int64_t> before,
                              std::size_t limit) const override {
    limit = std::max<std::size_t>(limit, 1);
    std::vector<Binder> binds;
    const std::string where = response_where(f, before, binds);
    std::string from = " FROM responses", order = " ORDER BY id DESC";
    if (f.text && comment_index_serves(*f.text)) {
      // The comment index (migration 4, sqlite_schema.cpp) walked newest first, then the rows it names.
      from = " FROM (SELECT rowid AS fts_id FROM responses_fts WHERE responses_fts.comment LIKE ?" +
             std::to_string(binds.size() + 2) + ") AS m CROSS JOIN responses ON responses.id = m.fts_id";
      binds.push_back([v = "%" + *f.text + "%"](Stmt& s, int i) { s.bind(i, v); });
      order = " ORDER BY m.fts_id DESC";
    }
    std::string sql = std::string("SELECT ") + kResponseColumns + from + " WHERE survey_id = ?1" + where +
                      order + " LIMIT " + std::to_string(limit + 1);
    auto c = readers_.lease();
    auto st = c->once(sql);
    st.bind(1, f.survey_id);
    for (std::size_t i = 0; i < binds.size(); ++i)
      binds[i](st, static_cast<int>(i + 2));
    ResponsePage page;
    while (st.step())
      page.items.push_back(read_response(st));
    if (page.items.size() > limit) {
      page.items.pop_back();
      page.next = page.items.back().id;
    }
    return page;
  }

  ResponsePage promoters(const std::string& survey_id, std::optional<std::int64_t> before,
                         std::size_t limit) const override {
    limit = std::clamp<std::size_t>(limit, 1, 1'000'000);
    auto c = readers_.lease();
    // One fixed statement (cached), on the index by (survey_id, category, id).
    auto st =
        c->prep(std::string("SELECT ") + kResponseColumns +
                " FROM responses WHERE survey_id = ?1 AND category = 'promoter' AND respondent_id IS NOT "
                "NULL AND id < ?2 ORDER BY id DESC LIMIT ?3");
    st.bind(1, survey_id)
        .bind(2, before.value_or(std::numeric_limits<std::int64_t>::max()))
        .bind(3, static_cast<std::int64_t>(limit) + 1);
    ResponsePage page;
    while (st.step())
      page.items.push_back(read_response(st));
    if (page.items.size() > limit) {
      page.items.pop_back();
      page.next = page.items.back().id;
    }
    return page;
  }

  std::vector<TallyGroupRow> score_groups(const ResponseFilter& f,
                                          const std::optional<std::string>& attribute) const override {
    std::vector<Binder> binds;
    std::string key = "coalesce(page, '')";
    if (attribute) {
      const std::string p = "?" + std::to_string(binds.size() + 2);
      binds.push_back([k = "$.\"" + *attribute + "\""](Stmt& s, int i) { s.bind(i, k); });
      key = "coalesce(" + attribute_text(p) + ", '')";
    }
    const std::string sql = "SELECT " + key + ", score, count(*) FROM responses WHERE survey_id = ?1" +
                            response_where(f, std::nullopt, binds) + " GROUP BY 1, 2 ORDER BY 1";
    auto c = readers_.lease();
    auto st = c->once(sql);
    st.bind(1, f.survey_id);
    for (std::size_t i = 0; i < binds.size(); ++i)
      binds[i](st, static_cast<int>(i + 2));
    std::vector<TallyGroupRow> out;
    while (st.step()) {
      auto k = st.text(0);
      if (out.empty() || out.back().key != k) out.push_back(TallyGroupRow{k, 0, {}});
      out.back().tally.add(nps::Score::from_int(st.i64(1)).value(), static_cast<std::uint64_t>(st.i64(2)));
    }
    return out;
  }

  std::optional<std::vector<TallyGroupRow>> dim_groups(const std::string& survey, std::int32_t from,
                                                       std::int32_t to,
                                                       const std::optional<std::string>& attr,
                                                       const DimSegment& seg = {}) const override {
    return sqlite::dim_groups(*readers_.lease(), survey, from, to, attr, seg); // issue 18
  }

  std::uint64_t count_responses(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT count(*) FROM responses WHERE survey_id = ?1");
    st.bind(1, survey_id);
    st.step();
    return static_cast<std::uint64_t>(st.i64(0));
  }

  // ---- tallies --------------------------------------------------------------------------

  std::vector<TallyRow> tallies(const std::string& survey_id, std::int32_t from_day,
                                std::int32_t to_day) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT day, channel, locale, device, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10 "
                      "FROM day_tallies WHERE survey_id = ?1 AND day BETWEEN ?2 AND ?3");
    st.bind(1, survey_id).bind(2, from_day).bind(3, to_day);
    std::vector<TallyRow> out;
    while (st.step()) {
      TallyRow row;
      row.day = static_cast<std::int32_t>(st.i64(0));
      row.channel = st.text(1);
      row.locale = st.text(2);
      row.device = st.text(3);
      for (int s = 0; s <= 10; ++s) {
        const auto n = st.i64(4 + s);
        if (n > 0) row.tally.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  std::vector<TallyGroupRow> tally_groups(const TallyQuery& q) const override {
    const char* key = tally_group_column(q.group);
    std::string sql =
        std::string("SELECT ") + key +
        ", sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7), sum(c8), sum(c9), "
        "sum(c10) FROM " +
        tally_table(q) + " WHERE survey_id = ?1 AND day BETWEEN ?2 AND ?3";
    if (q.channel) sql += " AND channel = ?4";
    if (q.locale) sql += " AND locale = ?5";
    if (q.device) sql += " AND device = ?6";
    if (q.group != TallyGroup::all) sql += std::string(" GROUP BY ") + key + " ORDER BY " + key;
    auto c = readers_.lease();
    auto st = c->prep(sql);
    st.bind(1, q.survey_id).bind(2, q.from_day).bind(3, q.to_day);
    if (q.channel) st.bind(4, *q.channel);
    if (q.locale) st.bind(5, *q.locale);
    if (q.device) st.bind(6, *q.device);
    std::vector<TallyGroupRow> out;
    while (st.step()) {
      TallyGroupRow row;
      if (q.group == TallyGroup::day)
        row.day = static_cast<std::int32_t>(st.i64(0));
      else
        row.key = st.text(0);
      for (int s = 0; s <= 10; ++s)
        if (const auto n = st.i64(1 + s); n > 0)
          row.tally.add(nps::Score::from_int(s).value(), static_cast<std::uint64_t>(n));
      if (q.group == TallyGroup::all && row.tally.n() == 0) continue; // no rows: sum() gives NULLs
      out.push_back(std::move(row));
    }
    return out;
  }

  nps::Tally scan_tally(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT score, count(*) FROM responses WHERE survey_id = ?1 GROUP BY score");
    st.bind(1, survey_id);
    nps::Tally t;
    while (st.step())
      t.add(nps::Score::from_int(st.i64(0)).value(), static_cast<std::uint64_t>(st.i64(1)));
    return t;
  }

  // ---- tokens, users, sessions ----------------------------------------------------------

  TokenRecord add_token(const TokenRecord& t) override {
    return writer_.write([t](Conn& c) {
      c.prep("INSERT INTO tokens (hash, role, name, created_at) VALUES (?1, ?2, ?3, ?4)")
          .bind(1, t.hash)
          .bind(2, to_string(t.role))
          .bind(3, t.name)
          .bind(4, t.created_at)
          .run();
      TokenRecord out = t;
      out.id = c.last_id();
      return out;
    });
  }

  std::vector<TokenRecord> tokens() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT id, hash, role, name, created_at FROM tokens ORDER BY id");
    std::vector<TokenRecord> out;
    while (st.step())
      out.push_back(read_token(st));
    return out;
  }

  bool delete_token(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      c.prep("DELETE FROM tokens WHERE id = ?1").bind(1, id).run();
      const bool deleted = c.changes() > 0;
      c.prep("DELETE FROM sessions WHERE token_id = ?1").bind(1, id).run();
      return deleted;
    });
  }

  std::optional<UserRecord> add_user(const UserRecord& u) override {
    return writer_.write([u](Conn& c) -> std::optional<UserRecord> {
      auto st = c.prep("SELECT id FROM users WHERE email = ?1");
      st.bind(1, u.email);
      if (st.step()) return std::nullopt;
      c.prep("INSERT INTO users (email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)")
          .bind(1, u.email)
          .bind(2, to_string(u.role))
          .bind(3, u.password_hash)
          .bind(4, u.created_at)
          .run();
      UserRecord out = u;
      out.id = c.last_id();
      return out;
    });
  }

  std::vector<UserRecord> users() const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT id, email, role, password_hash, created_at FROM users ORDER BY id");
    std::vector<UserRecord> out;
    while (st.step())
      out.push_back(read_user(st));
    return out;
  }

  std::optional<UserRecord> user_by_email(const std::string& email) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT id, email, role, password_hash, created_at FROM users WHERE email = ?1");
    st.bind(1, email);
    if (!st.step()) return std::nullopt;
    return read_user(st);
  }

  bool delete_user(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      c.prep("DELETE FROM users WHERE id = ?1").bind(1, id).run();
      const bool deleted = c.changes() > 0;
      c.prep("DELETE FROM sessions WHERE user_id = ?1").bind(1, id).run();
      c.prep("UPDATE follow_ups SET assignee_id = NULL WHERE assignee_id = ?1").bind(1, id).run();
      return deleted;
    });
  }

  bool update_user(std::int64_t id, std::optional<Role> role,
                   std::optional<std::string> password_hash) override {
    return writer_.write([id, role, password_hash](Conn& c) {
      auto st = c.prep("SELECT id FROM users WHERE id = ?1");
      st.bind(1, id);
      if (!st.step()) return false;
      if (role) {
        c.prep("UPDATE users SET role = ?2 WHERE id = ?1").bind(1, id).bind(2, to_string(*role)).run();
        c.prep("UPDATE sessions SET role = ?2 WHERE user_id = ?1")
            .bind(1, id)
            .bind(2, to_string(*role))
            .run();
      }
      if (password_hash) {
        c.prep("UPDATE users SET password_hash = ?2 WHERE id = ?1").bind(1, id).bind(2, *password_hash).run();
        c.prep("DELETE FROM sessions WHERE user_id = ?1").bind(1, id).run();
      }
      return true;
    });
  }

  void add_session(const SessionRecord& s) override {
    writer_.write([s](Conn& c) {
      // Expired sessions are swept whenever a new one starts.
      c.prep("DELETE FROM sessions WHERE expires_at < ?1").bind(1, s.created_at).run();
      c.prep("INSERT INTO sessions (hash, user_id, token_id, role, email, csrf, created_at, expires_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
          .bind(1, s.hash)
          .bind(2, s.user_id)
          .bind(3, s.token_id)
          .bind(4, to_string(s.role))
          .bind(5, s.email)
          .bind(6, s.csrf)
          .bind(7, s.created_at)
          .bind(8, s.expires_at)
          .run();
      return 0;
    });
  }

  std::optional<SessionRecord> session(const std::string& hash) const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT hash, user_id, token_id, role, email, csrf, created_at, expires_at FROM sessions "
                "WHERE hash = ?1");
    st.bind(1, hash);
    if (!st.step()) return std::nullopt;
    return read_session(st);
  }

  void delete_session(const std::string& hash) override {
    writer_.write([hash](Conn& c) {
      c.prep("DELETE FROM sessions WHERE hash = ?1").bind(1, hash).run();
      return 0;
    });
  }

  // ---- follow-ups -----------------------------------------------------------------------

  std::vector<FollowUp> follow_ups(const FollowUpFilter& f, std::optional<std::int64_t> before,
                                   std::size_t limit) const override {
    auto c = readers_.lease();
    return query_follow_ups(*c, f, std::nullopt, before, limit);
  }

  std::optional<FollowUp> follow_up(const std::string& survey_id, std::int64_t response_id,
                                    bool include_passives) const override {
    auto c = readers_.lease();
    FollowUpFilter f;
    f.survey_id = survey_id;
    f.include_passives = include_passives;
    auto items = query_follow_ups(*c, f, response_id, std::nullopt, 1);
    if (items.empty()) return std::nullopt;
    return std::move(items.front());
  }

  std::optional<FollowUp> change_follow_up(const std::string& survey_id, std::int64_t response_id,
                                           bool include_passives, const FollowUpChange& ch,
                                           Millis now) override {
    return writer_.write([=](Conn& c) -> std::optional<FollowUp> {
      FollowUpFilter f;
      f.survey_id = survey_id;
      f.include_passives = include_passives;
      auto items = query_follow_ups(c, f, response_id, std::nullopt, 1);
      if (items.empty()) return std::nullopt;
      auto item = std::move(items.front());
      const std::string status = ch.status.value_or(item.status);
      const auto assignee = ch.assignee_id ? *ch.assignee_id : item.assignee_id;
      c.prep("INSERT INTO follow_ups (response_id, status, assignee_id, updated_at) VALUES (?1, ?2, ?3, ?4) "
             "ON CONFLICT (response_id) DO UPDATE SET status = excluded.status, assignee_id = "
             "excluded.assignee_id, "
             "updated_at = excluded.updated_at")
          .bind(1, response_id)
          .bind(2, status)
          .bind(3, assignee)
          .bind(4, now)
          .run();
      if (ch.note)
        c.prep("INSERT INTO follow_up_notes (response_id, author, text, created_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(1, response_id)
            .bind(2, ch.note->author)
            .bind(3, ch.note->text)
            .bind(4, now)
            .run();
      items = query_follow_ups(c, f, response_id, std::nullopt, 1);
      emit_event(c, make_event("follow_up.changed", follow_up_event_data(items.front()),
                               response_tags(items.front().response.response), now));
      return std::move(items.front());
    });
  }

  // ---- privacy --------------------------------------------------------------------------

  std::vector<StoredResponse> respondent(const std::string& respondent_id) const override {
    auto c = readers_.lease();
    auto st = c->prep(std::string("SELECT ") + kResponseColumns +
                      " FROM responses WHERE respondent_id = ?1 ORDER BY id");
    st.bind(1, respondent_id);
    std::vector<StoredResponse> out;
    while (st.step())
      out.push_back(read_response(st));
    return out;
  }

  std::size_t delete_respondent(const std::string& respondent_id) override {
    return writer_.write([respondent_id](Conn& c) {
      forget_events(c, respondent_id); // issue 15: webhook events hold the answers' details
      return delete_where(c, "respondent_id = ?1", [&](Stmt& s) { s.bind(1, respondent_id); });
    });
  }

  std::size_t apply_retention(Millis cutoff, RetentionMode mode) override {
    return writer_.write([cutoff, mode](Conn& c) -> std::size_t {
      forget_events_before(c, cutoff); // issue 15
      if (mode == RetentionMode::remove)
        return delete_where(c, "received_at < ?1", [&](Stmt& s) { s.bind(1, cutoff); });
      themes_forget_where(c, "received_at < ?1 AND comment IS NOT NULL", cutoff); // issue 16
      // Follow-up notes may name the respondent: they go with the answer's details.
      c.prep("DELETE FROM follow_up_notes WHERE response_id IN (SELECT id FROM responses WHERE received_at < "
             "?1)")
          .bind(1, cutoff)
          .run();
      c.prep("DELETE FROM follow_ups WHERE response_id IN (SELECT id FROM responses WHERE received_at < ?1)")
          .bind(1, cutoff)
          .run();
      // issue 18: their pages and attributes leave the tallies (the totals keep them: "none").
      dims_count(
          c, "received_at < ?1", [cutoff](Stmt& s) { s.bind(1, cutoff); }, -1, false);
      c.prep("UPDATE responses SET comment = NULL, answers = '{}', respondent_id = NULL, attributes = '{}', "
             "page = NULL WHERE received_at < ?1 AND (comment IS NOT NULL OR answers != '{}' OR "
             "respondent_id IS NOT NULL OR attributes != '{}' OR page IS NOT NULL)")
          .bind(1, cutoff)
          .run();
      return static_cast<std::size_t>(c.changes());
    });
  }

  std::size_t pending_writes() const override { return writer_.pending(); }
  OpsStore& ops() override { return *ops_; }
  FunnelStore& funnel() override { return *funnel_; }

  WebhookStore& webhooks() override { return *webhooks_; }
  EmailStore& email() override { return *email_; }
  ThemesStore& themes() override { return *themes_; }
  SmsStore& sms() override { return *sms_; }

private:
  Writer writer_; // created first: opens the file, sets WAL and migrates before any reader
  ReadPool readers_;
  std::unique_ptr<OpsStore> ops_ = make_ops(writer_, readers_);
  std::unique_ptr<FunnelStore> funnel_ = make_funnel_store(writer_, readers_);     // issue 19
  std::unique_ptr<WebhookStore> webhooks_ = make_webhook_store(writer_, readers_); // issue 15
  std::unique_ptr<EmailStore> email_ = make_email_store(writer_, readers_);
  std::unique_ptr<ThemesStore> themes_ = themes_store(readers_);
  std::unique_ptr<SmsStore> sms_ = make_sms_store(writer_, readers_); // issue 15
};

} // namespace

} // namespace sqlite

std::unique_ptr<Storage> open_sqlite(const std::string& path) {
  return std::make_unique<sqlite::SqliteStorage>(path);
}

} // namespace npsd
