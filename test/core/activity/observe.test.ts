import { describe, expect, it } from 'vitest';
import { createActivity } from '../../../src/core/activity/activity.js';
import { ProviderError } from '../../../src/core/ports/errors.js';
import { observeChat, observeEmbedder } from '../../../src/core/activity/observe.js';
import type { ChatModel, Embedder } from '../../../src/core/ports/ports.js';
import type { ActivityEvent, ActivityState } from '../../../src/core/ports/state-store.js';
import { memoryLogger } from '../../helpers/core.js';

function recording(fail = false): { state: ActivityState; events: ActivityEvent[] } {
  const events: ActivityEvent[] = [];
  return {
    events,
    state: {
      add: async (e) => {
        if (fail) throw new Error('disk full');
        events.push(e);
      },
      prune: async () => 0,
    },
  };
}

const chat = (tokens: string[], error?: Error): ChatModel => ({
  provider: 'groq',
  model: 'llama-3.1-8b-instant',
  async *stream() {
    for (const token of tokens) yield { type: 'token', text: token } as const;
    if (error) throw error;
  },
});

describe('provider calls recorded for the admin page', () => {
  it('records a call as ok, failed (with the reason) or cancelled, for the channel it was made in, and passes results and errors on unchanged', async () => {
    const { state, events } = recording();
    const activity = createActivity(state, () => new Date('2026-11-02T10:00:00Z'), memoryLogger());
    const ok = observeChat(chat(['a', 'b']), 'answer', activity);
    const seen: unknown[] = [];
    await activity.within('slack:T1:C1', async () => {
      for await (const e of ok.stream({ system: '', messages: [] } as never)) seen.push(e);
    });
    expect(seen).toHaveLength(2);
    const failing = observeChat(chat(['a'], new ProviderError('groq', 'Groq is having trouble right now (HTTP 503).', { retryable: true })), 'answer', activity);
    await expect(async () => {
      for await (const e of failing.stream({} as never)) void e;
    }).rejects.toThrow(ProviderError);
    for await (const e of ok.stream({} as never)) {
      void e;
      break;
    }
    await activity.flush();
    expect(events.map((e) => [e.tenant, e.outcome, e.detail])).toEqual([
      ['slack:T1:C1', 'ok', undefined],
      ['', 'error', 'Groq is having trouble right now (HTTP 503).'],
      ['', 'cancelled', undefined],
    ]);
    expect(events[0]).toMatchObject({ kind: 'call', provider: 'groq', subject: 'llama-3.1-8b-instant', purpose: 'answer' });
  });

  it('never fails a request when the activity cannot be stored (it is logged)', async () => {
    const { state } = recording(true);
    const logger = memoryLogger();
    const activity = createActivity(state, () => new Date(), logger);
    const embedder: Embedder = { model: 'gemini-embedding-001', dimensions: 2, embedDocuments: async (t) => t.map(() => new Float32Array(2)), embedQuery: async () => new Float32Array(2) };
    expect(await observeEmbedder(embedder, activity).embedQuery('x')).toHaveLength(2);
    await activity.flush();
    expect(logger.entries.some((e) => e.level === 'warn' && e.msg?.includes('could not record activity'))).toBe(true);
  });
});
