// The PostgreSQL engine of the storage interface: the same contract as the SQLite engine
// (storage.hpp), on libpq.
//
// Sections: surveys · responses · tallies · tokens, users, sessions · follow-ups · privacy
//
// Writes go through one writer connection doing group commit (postgres_conn.hpp): the
// per-day tally rows of a survey are updated by every answer, and a row lock is held until
// COMMIT, so separate transactions on a pool of writers would queue one behind the other on
// that row, one WAL flush each; one transaction per batch pays one flush and one lock for
// many answers. Reads use a pool of up to 8 connections (READ COMMITTED: each statement
// sees everything committed before it).
//
// Several npsd processes may write to one database. What keeps them exact:
// - idempotency: INSERT … ON CONFLICT (survey_id, idempotency_key) DO NOTHING waits for a
//   concurrent insert of the same key and then yields to it; the original row is returned;
// - the daily cap: a transaction-scoped advisory lock of the survey and day is taken before
//   the count is read, so capped inserts of one survey and day run one after the other;
// - tallies: changed in the answer's transaction by upserts that add to the latest row of the
//   writer's own slot (schema migration 14), so processes never wait on each other's rows.
#include "postgres_storage.hpp"

#include "email_store.hpp"
#include "funnel_store.hpp"
#include "ops_engines.hpp"

#include "postgres_analytics.hpp"
#include "postgres_conn.hpp"
#include "postgres_dim_tallies.hpp"
#include "postgres_ingest.hpp"
#include "postgres_notify.hpp"
#include "postgres_rows.hpp"
#include "postgres_schema.hpp"
#include "postgres_themes.hpp"
#include "postgres_webhooks.hpp"
#include "sms_store.hpp"

#include <algorithm>
#include <limits>

namespace npsd {

namespace {

using pg::Conn;
using pg::Params;

constexpr std::size_t kReaders = 8;

// The migrations run on a connection of their own before the writer and readers start.
std::string migrated(const std::string& url) {
  Conn c(url);
  pg::migrate(c);
  return url;
}

// The count of a day_totals row `t`.
const std::string kTotal = "t.c0 + t.c1 + t.c2 + t.c3 + t.c4 + t.c5 + t.c6 + t.c7 + t.c8 + t.c9 + t.c10";

class PostgresStorage final : public Storage {
public:
  explicit PostgresStorage(const std::string& url)
      : url_(migrated(url)), writer_(url_), readers_(url_, kReaders) {}

  // ---- surveys -------------------------------------------------------------------------

  std::vector<SurveyRecord> surveys() const override {
    auto c = readers_.lease();
    auto r = c->run(
        "SELECT id, definition, version, archived, etag, updated_at FROM surveys ORDER BY id COLLATE \"C\"");
    std::vector<SurveyRecord> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(pg::read_survey(r, i));
    return out;
  }

  std::optional<SurveyRecord> survey(const std::string& id) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT id, definition, version, archived, etag, updated_at FROM surveys WHERE id = $1",
                    Params().add(id));
    if (r.rows() == 0) return std::nullopt;
    return pg::read_survey(r, 0);
  }

  SurveyRecord put_survey(const SurveyRecord& s, Millis now) override {
    return writer_.write([s, now](Conn& c) {
      auto r =
          c.run("INSERT INTO surveys AS s (id, definition, version, archived, etag, created_at, updated_at) "
                "VALUES ($1, $2, 1, $3, $4, $5, $5) "
                "ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, version = s.version + 1, "
                "archived = excluded.archived, etag = excluded.etag, updated_at = excluded.updated_at "
                "RETURNING id, definition, version, archived, etag, updated_at",
                Params().add(s.id).add(s.definition).add(s.archived).add(s.etag).add(now));
      return pg::read_survey(r, 0);
    });
  }

  bool set_archived(const std::string& id, bool archived, Millis now) override {
    return writer_.write([id, archived, now](Conn& c) {
      return c.run("UPDATE surveys SET archived = $2, updated_at = $3 WHERE id = $1",
                   Params().add(id).add(archived).add(now))
                 .affected() > 0;
    });
  }

  // ---- responses -----------------------------------------------------------------------

  InsertOutcome insert_response(const nps::Response& r, Millis received_at,
                                std::uint32_t daily_cap) override {
    // Without a cap, the answer is stored with the others of its batch: one INSERT for all.
    if (daily_cap == 0) return writer_.write_answer(r, received_at);
    return writer_.write([r, received_at, daily_cap](Conn& c) {
      // Capped answers of one survey and day queue on a lock of their own (released with the
      // commit), then read the day's committed count, every writer's slot added up.
      c.run("SELECT pg_advisory_xact_lock(1852861285, hashtext($1 || '/' || $2::text))",
            Params().add(r.survey_id).add(day_of(received_at)));
      auto total =
          c.run("SELECT coalesce(sum(" + kTotal + "), 0) FROM day_totals t WHERE survey_id = $1 AND day = $2",
                Params().add(r.survey_id).add(day_of(received_at)));
      if (total.i64(0, 0) >= static_cast<std::int64_t>(daily_cap)) {
        // A retry of an answer stored before the cap was reached is still a duplicate.
        if (auto existing = pg::find_in(c, r.survey_id, r.idempotency_key))
          return InsertOutcome{Inserted::duplicate, std::move(*existing)};
        return InsertOutcome{Inserted::cap_reached, {}};
      }
      pg::PendingAnswer answer{&r, received_at, {}};
      std::vector<pg::PendingAnswer*> one{&answer};
      pg::insert_answers(c, one);
      return std::move(answer.outcome);
    });
  }

  void insert_response_then(const nps::Response& r, Millis received_at, std::uint32_t daily_cap,
                            InsertDone done) override {
    if (daily_cap == 0) return writer_.write_answer_then(r, received_at, std::move(done));
    Storage::insert_response_then(r, received_at, daily_cap, std::move(done)); // waits, as insert_response
  }

  std::size_t import_responses(const std::vector<std::pair<nps::Response, Millis>>& rows) override {
    return writer_.write([&rows](Conn& c) {
      std::size_t stored = 0;
      c.exec("SET LOCAL npsd.quiet = 'on'"); // not live events (postgres_schema.cpp, migration 2)
      // 1,000 rows to an INSERT: its parameters stay a few hundred KiB.
      constexpr std::size_t kChunk = 1000;
      std::vector<pg::PendingAnswer> answers;
      std::vector<pg::PendingAnswer*> chunk;
      answers.reserve(std::min(rows.size(), kChunk));
      for (std::size_t from = 0; from < rows.size(); from += kChunk) {
        answers.clear();
        chunk.clear();
        for (std::size_t i = from; i < std::min(rows.size(), from + kChunk); ++i)
          answers.push_back({&rows[i].first, rows[i].second, {}});
        for (auto& a : answers)
          chunk.push_back(&a);
        pg::insert_answers(c, chunk, false);
        for (const auto& a : answers)
          if (a.outcome.status == Inserted::created) ++stored;
      }
      c.exec("SET LOCAL npsd.quiet = 'off'"); // answers batched after this job are announced
      return stored;
    });
  }

  std::optional<StoredResponse> update_response(const nps::Response& r) override {
    return writer_.write([r](Conn& c) -> std::optional<StoredResponse> {
      auto old = pg::find_in(c, r.survey_id, r.idempotency_key);
      if (!old) return std::nullopt;
      // Only what a follow-up may change; where and how the answer was given stays.
      nps::Response updated = old->response;
      updated.comment = r.comment;
      updated.answers = r.answers;
      updated.score = r.score;
      c.run("UPDATE responses SET comment = $3, answers = $4, score = $5, category = $6 "
            "WHERE survey_id = $1 AND id = $2",
            Params()
                .add(updated.survey_id)
                .add(old->id)
                .add(updated.comment)
                .add(nps::dump(updated.answers))
                .add(updated.score.value())
                .add(nps::to_string(updated.category())));
      if (updated.score != old->response.score) {
        const auto day = day_of(old->received_at);
        pg::bump_tally(c, old->response, day, -1);
        pg::bump_tally(c, updated, day, +1);
        pg::dims_rescore(c, updated.survey_id, old->id, old->response.score.value()); // issue 18
      }
      pg::themes_forget(c, updated.survey_id, old->id); // issue 16: the comment's terms counted again
      pg::themes_add(c, {{old->id, &updated, old->received_at}});
      StoredResponse out{old->id, updated, old->received_at};
      if (updated != old->response) {
        pg::emit_event_later(c, make_event("response.updated", updated_event_data(out, old->response),
                                           response_tags(updated), system_now()));
        pg::announce_later(c, old->id, updated.survey_id); // every process's live streams
      }
      return out;
    });
  }

  std::optional<StoredResponse> find_response(const std::string& survey_id,
                                              const std::string& key) const override {
    auto c = readers_.lease();
    return pg::find_in(*c, survey_id, key);
  }

  ResponsePage list_responses(const ResponseFilter& f, std::optional<std::int64_t> before,
                              std::size_t limit) const override {
    limit = std::max<std::size_t>(limit, 1);
    Params p;
    p.add(f.survey_id);
    const std::string sql = "SELECT " + pg::response_columns() + " FROM responses WHERE survey_id = $1" +
                            pg::filter_clauses(f, before, p) + " ORDER BY id DESC LIMIT " +
                            std::to_string(limit + 1);
    auto c = readers_.lease();
    auto r = c->once(sql, p);
    ResponsePage page;
    for (int i = 0; i < r.rows(); ++i)
      page.items.push_back(pg::read_response(r, i));
    if (page.items.size() > limit) {
      page.items.pop_back();
      page.next = page.items.back().id;
    }
    return page;
  }

  ResponsePage promoters(const std::string& survey_id, std::optional<std::int64_t> before,
                         std::size_t limit) const override {
    limit = std::clamp<std::size_t>(limit, 1, 1'000'000);
    const std::string sql =
        "SELECT " + pg::response_columns() +
        " FROM responses WHERE survey_id = $1 AND category = 'promoter' AND respondent_id IS "
        "NOT NULL AND id < $2 ORDER BY id DESC LIMIT $3";
    auto c = readers_.lease();
    auto r = c->run(sql, Params()
                             .add(survey_id)
                             .add(before.value_or(std::numeric_limits<std::int64_t>::max()))
                             .add(static_cast<std::int64_t>(limit) + 1));
    ResponsePage page;
    for (int i = 0; i < r.rows(); ++i)
      page.items.push_back(pg::read_response(r, i));
    if (page.items.size() > limit) {
      page.items.pop_back();
      page.next = page.items.back().id;
    }
    return page;
  }

  std::uint64_t count_responses(const std::string& survey_id) const override {
    auto c = readers_.lease();
    return static_cast<std::uint64_t>(
        c->run("SELECT count(*) FROM responses WHERE survey_id = $1", Params().add(survey_id)).i64(0, 0));
  }

  std::optional<std::vector<TallyGroupRow>> dim_groups(const std::string& survey, std::int32_t from,
                                                       std::int32_t to,
                                                       const std::optional<std::string>& attr,
                                                       const DimSegment& seg = {}) const override {
    return pg::dim_groups(*readers_.lease(), survey, from, to, attr, seg); // issue 18
  }

  std::vector<TallyGroupRow> score_groups(const ResponseFilter& f,
                                          const std::optional<std::string>& attribute) const override {
    return pg::score_groups(*readers_.lease(), f, attribute); // postgres_analytics.cpp
  }

  // ---- tallies -------------------------------------------------------------------------

  std::vector<TallyRow> tallies(const std::string& survey_id, std::int32_t from_day,
                                std::int32_t to_day) const override {
    return pg::tallies(*readers_.lease(), survey_id, from_day, to_day);
  }

  std::vector<TallyGroupRow> tally_groups(const TallyQuery& q) const override {
    return pg::tally_groups(*readers_.lease(), q);
  }

  nps::Tally scan_tally(const std::string& survey_id) const override {
    return pg::scan_tally(*readers_.lease(), survey_id);
  }

  // ---- tokens, users, sessions ---------------------------------------------------------

  TokenRecord add_token(const TokenRecord& t) override {
    return writer_.write([t](Conn& c) {
      TokenRecord out = t;
      out.id = c.run("INSERT INTO tokens (hash, role, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                     Params().add(t.hash).add(to_string(t.role)).add(t.name).add(t.created_at))
                   .i64(0, 0);
      return out;
    });
  }

  std::vector<TokenRecord> tokens() const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT id, hash, role, name, created_at FROM tokens ORDER BY id");
    std::vector<TokenRecord> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(pg::read_token(r, i));
    return out;
  }

  bool delete_token(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      const bool deleted = c.run("DELETE FROM tokens WHERE id = $1", Params().add(id)).affected() > 0;
      c.run("DELETE FROM sessions WHERE token_id = $1", Params().add(id));
      return deleted;
    });
  }

  std::optional<UserRecord> add_user(const UserRecord& u) override {
    return writer_.write([u](Conn& c) -> std::optional<UserRecord> {
      // The unique index on the folded e-mail decides, also against another npsd.
      auto r = c.run("INSERT INTO users (email, role, password_hash, created_at) VALUES ($1, $2, $3, $4) "
                     "ON CONFLICT (lower(email COLLATE \"C\")) DO NOTHING RETURNING id",
                     Params().add(u.email).add(to_string(u.role)).add(u.password_hash).add(u.created_at));
      if (r.rows() == 0) return std::nullopt;
      UserRecord out = u;
      out.id = r.i64(0, 0);
      return out;
    });
  }

  std::vector<UserRecord> users() const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT id, email, role, password_hash, created_at FROM users ORDER BY id");
    std::vector<UserRecord> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(pg::read_user(r, i));
    return out;
  }

  std::optional<UserRecord> user_by_email(const std::string& email) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT id, email, role, password_hash, created_at FROM users "
                    "WHERE lower(email COLLATE \"C\") = lower($1 COLLATE \"C\")",
                    Params().add(email));
    if (r.rows() == 0) return std::nullopt;
    return pg::read_user(r, 0);
  }

  bool delete_user(std::int64_t id) override {
    return writer_.write([id](Conn& c) {
      const bool deleted = c.run("DELETE FROM users WHERE id = $1", Params().add(id)).affected() > 0;
      c.run("DELETE FROM sessions WHERE user_id = $1", Params().add(id));
      c.run("UPDATE follow_ups SET assignee_id = NULL WHERE assignee_id = $1", Params().add(id));
      return deleted;
    });
  }

  bool update_user(std::int64_t id, std::optional<Role> role,
                   std::optional<std::string> password_hash) override {
    return writer_.write([id, role, password_hash](Conn& c) {
      if (c.run("SELECT id FROM users WHERE id = $1", Params().add(id)).rows() == 0) return false;
      if (role) {
        c.run("UPDATE users SET role = $2 WHERE id = $1",
              Params().add(id).add(std::string(to_string(*role))));
        c.run("UPDATE sessions SET role = $2 WHERE user_id = $1",
              Params().add(id).add(std::string(to_string(*role))));
      }
      if (password_hash) {
        c.run("UPDATE users SET password_hash = $2 WHERE id = $1", Params().add(id).add(*password_hash));
        c.run("DELETE FROM sessions WHERE user_id = $1", Params().add(id));
      }
      return true;
    });
  }

  void add_session(const SessionRecord& s) override {
    writer_.write([s](Conn& c) {
      // Expired sessions are swept whenever a new one starts.
      c.run("DELETE FROM sessions WHERE expires_at < $1", Params().add(s.created_at));
      c.run("INSERT INTO sessions (hash, user_id, token_id, role, email, csrf, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            Params()
                .add(s.hash)
                .add(s.user_id)
                .add(s.token_id)
                .add(to_string(s.role))
                .add(s.email)
                .add(s.csrf)
                .add(s.created_at)
                .add(s.expires_at));
      return 0;
    });
  }

  std::optional<SessionRecord> session(const std::string& hash) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT hash, user_id, token_id, role, email, csrf, created_at, expires_at FROM sessions "
                    "WHERE hash = $1",
                    Params().add(hash));
    if (r.rows() == 0) return std::nullopt;
    SessionRecord s;
    s.hash = r.text(0, 0);
    s.user_id = r.opt_i64(0, 1);
    s.token_id = r.opt_i64(0, 2);
    s.role = role_from_string(r.text(0, 3)).value_or(Role::viewer);
    s.email = r.text(0, 4);
    s.csrf = r.text(0, 5);
    s.created_at = r.i64(0, 6);
    s.expires_at = r.i64(0, 7);
    return s;
  }

  void delete_session(const std::string& hash) override {
    writer_.write([hash](Conn& c) {
      c.run("DELETE FROM sessions WHERE hash = $1", Params().add(hash));
      return 0;
    });
  }

  // ---- follow-ups ----------------------------------------------------------------------

  std::vector<FollowUp> follow_ups(const FollowUpFilter& f, std::optional<std::int64_t> before,
                                   std::size_t limit) const override {
    auto c = readers_.lease();
    return pg::query_follow_ups(*c, f, std::nullopt, before, limit);
  }

  std::optional<FollowUp> follow_up(const std::string& survey_id, std::int64_t response_id,
                                    bool include_passives) const override {
    auto c = readers_.lease();
    FollowUpFilter f;
    f.survey_id = survey_id;
    f.include_passives = include_passives;
    auto items = pg::query_follow_ups(*c, f, response_id, std::nullopt, 1);
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
      auto items = pg::query_follow_ups(c, f, response_id, std::nullopt, 1);
      if (items.empty()) return std::nullopt;
      const auto& item = items.front();
      const std::string status = ch.status.value_or(item.status);
      const auto assignee = ch.assignee_id ? *ch.assignee_id : item.assignee_id;
      c.run("INSERT INTO follow_ups (survey_id, response_id, status, assignee_id, updated_at) "
            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (survey_id, response_id) DO UPDATE SET "
            "status = excluded.status, assignee_id = excluded.assignee_id, updated_at = excluded.updated_at",
            Params().add(survey_id).add(response_id).add(status).add(assignee).add(now));
      if (ch.note)
        c.run("INSERT INTO follow_up_notes (survey_id, response_id, author, text, created_at) "
              "VALUES ($1, $2, $3, $4, $5)",
              Params().add(survey_id).add(response_id).add(ch.note->author).add(ch.note->text).add(now));
      items = pg::query_follow_ups(c, f, response_id, std::nullopt, 1);
      pg::emit_event(c, make_event("follow_up.changed", follow_up_event_data(items.front()),
                                   response_tags(items.front().response.response), now));
      return std::move(items.front());
    });
  }

  // ---- privacy -------------------------------------------------------------------------

  std::vector<StoredResponse> respondent(const std::string& respondent_id) const override {
    auto c = readers_.lease();
    auto r =
        c->run("SELECT " + pg::response_columns() + " FROM responses WHERE respondent_id = $1 ORDER BY id",
               Params().add(respondent_id));
    std::vector<StoredResponse> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back(pg::read_response(r, i));
    return out;
  }

  // Survey by survey, so that every statement that changes answers names its survey.
  std::size_t delete_respondent(const std::string& respondent_id) override {
    return writer_.write([respondent_id](Conn& c) {
      std::size_t n = 0;
      for (const auto& survey : pg::surveys_with(c, "respondent_id = $1", respondent_id))
        n += pg::delete_in_survey(c, survey, "respondent_id = $2", respondent_id);
      pg::forget_events(c, respondent_id); // issue 15: webhook events hold the answers' details
      return n;
    });
  }

  std::size_t apply_retention(Millis cutoff, RetentionMode mode) override {
    return writer_.write([cutoff, mode](Conn& c) -> std::size_t {
      pg::forget_events_before(c, cutoff); // issue 15
      const auto at = std::to_string(cutoff);
      std::size_t n = 0;
      for (const auto& survey : pg::surveys_with(c, "received_at < $1::bigint", at)) {
        if (mode == RetentionMode::remove) {
          n += pg::delete_in_survey(c, survey, "received_at < $2::bigint", at);
          continue;
        }
        pg::themes_forget_where(c, survey, "received_at < $2::bigint AND comment IS NOT NULL",
                                at); // issue 16
        // Follow-up notes may name the respondent: they go with the answer's details.
        const auto p = Params().add(survey).add(cutoff);
        c.run("DELETE FROM follow_up_notes x USING responses r WHERE x.survey_id = $1 AND r.survey_id = $1 "
              "AND r.id = x.response_id AND r.received_at < $2",
              p);
        c.run("DELETE FROM follow_ups x USING responses r WHERE x.survey_id = $1 AND r.survey_id = $1 "
              "AND r.id = x.response_id AND r.received_at < $2",
              p);
        // issue 18: their pages and attributes leave the tallies (the totals keep them: "none").
        pg::dims_count(c, "survey_id = $1 AND received_at < $2", p, -1, false);
        n += static_cast<std::size_t>(
            c.run("UPDATE responses SET comment = NULL, answers = '{}', respondent_id = NULL, attributes = "
                  "'{}', "
                  "page = NULL WHERE survey_id = $1 AND received_at < $2 AND (comment IS NOT NULL OR "
                  "answers::text <> '{}' OR respondent_id IS NOT NULL OR attributes::text <> '{}' OR page IS "
                  "NOT "
                  "NULL)",
                  p)
                .affected());
      }
      return n;
    });
  }

  std::size_t pending_writes() const override { return writer_.pending(); }
  OpsStore& ops() override { return *ops_; }
  FunnelStore& funnel() override { return *funnel_; }

  bool watch(std::function<void(const Change&)> f) override {
    listener_.reset(); // an empty `f` stops the feed
    if (f) listener_ = std::make_unique<pg::Listener>(url_, std::move(f));
    return true;
  }

  WebhookStore& webhooks() override { return *webhooks_; }
  EmailStore& email() override { return *email_; }
  ThemesStore& themes() override { return *themes_; }
  SmsStore& sms() override { return *sms_; }

private:
  std::string url_;
  pg::Writer writer_;
  mutable pg::Pool readers_;
  std::unique_ptr<OpsStore> ops_ = pg::make_ops(writer_, readers_);
  std::unique_ptr<FunnelStore> funnel_ = pg::make_funnel_store(writer_, readers_);     // issue 19
  std::unique_ptr<WebhookStore> webhooks_ = pg::make_webhook_store(writer_, readers_); // issue 15
  std::unique_ptr<EmailStore> email_ = pg::make_email_store(writer_, readers_);        // issue 14
  std::unique_ptr<ThemesStore> themes_ = pg::themes_store(readers_);                   // issue 16
  std::unique_ptr<SmsStore> sms_ = pg::make_sms_store(writer_, readers_);              // issue 15
  std::unique_ptr<pg::Listener> listener_; // last member: stopped before the others go
};

} // namespace

std::unique_ptr<Storage> open_postgres(const std::string& url) {
  return std::make_unique<PostgresStorage>(url);
}

} // namespace npsd
