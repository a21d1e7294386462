// Contacts of e-mail surveys (issue 14): how many there are, the list a page at a time
// ("More") with whether each can be e-mailed, importing a CSV file (editors; all or nothing,
// every bad line named by its number), deleting a contact (editors, asked first), and the
// suppression list. E-mail addresses and names are personal data: the page is for analysts
// and above, and the server sends them to no lesser role anyway (a viewer's list has no
// e-mail, so no column is drawn for what is not there).
import { t, count, languageName, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, can, empty, when } from './app';
import { confirmDelete } from './admin';

const PAGE = 100;

export async function contactsView() {
  const [first, suppressed] = await Promise.all([
    api('GET', `/v1/admin/contacts?limit=${PAGE}`),
    api('GET', '/v1/admin/suppressions'),
  ]);
  const list = h('div', { 'data-test': 'contacts-list' });
  list.append(contactList(first));
  const root = h('section', { class: 'contacts' });
  if (can('editor')) root.append(importForm(async () => list.replaceChildren(contactList(await api('GET', `/v1/admin/contacts?limit=${PAGE}`)))));
  root.append(list, suppressionList(suppressed.items));
  return root;
}

// ---- import ------------------------------------------------------------------------------

// The server names a bad CSV line "line 7: email": written out as "Line 7, email: …".
export function errorLine(path: string, message: string) {
  const m = /^line (\d+): (.*)$/.exec(path);
  if (m) return t('line_error', { line: Number(m[1]), field: m[2], message });
  return path ? t('labelled', { label: path, value: message }) : message;
}
function lineErrors(x: unknown) {
  const errors: any[] = x instanceof ApiError ? x.body?.errors ?? [] : [];
  if (!errors.length) return [h('li', {}, (x as Error).message)];
  return errors.map((e) => h('li', { 'data-path': e.path }, errorLine(String(e.path ?? e.field ?? ''), e.message)));
}

function importForm(reload: () => Promise<unknown>) {
  const file = h('input', { id: 'contacts-file', name: 'csv', type: 'file', accept: '.csv,text/csv,text/plain', 'aria-describedby': 'csv-format', 'data-test': 'csv-file' });
  const result = h('div', { 'data-test': 'import-result', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', 'data-test': 'import' }, t('import'));
  return h('form', { class: 'card form-grid', 'data-test': 'import-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    result.replaceChildren();
    const chosen = file.files?.[0];
    if (!chosen) { result.append(h('p', { class: 'error', role: 'alert' }, t('choose_file'))); return; }
    button.disabled = true;
    try {
      const r = await api('POST', '/v1/admin/contacts/import', { csv: await chosen.text() });
      result.append(h('p', { class: 'ok', role: 'status', 'data-test': 'import-done' }, t('imported'), ' ',
        [count('import_created', r.created), count('import_updated', r.updated), r.merged ? count('import_merged', r.merged) : '']
          .filter(Boolean).join(' · ')));
      file.value = '';
      await reload();
    } catch (x) {
      result.append(h('div', { class: 'error', role: 'alert', 'data-test': 'import-errors' },
        h('p', {}, t('import_failed')), h('ul', {}, ...lineErrors(x))));
    } finally { button.disabled = false; }
  } },
  h('h2', {}, t('import_contacts')),
  h('label', { for: 'contacts-file' }, t('csv_file')), file,
  h('p', { class: 'fine', id: 'csv-format' }, t('csv_format')),
  button, result);
}

// ---- the list ----------------------------------------------------------------------------

function contactList(first: any) {
  const total: number = first.total;
  if (!first.items.length) return empty('no_contacts');
  // Personal columns only when the server sent them (it does from the analyst role up).
  const personal = 'email' in first.items[0];
  const editor = can('editor');
  const heads: Key[] = [...(personal ? ['email', 'person_name'] as Key[] : ['id'] as Key[]), 'language', ...(personal ? ['attributes'] as Key[] : []),
    'contact_status', 'last_asked', ...(editor ? ['actions'] as Key[] : [])];
  const shown = h('p', { class: 'muted', 'data-test': 'contacts-total', 'aria-live': 'polite' });
  const body = h('tbody', {});
  let n = 0, all = total;
  const say = () => { shown.textContent = n < all ? count('contacts_shown', all, { shown: n }) : count('contacts_total', all); };
  const row = (c: any) => {
    const cell = (key: Key, ...kids: (Node | string)[]) => h('td', { 'data-label': t(key) }, ...kids);
    const attrs = Object.entries(c.attributes ?? {}).map(([k, v]) => t('labelled', { label: k, value: String(v) })).join(' · ');
    const tr: HTMLTableRowElement = h('tr', { 'data-contact': c.id },
      ...(personal ? [cell('email', h('span', {}, h('bdi', { 'data-test': 'contact-email' }, c.email))), cell('person_name', h('span', {}, h('bdi', {}, c.name ?? '')))] : [cell('id', String(c.id))]),
      cell('language', c.locale ? languageName(c.locale) : '–'),
      ...(personal ? [cell('attributes', h('span', {}, h('bdi', {}, attrs)))] : []),
      cell('contact_status', c.suppressed
        ? h('span', { class: 'status new', 'data-test': 'suppressed' }, t('suppressed_because', { reason: reasonText(c.suppressed) }))
        : t('reachable')),
      cell('last_asked', c.last_asked_at ? when(c.last_asked_at) : t('never')),
      ...(editor ? [cell('actions', confirmDelete(c.email ?? `#${c.id}`, async () => {
        await api('DELETE', `/v1/admin/contacts/${c.id}`);
        tr.remove(); n--; all--; say();
      }))] : []));
    return tr;
  };
  const add = (items: any[]) => { body.append(...items.map(row)); n += items.length; say(); };
  add(first.items);
  let next = first.next_cursor;
  const more: HTMLButtonElement = h('button', { type: 'button', 'data-test': 'more', hidden: next === null, onclick: async () => {
    more.disabled = true;
    const page = await api('GET', `/v1/admin/contacts?limit=${PAGE}&cursor=${encodeURIComponent(next)}`);
    add(page.items);
    next = page.next_cursor;
    more.hidden = next === null;
    more.disabled = false;
  } }, t('more'));
  return h('div', {}, shown,
    h('div', { class: 'scroll' }, h('table', { class: 'cards', 'data-test': 'contacts' },
      h('thead', {}, h('tr', {}, ...heads.map((k) => h('th', {}, t(k))))), body)),
    more);
}

const reasonText = (r: string) => (['unsubscribed', 'bounced', 'complained'].includes(r) ? t(`reason_${r}` as Key) : r);

function suppressionList(items: any[]) {
  return h('section', { class: 'card', 'data-test': 'suppressions' },
    h('h2', {}, t('suppressions')),
    h('p', { class: 'fine' }, t('suppressions_about')),
    items.length ? h('table', { class: 'cards' },
      h('thead', {}, h('tr', {}, ...(['email', 'reason', 'since'] as Key[]).map((k) => h('th', {}, t(k))))),
      h('tbody', {}, ...items.map((s) => h('tr', {},
        h('td', { 'data-label': t('email') }, h('span', {}, h('bdi', {}, s.email))),
        h('td', { 'data-label': t('reason') }, reasonText(s.reason)),
        h('td', { 'data-label': t('since') }, when(s.created_at))))))
      : h('p', { class: 'muted', 'data-test': 'no-suppressions' }, t('no_suppressions')));
}
