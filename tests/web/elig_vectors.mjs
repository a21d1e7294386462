// The browser's eligibility module in its two builds (web/eligibility_bindings.cpp) against
// every eligibility.decide vector: the survey is first normalised by the full core
// (survey.parse, as npsd does before serving /config), then
//   * nps-elig-debug (the loader's debug mode) must print exactly the expected output, and
//     for a damaged visitor or page exactly the full core's errors;
//   * nps-elig (every page) exactly the expected output without "reason", and for a
//     damaged input a refusal naming the part at fault (visitor or page), wherever the full
//     core refuses, and nowhere else.
// Cases whose survey the core rejects are not served by npsd, so they are skipped here
// (the full core's vectors cover them).
//   node tests/web/elig_vectors.mjs --vectors tests/vectors [--dist web/dist] [--core build/wasm/web/nps-core.js]
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { arg, root } from './harness.mjs';

const dist = path.resolve(arg('dist', path.join(root, 'web/dist')));
const corePath = path.resolve(arg('core', path.join(root, 'build/wasm/web/nps-core.js')));
const vectors = path.resolve(arg('vectors', path.join(root, 'tests/vectors')));
const full = await createRequire(import.meta.url)(corePath)({ wasmBinary: readFileSync(corePath.replace(/\.js$/, '.wasm')) });
const load = async (name) =>
  (await import(pathToFileURL(path.join(dist, name + '.js')).href)).default({ wasmBinary: readFileSync(path.join(dist, name + '.wasm')) });
const debug = await load('nps-elig-debug'), quiet = await load('nps-elig');
const decide = (m, input) => m.invokeText('eligibility.decide', JSON.stringify(input));
// The full core's output with its "reason" member taken out, as nps-elig writes it.
const unexplained = (text) => {
  const at = text.indexOf(',"reason":'), end = text.indexOf(',"params":');
  return at < 0 || end < at ? text : text.slice(0, at) + text.slice(end);
};
// nps-elig's answer for an input the full core answered with `expected`.
const quietAgrees = (expected, got) => {
  if (expected.ok) return got.ok && got.text === unexplained(expected.text) && !('reason' in JSON.parse(got.text));
  const part = JSON.parse(expected.text)[0].path.split(/[.[]/)[0];
  const errors = JSON.parse(got.text);
  return !got.ok && errors.length === 1 && errors[0].path === part && errors[0].message.includes('debug mode');
};

let passed = 0, failed = 0, skipped = 0;
for (const file of readdirSync(vectors).filter((f) => f.endsWith('.json')).sort()) {
  const doc = JSON.parse(readFileSync(path.join(vectors, file), 'utf8'));
  for (const c of doc.cases) {
    if ((c.op ?? doc.op) !== 'eligibility.decide' || !('output' in c)) continue;
    const s = full.invoke('survey.parse', c.input.survey);
    if (!s.ok) { skipped++; continue; }
    const input = { ...c.input, survey: JSON.parse(s.text) };
    const expected = full.invoke('eligibility.decide', input);
    const got = decide(debug, input), small = decide(quiet, input);
    if (got.ok && got.text === expected.text && isDeepStrictEqual(JSON.parse(got.text), c.output)) passed++;
    else { failed++; console.error(`FAIL ${file}#${c.name} (nps-elig-debug)\n  expected ${expected.text}\n  actual   ${got.text}`); }
    if (quietAgrees(expected, small)) passed++;
    else { failed++; console.error(`FAIL ${file}#${c.name} (nps-elig)\n  expected ${unexplained(expected.text)}\n  actual   ${small.text}`); }
  }
}
// What the loader sends when its stored visitor state is damaged: an error, never a verdict.
for (const m of [debug, quiet]) {
  const bad = decide(m, { survey: { id: 's' }, visitor: { visitor_id: 5 }, page: { now: 1 } });
  if (!bad.ok && JSON.parse(bad.text)[0].path.startsWith('visitor')) passed++;
  else { failed++; console.error(`FAIL bad visitor: ${bad.text}`); }
}
// Damaged visitor states and pages: from nps-elig-debug exactly the full core's errors
// (codes, paths, messages, order); from nps-elig a refusal naming the part.
{
  const survey = JSON.parse(full.invoke('survey.parse', { id: 'nps1' }).text);
  const page = { url: 'https://shop.example/cart', now: 1763876356000 };
  const damaged = [
    [{ visitor_id: '' }, page], [{ visitor_id: 'é'.repeat(257) }, page], [{}, page], [{ visitor_id: 'v', identified: 1 }, page],
    [{ visitor_id: 'v', first_seen: -1, last_survey_shown: 1.5 }, page], [{ visitor_id: 'v', first_seen: 'x' }, page],
    [{ visitor_id: 'v', surveys: [] }, page], [{ visitor_id: 'v', surveys: { nps1: { last_shown: 1e20, other: 1 }, 'a.b': 5 } }, page],
    [{ visitor_id: 'v', surveys: Object.fromEntries(Array.from({ length: 1001 }, (_, i) => ['s' + i, {}])) }, page],
    [{ visitor_id: 'v', event_counts: { signup: -2, 'x y': 1.5, z: 'n' } }, page], [{ visitor_id: 'v', event_counts: 3 }, page],
    [{ visitor_id: 'v', page_views: -1, bogus: true }, page],
    [{ visitor_id: 'v', attributes: { nested: { a: 1 }, list: [{}], big: 1e308 * 10, 'a.b': [1, 'x'] } }, page],
    [{ visitor_id: 'v', attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => ['a' + i, i])) }, page],
    [{ visitor_id: 5 }, { url: 5, device: 'phone', forced: 'yes', extra: 1 }], [{ visitor_id: 'v' }, { url: 'x'.repeat(9000) }],
    [{ visitor_id: 'v' }, { now: null, device: 3 }], [[], 'page'],
  ];
  for (const [visitor, pageIn] of damaged) {
    const input = { survey, visitor, page: pageIn };
    const expected = full.invoke('eligibility.decide', input), got = decide(debug, input), small = decide(quiet, input);
    if (!expected.ok && !got.ok && got.text === expected.text) passed++;
    else { failed++; console.error(`FAIL damaged ${JSON.stringify(input).slice(0, 200)}\n  expected ${expected.text}\n  actual   ${got.text}`); }
    if (!expected.ok && quietAgrees(expected, small)) passed++;
    else { failed++; console.error(`FAIL damaged (nps-elig) ${JSON.stringify(input).slice(0, 200)}\n  actual   ${small.text}`); }
  }
}
// Not JSON, or numbers no double can hold (read through JavaScript's Number() in Wasm,
// refused as nlohmann refuses them).
for (const text of ['', '{', '{"survey":{}}', '[1,2', '{"a":"\\ud800"}',
  '{"survey":{"id":"s"},"visitor":{"visitor_id":"v"},"page":{"now":1e400}}',
  '{"survey":{"id":"s"},"visitor":{"visitor_id":"v"},"page":{"now":-17976931348623159077293051907890247336179769789423065727343008115773267580550096313270847732240753602112011387987139335765878976881441662249284743063947412437776789342486548527630221960124609411945308295208500576883815068234246288147391311054082723716335051068458629823994724593847971630483535632962422413721600e1}}']) {
  if ([debug, quiet].every((m) => !m.invokeText('eligibility.decide', text).ok)) passed++;
  else { failed++; console.error(`FAIL accepted ${text}`); }
}
// A site that keeps megabytes in one attribute: the memory grows (in small_malloc.cpp, not
// through Emscripten's glue) and the module answers, then goes on answering.
{
  const input = (a) => JSON.stringify({ survey: { id: 's' }, visitor: { visitor_id: 'v', identified: true, attributes: { a } }, page: { now: 1 } });
  for (const m of [debug, quiet]) {
    const big = m.invokeText('eligibility.decide', input('x'.repeat(20e6)));
    const after = m.invokeText('eligibility.decide', input('x'));
    if (big.ok && JSON.parse(big.text).verdict === 'show' && after.ok && after.text === big.text) passed++;
    else { failed++; console.error(`FAIL a 20 MB attribute: ${big.text.slice(0, 200)} / ${after.text.slice(0, 200)}`); }
  }
}
console.log(`eligibility modules: ${passed} passed, ${failed} failed, ${skipped} skipped (survey rejected by the core)`);
process.exit(failed ? 1 : 0);
