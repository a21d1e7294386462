// The one place the core chooses its JSON library: nlohmann/json, or with NPS_SMALL_JSON
// (the browser's Wasm modules) nps/small_json.hpp, which has the same interface for what
// the core uses and gives the same results (checked by the vectors through both builds).
// Parsing never throws; dumping replaces invalid UTF-8 instead of throwing, so neither can
// abort the Wasm build.
#pragma once

#include "nps/result.hpp"

#if defined(NPS_SMALL_JSON)
#include "nps/small_json.hpp"
#else
#include <nlohmann/json.hpp>
#endif

#include <optional>
#include <string>
#include <string_view>

namespace nps {

#if defined(NPS_SMALL_JSON)
using json = small_json::json;
using ordered_json = small_json::ordered_json;
#else
using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;
#endif

[[nodiscard]] Result<json> parse_json(std::string_view text);
// The same without the words: nullopt when the text is not JSON (for callers that only
// need to know, such as the browser's eligibility module).
[[nodiscard]] std::optional<json> parse_json_value(std::string_view text);
[[nodiscard]] std::string dump(const json& j);
[[nodiscard]] std::string dump(const ordered_json& j);

[[nodiscard]] json to_json(const Error& e);
[[nodiscard]] json to_json(const Errors& es);

// Human name of a JSON value's type, for error messages ("expected a string, got a number").
[[nodiscard]] std::string_view type_name(const json& j) noexcept;
[[nodiscard]] Error type_error(std::string_view path, std::string_view expected, const json& got);

// For reading back what the core wrote itself (read_normalized_survey and _flow_state): the
// member `key` of an object, or null (also when `o` is not an object).
[[nodiscard]] const json& member_or_null(const json& o, std::string_view key);

// Reads an integer field; accepts only integral numbers (9.0 counts as 9).
[[nodiscard]] std::optional<std::int64_t> as_integer(const json& j) noexcept;

} // namespace nps
