// The small JSON type's number conversions for native builds (nps/small_json.hpp; the
// browser's Wasm modules use web/js_numbers.cpp instead):
//   * text → double: up to 15 significant digits and a power of ten up to 22 in either
//     direction, the product or quotient of two exactly representable doubles is correctly
//     rounded (Clinger's fast path, which covers every number people write in a survey);
//     anything longer goes to strtod;
//   * double → text: to_chars, the shortest digits that read back to the same double.
#include "nps/small_json.hpp"

#include <charconv>
#include <cstdlib>
#include <string>

namespace nps::small_json {

namespace {
double exact_power_of_ten(int e) noexcept {
  double p = 1;
  for (int i = 0; i < e; ++i)
    p *= 10; // exact up to 1e22
  return p;
}
} // namespace

double text_to_double(std::string_view text) {
  std::uint64_t mantissa = 0;
  int digits = 0, exponent = 0;
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (negative) ++i;
  bool significant = false;
  bool fits = true;
  const std::size_t point = text.find('.'); // once: a long number stays linear
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') continue;
    const bool after_point = point != std::string_view::npos && i > point;
    if (text[i] != '0') significant = true;
    if (significant) {
      if (++digits > 15) fits = false;
      mantissa = mantissa * 10 + static_cast<std::uint64_t>(text[i] - '0');
    }
    if (after_point) --exponent;
  }
  if (i < text.size()) {
    ++i;
    bool minus = false;
    if (text[i] == '+' || text[i] == '-') minus = text[i++] == '-';
    int e = 0;
    for (; i < text.size(); ++i) {
      if (e > 100000) {
        fits = false;
        break;
      }
      e = e * 10 + (text[i] - '0');
    }
    exponent += minus ? -e : e;
  }
  if (fits && mantissa == 0) return negative ? -0.0 : 0.0;
  if (fits && exponent >= -22 && exponent <= 22) {
    const double m = static_cast<double>(mantissa); // exact: < 10^15 < 2^53
    const double v = exponent < 0 ? m / exact_power_of_ten(-exponent) : m * exact_power_of_ten(exponent);
    return negative ? -v : v;
  }
  return std::strtod(std::string(text).c_str(), nullptr);
}

int to_exponential(double x, char* out) {
  return static_cast<int>(std::to_chars(out, out + 40, x, std::chars_format::scientific).ptr - out);
}

} // namespace nps::small_json
