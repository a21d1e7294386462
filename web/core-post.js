// Appended inside the Emscripten module factory (--post-js): the JavaScript API.
//   invoke(op, input)  → {ok, text}: text is the output JSON, or a JSON array of errors
//   summarize(scores)  → the JSON text `nps summarize` prints; throws on invalid scores
Module['invoke'] = function (op, input) {
  var json = typeof input === 'string' ? input : JSON.stringify(input);
  var opLen = lengthBytesUTF8(op) + 1;
  var inLen = lengthBytesUTF8(json) + 1;
  var opPtr = _malloc(opLen);
  var inPtr = _malloc(inLen);
  try {
    stringToUTF8(op, opPtr, opLen);
    stringToUTF8(json, inPtr, inLen);
    var text = UTF8ToString(_nps_invoke(opPtr, inPtr));
    return { ok: _nps_last_ok() === 1, text: text };
  } finally {
    _free(opPtr);
    _free(inPtr);
  }
};

Module['summarize'] = function (scores) {
  var r = Module['invoke']('summarize', Array.from(scores));
  if (!r.ok) {
    var errors = JSON.parse(r.text);
    var e = new Error(errors.map(function (x) { return (x.path ? x.path + ': ' : '') + x.message; }).join('; '));
    e.errors = errors;
    throw e;
  }
  return r.text;
};
