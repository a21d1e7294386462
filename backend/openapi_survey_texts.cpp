// The OpenAPI description of the translation hand-off (issue 19, item 13):
// routes_survey_texts.cpp.
#include "openapi_parts.hpp"

namespace npsd::openapi {

void add_survey_texts_paths(ordered_json& paths, const ordered_json& id) {
  const auto target = query_param("target", "The language to translate into (BCP 47), one of the survey's");
  const auto source =
      query_param("source", "The language translated from; default: the survey's default_locale");
  paths["/v1/admin/surveys/{id}/texts"]["get"] = operation(
      "Every respondent-visible text of the survey for a translator: rows key, source, target, state "
      "(missing|present), as CSV (UTF-8 with a byte order mark) or XLIFF 2.0",
      "editor",
      {{"200", {{"description", "text/csv or application/xliff+xml, as an attachment"}}},
       {"400",
        error_response("target missing, not a language tag, the source's, or not one of the survey's")},
       {"404", error_response("Unknown survey")}},
      ordered_json::array({id, target, source, query_param("format", "csv (default) or xliff")}));
  ordered_json post = operation(
      "The translated CSV or XLIFF back: the texts merged into the survey, saved as a new version. A row "
      "whose "
      "source changed since the export is stale and not applied; an empty target is missing. Any error (an "
      "unknown key, a key twice, a malformed file, a text the survey validator refuses) answers 400 naming "
      "the "
      "line and field, and nothing is stored",
      "editor",
      {{"200",
        json_response("{survey_id, source, target, applied, missing, stale, rows: [{key, state, line?, "
                      "source? (a stale row's current source)}], saved, version}")},
       {"404", error_response("Unknown survey")}},
      ordered_json::array({id, target, source}), true);
  post["requestBody"] = {{"required", true},
                         {"content",
                          {{"text/csv", {{"schema", {{"type", "string"}}}}},
                           {"application/xliff+xml", {{"schema", {{"type", "string"}}}}}}}};
  paths["/v1/admin/surveys/{id}/texts"]["post"] = post;
}

} // namespace npsd::openapi
