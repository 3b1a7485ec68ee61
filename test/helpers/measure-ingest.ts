// One document in a fresh process (bench/memory.ts, the memory test): indexes it offline (OCR on, no keys) and
// prints {"outcome", "message", "seconds", "peakMiB"}. Peak is the process's whole resident set (every thread).
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createCore } from '../../src/core/index.js';
import { DocentError } from '../../src/core/errors.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from './core.js';

const file = process.argv[2] as string;
const core = createCore(loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'silent', OCR_TIMEOUT_SECONDS: '600' }), memoryLogger(), { embedder: null });
await core.start();
const started = performance.now();
let outcome: string;
let message: string | undefined;
try {
  const result = await core.knowledge.ingest(scope('bench-memory'), bufferFile(path.basename(file), fs.readFileSync(file)), alice);
  outcome = `indexed ${result.document.chunks} passages`;
} catch (error) {
  outcome = error instanceof DocentError ? `refused: ${error.code}` : `failed: ${String(error)}`;
  message = error instanceof DocentError ? error.userMessage : undefined;
}
const seconds = (performance.now() - started) / 1000;
await core.close();
process.stdout.write(`${JSON.stringify({ outcome, message, seconds: Number(seconds.toFixed(1)), peakMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
