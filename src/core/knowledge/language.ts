import { francAll } from 'franc-min';

/** Fewer letters than this and no language is told (franc guesses on very short text). */
const MIN_LETTERS = 12;
/**
 * For short text (a question), the runner-up's score (the best is 1) above which it is too close to
 * name a language. Longer text is told reliably, though franc's scores then lie closer together.
 */
const AMBIGUOUS = 0.88;
const SHORT_LETTERS = 200;

/**
 * The language of a text as an ISO 639-3 code ("eng", "deu"), or undefined when it is too short,
 * or (a question) too close between two languages to say. Offline, with franc (trigram profiles of the 82
 * languages with 8M+ speakers, franc-min).
 */
export function detectLanguage(text: string, of: 'question' | 'document' = 'question'): string | undefined {
  const words = text.replace(/https?:\/\/\S+/g, ' ').replace(/[\p{N}\p{P}\p{S}]+/gu, ' ');
  const letters = (words.match(/\p{L}/gu) ?? []).length;
  if (letters < MIN_LETTERS) return undefined;
  const [best, runnerUp] = francAll(words, { minLength: MIN_LETTERS });
  if (best === undefined || best[0] === 'und') return undefined;
  // A document's prose names its language even when short; a question must be clear.
  if (of === 'question' && letters < SHORT_LETTERS && runnerUp !== undefined && runnerUp[1] > AMBIGUOUS) return undefined;
  return best[0];
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
