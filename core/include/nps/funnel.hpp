// The funnel (issue 19): of those a survey reached, how many saw it, dismissed it and
// answered it, per channel, and the rates with their 95% intervals.
//
// Counts per channel: `sent` (messages delivered: e-mail, SMS; 0 where nothing is sent),
// `shown` (the survey drawn for a person: the widget's impressions, a link page opened),
// `dismissed` (closed without an answer) and `answered`.
// - The response rate's base is `sent` where the channel sends, `shown` otherwise: an
//   e-mail survey's rate is answers per message, a pop-up's answers per impression.
// - A rate is given only when its numerator does not exceed its base. Otherwise (answers
//   from before impressions were counted, or from a channel that counts none, such as an
//   import or the API) it is left out with a note saying why, rather than a rate above 100%.
// - Intervals: Wilson's score interval at 95% (statsmodels' proportion_confint(method="wilson")
//   is the oracle); values rounded to 6 decimals.
// - The total sums the channels whose response rate could be given, so it is never diluted
//   by answers nobody counted the impressions of; `answered_all` counts every answer.
#pragma once
#include "nps/json.hpp"
#include "nps/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nps {

struct FunnelCounts {
  std::string channel;
  std::uint64_t sent = 0, shown = 0, dismissed = 0, answered = 0;
};

struct Rate {
  double value = 0, low = 0, high = 0;
};

// "" when the rate is given; otherwise why not.
enum class FunnelNote { none, not_counted, answered_exceeds_base };

struct FunnelRow {
  FunnelCounts counts;
  bool base_is_sent = false;         // the response rate is per message sent
  std::optional<Rate> response_rate; // answered / base
  std::optional<Rate> dismiss_rate;  // dismissed / shown
  std::optional<Rate> shown_rate;    // shown / sent (a link opened), where sent
  FunnelNote note = FunnelNote::none;
};

struct Funnel {
  std::vector<FunnelRow> channels; // in the order given
  FunnelRow total;                 // channel "all": the channels whose response rate is given
  std::uint64_t answered_all = 0;  // every answer, counted or not
};

[[nodiscard]] Rate wilson_interval(std::uint64_t successes, std::uint64_t trials);
// Errors: an empty or repeated channel name.
[[nodiscard]] Result<Funnel> funnel(const std::vector<FunnelCounts>& channels);
[[nodiscard]] const char* to_string(FunnelNote n) noexcept;
// The funnel as funnel.summary prints it (below).
[[nodiscard]] ordered_json to_json(const Funnel& f);

// The operation funnel.summary: {"channels":[{"channel","sent"?,"shown","dismissed","answered"}]}
// → {"channels":[row...], "total":row, "answered_all"}, a row being {"channel","sent","shown",
// "dismissed","answered","base":"sent"|"shown","response_rate":{value,low,high}|null,
// "dismiss_rate":…|null,"shown_rate":…|null,"note":""|"not_counted"|"answered_exceeds_base"}.
[[nodiscard]] Result<ordered_json> op_funnel_summary(const json& in);

} // namespace nps
