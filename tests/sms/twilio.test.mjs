// SMS replies end to end with Twilio's own library as the oracle: a real npsd (native
// build) on a loopback port with a Twilio auth token and a public URL behind a path prefix
// (as behind a proxy), webhooks signed by the official `twilio` npm package
// (getExpectedTwilioSignature, checked with its validateRequest). Signed requests are
// accepted and answered with TwiML; unsigned and forged ones get 403 and store nothing.
//
//   node tests/sms/twilio.test.mjs --npsd build/native/backend/npsd
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'web/package.json'));
const twilio = require('twilio');

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const npsd = arg('npsd', path.join(root, 'build/native/backend/npsd'));
const ADMIN = 'sms-test-admin-token-0123456789';
const AUTH_TOKEN = 'f1e2d3c4b5a697887766554433221100';
const PUBLIC = 'https://nps.example.test/npsd'; // what Twilio calls; a proxy strips /npsd

let passed = 0, failed = 0;
const check = (ok, what) => {
  if (ok) passed++;
  else { failed++; console.error(`FAIL ${what}`); }
};

const port = await new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const dir = mkdtempSync(path.join(os.tmpdir(), 'nps-sms-'));
const proc = spawn(npsd, ['--listen', `127.0.0.1:${port}`, '--db', path.join(dir, 'npsd.sqlite3'), '--quiet'], {
  env: { ...process.env, NPSD_ADMIN_TOKEN: ADMIN, NPSD_TWILIO_AUTH_TOKEN: AUTH_TOKEN, NPSD_SMS_PUBLIC_URL: PUBLIC },
  stdio: ['ignore', 'ignore', 'inherit'],
});
process.on('exit', () => { proc.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); });
process.on('unhandledRejection', (e) => { console.error(e); process.exit(1); });
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { await new Promise((r) => setTimeout(r, 100)); }
}
const admin = async (method, p, body) => {
  const r = await fetch(base + p, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return JSON.parse(text);
};
await admin('POST', '/v1/admin/surveys', { id: 'shop', name: 'Shop', product: 'Shop', default_locale: 'en' });
const count = async () => (await admin('GET', '/v1/admin/surveys/shop/summary')).n;

let sid = 0;
const message = (from, body) => ({
  AccountSid: 'AC0123456789abcdef0123456789abcdef', ApiVersion: '2010-04-01', Body: body, From: from,
  FromCountry: 'US', MessageSid: `SM${String(++sid).padStart(32, '0')}`, NumMedia: '0', NumSegments: '1',
  SmsStatus: 'received', To: '+15557654321',
});
const target = '/v1/sms/twilio?survey=shop';
async function post(params, { signature, path: p = target } = {}) {
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (signature !== null) headers['X-Twilio-Signature'] = signature ?? twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC + p, params);
  const r = await fetch(base + p, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
}

// The oracle agrees with itself on what it signs.
const sample = message('+15551234567', '9');
check(twilio.validateRequest(AUTH_TOKEN, twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC + target, sample), PUBLIC + target, sample),
  'twilio.validateRequest accepts its own signature');

// Signed replies in several languages and forms: accepted, stored once, answered in TwiML.
const replies = [
  ['+15550000001', '9', 9, 'Great! What do you like most?'],
  ['+15550000002', 'nueve', 9, '¡Genial! ¿Qué es lo que más le gusta?'],
  ['+15550000003', 'девять', 9, null],
  ['+15550000004', '九', 9, null],
  ['+15550000005', '９', 9, null],
  ['+15550000006', '9️⃣', 9, null],
  ['+15550000007', '🔟', 10, null],
  ['+15550000008', '3 - late & broken <again>', 3, 'Thank you for your feedback!'],
];
let expected = 0;
for (const [from, body, score, answer] of replies) {
  const msg = message(from, body);
  const r = await post(msg);
  expected++;
  check(r.status === 200 && r.type.startsWith('text/xml') && r.body.includes('<Response><Message>'),
    `signed "${body}" is answered with TwiML (${r.status} ${r.body})`);
  if (answer) check(r.body.includes(`<Message>${answer}</Message>`), `"${body}" is answered "${answer}" (${r.body})`);
  check(await count() === expected, `"${body}" is stored once (${score})`);
  const again = await post(msg); // Twilio retries the same MessageSid
  check(again.status === 200 && await count() === expected, `a retried "${body}" stores nothing more`);
}
const items = (await admin('GET', '/v1/admin/surveys/shop/responses?limit=50')).items;
check(items.every((i) => i.channel === 'sms'), 'every SMS answer has channel "sms"');
check(items.find((i) => i.respondent_id === '+15550000008')?.comment === 'late & broken <again>',
  'the comment after the score is kept as written');
check(items.find((i) => i.respondent_id === '+15550000002')?.locale === 'es', 'a Spanish reply is stored in Spanish');

// The follow-up: the same number's next message is the comment.
const follow = await post(message('+15550000001', 'Fast delivery'));
check(follow.status === 200 && follow.body.includes('Thank you for your feedback!'), `the follow-up is thanked (${follow.body})`);
check((await admin('GET', '/v1/admin/surveys/shop/responses?limit=50')).items
  .find((i) => i.respondent_id === '+15550000001')?.comment === 'Fast delivery', 'the follow-up becomes the comment');
check(await count() === expected, 'a follow-up adds no answer');

// Unsigned, forged, signed for another URL, with another token, or with changed parameters: 403.
const msg = message('+15559999999', '10');
const forged = [
  ['unsigned', { signature: null }],
  ['an empty signature', { signature: '' }],
  ['a made-up signature', { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }],
  ['signed with another token', { signature: twilio.getExpectedTwilioSignature('not-the-token', PUBLIC + target, msg) }],
  ['signed for the internal URL', { signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, base + target, msg) }],
  ['signed for another survey', { signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC}/v1/sms/twilio?survey=other`, msg) }],
  ['signed for other parameters', { signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, PUBLIC + target, { ...msg, Body: '0' }) }],
];
for (const [what, opts] of forged) {
  const r = await post(msg, opts);
  check(r.status === 403, `${what}: 403 (got ${r.status})`);
}
check(await count() === expected, 'no refused request stored anything');

// Ambiguous: a question back, nothing stored. STOP: unsubscribed.
const amb = await post(message('+15558888888', '7 or 8'));
check(amb.status === 200 && amb.body.includes('Please reply with one number from 0'), `"7 or 8" gets a question back (${amb.body})`);
const stop = await post(message('+15558888888', 'STOP'));
check(stop.status === 200 && stop.body.includes('unsubscribed'), `STOP is confirmed (${stop.body})`);
check(await count() === expected, 'neither stored an answer');

console.log(`sms twilio: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
