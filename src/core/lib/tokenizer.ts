import { stemmer as englishStemmer } from '@orama/stemmers/english';
import { stemmer as germanStemmer } from '@orama/stemmers/german';
import { deu as germanStopWords, eng as englishStopWords } from 'stopword';
import type { SparseTerms } from '../ports/types.js';

/**
 * One tokenizer for every store: NFKC, case- and accent-folded words, stop words dropped, words
 * stemmed with Snowball (Porter2 for English, Snowball German for documents in German, from
 * `@orama/stemmers`), a hyphenated compound kept as its parts and as one word ("e-mail" →
 * "e", "mail", "email"), and single characters for scripts written without spaces.
 * The SQLite store's BM25 index is built from the space-joined tokens; Qdrant gets them as a sparse vector of hashed
 * token ids whose values carry BM25's term-frequency saturation (Qdrant applies IDF itself).
 *
 * TOKENIZER_VERSION names this behaviour: passages stored with another version are tokenized
 * again once, at start (see knowledge/lifecycle/retokenize.ts), so questions and passages always meet.
 */
export const TOKENIZER_VERSION = 2;

/**
 * The `stopword` package's English list, plus the words Docent always dropped (kept so that
 * passages indexed before keep matching questions the same way) and question fillers.
 */
const ENGLISH_STOP_WORDS = new Set([
  ...englishStopWords,
  ...(
    'a an and are as at be been but by for from had has have he her his i if in into is it its me my no not of on or ' +
    'our she so such that the their them then there these they this those to was we were what when where which who ' +
    'whom why will with would you your do does did can could should than too very just also about over under ' +
    'please tell know'
  ).split(' '),
]);
const GERMAN_STOP_WORDS = new Set([...ENGLISH_STOP_WORDS, ...germanStopWords.map((w) => fold(w))]);

/** A word, with hyphen-joined parts ("e-mail", "multi-GPU", "COVID-19") and an apostrophe ending. */
const WORD = /[\p{L}\p{N}]+(?:[-‐‑][\p{L}\p{N}]+)*(?:['’][\p{L}]+)?/gu;
const HYPHEN = /[-‐‑]/u;

const FOOTNOTE_MARK = /^\p{L}{4,}[1-9]$/u;

const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** The longest word kept: longer runs are identifiers, hashes or noise. */
const MAX_WORD = 40;

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').normalize('NFKC').toLowerCase();
}

/** The stemmings Docent has: Snowball German for German (ISO 639-3 "deu"), Porter2 English otherwise. */
export type Stemming = 'english' | 'german';

/** The stemming for a language code (ISO 639-3, as language.ts tells it); English for any other. */
export function stemmingFor(language: string | undefined): Stemming {
  return language === 'deu' ? 'german' : 'english';
}

/** Stems remembered per stemming: a language's vocabulary repeats, and Snowball is the tokenizer's dearest step. */
const STEM_CACHE_SIZE = 50_000;
const stemCache: Record<Stemming, Map<string, string>> = { english: new Map(), german: new Map() };

/** A folded word's stem; numbers, words with digits and very short words are kept as they are. */
export function stem(word: string, stemming: Stemming = 'english'): string {
  if (word.length <= 2 || /\d/.test(word)) return word;
  const cache = stemCache[stemming];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    stemmed = stemming === 'german' ? germanStemmer(word) : englishStemmer(word);
    if (cache.size >= STEM_CACHE_SIZE) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

/**
 * The search tokens of a text. `language` (ISO 639-3) chooses the stemming: a document is
 * tokenized in its own language, a question in the language of the documents it is searched in.
 */
export function tokenize(text: string, language?: string): string[] {
  const stemming = stemmingFor(language);
  const stops = stemming === 'german' ? GERMAN_STOP_WORDS : ENGLISH_STOP_WORDS;
  const tokens: string[] = [];
  const add = (word: string) => {
    // A footnote mark set against a word in a table ("Alaska2", "error1") is not part of the word.
    const bare = FOOTNOTE_MARK.test(word) ? word.slice(0, -1) : word;
    if (bare.length === 0 || bare.length > MAX_WORD || stops.has(bare)) return;
    tokens.push(stem(bare, stemming));
  };
  for (const match of fold(text).matchAll(WORD)) {
    const word = match[0].replace(/['’].*$/, '');
    if (NO_SPACE_SCRIPT.test(word)) {
      for (const ch of word) if (/[\p{L}\p{N}]/u.test(ch)) tokens.push(ch);
      continue;
    }
    if (!HYPHEN.test(word)) {
      add(word);
      continue;
    }
    // A compound is found written either way: as its parts ("e mail") and as one word ("email").
    const parts = word.split(HYPHEN);
    for (const part of parts) add(part);
    if (parts.length <= 4) add(parts.join(''));
  }
  return tokens;
}

/** FNV-1a, 32 bits: a stable token id for sparse vectors. */
export function tokenId(token: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const K1 = 1.2;
const B = 0.75;
const AVERAGE_TOKENS = 180;

/** BM25's document-side weight of a term: its frequency, saturated and normalised by passage length. */
export function bm25Weight(termFrequency: number, passageTokens: number): number {
  const lengthNorm = 1 - B + (B * passageTokens) / AVERAGE_TOKENS;
  return Number(((termFrequency * (K1 + 1)) / (termFrequency + K1 * lengthNorm)).toFixed(4));
}

/** BM25 document-side weights for every distinct token of a passage, as a sparse vector. */
export function documentTerms(tokens: readonly string[]): SparseTerms {
  const indices: number[] = [];
  const values: number[] = [];
  for (const [id, tf] of countTokens(tokens)) {
    indices.push(id);
    values.push(bm25Weight(tf, tokens.length));
  }
  return { indices, values };
}

/** Query-side weights: each distinct token once. */
export function queryTerms(tokens: readonly string[]): SparseTerms {
  const ids = [...countTokens(tokens).keys()];
  return { indices: ids, values: ids.map(() => 1) };
}

function countTokens(tokens: readonly string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const token of tokens) {
    const id = tokenId(token);
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => a[0] - b[0]));
}
