// The Wasm surface of the core: plain C exports over nps::invoke, JSON text in and out.
// Plain exports instead of embind keep the module small; the JavaScript side
// (core-post.js) turns them into invoke() and summarize(). Nothing else lives here.
#include "nps/api.hpp"

#include <emscripten/emscripten.h>

#include <string>

namespace {
// The last result, owned here so JavaScript never frees C++ memory.
std::string last_text;
bool last_ok = false;
} // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* nps_invoke(const char* op, const char* input) {
  nps::Invoked r = nps::invoke(op, input);
  last_ok = r.ok;
  last_text = std::move(r.text);
  return last_text.c_str();
}

EMSCRIPTEN_KEEPALIVE int nps_last_ok() { return last_ok ? 1 : 0; }

} // extern "C"
