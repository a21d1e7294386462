#include "nps/locale.hpp"

#include <vector>

namespace nps {

namespace {
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s)
    if (!pred(c)) return false;
  return !s.empty();
}
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
} // namespace

Result<std::string> canonical_locale(std::string_view tag, std::string_view path) {
  const auto bad = [&] {
    return Error{ErrorCode::invalid_format, std::string(path),
                 "\"" + std::string(tag.substr(0, 40)) +
                     "\" is not a language tag such as \"es\" or \"es-MX\""};
  };
  if (tag.empty()) return Error{ErrorCode::empty, std::string(path), "no language tag given"};
  if (tag.size() > 35) return bad();
  std::vector<std::string> parts;
  std::string cur;
  for (char c : tag) {
    if (c == '-' || c == '_') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  parts.push_back(cur);

  std::string out;
  const std::string& lang = parts[0];
  if (lang.size() < 2 || lang.size() > 3 || !all_of(lang, is_alpha)) return bad();
  for (char c : lang)
    out += lower(c);
  std::size_t i = 1;
  if (i < parts.size() && parts[i].size() == 4 && all_of(parts[i], is_alpha)) { // script
    out += '-';
    out += upper(parts[i][0]);
    for (std::size_t k = 1; k < 4; ++k)
      out += lower(parts[i][k]);
    ++i;
  }
  if (i < parts.size() && ((parts[i].size() == 2 && all_of(parts[i], is_alpha)) ||
                           (parts[i].size() == 3 && all_of(parts[i], is_digit)))) { // region
    out += '-';
    for (char c : parts[i])
      out += upper(c);
    ++i;
  }
  for (; i < parts.size(); ++i) { // variants and extensions, lower case
    const std::string& p = parts[i];
    if (p.empty() || p.size() > 8 || !all_of(p, is_alnum)) return bad();
    out += '-';
    for (char c : p)
      out += lower(c);
  }
  return out;
}

} // namespace nps
