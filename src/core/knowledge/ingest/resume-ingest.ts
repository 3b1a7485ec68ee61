import { isDocentError } from '../../ports/errors.js';
import type { DigestPlatform, IngestJob } from '../../ports/ports.js';
import { documentUnits } from '../../providers/readers/formats/index.js';
import { tenantKey } from '../../ports/types.js';
import { ingestData, type IngestDeps, type IngestResult } from './ingest.js';

/**
 * Reads an upload again after the replica reading it stopped, and tells its channel how it went
 * (the person who posted it saw it start, not finish). A refusal is an outcome, posted like a
 * success; anything else throws, so the job is retried later. Without the platform's bot on this
 * replica the job is retried too, for a replica that has it.
 */
export async function resumeIngest(
  deps: IngestDeps,
  job: IngestJob,
  data: Buffer,
  platformFor: (name: string) => DigestPlatform | undefined,
  recorded: (work: () => Promise<IngestResult>) => Promise<IngestResult> = (work) => work(),
): Promise<void> {
  const platform = platformFor(job.scope.platform);
  if (!platform) throw new Error(`no ${job.scope.platform} bot on this replica to report ${job.name} to`);
  let text: string;
  try {
    const result = await recorded(() => ingestData(deps, tenantKey(job.scope), { name: job.name, link: job.link, origins: job.origins ?? [] }, data, job.uploader, { resume: true }));
    const { document } = result;
    text =
      result.status !== 'indexed'
        ? `${job.name} (posted by ${job.uploader.name}) was already indexed here.`
        : `✅ Indexed ${document.name} (posted by ${job.uploader.name}): ${documentUnits(document.name, document.pages)}, ${document.chunks} passage${document.chunks === 1 ? '' : 's'}. The Docent replica reading it stopped; another one finished it.`;
    deps.logger.info({ file: job.name, tenant: tenantKey(job.scope), status: result.status }, 'resumed an upload a stopped replica left');
  } catch (error) {
    if (!isDocentError(error)) throw error;
    text = `✖ ${error.userMessage}`;
    deps.logger.warn({ file: job.name, tenant: tenantKey(job.scope), code: error.code }, 'a resumed upload was refused');
  }
  await platform.post(job.scope.workspace, job.scope.channel, text);
}
