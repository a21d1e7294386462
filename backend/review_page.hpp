// The draft-review page of a survey (issue 19, item 13b): what a colleague opens from a
// "Share for review" link, without an account: the survey as respondents see it, in each
// of its languages one after another (a list of links jumps to each), the score question
// and its scale, for each category the follow-up question and the further questions, the
// thank-you message and link label. The survey's texts come from the core's flow view, so
// they are the very words the widget and the landing pages show; the page's own words from
// nps::review_texts in the reader's language. Read-only: no script, no form, no input, and
// a Content-Security-Policy that allows neither (review_csp); nothing about a respondent.
#pragma once

#include "nps/survey.hpp"

#include <string>

namespace npsd {

struct ReviewPage {
  const nps::Survey* survey = nullptr;
  std::string locale;       // the page's own language (negotiated from the browser)
  bool changed = false;     // the survey's version is not the one the link was made for
  std::string expires_date; // YYYY-MM-DD
  std::string nonce;        // for the style element
};

[[nodiscard]] std::string render_review(const ReviewPage& p);
// A link that cannot be used: a title and a sentence in `locale`.
[[nodiscard]] std::string render_review_notice(const std::string& locale, const std::string& title,
                                               const std::string& body, const std::string& nonce);
// No script, no connections, no form posts: only the page's own style.
[[nodiscard]] std::string review_csp(const std::string& nonce);

} // namespace npsd
