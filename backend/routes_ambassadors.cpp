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
      if (k != "format" && k != "flavour" && k != "separator" && k != "utc_offset")
        return send_error(c.res, ApiCode::unknown_field, k, "format, flavour, separator or utc_offset only");
    const auto flavour = read_flavour(c, format == "csv", false);
    if (!flavour) return;
    ResponseFilter f;
    f.survey_id = c.params[0];
    f.category = nps::Category::promoter;
    // The contact each promoter was asked as, when the answer came through a campaign's e-mail.
    const auto contact_of = [this](const StoredResponse& s) {
      const auto who = parse_campaign_recipient(s.response.respondent_id.value_or(""));
      return std::pair{who, who ? storage_->email().contact(who->second) : std::nullopt};
    };
    stream_answers(
        c, f, f.survey_id + "-ambassadors.csv", format == "csv", *flavour,
        {"email", "name", "score", "testimonial", "received_at", "locale", "respondent_id", "campaign_id"},
        [contact_of](const StoredResponse& s,
                     const CsvFlavour& fl) -> std::optional<std::vector<std::string>> {
          if (!allows_quoting(s)) return std::nullopt;
          const auto [who, contact] = contact_of(s);
          const auto& r = s.response;
          return std::vector<std::string>{
              contact ? contact->email : "",   contact ? contact->name : "",
              std::to_string(r.score.value()), r.comment.value_or(""),
              csv_time(s.received_at, fl),     r.locale.value_or(""),
              r.respondent_id.value_or(""),    who ? std::to_string(who->first) : ""};
        },
        [contact_of](const StoredResponse& s) -> std::optional<json> {
          if (!allows_quoting(s)) return std::nullopt;
          const auto [who, contact] = contact_of(s);
          const auto& r = s.response;
          return json{{"response_id", s.id},
                      {"email", contact ? json(contact->email) : json(nullptr)},
                      {"name", contact && !contact->name.empty() ? json(contact->name) : json(nullptr)},
                      {"score", r.score.value()},
                      {"testimonial", r.comment.value_or("")},
                      {"received_at", iso_time(s.received_at)},
                      {"locale", r.locale ? json(*r.locale) : json(nullptr)},
                      {"respondent_id", r.respondent_id ? json(*r.respondent_id) : json(nullptr)},
                      {"campaign_id", who ? json(who->first) : json(nullptr)}};
        });
  });
}

} // namespace npsd
