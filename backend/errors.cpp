// The one table from API error code to wire name and HTTP status, and the JSON error body.
#include "errors.hpp"

#include <array>
#include <cstddef>

namespace npsd {

namespace {

struct CodeInfo {
  ApiCode code;
  std::string_view wire;
  int status;
};

constexpr std::array kCodes = {
    CodeInfo{ApiCode::parse_error, "parse_error", 400},
    CodeInfo{ApiCode::invalid_utf8, "invalid_utf8", 400},
    CodeInfo{ApiCode::invalid_type, "invalid_type", 400},
    CodeInfo{ApiCode::out_of_range, "out_of_range", 400},
    CodeInfo{ApiCode::not_integer, "not_integer", 400},
    CodeInfo{ApiCode::required, "required", 400},
    CodeInfo{ApiCode::empty, "empty", 400},
    CodeInfo{ApiCode::too_long, "too_long", 400},
    CodeInfo{ApiCode::too_many, "too_many", 400},
    CodeInfo{ApiCode::invalid_format, "invalid_format", 400},
    CodeInfo{ApiCode::invalid_value, "invalid_value", 400},
    CodeInfo{ApiCode::unknown_field, "unknown_field", 400},
    CodeInfo{ApiCode::no_data, "no_data", 400},
    CodeInfo{ApiCode::bad_request, "bad_request", 400},
    CodeInfo{ApiCode::duplicate_key, "duplicate_key", 400},
    CodeInfo{ApiCode::unauthorized, "unauthorized", 401},
    CodeInfo{ApiCode::forbidden, "forbidden", 403},
    CodeInfo{ApiCode::origin_not_allowed, "origin_not_allowed", 403},
    CodeInfo{ApiCode::not_found, "not_found", 404},
    CodeInfo{ApiCode::method_not_allowed, "method_not_allowed", 405},
    CodeInfo{ApiCode::timeout, "timeout", 408},
    CodeInfo{ApiCode::duplicate, "duplicate", 409},
    CodeInfo{ApiCode::archived, "archived", 410},
    CodeInfo{ApiCode::payload_too_large, "payload_too_large", 413},
    CodeInfo{ApiCode::uri_too_long, "uri_too_long", 414},
    CodeInfo{ApiCode::unsupported_media_type, "unsupported_media_type", 415},
    CodeInfo{ApiCode::daily_cap_reached, "daily_cap_reached", 429},
    CodeInfo{ApiCode::rate_limited, "rate_limited", 429},
    CodeInfo{ApiCode::header_too_large, "header_too_large", 431},
    CodeInfo{ApiCode::internal, "internal", 500},
    CodeInfo{ApiCode::unavailable, "unavailable", 503},
};

// Every code has exactly one row, at the index of its value.
constexpr bool table_complete() {
  for (std::size_t i = 0; i < kCodes.size(); ++i)
    if (static_cast<std::size_t>(kCodes[i].code) != i) return false;
  return kCodes.size() == static_cast<std::size_t>(ApiCode::unavailable) + 1;
}
static_assert(table_complete(), "kCodes must list every ApiCode once, in the enum's order");

const CodeInfo& info(ApiCode code) noexcept { return kCodes[static_cast<std::size_t>(code)]; }

nps::json error_json(const ApiError& e) {
  return nps::json{{"code", std::string(to_string(e.code))}, {"path", e.path}, {"message", e.message}};
}

} // namespace

std::string_view to_string(ApiCode code) noexcept { return info(code).wire; }
int http_status(ApiCode code) noexcept { return info(code).status; }

ApiCode api_code(nps::ErrorCode code) noexcept {
  switch (code) {
  case nps::ErrorCode::invalid_type: return ApiCode::invalid_type;
  case nps::ErrorCode::out_of_range: return ApiCode::out_of_range;
  case nps::ErrorCode::not_integer: return ApiCode::not_integer;
  case nps::ErrorCode::required: return ApiCode::required;
  case nps::ErrorCode::empty: return ApiCode::empty;
  case nps::ErrorCode::too_long: return ApiCode::too_long;
  case nps::ErrorCode::too_many: return ApiCode::too_many;
  case nps::ErrorCode::invalid_utf8: return ApiCode::invalid_utf8;
  case nps::ErrorCode::invalid_format: return ApiCode::invalid_format;
  case nps::ErrorCode::invalid_value: return ApiCode::invalid_value;
  case nps::ErrorCode::unknown_field: return ApiCode::unknown_field;
  case nps::ErrorCode::parse_error: return ApiCode::parse_error;
  case nps::ErrorCode::duplicate: return ApiCode::duplicate;
  case nps::ErrorCode::no_data: return ApiCode::no_data;
  case nps::ErrorCode::unknown_op: return ApiCode::internal; // the dispatcher's; no route parses an op
  }
  return ApiCode::internal;
}

void send_errors(httplib::Response& res, const std::vector<ApiError>& errors) {
  nps::json all = nps::json::array();
  for (const auto& e : errors)
    all.push_back(error_json(e));
  res.status = http_status(errors.front().code);
  res.set_content(nps::dump(nps::json{{"error", error_json(errors.front())}, {"errors", all}}),
                  "application/json");
}

void send_error(httplib::Response& res, ApiCode code, std::string path, std::string message) {
  send_errors(res, {ApiError{code, std::move(path), std::move(message)}});
}

void send_core_errors(httplib::Response& res, const nps::Errors& errors, std::string_view path_prefix) {
  std::vector<ApiError> out;
  for (const auto& e : errors)
    out.push_back(ApiError{api_code(e.code),
                           path_prefix.empty() ? e.path : nps::join_path(path_prefix, e.path), e.message});
  send_errors(res, out);
}

void send_json(httplib::Response& res, int status, const nps::json& body) {
  res.status = status;
  res.set_content(nps::dump(body), "application/json");
}

} // namespace npsd
