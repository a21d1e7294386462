// Alerts in the tools teams already watch: a Slack incoming webhook (a Block Kit message) and a
// Microsoft Teams incoming webhook (an Adaptive Card in a message). An alert is a webhook
// endpoint of kind "slack" or "teams" (webhook_store.hpp): its filters are the team's rule —
// which surveys, categories (detractors, …), channels (the segment) and event types — and
// its include_personal whether the respondent's id may be shown. The worker delivers them
// like any webhook (retries, SSRF guard); only the body differs.
//
// Documented shapes followed:
// - Slack: https://api.slack.com/messaging/webhooks and the Block Kit reference: top-level
//   `text` (the notification fallback) and `blocks` (header: plain_text ≤ 150 characters;
//   section: mrkdwn text ≤ 3000, at most 10 fields of ≤ 2000; actions: buttons with text
//   ≤ 75 and url ≤ 3000). mrkdwn escapes &, < and >.
// - Teams:
// https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
//   (a message whose attachment has contentType application/vnd.microsoft.card.adaptive and
//   the card as content; Adaptive Card 1.4: TextBlock, FactSet, Action.OpenUrl).
#pragma once

#include "webhook_store.hpp"

#include "nps/json.hpp"

#include <string>

namespace npsd::alerts {

// The link to a survey's page in the dashboard (its overview when `view` is empty), "" without
// a public URL.
[[nodiscard]] std::string dashboard_link(const std::string& public_url, const std::string& survey_id,
                                         const std::string& view = "");
// The link to the answer's follow-up item in the dashboard, "" without a public URL.
[[nodiscard]] std::string follow_up_link(const std::string& public_url, const std::string& survey_id,
                                         std::int64_t response_id);

[[nodiscard]] nps::json slack_message(const OutboxEvent& ev, const WebhookEndpoint& e,
                                      const std::string& public_url);
[[nodiscard]] nps::json teams_message(const OutboxEvent& ev, const WebhookEndpoint& e,
                                      const std::string& public_url);

} // namespace npsd::alerts
