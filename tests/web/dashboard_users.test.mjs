// Issue 19, item 11: users. Labelled fields, the password rule in plain words, the roles
// explained, a role change and a password reset by an administrator, Delete that asks first, a
// viewer sent to a page they may not see told why; and for the operator who lost the admin
// token, `npsd token create --role admin`, which works while npsd runs.
//   node tests/web/dashboard_users.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { check, finish, start, npsd, FIVE, PHONE, DESKTOP, PASSWORD } from './dashboard_env.mjs';

const env = await start({ count: 300 });
const { base, db, admin, open, shot, axe, noSideways, browser } = env;

// Signs in with e-mail and password through the API; the HTTP status.
const signIn = async (email, password) => (await fetch(`${base}/v1/auth/login`, { method: 'POST',
  headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }) })).status;

try {
  await check('every field of the user form has a label, the password rule is said in characters, the roles are explained', async () => {
    const page = await open('admin', { query: '&view=users', ready: 'users' });
    const unlabelled = await page.$$eval('main input, main select, main textarea', (els) =>
      els.filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, []);
    assert.equal(await page.evaluate(() => document.querySelector('#user-password').labels[0].textContent), 'Password');
    const rule = await page.evaluate(() => document.getElementById(document.querySelector('#user-password').getAttribute('aria-describedby')).textContent);
    assert.match(rule, /^Password: 10 to 200 characters\./);
    await page.click('[data-test=user-form] [data-test=roles-explained] summary');
    const roles = await page.textContent('[data-test=user-form] [data-test=roles-explained]');
    for (const said of ['viewer', 'no comments', 'analyst', 'follow-up', 'editor', 'creates and edits surveys', 'administrator', 'users and API tokens'])
      assert.ok(roles.includes(said), `${said} in ${roles}`);
    // A short password: the server's words, in characters (a 9-letter Cyrillic password is 18 bytes).
    await page.fill('#user-email', 'new.colleague@example.com');
    await page.fill('#user-password', 'пароль123');
    await page.evaluate(() => document.querySelector('#user-password').removeAttribute('minlength'));
    await page.click('[data-test=create-user]');
    await page.waitForFunction(() => /password: 10 to 200 characters/.test(document.querySelector('[data-test=user-error]').textContent));
    await page.fill('#user-password', 'пароль1234'); // 10 characters, 16 bytes: accepted
    await page.click('[data-test=create-user]');
    await page.waitForSelector('[data-user="new.colleague@example.com"]');
    await axe(page, 'the users page');
    await page.close();
  });

  await check('an administrator changes a role and it takes effect at once in the colleague\'s open session', async () => {
    // The colleague's session: signed in through the API, its cookie kept.
    const login = await fetch(`${base}/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'analyst@example.com', password: PASSWORD }) });
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const asColleague = async () => (await fetch(`${base}/v1/admin/surveys/acme-app/responses?limit=1`, { headers: { Cookie: cookie } })).status;
    assert.equal(await asColleague(), 200);
    const page = await open('admin', { query: '&view=users', ready: 'users' });
    const select = page.locator('[data-user="analyst@example.com"] select');
    assert.equal(await page.evaluate(() => document.querySelector('[data-user="analyst@example.com"] select').labels[0].textContent), 'Role of analyst@example.com');
    await select.selectOption('viewer');
    await page.waitForFunction(() => /analyst@example.com is now viewer/.test(document.querySelector('[data-test=user-done]').textContent));
    const users = (await admin('GET', '/v1/admin/users')).body.items;
    assert.equal(users.find((u) => u.email === 'analyst@example.com').role, 'viewer');
    assert.equal(await asColleague(), 403, 'the open session is a viewer now');
    await select.selectOption('analyst');
    await page.waitForFunction(() => /is now analyst/.test(document.querySelector('[data-test=user-done]').textContent));
    assert.equal(await asColleague(), 200);
    await page.close();
  });

  await check('an administrator resets a password: the old one stops working, the new one works', async () => {
    const page = await open('admin', { query: '&view=users', ready: 'users' });
    await page.click('[data-user="editor@example.com"] [data-test=reset-password]');
    assert.equal(await page.evaluate(() => document.querySelector('[data-user="editor@example.com"] [data-test=new-password]').labels[0].textContent), 'New password');
    await page.fill('[data-user="editor@example.com"] [data-test=new-password]', 'a brand new passphrase');
    await page.click('[data-user="editor@example.com"] [data-test=save-password]');
    await page.waitForSelector('[data-user="editor@example.com"] [data-test=reset-done]');
    assert.equal(await signIn('editor@example.com', PASSWORD), 401);
    assert.equal(await signIn('editor@example.com', 'a brand new passphrase'), 200);
    const r = await admin('PATCH', '/v1/admin/users/999999', { role: 'viewer' });
    assert.equal(r.status, 404);
    const bad = await admin('PATCH', `/v1/admin/users/${env.users.viewer}`, { role: 'boss', colour: 'red' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e) => e.path).sort(), ['colour', 'role']);
    await page.close();
  });

  await check('Delete asks first; Cancel keeps the user, Delete removes them', async () => {
    const page = await open('admin', { query: '&view=users', ready: 'users' });
    const row = '[data-user="new.colleague@example.com"]';
    await page.click(`${row} [data-test=delete]`);
    assert.match(await page.textContent(`${row} .confirm`), /Delete new\.colleague@example\.com\? This cannot be undone\./);
    await page.click(`${row} .confirm button.secondary`);
    assert.equal(await page.locator(`${row} [data-test=confirm-delete]`).count(), 0);
    assert.ok((await admin('GET', '/v1/admin/users')).body.items.some((u) => u.email === 'new.colleague@example.com'));
    await page.click(`${row} [data-test=delete]`);
    await shot(page, 'users-confirm-delete-desktop');
    await page.click(`${row} [data-test=confirm-delete]`);
    await page.waitForSelector(row, { state: 'detached' });
    assert.ok(!(await admin('GET', '/v1/admin/users')).body.items.some((u) => u.email === 'new.colleague@example.com'));
    // One's own row has no Delete.
    assert.equal(await page.locator('[data-user="admin@example.com"] [data-test=delete]').count(), 0);
    await page.close();
  });

  await check('a viewer sent to the follow-up page is told why they see the overview instead', async () => {
    const page = await open('viewer', { query: '&view=followup', ready: 'overview' });
    const said = await page.textContent('[data-test=refused]');
    assert.equal(said, 'The page “Follow-up” is for the analyst role and above; you are signed in as viewer. Here is the overview instead; an administrator can change your role.');
    await axe(page, 'the refused page notice');
    await shot(page, 'refused-viewer-desktop');
    await page.close();
  });

  await check('npsd token create --role admin prints a new token that works at once while npsd runs', async () => {
    const out = execFileSync(npsd, ['token', 'create', '--role', 'admin', '--name', 'recovery', '--db', db]).toString().trim();
    assert.match(out, /^npsd_[A-Za-z0-9_-]{43}$/);
    const r = await fetch(`${base}/v1/admin/users`, { headers: { Authorization: `Bearer ${out}` } });
    assert.equal(r.status, 200, 'the running server accepts the new token');
    const tokens = (await admin('GET', '/v1/admin/tokens')).body.items;
    assert.ok(tokens.some((t) => t.name === 'recovery' && t.role === 'admin'));
    // Refusals name what is wrong.
    for (const [args, said] of [[['token', 'create', '--db', db], /--role is required/], [['token', 'create', '--role', 'boss', '--db', db], /--role is admin, editor, analyst or viewer/],
      [['token', 'create', '--role', 'admin', '--db', '/nonexistent/npsd.sqlite3'], /no database at/], [['token', 'list'], /usage/]]) {
      const p = spawnSync(npsd, args);
      assert.notEqual(p.status, 0, args.join(' '));
      assert.match(p.stderr.toString(), said);
      assert.equal(p.stdout.toString(), '', 'nothing printed as a token');
    }
  });

  await check('the users and tokens pages at desktop and phone widths in five languages: rows as cards on a phone', async () => {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('admin', { viewport });
      for (const l of FIVE) {
        for (const view of ['users', 'tokens']) {
          await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=${view}`);
          await page.waitForSelector(`[data-test=${view}]`);
          await noSideways(page, `${l} ${view} ${width}`);
          if (width === 'phone') {
            const display = await page.$eval(`[data-test=${view}] tbody tr`, (tr) => getComputedStyle(tr).display);
            assert.equal(display, 'block', 'a row is a card');
          }
          await shot(page, `${view}-${l}-${width}`, true);
        }
      }
      if (width === 'phone') { await page.emulateMedia({ colorScheme: 'dark' }); await shot(page, 'tokens-ar-phone-dark', true); }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
