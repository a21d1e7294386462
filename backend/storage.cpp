// What every storage engine shares and no engine owns: the names roles are stored and
// shown by. An engine file (sqlite_*.cpp, and the PostgreSQL one beside it) holds only
// what is particular to its database.
#include "storage.hpp"

namespace npsd {

std::string_view to_string(Role r) noexcept {
  switch (r) {
  case Role::viewer: return "viewer";
  case Role::analyst: return "analyst";
  case Role::editor: return "editor";
  case Role::admin: return "admin";
  }
  return "viewer";
}

std::optional<Role> role_from_string(std::string_view s) noexcept {
  for (Role r : {Role::viewer, Role::analyst, Role::editor, Role::admin})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

void Storage::insert_response_then(const nps::Response& r, Millis received_at, std::uint32_t daily_cap,
                                   InsertDone done) {
  std::optional<InsertOutcome> out;
  try {
    out = insert_response(r, received_at, daily_cap);
  } catch (...) {
    done(nullptr, std::current_exception());
    return;
  }
  done(&*out, nullptr);
}

} // namespace npsd
