// The draft-sharing link (issue 19, item 13b) in Debian's chromium: an editor shares an
// en/es/ar survey; the link opens without an account and shows each language's question,
// follow-ups and thanks, right to left for Arabic; no form, no input, nothing stored; axe
// finds nothing in light and dark; an altered token gets a page in words. Screenshots at
// desktop and phone width into tests/artifacts/review-*.png.
import { startNpsd, browser, check, done, artifact, axeSource } from './harness.mjs';

const npsd = await startNpsd();
const { b, close } = await browser();

await npsd.survey({
  id: 'shop', name: 'Shop', product: 'Acme', theme: { accent: '#0b7285' },
  default_locale: 'en', locales: ['en', 'es', 'ar'],
  question: { en: 'How likely are you to recommend Acme to a friend?', es: '¿Qué probabilidad hay de que recomiendes Acme a un amigo?', ar: 'ما مدى احتمال أن توصي بـ Acme لصديق؟' },
  followup: {
    detractor: {
      text: { en: 'What went wrong?', es: '¿Qué salió mal?', ar: 'ما الذي حدث؟' },
      questions: [{ id: 'area', type: 'single', text: { en: 'Which area?', es: '¿Qué área?', ar: 'أي مجال؟' },
        options: [{ id: 'price', label: { en: 'Price', es: 'Precio', ar: 'السعر' } }, { id: 'speed', label: { en: 'Speed', es: 'Rapidez', ar: 'السرعة' } }] }],
    },
    promoter: { thanks: { en: 'Thanks, fan!', es: '¡Gracias, fan!', ar: 'شكرًا لك!' },
      thanks_link: { url: 'https://reviews.example/acme', label: { en: 'Leave a review', es: 'Deja una reseña', ar: 'اكتب مراجعة' } } },
  },
});
const shared = await npsd.admin('POST', '/v1/admin/surveys/shop/share', { days: 7 });
const url = npsd.url + shared.url.slice(shared.url.indexOf('/review/'));
check(/^\d{4}-\d\d-\d\dT/.test(shared.expires_at), 'the share answers with its expiry', JSON.stringify(shared));

async function axe(p, what) {
  for (const scheme of ['light', 'dark']) {
    await p.emulateMedia({ colorScheme: scheme });
    await p.evaluate(axeSource);
    const found = await p.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] }))
      .violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`));
    check(found.length === 0, `axe finds nothing on ${what} (${scheme})`, found.join('\n'));
  }
  await p.emulateMedia({ colorScheme: 'light' });
}

for (const [reader, width, height] of [['en', 1280, 900], ['es', 390, 844], ['ar', 1280, 900], ['ar', 390, 844]]) {
  const ctx = await b.newContext({ viewport: { width, height }, locale: reader, extraHTTPHeaders: { 'Accept-Language': reader } });
  const p = await ctx.newPage();
  const posts = [];
  p.on('request', (r) => { if (r.method() !== 'GET') posts.push(r.url()); });
  const r = await p.goto(url);
  const what = `${reader} at ${width}px`;
  check(r.status() === 200, `the link opens without an account (${what})`);
  const langs = await p.$$eval('section[data-locale]', (s) => s.map((x) => [x.dataset.locale, x.dir, x.querySelector('[data-test=question]').textContent]));
  check(JSON.stringify(langs.map((l) => l[0])) === '["en","es","ar"]', `every language, the default first (${what})`, JSON.stringify(langs));
  check(langs[1]?.[2].startsWith('¿Qué probabilidad') && langs[2]?.[2].startsWith('ما مدى'), `each language's own question (${what})`);
  check(langs[2]?.[1] === 'rtl' && langs[0]?.[1] === 'ltr', `Arabic right to left inside the page (${what})`);
  check(await p.getAttribute('html', 'dir') === (reader === 'ar' ? 'rtl' : 'ltr'), `the page's own direction follows the reader (${what})`);
  const followups = await p.$$eval('[data-test=followup]', (x) => x.map((e) => e.textContent));
  check(followups.includes('¿Qué salió mal?') && followups.includes('ما الذي حدث؟'), `follow-ups per language (${what})`);
  check(await p.locator('text=Rapidez').count() === 1 && await p.locator('text=¡Gracias, fan!').count() === 1, `extra questions and thanks (${what})`);
  check(await p.locator('form, input, button, textarea, select, script').count() === 0, `nothing to answer with (${what})`);
  const sideways = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(sideways <= 0, `no sideways scrolling (${what})`, String(sideways));
  await p.click(`a[href="#lang-ar"]`);
  check(await p.evaluate(() => location.hash) === '#lang-ar', `the language list jumps to Arabic (${what})`);
  await p.evaluate(() => window.scrollTo(0, 0));
  await axe(p, what);
  await p.screenshot({ path: artifact(`review-${reader}-${width < 500 ? 'phone' : 'desktop'}.png`), fullPage: true });
  check(posts.length === 0, `the page sends nothing (${what})`, posts.join(' '));
  await ctx.close();
}
check((await npsd.responses('shop')).length === 0, 'reading the review page stored nothing');

// An altered token: a page in words, 404; in Spanish for a Spanish reader.
{
  const ctx = await b.newContext({ viewport: { width: 390, height: 700 }, extraHTTPHeaders: { 'Accept-Language': 'es' } });
  const p = await ctx.newPage();
  const bad = url.slice(0, -3) + (url.endsWith('AAA') ? 'BBB' : 'AAA');
  const r = await p.goto(bad);
  check(r.status() === 404, 'an altered link is refused with 404', String(r.status()));
  check(/no funciona/.test(await p.textContent('h1')), 'and says so in words, in the reader\'s language');
  await axe(p, 'the refused link');
  await p.screenshot({ path: artifact('review-refused-es-phone.png'), fullPage: true });
  await ctx.close();
}

await close();
npsd.stop();
done();
