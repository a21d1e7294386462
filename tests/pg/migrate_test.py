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
import sqlite3
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
st, _ = request(src.port, "POST", "/v1/admin/contacts/import",
                {"contacts": [{"email": "Zoe@Example.com", "name": "Zoë"}, {"email": "max@example.com"},
                              {"email": "temp@example.com"}]})
check(st in (200, 201), f"contacts imported on the SQLite npsd ({st})")
st, links = request(src.port, "POST", "/v1/admin/surveys/acme-app/links", {"recipient": "c1.k2"})
check(st == 201, f"signed score links issued on the SQLite npsd ({st})")
LINK = "/r/" + links["links"][9].split("/r/", 1)[1]
check(request(src.port, "GET", LINK, headers={"Authorization": ""})[0] == 200, "the signed link opens on SQLite")
# The operator forgot to stop npsd: the migration refuses, and copies nothing, rather than
# leave behind what npsd stores after the copy passed.
out = migrate()
check(out.returncode == 2 and "in use by a running npsd" in out.stderr and "stop it first" in out.stderr,
      f"a migration refuses to copy a file an npsd still serves ({out.returncode}: {out.stderr.strip()})")
check(pg_count() == 0, "nothing was copied then")
check(request(src.port, "GET", "/healthz")[0] == 200, "and the npsd serving it goes on")
src.stop()

# Everything else a team has, as the other features store it (their own tests write it through
# their routes): a campaign with a sent and a queued e-mail and a click, a suppression, SMS state,
# funnel counters, operational data and a fit, a webhook endpoint with a delivered and a pending
# event naming answers by their SQLite ids.
NOW = int(time.time() * 1000)
DAY = NOW // 86400000
db = sqlite3.connect(SRC)
contacts = db.execute("SELECT id, email FROM contacts ORDER BY id").fetchall()
db.execute("DELETE FROM contacts WHERE email = 'temp@example.com'")  # a gap in the ids, kept on the target
zoe, mx = contacts[0][0], contacts[1][0]
db.execute("INSERT INTO contacts (id, email, email_key, created_at, updated_at) VALUES (7, 'late@example.com', "
           "'late@example.com', ?, ?)", (NOW, NOW))
db.execute("INSERT INTO campaigns (id, survey_id, name, throttle_days, daily_limit, scheduled_at, status, created_at) "
           "VALUES (1, 'acme-app', 'spring', 90, 0, ?, 'queued', ?)", (NOW - 3600000, NOW - 7200000))
db.execute("INSERT INTO outbox (campaign_id, contact_id, email, state, attempts, next_attempt_at, first_attempt_at, "
           "sent_at, last_code) VALUES (1, ?, 'Zoe@Example.com', 'sent', 1, ?, ?, ?, 250)",
           (zoe, NOW - 3600000, NOW - 3500000, NOW - 3500000))
db.execute("INSERT INTO outbox (campaign_id, contact_id, email, state, next_attempt_at) "
           "VALUES (1, ?, 'max@example.com', 'queued', ?)", (mx, NOW))
db.execute("INSERT INTO campaign_clicks (campaign_id, contact_id, at) VALUES (1, ?, ?)", (zoe, NOW - 3000000))
db.execute("INSERT INTO suppressions (email_key, reason, created_at) VALUES ('gone@example.com', 'unsubscribed', ?)",
           (NOW - 86400000,))
answers = db.execute("SELECT id, idempotency_key, score FROM responses WHERE survey_id = 'acme-app' "
                     "ORDER BY id DESC LIMIT 2").fetchall()
db.execute("INSERT INTO sms_conversations (survey_id, phone, idempotency_key, locale, asked_at, followup_sid) "
           "VALUES ('acme-app', '+15550001111', ?, 'es', ?, 'SM123')", (answers[0][1], NOW))
db.execute("INSERT INTO sms_unsubscribed (phone, at) VALUES ('+15550002222', ?)", (NOW,))
# The demo data counted its own impressions; these are set on top of them (today's web and
# yesterday's e-mail), and every counter of the source must arrive.
db.execute("INSERT INTO funnel_counts VALUES ('acme-app', ?, 'web', 'shown', 40), ('acme-app', ?, 'web', "
           "'dismissed', 7), ('acme-app', ?, 'email', 'shown', 3) ON CONFLICT (survey_id, day, channel, event) "
           "DO UPDATE SET count = excluded.count", (DAY, DAY, DAY - 1))
FUNNEL = [tuple(str(x) for x in row) for row in db.execute(
    "SELECT day, channel, event, count FROM funnel_counts ORDER BY day, channel, event")]
db.execute("INSERT INTO ops_values VALUES ('acme-app', 'cust-1', ?, 'spend', '12.5'), "
           "('acme-app', 'cust-1', ?, 'churned', '1')", (DAY - 30, DAY))
db.execute("INSERT INTO insight_fits VALUES ('acme-app', 'drivers', '{\"r2\":0.41}', ?)", (NOW,))
db.execute("INSERT INTO webhook_endpoints (url, kind, description, secret, previous_secret, previous_until, "
           "survey_id, categories, event_types, channels, include_personal, enabled, disabled_reason, created_at, "
           "updated_at, locale) VALUES ('https://hooks.example.com/nps', 'standard', 'CRM', "
           "'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '', 0, NULL, '', '', '', 1, 1, '', ?, ?, '')", (NOW, NOW))
endpoint = db.execute("SELECT max(id) FROM webhook_endpoints").fetchone()[0]
MSG = ["msg_2delivered0000000000000000", "msg_2pending00000000000000000"]
for (rid, key, score), msg, status in zip(answers, MSG, ["delivered", "pending"]):
    body = json.dumps({"type": "response.created", "timestamp": "2024-05-01T10:00:00Z",
                       "data": {"survey_id": "acme-app", "score": score, "idempotency_key": key, "id": rid}})
    db.execute("INSERT INTO webhook_events (msg_id, type, survey_id, category, channel, respondent_id, body, "
               "created_at) VALUES (?, 'response.created', 'acme-app', 'promoter', 'web', '', ?, ?)",
               (msg, body, NOW))
    event = db.execute("SELECT max(id) FROM webhook_events").fetchone()[0]
    db.execute("INSERT INTO webhook_deliveries (event_id, endpoint_id, status, attempts, next_at, locked_until, "
               "last_status, last_error, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, '', ?)",
               (event, endpoint, status, 1 if status == "delivered" else 0, NOW, 200 if status == "delivered" else 0,
                NOW))
db.commit()
SECRET = db.execute("SELECT value FROM email_settings WHERE key = 'link_secret'").fetchone()[0]
db.close()

# Interrupted: kill -9 once the copy of answers is under way.
proc = subprocess.Popen([NPSD, "migrate", "--from", SRC, "--to", PG],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
copied = 0
deadline = time.time() + 120
starting = None
while time.time() < deadline and proc.poll() is None:
    copied = pg_count()
    if copied >= 2000:
        # An npsd started on the file being copied refuses to start.
        starting = subprocess.run([NPSD, "--listen", f"127.0.0.1:{free_port()}", "--db", SRC, "--quiet"],
                                  env=dict(os.environ, NPSD_ADMIN_TOKEN=TOKEN), capture_output=True, text=True,
                                  timeout=30)
        proc.kill()
        break
    time.sleep(0.05)
proc.wait()
check(starting is not None and starting.returncode == 1 and "being copied by npsd migrate" in starting.stderr,
      "an npsd started on the file a migration is copying refuses to start (%s)"
      % (starting.stderr.strip() if starting else "the migration ended first"))
copied = pg_count()
check(0 < copied < ANSWERS, f"migration killed part-way: {copied} of {ANSWERS} answers copied")

out = migrate()
print(out.stdout, end="")
check(out.returncode == 0 and "verified" in out.stdout, "the migration run again finishes and verifies")
check(pg_count() == ANSWERS, f"every answer is in PostgreSQL once ({pg_count()} of {ANSWERS})")
check("DIFFERENT" not in out.stdout, "every kind is counted the same on both sides")
for kind in ["contacts", "suppressions", "link secret", "campaign 1 messages survey sent", "campaign 1 clicks",
             "SMS conversations", "SMS opt-outs", "funnel events counted", "operational rows", "insight fits",
             "webhook endpoints", "webhook events", "webhook deliveries delivered", "webhook deliveries pending"]:
    check(any(line.strip().startswith(kind) and "same" in line for line in out.stdout.splitlines()),
          f"the verification counts {kind}")


def pg(sql):
    res = subprocess.run(["psql", PG, "-AtF|", "-c", sql], capture_output=True, text=True, check=True)
    return [tuple(line.split("|")) for line in res.stdout.splitlines()]


check(pg("SELECT value FROM email_settings WHERE key = 'link_secret'") == [(SECRET,)],
      "the link secret is the one the SQLite npsd signed with")
check(pg("SELECT id, email_key FROM contacts ORDER BY id") == [(str(zoe), "zoe@example.com"),
                                                            (str(mx), "max@example.com"), ("7", "late@example.com")],
      "contacts keep their ids (the links name them)")
check(pg("SELECT contact_id, kind, state, attempts FROM outbox ORDER BY contact_id") ==
      [(str(zoe), "survey", "sent", "1"), (str(mx), "survey", "queued", "0")],
      "the sent e-mail stays sent (never queued again) and the pending one is queued once")
check(pg("SELECT id, status, finished_at IS NULL FROM campaigns") == [("1", "queued", "t")], "the campaign is there")
check(pg("SELECT count(*) FROM campaign_clicks") == [("1",)], "the click is there")
check(pg("SELECT email_key, reason FROM suppressions") == [("gone@example.com", "unsubscribed")],
      "the suppression is there")
check(pg("SELECT count(*) FROM webhook_events WHERE type = 'contact.unsubscribed'") == [("0",)],
      "copying the suppression announced no new unsubscription")
check(pg("SELECT phone, followup_sid FROM sms_conversations") == [("+15550001111", "SM123")] and
      pg("SELECT phone FROM sms_unsubscribed") == [("+15550002222",)], "SMS conversation and opt-out are there")
check(pg("SELECT day, channel, event, count FROM funnel_counts ORDER BY day, channel COLLATE \"C\", event COLLATE \"C\"") == FUNNEL and
      ("web", "shown", "40") in [r[1:] for r in FUNNEL] and len(FUNNEL) > 3,
      f"funnel counters are there ({len(FUNNEL)}, the demo's and the test's)")
check(pg("SELECT count(*) FROM ops_values") == [("2",)] and
      pg("SELECT kind, fit FROM insight_fits") == [("drivers", '{"r2":0.41}')], "operational data and fit are there")
check(pg("SELECT secret FROM webhook_endpoints") == [("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",)],
      "the webhook endpoint keeps its signing secret")
rows = pg("SELECT e.msg_id, d.status, d.attempts, e.body FROM webhook_events e JOIN webhook_deliveries d ON "
          "d.event_id = e.id JOIN webhook_endpoints w ON w.id = d.endpoint_id ORDER BY e.msg_id")
check([(r[0], r[1], r[2]) for r in rows] == [(MSG[0], "delivered", "1"), (MSG[1], "pending", "0")],
      "the delivered event stays delivered, the pending one is pending once")
for r in rows:
    data = json.loads(r[3])["data"]
    target_id = pg(f"SELECT id FROM responses WHERE survey_id = 'acme-app' AND idempotency_key = '{data['idempotency_key']}'")
    check([(str(data["id"]),)] == target_id, f"event {r[0]} names the answer by its PostgreSQL id")

out = migrate()
check(out.returncode == 0 and "added 0 users, 0 tokens, 0 surveys, 0 answers, 0 follow-up items" in out.stdout,
      "a third run changes nothing: " + out.stdout.splitlines()[0])
also = out.stdout.splitlines()[1]
check(also.startswith("npsd migrate: also added:") and
      all(part.strip().startswith("0 ") for part in also.split(":", 2)[2].split(",")),
      "a third run adds nothing of any other kind: " + also)

# Both databases through the API: what the team sees is identical.
src, dst = Npsd(SRC), Npsd(PG)
try:
    today = time.strftime("%Y-%m-%d", time.gmtime())
    for path in ["/v1/admin/surveys/acme-app/summary?from=2020-01-01&to=" + today,
                 "/v1/admin/surveys/acme-app/trend?interval=week&from=2020-01-01&to=" + today,
                 "/v1/admin/surveys/acme-app/breakdown?by=locale&from=2020-01-01&to=" + today,
                 # issue 18: the target's page and attribute tallies, built by its writer
                 "/v1/admin/surveys/acme-app/breakdown?by=page&from=2020-01-01&to=" + today,
                 "/v1/admin/surveys/acme-app/breakdown?by=attribute:plan&from=2020-01-01&to=" + today,
                 "/v1/admin/surveys"]:
        a, b = request(src.port, "GET", path), request(dst.port, "GET", path)
        check(a[0] == 200 and a == b, "the same answer from SQLite and PostgreSQL: GET " + path.split("&")[0])
        if "by=page" in path or "by=attribute:" in path:
            check(b[1]["source"] == "tallies", "read from the tallies on PostgreSQL: GET " + path.split("&")[0])

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
    st, page = request(dst.port, "GET", LINK, headers={"Authorization": ""})
    check(st == 200, f"the link signed before the move opens on the PostgreSQL npsd ({st})")
finally:
    src.stop()
    dst.stop()
print("migrate: all checks passed")
