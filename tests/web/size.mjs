// What the widget costs a host page: gzipped bytes of (1) the loader on the critical path,
// (2) the eligibility core loaded when the browser is idle, (3) everything a shown survey
// adds (renderer, flow module, the largest language's texts); then, in Debian's chromium against a real npsd, long tasks (> 50 ms) and layout
// shift on a host page with and without the widget (the same page, alternating rounds).
// Every figure is printed; a missed size budget (the aims below, in the README's "Cost to
// the host page") then fails the run (exit 1) and is named on the last line.
//   node tests/web/size.mjs [--npsd build/native/backend/npsd] [--rounds 3] [--no-browser]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { arg, browser, dist, perfObserver, snippet, startHost, startNpsd } from './harness.mjs';

const gz = (f) => gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
// A shown survey also fetches its visitor's language: counted here as the largest one.
const texts = readdirSync(dist).filter((f) => /^nps-texts-.*\.json$/.test(f)).sort((a, b) => gz(b) - gz(a))[0];
if (!texts) throw new Error(`no nps-texts-*.json in ${dist}`);
const groups = [
  ['loader (critical path)', ['nps.js'], 3 * 1024],
  ['eligibility core (idle)', ['nps-elig.js', 'nps-elig.wasm'], 15 * 1024],
  ['a shown survey adds', ['nps-widget.js', 'nps-flow.js', 'nps-flow.wasm', texts], 40 * 1024],
];
console.log('gzipped bytes (gzip -9):');
const missed = [];
for (const [name, files, aim] of groups) {
  const each = files.map((f) => `${f} ${gz(f)}`).join(', ');
  const total = files.reduce((a, f) => a + gz(f), 0);
  if (total > aim) missed.push(`${name} ${total} B > ${aim} B`);
  console.log(`  ${name.padEnd(26)} ${String(total).padStart(7)}  aim ≤ ${aim}  ${total <= aim ? 'met' : 'NOT met'}  (${each})`);
}
// Not on a visitor's page: what the loader's debug mode loads instead of nps-elig.
console.log(`  (debug mode: nps-elig-debug.js + .wasm ${gz('nps-elig-debug.js') + gz('nps-elig-debug.wasm')}, in place of the eligibility core)`);

if (!process.argv.includes('--no-browser')) {
  const npsd = await startNpsd();
  const pages = {};
  const host = await startHost(pages);
  await npsd.survey({ id: 'bench', allowed_origins: [host.origin] });
  await npsd.survey({ id: 'quiet', allowed_origins: [host.origin], targeting: { urls: [{ match: 'contains', pattern: '/nowhere' }] } });
  const body = '<h1>Bench</h1>' + '<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>'.repeat(200);
  const page = (s) => `<!doctype html><html><head><meta charset="utf-8"><title>b</title></head><body>${body}${s}</body></html>`;
  pages.none = { html: page('') };
  pages.quiet = { html: page(snippet({ base: `${host.origin}/s`, server: npsd.url, survey: 'quiet' })) };
  pages.shown = { html: page(snippet({ base: `${host.origin}/s`, server: npsd.url, survey: 'bench' })) };
  const { b, close } = await browser();
  const rounds = Number(arg('rounds', 3));
  const results = { none: [], quiet: [], shown: [] };
  for (let r = 0; r < rounds; r++) {
    for (const name of Object.keys(results)) {
      const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
      await ctx.addInitScript(perfObserver);
      const p = await ctx.newPage();
      await p.goto(`${host.origin}/p/${name}`, { waitUntil: 'load' });
      if (name === 'shown') await p.locator('[data-opennps] .nps').waitFor();
      else await p.waitForTimeout(1500); // the idle decision has happened
      await p.waitForTimeout(500);
      results[name].push(await p.evaluate(() => window.__perf));
      await ctx.close();
    }
  }
  const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(`\nbrowser (${rounds} alternating rounds, medians; this 2-core machine is shared):`);
  for (const [name, rs] of Object.entries(results)) {
    const long = rs.map((m) => m.long.length);
    const worst = rs.map((m) => Math.max(0, ...m.long));
    console.log(`  ${{ none: 'host page, no widget', quiet: 'widget, survey not due', shown: 'widget, survey shown' }[name].padEnd(24)} long tasks ${median(long)} (longest ${median(worst)} ms), layout shift ${median(rs.map((m) => m.shift))}`);
  }
  await close();
  host.close();
  npsd.stop();
}

if (missed.length > 0) {
  console.log(`\nsize budgets NOT met (${missed.length}): ${missed.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log('\nsize budgets: all met');
}
