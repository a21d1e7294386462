// The webhook events of e-mail surveys (issue 15 on issue 14), built here for both engines,
// which emit them in the transaction of what caused them (webhook_store.hpp):
//   contact.unsubscribed  an address joined the suppression list as unsubscribed or
//                         complained: {email, reason, contact_id}, so a CRM can stop mailing it;
//   campaign.finished     every first message of a campaign reached its end (sent, bounced,
//                         failed, skipped or uncertain); reminders go later and send no second
//                         one: {campaign_id, name, survey_id, messages: {state: count}}.
// An unsubscribe event holds the address: its respondent tag is contact_event_respondent, and
// deleting the contact deletes its events.
#pragma once

#include "webhook_store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace npsd {

[[nodiscard]] inline std::string contact_event_respondent(const std::string& email_key) {
  return "contact:" + email_key;
}
[[nodiscard]] OutboxEvent unsubscribed_event(const std::string& email_key, const std::string& reason,
                                             std::optional<std::int64_t> contact_id, Millis now);
[[nodiscard]] OutboxEvent
campaign_finished_event(std::int64_t id, const std::string& name, const std::string& survey_id,
                        const std::vector<std::pair<std::string, std::uint64_t>>& states, Millis now);

} // namespace npsd
