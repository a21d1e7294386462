// The terms of a comment, for comment themes (issue 16): the adapter between text and the
// core's statistics (core/include/nps/themes.hpp), beside the server because it needs ICU and
// Snowball, which the core does not link.
//
// What a comment becomes, per language (the comment's locale, e.g. "es-MX" → es):
//   - words from ICU's word break iterator (UAX #29; dictionary segmentation for Chinese and
//     Japanese), NFKC case folded; numbers, punctuation and spaces are not words;
//   - stop words dropped (backend/stopwords/<lang>.txt, compiled in);
//   - a Snowball stem for en es ru pt de fr ar (libstemmer), the folded word elsewhere;
//   - negation kept with its word: "not fast" → "not_fast", "no es rápido" → "no_rapid",
//     "не быстро" → "не_быстр", "不快" → "不_快", "速くない" → "速く_ない";
//   - two- and three-word phrases of consecutive words within a clause ("slow delivery"); the
//     form people read joins two words without a space where both sides of the join are in a
//     script written without spaces (Han, Hiragana, Katakana, Thai…): "客服", not "客 服".
//     The key always joins with ' ': the core's phrase rule (nps::prune_phrases) splits it.
// Each term once per comment: counts are numbers of comments, so one angry comment that says
// "slow" five times weighs as one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace npsd {

struct CommentTerm {
  std::string key;  // what is counted: stems joined by ' ' (phrases) or '_' (negation)
  std::string form; // the words as written (folded), for people: "deliveries", "not fast"
  int words = 1;    // 1, 2 or 3
  friend bool operator==(const CommentTerm&, const CommentTerm&) = default;
};

// The language whose rules apply to a locale tag: "en", "es", "ru", "zh", "ja", "ar", "he",
// "pt", "de", "fr", or "" for others (which still get word breaks, folding and phrases).
[[nodiscard]] std::string term_language(std::string_view locale);

// The distinct terms of one comment, in order of first appearance. Thread-safe (each thread
// keeps its own break iterators and stemmers). Invalid UTF-8 is read as U+FFFD.
[[nodiscard]] std::vector<CommentTerm> comment_terms(std::string_view text, std::string_view locale);

// Whether a stemmer exists for the language (term_language's names).
[[nodiscard]] bool has_stemmer(std::string_view language);

} // namespace npsd
