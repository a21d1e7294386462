// Replaying a link's stored answer through the core's flow (see link_flow.hpp).
#include "link_flow.hpp"

#include "nps/i18n.hpp"

namespace npsd {

std::optional<nps::FlowState> replay_link_flow(const nps::Survey& survey, const nps::Response& stored,
                                               const std::string& stop_at) {
  nps::FlowStart start;
  start.idempotency_key = stored.idempotency_key;
  if (stored.locale) start.languages = {*stored.locale};
  // The link brought the score: the session starts at it (never at a qualifying question,
  // which the web and apps ask first).
  start.channel = stored.channel == nps::Channel::web || stored.channel == nps::Channel::app
                      ? nps::Channel::link
                      : stored.channel;
  auto st = nps::start_flow(survey, start);
  if (!st) return std::nullopt;
  auto a = nps::apply(survey, *st, {nps::EventType::choose_score, nps::json(stored.score.value())});
  if (!a) return std::nullopt;
  nps::FlowState state = a->state;
  if (state.step == nps::Step::followup) {
    a = nps::apply(survey, state, {nps::EventType::answer, nps::json(stored.comment.value_or(""))});
    if (!a) return std::nullopt;
    state = a->state;
  }
  if (stop_at.empty()) return state; // the first question after the follow-up, or the thanks
  while (state.step == nps::Step::question) {
    const auto& qs = survey.flow_for(stored.category()).questions;
    const auto& id = qs[static_cast<std::size_t>(state.question)].id;
    if (id == stop_at) return state;
    const auto it = stored.answers.find(id);
    if (it != stored.answers.end())
      a = nps::apply(survey, state, {nps::EventType::answer, *it});
    else
      a = nps::apply(survey, state, {nps::EventType::skip, nullptr});
    if (!a) return state; // a required question not answered yet: this is the one being asked
    state = a->state;
  }
  return state;
}

nps::json link_step_reply(const nps::Survey& survey, const nps::FlowState& state) {
  const nps::json v = nps::view(survey, state);
  if (state.step == nps::Step::question) {
    nps::json actions = {{"next", nullptr}, {"skip", nullptr}};
    for (const auto& a : v["actions"]) {
      const auto& name = a["action"].get_ref<const std::string&>();
      if (name == "skip") actions["skip"] = a["label"];
      if (name == "next" || name == "submit") actions["next"] = a["label"];
    }
    return {{"question", v["question"]}, {"progress", v["progress"]["label"]}, {"actions", actions}};
  }
  if (v.contains("thanks")) return {{"thanks", v["thanks"]["text"]}, {"link", v["thanks"]["link"]}};
  return {{"thanks", std::string(nps::i18n::builtin(state.locale, nps::i18n::Text::thanks))},
          {"link", nullptr}};
}

} // namespace npsd
