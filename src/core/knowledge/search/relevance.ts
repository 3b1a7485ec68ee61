import type { TermStats } from '../../ports/ports.js';
import type { SearchHit } from '../../ports/types.js';
import { generalRarity } from './general-rarity.js';
import { stem, tokenize } from '../../lib/tokenizer.js';
import { questionSubject } from './question-subject.js';

export interface Relevance {
  /**
   * Whether the passages found cover the question well enough to answer from them without a
   * model: its distinctive words are in the channel's documents and meet in the best passages.
   */
  readonly relevant: boolean;
  /**
   * Whether the question is about what the documents are about at all: false only when most of
   * its subject appears in no document. With an answer model this is the gate (the model says
   * itself when the passages do not answer); unrelated questions never reach a model.
   */
  readonly related: boolean;
  /** Share (0–1) of the question's distinctive weight that the best passages contain. */
  readonly coverage: number;
  /** Highest cosine similarity of a passage with the question, when vectors were searched. */
  readonly similarity: number | undefined;
  /** The question's words (as asked) that no document of the channel contains, most distinctive first. */
  readonly missing: readonly string[];
  readonly reason: string;
  /** How informative each of the question's terms is in this channel (for choosing excerpts). */
  readonly weights: ReadonlyMap<string, number>;
}

export interface RelevanceSettings {
  /** Share of the question's distinctive weight the best passages must hold to be quoted without a model. */
  readonly minCoverage: number;
  /** With embeddings: a passage at least this similar is relevant whatever the word overlap. */
  readonly minSimilarity: number;
}

export const DEFAULT_RELEVANCE: RelevanceSettings = { minCoverage: 0.5, minSimilarity: 0.72 };

/** Passages whose words are pooled when judging coverage: a comparison needs two. */
const POOLED = 2;
/**
 * A word's distinctive weight is its rarity in everyday English plus this floor, so that a
 * question made of everyday words only is still judged by which of them the documents have.
 */
const FLOOR = 0.05;
/** More than this share of a question's subject absent from every document: it is about something else. */
const UNRELATED_SHARE = 0.5;

/**
 * Judges, before any model is called, whether the channel's documents can answer the question.
 *
 * What a question is about is its nouns (question-subject.ts), and a word says more the rarer it
 * is in everyday English (general-rarity.ts): "unicorns" and "Ohio" are distinctive, "company",
 * "forever" and "OK" are not, whatever the documents are. A question is about something else
 * (`related: false`) when more than half of its subject's weight is words no document of the
 * channel uses (nor a base form of them: "younger" counts as "young"); a name no document
 * mentions counts as fully distinctive. Without a model, the passages themselves must also hold at least half of the
 * subject's weight, in one passage or the best two together (a comparison needs two), before they
 * are quoted as the answer: words found only here and there in the documents are not a subject
 * they discuss. With embeddings, a passage similar enough is relevant whatever its words.
 */
export function judgeRelevance(
  question: string,
  hits: readonly SearchHit[],
  stats: TermStats,
  similarity: number | undefined,
  settings: RelevanceSettings = DEFAULT_RELEVANCE,
  languages: readonly (string | undefined)[] = [undefined],
): Relevance {
  const tokensOf = (text: string) => [...new Set(languages.flatMap((language) => tokenize(text, language)))];
  const terms = tokensOf(question);
  const idf = channelWeights(terms, stats);
  if (hits.length === 0) return notCovered(0, similarity, wordsOf(question, new Set(terms), tokensOf), 'no passage matched', idf);
  if (!stats.complete || terms.length === 0) {
    return { relevant: true, related: true, coverage: 1, similarity, missing: [], reason: stats.complete ? 'no informative terms to judge by' : 'term statistics incomplete', weights: idf };
  }
  const known = (t: string) => stats.frequencies.has(t) || baseForms(t).some((base) => stats.frequencies.has(base));
  const subjects = languages.map((language) => questionSubject(question, language));
  const names = new Set(subjects.flatMap((s) => [...s.names]));
  // A name no document mentions ("Tokyo") says the question is about something else, however
  // often everyday English says it; a name the documents do mention may be a passing mention, and
  // weighs by its rarity like any word.
  const weight = new Map(terms.map((t) => [t, FLOOR + (names.has(t) && !known(t) ? 1 : generalRarity(t))]));
  const mass = (tokens: Iterable<string>) => [...tokens].reduce((sum, t) => sum + (weight.get(t) ?? 0), 0);

  const subject = new Set(subjects.flatMap((s) => [...s.nouns]).filter((t) => weight.has(t)));
  const absent = terms.filter((t) => !known(t));
  const absentSubject = mass([...subject].filter((t) => !known(t)));
  const subjectMass = mass(subject);
  const missing = wordsOf(question, new Set(absent), tokensOf).sort((a, b) => mass(tokensOf(b)) - mass(tokensOf(a)));
  const related = subjectMass === 0 || absentSubject / subjectMass <= UNRELATED_SHARE;

  // How much of the subject the best passage, or the best two together, hold. A word the
  // documents have only in another form ("fewest" where they say "few") cannot be found as
  // written in a passage, so it is not looked for there.
  const passageTerms = hits.map((hit) => new Set(tokensOf(`${hit.heading ?? ''} ${hit.text}`)));
  const sought = [...subject].filter((t) => stats.frequencies.has(t) || !known(t));
  const soughtMass = mass(sought);
  const share = (have: (t: string) => boolean) => (soughtMass === 0 ? 1 : mass(sought.filter(have)) / soughtMass);
  const single = Math.max(...passageTerms.map((set) => share((t) => set.has(t))));
  const pool = passageTerms.slice(0, POOLED);
  const pooled = share((t) => pool.some((set) => set.has(t)));
  const coverage = Math.round(Math.max(single, pooled) * 1000) / 1000;

  if (similarity !== undefined && similarity >= settings.minSimilarity) {
    return { relevant: true, related: true, coverage, similarity, missing, reason: `a passage is ${similarity.toFixed(2)} similar to the question`, weights: idf };
  }
  if (!related) {
    return notCovered(coverage, similarity, missing, `${Math.round((absentSubject / subjectMass) * 100)}% of what the question is about appears in no document here`, idf);
  }
  const relevant = coverage >= settings.minCoverage;
  const reason = relevant ? "the passages contain the question's distinctive words" : `the best passages hold ${Math.round(coverage * 100)}% of what the question asks about`;
  return { relevant, related, coverage, similarity, missing, reason, weights: idf };
}

function notCovered(coverage: number, similarity: number | undefined, missing: readonly string[], reason: string, weights: ReadonlyMap<string, number>): Relevance {
  return { relevant: false, related: false, coverage, similarity, missing, reason, weights };
}

/**
 * Each term's inverse document frequency in the channel (a word in every passage says little,
 * one in a few passages a lot); a word no passage has weighs as the rarest. Used to choose excerpts.
 */
function channelWeights(terms: readonly string[], stats: TermStats): Map<string, number> {
  const total = Math.max(stats.passages, 1);
  return new Map(terms.map((t) => [t, Math.log(1 + (total - (stats.frequencies.get(t) ?? 0) + 0.5) / ((stats.frequencies.get(t) ?? 0) + 0.5))]));
}

/** The words of the question, as written, whose tokens are in `tokens`. */
function wordsOf(question: string, tokens: ReadonlySet<string>, tokensOf: (text: string) => string[]): string[] {
  const words: string[] = [];
  for (const word of question.split(/\s+/)) {
    const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
    if (bare.length > 0 && tokensOf(bare).some((t) => tokens.has(t)) && !words.includes(bare)) words.push(bare);
  }
  return words;
}

const DERIVATIONS: readonly [RegExp, string][] = [
  [/(?<=\p{L}{2})iest$/u, 'y'],
  [/(?<=\p{L}{2})ier$/u, 'y'],
  [/(?<=\p{L}{3})est$/u, ''],
  [/(?<=\p{L}{3})er$/u, ''],
  [/(?<=\p{L}{3})ness$/u, ''],
  [/(?<=\p{L}{3})iti$/u, ''],
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
