// The e-mail address as contacts and suppressions match it (see email_store.hpp).
#include "email_store.hpp"

#include "nps/text.hpp"

#include <algorithm>

namespace npsd {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return std::string(s);
}

} // namespace

std::string email_key(std::string_view email) {
  std::string e = trim(email);
  if (e.size() > 254 || e.size() < 3) return "";
  const auto at = e.find('@');
  if (at == std::string::npos || at == 0 || at > 64 || e.find('@', at + 1) != std::string::npos) return "";
  const std::string domain = e.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string::npos)
    return "";
  for (char ch : e)
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f || ch == ',' || ch == '<' || ch == '>' ||
        ch == '"' || ch == '(' || ch == ')' || ch == ';' || ch == '\\' || ch == '[' || ch == ']')
      return "";
  if (!nps::is_valid_utf8(e)) return "";
  std::transform(e.begin(), e.end(), e.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return e;
}

} // namespace npsd
