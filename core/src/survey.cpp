// Parsing and validation of survey definitions.
//
// Sections: enum names · Reader (typed field access that records errors by path) ·
// texts · questions · categories · theme · targeting · sampling · privacy · survey · to_json
#include "nps/survey.hpp"

#include "nps/locale.hpp"
#include "nps/response.hpp"
#include "nps/text.hpp"
#include "reading.hpp"
#include "survey_names.hpp"
#include "survey_reader.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <type_traits>

namespace nps {

// ---- enum names --------------------------------------------------------------------------

using namespace detail; // the names (survey_names.hpp)

std::string_view to_string(SurveyKind k) noexcept { return name_of(k, kind_names); }
std::string_view to_string(QuestionType t) noexcept { return name_of(t, question_type_names); }
std::string_view to_string(ConditionOp o) noexcept { return name_of(o, condition_op_names); }
std::string_view to_string(Position p) noexcept { return name_of(p, position_names); }
std::string_view to_string(ColorMode m) noexcept { return name_of(m, mode_names); }
std::string_view to_string(UrlMatch m) noexcept { return name_of(m, url_match_names); }
std::string_view to_string(TriggerType t) noexcept { return name_of(t, trigger_names); }
std::string_view to_string(AttributeOp o) noexcept { return name_of(o, attribute_op_names); }

namespace {

using L = SurveyLimits;

// ---- texts ------------------------------------------------------------------------------

// A localised text: {"en": "...", "es": "..."}, or a plain string meaning the default locale.
LocalizedText read_localized(Reader& r, std::string_view key, const std::string& default_locale) {
  LocalizedText out;
  const json* v = r.get(key);
  if (!v) return out;
  if (v->is_string()) {
    if (auto t = r.checked_text(*v, r.at(key), L::text)) out[default_locale] = *t;
    return out;
  }
  if (!v->is_object()) {
    r.type(key, "a text, or an object of language → text");
    return out;
  }
  for (const auto& [tag, text] : v->items()) {
    const std::string path = join_path(r.at(key), tag);
    auto locale = canonical_locale(tag, path);
    if (!locale) {
      r.errors().add(locale.error());
      continue;
    }
    if (out.count(*locale)) {
      r.error(ErrorCode::duplicate, path, "the language " + *locale + " is given twice");
      continue;
    }
    if (auto t = r.checked_text(text, path, L::text)) out[*locale] = *t;
  }
  return out;
}

bool is_http_url(std::string_view url) {
  const auto rest = url.substr(0, 8) == "https://"  ? url.substr(8)
                    : url.substr(0, 7) == "http://" ? url.substr(7)
                                                    : std::string_view();
  if (rest.empty() || rest.front() == '/') return false;
  for (char c : url)
    if (static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>') return false;
  return true;
}

// ---- questions --------------------------------------------------------------------------

struct CategoryContext {
  const std::string& default_locale;
  std::vector<const Question*> earlier; // questions before the one being read
};

std::optional<Condition> read_condition(Reader& parent, const CategoryContext& ctx) {
  const json* v = parent.get("condition");
  if (!v) return std::nullopt;
  Reader r(parent.errors(), *v, parent.at("condition"), {"question", "op", "value"});
  if (!r.ok()) return std::nullopt;
  Condition c;
  const json* q = r.get("question");
  if (!q) {
    r.error(ErrorCode::required, r.at("question"), "required");
    return std::nullopt;
  }
  if (!q->is_string()) {
    r.type("question", "a string");
    return std::nullopt;
  }
  c.question = q->get<std::string>();
  const Question* target = nullptr;
  for (const Question* e : ctx.earlier)
    if (e->id == c.question) target = e;
  if (c.question != "score" && c.question != "comment" && !target) {
    r.error(ErrorCode::invalid_value, r.at("question"),
            "\"" + c.question + "\" is not score, comment or an earlier question of this category");
    return std::nullopt;
  }
  if (!r.get("op")) {
    r.error(ErrorCode::required, r.at("op"), "required");
    return std::nullopt;
  }
  const std::size_t before = r.errors().list.size();
  r.enumeration("op", c.op, condition_op_names);
  if (r.errors().list.size() != before) return std::nullopt;

  const json* value = r.get("value");
  const bool needs_value = c.op != ConditionOp::answered && c.op != ConditionOp::not_answered;
  if (!needs_value) {
    if (value) r.error(ErrorCode::invalid_value, r.at("value"), "answered and not_answered take no value");
    return c;
  }
  if (!value) {
    r.error(ErrorCode::required, r.at("value"), "required for " + std::string(to_string(c.op)));
    return std::nullopt;
  }
  const bool numeric_target = c.question == "score" || (target && target->type == QuestionType::rating);
  if (c.op == ConditionOp::less || c.op == ConditionOp::greater) {
    if (!numeric_target) {
      r.error(ErrorCode::invalid_value, r.at("op"), "less and greater compare the score or a rating");
      return std::nullopt;
    }
    if (!value->is_number()) {
      r.type("value", "a number");
      return std::nullopt;
    }
  } else if (c.op == ConditionOp::includes) {
    if (!target || target->type != QuestionType::multiple) {
      r.error(ErrorCode::invalid_value, r.at("op"), "includes applies to a multiple-choice question");
      return std::nullopt;
    }
  }
  if (numeric_target && !value->is_number() && c.op != ConditionOp::includes) {
    r.type("value", "a number");
    return std::nullopt;
  }
  if (!numeric_target && !value->is_string()) {
    r.type("value", "a string");
    return std::nullopt;
  }
  if (target && (target->type == QuestionType::single || target->type == QuestionType::multiple)) {
    const auto& want = value->get_ref<const std::string&>();
    const bool known = std::any_of(target->options.begin(), target->options.end(),
                                   [&](const ChoiceOption& o) { return o.id == want; });
    if (!known) {
      r.error(ErrorCode::invalid_value, r.at("value"), "\"" + want + "\" is not an option of " + target->id);
      return std::nullopt;
    }
  }
  c.value = *value;
  return c;
}

std::optional<Question> read_question(Found& errors, const json& j, const std::string& path,
                                      const CategoryContext& ctx) {
  Reader r(errors, j, path,
           {"id", "type", "text", "placeholder", "required", "options", "min", "max", "low_label",
            "high_label", "condition"});
  if (!r.ok()) return std::nullopt;
  Question q;
  if (auto id = r.id("id", true)) {
    q.id = *id;
    if (q.id == "score" || q.id == "comment")
      r.error(ErrorCode::invalid_value, r.at("id"), "\"score\" and \"comment\" are reserved");
  }
  if (!r.get("type"))
    r.error(ErrorCode::required, r.at("type"), "required: text, single, multiple or rating");
  r.enumeration("type", q.type, question_type_names);
  q.text = read_localized(r, "text", ctx.default_locale);
  if (q.text.empty() && !r.get("text")) r.error(ErrorCode::required, r.at("text"), "required");
  q.placeholder = read_localized(r, "placeholder", ctx.default_locale);
  r.boolean("required", q.required);
  const bool choice = q.type == QuestionType::single || q.type == QuestionType::multiple;
  std::set<std::string> option_ids;
  r.array("options", L::options, [&](const json& o, const std::string& p) {
    Reader ro(errors, o, p, {"id", "label"});
    if (!ro.ok()) return;
    ChoiceOption opt;
    if (auto id = ro.id("id", true)) {
      opt.id = *id;
      if (!option_ids.insert(opt.id).second)
        ro.error(ErrorCode::duplicate, ro.at("id"), "\"" + opt.id + "\" twice");
    }
    opt.label = read_localized(ro, "label", ctx.default_locale);
    if (opt.label.empty() && !ro.get("label")) ro.error(ErrorCode::required, ro.at("label"), "required");
    q.options.push_back(std::move(opt));
  });
  if (choice && q.options.size() < 2 && r.get("type"))
    r.error(ErrorCode::required, r.at("options"), "a choice question needs at least 2 options");
  if (!choice && r.get("options"))
    r.error(ErrorCode::invalid_value, r.at("options"),
            "only single and multiple choice questions have options");
  if (q.type == QuestionType::rating) {
    r.integer("min", q.scale_min, 0, 1);
    r.integer("max", q.scale_max, 2, 10);
    q.low_label = read_localized(r, "low_label", ctx.default_locale);
    q.high_label = read_localized(r, "high_label", ctx.default_locale);
  } else {
    for (auto key : {"min", "max", "low_label", "high_label"})
      if (r.get(key)) r.error(ErrorCode::invalid_value, r.at(key), "only rating questions have a scale");
  }
  q.condition = read_condition(r, ctx);
  // A question with errors is still returned when it has an id, so that later conditions
  // referring to it are checked against it instead of reporting a second, false error.
  if (q.id.empty()) return std::nullopt;
  return q;
}

// ---- categories -------------------------------------------------------------------------

CategoryFlow read_category(Found& errors, const json& j, const std::string& path,
                           const std::string& default_locale) {
  CategoryFlow c;
  Reader r(errors, j, path, {"ask", "text", "placeholder", "questions", "thanks", "thanks_link"});
  if (!r.ok()) return c;
  r.boolean("ask", c.ask_followup);
  c.followup = read_localized(r, "text", default_locale);
  c.placeholder = read_localized(r, "placeholder", default_locale);
  c.thanks = read_localized(r, "thanks", default_locale);
  std::vector<Question> questions;
  questions.reserve(L::questions);
  std::set<std::string> ids;
  r.array("questions", L::questions, [&](const json& q, const std::string& p) {
    CategoryContext ctx{default_locale, {}};
    for (const auto& e : questions)
      ctx.earlier.push_back(&e);
    auto question = read_question(errors, q, p, ctx);
    if (!question) return;
    if (!ids.insert(question->id).second) {
      errors.add(Error{ErrorCode::duplicate, join_path(p, "id"), "\"" + question->id + "\" twice"});
      return;
    }
    questions.push_back(std::move(*question));
  });
  c.questions = std::move(questions);
  if (const json* link = r.get("thanks_link")) {
    Reader rl(errors, *link, r.at("thanks_link"), {"url", "label", "append_score", "append_comment"});
    if (rl.ok()) {
      ThanksLink t;
      if (auto url = rl.text("url", L::url, true)) {
        if (is_http_url(*url))
          t.url = *url;
        else
          rl.error(ErrorCode::invalid_format, rl.at("url"), "an absolute http:// or https:// address");
      }
      t.label = read_localized(rl, "label", default_locale);
      rl.boolean("append_score", t.append_score);
      rl.boolean("append_comment", t.append_comment);
      if (!t.url.empty()) c.thanks_link = t;
    }
  }
  return c;
}

// ---- theme ------------------------------------------------------------------------------

std::optional<std::string> normalize_color(std::string_view s) {
  auto hex = [](char ch) {
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
  };
  if (s.empty() || s[0] != '#' || (s.size() != 4 && s.size() != 7)) return std::nullopt;
  std::string out = "#";
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (!hex(s[i])) return std::nullopt;
    const char lower = (s[i] >= 'A' && s[i] <= 'F') ? static_cast<char>(s[i] - 'A' + 'a') : s[i];
    out += lower;
    if (s.size() == 4) out += lower; // #abc → #aabbcc
  }
  return out;
}

Theme read_theme(Found& errors, const json& j, const std::string& path) {
  Theme t;
  Reader r(errors, j, path, {"accent", "position", "category_colors", "mode"});
  if (!r.ok()) return t;
  if (const json* a = r.get("accent")) {
    auto c = a->is_string() ? normalize_color(a->get_ref<const std::string&>()) : std::nullopt;
    if (c)
      t.accent = *c;
    else
      r.error(ErrorCode::invalid_format, r.at("accent"), "a colour written #rrggbb or #rgb");
  }
  r.enumeration("position", t.position, position_names);
  r.boolean("category_colors", t.category_colors);
  r.enumeration("mode", t.mode, mode_names);
  return t;
}

// ---- targeting --------------------------------------------------------------------------

Targeting read_targeting(Found& errors, const json& j, const std::string& path) {
  Targeting t;
  Reader r(errors, j, path, {"urls", "devices", "trigger", "attributes"});
  if (!r.ok()) return t;
  r.array("urls", L::url_rules, [&](const json& u, const std::string& p) {
    Reader ru(errors, u, p, {"match", "pattern", "exclude"});
    if (!ru.ok()) return;
    UrlRule rule;
    ru.enumeration("match", rule.match, url_match_names);
    ru.boolean("exclude", rule.exclude);
    const json* pattern = ru.get("pattern");
    if (!pattern || (pattern->is_string() && pattern->get_ref<const std::string&>().empty())) {
      ru.error(ErrorCode::empty, p, "empty pattern");
      return;
    }
    if (!pattern->is_string()) return ru.type("pattern", "a string");
    const auto& s = pattern->get_ref<const std::string&>();
    if (!is_valid_utf8(s)) return ru.error(ErrorCode::invalid_utf8, ru.at("pattern"), "not valid UTF-8");
    if (s.size() > L::url)
      return ru.error(ErrorCode::too_long, ru.at("pattern"), "longer than 2048 characters");
    rule.pattern = s; // patterns are matched as written: no trimming
    t.urls.push_back(std::move(rule));
  });
  r.array("devices", 3, [&](const json& d, const std::string& p) {
    if (!d.is_string()) return errors.add(type_error(p, "a string", d));
    const auto& s = d.get_ref<const std::string&>();
    if (std::find(std::begin(device_names), std::end(device_names), s) == std::end(device_names))
      return errors.add(Error{ErrorCode::invalid_value, p, "one of desktop, mobile or tablet"});
    if (std::find(t.devices.begin(), t.devices.end(), s) != t.devices.end())
      return errors.add(Error{ErrorCode::duplicate, p, "\"" + s + "\" twice"});
    t.devices.push_back(s);
  });
  if (const json* trig = r.get("trigger")) {
    Reader rt(errors, *trig, r.at("trigger"), {"type", "delay_seconds", "scroll_percent", "event", "count"});
    if (rt.ok()) {
      rt.enumeration("type", t.trigger.type, trigger_names);
      const auto allow_only = [&](std::initializer_list<std::string_view> keys) {
        for (auto key : {"delay_seconds", "scroll_percent", "event", "count"})
          if (rt.get(key) && std::find(keys.begin(), keys.end(), key) == keys.end())
            rt.error(ErrorCode::invalid_value, rt.at(key),
                     "not used by a " + std::string(to_string(t.trigger.type)) + " trigger");
      };
      switch (t.trigger.type) {
      case TriggerType::page_load:
        allow_only({"delay_seconds"});
        rt.integer("delay_seconds", t.trigger.delay_seconds, 0, 3600);
        break;
      case TriggerType::scroll:
        allow_only({"scroll_percent"});
        t.trigger.scroll_percent = 50;
        rt.integer("scroll_percent", t.trigger.scroll_percent, 1, 100);
        break;
      case TriggerType::exit_intent: allow_only({}); break;
      case TriggerType::event:
        allow_only({"event", "count"});
        if (const json* e = rt.get("event"); e && e->is_string()) {
          const auto& name = e->get_ref<const std::string&>();
          if (name.empty() || name.size() > 64 || !id_chars(name, "_.:-"))
            rt.error(ErrorCode::invalid_format, rt.at("event"),
                     "1 to 64 of the characters A-Z a-z 0-9 _ . : -");
          else
            t.trigger.event = name;
        } else if (e) {
          rt.type("event", "a string");
        } else {
          rt.error(ErrorCode::required, rt.at("event"), "required: the event's name");
        }
        rt.integer("count", t.trigger.count, 1, 1000);
        break;
      case TriggerType::page_views:
        allow_only({"count"});
        rt.integer("count", t.trigger.count, 1, 1000);
        break;
      }
    }
  }
  r.array("attributes", L::attribute_rules, [&](const json& a, const std::string& p) {
    Reader ra(errors, a, p, {"key", "op", "value"});
    if (!ra.ok()) return;
    AttributeRule rule;
    const std::size_t before = errors.list.size();
    if (const json* k = ra.get("key"); k && k->is_string() && !k->get_ref<const std::string&>().empty() &&
                                       k->get_ref<const std::string&>().size() <= 64 &&
                                       id_chars(k->get_ref<const std::string&>(), "_.-")) {
      rule.key = k->get<std::string>();
    } else {
      ra.error(k ? ErrorCode::invalid_format : ErrorCode::required, ra.at("key"),
               "an attribute name: 1 to 64 of the characters A-Z a-z 0-9 _ . -");
    }
    if (!ra.get("op")) ra.error(ErrorCode::required, ra.at("op"), "required");
    ra.enumeration("op", rule.op, attribute_op_names);
    const json* v = ra.get("value");
    if (!v) {
      ra.error(ErrorCode::required, ra.at("value"), "required");
    } else if (rule.op == AttributeOp::greater || rule.op == AttributeOp::less) {
      if (!v->is_number()) ra.type("value", "a number");
    } else if (!v->is_string() && !v->is_number() && !v->is_boolean()) {
      ra.type("value", "a string, number or boolean");
    } else if (v->is_string() && !is_valid_utf8(v->get_ref<const std::string&>())) {
      ra.error(ErrorCode::invalid_utf8, ra.at("value"), "not valid UTF-8");
    }
    if (errors.list.size() != before) return;
    rule.value = *v;
    t.attributes.push_back(std::move(rule));
  });
  return t;
}

// ---- sampling ---------------------------------------------------------------------------

Sampling read_sampling(Found& errors, const json& j, const std::string& path) {
  Sampling s;
  Reader r(errors, j, path,
           {"percent", "min_user_age_days", "resurvey_after_answer_days", "resurvey_after_dismiss_days",
            "global_cooldown_days", "daily_response_cap"});
  if (!r.ok()) return s;
  if (const json* p = r.get("percent")) {
    if (!p->is_number())
      r.type("percent", "a number from 0 to 100");
    else if (const double v = p->get<double>(); !(v >= 0 && v <= 100))
      r.error(ErrorCode::out_of_range, r.at("percent"), "between 0 and 100");
    else
      s.percent = std::round(v * 100) / 100; // sampling works in steps of 0.01%
  }
  r.integer("min_user_age_days", s.min_user_age_days, 0, 3650);
  r.integer("resurvey_after_answer_days", s.resurvey_after_answer_days, 0, 3650);
  r.integer("resurvey_after_dismiss_days", s.resurvey_after_dismiss_days, 0, 3650);
  r.integer("global_cooldown_days", s.global_cooldown_days, 0, 3650);
  r.integer("daily_response_cap", s.daily_response_cap, 0, 100000000);
  return s;
}

// ---- privacy ----------------------------------------------------------------------------

Privacy read_privacy(Found& errors, const json& j, const std::string& path) {
  Privacy p;
  Reader r(errors, j, path, {"personal_attributes", "keep_page_query"});
  if (!r.ok()) return p;
  r.array("personal_attributes", ResponseLimits::attributes, [&](const json& v, const std::string& at) {
    if (!v.is_string()) return errors.add(type_error(at, "an attribute name", v));
    const auto& key = v.get_ref<const std::string&>();
    if (key.empty() || key.size() > ResponseLimits::attribute_key || !id_chars(key, "_.-"))
      return errors.add(Error{ErrorCode::invalid_format, at,
                              "an attribute name: 1 to 64 of the characters A-Z a-z 0-9 _ . -"});
    for (const std::string& earlier : p.personal_attributes)
      if (same_attribute_name(earlier, key))
        return errors.add(Error{ErrorCode::duplicate, at,
                                "\"" + key + "\" names the same attribute as \"" + earlier + "\""});
    p.personal_attributes.push_back(key);
  });
  r.boolean("keep_page_query", p.keep_page_query);
  return p;
}

std::optional<std::string> normalize_origin(std::string_view s) {
  if (s == "*") return std::string(s);
  std::string out;
  for (char c : s)
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (!out.empty() && out.back() == '/') out.pop_back();
  if (!is_http_url(out)) return std::nullopt;
  const auto host = out.substr(out.find("://") + 3);
  if (host.find_first_of("/?#@") != std::string::npos) return std::nullopt;
  return out;
}

// ---- the qualifying question --------------------------------------------------------------

std::optional<Qualifier> read_qualify(Found& errors, const json& j, const std::string& default_locale) {
  Reader r(errors, j, "qualify", {"question", "accept"});
  if (!r.ok()) return std::nullopt;
  const json* qj = r.get("question");
  if (!qj) r.error(ErrorCode::required, r.at("question"), "required: a single or multiple choice question");
  if (!r.get("accept")) r.error(ErrorCode::required, r.at("accept"), "required: the option ids that qualify");
  if (!qj) return std::nullopt;
  std::optional<Question> q =
      read_question(errors, *qj, r.at("question"), CategoryContext{default_locale, {}});
  if (!q) return std::nullopt;
  Qualifier out{*q, {}};
  const std::string qp = r.at("question");
  if (q->type != QuestionType::single && q->type != QuestionType::multiple)
    errors.add(
        Error{ErrorCode::invalid_value, join_path(qp, "type"), "single or multiple: the answer decides"});
  if (q->condition)
    errors.add(
        Error{ErrorCode::invalid_value, join_path(qp, "condition"), "asked first, it has no condition"});
  out.question.required = true; // it decides: there is no skipping it
  r.array("accept", L::options, [&](const json& v, const std::string& p) {
    const bool known =
        v.is_string() && std::any_of(q->options.begin(), q->options.end(), [&](const ChoiceOption& o) {
          return o.id == v.get_ref<const std::string&>();
        });
    if (!known) return errors.add(Error{ErrorCode::invalid_value, p, "one of the question's option ids"});
    if (std::find(out.accept.begin(), out.accept.end(), v.get<std::string>()) != out.accept.end())
      return errors.add(Error{ErrorCode::duplicate, p, v.get<std::string>() + " twice"});
    out.accept.push_back(v.get<std::string>());
  });
  if (out.accept.empty() && r.get("accept"))
    errors.add(Error{ErrorCode::empty, r.at("accept"), "at least one option must qualify"});
  return out;
}

} // namespace

// ---- survey -----------------------------------------------------------------------------

Result<Survey> parse_survey(const json& j) {
  Found errors;
  Reader r(errors, j, "",
           {"id", "name", "kind", "product", "default_locale", "locales", "question", "low_label",
            "high_label", "followup", "theme", "targeting", "sampling", "allowed_origins", "privacy",
            "qualify"});
  if (!r.ok()) return std::move(errors.list);
  Survey s;
  if (auto id = r.id("id", true)) s.id = *id;
  if (auto name = r.text("name", L::name, false)) s.name = *name;
  if (s.name.empty()) s.name = s.id;
  r.enumeration("kind", s.kind, kind_names);
  if (const json* d = r.get("default_locale")) {
    if (!d->is_string())
      r.type("default_locale", "a language tag");
    else if (auto l = canonical_locale(d->get_ref<const std::string&>(), "default_locale"))
      s.default_locale = *l;
    else
      errors.add(l.error());
  }
  // The product: one name, or one per language ({"en": "Yandex Eats", "ru": "Яндекс Еду"}),
  // which must include the default language's.
  if (const json* p = r.get("product"); p && p->is_object()) {
    s.product_names = read_localized(r, "product", s.default_locale);
    for (const auto& [locale, name] : s.product_names)
      if (code_points(name) > L::product)
        errors.add(Error{ErrorCode::too_long, join_path("product", locale),
                         "longer than " + std::to_string(L::product) + " characters"});
    if (auto it = s.product_names.find(s.default_locale); it != s.product_names.end())
      s.product = it->second;
    else if (!p->empty())
      errors.add(Error{ErrorCode::required, join_path("product", s.default_locale),
                       "the name in the default language"});
  } else if (auto product = r.text("product", L::product, false)) {
    s.product = *product;
  }
  r.array("locales", L::locales, [&](const json& v, const std::string& p) {
    if (!v.is_string()) return errors.add(type_error(p, "a language tag", v));
    auto l = canonical_locale(v.get_ref<const std::string&>(), p);
    if (!l) return errors.add(l.error());
    if (std::find(s.locales.begin(), s.locales.end(), *l) != s.locales.end())
      return errors.add(Error{ErrorCode::duplicate, p, *l + " twice"});
    s.locales.push_back(*l);
  });
  if (!s.locales.empty() &&
      std::find(s.locales.begin(), s.locales.end(), s.default_locale) == s.locales.end())
    errors.add(Error{ErrorCode::invalid_value, "default_locale",
                     s.default_locale + " is not one of the survey's locales"});
  s.texts.question = read_localized(r, "question", s.default_locale);
  for (const auto& [locale, text] : s.texts.question) {
    // A custom question may name the product itself; {product} is optional, but only once.
    if (auto first = text.find("{product}");
        first != std::string::npos && text.find("{product}", first + 1) != std::string::npos)
      errors.add(Error{ErrorCode::invalid_value, join_path("question", locale), "{product} more than once"});
  }
  s.texts.low_label = read_localized(r, "low_label", s.default_locale);
  s.texts.high_label = read_localized(r, "high_label", s.default_locale);
  if (const json* f = r.get("followup")) {
    Reader rf(errors, *f, "followup", {"detractor", "passive", "promoter"});
    for (std::size_t c = 0; c < 3 && rf.ok(); ++c)
      if (const json* cat = rf.get(category_keys[c]))
        s.categories[c] = read_category(errors, *cat, rf.at(category_keys[c]), s.default_locale);
  }
  if (const json* t = r.get("theme")) s.theme = read_theme(errors, *t, "theme");
  if (const json* t = r.get("targeting")) s.targeting = read_targeting(errors, *t, "targeting");
  if (const json* t = r.get("sampling")) s.sampling = read_sampling(errors, *t, "sampling");
  r.array("allowed_origins", 50, [&](const json& v, const std::string& p) {
    auto o = v.is_string() ? normalize_origin(v.get_ref<const std::string&>()) : std::nullopt;
    if (!o)
      return errors.add(Error{ErrorCode::invalid_format, p, "an origin such as https://shop.example or *"});
    s.allowed_origins.push_back(*o);
  });
  if (const json* p = r.get("privacy")) s.privacy = read_privacy(errors, *p, "privacy");
  if (const json* q = r.get("qualify")) s.qualify = read_qualify(errors, *q, s.default_locale);
  check_text_locales(s, errors);
  if (errors.any) return std::move(errors.list);
  return s;
}

} // namespace nps
