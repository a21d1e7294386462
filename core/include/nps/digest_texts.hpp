// The texts of the weekly digest e-mail (issue 15: a webhook endpoint of kind "email" that
// takes digest.weekly), in the core's built-in languages. Data only, like alert_texts; only
// npsd links it. Placeholders are filled in with nps::i18n::format.
#pragma once

#include <string_view>

namespace nps::digest_texts {

enum class Text {
  subject,         // "Weekly NPS · {survey} · {week}"
  heading,         // "NPS of the week"
  answers,         // "Answers: {n}"
  interval,        // "95% interval: {lo} to {hi}"
  change,          // "Change from the week before: {change}"
  significant,     // "The change is significant (p = {p})."
  not_significant, // "The change may be chance (p = {p})."
  no_previous,     // "No answers the week before to compare with."
  no_answers,      // "No answers in the week."
  small_sample,    // "Fewer than 30 answers: read the figures with care."
  comments,        // "New detractor comments"
  no_comments,     // "None in the week."
  open_items,      // "Open follow-up items: {n}"
  open_dashboard,  // "Open the dashboard"
  why,             // "You receive this digest because …"
};
inline constexpr int text_count = 15; // keep in sync

// The text in the built-in language i18n::texts_locale(locale) names (English otherwise).
[[nodiscard]] std::string_view text(std::string_view locale, Text t) noexcept;

} // namespace nps::digest_texts
