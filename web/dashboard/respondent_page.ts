// The page of one respondent (issue 19, item 7): ?view=respondent&item=<respondent id>. All
// their answers to this survey in time order (every page of the API's list), their score over
// time, the attributes of their latest answer, and their churn risk with its reasons when a
// churn model is fitted and lists them ("no churn model fitted yet" otherwise). Each answer
// opens its own page (response_page.ts). Analysts and above, like the answers themselves.
import { t, count, lang, pct, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, empty, link, surveyBase, when } from './app';
import { featureName } from './churn';
import { attributeFacts, back, deviceName, responseLink, rowOpens } from './response_page';

type Answer = { id: number; score: number; category: string; comment?: string; received_at: string; channel?: string;
  locale?: string; device?: string; attributes?: Record<string, unknown> };

// Every answer of the respondent, oldest first (the API lists newest first, 500 a page).
async function answersOf(base: string, who: string): Promise<Answer[]> {
  const out: Answer[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ respondent_id: who, limit: '500' });
    if (cursor) q.set('cursor', cursor);
    const page: any = await api('GET', `${base}/responses?${q}`);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  const at = (a: Answer) => Date.parse(a.received_at);
  return out.sort((a, b) => at(a) - at(b) || a.id - b.id);
}

// The churn model's word on this respondent: none fitted (404), not listed, or their place.
type Churn = { fitted: false } | { fitted: true; rank: number; entry: any | null };
async function churnOf(base: string, who: string): Promise<Churn> {
  try {
    const list = await api('GET', `${base}/churn/at-risk?customer=${encodeURIComponent(who)}&limit=1`);
    const entry = list.items[0] ?? null;
    return { fitted: true, rank: entry ? entry.rank : 0, entry };
  } catch (x) {
    if (x instanceof ApiError && x.status === 404) return { fitted: false };
    throw x;
  }
}

export async function respondentPage(p: URLSearchParams) {
  const base = surveyBase(p);
  const who = p.get('item') ?? '';
  const root = h('div', { class: 'respondent-page' }, h('p', { class: 'crumbs' }, back('responses', 'responses')));
  if (!who) { root.append(empty('rd_none')); return root; }
  const [answers, churn] = await Promise.all([answersOf(base, who), churnOf(base, who)]);
  if (!answers.length) { root.append(empty('rd_none')); return root; }
  const first = answers[0], last = answers[answers.length - 1];
  const withAttributes = [...answers].reverse().find((a) => Object.keys(a.attributes ?? {}).length);

  const head = h('section', { class: 'card', 'data-test': 'respondent-head' },
    h('h2', {}, h('bdi', { 'data-test': 'respondent-id' }, who)),
    h('p', { 'data-test': 'respondent-summary' }, count('answers_n', answers.length), ' · ',
      t('rd_span', { first: when(first.received_at), last: when(last.received_at) })),
    h('p', { class: 'latest' }, h('span', { class: 'muted' }, t('rd_latest'), ' '),
      h('b', { class: `score big-ish ${last.category}`, 'data-test': 'latest-score' }, String(last.score)), ' ', t(last.category as Key)));

  const attributes = h('section', { class: 'card', 'data-test': 'latest-attributes' }, h('h2', {}, t('rd_attributes')));
  if (withAttributes) {
    attributes.append(h('dl', { class: 'facts' }, ...attributeFacts(withAttributes.attributes)),
      h('p', { class: 'fine' }, t('rd_as_of', { time: when(withAttributes.received_at) })));
  } else attributes.append(h('p', { class: 'muted' }, t('rd_no_attributes')));

  root.append(h('div', { class: 'answer-grid' }, h('div', {}, head, attributes), churnCard(churn)),
    h('section', { class: 'card', 'data-test': 'score-chart' }, h('h2', {}, t('rd_chart')), scoreChart(answers)),
    h('section', { class: 'card' }, h('h2', {}, t('rd_history')), h('p', { class: 'muted' }, t('rd_oldest_first')),
      h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'respondent-answers' },
        h('thead', {}, h('tr', {}, ...(['time', 'score', 'category', 'comment', 'channel'] as Key[]).map((k) => h('th', { scope: 'col' }, t(k))))),
        h('tbody', {}, ...answers.map(row))))));
  return root;
}

function row(a: Answer) {
  const open = responseLink(a.id, when(a.received_at));
  return rowOpens(h('tr', { 'data-response': String(a.id) },
    h('td', { 'data-label': t('time') }, open),
    h('td', { class: `score ${a.category}`, 'data-label': t('score'), 'data-test': 'score' }, String(a.score)),
    h('td', { 'data-label': t('category') }, t(a.category as Key)),
    h('td', { class: 'comment', 'data-label': t('comment'), 'data-test': 'comment' }, h('bdi', { dir: 'auto' }, a.comment ?? '')),
    h('td', { 'data-label': t('channel') }, [a.channel, a.locale, deviceName(a.device)].filter(Boolean).join(' · '))), open);
}

// The scores as a line over time (0 to 10; time runs the way the page reads), each point in
// its category's colour with its moment and score as a tooltip. The drawing stretches to the
// card's width at a fixed height: its strokes do not scale, and a point is a round-capped
// stroke of no length, so it stays round.
function scoreChart(answers: Answer[]) {
  const NS = 'http://www.w3.org/2000/svg';
  const rtl = document.documentElement.dir === 'rtl';
  const times = answers.map((a) => Date.parse(a.received_at));
  const t0 = Math.min(...times), t1 = Math.max(...times);
  const x = (tm: number) => { const f = t1 > t0 ? (tm - t0) / (t1 - t0) : 0.5; return 100 * (rtl ? 1 - f : f); };
  const y = (s: number) => 100 * (10 - s) / 10;
  const el = (tag: string, attrs: Record<string, string | number>, ...kids: (Node | string)[]) => {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    e.append(...kids);
    return e;
  };
  const first = when(answers[0].received_at), last = when(answers[answers.length - 1].received_at);
  const scores = new Intl.ListFormat(lang(), { type: 'unit', style: 'short' }).format(answers.map((a) => String(a.score)));
  const svg = el('svg', { viewBox: '0 0 100 100', preserveAspectRatio: 'none', class: 'score-line', role: 'img',
    'aria-label': t('rd_chart_says', { first, last, scores }) });
  for (const s of [0, 5, 10]) svg.append(el('line', { x1: 0, x2: 100, y1: y(s), y2: y(s), class: 'grid' }));
  const points = answers.map((a, i) => [x(times[i]), y(a.score)].map((v) => v.toFixed(2)));
  svg.append(el('polyline', { points: points.map(([px, py]) => `${px},${py}`).join(' '), class: 'path' }));
  answers.forEach((a, i) => svg.append(el('line', { x1: points[i][0], x2: points[i][0], y1: points[i][1], y2: points[i][1], class: `dot ${a.category}` },
    el('title', {}, `${when(a.received_at)} · ${a.score}`))));
  return h('figure', { class: 'score-chart' },
    h('div', { class: 'plot' }, h('div', { class: 'axis', 'aria-hidden': 'true' }, ...[10, 5, 0].map((s) => h('span', {}, String(s)))),
      h('div', { class: 'area' }, svg),
      h('div', { class: 'chart-ends fine' }, h('span', {}, first), h('span', {}, last))));
}

function churnCard(churn: Churn) {
  const card = h('section', { class: 'card', 'data-test': 'respondent-churn' }, h('h2', {}, t('rd_churn')));
  const open = h('p', {}, link({ view: 'churn', item: null }, t('rd_churn_open')));
  if (!churn.fitted) { card.append(h('p', { class: 'muted', 'data-test': 'churn-none' }, t('rd_churn_none')), open); return card; }
  if (!churn.entry) { card.append(h('p', { class: 'muted', 'data-test': 'churn-not-listed' }, t('rd_churn_not_listed')), open); return card; }
  const r = churn.entry;
  card.append(
    h('p', { class: 'big-ish', 'data-test': 'churn-risk' }, t('rd_churn_risk', { risk: pct(r.risk * 100) })),
    h('p', { 'data-test': 'churn-rank' }, t('rd_churn_rank', { rank: churn.rank })),
    h('ul', { class: 'reasons', 'data-test': 'reasons' }, ...r.reasons.map((x: any) =>
      h('li', { class: x.contribution > 0 ? 'up' : 'down' }, `${x.contribution > 0 ? '▲' : '▼'} `,
        t('labelled', { label: featureName(x.name), value: t(x.contribution > 0 ? 'ch_raises' : 'ch_lowers') })))),
    open);
  return card;
}
