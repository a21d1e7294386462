// The input checks invoke()'s operations share (api_fields.hpp).
#include "api_fields.hpp"

namespace nps::detail {

// Required string fields of an object; errors for each missing or mistyped one.
void require_strings(const json& in, std::initializer_list<const char*> keys, Errors& errors) {
  for (const char* key : keys) {
    if (!in.contains(key))
      errors.push_back(Error{ErrorCode::required, key, "required"});
    else if (!in.at(key).is_string())
      errors.push_back(type_error(key, "a string", in.at(key)));
  }
}

// Unknown keys of an operation's input object are errors, so a typo ("avaliable") is named.
void unknown_fields(const json& in, std::initializer_list<std::string_view> known, Errors& errors) {
  for (const auto& [k, v] : in.items()) {
    bool found = false;
    for (auto name : known)
      found = found || k == name;
    if (!found) errors.push_back(Error{ErrorCode::unknown_field, k, "not a field of this input"});
  }
}

// An array of strings at `path`; each element that is not a string is named.
Result<std::vector<std::string>> string_array(const json& j, const std::string& path) {
  if (!j.is_array()) return type_error(path, "an array of strings", j);
  std::vector<std::string> out;
  Errors errors;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i].is_string())
      out.push_back(j[i].get<std::string>());
    else
      errors.push_back(type_error(join_path(path, i), "a string", j[i]));
  }
  if (!errors.empty()) return errors;
  return out;
}

} // namespace nps::detail
