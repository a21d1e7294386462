// Answer alerts by e-mail (issue 15): a webhook endpoint of kind "email" (url
// "mailto:alice@example.com", a language) gets each matching answer event as an e-mail in
// that language, through npsd's SMTP relay, with the worker's retries: the category and
// score, the survey, the comment, the respondent when the endpoint includes personal data,
// and a link to the follow-up item. Only answer events (response.created, response.updated)
// go to such an endpoint.
#pragma once

#include "email_render.hpp"
#include "webhook_store.hpp"

#include <string>

namespace npsd::alerts {

// The address of a "mailto:" URL, as email_key stores it; "" when it is not one.
[[nodiscard]] std::string mailto_address(const std::string& url);

// The frame an alert-like e-mail's HTML shares (answer alerts, the weekly digest): the
// document up to its one content cell with a coloured top border, a button, and the closing
// line saying why the reader gets it.
[[nodiscard]] std::string html_open(const EmailContent& c, const std::string& dir, const std::string& color);
[[nodiscard]] std::string html_button(const std::string& link, const std::string& label);
[[nodiscard]] std::string html_close(const std::string& why);

// Subject, HTML and plain text of the alert for `ev`, in e.locale.
[[nodiscard]] EmailContent alert_email(const OutboxEvent& ev, const WebhookEndpoint& e,
                                       const std::string& public_url);

} // namespace npsd::alerts
