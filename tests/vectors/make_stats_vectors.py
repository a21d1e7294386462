#!/usr/bin/env python3
"""Writes summarize.json and tally.json: the statistics vectors, with expected outputs
computed here in Python, independently of the C++ core (an oracle, not a recording).
Run it again after changing the cases: python3 tests/vectors/make_stats_vectors.py"""
import json, math, os

HERE = os.path.dirname(os.path.abspath(__file__))

def rnd(v, d):
    s = 10.0 ** d
    x = v * s
    r = math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)  # half away from zero, like std::round
    r = r / s
    return 0.0 if r == 0 else r

def counts_of(scores):
    c = [0] * 11
    for s in scores:
        c[s] += 1
    return c

def stats(c):
    n = sum(c); P = c[9] + c[10]; D = sum(c[:7]); A = n - P - D
    np_ = n + 3; p = (P + 0.75) / np_; d = (D + 0.75) / np_
    var = max(0.0, p + d - (p - d) ** 2); se = 100 * math.sqrt(var / np_)
    center = 100 * (p - d); half = 1.96 * se
    return dict(n=n, P=P, A=A, D=D,
                nps=rnd(100.0 * (P - D) / n, 2),
                ci=[rnd(min(100.0, max(-100.0, center - half)), 2), rnd(min(100.0, max(-100.0, center + half)), 2)],
                se=rnd(se, 2), raw_se=se, raw_nps=100.0 * (P - D) / n,
                shares=[rnd(100.0 * P / n, 2), rnd(100.0 * A / n, 2), rnd(100.0 * D / n, 2)])

def summary(c):
    s = stats(c)
    return {"n": s["n"], "promoters": s["P"], "passives": s["A"], "detractors": s["D"],
            "nps": s["nps"], "ci95": s["ci"], "method": "adjusted-wald"}

def p_two_sided(z):
    return math.erfc(abs(z) / math.sqrt(2))

def spread(P, A, D):  # counts on 10, 8, 3
    c = [0] * 11; c[10] = P; c[8] = A; c[3] = D
    return c

scores_cases = [
    ("every score once", list(range(11))),
    ("mixed six", [10, 9, 8, 7, 6, 0]),
    ("one promoter", [10]),
    ("one detractor", [0]),
    ("all promoters", [9, 10] * 50),
    ("all detractors", [0, 1, 2, 3, 4, 5, 6] * 10),
    ("all passives", [7, 8] * 20),
    ("a third", [10, 10, 0]),
    ("typical b2b", [10] * 46 + [9] * 12 + [8] * 20 + [7] * 8 + [6] * 6 + [3] * 5 + [0] * 3),
    ("large", [10] * 2400 + [8] * 1700 + [2] * 900),
]
summ = {"op": "summarize", "cases": []}
for name, sc in scores_cases:
    summ["cases"].append({"name": name, "input": sc, "output": summary(counts_of(sc))})
summ["cases"] += [
    {"name": "empty list is an error, not 0", "input": [], "errors": [{"code": "no_data", "path": ""}]},
    {"name": "11 is out of range", "input": [9, 11], "errors": [{"code": "out_of_range", "path": "[1]"}]},
    {"name": "-1 is out of range", "input": [-1], "errors": [{"code": "out_of_range", "path": "[0]"}]},
    {"name": "9.5 is not a score", "input": [9.5], "errors": [{"code": "out_of_range", "path": "[0]"}]},
    {"name": "text is not a score", "input": ["9"], "errors": [{"code": "invalid_type", "path": "[0]"}]},
    {"name": "all bad entries are reported", "input": [1, None, 12, 3],
     "errors": [{"code": "invalid_type", "path": "[1]"}, {"code": "out_of_range", "path": "[2]"}]},
    {"name": "not an array", "input": {"scores": [1]}, "errors": [{"code": "invalid_type", "path": ""}]},
]

tally = {"op": "tally.summary", "cases": []}
for name, c in [("every score once", counts_of(range(11))), ("50/30/20", spread(50, 30, 20)),
                ("small sample of 29", spread(10, 10, 9)), ("exactly 30", spread(10, 10, 10)),
                ("one answer", spread(1, 0, 0)), ("100k promoters", spread(100000, 0, 0))]:
    s = stats(c)
    out = summary(c)
    out["counts"] = c
    out["shares"] = {"promoters": s["shares"][0], "passives": s["shares"][1], "detractors": s["shares"][2]}
    out["se"] = s["se"]
    out["small_sample"] = s["n"] < 30
    tally["cases"].append({"name": name, "input": {"counts": c}, "output": out})
tally["cases"] += [
    {"name": "empty tally", "input": {"counts": [0] * 11}, "errors": [{"code": "no_data"}]},
    {"name": "ten counts", "input": {"counts": [1] * 10}, "errors": [{"code": "invalid_value", "path": "counts"}]},
    {"name": "negative count", "input": {"counts": [1] * 10 + [-1]}, "errors": [{"code": "invalid_value", "path": "counts[10]"}]},
    {"name": "missing counts", "input": {}, "errors": [{"code": "required", "path": "counts"}]},
]
merge_a, merge_b = counts_of([10, 9, 9, 0]), counts_of([8, 7, 0, 0, 5])
tally["cases"] += [
    {"name": "merge adds counts", "op": "tally.merge", "input": {"a": merge_a, "b": merge_b},
     "output": [x + y for x, y in zip(merge_a, merge_b)]},
    {"name": "merge needs both", "op": "tally.merge", "input": {"a": merge_a},
     "errors": [{"code": "required", "path": "b"}]},
]

def comparison(a, b):
    sa, sb = stats(a), stats(b)
    diff = sa["raw_nps"] - sb["raw_nps"]
    se = math.sqrt(sa["raw_se"] ** 2 + sb["raw_se"] ** 2)
    p = rnd(p_two_sided(diff / se), 6)
    return {"difference": rnd(diff, 2), "z": rnd(diff / se, 6), "p": p, "significant": p < 0.05,
            "small_sample": sa["n"] < 30 or sb["n"] < 30}

for name, a, b in [("32 vs 24, 500 each: not significant", spread(250, 160, 90), spread(230, 160, 110)),
                   ("32 vs 24, 5000 each: significant", spread(2500, 1600, 900), spread(2300, 1600, 1100)),
                   ("equal groups", spread(40, 30, 30), spread(40, 30, 30)),
                   ("small groups", spread(8, 2, 2), spread(2, 3, 7))]:
    tally["cases"].append({"name": name, "op": "tally.compare", "input": {"a": a, "b": b}, "output": comparison(a, b)})
tally["cases"].append({"name": "compare with an empty group", "op": "tally.compare",
                       "input": {"a": spread(1, 0, 0), "b": [0] * 11}, "errors": [{"code": "no_data", "path": "b"}]})

for fname, doc in [("summarize.json", summ), ("tally.json", tally)]:
    with open(os.path.join(HERE, fname), "w") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
