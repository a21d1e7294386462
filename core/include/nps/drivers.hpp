// Key drivers: which predictors move an outcome (the 0–10 score), by ordinary least squares
// and Johnson's relative weights (Johnson 2000, Multivariate Behavioral Research 35:1), with
// seeded bootstrap percentile intervals. Pure computation: the numbers in, the fit out.
#pragma once

#include "nps/result.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace nps {

struct Predictor {
  std::string name;
  std::vector<double> values; // one per row, as many as the outcome
};

struct DriversInput {
  std::vector<double> outcome;
  std::vector<Predictor> predictors;
  std::uint64_t seed = 1;
  int resamples = 1000;
};

// Nothing is claimed below max(drivers_min_n_floor, drivers_rows_per_predictor × p) rows.
inline constexpr std::size_t drivers_min_n_floor = 50;
inline constexpr std::size_t drivers_rows_per_predictor = 10;
std::size_t drivers_min_n(std::size_t predictors) noexcept;

struct Coefficient {
  std::string name;
  double estimate = 0, se = 0;
};

struct Driver {
  std::string name;
  double weight = 0;        // raw relative weight: its part of R² (the weights sum to R²)
  double share = 0;         // weight / R², 0..1
  double lo = 0, hi = 0;    // bootstrap 95% percentile interval of the weight
  double above_chance = 0;  // lower 2.5% bound of (weight − a random predictor's weight)
  bool reaches_zero = true; // that bound is <= 0: not distinguishable from chance
};

struct DriversFit {
  std::size_t n = 0, min_n = 0;
  bool claimed = false; // false: n < min_n; nothing below is filled
  double r2 = 0, adjusted_r2 = 0;
  double intercept = 0;
  std::vector<Coefficient> coefficients; // OLS on the raw scale
  std::vector<Driver> drivers;           // in the input's order
  int resamples = 0;
  int redrawn = 0; // resamples drawn again because a column came out constant
};

// Errors: rows of different lengths, non-finite values, a constant column, collinear
// predictors (the correlation matrix is singular), fewer than 1 or more than 50 predictors.
[[nodiscard]] Result<DriversFit> fit_drivers(const DriversInput& in);

// Johnson's raw relative weights from a correlation matrix of the predictors (p × p,
// row-major) and their correlations with the outcome; empty when the matrix is singular.
[[nodiscard]] std::vector<double> relative_weights(const std::vector<double>& rxx,
                                                   const std::vector<double>& rxy);

} // namespace nps
