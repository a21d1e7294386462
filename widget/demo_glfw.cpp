// Demo host for the ImGui survey widget: GLFW + OpenGL 3 natively, GLFW + WebGL 2 under
// Emscripten (the canvas page in widget/web/). One source; the differences are the main loop,
// the fonts' location and how answers travel (nps::client natively, fetch() in the page).
//
//   nps_demo_glfw --url http://127.0.0.1:8080 --survey app-nps [--lang ru] [--dir ./nps-demo]
//                 [--dark] [--step score|followup|thanks] [--screenshot out.png --frames 8]
//                 [--size 1000x640]
// Without --url it runs offline on a built-in sample survey (nothing is sent).
//
// Sections: sample survey · app state · frame · screenshot · main (native) · main (Emscripten)
#include "nps_imgui.hpp"

#include "nps/flow.hpp"
#include "nps/i18n.hpp"

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>
#define GLFW_INCLUDE_ES3
#else
#include "nps_client.hpp"
#include <stb/stb_image_write.h>
#endif
#include <GLFW/glfw3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace {

// ---- sample survey ---------------------------------------------------------------------------

#ifndef __EMSCRIPTEN__
const char* kSample = R"({
  "id": "demo-app", "name": "Demo app", "product": "Acme App",
  "theme": {"category_colors": true, "accent": "#0b7285", "position": "bottom-right"},
  "followup": {"promoter": {"thanks_link": {"url": "https://example.com/review", "append_score": true}}}
})";
#endif

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- app state -------------------------------------------------------------------------------

struct App {
  std::shared_ptr<const nps::Survey> survey;
  nps::FlowState state;
  bool active = false;
  int lang = 0; // index into built-in locales
  bool dark = false;
  int presentation = 0;                // window, modal, inline
  std::string last;                    // what happened last, for the status line
  std::map<std::string, ImVec2> items; // centres of the widget's items (page tests click them)
  int session = 0;
#ifndef __EMSCRIPTEN__
  std::unique_ptr<nps::client::Client> client;
#endif
};

App* g_app = nullptr;

const std::vector<std::string>& locales() { return nps::i18n::builtin_locales(); }

void start_session(App& app) {
  if (!app.survey) return;
  nps::FlowStart start;
#ifndef __EMSCRIPTEN__
  if (app.client) start = app.client->new_session({locales()[static_cast<std::size_t>(app.lang)]}, now_ms());
#endif
  if (start.idempotency_key.empty()) {
    char key[48];
    std::snprintf(key, sizeof key, "demo-%lld-%d", static_cast<long long>(now_ms()), ++app.session);
    start.idempotency_key = key;
    start.channel = nps::Channel::app;
    start.languages = {locales()[static_cast<std::size_t>(app.lang)]};
    start.client_time = now_ms();
  }
  auto st = nps::start_flow(*app.survey, start);
  if (!st) {
    app.last = "cannot start: " + nps::describe(st.error());
    return;
  }
  app.state = std::move(st).value();
  app.active = true;
#ifndef __EMSCRIPTEN__
  if (app.client) app.client->note_shown(now_ms());
#endif
}

#ifdef __EMSCRIPTEN__
// The page sends answers with fetch() (see widget/web/canvas.js).
EM_JS(void, nps_page_send, (const char* method, const char* key, const char* body), {
  if (Module['npsSend']) Module['npsSend'](UTF8ToString(method), UTF8ToString(key), UTF8ToString(body));
});
#endif

void deliver(App& app, nps::SendMode mode) {
  if (mode == nps::SendMode::none) return;
#ifdef __EMSCRIPTEN__
  const std::string body = nps::dump(nps::to_json(app.state.response));
  nps_page_send(mode == nps::SendMode::create ? "POST" : "PATCH", app.state.response.idempotency_key.c_str(),
                body.c_str());
#else
  if (app.client) app.client->send(app.state.response, mode);
#endif
}

// ---- frame -----------------------------------------------------------------------------------

void frame(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + 16, vp->WorkPos.y + 16), ImGuiCond_Always);
  ImGui::Begin("OpenNPS demo host", nullptr,
               ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
  ImGui::TextUnformatted("Your app's own ImGui window.");
  const std::string current = locales()[static_cast<std::size_t>(app.lang)];
  ImGui::SetNextItemWidth(160);
  if (ImGui::BeginCombo("Language", current.c_str())) {
    for (int i = 0; i < static_cast<int>(locales().size()); ++i) {
      if (ImGui::Selectable(locales()[static_cast<std::size_t>(i)].c_str(), i == app.lang) && i != app.lang) {
        app.lang = i;
        start_session(app);
      }
    }
    ImGui::EndCombo();
  }
  ImGui::Checkbox("Dark host (the survey follows it when its theme mode is auto)", &app.dark);
  ImGui::RadioButton("window", &app.presentation, 0);
  ImGui::SameLine();
  ImGui::RadioButton("modal", &app.presentation, 1);
  ImGui::SameLine();
  ImGui::RadioButton("inline", &app.presentation, 2);
  if (ImGui::Button("Show the survey")) start_session(app);
#ifndef __EMSCRIPTEN__
  if (app.client) {
    const auto s = app.client->status();
    ImGui::Text("server: %s   pending %zu   delivered %zu   failed %zu", s.online ? "online" : "offline",
                s.pending, s.delivered, s.failed);
    if (!s.last_error.empty()) ImGui::TextWrapped("last error: %s", s.last_error.c_str());
  } else {
    ImGui::TextUnformatted("offline demo: answers are not sent");
  }
#endif
  if (!app.survey) ImGui::TextUnformatted("waiting for the survey's configuration...");
  if (!app.last.empty()) ImGui::Text("last: %s", app.last.c_str());

  nps::imgui::Options o;
  o.presentation = static_cast<nps::imgui::Presentation>(app.presentation);
  o.host_mode = app.dark ? nps::imgui::HostMode::dark : nps::imgui::HostMode::light;
  o.on_item = [&app](std::string_view name, ImVec2 a, ImVec2 b) {
    app.items[std::string(name)] = ImVec2((a.x + b.x) * 0.5f, (a.y + b.y) * 0.5f);
  };
  if (app.presentation == 2 && app.active && app.survey) {
    ImGui::Separator();
    auto out = nps::imgui::draw_survey(*app.survey, app.state, o);
    deliver(app, out.send);
    if (out.what != nps::imgui::Happened::nothing) app.last = std::string(nps::to_string(app.state.step));
  }
  ImGui::End();

  if (app.presentation != 2 && app.active && app.survey) {
    auto out = nps::imgui::draw_survey(*app.survey, app.state, o);
    deliver(app, out.send);
    if (out.what == nps::imgui::Happened::rejected)
      app.last = out.error;
    else if (out.what != nps::imgui::Happened::nothing)
      app.last = std::string(nps::to_string(app.state.step));
    if (!out.open_url.empty()) app.last = "open " + out.open_url;
  }
  if (app.active && app.state.step == nps::Step::closed) {
    app.active = false;
#ifndef __EMSCRIPTEN__
    // Declined (closed before a score): the visitor's wait after a dismissal, and the funnel.
    if (app.client && app.state.dismissed) app.client->note_dismissed(now_ms());
#endif
  }
}

// Moves a fresh flow to the step a screenshot asks for.
void advance_to(App& app, const std::string& step) {
  if (!app.survey || step.empty() || step == "score") return;
  auto t = nps::apply(*app.survey, app.state, {nps::EventType::choose_score, step == "thanks" ? 10 : 6});
  if (!t) return;
  deliver(app, t->send);
  app.state = t->state;
  if (step == "thanks") {
    t = nps::apply(*app.survey, app.state, {nps::EventType::answer, "Great app"});
    if (!t) return;
    deliver(app, t->send);
    app.state = t->state;
  }
}

void setup_style(bool dark) {
  if (dark)
    ImGui::StyleColorsDark();
  else
    ImGui::StyleColorsLight();
  ImGuiStyle& s = ImGui::GetStyle();
  s.WindowRounding = 6;
  s.FrameRounding = 4;
}

} // namespace

#ifndef __EMSCRIPTEN__
// ---- screenshot ------------------------------------------------------------------------------

static bool write_screenshot(GLFWwindow* w, const std::string& path) {
  int fw = 0, fh = 0;
  glfwGetFramebufferSize(w, &fw, &fh);
  std::vector<unsigned char> px(static_cast<std::size_t>(fw) * static_cast<std::size_t>(fh) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, fw, fh, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  std::vector<unsigned char> flipped(px.size());
  const std::size_t row = static_cast<std::size_t>(fw) * 4;
  for (int y = 0; y < fh; ++y)
    std::memcpy(&flipped[static_cast<std::size_t>(y) * row], &px[static_cast<std::size_t>(fh - 1 - y) * row],
                row);
  return stbi_write_png(path.c_str(), fw, fh, 4, flipped.data(), static_cast<int>(row)) != 0;
}

// ---- main (native) ---------------------------------------------------------------------------

int main(int argc, char** argv) {
  std::string url, survey_id, lang = "en", dir = "./nps-demo-data", screenshot, step;
  int frames = 8, width = 1000, height = 640;
  bool dark = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--url")
      url = value();
    else if (a == "--survey")
      survey_id = value();
    else if (a == "--lang")
      lang = value();
    else if (a == "--dir")
      dir = value();
    else if (a == "--screenshot")
      screenshot = value();
    else if (a == "--frames")
      frames = std::atoi(value().c_str());
    else if (a == "--step")
      step = value();
    else if (a == "--dark")
      dark = true;
    else if (a == "--size")
      std::sscanf(value().c_str(), "%dx%d", &width, &height);
    else {
      std::fprintf(stderr,
                   "usage: %s [--url URL --survey ID] [--lang TAG] [--dir DIR] [--dark] [--step S] "
                   "[--screenshot FILE --frames N] [--size WxH]\n",
                   argv[0]);
      return 2;
    }
  }

  App app;
  g_app = &app;
  app.dark = dark;
  const auto& ls = locales();
  const std::string negotiated = nps::i18n::negotiate({lang}, ls, "en");
  for (int i = 0; i < static_cast<int>(ls.size()); ++i)
    if (ls[static_cast<std::size_t>(i)] == negotiated) app.lang = i;

  if (!url.empty()) {
    nps::client::Options o{url, survey_id, dir};
    auto c = nps::client::Client::open(o);
    if (!c) {
      std::fprintf(stderr, "demo: %s\n", nps::describe(c.error()).c_str());
      return 1;
    }
    app.client = std::move(c).value();
    // Wait briefly for the config so the first frame can show the survey.
    for (int i = 0; i < 300 && !app.client->survey(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    app.survey = app.client->survey();
    if (!app.survey)
      std::fprintf(stderr, "demo: no config yet: %s\n", app.client->status().last_error.c_str());
  } else {
    auto s = nps::parse_survey(nps::json::parse(kSample));
    if (!s) {
      std::fprintf(stderr, "demo: sample survey: %s\n", nps::describe(s.error()).c_str());
      return 1;
    }
    app.survey = std::make_shared<const nps::Survey>(std::move(s).value());
  }

  if (!glfwInit()) {
    std::fprintf(stderr, "demo: cannot initialise GLFW (no display?)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(width, height, "OpenNPS ImGui demo", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "demo: cannot create an OpenGL 3.3 window\n");
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard | ImGuiConfigFlags_NavEnableGamepad;
  setup_style(dark);
  auto fonts =
      nps::imgui::load_fonts(*io.Fonts, 18.0f, nps::imgui::debian_noto_fonts(),
                             app.survey ? nps::imgui::survey_texts(*app.survey) : std::vector<std::string>{});
  for (const auto& m : fonts.missing)
    std::fprintf(stderr, "demo: font missing: %s\n", m.c_str());
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");

  start_session(app);
  advance_to(app, step);

  int frame_no = 0;
  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    if (!app.survey && app.client && (app.survey = app.client->survey())) start_session(app);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    frame(app);
    ImGui::Render();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    if (app.dark)
      glClearColor(0.09f, 0.10f, 0.12f, 1.0f);
    else
      glClearColor(0.86f, 0.88f, 0.91f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (!screenshot.empty() && ++frame_no >= frames) {
      const bool ok = write_screenshot(window, screenshot);
      std::fprintf(stderr, "demo: screenshot %s %s\n", screenshot.c_str(), ok ? "written" : "FAILED");
      if (app.client) app.client->wait_idle(std::chrono::seconds(3));
      glfwSetWindowShouldClose(window, 1);
      if (!ok) return 1;
    }
    glfwSwapBuffers(window);
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}

#else
// ---- main (Emscripten) -------------------------------------------------------------------------

static GLFWwindow* g_window = nullptr;

static void loop() {
  App& app = *g_app;
  glfwPollEvents();
  int w = 0, h = 0;
  glfwGetFramebufferSize(g_window, &w, &h);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  frame(app);
  ImGui::Render();
  glViewport(0, 0, w, h);
  if (app.dark)
    glClearColor(0.09f, 0.10f, 0.12f, 1.0f);
  else
    glClearColor(0.86f, 0.88f, 0.91f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

extern "C" {
// Called by the page: the survey config it fetched, the language, the step to show.
EMSCRIPTEN_KEEPALIVE int nps_demo_set_survey(const char* config_json, const char* lang, const char* step) {
  App& app = *g_app;
  auto j = nps::parse_json(config_json);
  if (!j) return 0;
  auto s = nps::parse_survey(*j);
  if (!s) return 0;
  app.survey = std::make_shared<const nps::Survey>(std::move(s).value());
  const std::string negotiated = nps::i18n::negotiate({lang}, locales(), "en");
  for (int i = 0; i < static_cast<int>(locales().size()); ++i)
    if (locales()[static_cast<std::size_t>(i)] == negotiated) app.lang = i;
  start_session(app);
  advance_to(app, step);
  return 1;
}
// The centre of a widget item ("score7", "action:submit", ...) as "x,y" in canvas pixels, or "".
EMSCRIPTEN_KEEPALIVE const char* nps_demo_item(const char* name) {
  static std::string s;
  auto it = g_app->items.find(name);
  s = it == g_app->items.end() ? "" : std::to_string(it->second.x) + "," + std::to_string(it->second.y);
  return s.c_str();
}
// The current step, for the page's tests.
EMSCRIPTEN_KEEPALIVE const char* nps_demo_step() {
  static std::string s;
  s = std::string(nps::to_string(g_app->state.step));
  return s.c_str();
}
}

int main() {
  static App app;
  g_app = &app;
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  double cw = 1000, ch = 640;
  emscripten_get_element_css_size("#canvas", &cw, &ch);
  g_window = glfwCreateWindow(static_cast<int>(cw), static_cast<int>(ch), "OpenNPS", nullptr, nullptr);
  if (!g_window) return 1;
  glfwMakeContextCurrent(g_window);
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  setup_style(false);
  // Fonts: subsets of Debian's Noto fonts preloaded into the virtual file system (/fonts).
  nps::imgui::FontFiles f;
  f.latin = "/fonts/latin.ttf";
  f.arabic = "/fonts/arabic.ttf";
  f.hebrew = "/fonts/hebrew.ttf";
  f.cjk = "/fonts/cjk.ttf";
  f.cjk_index = 0;
  nps::imgui::load_fonts(*io.Fonts, 18.0f, f);
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");
  emscripten_set_main_loop(loop, 0, false);
  return 0;
}
#endif
