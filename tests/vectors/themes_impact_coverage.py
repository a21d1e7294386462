#!/usr/bin/env python3
"""How often the impact interval (themes.impact's ci95) holds the true difference of two NPS,
by simulation: the old interval (raw difference ± 1.96 · sqrt of the adjusted-Wald variances)
against the MOVER interval the core computes now (core/src/themes.cpp). Not a test; a record
of why the interval changed. Each line: sizes, true shares (promoters, passives, detractors) of
the mentioning and the other commenters, coverage of each, how often the old one left ±200,
mean widths. Run: /usr/bin/python3 tests/vectors/themes_impact_coverage.py (about 20 s)."""
import numpy as np
rng = np.random.default_rng(1)
def adj(P, D, n):
    n2 = n + 3; p = (P + .75) / n2; d = (D + .75) / n2
    return 100 * (p - d), 100 * np.sqrt(np.maximum(0, p + d - (p - d) ** 2) / n2)
def run(n1, n2, t1, t2, R=200000):
    m1 = rng.multinomial(n1, t1, R); m2 = rng.multinomial(n2, t2, R)
    e1 = 100 * (m1[:, 0] - m1[:, 2]) / n1; e2 = 100 * (m2[:, 0] - m2[:, 2]) / n2
    c1, s1 = adj(m1[:, 0], m1[:, 2], n1); c2, s2 = adj(m2[:, 0], m2[:, 2], n2)
    l1 = np.minimum(e1, np.clip(c1 - 1.96 * s1, -100, 100)); u1 = np.maximum(e1, np.clip(c1 + 1.96 * s1, -100, 100))
    l2 = np.minimum(e2, np.clip(c2 - 1.96 * s2, -100, 100)); u2 = np.maximum(e2, np.clip(c2 + 1.96 * s2, -100, 100))
    d = e1 - e2; true = 100 * (t1[0] - t1[2] - t2[0] + t2[2])
    se = np.sqrt(s1 ** 2 + s2 ** 2)
    old = (d - 1.96 * se <= true) & (true <= d + 1.96 * se)
    lo = d - np.hypot(e1 - l1, u2 - e2); hi = d + np.hypot(u1 - e1, e2 - l2)
    new = (lo <= true) & (true <= hi)
    out_old = ((d - 1.96 * se) < -200) | ((d + 1.96 * se) > 200)
    return old.mean(), new.mean(), out_old.mean(), np.mean(2*1.96*se), np.mean(hi-lo)
for n1, n2 in [(6, 6), (6, 100), (10, 10), (20, 200), (30, 30), (100, 1000)]:
    for t1, t2 in [((.2, .2, .6), (.5, .3, .2)), ((.05, .15, .8), (.8, .15, .05)), ((.3, .4, .3), (.3, .4, .3))]:
        r = run(n1, n2, np.array(t1), np.array(t2))
        print(n1, n2, t1, t2, "coverage old %.3f new %.3f  old outside ±200 %.3f  width old %.1f new %.1f" % r)
