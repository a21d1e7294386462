// Issue 19, item 4: statistics for people who are not statisticians. On the demo data (whose
// NPS climbs over the months) and on a survey with a single answer: better is green and worse
// red, the legend's dots are the chart's, the trend's tooltip gives n, the interval and the
// change, intervals read as ranges, "1 answer", counts step by whole answers, the longer
// trend (the core's tally.trend) is said in words and drawn, and "How to read this" exists in
// every language.
//   node tests/web/dashboard_stats.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, FIVE, PHONE, DESKTOP } from './dashboard_env.mjs';

const env = await start();
const { base, admin, open, shot, axe, noSideways } = env;
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

try {
  await check('better segments are green, worse red, and the trend legend\'s dots are the chart\'s', async () => {
    const page = await open('analyst', { query: '&interval=month', ready: 'overview' });
    await page.waitForSelector('[data-test=breakdown-locale]');
    // Russian answers score lower in the demo data: a significantly worse row; English a better one.
    const rows = await page.$$eval('table[data-test^=breakdown] tbody tr', (trs) => trs.map((tr) =>
      ({ cls: tr.className, bg: getComputedStyle(tr.cells[0]).backgroundColor, vs: tr.cells[4].textContent })));
    const better = rows.filter((r) => r.cls === 'better'), worse = rows.filter((r) => r.cls === 'worse');
    assert.ok(better.length && worse.length, `better and worse rows: ${JSON.stringify(rows.slice(0, 8))}`);
    assert.notEqual(better[0].bg, worse[0].bg, 'better and worse are told apart by colour');
    assert.match(better[0].bg, /^rgb\((\d+), (\d+), (\d+)\)$/);
    const [r1, g1] = better[0].bg.match(/\d+/g).map(Number), [r2, g2] = worse[0].bg.match(/\d+/g).map(Number);
    assert.ok(g1 > r1 && r2 > g2, `better greenish (${better[0].bg}), worse reddish (${worse[0].bg})`);
    for (const r of better) assert.match(r.vs, /▲/);
    for (const r of worse) assert.match(r.vs, /▼/);
    // Each point's colour is one of the legend's dots.
    const legend = await page.$$eval('[data-test=trend-legend] .dot', (ds) => ds.map((d) => getComputedStyle(d).backgroundColor));
    const points = JSON.parse(await page.getAttribute('[data-test=trend]', 'data-points'));
    for (const [, , colour] of points) assert.ok(legend.includes(rgb(colour)), `${colour} in the legend ${legend}`);
    assert.deepEqual(await page.$$eval('[data-test=trend-legend] .key', (ks) => ks.map((k) => k.textContent)),
      ['significantly better', 'significantly worse', 'no significant change', 'trend over the range']);
    await page.close();
  });

  await check('the trend\'s tooltip gives the NPS, n, the interval as a range and the change', async () => {
    const page = await open('analyst', { query: '&interval=month', ready: 'overview' });
    const box = await page.locator('[data-test=trend]').boundingBox();
    const trend = (await admin('GET', '/v1/admin/surveys/acme-app/trend?interval=month')).body;
    const last = trend.buckets.filter((b) => b.nps !== null).at(-1);
    // The last point is at the right end of the plot.
    for (let x = box.x + box.width - 2; x > box.x + box.width - 60; x -= 4) {
      await page.mouse.move(x, box.y + box.height / 2);
      if (await page.isVisible('[data-test=trend-tooltip]')) break;
    }
    await page.waitForSelector('[data-test=trend-tooltip]:not([hidden])', { timeout: 3000 });
    const text = await page.textContent('[data-test=trend-tooltip]');
    assert.ok(text.includes(`NPS ${Math.round(last.nps)}`), text);
    assert.ok(text.includes(`${last.n.toLocaleString('en')} answers`), text);
    assert.ok(text.includes(`95% CI: ${Math.round(last.ci95[0])} … ${Math.round(last.ci95[1])}`), text);
    assert.match(text, /Change: [+−-]\d+/);
    assert.ok(!/±/.test(text), 'an interval is a range, never "±"');
    await shot(page, 'overview-tooltip-desktop');
    await page.close();
  });

  await check('the longer trend: the demo data\'s climb is called significant, in words and as a dashed line', async () => {
    const trend = (await admin('GET', '/v1/admin/surveys/acme-app/trend?interval=month')).body;
    assert.ok(trend.overall.significant && trend.overall.slope > 0, JSON.stringify(trend.overall));
    const page = await open('analyst', { query: '&interval=month', ready: 'overview' });
    const said = await page.textContent('[data-test=overall-trend]');
    assert.match(said, /^Over the whole range the NPS climbs significantly: \+\d+ points along the dashed line \(p [<=] /);
    assert.match(said, /Last period against the first: [+−-]\d+/);
    assert.equal(await page.getAttribute('[data-test=overall-trend]', 'class'), 'overall better');
    await page.close();
  });

  await check('one answer: "1 answer", and the score chart\'s axis steps by whole answers', async () => {
    assert.equal((await admin('POST', '/v1/admin/surveys', { id: 'one-answer', name: 'One answer' })).status, 201);
    const r = await fetch(`${base}/v1/surveys/one-answer/responses`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ score: 9, idempotency_key: 'only-one' }) });
    assert.equal(r.status, 201);
    const page = await open('analyst');
    for (const [l, said] of [['en', '1 answer'], ['es', '1 respuesta'], ['ru', '1 ответ'], ['ar', 'إجابة واحدة']]) {
      await page.goto(`${base}/dashboard/?lang=${l}&survey=one-answer`);
      await page.waitForSelector('[data-test=n]');
      assert.equal(await page.textContent('[data-test=n]'), said);
    }
    await page.goto(`${base}/dashboard/?lang=en&survey=one-answer`);
    await page.waitForFunction(() => document.querySelector('[data-test=distribution]')?.dataset.yTicks);
    const ticks = JSON.parse(await page.getAttribute('[data-test=distribution]', 'data-y-ticks'));
    assert.ok(ticks.length >= 2 && ticks.every(Number.isInteger), `whole-number ticks: ${ticks}`);
    assert.equal(await page.locator('[data-test=overall-trend]').count(), 0, 'no trend claimed from one period');
    await page.close();
  });

  await check('"How to read this" in five languages; the overview passes axe in light and dark, and fits a phone', async () => {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('analyst', { viewport });
      for (const l of FIVE) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&interval=month`);
        await page.waitForSelector('[data-test=breakdown-channel]');
        await page.click('[data-test=how-to-read] summary');
        const text = await page.textContent('[data-test=how-to-read]');
        assert.ok(text.length > (l === "zh-Hans" ? 150 : 300), `${l}: a real explanation (${text.length} characters)`);
        await noSideways(page, `${l} overview ${width}`);
        if (l === 'en' || l === 'ar') await axe(page, `the overview (${l}, ${width})`);
        // Every date under the trend is whole: rotated, they ran past the left edge of a right-to-left chart.
        await page.waitForFunction(() => document.querySelector('[data-test=trend]')?.dataset.xLabelsInside);
        assert.equal(await page.getAttribute('[data-test=trend]', 'data-x-labels-inside'), 'true', `${l} ${width}: a trend date cut off`);
        await shot(page, `overview-${l}-${width}`, true);
      }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
