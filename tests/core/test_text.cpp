#include "nps/locale.hpp"
#include "nps/text.hpp"

#include <catch2/catch.hpp>

TEST_CASE("text: UTF-8 validation finds the first bad byte", "[core][text]") {
  CHECK(nps::is_valid_utf8("¿Recomendarías? Рекомендуете? 推荐吗? 🙂"));
  CHECK(nps::invalid_utf8_at("ok\xFF") == 2u);
  CHECK(nps::invalid_utf8_at("\xC0\xAF") == 0u);         // overlong '/'
  CHECK(nps::invalid_utf8_at("a\xED\xA0\x80") == 1u);    // surrogate U+D800
  CHECK(nps::invalid_utf8_at("\xF4\x90\x80\x80") == 0u); // above U+10FFFF
  CHECK(nps::invalid_utf8_at("\xE4\xBD") == 0u);         // truncated
}

TEST_CASE("text: trim removes Unicode spaces people type", "[core][text]") {
  CHECK(nps::trim("  hola \t") == "hola");
  CHECK(nps::trim("\xE3\x80\x80很好\xE3\x80\x80") == "很好"); // ideographic spaces
  CHECK(nps::trim("\xC2\xA0x\xC2\xA0") == "x");
  CHECK(nps::trim("\xEF\xBB\xBFx") == "x");
  CHECK(nps::trim("   ").empty());
}

TEST_CASE("text: normalize unifies line ends and drops control characters", "[core][text]") {
  CHECK(nps::normalize_text(" a\r\nb\rc\x01\x7F d ") == "a\nb\nc d");
  CHECK(nps::code_points("Привет") == 6);
}

TEST_CASE("locale: canonical BCP 47 tags", "[core][locale]") {
  CHECK(nps::canonical_locale("es_mx").value() == "es-MX");
  CHECK(nps::canonical_locale("ZH-hans-cn").value() == "zh-Hans-CN");
  CHECK(nps::canonical_locale("es-419").value() == "es-419");
  CHECK(nps::canonical_locale("ar").value() == "ar");
  CHECK_FALSE(nps::canonical_locale("").ok());
  CHECK_FALSE(nps::canonical_locale("e").ok());
  CHECK_FALSE(nps::canonical_locale("español").ok());
  CHECK(nps::canonical_locale("x", "survey.locale").error().path == "survey.locale");
}
