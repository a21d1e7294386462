// Administration: API tokens and users. Every field has its label; the roles are explained
// where one is chosen; a user's role can be changed and their password reset; deleting asks
// first, in the page (no browser dialog).
import { t, type TextKey as Key } from './i18n';
import { h } from './dom';
import { api, empty, errorText, render, roles, state, when, type Role } from './app';

const roleSelect = (id: string, selected?: Role, onchange?: (r: Role) => void) => h('select', { id, name: 'role',
  onchange: onchange && ((e: Event) => onchange((e.target as HTMLSelectElement).value as Role)) },
...roles.map((r) => h('option', { value: r, selected: r === selected }, t(`role_${r}`))));

// What each role may do, in plain words.
export function rolesExplained() {
  return h('details', { class: 'roles', 'data-test': 'roles-explained' }, h('summary', {}, t('roles_what')),
    h('dl', {}, ...roles.flatMap((r) => [h('dt', {}, t(`role_${r}`)), h('dd', {}, t(`role_${r}_can` as Key))])));
}

// "Delete" that asks first: the button turns into a question with Delete and Cancel.
export function confirmDelete(what: string, run: () => Promise<void>) {
  const box = h('span', { class: 'confirm' });
  const ask = () => box.replaceChildren(
    h('span', { role: 'alert' }, t('delete_confirm', { what })), ' ',
    h('button', { class: 'danger', 'data-test': 'confirm-delete', onclick: () => void run() }, t('delete')), ' ',
    h('button', { class: 'secondary', onclick: idle }, t('cancel')));
  const idle = () => box.replaceChildren(h('button', { class: 'link', 'data-test': 'delete', onclick: ask }, t('delete')));
  idle();
  return box;
}

export async function tokensView() {
  const list = (await api('GET', '/v1/admin/tokens')).items;
  const name = h('input', { id: 'token-name', name: 'name', required: true, maxlength: 100 });
  const role = roleSelect('token-role');
  const err = h('p', { class: 'error', role: 'alert' });
  return h('section', {},
    h('form', { class: 'card form-grid', 'data-test': 'token-form', onsubmit: async (e: Event) => {
      e.preventDefault();
      try {
        const r = await api('POST', '/v1/admin/tokens', { name: name.value, role: role.value });
        await render();
        document.querySelector('[data-test=new-token]')?.replaceChildren(t('created_token'), h('pre', { class: 'snippet', dir: 'ltr' }, r.token));
      } catch (x) { err.textContent = errorText(x); }
    } },
    h('h2', {}, t('create_token')),
    h('label', { for: 'token-name' }, t('name')), name,
    h('label', { for: 'token-role' }, t('role')), role, rolesExplained(),
    h('button', { type: 'submit' }, t('create')), err),
    h('div', { 'data-test': 'new-token' }),
    list.length ? h('table', { class: 'cards', 'data-test': 'tokens' },
      h('thead', {}, h('tr', {}, ...(['id', 'name', 'role', 'created', 'actions'] as Key[]).map((k) => h('th', {}, t(k))))),
      h('tbody', {}, ...list.map((tk: any) => h('tr', {},
        h('td', { 'data-label': t('id') }, tk.id), h('td', { 'data-label': t('name') }, h('bdi', {}, tk.name)),
        h('td', { 'data-label': t('role') }, t(`role_${tk.role as Role}`)), h('td', { 'data-label': t('created') }, when(tk.created_at)),
        h('td', { 'data-label': t('actions') }, confirmDelete(tk.name, async () => { await api('DELETE', `/v1/admin/tokens/${tk.id}`); await render(); }))))))
      : empty('no_tokens'));
}

export async function usersView() {
  const list = (await api('GET', '/v1/admin/users')).items;
  const email = h('input', { id: 'user-email', name: 'email', type: 'email', required: true, autocomplete: 'off' });
  const password = h('input', { id: 'user-password', name: 'password', type: 'password', autocomplete: 'new-password',
    minlength: 10, maxlength: 200, required: true, 'aria-describedby': 'password-rule' });
  const role = roleSelect('user-role', 'analyst');
  const err = h('p', { class: 'error', role: 'alert', 'data-test': 'user-error' });
  const done = h('p', { class: 'ok', role: 'status', 'data-test': 'user-done' });
  const row = (u: any) => {
    const mine = u.email === state.me?.email;
    const resetBox = h('span', {});
    const reset = () => {
      const pw = h('input', { id: `reset-${u.id}`, type: 'password', autocomplete: 'new-password', minlength: 10, maxlength: 200,
        'aria-describedby': 'password-rule', 'data-test': 'new-password' });
      resetBox.replaceChildren(h('form', { class: 'inline', onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          await api('PATCH', `/v1/admin/users/${u.id}`, { password: pw.value });
          resetBox.replaceChildren(h('span', { class: 'ok', role: 'status', 'data-test': 'reset-done' }, t('password_reset_done', { email: u.email })));
        } catch (x) { err.textContent = errorText(x); }
      } }, h('label', { for: `reset-${u.id}` }, t('new_password')), pw, h('button', { type: 'submit', 'data-test': 'save-password' }, t('save'))));
      pw.focus();
    };
    resetBox.append(h('button', { class: 'link', 'data-test': 'reset-password', onclick: reset }, t('reset_password')));
    return h('tr', { 'data-user': u.email },
      h('td', { 'data-label': t('email') }, h('bdi', {}, u.email)),
      h('td', { 'data-label': t('role') }, h('label', { class: 'sr-only', for: `role-${u.id}` }, t('role_of', { email: u.email })),
        roleSelect(`role-${u.id}`, u.role, async (r) => {
          err.textContent = ''; done.textContent = '';
          try { await api('PATCH', `/v1/admin/users/${u.id}`, { role: r }); done.textContent = t('role_changed', { email: u.email, role: t(`role_${r}`) }); }
          catch (x) { err.textContent = errorText(x); }
        })),
      h('td', { 'data-label': t('created') }, when(u.created_at)),
      h('td', { 'data-label': t('actions') }, resetBox, ' ',
        mine ? h('span', { class: 'muted' }, t('you')) : confirmDelete(u.email, async () => { await api('DELETE', `/v1/admin/users/${u.id}`); await render(); })));
  };
  return h('section', {},
    h('form', { class: 'card form-grid', 'data-test': 'user-form', onsubmit: async (e: Event) => {
      e.preventDefault();
      try { await api('POST', '/v1/admin/users', { email: email.value, password: password.value, role: role.value }); await render(); }
      catch (x) { err.textContent = errorText(x); }
    } },
    h('h2', {}, t('create_user')),
    h('label', { for: 'user-email' }, t('email')), email,
    h('label', { for: 'user-password' }, t('password')), password,
    h('p', { class: 'fine', id: 'password-rule' }, t('password_rule')),
    h('label', { for: 'user-role' }, t('role')), role, rolesExplained(),
    h('button', { type: 'submit', 'data-test': 'create-user' }, t('create'))),
    err, done,
    list.length ? h('table', { class: 'cards', 'data-test': 'users' },
      h('thead', {}, h('tr', {}, ...(['email', 'role', 'created', 'actions'] as Key[]).map((k) => h('th', {}, t(k))))),
      h('tbody', {}, ...list.map(row)))
      : empty('no_users'));
}
