// A tally and its summary as the core's operations print them (tally_json.cpp): the counts,
// `summarize`'s object and tally.summary's. Internal to the core's sources; summary_json and
// tally_summary_json are public in nps/api.hpp.
#pragma once

#include "nps/json.hpp"
#include "nps/tally.hpp"

namespace nps::detail {
// The 11 counts, scores 0 to 10.
[[nodiscard]] ordered_json counts_json(const Tally& t);
} // namespace nps::detail
