#include "demo_data.hpp"

#include "auth.hpp"
#include "nps/json.hpp"
#include "nps/survey.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <random>
#include <thread>
#include <vector>

namespace npsd {

namespace {

using nps::json;

struct Segment {
  const char* channel;
  const char* locale;
  const char* device;
};

// Comments by category and language; a few are hostile on purpose (the dashboard must
// show them as text).
const std::vector<std::string> kDetractor = {
    "Checkout keeps failing on my phone.",
    "Support never answered my ticket.",
    "Too expensive for what it does.",
    "La aplicación se cierra al pagar.",
    "El soporte tardó una semana en responder.",
    "Приложение постоянно вылетает.",
    "Не могу найти, где отменить подписку.",
    "付款时总是出错。",
    "客服回复太慢了。",
    "Die App ist seit dem Update sehr langsam.",
    "<script>alert('xss')</script> broken",
    "<img src=x onerror=alert(1)> images do not load",
};
const std::vector<std::string> kPassive = {
    "Fine, but the search could be better.",
    "Works, nothing special.",
    "Está bien, pero faltan funciones.",
    "Нормально, но дороговато.",
    "还可以，界面有点乱。",
    "Ganz okay.",
};
const std::vector<std::string> kPromoter = {
    "Love how fast it is!",
    "Great support, they fixed my issue in minutes.",
    "Me encanta, la uso todos los días.",
    "Отличный сервис, рекомендую друзьям.",
    "非常好用，推荐！",
    "Super App, sehr zuverlässig.",
};

} // namespace

std::size_t fill_demo_data(Storage& storage, Millis now, const DemoOptions& o) {
  if (!storage.survey(o.survey_id)) {
    auto parsed = nps::parse_survey(json{{"id", o.survey_id}, {"name", "Acme app (demo data)"}});
    if (!parsed) throw StorageError("demo survey rejected by the core: " + parsed.errors().front().message);
    SurveyRecord rec;
    rec.id = o.survey_id;
    rec.definition = nps::dump(nps::to_json(*parsed));
    rec.etag = "\"" + sha256_hex(rec.definition).substr(0, 32) + "\"";
    (void)storage.put_survey(rec, now);
  }
  static constexpr std::array<const char*, 3> kChannels = {"web", "app", "email"};
  static constexpr std::array<const char*, 5> kLocales = {"en", "es", "ru", "zh-Hans", "de"};
  static constexpr std::array<const char*, 3> kDevices = {"desktop", "mobile", "tablet"};
  static constexpr std::array<const char*, 3> kPlans = {"free", "pro", "team"};

  // Build every answer first (deterministic), then store them from a few threads so the
  // writer commits them in groups.
  std::mt19937_64 rng(o.seed);
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<std::pair<nps::Response, Millis>> all;
  all.reserve(o.count);
  for (std::size_t i = 0; i < o.count; ++i) {
    // More answers recently; the score improves over time, mobile and email lag behind.
    const double age = std::pow(uniform(0, 1), 1.3) * o.days; // days ago
    const Millis at = now - static_cast<Millis>(age * 86'400'000.0) - static_cast<Millis>(pick(3'600'000));
    const Segment seg{kChannels[pick(10) < 6   ? 0
                                : pick(10) < 6 ? 1
                                               : 2],
                      kLocales[pick(10) < 5 ? 0 : 1 + pick(4)],
                      kDevices[pick(10) < 5   ? 0
                               : pick(10) < 8 ? 1
                                              : 2]};
    double mean = 7.9 + 0.9 * (1.0 - age / o.days);
    if (std::string(seg.device) == "mobile") mean -= 0.9;
    if (std::string(seg.channel) == "email") mean -= 0.4;
    if (std::string(seg.locale) == "ru") mean -= 0.5;
    const int score =
        std::clamp(static_cast<int>(std::lround(std::normal_distribution<double>(mean, 2.2)(rng))), 0, 10);
    json j = {{"survey_id", o.survey_id},
              {"score", score},
              {"idempotency_key", "demo-" + std::to_string(o.seed) + "-" + std::to_string(i)},
              {"channel", seg.channel},
              {"locale", seg.locale},
              {"device", seg.device},
              {"attributes", {{"plan", kPlans[pick(3)]}}},
              {"page", std::string("https://app.example.com/") + (pick(2) ? "checkout" : "dashboard")}};
    const auto& pool = score <= 6 ? kDetractor : score <= 8 ? kPassive : kPromoter;
    if (pick(100) < (score <= 6 ? 45u : 25u)) j["comment"] = pool[pick(pool.size())];
    if (pick(100) < 15) j["respondent_id"] = "cust-" + std::to_string(1000 + pick(9000));
    auto r = nps::parse_response(j);
    if (!r)
      throw StorageError("demo answer rejected by the core: " + r.errors().front().path + " " +
                         r.errors().front().message);
    all.emplace_back(std::move(*r), at);
  }
  // Oldest first, so ids follow time as they do in a real database.
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  std::atomic<std::size_t> next{0}, stored{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (std::size_t i; (i = next++) < all.size();)
        if (storage.insert_response(all[i].first, all[i].second, 0).status == Inserted::created) ++stored;
    });
  for (auto& t : threads)
    t.join();
  return stored.load();
}

} // namespace npsd
