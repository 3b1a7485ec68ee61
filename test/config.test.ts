import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('runs with nothing set: SQLite under ./data, keyword search, console channel #general', () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe('./data');
    expect(config.qdrant.url).toBeUndefined();
    expect(config.gemini.apiKey).toBeUndefined();
    expect(config.pdf).toEqual({ maxBytes: 50 * 1024 * 1024, maxPages: 2000, timeoutMs: 120_000, pageBatch: 50, memoryLimitBytes: 1024 * 1024 * 1024, maxUnpackedBytes: 256 * 1024 * 1024 });
    expect(config.console.channel).toBe('general');
    expect(config.secrets).toEqual([]);
  });

  it('treats empty values (as in a copied .env.example) as unset', () => {
    const config = loadConfig({ QDRANT_URL: '', GEMINI_API_KEY: '  ', MAX_PDF_MB: '' });
    expect(config.qdrant.url).toBeUndefined();
    expect(config.gemini.apiKey).toBeUndefined();
    expect(config.pdf.maxBytes).toBe(50 * 1024 * 1024);
  });

  it('lists every problem at once, each by variable name', () => {
    let error: unknown;
    try {
      loadConfig({ MAX_PDF_MB: 'lots', QDRANT_URL: 'localhost:6333', EMBEDDING_BATCH_SIZE: '500', LOG_LEVEL: 'loud', GEMINI_BASE_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/MAX_PDF_MB: must be a number/);
    expect(problems.join('\n')).toMatch(/QDRANT_URL: must be an http:\/\/ or https:\/\/ URL/);
    expect(problems.join('\n')).toMatch(/EMBEDDING_BATCH_SIZE: must be at most 100/);
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
    expect(problems.join('\n')).toMatch(/GEMINI_BASE_URL/);
    expect((error as Error).message).toContain('5 configuration problem(s)');
  });

  it('checks relations between variables', () => {
    expect(() => loadConfig({ CHUNK_TARGET_CHARS: '400', CHUNK_OVERLAP_CHARS: '300' })).toThrow(/CHUNK_OVERLAP_CHARS: must be less than half/);
    expect(() => loadConfig({ QDRANT_API_KEY: 'k-123456' })).toThrow(/QDRANT_API_KEY: is set but QDRANT_URL is not/);
  });

  it('keeps the admin page off by default; with ADMIN_PORT it needs a token of 16 characters or more, and scrubs it from logs', () => {
    expect(loadConfig({}).admin).toEqual({ port: 0, host: '127.0.0.1', token: undefined, showQuestions: false });
    expect(() => loadConfig({ ADMIN_PORT: '8081' })).toThrow(/ADMIN_TOKEN: is needed with ADMIN_PORT; the admin page does not start without a token/);
    expect(() => loadConfig({ ADMIN_PORT: '8081', ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN: must be at least 16 characters/);
    expect(() => loadConfig({ ADMIN_PORT: '8080', HEALTH_PORT: '8080', ADMIN_TOKEN: 'a'.repeat(24) })).toThrow(/ADMIN_PORT: 8080 is HEALTH_PORT too/);
    expect(() => loadConfig({ ADMIN_SHOW_QUESTIONS: 'yes' })).toThrow(/ADMIN_SHOW_QUESTIONS: must be true or false/);
    const on = loadConfig({ ADMIN_PORT: '8081', ADMIN_HOST: '0.0.0.0', ADMIN_TOKEN: 'a'.repeat(24), ADMIN_SHOW_QUESTIONS: 'true' });
    expect(on.admin).toEqual({ port: 8081, host: '0.0.0.0', token: 'a'.repeat(24), showQuestions: true });
    expect(on.secrets).toContain('a'.repeat(24));
  });

  it('reads Discord sharding: auto, a count, the ids this replica runs; and refuses ids outside the count', () => {
    expect(loadConfig({}).discord.shards).toBeUndefined();
    expect(loadConfig({ DISCORD_SHARDS: 'auto' }).discord.shards).toEqual({ count: 'auto', ids: undefined });
    expect(loadConfig({ DISCORD_SHARDS: '4', DISCORD_SHARD_IDS: '3, 2,2' }).discord.shards).toEqual({ count: 4, ids: [2, 3] });
    expect(() => loadConfig({ DISCORD_SHARDS: 'many' })).toThrow(/DISCORD_SHARDS: must be auto or a number of shards/);
    expect(() => loadConfig({ DISCORD_SHARDS: '0' })).toThrow(/DISCORD_SHARDS: must be auto or a number of shards/);
    expect(() => loadConfig({ DISCORD_SHARD_IDS: '0' })).toThrow(/DISCORD_SHARD_IDS: needs DISCORD_SHARDS set to the total number of shards/);
    expect(() => loadConfig({ DISCORD_SHARDS: 'auto', DISCORD_SHARD_IDS: '0' })).toThrow(/DISCORD_SHARD_IDS: needs DISCORD_SHARDS/);
    expect(() => loadConfig({ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '1,2' })).toThrow(/DISCORD_SHARD_IDS: shard ids go from 0 to 1 with DISCORD_SHARDS=2; 2 is not one/);
    expect(() => loadConfig({ DISCORD_SHARDS: '2', DISCORD_SHARD_IDS: '0;1' })).toThrow(/DISCORD_SHARD_IDS: must be shard ids separated by commas/);
  });

  it('reads the file hosts Discord and Slack downloads are allowed from, lower-cased', () => {
    expect(loadConfig({}).slack.fileHosts).toEqual(['files.slack.com']);
    expect(loadConfig({ SLACK_FILE_HOSTS: 'Files.Slack-Gov.com, files.slack.com' }).slack.fileHosts).toEqual(['files.slack-gov.com', 'files.slack.com']);
    expect(loadConfig({}).discord.cdnHosts).toEqual(['cdn.discordapp.com', 'media.discordapp.net']);
  });

  it('strips a trailing slash from base URLs and collects secrets for log scrubbing', () => {
    const config = loadConfig({ GEMINI_BASE_URL: 'http://proxy:8080/', GEMINI_API_KEY: 'gem-key-1', GROQ_API_KEY: 'gsk_abc', QDRANT_URL: 'https://q.example', QDRANT_API_KEY: 'qd-key' });
    expect(config.gemini.baseUrl).toBe('http://proxy:8080');
    expect(config.secrets).toEqual(['gem-key-1', 'gsk_abc', 'qd-key']);
  });

  it('ignores unrelated environment variables', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', NODE_ENV: 'production' })).not.toThrow();
  });
});

describe('.env.example', () => {
  const example = fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const lines = example.split('\n');
  const documented = lines.filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => l.slice(0, l.indexOf('=')));

  /** Read by docker compose (interpolated in its files), not by Docent. */
  const COMPOSE_ONLY = ['POSTGRES_PASSWORD', 'SLACK_REPLICA_PORT'];

  it('lists exactly the variables the schema reads, and those docker compose reads from .env', () => {
    expect([...documented].sort()).toEqual([...configVariables, ...COMPOSE_ONLY].sort());
    const composeFiles = ['../docker-compose.yml', '../docker-compose.slack-http.yml'].map((file) => fs.readFileSync(new URL(file, import.meta.url), 'utf8')).join('\n');
    for (const name of COMPOSE_ONLY) expect(composeFiles, `${name} is used by a compose file`).toContain(`\${${name}`);
  });

  it('has a comment above every variable', () => {
    for (const name of documented) {
      const index = lines.findIndex((l) => l.startsWith(`${name}=`));
      const above = lines[index - 1] ?? '';
      const previousIsVariableWithComment = /^[A-Z][A-Z0-9_]*=/.test(above) && lines[index - 2]?.startsWith('#');
      expect(above.startsWith('#') || previousIsVariableWithComment, `${name} needs a comment`).toBe(true);
    }
  });

  it('is itself a valid configuration', () => {
    const env = Object.fromEntries(lines.filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});

describe('OCR_LANGUAGES', () => {
  it('accepts installed languages joined with +, and names the package to install for others', () => {
    expect(loadConfig({ OCR_LANGUAGES: 'deu+eng' }).ocr.languages).toEqual(['deu', 'eng']);
    expect(loadConfig({}).ocr.languages).toEqual(['eng', 'deu']);
    expect(loadConfig({ OCR_LANGUAGES: 'eng+chi_sim+chi_tra' }).ocr.languages).toEqual(['eng', 'chi_sim', 'chi_tra']);
    expect(() => loadConfig({ OCR_LANGUAGES: 'eng+kor' })).toThrow(/OCR_LANGUAGES: no language data for “kor” is installed: npm install @tesseract.js-data\/kor/);
    expect(() => loadConfig({ OCR_LANGUAGES: 'English' })).toThrow(/“English” is not a tesseract language code/);
  });
});
