// How the core reads JSON from outside: one idiom for the visitor, the page, a response
// and a survey. A reader walks the JSON value, knows where each value is (Where: its key
// under its parent's place, spelled out as a path only when a problem there is reported)
// and records each problem in a Problems<Detailed>: every one with its code, path and words
// (Detailed), or only whether there is one, for the browser's eligibility module, which
// carries no words (read_valid_visitor). The same reader serves both, so the two can never
// disagree about what is valid. Internal to the core's sources.
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"
#include "nps/text.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace nps::detail {

// The reasons are assembled with cat({...}): one out-of-line loop appending the pieces,
// instead of chains of std::string operator+, whose temporaries the browser's eligibility
// module pays for in size at every call site. A piece is text or a whole number.
class Piece {
public:
  Piece(std::string_view s) noexcept : s_(s) {}
  Piece(const char* s) noexcept : s_(s) {}
  Piece(const std::string& s) noexcept : s_(s) {}
  Piece(std::int64_t n) noexcept {
    // Decimal digits, written backwards from the end of buf_ (std::to_string's output).
    const bool negative = n < 0;
    std::uint64_t u = negative ? 0 - static_cast<std::uint64_t>(n) : static_cast<std::uint64_t>(n);
    char* p = buf_ + sizeof buf_;
    do {
      *--p = static_cast<char>('0' + u % 10);
      u /= 10;
    } while (u != 0);
    if (negative) *--p = '-';
    s_ = std::string_view(p, static_cast<std::size_t>(buf_ + sizeof buf_ - p));
  }
  Piece(const Piece&) = delete; // s_ may point into buf_
  [[nodiscard]] std::string_view view() const noexcept { return s_; }

private:
  char buf_[20];
  std::string_view s_;
};

[[nodiscard]] std::string cat(std::initializer_list<Piece> pieces); // reading.cpp

// Whether every byte of s is an ASCII letter or digit or one of `punct` (ids, keys).
[[nodiscard]] bool id_chars(std::string_view s, std::string_view punct) noexcept; // reading.cpp

// Where a value is: its key under its parent's place. The path ("surveys.nps1.last_shown")
// is only spelled out when a problem there is reported in detail.
// A place with no parent is spelled as its key: the root (no key), or a path already
// written out (an array's element, "answers.q1[2]"; a survey's readers keep paths as text).
struct Where {
  const Where* parent;
  std::string_view key;
  [[nodiscard]] std::string path() const {
    return parent ? join_path(parent->path(), key) : std::string(key);
  }
};
constexpr Where root{nullptr, {}};

// The problems found while reading: every one with its code, path and words (Detailed), or
// only whether there is one (read_valid_visitor/read_valid_page). One reader serves both, so
// the two can never disagree about what is valid; the words are written by callables that
// the quiet reader never calls, so its code carries none of them.
template <bool Detailed> struct Problems {
  Errors list;
  bool any = false;

  template <class Words> void add(ErrorCode code, const Where& at, Words words) {
    any = true;
    if constexpr (Detailed) list.push_back(Error{code, at.path(), std::string(words())});
  }
  void add(ErrorCode code, const Where& at, const char* message) {
    add(code, at, [message] { return message; });
  }
  // A problem a reader that returns a Result has already written (a score, a locale).
  void add(Error e) {
    any = true;
    if constexpr (Detailed) list.push_back(std::move(e));
  }
  void wrong_type(const Where& at, const char* expected, const json& got) {
    any = true;
    if constexpr (Detailed) list.push_back(type_error(at.path(), expected, got));
  }
};

// A whole number ≥ 0, with the words of its three possible problems.
template <bool D>
std::optional<std::int64_t> read_whole(const json& v, const Where& at, Problems<D>& problems,
                                       const char* expected, const char* not_whole, const char* negative) {
  if (!v.is_number()) {
    problems.wrong_type(at, expected, v);
    return std::nullopt;
  }
  const auto n = as_integer(v);
  if (!n) {
    problems.add(ErrorCode::not_integer, at, not_whole);
    return std::nullopt;
  }
  if (*n < 0) {
    problems.add(ErrorCode::out_of_range, at, negative);
    return std::nullopt;
  }
  return n;
}

// Milliseconds since 1970: a whole number ≥ 0; null is absent.
template <bool D>
std::optional<std::int64_t> read_time(const json& v, const Where& at, Problems<D>& problems) {
  if (v.is_null()) return std::nullopt;
  return read_whole(v, at, problems, "milliseconds since 1970 as a number", "milliseconds are a whole number",
                    "milliseconds since 1970, 0 or more");
}

template <bool D>
std::optional<std::int64_t> read_count(const json& v, const Where& at, Problems<D>& problems) {
  return read_whole(v, at, problems, "a whole number, 0 or more", "a count is a whole number",
                    "a count is 0 or more");
}

template <bool D> void read_bool(const json& v, const Where& at, bool& out, Problems<D>& problems) {
  if (v.is_null()) return;
  if (!v.is_boolean())
    problems.wrong_type(at, "true or false", v);
  else
    out = v.get<bool>();
}

template <bool D> bool valid_text(const json& v, const Where& at, Problems<D>& problems) {
  if (!v.is_string()) {
    problems.wrong_type(at, "a string", v);
    return false;
  }
  if (auto bad = invalid_utf8_at(v.get_ref<const std::string&>())) {
    problems.add(ErrorCode::invalid_utf8, at, [bad] {
      return cat({"not valid UTF-8 (at byte ", static_cast<std::int64_t>(*bad), ")"});
    });
    return false;
  }
  return true;
}

// A text: a string of valid UTF-8, normalised (normalize_text), at most `cap` characters
// (code points). An empty text is returned empty: whether that is allowed is the caller's.
template <bool D>
std::optional<std::string> read_text(const json& v, const Where& at, std::size_t cap, Problems<D>& problems) {
  if (!valid_text(v, at, problems)) return std::nullopt;
  std::string t = normalize_text(v.get_ref<const std::string&>());
  if (code_points(t) > cap) {
    problems.add(ErrorCode::too_long, at, [cap] {
      return cat({"longer than ", static_cast<std::int64_t>(cap), " characters"});
    });
    return std::nullopt;
  }
  return t;
}

// An object field (a visitor's surveys, event_counts, attributes): false when it is null
// (absent) or has a problem (recorded); true when its members are to be read.
template <bool D>
bool object_field(const json& v, const Where& at, const char* expected, std::size_t max, const char* what,
                  Problems<D>& problems) {
  if (v.is_null()) return false;
  if (!v.is_object()) {
    problems.wrong_type(at, expected, v);
    return false;
  }
  if (v.size() > max) {
    problems.add(ErrorCode::too_many, at, [max, what] {
      return cat({"more than ", static_cast<std::int64_t>(max), what});
    });
    return false;
  }
  return true;
}

// The detailed reading as a Result: the value, or every problem.
template <class T, class Read> Result<T> detailed(const json& j, Read read) {
  Problems<true> problems;
  std::optional<T> value = read(j, problems);
  if (!value) return std::move(problems.list);
  return std::move(*value);
}

} // namespace nps::detail
