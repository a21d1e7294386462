// CSV for exports: cells quoted as RFC 4180 asks, formulas defused, one stored response
// per row.
#pragma once

#include "storage.hpp"

#include <optional>
#include <string>
#include <vector>

namespace npsd {

// One cell: quoted when it holds , " CR or LF; a leading = + - @ TAB CR gets a ' so a
// spreadsheet shows it as text instead of running it.
[[nodiscard]] std::string csv_cell(std::string v);
// The header and one row of the full export, CRLF-terminated.
[[nodiscard]] const std::string& csv_export_header();
[[nodiscard]] std::string csv_row(const StoredResponse& s);

// The spreadsheet flavour of the export (issue 19): what Excel opens as it is, in any locale.
struct CsvFlavour {
  char separator = ',';   // ';' where the decimal comma is used, or a tab
  bool bom = false;       // a UTF-8 byte order mark first, so Excel reads UTF-8 (Chinese, Russian)
  int offset_minutes = 0; // times as local times with this offset from UTC ("…T15:03:05+01:00")
  bool local_time = false;
  // Attributes as columns ("plan", "country", …: one per key found), instead of one JSON cell.
  std::vector<std::string> attribute_columns;
};
// One cell with a given separator (quoted when it holds it, ", CR or LF; formulas defused).
[[nodiscard]] std::string csv_cell(std::string v, char separator);
// "2026-11-02T15:03:05+01:00": a moment with an offset from UTC in minutes.
[[nodiscard]] std::string offset_time(Millis t, int offset_minutes);
// One line of cells, each quoted as csv_cell does, separated by `separator`, ending in CR LF.
[[nodiscard]] std::string csv_line(const std::vector<std::string>& cells, char separator);
// A moment as the flavour writes it: local with its offset (excel), else UTC ("…Z").
[[nodiscard]] std::string csv_time(Millis t, const CsvFlavour& f);
// "+01:00", "-05:30", "Z" → minutes east of UTC; nullopt for anything else (−14:00 … +14:00).
[[nodiscard]] std::optional<int> parse_utc_offset(const std::string& text);
[[nodiscard]] std::string csv_export_header(const CsvFlavour& f);
[[nodiscard]] std::string csv_row(const StoredResponse& s, const CsvFlavour& f);

} // namespace npsd
