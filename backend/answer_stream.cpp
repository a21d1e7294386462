// Streaming a list of answers as CSV or JSON (see stream_answers in server_internal.hpp).
#include "server_internal.hpp"

#include "dates.hpp"

namespace npsd {

std::optional<CsvFlavour> read_flavour(Ctx& c, bool csv, bool attribute_columns) {
  CsvFlavour f;
  std::vector<ApiError> errors;
  const bool excel = c.req.has_param("flavour") && c.req.get_param_value("flavour") == "excel";
  for (const char* k : {"flavour", "separator", "utc_offset"})
    if (c.req.has_param(k) && !csv) errors.push_back({ApiCode::invalid_value, k, "only with format=csv"});
  if (c.req.has_param("flavour") && !excel && c.req.get_param_value("flavour") != "plain")
    errors.push_back({ApiCode::invalid_value, "flavour", "plain or excel"});
  if (c.req.has_param("separator")) {
    const auto v = c.req.get_param_value("separator");
    if (v == "comma")
      f.separator = ',';
    else if (v == "semicolon")
      f.separator = ';';
    else if (v == "tab")
      f.separator = '\t';
    else
      errors.push_back({ApiCode::invalid_value, "separator", "comma, semicolon or tab"});
  }
  if (c.req.has_param("utc_offset")) {
    if (!excel) errors.push_back({ApiCode::invalid_value, "utc_offset", "only with flavour=excel"});
    if (auto m = parse_utc_offset(c.req.get_param_value("utc_offset")))
      f.offset_minutes = *m;
    else
      errors.push_back({ApiCode::invalid_format, "utc_offset", "an offset from UTC: +01:00, -05:30 or Z"});
  }
  if (!errors.empty()) {
    send_errors(c.res, errors);
    return std::nullopt;
  }
  if (excel) {
    f.bom = true;
    f.local_time = true;
    if (attribute_columns) f.attribute_columns = {""};
  }
  return f;
}

void Server::stream_answers(Ctx& c, const ResponseFilter& f, const std::string& filename, bool csv,
                            const CsvFlavour& flavour, const std::vector<std::string>& csv_header,
                            AnswerCsvRow row, AnswerJsonItem item) {
  if (csv) c.res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  struct State {
    std::optional<std::int64_t> cursor;
    bool started = false, done = false, first = true;
  };
  auto state = std::make_shared<State>();
  const std::string head = (flavour.bom ? "\xEF\xBB\xBF" : "") + csv_line(csv_header, flavour.separator);
  c.res.set_chunked_content_provider(csv ? "text/csv; charset=utf-8" : "application/json",
                                     [this, f, state, csv, head, flavour, row = std::move(row),
                                      item = std::move(item)](std::size_t, httplib::DataSink& sink) {
                                       if (state->done) {
                                         sink.done();
                                         return true;
                                       }
                                       std::string out;
                                       if (!state->started) {
                                         state->started = true;
                                         out = csv ? head : "{\"items\":[";
                                       }
                                       auto page = storage_->list_responses(f, state->cursor, 1000);
                                       for (const auto& s : page.items) {
                                         if (csv) {
                                           if (auto cells = row(s, flavour))
                                             out += csv_line(*cells, flavour.separator);
                                         } else if (auto j = item(s)) {
                                           if (!state->first) out += ',';
                                           state->first = false;
                                           out += nps::dump(*j);
                                         }
                                       }
                                       state->cursor = page.next;
                                       if (!page.next) {
                                         state->done = true;
                                         if (!csv) out += "]}";
                                       }
                                       return sink.write(out.data(), out.size());
                                     });
}

} // namespace npsd
