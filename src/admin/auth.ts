import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name. */
export const COOKIE = 'docent_admin';
/** How long signing in lasts. */
export const SESSION_MS = 12 * 3600_000;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** True when `given` is the token, in constant time (both sides hashed first, so their lengths do not show). */
export function isToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(token));
}

/** A new session id: 256 random bits, which the cookie carries and the store never sees. */
export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a cookie value has the shape of a session id (anything else is not looked up). */
export function isSessionId(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/**
 * What the state store keeps for a session: an HMAC of its id keyed with the token. A stolen copy
 * of the store opens no session, and a new token ends every session (their hashes change).
 */
export function sessionHash(id: string, token: string): string {
  return createHmac('sha256', token).update(`docent-admin-session:${id}`).digest('hex');
}

export function cookieOf(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** A bearer token from the Authorization header (for scripts), if any. */
export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return match?.[1]?.trim();
}

export interface FailureThrottle {
  /** Undefined when `address` may try a token now; otherwise the seconds until it may. */
  lockedFor(address: string, now: number): number | undefined;
  /** Counts a wrong token from `address`. */
  failed(address: string, now: number): void;
}

const WINDOW_MS = 60_000;

interface Window {
  start: number;
  failures: number;
}

/**
 * Wrong tokens allowed per minute from one client address (`perAddress`), and from all addresses
 * together (`global`, much higher: it bounds guessing from many addresses without letting one
 * address lock everyone out). Past either, tries wait until that minute is over. Addresses are
 * remembered only while their minute runs, and only once they have guessed wrong, so at most
 * `global` of them each minute.
 */
export function failureThrottle(limits: { perAddress: number; global: number }): FailureThrottle {
  const everyone: Window = { start: 0, failures: 0 };
  const addresses = new Map<string, Window>();
  const current = (window: Window, now: number) => {
    if (now - window.start >= WINDOW_MS) {
      window.start = now;
      window.failures = 0;
    }
    return window;
  };
  const wait = (window: Window, now: number) => Math.max(1, Math.ceil((window.start + WINDOW_MS - now) / 1000));
  return {
    lockedFor(address, now) {
      const waits: number[] = [];
      if (current(everyone, now).failures >= limits.global) waits.push(wait(everyone, now));
      const own = addresses.get(address);
      if (own && current(own, now).failures >= limits.perAddress) waits.push(wait(own, now));
      return waits.length > 0 ? Math.max(...waits) : undefined;
    },
    failed(address, now) {
      for (const [key, window] of addresses) if (now - window.start >= WINDOW_MS) addresses.delete(key);
      current(everyone, now).failures++;
      const own = addresses.get(address) ?? { start: now, failures: 0 };
      current(own, now).failures++;
      addresses.set(address, own);
    },
  };
}
