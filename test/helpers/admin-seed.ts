import { askCommand } from '../../src/commands/ask.js';
import { runCommand } from '../../src/commands/run-command.js';
import type { Reply } from '../../src/commands/types.js';
import type { Core } from '../../src/core/index.js';
import type { Scope } from '../../src/core/ports/types.js';
import { startFakeGroq, type FakeGroq } from '../fakes/groq-fake.js';
import { alice, bufferFile, memoryLogger, startCore, testConfig } from './core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from './digests.js';
import { makePdf } from './pdfs.js';

export const GENERAL: Scope = { platform: 'slack', workspace: 'T1', channel: 'C-general' };
export const DESIGN: Scope = { platform: 'slack', workspace: 'T1', channel: 'C-design' };
export const FERRIES: Scope = { platform: 'discord', workspace: '9001', channel: '555' };
/** The instant the seeded Docent is looked at. */
export const SEEDED_NOW = new Date('2026-11-28T12:00:00Z');

export interface SeededDocent {
  readonly core: Core;
  readonly groq: FakeGroq;
  readonly clock: ManualClock;
  close(): Promise<void>;
}

const silentReply = (): Reply => ({
  defer: async () => undefined,
  progress: async () => undefined,
  stream: async (tokens) => {
    for await (const token of tokens) void token;
  },
  send: async () => undefined,
  fail: async () => undefined,
});

/** Asks through the command runner, as a platform would; the answer's id (for ratings), if it got one. */
async function ask(core: Core, where: Scope, question: string): Promise<string | undefined> {
  const outcome = await runCommand({ command: askCommand, options: { question }, core, scope: where, user: alice, logger: memoryLogger(), reply: silentReply() });
  return outcome.ok ? (outcome.result.data as { answerId?: string } | undefined)?.answerId : undefined;
}

/**
 * A Docent that has been used for a week, through its real services and store: documents in two
 * Slack channels and a Discord channel, a refused upload, questions answered and not covered
 * (two of them alike), a 👎, a retired answer model and a failed Groq call, and a digest run.
 * `env` picks the store (DATABASE_URL for PostgreSQL).
 */
export async function seedDocent(env: Record<string, string> = {}): Promise<SeededDocent> {
  const groq = await startFakeGroq({ models: ['gemma2-9b-it', 'llama-3.1-8b-instant'] });
  const clock = new ManualClock(new Date('2026-11-21T09:00:00Z'));
  const config = testConfig({
    GROQ_API_KEY: groq.apiKey,
    GROQ_BASE_URL: groq.url,
    ASK_MODEL: 'groq:gemma2-9b-it',
    ASK_FALLBACK_MODELS: 'groq:llama-3.1-8b-instant',
    PROVIDER_MAX_RETRIES: '0',
    ...env,
  });
  const core = await startCore(config, { embedder: null, clock, scheduler: new ManualScheduler() });
  await core.start();
  const harbour = await makePdf([
    { heading: 'Fisheries', paragraphs: ['In 2023 the fishing fleet landed 18,000 tonnes of cod at the harbour.'] },
    { heading: 'Harbour fees', paragraphs: ['A berth costs 40 euros a night for boats under twelve metres.'] },
  ]);
  await core.knowledge.ingest(GENERAL, bufferFile('harbour.pdf', harbour, { link: 'https://files.example/harbour.pdf' }), alice);
  await core.knowledge.ingest(DESIGN, bufferFile('kiln.pdf', await makePdf([{ paragraphs: ['The kiln reaches 1,280 degrees for stoneware glazes.'] }])), { id: 'U2', name: 'Ben' });
  await core.knowledge.ingest(FERRIES, bufferFile('ferries.pdf', await makePdf([{ paragraphs: ['The night ferry to Tallinn leaves at 22:30 from terminal B.'] }])), { id: '77', name: 'Cy' });
  await core.knowledge.ingest(GENERAL, bufferFile('minutes.pdf', Buffer.from('Minutes of the harbour board, typed as plain text.')), alice).catch(() => undefined);

  const days = ['2026-11-22', '2026-11-24', '2026-11-25', '2026-11-27'];
  clock.set(`${days[0]}T10:00:00Z`);
  const cod = await ask(core, GENERAL, 'How much cod did the fleet land in 2023?');
  clock.set(`${days[1]}T10:00:00Z`);
  await ask(core, GENERAL, 'How much does a berth cost per night?');
  await ask(core, GENERAL, 'Who has the key to the boat shed?');
  clock.set(`${days[2]}T15:30:00Z`);
  await ask(core, GENERAL, 'who has the boat shed key');
  await ask(core, DESIGN, 'What does a pottery class cost for beginners?');
  await ask(core, FERRIES, 'What is the wifi password on the ferry?');
  clock.set(`${days[3]}T08:00:00Z`);
  groq.failNext(1, { status: 503, body: { error: { message: 'Service Unavailable', type: 'internal_server_error' } } });
  await ask(core, FERRIES, 'When does the night ferry leave?');
  await ask(core, FERRIES, 'When does the night ferry to Tallinn leave?');
  if (cod) await core.feedback.rate(cod, 'U9', 'down');

  const platform = new FakeDigestPlatform('slack', clock);
  platform.allow('ana', 'C-general');
  platform.say('C-general', 'Ana', 'We ship the harbour report on Friday.', '2026-11-27T09:30:00Z');
  core.digests.attach(platform);
  const { schedule } = await core.digests.create({ scope: GENERAL, when: 'daily 11:00', timezone: 'UTC', creator: { id: 'ana', name: 'Ana' } });
  clock.set('2026-11-27T11:00:00Z');
  await core.digests.runDue(schedule.id);
  clock.set(SEEDED_NOW);
  return {
    core,
    groq,
    clock,
    async close() {
      await core.close();
      await groq.close();
    },
  };
}
