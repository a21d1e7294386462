// The dashboard end to end: a real npsd (native build) on a free loopback port with a
// temporary SQLite file filled by `npsd demo-data`, driven by Debian's chromium through
// playwright-core (never a downloaded browser). Screenshots go to tests/artifacts/.
//
// usage: node dashboard.test.mjs --npsd PATH --web-root DIR [--artifacts DIR] [--only REGEX]
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
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

const ADMIN = 'dashboard-test-admin-token-0123456789';
const PASSWORD = 'correct horse battery staple';
let failures = 0;
// --only REGEX runs the checks whose names match (while working on one).
const only = arg('only', null);
async function check(name, f) {
  if (only && !new RegExp(only).test(name)) return;
  const started = Date.now();
  try {
    await f();
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
  }
}

const freePort = () => new Promise((ok) => {
  const s = createServer();
  s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
});

// ---- the server --------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'npsd-dashboard-'));
const db = join(dir, 'npsd.sqlite3');
console.log(execFileSync(npsd, ['demo-data', '--db', db, '--count', '3000']).toString().trim());
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(npsd, ['--listen', `127.0.0.1:${port}`, '--db', db, '--web-root', webRoot, '--quiet'], {
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
const answer = (body) => fetch(`${base}/v1/surveys/acme-app/responses`, { method: 'POST',
  headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
for (const role of ['viewer', 'analyst', 'editor', 'admin'])
  assert.equal((await admin('POST', '/v1/admin/users', { email: `${role}@example.com`, role, password: PASSWORD })).status, 201);
// A hostile detractor comment with a contact, newest of all, so it leads the follow-up list.
const HOSTILE = `<script>alert('x')</script><img src=x onerror="alert(1)"> checkout broke`;
assert.equal((await answer({ score: 1, idempotency_key: 'hostile-0001', comment: HOSTILE, respondent_id: 'cust-evil',
  channel: 'web', locale: 'en', device: 'mobile' })).status, 201);

// ---- the browser -------------------------------------------------------------------------
const profile = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync',
    // The snippet test puts a "public" site (http://shop.example, answered by the test) in
    // front of npsd on loopback; Chromium's private-network checks would block that, which
    // a real deployment (npsd on a public host) never meets.
    '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,LocalNetworkAccessChecks'],
  viewport: { width: 1280, height: 900 },
});
let dialogs = 0;
async function open(role, viewport = { width: 1280, height: 900 }) {
  const page = await browser.newPage();
  await browser.clearCookies();
  await page.setViewportSize(viewport);
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  page.on('pageerror', (e) => console.log(`page error (${role}): ${e.message}`));
  await page.goto(`${base}/dashboard/?lang=en`);
  await page.fill('#email', `${role}@example.com`);
  await page.fill('#password', PASSWORD);
  await page.click('[data-test=signin]');
  await page.waitForSelector('body[data-ready=overview] [data-test=nps]');
  return page;
}
const navOf = (page) => page.$$eval('header nav a', (as) => as.map((a) => a.dataset.view));
const shot = (page, name, fullPage = true) => page.screenshot({ path: join(artifacts, `dashboard-${name}.png`), fullPage });

try {
  const expected = {
    viewer: ['overview', 'why', 'drivers', 'churn', 'benchmarks', 'funnel', 'surveys', 'campaigns', 'email-preview'],
    analyst: ['overview', 'why', 'drivers', 'churn', 'benchmarks', 'funnel', 'responses', 'followup', 'promoters', 'surveys', 'contacts', 'campaigns', 'email-preview'],
    editor: ['overview', 'why', 'drivers', 'churn', 'benchmarks', 'funnel', 'responses', 'followup', 'promoters', 'surveys', 'contacts', 'campaigns', 'email-preview'],
    admin: ['overview', 'why', 'drivers', 'churn', 'benchmarks', 'funnel', 'responses', 'followup', 'promoters', 'surveys', 'contacts', 'campaigns', 'email-preview', 'tokens', 'users', 'webhooks'],
  };
  for (const role of Object.keys(expected)) {
    await check(`${role} signs in and sees exactly its pages`, async () => {
      const page = await open(role);
      assert.deepEqual(await navOf(page), expected[role]);
      assert.match(await page.textContent('[data-test=ci]'), /^95% CI: -?\d+ … -?\d+$/); // the range, never "±"
      assert.match(await page.textContent('[data-test=n]'), /^\d,\d{3} answers$/);
      if (role === 'viewer') {
        // The server refuses what the page hides.
        const status = await page.evaluate(() => fetch('/v1/admin/surveys/acme-app/responses').then((r) => r.status));
        assert.equal(status, 403);
        assert.ok(!(await page.content()).includes('checkout broke'));
        await page.goto(`${base}/dashboard/?view=surveys`);
        await page.waitForSelector('body[data-ready=surveys]');
        assert.equal(await page.$('[data-test=survey-form]'), null);
      }
      if (role === 'admin') {
        // Breakdown by any attribute, from the URL (a shareable view).
        await page.goto(`${base}/dashboard/?survey=acme-app&attr=plan&interval=month`);
        await page.waitForSelector('[data-test="breakdown-attribute:plan"]');
        const plans = await page.$$eval('[data-test="breakdown-attribute:plan"] tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
        for (const plan of ['free', 'pro', 'team']) assert.ok(plans.includes(plan), `plan ${plan} in ${plans}`);
        assert.equal(await page.inputValue('input[name=attr]'), 'plan');
        // Segments too small to trust show no p-value (and are never starred).
        const smallRows = await page.$$eval('table[data-test^=breakdown] tbody tr', (trs) =>
          trs.filter((tr) => tr.cells[3].textContent.includes('⚠')).map((tr) => tr.cells[4].textContent));
        for (const cell of smallRows) assert.ok(!/p[=<]|★/.test(cell), `a small segment shows ${cell}`);
        // The locale filter offers the languages the answers have and keeps any tag from a link.
        await page.waitForFunction(() => document.querySelectorAll('#known-locales option').length >= 3);
        const offered = await page.$$eval('#known-locales option', (os) => os.map((o) => o.value));
        for (const l of ['en', 'es', 'ru']) assert.ok(offered.includes(l), `locale ${l} offered in ${offered}`);
        await page.goto(`${base}/dashboard/?survey=acme-app&locale=ja`);
        await page.waitForSelector('body[data-ready=overview]');
        assert.equal(await page.inputValue('input[name=locale]'), 'ja');
        await page.goto(`${base}/dashboard/?survey=acme-app&attr=plan&interval=month`);
        await page.waitForSelector('[data-test="breakdown-attribute:plan"]');
        await shot(page, 'overview-desktop');
        await page.click('[data-view=tokens]');
        await page.waitForSelector('[data-test=tokens]');
        await page.fill('input[name=name]', 'wall screen');
        await page.selectOption('select[name=role]', 'viewer');
        await page.click('[data-test=token-form] button[type=submit]');
        await page.waitForFunction(() => /npsd_/.test(document.querySelector('[data-test=new-token]')?.textContent ?? ''));
        assert.match(await page.textContent('[data-test=tokens]'), /wall screen/);
        await page.click('[data-view=users]');
        await page.waitForSelector('[data-test=users]');
        assert.equal(await page.locator('[data-test=users] tbody tr').count(), 4);
      }
      await page.close();
    });
  }

  await check('analyst filters detractors, marks one contacted with a note; it survives a reload', async () => {
    const page = await open('analyst');
    await page.click('[data-view=responses]');
    await page.waitForSelector('[data-test=responses]');
    await page.selectOption('select[name=category]', 'detractor');
    await page.fill('input[name=attribute]', 'plan:pro');
    await page.click('[data-test=response-filters] button[type=submit]');
    await page.waitForURL(/category=detractor/);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=responses] tbody tr')].every((tr) =>
      tr.children[1].textContent === 'detractor' && tr.children[3].textContent.includes('plan=pro')));
    assert.equal(await page.locator('[data-test=responses] tbody tr').count(), 100);
    await page.click('[data-test=more]'); // the next page, from the cursor
    await page.waitForFunction(() => document.querySelectorAll('[data-test=responses] tbody tr').length > 100);
    await page.click('[data-view=followup]');
    await page.waitForSelector('[data-test=followups]');
    await page.click('[data-test=followups] li:first-child a');
    await page.waitForSelector('[data-test=followup-item]');
    assert.equal(await page.textContent('[data-test=followup-item] [data-test=comment]'), HOSTILE);
    await page.fill('[data-test=note]', 'Called the customer; refund promised.');
    await page.click('[data-test=contacted]');
    await page.waitForFunction(() => document.querySelector('[data-test=followup-item] [data-test=status]')?.textContent === 'contacted');
    await page.reload();
    await page.waitForSelector('[data-test=followup-item]');
    assert.equal(await page.textContent('[data-test=followup-item] [data-test=status]'), 'contacted');
    assert.match(await page.textContent('[data-test=notes]'), /analyst@example\.com .*refund promised/);
    await shot(page, 'followup-item-desktop');
    await page.close();
  });

  await check('comments with <script> and <img onerror> render as text', async () => {
    const page = await open('analyst');
    await page.goto(`${base}/dashboard/?view=responses&survey=acme-app&q=onerror`);
    await page.waitForSelector('[data-test=responses]');
    const found = await page.$$eval('[data-test=responses] td.comment .comment-text', (tds) => tds.map((td) => td.textContent));
    assert.ok(found.includes(HOSTILE), 'the hostile comment is shown as text');
    assert.equal(await page.$$eval('main img, main script', (els) => els.length), 0);
    await page.waitForTimeout(300);
    assert.equal(dialogs, 0, 'no dialog opened');
    await shot(page, 'responses-desktop');
    await page.close();
  });

  await check('a live answer appears within two seconds', async () => {
    const page = await open('analyst');
    await page.waitForTimeout(300); // the event stream is open
    const sent = Date.now();
    assert.equal((await answer({ score: 10, idempotency_key: 'live-answer-0001', comment: 'Live and well', channel: 'app' })).status, 201);
    const before = await page.textContent('[data-test=n]');
    await page.waitForSelector('[data-test=live-list] li:has-text("Live and well")', { timeout: 2000 });
    assert.ok(Date.now() - sent < 2000);
    // n follows from the server's summary.
    await page.waitForFunction((b) => document.querySelector('[data-test=n]').textContent !== b, before, { timeout: 3000 });
    await page.close();
  });

  await check('editor creates a survey, sees the validation error by field, fixes it, and its snippet works on another site', async () => {
    const page = await open('editor');
    await page.click('[data-view=surveys]');
    await page.waitForSelector('[data-test=survey-form]');
    await page.fill('input[name=id]', 'Bad id!');
    await page.fill('input[name=name]', 'Checkout Q4');
    await page.click('[data-test=save]');
    await page.waitForFunction(() => document.querySelector('.field-error[data-path=id]')?.textContent.length > 0);
    // A screen reader hears the field's label and the core's message with it.
    const described = await page.evaluate(() => {
      const input = document.querySelector('input[name=id]');
      return { label: input.labels[0]?.textContent, error: document.getElementById(input.getAttribute('aria-describedby'))?.textContent };
    });
    assert.equal(described.label, 'Id');
    assert.ok(described.error.length > 0, 'the id field is described by its error');
    await shot(page, 'survey-error-desktop');
    await page.fill('input[name=id]', 'checkout-q4');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=snippet]');
    const snippetText = await page.textContent('[data-test=snippet]');
    assert.match(snippetText, /data-survey="checkout-q4"/);
    assert.equal(await page.textContent('.field-error[data-path=id]'), '');
    // The new survey has no answers yet: the overview says what to do instead of drawing nothing.
    await page.goto(`${base}/dashboard/?survey=checkout-q4`);
    await page.waitForSelector('body[data-ready=overview] [data-test=empty]');
    assert.match(await page.textContent('[data-test=empty]'), /Widen the date range|first answers/);
    await shot(page, 'overview-empty-desktop', false);
    // The snippet as copied works on another site: a host page on its own origin with only
    // that line shows the widget, and an answer given there reaches this npsd.
    const site = await browser.newPage();
    await site.route('http://shop.example/**', (route) =>
      route.fulfill({ contentType: 'text/html', body: `<!doctype html><html><body><h1>Shop</h1>${snippetText}</body></html>` }));
    await site.goto('http://shop.example/checkout');
    await site.locator('[data-opennps] label.opt').nth(9).click({ timeout: 15000 });
    await site.locator('[data-opennps] textarea').waitFor();
    const answered = async () => {
      const r = await fetch(`${base}/v1/admin/surveys/checkout-q4/responses`, { headers: { Authorization: `Bearer ${ADMIN}` } });
      return (await r.json()).items ?? [];
    };
    let items = [];
    for (let i = 0; i < 50 && items.length === 0; i++) {
      items = await answered();
      if (!items.length) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(items.length, 1);
    assert.equal(items[0].score, 9);
    assert.equal(items[0].page, 'http://shop.example/checkout');
    await site.close();
    await page.close();
  });

  await check('editor: the survey form previews the real widget, live, in its languages, and never stores an answer', async () => {
    const page = await open('editor');
    // The preview sends nothing: no request to a responses endpoint, and the counts stay.
    const sent = [];
    page.on('request', (r) => { if (/\/v1\/surveys\/[^/]+\/responses/.test(r.url())) sent.push(`${r.method()} ${r.url()}`); });
    const before = (await admin('GET', '/v1/admin/surveys/acme-app/summary')).body.n;
    const widget = '[data-test=preview-stage] [data-opennps]';
    const legend = page.locator(`${widget} legend.q`);
    // A new survey: the built-in question before anything is typed; then an id the core refuses.
    await page.goto(`${base}/dashboard/?lang=en&view=surveys&survey=acme-app`);
    await page.waitForSelector('body[data-ready=surveys] [data-test=preview]');
    assert.equal(await page.textContent('[data-test=preview-note]'), 'Preview — answers are not saved');
    await legend.filter({ hasText: 'recommend' }).waitFor({ timeout: 15000 }); // the widget and the Wasm flow module load
    assert.equal(await page.textContent('[data-test=preview-errors]'), '');
    // A survey that names no locales is offered in every built-in language, as the core lists them.
    assert.deepEqual(await page.$$eval('[data-test=preview-lang] option', (os) => os.map((o) => o.value)),
      ['en', 'es', 'ru', 'zh-Hans', 'zh-Hant', 'pt', 'pt-PT', 'de', 'fr', 'ja', 'ar', 'he']);
    await page.fill('input[name=id]', 'Bad id!');
    await page.waitForFunction(() => /\bid: /.test(document.querySelector('[data-test=preview-errors]')?.textContent ?? ''));
    assert.equal(await page.locator(widget).count(), 0);
    // An existing survey, edited without saving.
    await page.goto(`${base}/dashboard/?lang=en&view=surveys&survey=acme-app&edit=acme-app`);
    await legend.waitFor({ timeout: 15000 });
    const def = {
      locales: ['en', 'ar'],
      question: { en: 'How likely are you to recommend Acme Checkout?', ar: 'ما مدى احتمال أن توصي بـ Acme لصديق؟' },
      followup: {
        detractor: {
          text: 'What went wrong at checkout?',
          questions: [{ id: 'area', type: 'single', text: 'Which part was it?', required: true,
            options: [{ id: 'pay', label: 'Payment' }, { id: 'ship', label: 'Shipping' }] }],
          thanks: 'Thanks, we will fix it.',
        },
      },
      theme: { position: 'bottom-right', category_colors: true },
    };
    await page.click('[data-test=mode-json]'); // the builder's JSON view (dashboard_builder.test.mjs drives its form)
    const edit = (d) => page.fill('textarea[name=definition]', JSON.stringify(d, null, 2));
    await edit(def);
    await page.waitForFunction((s) => document.querySelector('[data-test=preview-stage] [data-opennps]')?.shadowRoot
      .querySelector('legend.q')?.textContent === s, def.question.en);
    // Drawn inside the pane, not fixed to the corner of the dashboard, whatever the survey's position.
    const box = await page.locator(widget).boundingBox();
    const pane = await page.locator('[data-test=preview]').boundingBox();
    assert.ok(box.x >= pane.x && box.x + box.width <= pane.x + pane.width && box.y >= pane.y && box.y + box.height <= pane.y + pane.height,
      `widget ${JSON.stringify(box)} inside the pane ${JSON.stringify(pane)}`);
    assert.equal(await page.locator(widget).evaluate((el) => getComputedStyle(el).position), 'relative');
    // The preview leaves the focus where the editor types.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'definition');
    // Typing updates it (debounced).
    def.question.en = 'Would you recommend Acme Checkout to a colleague?';
    await edit(def);
    await legend.filter({ hasText: 'to a colleague' }).waitFor({ timeout: 3000 });
    // A 3 gives the detractor follow-up from the form; editing it keeps the preview on that step.
    await page.locator(`${widget} label.opt`).nth(3).click();
    const followup = page.locator(`${widget} label.q`);
    await followup.filter({ hasText: 'What went wrong at checkout?' }).waitFor({ timeout: 3000 });
    def.followup.detractor.text = 'What went wrong when you paid?';
    await edit(def);
    await followup.filter({ hasText: 'What went wrong when you paid?' }).waitFor({ timeout: 3000 });
    await page.locator(`${widget} textarea`).fill('The card form froze.');
    await shot(page, 'survey-preview-desktop');
    await page.locator(`${widget} .bar button.p`).click();
    await legend.filter({ hasText: 'Which part was it?' }).waitFor({ timeout: 3000 });
    await page.locator(`${widget} label.ch`).first().click();
    await page.locator(`${widget} .bar button.p`).click();
    await page.locator(`${widget} p.q`).filter({ hasText: 'Thanks, we will fix it.' }).waitFor({ timeout: 3000 });
    // The survey's languages; Arabic is right to left, on the same step.
    assert.deepEqual(await page.$$eval('[data-test=preview-lang] option', (os) => os.map((o) => o.value)), ['en', 'ar']);
    await page.selectOption('[data-test=preview-lang]', 'ar');
    await page.waitForFunction(() => document.querySelector('[data-test=preview-stage] [data-opennps]')?.shadowRoot
      .querySelector('.nps')?.getAttribute('dir') === 'rtl');
    assert.equal(await page.locator(`${widget} .nps`).getAttribute('lang'), 'ar');
    assert.equal(await page.locator(`${widget} p.q`).count(), 1, 'still on the thank-you step');
    // Restart: the question again, in Arabic.
    await page.click('[data-test=preview-restart]');
    await legend.filter({ hasText: def.question.ar }).waitFor({ timeout: 3000 });
    await shot(page, 'survey-preview-rtl-desktop', false);
    // Closing the preview survey says so and offers the restart.
    await page.locator(`${widget} button.x`).click();
    await page.waitForFunction(() => /Restart/.test(document.querySelector('[data-test=preview-status]')?.textContent ?? ''));
    assert.equal(await page.locator(widget).count(), 0);
    await page.click('[data-test=preview-restart]');
    await legend.waitFor({ timeout: 3000 });
    // An invalid definition: the core's errors, by path, instead of a stale widget.
    await edit({ ...def, question: { ...def.question, fr: 'Recommanderiez-vous Acme ?' }, theme: { accent: 'red' } });
    await page.waitForFunction(() => (document.querySelector('[data-test=preview-errors]')?.textContent ?? '').includes('question.fr'));
    assert.equal(await page.locator(widget).count(), 0);
    assert.match(await page.textContent('[data-test=preview-errors]'), /theme\.accent/);
    await shot(page, 'survey-preview-error-desktop', false);
    await page.fill('textarea[name=definition]', '{ "question": ');
    await page.waitForFunction(() => /JSON/.test(document.querySelector('[data-test=preview-errors]')?.textContent ?? ''));
    await edit(def);
    await legend.waitFor({ timeout: 3000 });
    assert.equal(await page.textContent('[data-test=preview-errors]'), '');
    await page.waitForTimeout(300);
    assert.deepEqual(sent, [], 'the preview sent nothing');
    assert.equal((await admin('GET', '/v1/admin/surveys/acme-app/summary')).body.n, before);
    await page.close();
  });

  await check('phone width: the survey form with its preview below it', async () => {
    const page = await open('editor', { width: 390, height: 844 });
    await page.goto(`${base}/dashboard/?lang=ru&view=surveys&survey=acme-app&edit=acme-app`);
    const widget = page.locator('[data-test=preview-stage] [data-opennps]');
    await widget.locator('legend.q').waitFor({ timeout: 15000 });
    const form = await page.locator('[data-test=survey-form]').boundingBox();
    const pane = await page.locator('[data-test=preview]').boundingBox();
    assert.ok(pane.y >= form.y + form.height, 'the preview is below the form');
    assert.ok(pane.x >= 0 && pane.x + pane.width <= 390, `the preview fits the width: ${JSON.stringify(pane)}`);
    const box = await widget.boundingBox();
    assert.ok(box.x >= pane.x && box.x + box.width <= pane.x + pane.width, 'the widget fits the pane');
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 390, 'no sideways scrolling');
    assert.equal(await page.textContent('[data-test=preview-note]'), 'Предпросмотр — ответы не сохраняются');
    await shot(page, 'survey-preview-phone-ru');
    await widget.locator('label.opt').nth(9).click();
    await widget.locator('textarea').waitFor();
    await page.locator('[data-test=preview]').screenshot({ path: join(artifacts, 'dashboard-survey-preview-pane-phone-ru.png') });
    await page.close();
  });

  await check('phone width: sign-in in Spanish', async () => {
    const page = await browser.newPage();
    await browser.clearCookies();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/dashboard/?lang=es`);
    await page.waitForSelector('[data-test=signin]');
    assert.equal(await page.textContent('[data-test=signin]'), 'Iniciar sesión');
    await shot(page, 'signin-phone-es', false);
    await page.close();
  });

  await check('phone width: overview and follow-up list, in Chinese and Russian', async () => {
    const phone = { width: 390, height: 844 };
    const page = await open('analyst', phone);
    await page.goto(`${base}/dashboard/?lang=zh-Hans&survey=acme-app`);
    await page.waitForSelector('body[data-ready=overview] [data-test=nps]');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    await shot(page, 'overview-phone-zh');
    await page.goto(`${base}/dashboard/?lang=ru&view=followup&survey=acme-app`);
    await page.waitForSelector('[data-test=followups]');
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    await shot(page, 'followup-phone-ru', false); // the list is long: the first screen
    await page.close();
  });

  // Every page in each of the ten languages, at desktop and phone widths: the page's lang
  // and direction, no sideways scrolling, nothing sticking out of the window; a screenshot
  // of each (tests/artifacts/dashboard-<lang>-<page>-<width>.png).
  const TEN = ['en', 'es', 'ru', 'zh-Hans', 'pt', 'de', 'fr', 'ja', 'ar', 'he'];
  const pages = {
    overview: '', responses: '&view=responses', followup: '&view=followup', promoters: '&view=promoters',
    surveys: '&view=surveys&edit=acme-app', tokens: '&view=tokens', users: '&view=users',
  };
  for (const [width, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    await check(`every page in all ten languages at ${width} width: its language, its direction, nothing off the page`, async () => {
      const page = await open('admin', viewport);
      for (const l of TEN) {
        for (const [name, query] of Object.entries(pages)) {
          await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app${query}`);
          await page.waitForSelector(`body[data-ready=${name}]`);
          if (name === 'overview') await page.waitForSelector('[data-test=breakdown-channel]');
          if (name === 'surveys') {
            // The survey editor's preview: the real widget, in the same language.
            await page.waitForSelector('[data-test=preview-stage] [data-opennps] legend.q', { timeout: 15000 });
            await page.selectOption('[data-test=preview-lang]', l);
            await page.waitForSelector(`[data-test=preview-stage] [data-opennps] .nps[lang="${l}"] legend.q`, { timeout: 15000 });
          }
          assert.equal(await page.getAttribute('html', 'lang'), l, `${l} ${name}`);
          assert.equal(await page.getAttribute('html', 'dir'), l === 'ar' || l === 'he' ? 'rtl' : 'ltr', `${l} ${name}`);
          const off = await page.evaluate(() => {
            const w = document.documentElement.clientWidth;
            const out = [];
            if (document.documentElement.scrollWidth > w) out.push(`page ${document.documentElement.scrollWidth} > ${w}`);
            // Text outside the window, unless inside a box that scrolls sideways on purpose.
            for (const el of document.querySelectorAll('header *, main h1, main h2, main label, main button, main figcaption, main p, main .kpi *')) {
              if (el.closest('.scroll, .snippet, nav, [data-test=preview-stage]')) continue;
              const r = el.getBoundingClientRect();
              if (r.width && (r.left < -1 || r.right > w + 1)) out.push(`${el.tagName}.${el.className} "${el.textContent.slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)}`);
            }
            return out.slice(0, 5);
          });
          assert.deepEqual(off, [], `${l} ${name} ${width}`);
          if (l === 'ar' || l === 'he') {
            // Right to left: the brand at the right edge; a range of numbers still reads
            // "14 … 20", low on the left.
            const brand = await page.locator('.brand').boundingBox();
            assert.ok(brand.x > viewport.width / 2, `${l} ${name}: the brand on the right (${brand.x})`);
            if (name === 'overview') {
              const [low, high] = await page.evaluate(() => {
                const text = document.querySelector('[data-test=ci]').firstChild;
                const [, a, b] = text.data.match(/(-?\d+) … (-?\d+)/);
                const x = (s, from) => { const i = text.data.indexOf(s, from); const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + s.length); return r.getBoundingClientRect().x; };
                const at = text.data.indexOf(`${a} … ${b}`);
                return [x(a, at), x(b, at + a.length + 3)];
              });
              assert.ok(low < high, `${l}: the confidence interval reads low to high, left to right (${low}, ${high})`);
            }
          }
          await page.screenshot({ path: join(artifacts, `dashboard-${l}-${name}-${width}.png`), fullPage: width === 'desktop' && name === 'overview' });
        }
      }
      await page.close();
    });
  }

  await check('the language comes from the core\'s negotiation: Traditional Chinese never gets Simplified', async () => {
    const page = await open('editor');
    for (const [asked, got] of [['zh-TW', 'en'], ['zh-HK', 'en'], ['zh-Hant', 'en'], ['es-MX', 'es'], ['es-419', 'es'], ['pt-PT', 'pt'], ['iw', 'he'], ['zh-CN', 'zh-Hans']]) {
      await page.goto(`${base}/dashboard/?lang=${asked}&survey=acme-app`);
      await page.waitForSelector('body[data-ready=overview] [data-test=nps]');
      assert.equal(await page.getAttribute('html', 'lang'), got, `?lang=${asked}`);
    }
    // The widget in the two variants the dashboard has no texts of its own for.
    await page.goto(`${base}/dashboard/?lang=en&view=surveys&survey=acme-app&edit=acme-app`);
    for (const [l, question] of [['zh-Hant', /推薦/], ['pt-PT', /Qual é a probabilidade/]]) {
      await page.waitForSelector('[data-test=preview-stage] [data-opennps] legend.q', { timeout: 15000 });
      await page.selectOption('[data-test=preview-lang]', l);
      const q = page.locator(`[data-test=preview-stage] [data-opennps] .nps[lang="${l}"] legend.q`);
      await q.waitFor({ timeout: 15000 });
      assert.match(await q.textContent(), question);
      await page.locator('[data-test=preview]').screenshot({ path: join(artifacts, `dashboard-widget-${l}.png`) });
    }
    // No ?lang=: the browser's languages in order (zh-HK is not offered; Russian is).
    await page.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['zh-HK', 'ru-RU', 'en'] }));
    await page.goto(`${base}/dashboard/?survey=acme-app`);
    await page.waitForSelector('body[data-ready=overview] [data-test=nps]');
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    // Counts with the Russian plural, numbers the Russian way.
    assert.match(await page.textContent('[data-test=n]'), /^\d\u00a0\d{3} ответ(а|ов)?$/);
    assert.match(await page.textContent('[data-test=ci]'), /^ДИ 95%: /);
    assert.match(await page.textContent('[data-test=breakdown-channel]'), /p = 0,\d{3}|p < 0,001/);
    await page.close();
  });
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(profile, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
}
console.log(failures ? `${failures} failed` : 'all passed');
process.exit(failures ? 1 : 0);
