// The PostgreSQL engine's tallies by page and by attribute (dim_tallies.hpp): written inside
// the writer's transaction by insert_answers, update_response, the deletions and retention
// (postgres_ingest.cpp, postgres_rows.cpp, postgres_storage.cpp), read by dim_groups.
#pragma once

#include "dim_tallies.hpp"
#include "postgres_conn.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace npsd::pg {

// Adds `delta` (+1 or -1) per answer to the tallies of the stored answers matching `where` (a
// condition on the responses table with the parameters `p`), each in the cell its page and
// attribute values are counted in. With `admit`, new keys, values and locales are listed first
// while there is room, in their order, as many as there is room for. One statement.
void dims_count(Conn& c, const std::string& where, const Params& p, int delta, bool admit);
// Answers just stored, each with its tally day (those without a page or attributes count for
// nothing here); counted from their values, as they were stored. One statement for them all,
// sent without waiting (Conn::later).
void dims_add(Conn& c, const std::vector<std::pair<const nps::Response*, std::int32_t>>& answers);
// One answer whose score was just changed from `old_score`: its counts move to the new score.
void dims_rescore(Conn& c, const std::string& survey_id, std::int64_t id, int old_score);

[[nodiscard]] std::optional<std::vector<TallyGroupRow>>
dim_groups(Conn& c, const std::string& survey_id, std::int32_t from_day, std::int32_t to_day,
           const std::optional<std::string>& attribute, const DimSegment& segment = {});

} // namespace npsd::pg
