// Inside the core: the built-in languages and where their texts come from.
#pragma once

#include "nps/i18n.hpp"

#include <array>
#include <cstddef>
#include <string_view>

namespace nps::i18n::detail {

// The built-in languages, "en" first (the fallback of every other).
inline constexpr std::array<std::string_view, 10> builtin_tags = {"en", "es", "ru", "zh-Hans", "pt",
                                                                  "de", "fr", "ja", "ar",      "he"};

// Text t of builtin_tags[language] ("" out of range). Defined by i18n_texts.cpp (the table);
// the browser's flow module links web/flow_texts.cpp instead, whose definition comes first,
// so the linker never pulls the table's object file out of the core library.
[[nodiscard]] std::string_view builtin_text(std::size_t language, Text t) noexcept;

} // namespace nps::i18n::detail
