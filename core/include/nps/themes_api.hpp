// The themes operations of invoke() (api.cpp dispatches to them; bodies in themes_api.cpp).
#pragma once

#include "nps/json.hpp"
#include "nps/result.hpp"

namespace nps {

[[nodiscard]] Result<ordered_json> op_themes_log_odds(const json& in);
[[nodiscard]] Result<ordered_json> op_themes_prune(const json& in);
[[nodiscard]] Result<ordered_json> op_themes_impact(const json& in);
[[nodiscard]] Result<ordered_json> op_themes_trend(const json& in);
[[nodiscard]] Result<ordered_json> op_themes_sentiment(const json& in);

} // namespace nps
