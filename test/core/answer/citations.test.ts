import { describe, expect, it } from 'vitest';
import { checkCitations } from '../../../src/core/answer/citations.js';
import { fitToBudget } from '../../../src/core/answer/prompts.js';
import { planAskModels } from '../../../src/core/answer/resolve-model.js';
import { memoryLogger } from '../../helpers/core.js';

describe('checkCitations', () => {
  it('keeps valid citations in order of first mention and drops invented ones', () => {
    expect(checkCitations('A [2] and B [1][2], C [9].', 3)).toEqual({ text: 'A [2] and B [1][2], C.', cited: [2, 1], invented: [9] });
    expect(checkCitations('Mixed [1, 5, 3] here.', 3)).toEqual({ text: 'Mixed [1, 3] here.', cited: [1, 3], invented: [5] });
    expect(checkCitations('No sources [0].', 2)).toEqual({ text: 'No sources.', cited: [], invented: [0] });
  });
});

describe('fitToBudget', () => {
  const hit = (n: number, chars: number) => ({ chunkId: `c${n}`, documentId: 'd', file: 'f.pdf', page: n, heading: undefined, text: 'x'.repeat(chars), score: 1 / n });
  it('keeps passages in rank order while they fit, and always the best one (cut if needed)', () => {
    expect(fitToBudget([hit(1, 400), hit(2, 400), hit(3, 400)], 300).map((h) => h.page)).toEqual([1, 2]);
    const [only] = fitToBudget([hit(1, 40_000)], 600);
    expect(only.text.length).toBeLessThan(40_000);
  });
});

describe('planAskModels', () => {
  const catalog = (ids: string[]) => ({ listModels: async () => ids });
  const base = { pinned: undefined, fallbacks: [], groqDefaultModel: 'openai/gpt-oss-20b', logger: memoryLogger() };

  it('prefers the newest, largest Gemma on Groq', async () => {
    const plan = await planAskModels({ ...base, hasGroqKey: true, hasGeminiKey: false, groqCatalog: catalog(['gemma2-9b-it', 'gemma-3-27b-it', 'gemma-3-4b-it', 'llama']) });
    expect(plan.models[0]).toBe('groq:gemma-3-27b-it');
  });

  it('treats a Groq model list that cannot be fetched as "no Gemma on Groq"', async () => {
    const plan = await planAskModels({ ...base, hasGroqKey: true, hasGeminiKey: true, groqCatalog: { listModels: () => Promise.reject(new Error('down')) } });
    expect(plan.models).toEqual(['gemini:gemma-4-31b-it', 'groq:openai/gpt-oss-20b']);
  });

  it('appends ASK_FALLBACK_MODELS, without duplicates and only for providers with a key', async () => {
    const plan = await planAskModels({ ...base, pinned: 'groq:x', fallbacks: ['groq:y', 'gemini:z', 'groq:x'], hasGroqKey: true, hasGeminiKey: false, groqCatalog: catalog([]) });
    expect(plan).toEqual({ models: ['groq:x', 'groq:openai/gpt-oss-20b', 'groq:y'], reason: 'pinned by ASK_MODEL' });
  });

  it('plans no model without keys', async () => {
    expect((await planAskModels({ ...base, hasGroqKey: false, hasGeminiKey: false, groqCatalog: undefined })).models).toEqual([]);
  });
});
