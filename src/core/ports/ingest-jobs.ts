import type { Actor, Scope } from './types.js';

/** An upload waiting to be read or being read: what is needed to read it again elsewhere. */
export interface IngestJob {
  readonly scope: Scope;
  readonly name: string;
  readonly link: string | undefined;
  /** Where it was posted (see FileSource.origins); absent in jobs recorded before origins were kept. */
  readonly origins?: readonly string[];
  readonly uploader: Actor;
  readonly sha256: string;
  /** ISO instant the upload arrived. */
  readonly queuedAt: string;
}

/** Held by the replica reading an upload; released when it is done (whatever the outcome). */
export interface IngestLease {
  release(): Promise<void>;
}

/**
 * Uploads as jobs. In process (SQLite) an upload is read where it arrived and nothing outlives
 * the process. Durable (PostgreSQL, pg-boss): the upload and its file are recorded first; the
 * replica that received it reads it while renewing a lease, and if that replica stops, the job
 * becomes due and another replica's worker reads it again from the stored file.
 */
export interface IngestJobs {
  readonly durable: boolean;
  init(): Promise<void>;
  /** Records an upload before it is read; undefined when the same file is already queued or being read here. */
  enqueue(job: IngestJob, data: Buffer): Promise<IngestLease | undefined>;
  /** Uploads of a channel that were recorded but are not being read by anyone yet. */
  queued(tenant: string): Promise<IngestJob[]>;
  /** Reads uploads a stopped replica left: the handler throws to have a job retried later. */
  work(handler: (job: IngestJob, data: Buffer) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
