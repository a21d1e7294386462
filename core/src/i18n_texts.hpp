// Inside the core: the built-in languages and where their texts come from.
#pragma once

#include "nps/i18n.hpp"

#include <array>
#include <cstddef>
#include <string_view>

namespace nps::i18n::detail {

// The built-in languages, "en" first (the fallback of every other).
inline constexpr std::array<std::string_view, 12> builtin_tags = {
    "en", "es", "ru", "zh-Hans", "zh-Hant", "pt", "pt-PT", "de", "fr", "ja", "ar", "he"};

// Text t of builtin_tags[language] ("" out of range). Not part of the core libraries: a
// program links one definition, the table's (i18n_texts.cpp, library nps::builtin_texts,
// which nps::core links) or the browser flow module's (web/flow_texts.cpp, nps_flow_texts:
// one language installed at run time). See core/CMakeLists.txt.
[[nodiscard]] std::string_view builtin_text(std::size_t language, Text t) noexcept;

} // namespace nps::i18n::detail
