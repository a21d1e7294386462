#!/usr/bin/env python3
"""`npsd migrate --from PATH.sqlite3 --to postgresql://…` (issue 18), as an operator moving
to PostgreSQL would run it: interrupted once with kill -9, run again, then compared through
the API of an npsd on each database. Run by tests/pg/with_postgres.sh.
Usage: migrate_test.py PATH/TO/npsd [ANSWERS]
"""
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time

NPSD = sys.argv[1]
ANSWERS = int(sys.argv[2]) if len(sys.argv) > 2 else 30000
PG = os.environ["NPSD_TEST_PG_URL"]
TOKEN = "adm_" + "".join(random.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(32))
work = tempfile.mkdtemp(prefix="npsd-migrate.")
SRC = os.path.join(work, "src.sqlite3")


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)
    print("ok:", what, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = {"Authorization": "Bearer " + TOKEN}
    if body is not None:
        h["Content-Type"] = "application/json"
        body = json.dumps(body)
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, (json.loads(data) if data[:1] in b"{[" else data)


class Npsd:
    def __init__(self, db):
        self.port = free_port()
        self.proc = subprocess.Popen([NPSD, "--listen", f"127.0.0.1:{self.port}", "--db", db, "--quiet"],
                                     env=dict(os.environ, NPSD_ADMIN_TOKEN=TOKEN),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
        sys.exit("FAIL: npsd did not start on " + db)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def pg_count():
    out = subprocess.run(["psql", PG, "-Atc", "SELECT count(*) FROM responses"], capture_output=True, text=True)
    return int(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip().isdigit() else 0


def migrate():
    return subprocess.run([NPSD, "migrate", "--from", SRC, "--to", PG], capture_output=True, text=True)


# The source: demo answers, and a team's follow-up work on some of them.
subprocess.run([NPSD, "demo-data", "--db", SRC, "--count", str(ANSWERS)], check=True, stdout=subprocess.DEVNULL)
src = Npsd(SRC)
st, user = request(src.port, "POST", "/v1/admin/users",
                   {"email": "ana@example.com", "password": "correct horse battery", "role": "analyst"})
check(st == 201, f"a user created on the SQLite npsd ({st})")
st, page = request(src.port, "GET", "/v1/admin/surveys/acme-app/follow-ups?limit=6")
items = page["items"]
for i, item in enumerate(items):
    body = {"status": "contacted" if i % 2 else "resolved", "note": f"called back ({i}) — перезвонили"}
    if i < 3:
        body["assignee_id"] = user["id"]
    rid = item["response"]["id"]
    st, _ = request(src.port, "PATCH", f"/v1/admin/surveys/acme-app/follow-ups/{rid}", body)
    check(st == 200, f"follow-up item {rid} updated on the SQLite npsd")
src.stop()

# Interrupted: kill -9 once the copy of answers is under way.
proc = subprocess.Popen([NPSD, "migrate", "--from", SRC, "--to", PG],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
copied = 0
deadline = time.time() + 120
while time.time() < deadline and proc.poll() is None:
    copied = pg_count()
    if copied >= 2000:
        proc.kill()
        break
    time.sleep(0.05)
proc.wait()
copied = pg_count()
check(0 < copied < ANSWERS, f"migration killed part-way: {copied} of {ANSWERS} answers copied")

out = migrate()
print(out.stdout, end="")
check(out.returncode == 0 and "verified" in out.stdout, "the migration run again finishes and verifies")
check(pg_count() == ANSWERS, f"every answer is in PostgreSQL once ({pg_count()} of {ANSWERS})")
out = migrate()
check(out.returncode == 0 and "added 0 users, 0 tokens, 0 surveys, 0 answers, 0 follow-up items" in out.stdout,
      "a third run changes nothing: " + out.stdout.splitlines()[0])

# Both databases through the API: what the team sees is identical.
src, dst = Npsd(SRC), Npsd(PG)
try:
    today = time.strftime("%Y-%m-%d", time.gmtime())
    for path in ["/v1/admin/surveys/acme-app/summary?from=2020-01-01&to=" + today,
                 "/v1/admin/surveys/acme-app/trend?interval=week&from=2020-01-01&to=" + today,
                 "/v1/admin/surveys/acme-app/breakdown?by=locale&from=2020-01-01&to=" + today,
                 "/v1/admin/surveys"]:
        a, b = request(src.port, "GET", path), request(dst.port, "GET", path)
        check(a[0] == 200 and a == b, "the same answer from SQLite and PostgreSQL: GET " + path.split("?")[0])

    def work_list(port):
        st, page = request(port, "GET", "/v1/admin/surveys/acme-app/follow-ups?status=contacted&limit=100")
        st2, page2 = request(port, "GET", "/v1/admin/surveys/acme-app/follow-ups?status=resolved&limit=100")
        rows = []
        for it in page["items"] + page2["items"]:
            r = it["response"]
            rows.append((it["status"], r["score"], r.get("comment"), r.get("received_at"),
                         (it.get("assignee") or {}).get("email"),
                         [(n["author"], n["text"], n["created_at"]) for n in it["notes"]]))
        return sorted(rows, key=repr)

    a_items, b_items = work_list(src.port), work_list(dst.port)
    check(len(a_items) == 6 and a_items == b_items,
          "the follow-up work (status, assignee, notes) is the same on PostgreSQL")
    st, _ = request(dst.port, "POST", "/v1/auth/login",
                    {"email": "ana@example.com", "password": "correct horse battery"}, headers={"Authorization": ""})
    check(st == 200, "the user signs in on the PostgreSQL npsd with the same password")
finally:
    src.stop()
    dst.stop()
print("migrate: all checks passed")
