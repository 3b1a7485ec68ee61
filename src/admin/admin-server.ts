import http from 'node:http';
import type { AdminReports, Logger } from '../core/public-surface.js';
import type { AdminSessionState } from '../core/ports/state-store.js';
import { CONTENT_SECURITY_POLICY } from './html.js';
import { loginPage, messagePage, reportPage } from './render.js';
import { scopeOfPath } from './scopes.js';
import { createAdminAccess, MAX_FORM_BYTES } from './sign-in.js';

export interface AdminServerOptions {
  readonly port: number;
  readonly host: string;
  /** ADMIN_TOKEN; the server refuses to start without one. */
  readonly token: string | undefined;
  readonly reports: AdminReports;
  /** Who is signed in, in the state store: a sign-out on one replica ends the session on all. */
  readonly sessions: AdminSessionState;
  readonly logger: Logger;
  readonly now?: () => number;
  /** Wrong tokens allowed per minute from one client address before its tries wait. */
  readonly failuresPerMinute?: number;
  /** Wrong tokens allowed per minute from all addresses together (by default 20 times the per-address limit). */
  readonly globalFailuresPerMinute?: number;
}

export interface AdminServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

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

/**
 * The read-only admin page. Without the token (a session cookie from the sign-in form, or
 * `Authorization: Bearer`) every page answers 401 with the sign-in form and nothing else.
 * Sessions live in the state store under a hash of their id; wrong tokens are throttled per
 * client address, under a much higher ceiling for all addresses together.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { token, logger } = options;
  if (!token || token.length < 16) throw new Error('The admin page needs ADMIN_TOKEN (at least 16 characters); it does not start without one.');
  const perAddress = options.failuresPerMinute ?? 10;
  const auth = createAdminAccess({ token, sessions: options.sessions, logger, now: options.now ?? Date.now, failuresPerMinute: perAddress, globalFailuresPerMinute: options.globalFailuresPerMinute ?? perAddress * 20 });

  const tooManyGuesses = (res: http.ServerResponse, seconds: number, html: string) => send(res, 429, html, { 'retry-after': String(seconds) });
  const waitText = (seconds: number) => `Too many wrong tokens; try again in ${seconds} s.`;

  const signIn = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const outcome = await auth.signIn(req);
    switch (outcome.kind) {
      case 'gone':
        return;
      case 'too large':
        return send(res, 413, loginPage('/', `That sign-in form is larger than the ${MAX_FORM_BYTES} bytes the admin page accepts.`), { connection: 'close' });
      case 'locked':
        return tooManyGuesses(res, outcome.wait, loginPage(safeNext(outcome.next), waitText(outcome.wait)));
      case 'wrong':
        return send(res, 401, loginPage(safeNext(outcome.next), 'That is not the admin token.'));
      case 'signed in':
        res.writeHead(303, { ...HEADERS, location: safeNext(outcome.next), 'set-cookie': outcome.cookie }).end();
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    if (req.method === 'POST' && url.pathname === '/login') return signIn(req, res);
    if (req.method === 'POST' && url.pathname === '/logout') {
      const cookie = await auth.signOut(req);
      res.writeHead(303, { ...HEADERS, location: '/login', 'set-cookie': cookie }).end();
      return;
    }
    if (req.method !== 'GET') return send(res, 405, messagePage('Not allowed', 'The admin page is read-only.'), { allow: 'GET' });
    if (url.pathname === '/login') return send(res, 200, loginPage(safeNext(url.searchParams.get('next'))));
    const scope = scopeOfPath(url.pathname);
    const granted = await auth.access(req);
    if (typeof granted === 'object') return tooManyGuesses(res, granted.wait, messagePage('Too many wrong tokens', waitText(granted.wait)));
    if (granted === 'denied') {
      return send(res, 401, loginPage(scope ? safeNext(url.pathname) : '/'), { 'www-authenticate': 'Bearer realm="Docent admin"' });
    }
    if (!scope) return send(res, 404, messagePage('Not found', 'There is no such page. Start from the overview.'));
    const report = await options.reports.report(scope);
    send(res, 200, reportPage(report));
  };

  const server = http.createServer((req, res) => {
    // A client that goes away mid-request is no failure of the page's: nothing to log.
    req.on('error', () => undefined);
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
