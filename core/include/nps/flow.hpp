// The state machine of one respondent's session, and the view every renderer draws.
//
//   [qualify ──answer that qualifies──▶] score ──choose──▶ follow-up ──answer/skip──▶ additional questions
//   (those whose condition holds, in order) ──▶ thanks ──close──▶ closed back returns to the previous step
//   keeping answers; dismiss closes from anywhere.
//
// The score is sent the moment it is chosen (a partial response: someone who leaves
// after the score is not lost); every later answer sends an update of the same response
// (same idempotency key). Renderers (DOM widget, ImGui view) hold no survey logic: they
// draw `view()` and feed events to `apply()`.
//
// Sections: state · events · start/apply · view · JSON
#pragma once

#include "nps/json.hpp"
#include "nps/response.hpp"
#include "nps/result.hpp"
#include "nps/survey.hpp"

#include <optional>
#include <string>
#include <vector>

namespace nps {

// ---- state ---------------------------------------------------------------------------------

// qualify: the survey's qualifying question, before the score (survey.hpp's Qualifier); its
// view is a question step with "qualifying": true, so every renderer draws it as one.
enum class Step { score, followup, question, thanks, closed, qualify };
[[nodiscard]] std::string_view to_string(Step s) noexcept;

struct FlowState {
  Step step = Step::score;
  int question = -1;                       // index into the category's questions at Step::question
  std::vector<int> history;                // earlier steps for back: -2 score, -1 follow-up, n question n
  bool dismissed = false;                  // closed without a score
  bool sent = false;                       // the response has been created (later sends are updates)
  std::string locale;                      // negotiated, canonical
  Response response;                       // score, comment, answers and the respondent context
  std::optional<std::string> announcement; // for screen readers, set by the last event

  [[nodiscard]] bool has_score() const noexcept { return sent; }
  friend bool operator==(const FlowState&, const FlowState&) = default;
};

// What a new session knows: who and where. The caller supplies the idempotency key and
// the time, so the core stays free of randomness and clocks.
struct FlowStart {
  std::string idempotency_key;
  std::vector<std::string> languages; // the visitor's preferences, best first
  Channel channel = Channel::web;
  std::optional<std::string> respondent_id;
  json attributes = json::object();
  std::optional<std::string> page;
  std::optional<Device> device;
  std::optional<std::int64_t> client_time;
};

// ---- events --------------------------------------------------------------------------------

enum class EventType { choose_score, answer, skip, back, dismiss, close };
[[nodiscard]] std::string_view to_string(EventType e) noexcept;

struct FlowEvent {
  EventType type = EventType::close;
  json value; // choose_score: 0..10; answer: text, option id, [option ids] or rating
};

// What the renderer must send after an event: nothing, the new response (POST), or an
// update of the response already sent (PATCH, same idempotency key).
enum class SendMode { none, create, update };
struct Transition {
  FlowState state;
  SendMode send = SendMode::none;
};

// ---- start/apply ---------------------------------------------------------------------------

[[nodiscard]] Result<FlowState> start_flow(const Survey& survey, const FlowStart& start);
// An event that is not possible in the current step (back on the score step, an answer
// that does not fit the question, skipping a required question) is an error; the state
// the caller holds stays valid.
[[nodiscard]] Result<Transition> apply(const Survey& survey, const FlowState& state, const FlowEvent& event);

// ---- view ----------------------------------------------------------------------------------

// Everything a renderer needs, texts already in the session's language: see flow.cpp's
// view_json for the shape. Pure function of survey and state.
[[nodiscard]] json view(const Survey& survey, const FlowState& state);

// ---- JSON ----------------------------------------------------------------------------------

[[nodiscard]] json to_json(const FlowState& s);
[[nodiscard]] Result<FlowState> parse_flow_state(const json& j);
// Reads back what to_json(FlowState) wrote, without validating: the browser's flow module
// only ever gets its own output back (the widget keeps the state in memory). A missing or
// mistyped field takes its default. For every valid s: read_normalized_flow_state(to_json(s)) == s.
[[nodiscard]] FlowState read_normalized_flow_state(const json& j);
[[nodiscard]] Result<FlowEvent> parse_flow_event(const json& j);
[[nodiscard]] Result<FlowStart> parse_flow_start(const json& j);

// The thank-you link with the score and comment appended as the survey asks
// (?nps_score=9&nps_comment=...), percent-encoded, before any #fragment.
[[nodiscard]] std::string thanks_url(const ThanksLink& link, const Response& r);

} // namespace nps
