// The overview: the headline NPS with its interval and n, the shares, the score distribution,
// the trend, breakdowns by segment, and the live feed. Every number comes from the server (the
// core computes it). A live answer redraws all of them together, so the page never shows an
// NPS that its shares, charts and tables contradict.
import { Chart } from 'chart.js';
import { t, count, lang, num, signed, pct, pValue, ltr, day, type TextKey as Key } from './i18n';
import { h } from './dom';
import { COLORS, api, ciLine, empty, isSig, params, range, render, rtl, state, surveyBase } from './app';
import { filterBar, rangeQuery } from './filters';
import { savedViews } from './views';
import { toneBadge, toneNote } from './sentiment';
import { channelName } from './funnel';

// Significantly better: green; significantly worse: red; no significant change: the line's blue.
export const BETTER = '#2e7d32', WORSE = '#c62828', LINE = '#1976d2';
const changeColour = (c: any) => (!isSig(c) ? LINE : c.difference > 0 ? BETTER : WORSE);
const changeClass = (c: any) => (!isSig(c) ? '' : c.difference > 0 ? 'better' : 'worse');

export async function overview(p: URLSearchParams) {
  const id = p.get('survey')!;
  const root = h('section', { class: 'overview' }, filterBar(p, true), savedViews());
  const badge = h('p', { class: 'live', 'data-test': 'live' }, `● ${t('live')}`);
  const list = h('ul', { class: 'livelist', 'data-test': 'live-list' });
  const numbers = h('div', { 'data-test': 'numbers' });
  root.append(badge, list, numbers);
  const drawn: Chart[] = [];
  await fill(p, numbers, drawn);
  startLive(id, badge, list, () => fill(params(), numbers, drawn));
  return root;
}

// Fetches and draws the numbers of the page into `into` (replacing what was there).
async function fill(p: URLSearchParams, into: HTMLElement, drawn: Chart[]) {
  const q = rangeQuery(p);
  const base = surveyBase(p);
  const interval = p.get('interval') ?? 'week';
  const [summary, trend, ...breakdowns] = await Promise.all([
    api('GET', `${base}/summary?${q}${q.get('from') ? '&compare=previous' : ''}`),
    api('GET', `${base}/trend?${q}&interval=${interval}`),
    ...['channel', 'locale', 'device', 'page', ...(p.get('attr') ? [`attribute:${p.get('attr')}`] : [])]
      .map((by) => api('GET', `${base}/breakdown?${q}&by=${encodeURIComponent(by)}`)),
  ]);
  for (const c of drawn.splice(0)) { c.destroy(); state.charts = state.charts.filter((x) => x !== c); }
  if (!summary.n) { into.replaceChildren(empty('no_answers')); return; }
  const kpis = h('div', { class: 'kpis' },
    h('div', { class: 'card kpi' }, h('div', { class: 'label' }, t('nps')),
      h('div', { class: 'big', 'data-test': 'nps' }, num(summary.nps)),
      h('div', { class: 'muted', 'data-test': 'ci' }, ciLine(summary.ci95)),
      h('div', { class: 'muted', 'data-test': 'n' }, count('answers_n', summary.n)),
      summary.previous && vsPrevious(summary),
      summary.small_sample && h('p', { class: 'warn', 'data-test': 'small-sample' }, t('small_sample')),
      h('p', { class: 'fine' }, t('benchmark'))),
    h('div', { class: 'card kpi', 'data-test': 'shares' }, h('div', { class: 'label' }, t('shares')),
      ...(['promoters', 'passives', 'detractors'] as const).map((k) =>
        h('div', { class: `share ${k}` }, h('span', {}, t(`${k}_share` as Key)), h('b', { 'data-test': `share-${k}` }, pct(summary.shares[k])),
          h('span', { class: 'bar', style: `width:${Math.min(100, Math.max(0, summary.shares[k]))}%` })))));
  // What each chart draws, on its canvas too (the tests compare it with the server's numbers).
  const distCanvas = h('canvas', { 'aria-label': t('distribution'), role: 'img', 'data-test': 'distribution', 'data-counts': JSON.stringify(summary.counts) });
  const trendCanvas = h('canvas', { 'aria-label': t('trend'), role: 'img', 'data-test': 'trend',
    'data-points': JSON.stringify(trend.buckets.filter((x: any) => x.nps !== null).map((x: any) => [x.start, x.n, changeColour(x.change)])) });
  const trendBox = h('div', { class: 'chart' }, trendCanvas);
  const dot = (colour: string, key: Key) => h('span', { class: 'key' }, h('span', { class: 'dot', style: `background:${colour}` }), t(key));
  const charts = h('div', { class: 'charts' },
    h('figure', { class: 'card' }, h('figcaption', {}, t('distribution')), h('div', { class: 'chart' }, distCanvas)),
    h('figure', { class: 'card' }, h('figcaption', {}, `${t('trend')} (${t(interval as Key)})`),
      trendBox,
      h('p', { class: 'legend', 'data-test': 'trend-legend' }, dot(BETTER, 'better_sig'), dot(WORSE, 'worse_sig'), dot(LINE, 'no_sig_change'),
        trend.overall && h('span', { class: 'key' }, h('span', { class: 'dash', style: `border-color:${overallColour(trend.overall)}` }), t('trend_line'))),
      trend.overall && h('p', { class: `overall ${isSig(trend.overall) ? (trend.overall.slope > 0 ? 'better' : 'worse') : ''}`, 'data-test': 'overall-trend' }, ...overallText(trend.overall))));
  drawn.push(new Chart(distCanvas, {
    type: 'bar',
    data: { labels: [...Array(11).keys()].map(String),
      datasets: [{ label: t('answers_label'), data: summary.counts, backgroundColor: summary.categories.map((c: string) => COLORS[c]) }] },
    plugins: [ticksShown],
    options: { locale: lang(), maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false }, tooltip: { rtl: rtl(), callbacks: { label: (c) => count('answers_n', c.parsed.y ?? 0) } } },
      // Counts are whole numbers: the axis steps by whole answers.
      scales: { x: { reverse: rtl() }, y: { beginAtZero: true, position: rtl() ? 'right' : 'left', ticks: { precision: 0 } } } },
  }));
  const b = trend.buckets.filter((x: any) => x.nps !== null);
  drawn.push(new Chart(trendCanvas, {
    type: 'line',
    plugins: [ticksShown],
    data: { labels: b.map((x: any) => day(x.start)),
      datasets: [
        { label: `${t('ci')} ↑`, data: b.map((x: any) => x.ci95[1]), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: '+1', backgroundColor: 'rgba(25,118,210,0.15)' },
        { label: `${t('ci')} ↓`, data: b.map((x: any) => x.ci95[0]), borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false },
        { label: t('nps'), data: b.map((x: any) => x.nps), borderColor: LINE, backgroundColor: LINE,
          pointRadius: b.map((x: any) => (isSig(x.change) ? 6 : 3)),
          pointBackgroundColor: b.map((x: any) => changeColour(x.change)), pointBorderColor: b.map((x: any) => changeColour(x.change)) },
        // The longer trend (the core's test over the whole range): its line, dashed.
        ...(trend.overall ? [{ label: t('trend_line'), data: b.map((_: any, i: number) => (i === 0 ? trend.overall.start : i === b.length - 1 ? trend.overall.start + trend.overall.change : null)),
          spanGaps: true, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, pointHitRadius: 0, borderColor: overallColour(trend.overall), fill: false }] : []),
      ] },
    options: { locale: lang(), maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false },
        tooltip: { enabled: false, external: htmlTooltip(trendBox), filter: (c) => c.datasetIndex === 2, mode: 'index', intersect: false,
          callbacks: { label: (c) => trendTooltip(b[c.dataIndex]) } } },
      // Dates level, as many as fit, the first and last inside the chart: rotated ones ran past
      // the edge of a right-to-left chart.
      scales: { x: { reverse: rtl(), ticks: { maxRotation: 0, autoSkipPadding: 16, align: 'inner' } }, y: { suggestedMin: -100, suggestedMax: 100, position: rtl() ? 'right' : 'left', ticks: { precision: 0 } } } },
  }));
  state.charts.push(...drawn);
  const tables = h('div', { class: 'breakdowns' });
  for (const bd of breakdowns) {
    const title = bd.by.startsWith('attribute:') ? t('breakdown_attribute', { name: bd.by.slice(10) }) : t(`breakdown_${bd.by}` as Key);
    tables.append(h('figure', { class: 'card' }, h('figcaption', {}, title),
      h('table', { 'data-test': `breakdown-${bd.by}` },
        h('thead', {}, h('tr', {}, h('th', {}, t('segment')), h('th', {}, t('nps')), h('th', {}, t('ci')), h('th', {}, 'n'), h('th', {}, t('vs_rest')))),
        h('tbody', {}, ...bd.segments.map((s: any) => h('tr', { class: changeClass(s.vs_rest) },
          h('td', { title: s.value ?? '' }, shortSegment(s.value)), h('td', {}, num(s.nps)), h('td', {}, s.ci95 ? range(s.ci95[0], s.ci95[1]) : '–'),
          h('td', {}, num(s.n), s.small_sample ? ' ⚠' : ''),
          // A segment too small to trust gets no p-value: with a handful of answers the test's
          // normal approximation does not hold, and "p=0.002" for n = 1 would mislead.
          h('td', {}, s.vs_rest ? ltr(`${signed(s.vs_rest.difference)}${s.small_sample || s.vs_rest.small_sample ? ' ⚠' : ` (${pValue(s.vs_rest.p)})`}${isSig(s.vs_rest) ? (s.vs_rest.difference > 0 ? ' ▲' : ' ▼') : ''}`) : '–'))))),
      h('p', { class: 'fine' }, `▲ ${t('better_sig')} · ▼ ${t('worse_sig')} (${t('significant', { p: num(0.05, 2) })}) · ⚠ ${t('small_sample_short')}`)));
  }
  into.replaceChildren(kpis, charts, howToRead(), tables);
}

const overallColour = (o: any) => (isSig(o) ? (o.slope > 0 ? BETTER : WORSE) : '#78828c');

// The longer trend in words: up, down or no clear trend, and the last period against the first.
function overallText(o: any): string[] {
  if (o.small_sample) return [t('trend_small')];
  const p = pValue(o.p);
  const main = !o.significant ? t('trend_flat', { p }) : t(o.slope > 0 ? 'trend_up' : 'trend_down', { change: ltr(signed(o.change)), p });
  const fl = o.first_vs_last;
  return [main, ' ', t('first_last', { diff: ltr(signed(fl.difference)), p: fl.small_sample ? '⚠' : pValue(fl.p) })];
}

// The headline against the period of the same length just before, with the core's test.
function vsPrevious(s: any) {
  const prev = s.previous;
  const label = t('vs_previous', { from: day(prev.from), to: day(prev.to) });
  if (!s.change) return h('p', { class: 'vs', 'data-test': 'vs-previous' }, t('labelled', { label, value: t('previous_empty') }));
  const c = s.change;
  const verdict = c.small_sample ? `⚠ ${t('small_sample_short')}` : t(isSig(c) ? (c.difference > 0 ? 'better_sig' : 'worse_sig') : 'no_sig_change');
  return h('p', { class: `vs ${changeClass(c)}`, 'data-test': 'vs-previous' },
    t('labelled', { label, value: ltr(`${signed(c.difference)} (${t('nps')} ${num(prev.nps)} → ${num(s.nps)}${c.small_sample ? '' : `, ${pValue(c.p)}`})`) }), ' · ',
    h('b', { 'data-test': 'vs-verdict' }, verdict));
}

// "How to read this": the page's marks in plain words.
function howToRead() {
  return h('details', { class: 'card how', 'data-test': 'how-to-read' }, h('summary', {}, t('how_to_read')),
    ...(['read_nps', 'read_interval', 'read_marks', 'read_trend', 'read_small'] as const).map((k) => h('p', {}, t(k))));
}

// The chart's y-axis steps as drawn, on the canvas (tests check counts step by whole answers).
const ticksShown = { id: 'ticksShown', afterRender: (c: Chart) => {
  c.canvas.dataset.yTicks = JSON.stringify(c.scales.y.ticks.map((x) => x.value));
  // Whether every date under the axis is drawn whole inside the canvas (for the tests).
  c.canvas.dataset.xLabelsInside = String((c.scales.x as any).getLabelItems().every((it: any) => {
    c.ctx.font = it.font.string;
    const w = c.ctx.measureText(String(it.label)).width, x = it.options.translation[0], a = it.options.textAlign;
    const left = a === 'left' ? x : a === 'right' ? x - w : x - w / 2;
    return left >= -0.5 && left + w <= c.width + 0.5;
  }));
} };

// The trend's tooltip as HTML over the chart (text a screen reader and a test can read,
// wrapping in every language), kept inside the chart's box.
function htmlTooltip(box: HTMLElement) {
  const tip = h('div', { class: 'tip', role: 'tooltip', 'data-test': 'trend-tooltip', hidden: true });
  box.append(tip);
  return ({ tooltip: tt }: { tooltip: any }) => {
    if (tt.opacity === 0) { tip.hidden = true; return; }
    const lines: string[] = (tt.body ?? []).flatMap((b: any) => b.lines);
    tip.replaceChildren(h('b', {}, tt.title?.[0] ?? ''), ...lines.map((l) => h('div', {}, l)));
    tip.hidden = false;
    const left = Math.max(0, Math.min(tt.caretX - tip.offsetWidth / 2, box.clientWidth - tip.offsetWidth));
    tip.style.left = `${left}px`;
    tip.style.top = `${Math.max(0, tt.caretY - tip.offsetHeight - 10)}px`;
  };
}

// "NPS 13 · 45 answers · 95% CI: 2 … 24 · +5 since the previous week (p = 0.03)".
function trendTooltip(x: any): string[] {
  const lines = [`${t('nps')} ${num(x.nps)}`, count('answers_n', x.n), ciLine(x.ci95)];
  if (x.change) {
    lines.push(t('labelled', { label: t('change'), value: ltr(`${signed(x.change.difference)}${x.change.small_sample ? ' ⚠' : ` (${pValue(x.change.p)})`}`) })
      + (isSig(x.change) ? ` · ${t(x.change.difference > 0 ? 'better_sig' : 'worse_sig')}` : ''));
  }
  return lines;
}

// Pages read better as paths; the full URL stays in the tooltip.
function shortSegment(v: string | null) {
  if (v === null || v === '') return t('none_value');
  if (!/^https?:\/\//.test(v)) return v;
  try { const u = new URL(v); return u.pathname + u.search; } catch { return v; }
}

// The live feed: each new answer in the list (a comment sent after the score updates its
// line), and every number of the page redrawn from the server (debounced).
function startLive(id: string, badge: HTMLElement, list: HTMLElement, refresh: () => Promise<void>) {
  const stream = new EventSource(`/v1/admin/surveys/${encodeURIComponent(id)}/live`);
  state.stream = stream;
  let fresh = 0;
  let timer = 0;
  let noted = false;
  stream.addEventListener('response', (e) => {
    const r = JSON.parse((e as MessageEvent).data);
    // An English comment's tone (issue 16) under it, in the page's direction; once, where it comes from.
    const tone = r.comment ? toneBadge(r.sentiment) : null;
    // The channel in the page's language and isolated, so that in Arabic or Hebrew a Latin
    // channel name does not run into a Latin comment beside it.
    const line = [h('b', {}, r.score), ' ', t(r.category as Key), ' · ', r.channel ? h('bdi', {}, channelName(r.channel)) : '', ' ',
      r.comment ? h('span', { class: 'comment', dir: 'auto' }, r.comment) : '', tone ? h('div', { class: 'tone-line' }, tone) : ''];
    if (tone && !noted) { list.after(toneNote()); noted = true; }
    const known = list.querySelector(`li[data-id="${Number(r.id)}"]`);
    if (known) { known.className = r.category; known.replaceChildren(...line); }
    else {
      fresh++;
      badge.textContent = `● ${t('live')} · ${count('live_new', fresh)}`;
      list.prepend(h('li', { class: r.category, 'data-id': Number(r.id) }, ...line));
    }
    clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (state.stream !== stream) return;
      refresh().then(() => { document.body.dataset.refreshed = String(Date.now()); }).catch(() => void render());
    }, 600);
  });
}
