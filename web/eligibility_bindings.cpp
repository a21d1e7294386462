// The browser's eligibility module: eligibility.decide and nothing else, small enough to
// load while the page is idle. The decision is the core's own nps::decide(), with the
// core's parse_visitor/parse_page and its JSON output; what differs from nps::invoke is
// only how the survey is read, to leave out the largest piece of the full core (it is
// built with the core's small JSON type, nps/small_json.hpp, like every browser module):
//   * parse_survey's validation (every field, every language): the survey here is the
//     config npsd serves, which npsd produced with parse_survey (normalised, every default
//     filled in), so only the fields decide() uses are read, with the core's enum names.
// tests/web/elig_vectors.mjs runs every eligibility.decide vector through this module
// (the survey normalised by the full core first) and requires the exact expected text.
#include "nps/eligibility.hpp"
#include "nps/survey.hpp"

#include <emscripten/emscripten.h>

#include <string>
#include <string_view>

namespace {

using nps::json;

// ---- the fields of a normalised survey that decide() reads ------------------------------

template <typename E, std::size_t N>
E enum_named(const json& j, const E (&all)[N], E fallback) {
  if (j.is_string())
    for (E e : all)
      if (nps::to_string(e) == j.get_ref<const std::string&>()) return e;
  return fallback;
}
int int_or(const json& o, const char* key, int fallback) {
  auto it = o.find(key);
  return it != o.end() && it->is_number_integer() ? it->get<int>() : fallback;
}
std::string string_or(const json& o, const char* key) {
  auto it = o.find(key);
  return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}
const json& member(const json& o, const char* key) {
  static const json empty = json::object();
  auto it = o.find(key);
  return it != o.end() && it->is_object() ? *it : empty;
}
const json& list(const json& o, const char* key) {
  static const json empty = json::array();
  auto it = o.find(key);
  return it != o.end() && it->is_array() ? *it : empty;
}

nps::Survey survey_of(const json& j) {
  using namespace nps;
  Survey s;
  s.id = string_or(j, "id");
  const json& t = member(j, "targeting");
  for (const json& u : list(t, "urls")) {
    if (!u.is_object()) continue;
    UrlRule r;
    r.match = enum_named(u.value("match", json()), {UrlMatch::exact, UrlMatch::contains, UrlMatch::starts_with,
                                                    UrlMatch::ends_with, UrlMatch::glob}, UrlMatch::contains);
    r.pattern = string_or(u, "pattern");
    r.exclude = u.value("exclude", json(false)) == json(true);
    s.targeting.urls.push_back(std::move(r));
  }
  for (const json& d : list(t, "devices"))
    if (d.is_string()) s.targeting.devices.push_back(d.get<std::string>());
  const json& tr = member(t, "trigger");
  s.targeting.trigger.type = enum_named(tr.value("type", json()), {TriggerType::page_load, TriggerType::scroll,
                                        TriggerType::exit_intent, TriggerType::event, TriggerType::page_views},
                                        TriggerType::page_load);
  s.targeting.trigger.delay_seconds = int_or(tr, "delay_seconds", 0);
  s.targeting.trigger.scroll_percent = int_or(tr, "scroll_percent", 0);
  s.targeting.trigger.event = string_or(tr, "event");
  s.targeting.trigger.count = int_or(tr, "count", 1);
  for (const json& a : list(t, "attributes")) {
    if (!a.is_object()) continue;
    AttributeRule r;
    r.key = string_or(a, "key");
    r.op = enum_named(a.value("op", json()), {AttributeOp::equals, AttributeOp::not_equals, AttributeOp::greater,
                                              AttributeOp::less, AttributeOp::contains}, AttributeOp::equals);
    r.value = a.value("value", json());
    s.targeting.attributes.push_back(std::move(r));
  }
  const json& sm = member(j, "sampling");
  if (auto it = sm.find("percent"); it != sm.end() && it->is_number()) s.sampling.percent = it->get<double>();
  s.sampling.min_user_age_days = int_or(sm, "min_user_age_days", s.sampling.min_user_age_days);
  s.sampling.resurvey_after_answer_days = int_or(sm, "resurvey_after_answer_days", s.sampling.resurvey_after_answer_days);
  s.sampling.resurvey_after_dismiss_days = int_or(sm, "resurvey_after_dismiss_days", s.sampling.resurvey_after_dismiss_days);
  s.sampling.global_cooldown_days = int_or(sm, "global_cooldown_days", s.sampling.global_cooldown_days);
  return s;
}

std::string errors_text(const nps::Errors& es, const char* prefix) {
  std::string out;
  for (const auto& e : es) {
    json j = nps::to_json(e);
    const std::string path = e.path.empty() ? prefix : std::string(prefix) + (e.path[0] == '[' ? "" : ".") + e.path;
    j["path"] = path;
    out += (out.empty() ? "" : ",") + nps::dump(j);
  }
  return out;
}

std::string last_text;
bool last_ok = false;

void decide(std::string_view input) {
  const auto parsed = nps::parse_json(input);
  const json in = parsed ? *parsed : json();
  last_ok = false;
  if (!in.is_object() || !in.contains("survey") || !in.contains("visitor") || !in.contains("page")) {
    last_text = R"([{"code":"parse_error","path":"","message":"expected {\"survey\", \"visitor\", \"page\"} as JSON"}])";
    return;
  }
  auto visitor = nps::parse_visitor(in.at("visitor"));
  auto page = nps::parse_page(in.at("page"));
  if (!visitor || !page) {
    last_text = "[" + (visitor ? "" : errors_text(visitor.errors(), "visitor")) + (!visitor && !page ? "," : "") +
                (page ? "" : errors_text(page.errors(), "page")) + "]";
    return;
  }
  const nps::Decision d = nps::decide(survey_of(in.at("survey")), *visitor, *page);
  // The documented key order, as nps::invoke("eligibility.decide") prints it.
  last_text = R"({"verdict":)" + nps::dump(json(std::string(nps::to_string(d.verdict)))) + R"(,"code":)" +
              nps::dump(json(d.code)) + R"(,"reason":)" + nps::dump(json(d.reason)) + R"(,"params":)" +
              nps::dump(d.params) +
              (d.verdict == nps::Verdict::wait && d.wait_for ? R"(,"wait_for":)" + nps::dump(nps::trigger_json(*d.wait_for)) : "") +
              "}";
  last_ok = true;
}

} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* nps_invoke(const char* op, const char* input) {
  if (std::string_view(op) == "eligibility.decide") decide(input);
  else {
    last_ok = false;
    last_text = R"([{"code":"unknown_op","path":"","message":"this module only decides eligibility"}])";
  }
  return last_text.c_str();
}

EMSCRIPTEN_KEEPALIVE int nps_last_ok() { return last_ok ? 1 : 0; }

} // extern "C"
