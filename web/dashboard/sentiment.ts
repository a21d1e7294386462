// What a comment's words say (issue 16), as the server gives it with an English answer:
// `sentiment: { score, tone, disagrees, positive?, negative? }` (an AFINN sum, its tone, and
// whether the tone contradicts the NPS score, a core rule). Answers in other languages carry
// no sentiment, and then nothing is drawn: no guess, no "neutral".
//
// toneBadge(): "Words: negative" (text, not colour alone), the scored words as its title;
// then, when the score and the words disagree, a flag that says so. toneNote(): the one line
// that explains where the tone comes from, shown once on a page that shows tones.
import { t, dir, type TextKey as Key } from './i18n';
import { h } from './dom';

export interface Sentiment {
  score: number;
  tone: 'negative' | 'neutral' | 'positive';
  disagrees: boolean;
  positive?: string[];
  negative?: string[];
}

const TONES = ['negative', 'neutral', 'positive'];
const known = (s: any): s is Sentiment => !!s && typeof s === 'object' && TONES.includes(s.tone);
const unique = (xs: unknown) => (Array.isArray(xs) ? [...new Set(xs.map(String))] : []);

// The scored words: "Positive words: great, love · Negative words: slow" ('' when none given).
export function toneWords(s: Sentiment): string {
  const parts: string[] = [];
  const pos = unique(s.positive), neg = unique(s.negative);
  if (pos.length) parts.push(t('sent_positive_words', { words: pos.join(', ') }));
  if (neg.length) parts.push(t('sent_negative_words', { words: neg.join(', ') }));
  return parts.join(' · ');
}

// The badge and the flag, in the page's direction (outside a comment's own dir=auto), or null.
export function toneBadge(s: unknown, { words = true } = {}): HTMLElement | null {
  if (!known(s)) return null;
  const said = words ? toneWords(s) : '';
  const badge = h('span', { class: `tone ${s.tone}`, 'data-test': 'tone', 'data-tone': s.tone, ...(said ? { title: said } : {}) },
    t(`sent_tone_${s.tone}` as Key));
  const box = h('span', { class: 'tones', dir: dir() }, badge);
  if (s.disagrees)
    box.append(' ', h('span', { class: 'tone-flag', 'data-test': 'disagree', title: t('sent_disagree_help') }, t('sent_disagree')));
  return box;
}

export const hasTone = (items: any[]) => items.some((x) => known(x?.sentiment));

export const toneNote = () => h('p', { class: 'fine tone-note', 'data-test': 'tone-note' }, t('sent_note'));
