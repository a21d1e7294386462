// `npsd migrate --from PATH.sqlite3 --to postgresql://…` (issue 18): copies one database into
// another through the storage interfaces only (any engine to any engine), then verifies it.
// Stop every npsd on the source first: the copy reads it as it is.
//
// Every table of both engines, and what becomes of it (migrate.cpp, migrate_ops.cpp,
// migrate_email.cpp, migrate_integrations.cpp):
//   users (matched by e-mail), tokens (by hash), surveys (definition, archived) ... copied
//   responses: oldest first through import_responses, matched by idempotency key; answers
//     get new ids on the target, so whatever names one is remapped through its key
//   follow_ups, follow_up_notes: status, assignee (through the user id map), notes ... copied
//   day_tallies, day_totals, responses_fts / the pg_trgm index, every theme_* table
//     (theme_terms, theme_comments, theme_responses, the per-segment ones) ... not copied: the
//     target's writer derives them from each imported answer in its transaction (tallies,
//     search index, comment term counts: import_responses → themes_add on both engines)
//   ops_values, insight_fits ... copied per survey (they name customers, not answers)
//   funnel_counts ... copied per survey, day, channel and event (raised to the source's count)
//   email_settings (the link secret) ... copied: without it every e-mailed link would break
//   link_settings ... copied per survey
//   contacts, campaigns ... copied under their own ids (a link names "c<campaign>.k<contact>"
//     and its answer's key is made of them); a target holding another contact or campaign
//     under such an id stops the copy with an error, nothing of that row stored
//   campaign_members, campaign_clicks, outbox ... copied with each campaign in one transaction;
//     a sent message stays sent (never sent again), a queued one is sent once by the target,
//     one left sending is queued, one left committing becomes uncertain (as recover_outbox)
//   suppressions ... copied with reason and time, raising no contact.unsubscribed event
//   sms_conversations, sms_unsubscribed ... copied
//   webhook_endpoints (webhooks, Slack/Teams/e-mail alerts) ... copied with their signing
//     secrets, matched by secret; new ids, deliveries follow through the id map
//   webhook_events, webhook_deliveries ... copied, matched by webhook-id (msg_id); delivered
//     stays delivered, pending is delivered once by the target; bodies name the target's
//     answer and user ids
//   sessions ... not copied: people sign in again on the new database
//   email_senders ... not copied: heartbeats of running senders, meaningless elsewhere
//   npsd_schema / user_version ... the engine's own migration number
// Sign-in rate limits and live-stream counts are kept in memory only, never stored.
// The follow-up items copied emit follow_up.changed events on the target; endpoints are
// copied after them, so those events go nowhere.
//
// Resumable and idempotent: every kind is matched before it is added (keys above), and what
// belongs together is one transaction (an answer page, a campaign with its rows, an event
// with its deliveries, a contact); running the command again after an interruption finishes
// the copy and never stores anything twice. Verification compares, per survey, the number of
// rows and the per-score counts both from the tallies and from a scan of the rows, and counts
// every other kind on both sides (per survey where it has one); any difference: exit 1.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace npsd {

struct MigrationCheck {
  std::string survey_id;
  std::uint64_t source_rows = 0, target_rows = 0;
  nps::Tally source_tally, target_tally; // from the tallies; the scans are compared too
  bool same = false;
};

// One kind of stored data counted on both sides (of one survey when survey_id is set): for
// kinds matched by a key (contacts, events, …) `target` counts the source's rows found there.
struct KindCheck {
  std::string kind, survey_id;
  std::uint64_t source = 0, target = 0;
  [[nodiscard]] bool same() const { return source == target; }
};

struct MigrationReport {
  std::size_t users = 0, tokens = 0, surveys = 0;         // added to the target by this run
  std::size_t answers = 0;                                // added by this run (stored before: skipped)
  std::size_t follow_ups = 0;                             // items whose state or notes were copied
  std::vector<std::pair<std::string, std::size_t>> added; // every other kind: rows added by this run
  std::vector<MigrationCheck> checks;
  std::vector<KindCheck> kinds;
  [[nodiscard]] bool verified() const;
};

// `progress` gets one line now and then (surveys, answers copied so far).
MigrationReport migrate_storage(Storage& from, Storage& to,
                                const std::function<void(const std::string&)>& progress);

// The subcommand: parses its arguments, prints progress and the verification, returns the
// exit status (0 verified, 1 failed or not verified, 2 bad arguments).
int migrate_main(int argc, char** argv);

} // namespace npsd
