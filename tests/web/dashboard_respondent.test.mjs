// Issue 19, item 7: a page per answer and per respondent, and rows that are links to them.
// Against a real npsd with the demo data, in Debian's chromium: clicking a row of Responses
// opens that answer's page (comment, additional questions under the survey's own texts,
// attributes, context); its respondent link shows all their answers in time order with the
// latest attributes, a score line and the churn risk ("no churn model fitted yet" before one
// is fitted, the risk and its reasons after); a note added on the follow-up page shows on the
// answer's page; the lists of follow-up and of customers at risk link to these pages; a
// viewer gets the usual notice and sees neither comment nor respondent id; a reload keeps the
// page. axe-core, no sideways scrolling, screenshots (desktop, phone, ru, ar).
//   node tests/web/dashboard_respondent.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, PHONE, DESKTOP } from './dashboard_env.mjs';

const env = await start();
const { base, admin, open, shot, axe, noSideways, answer } = env;
const S = '/v1/admin/surveys/acme-app';
// A respondent id with characters a URL must encode.
const WHO = 'kund 7/ü&x#1';
const COMMENTS = ['First: the export is slow and crashed twice.', 'Second: better since the update.', 'Third: we love it now.'];
const PLANS = ['free', 'pro', 'team'];
const enTime = (iso) => new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
const ready = (page, view) => page.waitForSelector(`body[data-ready=${view}]`);
const urlItem = (page) => new URL(page.url()).searchParams.get('item');

// The survey asks detractors two more questions (a choice and a rating); WHO answers three
// times, a detractor first, a promoter last; the answers are the newest of the survey.
const survey = (await admin('GET', S)).body.definition;
survey.followup.detractor.questions = [
  { id: 'reason', type: 'single', text: { en: 'What went wrong?', ru: 'Что пошло не так?' },
    options: [{ id: 'price', label: { en: 'Price', ru: 'Цена' } }, { id: 'bugs', label: { en: 'Bugs', ru: 'Ошибки' } }] },
  { id: 'ease', type: 'rating', text: { en: 'How easy was it?', ru: 'Насколько это было просто?' }, min: 1, max: 5 },
];
assert.equal((await admin('PUT', S, survey)).status, 200);
const ids = [];
for (const [i, score] of [3, 7, 9].entries()) {
  const r = await answer({ score, idempotency_key: `respondent-page-${i}`, channel: 'web', locale: 'de', device: 'desktop',
    respondent_id: WHO, comment: COMMENTS[i], attributes: { plan: PLANS[i], region: 'eu' }, page: 'https://app.example.com/export',
    ...(i === 0 ? { answers: { reason: 'price', ease: 2 } } : {}) });
  assert.equal(r.status, 201, await r.text());
  await new Promise((ok) => setTimeout(ok, 30)); // three distinct moments
}
const mine = (await admin('GET', `${S}/responses?respondent_id=${encodeURIComponent(WHO)}&limit=10`)).body.items;
assert.equal(mine.length, 3);
ids.push(...mine.map((r) => r.id).reverse()); // oldest first
const byId = Object.fromEntries(mine.map((r) => [r.id, r]));

try {
  await check('clicking a row of Responses opens that answer\'s page with its comment, questions and attributes; Enter on its link too', async () => {
    const page = await open('analyst', { query: '&view=responses', ready: 'responses' });
    const row = page.locator(`[data-test=responses] tr[data-response="${ids[2]}"]`);
    // The row's link is a real one: it names the answer's page (keyboard, middle-click, new tab).
    const href = await row.locator('a[href*="view=response"]').getAttribute('href');
    assert.equal(new URL(href, base).searchParams.get('item'), String(ids[2]));
    assert.equal(new URL(href, base).searchParams.get('view'), 'response');
    await row.locator('td.comment').click();
    await ready(page, 'response');
    assert.equal(urlItem(page), String(ids[2]));
    assert.equal(await page.textContent('[data-test=comment]'), COMMENTS[2]);
    assert.equal(await page.textContent('[data-test=score]'), '9');
    assert.equal(await page.textContent('[data-test=category]'), 'promoter');
    assert.equal(await page.textContent('[data-test=attr-plan]'), 'team');
    assert.equal(await page.textContent('[data-test=attr-region]'), 'eu');
    assert.equal(await page.textContent('[data-test=fact-locale]'), 'German (de)');
    assert.equal(await page.textContent('[data-test=fact-device]'), 'Desktop');
    assert.equal(await page.textContent('[data-test=fact-page]'), 'https://app.example.com/export');
    assert.equal(await page.textContent('[data-test=received]'), enTime(byId[ids[2]].received_at));
    assert.equal(await page.textContent('[data-test=not-followup]'), 'This answer is not in the follow-up list.');
    assert.equal(await page.locator('nav a[data-view=response]').count(), 0, 'the page is not in the navigation');
    // Back to the list, then the detractor's row through the keyboard: its answers to the questions.
    await page.goBack();
    await ready(page, 'responses');
    await page.focus(`[data-test=responses] tr[data-response="${ids[0]}"] a[href*="view=response"]`);
    await page.keyboard.press('Enter');
    await ready(page, 'response');
    assert.equal(urlItem(page), String(ids[0]));
    assert.equal(await page.textContent('[data-test=comment]'), COMMENTS[0]);
    const questions = await page.$$eval('[data-test=questions] dt', (dts) => dts.map((d) => `${d.textContent}: ${d.nextElementSibling.textContent}`));
    assert.deepEqual(questions, ['What went wrong?: Price', 'How easy was it?: 2 / 5']);
    assert.equal(await page.textContent('[data-test=attr-plan]'), 'free');
    assert.equal(await page.textContent('[data-test=respondent-id]'), WHO);
    assert.equal(await page.textContent('[data-test=respondent] a'), '3 answers from this respondent');
    await axe(page, 'an answer\'s page');
    await shot(page, 'response-en-desktop', true);
    await page.close();
  });

  await check('the respondent link shows all their answers in time order, the latest attributes, a score line and "no churn model fitted yet"; a reload keeps the page', async () => {
    const page = await open('analyst', { query: `&view=response&item=${ids[1]}`, ready: 'response' });
    await page.click('[data-test=respondent] a');
    await ready(page, 'respondent');
    assert.equal(urlItem(page), WHO, 'the id, encoded in the URL, comes back whole');
    assert.ok(page.url().includes(encodeURIComponent(WHO).replace(/%20/g, '+')) || page.url().includes(encodeURIComponent(WHO)), page.url());
    const seen = async () => page.$$eval('[data-test=respondent-answers] tbody tr', (trs) => trs.map((tr) => ({
      id: Number(tr.dataset.response), score: tr.querySelector('[data-test=score]').textContent, comment: tr.querySelector('[data-test=comment]').textContent,
      href: new URL(tr.querySelector('a').href).searchParams.get('item') })));
    const expected = ids.map((id, i) => ({ id, score: String([3, 7, 9][i]), comment: COMMENTS[i], href: String(id) }));
    assert.deepEqual(await seen(), expected);
    assert.equal(await page.textContent('[data-test=respondent-id]'), WHO);
    assert.equal(await page.textContent('[data-test=latest-score]'), '9');
    assert.match(await page.textContent('[data-test=respondent-summary]'), /^3 answers · From /);
    assert.equal(await page.textContent('[data-test=latest-attributes] [data-test=attr-plan]'), 'team');
    assert.equal(await page.textContent('[data-test=churn-none]'), 'No churn model fitted yet.');
    assert.equal(await page.locator('[data-test=score-chart] svg line.dot').count(), 3);
    assert.match(await page.getAttribute('[data-test=score-chart] svg', 'aria-label'), /: 3, 7, 9$/);
    await axe(page, 'a respondent\'s page');
    await shot(page, 'respondent-en-desktop', true);
    // A reload (or the link sent to a colleague) opens the same page.
    await page.reload();
    await ready(page, 'respondent');
    assert.deepEqual(await seen(), expected);
    // Each answer opens its own page; a reload keeps that one too.
    await page.locator(`[data-test=respondent-answers] tr[data-response="${ids[1]}"] td[data-test=comment]`).click();
    await ready(page, 'response');
    assert.equal(await page.textContent('[data-test=comment]'), COMMENTS[1]);
    await page.reload();
    await ready(page, 'response');
    assert.equal(await page.textContent('[data-test=comment]'), COMMENTS[1]);
    assert.equal(urlItem(page), String(ids[1]));
    await page.close();
  });

  await check('a note added on the follow-up page shows on the answer\'s page with the item\'s status and assignee; the follow-up list links the respondent', async () => {
    const page = await open('analyst', { query: `&view=followup&item=${ids[0]}`, ready: 'followup' });
    await page.waitForSelector('[data-test=followup-item]');
    await page.click('[data-test=assign-me]');
    await page.waitForFunction(() => !document.querySelector('[data-test=assign-me]'));
    await page.fill('[data-test=note]', 'Called: the export fix ships on Monday.');
    await page.click('[data-test=add-note]');
    await page.waitForFunction(() => document.querySelector('ol[data-test=notes]')?.textContent.includes('export fix'));
    // The item's own link to the answer's page.
    await page.click(`[data-test=followup-item] a[href*="view=response"]`);
    await ready(page, 'response');
    assert.equal(urlItem(page), String(ids[0]));
    assert.match(await page.textContent('[data-test=rp-followup] [data-test=notes]'), /analyst@example\.com · .*: Called: the export fix ships on Monday\.$/);
    assert.equal(await page.textContent('[data-test=rp-followup] [data-test=status]'), 'new');
    assert.equal(await page.textContent('[data-test=rp-followup] [data-test=assignee]'), 'analyst@example.com');
    await shot(page, 'response-followup-en-desktop', true);
    // In the follow-up list (mine), the row names the respondent with a link to their page.
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=followup&scope=mine`);
    await page.waitForSelector('[data-test=followups]');
    const item = page.locator('[data-test=followups] > li').filter({ has: page.locator(`a[href$="item=${ids[0]}"]`) });
    await item.locator('a[href*="view=respondent"]').click();
    await ready(page, 'respondent');
    assert.equal(urlItem(page), WHO);
    await page.close();
  });

  await check('an English answer\'s page shows its words\' tone and "Score and words disagree" (readable in light and dark); a German one none', async () => {
    const r = await answer({ score: 10, idempotency_key: 'respondent-page-tone', channel: 'web', locale: 'en-GB',
      comment: 'Awful support, terrible billing, and the export is broken.' });
    assert.equal(r.status, 201);
    const { id } = await r.json();
    const page = await open('analyst', { query: `&view=response&item=${id}`, ready: 'response' });
    assert.equal(await page.textContent('[data-test=sentiment] [data-test=tone]'), 'Words: negative');
    assert.equal(await page.textContent('[data-test=sentiment] [data-test=disagree]'), 'Score and words disagree');
    assert.match(await page.textContent('[data-test=tone-words]'), /Negative words: awful, terrible, broken$/);
    assert.equal(await page.textContent('[data-test=tone-note]'), 'Tone from an English word list (AFINN); other languages get none.');
    await axe(page, 'an answer\'s page with its words\' tone');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, 'response-tone-dark-en-desktop', true);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=response&item=${ids[0]}`);
    await ready(page, 'response');
    assert.equal(await page.locator('[data-test=sentiment], [data-test=tone], [data-test=tone-note]').count(), 0, 'German: no tone');
    await page.close();
  });

  await check('a viewer following either link gets the usual "not allowed" notice, and neither comment nor respondent id', async () => {
    const page = await open('viewer');
    for (const [view, item] of [['response', String(ids[0])], ['respondent', WHO]]) {
      await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=${view}&item=${encodeURIComponent(item)}`);
      await ready(page, 'overview');
      assert.match(await page.textContent('[data-test=refused]'), /is for the analyst role and above; you are signed in as viewer/);
      const text = await page.textContent('body');
      for (const secret of [...COMMENTS, WHO]) assert.ok(!text.includes(secret), `a viewer sees ${secret}`);
      assert.equal(await page.locator('.error').count(), 0, 'no broken page');
    }
    assert.equal(await page.evaluate(async (u) => (await fetch(u)).status, `${S}/responses/${ids[0]}`), 403, 'and the server refuses it too');
    await page.close();
  });

  await check('with a churn model fitted, the respondent\'s page shows their risk and its reasons; the at-risk list links to it', async () => {
    // Operational data for every known customer (the demo data's and WHO): spend, visits, who left.
    const latest = new Map();
    for (let cursor = ''; ;) {
      const r = (await admin('GET', `${S}/responses?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).body;
      for (const x of r.items) if (x.respondent_id && !latest.has(x.respondent_id)) latest.set(x.respondent_id, x);
      if (!r.next_cursor) break;
      cursor = r.next_cursor;
    }
    const day = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    let seed = 19;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const quote = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = ['customer,date,metric,value'];
    for (const [id, r] of latest) {
      const p = id === WHO ? 0 : r.score <= 6 ? 0.7 : r.score <= 8 ? 0.35 : 0.1;
      lines.push(`${quote(id)},${day(1)},spend,${(20 + rand() * 100).toFixed(2)}`, `${quote(id)},${day(1)},visits,${Math.floor(rand() * 10)}`,
        `${quote(id)},${day(0)},churned,${rand() < p ? 1 : 0}`);
    }
    assert.equal((await admin('POST', `${S}/operational`, { csv: `${lines.join('\n')}\n` })).status, 200);
    const fit = await admin('POST', `${S}/churn`, {});
    assert.equal(fit.status, 200, fit.text);
    assert.ok(fit.body.fit.claimed, 'the model claims something');
    const list = (await admin('GET', `${S}/churn/at-risk?limit=100000`)).body.items;
    const rank = list.findIndex((x) => x.id === WHO);
    assert.ok(rank >= 0, 'WHO is a current customer');
    const mineRisk = list[rank];

    const page = await open('analyst', { query: `&view=respondent&item=${encodeURIComponent(WHO)}`, ready: 'respondent' });
    assert.equal(await page.textContent('[data-test=churn-risk]'),
      `Risk of leaving: ${new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(mineRisk.risk)}`);
    assert.equal(await page.textContent('[data-test=churn-rank]'), `Rank ${(rank + 1).toLocaleString('en')} in the list of customers at risk.`);
    assert.equal(await page.locator('[data-test=respondent-churn] [data-test=reasons] li').count(), mineRisk.reasons.length);
    await axe(page, 'a respondent\'s page with a churn risk');
    await shot(page, 'respondent-churn-en-desktop', true);
    // The churn page's list: each customer is a link to their page.
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=churn`);
    await page.waitForSelector('[data-test=at-risk] tbody tr');
    const first = list[0].id;
    await page.click(`[data-test=at-risk] tr:first-child [data-test=customer] a`);
    await ready(page, 'respondent');
    assert.equal(urlItem(page), first);
    assert.equal(await page.textContent('[data-test=respondent-id]'), first);
    assert.equal(await page.textContent('[data-test=churn-rank]'), 'Rank 1 in the list of customers at risk.');
    await page.close();
  });

  await check('both pages at phone width (tables as cards) and in Russian and Arabic (right to left): nothing off the page', async () => {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('analyst', { viewport });
      for (const l of ['en', 'ru', 'ar']) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=response&item=${ids[0]}`);
        await ready(page, 'response');
        await noSideways(page, `${l} answer ${width}`);
        if (l === 'ru') assert.deepEqual(await page.$$eval('[data-test=questions] dt', (d) => d.map((x) => x.textContent)), ['Что пошло не так?', 'Насколько это было просто?']);
        if (l === 'ar') assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
        if (width === 'phone' || l !== 'en') await shot(page, `response-${l}-${width}`, true);
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=respondent&item=${encodeURIComponent(WHO)}`);
        await ready(page, 'respondent');
        await noSideways(page, `${l} respondent ${width}`);
        if (width === 'phone') {
          // Each answer a card, its cells under their column's name.
          const label = await page.$eval('[data-test=respondent-answers] tbody td[data-test=score]', (td) => getComputedStyle(td, '::before').content);
          assert.notEqual(label, 'none');
        }
        if (width === 'phone' || l !== 'en') await shot(page, `respondent-${l}-${width}`, true);
        if (l === 'en' && width === 'phone') {
          await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=responses`);
          await ready(page, 'responses');
          await noSideways(page, `responses list ${width}`);
        }
      }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
