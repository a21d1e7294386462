// The SQLite engine's schema: the numbered migrations and the code that applies them on
// open. The schema is the engine's own; what it must hold (unique idempotency keys per
// survey, per-day tallies beside the rows) is the contract in storage.hpp, which a
// PostgreSQL engine keeps with its own DDL and the same mechanism (a number of applied
// migrations stored in the database; refuse a database newer than the build).
#include "sqlite_conn.hpp"

#include <iterator>

namespace npsd::sqlite {

namespace {

// Applied in order on open; PRAGMA user_version holds how many have been applied. Never
// edit a shipped migration: append a new one.
constexpr const char* kMigrations[] = {
    // 1: surveys, responses, per-day tallies, tokens.
    R"sql(
CREATE TABLE surveys (
  id TEXT PRIMARY KEY,
  definition TEXT NOT NULL,
  version INTEGER NOT NULL,
  archived INTEGER NOT NULL DEFAULT 0,
  etag TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE responses (
  id INTEGER PRIMARY KEY,
  survey_id TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
  category TEXT NOT NULL,
  comment TEXT,
  answers TEXT NOT NULL DEFAULT '{}',
  channel TEXT NOT NULL,
  locale TEXT,
  device TEXT,
  page TEXT,
  respondent_id TEXT,
  attributes TEXT NOT NULL DEFAULT '{}',
  client_time INTEGER,
  received_at INTEGER NOT NULL,
  UNIQUE (survey_id, idempotency_key)
);
CREATE INDEX responses_by_survey ON responses (survey_id, id);
CREATE INDEX responses_by_respondent ON responses (respondent_id) WHERE respondent_id IS NOT NULL;
CREATE INDEX responses_by_time ON responses (received_at);
CREATE TABLE day_tallies (
  survey_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  channel TEXT NOT NULL,
  locale TEXT NOT NULL,
  device TEXT NOT NULL,
  c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
  c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
  PRIMARY KEY (survey_id, day, channel, locale, device)
) WITHOUT ROWID;
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 2: per-survey, per-day totals over every segment, kept beside day_tallies so the
    // unfiltered summary and trend read one row per day instead of one per segment.
    R"sql(
CREATE TABLE day_totals (
  survey_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
  c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
  c8 INTEGER NOT NULL, c9 INTEGER NOT NULL, c10 INTEGER NOT NULL,
  PRIMARY KEY (survey_id, day)
) WITHOUT ROWID;
INSERT INTO day_totals
  SELECT survey_id, day, sum(c0), sum(c1), sum(c2), sum(c3), sum(c4), sum(c5), sum(c6), sum(c7),
         sum(c8), sum(c9), sum(c10)
  FROM day_tallies GROUP BY survey_id, day;
)sql",
    // 3: users, sessions, follow-up items and their notes.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  hash TEXT PRIMARY KEY,
  user_id INTEGER,
  token_id INTEGER,
  role TEXT NOT NULL,
  email TEXT NOT NULL,
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE follow_ups (
  response_id INTEGER PRIMARY KEY,
  status TEXT NOT NULL,
  assignee_id INTEGER,
  updated_at INTEGER NOT NULL
);
CREATE TABLE follow_up_notes (
  id INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL,
  author TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX follow_up_notes_by_response ON follow_up_notes (response_id, id);
CREATE INDEX responses_by_category ON responses (survey_id, category, id);
)sql",
    // issue 15: SMS replies (conversations awaiting their follow-up, numbers that opted out)
    R"sql(
CREATE TABLE sms_conversations (
  survey_id TEXT NOT NULL,
  phone TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  locale TEXT NOT NULL,
  asked_at INTEGER NOT NULL,
  followup_sid TEXT,
  PRIMARY KEY (survey_id, phone)
);
CREATE INDEX sms_conversations_by_phone ON sms_conversations (phone);
CREATE TABLE sms_unsubscribed (
  phone TEXT PRIMARY KEY,
  at INTEGER NOT NULL
);
)sql",
};

} // namespace

void migrate(Conn& c) {
  auto st = c.prep("PRAGMA user_version");
  st.step();
  const auto applied = static_cast<std::size_t>(st.i64(0));
  const std::size_t known = std::size(kMigrations);
  if (applied > known)
    throw StorageError("the database was written by a newer npsd (schema " + std::to_string(applied) +
                       ", this build knows " + std::to_string(known) + ")");
  for (std::size_t i = applied; i < known; ++i) {
    c.exec("BEGIN IMMEDIATE");
    try {
      c.exec(kMigrations[i]);
      c.exec(("PRAGMA user_version = " + std::to_string(i + 1)).c_str());
      c.exec("COMMIT");
    } catch (...) {
      c.exec("ROLLBACK");
      throw;
    }
  }
}

} // namespace npsd::sqlite
