#!/usr/bin/env python3
"""Writes drivers.json and churn.json: the insight models' vectors (issue 17). Inputs are
built here from a fixed linear congruential sequence (small numbers with at most 2
decimals, so every JSON reader parses them alike); expected outputs are what the native
core prints, recorded through nps_invoke. They pin native = small-JSON = Wasm to the byte;
their correctness is proven separately against scikit-learn, statsmodels and numpy by
tests/insights/oracle.py.
Run again after changing the cases: python3 tests/vectors/make_insight_vectors.py build/native/tests/nps_invoke"""
import json, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
INVOKE = sys.argv[1]

state = 12345
def unit():  # a value in [0, 1) with 2 decimals
    global state
    state = (state * 1103515245 + 12345) % 2**31
    return (state >> 8) % 100 / 100

def record(op, name, inp):
    r = subprocess.run([INVOKE, op], input=json.dumps(inp), capture_output=True, text=True)
    out = json.loads(r.stdout)
    case = {"op": op, "name": name, "input": inp}
    if r.returncode == 0:
        case["output"] = out
    else:
        case["errors"] = [{"code": e["code"], "path": e["path"]} for e in out]
    return case

def drivers_data(n, signal=True):
    ease, price, noise, score = [], [], [], []
    for _ in range(n):
        e, p, z = round(unit() * 10, 2), round(unit() * 10, 2), round(unit() * 10, 2)
        s = (0.6 * e + 0.2 * p + 3 * unit()) if signal else 10 * unit()
        ease.append(e); price.append(p); noise.append(z); score.append(round(s, 2))
    return score, [{"name": "ease", "values": ease}, {"name": "price", "values": price},
                   {"name": "noise", "values": noise}]

def churn_data(n):
    score, tickets, spend, churned = [], [], [], []
    for _ in range(n):
        s, t, m = int(unit() * 11), int(unit() * 5), round(unit() * 200, 2)
        risk = 0.7 - 0.06 * s + 0.08 * t
        churned.append(1 if unit() < risk else 0)
        score.append(s); tickets.append(t); spend.append(m)
    return churned, [{"name": "score", "values": score}, {"name": "tickets", "values": tickets},
                     {"name": "spend", "values": spend}]

y, x = drivers_data(80)
y0, x0 = drivers_data(80, signal=False)
drivers = [
    record("drivers.fit", "two true drivers and one of noise, 80 answers, 200 resamples",
           {"outcome": y, "predictors": x, "seed": 7, "resamples": 200}),
    record("drivers.fit", "no signal: every driver's interval reaches zero",
           {"outcome": y0, "predictors": x0, "seed": 7, "resamples": 200}),
    record("drivers.fit", "below the minimum sample nothing is claimed",
           {"outcome": y[:49], "predictors": [{"name": c["name"], "values": c["values"][:49]} for c in x]}),
    record("drivers.fit", "a predictor that does not vary is named",
           {"outcome": y, "predictors": [x[0], {"name": "flat", "values": [1] * 80}], "resamples": 100}),
    record("drivers.fit", "collinear predictors are refused",
           {"outcome": y, "predictors": [x[0], {"name": "twice", "values": [2 * v for v in x[0]["values"]]}],
            "resamples": 100}),
    record("drivers.fit", "a value that is not a number is named",
           {"outcome": y[:3], "predictors": [{"name": "ease", "values": [1, "2", 3]}]}),
    record("drivers.fit", "values of another length are refused",
           {"outcome": y[:3], "predictors": [{"name": "ease", "values": [1, 2]}]}),
    record("drivers.fit", "too few resamples are refused", {"outcome": y, "predictors": x, "resamples": 10}),
    record("drivers.fit", "an unknown field is named", {"outcome": y, "predictors": x, "sede": 1}),
]
c, f = churn_data(240)
model = None
churn = [
    record("churn.fit", "score and tickets predict churn, 240 customers, 5 folds",
           {"churned": c, "features": f, "C": 1.0, "seed": 3}),
    record("churn.fit", "explicit folds and a stronger penalty",
           {"churned": c, "features": f, "C": 0.05, "folds": 3, "fold_of": [i % 3 for i in range(240)]}),
    record("churn.fit", "below the minimum number of churned customers no model is made",
           {"churned": [1] * 19 + [0] * 30, "features": [{"name": "score", "values": list(range(49))}]}),
    record("churn.fit", "an outcome other than 0 or 1 is named",
           {"churned": [0, 2], "features": [{"name": "score", "values": [1, 2]}]}),
    record("churn.fit", "a fold out of range is named",
           {"churned": c, "features": f, "folds": 3, "fold_of": [3] * 240}),
    record("churn.fit", "a penalty of 0 is refused", {"churned": c, "features": f, "C": 0}),
]
model = churn[0]["output"]["model"]
churn += [
    record("churn.risk", "customers ranked by risk with their largest reasons",
           {"model": model, "reasons": 2, "customers": [
               {"id": "c-1", "values": [9, 0, 120.5]}, {"id": "c-2", "values": [2, 4, 30]},
               {"id": "c-3", "values": [6, 1, 99.99]}]}),
    record("churn.risk", "a customer with a value missing is named",
           {"model": model, "customers": [{"id": "c-1", "values": [9, 0]}]}),
    record("churn.risk", "a model without its intercept is refused",
           {"model": {"features": []}, "customers": []}),
]
for name, cases in (("drivers.json", drivers), ("churn.json", churn)):
    doc = {"cases": cases}
    with open(os.path.join(HERE, name), "w") as fh:
        json.dump(doc, fh, indent=1, ensure_ascii=False)
        fh.write("\n")
