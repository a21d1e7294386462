// A Dear ImGui context with no window and no renderer (imgui's "null backend"): frames run
// with injected mouse and keyboard input, and the widget reports where its items are.
// ImGui 1.86 has no io.AddKeyEvent/AddMousePosEvent (they arrived in 1.87): input is set
// through io.MousePos, io.MouseDown[] and io.KeysDown[] with an identity io.KeyMap.
#pragma once

#include "nps_imgui.hpp"

#include <imgui.h>

#include <map>
#include <string>

namespace nps::test {

class Headless {
public:
  explicit Headless(ImVec2 display = ImVec2(1024, 768)) {
    ctx_ = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    for (int k = 0; k < ImGuiKey_COUNT; ++k)
      io.KeyMap[k] = k;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->AddFontDefault();
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;
  ~Headless() { ImGui::DestroyContext(ctx_); }

  // One frame drawing the survey; remembers item rectangles by name.
  nps::imgui::Outcome frame(const nps::Survey& survey, nps::FlowState& state,
                            nps::imgui::Options options = {}) {
    options.on_item = [this](std::string_view name, ImVec2 a, ImVec2 b) {
      items[std::string(name)] = {a, b};
    };
    items.clear();
    if (pad_down_ >= 0) ImGui::GetIO().NavInputs[pad_down_] = 1.0f; // cleared by every EndFrame
    ImGui::NewFrame();
    // Inline presentation draws into the host's window: a plain auto-sized one here.
    const bool host = options.presentation == nps::imgui::Presentation::inline_;
    if (host) ImGui::Begin("host app", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
    auto out = nps::imgui::draw_survey(survey, state, options);
    if (host) ImGui::End();
    ImGui::Render();
    return out;
  }

  // Runs frames until something happens (or `max` frames); returns the last outcome.
  nps::imgui::Outcome until_event(const nps::Survey& survey, nps::FlowState& state, int max = 4,
                                  const nps::imgui::Options& options = {}) {
    nps::imgui::Outcome out;
    for (int i = 0; i < max; ++i) {
      out = frame(survey, state, options);
      if (out.what != nps::imgui::Happened::nothing) return out;
    }
    return out;
  }

  [[nodiscard]] bool has(const std::string& name) const { return items.count(name) != 0; }
  [[nodiscard]] ImVec2 center(const std::string& name) const {
    const auto& r = items.at(name);
    return ImVec2((r.first.x + r.second.x) * 0.5f, (r.first.y + r.second.y) * 0.5f);
  }

  void move_to(ImVec2 p) { ImGui::GetIO().MousePos = p; }
  void mouse(bool down) { ImGui::GetIO().MouseDown[0] = down; }
  void key(ImGuiKey k, bool down) { ImGui::GetIO().KeysDown[k] = down; }
  void ctrl(bool down) { ImGui::GetIO().KeyCtrl = down; }
  void type(const char* utf8) { ImGui::GetIO().AddInputCharactersUTF8(utf8); }

  // Press-and-release over the named item, a frame for each phase (ImGui reports a click
  // on release). Returns the first outcome that is not "nothing".
  nps::imgui::Outcome click(const std::string& name, const nps::Survey& survey, nps::FlowState& state,
                            const nps::imgui::Options& options = {}) {
    nps::imgui::Outcome out;
    const auto keep = [&](nps::imgui::Outcome o) {
      if (out.what == nps::imgui::Happened::nothing) out = std::move(o);
    };
    // Auto-sized windows anchored at the bottom take a frame or two to settle after their
    // content changed: draw until the item stays where it is.
    keep(frame(survey, state, options));
    for (int i = 0; i < 4 && has(name); ++i) {
      const ImVec2 before = center(name);
      keep(frame(survey, state, options));
      if (!has(name) || (center(name).x == before.x && center(name).y == before.y)) break;
    }
    if (!has(name)) return out;
    move_to(center(name));
    keep(frame(survey, state, options));
    mouse(true);
    keep(frame(survey, state, options));
    mouse(false);
    keep(frame(survey, state, options));
    return out;
  }

  // A gamepad button (ImGuiNavInput_*) held for one frame and released: the backend's job in
  // a real app (imgui_impl_glfw fills io.NavInputs from the first joystick).
  nps::imgui::Outcome pad(ImGuiNavInput input, const nps::Survey& survey, nps::FlowState& state,
                          const nps::imgui::Options& options = {}) {
    ImGuiIO& io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableGamepad;
    io.BackendFlags |= ImGuiBackendFlags_HasGamepad;
    nps::imgui::Outcome out;
    pad_down_ = input;
    out = frame(survey, state, options);
    pad_down_ = -1;
    auto second = frame(survey, state, options);
    return out.what != nps::imgui::Happened::nothing ? out : second;
  }

  nps::imgui::Outcome press(ImGuiKey k, const nps::Survey& survey, nps::FlowState& state,
                            const nps::imgui::Options& options = {}) {
    nps::imgui::Outcome out;
    const auto keep = [&](nps::imgui::Outcome o) {
      if (out.what == nps::imgui::Happened::nothing) out = std::move(o);
    };
    key(k, true);
    keep(frame(survey, state, options));
    key(k, false);
    keep(frame(survey, state, options));
    return out;
  }

  std::map<std::string, std::pair<ImVec2, ImVec2>> items;

private:
  ImGuiContext* ctx_ = nullptr;
  int pad_down_ = -1;
};

} // namespace nps::test
