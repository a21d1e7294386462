// The files of the translation hand-off (issue 19, item 13): a survey's text rows
// (nps/survey_texts.hpp) written as CSV or XLIFF 2.0 for a translator, and read back.
//
// CSV: a UTF-8 byte order mark (so Excel reads Chinese or Russian as they are), the header
// key,source,target,state, CRLF lines; cells quoted as RFC 4180 asks, a leading = + - @
// defused with a ' (csv.hpp), which reading takes off again. Read back: the same columns in
// any order (state and columns other than key, source and target are ignored), separated
// by commas, semicolons or tabs (Excel saves with its locale's list separator), with or
// without the mark. Not UTF-8 (an Excel "CSV" saved in a legacy code page) is refused
// with its line.
//
// XLIFF 2.0: one <file>, one <unit> per row, one <segment> with <source> and <target>
// (state "initial" or "translated"). A unit's id must be an NMTOKEN, which "[" and "]" are
// not: "questions[0].text" is written "questions.0.text" (names in a key are never
// numbers, so the mapping reverses). Read back strictly and minimally: only these elements
// (and <notes>/<note>, which are skipped), the five predefined entities and character
// references, comments, CDATA; a DOCTYPE, another entity, a processing instruction or
// any other element is refused, each error with its line. srcLang and trgLang must be
// the languages asked for.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace npsd {

struct TextFileRow {
  std::string key, source, target, state;
  std::size_t line = 0; // where the row starts in the file read (1-based)
};

struct TextFileError {
  std::string path; // "line 4", "line 4: target"
  std::string message;
};

struct TextFileRead {
  std::vector<TextFileRow> rows;
  std::vector<TextFileError> errors; // none: rows are the whole file
};

[[nodiscard]] std::string texts_csv(const std::vector<TextFileRow>& rows);
[[nodiscard]] TextFileRead read_texts_csv(std::string_view text);

[[nodiscard]] std::string texts_xliff(const std::vector<TextFileRow>& rows, const std::string& file_id,
                                      const std::string& source_locale, const std::string& target_locale);
[[nodiscard]] TextFileRead read_texts_xliff(std::string_view text, const std::string& source_locale,
                                            const std::string& target_locale);

// "followup.detractor.questions[0].text" ↔ "followup.detractor.questions.0.text".
[[nodiscard]] std::string xliff_unit_id(std::string_view key);
[[nodiscard]] std::string key_of_unit_id(std::string_view id);

} // namespace npsd
