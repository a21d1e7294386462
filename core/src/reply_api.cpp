#include "reply_api.hpp"

#include "nps/reply.hpp"

#include <string>

namespace nps {

Result<ordered_json> op_reply_read(const json& in) {
  if (!in.is_string()) return type_error("", "the text of a reply", in);
  const Reply r = read_reply(in.get<std::string>());
  ordered_json out;
  out["kind"] = std::string(to_string(r.kind));
  if (r.kind == ReplyKind::score) {
    out["score"] = r.score->value();
    out["category"] = std::string(to_string(classify(*r.score)));
    out["comment"] = r.comment;
  }
  if (r.language.empty())
    out["language"] = nullptr;
  else
    out["language"] = r.language;
  if (!r.reason.empty()) out["reason"] = r.reason;
  return out;
}

} // namespace nps
