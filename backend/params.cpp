// Strict integers and segment filters from outside text.
#include "params.hpp"

#include "nps/response.hpp"

#include <charconv>
#include <limits>

namespace npsd {

IntParse parse_int(std::string_view text, std::int64_t min, std::int64_t max) noexcept {
  IntParse out;
  const bool negative = !text.empty() && text.front() == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    out.problem = IntProblem::not_a_number;
    return out;
  }
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range) {
    out.problem = IntProblem::out_of_range; // all digits, too many of them
    return out;
  }
  if (ec != std::errc() || end != text.data() + text.size()) {
    out.problem = IntProblem::not_a_number;
    return out;
  }
  if (v < min || v > max) {
    out.problem = IntProblem::out_of_range;
    return out;
  }
  out.value = v;
  return out;
}

std::optional<std::int64_t> read_int(std::string_view text, const std::string& name, std::int64_t min,
                                     std::int64_t max, std::vector<ApiError>& errors) {
  const auto p = parse_int(text, min, max);
  if (p.problem == IntProblem::none) return p.value;
  const std::string range = max == std::numeric_limits<std::int64_t>::max()
                                ? "a whole number from " + std::to_string(min)
                                : "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (p.problem == IntProblem::not_a_number)
    errors.push_back({ApiCode::invalid_format, name, range + ", written with digits only"});
  else
    errors.push_back({ApiCode::out_of_range, name, range});
  return std::nullopt;
}

std::optional<std::string> read_channel(std::string_view text, std::vector<ApiError>& errors) {
  if (nps::channel_from_string(text)) return std::string(text);
  errors.push_back({ApiCode::invalid_value, "channel", "web, app, email, link, sms, import or api"});
  return std::nullopt;
}

std::optional<std::string> read_device(std::string_view text, std::vector<ApiError>& errors) {
  if (nps::device_from_string(text)) return std::string(text);
  errors.push_back({ApiCode::invalid_value, "device", "desktop, mobile or tablet"});
  return std::nullopt;
}

std::optional<std::string> read_locale_tag(std::string_view text, std::vector<ApiError>& errors) {
  if (!text.empty() && text.size() <= 35 &&
      text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
          std::string_view::npos)
    return std::string(text);
  errors.push_back({ApiCode::invalid_format, "locale", "a language tag such as en, es-MX or zh-Hans"});
  return std::nullopt;
}

} // namespace npsd
