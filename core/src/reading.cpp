#include "reading.hpp"

namespace nps::detail {

std::string cat(std::initializer_list<Piece> pieces) {
  std::string out;
  for (const Piece& p : pieces)
    out += p.view();
  return out;
}

} // namespace nps::detail
