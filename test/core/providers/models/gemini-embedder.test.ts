import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../../../src/core/ports/ports.js';
import { GeminiEmbedder } from '../../../../src/core/providers/models/gemini-embedder.js';
import { startFakeGemini, type FakeGemini } from '../../../fakes/gemini-fake.js';
import { memoryLogger } from '../../../helpers/core.js';

/** A clock whose sleeps return at once and are recorded. */
function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => new Date(), sleep: async (ms) => void sleeps.push(ms) };
}

function embedder(fake: FakeGemini, clock: Clock, overrides: Partial<ConstructorParameters<typeof GeminiEmbedder>[0]> = {}) {
  return new GeminiEmbedder({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    model: 'gemini-embedding-001',
    dimensions: 64,
    batchSize: 100,
    concurrency: 2,
    maxRetries: 3,
    timeoutMs: 5000,
    clock,
    logger: memoryLogger(),
    ...overrides,
  });
}

describe('GeminiEmbedder through @google/genai against the fake', () => {
  let fake: FakeGemini;
  beforeAll(async () => {
    fake = await startFakeGemini();
  });
  afterAll(() => fake.close());

  it('sends at most 100 texts per request, as RETRIEVAL_DOCUMENT, and returns unit vectors in order', async () => {
    fake.batches.length = 0;
    const texts = Array.from({ length: 250 }, (_, i) => `passage number ${i} about topic ${i % 7}`);
    const vectors = await embedder(fake, recordingClock()).embedDocuments(texts);
    expect(vectors).toHaveLength(250);
    expect(fake.batches.map((b) => b.texts.length).sort()).toEqual([100, 100, 50]);
    expect(fake.batches.every((b) => b.taskTypes.every((t) => t === 'RETRIEVAL_DOCUMENT'))).toBe(true);
    expect(fake.batches[0].apiVersion).toBe('v1');
    for (const v of vectors) {
      expect(v).toHaveLength(64);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    const order = fake.batches.flatMap((b) => b.texts);
    expect(new Set(order)).toEqual(new Set(texts));
  });

  it('embeds questions as RETRIEVAL_QUERY', async () => {
    fake.batches.length = 0;
    await embedder(fake, recordingClock()).embedQuery('what is the budget?');
    expect(fake.batches).toEqual([expect.objectContaining({ taskTypes: ['RETRIEVAL_QUERY'], texts: ['what is the budget?'] })]);
  });

  it('retries a 429 after the Retry-After the server asked for', async () => {
    const clock = recordingClock();
    fake.failNext(2, { status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 429, message: 'quota', status: 'RESOURCE_EXHAUSTED' } } });
    const vectors = await embedder(fake, clock).embedDocuments(['a b c']);
    expect(vectors).toHaveLength(1);
    expect(clock.sleeps).toEqual([7000, 7000]);
  });

  it('honours a Google RetryInfo delay on a 503, then gives up after PROVIDER_MAX_RETRIES', async () => {
    const clock = recordingClock();
    const busy = { status: 503, body: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE', details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }] } } };
    fake.failNext(3, busy);
    await expect(embedder(fake, clock, { maxRetries: 2 }).embedDocuments(['x'])).rejects.toMatchObject({ status: 503, retryable: true });
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps.every((ms) => ms >= 3000)).toBe(true);
    // All three injected failures were consumed: the next call succeeds.
    await expect(embedder(fake, clock).embedQuery('after')).resolves.toHaveLength(64);
  });

  it('names the variable to fix when the key is wrong or the model does not exist', async () => {
    await expect(embedder(fake, recordingClock(), { apiKey: 'wrong', maxRetries: 0 }).embedQuery('x')).rejects.toMatchObject({
      userMessage: expect.stringContaining('GEMINI_API_KEY'),
      retryable: false,
    });
    await expect(embedder(fake, recordingClock(), { model: 'text-embedding-004', maxRetries: 0 }).embedQuery('x')).rejects.toMatchObject({
      userMessage: expect.stringContaining('EMBEDDING_MODEL'),
    });
  });

  it('reports an unreachable endpoint clearly', async () => {
    const down = embedder(fake, recordingClock(), { baseUrl: 'http://127.0.0.1:9', maxRetries: 0 });
    await expect(down.embedQuery('x')).rejects.toMatchObject({ code: 'provider_unreachable', userMessage: expect.stringContaining('127.0.0.1:9') });
  });

  it('the fake serves the /v1beta path that older SDK versions use', async () => {
    fake.batches.length = 0;
    const ai = new GoogleGenAI({ apiKey: fake.apiKey, httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });
    const result = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['hello'], config: { outputDimensionality: 8 } });
    expect(result.embeddings?.[0]?.values).toHaveLength(8);
    expect(fake.batches[0].apiVersion).toBe('v1beta');
  });
});
