// Shared by the dashboard's per-feature browser tests (dashboard_*.test.mjs): a real npsd
// (native build) on a free loopback port with a temporary SQLite file filled by
// `npsd demo-data`, four users (viewer, analyst, editor, admin), Debian's chromium through
// playwright-core, axe-core in light and dark, and screenshots in tests/artifacts/.
//
// usage of a test: node dashboard_<x>.test.mjs --npsd PATH --web-root DIR [--artifacts DIR] [--only REGEX]
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
export const npsd = arg('npsd', join(root, 'build/native/backend/npsd'));
const webRoot = arg('web-root', join(root, 'web/dist'));
export const artifacts = arg('artifacts', join(root, 'tests/artifacts'));
mkdirSync(artifacts, { recursive: true });
const require = createRequire(join(root, 'web/package.json'));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const ADMIN = 'dashboard-test-admin-token-0123456789';
export const PASSWORD = 'correct horse battery staple';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
// The five languages every changed page is looked at in (screenshots).
export const FIVE = ['en', 'es', 'ru', 'zh-Hans', 'ar'];

let failures = 0;
const only = arg('only', null);
export async function check(name, f) {
  if (only && !new RegExp(only).test(name)) return;
  const started = Date.now();
  try {
    await f();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
  }
}

export const freePort = () => new Promise((ok) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});

// Starts npsd with the demo data (3,000 answers) and the four users; returns what a test uses.
// `env`: more environment for npsd (an SMTP relay: NPSD_SMTP_URL, NPSD_MAIL_FROM); `args`:
// more flags (--webhooks-time-scale).
export async function start({ count = 3000, env = {}, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'npsd-dashboard-'));
  const db = join(dir, 'npsd.sqlite3');
  execFileSync(npsd, ['demo-data', '--db', db, '--count', String(count)]);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(npsd, ['--listen', `127.0.0.1:${port}`, '--db', db, '--web-root', webRoot, '--quiet', ...args], {
    env: { ...process.env, NPSD_ADMIN_TOKEN: ADMIN, ...env }, stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
    if (i > 100) throw new Error('npsd did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const admin = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
      body: body && JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers, text };
  };
  const users = {};
  for (const role of ['viewer', 'analyst', 'editor', 'admin']) {
    const r = await admin('POST', '/v1/admin/users', { email: `${role}@example.com`, role, password: PASSWORD });
    assert.equal(r.status, 201);
    users[role] = r.body.id;
  }
  const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: DESKTOP,
  });
  // A signed-in page for a role, on the overview (or `query`), in `lang`.
  async function open(role, { viewport = DESKTOP, lang = 'en', query = '', ready = 'overview' } = {}) {
    const page = await browser.newPage();
    await browser.clearCookies();
    await page.setViewportSize(viewport);
    page.on('pageerror', (e) => console.log(`page error (${role}): ${e.message}`));
    await page.goto(`${base}/dashboard/?lang=en`);
    await page.fill('#email', `${role}@example.com`);
    await page.fill('#password', PASSWORD);
    await page.click('[data-test=signin]');
    await page.waitForSelector('body[data-ready=overview]');
    if (query || lang !== 'en') {
      await page.goto(`${base}/dashboard/?lang=${lang}&survey=acme-app${query}`);
      await page.waitForSelector(`body[data-ready=${ready}]`);
    }
    return page;
  }
  const shot = (page, name, fullPage = false) => page.screenshot({ path: join(artifacts, `dashboard-${name}.png`), fullPage });
  // axe-core on the page as it is, in light and in dark: no violation.
  async function axe(page, what) {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.evaluate(axeSource);
      const found = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      });
      assert.deepEqual(found, [], `axe on ${what} (${scheme})`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }
  // Nothing wider than the window (no sideways scrolling of the page).
  const noSideways = async (page, what) => {
    const [sw, w] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(sw <= w, `${what}: the page scrolls sideways (${sw} > ${w})`);
  };
  const answer = (body, survey = 'acme-app', method = 'POST', key = '') =>
    fetch(`${base}/v1/surveys/${survey}/responses${key ? `/${key}` : ''}`, { method,
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  async function stop() {
    await browser.close();
    server.kill('SIGTERM');
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  return { base, db, admin, users, browser, open, shot, axe, noSideways, answer, stop };
}

export function finish() {
  console.log(failures ? `${failures} failed` : 'all passed');
  process.exit(failures ? 1 : 0);
}
