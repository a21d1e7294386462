// The ImGui view, headless: real frames with injected mouse and keyboard input. The flow
// must end in the state the core says, and the view must report what to send.
#include "headless.hpp"

#include "nps/flow.hpp"

#include <catch2/catch.hpp>

using nps::EventType;
using nps::FlowState;
using nps::json;
using nps::SendMode;
using nps::Step;
using nps::imgui::Happened;
using nps::test::Headless;

namespace {

nps::Survey survey_from(const char* text) {
  auto s = nps::parse_survey(json::parse(text));
  REQUIRE(s.ok());
  return *s;
}

nps::Survey shop() {
  return survey_from(R"({
    "id": "shop", "product": "Tienda Sol", "default_locale": "en",
    "theme": {"category_colors": true, "accent": "#0b7285"},
    "followup": {
      "detractor": {"questions": [
        {"id": "reason", "type": "single", "text": {"en": "Main reason?"}, "required": true,
         "options": [{"id": "price", "label": {"en": "Price"}}, {"id": "delivery", "label": {"en": "Delivery"}}]},
        {"id": "ease", "type": "rating", "text": "How easy was ordering?", "min": 1, "max": 5}]},
      "promoter": {"thanks_link": {"url": "https://reviews.example/sol", "append_score": true}}
    }})");
}

FlowState start(const nps::Survey& s, std::vector<std::string> languages = {"en"}) {
  nps::FlowStart st;
  st.idempotency_key = "key-00000001";
  st.languages = std::move(languages);
  st.channel = nps::Channel::app;
  auto f = nps::start_flow(s, st);
  REQUIRE(f.ok());
  return *f;
}

} // namespace

TEST_CASE("widget view: choose a score with the mouse, answer the follow-up, close", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  FlowState st = start(s);
  ui.frame(s, st);
  REQUIRE(ui.has("score9"));
  REQUIRE(ui.has("score0"));
  CHECK(ui.center("score0").x < ui.center("score10").x); // left to right in English

  auto out = ui.click("score9", s, st);
  CHECK(out.what == Happened::applied);
  CHECK(out.event == EventType::choose_score);
  CHECK(out.send == SendMode::create);
  CHECK(st.step == Step::followup);
  CHECK(st.response.score.value() == 9);

  // Type into the follow-up box, then press Send.
  ui.frame(s, st);
  REQUIRE(ui.has("text"));
  ui.click("text", s, st);
  ui.type("Fast delivery, ");
  ui.frame(s, st);
  ui.type("friendly people");
  ui.frame(s, st);
  REQUIRE(ui.has("action:submit"));
  out = ui.click("action:submit", s, st);
  CHECK(out.what == Happened::applied);
  CHECK(out.event == EventType::answer);
  CHECK(out.send == SendMode::update);
  CHECK(st.step == Step::thanks);
  CHECK(st.response.comment == "Fast delivery, friendly people");

  // The thank-you link is handed to the host; closing ends the flow with the answer kept.
  ui.frame(s, st);
  REQUIRE(ui.has("link"));
  out = ui.click("link", s, st);
  CHECK(out.open_url == "https://reviews.example/sol?nps_score=9");
  out = ui.click("action:close", s, st);
  CHECK(out.what == Happened::closed);
  CHECK(out.send == SendMode::none);
  CHECK(st.step == Step::closed);
  CHECK_FALSE(st.dismissed);
  // Closed: nothing is drawn, nothing happens.
  CHECK(ui.frame(s, st).what == Happened::nothing);
  CHECK(ui.items.empty());
}

TEST_CASE("widget view: choose a score with the keyboard", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  FlowState st = start(s);
  ui.frame(s, st);
  ui.frame(s, st);
  // The window opens with keyboard focus on its default item (score 0); each arrow press
  // moves one button; Space chooses.
  for (int i = 0; i < 7; ++i)
    ui.press(ImGuiKey_RightArrow, s, st);
  CHECK(st.step == Step::score); // arrows move focus, they never choose
  auto out = ui.press(ImGuiKey_Space, s, st);
  CHECK(out.what == Happened::applied);
  CHECK(out.send == SendMode::create);
  CHECK(st.response.score.value() == 7);
  CHECK(st.step == Step::followup);

  // Escape on the follow-up closes; the score stands (closed, not dismissed).
  ui.frame(s, st);
  out = ui.press(ImGuiKey_Escape, s, st);
  CHECK(out.what == Happened::closed);
  CHECK(st.step == Step::closed);
  CHECK_FALSE(st.dismissed);
}

TEST_CASE("widget view: choose a score with a gamepad (D-pad and A)", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  FlowState st = start(s);
  ui.frame(s, st);
  ui.frame(s, st);
  for (int i = 0; i < 10; ++i)
    ui.pad(ImGuiNavInput_DpadRight, s, st);
  CHECK(st.step == Step::score);
  auto out = ui.pad(ImGuiNavInput_Activate, s, st);
  CHECK(out.what == Happened::applied);
  CHECK(out.send == SendMode::create);
  CHECK(st.response.score.value() == 10);
  CHECK(st.step == Step::followup);
}

TEST_CASE("widget view: Enter in the follow-up sends it, Ctrl+Enter is a new line", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  FlowState st = start(s);
  ui.frame(s, st);
  ui.click("score10", s, st);
  ui.frame(s, st);
  ui.click("text", s, st);
  ui.type("Great");
  ui.frame(s, st);
  ui.ctrl(true);
  ui.press(ImGuiKey_Enter, s, st);
  ui.ctrl(false);
  ui.type("app");
  ui.frame(s, st);
  auto out = ui.press(ImGuiKey_Enter, s, st);
  CHECK(out.what == Happened::applied);
  CHECK(out.send == SendMode::update);
  CHECK(st.response.comment == "Great\napp");
  CHECK(st.step == Step::thanks);
}

TEST_CASE("widget view: dismiss before a score declines, nothing is sent", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  SECTION("the Not now button") {
    FlowState st = start(s);
    ui.frame(s, st);
    REQUIRE(ui.has("action:dismiss"));
    auto out = ui.click("action:dismiss", s, st);
    CHECK(out.what == Happened::dismissed);
    CHECK(out.send == SendMode::none);
    CHECK(st.step == Step::closed);
    CHECK(st.dismissed);
  }
  SECTION("the close button") {
    FlowState st = start(s);
    ui.frame(s, st);
    auto out = ui.click("close", s, st);
    CHECK(out.what == Happened::dismissed);
    CHECK(st.dismissed);
  }
  SECTION("Escape") {
    FlowState st = start(s);
    ui.frame(s, st);
    ui.frame(s, st);
    auto out = ui.press(ImGuiKey_Escape, s, st);
    CHECK(out.what == Happened::dismissed);
    CHECK(st.dismissed);
  }
}

TEST_CASE("widget view: a required question shows the core's error, back keeps answers", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  FlowState st = start(s);
  ui.frame(s, st);
  ui.click("score3", s, st);
  ui.frame(s, st);
  auto out = ui.click("action:next", s, st); // skip the follow-up text: empty answer
  CHECK(out.what == Happened::applied);
  CHECK(out.send == SendMode::none);
  REQUIRE(st.step == Step::question);

  ui.frame(s, st);
  REQUIRE(ui.has("option:price"));
  CHECK_FALSE(ui.has("action:skip")); // required: no skip action
  out = ui.click("action:next", s, st);
  CHECK(out.what == Happened::rejected);
  CHECK(out.error == "This question needs an answer");
  CHECK(st.step == Step::question);

  ui.click("option:delivery", s, st);
  out = ui.click("action:next", s, st);
  CHECK(out.what == Happened::applied);
  CHECK(out.send == SendMode::update);
  CHECK(st.response.answers["reason"] == "delivery");

  // Rating: pick 4, go back, the reason is still chosen; forward, submit.
  ui.frame(s, st);
  ui.click("rate4", s, st);
  out = ui.click("action:back", s, st);
  CHECK(out.event == EventType::back);
  CHECK(st.step == Step::question);
  ui.frame(s, st);
  out = ui.click("action:next", s, st);
  CHECK(out.send == SendMode::none); // same answer as before
  ui.frame(s, st);
  ui.click("rate4", s, st);
  out = ui.click("action:submit", s, st);
  CHECK(out.send == SendMode::update);
  CHECK(st.response.answers["ease"] == 4);
  CHECK(st.step == Step::thanks);
}

TEST_CASE("widget view: right-to-left languages run the scale from the right", "[widget][view]") {
  Headless ui;
  const auto s = shop();
  FlowState st = start(s, {"ar"});
  REQUIRE(st.locale == "ar");
  ui.frame(s, st);
  CHECK(ui.center("score0").x > ui.center("score10").x);
  CHECK(ui.center("close").x < ui.center("score5").x); // close at the start edge: left
  auto out = ui.click("score8", s, st);
  CHECK(out.send == SendMode::create);
  CHECK(st.response.score.value() == 8);
}

TEST_CASE("widget view: modal and inline presentations work the same", "[widget][view]") {
  const auto s = shop();
  for (auto p : {nps::imgui::Presentation::modal, nps::imgui::Presentation::inline_}) {
    Headless ui;
    nps::imgui::Options o;
    o.presentation = p;
    FlowState st = start(s);
    ui.frame(s, st, o);
    REQUIRE(ui.has("score6"));
    auto out = ui.click("score6", s, st, o);
    CHECK(out.send == SendMode::create);
    ui.frame(s, st, o);
    out = ui.click("close", s, st, o);
    CHECK(out.what == Happened::closed);
  }
}

TEST_CASE("widget text: right-to-left lines in visual order, Arabic shaped", "[widget][text]") {
  using nps::imgui::visual_rtl_line;
  // Hebrew: reversed; digits keep their order.
  CHECK(visual_rtl_line("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D 10") == "10 \xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9");
  // Arabic "لا" becomes the lam-alef ligature U+FEFB; "بب" is initial + final beh.
  CHECK(visual_rtl_line("\xD9\x84\xD8\xA7") == "\xEF\xBB\xBB");
  CHECK(visual_rtl_line("\xD8\xA8\xD8\xA8") == "\xEF\xBA\x90\xEF\xBA\x91");
  // A Latin word inside RTL text stays readable, brackets are mirrored.
  CHECK(visual_rtl_line("\xD7\x90 (Acme) \xD7\x91") == "\xD7\x91 (Acme) \xD7\x90");
}
