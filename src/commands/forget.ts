import { defineCommand } from './types.js';

export const forgetCommand = defineCommand({
  name: 'forget',
  description: 'Remove a document from this channel',
  options: [
    { name: 'document', description: 'Document name or id (see /docs)', type: 'string', required: true, autocomplete: 'documents' },
  ],
  async run(options, context) {
    const record = await context.core.knowledge.forget(context.scope, String(options.document));
    context.metrics.chunks = record.chunks;
    return {
      text: `Forgot “${record.name}” (${record.chunks} passage${record.chunks === 1 ? '' : 's'} removed). It no longer answers questions here.`,
      data: { forgotten: { id: record.id, name: record.name, chunks: record.chunks } },
    };
  },
});
