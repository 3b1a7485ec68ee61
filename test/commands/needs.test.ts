import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPost } from '../../src/commands/plan-post.js';
import { findCommand } from '../../src/commands/registry.js';
import { runCommand, type PlatformContext } from '../../src/commands/run-command.js';
import type { CommandFailure, CommandResult, Reply, Right } from '../../src/commands/types.js';
import type { Turn } from '../../src/core/answer/answer.js';
import type { Core } from '../../src/core/index.js';
import { alice, bufferFile, memoryLogger, scope, startCore, testConfig } from '../helpers/core.js';
import { makePdf } from '../helpers/pdfs.js';

let core: Core;
beforeAll(async () => {
  core = await startCore(testConfig(), { embedder: null });
  await core.start();
});
afterAll(() => core.close());

function recorder() {
  const seen: { results: CommandResult[]; failures: CommandFailure[] } = { results: [], failures: [] };
  const reply: Reply = {
    defer: async () => undefined,
    progress: async () => undefined,
    stream: async (tokens) => {
      for await (const token of tokens) void token;
    },
    send: async (result) => void seen.results.push(result),
    fail: async (failure) => void seen.failures.push(failure),
  };
  return { reply, seen };
}

/** A platform that records what the runner asked of it. */
function platform(granted: boolean) {
  const asked: { rights: Right[]; conversations: number; remembered: Turn[] } = { rights: [], conversations: 0, remembered: [] };
  const context: PlatformContext = {
    permission: (right) => {
      asked.rights.push(right);
      return { granted, requirement: 'the Test Right' };
    },
    conversation: () => {
      asked.conversations++;
      return undefined;
    },
    memory: { turns: async () => [{ question: 'What was the budget in 2022?', answer: 'It was 2 million [1].' }], remember: async (turn) => void asked.remembered.push(turn) },
  };
  return { context, asked };
}

async function run(name: string, options: Record<string, string>, granted: boolean, where = scope('C-needs')) {
  const { reply, seen } = recorder();
  const { context, asked } = platform(granted);
  const command = findCommand(name);
  if (!command) throw new Error(`no /${name}`);
  const outcome = await runCommand({ command, options, core, scope: where, user: alice, logger: memoryLogger(), reply, platform: context });
  return { outcome, seen, asked };
}

describe('commands declare what they need; the runner supplies and enforces it on every platform', () => {
  it('refuses a restricted verb without the right, in the platform’s words, and runs the open verbs', async () => {
    const refused = await run('settings', { subcommand: 'alttext', state: 'on' }, false);
    expect(refused.seen.failures[0]).toMatchObject({ code: 'forbidden', message: 'Only people with the Test Right can change how this channel handles images.' });
    expect(refused.asked.rights).toEqual(['manage']);
    expect(await core.settings.get(scope('C-needs'), 'alttext')).toBe(false);
    const shown = await run('settings', { subcommand: 'show' }, false);
    expect(shown.outcome.ok).toBe(true);
    const stop = await run('digest', { subcommand: 'off', id: 'abc' }, false);
    expect(stop.seen.failures[0]?.message).toBe('Only people with the Test Right can stop digests.');
  });

  it('asks the platform for the right a command declares: removing someone else’s document is moderating', async () => {
    const here = scope('C-needs-forget');
    await core.knowledge.ingest(here, bufferFile('rivers.pdf', await makePdf([{ paragraphs: ['The Rhine is long.'] }])), { id: 'U2', name: 'Bea' });
    const refused = await run('forget', { document: 'rivers.pdf' }, false, here);
    expect(refused.asked.rights).toEqual(['moderate']);
    expect(refused.seen.failures[0]?.message).toBe('Only Bea, who added “rivers.pdf”, or someone with the Test Right can remove it from this channel.');
    const allowed = await run('forget', { document: 'rivers.pdf' }, true, here);
    expect(allowed.outcome.ok).toBe(true);
  });

  it('opens the conversation only for commands that read it, and hands follow-up memory only to /ask, which adds its turn', async () => {
    const docs = await run('docs', {}, true);
    expect(docs.asked.conversations).toBe(0);
    expect(docs.asked.rights).toEqual([]);
    const summary = await run('summarize', {}, true);
    expect(summary.asked.conversations).toBe(1);
    expect(summary.seen.failures[0]?.message).toMatch(/Nothing to summarize here/);
    const asked = await run('ask', { question: 'What about 2023?' }, true);
    expect(asked.outcome.ok).toBe(true);
    expect(asked.asked.remembered).toEqual([{ question: 'What about 2023?', answer: expect.any(String) }]);
    expect(docs.asked.remembered).toEqual([]);
  });
});

describe('what a post runs (the same on every platform)', () => {
  const pdf = { kind: 'document' as const, source: bufferFile('a.pdf', Buffer.from('%PDF-1.4')) };
  const image = { kind: 'image' as const, source: bufferFile('b.png', Buffer.alloc(1)) };
  const names = async (post: Parameters<typeof planPost>[0]) => (await planPost(post)).runs.map((r) => `${r.command.name}${r.reactions ? '+reactions' : ''}:${JSON.stringify({ ...r.options, file: undefined, image: undefined })}`);
  const base = { files: [], text: '', addressed: false, indexesAll: false, altText: false };

  it('indexes PDFs where every post is seen or Docent is addressed, with reactions', async () => {
    expect(await names({ ...base, files: [pdf], indexesAll: true })).toEqual(['index+reactions:{}']);
    expect(await names({ ...base, files: [pdf] })).toEqual([]);
    expect(await names({ ...base, files: [pdf], addressed: true, text: 'the report' })).toEqual(['index+reactions:{}']);
  });

  it('describes an addressed image or answers its question; alt text describes up to four', async () => {
    expect(await names({ ...base, files: [image], addressed: true, text: 'how many bikes?' })).toEqual(['caption:{"mode":"ask","question":"how many bikes?"}']);
    expect(await names({ ...base, files: [image, image, image, image, image], altText: true })).toHaveLength(4);
    expect(await names({ ...base, files: [image] })).toEqual([]);
  });

  it('addressed words are a question, "summarize" a summary, nothing a hint', async () => {
    expect(await names({ ...base, addressed: true, text: 'what was the budget?' })).toEqual(['ask:{"question":"what was the budget?"}']);
    expect(await names({ ...base, addressed: true, text: 'summarize 50' })).toEqual(['summarize:{"messages":"50"}']);
    expect((await planPost({ ...base, addressed: true })).hint).toMatch(/Ask me a question/);
    expect(await names({ ...base, text: 'just chatting' })).toEqual([]);
  });
});
