// Counts per score and the statistics computed from them.
//
// Sections: Tally (counts, add, merge) · Summary (NPS, shares, adjusted-Wald interval,
// small-sample flag) · Comparison (two groups: difference, z, two-sided p).
//
// Tallies add up: any grouping or sharding of answers can be summed with merge, and the
// statistics of the sum equal the statistics of all answers taken together. Skipped or
// blank answers are never tallied, so they never deflate the NPS.
#pragma once

#include "nps/result.hpp"
#include "nps/score.hpp"

#include <array>
#include <cstdint>
#include <optional>

namespace nps {

class Tally {
public:
  Tally() = default;

  void add(Score s, std::uint64_t times = 1) noexcept { counts_[s.value()] += times; }
  Tally& merge(const Tally& other) noexcept;
  [[nodiscard]] friend Tally merged(Tally a, const Tally& b) noexcept { return a.merge(b); }

  [[nodiscard]] std::uint64_t count(Score s) const noexcept { return counts_[s.value()]; }
  [[nodiscard]] std::uint64_t count(int score) const noexcept { return counts_.at(score); }
  [[nodiscard]] const std::array<std::uint64_t, 11>& counts() const noexcept { return counts_; }
  [[nodiscard]] std::uint64_t n() const noexcept;
  [[nodiscard]] std::uint64_t count(Category c) const noexcept;
  [[nodiscard]] std::uint64_t promoters() const noexcept { return count(Category::promoter); }
  [[nodiscard]] std::uint64_t passives() const noexcept { return count(Category::passive); }
  [[nodiscard]] std::uint64_t detractors() const noexcept { return count(Category::detractor); }

  friend bool operator==(const Tally&, const Tally&) = default;

private:
  std::array<std::uint64_t, 11> counts_{};
};

struct Interval {
  double lo = 0;
  double hi = 0;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// Below this many answers the normal approximation behind the interval and the
// significance tests is too rough to trust; views show a warning.
inline constexpr std::uint64_t small_sample_below = 30;

struct Summary {
  std::uint64_t n = 0;
  std::uint64_t promoters = 0, passives = 0, detractors = 0;
  double promoter_share = 0, passive_share = 0, detractor_share = 0; // percent, 0..100
  double nps = 0; // points, −100..100, from the raw counts
  Interval ci95;  // adjusted-Wald 95% interval, points, clamped to [−100, 100]
  double se = 0;  // adjusted standard error of the NPS, in points
  bool small_sample = false;
};

// Figures are rounded so that every build (native, Wasm) prints the same digits:
// points and percents to 2 decimals, p-values and z to 6.
[[nodiscard]] double round_to(double v, int decimals) noexcept;

// Error no_data when the tally is empty: an NPS of nothing is not 0.
[[nodiscard]] Result<Summary> summarize(const Tally& t);

// The adjusted-Wald (Rocks 2016) interval and standard error, in points.
// n' = n + 3, p' = (P + 0.75)/n', d' = (D + 0.75)/n', se = sqrt((p' + d' − (p' − d')²)/n').
struct Adjusted {
  double center = 0; // (p' − d') in points
  double se = 0;     // in points
};
[[nodiscard]] Adjusted adjusted_wald(const Tally& t) noexcept;

struct Comparison {
  double difference = 0;     // NPS(a) − NPS(b), points, from raw counts
  double z = 0;              // difference / sqrt(se_a² + se_b²), adjusted standard errors
  double p = 1;              // two-sided p-value from the normal distribution
  bool significant = false;  // p < 0.05
  bool small_sample = false; // either side is a small sample
};

// Error no_data when either side is empty.
[[nodiscard]] Result<Comparison> compare(const Tally& a, const Tally& b);

// Two-sided p-value of a standard normal statistic; deterministic across builds.
[[nodiscard]] double two_sided_p(double z) noexcept;

} // namespace nps
