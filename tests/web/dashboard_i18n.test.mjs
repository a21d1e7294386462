// The dashboard's texts without a browser: every key in all ten languages, every plural
// message with the forms its language's plural rule needs, no count printed outside a plural
// message, and numbers written the language's way. Bundles web/dashboard/i18n.ts with esbuild
// (from web/node_modules) and runs it in Node.
//   node tests/web/dashboard_i18n.test.mjs
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const dashboard = join(root, 'web', 'dashboard');
const { build } = createRequire(join(root, 'web/package.json'))('esbuild');
const out = await build({ entryPoints: [join(dashboard, 'i18n.ts')], bundle: true, write: false, format: 'esm', platform: 'neutral', logLevel: 'error' });
globalThis.document = { documentElement: {} }; // setLang writes lang and dir there
const i18n = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);

let failures = 0;
async function check(name, f) {
  try {
    await f();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}\n     ${e.stack ?? e}`);
  }
}

const TEN = ['en', 'es', 'ru', 'zh-Hans', 'pt', 'de', 'fr', 'ja', 'ar', 'he'];
const { tables, languages } = i18n;
const en = tables.en;
const isPlural = (v) => v !== null && typeof v === 'object';
const pluralKeys = Object.keys(en).filter((k) => isPlural(en[k]));

await check('the dashboard speaks the ten built-in languages, ar and he right to left', () => {
  assert.deepEqual(languages.map((l) => l.code), TEN);
  assert.deepEqual(Object.keys(tables).sort(), [...TEN].sort());
  for (const l of languages) assert.equal(l.dir, l.code === 'ar' || l.code === 'he' ? 'rtl' : 'ltr', l.code);
});

await check('every key exists in every language, of the same kind, and no language has a key English lacks', () => {
  for (const code of TEN) {
    const table = tables[code];
    for (const k of Object.keys(en)) {
      assert.ok(k in table, `${code}: ${k} missing`);
      assert.equal(isPlural(table[k]), isPlural(en[k]), `${code}: ${k} is ${isPlural(en[k]) ? 'a plural message' : 'a text'} in English`);
      if (!isPlural(table[k])) assert.ok(table[k].trim().length > 0, `${code}: ${k} empty`);
    }
    for (const k of Object.keys(table)) assert.ok(k in en, `${code}: ${k} is not an English key`);
  }
});

await check('the answers\' language filter is never named like the dashboard\'s own language control', () => {
  for (const code of TEN) assert.notEqual(tables[code].locale, tables[code].language, code);
});

await check('every plural message has exactly the forms of its language (Intl.PluralRules)', () => {
  assert.ok(pluralKeys.length >= 3, `plural keys: ${pluralKeys}`);
  for (const code of TEN) {
    const rules = new Intl.PluralRules(code);
    const categories = rules.resolvedOptions().pluralCategories;
    for (const k of pluralKeys) {
      const forms = tables[code][k];
      assert.deepEqual(Object.keys(forms).sort(), [...categories].sort(), `${code}: ${k}`);
      for (const [cat, text] of Object.entries(forms)) {
        if (text.includes('{n}')) continue;
        // A form may name its number in words only when it is used for one number alone
        // (Arabic "إجابتان" for 2, Hebrew "תשובה אחת" for 1).
        const uses = [...Array(1001).keys()].filter((n) => rules.select(n) === cat);
        assert.equal(uses.length, 1, `${code}: ${k}.${cat} has no {n} but serves ${uses.slice(0, 5)}…`);
      }
    }
  }
});

await check('no text outside a plural message holds a count ({n})', () => {
  for (const code of TEN)
    for (const [k, v] of Object.entries(tables[code]))
      if (!isPlural(v)) assert.ok(!v.includes('{n}'), `${code}: ${k} prints a count without a plural rule: ${v}`);
});

await check('the pages print counts only through count(): no count or length pasted into a text', () => {
  // Every page's file (main.ts, the pages of pages.ts, …), not the texts themselves.
  const files = readdirSync(dashboard).filter((f) => f.endsWith('.ts') && f !== 'i18n.ts');
  assert.ok(files.includes('main.ts') && files.includes('overview.ts'), files.join());
  for (const file of files) {
    const src = readFileSync(join(dashboard, file), 'utf8');
    // "n = ${summary.n} answers", "${t('notes')}: ${f.notes.length}", t('live_new', { n: … })
    const pasted = src.match(/\$\{[^}]*(\.length|\.n|Count)\}/g) ?? [];
    assert.deepEqual(pasted, [], `${file}: a count pasted into a text`);
    assert.ok(!/\bt\(\s*'[a-z_]+'\s*,\s*\{\s*n\s*:/.test(src), `${file}: a count through t()`);
    for (const [, key] of src.matchAll(/\bcount\(\s*'([a-z_]+)'/g)) assert.ok(pluralKeys.includes(key), `${file}: count('${key}') is not a plural message`);
  }
});

await check('counts take the plural form of their language', () => {
  const say = (code, key, n) => { i18n.setLang(code); return i18n.count(key, n); };
  assert.equal(say('en', 'answers_n', 1), '1 answer');
  assert.equal(say('en', 'answers_n', 3001), '3,001 answers');
  assert.equal(say('ru', 'answers_n', 1), '1 ответ');
  assert.equal(say('ru', 'answers_n', 3), '3 ответа');
  assert.equal(say('ru', 'answers_n', 5), '5 ответов');
  assert.equal(say('ru', 'answers_n', 21), '21 ответ');
  assert.equal(say('ru', 'answers_n', 3001), '3\u00a0001 ответ');
  assert.equal(say('ru', 'notes_n', 2), '2 заметки');
  assert.equal(say('es', 'answers_n', 1), '1 respuesta');
  assert.equal(say('zh-Hans', 'answers_n', 1), '1 份回答');
  const arabic = [0, 1, 2, 3, 11, 100].map((n) => say('ar', 'answers_n', n));
  assert.equal(new Set(arabic).size, 6, `six Arabic forms: ${arabic}`);
  assert.equal(say('he', 'notes_n', 1), 'הערה אחת');
});

await check('numbers, percentages, p-values and dates are written the language\'s way', () => {
  i18n.setLang('ru');
  assert.equal(i18n.num(-0.2), '0'); // never "-0"
  assert.equal(i18n.pct(45.25), '45,3\u00a0%');
  assert.equal(i18n.pValue(0.0031), 'p = 0,003');
  assert.equal(i18n.t('significant', { p: i18n.num(0.05, 2) }), 'значимо (p < 0,05)');
  i18n.setLang('en');
  assert.equal(i18n.pct(45.25), '45.3%');
  assert.equal(i18n.pValue(0.0004), 'p < 0.001');
  assert.equal(i18n.signed(12), '+12');
  assert.equal(i18n.day('2026-11-02'), 'Nov 2, 2026');
  i18n.setLang('de');
  assert.equal(i18n.num(3001.5, 1), '3.001,5');
  assert.equal(i18n.day('2026-11-02'), '02.11.2026');
  assert.equal(document.documentElement.dir, 'ltr');
  i18n.setLang('ar');
  assert.equal(document.documentElement.dir, 'rtl');
  assert.equal(document.documentElement.lang, 'ar');
});

await check('without the core only an exact language tag is taken, never a guess: zh-TW is not Simplified', () => {
  i18n.useNegotiator(null);
  assert.equal(i18n.chooseLang('zh-TW', ['zh-HK']), 'en');
  assert.equal(i18n.chooseLang('ru', []), 'ru');
  assert.equal(i18n.chooseLang(null, ['es-MX']), 'en');
  // With a negotiator, whatever the core answers (here a stand-in) is the language.
  i18n.useNegotiator((requested) => (requested[0] === 'es-MX' ? 'es' : 'en'));
  assert.equal(i18n.chooseLang(null, ['es-MX']), 'es');
});

console.log(failures ? `\n${failures} failed` : '\nall passed');
process.exit(failures ? 1 : 0);
