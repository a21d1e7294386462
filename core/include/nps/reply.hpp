// A score read out of a text-message or chat reply ("9", "nine", "nueve", "九", "９",
// "9️⃣", "10/10", "9 - great service"), in the ten built-in languages, so that every channel
// (SMS, chat, a pasted export) reads a reply the same way. Pure: no I/O, no clock.
//
// The rules, strict by design (a guessed score is worse than a question back):
//   - the score comes first: digits (ASCII, full-width, Arabic-Indic, keycap emoji, 🔟) or
//     a number word 0–10 in en es pt fr de ru ar he, or CJK numerals (zh, ja); "/10",
//     "out of 10" (and its equivalents), "分"/"点" after it are part of the score;
//   - what follows the score, after separators ("-", ":", ",", "!"...), is the comment;
//   - two scores ("7 or 8", "5-6", "7/8", "七八", "7 8") or a decimal ("8.5") → ambiguous;
//     digits elsewhere but not first ("I'd say 9") → ambiguous: ask, never guess;
//   - a number outside 0–10 ("11", "-1", "十一") → invalid (out_of_range);
//   - the whole reply one of the opt-out words (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
//     QUIT, REVOKE, OPTOUT and the equivalents of each built-in language: "baja", "стоп",
//     "退订", ...) → unsubscribe.
#pragma once

#include "nps/score.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace nps {

enum class ReplyKind { score, ambiguous, invalid, unsubscribe };

struct Reply {
  ReplyKind kind = ReplyKind::invalid;
  std::optional<Score> score; // set when kind == score
  std::string comment;        // the text after the score, as written (trimmed); may be empty
  // The language the reply shows ("es" for "nueve", "ru" for Cyrillic text, "ja" when kana
  // appear, "zh" for Han text), "" when it does not tell (digits only, or a word shared by
  // several languages such as "six").
  std::string language;
  // Why it is ambiguous or invalid: "two_numbers", "range", "not_whole", "not_first" /
  // "empty", "out_of_range", "no_score", "encoding". Empty for score and unsubscribe.
  std::string reason;
};

[[nodiscard]] Reply read_reply(std::string_view text);
[[nodiscard]] std::string_view to_string(ReplyKind k) noexcept;

} // namespace nps
