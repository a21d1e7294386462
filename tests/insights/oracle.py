#!/usr/bin/python3
"""The insight models (issue 17) against independent implementations and a known truth.

Usage: oracle.py path/to/nps_invoke      (Debian's python3-numpy, -sklearn, -statsmodels)

1. Same data, independent code: OLS coefficients, standard errors and R² against
   statsmodels; Johnson's relative weights against the formula computed here with numpy's
   eigh; the L2 logistic regression against scikit-learn's LogisticRegression (same C, same
   standardisation); the cross-validated AUC (same folds) against roc_auc_score; the
   Hanley–McNeil interval and the calibration deciles against numpy.
2. Synthetic data with a known true model: the true drivers found and the null one not;
   the 95% intervals cover the true relative weights and the true AUC at about their
   nominal rate over repeated seeds; the cross-validated AUC is close to the true model's;
   on data with no signal nothing is claimed.
Outputs are rounded to 6 decimals by the core, so "same" means within the tolerances below.
"""
import json
import subprocess
import sys

import warnings

import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

INVOKE = sys.argv[1]
warnings.filterwarnings("ignore")  # scipy line-search chatter at a tolerance this tight
TOL_OLS = 2e-6        # coefficients, se, R²: the core prints 6 decimals
TOL_WEIGHT = 2e-6     # relative weights
TOL_LOGIT = 1e-5      # logistic coefficients (scikit-learn's newton-cg stops at tol 1e-10)
TOL_AUC = 1e-5

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def call(op, data):
    r = subprocess.run([INVOKE, op], input=json.dumps(data), capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{op} failed: {r.stdout}")
    return json.loads(r.stdout)


def cols(names, X):
    return [{"name": n, "values": [float(v) for v in X[:, j]]} for j, n in enumerate(names)]


def numpy_relative_weights(X, y):
    R = np.corrcoef(np.column_stack([X, y]), rowvar=False)
    rxx, rxy = R[:-1, :-1], R[:-1, -1]
    return weights_from_correlations(rxx, rxy)


def weights_from_correlations(rxx, rxy):
    lam, V = np.linalg.eigh(rxx)
    half = V @ np.diag(np.sqrt(lam)) @ V.T
    beta = np.linalg.solve(half, rxy)
    return (half ** 2) @ (beta ** 2)


# ---------------------------------------------------------------- 1. independent code
rng = np.random.default_rng(20261129)
n, names = 400, ["ease", "price", "support", "speed"]
X = np.round(rng.normal(size=(n, 4)) @ np.array([[1, .4, .2, 0], [0, 1, .3, .1], [0, 0, 1, .5], [0, 0, 0, 1]]), 4)
y = np.round(5 + 0.8 * X[:, 0] + 0.4 * X[:, 1] + 0.2 * X[:, 2] + rng.normal(size=n) * 1.2, 4)
fit = call("drivers.fit", {"outcome": [float(v) for v in y], "predictors": cols(names, X), "seed": 11})
ols = sm.OLS(y, sm.add_constant(X)).fit()
core_coef = [c["estimate"] for c in fit["coefficients"]]
core_se = [c["se"] for c in fit["coefficients"]]
check(np.allclose(core_coef, ols.params[1:], atol=TOL_OLS, rtol=0), f"OLS coefficients = statsmodels within {TOL_OLS}")
check(abs(fit["intercept"] - ols.params[0]) <= TOL_OLS, "OLS intercept = statsmodels")
check(np.allclose(core_se, ols.bse[1:], atol=TOL_OLS, rtol=0), "OLS standard errors = statsmodels")
check(abs(fit["r2"] - ols.rsquared) <= TOL_OLS and abs(fit["adjusted_r2"] - ols.rsquared_adj) <= TOL_OLS,
      "R² and adjusted R² = statsmodels")
w = numpy_relative_weights(X, y)
core_w = np.array([d["weight"] for d in fit["drivers"]])
check(np.allclose(core_w, w, atol=TOL_WEIGHT, rtol=0), f"relative weights = numpy eigh formula within {TOL_WEIGHT}")
check(abs(core_w.sum() - ols.rsquared) <= 4 * TOL_WEIGHT, "relative weights sum to R²")
check(all(d["ci95"][0] <= d["weight"] <= d["ci95"][1] for d in fit["drivers"]), "each weight lies inside its interval")
check(fit["resamples"] == 1000 and fit["n"] == n, "1,000 resamples by default, the sample size stated")
again = call("drivers.fit", {"outcome": [float(v) for v in y], "predictors": cols(names, X), "seed": 11})
other = call("drivers.fit", {"outcome": [float(v) for v in y], "predictors": cols(names, X), "seed": 12})
check(again == fit and other["drivers"][0]["ci95"] != fit["drivers"][0]["ci95"],
      "the same seed gives the same intervals, another seed other ones")

n = 1500
Xc = np.round(rng.normal(size=(n, 3)) * [1, 2, 5] + [0, 3, 50], 4)
eta = -0.5 + 0.9 * (Xc[:, 0]) - 0.3 * (Xc[:, 1] - 3) / 2
yc = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
folds = [int(i % 5) for i in range(n)]
for C in (1.0, 0.01):
    out = call("churn.fit", {"churned": [int(v) for v in yc], "features": cols(["a", "b", "c"], Xc), "C": C,
                             "fold_of": folds})
    sk = make_pipeline(StandardScaler(), LogisticRegression(C=C, penalty="l2", solver="newton-cg", tol=1e-10,
                                                            max_iter=1000)).fit(Xc, yc)
    lr = sk[-1]
    core = [f["coefficient"] for f in out["model"]["features"]]
    check(np.allclose(core, lr.coef_[0], atol=TOL_LOGIT, rtol=0) and abs(out["model"]["intercept"] - lr.intercept_[0]) <= TOL_LOGIT,
          f"logistic coefficients (C={C}) = scikit-learn within {TOL_LOGIT}")
    oof = np.zeros(n)
    for k in range(5):
        tr = np.array([f != k for f in folds])
        m = make_pipeline(StandardScaler(), LogisticRegression(C=C, solver="newton-cg", tol=1e-10, max_iter=1000))
        oof[~tr] = m.fit(Xc[tr], yc[tr]).predict_proba(Xc[~tr])[:, 1]
    A = roc_auc_score(yc, oof)
    check(abs(out["auc"]["value"] - A) <= TOL_AUC, f"cross-validated AUC (C={C}) = roc_auc_score within {TOL_AUC}")
    n1, n0 = yc.sum(), n - yc.sum()
    q1, q2 = A / (2 - A), 2 * A * A / (1 + A)
    se = np.sqrt((A * (1 - A) + (n1 - 1) * (q1 - A * A) + (n0 - 1) * (q2 - A * A)) / (n1 * n0))
    check(np.allclose(out["auc"]["ci95"], [A - 1.96 * se, A + 1.96 * se], atol=TOL_AUC, rtol=0),
          "AUC interval = Hanley–McNeil computed here")
    order = np.argsort(oof, kind="stable")
    bins = [order[b * n // 10:(b + 1) * n // 10] for b in range(10)]
    check(all(abs(c["predicted"] - oof[ix].mean()) <= TOL_AUC and abs(c["observed"] - yc[ix].mean()) <= 2e-6
              and c["n"] == len(ix) for c, ix in zip(out["calibration"], bins)), "calibration deciles = numpy")
    check(abs(out["base_rate"] - yc.mean()) <= 1e-6, "base rate = share of churned")

# ---------------------------------------------------------------- 2. known truth
# Drivers: x ~ N(0, Σ), y = bᵀx + e; the population relative weights follow from Σ and b.
S = np.array([[1, .5, .3, .0], [.5, 1, .2, .0], [.3, .2, 1, .0], [0, 0, 0, 1]])
b = np.array([1.0, 0.5, 0.0, 0.0])
sigma = 1.5
var_y = b @ S @ b + sigma ** 2
rxy_true = (S @ b) / np.sqrt(var_y)
true_w = weights_from_correlations(S, rxy_true)
L = np.linalg.cholesky(S)
covered, total, found, null_claimed = np.zeros(4), 0, 0, 0
for seed in range(40):
    r = np.random.default_rng(seed)
    Xs = r.normal(size=(300, 4)) @ L.T
    ys = Xs @ b + r.normal(size=300) * sigma
    f = call("drivers.fit", {"outcome": [float(v) for v in ys], "predictors": cols(["a", "b", "c", "d"], Xs),
                             "seed": seed})
    for j, d in enumerate(f["drivers"]):
        covered[j] += d["ci95"][0] <= true_w[j] <= d["ci95"][1]
    found += not f["drivers"][0]["reaches_zero"] and not f["drivers"][1]["reaches_zero"]
    null_claimed += not f["drivers"][3]["reaches_zero"]
    total += 1
print("true weights", np.round(true_w, 4), "coverage", covered / total)
check(found == total, f"the two true drivers are found in every one of {total} samples")
check(null_claimed <= 0.1 * total, f"the unrelated predictor is claimed in at most 10% of samples ({null_claimed})")
check(covered[0] / total >= 0.85 and covered[1] / total >= 0.85,
      "the intervals of the true drivers cover the true weight in >= 85% of samples (nominal 95%)")

claims = 0
for seed in range(20):
    r = np.random.default_rng(100 + seed)
    f = call("drivers.fit", {"outcome": [float(v) for v in r.normal(size=200)],
                             "predictors": cols(["a", "b", "c"], r.normal(size=(200, 3))), "seed": seed})
    claims += sum(not d["reaches_zero"] for d in f["drivers"])
check(claims <= 6, f"no signal: at most 6 of 60 driver flags claim a driver ({claims})")
small = call("drivers.fit", {"outcome": [1.0, 2.0, 3.0, 4.0] * 10, "predictors": cols(["a"], np.arange(40.0).reshape(40, 1))})
check(small == {"n": 40, "min_n": 50, "claimed": False}, "below 50 answers nothing is claimed")

# Churn: a true logistic model; its AUC in the population from a large sample.
beta = np.array([1.0, -0.7, 0.0])
def churn_sample(r, m):
    Xs = r.normal(size=(m, 3))
    p = 1 / (1 + np.exp(-(-0.8 + Xs @ beta)))
    return Xs, (r.random(m) < p).astype(int), p
Xb, yb, pb = churn_sample(np.random.default_rng(999), 400000)
true_auc = roc_auc_score(yb, pb)
cover, close = 0, 0
for seed in range(30):
    Xs, ys, ps = churn_sample(np.random.default_rng(500 + seed), 800)
    out = call("churn.fit", {"churned": [int(v) for v in ys], "features": cols(["a", "b", "c"], Xs), "seed": seed})
    cover += out["auc"]["ci95"][0] <= true_auc <= out["auc"]["ci95"][1]
    close += abs(out["auc"]["value"] - roc_auc_score(ys, ps)) <= 0.03
print("true AUC", round(true_auc, 4), "coverage", cover / 30)
check(close >= 27, f"the cross-validated AUC is within 0.03 of the true model's in >= 27 of 30 samples ({close})")
check(cover >= 25, f"the AUC interval covers the true AUC in >= 25 of 30 samples ({cover}; nominal 95%)")
Xs, ys, _ = churn_sample(np.random.default_rng(7), 5000)
out = call("churn.fit", {"churned": [int(v) for v in ys], "features": cols(["a", "b", "c"], Xs)})
co = [f["coefficient"] for f in out["model"]["features"]]
check(co[0] > 0.5 and co[1] < -0.3 and abs(co[2]) < 0.1, f"the true risk factors are found, the null one near 0 ({co})")

inside = 0
for seed in range(20):
    r = np.random.default_rng(300 + seed)
    out = call("churn.fit", {"churned": [int(v) for v in r.random(600) < 0.3],
                             "features": cols(["a", "b"], r.normal(size=(600, 2))), "seed": seed})
    inside += out["auc"]["ci95"][0] <= 0.5 <= out["auc"]["ci95"][1]
check(inside >= 17, f"no signal: the AUC interval holds 0.5 in >= 17 of 20 samples ({inside})")
few = call("churn.fit", {"churned": [1] * 15 + [0] * 300, "features": cols(["a"], np.arange(315.0).reshape(315, 1))})
check(few["claimed"] is False and "model" not in few and few["min_churned"] == 20,
      "below 20 churned customers no model and no AUC are given")

print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
