// Streaming a list of answers as CSV or JSON (see stream_answers in server_internal.hpp).
#include "server_internal.hpp"

namespace npsd {

void Server::stream_answers(Ctx& c, const ResponseFilter& f, const std::string& filename, bool csv,
                            const std::string& csv_header, AnswerCsvRow row, AnswerJsonItem item) {
  if (csv) c.res.set_header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  struct State {
    std::optional<std::int64_t> cursor;
    bool started = false, done = false, first = true;
  };
  auto state = std::make_shared<State>();
  c.res.set_chunked_content_provider(csv ? "text/csv; charset=utf-8" : "application/json",
                                     [this, f, state, csv, csv_header, row = std::move(row),
                                      item = std::move(item)](std::size_t, httplib::DataSink& sink) {
                                       if (state->done) {
                                         sink.done();
                                         return true;
                                       }
                                       std::string out;
                                       if (!state->started) {
                                         state->started = true;
                                         out = csv ? csv_header + "\r\n" : "{\"items\":[";
                                       }
                                       auto page = storage_->list_responses(f, state->cursor, 1000);
                                       for (const auto& s : page.items) {
                                         if (csv) {
                                           if (auto line = row(s)) out += *line + "\r\n";
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
