// The browser's eligibility module: eligibility.decide and nothing else, small enough to
// load while the page is idle. The decision is the core's own nps::decide(), with the
// core's visitor and page readers and its JSON output; what differs from nps::invoke is
// how the inputs are read, to leave out the largest pieces of the full core (it is built
// with the core's small JSON type, nps/small_json.hpp, like every browser module):
//   * parse_survey's validation (every field, every language): the survey here is the
//     config npsd serves, which npsd produced with parse_survey (normalised, every default
//     filled in), so only the fields decide() uses are read, by the core's own reader of
//     that form (read_normalized_rules).
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
    last_text = R"([{"code":"parse_error","path":"","message":"JSON with survey, visitor and page"}])";
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
  const nps::SurveyRules s = nps::read_normalized_rules(in->at("survey"));
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
