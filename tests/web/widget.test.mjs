// The widget end to end: a real npsd, host pages on another origin, Debian's chromium.
// Answers with the mouse, the keyboard only and a phone's touch; offline and back; a
// hostile host stylesheet; a strict CSP; axe-core; layout shift and long tasks; the demo
// page; an inline survey; a config that never comes (timeout); the delay, scroll and
// exit-intent triggers; screenshots (desktop, phone, RTL, dark, inline) into tests/artifacts/.
//   node tests/web/widget.test.mjs [--npsd build/native/backend/npsd]
import { artifact, axeSource, browser, check, done, perfObserver, snippet, startHost, startNpsd } from './harness.mjs';

const npsd = await startNpsd();
const pages = {};
const host = await startHost(pages);
const base = `${host.origin}/s`;
const { b, close } = await browser();
const perf = [];

const survey = (id, extra = {}) =>
  npsd.survey({
    id,
    product: 'Acme',
    allowed_origins: [host.origin, npsd.url],
    followup: {
      detractor: {
        questions: [
          { id: 'fix', type: 'single', text: { en: 'What should we fix first?' },
            options: [{ id: 'speed', label: { en: 'Speed' } }, { id: 'price', label: { en: 'Price' } }] },
        ],
      },
      promoter: { thanks_link: { url: 'https://reviews.example/acme', append_score: true, label: { en: 'Leave a review' } } },
    },
    ...extra,
  });
await survey('web');
await survey('dark', { theme: { mode: 'dark', position: 'center', accent: '#0f7b6c', category_colors: true } });
await survey('demo');
await survey('counted');
await survey('qualified', {
  qualify: {
    question: { id: 'bought', type: 'single', text: { en: 'Did you buy something this month?' },
      options: [{ id: 'yes', label: { en: 'Yes, I did' } }, { id: 'no', label: { en: 'Not yet' } }] },
    accept: ['yes'],
  },
});
await survey('event', { targeting: { trigger: { type: 'event', event: 'checkout_completed', count: 1 } } });
await survey('spa', { targeting: { urls: [{ match: 'contains', pattern: '/pricing' }] } });

const page = (name, { body = '', head = '', csp, surveyId = 'web', extra = '', nonce, lang } = {}) => {
  let s = snippet({ base, server: npsd.url, survey: surveyId, extra, nonce });
  if (lang) s = s.replace('data-survey=', `data-lang="${lang}" data-survey=`);
  pages[name] = {
    csp,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${name}</title>${head}</head><body><h1>Host page ${name}</h1><p>Some text of the host.</p>
<button id="before">A host button</button>${body}<div style="height:1400px"></div>${s}</body></html>`,
  };
  return `${host.origin}/p/${name}`;
};

async function open(url, options = {}) {
  const ctx = await b.newContext(options);
  await ctx.addInitScript(perfObserver);
  const p = await ctx.newPage();
  const logs = [];
  const requests = [];
  p.on('console', (m) => logs.push(m.text()));
  p.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  p.on('request', (r) => requests.push(r.url()));
  await p.goto(url);
  return { ctx, p, logs, requests };
}
const dialog = (p) => p.locator('[data-opennps] .nps');
const waitFor = async (fn, ms = 8000) => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
};
const shot = async (p, name) => { await p.waitForTimeout(400); await p.screenshot({ path: artifact(name) }); }; // after the fade-in
const byKey = async (id, pred) => (await npsd.responses(id)).filter(pred);
async function measure(name, p) {
  const m = await p.evaluate(() => window.__perf);
  perf.push({ name, ...m });
  check(m.shift === 0, `${name}: no layout shift on the host`, `shift ${m.shift}`);
}

// ---- the README's snippet: no data-server, an identify queued before the script -------
{
  pages.readme = {
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>readme</title></head><body><h1>Shop</h1>
<script>window.nps=window.nps||function(){(nps.q=nps.q||[]).push(arguments)};nps('identify',{id:'u-readme'});</script>
<script async src="${npsd.url}/nps.js" data-survey="web"></script></body></html>`,
  };
  const { ctx, p, requests } = await open(`${host.origin}/p/readme`, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const configs = requests.filter((u) => u.includes('/config'));
  check(configs.length > 0 && configs.every((u) => u.startsWith(`${npsd.url}/v1/surveys/web/config`)),
    'readme snippet: the server is where nps.js came from, also for the identify replayed early', configs.join(' '));
  await ctx.close();
}

// ---- a module that fails to load once is loaded again on the next page ---------------
{
  const url = page('retry', { extra: `nps('identify',{id:'u-retry'});` });
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  let failedOnce = false;
  await p.route('**/nps-elig.wasm', (route) => {
    if (failedOnce) return route.continue();
    failedOnce = true;
    return route.abort('connectionreset');
  });
  await p.goto(url);
  await p.waitForTimeout(1500);
  check(failedOnce && (await p.locator('[data-opennps]').count()) === 0, 'retry: no survey while the eligibility module failed to load');
  await p.evaluate(() => history.pushState({}, '', '?next-page')); // a single-page app's route change
  await dialog(p).waitFor({ timeout: 8000 }).catch(() => {});
  check((await p.locator('[data-opennps]').count()) === 1, 'retry: on the next page the module is loaded again and the survey shows');
  await ctx.close();
}

// ---- mouse, desktop ------------------------------------------------------------------
{
  const url = page('mouse', {
    extra: `nps('identify',{id:'u-mouse',attributes:{plan:'pro'}});nps('on','response',function(r){window.__got=(window.__got||[]).concat(r.score)});`,
  });
  const { ctx, p, logs, requests } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  check((await p.locator('[data-opennps]').count()) === 1, 'mouse: one widget');
  const radios = p.getByRole('radio');
  check((await radios.count()) === 11, 'mouse: 11 radios in the group');
  check((await p.getByRole('radiogroup').count()) === 1, 'mouse: a radiogroup');
  check((await p.getByRole('radio', { name: '7 out of 10' }).count()) === 1, 'mouse: radios labelled "N out of 10"');
  const focused = await p.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.getAttribute('aria-label'));
  check(focused === '0 out of 10', 'mouse: focus moved into the dialog', String(focused));
  await p.addScriptTag({ content: axeSource });
  const axeScore = await p.evaluate(async () => (await window.axe.run({ include: [['[data-opennps]']] })).violations.map((v) => `${v.id}: ${v.nodes.length}`));
  check(axeScore.length === 0, 'axe: no violations at the score step', axeScore.join(', '));
  await shot(p, 'desktop-score.png');
  await p.locator('[data-opennps] label.opt').nth(9).click();
  await p.locator('[data-opennps] textarea').waitFor();
  const axeFollow = await p.evaluate(async () => (await window.axe.run({ include: [['[data-opennps]']] })).violations.map((v) => `${v.id}: ${v.nodes.length}`));
  check(axeFollow.length === 0, 'axe: no violations at the follow-up', axeFollow.join(', '));
  const created = await waitFor(async () => (await byKey('web', (r) => r.respondent_id === 'u-mouse')).length === 1);
  check(created, 'mouse: the score was POSTed the moment it was chosen');
  await p.locator('[data-opennps] textarea').fill('Fast search');
  await p.getByRole('button', { name: 'Send' }).click();
  await p.getByText('Leave a review').waitFor();
  check((await p.getByRole('link', { name: 'Leave a review' }).getAttribute('href')).includes('nps_score=9'), 'mouse: thank-you link carries the score');
  await shot(p, 'desktop.png');
  const axeThanks = await p.evaluate(async () => (await window.axe.run({ include: [['[data-opennps]']] })).violations.map((v) => v.id));
  check(axeThanks.length === 0, 'axe: no violations at the thank-you', axeThanks.join(', '));
  await p.getByRole('button', { name: 'Close' }).first().click();
  check((await p.locator('[data-opennps]').count()) === 0, 'mouse: closed');
  const got = await waitFor(async () => {
    const rs = await byKey('web', (r) => r.respondent_id === 'u-mouse');
    return rs.length === 1 && rs[0].comment === 'Fast search' ? rs[0] : null;
  });
  check(got && got.score === 9 && got.attributes?.plan === 'pro' && got.channel === 'web' && got.device === 'desktop',
    'mouse: admin API has score 9, comment, attributes, respondent', JSON.stringify(got));
  check(JSON.stringify(await p.evaluate(() => window.__got)) === '[9,9]', "mouse: nps('on','response') queued before load fired for create and update", JSON.stringify(await p.evaluate(() => window.__got)));
  check(!(await p.evaluate(() => Object.keys(window).filter((k) => /nps|opennps/i.test(k) && k !== 'nps' && k !== '__got' && k !== '__perf').length)), 'mouse: no globals but nps');
  check((await p.evaluate(() => document.querySelectorAll('style,link[rel=stylesheet]').length)) === 0, 'mouse: no style added to the host document');
  await measure('mouse', p);
  // The next page: the core says answered_recently, and debug mode says why.
  await p.goto(url + '?nps_debug=1');
  const reason = await waitFor(() => logs.find((l) => l.includes('answered_recently')));
  check(!!reason && /answered today; resurvey after \d+ days/.test(reason), 'debug: the core\'s reason is logged', reason);
  check((await p.locator('[data-opennps]').count()) === 0, 'after answering: not shown again');
  // Pages load the eligibility module without sentences; debug mode the one that explains.
  const wasm = (name) => requests.filter((u) => new URL(u).pathname.endsWith('/' + name)).length;
  check(wasm('nps-elig.wasm') >= 1 && wasm('nps-elig-debug.wasm') === 1,
    'debug: nps-elig on a plain page, nps-elig-debug only in debug mode', `${wasm('nps-elig.wasm')} ${wasm('nps-elig-debug.wasm')}`);
  // An attribute the core refuses (an object): debug mode names the field in the core's words.
  await p.evaluate(() => window.nps('identify', { id: 'u-mouse', attributes: { plan: { tier: 'gold' } } }));
  const refused = await waitFor(() => logs.find((l) => l.includes('visitor.attributes.plan')));
  check(!!refused && refused.includes('expected a string, number, boolean or an array of them, got an object'),
    'debug: a refused attribute is named with the core\'s words', refused ?? logs.slice(-3).join(' | '));
  await ctx.close();
}

// ---- keyboard only ---------------------------------------------------------------------
{
  const url = page('keys', { extra: `nps('identify',{id:'u-keys'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const active = () => p.evaluate(() => { const a = document.activeElement?.shadowRoot?.activeElement; return a ? a.getAttribute('aria-label') || a.textContent || a.tagName : null; });
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  check((await active()) === '3 out of 10', 'keys: arrows move the focus', await active());
  check((await p.locator('[data-opennps] input:checked').count()) === 0, 'keys: arrows do not select');
  await p.keyboard.press('ArrowLeft');
  await p.keyboard.press('End');
  check((await active()) === '10 out of 10', 'keys: End goes to 10');
  await p.keyboard.press('Home');
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('ArrowRight');
  await p.keyboard.press('Space');
  await p.locator('[data-opennps] textarea').waitFor();
  check((await active()) === 'TEXTAREA', 'keys: focus moves to the follow-up');
  // The follow-up holds the core's 5,000 characters, counted as the core counts them: 5,000
  // emoji (10,000 UTF-16 units) fit, the 5,001st does not.
  const area = p.locator('[data-opennps] textarea');
  await area.fill('😀'.repeat(5001));
  const kept = await area.evaluate((t) => Array.from(t.value));
  check(kept.length === 5000 && kept.every((c) => c === '😀'), 'keys: the follow-up keeps 5,000 characters of emoji, whole', String(kept.length));
  await area.fill('');
  await p.keyboard.type('Too slow');
  const tabTo = async (label) => { for (let i = 0; i < 8 && (await active()) !== label; i++) await p.keyboard.press('Tab'); return (await active()) === label; };
  check(await tabTo('Next'), 'keys: Tab reaches Next');
  await p.keyboard.press('Enter');
  await p.getByText('What should we fix first?').waitFor();
  await p.keyboard.press('Space');
  check(await tabTo('Send'), 'keys: Tab reaches Send');
  await p.keyboard.press('Enter');
  await p.getByRole('button', { name: 'Close' }).first().waitFor();
  await p.keyboard.press('Escape');
  check((await p.locator('[data-opennps]').count()) === 0, 'keys: Escape closes');
  const r = await waitFor(async () => { const rs = await byKey('web', (x) => x.respondent_id === 'u-keys'); return rs.length === 1 && rs[0].answers ? rs[0] : null; });
  check(r && r.score === 3 && r.comment === 'Too slow' && r.answers?.fix === 'speed', 'keys: score 3, comment and answer stored', JSON.stringify(r));
  // What showing and answering changed in the visitor, recorded by the core (visitor.record).
  const v = await p.evaluate(() => JSON.parse(localStorage.getItem('opennps')).visitor);
  const h = v.surveys?.web ?? {};
  check(h.last_shown > 0 && h.last_answered >= h.last_shown && v.last_survey_shown === h.last_shown && !h.last_dismissed,
    'keys: shown and answered times remembered, the close after answering is no dismissal', JSON.stringify(v));
  await measure('keys', p);
  await ctx.close();
}

// ---- Escape dismisses, focus returns ---------------------------------------------------
{
  const url = page('escape', { body: '<script>document.getElementById("before").focus()</script>' });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor(); // the host had focused #before while the page loaded
  await p.keyboard.press('Escape');
  check((await p.locator('[data-opennps]').count()) === 0, 'escape: dismissed');
  check((await p.evaluate(() => document.activeElement?.id)) === 'before', 'escape: focus back on the host element');
  const state = await p.evaluate(() => JSON.parse(localStorage.getItem('opennps')).visitor.surveys.web);
  check(!!state.last_dismissed, 'escape: dismissal remembered in the one localStorage key');
  await ctx.close();
}

// ---- the funnel: the widget counts the survey shown and dismissed (issue 19) -------------
{
  const funnel = async () => (await npsd.admin('GET', '/v1/admin/surveys/counted/funnel')).channels.find((c) => c.channel === 'web');
  const url = page('counted', { surveyId: 'counted' });
  const { ctx, p, requests } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const shown = await waitFor(async () => (await funnel())?.shown === 1);
  check(shown, 'funnel: the survey drawn is counted once as shown', JSON.stringify(await funnel()));
  await p.keyboard.press('Escape');
  const dismissed = await waitFor(async () => (await funnel())?.dismissed === 1);
  check(dismissed, 'funnel: closing it without an answer is counted as dismissed', JSON.stringify(await funnel()));
  const beacons = requests.filter((u) => u.includes('/impressions'));
  check(beacons.length === 2 && beacons.every((u) => u === `${npsd.url}/v1/surveys/counted/impressions`),
    'funnel: two beacons to npsd, nothing about who in the URL', beacons.join(' '));
  await ctx.close();
}

// ---- a qualifying question before the score (issue 19): only those who qualify are asked --
{
  const url = page('qualify-no', { surveyId: 'qualified', extra: `nps('identify',{id:'u-qualify-no'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await p.getByText('Did you buy something this month?').waitFor();
  check((await p.getByRole('radio', { name: '7 out of 10' }).count()) === 0, 'qualify: the question comes before the score');
  await p.getByText('Not yet').click();
  await p.getByRole('button', { name: 'Next' }).click();
  const gone = await waitFor(async () => (await p.locator('[data-opennps]').count()) === 0);
  check(gone, 'qualify: an answer that does not qualify closes the survey');
  const state = await p.evaluate(() => JSON.parse(localStorage.getItem('opennps')).visitor.surveys.qualified);
  check(!!state.last_dismissed && !state.last_answered, 'qualify: remembered as declined (the wait after a dismissal applies)', JSON.stringify(state));
  await ctx.close();
}
{
  const url = page('qualify-yes', { surveyId: 'qualified', extra: `nps('identify',{id:'u-qualify-yes'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await p.getByText('Did you buy something this month?').waitFor();
  await p.getByText('Yes, I did').click();
  await shot(p, 'widget-qualify-desktop.png');
  await p.getByRole('button', { name: 'Next' }).click();
  await p.getByRole('radio', { name: '9 out of 10' }).waitFor();
  await p.locator('[data-opennps] label.opt').nth(9).click();
  const r = await waitFor(async () => (await byKey('qualified', (x) => x.respondent_id === 'u-qualify-yes'))[0]);
  check(r && r.score === 9 && r.answers?.bought === 'yes', 'qualify: a qualifying answer leads to the score, stored with the answer', JSON.stringify(r));
  const none = await byKey('qualified', (x) => x.respondent_id === 'u-qualify-no');
  check(none.length === 0, 'qualify: nothing was stored for the one who did not qualify');
  await ctx.close();
}

// ---- phone: touch, bottom sheet --------------------------------------------------------
{
  const url = page('phone', { extra: `nps('identify',{id:'u-phone'});` });
  const { ctx, p } = await open(url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await dialog(p).waitFor();
  const box = await p.locator('[data-opennps]').boundingBox();
  check(box && box.width === 390 && Math.abs(box.y + box.height - 844) < 1, 'phone: a bottom sheet across the screen', JSON.stringify(box));
  await shot(p, 'phone.png');
  await p.locator('[data-opennps] label.opt').nth(10).tap();
  await p.locator('[data-opennps] textarea').tap();
  await p.locator('[data-opennps] textarea').fill('Works on my phone');
  await p.getByRole('button', { name: 'Send' }).tap();
  await p.getByText('Leave a review').waitFor();
  await shot(p, 'phone-thanks.png');
  const r = await waitFor(async () => { const rs = await byKey('web', (x) => x.respondent_id === 'u-phone'); return rs[0]?.comment ? rs[0] : null; });
  check(r && r.score === 10 && r.device === 'mobile' && r.comment === 'Works on my phone', 'phone: stored with device mobile', JSON.stringify(r));
  await measure('phone', p);
  await ctx.close();
}

// ---- offline, then online: exactly once -------------------------------------------------
{
  const url = page('offline', { extra: `nps('identify',{id:'u-offline'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  await ctx.setOffline(true);
  await p.locator('[data-opennps] label.opt').nth(8).click();
  await p.locator('[data-opennps] textarea').fill('Written offline');
  await p.getByRole('button', { name: 'Send' }).click();
  await p.getByRole('button', { name: 'Close' }).first().click();
  const queued = await p.evaluate(() => JSON.parse(localStorage.getItem('opennps')).queue.length);
  check(queued === 2, 'offline: POST and PATCH kept in the local queue', String(queued));
  check((await byKey('web', (x) => x.respondent_id === 'u-offline')).length === 0, 'offline: nothing reached the server');
  await ctx.setOffline(false);
  const r = await waitFor(async () => { const rs = await byKey('web', (x) => x.respondent_id === 'u-offline'); return rs.length && rs[0].comment ? rs : null; });
  check(r && r.length === 1 && r[0].score === 8 && r[0].comment === 'Written offline', 'offline: back online, stored exactly once', JSON.stringify(r));
  check((await p.evaluate(() => JSON.parse(localStorage.getItem('opennps')).queue.length)) === 0, 'offline: queue empty');
  // A retry of what already arrived (a lost 201) never counts twice.
  await p.evaluate(() => { const s = JSON.parse(localStorage.getItem('opennps')); s.queue = window.__sent || []; localStorage.setItem('opennps', JSON.stringify(s)); });
  await ctx.close();
}

// ---- offline, then the next page ------------------------------------------------------
{
  const url = page('nextpage', { extra: `nps('identify',{id:'u-next'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  await ctx.setOffline(true);
  await p.locator('[data-opennps] label.opt').nth(6).click();
  await p.locator('[data-opennps] textarea').waitFor();
  const q = await p.evaluate(() => localStorage.getItem('opennps'));
  // Duplicate the queued POST: the idempotency key must make the copy harmless.
  await p.evaluate(() => { const s = JSON.parse(localStorage.getItem('opennps')); s.queue.push({ ...s.queue[0], t: 0 }); localStorage.setItem('opennps', JSON.stringify(s)); });
  await ctx.setOffline(false);
  await p.route('**/v1/surveys/**', (route) => route.abort()); // this page never gets through
  await p.goto(url); // … the next page does
  await p.unroute('**/v1/surveys/**');
  await p.reload();
  const r = await waitFor(async () => { const rs = await byKey('web', (x) => x.respondent_id === 'u-next'); return rs.length ? rs : null; });
  await new Promise((res) => setTimeout(res, 500));
  const all = await byKey('web', (x) => x.respondent_id === 'u-next');
  check(r && all.length === 1 && all[0].score === 6, 'next page: sent from the queue once, a duplicate retry not counted', JSON.stringify(all) + q.length);
  await ctx.close();
}

// ---- hostile host CSS -------------------------------------------------------------------
{
  const hostile = `<style>*{all:unset!important}button{display:none!important}div{z-index:2147483647!important;position:relative!important}
  .cover{position:fixed!important;top:0;left:0;width:100%;height:60px;background:red;z-index:99999999!important;display:block!important}
  :root{--nps-bg:red}</style>`;
  const url = page('hostile', { head: hostile, body: '<div class="cover">sticky header</div>', extra: `nps('identify',{id:'u-hostile'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const look = await p.evaluate(() => {
    const hostEl = document.querySelector('[data-opennps]');
    const r = hostEl.getBoundingClientRect();
    const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    const sr = hostEl.shadowRoot;
    const btn = sr.querySelector('.bar button');
    const span = sr.querySelector('.opt span');
    return { onTop: top === hostEl, position: getComputedStyle(hostEl).position, btn: getComputedStyle(btn).display,
      bg: getComputedStyle(sr.querySelector('.nps')).backgroundColor, border: getComputedStyle(span).borderTopWidth, w: r.width };
  });
  check(look.onTop && look.position === 'fixed', 'hostile: the widget is on top and fixed', JSON.stringify(look));
  check(look.btn !== 'none' && look.bg === 'rgb(255, 255, 255)' && look.border === '1px', 'hostile: keeps its own styles', JSON.stringify(look));
  await shot(p, 'hostile.png');
  await p.locator('[data-opennps] label.opt').nth(7).click();
  await p.getByRole('button', { name: 'Send' }).click();
  const r = await waitFor(async () => (await byKey('web', (x) => x.respondent_id === 'u-hostile'))[0]);
  check(r && r.score === 7, 'hostile: answer stored');
  await measure('hostile', p);
  await ctx.close();
}

// ---- strict CSP with a nonce -------------------------------------------------------------
{
  const csp = `default-src 'none'; script-src 'nonce-n0nc3' ${host.origin} 'wasm-unsafe-eval'; connect-src ${npsd.url} ${host.origin}; style-src 'none'; img-src 'none'; base-uri 'none'; object-src 'none'`;
  const url = page('csp', { csp, nonce: 'n0nc3', extra: `nps('identify',{id:'u-csp'});` });
  pages.csp.html = pages.csp.html.replace('<div style="height:1400px"></div>', '');
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  const violations = [];
  p.on('console', (m) => /Content Security Policy|Refused/.test(m.text()) && violations.push(m.text()));
  await p.goto(url);
  await dialog(p).waitFor({ timeout: 10000 }).catch(() => {});
  check((await dialog(p).count()) === 1, 'csp: shown under a strict policy', violations.join(' | '));
  check(violations.length === 0, 'csp: no violation reported', violations.join(' | '));
  if (await dialog(p).count()) {
    await p.locator('[data-opennps] label.opt').nth(10).click();
    const r = await waitFor(async () => (await byKey('web', (x) => x.respondent_id === 'u-csp'))[0]);
    check(r && r.score === 10, 'csp: answer stored');
  }
  await ctx.close();
}

// ---- duplicate script tags, RTL, dark ----------------------------------------------------
{
  const url = page('twice', { extra: '' });
  pages.twice.html = pages.twice.html.replace('</body>', `<script async src="${base}/nps.js" data-survey="web" data-server="${npsd.url}"></script></body>`);
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  await new Promise((r) => setTimeout(r, 800));
  check((await p.locator('[data-opennps]').count()) === 1, 'two script tags: one widget');
  await ctx.close();
}
{
  const url = page('rtl', { lang: 'ar' });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const attrs = await dialog(p).evaluate((e) => [e.lang, e.dir]);
  check(attrs[0] === 'ar' && attrs[1] === 'rtl', 'rtl: lang and dir on the widget root', attrs.join());
  await p.keyboard.press('ArrowLeft');
  const f = await p.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.value);
  check(f === '1', 'rtl: ArrowLeft moves to the next score', f);
  await shot(p, 'rtl.png');
  await ctx.close();
}
{
  const url = page('dark', { surveyId: 'dark', body: '' });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
  await dialog(p).waitFor();
  await shot(p, 'dark.png');
  await p.locator('[data-opennps] label.opt').nth(2).click();
  await p.locator('[data-opennps] textarea').waitFor();
  await shot(p, 'dark-followup.png');
  await measure('dark', p);
  await ctx.close();
}

// ---- event trigger: nps('track') makes the core say show ---------------------------------
{
  const url = page('event', { surveyId: 'event' });
  const { ctx, p, logs } = await open(url + '?nps_debug=1', { viewport: { width: 1280, height: 800 } });
  const first = await waitFor(() => logs.find((l) => l.includes('event_count')));
  check(!!first && (await p.locator('[data-opennps]').count()) === 0, 'event: not shown before the event, with the core\'s reason', first);
  await p.evaluate(() => nps('track', 'checkout_completed'));
  await dialog(p).waitFor();
  check(true, "event: nps('track') → the core says show");
  await ctx.close();
}

// ---- single-page app: a route change re-evaluates URL rules ----------------------------
{
  const url = page('spa', { surveyId: 'spa' });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await p.waitForTimeout(1500);
  check((await p.locator('[data-opennps]').count()) === 0, 'spa: not shown off /pricing');
  await p.evaluate(() => history.pushState({}, '', '/p/spa/pricing'));
  await dialog(p).waitFor({ timeout: 8000 }).catch(() => {});
  check((await dialog(p).count()) === 1, 'spa: shown after pushState to /pricing');
  await ctx.close();
}

// ---- the demo page on npsd ----------------------------------------------------------------
{
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  await p.goto(`${npsd.url}/demo/`);
  await dialog(p).waitFor();
  check(true, 'demo: the widget shows on /demo/');
  await shot(p, 'demo.png');
  await ctx.close();
}

// ---- inline position: in the host's flow, not an overlay --------------------------------
await survey('inline', { theme: { position: 'inline' } });
{
  // The host's own layout, taken before the widget can arrive, to compare with after.
  const layout = `window.__layout=function(){var r=function(s){var e=document.querySelector(s);if(!e)return null;var b=e.getBoundingClientRect();return{x:b.x,y:b.y,w:b.width,h:b.height}};return{h1:r('h1'),pre:r('#pre'),slot:r('#slot'),after:r('#after'),sw:document.documentElement.scrollWidth}};window.__before=__layout();`;
  const body = `<p id="pre">Above the survey.</p><input id="search" aria-label="Search"><script>document.getElementById('search').focus()</script>
<section id="slot" data-nps-inline></section><p id="after">Below the survey.</p>`;
  const url = page('inline', { surveyId: 'inline', body, extra: `nps('identify',{id:'u-inline'});${layout}` });
  const { ctx, p, logs } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const got = await p.evaluate(() => {
    const el = document.querySelector('[data-opennps]');
    const b = el.getBoundingClientRect();
    const top = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
    return { parent: el.parentElement.id, pos: getComputedStyle(el).position, pinned: el.dataset.pos, box: { x: b.x, y: b.y, w: b.width, h: b.height },
      onTop: top === el, before: window.__before, after: window.__layout() };
  });
  const { before, after, box } = got;
  check(got.parent === 'slot' && got.pinned === 'inline' && got.pos === 'relative', 'inline: rendered inside [data-nps-inline], in the flow (not fixed)', JSON.stringify(got));
  check(JSON.stringify(after.h1) === JSON.stringify(before.h1) && JSON.stringify(after.pre) === JSON.stringify(before.pre),
    'inline: the host content above it does not move', JSON.stringify([before.pre, after.pre]));
  check(Math.abs(box.y - after.slot.y) < 1 && Math.abs(box.x - before.slot.x) < 1 && box.w <= before.slot.w && after.slot.w === before.slot.w,
    'inline: the block sits where the slot is and no wider', JSON.stringify([box, before.slot, after.slot]));
  // The slot grows by the block alone (no margin of its own), the content below follows it
  // at the host's own spacing. (An empty slot let the margins around it collapse, so the
  // content below moves by the block plus that margin: the host's CSS, not the widget's.)
  const gap = await p.evaluate(() => parseFloat(getComputedStyle(document.querySelector('#after')).marginTop));
  check(Math.abs(after.slot.h - box.h) < 1 && Math.abs(after.after.y - (after.slot.y + after.slot.h) - gap) < 1 && after.after.x === before.after.x && after.sw === before.sw,
    'inline: content below moves down by the block only, nothing sideways', JSON.stringify([before.after, after.after, after.slot, box.h, gap, before.sw, after.sw]));
  check(got.onTop, 'inline: the block is visible where it is drawn');
  // Part of the page, not a dialog over it: a visitor typing in the host goes on typing there,
  // and Tab reaches the block in the page's order.
  await p.keyboard.type('shoes');
  const typed = await p.evaluate(() => [document.activeElement.id, document.querySelector('#search').value]);
  check(typed[0] === 'search' && typed[1] === 'shoes', 'inline: does not take the focus from the host page', JSON.stringify(typed));
  await p.keyboard.press('Tab');
  check(await p.evaluate(() => document.activeElement === document.querySelector('[data-opennps]')), 'inline: Tab from the host reaches it');
  await shot(p, 'inline.png');
  // A page scrolled away from the block keeps it in place (it scrolls with the content).
  await p.evaluate(() => scrollTo(0, 200));
  const y2 = await p.locator('[data-opennps]').evaluate((e) => e.getBoundingClientRect().y);
  check(Math.abs(y2 - (box.y - 200)) < 1, 'inline: scrolls with the page', `${box.y} → ${y2}`);
  await p.evaluate(() => scrollTo(0, 0));
  await p.locator('[data-opennps] label.opt').nth(10).click();
  await p.locator('[data-opennps] textarea').fill('Inline works');
  await p.getByRole('button', { name: 'Send' }).click();
  await p.getByText('Leave a review').waitFor();
  const r = await waitFor(async () => { const rs = await byKey('inline', (x) => x.respondent_id === 'u-inline'); return rs[0]?.comment ? rs : null; });
  check(r && r.length === 1 && r[0].score === 10 && r[0].comment === 'Inline works', 'inline: answered, stored once', JSON.stringify(r));
  await p.getByRole('button', { name: 'Close' }).first().click();
  check((await p.locator('[data-opennps]').count()) === 0 && JSON.stringify(await p.evaluate(() => window.__layout().after)) === JSON.stringify(before.after),
    'inline: closed, the host layout is back as it was');
  check(!logs.some((l) => l.startsWith('pageerror')), 'inline: no page error', logs.join(' | '));
  await ctx.close();
}
{
  // The container given to init wins; [data-nps-inline] elsewhere is left alone.
  const body = `<div data-nps-inline id="other"></div><div id="mine"></div>`;
  const url = page('inline-init', { surveyId: 'inline', body, extra: `nps('init',{container:'#mine'});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor();
  const parent = await p.evaluate(() => document.querySelector('[data-opennps]').parentElement.id);
  check(parent === 'mine', "inline: nps('init', {container}) places it there", parent);
  await ctx.close();
}

// ---- load timeout: a config request that never answers -----------------------------------
{
  const url = page('timeout', {
    body: '<input id="host-input" aria-label="Host input"><script>document.getElementById("before").onclick=function(){window.__clicked=(window.__clicked||0)+1}</script>',
    extra: `nps('init',{timeout:1000});nps('on','decision',function(d){window.__decided=d});` });
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  const p = await ctx.newPage();
  const logs = [];
  p.on('console', (m) => logs.push(m.text()));
  p.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  let held = 0;
  await p.route('**/v1/surveys/*/config', () => { held++; }); // held open: never fulfilled
  await p.addInitScript(() => addEventListener('unhandledrejection', (e) => console.log(`unhandled: ${e.reason}`)));
  const t0 = Date.now();
  await p.goto(url + '?nps_debug=1');
  const msg = await waitFor(() => logs.find((l) => l.includes('[nps]') && /timed out/.test(l)), 6000);
  const took = Date.now() - t0;
  check(held >= 1 && !!msg && /config/.test(msg), 'timeout: the loader gives up on a config that never comes, and says so in debug', `${held} ${msg}`);
  check(took < 4000, 'timeout: after the init timeout (1 s), not the 10 s default', `${took} ms`);
  await p.waitForTimeout(300);
  check((await p.locator('[data-opennps]').count()) === 0 && !(await p.evaluate(() => window.__decided)), 'timeout: nothing shown, nothing decided');
  check(!logs.some((l) => /pageerror|unhandled/.test(l)), 'timeout: nothing thrown into the host page', logs.join(' | '));
  await p.fill('#host-input', 'still typing');
  await p.click('#before');
  const usable = await p.evaluate(() => [document.querySelector('#host-input').value, window.__clicked]);
  check(usable[0] === 'still typing' && usable[1] === 1, 'timeout: the host page stays usable', JSON.stringify(usable));
  await ctx.close();
}

// ---- trigger: page_load with a delay --------------------------------------------------------
// 4 s, with identify/track at 3 s: kept, it shows at 4 s; restarted, at 7 s or later. The
// 3 s between leave room for a loaded machine (with 2 s and 1.5 s it failed now and then).
await survey('delay', { targeting: { trigger: { type: 'page_load', delay_seconds: 4 } } });
{
  const url = page('delay', { surveyId: 'delay', extra: `nps('on','decision',function(d){window.__n=(window.__n||0)+1;window.__d=window.__d||[d.verdict,d.wait_for&&d.wait_for.type,performance.now()]});nps('on','show',function(){window.__s=performance.now()});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  const d = await waitFor(() => p.evaluate(() => window.__d));
  check(d && d[0] === 'wait' && d[1] === 'page_load', 'delay: the core says wait for page_load', JSON.stringify(d));
  await p.waitForTimeout(1000);
  check((await p.locator('[data-opennps]').count()) === 0, 'delay: not shown 1 s after the decision');
  // The host identifies the visitor and tracks an event while the delay runs: the core is
  // asked again and still says wait, and the delay already running is kept, not restarted.
  await p.waitForTimeout(2000);
  await p.evaluate(() => { nps('identify', { id: 'u-delay' }); nps('track', 'clicked'); });
  await dialog(p).waitFor({ timeout: 8000 });
  const s = await p.evaluate(() => window.__s);
  const n = await p.evaluate(() => window.__n);
  check(n >= 2 && s - d[2] >= 3950 && s - d[2] < 6500, 'delay: shown after delay_seconds (4 s), identify/track during it do not restart it',
    `${Math.round(s - d[2])} ms after the first of ${n} decisions`);
  await ctx.close();
}

// ---- trigger: scroll depth --------------------------------------------------------------------
await survey('scroll', { targeting: { trigger: { type: 'scroll', scroll_percent: 50 } } });
{
  const url = page('scroll', { surveyId: 'scroll', body: '<div style="height:3000px"></div>', extra: `nps('on','decision',function(d){window.__d=d.verdict});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  check((await waitFor(() => p.evaluate(() => window.__d))) === 'wait', 'scroll: the core says wait');
  const to = (pc) => p.evaluate((pc) => scrollTo(0, ((document.documentElement.scrollHeight - innerHeight) * pc) / 100), pc);
  await to(20);
  await p.mouse.wheel(0, 10); // a real wheel scroll too
  await p.waitForTimeout(500);
  check((await p.locator('[data-opennps]').count()) === 0, 'scroll: not shown at 20%');
  await to(45);
  await p.waitForTimeout(300);
  check((await p.locator('[data-opennps]').count()) === 0, 'scroll: not shown at 45%');
  await p.mouse.move(600, 400);
  for (let i = 0; i < 6; i++) await p.mouse.wheel(0, 200);
  await dialog(p).waitFor({ timeout: 4000 });
  const pc = await p.evaluate(() => Math.round((scrollY / (document.documentElement.scrollHeight - innerHeight)) * 100));
  check(pc >= 50, 'scroll: shown once scrolled past 50%', `${pc}%`);
  const box = await p.locator('[data-opennps]').boundingBox();
  check(box && box.y + box.height <= 800 && box.y > 0, 'scroll: shown in view, fixed to the viewport', JSON.stringify(box));
  await ctx.close();
}

// A page that scrolls its body, not the document (html{overflow:hidden} keeps the body's
// overflow from passing to the viewport): the document has nothing to scroll, yet the survey
// waits for the body's depth.
{
  const url = page('scroll-body', { surveyId: 'scroll', head: '<style>html{height:100%;overflow:hidden}body{height:100%;margin:0;overflow:auto}</style>',
    body: '<div id="small" style="height:100px;overflow:auto"><div style="height:2000px">a small scroller</div></div><div style="height:3000px"></div>',
    extra: `nps('on','decision',function(d){window.__d=d.verdict});` });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  check((await waitFor(() => p.evaluate(() => window.__d))) === 'wait', 'scroll (body scroller): the core says wait');
  await p.evaluate(() => { const s = document.getElementById('small'); s.scrollTop = s.scrollHeight; });
  await p.waitForTimeout(400);
  check((await p.locator('[data-opennps]').count()) === 0, 'scroll: a small inner scroller read to its end does not count');
  await p.waitForTimeout(800);
  check((await p.locator('[data-opennps]').count()) === 0, 'scroll (body scroller): not shown before any scrolling',
    `document scrollable by ${await p.evaluate(() => document.documentElement.scrollHeight - innerHeight)} px`);
  await p.evaluate(() => { document.body.scrollTop = (document.body.scrollHeight - document.body.clientHeight) * 0.3; });
  await p.waitForTimeout(400);
  check((await p.locator('[data-opennps]').count()) === 0, 'scroll (body scroller): not shown at 30%');
  await p.mouse.move(600, 400);
  for (let i = 0; i < 10; i++) await p.mouse.wheel(0, 200);
  await dialog(p).waitFor({ timeout: 4000 });
  const pc = await p.evaluate(() => Math.round((document.body.scrollTop / (document.body.scrollHeight - document.body.clientHeight)) * 100));
  check(pc >= 50, 'scroll (body scroller): shown once the body is scrolled past 50%', `${pc}%`);
  await ctx.close();
}
// A page with nothing to scroll has been read to the end: shown at once.
{
  const url = page('scroll-short', { surveyId: 'scroll', head: '<style>div[style*="1400px"]{display:none}</style>' });
  const { ctx, p } = await open(url, { viewport: { width: 1280, height: 800 } });
  await dialog(p).waitFor({ timeout: 8000 }).catch(() => {});
  check(await dialog(p).isVisible(), 'scroll (short page): shown without scrolling');
  await ctx.close();
}

// ---- trigger: exit intent -------------------------------------------------------------------
await survey('exit', { targeting: { trigger: { type: 'exit_intent' } } });
{
  const url = page('exit', { surveyId: 'exit', extra: `nps('on','decision',function(d){window.__d=[d.verdict,d.wait_for&&d.wait_for.type]});` });
  const { ctx, p, logs } = await open(url, { viewport: { width: 1280, height: 800 } });
  const d = await waitFor(() => p.evaluate(() => window.__d));
  check(d && d[0] === 'wait' && d[1] === 'exit_intent', 'exit: the core says wait for exit_intent', JSON.stringify(d));
  await p.mouse.move(640, 400);
  await p.mouse.move(640, 5, { steps: 4 }); // near the top, still inside
  await p.mouse.move(-20, 300, { steps: 2 }); // out through the left edge
  await p.mouse.move(640, 400, { steps: 2 });
  await p.mouse.move(640, 820, { steps: 3 }); // out through the bottom
  await p.waitForTimeout(500);
  check((await p.locator('[data-opennps]').count()) === 0, 'exit: not shown on load, nor leaving through the side or bottom');
  await p.mouse.move(640, 400, { steps: 2 });
  await p.mouse.move(640, -20, { steps: 4 }); // towards the tabs and the address bar
  await dialog(p).waitFor({ timeout: 3000 });
  check(true, 'exit: shown when the mouse leaves through the top');
  check(!logs.some((l) => l.startsWith('pageerror')), 'exit: no page error', logs.join(' | '));
  await ctx.close();
}
{
  // A phone has no mouse to leave the page: the loader arms the same mouseout listener, so on
  // touch the survey stays hidden (taps, even at the very top, and scrolling never fire it).
  const url = page('exit-phone', { surveyId: 'exit', extra: `nps('on','decision',function(d){window.__d=[d.verdict,d.wait_for&&d.wait_for.type]});` });
  const { ctx, p } = await open(url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const d = await waitFor(() => p.evaluate(() => window.__d));
  check(d && d[0] === 'wait' && d[1] === 'exit_intent', 'exit, phone: the core still says wait for exit_intent', JSON.stringify(d));
  await p.touchscreen.tap(200, 400);
  await p.touchscreen.tap(200, 0);
  await p.evaluate(() => scrollTo(0, 600));
  await p.evaluate(() => scrollTo(0, 0));
  await p.touchscreen.tap(380, 1);
  await p.waitForTimeout(500);
  check((await p.locator('[data-opennps]').count()) === 0, 'exit, phone: never shown on touch');
  await ctx.close();
}

for (const m of perf) console.log(`perf ${m.name}: layout shift ${m.shift}, long tasks ${JSON.stringify(m.long)}`);
await close();
host.close();
npsd.stop();
done();
