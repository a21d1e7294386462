// Surveys: the list with each one's snippet, and (editors) the builder that creates or edits
// one, with the live preview beside it (builder.ts, preview.ts).
import { t } from './i18n';
import { h } from './dom';
import { api, can, empty, go, state } from './app';
import { surveyBuilder, snippet } from './builder';
import { translations } from './translations'; // issue 19: the translation hand-off
import { share } from './share'; // issue 19: the draft-sharing link

function list() {
  if (!state.surveys.length) return empty('no_surveys');
  return h('ul', { class: 'items', 'data-test': 'survey-list' }, ...state.surveys.map((s) => h('li', { class: 'card item', 'data-survey': s.id },
    h('b', {}, s.name ?? s.id), ` (${s.id}) · ${t('version', { v: s.version })}${s.archived ? ' · ' + t('archived') : ''} `,
    can('editor') && h('button', { class: 'link', onclick: () => go({ edit: s.id }) }, t('edit_survey')),
    h('pre', { class: 'snippet', dir: 'ltr' }, snippet(s.id)), can('editor') && translations(s.id), can('editor') && share(s.id))));
}

export async function surveysView(p: URLSearchParams) {
  const root = h('section', { class: 'surveys' });
  let shown = list();
  root.append(shown);
  if (!can('editor')) return root;
  const editing = p.get('edit');
  const definition = editing ? (await api('GET', `/v1/admin/surveys/${encodeURIComponent(editing)}`)).definition : { id: '', name: '' };
  // After a save the list shows the surveys as npsd has them now (the builder reloaded them).
  root.prepend(surveyBuilder({ editing, definition, saved: () => { const now = list(); shown.replaceWith(now); shown = now; } }));
  return root;
}
