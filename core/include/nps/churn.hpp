// Churn risk: an L2-regularised logistic regression on standardised features, fitted by
// Newton's method (IRLS), evaluated by stratified k-fold cross-validation (out-of-fold AUC
// with a Hanley–McNeil 1982 interval, a calibration table by deciles, the base rate), and
// per-customer risk with each feature's contribution. Pure computation.
#pragma once

#include "nps/drivers.hpp" // Predictor: a named column of numbers
#include "nps/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nps {

struct ChurnInput {
  std::vector<double> churned; // 0 or 1 per customer
  std::vector<Predictor> features;
  double C = 1.0; // inverse penalty, as scikit-learn's LogisticRegression(C=...)
  int folds = 5;
  std::uint64_t seed = 1;
  std::vector<int> fold_of; // optional: each customer's fold (0..folds−1), instead of the seed
};

// No model below max(churn_min_events_floor, churn_events_per_feature × p) churned
// customers (and as many who stayed).
inline constexpr std::size_t churn_min_events_floor = 20;
inline constexpr std::size_t churn_events_per_feature = 10;
std::size_t churn_min_events(std::size_t features) noexcept;

struct ChurnFeature {
  std::string name;
  double mean = 0, sd = 1, coefficient = 0; // coefficient per standard deviation
};

struct ChurnModel {
  double intercept = 0;
  std::vector<ChurnFeature> features;
};

struct CalibrationBin {
  std::size_t n = 0;
  double predicted = 0, observed = 0;
};

struct ChurnFit {
  std::size_t n = 0, churned = 0, min_churned = 0;
  double base_rate = 0;
  bool claimed = false; // false: too few churned (or stayed); nothing below is filled
  ChurnModel model;     // fitted on every customer
  double auc = 0, auc_lo = 0, auc_hi = 0;
  int folds = 0;
  std::vector<CalibrationBin> calibration; // 10 bins by out-of-fold predicted risk
};

[[nodiscard]] Result<ChurnFit> fit_churn(const ChurnInput& in);

// On the given rows: standardises each feature (mean, population sd; sd 1 when constant),
// then minimises ½‖w‖² + C Σ log-loss (the intercept not penalised) by Newton steps until
// no coefficient moves by 1e-10 (at most 100 steps).
[[nodiscard]] ChurnModel fit_logistic(const std::vector<Predictor>& features, const std::vector<double>& y,
                                      const std::vector<std::size_t>& rows, double C);
[[nodiscard]] double predict(const ChurnModel& m, const std::vector<Predictor>& features, std::size_t row);

// Area under the ROC curve (Mann–Whitney, ties counted half).
[[nodiscard]] double auc(const std::vector<double>& score, const std::vector<double>& y);

struct Contribution {
  std::string name;
  double value = 0; // coefficient × (x − mean) / sd: log-odds against the average customer
};
struct Risk {
  double risk = 0;
  std::vector<Contribution> contributions; // largest magnitude first
};
[[nodiscard]] Risk risk_of(const ChurnModel& m, const std::vector<double>& values);

} // namespace nps
