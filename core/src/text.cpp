#include "nps/text.hpp"

namespace nps {

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  const auto cont = [&](std::size_t k) { return (b(k) & 0xC0u) == 0x80u; };
  const unsigned c = b(i);
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned c1 = b(i + 1);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 > 0x9F)) return 0; // overlong, surrogate
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned c1 = b(i + 1);
    if ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 > 0x8F)) return 0; // overlong, > U+10FFFF
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0; // continuation byte, C0/C1 overlong lead, or F5..FF
}

std::optional<std::size_t> invalid_utf8_at(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t len = utf8_sequence_length(s, i);
    if (!len) return i;
    i += len;
  }
  return std::nullopt;
}

std::size_t code_points(std::string_view s) noexcept {
  std::size_t count = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++count;
  return count;
}

namespace {
// Length in bytes of a white-space character at the start (or end) of s, 0 if none.
std::size_t space_prefix(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const unsigned char c = static_cast<unsigned char>(s[0]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") return 2; // U+00A0
  if (s.size() >= 3) {
    const std::string_view t = s.substr(0, 3);
    if (t == "\xE3\x80\x80" || t == "\xEF\xBB\xBF") return 3; // U+3000, U+FEFF
    if (t[0] == '\xE2' && t[1] == '\x80') {
      const unsigned char last = static_cast<unsigned char>(t[2]);
      if ((last >= 0x80 && last <= 0x8B) || last == 0xA8 || last == 0xA9 || last == 0xAF)
        return 3; // U+2000..200B, 2028, 2029, 202F
    }
  }
  return 0;
}

std::size_t space_suffix(std::string_view s) noexcept {
  for (std::size_t len : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    if (s.size() < len) break;
    const std::string_view tail = s.substr(s.size() - len);
    if (space_prefix(tail) == len) return len;
  }
  return 0;
}
} // namespace

std::string_view trim(std::string_view s) noexcept {
  while (std::size_t k = space_prefix(s))
    s.remove_prefix(k);
  while (std::size_t k = space_suffix(s))
    s.remove_suffix(k);
  return s;
}

// Trims last: a control character dropped between white space and the text (" \x01 late")
// would otherwise leave the space in, and normalising the result again would remove it. No
// reserve() and one copy at the end: the smallest code (nps-flow.wasm is inside the widget's
// size budget, tests/web/size.mjs), and these texts are short.
std::string normalize_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7F) continue;
    out += c;
  }
  return std::string(trim(out));
}

} // namespace nps
