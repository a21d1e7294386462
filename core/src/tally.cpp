#include "nps/tally.hpp"

#include <algorithm>
#include <cmath>

namespace nps {

Tally& Tally::merge(const Tally& other) noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i)
    counts_[i] += other.counts_[i];
  return *this;
}

std::uint64_t Tally::n() const noexcept {
  std::uint64_t total = 0;
  for (auto c : counts_)
    total += c;
  return total;
}

std::uint64_t Tally::count(Category c) const noexcept {
  std::uint64_t total = 0;
  for (int s = 0; s <= 10; ++s)
    if (classify(*Score::from_int(s)) == c) total += counts_[s];
  return total;
}

double round_to(double v, int decimals) noexcept {
  double scale = 1;
  for (int i = 0; i < decimals; ++i)
    scale *= 10;
  const double r = std::round(v * scale) / scale;
  return r == 0 ? 0.0 : r; // never print -0
}

Adjusted adjusted_wald(const Tally& t) noexcept {
  const double np = static_cast<double>(t.n()) + 3.0;
  const double p = (static_cast<double>(t.promoters()) + 0.75) / np;
  const double d = (static_cast<double>(t.detractors()) + 0.75) / np;
  const double diff = p - d;
  const double var = std::max(0.0, p + d - diff * diff);
  return Adjusted{100.0 * diff, 100.0 * std::sqrt(var / np)};
}

Result<Summary> summarize(const Tally& t) {
  Summary s;
  s.n = t.n();
  if (s.n == 0) return Error{ErrorCode::no_data, "", "no answers to compute an NPS from"};
  s.promoters = t.promoters();
  s.passives = t.passives();
  s.detractors = t.detractors();
  const double n = static_cast<double>(s.n);
  s.promoter_share = round_to(100.0 * static_cast<double>(s.promoters) / n, 2);
  s.passive_share = round_to(100.0 * static_cast<double>(s.passives) / n, 2);
  s.detractor_share = round_to(100.0 * static_cast<double>(s.detractors) / n, 2);
  s.nps = round_to(100.0 * (static_cast<double>(s.promoters) - static_cast<double>(s.detractors)) / n, 2);
  const Adjusted a = adjusted_wald(t);
  const double half = 1.96 * a.se;
  s.ci95 = Interval{round_to(std::clamp(a.center - half, -100.0, 100.0), 2),
                    round_to(std::clamp(a.center + half, -100.0, 100.0), 2)};
  s.se = round_to(a.se, 2);
  s.small_sample = s.n < small_sample_below;
  return s;
}

namespace {
// exp(x) for x <= 0 from + − × ÷ only, so native and Wasm builds agree to the last bit
// (libm implementations may differ in the final ulp). Range reduction by halving,
// Taylor series, then repeated squaring.
double exp_nonpositive(double x) noexcept {
  if (x < -745) return 0;
  int halvings = 0;
  while (x < -0.125) {
    x /= 2;
    ++halvings;
  }
  double term = 1, sum = 1;
  for (int k = 1; k < 30; ++k) {
    term *= x / k;
    sum += term;
  }
  for (int i = 0; i < halvings; ++i)
    sum *= sum;
  return sum;
}
} // namespace

double two_sided_p(double z) noexcept {
  // Upper tail of the standard normal via erfc, W. J. Cody's rational approximations
  // as in Numerical Recipes' erfcc (fractional error < 1.2e-7, enough for 6 decimals).
  const double x = std::fabs(z) / std::sqrt(2.0);
  const double t = 1.0 / (1.0 + 0.5 * x);
  const double poly =
      -x * x - 1.26551223 +
      t * (1.00002368 +
           t * (0.37409196 +
                t * (0.09678418 +
                     t * (-0.18628806 +
                          t * (0.27886807 +
                               t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const double erfc = t * exp_nonpositive(poly);
  return std::clamp(erfc, 0.0, 1.0); // P(|Z| > |z|) = erfc(|z|/√2)
}

Result<Comparison> compare(const Tally& a, const Tally& b) {
  if (a.n() == 0) return Error{ErrorCode::no_data, "a", "the first group has no answers"};
  if (b.n() == 0) return Error{ErrorCode::no_data, "b", "the second group has no answers"};
  const auto nps_of = [](const Tally& t) {
    return 100.0 * (static_cast<double>(t.promoters()) - static_cast<double>(t.detractors())) /
           static_cast<double>(t.n());
  };
  const double diff = nps_of(a) - nps_of(b);
  const Adjusted aa = adjusted_wald(a), ab = adjusted_wald(b);
  const double se = std::sqrt(aa.se * aa.se + ab.se * ab.se);
  Comparison c;
  c.difference = round_to(diff, 2);
  c.z = se > 0 ? round_to(diff / se, 6) : 0;
  c.p = round_to(two_sided_p(diff / se), 6);
  c.significant = c.p < 0.05;
  c.small_sample = a.n() < small_sample_below || b.n() < small_sample_below;
  return c;
}

} // namespace nps
