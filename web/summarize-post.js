// Appended after core-post.js (--post-js) in the modules that summarize:
//   summarize(scores)  → the JSON text `nps summarize` prints; throws on invalid scores
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
