// E-mail and link surveys in Debian's chromium (issue 14): a person's click on a score link
// stores the answer once and the follow-up is saved; mail scanners (plain GET, HEAD, a
// headless browser that loads the page and leaves, five scanners opening every link within
// a second) store nothing; tampered, expired and replayed links store nothing. Screenshots
// of each landing page into tests/artifacts/.
import { createHmac } from 'node:crypto';
import { startNpsd, browser, check, done, artifact } from './harness.mjs';

const SECRET = 'links-test-secret-0123456789abcdef-0123';
process.env.NPSD_LINK_SECRET = SECRET;
const npsd = await startNpsd();
const { b, close } = await browser();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await npsd.survey({
  id: 'shop', name: 'Shop', product: 'Acme', theme: { accent: '#0b7285' },
  followup: { promoter: { thanks_link: { url: 'https://reviews.example/acme', append_score: true } } },
});
const links = async (recipient, locale) => (await npsd.admin('POST', '/v1/admin/surveys/shop/links',
  { recipient, ...(locale ? { locale } : {}) })).links.map((l) => npsd.url + l.slice(l.indexOf('/r/')));
const stored = async () => (await npsd.responses('shop'));
const byRespondent = async (r) => (await stored()).filter((x) => x.respondent_id === r);

// A link signed as npsd signs them (signed_links.hpp), for an expired one.
const b64 = (buf) => Buffer.from(buf).toString('base64url');
function sign({ kind = 'r', survey = 'shop', recipient, score, expires, locale = '' }) {
  const payload = `${kind}\n${survey}\n${recipient}\n${score}\n${expires}\n${locale}`;
  const mac = createHmac('sha256', SECRET).update('opennps-link-v1\n' + payload).digest().subarray(0, 16);
  return `${b64(payload)}.${b64(mac)}`;
}

async function page(opts = {}) {
  const ctx = await b.newContext({ viewport: { width: 420, height: 820 }, ...opts });
  if (opts.human) await ctx.addInitScript(() => Object.defineProperty(navigator, 'webdriver', { get: () => false }));
  const p = await ctx.newPage();
  return { p, ctx };
}

// ---- a person clicks: stored once, follow-up saved ----
{
  const l = await links('person-1');
  const { p, ctx } = await page();
  await p.goto(l[3]);
  check(await p.locator('button[data-score="3"][aria-pressed="true"]').count() === 1, 'the page opens with the clicked score chosen');
  await sleep(2500);
  check((await byRespondent('person-1')).length === 0, 'a page under automation records nothing by being open for 2.5 s');
  await p.click('button[data-score="3"]');
  await p.waitForSelector('#fu:not([hidden])');
  check(await p.locator('#callback:not([hidden])').count() === 1, 'a detractor is told someone will get back to them');
  await p.screenshot({ path: artifact('landing-detractor-en.png'), fullPage: true });
  await p.fill('#comment', 'The parcel came a week late');
  await p.click('#fusend');
  await p.waitForSelector('#done:not([hidden])');
  const rows = await byRespondent('person-1');
  check(rows.length === 1 && rows[0].score === 3 && rows[0].comment === 'The parcel came a week late',
    'the click stored one answer (3) and the follow-up comment', JSON.stringify(rows));
  check(rows[0]?.channel === 'email', 'the answer is on the e-mail channel');
  const queue = await npsd.admin('GET', '/v1/admin/surveys/shop/follow-ups');
  check(queue.items.some((i) => i.response.respondent_id === 'person-1'), 'the detractor joined the follow-up queue', JSON.stringify(queue).slice(0, 300));
  // Replayed: another score of the same e-mail, in a new browser, clicked.
  const again = await page();
  await again.p.goto(l[10]);
  check(await again.p.locator('#status').textContent().then((t) => /already/.test(t)), 'a second link of the same e-mail says it was answered');
  await again.p.click('.scale', { force: true }).catch(() => {});
  await sleep(500);
  const after = await byRespondent('person-1');
  check(after.length === 1 && after[0].score === 3, 'a replayed link changes nothing');
  await again.ctx.close();
  await ctx.close();
}

// ---- a person who reads for 2 s (no automation flag): recorded; promoter follow-up ----
{
  const l = await links('person-2', 'es');
  const { p, ctx } = await page({ human: true });
  await p.goto(l[9]);
  await p.waitForSelector('#fu:not([hidden])', { timeout: 15000 });
  check((await byRespondent('person-2')).length === 1, 'two seconds visible in the foreground record the answer');
  check(await p.locator('#quote:not([hidden])').count() === 1, 'a promoter is asked for permission to quote');
  await p.check('#quoteok');
  await p.fill('#comment', 'Rápido y amable');
  await p.screenshot({ path: artifact('landing-promoter-es.png'), fullPage: true });
  await p.click('#fusend');
  await p.waitForSelector('#review:not([hidden])');
  check(await p.locator('#reviewlink').getAttribute('href') === 'https://reviews.example/acme?nps_score=9', 'the promoter is offered the review link');
  await p.screenshot({ path: artifact('landing-promoter-es-thanks.png'), fullPage: true });
  const rows = await byRespondent('person-2');
  check(rows[0]?.answers?.quote_permission === 'yes' && rows[0]?.locale === 'es', 'permission to quote and the language are stored', JSON.stringify(rows));
  await ctx.close();
}

// ---- passive, in Arabic (right to left); desktop width ----
{
  const l = await links('person-3', 'ar');
  const { p, ctx } = await page({ viewport: { width: 1100, height: 760 } });
  await p.goto(l[7]);
  check(await p.evaluate(() => document.documentElement.dir) === 'rtl', 'an Arabic page is right to left');
  await p.screenshot({ path: artifact('landing-passive-ar-before.png') });
  await p.click('button[data-score="7"]');
  await p.waitForSelector('#fu:not([hidden])');
  await p.screenshot({ path: artifact('landing-passive-ar.png') });
  check(!(await p.locator('#quote').isVisible()) && !(await p.locator('#callback').isVisible()), 'a passive is asked neither to be quoted nor promised a call back');
  check((await byRespondent('person-3'))[0]?.score === 7, 'the passive answer is stored');
  await ctx.close();
}

// ---- scanners: nothing stored ----
{
  const l = await links('scanned-1');
  for (const u of l) {
    await fetch(u);
    await fetch(u, { method: 'HEAD' });
    await fetch(u, { headers: { Purpose: 'prefetch', 'Sec-Purpose': 'prefetch' } });
  }
  // A headless browser that runs the page's script and leaves.
  for (const u of l) {
    const { p, ctx } = await page();
    await p.goto(u);
    await sleep(300);
    await ctx.close();
  }
  // Even one that hides the automation flag, if it leaves before two seconds.
  {
    const { p, ctx } = await page({ human: true });
    await p.goto(l[9]);
    await sleep(1200);
    await ctx.close();
  }
  // Five scanners open every link of a message within a second of delivery.
  const l2 = await links('scanned-2');
  let loaded = 0;
  await Promise.all([0, 1, 2, 3, 4].map(async () => {
    const { p, ctx } = await page();
    // Each scanner opens the eleven links one after the other, all five at once.
    for (const u of l2) {
      const q = await ctx.newPage();
      loaded += await q.goto(u, { waitUntil: 'domcontentloaded', timeout: 120000 }).then(() => 1, () => 0);
    }
    await sleep(2500);
    await ctx.close();
    void p;
  }));
  check((await byRespondent('scanned-1')).length === 0, 'GET, HEAD, prefetch and a headless browser that leaves stored nothing');
  check(loaded >= 11, 'the five scanners loaded at least eleven pages (some loads fail on a busy machine: ERR_SOCKET_NOT_CONNECTED)', loaded);
  check((await byRespondent('scanned-2')).length === 0, 'five scanners opening every link at once stored nothing');
}

// ---- tampered and expired ----
{
  const before = (await stored()).length;
  const l = await links('tamper-1');
  const bad = l[9].replace(/\/r\/(.)/, (m, c) => `/r/${c === 'A' ? 'B' : 'A'}`);
  const { p, ctx } = await page();
  const res = await p.goto(bad);
  check(res.status() === 400 && /does not work/.test(await p.textContent('h1')), 'a tampered link shows a friendly page');
  await p.screenshot({ path: artifact('landing-invalid-en.png') });
  const expired = `${npsd.url}/r/${sign({ recipient: 'expired-1', score: 9, expires: Math.floor(Date.now() / 1000) - 60 })}`;
  const res2 = await p.goto(expired);
  check(res2.status() === 410 && /expired/.test(await p.textContent('p')), 'an expired link says so');
  const posted = await p.evaluate(async (u) => (await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ score: 9, signal: 'interaction' }) })).status, expired);
  check(posted === 410, 'an expired link refuses an answer');
  const valid = `${npsd.url}/r/${sign({ recipient: 'forged-ok', score: 9, expires: Math.floor(Date.now() / 1000) + 600 })}`;
  check((await fetch(valid)).status === 200, 'a link signed with the server secret opens (the test signs as npsd does)');
  check((await stored()).length === before, 'tampered and expired links stored nothing');
  await ctx.close();
}

// ---- strict mode: only Send records ----
{
  await npsd.admin('PUT', '/v1/admin/surveys/shop/link-settings', { strict: true });
  const l = await links('strict-1', 'ru');
  const { p, ctx } = await page({ human: true });
  await p.goto(l[8]);
  await sleep(3000);
  await p.click('button[data-score="8"]');
  await sleep(500);
  check((await byRespondent('strict-1')).length === 0, 'strict mode: neither two seconds nor a click on a score records');
  await p.screenshot({ path: artifact('landing-strict-ru.png') });
  await p.click('#send');
  await p.waitForSelector('#fu:not([hidden])');
  check((await byRespondent('strict-1'))[0]?.score === 8, 'strict mode: Send records');
  await npsd.admin('PUT', '/v1/admin/surveys/shop/link-settings', { strict: false });
  await ctx.close();
}

// ---- a link survey page (/s/) ----
{
  const before = (await stored()).length;
  const { p, ctx } = await page({ locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN' } });
  await p.goto(`${npsd.url}/s/shop`);
  await sleep(2500);
  check((await stored()).length === before, 'the link survey page records nothing until a score is chosen');
  await p.screenshot({ path: artifact('landing-survey-zh-Hans.png') });
  await p.click('button[data-score="10"]');
  await p.waitForSelector('#fu:not([hidden])');
  check((await stored()).length === before + 1, 'choosing a score on the link survey page records it');
  await ctx.close();
}

// ---- a survey's additional questions after the follow-up, one at a time ----
{
  await npsd.survey({
    id: 'care', name: 'Care', product: 'Acme', default_locale: 'en', locales: ['en', 'es'],
    followup: { detractor: { questions: [
      { id: 'reason', type: 'single', text: { en: 'Main reason?', es: '¿Motivo principal?' }, required: true,
        options: [{ id: 'price', label: { en: 'Price', es: 'Precio' } }, { id: 'delivery', label: { en: 'Delivery', es: 'Entrega' } }] },
      { id: 'detail', type: 'text', text: { en: 'What happened?', es: '¿Qué pasó?' },
        condition: { question: 'reason', op: 'equals', value: 'delivery' } },
      { id: 'effort', type: 'rating', min: 1, max: 5, text: { en: 'How easy was it to reach us?', es: '¿Qué tan fácil fue contactarnos?' },
        low_label: { en: 'Hard', es: 'Difícil' }, high_label: { en: 'Easy', es: 'Fácil' } },
      { id: 'channels', type: 'multiple', text: { en: 'Where did you ask?', es: '¿Dónde preguntó?' },
        options: [{ id: 'mail', label: { en: 'E-mail', es: 'Correo' } }, { id: 'phone', label: { en: 'Phone', es: 'Teléfono' } }] },
    ] } },
  });
  const l = (await npsd.admin('POST', '/v1/admin/surveys/care/links', { recipient: 'asked-1', locale: 'es' }))
    .links.map((x) => npsd.url + x.slice(x.indexOf('/r/')));
  const { p, ctx } = await page();
  await p.goto(l[2]);
  await p.click('button[data-score="2"]');
  await p.waitForSelector('#fu:not([hidden])');
  await p.fill('#comment', 'Tardó mucho');
  await p.click('#fusend');
  await p.waitForSelector('#qs:not([hidden]) legend');
  check(await p.textContent('#qs legend') === '¿Motivo principal?', 'after the follow-up the first additional question is asked, in the link\'s language');
  check(await p.locator('#qs button.primary').isDisabled(), 'a required question cannot be passed without an answer');
  check(await p.locator('#qs button.secondary').count() === 0, 'a required question offers no skip');
  await p.click('#qs label:has-text("Entrega")');
  await p.screenshot({ path: artifact('landing-question-single-es.png'), fullPage: true });
  await p.click('#qs button.primary');
  await p.waitForSelector('#qs h2#qq');
  check(await p.textContent('#qq') === '¿Qué pasó?', 'the conditional question follows the answer that enables it');
  await p.fill('#qs textarea', 'El repartidor no vino');
  await p.click('#qs button.primary');
  await p.waitForSelector('#qs .rating');
  await p.click('#qs .rating label:has-text("2")');
  await p.screenshot({ path: artifact('landing-question-rating-es.png'), fullPage: true });
  await p.click('#qs button.primary');
  await p.waitForSelector('#qs legend:has-text("Dónde")');
  await p.click('#qs button.secondary'); // skip the optional last one
  await p.waitForSelector('#done:not([hidden])');
  const row = (await npsd.responses('care')).find((x) => x.respondent_id === 'asked-1');
  check(JSON.stringify(row?.answers) === JSON.stringify({ detail: 'El repartidor no vino', effort: 2, reason: 'delivery' }) && row?.comment === 'Tardó mucho',
    'each answer is stored with the response, the skipped one is absent', JSON.stringify(row));
  await p.screenshot({ path: artifact('landing-question-done-es.png'), fullPage: true });
  await ctx.close();
}

await close();
npsd.stop();
done();
