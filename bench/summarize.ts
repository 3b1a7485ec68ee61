import { loadConfig } from '../src/config.js';
import { composeCore } from '../src/composition/compose-core.js';
import type { ChatEvent, ChatModel, ChatRequest } from '../src/core/ports/ports.js';
import { transcriptSource } from '../src/core/summarize/transcript.js';
import type { ConversationMessage } from '../src/core/summarize/types.js';
import { summaryScript } from '../test/fakes/chat-script.js';
import { memoryLogger, tempDir } from '../test/helpers/core.js';
import { prose } from '../test/helpers/pdfs.js';

const LATENCY_MS = 200;

/** A summary model in the same process that takes LATENCY_MS per call and answers valid JSON. */
class SlowSummaryModel implements ChatModel {
  readonly provider = 'gemini' as const;
  readonly model = 'bench-summary';
  async *stream(request: ChatRequest): AsyncIterable<ChatEvent> {
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
    const system = request.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
    yield { type: 'token', text: summaryScript({ system, user, model: this.model }) };
    yield { type: 'done', usage: undefined };
  }
}

/** A generated 2,000-message thread summarized with a 200 ms model: calls, prompt size, wall time. */
export async function benchSummarize(count: number): Promise<Record<string, unknown>> {
  const people = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli'];
  const messages: ConversationMessage[] = Array.from({ length: count }, (_, i) => ({
    id: String(i),
    author: { id: people[i % 5], name: people[i % 5], bot: false },
    text: prose(i + 1, 1 + (i % 3)),
    at: new Date(Date.UTC(2026, 10, 1, 9, 0, i)),
    link: `https://discord.com/channels/1/2/${i}`,
  }));
  const config = loadConfig({ DATA_DIR: tempDir('docent-bench-'), LOG_LEVEL: 'silent' });
  const core = await composeCore(config, memoryLogger(), { summaryModels: [new SlowSummaryModel()] });
  await core.start();
  const inputTokens = messages.reduce((n, m) => n + Math.ceil((m.text.length + m.author.name.length + 30) / 4), 0);
  const started = performance.now();
  const result = await core.summaries.summarize(transcriptSource('bench thread', messages));
  const wallMs = performance.now() - started;
  await core.close();
  const chunkTokens = config.summary.chunkTokens;
  return {
    messages: count,
    modelLatencyMs: LATENCY_MS,
    chunkTokens,
    concurrency: config.summary.concurrency,
    inputTokens,
    calls: result.calls,
    maxCallsTarget: Math.ceil(inputTokens / chunkTokens) + 1,
    promptChars: result.promptChars,
    wallMs: Math.round(wallMs),
    wallTargetMs: 4 * LATENCY_MS,
  };
}
