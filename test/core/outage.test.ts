import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { askCommand } from '../../src/commands/ask.js';
import { runCommand } from '../../src/commands/run-command.js';
import type { CommandFailure, CommandResult, Reply } from '../../src/commands/types.js';
import { composeCore } from '../../src/composition/compose-core.js';
import type { Core } from '../../src/core/index.js';
import { startHealthServer, type HealthServer } from '../../src/health-server.js';
import { runConsole } from '../helpers/console.js';
import { alice, bufferFile, memoryLogger, scope, tempDir, testConfig } from '../helpers/core.js';
import { ManualScheduler } from '../helpers/digests.js';
import { makePdf } from '../helpers/pdfs.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`[notice] ${unavailable}.`);

const DATABASE_MESSAGE = "Docent can't reach its database; try again in a minute.";

/** A Reply that keeps what it was asked to show. */
function recordingReply() {
  const sent: CommandResult[] = [];
  const failed: CommandFailure[] = [];
  const reply: Reply = {
    defer: async () => undefined,
    progress: async () => undefined,
    stream: async (tokens) => {
      for await (const token of tokens) void token;
    },
    send: async (result) => void sent.push(result),
    fail: async (failure) => void failed.push(failure),
  };
  return { reply, sent, failed };
}

/** A real PostgreSQL, stopped and started again under a running Docent. */
describe.skipIf(unavailable !== undefined)('a PostgreSQL outage', () => {
  let server: TestPostgres;
  let core: Core | undefined;
  let health: HealthServer | undefined;
  const here = scope('C-outage');
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  let halted = false;
  afterEach(async () => {
    // A test that failed during the outage leaves the server running for the next.
    if (halted) await server.resume();
    halted = false;
    await health?.close();
    await core?.close();
    health = undefined;
    core = undefined;
  });
  afterAll(() => server?.stop());

  async function docent() {
    const url = await server.createDatabase();
    const logger = memoryLogger();
    // Checked every 100 ms while down (5 s by default), so the test sees the recovery soon.
    const started = await composeCore(testConfig({ DATABASE_URL: url }), logger, { embedder: null, scheduler: new ManualScheduler(), outageCheckMs: 100 });
    core = started;
    await started.start();
    const pdf = await makePdf([{ heading: 'Ferries', paragraphs: ['The night ferry to Tallinn leaves at 22:30 from terminal B.'] }]);
    expect((await started.knowledge.ingest(here, bufferFile('ferries.pdf', pdf), alice)).status).toBe('indexed');
    health = await startHealthServer(0, '127.0.0.1', { status: 'ok', bots: ['console'], dependencies: () => started.dependencies() });
    const healthz = async () => {
      const response = await fetch(`http://127.0.0.1:${health?.port}/healthz`);
      return { status: response.status, body: (await response.json()) as { status: string; dependencies: Record<string, string> } };
    };
    const requests = memoryLogger();
    const ask = async (question: string) => {
      const recorded = recordingReply();
      const outcome = await runCommand({ command: askCommand, options: { question }, core: started, scope: here, user: alice, logger: requests, reply: recorded.reply, platform: { memory: started.conversations.of(here, alice.id) } });
      return { outcome, ...recorded };
    };
    return { core: started, url, logger, requests, healthz, ask };
  }

  it('healthz goes 503 and /ask says the database cannot be reached; both recover when it is back, each change logged once', async () => {
    const d = await docent();
    expect(await d.healthz()).toMatchObject({ status: 200, body: { status: 'ok', dependencies: { state: 'ok', vectors: 'ok' } } });
    expect((await d.ask('When does the night ferry to Tallinn leave?')).outcome.ok).toBe(true);

    await server.halt();
    halted = true;
    const during = await d.ask('When does the night ferry to Tallinn leave?');
    expect(during.failed).toEqual([{ code: 'database_unavailable', message: DATABASE_MESSAGE }]);
    expect(during.sent).toEqual([]);
    // The console bot shows the same, through the same runner.
    const cwd = tempDir('docent-outage-');
    const printed = await runConsole(d.core, cwd, ['/ask When does the night ferry leave?'], { json: true });
    expect(JSON.parse(printed.out)).toMatchObject({ ok: false, error: { code: 'database_unavailable', message: DATABASE_MESSAGE } });

    const down = await waitFor(async () => {
      const h = await d.healthz();
      return h.status === 503 && h;
    }, 10_000, '/healthz to answer 503');
    expect(down.body).toMatchObject({ status: 'unavailable', dependencies: { state: 'down', vectors: 'down' } });
    // A platform delivery is taken on while nothing can be recorded, so the person gets the message above, not silence.
    expect(await d.core.deliveries.first('slack:event', 'Ev-during-outage')).toBe(true);
    // More requests while it is down add no outage line.
    await d.ask('And the morning ferry?');
    const outageLines = () => d.logger.entries.filter((e) => /is unreachable/.test(e.msg ?? ''));
    expect(outageLines()).toHaveLength(1);
    expect(outageLines()[0]).toMatchObject({ level: 'error', obj: { component: 'dependencies', dependency: expect.stringMatching(/^PostgreSQL at 127\.0\.0\.1:\d+\/docent_test_\d+$/) } });
    expect(outageLines()[0].msg).toMatch(/^PostgreSQL at 127\.0\.0\.1:\d+\/docent_test_\d+ is unreachable \(.+\); checking again every 1 s$/);
    // The ingest queue polls the same database: its failures are the monitor's, not a line each.
    expect(d.logger.entries.filter((e) => e.msg === 'ingest job queue error')).toEqual([]);
    // The request line says what happened, as a warning, not an unexpected error with a reference.
    expect(d.requests.entries.filter((e) => e.level === 'error')).toEqual([]);
    expect(d.requests.entries.some((e) => e.level === 'warn' && e.msg === '/ask failed: database_unavailable')).toBe(true);

    await server.resume();
    halted = false;
    // Nothing is asked meanwhile: the monitor's own check notices.
    const back = await waitFor(async () => {
      const h = await d.healthz();
      return h.status === 200 && h;
    }, 20_000, '/healthz to answer 200 again');
    expect(back.body).toMatchObject({ status: 'ok', dependencies: { state: 'ok', vectors: 'ok' } });
    const recovered = d.logger.entries.filter((e) => /is reachable again/.test(e.msg ?? ''));
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ level: 'info', obj: { dependency: expect.stringMatching(/^PostgreSQL at /) } });
    const after = await d.ask('When does the night ferry to Tallinn leave?');
    expect(after.outcome.ok).toBe(true);
    expect(after.sent[0].text).toContain('22:30');
    fs.rmSync(path.join(cwd), { recursive: true, force: true });
  }, 90_000);

  it('a computed answer is delivered when its record, details, follow-up turn and activity cannot be saved; each failure logged once', async () => {
    const d = await docent();
    // The database refuses these writes (as a full disk or a broken table would); reads still work.
    const client = new pg.Client({ connectionString: d.url });
    await client.connect();
    try {
      await client.query(`CREATE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = '53100'; END $$`);
      for (const table of ['answers', 'reply_details', 'conversation_turns', 'activity']) {
        await client.query(`CREATE TRIGGER refuse_${table} BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_write()`);
      }
    } finally {
      await client.end();
    }

    const asked = await d.ask('When does the night ferry to Tallinn leave?');
    expect(asked.outcome.ok).toBe(true);
    expect(asked.failed).toEqual([]);
    expect(asked.sent).toHaveLength(1);
    expect(asked.sent[0].text).toContain('22:30');
    // Nothing refers to what was not kept: no rating buttons, no Details button.
    expect(asked.sent[0].feedback).toBeUndefined();
    expect(asked.sent[0].detailsId).toBeUndefined();
    expect(asked.sent[0].data).toMatchObject({ answerId: null, grounded: true });
    const warnings = d.requests.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
    expect(warnings).toEqual([
      'could not keep the answer for 👍/👎 and digests (it has no rating buttons); the reply is delivered without it',
      'could not keep the details of this reply (it has no Details button); the reply is delivered without it',
      'could not keep this question for follow-ups; the reply is delivered without it',
    ]);
    expect(d.requests.entries.filter((e) => e.level === 'error')).toEqual([]);
    expect(d.requests.entries.at(-1)).toMatchObject({ level: 'info', msg: '/ask done', obj: { outcome: 'ok' } });

    // An upload is indexed though its activity row for the admin page cannot be written.
    const pdf = await makePdf([{ heading: 'Buses', paragraphs: ['The airport bus runs every twenty minutes.'] }]);
    expect((await d.core.knowledge.ingest(here, bufferFile('buses.pdf', pdf), alice)).status).toBe('indexed');
    await waitFor(() => d.logger.entries.some((e) => e.msg === 'could not record activity for the admin page'), 8000, 'the activity failure to be logged');
    expect(d.logger.entries.filter((e) => e.msg === 'could not record activity for the admin page')).toHaveLength(1);
    // A refused write is no outage.
    expect(d.core.dependencies()).toEqual({ state: 'ok', vectors: 'ok' });
    expect(d.logger.entries.filter((e) => /is unreachable/.test(e.msg ?? ''))).toEqual([]);
  }, 90_000);
});
