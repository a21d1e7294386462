// The "Why" page (issue 16): what detractors, passives and promoters write about, from
// GET /v1/admin/surveys/{id}/themes. The server counts terms as answers arrive and the core
// computes every statistic (log-odds z, impact with its 95% interval, trend test); this page
// only draws them. Comment text is shown only to analysts, on a click on a theme; a viewer
// gets themes and numbers. Filtered by channel and device like the other pages (the same
// selects, filters.ts; the server keeps the counts per channel and device). An English comment carries its words' tone and, when they contradict
// its score, a flag (sentiment.ts); other languages none. Every text node through h()
// (textContent), never innerHTML.
import { t, num, signed, pct, ltr, dateTime, type TextKey as Key } from './i18n';
import { h } from './dom';
import { hasTone, toneBadge, toneNote } from './sentiment';
import { channelSelect, deviceSelect } from './filters';

export interface WhyContext {
  api: (method: string, path: string) => Promise<any>;
  go: (changes: Record<string, string | null>) => void;
  surveyPicker: (current: string) => HTMLElement;
  canReadComments: boolean;
}

const sig = (x: any) => !!x && x.significant && !x.small_sample;

function filters(p: URLSearchParams, ctx: WhyContext, langs: { lang: string; comments: number }[]) {
  const from = h('input', { type: 'date', name: 'from', value: p.get('from') ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: p.get('to') ?? '' });
  const language = h('select', { name: 'locale', 'data-test': 'why-lang' },
    h('option', { value: '' }, t('why_all_languages')),
    ...langs.map((l) => h('option', { value: l.lang, selected: p.get('locale') === l.lang },
      `${l.lang || t('none_value')} (${num(l.comments)})`)));
  const channel = channelSelect(p), device = deviceSelect(p);
  return h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    ctx.go({ from: from.value, to: to.value, locale: language.value, channel: channel.value, device: device.value, term: null });
  } }, ctx.surveyPicker(p.get('survey')!),
  h('label', {}, t('from') + ' ', from), h('label', {}, t('to') + ' ', to),
  h('label', {}, t('channel') + ' ', channel), h('label', {}, t('locale') + ' ', language),
  h('label', {}, t('device') + ' ', device), h('button', { type: 'submit' }, t('apply')));
}

// A week-by-week share, drawn as a row of bars (no chart library needed on a phone).
function spark(trend: any) {
  if (!trend) return h('span', { class: 'muted' }, '–');
  const max = Math.max(1, ...trend.shares);
  const bars = h('span', { class: 'spark', role: 'img', 'aria-label': trend.weeks.map((w: string, i: number) => `${w}: ${pct(trend.shares[i])}`).join(', ') },
    ...trend.shares.map((s: number) => h('i', { style: `height:${Math.max(2, Math.round((s / max) * 18))}px` })));
  return h('span', {}, bars, trend.rising ? h('b', { class: 'rising', 'data-test': 'rising' }, ` ↑ ${t('why_rising')}`) : '',
    trend.falling ? h('span', { class: 'muted' }, ` ↓ ${t('why_falling')}`) : '');
}

function impact(x: any) {
  if (!x) return h('span', { class: 'muted' }, '–');
  return h('span', { class: sig(x) ? 'sig' : '' }, ltr(`${signed(x.difference)} [${num(x.ci95[0])} … ${num(x.ci95[1])}]`),
    x.small_sample ? ' ⚠' : sig(x) ? ' ★' : '');
}

function table(title: Key, items: any[], p: URLSearchParams, ctx: WhyContext, test: string) {
  const rows = items.map((it) => {
    const label = ctx.canReadComments
      ? h('a', { href: '#', 'data-test': 'theme', onclick: (e: Event) => { e.preventDefault(); ctx.go({ term: it.term }); } }, it.form)
      : h('span', { 'data-test': 'theme' }, it.form);
    // The words folded into this phrase by the core's phrase rule: not listed on their own.
    const folded: any[] = it.folded ?? [];
    const under = folded.length
      ? h('div', { class: 'fine', 'data-test': 'folded' }, t('why_includes', { terms: folded.map((f) => f.form).join(' · ') }))
      : null;
    // Each cell names its column (data-label): on a phone the rows become cards, the header hidden.
    return h('tr', { class: p.get('term') === it.term ? 'current' : '' },
      h('td', {}, label, under), h('td', { 'data-label': t('why_comments') }, num(it.comments)),
      h('td', { 'data-label': 'z' }, ltr(num(it.z, 1))),
      h('td', { 'data-label': t('why_impact'), 'data-test': 'impact' }, impact(it.impact)),
      h('td', { 'data-label': t('why_weekly') }, spark(it.trend)));
  });
  return h('figure', { class: 'card', 'data-test': test }, h('figcaption', {}, t(title)),
    items.length
      ? h('div', { class: 'scroll' }, h('table', {},
        h('thead', {}, h('tr', {}, h('th', {}, t('why_theme')), h('th', {}, t('why_comments')), h('th', {}, 'z'),
          h('th', {}, t('why_impact')), h('th', {}, t('why_weekly')))),
        h('tbody', {}, ...rows)))
      : h('p', { class: 'muted' }, t('why_none')));
}

// The words as people wrote them, rather than the stem counted ("deliveries", not "deliveri").
function formOf(j: any, term: string) {
  for (const list of [j.detractors, j.detractors_vs_passives, j.promoters])
    for (const it of list) if (it.term === term) return it.form;
  return term;
}

function behind(j: any, ctx: WhyContext) {
  // Each comment with its words' tone when it is English (nothing for other languages).
  const list: any[] = j.behind ?? [];
  const items = list.map((b: any) => {
    const tone = toneBadge(b.sentiment);
    return h('li', { 'data-response': b.response_id },
      h('b', {}, num(b.score)), ' · ', h('span', { class: 'muted' }, dateTime(b.received_at)), ' · ',
      h('span', { dir: 'auto' }, b.comment), tone ? ' ' : '', tone);
  });
  return h('figure', { class: 'card', 'data-test': 'behind' },
    h('figcaption', {}, t('why_behind', { term: formOf(j, j.term) })),
    items.length ? h('ul', { class: 'comments' }, ...items) : h('p', { class: 'muted' }, t('why_none')),
    hasTone(list) ? toneNote() : null,
    h('button', { class: 'link', onclick: () => ctx.go({ term: null }) }, t('back')));
}

export async function why(p: URLSearchParams, ctx: WhyContext) {
  const q = new URLSearchParams();
  for (const k of ['from', 'to', 'locale', 'channel', 'device']) if (p.get(k)) q.set(k, p.get(k)!);
  if (p.get('term') && ctx.canReadComments) q.set('term', p.get('term')!);
  const j = await ctx.api('GET', `/v1/admin/surveys/${encodeURIComponent(p.get('survey')!)}/themes?${q}`);
  const root = h('section', { class: 'why' }, filters(p, ctx, j.languages));
  if (j.term) root.append(behind(j, ctx));
  if (!j.detractors.length && !j.promoters.length && !j.detractors_vs_passives.length) {
    root.append(h('p', { class: 'empty', 'data-test': 'empty' }, t(j.channel || j.device ? 'why_empty_filtered' : 'why_empty')));
    return root;
  }
  root.append(h('div', { class: 'why-grid' },
    table('why_detractors', j.detractors, p, ctx, 'why-detractors'),
    table('why_vs_passives', j.detractors_vs_passives, p, ctx, 'why-passives'),
    table('why_promoters', j.promoters, p, ctx, 'why-promoters')));
  root.append(h('p', { class: 'fine' }, `${t('why_method')} · ★ ${t('significant', { p: num(0.05, 2) })} · ⚠ ${t('small_sample_short')}`));
  return root;
}
