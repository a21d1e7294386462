// Campaigns (issue 14): every campaign with its funnel (sent, bounced, clicked by a person,
// answered, unsubscribed, the response rate; what is still waiting, uncertain or failed when
// there is any), updating itself while e-mails go out; and, for editors, the form that
// creates one: a survey, who gets it (all contacts, those with an attribute, the people in a
// CSV file), how often a person may be asked, a daily limit, a reminder and when to start.
// The server's refusals are shown beside the field they name.
import { t, count, num, pct, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, can, empty, state, when } from './app';
import { errorLine } from './contacts';

// How often the list is fetched again while a campaign is sending or about to start.
const POLL_MS = 2500;

export async function campaignsView(p: URLSearchParams) {
  const first = await api('GET', '/v1/admin/campaigns');
  const root = h('section', { class: 'campaigns' });
  // Said before anyone fills the form: without a relay nothing can be sent.
  if (first.smtp_configured === false) root.append(h('p', { class: 'warn', role: 'status', 'data-test': 'smtp-missing' }, t('smtp_missing')));
  const list = h('div', { 'data-test': 'campaigns-list' });
  let timer = 0;
  const show = (items: any[]) => {
    list.replaceChildren(campaignList(items));
    clearTimeout(timer);
    if (items.some(unfinished)) timer = window.setTimeout(refresh, POLL_MS);
  };
  // Fetched again only while this page is the one on screen.
  const refresh = async () => {
    if (!list.isConnected) return;
    try { show((await api('GET', '/v1/admin/campaigns')).items); } catch { timer = window.setTimeout(refresh, POLL_MS * 4); }
  };
  // The form folded under its title, open when there is no campaign yet.
  if (can('editor')) root.append(h('details', { class: 'card new-campaign', open: !first.items.length, 'data-test': 'new-campaign' },
    h('summary', {}, t('create_campaign')), campaignForm(p, refresh)));
  root.append(h('details', { class: 'how' }, h('summary', {}, t('how_to_read')), h('p', {}, t('funnel_help')), h('p', {}, t('live_figures'))),
    list);
  show(first.items);
  // The first fetch is drawn before the page is attached: poll from the next tick on.
  if (first.items.some(unfinished)) { clearTimeout(timer); timer = window.setTimeout(refresh, POLL_MS); }
  return root;
}

// ---- the list ----------------------------------------------------------------------------

const figure = (f: any, k: string) => (typeof f?.[k] === 'number' ? f[k] as number : 0);
const waiting = (m: any) => figure(m.funnel, 'queued') + figure(m.funnel, 'sending') + figure(m.funnel, 'committing');
const unfinished = (m: any) => waiting(m) > 0 || (m.status === 'scheduled' && Date.parse(m.scheduled_at) - Date.now() < 5 * 60_000);

function statusText(m: any) {
  if (m.status === 'scheduled') return t('campaign_scheduled', { time: when(m.scheduled_at) });
  if (waiting(m) > 0) return t('campaign_sending');
  if (m.status === 'queued' || m.status === 'sent' || m.status === 'done') return t('campaign_sent');
  return String(m.status);
}

function audienceText(m: any) {
  const kind = m.audience ?? (m.segment ? 'segment' : 'all');
  if (kind === 'segment' && m.segment) return t('labelled', { label: t('audience_segment'), value: `${m.segment.key} = ${m.segment.value}` });
  if (kind === 'csv') return t('audience_csv');
  return t('audience_all');
}

function campaignList(items: any[]) {
  if (!items.length) return empty('no_campaigns');
  const sorted = [...items].sort((a, b) => b.id - a.id);
  return h('ul', { class: 'items', 'data-test': 'campaigns' }, ...sorted.map((m) => {
    const facts: [Key, string][] = [
      ['survey', state.surveys.find((x) => x.id === m.survey_id)?.name ?? m.survey_id], ['audience', audienceText(m)], ['starts', when(m.scheduled_at)],
      ['wait_between', m.throttle_days ? count('days_n', m.throttle_days) : t('none_short')],
      ['daily_limit', m.daily_limit ? num(m.daily_limit) : t('none_short')],
    ];
    if (typeof m.reminder_days === 'number') facts.push(['reminder', m.reminder_days ? count('after_days_n', m.reminder_days) : t('none_short')]);
    return h('li', { class: 'card campaign', 'data-campaign': m.id },
      h('h2', {}, h('bdi', { 'data-test': 'campaign-name' }, m.name), ' ',
        h('span', { class: `status ${waiting(m) ? 'contacted' : m.status === 'scheduled' ? '' : 'resolved'}`, 'data-test': 'campaign-status' }, statusText(m))),
      h('ul', { class: 'facts-line muted' }, ...facts.map(([k, v]) => h('li', {}, t('labelled', { label: t(k), value: v })))),
      h('h3', { class: 'sr-only' }, t('funnel')), funnel(m.funnel ?? {}));
  }));
}

// The funnel: one figure per step, each with a bar of its share (of the messages for what
// became of them, of those sent for what people did).
function funnel(f: any) {
  const messages = figure(f, 'messages') || 1;
  const sent = figure(f, 'sent');
  const share = (n: number, of: number) => (of > 0 ? Math.min(100, Math.max(0, (100 * n) / of)) : 0);
  const box = h('dl', { class: 'funnel', 'data-test': 'funnel' });
  const add = (test: string, key: Key, value: string, width: number, tone = '') =>
    box.append(h('div', { class: `fig ${tone}`, 'data-test': `f-${test}` },
      h('dt', {}, t(key)), h('dd', {}, h('b', {}, value), h('span', { class: 'bar' }, h('span', { style: `width:${width.toFixed(1)}%` })))));
  const waitingNow = figure(f, 'queued') + figure(f, 'sending') + figure(f, 'committing');
  add('sent', 'f_sent', num(sent), share(sent, messages));
  add('bounced', 'f_bounced', num(figure(f, 'bounced')), share(figure(f, 'bounced'), messages), 'bad');
  if (typeof f.clicked === 'number') add('clicked', 'f_clicked', num(f.clicked), share(f.clicked, sent));
  add('answered', 'f_answered', num(figure(f, 'answered')), share(figure(f, 'answered'), sent), 'good');
  if (typeof f.unsubscribed === 'number') add('unsubscribed', 'f_unsubscribed', num(f.unsubscribed), share(f.unsubscribed, sent), 'bad');
  if ('response_rate' in f) {
    const rate = typeof f.response_rate === 'number' ? f.response_rate : null;
    add('response-rate', 'f_response_rate', rate === null ? '–' : pct(rate * 100), rate === null ? 0 : 100 * rate, 'good');
  }
  if (waitingNow) add('waiting', 'f_waiting', num(waitingNow), share(waitingNow, messages));
  if (figure(f, 'reminded')) add('reminded', 'f_reminded', num(f.reminded), share(f.reminded, sent));
  if (figure(f, 'skipped')) add('skipped', 'f_skipped', num(f.skipped), share(f.skipped, messages));
  if (figure(f, 'uncertain')) add('uncertain', 'f_uncertain', num(f.uncertain), share(f.uncertain, messages), 'bad');
  if (figure(f, 'failed')) add('failed', 'f_failed', num(f.failed), share(f.failed, messages), 'bad');
  return box;
}

// ---- the form ----------------------------------------------------------------------------

// "2026-11-30T09:00" for <input type=datetime-local>: a moment in the reader's time zone.
const localInput = (d: Date) => {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
};

function campaignForm(p: URLSearchParams, reload: () => Promise<void>) {
  const errs = new Map<string, HTMLElement>();
  const errFor = (field: string) => {
    const e = h('div', { id: `err-${field}`, class: 'field-error', 'data-field': field, role: 'alert' });
    errs.set(field, e);
    return e;
  };
  const help = (id: string, key: Key) => h('p', { class: 'fine', id }, t(key));
  const described = (field: string, helpId?: string) => [helpId, `err-${field}`].filter(Boolean).join(' ');
  const live = state.surveys.filter((s) => !s.archived);
  const survey = h('select', { id: 'c-survey', name: 'survey_id', 'aria-describedby': described('survey_id'), 'data-test': 'c-survey' },
    ...live.map((s) => h('option', { value: s.id, selected: s.id === p.get('survey') }, s.name ? `${s.name} (${s.id})` : s.id)));
  const name = h('input', { id: 'c-name', name: 'name', dir: 'auto', maxlength: 200, 'aria-describedby': described('name'), 'data-test': 'c-name' });
  const radio = (group: string, value: string, key: Key, checked = false) => {
    const id = `c-${group}-${value}`;
    return h('label', { class: 'choice', for: id }, h('input', { type: 'radio', id, name: group, value, checked, onchange: sync, 'data-test': id }), ' ', t(key));
  };
  const segKey = h('input', { id: 'c-segment-key', name: 'segment_key', dir: 'ltr', placeholder: 'plan', 'aria-describedby': described('segment'), 'data-test': 'c-segment-key' });
  const segValue = h('input', { id: 'c-segment-value', name: 'segment_value', dir: 'auto', placeholder: 'pro', 'aria-describedby': described('segment'), 'data-test': 'c-segment-value' });
  const segment = h('div', { class: 'sub', hidden: true },
    h('label', { for: 'c-segment-key' }, t('attribute')), segKey,
    h('label', { for: 'c-segment-value' }, t('segment_value')), segValue, errFor('segment'));
  const csv = h('input', { id: 'c-csv', name: 'audience_csv', type: 'file', accept: '.csv,text/csv,text/plain', 'aria-describedby': described('audience_csv', 'c-csv-help'), 'data-test': 'c-csv' });
  const csvBox = h('div', { class: 'sub', hidden: true }, h('label', { for: 'c-csv' }, t('csv_file')), csv, help('c-csv-help', 'audience_csv_help'), errFor('audience_csv'));
  const number = (id: string, field: string, value: number, min: number, max: number) =>
    h('input', { id, name: field, type: 'number', inputmode: 'numeric', min, max, step: 1, value: String(value),
      'aria-describedby': described(field, `${id}-help`), 'data-test': id });
  const throttle = number('c-throttle', 'throttle_days', 90, 0, 3650);
  const daily = number('c-daily', 'daily_limit', 0, 0, 1_000_000);
  const reminder = number('c-reminder', 'reminder_days', 0, 0, 60);
  const at = h('input', { id: 'c-at', name: 'at', type: 'datetime-local', disabled: true, 'aria-describedby': described('delay_minutes'), 'data-test': 'c-at' });
  const atBox = h('div', { class: 'sub', hidden: true }, h('label', { for: 'c-at' }, t('send_time')), at);
  const general = h('div', { class: 'error', role: 'alert', 'data-test': 'campaign-errors' });
  const done = h('p', { class: 'ok', role: 'status', 'data-test': 'campaign-done' });
  const button = h('button', { type: 'submit', 'data-test': 'create-campaign' }, t('create_send'));
  const chosen = (group: string) => (form.querySelector(`input[name=${group}]:checked`) as HTMLInputElement | null)?.value ?? '';
  // Only the fields of the chosen audience and schedule are shown (and sent).
  function sync() {
    segment.hidden = chosen('audience') !== 'segment';
    csvBox.hidden = chosen('audience') !== 'csv';
    const later = chosen('when') === 'at';
    atBox.hidden = !later; at.disabled = !later;
    if (later && !at.value) { const d = new Date(Date.now() + 86_400_000); d.setHours(9, 0, 0, 0); at.value = localInput(d); }
  }
  // A whole number as typed; anything else goes as typed and the server says what it wants.
  const whole = (el: HTMLInputElement) => (/^\d+$/.test(el.value.trim()) ? Number(el.value.trim()) : el.value);
  const show = (field: string, ...kids: (Node | string)[]) => {
    const target = errs.get(field);
    if (target) target.append(...kids.map((k) => h('p', {}, k)));
    else general.append(h('p', {}, ...kids));
  };
  const form: HTMLFormElement = h('form', { class: 'form-grid campaign-form', novalidate: true, 'data-test': 'campaign-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    for (const el of errs.values()) el.replaceChildren();
    general.replaceChildren(); done.textContent = '';
    const body: Record<string, unknown> = { survey_id: survey.value, throttle_days: whole(throttle), daily_limit: whole(daily) };
    if (name.value.trim()) body.name = name.value.trim();
    // Sent only when asked for: an npsd without reminders still takes the rest.
    if (reminder.value.trim() !== '0') body.reminder_days = whole(reminder);
    // The audience is what is sent: a segment, a CSV file's text, or neither (every contact).
    const audience = chosen('audience');
    if (audience === 'segment') body.segment = { key: segKey.value.trim(), value: segValue.value };
    if (audience === 'csv') {
      const file = csv.files?.[0];
      if (!file) { show('audience_csv', t('choose_file')); return; }
      body.audience_csv = await file.text();
    }
    if (chosen('when') === 'at') {
      const moment = Date.parse(at.value);
      if (Number.isNaN(moment)) { show('delay_minutes', t('time_missing')); return; }
      const minutes = Math.ceil((moment - Date.now()) / 60_000);
      if (minutes < 1) { show('delay_minutes', t('time_past')); return; }
      body.delay_minutes = minutes;
    }
    button.disabled = true;
    try {
      const made = await api('POST', '/v1/admin/campaigns', body);
      done.textContent = t('campaign_created', { name: made.name });
      await reload();
    } catch (x) {
      const errors: any[] = x instanceof ApiError ? x.body?.errors ?? [] : [];
      if (!errors.length) { general.append(h('p', {}, (x as Error).message)); return; }
      for (const er of errors) {
        const path = String(er.path ?? er.field ?? '');
        if (/SMTP/.test(er.message ?? '')) { general.append(h('p', { 'data-test': 'smtp-error' }, t('smtp_missing'))); continue; }
        const field = path.startsWith('segment') ? 'segment' : path.startsWith('audience_csv') ? 'audience_csv' : path;
        // A bad line of the audience's CSV file by its number, as the contacts import says it.
        if (field === 'audience_csv') { show(field, errorLine(path.replace(/^audience_csv[.:]?\s*/, ''), er.message)); continue; }
        show(field, errs.has(field) || !path ? er.message : errorLine(path, er.message));
      }
    } finally { button.disabled = false; }
  } },
  h('label', { for: 'c-survey' }, t('survey')), survey, errFor('survey_id'),
  h('label', { for: 'c-name' }, t('name')), name, errFor('name'),
  h('fieldset', { 'aria-describedby': 'err-audience' }, h('legend', {}, t('audience')),
    radio('audience', 'all', 'audience_all', true), radio('audience', 'segment', 'audience_segment'), radio('audience', 'csv', 'audience_csv'),
    segment, csvBox, errFor('audience')),
  h('label', { for: 'c-throttle' }, t('throttle_days')), throttle, help('c-throttle-help', 'throttle_help'), errFor('throttle_days'),
  h('label', { for: 'c-daily' }, t('daily_limit')), daily, help('c-daily-help', 'daily_limit_help'), errFor('daily_limit'),
  h('label', { for: 'c-reminder' }, t('reminder_days')), reminder, help('c-reminder-help', 'reminder_help'), errFor('reminder_days'),
  h('fieldset', {}, h('legend', {}, t('schedule')),
    radio('when', 'now', 'send_now', true), radio('when', 'at', 'send_at'), atBox, errFor('delay_minutes')),
  general, button, done);
  if (!live.length) button.disabled = true;
  return form;
}
