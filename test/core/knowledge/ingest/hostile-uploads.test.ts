import { describe, expect, it } from 'vitest';
import type { CoreOverrides } from '../../../../src/composition/providers.js';
import { readersByKind } from '../../../../src/core/providers/readers/document-readers.js';
import { PdfParseParser } from '../../../../src/core/providers/readers/pdf-parser.js';
import { TextDocumentParser, type TextParserOptions } from '../../../../src/core/providers/readers/text-parser.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { makeDocx } from '../../../helpers/docx.js';
import { docxBomb, oneLineHtml, oneLineText, pptxBomb, sharedStringsBomb, wideCsv } from '../../../helpers/hostile-files.js';

// Every format is read in a worker thread under the budgets PDFs have; a hostile file of any kind
// costs one specific refusal. Sizes here are small and the limits low, so each case is quick.

const MIB = 1024 * 1024;
const STUCK_READER = new URL('../../../helpers/stuck-reader.mjs', import.meta.url);

/** The refusal an upload gets ("code: message"), or "indexed N parts". */
async function outcome(name: string, data: Buffer, env: Record<string, string> = {}, text?: TextParserOptions): Promise<string> {
  const config = testConfig(env);
  const overrides: CoreOverrides = { embedder: null, ...(text ? { parser: readersByKind(new PdfParseParser(), new TextDocumentParser({ maxUnpackedBytes: config.pdf.maxUnpackedBytes, ...text })) } : {}) };
  const core = await startCore(config, overrides);
  await core.start();
  try {
    const result = await core.knowledge.ingest(scope('C-hostile'), bufferFile(name, data), alice);
    return `indexed ${result.document.pages} parts`;
  } catch (error) {
    const { code, userMessage } = error as { code: string; userMessage: string };
    return `${code}: ${userMessage}`;
  } finally {
    expect(await core.knowledge.list(scope('C-hostile'))).toSatisfy((docs: unknown[]) => docs.length <= 1);
    await core.close();
  }
}

/** Counts an interval's ticks while `work` is pending: the main thread's event loop serving meanwhile. */
async function ticksWhile<T>(work: Promise<T>): Promise<{ result: T; ticks: number }> {
  let ticks = 0;
  let pending = true;
  const timer = setInterval(() => {
    if (pending) ticks++;
  }, 5);
  try {
    const result = await work;
    return { result, ticks };
  } finally {
    pending = false;
    clearInterval(timer);
  }
}

describe('hostile uploads of every format', () => {
  it('a Word file whose archive claims 4 KB but inflates far beyond is refused on the bytes it really produced (half of MAX_UNPACKED_MB)', async () => {
    const bomb = docxBomb(8 * MIB);
    expect(bomb.length).toBeLessThan(MIB / 4);
    expect(await outcome('bomb.docx', bomb, { MAX_UNPACKED_MB: '2' })).toBe(
      "zip_bomb: Docent can't index “bomb.docx”: its part word/document.xml alone unpacks to more than 1 MB (half of MAX_UNPACKED_MB), far more than a document holds (a zip bomb?).",
    );
  });

  it('under the default limits a small archive inflating to hundreds of times its size is refused for its ratio', async () => {
    expect(await outcome('ratio.docx', docxBomb(64 * MIB))).toMatch(/^zip_bomb: .*ratio\.docx”: it unpacks to more than 200 times its size \(over \d+ MB\), far more than a document holds/);
  });

  it('a workbook whose shared strings inflate past the limit is refused; a PowerPoint slide too', async () => {
    expect(await outcome('strings.xlsx', sharedStringsBomb(8 * MIB, 4096), { MAX_UNPACKED_MB: '2' })).toMatch(/^zip_bomb: .*strings\.xlsx”: its part xl\/sharedStrings\.xml alone unpacks to more than 1 MB \(half of MAX_UNPACKED_MB\)/);
    expect(await outcome('deck.pptx', pptxBomb(8 * MIB), { MAX_UNPACKED_MB: '2' })).toMatch(/^zip_bomb: .*deck\.pptx”: its part ppt\/slides\/slide1\.xml alone unpacks to more than 1 MB \(half of MAX_UNPACKED_MB\)/);
  });

  it('a CSV of a million columns is stopped at PDF_TIMEOUT_SECONDS, and the main thread kept serving while it was read', async () => {
    const { result, ticks } = await ticksWhile(outcome('wide.csv', wideCsv(1_000_000), { PDF_TIMEOUT_SECONDS: '1' }));
    expect(result).toMatch(/^read_timeout: .*wide\.csv”: reading it took longer than the 1 s limit \(PDF_TIMEOUT_SECONDS\)/);
    expect(ticks).toBeGreaterThan(0);
  });

  it('an HTML page of one long line that needs more memory than the reader has is refused naming PDF_MEMORY_MB', async () => {
    expect(await outcome('page.html', oneLineHtml(12 * MIB), {}, { maxHeapMb: 40 })).toMatch(/^read_too_complex: .*page\.html”: reading it needed more than 1,024 MB of memory \(PDF_MEMORY_MB\)/);
  });

  it('text of one huge line is cut into parts of bounded size, so MAX_PDF_PAGES bounds it as it bounds a PDF', async () => {
    // Cut at a space, so each part holds a little less than the 20,000 characters allowed.
    expect(await outcome('line.txt', oneLineText(200_000))).toMatch(/^indexed 1[01] parts$/);
    expect(await outcome('line.txt', oneLineText(2_000_000), { MAX_PDF_PAGES: '50' })).toMatch(/^pdf_too_many_pages: .*line\.txt”: it has 10\d parts, over the limit of 50 \(MAX_PDF_PAGES\)/);
  });

  it('a reader that never finishes is stopped at the time limit while the event loop keeps serving; the next document gets a fresh reader', async () => {
    const stuck = new TextDocumentParser({ reader: STUCK_READER });
    const { result, ticks } = await ticksWhile(stuck.open(Buffer.from('a,b\n1,2\n'), { timeoutMs: 300, kind: 'csv' }).then(() => 'opened', (error: { code: string; userMessage: string }) => `${error.code}: ${error.userMessage}`));
    expect(result).toBe('read_timeout: reading it took longer than the 300 ms limit (PDF_TIMEOUT_SECONDS); the file may be damaged or unusually complex');
    expect(ticks).toBeGreaterThan(0);
    await stuck.close();
    const reader = new TextDocumentParser();
    const doc = await reader.open(makeDocx([{ heading: 'After', paragraphs: ['A normal document reads normally.'] }]), { timeoutMs: 30_000, kind: 'docx' });
    expect(doc.pageCount).toBe(1);
    await doc.close();
    await reader.close();
  });
});
