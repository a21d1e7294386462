// Issue 14, the dashboard's part: contacts, campaigns with their funnel, and the e-mail
// preview. Against a real npsd (demo data) sending through a real SMTP server on loopback
// (Debian's python3-aiosmtpd, its Sink handler), in Debian's chromium: contacts imported from
// a CSV file appear with their e-mails for an analyst and never reach a viewer; a bad line is
// named by its number and nothing is imported; a campaign created from the form is listed and
// its "Sent" climbs to the number of contacts by itself; a refusal is shown beside its field;
// without a relay the page says so before the form; the preview shows the subject in every
// language asked, Arabic right to left. axe-core, no sideways scrolling, screenshots in five
// languages at two widths.
//   node tests/web/dashboard_campaigns.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { check, finish, freePort, start, FIVE, PHONE, DESKTOP } from './dashboard_env.mjs';

const smtpPort = await freePort();
const smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Sink'],
  { stdio: ['ignore', 'ignore', 'inherit'] });
const listening = () => new Promise((ok) => {
  const s = createConnection(smtpPort, '127.0.0.1', () => { s.destroy(); ok(true); });
  s.on('error', () => ok(false));
});
for (let i = 0; !(await listening()); i++) {
  if (i > 100) throw new Error('the SMTP server did not start');
  await new Promise((r) => setTimeout(r, 100));
}

const env = await start({ count: 500, env: { NPSD_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, NPSD_MAIL_FROM: 'nps@example.com' } });
const { base, admin, open, shot, axe, noSideways } = env;

// Five contacts in five languages, and one more to delete.
const PEOPLE = [['ana@example.com', 'Ana Pérez', 'es', 'pro'], ['ivan@example.com', 'Иван', 'ru', 'free'],
  ['li@example.com', '李雷', 'zh-Hans', 'pro'], ['sara@example.com', 'سارة', 'ar', 'free'], ['tom@example.com', 'Tom', 'en', 'pro']];
const csv = (rows) => `email,name,locale,plan\n${rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\n')}\n`;
const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const contactsPage = (role, extra = {}) => open(role, { query: '&view=contacts', ready: 'contacts', ...extra });
const shownEmails = (page) => page.$$eval('[data-test=contact-email]', (xs) => xs.map((x) => x.textContent));

try {
  await check('a bad CSV line is named by its number and nothing is imported', async () => {
    const page = await contactsPage('editor');
    const bad = csv(PEOPLE.slice(0, 2)) + '"not-an-address","Bad","en","pro"\n';
    await page.setInputFiles('[data-test=csv-file]', file('bad.csv', bad));
    await page.click('[data-test=import]');
    await page.waitForSelector('[data-test=import-errors]');
    const said = await page.textContent('[data-test=import-errors]');
    assert.match(said, /^Nothing was imported\./);
    assert.match(said, /Line 4, email: /, said);
    assert.equal((await admin('GET', '/v1/admin/contacts')).body.total, 0);
    assert.ok(await page.locator('[data-test=contacts-list] [data-test=empty]').isVisible());
    await page.close();
  });

  await check('contacts imported from a CSV file appear with their e-mails; an editor deletes one after confirming', async () => {
    const page = await contactsPage('editor');
    await page.setInputFiles('[data-test=csv-file]', file('contacts.csv', csv([...PEOPLE, ['gone@example.com', 'Gone', 'en', 'free']])));
    await page.click('[data-test=import]');
    await page.waitForSelector('[data-test=import-done]');
    assert.equal(await page.textContent('[data-test=import-done]'), 'Imported. 6 new contacts · 0 contacts updated');
    await page.waitForFunction(() => document.querySelector('[data-test=contacts-total]')?.textContent === '6 contacts');
    assert.deepEqual((await shownEmails(page)).sort(), [...PEOPLE.map((p) => p[0]), 'gone@example.com'].sort());
    const gone = page.locator('tr', { has: page.locator('[data-test=contact-email]', { hasText: 'gone@example.com' }) });
    await gone.locator('[data-test=delete]').click();
    await gone.locator('[data-test=confirm-delete]').click();
    await page.waitForFunction(() => document.querySelector('[data-test=contacts-total]')?.textContent === '5 contacts');
    assert.equal((await admin('GET', '/v1/admin/contacts')).body.total, 5);
    await axe(page, 'the contacts page (editor)');
    await page.close();
  });

  await check('an analyst sees the contacts\' e-mails but cannot import or delete; a viewer is not offered the page', async () => {
    const page = await contactsPage('analyst');
    assert.deepEqual((await shownEmails(page)).sort(), PEOPLE.map((p) => p[0]).sort());
    assert.equal(await page.locator('[data-test=import-form]').count(), 0);
    assert.equal(await page.locator('[data-test=delete]').count(), 0);
    assert.ok(await page.locator('[data-test=suppressions]').isVisible());
    await axe(page, 'the contacts page (analyst)');
    await page.close();

    const viewer = await open('viewer');
    const nav = await viewer.$$eval('header nav a', (as) => as.map((a) => a.dataset.view));
    assert.ok(!nav.includes('contacts') && nav.includes('campaigns') && nav.includes('email-preview'), nav.join());
    await viewer.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=contacts`);
    await viewer.waitForSelector('body[data-ready=overview] [data-test=refused]');
    const html = await viewer.content();
    for (const [email, name] of PEOPLE) assert.ok(!html.includes(email) && !html.includes(name), email);
    // Nor does the API give a viewer what the page would hide.
    const listed = await viewer.evaluate(() => fetch('/v1/admin/contacts').then((r) => r.json()));
    assert.equal(listed.total, 5);
    assert.ok(listed.items.every((c) => !('email' in c) && !('name' in c)), JSON.stringify(listed.items[0]));
    await viewer.close();
  });

  await check('a refusal is shown beside the field it names (a segment attribute with a space)', async () => {
    const page = await open('editor', { query: '&view=campaigns', ready: 'campaigns' });
    // No campaign yet: the form is open.
    assert.ok(await page.locator('[data-test=campaign-form]').isVisible());
    await page.check('[data-test=c-audience-segment]');
    await page.fill('[data-test=c-segment-key]', 'plan tier');
    await page.fill('[data-test=c-segment-value]', 'pro');
    await page.click('[data-test=create-campaign]');
    await page.waitForFunction(() => document.querySelector('#err-segment')?.textContent.trim());
    assert.match(await page.textContent('#err-segment'), /A-Z a-z 0-9/);
    // Beside the field: in the segment's own box, and read with the field.
    assert.equal(await page.evaluate(() => document.querySelector('#err-segment').parentElement === document.querySelector('#c-segment-key').parentElement), true);
    assert.match(await page.getAttribute('#c-segment-key', 'aria-describedby'), /\berr-segment\b/);
    assert.equal((await page.textContent('[data-test=campaign-errors]')).trim(), '');
    // A bad line of an audience's CSV file: its number, beside the file.
    await page.check('[data-test=c-audience-csv]');
    await page.setInputFiles('[data-test=c-csv]', file('audience.csv', 'email,name\nana@example.com,Ana\nnobody-at-all,X\n'));
    await page.click('[data-test=create-campaign]');
    await page.waitForFunction(() => document.querySelector('#err-audience_csv')?.textContent.trim());
    assert.match(await page.textContent('#err-audience_csv'), /^Line 3, email: /);
    assert.equal(await page.textContent('#err-segment'), '', 'the segment\'s error is gone');
    // A moment in the past is refused in the page, beside the schedule.
    await page.check('[data-test=c-audience-all]');
    await page.check('[data-test=c-when-at]');
    await page.fill('[data-test=c-at]', '2020-01-01T09:00');
    await page.click('[data-test=create-campaign]');
    await page.waitForFunction(() => document.querySelector('#err-delay_minutes')?.textContent === 'Choose a time in the future.');
    assert.equal((await admin('GET', '/v1/admin/campaigns')).body.items.length, 0);
    await shot(page, 'campaigns-errors-en-desktop', true);
    await page.close();
  });

  await check('a campaign created from the form is listed and its "Sent" reaches the number of contacts by itself', async () => {
    const page = await open('editor', { query: '&view=campaigns', ready: 'campaigns' });
    assert.equal(await page.locator('[data-test=smtp-missing]').count(), 0);
    await page.fill('[data-test=c-name]', 'Autumn check-in');
    await page.fill('[data-test=c-reminder]', '3');
    await page.click('[data-test=create-campaign]');
    await page.waitForSelector('[data-test=campaign-done]:has-text("Autumn check-in")');
    const card = page.locator('[data-test=campaigns] > li', { hasText: 'Autumn check-in' });
    await card.waitFor();
    // The page fetches the list again while e-mails go out: no reload.
    await page.waitForFunction(() => [...document.querySelectorAll('[data-test=campaigns] > li')]
      .find((li) => li.textContent.includes('Autumn check-in'))?.querySelector('[data-test=f-sent] b')?.textContent === '5', null, { timeout: 30000 });
    const [made] = (await admin('GET', '/v1/admin/campaigns')).body.items;
    assert.equal(made.funnel.sent, 5);
    assert.equal(made.throttle_days, 90);
    for (const k of ['bounced', 'answered']) assert.equal(await card.locator(`[data-test=f-${k}] b`).textContent(), String(made.funnel[k]));
    // The figures npsd may add are drawn when it sends them.
    for (const [k, test] of [['clicked', 'clicked'], ['unsubscribed', 'unsubscribed']])
      if (typeof made.funnel[k] === 'number') assert.equal(await card.locator(`[data-test=f-${test}] b`).textContent(), String(made.funnel[k]));
    if ('response_rate' in made.funnel) assert.equal(await card.locator('[data-test=f-response-rate] b').textContent(), '0.0%');
    if ('reminder_days' in made) assert.equal(made.reminder_days, 3);
    await axe(page, 'the campaigns page (editor)');
    await page.close();
    // A viewer sees the list and the funnel, not the form.
    const viewer = await open('viewer', { query: '&view=campaigns', ready: 'campaigns' });
    assert.equal(await viewer.locator('[data-test=campaigns] [data-test=f-sent] b').textContent(), '5');
    assert.equal(await viewer.locator('[data-test=campaign-form]').count(), 0);
    await viewer.close();
  });

  await check('a suppressed contact is marked as such and listed with its reason', async () => {
    assert.equal((await admin('POST', '/v1/admin/suppressions', { email: 'sara@example.com', reason: 'unsubscribed' })).status, 201);
    const page = await contactsPage('analyst');
    const row = page.locator('tr', { has: page.locator('[data-test=contact-email]', { hasText: 'sara@example.com' }) });
    assert.equal(await row.locator('[data-test=suppressed]').textContent(), 'no: unsubscribed');
    assert.deepEqual(await page.$$eval('[data-test=suppressions] tbody tr', (trs) => trs.map((tr) => [...tr.cells].slice(0, 2).map((c) => c.textContent))),
      [['sara@example.com', 'unsubscribed']]);
    await page.close();
  });

  await check('the e-mail preview shows the subject in es, ru, zh-Hans and ar; the Arabic e-mail runs right to left', async () => {
    const page = await open('viewer', { query: '&view=email-preview&elang=en', ready: 'email-preview' });
    const offered = await page.$$eval('[data-test=email-lang] option', (os) => os.map((o) => o.value));
    for (const l of ['en', 'es', 'ru', 'zh-Hans', 'ar']) assert.ok(offered.includes(l), offered.join());
    for (const l of ['es', 'ru', 'zh-Hans', 'ar']) {
      const want = (await admin('GET', `/v1/admin/email-preview?survey_id=acme-app&lang=${l}`)).body;
      await page.selectOption('[data-test=email-lang]', l);
      await page.waitForSelector(`section.email-preview[data-shown="${l}"]`);
      assert.equal(await page.textContent('[data-test=email-subject]'), want.subject, l);
      assert.equal(await page.getAttribute('[data-test=email-subject]', 'dir'), l === 'ar' ? 'rtl' : 'ltr', l);
      assert.equal(await page.textContent('[data-test=email-text]'), want.text, l);
      // The HTML part itself, in its sandboxed frame (no script, no same origin).
      const frame = await (await page.$('[data-test=email-frame]')).contentFrame();
      await frame.waitForLoadState();
      const inside = await frame.evaluate(() => ({ dir: document.documentElement.dir || 'ltr', lang: document.documentElement.lang, title: document.title }));
      assert.equal(inside.dir, l === 'ar' ? 'rtl' : 'ltr', l);
      assert.equal(inside.title, want.subject, l);
      assert.equal(await page.getAttribute('[data-test=email-frame]', 'sandbox'), '');
    }
    // Phone width: the frame as wide as a phone.
    await page.click('[data-width=phone]');
    await page.waitForFunction(() => document.querySelector('[data-test=email-frame]').getBoundingClientRect().width <= 376);
    assert.equal(new URL(page.url()).searchParams.get('ewidth'), 'phone');
    await shot(page, 'email-preview-ar-at-phone-width-desktop', true);
    await axe(page, 'the e-mail preview');
    await page.close();
  });

  await check('the three pages at desktop and phone widths in five languages: nothing off the page', async () => {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('editor', { viewport });
      for (const l of FIVE) {
        for (const [view, what] of [['contacts', '[data-test=contacts]'], ['campaigns', '[data-test=campaigns]'], ['email-preview', `section.email-preview[data-shown="${l}"]`]]) {
          await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=${view}`);
          await page.waitForSelector(`body[data-ready=${view}] ${what}`);
          if (view === 'campaigns') await page.click('[data-test=new-campaign] > summary');
          assert.equal(await page.getAttribute('html', 'dir'), l === 'ar' ? 'rtl' : 'ltr');
          await noSideways(page, `${l} ${view} ${width}`);
          await shot(page, `${view}-${l}-${width}`, width === 'desktop' || view === 'campaigns');
        }
      }
      await page.close();
    }
  });

  await check('without an SMTP relay the campaigns page says so before the form, and a refusal says why', async () => {
    const bare = await start({ count: 50 });
    try {
      const page = await bare.open('editor', { query: '&view=campaigns', ready: 'campaigns' });
      const warn = page.locator('[data-test=smtp-missing]');
      const listed = (await bare.admin('GET', '/v1/admin/campaigns')).body;
      if ('smtp_configured' in listed) {
        assert.match(await warn.textContent(), /no SMTP relay/);
        const [w, f] = await Promise.all([warn.boundingBox(), page.locator('[data-test=campaign-form]').boundingBox()]);
        assert.ok(w.y < f.y, 'the warning comes before the form');
      }
      await page.click('[data-test=create-campaign]');
      await page.waitForSelector('[data-test=smtp-error]');
      assert.match(await page.textContent('[data-test=smtp-error]'), /NPSD_SMTP_URL and NPSD_MAIL_FROM/);
      await page.close();
    } finally {
      await bare.stop();
    }
  });
} finally {
  await env.stop();
  smtp.kill('SIGTERM');
}
finish();
