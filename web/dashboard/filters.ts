// The filters above the overview and the responses: survey, date range, channel, language,
// device (and on the overview the trend's interval and an attribute to break down by); the
// channel and device selects are the Why page's too.
import { t, type TextKey as Key } from './i18n';
import { h } from './dom';
import { api, go, surveyPicker } from './app';

// The date presets: a rolling range computed from today (UTC, as the server counts days), so a
// saved view of "the last 30 days" stays the last 30 days.
export const PRESETS = ['7d', '30d', '90d', 'quarter', 'year', 'all', 'custom'] as const;
const iso = (d: Date) => d.toISOString().slice(0, 10);
export function presetRange(period: string, today = new Date()): { from: string; to: string } | null {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const back = (days: number) => { const x = new Date(d); x.setUTCDate(x.getUTCDate() - days); return x; };
  if (period === '7d') return { from: iso(back(6)), to: iso(d) };
  if (period === '30d') return { from: iso(back(29)), to: iso(d) };
  if (period === '90d') return { from: iso(back(89)), to: iso(d) };
  if (period === 'quarter') return { from: iso(new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1))), to: iso(d) };
  if (period === 'year') return { from: iso(new Date(Date.UTC(d.getUTCFullYear(), 0, 1))), to: iso(d) };
  return null;
}
// The period the URL asks for: a preset, or custom dates (from/to), or all time.
export function periodOf(p: URLSearchParams): string {
  return p.get('period') ?? (p.get('from') || p.get('to') ? 'custom' : 'all');
}

export function rangeQuery(p: URLSearchParams) {
  const q = new URLSearchParams();
  const preset = presetRange(periodOf(p));
  if (preset) { q.set('from', preset.from); q.set('to', preset.to); }
  else if (periodOf(p) === 'custom') for (const k of ['from', 'to']) if (p.get(k)) q.set(k, p.get(k)!);
  for (const k of ['channel', 'locale', 'device']) if (p.get(k)) q.set(k, p.get(k)!);
  return q;
}

// The channel and the device an answer was given through, as every page filters them (the
// overview, the responses, the Why page): the value is the API's name, the label the
// dashboard's language; "all" (empty) first.
export const CHANNELS = ['web', 'app', 'email', 'link', 'sms', 'import', 'api'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
const segmentSelect = (p: URLSearchParams, name: 'channel' | 'device', options: readonly string[]) =>
  h('select', { name, 'data-test': `filter-${name}` }, h('option', { value: '' }, t('any')),
    ...options.map((o) => h('option', { value: o, selected: p.get(name) === o }, t(`${name}_${o}` as Key))));
export const channelSelect = (p: URLSearchParams) => segmentSelect(p, 'channel', CHANNELS) as HTMLSelectElement;
export const deviceSelect = (p: URLSearchParams) => segmentSelect(p, 'device', DEVICES) as HTMLSelectElement;

export function filterBar(p: URLSearchParams, withInterval: boolean) {
  const field = (name: string, label: Key, input: HTMLElement) => h('label', {}, t(label) + ' ', input);
  const period = periodOf(p);
  const shown = rangeQuery(p);
  const from = h('input', { type: 'date', name: 'from', value: shown.get('from') ?? '', disabled: period !== 'custom' });
  const to = h('input', { type: 'date', name: 'to', value: shown.get('to') ?? '', disabled: period !== 'custom' });
  const preset = h('select', { name: 'period', 'data-test': 'period', onchange: () => {
    if (preset.value === 'custom') { from.disabled = false; to.disabled = false; from.focus(); return; }
    void go({ period: preset.value, from: null, to: null });
  } }, ...PRESETS.map((x) => h('option', { value: x, selected: x === period }, t(`period_${x}` as Key))));
  const channel = channelSelect(p);
  // Any language tag: the list offers those this survey's answers have (from the locale
  // breakdown, filled in when it arrives); a tag from a shared link is kept as it is.
  const known = h('datalist', { id: 'known-locales' });
  const locale = h('input', { name: 'locale', list: 'known-locales', value: p.get('locale') ?? '', placeholder: t('any'), size: 7 });
  api('GET', `/v1/admin/surveys/${encodeURIComponent(p.get('survey')!)}/breakdown?by=locale`)
    .then((bd) => known.replaceChildren(...bd.segments.filter((x: any) => x.value).map((x: any) => h('option', { value: x.value }))))
    .catch(() => undefined); // the list is a convenience; typing a tag still works
  const device = deviceSelect(p);
  const attr = h('input', { name: 'attr', value: p.get('attr') ?? '', placeholder: 'plan', size: 8 });
  const interval = h('select', { name: 'interval' }, ...(['day', 'week', 'month'] as const).map((i) =>
    h('option', { value: i, selected: (p.get('interval') ?? 'week') === i }, t(i))));
  return h('form', { class: 'filters', onsubmit: (e: Event) => {
    e.preventDefault();
    const custom = preset.value === 'custom';
    go({ period: preset.value, from: custom ? from.value : null, to: custom ? to.value : null, channel: channel.value, locale: locale.value.trim(),
      device: device.value, attr: withInterval ? attr.value : p.get('attr'), interval: withInterval ? (interval as HTMLSelectElement).value : p.get('interval') });
  } }, surveyPicker(p.get('survey')!), field('period', 'period', preset), field('from', 'from', from), field('to', 'to', to), field('channel', 'channel', channel),
  field('locale', 'locale', locale), known, field('device', 'device', device), withInterval && field('interval', 'interval', interval), withInterval && field('attr', 'attribute', attr),
  h('button', { type: 'submit' }, t('apply')));
}

