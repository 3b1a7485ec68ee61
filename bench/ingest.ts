import { PDFParse } from 'pdf-parse';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import type { Embedder } from '../src/core/ports.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from '../test/helpers/core.js';
import { makeLongPdf } from '../test/helpers/pdfs.js';

const DIMENSIONS = 768;

/** An embedder that answers at once with fixed unit vectors: measures Docent's own overhead. */
function zeroLatencyEmbedder(): Embedder {
  const unit = new Float32Array(DIMENSIONS).fill(1 / Math.sqrt(DIMENSIONS));
  return {
    model: 'zero-latency',
    dimensions: DIMENSIONS,
    embedDocuments: async (texts) => texts.map(() => unit),
    embedQuery: async () => unit,
  };
}

async function pdfParseAlone(data: Buffer): Promise<number> {
  const started = performance.now();
  const parser = new PDFParse({ data: Buffer.from(data) });
  try {
    await parser.getText();
  } finally {
    await parser.destroy();
  }
  return performance.now() - started;
}

export async function benchIngest(pages: number): Promise<Record<string, unknown>> {
  const pdf = await makeLongPdf(pages, 7);
  const small = await makeLongPdf(2, 3);
  await pdfParseAlone(small); // load pdf.js once, as the ingest path's worker has it preloaded
  const parseMs = Math.min(await pdfParseAlone(pdf), await pdfParseAlone(pdf), await pdfParseAlone(pdf));

  const runs: { ms: number; chunks: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const config = loadConfig({ DATA_DIR: tempDir('docent-bench-'), LOG_LEVEL: 'silent', MAX_PDF_PAGES: String(pages + 1) });
    const core = createCore(config, memoryLogger(), { embedder: zeroLatencyEmbedder() });
    await core.start();
    // Warm the parser's worker the way a running bot has it warm.
    await core.knowledge.ingest(scope('warm'), bufferFile('warm.pdf', small), alice);
    const started = performance.now();
    const result = await core.knowledge.ingest(scope('bench'), bufferFile('bench.pdf', pdf), alice);
    runs.push({ ms: performance.now() - started, chunks: result.document.chunks });
    await core.close();
  }
  const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
  return {
    pages,
    fileBytes: pdf.length,
    pdfParseAloneMs: Math.round(parseMs),
    pdfParseAlonePagesPerSecond: Math.round(pages / (parseMs / 1000)),
    ingestMs: Math.round(best.ms),
    ingestPagesPerSecond: Math.round(pages / (best.ms / 1000)),
    ingestChunksPerSecond: Math.round(best.chunks / (best.ms / 1000)),
    chunks: best.chunks,
    overheadBeyondParsingPercent: Math.round(((best.ms - parseMs) / parseMs) * 1000) / 10,
    targetOverheadPercent: 25,
  };
}
