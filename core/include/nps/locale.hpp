// BCP 47 language tags, the subset surveys use: language[-Script][-REGION][-variant...].
#pragma once

#include "nps/result.hpp"

#include <string>
#include <string_view>

namespace nps {

// "es_mx" → "es-MX", "ZH-hans-cn" → "zh-Hans-CN". Errors name `path`.
[[nodiscard]] Result<std::string> canonical_locale(std::string_view tag, std::string_view path = "locale");

} // namespace nps
