// The questions after the follow-up on a link's landing page (issue 14): the page asks a
// survey's additional questions one at a time, as the widget does, each POSTed on its own.
// The server keeps no session: it replays the stored answer through the core's flow (the
// score, the comment, then each additional question the flow asks, answered as stored or
// else skipped) to find the question being asked, applies the posted answer with the
// core's rules (a required question cannot be skipped, a choice must be one of the
// options, a rating within its scale), and replies with the next question or the thanks.
#pragma once

#include "nps/flow.hpp"
#include "nps/json.hpp"

#include <optional>
#include <string>

namespace npsd {

// The flow of `stored` replayed past its follow-up: with no `stop_at`, there (the first
// additional question, or the thanks); else up to the question `stop_at` (the one the page
// answers), the questions before it answered as stored or skipped. A required question
// before it without an answer stops the replay there, so the caller sees that `stop_at` is
// not the question being asked; so does a `stop_at` the flow does not reach (the thanks).
[[nodiscard]] std::optional<nps::FlowState>
replay_link_flow(const nps::Survey& survey, const nps::Response& stored, const std::string& stop_at = "");

// What the page draws next: {question: the core's view of it, progress, actions: {next,
// skip}} at a question; {thanks, link} otherwise.
[[nodiscard]] nps::json link_step_reply(const nps::Survey& survey, const nps::FlowState& state);

} // namespace npsd
