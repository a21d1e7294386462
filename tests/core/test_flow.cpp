#include "nps/flow.hpp"

#include <catch2/catch.hpp>

#include <random>

using nps::EventType;
using nps::FlowEvent;
using nps::FlowState;
using nps::json;
using nps::SendMode;
using nps::Step;

namespace {

nps::Survey survey_from(const json& j) {
  auto s = nps::parse_survey(j);
  REQUIRE(s.ok());
  return *s;
}

// A shop survey: detractors get a reason question, and a detail question only when the
// reason is delivery; promoters get a review link with their score and comment.
nps::Survey shop() {
  return survey_from(json::parse(R"({
    "id": "shop", "product": "Tienda Sol", "default_locale": "en",
    "followup": {
      "detractor": {"questions": [
        {"id": "reason", "type": "single", "text": {"en": "Main reason?", "es": "¿Motivo principal?"}, "required": true,
         "options": [{"id": "price", "label": {"en": "Price", "es": "Precio"}}, {"id": "delivery", "label": {"en": "Delivery", "es": "Entrega"}}]},
        {"id": "detail", "type": "text", "text": "What happened?", "condition": {"question": "reason", "op": "equals", "value": "delivery"}},
        {"id": "ease", "type": "rating", "text": "How easy was ordering?", "min": 1, "max": 5}]},
      "promoter": {"thanks_link": {"url": "https://reviews.example/sol#top", "append_score": true, "append_comment": true}}
    }})"));
}

FlowState start(const nps::Survey& s, std::vector<std::string> languages = {"en"}) {
  nps::FlowStart st;
  st.idempotency_key = "key-00000001";
  st.languages = std::move(languages);
  auto f = nps::start_flow(s, st);
  REQUIRE(f.ok());
  return *f;
}

nps::Transition step(const nps::Survey& s, const FlowState& st, EventType type, json value = nullptr) {
  auto t = nps::apply(s, st, FlowEvent{type, std::move(value)});
  INFO(nps::to_string(type) << " on " << nps::to_string(st.step));
  REQUIRE(t.ok());
  return *t;
}

} // namespace

TEST_CASE("flow: the score is sent the moment it is chosen, answers update it", "[core][flow]") {
  const auto s = shop();
  FlowState st = start(s);
  CHECK(st.step == Step::score);
  auto t = step(s, st, EventType::choose_score, 3);
  CHECK(t.send == SendMode::create);
  CHECK(t.state.step == Step::followup);
  CHECK(t.state.response.score.value() == 3);
  t = step(s, t.state, EventType::answer, "  Too slow  ");
  CHECK(t.send == SendMode::update);
  CHECK(t.state.response.comment == "Too slow");
  CHECK(t.state.step == Step::question);
  CHECK(nps::view(s, t.state)["question"]["id"] == "reason");
}

TEST_CASE("flow: conditions decide which questions are asked", "[core][flow]") {
  const auto s = shop();
  auto t = step(s, start(s), EventType::choose_score, 2);
  t = step(s, t.state, EventType::skip);
  t = step(s, t.state, EventType::answer, "price");
  CHECK(nps::view(s, t.state)["question"]["id"] == "ease"); // "detail" is only for delivery
  t = step(s, t.state, EventType::back);
  t = step(s, t.state, EventType::answer, "delivery");
  CHECK(nps::view(s, t.state)["question"]["id"] == "detail");
  CHECK(nps::view(s, t.state)["progress"]["total"] == 4);
}

TEST_CASE("flow: back keeps earlier answers", "[core][flow]") {
  const auto s = shop();
  auto t = step(s, start(s), EventType::choose_score, 9);
  t = step(s, t.state, EventType::answer, "Great prices");
  CHECK(t.state.step == Step::thanks);
  auto v = nps::view(s, t.state);
  CHECK(v["thanks"]["link"]["url"] ==
        "https://reviews.example/sol?nps_score=9&nps_comment=Great%20prices#top");

  t = step(s, start(s), EventType::choose_score, 9);
  t = step(s, t.state, EventType::back);
  CHECK(t.state.step == Step::score);
  CHECK(nps::view(s, t.state)["score"]["selected"] == 9);
  t = step(s, t.state, EventType::choose_score, 10);
  CHECK(t.send == SendMode::update); // the same response, not a second one
}

TEST_CASE("flow: a new category drops answers to questions no longer asked", "[core][flow]") {
  const auto s = shop();
  auto t = step(s, start(s), EventType::choose_score, 4);
  t = step(s, t.state, EventType::answer, "meh");
  t = step(s, t.state, EventType::answer, "delivery");
  CHECK(t.state.response.answers.contains("reason"));
  t = step(s, t.state, EventType::back);
  t = step(s, t.state, EventType::back);
  t = step(s, t.state, EventType::back);
  REQUIRE(t.state.step == Step::score);
  t = step(s, t.state, EventType::choose_score, 10);
  CHECK(t.state.response.answers.empty());
  CHECK(t.state.response.comment == "meh");
}

TEST_CASE("flow: required questions cannot be skipped, answers must fit", "[core][flow]") {
  const auto s = shop();
  auto t = step(s, start(s), EventType::choose_score, 0);
  t = step(s, t.state, EventType::skip);
  auto bad = nps::apply(s, t.state, FlowEvent{EventType::skip, nullptr});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == nps::ErrorCode::required);
  CHECK(bad.error().message == "This question needs an answer");
  bad = nps::apply(s, t.state, FlowEvent{EventType::answer, "free shipping"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().path == "value");
  t = step(s, t.state, EventType::answer, "price");
  bad = nps::apply(s, t.state, FlowEvent{EventType::answer, 9});
  CHECK(bad.error().code == nps::ErrorCode::out_of_range);
}

TEST_CASE("flow: dismissing before the score declines, closing after keeps the answer", "[core][flow]") {
  const auto s = shop();
  auto t = step(s, start(s), EventType::dismiss);
  CHECK(t.state.step == Step::closed);
  CHECK(t.state.dismissed);
  CHECK(t.send == SendMode::none);
  t = step(s, start(s), EventType::choose_score, 8);
  t = step(s, t.state, EventType::close);
  CHECK(t.state.step == Step::closed);
  CHECK_FALSE(t.state.dismissed);
  CHECK(t.state.sent);
}

TEST_CASE("flow: events that make no sense now are refused", "[core][flow]") {
  const auto s = shop();
  const FlowState st = start(s);
  CHECK_FALSE(nps::apply(s, st, FlowEvent{EventType::back, nullptr}).ok());
  CHECK_FALSE(nps::apply(s, st, FlowEvent{EventType::answer, "x"}).ok());
  CHECK_FALSE(nps::apply(s, st, FlowEvent{EventType::choose_score, 11}).ok());
  CHECK_FALSE(nps::apply(s, st, FlowEvent{EventType::choose_score, "9"}).ok());
  auto t = step(s, st, EventType::choose_score, 9);
  CHECK_FALSE(nps::apply(s, t.state, FlowEvent{EventType::choose_score, 9}).ok());
}

TEST_CASE("flow: the view speaks the visitor's language and direction", "[core][flow]") {
  const auto s = shop();
  auto es = nps::view(s, start(s, {"es-MX", "en"}));
  CHECK(es["locale"] == "es");
  CHECK(es["dir"] == "ltr");
  CHECK(es["score"]["options"].size() == 11);
  CHECK(es["score"]["options"][9]["category"] == "promoter");
  CHECK(es["score"]["question"].get<std::string>().find("Tienda Sol") != std::string::npos);
  auto ar = nps::view(s, start(s, {"ar-EG"}));
  CHECK(ar["locale"] == "ar");
  CHECK(ar["dir"] == "rtl");
  auto unknown = nps::view(s, start(s, {"tlh"}));
  CHECK(unknown["locale"] == "en");
  // A survey that offers only Spanish and English shows Russian visitors its default.
  auto limited = survey_from({{"id", "s"}, {"default_locale", "es"}, {"locales", {"es", "en"}}});
  CHECK(nps::view(limited, start(limited, {"ru-RU"}))["locale"] == "es");
}

TEST_CASE("flow: property: no event sequence reaches an undefined state", "[core][flow][property]") {
  const auto s = shop();
  std::mt19937_64 rng(2026);
  const std::vector<json> values = {
      nullptr, 0, 3, 7, 9, 10, 11, -1, "price", "delivery", "x", "  ", json::array({"price"}), 2, 5, 6, 9.5};
  int refused = 0, applied = 0;
  for (int walk = 0; walk < 400; ++walk) {
    FlowState st = start(s);
    bool created = false;
    for (int i = 0; i < 30; ++i) {
      const auto type = static_cast<EventType>(rng() % 6);
      auto t = nps::apply(s, st, FlowEvent{type, values[rng() % values.size()]});
      if (!t.ok()) {
        ++refused;
        continue;
      }
      ++applied;
      // A response is created once, before any update, and only with a score.
      if (t->send == SendMode::create) {
        CHECK_FALSE(created);
        created = true;
      }
      if (t->send == SendMode::update) CHECK(created);
      st = t->state;
      CHECK(st.sent == created);
      if (st.step == Step::question) {
        const auto& qs = s.flow_for(nps::classify(st.response.score)).questions;
        REQUIRE(st.question >= 0);
        REQUIRE(st.question < static_cast<int>(qs.size()));
      }
      if (st.step == Step::followup || st.step == Step::question || st.step == Step::thanks) CHECK(st.sent);
      const json v = nps::view(s, st);
      CHECK(v["step"] == nps::to_string(st.step));
      // The state survives a round trip through JSON (the widget keeps it in storage).
      auto back = nps::parse_flow_state(nps::to_json(st));
      REQUIRE(back.ok());
      CHECK(*back == st);
      // Every response the flow would send is one the server accepts.
      if (st.sent) CHECK(nps::parse_response(nps::to_json(st.response)).ok());
      if (st.step == Step::closed) break;
    }
  }
  CHECK(refused > 0);
  CHECK(applied > 0);
}
