// The OpenNPS dashboard: one page over the admin API. Statistics come from the server (the
// core computes them); this page only draws them. Every text node is created with
// textContent (through h()), never innerHTML, so a comment can never become markup.
//
// Sections: helpers · API · state and URL · shell · overview · responses · follow-up ·
// promoters · surveys · tokens · users · start. The survey preview is in preview.ts, the
// texts and their formatting in i18n.ts (one file per language in i18n/).
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler,
  Tooltip, Legend,
} from 'chart.js';
import {
  t, count, setLang, chooseLang, useNegotiator, languages, lang, dir, ltr, num, signed, pct, pValue, dateTime, day, type Lang,
  type TextKey as Key,
} from './i18n';
import { configure, core, invoke } from '../src/loader';
import { h } from './dom';
import { surveyPreview } from './preview';
import { why } from './why';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler,
  Tooltip, Legend);

// ---- helpers ---------------------------------------------------------------------------

// Categories always come from the server (the core classifies); these are only their colours.
const COLORS: Record<string, string> = { detractor: '#c62828', passive: '#b7791f', promoter: '#2e7d32' };
// A difference is called significant only when the core says so and the sample is large
// enough to trust the test.
const isSig = (c: any) => !!c && c.significant && !c.small_sample;
const when = dateTime;
const rtl = () => dir() === 'rtl';
// A range of two numbers, kept in reading order inside right-to-left text.
const range = (a: number | null | undefined, b: number | null | undefined) => ltr(`${num(a)} … ${num(b)}`);
const ciLine = (ci: [number, number] | null | undefined, margin: number | null) =>
  `${t('labelled', { label: t('ci'), value: range(ci?.[0], ci?.[1]) })} · ${t('margin', { m: num(margin) })}`;

// ---- API -------------------------------------------------------------------------------

let csrf = '';
class ApiError extends Error {
  constructor(public status: number, public body: any) { super(body?.error?.message ?? `HTTP ${status}`); }
}
async function api(method: string, path: string, body?: unknown): Promise<any> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const r = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const json = text ? JSON.parse(text) : null;
  if (!r.ok) throw new ApiError(r.status, json);
  return json;
}

// ---- state and URL ---------------------------------------------------------------------

type Role = 'viewer' | 'analyst' | 'editor' | 'admin';
const rank: Record<Role, number> = { viewer: 0, analyst: 1, editor: 2, admin: 3 };
let me: { role: Role; email: string; user_id?: number | null } | null = null;
const can = (r: Role) => !!me && rank[me.role] >= rank[r];
let surveys: { id: string; name?: string; archived: boolean; version: number }[] = [];
const params = () => new URLSearchParams(location.search);
function go(changes: Record<string, string | null>, replace = false) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) (v === null || v === '' ? p.delete(k) : p.set(k, v));
  const url = `${location.pathname}?${p.toString()}`;
  (replace ? history.replaceState : history.pushState).call(history, null, '', url);
  render();
}
window.addEventListener('popstate', () => render());
const app = () => document.getElementById('app')!;
let charts: Chart[] = [];
let stream: EventSource | null = null;
let liveCount = 0;

// ---- shell -----------------------------------------------------------------------------

const views: { id: string; key: Key; role: Role }[] = [
  { id: 'overview', key: 'overview', role: 'viewer' },
  { id: 'why', key: 'why', role: 'viewer' },
  { id: 'responses', key: 'responses', role: 'analyst' },
  { id: 'followup', key: 'followup', role: 'analyst' },
  { id: 'promoters', key: 'promoters', role: 'analyst' },
  { id: 'surveys', key: 'surveys', role: 'viewer' },
  { id: 'tokens', key: 'tokens', role: 'admin' },
  { id: 'users', key: 'users', role: 'admin' },
];

function langPicker() {
  return h('label', { class: 'lang' }, t('language') + ' ',
    h('select', { 'data-test': 'lang', onchange: (e: Event) => { setLang((e.target as HTMLSelectElement).value as Lang); go({ lang: lang() }, true); } },
      ...languages.map((l) => h('option', { value: l.code, selected: l.code === lang() }, l.name))));
}

function signInView() {
  const err = h('p', { class: 'error', role: 'alert' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', id: 'email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', id: 'password' });
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', id: 'token' });
  const form = h('form', { class: 'card signin', onsubmit: async (e: Event) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const body = token.value ? { token: token.value } : { email: email.value, password: password.value };
      const r = await api('POST', '/v1/auth/login', body);
      csrf = r.csrf_token; me = r;
      render();
    } catch (x) { err.textContent = t('labelled', { label: t('signin_failed'), value: (x as Error).message }); }
  } },
  h('h1', {}, t('app')),
  h('label', { for: 'email' }, t('email')), email,
  h('label', { for: 'password' }, t('password')), password,
  h('p', { class: 'muted' }, t('or_token')),
  h('label', { for: 'token' }, t('token')), token,
  h('button', { type: 'submit', 'data-test': 'signin' }, t('signin')), err, langPicker());
  return h('main', { class: 'center' }, form);
}

function shell(view: string, content: HTMLElement) {
  const nav = h('nav', { 'aria-label': 'main' },
    ...views.filter((v) => can(v.role)).map((v) =>
      h('a', { href: '#', 'data-view': v.id, 'aria-current': v.id === view ? 'page' : undefined,
        onclick: (e: Event) => { e.preventDefault(); go({ view: v.id, item: null }); } }, t(v.key))));
  const header = h('header', {},
    h('strong', { class: 'brand' }, t('app')), nav,
    h('span', { class: 'who', 'data-test': 'who' }, `${me!.email} · ${t(`role_${me!.role}`)}`),
    langPicker(),
    h('button', { class: 'link', 'data-test': 'signout', onclick: async () => {
      try { await api('POST', '/v1/auth/logout'); } catch { /* signed out anyway */ }
      me = null; csrf = ''; render();
    } }, t('signout')));
  return h('div', { class: 'shell' }, header, h('main', { id: 'main' }, content));
}

function empty(key: Key) { return h('p', { class: 'empty', 'data-test': 'empty' }, t(key)); }
function failure(x: unknown) {
  if (x instanceof ApiError && x.status === 403) return empty('forbidden');
  return h('p', { class: 'error', role: 'alert' }, t('labelled', { label: t('error'), value: (x as Error).message }));
}

function surveyPicker(current: string) {
  return h('label', {}, t('survey') + ' ',
    h('select', { name: 'survey', 'data-test': 'survey', onchange: (e: Event) => go({ survey: (e.target as HTMLSelectElement).value }) },
      ...surveys.map((s) => h('option', { value: s.id, selected: s.id === current }, s.name ? `${s.name} (${s.id})` : s.id))));
}

// ---- overview --------------------------------------------------------------------------

function rangeQuery(p: URLSearchParams) {
  const q = new URLSearchParams();
  for (const k of ['from', 'to', 'channel', 'locale', 'device']) if (p.get(k)) q.set(k, p.get(k)!);
  return q;
}

function filterBar(p: URLSearchParams, withInterval: boolean) {
  const field = (name: string, label: Key, input: HTMLElement) => h('label', {}, t(label) + ' ', input);
  const from = h('input', { type: 'date', name: 'from', value: p.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: p.get('to') ?? '' });
  const sel = (name: string, options: string[]) => h('select', { name },
    h('option', { value: '' }, t('any')), ...options.map((o) => h('option', { value: o, selected: p.get(name) === o }, o)));
  const channel = sel('channel', ['web', 'app', 'email', 'link', 'sms', 'import', 'api']);
  // Any language tag: the list offers those this survey's answers have (from the locale
  // breakdown, filled in when it arrives); a tag from a shared link is kept as it is.
  const known = h('datalist', { id: 'known-locales' });
  const locale = h('input', { name: 'locale', list: 'known-locales', value: p.get('locale') ?? '', placeholder: t('any'), size: 7 });
  api('GET', `/v1/admin/surveys/${encodeURIComponent(p.get('survey')!)}/breakdown?by=locale`)
    .then((bd) => known.replaceChildren(...bd.segments.filter((x: any) => x.value).map((x: any) => h('option', { value: x.value }))))
    .catch(() => undefined); // the list is a convenience; typing a tag still works
  const device = sel('device', ['desktop', 'mobile', 'tablet']);
  const attr = h('input', { name: 'attr', value: p.get('attr') ?? '', placeholder: 'plan', size: 8 });
  const interval = h('select', { name: 'interval' }, ...(['day', 'week', 'month'] as const).map((i) =>
    h('option', { value: i, selected: (p.get('interval') ?? 'week') === i }, t(i))));
  return h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    go({ from: from.value, to: to.value, channel: (channel as HTMLSelectElement).value, locale: locale.value.trim(),
      device: (device as HTMLSelectElement).value, attr: withInterval ? attr.value : p.get('attr'), interval: withInterval ? (interval as HTMLSelectElement).value : p.get('interval') });
  } }, surveyPicker(p.get('survey')!), field('from', 'from', from), field('to', 'to', to), field('channel', 'channel', channel),
  field('locale', 'locale', locale), known, field('device', 'device', device), withInterval && field('interval', 'interval', interval), withInterval && field('attr', 'attribute', attr),
  h('button', { type: 'submit' }, t('apply')));
}

async function overview(p: URLSearchParams) {
  const id = p.get('survey')!;
  const q = rangeQuery(p);
  const base = `/v1/admin/surveys/${encodeURIComponent(id)}`;
  const [summary, trend, ...breakdowns] = await Promise.all([
    api('GET', `${base}/summary?${q}`),
    api('GET', `${base}/trend?${q}&interval=${p.get('interval') ?? 'week'}`),
    ...['channel', 'locale', 'device', 'page', ...(p.get('attr') ? [`attribute:${p.get('attr')}`] : [])]
      .map((by) => api('GET', `${base}/breakdown?${q}&by=${encodeURIComponent(by)}`)),
  ]);
  const root = h('section', { class: 'overview' }, filterBar(p, true));
  const live = h('p', { class: 'live', 'data-test': 'live' }, `● ${t('live')}`);
  root.append(live);
  if (!summary.n) { root.append(empty('no_answers')); startLive(id, live, root); return root; }
  const margin = summary.ci95 ? (summary.ci95[1] - summary.ci95[0]) / 2 : null;
  root.append(h('div', { class: 'kpis' },
    h('div', { class: 'card kpi' }, h('div', { class: 'label' }, t('nps')),
      h('div', { class: 'big', 'data-test': 'nps' }, num(summary.nps)),
      h('div', { class: 'muted', 'data-test': 'ci' }, ciLine(summary.ci95, margin)),
      h('div', { class: 'muted', 'data-test': 'n' }, count('answers_n', summary.n)),
      summary.small_sample && h('p', { class: 'warn', 'data-test': 'small-sample' }, t('small_sample')),
      h('p', { class: 'fine' }, t('benchmark'))),
    h('div', { class: 'card kpi' }, h('div', { class: 'label' }, t('shares')),
      ...(['promoters', 'passives', 'detractors'] as const).map((k) =>
        h('div', { class: `share ${k}` }, h('span', {}, t(`${k}_share` as Key)), h('b', {}, pct(summary.shares[k])),
          h('span', { class: 'bar', style: `width:${Math.min(100, Math.max(0, summary.shares[k]))}%` })))),
  ));
  const distCanvas = h('canvas', { 'aria-label': t('distribution'), role: 'img' });
  const trendCanvas = h('canvas', { 'aria-label': t('trend'), role: 'img' });
  root.append(h('div', { class: 'charts' },
    h('figure', { class: 'card' }, h('figcaption', {}, t('distribution')), h('div', { class: 'chart' }, distCanvas)),
    h('figure', { class: 'card' }, h('figcaption', {}, `${t('trend')} (${t((p.get('interval') ?? 'week') as Key)}) — ● ${t('significant_change')}`),
      h('div', { class: 'chart' }, trendCanvas))));
  charts.push(new Chart(distCanvas, {
    type: 'bar',
    data: { labels: [...Array(11).keys()].map(String),
      datasets: [{ label: t('answers_label'), data: summary.counts, backgroundColor: summary.categories.map((c: string) => COLORS[c]) }] },
    options: { locale: lang(), maintainAspectRatio: false, plugins: { legend: { display: false }, tooltip: { rtl: rtl() } },
      scales: { x: { reverse: rtl() }, y: { beginAtZero: true, position: rtl() ? 'right' : 'left' } } },
  }));
  const b = trend.buckets.filter((x: any) => x.nps !== null);
  charts.push(new Chart(trendCanvas, {
    type: 'line',
    data: { labels: b.map((x: any) => day(x.start)),
      datasets: [
        { label: `${t('ci')} ↑`, data: b.map((x: any) => x.ci95[1]), borderWidth: 0, pointRadius: 0, fill: '+1', backgroundColor: 'rgba(25,118,210,0.15)' },
        { label: `${t('ci')} ↓`, data: b.map((x: any) => x.ci95[0]), borderWidth: 0, pointRadius: 0, fill: false },
        { label: t('nps'), data: b.map((x: any) => x.nps), borderColor: '#1976d2', backgroundColor: '#1976d2',
          pointRadius: b.map((x: any) => (isSig(x.change) ? 6 : 2)),
          pointBackgroundColor: b.map((x: any) => (isSig(x.change) ? '#d81b60' : '#1976d2')) },
      ] },
    options: { locale: lang(), maintainAspectRatio: false, plugins: { legend: { display: false }, tooltip: { rtl: rtl() } },
      scales: { x: { reverse: rtl() }, y: { suggestedMin: -100, suggestedMax: 100, position: rtl() ? 'right' : 'left' } } },
  }));
  const tables = h('div', { class: 'breakdowns' });
  for (const bd of breakdowns) {
    const title = bd.by.startsWith('attribute:') ? t('breakdown_attribute', { name: bd.by.slice(10) }) : t(`breakdown_${bd.by}` as Key);
    tables.append(h('figure', { class: 'card' }, h('figcaption', {}, title),
      h('table', { 'data-test': `breakdown-${bd.by}` },
        h('thead', {}, h('tr', {}, h('th', {}, t('segment')), h('th', {}, t('nps')), h('th', {}, t('ci')), h('th', {}, 'n'), h('th', {}, t('vs_rest')))),
        h('tbody', {}, ...bd.segments.map((s: any) => h('tr', { class: isSig(s.vs_rest) ? 'sig' : '' },
          h('td', { title: s.value ?? '' }, shortSegment(s.value)), h('td', {}, num(s.nps)), h('td', {}, s.ci95 ? range(s.ci95[0], s.ci95[1]) : '–'),
          h('td', {}, num(s.n), s.small_sample ? ' ⚠' : ''),
          // A segment too small to trust gets no p-value: with a handful of answers the test's
          // normal approximation does not hold, and "p=0.002" for n = 1 would mislead.
          h('td', {}, s.vs_rest ? ltr(`${signed(s.vs_rest.difference)}${s.small_sample || s.vs_rest.small_sample ? ' ⚠' : ` (${pValue(s.vs_rest.p)})`}${isSig(s.vs_rest) ? ' ★' : ''}`) : '–'))))),
      h('p', { class: 'fine' }, `★ ${t('significant', { p: num(0.05, 2) })} · ⚠ ${t('small_sample_short')}`)));
  }
  root.append(tables);
  startLive(id, live, root);
  return root;
}

// Pages read better as paths; the full URL stays in the tooltip.
function shortSegment(v: string | null) {
  if (v === null || v === '') return t('none_value');
  if (!/^https?:\/\//.test(v)) return v;
  try { const u = new URL(v); return u.pathname + u.search; } catch { return v; }
}

function startLive(id: string, badge: HTMLElement, root: HTMLElement) {
  stream?.close();
  liveCount = 0;
  stream = new EventSource(`/v1/admin/surveys/${encodeURIComponent(id)}/live`);
  const list = h('ul', { class: 'livelist', 'data-test': 'live-list' });
  root.insertBefore(list, badge.nextSibling);
  stream.addEventListener('response', (e) => {
    const r = JSON.parse((e as MessageEvent).data);
    liveCount++;
    badge.textContent = `● ${t('live')} · ${count('live_new', liveCount)}`;
    const li = h('li', { class: r.category }, h('b', {}, r.score), ' ', t(r.category as Key), ' · ', r.channel ?? '', ' ',
      r.comment ? h('span', { class: 'comment', dir: 'auto' }, r.comment) : '');
    list.prepend(li);
    // The headline numbers follow (from the server, debounced); an empty page is drawn anew.
    clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(async () => {
      if (!document.querySelector('[data-test=nps]')) return void render();
      const s = await api('GET', `/v1/admin/surveys/${encodeURIComponent(id)}/summary?${rangeQuery(params())}`);
      const margin = s.ci95 ? (s.ci95[1] - s.ci95[0]) / 2 : null;
      document.querySelector('[data-test=nps]')!.textContent = num(s.nps);
      document.querySelector('[data-test=ci]')!.textContent = ciLine(s.ci95, margin);
      document.querySelector('[data-test=n]')!.textContent = count('answers_n', s.n);
    }, 800);
  });
}
let refreshTimer = 0;

// ---- responses -------------------------------------------------------------------------

async function responses(p: URLSearchParams) {
  const id = p.get('survey')!;
  const q = rangeQuery(p);
  for (const k of ['category', 'q', 'attribute']) if (p.get(k)) q.set(k, p.get(k)!);
  const url = (cursor?: string) => `/v1/admin/surveys/${encodeURIComponent(id)}/responses?${q}&limit=100${cursor ? `&cursor=${cursor}` : ''}`;
  const page = await api('GET', url());
  const search = h('input', { type: 'search', name: 'q', value: p.get('q') ?? '', placeholder: t('search'), 'aria-label': t('search') });
  const attribute = h('input', { name: 'attribute', value: p.get('attribute') ?? '', placeholder: 'plan:pro', 'aria-label': t('attribute'), size: 10 });
  const cat = h('select', { name: 'category', 'aria-label': t('category') }, h('option', { value: '' }, t('all')),
    ...['detractor', 'passive', 'promoter'].map((c) => h('option', { value: c, selected: p.get('category') === c }, t(c as Key))));
  const root = h('section', {}, filterBar(p, false),
    h('form', { class: 'filters', 'data-test': 'response-filters', onsubmit: (e: Event) => { e.preventDefault(); go({ q: search.value, category: (cat as HTMLSelectElement).value, attribute: attribute.value }); } },
      cat, search, attribute, h('button', { type: 'submit' }, t('apply')),
      h('a', { class: 'button', 'data-test': 'export', href: `/v1/admin/surveys/${encodeURIComponent(id)}/export?${q}&format=csv` }, t('export_csv'))));
  if (!page.items.length) { root.append(empty('no_responses')); return root; }
  const row = (r: any) => h('tr', {},
    h('td', { class: `score ${r.category}` }, r.score), h('td', {}, t(r.category as Key)),
    h('td', { class: 'comment', dir: 'auto' }, r.comment ?? ''),
    h('td', { class: 'attrs' }, Object.entries(r.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join(', '), r.respondent_id ? ` · ${r.respondent_id}` : ''),
    h('td', {}, [r.channel, r.locale, r.device].filter(Boolean).join(' · ')), h('td', {}, when(r.received_at)));
  const body = h('tbody', {}, ...page.items.map(row));
  root.append(h('div', { class: 'scroll' }, h('table', { class: 'responses', 'data-test': 'responses' },
    h('thead', {}, h('tr', {}, ...(['score', 'category', 'comment', 'attributes', 'channel', 'time'] as Key[]).map((k) => h('th', {}, t(k))))),
    body)));
  let next: string | null = page.next_cursor;
  const more: HTMLButtonElement = h('button', { type: 'button', 'data-test': 'more', hidden: !next, onclick: async () => {
    const p2 = await api('GET', url(next!));
    body.append(...p2.items.map(row));
    next = p2.next_cursor;
    more.hidden = !next;
  } }, t('more'));
  root.append(more);
  return root;
}

// ---- follow-up -------------------------------------------------------------------------

async function followup(p: URLSearchParams) {
  const id = p.get('survey')!;
  const base = `/v1/admin/surveys/${encodeURIComponent(id)}/follow-ups`;
  if (p.get('item')) return followupItem(base, p.get('item')!);
  const scope = p.get('scope') ?? 'open';
  const q = new URLSearchParams({ limit: '100' });
  if (scope === 'open') q.set('open', '1');
  if (scope === 'mine') q.set('assignee', 'me');
  const list = await api('GET', `${base}?${q}`);
  const tab = (s: string, key: Key) => h('button', { class: s === scope ? 'tab on' : 'tab', 'data-scope': s, 'aria-pressed': String(s === scope),
    onclick: () => go({ scope: s }) }, t(key));
  const root = h('section', {}, h('div', { class: 'filters' }, surveyPicker(id), tab('open', 'open'), tab('mine', 'mine'), tab('all', 'all_items')));
  if (!list.items.length) { root.append(empty('no_followups')); return root; }
  root.append(h('ul', { class: 'items', 'data-test': 'followups' }, ...list.items.map((f: any) => h('li', { class: 'card item' },
    h('a', { href: '#', 'data-item': f.response.id, onclick: (e: Event) => { e.preventDefault(); go({ item: String(f.response.id) }); } },
      h('b', { class: `score ${f.response.category}` }, f.response.score), ' ',
      h('span', { class: `status ${f.status}`, 'data-test': 'status' }, t(`status_${f.status}` as Key)), ' ',
      h('span', { class: 'comment', dir: 'auto' }, f.response.comment ?? f.response.respondent_id ?? '')),
    h('div', { class: 'muted' }, `${when(f.response.received_at)} · ${f.assignee?.email ?? t('unassigned')} · ${count('notes_n', f.notes.length)}`)))));
  return root;
}

async function followupItem(base: string, rid: string) {
  const f = await api('GET', `${base}/${rid}`);
  const note = h('textarea', { name: 'note', rows: 3, 'aria-label': t('note'), 'data-test': 'note' });
  const change = async (body: Record<string, unknown>) => {
    if (note.value.trim()) body.note = note.value.trim();
    await api('PATCH', `${base}/${rid}`, body);
    render();
  };
  return h('section', { class: 'card detail', 'data-test': 'followup-item' },
    h('button', { class: 'link', onclick: () => go({ item: null }) }, `${dir() === 'rtl' ? '→' : '←'} ${t('back')}`),
    h('h2', {}, h('span', { class: `score ${f.response.category}` }, f.response.score), ' ', t(f.response.category as Key)),
    h('p', { class: 'comment big-comment', 'data-test': 'comment', dir: 'auto' }, f.response.comment ?? ''),
    h('dl', {}, h('dt', {}, t('respondent')), h('dd', {}, f.response.respondent_id ?? '–'),
      h('dt', {}, t('status')), h('dd', { 'data-test': 'status' }, t(`status_${f.status}` as Key)),
      h('dt', {}, t('assignee')), h('dd', {}, f.assignee?.email ?? t('unassigned')),
      h('dt', {}, t('time')), h('dd', {}, when(f.response.received_at))),
    h('h3', {}, t('notes')),
    h('ol', { class: 'notes', 'data-test': 'notes' }, ...f.notes.map((n: any) => h('li', {}, h('span', { class: 'muted' }, `${n.author} · ${when(n.created_at)}: `), n.text))),
    note,
    h('div', { class: 'actions' },
      h('button', { 'data-test': 'contacted', onclick: () => change({ status: 'contacted' }) }, t('mark_contacted')),
      h('button', { 'data-test': 'resolve', onclick: () => change({ status: 'resolved' }) }, t('resolve')),
      me?.user_id ? h('button', { onclick: () => change({ assignee_id: 'me' }) }, t('assign_me')) : null,
      h('button', { onclick: async () => { if (note.value.trim()) { await api('POST', `${base}/${rid}/notes`, { text: note.value.trim() }); render(); } } }, t('add_note'))));
}

// ---- promoters -------------------------------------------------------------------------

async function promoters(p: URLSearchParams) {
  const id = p.get('survey')!;
  const base = `/v1/admin/surveys/${encodeURIComponent(id)}/promoters`;
  const list = await api('GET', base);
  const root = h('section', {}, h('div', { class: 'filters' }, surveyPicker(id),
    h('a', { class: 'button', href: `${base}?format=csv`, 'data-test': 'promoters-csv' }, t('export_csv'))));
  if (!list.items.length) { root.append(empty('no_promoters')); return root; }
  root.append(h('div', { class: 'scroll' }, h('table', { 'data-test': 'promoters' },
    h('thead', {}, h('tr', {}, ...(['respondent', 'score', 'comment', 'time'] as Key[]).map((k) => h('th', {}, t(k))))),
    h('tbody', {}, ...list.items.slice(0, 500).map((r: any) => h('tr', {}, h('td', {}, r.respondent_id), h('td', { class: 'score promoter' }, r.score),
      h('td', { class: 'comment', dir: 'auto' }, r.comment ?? ''), h('td', {}, when(r.received_at))))))));
  return root;
}

// ---- surveys ---------------------------------------------------------------------------

function snippet(id: string) {
  return `<script async src="${location.origin}/nps.js" data-survey="${id}"></script>`;
}

async function surveysView(p: URLSearchParams) {
  const root = h('section', { class: 'surveys' });
  const editing = p.get('edit');
  if (!surveys.length) root.append(empty('no_surveys'));
  root.append(h('ul', { class: 'items', 'data-test': 'survey-list' }, ...surveys.map((s) => h('li', { class: 'card item' },
    h('b', {}, s.name ?? s.id), ` (${s.id}) · ${t('version', { v: s.version })}${s.archived ? ' · ' + t('archived') : ''} `,
    can('editor') && h('button', { class: 'link', onclick: () => go({ edit: s.id }) }, t('edit_survey')),
    h('pre', { class: 'snippet', dir: 'ltr' }, snippet(s.id))))));
  if (!can('editor')) return root;
  let definition: any = { id: '', name: '' };
  if (editing) definition = (await api('GET', `/v1/admin/surveys/${encodeURIComponent(editing)}`)).definition;
  const { id: _id, name: _name, ...rest } = definition;
  const errs = new Map<string, HTMLElement>();
  const errFor = (path: string) => { const e = h('p', { id: `err-${path}`, class: 'field-error', 'data-path': path, role: 'alert' }); errs.set(path, e); return e; };
  // The preview follows the form as the editor types (debounced).
  const preview = surveyPreview();
  let typing = 0;
  const changed = () => { clearTimeout(typing); typing = window.setTimeout(() => preview.show(previewed()), 300); };
  // Each field names its label (for=) and its error line (aria-describedby): a screen reader
  // reads the core's message with the field.
  const idIn = h('input', { id: 'survey-id', name: 'id', dir: 'ltr', value: definition.id, disabled: !!editing, 'aria-describedby': 'err-id', oninput: changed });
  const nameIn = h('input', { id: 'survey-name', name: 'name', dir: 'auto', value: definition.name ?? '', 'aria-describedby': 'err-name', oninput: changed });
  const defIn = h('textarea', { id: 'survey-definition', name: 'definition', dir: 'ltr', rows: 14, spellcheck: 'false', 'aria-describedby': 'err-definition', oninput: changed }, JSON.stringify(rest, null, 2));
  // What Save sends: the definition with the id and the name; an empty name is left out
  // (the core refuses an empty text, not a missing one). Throws on invalid JSON.
  const bodyOf = () => ({ ...JSON.parse(defIn.value || '{}'), id: idIn.value, ...(nameIn.value ? { name: nameIn.value } : {}) });
  // What the preview draws: the same body. An id not typed yet is not an error worth
  // showing there (the widget does not show the id); Save still asks for one.
  const previewed = (): unknown => {
    try { const b = bodyOf(); return b.id ? b : { ...b, id: 'preview' }; }
    catch (x) { return x as Error; }
  };
  const general = h('ul', { class: 'field-error', 'data-test': 'errors' });
  const done = h('div', { 'data-test': 'saved' });
  const form = h('form', { class: 'card survey-form', 'data-test': 'survey-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    for (const el of errs.values()) el.textContent = '';
    general.replaceChildren(); done.replaceChildren();
    let body: any;
    try { body = bodyOf(); } catch (x) { errs.get('definition')!.textContent = (x as Error).message; return; }
    try {
      const saved = editing ? await api('PUT', `/v1/admin/surveys/${encodeURIComponent(editing)}`, body) : await api('POST', '/v1/admin/surveys', body);
      surveys = (await api('GET', '/v1/admin/surveys')).items;
      done.append(h('p', { class: 'ok' }, t('saved')), h('p', {}, t('snippet')), h('pre', { class: 'snippet', 'data-test': 'snippet', dir: 'ltr' }, snippet(saved.id)),
        h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(snippet(saved.id)) }, t('copy')));
    } catch (x) {
      if (!(x instanceof ApiError) || !x.body?.errors) { general.append(h('li', {}, (x as Error).message)); return; }
      general.append(h('li', {}, t('fix_errors')));
      for (const er of x.body.errors) {
        const top = String(er.path).split(/[.[]/)[0];
        const target = errs.get(top === 'id' || top === 'name' ? top : 'definition')!;
        target.append(h('span', {}, `${er.path}: ${er.message}`), ' ');
      }
    }
  } },
  h('h2', {}, editing ? t('labelled', { label: t('edit_survey'), value: editing }) : t('create_survey')),
  h('label', { for: 'survey-id' }, t('id')), idIn, errFor('id'),
  h('label', { for: 'survey-name' }, t('name')), nameIn, errFor('name'),
  h('label', { for: 'survey-definition' }, t('definition')), defIn, errFor('definition'),
  general, h('button', { type: 'submit', 'data-test': 'save' }, t('save')), done);
  root.prepend(h('div', { class: 'editor' }, form, preview.el));
  preview.show(previewed());
  return root;
}

// ---- tokens and users (admin) ----------------------------------------------------------

const roleSelect = () => h('select', { name: 'role' }, ...(['viewer', 'analyst', 'editor', 'admin'] as const).map((r) => h('option', { value: r }, t(`role_${r}`))));

async function tokensView() {
  const list = (await api('GET', '/v1/admin/tokens')).items;
  const name = h('input', { name: 'name', placeholder: t('name') });
  const role = roleSelect();
  const shown = h('div');
  return h('section', {},
    h('form', { class: 'card filters', onsubmit: async (e: Event) => {
      e.preventDefault();
      const r = await api('POST', '/v1/admin/tokens', { name: name.value, role: (role as HTMLSelectElement).value });
      await render();
      document.querySelector('[data-test=new-token]')?.replaceChildren(t('created_token'), h('pre', { class: 'snippet', dir: 'ltr' }, r.token));
    } }, name, role, h('button', { type: 'submit' }, t('create')), shown),
    h('div', { 'data-test': 'new-token' }),
    list.length ? h('div', { class: 'scroll' }, h('table', { 'data-test': 'tokens' }, h('tbody', {}, ...list.map((tk: any) => h('tr', {}, h('td', {}, tk.id), h('td', {}, tk.name), h('td', {}, t(`role_${tk.role as Role}`)),
      h('td', {}, when(tk.created_at)), h('td', {}, h('button', { class: 'link', onclick: async () => { await api('DELETE', `/v1/admin/tokens/${tk.id}`); render(); } }, t('delete'))))))))
      : empty('no_tokens'));
}

async function usersView() {
  const list = (await api('GET', '/v1/admin/users')).items;
  const email = h('input', { name: 'email', type: 'email', placeholder: t('email') });
  const password = h('input', { name: 'password', type: 'password', placeholder: t('password'), autocomplete: 'new-password' });
  const role = roleSelect();
  const err = h('p', { class: 'error', role: 'alert' });
  return h('section', {},
    h('form', { class: 'card filters', onsubmit: async (e: Event) => {
      e.preventDefault();
      try { await api('POST', '/v1/admin/users', { email: email.value, password: password.value, role: (role as HTMLSelectElement).value }); render(); }
      catch (x) { err.textContent = ((x as ApiError).body?.errors ?? []).map((e: any) => `${e.path}: ${e.message}`).join('; ') || (x as Error).message; }
    } }, email, password, role, h('button', { type: 'submit' }, t('create')), err),
    list.length ? h('div', { class: 'scroll' }, h('table', { 'data-test': 'users' }, h('tbody', {}, ...list.map((u: any) => h('tr', {}, h('td', {}, u.email), h('td', {}, t(`role_${u.role as Role}`)),
      h('td', {}, when(u.created_at)), h('td', {}, h('button', { class: 'link', onclick: async () => { await api('DELETE', `/v1/admin/users/${u.id}`); render(); } }, t('delete'))))))))
      : empty('no_users'));
}

// ---- start -----------------------------------------------------------------------------

let rendering = 0;
async function render() {
  const mine = ++rendering;
  for (const c of charts) c.destroy();
  charts = [];
  stream?.close(); stream = null;
  const p = params();
  setLang(chooseLang(p.get('lang'), navigator.languages));
  document.title = t('app');
  if (!me) {
    try { const r = await api('GET', '/v1/auth/me'); me = r; csrf = r.csrf_token ?? ''; }
    catch { app().replaceChildren(signInView()); return; }
  }
  try { surveys = (await api('GET', '/v1/admin/surveys')).items; } catch (x) { app().replaceChildren(failure(x)); return; }
  let view = p.get('view') ?? 'overview';
  const allowed = views.find((v) => v.id === view && can(v.role));
  if (!allowed) view = 'overview';
  if (!p.get('survey') && surveys.length) { history.replaceState(null, '', `?${new URLSearchParams({ ...Object.fromEntries(p), survey: surveys.find((s) => !s.archived)?.id ?? surveys[0].id })}`); return render(); }
  let content: HTMLElement;
  try {
    if (!surveys.length && !['surveys', 'tokens', 'users'].includes(view)) content = empty('no_surveys');
    else if (view === 'overview') content = await overview(p);
    else if (view === 'why') content = await why(p, { api, go, surveyPicker, canReadComments: can('analyst') });
    else if (view === 'responses') content = await responses(p);
    else if (view === 'followup') content = await followup(p);
    else if (view === 'promoters') content = await promoters(p);
    else if (view === 'surveys') content = await surveysView(p);
    else if (view === 'tokens') content = await tokensView();
    else content = await usersView();
  } catch (x) {
    if (x instanceof ApiError && x.status === 401) { me = null; return render(); }
    content = failure(x);
  }
  if (mine !== rendering) return;
  app().replaceChildren(shell(view, content));
  // On a phone the pages' links scroll sideways: the current one in view.
  document.querySelector('header nav [aria-current=page]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  document.body.dataset.ready = view;
}

// The language is the core's choice (i18n.negotiate in the nps-survey module, which the
// survey editor loads anyway): fetched once, before the first page is drawn.
async function start() {
  configure({ base: `${location.origin}/` });
  try {
    const c = await core('nps-survey');
    const available = languages.map((l) => l.code);
    useNegotiator((requested) => invoke<string>(c, 'i18n.negotiate', { requested, available, fallback: 'en' }));
  } catch (x) {
    console.warn('dashboard: the core did not load; the language is English unless ?lang= names one exactly', x);
  }
  await render();
}
void start();
