#include "nps/i18n.hpp"
#include "nps/text.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

namespace i18n = nps::i18n;
using i18n::Text;

namespace {

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string_view::npos; at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

std::vector<std::string> split(std::string_view s) { // "en-US,fr" → {"en-US", "fr"}; "" → {}
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

} // namespace

TEST_CASE("i18n: keys name every text and read back", "[core][i18n]") {
  std::set<std::string_view> seen;
  for (int i = 0; i < i18n::text_count; ++i) {
    const auto t = static_cast<Text>(i);
    const auto k = i18n::key(t);
    CAPTURE(i, k);
    CHECK_FALSE(k.empty());
    CHECK(seen.insert(k).second);
    CHECK(i18n::text_from_key(k) == t);
  }
  CHECK(i18n::key(Text::question) == "question");
  CHECK(i18n::key(Text::followup_detractor) == "followup_detractor");
  CHECK(i18n::key(Text::score_chosen) == "score_chosen");
  CHECK(i18n::key(static_cast<Text>(i18n::text_count)).empty());
  CHECK_FALSE(i18n::text_from_key("Question").has_value());
  CHECK_FALSE(i18n::text_from_key("").has_value());
}

TEST_CASE("i18n: the built-in languages", "[core][i18n]") {
  CHECK(i18n::builtin_locales() == std::vector<std::string>{"en", "es", "ru", "zh-Hans", "zh-Hant", "pt",
                                                            "pt-PT", "de", "fr", "ja", "ar", "he"});
  for (const auto& l : i18n::builtin_locales())
    CHECK(i18n::is_builtin(l));
  CHECK(i18n::is_builtin("zh-hans"));
  CHECK_FALSE(i18n::is_builtin("zh"));
  CHECK(i18n::is_builtin("pt-pt"));
  CHECK_FALSE(i18n::is_builtin("pt-BR"));
  CHECK_FALSE(i18n::is_builtin("es-MX"));
  CHECK_FALSE(i18n::is_builtin("it"));
  CHECK_FALSE(i18n::is_builtin(""));
}

TEST_CASE("i18n: every built-in text is present, valid UTF-8 and has its placeholders", "[core][i18n]") {
  for (const auto& locale : i18n::builtin_locales()) {
    std::set<std::string_view> distinct;
    for (int i = 0; i < i18n::text_count; ++i) {
      const auto t = static_cast<Text>(i);
      const auto text = i18n::builtin(locale, t);
      CAPTURE(locale, i18n::key(t), text);
      CHECK_FALSE(text.empty());
      CHECK(nps::is_valid_utf8(text));
      CHECK(nps::trim(text) == text);
      distinct.insert(text);
      // Placeholders belong only where the caller fills them in.
      CHECK(count(text, "{product}") == (t == Text::question ? 1u : 0u));
      CHECK(count(text, "{score}") == (t == Text::score_label || t == Text::score_chosen ? 1u : 0u));
      CHECK(count(text, "{current}") == (t == Text::progress ? 1u : 0u));
      CHECK(count(text, "{total}") == (t == Text::progress ? 1u : 0u));
      CHECK(count(text, "{") == count(text, "}"));
    }
    CHECK(distinct.size() == static_cast<std::size_t>(i18n::text_count)); // no row shifted or copied
  }
}

TEST_CASE("i18n: the standard wording", "[core][i18n]") {
  CHECK(i18n::builtin("en", Text::question) ==
        "How likely are you to recommend {product} to a friend or colleague?");
  CHECK(i18n::builtin("es", Text::question) ==
        "¿Qué probabilidad hay de que recomiende {product} a un amigo o colega?");
  CHECK(i18n::builtin("de", Text::question) ==
        "Wie wahrscheinlich ist es, dass Sie {product} einem Freund oder Kollegen weiterempfehlen?");
  CHECK(i18n::builtin("zh-Hant", Text::question) == "您向朋友或同事推薦{product}的可能性有多大？");
  CHECK(i18n::builtin("ru", Text::question) ==
        "Насколько вероятно, что вы порекомендуете {product} другу или коллеге?");
  CHECK(i18n::builtin("zh-Hans", Text::question) == "您向朋友或同事推荐{product}的可能性有多大？");
  CHECK(i18n::builtin("ja", Text::question) == "{product}を友人や同僚に薦める可能性はどのくらいありますか？");
  CHECK(i18n::builtin("en", Text::score_label) == "{score} out of 10");
  CHECK(i18n::builtin("ru", Text::score_label) == "{score} из 10");
}

TEST_CASE("i18n: a language that is not built in falls back by negotiation, then to English",
          "[core][i18n]") {
  CHECK(i18n::builtin("es-MX", Text::submit) == "Enviar");
  CHECK(i18n::builtin("pt-BR", Text::submit) == "Enviar");
  CHECK(i18n::builtin("zh-CN", Text::submit) == "提交");
  CHECK(i18n::builtin("zh", Text::submit) == "提交");
  CHECK(i18n::builtin("iw-IL", Text::submit) == "שליחה"); // the old code of Hebrew
  CHECK(i18n::builtin("zh-TW", Text::submit) == "送出");  // Traditional, never Simplified
  CHECK(i18n::builtin("zh-HK", Text::submit) == "送出");
  CHECK(i18n::builtin("zh-Hant-CN", Text::submit) == "送出");
  CHECK(i18n::builtin("pt-PT", Text::skip) == "Saltar");
  CHECK(i18n::builtin("pt-AO", Text::skip) == "Saltar"); // CLDR: Angola reads pt-PT
  CHECK(i18n::builtin("pt-BR", Text::skip) == "Pular");
  CHECK(i18n::builtin("pt", Text::skip) == "Pular");
  CHECK(i18n::builtin("it", Text::submit) == "Send");
  CHECK(i18n::builtin("not a tag", Text::submit) == "Send");
  CHECK(i18n::builtin("", Text::submit) == "Send");
  CHECK(i18n::builtin("en", static_cast<Text>(99)).empty());
}

TEST_CASE("i18n: negotiation", "[core][i18n]") {
  const std::vector<std::string> builtins = i18n::builtin_locales();
  struct Row {
    const char* requested; // comma-separated, in preference order
    std::vector<std::string> available;
    const char* fallback;
    const char* expected;
  };
  const auto row = GENERATE_COPY(values<Row>({
      {"es", builtins, "en", "es"},
      {"es-MX", builtins, "en", "es"},
      {"es_mx", builtins, "en", "es"},
      {"ES-mx", builtins, "de", "es"},
      {"pt-BR", builtins, "en", "pt"},
      {"pt-PT", builtins, "en", "pt-PT"},
      {"pt-MZ", builtins, "en", "pt-PT"},
      {"pt-AO", {"pt", "en"}, "en", "pt"},
      {"pt-PT", {"pt-BR", "en"}, "en", "pt-BR"},
      {"es-ES", builtins, "en", "es"},
      {"es-419", builtins, "en", "es"},
      {"zh", builtins, "en", "zh-Hans"},
      {"zh-CN", builtins, "en", "zh-Hans"},
      {"zh-SG", builtins, "en", "zh-Hans"},
      {"zh-Hans-CN", builtins, "en", "zh-Hans"},
      {"zh_hans_cn", builtins, "en", "zh-Hans"},
      {"zh-TW", builtins, "en", "zh-Hant"},
      {"zh-HK", builtins, "de", "zh-Hant"},
      {"zh-MO", builtins, "en", "zh-Hant"},
      {"zh-Hant", builtins, "en", "zh-Hant"},
      {"zh-Hant-CN", builtins, "en", "zh-Hant"},
      {"zh-TW", {"en", "zh-Hans"}, "en", "en"}, // never Simplified
      {"zh-HK", {"zh-Hans", "zh"}, "de", "de"},
      {"en-US,fr", builtins, "de", "en"},
      {"en-US,fr", {"fr", "de"}, "de", "fr"},
      {"it,fr", builtins, "en", "fr"},
      {"ar-EG", builtins, "en", "ar"},
      {"he-IL", builtins, "en", "he"},
      {"iw-IL", builtins, "en", "he"},
      {"he", {"iw", "en"}, "en", "iw"},
      {"x-klingon,en-US;q=0.9,*,español,es--MX,,fr", builtins, "en", "fr"}, // malformed ones skipped
      {"en-US-x-twain", builtins, "fr", "en"},
      {"it", builtins, "en", "en"},
      {"it-IT,tr", builtins, "es", "es"},
      {"", builtins, "en", "en"},
      // available regional variants
      {"es", {"en", "es-MX"}, "en", "es-MX"},
      {"es", {"es-MX", "es"}, "en", "es"},
      {"es-AR", {"en", "es-ES", "es-MX"}, "en", "es-ES"},
      {"es-MX", {"es-ES", "es-MX"}, "en", "es-MX"},
      {"es-419", {"es", "en"}, "en", "es"},
      // regional parents (CLDR): Latin America reads es-419, Portuguese outside Brazil pt-PT
      {"es-MX", {"es-ES", "es-419"}, "en", "es-419"},
      {"es-AR", {"es", "es-419"}, "en", "es-419"},
      {"es-ES", {"es-419", "es"}, "en", "es"},
      {"es-ES", {"es-419", "en"}, "en", "es-419"},
      {"es-us", {"es-ES", "es-419"}, "en", "es-419"},
      {"pt-AO", {"pt-BR", "pt-PT"}, "en", "pt-PT"},
      {"pt-BR", {"pt-PT", "pt"}, "en", "pt"},
      {"pt-CH", {"pt", "pt-PT"}, "en", "pt-PT"},
      {"en-GB,es", {"en-US", "es"}, "es", "en-US"},
      {"zh", {"zh-TW", "en"}, "en", "en"},
      {"zh-TW", {"zh-CN", "zh-HK"}, "en", "zh-HK"},
      {"zh-HK", {"zh-Hant", "zh-Hans"}, "en", "zh-Hant"},
      {"zh-TW", {"zh", "en"}, "en", "en"},
      {"zh-CN", {"zh", "en"}, "en", "zh"},
      {"zh-Hans", {"zh-CN"}, "en", "zh-CN"},
      {"sr-Latn", {"sr-Cyrl", "en"}, "en", "en"},
      {"sr", {"sr-Latn", "en"}, "en", "sr-Latn"},
      {"nb-NO", {"no", "en"}, "en", "no"},
      {"de-CH", {}, "fr", "fr"},
  }));
  CAPTURE(row.requested, row.available, row.fallback);
  CHECK(i18n::negotiate(split(row.requested), row.available, row.fallback) == row.expected);
}

TEST_CASE("i18n: text direction", "[core][i18n]") {
  using D = i18n::Direction;
  const auto [tag, dir] = GENERATE(table<const char*, D>({
      {"ar", D::rtl},      {"he", D::rtl},      {"fa", D::rtl},      {"ur", D::rtl},      {"yi", D::rtl},
      {"ps", D::rtl},      {"dv", D::rtl},      {"ckb", D::rtl},     {"sd", D::rtl},      {"ug", D::rtl},
      {"ar-EG", D::rtl},   {"AR_eg", D::rtl},   {"he-IL", D::rtl},   {"iw", D::rtl},      {"fa-AF", D::rtl},
      {"az-Arab", D::rtl}, {"ms-Arab", D::rtl}, {"ku-Arab", D::rtl}, {"pa-PK", D::rtl},   {"az-IR", D::rtl},
      {"en-Hebr", D::rtl}, {"ff-Adlm", D::rtl}, {"ku-Latn", D::ltr}, {"ar-Latn", D::ltr}, {"uz-Cyrl", D::ltr},
      {"sd-Deva", D::ltr}, {"en", D::ltr},      {"en-US", D::ltr},   {"zh-Hans", D::ltr}, {"ja", D::ltr},
      {"ru", D::ltr},      {"ku", D::ltr},      {"az", D::ltr},      {"pa", D::ltr},      {"", D::ltr},
      {"arabic", D::ltr},
  }));
  CAPTURE(tag);
  CHECK(i18n::direction(tag) == dir);
  CHECK(i18n::to_string(D::ltr) == "ltr");
  CHECK(i18n::to_string(D::rtl) == "rtl");
}

TEST_CASE("i18n: format fills placeholders once and leaves the rest", "[core][i18n]") {
  CHECK(i18n::format("How likely are you to recommend {product}?", {{"product", "Acme"}}) ==
        "How likely are you to recommend Acme?");
  CHECK(i18n::format("Question {current} of {total}", {{"current", "2"}, {"total", "5"}}) ==
        "Question 2 of 5");
  CHECK(i18n::format("{score} из 10", {{"score", "7"}}) == "7 из 10");
  CHECK(i18n::format("{a}{a}{b}", {{"a", "x"}, {"b", "y"}}) == "xxy");
  CHECK(i18n::format("{unknown} and {product}", {{"product", "Ж"}}) == "{unknown} and Ж");
  CHECK(i18n::format("{product}", {{"product", "{score}"}, {"score", "9"}}) == "{score}"); // one pass
  CHECK(i18n::format("{product}", {{"product", "first"}, {"product", "second"}}) == "first");
  CHECK(i18n::format("{{product}}", {{"product", "A"}}) == "{A}");
  CHECK(i18n::format("{} { product } {product", {{"product", "A"}}) == "{} { product } {product");
  CHECK(i18n::format("}{", {}) == "}{");
  CHECK(i18n::format("", {{"product", "A"}}).empty());
  CHECK(i18n::format("no placeholders", {}) == "no placeholders");
  CHECK(i18n::format("推荐{product}的可能性", {{"product", "微信"}}) == "推荐微信的可能性");
  CHECK(i18n::format(i18n::builtin("de", Text::question), {{"product", "Acme"}}) ==
        "Wie wahrscheinlich ist es, dass Sie Acme einem Freund oder Kollegen weiterempfehlen?");
}
