// The texts of e-mail surveys and their landing pages (issue 14), in the core's built-in
// languages: what the e-mail says around the question, what a link's page says before and
// after an answer is recorded, the unsubscribe page. Data only, like i18n's table; a
// library of its own (nps::email_texts) that only npsd links: the browser's modules never
// carry it. Placeholders ({product}, {score}) are filled in with nps::i18n::format.
#pragma once

#include <string_view>

namespace nps::email_texts {

enum class Text {
  page_title,           // "Your feedback"
  your_answer,          // "Your answer: {score}"
  change_hint,          // "Not what you meant? Choose another number."
  strict_hint,          // "Press Send to record your answer."
  recorded,             // "Thank you, your answer is saved."
  detractor_callback,   // "Someone from our team will get back to you."
  promoter_testimonial, // "Would you write a few words we may share?"
  quote_permission,     // "You may quote my words"
  review_invite,        // "Would you also leave a review?"
  followup_saved,       // "Thank you, we have your comments."
  link_invalid_title,   // "This link does not work"
  link_invalid_body,    // "... Nothing was recorded."
  link_expired_body,    // "This link has expired. Nothing was recorded."
  already_answered,     // "You have already answered. Thank you!"
  email_intro,          // "One question, one click:"
  email_subject,        // "A quick question about {product}"
  email_why,            // "You receive this e-mail as a customer of {product}."
  unsubscribe,          // "Unsubscribe"
  unsubscribed,         // "You will receive no more surveys from us."
  unsubscribe_confirm,  // "Stop receiving surveys"
};
inline constexpr int text_count = 20; // keep in sync

// The text in the built-in language i18n::texts_locale(locale) names (English for a
// language that is not built in).
[[nodiscard]] std::string_view text(std::string_view locale, Text t) noexcept;

} // namespace nps::email_texts
