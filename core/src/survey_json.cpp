// A survey definition written as JSON (to_json: the normalised form npsd stores and serves,
// every default filled in) and read back without validation (read_normalized_survey,
// read_normalized_rules: for what only ever gets to_json's output, like the browser's
// modules). Reading and validating a definition from outside is survey.cpp's.
#include "nps/survey.hpp"

#include "nps/text.hpp"
#include "survey_names.hpp"

#include <string>

namespace nps {

using namespace detail; // the names (survey_names.hpp)

namespace {
json localized_json(const LocalizedText& t) {
  json j = json::object();
  for (const auto& [locale, text] : t)
    j[locale] = text;
  return j;
}
} // namespace

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
  if (s.qualify)
    j["qualify"] = {{"question", question_json(s.qualify->question)}, {"accept", s.qualify->accept}};
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
  if (const json& q = field(j, "qualify"); q.is_object())
    s.qualify = Qualifier{question_of(field(q, "question")), texts_of(q, "accept")};
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
