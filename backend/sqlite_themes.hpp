// The SQLite engine's comment-theme tables (themes_store.hpp): written inside the writer's
// transaction by insert_new, update_response and the deletions (sqlite_rows.cpp,
// sqlite_storage.cpp), read by the ThemesStore.
#pragma once

#include "sqlite_conn.hpp"
#include "themes_store.hpp"

#include <memory>

namespace npsd::sqlite {

// Counts one stored answer's terms (nothing when it has no comment).
void themes_add(Conn& c, std::int64_t response_id, const nps::Response& r, Millis received_at);
// Takes one answer's counts out again (deleted, anonymised, or about to be re-counted).
void themes_forget(Conn& c, std::int64_t response_id);
// The same for every answer of `where` (a condition on responses, one parameter ?1).
void themes_forget_where(Conn& c, const std::string& where, Millis value);

[[nodiscard]] std::unique_ptr<ThemesStore> themes_store(const ReadPool& readers);

} // namespace npsd::sqlite
