import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
  /** The body's bytes as received (uploads). */
  readonly rawBody: Buffer;
  /** Resolves when the response has been sent completely (or the client went away). */
  readonly finished: Promise<void>;
}

export interface JsonResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Server-sent events: each is written as `data: <event>` followed by a blank line. */
  readonly events?: readonly string[];
  /** Pause before each event (and before the status line when there are no events). */
  readonly delayMs?: number;
  /** Raw bytes to send as the body (with the headers given). */
  readonly raw?: Buffer;
}

export type Handler = (request: RecordedRequest) => JsonResponse | Promise<JsonResponse>;

export interface FakeServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A loopback HTTP server that parses JSON bodies, records every request and answers JSON. */
export async function startJsonServer(handler: Handler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const raw = rawBody.toString('utf8');
      let body: unknown = undefined;
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const url = new URL(req.url ?? '/', 'http://fake');
      const finished = new Promise<void>((resolve) => res.once('close', () => resolve()));
      const request: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, rawBody, finished };
      requests.push(request);
      Promise.resolve()
        .then(() => handler(request))
        .then(
          (response) => send(res, response),
          (error: unknown) => send(res, { status: 500, body: { error: String(error) } }),
        )
        .catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function send(res: http.ServerResponse, response: JsonResponse): Promise<void> {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (response.events) {
    res.writeHead(response.status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
    for (const event of response.events) {
      if (response.delayMs) await pause(response.delayMs);
      if (res.destroyed) return;
      res.write(`data: ${event}\n\n`);
    }
    res.end();
    return;
  }
  if (response.delayMs) await pause(response.delayMs);
  if (res.destroyed) return;
  if (response.raw) {
    res.writeHead(response.status, { 'content-length': String(response.raw.length), ...headers }).end(response.raw);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
  headers['content-type'] ??= 'application/json';
  res.writeHead(response.status, headers).end(text);
}
