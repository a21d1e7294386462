// Issue 19, item 5: time. Date presets (7, 30, 90 days, quarter, year, custom), the headline
// NPS against the previous period of the same length with the core's two-sample test, and
// saved views (kept in the browser's localStorage).
//   node tests/web/dashboard_time.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, FIVE, PHONE, DESKTOP } from './dashboard_env.mjs';

const env = await start();
const { base, admin, open, shot, axe, noSideways } = env;
const iso = (d) => d.toISOString().slice(0, 10);
const daysAgo = (n) => { const d = new Date(); d.setUTCDate(d.getUTCDate() - n); return iso(d); };

try {
  await check('"Last 30 days" shows those 30 days and the change against the 30 days before, with its significance', async () => {
    const page = await open('analyst');
    await page.selectOption('[data-test=period]', '30d');
    await page.waitForURL(/period=30d/);
    await page.waitForSelector('[data-test=vs-previous]');
    const from = daysAgo(29), to = daysAgo(0);
    assert.equal(await page.inputValue('input[name=from]'), from);
    assert.equal(await page.inputValue('input[name=to]'), to);
    const s = (await admin('GET', `/v1/admin/surveys/acme-app/summary?from=${from}&to=${to}&compare=previous`)).body;
    assert.equal(s.previous.from, daysAgo(59));
    assert.equal(s.previous.to, daysAgo(30));
    assert.equal(await page.textContent('[data-test=n]'), `${s.n.toLocaleString('en')} answers`);
    const said = await page.textContent('[data-test=vs-previous]');
    const diff = Math.round(s.change.difference);
    assert.ok(said.includes(`${diff > 0 ? '+' : diff < 0 ? '−' : ''}${Math.abs(diff)} (NPS ${Math.round(s.previous.nps)} → ${Math.round(s.nps)}`), said);
    const verdict = s.change.small_sample ? /too few answers/ : s.change.significant ? (s.change.difference > 0 ? /significantly better/ : /significantly worse/) : /no significant change/;
    assert.match(await page.textContent('[data-test=vs-verdict]'), verdict);
    await axe(page, 'the overview with a period');
    // While a period's figures load, the page on screen says it is being updated.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/v1/admin/surveys/acme-app/summary?*', async (route) => { await held; await route.continue(); });
    await page.selectOption('[data-test=period]', '90d');
    await page.waitForSelector('main#main[aria-busy=true]');
    release();
    await page.waitForSelector('main#main[aria-busy=false] [data-test=vs-previous]');
    await page.unroute('**/v1/admin/surveys/acme-app/summary?*');
    await page.close();
  });

  await check('every preset sets its range; custom dates take the dates typed; all time has no comparison', async () => {
    const page = await open('analyst');
    const d = new Date();
    const expected = {
      '7d': daysAgo(6), '90d': daysAgo(89),
      quarter: iso(new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1))),
      year: `${d.getUTCFullYear()}-01-01`,
    };
    for (const [preset, from] of Object.entries(expected)) {
      await page.selectOption('[data-test=period]', preset);
      await page.waitForURL(new RegExp(`period=${preset}`));
      await page.waitForFunction((f) => document.querySelector('input[name=from]')?.value === f, from);
      assert.equal(await page.inputValue('input[name=to]'), daysAgo(0));
    }
    await page.selectOption('[data-test=period]', 'custom');
    await page.fill('input[name=from]', daysAgo(20));
    await page.fill('input[name=to]', daysAgo(10));
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/period=custom/);
    // The year's figures stay on screen until the custom range's arrive: wait for the new count.
    const s = (await admin('GET', `/v1/admin/surveys/acme-app/summary?from=${daysAgo(20)}&to=${daysAgo(10)}`)).body;
    const said = `${s.n.toLocaleString('en')} answers`;
    await page.waitForFunction((t) => document.querySelector('[data-test=n]')?.textContent === t, said, { timeout: 10000 })
      .catch(async () => assert.equal(await page.textContent('[data-test=n]'), said));
    await page.waitForSelector('[data-test=vs-previous]');
    await page.selectOption('[data-test=period]', 'all');
    await page.waitForURL(/period=all/);
    await page.waitForFunction(() => !document.querySelector('[data-test=vs-previous]') && document.querySelector('[data-test=n]'));
    await page.close();
  });

  await check('a saved view comes back after a reload and restores its filters; it can be deleted', async () => {
    const page = await open('analyst', { query: '&period=90d&channel=web&interval=month' });
    await page.fill('[data-test=view-name]', 'Web, last quarter');
    await page.click('[data-test=save-view]');
    await page.waitForSelector('[data-test=open-view]');
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&period=7d`);
    await page.waitForSelector('[data-test=open-view]');
    await page.click('[data-test=open-view]:has-text("Web, last quarter")');
    await page.waitForURL(/channel=web/);
    const q = new URL(page.url()).searchParams;
    assert.equal(q.get('period'), '90d');
    assert.equal(q.get('interval'), 'month');
    // The 7-day page stays on screen until the view's is drawn: wait for its channel.
    await page.waitForFunction(() => document.querySelector('select[name=channel]')?.value === 'web', null, { timeout: 10000 })
      .catch(() => undefined);
    await page.waitForSelector('[data-test=nps]');
    assert.equal(await page.inputValue('select[name=channel]'), 'web');
    assert.match(await page.textContent('[data-test=saved-views]'), /Kept in this browser only/);
    await page.click('[aria-label="Delete the view “Web, last quarter”"]');
    assert.equal(await page.locator('[data-test=open-view]').count(), 0);
    await page.reload();
    await page.waitForSelector('[data-test=saved-views]');
    assert.equal(await page.locator('[data-test=open-view]').count(), 0);
    await page.close();
  });

  await check('the server refuses a comparison it cannot make, naming the field', async () => {
    let r = await admin('GET', '/v1/admin/surveys/acme-app/summary?compare=previous');
    assert.equal(r.status, 400);
    assert.equal(r.body.errors?.[0]?.path ?? r.body.error?.path, 'from');
    r = await admin('GET', `/v1/admin/surveys/acme-app/summary?from=${daysAgo(5)}&compare=last-year`);
    assert.equal(r.status, 400);
    assert.match(r.text, /compare/);
  });

  await check('the period and saved views at desktop and phone widths in five languages', async () => {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('analyst', { viewport });
      for (const l of FIVE) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&period=30d`);
        await page.waitForSelector('[data-test=vs-previous]');
        await noSideways(page, `${l} ${width}`);
        await shot(page, `overview-period-${l}-${width}`);
      }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
