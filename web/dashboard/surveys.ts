// Surveys: the list with each one's snippet, and (editors) the form that creates or edits one,
// with the live preview beside it (preview.ts).
import { t } from './i18n';
import { h } from './dom';
import { api, ApiError, can, empty, go, state } from './app';
import { surveyPreview } from './preview';

function snippet(id: string) {
  return `<script async src="${location.origin}/nps.js" data-survey="${id}"></script>`;
}

export async function surveysView(p: URLSearchParams) {
  const root = h('section', { class: 'surveys' });
  const editing = p.get('edit');
  if (!state.surveys.length) root.append(empty('no_surveys'));
  root.append(h('ul', { class: 'items', 'data-test': 'survey-list' }, ...state.surveys.map((s) => h('li', { class: 'card item' },
    h('b', {}, s.name ?? s.id), ` (${s.id}) · ${t('version', { v: s.version })}${s.archived ? ' · ' + t('archived') : ''} `,
    can('editor') && h('button', { class: 'link', onclick: () => go({ edit: s.id }) }, t('edit_survey')),
    h('pre', { class: 'snippet', dir: 'ltr' }, snippet(s.id))))));
  if (!can('editor')) return root;
  let definition: any = { id: '', name: '' };
  if (editing) definition = (await api('GET', `/v1/admin/surveys/${encodeURIComponent(editing)}`)).definition;
  const { id: _id, name: _name, ...rest } = definition;
  const errs = new Map<string, HTMLElement>();
  const errFor = (path: string) => { const e = h('p', { id: `err-${path}`, class: 'field-error', 'data-path': path, role: 'alert' }); errs.set(path, e); return e; };
  // The preview follows the form as the editor types (debounced).
  const preview = surveyPreview();
  let typing = 0;
  const changed = () => { clearTimeout(typing); typing = window.setTimeout(() => preview.show(previewed()), 300); };
  // Each field names its label (for=) and its error line (aria-describedby): a screen reader
  // reads the core's message with the field.
  const idIn = h('input', { id: 'survey-id', name: 'id', dir: 'ltr', value: definition.id, disabled: !!editing, 'aria-describedby': 'err-id', oninput: changed });
  const nameIn = h('input', { id: 'survey-name', name: 'name', dir: 'auto', value: definition.name ?? '', 'aria-describedby': 'err-name', oninput: changed });
  const defIn = h('textarea', { id: 'survey-definition', name: 'definition', dir: 'ltr', rows: 14, spellcheck: 'false', 'aria-describedby': 'err-definition', oninput: changed }, JSON.stringify(rest, null, 2));
  // What Save sends: the definition with the id and the name; an empty name is left out
  // (the core refuses an empty text, not a missing one). Throws on invalid JSON.
  const bodyOf = () => ({ ...JSON.parse(defIn.value || '{}'), id: idIn.value, ...(nameIn.value ? { name: nameIn.value } : {}) });
  // What the preview draws: the same body. An id not typed yet is not an error worth
  // showing there (the widget does not show the id); Save still asks for one.
  const previewed = (): unknown => {
    try { const b = bodyOf(); return b.id ? b : { ...b, id: 'preview' }; }
    catch (x) { return x as Error; }
  };
  const general = h('ul', { class: 'field-error', 'data-test': 'errors' });
  const done = h('div', { 'data-test': 'saved' });
  const form = h('form', { class: 'card survey-form', 'data-test': 'survey-form', onsubmit: async (e: Event) => {
    e.preventDefault();
    for (const el of errs.values()) el.textContent = '';
    general.replaceChildren(); done.replaceChildren();
    let body: any;
    try { body = bodyOf(); } catch (x) { errs.get('definition')!.textContent = (x as Error).message; return; }
    try {
      const saved = editing ? await api('PUT', `/v1/admin/surveys/${encodeURIComponent(editing)}`, body) : await api('POST', '/v1/admin/surveys', body);
      state.surveys = (await api('GET', '/v1/admin/surveys')).items;
      done.append(h('p', { class: 'ok' }, t('saved')), h('p', {}, t('snippet')), h('pre', { class: 'snippet', 'data-test': 'snippet', dir: 'ltr' }, snippet(saved.id)),
        h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(snippet(saved.id)) }, t('copy')));
    } catch (x) {
      if (!(x instanceof ApiError) || !x.body?.errors) { general.append(h('li', {}, (x as Error).message)); return; }
      general.append(h('li', {}, t('fix_errors')));
      for (const er of x.body.errors) {
        const top = String(er.path).split(/[.[]/)[0];
        const target = errs.get(top === 'id' || top === 'name' ? top : 'definition')!;
        target.append(h('span', {}, `${er.path}: ${er.message}`), ' ');
      }
    }
  } },
  h('h2', {}, editing ? t('labelled', { label: t('edit_survey'), value: editing }) : t('create_survey')),
  h('label', { for: 'survey-id' }, t('id')), idIn, errFor('id'),
  h('label', { for: 'survey-name' }, t('name')), nameIn, errFor('name'),
  h('label', { for: 'survey-definition' }, t('definition')), defIn, errFor('definition'),
  general, h('button', { type: 'submit', 'data-test': 'save' }, t('save')), done);
  root.prepend(h('div', { class: 'editor' }, form, preview.el));
  preview.show(previewed());
  return root;
}
