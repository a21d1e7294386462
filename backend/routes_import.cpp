// Admin: importing answers from another tool's CSV export (issue 15), the same reader as
// `nps import` (import.hpp): POST /v1/admin/surveys/{id}/import?preset=delighted&…
// with the file as the body (text/csv). Every row is checked first: any error → 400 with
// the report by line, nothing stored. Rows already stored (same stable key) are skipped,
// so sending the same file twice stores nothing the second time. ?dry_run=1 only checks.
#include "import.hpp"
#include "server_internal.hpp"

#include <string>

namespace npsd {

void Server::import_routes() {
  route(
      "POST", "/v1/admin/surveys/{id}/import", Access::editor,
      [this](Ctx& c) {
        const std::string& id = c.params.at(0);
        if (!storage_->survey(id)) return send_error(c.res, ApiCode::not_found, "id", "no survey " + id);
        import::Options o;
        o.survey_id = id;
        bool dry_run = false;
        for (const auto& [name, value] : c.req.params) {
          if (name == "dry_run") {
            if (value != "1" && value != "0")
              return send_error(c.res, ApiCode::invalid_value, name, "1 or 0");
            dry_run = value == "1";
            continue;
          }
          std::string option = name;
          for (auto& ch : option)
            if (ch == '_') ch = '-';
          if (auto problem = import::set_option(o, option, value))
            return send_error(c.res, ApiCode::invalid_value, name, *problem);
        }
        const auto report = import::validate(c.body, o);
        nps::json lines = nps::json::array();
        for (const auto& e : report.errors)
          lines.push_back({{"line", e.line}, {"column", e.column}, {"message", e.message}});
        nps::json summary = {{"rows", report.rows},
                             {"skipped", report.skipped},
                             {"errors", report.error_count},
                             {"lines", lines},
                             {"scale", report.scale == import::Scale::one_to_ten ? "1-10" : "0-10"}};
        if (report.error_count > 0) {
          const auto& first = report.errors.front();
          nps::json body = {{"error",
                             {{"code", "invalid_value"},
                              {"path", "line " + std::to_string(first.line) +
                                           (first.column.empty() ? "" : ": " + first.column)},
                              {"message", std::to_string(report.error_count) +
                                              " error(s); nothing was imported. First: " + first.message}}},
                            {"report", summary}};
          body["errors"] = nps::json::array({body["error"]});
          return send_json(c.res, 400, body);
        }
        std::size_t stored = 0, read = 0;
        if (!dry_run) {
          const bool ok =
              import::rows(c.body, o, 5000, [&](const std::vector<std::pair<nps::Response, Millis>>& b) {
                stored += storage_->import_responses(b);
                read += b.size();
              });
          if (!ok) throw std::runtime_error("an import failed after its check");
        }
        summary["stored"] = stored;
        summary["duplicates"] = read - stored;
        summary["dry_run"] = dry_run;
        send_json(c.res, 200, summary);
      },
      config_.import_body_max, "text/csv");
}

} // namespace npsd
