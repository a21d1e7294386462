// Issue 19, items 13 and 13b, the Surveys page's boxes for before a launch (editors), against a
// real npsd (demo data) in Debian's chromium: "Share for review" makes a link that opens
// without an account (200) and shows the survey's question; "Translations" downloads the
// Spanish texts as CSV (a download of key,source,target,state), and the file with one row's
// target edited, uploaded back, is reported as 1 applied and saved in the survey. axe-core in
// light and dark, nothing off the page, screenshots of both boxes in en and ar at desktop and
// phone widths (tests/artifacts/dashboard-before-launch-<box>-<lang>-<width>.png).
//   node tests/web/dashboard_before_launch.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, finish, start, artifacts, DESKTOP, PHONE } from './dashboard_env.mjs';

const env = await start({ count: 200 });
const { base, admin, open, shot, axe, noSideways } = env;
const SURVEY = 'acme-app';
const surveys = (extra = {}) => open('editor', { query: '&view=surveys', ready: 'surveys', ...extra });
const item = `[data-test=survey-list] li[data-survey="${SURVEY}"]`;
const textOf = (v, l) => (typeof v === 'string' ? v : v?.[l]);
// A CSV line's fields (quoted fields with "" inside; no line breaks inside in these texts).
const fieldsOf = (line) => [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1].replace(/^"|"$/g, '').replace(/""/g, '"'));
const quote = (s) => `"${s.replace(/"/g, '""')}"`;
// The demo survey has no texts of its own (the built-in ones): two English texts to review and
// translate, no Spanish yet.
const QUESTION = 'How likely are you to recommend the Acme app to a friend?';
{
  const { definition } = (await admin('GET', `/v1/admin/surveys/${SURVEY}`)).body;
  definition.question = { en: QUESTION };
  definition.followup.detractor.text = { en: 'What should we fix first?' };
  assert.equal((await admin('PUT', `/v1/admin/surveys/${SURVEY}`, definition)).status, 200);
}

try {
  await check('Share for review: a link made on the Surveys page opens without an account and shows the question', async () => {
    const page = await surveys();
    const box = page.locator(`${item} [data-test=share]`);
    await box.locator('summary').click();
    await box.locator('[data-test=share-make]').click();
    const url = await box.locator('[data-test=share-url]').inputValue();
    assert.match(url, /\/review\/[A-Za-z0-9_-]+/);
    assert.match(await box.textContent(), /\d{4}|\d\d/, 'its expiry');
    // The link's path on this npsd (the public base may be another origin).
    const r = await fetch(base + url.slice(url.indexOf('/review/')));
    assert.equal(r.status, 200);
    const html = await r.text();
    assert.ok(html.includes(QUESTION), 'the review page shows the question');
    await page.close();
  });

  await check('Translations: the Spanish texts downloaded as CSV, one target edited and uploaded back: 1 applied', async () => {
    const page = await surveys();
    const box = page.locator(`${item} [data-test=translations]`);
    await box.locator('summary').click();
    await box.locator('[data-test=translation-target]').fill('es');
    const [download] = await Promise.all([page.waitForEvent('download'), box.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.equal(download.suggestedFilename(), `${SURVEY}-es.csv`);
    const csv = readFileSync(await download.path(), 'utf8');
    const lines = csv.split(/\r?\n/).filter(Boolean);
    assert.deepEqual(fieldsOf(lines[0].replace(/^\uFEFF/, '')), ['key', 'source', 'target', 'state']);
    const i = lines.findIndex((l, n) => n > 0 && fieldsOf(l)[0] === 'question');
    assert.ok(i > 0, 'a row for the question');
    const [key, source] = fieldsOf(lines[i]);
    const mine = '¿Recomendaría nuestra aplicación a un amigo o colega?';
    lines[i] = [key, source, mine, 'present'].map(quote).join(',');
    await box.locator('[data-test=translation-file]').setInputFiles({ name: `${SURVEY}-es.csv`, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\r\n')}\r\n`) });
    const report = box.locator('[data-test=translation-report]');
    await report.waitFor({ timeout: 10000 });
    assert.equal(await report.locator('li[data-state=tr_applied]').textContent(), 'Applied: 1');
    assert.match(await report.locator('li[data-state=tr_missing]').textContent(), /: 1$/, 'the other text is still missing');
    assert.equal(textOf((await admin('GET', `/v1/admin/surveys/${SURVEY}`)).body.definition.question, 'es'), mine, 'saved in the survey');
    await axe(page, 'the Translations report');
    await page.close();
  });

  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await check(`both boxes in en and ar at ${width} width: nothing off the page, axe, screenshots`, async () => {
      const page = await surveys({ viewport });
      for (const l of ['en', 'ar']) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=${SURVEY}&view=surveys`);
        await page.waitForSelector('body[data-ready=surveys]');
        const share = page.locator(`${item} [data-test=share]`);
        await share.locator('summary').click();
        await share.locator('[data-test=share-make]').click();
        await share.locator('[data-test=share-url]').waitFor();
        const tr = page.locator(`${item} [data-test=translations]`);
        await tr.locator('summary').click();
        await noSideways(page, `${l} ${width}`);
        const off = await page.evaluate(() => [...document.querySelectorAll('[data-test=share] *, [data-test=translations] *')]
          .filter((el) => { const r = el.getBoundingClientRect(); return r.width && (r.left < -1 || r.right > document.documentElement.clientWidth + 1); })
          .map((el) => `${el.tagName} ${el.textContent.slice(0, 30)}`).slice(0, 5));
        assert.deepEqual(off, [], `${l} ${width}: inside the window`);
        await axe(page, `the boxes in ${l} (${width})`);
        await share.scrollIntoViewIfNeeded();
        await share.screenshot({ path: join(artifacts, `dashboard-before-launch-share-${l}-${width}.png`) });
        await tr.screenshot({ path: join(artifacts, `dashboard-before-launch-translations-${l}-${width}.png`) });
        await shot(page, `before-launch-${l}-${width}`);
      }
      await page.close();
    });
  }
} finally {
  await env.stop();
}
finish();
