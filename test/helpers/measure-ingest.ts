// One document in a fresh process (bench/memory.ts, bench/hostile-uploads.ts, the memory test): indexes it offline
// (OCR on, no keys) and prints {"outcome", "message", "seconds", "peakMiB", "maxBlockMs"}. Peak is the process's whole
// resident set (every thread); maxBlockMs the longest the main thread's event loop was kept from running meanwhile.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '../../src/config.js';
import { composeCore } from '../../src/composition/compose-core.js';
import { DocentError } from '../../src/core/ports/errors.js';
import { alice, bufferFile, memoryLogger, scope, tempDir } from './core.js';

const file = process.argv[2] as string;
const core = await composeCore(loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'silent', OCR_TIMEOUT_SECONDS: '600' }), memoryLogger(), { embedder: null });
await core.start();
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
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
loop.disable();
await core.close();
const maxBlockMs = Math.round(loop.max / 1e6);
process.stdout.write(`${JSON.stringify({ outcome, message, seconds: Number(seconds.toFixed(1)), peakMiB: Math.round(process.resourceUsage().maxRSS / 1024), maxBlockMs })}\n`);
