import { defineCommand } from './types.js';

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * What Docent holds and does for this channel (its documents, digests and settings) and what
 * this installation runs (which models answer, summarize and read images). Private to the asker;
 * where the data is stored is the operator's business and is not shown. Named /about because
 * Slack keeps /status for its own (built-in commands cannot be taken by apps).
 */
export const aboutCommand = defineCommand({
  name: 'about',
  description: 'Show what Docent knows and can do in this channel',
  private: true,
  options: [],
  async run(_options, context) {
    const { core, scope } = context;
    const documents = await core.knowledge.list(scope);
    const totals = documents.reduce((t, d) => ({ pages: t.pages + d.pages, passages: t.passages + d.chunks, ocrPages: t.ocrPages + d.ocrPages }), { pages: 0, passages: 0, ocrPages: 0 });
    const digests = (await core.digests.list(scope)).length;
    const settings = await core.settings.list(scope);
    const capabilities = (await core.capabilities()).filter((c) => c.name !== 'store' && c.name !== 'digests');
    context.metrics.documents = documents.length;

    const documentLine =
      documents.length === 0
        ? '• Documents: none yet. Post a PDF here (or use /index) to add one.'
        : `• Documents: ${plural(documents.length, 'document')}, ${plural(totals.pages, 'page')}, ${plural(totals.passages, 'passage')}` +
          `${totals.ocrPages > 0 ? ` (${plural(totals.ocrPages, 'page')} read by OCR)` : ''}. /docs lists them.`;
    const text = [
      'Docent in this channel:',
      documentLine,
      `• Digests posted here: ${digests === 0 ? 'none (/digest set adds one)' : `${digests} (/digest list shows them)`}.`,
      `• Settings: ${settings.map((s) => `${s.name} ${s.value ? 'on' : 'off'}`).join(', ')} (/settings show).`,
      '',
      'What this Docent runs:',
      ...capabilities.map((c) => `• ${c.name}: ${c.detail}`),
    ].join('\n');
    return {
      text,
      data: {
        documents: documents.length,
        ...totals,
        digests,
        settings: Object.fromEntries(settings.map((s) => [s.name, s.value])),
        capabilities: capabilities.map((c) => ({ name: c.name, active: c.active, detail: c.detail })),
      },
      ephemeral: true,
    };
  },
});
