// Runs the shared JSON test vectors through the Wasm core and checks (1) each output
// against the expected one and (2) that the whole transcript is byte-identical to what
// the native core printed (tests/vector_runner.cpp --out).
//   node run_vectors.mjs --module build/wasm/web/nps-core.js --vectors tests/vectors [--native FILE]
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const modulePath = path.resolve(args.module);
const require = createRequire(import.meta.url);
const factory = require(modulePath);
const wasmBinary = readFileSync(modulePath.replace(/\.js$/, '.wasm'));
const core = await factory({ wasmBinary });

const errorsMatch = (expected, actual) =>
  Array.isArray(actual) &&
  expected.length === actual.length &&
  expected.every((e, i) => Object.entries(e).every(([k, v]) => isDeepStrictEqual(actual[i][k], v)));

let passed = 0;
let failed = 0;
let transcript = '';
const files = readdirSync(args.vectors).filter((f) => f.endsWith('.json')).sort();
for (const file of files) {
  const doc = JSON.parse(readFileSync(path.join(args.vectors, file), 'utf8'));
  for (const c of doc.cases) {
    const op = c.op ?? doc.op;
    const name = `${file}#${c.name ?? '?'}`;
    const r = core.invoke(op, c.input);
    transcript += `${name}\t${r.ok ? 'ok' : 'err'}\t${r.text}\n`;
    const actual = JSON.parse(r.text);
    const good = 'output' in c ? r.ok && isDeepStrictEqual(actual, c.output) : !r.ok && errorsMatch(c.errors, actual);
    if (good) passed++;
    else {
      failed++;
      console.error(`FAIL ${name}\n  expected: ${JSON.stringify(c.output ?? c.errors)}\n  actual:   ${r.text}`);
    }
  }
}

// summarize() is the documented JavaScript entry point: the same text as invoke and the CLI.
for (const file of files) {
  const doc = JSON.parse(readFileSync(path.join(args.vectors, file), 'utf8'));
  for (const c of doc.cases.filter((c) => (c.op ?? doc.op) === 'summarize' && 'output' in c)) {
    const text = core.summarize(c.input);
    if (text === core.invoke('summarize', c.input).text) passed++;
    else {
      failed++;
      console.error(`FAIL summarize() for ${file}#${c.name} returned ${text}`);
    }
  }
}
try {
  core.summarize([1, 11]);
  failed++;
  console.error('FAIL summarize([1, 11]) did not throw');
} catch (e) {
  if (/\[1\]/.test(e.message)) passed++;
  else {
    failed++;
    console.error(`FAIL summarize([1, 11]) threw without naming the index: ${e.message}`);
  }
}

if (args.native) {
  const native = readFileSync(args.native, 'utf8');
  if (native === transcript) passed++;
  else {
    failed++;
    const a = native.split('\n');
    const b = transcript.split('\n');
    const i = a.findIndex((line, k) => line !== b[k]);
    console.error(`FAIL Wasm output differs from native at case ${i + 1}:\n  native: ${a[i]}\n  wasm:   ${b[i]}`);
  }
}
console.log(`vectors (wasm): ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
