// The page of one answer (issue 19, item 7): ?view=response&item=<response id>. The score with
// its category, the comment, the additional questions' answers (under the survey's own
// question texts), where and how it was given (channel, language, device, page, attributes,
// when), its follow-up item when it is one (status, assignee, notes) and a link to its
// respondent's page with how many answers they gave. Analysts and above: it names people and
// shows their comments (a viewer who follows a link gets the shell's "not allowed" notice).
//
// Also what the lists share to link their rows here: responseLink(), respondentLink() and
// rowOpens() (a click anywhere on a table row follows the row's own link).
import { t, count, dir, lang, languageName, num, ltr, type TextKey as Key } from './i18n';
import { h } from './dom';
import { ApiError, api, empty, link, surveyBase, when } from './app';
import { toneBadge, toneNote, toneWords } from './sentiment';

// ---- links the other pages use ----------------------------------------------------------

export const responseLink = (id: number | string, ...kids: (Node | string)[]) =>
  link({ view: 'response', item: String(id) }, ...kids);
export const respondentLink = (who: string, ...kids: (Node | string)[]) =>
  link({ view: 'respondent', item: who }, ...(kids.length ? kids : [h('bdi', {}, who)]));

// A table row that opens its link when clicked anywhere but on another control (and not
// while text is being selected); the link itself is what keyboards and middle-clicks use.
export function rowOpens(tr: HTMLTableRowElement, a: HTMLAnchorElement) {
  tr.classList.add('opens');
  tr.addEventListener('click', (e: MouseEvent) => {
    if ((e.target as Element).closest('a, button, input, select, label, textarea')) return;
    if (window.getSelection()?.toString()) return;
    if (e.ctrlKey || e.metaKey || e.shiftKey) { window.open(a.href, '_blank', 'noopener'); return; }
    a.click();
  });
  return tr;
}

export const back = (view: string, key: Key) =>
  link({ view, item: null }, `${dir() === 'rtl' ? '→' : '←'} ${t(key)}`);

// ---- what an answer says -----------------------------------------------------------------

// A text of the survey in the dashboard's language, else its default language, else any.
export function localized(texts: Record<string, string> | undefined, fallback: string) {
  if (!texts) return null;
  const l = lang();
  return texts[l] ?? texts[l.split('-')[0]] ?? texts[fallback] ?? Object.values(texts)[0] ?? null;
}

type Question = { id: string; type: string; text?: Record<string, string>; options?: { id: string; label?: Record<string, string> }[]; min?: number; max?: number };

// Every additional question of the survey by id (the three categories' lists).
function questions(definition: any): Map<string, Question> {
  const out = new Map<string, Question>();
  for (const c of ['detractor', 'passive', 'promoter'])
    for (const q of definition?.followup?.[c]?.questions ?? []) if (!out.has(q.id)) out.set(q.id, q);
  return out;
}

function answerValue(v: unknown, q: Question | undefined, fallback: string): string {
  const option = (x: string) => localized(q?.options?.find((o) => o.id === x)?.label, fallback) ?? x;
  if (typeof v === 'number') return q?.type === 'rating' && q.max !== undefined ? ltr(`${num(v)} / ${num(q.max)}`) : num(v);
  if (Array.isArray(v)) return new Intl.ListFormat(lang(), { type: 'conjunction' }).format(v.map((x) => option(String(x))));
  return option(String(v));
}

// The answer's facts as <dt>/<dd> pairs: those it has, nothing for those it lacks.
export function fact(key: Key, value: Node | string | null | undefined, test?: string) {
  return value ? [h('dt', {}, t(key)), h('dd', { 'data-test': test }, typeof value === 'string' ? h('bdi', {}, value) : value)] : [];
}
export const deviceName = (d: string | undefined) =>
  (d && ['desktop', 'mobile', 'tablet'].includes(d) ? t(`device_${d}` as Key) : d);
export const attributeFacts = (attributes: Record<string, unknown> | undefined) =>
  Object.entries(attributes ?? {}).flatMap(([k, v]) => [h('dt', {}, h('bdi', {}, k)), h('dd', { 'data-test': `attr-${k}` }, h('bdi', {}, String(v)))]);

// What the comment's words say (English answers only; nothing otherwise): the tone, the flag
// when they disagree with the score, the scored words written out (a phone has no tooltip),
// and where the tone comes from (the follow-up item shows the same).
export function sentimentLines(sentiment: unknown) {
  const badge = toneBadge(sentiment, { words: false });
  if (!badge) return [];
  const words = toneWords(sentiment as any);
  return [h('p', { class: 'tone-line', 'data-test': 'sentiment' }, badge),
    words ? h('p', { class: 'fine tone-words', 'data-test': 'tone-words' }, words) : null, toneNote()].filter(Boolean) as HTMLElement[];
}

// ---- the page ----------------------------------------------------------------------------

export async function responsePage(p: URLSearchParams) {
  const base = surveyBase(p);
  const rid = p.get('item') ?? '';
  const missing = () => h('section', {}, h('p', {}, back('responses', 'responses')), empty('rp_not_found'));
  if (!/^\d{1,18}$/.test(rid)) return missing();
  const [got, survey] = await Promise.all([
    api('GET', `${base}/responses/${rid}`).catch((x) => { if (x instanceof ApiError && x.status === 404) return null; throw x; }),
    api('GET', base).catch(() => null), // only for the questions' texts
  ]);
  if (!got) return missing();
  const r = got.response;
  const f = got.follow_up;
  const definition = survey?.definition;
  const fallback = definition?.default_locale ?? 'en';
  const asked = questions(definition);
  // In the survey's order of its questions (the stored answer's keys are sorted), then any it no longer asks.
  const order = [...asked.keys()];
  const place = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length);
  const answers = Object.entries(r.answers ?? {}).sort(([a], [b]) => place(a) - place(b));

  const head = h('section', { class: 'card', 'data-test': 'response-page' },
    h('h2', { class: 'answer-head' }, h('span', { class: `score big-ish ${r.category}`, 'data-test': 'score' }, String(r.score)), ' ',
      h('span', { 'data-test': 'category' }, t(r.category as Key))),
    r.comment ? h('p', { class: 'comment big-comment', dir: 'auto', 'data-test': 'comment' }, r.comment)
      : h('p', { class: 'muted', 'data-test': 'comment' }, t('rp_no_comment')),
    ...sentimentLines(r.sentiment),
    h('dl', { class: 'facts', 'data-test': 'facts' },
      h('dt', {}, t('respondent')),
      h('dd', { 'data-test': 'respondent' }, r.respondent_id
        ? h('span', {}, h('bdi', { 'data-test': 'respondent-id' }, r.respondent_id), ' · ',
          respondentLink(r.respondent_id, count('rp_from_respondent', got.respondent_answers)))
        : t('anonymous')),
      h('dt', {}, t('time')), h('dd', { 'data-test': 'received' }, when(r.received_at)),
      ...fact('channel', r.channel, 'fact-channel'),
      ...fact('locale', r.locale && languageName(r.locale), 'fact-locale'),
      ...fact('device', deviceName(r.device), 'fact-device'),
      ...fact('page', r.page && h('bdi', { dir: 'ltr' }, r.page), 'fact-page'),
      ...attributeFacts(r.attributes)));

  const extra = answers.length ? h('section', { class: 'card', 'data-test': 'questions' }, h('h2', {}, t('rp_questions')),
    h('dl', { class: 'facts' }, ...answers.flatMap(([id, v]) => {
      const q = asked.get(id);
      return [h('dt', {}, h('bdi', {}, localized(q?.text, fallback) ?? id)), h('dd', { 'data-test': `answer-${id}` }, h('bdi', {}, answerValue(v, q, fallback)))];
    }))) : null;

  const follow = h('section', { class: 'card', 'data-test': 'rp-followup' }, h('h2', {}, t('followup')));
  if (!f) follow.append(h('p', { class: 'muted', 'data-test': 'not-followup' }, t('rp_not_followup')));
  else {
    follow.append(
      h('dl', { class: 'facts' },
        h('dt', {}, t('status')), h('dd', {}, h('span', { class: `status ${f.status}`, 'data-test': 'status' }, t(`status_${f.status}` as Key))),
        h('dt', {}, t('assignee')), h('dd', { 'data-test': 'assignee' }, f.assignee?.email ?? t('unassigned')),
        ...fact('rp_updated', f.updated_at && when(f.updated_at))),
      h('h3', {}, t('notes')),
      f.notes.length
        ? h('ol', { class: 'notes', 'data-test': 'notes' }, ...f.notes.map((n: any) =>
          h('li', {}, h('span', { class: 'muted' }, h('bdi', {}, n.author), ' · ', h('bdi', {}, when(n.created_at)), ':'), ' ', h('span', { class: 'comment', dir: 'auto' }, n.text))))
        : h('p', { class: 'muted', 'data-test': 'notes' }, t('no_notes')),
      h('p', {}, link({ view: 'followup', item: String(r.id) }, t('rp_open_followup'))));
  }
  return h('div', { class: 'answer-page' }, h('p', { class: 'crumbs' }, back('responses', 'responses')),
    h('div', { class: 'answer-grid' }, head, h('div', {}, extra, follow)));
}
