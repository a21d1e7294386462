// Responses (every answer, searchable, filtered, page after page, exported) and promoters
// (those who left a contact, for review requests and referrals).
import { t, type TextKey as Key } from './i18n';
import { h } from './dom';
import { api, empty, go, surveyPicker, when } from './app';
import { filterBar, rangeQuery } from './filters';
import { respondentLink, responseLink, rowOpens } from './response_page';
import { hasTone, toneBadge, toneNote } from './sentiment';

// The words' tone under an English comment (issue 16), on a line of its own.
const tone = (sentiment: unknown) => { const b = toneBadge(sentiment); return b ? h('div', { class: 'tone-line' }, b) : null; };

export async function responses(p: URLSearchParams) {
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
      h('a', { class: 'button', 'data-test': 'export', href: `/v1/admin/surveys/${encodeURIComponent(id)}/export?${q}&format=csv` }, t('export_csv')),
      h('a', { class: 'button', 'data-test': 'export-excel', href: `/v1/admin/surveys/${encodeURIComponent(id)}/export?${q}&${excelQuery()}` }, t('export_excel'))));
  if (!page.items.length) { root.append(empty('no_responses')); return root; }
  // A row opens the answer's page (its time is the link); the respondent id opens theirs.
  const row = (r: any) => { const open = responseLink(r.id, when(r.received_at)); return rowOpens(h('tr', { 'data-response': String(r.id) },
    h('td', { class: `score ${r.category}`, 'data-label': t('score') }, r.score), h('td', { 'data-label': t('category') }, t(r.category as Key)),
    // A cell holds one element: its direction is the comment's own (dir=auto), the cell's is
    // the page's, so on a phone the column's name stays on the page's starting side.
    h('td', { class: 'comment', 'data-label': t('comment') }, h('div', { dir: 'auto' }, h('span', { class: 'comment-text' }, r.comment ?? ''), tone(r.sentiment))),
    h('td', { class: 'attrs', 'data-label': t('attributes') }, h('span', {}, Object.entries(r.attributes ?? {}).map(([k, v]) => `${k}=${v}`).join(', '), r.respondent_id ? ' · ' : '', r.respondent_id ? respondentLink(r.respondent_id) : '')),
    h('td', { 'data-label': t('channel') }, [r.channel, r.locale, r.device].filter(Boolean).join(' · ')), h('td', { 'data-label': t('time') }, open)), open); };
  const body = h('tbody', {}, ...page.items.map(row));
  // Where the tone comes from, once, above the first page that shows one.
  if (hasTone(page.items)) root.append(toneNote());
  root.append(h('div', { class: 'scroll' }, h('table', { class: 'responses cards', 'data-test': 'responses' },
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


export async function promoters(p: URLSearchParams) {
  const id = p.get('survey')!;
  const base = `/v1/admin/surveys/${encodeURIComponent(id)}/promoters`;
  const list = await api('GET', base);
  const ambassadors = `/v1/admin/surveys/${encodeURIComponent(id)}/ambassadors`;
  // Both lists hold names and words in any script: each also for Excel (a BOM, the computer's
  // separator and local times), as on Responses.
  const root = h('section', {}, h('div', { class: 'filters' }, surveyPicker(id),
    h('a', { class: 'button', href: `${base}?format=csv`, 'data-test': 'promoters-csv' }, t('export_csv')),
    h('a', { class: 'button', href: `${base}?${excelQuery()}`, 'data-test': 'promoters-excel' }, t('export_excel')),
    h('a', { class: 'button', href: `${ambassadors}?format=csv`, 'data-test': 'ambassadors-csv' }, t('ambassadors_csv')),
    h('a', { class: 'button', href: `${ambassadors}?${excelQuery()}`, 'data-test': 'ambassadors-excel' }, t('ambassadors_excel'))));
  if (!list.items.length) { root.append(empty('no_promoters')); return root; }
  const shownItems = list.items.slice(0, 500);
  // The words' tone as on Responses: one line on where it comes from, a badge under each English comment.
  if (hasTone(shownItems)) root.append(toneNote());
  root.append(h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'promoters' },
    h('thead', {}, h('tr', {}, ...(['respondent', 'score', 'comment', 'time'] as Key[]).map((k) => h('th', {}, t(k))))),
    h('tbody', {}, ...shownItems.map((r: any) => h('tr', { 'data-response': String(r.id) }, h('td', { 'data-label': t('respondent') }, r.respondent_id),
      h('td', { class: 'score promoter', 'data-label': t('score') }, r.score),
      // One element in the cell (a phone's card): the comment in its own direction, the tone under it in the page's.
      h('td', { class: 'comment', 'data-label': t('comment') }, h('div', {}, h('bdi', {}, r.comment ?? ''), tone(r.sentiment))),
      h('td', { 'data-label': t('time') }, when(r.received_at))))))));
  return root;
}

// The spreadsheet flavour for this browser: Excel takes the separator of the computer's
// locale (a semicolon where the decimal comma is used) and shows times as they are written,
// so they come in this computer's time zone, with its offset.
export function excelQuery(locale = navigator.language, now = new Date()) {
  const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((x) => x.type === 'decimal')?.value;
  const east = -now.getTimezoneOffset();
  const hhmm = `${String(Math.floor(Math.abs(east) / 60)).padStart(2, '0')}:${String(Math.abs(east) % 60).padStart(2, '0')}`;
  return new URLSearchParams({ format: 'csv', flavour: 'excel', separator: decimal === ',' ? 'semicolon' : 'comma',
    utc_offset: east === 0 ? 'Z' : `${east < 0 ? '-' : '+'}${hhmm}` }).toString();
}
