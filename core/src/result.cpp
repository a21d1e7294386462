#include "nps/result.hpp"

namespace nps {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
  case ErrorCode::invalid_type: return "invalid_type";
  case ErrorCode::out_of_range: return "out_of_range";
  case ErrorCode::not_integer: return "not_integer";
  case ErrorCode::required: return "required";
  case ErrorCode::empty: return "empty";
  case ErrorCode::too_long: return "too_long";
  case ErrorCode::too_many: return "too_many";
  case ErrorCode::invalid_utf8: return "invalid_utf8";
  case ErrorCode::invalid_format: return "invalid_format";
  case ErrorCode::invalid_value: return "invalid_value";
  case ErrorCode::unknown_field: return "unknown_field";
  case ErrorCode::parse_error: return "parse_error";
  case ErrorCode::duplicate: return "duplicate";
  case ErrorCode::no_data: return "no_data";
  case ErrorCode::unknown_op: return "unknown_op";
  }
  return "unknown";
}

std::string describe(const Error& e) {
  if (e.path.empty()) return e.message;
  return e.path + ": " + e.message;
}

namespace {
bool is_identifier(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}
} // namespace

std::string join_path(std::string_view parent, std::string_view key) {
  std::string out(parent);
  if (is_identifier(key)) {
    if (!out.empty()) out += '.';
    out += key;
    return out;
  }
  // Keys that would make the path ambiguous are quoted: attributes["a.b"].
  out += "[\"";
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += "\"]";
  return out;
}

std::string join_path(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out += '[';
  out += std::to_string(index);
  out += ']';
  return out;
}

std::string nest_path(std::string_view prefix, std::string_view path) {
  std::string out(prefix);
  if (path.empty()) return out;
  if (!out.empty() && path.front() != '[') out += '.';
  out += path;
  return out;
}

void append_prefixed(Errors& into, const Errors& from, std::string_view prefix) {
  for (Error e : from) {
    e.path = nest_path(prefix, e.path);
    into.push_back(std::move(e));
  }
}

} // namespace nps
