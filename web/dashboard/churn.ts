// Churn risk (issue 17): how well the server's model (fitted by the core on the survey's
// answers and the operational data) tells customers who left from those who stayed, and who
// is at risk now.
// - Everyone: the cross-validated AUC with its interval, the base rate, the calibration
//   table, what raises the risk; below the minimum number of customers who left, no model,
//   and the page says why. The counts of the operational data.
// - Analysts and above (the list names customers): the ranked list of current customers with
//   the reasons, exported as CSV by the server, and a button that puts the chosen ones into
//   the follow-up queue; importing operational data from a CSV file (all or nothing, every bad
//   line named). Administrators may delete the operational data.
import { t, count, num, pct, ltr, day, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, can, render, surveyBase, surveyPicker, when } from './app';
import { fitButton } from './drivers';
import { confirmDelete } from './admin';
import { respondentLink } from './response_page';

// How many of the riskiest customers the page lists (the CSV export has them all).
const LISTED = 25;

export async function churnView(p: URLSearchParams) {
  const base = surveyBase(p);
  const [stored, ops] = await Promise.all([
    api('GET', `${base}/churn`).catch((x) => { if (x instanceof ApiError && x.status === 404) return null; throw x; }),
    api('GET', `${base}/operational`),
  ]);
  const root = h('section', { class: 'insights churn' }, h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() }, surveyPicker(p.get('survey')!)));
  const refit = fitButton(`${base}/churn`, stored ? 'ch_refit' : 'ch_fit', 'fit-churn');
  if (!stored) {
    root.append(h('div', { class: 'card', 'data-test': 'not-fitted' }, h('p', {}, t('ch_not_fitted')),
      can('analyst') ? refit : h('p', { class: 'muted' }, t('ask_analyst'))));
  } else {
    const fit = stored.fit;
    const head = h('div', { class: 'card' }, h('p', { class: 'fine', 'data-test': 'fitted-at' }, t('fitted_at', { time: when(stored.fitted_at) })));
    if (can('analyst')) head.append(refit);
    const baseRate = h('p', { 'data-test': 'base-rate' }, t('ch_base_rate', { rate: pct(fit.base_rate * 100) }));
    if (!fit.claimed) {
      root.append(h('p', { class: 'warn', role: 'status', 'data-test': 'not-claimed' }, count('ch_too_few', fit.churned, { min: num(fit.min_churned) })),
        h('div', { class: 'card' }, baseRate), head);
    } else {
      root.append(evaluation(stored, baseRate), head);
      root.append(can('analyst') ? await atRisk(base, stored.current_customers) : h('p', { class: 'muted card', 'data-test': 'at-risk-hidden' }, t('ch_list_for_analysts')));
    }
  }
  root.append(opsCard(base, ops));
  return root;
}

// ---- the evaluation ------------------------------------------------------------------------

function evaluation(stored: any, baseRate: HTMLElement) {
  const fit = stored.fit;
  const auc = fit.auc;
  const aucCard = h('div', { class: 'card kpi', 'data-test': 'auc-card' },
    h('div', { class: 'label' }, 'AUC'),
    h('div', { class: 'big', 'data-test': 'auc' }, ltr(num(auc.value, 2))),
    h('p', { class: 'muted', 'data-test': 'auc-ci' }, t('labelled', { label: t('ci'), value: ltr(`${num(auc.ci95[0], 2)} … ${num(auc.ci95[1], 2)}`) })),
    h('p', { 'data-test': 'auc-says' }, t('ch_auc_says', { auc: ltr(num(auc.value, 2)), ci: ltr(`${num(auc.ci95[0], 2)}\u00a0…\u00a0${num(auc.ci95[1], 2)}`),
      share: pct(auc.value * 100) })),
    h('p', { class: 'muted', 'data-test': 'n' }, count('ch_customers_n', fit.n), ' · ', t('ch_folds', { folds: num(auc.folds) })));
  const rateCard = h('div', { class: 'card kpi' }, h('div', { class: 'label' }, t('ch_base_rate_label')),
    h('div', { class: 'big' }, pct(fit.base_rate * 100)), baseRate,
    h('p', { class: 'muted' }, count('ch_left_n', fit.churned)));
  const cal = h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'calibration' },
    h('caption', { class: 'sr-only' }, t('ch_calibration')),
    h('thead', {}, h('tr', {}, ...(['ch_cal_group', 'ch_cal_customers', 'ch_cal_predicted', 'ch_cal_observed'] as Key[]).map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, ...fit.calibration.map((b: any, i: number) => h('tr', {},
      h('td', { 'data-label': t('ch_cal_group') }, num(i + 1)),
      h('td', { 'data-label': t('ch_cal_customers') }, num(b.n)),
      h('td', { 'data-label': t('ch_cal_predicted') }, pct(b.predicted * 100)),
      h('td', { 'data-label': t('ch_cal_observed') }, h('span', { class: 'meter' },
        h('span', { class: 'bar' }, h('span', { style: `width:${Math.min(100, b.observed * 100).toFixed(1)}%` })), pct(b.observed * 100))))))));
  const features = (fit.model?.features ?? []).filter((f: any) => f.coefficient !== 0)
    .sort((a: any, b: any) => Math.abs(b.coefficient) - Math.abs(a.coefficient));
  return h('div', {},
    h('div', { class: 'kpis' }, aucCard, rateCard),
    h('section', { class: 'card' }, h('h2', {}, t('ch_calibration')), h('p', {}, t('ch_calibration_says')), cal),
    features.length ? h('section', { class: 'card', 'data-test': 'features' }, h('h2', {}, t('ch_what_moves')),
      h('ul', {}, ...features.map((f: any) => h('li', {}, t('labelled', { label: featureName(f.name), value: t(f.coefficient > 0 ? 'ch_more_higher' : 'ch_less_higher') }))))) : '',
    h('details', { class: 'how card' }, h('summary', {}, t('how_to_read')),
      h('p', {}, t('ch_read_auc')), h('p', {}, t('ch_read_calibration')), h('p', {}, t('ch_read_min'))));
}

export const featureName = (f: string) =>
  (['score', 'days_since_answer', 'spend', 'visits', 'orders', 'tickets', 'plan_changes'].includes(f) ? t(`ch_f_${f}` as Key) : f);

// ---- the customers at risk (analysts) --------------------------------------------------------

async function atRisk(base: string, current: number) {
  const list = await api('GET', `${base}/churn/at-risk?limit=${LISTED}`);
  const box = h('section', { class: 'card', 'data-test': 'at-risk-card' }, h('h2', {}, t('ch_at_risk')));
  if (!list.items.length) { box.append(h('p', { class: 'muted', 'data-test': 'no-at-risk' }, t('ch_no_current'))); return box; }
  const picked = new Set<string>(list.items.map((r: any) => r.id));
  const done = h('div', { role: 'status', 'data-test': 'queue-result' });
  const queue: HTMLButtonElement = h('button', { type: 'button', 'data-test': 'queue', onclick: async () => {
    queue.disabled = true; done.replaceChildren();
    try {
      const r = await api('POST', `${base}/churn/follow-ups`, { customers: [...picked] });
      done.append(h('p', { class: 'ok', 'data-test': 'queued' }, count('ch_queued', r.queued.length)));
      if (r.refused.length) done.append(h('p', { class: 'muted', 'data-test': 'refused' }, count('ch_refused', r.refused.length)));
    } catch (x) {
      done.append(h('p', { class: 'error', role: 'alert' }, t('labelled', { label: t('error'), value: (x as Error).message })));
    } finally { queue.disabled = picked.size === 0; }
  } }, t('ch_queue'));
  const rows = list.items.map((r: any, i: number) => {
    const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
    const box = h('input', { type: 'checkbox', checked: true, 'aria-label': t('ch_choose', { customer: r.id }), onchange: (e: Event) => {
      if ((e.target as HTMLInputElement).checked) picked.add(r.id); else picked.delete(r.id);
      queue.disabled = picked.size === 0;
    } });
    return h('tr', { 'data-customer': r.id },
      cell('ch_rank', h('label', { class: 'pick' }, box, ' ', num(i + 1))),
      cell('ch_customer', h('bdi', { 'data-test': 'customer' }, respondentLink(r.id, r.id))),
      cell('ch_risk', h('b', { 'data-test': 'risk' }, pct(r.risk * 100))),
      cell('ch_reasons', h('ul', { class: 'reasons', 'data-test': 'reasons' }, ...r.reasons.map((x: any) =>
        h('li', { class: x.contribution > 0 ? 'up' : 'down' }, `${x.contribution > 0 ? '▲' : '▼'} `,
          t('labelled', { label: featureName(x.name), value: t(x.contribution > 0 ? 'ch_raises' : 'ch_lowers') }))))));
  });
  box.append(
    h('p', { class: 'muted', 'data-test': 'at-risk-total' }, count('ch_at_risk_shown', current, { shown: num(list.items.length) })),
    h('p', {}, t('ch_at_risk_says')),
    h('div', { class: 'actions' }, queue,
      h('a', { class: 'button secondary', href: `${base}/churn/at-risk?format=csv&limit=100000`, download: '', 'data-test': 'export-at-risk' }, t('ch_export'))),
    done,
    h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'at-risk' },
      h('caption', { class: 'sr-only' }, t('ch_at_risk')),
      h('thead', {}, h('tr', {}, ...(['ch_rank', 'ch_customer', 'ch_risk', 'ch_reasons'] as Key[]).map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, ...rows))));
  return box;
}

// ---- operational data --------------------------------------------------------------------------

// The server names a bad line "csv:line 7:date" with the message "line 7: a date as …".
function opsError(e: any) {
  const m = /^csv:line (\d+)(?::(.+))?$/.exec(String(e.path ?? ''));
  const message = String(e.message ?? '').replace(/^line \d+: /, '');
  if (!m) return e.path ? t('labelled', { label: e.path, value: message }) : message;
  return m[2] ? t('line_error', { line: Number(m[1]), field: m[2], message }) : t('ch_line', { line: Number(m[1]), message });
}

function opsCard(base: string, ops: any) {
  const card = h('section', { class: 'card', 'data-test': 'ops' }, h('h2', {}, t('ch_ops')));
  card.append(ops.rows
    ? h('p', { 'data-test': 'ops-counts' }, [count('ch_ops_values', ops.rows), count('ch_ops_customers', ops.customers), count('ch_ops_churned', ops.churned)].join(' · '),
      ops.from ? h('span', {}, ' · ', h('bdi', {}, day(ops.from)), ' – ', h('bdi', {}, day(ops.to))) : '')
    : h('p', { class: 'muted', 'data-test': 'ops-counts' }, t('ch_ops_none')));
  if (can('analyst')) card.append(importForm(base));
  if (can('admin') && ops.rows) card.append(h('p', {}, t('ch_ops_delete'), ' ', confirmDelete(t('ch_ops'), async () => { await api('DELETE', `${base}/operational`); await render(); })));
  return card;
}

function importForm(base: string) {
  const file = h('input', { id: 'ops-file', name: 'csv', type: 'file', accept: '.csv,text/csv,text/plain', 'aria-describedby': 'ops-format', 'data-test': 'ops-file' });
  const result = h('div', { 'data-test': 'ops-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', 'data-test': 'ops-import' }, t('import'));
  return h('form', { class: 'form-grid', 'data-test': 'ops-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    result.replaceChildren();
    const chosen = file.files?.[0];
    if (!chosen) { result.append(h('p', { class: 'error', role: 'alert' }, t('choose_file'))); return; }
    button.disabled = true;
    try {
      const r = await api('POST', `${base}/operational`, { csv: await chosen.text() });
      result.append(h('p', { class: 'ok', role: 'status', 'data-test': 'ops-done' }, t('imported'), ' ',
        `${count('ch_ops_values', r.imported)} · ${count('ch_ops_customers', r.customers)}. ${t('ch_ops_then_fit')}`));
      file.value = '';
    } catch (x) {
      const errors: any[] = x instanceof ApiError ? x.body?.errors ?? [] : [];
      result.append(h('div', { class: 'error', role: 'alert', 'data-test': 'ops-errors' }, h('p', {}, t('import_failed')),
        h('ul', {}, ...(errors.length ? errors.map((er) => h('li', { 'data-path': er.path }, opsError(er))) : [h('li', {}, (x as Error).message)]))));
    } finally { button.disabled = false; }
  } },
  h('h3', {}, t('ch_ops_import')),
  h('label', { for: 'ops-file' }, t('csv_file')), file,
  h('p', { class: 'fine', id: 'ops-format' }, t('ch_ops_format')),
  button, result);
}
