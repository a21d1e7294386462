#!/usr/bin/env python3
"""Writes themes.json: the vectors of themes.log_odds, themes.impact and themes.trend, with the
expected outputs computed here with numpy, independently of the C++ core (an oracle, not a
recording). Monroe, Colaresi & Quinn (2008) eq. 16-22 for the log-odds; the phrase rule of themes.prune
written again from themes.hpp's comment; tally's adjusted-Wald standard errors for impact, and
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


def log_odds(a, b, prior=None, scale=1.0, top=None, prune_rule=None):
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
    if prune_rule is not None:
        kept, _, _ = prune(rows, **prune_rule)
        folded = dict(kept)
        rows = [dict(r, folded=folded[r["term"]]) for r in rows if r["term"] in folded]
    return rows[:top] if top else rows


def contains(phrase, term):
    """Whether term's words are contiguous words of phrase (keys are words joined by ' ')."""
    p, t = phrase.split(" "), term.split(" ")
    return len(t) < len(p) and any(p[k:k + len(t)] == t for k in range(len(p) - len(t) + 1))


def prune(terms, fold=0.8, rare=0.2):
    """themes.hpp's phrase rule, written again from its comment: terms are dicts with term, a,
    delta, in rank order. Returns (kept [(term, [folded])], folded {term: into}, dropped {term: for})."""
    rank = {t["term"]: i for i, t in enumerate(terms)}
    by = {t["term"]: t for t in terms}
    size = lambda t: len(t.split(" "))
    state = {t["term"]: "listed" for t in terms}
    into, dropped = {}, {}
    longest = max([size(t["term"]) for t in terms] + [1])
    for m in range(longest - 1, 0, -1):  # longer terms decide first
        for t in [x["term"] for x in terms if size(x["term"]) == m]:
            cands = [p for p in by if state[p] == "listed" and contains(p, t) and by[t]["a"] > 0
                     and by[p]["a"] >= fold * by[t]["a"]]
            if cands:
                best = min(cands, key=lambda p: (-by[p]["a"], rank[p]))
                state[t] = "folded"; into[t] = best
    swallowed = set(into.values())
    for m in range(2, longest + 1):
        for p in [x["term"] for x in terms if size(x["term"]) == m]:
            if state[p] != "listed" or p in swallowed:
                continue
            refs = [t for t in by if state[t] == "listed" and contains(p, t) and by[p]["a"] < rare * by[t]["a"]
                    and by[p]["delta"] <= by[t]["delta"]]
            if refs:
                state[p] = "dropped"; dropped[p] = min(refs, key=lambda t: (-by[t]["a"], rank[t]))
    heads = []  # overlap: listed phrases sharing a term, by their common comments' lower bound
    for q in sorted([t for t in by if size(t) >= 2 and state[t] == "listed"], key=lambda t: (-by[t]["a"], rank[t])):
        cands = []
        for p in heads:
            shared = [by[s]["a"] for s in by if contains(p, s) and contains(q, s)]
            if shared and by[p]["a"] + by[q]["a"] - min(shared) >= fold * by[q]["a"]:
                cands.append(p)
        if cands:
            state[q] = "folded"; into[q] = min(cands, key=lambda p: (-by[p]["a"], rank[p]))
        else:
            heads.append(q)
    for t in list(into):
        while state[into[t]] == "folded":
            into[t] = into[into[t]]
    order = sorted(by, key=lambda t: (-by[t]["a"], rank[t]))
    kept = [(t["term"], [f for f in order if into.get(f) == t["term"]]) for t in terms if state[t["term"]] == "listed"]
    return kept, into, dropped


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
BACKGROUND = {t: DET.get(t, 0) + PRO.get(t, 0) + PAS.get(t, 0) for t in sorted(set(DET) | set(PRO) | set(PAS))}

cases = []
def lo(name, inp):
    a = inp["a"]; b = inp["b"]
    rule = inp.get("prune")
    rule = {} if rule is True else None if rule in (None, False) else rule
    out = log_odds(a, b, inp.get("prior"), inp.get("prior_scale", 1.0), inp.get("top"), rule)
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

# Phrases: one row per theme. A word nearly always inside a phrase is listed under it; a rare
# phrase no more typical of detractors than its word gives way to the word.
DET_P = {"app": 60, "keep": 48, "crash": 50, "app keep": 47, "keep crash": 47, "app keep crash": 46,
         "deliveri": 90, "slow": 40, "deliveri slow": 38, "deliveri box": 6, "late": 12, "deliveri late": 11,
         "price": 30, "not_fast": 12, "deliveri not_fast": 11, "team": 20}
PRO_P = {"app": 40, "keep": 3, "crash": 2, "app keep": 2, "keep crash": 1, "app keep crash": 1,
         "deliveri": 60, "slow": 2, "deliveri slow": 1, "deliveri box": 5, "late": 1, "deliveri late": 1,
         "price": 45, "great": 50, "team": 20}
lo("log-odds with phrases pruned: 'app keep crash' holds app, keep and crash; 'deliveri slow' holds slow",
   {"a": DET_P, "b": PRO_P, "prune": True})
lo("pruned and cut to the top 4: the cut comes after pruning", {"a": DET_P, "b": PRO_P, "prune": True, "top": 4})
lo("a stricter fold (0.95) keeps crash and keep beside the phrase",
   {"a": DET_P, "b": PRO_P, "prune": {"fold": 0.95, "rare": 0.2}})


def pr(name, terms, **rule):
    inp = {"terms": [{"term": t, "a": a, "delta": d} for t, a, d in terms]}
    inp.update(rule)
    kept, into, dropped = prune([{"term": t, "a": a, "delta": d} for t, a, d in terms], **rule)
    cases.append({"name": name, "op": "themes.prune", "input": inp,
                  "output": {"terms": [{"term": t, "folded": f} for t, f in kept],
                             "folded": dict(sorted(into.items())), "dropped": dict(sorted(dropped.items()))}})


pr("a word at 80% of its comments inside a phrase is folded into it; at 79% it is listed",
   [("deliveri slow", 80, 1.1), ("deliveri", 100, 1.0), ("slow", 101, 0.9)])
pr("longer phrases decide first: the two-word phrases and the words go into the three-word one",
   [("app keep crash", 46, 1.5), ("keep crash", 47, 1.4), ("crash", 50, 1.3), ("app keep", 47, 1.2),
    ("keep", 48, 1.1), ("app", 60, 0.3)])
pr("a word that only a folded phrase holds at 80% is listed (no chains: 100, 85, 70)",
   [("custom support slow", 70, 1.0), ("custom support", 85, 0.9), ("custom", 100, 0.8)])
pr("a word inside two phrases goes to the one with more comments",
   [("slow deliveri", 42, 1.2), ("deliveri slow", 45, 1.1), ("deliveri", 50, 1.0)])
pr("equal comments: the phrase ranked first takes the word",
   [("b c", 9, 2.0), ("a b", 9, 1.5), ("b", 10, 1.0)])
pr("a rare phrase no more typical than its word is dropped for it; a rare but sharper one stays",
   [("deliveri", 100, 1.2), ("deliveri box", 10, 0.9), ("late deliveri", 12, 2.0), ("deliveri van", 19, 1.2),
    ("deliveri driver", 20, 0.5)])
pr("a phrase that swallowed a word is never dropped, even when rare next to another word",
   [("app", 200, 1.0), ("app crash", 19, 0.5), ("crash", 20, 0.4)])
pr("a three-word phrase rare next to its two-word one gives way to it",
   [("custom support", 50, 1.0), ("custom", 60, 0.9), ("support", 120, 0.2), ("custom support hour", 5, 0.8)])
pr("negation is one word: not_fast inside 'deliveri not_fast'",
   [("deliveri not_fast", 11, 1.5), ("not_fast", 12, 1.4), ("deliveri", 90, 1.0)])
pr("Chinese keys are words joined by a space, like the others",
   [("客 服", 30, 1.2), ("客", 31, 1.0), ("服", 33, 0.9), ("送货 慢", 20, 1.1), ("送货", 60, 1.0)])
pr("fold 1: only a phrase with every comment of the word takes it; rare 0 drops nothing",
   [("a b", 10, 1.0), ("a", 10, 0.5), ("b", 11, 0.4), ("a c", 1, 0.1), ("c", 50, 0.2)], fold=1, rare=0)
pr("a word with no comments in the group is not folded", [("a b", 0, 0.0), ("a", 0, -1.0)])
pr("no terms, nothing to prune", [])
pr("overlapping phrases of one sentence are one row: they share 总是 and all its comments",
   [("付款 时 总是", 149, 1.0), ("总是 出 错", 149, 1.0), ("时 总是 出", 149, 1.0), ("付款", 149, 1.0), ("时", 149, 1.0),
    ("总是", 149, 1.0), ("出", 149, 1.0), ("错", 149, 1.0), ("付款 时", 149, 1.0), ("时 总是", 149, 1.0),
    ("总是 出", 149, 1.0), ("出 错", 149, 1.0)])
pr("overlapping phrases whose common comments may be under 80% stay apart",
   [("slow deliveri", 40, 1.2), ("deliveri late", 30, 1.1), ("deliveri", 100, 0.5)])
pr("overlap: 50 + 40 - 50 = 40, so every comment of 'deliveri late' is also one of 'slow deliveri'",
   [("slow deliveri", 50, 1.2), ("deliveri late", 40, 1.1), ("deliveri", 50, 0.5), ("late", 41, 0.4)])
cases += [
    {"name": "fold must be above 0 and rare below fold", "op": "themes.prune",
     "input": {"terms": [], "fold": 0, "rare": 0.5},
     "errors": [{"code": "invalid_value", "path": "fold"}, {"code": "invalid_value", "path": "rare"}]},
    {"name": "a term twice is named", "op": "themes.prune",
     "input": {"terms": [{"term": "a", "a": 1, "delta": 0}, {"term": "a", "a": 2, "delta": 0}]},
     "errors": [{"code": "duplicate", "path": "terms[1]"}]},
    {"name": "each term needs a text, a count and a delta; typos are named", "op": "themes.prune",
     "input": {"terms": [{"term": "", "a": -1, "dleta": 0}], "fold": "high"},
     "errors": [{"code": "invalid_type", "path": "fold"}, {"code": "unknown_field", "path": "terms[0].dleta"},
                {"code": "invalid_value", "path": "terms[0].term"}, {"code": "invalid_value", "path": "terms[0].a"},
                {"code": "invalid_value", "path": "terms[0].delta"}]},
    {"name": "log_odds: prune is true, false or an object of thresholds", "op": "themes.log_odds",
     "input": {"a": {"x": 1}, "b": {"x": 1}, "prune": {"fold": 0.5, "rare": 0.6, "other": 1}},
     "errors": [{"code": "unknown_field", "path": "prune.other"}]},
    {"name": "log_odds: thresholds out of range are named under prune", "op": "themes.log_odds",
     "input": {"a": {"x": 1}, "b": {"x": 1}, "prune": {"fold": 1.5}},
     "errors": [{"code": "invalid_value", "path": "prune.fold"}]},
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
