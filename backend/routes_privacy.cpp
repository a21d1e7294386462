// Admin: privacy: everything stored about one respondent (export and erase) and
// retention on demand.
#include "server_internal.hpp"

#include "dates.hpp"
#include "sms_store.hpp"

namespace npsd {

void Server::privacy_routes() {
  route("GET", "/v1/admin/respondents/{respondent_id}", Access::admin, [this](Ctx& c) {
    json items = json::array();
    for (const auto& s : storage_->respondent(c.params[0]))
      items.push_back(response_json(s));
    // An SMS respondent is their phone number (issue 15): what the SMS endpoint keeps of it
    // is theirs too — an open follow-up conversation per survey, and whether they opted out.
    json conversations = json::array();
    for (const auto& survey : storage_->surveys())
      if (auto conv = storage_->sms().conversation(survey.id, c.params[0]))
        conversations.push_back({{"survey_id", conv->survey_id},
                                 {"asked_at", iso_time(conv->asked_at)},
                                 {"locale", conv->locale},
                                 {"answered", conv->followup_sid.has_value()}});
    send_json(
        c.res, 200,
        {{"respondent_id", c.params[0]},
         {"responses", items},
         {"sms",
          {{"conversations", conversations}, {"opted_out", storage_->sms().unsubscribed(c.params[0])}}}});
  });
  route("DELETE", "/v1/admin/respondents/{respondent_id}", Access::admin, [this](Ctx& c) {
    const auto n = storage_->delete_respondent(c.params[0]);
    // The opt-out stays (it is what keeps the number from being texted again); the
    // conversations go with the answers.
    const auto conversations = storage_->sms().forget(c.params[0]);
    send_json(c.res, 200,
              {{"respondent_id", c.params[0]}, {"deleted", n}, {"sms_conversations_deleted", conversations}});
  });
  route(
      "POST", "/v1/admin/retention", Access::admin,
      [this](Ctx& c) {
        auto body = json_body(c);
        if (!body) return;
        std::vector<ApiError> errors;
        std::int64_t days = 0;
        if (auto it = body->find("days"); it != body->end()) days = nps::as_integer(*it).value_or(0);
        if (days < 1 || days > 36500)
          errors.push_back({ApiCode::out_of_range, "days", "a whole number of days, 1 to 36500"});
        RetentionMode mode = RetentionMode::anonymize;
        if (auto it = body->find("mode"); it != body->end()) {
          if (*it == "remove")
            mode = RetentionMode::remove;
          else if (*it != "anonymize")
            errors.push_back({ApiCode::invalid_value, "mode", "anonymize or remove"});
        }
        for (auto it = body->begin(); it != body->end(); ++it)
          if (it.key() != "days" && it.key() != "mode")
            errors.push_back({ApiCode::unknown_field, it.key(), "days and mode only"});
        if (!errors.empty()) return send_errors(c.res, errors);
        const Millis cutoff = config_.clock() - days * 86'400'000;
        const auto n = storage_->apply_retention(cutoff, mode);
        send_json(c.res, 200,
                  {{"before", iso_time(cutoff)},
                   {"mode", mode == RetentionMode::remove ? "remove" : "anonymize"},
                   {"affected", n}});
      },
      config_.public_body_max);
}

} // namespace npsd
