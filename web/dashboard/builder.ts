// The survey builder (Surveys page, editors): start from a template (templates.ts), write the
// texts of each language beside the live preview (preview.ts, which follows the language being
// edited), add or remove a language, the optional qualifying question asked before the score
// (builder_qualify.ts), the follow-ups and extra questions with their conditions,
// targeting and sampling, as labelled fields (builder_sections.ts); or edit the same
// definition as JSON. Save sends it to npsd, whose core is the only validator: each of its
// messages is shown beside the field its path names (builder_fields.ts), the rest in a list.
import { h } from './dom';
import { t, languageName } from './i18n';
import { api, ApiError, state } from './app';
import { surveyPreview } from './preview';
import { configure, core, invoke } from '../src/loader';
import { Fields, field, input, select, dropLanguage, textLanguages, type CoreError } from './builder_fields';
import { textsSection, targetingSection, samplingSection, type Ctx } from './builder_sections';
import { qualifySection } from './builder_qualify';
import { templates, fromTemplate } from './templates';

// The README's snippet: the stub that queues calls made before nps.js arrives, and the tag.
export function snippet(id: string) {
  return `<script>window.nps=window.nps||function(){(nps.q=nps.q||[]).push(arguments)};</script>\n` +
    `<script async src="${location.origin}/nps.js" data-survey="${id}"></script>`;
}

// The language tags the core has built-in texts for (i18n.locales), offered when adding one.
let builtin: Promise<string[]> | undefined;
function builtinLocales() {
  configure({ base: `${location.origin}/` });
  return (builtin ||= core('nps-survey').then((c) => invoke<string[]>(c, 'i18n.locales', null)).catch(() => { builtin = undefined; return []; }));
}

export function surveyBuilder(opts: { editing: string | null; definition: any; saved: () => void }) {
  let editing = opts.editing;
  const { id: startId, name: startName, ...rest } = opts.definition ?? {};
  let def: any = rest;
  let mode: 'form' | 'json' = 'form';
  let errors: CoreError[] = [];
  const extra: string[] = []; // languages added to a survey without a list, before any text
  const fields = new Fields();
  const preview = surveyPreview();
  const dl = () => (typeof def.default_locale === 'string' && def.default_locale ? def.default_locale : 'en');
  // The languages the editor writes in: the survey's list, else its default and those its
  // texts use.
  const langs = (): string[] => Array.isArray(def.locales) && def.locales.length
    ? def.locales.filter((x: unknown) => typeof x === 'string' && x)
    : [...new Set([dl(), ...textLanguages(def), ...extra])];
  let lang = dl();

  // ---- id, name and what Save sends ----------------------------------------------------------
  let typing = 0;
  const changed = () => { clearTimeout(typing); typing = window.setTimeout(() => preview.show(previewed()), 300); };
  const idIn = input(startId ?? '', changed, { name: 'id', dir: 'ltr', autocomplete: 'off', disabled: !!editing });
  const nameIn = input(startName ?? '', changed, { name: 'name', autocomplete: 'off' });
  const jsonIn = h('textarea', { name: 'definition', dir: 'ltr', rows: 18, spellcheck: 'false', oninput: changed });
  const jsonField = field(fields, t('definition'), ['definition'], jsonIn, { keep: true, test: 'b-json' });
  // The definition with the id and the name; an empty name is left out (the core refuses an
  // empty text, not a missing one). In the JSON view, what the box holds (throws if invalid).
  const bodyOf = () => ({ ...(mode === 'json' ? JSON.parse(jsonIn.value || '{}') : def), id: idIn.value, ...(nameIn.value ? { name: nameIn.value } : {}) });
  const previewed = (): unknown => {
    try { const b = bodyOf(); return b.id ? b : { ...b, id: 'preview' }; }
    catch (x) { return x as Error; }
  };

  // ---- the form, drawn again after each change of shape --------------------------------------
  const heading = h('h2', {});
  const sections = h('div', { class: 'b-sections', 'data-test': 'builder' });
  const general = h('ul', { class: 'field-error', 'data-test': 'errors' });
  const done = h('div', { 'data-test': 'saved' });
  const titleOf = () => { heading.textContent = editing ? t('labelled', { label: t('edit_survey'), value: editing }) : t('create_survey'); };

  function languagesSection() {
    const list = langs();
    const tagIn = input('', () => undefined, { dir: 'ltr', autocomplete: 'off', list: 'b-locale-tags', 'data-test': 'b-add-language-tag' });
    const tags = h('datalist', { id: 'b-locale-tags' });
    void builtinLocales().then((all) => tags.replaceChildren(...all.filter((x) => !list.includes(x)).map((x) => h('option', { value: x }, languageName(x)))));
    const add = () => {
      const tag = tagIn.value.trim();
      if (!tag || list.includes(tag)) return;
      if (Array.isArray(def.locales) && def.locales.length) def.locales = [...def.locales, tag]; else extra.push(tag);
      lang = tag;
      changed(); draw();
    };
    return h('fieldset', { class: 'b-section', 'data-test': 'b-languages' }, h('legend', {}, t('b_languages')),
      Array.isArray(def.locales) && def.locales.length ? null : h('p', { class: 'fine' }, t('b_all_languages')),
      h('ul', { class: 'b-chips' }, ...list.map((code) => h('li', {},
        h('span', { lang: code }, languageName(code)),
        code === dl() ? h('span', { class: 'fine' }, ` · ${t('b_default')}`) : h('button', { type: 'button', class: 'b-small', 'data-test': `b-remove-language-${code}`,
          'aria-label': t('b_remove_language', { lang: languageName(code) }), onclick: () => {
            if (Array.isArray(def.locales)) def.locales = def.locales.filter((x: string) => x !== code);
            extra.splice(0, extra.length, ...extra.filter((x) => x !== code));
            dropLanguage(def, code);
            if (lang === code) lang = dl();
            changed(); draw();
          } }, '×')))),
      h('div', { class: 'b-row' },
        field(fields, t('b_default_locale'), ['default_locale'], select(list.map((c) => [c, languageName(c)]), dl(), (v) => {
          def.default_locale = v; changed(); draw();
        }), { test: 'b-default-locale' }),
        field(fields, t('b_add_language'), ['locales'], tagIn, { hint: t('b_language_tag') }), tags,
        h('button', { type: 'button', class: 'b-small b-add', 'data-test': 'b-add-language', onclick: add }, t('b_add'))));
  }

  function languageTabs() {
    return h('div', { class: 'b-tabs', role: 'group', 'aria-label': t('b_texts_in') },
      h('span', { class: 'b-sub' }, t('b_texts_in')),
      ...langs().map((code) => h('button', { type: 'button', class: `tab${code === lang ? ' on' : ''}`, lang: code,
        'aria-pressed': code === lang ? 'true' : 'false', 'data-test': `b-lang-${code}`,
        onclick: () => { lang = code; preview.language(code); draw(); } }, languageName(code))));
  }

  function draw() {
    fields.reset();
    if (!langs().includes(lang)) lang = dl();
    const c: Ctx = { fields, def, lang, dl: dl(), changed, redraw: draw };
    const kind = field(fields, t('b_kind'), ['kind'], select([['relational', t('kind_relational')], ['transactional', t('kind_transactional')]],
      String(def.kind ?? 'relational'), (v) => { def.kind = v; changed(); }));
    sections.replaceChildren(kind, languagesSection(), languageTabs(), qualifySection(c), textsSection(c), targetingSection(c), samplingSection(c));
    placeErrors();
    preview.language(lang);
  }

  // The core's messages beside their fields; the rest (a language not on screen, a field the
  // form has not) in the list under the form, with a way to the language they are about.
  function placeErrors() {
    general.replaceChildren();
    const shown = mode === 'json' ? errors.filter((e) => /^(id|name)(\.|$)/.test(e.path)) : errors;
    const restOf = fields.place(shown);
    const rest = mode === 'json' ? errors.filter((e) => !shown.includes(e)) : restOf;
    if (mode === 'json' && rest.length) fields.place([...shown, ...rest.map((e) => ({ path: 'definition', message: `${e.path}: ${e.message}` }))]);
    if (!errors.length) return;
    general.append(h('li', {}, t('fix_errors')));
    if (mode === 'json') return;
    for (const e of rest) {
      const other = e.path.split(/[.[\]]/).find((s) => s !== lang && langs().includes(s));
      general.append(h('li', { 'data-path': e.path }, e.path ? `${e.path}: ${e.message}` : e.message,
        other ? h('button', { type: 'button', class: 'link', onclick: () => { lang = other; draw(); } }, t('b_show_language', { lang: languageName(other) })) : null));
    }
  }

  // ---- form and JSON ------------------------------------------------------------------------
  const formBtn = h('button', { type: 'button', class: 'tab on', 'aria-pressed': 'true', 'data-test': 'mode-form', onclick: () => setMode('form') }, t('b_form'));
  const jsonBtn = h('button', { type: 'button', class: 'tab', 'aria-pressed': 'false', 'data-test': 'mode-json', onclick: () => setMode('json') }, t('b_json'));
  function setMode(m: 'form' | 'json') {
    if (m === mode) return;
    if (m === 'form') {
      // Back to the form only with a definition it can show; otherwise the text stays as typed.
      let parsed: unknown;
      try { parsed = JSON.parse(jsonIn.value || '{}'); }
      catch (x) { fields.place([{ path: 'definition', message: t('b_json_invalid', { message: (x as Error).message }) }]); jsonIn.focus(); return; }
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
        fields.place([{ path: 'definition', message: t('b_json_object') }]); jsonIn.focus(); return;
      }
      const { id: _i, name: _n, ...d } = parsed as any;
      def = d;
    } else {
      jsonIn.value = JSON.stringify(def, null, 2);
    }
    mode = m;
    for (const [b, on] of [[formBtn, m === 'form'], [jsonBtn, m === 'json']] as const) { b.classList.toggle('on', on); b.setAttribute('aria-pressed', String(on)); }
    sections.hidden = m === 'json';
    jsonField.hidden = m === 'form';
    fields.place([]);
    if (m === 'form') draw(); else placeErrors();
    changed();
  }

  // ---- templates ----------------------------------------------------------------------------
  const picker = h('div', { class: 'b-templates', role: 'group', 'aria-labelledby': 'b-templates-title', 'data-test': 'templates' },
    h('p', { class: 'b-sub', id: 'b-templates-title' }, t('b_templates')),
    h('div', { class: 'b-template-list' }, ...templates.map((tp) => h('button', { type: 'button', class: 'b-template', 'data-test': `template-${tp.key}`,
      onclick: () => {
        editing = null; idIn.disabled = false; titleOf();
        idIn.value = tp.id; nameIn.value = t(tp.title);
        def = fromTemplate(tp);
        extra.length = 0; errors = [];
        done.replaceChildren();
        lang = dl();
        if (mode === 'json') jsonIn.value = JSON.stringify(def, null, 2);
        draw(); changed();
      } }, h('strong', {}, t(tp.title)), h('span', {}, t(tp.about))))));

  // ---- save ----------------------------------------------------------------------------------
  const copyStatus = h('span', { class: 'copy-status', role: 'status', 'aria-live': 'polite', 'data-test': 'copy-status' });
  async function copy(text: string, pre: HTMLElement) {
    copyStatus.textContent = '';
    try { await navigator.clipboard.writeText(text); copyStatus.textContent = t('copied'); }
    catch {
      // No clipboard (an insecure page, a refused permission): the text selected instead.
      const range = document.createRange(); range.selectNodeContents(pre);
      getSelection()?.removeAllRanges(); getSelection()?.addRange(range);
      copyStatus.textContent = t('copy_failed');
    }
  }
  const form = h('form', { class: 'card survey-form', 'data-test': 'survey-form', novalidate: true, onsubmit: async (e: Event) => {
    e.preventDefault();
    errors = [];
    done.replaceChildren();
    let body: any;
    try { body = bodyOf(); } catch (x) { errors = [{ path: 'definition', message: t('b_json_invalid', { message: (x as Error).message }) }]; fields.place(errors); return; }
    try {
      const saved = editing ? await api('PUT', `/v1/admin/surveys/${encodeURIComponent(editing)}`, body) : await api('POST', '/v1/admin/surveys', body);
      // Saved: later saves replace it (PUT).
      editing = saved.id; idIn.disabled = true; titleOf();
      state.surveys = (await api('GET', '/v1/admin/surveys')).items;
      opts.saved();
      const pre = h('pre', { class: 'snippet', 'data-test': 'snippet', dir: 'ltr' }, snippet(saved.id));
      done.append(h('p', { class: 'ok', role: 'status' }, t('saved')), h('p', {}, t('snippet')), pre,
        h('div', { class: 'b-row' }, h('button', { type: 'button', 'data-test': 'copy', onclick: () => copy(snippet(saved.id), pre) }, t('copy')), copyStatus));
    } catch (x) {
      if (!(x instanceof ApiError) || !x.body?.errors) { errors = [{ path: '', message: (x as Error).message }]; }
      else errors = x.body.errors.map((er: any) => ({ path: String(er.path ?? ''), message: String(er.message) }));
    }
    placeErrors();
    const first = [...form.querySelectorAll<HTMLElement>('.field-error')].find((el) => el.textContent && !el.closest('[hidden]'));
    first?.scrollIntoView({ block: 'center' });
  } },
  heading,
  editing ? null : picker,
  h('div', { class: 'b-row b-top' },
    field(fields, t('id'), ['id'], idIn, { keep: true, test: 'b-id' }),
    field(fields, t('name'), ['name'], nameIn, { keep: true, test: 'b-name' })),
  h('div', { class: 'b-mode', role: 'group', 'aria-label': t('b_mode') }, formBtn, jsonBtn),
  sections, jsonField, general,
  h('button', { type: 'submit', 'data-test': 'save' }, t('save')), done);
  jsonField.hidden = true;
  titleOf();
  draw();
  preview.show(previewed());
  return h('div', { class: 'editor' }, form, preview.el);
}
