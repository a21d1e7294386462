// Screenshots of the survey e-mail's HTML (written by tests/email/test_campaign.py into
// tests/artifacts/email-<lang>.html) in Debian's chromium: phone and desktop widths, light
// and dark, en es ru zh-Hans ar. Checks that the eleven buttons fit on one row at phone width
// and that the Arabic one runs right to left.
import { existsSync, readFileSync } from 'node:fs';
import { browser, check, done, artifact } from './harness.mjs';

const { b, close } = await browser();
for (const lang of ['en', 'es', 'ru', 'zh-Hans', 'ar']) {
  const file = artifact(`email-${lang}.html`);
  if (!existsSync(file)) {
    check(false, `${lang}: the e-mail HTML exists (run tests/email/test_campaign.py first)`);
    continue;
  }
  const html = readFileSync(file, 'utf8');
  for (const [name, width] of [['phone', 360], ['desktop', 900]]) {
    for (const scheme of ['light', 'dark']) {
      const ctx = await b.newContext({ viewport: { width, height: 640 }, colorScheme: scheme });
      const p = await ctx.newPage();
      await p.setContent(html, { waitUntil: 'load' });
      const row = await p.evaluate(() => {
        const a = [...document.querySelectorAll('a.nps-btn')];
        const tops = new Set(a.map((x) => Math.round(x.getBoundingClientRect().top)));
        const r0 = a[0].getBoundingClientRect();
        const r10 = a[10].getBoundingClientRect();
        return { n: a.length, rows: tops.size, zeroLeft: r0.left < r10.left, overflow: document.documentElement.scrollWidth > innerWidth };
      });
      check(row.n === 11 && row.rows === 1, `${lang} ${name} ${scheme}: eleven buttons on one row`, JSON.stringify(row));
      check(!row.overflow, `${lang} ${name} ${scheme}: nothing wider than the screen`);
      check(row.zeroLeft === (lang !== 'ar'), `${lang} ${name} ${scheme}: 0 starts the reading direction`);
      await p.screenshot({ path: artifact(`email-${lang}-${name}-${scheme}.png`), fullPage: true });
      await ctx.close();
    }
  }
}
// The alert a team member receives for a detractor, and the weekly digest
// (tests/email/test_campaign.py saves both).
for (const kind of ['alert-es', 'digest-ru']) {
  const file = artifact(`${kind}.html`);
  check(existsSync(file), `the ${kind} HTML exists (run tests/email/test_campaign.py first)`);
  if (existsSync(file)) {
    for (const [name, width] of [['phone', 360], ['desktop', 900]]) {
      const ctx = await b.newContext({ viewport: { width, height: 480 } });
      const p = await ctx.newPage();
      await p.setContent(readFileSync(file, 'utf8'), { waitUntil: 'load' });
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth > innerWidth);
      check(!overflow, `${kind} ${name}: nothing wider than the screen`);
      await p.screenshot({ path: artifact(`${kind}-${name}.png`), fullPage: true });
      await ctx.close();
    }
  }
}
await close();
done();
