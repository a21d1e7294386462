// Builds the dashboard: web/dashboard/*.ts bundled (Chart.js included) and minified into
// web/dist/dashboard/, with index.html and the stylesheet. `npm run build:dashboard`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'dashboard');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(here, 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  outfile: join(out, 'dashboard.js'),
  legalComments: 'none',
  logLevel: 'warning',
});
for (const f of ['index.html', 'dashboard.css']) copyFileSync(join(here, f), join(out, f));
console.log('dashboard: built into', out);
