// dist/nps.mjs: the same loader as an ES module for single-page apps.
//   import { nps } from 'https://nps.example/nps.mjs';
//   nps('init', { survey: 'nps-q3' }); nps('identify', { id: 'u1' }); nps('track', 'signup');
// Route changes (history, hash, the Navigation API) count as new pages for URL rules;
// nps('page') tells it about a route change it could not see.
import { begin, command, configure, type Options } from './loader';

configure({ base: new URL('.', import.meta.url).href });

export function nps(name: string, ...args: unknown[]): void {
  command(name, ...args);
  if (name === 'init') begin();
}
export const init = (o: Options) => nps('init', o);
export type { Options };
