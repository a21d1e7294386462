// Parsing and validation of survey definitions.
//
// Sections: enum names · Reader (typed field access that records errors by path) ·
// texts · questions · categories · theme · targeting · sampling · privacy · survey · to_json
#include "nps/survey.hpp"

#include "nps/locale.hpp"
#include "nps/response.hpp"
#include "nps/text.hpp"
#include "reading.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <type_traits>

namespace nps {

// ---- enum names --------------------------------------------------------------------------

namespace {
template <class E, std::size_t N>
std::optional<E> from_name(std::string_view s, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [e, name] : table)
    if (name == s) return e;
  return std::nullopt;
}
template <class E, std::size_t N>
std::string_view name_of(E e, const std::pair<E, std::string_view> (&table)[N]) {
  for (const auto& [v, name] : table)
    if (v == e) return name;
  return table[0].second;
}
template <class E, std::size_t N> std::string names_list(const std::pair<E, std::string_view> (&table)[N]) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    if (i) out += i + 1 == N ? " or " : ", ";
    out += table[i].second;
  }
  return out;
}

constexpr std::pair<SurveyKind, std::string_view> kind_names[] = {
    {SurveyKind::relational, "relational"}, {SurveyKind::transactional, "transactional"}};
constexpr std::pair<QuestionType, std::string_view> question_type_names[] = {
    {QuestionType::text, "text"},
    {QuestionType::single, "single"},
    {QuestionType::multiple, "multiple"},
    {QuestionType::rating, "rating"}};
constexpr std::pair<ConditionOp, std::string_view> condition_op_names[] = {
    {ConditionOp::answered, "answered"}, {ConditionOp::not_answered, "not_answered"},
    {ConditionOp::equals, "equals"},     {ConditionOp::not_equals, "not_equals"},
    {ConditionOp::includes, "includes"}, {ConditionOp::less, "less"},
    {ConditionOp::greater, "greater"}};
constexpr std::pair<Position, std::string_view> position_names[] = {{Position::bottom_right, "bottom-right"},
                                                                    {Position::bottom_left, "bottom-left"},
                                                                    {Position::center, "center"},
                                                                    {Position::inline_block, "inline"}};
constexpr std::pair<ColorMode, std::string_view> mode_names[] = {
    {ColorMode::light, "light"}, {ColorMode::dark, "dark"}, {ColorMode::automatic, "auto"}};
constexpr std::pair<UrlMatch, std::string_view> url_match_names[] = {{UrlMatch::exact, "exact"},
                                                                     {UrlMatch::contains, "contains"},
                                                                     {UrlMatch::starts_with, "starts_with"},
                                                                     {UrlMatch::ends_with, "ends_with"},
                                                                     {UrlMatch::glob, "glob"}};
constexpr std::pair<TriggerType, std::string_view> trigger_names[] = {
    {TriggerType::page_load, "page_load"},
    {TriggerType::scroll, "scroll"},
    {TriggerType::exit_intent, "exit_intent"},
    {TriggerType::event, "event"},
    {TriggerType::page_views, "page_views"}};
constexpr std::pair<AttributeOp, std::string_view> attribute_op_names[] = {
    {AttributeOp::equals, "equals"},
    {AttributeOp::not_equals, "not_equals"},
    {AttributeOp::greater, "greater"},
    {AttributeOp::less, "less"},
    {AttributeOp::contains, "contains"}};
constexpr std::string_view category_keys[] = {"detractor", "passive", "promoter"};
constexpr std::string_view device_names[] = {"desktop", "mobile", "tablet"};
} // namespace

std::string_view to_string(SurveyKind k) noexcept { return name_of(k, kind_names); }
std::string_view to_string(QuestionType t) noexcept { return name_of(t, question_type_names); }
std::string_view to_string(ConditionOp o) noexcept { return name_of(o, condition_op_names); }
std::string_view to_string(Position p) noexcept { return name_of(p, position_names); }
std::string_view to_string(ColorMode m) noexcept { return name_of(m, mode_names); }
std::string_view to_string(UrlMatch m) noexcept { return name_of(m, url_match_names); }
std::string_view to_string(TriggerType t) noexcept { return name_of(t, trigger_names); }
std::string_view to_string(AttributeOp o) noexcept { return name_of(o, attribute_op_names); }

// ---- Reader ------------------------------------------------------------------------------

namespace {

using L = SurveyLimits;

bool id_chars(std::string_view s, std::string_view punct) {
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    punct.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// Reads typed fields of one JSON object, recording errors by path and flagging fields
// the object does not define. Every accessor checks the type before reading. Problems go
// where every reader of outside JSON in the core puts them (reading.hpp's Problems, with
// every problem's words: a survey is only read in full); a survey's paths are kept as text.
using Found = detail::Problems<true>;

// A non-owning reference to a callable, for callbacks that run before the call returns:
// unlike std::function it allocates nothing and costs one small thunk per lambda, which
// matters in the browser's flow module (std::function's machinery was ~10 KB there).
template <class F> class FnRef;
template <class R, class... A> class FnRef<R(A...)> {
public:
  template <class C, std::enable_if_t<!std::is_same_v<std::decay_t<C>, FnRef>, int> = 0>
  FnRef(C&& c) noexcept // NOLINT: implicit, like std::function
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(c)))), call_([](void* o, A... a) -> R {
          return (*static_cast<std::remove_reference_t<C>*>(o))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

private:
  void* obj_;
  R (*call_)(void*, A...);
};

class Reader {
public:
  Reader(Found& errors, const json& j, std::string path, std::initializer_list<std::string_view> fields)
      : errors_(errors), j_(j), path_(std::move(path)) {
    if (!j.is_object()) {
      errors_.add(type_error(path_, "an object", j));
      ok_ = false;
      return;
    }
    for (const auto& [key, value] : j.items()) {
      if (std::find(fields.begin(), fields.end(), key) == fields.end())
        errors_.add(Error{ErrorCode::unknown_field, join_path(path_, key), "not a field here"});
    }
  }

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::string at(std::string_view key) const { return join_path(path_, key); }
  [[nodiscard]] const json* get(std::string_view key) const {
    if (!ok_) return nullptr;
    auto it = j_.find(std::string(key));
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  void error(ErrorCode code, std::string path, std::string message) {
    errors_.add(Error{code, std::move(path), std::move(message)});
  }
  void type(std::string_view key, std::string_view expected) {
    errors_.add(type_error(at(key), expected, *get(key)));
  }
  Found& errors() { return errors_; }

  std::optional<std::string> text(std::string_view key, std::size_t cap, bool required) {
    const json* v = get(key);
    if (!v) {
      if (required) error(ErrorCode::required, at(key), "required");
      return std::nullopt;
    }
    return checked_text(*v, at(key), cap);
  }

  // A text (the core's shared reader, reading.hpp) that may not be empty here.
  std::optional<std::string> checked_text(const json& v, const std::string& path, std::size_t cap) {
    auto t = detail::read_text(v, detail::Where{nullptr, path}, cap, errors_);
    if (t && t->empty()) {
      error(ErrorCode::empty, path, "empty text; leave the field out to use the built-in text");
      return std::nullopt;
    }
    return t;
  }

  std::optional<std::string> id(std::string_view key, bool required) {
    const json* v = get(key);
    if (!v) {
      if (required) error(ErrorCode::required, at(key), "required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      type(key, "a string");
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty() || s.size() > L::id || !id_chars(s, "_-")) {
      error(ErrorCode::invalid_format, at(key), "1 to 64 of the characters A-Z a-z 0-9 _ -");
      return std::nullopt;
    }
    return s;
  }

  void boolean(std::string_view key, bool& out) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_boolean()) return type(key, "true or false");
    out = v->get<bool>();
  }

  void integer(std::string_view key, int& out, int min, int max) {
    const json* v = get(key);
    if (!v) return;
    const auto i = as_integer(*v);
    if (!v->is_number()) return type(key, "a whole number");
    if (!i) return error(ErrorCode::not_integer, at(key), "a whole number");
    if (*i < min || *i > max)
      return error(ErrorCode::out_of_range, at(key),
                   "between " + std::to_string(min) + " and " + std::to_string(max));
    out = static_cast<int>(*i);
  }

  template <class E, std::size_t N>
  void enumeration(std::string_view key, E& out, const std::pair<E, std::string_view> (&table)[N]) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_string()) return type(key, "a string");
    if (auto e = from_name(v->get_ref<const std::string&>(), table))
      out = *e;
    else
      error(ErrorCode::invalid_value, at(key), "one of " + names_list(table));
  }

  // Iterates an array field; `fn(element, path)`.
  void array(std::string_view key, std::size_t max, FnRef<void(const json&, const std::string&)> fn) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_array()) return type(key, "an array");
    if (v->size() > max)
      return error(ErrorCode::too_many, at(key), "more than " + std::to_string(max) + " items");
    for (std::size_t i = 0; i < v->size(); ++i)
      fn((*v)[i], join_path(at(key), i));
  }

private:
  Found& errors_;
  const json& j_;
  std::string path_;
  bool ok_ = true;
};

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

json localized_json(const LocalizedText& t) {
  json j = json::object();
  for (const auto& [locale, text] : t)
    j[locale] = text;
  return j;
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
}

} // namespace

// ---- survey -----------------------------------------------------------------------------

Result<Survey> parse_survey(const json& j) {
  Found errors;
  Reader r(errors, j, "",
           {"id", "name", "kind", "product", "default_locale", "locales", "question", "low_label",
            "high_label", "followup", "theme", "targeting", "sampling", "allowed_origins", "privacy"});
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
  check_text_locales(s, errors);
  if (errors.any) return std::move(errors.list);
  return s;
}

// ---- to_json ----------------------------------------------------------------------------

namespace {
json question_json(const Question& q) {
  json j = {
      {"id", q.id}, {"type", to_string(q.type)}, {"text", localized_json(q.text)}, {"required", q.required}};
  if (!q.placeholder.empty()) j["placeholder"] = localized_json(q.placeholder);
  if (!q.options.empty()) {
    json opts = json::array();
    for (const auto& o : q.options)
      opts.push_back({{"id", o.id}, {"label", localized_json(o.label)}});
    j["options"] = opts;
  }
  if (q.type == QuestionType::rating) {
    j["min"] = q.scale_min;
    j["max"] = q.scale_max;
    if (!q.low_label.empty()) j["low_label"] = localized_json(q.low_label);
    if (!q.high_label.empty()) j["high_label"] = localized_json(q.high_label);
  }
  if (q.condition) {
    json c = {{"question", q.condition->question}, {"op", to_string(q.condition->op)}};
    if (!q.condition->value.is_null()) c["value"] = q.condition->value;
    j["condition"] = c;
  }
  return j;
}
} // namespace

json to_json(const Survey& s) {
  json j;
  j["id"] = s.id;
  j["name"] = s.name;
  j["kind"] = to_string(s.kind);
  if (!s.product_names.empty())
    j["product"] = localized_json(s.product_names);
  else if (!s.product.empty())
    j["product"] = s.product;
  j["default_locale"] = s.default_locale;
  if (!s.locales.empty()) j["locales"] = s.locales;
  if (!s.texts.question.empty()) j["question"] = localized_json(s.texts.question);
  if (!s.texts.low_label.empty()) j["low_label"] = localized_json(s.texts.low_label);
  if (!s.texts.high_label.empty()) j["high_label"] = localized_json(s.texts.high_label);
  json followup = json::object();
  for (std::size_t c = 0; c < 3; ++c) {
    const CategoryFlow& f = s.categories[c];
    json cj = {{"ask", f.ask_followup}};
    if (!f.followup.empty()) cj["text"] = localized_json(f.followup);
    if (!f.placeholder.empty()) cj["placeholder"] = localized_json(f.placeholder);
    if (!f.questions.empty()) {
      cj["questions"] = json::array();
      for (const auto& q : f.questions)
        cj["questions"].push_back(question_json(q));
    }
    if (!f.thanks.empty()) cj["thanks"] = localized_json(f.thanks);
    if (f.thanks_link) {
      json l = {{"url", f.thanks_link->url},
                {"append_score", f.thanks_link->append_score},
                {"append_comment", f.thanks_link->append_comment}};
      if (!f.thanks_link->label.empty()) l["label"] = localized_json(f.thanks_link->label);
      cj["thanks_link"] = l;
    }
    followup[std::string(category_keys[c])] = cj;
  }
  j["followup"] = followup;
  j["theme"] = {{"accent", s.theme.accent},
                {"position", to_string(s.theme.position)},
                {"category_colors", s.theme.category_colors},
                {"mode", to_string(s.theme.mode)}};
  json urls = json::array();
  for (const auto& u : s.targeting.urls)
    urls.push_back({{"match", to_string(u.match)}, {"pattern", u.pattern}, {"exclude", u.exclude}});
  json trigger = {{"type", to_string(s.targeting.trigger.type)}};
  switch (s.targeting.trigger.type) {
  case TriggerType::page_load: trigger["delay_seconds"] = s.targeting.trigger.delay_seconds; break;
  case TriggerType::scroll: trigger["scroll_percent"] = s.targeting.trigger.scroll_percent; break;
  case TriggerType::exit_intent: break;
  case TriggerType::event:
    trigger["event"] = s.targeting.trigger.event;
    trigger["count"] = s.targeting.trigger.count;
    break;
  case TriggerType::page_views: trigger["count"] = s.targeting.trigger.count; break;
  }
  json attrs = json::array();
  for (const auto& a : s.targeting.attributes)
    attrs.push_back({{"key", a.key}, {"op", to_string(a.op)}, {"value", a.value}});
  j["targeting"] = {
      {"urls", urls}, {"devices", s.targeting.devices}, {"trigger", trigger}, {"attributes", attrs}};
  j["sampling"] = {{"percent", s.sampling.percent},
                   {"min_user_age_days", s.sampling.min_user_age_days},
                   {"resurvey_after_answer_days", s.sampling.resurvey_after_answer_days},
                   {"resurvey_after_dismiss_days", s.sampling.resurvey_after_dismiss_days},
                   {"global_cooldown_days", s.sampling.global_cooldown_days},
                   {"daily_response_cap", s.sampling.daily_response_cap}};
  if (!s.allowed_origins.empty()) j["allowed_origins"] = s.allowed_origins;
  j["privacy"] = {{"personal_attributes", s.privacy.personal_attributes},
                  {"keep_page_query", s.privacy.keep_page_query}};
  return j;
}

// ---- the normalised form, read back -------------------------------------------------------

namespace {
// Field access that trusts its input: a missing field or one of another type is the default.
const json& field(const json& o, std::string_view key) { return member_or_null(o, key); }
// The text at `key` into out, which keeps its value when there is none; text_of: or "".
void read_text_into(const json& o, std::string_view key, std::string& out) {
  const json& v = field(o, key);
  if (v.is_string()) out = v.get_ref<const std::string&>();
}
std::string text_of(const json& o, std::string_view key) {
  std::string out;
  read_text_into(o, key, out);
  return out;
}
int int_of(const json& o, std::string_view key, int fallback) {
  const json& v = field(o, key);
  return v.is_number_integer() ? v.get<int>() : fallback;
}
bool flag_of(const json& o, std::string_view key, bool fallback) {
  const json& v = field(o, key);
  return v.is_boolean() ? v.get<bool>() : fallback;
}
template <class E, std::size_t N>
E enum_of(const json& o, std::string_view key, const std::pair<E, std::string_view> (&table)[N], E fallback) {
  const json& v = field(o, key);
  if (!v.is_string()) return fallback;
  return from_name(v.get_ref<const std::string&>(), table).value_or(fallback);
}
LocalizedText localized_of(const json& o, std::string_view key) {
  LocalizedText out;
  const json& v = field(o, key);
  if (v.is_object())
    for (const auto& [locale, text] : v.items())
      if (text.is_string()) out[locale] = text.get<std::string>();
  return out;
}
std::vector<std::string> texts_of(const json& o, std::string_view key) {
  std::vector<std::string> out;
  const json& v = field(o, key);
  if (v.is_array())
    for (const auto& e : v)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}
// Each object element of the array at `key`, in order.
template <class F> void each_of(const json& o, std::string_view key, F&& f) {
  const json& v = field(o, key);
  if (v.is_array())
    for (const auto& e : v)
      if (e.is_object()) f(e);
}

Question question_of(const json& j) {
  Question q;
  q.id = text_of(j, "id");
  q.type = enum_of(j, "type", question_type_names, QuestionType::text);
  q.text = localized_of(j, "text");
  q.placeholder = localized_of(j, "placeholder");
  q.required = flag_of(j, "required", false);
  each_of(j, "options", [&](const json& o) {
    q.options.push_back({text_of(o, "id"), localized_of(o, "label")});
  });
  q.scale_min = int_of(j, "min", q.scale_min);
  q.scale_max = int_of(j, "max", q.scale_max);
  q.low_label = localized_of(j, "low_label");
  q.high_label = localized_of(j, "high_label");
  if (const json& c = field(j, "condition"); c.is_object())
    q.condition = Condition{text_of(c, "question"),
                            enum_of(c, "op", condition_op_names, ConditionOp::answered), field(c, "value")};
  return q;
}
} // namespace

const std::string& product_name(const Survey& s, const std::string& locale) {
  const auto it = s.product_names.find(locale);
  return it == s.product_names.end() ? s.product : it->second;
}

// The rules eligibility reads. Written for the browser's eligibility module, whose size budget
// this reader is part of: members found by pointer (nullptr: missing, or not in an object),
// enumerations by their to_string names (which that module has anyway), arrays walked as
// their elements (get_ref<array_t>) rather than through the iterator, which also walks objects.
namespace {
const json* member_ptr(const json* o, const char* key) {
  if (!o) return nullptr; // find() of anything but an object finds nothing
  const auto it = o->find(key);
  return it != o->end() ? &*it : nullptr;
}
template <class E, std::size_t N> E named(const json* j, const E (&all)[N], E fallback) {
  if (j && j->is_string())
    for (E e : all)
      if (to_string(e) == j->get_ref<const std::string&>()) return e;
  return fallback;
}
int int_or(const json* o, const char* key, int fallback) {
  const json* j = member_ptr(o, key);
  return j && j->is_number_integer() ? j->get<int>() : fallback;
}
void text_into(const json* o, const char* key, std::string& out) {
  const json* j = member_ptr(o, key);
  if (j && j->is_string()) out = j->get_ref<const std::string&>();
}
// Each element of the array at `key`.
template <class F> void elements(const json* o, const char* key, F&& f) {
  if (const json* a = member_ptr(o, key); a && a->is_array())
    for (const json& e : a->get_ref<const json::array_t&>())
      f(e);
}
} // namespace

SurveyRules read_normalized_rules(const json& j) {
  SurveyRules r;
  text_into(&j, "id", r.id);
  const json* t = member_ptr(&j, "targeting");
  elements(t, "urls", [&](const json& u) {
    if (!u.is_object()) return;
    UrlRule& rule = r.targeting.urls.emplace_back();
    rule.match = named(
        member_ptr(&u, "match"),
        {UrlMatch::exact, UrlMatch::contains, UrlMatch::starts_with, UrlMatch::ends_with, UrlMatch::glob},
        UrlMatch::contains);
    text_into(&u, "pattern", rule.pattern);
    const json* exclude = member_ptr(&u, "exclude");
    rule.exclude = exclude && exclude->is_boolean() && exclude->get<bool>();
  });
  elements(t, "devices", [&](const json& d) {
    if (d.is_string()) r.targeting.devices.push_back(d.get<std::string>());
  });
  const json* tr = member_ptr(t, "trigger");
  Trigger& trigger = r.targeting.trigger;
  trigger.type = named(member_ptr(tr, "type"),
                       {TriggerType::page_load, TriggerType::scroll, TriggerType::exit_intent,
                        TriggerType::event, TriggerType::page_views},
                       trigger.type);
  trigger.delay_seconds = int_or(tr, "delay_seconds", trigger.delay_seconds);
  trigger.scroll_percent = int_or(tr, "scroll_percent", trigger.scroll_percent);
  text_into(tr, "event", trigger.event);
  trigger.count = int_or(tr, "count", trigger.count);
  elements(t, "attributes", [&](const json& a) {
    if (!a.is_object()) return;
    AttributeRule& rule = r.targeting.attributes.emplace_back();
    text_into(&a, "key", rule.key);
    rule.op = named(member_ptr(&a, "op"),
                    {AttributeOp::equals, AttributeOp::not_equals, AttributeOp::greater, AttributeOp::less,
                     AttributeOp::contains},
                    AttributeOp::equals);
    if (const json* value = member_ptr(&a, "value")) rule.value = *value;
  });
  const json* sm = member_ptr(&j, "sampling");
  Sampling& sampling = r.sampling;
  if (const json* p = member_ptr(sm, "percent"); p && p->is_number()) sampling.percent = p->get<double>();
  sampling.min_user_age_days = int_or(sm, "min_user_age_days", sampling.min_user_age_days);
  sampling.resurvey_after_answer_days =
      int_or(sm, "resurvey_after_answer_days", sampling.resurvey_after_answer_days);
  sampling.resurvey_after_dismiss_days =
      int_or(sm, "resurvey_after_dismiss_days", sampling.resurvey_after_dismiss_days);
  sampling.global_cooldown_days = int_or(sm, "global_cooldown_days", sampling.global_cooldown_days);
  return r; // daily_response_cap is the server's (read_normalized_survey reads it)
}

Survey read_normalized_survey(const json& j, bool with_targeting) {
  Survey s;
  s.id = text_of(j, "id");
  s.name = text_of(j, "name");
  s.kind = enum_of(j, "kind", kind_names, s.kind);
  read_text_into(j, "default_locale", s.default_locale);
  s.product_names = localized_of(j, "product");
  if (auto it = s.product_names.find(s.default_locale); it != s.product_names.end())
    s.product = it->second;
  else
    s.product = text_of(j, "product");
  s.locales = texts_of(j, "locales");
  s.texts.question = localized_of(j, "question");
  s.texts.low_label = localized_of(j, "low_label");
  s.texts.high_label = localized_of(j, "high_label");
  const json& followup = field(j, "followup");
  for (std::size_t c = 0; c < 3; ++c) {
    const json& cj = field(followup, category_keys[c]);
    CategoryFlow& f = s.categories[c];
    f.ask_followup = flag_of(cj, "ask", f.ask_followup);
    f.followup = localized_of(cj, "text");
    f.placeholder = localized_of(cj, "placeholder");
    each_of(cj, "questions", [&](const json& q) { f.questions.push_back(question_of(q)); });
    f.thanks = localized_of(cj, "thanks");
    if (const json& l = field(cj, "thanks_link"); l.is_object())
      f.thanks_link = ThanksLink{text_of(l, "url"), localized_of(l, "label"),
                                 flag_of(l, "append_score", false), flag_of(l, "append_comment", false)};
  }
  const json& theme = field(j, "theme");
  read_text_into(theme, "accent", s.theme.accent);
  s.theme.position = enum_of(theme, "position", position_names, s.theme.position);
  s.theme.category_colors = flag_of(theme, "category_colors", s.theme.category_colors);
  s.theme.mode = enum_of(theme, "mode", mode_names, s.theme.mode);
  const json& privacy = field(j, "privacy");
  s.privacy.personal_attributes = texts_of(privacy, "personal_attributes");
  s.privacy.keep_page_query = flag_of(privacy, "keep_page_query", false);
  if (!with_targeting) return s;
  SurveyRules rules = read_normalized_rules(j);
  s.targeting = std::move(rules.targeting);
  s.sampling = rules.sampling;
  s.sampling.daily_response_cap =
      int_of(field(j, "sampling"), "daily_response_cap", s.sampling.daily_response_cap);
  s.allowed_origins = texts_of(j, "allowed_origins");
  return s;
}

} // namespace nps
