// Responses, as the widget, the SDKs and anyone on the internet POST them to npsd:
// JSON text → parse_response. Beyond "no crash, no sanitizer report": the response.parse
// operation accepts exactly what parse_response accepts and writes to_json's response, and
// an accepted response, written out and read again, is the same response (what npsd stores
// and exports is what was validated).
#include "fuzz_support.hpp"

#include "nps/api.hpp"
#include "nps/response.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = nps::fuzz::as_text(data, size);
  const nps::Invoked op = nps::invoke("response.parse", text);
  const auto j = nps::parse_json(text);
  if (!j) {
    if (op.ok) nps::fuzz::fail("response.parse accepted text parse_json refuses", text);
    return 0;
  }
  const auto response = nps::parse_response(*j);
  if (response.ok() != op.ok)
    nps::fuzz::fail("response.parse and parse_response disagree on accepting", text, op.text);
  if (!response) return 0;
  const nps::json written = nps::to_json(*response);
  const auto op_out = nps::parse_json(op.text);
  if (!op_out || *op_out != written)
    nps::fuzz::fail("response.parse wrote another response than to_json", text, op.text);
  const auto again = nps::parse_response(written);
  if (!again || !(*again == *response))
    nps::fuzz::fail("an accepted response does not read back as itself", text, nps::dump(written));
  return 0;
}
