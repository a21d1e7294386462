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

} // namespace npsd
