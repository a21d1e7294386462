// Visitor state and page context, as the loader and the native SDK hand them to the
// eligibility module (the visitor state comes from the browser's localStorage, which any
// script on the page can write). A differential target: the quiet readers the browser's
// eligibility module uses (read_valid_visitor, read_valid_page) must refuse exactly what
// parse_visitor and parse_page refuse and read the same values, and decide_unexplained
// must give decide()'s verdict, code, params and wait_for, without a sentence.
//
// The input is JSON: each reader runs on the whole value, and, when it is an object with
// "visitor", "page" (and "survey") members (an eligibility.decide input, as the seeds
// are), on those members, followed by both decisions.
#include "fuzz_support.hpp"

#include "nps/eligibility.hpp"
#include "nps/survey.hpp"

namespace {

using nps::fuzz::fail;

template <class Full, class Quiet>
void same_reading(const Full& full, const Quiet& quiet, const char* what, std::string_view text) {
  if (full.ok() != quiet.has_value())
    fail(what, text, full.ok() ? "only the full reader accepts" : "only the quiet reader accepts");
  if (full.ok() && !(*full == *quiet)) fail(what, text, "both accept, with different values");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = nps::fuzz::as_text(data, size);
  const auto j = nps::parse_json(text);
  if (!j) return 0;
  same_reading(nps::parse_visitor(*j), nps::read_valid_visitor(*j),
               "read_valid_visitor disagrees with parse_visitor", text);
  same_reading(nps::parse_page(*j), nps::read_valid_page(*j), "read_valid_page disagrees with parse_page",
               text);
  if (!j->is_object() || !j->contains("visitor") || !j->contains("page")) return 0;

  const auto visitor = nps::parse_visitor(j->at("visitor"));
  same_reading(visitor, nps::read_valid_visitor(j->at("visitor")),
               "read_valid_visitor disagrees with parse_visitor (member visitor)", text);
  const auto page = nps::parse_page(j->at("page"));
  same_reading(page, nps::read_valid_page(j->at("page")),
               "read_valid_page disagrees with parse_page (member page)", text);
  if (!visitor || !page || !j->contains("survey")) return 0;
  const auto survey = nps::parse_survey(j->at("survey"));
  if (!survey) return 0;
  const nps::Decision d = nps::decide(*survey, *visitor, *page);
  const nps::Decision q =
      nps::decide_unexplained(survey->id, survey->targeting, survey->sampling, *visitor, *page);
  if (q.verdict != d.verdict || q.code != d.code || q.params != d.params || !(q.wait_for == d.wait_for) ||
      !q.reason.empty())
    fail("decide_unexplained differs from decide", text, d.code + " / " + q.code);
  if (d.reason.empty() || d.code.empty()) fail("decide gave no code or no reason", text, d.code);
  return 0;
}
