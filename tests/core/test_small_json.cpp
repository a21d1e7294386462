// nps/small_json.hpp against nlohmann/json, differentially: the same texts through both
// parsers, the same values through both writers. The browser's Wasm modules use the small
// type and everything else nlohmann, so any difference here is a difference users see.
// Both types live side by side (NPS_SMALL_JSON is not defined for this binary).
#include "nps/small_json.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace sj = nps::small_json;

namespace {

std::string nl_dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}
std::string nl_dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// The text with bytes outside printable ASCII as \xNN, for failure messages.
std::string shown(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out += ch;
    } else {
      char b[8];
      std::snprintf(b, sizeof b, "\\x%02X", c);
      out += b;
    }
  }
  return out.size() > 300 ? out.substr(0, 300) + "…" : out;
}

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Dumps of the same document by small (a) and nlohmann (b): equal byte for byte, except
// that a double may be printed differently where nlohmann's Grisu2 is not the shortest
// closest: small's is then no longer, and both read back to the same double. Such numbers
// are counted in `grisu`.
bool same_dump(const std::string& a, const std::string& b, int& grisu) {
  if (a == b) return true;
  std::size_t i = 0, k = 0;
  bool in_string = false;
  while (i < a.size() && k < b.size()) {
    if (!in_string && is_number_char(a[i]) && is_number_char(b[k])) {
      std::size_t i2 = i, k2 = k;
      while (i2 < a.size() && is_number_char(a[i2]))
        ++i2;
      while (k2 < b.size() && is_number_char(b[k2]))
        ++k2;
      const std::string x = a.substr(i, i2 - i), y = b.substr(k, k2 - k);
      if (x != y) {
        if (x.size() > y.size()) return false;
        if (std::strtod(x.c_str(), nullptr) != std::strtod(y.c_str(), nullptr)) return false;
        ++grisu;
      }
      i = i2;
      k = k2;
      continue;
    }
    if (a[i] != b[k]) return false;
    if (in_string && a[i] == '\\') { // the escaped character (same in both)
      if (i + 1 >= a.size() || k + 1 >= b.size() || a[i + 1] != b[k + 1]) return false;
      i += 2;
      k += 2;
      continue;
    }
    if (a[i] == '"') in_string = !in_string;
    ++i;
    ++k;
  }
  return i == a.size() && k == b.size();
}

struct Outcome {
  bool small_ok = false, nlohmann_ok = false;
  std::string small_dump, nlohmann_dump, small_ordered, nlohmann_ordered;
};

Outcome through_both(const std::string& text) {
  Outcome o;
  const auto s = sj::parse(text);
  const auto n = nlohmann::json::parse(text, nullptr, false);
  o.small_ok = s.has_value();
  o.nlohmann_ok = !n.is_discarded();
  if (o.small_ok) {
    o.small_dump = s->dump();
    o.small_ordered = sj::ordered_json(*s).dump();
  }
  if (o.nlohmann_ok) {
    o.nlohmann_dump = nl_dump(n);
    o.nlohmann_ordered = nl_dump(nlohmann::ordered_json(n));
  }
  return o;
}

// True when small and nlohmann agree on `text`; reports the difference otherwise.
bool agree(const std::string& text, int& grisu) {
  const Outcome o = through_both(text);
  if (o.small_ok != o.nlohmann_ok) {
    FAIL_CHECK("accepted by " << (o.small_ok ? "small only" : "nlohmann only") << ": " << shown(text));
    return false;
  }
  if (!o.small_ok) return true;
  if (!same_dump(o.small_dump, o.nlohmann_dump, grisu)) {
    FAIL_CHECK("dump differs for " << shown(text) << "\n  small:    " << shown(o.small_dump)
                                   << "\n  nlohmann: " << shown(o.nlohmann_dump));
    return false;
  }
  int ignored = 0;
  if (!same_dump(o.small_ordered, o.nlohmann_ordered, ignored)) {
    FAIL_CHECK("ordered dump differs for " << shown(text) << "\n  small:    " << shown(o.small_ordered)
                                           << "\n  nlohmann: " << shown(o.nlohmann_ordered));
    return false;
  }
  return true;
}

std::string nested(int levels, std::string_view open, std::string_view inner, std::string_view close) {
  std::string s;
  for (int i = 0; i < levels; ++i)
    s += open;
  s += inner;
  for (int i = 0; i < levels; ++i)
    s += close;
  return s;
}

const std::vector<std::string>& corpus() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> t = {
        // values and whitespace
        "null",
        "true",
        "false",
        "0",
        "-0",
        "1",
        "-1",
        "\"\"",
        "[]",
        "{}",
        " \t\r\n[ 1 , 2 ]\n ",
        "\v1",
        "\f1",
        "1\f",
        "\xC2\xA0"
        "1",
        "[1,]",
        "[,1]",
        "{\"a\":1,}",
        "{,}",
        "[1 2]",
        "{\"a\" 1}",
        "{\"a\":}",
        "{1:2}",
        "{'a':1}",
        "{\"a\":1 \"b\":2}",
        "",
        " ",
        "nul",
        "nulll",
        "True",
        "NULL",
        "tru",
        "[true false]",
        "[null,true,false,0,\"x\",[],{}]",
        "{\"b\":[{\"d\":[],\"c\":{}}],\"a\":{\"z\":{\"y\":[1,[2,[3]]]}}}",
        "[[],[[]],{},{\"\":{}}]",
        "{\"\":\"\"}",
        "{\"a\":1,\"a\":2}",
        "{\"b\":1,\"a\":2,\"b\":3}",
        "{\"a\":{\"x\":1},\"a\":{\"y\":2}}",
        "{\"é\":1,\"e\":2,\"z\":3,\"E\":4,\"\\u0000\":5}",
        // trailing garbage
        "1 2",
        "[]]",
        "{}}",
        "1x",
        "\"a\"\"b\"",
        "null,",
        "0x10",
        // a NUL byte: nlohmann's lexer takes it for the end of the text
        std::string("[1]\0", 4),
        std::string("1\0", 2),
        std::string("1 \0garbage", 10),
        std::string("\0", 1),
        std::string("[1,\0]", 5),
        std::string("{\"a\":\0}", 7),
        std::string("tru\0", 4),
        std::string("1.\0", 3),
        std::string("\xEF\xBB\xBF\0", 4),
        std::string("\"a\0\"", 4),
        "1/",
        "[1]//",
        "/*c*/1",
        "1 #",
        // numbers
        "01",
        "-01",
        "00",
        "-",
        "--1",
        "1.",
        "-1.",
        ".5",
        "-.5",
        "1e",
        "1e+",
        "1E-",
        "1.e5",
        "+1",
        "1.5e3",
        "1E3",
        "1e+3",
        "1e-3",
        "0e0",
        "-0e-0",
        "0.0",
        "-0.0",
        "0.000",
        "1.0",
        "100",
        "1e2",
        "12.5",
        "0.1",
        "99.99",
        "1e21",
        "1e20",
        "1e-5",
        "1e-4",
        "123456789012345.0",
        "1234567890123456.0",
        "5e-324",
        "2.2250738585072014e-308",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "1e309",
        "-1e309",
        "1e400",
        "1e-400",
        "-1e-400",
        "1e+400",
        "123e-400",
        "0e400",
        "0.0e-400",
        "1e99999999999999999999",
        "1e-99999999999999999999",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "-18446744073709551615",
        "-18446744073709551616",
        "99999999999999999999999999",
        "100000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "3.14159265358979323846264338327950288419716939937510582097494459",
        "0.1000000000000000055511151231257827021181583404541015625",
        "2.47032822920623272088e-324",
        "2.4703282292062328e-324",
        "9007199254740993",
        "9007199254740993.0",
        "-9007199254740993.5",
        "0.30000000000000004",
        "123456.789e-3",
        "1.00000000000000000000000000000000000000000000001",
        "7e22",
        "7e23",
        "1e23",
        "8.41e21",
        "4.35679e-5",
        "[1e22,1e-22,123456789012345e-22,123456789012345e22]",
        "[0.1,0.2,0.3,1.1,2.675,1.005,1234.5678,33.3,66.7,-12.5]",
        // strings: escapes
        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
        "\"\\a\"",
        "\"\\x41\"",
        "\"\\'\"",
        "\"\\0\"",
        "\"\\\"",
        "\"\\u0041\\u00e9\\u00E9\\u20AC\\uFFFF\\ufffd\"",
        "\"\\u0000\\u001f\\u007f\\u0080\"",
        "\"\\u12\"",
        "\"\\u12G4\"",
        "\"\\U0041\"",
        "\"\\u\"",
        "\"\\ud83d\\ude00\"",
        "\"\\uD83D\\uDE00x\"",
        "\"\\udbff\\udfff\"",
        "\"\\ud800\\udc00\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800x\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800\\ud800\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud800\\\"",
        "\"\\ud800\\n\"",
        "\"\\udfff\"",
        // strings: raw control characters and unterminated
        std::string("\"a\x00"
                    "b\"",
                    5),
        "\"\x01\"",
        "\"\x1F\"",
        "\"\t\"",
        "\"\n\"",
        "\"\x7F\"",
        "\"abc",
        "\"",
        "[\"a]",
        // strings: raw UTF-8, valid and not
        "\"é€😀\"",
        "\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"",
        "\"\xC0\xAF\"",
        "\"\xC1\xBF\"",
        "\"\xE0\x80\xAF\"",
        "\"\xE0\x9F\xBF\"",
        "\"\xF0\x80\x80\xAF\"",
        "\"\xF0\x8F\xBF\xBF\"",
        "\"\xED\xA0\x80\"",
        "\"\xED\xBF\xBF\"",
        "\"\xED\x9F\xBF\"",
        "\"\xF4\x90\x80\x80\"",
        "\"\xF5\x80\x80\x80\"",
        "\"\xF8\x88\x80\x80\x80\"",
        "\"\xFE\"",
        "\"\xFF\"",
        "\"\x80\"",
        "\"\xBF\"",
        "\"\xC3\"",
        "\"\xC3\x28\"",
        "\"\xE2\x82\"",
        "\"\xE2\x82\x28\"",
        "\"\xF0\x9F\x98\"",
        "\"\xF0\x9F\"",
        "\"\xF0\"",
        "\"\xC3",
        "\"\xE2\x82",
        "{\"\xFF\":1}",
        // BOM
        "\xEF\xBB\xBF{}",
        "\xEF\xBB\xBF 1",
        "\xEF\xBB\xBF",
        "\xEF\xBB{}",
        "\xEF{}",
        "\xEF\xBB\xBF\xEF\xBB\xBF{}",
        " \xEF\xBB\xBF{}",
        "\"\xEF\xBB\xBF\"",
        "\xFE\xFF{}",
        // nesting
        nested(300, "[", "", "]"),
        nested(300, "[", "1", "]"),
        nested(300, "{\"a\":", "1", "}"),
        nested(150, "{\"a\":[", "{}", "]}"),
        nested(300, "[", "", ""),
        nested(299, "[", "", "]") + "]",
    };
    return t;
  }();
  return texts;
}

} // namespace

// ---- 1. parsing and writing documents ----------------------------------------------------

TEST_CASE("small_json: the corpus is accepted and written exactly like nlohmann", "[small_json][parse]") {
  int grisu = 0, accepted = 0, failed = 0;
  for (const auto& text : corpus()) {
    if (!agree(text, grisu)) ++failed;
    if (sj::parse(text)) ++accepted;
  }
  CHECK(failed == 0);
  CHECK(accepted > 80);
  CHECK(accepted < static_cast<int>(corpus().size()) - 100);
  WARN("corpus: " << corpus().size() << " texts, " << accepted << " valid, Grisu2 differs: " << grisu);
}

TEST_CASE("small_json: number types are nlohmann's", "[small_json][parse]") {
  const auto type_of = [](const std::string& text) { return sj::parse(text)->type(); };
  CHECK(type_of("0") == sj::value_t::number_unsigned);
  CHECK(type_of("18446744073709551615") == sj::value_t::number_unsigned);
  CHECK(type_of("-1") == sj::value_t::number_integer);
  CHECK(type_of("-0") == sj::value_t::number_integer);
  CHECK(type_of("-9223372036854775808") == sj::value_t::number_integer);
  CHECK(type_of("-9223372036854775809") == sj::value_t::number_float);
  CHECK(type_of("18446744073709551616") == sj::value_t::number_float);
  CHECK(type_of("1.0") == sj::value_t::number_float);
  CHECK(type_of("1e2") == sj::value_t::number_float);
  for (const char* text : {"0", "-0", "18446744073709551615", "-9223372036854775808", "-9223372036854775809",
                           "18446744073709551616", "1.0", "1e2", "-5"}) {
    INFO(text);
    CHECK(static_cast<int>(type_of(text)) == static_cast<int>(nlohmann::json::parse(text).type()));
  }
  CHECK(sj::parse("-9223372036854775808")->get<std::int64_t>() == INT64_MIN);
  CHECK(sj::parse("18446744073709551615")->get<std::uint64_t>() == UINT64_MAX);
}

TEST_CASE("small_json: a number a megabyte long reads in linear time, like nlohmann", "[small_json][parse]") {
  int grisu = 0;
  const std::string digits(1000000, '7');
  for (const std::string& text :
       {digits + "e-999990", "0." + digits, digits, "-" + digits + ".5", "[" + digits + "e-999999]"}) {
    INFO(text.substr(0, 20) << "… (" << text.size() << " bytes)");
    CHECK(agree(text, grisu));
  }
  CHECK(sj::parse(digits + "e-999990")->get<double>() == std::strtod((digits + "e-999990").c_str(), nullptr));
}

TEST_CASE("small_json: nesting up to 512 levels, deeper is refused (nlohmann has no limit)",
          "[small_json][parse]") {
  int grisu = 0;
  for (const auto& [open, inner, close] : std::vector<std::array<std::string, 3>>{{"[", "", "]"},
                                                                                  {"[", "1", "]"},
                                                                                  {"{\"k\":", "{}", "}"},
                                                                                  {"{\"k\":", "\"v\"", "}"},
                                                                                  {"[", "[]", "]"}}) {
    const std::string ok = nested(512 - (inner == "{}" || inner == "[]" ? 1 : 0), open, inner, close);
    const std::string deep = nested(513 - (inner == "{}" || inner == "[]" ? 1 : 0), open, inner, close);
    INFO(open << inner << close);
    CHECK(agree(ok, grisu));
    CHECK(sj::parse(ok).has_value());
    CHECK_FALSE(sj::parse(deep).has_value());
    CHECK_FALSE(nlohmann::json::parse(deep, nullptr, false).is_discarded());
    CHECK_FALSE(sj::parse(nested(100000, open, inner, close)).has_value()); // no stack overflow
  }
}

TEST_CASE("small_json: fuzzed documents are accepted and written exactly like nlohmann",
          "[small_json][parse][fuzz]") {
  const std::vector<std::string> seeds = {
      "{\"score\":9,\"comment\":\"Très bien 👍\",\"tags\":[\"a\",\"b\"],\"meta\":{\"n\":-12.5e3,\"ok\":true}}",
      "[0,-1,2.5,1e10,18446744073709551615,-9223372036854775808,null,false,\"\\u00e9\\ud83d\\ude00\\n\"]",
      "{\"b\":{\"y\":[1,{\"z\":null}],\"x\":\"\\\\\"},\"a\":[[],{},\"\"],\"c\":0.1}",
      "\xEF\xBB\xBF {\"k\" : [ 1 , 2 , { \"a\" : \"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\" } ] }\n",
      "[\"\\\"\\/\\b\\f\\r\\t\",123456789012345678901234567890,1.7976931348623157e308,5e-324]",
  };
  // Bytes mutations are made of: the grammar's, digits, escapes and UTF-8 edges.
  static const char bytes[] =
      "{}[]:,\"\\/ \t\n\r0123456789-+.eEubfnrtlsa"
      "\x00\x01\x1F\x7F\x80\xBF\xC0\xC2\xDF\xE0\xED\xEF\xF0\xF4\xF5\xFF\xA0\x9F\x8F\x90\xBB";
  const std::string pool(bytes, sizeof bytes - 1);
  std::mt19937_64 rng(20240611);
  const auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  int grisu = 0, failed = 0, accepted = 0;
  const int rounds = 10000;
  for (int round = 0; round < rounds; ++round) {
    std::string text = seeds[pick(seeds.size())];
    const std::size_t edits = 1 + pick(4);
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t at = text.empty() ? 0 : pick(text.size());
      switch (pick(7)) {
      case 0:
        if (!text.empty()) text[at] = pool[pick(pool.size())];
        break;
      case 1: text.insert(at, 1, pool[pick(pool.size())]); break;
      case 2:
        if (!text.empty()) text.erase(at, 1 + pick(3));
        break;
      case 3: text.insert(at, text.substr(pick(text.size() + 1), pick(12))); break; // copy a slice
      case 4: text.resize(at); break;
      case 5:
        if (!text.empty()) text[at] = static_cast<char>(rng());
        break;
      default: { // swap two bytes
        const std::size_t other = text.empty() ? 0 : pick(text.size());
        if (!text.empty()) std::swap(text[at], text[other]);
      }
      }
    }
    if (!agree(text, grisu) && ++failed > 20) break;
    if (sj::parse(text)) ++accepted;
  }
  CHECK(failed == 0);
  CHECK(accepted > rounds / 20); // the mutations leave a fair share valid
  WARN("fuzz: " << rounds << " texts, " << accepted << " valid, Grisu2 differs: " << grisu);
}

// ---- 2. doubles --------------------------------------------------------------------------

namespace {

std::string small_number(double d) { return sj::json(d).dump(); }
std::string nlohmann_number(double d) { return nlohmann::json(d).dump(); }

// A random decimal "d.ddd…e±x" with 1–17 significant digits, written in a random style.
std::string random_decimal(std::mt19937_64& rng) {
  const int digits = 1 + static_cast<int>(rng() % 17);
  std::string m;
  for (int i = 0; i < digits; ++i)
    m += static_cast<char>('0' + (i == 0 ? 1 + rng() % 9 : rng() % 10));
  const int e = static_cast<int>(rng() % 61) - 30;
  std::string text = rng() % 4 == 0 ? "-" : "";
  switch (rng() % 3) {
  case 0: text += m.substr(0, 1) + (digits > 1 ? "." + m.substr(1) : "") + "e" + std::to_string(e); break;
  case 1: { // a point inside or around the digits, no exponent (if short enough)
    const int point = static_cast<int>(rng() % static_cast<unsigned>(digits + 1));
    text += (point == 0 ? "0" : m.substr(0, static_cast<std::size_t>(point))) + "." +
            (point == digits ? "0" : m.substr(static_cast<std::size_t>(point)));
    break;
  }
  default: text += m + ".0E" + (e >= 0 ? "+" : "") + std::to_string(e); break;
  }
  return text;
}

} // namespace

TEST_CASE("small_json: doubles are written like nlohmann, or shorter or closer where Grisu2 is not",
          "[small_json][double]") {
  std::vector<double> values = {12.5,
                                0.1,
                                99.99,
                                1e21,
                                1e20,
                                1e-5,
                                1e-4,
                                5e-324,
                                1.7976931348623157e308,
                                2.2250738585072014e-308,
                                0.0,
                                -0.0,
                                1.0,
                                100.0,
                                0.5,
                                9.5,
                                10.0,
                                33.33333333333333,
                                -66.66666666666667,
                                1e15,
                                1e16,
                                123456789012345.6,
                                1234567890123456.7,
                                1e-7,
                                0.30000000000000004,
                                4.35,
                                1e100,
                                9007199254740993.0,
                                0.001,
                                0.0001};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    const double d = std::bit_cast<double>(rng());
    if (std::isfinite(d)) values.push_back(d);
  }
  for (int i = 0; i < 100000; ++i)
    values.push_back(std::strtod(random_decimal(rng).c_str(), nullptr));

  // Where they differ, nlohmann's Grisu2 printed either one digit more than needed, or as
  // many digits with another last one (a round-tripping neighbour of the closest).
  int longer = 0, same_length = 0, failed = 0;
  for (const double d : values) {
    const std::string s = small_number(d), n = nlohmann_number(d);
    const double back = std::strtod(s.c_str(), nullptr);
    if (std::bit_cast<std::uint64_t>(back) != std::bit_cast<std::uint64_t>(d)) {
      if (++failed <= 20) FAIL_CHECK("small's " << s << " does not read back as " << n);
      continue;
    }
    if (s == n) continue;
    (s.size() < n.size() ? longer : same_length) += 1;
    // Of two texts as long, small's is the closer to d (long double tells, at ≤ 17 digits).
    const long double exact = d;
    const bool closer = s.size() < n.size() || std::fabs(std::strtold(s.c_str(), nullptr) - exact) <=
                                                   std::fabs(std::strtold(n.c_str(), nullptr) - exact);
    if (s.size() > n.size() || std::strtod(n.c_str(), nullptr) != back || !closer) {
      if (++failed <= 20) FAIL_CHECK("small " << s << " vs nlohmann " << n);
    }
  }
  CHECK(failed == 0);
  CHECK(longer + same_length < static_cast<int>(values.size()) / 100); // rare, as the header says
  WARN("doubles: " << values.size() << " written; nlohmann's Grisu2 differs on " << longer + same_length
                   << ": " << longer << " one digit longer, " << same_length
                   << " same length, last digit off");

  // Special values, built in memory.
  CHECK(small_number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(small_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(small_number(-std::numeric_limits<double>::infinity()) == "null");
  CHECK(small_number(-0.0) == "-0.0");
  CHECK(small_number(100.0) == "100.0");
  CHECK(small_number(0.5) == "0.5");
  CHECK(small_number(1e21) == "1e+21");
  CHECK(small_number(1e-5) == "1e-05");
  CHECK(small_number(1.5e300) == "1.5e+300");
  CHECK(small_number(std::numeric_limits<double>::quiet_NaN()) ==
        nlohmann_number(std::numeric_limits<double>::quiet_NaN()));
}

TEST_CASE("small_json: decimal texts read as strtod reads them, bit for bit", "[small_json][double]") {
  std::mt19937_64 rng(11);
  std::vector<std::string> texts = {"0.1",
                                    "12.5",
                                    "99.99",
                                    "1e21",
                                    "1e-5",
                                    "5e-324",
                                    "1.7976931348623157e308",
                                    "2.4703282292062328e-324",
                                    "2.4703282292062327e-324",
                                    "1e23",
                                    "8.41e21",
                                    "9007199254740993.0",
                                    "0.30000000000000004",
                                    "1e-400",
                                    "1e400",
                                    "-0.0",
                                    "123456789012345e-22",
                                    "123456789012345e22",
                                    "1234567890123456e-22",
                                    "0.000000000000000000000000000000000000000001",
                                    "1e22",
                                    "1e-22",
                                    "7e22"};
  for (int i = 0; i < 100000; ++i)
    texts.push_back(random_decimal(rng));
  // Long mantissas and wide exponents: the fallback path.
  for (int i = 0; i < 5000; ++i) {
    std::string t = std::to_string(1 + rng() % 9) + ".";
    const int digits = 15 + static_cast<int>(rng() % 30);
    for (int k = 0; k < digits; ++k)
      t += static_cast<char>('0' + rng() % 10);
    texts.push_back(t + "e" + std::to_string(static_cast<int>(rng() % 700) - 350));
  }
  int failed = 0;
  for (const auto& t : texts) {
    const auto j = sj::parse(t);
    const double want = std::strtod(t.c_str(), nullptr);
    if (std::isinf(want)) { // too large for a double: refused, as nlohmann refuses it
      if ((j || !nlohmann::json::parse(t, nullptr, false).is_discarded()) && ++failed <= 20)
        FAIL_CHECK(t << ": accepted though it overflows");
      continue;
    }
    if (!j || !j->is_number_float() ||
        std::bit_cast<std::uint64_t>(j->get<double>()) != std::bit_cast<std::uint64_t>(want)) {
      if (++failed <= 20)
        FAIL_CHECK(t << ": small reads " << (j ? j->dump() : "nothing") << ", strtod " << want);
    }
  }
  CHECK(failed == 0);
}

// ---- 3. writing strings that are not valid UTF-8 ------------------------------------------

TEST_CASE("small_json: invalid UTF-8 in strings is written as nlohmann's replace handler writes it",
          "[small_json][utf8]") {
  const auto compare = [](const std::string& s, int& failed) {
    const std::string a = sj::json(s).dump(), b = nl_dump(nlohmann::json(s));
    if (a != b && ++failed <= 20)
      FAIL_CHECK(shown(s) << "\n  small:    " << shown(a) << "\n  nlohmann: " << shown(b));
    // and as an object key
    sj::json so;
    so[s] = 1;
    nlohmann::json no;
    no[s] = 1;
    if (so.dump() != nl_dump(no) && ++failed <= 20) FAIL_CHECK("key " << shown(s));
  };
  int failed = 0;
  // Every string of one and two bytes.
  for (int a = 0; a < 256; ++a) {
    compare(std::string(1, static_cast<char>(a)), failed);
    for (int b = 0; b < 256; ++b)
      compare(std::string{static_cast<char>(a), static_cast<char>(b)}, failed);
  }
  // Every string of three bytes, and random ones of up to 9, from the bytes where UTF-8's
  // rules change.
  const std::string edges("\x00\x1F\x22\x41\x5C\x7F\x80\x8F\x90\x9F\xA0\xBF\xC0\xC1\xC2\xDF\xE0\xE1\xEC\xED"
                          "\xEE\xEF\xF0\xF1\xF3\xF4\xF5\xF7\xF8\xFB\xFC\xFE\xFF",
                          33);
  for (const char a : edges)
    for (const char b : edges)
      for (const char c : edges)
        compare(std::string{a, b, c}, failed);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 60000; ++i) {
    std::string s;
    const auto n = 4 + rng() % 6;
    for (std::size_t k = 0; k < n; ++k)
      s += edges[rng() % edges.size()];
    compare(s, failed);
  }
  // Valid text around broken sequences.
  for (const char* s :
       {"é\xFF€", "😀\xF0\x9F\x98😀", "ab\xE2\x82", "\xED\xA0\x80\xED\xB0\x80", "\xF4\x90\x80\x80x", "\xC0\x80",
        "\xE0\x80\x80", "\xF0\x80\x80\x80", "\xF8\x88\x80\x80\x80", "a\"\\\x01\xC3"})
    compare(s, failed);
  CHECK(failed == 0);
}

// ---- 4. the API the core relies on ---------------------------------------------------------

TEST_CASE("small_json: initializer lists follow nlohmann's object-or-array rule", "[small_json][api]") {
  const sj::json object{{"b", 2}, {"a", 1}};
  CHECK(object.is_object());
  CHECK(object.dump() == nl_dump(nlohmann::json{{"b", 2}, {"a", 1}}));
  CHECK(object.dump() == R"({"a":1,"b":2})");
  const sj::ordered_json ordered{{"b", 2}, {"a", 1}};
  CHECK(ordered.dump() == R"({"b":2,"a":1})");
  CHECK(ordered.dump() == nl_dump(nlohmann::ordered_json{{"b", 2}, {"a", 1}}));

  CHECK(sj::json{{"a", 1, 2}}.is_array());
  CHECK(sj::json{{"a", 1, 2}}.dump() == nl_dump(nlohmann::json{{"a", 1, 2}}));
  CHECK(sj::json{1}.is_array());
  CHECK(sj::json{1}.dump() == "[1]");
  CHECK(sj::json{{"a", 1}}.is_object());
  CHECK(sj::json{"a", 1}.dump() == nl_dump(nlohmann::json{"a", 1}));
  CHECK(sj::json{{1, 2}, {3, 4}}.dump() == nl_dump(nlohmann::json{{1, 2}, {3, 4}}));
  CHECK(sj::json{{"a", 1}, {2, 3}}.dump() == nl_dump(nlohmann::json{{"a", 1}, {2, 3}}));
  CHECK(sj::json{{"k", {{"x", nullptr}, {"y", {1, 2.5, "s", true}}}}}.dump() ==
        nl_dump(nlohmann::json{{"k", {{"x", nullptr}, {"y", {1, 2.5, "s", true}}}}}));
  CHECK(sj::json::array({{"a", 1}}).dump() == nl_dump(nlohmann::json::array({{"a", 1}})));
  CHECK(sj::json::array().dump() == "[]");
  CHECK(sj::json::object().dump() == "{}");
  CHECK(sj::json(std::vector<std::string>{"x", "y"}).dump() == R"(["x","y"])");
  CHECK(sj::json(std::map<std::string, int>{{"b", 1}, {"a", 2}}).dump() == R"({"a":2,"b":1})");
  // Unsigned, signed, bool and char arrays of numbers are typed like nlohmann's.
  CHECK(sj::json{1u, -1, true, 2.0}.dump() == nl_dump(nlohmann::json{1u, -1, true, 2.0}));
}

TEST_CASE("small_json: operator[] creates objects and arrays from null", "[small_json][api]") {
  sj::json j;
  CHECK(j.is_null());
  j["a"]["b"] = 1;
  j["list"][2] = "x";
  CHECK(j.is_object());
  nlohmann::json n;
  n["a"]["b"] = 1;
  n["list"][2] = "x";
  CHECK(j.dump() == nl_dump(n));
  CHECK(j.dump() == R"({"a":{"b":1},"list":[null,null,"x"]})");
  j["a"]["b"] = 2; // replaces
  CHECK(j.at("a").at("b") == sj::json(2));
  sj::json arr;
  arr.push_back(1);
  arr.emplace_back("two");
  CHECK(arr.dump() == R"([1,"two"])");
}

TEST_CASE("small_json: value(key, default) converts like the default", "[small_json][api]") {
  const auto j = *sj::parse(R"({"n":7,"s":"text","f":2.5,"b":true,"o":{"x":1}})");
  const auto n = nlohmann::json::parse(R"({"n":7,"s":"text","f":2.5,"b":true,"o":{"x":1}})");
  CHECK(j.value("n", 0) == 7);
  CHECK(j.value("missing", 3) == 3);
  CHECK(j.value("f", 0) == n.value("f", 0)); // 2.5 → 2
  CHECK(j.value("f", 0.0) == 2.5);
  CHECK(j.value("s", std::string("d")) == "text");
  CHECK(j.value("missing", std::string("d")) == "d");
  CHECK(j.value("s", "d") == "text");
  CHECK(j.value("missing", "d") == n.value("missing", "d"));
  CHECK(j.value("b", false));
  CHECK(j.value("o", sj::json()).dump() == R"({"x":1})");
  CHECK(j.value("missing", sj::json()).is_null());
  CHECK(n.value("missing", nlohmann::json()).is_null());
  CHECK(j.value("missing", sj::json{{"d", 1}}).dump() == R"({"d":1})");
  CHECK(j.value("n", std::int64_t{0}) == 7);
  CHECK(j.value("n", std::size_t{0}) == 7u);
}

TEST_CASE("small_json: find, contains, erase, size and items", "[small_json][api]") {
  auto j = *sj::parse(R"({"c":3,"a":1,"b":2})");
  CHECK(j.size() == 3);
  CHECK(j.contains("a"));
  CHECK_FALSE(j.contains("z"));
  CHECK(j.count("b") == 1);
  CHECK(j.find("z") == j.end());
  REQUIRE(j.find("b") != j.end());
  CHECK(j.find("b").key() == "b");
  CHECK(*j.find("b") == sj::json(2));
  CHECK(j.find("b")->get<int>() == 2);
  const auto& cj = j;
  CHECK(cj.find("c") != cj.end());
  CHECK(cj.find("x") == cj.end());
  CHECK(sj::json(5).contains("a") == nlohmann::json(5).contains("a"));
  CHECK(sj::json().find("a") == sj::json().end());

  std::string keys;
  int sum = 0;
  for (const auto& [k, v] : j.items()) {
    keys += k;
    sum += v.get<int>();
  }
  CHECK(keys == "abc");
  CHECK(sum == 6);
  std::string values;
  for (auto it = j.begin(); it != j.end(); ++it)
    values += it.key() + "=" + it->dump() + ";";
  CHECK(values == "a=1;b=2;c=3;");
  for (auto& [k, v] : j.items())
    v = k;
  CHECK(j.dump() == R"({"a":"a","b":"b","c":"c"})");

  CHECK(j.erase("b") == 1);
  CHECK(j.erase("b") == 0);
  CHECK(j.dump() == R"({"a":"a","c":"c"})");
  CHECK(sj::json(1).erase("a") == 0);
  CHECK(sj::json(1).items().empty());
  CHECK(sj::json(1).size() == nlohmann::json(1).size());
  CHECK(sj::json().size() == nlohmann::json().size());
  CHECK(sj::json().empty());
  CHECK(sj::json::array().empty());

  const auto a = *sj::parse("[10,20,30]");
  int total = 0;
  for (const auto& e : a)
    total += e.get<int>();
  CHECK(total == 60);
  CHECK(a.front() == sj::json(10));
  CHECK(a.back() == sj::json(30));
  CHECK(a[1] == sj::json(20));
  CHECK(a.as_array().size() == 3);

  sj::ordered_json o{{"z", 1}, {"y", 2}, {"x", 3}};
  CHECK(o.erase("y") == 1);
  o["w"] = 4;
  CHECK(o.dump() == R"({"z":1,"x":3,"w":4})");
}

TEST_CASE("small_json: numbers compare numerically across int, unsigned and double", "[small_json][api]") {
  CHECK(sj::json(1) == sj::json(1u));
  CHECK(sj::json(1u) == sj::json(1.0));
  CHECK(sj::json(1) == sj::json(1.0));
  CHECK(*sj::parse("1") == *sj::parse("1.0"));
  CHECK(*sj::parse("-0") == *sj::parse("0"));
  CHECK(*sj::parse("-0.0") == *sj::parse("0"));
  CHECK_FALSE(sj::json(1) == sj::json(2u));
  CHECK_FALSE(sj::json(-1) == sj::json(std::numeric_limits<std::uint64_t>::max()));
  CHECK_FALSE(sj::json(1) == sj::json(true));
  CHECK_FALSE(sj::json("1") == sj::json(1));
  CHECK_FALSE(sj::json() == sj::json(0));
  CHECK(*sj::parse(R"({"a":[1,2.0,{"b":3}]})") == *sj::parse(R"({"a":[1.0,2,{"b":3.0}]})"));
  CHECK_FALSE(sj::json(std::numeric_limits<double>::quiet_NaN()) ==
              sj::json(std::numeric_limits<double>::quiet_NaN()));

  // The same matrix through nlohmann.
  const std::vector<std::string> numbers = {"0",
                                            "-0",
                                            "1",
                                            "-1",
                                            "1.0",
                                            "1.5",
                                            "-1.0",
                                            "0.0",
                                            "-0.0",
                                            "18446744073709551615",
                                            "-9223372036854775808",
                                            "1e0",
                                            "9223372036854775807",
                                            "9223372036854775808",
                                            "9007199254740993",
                                            "9007199254740992.0",
                                            "true",
                                            "null",
                                            "\"1\"",
                                            "[1]",
                                            "[1.0]",
                                            "{\"a\":1}",
                                            "{\"a\":1.0}"};
  for (const auto& x : numbers)
    for (const auto& y : numbers) {
      INFO(x << " == " << y);
      const auto nx = nlohmann::json::parse(x), ny = nlohmann::json::parse(y);
      // nlohmann casts an unsigned to signed against a negative integer, so for it
      // -1 == 18446744073709551615: a documented difference, small compares numerically.
      const auto casts = [](const nlohmann::json& i, const nlohmann::json& u) {
        return i.is_number_integer() && !i.is_number_unsigned() && i.get<std::int64_t>() < 0 &&
               u.is_number_unsigned() && u.get<std::uint64_t>() > INT64_MAX;
      };
      const bool quirk = casts(nx, ny) || casts(ny, nx);
      CHECK((*sj::parse(x) == *sj::parse(y)) == (quirk ? false : nx == ny));
    }
  CHECK(nlohmann::json(-1) == nlohmann::json(std::numeric_limits<std::uint64_t>::max())); // the quirk
  CHECK_FALSE(sj::json(-1) == sj::json(std::numeric_limits<std::uint64_t>::max()));
}

TEST_CASE("small_json: json and ordered_json convert into each other's key order", "[small_json][api]") {
  const auto sorted = *sj::parse(R"({"b":1,"a":{"d":2,"c":3},"list":[{"z":0,"y":1}]})");
  const sj::ordered_json as_ordered(sorted);
  CHECK(as_ordered.dump() == R"({"a":{"c":3,"d":2},"b":1,"list":[{"y":1,"z":0}]})");
  CHECK(as_ordered.dump() == sorted.dump());

  sj::ordered_json o;
  o["b"] = 1;
  o["a"] = sj::ordered_json{{"d", 2}, {"c", 3}};
  o["list"] = sj::ordered_json::array({sj::ordered_json{{"z", 0}, {"y", 1}}});
  CHECK(o.dump() == R"({"b":1,"a":{"d":2,"c":3},"list":[{"z":0,"y":1}]})");
  const sj::json back(o);
  CHECK(back.dump() == R"({"a":{"c":3,"d":2},"b":1,"list":[{"y":1,"z":0}]})");
  CHECK(back == sorted);

  nlohmann::ordered_json no;
  no["b"] = 1;
  no["a"] = nlohmann::ordered_json{{"d", 2}, {"c", 3}};
  no["list"] = nlohmann::ordered_json::array({nlohmann::ordered_json{{"z", 0}, {"y", 1}}});
  CHECK(o.dump() == nl_dump(no));
  CHECK(back.dump() == nl_dump(nlohmann::json(no)));
  CHECK(as_ordered.dump() == nl_dump(nlohmann::ordered_json(nlohmann::json(no))));
  // A repeated key keeps its first place and its last value, like nlohmann's ordered_map.
  o["b"] = 9;
  no["b"] = 9;
  CHECK(o.dump() == nl_dump(no));
}
