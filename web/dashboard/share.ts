// Share for review (issue 19, item 13b), per survey on the Surveys page, for editors: makes a
// read-only link (POST /v1/admin/surveys/{id}/share, {days}) that a colleague opens without an
// account to check the survey in every language; shows it with Copy and its expiry.
import { dateTime, t } from './i18n';
import { h } from './dom';
import { api, errorText } from './app';

export function share(id: string): HTMLElement {
  const days = h('input', { type: 'number', min: '1', max: '90', value: '14', dir: 'ltr', 'data-test': 'share-days' }) as HTMLInputElement;
  const out = h('div', { class: 'share-out' });
  const status = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite', 'data-test': 'share-status' });
  async function make() {
    out.replaceChildren();
    status.textContent = '';
    try {
      const r = await api('POST', `/v1/admin/surveys/${encodeURIComponent(id)}/share`, { days: Number(days.value) });
      const field = h('input', { type: 'text', readonly: '', value: r.url, dir: 'ltr', size: 60, 'aria-label': t('share_url'), 'data-test': 'share-url' }) as HTMLInputElement;
      const copy = async () => {
        try { await navigator.clipboard.writeText(r.url); status.textContent = t('copied'); }
        catch { field.select(); status.textContent = t('copy_failed'); }
      };
      out.append(h('p', {}, field, ' ', h('button', { type: 'button', 'data-test': 'share-copy', onclick: () => void copy() }, t('copy')), ' ', status),
        h('p', { class: 'hint' }, t('share_until', { date: dateTime(r.expires_at) })));
    } catch (e) {
      out.append(h('p', { class: 'error', role: 'alert' }, errorText(e)));
    }
  }
  return h('details', { class: 'share-review', 'data-test': 'share' },
    h('summary', {}, t('share_review')),
    h('p', { class: 'hint' }, t('share_hint')),
    h('label', {}, t('share_days'), ' ', days), ' ',
    h('button', { type: 'button', 'data-test': 'share-make', onclick: () => void make() }, t('share_make')),
    out);
}
