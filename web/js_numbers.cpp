// The small JSON type's number conversions in the browser's Wasm modules
// (nps/small_json.hpp; native builds use core/src/small_json_numbers.cpp): JavaScript's own,
// imported from web/numbers.js, so no module carries strtod or printf. Both are exact:
// Number() rounds every number correctly (the native fast path would give the same double),
// toExponential() gives the shortest digits that read back.
#include "nps/small_json.hpp"

extern "C" double nps_text_to_double(const char* text, int length);
extern "C" int nps_double_to_exponential(double value, char* out); // "d.ddde±x", ≤ 32 bytes

namespace nps::small_json {

double text_to_double(std::string_view text) {
  return nps_text_to_double(text.data(), static_cast<int>(text.size()));
}

int to_exponential(double x, char* out) { return nps_double_to_exponential(x, out); }

} // namespace nps::small_json
