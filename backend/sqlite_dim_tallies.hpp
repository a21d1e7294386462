// The SQLite engine's tallies by page and by attribute (dim_tallies.hpp): written inside the
// writer's transaction by insert_new, update_response and the deletions and retention
// (sqlite_rows.cpp, sqlite_storage.cpp), read by dim_groups.
#pragma once

#include "dim_tallies.hpp"
#include "sqlite_conn.hpp"

#include <functional>

namespace npsd::sqlite {

// Adds `delta` (+1 or -1) per answer to the tallies of the stored answers matching `where` (a
// condition on the responses table, its parameters bound by `bind`), each in the cell its page
// and attribute values are counted in. With `admit`, new keys and values are listed first
// while there is room (for one answer at a time: an insert).
void dims_count(Conn& c, const std::string& where, const std::function<void(Stmt&)>& bind, int delta,
                bool admit);
// One answer just stored with id `id` (nothing to do when it has no page and no attributes).
void dims_add(Conn& c, std::int64_t id, const nps::Response& r);
// One answer whose score was just changed from `old_score`: its counts move to the new score.
void dims_rescore(Conn& c, std::int64_t id, int old_score);

[[nodiscard]] std::optional<std::vector<TallyGroupRow>>
dim_groups(Conn& c, const std::string& survey_id, std::int32_t from_day, std::int32_t to_day,
           const std::optional<std::string>& attribute, const DimSegment& segment = {});

} // namespace npsd::sqlite
