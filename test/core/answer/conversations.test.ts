import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { composeCore } from '../../../src/composition/compose-core.js';
import { memoryLogger, scope, tempDir } from '../../helpers/core.js';

describe('follow-up memory in the state store', () => {
  it('keeps the latest ten turns of a conversation across a restart, and never shows them to another channel', async () => {
    const dataDir = tempDir();
    const first = await composeCore(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), memoryLogger(), { embedder: null });
    await first.start();
    const memory = first.conversations.of(scope('C-memory'), 'C-memory:user:U1');
    for (let i = 1; i <= 12; i++) await memory.remember({ question: `Question ${i}?`, answer: `Answer ${i}.` });
    await first.close();

    const second = await composeCore(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), memoryLogger(), { embedder: null });
    await second.start();
    const turns = await second.conversations.of(scope('C-memory'), 'C-memory:user:U1').turns();
    expect(turns.map((t) => t.question)).toEqual(Array.from({ length: 10 }, (_, i) => `Question ${i + 3}?`));
    expect(await second.conversations.of(scope('C-other'), 'C-memory:user:U1').turns()).toEqual([]);
    expect(await second.conversations.of(scope('C-memory'), 'C-memory:user:U2').turns()).toEqual([]);
    await second.close();
  });
});
