// Every core operation by name, JSON text in and JSON text out. This is the surface the
// Wasm build exports and the shared test vectors exercise, so the browser, native apps
// and the server are proven to compute the same text from the same input.
//
// Operations (input → output):
//   summarize          [score, ...] → {"n","promoters","passives","detractors","nps","ci95","method"}
//   score.parse        "text" | number → {"score", "category"}
//   tally.summary      {"counts":[11 counts]} → summary with shares, se, small_sample
//   tally.merge        {"a":[11], "b":[11]} → [11]
//   tally.compare      {"a":[11], "b":[11]} → {"difference","z","p","significant","small_sample"}
//   tally.trend        {"periods":[[11], ...]} → {"periods","n","slope","slope_se","start","change","z","p",
//                      "significant","small_sample","first_vs_last"} (trend.hpp)
//   response.parse     response object → the normalised response
//   scores.read        {"text", "column"?} → {"counts":[11], "blank", "invalid":[{line,value,code,message}]}
//   survey.parse       survey definition → the normalised definition (every default filled in)
//   flow.start         {"survey", "start"} → {"state", "view"}
//   flow.apply         {"survey", "state", "event"} → {"state", "view", "send", "response"?}
//   flow.run           {"survey", "start", "events"} → {"steps":[{event, step, send, response?|error}],
//                      "view"}
//   eligibility.decide {"survey", "visitor", "page"} → {"verdict","code","reason","params","wait_for"?}
//   visitor.record     {"visitor", "survey", "event": "shown"|"answered"|"dismissed", "now"} → {"visitor"}
//                      (record_visit in eligibility.hpp; also in the browser's flow module)
//   eligibility.sample {"visitor_id","survey_id","percent"} → {"bucket", "in_sample"}
//   eligibility.daily_cap {"survey", "stored_today"} → {"accept", "cap"}
//   eligibility.url_match {"match","pattern","url"} → true | false
//   privacy.page       {"survey", "page"} → the page as a response stores it, or null (privacy.hpp)
//   privacy.attributes {"survey", "attributes"} → {"personal": [keys], "visible": {the others}}
//   locale.canonical   "tag" → "canonical-tag"
//   i18n.negotiate     {"requested":[tags], "available":[tags], "fallback"?:"en"} → "tag"
//   i18n.direction     "tag" → "ltr" | "rtl"
//   i18n.strings       "tag" | [tags] → {"locale", "dir", "texts": {key: text}} (built-in texts)
//   i18n.format        {"pattern", "params"?: {name: string | number}} → "text"
//   themes.log_odds, themes.impact, themes.trend: see core/src/themes_api.cpp
//   i18n.locales       null → ["en", "es", ...] (the built-in languages)
//   drivers.fit, churn.fit, churn.risk  the insight models (issue 17): see insights_api.hpp
//   reply.read         "text" → {"kind", "score"?, "category"?, "comment"?, "language", "reason"?}
//   (reply.hpp)
#pragma once

#include "nps/json.hpp"
#include "nps/tally.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nps {

struct Invoked {
  bool ok = false;
  std::string text; // the output JSON when ok, else a JSON array of errors
};

[[nodiscard]] Invoked invoke(std::string_view op, std::string_view input_json);

// Single operations for builds that link only what they use (the browser's flow module and
// the dashboard's survey validator, web/CMakeLists.txt).
// flow.locale, flow.start, flow.apply, visitor.record. The module has no built-in texts of its own
// (web/flow_texts.cpp): the widget installs the language flow.locale names first.
// Unlike invoke(), the survey is read as npsd serves it (read_normalized_survey), not
// validated: give it what survey.parse returned.
[[nodiscard]] Invoked invoke_flow(std::string_view op, std::string_view input_json);

// survey.parse and i18n.locales, for the dashboard's live preview: it validates the
// definition being edited, hands the result to the flow module, and lists the languages;
// i18n.negotiate, with which the dashboard picks its own language.
[[nodiscard]] Invoked invoke_survey(std::string_view op, std::string_view input_json);

// The names invoke() knows, for documentation and for the vector runners' coverage check.
[[nodiscard]] const std::vector<std::string_view>& operation_names();

// The summary object printed by `nps summarize` and returned by the Wasm `summarize`,
// keys in the documented order.
[[nodiscard]] ordered_json summary_json(const Summary& s);
// tally.summary's output for a tally: the summary with counts, shares, se and small_sample;
// for an empty tally the figures (nps, ci95, shares, se) are null and small_sample is true.
// npsd's summaries are this object too, so the server and the vectors agree.
[[nodiscard]] ordered_json tally_summary_json(const Tally& t);
[[nodiscard]] Result<Tally> tally_from_scores(const json& scores);

} // namespace nps
