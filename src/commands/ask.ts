import { defineCommand } from './types.js';

export const askCommand = defineCommand({
  name: 'ask',
  description: "Ask a question about this channel's documents",
  options: [{ name: 'question', description: 'What you want to know', type: 'string', required: true, maxLength: 2000 }],
  help: 'Answers only from PDFs posted in this channel and cites file and page. Example: /ask What was the median household income in 2022?',
  async run(options, context) {
    const question = String(options.question);
    const result = await context.core.answers.ask(context.scope, question, context.signal);
    context.metrics.hits = result.citations.length;
    context.metrics.grounded = String(result.grounded);
    return {
      text: result.answer,
      data: {
        question: result.question,
        answer: result.answer,
        grounded: result.grounded,
        mode: result.mode,
        retrieval: result.retrieval,
        citations: result.citations.map((c) => ({
          n: c.n,
          file: c.file,
          page: c.page,
          heading: c.heading ?? null,
          score: c.score,
          excerpt: c.excerpt,
          link: c.link ?? null,
        })),
        documents: result.documents,
        timings: result.timings,
      },
    };
  },
});
