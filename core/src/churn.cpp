#include "nps/churn.hpp"

#include "nps/stats_math.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace nps {

std::size_t churn_min_events(std::size_t features) noexcept {
  return std::max(churn_min_events_floor, churn_events_per_feature * features);
}

ChurnModel fit_logistic(const std::vector<Predictor>& features, const std::vector<double>& y,
                        const std::vector<std::size_t>& rows, double C) {
  const std::size_t p = features.size(), m = p + 1;
  ChurnModel model;
  std::vector<std::vector<double>> z(p, std::vector<double>(rows.size()));
  for (std::size_t j = 0; j < p; ++j) {
    const auto& v = features[j].values;
    double mean = 0;
    for (std::size_t r : rows)
      mean += v[r];
    mean /= static_cast<double>(rows.size());
    double ss = 0;
    for (std::size_t r : rows)
      ss += (v[r] - mean) * (v[r] - mean);
    double sd = std::sqrt(ss / static_cast<double>(rows.size()));
    if (!(sd > 0)) sd = 1;
    for (std::size_t i = 0; i < rows.size(); ++i)
      z[j][i] = (v[rows[i]] - mean) / sd;
    model.features.push_back({features[j].name, mean, sd, 0});
  }
  const double lambda = 1 / C;
  std::vector<double> w(m, 0.0), x(m);
  for (int iter = 0; iter < 100; ++iter) {
    stats::Matrix H(m);
    std::vector<double> g(m, 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      x[0] = 1;
      for (std::size_t j = 0; j < p; ++j)
        x[j + 1] = z[j][i];
      double eta = 0;
      for (std::size_t k = 0; k < m; ++k)
        eta += w[k] * x[k];
      const double pr = stats::sigmoid(eta);
      const double r = pr - y[rows[i]], v = pr * (1 - pr);
      for (std::size_t a = 0; a < m; ++a) {
        g[a] += r * x[a];
        const double vx = v * x[a];
        for (std::size_t b = a; b < m; ++b)
          H(a, b) += vx * x[b];
      }
    }
    for (std::size_t a = 1; a < m; ++a) {
      g[a] += lambda * w[a];
      H(a, a) += lambda;
    }
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = 0; b < a; ++b)
        H(a, b) = H(b, a);
    H(0, 0) += 1e-12; // keeps the intercept's pivot positive when every prediction saturates
    const auto step = stats::solve_spd(H, g);
    if (!step) break;
    double largest = 0;
    for (double s : *step)
      largest = std::max(largest, std::fabs(s));
    const double scale = largest > 5 ? 5 / largest : 1; // a damped first step on separated data
    for (std::size_t k = 0; k < m; ++k)
      w[k] -= scale * (*step)[k];
    if (largest < 1e-10) break;
  }
  model.intercept = w[0];
  for (std::size_t j = 0; j < p; ++j)
    model.features[j].coefficient = w[j + 1];
  return model;
}

double predict(const ChurnModel& m, const std::vector<Predictor>& features, std::size_t row) {
  double eta = m.intercept;
  for (std::size_t j = 0; j < m.features.size(); ++j) {
    const auto& f = m.features[j];
    eta += f.coefficient * (features[j].values[row] - f.mean) / f.sd;
  }
  return stats::sigmoid(eta);
}

double auc(const std::vector<double>& score, const std::vector<double>& y) {
  const std::size_t n = score.size();
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return score[a] < score[b] || (score[a] == score[b] && a < b);
  });
  double rank_sum = 0, positives = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && score[order[j]] == score[order[i]])
      ++j;
    const double mid = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2; // average rank
    for (std::size_t k = i; k < j; ++k)
      if (y[order[k]] > 0.5) {
        rank_sum += mid;
        positives += 1;
      }
    i = j;
  }
  const double negatives = static_cast<double>(n) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

Risk risk_of(const ChurnModel& m, const std::vector<double>& values) {
  Risk r;
  double eta = m.intercept;
  for (std::size_t j = 0; j < m.features.size(); ++j) {
    const auto& f = m.features[j];
    const double c = f.coefficient * (values[j] - f.mean) / f.sd;
    eta += c;
    r.contributions.push_back({f.name, c});
  }
  r.risk = stats::sigmoid(eta);
  std::stable_sort(
      r.contributions.begin(), r.contributions.end(),
      [](const Contribution& a, const Contribution& b) { return std::fabs(a.value) > std::fabs(b.value); });
  return r;
}

Result<ChurnFit> fit_churn(const ChurnInput& in) {
  const std::size_t n = in.churned.size(), p = in.features.size();
  if (p == 0) return Error{ErrorCode::empty, "features", "at least one feature"};
  if (p > 100) return Error{ErrorCode::too_many, "features", "at most 100 features"};
  if (!(in.C > 0) || !(in.C <= 1e6)) return Error{ErrorCode::out_of_range, "C", "above 0, at most 1000000"};
  if (in.folds < 2 || in.folds > 20) return Error{ErrorCode::out_of_range, "folds", "between 2 and 20"};
  ChurnFit fit;
  fit.n = n;
  fit.min_churned = churn_min_events(p);
  fit.folds = in.folds;
  for (std::size_t i = 0; i < n; ++i) {
    if (in.churned[i] != 0 && in.churned[i] != 1)
      return Error{ErrorCode::invalid_value, "churned[" + std::to_string(i) + "]", "0 or 1"};
    fit.churned += in.churned[i] == 1 ? 1 : 0;
  }
  for (std::size_t j = 0; j < p; ++j) {
    const std::string path = "features[" + std::to_string(j) + "]";
    if (in.features[j].values.size() != n)
      return Error{ErrorCode::invalid_value, path + ".values",
                   "needs one value per customer (" + std::to_string(n) + ")"};
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(in.features[j].values[i]))
        return Error{ErrorCode::invalid_value, path + ".values[" + std::to_string(i) + "]",
                     "a finite number"};
  }
  if (!in.fold_of.empty()) {
    if (in.fold_of.size() != n)
      return Error{ErrorCode::invalid_value, "fold_of",
                   "needs one fold per customer (" + std::to_string(n) + ")"};
    for (std::size_t i = 0; i < n; ++i)
      if (in.fold_of[i] < 0 || in.fold_of[i] >= in.folds)
        return Error{ErrorCode::out_of_range, "fold_of[" + std::to_string(i) + "]",
                     "a fold from 0 to " + std::to_string(in.folds - 1)};
  }
  fit.base_rate = n ? static_cast<double>(fit.churned) / static_cast<double>(n) : 0;
  if (fit.churned < fit.min_churned || n - fit.churned < fit.min_churned) return fit;

  // Stratified folds: each class shuffled (Fisher–Yates, from the seed; churned first), the
  // i-th of a class in fold i mod k.
  std::vector<int> fold = in.fold_of;
  if (fold.empty()) {
    fold.assign(n, 0);
    stats::Rng rng(in.seed);
    for (int cls : {1, 0}) {
      std::vector<std::size_t> members;
      for (std::size_t i = 0; i < n; ++i)
        if (in.churned[i] == cls) members.push_back(i);
      for (std::size_t i = members.size(); i > 1; --i)
        std::swap(members[i - 1], members[rng.bounded(i)]);
      for (std::size_t i = 0; i < members.size(); ++i)
        fold[members[i]] = static_cast<int>(i % static_cast<std::size_t>(in.folds));
    }
  }
  std::vector<double> oof(n, 0.0);
  for (int k = 0; k < in.folds; ++k) {
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < n; ++i)
      (fold[i] == k ? test : train).push_back(i);
    if (test.empty() || train.empty())
      return Error{ErrorCode::invalid_value, "fold_of", "every fold needs customers in it and outside it"};
    const auto m = fit_logistic(in.features, in.churned, train, in.C);
    for (std::size_t i : test)
      oof[i] = predict(m, in.features, i);
  }
  fit.auc = auc(oof, in.churned);
  // Hanley and McNeil (1982): se² = (A(1−A) + (n₁−1)(Q₁−A²) + (n₀−1)(Q₂−A²)) / (n₁ n₀).
  const double A = fit.auc, n1 = static_cast<double>(fit.churned), n0 = static_cast<double>(n - fit.churned);
  const double q1 = A / (2 - A), q2 = 2 * A * A / (1 + A);
  const double se =
      std::sqrt(std::max(0.0, (A * (1 - A) + (n1 - 1) * (q1 - A * A) + (n0 - 1) * (q2 - A * A)) / (n1 * n0)));
  fit.auc_lo = std::max(0.0, A - 1.96 * se);
  fit.auc_hi = std::min(1.0, A + 1.96 * se);

  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return oof[a] < oof[b]; });
  for (std::size_t b = 0; b < 10; ++b) {
    CalibrationBin bin;
    const std::size_t from = b * n / 10, to = (b + 1) * n / 10;
    for (std::size_t i = from; i < to; ++i) {
      bin.predicted += oof[order[i]];
      bin.observed += in.churned[order[i]];
    }
    bin.n = to - from;
    if (bin.n) {
      bin.predicted /= static_cast<double>(bin.n);
      bin.observed /= static_cast<double>(bin.n);
    }
    fit.calibration.push_back(bin);
  }

  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  fit.model = fit_logistic(in.features, in.churned, all, in.C);
  fit.claimed = true;
  return fit;
}

} // namespace nps
