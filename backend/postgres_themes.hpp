// The PostgreSQL engine's comment-theme tables (themes_store.hpp): written inside the
// writer's transaction (postgres_storage.cpp, postgres_rows.cpp), read by the ThemesStore.
#pragma once

#include "postgres_conn.hpp"
#include "themes_store.hpp"

#include <memory>

namespace npsd::pg {

// Counts one stored answer's terms (nothing when it has no comment).
void themes_add(Conn& c, std::int64_t response_id, const nps::Response& r, Millis received_at);
// Takes one answer's counts out again (deleted, anonymised, or about to be re-counted).
void themes_forget(Conn& c, const std::string& survey_id, std::int64_t response_id);
// The same for every answer of a survey matching `where` (a condition on responses with $2).
void themes_forget_where(Conn& c, const std::string& survey_id, const std::string& where,
                         const std::string& value);

[[nodiscard]] std::unique_ptr<ThemesStore> themes_store(Pool& readers);

} // namespace npsd::pg
