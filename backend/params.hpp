// Strict reading of numbers from outside text: ids in URL paths, query parameters such as
// limit and cursor, npsd's flags. The whole text must be a base-10 integer (digits, a
// leading '-' only where negatives are allowed; no '+', spaces, "1e3", "4abc", "1.9") inside
// a range; anything else is refused, never read in part.
// And the segment filters every admin page shares (channel=, device=, locale=), read once
// here so that no route takes "APP" or "fridge" and answers with nothing.
#pragma once

#include "errors.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npsd {

enum class IntProblem { none, not_a_number, out_of_range };

struct IntParse {
  std::int64_t value = 0;
  IntProblem problem = IntProblem::none;
};

// The whole of `text` as an integer in [min, max].
[[nodiscard]] IntParse parse_int(std::string_view text, std::int64_t min, std::int64_t max) noexcept;

// The same, with an error naming `name` added to `errors` when the text is refused:
// invalid_format when it is not a whole number, out_of_range when it is outside [min, max].
std::optional<std::int64_t> read_int(std::string_view text, const std::string& name, std::int64_t min,
                                     std::int64_t max, std::vector<ApiError>& errors);

// The segment filters of the admin routes (summary, trend, breakdown, responses, export,
// themes): each as the API names it, exactly (case counts; an empty value is refused, leave
// the parameter out for "all").
//   channel  web, app, email, link, sms, import or api    (else invalid_value naming it)
//   device   desktop, mobile or tablet                     (else invalid_value naming it)
//   locale   a language tag: 1 to 35 letters, digits, - _  (else invalid_format naming it)
// Each returns the value, or nullopt with the error added to `errors`.
std::optional<std::string> read_channel(std::string_view text, std::vector<ApiError>& errors);
std::optional<std::string> read_device(std::string_view text, std::vector<ApiError>& errors);
std::optional<std::string> read_locale_tag(std::string_view text, std::vector<ApiError>& errors);

struct Segments {
  std::optional<std::string> channel, device, locale; // nullopt: not asked for (all)
};

} // namespace npsd
