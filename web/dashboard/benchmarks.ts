// Benchmarks (issue 17): the survey's NPS over a period with its 95% interval, against the
// benchmark chosen for the survey ("is it really above?": only when the whole interval is,
// as the server decides) and against its own previous period (the core's test). Published
// industry averages are listed each with its source; a team enters its own values, a source
// required. Everyone reads; editors choose and enter (PUT .../benchmarks).
import { t, count, num, signed, pValue, ltr, day, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, can, ciLine, errorText, go, isSig, render, rtl, surveyBase, surveyPicker } from './app';

const PERIODS = [30, 90, 180, 365];
const PUBLISHED = ['grocery', 'streaming', 'retail', 'tv_internet', 'car_rental', 'payments'];

export async function benchmarksView(p: URLSearchParams) {
  const days = PERIODS.includes(Number(p.get('days'))) ? Number(p.get('days')) : 90;
  const base = surveyBase(p);
  const j = await api('GET', `${base}/benchmarks?days=${days}`);
  const period = h('select', { name: 'days', 'data-test': 'days', onchange: (e: Event) => go({ days: (e.target as HTMLSelectElement).value }) },
    ...PERIODS.map((d) => h('option', { value: String(d), selected: d === days }, count('bm_last_days', d))));
  const root = h('section', { class: 'insights benchmarks' },
    h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() }, surveyPicker(p.get('survey')!), h('label', {}, t('period') + ' ', period)));
  const all = [...j.published.map((b: any) => ({ ...b, team: false })), ...j.custom.map((b: any) => ({ ...b, team: true }))];
  const chosen = all.find((b) => b.key === j.chosen) ?? null;
  root.append(h('div', { class: 'kpis' }, yours(j), against(j, chosen), previous(j)));
  root.append(list(base, j, all));
  if (can('editor')) root.append(ownForm(base, j));
  root.append(h('details', { class: 'how card' }, h('summary', {}, t('how_to_read')), h('p', {}, t('read_interval')), h('p', {}, t('bm_read_sources'))));
  return root;
}

// A name in its own direction inside a right-to-left sentence (a Latin name before “(35)”).
const isolate = (s: string) => (rtl() ? `\u2068${s}\u2069` : s);
export const benchmarkName = (b: any) => (!b.team && PUBLISHED.includes(b.key) ? t(`bm_k_${b.key}` as Key) : b.name);

function yours(j: any) {
  const s = j.survey;
  const dates = h('span', {}, h('bdi', {}, day(j.period.from)), ' – ', h('bdi', {}, day(j.period.to)));
  return h('div', { class: 'card kpi', 'data-test': 'survey-nps' }, h('div', { class: 'label' }, t('bm_your_nps')),
    s.nps === null
      ? h('p', { class: 'muted' }, t('bm_no_answers'))
      : h('div', {}, h('div', { class: 'big', 'data-test': 'nps' }, num(s.nps)),
        h('div', { class: 'muted', 'data-test': 'ci' }, ciLine(s.ci95)),
        h('div', { class: 'muted', 'data-test': 'n' }, count('answers_n', s.n))),
    h('p', { class: 'fine' }, dates),
    s.small_sample ? h('p', { class: 'warn' }, t('small_sample')) : '');
}

function against(j: any, chosen: any) {
  const card = h('div', { class: 'card kpi', 'data-test': 'against' }, h('div', { class: 'label' }, t('bm_against')));
  if (!chosen) { card.append(h('p', { class: 'muted', 'data-test': 'none-chosen' }, t(can('editor') ? 'bm_choose_below' : 'bm_none_chosen'))); return card; }
  card.append(h('p', {}, h('b', {}, h('bdi', {}, benchmarkName(chosen))), ' ', h('span', { class: 'big-ish', 'data-test': 'benchmark-value' }, num(chosen.nps))),
    h('p', { class: 'fine', 'data-test': 'chosen-source' }, t('labelled', { label: t('bm_source'), value: chosen.source })));
  if (!j.against) { card.append(h('p', { class: 'muted' }, t('bm_no_answers'))); return card; }
  const a = j.against;
  const vars = { name: isolate(benchmarkName(chosen)), value: num(a.benchmark), diff: signed(a.difference, 1),
    lo: num(j.survey.ci95[0]), hi: num(j.survey.ci95[1]), ci: ltr(`${num(j.survey.ci95[0])}\u00a0…\u00a0${num(j.survey.ci95[1])}`) };
  const key: Key = a.verdict === 'above' ? 'bm_above' : a.verdict === 'below' ? 'bm_below' : 'bm_within';
  card.append(h('p', { class: `vs ${a.verdict === 'above' ? 'better' : a.verdict === 'below' ? 'worse' : ''}`, 'data-test': 'verdict', 'data-verdict': a.verdict },
    h('b', {}, ltr(signed(a.difference, 1))), ' ', t(key, vars)));
  return card;
}

function previous(j: any) {
  const card = h('div', { class: 'card kpi', 'data-test': 'previous' }, h('div', { class: 'label' }, t('bm_previous')));
  const prev = j.previous;
  if (prev.nps === null || !j.change) { card.append(h('p', { class: 'muted' }, t('previous_empty'))); return card; }
  const c = j.change;
  const sig = isSig({ ...c, small_sample: prev.small_sample || j.survey.small_sample });
  card.append(
    h('p', { class: `vs ${sig ? (c.difference > 0 ? 'better' : 'worse') : ''}`, 'data-test': 'change' }, h('b', {}, ltr(signed(c.difference, 1))), ' ',
      t(sig ? (c.difference > 0 ? 'bm_prev_up' : 'bm_prev_down') : 'bm_prev_chance', { p: pValue(c.p) })),
    h('p', { class: 'muted' }, t('labelled', { label: t('bm_prev_nps'), value: num(prev.nps) }), ' · ', ciLine(prev.ci95), ' · ', count('answers_n', prev.n)));
  return card;
}

// Every benchmark with its source; editors choose one (saved at once) and delete their own.
function list(base: string, j: any, all: any[]) {
  const editor = can('editor');
  const error = h('p', { class: 'error', role: 'alert', 'data-test': 'bm-error' });
  const save = async (chosen: string | null, custom: any[]) => {
    error.textContent = '';
    try { await api('PUT', `${base}/benchmarks`, { chosen, custom }); await render(); } catch (x) { error.textContent = errorText(x); }
  };
  const strip = (b: any) => ({ key: b.key, name: b.name, nps: b.nps, source: b.source });
  const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
  const rows = all.map((b) => h('tr', { 'data-key': b.key, class: b.key === j.chosen ? 'current' : '' },
    cell('bm_benchmark', editor
      ? h('label', { class: 'pick' }, h('input', { type: 'radio', name: 'chosen', value: b.key, checked: b.key === j.chosen, 'data-test': `choose-${b.key}`,
        onchange: () => void save(b.key, j.custom) }), ' ', h('bdi', { 'data-test': 'bm-name' }, benchmarkName(b)))
      : h('bdi', { 'data-test': 'bm-name' }, benchmarkName(b)),
    b.key === j.chosen ? h('span', { class: 'status resolved', 'data-test': 'chosen' }, ' ', t('bm_chosen')) : '',
    b.team ? h('span', { class: 'status', 'data-test': 'team' }, t('bm_team')) : ''),
    cell('nps', h('b', { 'data-test': 'bm-value' }, num(b.nps))),
    cell('bm_source', h('span', { dir: 'auto', 'data-test': 'bm-source' }, b.source)),
    ...(editor ? [cell('actions', b.team ? h('button', { type: 'button', class: 'link', 'data-test': 'bm-delete',
      onclick: () => void save(j.chosen === b.key ? null : j.chosen, j.custom.filter((x: any) => x.key !== b.key).map(strip)) }, t('delete')) : '')] : [])));
  const heads: Key[] = ['bm_benchmark', 'nps', 'bm_source', ...(editor ? ['actions'] as Key[] : [])];
  return h('section', { class: 'card', 'data-test': 'benchmark-list' }, h('h2', {}, t('bm_list')),
    h('p', { class: 'fine' }, t(editor ? 'bm_list_editor' : 'bm_list_says')),
    h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'benchmarks' },
      h('caption', { class: 'sr-only' }, t('bm_list')),
      h('thead', {}, h('tr', {}, ...heads.map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, ...rows))),
    editor && j.chosen ? h('button', { type: 'button', class: 'link', 'data-test': 'bm-clear', onclick: () => void save(null, j.custom) }, t('bm_clear')) : '',
    error);
}

// A team's own value: a name, the NPS and where it comes from (the server refuses it without).
function ownForm(base: string, j: any) {
  const name = h('input', { id: 'bm-name', name: 'name', required: true, maxlength: 300, dir: 'auto', 'data-test': 'bm-new-name' });
  const nps = h('input', { id: 'bm-nps', name: 'nps', type: 'number', min: -100, max: 100, step: 'any', required: true, inputmode: 'decimal', 'data-test': 'bm-new-nps' });
  const source = h('input', { id: 'bm-source', name: 'source', required: true, maxlength: 300, dir: 'auto', 'aria-describedby': 'bm-source-help', 'data-test': 'bm-new-source' });
  const choose = h('input', { id: 'bm-choose', type: 'checkbox', checked: true, 'data-test': 'bm-new-choose' });
  const error = h('div', { class: 'error', role: 'alert', 'data-test': 'bm-new-error' });
  return h('form', { class: 'card form-grid', 'data-test': 'bm-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    error.replaceChildren();
    if (!name.value.trim() || !source.value.trim() || nps.value.trim() === '') { error.append(h('p', {}, t('bm_need_all'))); return; }
    const key = `team-${Date.now().toString(36)}`;
    const custom = [...j.custom, { key, name: name.value.trim(), nps: Number(nps.value), source: source.value.trim() }];
    try {
      await api('PUT', `${base}/benchmarks`, { chosen: choose.checked ? key : j.chosen, custom });
      await render();
    } catch (x) {
      const errors: any[] = x instanceof ApiError ? x.body?.errors ?? [] : [];
      error.append(...(errors.length ? errors.map((er) => h('p', { dir: 'auto' }, t('labelled', { label: er.path, value: er.message }))) : [h('p', {}, (x as Error).message)]));
    }
  } },
  h('h2', {}, t('bm_add')),
  h('label', { for: 'bm-name' }, t('name')), name,
  h('label', { for: 'bm-nps' }, t('nps')), nps,
  h('label', { for: 'bm-source' }, t('bm_source')), source,
  h('p', { class: 'fine', id: 'bm-source-help' }, t('bm_source_help')),
  h('label', { class: 'pick', for: 'bm-choose' }, choose, ' ', t('bm_compare_with_it')),
  error,
  h('button', { type: 'submit', 'data-test': 'bm-add' }, t('bm_add_button')));
}
