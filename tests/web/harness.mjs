// Shared by the browser tests: a real npsd (native build) on a free loopback port with a
// temporary SQLite file, a second origin serving host pages (so the widget's API calls are
// cross-origin, as on a customer's site), Debian's chromium through playwright-core, and
// a tiny assertion counter. Never downloads a browser.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = path.join(root, 'web/dist');
export const artifacts = path.join(root, 'tests/artifacts');
const require = createRequire(path.join(root, 'web/package.json'));
const { chromium } = require('playwright-core');
export const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const TOKEN = 'web-test-admin-token-0123456789';

export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

export async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function startNpsd(npsd = arg('npsd', path.join(root, 'build/native/backend/npsd'))) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nps-web-'));
  const port = await freePort();
  const proc = spawn(npsd, ['--listen', `127.0.0.1:${port}`, '--db', path.join(dir, 'npsd.sqlite3'), '--web-root', dist, '--quiet'], {
    env: { ...process.env, NPSD_ADMIN_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // However the test ends (an exception included), the server goes with it.
  process.on('exit', () => proc.kill('SIGTERM'));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(1));
  process.on('uncaughtException', (e) => { console.error(e); process.exit(1); });
  process.on('unhandledRejection', (e) => { console.error(e); process.exit(1); });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const admin = async (method, p, body) => {
    const r = await fetch(url + p, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    url,
    admin,
    survey: (def) => admin('POST', '/v1/admin/surveys', def),
    responses: async (id) => (await admin('GET', `/v1/admin/surveys/${id}/responses?limit=500`)).items,
    stop: () => {
      proc.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Host pages on their own origin: /p/<name> answers pages[name] ({html, csp?}); /s/* serves
// web/dist (the widget's files, as a CDN or the npsd origin would).
export async function startHost(pages) {
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname.startsWith('/p/')) {
      const page = pages[u.pathname.slice(3)];
      if (!page) return res.writeHead(404).end();
      const headers = { 'Content-Type': 'text/html; charset=utf-8' };
      if (page.csp) headers['Content-Security-Policy'] = page.csp;
      return res.writeHead(200, headers).end(page.html);
    }
    if (u.pathname.startsWith('/s/')) {
      const file = path.join(dist, path.normalize(u.pathname.slice(3)));
      if (!file.startsWith(dist) || !existsSync(file)) return res.writeHead(404).end();
      return res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
    }
    res.writeHead(404).end();
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${port}`, close: () => server.close() };
}

export async function browser() {
  // playwright gives every launch a fresh temporary profile (its user-data-dir).
  const b = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return { b, close: () => b.close() };
}

// Counts layout shifts and long tasks on the host page from its first byte.
export const perfObserver = `(() => { const p = { shift: 0, long: [] };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) p.shift += e.value; }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) p.long.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
  Object.defineProperty(window, '__perf', { value: p }); })()`;

export function snippet({ base, server, survey, extra = '', nonce }) {
  const n = nonce ? ` nonce="${nonce}"` : '';
  return `<script${n}>window.nps=window.nps||function(){(nps.q=nps.q||[]).push(arguments)};${extra}</script>
<script async src="${base}/nps.js" data-survey="${survey}" data-server="${server}"${nonce ? ` data-nonce="${nonce}"` : ''}></script>`;
}

let passed = 0;
let failed = 0;
export function check(ok, what, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? ` — ${detail}` : ''}`);
}
export function done() {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
export function artifact(name) {
  mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}
