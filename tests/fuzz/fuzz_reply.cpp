// SMS and chat replies (issue 15), as npsd's SMS endpoint reads any text a phone sends:
// read_reply, and the reply.read operation over it. Beyond "no crash, no sanitizer report":
// a score is 0..10 and comes with no reason; an ambiguous or invalid reply has a reason and
// no score; the comment is the end of the input as written (so valid UTF-8 when the input
// is); reading twice gives the same answer; the operation's JSON agrees with the struct.
#include "fuzz_support.hpp"

#include "nps/api.hpp"
#include "nps/json.hpp"
#include "nps/reply.hpp"
#include "nps/text.hpp"

#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = nps::fuzz::as_text(data, size);
  const nps::Reply r = nps::read_reply(input);
  const nps::Reply again = nps::read_reply(input);
  if (r.kind != again.kind || r.score != again.score || r.comment != again.comment ||
      r.reason != again.reason || r.language != again.language)
    nps::fuzz::fail("read_reply is not deterministic", input);
  switch (r.kind) {
  case nps::ReplyKind::score:
    if (!r.score || r.score->value() < 0 || r.score->value() > 10)
      nps::fuzz::fail("a score outside 0..10", input);
    if (!r.reason.empty()) nps::fuzz::fail("a score with a reason", input, r.reason);
    break;
  case nps::ReplyKind::ambiguous:
  case nps::ReplyKind::invalid:
    if (r.score) nps::fuzz::fail("a guessed score", input);
    if (r.reason.empty()) nps::fuzz::fail("no reason given", input);
    break;
  case nps::ReplyKind::unsubscribe:
    if (r.score || !r.comment.empty()) nps::fuzz::fail("an opt-out with a score or comment", input);
    break;
  }
  if (!r.comment.empty()) {
    const auto at = input.find(r.comment);
    if (at == std::string_view::npos)
      nps::fuzz::fail("the comment is not part of the reply", input, r.comment);
    if (nps::is_valid_utf8(input) && !nps::is_valid_utf8(r.comment))
      nps::fuzz::fail("the comment cut a character", input, r.comment);
  }
  if (!nps::is_valid_utf8(input)) return 0; // JSON text must be UTF-8: the operation is not reached
  const auto out = nps::invoke("reply.read", nps::dump(nps::json(std::string(input))));
  if (!out.ok) nps::fuzz::fail("reply.read refused a string", input, out.text);
  const auto j = nps::parse_json(out.text);
  if (!j || (*j)["kind"] != std::string(nps::to_string(r.kind)))
    nps::fuzz::fail("reply.read disagrees with read_reply", input, out.text);
  return 0;
}
