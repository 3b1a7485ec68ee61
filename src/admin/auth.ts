import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

function signature(token: string, expires: number): string {
  return createHmac('sha256', token).update(`docent-admin-session:${expires}`).digest('base64url');
}

/** A session cookie value: its expiry and a signature made with the token (a new token ends every session). */
export function sessionValue(token: string, now: number): string {
  const expires = now + SESSION_MS;
  return `${expires}.${signature(token, expires)}`;
}

export function isSession(value: string | undefined, token: string, now: number): boolean {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value ?? '');
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires <= now) return false;
  return timingSafeEqual(Buffer.from(match[2] ?? ''), Buffer.from(signature(token, expires)));
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

/**
 * Wrong tokens allowed per minute, from anywhere: past that, sign-ins wait (429) until the minute
 * is over, so a token cannot be guessed quickly even from many addresses.
 */
export function failureBudget(perMinute: number): { allowed(now: number): boolean; failed(now: number): void; retryAfterSeconds(now: number): number } {
  let windowStart = 0;
  let failures = 0;
  const roll = (now: number) => {
    if (now - windowStart >= 60_000) {
      windowStart = now;
      failures = 0;
    }
  };
  return {
    allowed(now) {
      roll(now);
      return failures < perMinute;
    },
    failed(now) {
      roll(now);
      failures++;
    },
    retryAfterSeconds: (now) => Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000)),
  };
}
