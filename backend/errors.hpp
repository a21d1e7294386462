// npsd's API errors: every code an answer can carry, with its wire name and HTTP status in
// one table (errors.cpp), and the functions that send them as the JSON error body
// {"error": {...}, "errors": [...]}. A code is an enum, so a code without a status cannot
// be written.
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"

#include <httplib.h>

#include <string>
#include <string_view>
#include <vector>

namespace npsd {

enum class ApiCode {
  // 400: the request is wrong; `path` names the field or parameter.
  parse_error,
  invalid_utf8,
  invalid_type,
  out_of_range,
  not_integer,
  required,
  empty,
  too_long,
  too_many,
  invalid_format,
  invalid_value,
  unknown_field,
  no_data,
  bad_request,
  duplicate_key,          // a key twice in one JSON object
  unauthorized,           // 401
  forbidden,              // 403
  origin_not_allowed,     // 403
  not_found,              // 404
  method_not_allowed,     // 405
  timeout,                // 408
  duplicate,              // 409
  archived,               // 410
  payload_too_large,      // 413
  uri_too_long,           // 414
  unsupported_media_type, // 415
  daily_cap_reached,      // 429
  rate_limited,           // 429
  header_too_large,       // 431
  internal,               // 500
  unavailable,            // 503; the last code (the table and the OpenAPI list run to it)
};

// The code's name on the wire ("invalid_value") and its HTTP status.
[[nodiscard]] std::string_view to_string(ApiCode code) noexcept;
[[nodiscard]] int http_status(ApiCode code) noexcept;
// The API code of an error the core reported (its validation errors are all 400s but
// `duplicate`, which shares the API's 409).
[[nodiscard]] ApiCode api_code(nps::ErrorCode code) noexcept;

struct ApiError {
  ApiCode code;
  std::string path;
  std::string message;
};

// The status of the first error, all errors in the body.
void send_errors(httplib::Response& res, const std::vector<ApiError>& errors);
void send_error(httplib::Response& res, ApiCode code, std::string path, std::string message);
// The core's errors, each path under `path_prefix` when one is given.
void send_core_errors(httplib::Response& res, const nps::Errors& errors, std::string_view path_prefix = "");
void send_json(httplib::Response& res, int status, const nps::json& body);

} // namespace npsd
