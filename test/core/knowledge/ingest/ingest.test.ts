import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/index.js';
import { openSqliteDatabase, type SqliteDatabase } from '../../../../src/core/providers/storage/sqlite/database.js';
import { alice, bufferFile, scope, startCore, tempDir, testConfig } from '../../../helpers/core.js';
import { makeImageOnlyPdf, makeLongPdf, makePdf, rawPdf } from '../../../helpers/pdfs.js';

const here = scope('C-ingest');

interface Snapshot {
  documents: unknown[];
  chunkRows: number;
}

function snapshot(db: SqliteDatabase): Snapshot {
  return {
    documents: db.prepare('SELECT id, name, status, chunks FROM documents ORDER BY id').all(),
    chunkRows: (db.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n,
  };
}

describe('ingest', () => {
  let core: Core;
  let db: SqliteDatabase;
  let report: Buffer;

  beforeAll(async () => {
    const config = testConfig({ MAX_PDF_MB: '1', MAX_PDF_PAGES: '30' });
    db = openSqliteDatabase(tempDir());
    core = await startCore(config, { database: db });
    await core.start();
    report = await makePdf([
      { heading: 'Annual Report on Rivers', paragraphs: ['The Danube carries 6,500 cubic metres of water per second at its mouth.'] },
      { heading: 'Mountain Glaciers', paragraphs: ['Alpine glaciers lost 10 percent of their volume between 2021 and 2023.', 'Measurements came from 176 stations.'] },
      { paragraphs: ['Appendix: the survey of lighthouse keepers counted 42 active lighthouses on the coast.'] },
    ]);
    await core.knowledge.ingest(here, bufferFile('rivers.pdf', report), alice);
  });

  afterAll(async () => {
    await core.close();
    db.close();
  });

  it('indexes every page and cites the page a passage came from', async () => {
    const [doc] = await core.knowledge.list(here);
    expect(doc).toMatchObject({ name: 'rivers.pdf', pages: 3, status: 'ready', uploadedBy: alice });
    expect(doc.chunks).toBeGreaterThanOrEqual(3);
    const glaciers = await core.answers.answer(here, 'How much volume did alpine glaciers lose?');
    expect(glaciers.grounded).toBe(true);
    expect(glaciers.citations[0]).toMatchObject({ file: 'rivers.pdf', page: 2, heading: 'Mountain Glaciers' });
    const lighthouses = await core.answers.answer(here, 'how many lighthouses are active');
    expect(lighthouses.citations[0]).toMatchObject({ page: 3 });
    expect(lighthouses.citations[0].excerpt).toContain('42 active lighthouses');
  });

  const unicodeFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  it.runIf(fs.existsSync(unicodeFont))('indexes non-Latin text and finds it by words typed without accents', async () => {
    const pdf = await makePdf(
      [
        { heading: 'Énergie renouvelable', paragraphs: ['La centrale hydraulique de Genève produit 120 gigawattheures par année.'] },
        { paragraphs: ['Ελληνικά: Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.', 'Русский: Москва — столица России.'] },
      ],
      { font: unicodeFont },
    );
    await core.knowledge.ingest(here, bufferFile('unicode.pdf', pdf), alice);
    expect((await core.answers.answer(here, 'centrale hydraulique geneve')).citations[0]).toMatchObject({ file: 'unicode.pdf', page: 1 });
    expect((await core.answers.answer(here, 'Αθήνα πρωτεύουσα')).citations[0]).toMatchObject({ file: 'unicode.pdf', page: 2 });
    expect((await core.answers.answer(here, 'столица России')).citations[0].excerpt).toContain('Москва');
  });

  it('lets the event loop turn between page batches, so other requests are served while a long document is stored', async () => {
    const own = await startCore(testConfig({ PDF_PAGE_BATCH: '2' }));
    await own.start();
    const lines = Array.from({ length: 600 }, (_, i) => `Line ${i + 1}: the tide table for berth ${i % 40} is posted at the harbour office.`);
    // Counts turns of the event loop: another request would be served on any of them.
    let ticks = 0;
    let running = true;
    const turn = () => {
      ticks++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const seen: number[] = [];
    try {
      await own.knowledge.ingest(scope('C-long'), bufferFile('tides.txt', Buffer.from(lines.join('\n'))), alice, () => seen.push(ticks));
    } finally {
      running = false;
    }
    // Ten parts of 60 lines, two per batch: the loop turned between every two batches stored.
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    await own.close();
  });

  it('re-indexing the same file changes nothing', async () => {
    const before = snapshot(db);
    const result = await core.knowledge.ingest(here, bufferFile('rivers-copy.pdf', report), alice);
    expect(result.status).toBe('unchanged');
    expect(result.document.name).toBe('rivers.pdf');
    expect(snapshot(db)).toEqual(before);
  });

  it('a new version with the same name becomes current; the one it replaces is kept as previous, older ones are deleted', async () => {
    const [v1, v2, v3] = await Promise.all(
      ['100 thousand', '250 thousand', '400 thousand'].map((amount, i) => makePdf([{ paragraphs: [`Version ${i + 1} says the budget is ${amount} euros.`] }])),
    );
    const chunksOf = (sha: string) => (db.prepare(`SELECT count(*) AS n FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.sha256 = ?`).get(sha) as { n: number }).n;
    const first = await core.knowledge.ingest(here, bufferFile('budget.pdf', v1), alice);
    expect(first.previous).toBeUndefined();
    const second = await core.knowledge.ingest(here, bufferFile('budget.pdf', v2), alice);
    expect(second.previous?.id).toBe(first.document.id);
    expect((await core.knowledge.list(here)).filter((d) => d.name === 'budget.pdf').map((d) => d.id)).toEqual([second.document.id]);
    expect((await core.knowledge.history(here)).map((p) => [p.previous.id, p.current.id])).toEqual([[first.document.id, second.document.id]]);
    const current = await core.answers.answer(here, 'budget thousand euros');
    expect(current.citations.map((c) => c.excerpt).join(' ')).toContain('250');
    expect(current.citations.map((c) => c.excerpt).join(' ')).not.toContain('100 thousand');
    const earlier = await core.answers.answer(here, 'budget thousand euros', { version: 'previous' });
    expect([earlier.version, earlier.documents]).toEqual(['previous', ['budget.pdf']]);
    expect(earlier.citations.map((c) => c.excerpt).join(' ')).toContain('100 thousand');

    // A third version: the first is deleted with its passages, the second is the previous one.
    const third = await core.knowledge.ingest(here, bufferFile('budget.pdf', v3), alice);
    expect(third.previous?.id).toBe(second.document.id);
    expect(await core.knowledge.find(here, 'budget.pdf')).toMatchObject({ id: third.document.id });
    expect(chunksOf(first.document.sha256)).toBe(0);
    expect(chunksOf(second.document.sha256)).toBe(second.document.chunks);

    // The second version posted again is current again; the third is kept as previous.
    const again = await core.knowledge.ingest(here, bufferFile('budget.pdf', v2), alice);
    expect([again.status, again.document.id, again.previous?.id]).toEqual(['reinstated', second.document.id, third.document.id]);
    expect((await core.knowledge.versions(here, 'budget.pdf')).previous.id).toBe(third.document.id);

    // /forget removes both versions.
    const forgotten = await core.knowledge.forget(here, 'budget.pdf');
    expect([forgotten.document.id, forgotten.previous?.id]).toEqual([second.document.id, third.document.id]);
    expect(chunksOf(second.document.sha256) + chunksOf(third.document.sha256)).toBe(0);
    expect(await core.knowledge.history(here)).toEqual([]);
    await expect(core.knowledge.versions(here, 'rivers.pdf')).rejects.toMatchObject({ code: 'no_previous_version' });
  });

  it('/forget removes every chunk of the document', async () => {
    const extra = await makePdf([{ paragraphs: ['Disposable document about penguins.'] }]);
    await core.knowledge.ingest(here, bufferFile('penguins.pdf', extra), alice);
    const forgotten = await core.knowledge.forget(here, 'PENGUINS.pdf');
    expect(forgotten.document.name).toBe('penguins.pdf');
    expect((db.prepare(`SELECT count(*) AS n FROM chunks WHERE file = 'penguins.pdf'`).get() as { n: number }).n).toBe(0);
    expect((await core.answers.answer(here, 'penguins')).grounded).toBe(false);
    await expect(core.knowledge.forget(here, 'penguins.pdf')).rejects.toMatchObject({ code: 'unknown_document' });
  });

  it('a PDF after a long prefix (a mail gateway’s or scanner’s header) is read, as pdf.js and poppler read it', async () => {
    const pdf = await makePdf([{ heading: 'Tides', paragraphs: ['High tide at the harbour is at 06:12 on Monday.'] }]);
    const prefixed = Buffer.concat([Buffer.from(`X-Scanner: ACME 3000\n${'#'.repeat(8000)}\n`), pdf]);
    const result = await core.knowledge.ingest(scope('C-prefix'), bufferFile('tides.pdf', prefixed), alice);
    expect(result.document.chunks).toBeGreaterThan(0);
  });

  it('stores no passage without a searchable word (glyph soup from a font without a text mapping)', async () => {
    const pdf = await makePdf([{ paragraphs: ['’>in ’>in ’>in'] }, { heading: 'Bridges', paragraphs: ['The old bridge carries 12,000 cars a day.'] }]);
    const result = await core.knowledge.ingest(scope('C-soup'), bufferFile('bridges.pdf', pdf), alice);
    const rows = db.prepare('SELECT text, tokens FROM chunks WHERE document_id = ?').all(result.document.id) as { text: string; tokens: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.tokens.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.text.includes('’>in'))).toBe(false);
  });

  it('a PDF whose cross-reference table is broken but whose text reads is indexed', async () => {
    const pdf = await makePdf([{ heading: 'Ferries', paragraphs: ['The ferry to the island leaves at 07:40 every weekday.'] }]);
    const text = pdf.toString('latin1').replace(/startxref\s+\d+/, 'startxref\n999999');
    const result = await core.knowledge.ingest(scope('C-xref'), bufferFile('ferries.pdf', Buffer.from(text, 'latin1')), alice);
    expect(result.document.chunks).toBeGreaterThan(0);
  });

  describe('bad input gets a specific message and leaves the store as it was', () => {
    const cases: [string, () => Promise<Parameters<Core['knowledge']['ingest']>[1]>, string, RegExp][] = [
      ['a PNG named .pdf', async () => bufferFile('photo.pdf', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')), 'not_pdf', /not a PDF \(it looks like a PNG image\)/],
      ['a text file', async () => bufferFile('notes.pdf', Buffer.from('just some notes\nnothing more')), 'not_pdf', /plain text/],
      ['an empty file', async () => bufferFile('empty.pdf', Buffer.alloc(0)), 'pdf_empty', /empty/],
      ['a truncated PDF', async () => { const pdf = await makeLongPdf(3); return bufferFile('cut.pdf', pdf.subarray(0, Math.floor(pdf.length / 2))); }, 'pdf_corrupt', /damaged|cut off/],
      ['garbage after a PDF header', async () => bufferFile('junk.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x41)])), 'pdf_corrupt', /damaged/],
      ['an encrypted PDF', async () => bufferFile('secret.pdf', await makePdf([{ paragraphs: ['classified'] }], { userPassword: 'hunter2' })), 'pdf_encrypted', /password-protected/],
      ['a damaged PDF with nothing readable (broken cross-reference table, blank page)', async () => bufferFile('broken.pdf', brokenBlankPdf()), 'pdf_corrupt', /damaged and no text could be read from it \(its cross-reference table is broken\)/],
      ['a PDF whose text is Brotli-compressed', async () => bufferFile('brotli.pdf', brotliPdf()), 'pdf_unsupported', /uses Brotli \(\/BrotliDecode\) compression, which Docent's PDF reader cannot decode yet/],
      ['a PDF without text', async () => bufferFile('scan.pdf', await makeImageOnlyPdf()), 'pdf_no_text', /no extractable text, and reading its pages as images \(OCR\) found none/],
      ['a file announced over MAX_PDF_MB', async () => ({ ...bufferFile('big.pdf', Buffer.alloc(0)), size: 5 * 1024 * 1024, read: () => Promise.reject(new Error('must not download')) }), 'pdf_too_large', /5\.0 MB, over the limit of 1\.0 MB \(MAX_PDF_MB\)/],
      ['a file over MAX_PDF_MB whose size is unknown', async () => bufferFile('big2.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024 * 1024 + 10)]), { size: undefined }), 'pdf_too_large', /MAX_PDF_MB/],
      ['a PDF over MAX_PDF_PAGES', async () => bufferFile('long.pdf', await makeLongPdf(31)), 'pdf_too_many_pages', /31 pages, over the limit of 30 \(MAX_PDF_PAGES\)/],
    ];

    for (const [label, make, code, message] of cases) {
      it(label, async () => {
        const file = await make();
        const before = snapshot(db);
        const error = await core.knowledge.ingest(here, file, alice).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ code });
        const userMessage = (error as { userMessage: string }).userMessage;
        expect(userMessage).toMatch(message);
        expect(userMessage).toContain(`“${file.name}”`);
        expect(snapshot(db)).toEqual(before);
      });
    }
  });

  it('stops a parse that exceeds PDF_TIMEOUT_SECONDS and leaves the store unchanged', async () => {
    const slow = await startCore(testConfig({ PDF_TIMEOUT_SECONDS: '0.001' }));
    await slow.start();
    try {
      const error = await slow.knowledge.ingest(here, bufferFile('slow.pdf', await makeLongPdf(5)), alice).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'pdf_timeout', userMessage: expect.stringContaining('PDF_TIMEOUT_SECONDS') });
      expect(await slow.knowledge.list(here)).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});

/** One blank page, and a cross-reference table that points nowhere: pdf.js must rebuild it. */
function brokenBlankPdf(): Buffer {
  return Buffer.from(
    [
      '%PDF-1.4',
      '1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj',
      '2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj',
      '3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj',
      'xref',
      '0 4',
      'garbage',
      'trailer <</Root 1 0 R /Size 4>>',
      'startxref',
      '999999',
      '%%EOF',
    ].join('\n'),
    'latin1',
  );
}

/** A well-formed PDF whose one content stream uses the BrotliDecode filter (PDF 2.0 extension). */
function brotliPdf(): Buffer {
  const stream = Buffer.from('1b0b00f8a5408c0ca0d8f50500', 'hex').toString('latin1');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
    `<< /Length ${stream.length} /Filter /BrotliDecode >>\nstream\n${stream}\nendstream`,
  ];
  return rawPdf(objects, '2.0');
}
