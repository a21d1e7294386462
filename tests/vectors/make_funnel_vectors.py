#!/usr/bin/python3
"""Writes funnel.json: the funnel's vectors (issue 19, core/include/nps/funnel.hpp). Expected
outputs are what the native core prints (recorded through nps_invoke), pinning native =
small-JSON = Wasm to the byte; every rate and interval in them is checked here against
statsmodels' proportion_confint(method="wilson") to 1e-6, the independent oracle.
  write:  /usr/bin/python3 tests/vectors/make_funnel_vectors.py build/native/tests/nps_invoke
  check:  /usr/bin/python3 tests/vectors/make_funnel_vectors.py --check   (the stored file only)"""
import json, os, subprocess, sys

from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "funnel.json")


def ch(channel, shown, dismissed, answered, sent=None):
    c = {"channel": channel, "shown": shown, "dismissed": dismissed, "answered": answered}
    if sent is not None:
        c["sent"] = sent
    return c


CASES = [
    ("a pop-up: answers per impression", [ch("web", 1000, 620, 180)]),
    ("e-mail: answers per message sent, links opened per message",
     [ch("email", 412, 0, 95, sent=2000)]),
    ("several channels; the total sums the counted ones",
     [ch("web", 5000, 3100, 410), ch("email", 300, 0, 120, sent=900), ch("app", 40, 10, 12)]),
    ("answers from an import count no impressions: no rate, a note",
     [ch("web", 200, 90, 30), ch("import", 0, 0, 500)]),
    ("more answers than impressions (counting began later): no rate",
     [ch("web", 10, 4, 25)]),
    ("every impression answered", [ch("web", 7, 0, 7)]),
    ("nothing shown yet", [ch("web", 0, 0, 0)]),
    ("no channels", []),
    ("one impression, not answered", [ch("web", 1, 1, 0)]),
    ("large counts", [ch("web", 123456789, 98765432, 1234567)]),
]
ERRORS = [
    ("a channel twice", {"channels": [ch("web", 1, 0, 0), ch("web", 2, 0, 1)]}),
    ("a channel without a name", {"channels": [ch("", 1, 0, 0)]}),
    ("a negative count", {"channels": [ch("web", -1, 0, 0)]}),
    ("a fractional count", {"channels": [ch("web", 1.5, 0, 0)]}),
    ("a count as text", {"channels": [ch("web", "3", 0, 0)]}),
    ("a missing count", {"channels": [{"channel": "web", "shown": 3, "answered": 1}]}),
    ("an unknown field", {"channels": [ch("web", 3, 0, 1)], "from": 1}),
    ("an unknown field in a channel", {"channels": [dict(ch("web", 3, 0, 1), seen=3)]}),
    ("channels not an array", {"channels": {"web": 3}}),
    ("no channels field", {}),
]


def oracle(part, base):
    low, high = proportion_confint(part, base, alpha=0.05, method="wilson")
    return part / base, low, high


def check_rate(rate, part, base, where):
    if rate is None:
        return
    for got, want, name in zip((rate["value"], rate["low"], rate["high"]), oracle(part, base), ("value", "low", "high")):
        if abs(got - want) > 1e-6:
            sys.exit(f"{where}: {name} {got} but statsmodels says {want}")


def check_row(r, where):
    base = r["sent"] if r["base"] == "sent" else r["shown"]
    if r["channel"] == "all":
        return
    if (r["response_rate"] is None) != (base == 0 or r["answered"] > base):
        sys.exit(f"{where}: response rate given or left out wrongly")
    check_rate(r["response_rate"], r["answered"], base, where + " response_rate")
    check_rate(r["dismiss_rate"], r["dismissed"], r["shown"], where + " dismiss_rate")
    check_rate(r["shown_rate"], r["shown"], r["sent"], where + " shown_rate")


def check(cases):
    n = 0
    for case in cases:
        if "output" not in case:
            continue
        out = case["output"]
        for r in out["channels"]:
            check_row(r, case["name"] + " / " + r["channel"])
            n += 1
        t = out["total"]
        counted = [r for r in out["channels"] if r["response_rate"] is not None]
        reached = sum(r["sent"] if r["base"] == "sent" else r["shown"] for r in counted)
        if counted:
            check_rate(t["response_rate"], sum(r["answered"] for r in counted), reached, case["name"] + " total")
        if out["answered_all"] != sum(r["answered"] for r in out["channels"]):
            sys.exit(case["name"] + ": answered_all")
    return n


if sys.argv[1:] == ["--check"]:
    cases = json.load(open(OUT))["cases"]
    print(f"funnel.json: {check(cases)} rows agree with statsmodels' Wilson intervals to 1e-6")
    sys.exit(0)

INVOKE = sys.argv[1]


def record(name, inp):
    r = subprocess.run([INVOKE, "funnel.summary"], input=json.dumps(inp), capture_output=True, text=True)
    out = json.loads(r.stdout)
    case = {"op": "funnel.summary", "name": name, "input": inp}
    if r.returncode == 0:
        case["output"] = out
    else:
        case["errors"] = [{"code": e["code"], "path": e["path"]} for e in out]
    return case


cases = [record(name, {"channels": chans}) for name, chans in CASES]
cases += [record(name, inp) for name, inp in ERRORS]
for c in cases[len(CASES):]:
    if "errors" not in c:
        sys.exit(c["name"] + ": expected an error")
print(f"{check(cases)} rows agree with statsmodels")
with open(OUT, "w") as f:
    json.dump({"op": "funnel.summary", "cases": cases}, f, indent=1, ensure_ascii=False)
    f.write("\n")
