#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, from the shared test vectors.

usage: make_corpus.py --vectors tests/vectors --out build/fuzz/corpus

Writes one file per seed, named by the SHA-1 of its bytes (libFuzzer's convention), into
<out>/<target>/, after emptying those folders:
  fuzz_survey      every survey in the vectors (survey.parse inputs, the "survey" of every
                   eligibility and flow case) and every normalised survey they output
  fuzz_response    response.parse inputs and outputs, the responses flow cases send
  fuzz_visitor     eligibility.decide inputs ({"survey", "visitor", "page"})
  fuzz_score_list  scores.read texts ("<column>\\0<text>" when a column is named) and the
                   summarize inputs one score per line
  fuzz_json        every input and output value of every case, compact and indented
  fuzz_reply       reply.read texts (SMS replies)
  fuzz_import      the sample exports of tests/import/, one per preset byte
  fuzz_http        requests npsd answers: the public API with Content-Length and chunked
                   bodies built from the response vectors, admin requests with surveys
                   from the vectors, keep-alive pairs, static files, and a few malformed
                   framings (see http_seeds())
"""
import argparse
import hashlib
import json
import os
import shutil
import sys

ADMIN_TOKEN = "fuzz-admin-token-0123456789"  # fuzz_http.cpp's
TARGETS = ["fuzz_survey", "fuzz_response", "fuzz_visitor", "fuzz_score_list", "fuzz_json", "fuzz_http", "fuzz_reply",
           "fuzz_import"]


def compact(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def walk(value, key):
    """Every value under `key` anywhere in `value`."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                yield v
            yield from walk(v, key)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v, key)


def load_cases(vectors):
    cases = []
    for name in sorted(os.listdir(vectors)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(vectors, name), encoding="utf-8") as f:
            doc = json.load(f)
        for case in doc["cases"]:
            cases.append((case.get("op", doc.get("op", "")), case))
    if not cases:
        sys.exit(f"make_corpus: no vector cases in {vectors}")
    return cases


def request(method, path, body=None, headers=(), chunked=False, close=True, admin=False):
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if admin:
        lines.append(f"Authorization: Bearer {ADMIN_TOKEN}")
    lines += list(headers)
    payload = b""
    if body is not None:
        lines.append("Content-Type: application/json")
        if chunked:
            lines.append("Transfer-Encoding: chunked")
            half = len(body) // 2
            for part in (body[:half], body[half:]):
                if part:
                    payload += f"{len(part):x}\r\n".encode() + part + b"\r\n"
            payload += b"0\r\n\r\n"
        else:
            lines.append(f"Content-Length: {len(body)}")
            payload = body
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def http_seeds(responses, surveys):
    seeds = [
        request("GET", "/healthz"),
        request("GET", "/metrics"),
        request("GET", "/v1/openapi.json"),
        request("GET", "/v1/surveys/fz/config", headers=["Origin: https://shop.example"]),
        request("GET", "/v1/surveys/fz/config", headers=['If-None-Match: "x"']),
        request("OPTIONS", "/v1/surveys/fz/responses",
                headers=["Origin: https://shop.example", "Access-Control-Request-Method: POST"]),
        request("GET", "/"),
        request("GET", "/folder/file.txt"),
        request("GET", "/folder"),
        request("GET", "//folder"),
        request("GET", "/../npsd.sqlite3"),
        request("HEAD", "/index.html"),
        request("GET", "/v1/admin/surveys", admin=True),
        request("GET", "/v1/admin/surveys/fz", admin=True),
        request("GET", "/v1/admin/surveys/fz/summary", admin=True),
        request("GET", "/v1/admin/surveys/fz/responses?limit=2&cursor=0", admin=True),
        request("GET", "/v1/admin/surveys/fz/export?format=csv", admin=True),
        request("GET", "/v1/admin/surveys/fz/trend?interval=day", admin=True),
        request("GET", "/v1/admin/surveys/fz/breakdown?by=channel", admin=True),
        request("GET", "/v1/admin/tokens", admin=True),
        request("GET", "/v1/auth/me", admin=True),
        # (No /v1/auth/login: each sign-in hashes a password with argon2id, ~2 s under ASan.)
        request("POST", "/v1/auth/token", compact({"token": "not-the-token"})),
        # Framing: pipelined keep-alive pair, bare LF line ends, a body shorter than declared,
        # a chunk extension and trailer, two Content-Lengths, an oversize chunk size.
        request("GET", "/healthz", close=False) + request("GET", "/v1/surveys/fz/config"),
        b"GET /healthz HTTP/1.1\nHost: x\n\n",
        b"POST /v1/surveys/fz/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 96\r\n\r\n{\"score\":9,\"idempotency_key\":\"k-12345678\"}",
        b"POST /v1/surveys/fz/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"sco\r\n24\r\nre\":7,\"idempotency_key\":\"k-chunked1\"}\r\n"
        b"0\r\nX-Trailer: 1\r\n\r\n",
        b"POST /v1/surveys/fz/responses HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}",
        b"POST /v1/surveys/fz/responses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"ffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
        b"GET /v1/surveys/fz/config?x=%zz&y=%41 HTTP/1.0\r\n\r\n",
    ]
    for i, body in enumerate(responses[:8]):
        raw = compact({k: v for k, v in body.items() if k != "survey_id"})
        path = "/v1/surveys/fz/responses"
        seeds.append(request("POST", path, raw, chunked=(i % 2 == 1)))
        key = body.get("idempotency_key", "k-12345678")
        seeds.append(request("PATCH", f"{path}/{key}", compact({"comment": "later"})))
    for survey in surveys[:6]:
        seeds.append(request("POST", "/v1/admin/surveys", compact(survey), admin=True, chunked=True))
    seeds.append(request("PUT", "/v1/admin/surveys/fz", compact({"id": "fz", "name": "Fuzz"}), admin=True))
    return seeds


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    cases = load_cases(args.vectors)
    seeds = {t: set() for t in TARGETS}

    surveys, responses = [], []
    for op, case in cases:
        inp, out = case.get("input"), case.get("output")
        for value in (inp, out):
            if value is not None:
                seeds["fuzz_json"].add(compact(value))
                seeds["fuzz_json"].add(json.dumps(value, ensure_ascii=True, indent=1).encode())
        if op == "survey.parse":
            surveys.append(inp)
            if out is not None:
                seeds["fuzz_survey"].add(compact(out))
        surveys += [s for s in walk(inp, "survey")]
        if op == "response.parse":
            responses.append(inp)
            if out is not None:
                responses.append(out)
        responses += [r for r in walk(out, "response") if isinstance(r, dict)]
        if op == "eligibility.decide":
            seeds["fuzz_visitor"].add(compact(inp))
        if op == "scores.read" and isinstance(inp, dict) and isinstance(inp.get("text"), str):
            text = inp["text"].encode("utf-8")
            column = inp.get("column")
            seeds["fuzz_score_list"].add(column.encode("utf-8") + b"\0" + text if isinstance(column, str) else text)
        if op == "reply.read" and isinstance(inp, str):  # issue 15: SMS replies
            seeds["fuzz_reply"].add(inp.encode("utf-8"))
        if op == "summarize" and isinstance(inp, list):
            seeds["fuzz_score_list"].add("\n".join(str(x) for x in inp).encode("utf-8") + b"\n")
    surveys = [s for s in surveys if s is not None]
    for s in surveys:
        seeds["fuzz_survey"].add(compact(s))
    for r in responses:
        seeds["fuzz_response"].add(compact(r))
    valid_responses = [r for r in responses if isinstance(r, dict) and "score" in r]
    valid_surveys = [s for op, c in cases if op == "survey.parse" and "output" in c for s in [c["input"]]]
    for s in http_seeds(valid_responses, valid_surveys):
        seeds["fuzz_http"].add(s)
    # issue 15: the sample exports beside the vectors, each with the preset byte it needs
    # (fuzz_import.cpp: preset = byte % 7 in the order npsd, delighted, formbricks, survicate,
    # wootric, qualtrics, custom).
    samples = os.path.join(os.path.dirname(os.path.abspath(args.vectors)), "import")
    for i, name in enumerate(["delighted", "formbricks", "survicate", "wootric", "qualtrics"]):
        path = os.path.join(samples, name + ".csv")
        if os.path.exists(path):
            with open(path, "rb") as f:
                seeds["fuzz_import"].add(bytes([i + 1]) + f.read())

    for target in TARGETS:
        folder = os.path.join(args.out, target)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        if not seeds[target]:
            sys.exit(f"make_corpus: no seeds for {target}")
        for data in seeds[target]:
            with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
        print(f"{target}: {len(seeds[target])} seeds")


if __name__ == "__main__":
    main()
