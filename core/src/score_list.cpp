#include "nps/score_list.hpp"

#include "nps/text.hpp"

#include <algorithm>

namespace nps {

namespace {

std::string_view strip_bom(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

std::string shorten(std::string_view s) {
  // Cut at 40 bytes without splitting a UTF-8 sequence.
  if (s.size() <= 40) return std::string(s);
  std::size_t cut = 40;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
    --cut;
  return std::string(s.substr(0, cut)) + "…";
}

void take(ScoreList& out, std::string_view value, std::size_t line) {
  if (trim(value).empty()) {
    ++out.blank;
    return;
  }
  auto s = Score::parse(value, "line " + std::to_string(line));
  if (s) {
    out.tally.add(*s);
    return;
  }
  out.invalid.push_back(InvalidLine{line, shorten(trim(value)), s.error()});
}

} // namespace

char detect_delimiter(std::string_view header_line) noexcept {
  const auto count = [&](char c) { return std::count(header_line.begin(), header_line.end(), c); };
  const auto commas = count(','), semis = count(';'), tabs = count('\t');
  if (tabs > commas && tabs > semis) return '\t';
  if (semis > commas) return ';';
  return ',';
}

Result<std::vector<CsvRecord>> parse_csv(std::string_view text, char delimiter) {
  std::vector<CsvRecord> records;
  std::size_t line = 1;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool record_done = false;
    while (!record_done) {
      field.clear();
      if (i < n && text[i] == '"') {
        const std::size_t quote_line = line;
        ++i;
        while (true) {
          if (i >= n)
            return Error{ErrorCode::invalid_format, "line " + std::to_string(quote_line),
                         "a quoted field is never closed"};
          const char c = text[i++];
          if (c == '"') {
            if (i < n && text[i] == '"') {
              field += '"';
              ++i;
              continue;
            }
            break;
          }
          if (c == '\n') ++line;
          field += c;
        }
        // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
        while (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
          field += text[i++];
      } else {
        while (i < n && text[i] != delimiter && text[i] != '\n' && text[i] != '\r')
          field += text[i++];
      }
      rec.fields.push_back(field);
      if (i < n && text[i] == delimiter) {
        ++i;
        continue;
      }
      // End of record: CR LF, LF, CR or end of text.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line;
      record_done = true;
    }
    records.push_back(std::move(rec));
  }
  return records;
}

Result<ScoreList> read_scores(std::string_view text, const ScoreListOptions& options) {
  text = strip_bom(text);
  ScoreList out;
  if (!options.column) {
    std::size_t line = 1;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      take(out, text.substr(start, end - start), line);
      start = end + 1;
      ++line;
    }
    return out;
  }

  const std::string_view first_line = text.substr(0, text.find('\n'));
  auto records = parse_csv(text, detect_delimiter(first_line));
  if (!records) return records.errors();
  if (records->empty()) return Error{ErrorCode::no_data, "column", "the CSV has no header row"};
  const auto& header = records->front().fields;
  std::optional<std::size_t> col;
  std::string names;
  for (std::size_t k = 0; k < header.size(); ++k) {
    const std::string_view h = trim(header[k]);
    if (h == *options.column) col = k;
    if (!names.empty()) names += ", ";
    names += "\"" + std::string(h) + "\"";
  }
  if (!col)
    return Error{ErrorCode::invalid_value, "column",
                 "no column \"" + *options.column + "\" in the header (it has " + names + ")"};
  for (std::size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& rec = (*records)[r];
    // A wholly empty row (a trailing newline, a spacer line) is not an answer at all.
    if (rec.fields.size() == 1 && trim(rec.fields[0]).empty()) continue;
    take(out, *col < rec.fields.size() ? std::string_view(rec.fields[*col]) : std::string_view(), rec.line);
  }
  return out;
}

} // namespace nps
