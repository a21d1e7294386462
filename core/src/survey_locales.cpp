// Every language a survey's texts use must be one the survey offers, when it lists them
// (parse_survey's last check; survey_reader.hpp).
#include "nps/survey.hpp"
#include "survey_names.hpp"
#include "survey_reader.hpp"

#include <algorithm>

namespace nps::detail {

// Every language a text uses must be one the survey offers, when it lists them.
void check_text_locales(const Survey& s, Found& errors) {
  if (s.locales.empty()) return;
  const auto check = [&](const LocalizedText& t, const std::string& path) {
    for (const auto& [locale, text] : t)
      if (std::find(s.locales.begin(), s.locales.end(), locale) == s.locales.end())
        errors.add(Error{ErrorCode::invalid_value, join_path(path, locale),
                         locale + " is not one of the survey's locales"});
  };
  check(s.product_names, "product");
  check(s.texts.question, "question");
  check(s.texts.low_label, "low_label");
  check(s.texts.high_label, "high_label");
  for (std::size_t c = 0; c < 3; ++c) {
    const std::string base = join_path("followup", category_keys[c]);
    const CategoryFlow& f = s.categories[c];
    check(f.followup, join_path(base, "text"));
    check(f.placeholder, join_path(base, "placeholder"));
    check(f.thanks, join_path(base, "thanks"));
    if (f.thanks_link) check(f.thanks_link->label, join_path(join_path(base, "thanks_link"), "label"));
    for (std::size_t i = 0; i < f.questions.size(); ++i) {
      const Question& q = f.questions[i];
      const std::string qp = join_path(join_path(base, "questions"), i);
      check(q.text, join_path(qp, "text"));
      check(q.placeholder, join_path(qp, "placeholder"));
      check(q.low_label, join_path(qp, "low_label"));
      check(q.high_label, join_path(qp, "high_label"));
      for (std::size_t o = 0; o < q.options.size(); ++o)
        check(q.options[o].label, join_path(join_path(join_path(qp, "options"), o), "label"));
    }
  }
  if (s.qualify) {
    const Question& q = s.qualify->question;
    check(q.text, "qualify.question.text");
    for (std::size_t o = 0; o < q.options.size(); ++o)
      check(q.options[o].label, join_path(join_path("qualify.question.options", o), "label"));
  }
}

} // namespace nps::detail
