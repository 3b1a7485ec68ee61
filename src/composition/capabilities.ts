import type { Config } from '../config.js';
import type { AnswerModels, CapabilityStatus } from '../core/index.js';
import type { Providers } from './providers.js';

/** What is switched on, and which variable switches on the rest: the start-up banner's lines. */
export function describeCapabilities(config: Config, providers: Providers, answers: AnswerModels, schedules: number): CapabilityStatus[] {
  const { store, embedder } = providers;
  const current = answers.chain?.current;
  const fallbacks = answers.chain?.models.slice(1).map((m) => `${m.provider}:${m.model}`) ?? [];
  const plan = answers.plan;
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
    config.gemini.apiKey
      ? { name: 'video clips', active: true, detail: `gemini:${config.vision.model}: caption, describe, answer; up to ${Math.round(config.video.maxBytes / (1024 * 1024))} MB and ${Math.round(config.video.maxSeconds)} s` }
      : { name: 'video clips', active: false, detail: 'off (set GEMINI_API_KEY: there is no offline way to watch a clip)' },
    {
      name: 'digests',
      active: true,
      detail: `${schedules} schedule${schedules === 1 ? '' : 's'}; zone ${config.digest.timezone} unless set; missed runs ${config.digest.catchUp === 'once' ? 'posted once, late' : 'skipped'}`,
    },
    ...dataFlows(config, providers, answers),
  ];
}

/** Names of the data-flow lines ("sent to Groq"), for /settings show. */
export const SENT_TO = 'sent to ';

/**
 * Which provider receives what, for the banner and /settings show (channels with /settings ai off
 * send nothing). Read from what is configured: the answer models, embeddings, summaries, images.
 */
function dataFlows(config: Config, providers: Providers, answers: AnswerModels): CapabilityStatus[] {
  const flows = new Map<string, string[]>();
  const add = (provider: string, what: string) => flows.set(provider, [...(flows.get(provider) ?? []), what]);
  const answering = new Set(answers.chain?.models.map((m) => m.provider) ?? []);
  for (const provider of answering) add(provider, 'questions, with the passages chosen to answer them and, for follow-ups, the earlier turns (/ask)');
  if (providers.embedder) add('gemini', 'the text of every passage indexed, and each question (embeddings for search)');
  if (providers.summaryChain) add('gemini', 'the messages summarized, with their authors (/summarize, digests), and the changed sentences of new document versions (/diff)');
  if (config.gemini.apiKey) add('gemini', `images and video clips given to Docent, and scanned pages${config.ocr.enabled ? '' : ' (OCR is off)'} (${config.vision.model})`);
  if (flows.size === 0) return [{ name: `${SENT_TO}no one`, active: true, detail: 'no model provider is configured: nothing leaves this machine' }];
  return [...flows].map(([provider, what]) => ({ name: `${SENT_TO}${provider === 'groq' ? 'Groq' : 'Gemini'}`, active: true, detail: what.join('; ') }));
}

/** Where passages and state live, and what would move them. */
function storeDetail(config: Config, passages: string, state: string): string {
  if (config.qdrant.url) return `${passages} for passages; documents and state in ${state}`;
  if (config.database.url) return `${state}: documents, passages and state, shared by every replica (set QDRANT_URL to keep vectors in Qdrant)`;
  return `${passages} (set QDRANT_URL to use a Qdrant server)`;
}
