#include "nps/themes.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace nps {

namespace {
double total(const TermCounts& c) {
  double n = 0;
  for (const auto& [term, count] : c)
    n += static_cast<double>(count);
  return n;
}
std::uint64_t count_of(const TermCounts& c, const std::string& term) {
  auto it = c.find(term);
  return it == c.end() ? 0 : it->second;
}
} // namespace

Result<std::vector<TermScore>> log_odds(const TermCounts& a, const TermCounts& b, const TermCounts* prior,
                                        double prior_scale) {
  if (!(prior_scale > 0) || !std::isfinite(prior_scale))
    return Error{ErrorCode::invalid_value, "prior_scale", "a number above 0"};
  const double n_a = total(a), n_b = total(b);
  if (n_a == 0) return Error{ErrorCode::no_data, "a", "the first group has no terms"};
  if (n_b == 0) return Error{ErrorCode::no_data, "b", "the second group has no terms"};

  // The terms, and their prior counts α_w.
  std::map<std::string, double> alpha;
  for (const auto* side : {&a, &b})
    for (const auto& [term, count] : *side)
      if (count > 0) alpha[term] = 0;
  if (prior) {
    Errors errors;
    for (auto& [term, value] : alpha) {
      value = static_cast<double>(count_of(*prior, term)) * prior_scale;
      if (value <= 0)
        errors.push_back(Error{ErrorCode::invalid_value, join_path("prior", term),
                               "every term counted in a or b needs a prior count above 0"});
    }
    if (!errors.empty()) return errors;
  } else {
    for (auto& [term, value] : alpha)
      value = static_cast<double>(count_of(a, term) + count_of(b, term)) * prior_scale;
  }
  double alpha0 = 0;
  if (prior)
    alpha0 = total(*prior) * prior_scale;
  else
    for (const auto& [term, value] : alpha)
      alpha0 += value;

  std::vector<TermScore> out;
  out.reserve(alpha.size());
  for (const auto& [term, aw] : alpha) {
    TermScore s;
    s.term = term;
    s.a = count_of(a, term);
    s.b = count_of(b, term);
    const double ya = static_cast<double>(s.a) + aw, yb = static_cast<double>(s.b) + aw;
    const double delta = std::log(ya / (n_a + alpha0 - ya)) - std::log(yb / (n_b + alpha0 - yb));
    const double se = std::sqrt(1.0 / ya + 1.0 / yb);
    s.delta = round_to(delta, 6);
    s.se = round_to(se, 6);
    s.z = round_to(delta / se, 6);
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(),
            [](const TermScore& x, const TermScore& y) { return x.z != y.z ? x.z > y.z : x.term < y.term; });
  return out;
}

Result<Impact> impact(const Tally& with, const Tally& without) {
  auto w = summarize(with);
  if (!w) return Error{ErrorCode::no_data, "with", "no respondent mentions the theme"};
  auto wo = summarize(without);
  if (!wo) return Error{ErrorCode::no_data, "without", "every respondent mentions the theme"};
  auto c = compare(with, without);
  if (!c) return c.errors();
  // MOVER (Zou & Donner 2008; Newcombe 1998's method 10 for two proportions): each side's
  // own interval, the adjusted Wald of summarize() inside [-100, 100], widened to hold its
  // NPS; the difference's limits recover the variance from the distances to those limits.
  // Both limits stay in [-200, 200] (sqrt(x² + y²) <= x + y) and the interval holds the
  // difference, which the symmetric raw ± 1.96 · se did not at small n (n = 6 read
  // "-200 [-258 … -142]").
  const auto side = [](const Tally& t) {
    const double n = static_cast<double>(t.n());
    const double est = 100.0 * (static_cast<double>(t.promoters()) - static_cast<double>(t.detractors())) / n;
    const Adjusted a = adjusted_wald(t);
    const double lo = std::min(est, std::clamp(a.center - 1.96 * a.se, -100.0, 100.0));
    const double hi = std::max(est, std::clamp(a.center + 1.96 * a.se, -100.0, 100.0));
    return std::array<double, 3>{est, lo, hi};
  };
  const auto [e1, l1, u1] = side(with);
  const auto [e2, l2, u2] = side(without);
  const double diff = e1 - e2;
  const double lo = diff - std::sqrt((e1 - l1) * (e1 - l1) + (u2 - e2) * (u2 - e2));
  const double hi = diff + std::sqrt((u1 - e1) * (u1 - e1) + (e2 - l2) * (e2 - l2));
  Impact out{*w, *wo, *c, Interval{round_to(lo, 2), round_to(hi, 2)}};
  return out;
}

Result<Trend> trend(const std::vector<Period>& periods) {
  Errors errors;
  double n = 0, k = 0, nt = 0, nt2 = 0;
  std::size_t with_comments = 0;
  Trend out;
  for (std::size_t i = 0; i < periods.size(); ++i) {
    const Period& p = periods[i];
    if (p.mentions > p.comments) {
      errors.push_back(Error{ErrorCode::invalid_value, join_path(join_path("", i), "mentions"),
                             "cannot exceed the comments of the period"});
      continue;
    }
    const double ni = static_cast<double>(p.comments), ti = static_cast<double>(i);
    out.shares.push_back(p.comments ? round_to(100.0 * static_cast<double>(p.mentions) / ni, 2) : 0.0);
    n += ni;
    k += static_cast<double>(p.mentions);
    nt += ni * ti;
    nt2 += ni * ti * ti;
    if (p.comments) ++with_comments;
  }
  if (!errors.empty()) return errors;
  if (with_comments < 2)
    return Error{ErrorCode::no_data, "", "a trend needs comments in two periods or more"};
  const double pbar = k / n;
  double num = 0;
  for (std::size_t i = 0; i < periods.size(); ++i)
    num += static_cast<double>(i) *
           (static_cast<double>(periods[i].mentions) - static_cast<double>(periods[i].comments) * pbar);
  const double var = pbar * (1 - pbar) * (nt2 - nt * nt / n);
  if (var > 0) {
    const double z = num / std::sqrt(var);
    out.z = round_to(z, 6);
    out.p = round_to(two_sided_p(z), 6);
  }
  out.rising = out.z > 0 && out.p < 0.05;
  out.falling = out.z < 0 && out.p < 0.05;
  return out;
}

std::string_view to_string(Tone t) {
  switch (t) {
  case Tone::negative: return "negative";
  case Tone::positive: return "positive";
  case Tone::neutral: break;
  }
  return "neutral";
}

SentimentVerdict sentiment_verdict(Score score, int sum) {
  SentimentVerdict v;
  v.tone = sum < 0 ? Tone::negative : sum > 0 ? Tone::positive : Tone::neutral;
  const auto category = classify(score);
  v.disagrees = (category == Category::promoter && sum <= -kDisagreeSum) ||
                (category == Category::detractor && sum >= kDisagreeSum);
  return v;
}

} // namespace nps
