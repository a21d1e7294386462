// The loader: the only script on the host page's critical path. It replays the command
// queue of the inline stub, keeps visitor state, fetches the survey config, and asks the
// Wasm core (loaded when the browser is idle) whether to show a survey. Only when the
// core says "show" does it load the renderer and the flow core. No survey rule lives
// here: every verdict, reason and wait comes from the core's eligibility.decide.
//
// Sections: types · state · core modules · decide · triggers · show · commands · start
import { clear, enqueue, flush, load, update, uuid, type Visitor } from './store';

// ---- types ----------------------------------------------------------------------------

export interface Options {
  survey?: string; // the survey id to evaluate on every page
  server?: string; // npsd's origin; default: where nps.js came from
  base?: string; // where nps.js, the Wasm modules and the renderer live
  debug?: boolean; // log every eligibility decision with the core's reason
  nonce?: string; // CSP nonce for the fallback <style> (constructable sheets need none)
  lang?: string; // the visitor's language; default: navigator.languages
  container?: string | Element; // where an "inline" survey goes
  timeout?: number; // ms before giving up on a module or the config (default 10000)
}

interface Core {
  invokeText(op: string, json: string): { ok: boolean; text: string };
}
type Handler = (data: unknown) => void;
type Args = [string, ...unknown[]];
interface Decision {
  verdict: 'show' | 'wait' | 'no';
  code: string;
  reason?: string; // only in debug mode (nps-elig-debug)
  wait_for?: { type: string; delay_seconds?: number; scroll_percent?: number };
}

// ---- state ----------------------------------------------------------------------------

const opts: Options = { timeout: 10000 };
const handlers: Record<string, Handler[]> = {};
const configs: Record<string, Promise<unknown>> = {};
let started = false;
let open = false;
let disarm: (() => void) | undefined;
let lastUrl = '';

const log = (...a: unknown[]) => opts.debug && console.info('[nps]', ...a);
const emit = (ev: string, data?: unknown) => (handlers[ev] || []).forEach((f) => f(data));
const withTimeout = <T>(p: Promise<T>, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: timed out`)), opts.timeout)),
  ]);
const idle = () =>
  new Promise<void>((r) =>
    'requestIdleCallback' in window ? requestIdleCallback(() => r(), { timeout: 3000 }) : setTimeout(r, 200),
  );

export function device(): string {
  const coarse = matchMedia('(pointer: coarse)').matches;
  const w = Math.min(screen.width, innerWidth);
  return coarse && w < 768 ? 'mobile' : coarse && w < 1280 ? 'tablet' : 'desktop';
}

// ---- core modules ----------------------------------------------------------------------

const cores: Record<string, Promise<Core>> = {};
export function core(name: string): Promise<Core> {
  return (cores[name] ||= withTimeout(
    import(/* @vite-ignore */ opts.base + name + '.js').then((m) =>
      m.default({ locateFile: (p: string) => opts.base + p }),
    ),
    name,
  ).catch((e) => {
    delete cores[name]; // a failed load is tried again next time, not remembered
    throw e;
  }));
}

export function invoke<T>(c: Core, op: string, input: unknown): T {
  const r = c.invokeText(op, JSON.stringify(input));
  if (!r.ok) throw new Error(`${op}: ${r.text}`);
  return JSON.parse(r.text) as T;
}

function config(id: string): Promise<unknown> {
  return (configs[id] ||= withTimeout(
    fetch(`${opts.server}/v1/surveys/${encodeURIComponent(id)}/config`, { credentials: 'omit' }).then((r) => {
      if (!r.ok) throw new Error(`survey ${id}: HTTP ${r.status}`);
      return r.json();
    }),
    'config',
  ).catch((e) => {
    delete configs[id];
    throw e;
  }));
}

// ---- decide ----------------------------------------------------------------------------

async function evaluate(id: string, forced: boolean): Promise<void> {
  if (open) return;
  // Debug mode decides with the build that also explains: the reason, and every field at
  // fault in a bad visitor state (web/eligibility_bindings.cpp); the same verdicts.
  const name = opts.debug ? 'nps-elig-debug' : 'nps-elig';
  const [survey, elig] = await Promise.all([config(id), forced ? core(name) : idle().then(() => core(name))]);
  if (open) return;
  const d = invoke<Decision>(elig, 'eligibility.decide', {
    survey,
    visitor: load().visitor,
    page: { url: location.href, device: device(), now: Date.now(), forced },
  });
  log(`${id}: ${d.verdict} (${d.code}) — ${d.reason}`);
  emit('decision', { survey: id, ...d });
  // Still waiting for the trigger already armed on this page (an identify or track while a
  // delay runs): keep it, so its clock does not start again. A new page disarms first.
  if (d.wait_for && disarm) return;
  disarm?.();
  if (d.verdict === 'show') await show(id, survey);
  else if (d.wait_for) arm(d.wait_for, () => void show(id, survey)); // only a wait names one
}

function run(id: string | undefined, forced = false): void {
  if (!id) return;
  evaluate(id, forced).catch((e) => log(`${id}: not evaluated — ${e.message}`));
}

// ---- triggers: only "when" to show what the core already decided to show --------------

function arm(w: NonNullable<Decision['wait_for']>, fire: () => void): void {
  let done = false;
  const offs: (() => void)[] = [];
  const go = () => {
    if (done) return;
    done = true;
    disarm?.();
    fire();
  };
  // Capturing: scroll events of inner elements do not bubble.
  const on = (t: EventTarget, ev: string, f: (e: MouseEvent) => void) => {
    t.addEventListener(ev, f as EventListener, { passive: true, capture: true });
    offs.push(() => t.removeEventListener(ev, f as EventListener, true));
  };
  // Armed before any check below can fire it (a page already scrolled far enough).
  disarm = () => {
    offs.forEach((f) => f());
    disarm = undefined;
  };
  if (w.type === 'page_load') {
    const t = setTimeout(go, w.delay_seconds! * 1000); // no delay: NaN, i.e. at once
    offs.push(() => clearTimeout(t));
  } else if (w.type === 'scroll') {
    // The depth of whatever scrolls: the document, or an element at least half the window
    // tall (pages that scroll their body or a main column). A page with nothing to scroll
    // has been read to the end: at once.
    const check = (e?: Event) => {
      const t = e && e.target;
      const el = t instanceof Element ? t : document.scrollingElement!;
      const h = el.scrollHeight - el.clientHeight;
      if (h > 0 ? el.clientHeight * 2 >= innerHeight && (el.scrollTop / h) * 100 >= w.scroll_percent! : !e && document.body.scrollHeight <= innerHeight) go();
    };
    on(document, 'scroll', check);
    check();
  } else if (w.type === 'exit_intent') {
    on(document, 'mouseout', (m) => {
      if (!m.relatedTarget && m.clientY <= 0) go();
    });
  }
}

// ---- show ------------------------------------------------------------------------------

async function show(id: string, survey: unknown): Promise<void> {
  if (open) return;
  open = true;
  const now = Date.now();
  try {
    const [widget, flow] = await Promise.all([
      withTimeout(import(/* @vite-ignore */ opts.base + 'nps-widget.js'), 'widget'),
      core('nps-flow'),
    ]);
    // What showing, answering or dismissing changes in the visitor is the core's rule
    // (visitor.record); a visitor it refuses is left as it is, and never stops an answer.
    const record = (event: string) => {
      try {
        update((s) => (s.visitor = invoke<{ visitor: Visitor }>(flow, 'visitor.record', { visitor: s.visitor, survey: id, event, now: Date.now() }).visitor));
      } catch (e) {
        log(`${id}: ${(e as Error).message}`);
      }
    };
    record('shown');
    // Instantiating the module and its first call are separate tasks, each shorter.
    await new Promise((r) => setTimeout(r));
    const v = load().visitor;
    emit('show', { survey: id });
    await widget.mount({
      survey,
      flow: (op: string, input: unknown) => invoke(flow, op, input),
      start: {
        idempotency_key: uuid(),
        languages: opts.lang ? [opts.lang] : [...navigator.languages],
        channel: 'web',
        ...(v.identified ? { respondent_id: v.visitor_id } : {}),
        attributes: v.attributes || {},
        page: location.href,
        device: device(),
        client_time: now,
      },
      nonce: opts.nonce,
      server: opts.server,
      container: opts.container,
      send(kind: 'create' | 'update', response: Record<string, unknown>) {
        const url = `${opts.server}/v1/surveys/${encodeURIComponent(id)}/responses`;
        if (kind === 'create') {
          enqueue('POST', url, response);
          record('answered');
        } else {
          const { comment = null, answers = null, score } = response;
          enqueue('PATCH', `${url}/${encodeURIComponent(String(response.idempotency_key))}`, { comment, answers, score });
        }
        emit('response', response);
      },
      closed(dismissed: boolean) {
        open = false;
        if (dismissed) record('dismissed');
        emit(dismissed ? 'dismiss' : 'close', { survey: id });
      },
    });
  } catch (e) {
    open = false;
    log(`${id}: not shown — ${(e as Error).message}`);
  }
}

// ---- commands --------------------------------------------------------------------------

export function command(name: string, ...a: unknown[]): void {
  switch (name) {
    case 'init':
      Object.assign(opts, a[0]);
      if (!started) start();
      return;
    case 'identify': {
      const who = (a[0] || {}) as { id?: string; email?: string; attributes?: Record<string, unknown> };
      update((s) => {
        const v: Visitor = s.visitor;
        if (who.id) v.visitor_id = String(who.id);
        v.identified = !!who.id || v.identified;
        v.attributes = { ...v.attributes, ...who.attributes, ...(who.email ? { email: who.email } : {}) };
      });
      return run(opts.survey);
    }
    case 'track':
      update((s) => {
        const c = (s.visitor.event_counts ||= {});
        c[String(a[0])] = (c[String(a[0])] || 0) + 1;
      });
      return run(opts.survey);
    case 'show':
      return run((a[0] as string) || opts.survey, true);
    case 'on':
      (handlers[String(a[0])] ||= []).push(a[1] as Handler);
      return;
    case 'page':
      return page();
    case 'reset':
      disarm?.();
      clear();
      load();
      return;
    default:
      log(`unknown command ${name}`);
  }
}

// A new page (load, or a route change in a single-page app): count it, evaluate again.
function page(): void {
  if (location.href === lastUrl) return;
  lastUrl = location.href;
  update((s) => {
    s.visitor.page_views = (s.visitor.page_views || 0) + 1;
    s.visitor.first_seen ||= Date.now();
  });
  disarm?.();
  run(opts.survey);
}

// ---- start -----------------------------------------------------------------------------

export function configure(o: Options): void {
  Object.assign(opts, o);
  // The server is known from here on, also for calls queued before the script arrived and
  // replayed before start() (an early identify must not ask "undefined/v1/...").
  opts.server = (opts.server || new URL(opts.base || location.href).origin).replace(/\/$/, '');
  // Debug mode too, before any decision: it chooses the eligibility module.
  if (/[?&]nps_debug=1/.test(location.search)) opts.debug = true;
}

export function begin(): void {
  if (!started) start();
}

function start(): void {
  started = true;
  configure({});
  // Route changes: the Navigation API where there is one, else history and hash events.
  const nav = (window as unknown as { navigation?: EventTarget }).navigation;
  if (nav) nav.addEventListener('currententrychange', page);
  addEventListener('popstate', page);
  addEventListener('hashchange', page);
  addEventListener('online', () => void flush(true));
  void flush(); // answers left from an earlier page
  page();
}
