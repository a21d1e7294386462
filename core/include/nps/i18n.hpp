// Built-in texts for the standard NPS question and every string a respondent sees, in the
// languages the core ships with; locale negotiation (es-MX → es → the survey's default) and
// text direction. The texts are data (a table in i18n.cpp); nothing here changes at run time.
//
// Placeholders in the texts: {product} (question), {score} (score_label, score_chosen),
// {current} and {total} (progress). Fill them in with format().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nps::i18n {

enum class Direction { ltr, rtl };

enum class Text {
  question,           // "How likely are you to recommend {product} to a friend or colleague?"
  question_generic,   // the same without a product name: "... recommend us to a friend or colleague?"
  low_label,          // "Not at all likely"
  high_label,         // "Extremely likely"
  score_label,        // accessible name of one button: "{score} out of 10"
  followup_detractor, // "We’re sorry to hear that. What could we do better?"
  followup_passive,   // "What would make us a 10 for you?"
  followup_promoter,  // "Great! What do you like most?"
  placeholder,        // "Tell us more (optional)"
  submit,             // "Send"
  next,               // "Next"
  back,               // "Back"
  skip,               // "Skip"
  close,              // "Close" (accessible name of the X button)
  dismiss,            // "Not now"
  thanks,             // "Thank you for your feedback!"
  thanks_link,        // default label of a thank-you link: "Leave a review"
  progress,           // "Question {current} of {total}"
  required,           // "This question needs an answer"
  choose_one,         // hint for single choice: "Choose one"
  choose_any,         // hint for multiple choice: "Choose all that apply"
  dialog_label,       // accessible name of the survey dialog: "Feedback survey"
  score_chosen,       // screen-reader announcement: "You chose {score}"
};
inline constexpr int text_count = 23; // keep in sync

// "question", "low_label", ...: the snake_case name of the enumerator ("" for a value out of range).
[[nodiscard]] std::string_view key(Text t) noexcept;
[[nodiscard]] std::optional<Text> text_from_key(std::string_view k) noexcept;

// Canonical tags of the built-in languages: en es ru zh-Hans zh-Hant pt pt-PT de fr ja ar he
// ("es" for every Spanish market, "pt" Brazilian, "pt-PT" European; docs/glossary.md).
[[nodiscard]] const std::vector<std::string>& builtin_locales();
[[nodiscard]] bool is_builtin(std::string_view canonical_locale) noexcept;

// The built-in text; for a locale that is not built in, falls back through negotiate to "en".
[[nodiscard]] std::string_view builtin(std::string_view locale, Text t) noexcept;
// The built-in language whose texts builtin() gives for `locale`: "es" for es-MX, "en" for
// uk (not built in). The browser fetches that one language when a survey shows.
[[nodiscard]] std::string_view texts_locale(std::string_view locale) noexcept;

// Picks the best of `available` (canonical tags) for the visitor's `requested` tags in
// preference order (navigator.languages). For each requested tag: exact match
// (case-insensitive, '_' = '-'), then drop subtags one by one (es-MX → es;
// zh-Hans-CN → zh-Hans → zh), with Chinese mapped by script: zh, zh-CN, zh-SG, zh-Hans-* →
// zh-Hans; zh-TW, zh-HK, zh-MO → zh-Hant (which never falls back to zh or zh-Hans); just
// before the bare language, the regional parent of CLDR: Latin American Spanish (es-MX,
// es-AR, …) → es-419, Portuguese outside Brazil (pt-AO, pt-MZ, …) → pt-PT; pt-BR → pt; then
// the same language in any region: a requested "es" or "es-AR" matches an
// available "es-MX" when no "es" exists (the first such in `available`). Legacy codes match
// their successors (iw = he, ji = yi, in = id, nb = no). If nothing matches, `fallback` (the
// survey's default). Malformed requested tags are skipped. Returns the entry of `available`
// as written.
[[nodiscard]] std::string negotiate(const std::vector<std::string>& requested,
                                    const std::vector<std::string>& available, std::string_view fallback);

// Right to left for ar, he, fa, ur, yi, ps, dv, ckb, sd, ug (and other languages written in
// Arabic or Hebrew script by default) and any tag with script Arab, Hebr, Thaa, Syrc, Nkoo,
// Adlm, Rohg; any other script subtag overrides ("ku-Latn" is ltr, "az-Arab" rtl). A
// malformed tag is ltr.
[[nodiscard]] Direction direction(std::string_view locale) noexcept;
[[nodiscard]] std::string_view to_string(Direction d) noexcept; // "ltr" / "rtl"

// Replaces {name} placeholders (name: letters, digits, '_') with the first param of that
// name, in one pass (a value that holds braces is not expanded again). Unknown placeholders
// and stray braces stay as they are. No exceptions.
[[nodiscard]] std::string format(std::string_view pattern,
                                 const std::vector<std::pair<std::string_view, std::string>>& params);

} // namespace nps::i18n
