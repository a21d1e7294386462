// Reading scores from text as people hold them: one score per line (a paper survey typed
// in), or a CSV export with a header row and a named column. Blank answers are counted
// apart and never enter the NPS denominator; invalid ones are listed with their line.
#pragma once

#include "nps/result.hpp"
#include "nps/tally.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nps {

struct ScoreListOptions {
  std::optional<std::string> column; // CSV mode: the header name of the score column
};

struct InvalidLine {
  std::size_t line = 0; // 1-based line where the record starts
  std::string value;    // the text as found (truncated to 40 characters)
  Error error;
};

struct ScoreList {
  Tally tally;
  std::size_t blank = 0;
  std::vector<InvalidLine> invalid;
};

// Fails only when the input as a whole is unusable: the column is not in the header, a
// quoted field never ends. The CSV delimiter (comma, semicolon or tab) is taken from the
// header row, so spreadsheet exports from locales that use ';' work too.
[[nodiscard]] Result<ScoreList> read_scores(std::string_view text, const ScoreListOptions& options);

// RFC 4180 records with the line each starts on.
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};
[[nodiscard]] Result<std::vector<CsvRecord>> parse_csv(std::string_view text, char delimiter);
[[nodiscard]] char detect_delimiter(std::string_view header_line) noexcept;

} // namespace nps
