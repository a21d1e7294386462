// Checks the operations of invoke() share on their JSON input objects (api.cpp, i18n_api.cpp,
// themes_api.cpp): required strings, unknown fields named, arrays of strings.
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace nps::detail {

// Required string fields of an object; errors for each missing or mistyped one.
void require_strings(const json& in, std::initializer_list<const char*> keys, Errors& errors);
// Unknown keys of an operation's input object are errors, so a typo ("avaliable") is named.
void unknown_fields(const json& in, std::initializer_list<std::string_view> known, Errors& errors);
// An array of strings at `path`; each element that is not a string is named.
[[nodiscard]] Result<std::vector<std::string>> string_array(const json& j, const std::string& path);

} // namespace nps::detail
