import { documentLocation } from '../providers/readers/formats/index.js';
import { DocentError, ProviderError } from '../ports/errors.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Retrieval } from '../knowledge/search/retrieve.js';
import type { ChatUsage, Logger, Versions } from '../ports/ports.js';
import type { Citation, Scope, SearchHit, Turn } from '../ports/types.js';
import { checkCitations } from './citations.js';
import { bestExcerpt } from './excerpt.js';
import { isFollowUp } from './follow-up.js';
import { modelId, type ModelChain } from '../lib/model-chain.js';
import { streamAnswer, type Streamed } from './answer-stream.js';
import { crossLanguage, translateQuery, untranslatedNote } from './cross-language.js';
import { answerMessages, fitToBudget, NOT_IN_DOCUMENTS, rewriteMessages, type Languages } from './prompts.js';

export type { Turn } from '../ports/types.js';

export interface AskResult {
  readonly question: string;
  /** The query used for retrieval: the question, or a follow-up rewritten to stand alone. */
  readonly query: string;
  readonly answer: string;
  /** True when the answer rests on passages retrieved from this channel's documents. */
  readonly grounded: boolean;
  /** `generated`: written by a model from the passages; `passages`: the passages quoted. */
  readonly mode: 'generated' | 'passages';
  readonly model: string | undefined;
  /** Why passages were quoted instead of a generated answer, when they were. */
  readonly note: string | undefined;
  readonly citations: Citation[];
  readonly documents: string[];
  /** Which versions of the documents were searched (`previous`: only versions a newer file replaced). */
  readonly version: Versions;
  /** Set when the question's language is not the documents': both, by name ("German", "English"). */
  readonly languages?: Languages;
  /** The passages given to the answer model (none when no model was asked). */
  readonly sent: readonly { readonly file: string; readonly location: string }[];
  /** Model calls made before the answer: the follow-up rewritten, the question translated. */
  readonly assisted: { readonly rewritten: boolean; readonly translated: boolean; readonly model: string | undefined };
  readonly retrieval: 'hybrid' | 'lexical';
  readonly usage: ChatUsage | undefined;
  /** One line for under the answer (model, time, sources), when ASK_FOOTER is on. */
  readonly footer: string | undefined;
  readonly timings: { readonly retrievalMs: number; readonly firstTokenMs: number | undefined; readonly totalMs: number };
}

export interface AskOptions {
  /** Earlier turns in this thread or channel, oldest first, to understand a follow-up. */
  readonly history?: readonly Turn[];
  readonly signal?: AbortSignal;
  /** Called once if the question waits in the provider queue longer than the notice delay. */
  readonly onQueued?: () => void;
  /** Answer from the previous versions of the documents (those a newer file of the same name replaced). */
  readonly version?: Versions;
}

/** Tokens as they arrive, then the whole result. Iterate it to run it. */
export interface AskStream extends AsyncIterable<string> {
  readonly result: Promise<AskResult>;
}

export interface AnswerService {
  ask(scope: Scope, question: string, options?: AskOptions): AskStream;
  /** Runs a question to the end without streaming. */
  answer(scope: Scope, question: string, options?: AskOptions): Promise<AskResult>;
}

export interface AnswerSettings {
  readonly topK: number;
  readonly temperature: number;
  readonly topP: number;
  readonly maxOutputTokens: number;
  readonly contextTokens: number;
  readonly historyTurns: number;
  /** Add a one-line footer: model, time, number of sources. */
  readonly footer: boolean;
}

export interface AnswerDeps {
  readonly knowledge: KnowledgeBase;
  /** The answer model chain, decided at start-up; undefined means quote passages. */
  readonly chain: ModelChain | undefined;
  readonly settings: AnswerSettings;
  readonly logger: Logger;
}

/**
 * Answers from the channel's documents only. Retrieval first; nothing relevant means an honest
 * "not covered" and no model call. Otherwise the model answers from the numbered, fenced
 * passages and cites them; invented citation numbers are dropped, and only cited passages are
 * listed. Without a model (no key, or the provider failing) the best passages are quoted.
 */
export function createAnswerService(deps: AnswerDeps): AnswerService {
  const ask = (scope: Scope, question: string, options: AskOptions = {}): AskStream => {
    let settle!: { resolve: (r: AskResult) => void; reject: (e: unknown) => void };
    const result = new Promise<AskResult>((resolve, reject) => (settle = { resolve, reject }));
    result.catch(() => undefined); // the iterator reports the error too
    async function* run(): AsyncGenerator<string, void> {
      try {
        settle.resolve(yield* answerQuestion(deps, scope, question, options));
      } catch (error) {
        settle.reject(error);
        throw error;
      }
    }
    const generator = run();
    return { result, [Symbol.asyncIterator]: () => generator };
  };
  return {
    ask,
    async answer(scope, question, options) {
      const stream = ask(scope, question, options);
      for await (const token of stream) void token;
      return stream.result;
    },
  };
}

/** Said over quoted passages in a channel that keeps model providers out. */
const AI_OFF_NOTE = '_Model providers are off in this channel (/settings ai): Docent quotes the passages instead of writing an answer._';

async function* answerQuestion(deps: AnswerDeps, scope: Scope, question: string, options: AskOptions): AsyncGenerator<string, AskResult> {
  // A channel with model providers off: no model sees its question (nor its embedding, see knowledge-base.ts).
  if (deps.chain && !(await deps.knowledge.providersAllowed(scope))) {
    const quoted = yield* answerWithoutFooter({ ...deps, chain: undefined }, scope, question, options);
    return quoted.mode === 'passages' && quoted.grounded ? { ...quoted, answer: `${AI_OFF_NOTE}\n\n${quoted.answer}` } : quoted;
  }
  const result = yield* answerWithoutFooter(deps, scope, question, options);
  if (!deps.settings.footer || !result.grounded || result.mode !== 'generated') return result;
  const parts = [result.model ?? 'unknown model', `${(result.timings.totalMs / 1000).toFixed(1)} s`, `${result.citations.length} source${result.citations.length === 1 ? '' : 's'}`];
  return { ...result, footer: parts.join(' · ') };
}

async function* answerWithoutFooter(deps: AnswerDeps, scope: Scope, question: string, options: AskOptions): AsyncGenerator<string, AskResult> {
  const started = performance.now();
  const chain = deps.chain;
  const { query, languages, assisted } = await searchQuery(deps, scope, question, options);
  const previous = options.version === 'previous';
  const retrieval = await deps.knowledge.search(scope, query, deps.settings.topK, options.signal, options.version);
  const retrievalMs = performance.now() - started;
  const documents = retrieval.documents.map((d) => d.name);
  const base = { question, query, documents, version: options.version ?? 'current', retrieval: retrieval.mode, sent: [], assisted, ...(languages ? { languages } : {}) };
  const timings = (firstTokenMs?: number) => ({ retrievalMs: round(retrievalMs), firstTokenMs: firstTokenMs === undefined ? undefined : round(firstTokenMs), totalMs: round(performance.now() - started) });
  const notCovered = (answer: string): AskResult => ({
    ...base,
    answer,
    grounded: false,
    mode: chain ? 'generated' : 'passages',
    model: undefined,
    note: undefined,
    citations: [],
    usage: undefined,
    footer: undefined,
    timings: timings(),
  });

  if (retrieval.documents.length === 0) {
    return notCovered(
      previous
        ? 'No previous versions of documents are kept in this channel. When a file is posted again under the same name, the version it replaces is kept, and version:previous asks it.'
        : 'No documents are indexed in this channel yet, so there is nothing to answer from. Post a PDF here (or use /index) first.',
    );
  }
  // With a model, only a question about something else is refused here: the model says itself
  // when the passages do not answer (NOT_IN_DOCUMENTS). Quoting passages needs them to cover it.
  const covered = chain ? retrieval.relevance.related : retrieval.relevance.relevant;
  if (retrieval.hits.length === 0 || !covered) {
    deps.logger.info({ coverage: retrieval.relevance.coverage, similarity: retrieval.relevance.similarity, missing: retrieval.relevance.missing.slice(0, 5), reason: retrieval.relevance.reason }, 'question not covered by the documents; no model call');
    return notCovered(`${notCoveredMessage(retrieval, previous)}${languages && !chain ? ` ${untranslatedNote(languages)}` : ''}`);
  }
  if (!chain) return quotePassages(retrieval, base, timings(), languages ? untranslatedNote(languages) : undefined);

  const passages = fitToBudget(retrieval.hits, deps.settings.contextTokens);
  const sent = passages.map((hit) => ({ file: hit.file, location: documentLocation(hit.file, hit.page, hit.heading) }));
  const messages = answerMessages(question, passages, query === question ? undefined : query, languages);
  const said: Streamed = { text: '', model: undefined, usage: undefined, firstTokenMs: undefined, decided: false };
  try {
    const request = { messages, temperature: deps.settings.temperature, topP: deps.settings.topP, maxOutputTokens: deps.settings.maxOutputTokens, signal: options.signal };
    yield* streamAnswer(chain, request, options.onQueued, started, said);
    // Some SDKs end a stream quietly when it is aborted: a cut-off answer must not pass as whole.
    if (options.signal?.aborted) throw cancelled(options.signal);
  } catch (error) {
    if (options.signal?.aborted) throw cancelled(options.signal);
    if (!(error instanceof ProviderError) || said.decided) throw error;
    deps.logger.warn({ err: error, model: said.model ?? (chain.current ? modelId(chain.current) : undefined) }, 'answer model failed; quoting passages instead');
    return { ...quotePassages(retrieval, base, timings(said.firstTokenMs), `${error.userMessage} These are the most relevant passages instead.`), sent };
  }
  const { text, model, usage, firstTokenMs } = said;

  if (text.trim().startsWith(NOT_IN_DOCUMENTS) || text.trim().length === 0) {
    return { ...notCovered(`The ${previous ? 'previous versions of the documents' : 'documents'} in this channel don't answer that. ${previous ? 'Previous versions' : 'Documents'} here: ${documents.join(', ')}.`), model, usage, sent, mode: 'generated', timings: timings(firstTokenMs) };
  }
  const checked = checkCitations(text, passages.length);
  if (checked.invented.length > 0) deps.logger.warn({ invented: checked.invented, model }, 'dropped citations of passages that do not exist');
  const citations = checked.cited.map((n) => toCitation(passages[n - 1], n, retrieval, query));
  return {
    ...base,
    answer: checked.text,
    grounded: citations.length > 0,
    mode: 'generated',
    model,
    note: citations.length > 0 ? undefined : 'The answer cites no passage; check it against the documents.',
    citations,
    usage,
    sent,
    footer: undefined,
    timings: timings(firstTokenMs),
  };
}

/** "Not covered", naming what the channel's documents are about so the asker knows what to ask. */
function notCoveredMessage(retrieval: Retrieval, previous: boolean): string {
  const missing = retrieval.relevance.missing.slice(0, 3);
  const about = missing.length > 0 ? ` Nothing in them mentions ${missing.map((m) => `“${m}”`).join(', ')}.` : '';
  const names = retrieval.documents.slice(0, 10).map((d) => d.name);
  const more = retrieval.documents.length > names.length ? ` and ${retrieval.documents.length - names.length} more` : '';
  return previous
    ? `The previous versions of the documents in this channel don't cover that.${about} Previous versions here: ${names.join(', ')}${more}.`
    : `The documents in this channel don't cover that.${about} Documents here: ${names.join(', ')}${more}.`;
}

function quotePassages(retrieval: Retrieval, base: Pick<AskResult, 'question' | 'query' | 'documents' | 'version' | 'retrieval' | 'languages' | 'sent' | 'assisted'>, timings: AskResult['timings'], note: string | undefined): AskResult {
  const citations = retrieval.hits.map((hit, i) => toCitation(hit, i + 1, retrieval, base.query));
  const lines = citations.map((c) => `[${c.n}] ${c.excerpt}\n    — ${c.file}, ${c.location}${c.ocr ? ' (OCR)' : ''}${c.heading && c.location.startsWith('page') ? ` (${c.heading})` : ''}`);
  return {
    ...base,
    answer: `${note ? `${note}\n\n` : ''}Most relevant passages from ${base.version === 'previous' ? "the previous versions of this channel's documents" : "this channel's documents"} (quoted, not a generated answer):\n\n${lines.join('\n\n')}`,
    grounded: true,
    mode: 'passages',
    model: undefined,
    note,
    citations,
    usage: undefined,
    footer: undefined,
    timings,
  };
}

/**
 * How much of each passage a quoted reply shows. The best passage gets twice the room: an answer
 * often sits a few sentences after the words that found it (a term, then its definition; a label,
 * then its value), and without a model the quote is the whole answer.
 */
const EXCERPT_CHARS = 320;
const FIRST_EXCERPT_CHARS = 2 * EXCERPT_CHARS;

function toCitation(hit: SearchHit, n: number, retrieval: Retrieval, query: string): Citation {
  return {
    n,
    documentId: hit.documentId,
    file: hit.file,
    page: hit.page,
    heading: hit.heading,
    location: documentLocation(hit.file, hit.page, hit.heading),
    score: round(hit.score, 4),
    excerpt: bestExcerpt(hit.text, retrieval.tokens, n === 1 ? FIRST_EXCERPT_CHARS : EXCERPT_CHARS, query, retrieval.relevance.weights),
    link: retrieval.documents.find((d) => d.id === hit.documentId)?.link,
    ...(hit.ocr ? { ocr: true } : {}),
  };
}

/** A follow-up rewritten into a standalone query, by the model when there is one. */
/**
 * What to search with: a follow-up rewritten to stand alone (read with the earlier turns), and a
 * question in another language than the documents' translated into theirs by the answer model.
 */
async function searchQuery(deps: AnswerDeps, scope: Scope, question: string, options: AskOptions): Promise<{ query: string; languages: Languages | undefined; assisted: AskResult['assisted'] }> {
  const history = (options.history ?? []).slice(-deps.settings.historyTurns);
  const chain = deps.chain;
  const model = chain?.current ? modelId(chain.current) : undefined;
  // Only a question that depends on the earlier turns is read with them; a new one stands alone.
  const followUp = isFollowUp(question, history.length > 0);
  const standalone = followUp ? await standaloneQuery(chain, deps.logger, history, question, options.signal) : question;
  const languages = await crossLanguage(deps.knowledge, scope, question, options.version);
  const assisted = { rewritten: followUp && chain !== undefined, translated: languages !== undefined && chain !== undefined, model };
  if (!languages || !chain) return { query: standalone, languages, assisted };
  return { query: await translateQuery(chain, deps.logger, standalone, languages, options.signal), languages, assisted };
}

async function standaloneQuery(
  chain: ModelChain | undefined,
  logger: Logger,
  history: readonly Turn[],
  question: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const fallback = `${history[history.length - 1].question} ${question}`;
  if (!chain) return fallback;
  try {
    let rewritten = '';
    for await (const event of chain.stream({ messages: rewriteMessages(history, question), temperature: 0, topP: 1, maxOutputTokens: 96, signal })) {
      if (event.type === 'token') rewritten += event.text;
    }
    const query = rewritten.trim().replace(/^["']|["']$/g, '').split('\n')[0]?.trim() ?? '';
    return query.length > 0 && query.length <= 500 ? query : fallback;
  } catch (error) {
    if (signal?.aborted) throw error;
    logger.warn({ err: error }, 'could not rewrite the follow-up; searching with the last two questions');
    return fallback;
  }
}

function cancelled(signal: AbortSignal): DocentError {
  return new DocentError('cancelled', 'The question was cancelled before the answer was complete.', { cause: signal.reason });
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
