// Saved views: a name for the overview's filters as they are (survey, period, segment,
// interval, attribute), kept in this browser's localStorage only — not on the server, not
// shared with colleagues (a view's link can be shared: it is the page's URL).
import { t } from './i18n';
import { h } from './dom';
import { go, params } from './app';

const KEY = 'opennps.dashboard.views';
const KEPT = ['survey', 'period', 'from', 'to', 'channel', 'locale', 'device', 'interval', 'attr'];
type View = { name: string; query: Record<string, string> };

function load(): View[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x) => typeof x?.name === 'string' && x.query && typeof x.query === 'object') : [];
  } catch { return []; }
}
const store = (views: View[]) => localStorage.setItem(KEY, JSON.stringify(views));

export function savedViews() {
  const box = h('div', { class: 'views', 'data-test': 'saved-views' });
  const draw = () => {
    const views = load();
    const name = h('input', { id: 'view-name', name: 'view-name', maxlength: 60, 'data-test': 'view-name' });
    box.replaceChildren(
      h('span', { class: 'label' }, t('saved_views')),
      ...views.map((v, i) => h('span', { class: 'view' },
        h('button', { type: 'button', class: 'link', 'data-test': 'open-view', onclick: () => {
          const all: Record<string, string | null> = Object.fromEntries(KEPT.map((k) => [k, null]));
          void go({ ...all, ...v.query });
        } }, v.name),
        h('button', { type: 'button', class: 'link', 'aria-label': t('delete_view', { name: v.name }), onclick: () => {
          store(load().filter((_, j) => j !== i)); draw();
        } }, '×'))),
      h('form', { class: 'save-view', onsubmit: (e: Event) => {
        e.preventDefault();
        const n = name.value.trim();
        if (!n) { name.focus(); return; }
        const p = params();
        const query = Object.fromEntries(KEPT.filter((k) => p.get(k)).map((k) => [k, p.get(k)!]));
        store([...load().filter((v) => v.name !== n), { name: n, query }]);
        draw();
      } }, h('label', { for: 'view-name' }, t('view_name')), name, h('button', { type: 'submit', 'data-test': 'save-view' }, t('save_view'))),
      h('span', { class: 'fine' }, t('views_local')));
  };
  draw();
  return box;
}
