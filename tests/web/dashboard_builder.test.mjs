// Issue 19, item 3: the survey builder on the Surveys page (editors). Against a real npsd (demo
// data) in Debian's chromium: a survey made from each of the five templates through the
// builder is accepted by npsd and appears in the list, with the README's snippet and a Copy
// that says it copied; a Spanish text edited in the builder changes the preview, which follows
// the language being edited; the core's refusals (sampling 150 %, an extra question without a
// text) are shown beside their fields, which name them (aria-describedby); builder → JSON →
// builder keeps every edit, and invalid JSON is shown as an error and kept; a qualifying question
// added through the builder is refused beside its fields (none qualifying: qualify.accept), then
// saved with the option marked as qualifying, and the preview asks it first. axe-core in light
// and dark, nothing off the page, screenshots in en, es, ru, zh-Hans and ar at desktop and
// phone widths (tests/artifacts/dashboard-builder-<lang>-<width>.png).
//   node tests/web/dashboard_builder.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, finish, start, root, DESKTOP, PHONE, FIVE } from './dashboard_env.mjs';

const env = await start({ count: 200 });
const { base, admin, open, shot, axe, noSideways, browser } = env;
await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
const TEMPLATES = { relational: 'nps-relational', purchase: 'nps-purchase', support: 'nps-support', b2b: 'nps-b2b-quarterly', event: 'nps-in-app' };
const widget = '[data-test=preview-stage] [data-opennps]';
const surveys = (query = '', extra = {}) => open('editor', { query: `&view=surveys${query}`, ready: 'surveys', ...extra });
// The README's snippet (the stub and the tag), for this npsd and a survey.
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const readmeSnippet = readme.match(/<script>window\.nps=[^\n]*<\/script>\n<script async src="[^"]*\/nps\.js" data-survey="SURVEY_ID"><\/script>/)?.[0];
const snippetFor = (id) => readmeSnippet.replace(/https?:\/\/[^/"]+\/nps\.js/, `${base}/nps.js`).replace('SURVEY_ID', id);
// The field a control is, as a screen reader hears it: its label and the error line it names.
const described = (page, selector) => page.$eval(selector, (el) => {
  const err = document.getElementById(el.getAttribute('aria-describedby').split(' ')[0]);
  return { label: el.labels[0]?.textContent, error: err?.textContent ?? null, beside: !!err && err.closest('.b-field, .b-check') === el.closest('.b-field, .b-check') };
});

try {
  await check('a survey from each template: npsd accepts it, the list shows it, the snippet is the README\'s, Copy says it copied', async () => {
    assert.ok(readmeSnippet, 'the README has its snippet');
    const page = await surveys();
    for (const [key, id] of Object.entries(TEMPLATES)) {
      await page.click(`[data-test=template-${key}]`);
      assert.equal(await page.inputValue('input[name=id]'), id);
      assert.ok((await page.inputValue('input[name=name]')).length > 0, `${key}: a name`);
      assert.deepEqual(await page.$$eval('[data-test=b-languages] li span[lang]', (s) => s.map((x) => x.getAttribute('lang'))), ['en', 'es', 'ru', 'zh-Hans', 'ar']);
      await page.click('[data-test=save]');
      await page.waitForSelector('[data-test=saved] [data-test=snippet]');
      assert.equal(await page.textContent('[data-test=errors]'), '', `${key}: no error`);
      assert.equal(await page.textContent('[data-test=snippet]'), snippetFor(id));
      // The list on screen has it, without reloading the page.
      await page.waitForSelector(`[data-test=survey-list] li[data-survey="${id}"]`);
      const stored = await admin('GET', `/v1/admin/surveys/${id}`);
      assert.equal(stored.status, 200, `${key}: stored`);
      assert.deepEqual(stored.body.definition.locales, ['en', 'es', 'ru', 'zh-Hans', 'ar']);
      assert.equal(await page.textContent('h2'), `Edit: ${id}`, 'a second Save replaces it');
    }
    await page.click('[data-test=copy]');
    await page.waitForFunction(() => document.querySelector('[data-test=copy-status]')?.textContent === 'Copied.');
    assert.equal(await page.getAttribute('[data-test=copy-status]', 'aria-live'), 'polite');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), snippetFor(TEMPLATES.event));
    await shot(page, 'builder-saved-en-desktop');
    await page.close();
  });

  await check('a Spanish text edited in the builder changes the preview, which follows the language being edited', async () => {
    const page = await surveys(`&edit=${TEMPLATES.relational}`);
    await page.locator(`${widget} legend.q`).filter({ hasText: 'recommend us' }).waitFor({ timeout: 15000 });
    await page.click('[data-test=b-lang-es]');
    assert.equal(await page.getAttribute('[data-test=b-lang-es]', 'aria-pressed'), 'true');
    await page.locator(`${widget} .nps[lang="es"] legend.q`).filter({ hasText: '¿Qué probabilidad hay' }).waitFor({ timeout: 5000 });
    // The field says what the default language has.
    const hint = await page.$eval('[data-test=b-question]', (el) => document.getElementById(el.getAttribute('aria-describedby').split(' ')[1])?.textContent);
    assert.match(hint, /How likely are you to recommend us/);
    assert.equal(await page.getAttribute('[data-test=b-question]', 'lang'), 'es');
    await page.fill('[data-test=b-question]', '¿Nos recomendaría a un amigo o colega?');
    await page.locator(`${widget} legend.q`).filter({ hasText: '¿Nos recomendaría a un amigo o colega?' }).waitFor({ timeout: 3000 });
    await page.click('[data-test=b-lang-ar]');
    await page.waitForFunction(() => document.querySelector('[data-test=preview-stage] [data-opennps]')?.shadowRoot.querySelector('.nps')?.getAttribute('dir') === 'rtl');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=saved] [data-test=snippet]');
    assert.equal((await admin('GET', `/v1/admin/surveys/${TEMPLATES.relational}`)).body.definition.question.es, '¿Nos recomendaría a un amigo o colega?');
    await page.close();
  });

  await check('the core\'s refusals beside their fields: sampling 150 %, an extra question without a text', async () => {
    const page = await surveys(`&edit=${TEMPLATES.relational}`);
    await page.waitForSelector('[data-test=b-percent]');
    await page.fill('[data-test=b-percent]', '150');
    await page.click('[data-test=b-add-question-detractor]');
    await page.click('[data-test=save]');
    await page.waitForFunction(() => document.querySelector('[data-test=errors]')?.textContent.length > 0);
    const percent = await described(page, '[data-test=b-percent]');
    assert.equal(percent.label, 'Visitors asked (%)');
    assert.match(percent.error, /between 0 and 100/);
    assert.ok(percent.beside, 'the message is in the field\'s own block');
    const text = await described(page, '[data-test=b-q-text-detractor-0]');
    assert.equal(text.label, 'Question text');
    assert.match(text.error, /required/);
    assert.ok(text.beside);
    assert.equal(await page.$$eval('[data-test=errors] li[data-path]', (l) => l.length), 0, 'every message is beside its field');
    assert.equal((await admin('GET', `/v1/admin/surveys/${TEMPLATES.relational}`)).body.definition.sampling.percent, 20, 'nothing saved');
    await axe(page, 'the builder with errors');
    await shot(page, 'builder-errors-en-desktop', true);
    // Fixed, it saves, and the lines are empty again.
    await page.fill('[data-test=b-percent]', '25');
    await page.click('[data-test=b-remove-question-detractor-0]');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=saved] [data-test=snippet]');
    assert.equal((await described(page, '[data-test=b-percent]')).error, '');
    assert.equal((await admin('GET', `/v1/admin/surveys/${TEMPLATES.relational}`)).body.definition.sampling.percent, 25);
    await page.close();
  });

  await check('builder → JSON → builder keeps the edits; invalid JSON is shown as an error and kept', async () => {
    const page = await surveys(`&edit=${TEMPLATES.b2b}`);
    await page.waitForSelector('[data-test=b-percent]');
    await page.fill('[data-test=b-percent]', '40');
    await page.click('[data-test=mode-json]');
    assert.equal(await page.locator('[data-test=builder]').isVisible(), false);
    const json = JSON.parse(await page.inputValue('textarea[name=definition]'));
    assert.equal(json.sampling.percent, 40, 'the form\'s edit is in the JSON');
    assert.equal(json.followup.detractor.questions[1].condition.value, 5);
    json.question.ru = 'Порекомендуете ли вы нас коллеге?';
    json.followup.detractor.questions[1].condition.value = 4;
    json.sampling.percent = 35;
    const broken = '{ "question": ';
    await page.fill('textarea[name=definition]', broken);
    await page.click('[data-test=mode-form]');
    const box = await described(page, 'textarea[name=definition]');
    assert.match(box.error, /JSON/);
    assert.equal(await page.inputValue('textarea[name=definition]'), broken, 'the text typed is kept');
    assert.equal(await page.getAttribute('[data-test=mode-json]', 'aria-pressed'), 'true', 'still in the JSON view');
    await page.fill('textarea[name=definition]', JSON.stringify(json, null, 2));
    await page.click('[data-test=mode-form]');
    await page.waitForSelector('[data-test=builder]:visible');
    assert.equal(await page.inputValue('[data-test=b-percent]'), '35');
    assert.equal(await page.inputValue('[data-test="b-cond-value-followup.detractor.questions[1]"]'), '4');
    await page.click('[data-test=b-lang-ru]');
    assert.equal(await page.inputValue('[data-test=b-question]'), 'Порекомендуете ли вы нас коллеге?');
    // And back to JSON: the same definition.
    await page.click('[data-test=mode-json]');
    assert.deepEqual(JSON.parse(await page.inputValue('textarea[name=definition]')), json);
    await page.click('[data-test=mode-form]');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=saved] [data-test=snippet]');
    const saved = (await admin('GET', `/v1/admin/surveys/${TEMPLATES.b2b}`)).body.definition;
    assert.equal(saved.sampling.percent, 35);
    assert.equal(saved.question.ru, 'Порекомендуете ли вы нас коллеге?');
    await page.close();
  });

  await check('languages: one added gets its own texts and the preview follows it; one removed takes its texts along', async () => {
    const page = await surveys(`&edit=${TEMPLATES.support}`);
    await page.waitForSelector('[data-test=b-add-language-tag]');
    await page.fill('[data-test=b-add-language-tag]', 'fr');
    await page.click('[data-test=b-add-language]');
    assert.equal(await page.getAttribute('[data-test=b-lang-fr]', 'aria-pressed'), 'true');
    await page.fill('[data-test=b-question]', 'Recommanderiez-vous notre support à un collègue ?');
    await page.locator(`${widget} .nps[lang="fr"] legend.q`).filter({ hasText: 'Recommanderiez-vous' }).waitFor({ timeout: 15000 });
    await page.click('[data-test=b-remove-language-ru]');
    assert.equal(await page.locator('[data-test=b-lang-ru]').count(), 0);
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=saved] [data-test=snippet]');
    const saved = (await admin('GET', `/v1/admin/surveys/${TEMPLATES.support}`)).body.definition;
    assert.deepEqual(saved.locales, ['en', 'es', 'zh-Hans', 'ar', 'fr']);
    assert.equal(saved.question.fr, 'Recommanderiez-vous notre support à un collègue ?');
    assert.equal(saved.question.ru, undefined);
    await page.close();
  });

  await check('a qualifying question: added in the builder, its refusals beside its fields, saved with its accept, asked first in the preview', async () => {
    if ((await admin('GET', `/v1/admin/surveys/${TEMPLATES.purchase}`)).status === 404) {
      // Run alone (--only): the survey made from its template first.
      const first = await surveys();
      await first.click('[data-test=template-purchase]');
      await first.click('[data-test=save]');
      await first.waitForSelector('[data-test=saved] [data-test=snippet]');
      await first.close();
    }
    const page = await surveys(`&edit=${TEMPLATES.purchase}`);
    await page.waitForSelector('[data-test=b-add-qualify]');
    assert.match(await page.textContent('[data-test=b-qualify] legend'), /Qualifying question \(optional\)/);
    assert.match(await page.textContent('[data-test=b-qualify-about]'), /only respondents whose answer is marked/);
    await page.click('[data-test=b-add-qualify]');
    await page.fill('[data-test=b-qualify-text]', 'Did you buy something from us this month?');
    await page.fill('[data-test=b-qualify-option-0]', 'Yes, I did');
    await page.fill('[data-test=b-qualify-option-1]', 'Not yet');
    // No option marked as qualifying, two options with the same id: refused, each message
    // beside its field.
    await page.fill('[data-test=b-qualify-option-id-1]', 'yes');
    await page.click('[data-test=save]');
    await page.waitForFunction(() => document.querySelector('[data-test=errors]')?.textContent.length > 0);
    const acceptLine = page.locator('[data-test=b-qualify] .field-error[data-path="qualify.accept"]');
    assert.match(await acceptLine.textContent(), /at least one option must qualify/);
    const box = await described(page, '[data-test=b-qualifies-0]');
    assert.equal(box.label, 'Qualifies');
    assert.ok((await page.getAttribute('[data-test=b-qualifies-0]', 'aria-describedby')).includes(await acceptLine.getAttribute('id')),
      'the check boxes name the line that says one must qualify');
    const twice = await described(page, '[data-test=b-qualify-option-id-1]');
    assert.equal(twice.label, 'Choice id');
    assert.match(twice.error, /twice/);
    assert.ok(twice.beside);
    assert.equal((await described(page, '[data-test=b-qualify-text]')).error, '');
    assert.equal(await page.$$eval('[data-test=errors] li[data-path]', (l) => l.map((x) => x.dataset.path).filter((x) => x.startsWith('qualify')).length), 0,
      'every qualify message is beside its field');
    assert.equal((await admin('GET', `/v1/admin/surveys/${TEMPLATES.purchase}`)).body.definition.qualify, undefined, 'nothing saved');
    await page.locator('[data-test=b-qualify]').scrollIntoViewIfNeeded();
    await axe(page, 'the qualifying question with errors');
    await shot(page, 'builder-qualify-errors-en-desktop');
    // Its texts in every language, the first option qualifying: saved.
    const TEXTS = { es: ['¿Nos ha comprado algo este mes?', 'Sí', 'Todavía no'], ru: ['Вы что-нибудь купили у нас в этом месяце?', 'Да', 'Пока нет'],
      'zh-Hans': ['您这个月在我们这里买过东西吗？', '买过', '还没有'], ar: ['هل اشتريت منا شيئًا هذا الشهر؟', 'نعم', 'ليس بعد'] };
    for (const [l, [q, yes, no]] of Object.entries(TEXTS)) {
      await page.click(`[data-test=b-lang-${l}]`);
      await page.fill('[data-test=b-qualify-text]', q);
      await page.fill('[data-test=b-qualify-option-0]', yes);
      await page.fill('[data-test=b-qualify-option-1]', no);
    }
    await page.click('[data-test=b-lang-en]');
    await page.fill('[data-test=b-qualify-option-id-1]', 'no');
    await page.check('[data-test=b-qualifies-0]');
    await page.click('[data-test=save]');
    await page.waitForSelector('[data-test=saved] [data-test=snippet]');
    assert.equal(await acceptLine.textContent(), '');
    const stored = (await admin('GET', `/v1/admin/surveys/${TEMPLATES.purchase}`)).body.definition.qualify;
    assert.deepEqual(stored.accept, ['yes']);
    assert.equal(stored.question.type, 'single');
    assert.deepEqual(stored.question.options.map((o) => o.id), ['yes', 'no']);
    assert.equal(stored.question.text.en, 'Did you buy something from us this month?');
    assert.equal(stored.question.options[1].label.ar, 'ليس بعد');
    // The preview (the real widget) starts on it: its question and choices, no score yet.
    await page.locator(`${widget} legend.q`).filter({ hasText: 'Did you buy something from us this month?' }).waitFor({ timeout: 15000 });
    assert.equal(await page.locator(widget).getByText('Yes, I did').count(), 1);
    assert.equal(await page.locator(widget).getByRole('radio', { name: '7 out of 10' }).count(), 0, 'the score comes after it');
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      await page.setViewportSize(viewport);
      for (const l of ['en', 'ar']) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=surveys&edit=${TEMPLATES.purchase}`);
        await page.waitForSelector('body[data-ready=surveys] [data-test=b-qualify-text]');
        await page.click(`[data-test=b-lang-${l}]`);
        await page.locator(`${widget} .nps[lang="${l}"] legend.q`).filter({ hasText: l === 'en' ? 'Did you buy' : 'هل اشتريت' }).waitFor({ timeout: 15000 });
        await noSideways(page, `${l} qualifying question ${width}`);
        if (width === 'desktop') await axe(page, `the qualifying question in ${l}`);
        await page.locator('[data-test=b-qualify]').scrollIntoViewIfNeeded();
        await shot(page, `builder-qualify-${l}-${width}`);
      }
    }
    await page.close();
  });

  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await check(`the builder in en, es, ru, zh-Hans and ar at ${width} width: fields stack on a phone, nothing off the page, axe`, async () => {
      const page = await surveys('', { viewport });
      for (const l of FIVE) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=surveys&edit=${TEMPLATES.b2b}`);
        await page.waitForSelector('body[data-ready=surveys] [data-test=builder]');
        await page.click(`[data-test=b-lang-${l}]`);
        await page.waitForSelector(`${widget} .nps[lang="${l}"] legend.q`, { timeout: 15000 });
        assert.equal(await page.getAttribute('html', 'dir'), l === 'ar' ? 'rtl' : 'ltr');
        assert.equal(await page.getAttribute('[data-test=b-question]', 'dir'), 'auto');
        await noSideways(page, `${l} builder ${width}`);
        const off = await page.evaluate(() => [...document.querySelectorAll('.survey-form label, .survey-form button, .survey-form input, .survey-form select, .survey-form textarea, .survey-form legend')]
          .filter((el) => { const r = el.getBoundingClientRect(); return r.width && (r.left < -1 || r.right > document.documentElement.clientWidth + 1); })
          .map((el) => `${el.tagName} ${el.textContent.slice(0, 30)}`).slice(0, 5));
        assert.deepEqual(off, [], `${l} ${width}: inside the window`);
        if (width === 'phone') {
          // The two labels of a row (low and high) one above the other; the preview under the form.
          const [a, b] = await page.$$eval('[data-test=b-low], [data-test=b-high]', (els) => els.map((e) => e.getBoundingClientRect().top));
          assert.ok(b > a + 10, `${l}: fields stack (${a}, ${b})`);
          const form = await page.locator('[data-test=survey-form]').boundingBox();
          const pane = await page.locator('[data-test=preview]').boundingBox();
          assert.ok(pane.y >= form.y + form.height, 'the preview is below the form');
        }
        if (l === 'en' || l === 'ar') await axe(page, `the builder in ${l} (${width})`);
        await shot(page, `builder-${l}-${width}`, width === 'desktop');
      }
      // A new survey: the templates first.
      await page.goto(`${base}/dashboard/?lang=ar&survey=acme-app&view=surveys`);
      await page.waitForSelector('body[data-ready=surveys] [data-test=templates]');
      await noSideways(page, `ar templates ${width}`);
      await shot(page, `builder-templates-ar-${width}`);
      await page.close();
    });
  }
} finally {
  await env.stop();
}
finish();
