// Survey definitions, as an admin POSTs them to npsd and the dashboard validates them:
// JSON text → parse_survey. Beyond "no crash, no sanitizer report", every accepted survey
// must read back unchanged through read_normalized_survey (what the browser's flow module
// reads from /config), and the survey.parse operation must accept exactly what
// parse_survey accepts and write what to_json writes.
#include "fuzz_support.hpp"

#include "nps/api.hpp"
#include "nps/survey.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = nps::fuzz::as_text(data, size);
  const nps::Invoked op = nps::invoke("survey.parse", text);
  const auto j = nps::parse_json(text);
  if (!j) {
    if (op.ok) nps::fuzz::fail("survey.parse accepted text parse_json refuses", text);
    return 0;
  }
  const auto survey = nps::parse_survey(*j);
  if (survey.ok() != op.ok)
    nps::fuzz::fail("survey.parse and parse_survey disagree on accepting", text, op.text);
  if (!survey) return 0;
  const nps::json served = nps::to_json(*survey);
  if (!(nps::read_normalized_survey(served) == *survey))
    nps::fuzz::fail("read_normalized_survey(to_json(s)) differs from s", text, nps::dump(served));
  const auto op_out = nps::parse_json(op.text);
  if (!op_out || *op_out != served)
    nps::fuzz::fail("survey.parse wrote another survey than to_json", text, op.text);
  return 0;
}
