// A small JSON value with the part of nlohmann::json's interface the core uses, for the
// browser's Wasm modules. nlohmann/json costs ~38 KB gzipped in a Wasm module (its parser,
// serializer, number conversions and templates); the eligibility module must load at idle
// in under 15 KB. With NPS_SMALL_JSON defined, nps/json.hpp makes nps::json this type and
// the very same core sources compile against it.
//
// Same results as nlohmann::json, checked by running every vector through both builds
// (tests: vectors.small_json natively, vectors.wasm in Wasm; transcripts byte-identical):
//   * values: null, boolean, number_integer (signed), number_unsigned (non-negative
//     integers the parser reads), number_float, string, array, object; equality compares
//     numbers numerically, like nlohmann's;
//   * json keeps object keys sorted (std::map order), ordered_json keeps insertion order;
//     a repeated key keeps the last value;
//   * the parser accepts exactly RFC 8259 (a leading UTF-8 BOM skipped, valid UTF-8 only,
//     surrogate pairs joined); numbers are correctly rounded, and one too large for a
//     double (1e400) is refused, as nlohmann refuses it; as in nlohmann, a NUL byte after
//     the value ends the text ("1\0x" is 1);
//   * dump writes what nlohmann's dump(-1, ' ', false, replace) writes: no spaces, control
//     characters as \u00xx, non-ASCII as is, invalid UTF-8 as U+FFFD, doubles in shortest
//     round-trip form formatted like nlohmann's ("100.0", "0.5", "1e+21", "1e-05").
// Differences: nesting deeper than 512 levels is refused (nlohmann has no limit);
// nlohmann's Grisu2 may print a double (round-tripping still) one digit longer than the
// shortest this prints, or as long but with another last digit than the closest this
// prints: only 16–17 digit numbers, ~0.3% of random doubles; nlohmann compares a negative
// integer with an unsigned above 2^63 - 1 by casting the unsigned (-1 == 18446744073709551615
// there, not here); ordered_json::parse gives sorted keys, nlohmann's the document's order.
// tests/core/test_small_json.cpp checks all this against nlohmann directly.
// Misuse that nlohmann reports with an exception (at() of a missing key, get<string>() of
// a number) aborts, as nlohmann does when built without exceptions like the Wasm core.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace nps::small_json {

enum class value_t : std::uint8_t {
  null,
  object,
  array,
  string,
  boolean,
  number_integer,
  number_unsigned,
  number_float,
  discarded
};
enum class error_handler_t { strict, replace, ignore };

[[noreturn]] void misuse(const char* what) noexcept;

template <bool Ordered> class basic_json {
public:
  using value_t = small_json::value_t;
  using error_handler_t = small_json::error_handler_t;
  using member = std::pair<std::string, basic_json>;
  using object_t = std::vector<member>;
  using array_t = std::vector<basic_json>;

  // ---- construction ------------------------------------------------------------------

  basic_json() noexcept {}
  basic_json(std::nullptr_t) noexcept {}
  basic_json(value_t t) : t_(t) {
    if (t == value_t::object)
      v_.o = new object_t();
    else if (t == value_t::array)
      v_.a = new array_t();
    else if (t == value_t::string)
      v_.s = new std::string();
    else
      v_.i = 0;
  }
  template <class T, std::enable_if_t<std::is_same_v<T, bool>, int> = 0>
  basic_json(T b) noexcept : t_(value_t::boolean) {
    v_.b = b;
  }
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                          !std::is_same_v<T, char> && std::is_signed_v<T>,
                                      int> = 0>
  basic_json(T i) noexcept : t_(value_t::number_integer) {
    v_.i = static_cast<std::int64_t>(i);
  }
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                          !std::is_same_v<T, char> && std::is_unsigned_v<T>,
                                      int> = 0>
  basic_json(T u) noexcept : t_(value_t::number_unsigned) {
    v_.u = static_cast<std::uint64_t>(u);
  }
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  basic_json(T d) noexcept : t_(value_t::number_float) {
    v_.d = static_cast<double>(d);
  }
  basic_json(const char* s) : t_(value_t::string) { v_.s = new std::string(s); }
  basic_json(std::string_view s) : t_(value_t::string) { v_.s = new std::string(s); }
  basic_json(const std::string& s) : t_(value_t::string) { v_.s = new std::string(s); }
  basic_json(std::string&& s) : t_(value_t::string) { v_.s = new std::string(std::move(s)); }
  template <class T> basic_json(const std::vector<T>& items) : t_(value_t::array) {
    v_.a = new array_t();
    v_.a->reserve(items.size());
    for (const auto& x : items)
      v_.a->emplace_back(x);
  }
  template <class T> basic_json(const std::map<std::string, T>& items) : t_(value_t::object) {
    v_.o = new object_t();
    for (const auto& [k, x] : items)
      (*this)[k] = basic_json(x);
  }
  // nlohmann's rule: a list whose every element is a two-element array starting with a
  // string is an object ({{"a", 1}, {"b", 2}}); anything else is an array.
  basic_json(std::initializer_list<basic_json> items) {
    const bool object = std::all_of(items.begin(), items.end(), [](const basic_json& e) {
      return e.t_ == value_t::array && e.v_.a->size() == 2 && (*e.v_.a)[0].t_ == value_t::string;
    });
    if (object) {
      t_ = value_t::object;
      v_.o = new object_t();
      for (const auto& e : items)
        (*this)[*(*e.v_.a)[0].v_.s] = (*e.v_.a)[1];
    } else {
      t_ = value_t::array;
      v_.a = new array_t(items.begin(), items.end());
    }
  }
  // Between json and ordered_json (keys re-sorted into json).
  explicit basic_json(const basic_json<!Ordered>& other) { assign_from(other); }

  basic_json(const basic_json& other) { copy_from(other); }
  basic_json(basic_json&& other) noexcept : t_(other.t_), v_(other.v_) {
    other.t_ = value_t::null;
    other.v_.i = 0;
  }
  basic_json& operator=(const basic_json& other) {
    if (this != &other) {
      basic_json copy(other);
      swap(copy);
    }
    return *this;
  }
  basic_json& operator=(basic_json&& other) noexcept {
    if (this != &other) {
      destroy();
      t_ = other.t_;
      v_ = other.v_;
      other.t_ = value_t::null;
      other.v_.i = 0;
    }
    return *this;
  }
  ~basic_json() { destroy(); }
  void swap(basic_json& other) noexcept {
    std::swap(t_, other.t_);
    std::swap(v_, other.v_);
  }

  static basic_json array() { return basic_json(value_t::array); }
  static basic_json array(std::initializer_list<basic_json> items) {
    basic_json j(value_t::array);
    j.v_.a->assign(items.begin(), items.end());
    return j;
  }
  static basic_json object() { return basic_json(value_t::object); }
  // Aborts on invalid text (nlohmann throws): use nps::parse_json for input.
  static basic_json parse(std::string_view text);

  // ---- type --------------------------------------------------------------------------

  value_t type() const noexcept { return t_; }
  bool is_null() const noexcept { return t_ == value_t::null; }
  bool is_boolean() const noexcept { return t_ == value_t::boolean; }
  bool is_number() const noexcept { return is_number_integer() || t_ == value_t::number_float; }
  bool is_number_integer() const noexcept {
    return t_ == value_t::number_integer || t_ == value_t::number_unsigned;
  }
  bool is_number_unsigned() const noexcept { return t_ == value_t::number_unsigned; }
  bool is_number_float() const noexcept { return t_ == value_t::number_float; }
  bool is_string() const noexcept { return t_ == value_t::string; }
  bool is_array() const noexcept { return t_ == value_t::array; }
  bool is_object() const noexcept { return t_ == value_t::object; }
  bool is_discarded() const noexcept { return t_ == value_t::discarded; }
  bool is_primitive() const noexcept { return !is_array() && !is_object(); }
  bool is_structured() const noexcept { return is_array() || is_object(); }

  // ---- values ------------------------------------------------------------------------

  template <class T> T get() const {
    if constexpr (std::is_same_v<T, basic_json>) {
      return *this;
    } else if constexpr (std::is_same_v<T, bool>) {
      if (t_ != value_t::boolean) misuse("get<bool>() of a value that is not a boolean");
      return v_.b;
    } else if constexpr (std::is_arithmetic_v<T>) {
      switch (t_) {
      case value_t::number_integer: return static_cast<T>(v_.i);
      case value_t::number_unsigned: return static_cast<T>(v_.u);
      case value_t::number_float: return static_cast<T>(v_.d);
      default: misuse("get<number>() of a value that is not a number");
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      return get_ref<const std::string&>();
    } else {
      static_assert(std::is_same_v<T, std::vector<std::string>>, "unsupported get<T>()");
      T out;
      for (const auto& e : as_array())
        out.push_back(e.template get<std::string>());
      return out;
    }
  }
  template <class R> R get_ref() const {
    if constexpr (std::is_same_v<R, const array_t&>) {
      // The elements themselves: a loop over them needs none of the iterator's object case.
      if (t_ != value_t::array) misuse("get_ref<array_t>() of a value that is not an array");
      return *v_.a;
    } else {
      static_assert(std::is_same_v<R, const std::string&>, "get_ref only of strings and arrays");
      if (t_ != value_t::string) misuse("get_ref<string>() of a value that is not a string");
      return *v_.s;
    }
  }
  template <class T> void get_to(T& out) const { out = get<T>(); }

  // value(key, default): the member converted like the default, or the default.
  basic_json value(std::string_view key, const basic_json& fallback) const {
    const auto* m = lookup(key);
    return m ? m->second : fallback;
  }
  std::string value(std::string_view key, const char* fallback) const {
    const auto* m = lookup(key);
    return m ? m->second.template get<std::string>() : std::string(fallback);
  }
  template <class T, std::enable_if_t<!std::is_same_v<T, basic_json>, int> = 0>
  T value(std::string_view key, const T& fallback) const {
    const auto* m = lookup(key);
    return m ? m->second.template get<T>() : fallback;
  }

  // ---- objects and arrays ------------------------------------------------------------

  basic_json& operator[](std::string_view key) {
    if (t_ == value_t::null) *this = object();
    if (t_ != value_t::object) misuse("operator[] with a key on a value that is not an object");
    return member_at(key);
  }
  basic_json& operator[](const char* key) { return (*this)[std::string_view(key)]; }
  basic_json& operator[](const std::string& key) { return (*this)[std::string_view(key)]; }
  const basic_json& operator[](std::string_view key) const {
    const auto* m = lookup(key);
    if (!m) misuse("operator[] const with a missing key");
    return m->second;
  }
  const basic_json& operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  const basic_json& operator[](const std::string& key) const { return (*this)[std::string_view(key)]; }
  template <class T, std::enable_if_t<std::is_integral_v<T>, int> = 0> basic_json& operator[](T index) {
    if (t_ == value_t::null) *this = array();
    if (t_ != value_t::array) misuse("operator[] with an index on a value that is not an array");
    const auto i = static_cast<std::size_t>(index);
    if (i >= v_.a->size()) v_.a->resize(i + 1);
    return (*v_.a)[i];
  }
  template <class T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
  const basic_json& operator[](T index) const {
    return at(static_cast<std::size_t>(index));
  }
  const basic_json& at(std::string_view key) const {
    const auto* m = lookup(key);
    if (!m) misuse("at() of a missing key");
    return m->second;
  }
  basic_json& at(std::string_view key) { return const_cast<basic_json&>(std::as_const(*this).at(key)); }
  const basic_json& at(std::size_t i) const {
    if (t_ != value_t::array || i >= v_.a->size()) misuse("at() of a missing index");
    return (*v_.a)[i];
  }
  basic_json& at(std::size_t i) { return const_cast<basic_json&>(std::as_const(*this).at(i)); }
  bool contains(std::string_view key) const { return lookup(key) != nullptr; }
  std::size_t count(std::string_view key) const { return contains(key) ? 1 : 0; }
  std::size_t erase(std::string_view key) {
    if (t_ != value_t::object) return 0;
    auto it = std::find_if(v_.o->begin(), v_.o->end(), [&](const member& m) { return m.first == key; });
    if (it == v_.o->end()) return 0;
    v_.o->erase(it);
    return 1;
  }
  void push_back(basic_json x) {
    if (t_ == value_t::null) *this = array();
    if (t_ != value_t::array) misuse("push_back on a value that is not an array");
    v_.a->push_back(std::move(x));
  }
  template <class... A> basic_json& emplace_back(A&&... a) {
    if (t_ == value_t::null) *this = array();
    if (t_ != value_t::array) misuse("emplace_back on a value that is not an array");
    return v_.a->emplace_back(std::forward<A>(a)...);
  }
  std::size_t size() const noexcept {
    switch (t_) {
    case value_t::null: return 0;
    case value_t::array: return v_.a->size();
    case value_t::object: return v_.o->size();
    default: return 1;
    }
  }
  bool empty() const noexcept { return size() == 0; }
  void clear() {
    if (t_ == value_t::array)
      v_.a->clear();
    else if (t_ == value_t::object)
      v_.o->clear();
    else if (t_ == value_t::string)
      v_.s->clear();
  }
  const basic_json& front() const { return at(std::size_t{0}); }
  const basic_json& back() const { return at(size() - 1); }

  // The members of an object as (key, value) pairs, in the object's order: structured
  // bindings work (`for (const auto& [k, v] : j.items())`). Empty for other values.
  const object_t& items() const noexcept { return t_ == value_t::object ? *v_.o : empty_object(); }
  object_t& items() noexcept { return t_ == value_t::object ? *v_.o : empty_object(); }

  // Iteration visits the elements of an array, the values of an object (key() names the
  // member), and nothing for other values; find() and end() work on objects.
  template <bool Const> class iter {
  public:
    using J = std::conditional_t<Const, const basic_json, basic_json>;
    using A = std::conditional_t<Const, const basic_json*, basic_json*>;
    using M = std::conditional_t<Const, const member*, member*>;
    using iterator_category = std::forward_iterator_tag;
    using value_type = basic_json;
    using difference_type = std::ptrdiff_t;
    using pointer = J*;
    using reference = J&;
    iter() = default;
    iter(A a, M m) : a_(a), m_(m) {}
    J& operator*() const { return a_ ? *a_ : m_->second; }
    J* operator->() const { return &**this; }
    J& value() const { return **this; }
    const std::string& key() const { return m_->first; }
    iter& operator++() {
      if (a_)
        ++a_;
      else
        ++m_;
      return *this;
    }
    bool operator==(const iter& o) const { return a_ == o.a_ && m_ == o.m_; }
    bool operator!=(const iter& o) const { return !(*this == o); }

  private:
    A a_ = nullptr;
    M m_ = nullptr;
  };
  using iterator = iter<false>;
  using const_iterator = iter<true>;

  const_iterator begin() const noexcept {
    if (t_ == value_t::array) return {v_.a->data(), nullptr};
    if (t_ == value_t::object) return {nullptr, v_.o->data()};
    return {};
  }
  const_iterator end() const noexcept {
    if (t_ == value_t::array) return {v_.a->data() + v_.a->size(), nullptr};
    if (t_ == value_t::object) return {nullptr, v_.o->data() + v_.o->size()};
    return {};
  }
  iterator begin() noexcept {
    if (t_ == value_t::array) return {v_.a->data(), nullptr};
    if (t_ == value_t::object) return {nullptr, v_.o->data()};
    return {};
  }
  iterator end() noexcept {
    if (t_ == value_t::array) return {v_.a->data() + v_.a->size(), nullptr};
    if (t_ == value_t::object) return {nullptr, v_.o->data() + v_.o->size()};
    return {};
  }
  const_iterator find(std::string_view key) const {
    const auto* m = lookup(key);
    return m ? const_iterator{nullptr, m} : end();
  }
  iterator find(std::string_view key) {
    auto* m = const_cast<member*>(lookup(key));
    return m ? iterator{nullptr, m} : end();
  }

  // ---- comparison and text -----------------------------------------------------------

  friend bool operator==(const basic_json& a, const basic_json& b) noexcept { return a.equals(b); }

  std::string dump(int indent = -1, char indent_char = ' ', bool ensure_ascii = false,
                   error_handler_t handler = error_handler_t::strict) const;

  // The array's elements (an empty list for other values).
  const array_t& as_array() const noexcept { return t_ == value_t::array ? *v_.a : empty_array(); }

private:
  template <bool> friend class basic_json;

  value_t t_ = value_t::null;
  union Payload {
    bool b;
    std::int64_t i;
    std::uint64_t u;
    double d;
    std::string* s;
    array_t* a;
    object_t* o;
  } v_{.i = 0};

  static object_t& empty_object() noexcept {
    static object_t none;
    return none;
  }
  static const array_t& empty_array() noexcept {
    static const array_t none;
    return none;
  }
  void destroy() noexcept {
    if (t_ == value_t::string)
      delete v_.s;
    else if (t_ == value_t::array)
      delete v_.a;
    else if (t_ == value_t::object)
      delete v_.o;
    t_ = value_t::null;
    v_.i = 0;
  }
  template <bool O> void assign_from(const basic_json<O>& other) {
    t_ = other.t_;
    switch (t_) {
    case value_t::string: v_.s = new std::string(*other.v_.s); break;
    case value_t::array:
      v_.a = new array_t();
      v_.a->reserve(other.v_.a->size());
      for (const auto& e : *other.v_.a)
        v_.a->emplace_back(basic_json(e));
      break;
    case value_t::object:
      v_.o = new object_t();
      v_.o->reserve(other.v_.o->size());
      for (const auto& [k, e] : *other.v_.o)
        member_at(k) = basic_json(e);
      break;
    default: v_.i = other.v_.i; break;
    }
  }
  void copy_from(const basic_json& other) {
    t_ = other.t_;
    switch (t_) {
    case value_t::string: v_.s = new std::string(*other.v_.s); break;
    case value_t::array: v_.a = new array_t(*other.v_.a); break;
    case value_t::object: v_.o = new object_t(*other.v_.o); break;
    default: v_ = other.v_; break;
    }
  }
  // Where key is, or would be inserted: sorted objects by binary search, ordered ones by
  // scanning (they are small: the core's outputs).
  typename object_t::iterator position(std::string_view key) const {
    auto& o = *v_.o;
    if constexpr (Ordered) {
      return std::find_if(o.begin(), o.end(), [&](const member& m) { return m.first == key; });
    } else {
      return std::lower_bound(o.begin(), o.end(), key, [](const member& m, std::string_view k) {
        return std::string_view(m.first) < k;
      });
    }
  }
  const member* lookup(std::string_view key) const {
    if (t_ != value_t::object) return nullptr;
    auto it = position(key);
    return it != v_.o->end() && it->first == key ? &*it : nullptr;
  }
  basic_json& member_at(std::string_view key) {
    auto& o = *v_.o;
    auto it = position(key);
    if (it != o.end() && it->first == key) return it->second;
    // Appended, then swapped into place: the same result as o.insert(it, ...), with much
    // less code in Wasm than vector::insert's shifting.
    const auto at = static_cast<std::size_t>(it - o.begin());
    o.emplace_back(std::string(key), basic_json());
    for (std::size_t i = o.size() - 1; i > at; --i) {
      o[i].first.swap(o[i - 1].first);
      o[i].second.swap(o[i - 1].second);
    }
    return o[at].second;
  }
  bool equals(const basic_json& b) const noexcept;
};

using json = basic_json<false>;
using ordered_json = basic_json<true>;

// Parses RFC 8259 text; nullopt when it is not exactly one valid JSON value.
[[nodiscard]] std::optional<json> parse(std::string_view text);

// ---- the two number conversions, each build's own --------------------------------------
// The parser and the writer leave these to the build: natively core/src/small_json_numbers.cpp
// (Clinger's fast path, strtod, to_chars); in the browser's Wasm modules web/js_numbers.cpp,
// JavaScript's Number() and toExponential() (web/numbers.js), so no module carries strtod or
// printf. Both exact: the vectors' transcripts through either are byte-identical.

// `text` is a valid JSON number with a fraction or an exponent (or too large for 64 bits):
// the closest double.
[[nodiscard]] double text_to_double(std::string_view text);
// A finite x > 0 in the shortest digits that read back to x, written "d[.ddd]e[+-]x" into
// out (at least 40 bytes); returns the length.
[[nodiscard]] int to_exponential(double x, char* out);

template <bool O> basic_json<O> basic_json<O>::parse(std::string_view text) {
  auto j = small_json::parse(text);
  if (!j) misuse("parse() of invalid JSON");
  if constexpr (O)
    return basic_json<O>(*j);
  else
    return std::move(*j);
}

} // namespace nps::small_json
