import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Citation, Scope } from '../types.js';
import { bestExcerpt } from './excerpt.js';

export interface AskResult {
  readonly question: string;
  readonly answer: string;
  /** True when the answer rests on passages retrieved from this channel's documents. */
  readonly grounded: boolean;
  /** `passages`: the retrieved passages themselves, not a generated answer. */
  readonly mode: 'passages';
  readonly citations: Citation[];
  readonly documents: string[];
  readonly retrieval: 'hybrid' | 'lexical';
  readonly timings: { readonly retrievalMs: number; readonly totalMs: number };
}

export interface AnswerService {
  ask(scope: Scope, question: string, signal?: AbortSignal): Promise<AskResult>;
}

/**
 * Answers from the channel's documents. Without an answer model it returns the best passages,
 * labelled as passages, each cited by file and page. When nothing relevant is found it says so
 * and names the documents it has, rather than guessing.
 */
export function createAnswerService(deps: { knowledge: KnowledgeBase; topK: number }): AnswerService {
  return {
    async ask(scope, question, signal) {
      const started = performance.now();
      const retrieval = await deps.knowledge.search(scope, question, deps.topK, signal);
      const retrievalMs = performance.now() - started;
      const documents = retrieval.documents.map((d) => d.name);
      const links = new Map(retrieval.documents.map((d) => [d.id, d.link]));
      const timings = () => ({ retrievalMs: round(retrievalMs), totalMs: round(performance.now() - started) });
      const base = { question, mode: 'passages' as const, documents, retrieval: retrieval.mode };

      if (retrieval.documents.length === 0) {
        return {
          ...base,
          answer: 'No documents are indexed in this channel yet, so there is nothing to answer from. Post a PDF here (or use /index) first.',
          grounded: false,
          citations: [],
          timings: timings(),
        };
      }
      if (retrieval.hits.length === 0) {
        return {
          ...base,
          answer: `The documents in this channel don't seem to cover that. Documents here: ${documents.join(', ')}.`,
          grounded: false,
          citations: [],
          timings: timings(),
        };
      }
      const citations: Citation[] = retrieval.hits.map((hit, i) => ({
        n: i + 1,
        documentId: hit.documentId,
        file: hit.file,
        page: hit.page,
        heading: hit.heading,
        score: round(hit.score, 4),
        excerpt: bestExcerpt(hit.text, retrieval.tokens),
        link: links.get(hit.documentId),
      }));
      const lines = citations.map((c) => `[${c.n}] ${c.excerpt}\n    — ${c.file}, page ${c.page}${c.heading ? ` (${c.heading})` : ''}`);
      return {
        ...base,
        answer: `Most relevant passages from this channel's documents (quoted, not a generated answer):\n\n${lines.join('\n\n')}`,
        grounded: true,
        citations,
        timings: timings(),
      };
    },
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
