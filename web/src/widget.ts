// dist/nps-widget.js: the renderer, loaded only when the core says a survey will show.
// It draws the view the core's flow returns and sends the core every event; it holds
// no survey logic (no step order, no conditions, no texts of its own).
//
// Sections: types · mount · render · steps · events · focus
import { css } from './styles';

// ---- types ----------------------------------------------------------------------------

type J = Record<string, any>; // a view, as flow.hpp's view() shapes it
interface Mount {
  survey: unknown;
  flow: (op: string, input: unknown) => J;
  start: J;
  nonce?: string;
  container?: string | Element;
  // A preview (the dashboard's survey editor): draw inside `container` whatever the
  // survey's position, and leave the page's focus alone until someone uses the widget.
  preview?: boolean;
  // npsd's origin: the funnel counts there the survey shown and dismissed (the event only,
  // nothing about who). None in a preview.
  server?: string;
  send: (kind: 'create' | 'update', response: J) => void;
  closed: (dismissed: boolean) => void;
}

const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | null | undefined> = {},
  ...kids: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null && v !== false) e.setAttribute(k, v === true ? '' : String(v));
  for (const k of kids) if (k) e.append(k);
  return e;
};

let sheet: CSSStyleSheet | undefined;

// ---- mount ----------------------------------------------------------------------------

// The flow module carries no texts: the core names the language this visitor will read
// (flow.locale) and the widget fetches that one file from beside itself, the core's own
// i18n.strings output, and installs it. Fails (rejects) when the texts cannot be had.
export async function mount(o: Mount): Promise<void> {
  const first = { survey: o.survey, start: o.start };
  const { strings } = o.flow('flow.locale', first);
  const r = await fetch(new URL(`nps-texts-${strings}.json`, import.meta.url), { credentials: 'omit' });
  if (!r.ok) throw new Error(`texts ${strings}: HTTP ${r.status}`);
  o.flow('i18n.install', await r.json());
  let { state, view } = o.flow('flow.start', first);
  const previous = document.activeElement as HTMLElement | null;
  const pos: string = view.theme.position;
  const container =
    pos === 'inline' || o.preview
      ? typeof o.container === 'string'
        ? document.querySelector(o.container)
        : o.container || document.querySelector('[data-nps-inline]')
      : null;

  const host = h('div', { 'data-opennps': '', 'data-pos': container ? 'inline' : pos === 'inline' ? 'bottom-right' : pos, 'data-preview': !!o.preview });
  const shadow = host.attachShadow({ mode: 'open' });
  const theme = `:host{--nps-accent:${/^#[0-9a-fA-F]{6}$/.test(view.theme.accent) ? view.theme.accent : '#3b5bdb'}}`;
  if ('adoptedStyleSheets' in shadow && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(css);
    const t = new CSSStyleSheet();
    t.replaceSync(theme);
    shadow.adoptedStyleSheets = [sheet, t];
  } else {
    shadow.append(h('style', { nonce: o.nonce }, css + theme));
  }
  const root = h('div', { class: 'nps', role: 'dialog', tabindex: -1 });
  const live = h('div', { class: 'sr', 'aria-live': 'polite', role: 'status' });
  const body = h('div');
  shadow.append(root);
  root.append(body, live);
  (container || document.body).append(host);
  const count = (event: string) =>
    o.server && navigator.sendBeacon(`${o.server}/v1/surveys/${encodeURIComponent((o.survey as J).id)}/impressions`, `{"event":"${event}"}`);
  count('shown');
  // A pop-up takes the focus at once. An inline block is part of the page, in its tab order:
  // like a preview, it takes the focus only after its first event, so a visitor typing in the
  // host page when it appears goes on typing there.
  let focusing = !o.preview && !container;

  // ---- events --------------------------------------------------------------------------

  const apply = (event: J): void => {
    let r: J;
    try {
      r = o.flow('flow.apply', { survey: o.survey, state, event });
    } catch (e) {
      // The core refused the event (say, a required question left empty): say why.
      const errs = safeErrors((e as Error).message);
      const p = root.querySelector('.err');
      if (p) p.textContent = errs;
      live.textContent = errs;
      return;
    }
    state = r.state;
    view = r.view;
    focusing = true;
    if (r.send === 'create' || r.send === 'update') o.send(r.send, r.response);
    render();
  };

  const valueOf = (): unknown => {
    if (view.step === 'followup') return (root.querySelector('textarea') as HTMLTextAreaElement).value;
    const q = view.question;
    if (q.type === 'text') return (root.querySelector('textarea') as HTMLTextAreaElement).value;
    const checked = Array.from(root.querySelectorAll<HTMLInputElement>('.a input:checked'), (i) => i.value);
    if (q.type === 'multiple') return checked;
    if (q.type === 'rating') return checked.length ? Number(checked[0]) : null;
    return checked[0] ?? null;
  };

  const fire = (ev: string) => apply(ev === 'answer' ? { type: ev, value: valueOf() } : { type: ev });

  root.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && view.close) {
      e.preventDefault();
      fire(view.close.event);
    }
  });

  // ---- render --------------------------------------------------------------------------

  function render(): void {
    if (view.step === 'closed') {
      const had = document.activeElement === host;
      host.remove();
      if (!o.preview && had && previous && previous.isConnected && previous !== document.body) previous.focus({ preventScroll: true });
      if (view.dismissed) count('dismissed');
      o.closed(!!view.dismissed);
      return;
    }
    root.className = `nps ${view.theme.mode}${container ? ' inline' : ''}`;
    root.lang = view.locale;
    root.dir = view.dir;
    root.setAttribute('aria-label', view.dialog_label);
    const content =
      view.step === 'score' ? score(view.score) : view.step === 'followup' ? followup(view.followup) : view.step === 'question' ? question(view.question) : thanks(view.thanks);
    const bar = h('div', { class: 'bar' }, view.progress ? h('span', { class: 'prog' }, view.progress.label) : h('span', { class: 'sp' }));
    for (const a of view.actions as J[]) {
      const b = h('button', { type: 'button', class: a.primary ? 'p' : null }, a.label);
      b.addEventListener('click', () => fire(a.event));
      bar.append(b);
    }
    const close = h('button', { type: 'button', class: 'x', 'aria-label': view.close.label }, '×');
    close.addEventListener('click', () => fire(view.close.event));
    body.replaceChildren(close, content, h('p', { class: 'err', role: 'alert' }), bar);
    if (view.announcement) live.textContent = view.announcement;
    if (focusing) focusFirst();
  }

  // ---- steps ---------------------------------------------------------------------------

  // The 0–10 scale: native radios in a radiogroup with a roving tabindex. Arrows move the
  // focus only (selection submits the score); Space, Enter or a click selects.
  function scale(options: J[], name: string, selected: unknown, onPick: (v: number) => void, cls = ''): HTMLElement {
    const inputs: HTMLInputElement[] = [];
    const row = h('div', { class: `opts ${cls}` });
    const start = Math.max(0, options.findIndex((x) => x.value === selected));
    options.forEach((x, i) => {
      const input = h('input', {
        type: 'radio',
        name,
        value: x.value,
        'aria-label': x.aria_label,
        tabindex: i === start ? 0 : -1,
        checked: x.value === selected,
      });
      input.addEventListener('change', () => input.checked && onPick(x.value));
      input.addEventListener('keydown', (e) => {
        const rtl = view.dir === 'rtl';
        const step = { ArrowRight: rtl ? -1 : 1, ArrowDown: 1, ArrowLeft: rtl ? 1 : -1, ArrowUp: -1 }[e.key];
        let to = step ? i + step : e.key === 'Home' ? 0 : e.key === 'End' ? inputs.length - 1 : -2;
        if (e.key === 'Enter') {
          e.preventDefault();
          return onPick(x.value);
        }
        if (to === -2) return;
        e.preventDefault();
        to = (to + inputs.length) % inputs.length;
        inputs.forEach((el, k) => (el.tabIndex = k === to ? 0 : -1));
        inputs[to].focus();
      });
      inputs.push(input);
      row.append(h('label', { class: `opt ${x.category || ''}` }, input, h('span', { 'aria-hidden': 'true' }, x.label)));
    });
    return row;
  }

  function score(s: J): HTMLElement {
    return h(
      'fieldset',
      { role: 'radiogroup', 'aria-labelledby': 'nps-q', 'aria-describedby': 'nps-ends', class: s.category_colors ? 'cc' : null },
      h('legend', { class: 'q', id: 'nps-q' }, s.question),
      scale(s.options, 'nps-score', s.selected, (v) => apply({ type: 'choose_score', value: v })),
      h('div', { class: 'ends', id: 'nps-ends' }, h('span', {}, s.low_label), h('span', {}, s.high_label)),
    );
  }

  function followup(f: J): HTMLElement {
    return h(
      'div',
      {},
      h('label', { class: 'q', for: 'nps-t', id: 'nps-q' }, f.question),
      area(f.placeholder, f.value || '', f.max_length, null),
    );
  }

  // A text box capped at the core's length in characters (code points, as the core counts;
  // a maxlength attribute would count UTF-16 units and stop emoji and rare CJK at half).
  function area(placeholder: string, value: string, max: number, required: boolean | null): HTMLTextAreaElement {
    const t = h('textarea', { id: 'nps-t', placeholder, 'aria-required': required }, value) as HTMLTextAreaElement;
    t.addEventListener('input', () => {
      const cs = Array.from(t.value);
      if (cs.length > max) t.value = cs.slice(0, max).join('');
    });
    return t;
  }

  function question(q: J): HTMLElement {
    if (q.type === 'text')
      return h('div', {}, h('label', { class: 'q', for: 'nps-t', id: 'nps-q' }, q.text),
        area(q.placeholder, typeof q.value === 'string' ? q.value : '', q.max_length, q.required || null));
    if (q.type === 'rating') {
      const opts = [];
      for (let v = q.min; v <= q.max; v++) opts.push({ value: v, label: String(v), aria_label: String(v) });
      return h('fieldset', { role: 'radiogroup', 'aria-labelledby': 'nps-q', class: 'a' },
        h('legend', { class: 'q', id: 'nps-q' }, q.text),
        scale(opts, 'nps-r', q.value, () => undefined),
        q.low_label || q.high_label ? h('div', { class: 'ends' }, h('span', {}, q.low_label || ''), h('span', {}, q.high_label || '')) : null);
    }
    const multi = q.type === 'multiple';
    const list = h('div', { class: 'list' });
    for (const x of q.options as J[])
      list.append(h('label', { class: 'ch' }, h('input', { type: multi ? 'checkbox' : 'radio', name: 'nps-c', value: x.id, checked: x.selected }), h('span', {}, x.label)));
    return h('fieldset', { class: 'a', 'aria-describedby': 'nps-h' },
      h('legend', { class: 'q', id: 'nps-q' }, q.text), h('p', { class: 'hint', id: 'nps-h' }, q.hint), list);
  }

  function thanks(t: J): HTMLElement {
    return h('div', {}, h('p', { class: 'q', id: 'nps-q' }, t.text),
      t.link ? h('p', {}, h('a', { href: t.link.url, target: '_blank', rel: 'noopener' }, t.link.label)) : null);
  }

  // ---- focus ---------------------------------------------------------------------------

  function focusFirst(): void {
    const f = root.querySelector<HTMLElement>('input[tabindex="0"],textarea,.a input,.bar .p') || root;
    f.focus({ preventScroll: true });
  }

  render();
}

function safeErrors(message: string): string {
  try {
    const list = JSON.parse(message.slice(message.indexOf('['))) as { message: string }[];
    return list.map((x) => x.message).join('; ');
  } catch {
    return message;
  }
}
