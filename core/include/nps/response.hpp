// The record one respondent's answer produces, and the validation every receiver runs:
// the widget before sending, the server before storing. Parsing normalises (trims text,
// canonical language tags) and collects every problem with its JSON path.
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"
#include "nps/score.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nps {

enum class Channel { web, app, email, link, sms, import, api };
[[nodiscard]] std::string_view to_string(Channel c) noexcept;
[[nodiscard]] std::optional<Channel> channel_from_string(std::string_view s) noexcept;

enum class Device { desktop, mobile, tablet };
[[nodiscard]] std::string_view to_string(Device d) noexcept;
[[nodiscard]] std::optional<Device> device_from_string(std::string_view s) noexcept;

// Caps, in code points unless noted. Published in the README; the server and the widget
// share them through this header.
struct ResponseLimits {
  static constexpr std::size_t id = 64;             // survey_id: [A-Za-z0-9_-]
  static constexpr std::size_t idempotency_min = 8; // idempotency_key: [A-Za-z0-9_.:-]
  static constexpr std::size_t idempotency_max = 128;
  static constexpr std::size_t comment = 5000;
  static constexpr std::size_t respondent_id = 256;
  static constexpr std::size_t page = 2048;
  static constexpr std::size_t attributes = 50;    // keys
  static constexpr std::size_t attribute_key = 64; // [A-Za-z0-9_.-]
  static constexpr std::size_t attribute_value = 500;
  static constexpr std::size_t answers = 10; // additional-question answers
  static constexpr std::size_t answer_text = 2000;
  static constexpr std::size_t answer_choices = 20;
  // client_time: milliseconds since 1970-01-01 UTC, within [2000-01-01, 2100-01-01).
  static constexpr std::int64_t time_min = 946684800000;
  static constexpr std::int64_t time_max = 4102444800000;
};

struct Response {
  std::string survey_id;
  Score score = *Score::from_int(0);
  std::optional<std::string> comment; // follow-up answer; absent when blank
  json answers = json::object();      // additional questions: id → text | number | [text]
  Channel channel = Channel::api;
  std::optional<std::string> locale; // canonical BCP 47 tag
  std::optional<std::string> respondent_id;
  json attributes = json::object();        // key → string | number | boolean
  std::optional<std::int64_t> client_time; // ms since epoch
  std::optional<std::string> page;         // URL the answer was given on
  std::optional<Device> device;
  std::string idempotency_key;

  [[nodiscard]] Category category() const noexcept { return classify(score); }
  friend bool operator==(const Response&, const Response&) = default;
};

// A score from JSON: a number (integral) or text parsed strictly with Score::parse.
[[nodiscard]] Result<Score> score_from_json(const json& v, std::string_view path);

[[nodiscard]] Result<Response> parse_response(const json& j);
[[nodiscard]] json to_json(const Response& r);

} // namespace nps
