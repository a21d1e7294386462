// The longer trend's test (nps/trend.hpp): a weighted least-squares line through the
// periods' NPS, and the last period against the first.
#include "nps/trend.hpp"

#include <cmath>

namespace nps {

Result<TrendTest> trend_test(const std::vector<Tally>& periods) {
  struct Point {
    double x, y, w;
  };
  std::vector<Point> points;
  TrendTest out;
  const Tally* first = nullptr;
  const Tally* last = nullptr;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const Tally& t = periods[i];
    if (t.n() == 0) continue;
    const double n = static_cast<double>(t.n());
    const double nps = 100.0 * (static_cast<double>(t.promoters()) - static_cast<double>(t.detractors())) / n;
    const double se = adjusted_wald(t).se; // never 0: the adjustment keeps it positive
    points.push_back({static_cast<double>(i), nps, 1.0 / (se * se)});
    out.n += t.n();
    if (!first) first = &t;
    last = &t;
  }
  if (points.size() < 2)
    return Error{ErrorCode::no_data, "periods", "needs at least two periods with answers"};
  out.periods = points.size();
  double sw = 0, sx = 0, sy = 0;
  for (const auto& p : points) {
    sw += p.w;
    sx += p.w * p.x;
    sy += p.w * p.y;
  }
  const double mx = sx / sw, my = sy / sw;
  double sxx = 0, sxy = 0;
  for (const auto& p : points) {
    sxx += p.w * (p.x - mx) * (p.x - mx);
    sxy += p.w * (p.x - mx) * (p.y - my);
  }
  const double slope = sxy / sxx;
  const double se = std::sqrt(1.0 / sxx);
  out.slope = round_to(slope, 2);
  out.slope_se = round_to(se, 2);
  out.start = round_to(my + slope * (points.front().x - mx), 2);
  out.change = round_to(slope * (points.back().x - points.front().x), 2);
  out.z = round_to(slope / se, 6);
  out.p = round_to(two_sided_p(slope / se), 6);
  out.significant = out.p < 0.05;
  out.small_sample = out.periods < 3 || out.n < small_sample_below;
  auto c = compare(*last, *first);
  if (!c) return c.errors(); // unreachable: both have answers
  out.first_vs_last = *c;
  return out;
}

} // namespace nps
