import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/slack-api-fake.js';
import { tempDir } from '../helpers/core.js';
import { makePdf } from '../helpers/pdfs.js';
import { freePort, postgresUnavailable, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';
import { eventEnvelope, SLACK_SECRET, slackSignature, slashCommandBody } from '../helpers/slack.js';
import { waitFor } from '../helpers/wait.js';

// Two real Docent processes (`src/main.ts`, Slack in HTTP mode behind an imagined load balancer)
// on one PostgreSQL: what one replica indexes the other answers from, a digest both replicas
// tick for is posted once, and a Slack retry that reaches the other replica runs once.

const root = path.resolve(import.meta.dirname, '../..');
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`[replicas e2e] ${unavailable}`);

interface Replica {
  readonly port: number;
  readonly child: ChildProcess;
  stderr: string;
}

/** The next whole UTC minute at least `leadMs` away. */
function nextMinute(leadMs: number): Date {
  const at = new Date(Date.now() + leadMs);
  at.setUTCSeconds(0, 0);
  return new Date(at.getTime() + 60_000);
}

describe.skipIf(unavailable !== undefined)('two Docent processes on one PostgreSQL', () => {
  let postgres: TestPostgres;
  let slack: FakeSlackApi;
  let replicas: Replica[] = [];
  let digestAt: Date;

  async function startReplica(env: Record<string, string>): Promise<Replica> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, ...env, SLACK_PORT: String(port), DATA_DIR: tempDir() },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const replica: Replica = { port, child, stderr: '' };
    child.stderr?.on('data', (chunk: Buffer) => (replica.stderr += chunk.toString()));
    return replica;
  }

  const post = (replica: Replica, body: string, contentType: string, headers: Record<string, string> = slackSignature(body)) =>
    fetch(`http://127.0.0.1:${replica.port}/slack/events`, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
  const posted = (method: string, match: (args: Record<string, string>) => boolean) => slack.posts.filter((p) => p.method === method && match(p.args));
  const text = (args: Record<string, string>) => `${args.text ?? ''} ${args.blocks ?? ''}`;

  beforeAll(async () => {
    postgres = await startTestPostgres();
    const databaseUrl = await postgres.createDatabase();
    slack = await startFakeSlackApi();
    slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
    slack.conversations.set('C1', { name: 'general', is_private: false, members: ['U1', 'U0BOT'] });
    slack.history.set('C1', [{ type: 'message', ts: `${Math.floor(Date.now() / 1000) - 600}.000100`, user: 'U1', text: 'The kiln is booked for Thursday.' }]);
    slack.files.set('budget.pdf', await makePdf([{ heading: 'Budget', paragraphs: ['The museum budget was 5 million euros in 2023.'] }]));
    // A daily digest at the next minute, declared in the file both replicas load.
    digestAt = nextMinute(30_000);
    const schedules = path.join(tempDir(), 'digests.json');
    fs.writeFileSync(schedules, JSON.stringify([{ platform: 'slack', workspace: 'T1', channel: 'C1', when: `${digestAt.getUTCMinutes()} ${digestAt.getUTCHours()} * * *`, timezone: 'UTC' }]));
    const env = {
      DATABASE_URL: databaseUrl,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: `${slack.url}/api/`,
      SLACK_FILE_HOSTS: new URL(slack.url).host,
      DIGEST_SCHEDULES_FILE: schedules,
      GEMINI_API_KEY: '',
      GROQ_API_KEY: '',
      QDRANT_URL: '',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
    };
    replicas = await Promise.all([startReplica(env), startReplica(env)]);
    for (const replica of replicas) await waitFor(() => replica.stderr.includes('POST /slack/events') || replica.child.exitCode !== null, 60_000);
    for (const replica of replicas) expect(replica.child.exitCode, replica.stderr).toBeNull();
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      replicas.map(
        (replica) =>
          new Promise<void>((resolve) => {
            if (replica.child.exitCode !== null) return resolve();
            replica.child.once('exit', () => resolve());
            replica.child.kill('SIGTERM');
          }),
      ),
    );
    await slack?.close();
    await postgres?.stop();
  });

  it('both replicas migrated the one database and say where state lives', () => {
    for (const replica of replicas) expect(replica.stderr).toMatch(/PostgreSQL at 127\.0\.0\.1:\d+\/docent_test_\d+/);
    expect(replicas.map((r) => r.stderr).join('')).not.toContain('docent.db');
  });

  it('a PDF indexed through one replica is listed and answered from by the other', async () => {
    const [a, b] = replicas;
    const share = eventEnvelope({
      type: 'message',
      subtype: 'file_share',
      channel: 'C1',
      channel_type: 'channel',
      user: 'U1',
      ts: '1700000100.000100',
      text: '',
      files: [{ id: 'F1', name: 'budget.pdf', title: 'budget.pdf', mimetype: 'application/pdf', filetype: 'pdf', size: slack.files.get('budget.pdf')?.length ?? 0, url_private: `${slack.url}/files/budget.pdf`, url_private_download: `${slack.url}/files/budget.pdf`, permalink: 'https://acme.slack.com/files/U1/F1/budget.pdf' }],
    });
    expect((await post(a, share, 'application/json')).status).toBe(200);
    await waitFor(() => posted('chat.postMessage', (args) => /Indexed budget\.pdf: 1 page/.test(args.text ?? '')).length === 1, 30_000);

    expect((await post(b, slashCommandBody(slack, '/docs', ''), 'application/x-www-form-urlencoded')).status).toBe(200);
    const docs = await waitFor(() => slack.posts.find((p) => text(p.args).includes('document indexed in this channel')), 30_000);
    // Each document links to the message it was posted in.
    expect(text(docs.args)).toMatch(/<https:\/\/acme\.slack\.com\/files\/U1\/F1\/budget\.pdf\|budget\.pdf> — 1 page, 1 passage, added .* by Ana/);

    expect((await post(b, slashCommandBody(slack, '/ask', 'What was the museum budget in 2023?'), 'application/x-www-form-urlencoded')).status).toBe(200);
    const answer = await waitFor(() => [...posted('chat.postMessage', () => true), ...posted('chat.update', () => true)].find((p) => text(p.args).includes('5 million euros')), 30_000);
    expect(text(answer.args)).toContain('budget.pdf');
  }, 90_000);

  it('a Slack retry delivered to the other replica is not run again', async () => {
    const [a, b] = replicas;
    const body = eventEnvelope({ type: 'app_mention', user: 'U1', text: '<@U0BOT> what was the museum budget in 2023?', ts: '1700000500.000200', channel: 'C1', event_ts: '1700000500.000200' }, 'Ev-retry-across-replicas');
    const answers = () => [...posted('chat.postMessage', (args) => args.thread_ts === '1700000500.000200')];
    expect((await post(a, body, 'application/json')).status).toBe(200);
    const retry = await post(b, body, 'application/json', { ...slackSignature(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    await waitFor(() => answers().length > 0, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(answers()).toHaveLength(1);
  }, 60_000);

  it('the digest both replicas tick for is posted once', async () => {
    const digests = () => posted('chat.postMessage', (args) => args.channel === 'C1' && (args.text ?? '').startsWith('📬'));
    await waitFor(() => digests().length > 0, Math.max(0, digestAt.getTime() - Date.now()) + 45_000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(digests()).toHaveLength(1);
    expect(digests()[0].args.text).toMatch(/#general/);
    const claimed = replicas.filter((r) => /"msg":"digest posted"/.test(r.stderr));
    expect(claimed).toHaveLength(1);
  }, 150_000);
});
