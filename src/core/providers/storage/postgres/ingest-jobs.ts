import { randomUUID } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import type { IngestJob, IngestJobs, IngestLease, Logger, ReachabilityWatch } from '../../../ports/ports.js';
import { tenantKey } from '../../../ports/types.js';
import { isConnectionError } from './connection-errors.js';
import type { PgPool } from './database.js';

const QUEUE = 'docent-ingest';
/** A job becomes due this long after its reader's last renewal (the reader renews a third of the way). */
const LEASE_SECONDS = 120;
const RETRIES = 5;

export interface PgBossIngestOptions {
  readonly leaseSeconds?: number | undefined;
  readonly logger: Logger;
  /** Told when the queue's own connections fail (the outage monitor). */
  readonly watch?: ReachabilityWatch;
}

/**
 * Uploads as pg-boss jobs on the shared PostgreSQL. enqueue() stores the file (ingest_files) and
 * sends a job due only after a lease; the receiving replica reads the upload at once and keeps
 * pushing the job's start time forward while it reads, then deletes the job. If it stops, the
 * lease lapses, the job becomes due, and the first replica's worker to fetch it reads the stored
 * file again (pg-boss retries it with backoff when that fails for a passing reason). The queue's
 * `exclusive` policy with the channel and file hash as singleton key keeps one job per file.
 */
export class PgBossIngestJobs implements IngestJobs {
  readonly durable = true;
  private readonly boss: PgBoss;
  private readonly leaseSeconds: number;
  private readonly renewals = new Set<NodeJS.Timeout>();
  private started = false;

  constructor(
    private readonly pool: PgPool,
    url: string,
    private readonly options: PgBossIngestOptions,
  ) {
    this.leaseSeconds = options.leaseSeconds ?? LEASE_SECONDS;
    this.boss = new PgBoss({ connectionString: url, schema: 'docent_jobs', max: 3 });
    this.boss.on('error', (error: unknown) => {
      // While PostgreSQL is unreachable pg-boss fails at every poll: the outage monitor says so once.
      if (options.watch && isConnectionError(error)) options.watch.failed(error);
      else options.logger.error({ err: error }, 'ingest job queue error');
    });
  }

  async init(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    if (!(await this.boss.getQueue(QUEUE))) {
      await this.boss.createQueue(QUEUE, { policy: 'exclusive', retryLimit: RETRIES, retryDelay: 30, retryBackoff: true }).catch(async (error: unknown) => {
        // Another replica created it at the same moment.
        if (!(await this.boss.getQueue(QUEUE))) throw error;
      });
    }
  }

  async enqueue(job: IngestJob, data: Buffer): Promise<IngestLease | undefined> {
    const tenant = tenantKey(job.scope);
    const fileId = randomUUID();
    await this.pool.query(`INSERT INTO ingest_files (id, tenant, job, bytes, created_at) VALUES ($1, $2, $3, $4, $5)`, [fileId, tenant, JSON.stringify(job), data, job.queuedAt]);
    let id: string | null;
    try {
      id = await this.boss.send(QUEUE, { fileId }, { singletonKey: `${tenant}:${job.sha256}`, startAfter: this.leaseSeconds });
    } catch (error) {
      await this.forget(fileId);
      throw error;
    }
    if (!id) {
      await this.forget(fileId);
      return undefined;
    }
    const renewal = setInterval(() => {
      this.boss.update({ name: QUEUE, options: { id, startAfter: this.leaseSeconds } }).catch((error: unknown) => this.options.logger.warn({ err: error, file: job.name }, 'could not renew the lease on an upload being read'));
    }, (this.leaseSeconds * 1000) / 3);
    renewal.unref();
    this.renewals.add(renewal);
    return {
      release: async () => {
        clearInterval(renewal);
        this.renewals.delete(renewal);
        await this.boss.deleteJob(QUEUE, id);
        await this.forget(fileId);
      },
    };
  }

  async queued(tenant: string): Promise<IngestJob[]> {
    const { rows } = await this.pool.query<{ job: IngestJob }>(`SELECT job FROM ingest_files WHERE tenant = $1 ORDER BY created_at`, [tenant]);
    return rows.map((r) => r.job);
  }

  async work(handler: (job: IngestJob, data: Buffer) => Promise<void>): Promise<void> {
    await this.boss.work<{ fileId: string }>(QUEUE, { pollingIntervalSeconds: Math.max(0.5, Math.min(5, this.leaseSeconds / 4)) }, async ([job]) => {
      if (!job) return;
      const { rows } = await this.pool.query<{ job: IngestJob; bytes: Buffer }>(`SELECT job, bytes FROM ingest_files WHERE id = $1`, [job.data.fileId]);
      const row = rows[0];
      if (!row) return; // read and released meanwhile
      try {
        await handler(row.job, row.bytes);
      } catch (error) {
        // pg-boss retries it later; after the last try the upload is dropped (and /docs stops listing it).
        if (job.retryCount >= RETRIES) {
          this.options.logger.error({ err: error, file: row.job.name }, 'gave up reading an upload a stopped replica left; it has to be posted again');
          await this.forget(job.data.fileId);
        }
        throw error;
      }
      await this.forget(job.data.fileId);
    });
  }

  async stop(): Promise<void> {
    for (const renewal of this.renewals) clearInterval(renewal);
    this.renewals.clear();
    if (this.started) await this.boss.stop({ graceful: true, timeout: 10_000 });
    this.started = false;
  }

  private async forget(fileId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ingest_files WHERE id = $1`, [fileId]);
  }
}
