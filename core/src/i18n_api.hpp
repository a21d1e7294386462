// The i18n operations of invoke() (api.cpp dispatches to them; bodies in i18n_api.cpp):
//   i18n.negotiate {"requested", "available", "fallback"?} → the chosen tag
//   i18n.strings   a language tag or [tags] → the built-in texts of the language chosen
//   i18n.format    {"pattern", "params"} → the pattern with its placeholders filled in
//   i18n.locales   null → the built-in languages
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"

namespace nps {

[[nodiscard]] Result<ordered_json> i18n_negotiate(const json& in);
[[nodiscard]] Result<ordered_json> i18n_strings(const json& in);
[[nodiscard]] Result<ordered_json> i18n_format(const json& in);
[[nodiscard]] Result<ordered_json> op_i18n_locales(const json& in);

} // namespace nps
