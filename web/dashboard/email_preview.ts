// The e-mail preview (issue 14): the survey e-mail as a contact receives it, in any language
// it can be written in: its subject, the HTML part in a sandboxed frame (no script, no
// same-origin access, its links lead nowhere from here) at phone or desktop width, and the
// plain-text part. The language and the width are in the URL (?elang=, ?ewidth=).
import { t, lang, languageName, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, empty, params, surveyPicker } from './app';

const WIDTHS = ['desktop', 'phone'] as const;

const get = (survey: string, l: string) =>
  api('GET', `/v1/admin/email-preview?survey_id=${encodeURIComponent(survey)}&lang=${encodeURIComponent(l)}`);
const refused = (x: unknown, field: string) =>
  x instanceof ApiError && x.status === 400 && (x.body?.errors ?? []).some((e: any) => (e.path ?? e.field) === field);

export async function emailPreview(p: URLSearchParams) {
  const survey = p.get('survey')!;
  const root = h('section', { class: 'email-preview' });
  const tools = h('div', { class: 'filters' }, surveyPicker(survey));
  root.append(tools);
  // The language asked for (the URL's, else the dashboard's own); one the e-mail is not
  // written in falls back to English, and the picker shows which one is drawn.
  const wanted = p.get('elang') ?? lang();
  let r: any;
  try {
    r = await get(survey, wanted).catch((x) => {
      if (refused(x, 'lang') && wanted !== 'en') return get(survey, 'en');
      throw x;
    });
  } catch (x) {
    if (x instanceof ApiError && x.status === 404) { root.append(empty('preview_missing')); return root; }
    throw x;
  }
  const languages: string[] = r.languages?.length ? r.languages : [r.lang];
  const picker = h('select', { id: 'email-lang', name: 'elang', 'data-test': 'email-lang', onchange: () => {
    const q = params(); q.set('elang', picker.value);
    history.pushState(null, '', `?${q}`);
    void show(picker.value);
  } }, ...languages.map((l) => h('option', { value: l, selected: l === r.lang }, languageName(l))));
  let width: (typeof WIDTHS)[number] = p.get('ewidth') === 'phone' ? 'phone' : 'desktop';
  const buttons = WIDTHS.map((w) => h('button', { type: 'button', class: 'tab', 'data-width': w, 'aria-pressed': String(w === width),
    onclick: () => {
      width = w;
      for (const b of buttons) { b.classList.toggle('on', b.dataset.width === w); b.setAttribute('aria-pressed', String(b.dataset.width === w)); }
      frameBox.dataset.width = w;
      const q = params(); q.set('ewidth', w);
      history.replaceState(null, '', `?${q}`);
    } }, t(`width_${w}` as Key)));
  for (const b of buttons) b.classList.toggle('on', b.dataset.width === width);
  tools.append(h('label', { for: 'email-lang' }, t('email_language') + ' ', picker),
    h('div', { class: 'widths', role: 'group', 'aria-label': t('width') }, ...buttons));
  const subject = h('dd', { 'data-test': 'email-subject' });
  const note = h('p', { class: 'fine', 'data-test': 'email-note' });
  const frameBox = h('div', { class: 'email-frame', 'data-width': width });
  const text = h('pre', { class: 'email-text', 'data-test': 'email-text' });
  const error = h('div', {});
  // Draws one language's e-mail (the first one already fetched).
  const draw = (x: any) => {
    const named = languageName(x.lang);
    subject.replaceChildren(x.subject);
    for (const el of [subject, text]) { el.setAttribute('dir', x.dir); el.setAttribute('lang', x.lang); }
    note.textContent = t('email_note', { lang: named });
    frameBox.replaceChildren(h('iframe', { sandbox: '', srcdoc: x.html, title: t('email_frame', { lang: named }), 'data-test': 'email-frame', 'data-lang': x.lang, 'data-dir': x.dir }));
    text.textContent = x.text;
    frameBox.closest('section')?.setAttribute('data-shown', x.lang);
    error.replaceChildren();
  };
  const show = async (l: string) => {
    try { draw(await get(survey, l)); } catch (x) { error.replaceChildren(h('p', { class: 'error', role: 'alert' }, (x as Error).message)); }
  };
  root.append(
    h('dl', { class: 'facts card' }, h('dt', {}, t('subject')), subject),
    note, error,
    h('h2', {}, t('html_part')), frameBox,
    h('h2', {}, t('text_part')), text);
  draw(r);
  return root;
}
