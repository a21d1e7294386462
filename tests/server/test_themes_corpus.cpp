// The proof of comment themes (issue 16): a synthetic corpus in en, es, ru, zh-Hans, ja and ar
// with themes planted per category (inflected, negated), stored through the engine and read
// back through GET /v1/admin/surveys/{id}/themes. The planted themes must come out on top,
// the words every category uses alike must not, and the impact interval of the planted
// detractor theme must cover the effect the generator planted.
#include "http_support.hpp"
#include "text_terms.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace npsd;
using namespace npsd::test;
using nps::json;

namespace {

struct Plant {
  std::string locale;
  std::vector<std::string> detractor_theme; // variants: inflections and negations
  std::vector<std::string> promoter_theme;
  std::vector<std::string> filler; // written alike by every category
  std::string sep;
};

const std::vector<Plant>& plants() {
  static const std::vector<Plant> all = {
      {"en",
       {"The delivery was slow", "deliveries are slow", "the delivery is not fast"},
       {"great prices", "the price is great"},
       {"app", "website", "order", "account", "email", "phone", "store", "team"},
       ", "},
      {"es",
       {"La entrega es lenta", "entregas lentas", "la entrega no es rápida"},
       {"buenos precios", "el precio es bueno"},
       {"aplicación", "sitio", "pedido", "cuenta", "correo", "teléfono", "tienda", "equipo"},
       ", "},
      {"ru",
       {"Доставка медленная", "доставки медленные", "доставка не быстрая"},
       {"хорошие цены", "цена хорошая"},
       {"приложение", "сайт", "заказ", "аккаунт", "почта", "телефон", "магазин", "команда"},
       ", "},
      {"zh-Hans",
       {"送货太慢了", "送货很慢", "送货不快"},
       {"价格便宜", "价格很便宜"},
       {"应用", "网站", "订单", "账户", "邮件", "电话", "商店", "团队"},
       "，"},
      {"ja",
       {"配送が遅い", "配送が遅かった", "配送は速くない"},
       {"価格が安い", "価格がとても安い"},
       {"アプリ", "ウェブサイト", "注文", "アカウント", "メール", "電話", "店舗", "チーム"},
       "、"},
      {"ar",
       {"التوصيل بطيء", "توصيل بطيء جدا", "التوصيل لم يكن سريعا"},
       {"الأسعار ممتازة", "السعر ممتاز"},
       {"التطبيق", "الموقع", "الطلب", "الحساب", "البريد", "الهاتف", "المتجر", "الفريق"},
       "، "},
  };
  return all;
}

// Respondents who mention the detractor theme score from A (NPS −40), the others from B
// (NPS +30): the planted impact is −70 points.
constexpr double kPlantedImpact = -70;
int score_from(std::mt19937& rng, bool mentions) {
  std::uniform_real_distribution<double> u(0, 1);
  const double x = u(rng);
  const double det = mentions ? 0.6 : 0.15, pas = mentions ? 0.2 : 0.4;
  if (x < det) return static_cast<int>(rng() % 7); // 0..6
  if (x < det + pas) return 7 + static_cast<int>(rng() % 2);
  return 9 + static_cast<int>(rng() % 2);
}

std::set<std::string> keys_of(const std::vector<std::string>& texts, const std::string& locale) {
  std::set<std::string> out;
  for (const auto& t : texts)
    for (const auto& term : comment_terms(t, locale))
      out.insert(term.key);
  return out;
}

} // namespace

TEST_CASE("themes corpus: planted themes come out on top in six languages, with the planted impact covered",
          "[server][themes][corpus]") {
  Running s;
  REQUIRE(create_survey(s, {{"id", "shop"}, {"name", "Shop"}}) == 201);
  std::mt19937 rng(20260601);
  std::vector<std::pair<nps::Response, Millis>> rows;
  int key = 0;
  for (const auto& plant : plants())
    for (int i = 0; i < 600; ++i) {
      const bool mentions = rng() % 10 < 3;
      const int score = score_from(rng, mentions);
      std::string text = mentions ? plant.detractor_theme[rng() % plant.detractor_theme.size()] : "";
      if (score >= 9 && rng() % 2) text += (text.empty() ? "" : plant.sep) + plant.promoter_theme[rng() % 2];
      for (int f = 0; f < 2; ++f)
        text += (text.empty() ? "" : plant.sep) + plant.filler[rng() % plant.filler.size()];
      nps::Response r;
      r.survey_id = "shop";
      r.score = nps::Score::from_int(score).value();
      r.idempotency_key = "corpus-" + std::to_string(100000 + key++);
      r.comment = text;
      r.locale = plant.locale;
      rows.emplace_back(std::move(r), kNow - static_cast<Millis>(i % 28) * 86'400'000LL);
    }
  REQUIRE(s.server->storage().import_responses(rows) == rows.size());

  auto c = s.client();
  for (const auto& plant : plants()) {
    INFO(plant.locale);
    const auto detractor_keys = keys_of(plant.detractor_theme, plant.locale);
    const auto promoter_keys = keys_of(plant.promoter_theme, plant.locale);
    const auto filler_keys = keys_of(plant.filler, plant.locale);
    auto r =
        c->Get(("/v1/admin/surveys/shop/themes?from=2025-05-01&locale=" + plant.locale).c_str(), s.admin());
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const json j = body_of(r);
    CHECK(j["comments"] == 600);
    REQUIRE_FALSE(j["detractors"].empty());
    const json& top = j["detractors"][0];
    INFO(top.dump());
    CHECK(detractor_keys.count(top["term"]) == 1);
    CHECK(top["significant"] == true);
    // Every form of the theme is one term: the variants' shared word leads with all mentions.
    const auto ci = top["impact"]["ci95"];
    CHECK(ci[0].get<double>() <= kPlantedImpact);
    CHECK(ci[1].get<double>() >= kPlantedImpact);
    REQUIRE_FALSE(j["promoters"].empty());
    CHECK(promoter_keys.count(j["promoters"][0]["term"]) == 1);
    // Phrases pruned (core prune_phrases): the planted phrase of the first variant ("delivery
    // slow", "送货太慢") is listed with its second word folded under it; that word, which the
    // corpus writes only inside the phrase, is not listed on its own. Chinese and Japanese
    // phrases are shown joined, without a space.
    CommentTerm phrase;
    for (const auto& t : comment_terms(plant.detractor_theme[0], plant.locale))
      if (t.words == 2 && phrase.key.empty()) phrase = t;
    REQUIRE_FALSE(phrase.key.empty());
    const std::string word = phrase.key.substr(phrase.key.find(' ') + 1);
    const json* listed = nullptr;
    for (const auto& item : j["detractors"])
      if (item["term"] == phrase.key) listed = &item;
    INFO("phrase " << phrase.key << ", word " << word << ": " << j["detractors"].dump());
    REQUIRE(listed != nullptr);
    if (plant.locale == "zh-Hans" || plant.locale == "ja")
      CHECK((*listed)["form"].get<std::string>().find(' ') == std::string::npos);
    bool under = false;
    for (const auto& f : (*listed)["folded"])
      under = under || f["term"] == word;
    CHECK(under);
    for (const char* list : {"detractors", "detractors_vs_passives", "promoters"}) {
      std::set<std::string> terms, folded;
      for (const auto& item : j[list]) {
        terms.insert(item["term"].get<std::string>());
        for (const auto& f : item["folded"])
          CHECK(folded.insert(f["term"].get<std::string>()).second); // under one phrase only
      }
      CHECK(terms.count(word) == 0);
      for (const auto& f : folded)
        CHECK(terms.count(f) == 0);
    }
    for (const char* list : {"detractors", "detractors_vs_passives", "promoters"})
      for (const auto& item : j[list]) {
        INFO(list << ": " << item.dump());
        if (filler_keys.count(item["term"])) CHECK(item["significant"] == false);
        if (std::string(list) == "promoters")
          CHECK(detractor_keys.count(item["term"]) == 0);
        else
          CHECK(promoter_keys.count(item["term"]) == 0);
      }
  }

  // All languages together: the themes on top are planted ones, whatever their language.
  const json all = body_of(c->Get("/v1/admin/surveys/shop/themes?from=2025-05-01", s.admin()));
  CHECK(all["comments"] == 3600);
  CHECK(all["languages"].size() == 6);
  std::set<std::string> planted;
  for (const auto& plant : plants())
    for (const auto& k : keys_of(plant.detractor_theme, plant.locale))
      planted.insert(k);
  REQUIRE(all["detractors"].size() >= 5);
  for (const auto& item : all["detractors"]) {
    INFO(item.dump());
    CHECK(planted.count(item["term"]) == 1);
  }
}
