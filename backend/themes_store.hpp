// Comment themes' storage (issue 16): what the Why page reads, kept by the engines in the same
// transaction as the answer, so the page never re-reads comments.
//
// Five tables per engine (sqlite_themes.cpp, postgres_themes.cpp):
//   theme_terms      (survey, day, category, lang, term) → comments mentioning it, a form
//                    as written: the counts the log-odds statistics need, summed over days;
//   theme_comments   (survey, day, lang) → a tally (c0..c10) of the respondents who wrote a
//                    comment: the denominators for shares and the "without" side of impact;
//   theme_seg_terms, theme_seg_comments  the same two again with the answer's channel and
//                    device ("" when it named none) before the term in the key: read only when
//                    the page filters by channel or device, so the unfiltered page reads as
//                    many rows as before (themes_bench measures both, and the folded key);
//   theme_responses  (survey, term, response) with day, lang, score, category: who mentions
//                    a term, for a theme's impact (a tally of their scores), for "the comments
//                    behind this theme", and so a deleted or anonymised answer's counts can be
//                    taken out exactly without re-tokenising its comment (its channel and
//                    device are read from the answer's row, which keeps them).
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
  std::optional<std::string> channel;    // one channel (nps::Channel's name), or all
  std::optional<std::string> device;     // one device (nps::Device's name), or all
  [[nodiscard]] bool segmented() const noexcept { return channel || device; }
};

// "'web', 'app', …": every channel; "'', 'desktop', …": every device ('' for none). A query
// on the segment rows names one channel or all, one device or all, so that it seeks
// (survey, channel, device, term) in the key rather than scanning the survey's segments.
[[nodiscard]] inline std::string theme_channels_sql() {
  std::string s;
  for (auto c : {nps::Channel::web, nps::Channel::app, nps::Channel::email, nps::Channel::link,
                 nps::Channel::sms, nps::Channel::import, nps::Channel::api})
    s += (s.empty() ? "'" : ", '") + std::string(nps::to_string(c)) + "'";
  return s;
}
[[nodiscard]] inline std::string theme_devices_sql() {
  std::string s = "''";
  for (auto d : {nps::Device::desktop, nps::Device::mobile, nps::Device::tablet})
    s += ", '" + std::string(nps::to_string(d)) + "'";
  return s;
}

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
  std::string channel, device; // the answer's own; device "" when it named none
  std::vector<CommentTerm> terms;
};
[[nodiscard]] inline AnswerTerms answer_terms(const nps::Response& r) {
  AnswerTerms out;
  if (!r.comment || r.comment->empty()) return out;
  out.commented = true;
  out.lang = term_language(r.locale.value_or(""));
  out.channel = nps::to_string(r.channel);
  out.device = r.device ? std::string(nps::to_string(*r.device)) : std::string();
  out.terms = comment_terms(*r.comment, r.locale.value_or(""));
  return out;
}

} // namespace npsd
