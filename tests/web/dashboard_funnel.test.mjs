// Issue 19, item 6, the dashboard's part: the Funnel page (viewers). Against a real npsd (demo
// data, which counts impressions and dismissals on the website and in the app) in Debian's
// chromium: impressions sent through the public endpoint (400 shown, 250 dismissed on the
// website; nothing about who) are added to the demo's; the page shows the numbers per channel,
// the website's response rate with its 95% interval exactly as the API gives it (formatted the
// language's way) and in words, the channels without impressions (e-mail without a campaign,
// an answer through the API) worded as not counted rather than 0%, the overall rate and every
// answer; a range before the data empties it. axe-core, no sideways scrolling, cards on a phone, RTL, screenshots in en, es, ru,
// zh-Hans and ar at desktop and phone widths.
//   node tests/web/dashboard_funnel.test.mjs --npsd build/native/backend/npsd --web-root web/dist --artifacts tests/artifacts
import assert from 'node:assert/strict';
import { check, finish, start, DESKTOP, PHONE, FIVE } from './dashboard_env.mjs';

const env = await start({ count: 600 });
const { base, admin, open, shot, axe, noSideways, answer } = env;

// The page's "last 30 days", as filters.ts computes it (UTC days).
const iso = (d) => d.toISOString().slice(0, 10);
const today = new Date();
const to = iso(today);
const from = iso(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 29)));
// A rate as funnel.ts writes it: whole percents, one decimal below 10%.
const rate = (l, x) => new Intl.NumberFormat(l, { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: Math.abs(x) < 0.1 && x !== 0 ? 1 : 0 }).format(x);
const withInterval = (l, r) => `${rate(l, r.value)} (${rate(l, r.low)}\u2013${rate(l, r.high)})`;
const strip = (s) => s.replace(/[\u2066-\u2069]/g, '');
const funnelPage = (role = 'viewer', extra = {}) => open(role, { query: '&view=funnel&period=30d', ready: 'funnel', ...extra });

const impression = (body, type = 'application/json') =>
  fetch(`${base}/v1/surveys/acme-app/impressions`, { method: 'POST', headers: { 'Content-Type': type }, body: JSON.stringify(body) });

let api = null; // the funnel the API gives for the last 30 days
let allTime = null; // and for all time
const num = (l, n) => new Intl.NumberFormat(l).format(n);

try {
  await check('impressions sent through the public endpoint are counted by the API', async () => {
    const before = await admin('GET', `/v1/admin/surveys/acme-app/funnel?from=${from}&to=${to}`);
    const web0 = before.body.channels.find((c) => c.channel === 'web');
    assert.ok(web0.shown > web0.answered && web0.dismissed > 0, `the demo data counts the website's impressions: ${JSON.stringify(web0)}`);
    const shown = [], dismissed = [];
    for (let i = 0; i < 400; i++) shown.push(impression({ event: 'shown' }, i % 2 ? 'text/plain' : 'application/json'));
    for (let i = 0; i < 250; i++) dismissed.push(impression({ event: 'dismissed', channel: 'web' }, 'text/plain'));
    for (const r of await Promise.all([...shown, ...dismissed])) assert.equal(r.status, 204);
    // One answer through the API: a channel that never counts impressions.
    assert.equal((await answer({ score: 9, idempotency_key: 'funnel-api-answer', channel: 'api' })).status, 201);
    const r = await admin('GET', `/v1/admin/surveys/acme-app/funnel?from=${from}&to=${to}`);
    assert.equal(r.status, 200, r.text);
    api = r.body;
    const web = api.channels.find((c) => c.channel === 'web');
    assert.deepEqual([web.shown - web0.shown, web.dismissed - web0.dismissed, web.base, web.note], [400, 250, 'shown', '']);
    assert.ok(web.answered > 0 && web.answered < web.shown, `web answers in 30 days: ${web.answered}`);
    allTime = (await admin('GET', '/v1/admin/surveys/acme-app/funnel')).body;
    assert.ok(web.response_rate && web.dismiss_rate);
    assert.equal(api.channels.find((c) => c.channel === 'api')?.note, 'not_counted');
  });

  await check('a viewer sees the funnel per channel: the counts, the website\'s rate with its interval, the others not counted', async () => {
    assert.ok(api, 'the numbers of the first check');
    const page = await funnelPage();
    assert.ok((await page.$$eval('header nav a', (as) => as.map((a) => a.dataset.view))).includes('funnel'), 'in the navigation');
    assert.equal(await page.textContent('header nav a[data-view=funnel]'), 'Funnel');
    assert.equal(await page.inputValue('[data-test=period]'), '30d');
    const web = api.channels.find((c) => c.channel === 'web');
    const card = page.locator('[data-test=fn-channel-web]');
    assert.equal(await card.locator('figcaption').textContent(), 'Website');
    assert.equal(await card.locator('[data-test=fn-shown]').textContent(), num('en', web.shown));
    assert.equal(await card.locator('[data-test=fn-dismissed]').textContent(), num('en', web.dismissed));
    assert.equal(await card.locator('[data-test=fn-answered]').textContent(), String(web.answered));
    const shownRate = strip(await card.locator('[data-test=fn-response-rate]').textContent());
    assert.equal(shownRate, `Response rate: ${withInterval('en', web.response_rate)}`);
    assert.match(shownRate, /^Response rate: [\d.]+% \([\d.]+%–[\d.]+%\)$/);
    // The interval in words, on the page and as the tooltip.
    const words = `${rate('en', web.response_rate.value)} of the times the survey was shown, it was answered. The true rate most likely lies between ${rate('en', web.response_rate.low)} and ${rate('en', web.response_rate.high)} (95% interval).`;
    assert.equal(await card.locator('[data-test=fn-response-rate-words]').textContent(), words);
    assert.equal(await card.locator('[data-test=fn-response-rate]').getAttribute('title'), words);
    assert.equal(strip(await card.locator('[data-test=fn-dismiss-rate]').textContent()), `Dismiss rate: ${withInterval('en', web.dismiss_rate)}`);
    // The bars: each against the impressions.
    const widths = await card.locator('.fn-bar span').evaluateAll((s) => s.map((x) => parseFloat(x.style.width)));
    const pct = (n) => Number(((n / web.shown) * 100).toFixed(1));
    assert.deepEqual(widths, [100, pct(web.answered), pct(web.dismissed)]);
    // The app counts its impressions too (the native client's beacon; here the demo's).
    const appCounts = api.channels.find((c) => c.channel === 'app');
    const app = page.locator('[data-test=fn-channel-app]');
    assert.equal(await app.locator('[data-test=fn-shown]').textContent(), num('en', appCounts.shown));
    assert.equal(strip(await app.locator('[data-test=fn-response-rate]').textContent()), `Response rate: ${withInterval('en', appCounts.response_rate)}`);

    // Channels without impressions: said in words, never 0%.
    const apiCard = page.locator('[data-test=fn-channel-api]');
    assert.equal(await apiCard.locator('figcaption').textContent(), 'API');
    assert.match(await apiCard.locator('[data-test=fn-no-rate]').textContent(), /^This channel does not count impressions/);
    assert.equal(await apiCard.locator('[data-test=fn-answered]').textContent(), '1');
    assert.match(await page.locator('[data-test=fn-channel-email] [data-test=fn-no-rate]').textContent(), /No e-mail campaign/);
    // Only the cards without a rate: the website's own rate may well read "30%".
    for (const ch of ['api', 'email']) {
      const text = await page.textContent(`[data-test=fn-channel-${ch}]`);
      assert.ok(!/(^|[^\d.,])0\s?%/.test(text), `no 0% for ${ch}, a channel without impressions: ${text}`);
    }
    // The table: the same numbers, "not counted" where there is no rate.
    const row = await page.$$eval('[data-test=fn-table] tbody tr[data-channel=api] td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(row, ['API', '–', 'not counted', 'not counted', '1', 'not counted', '–']);
    const webRow = await page.$$eval('[data-test=fn-table] tbody tr[data-channel=web] td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(webRow.map(strip), ['Website', '–', num('en', web.shown), num('en', web.dismissed), String(web.answered), withInterval('en', web.response_rate), withInterval('en', web.dismiss_rate)]);
    // The overall rate (only the channels with a rate: the website and the app) and every answer.
    assert.equal(strip(await page.textContent('[data-test=fn-total-rate]')), rate('en', api.total.response_rate.value));
    assert.equal(await page.textContent('[data-test=fn-total-shown]'), num('en', web.shown + appCounts.shown));
    assert.equal(await page.textContent('[data-test=fn-answered-all]'), `All answers in this range, every channel: ${api.answered_all.toLocaleString('en')}`);
    assert.ok(await page.locator('[data-test=how-to-read]').count());
    await page.click('[data-test=how-to-read] > summary');
    await axe(page, 'the funnel page');
    await noSideways(page, 'funnel en desktop');
    await page.close();
  });

  await check('a range before the data empties the page; back to all time, the counts are back', async () => {
    const page = await funnelPage();
    await page.selectOption('[data-test=period]', 'custom');
    await page.fill('[data-test=fn-from]', '2001-01-01');
    await page.fill('[data-test=fn-to]', '2001-12-31');
    await page.click('[data-test=fn-apply]');
    await page.waitForSelector('body[data-ready=funnel] [data-test=empty]');
    assert.match(await page.textContent('[data-test=empty]'), /^Nothing in this range/);
    assert.equal(await page.locator('[data-test=fn-channels]').count(), 0);
    assert.match(page.url(), /period=custom.*from=2001-01-01.*to=2001-12-31|from=2001-01-01/);
    assert.equal(await page.textContent('[data-test=fn-range]'), 'From Jan 1, 2001 to Dec 31, 2001');
    await axe(page, 'the empty funnel');
    await shot(page, 'funnel-empty-en-desktop', true);
    await page.selectOption('[data-test=period]', 'all');
    await page.waitForSelector('body[data-ready=funnel] [data-test=fn-channel-web]');
    const allWeb = allTime.channels.find((c) => c.channel === 'web');
    assert.ok(allWeb.shown > api.channels.find((c) => c.channel === 'web').shown, 'all time holds more than 30 days');
    assert.equal(await page.textContent('[data-test=fn-channel-web] [data-test=fn-shown]'), num('en', allWeb.shown));
    await page.close();
  });

  await check('the page at desktop and phone widths in en, es, ru, zh-Hans and ar: numbers the language\'s way, cards on a phone, RTL', async () => {
    const web = api.channels.find((c) => c.channel === 'web');
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await funnelPage('viewer', { viewport });
      for (const l of FIVE) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=funnel&period=30d`);
        await page.waitForSelector('body[data-ready=funnel] [data-test=fn-channel-web]');
        assert.equal(await page.getAttribute('html', 'dir'), l === 'ar' ? 'rtl' : 'ltr');
        const said = strip(await page.textContent('[data-test=fn-channel-web] [data-test=fn-response-rate] b'));
        assert.equal(said, withInterval(l, web.response_rate), `${l}: the rate`);
        assert.equal(await page.textContent('[data-test=fn-channel-web] [data-test=fn-shown]'), num(l, web.shown));
        assert.equal(await page.textContent('header nav a[data-view=funnel]'), { en: 'Funnel', es: 'Embudo', ru: 'Воронка', 'zh-Hans': '漏斗', ar: 'مسار الاستجابة' }[l]);
        await noSideways(page, `${l} funnel ${width}`);
        if (width === 'phone') {
          const card = await page.$eval('[data-test=fn-table] tbody tr', (tr) => {
            const r = tr.getBoundingClientRect();
            return { display: getComputedStyle(tr).display, left: r.left, right: r.right,
              labels: [...tr.cells].map((td) => getComputedStyle(td, '::before').content) };
          });
          assert.equal(card.display, 'block', l);
          assert.ok(card.left >= 0 && card.right <= PHONE.width, `${l}: ${JSON.stringify(card)}`);
          assert.ok(card.labels.every((c) => c.length > 2 && c !== 'none'), `${l}: each cell has its column's name: ${card.labels}`);
        }
        // RTL: the bars grow from the right.
        if (l === 'ar') {
          const [bar, fill] = await page.$eval('[data-test=fn-channel-web] .fn-stage.answered .fn-bar', (b) =>
            [b.getBoundingClientRect().right, b.firstElementChild.getBoundingClientRect().right]);
          assert.ok(Math.abs(bar - fill) < 1, `ar: the bar starts at the right (${bar} vs ${fill})`);
        }
        if (l !== 'en') await axe(page, `the funnel page in ${l} (${width})`);
        await shot(page, `funnel-${l}-${width}`, true);
      }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
