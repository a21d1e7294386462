// issue 17: how long the insight models take at scale (not a test). Synthetic customers with
// a known model, through the same entry points npsd uses (nps::invoke):
//   insights_bench [--customers 100000] [--features 20] [--resamples 1000] [--skip-drivers]
// prints the time of churn.fit (5-fold cross-validation and the final fit), churn.risk over
// every customer, and drivers.fit (relative weights with the bootstrap).
#include "nps/api.hpp"
#include "nps/json.hpp"
#include "nps/stats_math.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Roughly standard normal: the sum of 12 uniforms minus 6.
double normal(nps::stats::Rng& rng) {
  double s = 0;
  for (int k = 0; k < 12; ++k)
    s += rng.uniform();
  return s - 6;
}

} // namespace

int main(int argc, char** argv) {
  long customers = 100000, features = 20, resamples = 1000;
  bool drivers = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--skip-drivers")
      drivers = false;
    else if (i + 1 < argc && a == "--customers")
      customers = std::atol(argv[++i]);
    else if (i + 1 < argc && a == "--features")
      features = std::atol(argv[++i]);
    else if (i + 1 < argc && a == "--resamples")
      resamples = std::atol(argv[++i]);
    else {
      std::fprintf(stderr,
                   "usage: insights_bench [--customers N] [--features P] [--resamples B] [--skip-drivers]\n");
      return 2;
    }
  }
  nps::stats::Rng rng(42);
  nps::json x = nps::json::array(), churned = nps::json::array(), score = nps::json::array();
  std::vector<std::vector<double>> cols(static_cast<std::size_t>(features),
                                        std::vector<double>(static_cast<std::size_t>(customers)));
  for (auto& c : cols)
    for (auto& v : c)
      v = normal(rng);
  for (long i = 0; i < customers; ++i) {
    double eta = -1, s = 7;
    for (long j = 0; j < features; ++j) {
      const double w = j < 5 ? 0.5 / static_cast<double>(j + 1) : 0;
      eta += w * cols[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
      s += w * 2 * cols[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)];
    }
    churned.push_back(rng.uniform() < nps::stats::sigmoid(eta) ? 1 : 0);
    score.push_back(s + normal(rng));
  }
  for (long j = 0; j < features; ++j)
    x.push_back({{"name", "f" + std::to_string(j)}, {"values", cols[static_cast<std::size_t>(j)]}});

  auto t0 = std::chrono::steady_clock::now();
  const auto fit = nps::invoke("churn.fit", nps::dump(nps::json{{"churned", churned}, {"features", x}}));
  const double fit_s = seconds_since(t0);
  if (!fit.ok) {
    std::fprintf(stderr, "churn.fit failed: %s\n", fit.text.c_str());
    return 1;
  }
  const auto out = nps::json::parse(fit.text);
  std::printf("churn.fit   %ld customers x %ld features, 5-fold CV + final fit: %.2f s (AUC %.4f)\n",
              customers, features, fit_s, out["auc"]["value"].get<double>());
  nps::json current = nps::json::array();
  for (long i = 0; i < customers; ++i) {
    nps::json v = nps::json::array();
    for (long j = 0; j < features; ++j)
      v.push_back(cols[static_cast<std::size_t>(j)][static_cast<std::size_t>(i)]);
    current.push_back({{"id", "c" + std::to_string(i)}, {"values", v}});
  }
  t0 = std::chrono::steady_clock::now();
  const auto risk =
      nps::invoke("churn.risk", nps::dump(nps::json{{"model", out["model"]}, {"customers", current}}));
  std::printf("churn.risk  %ld customers ranked with reasons: %.2f s\n", customers, seconds_since(t0));
  if (!risk.ok) return 1;
  if (drivers) {
    t0 = std::chrono::steady_clock::now();
    const auto d = nps::invoke(
        "drivers.fit", nps::dump(nps::json{{"outcome", score}, {"predictors", x}, {"resamples", resamples}}));
    if (!d.ok) {
      std::fprintf(stderr, "drivers.fit failed: %s\n", d.text.c_str());
      return 1;
    }
    std::printf("drivers.fit %ld answers x %ld predictors, %ld bootstrap resamples: %.2f s (R2 %.4f)\n",
                customers, features, resamples, seconds_since(t0),
                nps::json::parse(d.text)["r2"].get<double>());
  }
  return 0;
}
