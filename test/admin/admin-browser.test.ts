import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminServer, type AdminServer } from '../../src/admin/admin-server.js';
import { seedDocent, type SeededDocent } from '../helpers/admin-seed.js';
import { browserUnavailable, launchChromium } from '../helpers/browser.js';
import { memoryLogger } from '../helpers/core.js';

// The admin page in a real headless Chromium, against a Docent used through its real services.
// ADMIN_SCREENSHOT=docs/admin-page.png also saves the README's screenshot.

const unavailable = browserUnavailable();
if (unavailable) console.warn(`[admin page in a browser] ${unavailable}`);
const TOKEN = 'browser-token-0123456789abcdef';
/** What the test reads of an element in the page (the project compiles without the DOM library). */
type Styled = { ownerDocument: { defaultView: { getComputedStyle(element: unknown): { backgroundColor: string } } } };

describe.skipIf(unavailable !== undefined)('the admin page in Chromium', () => {
  let seeded: SeededDocent;
  let server: AdminServer;
  let browser: Browser;

  beforeAll(async () => {
    seeded = await seedDocent({ ADMIN_SHOW_QUESTIONS: 'true' });
    server = await startAdminServer({ port: 0, host: '127.0.0.1', token: TOKEN, reports: seeded.core.admin, sessions: seeded.core.adminSessions, logger: memoryLogger() });
    browser = await launchChromium();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await seeded?.close();
  });

  it('asks for the token, then shows the tables and charts, with its styles allowed by the CSP and nothing blocked', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) blocked.push(m.text());
    });
    const first = await page.goto(`${server.url}/`);
    expect(first?.status()).toBe(401);
    expect(await page.locator('body').innerText()).not.toContain('harbour.pdf');
    await page.fill('#token', 'not the token, but long enough');
    await page.click('button[type=submit]');
    expect(await page.locator('[role=alert]').innerText()).toContain('not the admin token');
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')]);
    await expect.poll(() => page.locator('h1').innerText()).toBe('Docent admin');

    expect(await page.locator('#channels tbody tr').count()).toBe(3);
    expect(await page.locator('#t-questions b').innerText()).toBe('8');
    expect(await page.locator('#t-answered b').innerText()).toBe('50 %');
    expect(await page.locator('#questions-chart .bar').count()).toBe(30);
    expect(await page.locator('#questions-chart .bar[data-day="2026-11-25"]').getAttribute('data-asked')).toBe('3');
    expect(await page.locator('#answered-chart .point').count()).toBe(4);
    expect(await page.locator('#unanswered tbody').innerText()).toMatch(/boat shed[\s\S]*also: “/i);
    expect(await page.locator('#rated-down tbody').innerText()).toContain('harbour.pdf, page 1');
    expect(await page.locator('#ingest tbody').innerText()).toMatch(/minutes\.pdf\s+refused\s+Docent can't index/);
    expect(await page.locator('#models').innerText()).toContain('gemma2-9b-it');
    expect(await page.locator('#providers tbody').first().innerText()).toContain('llama-3.1-8b-instant');
    expect(await page.locator('#digests tbody').innerText()).toContain('posted');
    // The hashed style sheet applied: the header is dark, the table headers shaded.
    expect(await page.locator('header').evaluate((el) => (el as unknown as Styled).ownerDocument.defaultView.getComputedStyle(el).backgroundColor)).toBe('rgb(29, 36, 48)');
    const box = await page.locator('#questions-chart').boundingBox();
    expect(box?.width).toBeGreaterThan(300);
    if (process.env.ADMIN_SCREENSHOT) await page.screenshot({ path: path.resolve(process.env.ADMIN_SCREENSHOT), fullPage: false });

    await Promise.all([page.waitForURL(/\/c\/slack\/T1\/C-general$/), page.locator('#channels a', { hasText: 'C-general' }).first().click()]);
    expect(await page.locator('#documents tbody tr').count()).toBe(1);
    expect(await page.locator('#documents a', { hasText: 'harbour.pdf' }).getAttribute('href')).toBe('https://files.example/harbour.pdf');
    expect(await page.locator('#digests tbody tr').count()).toBe(1);
    expect(blocked).toEqual([]);
    await context.close();
  });

  it('reads without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` } });
    const page = await context.newPage();
    expect((await page.goto(`${server.url}/w/slack/T1`))?.status()).toBe(200);
    expect(await page.locator('#channels tbody tr').count()).toBe(2);
    expect(await page.locator('#documents tbody').innerText()).toMatch(/harbour\.pdf[\s\S]*kiln\.pdf|kiln\.pdf[\s\S]*harbour\.pdf/);
    await context.close();
  });

  it('gives a browser without the token nothing but the sign-in form', async () => {
    const context = await browser.newContext();
    const response = await context.request.get(`${server.url}/c/slack/T1/C-general`);
    expect(response.status()).toBe(401);
    const body = await response.text();
    for (const held of ['harbour.pdf', 'boat shed', 'llama', 'Alice']) expect(body).not.toContain(held);
    await context.close();
  });
});
