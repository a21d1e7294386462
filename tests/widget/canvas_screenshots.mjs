// Screenshots of the canvas demo (the ImGui widget compiled to Wasm, served by npsd) in
// headless chromium, one per language; fails when the page does not start, the survey is
// not shown, or the score's POST does not reach the server.
//
//   node canvas_screenshots.mjs --base http://127.0.0.1:PORT --survey ID --out DIR [--langs en,ru,zh,ar]
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../../web/package.json'));
const { chromium } = require('playwright-core');

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (i % 2 ? a : [...a, [v.replace(/^--/, ''), all[i + 1]]]), []));
const langs = (args.langs || 'en,ru,zh,ar,he,ja').split(',');
const steps = { en: 'score', ru: 'followup', zh: 'score', ar: 'score', he: 'followup', ja: 'thanks' };
fs.mkdirSync(args.out, { recursive: true });

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nps-canvas-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1000, height: 640 },
  args: ['--headless', '--no-sandbox', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
         '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
         '--disable-sync'],
});
let failed = 0;
try {
  for (const lang of langs) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const step = steps[lang] || 'score';
    await page.goto(`${args.base}/canvas/canvas.html?survey=${encodeURIComponent(args.survey)}&lang=${lang}&step=${step}`);
    await page.waitForFunction(() => window.npsCanvas && window.npsCanvas.ready, null, { timeout: 30000 });
    await page.waitForTimeout(600); // a few frames: auto-sized windows settle
    const file = path.join(args.out, `canvas-${lang}.png`);
    await page.screenshot({ path: file });
    let shown = await page.evaluate(() => Module.ccall('nps_demo_step', 'string', [], []));
    if (lang === 'en') {
      // A real mouse click on the canvas chooses 9: the step moves on and the POST is 201.
      const at = await page.evaluate(() => Module.ccall('nps_demo_item', 'string', ['string'], ['score9']));
      const [x, y] = at.split(',').map(Number);
      await page.mouse.click(x, y);
      await page.waitForFunction(() => Module.ccall('nps_demo_step', 'string', [], []) === 'followup', null, { timeout: 10000 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(args.out, 'canvas-en-clicked.png') });
      const after = await page.evaluate(() => Promise.all(window.npsCanvas.sent.filter((s) => s.pending).map((s) => s.pending)));
      console.log(`canvas en: clicked score9 at ${at}: sent ${JSON.stringify(after)}`);
      if (after.length !== 1 || after[0] !== 201) { console.error('canvas en: the click did not POST'); failed++; }
    }
    let posted = await page.evaluate(() => Promise.all(window.npsCanvas.sent.filter((s) => s.pending).map((s) => s.pending)));
    console.log(`canvas ${lang}: step ${shown}, sent ${JSON.stringify(posted)}, ${fs.statSync(file).size} bytes -> ${file}`);
    if (errors.length) { console.error(`canvas ${lang}: page errors: ${errors.join('; ')}`); failed++; }
    if (shown !== step) { console.error(`canvas ${lang}: expected step ${step}`); failed++; }
    if (step !== 'score' && !posted.every((s) => s === 201 || s === 200)) { console.error(`canvas ${lang}: send failed`); failed++; }
    await page.close();
  }
} finally {
  await context.close();
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
