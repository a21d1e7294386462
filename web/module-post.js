// Appended inside every Wasm module's factory (--post-js; the full core adds core-post.js):
//   invokeText(op, json) → {ok, text}: text is the output JSON, or a JSON array of errors
// (the browser's code holds JSON text already; the full core adds invoke(op, value)).
// The browser's own TextEncoder writes the UTF-8, so the module ships no encoder of its own.
// JSON text never holds a raw NUL (JSON.stringify escapes it), so NUL ends each string.
// A call may grow the memory (the eligibility module grows it itself, web/small_malloc.cpp):
// JavaScript's views of it are renewed before they are read or written.
function views() {
  if (HEAPU8.buffer != wasmMemory.buffer) updateGlobalBufferAndViews(wasmMemory.buffer);
}
Module['invokeText'] = function (op, json) {
  var utf8 = new TextEncoder(), o = utf8.encode(op + '\0'), j = utf8.encode(json + '\0');
  var p = _malloc(o.length), q = _malloc(j.length);
  try {
    if (!p || !q) throw new Error('out of memory');
    views();
    HEAPU8.set(o, p);
    HEAPU8.set(j, q);
    var r = _nps_invoke(p, q);
    views();
    return { ok: _nps_last_ok() === 1, text: UTF8ToString(r) };
  } finally {
    _free(p);
    _free(q);
  }
};
