// Calendar dates for npsd's API: day numbers since 1970-01-01 to and from "YYYY-MM-DD",
// and millisecond times as ISO 8601 UTC text.
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace npsd {

struct Civil {
  int y;
  unsigned m, d;
};

// Days since 1970-01-01 from a civil date and back (H. Hinnant's algorithms).
[[nodiscard]] std::int32_t days_from_civil(int y, unsigned m, unsigned d);
[[nodiscard]] Civil civil_from_days(std::int32_t z);
// "2025-03-01".
[[nodiscard]] std::string date_text(std::int32_t day);
// "2025-03-01T12:00:00.000Z".
[[nodiscard]] std::string iso_time(Millis t);
// "YYYY-MM-DD" → day number; nullopt for any other text or a date that does not exist.
[[nodiscard]] std::optional<std::int32_t> parse_date(const std::string& s);

} // namespace npsd
