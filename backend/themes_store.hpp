// Comment themes' storage (issue 16): what the Why page reads, kept by the engines in the same
// transaction as the answer, so the page never re-reads comments.
//
// Three tables per engine (sqlite_themes.cpp, postgres_themes.cpp):
//   theme_terms      (survey, day, category, lang, term) → comments mentioning it, a form
//                    as written: the counts the log-odds statistics need, summed over days;
//   theme_comments   (survey, day, lang) → a tally (c0..c10) of the respondents who wrote a
//                    comment: the denominators for shares and the "without" side of impact;
//   theme_responses  (survey, term, response) with day, lang, score, category: who mentions
//                    a term, for a theme's impact (a tally of their scores), for "the comments
//                    behind this theme", and so a deleted or anonymised answer's counts can be
//                    taken out exactly without re-tokenising its comment.
// Counts are numbers of comments (each term once per comment). lang is text_terms.hpp's
// term_language of the answer's locale ("" for languages without rules).
#pragma once

#include "nps/response.hpp"
#include "nps/tally.hpp"
#include "storage.hpp"
#include "text_terms.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npsd {

struct ThemeQuery {
  std::string survey_id;
  std::int32_t from_day = 0, to_day = 0; // inclusive
  std::optional<std::string> lang;       // one language, or all together
};

struct ThemeTermRow {
  std::string term, form;
  std::uint64_t detractors = 0, passives = 0, promoters = 0; // comments mentioning it
};

struct ThemeDay {
  std::int32_t day = 0;
  std::uint64_t count = 0;
};

struct ThemeComment {
  std::int64_t response_id = 0;
  int score = 0;
  std::string comment, locale;
  Millis received_at = 0;
};

class ThemesStore {
public:
  virtual ~ThemesStore() = default;
  // Terms mentioned in at least `min_comments` comments of the range.
  [[nodiscard]] virtual std::vector<ThemeTermRow> terms(const ThemeQuery& q,
                                                        std::uint64_t min_comments) const = 0;
  // The respondents who wrote a comment in the range.
  [[nodiscard]] virtual nps::Tally commenters(const ThemeQuery& q) const = 0;
  // Languages of the range's comments, with their number of commenters.
  [[nodiscard]] virtual std::vector<std::pair<std::string, std::uint64_t>>
  languages(const ThemeQuery& q) const = 0;
  // The respondents who mention `term`.
  [[nodiscard]] virtual nps::Tally mentioning(const ThemeQuery& q, const std::string& term) const = 0;
  // Per day: comments mentioning `term` (term set), or comments at all (term empty).
  [[nodiscard]] virtual std::vector<ThemeDay> days(const ThemeQuery& q, const std::string& term) const = 0;
  // The newest comments mentioning `term`.
  [[nodiscard]] virtual std::vector<ThemeComment> comments(const ThemeQuery& q, const std::string& term,
                                                           std::size_t limit) const = 0;
};

// What the engines store for one answer: its language and terms; nothing when it has no
// comment. Computed in the engine's writer, beside the tally change.
struct AnswerTerms {
  bool commented = false;
  std::string lang;
  std::vector<CommentTerm> terms;
};
[[nodiscard]] inline AnswerTerms answer_terms(const nps::Response& r) {
  AnswerTerms out;
  if (!r.comment || r.comment->empty()) return out;
  out.commented = true;
  out.lang = term_language(r.locale.value_or(""));
  out.terms = comment_terms(*r.comment, r.locale.value_or(""));
  return out;
}

} // namespace npsd
