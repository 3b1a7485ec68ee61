import { documentUnits } from '../core/public-surface.js';
import { type DocumentRecord } from '../core/ports/types.js';
import { defineCommand } from './types.js';
import { formatWhen } from './format-when.js';

export const docsCommand = defineCommand({
  name: 'docs',
  description: 'List the documents indexed in this channel',
  options: [],
  async run(_options, context) {
    const documents = await context.core.knowledge.list(context.scope);
    const reading = await context.core.knowledge.reading(context.scope);
    const history = await context.core.knowledge.history(context.scope);
    context.metrics.documents = documents.length;
    const inProgress = [
      ...reading.indexing.map((d) => `• ${d.name} — being read now (posted ${formatWhen(d.createdAt)} by ${d.uploadedBy.name})`),
      ...reading.queued.map((j) => `• ${j.name} — queued to be read (posted ${formatWhen(j.queuedAt)} by ${j.uploader.name})`),
    ];
    const listed =
      documents.length === 0
        ? inProgress.length > 0
          ? 'No documents are indexed in this channel yet.'
          : 'No documents are indexed in this channel yet. Post a PDF here (or use /index) to add one.'
        : [
            `${documents.length} document${documents.length === 1 ? '' : 's'} indexed in this channel:`,
            ...documents.map(
              (d) =>
                `• ${d.link ? `[${d.name}](${d.link})` : d.name} — ${documentUnits(d.name, d.pages)}, ${d.chunks} passage${d.chunks === 1 ? '' : 's'}, ` +
                `added ${formatWhen(d.indexedAt ?? d.createdAt)} by ${d.uploadedBy.name} (id ${d.id.slice(0, 8)})`,
            ),
          ].join('\n');
    const earlier = history.map(
      ({ previous: d, current }) =>
        `• ${d.link ? `[${d.name}](${d.link})` : d.name} — ${documentUnits(d.name, d.pages)}, added ${formatWhen(d.indexedAt ?? d.createdAt)} by ${d.uploadedBy.name}, ` +
        `replaced ${formatWhen(current.indexedAt ?? current.createdAt)} by ${current.uploadedBy.name}`,
    );
    const sections = [
      listed,
      ...(earlier.length > 0 ? [`Previous versions (/diff <name> shows what changed; /ask … version:previous asks them):\n${earlier.join('\n')}`] : []),
      ...(inProgress.length > 0 ? [`Still being read:\n${inProgress.join('\n')}`] : []),
    ];
    const text = sections.join('\n\n');
    return {
      text,
      data: {
        reading: [
          ...reading.indexing.map((d) => ({ name: d.name, state: 'reading', since: d.createdAt, uploadedBy: d.uploadedBy.name })),
          ...reading.queued.map((j) => ({ name: j.name, state: 'waiting', since: j.queuedAt, uploadedBy: j.uploader.name })),
        ],
        documents: documents.map(documentData),
        previous: history.map(({ previous, current }) => ({ ...documentData(previous), replacedBy: current.id })),
      },
    };
  },
});

/** A document as `/docs --json` lists it. */
function documentData(d: DocumentRecord): Record<string, unknown> {
  return { id: d.id, name: d.name, pages: d.pages, chunks: d.chunks, bytes: d.bytes, indexedAt: d.indexedAt ?? null, uploadedBy: d.uploadedBy.name, link: d.link ?? null };
}
