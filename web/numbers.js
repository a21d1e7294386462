// The two number conversions the small JSON type (core/src/small_json.cpp) leaves to
// JavaScript in Wasm, so the module carries neither strtod nor printf: both are exact
// (Number() rounds correctly; toExponential() gives the shortest digits that read back).
mergeInto(LibraryManager.library, {
  nps_text_to_double: function (ptr, len) {
    var s = '';
    for (var i = 0; i < len; i++) s += String.fromCharCode(HEAPU8[ptr + i]);
    return Number(s);
  },
  nps_double_to_exponential: function (x, out) {
    var s = x.toExponential();
    for (var i = 0; i < s.length; i++) HEAPU8[out + i] = s.charCodeAt(i);
    return s.length;
  },
});
