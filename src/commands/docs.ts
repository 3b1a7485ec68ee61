import { documentUnits } from '../core/types.js';
import { defineCommand } from './types.js';

export const docsCommand = defineCommand({
  name: 'docs',
  description: 'List the documents indexed in this channel',
  options: [],
  async run(_options, context) {
    const documents = await context.core.knowledge.list(context.scope);
    const reading = await context.core.knowledge.reading(context.scope);
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
    const text = inProgress.length > 0 ? `${listed}\n\nStill being read:\n${inProgress.join('\n')}` : listed;
    return {
      text,
      data: {
        reading: [
          ...reading.indexing.map((d) => ({ name: d.name, state: 'reading', since: d.createdAt, uploadedBy: d.uploadedBy.name })),
          ...reading.queued.map((j) => ({ name: j.name, state: 'waiting', since: j.queuedAt, uploadedBy: j.uploader.name })),
        ],
        documents: documents.map((d) => ({
          id: d.id,
          name: d.name,
          pages: d.pages,
          chunks: d.chunks,
          bytes: d.bytes,
          indexedAt: d.indexedAt ?? null,
          uploadedBy: d.uploadedBy.name,
          link: d.link ?? null,
        })),
      },
    };
  },
});

function formatWhen(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
