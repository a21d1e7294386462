// Builds web/dist: the loader (nps.js, classic script), its ES module twin (nps.mjs), the
// renderer (nps-widget.js), the Wasm modules from the Emscripten build, the widget's texts
// (nps-texts-<tag>.json) and the demo.
//   node build.mjs [--wasm DIR]   (default DIR: ../build/wasm/web)
import { build, transform } from 'esbuild';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf('--wasm');
const wasmDir = path.resolve(i > 0 ? process.argv[i + 1] : path.join(here, '../build/wasm/web'));
const dist = path.join(here, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = { bundle: true, minify: true, target: 'es2021', legalComments: 'none', logLevel: 'warning' };
await build({ ...common, entryPoints: [path.join(here, 'src/nps.ts')], outfile: path.join(dist, 'nps.js'), format: 'iife' });
await build({ ...common, entryPoints: [path.join(here, 'src/module.ts')], outfile: path.join(dist, 'nps.mjs'), format: 'esm' });
await build({ ...common, entryPoints: [path.join(here, 'src/widget.ts')], outfile: path.join(dist, 'nps-widget.js'), format: 'esm' });

for (const name of ['nps-elig', 'nps-elig-debug', 'nps-flow', 'nps-survey']) {
  for (const ext of ['.js', '.wasm']) {
    const from = path.join(wasmDir, name + ext);
    if (!existsSync(from)) throw new Error(`${from} is missing: build the Wasm modules first (tests/run.sh does)`);
    if (ext === '.wasm') copyFileSync(from, path.join(dist, name + ext));
    else {
      // Emscripten's minimal runtime wants the Wasm bytes from its caller: the default
      // export becomes a factory that fetches them (beside the .js, or where the caller's
      // locateFile says; or takes wasmBinary, as in Node) and waits until the module is ready.
      const factory = `createNps${name.slice(4).replace('-', '_')}`;
      let glue = readFileSync(from, 'utf8');
      const plain = `export default ${factory};`;
      if (!glue.includes(plain)) throw new Error(`${from}: expected "${plain}" (built with -sMINIMAL_RUNTIME?)`);
      glue = glue.replace(plain, `export default (o = {}) => (o.wasmBinary ? Promise.resolve(o.wasmBinary) :
  fetch(o.locateFile ? o.locateFile('${name}.wasm') : new URL('${name}.wasm', import.meta.url))
    .then((r) => { if (!r.ok) throw new Error('${name}.wasm: HTTP ' + r.status); return r.arrayBuffer(); }))
  .then((wasm) => ${factory}({ wasm }));`);
      // No closure compiler in Debian's emscripten: esbuild minifies the module's glue.
      writeFileSync(path.join(dist, name + ext), (await transform(glue, { minify: true, format: 'esm', target: 'es2020' })).code);
    }
  }
}
// The widget's texts, one file per built-in language, each exactly what the core's
// i18n.strings answers (the flow module carries none; the widget fetches the one it needs).
{
  const corePath = path.join(wasmDir, 'nps-core.js');
  const full = await createRequire(import.meta.url)(corePath)({ wasmBinary: readFileSync(path.join(wasmDir, 'nps-core.wasm')) });
  const locales = JSON.parse(full.invoke('i18n.locales', null).text);
  for (const tag of locales) {
    const r = full.invoke('i18n.strings', tag);
    if (!r.ok || JSON.parse(r.text).locale !== tag) throw new Error(`i18n.strings ${tag}: ${r.text}`);
    writeFileSync(path.join(dist, `nps-texts-${tag}.json`), r.text);
  }
}
cpSync(path.join(here, 'demo'), path.join(dist, 'demo'), { recursive: true });
console.log(`web: built ${dist}`);
