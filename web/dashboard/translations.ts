// Translations (issue 19, item 13), per survey on the Surveys page, for editors: download the
// survey's texts for a translator (CSV or XLIFF, GET /v1/admin/surveys/{id}/texts), upload the
// translated file (POST, the same path) and read the report: applied, missing, stale (the
// text changed after the download, so its translation was not applied). npsd saves the
// merged survey as a new version; a refused file names its line and field.
import { count, lang, languages, num, t } from './i18n';
import { h } from './dom';
import { ApiError, errorText, state } from './app';

const textsPath = (id: string, target: string) =>
  `/v1/admin/surveys/${encodeURIComponent(id)}/texts?target=${encodeURIComponent(target)}`;

async function download(id: string, target: string, format: 'csv' | 'xliff', out: HTMLElement) {
  out.replaceChildren();
  const r = await fetch(`${textsPath(id, target)}&format=${format}`, { credentials: 'same-origin' });
  if (!r.ok) {
    out.append(h('p', { class: 'error', role: 'alert' }, errorText(new ApiError(r.status, await r.json().catch(() => null)))));
    return;
  }
  const a = h('a', { href: URL.createObjectURL(await r.blob()), download: `${id}-${target}.${format === 'csv' ? 'csv' : 'xlf'}` });
  document.body.append(a);
  a.click();
  a.remove();
}

async function upload(id: string, target: string, file: File, out: HTMLElement) {
  out.replaceChildren();
  const type = /\.csv$/i.test(file.name) ? 'text/csv' : 'application/xliff+xml';
  const headers: Record<string, string> = { 'Content-Type': type };
  if (state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const r = await fetch(textsPath(id, target), { method: 'POST', headers, credentials: 'same-origin', body: await file.text() });
  const body = await r.json().catch(() => null);
  if (!r.ok) {
    out.append(h('p', { class: 'error', role: 'alert', 'data-test': 'translation-error' }, errorText(new ApiError(r.status, body))));
    return;
  }
  const line = (key: 'tr_applied' | 'tr_missing' | 'tr_stale', n: number) =>
    h('li', { 'data-state': key }, t('labelled', { label: t(key), value: num(n) }));
  const stale = (body.rows as any[]).filter((row) => row.state === 'stale');
  out.append(h('div', { 'data-test': 'translation-report', role: 'status' },
    h('p', {}, t(body.saved ? 'tr_saved' : 'tr_unchanged')),
    h('ul', {}, line('tr_applied', body.applied), line('tr_missing', body.missing), line('tr_stale', body.stale)),
    stale.length > 0 && h('ul', { class: 'stale' }, ...stale.map((row) =>
      h('li', {}, h('code', { dir: 'ltr' }, row.key), ` — ${row.source}`)))));
}

// The Translations box of one survey.
export function translations(id: string): HTMLElement {
  const listId = `tr-langs-${id}`;
  const target = h('input', { type: 'text', list: listId, value: languages.find((l) => l.code !== 'en')!.code, size: 8, dir: 'ltr', 'data-test': 'translation-target' });
  const out = h('div', { class: 'translation-out' });
  const file = h('input', { type: 'file', accept: '.csv,.xlf,.xliff,.xml', 'data-test': 'translation-file' });
  file.onchange = () => { if (file.files?.[0]) void upload(id, target.value.trim(), file.files[0], out); };
  return h('details', { class: 'translations', 'data-test': 'translations' },
    h('summary', {}, t('translations')),
    h('p', { class: 'hint' }, t('tr_hint')),
    h('label', {}, t('tr_target'), ' ', target),
    h('datalist', { id: listId }, ...languages.map((l) => h('option', { value: l.code }, l.name))),
    ' ',
    h('button', { type: 'button', onclick: () => void download(id, target.value.trim(), 'csv', out) }, t('download_csv')),
    ' ',
    h('button', { type: 'button', onclick: () => void download(id, target.value.trim(), 'xliff', out) }, t('download_xliff')),
    h('p', {}, h('label', {}, t('tr_upload'), ' ', file)),
    out);
}
