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
}

describe('docker-compose.yml (no Docker engine here: checked by reading)', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
  const { qdrant, docent } = compose.services;

  it('pins Qdrant to a version tag, keeps its storage on a volume and checks its health', () => {
    expect(qdrant.image).toMatch(/^qdrant\/qdrant:v\d+\.\d+\.\d+$/);
    expect(qdrant.volumes).toContain('qdrant-storage:/qdrant/storage');
    expect(qdrant.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['qdrant-storage', 'docent-data']));
  });

  it('publishes no port by default; the Slack HTTP override publishes SLACK_PORT; the image checks /healthz in every mode', () => {
    expect(docent.ports).toBeUndefined();
    const slackHttp = parse(read('docker-compose.slack-http.yml')) as { services: Record<string, Service> };
    expect(slackHttp.services.docent?.ports).toEqual(['3000:3000']);
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
    expect(docent.depends_on).toEqual({ qdrant: { condition: 'service_healthy' } });
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
});
