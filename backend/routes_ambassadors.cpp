// Ambassadors (issue 14): the promoters who allowed their words to be quoted (the
// testimonial question of a link's promoter page), with the contact they were asked as when
// the answer came through a campaign's e-mail: for testimonials, case studies and referral
// programmes. Personal data: analysts and above only, like the contacts.
#include "server_internal.hpp"

#include "csv.hpp"
#include "dates.hpp"
#include "email_store.hpp"

namespace npsd {

namespace {

bool allows_quoting(const StoredResponse& s) {
  const auto it = s.response.answers.find("quote_permission");
  return it != s.response.answers.end() && it->is_string() && it->get<std::string>() == "yes";
}

} // namespace

void Server::ambassador_routes() {
  route("GET", "/v1/admin/surveys/{id}/ambassadors", Access::analyst, [this](Ctx& c) {
    if (!live(c.params[0])) return send_error(c.res, ApiCode::not_found, "", "no survey " + c.params[0]);
    const auto format = c.req.has_param("format") ? c.req.get_param_value("format") : "json";
    if (format != "csv" && format != "json")
      return send_error(c.res, ApiCode::invalid_value, "format", "csv or json");
    for (const auto& [k, v] : c.req.params)
      if (k != "format") return send_error(c.res, ApiCode::unknown_field, k, "format only");
    ResponseFilter f;
    f.survey_id = c.params[0];
    f.category = nps::Category::promoter;
    const bool csv = format == "csv";
    if (csv)
      c.res.set_header("Content-Disposition", "attachment; filename=\"" + f.survey_id + "-ambassadors.csv\"");
    struct State {
      std::optional<std::int64_t> cursor;
      bool started = false, done = false, first = true;
    };
    auto state = std::make_shared<State>();
    // Streamed a page of 1,000 promoters at a time: memory stays flat however many there are.
    c.res.set_chunked_content_provider(
        csv ? "text/csv; charset=utf-8" : "application/json",
        [this, f, state, csv](std::size_t, httplib::DataSink& sink) {
          if (state->done) {
            sink.done();
            return true;
          }
          std::string out;
          if (!state->started) {
            state->started = true;
            out = csv ? "email,name,score,testimonial,received_at,locale,respondent_id,campaign_id\r\n"
                      : "{\"items\":[";
          }
          auto page = storage_->list_responses(f, state->cursor, 1000);
          for (const auto& s : page.items) {
            if (!allows_quoting(s)) continue;
            const std::string respondent = s.response.respondent_id.value_or("");
            const auto who = parse_campaign_recipient(respondent);
            const auto contact = who ? storage_->email().contact(who->second) : std::nullopt;
            const std::string email = contact ? contact->email : "", name = contact ? contact->name : "";
            const std::string comment = s.response.comment.value_or("");
            const std::string locale = s.response.locale.value_or("");
            if (csv) {
              out += csv_cell(email) + "," + csv_cell(name) + "," + std::to_string(s.response.score.value()) +
                     "," + csv_cell(comment) + "," + iso_time(s.received_at) + "," + csv_cell(locale) + "," +
                     csv_cell(respondent) + "," + (who ? std::to_string(who->first) : "") + "\r\n";
            } else {
              if (!state->first) out += ',';
              state->first = false;
              out += nps::dump(json{{"response_id", s.id},
                                    {"email", contact ? json(email) : json(nullptr)},
                                    {"name", contact && !name.empty() ? json(name) : json(nullptr)},
                                    {"score", s.response.score.value()},
                                    {"testimonial", comment},
                                    {"received_at", iso_time(s.received_at)},
                                    {"locale", locale.empty() ? json(nullptr) : json(locale)},
                                    {"respondent_id", respondent.empty() ? json(nullptr) : json(respondent)},
                                    {"campaign_id", who ? json(who->first) : json(nullptr)}});
            }
          }
          state->cursor = page.next;
          if (!page.next) {
            state->done = true;
            if (!csv) out += "]}";
          }
          return sink.write(out.data(), out.size());
        });
  });
}

} // namespace npsd
