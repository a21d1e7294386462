// dist/nps.js: the classic script the snippet loads. Replaces the stub's queue function
// with the real one, replays what was queued, and reads data-* options from its tag.
// A second copy of the script (a duplicate tag) finds the real function and does nothing.
import { begin, command, configure } from './loader';

type Stub = ((...a: unknown[]) => void) & { q?: ArrayLike<unknown>[]; v?: number };
const w = window as unknown as { nps?: Stub };
const stub = w.nps;
if (!stub || !stub.v) {
  const tag = (document.currentScript ||
    document.querySelector('script[src$="/nps.js"],script[src*="/nps.js?"]')) as HTMLScriptElement | null;
  const src = tag && tag.src ? tag.src : location.href;
  const d = (tag && tag.dataset) || {};
  configure({
    base: new URL('.', src).href,
    server: d.server,
    survey: d.survey,
    debug: d.debug !== undefined && d.debug !== 'false',
    nonce: d.nonce || (tag && tag.nonce) || undefined,
    lang: d.lang,
  });
  const api: Stub = (...a: unknown[]) => command(...(a as [string, ...unknown[]]));
  api.v = 1;
  w.nps = api;
  for (const a of Array.from((stub && stub.q) || [])) command(...(Array.from(a) as [string, ...unknown[]]));
  begin();
}
