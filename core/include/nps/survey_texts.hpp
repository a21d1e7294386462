// The translation hand-off (issue 19, item 13): every respondent-visible text of a survey as
// rows a translator fills in, and the filled-in rows merged back into the survey.
//
// A row's key is the text's path in the survey definition, without the locale: "product",
// "question", "low_label", "high_label", "followup.detractor.text",
// "followup.passive.questions[0].options[2].label", … (the same path survey.parse names in
// its errors, with the locale appended). Only texts that have a source-language version are
// rows: a text left to the built-in wording is translated by the built-in tables already.
//
// Import is strict and all or nothing: a row that is not an object {key, source, target} of
// strings, an unknown key (no text to translate there) and a key given twice are errors,
// each naming its row; so is a merged survey the validator refuses (a text too long:
// "question.es"). Otherwise each row is
//   applied  its target is written into the survey in the target language;
//   missing  its target is empty (or the file has no row for a text): nothing is written,
//            a translation already in the survey stays;
//   stale    its source is not the survey's current source text (the text changed after the
//            export): not applied, so nobody ships the translation of an old text.
// Ops survey_texts.export and survey_texts.import in invoke(); in nps-core only, never in
// the browser's eligibility, flow or survey modules.
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"
#include "nps/survey.hpp"

#include <string>
#include <vector>

namespace nps {

enum class TextState { missing, present, applied, stale };
[[nodiscard]] std::string_view to_string(TextState s) noexcept;

struct TextRow {
  std::string key;
  std::string source;
  std::string target;
  TextState state = TextState::missing;
};

// The rows for `target`, from `source` (the default language when empty), in the order of
// the definition. Errors: a target or source that is not a language tag, the same tag for
// both, or a target the survey does not offer (its "locales" list, when it has one).
[[nodiscard]] Result<std::vector<TextRow>> export_texts(const Survey& s, const std::string& target,
                                                        const std::string& source = "");

struct TextImport {
  Survey survey;             // with the applied rows' texts, validated
  std::vector<TextRow> rows; // every text of the survey: applied, missing or stale
};
// Rows as the translator returns them (key, source, target; state ignored). Errors have
// paths "rows[3].key"; nothing is merged when there is any.
[[nodiscard]] Result<TextImport> import_texts(const Survey& s, const std::string& target,
                                              const std::vector<TextRow>& rows,
                                              const std::string& source = "");

// The ops: {"survey", "target", "source"?} → {"source", "target", "rows": [{key, source,
// target, state}], "missing", "present"}; {"survey", "target", "source"?, "rows": [{key,
// source, target}]} → {"survey": the new definition, "rows": [{key, state, source?}],
// "applied", "missing", "stale"} (a stale row carries the survey's current source text).
[[nodiscard]] Result<ordered_json> op_survey_texts_export(const json& in);
[[nodiscard]] Result<ordered_json> op_survey_texts_import(const json& in);

} // namespace nps
