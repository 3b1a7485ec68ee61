import { eng as englishStopWords } from 'stopword';
import type { SparseTerms } from '../types.js';

/**
 * One tokenizer for every store: NFKC, case- and accent-folded words, stop words dropped,
 * a light English plural/suffix stemmer, and single characters for scripts written without spaces.
 * The SQLite store's BM25 index is built from the space-joined tokens; Qdrant gets them as a sparse vector of hashed
 * token ids whose values carry BM25's term-frequency saturation (Qdrant applies IDF itself).
 */

/**
 * The `stopword` package's English list, plus the words Docent always dropped (kept so that
 * passages indexed before keep matching questions the same way) and question fillers.
 */
const STOP_WORDS = new Set([
  ...englishStopWords,
  ...(
    'a an and are as at be been but by for from had has have he her his i if in into is it its me my no not of on or ' +
    'our she so such that the their them then there these they this those to was we were what when where which who ' +
    'whom why will with would you your do does did can could should than too very just also about over under ' +
    'please tell know'
  ).split(' '),
]);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

const FOOTNOTE_MARK = /^\p{L}{4,}[1-9]$/u;

const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').normalize('NFKC').toLowerCase();
}

export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  const rules: [RegExp, string][] = [
    [/(?<=.{2})ies$/, 'y'],
    [/(?<=.{3})(?:ss)$/, 'ss'],
    [/(?<=.{3})sses$/, 'ss'],
    [/(?<=.{3})([^su])s$/, '$1'],
    [/(?<=.{3})ingly$/, ''],
    [/(?<=.{3})ing$/, ''],
    [/(?<=.{3})edly$/, ''],
    [/(?<=.{3})ed$/, ''],
    [/(?<=.{3})ly$/, ''],
  ];
  for (const [pattern, replacement] of rules) {
    if (pattern.test(word)) return word.replace(pattern, replacement);
  }
  return word;
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of fold(text).matchAll(WORD)) {
    const word = match[0].replace(/['’].*$/, '');
    if (NO_SPACE_SCRIPT.test(word)) {
      for (const ch of word) tokens.push(ch);
      continue;
    }
    // A footnote mark set against a word in a table ("Alaska2", "error1") is not part of the word.
    const bare = FOOTNOTE_MARK.test(word) ? word.slice(0, -1) : word;
    if (bare.length > 40 || STOP_WORDS.has(bare)) continue;
    tokens.push(stem(bare));
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
