import http from 'node:http';

export interface HealthState {
  /** "starting", "ok" or "stopping": only "ok" answers 200. */
  status: 'starting' | 'ok' | 'stopping';
  /** The bots running, for the body ("discord", "slack", "console"). */
  bots: string[];
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * GET /healthz in every mode, for Docker's HEALTHCHECK and orchestrators: 200 with the running
 * bots while Docent serves, 503 while it starts or stops. Nothing else is served, and by default
 * it listens on 127.0.0.1 only.
 */
export async function startHealthServer(port: number, host: string, state: HealthState, started: number = Date.now()): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const ok = state.status === 'ok';
    const body = JSON.stringify({ status: state.status, bots: state.bots, uptimeSeconds: Math.round((Date.now() - started) / 1000) });
    res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(body);
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
