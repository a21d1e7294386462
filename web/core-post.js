// Appended inside the Emscripten module factory (--post-js): the JavaScript API.
//   invoke(op, value)      → {ok, text}: text is the output JSON, or a JSON array of errors
//   invokeText(op, json)   → the same, for input that is already JSON text
//   (summarize-post.js adds summarize() to the modules that summarize: not the eligibility one)
Module['invokeText'] = function (op, json) {
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

Module['invoke'] = function (op, value) {
  return Module['invokeText'](op, JSON.stringify(value === undefined ? null : value));
};
