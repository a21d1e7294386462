// Issue 19, item 2: live updates leave the overview consistent. When answers arrive while the
// page is open, the NPS, n, the shares, the score chart and the trend all follow (each equal
// to what the server now says), and a comment sent after the score appears on its answer's line.
// Issue 16: a live English comment shows its words' tone (and the flag), a Spanish one none.
//   node tests/web/dashboard_live.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, DESKTOP, PHONE } from './dashboard_env.mjs';

const env = await start();
const { admin, open, answer, shot, axe } = env;
const pct = (x) => new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x / 100);
// What the page shows, read the way a user reads it.
const shown = (page) => page.evaluate(() => ({
  nps: document.querySelector('[data-test=nps]').textContent,
  n: document.querySelector('[data-test=n]').textContent,
  shares: ['promoters', 'passives', 'detractors'].map((k) => document.querySelector(`[data-test=share-${k}]`).textContent),
  counts: JSON.parse(document.querySelector('[data-test=distribution]').dataset.counts),
  trend: JSON.parse(document.querySelector('[data-test=trend]').dataset.points).map(([start, n]) => [start, n]),
}));

try {
  await check('answers arriving live move the NPS, n, shares, score chart and trend together', async () => {
    const page = await open('analyst', { query: '&interval=day', ready: 'overview' });
    await page.waitForSelector('[data-test=nps]');
    await page.waitForTimeout(500); // the event stream is open
    const before = await shown(page);
    // Forty detractors (score 0) arrive: enough to move every number on the page.
    for (let i = 0; i < 40; i++)
      assert.equal((await answer({ score: 0, idempotency_key: `live-zero-${i}`, channel: 'web' })).status, 201);
    // Wait until the page has drawn the server's final numbers (the refresh is debounced).
    const summary = (await admin('GET', '/v1/admin/surveys/acme-app/summary')).body;
    const trend = (await admin('GET', '/v1/admin/surveys/acme-app/trend?interval=day')).body;
    await page.waitForFunction((n) => document.querySelector('[data-test=n]').textContent === n,
      `${summary.n.toLocaleString('en')} answers`, { timeout: 10000 });
    await page.waitForFunction((c0) => JSON.parse(document.querySelector('[data-test=distribution]').dataset.counts)[0] === c0,
      summary.counts[0], { timeout: 10000 });
    const after = await shown(page);
    assert.equal(after.nps, String(Math.round(summary.nps)));
    assert.deepEqual(after.shares, ['promoters', 'passives', 'detractors'].map((k) => pct(summary.shares[k])));
    assert.notDeepEqual(after.shares, before.shares, 'the shares moved');
    assert.deepEqual(after.counts, summary.counts);
    assert.equal(after.counts[0], before.counts[0] + 40, 'the score chart has the forty zeros');
    assert.deepEqual(after.trend, trend.buckets.filter((b) => b.nps !== null).map((b) => [b.start, b.n]));
    assert.equal(after.trend.at(-1)[1], before.trend.at(-1)?.[0] === after.trend.at(-1)[0] ? before.trend.at(-1)[1] + 40 : 40,
      'the last day of the trend has the forty new answers');
    await page.close();
  });

  await check('a comment sent after the score appears on that answer\'s line of the live feed', async () => {
    const page = await open('analyst');
    await page.waitForTimeout(500);
    assert.equal((await answer({ score: 3, idempotency_key: 'live-then-comment', channel: 'web' })).status, 201);
    await page.waitForSelector('[data-test=live-list] li', { timeout: 5000 });
    assert.equal(await page.locator('[data-test=live-list] li').count(), 1);
    const r = await answer({ comment: 'The delivery was two weeks late' }, 'acme-app', 'PATCH', 'live-then-comment');
    assert.equal(r.status, 200);
    await page.waitForSelector('[data-test=live-list] li:has-text("The delivery was two weeks late")', { timeout: 5000 });
    assert.equal(await page.locator('[data-test=live-list] li').count(), 1, 'the same line, not a second answer');
    assert.match(await page.textContent('[data-test=live]'), /1 new answer since/);
    await axe(page, 'the overview with the live feed');
    await shot(page, 'overview-live-desktop');
    await page.close();
  });
  await check('a live English comment shows "Words: positive" and "Score and words disagree" under it; a Spanish one no tone', async () => {
    for (const [l, viewport] of [['en', DESKTOP], ['ar', PHONE]]) {
      const page = await open('analyst', { viewport, lang: l, query: '' });
      await page.waitForSelector('[data-test=nps]');
      await page.waitForTimeout(500); // the event stream is open
      assert.equal((await answer({ score: 2, locale: 'es', comment: 'Gran producto, me encanta', idempotency_key: `live-tone-es-${l}`, channel: 'web' })).status, 201);
      const en = await answer({ score: 2, locale: 'en', comment: 'great product, love it', idempotency_key: `live-tone-en-${l}`, channel: 'web' });
      assert.equal(en.status, 201);
      const id = (await en.json()).id;
      const line = page.locator(`[data-test=live-list] li[data-id="${id}"]`);
      await line.locator('[data-test=tone]').waitFor({ timeout: 5000 });
      assert.equal(await line.locator('[data-test=tone]').getAttribute('data-tone'), 'positive');
      assert.equal(await line.locator('[data-test=disagree]').count(), 1);
      if (l === 'en') {
        assert.equal(await line.locator('[data-test=tone]').textContent(), 'Words: positive');
        assert.equal(await line.locator('[data-test=disagree]').textContent(), 'Score and words disagree');
      }
      assert.equal(await page.locator('[data-test=live-list] li:has-text("Gran producto") [data-test=tone]').count(), 0, 'Spanish: no tone');
      // The channel in the page's language, isolated from the Latin comment beside it.
      assert.equal(await line.locator('bdi').first().textContent(), l === 'ar' ? 'الموقع الإلكتروني' : 'Website');
      assert.equal(await page.locator('[data-test=tone-note]').count(), 1, 'one line on where the tone comes from');
      // Under the comment, outside its dir=auto, in the page's direction.
      const box = await line.evaluate((li) => {
        const tones = li.querySelector('.tones'), c = li.querySelector('.comment').getBoundingClientRect(), b = tones.getBoundingClientRect(), r = li.getBoundingClientRect();
        return { dir: getComputedStyle(tones).direction, inAuto: !!tones.closest('[dir=auto]'), below: b.top >= c.bottom - 1, inside: b.left >= r.left && b.right <= r.right };
      });
      assert.deepEqual(box, { dir: l === 'ar' ? 'rtl' : 'ltr', inAuto: false, below: true, inside: true });
      if (l === 'en') await axe(page, 'the overview with a live comment\'s tone');
      await shot(page, `overview-live-tone-${l}`);
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
