// Follow-up: the detractors to call back. The list (open, mine, all) with how many there are
// in all and "More" for the next page; an item with its answer's context (plan, page, device,
// language), its notes, its assignee (any colleague) and what can be done about it. An answer
// without a respondent id cannot be answered: the page says so and offers a note and closing
// the item instead of "Mark as contacted".
import { t, count, dir, type TextKey as Key } from './i18n';
import { h } from './dom';
import { api, empty, errorText, go, link, render, state, surveyBase, surveyPicker, when } from './app';
import { respondentLink, responseLink, sentimentLines } from './response_page';
import { hasTone, toneBadge, toneNote } from './sentiment';

const PAGE = 100;

export async function followup(p: URLSearchParams) {
  const id = p.get('survey')!;
  const base = `${surveyBase(p)}/follow-ups`;
  if (p.get('item')) return followupItem(base, p.get('item')!);
  const scope = p.get('scope') ?? 'open';
  const q = new URLSearchParams({ limit: String(PAGE) });
  if (scope === 'open') q.set('open', '1');
  if (scope === 'mine') q.set('assignee', 'me');
  const first = await api('GET', `${base}?${q}`);
  const tab = (s: string, key: Key) => h('button', { class: s === scope ? 'tab on' : 'tab', 'data-scope': s, 'aria-pressed': String(s === scope),
    onclick: () => go({ scope: s }) }, t(key));
  const root = h('section', {}, h('div', { class: 'filters' }, surveyPicker(id), tab('open', 'open'), tab('mine', 'mine'), tab('all', 'all_items')));
  if (!first.items.length) { root.append(empty('no_followups')); return root; }
  const total: number = first.total;
  const shown = h('p', { class: 'muted', 'data-test': 'followup-total', 'aria-live': 'polite' });
  const list = h('ul', { class: 'items', 'data-test': 'followups' });
  let n = 0;
  // Where the words' tone comes from (issue 16): one line above the list, once a page shows a tone.
  let noted = false;
  const add = (items: any[]) => {
    if (!noted && hasTone(items.map((f) => f.response))) { list.before(toneNote()); noted = true; }
    list.append(...items.map(row));
    n += items.length;
    shown.textContent = count('items_shown', total, { shown: n });
  };
  let next: string | null = first.next_cursor;
  const more: HTMLButtonElement = h('button', { type: 'button', 'data-test': 'more', hidden: !next, onclick: async () => {
    more.disabled = true;
    const page = await api('GET', `${base}?${q}&cursor=${encodeURIComponent(next!)}`);
    add(page.items);
    next = page.next_cursor;
    more.hidden = !next;
    more.disabled = false;
  } }, t('more'));
  root.append(shown, list, more);
  add(first.items);
  return root;
}

function row(f: any) {
  const r = f.response;
  return h('li', { class: 'card item' },
    link({ item: String(r.id) },
      h('b', { class: `score ${r.category}` }, String(r.score)), ' ',
      h('span', { class: `status ${f.status}`, 'data-test': 'status' }, t(`status_${f.status}` as Key)), ' ',
      r.respondent_id ? '' : h('span', { class: 'status anonymous', 'data-test': 'anonymous' }, t('anonymous')), ' ',
      h('span', { class: 'comment', dir: 'auto' }, r.comment ?? r.respondent_id ?? '')),
    // The words' tone (English comments only) on a line of its own under the comment, in the
    // page's direction, outside the link and the comment's dir=auto.
    toneLine(r.sentiment),
    // Each part in its own <bdi>: an e-mail or a date in a right-to-left page stays whole
    // and in order.
    h('div', { class: 'muted', 'data-test': 'item-line' }, ...[when(r.received_at), f.assignee?.email ?? t('unassigned'), count('notes_n', f.notes.length),
      r.attributes?.plan ? t('labelled', { label: t('plan'), value: r.attributes.plan }) : null].filter((x): x is string => !!x)
      .flatMap((part, i) => (i ? [' · ', h('bdi', {}, part)] : [h('bdi', {}, part)])),
    r.respondent_id ? ' · ' : '', r.respondent_id ? respondentLink(r.respondent_id) : ''));
}

const toneLine = (sentiment: unknown) => { const b = toneBadge(sentiment); return b ? h('div', { class: 'tone-line' }, b) : null; };

async function followupItem(base: string, rid: string) {
  const [f, people] = await Promise.all([api('GET', `${base}/${rid}`), api('GET', '/v1/admin/assignees').then((x) => x.items as { id: number; email: string }[])]);
  const r = f.response;
  const err = h('p', { class: 'error', role: 'alert' });
  const note = h('textarea', { id: 'note', name: 'note', rows: 3, 'data-test': 'note' });
  const change = async (body: Record<string, unknown>) => {
    if (note.value.trim()) body.note = note.value.trim();
    try { await api('PATCH', `${base}/${rid}`, body); await render(); } catch (x) { err.textContent = errorText(x); }
  };
  const mine = !!state.me?.user_id && f.assignee?.id === state.me.user_id;
  // The colleague picker: anyone who can sign in, or nobody.
  const assignee = h('select', { id: 'assignee', name: 'assignee', 'data-test': 'assignee',
    onchange: () => change({ assignee_id: assignee.value ? Number(assignee.value) : null }) },
  h('option', { value: '' }, t('unassigned')),
  ...people.map((u) => h('option', { value: String(u.id), selected: u.id === f.assignee?.id }, u.email)));
  const fact = (key: Key, value: string | null | undefined, test?: string) =>
    value ? [h('dt', {}, t(key)), h('dd', { dir: 'auto', 'data-test': test }, value)] : [];
  const attributes = Object.entries(r.attributes ?? {}) as [string, unknown][];
  const contactable = !!r.respondent_id;
  return h('section', { class: 'card detail', 'data-test': 'followup-item' },
    h('button', { class: 'link', onclick: () => go({ item: null }) }, `${dir() === 'rtl' ? '→' : '←'} ${t('back')}`),
    h('h2', {}, h('span', { class: `score ${r.category}` }, String(r.score)), ' ', t(r.category as Key)),
    h('p', { class: 'comment big-comment', 'data-test': 'comment', dir: 'auto' }, r.comment ?? ''),
    // As on the answer's page: the tone, the flag, the scored words and where the tone comes from.
    ...sentimentLines(r.sentiment),
    contactable ? null : h('p', { class: 'warn', 'data-test': 'anonymous-note' }, t('anonymous_explained')),
    h('dl', { class: 'facts', 'data-test': 'facts' },
      h('dt', {}, t('respondent')), h('dd', { 'data-test': 'respondent' }, r.respondent_id ? respondentLink(r.respondent_id) : t('anonymous')),
      h('dt', {}, t('rp_title')), h('dd', {}, responseLink(r.id, when(r.received_at))),
      h('dt', {}, t('status')), h('dd', { 'data-test': 'status' }, t(`status_${f.status}` as Key)),
      h('dt', {}, h('label', { for: 'assignee' }, t('assignee'))), h('dd', {}, assignee,
        state.me?.user_id && !mine ? h('button', { class: 'link', 'data-test': 'assign-me', onclick: () => change({ assignee_id: 'me' }) }, t('assign_me')) : null),
      h('dt', {}, t('time')), h('dd', {}, when(r.received_at)),
      ...fact('channel', r.channel, 'fact-channel'), ...fact('locale', r.locale, 'fact-locale'),
      ...fact('device', r.device, 'fact-device'), ...fact('page', r.page, 'fact-page'),
      ...attributes.flatMap(([k, v]) => [h('dt', { dir: 'auto' }, k), h('dd', { dir: 'auto', 'data-test': `attr-${k}` }, String(v))])),
    h('h3', {}, t('notes')),
    f.notes.length ? h('ol', { class: 'notes', 'data-test': 'notes' }, ...f.notes.map((n: any) => h('li', {},
      // Each part isolated (an e-mail, a time, the note's own language), or a right-to-left line reorders them.
      h('span', { class: 'muted' }, h('bdi', {}, n.author), ' · ', h('bdi', {}, when(n.created_at)), ': '), h('bdi', {}, n.text))))
      : h('p', { class: 'muted', 'data-test': 'notes' }, t('no_notes')),
    h('label', { for: 'note' }, t('note')), note,
    h('div', { class: 'actions' },
      contactable && f.status === 'new' ? h('button', { 'data-test': 'contacted', onclick: () => change({ status: 'contacted' }) }, t('mark_contacted')) : null,
      f.status !== 'resolved' ? h('button', { 'data-test': 'resolve', onclick: () => change({ status: 'resolved' }) }, t(contactable ? 'resolve' : 'close_item')) : null,
      f.status === 'resolved' ? h('button', { 'data-test': 'reopen', onclick: () => change({ status: 'new' }) }, t('reopen')) : null,
      h('button', { 'data-test': 'add-note', onclick: async () => {
        if (!note.value.trim()) { err.textContent = t('note_empty'); return; }
        try { await api('POST', `${base}/${rid}/notes`, { text: note.value.trim() }); await render(); } catch (x) { err.textContent = errorText(x); }
      } }, t('add_note'))),
    err);
}
