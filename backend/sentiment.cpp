// The sentiment package's tokeniser and scoring with its lexicon (see sentiment.hpp).
#include "sentiment.hpp"

#include "text_terms.hpp"

#include <nlohmann/json.hpp>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <cstdint>
#include <unordered_map>
#include <unordered_set>

namespace npsd {

namespace detail {
extern const std::string_view sentiment_labels, sentiment_emoji, sentiment_negators;
}

namespace {

struct Lexicon {
  std::unordered_map<std::string, int> scores;
  std::unordered_set<std::string> negators;
};

const Lexicon& lexicon() {
  static const Lexicon lex = [] {
    Lexicon l;
    // The package assigns the emoji over the words (Object.assign(labels, emojis)).
    // (Each document is bound to a name first: a range-for over a temporary's items() dangles.)
    for (auto text : {detail::sentiment_labels, detail::sentiment_emoji}) {
      const auto doc = nlohmann::json::parse(text);
      for (const auto& [k, v] : doc.items())
        l.scores[k] = v.get<int>();
    }
    const auto negators = nlohmann::json::parse(detail::sentiment_negators);
    for (const auto& [k, v] : negators.items())
      if (v.get<int>() != 0) l.negators.insert(k);
    return l;
  }();
  return lex;
}

// ECMAScript's \s and String.prototype.trim's white space: WhiteSpace and LineTerminator.
bool js_space(char32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x20 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// One code point of valid UTF-8 at `i` (stored comments are validated); advances `i`.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
    c = (c << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
  i += static_cast<std::size_t>(len);
  return c;
}

// tokenize.js: lower case, punctuation and \n to ' ', /\s\s+/ to ' ', trim, split(' ').
std::vector<std::string> tokenize(std::string_view original) {
  // String.prototype.toLowerCase is Unicode's full lower-case mapping without a locale: ICU's
  // toLower with the root locale ("NAÏVE" → "naïve", a word of the lexicon).
  std::string text;
  icu::UnicodeString::fromUTF8(icu::StringPiece(original.data(), static_cast<std::int32_t>(original.size())))
      .toLower(icu::Locale::getRoot())
      .toUTF8String(text);
  struct Piece {
    std::string bytes;
    bool space; // a JS white-space character
  };
  std::vector<Piece> pieces;
  static constexpr std::string_view punctuation = ".,/#!?$%^&*;:{}=_`\"~()";
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    const char32_t c = next_code_point(text, i);
    std::string bytes(text.substr(start, i - start));
    if (c < 0x80) {
      char a = static_cast<char>(c);
      if (a == '\n' || punctuation.find(a) != std::string_view::npos) a = ' ';
      bytes.assign(1, a);
    }
    pieces.push_back(
        {bytes, c == ' ' || (c == '\n') || js_space(c) ||
                    (c < 0x80 && punctuation.find(static_cast<char>(c)) != std::string_view::npos)});
  }
  // Runs of two or more white-space characters become one space; a lone one stays as it is
  // (a lone tab joins its neighbours into one token, as in the package).
  std::string joined;
  for (std::size_t i = 0; i < pieces.size();) {
    if (!pieces[i].space) {
      joined += pieces[i++].bytes;
      continue;
    }
    std::size_t j = i;
    while (j < pieces.size() && pieces[j].space)
      ++j;
    if (j - i >= 2) {
      joined += ' ';
    } else {
      joined += pieces[i].bytes;
    }
    i = j;
  }
  // trim: JS white space at both ends (re-decoded: the lone spaces kept above).
  std::size_t begin = 0, end = joined.size();
  while (begin < end) {
    std::size_t k = begin;
    if (!js_space(next_code_point(joined, k))) break;
    begin = k;
  }
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(joined[start]) & 0xC0) == 0x80)
      --start;
    std::size_t k = start;
    if (!js_space(next_code_point(joined, k))) break;
    end = start;
  }
  std::vector<std::string> tokens;
  std::string_view rest(joined.data() + begin, end - begin);
  for (;;) {
    const auto sp = rest.find(' ');
    tokens.emplace_back(rest.substr(0, sp));
    if (sp == std::string_view::npos) break;
    rest.remove_prefix(sp + 1);
  }
  return tokens;
}

} // namespace

bool has_sentiment(std::string_view language) { return language == "en"; }

CommentSentiment english_sentiment(std::string_view text) {
  const auto& lex = lexicon();
  const auto tokens = tokenize(text);
  CommentSentiment out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const auto it = lex.scores.find(tokens[i]);
    if (it == lex.scores.end()) continue;
    int score = it->second;
    if (i > 0 && lex.negators.count(tokens[i - 1])) score = -score;
    out.sum += score;
    if (score > 0) out.positive.push_back(tokens[i]);
    if (score < 0) out.negative.push_back(tokens[i]);
  }
  out.comparative = tokens.empty() ? 0.0 : static_cast<double>(out.sum) / static_cast<double>(tokens.size());
  return out;
}

std::optional<CommentSentiment> comment_sentiment(std::string_view text, std::string_view locale) {
  if (!has_sentiment(term_language(locale))) return std::nullopt;
  return english_sentiment(text);
}

} // namespace npsd
