// The browser's eligibility module: eligibility.decide and nothing else, small enough to
// load while the page is idle. The decision is the core's own nps::decide(), with the
// core's visitor and page readers and its JSON output; what differs from nps::invoke is
// how the inputs are read, to leave out the largest pieces of the full core (it is built
// with the core's small JSON type, nps/small_json.hpp, like every browser module):
//   * parse_survey's validation (every field, every language): the survey here is the
//     config npsd serves, which npsd produced with parse_survey (normalised, every default
//     filled in), so only the fields decide() uses are read, with the core's enum names.
//   * the sentences: nps-elig decides with decide_unexplained, which gives the same
//     verdict, code, params and wait_for as decide() and no "reason"; the reason is for the
//     person debugging a page, whom the loader's debug mode serves with nps-elig-debug;
//   * the words of a bad visitor or page: the module every page loads (nps-elig) reads them
//     with read_valid_visitor/read_valid_page, which refuse exactly what parse_visitor and
//     parse_page refuse but say only which of the two is bad. The loader writes the visitor
//     state itself, so that only happens when a site sets attributes the core refuses (an
//     object as a value, say) or storage was tampered with; the loader's debug mode loads
//     the other build of this file, nps-elig-debug (NPS_MODULE_ELIGIBILITY_DETAILED), which names
//     every field at fault in the full core's words.
// tests/web/elig_vectors.mjs runs every eligibility.decide vector through both builds (the
// survey normalised by the full core first) and requires the exact expected text (from
// nps-elig: the same output without "reason", or for a bad input a refusal naming the same part).
#include "nps/eligibility.hpp"
#include "nps/survey.hpp"

#include <emscripten/emscripten.h>

#include <string>
#include <string_view>

namespace {

using nps::json;

// ---- the fields of a normalised survey that decide() reads ------------------------------

// The member `key` of an object, or null when it is missing (or o is no object).
const json* field(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() ? &*it : nullptr;
}
template <typename E, std::size_t N> E enum_named(const json* j, const E (&all)[N], E fallback) {
  if (j && j->is_string())
    for (E e : all)
      if (nps::to_string(e) == j->get_ref<const std::string&>()) return e;
  return fallback;
}
int int_or(const json& o, const char* key, int fallback) {
  const json* j = field(o, key);
  return j && j->is_number_integer() ? j->get<int>() : fallback;
}
std::string string_or(const json& o, const char* key) {
  const json* j = field(o, key);
  return j && j->is_string() ? j->get<std::string>() : std::string();
}
// The member `key` if it is an object (array), else an empty one.
const json& member(const json& o, const char* key) {
  static const json empty = json::object();
  const json* j = field(o, key);
  return j && j->is_object() ? *j : empty;
}
const json::array_t& list(const json& o, const char* key) {
  const json* j = field(o, key);
  return j ? j->as_array() : json().as_array(); // as_array() of a non-array is a static empty list
}

// What decide() reads of a survey: not a whole nps::Survey (texts, flows, theme), whose
// construction and destruction would cost this module code for nothing.
struct SurveyRules {
  std::string id;
  nps::Targeting targeting;
  nps::Sampling sampling;
};

SurveyRules survey_of(const json& j) {
  using namespace nps;
  SurveyRules s;
  s.id = string_or(j, "id");
  const json& t = member(j, "targeting");
  for (const json& u : list(t, "urls")) {
    if (!u.is_object()) continue;
    UrlRule& r = s.targeting.urls.emplace_back();
    r.match = enum_named(
        field(u, "match"),
        {UrlMatch::exact, UrlMatch::contains, UrlMatch::starts_with, UrlMatch::ends_with, UrlMatch::glob},
        UrlMatch::contains);
    r.pattern = string_or(u, "pattern");
    const json* exclude = field(u, "exclude");
    r.exclude = exclude && exclude->is_boolean() && exclude->get<bool>();
  }
  for (const json& d : list(t, "devices"))
    if (d.is_string()) s.targeting.devices.push_back(d.get<std::string>());
  const json& tr = member(t, "trigger");
  Trigger& trigger = s.targeting.trigger;
  trigger.type = enum_named(field(tr, "type"),
                            {TriggerType::page_load, TriggerType::scroll, TriggerType::exit_intent,
                             TriggerType::event, TriggerType::page_views},
                            TriggerType::page_load);
  trigger.delay_seconds = int_or(tr, "delay_seconds", 0);
  trigger.scroll_percent = int_or(tr, "scroll_percent", 0);
  trigger.event = string_or(tr, "event");
  trigger.count = int_or(tr, "count", 1);
  for (const json& a : list(t, "attributes")) {
    if (!a.is_object()) continue;
    AttributeRule& r = s.targeting.attributes.emplace_back();
    r.key = string_or(a, "key");
    r.op = enum_named(field(a, "op"),
                      {AttributeOp::equals, AttributeOp::not_equals, AttributeOp::greater, AttributeOp::less,
                       AttributeOp::contains},
                      AttributeOp::equals);
    if (const json* value = field(a, "value")) r.value = *value;
  }
  const json& sm = member(j, "sampling");
  Sampling& sampling = s.sampling;
  if (const json* p = field(sm, "percent"); p && p->is_number()) sampling.percent = p->get<double>();
  sampling.min_user_age_days = int_or(sm, "min_user_age_days", sampling.min_user_age_days);
  sampling.resurvey_after_answer_days =
      int_or(sm, "resurvey_after_answer_days", sampling.resurvey_after_answer_days);
  sampling.resurvey_after_dismiss_days =
      int_or(sm, "resurvey_after_dismiss_days", sampling.resurvey_after_dismiss_days);
  sampling.global_cooldown_days = int_or(sm, "global_cooldown_days", sampling.global_cooldown_days);
  return s;
}

std::string last_text;
bool last_ok = false;

// The output is written as text, in the documented key order (as nps::invoke prints it):
// no ordered_json (a second instantiation of the JSON type) and no copy of the decision.
void add_field(std::string& out, const char* key, const json& value) {
  out += out.empty() ? "{\"" : ",\"";
  out += key;
  out += "\":";
  out += nps::dump(value);
}

void decide(std::string_view input) {
  last_ok = false;
  const auto parsed = nps::parse_json_value(input);
  const json* in = parsed ? &*parsed : nullptr;
  if (!in || !in->is_object() || !in->contains("survey") || !in->contains("visitor") ||
      !in->contains("page")) {
    last_text =
        R"([{"code":"parse_error","path":"","message":"expected {\"survey\", \"visitor\", \"page\"} as JSON"}])";
    return;
  }
#if defined(NPS_MODULE_ELIGIBILITY_DETAILED)
  auto visitor = nps::parse_visitor(in->at("visitor"));
  auto page = nps::parse_page(in->at("page"));
  if (!visitor || !page) {
    nps::Errors errors;
    if (!visitor) nps::append_prefixed(errors, visitor.errors(), "visitor");
    if (!page) nps::append_prefixed(errors, page.errors(), "page");
    last_text = nps::dump(nps::to_json(errors));
    return;
  }
#else
  // The same checks without their words (see the top of this file).
  const auto visitor = nps::read_valid_visitor(in->at("visitor"));
  const auto page = nps::read_valid_page(in->at("page"));
  if (!visitor || !page) {
    last_text =
        !visitor
            ? R"-([{"code":"invalid_value","path":"visitor","message":"not valid; debug mode names the field"}])-"
            : R"-([{"code":"invalid_value","path":"page","message":"not valid; debug mode names the field"}])-";
    return;
  }
#endif
  const SurveyRules s = survey_of(in->at("survey"));
  std::string out;
#if defined(NPS_MODULE_ELIGIBILITY_DETAILED)
  const nps::Decision d = nps::decide(s.id, s.targeting, s.sampling, *visitor, *page);
  add_field(out, "verdict", json(nps::to_string(d.verdict)));
  add_field(out, "code", json(d.code));
  add_field(out, "reason", json(d.reason));
#else
  // No "reason": the sentence is for the person debugging (see the top of this file).
  const nps::Decision d = nps::decide_unexplained(s.id, s.targeting, s.sampling, *visitor, *page);
  add_field(out, "verdict", json(nps::to_string(d.verdict)));
  add_field(out, "code", json(d.code));
#endif
  add_field(out, "params", d.params);
  if (d.verdict == nps::Verdict::wait && d.wait_for)
    add_field(out, "wait_for", nps::trigger_json(*d.wait_for));
  out += '}';
  last_text = std::move(out);
  last_ok = true;
}

} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* nps_invoke(const char* op, const char* input) {
  if (std::string_view(op) == "eligibility.decide")
    decide(input);
  else {
    last_ok = false;
    last_text = R"([{"code":"unknown_op","path":"","message":"only eligibility.decide"}])";
  }
  return last_text.c_str();
}

EMSCRIPTEN_KEEPALIVE int nps_last_ok() { return last_ok ? 1 : 0; }

} // extern "C"
