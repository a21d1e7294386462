// `npsd demo-data`: draws the answers (seeded, a few bytes each), sorts them by time and
// stores them through import_responses a batch at a time.
#include "demo_data.hpp"

#include "auth.hpp"
#include "funnel_store.hpp"
#include "nps/json.hpp"
#include "nps/survey.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

namespace npsd {

namespace {

using nps::json;

// Comments by category, each list in kLocales' order (en, es, ru, zh-Hans, de); a few are
// hostile on purpose (the dashboard must show them as text).
const std::vector<std::string> kDetractor = {
    "Checkout keeps failing on my phone.",
    "Support never answered my ticket.",
    "Too expensive for what it does.",
    "<script>alert('xss')</script> broken",
    "<img src=x onerror=alert(1)> images do not load",
    "La aplicación se cierra al pagar.",
    "El soporte tardó una semana en responder.",
    "Приложение постоянно вылетает.",
    "Не могу найти, где отменить подписку.",
    "付款时总是出错。",
    "客服回复太慢了。",
    "Die App ist seit dem Update sehr langsam.",
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

// One answer as the generator drew it, before it is made a response: indexes into the
// tables above, a few bytes instead of a parsed response's kilobyte, so a million of them
// can be sorted by time in memory.
struct Drawn {
  Millis at = 0;
  std::uint32_t index = 0; // i of the idempotency key "demo-<seed>-<i>"
  std::uint8_t score = 0, channel = 0, locale = 0, device = 0, plan = 0, page = 0;
  std::int8_t comment = -1;     // index into the category's pool, -1: none
  std::int16_t respondent = -1; // "cust-<1000 + n>", -1: none
};

constexpr std::array<const char*, 3> kChannels = {"web", "app", "email"};
constexpr std::array<const char*, 5> kLocales = {"en", "es", "ru", "zh-Hans", "de"};
constexpr std::array<const char*, 3> kDevices = {"desktop", "mobile", "tablet"};
constexpr std::array<const char*, 3> kPlans = {"free", "pro", "team"};
constexpr std::array<const char*, 2> kPages = {"dashboard", "checkout"};

// The category's comments in the answer's language (kLocales' index), so a Russian answer's
// comment is in Russian: the language of each comment is told by its script or its words.
const std::vector<std::string>& comments_for(int score, std::uint8_t locale) {
  static const auto by_language = [] {
    // Each pool's comments in kLocales' order: en, es, ru, zh-Hans, de (see the lists above).
    auto split = [](const std::vector<std::string>& pool, std::array<std::size_t, 5> sizes) {
      std::array<std::vector<std::string>, 5> out;
      std::size_t at = 0;
      for (std::size_t l = 0; l < sizes.size(); ++l)
        for (std::size_t i = 0; i < sizes[l]; ++i)
          out[l].push_back(pool.at(at++));
      if (at != pool.size()) throw std::logic_error("demo data: a comment without a language");
      return out;
    };
    return std::array<std::array<std::vector<std::string>, 5>, 3>{split(kDetractor, {5, 2, 2, 2, 1}),
                                                                  split(kPassive, {2, 1, 1, 1, 1}),
                                                                  split(kPromoter, {2, 1, 1, 1, 1})};
  }();
  return by_language[score <= 6 ? 0 : score <= 8 ? 1 : 2][locale];
}

// Draws every answer in the generator's fixed order: the same seed gives the same answers.
std::vector<Drawn> draw(const DemoOptions& o, Millis now) {
  std::mt19937_64 rng(o.seed);
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::vector<Drawn> all;
  all.reserve(o.count);
  for (std::size_t i = 0; i < o.count; ++i) {
    Drawn d;
    d.index = static_cast<std::uint32_t>(i);
    // More answers recently; the score improves over time, mobile and email lag behind.
    const double age = std::pow(uniform(0, 1), 1.3) * o.days; // days ago
    d.at = now - static_cast<Millis>(age * 86'400'000.0) - static_cast<Millis>(pick(3'600'000));
    // The order of the draws is the generator's: channel, locale, device (left to right).
    d.channel = static_cast<std::uint8_t>(pick(10) < 6 ? 0 : pick(10) < 6 ? 1 : 2);
    d.locale = static_cast<std::uint8_t>(pick(10) < 5 ? 0 : 1 + pick(4));
    d.device = static_cast<std::uint8_t>(pick(10) < 5 ? 0 : pick(10) < 8 ? 1 : 2);
    double mean = 7.9 + 0.9 * (1.0 - age / o.days);
    if (d.device == 1) mean -= 0.9;  // mobile
    if (d.channel == 2) mean -= 0.4; // email
    if (d.locale == 2) mean -= 0.5;  // ru
    const int score =
        std::clamp(static_cast<int>(std::lround(std::normal_distribution<double>(mean, 2.2)(rng))), 0, 10);
    d.score = static_cast<std::uint8_t>(score);
    d.plan = static_cast<std::uint8_t>(pick(3));
    d.page = pick(2) ? 1 : 0;
    const auto& pool = comments_for(score, d.locale);
    if (pick(100) < (score <= 6 ? 45u : 25u)) d.comment = static_cast<std::int8_t>(pick(pool.size()));
    if (pick(100) < 15) d.respondent = static_cast<std::int16_t>(pick(9000));
    all.push_back(d);
  }
  return all;
}

// The drawn answer as a response, through the core's validation like any answer.
nps::Response response_of(const Drawn& d, const DemoOptions& o) {
  json j = {{"survey_id", o.survey_id},
            {"score", static_cast<int>(d.score)},
            {"idempotency_key", "demo-" + std::to_string(o.seed) + "-" + std::to_string(d.index)},
            {"channel", kChannels[d.channel]},
            {"locale", kLocales[d.locale]},
            {"device", kDevices[d.device]},
            {"attributes", {{"plan", kPlans[d.plan]}}},
            {"page", std::string("https://app.example.com/") + kPages[d.page]}};
  if (d.comment >= 0) j["comment"] = comments_for(d.score, d.locale)[static_cast<std::size_t>(d.comment)];
  if (d.respondent >= 0) j["respondent_id"] = "cust-" + std::to_string(1000 + d.respondent);
  auto r = nps::parse_response(j);
  if (!r)
    throw StorageError("demo answer rejected by the core: " + r.errors().front().path + " " +
                       r.errors().front().message);
  return std::move(*r);
}

// The funnel's counters for the answers drawn (issue 19): per day, the website and the app
// showed the survey to more people than answered it (a response rate of 18–30% on the web,
// 30–45% in the app, varying by day) and some closed it; e-mail answers have no impressions.
std::vector<FunnelCount> demo_funnel(const std::vector<Drawn>& drawn, std::uint64_t seed) {
  std::map<std::pair<std::int32_t, std::uint8_t>, std::uint64_t> answered;
  for (const auto& d : drawn)
    if (d.channel < 2) ++answered[{day_of(d.at), d.channel}];
  std::mt19937_64 rng(seed ^ 0x66756e6e656cULL); // "funnel": its own stream, the answers unchanged
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  std::vector<FunnelCount> out;
  for (const auto& [key, n] : answered) {
    const double rate = key.second == 0 ? uniform(0.18, 0.30) : uniform(0.30, 0.45);
    const auto shown = static_cast<std::uint64_t>(std::ceil(static_cast<double>(n) / rate));
    const auto dismissed =
        static_cast<std::uint64_t>(std::lround(static_cast<double>(shown - n) * uniform(0.55, 0.75)));
    out.push_back({key.first, kChannels[key.second], "shown", shown});
    out.push_back({key.first, kChannels[key.second], "dismissed", dismissed});
  }
  return out;
}

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
  if (o.count > std::numeric_limits<std::uint32_t>::max())
    throw StorageError("demo data: at most " + std::to_string(std::numeric_limits<std::uint32_t>::max()) +
                       " answers");
  // Oldest first, so ids follow time as they do in a real database; then made into
  // responses and stored a batch at a time, so memory does not grow with the count.
  auto drawn = draw(o, now);
  std::stable_sort(drawn.begin(), drawn.end(), [](const Drawn& a, const Drawn& b) { return a.at < b.at; });
  std::size_t stored = 0;
  std::vector<std::pair<nps::Response, Millis>> batch;
  batch.reserve(std::min(drawn.size(), kDemoBatch));
  for (std::size_t i = 0; i < drawn.size(); ++i) {
    batch.emplace_back(response_of(drawn[i], o), drawn[i].at);
    if (batch.size() == kDemoBatch || i + 1 == drawn.size()) {
      stored += storage.import_responses(batch);
      batch.clear();
    }
  }
  // Only with a fresh fill: a second run (its answers skipped) must not count them again.
  if (stored == drawn.size() && stored > 0) storage.funnel().raise(o.survey_id, demo_funnel(drawn, o.seed));
  return stored;
}

} // namespace npsd
