// What the words of a comment say (issue 16): the AFINN-165 lexicon and its emoji scores, as
// npm's `sentiment` package (5.0.2) ships and applies them, so a score here is the package's
// score of the same text (tests/themes/sentiment_oracle.mjs checks every labelled review it
// ships and a set of awkward texts).
//
// The package's rules, kept exactly:
//   - tokens: the text lower-cased, the characters . , / # ! ? $ % ^ & * ; : { } = _ ` " ~ ( )
//     and line feeds made spaces, runs of two or more white-space characters made one space,
//     trimmed, split at each space;
//   - each token found in the lexicon adds its score (−5 … +5); a token right after a negator
//     ("not", "don't", "isn't", "can't", …) adds the opposite;
//   - comparative = sum / number of tokens.
// Only English has a lexicon whose accuracy was measured (tests/themes/sentiment_bench.cpp on
// the package's Amazon, IMDb and Yelp review sets); every other language gets none, rather
// than a guess. What the sum means against the score is the core's rule (nps::sentiment_verdict).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npsd {

struct CommentSentiment {
  int sum = 0;
  double comparative = 0;
  std::vector<std::string> positive, negative; // the scored words, in the comment's order
};

// Whether a language (term_language's names, e.g. "en") has a measured lexicon.
[[nodiscard]] bool has_sentiment(std::string_view language);

// The comment's sentiment when its locale's language has a measured lexicon, else nullopt.
[[nodiscard]] std::optional<CommentSentiment> comment_sentiment(std::string_view text,
                                                                std::string_view locale);

// The package's scoring of `text` with the English lexicon, whatever the locale (benchmarks).
[[nodiscard]] CommentSentiment english_sentiment(std::string_view text);

} // namespace npsd
