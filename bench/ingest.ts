import { PDFParse } from 'pdf-parse';
import { loadConfig } from '../src/config.js';
import { composeCore } from '../src/composition/compose-core.js';
import type { Embedder } from '../src/core/ports/ports.js';
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

const RUNS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Interleaves RUNS of pdf-parse alone and RUNS of Docent's ingest on the same file and reports
 * medians, so load from elsewhere on the machine hits both sides alike.
 */
export async function benchIngest(pages: number): Promise<Record<string, unknown>> {
  const pdf = await makeLongPdf(pages, 7);
  const small = await makeLongPdf(2, 3);
  await pdfParseAlone(small); // load pdf.js once, as the ingest path's worker has it preloaded

  const config = loadConfig({ DATA_DIR: tempDir('docent-bench-'), LOG_LEVEL: 'silent', MAX_PDF_PAGES: String(pages + 1) });
  const core = await composeCore(config, memoryLogger(), { embedder: zeroLatencyEmbedder() });
  await core.start();
  // Warm the parser's worker the way a running bot has it warm.
  await core.knowledge.ingest(scope('warm'), bufferFile('warm.pdf', small), alice);

  const parseRuns: number[] = [];
  const ingestRuns: number[] = [];
  let chunks = 0;
  for (let i = 0; i < RUNS; i++) {
    parseRuns.push(await pdfParseAlone(pdf));
    const started = performance.now();
    // A channel of its own each time, so every run indexes from scratch.
    const result = await core.knowledge.ingest(scope(`bench-${i}`), bufferFile('bench.pdf', pdf), alice);
    ingestRuns.push(performance.now() - started);
    chunks = result.document.chunks;
  }
  await core.close();
  const parseMs = median(parseRuns);
  const ingestMs = median(ingestRuns);
  return {
    pages,
    fileBytes: pdf.length,
    runs: RUNS,
    pdfParseAloneMs: Math.round(parseMs),
    pdfParseAlonePagesPerSecond: Math.round(pages / (parseMs / 1000)),
    ingestMs: Math.round(ingestMs),
    ingestPagesPerSecond: Math.round(pages / (ingestMs / 1000)),
    ingestChunksPerSecond: Math.round(chunks / (ingestMs / 1000)),
    chunks,
    overheadBeyondParsingPercent: Math.round(((ingestMs - parseMs) / parseMs) * 1000) / 10,
    targetOverheadPercent: 25,
  };
}
