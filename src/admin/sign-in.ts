import type http from 'node:http';
import type { Logger } from '../core/public-surface.js';
import type { AdminSessionState } from '../core/ports/state-store.js';
import { bearer, COOKIE, cookieOf, failureThrottle, isSessionId, isToken, newSessionId, SESSION_MS, sessionHash } from './auth.js';

/** The largest request body read (the sign-in form is a token and a path); a larger one gets 413. */
export const MAX_FORM_BYTES = 4096;

export interface AdminAccessOptions {
  readonly token: string;
  readonly sessions: AdminSessionState;
  readonly logger: Logger;
  readonly now: () => number;
  /** Wrong tokens allowed per minute from one client address before its tries wait. */
  readonly failuresPerMinute: number;
  /** Wrong tokens allowed per minute from all addresses together. */
  readonly globalFailuresPerMinute: number;
}

/** Whether a request may see the page: signed in, not (401), or locked out from trying a token (429, for `wait` seconds). */
export type Access = 'granted' | 'denied' | { readonly wait: number };

/** What a sign-in came to: the connection went away, a body over the limit, a wait, a wrong token, or a session (its cookie). */
export type SignIn =
  | { readonly kind: 'gone' }
  | { readonly kind: 'too large' }
  | { readonly kind: 'locked'; readonly next: string | null; readonly wait: number }
  | { readonly kind: 'wrong'; readonly next: string | null }
  | { readonly kind: 'signed in'; readonly next: string | null; readonly cookie: string };

export interface AdminAccess {
  access(req: http.IncomingMessage): Promise<Access>;
  signIn(req: http.IncomingMessage): Promise<SignIn>;
  /** Ends the request's session in the store (on every replica); the cookie that clears it in the browser. */
  signOut(req: http.IncomingMessage): Promise<string>;
}

/**
 * Who may see the admin page. A session is a random id in an HttpOnly cookie, kept in the state
 * store only as a hash; a bearer token is checked on each request. Wrong tokens are counted per
 * client address, under a much higher ceiling for all addresses together; a body over
 * MAX_FORM_BYTES is not read, and is no guess.
 */
export function createAdminAccess(options: AdminAccessOptions): AdminAccess {
  const { token, sessions, logger, now } = options;
  const throttle = failureThrottle({ perAddress: options.failuresPerMinute, global: options.globalFailuresPerMinute });
  const sessionOf = (req: http.IncomingMessage): string | undefined => {
    const id = cookieOf(req.headers.cookie, COOKIE);
    return isSessionId(id) ? sessionHash(id, token) : undefined;
  };
  /** A try at the token from `req`'s address: locked (seconds to wait), right, or wrong (counted and logged). */
  const attempt = (req: http.IncomingMessage, given: string | undefined, what: string): { wait: number } | boolean => {
    const address = clientAddress(req);
    const wait = throttle.lockedFor(address, now());
    if (wait !== undefined) return { wait };
    if (isToken(given, token)) return true;
    throttle.failed(address, now());
    logger.warn({ address }, `admin page: ${what} with a wrong token`);
    return false;
  };

  return {
    async access(req) {
      const session = sessionOf(req);
      if (session && (await sessions.isOpen(session, new Date(now())))) return 'granted';
      const given = bearer(req.headers.authorization);
      if (given === undefined) return 'denied';
      const tried = attempt(req, given, 'a request');
      return typeof tried === 'object' ? tried : tried ? 'granted' : 'denied';
    },
    async signIn(req) {
      const read = await readForm(req);
      if (read.kind !== 'form') return read;
      const next = read.form.get('next');
      const tried = attempt(req, read.form.get('token') ?? undefined, 'a sign-in');
      if (typeof tried === 'object') return { kind: 'locked', next, wait: tried.wait };
      if (!tried) return { kind: 'wrong', next };
      const id = newSessionId();
      const at = now();
      await sessions.open(sessionHash(id, token), new Date(at + SESSION_MS), new Date(at));
      const secure = req.headers['x-forwarded-proto'] === 'https' ? '; Secure' : '';
      return { kind: 'signed in', next, cookie: `${COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}${secure}` };
    },
    async signOut(req) {
      const session = sessionOf(req);
      if (session) await sessions.end(session);
      return `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
    },
  };
}

type FormRead = { readonly kind: 'form'; readonly form: URLSearchParams } | { readonly kind: 'too large' } | { readonly kind: 'gone' };

/**
 * Reads a form body of at most MAX_FORM_BYTES. A larger one (as declared, or as it arrives) is
 * read no further; the rest is discarded as it comes while the answer closes the connection.
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
