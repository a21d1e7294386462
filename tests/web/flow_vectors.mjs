// The browser's flow module (web/dist/nps-flow.js, built from web/bindings.cpp and
// web/flow_texts.cpp) against every flow.locale / flow.start / flow.apply / visitor.record vector: the
// survey is first normalised by the full core (survey.parse, as npsd does before serving
// /config), the module gets the built-in texts the way the widget gives them (the
// nps-texts-<tag>.json files web/build.mjs wrote, through i18n.install), and it must print
// exactly what the full core prints for the same input. Cases whose survey the core rejects
// are not served by npsd, so they are skipped here (the full core's vectors cover them).
//   node tests/web/flow_vectors.mjs --vectors tests/vectors [--dist web/dist] [--core build/wasm/web/nps-core.js]
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, root } from './harness.mjs';

const dist = path.resolve(arg('dist', path.join(root, 'web/dist')));
const corePath = path.resolve(arg('core', path.join(root, 'build/wasm/web/nps-core.js')));
const vectors = path.resolve(arg('vectors', path.join(root, 'tests/vectors')));
const full = await createRequire(import.meta.url)(corePath)({ wasmBinary: readFileSync(corePath.replace(/\.js$/, '.wasm')) });
const factory = (await import(pathToFileURL(path.join(dist, 'nps-flow.js')).href)).default;
const flow = await factory({ wasmBinary: readFileSync(path.join(dist, 'nps-flow.wasm')) });
// The browser modules take JSON text only (invokeText); values are written here, as the widget does.
flow.invoke = (op, value) => flow.invokeText(op, JSON.stringify(value === undefined ? null : value));

let passed = 0, failed = 0, skipped = 0;
const check = (ok, what, detail = '') => {
  if (ok) passed++;
  else { failed++; console.error(`FAIL ${what}${detail ? `\n  ${detail}` : ''}`); }
};

// Before its texts are installed the module has none: a view would be blank, not English.
{
  const r = flow.invoke('flow.start', { survey: JSON.parse(full.invoke('survey.parse', { id: 's' }).text),
    start: { idempotency_key: 'texts-0000001', languages: ['ru'], channel: 'web', client_time: 1763876356000 } });
  check(r.ok && JSON.parse(r.text).view.score.low_label === '', 'no texts before i18n.install', r.text);
}
// Each language's file, as the widget fetches it; a damaged one is refused whole.
const files = readdirSync(dist).filter((f) => /^nps-texts-.*\.json$/.test(f));
check(files.length === JSON.parse(full.invoke('i18n.locales', null).text).length, 'a texts file per built-in language', files.join(' '));
for (const f of files) {
  const r = flow.invokeText('i18n.install', readFileSync(path.join(dist, f), 'utf8'));
  check(r.ok, `install ${f}`, r.text);
}
const bad = flow.invoke('i18n.install', { locale: 'ru', texts: { question: 'x' } });
check(!bad.ok && JSON.parse(bad.text).some((e) => e.path === 'texts.low_label'), 'an incomplete texts file is refused', bad.text);
check(!flow.invoke('i18n.install', { locale: 'xx', texts: {} }).ok, 'a language that is not built in is refused');

for (const file of readdirSync(vectors).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(path.join(vectors, file), 'utf8'));
  for (const c of doc.cases) {
    const op = c.op ?? doc.op;
    if (op === 'visitor.record') {
      // What the loader records through this module: the full core's text for every visitor
      // it accepts (the module checks only the parts it changes; the rest was read whole by
      // the eligibility module before the survey showed).
      const expected = full.invoke(op, c.input);
      if (!expected.ok) { skipped++; continue; }
      const got = flow.invoke(op, c.input);
      check(got.ok && got.text === expected.text, `${file}#${c.name}`, `expected ${expected.text}\n  actual   ${got.text}`);
      continue;
    }
    if (!['flow.locale', 'flow.start', 'flow.apply'].includes(op)) continue;
    const s = full.invoke('survey.parse', c.input.survey);
    if (!s.ok) { skipped++; continue; }
    const input = { ...c.input, survey: JSON.parse(s.text) };
    const expected = full.invoke(op, input);
    // A damaged state is the full core's business: the module reads back only its own.
    if (!expected.ok && JSON.parse(expected.text).some((e) => String(e.path).startsWith('state'))) { skipped++; continue; }
    const got = flow.invoke(op, input);
    check(got.ok === expected.ok && got.text === expected.text, `${file}#${c.name}`, `expected ${expected.text}\n  actual   ${got.text}`);
  }
}
console.log(`flow module: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed ? 1 : 0);
