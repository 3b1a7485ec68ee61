import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: string;
  volumes?: string[];
  healthcheck?: { test: string[] };
  env_file?: { path: string; required: boolean }[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  profiles?: string[];
}

describe('docker-compose.yml (no Docker engine here: checked by reading)', () => {
  // Merge keys (<<: *docent) resolved, as docker compose reads them.
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const { qdrant, docent } = compose.services;

  it('pins Qdrant to a version tag, keeps its storage on a volume and checks its health', () => {
    expect(qdrant.image).toMatch(/^qdrant\/qdrant:v\d+\.\d+\.\d+$/);
    expect(qdrant.volumes).toContain('qdrant-storage:/qdrant/storage');
    expect(qdrant.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['qdrant-storage', 'docent-data']));
  });

  it('publishes no port by default; the Slack HTTP override publishes SLACK_PORT on loopback only; the image checks /healthz in every mode', () => {
    expect(docent.ports).toBeUndefined();
    const slackHttp = parse(read('docker-compose.slack-http.yml')) as { services: Record<string, Service> };
    expect(slackHttp.services.docent?.ports).toEqual(['127.0.0.1:${SLACK_PORT:-3000}:${SLACK_PORT:-3000}']);
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/HEALTH_PORT=8080/);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD \["node", "-e", ".*\/healthz/m);
    expect(read('README.md')).toContain('docker compose attach docent');
  });

  it('pins the same Qdrant version the client and the spec target', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const client = pkg.dependencies['@qdrant/js-client-rest'].replace(/^[\^~]/, '').split('.').slice(0, 2).join('.');
    expect(qdrant.image).toContain(`:v${client}.`);
  });

  it('builds Docent, reads .env, keeps DATA_DIR on a volume and starts after Qdrant is healthy', () => {
    expect(docent.build).toBe('.');
    expect(docent.env_file).toEqual([{ path: '.env', required: false }]);
    expect(docent.environment).toMatchObject({ QDRANT_URL: 'http://qdrant:6333', DATA_DIR: '/data' });
    expect(docent.volumes).toContain('docent-data:/data');
    expect(docent.depends_on).toEqual({ qdrant: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy', required: false } });
    expect(docent.profiles).toBeUndefined();
  });

  it('the Dockerfile installs with npm ci and runs node directly so SIGTERM reaches Docent', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:24-/m);
    expect(dockerfile).toContain('RUN npm ci --omit=dev');
    expect(dockerfile).toContain('CMD ["node", "--import", "tsx", "src/main.ts"]');
    expect(dockerfile).toMatch(/ENV NODE_ENV=production \\\n\s+DATA_DIR=\/data/);
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'data', '.env']));
  });

  describe('the scale profile', () => {
    const { postgres } = compose.services;
    const second = compose.services['docent-2'];

    it('adds a pinned, healthchecked PostgreSQL with its data on a volume, only in that profile', () => {
      expect(postgres.profiles).toEqual(['scale']);
      expect(postgres.image).toMatch(/^postgres:\d+\.\d+-bookworm$/);
      expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
      expect(postgres.healthcheck?.test).toEqual(expect.arrayContaining(['pg_isready']));
      expect(postgres.environment).toMatchObject({ POSTGRES_USER: 'docent', POSTGRES_DB: 'docent' });
      // The password comes from .env; an unset one must not break `docker compose up` without the profile.
      expect(postgres.environment?.POSTGRES_PASSWORD).toBe('${POSTGRES_PASSWORD:-}');
      expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['postgres-data', 'docent-2-data']));
    });

    it('runs a second Docent replica like the first, on its own scratch volume, after PostgreSQL and Qdrant are healthy', () => {
      expect(second.profiles).toEqual(['scale']);
      expect(second.build).toBe('.');
      expect(second.env_file).toEqual(docent.env_file);
      expect(second.environment).toEqual(docent.environment);
      expect(second.volumes).toEqual(['docent-2-data:/data']);
      expect(second.depends_on).toEqual(docent.depends_on);
    });

    it('the Slack HTTP override publishes the second replica on another port, in the profile only', () => {
      const slackHttp = parse(read('docker-compose.slack-http.yml')) as { services: Record<string, Service> };
      expect(slackHttp.services['docent-2']).toEqual({ profiles: ['scale'], ports: ['127.0.0.1:${SLACK_REPLICA_PORT:-3001}:${SLACK_PORT:-3000}'] });
    });

    it('the README tells how to run it and how to move an existing install', () => {
      const readme = read('README.md');
      expect(readme).toContain('docker compose --profile scale up -d');
      expect(readme).toContain('npm run migrate:postgres');
      expect(read('docker-compose.yml')).toContain('DATABASE_URL=postgres://docent:');
    });
  });
});
