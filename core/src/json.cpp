#include "nps/json.hpp"

#include <cmath>

namespace nps {

namespace {

// Both JSON libraries stop reading at a NUL byte after the value, so "{...}\0junk" would
// pass; a body with a NUL outside a string is not JSON (inside one it is written \u0000).
bool has_nul(std::string_view text) noexcept {
  for (char c : text) // (not text.find: that links memchr into the browser modules)
    if (c == '\0') return true;
  return false;
}

// The text as JSON, or nullopt; a NUL byte is the caller's to check.
std::optional<json> parse_checked(std::string_view text) {
#if defined(NPS_SMALL_JSON)
  return small_json::parse(text);
#else
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  return j;
#endif
}

} // namespace

std::optional<json> parse_json_value(std::string_view text) {
  if (has_nul(text)) return std::nullopt;
  return parse_checked(text);
}

Result<json> parse_json(std::string_view text) {
  if (has_nul(text)) return Error{ErrorCode::parse_error, "", "the input is not valid JSON (a NUL byte)"};
  auto j = parse_checked(text);
  if (!j) return Error{ErrorCode::parse_error, "", "the input is not valid JSON"};
  return std::move(*j);
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
std::string dump(const ordered_json& j) {
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

json to_json(const Error& e) {
  // Member by member: json's nested initializer lists cost the browser modules more code.
  json j = json::object();
  j["code"] = to_string(e.code);
  j["path"] = e.path;
  j["message"] = e.message;
  return j;
}

json to_json(const Errors& es) {
  json arr = json::array();
  for (const auto& e : es)
    arr.push_back(to_json(e));
  return arr;
}

std::string_view type_name(const json& j) noexcept {
  switch (j.type()) {
  case json::value_t::null: return "null";
  case json::value_t::boolean: return "a boolean";
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
  case json::value_t::number_float: return "a number";
  case json::value_t::string: return "a string";
  case json::value_t::array: return "an array";
  case json::value_t::object: return "an object";
  default: return "an unknown value";
  }
}

Error type_error(std::string_view path, std::string_view expected, const json& got) {
  std::string message = "expected "; // appended, not operator+ temporaries: less code in Wasm
  message += expected;
  message += ", got ";
  message += type_name(got);
  return Error{ErrorCode::invalid_type, std::string(path), std::move(message)};
}

const json& member_or_null(const json& o, std::string_view key) {
  static const json none;
  if (!o.is_object()) return none;
  auto it = o.find(key);
  return it == o.end() ? none : *it;
}

std::optional<std::int64_t> as_integer(const json& j) noexcept {
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (j.is_number_float()) {
    const double d = j.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

} // namespace nps
