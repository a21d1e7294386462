// The insight models' operations for api.cpp's invoke() (one dispatch line each). Every
// number they print is rounded to 6 decimals (stats::round_to), a stated precision that
// the native and Wasm builds print alike.
//
//   drivers.fit {"outcome":[y...], "predictors":[{"name","values":[...]}], "seed"?, "resamples"?}
//       → {"n","min_n","claimed", and when claimed: "r2","adjusted_r2","intercept",
//          "coefficients":[{name,estimate,se}], "drivers":[{name,weight,share,ci95,
//          above_chance,reaches_zero}], "method","interval","resamples","redrawn","seed"}
//   churn.fit   {"churned":[0|1...], "features":[{"name","values"}], "C"?, "folds"?, "seed"?,
//                "fold_of"?} → {"n","churned","base_rate","min_churned","claimed", and when
//          claimed: "auc":{value,ci95,method,folds}, "calibration":[{n,predicted,observed}],
//          "model":{"intercept","C","features":[{name,mean,sd,coefficient}]}}
//   churn.risk  {"model", "customers":[{"id","values":[...]}], "reasons"?} → [{"id","risk",
//          "reasons":[{name,contribution}]}], highest risk first
#pragma once

#include "nps/json.hpp"

namespace nps {

[[nodiscard]] Result<ordered_json> op_drivers_fit(const json& in);
[[nodiscard]] Result<ordered_json> op_churn_fit(const json& in);
[[nodiscard]] Result<ordered_json> op_churn_risk(const json& in);

} // namespace nps
