import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHealthServer, type HealthState } from '../src/health-server.js';
import { tempDir } from './helpers/core.js';

const root = path.resolve(import.meta.dirname, '..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('GET /healthz', () => {
  it('answers 200 with the running bots while Docent serves, 503 while it starts or stops, 404 for anything else', async () => {
    const state: HealthState = { status: 'starting', bots: [] };
    const server = await startHealthServer(0, '127.0.0.1', state);
    const url = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
    state.status = 'ok';
    state.bots = ['discord'];
    const ok = await fetch(`${url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', bots: ['discord'] });
    expect((await fetch(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: 'POST' })).status).toBe(404);
    state.status = 'stopping';
    expect((await fetch(`${url}/healthz`)).status).toBe(503);
    await server.close();
  });

  it('names each dependency: 503 "unavailable" while the state store is down, 200 "degraded" while only the passage store is', async () => {
    let dependencies: { state: 'ok' | 'down'; vectors: 'ok' | 'down' } = { state: 'ok', vectors: 'ok' };
    const state: HealthState = { status: 'ok', bots: ['slack'], dependencies: () => dependencies };
    const server = await startHealthServer(0, '127.0.0.1', state);
    const get = async () => {
      const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      return { code: response.status, body: (await response.json()) as unknown };
    };
    expect(await get()).toMatchObject({ code: 200, body: { status: 'ok', dependencies: { state: 'ok', vectors: 'ok' } } });
    dependencies = { state: 'down', vectors: 'down' };
    expect(await get()).toMatchObject({ code: 503, body: { status: 'unavailable', bots: ['slack'], dependencies: { state: 'down', vectors: 'down' } } });
    dependencies = { state: 'ok', vectors: 'down' };
    expect(await get()).toMatchObject({ code: 200, body: { status: 'degraded', dependencies: { state: 'ok', vectors: 'down' } } });
    // Starting and stopping say so whatever the dependencies.
    state.status = 'stopping';
    expect(await get()).toMatchObject({ code: 503, body: { status: 'stopping' } });
    await server.close();
  });

  it('npm start serves it in console mode too (HEALTH_PORT), and stops serving when Docent ends', async () => {
    const port = await freePort();
    const child = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, HEALTH_PORT: String(port), DATA_DIR: tempDir(), LOG_LEVEL: 'silent', DISCORD_TOKEN: '', SLACK_BOT_TOKEN: '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    let body: { bots: string[] } | undefined;
    for (const started = Date.now(); !body && Date.now() - started < 30000; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (response?.status === 200) body = (await response.json()) as { bots: string[] };
    }
    if (!body) throw new Error('/healthz never answered 200');
    expect(body.bots).toEqual(['console']);
    // The SQLite file is no service that can be down.
    expect(body).toMatchObject({ status: 'ok', dependencies: { state: 'ok', vectors: 'ok' } });
    child.stdin.end();
    expect(await closed).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
