import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run-command.js';
import { docsCommand } from '../../src/commands/docs.js';
import type { Core } from '../../src/core/index.js';
import type { CommandResult, Reply } from '../../src/commands/types.js';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-fake.js';
import { startFakeQdrant, type FakeQdrant } from '../fakes/qdrant-fake.js';
import { alice, bufferFile, memoryLogger, scope, startCore, testConfig } from '../helpers/core.js';
import { makePdf } from '../helpers/pdfs.js';
import { qdrantSpecPath } from '../helpers/shared.js';

const alpha = scope('C-alpha', 'W1');
const beta = scope('C-beta', 'W1');
const otherWorkspace = scope('C-alpha', 'W2');
const discordSameIds = scope('C-alpha', 'W1', 'discord');

const SECRETS = {
  alpha: 'The alpha launch code is PELICAN and the budget is 12 million.',
  beta: 'The beta launch code is FALCON and the budget is 40 million.',
  otherWorkspace: 'The rival launch code is OSPREY and the budget is 99 million.',
  discord: 'The discord launch code is HERON and the budget is 7 million.',
};

async function docsText(core: Core, where: typeof alpha): Promise<string> {
  let sent: CommandResult | undefined;
  const reply: Reply = {
    defer: async () => undefined,
    progress: async () => undefined,
    stream: async (tokens) => {
      for await (const token of tokens) void token;
    },
    send: async (r) => void (sent = r),
    fail: async () => undefined,
  };
  await runCommand({ command: docsCommand, options: {}, core, scope: where, user: alice, logger: memoryLogger(), reply });
  return sent?.text ?? '';
}

function describeIsolation(name: string, setup: () => Promise<{ core: Core; cleanup: () => Promise<void> }>): void {
  describe(`tenant isolation on ${name}`, () => {
    let core: Core;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ core, cleanup } = await setup());
      await core.start();
      await core.knowledge.ingest(alpha, bufferFile('alpha-plan.pdf', await makePdf([{ paragraphs: [SECRETS.alpha] }])), alice);
      await core.knowledge.ingest(beta, bufferFile('beta-plan.pdf', await makePdf([{ paragraphs: [SECRETS.beta] }])), alice);
      await core.knowledge.ingest(otherWorkspace, bufferFile('rival-plan.pdf', await makePdf([{ paragraphs: [SECRETS.otherWorkspace] }])), alice);
      await core.knowledge.ingest(discordSameIds, bufferFile('discord-plan.pdf', await makePdf([{ paragraphs: [SECRETS.discord] }])), alice);
    });
    afterAll(async () => {
      await core.close();
      await cleanup();
    });

    it('/ask in each channel sees only that channel’s document', async () => {
      const expectations: [typeof alpha, string, string[]][] = [
        [alpha, 'PELICAN', ['FALCON', 'OSPREY', 'HERON']],
        [beta, 'FALCON', ['PELICAN', 'OSPREY', 'HERON']],
        [otherWorkspace, 'OSPREY', ['PELICAN', 'FALCON', 'HERON']],
        [discordSameIds, 'HERON', ['PELICAN', 'FALCON', 'OSPREY']],
      ];
      for (const [where, own, foreign] of expectations) {
        const answer = await core.answers.answer(where, `What is the launch code and the budget of ${own}?`);
        expect(answer.grounded).toBe(true);
        const text = JSON.stringify({ answer: answer.answer, citations: answer.citations, documents: answer.documents });
        expect(text).toContain(own);
        for (const word of foreign) expect(text).not.toContain(word);
        expect(answer.documents).toHaveLength(1);
      }
    });

    it('a question about another channel’s document finds nothing and says so', async () => {
      const answer = await core.answers.answer(beta, 'PELICAN');
      expect(answer.grounded).toBe(false);
      expect(answer.answer).toContain("don't cover that");
      expect(answer.answer).not.toContain('alpha-plan');
    });

    it('/docs lists only the channel’s own documents', async () => {
      expect(await docsText(core, alpha)).toContain('alpha-plan.pdf');
      for (const [where, own] of [[alpha, 'alpha-plan.pdf'], [beta, 'beta-plan.pdf'], [otherWorkspace, 'rival-plan.pdf'], [discordSameIds, 'discord-plan.pdf']] as const) {
        const text = await docsText(core, where);
        for (const file of ['alpha-plan.pdf', 'beta-plan.pdf', 'rival-plan.pdf', 'discord-plan.pdf']) {
          if (file === own) expect(text).toContain(file);
          else expect(text).not.toContain(file);
        }
      }
    });

    it('/forget cannot reach another channel’s document', async () => {
      await expect(core.knowledge.forget(beta, 'alpha-plan.pdf')).rejects.toMatchObject({ code: 'unknown_document' });
      const alphaDoc = (await core.knowledge.list(alpha))[0];
      await expect(core.knowledge.forget(beta, alphaDoc.id)).rejects.toMatchObject({ code: 'unknown_document' });
      expect(await core.knowledge.list(alpha)).toHaveLength(1);
    });

    it('the same PDF posted in two channels is indexed separately and forgotten separately', async () => {
      const shared = await makePdf([{ paragraphs: ['Shared handbook: the office opens at 8 o’clock.'] }]);
      await core.knowledge.ingest(alpha, bufferFile('handbook.pdf', shared), alice);
      await core.knowledge.ingest(beta, bufferFile('handbook.pdf', shared), alice);
      await core.knowledge.forget(alpha, 'handbook.pdf');
      expect((await core.answers.answer(alpha, 'when does the office open')).grounded).toBe(false);
      expect((await core.answers.answer(beta, 'when does the office open')).grounded).toBe(true);
    });
  });
}

let gemini: FakeGemini;
beforeAll(async () => {
  gemini = await startFakeGemini();
});
afterAll(() => gemini.close());

const hybridEnv = () => ({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, EMBEDDING_DIMENSIONS: '128' });

describeIsolation('SQLite, lexical only', async () => ({ core: await startCore(testConfig()), cleanup: async () => undefined }));
describeIsolation('SQLite, hybrid with Gemini embeddings', async () => ({ core: await startCore(testConfig(hybridEnv())), cleanup: async () => undefined }));

if (qdrantSpecPath) {
  const spec = qdrantSpecPath;
  const qdrantCore = async (hybrid: boolean) => {
    const fake: FakeQdrant = await startFakeQdrant(spec);
    const config = testConfig({ QDRANT_URL: fake.url, ...(hybrid ? hybridEnv() : {}) });
    const core = await startCore(config);
    return {
      core,
      cleanup: async () => {
        expect(fake.rejected).toEqual([]);
        await fake.close();
      },
    };
  };
  describeIsolation('Qdrant (fake), lexical only', () => qdrantCore(false));
  describeIsolation('Qdrant (fake), hybrid with Gemini embeddings', () => qdrantCore(true));
}

describe('configuration picks the store', () => {
  it('uses Qdrant when QDRANT_URL is set, SQLite otherwise', async () => {
    const sqlite = await startCore(testConfig());
    expect((await sqlite.capabilities())[0].detail).toMatch(/^SQLite/);
    const qdrant = await startCore(testConfig({ QDRANT_URL: 'http://127.0.0.1:6333' }));
    expect((await qdrant.capabilities())[0].detail).toMatch(/^Qdrant at http:\/\/127\.0\.0\.1:6333/);
  });
});
