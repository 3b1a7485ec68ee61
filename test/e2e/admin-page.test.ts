import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/core.js';
import { freePort } from '../helpers/postgres.js';
import { makePdf } from '../helpers/pdfs.js';
import { runNpm } from '../helpers/npm.js';

const root = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'e2e-admin-token-0123456789abcdef';

/** Resolves with what has been printed once `test` holds for it. */
function waitFor(read: () => string, test: (text: string) => boolean, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (test(read())) {
        clearInterval(tick);
        resolve(read());
      } else if (Date.now() - started > ms) {
        clearInterval(tick);
        reject(new Error(`timed out; printed so far:\n${read()}`));
      }
    }, 100);
  });
}

describe('npm start with ADMIN_PORT', () => {
  it('serves the admin page of the running Docent, behind the token, with what its console just did', async () => {
    const dataDir = tempDir();
    const pdf = path.join(dataDir, 'tide tables.pdf');
    fs.writeFileSync(pdf, await makePdf([{ heading: 'Tides', paragraphs: ['High tide at the outer harbour is at 06:12 on Mondays.'] }]));
    const port = await freePort();
    const env = { ...process.env, DATA_DIR: dataDir, ADMIN_PORT: String(port), ADMIN_TOKEN: TOKEN, GEMINI_API_KEY: '', GROQ_API_KEY: '', QDRANT_URL: '', DATABASE_URL: '' };
    const child = spawn('npm', ['start', '--silent', '--', '--json'], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      child.stdin.write(`/index "${pdf}"\n/ask When is high tide at the outer harbour?\n/ask Who repaints the lighthouse?\n`);
      await waitFor(() => stdout, (out) => out.trim().split('\n').length >= 3);
      expect(stderr).toContain(`Admin page: http://127.0.0.1:${port} (sign in with ADMIN_TOKEN)`);
      const url = `http://127.0.0.1:${port}`;
      const anonymous = await fetch(`${url}/`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.text()).not.toContain('tide tables.pdf');
      const page = await fetch(`${url}/c/console/local/general`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const html = await page.text();
      expect(page.status, html.slice(0, 500)).toBe(200);
      expect(html).toContain('tide tables.pdf');
      expect(html).toMatch(/id="t-questions"><b>2<\/b>/);
      expect(html).toMatch(/id="t-answered"><b>50 %<\/b>/);
      expect(html).not.toContain('lighthouse');
      expect(stderr).not.toContain(TOKEN);
    } finally {
      child.stdin.end();
    }
    expect(await exited).toBe(0);
  }, 120_000);

  it('does not start without ADMIN_TOKEN, and says why', async () => {
    const { code, stderr } = await runNpm(['start', '--silent'], { DATA_DIR: tempDir(), ADMIN_PORT: '8099', ADMIN_TOKEN: '' }, '/docs\n');
    expect(code).not.toBe(0);
    expect(stderr).toContain('ADMIN_TOKEN: is needed with ADMIN_PORT');
  });
});
