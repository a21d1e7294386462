// The README's quickstart, compiled by the build (target nps_quickstart_example) and compared
// with the README's code block by the test widget.readme: keep the two identical.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

static std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// <readme>
#include "nps_client.hpp" // target nps::client
#include "nps_imgui.hpp"  // target nps::imgui_widget

std::unique_ptr<nps::client::Client> client; // at start-up: config, queue, visitor in data_dir
std::optional<nps::FlowState> flow;

void setup(const std::string& data_dir) { // before the first ImGui frame
  client = nps::client::Client::open({"http://127.0.0.1:8080", "app-nps", data_dir}).value();
  nps::imgui::load_fonts(*ImGui::GetIO().Fonts, 18.0f, nps::imgui::debian_noto_fonts());
}

void every_frame() { // inside your ImGui frame
  auto survey = client->survey();
  if (survey && !flow && client->eligibility(now_ms()).verdict == nps::Verdict::show)
    flow = nps::start_flow(*survey, client->new_session({"en"}, now_ms())).value();
  if (survey && flow) client->send(flow->response, nps::imgui::draw_survey(*survey, *flow).send);
}
// </readme>
