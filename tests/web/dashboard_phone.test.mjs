// Issue 19, item 10: phones. Every section of the navigation is on the screen (no row that
// hides Surveys, Tokens and Users off to the side), and tables are cards: each row one card,
// each cell under its column's name, nothing to scroll sideways. Issue 16: a promoter's English
// comment shows its words' tone under it (in the page's direction), a Spanish one none.
//   node tests/web/dashboard_phone.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, FIVE, PHONE } from './dashboard_env.mjs';

const env = await start({ count: 300 });
const { base, open, shot, axe, noSideways, answer } = env;
// Two promoters who left a contact: one English whose words complain, one Spanish.
const planted = {};
for (const [key, body] of Object.entries({
  spanish: { score: 10, locale: 'es', comment: 'Soporte terrible', respondent_id: 'tone-es@example.com' },
  complaint: { score: 10, locale: 'en', comment: 'terrible support, awful app', respondent_id: 'tone-en@example.com' },
})) {
  const r = await answer({ ...body, channel: 'web', idempotency_key: `phone-tone-${key}` });
  assert.equal(r.status, 201);
  planted[key] = (await r.json()).id;
}

try {
  await check('on a phone every page of the navigation is on the screen, in five languages', async () => {
    const page = await open('admin', { viewport: PHONE });
    for (const l of FIVE) {
      await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=users`);
      await page.waitForSelector('[data-test=users]');
      const links = await page.$$eval('header nav a', (as) => as.map((a) => {
        const r = a.getBoundingClientRect();
        return { view: a.dataset.view, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      }));
      assert.deepEqual(links.map((x) => x.view), ['overview', 'why', 'drivers', 'churn', 'benchmarks', 'funnel', 'responses', 'followup', 'promoters', 'surveys', 'contacts', 'campaigns', 'email-preview', 'tokens', 'users', 'webhooks']);
      for (const x of links) assert.ok(x.left >= 0 && x.right <= PHONE.width && x.bottom <= PHONE.height / 2, `${l}: ${JSON.stringify(x)} on the screen`);
      const nav = await page.$eval('header nav', (n) => [n.scrollWidth, n.clientWidth]);
      assert.ok(nav[0] <= nav[1], `${l}: the navigation does not scroll sideways (${nav})`);
      await page.click('header nav a[data-view=tokens]');
      await page.waitForSelector('body[data-ready=tokens]');
      await shot(page, `nav-${l}-phone`);
    }
    await page.close();
  });

  await check('on a phone the responses and promoters are cards with their column names; nothing scrolls sideways', async () => {
    const page = await open('analyst', { viewport: PHONE });
    for (const [view, table] of [['responses', 'responses'], ['promoters', 'promoters']]) {
      for (const l of ['en', 'ru', 'ar']) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=${view}`);
        await page.waitForSelector(`[data-test=${table}] tbody tr`);
        const card = await page.$eval(`[data-test=${table}] tbody tr`, (tr) => {
          const r = tr.getBoundingClientRect();
          return { display: getComputedStyle(tr).display, left: r.left, right: r.right,
            labels: [...tr.cells].map((td) => getComputedStyle(td, '::before').content) };
        });
        assert.equal(card.display, 'block');
        assert.ok(card.left >= 0 && card.right <= PHONE.width, JSON.stringify(card));
        assert.ok(card.labels.every((c) => c.length > 2 && c !== 'none'), `each cell has its column's name: ${card.labels}`);
        // Each cell's name is on the page's starting side, its value beside it: in Arabic the
        // name on the right, also for a comment whose own text runs left to right.
        const misplaced = await page.$$eval(`[data-test=${table}] tbody td`, (tds) => tds.flatMap((td) => {
          const range = document.createRange();
          range.selectNodeContents(td);
          const value = range.getBoundingClientRect(), cell = td.getBoundingClientRect();
          if (!value.width) return [];
          const rtl = document.documentElement.dir === 'rtl';
          const ok = rtl ? value.right <= cell.right - 48 : value.left >= cell.left + 48;
          return ok ? [] : [`${td.dataset.label}: value ${Math.round(value.left)}–${Math.round(value.right)} in cell ${Math.round(cell.left)}–${Math.round(cell.right)}`];
        }));
        assert.deepEqual(misplaced, [], `${l} ${view}: a value where its column's name should be`);
        await noSideways(page, `${l} ${view}`);
        if (view === 'promoters') {
          // The complaining promoter: "Words: negative" and the flag under the comment, in the page's direction; Spanish: none.
          const row = (id) => page.locator(`[data-test=promoters] tr[data-response="${id}"]`);
          assert.equal(await row(planted.complaint).locator('[data-test=tone]').getAttribute('data-tone'), 'negative');
          assert.equal(await row(planted.complaint).locator('[data-test=disagree]').count(), 1);
          if (l === 'en') assert.equal(await row(planted.complaint).locator('[data-test=tone]').textContent(), 'Words: negative');
          assert.equal(await row(planted.spanish).locator('[data-test=tone], [data-test=disagree]').count(), 0, `${l}: no tone in Spanish`);
          assert.equal(await page.locator('[data-test=tone-note]').count(), 1);
          const box = await row(planted.complaint).locator('td.comment').evaluate((td) => {
            const tones = td.querySelector('.tones'), b = tones.getBoundingClientRect(), c = td.querySelector('bdi').getBoundingClientRect(), r = td.getBoundingClientRect();
            return { dir: getComputedStyle(tones).direction, inAuto: !!tones.closest('[dir=auto], bdi'), below: b.top >= c.bottom - 1, inside: b.left >= r.left && b.right <= r.right };
          });
          assert.deepEqual(box, { dir: l === 'ar' ? 'rtl' : 'ltr', inAuto: false, below: true, inside: true }, `${l}`);
        }
        if (l === 'en') await axe(page, `${view} on a phone`);
        await shot(page, `${view}-cards-${l}-phone`);
      }
    }
    await page.close();
  });
} finally {
  await env.stop();
}
finish();
