// Admin: the translation hand-off (issue 19, item 13), editor role.
//   GET  /v1/admin/surveys/{id}/texts?target=es&format=csv|xliff&source=en
//        every respondent-visible text of the survey for a translator (the core's
//        survey_texts export), as CSV (UTF-8 with a byte order mark) or XLIFF 2.0.
//   POST /v1/admin/surveys/{id}/texts?target=es&source=en  the translated file back
//        (Content-Type text/csv, or application/xliff+xml for XLIFF): the core merges it
//        (nps::import_texts: unknown keys and duplicates are errors, a row whose source
//        changed since the export is stale and not applied), and the merged survey is saved
//        as a new version as a PUT of the survey would save it. Any error: 400 naming the
//        line and field, nothing stored. The answer is the report: applied, missing, stale.
#include "server_internal.hpp"
#include "survey_texts_files.hpp"

#include "nps/locale.hpp"
#include "nps/survey.hpp"
#include "nps/survey_texts.hpp"

#include <map>
#include <string>

namespace npsd {

namespace {

// The survey at the URL, parsed; sends 404 (or the stored definition's errors) otherwise.
std::optional<std::pair<SurveyRecord, nps::Survey>> stored_survey(Ctx& c, Storage& storage) {
  auto rec = storage.survey(c.params.at(0));
  if (!rec) {
    send_error(c.res, ApiCode::not_found, "id", "no survey " + c.params.at(0));
    return std::nullopt;
  }
  auto def = nps::parse_json(rec->definition);
  auto survey = def ? nps::parse_survey(*def) : nps::Result<nps::Survey>(def.errors());
  if (!survey) {
    send_core_errors(c.res, survey.errors(), "survey");
    return std::nullopt;
  }
  return std::pair{std::move(*rec), std::move(survey).value()};
}

// target= (required) and source= (default: the survey's default language).
bool languages(Ctx& c, std::string& target, std::string& source) {
  if (!c.req.has_param("target")) {
    send_error(c.res, ApiCode::required, "target", "the language to translate into, as ?target=es");
    return false;
  }
  target = c.req.get_param_value("target");
  source = c.req.has_param("source") ? c.req.get_param_value("source") : "";
  return true;
}

std::string canonical_or(const std::string& tag, const std::string& fallback) {
  if (tag.empty()) return fallback;
  auto c = nps::canonical_locale(tag);
  return c ? *c : tag;
}

} // namespace

void Server::survey_texts_routes() {
  route("GET", "/v1/admin/surveys/{id}/texts", Access::editor, [this](Ctx& c) {
    std::string target, source;
    if (!languages(c, target, source)) return;
    const std::string format = c.req.has_param("format") ? c.req.get_param_value("format") : "csv";
    if (format != "csv" && format != "xliff")
      return send_error(c.res, ApiCode::invalid_value, "format", "csv or xliff");
    auto found = stored_survey(c, *storage_);
    if (!found) return;
    const auto& [rec, survey] = *found;
    auto rows = nps::export_texts(survey, target, source);
    if (!rows) return send_core_errors(c.res, rows.errors());
    std::vector<TextFileRow> file;
    for (const auto& r : *rows)
      file.push_back({r.key, r.source, r.target, std::string(nps::to_string(r.state)), 0});
    const std::string to = canonical_or(target, target), from = canonical_or(source, survey.default_locale);
    const std::string name = rec.id + "-" + to + (format == "csv" ? ".csv" : ".xlf");
    c.res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
    if (format == "csv")
      c.res.set_content(texts_csv(file), "text/csv; charset=utf-8");
    else
      c.res.set_content(texts_xliff(file, rec.id, from, to), "application/xliff+xml; charset=utf-8");
  });

  route(
      "POST", "/v1/admin/surveys/{id}/texts", Access::editor,
      [this](Ctx& c) {
        std::string target, source;
        if (!languages(c, target, source)) return;
        auto found = stored_survey(c, *storage_);
        if (!found) return;
        const auto& [rec, survey] = *found;
        const std::string to = canonical_or(target, target),
                          from = canonical_or(source, survey.default_locale);
        const auto type = c.req.get_header_value("Content-Type");
        const bool csv = type.substr(0, type.find(';')) == "text/csv";
        const TextFileRead read = csv ? read_texts_csv(c.body) : read_texts_xliff(c.body, from, to);
        if (!read.errors.empty()) {
          std::vector<ApiError> errors;
          for (const auto& e : read.errors)
            errors.push_back({ApiCode::invalid_value, e.path, e.message + "; nothing was imported"});
          return send_errors(c.res, errors);
        }
        std::vector<nps::TextRow> rows;
        std::map<std::string, std::size_t> line_of; // key → its line, for errors about a text
        for (const auto& r : read.rows) {
          rows.push_back({r.key, r.source, r.target, nps::TextState::missing});
          line_of.emplace(r.key, r.line);
        }
        auto merged = nps::import_texts(survey, target, rows, source);
        if (!merged) {
          // "rows[3].key" → "line 5: key"; "low_label.es" (the validator's) → "line 4: low_label.es".
          std::vector<ApiError> errors;
          for (const auto& e : merged.errors()) {
            std::string path = e.path;
            if (path.rfind("rows[", 0) == 0) {
              const auto close = path.find(']');
              const std::size_t i = std::stoul(path.substr(5, close - 5));
              path = "line " + std::to_string(read.rows.at(i).line) + ": " +
                     path.substr(std::min(close + 2, path.size()));
            } else if (const auto dot = path.rfind('.'); dot != std::string::npos) {
              if (auto it = line_of.find(path.substr(0, dot)); it != line_of.end())
                path = "line " + std::to_string(it->second) + ": " + path;
            }
            const ApiCode code =
                e.code == nps::ErrorCode::duplicate ? ApiCode::duplicate_key : api_code(e.code);
            errors.push_back({code, path, e.message + "; nothing was imported"});
          }
          return send_errors(c.res, errors);
        }
        json report = json::array();
        std::size_t applied = 0, missing = 0, stale = 0;
        const auto now = nps::export_texts(survey, target, source); // the current sources, for stale rows
        for (std::size_t i = 0; i < merged->rows.size(); ++i) {
          const auto& r = merged->rows[i];
          json row = {{"key", r.key}, {"state", nps::to_string(r.state)}};
          if (auto it = line_of.find(r.key); it != line_of.end()) row["line"] = it->second;
          if (r.state == nps::TextState::stale && now) row["source"] = (*now)[i].source;
          applied += r.state == nps::TextState::applied;
          missing += r.state == nps::TextState::missing;
          stale += r.state == nps::TextState::stale;
          report.push_back(row);
        }
        json body = {{"survey_id", rec.id}, {"source", from},     {"target", to},
                     {"applied", applied},  {"missing", missing}, {"stale", stale},
                     {"rows", report},      {"saved", false},     {"version", rec.version}};
        if (merged->survey != survey) { // saved as PUT /v1/admin/surveys/{id} saves (routes_surveys.cpp)
          SurveyRecord next;
          next.id = rec.id;
          next.definition = nps::dump(nps::to_json(merged->survey));
          next.etag = etag_of(next.definition);
          next.archived = rec.archived;
          next = storage_->put_survey(next, config_.clock());
          publish(next);
          body["saved"] = true;
          body["version"] = next.version;
        }
        send_json(c.res, 200, body);
      },
      config_.admin_body_max, "text/csv|application/xliff+xml");
}

} // namespace npsd
