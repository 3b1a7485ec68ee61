import type { DocumentRegistry, Embedder, Logger, VectorStore, Versions } from '../../ports/ports.js';
import type { DocumentRecord, SearchHit } from '../../ports/types.js';
import { queryTerms, stemmingFor, tokenize } from '../../lib/tokenizer.js';
import { questionParts } from './question-parts.js';
import { baseForms, judgeRelevance, type Relevance, type RelevanceSettings } from './relevance.js';

export interface RetrievalDeps {
  readonly registry: DocumentRegistry;
  readonly store: VectorStore;
  readonly embedder: Embedder | undefined;
  readonly logger: Logger;
  readonly relevance?: RelevanceSettings;
  /** The languages (ISO 639-3) the documents are written in: a question is stemmed as each of them is. */
  readonly languages?: (documents: readonly DocumentRecord[]) => Promise<readonly string[]>;
}

export interface Retrieval {
  readonly hits: SearchHit[];
  /** The tenant's ready documents, the only ones the search could return. */
  readonly documents: DocumentRecord[];
  readonly mode: 'hybrid' | 'lexical';
  readonly tokens: string[];
  /** Whether the hits cover the question, judged before any model is called. */
  readonly relevance: Relevance;
}

/**
 * Hybrid retrieval for one tenant: BM25 terms plus, when an embedder is configured, a dense
 * query vector, fused by reciprocal rank. Only the tenant's fully indexed documents can match:
 * the current version of each name, or (`versions: 'previous'`) only the versions they replaced.
 * If embedding the question fails, it degrades to lexical search rather than failing the user.
 */
export async function retrieve(deps: RetrievalDeps, tenant: string, question: string, limit: number, signal?: AbortSignal, versions: Versions = 'current'): Promise<Retrieval> {
  const documents = await deps.registry.listReady(tenant, deps.store.key, versions);
  const languages = await stemmingsOf(deps, documents);
  const tokensOf = (text: string) => [...new Set(languages.flatMap((language) => tokenize(text, language)))];
  const tokens = languages.length === 1 ? tokenize(question, languages[0]) : tokensOf(question);
  const none: Relevance = { relevant: false, related: false, coverage: 0, similarity: undefined, missing: [], reason: 'no documents', weights: new Map() };
  if (documents.length === 0) return { hits: [], documents, mode: 'lexical', tokens, relevance: none };

  let vector: Float32Array | undefined;
  if (deps.embedder) {
    try {
      vector = await deps.embedder.embedQuery(question, signal);
    } catch (error) {
      deps.logger.warn({ err: error }, 'embedding the question failed; using lexical search only');
    }
  }
  const query = { tenant, documentIds: documents.map((d) => d.id), tokens: tokens.join(' '), sparse: queryTerms(tokens), vector, limit: limit * 3 };
  const found = await deps.store.search(query);
  // A two-part question: each part's best passage is among those shown.
  const parts = questionParts(question, tokensOf);
  const partBest: SearchHit[] = [];
  for (const part of parts) {
    const [best] = await deps.store.search({ ...query, tokens: part.join(' '), sparse: queryTerms(part), limit: 1 });
    if (best) partBest.push(best);
  }
  const hits = diversify(interleave(found, partBest), limit);
  const stats = await deps.registry.termStats(tenant, deps.store.key, [...new Set([...tokens, ...tokens.flatMap(baseForms)])], versions);
  let relevance = judgeRelevance(question, hits, stats, undefined, deps.relevance, languages);
  // Different words may still mean the same: with vectors, a close enough passage is relevant.
  if (!relevance.relevant && vector) relevance = judgeRelevance(question, hits, stats, await deps.store.bestSimilarity(query), deps.relevance, languages);
  return { hits, documents, mode: vector ? 'hybrid' : 'lexical', tokens, relevance };
}

/**
 * The languages a question is tokenized in, one per stemming the documents were indexed with
 * (lib/tokenizer.ts): English stemming for most, German stemming too when a document is in German.
 */
async function stemmingsOf(deps: RetrievalDeps, documents: readonly DocumentRecord[]): Promise<(string | undefined)[]> {
  const codes = deps.languages ? await deps.languages(documents) : [];
  const byStemming = new Map<string, string | undefined>([['english', undefined]]);
  for (const code of codes) if (stemmingFor(code) !== 'english') byStemming.set(stemmingFor(code), code);
  return [...byStemming.values()];
}

/** Passages from one page beyond this many wait until other pages have had their turn. */
const PER_PAGE = 1;

/**
 * The best `limit` passages in rank order, one per page (slide, section, rows) first: a second
 * passage of a place already cited says less than the best passage of another place, and a reply
 * cites places. Passages held back fill the list only when nothing else is left.
 */
export function diversify(hits: readonly SearchHit[], limit: number): SearchHit[] {
  const perPage = new Map<string, number>();
  const chosen: SearchHit[] = [];
  const held: SearchHit[] = [];
  for (const hit of hits) {
    const page = `${hit.documentId}#${hit.page}`;
    const count = perPage.get(page) ?? 0;
    if (count >= PER_PAGE) held.push(hit);
    else {
      perPage.set(page, count + 1);
      chosen.push(hit);
    }
    if (chosen.length === limit) return chosen;
  }
  return [...chosen, ...held].slice(0, limit);
}

/**
 * `hits` with each of `first` ranked right after the best hit: the passages that best answer each
 * part of a question come before more passages about the part the whole question favoured.
 */
export function interleave(hits: readonly SearchHit[], first: readonly SearchHit[]): SearchHit[] {
  const ids = new Set<string>();
  const order = [...hits.slice(0, 1), ...first, ...hits.slice(1)];
  return order.filter((hit) => !ids.has(hit.chunkId) && ids.add(hit.chunkId));
}
