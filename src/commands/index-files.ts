import { formatMegabytes, type IngestResult } from '../core/public-surface.js';
import { documentUnits } from '../core/public-surface.js';
import { isDocentError } from '../core/ports/errors.js';
import { diffData, renderNewVersion } from './diff.js';
import { defineCommand, type CommandContext } from './types.js';
import { formatWhen } from './format-when.js';

/** Least time between two "OCR page n/N" notes. */
const OCR_PROGRESS_MS = 3000;

/** "page 4", "pages 12–23", "pages 3, 7–9". */
function pageList(pages: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < pages.length; i++) {
    let j = i;
    while (j + 1 < pages.length && (pages[j + 1] ?? 0) === (pages[j] ?? 0) + 1) j++;
    ranges.push(i === j ? String(pages[i]) : `${pages[i]}–${pages[j]}`);
    i = j;
  }
  return `page${pages.length === 1 ? '' : 's'} ${ranges.join(', ')}`;
}

/** What else the reader says about an indexed file: pages skipped, damaged, or left unread by OCR. */
function notes(result: IngestResult): string[] {
  const out: string[] = [];
  const textless = result.pagesWithoutText;
  if (textless > 0) out.push(`${textless} page${textless === 1 ? ' has' : 's have'} no readable text and ${textless === 1 ? 'was' : 'were'} skipped`);
  const damaged = result.unreadablePages ?? [];
  if (damaged.length > 0) out.push(`${pageList(damaged)} ${damaged.length === 1 ? 'is' : 'are'} damaged and could not be read`);
  const unread = result.ocrOverBudget ?? [];
  if (unread.length > 0) out.push(`OCR ran out of time (OCR_TIMEOUT_SECONDS) before ${pageList(unread)}, which ${unread.length === 1 ? 'was' : 'were'} not read`);
  return out;
}

const capitalise = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

interface FileOutcome {
  file: string;
  status: 'indexed' | 'unchanged' | 'reinstated' | 'refused';
  id?: string;
  pages?: number;
  chunks?: number;
  seconds?: number;
  pagesPerSecond?: number;
  /** The version this one replaced as current, kept as the previous version. */
  previous?: { id: string; name: string };
  /** What changed since that version (setting versionsummary). */
  changes?: Record<string, unknown>;
  pagesWithoutText?: number;
  /** Scanned pages the OCR budget left unread. */
  ocrNotRead?: number[];
  /** Damaged pages that could not be read; the others were indexed. */
  unreadablePages?: number[];
  error?: { code: string; message: string };
}

export const indexCommand = defineCommand({
  name: 'index',
  description: 'Index documents (PDF, Office, Markdown, HTML, CSV, text) so /ask can answer from them',
  options: [{ name: 'file', description: 'The document to index', type: 'attachment', required: true }],
  help: 'PDF, Word, PowerPoint and Excel (.docx, .pptx, .xlsx), Markdown, HTML, CSV and plain text files are read. Each document is indexed for this channel only. Re-posting the same file changes nothing; a file with the same name becomes the current version, and the one it replaces is kept as the previous version (/diff, /ask … version:previous).',
  async run(options, context) {
    const files = options.file;
    const outcomes: FileOutcome[] = [];
    /** The reply to a posted file, one line each. */
    const lines: string[] = [];
    /** What the typed command's reply says about new versions. */
    const versions: string[] = [];
    for (const [i, file] of files.entries()) {
      const prefix = files.length > 1 ? `[${i + 1}/${files.length}] ` : '';
      try {
        // Scanned pages take seconds each: say which one is being read, at most every few seconds.
        let lastOcrNote = 0;
        const result = await context.core.knowledge.ingest(context.scope, file, context.user, (progress) => {
          if (progress.ocrPage === undefined || Date.now() - lastOcrNote < OCR_PROGRESS_MS) return;
          lastOcrNote = Date.now();
          void context.reply.progress(`${prefix}${file.name}: OCR page ${progress.ocrPage}/${progress.pageCount}`).catch(() => undefined);
        });
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
          ...(result.previous ? { previous: { id: result.previous.id, name: result.previous.name } } : {}),
          pagesWithoutText: result.pagesWithoutText,
          ...(result.ocrOverBudget?.length ? { ocrNotRead: [...result.ocrOverBudget] } : {}),
          ...(result.unreadablePages?.length ? { unreadablePages: [...result.unreadablePages] } : {}),
        };
        outcomes.push(outcome);
        const details = notes(result);
        const version = await versionNote(context, result, outcome);
        if (context.origin === 'posted') {
          // A posted file gets a short threaded confirmation, one line per file.
          const line =
            result.status === 'indexed'
              ? `Indexed ${document.name}: ${documentUnits(document.name, document.pages)}, ${plural(document.chunks, 'passage')}.${details.length ? ` ${capitalise(details.join('; '))}.` : ''}`
              : result.status === 'unchanged'
                ? `${file.name}: already indexed here.`
                : '';
          lines.push([line, version].filter((l) => l !== '').join(' '));
          continue;
        }
        await context.reply.progress(
          result.status === 'indexed'
            ? `${prefix}${file.name}: ${documentUnits(document.name, document.pages)}, ${plural(document.chunks, 'passage')} in ${outcome.seconds} s (${pagesPerSecond} pages/s)${details.map((d) => `; ${d}`).join('')}`
            : result.status === 'unchanged'
              ? `${prefix}${file.name}: already indexed here as “${document.name}”, nothing changed`
              : `${prefix}${version}`,
        );
        if (version !== '' && result.status === 'indexed') versions.push(version);
      } catch (error) {
        if (!isDocentError(error) || files.length === 1) throw error;
        outcomes.push({ file: file.name, status: 'refused', error: { code: error.code, message: error.userMessage } });
        if (context.origin === 'posted') lines.push(error.userMessage);
        else await context.reply.progress(`${prefix}${error.userMessage}`);
      }
    }
    const indexed = outcomes.filter((o) => o.status === 'indexed');
    const refused = outcomes.filter((o) => o.status === 'refused');
    const unchanged = outcomes.filter((o) => o.status === 'unchanged' || o.status === 'reinstated');
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
      text: context.origin === 'posted' ? lines.join('\n') : [`${parts.join(', ')}${total > 0 ? `, ${formatMegabytes(total)} read` : ''}.`, ...versions].join('\n\n'),
      data: { files: outcomes },
      ...(refused.length > 0 ? { partial: true } : {}),
    };
  },
});

/**
 * What an upload did to the versions of its name: a new version (the previous one kept, and with
 * setting versionsummary what changed), or an earlier version made current again.
 */
async function versionNote(context: CommandContext, result: IngestResult, outcome: FileOutcome): Promise<string> {
  const { document, previous } = result;
  if (result.status === 'reinstated') {
    return `${document.name}: this is its previous version posted again, so it is the current version again; the version it replaced is kept as the previous one.`;
  }
  if (result.status !== 'indexed' || previous === undefined) return '';
  const kept = `This is a new version of ${document.name}; the previous one (added ${formatWhen(previous.indexedAt ?? previous.createdAt)} by ${previous.uploadedBy.name}) is kept.`;
  if (!(await context.core.settings.get(context.scope, 'versionsummary'))) return `${kept} /diff ${document.name} shows what changed.`;
  try {
    const diff = await context.core.versions.compare(document, previous, { signal: context.signal, offline: !(await context.core.knowledge.providersAllowed(context.scope)) });
    outcome.changes = diffData(diff);
    return `${kept}\n${renderNewVersion(diff)}`;
  } catch (error) {
    context.logger.warn({ err: error, file: document.name }, 'could not say what changed in a new version');
    return `${kept} /diff ${document.name} shows what changed.`;
  }
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
