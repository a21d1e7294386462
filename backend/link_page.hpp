// The landing pages of e-mail and link surveys (issue 14), drawn from the core's flow view
// (question, labels, the category's follow-up, thank-you text and review link) and the
// e-mail texts (nps/email_texts.hpp), in the respondent's language, right to left for
// ar/he, in the survey's accent colour. A page records nothing by being loaded: its script
// POSTs the answer only after a human signal (a trusted pointer, touch or key event, or the
// page visible in the foreground for 2 s without a webdriver), or, in strict mode, only on
// Send.
#pragma once

#include "nps/json.hpp"
#include "nps/survey.hpp"

#include <string>
#include <vector>

namespace npsd {

struct LandingPage {
  const nps::Survey* survey = nullptr;
  std::vector<std::string> languages; // preferences, best first (the link's locale, or the browser's)
  int score = -1;                     // the link's score; -1: the person chooses
  bool strict = false;
  bool answered = false; // the link's answer is already stored: say so, record nothing
  int answered_score = -1;
  std::string post_url; // where the answer goes; + "/follow-up" for the comment
  std::string seen_url; // strict mode, a campaign's link: told once when a person is seen ("": never)
  nps::json extra = nps::json::object(); // fields every POST carries (a key, a single-use token)
  std::string nonce;                     // for the page's Content-Security-Policy
};

// The whole HTML document.
[[nodiscard]] std::string render_landing(const LandingPage& p);

// A friendly page for a link that cannot be used (tampered, foreign, expired), or a short
// notice (unsubscribed): a title and a sentence, in the given language.
[[nodiscard]] std::string render_notice(const std::string& locale, const std::string& title,
                                        const std::string& body, const std::string& accent,
                                        const std::string& nonce);

// The Content-Security-Policy for a page rendered with `nonce`.
[[nodiscard]] std::string landing_csp(const std::string& nonce);

[[nodiscard]] std::string html_escape(std::string_view s);

// Accept-Language as preferences, best first (q=0 dropped, at most 10 tags).
[[nodiscard]] std::vector<std::string> accept_languages(const std::string& header);

} // namespace npsd
