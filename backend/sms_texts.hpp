// The two sentences an SMS exchange needs beyond the survey's own texts (its follow-up
// question and thank-you come from the survey, through the core's flow): the question
// back when a reply holds no single score, and the confirmation of an opt-out. One per
// built-in language; other locales fall back as the core's built-in texts do.
#pragma once

#include <string_view>

namespace npsd::sms {

enum class SmsText { clarify, unsubscribed };

[[nodiscard]] std::string_view text(std::string_view locale, SmsText t) noexcept;

} // namespace npsd::sms
