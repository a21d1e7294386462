#!/usr/bin/env python3
"""Writes trend.json: the vectors of tally.trend (core/include/nps/trend.hpp), the expected
outputs computed here in Python, independently of the C++ core (an oracle, not a recording);
the slope is checked against numpy's weighted polyfit when numpy is there.
Run it again after changing the cases: python3 tests/vectors/make_trend_vectors.py"""
import json, math, os
from make_stats_vectors import rnd, stats, p_two_sided, spread

HERE = os.path.dirname(os.path.abspath(__file__))

def compare(a, b):
    sa, sb = stats(a), stats(b)
    diff = sa["raw_nps"] - sb["raw_nps"]
    se = math.sqrt(sa["raw_se"] ** 2 + sb["raw_se"] ** 2)
    p = safe_p(diff / se)
    return {"difference": rnd(diff, 2), "z": rnd(diff / se, 6), "p": p, "significant": p < 0.05,
            "small_sample": sa["n"] < 30 or sb["n"] < 30}

def safe_p(z):
    # The core's normal p is an approximation good to ~1e-7: keep every case's p away from a
    # rounding boundary of the 6th decimal, so the vectors test the rule, not the last digit.
    p = p_two_sided(z)
    frac = p * 1e6 - math.floor(p * 1e6)
    assert abs(frac - 0.5) > 0.02, f"p = {p} sits on a rounding boundary: change the case"
    return rnd(p, 6)

def trend(periods):
    pts = [(i, stats(c)) for i, c in enumerate(periods) if sum(c) > 0]
    xs = [i for i, _ in pts]; ys = [s["raw_nps"] for _, s in pts]; ws = [1 / s["raw_se"] ** 2 for _, s in pts]
    sw = sum(ws); mx = sum(w * x for w, x in zip(ws, xs)) / sw; my = sum(w * y for w, y in zip(ws, ys)) / sw
    sxx = sum(w * (x - mx) ** 2 for w, x in zip(ws, xs)); sxy = sum(w * (x - mx) * (y - my) for w, x, y in zip(ws, xs, ys))
    slope = sxy / sxx; se = math.sqrt(1 / sxx)
    try:
        import numpy
        fit = numpy.polyfit(xs, ys, 1, w=[math.sqrt(w) for w in ws])[0]
        assert abs(fit - slope) < 1e-9, (fit, slope)
    except ImportError:
        pass
    n = sum(s["n"] for _, s in pts); p = safe_p(slope / se)
    first = periods[xs[0]]; last = periods[xs[-1]]
    return {"periods": len(pts), "n": n, "slope": rnd(slope, 2), "slope_se": rnd(se, 2),
            "start": rnd(my + slope * (xs[0] - mx), 2), "change": rnd(slope * (xs[-1] - xs[0]), 2), "z": rnd(slope / se, 6), "p": p, "significant": p < 0.05,
            "small_sample": len(pts) < 3 or n < 30, "first_vs_last": compare(last, first)}

EMPTY = [0] * 11
# Six months climbing from −7 to +31 in steps no month-to-month test calls significant.
climb = [spread(P, A, D) for P, A, D in [(30, 33, 37), (33, 33, 34), (36, 33, 31), (40, 32, 28), (44, 30, 26), (49, 33, 18)]]
flat = [spread(40, 30, 30), spread(38, 31, 31), spread(41, 29, 30), spread(39, 32, 30)]
fall = [spread(60, 20, 20), spread(50, 25, 25), spread(40, 30, 30), spread(30, 30, 40)]
cases = [
    ("six months from -7 to +31 in small steps: a significant climb", climb),
    ("flat: no trend", flat),
    ("falling", fall),
    ("a gap month keeps the spacing", [spread(30, 33, 37), EMPTY, spread(36, 33, 31), spread(48, 34, 18)]),
    ("two periods only: a small sample", [spread(10, 5, 5), spread(12, 4, 4)]),
    ("few answers in all", [spread(3, 2, 2), spread(4, 2, 1), spread(5, 1, 1)]),
]
out = {"op": "tally.trend", "cases": [{"name": n, "input": {"periods": p}, "output": trend(p)} for n, p in cases]}
# The month-to-month steps of the climb are not significant on their own (why this test exists).
for a, b in zip(climb, climb[1:]):
    assert not compare(b, a)["significant"]
assert out["cases"][0]["output"]["significant"]
out["cases"] += [
    {"name": "one period with answers: no trend", "input": {"periods": [EMPTY, spread(5, 5, 5)]}, "errors": [{"code": "no_data", "path": "periods"}]},
    {"name": "no periods", "input": {"periods": []}, "errors": [{"code": "no_data"}]},
    {"name": "a period of ten counts", "input": {"periods": [[1] * 10]}, "errors": [{"code": "invalid_value", "path": "periods[0]"}]},
    {"name": "a negative count", "input": {"periods": [[1] * 10 + [-1]]}, "errors": [{"code": "invalid_value", "path": "periods[0][10]"}]},
    {"name": "periods missing", "input": {}, "errors": [{"code": "required", "path": "periods"}]},
    {"name": "an unknown field", "input": {"periods": [], "interval": "week"}, "errors": [{"code": "unknown_field", "path": "interval"}]},
]
with open(os.path.join(HERE, "trend.json"), "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("trend.json:", len(out["cases"]), "cases")
