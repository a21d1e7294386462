// Answers collected elsewhere, read from a CSV export (issue 15): npsd's own export, the
// exports of Delighted, Formbricks, Survicate, Wootric/InMoment and Qualtrics (presets that
// know their columns), or any file with an explicit column mapping. No I/O here: the text
// in, rows and a report by line out; `nps import` (import_cli.cpp) and the admin route
// (routes_import.cpp) store them with Storage::import_responses.
//
// Strict: every row is checked before anything is stored (validate() first, then rows()
// in batches); an error names its line and column. Each row gets a stable idempotency key
// derived from the source row (its response id when the export has one, else a digest of
// its content and how many identical rows came before it), so importing the same file
// again stores nothing. A survey asked on a 1–10 scale is refused unless the caller chose a
// mapping (scale = one_to_ten with keep or stretch).
#pragma once

#include "storage.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npsd::import {

enum class Preset { npsd, delighted, formbricks, survicate, wootric, qualtrics, custom };
[[nodiscard]] std::optional<Preset> preset_named(std::string_view name);
[[nodiscard]] std::string_view to_string(Preset p) noexcept;

// The scale the source survey asked on. unknown: detected (a file whose scores are never 0
// over 30 answers or more is taken for 1–10 and refused until the caller says).
enum class Scale { unknown, zero_to_ten, one_to_ten };
// How 1–10 answers become 0–10 ones: keep the number (1 stays 1), or stretch the scale
// (round((s − 1) × 10 / 9): 1 → 0, 10 → 10).
enum class ScaleMap { none, keep, stretch };

// Day/month order of slashed dates (03/04/2025): refused unless given.
enum class DateOrder { none, mdy, dmy };

struct Options {
  std::string survey_id;
  Preset preset = Preset::custom;
  // Field → column header, overriding or completing the preset: "score", "date",
  // "comment", "respondent", "channel", "locale", "id".
  std::map<std::string, std::string> columns;
  std::vector<std::string> ignore; // columns not kept as attributes
  int utc_offset_minutes = 0;      // for dates written without a zone ("2025-03-01 10:00")
  // An IANA time zone ("America/Denver") for dates written without one, with its daylight
  // saving rules (ICU); wins over utc_offset_minutes. A Qualtrics export names its own in
  // the import-id row ({"ImportId":"startDate","timeZone":"…"}), used when this is empty.
  std::string time_zone;
  DateOrder date_order = DateOrder::none;
  Scale scale = Scale::unknown;
  ScaleMap scale_map = ScaleMap::none;
};

struct LineError {
  std::size_t line = 0; // 1: the header
  std::string column;   // header of the cell at fault ("" for the whole line)
  std::string message;
};

struct Report {
  std::size_t rows = 0;    // answers read (valid)
  std::size_t skipped = 0; // rows without a score (an unanswered question), not errors
  std::vector<LineError> errors;
  std::size_t error_count = 0;  // all of them; `errors` keeps the first 1,000
  Scale scale = Scale::unknown; // as declared or detected
};

// Reads every row, stores nothing: the report says whether the file may be imported
// (errors empty). Fatal problems (no header, a needed column missing, a 1–10 scale without a
// choice) are errors at line 1.
[[nodiscard]] Report validate(std::string_view text, const Options& options);

// The rows of a file validate() accepted, in batches of at most `batch` given to `sink`
// (response, received_at = the answer's own time). Returns false if a row fails after all
// (it never should: validate first).
using Sink = std::function<void(const std::vector<std::pair<nps::Response, Millis>>&)>;
bool rows(std::string_view text, const Options& options, std::size_t batch, const Sink& sink);

// One option by name, as the CLI (--name value) and the admin route (?name=value) take
// them: preset, column (FIELD=HEADER), ignore (HEADER), utc-offset (+02:00, -0700, UTC),
// time-zone (an IANA name: Europe/Madrid),
// date-order (mdy, dmy), scale (0-10, 1-10), map (keep, stretch). The problem, or nullopt.
[[nodiscard]] std::optional<std::string> set_option(Options& o, std::string_view name,
                                                    std::string_view value);

// "2025-03-01T10:00:00Z", "2025-03-01 10:00:00 -0700", "2025-03-01T10:00:00.123+02:00",
// "2025-03-01 10:00" (at `utc_offset_minutes`), "03/01/2025 10:00 AM" (with a date
// order), Unix seconds or milliseconds. nullopt, with `why`, otherwise.
[[nodiscard]] std::optional<Millis> parse_time(std::string_view s, int utc_offset_minutes, DateOrder order,
                                               std::string& why);
// The same, with dates written without a zone read in the IANA `time_zone` (its offset at
// that local time: "2025-03-09 03:30" in America/New_York is 07:30Z, "01:30" is 06:30Z). A
// local time skipped by a clock change is refused; one that happens twice is read as the
// earlier. An empty zone: parse_time at utc_offset_minutes.
[[nodiscard]] std::optional<Millis> parse_time_in(std::string_view s, int utc_offset_minutes,
                                                  const std::string& time_zone, DateOrder order,
                                                  std::string& why);
// Whether ICU knows the IANA zone name.
[[nodiscard]] bool known_time_zone(const std::string& name);

} // namespace npsd::import
