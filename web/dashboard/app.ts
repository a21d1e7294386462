// What every dashboard page shares: the API, who is signed in, the surveys, the URL as the
// page's state, and small helpers. Pages are in their own files (overview.ts, followup.ts,
// …) and listed once in pages.ts; main.ts draws the shell around the current one.
import type { Chart } from 'chart.js';
import { t, dir, ltr, num, dateTime, type TextKey as Key } from './i18n';
import { h } from './dom';

// ---- helpers ---------------------------------------------------------------------------

// Categories always come from the server (the core classifies); these are only their colours.
export const COLORS: Record<string, string> = { detractor: '#c62828', passive: '#b7791f', promoter: '#2e7d32' };
// A difference is called significant only when the core says so and the sample is large
// enough to trust the test.
export const isSig = (c: any) => !!c && c.significant && !c.small_sample;
export const when = dateTime;
export const rtl = () => dir() === 'rtl';
// A range of two numbers, kept in reading order inside right-to-left text.
export const range = (a: number | null | undefined, b: number | null | undefined) => ltr(`${num(a)} … ${num(b)}`);
// "95% CI: 14 … 20" — the interval as the range it is (never "±3", which hides an uneven one).
export const ciLine = (ci: [number, number] | null | undefined) =>
  t('labelled', { label: t('ci'), value: range(ci?.[0], ci?.[1]) });

// ---- API -------------------------------------------------------------------------------

export class ApiError extends Error {
  constructor(public status: number, public body: any) { super(body?.error?.message ?? `HTTP ${status}`); }
}
export async function api(method: string, path: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}
// A refusal's field errors as one line ("password: 10 to 200 bytes; email: …").
export const errorText = (x: unknown) =>
  ((x as ApiError).body?.errors ?? []).map((e: any) => `${e.path}: ${e.message}`).join('; ') || (x as Error).message;

// ---- state and URL ---------------------------------------------------------------------

export type Role = 'viewer' | 'analyst' | 'editor' | 'admin';
export const roles: Role[] = ['viewer', 'analyst', 'editor', 'admin'];
const rank: Record<Role, number> = { viewer: 0, analyst: 1, editor: 2, admin: 3 };
export type Survey = { id: string; name?: string; archived: boolean; version: number };
export const state = {
  csrf: '',
  me: null as { role: Role; email: string; user_id?: number | null } | null,
  surveys: [] as Survey[],
  charts: [] as Chart[],
  stream: null as EventSource | null,
  render: async () => {}, // main.ts sets it
};
export const can = (r: Role) => !!state.me && rank[state.me.role] >= rank[r];
export const params = () => new URLSearchParams(location.search);
export function go(changes: Record<string, string | null>, replace = false) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) (v === null || v === '' ? p.delete(k) : p.set(k, v));
  const url = `${location.pathname}?${p.toString()}`;
  (replace ? history.replaceState : history.pushState).call(history, null, '', url);
  return state.render();
}
export const render = () => state.render();
export const surveyBase = (p: URLSearchParams) => `/v1/admin/surveys/${encodeURIComponent(p.get('survey')!)}`;

// ---- small pieces ----------------------------------------------------------------------

export function empty(key: Key) { return h('p', { class: 'empty', 'data-test': 'empty' }, t(key)); }
export function failure(x: unknown) {
  if (x instanceof ApiError && x.status === 403) return empty('forbidden');
  return h('p', { class: 'error', role: 'alert' }, t('labelled', { label: t('error'), value: (x as Error).message }));
}
export function surveyPicker(current: string) {
  return h('label', {}, t('survey') + ' ',
    h('select', { name: 'survey', 'data-test': 'survey', onchange: (e: Event) => go({ survey: (e.target as HTMLSelectElement).value }) },
      ...state.surveys.map((s) => h('option', { value: s.id, selected: s.id === current }, s.name ? `${s.name} (${s.id})` : s.id))));
}
// A link to another page of the dashboard (a real href: opens in a new tab too).
export function link(changes: Record<string, string | null>, ...kids: (Node | string)[]) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) (v === null || v === '' ? p.delete(k) : p.set(k, v));
  return h('a', { href: `?${p}`, onclick: (e: MouseEvent) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault(); void go(changes);
  } }, ...kids);
}
