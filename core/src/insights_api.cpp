#include "nps/insights_api.hpp"

#include "nps/churn.hpp"
#include "nps/drivers.hpp"
#include "nps/stats_math.hpp"

#include <algorithm>
#include <initializer_list>
#include <numeric>
#include <string>
#include <vector>

namespace nps {

namespace {

constexpr int digits = 6;
double r6(double v) { return stats::round_to(v, digits); }

Errors unknown(const json& in, std::initializer_list<std::string_view> known) {
  Errors errors;
  for (const auto& [k, v] : in.items()) {
    bool found = false;
    for (auto name : known)
      found = found || k == name;
    if (!found) errors.push_back(Error{ErrorCode::unknown_field, k, "not a field of this input"});
  }
  return errors;
}

Result<std::vector<double>> numbers(const json& j, const std::string& path) {
  if (!j.is_array()) return type_error(path, "an array of numbers", j);
  std::vector<double> out;
  out.reserve(j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_number()) return type_error(join_path(path, i), "a number", j[i]);
    out.push_back(j[i].get<double>());
  }
  return out;
}

Result<std::vector<Predictor>> columns(const json& in, const std::string& path) {
  if (!in.contains(path)) return Error{ErrorCode::required, path, "required"};
  const json& j = in.at(path);
  if (!j.is_array()) return type_error(path, "an array of {\"name\", \"values\"}", j);
  std::vector<Predictor> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const std::string at = join_path(path, i);
    const json& c = j[i];
    if (!c.is_object()) return type_error(at, "an object with \"name\" and \"values\"", c);
    if (auto e = unknown(c, {"name", "values"}); !e.empty()) return e;
    if (!c.contains("name") || !c.at("name").is_string() || c.at("name").get<std::string>().empty())
      return Error{ErrorCode::required, at + ".name", "a name"};
    if (!c.contains("values")) return Error{ErrorCode::required, at + ".values", "required"};
    auto v = numbers(c.at("values"), at + ".values");
    if (!v) return v.errors();
    out.push_back({c.at("name").get<std::string>(), std::move(*v)});
  }
  return out;
}

// An optional whole number in [lo, hi] at key, else `fallback`.
Result<std::int64_t> whole(const json& in, const char* key, std::int64_t lo, std::int64_t hi,
                           std::int64_t fallback) {
  if (!in.contains(key)) return fallback;
  const auto v = as_integer(in.at(key));
  if (!in.at(key).is_number() || !v) return Error{ErrorCode::not_integer, key, "a whole number"};
  if (*v < lo || *v > hi)
    return Error{ErrorCode::out_of_range, key, "from " + std::to_string(lo) + " to " + std::to_string(hi)};
  return *v;
}

ordered_json pair(double lo, double hi) { return ordered_json::array({r6(lo), r6(hi)}); }

Result<ChurnModel> model_field(const json& in) {
  if (!in.contains("model")) return Error{ErrorCode::required, "model", "required"};
  const json& m = in.at("model");
  if (!m.is_object()) return type_error("model", "the model churn.fit returned", m);
  if (!m.contains("intercept") || !m.at("intercept").is_number())
    return Error{ErrorCode::required, "model.intercept", "a number"};
  if (!m.contains("features") || !m.at("features").is_array())
    return Error{ErrorCode::required, "model.features", "an array"};
  ChurnModel model;
  model.intercept = m.at("intercept").get<double>();
  const json& fs = m.at("features");
  for (std::size_t i = 0; i < fs.size(); ++i) {
    const std::string at = join_path("model.features", i);
    const json& f = fs[i];
    if (!f.is_object() || !f.contains("name") || !f.at("name").is_string())
      return Error{ErrorCode::required, at + ".name", "a name"};
    ChurnFeature cf{f.at("name").get<std::string>(), 0, 1, 0};
    for (auto [key, target] :
         {std::pair{"mean", &cf.mean}, std::pair{"sd", &cf.sd}, std::pair{"coefficient", &cf.coefficient}}) {
      if (!f.contains(key) || !f.at(key).is_number())
        return Error{ErrorCode::required, at + "." + key, "a number"};
      *target = f.at(key).get<double>();
    }
    if (!(cf.sd > 0)) return Error{ErrorCode::out_of_range, at + ".sd", "above 0"};
    model.features.push_back(cf);
  }
  return model;
}

} // namespace

Result<ordered_json> op_drivers_fit(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"outcome\" and \"predictors\"", in);
  if (auto e = unknown(in, {"outcome", "predictors", "seed", "resamples"}); !e.empty()) return e;
  if (!in.contains("outcome")) return Error{ErrorCode::required, "outcome", "required"};
  auto y = numbers(in.at("outcome"), "outcome");
  if (!y) return y.errors();
  auto x = columns(in, "predictors");
  if (!x) return x.errors();
  auto seed = whole(in, "seed", 0, 9007199254740991, 1);
  if (!seed) return seed.errors();
  auto resamples = whole(in, "resamples", 100, 10000, 1000);
  if (!resamples) return resamples.errors();
  DriversInput d{std::move(*y), std::move(*x), static_cast<std::uint64_t>(*seed),
                 static_cast<int>(*resamples)};
  auto fit = fit_drivers(d);
  if (!fit) return fit.errors();
  ordered_json out{{"n", fit->n}, {"min_n", fit->min_n}, {"claimed", fit->claimed}};
  if (!fit->claimed) return out;
  out["r2"] = r6(fit->r2);
  out["adjusted_r2"] = r6(fit->adjusted_r2);
  out["intercept"] = r6(fit->intercept);
  ordered_json coefs = ordered_json::array();
  for (const auto& c : fit->coefficients)
    coefs.push_back(ordered_json{{"name", c.name}, {"estimate", r6(c.estimate)}, {"se", r6(c.se)}});
  out["coefficients"] = coefs;
  ordered_json drivers = ordered_json::array();
  for (const auto& dr : fit->drivers)
    drivers.push_back(ordered_json{{"name", dr.name},
                                   {"weight", r6(dr.weight)},
                                   {"share", r6(dr.share)},
                                   {"ci95", pair(dr.lo, dr.hi)},
                                   {"above_chance", r6(dr.above_chance)},
                                   {"reaches_zero", dr.reaches_zero}});
  out["drivers"] = drivers;
  out["method"] = "johnson-relative-weights";
  out["interval"] = "bootstrap-percentile";
  out["resamples"] = fit->resamples;
  out["redrawn"] = fit->redrawn;
  out["seed"] = *seed;
  return out;
}

Result<ordered_json> op_churn_fit(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"churned\" and \"features\"", in);
  if (auto e = unknown(in, {"churned", "features", "C", "folds", "seed", "fold_of"}); !e.empty()) return e;
  if (!in.contains("churned")) return Error{ErrorCode::required, "churned", "required"};
  auto y = numbers(in.at("churned"), "churned");
  if (!y) return y.errors();
  auto x = columns(in, "features");
  if (!x) return x.errors();
  ChurnInput c;
  c.churned = std::move(*y);
  c.features = std::move(*x);
  if (in.contains("C")) {
    if (!in.at("C").is_number()) return type_error("C", "a number", in.at("C"));
    c.C = in.at("C").get<double>();
  }
  auto folds = whole(in, "folds", 2, 20, 5);
  if (!folds) return folds.errors();
  c.folds = static_cast<int>(*folds);
  auto seed = whole(in, "seed", 0, 9007199254740991, 1);
  if (!seed) return seed.errors();
  c.seed = static_cast<std::uint64_t>(*seed);
  if (in.contains("fold_of")) {
    auto f = numbers(in.at("fold_of"), "fold_of");
    if (!f) return f.errors();
    for (std::size_t i = 0; i < f->size(); ++i) {
      const double v = (*f)[i];
      if (v != static_cast<double>(static_cast<int>(v)))
        return Error{ErrorCode::not_integer, join_path("fold_of", i), "a whole number"};
      c.fold_of.push_back(static_cast<int>(v));
    }
  }
  auto fit = fit_churn(c);
  if (!fit) return fit.errors();
  ordered_json out{{"n", fit->n},
                   {"churned", fit->churned},
                   {"base_rate", r6(fit->base_rate)},
                   {"min_churned", fit->min_churned},
                   {"claimed", fit->claimed}};
  if (!fit->claimed) return out;
  out["auc"] = ordered_json{{"value", r6(fit->auc)},
                            {"ci95", pair(fit->auc_lo, fit->auc_hi)},
                            {"method", "hanley-mcneil"},
                            {"folds", fit->folds}};
  ordered_json bins = ordered_json::array();
  for (const auto& b : fit->calibration)
    bins.push_back(ordered_json{{"n", b.n}, {"predicted", r6(b.predicted)}, {"observed", r6(b.observed)}});
  out["calibration"] = bins;
  ordered_json features = ordered_json::array();
  for (const auto& f : fit->model.features)
    features.push_back(ordered_json{
        {"name", f.name}, {"mean", r6(f.mean)}, {"sd", r6(f.sd)}, {"coefficient", r6(f.coefficient)}});
  out["model"] = ordered_json{{"intercept", r6(fit->model.intercept)}, {"C", c.C}, {"features", features}};
  return out;
}

Result<ordered_json> op_churn_risk(const json& in) {
  if (!in.is_object()) return type_error("", "an object with \"model\" and \"customers\"", in);
  if (auto e = unknown(in, {"model", "customers", "reasons"}); !e.empty()) return e;
  auto model = model_field(in);
  if (!model) return model.errors();
  auto keep = whole(in, "reasons", 0, 100, 3);
  if (!keep) return keep.errors();
  if (!in.contains("customers")) return Error{ErrorCode::required, "customers", "required"};
  const json& cs = in.at("customers");
  if (!cs.is_array()) return type_error("customers", "an array of {\"id\", \"values\"}", cs);
  struct Row {
    std::string id;
    Risk risk;
  };
  std::vector<Row> rows;
  for (std::size_t i = 0; i < cs.size(); ++i) {
    const std::string at = join_path("customers", i);
    if (!cs[i].is_object() || !cs[i].contains("id") || !cs[i].at("id").is_string())
      return Error{ErrorCode::required, at + ".id", "a string"};
    if (!cs[i].contains("values")) return Error{ErrorCode::required, at + ".values", "required"};
    auto v = numbers(cs[i].at("values"), at + ".values");
    if (!v) return v.errors();
    if (v->size() != model->features.size())
      return Error{ErrorCode::invalid_value, at + ".values",
                   "needs one value per model feature (" + std::to_string(model->features.size()) + ")"};
    rows.push_back({cs[i].at("id").get<std::string>(), risk_of(*model, *v)});
  }
  std::vector<std::size_t> order(rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rows[a].risk.risk > rows[b].risk.risk; });
  ordered_json out = ordered_json::array();
  for (std::size_t i : order) {
    ordered_json reasons = ordered_json::array();
    const auto& cs_ = rows[i].risk.contributions;
    for (std::size_t k = 0; k < cs_.size() && k < static_cast<std::size_t>(*keep); ++k)
      reasons.push_back(ordered_json{{"name", cs_[k].name}, {"contribution", r6(cs_[k].value)}});
    out.push_back(ordered_json{{"id", rows[i].id}, {"risk", r6(rows[i].risk.risk)}, {"reasons", reasons}});
  }
  return out;
}

} // namespace nps
