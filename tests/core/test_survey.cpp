#include "nps/survey.hpp"

#include <catch2/catch.hpp>

#include <random>

using nps::json;

namespace {
std::vector<std::string> paths_of(const nps::Errors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(e.path);
  return out;
}

// A random but valid survey definition, for round-trip properties.
json random_survey(std::mt19937_64& rng) {
  auto pick = [&](std::initializer_list<const char*> xs) {
    return std::string(*(xs.begin() + static_cast<long>(rng() % xs.size())));
  };
  json j = {{"id", "s" + std::to_string(rng() % 1000)}, {"kind", pick({"relational", "transactional"})}};
  if (rng() % 2) j["product"] = pick({"Acme", "Tienda Sol", "Ромашка", "小米"});
  if (rng() % 2) j["question"] = {{"es", "¿Recomendaría {product}?"}, {"en", "Recommend {product}?"}};
  json followup = json::object();
  for (const char* cat : {"detractor", "passive", "promoter"}) {
    if (rng() % 2) continue;
    json c = {{"ask", rng() % 3 != 0}};
    if (rng() % 2) c["text"] = {{"ru", "Почему?"}};
    if (rng() % 2)
      c["questions"] = json::array(
          {{{"id", "reason"},
            {"type", "single"},
            {"text", "Why?"},
            {"required", bool(rng() % 2)},
            {"options", {{{"id", "price"}, {"label", "Price"}}, {{"id", "speed"}, {"label", "Speed"}}}}},
           {{"id", "more"},
            {"type", "text"},
            {"text", "More?"},
            {"condition", {{"question", "reason"}, {"op", "equals"}, {"value", "price"}}}}});
    if (rng() % 2) c["thanks_link"] = {{"url", "https://example.com/review"}, {"append_score", true}};
    followup[cat] = c;
  }
  j["followup"] = followup;
  j["theme"] = {{"position", pick({"bottom-right", "bottom-left", "center", "inline"})},
                {"mode", pick({"light", "dark", "auto"})}};
  j["targeting"] = {{"urls", {{{"match", pick({"exact", "contains", "glob"})}, {"pattern", "/p*"}}}},
                    {"trigger", {{"type", "page_views"}, {"count", 1 + static_cast<int>(rng() % 5)}}}};
  j["sampling"] = {{"percent", static_cast<double>(rng() % 10001) / 100.0}};
  return j;
}
} // namespace

TEST_CASE("survey: the examples from the definition's documentation parse", "[core][survey]") {
  auto s = nps::parse_survey(json{{"id", "nps"}, {"product", "Acme"}});
  REQUIRE(s.ok());
  CHECK(s->name == "nps");
  CHECK(s->default_locale == "en");
  CHECK(s->sampling.resurvey_after_answer_days == 90);
  CHECK(s->flow_for(nps::Category::detractor).ask_followup);
}

TEST_CASE("survey: validation collects every problem with its path", "[core][survey]") {
  json j = {{"id", "s"},
            {"followup", {{"detractor", {{"text", {{"es", std::string(501, 'x')}}}}}}},
            {"targeting", {{"urls", {{{"pattern", "/a"}}, {{"pattern", "/b"}}, {{"pattern", ""}}}}}}};
  auto s = nps::parse_survey(j);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(paths_of(s.errors()), Catch::Matchers::Equals(std::vector<std::string>{
                                       "followup.detractor.text.es", "targeting.urls[2]"}));
  CHECK(nps::describe(s.errors()[0]) == "followup.detractor.text.es: longer than 500 characters");
  CHECK(nps::describe(s.errors()[1]) == "targeting.urls[2]: empty pattern");
}

TEST_CASE("survey: a plain string is a text in the default language", "[core][survey]") {
  auto s = nps::parse_survey(
      json{{"id", "s"}, {"default_locale", "ru"}, {"question", "Порекомендуете {product}?"}});
  REQUIRE(s.ok());
  CHECK(s->texts.question.at("ru") == "Порекомендуете {product}?");
}

TEST_CASE("survey: a condition may only look back", "[core][survey]") {
  json j = {{"id", "s"},
            {"followup",
             {{"promoter",
               {{"questions",
                 {{{"id", "a"},
                   {"type", "text"},
                   {"text", "A"},
                   {"condition", {{"question", "b"}, {"op", "answered"}}}},
                  {{"id", "b"},
                   {"type", "text"},
                   {"text", "B"},
                   {"condition", {{"question", "a"}, {"op", "answered"}}}}}}}}}}};
  auto s = nps::parse_survey(j);
  REQUIRE_FALSE(s.ok());
  CHECK(paths_of(s.errors()) ==
        std::vector<std::string>{"followup.promoter.questions[0].condition.question"});
}

TEST_CASE("survey: property: decode(encode(x)) == x", "[core][survey][property]") {
  std::mt19937_64 rng(99);
  for (int i = 0; i < 300; ++i) {
    const json input = random_survey(rng);
    auto first = nps::parse_survey(input);
    INFO(input.dump());
    REQUIRE(first.ok());
    auto second = nps::parse_survey(nps::to_json(*first));
    REQUIRE(second.ok());
    CHECK(*second == *first);
    CHECK(nps::to_json(*second) == nps::to_json(*first));
  }
}

TEST_CASE("survey: property: any subtree replaced by garbage gives errors, never a crash",
          "[core][survey][property]") {
  std::mt19937_64 rng(5);
  const std::vector<json> garbage = {json(nullptr),
                                     json(42),
                                     json(-1.5),
                                     json("x"),
                                     json::array({1, "a"}),
                                     json::object({{"?", 1}}),
                                     json(true),
                                     json(std::string("\xFF\xFE"))};
  for (int i = 0; i < 500; ++i) {
    json j = random_survey(rng);
    // Pick a random path in the document and replace its value.
    json* node = &j;
    for (int depth = 0; depth < 4 && (node->is_object() || node->is_array()) && !node->empty(); ++depth) {
      auto it = node->begin();
      std::advance(it, static_cast<long>(rng() % node->size()));
      node = &*it;
    }
    *node = garbage[rng() % garbage.size()];
    auto s = nps::parse_survey(j);
    if (!s.ok())
      for (const auto& e : s.errors())
        CHECK_FALSE(e.message.empty());
  }
}

TEST_CASE("survey: a damaged served form reads as defaults, never a crash, through one reader of its rules",
          "[core][survey]") {
  const json damaged = {{"id", "s"},
                        {"targeting",
                         {{"urls", "not a list"},
                          {"devices", {1, "mobile"}},
                          {"trigger", {{"type", "shake"}, {"count", "2"}}},
                          {"attributes", {7, {{"key", "plan"}, {"op", "contains"}, {"value", "pro"}}}}}},
                        {"sampling", {{"percent", "all"}, {"resurvey_after_answer_days", 7}}}};
  const nps::SurveyRules rules = nps::read_normalized_rules(damaged);
  CHECK(rules.id == "s");
  CHECK(rules.targeting.urls.empty());
  CHECK(rules.targeting.devices == std::vector<std::string>{"mobile"});
  CHECK(rules.targeting.trigger == nps::Trigger{});
  REQUIRE(rules.targeting.attributes.size() == 1);
  CHECK(rules.targeting.attributes[0].op == nps::AttributeOp::contains);
  CHECK(rules.sampling.percent == 100);
  CHECK(rules.sampling.resurvey_after_answer_days == 7);
  const nps::Survey s = nps::read_normalized_survey(damaged);
  CHECK(s.targeting == rules.targeting);
  CHECK(s.sampling == rules.sampling);
  CHECK(nps::read_normalized_rules(json("not an object")).targeting == nps::Targeting{});
}
