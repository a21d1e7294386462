#!/usr/bin/env python3
"""Three npsd processes on one PostgreSQL (issue 18), as an operator runs them behind a load
balancer. Run by tests/pg/with_postgres.sh (NPSD_TEST_PG_URL names an empty database).

Checks what users of such a deployment would notice:
- a survey created or edited through one process is served by the others within a second;
- a token created through one process signs in on the others; a session works on any;
- a live stream open on one process sees an answer stored through another, and its follow-up
  comment sent through a third; the process that stored them announces them once;
- clients racing on the same idempotency keys through all three: one answer per key;
- a daily cap hit from three processes at once: exactly the cap stored;
- the tallies equal the rows;
- kill -9 of one process under load: every acknowledged answer is stored.
Usage: cluster_test.py PATH/TO/npsd
"""
import csv
import http.client
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

NPSD = sys.argv[1]
URL = os.environ["NPSD_TEST_PG_URL"]
TOKEN = "adm_" + "".join(random.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(32))
logdir = tempfile.mkdtemp(prefix="npsd-cluster.")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def request(port, method, path, body=None, headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Authorization": "Bearer " + TOKEN}
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body)
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, dict(r.getheaders()), (json.loads(data) if data and data[:1] in b"{[" else data)


class Npsd:
    def __init__(self, name):
        self.name = name
        self.port = free_port()
        self.log = open(os.path.join(logdir, name + ".log"), "w")
        env = dict(os.environ, NPSD_ADMIN_TOKEN=TOKEN)
        self.proc = subprocess.Popen([NPSD, "--listen", f"127.0.0.1:{self.port}", "--db", URL, "--quiet"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if request(self.port, "GET", "/healthz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.log.flush()
        sys.exit(f"FAIL: npsd {name} did not start:\n" + open(self.log.name).read())

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)
    print("ok:", what, flush=True)


def within(seconds, probe):
    deadline = time.time() + seconds
    while True:
        if probe():
            return True
        if time.time() > deadline:
            return False
        time.sleep(0.02)


# Started one after the other, as a rolling start would (the first creates the schema).
a = Npsd("a")
b = Npsd("b")
c = Npsd("c")
procs = [a, b, c]
try:
    # 1. A survey created through a is served by b and c within a second; an edit too.
    st, _, body = request(a.port, "POST", "/v1/admin/surveys",
                          {"id": "shop", "name": "Shop", "sampling": {"daily_response_cap": 50}})
    check(st == 201, f"survey created through process a ({st})")
    for p in (b, c):
        check(within(1.0, lambda: request(p.port, "GET", "/v1/surveys/shop/config")[0] == 200),
              f"the new survey is served by process {p.name} within a second")
    etag_before = request(b.port, "GET", "/v1/surveys/shop/config")[1].get("ETag")
    st, _, body = request(a.port, "PUT", "/v1/admin/surveys/shop",
                          {"id": "shop", "name": "Shop (edited)", "sampling": {"daily_response_cap": 50}})
    check(st == 200, f"survey edited through process a ({st})")
    etag_a = request(a.port, "GET", "/v1/surveys/shop/config")[1].get("ETag")
    check(etag_a != etag_before, "the edit changes the survey's ETag on process a")
    for p in (b, c):
        check(within(1.0, lambda: request(p.port, "GET", "/v1/surveys/shop/config")[1].get("ETag") == etag_a),
              f"the edited survey is served by process {p.name} within a second")

    # 2. Tokens and sessions on any process.
    st, _, tok = request(a.port, "POST", "/v1/admin/tokens", {"name": "analyst", "role": "analyst"})
    check(st == 201, f"a token created through process a ({st})")
    secret = tok["token"]
    hdr = {"Authorization": "Bearer " + secret}
    check(within(1.0, lambda: request(c.port, "GET", "/v1/admin/surveys/shop/summary", headers=hdr)[0] == 200),
          "the new token is accepted by process c within a second")
    st, h, _ = request(a.port, "POST", "/v1/auth/login", {"token": secret}, headers={"Authorization": ""})
    cookie = h.get("Set-Cookie", "").split(";")[0]
    check(st == 200 and cookie, "signed in through process a")
    st, _, me = request(b.port, "GET", "/v1/auth/me", headers={"Authorization": "", "Cookie": cookie})
    check(st == 200 and me.get("role") == "analyst", "the session from process a is valid on process b")

    # 3. Live streams on a and on c see an answer stored through a, then the comment its
    # follow-up sent through b: each stream gets both, once each (the feed announces them on
    # every process, the one that stored them included). Then a burst of answers sent at once
    # through a, stored a batch at a time (one notification names a statement's answers):
    # each announced once. A survey without a daily cap (a capped answer is stored alone).
    st, _, _ = request(a.port, "POST", "/v1/admin/surveys", {"id": "live", "name": "Live"})
    check(st == 201 and within(1.0, lambda: request(c.port, "GET", "/v1/surveys/live/config")[0] == 200),
          "survey 'live' created through process a and served by process c")
    streams = {}

    def listen(p, want):
        s = socket.create_connection(("127.0.0.1", p.port), timeout=10)
        s.sendall(f"GET /v1/admin/surveys/live/live HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
                  f"Accept: text/event-stream\r\n\r\n".encode())
        buf = b""
        streams[p.name] = []
        deadline = time.time() + 8
        try:
            while time.time() < deadline and buf.count(b"event: response") < want:
                s.settimeout(max(0.1, deadline - time.time()))
                chunk = s.recv(4096)
                if not chunk:
                    break
                buf += chunk
            # Anything more (a duplicate) would arrive right behind.
            s.settimeout(0.5)
            buf += s.recv(4096)
        except OSError:
            pass
        s.close()
        for line in buf.decode("utf-8", "replace").split("\n"):
            if line.startswith("data: "):
                streams[p.name].append(json.loads(line[6:]))

    burst = 24
    listeners = [threading.Thread(target=listen, args=(p, 2 + burst)) for p in (a, c)]
    for t in listeners:
        t.start()
    time.sleep(0.5)  # the streams are registered
    sent_at = time.time()
    st, _, _ = request(a.port, "POST", "/v1/surveys/live/responses",
                       {"score": 9, "idempotency_key": "live-0001"})
    check(st == 201, "an answer stored through process a")
    time.sleep(0.3)
    st, _, _ = request(b.port, "PATCH", "/v1/surveys/live/responses/live-0001", {"comment": "added later"})
    check(st == 200, "its follow-up comment sent through process b")
    burst_status = []
    senders = [threading.Thread(target=lambda i=i: burst_status.append(request(
        a.port, "POST", "/v1/surveys/live/responses", {"score": i % 11, "idempotency_key": f"live-burst-{i:03d}"})[0]))
        for i in range(burst)]
    for t in senders:
        t.start()
    for t in senders:
        t.join(10)
    check(burst_status.count(201) == burst, f"{burst} answers sent at once through process a: {burst_status}")
    for t in listeners:
        t.join(10)
    for name in ("c", "a"):
        got = [(e.get("id"), e.get("comment")) for e in streams.get(name, [])]
        first, rest = got[:2], [i for i, _ in got[2:]]
        check(len(first) == 2 and first[0][1] is None and first[1][1] == "added later" and
              first[0][0] == first[1][0],
              f"the live stream on process {name} announced the answer, then its comment, once each "
              f"({time.time() - sent_at:.2f} s after the POST): {first}")
        check(len(rest) == burst and len(set(rest)) == burst,
              f"the live stream on process {name} announced each of the {burst} answers once: {sorted(rest)}")

    # 4. Racing on the same idempotency keys through all three processes.
    results = {}
    lock = threading.Lock()

    def post(p, key, score):
        try:
            st, _, body = request(p.port, "POST", "/v1/surveys/shop/responses",
                                  {"score": score, "idempotency_key": key})
        except OSError as e:
            st, body = 0, str(e)
        with lock:
            results.setdefault(key, []).append((st, body))

    threads = []
    for i in range(20):
        key = f"race-{i:04d}"
        for p in procs:
            threads.append(threading.Thread(target=post, args=(p, key, i % 11)))
    random.shuffle(threads)
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    one_each = all(sorted(s for s, _ in v) == [200, 200, 201] for v in results.values())
    same_id = all(len({b["id"] for _, b in v}) == 1 for v in results.values())
    check(one_each and same_id, "20 keys raced through 3 processes: one 201 and two 200 with the same id per key")

    # 5. The daily cap (50) hit from three processes at once: 20 stored so far, 60 more tried.
    results.clear()
    threads = [threading.Thread(target=post, args=(procs[i % 3], f"cap-{i:04d}", 7)) for i in range(60)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    codes = [s for v in results.values() for s, _ in v]
    check(codes.count(201) == 30 and codes.count(429) == 30,
          f"daily cap 50 from three processes: 30 of 60 stored, 30 refused (got {codes.count(201)} / {codes.count(429)})")

    # 6. Tallies equal the rows, seen from every process.
    for p in procs:
        st, _, s = request(p.port, "GET", "/v1/admin/surveys/shop/summary")
        check(st == 200 and s["n"] == 50, f"summary on process {p.name}: n = {s.get('n')} (50 rows)")
    st, _, export = request(a.port, "GET", "/v1/admin/surveys/shop/export?format=csv")
    rows = list(csv.DictReader(io.StringIO(export.decode()))) if isinstance(export, bytes) else []
    check(st == 200 and len(rows) == 50, f"the export has the 50 rows ({len(rows)})")

    # 7. kill -9 of one process under load: every acknowledged answer is stored.
    request(a.port, "POST", "/v1/admin/surveys", {"id": "load", "name": "Load"})
    check(within(1.0, lambda: request(b.port, "GET", "/v1/surveys/load/config")[0] == 200),
          "survey 'load' reached process b")
    acked = []
    stop = threading.Event()

    def load(worker):
        n = 0
        while not stop.is_set():
            key = f"k{worker}-{n:06d}"
            n += 1
            p = procs[1] if n % 2 else procs[2]  # b (killed) and c
            try:
                st, _, _ = request(p.port, "POST", "/v1/surveys/load/responses",
                                   {"score": n % 11, "idempotency_key": key}, timeout=5)
            except OSError:
                continue
            if st == 201 or st == 200:
                with lock:
                    acked.append(key)

    workers = [threading.Thread(target=load, args=(w,)) for w in range(6)]
    for w in workers:
        w.start()
    time.sleep(2.0)
    b.kill9()
    time.sleep(1.0)
    stop.set()
    for w in workers:
        w.join()
    st, _, s = request(a.port, "GET", "/v1/admin/surveys/load/summary")
    st2, _, export = request(a.port, "GET", "/v1/admin/surveys/load/export?format=csv")
    stored = {row["idempotency_key"] for row in csv.DictReader(io.StringIO(export.decode()))}
    missing = [key for key in acked if key not in stored]
    check(len(acked) > 50 and not missing,
          f"kill -9 of process b under load: all {len(acked)} acknowledged answers stored ({len(missing)} missing)")
    check(s["n"] == len(stored), f"tallies equal the rows after the kill ({s['n']} = {len(stored)})")
    print("cluster: all checks passed")
finally:
    for p in procs:
        try:
            p.stop()
        except Exception:
            pass
