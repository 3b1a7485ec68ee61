import { describeFailure, failureCode, type Activity } from '../../activity/activity.js';
import { UnreadableDocumentError } from '../../ports/errors.js';
import type { IngestResult } from './ingest.js';

/** What an indexed document came to, for the admin page. */
function summary(result: IngestResult): string {
  const { document } = result;
  const parts = [`${document.pages} page${document.pages === 1 ? '' : 's'}`, `${document.chunks} passage${document.chunks === 1 ? '' : 's'}`];
  if (document.ocrPages > 0) parts.push(`${document.ocrPages} read by OCR`);
  if (result.pagesWithoutText > 0) parts.push(`${result.pagesWithoutText} without text`);
  if (result.unreadablePages?.length) parts.push(`unreadable: ${result.unreadablePages.join(', ')}`);
  if (result.ocrOverBudget?.length) parts.push(`OCR budget ran out on ${result.ocrOverBudget.length}`);
  if (result.previous) parts.push('replaced the previous version');
  return parts.join(', ');
}

/**
 * Reads an upload with `tenant` as the channel its provider calls are for, and records how it
 * ended: indexed (with what it came to), unchanged, refused (with the reason the uploader was
 * given) or failed. The result or error is passed on as it is.
 */
export async function recordedIngest(activity: Activity | undefined, tenant: string, name: string, work: () => Promise<IngestResult>): Promise<IngestResult> {
  if (!activity) return work();
  return activity.within(tenant, async () => {
    const started = performance.now();
    const base = { kind: 'ingest' as const, provider: '', subject: name, purpose: '' };
    try {
      const result = await work();
      activity.record({ ...base, outcome: result.status, detail: summary(result), ms: performance.now() - started });
      return result;
    } catch (error) {
      const outcome = error instanceof UnreadableDocumentError ? 'refused' : 'failed';
      activity.record({ ...base, outcome, code: failureCode(error), detail: describeFailure(error), ms: performance.now() - started });
      throw error;
    }
  });
}
