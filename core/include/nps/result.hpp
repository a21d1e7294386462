// Errors as values. Every fallible core function returns Result<T>: either a value
// or a non-empty list of Error, each with a machine code, the JSON path of the field
// at fault and a human message. The core never throws (the Wasm build has no
// exception support), so callers check ok() before value().
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nps {

enum class ErrorCode {
  invalid_type,   // wrong JSON type for the field
  out_of_range,   // a number outside its allowed range
  not_integer,    // text or number that is not a whole number
  required,       // a required field is missing
  empty,          // present but empty
  too_long,       // longer than its cap
  too_many,       // more items than allowed
  invalid_utf8,   // text that is not valid UTF-8
  invalid_format, // text that does not match the expected shape
  invalid_value,  // a value outside an enumeration or otherwise not allowed
  unknown_field,  // a field the record does not have
  parse_error,    // the input is not JSON at all
  duplicate,      // the same id or key twice
  no_data,        // nothing to compute on (e.g. no answers)
  unknown_op,     // an operation the dispatcher does not know
};

[[nodiscard]] std::string_view to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code;
  std::string path;    // JSON path of the field at fault, "" for the whole input
  std::string message; // a sentence for people; names no internals

  friend bool operator==(const Error&, const Error&) = default;
};

using Errors = std::vector<Error>;

// "path: message", or just the message when there is no path.
[[nodiscard]] std::string describe(const Error& e);

template <class T> class [[nodiscard]] Result {
public:
  Result(T value) : value_(std::move(value)) {}
  Result(Error e) : errors_{std::move(e)} {}
  Result(Errors es) : errors_(std::move(es)) { assert(!errors_.empty()); }

  [[nodiscard]] bool ok() const noexcept { return value_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  [[nodiscard]] const T& value() const& { return *value_; }
  [[nodiscard]] T& value() & { return *value_; }
  [[nodiscard]] T&& value() && { return *std::move(value_); }
  [[nodiscard]] const T& operator*() const& { return value(); }
  [[nodiscard]] const T* operator->() const { return &value(); }

  // The first error; only valid when !ok().
  [[nodiscard]] const Error& error() const { return errors_.front(); }
  [[nodiscard]] const Errors& errors() const { return errors_; }

private:
  // A value or errors, as an optional beside a vector rather than a std::variant, whose
  // visitation tables cost the browser modules more code.
  std::optional<T> value_;
  Errors errors_;
};

// Joins a JSON path: join_path("a", "b") == "a.b", join_path("a", 2) == "a[2]".
[[nodiscard]] std::string join_path(std::string_view parent, std::string_view key);
[[nodiscard]] std::string join_path(std::string_view parent, std::size_t index);
// Puts a whole path under a prefix: nest_path("survey", "theme.accent") == "survey.theme.accent",
// nest_path("events", "[2].type") == "events[2].type", nest_path("start", "") == "start".
[[nodiscard]] std::string nest_path(std::string_view prefix, std::string_view path);
// Appends `from` to `into`, each path put under `prefix` (nest_path).
void append_prefixed(Errors& into, const Errors& from, std::string_view prefix);

} // namespace nps
