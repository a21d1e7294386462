// The Wasm surface of the core: plain C exports over nps::invoke, JSON text in and out.
// Plain exports instead of embind keep the module small; the JavaScript side
// (core-post.js) turns them into invoke() and summarize(). Nothing else lives here.
//
// One file, three modules (web/CMakeLists.txt): the whole core (NPS_MODULE unset), the
// browser's eligibility module (NPS_MODULE_ELIGIBILITY: eligibility.decide only) and its
// flow module (NPS_MODULE_FLOW: flow.start and flow.apply). Each links only the core code
// its operations reach, and answers exactly what nps::invoke answers.
#include "nps/api.hpp"

#include <emscripten/emscripten.h>

#include <string>

namespace {
// The last result, owned here so JavaScript never frees C++ memory.
std::string last_text;
bool last_ok = false;

nps::Invoked call(const char* op, const char* input) {
#if defined(NPS_MODULE_ELIGIBILITY)
  if (std::string_view(op) != "eligibility.decide")
    return {false, R"([{"code":"unknown_op","path":"","message":"this module only decides eligibility"}])"};
  return nps::invoke_eligibility(input);
#elif defined(NPS_MODULE_FLOW)
  return nps::invoke_flow(op, input);
#else
  return nps::invoke(op, input);
#endif
}
} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* nps_invoke(const char* op, const char* input) {
  nps::Invoked r = call(op, input);
  last_ok = r.ok;
  last_text = std::move(r.text);
  return last_text.c_str();
}

EMSCRIPTEN_KEEPALIVE int nps_last_ok() { return last_ok ? 1 : 0; }

} // extern "C"
