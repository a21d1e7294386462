// Proof of npsd's outgoing webhooks against the official verifier: a receiver on 127.0.0.1
// checks every delivery with the npm `standardwebhooks` package (web/node_modules) and
// refuses the first attempts; a real npsd (this build) delivers from its outbox.
//
//   node tests/webhooks/proof.mjs --npsd build/native/backend/npsd
//
// 1. Retries: each event refused REFUSALS times, then accepted. Every attempt's signature
//    verifies, webhook-id is the same on every attempt, and the intervals follow the spec's
//    schedule (5 s, 5 min, 30 min) run at --webhooks-time-scale 0.001 (TEST ONLY: 5 ms,
//    300 ms, 1.8 s) so the test takes seconds: never earlier than the schedule less 10%
//    jitter, and at most 3 s later (2 busy cores; each attempt is two durable commits).
// 2. Crash: answers keep coming while deliveries are in flight; npsd is killed with SIGKILL
//    in the middle of an attempt and started again on the same database. Every stored answer
//    is delivered at least once, no event is invented, webhook-id stays stable.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as netServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const { Webhook } = createRequire(join(root, 'web/package.json'))('standardwebhooks');
const npsdPath = process.argv[process.argv.indexOf('--npsd') + 1];
assert.ok(process.argv.includes('--npsd') && npsdPath, 'usage: proof.mjs --npsd PATH');

const TOKEN = 'proof-admin-token-0123456789';
const SCALE = 0.001;
const REFUSALS = 3; // attempts 1..3 refused, the 4th accepted
const SCHEDULE = [5_000, 300_000, 1_800_000].map((ms) => ms * SCALE);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'npsd-hooks-'));

async function freePort() {
  const s = netServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

// ---- the receiver ------------------------------------------------------------------------

const attempts = new Map(); // webhook-id → [{at, body}]
const accepted = new Set(); // webhook-ids answered 204
let secret = null;
let verifyFailures = 0;
let onAttempt = null; // a hook for the crash phase
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const at = performance.now();
    try {
      new Webhook(secret).verify(body, req.headers); // throws on a bad signature or stale timestamp
    } catch (e) {
      verifyFailures++;
      console.log(`FAIL verification: ${e.message}`);
    }
    const id = req.headers['webhook-id'];
    if (!attempts.has(id)) attempts.set(id, []);
    const list = attempts.get(id);
    list.push({ at, body });
    if (onAttempt && (await onAttempt(id, list.length))) return; // the crash phase answers itself
    if (list.length > REFUSALS) accepted.add(id);
    res.writeHead(list.length <= REFUSALS ? 503 : 204).end();
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks`;

// ---- npsd --------------------------------------------------------------------------------

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let npsd = null;
async function startNpsd() {
  npsd = spawn(npsdPath, ['--listen', `127.0.0.1:${port}`, '--db', join(dir, 'npsd.sqlite3'), '--quiet',
    '--webhooks-allow-private', '--webhooks-time-scale', String(SCALE), '--webhooks-timeout-ms', '2000'], {
    env: { ...process.env, NPSD_ADMIN_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {}
    await sleep(50);
  }
  throw new Error('npsd did not start');
}
const admin = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
async function api(method, path, body) {
  const r = await fetch(base + path, { method, headers: admin, body: body && JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}
async function answer(key, score) {
  const r = await fetch(`${base}/v1/surveys/proof/responses`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ score, idempotency_key: key, comment: `comment ${key}` }),
  });
  return r.status;
}
async function waitFor(pred, ms, what) {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await pred()) return;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let failures = 0;
async function check(name, f) {
  try {
    await f();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
  }
}

try {
  await startNpsd();
  assert.equal((await api('POST', '/v1/admin/surveys', { id: 'proof', name: 'Proof' })).status, 201);
  const ep = await api('POST', '/v1/admin/webhooks', { url: receiverUrl, survey_id: 'proof' });
  assert.equal(ep.status, 201);
  secret = ep.json.secret;
  const endpointId = ep.json.id;

  // ---- 1. retries on the spec's schedule --------------------------------------------------
  const keys = Array.from({ length: 8 }, (_, i) => `retry-key-${1000 + i}`);
  for (const [i, k] of keys.entries()) assert.equal(await answer(k, i % 11), 201);
  await waitFor(() => accepted.size === keys.length, 30_000, 'every event accepted');
  await sleep(300);

  await check('every event of phase 1 arrives, verified by the official standardwebhooks package', () => {
    assert.equal(verifyFailures, 0);
    assert.equal(attempts.size, keys.length);
    const got = [...attempts.values()].map((l) => JSON.parse(l[0].body).data.idempotency_key).sort();
    assert.deepEqual(got, [...keys].sort());
  });
  await check('each event is attempted exactly REFUSALS + 1 times with one webhook-id and one body', () => {
    for (const [id, list] of attempts) {
      assert.match(id, /^msg_[0-9a-z]{26}$/);
      assert.equal(list.length, REFUSALS + 1, id);
      assert.ok(list.every((a) => a.body === list[0].body), id);
    }
  });
  const gaps = [[], [], []];
  for (const list of attempts.values()) for (let i = 1; i < list.length; i++) gaps[i - 1].push(list[i].at - list[i - 1].at);
  await check('retry intervals follow the schedule 5 s, 5 min, 30 min (x0.001, jitter 10%)', () => {
    for (let i = 0; i < 3; i++) {
      const low = SCHEDULE[i] * 0.9 - 2; // timer granularity
      const high = SCHEDULE[i] * 1.1 + 3000; // the lower bound is the strict one
      for (const g of gaps[i]) assert.ok(g >= low && g <= high, `gap ${i + 1}: ${g.toFixed(1)} ms not in [${low}, ${high}]`);
    }
  });
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)].toFixed(0);
  console.log(`     measured median gaps: ${med(gaps[0])} ms, ${med(gaps[1])} ms, ${med(gaps[2])} ms ` +
    `(schedule ${SCHEDULE.join(', ')} ms)`);

  // ---- 2. kill -9 during delivery ------------------------------------------------------------
  attempts.clear();
  accepted.clear();
  let killed = false;
  let killedId = null;
  onAttempt = async (id, n) => {
    if (killed || n <= REFUSALS) return false;
    if (attempts.size < 6) return false;
    killed = true; // the first accepted attempt after six events: kill npsd before answering it
    killedId = id;
    npsd.kill('SIGKILL');
    return true; // never answered: the socket dies with npsd
  };
  const crashKeys = Array.from({ length: 30 }, (_, i) => `crash-key-${1000 + i}`);
  const acknowledged = new Set();
  for (const k of crashKeys) {
    let status = 0;
    try {
      status = await answer(k, 3);
    } catch {}
    if (status === 201 || status === 200) acknowledged.add(k);
    if (killed) break;
  }
  await waitFor(() => killed, 30_000, 'the kill');
  await new Promise((r) => (npsd.exitCode !== null || npsd.signalCode ? r() : npsd.once('exit', r)));
  onAttempt = null;
  await startNpsd();
  for (const k of crashKeys) if (!acknowledged.has(k)) if ([200, 201].includes(await answer(k, 3))) acknowledged.add(k);

  const stored = async () => (await api('GET', '/v1/admin/surveys/proof/responses?limit=500')).json.items
    .map((r) => r.idempotency_key).filter((k) => k.startsWith('crash-'));
  const delivered = () => new Set([...accepted].map((id) => JSON.parse(attempts.get(id)[0].body).data.idempotency_key));
  await waitFor(async () => (await stored()).every((k) => delivered().has(k)), 60_000, 'every stored answer delivered');
  await sleep(500); // the last attempts' outcomes are recorded after their answers

  await check('after kill -9 and a restart every stored answer is delivered at least once', async () => {
    const s = await stored();
    assert.equal(s.length, crashKeys.length);
    for (const k of s) assert.ok(delivered().has(k), k);
  });
  await check('no event is invented: one webhook-id per stored answer, each naming an answer sent', async () => {
    const byKey = new Map();
    for (const [id, list] of attempts) {
      const key = JSON.parse(list[0].body).data.idempotency_key;
      assert.ok(crashKeys.includes(key), key);
      assert.ok(!byKey.has(key) || byKey.get(key) === id, `two ids for ${key}`);
      byKey.set(key, id);
      assert.ok(list.every((a) => a.body === list[0].body), id);
    }
    const d = await api('GET', `/v1/admin/webhooks/${endpointId}/deliveries?limit=500`);
    assert.equal(d.json.items.length, keys.length + crashKeys.length);
    assert.ok(d.json.items.every((x) => x.status === 'delivered'));
  });
  await check('the delivery cut by the kill is sent again with the same webhook-id', () => {
    assert.ok(killedId);
    assert.ok(attempts.get(killedId).length >= REFUSALS + 2, `${attempts.get(killedId).length} attempts`);
  });
  await check('signatures stay valid across the restart', () => assert.equal(verifyFailures, 0));
} catch (e) {
  failures++;
  console.log(`FAIL ${e.stack ?? e}`);
} finally {
  if (npsd && npsd.exitCode === null && !npsd.signalCode) npsd.kill('SIGTERM');
  receiver.close();
  receiver.closeAllConnections?.();
  await sleep(200);
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
