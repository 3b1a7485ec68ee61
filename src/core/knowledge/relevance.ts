import type { TermStats } from '../ports.js';
import type { SearchHit } from '../types.js';
import { isEverydayWord } from './everyday-words.js';
import { stem, tokenize } from './lexical.js';

export interface Relevance {
  /** Whether the passages found cover the question well enough to answer from them. */
  readonly relevant: boolean;
  /** Share (0–1) of the question's informative weight that the best passages contain. */
  readonly coverage: number;
  /** Highest cosine similarity of a passage with the question, when vectors were searched. */
  readonly similarity: number | undefined;
  /** The question's words (as asked) that no passage found contains. */
  readonly missing: readonly string[];
  readonly reason: string;
  /** How informative each of the question's terms is in this channel (for choosing excerpts). */
  readonly weights: ReadonlyMap<string, number>;
}

export interface RelevanceSettings {
  /** Coverage below which the passages are judged not to answer the question. */
  readonly minCoverage: number;
  /** With embeddings: a passage at least this similar is relevant whatever the word overlap. */
  readonly minSimilarity: number;
}

export const DEFAULT_RELEVANCE: RelevanceSettings = { minCoverage: 0.38, minSimilarity: 0.72 };

/** Passages whose words are pooled when judging coverage: a comparison may need two. */
const POOLED = 3;
const POOL_SHARE = 0.35;

/**
 * Judges, before any model is called, whether the passages retrieved can answer the question.
 * Each informative term of the question weighs its inverse document frequency in the channel (a
 * word found in every passage says little; a word no passage has says a lot). A name the
 * documents never mention ("Tokyo", "FIFA") weighs twice the rarest word, another unknown noun
 * 1.5 times; an unknown modifier or a form of a known word weighs less, as it may be a paraphrase
 * ("typical" for "median"). The question is covered
 * when the best passage, or the best few together, hold enough of that weight. With embeddings, a
 * passage similar enough to the question is relevant even with different words.
 */
/**
 * An unknown word that qualifies what is asked ("poorest", "typical", "unequal"), is a form of a
 * word the documents have ("younger" for "young"), a number, or one of everyday English's most
 * frequent words ("money" for "budget") weighs this share of the rarest word: it is likely a
 * paraphrase of what the documents say ("highest poverty rate", "median", "Gini").
 */
const UNSEEN_WORD_SHARE = 0.35;
/**
 * Any other unknown word, usually a noun ("cricket", "passport", "moon"), names a subject the
 * documents never mention, nearly as surely as a name does.
 */
const UNSEEN_NOUN_SHARE = 1.5;
/** A name no document mentions weighs twice the rarest word: the question is about something else. */
const NAME_WEIGHT = 2;

export function judgeRelevance(
  question: string,
  hits: readonly SearchHit[],
  stats: TermStats,
  similarity: number | undefined,
  settings: RelevanceSettings = DEFAULT_RELEVANCE,
): Relevance {
  const terms = [...new Set(tokenize(question))];
  const flat = new Map(terms.map((t) => [t, 1]));
  if (hits.length === 0) return { relevant: false, coverage: 0, similarity, missing: wordsOf(question, new Set(terms)), reason: 'no passage matched', weights: flat };
  if (!stats.complete || terms.length === 0) {
    return { relevant: true, coverage: 1, similarity, missing: [], reason: stats.complete ? 'no informative terms to judge by' : 'term statistics incomplete', weights: flat };
  }
  const names = namesIn(question);
  const modifiers = modifiersIn(question);
  const total = Math.max(stats.passages, 1);
  const unseen = Math.log(1 + (total + 0.5) / 0.5);
  const weight = new Map(
    terms.map((t) => {
      const df = stats.frequencies.get(t) ?? 0;
      if (df > 0) return [t, Math.log(1 + (total - df + 0.5) / (df + 0.5))];
      if (names.has(t)) return [t, unseen * NAME_WEIGHT];
      const paraphrase = modifiers.has(t) || /\d/.test(t) || isEverydayWord(t) || baseForms(t).some((base) => stats.frequencies.has(base));
      return [t, unseen * (paraphrase ? UNSEEN_WORD_SHARE : UNSEEN_NOUN_SHARE)];
    }),
  );
  const sum = [...weight.values()].reduce((a, b) => a + b, 0);
  const passageTerms = hits.map((hit) => new Set(tokenize(`${hit.heading ?? ''} ${hit.text}`)));
  const covered = (have: (t: string) => boolean) => terms.reduce((acc, t) => acc + (have(t) ? (weight.get(t) ?? 0) : 0), 0) / sum;
  const single = Math.max(...passageTerms.map((set) => covered((t) => set.has(t))));
  // Pooling helps a two-part question, but only passages that each carry a good part of it.
  const pooled = passageTerms.slice(0, POOLED).filter((set) => covered((t) => set.has(t)) >= POOL_SHARE);
  const union = pooled.length < 2 ? 0 : covered((t) => pooled.some((set) => set.has(t))) * 0.9;
  const coverage = Math.round(Math.max(single, union) * 1000) / 1000;
  const absent = new Set(terms.filter((t) => !passageTerms.some((set) => set.has(t))));
  const missing = wordsOf(question, absent);
  if (similarity !== undefined && similarity >= settings.minSimilarity) {
    return { relevant: true, coverage, similarity, missing, reason: `a passage is ${similarity.toFixed(2)} similar to the question`, weights: weight };
  }
  // Most of what is asked about appears nowhere in the channel's documents: another subject.
  const unknown = terms.filter((t) => !stats.frequencies.has(t)).length;
  if (unknown >= 2 && unknown / terms.length > 0.5) {
    return { relevant: false, coverage, similarity, missing, reason: `${unknown} of the question's ${terms.length} informative words appear in no document here`, weights: weight };
  }
  const relevant = coverage >= settings.minCoverage;
  const reason = relevant ? "the passages contain the question's informative terms" : `the passages cover ${Math.round(coverage * 100)}% of what the question asks about`;
  return { relevant, coverage, similarity, missing, reason, weights: weight };
}

/** The words of the question, as written, whose tokens are in `tokens`. */
function wordsOf(question: string, tokens: ReadonlySet<string>): string[] {
  const words: string[] = [];
  for (const word of question.split(/\s+/)) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (bare.length > 0 && tokenize(bare).some((t) => tokens.has(t)) && !words.includes(bare)) words.push(bare);
  }
  return words;
}

/** Tokens of the capitalised words inside a question (not its first word): names of people, places, things. */
function namesIn(question: string): Set<string> {
  const names = new Set<string>();
  const words = question.split(/\s+/);
  words.forEach((word, i) => {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    // Two-letter capitals are often abbreviations written otherwise in the documents ("US" for "U.S.").
    if (i === 0 || bare.length < 3 || !/^\p{Lu}/u.test(bare)) return;
    for (const token of tokenize(bare)) names.add(token);
  });
  return names;
}

/** Superlatives, adverbs and adjectives by their form ("poorest", "typical", "unequal", "proportionally"). */
const MODIFIER = /^(?:un\p{L}{4,}|\p{L}{3,}(?:est|ly|al|ous|ive|ful|less|able|ible|ic))$/u;

/** Tokens of the question's words that qualify what is asked rather than name it. */
function modifiersIn(question: string): Set<string> {
  const found = new Set<string>();
  const words = question.toLowerCase().match(/\p{L}+/gu) ?? [];
  words.forEach((word, i) => {
    if (MODIFIER.test(word) || isComparative(words, i)) for (const token of tokenize(word)) found.add(token);
  });
  return found;
}

/** "-er" before "than", or in "older or younger": a comparative, where an "-er" noun ("worker") is not. */
function isComparative(words: readonly string[], i: number): boolean {
  const er = (w: string | undefined) => w !== undefined && /^\p{L}{2,}er$/u.test(w);
  if (!er(words[i])) return false;
  const next = words[i + 1];
  const joined = (w: string | undefined) => w === 'or' || w === 'and';
  return next === 'than' || (joined(next) && er(words[i + 2])) || (joined(words[i - 1]) && er(words[i - 2]));
}

const DERIVATIONS: readonly [RegExp, string][] = [
  [/(?<=\p{L}{2})iest$/u, 'y'],
  [/(?<=\p{L}{2})ier$/u, 'y'],
  [/(?<=\p{L}{3})est$/u, ''],
  [/(?<=\p{L}{3})er$/u, ''],
  [/(?<=\p{L}{3})ness$/u, ''],
  [/(?<=\p{L}{3})ity$/u, ''],
  [/(?<=\p{L}{3})ation$/u, 'e'],
  [/(?<=\p{L}{3})ation$/u, ''],
];

/**
 * The words a token may be derived from ("younger" → "young", "bigger" → "big", "happiest" →
 * "happy"), as tokens: an unknown word whose base the documents have is a form of their words.
 */
export function baseForms(token: string): string[] {
  const bases = new Set<string>();
  for (const [suffix, replacement] of DERIVATIONS) {
    if (!suffix.test(token)) continue;
    const base = token.replace(suffix, replacement);
    bases.add(stem(base));
    // A doubled final consonant ("bigg-er") is undoubled.
    if (/([^aeiou])\1$/u.test(base)) bases.add(stem(base.slice(0, -1)));
  }
  bases.delete(token);
  return [...bases];
}
