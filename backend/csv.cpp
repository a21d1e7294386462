// CSV cells and the export's rows.
#include "csv.hpp"

#include "dates.hpp"
#include "nps/json.hpp"

#include <string_view>
#include <vector>

namespace npsd {

std::string csv_cell(std::string v) {
  // A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
  if (!v.empty() && std::string_view("=+-@\t\r").find(v[0]) != std::string_view::npos) v.insert(0, "'");
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string csv_row(const StoredResponse& s) {
  const auto& r = s.response;
  std::vector<std::string> cells = {
      std::to_string(s.id),
      iso_time(s.received_at),
      r.survey_id,
      std::to_string(r.score.value()),
      std::string(nps::to_string(r.category())),
      r.comment.value_or(""),
      std::string(nps::to_string(r.channel)),
      r.locale.value_or(""),
      r.device ? std::string(nps::to_string(*r.device)) : "",
      r.page.value_or(""),
      r.respondent_id.value_or(""),
      r.client_time ? iso_time(*r.client_time) : "",
      r.attributes.empty() ? "" : nps::dump(r.attributes),
      r.answers.empty() ? "" : nps::dump(r.answers),
      r.idempotency_key,
  };
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i)
    line += (i ? "," : "") + csv_cell(cells[i]);
  return line + "\r\n";
}

const std::string& csv_export_header() {
  static const std::string header =
      "id,received_at,survey_id,score,category,comment,channel,locale,device,page,"
      "respondent_id,client_time,attributes,answers,idempotency_key\r\n";
  return header;
}

} // namespace npsd
