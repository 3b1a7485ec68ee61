import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/admin-server.js';
import { COOKIE, sessionValue, SESSION_MS } from '../../src/admin/auth.js';
import { STYLE_HASH } from '../../src/admin/html.js';
import { alice, bufferFile, memoryLogger } from '../helpers/core.js';
import { makePdf } from '../helpers/pdfs.js';
import { GENERAL, seedDocent, type SeededDocent } from '../helpers/admin-seed.js';

const TOKEN = 'admin-token-0123456789abcdef';
const HOSTILE = '<img src=x onerror=alert(1)>.pdf';

describe('the admin page over HTTP', () => {
  let seeded: SeededDocent;
  let server: AdminServer;
  let now = Date.now();
  const logger = memoryLogger();

  beforeAll(async () => {
    seeded = await seedDocent();
    await seeded.core.knowledge.ingest(GENERAL, bufferFile(HOSTILE, await makePdf([{ paragraphs: ['Tide tables for the outer harbour.'] }])), alice);
    server = await startAdminServer({ port: 0, host: '127.0.0.1', token: TOKEN, reports: seeded.core.admin, logger, now: () => now, failuresPerMinute: 5 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await seeded?.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  const signIn = (token: string, next = '/') =>
    fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ token, next }), redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });

  it('refuses to start without a token, or with a short one', async () => {
    await expect(startAdminServer({ port: 0, host: '127.0.0.1', token: undefined, reports: seeded.core.admin, logger })).rejects.toThrow(/ADMIN_TOKEN/);
    await expect(startAdminServer({ port: 0, host: '127.0.0.1', token: 'short', reports: seeded.core.admin, logger })).rejects.toThrow(/at least 16/);
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

  it('rejects a wrong token, a forged or expired session and a wrong bearer', async () => {
    expect((await signIn('not-the-token-at-all')).status).toBe(401);
    expect((await get('/', { cookie: `${COOKIE}=${sessionValue('another-token-0123456789', now)}` })).status).toBe(401);
    expect((await get('/', { cookie: `${COOKIE}=${sessionValue(TOKEN, now - SESSION_MS - 1)}` })).status).toBe(401);
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

  it('makes guessing slow: past the wrong tokens allowed per minute, sign-ins wait (429), even with the right token', async () => {
    now += 61_000;
    for (let i = 0; i < 5; i++) expect((await signIn(`wrong-token-number-${i}`)).status).toBe(401);
    const blocked = await signIn(TOKEN);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get('/', { authorization: `Bearer ${TOKEN}` })).status).toBe(401);
    now += 61_000;
    expect((await signIn(TOKEN)).status).toBe(303);
    expect(logger.entries.some((e) => e.msg?.includes('wrong token'))).toBe(true);
  });

  it('signs out', async () => {
    const res = await fetch(`${server.url}/logout`, { method: 'POST', redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });
});
