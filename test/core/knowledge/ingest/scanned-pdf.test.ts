import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { CJK_FONT, hasCjkFont } from '../../../helpers/fonts.js';
import { makeImageOnlyPdf, makeScannedPdf } from '../../../helpers/pdfs.js';
import { startFakeGemini } from '../../../fakes/gemini-fake.js';

const picture = (lines: string[], font = 'DejaVu Sans') =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="1400" height="${120 + lines.length * 90}"><rect width="100%" height="100%" fill="white"/>${lines
        .map((l, i) => `<text x="40" y="${100 + i * 90}" font-family="${font}" font-size="56" fill="black">${l}</text>`)
        .join('')}</svg>`,
    ),
  )
    .png()
    .toBuffer();

describe('scanned PDFs', () => {
  it('reads pages without a text layer by OCR (offline), keeps text pages as text, and cites OCR pages as such', async () => {
    const core = await startCore(testConfig());
    await core.start();
    const pdf = await makeScannedPdf('The typed page says the lighthouse was built in 1874.', await picture(['Harbour master report', 'The pier is 480 metres long']));
    const here = scope('C-scan');
    const result = await core.knowledge.ingest(here, bufferFile('mixed.pdf', pdf), alice);
    expect(result.document).toMatchObject({ pages: 2, ocrPages: 1 });
    const ocr = await core.answers.answer(here, 'How long is the pier?');
    expect(ocr.citations[0]).toMatchObject({ file: 'mixed.pdf', page: 2, ocr: true });
    expect(ocr.answer).toMatch(/page 2 \(OCR\)/);
    expect(ocr.citations[0].excerpt).toMatch(/480 metres/);
    const typed = await core.answers.answer(here, 'When was the lighthouse built?');
    expect(typed.citations[0]).toMatchObject({ page: 1 });
    expect(typed.citations[0].ocr).toBeUndefined();
    await core.close();
  }, 60_000);

  it('with a Gemini key, scanned pages are read by Gemini vision (the rendered page is sent, its transcript indexed)', async () => {
    const gemini = await startFakeGemini();
    gemini.script = ({ user }) => (user.includes('Transcribe all the text') ? 'Harbour master report\nThe breakwater is 615 metres long' : 'unexpected');
    const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }), { embedder: null });
    await core.start();
    const pdf = await makeScannedPdf('The typed page says the lighthouse was built in 1874.', await picture(['Harbour master report']));
    const here = scope('C-scan-gemini');
    const result = await core.knowledge.ingest(here, bufferFile('harbour.pdf', pdf), alice);
    expect(result.document).toMatchObject({ pages: 2, ocrPages: 1 });
    const sent = gemini.chats.flatMap((c) => c.body.contents[0].parts as { inlineData?: { mimeType: string; data: string } }[]).filter((p) => p.inlineData);
    expect(sent).toHaveLength(1);
    expect((await sharp(Buffer.from(sent[0].inlineData?.data ?? '', 'base64')).metadata()).width).toBeGreaterThan(500);
    const { hits } = await core.knowledge.search(here, 'How long is the breakwater?', 3);
    expect(hits[0]).toMatchObject({ file: 'harbour.pdf', page: 2, ocr: true });
    expect(hits[0].text).toMatch(/615 metres/);
    await core.close();
    await gemini.close();
  }, 60_000);

  const cjkFont = hasCjkFont();
  it.skipIf(!cjkFont)('indexes a scanned Chinese page with OCR_LANGUAGES=chi_sim+eng and finds it from a Chinese question', async () => {
    const core = await startCore(testConfig({ OCR_LANGUAGES: 'chi_sim+eng' }), { embedder: null });
    await core.start();
    const pdf = await makeScannedPdf('Typed cover page of the 2024 household survey.', await picture(['二〇二四年家庭调查', '家庭收入中位数为七万元'], CJK_FONT));
    const here = scope('C-scan-zh');
    expect((await core.knowledge.ingest(here, bufferFile('survey-zh.pdf', pdf), alice)).document).toMatchObject({ pages: 2, ocrPages: 1 });
    const { hits } = await core.knowledge.search(here, '家庭收入中位数是多少？', 3);
    expect(hits[0]).toMatchObject({ file: 'survey-zh.pdf', page: 2, ocr: true });
    expect(hits[0].text).toContain('家庭收入');
    expect(hits[0].text).toContain('七万元');
    await core.close();
  }, 60_000);

  it('with OCR switched off, a scan is refused as textless', async () => {
    const core = await startCore(testConfig({ OCR_SCANNED_PAGES: 'false' }));
    await core.start();
    const pdf = await makeScannedPdf(' ', await picture(['Only a picture of text']));
    await expect(core.knowledge.ingest(scope('C-scan2'), bufferFile('scan.pdf', pdf), alice)).rejects.toMatchObject({ code: 'pdf_no_text', userMessage: expect.stringContaining('scanned') });
    await core.close();
  });
});

describe('OCR of many scanned pages', () => {
  it('reads pages in parallel, reports “OCR page n/N”, and keeps the pages read when OCR_TIMEOUT_SECONDS runs out', async () => {
    const gemini = await startFakeGemini();
    gemini.latencyMs = 1200;
    gemini.script = ({ user }) => (user.includes('Transcribe all the text') ? 'Harbour ledger\nThe crane lifts 42 tonnes' : 'unexpected');
    const core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, OCR_TIMEOUT_SECONDS: '5', PDF_PAGE_BATCH: '40' }), { embedder: null });
    await core.start();
    const pdf = await makeImageOnlyPdf(30);
    const progress: number[] = [];
    const result = await core.knowledge.ingest(scope('C-ocr-many'), bufferFile('ledger.pdf', pdf), alice, (p) => {
      if (p.ocrPage !== undefined) progress.push(p.ocrPage);
    });
    // Pages were read at the same time, not one after another.
    expect(gemini.maxConcurrent).toBeGreaterThan(1);
    // The budget stopped OCR before the last pages; what was read is indexed and the rest is named.
    expect(result.document.ocrPages).toBeGreaterThan(0);
    expect(result.ocrOverBudget?.length).toBeGreaterThan(0);
    expect(result.document.ocrPages + (result.ocrOverBudget?.length ?? 0)).toBe(30);
    expect(result.ocrOverBudget?.at(-1)).toBe(30);
    expect(progress[0]).toBe(1);
    await core.close();
    await gemini.close();
  }, 60_000);
});
