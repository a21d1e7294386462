// The PostgreSQL engine's migrations. Never edit a shipped migration: append a new one.
//
// Every table holding answers carries survey_id as the first column of its key, and every
// query on them names the survey, so the schema can later be distributed by survey_id
// (Citus: responses, day_tallies, day_totals, follow_ups and follow_up_notes as distributed
// tables, surveys, tokens, users and sessions as reference tables).
//
// Differences from the SQLite schema, for the same behaviour:
// - answers and attributes are `json` (validated, stored byte for byte as written, read
//   with ->>), not text: the attribute filter and breakdown read them in SQL.
// - users' e-mail is unique by lower(email COLLATE "C"): ASCII case folding, as SQLite's
//   NOCASE does, whatever the database's locale.
// - follow_ups and follow_up_notes carry survey_id (SQLite's key them by response id only).
#include "postgres_schema.hpp"

#include <iterator>

namespace npsd::pg {

namespace {

constexpr const char* kMigrations[] = {
    // 1: everything SQLite's migrations 1 to 3 hold.
    R"sql(
CREATE TABLE surveys (
  id text PRIMARY KEY,
  definition text NOT NULL,
  version bigint NOT NULL,
  archived boolean NOT NULL DEFAULT false,
  etag text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE responses (
  id bigint GENERATED ALWAYS AS IDENTITY,
  survey_id text NOT NULL,
  idempotency_key text NOT NULL,
  score smallint NOT NULL CHECK (score BETWEEN 0 AND 10),
  category text NOT NULL,
  comment text,
  answers json NOT NULL DEFAULT '{}',
  channel text NOT NULL,
  locale text,
  device text,
  page text,
  respondent_id text,
  attributes json NOT NULL DEFAULT '{}',
  client_time bigint,
  received_at bigint NOT NULL,
  PRIMARY KEY (survey_id, id),
  UNIQUE (survey_id, idempotency_key)
);
CREATE INDEX responses_by_respondent ON responses (respondent_id) WHERE respondent_id IS NOT NULL;
CREATE INDEX responses_by_time ON responses (received_at);
CREATE INDEX responses_by_category ON responses (survey_id, category, id);
CREATE TABLE day_tallies (
  survey_id text NOT NULL,
  day integer NOT NULL,
  channel text NOT NULL,
  locale text NOT NULL,
  device text NOT NULL,
  c0 bigint NOT NULL, c1 bigint NOT NULL, c2 bigint NOT NULL, c3 bigint NOT NULL,
  c4 bigint NOT NULL, c5 bigint NOT NULL, c6 bigint NOT NULL, c7 bigint NOT NULL,
  c8 bigint NOT NULL, c9 bigint NOT NULL, c10 bigint NOT NULL,
  PRIMARY KEY (survey_id, day, channel, locale, device)
);
CREATE TABLE day_totals (
  survey_id text NOT NULL,
  day integer NOT NULL,
  c0 bigint NOT NULL, c1 bigint NOT NULL, c2 bigint NOT NULL, c3 bigint NOT NULL,
  c4 bigint NOT NULL, c5 bigint NOT NULL, c6 bigint NOT NULL, c7 bigint NOT NULL,
  c8 bigint NOT NULL, c9 bigint NOT NULL, c10 bigint NOT NULL,
  PRIMARY KEY (survey_id, day)
);
CREATE TABLE tokens (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  role text NOT NULL,
  name text NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  role text NOT NULL,
  password_hash text NOT NULL,
  created_at bigint NOT NULL
);
CREATE UNIQUE INDEX users_by_email ON users (lower(email COLLATE "C"));
CREATE TABLE sessions (
  hash text PRIMARY KEY,
  user_id bigint,
  token_id bigint,
  role text NOT NULL,
  email text NOT NULL,
  csrf text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE TABLE follow_ups (
  survey_id text NOT NULL,
  response_id bigint NOT NULL,
  status text NOT NULL,
  assignee_id bigint,
  updated_at bigint NOT NULL,
  PRIMARY KEY (survey_id, response_id)
);
CREATE TABLE follow_up_notes (
  survey_id text NOT NULL,
  id bigint GENERATED ALWAYS AS IDENTITY,
  response_id bigint NOT NULL,
  author text NOT NULL,
  text text NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (survey_id, id)
);
CREATE INDEX follow_up_notes_by_response ON follow_up_notes (survey_id, response_id, id);
)sql",
    // issue 15: SMS replies (conversations awaiting their follow-up, numbers that opted out)
    R"sql(
CREATE TABLE sms_conversations (
  survey_id text NOT NULL,
  phone text NOT NULL,
  idempotency_key text NOT NULL,
  locale text NOT NULL,
  asked_at bigint NOT NULL,
  followup_sid text,
  PRIMARY KEY (survey_id, phone)
);
CREATE INDEX sms_conversations_by_phone ON sms_conversations (phone);
CREATE TABLE sms_unsubscribed (
  phone text PRIMARY KEY,
  at bigint NOT NULL
);
)sql",
};

// Any constant shared by every npsd: the advisory lock that serialises migrations.
constexpr const char* kLockKey = "7354101883245660218";

} // namespace

void migrate(Conn& c) {
  c.exec("BEGIN");
  try {
    c.run(std::string("SELECT pg_advisory_xact_lock(") + kLockKey + ")");
    c.exec("CREATE TABLE IF NOT EXISTS npsd_schema (version integer NOT NULL)");
    auto r = c.run("SELECT version FROM npsd_schema");
    if (r.rows() == 0) c.exec("INSERT INTO npsd_schema (version) VALUES (0)");
    const auto applied = static_cast<std::size_t>(r.rows() ? r.i64(0, 0) : 0);
    const std::size_t known = std::size(kMigrations);
    if (applied > known)
      throw StorageError("the database was written by a newer npsd (schema " + std::to_string(applied) +
                         ", this build knows " + std::to_string(known) + ")");
    // DDL is transactional in PostgreSQL: the migrations and the new version commit together.
    for (std::size_t i = applied; i < known; ++i)
      c.exec(kMigrations[i]);
    c.run("UPDATE npsd_schema SET version = $1", Params().add(static_cast<std::int64_t>(known)));
    c.exec("COMMIT");
  } catch (...) {
    try {
      c.exec("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
}

} // namespace npsd::pg
