// The survey definition: what to ask, in which languages, how it looks, whom to ask and
// how often. Parsed from JSON (the format is documented in docs in README "Survey
// definition") and validated with every problem named by its path, all at once.
//
// Sections: texts · questions · categories · theme · targeting · sampling · Survey · parse
// (privacy, what responses keep of the respondent, is in privacy.hpp)
#pragma once

#include "nps/json.hpp"
#include "nps/privacy.hpp"
#include "nps/result.hpp"
#include "nps/score.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nps {

// ---- texts -----------------------------------------------------------------------------

// One text in several languages: canonical locale tag → text. Empty means "use the
// built-in text for the visitor's language" (see i18n.hpp).
using LocalizedText = std::map<std::string, std::string>;

struct SurveyLimits {
  static constexpr std::size_t id = 64;
  static constexpr std::size_t name = 200;
  static constexpr std::size_t product = 100;
  static constexpr std::size_t text = 500; // any question, label or message
  static constexpr std::size_t url = 2048;
  static constexpr std::size_t questions = 5; // additional questions per category
  static constexpr std::size_t options = 20;  // choices per question
  static constexpr std::size_t url_rules = 50;
  static constexpr std::size_t attribute_rules = 20;
  static constexpr std::size_t locales = 50;
};

// ---- questions -------------------------------------------------------------------------

enum class QuestionType { text, single, multiple, rating };

struct ChoiceOption {
  std::string id;
  LocalizedText label;
  friend bool operator==(const ChoiceOption&, const ChoiceOption&) = default;
};

// Display condition on an earlier answer. `question` names an earlier additional
// question's id, or "score", or "comment" (the follow-up answer).
enum class ConditionOp { answered, not_answered, equals, not_equals, includes, less, greater };
struct Condition {
  std::string question;
  ConditionOp op = ConditionOp::answered;
  json value; // string, number, or null for answered / not_answered
  friend bool operator==(const Condition&, const Condition&) = default;
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::text;
  LocalizedText text;
  LocalizedText placeholder; // text questions
  bool required = false;
  std::vector<ChoiceOption> options;   // single, multiple
  int scale_min = 1, scale_max = 5;    // rating
  LocalizedText low_label, high_label; // rating end labels
  std::optional<Condition> condition;
  friend bool operator==(const Question&, const Question&) = default;
};

// ---- categories ------------------------------------------------------------------------

struct ThanksLink {
  std::string url;
  LocalizedText label;
  bool append_score = false;   // adds ?nps_score=9 (or &nps_score=9)
  bool append_comment = false; // adds nps_comment=<the follow-up answer>
  friend bool operator==(const ThanksLink&, const ThanksLink&) = default;
};

struct CategoryFlow {
  bool ask_followup = true;
  LocalizedText followup;    // empty: built-in "What is the main reason for your score?"
  LocalizedText placeholder; // empty: built-in placeholder
  std::vector<Question> questions;
  LocalizedText thanks; // empty: built-in thank-you
  std::optional<ThanksLink> thanks_link;
  friend bool operator==(const CategoryFlow&, const CategoryFlow&) = default;
};

// ---- theme -----------------------------------------------------------------------------

enum class Position { bottom_right, bottom_left, center, inline_block };
enum class ColorMode { light, dark, automatic };

struct Theme {
  std::string accent = "#3b5bdb"; // #rrggbb
  Position position = Position::bottom_right;
  bool category_colors = false; // colour 0–6 red, 7–8 yellow, 9–10 green
  ColorMode mode = ColorMode::light;
  friend bool operator==(const Theme&, const Theme&) = default;
};

// ---- targeting -------------------------------------------------------------------------

enum class UrlMatch { exact, contains, starts_with, ends_with, glob };
struct UrlRule {
  UrlMatch match = UrlMatch::contains;
  std::string pattern;
  bool exclude = false; // exclude rules win over include rules
  friend bool operator==(const UrlRule&, const UrlRule&) = default;
};

enum class TriggerType { page_load, scroll, exit_intent, event, page_views };
struct Trigger {
  TriggerType type = TriggerType::page_load;
  int delay_seconds = 0;  // page_load: seconds after load
  int scroll_percent = 0; // scroll: 1..100
  std::string event;      // event: its name
  int count = 1;          // event: times it happened; page_views: views
  friend bool operator==(const Trigger&, const Trigger&) = default;
};

enum class AttributeOp { equals, not_equals, greater, less, contains };
struct AttributeRule {
  std::string key;
  AttributeOp op = AttributeOp::equals;
  json value; // string, number or boolean
  friend bool operator==(const AttributeRule&, const AttributeRule&) = default;
};

struct Targeting {
  std::vector<UrlRule> urls;        // none: every page
  std::vector<std::string> devices; // "desktop", "mobile", "tablet"; none: all
  Trigger trigger;
  std::vector<AttributeRule> attributes; // all must hold; needs an identified user
  friend bool operator==(const Targeting&, const Targeting&) = default;
};

// ---- sampling and throttling -----------------------------------------------------------

struct Sampling {
  double percent = 100;                // of eligible visitors, by a stable hash
  int min_user_age_days = 0;           // wait until the visitor was first seen N days ago
  int resurvey_after_answer_days = 90; // relational surveys
  int resurvey_after_dismiss_days = 30;
  int global_cooldown_days = 0; // after any survey was shown, ask nothing for N days
  int daily_response_cap = 0;   // 0: no cap; enforced by the server
  friend bool operator==(const Sampling&, const Sampling&) = default;
};

// ---- Survey ----------------------------------------------------------------------------

enum class SurveyKind { relational, transactional };

struct SurveyTexts {
  LocalizedText question;   // empty: built-in, with {product} filled in
  LocalizedText low_label;  // "Not at all likely"
  LocalizedText high_label; // "Extremely likely"
  friend bool operator==(const SurveyTexts&, const SurveyTexts&) = default;
};

// A qualifying question asked before the score (issue 19, "before launch"): only those whose
// answer is one of `accept` are asked the score; the others are not asked anything more (the
// session closes as declined, so the survey's wait after a dismissal applies to them). Asked
// on the web and in apps only: e-mail, SMS and link surveys bring the score with the link or
// the reply, so they start at the score.
struct Qualifier {
  Question question;               // single or multiple choice, required, no condition
  std::vector<std::string> accept; // option ids that qualify; for multiple choice, any one of them
  friend bool operator==(const Qualifier&, const Qualifier&) = default;
};

struct Survey {
  std::string id;
  std::string name;
  SurveyKind kind = SurveyKind::relational;
  std::string product; // "{product}" in the question: the name in the default language
  // "product" given per language ({"en": "Yandex Eats", "ru": "Яндекс Еду"}): each the form
  // that language's question needs (Russian: accusative). Empty when given as one string.
  LocalizedText product_names;
  std::string default_locale = "en";
  std::vector<std::string> locales; // languages offered; empty: every built-in language
  SurveyTexts texts;
  std::optional<Qualifier> qualify;       // asked before the score, when set
  std::array<CategoryFlow, 3> categories; // indexed by Category
  Theme theme;
  Targeting targeting;
  Sampling sampling;
  std::vector<std::string> allowed_origins; // CORS for the public endpoints; empty: any
  Privacy privacy;

  [[nodiscard]] const CategoryFlow& flow_for(Category c) const {
    return categories[static_cast<std::size_t>(c)];
  }
  friend bool operator==(const Survey&, const Survey&) = default;
};

// ---- parse -----------------------------------------------------------------------------

// Validates and normalises (canonical locale tags, trimmed texts); collects every
// problem, each with its path: "followup.detractor.text.es", "targeting.urls[2].pattern".
[[nodiscard]] Result<Survey> parse_survey(const json& j);
[[nodiscard]] json to_json(const Survey& s);
// Reads back what to_json wrote, which is what npsd serves as a survey's /config: no
// validation and no normalisation, for the browser's flow module, which only ever sees
// definitions parse_survey accepted (and would otherwise carry the whole validator). A
// field that is missing or of another type takes its default, so a damaged input gives a
// plain survey, never a crash. For every accepted s: read_normalized_survey(to_json(s)) == s.
// Without targeting: targeting, sampling and allowed_origins keep their defaults (the flow
// reads none of them).
[[nodiscard]] Survey read_normalized_survey(const json& j, bool with_targeting = true);
// The product's name for the session's language: its own form when the survey gives one,
// else the name in the default language.
[[nodiscard]] const std::string& product_name(const Survey& s, const std::string& locale);

// What eligibility reads of a survey (decide()): its id, targeting and sampling (but for
// daily_response_cap, the server's, left at its default), read from the normalised form as
// read_normalized_survey reads them: it reads them with this. For the browser's eligibility
// module, which thus never builds a whole Survey (texts, flows, theme) nor reads it twice.
struct SurveyRules {
  std::string id;
  Targeting targeting;
  Sampling sampling;
};
[[nodiscard]] SurveyRules read_normalized_rules(const json& j);

[[nodiscard]] std::string_view to_string(SurveyKind k) noexcept;
[[nodiscard]] std::string_view to_string(QuestionType t) noexcept;
[[nodiscard]] std::string_view to_string(ConditionOp o) noexcept;
[[nodiscard]] std::string_view to_string(Position p) noexcept;
[[nodiscard]] std::string_view to_string(ColorMode m) noexcept;
[[nodiscard]] std::string_view to_string(UrlMatch m) noexcept;
[[nodiscard]] std::string_view to_string(TriggerType t) noexcept;
[[nodiscard]] std::string_view to_string(AttributeOp o) noexcept;

} // namespace nps
