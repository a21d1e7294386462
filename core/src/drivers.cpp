#include "nps/drivers.hpp"

#include "nps/stats_math.hpp"

#include <algorithm>
#include <cmath>

namespace nps {

using stats::Matrix;

std::size_t drivers_min_n(std::size_t predictors) noexcept {
  return std::max(drivers_min_n_floor, drivers_rows_per_predictor * predictors);
}

std::vector<double> relative_weights(const std::vector<double>& rxx, const std::vector<double>& rxy) {
  const std::size_t p = rxy.size();
  Matrix R(p);
  R.a = rxx;
  const auto e = stats::jacobi_eigen(R);
  for (double l : e.values)
    if (!(l > 1e-10)) return {};
  std::vector<double> root(p), inv_root(p);
  for (std::size_t k = 0; k < p; ++k) {
    root[k] = std::sqrt(e.values[k]);
    inv_root[k] = 1 / root[k];
  }
  // Λ = V diag(√λ) Vᵀ (the predictors' correlations with their orthogonal counterparts) and
  // β = V diag(1/√λ) Vᵀ rxy (the outcome regressed on those counterparts).
  Matrix half(p);
  std::vector<double> vt_r(p, 0.0), beta(p, 0.0);
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t j = 0; j < p; ++j) {
      double s = 0;
      for (std::size_t k = 0; k < p; ++k)
        s += e.vectors(i, k) * root[k] * e.vectors(j, k);
      half(i, j) = s;
    }
  for (std::size_t k = 0; k < p; ++k)
    for (std::size_t i = 0; i < p; ++i)
      vt_r[k] += e.vectors(i, k) * rxy[i];
  for (std::size_t i = 0; i < p; ++i)
    for (std::size_t k = 0; k < p; ++k)
      beta[i] += e.vectors(i, k) * inv_root[k] * vt_r[k];
  std::vector<double> eps(p, 0.0);
  for (std::size_t j = 0; j < p; ++j)
    for (std::size_t k = 0; k < p; ++k)
      eps[j] += half(j, k) * half(j, k) * beta[k] * beta[k];
  return eps;
}

namespace {

// Centered cross-products of the columns, each row counted `weight[i]` times (1 for the
// data itself, its multiplicity in a bootstrap resample).
Matrix cross_products(const std::vector<std::vector<double>>& cols,
                      const std::vector<std::uint32_t>& weight) {
  const std::size_t m = cols.size(), n = weight.size();
  std::vector<double> mean(m, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i)
    total += weight[i];
  for (std::size_t c = 0; c < m; ++c) {
    double s = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (weight[i]) s += weight[i] * cols[c][i];
    mean[c] = s / total;
  }
  Matrix S(m);
  std::vector<double> d(m);
  for (std::size_t i = 0; i < n; ++i) {
    if (!weight[i]) continue;
    const double w = weight[i];
    for (std::size_t c = 0; c < m; ++c)
      d[c] = cols[c][i] - mean[c];
    for (std::size_t a = 0; a < m; ++a) {
      const double wa = w * d[a];
      for (std::size_t b = a; b < m; ++b)
        S(a, b) += wa * d[b];
    }
  }
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = 0; b < a; ++b)
      S(a, b) = S(b, a);
  return S;
}

// The index of the first column with no variance, or m.
std::size_t constant_column(const Matrix& S, const std::vector<std::vector<double>>& cols) {
  for (std::size_t c = 0; c < S.n; ++c) {
    double scale = 0;
    for (double v : cols[c])
      scale = std::max(scale, std::fabs(v));
    if (!(S(c, c) > 1e-12 * std::max(1.0, scale * scale))) return c;
  }
  return S.n;
}

// Relative weights of the predictors `use` (column indices) for the outcome column y.
std::vector<double> weights_of(const Matrix& S, const std::vector<std::size_t>& use, std::size_t y) {
  const std::size_t p = use.size();
  std::vector<double> rxx(p * p), rxy(p);
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j < p; ++j)
      rxx[i * p + j] = S(use[i], use[j]) / std::sqrt(S(use[i], use[i]) * S(use[j], use[j]));
    rxy[i] = S(use[i], y) / std::sqrt(S(use[i], use[i]) * S(y, y));
  }
  return relative_weights(rxx, rxy);
}

Result<DriversFit> validate(const DriversInput& in) {
  const std::size_t n = in.outcome.size(), p = in.predictors.size();
  if (p == 0) return Error{ErrorCode::empty, "predictors", "at least one predictor"};
  if (p > 50) return Error{ErrorCode::too_many, "predictors", "at most 50 predictors"};
  if (in.resamples < 100 || in.resamples > 10000)
    return Error{ErrorCode::out_of_range, "resamples", "between 100 and 10000"};
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(in.outcome[i]))
      return Error{ErrorCode::invalid_value, "outcome[" + std::to_string(i) + "]", "a finite number"};
  for (std::size_t j = 0; j < p; ++j) {
    const auto& pr = in.predictors[j];
    const std::string path = "predictors[" + std::to_string(j) + "]";
    if (pr.values.size() != n)
      return Error{ErrorCode::invalid_value, path + ".values",
                   "needs one value per outcome (" + std::to_string(n) + ")"};
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isfinite(pr.values[i]))
        return Error{ErrorCode::invalid_value, path + ".values[" + std::to_string(i) + "]",
                     "a finite number"};
  }
  DriversFit fit;
  fit.n = n;
  fit.min_n = drivers_min_n(p);
  return fit;
}

} // namespace

Result<DriversFit> fit_drivers(const DriversInput& in) {
  auto checked = validate(in);
  if (!checked) return checked;
  DriversFit fit = *checked;
  if (fit.n < fit.min_n) return fit;
  const std::size_t n = fit.n, p = in.predictors.size();
  const std::size_t rnd = p, y = p + 1; // column indices: predictors, a random one, the outcome

  // Tonidandel, LeBreton and Johnson (2009): a predictor is told apart from chance when its
  // weight exceeds that of a random predictor (uniform on [0, 1), drawn first from the seed)
  // in at least 97.5% of the resamples.
  stats::Rng rng(in.seed);
  std::vector<std::vector<double>> cols;
  for (const auto& pr : in.predictors)
    cols.push_back(pr.values);
  cols.emplace_back(n);
  for (auto& v : cols[rnd])
    v = rng.uniform();
  cols.push_back(in.outcome);

  std::vector<std::uint32_t> ones(n, 1);
  const Matrix S = cross_products(cols, ones);
  if (const auto c = constant_column(S, cols); c != rnd && c < S.n)
    return Error{ErrorCode::invalid_value, c == y ? "outcome" : "predictors[" + std::to_string(c) + "]",
                 c == y ? "the outcome does not vary" : "this predictor does not vary"};

  std::vector<std::size_t> use(p), use_rnd(p + 1);
  for (std::size_t j = 0; j < p; ++j)
    use[j] = use_rnd[j] = j;
  use_rnd[p] = rnd;
  const auto eps = weights_of(S, use, y);
  if (eps.empty())
    return Error{ErrorCode::invalid_value, "predictors",
                 "the predictors are collinear (one is a combination of the others)"};

  // OLS on the raw scale: Sxx β = Sxy, intercept ȳ − x̄ᵀβ, se² = σ² (Sxx⁻¹)ⱼⱼ.
  Matrix Sxx(p);
  std::vector<double> sxy(p);
  for (std::size_t i = 0; i < p; ++i) {
    for (std::size_t j = 0; j < p; ++j)
      Sxx(i, j) = S(i, j);
    sxy[i] = S(i, y);
  }
  const auto beta = stats::solve_spd(Sxx, sxy);
  const auto inv = stats::inverse_spd(Sxx);
  if (!beta || !inv)
    return Error{ErrorCode::invalid_value, "predictors",
                 "the predictors are collinear (one is a combination of the others)"};
  double explained = 0;
  for (std::size_t j = 0; j < p; ++j)
    explained += (*beta)[j] * sxy[j];
  fit.r2 = explained / S(y, y);
  const double dof = static_cast<double>(n) - static_cast<double>(p) - 1;
  fit.adjusted_r2 = 1 - (1 - fit.r2) * (static_cast<double>(n) - 1) / dof;
  const double sigma2 = std::max(0.0, S(y, y) - explained) / dof;
  double mean_y = 0;
  for (double v : in.outcome)
    mean_y += v;
  mean_y /= static_cast<double>(n);
  fit.intercept = mean_y;
  for (std::size_t j = 0; j < p; ++j) {
    double mean_x = 0;
    for (double v : cols[j])
      mean_x += v;
    mean_x /= static_cast<double>(n);
    fit.intercept -= (*beta)[j] * mean_x;
    fit.coefficients.push_back({in.predictors[j].name, (*beta)[j], std::sqrt(sigma2 * (*inv)(j, j))});
  }

  std::vector<std::vector<double>> boot(p), diff(p);
  std::vector<std::uint32_t> counts(n);
  int drawn = 0;
  while (static_cast<int>(boot[0].size()) < in.resamples) {
    if (++drawn > 10 * in.resamples)
      return Error{ErrorCode::invalid_value, "predictors",
                   "too many resamples came out constant or collinear: the data are too thin"};
    std::fill(counts.begin(), counts.end(), 0u);
    for (std::size_t i = 0; i < n; ++i)
      ++counts[rng.bounded(n)];
    const Matrix B = cross_products(cols, counts);
    if (constant_column(B, cols) < B.n) continue;
    const auto w = weights_of(B, use, y);
    const auto wr = weights_of(B, use_rnd, y);
    if (w.empty() || wr.empty()) continue;
    for (std::size_t j = 0; j < p; ++j) {
      boot[j].push_back(w[j]);
      diff[j].push_back(wr[j] - wr[p]);
    }
  }
  fit.resamples = in.resamples;
  fit.redrawn = drawn - in.resamples;
  for (std::size_t j = 0; j < p; ++j) {
    Driver d;
    d.name = in.predictors[j].name;
    d.weight = eps[j];
    d.share = fit.r2 > 0 ? eps[j] / fit.r2 : 0;
    d.lo = stats::quantile(boot[j], 0.025);
    d.hi = stats::quantile(boot[j], 0.975);
    d.above_chance = stats::quantile(diff[j], 0.025);
    d.reaches_zero = !(d.above_chance > 0);
    fit.drivers.push_back(d);
  }
  fit.claimed = true;
  return fit;
}

} // namespace nps
