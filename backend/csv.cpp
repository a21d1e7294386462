// CSV cells and the export's rows.
#include "csv.hpp"

#include "dates.hpp"
#include "nps/json.hpp"

#include <cstdio>
#include <string_view>
#include <vector>

namespace npsd {

std::string csv_cell(std::string v) { return csv_cell(std::move(v), ','); }

std::string csv_cell(std::string v, char separator) {
  // A cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text.
  if (!v.empty() && std::string_view("=+-@\t\r").find(v[0]) != std::string_view::npos) v.insert(0, "'");
  const char special[] = {separator, '"', '\n', '\r', '\0'};
  if (v.find_first_of(special) == std::string::npos) return v;
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

std::string offset_time(Millis t, int offset_minutes) {
  const Millis local = t + static_cast<Millis>(offset_minutes) * 60'000;
  const auto day = day_of(local);
  const Millis in_day = local - static_cast<Millis>(day) * 86'400'000;
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", date_text(day).c_str(),
                static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                static_cast<int>(in_day / 1000 % 60), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

std::optional<int> parse_utc_offset(const std::string& text) {
  if (text == "Z") return 0;
  if (text.size() != 6 || (text[0] != '+' && text[0] != '-') || text[3] != ':') return std::nullopt;
  for (std::size_t i : {1, 2, 4, 5})
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  const int h = (text[1] - '0') * 10 + (text[2] - '0'), m = (text[4] - '0') * 10 + (text[5] - '0');
  if (m > 59 || h * 60 + m > 14 * 60) return std::nullopt;
  return (text[0] == '-' ? -1 : 1) * (h * 60 + m);
}

std::string csv_export_header(const CsvFlavour& f) {
  std::vector<std::string> names = {"id",       "received_at", "survey_id",     "score",
                                    "category", "comment",     "channel",       "locale",
                                    "device",   "page",        "respondent_id", "client_time"};
  if (f.attribute_columns.empty()) names.emplace_back("attributes");
  names.emplace_back("answers");
  names.emplace_back("idempotency_key");
  std::string line = f.bom ? "\xEF\xBB\xBF" : "";
  for (std::size_t i = 0; i < names.size(); ++i)
    line += (i ? std::string(1, f.separator) : "") + names[i];
  for (const auto& k : f.attribute_columns)
    line += f.separator + csv_cell("attribute:" + k, f.separator);
  return line + "\r\n";
}

std::string csv_line(const std::vector<std::string>& cells, char separator) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i)
    line += (i ? std::string(1, separator) : "") + csv_cell(cells[i], separator);
  return line + "\r\n";
}

std::string csv_time(Millis t, const CsvFlavour& f) {
  return f.local_time ? offset_time(t, f.offset_minutes) : iso_time(t);
}

std::string csv_row(const StoredResponse& s, const CsvFlavour& f) {
  const auto& r = s.response;
  std::vector<std::string> cells = {
      std::to_string(s.id),
      csv_time(s.received_at, f),
      r.survey_id,
      std::to_string(r.score.value()),
      std::string(nps::to_string(r.category())),
      r.comment.value_or(""),
      std::string(nps::to_string(r.channel)),
      r.locale.value_or(""),
      r.device ? std::string(nps::to_string(*r.device)) : "",
      r.page.value_or(""),
      r.respondent_id.value_or(""),
      r.client_time ? csv_time(*r.client_time, f) : "",
  };
  if (f.attribute_columns.empty()) cells.push_back(r.attributes.empty() ? "" : nps::dump(r.attributes));
  cells.push_back(r.answers.empty() ? "" : nps::dump(r.answers));
  cells.push_back(r.idempotency_key);
  for (const auto& k : f.attribute_columns) {
    auto it = r.attributes.find(k);
    if (it == r.attributes.end())
      cells.emplace_back();
    else
      cells.push_back(it->is_string() ? it->get<std::string>() : nps::dump(*it));
  }
  return csv_line(cells, f.separator);
}

} // namespace npsd
