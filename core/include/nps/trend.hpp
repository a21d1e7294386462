// The longer trend: is the NPS climbing or falling over a whole range of periods, not just
// from one period to the next? A six-month climb from −7 to +30 in small steps is never
// significant bucket to bucket, but it is a real change.
//
// Two answers from the same periods (tallies in time order, one per day, week or month;
// a period without answers is kept as an empty tally so the spacing stays true):
// - the linear trend: a weighted least-squares line through each period's NPS, weights
//   1/se² (the adjusted-Wald standard errors of tally.hpp), its slope in points per period,
//   z = slope / se(slope) and the two-sided p (variances taken as known);
// - the last period against the first (compare() of tally.hpp), as people say it.
#pragma once
#include "nps/json.hpp"
#include "nps/result.hpp"
#include "nps/tally.hpp"

#include <cstddef>
#include <vector>

namespace nps {

struct TrendTest {
  std::size_t periods = 0;   // periods with answers
  std::uint64_t n = 0;       // answers in all
  double slope = 0;          // NPS points per period (weighted least squares), 2 decimals
  double slope_se = 0;       // its standard error, 2 decimals
  double start = 0;          // the line's value at the first period with answers, 2 decimals
  double change = 0;         // the line's change from the first to the last period with answers
  double z = 0, p = 1;       // slope / slope_se and its two-sided p, 6 decimals
  bool significant = false;  // p < 0.05
  bool small_sample = false; // fewer than 3 periods with answers, or fewer than 30 answers in all
  Comparison first_vs_last;  // the last period with answers against the first (difference = last − first)
};

// Error no_data when fewer than two periods have answers.
[[nodiscard]] Result<TrendTest> trend_test(const std::vector<Tally>& periods);

// The operation tally.trend: {"periods": [[11 counts], ...]} → the TrendTest as JSON.
[[nodiscard]] Result<ordered_json> tally_trend_op(const json& in);

} // namespace nps
