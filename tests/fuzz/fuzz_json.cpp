// The two JSON parsers the core can be built with, differentially: nps::parse_json over
// nlohmann/json (npsd, the CLI, the native widget) and nps::small_json (the browser's Wasm
// modules). Every outside input reaches one of them first, so any difference is a
// difference users see between the browser and the server. They must agree on accepting
// a text and write the same text back (ordered and sorted), with the differences
// nps/small_json.hpp documents: nesting deeper than 512 levels is refused by small_json
// only, and a double may be written shorter (or closer) by small_json than by nlohmann's
// Grisu2, reading back to the same double.
#include "fuzz_support.hpp"

#include "nps/json.hpp"
#include "nps/small_json.hpp"

#include <cstdlib>
#include <string>

namespace {

namespace sj = nps::small_json;
using nps::fuzz::fail;

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// a (small_json) and b (nlohmann) are the same dump, but for doubles that small_json
// writes no longer than nlohmann and that read back to the same value.
bool same_dump(const std::string& a, const std::string& b) {
  if (a == b) return true;
  std::size_t i = 0, k = 0;
  bool in_string = false;
  while (i < a.size() && k < b.size()) {
    if (!in_string && is_number_char(a[i]) && is_number_char(b[k])) {
      std::size_t i2 = i, k2 = k;
      while (i2 < a.size() && is_number_char(a[i2]))
        ++i2;
      while (k2 < b.size() && is_number_char(b[k2]))
        ++k2;
      const std::string x = a.substr(i, i2 - i), y = b.substr(k, k2 - k);
      if (x != y &&
          (x.size() > y.size() || std::strtod(x.c_str(), nullptr) != std::strtod(y.c_str(), nullptr)))
        return false;
      i = i2;
      k = k2;
      continue;
    }
    if (a[i] != b[k]) return false;
    if (in_string && a[i] == '\\') {
      if (i + 1 >= a.size() || k + 1 >= b.size() || a[i + 1] != b[k + 1]) return false;
      i += 2;
      k += 2;
      continue;
    }
    if (a[i] == '"') in_string = !in_string;
    ++i;
    ++k;
  }
  return i == a.size() && k == b.size();
}

// Deepest nesting of arrays and objects outside strings (the text is valid JSON).
std::size_t depth(std::string_view text) {
  std::size_t d = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++d);
    } else if (c == ']' || c == '}') {
      --d;
    }
  }
  return deepest;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = nps::fuzz::as_text(data, size);
  const auto core = nps::parse_json(text); // nlohmann, with the core's NUL rule
  const bool has_nul = text.find('\0') != std::string_view::npos;
  if (has_nul) {
    if (core) fail("parse_json accepted a text with a NUL byte", text);
    return 0; // small_json alone stops at a NUL, as nlohmann does; the core refuses both
  }
  const auto small = sj::parse(text);
  if (core.ok() != small.has_value()) {
    if (core && !small && depth(text) > 512) return 0; // documented: small_json's depth limit
    fail(core ? "accepted by nlohmann only" : "accepted by small_json only", text);
  }
  if (!core) return 0;
  const std::string n_sorted = nps::dump(*core);
  const std::string s_sorted = small->dump(-1, ' ', false, sj::error_handler_t::replace);
  if (!same_dump(s_sorted, n_sorted))
    fail("written differently (sorted keys)", text, s_sorted + "  vs  " + n_sorted);
  const std::string n_ordered = nps::dump(nps::ordered_json(*core));
  const std::string s_ordered = sj::ordered_json(*small).dump(-1, ' ', false, sj::error_handler_t::replace);
  if (!same_dump(s_ordered, n_ordered))
    fail("written differently (as ordered_json)", text, s_ordered + "  vs  " + n_ordered);
  // What each writes, the other reads back to an equal value.
  const auto back = nps::parse_json(s_sorted);
  if (!back || *back != *core) fail("nlohmann does not read back what small_json wrote", text, s_sorted);
  const auto back_small = sj::parse(n_sorted);
  if (!back_small || !(*back_small == *small))
    fail("small_json does not read back what nlohmann wrote", text, n_sorted);
  return 0;
}
