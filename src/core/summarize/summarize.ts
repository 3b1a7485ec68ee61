import { ProviderError } from '../errors.js';
import type { ModelChain } from '../answer/model-chain.js';
import type { Logger } from '../ports.js';
import { createLimiter } from '../util/limiter.js';
import { representativeMessages } from './extractive.js';
import { SUMMARY_RESPONSE_SCHEMA, parseSummary } from './parse-summary.js';
import { formatMessage, mapMessages, reduceMessages } from './prompts.js';
import type { ConversationMessage, ConversationSource, Summary } from './types.js';

export interface SummarizeSettings {
  /** Token budget of one map call's messages. */
  readonly chunkTokens: number;
  /** Map calls in flight at once. */
  readonly concurrency: number;
  readonly temperature: number;
  readonly maxOutputTokens: number;
  /** Most messages read from a conversation (SUMMARY_MAX_MESSAGES). */
  readonly maxMessages: number;
}

export interface SummarizeOptions {
  /** Most recent messages to read (capped by SUMMARY_MAX_MESSAGES). */
  readonly limit?: number;
  readonly since?: Date;
  /** Include bots' and Docent's own messages. */
  readonly includeBots?: boolean;
  readonly signal?: AbortSignal;
}

export interface MessageRef {
  readonly author: string;
  readonly link: string | undefined;
  readonly at: Date | undefined;
}

export interface FailedPart {
  readonly part: number;
  readonly firstMessage: string;
  readonly lastMessage: string;
  readonly reason: string;
}

export interface SummaryResult {
  /** `generated` by a model; `extractive`: representative messages (no model); `direct`: too little to summarize. */
  readonly mode: 'generated' | 'extractive' | 'direct';
  readonly source: string;
  readonly messageCount: number;
  readonly participants: string[];
  readonly summary: Summary | undefined;
  /** Messages shown as they are (extractive and direct modes). */
  readonly excerpts: ConversationMessage[];
  /** m1, m2, … → who said it and a link back, for rendering references. */
  readonly refs: ReadonlyMap<string, MessageRef>;
  readonly failedParts: FailedPart[];
  /** Whether the window hit the message cap, so older messages were left out. */
  readonly capped: boolean;
  readonly model: string | undefined;
  readonly note: string | undefined;
  readonly calls: number;
  readonly promptChars: number;
  readonly timings: { readonly totalMs: number };
}

export interface SummaryService {
  summarize(source: ConversationSource, options?: SummarizeOptions): Promise<SummaryResult>;
}

export interface SummaryDeps {
  readonly chain: () => ModelChain | undefined;
  readonly settings: SummarizeSettings;
  readonly logger: Logger;
}

interface Part {
  readonly index: number;
  readonly lines: string[];
  first: string;
  last: string;
}

const estimateTokens = (text: string) => Math.ceil(text.length / 4);

/**
 * Summaries by token-budgeted map-reduce: messages are read page by page and cut into parts that
 * fit the budget; each full part is summarized as soon as it is complete (several in parallel),
 * and the part summaries are combined in one last call. A part that fails is retried once, then
 * reported, never silently dropped. Without a model, the most representative messages are shown.
 */
export function createSummaryService(deps: SummaryDeps): SummaryService {
  return {
    async summarize(source, options = {}) {
      const started = performance.now();
      const chain = deps.chain();
      const cap = Math.min(options.limit ?? deps.settings.maxMessages, deps.settings.maxMessages);
      const limiter = createLimiter(deps.settings.concurrency);
      const refs = new Map<string, MessageRef>();
      const participants = new Set<string>();
      const kept: ConversationMessage[] = [];
      const mapped: Promise<Summary | FailedPart>[] = [];
      let calls = 0;
      let promptChars = 0;
      let model: string | undefined;
      let count = 0;
      let part: Part = { index: 1, lines: [], first: '', last: '' };
      let partTokens = 0;

      const call = async (messages: ReturnType<typeof mapMessages>): Promise<string> => {
        if (!chain) throw new Error('no model');
        calls++;
        promptChars += messages.reduce((n, m) => n + m.content.length, 0);
        let text = '';
        const request = { messages, temperature: deps.settings.temperature, topP: 0.95, maxOutputTokens: deps.settings.maxOutputTokens, signal: options.signal, responseSchema: SUMMARY_RESPONSE_SCHEMA };
        for await (const event of chain.stream(request)) {
          if (event.type === 'model') model = event.id;
          if (event.type === 'token') text += event.text;
        }
        return text;
      };

      /** One structured call, retried once when it fails or returns something that is not the schema. */
      const summarizeOnce = async (messages: ReturnType<typeof mapMessages>): Promise<Summary> => {
        let lastError: unknown;
        for (let attempt = 0; attempt < 2; attempt++) {
          try {
            const summary = parseSummary(await call(messages), new Set(refs.keys()));
            if (summary) return summary;
            lastError = new ProviderError('Gemini', 'The model returned a summary that is not valid JSON.', { retryable: true, code: 'invalid_summary' });
          } catch (error) {
            if (options.signal?.aborted) throw error;
            lastError = error;
          }
        }
        throw lastError;
      };

      const dispatch = () => {
        if (part.lines.length === 0) return;
        const current = part;
        part = { index: current.index + 1, lines: [], first: '', last: '' };
        partTokens = 0;
        mapped.push(
          limiter.run(async () => {
            try {
              return await summarizeOnce(mapMessages(current.lines, { index: current.index, of: undefined }));
            } catch (error) {
              if (options.signal?.aborted) throw error;
              const reason = error instanceof ProviderError ? error.userMessage : error instanceof Error ? error.message : String(error);
              deps.logger.warn({ err: error, part: current.index }, 'a part of the conversation could not be summarized');
              return { part: current.index, firstMessage: current.first, lastMessage: current.last, reason };
            }
          }),
        );
      };

      const window = await source.messages({ limit: cap, since: options.since, signal: options.signal });
      const capped = window.capped;
      for await (const page of window.pages) {
        for (const message of page) {
          if (!options.includeBots && (message.author.bot || message.fromDocent)) continue;
          if (message.text.trim().length === 0) continue;
          count++;
          const ref = `m${count}`;
          refs.set(ref, { author: message.author.name, link: message.link, at: message.at });
          participants.add(message.author.name);
          if (!chain || count <= 2) kept.push(message);
          if (!chain) continue;
          const line = formatMessage(ref, message.author.name, message.at, message.text);
          const tokens = estimateTokens(line);
          if (partTokens + tokens > deps.settings.chunkTokens && part.lines.length > 0) dispatch();
          if (part.lines.length === 0) part.first = ref;
          part.lines.push(line);
          part.last = ref;
          partTokens += tokens;
        }
      }

      const base = { source: source.label, messageCount: count, participants: [...participants], refs, capped, calls: 0, promptChars: 0 };
      const finish = () => ({ totalMs: Math.round(performance.now() - started) });
      if (count <= 1) {
        return { ...base, mode: 'direct', summary: undefined, excerpts: kept, failedParts: [], model: undefined, note: undefined, timings: finish() };
      }
      if (!chain) {
        const excerpts = representativeMessages(kept, Math.min(8, Math.max(3, Math.ceil(kept.length / 20))));
        return {
          ...base,
          mode: 'extractive',
          summary: undefined,
          excerpts,
          failedParts: [],
          model: undefined,
          note: 'No summary model is configured: these are the most representative messages. Set GEMINI_API_KEY for a written summary.',
          timings: finish(),
        };
      }

      dispatch();
      const results = await Promise.all(mapped);
      const partials = results.filter((r): r is Summary => 'tldr' in r);
      const failedParts = results.filter((r): r is FailedPart => !('tldr' in r));
      if (partials.length === 0) {
        throw new ProviderError('Gemini', `Docent could not summarize this conversation: ${failedParts[0]?.reason ?? 'the model failed'}`, { retryable: true, code: 'summary_failed' });
      }
      const summary = partials.length === 1 ? partials[0] : await summarizeOnce(reduceMessages(partials));
      return {
        ...base,
        mode: 'generated',
        summary,
        excerpts: [],
        failedParts,
        model,
        note: failedParts.length > 0 ? `${failedParts.length} of ${results.length} parts could not be summarized and are missing from this summary.` : undefined,
        calls,
        promptChars,
        timings: finish(),
      };
    },
  };
}
