#include "nps/i18n.hpp"

#include "i18n_texts.hpp"

#include <array>
#include <cstddef>

namespace nps::i18n {

namespace {

// ---- the texts' keys (the texts themselves are in i18n_texts.cpp) ---------------------

constexpr std::array<std::string_view, text_count> keys = {
    "question",
    "question_generic",
    "low_label",
    "high_label",
    "score_label",
    "followup_detractor",
    "followup_passive",
    "followup_promoter",
    "placeholder",
    "submit",
    "next",
    "back",
    "skip",
    "close",
    "dismiss",
    "thanks",
    "thanks_link",
    "progress",
    "required",
    "choose_one",
    "choose_any",
    "dialog_label",
    "score_chosen",
};

using detail::builtin_tags;
constexpr std::size_t english = 0;
static_assert(builtin_tags[english] == "en");

// Languages written right to left by default, and right-to-left scripts (ISO 15924).
constexpr std::array<std::string_view, 24> rtl_languages = {
    "ar", "he",  "fa",  "ur",  "yi",  "ps",  "dv",  "ckb", "sd",  "ug",  "iw",  "ji",
    "ks", "syr", "nqo", "prs", "pnb", "lrc", "mzn", "sdh", "bal", "bqi", "glk", "arc",
};
constexpr std::array<std::string_view, 11> rtl_scripts = {
    "Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr", "Mend", "Yezi",
};
// Language and region pairs whose likely script (CLDR) is Arabic although the language's
// usual script is not: Punjabi in Pakistan, Azerbaijani in Iran, Uzbek in Afghanistan.
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> rtl_regions = {{
    {"pa", "PK"},
    {"az", "IR"},
    {"uz", "AF"},
}};

// Regional parents (CLDR parentLocales): Latin American Spanish reads es-419 and Portuguese
// outside Brazil reads pt-PT before the bare language, so a survey written in es-ES and
// es-419 gives es-MX the latter, and a visitor from Angola gets European Portuguese. The
// regions two letters each.
struct RegionalParent {
  std::string_view language, parent, regions;
};
constexpr std::array<RegionalParent, 2> regional_parents = {{
    {"es", "419", "ARBOBRBZCLCOCRCUDOECGTHNMXNIPAPEPRPYSVUSUYVE"},
    {"pt", "PT", "AOCHCVFRGQGWLUMOMZSTTL"},
}};

// Deprecated language codes and their successors, compared as equal.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> language_aliases = {{
    {"iw", "he"},
    {"ji", "yi"},
    {"in", "id"},
    {"nb", "no"},
}};

// ---- language tags without allocating ----------------------------------------------------

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

bool all_alpha(std::string_view s) noexcept {
  for (char c : s)
    if (!is_alpha(c)) return false;
  return true;
}
bool all_digit(std::string_view s) noexcept {
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}
bool all_alnum(std::string_view s) noexcept {
  for (char c : s)
    if (!is_alpha(c) && !is_digit(c)) return false;
  return true;
}

std::string_view unalias(std::string_view language) noexcept {
  for (const auto& [old_code, code] : language_aliases)
    if (iequals(language, old_code)) return code;
  return language;
}

// A tag split into subtags (views into the original text, or into string literals), the
// same grammar as canonical_locale: language (2–3 letters), optional script (4 letters),
// optional region (2 letters or 3 digits), then variants and extensions (1–8 letters or
// digits); at most 35 characters.
struct Tag {
  static constexpr std::size_t max_subtags = 18; // 35 characters hold at most 18 subtags
  std::array<std::string_view, max_subtags> sub{};
  std::size_t n = 0;
  bool has_script = false;
  bool has_region = false;

  [[nodiscard]] std::string_view language() const noexcept { return sub[0]; }
  [[nodiscard]] std::string_view script() const noexcept { return has_script ? sub[1] : std::string_view(); }
  [[nodiscard]] std::string_view region() const noexcept {
    return has_region ? sub[has_script ? 2 : 1] : std::string_view();
  }
};

std::optional<Tag> parse_tag(std::string_view text) noexcept {
  if (text.empty() || text.size() > 35) return std::nullopt;
  Tag t;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '-' && text[i] != '_') continue;
    if (t.n == Tag::max_subtags) return std::nullopt;
    t.sub[t.n++] = text.substr(start, i - start);
    start = i + 1;
  }
  const std::string_view lang = t.sub[0];
  if (lang.size() < 2 || lang.size() > 3 || !all_alpha(lang)) return std::nullopt;
  std::size_t i = 1;
  if (i < t.n && t.sub[i].size() == 4 && all_alpha(t.sub[i])) {
    t.has_script = true;
    ++i;
  }
  if (i < t.n &&
      ((t.sub[i].size() == 2 && all_alpha(t.sub[i])) || (t.sub[i].size() == 3 && all_digit(t.sub[i])))) {
    t.has_region = true;
    ++i;
  }
  for (; i < t.n; ++i)
    if (t.sub[i].empty() || t.sub[i].size() > 8 || !all_alnum(t.sub[i])) return std::nullopt;
  return t;
}

bool same_language(std::string_view a, std::string_view b) noexcept {
  return iequals(unalias(a), unalias(b));
}

// The first `n` subtags of `a` equal all of `b`'s (case-insensitive; legacy language codes
// equal their successors).
bool same_prefix(const Tag& a, std::size_t n, const Tag& b) noexcept {
  if (n != b.n) return false;
  if (!same_language(a.sub[0], b.sub[0])) return false;
  for (std::size_t i = 1; i < n; ++i)
    if (!iequals(a.sub[i], b.sub[i])) return false;
  return true;
}

// Chinese is matched by script: Traditional for Taiwan, Hong Kong and Macao (and an explicit
// Hant), Simplified otherwise (and an explicit Hans).
std::string_view chinese_script(const Tag& t) noexcept {
  if (t.has_script) return t.script();
  const std::string_view r = t.region();
  if (iequals(r, "TW") || iequals(r, "HK") || iequals(r, "MO")) return "Hant";
  return "Hans";
}

bool is_chinese(const Tag& t) noexcept { return iequals(t.language(), "zh"); }

// The index in `available` of the best match for one requested tag, or npos. `available` is
// any range of things convertible to std::string_view.
constexpr std::size_t npos = static_cast<std::size_t>(-1);

template <class Range>
std::size_t find_exact(const Tag& want, std::size_t n, const Range& available) noexcept {
  std::size_t index = 0;
  for (const auto& a : available) {
    if (auto tag = parse_tag(a); tag && same_prefix(want, n, *tag)) return index;
    ++index;
  }
  return npos;
}

// language-parent (es-419, pt-PT) when the requested tag's region has that parent.
template <class Range> std::size_t find_parent(const Tag& requested, const Range& available) noexcept {
  if (!requested.has_region || requested.has_script) return npos;
  for (const auto& p : regional_parents) {
    if (!same_language(requested.language(), p.language)) continue;
    bool listed = false;
    for (std::size_t k = 0; k + 2 <= p.regions.size(); k += 2)
      listed = listed || iequals(requested.region(), p.regions.substr(k, 2));
    if (!listed) return npos;
    Tag parent;
    parent.sub[0] = p.language;
    parent.sub[1] = p.parent;
    parent.n = 2;
    parent.has_region = true;
    return find_exact(parent, 2, available);
  }
  return npos;
}

template <class Range> std::size_t match(const Tag& requested, const Range& available) noexcept {
  // 1. The tag as written.
  if (auto i = find_exact(requested, requested.n, available); i != npos) return i;

  // 2. Chinese without a script gets the script of its region: zh-TW → zh-Hant-TW.
  Tag want = requested;
  const bool chinese = is_chinese(requested);
  if (chinese && !requested.has_script) {
    if (want.n == Tag::max_subtags) return npos;
    for (std::size_t k = want.n; k > 1; --k)
      want.sub[k] = want.sub[k - 1];
    want.sub[1] = chinese_script(requested);
    want.has_script = true;
    ++want.n;
  }

  // 3. Drop subtags from the end (with a singleton left dangling before them), down to the
  //    language; Chinese stops at language-script, and only Simplified goes on to bare zh.
  //    Just before the bare language, its regional parent: es-MX → es-419, pt-AO → pt-PT.
  const std::size_t shortest = chinese ? 2 : 1;
  for (std::size_t n = want.n; n >= shortest; --n) {
    if (n == 1)
      if (auto i = find_parent(requested, available); i != npos) return i;
    if (n < want.n && want.sub[n - 1].size() == 1) continue;               // "en-x-foo" → not "en-x"
    if (n == requested.n && !(chinese && !requested.has_script)) continue; // tried in 1
    if (auto i = find_exact(want, n, available); i != npos) return i;
  }
  if (chinese && iequals(want.sub[1], "Hans"))
    if (auto i = find_exact(want, 1, available); i != npos) return i;

  // 4. The same language in any region (and, for Chinese, the same script): the first one.
  std::size_t index = 0;
  for (const auto& a : available) {
    const auto tag = parse_tag(a);
    if (tag && same_language(tag->language(), requested.language())) {
      bool script_fits = true;
      if (chinese)
        script_fits = iequals(chinese_script(*tag), chinese_script(requested));
      else if (tag->has_script && requested.has_script)
        script_fits = iequals(tag->script(), requested.script());
      if (script_fits) return index;
    }
    ++index;
  }
  return npos;
}

struct BuiltinTags {
  [[nodiscard]] auto begin() const noexcept { return iterator{builtin_tags.data()}; }
  [[nodiscard]] auto end() const noexcept { return iterator{builtin_tags.data() + builtin_tags.size()}; }
  struct iterator {
    const std::string_view* p;
    std::string_view operator*() const noexcept { return *p; }
    iterator& operator++() noexcept {
      ++p;
      return *this;
    }
    bool operator!=(const iterator& o) const noexcept { return p != o.p; }
  };
};

std::size_t builtin_index(std::string_view locale) noexcept {
  const auto tag = parse_tag(locale);
  if (!tag) return english;
  const std::size_t i = match(*tag, BuiltinTags{});
  return i == npos ? english : i;
}

bool is_placeholder_name(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '_'; }

} // namespace

std::string_view key(Text t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  return i < keys.size() ? keys[i] : std::string_view();
}

std::optional<Text> text_from_key(std::string_view k) noexcept {
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == k) return static_cast<Text>(i);
  return std::nullopt;
}

const std::vector<std::string>& builtin_locales() {
  static const std::vector<std::string> tags = [] {
    std::vector<std::string> v;
    for (const auto b : builtin_tags)
      v.emplace_back(b);
    return v;
  }();
  return tags;
}

bool is_builtin(std::string_view canonical_locale) noexcept {
  const auto tag = parse_tag(canonical_locale);
  if (!tag) return false;
  for (const auto b : builtin_tags) {
    const auto builtin_tag = parse_tag(b);
    if (builtin_tag->n != tag->n) continue;
    bool same = true;
    for (std::size_t i = 0; i < tag->n; ++i)
      same = same && iequals(tag->sub[i], builtin_tag->sub[i]);
    if (same) return true;
  }
  return false;
}

std::string_view texts_locale(std::string_view locale) noexcept {
  return builtin_tags[builtin_index(locale)];
}

std::string_view builtin(std::string_view locale, Text t) noexcept {
  const auto i = static_cast<std::size_t>(t);
  if (i >= static_cast<std::size_t>(text_count)) return {};
  return detail::builtin_text(builtin_index(locale), t);
}

std::string negotiate(const std::vector<std::string>& requested, const std::vector<std::string>& available,
                      std::string_view fallback) {
  for (const auto& r : requested) {
    const auto tag = parse_tag(r);
    if (!tag) continue;
    if (const std::size_t i = match(*tag, available); i != npos) return available[i];
  }
  return std::string(fallback);
}

Direction direction(std::string_view locale) noexcept {
  const auto tag = parse_tag(locale);
  if (!tag) return Direction::ltr;
  if (tag->has_script) {
    for (auto s : rtl_scripts)
      if (iequals(tag->script(), s)) return Direction::rtl;
    return Direction::ltr;
  }
  for (auto l : rtl_languages)
    if (iequals(tag->language(), l)) return Direction::rtl;
  for (const auto& [l, r] : rtl_regions)
    if (iequals(tag->language(), l) && iequals(tag->region(), r)) return Direction::rtl;
  return Direction::ltr;
}

std::string_view to_string(Direction d) noexcept { return d == Direction::rtl ? "rtl" : "ltr"; }

std::string format(std::string_view pattern,
                   const std::vector<std::pair<std::string_view, std::string>>& params) {
  std::string out;
  out.reserve(pattern.size());
  std::size_t i = 0;
  while (i < pattern.size()) {
    const std::size_t open = pattern.find('{', i);
    if (open == std::string_view::npos) break;
    out.append(pattern, i, open - i);
    std::size_t close = open + 1;
    while (close < pattern.size() && is_placeholder_name(pattern[close]))
      ++close;
    const std::pair<std::string_view, std::string>* found = nullptr;
    if (close < pattern.size() && pattern[close] == '}' && close > open + 1) {
      const std::string_view name = pattern.substr(open + 1, close - open - 1);
      for (const auto& p : params)
        if (p.first == name) {
          found = &p;
          break;
        }
    }
    if (found) {
      out += found->second;
      i = close + 1;
    } else {
      out += '{';
      i = open + 1;
    }
  }
  if (i < pattern.size()) out.append(pattern, i, std::string_view::npos);
  return out;
}

} // namespace nps::i18n
