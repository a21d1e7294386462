// The OpenNPS dashboard: the shell (sign-in, navigation, language) around the page the URL
// names. Statistics come from the server (the core computes them); the pages only draw them.
// Every text node is created with textContent (through h()), never innerHTML, so a comment can
// never become markup.
//
// The pages are listed in pages.ts (one file each); what they share is in app.ts; the texts
// and their formatting in i18n.ts (one file per language in i18n/).
import {
  Chart, BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler,
  Tooltip, Legend,
} from 'chart.js';
import { t, setLang, chooseLang, useNegotiator, languages, lang, type Lang } from './i18n';
import { configure, core, invoke } from '../src/loader';
import { h } from './dom';
import { api, ApiError, can, failure, empty, go, params, state } from './app';
import { pages } from './pages';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Filler,
  Tooltip, Legend);

// ---- shell -----------------------------------------------------------------------------

function langPicker() {
  return h('label', { class: 'lang' }, t('language') + ' ',
    h('select', { 'data-test': 'lang', onchange: (e: Event) => { setLang((e.target as HTMLSelectElement).value as Lang); go({ lang: lang() }, true); } },
      ...languages.map((l) => h('option', { value: l.code, selected: l.code === lang() }, l.name))));
}

function signInView() {
  const err = h('p', { class: 'error', role: 'alert' });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', id: 'email' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', id: 'password' });
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', id: 'token' });
  const form = h('form', { class: 'card signin', onsubmit: async (e: Event) => {
    e.preventDefault();
    err.textContent = '';
    try {
      const body = token.value ? { token: token.value } : { email: email.value, password: password.value };
      const r = await api('POST', '/v1/auth/login', body);
      state.csrf = r.csrf_token; state.me = r;
      render();
    } catch (x) { err.textContent = t('labelled', { label: t('signin_failed'), value: (x as Error).message }); }
  } },
  h('h1', {}, t('app')),
  h('label', { for: 'email' }, t('email')), email,
  h('label', { for: 'password' }, t('password')), password,
  h('p', { class: 'muted' }, t('or_token')),
  h('label', { for: 'token' }, t('token')), token,
  h('button', { type: 'submit', 'data-test': 'signin' }, t('signin')), err, langPicker());
  return h('main', { class: 'center' }, form);
}

function shell(view: string, content: HTMLElement) {
  const nav = h('nav', { 'aria-label': 'main' },
    ...pages.filter((v) => can(v.role) && v.nav !== false).map((v) =>
      h('a', { href: '#', 'data-view': v.id, 'aria-current': v.id === view ? 'page' : undefined,
        onclick: (e: Event) => { e.preventDefault(); go({ view: v.id, item: null }); } }, t(v.key))));
  const header = h('header', {},
    h('strong', { class: 'brand' }, t('app')), nav,
    h('span', { class: 'who', 'data-test': 'who' }, `${state.me!.email} · ${t(`role_${state.me!.role}`)}`),
    langPicker(),
    h('button', { class: 'link', 'data-test': 'signout', onclick: async () => {
      try { await api('POST', '/v1/auth/logout'); } catch { /* signed out anyway */ }
      state.me = null; state.csrf = ''; void render();
    } }, t('signout')));
  const title = pages.find((v) => v.id === view);
  return h('div', { class: 'shell' }, header, h('main', { id: 'main', 'aria-busy': 'false' }, title && h('h1', { class: 'page-title' }, t(title.key)), content));
}

// ---- start -----------------------------------------------------------------------------

const app = () => document.getElementById('app')!;
let rendering = 0;
async function render() {
  const mine = ++rendering;
  for (const c of state.charts) c.destroy();
  state.charts = [];
  state.stream?.close(); state.stream = null;
  const p = params();
  setLang(chooseLang(p.get('lang'), navigator.languages));
  document.title = t('app');
  if (!state.me) {
    try { const r = await api('GET', '/v1/auth/me'); state.me = r; state.csrf = r.csrf_token ?? ''; }
    catch { app().replaceChildren(signInView()); return; }
  }
  try { state.surveys = (await api('GET', '/v1/admin/surveys')).items; } catch (x) { app().replaceChildren(failure(x)); return; }
  const asked = pages.find((v) => v.id === (p.get('view') ?? 'overview'));
  // A page the role may not see (a link from a colleague): the overview, and a word on why.
  const refused = asked && !can(asked.role) ? asked : null;
  const page = asked && !refused ? asked : pages[0];
  if (!p.get('survey') && state.surveys.length) {
    const first = state.surveys.find((s) => !s.archived)?.id ?? state.surveys[0].id;
    history.replaceState(null, '', `?${new URLSearchParams({ ...Object.fromEntries(p), survey: first })}`);
    return render();
  }
  // While the page's data loads, the page on screen is the old one: say so to assistive
  // technology (aria-busy on the main region), and clear it once the new page is drawn.
  document.getElementById('main')?.setAttribute('aria-busy', 'true');
  let content: HTMLElement;
  try {
    content = !state.surveys.length && page.survey ? empty('no_surveys') : await page.draw(p);
  } catch (x) {
    if (x instanceof ApiError && x.status === 401) { state.me = null; return render(); }
    content = failure(x);
  }
  if (mine !== rendering) return;
  if (refused) {
    content.prepend(h('p', { class: 'warn', role: 'status', 'data-test': 'refused' },
      t('refused_page', { page: t(refused.key), role: t(`role_${refused.role}`), yours: t(`role_${state.me!.role}`) })));
  }
  app().replaceChildren(shell(page.id, content));
  document.body.dataset.ready = page.id;
}
state.render = render;
// The browser's Back and Forward: the URL is the page's state, so draw the page it names.
addEventListener('popstate', () => void render());

// The language is the core's choice (i18n.negotiate in the nps-survey module, which the
// survey editor loads anyway): fetched once, before the first page is drawn.
async function start() {
  configure({ base: `${location.origin}/` });
  try {
    const c = await core('nps-survey');
    const available = languages.map((l) => l.code);
    useNegotiator((requested) => invoke<string>(c, 'i18n.negotiate', { requested, available, fallback: 'en' }));
  } catch (x) {
    console.warn('dashboard: the core did not load; the language is English unless ?lang= names one exactly', x);
  }
  await render();
}
void start();

