// The core operation over nps/reply.hpp (api.cpp dispatches to it):
//   reply.read  "text" → {"kind", "score"?, "category"?, "comment"?, "language", "reason"?}
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"

namespace nps {
[[nodiscard]] Result<ordered_json> op_reply_read(const json& in);
}
