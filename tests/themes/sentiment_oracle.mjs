// The English lexicon in npsd (backend/sentiment.*) scores every text exactly as npm's
// `sentiment` package does (its score and comparative): the 3,000 labelled reviews it ships and
// texts that test the edges of its tokeniser (case, negators, tabs, Unicode spaces, emoji).
// Then the accuracy table of sentiment_bench, whose figures the README quotes.
//   node tests/themes/sentiment_oracle.mjs build/native/backend/sentiment_bench
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'web/package.json'));
const Sentiment = require('sentiment');
const bench = process.argv[2];
if (!bench) throw new Error('usage: sentiment_oracle.mjs SENTIMENT_BENCH');

const texts = [];
for (const set of ['amazon', 'imdb', 'yelp'])
  for (const row of require(`sentiment/test/fixtures/${set}.json`)) texts.push(row.text);
texts.push(
  '', ' ', 'GOOD', 'NAÏVE idea', 'not good', 'Not good at all', "don't like it", "isn't bad!!!",
  "can't stand the wait", 'great\tservice', 'great \t service', 'bad\u00a0day', 'bad\u00a0\u00a0day',
  'love\u2003\u2003it', '\u3000good\u3000', 'terrible.support', 'happy:)', 'good😂', 'good 😂 😡',
  '❤ ❤ ❤', 'non profit', '  \n bad \r\n', 'wow!!! amazing, (truly) "superb"', 'İyi GREAT',
  'ﬁne fine', 'no no no', 'not not good', 'Ünd SUCKS', 'hate\u2028love', 'a\u00a0\u2028b bad',
);

const native = JSON.parse(execFileSync(bench, ['--score'], { input: JSON.stringify(texts), maxBuffer: 1 << 26 }));
const s = new Sentiment();
let bad = 0;
texts.forEach((t, i) => {
  const want = s.analyze(t);
  const got = native[i];
  if (got.score !== want.score || got.comparative !== want.comparative) {
    if (++bad <= 10)
      console.error(`differs: ${JSON.stringify(t)}: npsd ${JSON.stringify(got)}, package ${want.score} ${want.comparative}`);
  }
});
if (bad) {
  console.error(`${bad} of ${texts.length} texts scored differently from the sentiment package`);
  process.exit(1);
}
console.log(`ok: ${texts.length} texts score exactly as npm's sentiment ${require('sentiment/package.json').version} does`);
console.log(execFileSync(bench, ['--fixtures', path.join(root, 'web/node_modules/sentiment/test/fixtures')]).toString());
