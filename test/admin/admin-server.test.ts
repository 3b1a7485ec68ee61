import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/admin-server.js';
import { MAX_FORM_BYTES } from '../../src/admin/sign-in.js';
import { COOKIE, SESSION_MS } from '../../src/admin/auth.js';
import type { AdminSessionState } from '../../src/core/ports/state-store.js';
import { STYLE_HASH } from '../../src/admin/html.js';
import { alice, bufferFile, memoryLogger } from '../helpers/core.js';
import { makePdf } from '../helpers/pdfs.js';
import { GENERAL, seedDocent, type SeededDocent } from '../helpers/admin-seed.js';

const TOKEN = 'admin-token-0123456789abcdef';
const HOSTILE = '<img src=x onerror=alert(1)>.pdf';

/** The sessions store as the server uses it, with what it was handed recorded. */
function recordingSessions(store: AdminSessionState) {
  const opened: { hash: string; expires: Date; at: Date }[] = [];
  const sessions: AdminSessionState = {
    open: async (hash, expires, at) => {
      opened.push({ hash, expires, at });
      await store.open(hash, expires, at);
    },
    isOpen: (hash, at) => store.isOpen(hash, at),
    end: (hash) => store.end(hash),
  };
  return { sessions, opened };
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * A request from a chosen loopback address (any 127.x.y.z is this machine), to tell clients apart
 * by their socket address; `chunks` sends the body in pieces without a declared length.
 */
function request(url: string, options: { method?: string; from?: string; headers?: Record<string, string>; body?: string; chunks?: readonly string[] } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.from ?? '127.0.0.1' }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may close the connection once it has answered, before the whole body is sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('the admin page over HTTP', () => {
  let seeded: SeededDocent;
  let server: AdminServer;
  let now = Date.now();
  const logger = memoryLogger();
  let recorded: ReturnType<typeof recordingSessions>;
  const others: AdminServer[] = [];
  /** Another admin page on the same store, as another replica runs it. */
  const replica = async ({ clock, ...limits }: { failuresPerMinute?: number; globalFailuresPerMinute?: number; clock?: () => number } = {}) => {
    const started = await startAdminServer({ port: 0, host: '127.0.0.1', token: TOKEN, reports: seeded.core.admin, sessions: seeded.core.adminSessions, logger, now: clock ?? (() => now), ...limits });
    others.push(started);
    return started;
  };

  beforeAll(async () => {
    seeded = await seedDocent();
    await seeded.core.knowledge.ingest(GENERAL, bufferFile(HOSTILE, await makePdf([{ paragraphs: ['Tide tables for the outer harbour.'] }])), alice);
    recorded = recordingSessions(seeded.core.adminSessions);
    server = await startAdminServer({ port: 0, host: '127.0.0.1', token: TOKEN, reports: seeded.core.admin, sessions: recorded.sessions, logger, now: () => now, failuresPerMinute: 5 });
  }, 60_000);
  afterAll(async () => {
    for (const other of others) await other.close();
    await server?.close();
    await seeded?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  const signIn = (token: string, next = '/') =>
    fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ token, next }), redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('refuses to start without a token, or with a short one', async () => {
    await expect(startAdminServer({ port: 0, host: '127.0.0.1', token: undefined, reports: seeded.core.admin, sessions: seeded.core.adminSessions, logger })).rejects.toThrow(/ADMIN_TOKEN/);
    await expect(startAdminServer({ port: 0, host: '127.0.0.1', token: 'short', reports: seeded.core.admin, sessions: seeded.core.adminSessions, logger })).rejects.toThrow(/at least 16/);
  });

  it('listens on 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers every page without the token with 401 and the sign-in form, and nothing of the data', async () => {
    for (const path of ['/', '/w/slack/T1', '/c/slack/T1/C-general', '/nowhere']) {
      const res = await get(path);
      expect(res.status).toBe(401);
      const body = await res.text();
      expect(body).toContain('name="token"');
      // Only the path asked for comes back (as where to go after signing in); nothing Docent holds.
      for (const secret of ['harbour.pdf', 'kiln.pdf', 'C-design', '9001', 'llama', 'Alice', 'daily 11:00', 'not_pdf']) expect(body).not.toContain(secret);
    }
  });

  it('rejects a wrong token, a made-up or malformed session cookie and a wrong bearer', async () => {
    expect((await signIn('not-the-token-at-all')).status).toBe(401);
    expect((await get('/', { cookie: `${COOKIE}=${'A'.repeat(43)}` })).status).toBe(401);
    expect((await get('/', { cookie: `${COOKIE}=9999999999999.${'A'.repeat(43)}` })).status).toBe(401);
    expect((await get('/', { authorization: 'Bearer not-the-token' })).status).toBe(401);
  });

  it('signs in with the token: a session cookie (HttpOnly, SameSite=Strict) and back to the page asked for', async () => {
    now += 61_000;
    const res = await signIn(TOKEN, '/c/slack/T1/C-general');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/c/slack/T1/C-general');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get('/c/slack/T1/C-general', { cookie: cookie.split(';')[0] ?? '' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('harbour.pdf');
  });

  it('a session is a random id in the cookie and only a hash of it in the store; another token opens none of them', async () => {
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const res = await signIn(TOKEN);
      ids.push(/^docent_admin=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '');
    }
    expect(ids[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(ids[1]).not.toBe(ids[0]);
    const stored = recorded.opened.slice(-2).map((o) => o.hash);
    for (const id of ids) for (const hash of stored) expect(hash).not.toContain(id);
    expect(await seeded.core.adminSessions.isOpen(stored[0] ?? '', new Date(now))).toBe(true);
    // The same store under another token (ADMIN_TOKEN changed): the cookie opens nothing.
    const other = await startAdminServer({ port: 0, host: '127.0.0.1', token: 'another-token-0123456789', reports: seeded.core.admin, sessions: seeded.core.adminSessions, logger, now: () => now });
    others.push(other);
    expect((await fetch(`${other.url}/`, { headers: { cookie: `${COOKIE}=${ids[0]}` }, redirect: 'manual' })).status).toBe(401);
  });

  it('a session ends when its time is up, and sessions past their time are pruned from the store at the next sign-in', async () => {
    const res = await signIn(TOKEN);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const { hash, at } = recorded.opened.at(-1) ?? { hash: '', at: new Date(0) };
    expect((await get('/', { cookie })).status).toBe(200);
    now += SESSION_MS;
    expect((await get('/', { cookie })).status).toBe(401);
    // Still in the store, as of an instant before it expired …
    expect(await seeded.core.adminSessions.isOpen(hash, at)).toBe(true);
    expect((await signIn(TOKEN)).status).toBe(303);
    // … until the next sign-in prunes it.
    expect(await seeded.core.adminSessions.isOpen(hash, at)).toBe(false);
  });

  it('signing out on one replica ends the session on every replica', async () => {
    const other = await replica();
    const res = await signIn(TOKEN);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await fetch(`${other.url}/`, { headers: { cookie }, redirect: 'manual' })).status).toBe(200);
    const out = await fetch(`${other.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await get('/', { cookie })).status).toBe(401);
    expect((await fetch(`${other.url}/`, { headers: { cookie }, redirect: 'manual' })).status).toBe(401);
  });

  it('answers a request body over the limit with 413, without an error or a counted guess, and goes on serving', async () => {
    now += 61_000;
    const errorsBefore = logger.entries.filter((e) => e.level === 'error').length;
    const warningsBefore = logger.entries.filter((e) => e.msg?.includes('wrong token')).length;
    const oversized = new URLSearchParams({ token: 'x'.repeat(MAX_FORM_BYTES), next: '/' }).toString();
    // More oversized forms than the wrong tokens allowed: none of them is counted as a guess.
    for (let i = 0; i < 6; i++) {
      const declared = await request(`${server.url}/login`, { method: 'POST', headers: FORM, body: oversized });
      expect(declared.status).toBe(413);
      expect(declared.body).toContain('name="token"');
    }
    // Sent in pieces without a declared length, and far larger: read only up to the limit.
    const streamed = await request(`${server.url}/login`, { method: 'POST', headers: FORM, chunks: Array.from({ length: 64 }, () => 'token='.padEnd(16_384, 'y')) });
    expect(streamed.status).toBe(413);
    expect(logger.entries.filter((e) => e.level === 'error').length).toBe(errorsBefore);
    expect(logger.entries.filter((e) => e.msg?.includes('wrong token')).length).toBe(warningsBefore);
    expect((await signIn(TOKEN)).status).toBe(303);
    expect((await get('/', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('never redirects off the page after signing in', async () => {
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      const res = await signIn(TOKEN, next);
      expect(res.headers.get('location')).toBe('/');
    }
  });

  it('serves the page to a bearer token, with a strict Content-Security-Policy and no external assets', async () => {
    const res = await get('/', { authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src '${STYLE_HASH}'`);
    expect(csp).not.toMatch(/unsafe-inline|script-src/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|src="https?:|@import/i);
    expect(html).toContain('<svg id="questions-chart"');
    // A retired model is marked in the plan; a model with no successful call has no latency; sizes in KB.
    expect(html).toContain('<b>groq:gemma2-9b-it <span class="bad">(retired)</span></b>');
    expect(html).toContain('<td>gemma2-9b-it</td><td>answer</td><td class="num">1</td><td class="num"><span class="bad">1</span></td><td class="num">–</td><td class="num">–</td>');
    expect(html).toMatch(/harbour\.pdf<\/a><\/td>.*<td class="num">2 KB<\/td>/);
    // ADMIN_SHOW_QUESTIONS is off: counts, and a note on how to see the questions.
    expect(html).toContain('Question text is hidden. Set ADMIN_SHOW_QUESTIONS=true');
    expect(html).toContain('<b id="unanswered-count">4</b>');
    for (const asked of ['boat shed', 'wifi password', 'How much cod']) expect(html).not.toContain(asked);
  });

  it('escapes what people named their files', async () => {
    const html = await (await get('/', { authorization: `Bearer ${TOKEN}` })).text();
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.pdf');
  });

  it('is read-only: other methods get 405, unknown pages 404', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await fetch(`${server.url}/`, { method: 'DELETE', headers: auth })).status).toBe(405);
    expect((await fetch(`${server.url}/`, { method: 'POST', headers: auth })).status).toBe(405);
    expect((await get('/nowhere', auth)).status).toBe(404);
    expect((await get('/c/slack/T1', auth)).status).toBe(404);
    expect((await get('/c/slack/T1/%E0%A4%A', auth)).status).toBe(404);
  });

  it('makes guessing slow: past the wrong tokens allowed per minute from an address, its sign-ins and bearer requests wait (429, Retry-After), even with the right token', async () => {
    now += 61_000;
    for (let i = 0; i < 5; i++) expect((await signIn(`wrong-token-number-${i}`)).status).toBe(401);
    const blocked = await signIn(TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const bearer = await get('/', { authorization: `Bearer ${TOKEN}` });
    expect(bearer.status).toBe(429);
    expect(Number(bearer.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('/', { authorization: 'Bearer still-not-the-token' })).status).toBe(429);
    now += 61_000;
    expect((await signIn(TOKEN)).status).toBe(303);
    expect((await get('/', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect(logger.entries.some((e) => e.msg?.includes('wrong token'))).toBe(true);
  });

  it('counts wrong tokens per client address: another address is not locked out, and X-Forwarded-For is not believed', async () => {
    let clock = Date.now();
    const page = await replica({ failuresPerMinute: 3, clock: () => clock });
    const signInFrom = (from: string, token: string, headers: Record<string, string> = {}) =>
      request(`${page.url}/login`, { method: 'POST', from, headers: { ...FORM, ...headers }, body: new URLSearchParams({ token, next: '/' }).toString() });
    for (let i = 0; i < 3; i++) expect((await signInFrom('127.0.0.2', `wrong-token-number-${i}`)).status).toBe(401);
    expect((await signInFrom('127.0.0.2', TOKEN)).status).toBe(429);
    // Another address claimed in a header changes nothing: the socket's address is the client's.
    expect((await signInFrom('127.0.0.2', TOKEN, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    const bearer = await request(`${page.url}/`, { from: '127.0.0.2', headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.7' } });
    expect(bearer.status).toBe(429);
    expect(Number(bearer.headers['retry-after'])).toBeGreaterThan(0);
    // Someone else, at another address, signs in and reads the page.
    expect((await signInFrom('127.0.0.3', TOKEN)).status).toBe(303);
    expect((await request(`${page.url}/`, { from: '127.0.0.3', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    clock += 61_000;
    expect((await signInFrom('127.0.0.2', TOKEN)).status).toBe(303);
  });

  it('holds all addresses together under a global ceiling: past it, every address waits (429, Retry-After)', async () => {
    let clock = Date.now();
    const page = await replica({ failuresPerMinute: 2, globalFailuresPerMinute: 4, clock: () => clock });
    const signInFrom = (from: string, token: string) => request(`${page.url}/login`, { method: 'POST', from, headers: FORM, body: new URLSearchParams({ token, next: '/' }).toString() });
    for (const from of ['127.0.0.4', '127.0.0.5']) for (let i = 0; i < 2; i++) expect((await signInFrom(from, `wrong-token-number-${i}`)).status).toBe(401);
    const fresh = await signInFrom('127.0.0.6', TOKEN);
    expect(fresh.status).toBe(429);
    expect(Number(fresh.headers['retry-after'])).toBeGreaterThan(0);
    expect((await request(`${page.url}/`, { from: '127.0.0.6', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(429);
    clock += 61_000;
    expect((await signInFrom('127.0.0.6', TOKEN)).status).toBe(303);
  });
});
