import http from 'node:http';
import type { AdminReports, Logger } from '../core/api.js';
import type { AdminSessionState } from '../core/state.js';
import { bearer, COOKIE, cookieOf, failureThrottle, isSessionId, isToken, newSessionId, SESSION_MS, sessionHash } from './auth.js';
import { CONTENT_SECURITY_POLICY } from './html.js';
import { loginPage, messagePage, reportPage } from './render.js';
import { scopeOfPath } from './scopes.js';

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

/** The largest request body read (the sign-in form is a token and a path); a larger one gets 413. */
export const MAX_FORM_BYTES = 4096;

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

type FormRead = { readonly kind: 'form'; readonly form: URLSearchParams } | { readonly kind: 'too large' } | { readonly kind: 'gone' };

/**
 * Reads a form body of at most MAX_FORM_BYTES. A larger one (as declared, or as it arrives) is
 * not read further: the caller answers 413 and the connection is closed after the answer.
 */
function readForm(req: http.IncomingMessage): Promise<FormRead> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_FORM_BYTES) return Promise.resolve({ kind: 'too large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: FormRead) => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
      else settle({ kind: 'too large' });
    };
    const onEnd = () => settle({ kind: 'form', form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')) });
    const onClose = () => settle({ kind: 'gone' });
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}

/** The client's address: the socket's (no trusted-proxy setting exists, so X-Forwarded-For is not believed). */
function clientAddress(req: http.IncomingMessage): string {
  return (req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
}

/**
 * The read-only admin page. Without the token (a session cookie from the sign-in form, or
 * `Authorization: Bearer`) every page answers 401 with the sign-in form and nothing else.
 * Sessions live in the state store under a hash of their id; wrong tokens are throttled per
 * client address, under a much higher ceiling for all addresses together.
 */
export async function startAdminServer(options: AdminServerOptions): Promise<AdminServer> {
  const { token, logger, sessions } = options;
  if (!token || token.length < 16) throw new Error('The admin page needs ADMIN_TOKEN (at least 16 characters); it does not start without one.');
  const now = options.now ?? Date.now;
  const perAddress = options.failuresPerMinute ?? 10;
  const throttle = failureThrottle({ perAddress, global: options.globalFailuresPerMinute ?? perAddress * 20 });

  const tooManyGuesses = (res: http.ServerResponse, seconds: number, html: string) => send(res, 429, html, { 'retry-after': String(seconds) });
  const waitText = (seconds: number) => `Too many wrong tokens; try again in ${seconds} s.`;

  const sessionOf = (req: http.IncomingMessage): string | undefined => {
    const id = cookieOf(req.headers.cookie, COOKIE);
    return isSessionId(id) ? sessionHash(id, token) : undefined;
  };

  /** Signed in (a session, or the right bearer token), not (401), or locked out from trying (429). */
  const access = async (req: http.IncomingMessage): Promise<'granted' | 'denied' | { readonly wait: number }> => {
    const session = sessionOf(req);
    if (session && (await sessions.isOpen(session, new Date(now())))) return 'granted';
    const given = bearer(req.headers.authorization);
    if (given === undefined) return 'denied';
    const address = clientAddress(req);
    const wait = throttle.lockedFor(address, now());
    if (wait !== undefined) return { wait };
    if (isToken(given, token)) return 'granted';
    throttle.failed(address, now());
    logger.warn({ address }, 'admin page: a request with a wrong bearer token');
    return 'denied';
  };

  const signIn = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const read = await readForm(req);
    if (read.kind === 'gone') return;
    if (read.kind === 'too large') {
      // Not a guess at the token: nothing was read of it.
      send(res, 413, loginPage('/', `That sign-in form is larger than the ${MAX_FORM_BYTES} bytes the admin page accepts.`), { connection: 'close' });
      return;
    }
    const { form } = read;
    const next = safeNext(form.get('next'));
    const address = clientAddress(req);
    const wait = throttle.lockedFor(address, now());
    if (wait !== undefined) return tooManyGuesses(res, wait, loginPage(next, waitText(wait)));
    if (!isToken(form.get('token') ?? undefined, token)) {
      throttle.failed(address, now());
      logger.warn({ address }, 'admin page: a sign-in with a wrong token');
      send(res, 401, loginPage(next, 'That is not the admin token.'));
      return;
    }
    const id = newSessionId();
    const at = now();
    await sessions.open(sessionHash(id, token), new Date(at + SESSION_MS), new Date(at));
    const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
    const cookie = `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}${secure}`;
    res.writeHead(303, { ...HEADERS, location: next, 'set-cookie': cookie }).end();
  };

  const signOut = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const session = sessionOf(req);
    if (session) await sessions.end(session);
    res.writeHead(303, { ...HEADERS, location: '/login', 'set-cookie': `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` }).end();
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    if (req.method === 'POST' && url.pathname === '/login') return signIn(req, res);
    if (req.method === 'POST' && url.pathname === '/logout') return signOut(req, res);
    if (req.method !== 'GET') return send(res, 405, messagePage('Not allowed', 'The admin page is read-only.'), { allow: 'GET' });
    if (url.pathname === '/login') return send(res, 200, loginPage(safeNext(url.searchParams.get('next'))));
    const scope = scopeOfPath(url.pathname);
    const granted = await access(req);
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
