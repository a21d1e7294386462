// The core operation over record_visit (nps/eligibility.hpp); api.cpp dispatches to it, in
// the whole core (invoke) and in the browser's flow module (invoke_flow):
//   visitor.record  {"visitor", "survey", "event": "shown"|"answered"|"dismissed", "now": ms}
//                   → {"visitor"}: the visitor with what the event changes
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"

#include <string>

namespace nps {
// Detailed: every field of a bad visitor named (invoke); otherwise only that the visitor is
// not valid, as the browser's modules read it without words (invoke_flow).
template <bool Detailed> [[nodiscard]] Result<std::string> op_visitor_record(const json& in);
} // namespace nps
