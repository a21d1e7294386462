// Issue 19, item 8: exports a spreadsheet opens. "Export for Excel" on the responses page
// gives a UTF-8 file with a BOM (Chinese and Russian comments survive Excel), the separator of
// the computer's locale (a semicolon where the decimal comma is used), local times with their
// offset and attributes as columns; the server refuses parameters it does not know the value of.
//   node tests/web/dashboard_export.test.mjs --npsd build/native/backend/npsd --web-root web/dist
import assert from 'node:assert/strict';
import { check, finish, start, FIVE, PHONE, DESKTOP } from './dashboard_env.mjs';

const env = await start({ count: 400 });
const { base, admin, open, answer, shot, axe, noSideways } = env;
const RU = 'Доставка опоздала; курьер грубил', ZH = '结账时页面卡住了，非常失望';
assert.equal((await answer({ score: 2, idempotency_key: 'export-ru', comment: RU, locale: 'ru', attributes: { plan: 'pro', seats: 12 } })).status, 201);
assert.equal((await answer({ score: 4, idempotency_key: 'export-zh', comment: ZH, locale: 'zh-Hans', attributes: { region: 'APAC' } })).status, 201);

// The bytes the page's link downloads, fetched in the page (its session cookie).
const download = (page, selector) => page.evaluate(async (sel) => {
  const r = await fetch(document.querySelector(sel).href);
  return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())] };
}, selector);
const text = (bytes) => Buffer.from(bytes).toString('utf8');
// A minimal CSV reader (quotes, doubled quotes, CRLF) to read the file as a spreadsheet would.
function parse(csv, sep) {
  const rows = []; let row = [], cell = '', quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (quoted) { if (ch === '"' && csv[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false; else cell += ch; continue; }
    if (ch === '"') quoted = true;
    else if (ch === sep) { row.push(cell); cell = ''; }
    else if (ch === '\r' && csv[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += ch;
  }
  return rows;
}

// A dashboard page on a computer set to Russian in Moscow (decimal comma, UTC+3).
async function openInMoscow(query, ready) {
  const page = await open('analyst', { query, ready });
  await page.addInitScript(() => {
    Object.defineProperty(navigator, 'language', { get: () => 'ru-RU' });
    Date.prototype.getTimezoneOffset = () => -180;
  });
  await page.reload();
  return page;
}

try {
  await check('in a decimal-comma locale (Russian, UTC+3) the Excel export has a BOM, semicolons, local times and attribute columns', async () => {
    const page = await openInMoscow('&view=responses', 'responses');
    await page.waitForSelector('[data-test=export-excel]');
    const href = new URL(await page.getAttribute('[data-test=export-excel]', 'href'), base);
    assert.equal(href.searchParams.get('separator'), 'semicolon');
    assert.equal(href.searchParams.get('utc_offset'), '+03:00');
    const got = await download(page, '[data-test=export-excel]');
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes.slice(0, 3), [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark first');
    const rows = parse(text(got.bytes.slice(3)), ';');
    const head = rows[0];
    assert.equal(head[0], 'id');
    assert.ok(!head.includes('attributes'), 'no JSON attributes cell');
    for (const k of ['attribute:plan', 'attribute:seats', 'attribute:region']) assert.ok(head.includes(k), `${k} in ${head}`);
    const col = (name) => head.indexOf(name);
    const ru = rows.find((r) => r[col('idempotency_key')] === 'export-ru');
    const zh = rows.find((r) => r[col('idempotency_key')] === 'export-zh');
    assert.equal(ru[col('comment')], RU, 'Russian intact, its semicolon quoted');
    assert.equal(zh[col('comment')], ZH, 'Chinese intact');
    assert.equal(ru[col('attribute:plan')], 'pro');
    assert.equal(ru[col('attribute:seats')], '12');
    assert.equal(zh[col('attribute:plan')], '');
    assert.match(ru[col('received_at')], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    // The same moment as the server's UTC time.
    const stored = (await admin('GET', '/v1/admin/surveys/acme-app/responses?q=%D0%94%D0%BE%D1%81%D1%82%D0%B0%D0%B2%D0%BA%D0%B0')).body.items[0];
    assert.equal(Date.parse(ru[col('received_at')]), Math.floor(Date.parse(stored.received_at) / 1000) * 1000);
    assert.ok(rows.every((r) => r.length === head.length), 'every row has every column');
    await page.close();
  });

  await check('in English (decimal point) the Excel export uses commas; the plain export is unchanged', async () => {
    const page = await open('analyst', { query: '&view=responses', ready: 'responses' });
    await page.addInitScript(() => Object.defineProperty(navigator, 'language', { get: () => 'en-US' }));
    await page.reload();
    await page.waitForSelector('[data-test=export-excel]');
    assert.equal(new URL(await page.getAttribute('[data-test=export-excel]', 'href'), base).searchParams.get('separator'), 'comma');
    const excel = await download(page, '[data-test=export-excel]');
    assert.ok(parse(text(excel.bytes.slice(3)), ',')[0].includes('attribute:plan'));
    const plain = await download(page, '[data-test=export]');
    assert.notDeepEqual(plain.bytes.slice(0, 3), [0xef, 0xbb, 0xbf]);
    assert.ok(text(plain.bytes).startsWith('id,received_at,survey_id,score,category,comment,channel,locale,device,page,respondent_id,client_time,attributes,answers,idempotency_key\r\n'));
    await axe(page, 'the responses page');
    await page.close();
  });

  await check('the export refuses unknown flavours, separators and offsets, naming the parameter', async () => {
    for (const [q, field] of [['flavour=xlsx', 'flavour'], ['separator=pipe', 'separator'], ['flavour=excel&utc_offset=%2B25:00', 'utc_offset'],
      ['utc_offset=%2B01:00', 'utc_offset'], ['format=json&flavour=excel', 'flavour']]) {
      const r = await admin('GET', `/v1/admin/surveys/acme-app/export?${q}`);
      assert.equal(r.status, 400, q);
      assert.ok(r.body.errors.some((e) => e.path === field), `${q}: ${r.text}`);
    }
  });

  await check('the promoters page offers both of its lists for Excel too: a BOM, semicolons in Russian, local times', async () => {
    const PROMOTER = 'Курьер приехал вовремя; спасибо — 快递准时';
    assert.equal((await answer({ score: 10, idempotency_key: 'export-fan', respondent_id: 'fan-ru', comment: PROMOTER, locale: 'ru' })).status, 201);
    const page = await openInMoscow('&view=promoters', 'promoters');
    await page.waitForSelector('[data-test=promoters-excel]');
    const promoters = await download(page, '[data-test=promoters-excel]');
    assert.equal(promoters.status, 200);
    assert.deepEqual(promoters.bytes.slice(0, 3), [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark first');
    const rows = parse(text(promoters.bytes.slice(3)), ';');
    assert.deepEqual(rows[0], ['respondent_id', 'score', 'comment', 'received_at', 'channel', 'locale']);
    const fan = rows.find((r) => r[0] === 'fan-ru');
    assert.equal(fan[2], PROMOTER, 'Russian and Chinese intact, the semicolon quoted');
    assert.match(fan[3], /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    const ambassadors = await download(page, '[data-test=ambassadors-excel]');
    assert.equal(ambassadors.status, 200);
    assert.deepEqual(ambassadors.bytes.slice(0, 3), [0xef, 0xbb, 0xbf]);
    assert.deepEqual(parse(text(ambassadors.bytes.slice(3)), ';')[0],
      ['email', 'name', 'score', 'testimonial', 'received_at', 'locale', 'respondent_id', 'campaign_id']);
    const plain = await download(page, '[data-test=promoters-csv]');
    assert.ok(text(plain.bytes).startsWith('respondent_id,score,comment,received_at,channel,locale\r\n'), 'the plain export unchanged');
    await axe(page, 'the promoters page');
    await shot(page, 'promoters-exports-desktop');
    await page.close();
    // Four buttons still fit a phone, in Russian (the longest labels) and in Arabic (right to left).
    for (const lang of ['ru', 'ar']) {
      const phone = await open('analyst', { viewport: PHONE, lang, query: '&view=promoters', ready: 'promoters' });
      await phone.waitForSelector('[data-test=ambassadors-excel]');
      await noSideways(phone, `${lang} promoters phone`);
      await shot(phone, `promoters-exports-${lang}-phone`);
      await phone.close();
    }
  });

  await check('the responses page with both exports at desktop and phone widths in five languages', async () => {
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
      const page = await open('analyst', { viewport });
      for (const l of FIVE) {
        await page.goto(`${base}/dashboard/?lang=${l}&survey=acme-app&view=responses`);
        await page.waitForSelector('[data-test=export-excel]');
        await noSideways(page, `${l} responses ${width}`);
        await shot(page, `responses-${l}-${width}`);
      }
      await page.close();
    }
  });
} finally {
  await env.stop();
}
finish();
