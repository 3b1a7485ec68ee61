import type { Config } from '../config.js';
import type { AnswerModels } from './models.js';
import type { Providers } from './wiring.js';

export interface CapabilityStatus {
  readonly name: string;
  readonly active: boolean;
  readonly detail: string;
}

/** What is switched on, and which variable switches on the rest: the start-up banner's lines. */
export function describeCapabilities(config: Config, providers: Providers, answers: AnswerModels | undefined, schedules: number): CapabilityStatus[] {
  const { store, embedder } = providers;
  const current = answers?.chain?.current;
  const fallbacks = answers?.chain?.models.slice(1).map((m) => `${m.provider}:${m.model}`) ?? [];
  const plan = answers?.plan;
  return [
    { name: 'store', active: true, detail: storeDetail(config, store.description, providers.state.description) },
    {
      name: 'semantic search',
      active: embedder !== undefined,
      detail: embedder ? `Gemini embeddings ${embedder.model}, ${embedder.dimensions} dimensions, fused with BM25` : 'off, keyword (BM25) search only (set GEMINI_API_KEY for hybrid search)',
    },
    current
      ? { name: '/ask answers', active: true, detail: `${current.provider}:${current.model}${plan ? ` (${plan.reason})` : ''}${fallbacks.length > 0 ? `, then ${fallbacks.join(', ')}` : ''}` }
      : { name: '/ask answers', active: false, detail: 'quoted passages with file and page citations (set GROQ_API_KEY or GEMINI_API_KEY for written answers)' },
    providers.summaryChain
      ? { name: '/summarize', active: true, detail: `gemini:${config.summary.model}, map-reduce over parts of ${config.summary.chunkTokens} tokens` }
      : { name: '/summarize', active: false, detail: 'most representative messages (set GEMINI_API_KEY for written summaries)' },
    config.gemini.apiKey
      ? { name: 'images', active: true, detail: `gemini:${config.vision.model}: caption, describe, read text, answer, find objects` }
      : { name: 'images', active: false, detail: 'reading text only, offline (set GEMINI_API_KEY to caption, describe, answer and find objects)' },
    {
      name: 'digests',
      active: true,
      detail: `${schedules} schedule${schedules === 1 ? '' : 's'}; zone ${config.digest.timezone} unless set; missed runs ${config.digest.catchUp === 'once' ? 'posted once, late' : 'skipped'}`,
    },
  ];
}

/** Where passages and state live, and what would move them. */
function storeDetail(config: Config, passages: string, state: string): string {
  if (config.qdrant.url) return `${passages} for passages; documents and state in ${state}`;
  if (config.database.url) return `${state}: documents, passages and state, shared by every replica (set QDRANT_URL to keep vectors in Qdrant)`;
  return `${passages} (set QDRANT_URL to use a Qdrant server)`;
}
