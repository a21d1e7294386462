// Webhooks (issue 15), for administrators: the team's endpoints (a Standard Webhooks
// receiver, Slack, Teams or an e-mail alert) with what each receives (events, a survey,
// categories), whether it is enabled and why not (a receiver that answered 410 Gone); adding
// one and its signing secret shown once, rotating the secret, enabling, disabling, deleting
// (asked first). For one endpoint, its deliveries, failed ones first or filtered by status:
// the event, attempts, the last answer or error, the next attempt; a failed delivery is sent
// again with one button and the page shows what the receiver answered. The form offers each
// kind only the events it takes: the weekly digest (digest.weekly) to e-mail and Standard
// Webhooks endpoints, an e-mail alert only answers and the digest.
import { t, lang, languages, num, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, empty, errorText, go, render, state, when } from './app';
import { confirmDelete } from './admin';

const EVENTS = ['response.created', 'response.updated', 'follow_up.changed', 'contact.unsubscribed', 'campaign.finished', 'digest.weekly'];
const KINDS = ['standard', 'slack', 'teams', 'email'];
// The events a kind of endpoint takes (the server refuses the others): an e-mail alert takes
// answers and the weekly digest; Slack and Teams everything but the digest.
const EMAIL_EVENTS = ['response.created', 'response.updated', 'digest.weekly'];
const offered = (kind: string, event: string) =>
  kind === 'email' ? EMAIL_EVENTS.includes(event) : kind === 'slack' || kind === 'teams' ? event !== 'digest.weekly' : true;
const CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
const FILTERS = ['', 'failed', 'pending', 'delivered'];
// How often deliveries still waiting are fetched again, and how long a replay is watched.
const POLL_MS = 2000;
const REPLAY_WATCH_MS = 30_000;
const PAGE = 50;

const base = (id: number | string) => `/v1/admin/webhooks/${encodeURIComponent(String(id))}`;
const eventName = (e: string) => (EVENTS.includes(e) ? t(`wh_ev_${e.replace('.', '_')}` as Key) : e);
const kindName = (k: string) => (KINDS.includes(k) ? t(`wh_kind_${k}` as Key) : k);
const surveyName = (id: string) => state.surveys.find((s) => s.id === id)?.name ?? id;
const langName = (code: string) => languages.find((l) => l.code === code)?.name ?? code;
// A URL or an e-mail address reads left to right, whatever the page's direction.
const url = (s: string) => h('bdi', { dir: 'ltr', class: 'url' }, s);

// A secret the server just gave (a new endpoint, a rotation): drawn by the next draw of the
// page, then forgotten, so it is shown once.
let fresh: { url: string; secret: string; rotated: boolean } | null = null;

export async function webhooksView(p: URLSearchParams) {
  const items: any[] = (await api('GET', '/v1/admin/webhooks')).items;
  // Which endpoints have a failed delivery: the list does not say, so one look each.
  const failing = new Set<number>();
  await Promise.all(items.map(async (e) => {
    try { if ((await api('GET', `${base(e.id)}/deliveries?status=failed&limit=1`)).items.length) failing.add(e.id); }
    catch { /* the list is drawn without the mark */ }
  }));
  const root = h('section', { class: 'webhooks' });
  root.append(h('p', { class: 'fine' }, t('wh_about')));
  if (fresh) { root.append(secretCard(fresh)); fresh = null; }
  root.append(h('details', { class: 'card new-webhook', open: !items.length, 'data-test': 'new-webhook' },
    h('summary', {}, t('wh_add')), endpointForm()));
  root.append(endpointList(items, failing, p.get('item')));
  const chosen = items.find((e) => String(e.id) === p.get('item'));
  if (chosen) root.append(await deliveries(chosen, FILTERS.includes(p.get('dstatus') ?? '') ? p.get('dstatus') ?? '' : ''));
  return root;
}

function secretCard(s: { url: string; secret: string; rotated: boolean }) {
  const copied = h('span', { class: 'ok', role: 'status' });
  return h('div', { class: 'card secret', 'data-test': 'wh-secret' },
    h('p', {}, t(s.rotated ? 'wh_secret_rotated' : 'wh_secret_once'), ' ', url(s.url)),
    h('pre', { class: 'snippet', dir: 'ltr', 'data-test': 'wh-secret-value' }, s.secret),
    h('p', { class: 'fine' }, t('wh_secret_use')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: async () => {
        try { await navigator.clipboard.writeText(s.secret); copied.textContent = t('wh_copied'); } catch { copied.textContent = ''; }
      } }, t('copy')), copied));
}

// ---- adding an endpoint ----------------------------------------------------------------------

function endpointForm() {
  const errs = new Map<string, HTMLElement>();
  const errFor = (field: string) => {
    const e = h('div', { id: `wh-err-${field}`, class: 'field-error', role: 'alert' });
    errs.set(field, e);
    return e;
  };
  const kind = h('select', { id: 'wh-kind', name: 'kind', 'aria-describedby': 'wh-err-kind', 'data-test': 'wh-kind', onchange: () => sync() },
    ...KINDS.map((k) => h('option', { value: k }, kindName(k))));
  const address = h('input', { id: 'wh-url', name: 'url', type: 'url', dir: 'ltr', required: true, maxlength: 2000,
    placeholder: 'https://example.com/hooks/nps', 'aria-describedby': 'wh-url-help wh-err-url', 'data-test': 'wh-url' });
  const description = h('input', { id: 'wh-description', name: 'description', dir: 'auto', maxlength: 200,
    'aria-describedby': 'wh-err-description', 'data-test': 'wh-description' });
  const boxes = (group: string, values: readonly string[], label: (v: string) => string) => values.map((v) => {
    const id = `wh-${group}-${v.replace('.', '-')}`;
    return h('label', { class: 'choice', for: id }, h('input', { type: 'checkbox', id, name: group, value: v, 'data-test': id }), ' ', label(v));
  });
  const survey = h('select', { id: 'wh-survey', name: 'survey_id', 'aria-describedby': 'wh-err-survey_id', 'data-test': 'wh-survey' },
    h('option', { value: '' }, t('wh_every_survey')),
    ...state.surveys.filter((s) => !s.archived).map((s) => h('option', { value: s.id }, s.name ? `${s.name} (${s.id})` : s.id)));
  const locale = h('select', { id: 'wh-locale', name: 'locale', 'aria-describedby': 'wh-err-locale', 'data-test': 'wh-locale' },
    ...languages.map((l) => h('option', { value: l.code, selected: l.code === lang() }, l.name)));
  const localeBox = h('div', { class: 'sub', hidden: true }, h('label', { for: 'wh-locale' }, t('wh_alert_language')), locale, errFor('locale'));
  const general = h('div', { class: 'error', role: 'alert', 'data-test': 'wh-errors' });
  const button = h('button', { type: 'submit', 'data-test': 'wh-add' }, t('wh_add_button'));
  const urlHelp = h('p', { class: 'fine', id: 'wh-url-help' });
  const eventsHelp = h('p', { class: 'fine', id: 'wh-events-help' });
  const noDigest = h('p', { class: 'fine', 'data-test': 'wh-no-digest', hidden: true }, t('wh_digest_not_here'));
  function sync() {
    const email = kind.value === 'email';
    // Only the events this kind takes are offered; one no longer offered is unticked, so the
    // form sends exactly what is ticked and shown.
    for (const box of form.querySelectorAll<HTMLInputElement>('input[name=events]')) {
      const yes = offered(kind.value, box.value);
      (box.closest('label') as HTMLElement).hidden = !yes;
      box.disabled = !yes;
      if (!yes) box.checked = false;
    }
    noDigest.hidden = kind.value !== 'slack' && kind.value !== 'teams';
    // Nothing ticked: an e-mail alert gets new answers, the others every event.
    eventsHelp.textContent = t(email ? 'wh_events_help_email' : 'wh_events_help');
    localeBox.hidden = !email;
    address.type = email ? 'text' : 'url';
    address.placeholder = email ? 'mailto:team@example.com' : kind.value === 'standard' ? 'https://example.com/hooks/nps' : 'https://hooks.example.com/…';
    urlHelp.textContent = t(email ? 'wh_url_help_email' : 'wh_url_help');
  }
  const checked = (group: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name=${group}]:checked:not(:disabled)`)].map((x) => x.value);
  const form: HTMLFormElement = h('form', { class: 'form-grid webhook-form', novalidate: true, 'data-test': 'wh-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    for (const el of errs.values()) el.replaceChildren();
    general.replaceChildren();
    if (!address.value.trim()) { errs.get('url')!.append(h('p', {}, t('wh_url_missing'))); address.focus(); return; }
    const body: Record<string, unknown> = { url: address.value.trim(), kind: kind.value, event_types: checked('events'),
      categories: checked('categories'), survey_id: survey.value || null };
    if (description.value.trim()) body.description = description.value.trim();
    if (kind.value === 'email') body.locale = locale.value;
    button.disabled = true;
    try {
      const made = await api('POST', '/v1/admin/webhooks', body);
      fresh = { url: made.url, secret: made.secret, rotated: false };
      await go({ item: null, dstatus: null });
    } catch (x) {
      const errors: any[] = x instanceof ApiError ? x.body?.errors ?? [] : [];
      if (!errors.length) general.append(h('p', {}, (x as Error).message));
      for (const er of errors) {
        const field = String(er.path ?? '').split(/[.[]/)[0];
        const target = errs.get(field === 'event_types' ? 'events' : field);
        (target ?? general).append(h('p', {}, target ? er.message : t('labelled', { label: field, value: er.message })));
      }
    } finally { button.disabled = false; }
  } },
  h('label', { for: 'wh-kind' }, t('wh_kind')), kind, errFor('kind'),
  h('label', { for: 'wh-url' }, t('wh_url')), address, urlHelp, errFor('url'),
  localeBox,
  h('label', { for: 'wh-description' }, t('wh_description')), description, errFor('description'),
  h('fieldset', { 'aria-describedby': 'wh-events-help wh-err-events' }, h('legend', {}, t('wh_events')),
    ...boxes('events', EVENTS, eventName), eventsHelp, noDigest, errFor('events')),
  h('label', { for: 'wh-survey' }, t('survey')), survey, errFor('survey_id'),
  h('fieldset', { 'aria-describedby': 'wh-categories-help wh-err-categories' }, h('legend', {}, t('wh_categories')),
    ...boxes('categories', CATEGORIES, (c) => t(c as Key)), h('p', { class: 'fine', id: 'wh-categories-help' }, t('wh_categories_help')),
    errFor('categories')),
  general, button);
  sync();
  return form;
}

// ---- the endpoints -----------------------------------------------------------------------

function stateCell(e: any, failing: boolean) {
  const box = h('div', { class: 'state' });
  if (e.enabled) box.append(h('span', { class: 'status resolved', 'data-test': 'wh-state' }, t('wh_enabled')));
  else {
    const reason = String(e.disabled_reason ?? '');
    box.append(h('span', { class: 'status new', 'data-test': 'wh-state' }, t('wh_disabled')),
      h('p', { class: 'fine', 'data-test': 'wh-disabled-why' },
        /^410\b/.test(reason) ? t('wh_disabled_410') : reason ? t('labelled', { label: t('reason'), value: reason }) : t('wh_disabled_by_admin')));
  }
  if (failing) {
    box.append(' ', h('a', { href: `?${new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(location.search)), item: String(e.id), dstatus: 'failed' })}`,
      class: 'status new', 'data-test': 'wh-failing', onclick: (ev: MouseEvent) => { ev.preventDefault(); void go({ item: String(e.id), dstatus: 'failed' }); } },
    t('wh_has_failed')));
  }
  if (e.previous_secret_until) box.append(h('p', { class: 'fine' }, t('wh_old_secret_until', { time: when(e.previous_secret_until) })));
  return box;
}

function endpointList(items: any[], failing: Set<number>, open: string | null) {
  if (!items.length) return empty('wh_none');
  const err = h('p', { class: 'error', role: 'alert', 'data-test': 'wh-list-error' });
  const act = async (run: () => Promise<unknown>) => {
    err.textContent = '';
    try { await run(); } catch (x) { err.textContent = errorText(x); }
  };
  const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
  const row = (e: any) => {
    const filters: string[] = [t('labelled', { label: t('survey'), value: e.survey_id ? surveyName(e.survey_id) : t('wh_every_survey') }),
      t('labelled', { label: t('wh_categories'), value: e.categories?.length ? e.categories.map((c: string) => t(c as Key)).join(', ') : t('wh_every_category') })];
    if (e.channels?.length) filters.push(t('labelled', { label: t('channel'), value: e.channels.join(', ') }));
    if (e.kind === 'email') filters.push(t('labelled', { label: t('wh_alert_language'), value: langName(e.locale ?? 'en') }));
    const rotateBox = h('span', { class: 'confirm' });
    const rotateIdle = () => rotateBox.replaceChildren(h('button', { type: 'button', class: 'link', 'data-test': 'wh-rotate', onclick: () => rotateBox.replaceChildren(
      h('span', { role: 'alert' }, t('wh_rotate_confirm')), ' ',
      h('button', { type: 'button', 'data-test': 'wh-rotate-confirm', onclick: () => act(async () => {
        const r = await api('POST', `${base(e.id)}/rotate-secret`, {});
        fresh = { url: r.url, secret: r.secret, rotated: true };
        await render();
      }) }, t('wh_rotate')), ' ',
      h('button', { type: 'button', class: 'secondary', onclick: rotateIdle }, t('cancel'))) }, t('wh_rotate')));
    rotateIdle();
    const shown = open === String(e.id);
    return h('tr', { 'data-webhook': e.id, class: shown ? 'current' : '' },
      cell('wh_url', h('span', {}, url(e.url), e.description ? h('span', { class: 'fine desc' }, h('bdi', {}, e.description)) : '')),
      cell('wh_kind', kindName(e.kind)),
      cell('wh_events', e.event_types?.length ? e.event_types.map(eventName).join(', ') : t('wh_every_event')),
      cell('wh_filters', h('ul', { class: 'plain' }, ...filters.map((f) => h('li', {}, f)))),
      cell('wh_state', stateCell(e, failing.has(e.id))),
      cell('actions', h('div', { class: 'row-actions' },
        h('button', { type: 'button', class: shown ? 'secondary' : '', 'aria-pressed': shown ? 'true' : 'false', 'data-test': 'wh-deliveries',
          onclick: () => go(shown ? { item: null, dstatus: null } : { item: String(e.id) }) }, t('wh_deliveries')),
        h('button', { type: 'button', class: 'link', 'data-test': e.enabled ? 'wh-disable' : 'wh-enable',
          onclick: () => act(async () => { await api('PATCH', base(e.id), { enabled: !e.enabled }); await render(); }) },
        t(e.enabled ? 'wh_disable' : 'wh_enable')),
        rotateBox,
        confirmDelete(e.url, () => act(async () => {
          await api('DELETE', base(e.id));
          await (shown ? go({ item: null, dstatus: null }) : render());
        })))));
  };
  return h('div', {}, err, h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'webhooks' },
    h('thead', {}, h('tr', {}, ...(['wh_url', 'wh_kind', 'wh_events', 'wh_filters', 'wh_state', 'actions'] as Key[]).map((k) => h('th', {}, t(k))))),
    h('tbody', {}, ...items.map(row)))));
}

// ---- deliveries ----------------------------------------------------------------------------

// What became of a delivery: failed (given up, or the receiver answered 410), retrying (an
// attempt failed, another is planned), waiting (not tried yet), delivered.
const statusOf = (d: any) => (d.status === 'pending' && d.attempts > 0 ? 'retrying' : String(d.status));
const STATUS_CLASS: Record<string, string> = { failed: 'new', retrying: 'contacted', pending: '', delivered: 'resolved' };
const lastAnswer = (d: any) => d.last_error || (d.last_status ? `HTTP ${d.last_status}` : '–');

async function deliveries(e: any, filter: string) {
  const list = h('div', { 'data-test': 'wh-delivery-list', 'aria-live': 'polite' });
  const section = h('section', { class: 'card deliveries', 'data-test': 'wh-deliveries-of', 'data-webhook': e.id },
    h('h2', {}, t('wh_deliveries'), ' ', url(e.url)),
    h('div', { class: 'filters' },
      h('label', {}, t('wh_show'),
        h('select', { 'data-test': 'wh-dstatus', onchange: (ev: Event) => go({ dstatus: (ev.target as HTMLSelectElement).value || null }) },
          ...FILTERS.map((f) => h('option', { value: f, selected: f === filter }, t(`wh_d_${f || 'all'}` as Key))))),
      h('button', { type: 'button', class: 'secondary', 'data-test': 'wh-hide', onclick: () => go({ item: null, dstatus: null }) }, t('wh_hide'))),
    list);
  // What a replay came to, kept across the list's refreshes; and the replayed deliveries, so
  // one stays in sight when the filter (failed) no longer matches it.
  const results = new Map<number, { text: string; tone: string }>();
  const replayed = new Map<number, true>();
  let next: string | null = null;
  let timer = 0;
  const query = (status: string, cursor: string | null = null, limit = PAGE) =>
    `${base(e.id)}/deliveries?limit=${limit}${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  // One delivery alone: the page of one that starts right after its id.
  const one = async (id: number) => {
    const [found] = (await api('GET', query('', String(id + 1), 1))).items;
    return found && found.id === id ? found : null;
  };
  async function load() {
    clearTimeout(timer);
    let rows: any[];
    if (filter) {
      const r = await api('GET', query(filter));
      rows = r.items; next = r.next_cursor;
    } else {
      // Failed ones first, then the rest newest first.
      const [failed, all] = await Promise.all([api('GET', query('failed')), api('GET', query(''))]);
      rows = [...failed.items, ...all.items.filter((d: any) => d.status !== 'failed')]; next = all.next_cursor;
    }
    for (const id of replayed.keys()) {
      if (rows.some((x) => x.id === id)) continue;
      const d = await one(id);
      if (d) rows.unshift(d);
    }
    draw(rows);
    if (rows.some((d) => d.status === 'pending')) timer = window.setTimeout(refresh, POLL_MS);
  }
  const refresh = async () => {
    if (!list.isConnected) return;
    try { await load(); } catch { timer = window.setTimeout(refresh, POLL_MS * 4); }
  };
  const body = h('tbody', {});
  const more: HTMLButtonElement = h('button', { type: 'button', class: 'secondary', 'data-test': 'more', onclick: async () => {
    more.disabled = true;
    try {
      const r = await api('GET', query(filter, next));
      body.append(...r.items.filter((d: any) => filter || d.status !== 'failed').map(row));
      next = r.next_cursor;
    } finally { more.disabled = false; more.hidden = !next; }
  } }, t('more'));
  function draw(rows: any[]) {
    if (!rows.length) { list.replaceChildren(empty(filter === 'failed' ? 'wh_no_failed' : 'wh_no_deliveries')); return; }
    body.replaceChildren(...rows.map(row));
    more.hidden = !next;
    list.replaceChildren(h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'wh-deliveries' },
      h('thead', {}, h('tr', {}, ...(['wh_event', 'status', 'wh_attempts', 'wh_last_answer', 'wh_next_attempt', 'actions'] as Key[]).map((k) => h('th', {}, t(k))))),
      body)), more);
  }
  function row(d: any): HTMLTableRowElement {
    const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
    const s = statusOf(d);
    const said = results.get(d.id);
    const result = h('span', { class: said?.tone ?? '', role: 'status', 'data-test': 'wh-replay-result' }, said?.text ?? '');
    const actions = h('div', { class: 'row-actions' });
    if (d.status === 'failed') {
      const button: HTMLButtonElement = h('button', { type: 'button', 'data-test': 'wh-replay', onclick: async () => {
        button.disabled = true;
        await replay(d, (text, tone) => { results.set(d.id, { text, tone }); result.className = tone; result.textContent = text; });
      } }, t('wh_replay'));
      actions.append(button);
    }
    if (d.status === 'failed' || said) actions.append(result);
    return h('tr', { 'data-delivery': d.id, 'data-status': s },
      cell('wh_event', h('span', {}, h('span', { 'data-test': 'wh-event' }, eventName(d.event_type)), h('span', { class: 'fine desc' }, when(d.updated_at)),
        h('details', { class: 'payload' }, h('summary', {}, t('wh_payload')), h('pre', { class: 'snippet', dir: 'ltr' }, JSON.stringify(d.payload, null, 2))))),
      cell('status', h('span', { class: `status ${STATUS_CLASS[s] ?? ''}`, 'data-test': 'wh-status' }, t(`wh_st_${s}` as Key))),
      cell('wh_attempts', h('span', { 'data-test': 'wh-attempts' }, num(d.attempts))),
      cell('wh_last_answer', h('span', { dir: 'ltr', class: 'answer', 'data-test': 'wh-last' }, lastAnswer(d))),
      cell('wh_next_attempt', d.next_attempt_at ? when(d.next_attempt_at) : '–'),
      cell('actions', ...(actions.childNodes.length ? [actions] : [])));
  }
  // Sends a failed delivery again and watches it until the receiver has answered once.
  async function replay(d: any, say: (text: string, tone: string) => void) {
    say(t('wh_replaying'), 'muted');
    try {
      await api('POST', `${base(e.id)}/deliveries/${d.id}/replay`);
    } catch (x) { say(errorText(x), 'error'); await refresh(); return; }
    const until = Date.now() + REPLAY_WATCH_MS;
    let now = d;
    while (Date.now() < until && list.isConnected) {
      await new Promise((r) => setTimeout(r, 500));
      const found = await one(d.id);
      if (!found) break;
      now = found;
      if (found.status !== 'pending' || found.attempts > 0) break;
    }
    replayed.set(d.id, true);
    if (now.status === 'delivered') say(t('wh_replay_ok'), 'ok');
    else if (now.status === 'failed') say(t('wh_replay_failed', { error: lastAnswer(now) }), 'error');
    else if (now.attempts > 0) say(t('wh_replay_retrying', { error: lastAnswer(now), time: now.next_attempt_at ? when(now.next_attempt_at) : '–' }), 'error');
    else say(t('wh_replay_slow'), 'muted');
    await refresh();
  }
  await load();
  return section;
}
