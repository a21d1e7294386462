// The reader of a survey definition's objects (survey.cpp): typed fields of one JSON object,
// each checked before it is read, every field the object does not define flagged, every
// problem with its path. Internal to the core's sources.
#pragma once

#include "nps/survey.hpp"
#include "nps/text.hpp"
#include "reading.hpp"
#include "survey_names.hpp"

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace nps::detail {

// Reads typed fields of one JSON object, recording errors by path and flagging fields
// the object does not define. Every accessor checks the type before reading. Problems go
// where every reader of outside JSON in the core puts them (reading.hpp's Problems, with
// every problem's words: a survey is only read in full); a survey's paths are kept as text.
using Found = detail::Problems<true>;

// A non-owning reference to a callable, for callbacks that run before the call returns:
// unlike std::function it allocates nothing and costs one small thunk per lambda, which
// matters in the browser's flow module (std::function's machinery was ~10 KB there).
template <class F> class FnRef;
template <class R, class... A> class FnRef<R(A...)> {
public:
  template <class C, std::enable_if_t<!std::is_same_v<std::decay_t<C>, FnRef>, int> = 0>
  FnRef(C&& c) noexcept // NOLINT: implicit, like std::function
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(c)))), call_([](void* o, A... a) -> R {
          return (*static_cast<std::remove_reference_t<C>*>(o))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

private:
  void* obj_;
  R (*call_)(void*, A...);
};

class Reader {
public:
  Reader(Found& errors, const json& j, std::string path, std::initializer_list<std::string_view> fields)
      : errors_(errors), j_(j), path_(std::move(path)) {
    if (!j.is_object()) {
      errors_.add(type_error(path_, "an object", j));
      ok_ = false;
      return;
    }
    for (const auto& [key, value] : j.items()) {
      if (std::find(fields.begin(), fields.end(), key) == fields.end())
        errors_.add(Error{ErrorCode::unknown_field, join_path(path_, key), "not a field here"});
    }
  }

  [[nodiscard]] bool ok() const { return ok_; }
  [[nodiscard]] std::string at(std::string_view key) const { return join_path(path_, key); }
  [[nodiscard]] const json* get(std::string_view key) const {
    if (!ok_) return nullptr;
    auto it = j_.find(std::string(key));
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  void error(ErrorCode code, std::string path, std::string message) {
    errors_.add(Error{code, std::move(path), std::move(message)});
  }
  void type(std::string_view key, std::string_view expected) {
    errors_.add(type_error(at(key), expected, *get(key)));
  }
  Found& errors() { return errors_; }

  std::optional<std::string> text(std::string_view key, std::size_t cap, bool required) {
    const json* v = get(key);
    if (!v) {
      if (required) error(ErrorCode::required, at(key), "required");
      return std::nullopt;
    }
    return checked_text(*v, at(key), cap);
  }

  // A text (the core's shared reader, reading.hpp) that may not be empty here.
  std::optional<std::string> checked_text(const json& v, const std::string& path, std::size_t cap) {
    auto t = detail::read_text(v, detail::Where{nullptr, path}, cap, errors_);
    if (t && t->empty()) {
      error(ErrorCode::empty, path, "empty text; leave the field out to use the built-in text");
      return std::nullopt;
    }
    return t;
  }

  std::optional<std::string> id(std::string_view key, bool required) {
    const json* v = get(key);
    if (!v) {
      if (required) error(ErrorCode::required, at(key), "required");
      return std::nullopt;
    }
    if (!v->is_string()) {
      type(key, "a string");
      return std::nullopt;
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty() || s.size() > SurveyLimits::id || !id_chars(s, "_-")) {
      error(ErrorCode::invalid_format, at(key), "1 to 64 of the characters A-Z a-z 0-9 _ -");
      return std::nullopt;
    }
    return s;
  }

  void boolean(std::string_view key, bool& out) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_boolean()) return type(key, "true or false");
    out = v->get<bool>();
  }

  void integer(std::string_view key, int& out, int min, int max) {
    const json* v = get(key);
    if (!v) return;
    const auto i = as_integer(*v);
    if (!v->is_number()) return type(key, "a whole number");
    if (!i) return error(ErrorCode::not_integer, at(key), "a whole number");
    if (*i < min || *i > max)
      return error(ErrorCode::out_of_range, at(key),
                   "between " + std::to_string(min) + " and " + std::to_string(max));
    out = static_cast<int>(*i);
  }

  template <class E, std::size_t N>
  void enumeration(std::string_view key, E& out, const std::pair<E, std::string_view> (&table)[N]) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_string()) return type(key, "a string");
    if (auto e = from_name(v->get_ref<const std::string&>(), table))
      out = *e;
    else
      error(ErrorCode::invalid_value, at(key), "one of " + names_list(table));
  }

  // Iterates an array field; `fn(element, path)`.
  void array(std::string_view key, std::size_t max, FnRef<void(const json&, const std::string&)> fn) {
    const json* v = get(key);
    if (!v) return;
    if (!v->is_array()) return type(key, "an array");
    if (v->size() > max)
      return error(ErrorCode::too_many, at(key), "more than " + std::to_string(max) + " items");
    for (std::size_t i = 0; i < v->size(); ++i)
      fn((*v)[i], join_path(at(key), i));
  }

private:
  Found& errors_;
  const json& j_;
  std::string path_;
  bool ok_ = true;
};

// Every language a text of `s` uses must be one the survey offers (survey_locales.cpp).
void check_text_locales(const Survey& s, Found& errors);

} // namespace nps::detail
