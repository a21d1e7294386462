// The tokeniser of comment themes (backend/text_terms.*), per language.
#include "text_terms.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using npsd::comment_terms;

namespace {
std::vector<std::string> keys(std::string_view text, std::string_view locale) {
  std::vector<std::string> out;
  for (const auto& t : comment_terms(text, locale))
    out.push_back(t.key);
  return out;
}
bool has(const std::vector<std::string>& v, const std::string& k) {
  return std::find(v.begin(), v.end(), k) != v.end();
}
std::string unigrams(std::string_view text, std::string_view locale) {
  std::string out;
  for (const auto& t : comment_terms(text, locale))
    if (t.words == 1) out += (out.empty() ? "" : "|") + t.key;
  return out;
}
} // namespace

TEST_CASE("English inflections become one term: delivery and deliveries, slow and slowly late") {
  CHECK(unigrams("Delivery", "en") == unigrams("deliveries", "en"));
  CHECK(unigrams("The DELIVERIES were late", "en") == unigrams("delivery late", "en"));
}

TEST_CASE("English negation stays with its word: not fast is not fast") {
  const auto k = keys("The app is not fast. It is fast to install though", "en");
  CHECK(has(k, "not_fast"));
  CHECK(has(k, "fast"));
  CHECK(keys("Checkout isn't fast", "en") == keys("checkout isn’t fast", "en")); // typographic apostrophe
  CHECK(has(keys("don't like the new design", "en"), "don't_like"));
}

TEST_CASE("English stop words are dropped and phrases of two and three words are kept") {
  const auto terms = comment_terms("The customer support was slow and the delivery was late", "en");
  std::vector<std::string> k;
  for (const auto& t : terms)
    k.push_back(t.key);
  CHECK_FALSE(has(k, "the"));
  CHECK_FALSE(has(k, "was"));
  CHECK(has(k, "custom support"));
  CHECK(has(k, "custom support slow"));
  const auto it =
      std::find_if(terms.begin(), terms.end(), [](const auto& t) { return t.key == "custom support"; });
  REQUIRE(it != terms.end());
  CHECK(it->form == "customer support");
  CHECK(it->words == 2);
}

TEST_CASE("Phrases do not run across a sentence end") {
  CHECK_FALSE(has(keys("Great price. Delivery slow", "en"), "price deliveri"));
  CHECK(has(keys("Great price, delivery slow", "en"), "great price"));
}

TEST_CASE("Each term counts once per comment") {
  const auto k = keys("slow slow slow", "en");
  CHECK(std::count(k.begin(), k.end(), "slow") == 1);
}

TEST_CASE("Spanish: inflections merged, no es rápido is a negated term") {
  CHECK(unigrams("entrega", "es") == unigrams("entregas", "es"));
  const auto k = keys("La entrega no es rápida", "es");
  CHECK(has(k, "no_rap"));
  CHECK_FALSE(has(k, "rap"));
  CHECK(has(keys("Entregas rápidas", "es-MX"), "rap"));
}

TEST_CASE("Russian: доставка and доставки are one term, не быстро is negated") {
  CHECK(unigrams("доставка", "ru") == unigrams("доставки", "ru"));
  CHECK(unigrams("Доставка", "ru") == unigrams("доставку", "ru"));
  const auto k = keys("Доставка не быстро", "ru");
  CHECK(has(k, "не_быстр"));
}

TEST_CASE("Chinese without spaces is segmented by ICU's dictionary, with negation kept") {
  const auto k = keys("送货太慢了，服务态度不好", "zh-Hans");
  CHECK(has(k, "送货"));
  CHECK(has(k, "态度"));
  CHECK(has(k, "不_好"));
  CHECK_FALSE(has(k, "的"));
  const auto f = keys("速度不快", "zh-Hans");
  CHECK(has(f, "不_快"));
  CHECK(has(keys("配送很快", "zh-Hant"), "配送"));
}

TEST_CASE("Japanese without spaces is segmented, particles dropped, ない joins the word before") {
  const auto k = keys("配送が遅いです。サポートは速くない", "ja");
  CHECK(has(k, "配送"));
  CHECK(has(k, "遅い"));
  CHECK(has(k, "速く_ない"));
  CHECK_FALSE(has(k, "が"));
  CHECK_FALSE(has(k, "速く"));
}

TEST_CASE("Arabic is stemmed and negated") {
  const auto k = keys("التوصيل لم يكن سريعا", "ar");
  bool negated = false;
  for (const auto& t : k)
    negated = negated || t.rfind("لم_", 0) == 0;
  CHECK(negated);
  CHECK(unigrams("التوصيل", "ar") == unigrams("توصيل", "ar"));
}

TEST_CASE("Portuguese, German, French and Hebrew get their stop words, stems and negations") {
  CHECK(has(keys("A entrega não foi rápida", "pt-BR"), "não_ráp"));
  CHECK(unigrams("Lieferung", "de") == unigrams("Lieferungen", "de"));
  CHECK(has(keys("Die Lieferung war nicht schnell", "de"), "nicht_schnell"));
  CHECK(has(keys("La livraison n'est pas rapide", "fr"), "pas_rapid"));
  CHECK(unigrams("livraison", "fr") == unigrams("livraisons", "fr"));
  CHECK(has(keys("המשלוח לא מהיר", "he"), "לא_מהיר"));
}

namespace {
std::string form_of(std::string_view text, std::string_view locale, const std::string& key) {
  for (const auto& t : comment_terms(text, locale))
    if (t.key == key) return t.form;
  return "<none>";
}
std::vector<std::string> phrase_forms(std::string_view text, std::string_view locale) {
  std::vector<std::string> out;
  for (const auto& t : comment_terms(text, locale))
    if (t.words > 1) out.push_back(t.form);
  return out;
}
} // namespace

TEST_CASE("A Chinese phrase is shown joined: 客服 is 客服, not 客 服") {
  // ICU's dictionary may cut 客服 (customer service) into 客 + 服: the key keeps the cut (the
  // core splits keys on ' '), the form people read does not.
  const auto forms = phrase_forms("客服回复太慢了", "zh-Hans");
  REQUIRE_FALSE(forms.empty());
  for (const auto& f : forms)
    CHECK(f.find(' ') == std::string::npos);
  CHECK(has(forms, "客服"));
  CHECK(form_of("送货太慢了", "zh-Hans", "送货 太慢") == "送货太慢");
  CHECK(form_of("送货不快", "zh-Hans", "送货 不_快") == "送货不快");
  // The script decides, not the locale: Chinese written under an English locale joins too.
  CHECK(form_of("送货太慢了", "en", "送货 太慢") == "送货太慢");
  // A space the writer typed stays.
  CHECK(form_of("送货 太慢了", "zh-Hans", "送货 太慢") == "送货 太慢");
}

TEST_CASE("A Japanese and a Thai phrase are shown joined, a Latin one keeps its space") {
  CHECK(form_of("配送が遅い", "ja", "配送 遅い") == "配送遅い");
  // Thai: words run together, phrases are separated by spaces, and so are their forms.
  CHECK(form_of("ส่งของช้ามาก บริการแย่", "th", "ของ ช้า") == "ของช้า");
  CHECK(form_of("ส่งของช้ามาก บริการแย่", "th", "มาก บริการ") == "มาก บริการ");
  CHECK(form_of("slow delivery", "en", "slow deliveri") == "slow delivery");
  CHECK(form_of("the delivery is not fast", "en", "deliveri not_fast") == "delivery not fast");
  // Where Latin meets Han, a space, even when none was typed.
  CHECK(form_of("app客服", "zh-Hans", "app 客") == "app 客");
}

TEST_CASE("Numbers, punctuation and emoji are not terms") { CHECK(keys("10/10 !!! 😀", "en").empty()); }

TEST_CASE("Languages: stemmers where Snowball has them, none for Chinese, Japanese, Hebrew") {
  for (const char* l : {"en", "es", "ru", "pt", "de", "fr", "ar"})
    CHECK(npsd::has_stemmer(l));
  for (const char* l : {"zh", "ja", "he", ""})
    CHECK_FALSE(npsd::has_stemmer(l));
  CHECK(npsd::term_language("zh-Hant-TW") == "zh");
  CHECK(npsd::term_language("pt-PT") == "pt");
  CHECK(npsd::term_language("ko") == "");
}

TEST_CASE("Invalid UTF-8 does not crash and the rest is still read") {
  const auto k = keys(std::string("slow \xff\xfe delivery"), "en");
  CHECK(has(k, "slow"));
  CHECK(has(k, "deliveri"));
}
