// Issue 15, the dashboard's part: the Webhooks page (administrators). Against a real npsd
// (demo data; loopback receivers allowed with NPSD_WEBHOOKS_ALLOW_PRIVATE, the retry schedule
// run 100,000 times faster with --webhooks-time-scale, TESTS ONLY) and a receiver on loopback
// (a Node http server whose answer the test chooses), in Debian's chromium: an endpoint added
// through the page is listed with its filters and its whsec_ secret is shown once; a receiver
// answering 500 makes the deliveries fail and the page shows them failed with the error, by
// itself; once the receiver answers 200, Replay delivers the same event (same webhook-id) and
// the page says so; a receiver answering 410 leaves its endpoint disabled with the reason;
// rotating shows the new secret; deleting asks first; viewers and analysts are not offered
// the page; the weekly digest (digest.weekly) is offered to Standard Webhooks and e-mail
// endpoints only. axe-core, no sideways scrolling, cards on a phone, screenshots in en, ru and ar.
//   node tests/web/dashboard_webhooks.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, finish, start, DESKTOP, PHONE } from './dashboard_env.mjs';

// The official Standard Webhooks library (web/node_modules), as a receiver checks a delivery.
const { Webhook } = createRequire(join(dirname(fileURLToPath(import.meta.url)), '../../web/package.json'))('standardwebhooks');

// ---- the receiver: /hooks answers `status`, /gone always 410 -----------------------------------
let status = 500;
const received = []; // { path, id, body, headers }
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received.push({ path: req.url, id: req.headers['webhook-id'], body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
    res.writeHead(req.url === '/gone' ? 410 : status).end();
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const HOOK = `http://127.0.0.1:${receiver.address().port}/hooks`;
const GONE = `http://127.0.0.1:${receiver.address().port}/gone`;

const env = await start({ count: 200, env: { NPSD_WEBHOOKS_ALLOW_PRIVATE: '1' },
  args: ['--webhooks-time-scale', '0.00001', '--webhooks-timeout-ms', '2000'] });
const { base, admin, open, shot, axe, noSideways, answer } = env;
const webhooksPage = (role = 'admin', extra = {}) => open(role, { query: '&view=webhooks', ready: 'webhooks', ...extra });
const rowOf = (page, url) => page.locator('[data-test=webhooks] tbody tr', { hasText: url });
const waitFor = async (f, ms, what) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await f()) return;
  throw new Error(`timed out: ${what}`);
};
let hookId = null, shownSecret = null, rotatedSecret = null;
// Whether a delivery is signed with `secret`, as a receiver checks it (the official library).
const signedWith = (delivery, secret) => {
  try {
    new Webhook(secret).verify(delivery.body, delivery.headers);
    return true;
  } catch {
    return false;
  }
};

try {
  await check('an endpoint added through the page is listed with its filters; its secret is shown once', async () => {
    const page = await webhooksPage();
    // No endpoint yet: the page says what webhooks are for, and the form is open.
    assert.match(await page.textContent('[data-test=empty]'), /No webhook endpoint yet/);
    assert.ok(await page.locator('[data-test=wh-form]').isVisible());
    // A refusal is shown beside the field it names.
    await page.fill('[data-test=wh-url]', 'ftp://example.com/x');
    await page.click('[data-test=wh-add]');
    await page.waitForFunction(() => document.querySelector('#wh-err-url')?.textContent.trim());
    assert.equal((await admin('GET', '/v1/admin/webhooks')).body.items.length, 0);

    await page.fill('[data-test=wh-url]', HOOK);
    await page.fill('[data-test=wh-description]', 'CRM: detractors of the app');
    await page.check('[data-test=wh-events-response-created]');
    await page.selectOption('[data-test=wh-survey]', 'acme-app');
    await page.check('[data-test=wh-categories-detractor]');
    await page.click('[data-test=wh-add]');
    await page.waitForSelector('body[data-ready=webhooks] [data-test=wh-secret-value]');
    const secret = await page.textContent('[data-test=wh-secret-value]');
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{40,}={0,2}$/);
    assert.match(await page.textContent('[data-test=wh-secret]'), new RegExp(`shown only now.*${HOOK.replace(/[.]/g, '\\.')}`));

    const [made] = (await admin('GET', '/v1/admin/webhooks')).body.items;
    hookId = made.id;
    assert.deepEqual([made.url, made.kind, made.survey_id, made.categories, made.event_types, made.enabled],
      [HOOK, 'standard', 'acme-app', ['detractor'], ['response.created'], true]);
    shownSecret = secret; // the endpoint's: its deliveries are checked with it below
    const one = await admin('GET', `/v1/admin/webhooks/${made.id}`);
    assert.equal(one.body.url, HOOK);
    assert.ok(!one.text.includes(secret), 'shown once: the API does not give it back either');
    const row = rowOf(page, HOOK);
    const cells = await row.locator('td').allTextContents();
    assert.match(cells[0], /CRM: detractors of the app/);
    assert.equal(cells[1], 'Standard Webhooks (signed JSON, any receiver)');
    assert.equal(cells[2], 'New answer');
    assert.match(cells[3], /Survey: Acme app \(demo data\)/);
    assert.match(cells[3], /Categories: detractor/);
    assert.equal(await row.locator('[data-test=wh-state]').textContent(), 'enabled');
    await axe(page, 'the webhooks page with a new secret');
    await shot(page, 'webhooks-secret-en-desktop', true);

    // Once: drawn again (a reload, or another page and back), the page has no secret.
    await page.reload();
    await page.waitForSelector('body[data-ready=webhooks] [data-test=webhooks]');
    assert.equal(await page.locator('[data-test=wh-secret]').count(), 0);
    assert.ok(!(await page.content()).includes(secret), 'the secret is nowhere in the page');
    await page.close();
  });

  await check('the weekly digest is offered for Standard Webhooks and e-mail, not for Slack; a standard endpoint takes it and the list says so', async () => {
    const DIGEST = `http://127.0.0.1:${receiver.address().port}/digest`;
    const page = await webhooksPage();
    await page.click('[data-test=new-webhook] > summary');
    const digest = page.locator('[data-test=wh-events-digest-weekly]');
    await page.selectOption('[data-test=wh-kind]', 'slack');
    assert.equal(await digest.isVisible(), false, 'Slack: no digest');
    assert.ok(await page.locator('[data-test=wh-no-digest]').isVisible(), 'Slack: the page says where the digest goes');
    await page.selectOption('[data-test=wh-kind]', 'email');
    assert.ok(await digest.isVisible(), 'e-mail: the digest');
    assert.equal(await page.locator('[data-test=wh-events-follow_up-changed]').isVisible(), false, 'e-mail: only what it takes');
    assert.equal(await page.textContent('#wh-events-help'), 'None ticked: new answers only.');
    await page.selectOption('[data-test=wh-kind]', 'standard');
    assert.ok(await digest.isVisible(), 'standard: the digest');
    assert.equal(await page.locator('[data-test=wh-no-digest]').isVisible(), false);
    assert.equal((await page.textContent('label[for=wh-events-digest-weekly]')).trim(), 'Weekly digest (NPS of the week, its change, new detractor comments)');
    // Ticked, then Teams chosen: hidden there and unticked, so it is never sent unseen.
    await digest.check();
    await page.selectOption('[data-test=wh-kind]', 'teams');
    await page.selectOption('[data-test=wh-kind]', 'standard');
    assert.equal(await digest.isChecked(), false, 'hidden, it is unticked');
    await digest.check();
    await page.fill('[data-test=wh-url]', DIGEST);
    await page.click('[data-test=wh-add]');
    await page.waitForSelector('body[data-ready=webhooks] [data-test=wh-secret-value]');
    const made = (await admin('GET', '/v1/admin/webhooks')).body.items.find((e) => e.url === DIGEST);
    assert.deepEqual([made.kind, made.event_types], ['standard', ['digest.weekly']]);
    assert.equal(await rowOf(page, DIGEST).locator('td').nth(2).textContent(), 'Weekly digest (NPS of the week, its change, new detractor comments)');
    await shot(page, 'webhooks-digest-en-desktop', true);
    await page.close();
    assert.equal((await admin('DELETE', `/v1/admin/webhooks/${made.id}`)).status, 200);
  });

  await check('a receiver answering 500: the page shows the deliveries failing, then failed with the error, by itself', async () => {
    assert.ok(hookId, 'the endpoint of the first check');
    status = 500;
    // A detractor (the endpoint takes it) and a promoter (filtered out: never sent).
    assert.equal((await answer({ score: 3, idempotency_key: 'wh-detractor', channel: 'web' })).status, 201);
    assert.equal((await answer({ score: 10, idempotency_key: 'wh-promoter', channel: 'web' })).status, 201);
    const page = await webhooksPage('admin', { query: `&view=webhooks&item=${hookId}` });
    await page.waitForSelector('[data-test=wh-deliveries-of]');
    // The list refreshes itself while deliveries wait: the delivery ends failed after 10 attempts.
    await page.waitForSelector('[data-test=wh-deliveries] tr[data-status=failed]', { timeout: 60000 });
    const row = page.locator('[data-test=wh-deliveries] tr[data-status=failed]');
    assert.equal(await row.count(), 1, 'only the detractor is delivered to this endpoint');
    assert.equal(await row.locator('[data-test=wh-event]').textContent(), 'New answer');
    assert.equal(await row.locator('[data-test=wh-status]').textContent(), 'failed');
    assert.equal(await row.locator('[data-test=wh-attempts]').textContent(), '10');
    assert.equal(await row.locator('[data-test=wh-last]').textContent(), 'HTTP 500');
    assert.ok(await row.locator('[data-test=wh-replay]').isVisible());
    const hooks = received.filter((r) => r.path === '/hooks');
    assert.equal(hooks.length, 10);
    assert.equal(new Set(hooks.map((r) => r.id)).size, 1, 'one event, the same webhook-id on every attempt');
    assert.equal(JSON.parse(hooks[0].body).data.score, 3);
    assert.ok(signedWith(hooks[0], shownSecret), 'signed with the secret the page showed');

    // Drawn again, the list marks the endpoint, and its link shows only the failed ones.
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=webhooks`);
    await page.waitForSelector('body[data-ready=webhooks] [data-test=wh-failing]');
    await page.click('[data-test=wh-failing]');
    await page.waitForSelector('[data-test=wh-deliveries] tr[data-status=failed]');
    assert.equal(await page.inputValue('[data-test=wh-dstatus]'), 'failed');
    await page.selectOption('[data-test=wh-dstatus]', 'delivered');
    await page.waitForSelector('[data-test=wh-deliveries-of] [data-test=empty]');
    await page.selectOption('[data-test=wh-dstatus]', '');
    await page.waitForSelector('[data-test=wh-deliveries] tr[data-status=failed]');
    await axe(page, 'the deliveries of an endpoint');
    await shot(page, 'webhooks-failed-en-desktop', true);
    await page.close();
  });

  await check('after the receiver is fixed, Replay delivers the same event and the page shows it delivered', async () => {
    status = 200;
    const before = received.length;
    const page = await webhooksPage('admin', { query: `&view=webhooks&item=${hookId}&dstatus=failed` });
    const row = page.locator('[data-test=wh-deliveries] tr[data-status=failed]');
    await row.locator('[data-test=wh-replay]').click();
    await page.waitForFunction(() => document.querySelector('[data-test=wh-replay-result]')?.textContent === 'Delivered.', null, { timeout: 30000 });
    // Still in sight under the "failed" filter, now delivered.
    const done = page.locator('[data-test=wh-deliveries] tr[data-status=delivered]');
    await done.waitFor();
    assert.equal(await done.locator('[data-test=wh-status]').textContent(), 'delivered');
    assert.equal(await done.locator('[data-test=wh-last]').textContent(), 'HTTP 200');
    assert.equal(await done.locator('[data-test=wh-replay]').count(), 0, 'nothing left to replay');
    const after = received.slice(before);
    assert.equal(after.length, 1);
    assert.equal(after[0].id, received[0].id, 'the replay carries the same webhook-id');
    const { items } = (await admin('GET', `/v1/admin/webhooks/${hookId}/deliveries`)).body;
    assert.deepEqual(items.map((d) => d.status), ['delivered']);
    await shot(page, 'webhooks-replayed-en-desktop', true);
    await page.close();
  });

  await check('a receiver answering 410 leaves its endpoint disabled with the reason; Enable turns it on again', async () => {
    const made = await admin('POST', '/v1/admin/webhooks', { url: GONE, kind: 'standard' });
    assert.equal(made.status, 201, made.text);
    assert.equal((await answer({ score: 9, idempotency_key: 'wh-gone-answer', channel: 'web' })).status, 201);
    await waitFor(async () => !(await admin('GET', `/v1/admin/webhooks/${made.body.id}`)).body.enabled, 20000, 'the 410 to disable the endpoint');
    const page = await webhooksPage();
    const row = rowOf(page, GONE);
    assert.equal(await row.locator('[data-test=wh-state]').textContent(), 'disabled');
    assert.match(await row.locator('[data-test=wh-disabled-why]').textContent(), /410 Gone \(it asked to stop\)/);
    assert.equal(await row.locator('td').nth(2).textContent(), 'every event');
    assert.match(await row.locator('td').nth(3).textContent(), /Survey: every survey.*Categories: every category/);
    await row.locator('[data-test=wh-enable]').click();
    await page.waitForFunction((u) => [...document.querySelectorAll('[data-test=webhooks] tbody tr')]
      .find((tr) => tr.textContent.includes(u))?.querySelector('[data-test=wh-state]')?.textContent === 'enabled', GONE);
    assert.equal((await admin('GET', `/v1/admin/webhooks/${made.body.id}`)).body.enabled, true);
    // And Disable turns it off, by an administrator's hand.
    await rowOf(page, GONE).locator('[data-test=wh-disable]').click();
    await page.waitForFunction((u) => [...document.querySelectorAll('[data-test=webhooks] tbody tr')]
      .find((tr) => tr.textContent.includes(u))?.querySelector('[data-test=wh-disabled-why]')?.textContent.startsWith('Disabled by an administrator'), GONE);
    await page.close();
  });

  await check('rotating the secret asks first and shows the new one once; the old one signs for 24 hours', async () => {
    const page = await webhooksPage();
    const row = rowOf(page, HOOK);
    await row.locator('[data-test=wh-rotate]').click();
    assert.match(await row.textContent(), /the old one also signs for 24 hours/);
    assert.equal((await admin('GET', `/v1/admin/webhooks/${hookId}`)).body.previous_secret_until, null, 'nothing changes before the confirmation');
    await row.locator('[data-test=wh-rotate-confirm]').click();
    await page.waitForSelector('[data-test=wh-secret-value]');
    const now = await page.textContent('[data-test=wh-secret-value]');
    assert.match(now, /^whsec_[A-Za-z0-9+/]{40,}={0,2}$/);
    assert.notEqual(now, shownSecret);
    rotatedSecret = now; // the next delivery is checked with both
    const after = await admin('GET', `/v1/admin/webhooks/${hookId}`);
    assert.ok(after.body.previous_secret_until, 'the old secret signs until a time');
    assert.ok(!after.text.includes(now), 'the new secret is not given back either');
    assert.match(await page.textContent('[data-test=wh-secret]'), /^New signing secret/);
    assert.match(await rowOf(page, HOOK).textContent(), /The old secret also signs until/);
    await page.close();
  });

  await check('the page at desktop and phone widths in en, ru and ar: cards with their labels, nothing off the page', async () => {
    // One more failed delivery, so the list has a failed one (first, with Replay) and a delivered one.
    status = 500;
    assert.equal((await answer({ score: 2, idempotency_key: 'wh-second-detractor', channel: 'web' })).status, 201);
    await waitFor(async () => (await admin('GET', `/v1/admin/webhooks/${hookId}/deliveries?status=failed`)).body.items.length === 1, 30000, 'a second failed delivery');
    // Sent after the rotation: signed with the new secret and, for 24 hours, with the old one too.
    const last = received.filter((r) => r.path === '/hooks' && JSON.parse(r.body).data.score === 2).at(-1);
    assert.ok(signedWith(last, rotatedSecret), 'signed with the new secret');
    assert.ok(signedWith(last, shownSecret), 'and with the old one');
    assert.equal(last.headers['webhook-signature'].split(' ').length, 2);
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await webhooksPage('admin', { viewport });
      for (const l of ['en', 'ru', 'ar']) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=webhooks&item=${hookId}`);
        await page.waitForSelector('body[data-ready=webhooks] [data-test=wh-deliveries] tbody tr');
        assert.deepEqual(await page.$$eval('[data-test=wh-deliveries] tbody tr', (trs) => trs.map((tr) => tr.dataset.status)), ['failed', 'delivered'], 'failed first');
        // The form open, for an e-mail alert (its language shown).
        await page.click('[data-test=new-webhook] > summary');
        await page.selectOption('[data-test=wh-kind]', 'email');
        assert.ok(await page.locator('[data-test=wh-locale]').isVisible());
        assert.equal(await page.getAttribute('html', 'dir'), l === 'ar' ? 'rtl' : 'ltr');
        assert.equal(await page.textContent('header nav a[data-view=webhooks]'), { en: 'Webhooks', ru: 'Вебхуки', ar: 'خطافات الويب' }[l]);
        await noSideways(page, `${l} webhooks ${width}`);
        if (width === 'phone') {
          for (const table of ['webhooks', 'wh-deliveries']) {
            const card = await page.$eval(`[data-test=${table}] tbody tr`, (tr) => {
              const r = tr.getBoundingClientRect();
              return { display: getComputedStyle(tr).display, left: r.left, right: r.right,
                labels: [...tr.cells].map((td) => getComputedStyle(td, '::before').content) };
            });
            assert.equal(card.display, 'block', `${l} ${table}`);
            assert.ok(card.left >= 0 && card.right <= PHONE.width, `${l} ${table}: ${JSON.stringify(card)}`);
            assert.ok(card.labels.every((c) => c.length > 2 && c !== 'none'), `${l} ${table}: each cell has its column's name: ${card.labels}`);
          }
        }
        if (l !== 'en') await axe(page, `the webhooks page in ${l} (${width})`);
        await shot(page, `webhooks-${l}-${width}`, true);
      }
      await page.close();
    }
  });

  await check('deleting an endpoint asks first; confirmed, it is gone from the list and from npsd', async () => {
    const page = await webhooksPage();
    const row = rowOf(page, GONE);
    await row.locator('[data-test=delete]').click();
    assert.match(await row.locator('[role=alert]').textContent(), /^Delete http:\/\/127\.0\.0\.1:\d+\/gone\? This cannot be undone\.$/);
    assert.equal((await admin('GET', '/v1/admin/webhooks')).body.items.length, 2, 'nothing is deleted before the confirmation');
    await row.locator('button', { hasText: 'Cancel' }).click();
    assert.equal(await row.locator('[data-test=confirm-delete]').count(), 0);
    await row.locator('[data-test=delete]').click();
    await row.locator('[data-test=confirm-delete]').click();
    await page.waitForFunction((u) => ![...document.querySelectorAll('[data-test=webhooks] tbody tr')].some((tr) => tr.textContent.includes(u)), GONE);
    assert.deepEqual((await admin('GET', '/v1/admin/webhooks')).body.items.map((e) => e.url), [HOOK]);
    await page.close();
  });

  await check('a viewer and an analyst are not offered the Webhooks page, and a link to it says why', async () => {
    for (const role of ['viewer', 'analyst']) {
      const page = await open(role);
      const nav = await page.$$eval('header nav a', (as) => as.map((a) => a.dataset.view));
      assert.ok(!nav.includes('webhooks'), `${role}: ${nav.join()}`);
      await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=webhooks`);
      await page.waitForSelector('body[data-ready=overview] [data-test=refused]');
      assert.match(await page.textContent('[data-test=refused]'), /Webhooks/);
      assert.ok(!(await page.content()).includes(HOOK), `${role}: no endpoint in the page`);
      assert.equal(await page.evaluate(() => fetch('/v1/admin/webhooks').then((r) => r.status)), 403, role);
      await page.close();
    }
    const page = await open('admin');
    assert.ok((await page.$$eval('header nav a', (as) => as.map((a) => a.dataset.view))).includes('webhooks'));
    await page.close();
  });
} finally {
  await env.stop();
  receiver.close();
}
finish();
