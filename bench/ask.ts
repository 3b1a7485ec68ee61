import { loadConfig } from '../src/config.js';
import { composeCore } from '../src/composition/compose-core.js';
import type { ChatEvent, ChatModel, Embedder } from '../src/core/ports/ports.js';
import { memoryLogger } from '../test/helpers/core.js';
import { prose } from '../test/helpers/pdfs.js';
import { BENCH_SCOPE, EMBEDDING, randomUnit, type BenchCorpus } from './corpus.js';
import { summarise } from './stats.js';

const FIRST_TOKEN_MS = 40;
const TOKEN_GAP_MS = 2;
const TOKENS = 30;

/** A chat model in the same process with known latency: it records when it emits its first token. */
class TimedChat implements ChatModel {
  readonly provider = 'groq' as const;
  readonly model = 'bench-timed';
  ownMs = 0;
  firstEmittedAt = 0;

  async *stream(): AsyncIterable<ChatEvent> {
    const started = performance.now();
    await sleep(FIRST_TOKEN_MS);
    for (let i = 0; i < TOKENS; i++) {
      if (i > 0) await sleep(TOKEN_GAP_MS);
      if (i === 0) this.firstEmittedAt = performance.now();
      yield { type: 'token', text: i === TOKENS - 1 ? ' [1]' : `word${i} ` };
    }
    this.ownMs = performance.now() - started;
    yield { type: 'done', usage: { inputTokens: 1000, outputTokens: TOKENS } };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * /ask end to end on the benchmark corpus (50,000 passages, hybrid retrieval) with a model of
 * known latency: overhead = total time minus the model's own time; first-token delay = when the
 * answer stream hands the first token on, minus when the model emitted it.
 */
export async function benchAsk(corpus: BenchCorpus, questions: number): Promise<Record<string, unknown>> {
  const chat = new TimedChat();
  const embedder: Embedder = { ...EMBEDDING, embedDocuments: async (t) => t.map((_, i) => randomUnit(i)), embedQuery: async () => randomUnit(42) };
  const config = loadConfig({ DATA_DIR: corpus.dataDir, LOG_LEVEL: 'silent', ASK_FOOTER: 'true' });
  const core = await composeCore(config, memoryLogger(), { database: corpus.db, embedder, chatModels: [chat] });
  await core.start();
  await core.answers.answer(BENCH_SCOPE, 'warm up the channel index'); // builds the channel's index
  const overhead: number[] = [];
  const firstToken: number[] = [];
  for (let i = 0; i < questions; i++) {
    const question = prose(200_000 + i, 1).split(' ').slice(0, 8).join(' ');
    const started = performance.now();
    const stream = core.answers.ask(BENCH_SCOPE, question);
    let first = true;
    for await (const token of stream) {
      void token;
      if (first) {
        firstToken.push(performance.now() - chat.firstEmittedAt);
        first = false;
      }
    }
    const result = await stream.result;
    if (result.mode !== 'generated') throw new Error(`expected a generated answer, got ${result.mode}`);
    overhead.push(performance.now() - started - chat.ownMs);
  }
  await core.close();
  return {
    questions,
    model: { firstTokenMs: FIRST_TOKEN_MS, tokens: TOKENS, tokenGapMs: TOKEN_GAP_MS },
    overheadMs: summarise(overhead),
    firstTokenForwardedMs: summarise(firstToken),
    targets: { overheadP95Ms: 60, firstTokenForwardedMs: 20 },
  };
}
