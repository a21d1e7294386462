// The widget end to end: a real npsd, host pages on another origin, Debian's chromium.
// Answers with the mouse, the keyboard only and a phone's touch; offline and back; a
// hostile host stylesheet; a strict CSP; axe-core; layout shift and long tasks; the demo
// page; screenshots (desktop, phone, RTL, dark) into tests/artifacts/.
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
  p.on('console', (m) => logs.push(m.text()));
  p.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
  await p.goto(url);
  return { ctx, p, logs };
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

// ---- mouse, desktop ------------------------------------------------------------------
{
  const url = page('mouse', {
    extra: `nps('identify',{id:'u-mouse',attributes:{plan:'pro'}});nps('on','response',function(r){window.__got=(window.__got||[]).concat(r.score)});`,
  });
  const { ctx, p, logs } = await open(url, { viewport: { width: 1280, height: 800 } });
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
  check(!!reason, 'debug: the core\'s reason is logged', reason);
  check((await p.locator('[data-opennps]').count()) === 0, 'after answering: not shown again');
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

for (const m of perf) console.log(`perf ${m.name}: layout shift ${m.shift}, long tasks ${JSON.stringify(m.long)}`);
await close();
host.close();
npsd.stop();
done();
