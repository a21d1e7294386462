#include "nps/score.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace nps {

namespace {
std::string_view trim_ascii(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::string quoted(std::string_view t) {
  std::size_t cut = std::min<std::size_t>(t.size(), 40);
  while (cut < t.size() && cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80)
    --cut;
  return "\"" + std::string(t.substr(0, cut)) + (cut < t.size() ? "…\"" : "\"");
}

Error range_error(std::string_view path) {
  return Error{ErrorCode::out_of_range, std::string(path), "a score is a whole number from 0 to 10"};
}
} // namespace

Result<Score> Score::parse(std::string_view text, std::string_view path) {
  const std::string_view t = trim_ascii(text);
  if (t.empty()) return Error{ErrorCode::empty, std::string(path), "no score given"};
  auto all_digits = [](std::string_view d) {
    return !d.empty() && d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (!all_digits(t)) {
    // Name the common mistakes precisely: a sign is not part of a score, and a
    // negative number is simply out of range.
    if ((t.front() == '-' || t.front() == '+') && all_digits(t.substr(1))) {
      if (t.front() == '-')
        return Error{ErrorCode::out_of_range, std::string(path), quoted(t) + " is outside 0 to 10"};
      return Error{ErrorCode::invalid_format, std::string(path),
                   quoted(t) + ": a score is written without a sign"};
    }
    return Error{ErrorCode::not_integer, std::string(path),
                 quoted(t) + " is not a whole number from 0 to 10"};
  }
  const auto outside = [&] {
    return Error{ErrorCode::out_of_range, std::string(path), quoted(t) + " is outside 0 to 10"};
  };
  if (t.size() > 2) return outside(); // "0000000007" is not how anyone writes a score either
  int v = 0;
  for (char c : t)
    v = v * 10 + (c - '0');
  if (v > max) return outside();
  return from_int(v, path);
}

Result<Score> Score::from_int(std::int64_t v, std::string_view path) {
  if (v < min || v > max) return range_error(path);
  return Score(static_cast<int>(v));
}

Result<Score> Score::from_double(double v, std::string_view path) {
  if (!std::isfinite(v) || v != std::floor(v)) return range_error(path);
  if (v < min || v > max) return range_error(path);
  return Score(static_cast<int>(v));
}

std::string_view to_string(Category c) noexcept {
  switch (c) {
  case Category::detractor: return "detractor";
  case Category::passive: return "passive";
  case Category::promoter: return "promoter";
  }
  return "detractor";
}

std::optional<Category> category_from_string(std::string_view s) noexcept {
  for (Category c : all_categories)
    if (to_string(c) == s) return c;
  return std::nullopt;
}

} // namespace nps
