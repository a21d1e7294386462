// The survey builder's form fields (builder.ts): each field has its label (for=), its error
// line (aria-describedby) and the paths the core names it by ("sampling.percent",
// "followup.detractor.questions[0].text.es"), so that a refusal's message lands beside the
// field it is about. The core is the only validator: nothing here checks a value.
import { h, type Child } from './dom';
import { t, languageName, type TextKey } from './i18n';

export type CoreError = { path: string; message: string };

// The fields on screen, by path; each render of the builder starts a new set.
export class Fields {
  private lines = new Map<string, HTMLElement>();
  private serial = 0; // for the ids of fields and of their error lines
  private kept = new Map<string, HTMLElement>(); // fields drawn once (id, name)
  reset() { this.lines = new Map(this.kept); }
  // An id for a field and its error line, registered under each of `paths` (`keep`: for
  // a field that outlives the builder's redrawing).
  line(paths: string[], keep = false): { id: string; err: HTMLElement } {
    this.serial += 1;
    const id = `bf-${this.serial}`;
    const err = h('p', { id: `${id}-err`, class: 'field-error', 'data-path': paths[0] ?? '' });
    for (const p of paths) {
      if (!this.lines.has(p)) this.lines.set(p, err);
      if (keep) this.kept.set(p, err);
    }
    return { id, err };
  }
  // Each error beside its field: the one registered under its path, or under the nearest
  // path above it ("targeting.urls[2]" for "targeting.urls[2].pattern"); the rest returned.
  place(errors: CoreError[]): CoreError[] {
    for (const el of new Set(this.lines.values())) el.replaceChildren();
    const rest: CoreError[] = [];
    for (const e of errors) {
      let p = e.path;
      let at = this.lines.get(p);
      while (!at && /[.[]/.test(p)) {
        p = p.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
        at = this.lines.get(p);
      }
      // Beside a field for a path above the error's, the message says where it is.
      if (at) at.append(h('span', {}, p === e.path ? e.message : `${e.path}: ${e.message}`), ' ');
      else rest.push(e);
    }
    return rest;
  }
}

// A labelled field: the label, the control, an optional hint and the error line.
export function field(f: Fields, label: string, paths: string[], control: HTMLElement, opts: { hint?: Child; wide?: boolean; test?: string; keep?: boolean } = {}) {
  const { id, err } = f.line(paths, opts.keep);
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-err${opts.hint ? ` ${id}-hint` : ''}`);
  if (opts.test) control.dataset.test = opts.test;
  return h('div', { class: `b-field${opts.wide ? ' wide' : ''}` },
    h('label', { for: id }, label), control,
    opts.hint ? h('p', { id: `${id}-hint`, class: 'fine b-hint' }, opts.hint) : null, err);
}
// A check box with its label after it.
export function checkbox(f: Fields, label: string, paths: string[], checked: boolean, onchange: (on: boolean) => void, test?: string) {
  const { id, err } = f.line(paths);
  const box = h('input', { type: 'checkbox', id, 'aria-describedby': `${id}-err`, 'data-test': test,
    onchange: () => onchange(box.checked) });
  box.checked = checked;
  return h('div', { class: 'b-check' }, box, h('label', { for: id }, label), err);
}
export const input = (value: unknown, oninput: (v: string) => void, attrs: Record<string, unknown> = {}) =>
  h('input', { dir: 'auto', value: value === undefined || value === null ? '' : String(value), ...attrs,
    oninput: (e: Event) => oninput((e.target as HTMLInputElement).value) });
export const textarea = (value: string, oninput: (v: string) => void) =>
  h('textarea', { dir: 'auto', rows: 2, oninput: (e: Event) => oninput((e.target as HTMLTextAreaElement).value) }, value);
// A select of values with their labels; `value` chosen.
export function select(options: [string, string][], value: string, onchange: (v: string) => void) {
  const s = h('select', { onchange: () => onchange(s.value) }, ...options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)));
  return s;
}
export const opts = (values: readonly string[], key: (v: string) => TextKey): [string, string][] => values.map((v) => [v, t(key(v))]);

// ---- localised texts ------------------------------------------------------------------------
// A text of the definition is a string (the default language's) or an object of language → text.

export function textIn(owner: any, key: string, lang: string, defaultLocale: string): string {
  const v = owner?.[key];
  if (typeof v === 'string') return lang === defaultLocale ? v : '';
  return v && typeof v === 'object' && typeof v[lang] === 'string' ? v[lang] : '';
}
// Sets one language's text; an empty one is left out (the core then uses its built-in text,
// or names the text as required), and an empty object with it.
export function setTextIn(owner: any, key: string, lang: string, defaultLocale: string, value: string) {
  let v = owner[key];
  if (typeof v === 'string') v = { [defaultLocale]: v };
  v = v && typeof v === 'object' && !Array.isArray(v) ? { ...v } : {};
  if (value) v[lang] = value; else delete v[lang];
  if (Object.keys(v).length) owner[key] = v; else delete owner[key];
}
// Every text of the definition in `lang` removed (a language taken off the survey).
export function dropLanguage(node: any, lang: string) {
  if (Array.isArray(node)) { for (const x of node) dropLanguage(x, lang); return; }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as any)[lang] === 'string' &&
        Object.values(v).every((x) => typeof x === 'string')) {
      delete (v as any)[lang];
      if (!Object.keys(v).length) delete node[k];
    } else dropLanguage(v, lang);
  }
}
// The languages the definition's texts are written in (a survey without a list of locales).
export function textLanguages(node: any, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) { for (const x of node) textLanguages(x, out); return out; }
  if (!node || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node)) {
    if (['targeting', 'sampling', 'theme', 'privacy', 'condition'].includes(k)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length && Object.values(v).every((x) => typeof x === 'string') &&
        Object.keys(v).every((x) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$/.test(x))) Object.keys(v).forEach((x) => out.add(x));
    else textLanguages(v, out);
  }
  return out;
}
// "In English: …" under a text being translated: what the default language says.
export function reference(owner: any, key: string, defaultLocale: string): Child {
  const s = textIn(owner, key, defaultLocale, defaultLocale);
  return s ? h('span', {}, t('b_reference', { lang: languageName(defaultLocale) }), ' ', h('bdi', { lang: defaultLocale }, s)) : null;
}
