// The SQLite engine's rows: how records are read from result rows, how a response filter
// becomes a WHERE clause, and the statements several operations share (find a response by
// key, store a new one, move tally counts, delete answers with their counts, read follow-up
// items). The write helpers run in the caller's transaction (on the writer thread).
//
// Internal to the SQLite engine.
#pragma once

#include "sqlite_conn.hpp"

#include <functional>

namespace npsd::sqlite {

// ---- readers ---------------------------------------------------------------------------

// The columns read_response reads, in its order (0 to 13).
inline constexpr const char* kResponseColumns =
    "id, survey_id, idempotency_key, score, comment, answers, channel, locale, device, page, "
    "respondent_id, attributes, client_time, received_at";
inline constexpr const char* kSurveyColumns = "id, definition, version, archived, etag, updated_at";
inline constexpr const char* kTokenColumns = "id, hash, role, name, created_at";
inline constexpr const char* kUserColumns = "id, email, role, password_hash, created_at";
inline constexpr const char* kSessionColumns =
    "hash, user_id, token_id, role, email, csrf, created_at, expires_at";

[[nodiscard]] StoredResponse read_response(const Stmt& s);
[[nodiscard]] SurveyRecord read_survey(const Stmt& s);
[[nodiscard]] TokenRecord read_token(const Stmt& s);
[[nodiscard]] UserRecord read_user(const Stmt& s);
[[nodiscard]] SessionRecord read_session(const Stmt& s);

// ---- filters ---------------------------------------------------------------------------

// Binds one parameter of a dynamic statement at the given position.
using Binder = std::function<void(Stmt&, int)>;

// The clauses of a response filter after "survey_id = ?1", each starting with " AND ";
// parameters numbered from ?2 on, continuing `binds` (whose i-th entry binds ?(i + 2)).
[[nodiscard]] // True when the comment index answers a search for `text`: three characters or more (the
// trigram index needs a whole trigram) and no LIKE wildcard or escape in it.
[[nodiscard]] bool
comment_index_serves(const std::string& text);
std::string response_where(const ResponseFilter& f, std::optional<std::int64_t> before,
                           std::vector<Binder>& binds);
// The SQL text of one attribute's value as text ("true"/"false" for booleans), NULL when
// absent; `path` is the parameter holding the JSON path ($."key").
[[nodiscard]] std::string attribute_text(const std::string& path);

// ---- shared statements (in the caller's transaction) -----------------------------------

[[nodiscard]] std::optional<StoredResponse> find_in(Conn& c, const std::string& survey_id,
                                                    const std::string& key);
// Stores a response with its counts in the tallies, unless its key is stored already
// (nullopt then: one statement answers both, the lookup only follows a conflict).
[[nodiscard]] std::optional<StoredResponse> insert_if_new(Conn& c, const nps::Response& r, Millis received_at,
                                                          std::int32_t day);
// The answers counted on one day (the daily cap), with those of the batch not yet written.
[[nodiscard]] std::int64_t day_count(Conn& c, const std::string& survey_id, std::int32_t day);
// Adds `delta` to one score's cell of the day tally of the response's segment and of the
// day's total.
void bump_tally(Conn& c, const nps::Response& r, std::int32_t day, int delta);
// Deletes the responses matching `where` (parameters bound by `bind`), their follow-up
// state and notes, and takes their counts out of the tallies. Returns how many.
std::size_t delete_where(Conn& c, const std::string& where, const std::function<void(Stmt&)>& bind);
// Detractors (and passives when asked) with a comment or a respondent id, with their
// follow-up state (a missing row is "new") and notes. `one`: only this response id.
[[nodiscard]] std::vector<FollowUp> query_follow_ups(Conn& c, const FollowUpFilter& f,
                                                     std::optional<std::int64_t> one,
                                                     std::optional<std::int64_t> before, std::size_t limit);

} // namespace npsd::sqlite
