// The survey editor's live preview (see below), in a file of its own.
import { configure, core, invoke } from '../src/loader';
import { h } from './dom';
import { t, lang } from './i18n';

// ---- survey preview ----------------------------------------------------------------------

// The real widget (dist/nps-widget.js) driven by the real flow module (nps-flow.js + .wasm),
// loaded the way the loader loads them, drawn inside the editor's preview pane. The flow
// module trusts its survey (visitors only ever get what npsd validated), so the definition
// being edited goes through the core's survey.parse first (nps-survey, a module only the
// dashboard loads), exactly as npsd does before it serves /config. Answers go
// nowhere: its `send` records nothing. A change of the definition or of the language starts
// the flow again and replays the editor's earlier clicks through the core, so the pane stays
// on the step being edited (as far as the new definition lets the same clicks go).
type WidgetModule = typeof import('../src/widget');
type FlowCore = Awaited<ReturnType<typeof core>>;
type CoreError = { path: string; message: string };
let previewModules: Promise<[WidgetModule, FlowCore, FlowCore]> | undefined;
function loadPreview() {
  configure({ base: `${location.origin}/` });
  return (previewModules ||= Promise.all([
    import(/* @vite-ignore */ `${location.origin}/nps-widget.js`) as Promise<WidgetModule>,
    core('nps-flow'),
    core('nps-survey'),
  ]).catch((x) => {
    previewModules = undefined; // tried again on the next change
    throw x;
  }));
}

// The core reports errors as a JSON array after "op: "; paths inside the survey are shown
// as the form shows them (without the "survey." the flow's input adds).
function coreErrors(x: unknown): CoreError[] {
  const m = x instanceof Error ? x.message : String(x);
  try {
    const list = JSON.parse(m.slice(m.indexOf('[')));
    if (Array.isArray(list)) return list.map((e) => ({ path: String(e.path ?? '').replace(/^survey(\.|$)/, ''), message: String(e.message) }));
  } catch { /* not the core's list */ }
  return [{ path: '', message: m }];
}

export function surveyPreview() {
  const stage = h('div', { class: 'stage', 'data-test': 'preview-stage' });
  const status = h('p', { class: 'muted preview-status', 'data-test': 'preview-status', role: 'status' });
  const errors = h('div', { class: 'field-error preview-errors', 'data-test': 'preview-errors', role: 'alert' });
  const langSel = h('select', { name: 'preview-lang', 'data-test': 'preview-lang', onchange: () => { chosen = wanted = langSel.value; draw(); } });
  const restart = h('button', { type: 'button', 'data-test': 'preview-restart', onclick: () => { events = []; draw(); } }, `↺ ${t('restart')}`);
  const el = h('aside', { class: 'card preview', 'data-test': 'preview', 'aria-labelledby': 'preview-title' },
    h('div', { class: 'preview-head' }, h('h2', { id: 'preview-title' }, t('preview')),
      h('span', { class: 'preview-note', 'data-test': 'preview-note' }, t('preview_note'))),
    h('div', { class: 'preview-tools' }, h('label', {}, t('preview_language'), ' ', langSel), restart),
    errors, status, stage);
  let survey: unknown;
  let events: unknown[] = []; // the editor's clicks in the preview, replayed after each change
  let chosen = '';
  let wanted = ''; // the language asked for (language()), drawn whenever the survey offers it
  let drawn = 0;

  // The survey's default and its locales; a survey that names none is offered in every
  // built-in language, as the core lists them (i18n.locales).
  function locales(def: any, builtin: string[]): string[] {
    const first = typeof def.default_locale === 'string' && def.default_locale ? def.default_locale : 'en';
    const named = Array.isArray(def.locales) ? def.locales.filter((x: unknown) => typeof x === 'string' && x) : [];
    return [...new Set([first, ...(named.length ? named : builtin)])];
  }
  function languageName(code: string) {
    try { const n = new Intl.DisplayNames([lang()], { type: 'language' }).of(code); return n && n !== code ? t('name_code', { name: n, code }) : code; }
    catch { return code; }
  }
  function showErrors(list: CoreError[]) {
    errors.replaceChildren(h('p', {}, t('preview_invalid')),
      h('ul', {}, ...list.map((e) => h('li', {}, e.path ? `${e.path}: ${e.message}` : e.message))));
  }

  async function draw() {
    const mine = ++drawn;
    stage.replaceChildren(); // never a stale widget
    errors.replaceChildren();
    status.textContent = '';
    if (survey instanceof Error) return showErrors([{ path: t('definition'), message: survey.message }]);
    const def = survey;
    const slow = window.setTimeout(() => { if (mine === drawn) status.textContent = t('preview_loading'); }, 150);
    let widget: WidgetModule, flowCore: FlowCore, surveyCore: FlowCore;
    try { [widget, flowCore, surveyCore] = await loadPreview(); }
    catch (x) { if (mine === drawn) status.textContent = t('labelled', { label: t('preview_failed'), value: (x as Error).message }); return; }
    finally { clearTimeout(slow); }
    if (mine !== drawn) return;
    status.textContent = '';
    if (def && typeof def === 'object') {
      const list = locales(def, invoke<string[]>(surveyCore, 'i18n.locales', null));
      if (wanted && list.includes(wanted)) chosen = wanted;
      else if (!list.includes(chosen)) chosen = list[0];
      if (langSel.options.length !== list.length || list.some((c, i) => langSel.options[i].value !== c))
        langSel.replaceChildren(...list.map((c) => h('option', { value: c }, languageName(c))));
      langSel.value = chosen;
    }
    const flow = (op: string, input: any): any => {
      if (op === 'flow.locale' || op === 'i18n.install') return invoke<any>(flowCore, op, input);
      if (op !== 'flow.start') {
        const r = invoke<any>(flowCore, op, input); // a refused event throws: the widget says why
        if (r.view.step !== 'closed') events.push(input.event);
        return r;
      }
      let r = invoke<any>(flowCore, op, input); // an invalid definition throws: shown below
      const kept: unknown[] = [];
      for (const event of events) {
        let next: any;
        try { next = invoke<any>(flowCore, 'flow.apply', { survey: input.survey, state: r.state, event }); } catch { break; }
        if (next.view.step === 'closed') break;
        r = next;
        kept.push(event);
      }
      events = kept;
      return { state: r.state, view: r.view };
    };
    let served: unknown; // what npsd would serve for this definition
    try { served = invoke<unknown>(surveyCore, 'survey.parse', def); }
    catch (x) { return showErrors(coreErrors(x)); }
    // Each drawing in a box of its own: one that finishes after a newer one started (it
    // waits for its texts) lands in a box no longer on the page.
    const box = h('div');
    stage.replaceChildren(box);
    try {
      await widget.mount({
        survey: served,
        flow,
        start: { idempotency_key: `preview-${Date.now()}`, languages: [chosen], channel: 'web', client_time: Date.now() },
        container: box,
        preview: true,
        send: () => undefined, // a preview records nothing, here or on the server
        closed: () => {
          events = [];
          status.textContent = t('preview_closed');
          restart.focus({ preventScroll: true });
        },
      });
    } catch (x) {
      if (mine !== drawn) return;
      stage.replaceChildren();
      showErrors(coreErrors(x));
    }
  }

  return {
    el,
    show(def: unknown) {
      survey = def;
      void draw();
    },
    // The language the editor is writing in: the widget is drawn again in it.
    language(code: string) {
      if (code === wanted) return;
      chosen = wanted = code;
      if (survey !== undefined) void draw();
    },
  };
}
