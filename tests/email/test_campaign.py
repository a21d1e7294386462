#!/usr/bin/python3
"""E-mail campaigns end to end (issue 14): a real SMTP server on loopback (smtp_capture.py,
aiosmtpd) and a real npsd. Reads every message back with Python's email package (headers,
both parts, transfer encodings, the eleven links, unsubscribe headers); a 5xx bounce
suppresses the address; one-click unsubscribe suppresses the contact and the next campaign
skips it; kill -9 while 2,000 messages go out, restart: every contact got exactly one
message, counted at the SMTP server (the one possibly in flight at the kill is held as
"uncertain", never sent twice). Saves each language's HTML into ARTIFACTS for screenshots.

Usage: test_campaign.py NPSD ARTIFACTS [--big N]"""
import email
import email.policy
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from email.utils import parsedate_to_datetime

NPSD, ARTIFACTS = sys.argv[1], sys.argv[2]
BIG = int(sys.argv[sys.argv.index('--big') + 1]) if '--big' in sys.argv else 2000
HERE = os.path.dirname(os.path.abspath(__file__))
TOKEN = 'email-test-admin-token-0123456789'
failures = []


def check(ok, what, detail=''):
    print(('ok   ' if ok else 'FAIL ') + what + ('' if ok or not detail else ' -- ' + str(detail)[:400]), flush=True)
    if not ok:
        failures.append(what)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    p = s.getsockname()[1]
    s.close()
    return p


tmp = tempfile.mkdtemp(prefix='nps-email-')
mail_dir = os.path.join(tmp, 'mail')
smtp_port, http_port = free_port(), free_port()
smtp = subprocess.Popen(['/usr/bin/python3', os.path.join(HERE, 'smtp_capture.py'), str(smtp_port), mail_dir],
                        stdout=subprocess.PIPE)
smtp.stdout.readline()
base = 'http://127.0.0.1:%d' % http_port
env = dict(os.environ, NPSD_ADMIN_TOKEN=TOKEN, NPSD_SMTP_URL='smtp://127.0.0.1:%d' % smtp_port,
           NPSD_MAIL_FROM='surveys@acme.test', NPSD_MAIL_FROM_NAME='Acme Señales', NPSD_PUBLIC_URL=base)
db = os.path.join(tmp, 'npsd.sqlite3')
npsd = None


def start_npsd():
    global npsd
    npsd = subprocess.Popen([NPSD, '--listen', '127.0.0.1:%d' % http_port, '--db', db, '--quiet',
                             '--digest-check-seconds', '1'], env=env,
                            stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            urllib.request.urlopen(base + '/healthz', timeout=2)
            return
        except Exception:
            time.sleep(0.05)
    raise SystemExit('npsd did not start')


def api(method, path, body=None, headers=None, raw=False):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    h = {'Authorization': 'Bearer ' + TOKEN, 'Content-Type': 'application/json'}
    h.update(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            return r.status, (text if raw else (json.loads(text) if text else None))
    except urllib.error.HTTPError as e:
        text = e.read().decode()
        return e.code, (text if raw else json.loads(text) if text.startswith('{') else text)


def wait_campaign(cid, timeout=600):
    deadline = time.time() + timeout
    while time.time() < deadline:
        _, c = api('GET', '/v1/admin/campaigns/%d' % cid)
        f = c['funnel']
        if c['status'] == 'queued' and f['queued'] + f['sending'] + f['committing'] == 0:
            return c
        time.sleep(0.2)
    raise SystemExit('campaign %d did not finish: %s' % (cid, c))


def messages_for(address):
    return sorted(glob.glob(os.path.join(mail_dir, '*-%s.eml' % address)))


try:
    start_npsd()
    st, _ = api('POST', '/v1/admin/surveys', {'id': 'shop', 'name': 'Shop', 'product': 'Acme',
                                              'theme': {'accent': '#0b7285'}})
    check(st == 201, 'the survey is created')
    people = [('en', 'ann@example.com', 'Ann Smith'), ('es', 'jose@example.com', 'José Núñez'),
              ('ru', 'olga@example.com', 'Ольга Иванова'), ('zh-Hans', 'li@example.com', '李小龙'),
              ('ar', 'omar@example.com', 'عمر خالد'), ('en', 'bounce-me@example.com', 'Bounce'),
              ('en', 'tempfail-me@example.com', 'Slow Relay')]
    csv = 'email,name,locale,plan\n' + ''.join('%s,"%s",%s,pro\n' % (e, n, l) for l, e, n in people)
    st, r = api('POST', '/v1/admin/contacts/import', {'csv': csv})
    check(st == 200 and r['created'] == len(people), 'contacts are imported from CSV', r)
    st, camp = api('POST', '/v1/admin/campaigns', {'survey_id': 'shop', 'name': 'First', 'segment': {'key': 'plan', 'value': 'pro'}})
    check(st == 201, 'a campaign is created', camp)
    done = wait_campaign(camp['id'], 180)
    f = done['funnel']
    check(f['sent'] == 6 and f['bounced'] == 1, 'six sent (the 4xx one on its retry a minute later) and one bounced', f)
    check(len(messages_for('tempfail-me@example.com')) == 1, 'a 4xx is retried with backoff and delivered once')

    for lang, address, name in people[:5]:
        files = messages_for(address)
        check(len(files) == 1, '%s: exactly one message arrived' % lang, files)
        if not files:
            continue
        raw = open(files[0], 'rb').read()
        check(all(b < 128 for b in raw), '%s: the message is 7-bit clean' % lang)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        check(msg['To'].addresses[0].display_name == name and msg['To'].addresses[0].addr_spec == address,
              '%s: To decodes to the contact\'s name (RFC 2047)' % lang, msg['To'])
        check(msg['From'].addresses[0].display_name == 'Acme Señales', '%s: From has the sender\'s name' % lang)
        check(b'=?UTF-8?B?' in raw.split(b'\r\n\r\n')[0] , '%s: non-ASCII headers are encoded words' % lang)
        check('Acme' in str(msg['Subject']), '%s: the subject names the product' % lang, msg['Subject'])
        check(re.fullmatch(r'<nps\.\d+\.\d+@acme\.test>', msg['Message-ID'] or '') is not None, '%s: Message-ID' % lang, msg['Message-ID'])
        check(parsedate_to_datetime(msg['Date']) is not None, '%s: Date parses' % lang)
        unsub = re.fullmatch(r'<(http://[^>]+/u/[^>]+)>', msg['List-Unsubscribe'] or '')
        check(unsub is not None and msg['List-Unsubscribe-Post'] == 'List-Unsubscribe=One-Click',
              '%s: List-Unsubscribe and List-Unsubscribe-Post (RFC 8058)' % lang)
        check(msg.get_content_type() == 'multipart/alternative', '%s: multipart/alternative' % lang)
        parts = {p.get_content_type(): p for p in msg.iter_parts()}
        text, html = parts.get('text/plain'), parts.get('text/html')
        check(text is not None and html is not None, '%s: a plain text and an HTML part' % lang)
        if not (text and html):
            continue
        check(text['Content-Transfer-Encoding'] == 'quoted-printable' and html['Content-Transfer-Encoding'] == 'quoted-printable',
              '%s: both parts quoted-printable' % lang)
        check(text.get_content_charset() == 'utf-8', '%s: UTF-8' % lang)
        h, t = html.get_content(), text.get_content()
        links = re.findall(r'href="(http://[^"]+/r/[^"]+)"', h)
        unique = list(dict.fromkeys(links))
        check(len(unique) == 11, '%s: eleven score links in the HTML' % lang, len(unique))
        check(all(u in t for u in unique), '%s: the same eleven links in the plain text' % lang)
        check(('lang="%s"' % lang) in h, '%s: the HTML is in the contact\'s language' % lang)
        check(('dir="rtl"' in h) == (lang == 'ar'), '%s: right to left only for Arabic' % lang)
        check('v:roundrect' in h and '#c92a2a' in h and '#e8a100' in h and '#2b8a3e' in h,
              '%s: VML buttons, red, yellow and green' % lang)
        check(unsub and unsub.group(1).replace('&', '&amp;') in h, '%s: a visible unsubscribe link' % lang)
        os.makedirs(ARTIFACTS, exist_ok=True)
        with open(os.path.join(ARTIFACTS, 'email-%s.html' % lang), 'w') as out:
            out.write(h)
        if lang == 'en':
            before = api('GET', '/v1/admin/surveys/shop/responses?limit=500')[1]['items']
            with urllib.request.urlopen(unique[9]) as page:
                check(page.status == 200, 'a score link opens its page')
            urllib.request.urlopen(urllib.request.Request(unique[9], method='HEAD'))
            after = api('GET', '/v1/admin/surveys/shop/responses?limit=500')[1]['items']
            check(len(after) == len(before), 'opening a link from the e-mail (GET, HEAD) stores no answer')
        if lang == 'es':
            # One-click unsubscribe, as a mailbox provider sends it.
            req = urllib.request.Request(unsub.group(1), data=b'List-Unsubscribe=One-Click', method='POST',
                                         headers={'Content-Type': 'application/x-www-form-urlencoded'})
            with urllib.request.urlopen(req) as r:
                check(r.status == 200, 'one-click unsubscribe answers 200')
        if lang == 'ru':
            with urllib.request.urlopen(unsub.group(1)) as r:
                check(r.status == 200 and 'form method="post"' in r.read().decode(), 'the unsubscribe link shows a button; GET changes nothing')

    sup = {s['email']: s['reason'] for s in api('GET', '/v1/admin/suppressions')[1]['items']}
    check(sup.get('jose@example.com') == 'unsubscribed', 'the unsubscribed contact is suppressed', sup)
    check(sup.get('bounce-me@example.com') == 'bounced', 'the 5xx bounce suppressed the address', sup)
    check('olga@example.com' not in sup, 'opening the unsubscribe page suppressed nothing')

    st, camp2 = api('POST', '/v1/admin/campaigns', {'survey_id': 'shop', 'name': 'Second', 'throttle_days': 0})
    done2 = wait_campaign(camp2['id'], 180)
    check(done2['funnel']['messages'] == 5 and done2['funnel']['sent'] == 5,
          'the next campaign skips the unsubscribed and the bounced contact', done2['funnel'])
    check(len(messages_for('jose@example.com')) == 1 and len(messages_for('ann@example.com')) == 2,
          'the unsubscribed contact received nothing more')
    st, camp3 = api('POST', '/v1/admin/campaigns', {'survey_id': 'shop', 'name': 'Third'})
    done3 = wait_campaign(camp3['id'], 60)
    check(done3['funnel']['messages'] == 0, 'throttling: nobody asked within 90 days is asked again', done3['funnel'])

    # ---- an alert by e-mail: a detractor's answer, in the endpoint's language ----
    st, ep = api('POST', '/v1/admin/webhooks', {'kind': 'email', 'url': 'mailto:Support@acme.test', 'locale': 'es',
                                               'categories': ['detractor'], 'include_personal': False})
    check(st == 201 and ep['event_types'] == ['response.created'] and ep['locale'] == 'es',
          'an e-mail alert endpoint is created for detractors, in Spanish', ep)
    st, bad = api('POST', '/v1/admin/webhooks', {'kind': 'email', 'url': 'https://example.com/hook'})
    check(st == 400 and bad['errors'][0]['path'] == 'url', 'an e-mail alert needs a mailto: address', bad)
    for key, score, comment in [('alert-0001', 9, 'Great'), ('alert-0002', 2, 'La entrega llegó rota <otra vez>')]:
        st, _ = api('POST', '/v1/surveys/shop/responses',
                    {'score': score, 'idempotency_key': key, 'comment': comment, 'respondent_id': 'cust-77'})
        check(st == 201, 'an answer (%d) is stored' % score)
    t0 = time.time()
    while not messages_for('support@acme.test') and time.time() - t0 < 30:
        time.sleep(0.1)
    time.sleep(0.5)
    alerts = messages_for('support@acme.test')
    check(len(alerts) == 1, 'one alert arrives: the detractor, not the promoter', alerts)
    if alerts:
        raw = open(alerts[0], 'rb').read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        check(str(msg['Subject']) == 'Detractor 2/10 · shop', 'the alert\'s subject names the category, score and survey (RFC 2047 decoded)', msg['Subject'])
        check(msg['Content-Language'] == 'es' and msg['List-Unsubscribe'] is None, 'in Spanish, with no unsubscribe header (it is not a survey)')
        text = msg.get_body(preferencelist=('plain',)).get_content()
        html = msg.get_body(preferencelist=('html',)).get_content()
        check('La entrega llegó rota <otra vez>' in text and 'La entrega llegó rota &lt;otra vez&gt;' in html,
              'the comment is in both parts, escaped in the HTML', text)
        check('Abrir el seguimiento' in html and '/dashboard/?view=followup&amp;survey=shop&amp;item=' in html, 'a link to the follow-up item', html[-600:])
        check('cust-77' not in text and 'cust-77' not in html, 'no respondent id: the endpoint excludes personal data')
        with open(os.path.join(ARTIFACTS, 'alert-es.html'), 'w') as out:
            out.write(html)

    # ---- the weekly digest: last week's answers (imported with their dates), in Russian ----
    import datetime
    today = datetime.datetime.now(datetime.timezone.utc).date()
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)
    iso = last_monday.isocalendar()
    week = '%04d-W%02d' % (iso[0], iso[1])
    rows = ['Response ID,Score,Comment,Response Timestamp,Email,Name,Delighted Source,Survey Type,Permalink']
    for i, (score, comment) in enumerate([(10, 'Отлично'), (9, ''), (10, ''), (2, 'Доставка опоздала на неделю'),
                                          (8, ''), (6, 'Дорого')]):
        day = last_monday + datetime.timedelta(days=i % 7)
        rows.append('d%d,%d,%s,%s 12:00:00 +0000,,,web,nps,' % (i, score, comment, day.isoformat()))
    req = urllib.request.Request(base + '/v1/admin/surveys/shop/import?preset=delighted',
                                 data=('\n'.join(rows) + '\n').encode(), method='POST',
                                 headers={'Authorization': 'Bearer ' + TOKEN, 'Content-Type': 'text/csv'})
    with urllib.request.urlopen(req, timeout=30) as r:
        check(r.status == 200, 'last week\'s answers are imported with their dates')
    st, bad = api('POST', '/v1/admin/webhooks', {'kind': 'slack', 'url': 'https://hooks.slack.com/services/T/B/x',
                                                'event_types': ['digest.weekly']})
    check(st == 400 and bad['errors'][0]['path'] == 'event_types', 'a digest is not offered to Slack', bad)
    st, ep = api('POST', '/v1/admin/webhooks', {'kind': 'email', 'url': 'mailto:Team@acme.test', 'locale': 'ru',
                                               'event_types': ['digest.weekly']})
    check(st == 201 and ep['event_types'] == ['digest.weekly'], 'a digest endpoint is created, in Russian', ep)
    t0 = time.time()
    while not messages_for('team@acme.test') and time.time() - t0 < 30:
        time.sleep(0.1)
    time.sleep(2.5)  # two more scheduler wake-ups: still one digest for the week
    digests = messages_for('team@acme.test')
    check(len(digests) == 1, 'one digest arrives for last week', digests)
    if digests:
        msg = email.message_from_bytes(open(digests[0], 'rb').read(), policy=email.policy.default)
        check(str(msg['Subject']) == 'NPS за неделю · Shop · ' + week, 'the digest names the survey and the ISO week',
              msg['Subject'])
        text = msg.get_body(preferencelist=('plain',)).get_content()
        html = msg.get_body(preferencelist=('html',)).get_content()
        # 3 promoters, 1 passive, 2 detractors of 6: NPS +16,7 (a decimal comma in Russian).
        check('NPS за неделю: +16,7' in text and 'Ответов: 6' in text, 'the week\'s NPS and answers', text[:600])
        check('Доставка опоздала на неделю' in text and 'Дорого' in html, 'the week\'s detractor comments', text)
        check('Меньше 30 ответов' in text, 'a small sample is said to be one', text)
        check('/dashboard/?survey=shop' in html, 'a link to the survey in the dashboard')
        with open(os.path.join(ARTIFACTS, 'digest-ru.html'), 'w') as out:
            out.write(html)

    # ---- kill -9 while 2,000 messages go out ----
    big = ''.join('big%05d@example.com,Big %d,en,big\n' % (i, i) for i in range(BIG))
    st, r = api('POST', '/v1/admin/contacts/import', {'csv': 'email,name,locale,plan\n' + big})
    check(st == 200 and r['created'] == BIG, 'the big audience is imported', r)
    st, camp4 = api('POST', '/v1/admin/campaigns', {'survey_id': 'shop', 'name': 'Big', 'segment': {'key': 'plan', 'value': 'big'}})
    t0 = time.time()
    while len(glob.glob(os.path.join(mail_dir, '*-big*.eml'))) < BIG // 4 and time.time() - t0 < 300:
        time.sleep(0.05)
    npsd.send_signal(signal.SIGKILL)
    npsd.wait()
    at_kill = len(glob.glob(os.path.join(mail_dir, '*-big*.eml')))
    print('killed npsd with %d of %d messages delivered' % (at_kill, BIG), flush=True)
    start_npsd()
    done4 = wait_campaign(camp4['id'], 900)
    counts = {}
    for path in glob.glob(os.path.join(mail_dir, '*-big*.eml')):
        addr = os.path.basename(path).split('-', 1)[1][:-4]
        counts[addr] = counts.get(addr, 0) + 1
    twice = [a for a, n in counts.items() if n > 1]
    missing = [('big%05d@example.com' % i) for i in range(BIG) if ('big%05d@example.com' % i) not in counts]
    uncertain = done4['funnel']['uncertain']
    print('after restart: funnel %s; %d addresses received one, %d twice, %d none' %
          (json.dumps(done4['funnel']), len(counts) - len(twice), len(twice), len(missing)), flush=True)
    check(not twice, 'no contact received two messages', twice[:5])
    check(len(missing) <= uncertain <= 1, 'every contact received its message, but the one in flight at the kill if the relay did not take it (held as uncertain)', (missing, uncertain))
    check(len(missing) == 0 or uncertain == 1, 'a missing message is the uncertain one')
    check(done4['funnel']['sent'] + uncertain == BIG, 'the outbox accounts for every contact', done4['funnel'])
finally:
    if npsd and npsd.poll() is None:
        npsd.terminate()
        npsd.wait()
    smtp.terminate()
    shutil.rmtree(tmp, ignore_errors=True)

print('\n%d failed' % len(failures))
sys.exit(1 if failures else 0)
