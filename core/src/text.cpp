#include "nps/text.hpp"

#include <cstdint>

namespace nps {

std::optional<std::size_t> invalid_utf8_at(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i; // continuation byte, C0/C1 overlong lead, or F5..FF
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return i;
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
  if (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") return 2;                      // U+00A0
  if (s.size() >= 3) {
    const std::string_view t = s.substr(0, 3);
    if (t == "\xE3\x80\x80" || t == "\xEF\xBB\xBF") return 3;                        // U+3000, U+FEFF
    if (t[0] == '\xE2' && t[1] == '\x80') {
      const unsigned char last = static_cast<unsigned char>(t[2]);
      if ((last >= 0x80 && last <= 0x8B) || last == 0xA8 || last == 0xA9 || last == 0xAF) return 3; // U+2000..200B, 2028, 2029, 202F
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
  while (std::size_t k = space_prefix(s)) s.remove_prefix(k);
  while (std::size_t k = space_suffix(s)) s.remove_suffix(k);
  return s;
}

std::string normalize_text(std::string_view s) {
  s = trim(s);
  std::string out;
  out.reserve(s.size());
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
  return out;
}

} // namespace nps
