// The texts of a survey's draft-review page (issue 19, item 13b): what the page a colleague
// opens from a "Share for review" link says around the survey's own texts, and the page of a
// link that does not work, in the core's built-in languages. Data only, in the
// nps::email_texts library (only npsd links it). Placeholders ({survey}, {date}) are filled
// in with nps::i18n::format.
#pragma once

#include <string_view>

namespace nps::review_texts {

enum class Text {
  page_title,     // "Survey draft for review"
  intro,          // "This is how respondents see “{survey}” ... Nothing can be answered or saved here."
  changed,        // "The survey has been changed since this link was made ..."
  expires,        // "This link works until {date}."
  languages,      // "Languages"
  score_question, // "The question"
  detractors,     // "After a score from 0 to 6"
  passives,       // "After a score of 7 or 8"
  promoters,      // "After a score of 9 or 10"
  followup,       // "Follow-up question"
  no_followup,    // "No follow-up question is asked."
  more_questions, // "Further questions"
  conditional,    // "Asked only when an earlier answer fits."
  thanks,         // "Thank-you message"
  answer_hint,    // "Hint in the answer box:"
  invalid_title,  // "This review link does not work"
  invalid_body,   // "It may have been changed on the way, or the survey no longer exists ..."
  expired_body,   // "This review link has expired. Ask for a new one."
  qualifying,     // "Asked before the score: only those who answer {answers} are asked it."
};
inline constexpr int text_count = 19; // keep in sync

// The text in the built-in language i18n::texts_locale(locale) names (English for a
// language that is not built in).
[[nodiscard]] std::string_view text(std::string_view locale, Text t) noexcept;

} // namespace nps::review_texts
