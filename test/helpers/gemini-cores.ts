import type { Core } from '../../src/core/index.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-fake.js';
import { startCore, testConfig } from './core.js';

/** A Gemini fake, a Docent that calls it, and a Docent without any key: the pair the vision tests compare. */
export interface GeminiCores {
  readonly gemini: FakeGemini;
  readonly withKey: Core;
  readonly offline: Core;
  close(): Promise<void>;
}

/** Starts the fake and both cores; `env` settings apply to both, `keyedEnv` only to the one with the key. */
export async function startGeminiCores(env: Record<string, string> = {}, keyedEnv: Record<string, string> = {}): Promise<GeminiCores> {
  const gemini = await startFakeGemini();
  const withKey = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, ...env, ...keyedEnv }));
  const offline = await startCore(testConfig(env));
  await withKey.start();
  await offline.start();
  return {
    gemini,
    withKey,
    offline,
    async close() {
      await withKey.close();
      await offline.close();
      await gemini.close();
    },
  };
}
