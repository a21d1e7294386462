// Appended inside the full core's Emscripten factory (--post-js, after module-post.js,
// which gives invokeText(op, json) to every module):
//   invoke(op, value)  → invokeText for a value still to be written as JSON
//   summarize(scores)  → the JSON text `nps summarize` prints; throws on invalid scores
Module['invoke'] = function (op, value) {
  return Module['invokeText'](op, JSON.stringify(value === undefined ? null : value));
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
