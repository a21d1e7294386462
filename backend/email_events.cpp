// The webhook events of e-mail surveys (see email_events.hpp).
#include "email_events.hpp"

#include "dates.hpp"

namespace npsd {

OutboxEvent unsubscribed_event(const std::string& email_key, const std::string& reason,
                               std::optional<std::int64_t> contact_id, Millis now) {
  EventTags tags;
  tags.respondent_id = contact_event_respondent(email_key);
  return make_event("contact.unsubscribed",
                    {{"email", email_key},
                     {"reason", reason},
                     {"contact_id", contact_id ? nps::json(*contact_id) : nps::json(nullptr)},
                     {"at", iso_time(now)}},
                    tags, now);
}

OutboxEvent campaign_finished_event(std::int64_t id, const std::string& name, const std::string& survey_id,
                                    const std::vector<std::pair<std::string, std::uint64_t>>& states,
                                    Millis now) {
  nps::json messages = nps::json::object();
  std::uint64_t total = 0;
  for (const auto& [state, n] : states) {
    messages[state] = n;
    total += n;
  }
  messages["total"] = total;
  EventTags tags;
  tags.survey_id = survey_id;
  return make_event("campaign.finished",
                    {{"campaign_id", id},
                     {"name", name},
                     {"survey_id", survey_id},
                     {"messages", messages},
                     {"finished_at", iso_time(now)}},
                    tags, now);
}

} // namespace npsd
