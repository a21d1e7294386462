// The PostgreSQL engine's analytics reads (postgres_analytics.cpp): what PostgresStorage's
// score_groups, tallies, tally_groups and scan_tally answer, on a reader connection.
#pragma once

#include "postgres_conn.hpp"
#include "storage.hpp"

namespace npsd::pg {

// The answers matching `f` counted per score and per page (or `attribute`), from the rows.
[[nodiscard]] std::vector<TallyGroupRow> score_groups(Conn& c, const ResponseFilter& f,
                                                      const std::optional<std::string>& attribute);
// The per-day tally rows of days [from_day, to_day].
[[nodiscard]] std::vector<TallyRow> tallies(Conn& c, const std::string& survey_id, std::int32_t from_day,
                                            std::int32_t to_day);
// The tallies summed by q.group under q's segment filters (the day totals when there is none).
[[nodiscard]] std::vector<TallyGroupRow> tally_groups(Conn& c, const TallyQuery& q);
// Every stored answer of the survey counted from the rows.
[[nodiscard]] nps::Tally scan_tally(Conn& c, const std::string& survey_id);

} // namespace npsd::pg
