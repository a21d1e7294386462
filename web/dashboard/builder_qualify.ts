// The survey builder's qualifying question (builder.ts draws it before the texts): an optional
// single or multiple choice question asked before the score ("qualify" in the definition);
// only a respondent whose answer is one of the options marked "qualifies" (qualify.accept) is
// asked the score, the others nothing more. Always required, never conditional (the core says
// so). Its texts in the language being edited, like the other questions'; the core's messages
// beside their fields: "qualify.accept[1]" at the check box of the option it names,
// "qualify.accept" under the choices.
import { h } from './dom';
import { t, type TextKey } from './i18n';
import { field, checkbox, input, select } from './builder_fields';
import { type Ctx, section, row, small, text } from './builder_sections';

const TYPES = ['single', 'multiple'];

export function qualifySection(c: Ctx) {
  const q = c.def.qualify;
  const about = h('p', { class: 'fine', 'data-test': 'b-qualify-about' }, t('b_qualify_about'));
  // Messages about the whole of it (missing question or accept) under the explanation.
  const whole = c.fields.line(['qualify', 'qualify.question']).err;
  if (!q || typeof q !== 'object' || Array.isArray(q)) {
    return section(t('b_qualify'), 'b-qualify', about, whole,
      small(t('b_qualify_add'), () => {
        c.def.qualify = { question: { id: 'qualify', type: 'single', options: [{ id: 'yes' }, { id: 'no' }] }, accept: [] };
        c.changed(); c.redraw();
      }, 'b-add-qualify'));
  }
  if (!q.question || typeof q.question !== 'object') q.question = { id: 'qualify', type: 'single', options: [] };
  const question = q.question;
  if (!Array.isArray(question.options)) question.options = [];
  const options: any[] = question.options;
  const accept = (): string[] => (Array.isArray(q.accept) ? q.accept : (q.accept = []));
  const keys = ['qualify', 'question'];
  const type = TYPES.includes(question.type) ? String(question.type) : 'single';
  const idIn = input(question.id, (v) => { question.id = v; c.changed(); }, { dir: 'ltr', autocomplete: 'off', 'data-test': 'b-qualify-id' });
  // The line for "at least one option must qualify", which each check box names too.
  const acceptLine = c.fields.line(['qualify.accept']).err;
  const qualifies = (el: HTMLElement) => {
    const box = el.querySelector('input')!;
    box.setAttribute('aria-describedby', `${box.getAttribute('aria-describedby')} ${acceptLine.id}`);
    return el;
  };
  const typeSel = select(TYPES.map((x) => [x, t(`qt_${x}` as TextKey)]), type, (v) => { question.type = v; c.changed(); });
  return section(t('b_qualify'), 'b-qualify', about, whole,
    row(field(c.fields, t('b_q_id'), ['qualify.question.id'], idIn),
      field(c.fields, t('b_q_type'), ['qualify.question.type'], typeSel, { test: 'b-qualify-type' })),
    text(c, keys, 'text', t('b_q_text'), { area: true, test: 'b-qualify-text' }),
    h('div', { class: 'b-options' }, h('p', { class: 'b-sub' }, t('b_options')),
      ...options.map((o, j) => row(
        field(c.fields, t('b_option_id'), [`qualify.question.options[${j}].id`, `qualify.question.options[${j}]`],
          input(o?.id, (v) => {
            // The accepted ids follow an option renamed.
            const old = o.id;
            o.id = v;
            if (Array.isArray(q.accept)) q.accept = q.accept.map((x: string) => (x === old ? v : x));
            c.changed();
          }, { dir: 'ltr', autocomplete: 'off', 'data-test': `b-qualify-option-id-${j}` })),
        text(c, [...keys, 'options', j], 'label', t('b_option_label'), { test: `b-qualify-option-${j}` }),
        qualifies(checkbox(c.fields, t('b_qualifies'),
          accept().flatMap((x, k) => (x === o?.id ? [`qualify.accept[${k}]`] : [])),
          accept().includes(o?.id), (on) => {
            const now = accept().filter((x) => x !== o.id);
            if (on) now.push(o.id);
            // In the order of the options (then any the form has no option for).
            q.accept = [...options.map((x) => x?.id).filter((x) => now.includes(x)), ...now.filter((x) => !options.some((y) => y?.id === x))];
            c.changed();
          }, `b-qualifies-${j}`)),
        small(t('b_remove'), () => {
          q.accept = accept().filter((x) => x !== o?.id);
          options.splice(j, 1);
          c.changed(); c.redraw();
        }))),
      acceptLine,
      small(t('b_add_option'), () => {
        const taken = new Set(options.map((x) => x?.id));
        let n = options.length + 1;
        while (taken.has(`o${n}`)) n++;
        options.push({ id: `o${n}` });
        c.changed(); c.redraw();
      }, 'b-qualify-add-option')),
    h('div', { class: 'b-actions' }, small(t('b_qualify_remove'), () => { delete c.def.qualify; c.changed(); c.redraw(); }, 'b-remove-qualify')));
}
