// nps/privacy.hpp: personal attributes and the page address a response keeps.
#include "nps/privacy.hpp"

#include "nps/response.hpp"

namespace nps {

namespace {
// The next character of an attribute name that counts for same_attribute_name, lower case,
// from position i on (i moves past it); 0 at the end.
char next_significant(std::string_view s, std::size_t& i) noexcept {
  while (i < s.size()) {
    const char c = s[i++];
    if (c == '_' || c == '.' || c == '-') continue;
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return 0;
}
} // namespace

bool same_attribute_name(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0, k = 0;
  for (;;) {
    const char x = next_significant(a, i), y = next_significant(b, k);
    if (x != y) return false;
    if (x == 0) return true;
  }
}

bool is_personal_attribute(const Privacy& p, std::string_view key) noexcept {
  for (std::string_view name : always_personal_attributes)
    if (same_attribute_name(name, key)) return true;
  for (const std::string& name : p.personal_attributes)
    if (same_attribute_name(name, key)) return true;
  return false;
}

json without_personal(const Privacy& p, const json& attributes) {
  json out = json::object();
  if (!attributes.is_object()) return out;
  for (const auto& [key, value] : attributes.items())
    if (!is_personal_attribute(p, key)) out[key] = value;
  return out;
}

std::string_view without_query(std::string_view url) noexcept {
  return url.substr(0, url.find_first_of("?#"));
}

std::string_view store_page(const Privacy& p, std::string_view url) noexcept {
  return p.keep_page_query ? url : without_query(url);
}

void apply_privacy(const Privacy& p, Response& r) {
  if (!r.page) return;
  const std::string_view kept = store_page(p, *r.page);
  if (kept.empty())
    r.page.reset();
  else
    r.page = std::string(kept);
}

} // namespace nps
