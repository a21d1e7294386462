// The funnel (issue 19, item 6): per channel, how many were sent the survey (e-mail), saw it,
// closed it without answering, and answered, with the response rate and its 95% Wilson
// interval (GET /v1/admin/surveys/{id}/funnel?from=&to=; the core computes the rates). The
// widget and the native app count impressions (a count, nothing about who); answers from the
// API, an import or a link have none, and the page says so in words rather than "0%".
// A rate the server does not give (no impressions, or more answers than impressions because
// counting began later) is never made up here.
import { t, num, lang, ltr, day, numberText, type TextKey as Key } from './i18n';
import { h } from './dom';
import { api, go, surveyBase, surveyPicker } from './app';
import { PRESETS, periodOf, rangeQuery } from './filters';

type Rate = { value: number; low: number; high: number } | null;
type Channel = { channel: string; sent: number; shown: number; dismissed: number; answered: number; base: 'shown' | 'sent';
  response_rate: Rate; dismiss_rate: Rate; shown_rate: Rate; note: '' | 'not_counted' | 'answered_exceeds_base' };

const CHANNELS = ['web', 'app', 'email', 'sms', 'link', 'api', 'import', 'other'];
// A channel's name in the dashboard's language; an unknown one as the server wrote it.
export const channelName = (c: string) => (CHANNELS.includes(c) ? t(`channel_${c}` as Key) : c);

// A rate as a percentage: whole percents, one decimal below 10% (0.4% is not "0%").
export function rate(x: number): string {
  const digits = Math.abs(x) < 0.1 && x !== 0 ? 1 : 0;
  return numberText(new Intl.NumberFormat(lang(), { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: digits }).format(x));
}
// "30% (11%–60%)": the rate, then its 95% interval, kept in reading order in a right-to-left page.
export const rateWithInterval = (r: NonNullable<Rate>) => ltr(`${rate(r.value)} (${rate(r.low)}\u2013${rate(r.high)})`);

export async function funnelView(p: URLSearchParams) {
  const q = rangeQuery(p);
  const range = new URLSearchParams();
  for (const k of ['from', 'to']) if (q.get(k)) range.set(k, q.get(k)!);
  const j = await api('GET', `${surveyBase(p)}/funnel${range.toString() ? `?${range}` : ''}`);
  const root = h('section', { class: 'insights fn-page' }, rangeBar(p),
    h('p', { class: 'fine', 'data-test': 'fn-range' }, t('fn_range', { from: day(j.from), to: day(j.to) })));
  // The channels that count impressions first, then the others; one not known here last.
  const order = (c: Channel) => (CHANNELS.includes(c.channel) ? CHANNELS.indexOf(c.channel) : CHANNELS.length);
  const channels: Channel[] = [...j.channels].sort((a: Channel, b: Channel) => order(a) - order(b));
  if (!channels.length) {
    root.append(h('p', { class: 'empty', 'data-test': 'empty' }, t('fn_empty')), howToRead());
    return root;
  }
  root.append(h('div', { class: 'kpis' }, totalCard(j.total, j.answered_all)),
    h('div', { class: 'fn-channels', 'data-test': 'fn-channels' }, ...channels.map(channelCard)),
    table(channels), howToRead());
  return root;
}

// The date range only: the funnel is per channel, so the other filters do not apply here.
function rangeBar(p: URLSearchParams) {
  const period = periodOf(p);
  const shown = rangeQuery(p);
  const from = h('input', { type: 'date', name: 'from', value: shown.get('from') ?? '', disabled: period !== 'custom', 'data-test': 'fn-from' });
  const to = h('input', { type: 'date', name: 'to', value: shown.get('to') ?? '', disabled: period !== 'custom', 'data-test': 'fn-to' });
  const preset = h('select', { name: 'period', 'data-test': 'period', onchange: () => {
    if (preset.value === 'custom') { from.disabled = false; to.disabled = false; from.focus(); return; }
    void go({ period: preset.value, from: null, to: null });
  } }, ...PRESETS.map((x) => h('option', { value: x, selected: x === period }, t(`period_${x}` as Key))));
  const field = (label: Key, input: HTMLElement) => h('label', {}, t(label) + ' ', input);
  return h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    const custom = preset.value === 'custom';
    void go({ period: preset.value, from: custom ? from.value : null, to: custom ? to.value : null });
  } }, surveyPicker(p.get('survey')!), field('period', preset), field('from', from), field('to', to),
  h('button', { type: 'submit', 'data-test': 'fn-apply' }, t('apply')));
}

// A rate with its interval, and the interval in words (visible, and as the tooltip).
function rateLine(label: Key, r: NonNullable<Rate>, words: Key, test: string) {
  const said = t(words, { value: rate(r.value), low: rate(r.low), high: rate(r.high) });
  return [h('p', { class: 'fn-rate', title: said, 'data-test': test },
    t('labelled', { label: t(label), value: '' }), h('b', {}, rateWithInterval(r))),
  h('p', { class: 'fine', 'data-test': `${test}-words` }, said)];
}

// Why a channel has no rate, in words.
function noRate(c: Channel) {
  const key: Key = c.note === 'answered_exceeds_base' ? 'fn_exceeds'
    : c.base === 'sent' || c.channel === 'email' ? 'fn_no_messages'
    : c.channel === 'web' || c.channel === 'app' ? 'fn_not_counted_yet' : 'fn_not_counted';
  return h('p', { class: 'warn', 'data-test': 'fn-no-rate', 'data-note': c.note }, t(key));
}

function channelCard(c: Channel) {
  const email = c.base === 'sent';
  const counted = c.note !== 'not_counted';
  // The stages, each bar against the first one (the messages sent, or the impressions).
  const stages: [Key, number | null, string][] = [
    ...(email ? [['fn_sent', c.sent, 'sent'] as [Key, number, string]] : []),
    [email ? 'fn_opened' : 'fn_shown', counted || c.shown ? c.shown : null, 'shown'],
    ['fn_answered', c.answered, 'answered'],
    ...(!email && counted ? [['fn_dismissed', c.dismissed, 'dismissed'] as [Key, number, string]] : []),
  ];
  const top = Math.max(1, ...stages.map(([, n]) => n ?? 0));
  const bars = h('ol', { class: 'fn-bars' }, ...stages.map(([key, n, cls]) => h('li', { class: `fn-stage ${cls}`, 'data-stage': cls },
    h('span', { class: 'fn-label' }, t(key)),
    h('span', { class: n === null ? 'fn-bar none' : 'fn-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${n === null ? 0 : Math.min(100, (n / top) * 100).toFixed(1)}%` })),
    h('b', { class: 'fn-num', 'data-test': `fn-${cls}` }, n === null ? t('fn_not_counted_short') : num(n)))));
  const card = h('figure', { class: 'card fn-channel', 'data-channel': c.channel, 'data-test': `fn-channel-${c.channel}` },
    h('figcaption', {}, h('bdi', {}, channelName(c.channel))), bars);
  if (c.response_rate) card.append(...rateLine('fn_response_rate', c.response_rate, email ? 'fn_words_sent' : 'fn_words_shown', 'fn-response-rate'));
  else card.append(noRate(c));
  if (c.dismiss_rate) card.append(...rateLine('fn_dismiss_rate', c.dismiss_rate, 'fn_words_dismiss', 'fn-dismiss-rate'));
  if (c.shown_rate && email) card.append(...rateLine('fn_open_rate', c.shown_rate, 'fn_words_open', 'fn-open-rate'));
  return card;
}

function totalCard(total: Channel, all: number) {
  const card = h('div', { class: 'card kpi', 'data-test': 'fn-total' }, h('div', { class: 'label' }, t('fn_total')));
  if (total.response_rate) {
    const r = total.response_rate;
    card.append(h('div', { class: 'big', 'data-test': 'fn-total-rate' }, ltr(rate(r.value))),
      h('div', { class: 'muted', 'data-test': 'fn-total-ci' }, t('labelled', { label: t('ci'), value: ltr(`${rate(r.low)} \u2013 ${rate(r.high)}`) })),
      h('p', { class: 'fine' }, t('fn_words_total', { value: rate(r.value), low: rate(r.low), high: rate(r.high) })),
      h('dl', { class: 'facts' }, h('dt', {}, t('fn_shown')), h('dd', { 'data-test': 'fn-total-shown' }, num(total.shown)),
        h('dt', {}, t('fn_answered')), h('dd', { 'data-test': 'fn-total-answered' }, num(total.answered))));
  } else {
    card.append(h('p', { class: 'muted', 'data-test': 'fn-total-none' }, t('fn_total_none')));
  }
  card.append(h('p', { 'data-test': 'fn-answered-all' }, t('labelled', { label: t('fn_answered_all'), value: num(all) })));
  return card;
}

// The same numbers side by side, one row per channel (cards on a phone).
function table(channels: Channel[]) {
  const heads: Key[] = ['channel', 'fn_sent', 'fn_shown', 'fn_dismissed', 'fn_answered', 'fn_response_rate', 'fn_dismiss_rate'];
  const rows = channels.map((c) => {
    const counted = c.note !== 'not_counted';
    const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
    const none = () => h('span', { class: 'muted' }, t(c.note === 'answered_exceeds_base' ? 'fn_exceeds_short' : 'fn_not_counted_short'));
    return h('tr', { 'data-channel': c.channel },
      cell('channel', h('b', {}, h('bdi', {}, channelName(c.channel)))),
      cell('fn_sent', c.base === 'sent' ? num(c.sent) : '–'),
      cell('fn_shown', counted || c.shown ? num(c.shown) : none()),
      cell('fn_dismissed', c.base === 'sent' ? '–' : counted || c.dismissed ? num(c.dismissed) : none()),
      cell('fn_answered', num(c.answered)),
      cell('fn_response_rate', c.response_rate ? rateWithInterval(c.response_rate) : none()),
      cell('fn_dismiss_rate', c.dismiss_rate ? rateWithInterval(c.dismiss_rate) : '–'));
  });
  return h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'fn-table' },
    h('caption', { class: 'sr-only' }, t('fn_per_channel')),
    h('thead', {}, h('tr', {}, ...heads.map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, ...rows)));
}

function howToRead() {
  return h('details', { class: 'how card', 'data-test': 'how-to-read' }, h('summary', {}, t('how_to_read')),
    ...(['fn_read_stages', 'fn_read_rate', 'fn_read_interval', 'fn_read_not_counted'] as const).map((k) => h('p', {}, t(k))));
}
