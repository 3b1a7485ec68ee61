import type { ModelChain } from '../lib/model-chain.js';
import type { Logger } from '../ports/ports.js';
import { representativeMessages } from './extractive.js';
import { createMapReduce, type FailedPart, type MapReduceSettings } from './map-reduce.js';
import { formatMessage } from './prompts.js';
import type { ConversationMessage, ConversationSource, Summary } from './types.js';

export type { FailedPart };

export interface SummarizeSettings extends MapReduceSettings {
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
  /** The channel keeps model providers out (setting ai off): the representative messages, no model. */
  readonly offline?: boolean;
}

export interface MessageRef {
  readonly author: string;
  readonly link: string | undefined;
  readonly at: Date | undefined;
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
  readonly chain: ModelChain | undefined;
  readonly settings: SummarizeSettings;
  readonly logger: Logger;
}

interface Read {
  readonly count: number;
  readonly participants: string[];
  readonly refs: Map<string, MessageRef>;
  /** The first messages (or, without a model, every message) as they are. */
  readonly kept: ConversationMessage[];
  readonly capped: boolean;
}

const AI_OFF_NOTE = 'Model providers are off in this channel (/settings ai): these are its most representative messages, not a written summary.';
const EXTRACTIVE_NOTE = 'No summary model is configured: these are the most representative messages. Set GEMINI_API_KEY for a written summary.';

/** Reads the conversation page by page, numbering the messages kept (m1, m2, …) and handing each line to `onLine`. */
async function readConversation(source: ConversationSource, options: SummarizeOptions, cap: number, keepAll: boolean, onLine: (ref: string, line: string) => void): Promise<Read> {
  const refs = new Map<string, MessageRef>();
  const participants = new Set<string>();
  const kept: ConversationMessage[] = [];
  let count = 0;
  const window = await source.messages({ limit: cap, since: options.since, signal: options.signal });
  for await (const page of window.pages) {
    for (const message of page) {
      if (!options.includeBots && (message.author.bot || message.fromDocent)) continue;
      if (message.text.trim().length === 0) continue;
      count++;
      const ref = `m${count}`;
      refs.set(ref, { author: message.author.name, link: message.link, at: message.at });
      participants.add(message.author.name);
      if (keepAll || count <= 2) kept.push(message);
      onLine(ref, formatMessage(ref, message.author.name, message.at, message.text));
    }
  }
  return { count, participants: [...participants], refs, kept, capped: window.capped };
}

/**
 * Summaries by token-budgeted map-reduce (map-reduce.ts): messages are read page by page and each
 * full part is summarized while the rest is still being read. Without a model, the most
 * representative messages are shown; one message or none is shown as it is.
 */
export function createSummaryService(deps: SummaryDeps): SummaryService {
  return {
    async summarize(source, options = {}) {
      const started = performance.now();
      const chain = options.offline ? undefined : deps.chain;
      const cap = Math.min(options.limit ?? deps.settings.maxMessages, deps.settings.maxMessages);
      const mapReduce = chain ? createMapReduce(chain, deps.settings, deps.logger, options.signal) : undefined;
      const read = await readConversation(source, options, cap, !mapReduce, (ref, line) => mapReduce?.add(ref, line));

      const base = { source: source.label, messageCount: read.count, participants: read.participants, refs: read.refs, capped: read.capped, calls: 0, promptChars: 0, failedParts: [] };
      const finish = () => ({ totalMs: Math.round(performance.now() - started) });
      if (read.count <= 1) {
        return { ...base, mode: 'direct', summary: undefined, excerpts: read.kept, model: undefined, note: undefined, timings: finish() };
      }
      if (!mapReduce) {
        const excerpts = representativeMessages(read.kept, Math.min(8, Math.max(3, Math.ceil(read.kept.length / 20))));
        return { ...base, mode: 'extractive', summary: undefined, excerpts, model: undefined, note: options.offline ? AI_OFF_NOTE : EXTRACTIVE_NOTE, timings: finish() };
      }

      const { summary, failedParts, parts } = await mapReduce.finish();
      const { calls, promptChars, model } = mapReduce.stats;
      const note = failedParts.length > 0 ? `${failedParts.length} of ${parts} parts could not be summarized and are missing from this summary.` : undefined;
      return { ...base, mode: 'generated', summary, excerpts: [], failedParts, model, note, calls, promptChars, timings: finish() };
    },
  };
}
