// Issue 17, the dashboard's part: key drivers, churn risk and benchmarks. Against a real npsd
// with the demo data (3,000 answers, about 450 of them from known customers), in Debian's
// chromium: an analyst computes the key drivers from the page and sees each with its interval,
// R² and n, a driver whose interval reaches zero marked as chance; with too few answers the
// page says nothing is claimed and why. Operational data imported from a CSV file (customers
// whose churn depends on their score): a bad line is named and nothing is imported; then the
// churn model shows its AUC with the interval, the base rate and the calibration; the ranked
// list of customers at risk with reasons, its CSV export and the follow-up button (checked
// through the API), all hidden from a viewer. Benchmarks: each published value with its
// source, the survey's NPS against the chosen one with the interval and against the previous
// period, a team's own value with its source. axe-core, no sideways scrolling, screenshots in
// five languages at two widths.
//   node tests/web/dashboard_insights.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, FIVE, PHONE, DESKTOP } from './dashboard_env.mjs';

const env = await start();
const { base, admin, open, shot, axe, noSideways, answer } = env;
const S = '/v1/admin/surveys/acme-app';
const page = (role, view, extra = {}) => open(role, { query: `&view=${view}`, ready: view, ...extra });
const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const en = (x, digits = 0) => new Intl.NumberFormat('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
const enPct = (x) => new Intl.NumberFormat('en', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);

// Every customer's latest answer (the demo data's respondent ids).
const latest = new Map();
for (let cursor = ''; ;) {
  const r = (await admin('GET', `${S}/responses?limit=500${cursor ? `&cursor=${cursor}` : ''}`)).body;
  for (const x of r.items) if (x.respondent_id && !latest.has(x.respondent_id)) latest.set(x.respondent_id, x);
  if (!r.next_cursor) break;
  cursor = r.next_cursor;
}
assert.ok(latest.size > 300, `the demo data has customers (${latest.size})`);
// Operational data: spend and visits yesterday, and who left today; detractors leave far more
// often than promoters, so the model has something to find. Seeded: the same file every run.
const dayAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
let seed = 17;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const lines = ['customer,date,metric,value'];
for (const [id, r] of latest) {
  const p = r.score <= 6 ? 0.7 : r.score <= 8 ? 0.35 : 0.1;
  lines.push(`${id},${dayAgo(1)},spend,${(20 + rand() * 100).toFixed(2)}`, `${id},${dayAgo(1)},visits,${Math.floor(rand() * 10)}`,
    `${id},${dayAgo(0)},churned,${rand() < p ? 1 : 0}`);
}
const OPS = `${lines.join('\n')}\n`;
const BAD = `${lines.slice(0, 3).join('\n')}\n${[...latest.keys()][0]},2026-02-30,spend,12\n${lines.slice(3, 6).join('\n')}\n`;

try {
  await check('key drivers: an analyst computes them; each is listed with its interval, R² and n; a driver whose interval reaches zero is marked as chance', async () => {
    const p = await page('analyst', 'drivers');
    assert.ok(await p.locator('[data-test=not-fitted]').isVisible(), 'nothing fitted yet, and the page says so');
    await p.click('[data-test=fit-drivers]');
    await p.waitForSelector('[data-test=r2]');
    const stored = (await admin('GET', `${S}/drivers`)).body;
    const fit = stored.fit;
    assert.equal(await p.textContent('[data-test=r2]'), en(fit.r2, 2));
    assert.equal(await p.textContent('[data-test=r2-says]'),
      `R² ${en(fit.r2, 2)}: these drivers together explain about ${enPct(fit.r2)} of why scores differ. Most of the difference lies in things not measured here.`);
    assert.equal(await p.textContent('[data-test=n]'), `Based on ${en(stored.used)} answers (of ${en(stored.answers)}) that had every value.`);
    const rows = await p.$$eval('[data-test=drivers] tbody tr', (trs) => trs.map((tr) => ({
      name: tr.dataset.driver, interval: tr.querySelector('[data-test=interval]').textContent,
      chance: !!tr.querySelector('[data-test=reaches-zero]'), clear: !!tr.querySelector('[data-test=clear-driver]') })));
    assert.equal(rows.length, fit.drivers.length);
    // Strongest first, each with its 95% interval; the server's verdict on chance, row by row.
    assert.deepEqual(rows.map((r) => r.name), [...fit.drivers].sort((a, b) => b.weight - a.weight).map((d) => d.name));
    for (const r of rows) {
      const d = fit.drivers.find((x) => x.name === r.name);
      assert.match(r.interval, /^\(95% CI: \d+\.\d%\u00a0…\u00a0\d+\.\d%\)$/, r.interval);
      assert.equal(r.chance, d.reaches_zero, r.name);
      assert.equal(r.clear, !d.reaches_zero, r.name);
    }
    assert.ok(rows.find((r) => r.name === 'device=mobile').clear, 'mobile, which the demo data scores lower, is a real driver');
    assert.ok(rows.some((r) => r.chance), 'a driver that could be chance');
    assert.equal(await p.locator('[data-test=reaches-zero]').first().textContent(), 'could be chance (interval reaches zero)');
    assert.equal(await p.textContent('tr[data-driver="device=mobile"] [data-test=driver-name]'), 'Device: Mobile');
    await axe(p, 'the key drivers');
    await p.close();

    const viewer = await page('viewer', 'drivers');
    assert.equal(await viewer.textContent('[data-test=r2]'), en(fit.r2, 2));
    assert.equal(await viewer.locator('[data-test=fit-drivers]').count(), 0, 'a viewer cannot fit');
    await viewer.close();
  });

  await check('key drivers with too few answers: the page says nothing is claimed and why, and draws no table', async () => {
    assert.equal((await admin('POST', '/v1/admin/surveys', { id: 'tiny', name: 'Tiny' })).status, 201);
    for (let i = 0; i < 30; i++) {
      const r = await answer({ score: i % 11, idempotency_key: `tiny-answer-${String(i).padStart(4, "0")}`, channel: 'web', device: i % 3 ? 'desktop' : 'mobile',
        attributes: { plan: ['free', 'pro', 'team'][i % 3] } }, 'tiny');
      assert.equal(r.status, 201);
    }
    const p = await open('analyst', { query: '&view=drivers', ready: 'drivers' });
    await p.goto(`${base}/dashboard/?lang=en&survey=tiny&view=drivers`);
    await p.waitForSelector('[data-test=fit-drivers]');
    await p.click('[data-test=fit-drivers]');
    await p.waitForSelector('[data-test=not-claimed]');
    const fit = (await admin('GET', '/v1/admin/surveys/tiny/drivers')).body.fit;
    assert.equal(fit.claimed, false);
    assert.match(await p.textContent('[data-test=not-claimed]'),
      new RegExp(`^Nothing is claimed: only 30 answers had every value, and at least ${fit.min_n} are needed \\(10 per driver, never fewer than 50\\)\\. With fewer, the weights would be mostly noise\\.`));
    assert.equal(await p.locator('[data-test=drivers]').count(), 0);
    assert.equal(await p.locator('[data-test=r2]').count(), 0);
    await axe(p, 'key drivers with too few answers');
    await shot(p, 'drivers-too-few-en-desktop', true);
    await p.close();
  });

  await check('operational data: a bad CSV line is named by its number and nothing is imported; the good file is imported', async () => {
    const p = await page('analyst', 'churn');
    assert.equal(await p.textContent('[data-test=ops-counts]'), 'No operational data yet.');
    await p.setInputFiles('[data-test=ops-file]', file('bad.csv', BAD));
    await p.click('[data-test=ops-import]');
    await p.waitForSelector('[data-test=ops-errors]');
    const said = await p.textContent('[data-test=ops-errors]');
    assert.match(said, /^Nothing was imported\./);
    assert.match(said, /Line 4, date: a date as YYYY-MM-DD that exists/, said);
    assert.equal((await admin('GET', `${S}/operational`)).body.rows, 0, 'nothing stored');
    await p.setInputFiles('[data-test=ops-file]', file('ops.csv', OPS));
    await p.click('[data-test=ops-import]');
    await p.waitForSelector('[data-test=ops-done]');
    const ops = (await admin('GET', `${S}/operational`)).body;
    assert.equal(ops.rows, lines.length - 1);
    assert.equal(await p.textContent('[data-test=ops-done]'),
      `Imported. ${en(ops.rows)} values · ${en(ops.customers)} customers. Fit the model again to use it.`);
    await p.close();
  });

  await check('churn risk: the page shows the AUC with its interval, the base rate and the calibration table', async () => {
    const p = await page('analyst', 'churn');
    assert.match(await p.textContent('[data-test=ops-counts]'), new RegExp(`^${en(lines.length - 1)} values · ${en(latest.size)} customers · \\d+ left`));
    await p.click('[data-test=fit-churn]');
    await p.waitForSelector('[data-test=auc]');
    const fit = (await admin('GET', `${S}/churn`)).body.fit;
    assert.equal(fit.claimed, true);
    const [lo, hi] = fit.auc.ci95;
    assert.equal(await p.textContent('[data-test=auc]'), en(fit.auc.value, 2));
    assert.equal(await p.textContent('[data-test=auc-ci]'), `95% CI: ${en(lo, 2)} … ${en(hi, 2)}`);
    assert.equal(await p.textContent('[data-test=auc-says]'),
      `AUC ${en(fit.auc.value, 2)} (${en(lo, 2)}\u00a0…\u00a0${en(hi, 2)}): the model ranks a customer who left above one who stayed ${enPct(fit.auc.value)} of the time; 50% would be guessing.`);
    assert.ok(fit.auc.value > 0.6, `the model finds the signal the data has (${fit.auc.value})`);
    assert.match(await p.textContent('[data-test=base-rate]'), new RegExp(`^Base rate ${enPct(fit.base_rate).replace('.', '\\.')}: the share of customers in the data who left\\.`));
    const cal = await p.$$eval('[data-test=calibration] tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(cal.length, fit.calibration.length);
    assert.deepEqual(cal[0], ['1', en(fit.calibration[0].n), enPct(fit.calibration[0].predicted), enPct(fit.calibration[0].observed)]);
    await axe(p, 'churn risk (analyst)');
    await p.close();
  });

  await check('churn risk: customers at risk ranked with reasons, exported as CSV, put into the follow-up queue; a viewer sees the evaluation only', async () => {
    const p = await page('analyst', 'churn');
    await p.waitForSelector('[data-test=at-risk] tbody tr');
    const api = (await admin('GET', `${S}/churn/at-risk?limit=25`)).body.items;
    const rows = await p.$$eval('[data-test=at-risk] tbody tr', (trs) => trs.map((tr) => ({
      id: tr.querySelector('[data-test=customer]').textContent, risk: tr.querySelector('[data-test=risk]').textContent,
      reasons: [...tr.querySelectorAll('[data-test=reasons] li')].map((li) => li.textContent) })));
    assert.deepEqual(rows.map((r) => r.id), api.map((r) => r.id), 'ranked as the server ranks');
    assert.equal(rows[0].risk, enPct(api[0].risk));
    const risks = api.map((r) => r.risk);
    assert.deepEqual(risks, [...risks].sort((a, b) => b - a));
    for (const r of rows) assert.ok(r.reasons.length >= 1 && r.reasons.every((x) => /^[▲▼] .+: (raises|lowers) the risk$/.test(x)), JSON.stringify(r));
    assert.equal(rows[0].reasons[0], `${api[0].reasons[0].contribution > 0 ? '▲' : '▼'} Score: ${api[0].reasons[0].contribution > 0 ? 'raises' : 'lowers'} the risk`);
    // The export is the server's CSV, with the page's own sign-in.
    const href = await p.getAttribute('[data-test=export-at-risk]', 'href');
    const csv = await p.evaluate(async (u) => { const r = await fetch(u); return [r.headers.get('content-type'), await r.text()]; }, href);
    assert.match(csv[0], /^text\/csv/);
    assert.equal(csv[1].split('\r\n')[0], 'customer,risk,reason_1,reason_2,reason_3');
    assert.equal(csv[1].split('\r\n')[1].split(',')[0], api[0].id);
    // The top five into the follow-up queue: untick the others.
    const boxes = p.locator('[data-test=at-risk] tbody input[type=checkbox]');
    for (let i = 5; i < rows.length; i++) await boxes.nth(i).uncheck();
    await p.click('[data-test=queue]');
    await p.waitForSelector('[data-test=queued]');
    const top = api.slice(0, 5).map((r) => r.id);
    const queued = top.filter((id) => latest.get(id).category !== 'promoter');
    assert.equal(await p.textContent('[data-test=queued]'), `${queued.length} customers put into the follow-up queue, with the risk and reasons as a note.`);
    for (const id of queued) {
      const item = (await admin('GET', `${S}/follow-ups/${latest.get(id).id}`)).body;
      assert.ok(item.notes.some((n) => /^Churn risk \d+%: /.test(n.text)), `${id}: ${JSON.stringify(item.notes)}`);
      assert.equal(item.status, 'new');
    }
    await shot(p, 'churn-queued-en-desktop', true);
    await p.close();

    const viewer = await page('viewer', 'churn');
    await viewer.waitForSelector('[data-test=auc]');
    assert.equal(await viewer.locator('[data-test=at-risk]').count(), 0);
    assert.equal(await viewer.textContent('[data-test=at-risk-hidden]'), 'The list of customers at risk names customers, so only analysts and above see it.');
    assert.equal(await viewer.locator('[data-test=ops-form]').count(), 0, 'a viewer does not import');
    assert.equal(await viewer.locator('[data-test=fit-churn]').count(), 0);
    assert.equal(await viewer.evaluate(async (u) => (await fetch(u)).status, `${S}/churn/at-risk`), 403, 'and the server refuses it too');
    await axe(viewer, 'churn risk (viewer)');
    await viewer.close();
  });

  await check('benchmarks: each published value with its source; the survey against the chosen one with the interval and against its previous period; a team\'s own value with its source', async () => {
    const p = await page('editor', 'benchmarks');
    const j = (await admin('GET', `${S}/benchmarks?days=90`)).body;
    assert.equal(await p.textContent('[data-test=none-chosen]'), 'Choose a benchmark below to see whether your NPS is really above it.');
    const rows = await p.$$eval('[data-test=benchmarks] tbody tr', (trs) => trs.map((tr) => [tr.dataset.key,
      tr.querySelector('[data-test=bm-value]').textContent, tr.querySelector('[data-test=bm-source]').textContent]));
    assert.deepEqual(rows, j.published.map((b) => [b.key, en(b.nps), b.source]));
    assert.equal(await p.textContent('[data-test=survey-nps] [data-test=ci]'), `95% CI: ${en(j.survey.ci95[0])} … ${en(j.survey.ci95[1])}`);
    // Against the previous period of the same length, with the core's test.
    assert.match(await p.textContent('[data-test=change]'), /^[+−-]?\d+(\.\d)? points against the period before, of the same length: (a real rise|a real fall|could be chance) \(p [<=] \d\.\d{3}\)\.$/);
    // Chosen: the verdict is the server's, with the interval in the sentence.
    await p.check('[data-test=choose-grocery]');
    await p.waitForSelector('[data-test=verdict]');
    const after = (await admin('GET', `${S}/benchmarks?days=90`)).body;
    assert.equal(after.chosen, 'grocery');
    assert.equal(await p.getAttribute('[data-test=verdict]', 'data-verdict'), after.against.verdict);
    const ci = `${en(after.survey.ci95[0])}\u00a0…\u00a0${en(after.survey.ci95[1])}`; // kept on one line
    const verdict = await p.textContent('[data-test=verdict]');
    assert.ok(verdict.includes(`Grocery (30)`) && verdict.includes(`(${ci})`), verdict);
    assert.match(await p.textContent('[data-test=chosen-source]'), /^Source: XM Institute/);
    // The team's own value, with its source, compared with at once.
    await p.fill('[data-test=bm-new-name]', 'Our 2025 panel');
    await p.fill('[data-test=bm-new-nps]', '35');
    await p.fill('[data-test=bm-new-source]', 'Acme research panel, 800 customers, March 2025');
    await p.click('[data-test=bm-add]');
    await p.waitForSelector('tr:has([data-test=team]) [data-test=bm-source]');
    const team = p.locator('tr:has([data-test=team])');
    assert.equal(await team.locator('[data-test=bm-source]').textContent(), 'Acme research panel, 800 customers, March 2025');
    assert.equal(await team.locator('[data-test=bm-value]').textContent(), '35');
    await p.waitForFunction(() => document.querySelector('[data-test=verdict]')?.textContent.includes('Our 2025 panel (35)'));
    const saved = (await admin('GET', `${S}/benchmarks`)).body;
    assert.equal(saved.custom.length, 1);
    assert.equal(saved.custom[0].source, 'Acme research panel, 800 customers, March 2025');
    assert.equal(saved.chosen, saved.custom[0].key);
    await axe(p, 'benchmarks (editor)');
    await p.close();

    const viewer = await page('viewer', 'benchmarks');
    assert.ok((await viewer.textContent('[data-test=verdict]')).includes('Our 2025 panel (35)'));
    assert.equal(await viewer.locator('[data-test=bm-form]').count(), 0);
    assert.equal(await viewer.locator('[data-test=benchmarks] input[type=radio]').count(), 0);
    await axe(viewer, 'benchmarks (viewer)');
    await viewer.close();
  });

  await check('the three pages at desktop and phone widths in five languages: nothing off the page', async () => {
    const waitFor = { drivers: '[data-test=r2]', churn: '[data-test=at-risk] tbody tr', benchmarks: '[data-test=verdict]' };
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const p = await open('editor', { viewport });
      for (const l of FIVE) {
        for (const view of Object.keys(waitFor)) {
          await p.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=${view}`);
          await p.waitForSelector(`body[data-ready=${view}] ${waitFor[view]}`);
          await noSideways(p, `${l} ${view} ${width}`);
          await shot(p, `${view}-${l}-${width}`, true);
        }
      }
      await p.close();
    }
  });
} finally {
  await env.stop();
}
finish();
