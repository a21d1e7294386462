// The PostgreSQL engine's tallies by page and by attribute (dim_tallies.hpp): written inside
// the writer's transaction by insert_counted, update_response, the deletions and retention
// (postgres_rows.cpp, postgres_storage.cpp), read by dim_groups.
#pragma once

#include "dim_tallies.hpp"
#include "postgres_conn.hpp"

namespace npsd::pg {

// Adds `delta` (+1 or -1) per answer to the tallies of the stored answers matching `where` (a
// condition on the responses table with the parameters `p`), each in the cell its page and
// attribute values are counted in. With `admit`, new keys and values are listed first while
// there is room (for one answer at a time: an insert). One statement.
void dims_count(Conn& c, const std::string& where, const Params& p, int delta, bool admit);
// One answer just stored with id `id` on tally day `day` (nothing to do when it has no page and
// no attributes); counted from its values, as they were stored.
void dims_add(Conn& c, std::int64_t id, const nps::Response& r, std::int32_t day);
// One answer whose score was just changed from `old_score`: its counts move to the new score.
void dims_rescore(Conn& c, const std::string& survey_id, std::int64_t id, int old_score);

[[nodiscard]] std::optional<std::vector<TallyGroupRow>>
dim_groups(Conn& c, const std::string& survey_id, std::int32_t from_day, std::int32_t to_day,
           const std::optional<std::string>& attribute, const DimSegment& segment = {});

} // namespace npsd::pg
