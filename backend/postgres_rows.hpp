// The PostgreSQL engine's SQL pieces shared by its methods: reading rows into records,
// moving counts in the tallies, response filters as WHERE clauses, the follow-up query
// and deleting answers with their tallies.
#pragma once

#include "postgres_conn.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace npsd::pg {

// The columns read_response expects, in order (prefix each with `r.` by passing "r.").
[[nodiscard]] std::string response_columns(const std::string& prefix = "");
[[nodiscard]] StoredResponse read_response(const Result& r, int row, int first_col = 0);
[[nodiscard]] SurveyRecord read_survey(const Result& r, int row);
[[nodiscard]] TokenRecord read_token(const Result& r, int row);
[[nodiscard]] UserRecord read_user(const Result& r, int row);
// Reads 11 columns c0..c10 (or sums of them) starting at `first_col`.
[[nodiscard]] nps::Tally read_cells(const Result& r, int row, int first_col);

// The tally day of a row's received_at in SQL, as day_of() computes it (floor division).
inline constexpr const char* kDayOf =
    "((CASE WHEN received_at >= 0 THEN received_at ELSE received_at - 86399999 END) / 86400000)::integer";

// Parameters $1.. of the INSERT of a response (14 of them, in column order).
void add_response_params(Params& p, const nps::Response& r, Millis received_at);
// "c0, c1, …, c10" with `each` applied to every column name: cells("sum(", ")").
[[nodiscard]] std::string cells(const std::string& before = "", const std::string& after = "");

// Adds `delta` to one score's cell of a day's total and of its segment's tally, in the
// caller's transaction. Totals first: every writer locks the two rows in that order.
void bump_tally(Conn& c, const std::string& survey_id, std::int32_t day, const std::string& channel,
                const std::string& locale, const std::string& device, int score, std::int64_t delta);
void bump_tally(Conn& c, const nps::Response& r, std::int32_t day, std::int64_t delta);

[[nodiscard]] std::optional<StoredResponse> find_in(Conn& c, const std::string& survey_id,
                                                    const std::string& key);

// The clauses of a response filter after "survey_id = $1", appended to `p` ($2 on).
[[nodiscard]] std::string filter_clauses(const ResponseFilter& f, std::optional<std::int64_t> before,
                                         Params& p);

// Follow-up items (see Storage::follow_ups); `one`: only this response id.
[[nodiscard]] std::vector<FollowUp> query_follow_ups(Conn& c, const FollowUpFilter& f,
                                                     std::optional<std::int64_t> one,
                                                     std::optional<std::int64_t> before, std::size_t limit);

// Deletes the answers of one survey matching `where` (a clause on $2, e.g.
// "respondent_id = $2"), their follow-up rows and notes, and takes their counts out of the
// tallies. Returns how many answers went.
std::size_t delete_in_survey(Conn& c, const std::string& survey_id, const std::string& where,
                             const std::string& value);
// The surveys that have answers matching `where` (a clause on $1).
[[nodiscard]] std::vector<std::string> surveys_with(Conn& c, const std::string& where,
                                                    const std::string& value);

} // namespace npsd::pg
