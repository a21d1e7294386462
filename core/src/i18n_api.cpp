// The i18n operations of invoke() (i18n_api.hpp), moved out of api.cpp.
#include "i18n_api.hpp"

#include "api_fields.hpp"

#include "nps/i18n.hpp"
#include "nps/locale.hpp"

#include <string>
#include <utility>
#include <vector>

namespace nps {

using detail::require_strings;
using detail::string_array;
using detail::unknown_fields;

Result<ordered_json> i18n_negotiate(const json& in) {
  if (!in.is_object())
    return type_error("", "an object with \"requested\", \"available\" and \"fallback\"", in);
  Errors errors;
  unknown_fields(in, {"requested", "available", "fallback"}, errors);
  std::vector<std::string> requested, available;
  for (auto [name, target] : {std::pair{"requested", &requested}, std::pair{"available", &available}}) {
    if (!in.contains(name)) {
      errors.push_back(Error{ErrorCode::required, name, "required"});
      continue;
    }
    auto list = string_array(in.at(name), name);
    if (!list) {
      errors.insert(errors.end(), list.errors().begin(), list.errors().end());
      continue;
    }
    *target = std::move(*list);
  }
  // The survey's languages must be language tags; the visitor's are taken as they come
  // (malformed ones are skipped).
  for (std::size_t i = 0; i < available.size(); ++i) {
    auto tag = canonical_locale(available[i], join_path("available", i));
    if (!tag) errors.push_back(tag.error());
  }
  std::string fallback = "en";
  if (in.contains("fallback")) {
    const json& f = in.at("fallback");
    if (!f.is_string()) {
      errors.push_back(type_error("fallback", "a language tag", f));
    } else {
      auto tag = canonical_locale(f.get_ref<const std::string&>(), "fallback");
      if (tag)
        fallback = f.get<std::string>();
      else
        errors.push_back(tag.error());
    }
  }
  if (!errors.empty()) return errors;
  return ordered_json(i18n::negotiate(requested, available, fallback));
}

// "es-MX" or ["es-MX", "en"] (navigator.languages): the built-in texts for the best built-in
// language, "en" when none fits.
Result<ordered_json> i18n_strings(const json& in) {
  std::vector<std::string> requested;
  if (in.is_string()) {
    requested.push_back(in.get<std::string>());
  } else if (in.is_array()) {
    auto list = string_array(in, "");
    if (!list) return list.errors();
    requested = std::move(*list);
  } else {
    return type_error("", "a language tag or an array of language tags", in);
  }
  const std::string locale = i18n::negotiate(requested, i18n::builtin_locales(), "en");
  ordered_json texts = ordered_json::object();
  for (int i = 0; i < i18n::text_count; ++i) {
    const auto t = static_cast<i18n::Text>(i);
    texts[std::string(i18n::key(t))] = std::string(i18n::builtin(locale, t));
  }
  return ordered_json{{"locale", locale},
                      {"dir", std::string(i18n::to_string(i18n::direction(locale)))},
                      {"texts", std::move(texts)}};
}

Result<ordered_json> i18n_format(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"pattern\" and \"params\"", in);
  Errors errors;
  unknown_fields(in, {"pattern", "params"}, errors);
  if (!in.contains("pattern"))
    errors.push_back(Error{ErrorCode::required, "pattern", "required"});
  else if (!in.at("pattern").is_string())
    errors.push_back(type_error("pattern", "a string", in.at("pattern")));
  std::vector<std::pair<std::string_view, std::string>> params;
  if (in.contains("params")) {
    const json& p = in.at("params");
    if (!p.is_object()) {
      errors.push_back(type_error("params", "an object of names and values", p));
    } else {
      for (auto it = p.begin(); it != p.end(); ++it) { // keys stay owned by `in`
        const std::string& name = it.key();
        const json& value = it.value();
        if (value.is_string())
          params.emplace_back(name, value.get<std::string>());
        else if (value.is_number())
          params.emplace_back(name, dump(value));
        else
          errors.push_back(type_error(join_path("params", name), "a string or a number", value));
      }
    }
  }
  if (!errors.empty()) return errors;
  return ordered_json(i18n::format(in.at("pattern").get_ref<const std::string&>(), params));
}

Result<ordered_json> op_i18n_locales(const json& in) {
  if (!in.is_null()) return type_error("", "null", in);
  return ordered_json(i18n::builtin_locales());
}

} // namespace nps
