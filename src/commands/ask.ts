import type { AskResult } from '../core/public-surface.js';
import { askDetails } from './render-details.js';
import { kept } from './kept.js';
import { defineCommand } from './types.js';

/** Sources (only the passages the answer cites) and the footer, as Markdown. */
export function formatSources(result: AskResult): string {
  if (result.mode !== 'generated' || result.citations.length === 0) return result.footer ? `_${result.footer}_` : '';
  const sources = result.citations.map((c) => {
    const name = result.version === 'previous' ? `${c.file} (previous version)` : c.file;
    const file = c.link ? `[${name}](${c.link})` : name;
    return `[${c.n}] ${file}, ${c.location}${c.ocr ? ' (OCR)' : ''} — “${c.excerpt.length > 160 ? `${c.excerpt.slice(0, 157)}…` : c.excerpt}”`;
  });
  return [`**Sources**`, ...sources, ...(result.footer ? ['', `_${result.footer}_`] : [])].join('\n');
}

export const askCommand = defineCommand({
  name: 'ask',
  description: "Ask a question about this channel's documents",
  options: [
    { name: 'question', description: 'What you want to know', type: 'string', required: true, maxLength: 2000 },
    { name: 'version', description: 'Ask the previous versions of the documents (replaced by a newer file of the same name)', type: 'string', required: false, choices: ['current', 'previous'], named: true },
  ],
  help:
    'Answers only from documents posted in this channel and cites file and page (or section, rows, lines). Example: /ask What was the median household income in 2022? ' +
    'Add version:previous to ask the versions that newer files of the same name replaced (see /docs).',
  needs: { history: true },
  async run(options, context) {
    const question = options.question;
    const version = options.version === 'previous' ? 'previous' : 'current';
    const stream = context.core.answers.ask(context.scope, question, {
      version,
      history: context.history,
      signal: context.signal,
      onQueued: () => void context.reply.progress('Docent is answering other questions right now; yours is queued and will start shortly.'),
    });
    await context.reply.stream(stream);
    const result = await stream.result;
    context.metrics.hits = result.citations.length;
    context.metrics.grounded = String(result.grounded);
    if (result.model) context.metrics.model = result.model;
    if (result.usage) context.metrics.outputTokens = result.usage.outputTokens;
    // Every question is kept with its answer: digests list them, and 👍/👎 refer to them. An
    // answer that cannot be kept is still delivered, without the buttons.
    const answerId = await kept(context.logger, 'the answer for 👍/👎 and digests (it has no rating buttons)', () =>
      context.core.feedback.recordAnswer(context.scope, {
        question: result.question,
        answer: result.answer,
        grounded: result.grounded,
        model: result.model,
        askedBy: context.user.name,
        sources: result.citations.map((c) => `${c.file}, ${c.location}`),
      }),
    );
    const appendix = formatSources(result);
    return {
      text: appendix ? `${result.answer}\n\n${appendix}` : result.answer,
      afterStream: result.mode === 'generated' && result.grounded ? appendix : undefined,
      ...(result.grounded && answerId !== undefined ? { feedback: { answerId } } : {}),
      details: askDetails(result, context.core.knowledge.embedding),
      remember: { question: result.question, answer: result.answer },
      data: {
        answerId: answerId ?? null,
        question: result.question,
        query: result.query,
        version: result.version,
        languages: result.languages ?? null,
        answer: result.answer,
        grounded: result.grounded,
        mode: result.mode,
        model: result.model ?? null,
        note: result.note ?? null,
        retrieval: result.retrieval,
        citations: result.citations.map((c) => ({
          n: c.n,
          file: c.file,
          page: c.page,
          location: c.location,
          heading: c.heading ?? null,
          score: c.score,
          excerpt: c.excerpt,
          link: c.link ?? null,
          ocr: c.ocr === true,
        })),
        documents: result.documents,
        usage: result.usage ?? null,
        footer: result.footer ?? null,
        timings: result.timings,
      },
    };
  },
});
