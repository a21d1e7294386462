// Duplicate keys (a SAX pass over the body) and control characters in answer texts.
#include "request_json.hpp"

#include "nps/result.hpp"

#include <cstdio>
#include <set>

namespace npsd {

namespace {

// Follows the parse with a stack of open objects and arrays, to name where a duplicate is.
class DuplicateFinder : public nlohmann::json_sax<nps::json> {
public:
  std::optional<std::string> found;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    const auto at = path_of_value();
    frames_.push_back(Frame{true, at, {}, {}, 0});
    return true;
  }
  bool key(string_t& k) override {
    auto& f = frames_.back();
    if (!f.keys.insert(k).second) {
      found = nps::join_path(f.path, k);
      return false; // stop: one is enough
    }
    f.key = k;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    const auto at = path_of_value();
    frames_.push_back(Frame{false, at, {}, {}, 0});
    return true;
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    return false;
  }

private:
  struct Frame {
    bool object;
    std::string path;
    std::set<std::string> keys;
    std::string key;   // the member being read (objects)
    std::size_t index; // the next element's index (arrays)
  };

  // The path of the value that starts now, and the array's count moves past it.
  std::string path_of_value() {
    if (frames_.empty()) return "";
    auto& f = frames_.back();
    if (f.object) return nps::join_path(f.path, f.key);
    return nps::join_path(f.path, f.index++);
  }
  bool value() {
    (void)path_of_value();
    return true;
  }
  bool close() {
    frames_.pop_back();
    return true;
  }

  std::vector<Frame> frames_;
};

// The first byte of `s` that is a refused control character, or nullopt.
std::optional<unsigned char> control_character(const std::string& s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F) return u;
  }
  return std::nullopt;
}

void check(const nps::json& v, const std::string& path, std::vector<ApiError>& errors) {
  if (v.is_string()) {
    if (const auto u = control_character(v.get_ref<const std::string&>())) {
      char code[8];
      std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(*u));
      errors.push_back({ApiCode::invalid_value, path,
                        std::string("holds the control character ") + code +
                            "; only tab, line feed and carriage return are allowed in a text"});
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i)
      check(v[i], nps::join_path(path, i), errors);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      check(*it, nps::join_path(path, it.key()), errors);
  }
}

} // namespace

std::optional<std::string> first_duplicate_key(std::string_view text) {
  DuplicateFinder finder;
  (void)nps::json::sax_parse(text.begin(), text.end(), &finder, nlohmann::json::input_format_t::json,
                             /*strict=*/true);
  return finder.found;
}

void control_character_errors(const nps::json& body, std::vector<ApiError>& errors) {
  if (!body.is_object()) return;
  for (const char* field : {"comment", "respondent_id", "page", "answers", "attributes"})
    if (auto it = body.find(field); it != body.end()) check(*it, field, errors);
}

} // namespace npsd
