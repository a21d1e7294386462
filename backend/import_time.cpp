// Import options by name (import.hpp: set_option), and the dates and times of imported
// answers (parse_time): ISO 8601 with or without a zone, the space-separated forms exports
// use, slashed dates in a declared order, Unix time.
#include "import.hpp"

#include "dates.hpp"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <memory>
#include <string>

namespace npsd::import {

namespace {

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "HH:MM", "HH:MM:SS", "HH:MM:SS.fff" → milliseconds of the day.
std::optional<std::int64_t> clock_time(std::string_view s) {
  std::int64_t ms = 0;
  if (auto dot = s.find('.'); dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (!digits(frac) || frac.size() > 9) return std::nullopt;
    std::string f(frac.substr(0, 3));
    while (f.size() < 3)
      f += '0';
    ms = *parse_int(f);
    s = s.substr(0, dot);
  }
  if (s.size() != 5 && s.size() != 8) return std::nullopt;
  if (s[2] != ':' || (s.size() == 8 && s[5] != ':')) return std::nullopt;
  const auto h = parse_int(s.substr(0, 2)), m = parse_int(s.substr(3, 2));
  const auto sec = s.size() == 8 ? parse_int(s.substr(6, 2)) : std::optional(0);
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
  return ((*h * 60 + *m) * 60 + *sec) * 1000LL + ms;
}

// "Z", "+02:00", "+0200", "-07" → minutes east of UTC.
std::optional<int> zone(std::string_view s) {
  if (s == "Z" || s == "UTC" || s == "GMT") return 0;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  std::string d;
  for (char c : s.substr(1))
    if (c != ':') d += c;
  if (!digits(d) || (d.size() != 2 && d.size() != 4)) return std::nullopt;
  const int h = *parse_int(d.substr(0, 2)), m = d.size() == 4 ? *parse_int(d.substr(2, 2)) : 0;
  if (h > 14 || m > 59) return std::nullopt;
  return sign * (h * 60 + m);
}

} // namespace

std::optional<Millis> parse_time(std::string_view s, int utc_offset_minutes, DateOrder order,
                                 std::string& why) {
  s = trim(s);
  if (digits(s) && (s.size() == 10 || s.size() == 13)) { // Unix seconds or milliseconds
    const auto v = std::stoll(std::string(s));
    return s.size() == 10 ? v * 1000 : v;
  }
  // The date: YYYY-MM-DD, or MM/DD/YYYY / DD/MM/YYYY with a declared order.
  int y = 0;
  unsigned mo = 0, d = 0;
  std::size_t rest = 0;
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-') {
    const auto Y = parse_int(s.substr(0, 4)), M = parse_int(s.substr(5, 2)), D = parse_int(s.substr(8, 2));
    if (!Y || !M || !D) return why = "not a date (YYYY-MM-DD)", std::nullopt;
    y = *Y, mo = static_cast<unsigned>(*M), d = static_cast<unsigned>(*D);
    rest = 10;
  } else if (const auto slash = s.find('/'); slash != std::string_view::npos && slash <= 2) {
    if (order == DateOrder::none)
      return why = "a date with slashes needs its order: --date-order mdy (03/31/2025) or dmy (31/03/2025)",
             std::nullopt;
    const auto second = s.find('/', slash + 1);
    const auto end = s.find_first_of(" T", second == std::string_view::npos ? 0 : second);
    if (second == std::string_view::npos) return why = "not a date", std::nullopt;
    const auto a = parse_int(s.substr(0, slash)), b = parse_int(s.substr(slash + 1, second - slash - 1));
    const auto Y =
        parse_int(s.substr(second + 1, (end == std::string_view::npos ? s.size() : end) - second - 1));
    if (!a || !b || !Y || *Y < 1000) return why = "not a date", std::nullopt;
    y = *Y;
    mo = static_cast<unsigned>(order == DateOrder::mdy ? *a : *b);
    d = static_cast<unsigned>(order == DateOrder::mdy ? *b : *a);
    rest = end == std::string_view::npos ? s.size() : end;
  } else {
    return why = "not a date: YYYY-MM-DD[ HH:MM[:SS]][zone], or Unix seconds", std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || civil_from_days(days_from_civil(y, mo, d)).d != d)
    return why = "no such day", std::nullopt;
  std::int64_t ms = static_cast<std::int64_t>(days_from_civil(y, mo, d)) * 86'400'000LL;
  std::string_view t = s.substr(rest);
  int offset = utc_offset_minutes;
  if (!t.empty()) {
    if (t[0] != 'T' && t[0] != ' ') return why = "text after the date", std::nullopt;
    t.remove_prefix(1);
    // The clock, then AM/PM and a zone, in any spacing: "10:00:00Z", "10:00 PM", "10:00:00 -0700".
    std::size_t end = 0;
    while (end < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[end])) || t[end] == ':' || t[end] == '.'))
      ++end;
    auto clock = clock_time(t.substr(0, end));
    if (!clock) return why = "not a time of day (HH:MM or HH:MM:SS)", std::nullopt;
    std::string_view tail = trim(t.substr(end));
    if (tail.size() >= 2 && (lower(tail.substr(0, 2)) == "am" || lower(tail.substr(0, 2)) == "pm")) {
      const bool pm = lower(tail.substr(0, 2)) == "pm";
      const std::int64_t hour = *clock / 3'600'000;
      if (hour < 1 || hour > 12) return why = "an AM/PM hour is 1 to 12", std::nullopt;
      *clock += ((hour % 12) + (pm ? 12 : 0) - hour) * 3'600'000LL;
      tail = trim(tail.substr(2));
    }
    if (!tail.empty()) {
      auto z = zone(tail);
      if (!z) return why = "not a time zone (Z, +02:00, -0700)", std::nullopt;
      offset = *z;
    }
    ms += *clock;
  }
  return ms - offset * 60'000LL;
}

bool known_time_zone(const std::string& name) {
  if (name.empty()) return false;
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
  return tz && *tz != icu::TimeZone::getUnknown();
}

std::optional<Millis> parse_time_in(std::string_view s, int utc_offset_minutes, const std::string& time_zone,
                                    DateOrder order, std::string& why) {
  const auto at = parse_time(s, utc_offset_minutes, order, why);
  if (!at || time_zone.empty()) return at;
  // Written with its zone (or as Unix time) when another default offset reads the same instant.
  if (parse_time(s, utc_offset_minutes + 60, order, why) == at) return at;
  const Millis local = *parse_time(s, 0, order, why); // the wall clock, counted as if at UTC
  std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(time_zone)));
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(tz.get());
  if (!basic || *tz == icu::TimeZone::getUnknown())
    return why = "unknown time zone " + time_zone, std::nullopt;
  UErrorCode status = U_ZERO_ERROR;
  std::int32_t raw = 0, dst = 0;
  basic->getOffsetFromLocal(static_cast<UDate>(local), UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst,
                            status);
  if (U_FAILURE(status)) return why = "cannot read the time in " + time_zone, std::nullopt;
  const Millis utc = local - raw - dst;
  // A wall-clock time skipped when the clocks went forward does not exist there.
  basic->getOffset(static_cast<UDate>(utc), false, raw, dst, status);
  if (U_FAILURE(status) || utc + raw + dst != local)
    return why = "this local time does not exist in " + time_zone + " (the clocks changed)", std::nullopt;
  return utc;
}

std::optional<std::string> set_option(Options& o, std::string_view name, std::string_view value) {
  if (name == "preset") {
    auto p = preset_named(value);
    if (!p)
      return "preset: one of npsd, delighted, formbricks, survicate, wootric (inmoment), qualtrics, custom";
    o.preset = *p;
  } else if (name == "column") {
    const auto eq = value.find('=');
    const std::string field(eq == std::string_view::npos ? "" : value.substr(0, eq));
    static const std::array<std::string_view, 7> fields = {"score",   "date",   "comment", "respondent",
                                                           "channel", "locale", "id"};
    if (std::find(fields.begin(), fields.end(), field) == fields.end() || eq + 1 >= value.size())
      return "column: FIELD=HEADER, FIELD one of score, date, comment, respondent, channel, locale, id";
    o.columns[field] = std::string(value.substr(eq + 1));
  } else if (name == "ignore") {
    if (value.empty()) return "ignore: a column header";
    o.ignore.emplace_back(value);
  } else if (name == "utc-offset") {
    auto z = value == "UTC" ? std::optional(0) : zone(value);
    if (!z) return "utc-offset: UTC, +02:00, -0700 (the zone of dates written without one)";
    o.utc_offset_minutes = *z;
  } else if (name == "time-zone") {
    if (!known_time_zone(std::string(value)))
      return "time-zone: an IANA time zone name, e.g. Europe/Madrid or America/Denver";
    o.time_zone = std::string(value);
  } else if (name == "date-order") {
    if (value != "mdy" && value != "dmy") return "date-order: mdy (03/31/2025) or dmy (31/03/2025)";
    o.date_order = value == "mdy" ? DateOrder::mdy : DateOrder::dmy;
  } else if (name == "scale") {
    if (value != "0-10" && value != "1-10") return "scale: 0-10 or 1-10";
    o.scale = value == "0-10" ? Scale::zero_to_ten : Scale::one_to_ten;
  } else if (name == "map") {
    if (value != "keep" && value != "stretch")
      return "map: keep (1 stays 1) or stretch (1 becomes 0, 10 stays 10)";
    o.scale_map = value == "keep" ? ScaleMap::keep : ScaleMap::stretch;
  } else {
    return "unknown option " + std::string(name);
  }
  return std::nullopt;
}

} // namespace npsd::import
