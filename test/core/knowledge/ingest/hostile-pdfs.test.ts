import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/index.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { isMeaningfulText } from '../../../../src/core/knowledge/ingest/text-quality.js';
import { alice, bufferFile, scope, startCore, tempDir, testConfig } from '../../../helpers/core.js';
import { sharedFile } from '../../../helpers/shared.js';

const folder = sharedFile('fixtures', 'hostile-pdfs');
const here = scope('C-hostile');

interface Entry {
  file: string;
  category: string;
  password: string | null;
}

/** Refusals we expect, by category; anything else must either index or be refused as corrupt or textless. */
const ACCEPTED_REFUSALS = new Set(['pdf_corrupt', 'pdf_unsupported', 'pdf_encrypted', 'pdf_no_text', 'pdf_no_pages', 'pdf_timeout', 'pdf_too_complex']);

describe.runIf(folder)('real-world hostile PDFs (../shared/fixtures/hostile-pdfs)', () => {
  const dir = folder ?? '';
  const entries = folder ? (JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8')) as Entry[]) : [];
  let core: Core;
  let db: SqliteDatabase;

  beforeAll(async () => {
    db = openSqliteDatabase(tempDir());
    // OCR of textless pages is bounded here: this suite is about parsing hostile files.
    core = await startCore(testConfig({ PDF_TIMEOUT_SECONDS: '20', OCR_MAX_PAGES: '2' }), { database: db });
    await core.start();
  });
  afterAll(async () => {
    await core.close();
    db.close();
  });

  for (const entry of entries) {
    it(`${entry.file} (${entry.category}) is indexed or refused with a specific message`, async () => {
      const data = fs.readFileSync(path.join(dir, entry.file));
      const before = (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
      const outcome = await core.knowledge.ingest(here, bufferFile(entry.file, data), alice).then(
        (result) => ({ ok: true as const, result }),
        (error: unknown) => ({ ok: false as const, error: error as { code?: string; userMessage?: string } }),
      );
      const after = (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
      if (outcome.ok) {
        const { document } = outcome.result;
        expect(document.chunks).toBeGreaterThan(0);
        expect(after - before).toBe(document.chunks);
        const texts = db.prepare('SELECT text, tokens FROM chunks WHERE document_id = ?').all(document.id) as { text: string; tokens: string }[];
        for (const { text, tokens } of texts) {
          expect(isMeaningfulText(text)).toBe(true);
          expect(tokens.trim().length, `a stored passage with no searchable word: ${JSON.stringify(text)}`).toBeGreaterThan(0);
        }
      } else {
        expect(ACCEPTED_REFUSALS).toContain(outcome.error.code);
        expect(outcome.error.userMessage).toContain(`“${entry.file}”`);
        // The reader's own words never reach the user.
        expect(outcome.error.userMessage).not.toMatch(/Illegal character|Invalid Root|Invalid PDF structure|Bad encoding|XRef|circular reference|Indexing all|FormatError|Exception|"A85"/);
        expect(after).toBe(before);
        if (entry.category === 'encrypted' && entry.password) expect(outcome.error.code).toBe('pdf_encrypted');
      }
      expect(db.prepare(`SELECT count(*) AS n FROM documents WHERE status <> 'ready'`).get()).toEqual({ n: 0 });
    });
  }

  it('keeps the readable pages of a PDF with a bad stream or a page-tree cycle, and names the pages skipped', async () => {
    for (const file of ['poppler-90-0-fuzzed.pdf', 'Pages-tree-refs.pdf']) {
      const data = fs.readFileSync(path.join(dir, file));
      const result = await core.knowledge.ingest(scope('C-partial'), bufferFile(`again-${file}`, Buffer.concat([data, Buffer.from(`\n%${file}`)])), alice);
      expect(result.document.chunks, file).toBeGreaterThan(0);
      expect(result.unreadablePages?.length ?? 0, file).toBeGreaterThan(0);
    }
  });

  it('indexes the control documents and the scanned photo is refused as textless', async () => {
    const names = (await core.knowledge.list(here)).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['tracemonkey.pdf', 'TAMReview.pdf']));
    expect(names).not.toContain('issue5549.pdf');
    const answer = await core.answers.answer(here, 'trace-based just-in-time type specialization');
    expect(answer.citations[0]).toMatchObject({ file: 'tracemonkey.pdf' });
  });
});
