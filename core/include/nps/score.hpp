// The 0..10 answer and its category. Parsing is strict: only the whole numbers 0..10
// are scores; "9.5", "11", "-1", "+7", "1e1" and "abc" are not.
#pragma once

#include "nps/result.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace nps {

class Score {
public:
  static constexpr int min = 0;
  static constexpr int max = 10;

  // Text as typed or exported: ASCII digits only, surrounding spaces, tabs and a
  // trailing CR ignored. Errors carry `path` so callers can name the field.
  [[nodiscard]] static Result<Score> parse(std::string_view text, std::string_view path = "score");
  [[nodiscard]] static Result<Score> from_int(std::int64_t v, std::string_view path = "score");
  // From a JSON number: integral values only (9.0 is accepted as 9, 9.5 is not).
  [[nodiscard]] static Result<Score> from_double(double v, std::string_view path = "score");

  [[nodiscard]] constexpr int value() const noexcept { return v_; }
  friend constexpr bool operator==(Score, Score) = default;
  friend constexpr auto operator<=>(Score, Score) = default;

private:
  constexpr explicit Score(int v) : v_(v) {}
  int v_ = 0;
};

enum class Category { detractor, passive, promoter };
inline constexpr Category all_categories[] = {Category::detractor, Category::passive, Category::promoter};

// detractor 0–6, passive 7–8, promoter 9–10.
[[nodiscard]] constexpr Category classify(Score s) noexcept {
  if (s.value() >= 9) return Category::promoter;
  if (s.value() >= 7) return Category::passive;
  return Category::detractor;
}

[[nodiscard]] std::string_view to_string(Category c) noexcept;
[[nodiscard]] std::optional<Category> category_from_string(std::string_view s) noexcept;

} // namespace nps
