import http from 'node:http';
import type { AdminReports, Logger } from '../core/api.js';
import { bearer, COOKIE, cookieOf, failureBudget, isSession, isToken, SESSION_MS, sessionValue } from './auth.js';
import { CONTENT_SECURITY_POLICY } from './html.js';
import { loginPage, messagePage, reportPage } from './render.js';
import { scopeOfPath } from './scopes.js';

export interface AdminServerOptions {
  readonly port: number;
  readonly host: string;
  /** ADMIN_TOKEN; the server refuses to start without one. */
  readonly token: string | undefined;
  readonly reports: AdminReports;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Wrong tokens allowed per minute before sign-ins wait. */
  readonly failuresPerMinute?: number;
}

export interface AdminServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const MAX_FORM_BYTES = 4096;

const HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

function send(res: http.ServerResponse, status: number, html: string, extra: Record<string, string | string[]> = {}): void {
  res.writeHead(status, { ...HEADERS, 'content-type': 'text/html; charset=utf-8', ...extra }).end(html);
}

/** Where to go after signing in: a path on this page only. */
function safeNext(value: string | null | undefined): string {
  return value && /^\/(?!\/)[A-Za-z0-9/_\-.%~]*$/.test(value) ? value : '/';
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The read-only admin page. Without the token (a signed session cookie from the sign-in form,
 * or `Authorization: Bearer`) every page answers 401 with the sign-in form and nothing else.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { token, logger } = options;
  if (!token || token.length < 16) throw new Error('The admin page needs ADMIN_TOKEN (at least 16 characters); it does not start without one.');
  const now = options.now ?? Date.now;
  const budget = failureBudget(options.failuresPerMinute ?? 10);

  const authorized = (req: http.IncomingMessage): boolean => {
    if (isSession(cookieOf(req.headers.cookie, COOKIE), token, now())) return true;
    const given = bearer(req.headers.authorization);
    if (given === undefined) return false;
    if (!budget.allowed(now())) return false;
    if (isToken(given, token)) return true;
    budget.failed(now());
    return false;
  };

  const signIn = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const form = await readForm(req);
    const next = safeNext(form?.get('next'));
    if (!budget.allowed(now())) {
      send(res, 429, loginPage(next, `Too many wrong tokens; try again in ${budget.retryAfterSeconds(now())} s.`), { 'retry-after': String(budget.retryAfterSeconds(now())) });
      return;
    }
    if (!form || !isToken(form.get('token') ?? undefined, token)) {
      budget.failed(now());
      logger.warn({ address: req.socket.remoteAddress }, 'admin page: a sign-in with a wrong token');
      send(res, 401, loginPage(next, 'That is not the admin token.'));
      return;
    }
    const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
    const cookie = `${COOKIE}=${sessionValue(token, now())}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}${secure}`;
    res.writeHead(303, { ...HEADERS, location: next, 'set-cookie': cookie }).end();
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    if (req.method === 'POST' && url.pathname === '/login') return signIn(req, res);
    if (req.method === 'POST' && url.pathname === '/logout') {
      res.writeHead(303, { ...HEADERS, location: '/login', 'set-cookie': `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` }).end();
      return;
    }
    if (req.method !== 'GET') return send(res, 405, messagePage('Not allowed', 'The admin page is read-only.'), { allow: 'GET' });
    if (url.pathname === '/login') return send(res, 200, loginPage(safeNext(url.searchParams.get('next'))));
    const scope = scopeOfPath(url.pathname);
    if (!authorized(req)) {
      return send(res, 401, loginPage(scope ? safeNext(url.pathname) : '/'), { 'www-authenticate': 'Bearer realm="Docent admin"' });
    }
    if (!scope) return send(res, 404, messagePage('Not found', 'There is no such page. Start from the overview.'));
    const report = await options.reports.report(scope);
    send(res, 200, reportPage(report));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, 'admin page failed');
      if (!res.headersSent) send(res, 500, messagePage('Something went wrong', 'Docent could not read its figures. The details are in its logs.'));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
