// Issue 19, item 1: the follow-up list a team works through every day. Against a real npsd
// with the demo data, in Debian's chromium: every open item reachable ("More", a total),
// assigning to a colleague, "Assign to me" gone once it is done, the answer's context on the
// item, and anonymous answers told apart from those one can call back. Issue 16: an English
// comment's tone (and "Score and words disagree") on the list and the item, none in Spanish;
// screenshots tests/artifacts/dashboard-followup-tone-{en,ar}-{desktop,phone}.png.
//   node tests/web/dashboard_followup.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, FIVE, PHONE, DESKTOP } from './dashboard_env.mjs';

const env = await start();
const { base, admin, open, shot, axe, noSideways, answer } = env;
const items = async (q) => (await admin('GET', `/v1/admin/surveys/acme-app/follow-ups?${q}`)).body;

try {
  await check('the open follow-up list says how many there are and "More" reaches past the first hundred', async () => {
    const all = await items('open=1&limit=500');
    const total = (await items('open=1&limit=1')).total;
    assert.ok(total > 100, `the demo data has more than 100 open items (${total})`);
    const page = await open('analyst', { query: '&view=followup', ready: 'followup' });
    assert.equal(await page.locator('[data-test=followups] > li').count(), 100);
    assert.equal(await page.textContent('[data-test=followup-total]'), `100 of ${total.toLocaleString('en')} items`);
    await page.click('[data-test=more]');
    const after = Math.min(200, total);
    await page.waitForFunction((n) => document.querySelectorAll('[data-test=followups] > li').length === n, after);
    assert.equal(await page.textContent('[data-test=followup-total]'), `${after} of ${total.toLocaleString('en')} items`);
    // The 101st item on the page is the API's 101st: nothing skipped, nothing twice.
    const hrefs = await page.$$eval('[data-test=followups] > li > a', (as) => as.map((a) => new URL(a.href).searchParams.get('item')));
    assert.deepEqual(hrefs, all.items.slice(0, after).map((f) => String(f.response.id)));
    await axe(page, 'the follow-up list');
    await page.close();
  });

  await check('an English detractor whose words praise is flagged on the list and its item ("Words: positive", "Score and words disagree"); a Spanish one shows no tone', async () => {
    const planted = {};
    for (const [key, body] of Object.entries({
      spanish: { score: 2, locale: 'es', comment: 'Gran producto, me encanta', respondent_id: 'tone-es@example.com' },
      praise: { score: 2, locale: 'en', comment: 'great product, love it', respondent_id: 'tone-en@example.com' },
    })) {
      const r = await answer({ ...body, channel: 'web', idempotency_key: `followup-tone-${key}` });
      assert.equal(r.status, 201);
      planted[key] = (await r.json()).id;
    }
    // What the API says: the English answer's words are positive and contradict its score; the Spanish one has none.
    const en = (await admin('GET', `/v1/admin/surveys/acme-app/follow-ups/${planted.praise}`)).body.response;
    assert.deepEqual([en.sentiment?.tone, en.sentiment?.disagrees], ['positive', true]);
    assert.equal((await admin('GET', `/v1/admin/surveys/acme-app/follow-ups/${planted.spanish}`)).body.response.sentiment, undefined);
    const page = await open('analyst', { query: '&view=followup', ready: 'followup' });
    for (const [l, width, viewport] of [['en', 'desktop', DESKTOP], ['en', 'phone', PHONE], ['ar', 'desktop', DESKTOP], ['ar', 'phone', PHONE]]) {
      await page.setViewportSize(viewport);
      await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=followup`);
      await page.waitForSelector('[data-test=followups]');
      const item = (id) => page.locator(`[data-test=followups] > li:has(> a[href$="item=${id}"])`);
      assert.equal(await item(planted.praise).count(), 1, `${l}: the planted item is on the list's first page`);
      const praise = item(planted.praise);
      assert.equal(await praise.locator('[data-test=tone]').getAttribute('data-tone'), 'positive');
      if (l === 'en') {
        assert.equal(await praise.locator('[data-test=tone]').textContent(), 'Words: positive');
        assert.equal(await praise.locator('[data-test=disagree]').textContent(), 'Score and words disagree');
        assert.match(await praise.locator('[data-test=tone]').getAttribute('title'), /Positive words: great, love/);
        assert.equal(await page.textContent('[data-test=tone-note]'), 'Tone from an English word list (AFINN); other languages get none.');
      }
      assert.equal(await praise.locator('[data-test=disagree]').count(), 1);
      assert.equal(await item(planted.spanish).locator('[data-test=tone], [data-test=disagree]').count(), 0, `${l}: no tone in Spanish`);
      assert.equal(await page.locator('[data-test=tone-note]').count(), 1, 'one line on where the tone comes from');
      // The badge: under the comment, outside the link and the comment's dir=auto, in the page's
      // direction (its start edge on the page's starting side, like the grey line), overlapping nothing.
      const box = await praise.evaluate((li) => {
        const rect = (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
        const tones = li.querySelector('.tones');
        return { dir: getComputedStyle(tones).direction, inLink: !!tones.closest('a'), inAuto: !!tones.closest('[dir=auto]'),
          tones: rect(tones), badge: rect(tones.querySelector('[data-test=tone]')), flag: rect(tones.querySelector('[data-test=disagree]')),
          comment: rect(li.querySelector('.comment')), line: rect(li.querySelector('[data-test=item-line]')), li: rect(li) };
      });
      const what = `${l} ${width}: ${JSON.stringify(box)}`;
      assert.equal(box.dir, l === 'ar' ? 'rtl' : 'ltr', what);
      assert.ok(!box.inLink && !box.inAuto, what);
      assert.ok(box.badge.top >= box.comment.bottom - 1 && box.line.top >= box.tones.bottom - 1, `the badge between the comment and the grey line: ${what}`);
      assert.ok(l === 'ar' ? Math.abs(box.badge.right - box.line.right) < 2 && box.flag.right <= box.badge.left + 1
        : Math.abs(box.badge.left - box.line.left) < 2 && box.flag.left >= box.badge.right - 1, `the badge first on the page's side: ${what}`);
      assert.ok(box.tones.left >= box.li.left && box.tones.right <= box.li.right, what);
      await noSideways(page, `${l} follow-up list with tones ${width}`);
      if (l === 'en' && width === 'desktop') await axe(page, 'the follow-up list with tones');
      await shot(page, `followup-tone-${l}-${width}`);
    }
    // The item: the tone, the flag, the scored words written out, the line on where it comes from.
    await page.setViewportSize(DESKTOP);
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=followup&item=${planted.praise}`);
    await page.waitForSelector('[data-test=followup-item]');
    assert.equal(await page.textContent('[data-test=sentiment] [data-test=tone]'), 'Words: positive');
    assert.equal(await page.textContent('[data-test=sentiment] [data-test=disagree]'), 'Score and words disagree');
    assert.match(await page.textContent('[data-test=tone-words]'), /^Positive words: great, love$/);
    assert.equal(await page.locator('[data-test=tone-note]').count(), 1);
    assert.equal(await page.$eval('[data-test=sentiment] .tones', (e) => !!e.closest('[dir=auto]')), false);
    await axe(page, 'a follow-up item with its tone');
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=followup&item=${planted.spanish}`);
    await page.waitForSelector('[data-test=followup-item]');
    assert.equal(await page.textContent('[data-test=comment]'), 'Gran producto, me encanta');
    assert.equal(await page.locator('[data-test=sentiment], [data-test=tone], [data-test=disagree], [data-test=tone-note]').count(), 0, 'Spanish: no tone');
    await page.close();
  });

  await check('an item shows plan, page, device and language; an analyst assigns it to a colleague, then to themselves', async () => {
    const all = (await items('open=1&limit=500')).items;
    const f = all.find((x) => x.response.respondent_id && x.response.attributes?.plan && x.response.page && x.response.device && !x.assignee);
    assert.ok(f, 'an open item with a respondent, a plan, a page and a device');
    const r = f.response;
    const page = await open('analyst', { query: `&view=followup&item=${r.id}`, ready: 'followup' });
    await page.waitForSelector('[data-test=followup-item]');
    assert.equal(await page.textContent('[data-test=attr-plan]'), r.attributes.plan);
    assert.equal(await page.textContent('[data-test=fact-page]'), r.page);
    assert.equal(await page.textContent('[data-test=fact-device]'), r.device);
    assert.equal(await page.textContent('[data-test=fact-locale]'), r.locale);
    assert.equal(await page.textContent('[data-test=respondent]'), r.respondent_id);
    // The picker is labelled and lists every colleague.
    const label = await page.evaluate(() => document.querySelector('[data-test=assignee]').labels[0]?.textContent);
    assert.equal(label, 'Assignee');
    const offered = await page.$$eval('[data-test=assignee] option', (os) => os.map((o) => o.textContent));
    for (const who of ['viewer', 'analyst', 'editor', 'admin']) assert.ok(offered.includes(`${who}@example.com`), offered.join());
    // The choice is saved before the check (the picker shows it at once, before the server has it).
    await Promise.all([page.waitForResponse((x) => x.request().method() === 'PATCH' && x.url().endsWith(`/follow-ups/${r.id}`)),
      page.selectOption('[data-test=assignee]', { label: 'editor@example.com' })]);
    await page.waitForFunction(() => document.querySelector('[data-test=assignee] option:checked')?.textContent === 'editor@example.com'
      && document.querySelector('[data-test=assign-me]'));
    assert.equal((await admin('GET', `/v1/admin/surveys/acme-app/follow-ups/${r.id}`)).body.assignee.email, 'editor@example.com');
    await axe(page, 'a follow-up item');
    await shot(page, 'followup-assigned-desktop', true);
    // "Assign to me" while it is someone else's; gone once it is mine.
    await page.click('[data-test=assign-me]');
    await page.waitForFunction(() => !document.querySelector('[data-test=assign-me]')
      && document.querySelector('[data-test=assignee] option:checked')?.textContent === 'analyst@example.com');
    assert.equal((await admin('GET', `/v1/admin/surveys/acme-app/follow-ups/${r.id}`)).body.assignee.email, 'analyst@example.com');
    // It is now in "Mine".
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=followup&scope=mine`);
    await page.waitForSelector('[data-test=followups]');
    assert.ok((await page.$$eval('[data-test=followups] > li > a', (as) => as.map((a) => a.href))).some((h) => h.endsWith(`item=${r.id}`)));
    await page.close();
  });

  await check('an anonymous answer says it cannot be contacted and offers a note and closing instead of "Mark as contacted"', async () => {
    const all = (await items('open=1&limit=500')).items;
    const anon = all.find((x) => !x.response.respondent_id && x.status === 'new');
    assert.ok(anon, 'an open anonymous item');
    const page = await open('analyst', { query: `&view=followup&item=${anon.response.id}`, ready: 'followup' });
    await page.waitForSelector('[data-test=followup-item]');
    assert.match(await page.textContent('[data-test=anonymous-note]'), /^Anonymous answer: you can't contact this person/);
    assert.equal(await page.locator('[data-test=contacted]').count(), 0, 'no "Mark as contacted" for an anonymous answer');
    assert.equal(await page.textContent('[data-test=resolve]'), 'Close');
    await page.fill('[data-test=note]', 'Shared with the checkout team.');
    await page.click('[data-test=resolve]');
    await page.waitForFunction(() => document.querySelector('[data-test=followup-item] [data-test=status]')?.textContent === 'resolved');
    const after = (await admin('GET', `/v1/admin/surveys/acme-app/follow-ups/${anon.response.id}`)).body;
    assert.equal(after.status, 'resolved');
    assert.equal(after.notes.at(-1).text, 'Shared with the checkout team.');
    assert.ok(await page.locator('[data-test=reopen]').isVisible());
    // The note's line "author · time: text" in Arabic on a phone: the e-mail, the time and the
    // text are each isolated (bdi or dir=auto), so the right-to-left line does not reorder them.
    await page.setViewportSize(PHONE);
    await page.goto(`${base}/dashboard/?lang=ar&survey=acme-app&view=followup&item=${anon.response.id}`);
    await page.waitForSelector('[data-test=notes] li');
    const line = await page.$eval('[data-test=notes] li:last-child', (li) => {
      const isolated = (text) => [...li.querySelectorAll('bdi, [dir=auto]')].some((e) => e.textContent.trim() === text);
      return { text: li.textContent, author: isolated('analyst@example.com'), note: isolated('Shared with the checkout team.'),
        isolated: [...li.querySelectorAll('bdi, [dir=auto]')].map((e) => e.textContent) };
    });
    assert.ok(line.author && line.note && line.isolated.length >= 3, `isolated parts of the note line: ${JSON.stringify(line)}`);
    await shot(page, 'followup-note-ar-phone', true);
    // The list's grey line (time · assignee · notes · plan): each part isolated the same way.
    await page.goto(`${base}/dashboard/?lang=ar&survey=acme-app&view=followup`);
    await page.waitForSelector('[data-test=followups] [data-test=item-line]');
    const parts = await page.$eval('[data-test=followups] [data-test=item-line]', (d) => ({
      text: d.textContent, bdi: [...d.querySelectorAll('bdi')].map((e) => e.textContent) }));
    assert.ok(parts.bdi.length >= 3 && parts.bdi.join(' · ') === parts.text.split(' · ').slice(0, parts.bdi.length).join(' · '),
      `isolated parts of the list's line: ${JSON.stringify(parts)}`);
    await page.setViewportSize(DESKTOP);
    // In the list, anonymous items are marked as such.
    await page.goto(`${base}/dashboard/?lang=en&survey=acme-app&view=followup`);
    await page.waitForSelector('[data-test=followups]');
    assert.ok(await page.locator('[data-test=followups] [data-test=anonymous]').count() > 0);
    await page.close();
  });

  await check('the follow-up list and an item at desktop and phone widths in five languages: nothing off the page', async () => {
    const f = (await items('open=1&limit=50')).items.find((x) => x.response.respondent_id);
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('analyst', { viewport });
      for (const l of FIVE) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=followup`);
        await page.waitForSelector('[data-test=followup-total]');
        await noSideways(page, `${l} follow-up list ${width}`);
        await shot(page, `followup-list-${l}-${width}`);
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=followup&item=${f.response.id}`);
        await page.waitForSelector('[data-test=followup-item]');
        await noSideways(page, `${l} follow-up item ${width}`);
        await shot(page, `followup-item-${l}-${width}`, true);
      }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
