// Names shared by flow.cpp (transitions, the view) and flow_json.cpp (their JSON).
#pragma once

#include "nps/flow.hpp"

#include <optional>
#include <string_view>

namespace nps {

inline constexpr int history_score = -2; // FlowState::history: the score step

[[nodiscard]] std::optional<Step> step_from_string(std::string_view s);
[[nodiscard]] std::optional<EventType> event_from_string(std::string_view s);

} // namespace nps
