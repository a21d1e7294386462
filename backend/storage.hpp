// The one storage interface of npsd. Every engine (SQLite now, PostgreSQL next) implements
// it; no SQL, handle or engine type crosses it, so the server and the storage test suite
// are engine-blind.
//
// Sections: records · filters · Storage (surveys, responses, tallies, tokens, privacy)
//
// Contract every engine keeps:
// - A write returns only after it is durable (committed and flushed to disk).
// - A stored response and its per-day tally change are one transaction.
// - (survey_id, idempotency_key) is unique: storing the same key again returns the
//   original row with Inserted::duplicate and changes nothing.
// - Concurrent writes may be batched into one transaction (group commit); each caller
//   still learns its own outcome. A write that fails leaves nothing behind and does not
//   fail the others of its batch; a commit that fails fails every write of the batch.
//   storage_group_commit.hpp does the batching for any engine; the engine gives it its
//   transaction, savepoint and commit.
// - A read sees every write that returned before the read started; reads do not wait
//   for the writer.
// - The schema is brought up to date on open by numbered migrations, each in its own
//   transaction; a database written by a newer build is refused (StorageError), never
//   changed.
// - Roles are stored by name (to_string(Role), storage.cpp, shared by every engine).
// - Engine failures (disk full, I/O error) throw StorageError; "not there" is a value.
//
// Files: storage.cpp and storage_group_commit.hpp are engine-neutral; the SQLite engine is
// sqlite_storage.cpp (the operations) with sqlite_conn, sqlite_schema, sqlite_writer and
// sqlite_rows; a PostgreSQL engine will be a sibling set of files (postgres_*) beside them.
#pragma once

#include "nps/response.hpp"
#include "nps/tally.hpp"

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace npsd {

class OpsStore;     // ops_store.hpp
class FunnelStore;  // funnel_store.hpp
class WebhookStore; // webhook_store.hpp
class ThemesStore;

using Millis = std::int64_t; // milliseconds since 1970-01-01 UTC

// Days since 1970-01-01 UTC: the key of the per-day tallies.
[[nodiscard]] constexpr std::int32_t day_of(Millis t) noexcept {
  return static_cast<std::int32_t>((t >= 0 ? t : t - 86'399'999) / 86'400'000);
}

class StorageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// ---- records ---------------------------------------------------------------------------

struct SurveyRecord {
  std::string id;
  std::string definition;   // JSON text as validated and normalised by the core
  std::int64_t version = 0; // 1 on create, +1 on every update (set by the engine)
  bool archived = false;
  std::string etag; // strong validator of `definition`, computed by the caller
  Millis updated_at = 0;
};

struct StoredResponse {
  std::int64_t id = 0;
  nps::Response response;
  Millis received_at = 0; // server clock; decides the tally day
};

enum class Inserted { created, duplicate, cap_reached };
struct InsertOutcome {
  Inserted status = Inserted::created;
  StoredResponse stored; // the new row, or the original one for a duplicate
};

// One row of the per-survey, per-day tallies: the counts of one day for one combination
// of channel, locale and device ("" when the response had none).
struct TallyRow {
  std::int32_t day = 0;
  std::string channel, locale, device;
  nps::Tally tally;
};

// Tallies summed by the engine: one row per group (the whole range, or per day, channel,
// locale or device), optionally only the cells of one channel, locale and/or device.
enum class TallyGroup { all, day, channel, locale, device };
struct TallyQuery {
  std::string survey_id;
  std::int32_t from_day = 0, to_day = 0; // inclusive
  std::optional<std::string> channel, locale, device;
  TallyGroup group = TallyGroup::all;
};
// The segment filters of a breakdown by page or attribute (nullopt: all), as the API reads them.
struct DimSegment {
  std::optional<std::string> channel, device, locale;
};
struct TallyGroupRow {
  std::string key;      // the channel, locale or device ("" = none given); "" for all and day
  std::int32_t day = 0; // for TallyGroup::day
  nps::Tally tally;
};

enum class Role { viewer, analyst, editor, admin }; // each includes the rights before it
struct TokenRecord {
  std::int64_t id = 0;
  std::string hash; // hex SHA-256 of the secret; the secret itself is never stored
  Role role = Role::viewer;
  std::string name;
  Millis created_at = 0;
};

// Users sign in with e-mail and password (argon2id hash, libsodium's own string format).
struct UserRecord {
  std::int64_t id = 0;
  std::string email;
  Role role = Role::viewer;
  std::string password_hash;
  Millis created_at = 0;
};

// A signed-in browser: the cookie's secret is stored only as SHA-256, like tokens. A
// session comes from a user (user_id) or from an API token (token_id).
struct SessionRecord {
  std::string hash;
  std::optional<std::int64_t> user_id, token_id;
  Role role = Role::viewer;
  std::string email; // the user's e-mail, or the token's name
  std::string csrf;  // sent back as X-CSRF-Token on state-changing requests
  Millis created_at = 0, expires_at = 0;
};

// Closing the loop: a detractor (or passive) answer with a comment or a respondent id.
struct FollowUpNote {
  std::int64_t id = 0;
  std::string author;
  std::string text;
  Millis created_at = 0;
};
struct FollowUp {
  StoredResponse response;
  std::string status = "new"; // new, contacted, resolved
  std::optional<std::int64_t> assignee_id;
  std::string assignee_email;
  Millis updated_at = 0;
  std::vector<FollowUpNote> notes; // oldest first, append-only
};
struct FollowUpFilter {
  std::string survey_id;
  std::optional<std::string> status;
  bool open_only = false; // new or contacted
  std::optional<std::int64_t> assignee_id;
  bool include_passives = false;
};
struct FollowUpChange {
  std::optional<std::string> status;
  std::optional<std::optional<std::int64_t>> assignee_id; // set: change (nullopt inside: unassign)
  std::optional<FollowUpNote> note;                       // appended
};

// ---- filters ---------------------------------------------------------------------------

struct ResponseFilter {
  std::string survey_id;          // required
  std::optional<Millis> from, to; // received_at in [from, to)
  std::optional<nps::Category> category;
  std::optional<int> score;
  std::optional<std::string> channel, locale, device;
  std::optional<std::string> attribute_key, attribute_value; // attributes[key] == value (as text)
  std::optional<std::string> text;                           // case-insensitive substring of the comment
  std::optional<std::string> respondent_id;
  bool with_respondent = false; // only answers that carry a respondent id
};

struct ResponsePage {
  std::vector<StoredResponse> items; // newest first
  std::optional<std::int64_t> next;  // pass as `before` for the next page
};

enum class RetentionMode { anonymize, remove };

// ---- changes from every process --------------------------------------------------------

// What another npsd sharing the database (or this one) has committed: the server refreshes
// its survey cache, its token list and its live streams from these.
struct Change {
  enum class Kind {
    survey,   // created, edited or (un)archived: `survey_id`
    response, // stored (not imported): `survey_id`, `response_id`
    tokens,   // a token added or removed
    resync,   // changes may have been missed (the feed reconnected): read everything again
  };
  Kind kind = Kind::resync;
  std::string survey_id;
  std::int64_t response_id = 0;
};

// ---- Storage ---------------------------------------------------------------------------

class SmsStore; // sms_store.hpp (issue 15)

class Storage {
public:
  virtual ~Storage() = default;

  // Surveys. put_survey creates or replaces (version + 1) and returns the stored record.
  [[nodiscard]] virtual std::vector<SurveyRecord> surveys() const = 0;
  [[nodiscard]] virtual std::optional<SurveyRecord> survey(const std::string& id) const = 0;
  virtual SurveyRecord put_survey(const SurveyRecord& s, Millis now) = 0;
  virtual bool set_archived(const std::string& id, bool archived, Millis now) = 0;

  // Responses. `daily_cap` (0 = none) is checked against the day's tally in the same
  // transaction as the insert, so concurrent requests cannot overshoot it.
  virtual InsertOutcome insert_response(const nps::Response& r, Millis received_at,
                                        std::uint32_t daily_cap) = 0;
  // insert_response without waiting for the commit (issue 18: no thread is held while the
  // batch syncs). `done` gets the outcome, or the error insert_response would have thrown,
  // once the answer is committed or failed: exactly one of the two is set. It may run on one
  // of the engine's threads, where it must be quick (hand the outcome on), or on the caller's.
  // The default calls insert_response and then `done`.
  using InsertDone = std::function<void(const InsertOutcome*, std::exception_ptr)>;
  virtual void insert_response_then(const nps::Response& r, Millis received_at, std::uint32_t daily_cap,
                                    InsertDone done);
  // Many answers in one transaction (an import, the benchmark's fill): each one exactly as
  // insert_response stores it (tallies follow, an idempotency key already stored is skipped),
  // without a daily cap. Returns how many were stored; all or none of them are.
  virtual std::size_t import_responses(const std::vector<std::pair<nps::Response, Millis>>& rows) = 0;
  // Replaces the stored response with the same (survey_id, idempotency_key) by `r`
  // (comment, answers, score); a changed score moves one count between tally cells.
  virtual std::optional<StoredResponse> update_response(const nps::Response& r) = 0;
  [[nodiscard]] virtual std::optional<StoredResponse>
  find_response(const std::string& survey_id, const std::string& idempotency_key) const = 0;
  // At most `limit` answers (0 is read as 1), newest first, ids below `before` when given.
  [[nodiscard]] virtual ResponsePage
  list_responses(const ResponseFilter& f, std::optional<std::int64_t> before, std::size_t limit) const = 0;
  // Promoters who left a respondent id (GET …/promoters), a page at a time: at most `limit`
  // (0 is read as 1, more than 1,000,000 as 1,000,000), newest first, ids below `before`
  // when given; `next` is the `before` of the following page. Streaming page after page
  // holds one page in memory; each page is one indexed read.
  [[nodiscard]] virtual ResponsePage
  promoters(const std::string& survey_id, std::optional<std::int64_t> before, std::size_t limit) const = 0;
  [[nodiscard]] virtual std::uint64_t count_responses(const std::string& survey_id) const = 0;
  // Counts per score of the matching raw rows, grouped by page (no attribute) or by the
  // value of one attribute as text ("" when absent). Reads rows: the answer to any filter.
  [[nodiscard]] virtual std::vector<TallyGroupRow>
  score_groups(const ResponseFilter& f, const std::optional<std::string>& attribute) const = 0;
  // The same groups for whole days [from_day, to_day] and at most one segment filter, from
  // the per-day tallies by page and by attribute (dim_tallies.hpp), in key order; nullopt
  // when they cannot answer exactly (a value beyond the bound kept in the range, an attribute
  // key or a locale beyond the bound, two segment filters at once): then the caller reads the
  // rows with score_groups.
  [[nodiscard]] virtual std::optional<std::vector<TallyGroupRow>>
  dim_groups(const std::string& survey_id, std::int32_t from_day, std::int32_t to_day,
             const std::optional<std::string>& attribute, const DimSegment& segment = {}) const {
    (void)survey_id, (void)from_day, (void)to_day, (void)attribute, (void)segment;
    return std::nullopt; // an engine without these tallies: the rows answer
  }

  // Tallies of one survey for days in [from_day, to_day].
  [[nodiscard]] virtual std::vector<TallyRow> tallies(const std::string& survey_id, std::int32_t from_day,
                                                      std::int32_t to_day) const = 0;
  [[nodiscard]] virtual std::vector<TallyGroupRow> tally_groups(const TallyQuery& q) const = 0;
  // The same counts computed from the raw rows; for benchmarks and consistency checks.
  [[nodiscard]] virtual nps::Tally scan_tally(const std::string& survey_id) const = 0;

  // Tokens.
  virtual TokenRecord add_token(const TokenRecord& t) = 0;
  [[nodiscard]] virtual std::vector<TokenRecord> tokens() const = 0;
  virtual bool delete_token(std::int64_t id) = 0;

  // Users and sessions. add_user returns nullopt when the e-mail is taken (any case).
  // Deleting a user or a token ends its sessions in the same transaction.
  virtual std::optional<UserRecord> add_user(const UserRecord& u) = 0;
  [[nodiscard]] virtual std::vector<UserRecord> users() const = 0;
  [[nodiscard]] virtual std::optional<UserRecord> user_by_email(const std::string& email) const = 0;
  virtual bool delete_user(std::int64_t id) = 0;
  // issue 19: an administrator changes a user's role (their sessions take it at once) and/or
  // sets a new password hash (their sessions end); false when there is no such user.
  virtual bool update_user(std::int64_t id, std::optional<Role> role,
                           std::optional<std::string> password_hash) = 0;
  virtual void add_session(const SessionRecord& s) = 0;
  [[nodiscard]] virtual std::optional<SessionRecord> session(const std::string& hash) const = 0;
  virtual void delete_session(const std::string& hash) = 0;

  // Follow-up items, newest answer first; `before` is a response id (cursor).
  [[nodiscard]] virtual std::vector<FollowUp>
  follow_ups(const FollowUpFilter& f, std::optional<std::int64_t> before, std::size_t limit) const = 0;
  [[nodiscard]] virtual std::optional<FollowUp>
  follow_up(const std::string& survey_id, std::int64_t response_id, bool include_passives) const = 0;
  // nullopt when the answer is not a follow-up item of the survey.
  virtual std::optional<FollowUp> change_follow_up(const std::string& survey_id, std::int64_t response_id,
                                                   bool include_passives, const FollowUpChange& change,
                                                   Millis now) = 0;

  // Privacy: everything held about one respondent, and its deletion (tallies follow).
  [[nodiscard]] virtual std::vector<StoredResponse> respondent(const std::string& respondent_id) const = 0;
  virtual std::size_t delete_respondent(const std::string& respondent_id) = 0;
  // Answers received before `cutoff`: anonymize keeps the score (tallies unchanged) and
  // drops comment, answers, respondent, attributes and page; remove deletes them.
  virtual std::size_t apply_retention(Millis cutoff, RetentionMode mode) = 0;

  // Writes waiting for the writer (for /metrics).
  // The SMS replies' conversations and opt-outs (sms_store.hpp; issue 15).
  virtual SmsStore& sms() = 0;
  [[nodiscard]] virtual std::size_t pending_writes() const = 0;

  // Calls `f` for every change committed by any npsd sharing this database, this one
  // included, soon after the commit, on a thread of the engine's. Returns false when the
  // engine has no such feed: SQLite (one npsd per file) announces in-process only. An empty
  // `f` stops the feed; once watch returns, the previous `f` is not running and never runs.
  virtual bool watch(std::function<void(const Change&)> f) {
    (void)f;
    return false;
  }
  // issue 17: operational data and insight fits (ops_store.hpp); both engines override it.
  virtual OpsStore& ops();
  // issue 19: the funnel's counters (funnel_store.hpp); both engines override it.
  virtual FunnelStore& funnel();
  // Outgoing webhooks: endpoints, the outbox, deliveries (issue 15, webhook_store.hpp).
  virtual WebhookStore& webhooks() = 0;
  // issue 14: e-mail and link surveys (email_store.hpp).
  virtual class EmailStore& email() = 0;
  virtual ThemesStore& themes() = 0; // issue 16: comment themes (themes_store.hpp)
};

// SQLite engine (WAL, synchronous=FULL, migrations on open, one writer thread doing
// group commit). Throws StorageError when the file cannot be opened or migrated.
[[nodiscard]] std::unique_ptr<Storage> open_sqlite(const std::string& path);

[[nodiscard]] std::string_view to_string(Role r) noexcept;
[[nodiscard]] std::optional<Role> role_from_string(std::string_view s) noexcept;

} // namespace npsd
