import { PermissionDeniedError } from '../core/ports/errors.js';
import { defineCommand } from './types.js';

export const forgetCommand = defineCommand({
  name: 'forget',
  description: 'Remove a document from this channel',
  options: [
    { name: 'document', description: 'Document name or id (see /docs)', type: 'string', required: true, autocomplete: 'documents' },
  ],
  needs: { right: 'moderate' },
  async run(options, context) {
    // The person who added a document may remove it; anyone else needs the right to moderate.
    const found = await context.core.knowledge.find(context.scope, options.document);
    if (found.uploadedBy.id !== context.user.id && !context.permissions.granted) {
      throw new PermissionDeniedError(`Only ${found.uploadedBy.name}, who added “${found.name}”, or someone with ${context.permissions.requirement} can remove it from this channel.`);
    }
    const { document: record, previous } = await context.core.knowledge.forget(context.scope, found.id);
    const chunks = record.chunks + (previous?.chunks ?? 0);
    context.metrics.chunks = chunks;
    return {
      text: `Forgot “${record.name}”${previous ? ' and its previous version' : ''} (${chunks} passage${chunks === 1 ? '' : 's'} removed). It no longer answers questions here.`,
      data: {
        forgotten: { id: record.id, name: record.name, chunks: record.chunks },
        previous: previous ? { id: previous.id, name: previous.name, chunks: previous.chunks } : null,
      },
    };
  },
});
