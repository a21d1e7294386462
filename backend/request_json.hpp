// Checks on the JSON of request bodies that the JSON library and the core would let pass
// silently: a key given twice in one object (the library keeps the last one, so
// {"score":11,"score":5} would be read as 5), and control characters in an answer's texts
// (the core drops them from comments, answers and respondent ids). Both are refused with
// the field's path, so what is stored is what was sent.
#pragma once

#include "errors.hpp"

#include "nps/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npsd {

// The path of the first key that appears twice in the same object of `text` ("score",
// "answers.q1", "items[2].id"), or nullopt. `text` must already be known to be JSON.
[[nodiscard]] std::optional<std::string> first_duplicate_key(std::string_view text);

// An error for each text of a response body (comment, respondent_id, page, the values of
// answers and attributes) holding a C0 control character other than tab, line feed and
// carriage return, or DEL.
void control_character_errors(const nps::json& body, std::vector<ApiError>& errors);

} // namespace npsd
