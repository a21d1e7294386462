// A table of texts, one row per built-in language ({tag, texts}): the lookup the e-mail
// and alert texts share (email_texts.cpp, alert_texts.cpp). Internal to the core.
#pragma once

#include "nps/i18n.hpp"

#include <cstddef>
#include <string_view>

namespace nps::detail {

// Text i of the row of the built-in language i18n::texts_locale(locale) names; the first
// row's (English) for a language that is not built in; "" past the row's end.
template <class Table>
[[nodiscard]] std::string_view table_text(const Table& table, std::string_view locale,
                                          std::size_t i) noexcept {
  if (i >= table[0].texts.size()) return {};
  const auto lang = i18n::texts_locale(locale);
  for (const auto& row : table)
    if (row.tag == lang) return row.texts[i];
  return table[0].texts[i];
}

} // namespace nps::detail
