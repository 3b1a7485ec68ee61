import { formatMegabytes } from '../core/knowledge/ingest.js';
import { isDocentError } from '../core/errors.js';
import type { FileSource } from '../core/types.js';
import { defineCommand } from './types.js';

interface FileOutcome {
  file: string;
  status: 'indexed' | 'unchanged' | 'refused';
  id?: string;
  pages?: number;
  chunks?: number;
  seconds?: number;
  pagesPerSecond?: number;
  replaced?: string[];
  pagesWithoutText?: number;
  error?: { code: string; message: string };
}

export const indexCommand = defineCommand({
  name: 'index',
  description: 'Index PDF files so /ask can answer from them in this channel',
  options: [{ name: 'file', description: 'The PDF to index', type: 'attachment', required: true }],
  help: 'Each PDF is indexed for this channel only. Re-posting the same file changes nothing; a new version with the same name replaces the old one.',
  async run(options, context) {
    const files = options.file as readonly FileSource[];
    const outcomes: FileOutcome[] = [];
    for (const [i, file] of files.entries()) {
      const prefix = files.length > 1 ? `[${i + 1}/${files.length}] ` : '';
      try {
        const result = await context.core.knowledge.ingest(context.scope, file, context.user);
        const { document } = result;
        const pagesPerSecond = result.seconds > 0 ? Math.round(document.pages / result.seconds) : document.pages;
        const outcome: FileOutcome = {
          file: file.name,
          status: result.status,
          id: document.id,
          pages: document.pages,
          chunks: document.chunks,
          seconds: Math.round(result.seconds * 100) / 100,
          pagesPerSecond,
          replaced: result.replaced.map((r) => r.name),
          pagesWithoutText: result.pagesWithoutText,
        };
        outcomes.push(outcome);
        await context.reply.progress(
          result.status === 'unchanged'
            ? `${prefix}${file.name}: already indexed here as “${document.name}”, nothing changed`
            : `${prefix}${file.name}: ${document.pages} pages, ${document.chunks} passages in ${outcome.seconds} s (${pagesPerSecond} pages/s)` +
                `${result.replaced.length > 0 ? ', replacing the previous version' : ''}` +
                `${result.pagesWithoutText > 0 ? `; ${result.pagesWithoutText} page${result.pagesWithoutText === 1 ? ' has' : 's have'} no readable text and ${result.pagesWithoutText === 1 ? 'was' : 'were'} skipped` : ''}`,
        );
      } catch (error) {
        if (!isDocentError(error) || files.length === 1) throw error;
        outcomes.push({ file: file.name, status: 'refused', error: { code: error.code, message: error.userMessage } });
        await context.reply.progress(`${prefix}${error.userMessage}`);
      }
    }
    const indexed = outcomes.filter((o) => o.status === 'indexed');
    const refused = outcomes.filter((o) => o.status === 'refused');
    const unchanged = outcomes.filter((o) => o.status === 'unchanged');
    context.metrics.files = files.length;
    context.metrics.indexed = indexed.length;
    context.metrics.refused = refused.length;
    const pages = indexed.reduce((n, o) => n + (o.pages ?? 0), 0);
    const chunks = indexed.reduce((n, o) => n + (o.chunks ?? 0), 0);
    const parts = [`Indexed ${indexed.length} of ${files.length} file${files.length === 1 ? '' : 's'} (${pages} pages, ${chunks} passages)`];
    if (unchanged.length > 0) parts.push(`${unchanged.length} already indexed`);
    if (refused.length > 0) parts.push(`${refused.length} refused`);
    const total = files.reduce((n, f) => n + (f.size ?? 0), 0);
    return {
      text: `${parts.join(', ')}${total > 0 ? `, ${formatMegabytes(total)} read` : ''}.`,
      data: { files: outcomes },
    };
  },
});
