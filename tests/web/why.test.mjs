// The dashboard's Why page (issue 16) end to end: a real npsd (native build) with answers in
// English, Spanish, Russian and Chinese whose detractors write about slow delivery, driven by
// Debian's chromium through playwright-core. Screenshots in en, es, ru and zh-Hans at desktop
// and phone widths go to tests/artifacts/why-<lang>-<width>.png. Issue 16's tone of English
// comments (and none for others) behind a theme, in Responses and on an answer's page:
// tests/artifacts/{why,responses,response}-tone-<en 1280|es 390>.png. Filtered by channel and
// device (issue 16): a theme planted in app answers on phones and another in web answers on
// desktops; choosing a channel (and a device) on the page changes the themes;
// tests/artifacts/why-channel-<en|ar>-<1280|390>.png.
//
// usage: node why.test.mjs --npsd PATH --web-root DIR [--artifacts DIR]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const npsd = arg('npsd', join(root, 'build/native/backend/npsd'));
const webRoot = arg('web-root', join(root, 'web/dist'));
const artifacts = arg('artifacts', join(root, 'tests/artifacts'));
mkdirSync(artifacts, { recursive: true });
const { chromium } = createRequire(join(root, 'web/package.json'))('playwright-core');

const ADMIN = 'why-test-admin-token-0123456789abcdef';
const PASSWORD = 'correct horse battery staple';
let failures = 0;
async function check(name, f) {
  try { await f(); console.log(`ok   ${name}`); } catch (e) { failures++; console.log(`FAIL ${name}\n     ${e.stack ?? e}`); }
}
const freePort = () => new Promise((ok) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});

const dir = mkdtempSync(join(tmpdir(), 'npsd-why-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(npsd, ['--listen', `127.0.0.1:${port}`, '--db', join(dir, 'npsd.sqlite3'), '--web-root', webRoot, '--quiet'], {
  env: { ...process.env, NPSD_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'inherit', 'inherit'],
});
for (let i = 0; ; i++) {
  try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not yet */ }
  if (i > 100) throw new Error('npsd did not start');
  await new Promise((r) => setTimeout(r, 100));
}
const admin = async (method, path, body) => {
  const r = await fetch(base + path, { method, headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: body && JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};
assert.equal((await admin('POST', '/v1/admin/surveys', { id: 'shop', name: 'Shop' })).status, 201);
for (const role of ['viewer', 'analyst'])
  assert.equal((await admin('POST', '/v1/admin/users', { email: `${role}@example.com`, role, password: PASSWORD })).status, 201);

// Comments: detractors about slow delivery, promoters about prices, everyone about the app.
const texts = {
  en: { det: ['The delivery was slow', 'deliveries are slow', 'delivery is not fast'], pro: ['great prices', 'the price is great'], any: ['the app', 'my order'] },
  es: { det: ['La entrega es lenta', 'entregas lentas', 'la entrega no es rápida'], pro: ['buenos precios'], any: ['la aplicación', 'mi pedido'] },
  ru: { det: ['Доставка медленная', 'доставки медленные', 'доставка не быстрая'], pro: ['хорошие цены'], any: ['приложение', 'заказ'] },
  'zh-Hans': { det: ['送货太慢了', '送货很慢'], pro: ['价格便宜'], any: ['应用', '订单'] },
};
let n = 0;
const posts = [];
for (const [locale, t] of Object.entries(texts))
  for (let i = 0; i < 60; i++) {
    const score = i % 3 === 0 ? i % 7 : i % 3 === 1 ? 10 : 8;
    const comment = [score <= 6 && i % 2 === 0 ? t.det[i % t.det.length] : null, score >= 9 ? t.pro[i % t.pro.length] : null, t.any[i % 2]]
      .filter(Boolean).join(locale === 'zh-Hans' ? '，' : ', ');
    posts.push(fetch(`${base}/v1/surveys/shop/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ score, comment, locale, idempotency_key: `why-${100000 + n++}` }) }).then((r) => assert.equal(r.status, 201)));
  }
await Promise.all(posts);
// Issue 16: the newest comments behind "slow" and behind the Spanish "lenta": an English
// detractor whose words praise (AFINN: great +3, love +3) and a Spanish one (no sentiment).
const planted = {};
for (const [key, body] of Object.entries({
  praise: { score: 2, locale: 'en', comment: 'The delivery was slow, but the staff were great and I love the app' },
  spanish: { score: 2, locale: 'es', comment: 'La entrega es lenta, pésimo servicio' },
})) {
  const r = await fetch(`${base}/v1/surveys/shop/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...body, idempotency_key: `why-tone-${key}` }) });
  assert.equal(r.status, 201);
  planted[key] = (await r.json()).id;
}

// Issue 16, filtered by channel and device: English detractors in the app on phones write that
// it crashes, on the website on desktops that the checkout confuses them; promoters in both.
const segment = [];
for (let i = 0; i < 12; i++)
  for (const [channel, device, det] of [['app', 'mobile', 'the app keeps crashing'], ['web', 'desktop', 'the checkout form is confusing']])
    segment.push(fetch(`${base}/v1/surveys/shop/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ score: i % 2 ? 10 : 3, comment: i % 2 ? 'great prices' : det, locale: 'en', channel, device,
        idempotency_key: `why-seg-${channel}-${i}` }) }).then((r) => assert.equal(r.status, 201)));
await Promise.all(segment);

const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
async function open(role, lang, width, init) {
  const page = await browser.newPage();
  if (init) await page.addInitScript(init);
  await browser.clearCookies();
  await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
  page.on('pageerror', (e) => { failures++; console.log(`page error: ${e.message}`); });
  await page.goto(`${base}/dashboard/?lang=${lang}`);
  await page.fill('#email', `${role}@example.com`);
  await page.fill('#password', PASSWORD);
  await page.click('[data-test=signin]');
  await page.waitForSelector('body[data-ready=overview]');
  await page.goto(`${base}/dashboard/?lang=${lang}&survey=shop&view=why&from=2020-01-01`);
  await page.waitForSelector('body[data-ready=why] [data-test=why-detractors]');
  return page;
}

try {
  for (const lang of ['en', 'es', 'ru', 'zh-Hans'])
    for (const width of [1280, 390])
      await check(`the Why page in ${lang} at ${width} px shows the planted theme`, async () => {
        const page = await open('analyst', lang, width);
        const themes = await page.$$eval('[data-test=why-detractors] [data-test=theme]', (as) => as.map((a) => a.textContent));
        assert.ok(themes.some((x) => /slow|deliver|entrega|lent|доставк|медлен|送货|慢/.test(x)), themes.join(' | '));
        // One row per theme: the phrase, its words folded under it ("includes: …"), not beside it;
        // a Chinese phrase joined without a space.
        const folded = await page.$$eval('[data-test=why-detractors] [data-test=folded]', (ds) => ds.map((d) => d.textContent));
        assert.ok(folded.length > 0, 'a phrase lists the words folded into it');
        assert.ok(!themes.some((x) => /^(slow|lenta|медленная|太慢)$/.test(x)), themes.join(' | '));
        if (lang === 'zh-Hans') assert.ok(themes.some((x) => x === '送货太慢'), themes.join(' | '));
        if (width < 500) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px on a phone`);
          // Nothing is cut off inside the tables either: every impact and its interval is in view.
          const cut = await page.$$eval('[data-test=why-detractors] [data-test=impact]', (cells) =>
            cells.filter((c) => { const r = c.getBoundingClientRect(), box = c.closest('figure').getBoundingClientRect(); return r.right > box.right + 0.5 || r.left < box.left - 0.5 || c.scrollWidth > c.clientWidth + 1; }).length);
          assert.equal(cut, 0, `${cut} impact cells cut off on a phone`);
        }
        await page.screenshot({ path: join(artifacts, `why-${lang}-${width}.png`), fullPage: true });
        await page.close();
      });
  await check('an analyst opens the comments behind a theme with one click', async () => {
    const page = await open('analyst', 'en', 1280);
    await page.click('[data-test=why-detractors] [data-test=theme]');
    await page.waitForSelector('[data-test=behind] li');
    assert.match(await page.textContent('[data-test=behind]'), /slow|deliver/i);
    await page.screenshot({ path: join(artifacts, 'why-en-behind.png'), fullPage: true });
    await page.close();
  });
  await check('an English detractor whose words praise is flagged "Score and words disagree"; a Spanish comment gets no tone', async () => {
    const themes = async (q) => (await admin('GET', `/v1/admin/surveys/shop/themes?from=2020-01-01${q}`)).body;
    const termOf = (j, re) => [...j.detractors, ...j.detractors_vs_passives].find((x) => re.test(x.form))?.term;
    // Every English detractor wrote "The delivery was slow": "slow" is folded into the phrase
    // (the core's phrase rule), and so is the Spanish "lenta" into "entrega lenta".
    const slow = termOf(await themes(''), /^delivery slow$/);
    const lenta = termOf(await themes('&locale=es'), /^entrega lenta$/);
    assert.ok(slow && lenta, `terms: ${slow} ${lenta}`);
    // What the API says: the English answer carries sentiment, the Spanish one none.
    const got = (await admin('GET', `/v1/admin/surveys/shop/responses/${planted.praise}`)).body.response;
    assert.deepEqual([got.sentiment.tone, got.sentiment.disagrees], ['positive', true]);
    assert.equal((await admin('GET', `/v1/admin/surveys/shop/responses/${planted.spanish}`)).body.response.sentiment, undefined);

    for (const [lang, width] of [['en', 1280], ['es', 390]]) {
      const page = await open('analyst', lang, width);
      // The comments behind "slow": the planted one first, with its tone, the flag, the words and one explanation.
      await page.goto(`${base}/dashboard/?lang=${lang}&survey=shop&view=why&from=2020-01-01&term=${encodeURIComponent(slow)}`);
      await page.waitForSelector('body[data-ready=why] [data-test=behind] li');
      const li = page.locator(`[data-test=behind] li[data-response="${planted.praise}"]`);
      assert.equal(await li.locator('[data-test=tone]').textContent(), { en: 'Words: positive', es: 'Palabras: positivas' }[lang]);
      assert.equal(await li.locator('[data-test=disagree]').textContent(), { en: 'Score and words disagree', es: 'La puntuación y las palabras no coinciden' }[lang]);
      assert.ok(await li.locator('[data-test=disagree]').isVisible());
      assert.equal(await page.locator('[data-test=behind] [data-test=tone-note]').count(), 1);
      // The other English comments about slow deliveries: a tone each (they have no AFINN word: neutral), no flag.
      const tones = await page.$$eval('[data-test=behind] li', (lis) => lis.map((x) => x.querySelector('[data-test=tone]')?.dataset.tone ?? null));
      assert.ok(tones.every(Boolean), `every English comment has a tone: ${tones}`);
      assert.equal(await page.locator('[data-test=behind] [data-test=disagree]').count(), 1);
      if (width < 500) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
      await page.screenshot({ path: join(artifacts, `why-tone-${lang}-${width}.png`), fullPage: true });
      // The comments behind "lenta" (Spanish): comments, and no tone, no flag, no explanation.
      await page.goto(`${base}/dashboard/?lang=${lang}&survey=shop&view=why&from=2020-01-01&locale=es&term=${encodeURIComponent(lenta)}`);
      await page.waitForSelector('body[data-ready=why] [data-test=behind] li');
      assert.ok(await page.locator(`[data-test=behind] li[data-response="${planted.spanish}"]`).count(), 'the Spanish comment is listed');
      assert.equal(await page.locator('[data-test=behind] [data-test=tone], [data-test=behind] [data-test=disagree], [data-test=tone-note]').count(), 0);
      // Responses: the same in the list, and on the answer's own page with its words written out.
      await page.goto(`${base}/dashboard/?lang=${lang}&survey=shop&view=responses&from=2020-01-01`);
      await page.waitForSelector('body[data-ready=responses] [data-test=responses]');
      const row = (id) => page.locator(`[data-test=responses] tr[data-response="${id}"]`);
      assert.equal(await row(planted.praise).locator('[data-test=disagree]').count(), 1);
      assert.match(await row(planted.praise).locator('[data-test=tone]').getAttribute('title'), /great, love/);
      assert.equal(await row(planted.spanish).locator('[data-test=tone], [data-test=disagree]').count(), 0);
      assert.equal(await page.locator('[data-test=tone-note]').count(), 1);
      if (width < 500) assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
      // On a phone (100 cards) the two planted answers in view, rather than the whole list.
      if (width < 500) await row(planted.spanish).evaluate((tr) => tr.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(artifacts, `responses-tone-${lang}-${width}.png`), fullPage: width > 500 });
      await page.goto(`${base}/dashboard/?lang=${lang}&survey=shop&view=response&item=${planted.praise}`);
      await page.waitForSelector('body[data-ready=response] [data-test=sentiment]');
      assert.ok(await page.locator('[data-test=sentiment] [data-test=disagree]').isVisible());
      assert.match(await page.textContent('[data-test=tone-words]'), /great, love/);
      await page.screenshot({ path: join(artifacts, `response-tone-${lang}-${width}.png`), fullPage: true });
      await page.goto(`${base}/dashboard/?lang=${lang}&survey=shop&view=response&item=${planted.spanish}`);
      await page.waitForSelector('body[data-ready=response] [data-test=comment]');
      assert.equal(await page.locator('[data-test=sentiment], [data-test=tone], [data-test=tone-note]').count(), 0);
      await page.close();
    }
  });
  // Issue 16: the page's own channel and device selects (the other pages' ones) filter the themes.
  const shownThemes = (page, list = 'why-detractors') =>
    page.$$eval(`[data-test=${list}] [data-test=theme]`, (as) => as.map((a) => a.textContent));
  const apply = async (page, changes) => {
    await page.evaluate(() => { document.querySelector('section.why').dataset.old = '1'; });
    for (const [name, value] of Object.entries(changes)) await page.selectOption(`section.why [data-test=filter-${name}]`, value);
    await page.click('section.why form.filters button[type=submit]');
    await page.waitForSelector('body[data-ready=why] section.why:not([data-old])');
  };
  await check('choosing a channel and a device on the Why page changes its themes', async () => {
    const page = await open('analyst', 'en', 1280);
    let themes = await shownThemes(page);
    // Every channel: the seeded answers' themes (sent through the API) lead.
    assert.ok(themes.some((x) => /slow|deliver/.test(x)), `all channels: ${themes.join(' | ')}`);
    await apply(page, { channel: 'app' });
    assert.match(page.url(), /channel=app/);
    themes = await shownThemes(page);
    assert.ok(themes.some((x) => /crash/.test(x)), `app: ${themes.join(' | ')}`);
    assert.ok(!themes.some((x) => /confus|checkout|slow|deliver/.test(x)), `app: ${themes.join(' | ')}`);
    assert.equal(await page.inputValue('[data-test=filter-channel]'), 'app');
    // The comments behind a theme keep the filter.
    await page.click('[data-test=why-detractors] [data-test=theme]');
    await page.waitForSelector('[data-test=behind] li');
    assert.ok((await page.$$eval('[data-test=behind] li', (lis) => lis.map((x) => x.textContent))).every((x) => /crash/.test(x)));
    await page.click('[data-test=behind] button.link');
    // Back is a new render: wait for it (the comments gone), or apply() below marks the old
    // section and then reads the app's themes from the render that replaces it.
    await page.waitForSelector('[data-test=behind]', { state: 'detached' });
    await page.waitForSelector('body[data-ready=why] [data-test=why-detractors]');
    await apply(page, { channel: 'web' });
    themes = await shownThemes(page);
    assert.ok(themes.some((x) => /confus|checkout/.test(x)), `web: ${themes.join(' | ')}`);
    assert.ok(!themes.some((x) => /crash/.test(x)), `web: ${themes.join(' | ')}`);
    // A device alone, then a channel and a device with no answer together: the page says so.
    await apply(page, { channel: '', device: 'mobile' });
    themes = await shownThemes(page);
    assert.ok(themes.some((x) => /crash/.test(x)) && !themes.some((x) => /confus/.test(x)), `mobile: ${themes.join(' | ')}`);
    await apply(page, { channel: 'app', device: 'desktop' });
    assert.equal(await page.textContent('[data-test=empty]'),
      'Not enough comments from this channel and device to find themes. Choose all channels or all devices, or widen the date range.');
    await page.close();
  });
  for (const lang of ['en', 'ar'])
    for (const width of [1280, 390])
      await check(`the Why page filtered to the app in ${lang} at ${width} px: readable, no sideways scrolling`, async () => {
        const page = await open('analyst', lang, width);
        await apply(page, { channel: 'app', device: 'mobile' });
        const themes = await shownThemes(page);
        assert.ok(themes.some((x) => /crash/.test(x)) && !themes.some((x) => /confus/.test(x)), themes.join(' | '));
        // The selects in the page's language (Arabic names for channels), right to left in ar.
        const label = await page.$eval('[data-test=filter-channel] option:checked', (o) => o.textContent);
        assert.equal(label, { en: 'App', ar: 'التطبيق' }[lang]);
        assert.equal(await page.evaluate(() => document.documentElement.dir), lang === 'ar' ? 'rtl' : 'ltr');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px`);
        // Every filter inside the page's width.
        const outside = await page.$$eval('section.why form.filters label', (ls) =>
          ls.filter((l) => { const r = l.getBoundingClientRect(); return r.left < -0.5 || r.right > window.innerWidth + 0.5; }).length);
        assert.equal(outside, 0, `${outside} filters outside the page`);
        await page.screenshot({ path: join(artifacts, `why-channel-${lang}-${width}.png`), fullPage: true });
        await page.close();
      });
  // Arabic's minus sign: an engine that writes U+061C (ARABIC LETTER MARK, strong right to
  // left) before it, as some do, is emulated by the init script; Debian's chromium writes
  // U+200E. Either way a negative impact and its interval read "-12 [-20 … -4]" left to right:
  // the characters as laid out on the screen, sorted by their left edge, spell it.
  const almMinus = () => {
    const Original = Intl.NumberFormat;
    function NumberFormat(locales, options) {
      const f = new Original(locales, options);
      const arabic = f.resolvedOptions().locale.startsWith('ar');
      return { format: (x) => (arabic ? f.format(x).replace(/\u200E/g, '\u061C') : f.format(x)),
        formatToParts: (x) => f.formatToParts(x), resolvedOptions: () => f.resolvedOptions() };
    }
    NumberFormat.supportedLocalesOf = Original.supportedLocalesOf;
    Intl.NumberFormat = NumberFormat;
  };
  for (const [engine, init] of [['U+200E', undefined], ['U+061C', almMinus]])
    await check(`in ar (Intl writing ${engine} before the minus) a negative impact interval reads left to right`, async () => {
      const page = await open('analyst', 'ar', 1280, init);
      if (init) assert.equal(await page.evaluate(() => new Intl.NumberFormat('ar').format(-5)), '\u061C-5', 'the emulation is on');
      const shown = await page.$$eval('[data-test=why-detractors] [data-test=impact] > span', (spans) => spans.map((span) => {
        const text = span.firstChild; // ltr(`${difference} [${low} … ${high}]`); a ★ or ⚠ follows
        const marks = /[\u061C\u200E\u200F\u2066-\u2069]/g;
        const chars = [];
        for (let i = 0; i < text.data.length; i++) {
          if (/[\u061C\u200E\u200F\u2066-\u2069]/.test(text.data[i])) continue;
          const r = document.createRange();
          r.setStart(text, i);
          r.setEnd(text, i + 1);
          chars.push([r.getBoundingClientRect().left, text.data[i]]);
        }
        return { logical: text.data.replace(marks, ''), displayed: chars.sort((a, b) => a[0] - b[0]).map((c) => c[1]).join('') };
      }));
      const negative = shown.filter((x) => /^-[\d.,]+ \[-[\d.,]+ … -[\d.,]+\]$/.test(x.logical));
      assert.ok(negative.length > 0, `a theme whose interval is below zero: ${JSON.stringify(shown)}`);
      for (const x of negative) assert.equal(x.displayed, x.logical, `as displayed: ${JSON.stringify(negative)}`);
      await page.screenshot({ path: join(artifacts, `why-ar-minus-${init ? 'alm' : 'lrm'}-1280.png`), fullPage: true });
      // The first theme's row alone, to read the interval by eye.
      await page.locator('[data-test=why-detractors] tbody tr').first()
        .screenshot({ path: join(artifacts, `why-ar-minus-${init ? 'alm' : 'lrm'}-row.png`) });
      await page.close();
    });
  await check('a viewer sees themes and numbers but no comment text and no link to it', async () => {
    const page = await open('viewer', 'en', 1280);
    assert.equal(await page.$('[data-test=why-detractors] a[data-test=theme]'), null);
    assert.ok(!(await page.content()).includes('The delivery was slow'));
    await page.goto(`${base}/dashboard/?lang=en&survey=shop&view=why&from=2020-01-01&term=slow`);
    await page.waitForSelector('body[data-ready=why] [data-test=why-detractors]');
    assert.equal(await page.$('[data-test=behind]'), null);
    await page.close();
  });
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
if (failures) { console.log(`${failures} failed`); process.exit(1); }
console.log('why: all passed');
