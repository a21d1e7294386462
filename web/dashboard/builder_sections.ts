// The survey builder's sections (builder.ts draws them): the texts of the language being
// edited, the follow-up of each category with its extra questions and their conditions,
// targeting and sampling. Each writes straight into the definition and says so (changed);
// a change of shape (a question added, a type changed) draws the builder again (redraw).
import { h } from './dom';
import { t, type TextKey } from './i18n';
import { Fields, field, checkbox, input, textarea, select, opts, textIn, setTextIn, reference } from './builder_fields';

export type Ctx = {
  fields: Fields;
  def: any;
  lang: string; // the language being edited
  dl: string;   // the survey's default language
  changed: () => void;
  redraw: () => void;
};

const CATEGORIES = ['detractor', 'passive', 'promoter'] as const;
const QUESTION_TYPES = ['text', 'single', 'multiple', 'rating'];
const OPS = ['answered', 'not_answered', 'equals', 'not_equals', 'includes', 'less', 'greater'];
const MATCHES = ['contains', 'exact', 'starts_with', 'ends_with', 'glob'];
const DEVICES = ['desktop', 'mobile', 'tablet'];
const TRIGGERS = ['page_load', 'scroll', 'exit_intent', 'event', 'page_views'];
// What each trigger type reads besides its type (the form shows these fields).
const TRIGGER_FIELDS: Record<string, string[]> = { page_load: ['delay_seconds'], scroll: ['scroll_percent'], exit_intent: [], event: ['event', 'count'], page_views: ['count'] };

// The object at `keys` inside the definition: `at` only reads (undefined when missing), `make`
// creates what is missing on the way.
export const at = (def: any, keys: (string | number)[]) => keys.reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), def);
export function make(def: any, keys: (string | number)[]) {
  let o = def;
  for (const k of keys) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  return o;
}
export const pathOf = (keys: (string | number)[]) => keys.reduce<string>((p, k) => typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k, '');
export const section = (title: string, test: string, ...kids: (Node | null)[]) =>
  h('fieldset', { class: 'b-section', 'data-test': test }, h('legend', {}, title), ...kids);
export const row = (...kids: (Node | null)[]) => h('div', { class: 'b-row' }, ...kids);
export const small = (label: string, onclick: () => void, test?: string) =>
  h('button', { type: 'button', class: 'b-small', 'data-test': test, onclick }, label);

// One text in the language being edited, labelled; under it, when that is not the default
// language, what the default language says.
export function text(c: Ctx, keys: (string | number)[], key: string, label: string, o: { area?: boolean; test?: string } = {}) {
  const path = pathOf([...keys, key]);
  const control = (o.area ? textarea : input)(textIn(at(c.def, keys), key, c.lang, c.dl), (v) => {
    setTextIn(make(c.def, keys), key, c.lang, c.dl, v.trim() ? v : '');
    c.changed();
  });
  control.setAttribute('lang', c.lang);
  return field(c.fields, label, [`${path}.${c.lang}`, path], control,
    { hint: c.lang !== c.dl ? reference(at(c.def, keys), key, c.dl) : null, test: o.test, wide: true });
}
// A number of the definition; an empty field leaves it out (the core's default).
function numberField(c: Ctx, keys: string[], key: string, label: string, attrs: Record<string, unknown> = {}, test?: string) {
  const control = input(at(c.def, keys)?.[key], (v) => {
    const owner = make(c.def, keys);
    if (v.trim() === '') delete owner[key];
    else owner[key] = Number.isFinite(Number(v)) ? Number(v) : v;
    c.changed();
  }, { type: 'number', dir: 'ltr', inputmode: 'decimal', ...attrs });
  return field(c.fields, label, [pathOf([...keys, key])], control, { test });
}

// ---- texts --------------------------------------------------------------------------------

export function textsSection(c: Ctx) {
  return section(t('b_texts'), 'b-texts',
    text(c, [], 'question', t('b_question'), { area: true, test: 'b-question' }),
    row(text(c, [], 'low_label', t('b_low_label'), { test: 'b-low' }), text(c, [], 'high_label', t('b_high_label'), { test: 'b-high' })),
    ...CATEGORIES.map((cat) => flowSection(c, cat)));
}

function flowSection(c: Ctx, cat: string) {
  const keys = ['followup', cat];
  const flow = at(c.def, keys);
  const questions: any[] = Array.isArray(flow?.questions) ? flow.questions : [];
  return h('fieldset', { class: `b-flow ${cat}`, 'data-test': `b-flow-${cat}` }, h('legend', {}, t(`b_flow_${cat}` as TextKey)),
    checkbox(c.fields, t('b_ask'), [pathOf([...keys, 'ask'])], flow?.ask !== false, (on) => {
      const f = make(c.def, keys);
      if (on) delete f.ask; else f.ask = false;
      c.changed();
    }, `b-ask-${cat}`),
    text(c, keys, 'text', t('b_followup'), { area: true, test: `b-followup-${cat}` }),
    text(c, keys, 'placeholder', t('b_placeholder')),
    text(c, keys, 'thanks', t('b_thanks'), { area: true, test: `b-thanks-${cat}` }),
    ...questions.map((q, i) => questionCard(c, cat, questions, i)),
    small(t('b_add_question'), () => {
      const f = make(c.def, keys);
      const list = Array.isArray(f.questions) ? f.questions : (f.questions = []);
      const taken = new Set(list.map((x: any) => x?.id));
      let n = list.length + 1;
      while (taken.has(`q${n}`)) n++;
      list.push({ id: `q${n}`, type: 'text' });
      c.changed(); c.redraw();
    }, `b-add-question-${cat}`));
}

// ---- one extra question -----------------------------------------------------------------------

function questionCard(c: Ctx, cat: string, list: any[], i: number) {
  const q = list[i];
  const keys = ['followup', cat, 'questions', i];
  const base = pathOf(keys);
  const type = String(q?.type ?? 'text');
  const choice = type === 'single' || type === 'multiple';
  const options: any[] = Array.isArray(q?.options) ? q.options : [];
  const idIn = input(q?.id, (v) => { q.id = v; c.changed(); }, { dir: 'ltr', autocomplete: 'off' });
  // A change of type keeps what the new type has and leaves out what it has not.
  const typeSel = select(QUESTION_TYPES.map((x) => [x, t(`qt_${x}` as TextKey)]), type, (v) => {
    q.type = v;
    if (v !== 'single' && v !== 'multiple') delete q.options;
    else if (!Array.isArray(q.options)) q.options = [{ id: 'a' }, { id: 'b' }];
    if (v !== 'rating') for (const k of ['min', 'max', 'low_label', 'high_label']) delete q[k];
    if (v !== 'text') delete q.placeholder;
    c.changed(); c.redraw();
  });
  return h('fieldset', { class: 'b-question', 'data-test': `b-question-${cat}-${i}` },
    h('legend', {}, t('b_question_n', { i: i + 1 })),
    row(field(c.fields, t('b_q_id'), [`${base}.id`], idIn), field(c.fields, t('b_q_type'), [`${base}.type`], typeSel)),
    text(c, keys, 'text', t('b_q_text'), { area: true, test: `b-q-text-${cat}-${i}` }),
    checkbox(c.fields, t('b_required'), [`${base}.required`], q?.required === true, (on) => {
      if (on) q.required = true; else delete q.required;
      c.changed();
    }),
    type === 'text' ? text(c, keys, 'placeholder', t('b_placeholder')) : null,
    choice ? h('div', { class: 'b-options' }, h('p', { class: 'b-sub' }, t('b_options')),
      ...options.map((o, j) => row(
        field(c.fields, t('b_option_id'), [`${base}.options[${j}].id`, `${base}.options[${j}]`],
          input(o?.id, (v) => { o.id = v; c.changed(); }, { dir: 'ltr', autocomplete: 'off' })),
        text(c, [...keys, 'options', j], 'label', t('b_option_label')),
        small(t('b_remove'), () => { options.splice(j, 1); c.changed(); c.redraw(); }))),
      small(t('b_add_option'), () => { options.push({ id: `o${options.length + 1}` }); q.options = options; c.changed(); c.redraw(); })) : null,
    type === 'rating' ? row(numberField(c, keys as string[], 'min', t('b_min')), numberField(c, keys as string[], 'max', t('b_max'))) : null,
    type === 'rating' ? row(text(c, keys, 'low_label', t('b_q_low')), text(c, keys, 'high_label', t('b_q_high'))) : null,
    conditionRow(c, list, i, base),
    h('div', { class: 'b-actions' }, small(t('b_remove_question'), () => { list.splice(i, 1); c.changed(); c.redraw(); }, `b-remove-question-${cat}-${i}`)));
}

// "Show it: always / when the answer to [the score] [is less than] [7]": which scores, or which
// earlier answers, a question is shown to.
function conditionRow(c: Ctx, list: any[], i: number, base: string) {
  const q = list[i];
  const cond = q?.condition && typeof q.condition === 'object' ? q.condition : null;
  const earlier = list.slice(0, i).filter((x) => x && typeof x.id === 'string' && x.id);
  const targets: [string, string][] = [['', t('b_cond_always')], ['score', t('b_score')], ['comment', t('b_comment')],
    ...earlier.map((x): [string, string] => [x.id, t('b_cond_answer', { id: x.id })])];
  const numeric = (qid: string) => qid === 'score' || earlier.some((x) => x.id === qid && x.type === 'rating');
  const needsValue = (op: string) => op !== 'answered' && op !== 'not_answered';
  const whenSel = select(targets, cond?.question ?? '', (v) => {
    if (!v) delete q.condition;
    else q.condition = { question: v, op: numeric(v) ? 'less' : 'answered', ...(numeric(v) ? { value: 7 } : {}) };
    c.changed(); c.redraw();
  });
  const parts: (Node | null)[] = [field(c.fields, t('b_condition'), [`${base}.condition.question`, `${base}.condition`], whenSel)];
  if (cond) {
    parts.push(field(c.fields, t('b_op'), [`${base}.condition.op`], select(opts(OPS, (o) => `op_${o}` as TextKey), String(cond.op ?? ''), (v) => {
      cond.op = v;
      if (!needsValue(v)) delete cond.value;
      c.changed(); c.redraw();
    })));
    if (needsValue(String(cond.op))) {
      parts.push(field(c.fields, t('b_value'), [`${base}.condition.value`], input(cond.value, (v) => {
        // The score and a rating compare numbers; every other answer is a text (an option's id).
        if (v.trim() === '') delete cond.value;
        else cond.value = numeric(cond.question) && Number.isFinite(Number(v)) ? Number(v) : v;
        c.changed();
      }, { dir: 'ltr' }), { test: `b-cond-value-${base}` }));
    }
  }
  return h('div', { class: 'b-row b-condition' }, ...parts);
}

// ---- targeting and sampling -------------------------------------------------------------------

export function targetingSection(c: Ctx) {
  const tg = at(c.def, ['targeting']);
  const urls: any[] = Array.isArray(tg?.urls) ? tg.urls : [];
  const devices: string[] = Array.isArray(tg?.devices) ? tg.devices : [];
  const trigger = tg?.trigger && typeof tg.trigger === 'object' ? tg.trigger : {};
  const type = String(trigger.type ?? 'page_load');
  const trig = (key: string, label: string, attrs: Record<string, unknown> = {}) => key === 'event'
    ? field(c.fields, label, ['targeting.trigger.event'], input(trigger.event, (v) => { make(c.def, ['targeting', 'trigger']).event = v; c.changed(); }, { dir: 'ltr', autocomplete: 'off' }), { test: 'b-trigger-event' })
    : numberField(c, ['targeting', 'trigger'], key, label, attrs, `b-trigger-${key}`);
  const labels: Record<string, string> = { delay_seconds: t('b_delay'), scroll_percent: t('b_scroll'), event: t('b_event'), count: t('b_count') };
  return section(t('b_targeting'), 'b-targeting',
    h('div', { class: 'b-group' }, h('p', { class: 'b-sub' }, t('b_pages')),
      urls.length ? null : h('p', { class: 'fine' }, t('b_pages_none')),
      ...urls.map((u, i) => row(
        field(c.fields, t('b_match'), [`targeting.urls[${i}].match`], select(opts(MATCHES, (m) => `m_${m}` as TextKey), String(u?.match ?? 'contains'), (v) => { u.match = v; c.changed(); })),
        field(c.fields, t('b_pattern'), [`targeting.urls[${i}].pattern`, `targeting.urls[${i}]`],
          input(u?.pattern, (v) => { u.pattern = v; c.changed(); }, { dir: 'ltr', autocomplete: 'off', placeholder: '/checkout' }), { test: `b-url-${i}` }),
        checkbox(c.fields, t('b_exclude'), [`targeting.urls[${i}].exclude`], u?.exclude === true, (on) => { if (on) u.exclude = true; else delete u.exclude; c.changed(); }),
        small(t('b_remove'), () => { urls.splice(i, 1); if (!urls.length) delete tg.urls; c.changed(); c.redraw(); }))),
      small(t('b_add_page'), () => {
        const o = make(c.def, ['targeting']);
        (Array.isArray(o.urls) ? o.urls : (o.urls = [])).push({ match: 'contains', pattern: '' });
        c.changed(); c.redraw();
      }, 'b-add-url')),
    h('div', { class: 'b-group', role: 'group', 'aria-labelledby': 'b-devices-title' },
      h('p', { class: 'b-sub', id: 'b-devices-title' }, t('b_devices')),
      h('div', { class: 'b-row' }, ...DEVICES.map((d) => checkbox(c.fields, t(`device_${d}` as TextKey), [], devices.includes(d), (on) => {
        const o = make(c.def, ['targeting']);
        const now = (Array.isArray(o.devices) ? o.devices : []).filter((x: string) => x !== d);
        if (on) now.push(d);
        if (now.length) o.devices = DEVICES.filter((x) => now.includes(x)); else delete o.devices;
        c.changed();
      }, `b-device-${d}`))),
      h('p', { class: 'fine', id: 'b-devices-none' }, t('b_devices_none')),
      c.fields.line(['targeting.devices']).err),
    row(
      field(c.fields, t('b_trigger'), ['targeting.trigger.type', 'targeting.trigger'], select(opts(TRIGGERS, (x) => `tr_${x}` as TextKey), type, (v) => {
        const o = make(c.def, ['targeting', 'trigger']);
        o.type = v;
        for (const k of ['delay_seconds', 'scroll_percent', 'event', 'count']) if (!TRIGGER_FIELDS[v].includes(k)) delete o[k];
        c.changed(); c.redraw();
      }), { test: 'b-trigger' }),
      ...(TRIGGER_FIELDS[type] ?? []).map((k) => trig(k, labels[k], k === 'scroll_percent' ? { min: 1, max: 100 } : { min: 0 }))));
}

export function samplingSection(c: Ctx) {
  return section(t('b_sampling'), 'b-sampling', row(
    numberField(c, ['sampling'], 'percent', t('b_percent'), { min: 0, max: 100, step: 'any' }, 'b-percent'),
    numberField(c, ['sampling'], 'resurvey_after_answer_days', t('b_resurvey_answer'), { min: 0 }),
    numberField(c, ['sampling'], 'resurvey_after_dismiss_days', t('b_resurvey_dismiss'), { min: 0 })));
}
