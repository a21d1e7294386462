// The flow module's built-in texts: none until the widget installs a language.
//
// The core keeps every built-in language in core/src/i18n_texts.cpp (15 KB, 7.8 KB gzipped
// when there were ten), of which a visitor reads one language. The flow module links this
// file (library nps_flow_texts, web/CMakeLists.txt) instead of that table (library
// nps::builtin_texts): the core libraries leave both out, so each program picks its texts.
// The widget asks the core which language it needs (flow.locale), fetches that file
// (web/dist/nps-texts-<tag>.json, written by web/build.mjs from the core's own i18n.strings,
// so the texts are the same bytes) and installs it here with i18n.install before
// flow.start. A language that was not installed has no texts ("").
#include "i18n_texts.hpp"
#include "nps/json.hpp"
#include "nps/result.hpp"

#include <array>
#include <string>

namespace nps::i18n::detail {

namespace {
std::array<std::array<std::string, text_count>, builtin_tags.size()> installed;
} // namespace

std::string_view builtin_text(std::size_t language, Text t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  if (language >= installed.size() || i >= installed[language].size()) return {};
  return installed[language][i];
}

// {"locale": "es", "texts": {"question": "...", ...every key of enum Text...}} (the output
// of i18n.strings; other fields are ignored). All or nothing: a bad input changes nothing.
Errors install(const json& in) {
  const auto member = [](const json& o, std::string_view k) -> const json* {
    if (!o.is_object()) return nullptr;
    auto it = o.find(k);
    return it == o.end() ? nullptr : &*it;
  };
  Errors errors;
  std::size_t language = builtin_tags.size();
  if (const json* l = member(in, "locale"); l && l->is_string())
    for (std::size_t i = 0; i < builtin_tags.size(); ++i)
      if (builtin_tags[i] == l->get_ref<const std::string&>()) language = i;
  if (language == builtin_tags.size())
    errors.push_back(Error{ErrorCode::invalid_value, "locale", "one of the built-in languages"});
  const json* texts = member(in, "texts");
  std::array<std::string, text_count> got;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const std::string_view name = key(static_cast<Text>(i));
    const json* t = texts ? member(*texts, name) : nullptr;
    if (t && t->is_string())
      got[i] = t->get<std::string>();
    else
      errors.push_back(Error{ErrorCode::required, "texts." + std::string(name), "a string"});
  }
  if (errors.empty()) installed[language] = std::move(got);
  return errors;
}

} // namespace nps::i18n::detail
