// CSV for exports: cells quoted as RFC 4180 asks, formulas defused, one stored response
// per row.
#pragma once

#include "storage.hpp"

#include <string>

namespace npsd {

// One cell: quoted when it holds , " CR or LF; a leading = + - @ TAB CR gets a ' so a
// spreadsheet shows it as text instead of running it.
[[nodiscard]] std::string csv_cell(std::string v);
// The header and one row of the full export, CRLF-terminated.
[[nodiscard]] const std::string& csv_export_header();
[[nodiscard]] std::string csv_row(const StoredResponse& s);

} // namespace npsd
