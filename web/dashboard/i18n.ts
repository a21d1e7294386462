// The dashboard's languages: its texts (one file per language in i18n/, English the
// reference), the choice of language, plurals and the way numbers and dates are written.
//
// - The language is chosen by the core's own negotiation (i18n.negotiate in the nps-survey
//   module, the same Wasm module the survey editor loads): the dashboard's languages against
//   ?lang= and then the browser's languages, as the widget chooses a visitor's. So zh-TW,
//   zh-HK and zh-Hant never get Simplified Chinese (the dashboard has no Traditional texts
//   yet: they get English), es-MX gets Spanish, iw Hebrew.
// - A count is printed only through count(), with the language's plural rule
//   (Intl.PluralRules); t() refuses a plural message (TypeScript: TextKey).
// - Numbers, percentages, p-values and dates through Intl.NumberFormat / Intl.DateTimeFormat
//   in the chosen language.
import { en, type Plural, type Table } from './i18n/en';
import { es } from './i18n/es';
import { ru } from './i18n/ru';
import { zhHans } from './i18n/zh-Hans';
import { pt } from './i18n/pt';
import { de } from './i18n/de';
import { fr } from './i18n/fr';
import { ja } from './i18n/ja';
import { ar } from './i18n/ar';
import { he } from './i18n/he';

export type Lang = 'en' | 'es' | 'ru' | 'zh-Hans' | 'pt' | 'de' | 'fr' | 'ja' | 'ar' | 'he';
// Each language under its own name; ar and he are written right to left.
export const languages: { code: Lang; name: string; dir: 'ltr' | 'rtl' }[] = [
  { code: 'en', name: 'English', dir: 'ltr' },
  { code: 'es', name: 'Español', dir: 'ltr' },
  { code: 'ru', name: 'Русский', dir: 'ltr' },
  { code: 'zh-Hans', name: '简体中文', dir: 'ltr' },
  { code: 'pt', name: 'Português', dir: 'ltr' },
  { code: 'de', name: 'Deutsch', dir: 'ltr' },
  { code: 'fr', name: 'Français', dir: 'ltr' },
  { code: 'ja', name: '日本語', dir: 'ltr' },
  { code: 'ar', name: 'العربية', dir: 'rtl' },
  { code: 'he', name: 'עברית', dir: 'rtl' },
];
// Every language has every key: TypeScript refuses a table with one missing.
export const tables: Record<Lang, Table> = { en, es, ru, 'zh-Hans': zhHans, pt, de, fr, ja, ar, he };

export type Key = keyof Table;
export type TextKey = { [K in Key]: Table[K] extends string ? K : never }[Key];
export type CountKey = Exclude<Key, TextKey>;

let current: Lang = 'en';
export function setLang(l: Lang) {
  current = l;
  document.documentElement.lang = l;
  document.documentElement.dir = dir();
}
export function lang(): Lang { return current; }
export function dir(): 'ltr' | 'rtl' { return languages.find((x) => x.code === current)!.dir; }

// ---- choosing the language -----------------------------------------------------------------

type Negotiator = (requested: string[]) => string;
// The core's i18n.negotiate, once its module is loaded (null: not loaded, or could not be).
let negotiator: Negotiator | null = null;
export function useNegotiator(n: Negotiator | null) { negotiator = n; }

// The dashboard's language for ?lang= (the picker's choice, or a shared link) and then the
// browser's preferences. Without the core (its module failed to load) only an exact tag of
// one of the dashboard's languages is taken, else English: never a guess of our own.
export function chooseLang(wanted: string | null, preferred: readonly string[]): Lang {
  const requested = [...(wanted ? [wanted] : []), ...preferred];
  const codes = languages.map((l) => l.code);
  if (negotiator) {
    const l = negotiator(requested);
    if ((codes as string[]).includes(l)) return l as Lang;
  }
  return (codes as string[]).includes(wanted ?? '') ? (wanted as Lang) : 'en';
}

// ---- texts -------------------------------------------------------------------------------

const fill = (s: string, vars: Record<string, string | number>) =>
  s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? (typeof vars[k] === 'number' ? num(vars[k] as number) : String(vars[k])) : m));

export function t(key: TextKey, vars: Record<string, string | number> = {}): string {
  return fill(tables[current][key] ?? en[key], vars);
}

// "{n} answers" with the form the language's plural rule picks for n ("1 ответ", "3 ответа",
// "5 ответов"; Arabic's six forms); n written by Intl.NumberFormat.
export function count(key: CountKey, n: number, vars: Record<string, string | number> = {}): string {
  const forms: Plural = tables[current][key];
  const form = forms[new Intl.PluralRules(current).select(n) as keyof Plural] ?? forms.other;
  return fill(form, { ...vars, n });
}

// ---- numbers and dates ---------------------------------------------------------------------

// A number as Intl wrote it, made to read left to right ("-142", never "142-") in a
// right-to-left page: some engines write Arabic's minus sign after U+061C (ARABIC LETTER
// MARK) or U+200F (RIGHT-TO-LEFT MARK), strong right-to-left characters that turn the sign
// and the digits around even inside ltr()'s isolate, so an interval "-142 … -258" would read
// "142- … 258-". U+200E (LEFT-TO-RIGHT MARK, what other engines write there) keeps the sign
// before the digits, inside an isolate or not. Every number the dashboard writes goes
// through here (num, signed, pct, the funnel's rates).
export function numberText(formatted: string): string {
  return formatted.replace(/[\u061C\u200F]/g, '\u200E');
}
// A number with `digits` decimals, as the language writes it ("3 001,5" in Russian); never
// "-0"; "–" for none.
export function num(x: number | null | undefined, digits = 0): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const r = Number(x.toFixed(digits));
  return numberText(new Intl.NumberFormat(current, { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(r === 0 ? 0 : r));
}
// A signed difference: "+12", "−3".
export function signed(x: number, digits = 0): string {
  const r = Number(x.toFixed(digits));
  return numberText(new Intl.NumberFormat(current, { minimumFractionDigits: digits, maximumFractionDigits: digits, signDisplay: 'exceptZero' })
    .format(r === 0 ? 0 : r));
}
// The server's shares are percentages (0..100): "45.3%", "45,3 %".
export function pct(x: number): string {
  return numberText(new Intl.NumberFormat(current, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x / 100));
}
// A p-value as people read it: "p < 0.001" rather than a rounded-away "p = 0.000".
export function pValue(p: number): string {
  return ltr(p < 0.001 ? `p < ${num(0.001, 3)}` : `p = ${num(p, 3)}`);
}
// Text that reads left to right (a range "14 … 20", "p = 0.003") kept in its order inside a
// right-to-left page: a left-to-right isolate (U+2066 … U+2069) there, nothing elsewhere.
export function ltr(s: string): string {
  return dir() === 'rtl' ? `\u2066${s}\u2069` : s;
}
// "Spanish (es)": a language tag under its name in the dashboard's language, and the tag.
export function languageName(code: string): string {
  let name = code;
  try { name = new Intl.DisplayNames([current], { type: 'language' }).of(code) ?? code; } catch { /* an odd tag: shown as it is */ }
  return name === code ? code : fill(tables[current].name_code, { name, code });
}
// A moment (ISO 8601 from the server) in the reader's time zone.
export function dateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}
// A calendar day ("2026-11-02", a trend bucket's start) as the language writes dates.
export function day(iso: string): string {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}
