import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-fake.js';
import { tempDir } from '../helpers/core.js';
import { runNpm } from '../helpers/npm.js';
import { makePdf } from '../helpers/pdfs.js';

const root = path.resolve(import.meta.dirname, '../..');

const run = (args: string[], input: string, env: Record<string, string>) => runNpm(['start', '--silent', '--', ...args], env, input);

describe('npm start, as the README runs it', () => {
  let gemini: FakeGemini;
  let pdfPath: string;

  beforeAll(async () => {
    gemini = await startFakeGemini({ apiKey: 'e2e-secret-gemini-key-42' });
    pdfPath = path.join(tempDir(), 'water report.pdf');
    fs.writeFileSync(
      pdfPath,
      await makePdf([
        { heading: 'Rainfall', paragraphs: ['Annual rainfall in the valley averaged 812 millimetres.'] },
        { heading: 'Reservoirs', paragraphs: ['The three reservoirs hold 45 million cubic metres when full.'] },
      ]),
    );
  });
  afterAll(() => gemini.close());

  it('piping /index then /ask with --json returns passages cited with the right file and page', async () => {
    const dataDir = tempDir();
    const { code, stdout, stderr } = await run(['--json'], `/index "${pdfPath}"\n/ask How much water do the reservoirs hold?\n`, {
      DATA_DIR: dataDir,
      GEMINI_API_KEY: gemini.apiKey,
      GEMINI_BASE_URL: gemini.url,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'debug',
    });
    expect(code, stderr).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ command: 'index', ok: true, files: [{ file: 'water report.pdf', pages: 2, status: 'indexed' }] });
    expect(lines[1]).toMatchObject({ command: 'ask', grounded: true, retrieval: 'hybrid' });
    expect((lines[1].citations as { file: string; page: number }[])[0]).toMatchObject({ file: 'water report.pdf', page: 2 });
    expect(fs.existsSync(path.join(dataDir, 'docent.db'))).toBe(true);
    // Banner and logs go to stderr; the key never appears there.
    expect(stderr).toContain('Docent ');
    expect(stderr).toMatch(/semantic search\s+Gemini embeddings gemini-embedding-001/);
    expect(stderr).not.toContain(gemini.apiKey);
    expect(gemini.batches.length).toBeGreaterThan(0);
  });

  it('starts with no configuration at all and says which variables switch on the rest', async () => {
    const dataDir = tempDir();
    const { code, stdout, stderr } = await run([], '/docs\n', { DATA_DIR: dataDir, GEMINI_API_KEY: '', QDRANT_URL: '' });
    expect(code).toBe(0);
    expect(stdout).toContain('No documents are indexed in this channel yet');
    expect(stderr).toMatch(/console bot/);
    expect(stderr).toMatch(/SQLite at .*docent\.db \(set QDRANT_URL to use a Qdrant server\)/);
    expect(stderr).toMatch(/set GEMINI_API_KEY/);
  });

  it('refuses to start on bad configuration, listing every problem by variable name', async () => {
    const { code, stderr } = await run([], '', { MAX_PDF_MB: 'big', QDRANT_URL: 'not a url' });
    expect(code).toBe(78);
    expect(stderr).toContain('MAX_PDF_MB: must be a number');
    expect(stderr).toContain('QDRANT_URL: must be an http:// or https:// URL');
  });

  it('refuses to start on a bad digest schedules file, naming the file and the entry', async () => {
    const file = path.join(tempDir(), 'digests.json');
    fs.writeFileSync(file, JSON.stringify([{ platform: 'slack', workspace: 'T1', channel: 'C1', when: 'weekdays 9h' }]));
    const { code, stderr } = await run([], '/help\n', { DATA_DIR: tempDir(), DIGEST_SCHEDULES_FILE: file, DIGEST_TIMEZONE: 'Mars/Olympus' });
    expect(code).toBe(78);
    expect(stderr).toContain('DIGEST_TIMEZONE: must be an IANA time zone');
    fs.writeFileSync(file, '[{"platform": "slack"');
    const broken = await run([], '/help\n', { DATA_DIR: tempDir(), DIGEST_SCHEDULES_FILE: file });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/Docent could not start: DIGEST_SCHEDULES_FILE \(.*digests\.json\) could not be loaded: .*JSON/);
    fs.writeFileSync(file, JSON.stringify([{ platform: 'slack', workspace: 'T1', channel: 'C1', when: 'weekdays 9h' }]));
    const bad = await run([], '/help\n', { DATA_DIR: tempDir(), DIGEST_SCHEDULES_FILE: file });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/schedule 1: “weekdays 9h” is not a schedule/);
  }, 60_000);
});

describe('npm start with a Discord token', () => {
  it('connects the Discord bot instead of the console, and stops cleanly on SIGTERM', async () => {
    const { startFakeDiscordRest } = await import('../fakes/discord-rest-fake.js');
    const { startFakeGateway } = await import('../fakes/discord-gateway-fake.js');
    const token = 'e2e.discord.token';
    const rest = await startFakeDiscordRest(token);
    const gateway = await startFakeGateway({ botUser: { id: '999', username: 'docent' }, applicationId: '352205866889641984', guild: { id: '800', name: 'Acme', channels: [{ id: '900', name: 'general', type: 0 }] } });
    rest.gatewayUrl = gateway.url;
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: root,
        env: { ...process.env, DATA_DIR: tempDir(), DISCORD_TOKEN: token, DISCORD_API_URL: rest.url, LOG_FORMAT: 'json' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      await gateway.ready();
      const deadline = Date.now() + 10_000;
      while (!stderr.includes('Discord bot') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stderr).toMatch(/● Discord bot\s+connected/);
      expect(stderr).not.toContain('console bot');
      expect(stderr).not.toContain(token);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await gateway.close();
      await rest.close();
    }
  });
});
