#include "reading.hpp"

namespace nps::detail {

std::string cat(std::initializer_list<Piece> pieces) {
  std::string out;
  for (const Piece& p : pieces)
    out += p.view();
  return out;
}

bool id_chars(std::string_view s, std::string_view punct) noexcept {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    punct.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

} // namespace nps::detail
