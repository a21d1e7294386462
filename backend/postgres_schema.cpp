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
    // 2 (issue 18): the change feed that keeps several npsd in step (postgres_notify.*).
    // NOTIFY is delivered on commit, once per distinct payload per transaction. Imports set
    // npsd.quiet for their own statements: a million imported rows are not live events.
    R"sql(
CREATE FUNCTION npsd_notify_survey() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('npsd_changes', 's ' || NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER surveys_notify AFTER INSERT OR UPDATE ON surveys
  FOR EACH ROW EXECUTE FUNCTION npsd_notify_survey();
CREATE FUNCTION npsd_notify_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('npsd.quiet', true), '') <> 'on' THEN
    PERFORM pg_notify('npsd_changes', 'r ' || NEW.id || ' ' || NEW.survey_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER responses_notify AFTER INSERT ON responses
  FOR EACH ROW EXECUTE FUNCTION npsd_notify_response();
CREATE FUNCTION npsd_notify_tokens() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('npsd_changes', 't');
  RETURN NULL;
END $$;
CREATE TRIGGER tokens_notify AFTER INSERT OR UPDATE OR DELETE ON tokens
  FOR EACH STATEMENT EXECUTE FUNCTION npsd_notify_tokens();
)sql",
    // 3 (issue 18): comment search by index: pg_trgm's GIN index serves `comment ILIKE
    // '%…%'`. pg_trgm ships with PostgreSQL and is a trusted extension (a database owner may
    // create it); where it cannot be created, search still works by reading the rows.
    R"sql(
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): comment search reads the rows', SQLERRM;
END $$;
DO $$
DECLARE
  trgm_schema name;
BEGIN
  -- The extension lives in one schema of the database, maybe not one on our search_path.
  SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
  IF trgm_schema IS NOT NULL THEN
    EXECUTE format('CREATE INDEX responses_comment_trgm ON responses USING gin (comment %I.gin_trgm_ops)',
                   trgm_schema);
  END IF;
END $$;
)sql",
    // 4 (issue 17): operational data per customer and the stored insight fits
    R"sql(
CREATE TABLE ops_values (
  survey_id text NOT NULL,
  customer text NOT NULL,
  day integer NOT NULL,
  metric text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (survey_id, customer, day, metric)
);
CREATE TABLE insight_fits (
  survey_id text NOT NULL,
  kind text NOT NULL,
  fit text NOT NULL,
  at bigint NOT NULL,
  PRIMARY KEY (survey_id, kind)
);
)sql",
    // 5 (issue 15): webhooks — endpoints, the outbox of events, one delivery per event and endpoint.
    R"sql(
CREATE TABLE webhook_endpoints (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  url text NOT NULL,
  kind text NOT NULL,
  description text NOT NULL,
  secret text NOT NULL,
  previous_secret text NOT NULL,
  previous_until bigint NOT NULL,
  survey_id text,
  categories text NOT NULL,
  event_types text NOT NULL,
  channels text NOT NULL,
  include_personal boolean NOT NULL,
  enabled boolean NOT NULL,
  disabled_reason text NOT NULL,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE webhook_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  msg_id text NOT NULL UNIQUE,
  type text NOT NULL,
  survey_id text NOT NULL,
  category text NOT NULL,
  channel text NOT NULL,
  respondent_id text NOT NULL,
  body text NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE webhook_deliveries (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id bigint NOT NULL,
  endpoint_id bigint NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL,
  next_at bigint NOT NULL,
  locked_until bigint NOT NULL,
  last_status integer NOT NULL,
  last_error text NOT NULL,
  updated_at bigint NOT NULL,
  UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_events_by_respondent ON webhook_events (respondent_id) WHERE respondent_id <> '';
CREATE INDEX webhook_events_by_time ON webhook_events (created_at);
)sql",
    // 6 (issue 14): e-mail and link surveys: the link secret, each survey's link settings,
    // contacts (matched by lower-case e-mail), suppressions, campaigns and their outbox.
    R"sql(
CREATE TABLE email_settings (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE link_settings (survey_id text PRIMARY KEY, strict boolean NOT NULL);
CREATE TABLE contacts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL,
  email_key text NOT NULL UNIQUE,
  name text NOT NULL DEFAULT '',
  locale text NOT NULL DEFAULT '',
  external_id text NOT NULL DEFAULT '',
  attributes text NOT NULL DEFAULT '{}',
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL,
  last_asked_at bigint
);
CREATE TABLE suppressions (email_key text PRIMARY KEY, reason text NOT NULL, created_at bigint NOT NULL);
CREATE TABLE campaigns (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  survey_id text NOT NULL,
  name text NOT NULL,
  segment_key text NOT NULL DEFAULT '',
  segment_value text NOT NULL DEFAULT '',
  throttle_days integer NOT NULL,
  daily_limit integer NOT NULL,
  scheduled_at bigint NOT NULL,
  status text NOT NULL,
  created_at bigint NOT NULL
);
CREATE TABLE outbox (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  campaign_id bigint NOT NULL,
  contact_id bigint NOT NULL,
  email text NOT NULL,
  state text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  first_attempt_at bigint,
  sent_at bigint,
  last_code integer,
  last_error text,
  UNIQUE (campaign_id, contact_id)
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
)sql",
    // 7 (issue 16): comment themes (themes_store.hpp): terms and commenters counted per survey,
    // day and language, and which answers mention which term.
    R"sql(
CREATE TABLE theme_terms (
  survey_id text NOT NULL, term text NOT NULL, day integer NOT NULL, lang text NOT NULL, form text NOT NULL,
  c0 integer NOT NULL DEFAULT 0, c1 integer NOT NULL DEFAULT 0, c2 integer NOT NULL DEFAULT 0, c3 integer NOT NULL DEFAULT 0, c4 integer NOT NULL DEFAULT 0, c5 integer NOT NULL DEFAULT 0, c6 integer NOT NULL DEFAULT 0, c7 integer NOT NULL DEFAULT 0, c8 integer NOT NULL DEFAULT 0, c9 integer NOT NULL DEFAULT 0, c10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, term, day, lang)
);
CREATE TABLE theme_comments (
  survey_id text NOT NULL, day integer NOT NULL, lang text NOT NULL,
  c0 integer NOT NULL DEFAULT 0, c1 integer NOT NULL DEFAULT 0, c2 integer NOT NULL DEFAULT 0, c3 integer NOT NULL DEFAULT 0, c4 integer NOT NULL DEFAULT 0, c5 integer NOT NULL DEFAULT 0, c6 integer NOT NULL DEFAULT 0, c7 integer NOT NULL DEFAULT 0, c8 integer NOT NULL DEFAULT 0, c9 integer NOT NULL DEFAULT 0, c10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, day, lang)
);
CREATE TABLE theme_responses (
  survey_id text NOT NULL, term text NOT NULL, response_id bigint NOT NULL, day integer NOT NULL,
  lang text NOT NULL, score integer NOT NULL,
  PRIMARY KEY (survey_id, term, response_id)
);
CREATE INDEX theme_responses_by_response ON theme_responses (survey_id, response_id);
)sql",
    // 8 (issue 15): SMS replies (conversations awaiting their follow-up, numbers that opted out)
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
    // 9 (issue 14): several senders on one database (each message names the sender that holds
    // it; a sender's heartbeat says it is alive), one reminder per contact (the outbox is one
    // row per campaign, contact and kind), audiences from a CSV, clicks by a person; the language of an
    // e-mail alert endpoint.
    R"sql(
ALTER TABLE outbox ADD COLUMN kind text NOT NULL DEFAULT 'survey';
ALTER TABLE outbox ADD COLUMN owner text NOT NULL DEFAULT '';
ALTER TABLE outbox DROP CONSTRAINT outbox_campaign_id_contact_id_key;
ALTER TABLE outbox ADD CONSTRAINT outbox_campaign_contact_kind UNIQUE (campaign_id, contact_id, kind);
CREATE INDEX outbox_by_campaign ON outbox (campaign_id, state);
ALTER TABLE campaigns ADD COLUMN reminder_days integer NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN audience text NOT NULL DEFAULT 'all';
ALTER TABLE campaigns ADD COLUMN finished_at bigint;
ALTER TABLE webhook_endpoints ADD COLUMN locale text NOT NULL DEFAULT '';
CREATE TABLE email_senders (owner text PRIMARY KEY, alive_until bigint NOT NULL);
CREATE TABLE campaign_members (
  campaign_id bigint NOT NULL, contact_id bigint NOT NULL, PRIMARY KEY (campaign_id, contact_id)
);
CREATE TABLE campaign_clicks (
  campaign_id bigint NOT NULL, contact_id bigint NOT NULL, at bigint NOT NULL,
  PRIMARY KEY (campaign_id, contact_id)
);
)sql",
    // 10 (issue 19): the funnel's counters (funnel_store.hpp).
    R"sql(
CREATE TABLE funnel_counts (
  survey_id text NOT NULL,
  day integer NOT NULL,
  channel text NOT NULL,
  event text NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (survey_id, day, channel, event)
);
)sql",
    // 11 (issue 16): the Why page filtered by channel and device: the themes' counts again with
    // the answer's own channel and device (device '' when it named none) before the term in the
    // key; the unfiltered page keeps reading theme_terms and theme_comments. Filled for the
    // comments already counted from theme_responses and the answers' own channel and device.
    R"sql(
CREATE TABLE theme_seg_terms (
  survey_id text NOT NULL, channel text NOT NULL, device text NOT NULL, term text NOT NULL, day integer NOT NULL,
  lang text NOT NULL, form text NOT NULL,
  c0 integer NOT NULL DEFAULT 0, c1 integer NOT NULL DEFAULT 0, c2 integer NOT NULL DEFAULT 0, c3 integer NOT NULL DEFAULT 0, c4 integer NOT NULL DEFAULT 0, c5 integer NOT NULL DEFAULT 0, c6 integer NOT NULL DEFAULT 0, c7 integer NOT NULL DEFAULT 0, c8 integer NOT NULL DEFAULT 0, c9 integer NOT NULL DEFAULT 0, c10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, channel, device, term, day, lang)
);
CREATE TABLE theme_seg_comments (
  survey_id text NOT NULL, channel text NOT NULL, device text NOT NULL, day integer NOT NULL, lang text NOT NULL,
  c0 integer NOT NULL DEFAULT 0, c1 integer NOT NULL DEFAULT 0, c2 integer NOT NULL DEFAULT 0, c3 integer NOT NULL DEFAULT 0, c4 integer NOT NULL DEFAULT 0, c5 integer NOT NULL DEFAULT 0, c6 integer NOT NULL DEFAULT 0, c7 integer NOT NULL DEFAULT 0, c8 integer NOT NULL DEFAULT 0, c9 integer NOT NULL DEFAULT 0, c10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, channel, device, day, lang)
);
INSERT INTO theme_seg_comments (survey_id, channel, device, day, lang, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT t.survey_id, r.channel, coalesce(r.device, ''), t.day, t.lang, sum((t.score = 0)::int), sum((t.score = 1)::int), sum((t.score = 2)::int), sum((t.score = 3)::int), sum((t.score = 4)::int), sum((t.score = 5)::int), sum((t.score = 6)::int), sum((t.score = 7)::int), sum((t.score = 8)::int), sum((t.score = 9)::int), sum((t.score = 10)::int)
  FROM theme_responses t JOIN responses r ON r.survey_id = t.survey_id AND r.id = t.response_id
  WHERE t.term = ''
  GROUP BY t.survey_id, r.channel, coalesce(r.device, ''), t.day, t.lang;
INSERT INTO theme_seg_terms (survey_id, channel, device, term, day, lang, form, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT t.survey_id, r.channel, coalesce(r.device, ''), t.term, t.day, t.lang, min(w.form), sum((t.score = 0)::int), sum((t.score = 1)::int), sum((t.score = 2)::int), sum((t.score = 3)::int), sum((t.score = 4)::int), sum((t.score = 5)::int), sum((t.score = 6)::int), sum((t.score = 7)::int), sum((t.score = 8)::int), sum((t.score = 9)::int), sum((t.score = 10)::int)
  FROM theme_responses t JOIN responses r ON r.survey_id = t.survey_id AND r.id = t.response_id
  JOIN theme_terms w ON w.survey_id = t.survey_id AND w.term = t.term AND w.day = t.day AND w.lang = t.lang
  WHERE t.term <> ''
  GROUP BY t.survey_id, r.channel, coalesce(r.device, ''), t.term, t.day, t.lang;
)sql", // 12 (issue 18): breakdowns by page and by attribute from per-day tallies (dim_tallies.hpp):
    // the counts per day of each page and attribute value, the keys and values listed (at most
    // 32 keys per survey and 200 values per dimension, the most answered first; the rest of a
    // dimension's values counted under ''), filled from the answers already stored. Attribute
    // values as text exactly as the breakdown reads them from the rows (->>).
    R"sql(
CREATE TABLE dim_keys (
  survey_id text NOT NULL, dim text NOT NULL,
  PRIMARY KEY (survey_id, dim)
);
CREATE TABLE dim_values (
  survey_id text NOT NULL, dim text NOT NULL, value text NOT NULL,
  PRIMARY KEY (survey_id, dim, value)
);
CREATE TABLE dim_tallies (
  survey_id text NOT NULL, dim text NOT NULL, day integer NOT NULL, value text NOT NULL,
  c0 integer NOT NULL DEFAULT 0, c1 integer NOT NULL DEFAULT 0, c2 integer NOT NULL DEFAULT 0, c3 integer NOT NULL DEFAULT 0, c4 integer NOT NULL DEFAULT 0, c5 integer NOT NULL DEFAULT 0, c6 integer NOT NULL DEFAULT 0, c7 integer NOT NULL DEFAULT 0, c8 integer NOT NULL DEFAULT 0, c9 integer NOT NULL DEFAULT 0, c10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, dim, day, value)
);
CREATE TEMP TABLE dim_fill ON COMMIT DROP AS
  SELECT survey_id, dim, day, value, score, count(*) AS n FROM (
    SELECT survey_id, ((CASE WHEN received_at >= 0 THEN received_at ELSE received_at - 86399999 END) / 86400000)::integer AS day, score, 'page'::text AS dim, page AS value
      FROM responses WHERE page <> ''
    UNION ALL
    SELECT r.survey_id, ((CASE WHEN r.received_at >= 0 THEN r.received_at ELSE r.received_at - 86399999 END) / 86400000)::integer, r.score, 'attribute:' || j.key, j.value
      FROM responses r CROSS JOIN LATERAL json_each_text(r.attributes) j
      WHERE r.attributes::text <> '{}' AND j.value <> '' AND j.key ~ '^[A-Za-z0-9_.-]{1,64}$'
  ) x
  GROUP BY survey_id, dim, day, value, score;
INSERT INTO dim_keys (survey_id, dim)
  SELECT survey_id, dim FROM (
    SELECT survey_id, dim, row_number() OVER (PARTITION BY survey_id ORDER BY sum(n) DESC, dim COLLATE "C") AS rn
    FROM dim_fill WHERE dim <> 'page' GROUP BY survey_id, dim) x
  WHERE rn <= 32;
INSERT INTO dim_values (survey_id, dim, value)
  SELECT survey_id, dim, value FROM (
    SELECT f.survey_id, f.dim, f.value, row_number() OVER (PARTITION BY f.survey_id, f.dim ORDER BY sum(f.n) DESC, f.value COLLATE "C") AS rn
    FROM dim_fill f
    WHERE f.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = f.survey_id AND k.dim = f.dim)
    GROUP BY f.survey_id, f.dim, f.value) x
  WHERE rn <= 200;
INSERT INTO dim_tallies (survey_id, dim, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, f.day, CASE WHEN v.value IS NULL THEN '' ELSE f.value END, sum(f.n * (f.score = 0)::integer), sum(f.n * (f.score = 1)::integer), sum(f.n * (f.score = 2)::integer), sum(f.n * (f.score = 3)::integer), sum(f.n * (f.score = 4)::integer), sum(f.n * (f.score = 5)::integer), sum(f.n * (f.score = 6)::integer), sum(f.n * (f.score = 7)::integer), sum(f.n * (f.score = 8)::integer), sum(f.n * (f.score = 9)::integer), sum(f.n * (f.score = 10)::integer)
  FROM dim_fill f LEFT JOIN dim_values v ON v.survey_id = f.survey_id AND v.dim = f.dim AND v.value = f.value
  WHERE f.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = f.survey_id AND k.dim = f.dim)
  GROUP BY 1, 2, 3, 4;
ANALYZE dim_keys;
ANALYZE dim_values;
ANALYZE dim_tallies;
)sql",
    // 13 (issue 18): breakdowns by page and by attribute filtered by one segment (channel, device
    // or locale) from per-day tallies (dim_tallies.hpp): the same cells once per segment of the
    // answer, the locales listed (at most 64 per survey, the most answered first), filled from
    // the answers already stored with the keys and values migration 12 listed. Both end with
    // ANALYZE of what they filled: until autovacuum comes by, the planner has no statistics
    // for the new tables of a large database (one breakdown at 1.2 M answers took 188 ms just
    // after the upgrade against 26 ms at 10 M; stale statistics are the likely cause, not a
    // measured one). Added after both shipped: a database upgraded before has long been
    // analysed by autovacuum.
    R"sql(
CREATE TABLE seg_locales (
  survey_id text NOT NULL, locale text NOT NULL,
  PRIMARY KEY (survey_id, locale)
);
CREATE TABLE dim_seg_tallies (
  survey_id text NOT NULL, dim text NOT NULL, seg text NOT NULL, day integer NOT NULL, value text NOT NULL,
  c0 integer NOT NULL DEFAULT 0, c1 integer NOT NULL DEFAULT 0, c2 integer NOT NULL DEFAULT 0, c3 integer NOT NULL DEFAULT 0, c4 integer NOT NULL DEFAULT 0, c5 integer NOT NULL DEFAULT 0, c6 integer NOT NULL DEFAULT 0, c7 integer NOT NULL DEFAULT 0, c8 integer NOT NULL DEFAULT 0, c9 integer NOT NULL DEFAULT 0, c10 integer NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, dim, seg, day, value)
);
CREATE TEMP TABLE seg_fill ON COMMIT DROP AS
  SELECT survey_id, dim, day, value, channel, device, locale, score, count(*) AS n FROM (
    SELECT survey_id, ((CASE WHEN received_at >= 0 THEN received_at ELSE received_at - 86399999 END) / 86400000)::integer AS day, score, 'page'::text AS dim, page AS value, channel, coalesce(device, '') AS device, coalesce(locale, '') AS locale
      FROM responses WHERE page <> ''
    UNION ALL
    SELECT r.survey_id, ((CASE WHEN r.received_at >= 0 THEN r.received_at ELSE r.received_at - 86399999 END) / 86400000)::integer, r.score, 'attribute:' || j.key, j.value, r.channel, coalesce(r.device, ''), coalesce(r.locale, '')
      FROM responses r CROSS JOIN LATERAL json_each_text(r.attributes) j
      WHERE r.attributes::text <> '{}' AND j.value <> '' AND j.key ~ '^[A-Za-z0-9_.-]{1,64}$'
  ) x
  GROUP BY survey_id, dim, day, value, channel, device, locale, score;
INSERT INTO seg_locales (survey_id, locale)
  SELECT survey_id, locale FROM (
    SELECT survey_id, locale, row_number() OVER (PARTITION BY survey_id ORDER BY sum(n) DESC, locale COLLATE "C") AS rn
    FROM seg_fill WHERE locale <> '' GROUP BY survey_id, locale) x
  WHERE rn <= 64;
DELETE FROM seg_fill f WHERE NOT (f.dim = 'page' OR EXISTS (SELECT 1 FROM dim_keys k WHERE k.survey_id = f.survey_id AND k.dim = f.dim));
UPDATE seg_fill f SET value = '' WHERE NOT EXISTS (SELECT 1 FROM dim_values v WHERE v.survey_id = f.survey_id AND v.dim = f.dim AND v.value = f.value);
INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, 'channel:' || f.channel, f.day, f.value, sum(f.n * (f.score = 0)::integer), sum(f.n * (f.score = 1)::integer), sum(f.n * (f.score = 2)::integer), sum(f.n * (f.score = 3)::integer), sum(f.n * (f.score = 4)::integer), sum(f.n * (f.score = 5)::integer), sum(f.n * (f.score = 6)::integer), sum(f.n * (f.score = 7)::integer), sum(f.n * (f.score = 8)::integer), sum(f.n * (f.score = 9)::integer), sum(f.n * (f.score = 10)::integer)
  FROM seg_fill f GROUP BY f.survey_id, f.dim, f.channel, f.day, f.value;
INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, 'device:' || f.device, f.day, f.value, sum(f.n * (f.score = 0)::integer), sum(f.n * (f.score = 1)::integer), sum(f.n * (f.score = 2)::integer), sum(f.n * (f.score = 3)::integer), sum(f.n * (f.score = 4)::integer), sum(f.n * (f.score = 5)::integer), sum(f.n * (f.score = 6)::integer), sum(f.n * (f.score = 7)::integer), sum(f.n * (f.score = 8)::integer), sum(f.n * (f.score = 9)::integer), sum(f.n * (f.score = 10)::integer)
  FROM seg_fill f WHERE f.device <> '' GROUP BY f.survey_id, f.dim, f.device, f.day, f.value;
INSERT INTO dim_seg_tallies (survey_id, dim, seg, day, value, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10)
  SELECT f.survey_id, f.dim, 'locale:' || f.locale, f.day, f.value, sum(f.n * (f.score = 0)::integer), sum(f.n * (f.score = 1)::integer), sum(f.n * (f.score = 2)::integer), sum(f.n * (f.score = 3)::integer), sum(f.n * (f.score = 4)::integer), sum(f.n * (f.score = 5)::integer), sum(f.n * (f.score = 6)::integer), sum(f.n * (f.score = 7)::integer), sum(f.n * (f.score = 8)::integer), sum(f.n * (f.score = 9)::integer), sum(f.n * (f.score = 10)::integer)
  FROM seg_fill f WHERE EXISTS (SELECT 1 FROM seg_locales l WHERE l.survey_id = f.survey_id AND l.locale = f.locale)
  GROUP BY f.survey_id, f.dim, f.locale, f.day, f.value;
ANALYZE seg_locales;
ANALYZE dim_seg_tallies;
)sql",
    // 14 (issue 18): the counts split by writer. Every answer added one to the same rows (its
    // survey's day total, its segment's, its comment's theme rows), so the writers of several
    // npsd processes queued on each other's row locks until each commit was on disk: three
    // processes stored fewer answers than one. Each counted row now also has a slot, the
    // writer's own (postgres_conn.cpp: a session advisory lock among 1..63, in the setting
    // npsd.slot, which the column's default reads), and readers add the slots up as they add
    // the days up. A slot's row may go below zero when a change subtracts what another writer
    // added; only the sums mean anything. The rows counted before keep slot 0.
    R"sql(
CREATE FUNCTION npsd_slot() RETURNS smallint LANGUAGE sql STABLE
  AS $$ SELECT coalesce(nullif(current_setting('npsd.slot', true), ''), '0')::smallint $$;
ALTER TABLE day_totals ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE day_totals ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT day_totals_pkey, ADD PRIMARY KEY (survey_id, day, slot);
ALTER TABLE day_tallies ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE day_tallies ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT day_tallies_pkey, ADD PRIMARY KEY (survey_id, day, channel, locale, device, slot);
ALTER TABLE theme_terms ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE theme_terms ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT theme_terms_pkey, ADD PRIMARY KEY (survey_id, term, day, lang, slot);
ALTER TABLE theme_comments ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE theme_comments ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT theme_comments_pkey, ADD PRIMARY KEY (survey_id, day, lang, slot);
ALTER TABLE theme_seg_terms ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE theme_seg_terms ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT theme_seg_terms_pkey, ADD PRIMARY KEY (survey_id, channel, device, term, day, lang, slot);
ALTER TABLE theme_seg_comments ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE theme_seg_comments ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT theme_seg_comments_pkey, ADD PRIMARY KEY (survey_id, channel, device, day, lang, slot);
ALTER TABLE dim_tallies ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE dim_tallies ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT dim_tallies_pkey, ADD PRIMARY KEY (survey_id, dim, day, value, slot);
ALTER TABLE dim_seg_tallies ADD COLUMN slot smallint NOT NULL DEFAULT 0;
ALTER TABLE dim_seg_tallies ALTER COLUMN slot SET DEFAULT npsd_slot(), DROP CONSTRAINT dim_seg_tallies_pkey, ADD PRIMARY KEY (survey_id, dim, seg, day, value, slot);
)sql",
    // 15 (issue 18): one notification per statement instead of one per answer: a batch of
    // answers stored by one INSERT announces their ids in one payload per survey ("r 12,13,14
    // s1", at most 200 ids each, well under NOTIFY's 8000 bytes), so every process's listener
    // is woken once a batch, not once an answer.
    R"sql(
CREATE OR REPLACE FUNCTION npsd_notify_responses() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('npsd.quiet', true), '') <> 'on' THEN
    PERFORM pg_notify('npsd_changes', 'r ' || string_agg(id::text, ',' ORDER BY id) || ' ' || survey_id)
      FROM (SELECT id, survey_id, (row_number() OVER (PARTITION BY survey_id ORDER BY id) - 1) / 200 AS chunk
            FROM added) x
      GROUP BY survey_id, chunk;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS responses_notify ON responses;
DROP FUNCTION IF EXISTS npsd_notify_response();
CREATE TRIGGER responses_notify AFTER INSERT ON responses REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION npsd_notify_responses();
)sql",
};

// Any constant shared by every npsd: the advisory lock that serialises migrations.
constexpr const char* kLockKey = "7354101883245660218";

// The running npsd: each writer holds this key shared for the schema it writes to (the key's
// second half names the schema), and a migration takes it exclusively, so it never changes a
// schema under an npsd built for the one before. The migration waits a little (a process
// that has just stopped may still be letting go of it), then refuses.
constexpr const char* kHoldRunning =
    "SELECT pg_advisory_lock_shared(1852861286, hashtext(current_schema()));";
constexpr const char* kWaitRunning = "SET LOCAL lock_timeout = '5s'";
constexpr const char* kTakeRunning = "SELECT pg_advisory_xact_lock(1852861286, hashtext(current_schema()))";

} // namespace

std::string writer_guard() {
  const std::string v = std::to_string(std::size(kMigrations));
  std::string sql = kHoldRunning;
  sql += "DO $$BEGIN IF (SELECT version FROM npsd_schema) IS DISTINCT FROM ";
  sql += v;
  sql += " THEN RAISE EXCEPTION 'the database schema is version %, and this npsd is built for ";
  sql += v;
  sql += ": another version of npsd changed it; stop every npsd and run one version (docs/operations.md)', "
         "(SELECT version FROM npsd_schema); END IF; END$$;";
  return sql;
}

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
    if (applied < known) {
      c.exec(kWaitRunning);
      try {
        c.run(kTakeRunning);
      } catch (const Error& e) {
        if (e.sqlstate() != "55P03") throw; // lock_not_available: the wait ran out
        throw StorageError("another npsd is running on this database with schema version " +
                           std::to_string(applied) + "; this one would upgrade it to " +
                           std::to_string(known) +
                           ", which the running one cannot use: stop every npsd on this database, then start "
                           "this version (docs/operations.md)");
      }
      c.exec("SET LOCAL lock_timeout = 0");
    }
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
