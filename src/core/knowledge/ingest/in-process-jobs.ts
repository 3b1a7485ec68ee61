import type { IngestJobs } from '../../ports/ports.js';

/**
 * Uploads read where they arrive (one process on SQLite): nothing to record, nothing to resume.
 * A crash mid-read leaves an 'indexing' row that recover() rolls back at the next start.
 */
export const inProcessJobs: IngestJobs = {
  durable: false,
  init: async () => undefined,
  enqueue: async () => ({ release: async () => undefined }),
  queued: async () => [],
  work: async () => undefined,
  stop: async () => undefined,
};
