import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvFileError, loadEnvFile } from '../src/env-file.js';
import { startFakeDiscordRest, type FakeDiscordRest } from './fakes/discord-rest-fake.js';
import { tempDir } from './helpers/core.js';
import { runNpm } from './helpers/npm.js';

const npm = (script: string[], env: Record<string, string | undefined>, input = '') => runNpm(script, env, input);

describe('.env', () => {
  it('reads KEY=value lines, comments and quotes; variables already in the environment win', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, '.env'), '# keys\nGROQ_API_KEY=gsk_from_file\nLOG_LEVEL="debug"\nDATA_DIR=/from/file\n');
    const env: NodeJS.ProcessEnv = { DATA_DIR: '/from/env' };
    const result = loadEnvFile(env, dir);
    expect([...(result?.loaded ?? [])].sort()).toEqual(['GROQ_API_KEY', 'LOG_LEVEL']);
    expect(env).toMatchObject({ GROQ_API_KEY: 'gsk_from_file', LOG_LEVEL: 'debug', DATA_DIR: '/from/env' });
  });

  it('no .env is fine; a DOCENT_ENV_FILE that cannot be read is an error naming it', () => {
    expect(loadEnvFile({}, tempDir())).toBeUndefined();
    expect(() => loadEnvFile({ DOCENT_ENV_FILE: '/nonexistent/docent.env' }, tempDir())).toThrow(EnvFileError);
    expect(() => loadEnvFile({ DOCENT_ENV_FILE: '/nonexistent/docent.env' }, tempDir())).toThrow(/Could not read \/nonexistent\/docent\.env/);
  });
});

describe('npm start and npm run deploy:discord read the env file', () => {
  let rest: FakeDiscordRest;
  beforeAll(async () => {
    rest = await startFakeDiscordRest('fake.envfile.token');
  });
  afterAll(() => rest.close());

  it('npm start --help prints usage and starts nothing', async () => {
    const { code, stdout } = await npm(['start', '--silent', '--', '--help'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: npm start/);
    expect(stdout).toContain('.env');
    expect(stdout).not.toContain('Docent 0.');
  });

  it('npm start takes its settings from the env file', async () => {
    const dataDir = tempDir();
    const envFile = path.join(tempDir(), 'docent.env');
    fs.writeFileSync(envFile, `DATA_DIR=${dataDir}\nLOG_LEVEL=silent\n`);
    const { code, stdout, stderr } = await npm(['start', '--silent', '--', '--json'], { DOCENT_ENV_FILE: envFile, DATA_DIR: undefined, DISCORD_TOKEN: undefined, SLACK_BOT_TOKEN: undefined }, '/docs\n');
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout.trim())).toMatchObject({ command: 'docs', ok: true });
    expect(fs.existsSync(path.join(dataDir, 'docent.db'))).toBe(true);
  });

  it('npm run deploy:discord takes DISCORD_TOKEN from the env file', async () => {
    const envFile = path.join(tempDir(), 'docent.env');
    fs.writeFileSync(envFile, `DISCORD_TOKEN=fake.envfile.token\nDISCORD_API_URL=${rest.url}\nDISCORD_GUILD_ID=800800800800800800\n`);
    const { code, stdout, stderr } = await npm(['run', '--silent', 'deploy:discord'], { DOCENT_ENV_FILE: envFile, DISCORD_TOKEN: undefined });
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^Registered \d+ commands in server 800800800800800800/);
    expect(rest.calls.some((c) => c.kind === 'commands')).toBe(true);
    const help = await npm(['run', '--silent', 'deploy:discord', '--', '--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run deploy:discord/);
  });
});
