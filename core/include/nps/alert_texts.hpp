// The texts of answer alerts sent by e-mail (issue 15: a webhook endpoint of kind "email"),
// in the core's built-in languages. Data only, like email_texts; only npsd links it.
// Placeholders ({category}, {score}, {survey}) are filled in with nps::i18n::format.
#pragma once

#include <string_view>

namespace nps::alert_texts {

enum class Text {
  detractor,       // "Detractor"
  passive,         // "Passive"
  promoter,        // "Promoter"
  subject,         // "{category} {score}/10 · {survey}"
  subject_changed, // "Changed: {category} {score}/10 · {survey}"
  comment,         // "Comment"
  no_comment,      // "No comment."
  survey,          // "Survey"
  respondent,      // "Respondent"
  open,            // "Open the follow-up item"
  why,             // "You receive this alert because this address is set to receive answers from OpenNPS."
};
inline constexpr int text_count = 11; // keep in sync

// The text in the built-in language i18n::texts_locale(locale) names (English for a
// language that is not built in).
[[nodiscard]] std::string_view text(std::string_view locale, Text t) noexcept;

} // namespace nps::alert_texts
