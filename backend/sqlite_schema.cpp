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
    // 4 (issue 18): comment search by index. FTS5's trigram tokenizer indexes every
    // three-character sequence of the comments (external content: the text stays in
    // responses), so `comment LIKE '%delivery%'` finds its rows without reading them all.
    R"sql(
CREATE VIRTUAL TABLE responses_fts USING fts5(comment, content='responses', content_rowid='id',
                                             tokenize='trigram');
INSERT INTO responses_fts(responses_fts) VALUES ('rebuild');
CREATE TRIGGER responses_fts_insert AFTER INSERT ON responses BEGIN
  INSERT INTO responses_fts(rowid, comment) VALUES (new.id, new.comment);
END;
CREATE TRIGGER responses_fts_delete AFTER DELETE ON responses BEGIN
  INSERT INTO responses_fts(responses_fts, rowid, comment) VALUES ('delete', old.id, old.comment);
END;
CREATE TRIGGER responses_fts_update AFTER UPDATE OF comment ON responses BEGIN
  INSERT INTO responses_fts(responses_fts, rowid, comment) VALUES ('delete', old.id, old.comment);
  INSERT INTO responses_fts(rowid, comment) VALUES (new.id, new.comment);
END;
)sql",
    // 5 (issue 17): operational data per customer and the stored insight fits
    R"sql(
CREATE TABLE ops_values (
  survey_id TEXT NOT NULL,
  customer TEXT NOT NULL,
  day INTEGER NOT NULL,
  metric TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (survey_id, customer, day, metric)
);
CREATE TABLE insight_fits (
  survey_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  fit TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (survey_id, kind)
);
)sql",
    // 6 (issue 15): webhooks — endpoints, the outbox of events, one delivery per event and endpoint.
    R"sql(
CREATE TABLE webhook_endpoints (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  secret TEXT NOT NULL,
  previous_secret TEXT NOT NULL,
  previous_until INTEGER NOT NULL,
  survey_id TEXT,
  categories TEXT NOT NULL,
  event_types TEXT NOT NULL,
  channels TEXT NOT NULL,
  include_personal INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  disabled_reason TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE webhook_events (
  id INTEGER PRIMARY KEY,
  msg_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  survey_id TEXT NOT NULL,
  category TEXT NOT NULL,
  channel TEXT NOT NULL,
  respondent_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL,
  endpoint_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_at INTEGER NOT NULL,
  locked_until INTEGER NOT NULL,
  last_status INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_events_by_respondent ON webhook_events (respondent_id) WHERE respondent_id <> '';
CREATE INDEX webhook_events_by_time ON webhook_events (created_at);
)sql",
    // 7 (issue 14): e-mail and link surveys: the link secret, each survey's link settings,
    // contacts (matched by lower-case e-mail), suppressions, campaigns and their outbox.
    R"sql(
CREATE TABLE email_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE link_settings (survey_id TEXT PRIMARY KEY, strict INTEGER NOT NULL);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL,
  email_key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT '',
  external_id TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_asked_at INTEGER
);
CREATE TABLE suppressions (email_key TEXT PRIMARY KEY, reason TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  survey_id TEXT NOT NULL,
  name TEXT NOT NULL,
  segment_key TEXT NOT NULL DEFAULT '',
  segment_value TEXT NOT NULL DEFAULT '',
  throttle_days INTEGER NOT NULL,
  daily_limit INTEGER NOT NULL,
  scheduled_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  email TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  first_attempt_at INTEGER,
  sent_at INTEGER,
  last_code INTEGER,
  last_error TEXT,
  UNIQUE (campaign_id, contact_id)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
)sql",
    // 8 (issue 16): comment themes (themes_store.hpp): terms and commenters counted per survey,
    // day and language, and which answers mention which term.
    R"sql(
CREATE TABLE theme_terms (
  survey_id TEXT NOT NULL, term TEXT NOT NULL, day INTEGER NOT NULL, lang TEXT NOT NULL, form TEXT NOT NULL,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0, c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0, c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0, c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, term, day, lang)
) WITHOUT ROWID;
CREATE TABLE theme_comments (
  survey_id TEXT NOT NULL, day INTEGER NOT NULL, lang TEXT NOT NULL,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0, c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0, c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0, c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, day, lang)
) WITHOUT ROWID;
CREATE TABLE theme_responses (
  survey_id TEXT NOT NULL, term TEXT NOT NULL, response_id INTEGER NOT NULL, day INTEGER NOT NULL,
  lang TEXT NOT NULL, score INTEGER NOT NULL,
  PRIMARY KEY (survey_id, term, response_id)
) WITHOUT ROWID;
CREATE INDEX theme_responses_by_response ON theme_responses (response_id);
)sql",
    // 9 (issue 15): SMS replies (conversations awaiting their follow-up, numbers that opted out)
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
    // 10 (issue 14): several senders on one database (each message names the sender that holds
    // it; a sender's heartbeat says it is alive), one reminder per contact (the outbox is one
    // row per campaign, contact and kind), audiences from a CSV, clicks by a person; the language of an
    // e-mail alert endpoint.
    R"sql(
CREATE TABLE outbox_v10 (
  id INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL,
  contact_id INTEGER NOT NULL,
  kind TEXT NOT NULL DEFAULT 'survey',
  email TEXT NOT NULL,
  state TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  first_attempt_at INTEGER,
  sent_at INTEGER,
  last_code INTEGER,
  last_error TEXT,
  UNIQUE (campaign_id, contact_id, kind)
);
INSERT INTO outbox_v10 (id, campaign_id, contact_id, email, state, attempts, next_attempt_at, first_attempt_at,
  sent_at, last_code, last_error)
  SELECT id, campaign_id, contact_id, email, state, attempts, next_attempt_at, first_attempt_at, sent_at,
  last_code, last_error FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v10 RENAME TO outbox;
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, state);
ALTER TABLE campaigns ADD COLUMN reminder_days INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN audience TEXT NOT NULL DEFAULT 'all';
ALTER TABLE campaigns ADD COLUMN finished_at INTEGER;
ALTER TABLE webhook_endpoints ADD COLUMN locale TEXT NOT NULL DEFAULT '';
CREATE TABLE email_senders (owner TEXT PRIMARY KEY, alive_until INTEGER NOT NULL);
CREATE TABLE campaign_members (
  campaign_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, PRIMARY KEY (campaign_id, contact_id)
) WITHOUT ROWID;
CREATE TABLE campaign_clicks (
  campaign_id INTEGER NOT NULL, contact_id INTEGER NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, contact_id)
) WITHOUT ROWID;
)sql",
    // 11 (issue 19): the funnel's counters (funnel_store.hpp): shown and dismissed per survey,
    // day and channel; a count, nothing about who.
    R"sql(
CREATE TABLE funnel_counts (
  survey_id TEXT NOT NULL,
  day INTEGER NOT NULL,
  channel TEXT NOT NULL,
  event TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (survey_id, day, channel, event)
) WITHOUT ROWID;
)sql",
    // 12 (issue 16): the Why page filtered by channel and device: the themes' counts again with
    // the answer's own channel and device (device '' when it named none) before the term in the
    // key; the unfiltered page keeps reading theme_terms and theme_comments. Filled for the
    // comments already counted from theme_responses and the answers' own channel and device.
    R"sql(
CREATE TABLE theme_seg_terms (
  survey_id TEXT NOT NULL, channel TEXT NOT NULL, device TEXT NOT NULL, term TEXT NOT NULL, day INTEGER NOT NULL,
  lang TEXT NOT NULL, form TEXT NOT NULL,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0, c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0, c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0, c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, channel, device, term, day, lang)
) WITHOUT ROWID;
CREATE TABLE theme_seg_comments (
  survey_id TEXT NOT NULL, channel TEXT NOT NULL, device TEXT NOT NULL, day INTEGER NOT NULL, lang TEXT NOT NULL,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0, c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0, c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0, c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, channel, device, day, lang)
) WITHOUT ROWID;
INSERT INTO theme_seg_comments (survey_id, channel, device, day, lang, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT t.survey_id, r.channel, coalesce(r.device, ''), t.day, t.lang, sum(t.score = 0), sum(t.score = 1), sum(t.score = 2), sum(t.score = 3), sum(t.score = 4), sum(t.score = 5), sum(t.score = 6), sum(t.score = 7), sum(t.score = 8), sum(t.score = 9), sum(t.score = 10)
  FROM theme_responses t JOIN responses r ON r.id = t.response_id
  WHERE t.term = ''
  GROUP BY t.survey_id, r.channel, coalesce(r.device, ''), t.day, t.lang;
INSERT INTO theme_seg_terms (survey_id, channel, device, term, day, lang, form, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT t.survey_id, r.channel, coalesce(r.device, ''), t.term, t.day, t.lang, min(w.form), sum(t.score = 0), sum(t.score = 1), sum(t.score = 2), sum(t.score = 3), sum(t.score = 4), sum(t.score = 5), sum(t.score = 6), sum(t.score = 7), sum(t.score = 8), sum(t.score = 9), sum(t.score = 10)
  FROM theme_responses t JOIN responses r ON r.id = t.response_id
  JOIN theme_terms w ON w.survey_id = t.survey_id AND w.term = t.term AND w.day = t.day AND w.lang = t.lang
  WHERE t.term <> ''
  GROUP BY t.survey_id, r.channel, coalesce(r.device, ''), t.term, t.day, t.lang;
)sql", // 13 (issue 18): breakdowns by page and by attribute from per-day tallies (dim_tallies.hpp):
    // the counts per day of each page and attribute value, the keys and values listed (at most
    // 32 keys per survey and 200 values per dimension, the most answered first; the rest of a
    // dimension's values counted under ''), filled from the answers already stored. Attribute
    // values as text exactly as the breakdown reads them from the rows.
    R"sql(
CREATE TABLE dim_keys (
  survey_id TEXT NOT NULL, dim TEXT NOT NULL,
  PRIMARY KEY (survey_id, dim)
) WITHOUT ROWID;
CREATE TABLE dim_values (
  survey_id TEXT NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (survey_id, dim, value)
) WITHOUT ROWID;
CREATE TABLE dim_tallies (
  survey_id TEXT NOT NULL, dim TEXT NOT NULL, day INTEGER NOT NULL, value TEXT NOT NULL,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0, c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0, c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0, c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, dim, day, value)
) WITHOUT ROWID;
CREATE TEMP TABLE dim_fill AS
  SELECT survey_id, dim, day, value, score, count(*) AS n FROM (
    SELECT survey_id, (CASE WHEN received_at >= 0 THEN received_at ELSE received_at - 86399999 END) / 86400000 AS day, score, 'page' AS dim, page AS value
      FROM responses WHERE page IS NOT NULL
    UNION ALL
    SELECT r.survey_id, (CASE WHEN r.received_at >= 0 THEN r.received_at ELSE r.received_at - 86399999 END) / 86400000, r.score, 'attribute:' || j.key,
      CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END
      FROM responses r, json_each(r.attributes) j
      WHERE r.attributes <> '{}' AND j.key <> '' AND length(j.key) <= 64 AND j.key NOT GLOB '*[^A-Za-z0-9_.-]*'
  ) WHERE value IS NOT NULL AND value <> ''
  GROUP BY survey_id, dim, day, value, score;
INSERT INTO dim_keys (survey_id, dim)
  SELECT survey_id, dim FROM (
    SELECT survey_id, dim, row_number() OVER (PARTITION BY survey_id ORDER BY sum(n) DESC, dim) AS rn
    FROM dim_fill WHERE dim <> 'page' GROUP BY survey_id, dim)
  WHERE rn <= 32;
INSERT INTO dim_values (survey_id, dim, value)
  SELECT survey_id, dim, value FROM (
    SELECT f.survey_id, f.dim, f.value, row_number() OVER (PARTITION BY f.survey_id, f.dim ORDER BY sum(f.n) DESC, f.value) AS rn
    FROM dim_fill f
    WHERE f.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = f.survey_id AND k.dim = f.dim)
    GROUP BY f.survey_id, f.dim, f.value)
  WHERE rn <= 200;
INSERT INTO dim_tallies (survey_id, dim, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, f.day, CASE WHEN v.value IS NULL THEN '' ELSE f.value END, sum(f.n * (f.score = 0)), sum(f.n * (f.score = 1)), sum(f.n * (f.score = 2)), sum(f.n * (f.score = 3)), sum(f.n * (f.score = 4)), sum(f.n * (f.score = 5)), sum(f.n * (f.score = 6)), sum(f.n * (f.score = 7)), sum(f.n * (f.score = 8)), sum(f.n * (f.score = 9)), sum(f.n * (f.score = 10))
  FROM dim_fill f LEFT JOIN dim_values v ON v.survey_id = f.survey_id AND v.dim = f.dim AND v.value = f.value
  WHERE f.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = f.survey_id AND k.dim = f.dim)
  GROUP BY 1, 2, 3, 4;
DROP TABLE dim_fill;
)sql",
    // 14 (issue 18): breakdowns by page and by attribute filtered by one segment (channel, device
    // or locale) from per-day tallies (dim_tallies.hpp): the same cells once per segment of the
    // answer, the locales listed (at most 64 per survey, the most answered first), filled from
    // the answers already stored with the keys and values migration 13 listed.
    R"sql(
CREATE TABLE seg_locales (
  survey_id TEXT NOT NULL, locale TEXT NOT NULL,
  PRIMARY KEY (survey_id, locale)
) WITHOUT ROWID;
CREATE TABLE dim_seg_tallies (
  survey_id TEXT NOT NULL, dim TEXT NOT NULL, seg TEXT NOT NULL, day INTEGER NOT NULL, value TEXT NOT NULL,
  c0 INTEGER NOT NULL DEFAULT 0, c1 INTEGER NOT NULL DEFAULT 0, c2 INTEGER NOT NULL DEFAULT 0, c3 INTEGER NOT NULL DEFAULT 0, c4 INTEGER NOT NULL DEFAULT 0, c5 INTEGER NOT NULL DEFAULT 0, c6 INTEGER NOT NULL DEFAULT 0, c7 INTEGER NOT NULL DEFAULT 0, c8 INTEGER NOT NULL DEFAULT 0, c9 INTEGER NOT NULL DEFAULT 0, c10 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, dim, seg, day, value)
) WITHOUT ROWID;
CREATE TEMP TABLE seg_fill AS
  SELECT survey_id, dim, day, value, channel, device, locale, score, count(*) AS n FROM (
    SELECT survey_id, (CASE WHEN received_at >= 0 THEN received_at ELSE received_at - 86399999 END) / 86400000 AS day, score, 'page' AS dim, page AS value, channel, coalesce(device, '') AS device, coalesce(locale, '') AS locale
      FROM responses WHERE page IS NOT NULL
    UNION ALL
    SELECT r.survey_id, (CASE WHEN r.received_at >= 0 THEN r.received_at ELSE r.received_at - 86399999 END) / 86400000, r.score, 'attribute:' || j.key,
      CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END, r.channel, coalesce(r.device, ''), coalesce(r.locale, '')
      FROM responses r, json_each(r.attributes) j
      WHERE r.attributes <> '{}' AND j.key <> '' AND length(j.key) <= 64 AND j.key NOT GLOB '*[^A-Za-z0-9_.-]*'
  ) WHERE value IS NOT NULL AND value <> ''
  GROUP BY survey_id, dim, day, value, channel, device, locale, score;
INSERT INTO seg_locales (survey_id, locale)
  SELECT survey_id, locale FROM (
    SELECT survey_id, locale, row_number() OVER (PARTITION BY survey_id ORDER BY sum(n) DESC, locale) AS rn
    FROM seg_fill WHERE locale <> '' GROUP BY survey_id, locale) x
  WHERE rn <= 64;
DELETE FROM seg_fill WHERE NOT (dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = seg_fill.survey_id AND k.dim = seg_fill.dim));
UPDATE seg_fill SET value = '' WHERE NOT EXISTS (SELECT 1 FROM dim_values v WHERE v.survey_id = seg_fill.survey_id AND v.dim = seg_fill.dim AND v.value = seg_fill.value);
INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, 'channel:' || f.channel, f.day, f.value, sum(f.n * (f.score = 0)), sum(f.n * (f.score = 1)), sum(f.n * (f.score = 2)), sum(f.n * (f.score = 3)), sum(f.n * (f.score = 4)), sum(f.n * (f.score = 5)), sum(f.n * (f.score = 6)), sum(f.n * (f.score = 7)), sum(f.n * (f.score = 8)), sum(f.n * (f.score = 9)), sum(f.n * (f.score = 10))
  FROM seg_fill f GROUP BY f.survey_id, f.dim, f.channel, f.day, f.value;
INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, 'device:' || f.device, f.day, f.value, sum(f.n * (f.score = 0)), sum(f.n * (f.score = 1)), sum(f.n * (f.score = 2)), sum(f.n * (f.score = 3)), sum(f.n * (f.score = 4)), sum(f.n * (f.score = 5)), sum(f.n * (f.score = 6)), sum(f.n * (f.score = 7)), sum(f.n * (f.score = 8)), sum(f.n * (f.score = 9)), sum(f.n * (f.score = 10))
  FROM seg_fill f WHERE f.device <> '' GROUP BY f.survey_id, f.dim, f.device, f.day, f.value;
INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, 'locale:' || f.locale, f.day, f.value, sum(f.n * (f.score = 0)), sum(f.n * (f.score = 1)), sum(f.n * (f.score = 2)), sum(f.n * (f.score = 3)), sum(f.n * (f.score = 4)), sum(f.n * (f.score = 5)), sum(f.n * (f.score = 6)), sum(f.n * (f.score = 7)), sum(f.n * (f.score = 8)), sum(f.n * (f.score = 9)), sum(f.n * (f.score = 10))
  FROM seg_fill f WHERE EXISTS (SELECT 1 FROM seg_locales l WHERE l.survey_id = f.survey_id AND l.locale = f.locale)
  GROUP BY f.survey_id, f.dim, f.locale, f.day, f.value;
DROP TABLE seg_fill;
)sql",
    // 15 (issue 18): the comment index's insert trigger dropped. The code that inserts an answer
    // indexes its comment itself (sqlite_ingest.hpp: index_comment), for a batch of answers once
    // at the end of the batch: the trigger made every insert a statement with a statement
    // journal, which made FTS5 write the previous answer's terms out as a segment of their own.
    // The rows already stored are indexed; the delete and update triggers stay.
    R"sql(
DROP TRIGGER IF EXISTS responses_fts_insert;
)sql",
};

} // namespace

void migrate(Conn& c) {
  std::size_t applied = 0;
  { // finished before the migrations: an open statement would lock the tables they rebuild
    auto st = c.once("PRAGMA user_version");
    st.step();
    applied = static_cast<std::size_t>(st.i64(0));
  }
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
