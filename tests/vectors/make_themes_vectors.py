#!/usr/bin/env python3
"""Writes themes.json: the vectors of themes.log_odds, themes.impact and themes.trend, with the
expected outputs computed here with numpy, independently of the C++ core (an oracle, not a
recording). Monroe, Colaresi & Quinn (2008) eq. 16-22 for the log-odds; tally's adjusted-Wald standard errors for impact, and
its interval by MOVER (the combination checked against statsmodels' Newcombe interval for
two proportions when the file is made); Cochran-Armitage for the trend.
  python3 tests/vectors/make_themes_vectors.py          rewrite themes.json
  python3 tests/vectors/make_themes_vectors.py --check  fail if themes.json differs (a test)"""
import json, math, os, sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def rnd(v, d):
    s = 10.0 ** d
    x = float(v) * s
    r = math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)
    r = r / s
    return 0.0 if r == 0 else r


def p_two_sided(z):
    return math.erfc(abs(z) / math.sqrt(2))


def log_odds(a, b, prior=None, scale=1.0, top=None):
    terms = sorted({t for t, c in list(a.items()) + list(b.items()) if c > 0})
    ya = np.array([a.get(t, 0) for t in terms], dtype=float)
    yb = np.array([b.get(t, 0) for t in terms], dtype=float)
    if prior is None:
        alpha = (ya + yb) * scale
    else:
        alpha = np.array([prior.get(t, 0) for t in terms], dtype=float) * scale
    alpha0 = alpha.sum() if prior is None else sum(prior.values()) * scale
    na, nb = sum(a.values()), sum(b.values())
    delta = np.log((ya + alpha) / (na + alpha0 - ya - alpha)) - np.log((yb + alpha) / (nb + alpha0 - yb - alpha))
    se = np.sqrt(1.0 / (ya + alpha) + 1.0 / (yb + alpha))
    z = delta / se
    rows = [{"term": t, "a": int(ya[i]), "b": int(yb[i]), "delta": rnd(delta[i], 6), "se": rnd(se[i], 6),
             "z": rnd(z[i], 6)} for i, t in enumerate(terms)]
    rows.sort(key=lambda r: (-r["z"], r["term"]))
    return rows[:top] if top else rows


def adjusted(c):
    n = sum(c); P = c[9] + c[10]; D = sum(c[:7])
    n2 = n + 3; p = (P + 0.75) / n2; d = (D + 0.75) / n2
    return 100 * math.sqrt(max(0.0, p + d - (p - d) ** 2) / n2)


def nps(c):
    return 100.0 * (c[9] + c[10] - sum(c[:7])) / sum(c)


def adjusted_interval(c):
    """One NPS's 95% interval: the adjusted Wald (3/4 promoter, 3/4 detractor, 3/2 passive
    added) inside [-100, 100], widened to hold the raw NPS."""
    n = sum(c); n2 = n + 3
    p = (c[9] + c[10] + 0.75) / n2; d = (sum(c[:7]) + 0.75) / n2
    centre, half = 100 * (p - d), 1.96 * adjusted(c)
    est = nps(c)
    return est, min(est, min(100.0, max(-100.0, centre - half))), max(est, min(100.0, max(-100.0, centre + half)))


def mover(e1, l1, u1, e2, l2, u2):
    """Zou & Donner (2008): the difference e1 - e2 from each estimate's own interval."""
    d = e1 - e2
    return d - math.hypot(e1 - l1, u2 - e2), d + math.hypot(u1 - e1, e2 - l2)


def check_mover_against_statsmodels():
    """mover() fed Wilson intervals is Newcombe's hybrid score interval for two proportions
    (method 10), which statsmodels computes on its own: the combination is checked there."""
    from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
    for k1, n1, k2, n2 in [(0, 6, 6, 6), (3, 6, 5, 6), (1, 10, 9, 12), (40, 100, 55, 90), (0, 3, 0, 7),
                           (12, 12, 0, 5), (17, 250, 30, 260)]:
        l1, u1 = proportion_confint(k1, n1, alpha=0.05, method="wilson")
        l2, u2 = proportion_confint(k2, n2, alpha=0.05, method="wilson")
        ours = mover(k1 / n1, l1, u1, k2 / n2, l2, u2)
        theirs = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=0.05)
        if max(abs(ours[0] - theirs[0]), abs(ours[1] - theirs[1])) > 1e-9:
            sys.exit("mover() disagrees with statsmodels' newcomb interval at %r: %r vs %r" % ((k1, n1, k2, n2), ours, theirs))


def impact(w, wo):
    diff = nps(w) - nps(wo)
    se = math.sqrt(adjusted(w) ** 2 + adjusted(wo) ** 2)
    p = rnd(p_two_sided(diff / se), 6)
    lo, hi = mover(*adjusted_interval(w), *adjusted_interval(wo))
    return {"with": {"n": sum(w), "nps": rnd(nps(w), 2)}, "without": {"n": sum(wo), "nps": rnd(nps(wo), 2)},
            "difference": rnd(diff, 2), "ci95": [rnd(lo, 2), rnd(hi, 2)],
            "z": rnd(diff / se, 6), "p": p, "significant": p < 0.05, "small_sample": min(sum(w), sum(wo)) < 30}


def trend(periods):
    k = np.array([p["mentions"] for p in periods], dtype=float)
    n = np.array([p["comments"] for p in periods], dtype=float)
    t = np.arange(len(periods), dtype=float)
    shares = [rnd(100.0 * k[i] / n[i], 2) if n[i] else 0.0 for i in range(len(periods))]
    N = n.sum(); pbar = k.sum() / N
    var = pbar * (1 - pbar) * ((n * t * t).sum() - (n * t).sum() ** 2 / N)
    z, p = 0.0, 1.0
    if var > 0:
        zr = float(((k - n * pbar) * t).sum() / math.sqrt(var))
        z, p = rnd(zr, 6), rnd(p_two_sided(zr), 6)
    return {"shares": shares, "z": z, "p": p, "rising": z > 0 and p < 0.05, "falling": z < 0 and p < 0.05}


def spread(P, A, D):  # counts on 10, 8, 3
    c = [0] * 11; c[10] = P; c[8] = A; c[3] = D
    return c


DET = {"slow": 40, "delivery": 30, "price": 12, "support": 10, "not_fast": 8, "great": 2, "app": 20}
PRO = {"slow": 3, "delivery": 14, "price": 10, "support": 6, "great": 45, "easy": 30, "app": 25}
PAS = {"slow": 8, "delivery": 9, "price": 15, "great": 10, "easy": 6, "app": 22}
BACKGROUND = {t: DET.get(t, 0) + PRO.get(t, 0) + PAS.get(t, 0) for t in set(DET) | set(PRO) | set(PAS)}

cases = []
def lo(name, inp):
    a = inp["a"]; b = inp["b"]
    out = log_odds(a, b, inp.get("prior"), inp.get("prior_scale", 1.0), inp.get("top"))
    cases.append({"name": name, "op": "themes.log_odds", "input": inp, "output": out})

lo("detractors against promoters, pooled prior: slow and delivery come first", {"a": DET, "b": PRO})
lo("detractors against passives, top 3", {"a": DET, "b": PAS, "top": 3})
lo("informative prior from the whole survey (detractors, passives, promoters)",
   {"a": DET, "b": PRO, "prior": BACKGROUND})
lo("a weaker prior (scale 0.1) separates more", {"a": DET, "b": PRO, "prior": BACKGROUND, "prior_scale": 0.1})
lo("equal groups give z 0", {"a": {"x": 5, "y": 5}, "b": {"x": 5, "y": 5}})
lo("a term with count 0 on one side is kept; a term at 0 on both is not",
   {"a": {"x": 9, "y": 1, "z": 0}, "b": {"x": 1, "y": 9}})
cases += [
    {"name": "a term without prior is an error naming it", "op": "themes.log_odds",
     "input": {"a": {"x": 1, "y": 2}, "b": {"x": 2}, "prior": {"x": 3}},
     "errors": [{"code": "invalid_value", "path": "prior.y"}]},
    {"name": "an empty group is no data", "op": "themes.log_odds", "input": {"a": {}, "b": {"x": 2}},
     "errors": [{"code": "no_data", "path": "a"}]},
    {"name": "counts are whole numbers, 0 or more; typos are named", "op": "themes.log_odds",
     "input": {"a": {"x": -1, "y": 1.5}, "b": {"x": 1}, "prior_scale": 0, "tpo": 3},
     "errors": [{"code": "unknown_field", "path": "tpo"}, {"code": "invalid_value", "path": "a.x"},
                {"code": "invalid_value", "path": "a.y"}]},
    {"name": "prior_scale 0 is refused", "op": "themes.log_odds",
     "input": {"a": {"x": 1}, "b": {"x": 1}, "prior_scale": 0},
     "errors": [{"code": "invalid_value", "path": "prior_scale"}]},
]

def im(name, w, wo):
    cases.append({"name": name, "op": "themes.impact", "input": {"with": w, "without": wo}, "output": impact(w, wo)})

im("respondents mentioning delivery score 30 points lower", spread(20, 30, 50), spread(300, 400, 300))
im("a theme with no effect: interval covers 0", spread(40, 30, 30), spread(400, 300, 300))
im("small sample flagged", spread(5, 3, 10), spread(100, 60, 40))
im("n = 6 each, every mention a detractor, every other a promoter: -200, the interval stays in range",
   spread(0, 0, 6), spread(6, 0, 0))
im("n = 6 against 600: the interval holds the difference and ends at -200 at most", spread(0, 1, 5),
   spread(300, 200, 100))
im("one respondent each side, the widest case", spread(1, 0, 0), spread(0, 0, 1))
im("a positive theme at small n reaches +200 at most", spread(7, 0, 0), spread(0, 0, 5))
im("at large n the interval is close to the difference ± 1.96 se", spread(400, 300, 300), spread(300, 300, 400))
cases += [
    {"name": "nobody mentions it: no data on the with side", "op": "themes.impact",
     "input": {"with": [0] * 11, "without": spread(1, 1, 1)}, "errors": [{"code": "no_data", "path": "with"}]},
    {"name": "counts need 11 scores", "op": "themes.impact", "input": {"with": [1, 2], "without": spread(1, 1, 1)},
     "errors": [{"code": "invalid_type", "path": "with"}]},
]

def tr(name, periods):
    cases.append({"name": name, "op": "themes.trend", "input": {"periods": periods}, "output": trend(periods)})

tr("a rising theme: 5% to 20% over six weeks",
   [{"mentions": m, "comments": 200} for m in (10, 14, 20, 26, 33, 40)])
tr("a flat theme is neither rising nor falling", [{"mentions": 20, "comments": 200}] * 5)
tr("a falling theme", [{"mentions": m, "comments": 150} for m in (40, 30, 22, 15, 9)])
tr("noise does not rise", [{"mentions": m, "comments": 100} for m in (10, 12, 9, 11, 10, 12)])
tr("a period without comments counts as a share of 0 and weighs nothing",
   [{"mentions": 2, "comments": 50}, {"mentions": 0, "comments": 0}, {"mentions": 9, "comments": 50}])
cases += [
    {"name": "mentions cannot exceed comments", "op": "themes.trend",
     "input": {"periods": [{"mentions": 3, "comments": 2}, {"mentions": 1, "comments": 2}]},
     "errors": [{"code": "invalid_value", "path": "periods[0].mentions"}]},
    {"name": "one period is not a trend", "op": "themes.trend",
     "input": {"periods": [{"mentions": 1, "comments": 2}]}, "errors": [{"code": "no_data", "path": "periods"}]},
]


# Sentiment against score: the tone is the sign of the lexicon's sum; a promoter (9, 10) whose
# words sum to -2 or less, or a detractor (0 to 6) whose words sum to +2 or more, disagrees.
def se(name, score, total):
    tone = "negative" if total < 0 else "positive" if total > 0 else "neutral"
    cat = "promoter" if score >= 9 else "detractor" if score <= 6 else "passive"
    disagrees = (cat == "promoter" and total <= -2) or (cat == "detractor" and total >= 2)
    cases.append({"name": name, "op": "themes.sentiment", "input": {"score": score, "sum": total},
                  "output": {"tone": tone, "disagrees": disagrees}})


se("a 10 saying terrible support disagrees", 10, -3)
se("a 9 with one mild negative word does not", 9, -1)
se("a 9 at the threshold, -2, disagrees", 9, -2)
se("a 0 saying great disagrees", 0, 3)
se("a 6 at the threshold, +2, disagrees", 6, 2)
se("a 6 with one mild positive word does not", 6, 1)
se("a passive never disagrees, whatever the words", 8, -5)
se("a 7 with praise is a passive: no flag", 7, 4)
se("no scored word is neutral", 10, 0)
se("a detractor with negative words agrees", 3, -6)
cases += [
    {"name": "a score above 10 is refused", "op": "themes.sentiment", "input": {"score": 11, "sum": 0},
     "errors": [{"code": "out_of_range", "path": "score"}]},
    {"name": "both fields are required", "op": "themes.sentiment", "input": {},
     "errors": [{"code": "required", "path": "score"}, {"code": "required", "path": "sum"}]},
    {"name": "a fractional sum is refused", "op": "themes.sentiment", "input": {"score": 5, "sum": 1.5},
     "errors": [{"code": "invalid_value", "path": "sum"}]},
]

check_mover_against_statsmodels()
for c in cases:
    if c["op"] == "themes.impact" and "output" in c:
        lo_, hi_ = c["output"]["ci95"]
        assert -200 <= lo_ <= c["output"]["difference"] <= hi_ <= 200, c["name"]
doc = {"op": "themes.log_odds", "cases": cases}
text = json.dumps(doc, indent=1, ensure_ascii=False) + "\n"
path = os.path.join(HERE, "themes.json")
if "--check" in sys.argv:
    with open(path, encoding="utf-8") as f:
        if json.load(f) != doc:
            sys.exit("themes.json differs from what numpy computes: run make_themes_vectors.py and look at the diff")
    print("themes.json agrees with numpy's computation (%d cases)" % len(cases))
else:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
