import type { ModelChain } from '../lib/model-chain.js';
import { ProviderError } from '../ports/errors.js';
import type { Logger } from '../ports/ports.js';
import { createLimiter } from '../lib/limiter.js';
import { SUMMARY_RESPONSE_SCHEMA, parseSummary } from './parse-summary.js';
import { mapMessages, reduceMessages } from './prompts.js';
import type { Summary } from './types.js';

export interface FailedPart {
  readonly part: number;
  readonly firstMessage: string;
  readonly lastMessage: string;
  readonly reason: string;
}

export interface MapReduceSettings {
  /** Token budget of one map call's messages. */
  readonly chunkTokens: number;
  /** Map calls in flight at once. */
  readonly concurrency: number;
  readonly temperature: number;
  readonly maxOutputTokens: number;
}

interface Part {
  readonly index: number;
  readonly lines: string[];
  first: string;
  last: string;
  tokens: number;
}

type Messages = ReturnType<typeof mapMessages>;

const estimateTokens = (text: string) => Math.ceil(text.length / 4);
const newPart = (index: number): Part => ({ index, lines: [], first: '', last: '', tokens: 0 });

/**
 * Token-budgeted map-reduce over one conversation: lines are added in order and cut into parts
 * that fit the budget; each full part is summarized as soon as it is complete (several in
 * parallel), and reduce() combines the part summaries in one last call. A part that fails is
 * retried once, then reported, never silently dropped.
 */
export function createMapReduce(chain: ModelChain, settings: MapReduceSettings, logger: Logger, signal: AbortSignal | undefined) {
  const limiter = createLimiter(settings.concurrency);
  const mapped: Promise<Summary | FailedPart>[] = [];
  /** Every message reference added so far: a summary may cite only these. */
  const known = new Set<string>();
  const stats = { calls: 0, promptChars: 0, model: undefined as string | undefined };
  let part = newPart(1);

  const call = async (messages: Messages): Promise<string> => {
    stats.calls++;
    stats.promptChars += messages.reduce((n, m) => n + m.content.length, 0);
    let text = '';
    const request = { messages, temperature: settings.temperature, topP: 0.95, maxOutputTokens: settings.maxOutputTokens, signal, responseSchema: SUMMARY_RESPONSE_SCHEMA };
    for await (const event of chain.stream(request)) {
      if (event.type === 'model') stats.model = event.id;
      if (event.type === 'token') text += event.text;
    }
    return text;
  };

  /** One structured call, retried once when it fails or returns something that is not the schema. */
  const summarizeOnce = async (messages: Messages): Promise<Summary> => {
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const summary = parseSummary(await call(messages), known);
        if (summary) return summary;
        lastError = new ProviderError('Gemini', 'The model returned a summary that is not valid JSON.', { retryable: true, code: 'invalid_summary' });
      } catch (error) {
        if (signal?.aborted) throw error;
        lastError = error;
      }
    }
    throw lastError;
  };

  const summarizePart = async (current: Part): Promise<Summary | FailedPart> => {
    try {
      return await summarizeOnce(mapMessages(current.lines, { index: current.index, of: undefined }));
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = error instanceof ProviderError ? error.userMessage : error instanceof Error ? error.message : String(error);
      logger.warn({ err: error, part: current.index }, 'a part of the conversation could not be summarized');
      return { part: current.index, firstMessage: current.first, lastMessage: current.last, reason };
    }
  };

  const dispatch = () => {
    if (part.lines.length === 0) return;
    const current = part;
    part = newPart(current.index + 1);
    mapped.push(limiter.run(() => summarizePart(current)));
  };

  return {
    stats,
    /** Adds one formatted message line; a part that would overflow the budget is sent first. */
    add(ref: string, line: string) {
      known.add(ref);
      const tokens = estimateTokens(line);
      if (part.tokens + tokens > settings.chunkTokens && part.lines.length > 0) dispatch();
      if (part.lines.length === 0) part.first = ref;
      part.lines.push(line);
      part.last = ref;
      part.tokens += tokens;
    },
    /** Sends the last part, waits for every part, and combines what succeeded. */
    async finish(): Promise<{ summary: Summary; failedParts: FailedPart[]; parts: number }> {
      dispatch();
      const results = await Promise.all(mapped);
      const partials = results.filter((r): r is Summary => 'tldr' in r);
      const failedParts = results.filter((r): r is FailedPart => !('tldr' in r));
      if (partials.length === 0) {
        throw new ProviderError('Gemini', `Docent could not summarize this conversation: ${failedParts[0]?.reason ?? 'the model failed'}`, { retryable: true, code: 'summary_failed' });
      }
      const summary = partials.length === 1 ? partials[0] : await summarizeOnce(reduceMessages(partials));
      return { summary, failedParts, parts: results.length };
    },
  };
}
