// The Wasm surface of the core: plain C exports over nps::invoke, JSON text in and out.
// Plain exports instead of embind keep the module small; the JavaScript side
// (core-post.js) turns them into invoke() and summarize(). Nothing else lives here.
//
// One file, three modules (web/CMakeLists.txt): the whole core (NPS_MODULE_* unset), the
// browser's flow module (NPS_MODULE_FLOW: flow.locale, flow.start and flow.apply on the
// survey as npsd serves it, and i18n.install for its texts, flow_texts.cpp), and the
// dashboard's survey module (NPS_MODULE_SURVEY: survey.parse, i18n.locales, i18n.negotiate).
// Each links only the core code its operations reach. The browser's eligibility module has
// its own file, eligibility_bindings.cpp.
#include "nps/api.hpp"

#include <emscripten/emscripten.h>

#if defined(NPS_MODULE_FLOW)
namespace nps::i18n::detail {
Errors install(const json& in); // flow_texts.cpp
}
#endif

#include <string>

namespace {
// The last result, owned here so JavaScript never frees C++ memory.
std::string last_text;
bool last_ok = false;

nps::Invoked call(const char* op, const char* input) {
#if defined(NPS_MODULE_FLOW)
  if (std::string_view(op) == "i18n.install") {
    const auto in = nps::parse_json(input);
    if (!in) return {false, nps::dump(nps::to_json(in.errors()))};
    const nps::Errors errors = nps::i18n::detail::install(*in);
    return errors.empty() ? nps::Invoked{true, "null"} : nps::Invoked{false, nps::dump(nps::to_json(errors))};
  }
  return nps::invoke_flow(op, input);
#elif defined(NPS_MODULE_SURVEY)
  return nps::invoke_survey(op, input);
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
