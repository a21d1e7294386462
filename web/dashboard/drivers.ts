// Key drivers (issue 17): which answers and attributes move the 0–10 score, from the fit the
// server stores (GET /v1/admin/surveys/{id}/drivers; an analyst fits it again with a POST).
// The core computes everything: Johnson's relative weights with bootstrap 95% intervals,
// R², the sample size, and whether a driver can be told apart from chance. Below the minimum
// sample the server claims nothing, and the page says so and why instead of drawing a chart.
// Each figure comes with one plain sentence.
import { t, count, num, pct, signed, ltr, languageName, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, can, render, surveyBase, surveyPicker, when } from './app';

export async function driversView(p: URLSearchParams) {
  const root = h('section', { class: 'insights drivers' }, h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() }, surveyPicker(p.get('survey')!)));
  let stored: any = null;
  try {
    stored = await api('GET', `${surveyBase(p)}/drivers`);
  } catch (x) {
    if (!(x instanceof ApiError && x.status === 404)) throw x;
  }
  const refit = fitButton(`${surveyBase(p)}/drivers`, stored ? 'dr_refit' : 'dr_fit', 'fit-drivers');
  if (!stored) {
    root.append(h('div', { class: 'card', 'data-test': 'not-fitted' }, h('p', {}, t('dr_not_fitted')),
      can('analyst') ? refit : h('p', { class: 'muted' }, t('ask_analyst'))));
    return root;
  }
  const fit = stored.fit;
  const head = h('div', { class: 'card' }, h('p', { class: 'fine', 'data-test': 'fitted-at' }, t('fitted_at', { time: when(stored.fitted_at) })));
  if (can('analyst')) head.append(refit);
  if (!fit.claimed) {
    // Nothing is claimed: the reason, with the numbers the server used.
    root.append(h('p', { class: 'warn', role: 'status', 'data-test': 'not-claimed' }, count('dr_too_few', fit.n, { min: num(fit.min_n) })), head);
    return root;
  }
  const drivers = [...fit.drivers].sort((a: any, b: any) => b.weight - a.weight);
  const effect = new Map<string, number>(fit.coefficients.map((c: any) => [c.name, c.estimate]));
  const strongest = drivers.find((d: any) => !d.reaches_zero);
  const r2 = h('div', { class: 'card kpi', 'data-test': 'r2-card' },
    h('div', { class: 'label' }, 'R²'),
    h('div', { class: 'big', 'data-test': 'r2' }, ltr(num(fit.r2, 2))),
    h('p', { 'data-test': 'r2-says' }, t('dr_r2_says', { r2: ltr(num(fit.r2, 2)), share: pct(fit.r2 * 100) }),
      fit.r2 < 0.1 ? ` ${t('dr_r2_low')}` : ''),
    h('p', { class: 'muted', 'data-test': 'n' }, count('dr_n', stored.used ?? fit.n, { total: num(stored.answers ?? fit.n) })));
  const lead = h('div', { class: 'card kpi' },
    h('div', { class: 'label' }, t('dr_strongest')),
    strongest
      ? h('p', { 'data-test': 'strongest' }, t('dr_strongest_says', { name: driverName(strongest.name), share: pct(strongest.share * 100) }))
      : h('p', { 'data-test': 'strongest' }, t('dr_none_clear')),
    h('p', { class: 'fine' }, t('dr_method', { resamples: num(fit.resamples) })));
  root.append(h('div', { class: 'kpis' }, r2, lead), driverTable(drivers, effect), head,
    h('details', { class: 'how card' }, h('summary', {}, t('how_to_read')),
      h('p', {}, t('dr_read_weight')), h('p', {}, t('dr_read_interval')), h('p', {}, t('dr_read_effect')), h('p', {}, t('dr_read_min'))));
  return root;
}

function driverTable(drivers: any[], effect: Map<string, number>) {
  const heads: Key[] = ['dr_driver', 'dr_share', 'dr_weight', 'dr_effect', 'dr_verdict'];
  const rows = drivers.map((d) => {
    const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
    const e = effect.get(d.name);
    return h('tr', { 'data-driver': d.name, class: d.reaches_zero ? 'muted' : '' },
      cell('dr_driver', h('b', { 'data-test': 'driver-name' }, h('bdi', {}, driverName(d.name)))),
      cell('dr_share', h('span', { class: 'meter' }, h('span', { class: 'bar' }, h('span', { style: `width:${Math.min(100, Math.max(0, d.share * 100)).toFixed(1)}%` })),
        h('span', { 'data-test': 'share' }, pct(d.share * 100)))),
      cell('dr_weight', h('span', { 'data-test': 'weight' }, pct(d.weight * 100), ' ',
        h('span', { class: 'muted', 'data-test': 'interval' }, `(${t('ci')}: ${ltr(`${pct(d.ci95[0] * 100)}\u00a0…\u00a0${pct(d.ci95[1] * 100)}`)})`))),
      cell('dr_effect', e === undefined ? '–' : t('dr_points', { value: ltr(signed(e, 2)) })),
      cell('dr_verdict', d.reaches_zero
        ? h('span', { class: 'status', 'data-test': 'reaches-zero' }, t('dr_reaches_zero'))
        : h('span', { class: 'status resolved', 'data-test': 'clear-driver' }, t('dr_clear'))));
  });
  return h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'drivers' },
    h('caption', { class: 'sr-only' }, t('drivers')),
    h('thead', {}, h('tr', {}, ...heads.map((k) => h('th', { scope: 'col' }, t(k))))), h('tbody', {}, ...rows)));
}

// "answer:q1", "answer:q1=Price", "attribute:plan=team", "device=mobile", "locale=ru",
// "theme:late delivery" (a comment theme, issue 16) as words.
export function driverName(name: string) {
  const [what, level] = splitOnce(name, '=');
  const value = (v: string) => (what === 'locale' ? languageName(v) : what === 'device' ? deviceName(v) : v);
  let label: string;
  if (what.startsWith('answer:')) label = t('dr_answer', { q: what.slice(7) });
  else if (what.startsWith('theme:')) label = t('dr_theme', { q: what.slice(6) });
  else if (what.startsWith('attribute:')) label = what.slice(10);
  else if (what === 'device') label = t('device');
  else if (what === 'locale') label = t('locale');
  else label = what;
  return level === null ? label : t('labelled', { label, value: value(level) });
}
const splitOnce = (s: string, sep: string): [string, string | null] => {
  const i = s.indexOf(sep);
  return i < 0 ? [s, null] : [s.slice(0, i), s.slice(i + 1)];
};
const deviceName = (v: string) => (['desktop', 'mobile', 'tablet'].includes(v) ? t(`device_${v}` as Key) : v);

// The button that asks the server to fit again (an analyst's), then draws the page anew; the
// server's refusal is shown beside it, in its own words when there are no better ones.
export function fitButton(path: string, label: Key, test: string) {
  const said = h('div', { class: 'error', role: 'alert', 'data-test': `${test}-error` });
  const button: HTMLButtonElement = h('button', { type: 'button', 'data-test': test, onclick: async () => {
    button.disabled = true; said.replaceChildren();
    button.textContent = t('fitting');
    try {
      await api('POST', path, {});
      await render();
    } catch (x) {
      const errors: any[] = x instanceof ApiError ? x.body?.errors ?? [] : [];
      said.append(h('p', {}, t('fit_refused')),
        ...(errors.length ? errors.map((e) => e.code === 'no_data' ? h('p', {}, t('dr_no_predictors')) : h('p', { dir: 'auto', class: 'fine' }, e.message)) : [h('p', {}, (x as Error).message)]));
      button.disabled = false; button.textContent = t(label);
    }
  } }, t(label));
  return h('div', { class: 'actions' }, button, said);
}
