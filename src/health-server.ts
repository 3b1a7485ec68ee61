import http from 'node:http';
import type { DependencyStates } from './core/index.js';

export interface HealthState {
  /** "starting", "ok" or "stopping": only "ok" answers 200. */
  status: 'starting' | 'ok' | 'stopping';
  /** The bots running, for the body ("discord", "slack", "console"). */
  bots: string[];
  /** Whether the state store and the passage store answer (the core's outage monitors). */
  dependencies?: () => DependencyStates;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz in every mode, for Docker's HEALTHCHECK and orchestrators: 200 with the running
 * bots while Docent serves, 503 while it starts or stops, and 503 ("unavailable") while the
 * state store (PostgreSQL) cannot be reached, since no command works then. The body names each
 * dependency, `ok` or `down`; passages alone being down (Qdrant) is "degraded" but still 200: the
 * commands that do not search keep working. Nothing else is served, and by default it listens on
 * 127.0.0.1 only.
 */
export async function startHealthServer(port: number, host: string, state: HealthState, started: number = Date.now()): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const dependencies = state.dependencies?.();
    const status = state.status !== 'ok' ? state.status : dependencies?.state === 'down' ? 'unavailable' : dependencies?.vectors === 'down' ? 'degraded' : 'ok';
    const body = JSON.stringify({ status, bots: state.bots, ...(dependencies ? { dependencies } : {}), uptimeSeconds: Math.round((Date.now() - started) / 1000) });
    res.writeHead(status === 'ok' || status === 'degraded' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
