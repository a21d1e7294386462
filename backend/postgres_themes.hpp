// The PostgreSQL engine's comment-theme tables (themes_store.hpp): written inside the
// writer's transaction (postgres_storage.cpp, postgres_rows.cpp), read by the ThemesStore.
#pragma once

#include "postgres_conn.hpp"
#include "themes_store.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace npsd::pg {

// A stored answer whose terms are to be counted.
struct ThemeAnswer {
  std::int64_t id;
  const nps::Response* response;
  Millis received_at;
};
// Counts stored answers' terms (nothing for those without a comment): one statement per table
// for them all, their rows in key order, sent without waiting (Conn::later).
void themes_add(Conn& c, const std::vector<ThemeAnswer>& answers);
// Takes one answer's counts out again (deleted, anonymised, or about to be re-counted).
void themes_forget(Conn& c, const std::string& survey_id, std::int64_t response_id);
// The same for every answer of a survey matching `where` (a condition on responses with $2).
void themes_forget_where(Conn& c, const std::string& survey_id, const std::string& where,
                         const std::string& value);

[[nodiscard]] std::unique_ptr<ThemesStore> themes_store(Pool& readers);

} // namespace npsd::pg
