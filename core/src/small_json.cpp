// nps/small_json.hpp: the parser, the writer and equality.
//
// Numbers are where a small JSON library usually differs from a big one, so both
// directions are exact; the two conversions are each build's own (text_to_double and
// to_exponential: core/src/small_json_numbers.cpp natively, web/js_numbers.cpp in the
// browser's Wasm modules); this file formats the digits the way nlohmann does.
#include "nps/small_json.hpp"

#include "nps/text.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>

namespace nps::small_json {

void misuse(const char* what) noexcept {
  (void)what;
  std::abort();
}

namespace {

// ---- numbers ---------------------------------------------------------------------------

void append_exponent(std::string& out, int e) {
  out += e < 0 ? '-' : '+';
  const unsigned k = static_cast<unsigned>(e < 0 ? -e : e);
  if (k >= 100) out += static_cast<char>('0' + k / 100);
  out += static_cast<char>('0' + (k / 10) % 10);
  out += static_cast<char>('0' + k % 10);
}

// As nlohmann's dump: "null" for NaN and infinities, "0.0", "100.0", "0.5", "1e+21".
void write_double(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  if (std::signbit(x)) {
    out += '-';
    x = -x;
  }
  if (x == 0) {
    out += "0.0";
    return;
  }
  char buf[40];
  const int n = to_exponential(x, buf);
  // buf: d[.ddd]e[+-]x → the digits and the exponent of the first digit.
  std::string digits;
  int i = 0;
  for (; i < n && buf[i] != 'e'; ++i)
    if (buf[i] != '.') digits += buf[i];
  int e10 = 0;
  const bool negative_exponent = i + 1 < n && buf[i + 1] == '-';
  for (int k = i + 1; k < n; ++k)
    if (buf[k] >= '0' && buf[k] <= '9') e10 = e10 * 10 + (buf[k] - '0');
  if (negative_exponent) e10 = -e10;
  const int k = static_cast<int>(digits.size());
  const int point = e10 + 1; // nlohmann's n: digits × 10^(point - k)
  if (k <= point && point <= 15) {
    out += digits;
    out.append(static_cast<std::size_t>(point - k), '0');
    out += ".0";
  } else if (0 < point && point <= 15) {
    out.append(digits, 0, static_cast<std::size_t>(point));
    out += '.';
    out.append(digits, static_cast<std::size_t>(point));
  } else if (-4 < point && point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out.append(digits, 1);
    }
    out += 'e';
    append_exponent(out, point - 1);
  }
}

// ---- writer ----------------------------------------------------------------------------

// std::to_string's digits, without its lookup tables (smaller in Wasm).
void write_integer(std::string& out, std::uint64_t u, bool negative) {
  char buf[20];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (negative) out += '-';
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

// Bytes of the invalid sequence at s[i] that one U+FFFD replaces: the longest start of a
// well-formed sequence (at least one byte), as nlohmann's replace handler does.
std::size_t invalid_length(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
  const unsigned c = b(i);
  std::size_t need = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c >= 0xE0 && c <= 0xEF)
    need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
  else if (c >= 0xF0 && c <= 0xF4)
    need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  if (!need || b(i + 1) < lo || b(i + 1) > hi) return 1;
  std::size_t k = 2;
  while (k <= need && (b(i + k) & 0xC0u) == 0x80u)
    ++k;
  return k;
}

void write_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence_length(s, i);
      if (len) {
        out.append(s, i, len);
        i += len;
      } else {
        out += "\xEF\xBF\xBD";
        i += invalid_length(s, i);
      }
      continue;
    }
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) {
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += static_cast<char>(c);
      }
    }
    ++i;
  }
  out += '"';
}

template <bool O> void write(std::string& out, const basic_json<O>& j) {
  switch (j.type()) {
  case value_t::null:
  case value_t::discarded: out += "null"; return;
  case value_t::boolean: out += j.template get<bool>() ? "true" : "false"; return;
  case value_t::number_integer: {
    const auto i = j.template get<std::int64_t>();
    write_integer(out, i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i), i < 0);
    return;
  }
  case value_t::number_unsigned: write_integer(out, j.template get<std::uint64_t>(), false); return;
  case value_t::number_float: write_double(out, j.template get<double>()); return;
  case value_t::string: write_string(out, j.template get_ref<const std::string&>()); return;
  case value_t::array: {
    out += '[';
    bool first = true;
    for (const auto& e : j.as_array()) {
      if (!first) out += ',';
      first = false;
      write(out, e);
    }
    out += ']';
    return;
  }
  case value_t::object: {
    out += '{';
    bool first = true;
    for (const auto& [k, v] : j.items()) {
      if (!first) out += ',';
      first = false;
      write_string(out, k);
      out += ':';
      write(out, v);
    }
    out += '}';
    return;
  }
  }
}

// ---- parser ----------------------------------------------------------------------------

constexpr int max_depth = 512;

struct Parser {
  std::string_view s;
  std::size_t i = 0;
  bool ok = true;

  bool fail() {
    ok = false;
    return false;
  }
  void ws() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
      ++i;
  }
  bool literal(std::string_view w) {
    if (s.substr(i, w.size()) != w) return fail();
    i += w.size();
    return true;
  }
  bool hex4(unsigned& v) {
    if (s.size() - i < 4) return fail();
    v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s[i++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        return fail();
    }
    return true;
  }
  static void utf8(std::string& out, unsigned c) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (c >> 18));
      out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (c & 0x3F));
    }
  }
  bool string(std::string& out) {
    ++i; // the opening quote
    while (i < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '"') {
        ++i;
        return true;
      }
      if (c < 0x20) return fail();
      if (c >= 0x80) {
        const std::size_t len = utf8_sequence_length(s, i);
        if (!len) return fail();
        out.append(s, i, len);
        i += len;
        continue;
      }
      if (c != '\\') {
        out += static_cast<char>(c);
        ++i;
        continue;
      }
      if (++i >= s.size()) return fail();
      switch (s[i++]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        unsigned cp = 0;
        if (!hex4(cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          unsigned lo = 0;
          if (!literal("\\u") || !hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return fail();
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return fail();
        }
        utf8(out, cp);
        break;
      }
      default: return fail();
      }
    }
    return fail();
  }
  bool number(json& out) {
    const std::size_t start = i;
    const auto digit = [&] { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
    const bool negative = s[i] == '-';
    if (negative) ++i;
    if (!digit()) return fail();
    if (s[i] == '0')
      ++i;
    else
      while (digit())
        ++i;
    bool integral = true;
    if (i < s.size() && s[i] == '.') {
      integral = false;
      ++i;
      if (!digit()) return fail();
      while (digit())
        ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
      integral = false;
      ++i;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
      if (!digit()) return fail();
      while (digit())
        ++i;
    }
    const std::string_view text = s.substr(start, i - start);
    if (integral) {
      // As nlohmann: non-negative integers are unsigned, negative ones signed; beyond 64
      // bits they become doubles.
      std::uint64_t u = 0;
      bool overflow = false;
      for (std::size_t k = negative ? 1 : 0; k < text.size(); ++k) {
        const auto d = static_cast<std::uint64_t>(text[k] - '0');
        if (u > (UINT64_MAX - d) / 10) {
          overflow = true;
          break;
        }
        u = u * 10 + d;
      }
      if (!overflow && !negative) {
        out = json(u);
        return true;
      }
      if (!overflow && u <= static_cast<std::uint64_t>(INT64_MAX) + 1) {
        out =
            json(u == static_cast<std::uint64_t>(INT64_MAX) + 1 ? INT64_MIN : -static_cast<std::int64_t>(u));
        return true;
      }
    }
    // As nlohmann: a number too large for a double is an error, not an infinity.
    const double d = text_to_double(text);
    if (!std::isfinite(d)) return fail();
    out = json(d);
    return true;
  }
  // depth: the containers around this value; a container opens only below max_depth.
  bool value(json& out, int depth) {
    ws();
    if (i >= s.size()) return fail();
    switch (s[i]) {
    case '{': {
      if (depth >= max_depth) return fail();
      ++i;
      out = json::object();
      ws();
      if (i < s.size() && s[i] == '}') {
        ++i;
        return true;
      }
      while (true) {
        ws();
        if (i >= s.size() || s[i] != '"') return fail();
        std::string key;
        if (!string(key)) return false;
        ws();
        if (i >= s.size() || s[i] != ':') return fail();
        ++i;
        json v;
        if (!value(v, depth + 1)) return false;
        out[key] = std::move(v);
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == '}') {
          ++i;
          return true;
        }
        return fail();
      }
    }
    case '[': {
      if (depth >= max_depth) return fail();
      ++i;
      out = json::array();
      ws();
      if (i < s.size() && s[i] == ']') {
        ++i;
        return true;
      }
      while (true) {
        json v;
        if (!value(v, depth + 1)) return false;
        out.push_back(std::move(v));
        ws();
        if (i < s.size() && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < s.size() && s[i] == ']') {
          ++i;
          return true;
        }
        return fail();
      }
    }
    case '"': {
      std::string str;
      if (!string(str)) return false;
      out = json(std::move(str));
      return true;
    }
    case 't': out = json(true); return literal("true");
    case 'f': out = json(false); return literal("false");
    case 'n': out = json(); return literal("null");
    default: return number(out);
    }
  }
};

} // namespace

template <bool O> bool basic_json<O>::equals(const basic_json& b) const noexcept {
  if (is_number() && b.is_number()) {
    if (t_ == value_t::number_float || b.t_ == value_t::number_float)
      return get<double>() == b.template get<double>();
    if (t_ == b.t_) return v_.i == b.v_.i;
    // signed against unsigned
    const std::int64_t s = t_ == value_t::number_integer ? v_.i : b.v_.i;
    const std::uint64_t u = t_ == value_t::number_unsigned ? v_.u : b.v_.u;
    return s >= 0 && static_cast<std::uint64_t>(s) == u;
  }
  if (t_ != b.t_) return false;
  switch (t_) {
  case value_t::null:
  case value_t::discarded: return true;
  case value_t::boolean: return v_.b == b.v_.b;
  case value_t::string: return *v_.s == *b.v_.s;
  case value_t::array: return *v_.a == *b.v_.a;
  case value_t::object: return *v_.o == *b.v_.o;
  default: return false;
  }
}

template <bool O>
std::string basic_json<O>::dump(int indent, char, bool ensure_ascii, error_handler_t) const {
  if (indent >= 0 || ensure_ascii) misuse("dump(): only compact output without ensure_ascii");
  std::string out;
  write(out, *this);
  return out;
}

template class basic_json<false>;
template class basic_json<true>;

std::optional<json> parse(std::string_view text) {
  Parser p{text};
  if (text.substr(0, 3) == "\xEF\xBB\xBF") p.i = 3;
  json out;
  if (!p.value(out, 0)) return std::nullopt;
  p.ws();
  // As nlohmann's lexer: a NUL byte after the value ends the text (what follows is ignored).
  if (p.i != text.size() && text[p.i] != '\0') return std::nullopt;
  return out;
}

} // namespace nps::small_json
