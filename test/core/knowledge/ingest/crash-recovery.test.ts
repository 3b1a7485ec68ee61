import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedder } from '../../../../src/core/ports/ports.js';
import { normalise } from '../../../../src/core/providers/models/gemini-embedder.js';
import { openSqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { fakeEmbedding } from '../../../fakes/gemini-fake.js';
import { scope, startCore, tempDir, testConfig } from '../../../helpers/core.js';
import { killMidIngest } from '../../../helpers/kill-mid-ingest.js';
import { makeLongPdf } from '../../../helpers/pdfs.js';

const embedder: Embedder = {
  model: 'fake-embedding',
  dimensions: 16,
  embedDocuments: async (texts) => texts.map((t) => normalise(fakeEmbedding(t, 16))),
  embedQuery: async (text) => normalise(fakeEmbedding(text, 16)),
};

describe('an ingest killed mid-way', () => {
  it('is never visible and is rolled back at the next start', async () => {
    const dataDir = tempDir();
    const pdfPath = path.join(dataDir, 'crash.pdf');
    fs.writeFileSync(pdfPath, await makeLongPdf(6));
    await killMidIngest(dataDir, pdfPath);

    const db = openSqliteDatabase(dataDir);
    const halfWritten = (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n;
    expect(halfWritten).toBeGreaterThan(0);
    expect(db.prepare(`SELECT status FROM documents`).all()).toEqual([{ status: 'indexing' }]);

    const core = await startCore(testConfig({ DATA_DIR: dataDir }), { database: db, embedder });
    // Before recovery runs, the half-indexed document already answers nothing.
    expect(await core.knowledge.list(scope('C-crash'))).toEqual([]);
    expect((await core.answers.answer(scope('C-crash'), 'household income survey')).grounded).toBe(false);

    const { recovered } = await core.start();
    expect(recovered).toBe(1);
    expect((db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n).toBe(0);
    expect(db.prepare('SELECT * FROM documents').all()).toEqual([]);
    await core.close();
    db.close();
  });
});
